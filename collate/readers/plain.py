"""The plain-text reader: the file's text verbatim, positions by line and column.

This module holds the one set of rules by which `collate` decodes a text
file (`decode_text`): the plain reader, the Markdown reader and the witness
store (`collate.witnessfile`) all use it.  The text is the file decoded as
UTF-8, with a leading byte-order mark dropped and nothing else changed; each
line of the file is one anchor, so a position is the file's own line and
column (1-based, counted in characters).

>>> ex = read_plain(b"Easter front\\nin 192.", "web.txt")
>>> ex.text
'Easter front\\nin 192.'
>>> ex.where(13)
Position(page=1, line=2, column=1, id='', source_line=2, page_label='', line_label='')
"""

from __future__ import annotations

import codecs

from ..errors import CollateError
from .model import Extracted, PositionMap, SourceFormat

_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32LE"), (b"\x00\x00\xfe\xff", "UTF-32BE"), (b"\xff\xfe", "UTF-16LE"), (b"\xfe\xff", "UTF-16BE"))


def wide_encoding(data: bytes) -> str | None:
    """The encoding's name if ``data`` is UTF-16 or UTF-32 text: "UTF-16" with a byte-order mark, "UTF-16LE" without.

    The names are the ones ``iconv -f`` takes (with a byte-order mark, iconv
    reads the byte order from it).

    >>> wide_encoding("Eastern".encode("utf-16")), wide_encoding("Eastern".encode("utf-16-be"))
    ('UTF-16', 'UTF-16BE')
    >>> wide_encoding(b"Eastern") is None, wide_encoding(b"\\xff\\xfe\\xfa") is None
    (True, True)
    """
    head = data[:65536]
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name[:6] if _decodes(data, head[len(bom) :], name) else None
    if b"\x00" not in head or len(head) < 4:
        return None
    half = len(head) // 2
    even, odd = head[0::2].count(0), head[1::2].count(0)
    for name, zeros, others in (("UTF-16LE", odd, even), ("UTF-16BE", even, odd)):
        if zeros > 0.3 * half and others < 0.05 * half and _decodes(data, head, name):
            return name
    return None


def _decodes(data: bytes, head: bytes, name: str) -> bool:
    width = 4 if name.startswith("UTF-32") else 2
    if len(data) % width:
        return False
    try:
        codecs.getincrementaldecoder(name)().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def refuse_wide(data: bytes, path: str) -> None:
    """Refuse UTF-16 and UTF-32 text with a hint to convert it (the store keeps UTF-8 bytes only).

    >>> refuse_wide("Eastern".encode("utf-16"), "w.txt")
    Traceback (most recent call last):
    collate.errors.CollateError: w.txt: UTF-16 text, not UTF-8: convert it first (iconv -f UTF-16 -t UTF-8)
    """
    wide = wide_encoding(data)
    if wide is not None:
        raise CollateError(f"{wide} text, not UTF-8: convert it first (iconv -f {wide} -t UTF-8)", path=path)


def decode_text(data: bytes, path: str) -> str:
    """Decode a text file's bytes, refusing what is not text.

    A UTF-8 byte-order mark is allowed and not part of the text; UTF-16 and
    UTF-32 are recognised and named, and refused with a hint to convert them
    (they are not decoded: the store keeps UTF-8 bytes, so that checksums,
    byte offsets and every other tool agree on what is stored).

    >>> decode_text("Eastern".encode(), "w.txt")
    'Eastern'
    >>> decode_text(b"", "w.txt")
    Traceback (most recent call last):
    collate.errors.CollateError: w.txt: empty file
    """
    if not data:
        raise CollateError("empty file", path=path)
    refuse_wide(data, path)
    if b"\x00" in data:
        raise CollateError("binary file (contains NUL bytes), not a text transcription", path=path)
    bom = 3 if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data.decode("utf-8-sig")  # no copy of a big text to drop its BOM
    except UnicodeDecodeError as exc:
        raise CollateError(f"not UTF-8 text (undecodable byte at offset {exc.start + bom})", path=path) from None
    if not text or text.isspace():
        raise CollateError("file holds only whitespace", path=path)
    return text


def line_map(text: str) -> PositionMap:
    """One anchor per line of ``text``: line n starts after the (n-1)th newline.

    >>> line_map("Easter\\nfront").where(8)
    Position(page=1, line=2, column=2, id='', source_line=2, page_label='', line_label='')
    """
    starts = [0]
    find = text.find
    at = find("\n")
    while at != -1 and at + 1 < len(text):
        starts.append(at + 1)
        at = find("\n", at + 1)
    numbers = tuple(range(1, len(starts) + 1))
    return PositionMap(
        starts=tuple(starts), pages=(1,) * len(starts), lines=numbers, columns=(1,) * len(starts),
        ids=("",) * len(starts), source_lines=numbers, line_labels=("",) * len(starts), page_labels=("",),
    )


def read_plain(data: bytes, path: str) -> Extracted:
    """Read a plain UTF-8 text file."""
    text = decode_text(data, path)
    return Extracted(text=text, format=SourceFormat.PLAIN, positions=line_map(text))
