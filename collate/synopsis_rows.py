"""Rows of a synopsis: the base family's columns cut at the passage base's sentences,
other families attached through their pilots (`collate.synopsis` says what for).

- The base family's columns are cut where the passage base's sentences end
  (`collate.places.row_cuts`): one row per sentence, named after it.
- Every other family has a *pilot* order (its base first, then the witnesses
  `collate.places.row_order` prefers); the pilot of a column is the first of
  them whose text is not lost there.  The pilots' sentences are aligned with
  the passage base's (`collate.passages.align_passages`); a base passage goes
  to the row holding the passage base's text where it starts, a passage the
  passage base lacks becomes a row of its own after the one it follows.
- Each column of another family goes to the row of the passage its pilot's
  word there belongs to (a column without one, with the column before it),
  never backwards: a family's columns in a row are one unbroken run.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .losses import losses_of
from .model import Alignment, LossOrigin, Lost, Span, TokenKind, Variants, Witness
from .places import RowCut, row_cuts, row_order
from .variants import lost_columns

if TYPE_CHECKING:
    from .passages import PassageAlignment

_WORDS = (TokenKind.WORD, TokenKind.NUMBER)

PARTIAL_SHARE = 0.5
"""A pilot with fewer words than this share of the passage base's may start and end
anywhere in it, when its own losses are not known (as `collate.align.PARTIAL_SHARE`)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the synopsis: a passage.  ``added_by`` names the family whose text
    it is, when the passage base has no sentence there; ``aliases`` are the ids of
    other sentences of the passage base that the row holds."""

    id: str
    paragraph_end: bool = False
    aliases: tuple[str, ...] = ()
    added_by: str = ""


def passage_rows(
    variants: Sequence[Variants], names: Sequence[str], pbase: str
) -> tuple[tuple[Row, ...], list[tuple[Span, ...]]]:
    """The rows of families' ``variants`` (the base family's first; ``names``: each
    family's name as it goes into an added passage's id), and each family's run of
    columns in each row; ``pbase`` is the passage base (see the module docstring).

    >>> from collate.align import align
    >>> from collate.model import Witness, WitnessMeta
    >>> from collate.variants import find_variants
    >>> one = find_variants(align([Witness("A", "The war goes on. We need a front.")]), base="A")
    >>> two = find_variants(align([Witness("C", "Fighting goes on. A front, needed. Soon.", WitnessMeta(family="two"))]), base="C")
    >>> rows, ranges = passage_rows([one, two], ["one", "two"], "A")
    >>> [row.id for row in rows], ranges
    (['p1.1', 'p1.2', 'p1.2+two'], [((0, 4), (5, 9), (10, 9)), ((0, 3), (4, 8), (9, 10))])
    """
    al0 = variants[0].alignment
    order = row_order(al0, tuple(dict.fromkeys([pbase, *variants[0].base_order])))
    cuts = row_cuts(al0, order)
    base_rows = [Row(c.id, c.paragraph_end, c.aliases) for c in cuts]
    if len(variants) == 1:
        return tuple(base_rows), [tuple((c.first, c.last) for c in cuts)]
    pilots = [_pilots(v.alignment, row_order(v.alignment, v.base_order)) for v in variants[1:]]
    pa = _passages(variants, names, pbase, pilots)
    rows, cut_row, passage_row = _merge(base_rows, _cut_extents(al0, al0.sigla.index(pbase), cuts), pa)
    per_column = [cut_row[k] for k, c in enumerate(cuts) for _ in range(c.first, c.last + 1)]
    ranges = [_ranges(per_column, len(rows))]
    for v, (order_f, needed) in zip(variants[1:], pilots):
        spans = {
            v.alignment.sigla[m]: sorted((span, passage_row[p.id]) for p in pa.passages if (span := p.span(v.alignment.sigla[m])))
            for m in needed
        }
        ranges.append(_ranges(_attach(v.alignment, order_f, spans), len(rows)))
    return rows, ranges


def _pilots(al: Alignment, order: Sequence[int]) -> tuple[tuple[int, ...], frozenset[int]]:
    """A family's pilot order, and the witnesses that pilot some column: in each
    column the first, in that order, whose text is not lost there."""
    lost = lost_columns(al)
    needed = {_pilot(order, lost, c) for c in range(len(al.columns))}
    return tuple(order), frozenset(needed or {order[0]})


def _pilot(order: Sequence[int], lost: Sequence[frozenset[int]], c: int) -> int:
    return next((m for m in order if c not in lost[m]), order[0])


def _passages(
    variants: Sequence[Variants], names: Sequence[str], pbase: str, pilots: Sequence[tuple[tuple[int, ...], frozenset[int]]]
) -> PassageAlignment:
    """The pilots' sentences aligned with the passage base's (`collate.passages`), each
    pilot named by its family, its lost ends those its collation found."""
    from .passages import align_passages

    ws: list[Witness] = []
    lost: dict[str, tuple[Lost, ...]] = {}
    al0 = variants[0].alignment
    b = al0.sigla.index(pbase)
    base_words = sum(t.kind in _WORDS for t in al0.tokens[b])

    def add(al: Alignment, w: int, family: str) -> None:
        wit = al.witnesses[w]
        ws.append(replace(wit, meta=replace(wit.meta, family=family)))
        lost[wit.siglum] = open_ends(al, w, base_words)

    add(al0, b, names[0])
    for v, name, (order, needed) in zip(variants[1:], names[1:], pilots):
        for m in order:
            if m in needed:
                add(v.alignment, m, name)
    return align_passages(ws, base=pbase, lost=lost)


def open_ends(al: Alignment, w: int, reference_words: int) -> tuple[Lost, ...]:
    """Which ends of witness ``w``'s text are lost: those its losses say (stated, found,
    marked); but a partial witness (a fragment, or with fewer words than `PARTIAL_SHARE`
    of the reference's) whose losses are neither stated nor found, because it is alone
    in its family, may start and end anywhere.

    >>> from collate.align import align
    >>> from collate.model import Completeness, Witness, WitnessMeta
    >>> quote = Witness("q", "a second front", WitnessMeta(completeness=Completeness.FRAGMENT))
    >>> open_ends(align([quote]), 0, 400), open_ends(align([Witness("w", "a second front")]), 0, 3)
    ((<Lost.START: 'start'>, <Lost.END: 'end'>), ())
    """
    from .passages import lost_ends

    wit = al.witnesses[w]
    losses = losses_of(al.witnesses, al.tokens, al.losses)[w]
    partial = wit.meta.is_fragment or sum(t.kind in _WORDS for t in al.tokens[w]) < PARTIAL_SHARE * reference_words
    known = bool(wit.meta.lost) or any(loss.origin is LossOrigin.FOUND for loss in losses)
    return lost_ends(losses) if known or not partial else (Lost.START, Lost.END)


def _cut_extents(al: Alignment, b: int, cuts: Sequence[RowCut]) -> list[Span | None]:
    """The stretch of the passage base's text in each cut, or None."""
    out: list[Span | None] = []
    for c in cuts:
        toks = [t for col in al.columns[c.first : c.last + 1] for t in (col[b] or ()) if not t.is_gap]
        out.append((toks[0].word_start, toks[-1].word_end) if toks else None)
    return out


def _merge(
    base_rows: Sequence[Row], extents: Sequence[Span | None], pa: PassageAlignment
) -> tuple[tuple[Row, ...], list[int], dict[str, int]]:
    """The base family's rows with the passages other families add inserted after the
    row of the base passage they follow; the row of each cut and of each passage."""
    starts = [(e[0], e[1], k) for k, e in enumerate(extents) if e is not None]

    def cut_of(span: Span | None) -> int:
        """The cut holding the start of a base passage (the passage base's text in both)."""
        if span is None or not starts:
            return 0
        i = max(0, bisect_right([a for a, _, _ in starts], span[0]) - 1)
        while i + 1 < len(starts) and starts[i][1] <= span[0]:
            i += 1
        return starts[i][2]

    inserted: dict[int, list[Row]] = {}
    cut_of_passage: dict[str, int] = {}
    after = -1
    for p in pa.passages:
        if p.added_by:
            inserted.setdefault(after, []).append(Row(p.id, added_by=p.added_by))
        else:
            cut_of_passage[p.id] = cut_of(p.span(pa.base))
            after = max(after, cut_of_passage[p.id])
    rows: list[Row] = []
    cut_row: list[int] = []
    passage_row: dict[str, int] = {}
    for k in range(-1, len(base_rows)):
        if k >= 0:
            cut_row.append(len(rows))
            rows.append(base_rows[k])
        for row in inserted.get(k, ()):
            passage_row[row.id] = len(rows)
            rows.append(row)
    passage_row.update({pid: cut_row[k] for pid, k in cut_of_passage.items()})
    return tuple(rows), cut_row, passage_row


def _attach(al: Alignment, order: Sequence[int], spans: dict[str, list[tuple[Span, int]]]) -> list[int]:
    """The row of each column of another family: the row of the passage its pilot's word
    there belongs to; a column without one goes with the column before it (the first
    ones with the first that has one).  Never backwards: a family reads on row by row."""
    lost = lost_columns(al)
    starts = {s: [span[0] for span, _ in v] for s, v in spans.items()}
    out: list[int | None] = []
    current: int | None = None
    for c, col in enumerate(al.columns):
        m = _pilot(order, lost, c)
        siglum = al.sigla[m]
        tok = next((t for t in col[m] or () if not t.is_gap), None)
        if tok is not None and spans.get(siglum):
            i = max(0, bisect_right(starts[siglum], tok.word_start) - 1)
            row = spans[siglum][i][1]
            current = row if current is None else max(current, row)
        out.append(current)
    first = next((r for r in out if r is not None), 0)
    return [first if r is None else r for r in out]


def _ranges(per_column: Sequence[int], n_rows: int) -> tuple[Span, ...]:
    """Each row's run of columns, from the (never decreasing) row of each column.

    >>> _ranges([0, 0, 2, 2, 2], 4)
    ((0, 1), (2, 1), (2, 4), (5, 4))
    """
    out: list[Span] = []
    c = 0
    for r in range(n_rows):
        first = c
        while c < len(per_column) and per_column[c] == r:
            c += 1
        out.append((first, c - 1))
    return tuple(out)
