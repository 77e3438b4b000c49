"""Readers: a source file in any supported format becomes reading text plus a position map.

`read_source` takes a path or bytes, picks the reader from the content (XML
root element and namespace; hOCR's ``ocr_page`` class in HTML; Markdown block
syntax) and the file name, and returns an `Extracted`: the reading text the
pipeline collates, the format, and a map from text offsets back to page,
line, column and element id.  The rest of the pipeline never needs to know
which format a witness came from.

========  ==============================================================
format    reader
========  ==============================================================
plain     `collate.readers.plain`: the text verbatim
markdown  `collate.readers.markdown`: markdown-it-py, text without markup
tei       `collate.readers.tei`: TEI P5, the reading text
page      `collate.readers.page`: PAGE-XML 2013 and 2019
alto      `collate.readers.alto`: ALTO v2 to v4
hocr      `collate.readers.hocr`: hOCR (tesseract and others)
========  ==============================================================

>>> ex = read_source(b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><text><body><p>Easter "
...                  b"<choice><sic>front</sic><corr>Front</corr></choice></p></body></text></TEI>")
>>> ex.format, ex.text
(<SourceFormat.TEI: 'tei'>, 'Easter front')
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import CollateError
from .model import (
    Extracted, Flag, FlagKind, Gap, GapKind, Hyphens, Position, PositionMap, ReaderOptions, SourceFormat, TeiChoice,
    WordMap,
)
from .sniff import sniff

__all__ = [
    "read_source", "read_bytes", "sniff", "Extracted", "ReaderOptions", "SourceFormat", "Position", "PositionMap", "WordMap",
    "Gap", "GapKind", "Flag", "FlagKind", "TeiChoice", "Hyphens",
]


def read_source(
    source: str | os.PathLike[str] | bytes,
    *,
    format: SourceFormat | str | None = None,
    name: str = "",
    tei_choice: TeiChoice | str = TeiChoice.SOURCE,
    hyphens: Hyphens | str = Hyphens.JOIN,
) -> Extracted:
    """Read a source (a path, or its bytes) into reading text and positions.

    ``format`` overrides the sniffed format; ``name`` is the file name to use
    in errors and as a format hint when ``source`` is bytes.  ``tei_choice``
    says which side of a TEI ``choice`` is read (`TeiChoice`); ``hyphens``
    what the OCR readers do with words hyphenated at a line end (`Hyphens`).
    The same bytes and options always give an equal result.

    >>> read_source(b"<alto><Layout><Page ID='p1'><PrintSpace><TextBlock><TextLine ID='l1'>"
    ...             b"<String CONTENT='Easter'/><SP/><String CONTENT='front'/></TextLine>"
    ...             b"</TextBlock></PrintSpace></Page></Layout></alto>").text
    'Easter front'
    """
    if isinstance(source, bytes):
        data, path = source, name or "<bytes>"
    else:
        path = name or os.fspath(source)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise CollateError(f"cannot read: {exc.strerror or exc}", path=path) from None
    fmt = SourceFormat(format) if format is not None else sniff(data, path if not isinstance(source, bytes) else name)
    return _read(data, path, fmt, TeiChoice(tei_choice), Hyphens(hyphens))


def read_bytes(data: bytes, name: str, options: ReaderOptions = ReaderOptions()) -> Extracted:
    """Read the bytes of the file ``name`` as ``options`` say: their format, or the one `sniff` finds.

    >>> read_bytes(b"# Easter front", "w.md").text
    'Easter front'
    >>> read_bytes(b"# Easter front", "w.md", ReaderOptions(format=SourceFormat.PLAIN)).text
    '# Easter front'
    """
    fmt = options.format if options.format is not None else sniff(data, name)
    return _read(data, name, fmt, options.tei_choice, options.hyphens)


def _read(data: bytes, path: str, fmt: SourceFormat, choice: TeiChoice, hyphens: Hyphens) -> Extracted:
    # Each reader is imported when needed: reading plain text never loads lxml.
    if fmt is SourceFormat.PLAIN:
        from .plain import read_plain
        return read_plain(data, path)
    if fmt is SourceFormat.MARKDOWN:
        from .markdown import read_markdown
        return read_markdown(data, path)
    if fmt is SourceFormat.TEI:
        from .tei import read_tei
        return read_tei(data, path, choice=choice)
    if fmt is SourceFormat.PAGE:
        from .page import read_page
        return read_page(data, path, hyphens=hyphens)
    if fmt is SourceFormat.ALTO:
        from .alto import read_alto
        return read_alto(data, path, hyphens=hyphens)
    from .hocr import read_hocr
    return read_hocr(data, path, hyphens=hyphens)
