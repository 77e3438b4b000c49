"""Losses: where a witness's text is lost, and which columns that leaves empty.

A witness's lost text is any set of lacunae (`collate.model.LostStretch`),
each at an insertion point of its text: before its first word, after its
last, or anywhere inside.  They are *stated* in its TOML, *marked* by
editorial gap marks in its text (`collate.tokenize.GAP_MARKS`), or *found*
by `collate.coverage`.  In an alignment, a loss leaves the witness without
text in every column between the words around it (`loss_runs`): one rule for
a lost start, a lost end, a gap mark and a stretch found uncovered.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from .errors import CollateError
from .model import Cell, Lost, LossOrigin, LostStretch, Token, TokenKind, Witness
from .metadata import check_losses

_WORDS = (TokenKind.WORD, TokenKind.NUMBER)


def declared_losses(witness: Witness, tokens: Sequence[Token]) -> tuple[LostStretch, ...]:
    """The losses a witness states in its TOML and marks in its text, in text order.

    A fragment that states none has lost its end (until its losses are found).
    Bad input is a one-line `CollateError`: a loss that cannot be placed in
    the text, or gap marks with no words beside them.

    >>> from collate.tokenize import tokenize
    >>> w = Witness("x", "front <...> in 1942")
    >>> [(loss.at, loss.origin.value, loss.mark) for loss in declared_losses(w, tokenize(w.text))]
    [(6, 'marked', '<...>')]
    """
    if any(t.is_gap for t in tokens) and not any(t.kind in _WORDS for t in tokens):
        raise CollateError("the witness holds gap marks and no words: nothing to collate", path=witness.path or witness.siglum)
    check_losses(witness.meta, witness.text, witness.path or witness.siglum)
    stated = list(witness.meta.lost)
    if witness.meta.is_fragment and not stated:
        stated.append(LostStretch(Lost.END, note="a fragment's end, taken as lost"))
    marked = [LostStretch(t.word_start, origin=LossOrigin.MARKED, mark=t.word) for t in tokens if t.is_gap]
    return tuple(sorted(stated + marked, key=lambda loss: loss.offset(witness.text)))


def loss_runs(row: Sequence[Cell], text: str, losses: Sequence[LostStretch]) -> list[tuple[int, int, LostStretch]]:
    """For each loss, the columns ``first..last`` it leaves without the
    witness's text: every column between its neighbouring words (gap marks
    aside).  A loss whose neighbours stand in touching columns has none.

    >>> from collate.tokenize import tokenize
    >>> a, b = tokenize("one two three four"), tokenize("one ... four")
    >>> row = [(b[0],), None, (b[1],), (b[2],)]
    >>> [(f, l, loss.mark) for f, l, loss in loss_runs(row, "one ... four", [LostStretch(4, mark="...")])]
    [(1, 2, '...')]
    """
    if not losses:  # a complete witness: nothing to place (and no pass over its row)
        return []
    cols = [(c, tok) for c, cell in enumerate(row) if cell for tok in cell if not tok.is_gap]
    starts = [tok.word_start for _, tok in cols]
    runs: list[tuple[int, int, LostStretch]] = []
    for loss in losses:
        k = bisect_left(starts, loss.offset(text))
        first = cols[k - 1][0] + 1 if k > 0 else 0
        last = cols[k][0] - 1 if k < len(cols) else len(row) - 1
        if first <= last:
            runs.append((first, last, loss))
    return runs


def losses_of(
    witnesses: Sequence[Witness], tokens: Sequence[Sequence[Token]], losses: Sequence[Sequence[LostStretch]]
) -> tuple[tuple[LostStretch, ...], ...]:
    """The losses in effect: an alignment's own (``losses``), or, for one
    built by hand, those its witnesses state and mark.

    >>> from collate.tokenize import tokenize
    >>> ws = [Witness("a", "one two"), Witness("b", "one [...]")]
    >>> [[loss.mark for loss in ls] for ls in losses_of(ws, [tokenize(w.text) for w in ws], ())]
    [[], ['[...]']]
    """
    if losses:
        return tuple(tuple(ls) for ls in losses)
    return tuple(declared_losses(w, toks) for w, toks in zip(witnesses, tokens))


def _span(ref: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
    return (ref[start].word_start, ref[end - 1].word_end) if end > start else None


def _quote(text: str, offset: int, words: int = 6) -> str:
    """The last few words before ``offset``: a loss's ``after``, for a reader."""
    return " ".join(text[:offset].split()[-words:])


def placed_losses(
    ref: Sequence[Token],
    witness: Witness,
    wit: Sequence[Token],
    found: Sequence[tuple[int, int, int, int]],
    declared: Sequence[LostStretch],
    bounds: Sequence[int],
    *,
    find: bool,
    reference: Witness | None,
) -> tuple[LostStretch, ...]:
    """Every loss in effect once a witness is placed in ``ref`` in ``found``
    blocks (a, b, c, d: its tokens ``wit[a:b]`` stand for ``ref[c:d]``):
    those ``declared`` (at token boundaries ``bounds``), each with the
    reference stretch it stands for, and, if ``find``, those found: a lost
    start, end, or unmarked skip between blocks."""
    name = reference.siglum if reference is not None else ""
    if not found:
        return tuple(declared)
    # the reference stretch each gap between blocks leaves uncovered: gap g lies before block g
    gaps = [(0, found[0][2])] + [(found[g - 1][3], found[g][2]) for g in range(1, len(found))] + [(found[-1][3], len(ref))]
    edges = [blk[0] for blk in found] + [len(wit)]

    def gap_of(bound: int) -> int:
        return next((g for g, edge in enumerate(edges) if bound <= edge), len(found))

    out: list[LostStretch] = []
    taken: set[int] = set()
    for loss, bound in zip(declared, bounds):
        g = gap_of(bound)
        taken.add(g)
        out.append(replace(loss, reference=name, stands_for=_span(ref, *gaps[g])))
    if find:
        for g, (start, end) in enumerate(gaps):
            if g in taken or end <= start:
                continue
            if g == 0:
                at: int | Lost = Lost.START
            elif g == len(found):
                at = Lost.END
            else:
                at = wit[found[g][0] - 1].word_end
            offset = len(witness.text) if at is Lost.END else 0 if at is Lost.START else int(at)
            out.append(
                LostStretch(at, after=_quote(witness.text, offset) if g else "", origin=LossOrigin.FOUND,
                            reference=name, stands_for=_span(ref, start, end))
            )
    return tuple(sorted(out, key=lambda loss: loss.offset(witness.text)))
