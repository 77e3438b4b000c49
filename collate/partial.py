"""Partial witnesses in a collation, and what the commands say about them.

A witness is partial (`mode_of`) when it states losses in its TOML, carries
editorial gap marks, is declared a fragment, or has clearly fewer words than
the others (`collate.align.PARTIAL_SHARE`).  `plan` tells the aligner which
witnesses are partial and places each against the spine
(`collate.coverage.place`); the alignment then carries every witness's
losses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .align import PARTIAL_SHARE, Pair, _pivot
from .coverage import Mode, place
from .losses import declared_losses
from .model import LostStretch, Token, TokenKind, Witness

_WORDS = (TokenKind.WORD, TokenKind.NUMBER)


def mode_of(
    witness: Witness, tokens: Sequence[Token], others_words: Sequence[int], *, partial_share: float | None = PARTIAL_SHARE
) -> Mode:
    """How ``witness`` is aligned, given the word counts of the other witnesses.

    >>> from collate.tokenize import tokenize
    >>> w = Witness("x", "the Eastern front")
    >>> [mode_of(w, tokenize(w.text), [3]).value, mode_of(w, tokenize(w.text), [40]).value]
    ['whole', 'found']
    >>> mode_of(w, tokenize(w.text), [40], partial_share=None).value
    'whole'
    """
    if witness.meta.lost:
        return Mode.STATED
    words = sum(t.kind in _WORDS for t in tokens)
    median = sorted(others_words)[len(others_words) // 2] if others_words else 0
    short = partial_share is not None and words < partial_share * median
    if witness.meta.is_fragment or short:
        return Mode.FOUND
    return Mode.STATED if any(t.is_gap for t in tokens) else Mode.WHOLE


@dataclass(frozen=True, slots=True)
class Plan:
    """What `collate.align.align` needs to align partial witnesses: which are
    partial (never the spine while a whole one is there), the pairs of each
    placed witness with the spine, and every witness's losses in effect."""

    partial: tuple[bool, ...]
    pairs: tuple[tuple[Pair, ...] | None, ...]
    losses: tuple[tuple[LostStretch, ...], ...]


def plan(
    witnesses: Sequence[Witness],
    tokens: Sequence[Sequence[Token]],
    *,
    place_text: bool = True,
    partial_share: float | None = PARTIAL_SHARE,
) -> Plan:
    """Decide which witnesses are partial (see `mode_of`) and place each against the spine.

    With ``place_text=False`` (another engine aligns), only the stated and
    marked losses are gathered.

    >>> from collate.tokenize import tokenize
    >>> ws = [Witness("a", "the Soviet forces held the Eastern front."), Witness("b", "the Eastern front.")]
    >>> p = plan(ws, [tokenize(w.text) for w in ws])
    >>> p.partial, [[loss.at for loss in ls] for ls in p.losses]
    ((False, True), [[], [<Lost.START: 'start'>]])
    """
    words = [sum(t.kind in _WORDS for t in toks) for toks in tokens]
    modes = [
        mode_of(w, toks, [n for k, n in enumerate(words) if k != i], partial_share=partial_share)
        for i, (w, toks) in enumerate(zip(witnesses, tokens))
    ]
    partial = tuple(m is not Mode.WHOLE for m in modes)
    losses = [declared_losses(w, toks) for w, toks in zip(witnesses, tokens)]
    pairs: list[tuple[Pair, ...] | None] = [None] * len(witnesses)
    if place_text and len(witnesses) > 1 and any(partial):
        order = sorted(range(len(witnesses)), key=lambda w: witnesses[w].siglum)
        pivot = _pivot(tokens, order, partial)
        for w, mode in enumerate(modes):
            if w != pivot and mode is not Mode.WHOLE:
                placed = place(tokens[pivot], witnesses[w], tokens[w], mode=mode, reference=witnesses[pivot])
                pairs[w], losses[w] = placed.pairs, placed.losses
    return Plan(partial, tuple(pairs), tuple(losses))
