"""Where each error of a check stands in its two sources: page, line, column, element id, OCR confidence.

`collate.fidelity.check` reports every error as a span of the texts it
compared (made NFC).  `locate` takes each span back to the witness's own text
(`offset_map`: the identity when the text was NFC already, else a map through
the normalization) and from there to its source (`Witness.source`, the
reader's position map; for plain text the text's own lines): a `Place` with
the page, line and column (1-based), the element id where the source has ids
(an OCR word, a line, a TEI ``xml:id``), the OCR engine's confidence for the
words the span touches, the TEI flags (``unclear``, ``damage``, ``supplied``)
it overlaps and the TEI lacunae (``gap``, ``space``, ``damage``) at it.

The renderers call it through `collate.api.Check`; `place_dict` is the JSON
form (``witness_at``, ``reference_at``), `cite` the short readable one.

>>> from collate.fidelity import check
>>> from collate.model import Witness
>>> ref, wit = Witness("gt", "the Eastern\\nfront in 1942."), Witness("ocr", "the Easter\\nfront in 192.")
>>> report = check(ref, wit)
>>> [(cite(p.witness), cite(p.reference)) for p in locate(report, wit, ref)]
[('l. 1, col. 5', 'l. 1, col. 5'), ('l. 2, col. 10', 'l. 2, col. 10')]
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .fidelity import FidelityReport
from .model import Witness
from .readers import Extracted, Position, SourceFormat
from .readers.plain import line_map

__all__ = ["ErrorPlace", "Locator", "OcrWord", "Place", "cite", "locate", "located_lines", "offset_map", "place_dict"]

PAGED = frozenset({SourceFormat.TEI, SourceFormat.PAGE, SourceFormat.ALTO, SourceFormat.HOCR})
"""Formats with pages: a citation names the page (plain text and Markdown have one)."""


@dataclass(frozen=True, slots=True)
class OcrWord:
    """An OCR word an error touches: its element id, its text and the engine's confidence in [0, 1]."""

    id: str
    text: str
    confidence: float | None


@dataclass(frozen=True, slots=True)
class Place:
    """Where one side of an error stands in its source.

    ``at`` is the position of the span's start (see `collate.readers.Position`),
    ``offset`` that start in the witness's own text.  ``confidence`` is the
    lowest engine confidence of the OCR ``words`` the span touches (None
    where the source gives none); ``flags`` the kinds of the TEI doubtful
    spans it overlaps; ``gaps`` the TEI lacunae at it, as "kind: reason".
    ``paged`` says whether the source has pages worth naming.
    """

    at: Position
    offset: int
    paged: bool = False
    confidence: float | None = None
    words: tuple[OcrWord, ...] = ()
    flags: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ErrorPlace:
    """Where one error stands in the witness and in the reference."""

    witness: Place
    reference: Place


# ----------------------------------------------------------------------------- offsets


def offset_map(original: str, compared: str) -> Callable[[int], int]:
    """A function from offsets in ``compared`` (the text a check compared) to offsets in ``original``.

    The identity when the two are equal; through the NFC normalization, piece
    by piece, when ``compared`` is ``original`` made NFC; otherwise through
    an edit alignment of the two.  An offset inside a piece that
    normalization changed maps into that piece.

    >>> to_original = offset_map("Cafe\\u0301 de Flore", "Caf\\u00e9 de Flore")
    >>> to_original(5), "Cafe\\u0301 de Flore"[to_original(5):]
    (6, 'de Flore')
    """
    if original == compared:
        return lambda offset: offset
    pieces = _nfc_pieces(original)
    if "".join(nfc for _, nfc in pieces) == compared:
        orig_starts, nfc_starts = [0], [0]
        for orig, nfc in pieces:
            orig_starts.append(orig_starts[-1] + len(orig))
            nfc_starts.append(nfc_starts[-1] + len(nfc))
        return lambda offset: _through(offset, nfc_starts, orig_starts)
    return _edit_map(original, compared)


def _nfc_pieces(text: str) -> list[tuple[str, str]]:
    """``text`` cut where NFC cannot reach across, each piece with its NFC form.

    A piece starts at a character of combining class 0 unless normalizing
    it with the piece before changes either (a starter that composes with
    the previous one, such as a Hangul vowel).  ASCII never composes with
    what precedes it, which keeps the common case quick.
    """
    pieces: list[tuple[str, str]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i < len(text):
            c = text[i]
            if c >= "\x80" and (unicodedata.combining(c) or _composes(text[start:i], c)):
                continue
        piece = text[start:i]
        pieces.append((piece, unicodedata.normalize("NFC", piece)))
        start = i
    return pieces


def _composes(before: str, c: str) -> bool:
    return unicodedata.normalize("NFC", before + c) != unicodedata.normalize("NFC", before) + unicodedata.normalize("NFC", c)


def _through(offset: int, from_starts: Sequence[int], to_starts: Sequence[int]) -> int:
    i = max(bisect.bisect_right(from_starts, offset) - 1, 0)
    if i >= len(from_starts) - 1:
        return to_starts[-1]
    return to_starts[i] + min(offset - from_starts[i], to_starts[i + 1] - to_starts[i])


def _edit_map(original: str, compared: str) -> Callable[[int], int]:
    """Offsets through an alignment of the two texts: exact in what they share, a change's start inside it."""
    from rapidfuzz.distance import Indel

    segments = [(op.src_start, op.dest_start, op.tag == "equal")
                for op in Indel.opcodes(compared, original) if op.src_end > op.src_start]
    starts = [s for s, _, _ in segments]

    def to_original(offset: int) -> int:
        if offset >= len(compared):
            return len(original)
        start, dest, equal = segments[bisect.bisect_right(starts, offset) - 1]
        return dest + (offset - start) if equal else dest

    return to_original


# ----------------------------------------------------------------------------- places


class Locator:
    """Places in one witness: spans of ``compared`` (by default its own text) to `Place` values.

    Built once per witness (it maps the text's lines, or the normalization),
    then asked for any number of spans: `locate` uses one per side of a
    check, and a report can use one per witness to cite its readings.

    >>> Locator(Witness("w", "the Easter\\nfront")).place((11, 16)).at.line
    2
    """

    def __init__(self, witness: Witness, compared: str | None = None) -> None:
        source = witness.source if witness.source is not None and witness.source.text == witness.text else None
        self.to_original = offset_map(witness.text, witness.text if compared is None else compared)
        self.source: Extracted = source or Extracted(witness.text, SourceFormat.PLAIN, line_map(witness.text))
        self.paged = self.source.format in PAGED

    def place(self, span: tuple[int, int]) -> Place:
        """Where ``span`` (offsets in the compared text) stands in the witness's source."""
        start, end = self.to_original(span[0]), self.to_original(span[1])
        src = self.source
        hit = src.words.overlapping(start, end)
        words = tuple(OcrWord(src.words.ids[i], src.text[src.words.starts[i] : src.words.ends[i]], src.words.confidences[i])
                      for i in hit)
        flags = tuple(dict.fromkeys(f.kind.value for f in src.flags if f.start < max(end, start + 1) and start < f.end))
        gaps = tuple(f"{g.kind.value}: {g.reason}" if g.reason else g.kind.value
                     for g in src.gaps if start <= g.offset <= end)
        return Place(src.where(start), start, self.paged, src.confidence(start, end), words, flags, gaps)


def locate(report: FidelityReport, witness: Witness, reference: Witness) -> tuple[ErrorPlace, ...]:
    """Where every error of ``report`` stands in ``witness`` and ``reference`` (the two checked), in order."""
    wit, ref = Locator(witness, report.witness_text), Locator(reference, report.reference_text)
    return tuple(ErrorPlace(wit.place(e.witness_span), ref.place(e.reference_span)) for e in report.errors)


# ----------------------------------------------------------------------------- outputs


def cite(place: Place) -> str:
    """The place as a reader cites it: page (where the source has pages), line and column.

    >>> cite(Place(Position(page=2, line=14, column=3, id="", source_line=9, page_label="1v"), 0, paged=True))
    'p. 1v, l. 14, col. 3'
    """
    at = place.at
    line = f"l. {at.line_label or at.line}, col. {at.column}"
    return f"p. {at.page_label or at.page}, {line}" if place.paged else line


def place_dict(place: Place) -> dict[str, object]:
    """The place as JSON-ready data: the same keys for every source, null where it has no value.

    >>> place_dict(Place(Position(1, 2, 5, "", 2), 17))["line"]
    2
    """
    at = place.at
    return {
        "page": at.page,
        "line": at.line,
        "column": at.column,
        "id": at.id or None,
        "page_label": at.page_label or None,
        "line_label": at.line_label or None,
        "source_line": at.source_line,
        "offset": place.offset,
        "confidence": place.confidence,
        "words": [{"id": w.id or None, "text": w.text, "confidence": w.confidence} for w in place.words],
        "flags": list(place.flags),
        "gaps": list(place.gaps),
    }


def located_lines(report: FidelityReport, places: Sequence[ErrorPlace], *, limit: int | None = None) -> list[str]:
    """One line per error, where it stands in the witness: "p. 2, l. 14, col. 3: Easter → Eastern (typo)".

    At most ``limit`` lines (None: all), then one line saying how many more.
    An empty side reads "(nothing)"; the engine's confidence follows where
    the source gives one.
    """
    lines = []
    for error, place in list(zip(report.errors, places))[:limit]:
        conf = f", confidence {place.witness.confidence:.2f}" if place.witness.confidence is not None else ""
        lines.append(f"  {cite(place.witness)}: {_one_line(error.witness)} \u2192 {_one_line(error.reference)}"
                     f" ({error.cls.value}{conf})")
    hidden = len(report.errors) - len(lines)
    if hidden > 0:
        lines.append(f"  \u2026 and {hidden} more (--list-errors lists them all; --json gives every position)")
    return lines


def _one_line(reading: str) -> str:
    """A reading on one line: its whitespace, line breaks included, as single spaces; "(nothing)" if empty."""
    return " ".join(reading.split()) or "(nothing)"
