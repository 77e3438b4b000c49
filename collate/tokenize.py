"""Tokenization: a witness's text becomes words and punctuation marks.

Words (letters, digits and combining marks, joined by inner hyphens or
apostrophes: ``pre-decided``, ``Molotov's``, ``12th``) and single punctuation
grapheme clusters are separate tokens.  Each token keeps its exact text with
the whitespace after it, so the tokens of a witness concatenate back to its
text exactly, and its character offsets into that text.  The whitespace before
the first token, if any, belongs to the first token.

>>> toks = tokenize("  Easter front, in 192.\\n", normalization="case")
>>> [(t.t, t.n, t.start, t.end) for t in toks]
[('  Easter ', 'easter', 0, 9), ('front', 'front', 9, 14), (', ', ',', 14, 16), ('in ', 'in', 16, 19), ('192', '192', 19, 22), ('.\\n', '.', 22, 24)]
>>> "".join(t.t for t in toks) == "  Easter front, in 192.\\n"
True
"""

from __future__ import annotations

import regex

from .model import Token, TokenKind
from .normalize import normalizer

_WORD = r"[\w\p{M}]+(?:['’\-‐‑][\w\p{M}]+)*"
_TOKEN = regex.compile(rf"(?P<word>{_WORD})(?P<ws>\s*)|(?P<other>(?:(?!\s)\X))(?P<ows>\s*)", regex.V1)
_DIGITS = regex.compile(r"\p{Nd}")
_LETTERS = regex.compile(r"\p{L}{3,}")  # "12th" is a number, "B52s" too; "Route66" is a word


def tokenize(text: str, *, normalization: str = "exact") -> tuple[Token, ...]:
    """Split ``text`` into tokens whose ``t`` concatenate to ``text``.

    >>> [t.kind.value for t in tokenize("I .STALIN.")]
    ['word', 'punctuation', 'word', 'punctuation']
    """
    norm = normalizer(normalization)
    seen: dict[str, tuple[str, TokenKind]] = {}  # word -> (n, kind): texts repeat their words
    lead = len(text) - len(text.lstrip())
    tokens: list[Token] = []
    pos = lead
    for match in _TOKEN.finditer(text, pos):
        if match.start() != pos:  # pragma: no cover - the pattern covers every character
            raise AssertionError(f"tokenizer skipped text at offset {pos}")
        word = match.group("word")
        core = word if word is not None else match.group("other")
        known = seen.get(core)
        if known is None:
            if word is None:
                kind = TokenKind.PUNCTUATION
            elif _DIGITS.search(word) and not _LETTERS.search(word):
                kind = TokenKind.NUMBER
            else:
                kind = TokenKind.WORD
            known = seen[core] = (norm(core), kind)
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
        Token(t=tok.t, n=norm(tok.word) if tok.kind is not TokenKind.SPACE else "", start=tok.start, end=tok.end, kind=tok.kind)
        for tok in tokens
    )
