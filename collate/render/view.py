"""The variant report's view model: what the page shows, as plain values.

`build_view` does all the thinking the page needs, from a
`collate.synopsis.Synopsis` (or the `Variants` of one family, taken as a
synopsis of one family): its rows are the synopsis's passages, each with a
citable id (``p7.2``), each witness's cell filled from its family's columns
in that row (`collate.render.rows`); it groups the readings of each variant
location into a critical apparatus entry, within its family; counts what
differs per witness and class (within a family only: across families the
passages stand side by side as different translations); and lays out the
summary (`collate.render.summary`: witness cards, the similarity heat map
grouped by family, the overview strip, a coverage strip per witness).  The
template and the script only lay out those values: Python never assembles
markup and the template never parses strings.

The rows come in chunks of `CHUNK_ROWS`: the page holds every row and every
apparatus entry, and its script pages through them by showing a few chunks
at a time.

**The base.**  With ``base="frus"`` every reading of frus's family is classed
against frus's reading; another family is classed against its own base.
Without a base each location is classed against its best-attested reading
within its family (as `collate.variants.find_variants` chooses it; the
location records which witness served), and the report says so.  The view
takes the bases from the variants it is given, so it can never disagree with
the classes.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..model import CLASS_ORDER, Location, Reading, Transposition, VariantClass, Variants
from ..places import RowCut, SentenceSource, sentences
from ..synopsis import RowState, Synopsis, coverage, from_variants
from ..variants import class_counts
from .rows import DiffPart, Segment, build_rows, char_diff
from .summary import (
    CoverageView,
    HeatCell,
    OverviewMark,
    WitnessView,
    coverage_strip,
    heat,
    overview,
    row_positions,
    similarity,
    witness_view,
)

__all__ = [
    "ApparatusReading", "ChunkView", "CoverageView", "FamilyView", "HeatCell", "LocationView", "OverviewMark", "ReportView",
    "RowView", "WitnessView", "base_rule", "bidi_inert", "build_view",
]  # fmt: skip

CHUNK_ROWS = 20
"""Rows per chunk: the page shows whole chunks (page sizes are multiples of it)."""

COLUMN_REM = 10.0
"""Narrowest a witness's column may be (in rem) before the synoptic table is
stacked, one witness under another: narrower columns would break words."""

TRANSPOSITIONS_LISTED = 200
"""Most transpositions the page lists in full (the apparatus marks every one as
``tr.``, and ``collation.json`` lists them all); a book can have thousands."""

BEST_ATTESTED = (
    "the best-attested reading at each place (the reading most surviving witnesses share;"
    " ties go to a non-empty reading, then to the first siglum)"
)


@dataclass(frozen=True, slots=True)
class RowView:
    """A passage: one tuple of segments per witness (`collate.render.rows`);
    ``id`` is its citable id (``p7.2``), ``aliases`` the ids of other
    sentences of the passage base it holds, ``added_by`` the family whose text
    it is when the passage base has none there, ``none`` the witnesses
    (by index) that have nothing there though their text is not lost."""

    index: int
    id: str
    paragraph_end: bool
    cells: tuple[tuple[Segment, ...], ...]
    aliases: tuple[str, ...] = ()
    added_by: str = ""
    none: frozenset[int] = frozenset()


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
    """A variant location: its lemma (the base reading, with its witnesses) and the
    other readings; ``first``/``last`` are columns of its ``family``'s alignment."""

    id: int
    row: int
    passage: str
    first: int
    last: int
    base: str
    lemma: ApparatusReading
    readings: tuple[ApparatusReading, ...]
    classes: tuple[VariantClass, ...]
    family: str = ""

    @property
    def main_class(self) -> VariantClass | None:
        """The weightiest class here: the colour of its mark."""
        return self.classes[0] if self.classes else None


@dataclass(frozen=True, slots=True)
class FamilyView:
    """A family: its witnesses (indexes in the page's order), its base, and how its
    witnesses came by it (``assigned``: stated, proposed or assumed)."""

    name: str
    witnesses: tuple[int, ...]
    base: str | None
    is_base: bool
    assigned: str


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
    sigla as one isolate instead of one per siglum.  ``families`` group the
    witnesses (the base family first), ``passage_base`` names the witness
    whose sentences make the rows, ``coverage`` holds each witness's strip.
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
    families: tuple[FamilyView, ...] = ()
    passage_base: str = ""
    coverage: tuple[CoverageView, ...] = ()
    labelled_apparatus: bool = False
    """More than one family has variant locations: each apparatus entry names its family."""


def build_view(
    source: Variants | Synopsis,
    *,
    title: str | None = None,
    modified: frozenset[str] = frozenset(),
    sentences_of: SentenceSource = sentences,
    generated: datetime.date | None = None,
) -> ReportView:
    """The report's view model of a synopsis (or of one family's classed variant locations).

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
    about them.  ``sentences_of`` cuts the base into citable sentences when
    ``source`` is one family's `Variants` (`collate.places`).  ``generated``
    is the date the citation gives (today by default).
    """
    from .. import __version__

    syn = source if isinstance(source, Synopsis) else from_variants(source, sentences_of=sentences_of)
    sigla = syn.sigla
    first = syn.base_family.variants
    positions = row_positions(syn)
    states = syn.row_states()
    locs = _locations(syn)
    rows = _rows(syn, locs, states)
    loc_views = tuple(view for _, view in locs)
    same, wording = similarity(syn)
    heat_cells, heat_range = heat(sigla, same, wording, [syn.locate(s)[0].name for s in sigla])
    covered = coverage(syn, states)
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
        base=first.base,
        base_rule=base_rule(first.base_order),
        normalization=str(first.alignment.normalization),
        engine=str(first.alignment.engine),
        columns=sum(len(f.alignment.columns) for f in syn.families),
        classes=CLASS_ORDER,
        witnesses=_witness_views(syn, modified),
        rows=rows,
        locations=loc_views,
        transpositions=tuple(t for f in syn.families for t in f.alignment.transpositions)[:TRANSPOSITIONS_LISTED],
        transposition_count=sum(len(f.alignment.transpositions) for f in syn.families),
        heat=heat_cells,
        heat_range=heat_range,
        overview=overview([(v.id, v.row, v.passage, v.main_class) for v in loc_views if v.main_class], positions),
        families=_family_views(syn),
        passage_base=syn.passage_base,
        coverage=tuple(coverage_strip(syn, k, s, covered[s].summary, positions, states[s]) for k, s in enumerate(sigla)),
        labelled_apparatus=sum(bool(f.variants.locations) for f in syn.families) > 1,
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


def _locations(syn: Synopsis) -> list[tuple[Location, LocationView]]:
    """Every family's locations, numbered in one series (`Synopsis.located`), each with its view."""
    order = {s: k for k, s in enumerate(syn.sigla)}
    return [
        (loc, _location_view(i, loc, row, syn.rows[row].id if syn.rows else "", f.name, order))
        for i, (f, loc, row) in enumerate(syn.located())
    ]


def _rows(
    syn: Synopsis, locs: Sequence[tuple[Location, LocationView]], states: dict[str, tuple[RowState, ...]]
) -> tuple[RowView, ...]:
    """Each passage with every witness's cell, in the synopsis's order of witnesses."""
    cells: list[list[tuple[Segment, ...]]] = [[] for _ in syn.rows]
    start = 0
    for f in syn.families:
        mine = [loc for loc, view in locs if view.family == f.name]
        cuts = [RowCut(row.id, a, b) for row, (a, b) in zip(syn.rows, f.ranges)]
        for r, row_cells in enumerate(build_rows(f.alignment, mine, cuts, first_id=start)):
            cells[r].extend(row_cells)
        start += len(mine)
    lacuna = (Segment(text="", cls=VariantClass.LACUNA),)
    out = []
    for r, row in enumerate(syn.rows):
        filled = tuple(c or (lacuna if states[s][r] is RowState.LOST else ()) for s, c in zip(syn.sigla, cells[r]))
        none = frozenset(w for w, s in enumerate(syn.sigla) if not filled[w] and states[s][r] is not RowState.LOST)
        out.append(RowView(r, row.id, row.paragraph_end, filled, row.aliases, row.added_by, none))
    return tuple(out)


def _chunks(rows: Sequence[RowView], locs: Sequence[LocationView]) -> tuple[ChunkView, ...]:
    """Rows in chunks, each with the apparatus entries of its rows, family by family."""
    by_chunk: dict[int, list[LocationView]] = {}
    for loc in locs:
        by_chunk.setdefault(loc.row // CHUNK_ROWS, []).append(loc)
    return tuple(
        ChunkView(k, tuple(rows[start : start + CHUNK_ROWS]), tuple(by_chunk.get(k, ())))
        for k, start in enumerate(range(0, len(rows), CHUNK_ROWS))
    )


def _location_view(i: int, loc: Location, row: int, passage: str, family: str, order: dict[str, int]) -> LocationView:
    groups: dict[tuple[str, VariantClass], list[Reading]] = {}
    lemma_sigla: list[str] = []
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
        passage=passage,
        first=loc.first,
        last=loc.last,
        base=loc.base,
        lemma=ApparatusReading(text=loc.base_text, sigla=tuple(lemma_sigla), cls=None),
        readings=tuple(readings),
        classes=tuple(c for c in CLASS_ORDER if c in present),
        family=family,
    )


def _witness_views(syn: Synopsis, modified: frozenset[str]) -> tuple[WitnessView, ...]:
    members = {m.siglum: m for m in syn.members}
    out: list[WitnessView] = []
    for f in syn.families:
        counts = class_counts(f.variants)
        for w, wit in enumerate(f.alignment.witnesses):
            m = members[wit.siglum]
            view = witness_view(len(out), wit, f.alignment.tokens[w], counts[w], modified)
            out.append(replace(view, family=f.name, family_reason=m.reason, base_family=f is syn.families[0],
                               family_start=w == 0, alone=len(f.sigla) == 1))
    return tuple(out)


def _family_views(syn: Synopsis) -> tuple[FamilyView, ...]:
    members = {m.siglum: m for m in syn.members}
    out, start = [], 0
    for k, f in enumerate(syn.families):
        out.append(FamilyView(f.name, tuple(range(start, start + len(f.sigla))), f.variants.base, k == 0,
                              members[f.sigla[0]].assigned.value))
        start += len(f.sigla)
    return tuple(out)
