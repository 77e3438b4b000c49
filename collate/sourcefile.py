"""A stored witness's source: its name in the store, its record in the metadata, reading it and reading it again.

`collate add` of a TEI, PAGE, ALTO, hOCR or Markdown file keeps the file
verbatim beside the reading text it gives (`extract_for_store`), as
``<siglum>.source.<ext>`` (`source_name`), and records it in the witness's
``.toml``::

    source_file = "B.source.xml"
    source_format = "alto"             # the reader: tei, page, alto, hocr, markdown
    source_sha256 = "..."              # checksum of the source file
    sha256 = "..."                     # checksum of B.txt, the reading text, as for any witness

    [reader]                           # the reader options used, where the format has any
    hyphens = "join"

Reading the witness (and `collate verify`) reads the source again with the
recorded options, and it must give the stored text byte for byte
(`extract_stored`): a reader is deterministic, so a difference means the
source or the text was changed, or a new release reads the format
differently.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

from .errors import CollateError
from .model import SourceFile
from .readers import Extracted, Hyphens, ReaderOptions, SourceFormat, TeiChoice, read_bytes
from .safefs import read_regular


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


SOURCE_EXTENSIONS = {
    SourceFormat.TEI: "xml", SourceFormat.PAGE: "xml", SourceFormat.ALTO: "xml",
    SourceFormat.HOCR: "hocr", SourceFormat.MARKDOWN: "md",
}
"""The extension of a stored source, by format: ``<siglum>.source.<ext>`` (plain text has no source)."""

_SOURCE_NAME_RE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*\.source\.(?:xml|hocr|md)")
_FORMAT_WORDS = (".tei", ".page", ".alto", ".hocr", ".source")


def source_name(siglum: str, fmt: SourceFormat) -> str:
    """The name of the stored source of witness ``siglum``, read as ``fmt``.

    >>> source_name("B", SourceFormat.ALTO), source_name("Vat.lat.3225", SourceFormat.MARKDOWN)
    ('B.source.xml', 'Vat.lat.3225.source.md')
    """
    return f"{siglum}.source.{SOURCE_EXTENSIONS[fmt]}"


def witness_siglum(path: Path, fmt: SourceFormat) -> str:
    """The siglum a witness file gets from its name: its stem, less a format word for a non-plain source.

    >>> witness_siglum(Path("ocr/page1.alto.xml"), SourceFormat.ALTO), witness_siglum(Path("gt.page.xml"), SourceFormat.PAGE)
    ('page1', 'gt')
    >>> witness_siglum(Path("Vat.lat.3225.txt"), SourceFormat.PLAIN), witness_siglum(Path("web.md"), SourceFormat.MARKDOWN)
    ('Vat.lat.3225', 'web')
    """
    stem = path.stem
    if fmt is not SourceFormat.PLAIN:
        for word in _FORMAT_WORDS:
            if stem.lower().endswith(word) and len(stem) > len(word):
                return stem[: -len(word)]
    return stem


def extract_for_store(data: bytes, label: str, siglum: str, options: ReaderOptions) -> tuple[Extracted, SourceFile]:
    """Read the source ``data`` (of the file ``label``) for `collate add`: what it says, and how to record it.

    ``options.format`` must be set and not plain.  The text must be one the
    store can hold and read back unchanged.

    >>> ex, record = extract_for_store(b"# Easter front", "w.md", "B", ReaderOptions(format=SourceFormat.MARKDOWN))
    >>> ex.text, record.name, record.format.value, record.tei_choice
    ('Easter front', 'B.source.md', 'markdown', None)
    """
    fmt = options.format
    assert fmt is not None and fmt is not SourceFormat.PLAIN
    extracted = read_bytes(data, label, options)
    if not extracted.text.strip():
        raise CollateError(f"no text to store: the {fmt.value} file's reading text is empty", path=label)
    if extracted.text.startswith("\ufeff"):
        raise CollateError("the reading text begins with U+FEFF, which a stored text cannot (it reads as a byte-order mark)",
                           path=label)
    used = options.used(fmt)
    record = SourceFile(
        name=source_name(siglum, fmt), format=fmt, sha256=_sha256(data),
        tei_choice=options.tei_choice if "tei_choice" in used else None,
        hyphens=options.hyphens if "hyphens" in used else None,
    )
    return extracted, record


SOURCE_KEYS = ("source_file", "source_format", "source_sha256")
_READER_KEYS = {"tei_choice": TeiChoice, "hyphens": Hyphens}


def parse_source_file(data: Mapping[str, object], path: str) -> SourceFile | None:
    """The ``source_file``, ``source_format``, ``source_sha256`` and ``reader`` keys, checked; None if absent.

    >>> parse_source_file({"source_file": "B.source.xml", "source_format": "tei", "source_sha256": "ab",
    ...                     "reader": {"tei_choice": "editorial"}}, "B.toml")  # doctest: +NORMALIZE_WHITESPACE
    SourceFile(name='B.source.xml', format=<SourceFormat.TEI: 'tei'>, sha256='ab',
               tei_choice=<TeiChoice.EDITORIAL: 'editorial'>, hyphens=None)
    >>> parse_source_file({"source_file": "../x.xml"}, "B.toml")
    Traceback (most recent call last):
    collate.errors.CollateError: B.toml: source_file, source_format and source_sha256 go together (missing source_format, source_sha256)
    """
    given = [key for key in (*SOURCE_KEYS, "reader") if key in data]
    if not given:
        return None
    missing = [key for key in SOURCE_KEYS if key not in data]
    if missing:
        raise CollateError(f"{', '.join(SOURCE_KEYS[:2])} and {SOURCE_KEYS[2]} go together (missing {', '.join(missing)})", path=path)
    name, fmt, digest = (data[key] for key in SOURCE_KEYS)
    if not all(isinstance(v, str) for v in (name, fmt, digest)):
        raise CollateError(f"{', '.join(SOURCE_KEYS)} must be strings", path=path)
    assert isinstance(name, str) and isinstance(fmt, str) and isinstance(digest, str)
    formats = [f.value for f in SOURCE_EXTENSIONS]
    if fmt not in formats:
        raise CollateError(f"source_format must be one of {', '.join(formats)}", path=path)
    if not _SOURCE_NAME_RE.fullmatch(name):
        raise CollateError("source_file must name a file in the store: <siglum>.source.xml, .hocr or .md", path=path)
    reader = data.get("reader", {})
    if not isinstance(reader, Mapping) or not set(reader) <= set(_READER_KEYS):
        raise CollateError(f"reader must be a table of {' and '.join(_READER_KEYS)}", path=path)
    try:
        tei_choice = TeiChoice(reader["tei_choice"]) if "tei_choice" in reader else None
        hyphens = Hyphens(reader["hyphens"]) if "hyphens" in reader else None
    except ValueError:
        choices = "; ".join(f"{key}: {', '.join(v.value for v in kind)}" for key, kind in _READER_KEYS.items())
        raise CollateError(f"reader options must be one of ({choices})", path=path) from None
    return SourceFile(name=name, format=SourceFormat(fmt), sha256=digest, tei_choice=tei_choice, hyphens=hyphens)


def extract_stored(
    text_path: Path, record: SourceFile, stored: bytes, *, limit: int, follow_symlinks: bool = False, hint: str = ""
) -> Extracted:
    """Read the source that ``record`` names beside ``text_path`` again; it must give the ``stored`` text exactly.

    Refused with a `CollateError` naming the file: a source name that is not
    the one the store gives this witness (`source_name`), a source that cannot
    be read, one whose bytes no longer match ``record.sha256``, and one whose
    extracted text (with the recorded reader options) differs from the
    ``stored`` bytes ("extracted text differs from its source").
    """
    expected = source_name(text_path.stem, record.format)
    if record.name != expected:
        raise CollateError(f"metadata names the source file {record.name!r}; the store keeps it as {expected!r}",
                           path=str(text_path.with_suffix(".toml")))
    source = text_path.with_name(record.name)
    try:
        data = read_regular(source, limit=limit, follow_symlinks=follow_symlinks, hint=hint)
    except CollateError as exc:
        raise CollateError(f"source cannot be read: {exc.message}", path=str(source)) from None
    actual, recorded = _sha256(data), record.sha256.strip().lower()
    if actual != recorded:
        raise CollateError(f"source changed since it was stored: sha256 expected {recorded[:12]}…, actual {actual[:12]}…",
                           path=str(source))
    options = ReaderOptions(record.format, record.tei_choice or TeiChoice.SOURCE, record.hyphens or Hyphens.JOIN)
    try:
        extracted = read_bytes(data, str(source), options)
    except CollateError as exc:
        raise CollateError(f"source cannot be read: {exc.message}", path=str(source)) from None
    again = extracted.text.encode("utf-8")
    if again != stored:
        at = next((i for i, (a, b) in enumerate(zip(again, stored)) if a != b), min(len(again), len(stored)))
        raise CollateError(f"extracted text differs from its source (from byte {at} of {text_path.name})", path=str(source))
    return extracted


def source_to_dict(record: SourceFile) -> dict[str, object]:
    """The record as the ``.toml`` keeps it (see the module docstring); `parse_source_file` reads it back.

    >>> source_to_dict(SourceFile("B.source.xml", SourceFormat.ALTO, "ab", hyphens=Hyphens.JOIN))
    {'source_file': 'B.source.xml', 'source_format': 'alto', 'source_sha256': 'ab', 'reader': {'hyphens': 'join'}}
    """
    reader = {k: v.value for k, v in (("tei_choice", record.tei_choice), ("hyphens", record.hyphens)) if v is not None}
    return {"source_file": record.name, "source_format": record.format.value, "source_sha256": record.sha256,
            "reader": reader}
