"""The plain-text reader: the file's text verbatim, positions by line and column.

The text is the file decoded as UTF-8, with a leading byte-order mark dropped
and nothing else changed; each line of the file is one anchor, so a position
is the file's own line and column (1-based, counted in characters).

>>> ex = read_plain(b"Easter front\\nin 192.", "web.txt")
>>> ex.text
'Easter front\\nin 192.'
>>> ex.where(13)
Position(page=1, line=2, column=1, id='', source_line=2, page_label='', line_label='')
"""

from __future__ import annotations

from ..errors import CollateError
from .model import Extracted, PositionMap, SourceFormat


def decode_text(data: bytes, path: str) -> str:
    """Decode a witness file's bytes, refusing what is not text.

    The same rules as `collate.store.decode_text` (which should become an
    import of this function when the store reads through `collate.readers`).

    >>> decode_text(b"", "w.txt")
    Traceback (most recent call last):
    collate.errors.CollateError: w.txt: empty file
    """
    if not data:
        raise CollateError("empty file", path=path)
    if b"\x00" in data:
        raise CollateError("binary file (contains NUL bytes), not a text transcription", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CollateError(f"not UTF-8 text (undecodable byte at offset {exc.start})", path=path) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise CollateError("file holds only whitespace", path=path)
    return text


def line_map(text: str) -> PositionMap:
    """One anchor per line of ``text``: line n starts after the (n-1)th newline."""
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
