"""Vocabulary: token forms as integer ids, with what matching each is worth.

The aligner (`collate.pairwise`, `collate.align`) compares integers, not
strings: one id per normalized form and kind, shared by all the witnesses of
a collation, each with its weight (`Weights`) and whether it is a content
word.  Near matching of two different forms (`near_ratio`) is scored by
RapidFuzz, imported on first use.

>>> from collate.tokenize import tokenize
>>> v = Vocabulary()
>>> v.encode(tokenize("the Eastern front, 1942"))
[0, 1, 2, 3, 4]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Token, TokenKind

STOPWORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his i if in into is it its "
    "my no not of on or our she so than that the their them then there these they this those to "
    "us was we were what when which who will with would you your".split()
)
"""Very common English words: they never seed an anchor and weigh little."""


@dataclass(frozen=True, slots=True)
class Weights:
    """How much matching a token is worth, by what it is.

    A rare word is the surest sign of a true correspondence, a common word
    much less so, punctuation least: the aligner maximizes the summed weight
    of what it matches, so one content word outweighs three commas.
    """

    punctuation: float = 0.3
    """Punctuation (and words that normalize to nothing): matched only where nothing better is."""
    common: float = 1.0
    """A word of `STOPWORDS`: frequent everywhere, so a weak sign of correspondence."""
    word: float = 3.0
    """Any other short word: three common words are worth one content word."""
    long_word: float = 4.0
    """A word of `long_word_length` letters or more, or a number: rarer still, and
    the keying errors that matter (1942/192) are in numbers."""
    long_word_length: int = 6
    """From how many characters a word counts as long (the 'length > 5' rule)."""


WEIGHTS = Weights()
"""The default weights."""

FUZZY_CUTOFF = 80.0
"""Least RapidFuzz ratio (0-100) for two different words to be a near match:
Easter/Eastern (92) and 192/1942 (86) pass, front/from (67) does not.  (The
variant classifier's typo threshold, `variants.TYPO_CUTOFF`, is a separate
setting that happens to share the value.)"""

NEAR_MATCH_FACTOR = 0.8
"""A near match is worth this share of an exact one (scaled by similarity), so
that an exact match elsewhere always wins over a near match here."""


class Vocabulary:
    """Normalized forms as integer ids, with their weight and whether they can seed an anchor.

    Built while encoding; one vocabulary serves every witness of a collation,
    so equal forms get equal ids across witnesses.

    >>> from collate.tokenize import tokenize
    >>> v = Vocabulary()
    >>> v.encode(tokenize("the Eastern front, 1942"))
    [0, 1, 2, 3, 4]
    >>> [v.weight[i] for i in range(5)], [v.content[i] for i in range(5)]
    ([1.0, 4.0, 3.0, 0.3, 4.0], [False, True, True, False, True])
    """

    def __init__(self, weights: Weights = WEIGHTS) -> None:
        self.weights = weights
        self.ids: dict[str, int] = {}
        self.text: list[str] = []
        self.weight: list[float] = []
        self.content: list[bool] = []
        self.common: list[bool] = []
        self.punct: list[bool] = []
        self.number: list[bool] = []

    def __len__(self) -> int:
        return len(self.text)

    def encode(self, tokens: Sequence[Token]) -> list[int]:
        ids = self.ids
        out: list[int] = []
        append = out.append
        word = TokenKind.WORD
        for tok in tokens:
            kind = tok.kind
            key = tok.n if kind is word else f"{tok.n}\x00{kind.value}"  # a str hashes fastest
            i = ids.get(key)
            if i is None:
                i = ids[key] = self._add(tok.n, kind)
            append(i)
        return out

    def _add(self, n: str, kind: TokenKind) -> int:
        w = self.weights
        punct = kind is TokenKind.PUNCTUATION or kind is TokenKind.SPACE or not n
        common = not punct and n.casefold() in STOPWORDS
        if punct:
            weight = w.punctuation
        elif common:
            weight = w.common
        elif len(n) >= w.long_word_length or kind is TokenKind.NUMBER:
            weight = w.long_word
        else:
            weight = w.word
        self.text.append(n.casefold())
        self.weight.append(weight)
        self.content.append(not punct and not common)
        self.common.append(common)
        self.punct.append(punct)
        self.number.append(kind is TokenKind.NUMBER)
        return len(self.text) - 1


def near_ratio(v: Vocabulary, x: int, y: int, cutoff: float = FUZZY_CUTOFF) -> float:
    """RapidFuzz ratio of forms ``x`` and ``y`` (case folded), or 0 below ``cutoff``
    or where near matching makes no sense (punctuation, words under three letters
    unless both are numbers)."""
    if v.punct[x] or v.punct[y]:
        return 0.0
    sx, sy = v.text[x], v.text[y]
    if min(len(sx), len(sy)) < 3 and not (v.number[x] and v.number[y]):
        return 0.0
    from rapidfuzz import fuzz  # imported on first use: `import collate` stays light

    return float(fuzz.ratio(sx, sy, score_cutoff=cutoff))
