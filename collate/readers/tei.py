"""The TEI P5 reader: the reading text of ``<text>``, with pages and lines from ``pb`` and ``lb``.

What is read (everything else is read as its text, so unknown phrase-level
elements cost nothing):

``choice``
    one side only: by default the source's (``sic``, ``orig``, ``abbr``),
    with ``tei_choice="editorial"`` the editor's (``corr``, ``reg``,
    ``expan``); a choice with neither reads its first child.  ``app`` reads
    its ``lem``, else its first ``rdg``.
``del``, ``note``, ``fw``, ``figDesc``, ``metamark``
    dropped; ``add`` and ``subst``'s ``add`` are read.
``head``
    read, unless the editor added it (``type="editorial"`` or
    ``type="supplied"``): the document's own headings are text.
``gap``, ``space``, an empty ``damage``
    a `Gap` at that offset, with its reason and extent; never text.
``unclear``, ``damage`` with text, ``supplied``
    read, and flagged (`Flag`) as doubtful.
``pb``, ``lb``
    a new page, a new line: an anchor of the position map, with ``@n`` as the
    page's or line's label and ``xml:id`` as its id.  An ``lb`` at the start
    of a page does not open a second line.  ``lb``/``pb``/``cb`` separate
    words, except with ``break="no"``, which joins the word across the
    break, dropping a hyphen (``-``, ``¬``, ``⸗``, soft hyphen) just before it.
``xml:space``
    ``preserve`` keeps whitespace as written; otherwise runs of whitespace are
    one space, and none is added where markup splits a word
    (``<hi>E</hi>aster`` reads ``Easter``); adjacent ``w`` elements are words.
Blocks (``p``, ``ab``, ``head``, ``div``, ``lg``, ``opener``, ``closer``, ...)
are separated by a blank line; ``l``, ``item`` and ``row`` by a line break.
The reading text has no trailing newline.

Without any ``lb`` in the text, lines are the reading text's own lines.

>>> tei = (b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><text><body><p><lb n='1'/>the organi-"
...        b"<lb break='no' n='2'/>zation of a <gap reason='illegible'/> front</p></body></text></TEI>")
>>> ex = read_tei(tei, "w.xml")
>>> ex.text, ex.gaps[0].offset, ex.where(ex.text.index("zation")).line
('the organization of a front', 22, 2)
"""

from __future__ import annotations

from lxml import etree

from ..errors import CollateError
from .build import TextBuilder
from .model import Extracted, FlagKind, GapKind, SourceFormat, TeiChoice
from .sniff import TEI_NS
from .xml import localname, namespace, parse, sourceline, text_of

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_DROPPED = frozenset({"note", "del", "fw", "figDesc", "metamark", "teiHeader", "interp", "interpGrp",
                      "certainty", "index", "witDetail", "desc"})
_BLOCKS = frozenset({
    "text", "front", "body", "back", "group", "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7",
    "p", "ab", "head", "lg", "list", "table", "opener", "closer", "sp", "speaker", "stage", "figure",
    "floatingText", "trailer", "byline", "docTitle", "titlePart", "titlePage", "docImprint", "docAuthor",
    "docDate", "epigraph", "argument", "postscript", "listBibl",
})
_LINES = frozenset({"l", "item", "row"})
_SOURCE_SIDE = ("sic", "orig", "abbr")
_EDITORIAL_SIDE = ("corr", "reg", "expan")
_HYPHENS = "-\u00ac\u2e17\u00ad\u2010"
_WS = " \t\r\n"


class _Walker:
    """One pass over a TEI ``text`` element, writing into a `TextBuilder`.

    Separators are owed, not written, until text follows (``pending_break``,
    ``pending_space``), and so is the anchor of a ``pb`` or ``lb``
    (``pending_anchor``), so that an anchor lands on the first character of
    its line, after the separator, and nothing trails the text.
    """

    def __init__(self, ns: str, choice: TeiChoice, has_lb: bool) -> None:
        self.b = TextBuilder()
        self.ns = ns
        self.prefer = _SOURCE_SIDE if choice is TeiChoice.SOURCE else _EDITORIAL_SIDE
        self.has_lb = has_lb
        self.page, self.line = 1, 1
        self.page_has_text = False
        self.seen_pb = False
        self.pending_space = False
        self.pending_break = ""  # "\n" or "\n\n" owed before the next text
        self.pending_anchor: tuple[str, int, str] | None = None  # (id, source line, line label)
        self.joining = False  # after a break="no": whitespace is not a word boundary
        self.after_w = False  # the last thing read was the end of a <w>
        self.b.page_labels.append("")

    # -- text ---------------------------------------------------------------

    def flush(self, at_line: int) -> None:
        """Emit the block break or word space owed before new text, then any owed anchor."""
        b = self.b
        if self.pending_break:
            if b.length:
                b.trim_end(" ")
                b.append(self.pending_break)
                if not self.has_lb:
                    self.line += self.pending_break.count("\n")
                    b.anchor(page=self.page, line=self.line, source_line=at_line)
            self.pending_break = ""
            self.pending_space = False
        elif self.pending_space and not self.joining:
            if b.length and b.last not in _WS:
                b.append(" ")
            self.pending_space = False
        if self.pending_anchor is not None:
            ident, source_line, label = self.pending_anchor
            b.anchor(page=self.page, line=self.line, id=ident, source_line=source_line, line_label=label)
            self.pending_anchor = None

    def text(self, s: str | None, preserve: bool, at_line: int) -> None:
        if not s:
            return
        if not s.isspace():
            self.page_has_text = True
            self.after_w = False
        if preserve:
            self.flush(at_line)
            for n, piece in enumerate(s.split("\n")):
                if n:
                    self.b.append("\n")
                    if not self.has_lb:
                        self.line += 1
                        self.b.anchor(page=self.page, line=self.line, source_line=at_line + n)
                self.b.append(piece)
            return
        if s[0] in _WS:
            self.pending_space = True
        for n, word in enumerate(s.split()):
            if n:
                self.pending_space = True
            self.flush(at_line)
            self.joining = False
            self.b.append(word)
        if s[-1] in _WS:
            self.pending_space = True

    def block(self, separator: str) -> None:
        if len(separator) > len(self.pending_break):
            self.pending_break = separator
        self.pending_space = False

    # -- elements -----------------------------------------------------------

    def walk(self, el: etree._Element, preserve: bool) -> None:
        """Read ``el``'s content (not its tail)."""
        preserve = el.get(_XML_SPACE, "preserve" if preserve else "default") == "preserve"
        self.text(el.text, preserve, sourceline(el))
        for child in el:
            if isinstance(child.tag, str):
                self.element(child, preserve)
            self.text(child.tail, preserve, sourceline(child))

    def element(self, el: etree._Element, preserve: bool) -> None:
        name = localname(el) if namespace(el) == self.ns else ""
        if name in _DROPPED or (name == "head" and el.get("type") in ("editorial", "supplied")):
            return
        if name in ("lb", "pb", "cb"):
            self.milestone(el, name)
        elif name in ("gap", "space"):
            self.lacuna(el, GapKind.GAP if name == "gap" else GapKind.SPACE)
        elif name == "damage" and not text_of(el).strip():
            self.lacuna(el, GapKind.DAMAGE)
        elif name in ("choice", "app"):
            chosen = self.chosen(el, name)
            if chosen is not None:
                self.walk(chosen, preserve)
        elif name in ("unclear", "damage", "supplied"):
            self.flagged(el, preserve, FlagKind(name))
        elif name in _BLOCKS or name in _LINES:
            separator = "\n" if name in _LINES else "\n\n"
            self.block(separator)
            self.walk(el, preserve)
            self.block(separator)
        elif name == "w":
            if self.after_w:
                self.pending_space = True
            self.walk(el, preserve)
            self.after_w = True
        else:
            self.walk(el, preserve)

    def chosen(self, el: etree._Element, name: str) -> etree._Element | None:
        children = [c for c in el if isinstance(c.tag, str)]
        wanted = self.prefer if name == "choice" else ("lem", "rdg")
        for side in wanted:
            for child in children:
                if localname(child) == side and namespace(child) == self.ns:
                    return child
        return children[0] if children else None

    def milestone(self, el: etree._Element, name: str) -> None:
        b = self.b
        if el.get("break") == "no":
            self.pending_space = False
            if not self.pending_break:
                b.trim_end(_WS)
                if b.tail(1) and b.tail(1) in _HYPHENS:
                    b.trim_end(_HYPHENS)
                self.joining = True
        else:
            self.pending_space = True
        if name == "cb":
            return
        ident, label, source_line = el.get(_XML_ID, ""), el.get("n", ""), sourceline(el)
        if name == "pb":
            if self.seen_pb or self.page_has_text:  # a pb before any text names page 1
                self.page += 1
                b.page_labels.append(label)
            else:
                b.page_labels[0] = label
            self.seen_pb = True
            self.line = 1
            self.page_has_text = False
            self.pending_anchor = (ident, source_line, "")
            return
        if self.page_has_text:  # an lb that opens a page does not open a second line
            self.line += 1
            self.page_has_text = False
        self.pending_anchor = (ident, source_line, label)

    def lacuna(self, el: etree._Element, kind: GapKind) -> None:
        self.flush(sourceline(el))
        reason = el.get("reason") or el.get("agent") or ""
        extent = el.get("extent") or " ".join(filter(None, (el.get("quantity"), el.get("unit"))))
        self.b.gap(kind, reason, extent)

    def flagged(self, el: etree._Element, preserve: bool, kind: FlagKind) -> None:
        start = self.b.length
        self.walk(el, preserve)
        emitted = self.b.tail(self.b.length - start)
        start += len(emitted) - len(emitted.lstrip(_WS))
        self.b.flag(start, kind, el.get("reason") or el.get("agent") or el.get("cert") or "")


def _texts(root: etree._Element, ns: str) -> list[etree._Element]:
    """The ``text`` elements to read: the TEI's own, or each TEI's in a corpus."""
    tei = [root] if localname(root) == "TEI" else [c for c in root if isinstance(c.tag, str) and localname(c) == "TEI"]
    return [t for doc in tei for t in doc if isinstance(t.tag, str) and localname(t) == "text" and namespace(t) == ns]


def read_tei(data: bytes, path: str, *, choice: TeiChoice = TeiChoice.SOURCE) -> Extracted:
    """Read a TEI P5 document's reading text."""
    root = parse(data, path)
    ns = namespace(root)
    if localname(root) not in ("TEI", "teiCorpus") or ns not in (TEI_NS, ""):
        raise CollateError(f"not a TEI P5 document (root element {{{ns}}}{localname(root)})", path=path)
    texts = _texts(root, ns)
    if not texts:
        raise CollateError("TEI document without a <text> element: nothing to read", path=path)
    has_lb = any(True for t in texts for _ in t.iter(f"{{{ns}}}lb" if ns else "lb"))
    walker = _Walker(ns, choice, has_lb)
    walker.b.anchor(page=1, line=1, source_line=sourceline(texts[0]))
    for text in texts:
        walker.block("\n\n")
        walker.walk(text, False)
    walker.b.trim_end(_WS)
    if not walker.b.length:
        raise CollateError("the TEI <text> holds no text", path=path)
    return walker.b.finish(SourceFormat.TEI)
