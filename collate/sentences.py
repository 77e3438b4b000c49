"""Segmentation: a witness's text becomes paragraphs, sentences and clauses.

The first stage of passage alignment (`collate.passages`).  Every unit keeps
its character offsets into the witness text, so a passage can always point
back into the transcription and the tokens of `collate.tokenize` can be
assigned to it by offset.

Paragraphs
    are separated by blank lines; a text with no blank line at all has one
    paragraph per line (corr1957 is kept that way).
Sentences
    end at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes or brackets)
    followed by whitespace and a capital, a digit or an opening quote or
    bracket, and always at a paragraph's end; and on either side of an
    editorial gap mark standing alone (``<...>``, ``[...]``: `GAP_MARKS`),
    which stands for a lacuna and belongs to no sentence.  Not after a known abbreviation
    (``Mr.``, ``No.``, ``vol.`` ...), an initial (``W. Churchill``, ``I. Stalin``)
    or an initialism (``U.S.S.R.``) followed by a capitalised word, unless that
    word is a usual sentence opener (``the U.S.A. The next day``).  A stop
    followed by a lower-case word never ends a sentence.
Clauses
    subdivide a sentence after ``;``, ``:``, ``,`` and dashes; they are where a
    sentence may be cut when another witness draws its sentence boundaries
    elsewhere.

A unit's span is trimmed of surrounding whitespace: ``text[start:end]`` begins
and ends with a non-space character.

>>> text = "AIDE-MEMOIRE\\n\\nMr. Churchill came to the U.S.S.R. Government. He left; we stayed."
>>> [(s.id, text[s.start:s.end]) for s in sentences(text)]
[('p1.1', 'AIDE-MEMOIRE'), ('p2.1', 'Mr. Churchill came to the U.S.S.R. Government.'), ('p2.2', 'He left; we stayed.')]
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .tokenize import GAP_MARKS

Span = tuple[int, int]
"""Character offsets ``(start, end)`` into a witness's text."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a witness: its offsets and its place (paragraph, sentence), both from 1.

    >>> Sentence(10, 40, 7, 2).id
    'p7.2'
    """

    start: int
    end: int
    paragraph: int
    number: int

    @property
    def id(self) -> str:
        """The citable id, ``p<paragraph>.<sentence>``."""
        return f"p{self.paragraph}.{self.number}"

    @property
    def span(self) -> Span:
        return (self.start, self.end)


ABBREVIATIONS = frozenset(
    "mr mrs ms messrs dr st no nos vol vols p pp cf viz vs gen col lt capt sgt maj adm cmdr gov "
    "prof rev hon jr sr mme mlle art fig ch ed eds jan feb apr aug sept sep oct nov dec approx dept "
    "e.g i.e etc al ibid op loc".split()
)
"""Words that end with a stop without ending a sentence (compared case-folded, without the stop).
``etc`` is here because "etc. and" is far commoner than a sentence ending in it."""

SENTENCE_OPENERS = frozenset(
    "the a an it this that these those there we i he she they you in on at as but and or if "
    "when while for however thus therefore".split()
)
"""Words that, after an initialism such as ``U.S.A.``, show that a new sentence begins."""

_PARA_BLANK = regex.compile(r"\n[^\S\n]*\n\s*")
_PARA_LINE = regex.compile(r"\n\s*")
_STOP = regex.compile(r"(?:[.!?]+|…)[\"'”’»)\]]*(?=\s)")
_NEXT = regex.compile(r"\s+([\"'“‘«(\[¶§]*)\s*(\S)")
_INITIALISM = regex.compile(r"(?:\p{Lu}\.){2,}$")
_WORD_AFTER = regex.compile(r"\s*[\"'“‘«(\[]*([\w]+)")
GAP_ALONE = regex.compile(
    r"(?<!\S)(?:" + "|".join(regex.escape(m) for m in sorted(GAP_MARKS, key=len, reverse=True)) + r")(?!\S)", regex.IGNORECASE
)
"""An editorial gap mark standing alone: the sentences on either side of it are two."""
_CLAUSE = regex.compile(r"(?:[,;:]|\s[-–—]|—)(?=\s)|—(?=\S)")


def paragraphs(text: str) -> tuple[Span, ...]:
    """The paragraphs of ``text``, trimmed spans; empty ones left out.

    >>> paragraphs("One.\\n\\n  Two.\\nstill two.\\n")
    ((0, 4), (8, 23))
    >>> paragraphs("One.\\nTwo.")
    ((0, 4), (5, 9))
    """
    splitter = _PARA_BLANK if _PARA_BLANK.search(text) else _PARA_LINE
    spans: list[Span] = []
    pos = 0
    for sep in [*splitter.finditer(text), None]:
        end = sep.start() if sep is not None else len(text)
        span = trim(text, pos, end)
        if span is not None:
            spans.append(span)
        if sep is not None:
            pos = sep.end()
    return tuple(spans)


def sentences(text: str) -> tuple[Sentence, ...]:
    """Every sentence of ``text``, numbered within its paragraph.

    >>> t = "I was however unsuccessful, while Mr. Harriman of the U.S.A. fully agreed. August 13th, 1942. (Signed) I .STALIN."
    >>> [t[s.start:s.end] for s in sentences(t)]
    ['I was however unsuccessful, while Mr. Harriman of the U.S.A. fully agreed.', 'August 13th, 1942.', '(Signed) I .STALIN.']
    >>> t = "a second front in 1942. <...> I was unsuccessful in convincing him [...] at all"
    >>> [t[s.start:s.end] for s in sentences(t)]
    ['a second front in 1942.', 'I was unsuccessful in convincing him', 'at all']
    """
    out: list[Sentence] = []
    for p, (p0, p1) in enumerate(paragraphs(text), start=1):
        start = p0
        number = 0
        for cut in [*_boundaries(text, p0, p1), p1]:
            span = trim(text, start, cut)
            if span is not None and not GAP_ALONE.fullmatch(text, span[0], span[1]):
                number += 1
                out.append(Sentence(span[0], span[1], p, number))
            start = cut
    return tuple(out)


def _boundaries(text: str, p0: int, p1: int) -> list[int]:
    """Offsets (just after a stop) where a sentence ends inside paragraph p0..p1."""
    cuts: list[int] = []
    for stop in _STOP.finditer(text, p0, p1):
        nxt = _NEXT.match(text, stop.end(), p1)
        if nxt is None:
            continue
        opener, first = nxt.group(1), nxt.group(2)
        if not (first.isupper() or first.isdigit() or (opener and first.isalnum())):
            continue
        if "." in stop.group() and _abbreviated(text, p0, stop.start(), stop.end(), p1):
            continue
        cuts.append(stop.end())
    for mark in GAP_ALONE.finditer(text, p0, p1):
        cuts += [mark.start(), mark.end()]
    return sorted(set(cuts))


def _abbreviated(text: str, p0: int, dot: int, after: int, p1: int) -> bool:
    """Whether the stop at ``dot`` closes an abbreviation, an initial or an initialism."""
    k = dot
    while k > p0 and dot - k < 12 and (text[k - 1].isalnum() or text[k - 1] in "._"):
        k -= 1
    if k == dot or (dot - k == 12 and text[k - 1].isalnum()):
        return False  # no word, or one longer than any abbreviation or initialism
    word = text[k:dot] + "."
    core = word.rstrip(".").casefold()
    if core in ABBREVIATIONS:
        return True
    if (len(core) == 1 and core.isalpha() and word[0].isupper()) or _INITIALISM.search(word):
        following = _WORD_AFTER.match(text, after, p1)
        return following is None or following.group(1).casefold() not in SENTENCE_OPENERS
    return False


def gap_between(text: str, start: int, end: int) -> bool:
    """Whether an editorial gap mark stands alone in ``text[start:end]`` (between two sentences).

    >>> t = "in 1942. <...> I was"
    >>> gap_between(t, 8, 15), gap_between(t, 0, 8)
    (True, False)
    """
    return GAP_ALONE.search(text, start, end) is not None


def clause_cuts(text: str, span: Span) -> tuple[int, ...]:
    """Offsets inside ``span`` where a clause ends (after ``,`` ``;`` ``:`` or before a dash).

    >>> t = "It appears to me, and my colleagues; that - here - we are."
    >>> [t[c - 3:c] for c in clause_cuts(t, (0, len(t)))]
    ['me,', 'es;', 'hat', 'ere']
    """
    return tuple(m.end() if m.group()[0] in ",;:" else m.start() for m in _CLAUSE.finditer(text, span[0], span[1]))


def trim(text: str, start: int, end: int) -> Span | None:
    """``(start, end)`` without the whitespace at either end; None if nothing else is left.

    >>> trim(" one two  ", 0, 10), trim("   ", 0, 3)
    ((1, 8), None)
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
