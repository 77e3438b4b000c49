"""Tokenization: a witness's text becomes words and punctuation marks.

Words (letters, digits and combining marks, joined by inner hyphens or
apostrophes: ``pre-decided``, ``Molotov's``, ``12th``) and single punctuation
grapheme clusters are separate tokens.  Each token keeps its exact text with
the whitespace after it, so the tokens of a witness concatenate back to its
text exactly, and its character offsets into that text.  The whitespace before
the first token, if any, belongs to the first token.

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

from collections.abc import Callable
from functools import lru_cache

import regex

from .model import Token, TokenKind
from .normalize import normalizer

_WORD = r"[\w\p{M}]+(?:['’\-‐‑][\w\p{M}]+)*"
_TOKEN = regex.compile(rf"(?P<word>{_WORD})(?P<ws>\s*)|(?P<other>(?:(?!\s)\X))(?P<ows>\s*)", regex.V1)
GAP_MARKS: tuple[str, ...] = (
    "...", "…", "<...>", "<…>", "[...]", "[…]", "[. . .]", "(...)", "(…)",
    "[gap]", "[lacuna]", "[illegible]", "[illeg.]", "[?]",
)
"""The editorial marks that stand for a lacuna of unknown length, matched
case-insensitively (``[GAP]`` too), the longest first.  To recognise another,
pass ``gap_marks=GAP_MARKS + ("[damaged]",)`` to `tokenize` (and to
`collate.align.align` or `collate.fidelity.check`); ``gap_marks=()``
recognises none.  A mark must not begin with a letter or digit (it would be
read as a word): ``"[gap]"``, not ``"gap"``."""

GAP_NORMAL = "…"
"""What every gap mark reads as, under every preset: two witnesses' marks at one place are one reading."""

_DIGITS = regex.compile(r"\p{Nd}")
_LETTERS = regex.compile(r"\p{L}{3,}")  # "12th" is a number, "B52s" too; "Route66" is a word


@lru_cache(maxsize=16)
def _pattern(gap_marks: tuple[str, ...]) -> regex.Pattern[str]:
    """The token pattern, with the gap marks tried after words and before punctuation."""
    if not gap_marks:
        return _TOKEN
    for mark in gap_marks:
        if not mark.strip() or regex.match(r"[\w\p{M}]", mark):
            raise ValueError(f"gap mark {mark!r} is empty or begins with a letter or digit")
    marks = "|".join(regex.escape(m) for m in sorted(set(gap_marks), key=len, reverse=True))
    return regex.compile(
        rf"(?P<word>{_WORD})(?P<ws>\s*)|(?P<gap>(?i:{marks}))(?P<gws>\s*)|(?P<other>(?:(?!\s)\X))(?P<ows>\s*)",
        regex.V1,
    )


def tokenize(text: str, *, normalization: str = "exact", gap_marks: tuple[str, ...] = GAP_MARKS) -> tuple[Token, ...]:
    """Split ``text`` into tokens whose ``t`` concatenate to ``text``.

    >>> [t.kind.value for t in tokenize("I .STALIN.")]
    ['word', 'punctuation', 'word', 'punctuation']
    >>> [t.word for t in tokenize("so on [damaged] ...", gap_marks=("[damaged]",))]
    ['so', 'on', '[damaged]', '.', '.', '.']
    """
    norm = normalizer(normalization)
    pattern = _pattern(gap_marks)
    seen: dict[str, tuple[str, TokenKind]] = {}  # word -> (n, kind): texts repeat their words
    lead = len(text) - len(text.lstrip())
    tokens: list[Token] = []
    pos = lead
    for match in pattern.finditer(text, pos):
        if match.start() != pos:  # pragma: no cover - the pattern covers every character
            raise AssertionError(f"tokenizer skipped text at offset {pos}")
        word = match.group("word")
        gap = match.group("gap") if pattern is not _TOKEN else None
        core = word if word is not None else gap if gap is not None else match.group("other")
        known = seen.get(core)
        if known is None:
            if gap is not None:
                kind = TokenKind.GAP
            elif word is None:
                kind = TokenKind.PUNCTUATION
            elif _DIGITS.search(word) and not _LETTERS.search(word):
                kind = TokenKind.NUMBER
            else:
                kind = TokenKind.WORD
            known = seen[core] = (GAP_NORMAL if gap is not None else norm(core), kind)
        end = match.end()
        tokens.append(Token(text[pos if tokens else 0 : end], known[0], pos if tokens else 0, end, known[1]))
        pos = end
    if pos != len(text):  # pragma: no cover
        raise AssertionError("tokenizer did not reach the end of the text")
    if not tokens and text:
        tokens.append(Token(t=text, n="", start=0, end=len(text), kind=TokenKind.SPACE))
    return tuple(tokens)


def retokenize(tokens: tuple[Token, ...], *, normalization: str) -> tuple[Token, ...]:
    """The same tokens with ``n`` recomputed under another preset."""
    norm = normalizer(normalization)
    return tuple(
        Token(t=tok.t, n=_renormal(norm, tok), start=tok.start, end=tok.end, kind=tok.kind)
        for tok in tokens
    )


def _renormal(norm: Callable[[str], str], tok: Token) -> str:
    if tok.kind is TokenKind.SPACE:
        return ""
    return GAP_NORMAL if tok.kind is TokenKind.GAP else norm(tok.word)
