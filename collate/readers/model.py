"""What a reader returns: the reading text of a source and a map back into it.

A reader turns one source file (TEI, PAGE, ALTO, hOCR, Markdown or plain text)
into an `Extracted`: the text the pipeline collates, plus everything needed
to point from an offset in that text back to the source:

``positions``
    a `PositionMap`: one *anchor* per place where the source's position jumps
    (a new line, a new page, a new text run after inline markup), sorted by
    text offset, so that `PositionMap.where` is a bisect.  Between anchors the
    column advances one per character.  Never one object per character.
``words``
    a `WordMap` of the OCR's word elements (ALTO ``String``, PAGE ``Word``,
    hOCR ``ocrx_word``) with their ids and the engine's confidence, where the
    source has them.
``gaps``
    `Gap` points in the text where a lacuna of unknown extent stands (TEI
    ``gap``, ``space``, an empty ``damage``).  A gap is never text.
``flags``
    `Flag` spans of text the source marks as doubtful: ``unclear``, text
    inside ``damage``, editorially ``supplied`` text.

>>> pm = PositionMap(starts=(0, 6), pages=(1, 1), lines=(1, 2), columns=(1, 1),
...                  ids=("l1", "l2"), source_lines=(3, 4), line_labels=("", ""), page_labels=("",))
>>> pm.where(8)
Position(page=1, line=2, column=3, id='l2', source_line=4, page_label='', line_label='')
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from enum import StrEnum


class SourceFormat(StrEnum):
    """The input formats a reader exists for."""

    PLAIN = "plain"
    MARKDOWN = "markdown"
    TEI = "tei"
    PAGE = "page"
    ALTO = "alto"
    HOCR = "hocr"

    @property
    def label(self) -> str:
        """The format's name as people write it: ``TEI``, ``PAGE-XML``, ``hOCR``..."""
        return _FORMAT_LABELS[self]


_FORMAT_LABELS = {
    SourceFormat.PLAIN: "plain text", SourceFormat.MARKDOWN: "Markdown", SourceFormat.TEI: "TEI",
    SourceFormat.PAGE: "PAGE-XML", SourceFormat.ALTO: "ALTO", SourceFormat.HOCR: "hOCR",
}


class TeiChoice(StrEnum):
    """Which side of a TEI ``choice`` is the reading text.

    ``source`` (the default) reads the witness as written: ``abbr``, ``orig``,
    ``sic``.  ``editorial`` reads the editor's side: ``expan``, ``reg``,
    ``corr``.  A transcription is collated as what the document says, so the
    default is the source's side.
    """

    SOURCE = "source"
    EDITORIAL = "editorial"


class Hyphens(StrEnum):
    """What a reader does with a word hyphenated across a line end.

    ``join`` (the default) makes one word of it wherever the format marks the
    hyphenation unambiguously: ALTO ``HYP``; a line-final ``¬`` (U+00AC) or
    soft hyphen (U+00AD) in PAGE and hOCR.  The mark and the line break are
    dropped, and the next line's anchor falls inside the word.  ``keep`` keeps
    the mark and the line break as the page shows them (ALTO ``HYP`` becomes
    its ``CONTENT``, ``-`` by default).  A plain ``-`` at a line end in PAGE or
    hOCR is never removed: it may belong to a compound (``German-`` /
    ``Fascist``).
    """

    JOIN = "join"
    KEEP = "keep"


@dataclass(frozen=True, slots=True)
class ReaderOptions:
    """How a source is read: its format (None: told from its content by `sniff`) and the readers' options.

    ``tei_choice`` matters for TEI only, ``hyphens`` for PAGE, ALTO and hOCR
    only (`ReaderOptions.used`).

    >>> ReaderOptions(tei_choice=TeiChoice.EDITORIAL).used(SourceFormat.TEI)
    {'tei_choice': 'editorial'}
    >>> ReaderOptions().used(SourceFormat.MARKDOWN)
    {}
    """

    format: SourceFormat | None = None
    tei_choice: TeiChoice = TeiChoice.SOURCE
    hyphens: Hyphens = Hyphens.JOIN

    def used(self, fmt: SourceFormat) -> dict[str, str]:
        """The options that reading a ``fmt`` source depends on, by name."""
        if fmt is SourceFormat.TEI:
            return {"tei_choice": self.tei_choice.value}
        if fmt in (SourceFormat.PAGE, SourceFormat.ALTO, SourceFormat.HOCR):
            return {"hyphens": self.hyphens.value}
        return {}


class GapKind(StrEnum):
    """The TEI element a lacuna comes from."""

    GAP = "gap"
    SPACE = "space"
    DAMAGE = "damage"


class FlagKind(StrEnum):
    """Why a span of text is marked as doubtful."""

    UNCLEAR = "unclear"
    DAMAGE = "damage"
    SUPPLIED = "supplied"


@dataclass(frozen=True, slots=True)
class Position:
    """Where one offset of the reading text stands in the source.

    ``page`` counts pages from 1 in document order (TEI ``pb``, PAGE and ALTO
    ``Page``, hOCR ``ocr_page``; always 1 for plain text and Markdown);
    ``page_label`` is the page's own name where the source gives one (TEI
    ``pb/@n``, ALTO ``PRINTED_IMG_NR``, hOCR ``ppageno``).  ``line`` counts
    lines from 1 on that page (TEI ``lb``, OCR text lines; the file's line for
    plain text and Markdown); ``line_label`` is TEI's ``lb/@n``.  ``column``
    counts characters from 1: in the source line for plain text and Markdown,
    in the line's reading text otherwise.  ``id`` is the innermost element id
    (an OCR word, else its line; TEI ``xml:id``), ``""`` where there is none.
    ``source_line`` is the line of the source file where that element starts.
    """

    page: int
    line: int
    column: int
    id: str
    source_line: int
    page_label: str = ""
    line_label: str = ""


@dataclass(frozen=True, slots=True)
class PositionMap:
    """Sorted anchors as parallel tuples: anchor ``i`` holds from ``starts[i]`` on.

    At ``starts[i]`` the source stands at page ``pages[i]``, line
    ``lines[i]``, column ``columns[i]``; each further character of the text
    is one column more, until the next anchor.  ``page_labels[p - 1]`` names
    page ``p``.
    """

    starts: tuple[int, ...]
    pages: tuple[int, ...]
    lines: tuple[int, ...]
    columns: tuple[int, ...]
    ids: tuple[str, ...]
    source_lines: tuple[int, ...]
    line_labels: tuple[str, ...]
    page_labels: tuple[str, ...]

    def where(self, offset: int) -> Position:
        """The source position of ``offset`` (an offset at the text's end is the last anchor's)."""
        if not self.starts:
            return Position(page=1, line=1, column=offset + 1, id="", source_line=1)
        i = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        page = self.pages[i]
        return Position(
            page=page,
            line=self.lines[i],
            column=self.columns[i] + max(offset - self.starts[i], 0),
            id=self.ids[i],
            source_line=self.source_lines[i],
            page_label=self.page_labels[page - 1] if page <= len(self.page_labels) else "",
            line_label=self.line_labels[i],
        )

    def __len__(self) -> int:
        return len(self.starts)


@dataclass(frozen=True, slots=True)
class WordMap:
    """OCR words as parallel tuples, sorted by ``starts``: ``text[starts[i]:ends[i]]`` is word i.

    ``confidences[i]`` is the engine's confidence in ``[0, 1]`` (hOCR's
    ``x_wconf`` percentages divided by 100), or None where the source gives
    none.  A word hyphenated across a line end is one entry per part.
    """

    starts: tuple[int, ...] = ()
    ends: tuple[int, ...] = ()
    ids: tuple[str, ...] = ()
    confidences: tuple[float | None, ...] = ()

    def __len__(self) -> int:
        return len(self.starts)

    def overlapping(self, start: int, end: int) -> range:
        """Indices of the words that share a character with ``[start, end)``.

        An empty span (an omission) touches the word it stands in or, at a
        word boundary, the words on either side.
        """
        if end > start:
            lo, hi = bisect.bisect_right(self.ends, start), bisect.bisect_left(self.starts, end)
        else:
            lo, hi = bisect.bisect_left(self.ends, start), bisect.bisect_right(self.starts, start)
        return range(lo, max(lo, hi))


@dataclass(frozen=True, slots=True)
class Gap:
    """A lacuna of unknown extent at ``offset`` of the reading text; never text.

    ``reason`` is the source's (TEI ``@reason``/``@agent``, e.g. "illegible",
    "water"), ``extent`` its stated size if any (TEI ``@extent``, or
    ``@quantity`` with ``@unit``: "3 words").
    """

    offset: int
    kind: GapKind
    reason: str = ""
    extent: str = ""


@dataclass(frozen=True, slots=True)
class Flag:
    """A span ``[start, end)`` of the reading text that the source marks as doubtful."""

    start: int
    end: int
    kind: FlagKind
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Extracted:
    """A source read: its reading text, its format and the map back into it.

    ``words`` is empty for formats without word elements; ``gaps`` and
    ``flags`` are empty except for TEI.  The same bytes and options always
    give an equal `Extracted`.
    """

    text: str
    format: SourceFormat
    positions: PositionMap
    words: WordMap = WordMap()
    gaps: tuple[Gap, ...] = ()
    flags: tuple[Flag, ...] = ()

    def where(self, offset: int) -> Position:
        """The source position of ``offset``, with the OCR word's id where one holds it.

        >>> from collate.readers import read_source
        >>> ex = read_source(b"Easter front\\nin 192.\\n", name="web.txt")
        >>> ex.where(ex.text.index("192"))
        Position(page=1, line=2, column=4, id='', source_line=2, page_label='', line_label='')
        """
        pos = self.positions.where(offset)
        if self.words:
            hit = self.words.overlapping(offset, offset + 1)
            if len(hit):
                return Position(pos.page, pos.line, pos.column, self.words.ids[hit[0]] or pos.id,
                                pos.source_line, pos.page_label, pos.line_label)
        return pos

    def confidence(self, start: int, end: int) -> float | None:
        """The lowest engine confidence of the words that ``[start, end)`` touches, if any.

        >>> from collate.readers import read_source
        >>> hocr = (b'<html><body><div class="ocr_page" title="bbox 0 0 9 9"><span class="ocr_line">'
        ...         b'<span class="ocrx_word" title="x_wconf 96">Easter</span> '
        ...         b'<span class="ocrx_word" title="x_wconf 41">front</span></span></div></body></html>')
        >>> ex = read_source(hocr)
        >>> ex.text, ex.confidence(7, 12), ex.confidence(0, 12)
        ('Easter front', 0.41, 0.41)
        >>> ex.confidence(0, 6)
        0.96
        """
        values = [c for i in self.words.overlapping(start, end) if (c := self.words.confidences[i]) is not None]
        return min(values) if values else None
