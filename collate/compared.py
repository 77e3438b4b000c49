"""What a check compares: the stretches both texts have, and the lacunae left out.

Where either side is partial (a lost end or start, an editorial gap mark, a
stretch it does not cover: `collate.losses`), the other side's text there is
a lacuna: no error is reported in it, and CER/WER compare only the stretches
both sides have, each with its counterpart.
"""

from __future__ import annotations

from collections.abc import Sequence

from .checked import Lacuna, Span
from .losses import loss_runs, losses_of
from .model import Alignment, LostStretch, Token, Witness
from .variants import lost_columns


def compared_regions(
    alignment: Alignment, ref: Witness, wit: Witness
) -> tuple[tuple[tuple[Span, Span], ...], tuple[Lacuna, ...]]:
    """The stretches of both texts that are compared (reference span, witness
    span), and the lacunae left out: where either side's text is lost (a lost
    end or start, a gap mark, a stretch it does not cover), the other side's
    text there is not checked.  One code path for every kind of loss."""
    lost = lost_columns(alignment)
    rows = (alignment.row(0), alignment.row(1))
    texts = (ref.text, wit.text)
    losses = losses_of(alignment.witnesses, alignment.tokens, alignment.losses)
    ends = [_lost_ends(alignment.tokens[k], texts[k], losses[k]) for k in (0, 1)]
    width = len(alignment.columns)
    pieces: list[tuple[Span, Span]] = []
    c = 0
    while c < width:
        if c in lost[0] or c in lost[1]:
            c += 1
            continue
        last = c
        while last + 1 < width and last + 1 not in lost[0] and last + 1 not in lost[1]:
            last += 1
        spans = [_side_span(rows[k], texts[k], lost[k], c, last, ends[k]) for k in (0, 1)]
        pieces.append((spans[0], spans[1]))
        c = last + 1
    lacunae: list[Lacuna] = []
    for side, who in ((0, ref), (1, wit)):
        seen: set[tuple[int, int]] = set()
        for first, last, loss in loss_runs(rows[side], texts[side], losses[side]):
            other = [t for k in range(first, last + 1) if k not in lost[1 - side] for t in rows[1 - side][k] or () if not t.is_gap]
            if (first, last) in seen or not other:
                continue
            seen.add((first, last))
            here = _here(rows[side], first, last)
            there = (other[0].word_start, other[-1].word_end)
            lacunae.append(
                Lacuna(
                    lost_in=who.siglum,
                    reference_span=here if side == 0 else there,
                    witness_span=there if side == 0 else here,
                    note=_lacuna_note(who.siglum, loss, rows[side], first, last),
                )
            )
    lacunae.sort(key=lambda lac: (lac.reference_span, lac.witness_span))
    return tuple(pieces), tuple(lacunae)


def _words_in(row: Sequence[tuple[Token, ...] | None], first: int, last: int) -> list[Token]:
    return [t for c in range(max(first, 0), min(last, len(row) - 1) + 1) for t in row[c] or () if not t.is_gap]


def _lost_ends(tokens: Sequence[Token], text: str, losses: Sequence[LostStretch]) -> tuple[bool, bool]:
    """Whether a text's start and its end are lost (then it begins at its
    first word and ends at its last, outer whitespace aside)."""
    words = [t for t in tokens if not t.is_gap]
    if not words:
        return bool(losses), bool(losses)
    at = [loss.offset(text) for loss in losses]
    return any(x <= words[0].word_start for x in at), any(x >= words[-1].word_end for x in at)


def _side_span(
    row: Sequence[tuple[Token, ...] | None], text: str, lost: frozenset[int], first: int, last: int, ends: tuple[bool, bool]
) -> Span:
    """One side's part of a compared stretch: its words there, reaching the
    start (end) of its text when nothing of it stands before (after) and its
    start (end) is not lost."""
    toks = _words_in(row, first, last)
    before = ends[0] or bool(_words_in(row, 0, first - 1)) or any(c < first for c in lost)
    after = ends[1] or bool(_words_in(row, last + 1, len(row) - 1)) or any(c > last for c in lost)
    if toks:
        return (toks[0].word_start if before else 0, toks[-1].word_end if after else len(text))
    point = _here(row, first, last)[0]
    return (point if before else 0, point if after else len(text))


def _here(row: Sequence[tuple[Token, ...] | None], first: int, last: int) -> Span:
    """Where a run of columns stands in one side's text: its gap marks there,
    or the end of its word before (the start of its word after)."""
    gaps = [t for c in range(first, last + 1) for t in row[c] or () if t.is_gap]
    if gaps:
        return gaps[0].word_start, gaps[-1].word_end
    prev = _words_in(row, 0, first - 1)
    if prev:
        return prev[-1].word_end, prev[-1].word_end
    nxt = _words_in(row, last + 1, len(row) - 1)
    return (nxt[0].word_start, nxt[0].word_start) if nxt else (0, 0)


def _lacuna_note(siglum: str, loss: LostStretch, row: Sequence[tuple[Token, ...] | None], first: int, last: int) -> str:
    after = f" after \u201c{loss.after}\u201d" if loss.after else ""
    if loss.mark:
        return f"{siglum} marks a gap here (\u201c{loss.mark}\u201d)"
    if not _words_in(row, last + 1, len(row) - 1):
        return f"{siglum} breaks off{after}"
    if not _words_in(row, 0, first - 1):
        return f"the beginning of {siglum} is lost"
    return f"text lost in {siglum}{after}"
