"""The variant report: an alignment and its variant locations become a view, then HTML and JSON.

Rendering is two steps, each a pure function::

    Alignment + Locations --build_view--> ReportView --render_html--> index.html
                                                      --to_json-----> collation.json

`build_view` does all the thinking: it cuts the alignment into rows (runs of
columns ending where the base text ends a sentence or a paragraph), turns every
witness's text in a row into *segments* (plain agreed text, or a reading at a
variant location with its class and, for a probable typo, its character-level
differences), groups the readings of each location into a critical apparatus,
and counts what differs.  The template and the script only lay out those
values: Python never assembles markup and the template never parses strings.

The synoptic view is drawn by a small script from a compact JSON block embedded
in the page (``<script type="application/json">`` with ``<``, ``>`` and ``&``
written as ``\\u003c``, ``\\u003e``, ``\\u0026``), one page of rows at a time,
so a book-length collation stays a light page.  Witness text only ever reaches
the page through ``textContent`` or Jinja's autoescaping; the page also carries
a Content-Security-Policy that allows no script but its own (by hash).

**The base.**  With ``base="frus"`` every reading is classed against frus's
reading.  Without a base each location is classed against its best-attested
reading (as `collate.variants.find_variants` chooses it; the location records
which witness served), and the report says so.

**collation.json**, built by `to_json`, holds:

``witnesses``
    the sigla, in alignment order;
``base``
    ``{"siglum": "frus" or null, "rule": "..."}``: what served as base;
``metadata``
    ``{siglum: {...}}``, the provenance from each witness's ``.toml``;
``table``
    the CollateX-compatible alignment table (`collate.formats.table_json`);
``variants``
    one entry per location: ``{"id", "columns": [first, last], "base": siglum,
    "readings": {siglum: text, or null where the witness has nothing},
    "classes": {siglum: class, or null where it agrees with the base}}`` (the
    base witness is left out of ``classes``), and ``"similarity":
    {siglum: 0..1}`` for probable typos;
``transpositions``
    ``[{"sigla": [a, b], "columns": [first, last], "words": [...]}]``;
``statistics``
    ``{siglum: {"tokens", "words", "locations", "classes": {class: n}}}``;
``pairwise``
    ``{"sigla": [...], "similarity": [[...]]}``: for each pair, the share of
    aligned columns in which both witnesses read the same (normalized) text,
    counted only where both witnesses survive (a lacuna is not a difference).
"""

from __future__ import annotations

import base64
import hashlib
import json
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from rapidfuzz.distance import Levenshtein

from .model import Alignment, Location, Reading, Token, TokenKind, Transposition, VariantClass, Witness
from .store import meta_to_dict
from .variants import cell_key, lost_columns

TEMPLATES = Path(__file__).parent / "templates"

CLASS_ORDER: tuple[VariantClass, ...] = (
    VariantClass.SUBSTITUTION,
    VariantClass.OMISSION,
    VariantClass.ADDITION,
    VariantClass.TRANSPOSITION,
    VariantClass.TYPO,
    VariantClass.ORTHOGRAPHIC,
    VariantClass.SPACING,
    VariantClass.HYPHENATION,
    VariantClass.CASE,
    VariantClass.GLYPH,
    VariantClass.PUNCTUATION,
    VariantClass.LACUNA,
)
"""Display order of the classes, weightiest first; a location's mark in the
overview strip takes the colour of its weightiest class."""

ABBREVIATIONS: dict[VariantClass, str] = {
    VariantClass.SUBSTITUTION: "subst.",
    VariantClass.OMISSION: "om.",
    VariantClass.ADDITION: "add.",
    VariantClass.TRANSPOSITION: "tr.",
    VariantClass.TYPO: "typo",
    VariantClass.ORTHOGRAPHIC: "orth.",
    VariantClass.SPACING: "sp.",
    VariantClass.HYPHENATION: "hyph.",
    VariantClass.CASE: "case",
    VariantClass.GLYPH: "glyph",
    VariantClass.PUNCTUATION: "punct.",
    VariantClass.LACUNA: "lac.",
}

DESCRIPTIONS: dict[VariantClass, str] = {
    VariantClass.SUBSTITUTION: "different words",
    VariantClass.OMISSION: "the witness lacks words the base has",
    VariantClass.ADDITION: "the witness has words the base lacks",
    VariantClass.TRANSPOSITION: "the same words in another order",
    VariantClass.TYPO: "a near match: probably a transcription error",
    VariantClass.ORTHOGRAPHIC: "spelling convention or diacritics (favourable / favorable)",
    VariantClass.SPACING: "words split or merged (inasmuch / in as much)",
    VariantClass.HYPHENATION: "a word broken at a line end with a hyphen (Mol-⏎otov)",
    VariantClass.CASE: "letter case only",
    VariantClass.GLYPH: "another typographic form: ligature, long s, quote or dash kind (ﬁ / fi, ’ / ')",
    VariantClass.PUNCTUATION: "punctuation only",
    VariantClass.LACUNA: "text lost: the witness is a fragment",
}

ROW_MAX_COLUMNS = 60
"""A row longer than this is cut at the next space outside a variant location."""

OVERVIEW_BINS = 200
"""Most marks in the overview strip; nearby locations share a mark."""

_SENTENCE_END = frozenset(".?!")
_ABBREVIATIONS = frozenset("Mr Mrs Ms Dr St Messrs Gen Col Lt Capt Sgt Prof Rev Hon Jr Sr No Vol".split())
_BEST_ATTESTED = (
    "the best-attested reading at each place (the reading most surviving witnesses share;"
    " ties go to a non-empty reading, then to the first siglum)"
)


# ---------------------------------------------------------------- view model


@dataclass(frozen=True, slots=True)
class DiffPart:
    """A piece of a typo reading: ``op`` is "equal", "changed" (differs from the
    base) or "missing" (``text`` is what the base has here and the witness lacks)."""

    text: str
    op: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of one witness's text in one row.

    ``loc`` is the location id (None for agreed text outside any location);
    ``cls`` is a `VariantClass` value, "base" for the base's own reading,
    "agree" for a reading that agrees with the base, or None for agreed text.
    ``ws`` is the whitespace after the text.  A lacuna segment has no text.
    """

    text: str
    ws: str = ""
    loc: int | None = None
    cls: str | None = None
    diff: tuple[DiffPart, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class RowView:
    """Columns first..last of the alignment, one tuple of segments per witness."""

    index: int
    first: int
    last: int
    paragraph_end: bool
    cells: tuple[tuple[Segment, ...], ...]


@dataclass(frozen=True, slots=True)
class ApparatusReading:
    """One reading of an apparatus entry and the witnesses that have it."""

    text: str
    sigla: tuple[str, ...]
    cls: str | None
    abbr: str
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
    classes: tuple[str, ...]
    main_class: str


@dataclass(frozen=True, slots=True)
class ClassView:
    value: str
    abbr: str
    label: str
    description: str


@dataclass(frozen=True, slots=True)
class WitnessView:
    """A witness's provenance and its counts."""

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
    cls: str
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
    classes: tuple[ClassView, ...]
    witnesses: tuple[WitnessView, ...]
    rows: tuple[RowView, ...]
    locations: tuple[LocationView, ...]
    transpositions: tuple[Transposition, ...]
    pairwise: tuple[tuple[float | None, ...], ...]
    heat: tuple[tuple[HeatCell, ...], ...]
    heat_range: tuple[float, float]
    overview: tuple[OverviewMark, ...]
    alignment: Alignment


# ---------------------------------------------------------------- building the view


def build_view(
    alignment: Alignment, locations: Sequence[Location], *, base: str | None, title: str | None = None
) -> ReportView:
    """The report's view model of ``alignment`` and its variant ``locations``.

    >>> from collate.model import Witness
    >>> from collate.tokenize import tokenize
    >>> a, b = Witness("A", "the Eastern front"), Witness("B", "the Easter front")
    >>> ta, tb = tokenize(a.text), tokenize(b.text)
    >>> al = Alignment((a, b), (ta, tb), ((ta[0:1], tb[0:1]), (ta[1:2], tb[1:2]), (ta[2:3], tb[2:3])))
    >>> loc = Location(1, 1, "A", ta[1:2], (Reading("A", ta[1:2], None), Reading("B", tb[1:2], VariantClass.TYPO, 0.92)))
    >>> view = build_view(al, [loc], base="A")
    >>> [(s.text + s.ws, s.cls) for s in view.rows[0].cells[1]]
    [('the ', None), ('Easter ', 'typo'), ('front', None)]
    >>> [(p.text, p.op) for p in view.rows[0].cells[1][1].diff]
    [('Easter', 'equal'), ('n', 'missing')]
    >>> view.locations[0].lemma.text, view.locations[0].readings[0].abbr
    ('Eastern', 'typo')
    """
    if base is not None and base not in alignment.sigla:
        raise ValueError(f"base {base!r} is not one of the witnesses ({', '.join(alignment.sigla)})")
    sigla = alignment.sigla
    n_cols = len(alignment.columns)
    locs = sorted(locations, key=lambda loc: (loc.first, loc.last))
    # A location where the extant witnesses agree and only fragments' lost text
    # differs is drawn column by column (agreed text and "text lost"), so rows
    # may cut through it.
    drawn = [i for i, loc in enumerate(locs) if not _lacuna_only(loc)]
    loc_at: dict[int, int] = {}
    for i in drawn:
        for c in range(locs[i].first, locs[i].last + 1):
            loc_at.setdefault(c, i)
    lost = lost_columns(alignment)
    pilot_order = _pilot_order(alignment, base)
    bounds = _row_bounds(alignment, [locs[i] for i in drawn], pilot_order)
    rows: list[RowView] = []
    for r, (first, last, para) in enumerate(bounds):
        cells = tuple(_cell_segments(alignment, w, first, last, locs, loc_at, lost[w]) for w in range(len(sigla)))
        rows.append(RowView(index=r, first=first, last=last, paragraph_end=para, cells=cells))
    row_starts = [b[0] for b in bounds]
    row_of_loc = {i: max(0, bisect_right(row_starts, loc.first) - 1) for i, loc in enumerate(locs)}
    loc_views = tuple(_location_view(i, loc, row_of_loc.get(i, 0), sigla) for i, loc in enumerate(locs))
    classes = tuple(
        ClassView(value=c.value, abbr=ABBREVIATIONS[c], label=c.value.capitalize(), description=DESCRIPTIONS[c])
        for c in CLASS_ORDER
    )
    pairwise = pairwise_similarity(alignment)
    heat, heat_range = _heat(sigla, pairwise)
    return ReportView(
        title=title or f"Collation of {len(sigla)} witnesses: {', '.join(sigla)}",
        sigla=sigla,
        base=base,
        base_rule=(
            f"the witness {base} (where its text is lost, {_BEST_ATTESTED})" if base is not None else _BEST_ATTESTED
        ),
        normalization=alignment.normalization,
        engine=alignment.engine,
        columns=n_cols,
        classes=classes,
        witnesses=tuple(_witness_view(alignment, w, locs) for w in range(len(sigla))),
        rows=tuple(rows),
        locations=loc_views,
        transpositions=alignment.transpositions,
        pairwise=pairwise,
        heat=heat,
        heat_range=heat_range,
        overview=_overview(loc_views, n_cols),
        alignment=alignment,
    )


def char_diff(base: str, text: str) -> tuple[DiffPart, ...]:
    """The character-level differences of ``text`` against ``base``, as parts of ``text``.

    Characters of ``text`` that the base lacks or has otherwise are "changed";
    characters of the base that ``text`` lacks are "missing" parts (shown as a
    mark, never as part of the witness's text).

    >>> [(p.text, p.op) for p in char_diff("Eastern", "Easter")]
    [('Easter', 'equal'), ('n', 'missing')]
    >>> [(p.text, p.op) for p in char_diff("1942", "192")]
    [('19', 'equal'), ('4', 'missing'), ('2', 'equal')]
    >>> [(p.text, p.op) for p in char_diff("German", "Germany")]
    [('German', 'equal'), ('y', 'changed')]
    """
    parts: list[DiffPart] = []
    for op in Levenshtein.opcodes(base, text):
        if op.tag == "equal":
            parts.append(DiffPart(text[op.dest_start : op.dest_end], "equal"))
        elif op.tag == "delete":
            parts.append(DiffPart(base[op.src_start : op.src_end], "missing"))
        else:  # replace, insert
            parts.append(DiffPart(text[op.dest_start : op.dest_end], "changed"))
    return tuple(parts)


def pairwise_similarity(alignment: Alignment) -> tuple[tuple[float | None, ...], ...]:
    """For each pair of witnesses, the share of columns where both read the same.

    Only columns where at least one of the two has text and neither is in a
    lacuna count; None where the two never overlap.

    >>> from collate.model import Witness
    >>> from collate.tokenize import tokenize
    >>> a, b = Witness("A", "a b c"), Witness("B", "a x c")
    >>> ta, tb = tokenize(a.text), tokenize(b.text)
    >>> al = Alignment((a, b), (ta, tb), tuple((ta[i:i+1], tb[i:i+1]) for i in range(3)))
    >>> [[round(x, 2) if x is not None else None for x in r] for r in pairwise_similarity(al)]
    [[1.0, 0.67], [0.67, 1.0]]
    """
    n = len(alignment.witnesses)
    lost = lost_columns(alignment)
    keys = [[cell_key(col[w]) if col[w] else None for col in alignment.columns] for w in range(n)]
    out: list[list[float | None]] = [[1.0 if i == j else None for j in range(n)] for i in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            same = total = 0
            for c, (ki, kj) in enumerate(zip(keys[i], keys[j])):
                if (ki is None and kj is None) or c in lost[i] or c in lost[j]:
                    continue
                total += 1
                same += ki == kj
            out[i][j] = out[j][i] = same / total if total else None
    return tuple(tuple(r) for r in out)


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


def _lacuna_only(loc: Location) -> bool:
    """True where every reading that differs from the base is a lacuna."""
    return all(r.cls in (None, VariantClass.LACUNA) for r in loc.readings)


def _pilot_order(alignment: Alignment, base: str | None) -> list[int]:
    """Witnesses whose punctuation cuts the rows, in order of preference: the base, then the longest."""
    order = sorted(range(len(alignment.witnesses)), key=lambda w: -len(alignment.tokens[w]))
    if base is not None:
        b = alignment.sigla.index(base)
        order.remove(b)
        order.insert(0, b)
    return order


def _row_bounds(alignment: Alignment, locs: Sequence[Location], pilots: Sequence[int]) -> list[tuple[int, int, bool]]:
    n = len(alignment.columns)
    inside = [False] * n  # True where a location continues past this column
    for loc in locs:
        for c in range(loc.first, min(loc.last, n - 1)):
            inside[c] = True
    bounds: list[tuple[int, int, bool]] = []
    start = 0
    prev: list[Token | None] = [None] * len(alignment.witnesses)  # each witness's token before its current cell
    for c, col in enumerate(alignment.columns):
        pilot = next((w for w in pilots if col[w]), None)
        before = prev[pilot] if pilot is not None else None
        for w, cell in enumerate(col):
            if cell:
                prev[w] = cell[-1]
        if inside[c]:
            continue
        end_sentence = para = spaced = False
        if pilot is not None:
            cell = col[pilot] or ()
            last_tok = cell[-1]
            before = cell[-2] if len(cell) > 1 else before
            para = "\n" in last_tok.t
            spaced = last_tok.t != last_tok.t.rstrip()
            end_sentence = para or (
                last_tok.kind is TokenKind.PUNCTUATION
                and last_tok.word[-1:] in _SENTENCE_END
                and not (last_tok.word == "." and before is not None and _is_abbreviation(before.word))
            )
        if (spaced and (end_sentence or c - start + 1 >= ROW_MAX_COLUMNS)) or c == n - 1:
            bounds.append((start, c, para))
            start = c + 1
    return bounds


def _is_abbreviation(word: str) -> bool:
    """A word that a full stop after it probably abbreviates (Mr., U.S.A., St.).

    >>> [_is_abbreviation(w) for w in ("Mr", "A", "Moscow", "1942")]
    [True, True, False, False]
    """
    return word.isalpha() and word[:1].isupper() and (len(word) <= 2 or word in _ABBREVIATIONS)


def _split_ws(tokens: Sequence[Token]) -> tuple[str, str]:
    text = "".join(t.t for t in tokens)
    core = text.rstrip()
    return core.lstrip(), text[len(core) :]


def _cell_segments(
    alignment: Alignment,
    w: int,
    first: int,
    last: int,
    locs: Sequence[Location],
    loc_at: Mapping[int, int],
    lost: frozenset[int],
) -> tuple[Segment, ...]:
    siglum = alignment.sigla[w]
    segs: list[Segment] = []
    plain: list[Token] = []

    def flush() -> None:
        if plain:
            text = "".join(t.t for t in plain)
            segs.append(Segment(text=text if segs else text.lstrip()))
            plain.clear()

    def lacuna() -> None:
        if not (segs and segs[-1].cls == VariantClass.LACUNA.value):
            segs.append(Segment(text="", cls=VariantClass.LACUNA.value))

    c = first
    while c <= last:
        li = loc_at.get(c)
        if li is not None and locs[li].first == c:
            loc = locs[li]
            reading = next((r for r in loc.readings if r.siglum == siglum), None)
            if reading is None:
                tokens = tuple(t for col in alignment.columns[loc.first : loc.last + 1] for t in (col[w] or ()))
                reading = Reading(siglum, tokens, None)
            flush()
            if reading.cls is VariantClass.LACUNA:
                lacuna()
            else:
                segs.append(_reading_segment(li, loc, reading))
            c = loc.last + 1
            continue
        cell = alignment.columns[c][w]
        if cell:
            plain.extend(cell)
        elif c in lost:
            flush()
            lacuna()
        c += 1
    flush()
    return tuple(segs)


def _reading_segment(li: int, loc: Location, reading: Reading) -> Segment:
    text, ws = _split_ws(reading.tokens)
    if reading.cls is None:
        cls = "base" if reading.siglum == loc.base else "agree"
        return Segment(text=text, ws=ws, loc=li, cls=cls)
    diff = char_diff(loc.base_text, text) if reading.cls is VariantClass.TYPO else ()
    note = ""
    if not text:
        note = f"lacks “{loc.base_text}”"
    return Segment(text=text, ws=ws, loc=li, cls=reading.cls.value, diff=diff, note=note)


def _location_view(i: int, loc: Location, row: int, sigla: Sequence[str]) -> LocationView:
    groups: dict[tuple[str, str | None], list[Reading]] = {}
    lemma_sigla: list[str] = []
    order = {s: k for k, s in enumerate(sigla)}
    for reading in sorted(loc.readings, key=lambda r: order.get(r.siglum, len(order))):
        if reading.cls is None:
            lemma_sigla.append(reading.siglum)
            continue
        groups.setdefault((reading.text, reading.cls.value), []).append(reading)
    if loc.base not in lemma_sigla:
        lemma_sigla.insert(0, loc.base)
    readings = []
    for (text, cls), members in groups.items():
        vc = VariantClass(cls)
        sims = [r.similarity for r in members if r.similarity is not None]
        readings.append(
            ApparatusReading(
                text=text,
                sigla=tuple(r.siglum for r in members),
                cls=cls,
                abbr=ABBREVIATIONS[vc],
                similarity=min(sims) if sims else None,
                diff=char_diff(loc.base_text, text) if vc is VariantClass.TYPO else (),
            )
        )
    present = {VariantClass(r.cls) for r in readings if r.cls}
    main = next((c for c in CLASS_ORDER if c in present), None)
    return LocationView(
        id=i,
        row=row,
        first=loc.first,
        last=loc.last,
        base=loc.base,
        lemma=ApparatusReading(text=loc.base_text, sigla=tuple(lemma_sigla), cls=None, abbr=""),
        readings=tuple(readings),
        classes=tuple(c.value for c in CLASS_ORDER if c in present),
        main_class=main.value if main else "agree",
    )


def _witness_view(alignment: Alignment, w: int, locs: Sequence[Location]) -> WitnessView:
    wit: Witness = alignment.witnesses[w]
    counts: Counter[VariantClass] = Counter()
    n_locs = 0
    for loc in locs:
        for r in loc.readings:
            if r.siglum == wit.siglum and r.cls is not None:
                counts[r.cls] += 1
                n_locs += 1
    toks = alignment.tokens[w]
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
        locations=n_locs,
        counts=tuple(counts[c] for c in CLASS_ORDER),
    )


def _overview(locs: Sequence[LocationView], n_cols: int) -> tuple[OverviewMark, ...]:
    if not locs or not n_cols:
        return ()
    bins = min(OVERVIEW_BINS, n_cols)
    grouped: dict[int, list[LocationView]] = {}
    for loc in locs:
        if loc.main_class == VariantClass.LACUNA.value:
            continue
        grouped.setdefault(loc.first * bins // n_cols, []).append(loc)
    if not grouped:
        return ()
    most = max(len(g) for g in grouped.values())
    marks = []
    for b, group in sorted(grouped.items()):
        tally = Counter(loc.main_class for loc in group)
        main = next(c.value for c in CLASS_ORDER if c.value in tally)
        summary = ", ".join(f"{tally[c.value]} {ABBREVIATIONS[c]}" for c in CLASS_ORDER if c.value in tally)
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


# ---------------------------------------------------------------- JSON


def _seg_json(seg: Segment) -> str | list[Any]:
    """A segment in the page's compact data block: agreed text is a bare string."""
    if seg.loc is None and seg.cls is None:
        return seg.text
    out: list[Any] = [seg.loc, seg.cls, seg.text, seg.ws]
    if seg.diff or seg.note:
        out.append([[p.text, p.op] for p in seg.diff])
    if seg.note:
        out.append(seg.note)
    return out


def _reading_json(r: ApparatusReading) -> dict[str, Any]:
    out: dict[str, Any] = {"t": r.text, "s": list(r.sigla), "c": r.cls, "a": r.abbr}
    if r.similarity is not None:
        out["sim"] = round(r.similarity, 3)
    if r.diff:
        out["d"] = [[p.text, p.op] for p in r.diff]
    return out


def page_data(view: ReportView) -> dict[str, Any]:
    """The compact data the page's script draws the synoptic view and apparatus from.

    A row's cell is a list of segments: agreed text as a bare string, a reading
    as ``[location, class, text, whitespace, diff?, note?]``.

    >>> from collate.model import Witness
    >>> from collate.tokenize import tokenize
    >>> a, b = Witness("A", "Eastern front."), Witness("B", "Easter front.")
    >>> ta, tb = tokenize(a.text), tokenize(b.text)
    >>> al = Alignment((a, b), (ta, tb), tuple((ta[i:i+1], tb[i:i+1]) for i in range(3)))
    >>> loc = Location(0, 0, "A", ta[:1], (Reading("A", ta[:1], None), Reading("B", tb[:1], VariantClass.TYPO, 0.92)))
    >>> page_data(build_view(al, [loc], base="A"))["rows"][0]["c"][1]
    [[0, 'typo', 'Easter', ' ', [['Easter', 'equal'], ['n', 'missing']]], 'front.']
    """
    return {
        "sigla": list(view.sigla),
        "fragments": [w.fragment for w in view.witnesses],
        "classes": [[c.value, c.abbr, c.description] for c in view.classes],
        "rows": [
            {"f": r.first, "l": r.last, "p": int(r.paragraph_end), "c": [[_seg_json(s) for s in cell] for cell in r.cells]}
            for r in view.rows
        ],
        "locs": [
            {
                "id": loc.id,
                "row": loc.row,
                "f": loc.first,
                "l": loc.last,
                "base": loc.base,
                "lemma": _reading_json(loc.lemma),
                "rd": [_reading_json(r) for r in loc.readings],
                "cls": list(loc.classes),
            }
            for loc in view.locations
        ],
    }


def script_json(data: object) -> Markup:
    """JSON safe to place inside ``<script type="application/json">``.

    ``<``, ``>``, ``&`` and the line separators become ``\\u`` escapes, so no
    text can close the script element or open a comment; the JSON is unchanged.

    >>> str(script_json({"t": "</script><b>&"}))
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    >>> json.loads(str(script_json(["</script>"])))
    ['</script>']
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return Markup(text)  # noqa: S704 - every character that could end the element is escaped above


def to_json(view: ReportView) -> str:
    """``collation.json``: the report's machine-readable twin (see the module docstring).

    >>> from collate.model import Witness
    >>> from collate.tokenize import tokenize
    >>> a, b = Witness("A", "in as much"), Witness("B", "inasmuch")
    >>> ta, tb = tokenize(a.text), tokenize(b.text)
    >>> al = Alignment((a, b), (ta, tb), ((ta, tb),))
    >>> loc = Location(0, 0, "A", ta, (Reading("A", ta, None), Reading("B", tb, VariantClass.SPACING)))
    >>> data = json.loads(to_json(build_view(al, [loc], base="A")))
    >>> data["variants"][0]["readings"], data["variants"][0]["classes"]
    ({'A': 'in as much', 'B': 'inasmuch'}, {'B': 'spacing'})
    >>> data["statistics"]["B"]["classes"]["spacing"], data["base"]["siglum"]
    (1, 'A')
    """
    from .formats import table_json

    al = view.alignment
    variants = []
    for lv in view.locations:
        readings: dict[str, str | None] = {}
        classes: dict[str, str | None] = {}
        similarity: dict[str, float] = {}
        lemma_text = lv.lemma.text
        for s in lv.lemma.sigla:
            readings[s] = lemma_text or None
            if s != lv.base:
                classes[s] = None
        for r in lv.readings:
            for s in r.sigla:
                readings[s] = r.text or None
                classes[s] = r.cls
                if r.similarity is not None:
                    similarity[s] = round(r.similarity, 4)
        entry: dict[str, Any] = {
            "id": lv.id,
            "columns": [lv.first, lv.last],
            "base": lv.base,
            "readings": {s: readings.get(s) for s in view.sigla},
            "classes": {s: classes.get(s) for s in view.sigla if s != lv.base},
        }
        if similarity:
            entry["similarity"] = similarity
        variants.append(entry)
    data = {
        "witnesses": list(view.sigla),
        "base": {"siglum": view.base, "rule": view.base_rule},
        "normalization": view.normalization,
        "engine": view.engine,
        "metadata": {w.siglum: meta_to_dict(w.meta) for w in al.witnesses},
        "table": table_json(al),
        "variants": variants,
        "transpositions": [
            {"sigla": list(t.sigla), "columns": [t.first, t.last], "words": list(t.words)} for t in view.transpositions
        ],
        "statistics": {
            w.siglum: {
                "tokens": w.tokens,
                "words": w.words,
                "locations": w.locations,
                "classes": {c.value: n for c, n in zip(CLASS_ORDER, w.counts)},
            }
            for w in view.witnesses
        },
        "pairwise": {
            "sigla": list(view.sigla),
            "similarity": [[round(x, 4) if x is not None else None for x in r] for r in view.pairwise],
        },
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------- HTML


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _script_source() -> str:
    return (TEMPLATES / "report.js").read_text(encoding="utf-8")


def render_html(view: ReportView) -> str:
    """The report as one self-contained HTML page (CSS, script and data inline).

    >>> from collate.model import Witness
    >>> from collate.tokenize import tokenize
    >>> a = Witness("A", "<b>bold</b>")
    >>> ta = tokenize(a.text)
    >>> page = render_html(build_view(Alignment((a,), (ta,), tuple((ta[i:i+1],) for i in range(len(ta)))), [], base=None))
    >>> "<b>bold" in page, "\\\\u003cb\\\\u003ebold" in page
    (False, True)
    """
    script = _script_source()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"
    template = _environment().get_template("report.html.j2")
    class_index = {c.value: k for k, c in enumerate(view.classes)}
    return template.render(
        view=view,
        csp=csp,
        script=Markup(script),  # noqa: S704 - our own file, hashed into the CSP
        data=script_json(page_data(view)),
        class_index=class_index,
    )
