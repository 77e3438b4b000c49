"""Citable places: the synoptic view's rows are the base's sentences, with ids that last.

A row of the synoptic view is one sentence of the base witness, and its id is
that sentence's place in the base: ``p7.2`` is paragraph 7, sentence 2.  The
id comes from the base's own text alone, so adding or removing another
witness never changes it, and ``index.html#p7.2`` stays a valid citation.

- **Paragraphs and sentences** are those of `collate.sentences`, the one
  rule for both (the passage aligner numbers its sentences with it too, so
  the two give one base the same ids): paragraphs are separated by blank
  lines (one per line in a text with none); a sentence ends at ``.``, ``!``,
  ``?`` or ``…`` followed by a capital, a digit or an opening quote, not
  after an abbreviation, an initial or an initialism (``Mr.``, ``W.``,
  ``U.S.S.R.``), and on either side of an editorial gap mark standing alone
  (``<...>``), which belongs to no sentence (its token joins the row before
  it).
- **Where the base is lost** (a fragment's lost text), the next witness in the
  base order (`row_order`) cuts the rows at its own sentences, and they are
  numbered after the last base sentence before them: ``p7.2+1``, ``p7.2+2``
  (``p0+1`` before the base's first sentence).
- A sentence of more than `MAX_SENTENCE` characters (a text without full
  stops) is cut at spaces into parts, ``p3.2``, ``p3.2-2``..., so that no row
  holds a whole book.

The sentences come from a `SentenceSource`, a function from a witness's text
to its `SentenceSpan` values; `sentences` is the default.  The passage
aligner can replace it without touching the rows: anything that gives each
sentence an id and its character offsets will do.

>>> [(s.id, s.start, s.end) for s in sentences("It rains. We stay.\\n\\nMr. Smith left.")]
[('p1.1', 0, 9), ('p1.2', 10, 18), ('p2.1', 20, 35)]
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .model import Alignment
from .sentences import sentences as split_sentences
from .variants import lost_columns


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    """One sentence of a witness: its citable id and its character offsets,
    and whether it is the last of its paragraph."""

    id: str
    start: int
    end: int
    paragraph_end: bool = False


SentenceSource = Callable[[str], Sequence[SentenceSpan]]
"""What cuts a text into citable sentences (`sentences`, or the passage aligner's)."""


@dataclass(frozen=True, slots=True)
class RowCut:
    """One row of the synoptic view: columns ``first..last`` and its id.

    ``aliases`` are the ids of other base sentences that end in the same row
    (when two sentences share an aligned column), so every base sentence id
    finds its row.
    """

    id: str
    first: int
    last: int
    paragraph_end: bool = False
    aliases: tuple[str, ...] = ()


MAX_SENTENCE = 1200
"""Characters (about 200 words) after which a sentence is cut into parts at a
space: ``p3.2``, ``p3.2-2``, ``p3.2-3``.  Cut from the base text alone, so
the ids stay stable; prose sentences are far shorter."""


def sentences(text: str) -> tuple[SentenceSpan, ...]:
    """The sentences of ``text``, numbered ``p<paragraph>.<sentence>`` from 1, spans trimmed of whitespace.

    >>> t = "Mr. Churchill came to the U.S.S.R. Government. He left; we stayed.\\nI .STALIN."
    >>> [(s.id, t[s.start:s.end], s.paragraph_end) for s in sentences(t)]
    [('p1.1', 'Mr. Churchill came to the U.S.S.R. Government.', False), ('p1.2', 'He left; we stayed.', True), ('p2.1', 'I .STALIN.', True)]
    """
    found = split_sentences(text)
    out: list[SentenceSpan] = []
    for k, s in enumerate(found):
        paragraph_end = k + 1 == len(found) or found[k + 1].paragraph != s.paragraph
        parts = _parts(text, s.start, s.end)
        for j, (c, d) in enumerate(parts, start=1):
            out.append(SentenceSpan(s.id + (f"-{j}" if j > 1 else ""), c, d, paragraph_end and j == len(parts)))
    return tuple(out)


def _parts(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A sentence longer than `MAX_SENTENCE` cut at spaces into parts about that long
    (text with no full stops must not make one row of a whole book).

    >>> t = "word " * 500
    >>> [(d - c) <= MAX_SENTENCE for c, d in _parts(t, 0, len(t) - 1)]
    [True, True, True]
    """
    parts: list[tuple[int, int]] = []
    while b - a > MAX_SENTENCE:
        cut = text.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
        if cut < 0:
            break
        parts.append((a, cut))
        a = cut + 1
        while a < b and text[a].isspace():
            a += 1
    parts.append((a, b))
    return parts


def row_order(alignment: Alignment, base_order: Sequence[str] = ()) -> tuple[int, ...]:
    """The witnesses whose sentences cut the rows, in order of preference: the
    collation's base order (`collate.model.Variants.base_order`: the base,
    then the witnesses that serve where it is lost), then the complete
    witnesses, longest first, then the fragments (ties by siglum).

    >>> from collate.align import align
    >>> from collate.model import Witness
    >>> row_order(align([Witness("a", "x y"), Witness("b", "x y z"), Witness("c", "x")]), ("c",))
    (2, 1, 0)
    """
    ws = alignment.witnesses
    given = [alignment.sigla.index(s) for s in base_order]
    rest = sorted(
        (w for w in range(len(ws)) if w not in given),
        key=lambda w: (ws[w].meta.is_fragment, -len(alignment.tokens[w]), ws[w].siglum),
    )
    return tuple([*given, *rest])


def row_cuts(alignment: Alignment, order: Sequence[int], source: SentenceSource = sentences) -> tuple[RowCut, ...]:
    """The rows of the synoptic view: one per sentence of ``order[0]`` (see the module docstring).

    >>> from collate.align import align
    >>> from collate.model import Witness
    >>> al = align([Witness("A", "It rains. We stay."), Witness("B", "It rains hard. We stay.")])
    >>> [(r.id, r.first, r.last) for r in row_cuts(al, (0, 1))]
    [('p1.1', 0, 3), ('p1.2', 4, 6)]
    """
    n = len(alignment.columns)
    if not n or not order:
        return ()
    lost = lost_columns(alignment)
    pilots = [next((w for w in order if c not in lost[w]), order[0]) for c in range(n)]
    ends = {w: _sentence_ends(alignment, w, source) for w in set(pilots) | {order[0]}}
    base = order[0]
    bounds: list[tuple[int, int]] = []
    start = 0
    for c in range(n):
        if c > start and pilots[c] != pilots[c - 1]:
            bounds.append((start, c - 1))
            start = c
        cell = alignment.columns[c][pilots[c]]
        if cell and cell[-1].start in ends[pilots[c]]:
            bounds.append((start, c))
            start = c + 1
    if start < n:
        bounds.append((start, n - 1))
    return _name_rows(alignment, bounds, base, pilots, ends)


def _sentence_ends(alignment: Alignment, w: int, source: SentenceSource) -> dict[int, SentenceSpan]:
    """For witness ``w``: the last token of each of its sentences (by its offset), with the sentence."""
    tokens = alignment.tokens[w]
    spans = sorted(source(alignment.witnesses[w].text), key=lambda s: s.start)
    if not tokens or not spans:
        return {}
    starts = [s.start for s in spans]
    which = [max(0, bisect_right(starts, t.word_start) - 1) for t in tokens]
    out: dict[int, SentenceSpan] = {}
    for i, tok in enumerate(tokens):
        if i + 1 == len(tokens) or which[i + 1] != which[i]:
            out[tok.start] = spans[which[i]]
    return out


def _name_rows(
    alignment: Alignment,
    bounds: Sequence[tuple[int, int]],
    base: int,
    pilots: Sequence[int],
    ends: dict[int, dict[int, SentenceSpan]],
) -> tuple[RowCut, ...]:
    rows: list[RowCut] = []
    last_id, since, partial = "p0", 0, 0
    used: set[str] = set()
    for first, last in bounds:
        ended = [
            ends[base][t.start]
            for c in range(first, last + 1)
            for t in (alignment.columns[c][base] or ())
            if t.start in ends[base]
        ]
        pilot_end = next(
            (ends[pilots[c]][t.start] for c in range(last, first - 1, -1) for t in reversed(alignment.columns[c][pilots[c]] or ())
             if t.start in ends[pilots[c]]),
            None,
        )
        para = pilot_end is not None and pilot_end.paragraph_end
        has_base = any(alignment.columns[c][base] for c in range(first, last + 1))
        if ended:
            ident, aliases = ended[0].id, tuple(s.id for s in ended[1:])
            last_id, since, partial = ended[-1].id, 0, 0
        elif has_base:  # a piece of a base sentence cut by a lacuna: named after the sentence before it
            partial += 1
            ident, aliases = f"{last_id}~{partial}", ()
        else:
            since += 1
            ident, aliases = f"{last_id}+{since}", ()
        while ident in used:  # cannot happen for a well-formed source; ids must stay unique
            ident += "'"
        used.add(ident)
        rows.append(RowCut(ident, first, last, para, aliases))
    return tuple(rows)
