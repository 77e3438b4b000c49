"""Which reader a source needs, told from its bytes first and its file name second.

XML is recognised by its root element and namespace, whatever the file is
called; HTML is hOCR when it holds an element of class ``ocr_page``.  Text
that is not markup is Markdown when its name says so (``.md``,
``.markdown``) or, with no telling name, when it has Markdown block syntax
(an ATX heading, a fenced code block or a setext underline); otherwise plain.
A witness that merely begins with ``<`` (``<...> quoted``) stays plain text
unless it carries an XML declaration or an XML-ish name.

>>> sniff(b"<?xml version='1.0'?><alto xmlns='http://www.loc.gov/standards/alto/ns-v4#'/>", "x.txt")
<SourceFormat.ALTO: 'alto'>
>>> sniff(b"# AIDE-MEMORIE\\n\\nAs the result", "")
<SourceFormat.MARKDOWN: 'markdown'>
>>> sniff(b"<...> the best forces to boot", "quote.txt")
<SourceFormat.PLAIN: 'plain'>
"""

from __future__ import annotations

import re

from ..errors import CollateError
from .model import SourceFormat
from .plain import refuse_wide

TEI_NS = "http://www.tei-c.org/ns/1.0"
PAGE_NS_PREFIX = "http://schema.primaresearch.org/PAGE/gts/pagecontent/"
ALTO_NS_PREFIXES = ("http://www.loc.gov/standards/alto/", "http://schema.ccs-gmbh.com/ALTO")
XHTML_NS = "http://www.w3.org/1999/xhtml"

_XML_NAMES = (".xml", ".tei", ".alto", ".page", ".hocr", ".html", ".htm", ".xhtml")
_MD_NAMES = (".md", ".markdown")
# The prolog before the root element: declaration, comments, PIs, doctype (with an internal subset).
_PROLOG = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*",
    re.DOTALL | re.IGNORECASE,
)
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.\-]*):)?([A-Za-z_][\w.\-]*)([^>]*)>")
_XMLNS = re.compile(rb"""xmlns(?::([\w.\-]+))?\s*=\s*(["'])(.*?)\2""")
_OCR_PAGE = re.compile(rb"""class\s*=\s*["'][^"']*\bocr_page\b""")
_MARKDOWN = re.compile(rb"^(?:#{1,6}[ \t]|```|~~~|(?:=+|-{2,})[ \t]*$)", re.MULTILINE)


def root_of(data: bytes) -> tuple[str, str] | None:
    """``(namespace, localname)`` of the root element, or None if ``data`` does not start with one.

    >>> root_of(b"<?xml version='1.0'?>\\n<!-- x --><pc:PcGts xmlns:pc='urn:p'>")
    ('urn:p', 'PcGts')
    """
    head = data[:65536]
    start = _PROLOG.match(head)
    match = _ROOT.match(head, start.end() if start else 0)
    if match is None:
        return None
    prefix = match.group(1) or b""
    for ns in _XMLNS.finditer(match.group(3)):
        if (ns.group(1) or b"") == prefix:
            return ns.group(3).decode("utf-8", "replace"), match.group(2).decode("ascii")
    return "", match.group(2).decode("ascii")


def _xmlish(data: bytes, name: str) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"<?xml", b"<!DOCTYPE", b"<!doctype")) or name.lower().endswith(_XML_NAMES)


def sniff(data: bytes, name: str) -> SourceFormat:
    """The format of ``data``; ``name`` is its file name, used for hints and errors."""
    refuse_wide(data, name)
    root = root_of(data)
    if root is not None:
        ns, local = root
        fmt = _xml_format(ns, local, data)
        if fmt is not None:
            return fmt
        if _xmlish(data, name) or local.lower() in ("tei", "pcgts", "alto", "html"):
            where = f"{{{ns}}}{local}" if ns else local
            raise CollateError(
                f"unknown XML document: root element {where} (expected TEI P5 <TEI>, PAGE <PcGts>, "
                "ALTO <alto> or hOCR <html> with ocr_page elements)",
                path=name,
            )
    elif _xmlish(data, name) and name.lower().endswith(_XML_NAMES):
        raise CollateError("no XML root element found", path=name)
    lowered = name.lower()
    if lowered.endswith(_MD_NAMES):
        return SourceFormat.MARKDOWN
    if not lowered.endswith(".txt") and _MARKDOWN.search(data[:65536]):
        return SourceFormat.MARKDOWN
    return SourceFormat.PLAIN


def _xml_format(ns: str, local: str, data: bytes) -> SourceFormat | None:
    if local in ("TEI", "teiCorpus") and ns in (TEI_NS, ""):
        return SourceFormat.TEI
    if local == "PcGts" and ns.startswith(PAGE_NS_PREFIX):
        return SourceFormat.PAGE
    if local == "alto" and (ns == "" or ns.startswith(ALTO_NS_PREFIXES)):
        return SourceFormat.ALTO
    if local.lower() == "html" and ns in (XHTML_NS, "") and _OCR_PAGE.search(data):
        return SourceFormat.HOCR
    return None
