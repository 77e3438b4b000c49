"""The PAGE-XML reader (2013 and 2019 schemas, and earlier): ``TextLine`` by ``TextLine``, in reading order.

Reading order is the file's: the regions of ``ReadingOrder``, an
``OrderedGroup`` by its ``index`` and an ``UnorderedGroup`` as written,
nested groups in place; a referenced region that is not a ``TextRegion``
(a ``TableRegion``, say) is read as the text regions inside it.  Regions
that the ``ReadingOrder`` does not name are not read (as in dinglehopper).
Without a ``ReadingOrder``, every ``TextRegion`` in document order.

A region's text is its own ``TextLine``s (nested regions are regions of their
own).  A line's text is its ``TextEquiv``: of several, the one with the
lowest ``index`` (the PAGE schema's "main text content"), else the first.  A
line without a ``TextEquiv`` is read from its ``Word``s, joined by a space.
Region-level ``TextEquiv``s of regions with lines are not read (dinglehopper reads them unless told
``--textequiv-level line``).

A region without ``TextLine``s is read from its own ``TextEquiv``, one line
per line of its text (the region's id standing for each).

Word confidences are the ``Word``s' ``TextEquiv/@conf``, where the words occur
in the line's text in order (``worden`` and ``;`` in ``worden;``); otherwise
the line's own ``conf`` stands for the whole line.  A line-final ``¬`` or soft hyphen is a
hyphenation mark (`Hyphens`); there is no page label.

>>> page = (b"<PcGts xmlns='http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15'><Page>"
...         b"<TextRegion id='r1'><TextLine id='l1'><Word id='w1'><TextEquiv conf='0.4'><Unicode>Easter</Unicode>"
...         b"</TextEquiv></Word><TextEquiv index='1'><Unicode>Easter</Unicode></TextEquiv></TextLine></TextRegion>"
...         b"</Page></PcGts>")
>>> ex = read_page(page, "p.xml")
>>> ex.text, ex.where(2).id, ex.confidence(0, 3)
('Easter', 'w1', 0.4)
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..errors import CollateError
from .model import Extracted, Hyphens, SourceFormat
from .ocr import OcrLine, OcrPage, Piece, assemble, spaced, split_hyphen
from .sniff import PAGE_NS_PREFIX
from .xml import localname, namespace, parse, sourceline

_GROUPS = ("OrderedGroup", "UnorderedGroup", "OrderedGroupIndexed", "UnorderedGroupIndexed")


class _Page:
    def __init__(self, root: etree._Element, ns: str) -> None:
        self.ns = ns
        self.by_id = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}

    def q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def regions(self, page: etree._Element) -> Iterator[etree._Element]:
        order = page.find(f"{self.q('ReadingOrder')}")
        if order is None:
            yield from page.iter(self.q("TextRegion"))
            return
        for group in order:
            if isinstance(group.tag, str):
                yield from self.group(group)

    def group(self, group: etree._Element) -> Iterator[etree._Element]:
        children = [c for c in group if isinstance(c.tag, str) and localname(c) != "Labels"]
        if localname(group).startswith("Ordered"):
            children.sort(key=lambda c: int(c.get("index", "0")))
        for child in children:
            if localname(child) in _GROUPS:
                yield from self.group(child)
                continue
            region = self.by_id.get(child.get("regionRef"))
            if region is None:
                continue
            if localname(region) == "TextRegion":
                yield region
            else:
                yield from region.iter(self.q("TextRegion"))

    def text_equiv(self, el: etree._Element) -> tuple[str, float | None] | None:
        equivs = el.findall(self.q("TextEquiv"))
        if not equivs:
            return None
        indexed = [e for e in equivs if (e.get("index") or "").lstrip("-").isdigit()]
        chosen = min(indexed, key=lambda e: int(e.get("index", "0"))) if indexed else equivs[0]
        unicode = chosen.find(self.q("Unicode"))
        conf = chosen.get("conf")
        return (unicode.text or "") if unicode is not None else "", float(conf) if conf else None

    def line(self, el: etree._Element) -> OcrLine:
        words: list[Piece] = []
        for word in el.iter(self.q("Word")):
            equiv = self.text_equiv(word)
            if equiv is not None and equiv[0]:
                words.append((equiv[0], word.get("id", ""), equiv[1]))
        own = self.text_equiv(el)
        if own is None:
            pieces = spaced(words)
        else:
            pieces = _locate(own[0], words) or ((own[0], "", own[1]),)
        pieces, mark = split_hyphen(pieces)
        return OcrLine(el.get("id", ""), sourceline(el), pieces, mark, joins=bool(mark))

    def region_lines(self, region: etree._Element) -> list[OcrLine]:
        """The region's TextLines; without any, the lines of its own TextEquiv."""
        lines = region.findall(self.q("TextLine"))
        if lines:
            return [self.line(line) for line in lines]
        own = self.text_equiv(region)
        if own is None:
            return []
        ident, at = region.get("id", ""), sourceline(region)
        return [OcrLine(ident, at, ((text, "", own[1]),)) for text in own[0].split("\n")]


def _locate(text: str, words: list[Piece]) -> tuple[Piece, ...]:
    """The line text cut into its words and what lies between them, if the words occur in it in order."""
    out: list[Piece] = []
    at = 0
    for word in words:
        found = text.find(word[0], at)
        if found == -1:
            return ()
        if found > at:
            out.append((text[at:found], "", None))
        out.append(word)
        at = found + len(word[0])
    if at < len(text):
        out.append((text[at:], "", None))
    return tuple(out) if words else ()


def read_page(data: bytes, path: str, *, hyphens: Hyphens = Hyphens.JOIN) -> Extracted:
    """Read a PAGE-XML file's text, line by line in reading order."""
    root = parse(data, path)
    ns = namespace(root)
    if localname(root) != "PcGts" or not ns.startswith(PAGE_NS_PREFIX):
        raise CollateError(f"not a PAGE-XML document (root element {{{ns}}}{localname(root)})", path=path)
    reader = _Page(root, ns)
    pages = [
        OcrPage("", tuple(line for region in reader.regions(page) for line in reader.region_lines(region)))
        for page in root.findall(reader.q("Page"))
    ]
    if not pages:
        raise CollateError("the PAGE file has no Page element", path=path)
    extracted = assemble(pages, SourceFormat.PAGE, hyphens)
    if not extracted.text.strip():
        raise CollateError("empty page: no TextLine of the PAGE file has text", path=path)
    return extracted
