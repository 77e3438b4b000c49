"""TEI P5 export of a collation: parallel segmentation that gives every witness back exactly.

`to_tei` writes the whole collation into one ``<div xml:space="preserve">``:
text all witnesses share, character for character, stands as it is; every
variant location, and every place where witnesses read the same once
normalized but are written differently, is an ``<app>``.  In an ``<app>``:

- ``<lem wit="...">`` holds the base's reading (`Variants.base`, or the
  best-attested reading where there is no base or the base's text is lost),
  and the witnesses that read it exactly so;
- each other exact form has an ``<rdg wit="..." type="CLASS">``, its class
  against the lemma (`collate.model.VariantClass`), or ``type="formal"`` for
  a reading the alignment counts as the same (other whitespace or line
  breaks, or what the normalization preset folds);
- a witness whose text is lost there (a fragment) has
  ``<rdg wit="..." type="lacuna"><gap reason="lost"/></rdg>``, followed, when
  the witness marks the loss itself, by its mark as written
  (``<gap reason="lost"/>[...] ``).

Readings keep their whitespace and line breaks; whitespace that every reading
of an ``<app>`` ends with stands after it.  A paragraph break (a blank line)
that all witnesses share closes one ``<p>`` and opens the next, the blank
line itself standing between them.  A lacuna is a witness-specific
``<gap>`` reading in every ``<app>`` it covers, rather than
``<lacunaStart/>``/``<lacunaEnd/>`` pairs spanning apps: each ``<app>`` then
lists every witness, so a tool that reads one apparatus entry at a time (as
the Versioning Machine and most XSLT do) needs no state to know a witness is
lost there.

Characters XML 1.0 forbids (C0 controls other than tab and newlines, such as
the form feeds pdftotext writes between pages, and U+FFFE, U+FFFF, lone
surrogates) are written as ``<g ref="#char-U000C"/>``, each declared in the
header's ``<charDecl>``; carriage returns are written ``&#13;`` so parsers
keep them.  Sigla that are not XML names (``1957``, ``2nd.ed``, ``a b``)
get ``xml:id``\\ s such as ``w-1957``; ``@n`` keeps the siglum.

**Translations.**  With witnesses of several families (`collate.synopsis`:
different translations, never compared word by word), every passage is one
``<app type="passage" n="p7.2">``, and in it each family is a
``<rdgGrp type="family" n="soviet1957">`` whose one ``<rdg>`` (naming all its
witnesses) holds that family's own parallel segmentation of the passage,
nested ``<app>`` entries and all, as above.  A family with nothing in a
passage has an empty ``<rdg>``, or ``<gap reason="lost"/>`` for witnesses
whose text is lost there.  The header's ``<listWit>`` holds one ``<listWit>``
per family.  This is the Guidelines' parallel segmentation with nested
apparatus entries (12.2.4) and reading groups (12.1.4.3): a TEI reader sees
the passages aligned across translations and the variants within each, and
each witness's text still reads straight through.

`witness_texts` reads such a file back: each witness's text, exactly.

>>> from collate.align import align
>>> from collate.model import Witness
>>> from collate.variants import find_variants
>>> wits = [Witness("A", "the Eastern front.\\n\\nIn 1942"), Witness("B", "the Easter\\nfront.\\n\\nIn 1942")]
>>> tei = to_tei(find_variants(align(wits), base="A"))
>>> witness_texts(tei) == {w.siglum: w.text for w in wits}
True
>>> print(tei[tei.index("<div"):tei.index("</div>") + 6])
<div xml:space="preserve"><p>the <app n="0"><lem wit="#A">Eastern </lem><rdg wit="#B" type="typo">Easter
</rdg></app>front.</p>
<BLANKLINE>
<p>In 1942</p></div>
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Alignment, Location, Reading, VariantClass, Variants
from ..synopsis import RowState, Synopsis, from_variants

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_T = f"{{{TEI_NS}}}"
_XML_ID = f"{{{XML_NS}}}id"
_XML_SPACE = f"{{{XML_NS}}}space"

FORMAL = "formal"
"""The ``type`` of a reading the alignment counts as the lemma's, written otherwise."""

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v]*\n\s*")
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def xml_ids(sigla: Sequence[str]) -> dict[str, str]:
    """An ``xml:id`` for each siglum: itself where it is an XML name, else ``w-`` and a safe form.

    >>> xml_ids(["frus", "1957", "2nd.ed", "-x", "a b", "w-1957"])
    {'frus': 'frus', '1957': 'w-1957', '2nd.ed': 'w-2nd.ed', '-x': 'w--x', 'a b': 'w-a_20_b', 'w-1957': 'w-1957-2'}
    """
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for siglum in sigla:
        if _NCNAME.fullmatch(siglum) and not siglum.startswith("char-"):
            base = siglum
        else:
            base = "w-" + "".join(c if re.fullmatch(r"[A-Za-z0-9_.-]", c) else f"_{ord(c):x}_" for c in siglum)
        candidate, k = base, 1
        while candidate in taken:
            k += 1
            candidate = f"{base}-{k}"
        ids[siglum] = candidate
        taken.add(candidate)
    return ids


# ---------------------------------------------------------------- writing


@dataclass(frozen=True, slots=True)
class _App:
    """One apparatus entry: the lemma's witnesses and text, the other exact forms, the lost witnesses."""

    n: int | None
    lemma: tuple[tuple[str, ...], str]
    readings: tuple[tuple[tuple[str, ...], str, str], ...]  # (sigla, text, type)
    lost: tuple[tuple[tuple[str, ...], str], ...]  # (sigla, text): a lost witness's own text there is its gap mark


class _Writer:
    """Appends text and elements to the current paragraph, declaring illegal characters as it goes."""

    def __init__(self, div: ET.Element) -> None:
        self.div = div
        self.para = ET.SubElement(div, _T + "p")
        self.chars: set[str] = set()

    def text(self, parent: ET.Element, text: str) -> None:
        """Append ``text`` to ``parent``'s content, an illegal character as a ``<g>``."""
        pos = 0
        for match in _ILLEGAL.finditer(text):
            _append(parent, text[pos : match.start()])
            code = f"U{ord(match.group()):04X}"
            self.chars.add(code)
            ET.SubElement(parent, _T + "g", ref=f"#char-{code}")
            pos = match.end()
        _append(parent, text[pos:])

    def plain(self, text: str) -> None:
        """Shared text; a paragraph break in it closes the paragraph."""
        pos = 0
        for match in _PARAGRAPH_BREAK.finditer(text):
            self.text(self.para, text[pos : match.start()])
            self.text(self.div, match.group())
            self.para = ET.SubElement(self.div, _T + "p")
            pos = match.end()
        self.text(self.para, text[pos:])

    def app(self, app: _App, ids: dict[str, str], parent: ET.Element | None = None) -> None:
        attrs = {"n": str(app.n)} if app.n is not None else {}
        node = ET.SubElement(self.para if parent is None else parent, _T + "app", attrs)
        self.text(ET.SubElement(node, _T + "lem", wit=_wit(app.lemma[0], ids)), app.lemma[1])
        for sigla, text, kind in app.readings:
            self.text(ET.SubElement(node, _T + "rdg", {"wit": _wit(sigla, ids), "type": kind}), text)
        for sigla, mark in app.lost:
            rdg = ET.SubElement(node, _T + "rdg", {"wit": _wit(sigla, ids), "type": VariantClass.LACUNA.value})
            ET.SubElement(rdg, _T + "gap", reason="lost")
            self.text(rdg, mark)


def _wit(sigla: Iterable[str], ids: dict[str, str]) -> str:
    return " ".join(f"#{ids[s]}" for s in sigla)


def _append(parent: ET.Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _cell_text(alignment: Alignment, first: int, last: int, w: int) -> str:
    return "".join(t.t for col in alignment.columns[first : last + 1] for t in (col[w] or ()))


def _units(
    variants: Variants, first: int = 0, last: int | None = None, numbers: dict[int, int] | None = None
) -> Iterable[str | _App]:
    """Shared text and apparatus entries, in text order, of columns ``first..last``
    (a location that begins there is given whole, whatever its end); ``numbers``
    gives each location's ``n`` by its index (by default, the index)."""
    alignment = variants.alignment
    by_first = {loc.first: (numbers.get(n, n) if numbers else n, loc) for n, loc in enumerate(variants.locations)}
    count = len(alignment.sigla)
    end = len(alignment.columns) - 1 if last is None else last
    c = first
    while c <= end:
        if c in by_first:
            n, loc = by_first[c]
            yield from _location_units(alignment, n, loc)
            c = loc.last + 1
            continue
        texts = [_cell_text(alignment, c, c, w) for w in range(count)]
        if len(set(texts)) == 1:
            yield texts[0]
        else:
            base = variants.base if variants.base is not None else alignment.sigla[0]
            yield from _split_trailing(_formal_app(alignment.sigla, texts, base))
        c += 1


def _location_units(alignment: Alignment, n: int, loc: Location) -> Iterable[str | _App]:
    readings = {r.siglum: r for r in loc.readings}
    texts = {s: _cell_text(alignment, loc.first, loc.last, w) for w, s in enumerate(alignment.sigla)}
    lost_sigla = [s for s in alignment.sigla if readings.get(s, _AGREES).cls is VariantClass.LACUNA]
    marks: dict[str, list[str]] = {}
    for s in lost_sigla:
        marks.setdefault(texts[s], []).append(s)
    lost = tuple((tuple(group), mark) for mark, group in marks.items())
    base_text = texts[loc.base]
    lemma = tuple(s for s in alignment.sigla if s not in lost_sigla and texts[s] == base_text)
    others: dict[str, tuple[list[str], str]] = {}
    for s in alignment.sigla:
        if s in lost_sigla or s in lemma:
            continue
        cls = readings.get(s, _AGREES).cls
        others.setdefault(texts[s], ([], cls.value if cls is not None else FORMAL))[0].append(s)
    app = _App(n, (lemma, base_text), tuple((tuple(g), t, k) for t, (g, k) in others.items()), lost)
    yield from _split_trailing(app)


_AGREES = Reading("", (), None)


def _formal_app(sigla: Sequence[str], texts: Sequence[str], base: str) -> _App:
    base_text = texts[sigla.index(base)]
    groups: dict[str, list[str]] = {}
    for s, t in zip(sigla, texts):
        if t != base_text:
            groups.setdefault(t, []).append(s)
    lemma = tuple(s for s, t in zip(sigla, texts) if t == base_text)
    return _App(None, (lemma, base_text), tuple((tuple(g), t, FORMAL) for t, g in groups.items()), ())


def _split_trailing(app: _App) -> Iterable[str | _App]:
    """The app, then the whitespace that every one of its readings ends with, if all have text."""
    texts = [app.lemma[1], *(t for _, t, _ in app.readings)]
    tails = {t[len(t.rstrip()) :] for t in texts}
    if app.lost or len(tails) != 1 or not all(t.strip() for t in texts):
        yield app
        return
    tail = tails.pop()
    if not tail:
        yield app
        return
    cut = len(tail)
    yield _App(
        app.n,
        (app.lemma[0], app.lemma[1][:-cut]),
        tuple((s, t[:-cut], k) for s, t, k in app.readings),
        app.lost,
    )
    yield tail


def to_tei(source: Variants | Synopsis, *, title: str | None = None) -> str:
    """The collation as TEI P5 parallel segmentation (see the module docstring): of a
    synopsis (passage apps when it has several families), or of one family's variants."""
    syn = source if isinstance(source, Synopsis) else from_variants(source)
    witnesses = syn.witnesses
    ids = xml_ids([w.siglum for w in witnesses])
    ET.register_namespace("", TEI_NS)
    tei = ET.Element(_T + "TEI")
    header = ET.SubElement(tei, _T + "teiHeader")
    body = ET.SubElement(ET.SubElement(tei, _T + "text"), _T + "body")
    div = ET.SubElement(body, _T + "div", {_XML_SPACE: "preserve"})
    writer = _Writer(div)
    if len(syn.families) == 1:
        for unit in _units(syn.base_family.variants):
            if isinstance(unit, str):
                writer.plain(unit)
            else:
                writer.app(unit, ids)
    else:
        _passages(writer, syn, ids)
    _header(writer, header, syn, ids, title or "Collation of " + ", ".join(w.siglum for w in witnesses))
    ET.indent(header)
    xml = ET.tostring(tei, encoding="unicode").replace("\r", "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n"


def _passages(writer: _Writer, syn: Synopsis, ids: dict[str, str]) -> None:
    """One ``<app type="passage">`` per row, one ``<rdgGrp type="family">`` per family in it."""
    numbers = {id(loc): n for n, (_, loc, _) in enumerate(syn.located())}
    states = syn.row_states()
    done = [0] * len(syn.families)  # each family's next column: a location never splits across passages
    for r, row in enumerate(syn.rows):
        app = ET.SubElement(writer.para, _T + "app", type="passage", n=row.id)
        for k, f in enumerate(syn.families):
            group = ET.SubElement(app, _T + "rdgGrp", type="family", n=f.name)
            first, last = max(f.ranges[r][0], done[k]), f.ranges[r][1]
            if first > last:
                for lost, sigla in _by_state(f.sigla, [states[s][r] is RowState.LOST for s in f.sigla]):
                    rdg = ET.SubElement(group, _T + "rdg", wit=_wit(sigla, ids))
                    if lost:
                        ET.SubElement(rdg, _T + "gap", reason="lost")
                continue
            rdg = ET.SubElement(group, _T + "rdg", wit=_wit(f.sigla, ids))
            mine = {n: numbers[id(loc)] for n, loc in enumerate(f.variants.locations)}
            for unit in _units(f.variants, first, last, mine):
                if isinstance(unit, str):
                    writer.text(rdg, unit)
                else:
                    writer.app(unit, ids, rdg)
            done[k] = _reach(f.variants, first, last)
        if row.paragraph_end and r + 1 < len(syn.rows):
            writer.para = ET.SubElement(writer.div, _T + "p")


def _by_state(sigla: Sequence[str], lost: Sequence[bool]) -> list[tuple[bool, list[str]]]:
    """The sigla grouped by whether their text is lost (lost ones first)."""
    return [(flag, group) for flag in (True, False) if (group := [s for s, x in zip(sigla, lost) if x is flag])]


def _reach(variants: Variants, first: int, last: int) -> int:
    """The column after what `_units` gives for ``first..last``: past ``last`` when a
    location that begins there runs on."""
    ends = {loc.first: loc.last for loc in variants.locations}
    c = first
    while c <= last:
        c = ends.get(c, c) + 1
    return c


def _header(writer: _Writer, header: ET.Element, syn: Synopsis, ids: dict[str, str], title: str) -> None:
    from .. import __version__

    file_desc = ET.SubElement(header, _T + "fileDesc")
    writer.text(ET.SubElement(ET.SubElement(file_desc, _T + "titleStmt"), _T + "title"), title)
    ET.SubElement(ET.SubElement(file_desc, _T + "publicationStmt"), _T + "p").text = f"Generated by collate {__version__}."
    list_wit = ET.SubElement(ET.SubElement(file_desc, _T + "sourceDesc"), _T + "listWit")
    several = len(syn.families) > 1
    for f in syn.families:
        group = list_wit
        if several:
            group = ET.SubElement(list_wit, _T + "listWit", n=_ILLEGAL.sub("\ufffd", f.name))
            writer.text(ET.SubElement(group, _T + "head"), f"family {f.name}")
        for wit in f.alignment.witnesses:
            node = ET.SubElement(group, _T + "witness", {_XML_ID: ids[wit.siglum], "n": _ILLEGAL.sub("\ufffd", wit.siglum)})
            writer.text(node, "; ".join(x for x in (wit.meta.title or wit.siglum, wit.meta.source) if x))
    encoding = ET.SubElement(header, _T + "encodingDesc")
    ET.SubElement(encoding, _T + "variantEncoding", method="parallel-segmentation", location="internal")
    if writer.chars:
        decl = ET.SubElement(encoding, _T + "charDecl")
        for code in sorted(writer.chars):
            char = ET.SubElement(decl, _T + "char", {_XML_ID: f"char-{code}"})
            ET.SubElement(char, _T + "desc").text = f"U+{code[1:]}, a character XML 1.0 cannot hold"


# ---------------------------------------------------------------- reading back


def witness_texts(tei: str | bytes) -> dict[str, str]:
    """Each witness's text rebuilt from a collation written by `to_tei`, keyed by siglum.

    Text outside any ``<app>`` belongs to every witness; in an ``<app>`` each
    witness reads the ``<lem>`` or ``<rdg>`` that names it; a ``<g>`` is the
    character its ``@ref`` declares; a ``<gap>`` is nothing.  The parser
    resolves no entities and fetches nothing.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    data = tei.encode("utf-8") if isinstance(tei, str) else tei
    root = etree.fromstring(data, parser)
    ns = {"t": TEI_NS}
    sigla = {str(w.get(_XML_ID)): str(w.get("n")) for w in root.iterfind(".//t:listWit/t:witness", ns)}
    div = root.find(".//t:body/t:div", ns)
    if div is None:
        raise ValueError("no <div> in the TEI body")
    parts: dict[str, list[str]] = {s: [] for s in sigla.values()}
    _read(div, parts, frozenset(parts), sigla)
    return {s: "".join(p) for s, p in parts.items()}


def _read(node: object, parts: dict[str, list[str]], readers: frozenset[str], sigla: dict[str, str]) -> None:
    from lxml import etree

    assert isinstance(node, etree._Element)
    if node.text:
        for s in readers:
            parts[s].append(node.text)
    for child in node:
        tag = etree.QName(child).localname
        if tag == "g":
            char = chr(int(str(child.get("ref"))[len("#char-U") :], 16))
            for s in readers:
                parts[s].append(char)
        elif tag in ("lem", "rdg"):
            named = frozenset(sigla[ref.lstrip("#")] for ref in str(child.get("wit", "")).split())
            _read(child, parts, readers & named, sigla)
        elif tag != "gap":
            _read(child, parts, readers, sigla)
        if child.tail:
            for s in readers:
                parts[s].append(child.tail)
