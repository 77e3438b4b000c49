"""Rows of the synoptic view: each witness's text in one row, as segments.

Which columns make a row, and its citable id, is `collate.places`'s
business (a row is one sentence of the base).  In a row, each witness's
text is a tuple of `Segment` values: agreed text, a reading at a variant
location (its class, and for a probable typo its character-level
differences from the base), or a mark for lost text.  A witness's own gap
mark (``[...]``, ``<...>``) is drawn as the lacuna it stands for, never as
text: the mark is the lacuna segment's note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import Levenshtein

from ..model import Alignment, Location, Reading, Token, VariantClass
from ..variants import lost_columns
from ..places import RowCut



class DiffOp(StrEnum):
    """How a piece of a typo reading relates to the base."""

    EQUAL = "equal"  # the same as the base
    CHANGED = "changed"  # the witness has other or more characters here
    MISSING = "missing"  # the base's characters the witness lacks (not part of its text)


@dataclass(frozen=True, slots=True)
class DiffPart:
    """A piece of a typo reading (for `DiffOp.MISSING`, the base's text the witness lacks)."""

    text: str
    op: DiffOp


class Role(StrEnum):
    """What a segment at a variant location is, beside its class.  (A reading
    that agrees with the base is drawn as agreed text: the base's reading and
    the apparatus entry show the place, and a book-length page stays light.)"""

    BASE = "base"  # the base's own reading
    VARIANT = "variant"  # a reading that differs: see its class


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of one witness's text in one row.

    Agreed text (outside any location, or a reading that agrees with the
    base) has ``loc`` and ``role`` None.  The base's reading at location
    ``loc`` has `Role.BASE`, a reading that differs `Role.VARIANT` and ``cls``
    its class; a lost stretch is ``cls`` `VariantClass.LACUNA` with no text.
    ``ws`` is the whitespace after the text.
    """

    text: str
    ws: str = ""
    loc: int | None = None
    role: Role | None = None
    cls: VariantClass | None = None
    diff: tuple[DiffPart, ...] = ()
    note: str = ""

    @property
    def mark(self) -> str | None:
        """The one word the page styles a segment by: its class, else its role."""
        if self.cls is not None:
            return self.cls.value
        return self.role.value if self.role is not None else None


Cells = tuple[tuple[Segment, ...], ...]


def build_rows(alignment: Alignment, locs: Sequence[Location], cuts: Sequence[RowCut], *, first_id: int = 0) -> list[Cells]:
    """The cells of each row ``cuts`` gives (`collate.places`); ``locs`` sorted, their
    index plus ``first_id`` is their id (the report numbers every family's locations in one series).

    A location that runs across a row's end (rows follow the base's
    sentences, whatever the other witnesses do) is drawn in both rows, each
    part with the witness's tokens in that row's columns.  A location where
    the extant witnesses agree and only fragments' lost text differs is drawn
    column by column (agreed text and "text lost").
    """
    loc_at: dict[int, int] = {}
    for i, loc in enumerate(locs):
        if _lacuna_only(loc):
            continue
        for c in range(loc.first, loc.last + 1):
            loc_at.setdefault(c, i)
    lost = lost_columns(alignment)
    return [
        tuple(_cell_segments(alignment, w, cut.first, cut.last, locs, loc_at, lost[w], first_id) for w in range(len(alignment.sigla)))
        for cut in cuts
    ]


def _lacuna_only(loc: Location) -> bool:
    """True where every reading that differs from the base is a lacuna."""
    return all(r.cls in (None, VariantClass.LACUNA) for r in loc.readings)


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
    first_id: int = 0,
) -> tuple[Segment, ...]:
    siglum = alignment.sigla[w]
    segs: list[Segment] = []
    plain: list[Token] = []

    def flush() -> None:
        if plain:
            text = "".join(t.t for t in plain)
            segs.append(Segment(text=text if segs else text.lstrip()))
            plain.clear()

    def lacuna(mark: str = "") -> None:
        if not (segs and segs[-1].cls is VariantClass.LACUNA):
            segs.append(Segment(text="", cls=VariantClass.LACUNA, note=mark))
        elif mark and not segs[-1].note:
            segs[-1] = Segment(text="", cls=VariantClass.LACUNA, note=mark)

    def extend(tokens: Sequence[Token]) -> None:
        for t in tokens:
            if t.is_gap:
                flush()
                lacuna(t.word)
            else:
                plain.append(t)

    c = first
    while c <= last:
        li = loc_at.get(c)
        if li is not None:
            loc = locs[li]
            stop = min(last, loc.last)
            reading = next((r for r in loc.readings if r.siglum == siglum), None)
            whole = loc.first >= first and loc.last <= last
            if reading is None or not whole:
                tokens = tuple(t for col in alignment.columns[c : stop + 1] for t in (col[w] or ()))
                reading = Reading(siglum, tokens, reading.cls if reading else None, reading.similarity if reading else None)
            if reading.cls is None and reading.siglum != loc.base:
                extend(reading.tokens)  # agrees with the base: agreed text
            elif reading.cls is VariantClass.LACUNA:
                flush()
                lacuna(next((t.word for t in reading.tokens if t.is_gap), ""))
            elif whole or reading.tokens or reading.cls is VariantClass.OMISSION:
                flush()
                segs.append(_reading_segment(first_id + li, loc, reading, diff=whole))
            c = stop + 1
            continue
        cell = alignment.columns[c][w]
        if cell:
            extend(cell)
        elif c in lost:
            flush()
            lacuna()
        c += 1
    flush()
    return tuple(segs)


def _reading_segment(li: int, loc: Location, reading: Reading, *, diff: bool = True) -> Segment:
    text, ws = _split_ws(reading.tokens)
    if reading.cls is None:
        return Segment(text=text, ws=ws, loc=li, role=Role.BASE)
    parts = char_diff(loc.base_text, text) if diff and reading.cls is VariantClass.TYPO else ()
    note = ""
    if not text:
        note = f"lacks “{loc.base_text}”"
    return Segment(text=text, ws=ws, loc=li, role=Role.VARIANT, cls=reading.cls, diff=parts, note=note)


def char_diff(base: str, text: str) -> tuple[DiffPart, ...]:
    """The character-level differences of ``text`` against ``base``, as parts of ``text``.

    Characters of ``text`` that the base lacks or has otherwise are "changed";
    characters of the base that ``text`` lacks are "missing" parts (shown as a
    mark, never as part of the witness's text).

    >>> [(p.text, p.op.value) for p in char_diff("Eastern", "Easter")]
    [('Easter', 'equal'), ('n', 'missing')]
    >>> [(p.text, p.op.value) for p in char_diff("1942", "192")]
    [('19', 'equal'), ('4', 'missing'), ('2', 'equal')]
    >>> [(p.text, p.op.value) for p in char_diff("German", "Germany")]
    [('German', 'equal'), ('y', 'changed')]
    """
    parts: list[DiffPart] = []
    for op in Levenshtein.opcodes(base, text):
        if op.tag == "equal":
            parts.append(DiffPart(text[op.dest_start : op.dest_end], DiffOp.EQUAL))
        elif op.tag == "delete":
            parts.append(DiffPart(base[op.src_start : op.src_end], DiffOp.MISSING))
        else:  # replace, insert
            parts.append(DiffPart(text[op.dest_start : op.dest_end], DiffOp.CHANGED))
    return tuple(parts)
