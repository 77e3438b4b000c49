"""The ALTO reader (v1 to v4): ``String`` by ``String``, ``TextLine`` by ``TextLine``, ``Page`` by ``Page``.

Reading order is the file's: text lines in document order, as dinglehopper
reads them (an ALTO file's margins, ``TopMargin`` to ``BottomMargin``, come
before its ``PrintSpace`` in document order, and are read there).  A line's
text is its ``String``s' ``CONTENT`` joined by one space (``SP`` elements are
not needed, and not counted); ``Glyph``s are not read.  Lines are laid out by
`collate.readers.ocr.assemble`.

Hyphenation is what ALTO marks: a line ending in ``HYP``, or whose last
``String`` is ``SUBS_TYPE="HypPart1"``, continues its word on the next line.
With `Hyphens.JOIN` the two parts become one word (``organi`` + ``zation``);
if the parts do not spell their ``SUBS_CONTENT`` (a changed spelling, as in
old German "Zuk-" / "ker" for "Zucker"), the ``SUBS_CONTENT`` is read in
place of the first part and the second part adds nothing.  With
`Hyphens.KEEP` the ``HYP`` ``CONTENT`` and the line break stay.

``WC`` (0 to 1) is each word's confidence; ``String/@ID`` its id;
``Page/@PRINTED_IMG_NR`` the page's label.  tesseract up to 5.5.2 writes
``WC`` as ``"0."`` followed by its integer percentage, so 5 % is ``"0.5"``
and 100 % ``"0.100"`` (tesseract issue 4615, fixed by its pull request 4616);
in a file whose ``softwareName`` is such a tesseract, ``WC`` is read as
that percentage, and agrees with the same run's hOCR ``x_wconf``.

>>> alto = (b"<alto xmlns='http://www.loc.gov/standards/alto/ns-v4#'><Layout><Page ID='p1'><PrintSpace>"
...         b"<TextBlock><TextLine ID='l1'><String ID='s1' CONTENT='organi' WC='0.9'/><HYP CONTENT='-'/></TextLine>"
...         b"<TextLine ID='l2'><String ID='s2' CONTENT='zation' WC='0.5'/></TextLine></TextBlock>"
...         b"</PrintSpace></Page></Layout></alto>")
>>> ex = read_alto(alto, "p.xml")
>>> ex.text, ex.where(7), ex.confidence(0, 12)
('organization', Position(page=1, line=2, column=2, id='s2', source_line=1, page_label='', line_label=''), 0.5)
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lxml import etree

from ..errors import CollateError
from .model import Extracted, Hyphens, SourceFormat
from .ocr import SPACE, OcrLine, OcrPage, Piece, assemble
from .sniff import ALTO_NS_PREFIXES
from .xml import localname, namespace, parse, sourceline


def _confidence(value: str | None, percent: bool = False) -> float | None:
    """``WC`` as a number in [0, 1]; with ``percent``, tesseract's "0." + percentage.

    >>> _confidence("0.5"), _confidence("0.5", percent=True), _confidence("0.100", percent=True)
    (0.5, 0.05, 1.0)
    """
    if value is None:
        return None
    if percent and (digits := re.fullmatch(r"\s*0\.(\d{1,3})\s*", value)):
        return int(digits[1]) / 100
    try:
        return float(value)
    except ValueError:
        return None


_TESSERACT = re.compile(r"\s*tesseract\s+v?(\d+)\.(\d+)(?:\.(\d+))?", re.IGNORECASE)
LAST_PERCENT_WC = (5, 5, 2)
"""The last tesseract release whose ALTO writes ``WC`` as "0." + percentage (tesseract issue 4615)."""


def _percent_wc(root: etree._Element) -> bool:
    """Whether the file says it was written by a tesseract whose ``WC`` is "0." + percentage."""
    for el in root.iter("{*}softwareName", "softwareName"):
        match = _TESSERACT.match(el.text or "")
        if match:
            return tuple(int(g or 0) for g in match.groups()) <= LAST_PERCENT_WC
    return False


class _Raw(NamedTuple):
    line: OcrLine
    subs: str | None  # the SUBS_CONTENT of a line-final HypPart1 String


def _pages(root: etree._Element, ns: str) -> list[tuple[str, list[_Raw]]]:
    """Pages (label, raw lines) in document order."""
    percent = _percent_wc(root)
    page_tag, line_tag, string_tag, hyp_tag = (f"{{{ns}}}{t}" if ns else t for t in ("Page", "TextLine", "String", "HYP"))
    pages: list[tuple[str, list[_Raw]]] = []
    words: list[Piece] = []
    last: etree._Element | None = None  # the line's last String
    line: etree._Element | None = None
    hyp: str | None = None

    def close() -> None:
        if line is not None:
            pages[-1][1].append(_raw(line, tuple(words), last, hyp))

    for el in root.iter(page_tag, line_tag, string_tag, hyp_tag):
        tag = el.tag
        if tag == string_tag:
            if words:
                words.append(SPACE)
            words.append((el.get("CONTENT", ""), el.get("ID", ""), _confidence(el.get("WC"), percent)))
            last = el
        elif tag == hyp_tag:
            hyp = el.get("CONTENT", "")
        else:
            close()
            words, last, hyp = [], None, None
            line = el if tag == line_tag else None
            if tag == page_tag:
                pages.append((el.get("PRINTED_IMG_NR", ""), []))
            elif not pages:
                pages.append(("", []))
    close()
    return pages


def _raw(el: etree._Element, words: tuple[Piece, ...], last: etree._Element | None, hyp: str | None) -> _Raw:
    ident, source_line = el.get("ID", ""), sourceline(el)
    pieces = words  # already spaced
    part1 = last is not None and last.get("SUBS_TYPE") == "HypPart1"
    if hyp is not None:
        return _Raw(OcrLine(ident, source_line, pieces, hyp, joins=True), last.get("SUBS_CONTENT") if part1 and last is not None else None)
    if not part1 or last is None:
        return _Raw(OcrLine(ident, source_line, pieces), None)
    text, wid, conf = pieces[-1]
    mark = "-" if text.endswith("-") and len(text) > 1 else ""  # the hyphen written into CONTENT
    pieces = pieces[:-1] + ((text[: len(text) - len(mark)], wid, conf),)
    return _Raw(OcrLine(ident, source_line, pieces, mark, joins=True), last.get("SUBS_CONTENT"))


def _resolve(raw: list[_Raw], hyphens: Hyphens) -> tuple[OcrLine, ...]:
    """Read a SUBS_CONTENT in place of the parts where the parts do not spell it (with JOIN)."""
    out: list[OcrLine] = []
    absorb = False  # this line's first word is a second part already read as SUBS_CONTENT
    for n, (line, subs) in enumerate(raw):
        pieces = line.pieces
        if absorb:
            pieces = pieces[1:]  # the second part was read as SUBS_CONTENT; the space after it stays
        absorb = False
        following = raw[n + 1].line.pieces if n + 1 < len(raw) else ()
        if subs and hyphens is Hyphens.JOIN and pieces and following and pieces[-1][0] + following[0][0] != subs:
            pieces = pieces[:-1] + ((subs, pieces[-1][1], pieces[-1][2]),)
            absorb = True
        out.append(line._replace(pieces=pieces))
    return tuple(out)


def read_alto(data: bytes, path: str, *, hyphens: Hyphens = Hyphens.JOIN) -> Extracted:
    """Read an ALTO file's text, line by line."""
    root = parse(data, path)
    ns = namespace(root)
    if localname(root) != "alto" or not (ns == "" or ns.startswith(ALTO_NS_PREFIXES)):
        raise CollateError(f"not an ALTO document (root element {{{ns}}}{localname(root)})", path=path)
    pages = _pages(root, ns)
    if not pages:
        raise CollateError("the ALTO file has no Page element", path=path)
    extracted = assemble((OcrPage(label, _resolve(raw, hyphens)) for label, raw in pages), SourceFormat.ALTO, hyphens)
    if not extracted.text.strip():
        raise CollateError("empty page: the ALTO file has no String with text", path=path)
    return extracted
