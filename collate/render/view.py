"""The variant report's view model: what the page shows, as plain values.

`build_view` does all the thinking the page needs: it cuts the alignment into
rows, one per sentence of the base, each with a citable id
(`collate.render.places`), fills them (`collate.render.rows`), groups the
readings of each location into a critical apparatus entry, counts what
differs per witness and class, lays out the overview strip and the
similarity heat map, and says what the page must warn about (witnesses
modified since they were stored).  The template and the script only lay out
those values: Python never assembles markup and the template never parses
strings.

The rows come in chunks of `CHUNK_ROWS`: the page holds every row and every
apparatus entry, and its script pages through them by showing a few chunks
at a time.

**The base.**  With ``base="frus"`` every reading is classed against frus's
reading.  Without a base each location is classed against its best-attested
reading (as `collate.variants.find_variants` chooses it; the location records
which witness served), and the report says so.  The view takes the base from
the `Variants` it is given, so it can never disagree with the classes.
"""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import CLASS_ORDER, Location, Reading, Token, TokenKind, Transposition, VariantClass, Variants, Witness
from ..metadata import meta_to_dict
from ..variants import class_counts, pairwise_similarity
from .places import SentenceSource, row_cuts, row_order, sentences
from .rows import DiffPart, Segment, build_rows, char_diff

OVERVIEW_BINS = 200
"""Most marks in the overview strip; nearby locations share a mark."""

CHUNK_ROWS = 20
"""Rows per chunk: the page shows whole chunks (page sizes are multiples of it)."""

COLUMN_REM = 10.0
"""Narrowest a witness's column may be (in rem) before the synoptic table is
stacked, one witness under another: narrower columns would break words."""

TRANSPOSITIONS_LISTED = 200
"""Most transpositions the page lists in full (the apparatus marks every one as
``tr.``, and ``collation.json`` lists them all); a book can have thousands."""

HEAT_RGB = (0x00, 0x5A, 0x8C)
"""The heat map's full colour (a darker Okabe-Ito blue, so white numbers on it read at 4.5:1)."""

BEST_ATTESTED = (
    "the best-attested reading at each place (the reading most surviving witnesses share;"
    " ties go to a non-empty reading, then to the first siglum)"
)


@dataclass(frozen=True, slots=True)
class RowView:
    """Columns first..last of the alignment, one tuple of segments per witness
    (`collate.render.rows`); ``id`` is its citable id (``p7.2``) and
    ``aliases`` the ids of other base sentences it holds."""

    index: int
    id: str
    first: int
    last: int
    paragraph_end: bool
    cells: tuple[tuple[Segment, ...], ...]
    aliases: tuple[str, ...] = ()


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
    passage: str
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
    """A witness's provenance and its counts (one per class, in `CLASS_ORDER`).

    ``sha256`` is the checksum of the text this report used; ``recorded`` the
    one its metadata holds (empty if none); ``modified`` whether the caller
    found the stored text changed since it was stored.
    """

    index: int
    siglum: str
    meta: tuple[tuple[str, str], ...]
    title: str
    fragment: bool
    tokens: int
    words: int
    locations: int
    counts: tuple[int, ...]
    sha256: str = ""
    recorded: str = ""
    modified: bool = False


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
    passage: str
    title: str


@dataclass(frozen=True, slots=True)
class HeatCell:
    """One cell of the similarity heat map: ``shade`` (0..1) spreads the
    matrix's own range over the colour scale, so 89 % and 95 % look different."""

    a: str
    b: str
    value: float | None
    shade: float
    dark: bool = False  # white numbers read better on it


@dataclass(frozen=True, slots=True)
class ChunkView:
    """`CHUNK_ROWS` consecutive rows and the apparatus entries of the locations that begin in them."""

    index: int
    rows: tuple[RowView, ...]
    locations: tuple[LocationView, ...]


@dataclass(frozen=True, slots=True)
class ReportView:
    """Everything the report shows, as plain values.

    ``default_title`` is True when the title is the generated one (which
    names the witnesses, so the page rewrites it when some are hidden);
    ``generated`` (a date) and ``version`` (of collate) go into the
    citation; ``modified`` names the witnesses whose stored text changed
    since it was stored, for the page's warning; ``stack_below`` is the width
    (rem) under which the synoptic table stacks its witnesses;
    ``inline_sigla`` is True when no siglum holds a space or anything that
    could reorder text (`bidi_inert`), so the apparatus may print a group of
    sigla as one isolate instead of one per siglum.
    """

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
    transpositions: tuple[Transposition, ...]  # the first `TRANSPOSITIONS_LISTED`
    heat: tuple[tuple[HeatCell, ...], ...]
    heat_range: tuple[float, float]
    overview: tuple[OverviewMark, ...]
    chunks: tuple[ChunkView, ...] = ()
    default_title: bool = True
    generated: str = ""
    version: str = ""
    modified: tuple[str, ...] = ()
    stack_below: float = 0.0
    inline_sigla: bool = False
    transposition_count: int = 0


def build_view(
    variants: Variants,
    *,
    title: str | None = None,
    modified: frozenset[str] = frozenset(),
    sentences_of: SentenceSource = sentences,
    generated: datetime.date | None = None,
) -> ReportView:
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
    >>> view.rows[0].id, view.locations[0].passage
    ('p1.1', 'p1.1')

    ``modified`` names witnesses whose stored text changed since it was
    stored (the caller checks; `collate.store.verify_store`): the page warns
    about them.  ``sentences_of`` cuts the base into citable sentences
    (`collate.render.places`).  ``generated`` is the date the citation gives
    (today by default).
    """
    from .. import __version__

    alignment, base = variants.alignment, variants.base
    sigla = alignment.sigla
    n_cols = len(alignment.columns)
    locs = sorted(variants.locations, key=lambda loc: (loc.first, loc.last))
    rows = _rows(variants, locs, sentences_of)
    row_starts = [row.first for row in rows]
    loc_views = tuple(
        _location_view(i, loc, rows, max(0, bisect_right(row_starts, loc.first) - 1), sigla) for i, loc in enumerate(locs)
    )
    heat, heat_range = _heat(sigla, pairwise_similarity(alignment))
    counts = class_counts(variants)
    return ReportView(
        title=title or f"Collation of {len(sigla)} witnesses: {', '.join(sigla)}",
        default_title=not title,
        generated=(generated or datetime.date.today()).isoformat(),
        version=__version__,
        modified=tuple(s for s in sigla if s in modified),
        stack_below=COLUMN_REM * len(sigla) + 5,
        inline_sigla=all(bidi_inert(s) for s in sigla),
        chunks=_chunks(rows, loc_views),
        sigla=sigla,
        base=base,
        base_rule=base_rule(variants.base_order),
        normalization=str(alignment.normalization),
        engine=str(alignment.engine),
        columns=n_cols,
        classes=CLASS_ORDER,
        witnesses=tuple(
            _witness_view(w, alignment.witnesses[w], alignment.tokens[w], counts[w], modified) for w in range(len(sigla))
        ),
        rows=rows,
        locations=loc_views,
        transpositions=alignment.transpositions[:TRANSPOSITIONS_LISTED],
        transposition_count=len(alignment.transpositions),
        heat=heat,
        heat_range=heat_range,
        overview=_overview(loc_views, n_cols),
    )


_INERT = frozenset({"L", "EN", "ES", "ET", "CS", "ON"})


def bidi_inert(text: str) -> bool:
    """Whether ``text`` is left-to-right letters, digits and neutral
    punctuation only: no space, no right-to-left letter, no bidi control, so
    it cannot reorder its neighbours even outside an isolate of its own.

    >>> bidi_inert("frus"), bidi_inert("2nd.ed"), bidi_inert("a b"), bidi_inert("x\u202e"), bidi_inert("\u05d0")
    (True, True, False, False, False)
    """
    return bool(text) and all(unicodedata.bidirectional(ch) in _INERT for ch in text)


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


def _rows(variants: Variants, locs: Sequence[Location], sentences_of: SentenceSource) -> tuple[RowView, ...]:
    alignment = variants.alignment
    cuts = row_cuts(alignment, row_order(alignment, variants.base_order), sentences_of)
    return tuple(
        RowView(index=r, id=cut.id, first=cut.first, last=cut.last, paragraph_end=cut.paragraph_end, cells=cells,
                aliases=cut.aliases)
        for r, (cut, cells) in enumerate(zip(cuts, build_rows(alignment, locs, cuts)))
    )


def _chunks(rows: Sequence[RowView], locs: Sequence[LocationView]) -> tuple[ChunkView, ...]:
    by_chunk: dict[int, list[LocationView]] = {}
    for loc in locs:
        by_chunk.setdefault(loc.row // CHUNK_ROWS, []).append(loc)
    return tuple(
        ChunkView(k, tuple(rows[start : start + CHUNK_ROWS]), tuple(by_chunk.get(k, ())))
        for k, start in enumerate(range(0, len(rows), CHUNK_ROWS))
    )


def _location_view(i: int, loc: Location, rows: Sequence[RowView], row: int, sigla: Sequence[str]) -> LocationView:
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
        passage=rows[row].id if rows else "",
        first=loc.first,
        last=loc.last,
        base=loc.base,
        lemma=ApparatusReading(text=loc.base_text, sigla=tuple(lemma_sigla), cls=None),
        readings=tuple(readings),
        classes=tuple(c for c in CLASS_ORDER if c in present),
    )


def _witness_view(
    w: int, wit: Witness, toks: Sequence[Token], counts: Counter[VariantClass], modified: frozenset[str]
) -> WitnessView:
    meta = meta_to_dict(wit.meta)
    shown = tuple(
        (k, v if isinstance(v, str) else ", ".join(map(str, v)) if isinstance(v, list) else str(v))
        for k, v in meta.items()
        if k != "sha256"
    )
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
        sha256=hashlib.sha256(wit.text.encode("utf-8")).hexdigest(),
        recorded=wit.meta.sha256.strip().lower(),
        modified=wit.siglum in modified,
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
                passage=group[0].passage,
                title=f"{group[0].passage}: {len(group)} variant location{'s' if len(group) > 1 else ''} ({summary})",
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

    cells = tuple(
        tuple(HeatCell(a, sigla[j], x, shade(x), _dark(shade(x))) for j, x in enumerate(row)) for a, row in zip(sigla, matrix)
    )
    return cells, (lo, hi)


def _dark(shade: float) -> bool:
    """Whether white text reads better than black on the heat colour at ``shade``
    (mixed with white), by WCAG relative luminance.

    >>> _dark(0.0), _dark(1.0)
    (False, True)
    """

    def channel(full: int) -> float:
        v = (full * shade + 255 * (1 - shade)) / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in HEAT_RGB)
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.05)
