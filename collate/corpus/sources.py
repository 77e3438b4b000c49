"""Where a corpus lives, and the one function that turns a file into a witness.

Every file the corpus commands read or write goes through this module, so a
corpus can sit on a local disk, on a file system every worker mounts, or in
any store that fsspec reaches (``s3://bucket/corpus``, ``gs://...``,
``abfs://...``, ``file:///...``).  A *location* is a string: a local path, or
a URL with a scheme.  fsspec is imported only for URLs (it comes with
``collate[dask]``, or ``pip install fsspec``).

`read_witness` is the single place where a file's bytes become a `Witness`,
with its ``.toml`` provenance beside it, as in a witness store: plain UTF-8
text, or TEI, PAGE, ALTO, hOCR or Markdown, told apart by content as
`collate check` tells them (`collate.readers`).  Nothing else in the corpus
commands knows a file's format; `stem` is what pairs ``p1.page.xml`` with
``p1.txt``.

>>> import shutil, tempfile
>>> root = tempfile.mkdtemp()
>>> write_folder(join(root, "doc"), {"A.txt": "the Eastern front"})
>>> list_files(root)
(['doc/A.txt'], [])
>>> read_witness(read_bytes(join(root, "doc", "A.txt")), path="doc/A.txt", siglum="A").text
'the Eastern front'
>>> shutil.rmtree(root)
"""

from __future__ import annotations

import importlib
import os
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import CollateError
from ..files import write_files
from ..model import Witness, WitnessMeta
from ..store import decode_text, parse_meta
from . import MAX_BYTES as MAX_BYTES  # re-exported: the limit belongs with reading

SUFFIXES: tuple[str, ...] = (".txt", ".xml", ".hocr", ".html", ".htm", ".md", ".markdown")
"""The file name endings of the transcriptions `read_witness` reads (the reader is chosen by content)."""

FORMAT_WORDS = (".tei", ".page", ".alto", ".hocr")
"""A word naming the format before a file's suffix (``p1.alto.xml``), left out of its stem."""

KEPT_SOURCE = ".source"
"""A witness store keeps the source of a witness added from XML or Markdown as
``<siglum>.source.xml`` beside ``<siglum>.txt`` (`collate.sourcefile`); the
``.txt`` is its reading text, so the source is not a transcription of its own."""

META_SUFFIX = ".toml"
"""A transcription's provenance sits beside it: ``page1.txt`` and ``page1.toml``."""


def read_witness(data: bytes, *, path: str, siglum: str, meta: bytes | None = None) -> Witness:
    """The witness in a file's bytes ``data``, with the provenance ``meta`` (a ``.toml``'s bytes).

    ``path`` names the file in messages.  Raises a one-line `CollateError` for
    a file that is not a transcription (empty, binary, not UTF-8) and for bad
    metadata.

    >>> w = read_witness(b"Eastern front", path="d/B.txt", siglum="B", meta=b'completeness = "fragment"')
    >>> w.siglum, w.text, w.meta.is_fragment
    ('B', 'Eastern front', True)
    >>> read_witness(b"\\xff", path="d/C.txt", siglum="C")
    Traceback (most recent call last):
    collate.errors.CollateError: d/C.txt: not UTF-8 text (undecodable byte at offset 0)
    >>> read_witness(b"<alto><Layout><Page ID='p1'><PrintSpace><TextBlock><TextLine><String CONTENT='Easter'/>"
    ...              b"</TextLine></TextBlock></PrintSpace></Page></Layout></alto>", path="d/D.alto.xml", siglum="D").text
    'Easter'
    """
    from ..readers import ReaderOptions, SourceFormat, read_bytes, sniff

    fmt = sniff(data, path)
    if fmt is SourceFormat.PLAIN:
        return Witness(siglum=siglum, text=decode_text(data, path), meta=_meta(meta, sidecar(path)), path=path)
    extracted = read_bytes(data, path, ReaderOptions(format=fmt))
    if not extracted.text.strip():
        raise CollateError(f"no text: the {fmt.value} file's reading text is empty", path=path)
    return Witness(siglum=siglum, text=extracted.text, meta=_meta(meta, sidecar(path)), path=path, source=extracted)


def _meta(data: bytes | None, path: str) -> WitnessMeta:
    if data is None:
        return WitnessMeta()
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CollateError(f"bad metadata: {exc}", path=path) from None
    return parse_meta(table, path)


def is_transcription(name: str) -> bool:
    """Whether `read_witness` reads the file ``name``.

    >>> is_transcription("p1.txt"), is_transcription("p1.alto.xml"), is_transcription("p1.toml"), is_transcription("scan.png")
    (True, True, False, False)
    >>> is_transcription("web.source.xml")  # a store's kept source: web.txt is its text
    False
    >>> is_transcription("vol1/README.md")  # a folder's notes
    False
    """
    path = PurePosixPath(name)
    stem = path.stem.lower()
    return path.suffix.lower() in SUFFIXES and not stem.endswith(KEPT_SOURCE) and stem != "readme"


def stem(name: str) -> str:
    """The name a transcription is known by: its path without the suffix, and
    without a format word before it, so that ``p1.page.xml`` pairs with ``p1.txt``
    and a witness read from ``B.alto.xml`` is ``B``.

    >>> stem("vol1/p001.alto.xml"), stem("vol1/p001.txt"), stem("Vat.lat.3225.txt"), stem("p.hocr")
    ('vol1/p001', 'vol1/p001', 'Vat.lat.3225', 'p')
    """
    path = str(PurePosixPath(name).with_suffix(""))
    if not name.lower().endswith(".txt"):
        for word in FORMAT_WORDS:
            if path.lower().endswith(word) and len(PurePosixPath(path).name) > len(word):
                return path[: -len(word)]
    return path


def sidecar(name: str) -> str:
    """The provenance file that goes with the transcription ``name``.

    >>> sidecar("vol1/p001.txt")
    'vol1/p001.toml'
    """
    return str(PurePosixPath(name).with_suffix(META_SUFFIX))


# ---------------------------------------------------------------- locations


def is_url(location: str) -> bool:
    """A URL for fsspec, or a local path.

    >>> is_url("s3://bucket/corpus"), is_url("/data/corpus"), is_url("corpus")
    (True, False, False)
    """
    return "://" in location


def join(location: str, *parts: str) -> str:
    """``location`` with the relative ``/``-separated ``parts`` appended.

    >>> join("s3://bucket/corpus/", "vol1/p001", "index.html")
    's3://bucket/corpus/vol1/p001/index.html'
    """
    if is_url(location):
        return "/".join([location.rstrip("/"), *(p.strip("/") for p in parts)])
    return str(Path(location, *parts))


def absolute(location: str) -> str:
    """A local path made absolute (workers may run elsewhere); a URL as it is."""
    return location if is_url(location) else str(Path(location).resolve())


def _fs(location: str) -> tuple[Any, str]:
    """fsspec's file system for ``location``, and the path in it.  (fsspec has
    no type hints; it is used as `Any` here, and only here.)"""
    try:
        core: Any = importlib.import_module("fsspec.core")
    except ImportError:
        raise CollateError("reading or writing URLs needs fsspec: pip install 'collate[dask]'", path=location) from None
    try:
        fs, path = core.url_to_fs(location)
    except (ImportError, ValueError) as exc:
        raise CollateError(f"cannot open this URL: {exc}", path=location) from None
    return fs, str(path)


def _visible(parts: Iterable[str]) -> bool:
    return not any(p.startswith(".") for p in parts)


def list_files(root: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Every file under ``root``, as sorted ``/``-separated paths relative to it,
    and the sub-folders that could not be listed, with why.

    Hidden files and folders (a leading ``.``) are left out: version control,
    editors' and interrupted writes' temporary files.
    """
    if is_url(root):
        fs, base = _fs(root)
        if not fs.isdir(base):
            raise CollateError("not a folder", path=root)
        base = base.rstrip("/")
        found = (str(p)[len(base) + 1 :] for p in fs.find(base))
        return sorted(p for p in found if p and _visible(p.split("/"))), []
    folder = Path(root)
    if not folder.is_dir():
        raise CollateError("not a folder" if folder.exists() else "no such folder", path=root)
    out: list[str] = []
    unreadable: list[tuple[str, str]] = []

    def note(exc: OSError) -> None:
        where = Path(str(exc.filename or root))
        if where == folder:
            raise CollateError(f"cannot list: {exc.strerror or exc}", path=root) from None
        unreadable.append((where.relative_to(folder).as_posix(), f"cannot list: {exc.strerror or exc}"))

    for here, dirs, files in os.walk(folder, onerror=note):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = Path(here).relative_to(folder)
        out.extend((rel / f).as_posix() for f in files if not f.startswith("."))
    return sorted(out), sorted(unreadable)


def read_bytes(location: str, *, limit: int = 0, label: str = "") -> bytes:
    """The bytes of the file at ``location``; a `CollateError` past ``limit``
    bytes (0: no limit).  Messages name the file ``label`` (default: ``location``)."""
    label = label or location
    try:
        if is_url(location):
            fs, path = _fs(location)
            _check_size(int(fs.size(path)), limit, label)
            return bytes(fs.cat_file(path))
        _check_size(os.stat(location).st_size, limit, label)
        with open(location, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise CollateError("no such file", path=label) from None
    except IsADirectoryError:
        raise CollateError("is a folder, not a file", path=label) from None
    except OSError as exc:
        raise CollateError(exc.strerror or str(exc) or "cannot be read", path=label) from None


def _check_size(size: int, limit: int, label: str) -> None:
    if limit and size > limit:
        raise CollateError(f"too large: {size:,} bytes, over the limit of {limit:,} (--max-bytes)", path=label)


def read_optional(location: str) -> bytes | None:
    """The bytes at ``location``, or None if there is no such file."""
    try:
        return read_bytes(location)
    except CollateError:
        if exists(location):
            raise
        return None


def exists(location: str) -> bool:
    if is_url(location):
        fs, path = _fs(location)
        return bool(fs.exists(path))
    return os.path.exists(location)


def write_folder(folder: str, files: Mapping[str, str | bytes]) -> None:
    """Write ``name: content`` pairs into ``folder``, creating it.

    Locally all files are written or none (`collate.files.write_files`); in an
    object store each file is one put, which readers see whole or not at all.
    """
    if not is_url(folder):
        write_files({Path(folder, name): content for name, content in files.items()})
        return
    fs, path = _fs(folder)
    try:
        fs.makedirs(path, exist_ok=True)
        for name, content in files.items():
            fs.pipe_file(f"{path.rstrip('/')}/{name}", content.encode("utf-8") if isinstance(content, str) else content)
    except OSError as exc:
        raise CollateError(f"could not write: {exc}", path=folder) from None


def remove_files(folder: str, names: Iterable[str]) -> None:
    """Remove the files ``names`` from ``folder`` where they exist (outputs gone stale)."""
    for name in names:
        location = join(folder, name)
        try:
            if is_url(location):
                fs, path = _fs(location)
                if fs.exists(path):
                    fs.rm_file(path)
            else:
                Path(location).unlink(missing_ok=True)
        except OSError:
            pass
