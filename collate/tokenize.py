"""Tokenization: a witness's text becomes words and punctuation marks.

Words (letters, digits and combining marks, joined by inner hyphens or
apostrophes: ``pre-decided``, ``Molotov's``, ``12th``) and single punctuation
grapheme clusters are separate tokens.  Each token keeps its exact text with
the whitespace after it, so the tokens of a witness concatenate back to its
text exactly, and its character offsets into that text.  The whitespace before
the first token, if any, belongs to the first token.

Tokenization never looks at lines: a text of ten megabytes on one line is cut
in one pass, in time linear in its length.  Most texts are cut with the
standard library's ``re``, by a pattern whose combining-mark class is made
from the marks the text holds (found with ``unicodedata``); a text holding a
character on which that pattern and the Unicode-aware ``regex`` module could
disagree (Hangul jamo, emoji joiners, regional indicators, prepended marks,
superscript digits, format characters, characters newer than Python's
Unicode tables, ...) is cut with ``regex``, imported only then.  Both give the
same tokens wherever the first applies (a property test checks it).

Editorial gap marks (`GAP_MARKS`: ``...``, ``…``, ``<...>``, ``[...]``,
``[gap]``, ``[illegible]``, ``[?]``, ...) stand for a lacuna of unknown length:
each becomes one token of kind ``GAP``, never words or punctuation.

>>> [(t.word, t.kind.value) for t in tokenize("front <...> in [illegible] 1942")]
[('front', 'word'), ('<...>', 'gap'), ('in', 'word'), ('[illegible]', 'gap'), ('1942', 'number')]

>>> toks = tokenize("  Easter front, in 192.\\n", normalization="case")
>>> [(t.t, t.n, t.start, t.end) for t in toks]
[('  Easter ', 'easter', 0, 9), ('front', 'front', 9, 14), (', ', ',', 14, 16), ('in ', 'in', 16, 19), ('192', '192', 19, 22), ('.\\n', '.', 22, 24)]
>>> "".join(t.t for t in toks) == "  Easter front, in 192.\\n"
True
"""

from __future__ import annotations

import re
from collections.abc import Callable
import unicodedata
from functools import lru_cache
from typing import Any

from .model import Token, TokenKind

_JOINERS = "'’\\-‐‑"

GAP_MARKS: tuple[str, ...] = (
    "...", "…", "<...>", "<…>", "[...]", "[…]", "[. . .]", "(...)", "(…)",
    "[gap]", "[lacuna]", "[illegible]", "[illeg.]", "[?]",
)
"""The editorial marks that stand for a lacuna of unknown length, matched
case-insensitively (``[GAP]`` too), the longest first.  To recognise another,
pass ``gap_marks=GAP_MARKS + ("[damaged]",)`` to `tokenize` (and to
`collate.align.align` or `collate.fidelity.check`); ``gap_marks=()``
recognises none.  A mark must not begin with a letter or digit (it would be
read as a word): ``"[gap]"``, not ``"gap"``.  A bare ellipsis (``...``,
``…``) is a gap mark only where it stands alone (``as follows ... the``) or
ends the text; attached to the word before it (``we waited...``) it is the
writer's punctuation, as in most prose."""

_ELLIPSIS = frozenset(".…")
"""What a bare ellipsis is made of: as a gap mark it must stand alone (see `_gaps`)."""

GAP_NORMAL = "…"
"""What every gap mark reads as, under every preset: two witnesses' marks at one place are one reading."""

# Characters that are not combining marks yet attach to what precedes them in
# a grapheme cluster, begin one (prepend), or pair up with their neighbours,
# and characters that ``re`` and ``regex`` class differently as word or space.
_SPECIAL_RANGES = (
    (0x001C, 0x001F),  # separators: whitespace to str.isspace, not to Unicode
    (0x00AD, 0x00AD),  # soft hyphen (a format character; listed again for the reader)
    (0x0600, 0x0605), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2),
    (0x0D4E, 0x0D4E), (0x0E33, 0x0E33), (0x0EB3, 0x0EB3),  # prepend; spacing marks that are letters
    (0x1100, 0x11FF), (0xA960, 0xA97F), (0xD7B0, 0xD7FF),  # Hangul conjoining jamo
    (0x200C, 0x200D),  # zero-width non-joiner and joiner
    (0x203F, 0x2040), (0x2054, 0x2054), (0xFE33, 0xFE34), (0xFE4D, 0xFE4F), (0xFF3F, 0xFF3F),  # connectors besides _
    (0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189),  # alphabetic symbols
    (0xFF9E, 0xFF9F), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x111C2, 0x111C3),
    (0x1193F, 0x1193F), (0x11941, 0x11941), (0x11A3A, 0x11A3A), (0x11A84, 0x11A89), (0x11D46, 0x11D46),
    (0x1F1E6, 0x1F1FF), (0x1F3FB, 0x1F3FF), (0xE0020, 0xE007F),  # regional indicators, skin tones, tags
)


_SPECIAL_CATEGORIES = frozenset({"No", "Cn", "Cs", "Cf"})
"""Superscript and other non-decimal digits are word characters to ``re`` but
not to ``regex``; unassigned characters (perhaps assigned in ``regex``'s newer
tables), lone surrogates and format characters (grapheme cluster breaks) are
left to ``regex``."""


def _pattern(text: str, gap_marks: tuple[str, ...]) -> Any:
    """The pattern that cuts ``text`` exactly as the ``regex`` one would: a fast
    ``re`` pattern whose mark class holds the combining marks ``text`` has
    (from ``unicodedata``), or the ``regex`` one itself.  Either has four
    alternatives, each a token and the whitespace after it: a word, a gap
    mark, one other character (and its marks)."""
    chars = set(text)
    marks: list[str] = []
    if not text.isascii():
        for ch in chars:
            cat = unicodedata.category(ch)
            if cat[0] == "M":
                marks.append(ch)
            elif cat in _SPECIAL_CATEGORIES or (cat == "Cc" and not ch.isspace()) or _in_special_ranges(ord(ch)):
                return _slow(gap_marks)
    elif not chars.isdisjoint("\x1c\x1d\x1e\x1f"):
        return _slow(gap_marks)
    return _fast("".join(sorted(marks)), gap_marks)


def _in_special_ranges(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _SPECIAL_RANGES)


@lru_cache(maxsize=32)
def _gaps(gap_marks: tuple[str, ...]) -> str:
    """The gap marks as one case-insensitive alternative (longest first), or one that never matches."""
    for mark in gap_marks:
        if not mark.strip() or mark[0].isalnum() or unicodedata.category(mark[0])[0] == "M":
            raise ValueError(f"gap mark {mark!r} is empty or begins with a letter or digit")
    if not gap_marks:
        return "(?!)"
    alternatives = []
    for mark in sorted(set(gap_marks), key=len, reverse=True):
        m = re.escape(mark)
        # a bare ellipsis stands for a lacuna only where it stands alone or ends the text:
        # one attached to the word before it ("left...") is the writer's own punctuation
        alternatives.append(rf"(?:(?<!\S){m}|{m}(?=\s*\Z))" if set(mark) <= _ELLIPSIS else m)
    return "(?i:" + "|".join(alternatives) + ")"


@lru_cache(maxsize=32)
def _fast(marks: str, gap_marks: tuple[str, ...]) -> re.Pattern[str]:
    """Words; gap marks; else one non-space character and the combining marks after it."""
    m = "".join(re.escape(ch) for ch in marks)
    gap = _gaps(gap_marks)
    if not m:
        return re.compile(rf"(\w+(?:[{_JOINERS}]\w+)*)(\s*)|({gap})(\s*)|(\S)(\s*)")
    word = rf"[\w{m}]+(?:[{_JOINERS}][\w{m}]+)*"
    return re.compile(rf"({word})(\s*)|({gap})(\s*)|([^\s{m}][{m}]*)(\s*)")


@lru_cache(maxsize=32)
def _slow(gap_marks: tuple[str, ...]) -> Any:
    import regex  # only for texts the fast pattern cannot cut exactly

    word = r"[\w\p{M}]+(?:['’\-‐‑][\w\p{M}]+)*"
    return regex.compile(rf"({word})(\s*)|({_gaps(gap_marks)})(\s*)|((?:(?!\s)\X))(\s*)", regex.V1)


def shape(text: str, *, gap_marks: tuple[str, ...] = GAP_MARKS) -> tuple[int, bool]:
    """How many words ``text`` has and whether it carries a gap mark, as `tokenize`
    would say, without making its tokens: for a text of any size (a 200 MB witness
    has some 30 million), in a few passes of compiled patterns.  A word holding a
    combining mark the pattern does not know may count as two.

    >>> shape("the Eastern front ... in 1942"), shape("we waited... and then"), shape("")
    ((5, True), (4, False), (0, False))
    """
    words = _COUNTED_WORD.findall
    count, pos, n = 0, 0, len(text)
    while pos < n:  # in pieces cut at a space, so no word is cut and no list grows large
        end = text.find(" ", min(n, pos + 1_000_000))
        end = n if end < 0 else end
        count += len(words(text, pos, end))
        pos = end
    marks = [m.group() for m in re.finditer(_gaps(gap_marks), text)]
    return count - sum(len(words(m)) for m in marks), bool(marks)  # "[gap]" is a mark, not a word


_COUNTED_WORD = re.compile(rf"\w+(?:[{_JOINERS}]\w+)*")


def _parts(text: str, gap_marks: tuple[str, ...]) -> list[tuple[str, str, str, str, str, str]]:
    """(word, space, gap, space, other, space) for each token of ``text`` (lead space excluded)."""
    parts: list[tuple[str, str, str, str, str, str]] = _pattern(text, gap_marks).findall(text)
    return parts


def tokenize(text: str, *, normalization: str = "exact", gap_marks: tuple[str, ...] = GAP_MARKS) -> tuple[Token, ...]:
    """Split ``text`` into tokens whose ``t`` concatenate to ``text``.

    >>> [t.kind.value for t in tokenize("I .STALIN.")]
    ['word', 'punctuation', 'word', 'punctuation']
    >>> [t.word for t in tokenize("so on [damaged] ...", gap_marks=("[damaged]",))]
    ['so', 'on', '[damaged]', '.', '.', '.']
    >>> [t.kind.value for t in tokenize("... we waited... and then ... it came...")]
    ['gap', 'word', 'word', 'punctuation', 'punctuation', 'punctuation', 'word', 'word', 'gap', 'word', 'word', 'gap']
    """
    from .normalize import normalizer

    norm = normalizer(normalization)
    lead = len(text) - len(text.lstrip())
    seen: dict[str, tuple[str, TokenKind]] = {}  # core -> (n, kind): texts repeat their words
    tokens: list[Token] = []
    append = tokens.append
    pos = lead
    for word, ws, gap, gws, other, ows in _parts(text[lead:] if lead else text, gap_marks):
        core = word or gap or other
        known = seen.get(core)
        if known is None:
            known = seen[core] = (GAP_NORMAL, TokenKind.GAP) if gap else (norm(core), _kind(word))
        end = pos + len(core) + len(ws or gws or ows)
        append(Token(text[pos:end] if tokens else text[:end], known[0], pos if tokens else 0, end, known[1]))
        pos = end
    if pos != len(text):  # pragma: no cover - the patterns cover every character
        raise AssertionError(f"tokenizer skipped text at offset {pos}")
    if not tokens and text:
        tokens.append(Token(t=text, n="", start=0, end=len(text), kind=TokenKind.SPACE))
    return tuple(tokens)


def _kind(word: str) -> TokenKind:
    """A word with a digit and no run of three letters is a number ("12th",
    "B52s"); "Route66" is a word.  No word: punctuation."""
    if not word:
        return TokenKind.PUNCTUATION
    if any(ch.isdecimal() for ch in word):
        run = 0
        for ch in word:
            run = run + 1 if ch.isalpha() else 0
            if run >= 3:
                return TokenKind.WORD
        return TokenKind.NUMBER
    return TokenKind.WORD


def retokenize(tokens: tuple[Token, ...], *, normalization: str) -> tuple[Token, ...]:
    """The same tokens with ``n`` recomputed under another preset."""
    from .normalize import normalizer

    norm: Callable[[str], str] = normalizer(normalization)
    return tuple(Token(t=tok.t, n=_renormal(norm, tok), start=tok.start, end=tok.end, kind=tok.kind) for tok in tokens)


def _renormal(norm: Callable[[str], str], tok: Token) -> str:
    if tok.kind is TokenKind.SPACE:
        return ""
    return GAP_NORMAL if tok.kind is TokenKind.GAP else norm(tok.word)
