"""Hardened XML parsing for the XML readers: no entities, no network, no DTD, one-line errors.

Every XML source goes through `parse`:

- lxml with ``resolve_entities=False, no_network=True, load_dtd=False,
  huge_tree=False``: an external entity is never fetched, a DTD never
  loaded, and libxml2's size limits stay on;
- a document whose DTD declares any entity is refused outright, whatever
  the entities are (an external ``SYSTEM`` entity is an XXE attempt, nested
  internal ones are a "billion laughs" bomb; a transcription needs neither);
- malformed XML becomes a `CollateError` naming the file, line and column.

>>> root = parse(b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><text/></TEI>", "w.xml")
>>> localname(root)
'TEI'
>>> parse(b"<TEI><text></TEI>", "w.xml")
Traceback (most recent call last):
collate.errors.CollateError: w.xml: malformed XML at line 1, column 18: Opening and ending tag mismatch: text line 1 and TEI
"""

from __future__ import annotations

import re

from lxml import etree

from ..errors import CollateError

_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                       dtd_validation=False, remove_comments=True, remove_pis=True)


def _parser() -> etree.XMLParser:
    # A new parser per document: lxml parsers keep an error log and are not thread-safe.
    return etree.XMLParser(**_PARSER_OPTIONS)  # type: ignore[arg-type]


def parse(data: bytes, path: str) -> etree._Element:
    """The root element of the XML document ``data`` (from ``path``, named in errors)."""
    parser = _parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        message = re.sub(r",? line \d+, column \d+$", "", str(exc.msg or "not well-formed")).strip()
        if "Detected an entity reference loop" in message or "amplification" in message:
            raise CollateError("XML entity expansion refused (a DTD that declares entities)", path=path) from None
        raise CollateError(f"malformed XML at line {line}, column {column}: {message.rstrip('.')}", path=path) from None
    if root is None:
        raise CollateError("malformed XML: no root element", path=path)
    refuse_entities(root.getroottree(), path)
    return root


def refuse_entities(tree: etree._ElementTree, path: str) -> None:
    """Refuse a document whose DTD declares entities (XXE, entity bombs)."""
    dtd = tree.docinfo.internalDTD
    if dtd is None:
        return
    for entity in getattr(dtd, "iterentities")():  # not in lxml-stubs
        kind = "external entity" if entity.system_url else "entity"
        raise CollateError(
            f"the DTD declares {kind} {entity.name!r}; XML with entity declarations is refused "
            "(no external entities, no entity expansion)",
            path=path,
        )


def sourceline(element: etree._Element) -> int:
    """The line of the source where ``element`` starts (0 if unknown)."""
    line = getattr(element, "sourceline", None)  # lxml-stubs leave it untyped
    return line if isinstance(line, int) else 0


def text_of(element: etree._Element) -> str:
    """All the text inside ``element``, markup dropped."""
    return "".join(str(piece) for piece in element.itertext())


def localname(element: etree._Element) -> str:
    """The tag of ``element`` without its namespace.

    >>> localname(etree.fromstring(b"<a:PcGts xmlns:a='urn:x'/>"))
    'PcGts'
    """
    return etree.QName(element).localname


def namespace(element: etree._Element) -> str:
    """The namespace URI of ``element``'s tag, ``""`` if it has none."""
    return etree.QName(element).namespace or ""
