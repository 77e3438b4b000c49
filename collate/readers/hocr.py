"""The hOCR reader: ``ocrx_word`` by ``ocrx_word``, ``ocr_line`` by ``ocr_line``, ``ocr_page`` by ``ocr_page``.

hOCR is HTML, often not well-formed XML, so it is parsed with lxml's HTML
parser (no network; HTML knows no entity declarations).  Reading order is
document order.  A line is an element of class ``ocr_line`` or one of the
line-like classes tesseract and others write (``ocr_header``,
``ocr_caption``, ``ocr_textfloat``, ``ocr_footer``, ``ocrx_line``); its text
is its ``ocrx_word``s joined by one space, or, without words, its own text
with whitespace runs made one space.  ``x_wconf`` (0 to 100) in a word's
``title`` is its confidence (divided by 100); ``id`` attributes are the ids.
A line-final ``¬`` or soft hyphen is a hyphenation mark (`Hyphens`).

>>> hocr = (b"<html><body><div class='ocr_page' id='page_1'><span class='ocr_line' id='line_1'>"
...         b"<span class='ocrx_word' id='w1' title='bbox 1 2 3 4; x_wconf 91'>Easter</span> "
...         b"<span class='ocrx_word' id='w2' title='x_wconf 60'>front</span></span></div></body></html>")
>>> ex = read_hocr(hocr, "p.hocr")
>>> ex.text, ex.where(8).id, ex.confidence(7, 12)
('Easter front', 'w2', 0.6)
"""

from __future__ import annotations

import re

from lxml import etree

from ..errors import CollateError
from .model import Extracted, Hyphens, SourceFormat
from .xml import sourceline, text_of
from .ocr import OcrLine, OcrPage, Piece, assemble, spaced, split_hyphen

_LINE_CLASSES = frozenset({"ocr_line", "ocrx_line", "ocr_header", "ocr_caption", "ocr_textfloat", "ocr_footer"})
_WCONF = re.compile(r"\bx_wconf\s+(-?\d+(?:\.\d+)?)")


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def _confidence(title: str | None) -> float | None:
    match = _WCONF.search(title or "")
    return float(match.group(1)) / 100 if match else None


def _line(el: etree._Element) -> OcrLine:
    words: list[Piece] = [
        (" ".join(text_of(w).split()), w.get("id", ""), _confidence(w.get("title")))
        for w in el.iter()
        if isinstance(w.tag, str) and "ocrx_word" in _classes(w)
    ]
    if not words:
        words = [(" ".join(text_of(el).split()), "", None)]
    pieces, mark = split_hyphen(spaced([w for w in words if w[0]]))
    return OcrLine(el.get("id", ""), sourceline(el), pieces, mark, joins=bool(mark))


def read_hocr(data: bytes, path: str, *, hyphens: Hyphens = Hyphens.JOIN) -> Extracted:
    """Read an hOCR file's text, line by line."""
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
    root = etree.fromstring(data, parser)
    if root is None:
        raise CollateError("not an hOCR document: no HTML content", path=path)
    pages = []
    for page in root.iter():
        if not isinstance(page.tag, str) or "ocr_page" not in _classes(page):
            continue
        lines = []
        for el in page.iter():
            if isinstance(el.tag, str) and _classes(el) & _LINE_CLASSES:
                lines.append(_line(el))
        pages.append(OcrPage("", tuple(lines)))
    if not pages:
        raise CollateError("not an hOCR document: no element of class ocr_page", path=path)
    extracted = assemble(pages, SourceFormat.HOCR, hyphens)
    if not extracted.text.strip():
        raise CollateError("empty page: no ocr_line of the hOCR file has text", path=path)
    return extracted
