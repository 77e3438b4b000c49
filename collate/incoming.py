"""A file on its way into the store: read and checked, not yet written.

`collate add` reads the new file once (`read_incoming`), decides what to
store with it from its text (its family, and for a partial witness what it
covers: `collate.addition`), and only then writes it, with that metadata, in
one transaction (`collate.store.add_witness`).  Reading refuses what the
store would refuse, with the same one-line errors; nothing here writes.

>>> import tempfile
>>> src = Path(tempfile.mkdtemp()) / "copy.txt"
>>> _ = src.write_bytes(b"Eastern front\\r\\n")
>>> new = read_incoming(src, siglum="B")
>>> new.text, new.stored, new.record is None
('Eastern front\\r\\n', b'Eastern front\\r\\n', True)
>>> read_incoming(src, siglum="../B")  # doctest: +ELLIPSIS
Traceback (most recent call last):
collate.errors.CollateError: ...copy.txt: siglum '../B' is not a safe name: it must not start with "."
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CollateError
from .model import SourceFile, Witness, WitnessMeta
from .readers import ReaderOptions, SourceFormat, sniff
from .safefs import read_regular
from .sourcefile import extract_for_store
from .witnessfile import ENV_MAX_WITNESS, Limits, decode_text, siglum_problem

if TYPE_CHECKING:
    from .readers.model import Extracted


@dataclass(frozen=True, slots=True)
class Incoming:
    """A file read for the store: its bytes (``data``), its reading text (``text``) and
    the bytes the store keeps as ``<siglum>.txt`` (``stored``); for a TEI, PAGE,
    ALTO, hOCR or Markdown file, the record of its source and what the reader made
    of it."""

    source: Path
    siglum: str
    data: bytes
    text: str
    stored: bytes
    record: SourceFile | None = None
    extracted: Extracted | None = None

    def witness(self, meta: WitnessMeta | None = None) -> Witness:
        """The witness it will be, with ``meta``."""
        return Witness(self.siglum, self.text, meta or WitnessMeta(), path=str(self.source), source=self.extracted)


def read_incoming(
    source: Path, *, siglum: str, limits: Limits | None = None, options: ReaderOptions = ReaderOptions()
) -> Incoming:
    """Read ``source`` for the store as ``siglum``: the file's format told from its content
    (`collate.readers.sniff`) unless ``options.format`` says which; refused with a
    one-line `CollateError` as `collate.store.add_witness` describes."""
    label = str(source)
    problem = siglum_problem(siglum)
    if problem is not None:
        raise CollateError(f"siglum {siglum!r} is not a safe name: it {problem}", path=label)
    limits = limits or Limits.from_env()
    data = read_regular(source, limit=limits.max_witness_bytes, limit_hint=f" for a witness (set {ENV_MAX_WITNESS} to raise it)")
    fmt = options.format if options.format is not None else sniff(data, label)
    if fmt is SourceFormat.PLAIN:
        return Incoming(source, siglum, data, decode_text(data, label), data)
    extracted, record = extract_for_store(data, label, siglum, dataclasses.replace(options, format=fmt))
    return Incoming(source, siglum, data, extracted.text, extracted.text.encode("utf-8"), record, extracted)
