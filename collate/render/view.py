"""The variant report's view model: what the page shows, as plain values.

`build_view` does all the thinking the page needs: it cuts the alignment into
rows (`collate.render.rows`), groups the readings of each location into a
critical apparatus entry, counts what differs per witness and class, and lays
out the overview strip and the similarity heat map.  The template and the
script only lay out those values: Python never assembles markup and the
template never parses strings.

**The base.**  With ``base="frus"`` every reading is classed against frus's
reading.  Without a base each location is classed against its best-attested
reading (as `collate.variants.find_variants` chooses it; the location records
which witness served), and the report says so.  The view takes the base from
the `Variants` it is given, so it can never disagree with the classes.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import CLASS_ORDER, Location, Reading, Token, TokenKind, Transposition, VariantClass, Variants, Witness
from ..metadata import meta_to_dict
from ..variants import class_counts, pairwise_similarity
from .rows import DiffPart, Segment, build_rows, char_diff

OVERVIEW_BINS = 200
"""Most marks in the overview strip; nearby locations share a mark."""

BEST_ATTESTED = (
    "the best-attested reading at each place (the reading most surviving witnesses share;"
    " ties go to a non-empty reading, then to the first siglum)"
)


@dataclass(frozen=True, slots=True)
class RowView:
    """Columns first..last of the alignment, one tuple of segments per witness (`collate.render.rows`)."""

    index: int
    first: int
    last: int
    paragraph_end: bool
    cells: tuple[tuple[Segment, ...], ...]


@dataclass(frozen=True, slots=True)
class ApparatusReading:
    """One reading of an apparatus entry and the witnesses that have it
    (``cls`` None for the lemma)."""

    text: str
    sigla: tuple[str, ...]
    cls: VariantClass | None
    similarity: float | None = None
    diff: tuple[DiffPart, ...] = ()


@dataclass(frozen=True, slots=True)
class LocationView:
    """A variant location: its lemma (the base reading, with its witnesses) and the other readings."""

    id: int
    row: int
    first: int
    last: int
    base: str
    lemma: ApparatusReading
    readings: tuple[ApparatusReading, ...]
    classes: tuple[VariantClass, ...]

    @property
    def main_class(self) -> VariantClass | None:
        """The weightiest class here: the colour of its mark."""
        return self.classes[0] if self.classes else None


@dataclass(frozen=True, slots=True)
class WitnessView:
    """A witness's provenance and its counts (one per class, in `CLASS_ORDER`)."""

    index: int
    siglum: str
    meta: tuple[tuple[str, str], ...]
    title: str
    fragment: bool
    tokens: int
    words: int
    locations: int
    counts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class OverviewMark:
    """A mark in the overview strip: ``left``/``width`` in percent of the text."""

    left: float
    width: float
    height: float
    count: int
    cls: VariantClass
    loc: int
    row: int
    title: str


@dataclass(frozen=True, slots=True)
class HeatCell:
    """One cell of the similarity heat map: ``shade`` (0..1) spreads the
    matrix's own range over the colour scale, so 89 % and 95 % look different."""

    a: str
    b: str
    value: float | None
    shade: float


@dataclass(frozen=True, slots=True)
class ReportView:
    """Everything the report shows, as plain values."""

    title: str
    sigla: tuple[str, ...]
    base: str | None
    base_rule: str
    normalization: str
    engine: str
    columns: int
    classes: tuple[VariantClass, ...]
    witnesses: tuple[WitnessView, ...]
    rows: tuple[RowView, ...]
    locations: tuple[LocationView, ...]
    transpositions: tuple[Transposition, ...]
    heat: tuple[tuple[HeatCell, ...], ...]
    heat_range: tuple[float, float]
    overview: tuple[OverviewMark, ...]


def build_view(variants: Variants, *, title: str | None = None) -> ReportView:
    """The report's view model of an alignment's classed variant locations.

    >>> from collate.model import Alignment, Witness
    >>> from collate.tokenize import tokenize
    >>> a, b = Witness("A", "the Eastern front"), Witness("B", "the Easter front")
    >>> ta, tb = tokenize(a.text), tokenize(b.text)
    >>> al = Alignment((a, b), (ta, tb), ((ta[0:1], tb[0:1]), (ta[1:2], tb[1:2]), (ta[2:3], tb[2:3])))
    >>> loc = Location(1, 1, "A", ta[1:2], (Reading("A", ta[1:2], None), Reading("B", tb[1:2], VariantClass.TYPO, 0.92)))
    >>> view = build_view(Variants(al, "A", (loc,)))
    >>> [(s.text + s.ws, s.cls) for s in view.rows[0].cells[1]]
    [('the ', None), ('Easter ', <VariantClass.TYPO: 'typo'>), ('front', None)]
    >>> [(p.text, p.op.value) for p in view.rows[0].cells[1][1].diff]
    [('Easter', 'equal'), ('n', 'missing')]
    >>> view.locations[0].lemma.text, view.locations[0].readings[0].cls.abbr
    ('Eastern', 'typo')
    """
    alignment, base = variants.alignment, variants.base
    sigla = alignment.sigla
    n_cols = len(alignment.columns)
    locs = sorted(variants.locations, key=lambda loc: (loc.first, loc.last))
    rows = tuple(
        RowView(index=r, first=first, last=last, paragraph_end=para, cells=cells)
        for r, (first, last, para, cells) in enumerate(build_rows(alignment, locs, base))
    )
    row_starts = [row.first for row in rows]
    loc_views = tuple(
        _location_view(i, loc, max(0, bisect_right(row_starts, loc.first) - 1), sigla) for i, loc in enumerate(locs)
    )
    heat, heat_range = _heat(sigla, pairwise_similarity(alignment))
    counts = class_counts(variants)
    return ReportView(
        title=title or f"Collation of {len(sigla)} witnesses: {', '.join(sigla)}",
        sigla=sigla,
        base=base,
        base_rule=base_rule(variants.base_order),
        normalization=str(alignment.normalization),
        engine=str(alignment.engine),
        columns=n_cols,
        classes=CLASS_ORDER,
        witnesses=tuple(_witness_view(w, alignment.witnesses[w], alignment.tokens[w], counts[w]) for w in range(len(sigla))),
        rows=rows,
        locations=loc_views,
        transpositions=alignment.transpositions,
        heat=heat,
        heat_range=heat_range,
        overview=_overview(loc_views, n_cols),
    )


def base_rule(order: tuple[str, ...]) -> str:
    """What served as the base, in words: the base order of `Variants`, or the best-attested rule.

    >>> base_rule(("frus", "web", "corr1957"))
    'the witness frus (where its text is lost, web, then corr1957)'
    >>> base_rule(())[:34]
    'the best-attested reading at each '
    """
    if not order:
        return BEST_ATTESTED
    if len(order) == 1:
        return f"the witness {order[0]}"
    return f"the witness {order[0]} (where its text is lost, {', then '.join(order[1:])})"


def _location_view(i: int, loc: Location, row: int, sigla: Sequence[str]) -> LocationView:
    groups: dict[tuple[str, VariantClass], list[Reading]] = {}
    lemma_sigla: list[str] = []
    order = {s: k for k, s in enumerate(sigla)}
    for reading in sorted(loc.readings, key=lambda r: order.get(r.siglum, len(order))):
        if reading.cls is None:
            lemma_sigla.append(reading.siglum)
            continue
        groups.setdefault((reading.text, reading.cls), []).append(reading)
    if loc.base not in lemma_sigla:
        lemma_sigla.insert(0, loc.base)
    readings = []
    for (text, cls), members in groups.items():
        sims = [r.similarity for r in members if r.similarity is not None]
        readings.append(
            ApparatusReading(
                text=text,
                sigla=tuple(r.siglum for r in members),
                cls=cls,
                similarity=min(sims) if sims else None,
                diff=char_diff(loc.base_text, text) if cls is VariantClass.TYPO else (),
            )
        )
    present = {r.cls for r in readings if r.cls}
    return LocationView(
        id=i,
        row=row,
        first=loc.first,
        last=loc.last,
        base=loc.base,
        lemma=ApparatusReading(text=loc.base_text, sigla=tuple(lemma_sigla), cls=None),
        readings=tuple(readings),
        classes=tuple(c for c in CLASS_ORDER if c in present),
    )


def _witness_view(w: int, wit: Witness, toks: Sequence[Token], counts: Counter[VariantClass]) -> WitnessView:
    meta = meta_to_dict(wit.meta)
    shown = tuple((k, v if isinstance(v, str) else ", ".join(map(str, v)) if isinstance(v, list) else str(v)) for k, v in meta.items())
    return WitnessView(
        index=w,
        siglum=wit.siglum,
        meta=shown,
        title=wit.meta.title,
        fragment=wit.meta.is_fragment,
        tokens=len(toks),
        words=sum(t.kind in (TokenKind.WORD, TokenKind.NUMBER) for t in toks),
        locations=sum(counts.values()),
        counts=tuple(counts[c] for c in CLASS_ORDER),
    )


def _overview(locs: Sequence[LocationView], n_cols: int) -> tuple[OverviewMark, ...]:
    if not locs or not n_cols:
        return ()
    bins = min(OVERVIEW_BINS, n_cols)
    grouped: dict[int, list[LocationView]] = {}
    for loc in locs:
        if loc.main_class in (None, VariantClass.LACUNA):
            continue
        grouped.setdefault(loc.first * bins // n_cols, []).append(loc)
    if not grouped:
        return ()
    most = max(len(g) for g in grouped.values())
    marks = []
    for b, group in sorted(grouped.items()):
        tally = Counter(loc.main_class for loc in group)
        main = next(c for c in CLASS_ORDER if c in tally)
        summary = ", ".join(f"{tally[c]} {c.abbr}" for c in CLASS_ORDER if c in tally)
        marks.append(
            OverviewMark(
                left=round(100 * b / bins, 3),
                width=round(100 / bins, 3),
                height=round(30 + 70 * len(group) / most, 1),
                count=len(group),
                cls=main,
                loc=group[0].id,
                row=group[0].row,
                title=f"row {group[0].row + 1}: {len(group)} variant location{'s' if len(group) > 1 else ''} ({summary})",
            )
        )
    return tuple(marks)


def _heat(
    sigla: Sequence[str], matrix: Sequence[Sequence[float | None]]
) -> tuple[tuple[tuple[HeatCell, ...], ...], tuple[float, float]]:
    values = [x for i, row in enumerate(matrix) for j, x in enumerate(row) if i != j and x is not None]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    span = hi - lo

    def shade(x: float | None) -> float:
        if x is None:
            return 0.0
        return round(0.15 + 0.85 * (x - lo) / span, 3) if span > 1e-9 else 0.6

    cells = tuple(tuple(HeatCell(a, sigla[j], x, shade(x)) for j, x in enumerate(row)) for a, row in zip(sigla, matrix))
    return cells, (lo, hi)
