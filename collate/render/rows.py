"""Rows of the synoptic view: the alignment cut into sentences, each witness's text in segments.

A row is a run of columns ending where the base text (or, where it is lost,
the longest witness present) ends a sentence or a paragraph, or, failing
that, after `ROW_MAX_COLUMNS` columns; never inside a variant location.  In
a row, each witness's text is a tuple of `Segment` values: agreed text, a
reading at a variant location (its class, and for a probable typo its
character-level differences from the base), or a mark for lost text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import Levenshtein

from ..model import Alignment, Location, Reading, Token, TokenKind, VariantClass
from ..variants import lost_columns

ROW_MAX_COLUMNS = 60
"""A row longer than this is cut at the next space outside a variant location."""

_SENTENCE_END = frozenset(".?!")
_ABBREVIATIONS = frozenset("Mr Mrs Ms Dr St Messrs Gen Col Lt Capt Sgt Prof Rev Hon Jr Sr No Vol".split())


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
    """What a segment at a variant location is, beside its class."""

    BASE = "base"  # the base's own reading
    AGREE = "agree"  # a reading that agrees with the base
    VARIANT = "variant"  # a reading that differs: see its class


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of one witness's text in one row.

    Agreed text outside any location has ``loc`` and ``role`` None.  A
    reading at location ``loc`` has a `Role`, and ``cls`` its class when it
    differs from the base; a lost stretch is ``cls`` `VariantClass.LACUNA`
    with no text.  ``ws`` is the whitespace after the text.
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


def build_rows(alignment: Alignment, locs: Sequence[Location], base: str | None) -> list[tuple[int, int, bool, Cells]]:
    """``(first, last, paragraph_end, cells)`` per row; ``locs`` sorted, their index is their id.

    A location where the extant witnesses agree and only fragments' lost text
    differs is drawn column by column (agreed text and "text lost"), so rows
    may cut through it.
    """
    drawn = [i for i, loc in enumerate(locs) if not _lacuna_only(loc)]
    loc_at: dict[int, int] = {}
    for i in drawn:
        for c in range(locs[i].first, locs[i].last + 1):
            loc_at.setdefault(c, i)
    lost = lost_columns(alignment)
    bounds = _row_bounds(alignment, [locs[i] for i in drawn], _pilot_order(alignment, base))
    return [
        (
            first,
            last,
            para,
            tuple(_cell_segments(alignment, w, first, last, locs, loc_at, lost[w]) for w in range(len(alignment.sigla))),
        )
        for first, last, para in bounds
    ]


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
        if not (segs and segs[-1].cls is VariantClass.LACUNA):
            segs.append(Segment(text="", cls=VariantClass.LACUNA))

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
        return Segment(text=text, ws=ws, loc=li, role=Role.BASE if reading.siglum == loc.base else Role.AGREE)
    diff = char_diff(loc.base_text, text) if reading.cls is VariantClass.TYPO else ()
    note = ""
    if not text:
        note = f"lacks “{loc.base_text}”"
    return Segment(text=text, ws=ws, loc=li, role=Role.VARIANT, cls=reading.cls, diff=diff, note=note)


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
