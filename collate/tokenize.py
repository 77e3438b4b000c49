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
from functools import cache, lru_cache
from typing import Any

from .model import Token, TokenKind

_JOINERS = "'’\\-‐‑"

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


def _pattern(text: str) -> Any:
    """The pattern that cuts ``text`` exactly as the ``regex`` one would: a fast
    ``re`` pattern whose mark class holds the combining marks ``text`` has
    (from ``unicodedata``), or the ``regex`` one itself."""
    chars = set(text)
    marks: list[str] = []
    if not text.isascii():
        for ch in chars:
            cat = unicodedata.category(ch)
            if cat[0] == "M":
                marks.append(ch)
            elif cat in _SPECIAL_CATEGORIES or (cat == "Cc" and not ch.isspace()) or _in_special_ranges(ord(ch)):
                return _slow()
    elif not chars.isdisjoint("\x1c\x1d\x1e\x1f"):
        return _slow()
    return _fast("".join(sorted(marks)))


def _in_special_ranges(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in _SPECIAL_RANGES)


@lru_cache(maxsize=32)
def _fast(marks: str) -> re.Pattern[str]:
    """Words; else one non-space character and the combining marks after it."""
    m = "".join(re.escape(ch) for ch in marks)
    if not m:
        return re.compile(rf"(\w+(?:[{_JOINERS}]\w+)*)(\s*)|(\S)(\s*)")
    word = rf"[\w{m}]+(?:[{_JOINERS}][\w{m}]+)*"
    return re.compile(rf"({word})(\s*)|([^\s{m}][{m}]*)(\s*)")


@cache
def _slow() -> Any:
    import regex  # only for texts the fast pattern cannot cut exactly

    word = r"[\w\p{M}]+(?:['’\-‐‑][\w\p{M}]+)*"
    return regex.compile(rf"({word})(\s*)|((?:(?!\s)\X))(\s*)", regex.V1)


def _parts(text: str) -> list[tuple[str, str, str, str]]:
    """(word, space, other, space) for each token of ``text`` (lead space excluded)."""
    parts: list[tuple[str, str, str, str]] = _pattern(text).findall(text)
    return parts


def tokenize(text: str, *, normalization: str = "exact") -> tuple[Token, ...]:
    """Split ``text`` into tokens whose ``t`` concatenate to ``text``.

    >>> [t.kind.value for t in tokenize("I .STALIN.")]
    ['word', 'punctuation', 'word', 'punctuation']
    """
    from .normalize import normalizer

    norm = normalizer(normalization)
    lead = len(text) - len(text.lstrip())
    seen: dict[str, tuple[str, TokenKind]] = {}  # core -> (n, kind): texts repeat their words
    tokens: list[Token] = []
    append = tokens.append
    pos = lead
    for word, ws, other, ows in _parts(text[lead:] if lead else text):
        core = word or other
        known = seen.get(core)
        if known is None:
            known = seen[core] = (norm(core), _kind(word))
        end = pos + len(core) + len(ws or ows)
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
    return tuple(
        Token(t=tok.t, n=norm(tok.word) if tok.kind is not TokenKind.SPACE else "", start=tok.start, end=tok.end, kind=tok.kind)
        for tok in tokens
    )
