"""Reading one witness: its file, its ``.toml`` metadata, its checksums and its source.

A witness is a text file (UTF-8, stored byte for byte) and, beside it, a
``.toml`` with its provenance and the SHA-256 of the text (see `collate.store`
for the store's layout).  A witness given as a file in another format (TEI,
PAGE, ALTO, hOCR, Markdown: told from its content by `collate.readers.sniff`)
is read through its reader, and keeps what the reader found (`Witness.source`:
pages, lines, word confidences, TEI lacunae).  A stored witness whose text was
extracted from such a file names it in its metadata (`SourceFile`), and the
source is read back with it (`collate.sourcefile`).  This module reads them all, trusting nothing:

- only regular files are read (see `collate.safefs.read_regular`), and at
  most `Limits.max_witness_bytes` of a text or source, `Limits.max_metadata_bytes`
  of a ``.toml``;
- a text must be UTF-8 (see `collate.readers.plain.decode_text`, the one set
  of decoding rules);
- a ``.toml`` may start with a UTF-8 BOM (Windows editors write one); its
  nesting is checked against `Limits.max_toml_depth` before it is parsed;
- when the metadata records a ``sha256``, the text must match it, or it is
  refused unless ``allow_modified``; the result says which (`Integrity`);
- a stored source must match its ``source_sha256``, and extracting it again,
  with the reader options recorded, must give the stored text byte for byte
  (`collate.sourcefile.extract_stored`); otherwise the witness is refused, or with
  ``allow_modified`` read without its source.

Limits come from the environment unless given: ``COLLATE_MAX_WITNESS_SIZE``
(default 256M), ``COLLATE_MAX_METADATA_SIZE`` (default 1M), sizes in bytes
with an optional K, M or G (binary multiples), and ``COLLATE_MAX_TOML_DEPTH``
(default 16).
"""
from __future__ import annotations

import dataclasses
import logging
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import CollateError
from .metadata import check_losses, parse_meta
from .model import Integrity, SourceFile, Witness, WitnessMeta
from .readers import Extracted, ReaderOptions, SourceFormat, read_bytes, sniff
from .readers.plain import decode_text as decode_text  # the one set of decoding rules, re-exported
from .readers.plain import wide_encoding as wide_encoding
from .safefs import read_regular
from .sourcefile import extract_stored, witness_siglum

log = logging.getLogger("collate")

ENV_MAX_WITNESS = "COLLATE_MAX_WITNESS_SIZE"
ENV_MAX_METADATA = "COLLATE_MAX_METADATA_SIZE"
ENV_MAX_DEPTH = "COLLATE_MAX_TOML_DEPTH"
STORED_HINT = " (the store reads only files it wrote: see collate verify)"


@dataclass(frozen=True, slots=True)
class Limits:
    """How much `collate` reads before refusing: sizes in bytes, and the TOML nesting depth.

    The defaults are generous for transcriptions (a 256 MiB text is some 40
    million words) and tight for metadata, which is a few lines of TOML.

    >>> Limits.from_env({"COLLATE_MAX_WITNESS_SIZE": "1G"}).max_witness_bytes
    1073741824
    >>> Limits.from_env({}) == Limits()
    True
    """

    max_witness_bytes: int = 256 << 20
    max_metadata_bytes: int = 1 << 20
    max_toml_depth: int = 16

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """The limits set in ``env`` (default: the process environment), defaults for the rest."""
        env = os.environ if env is None else env
        default = cls()
        return cls(
            max_witness_bytes=_setting(env, ENV_MAX_WITNESS, default.max_witness_bytes, size=True),
            max_metadata_bytes=_setting(env, ENV_MAX_METADATA, default.max_metadata_bytes, size=True),
            max_toml_depth=_setting(env, ENV_MAX_DEPTH, default.max_toml_depth, size=False),
        )


_SIZE_RE = re.compile(r"\s*(\d+)\s*([KMGT]?)(?:i?B)?\s*", re.IGNORECASE)


def _setting(env: Mapping[str, str], name: str, default: int, *, size: bool) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    match = _SIZE_RE.fullmatch(raw) if size else re.fullmatch(r"\d+", raw)
    if not match or int(match[1] if size else match[0]) <= 0:
        example = "a size such as 512M or 2G" if size else "a whole number such as 32"
        raise CollateError(f"{name}={raw!r} is not {example}")
    if not size:
        return int(raw)
    return int(match[1]) << (10 * "KMGT".index(match[2].upper()) + 10 if match[2] else 0)


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``.

    >>> sha256(b"")[:12]
    'e3b0c44298fc'
    """
    import hashlib  # only some commands need it: keep start-up fast

    return hashlib.sha256(data).hexdigest()


# --- sigla ---------------------------------------------------------------------

MAX_SIGLUM_LENGTH = 64
_SIGLUM_RE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*")
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(1, 10)] + [f"lpt{i}" for i in range(1, 10)]
)


def siglum_problem(siglum: str) -> str | None:
    """Why ``siglum`` is not a safe name for a stored witness, or None if it is.

    A siglum becomes a file name in the store, on any operating system: ASCII
    letters, digits, ``_``, ``-`` and ``.`` (not first or last, never ``..``),
    at most 64 characters, not a name Windows reserves.

    >>> siglum_problem("Vat.lat.3225") is None
    True
    >>> siglum_problem("../x")
    'must not start with "."'
    >>> siglum_problem("a/b")
    'may hold only ASCII letters, digits, "_", "-" and "." (found "/")'
    >>> siglum_problem("nul")
    'is a name Windows reserves for a device'
    """
    if not siglum:
        return "is empty"
    if len(siglum) > MAX_SIGLUM_LENGTH:
        return f"is longer than {MAX_SIGLUM_LENGTH} characters"
    if siglum.startswith("."):
        return 'must not start with "."'
    if not _SIGLUM_RE.fullmatch(siglum):
        bad = next(c for c in siglum if not (c.isascii() and (c.isalnum() or c in "_.-")))
        shown = f'"{bad}"' if bad.isprintable() and not bad.isspace() else repr(bad)
        return f'may hold only ASCII letters, digits, "_", "-" and "." (found {shown})'
    if ".." in siglum:
        return 'must not contain ".."'
    if siglum.endswith("."):
        return 'must not end with "."'
    if siglum.lower().endswith((".txt", ".toml")):
        return "looks like a file name: give the siglum without the extension"
    if siglum.split(".")[0].lower() in _WINDOWS_RESERVED:
        return "is a name Windows reserves for a device"
    return None


# --- metadata ----------------------------------------------------------------------

_TOML_SCAN = re.compile(r'"""|\'\'\'|["\'#\[\]{}]')
_TOML_CLOSE = {
    '"""': re.compile(r'(?:\\.|[^\\])*?"""', re.DOTALL),
    "'''": re.compile(r".*?'''", re.DOTALL),
    '"': re.compile(r'(?:\\.|[^"\\\n])*"'),
    "'": re.compile(r"[^'\n]*'"),
    "#": re.compile(r"[^\n]*"),
}


def toml_depth(text: str) -> int:
    """The deepest nesting of arrays and inline tables in a TOML text (strings and comments skipped).

    >>> toml_depth('lost = ["end"]  # [[[not counted'), toml_depth('a = [[1, {b = "]]]"}]]')
    (1, 3)
    """
    depth = deepest = 0
    pos = 0
    while match := _TOML_SCAN.search(text, pos):
        token = match.group()
        pos = match.end()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth = max(depth - 1, 0)
        else:
            closed = _TOML_CLOSE[token].match(text, pos)
            if closed is None:
                break  # unterminated: tomllib will say so
            pos = closed.end()
    return deepest


def read_meta(path: Path, *, limits: Limits | None = None, follow_symlinks: bool = True) -> WitnessMeta:
    """The metadata in the ``.toml`` file ``path``; empty metadata if there is none."""
    if not os.path.lexists(path):
        return WitnessMeta()
    limits = limits or Limits.from_env()
    raw = read_regular(
        path,
        limit=limits.max_metadata_bytes,
        follow_symlinks=follow_symlinks,
        limit_hint=f" for metadata (set {ENV_MAX_METADATA} to raise it)",
        hint="" if follow_symlinks else STORED_HINT,
    )
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise CollateError(f"bad metadata: not UTF-8 (undecodable byte at offset {exc.start})", path=str(path)) from None
    limit = limits.max_toml_depth
    if text.count("[") + text.count("{") > limit and (depth := toml_depth(text)) > limit:
        raise CollateError(f"bad metadata: nested {depth} deep, over the limit of {limit} (set {ENV_MAX_DEPTH} to raise it)", path=str(path))
    try:
        return parse_meta(tomllib.loads(text), str(path))
    except tomllib.TOMLDecodeError as exc:
        raise CollateError(f"bad metadata: {exc}", path=str(path)) from None
    except RecursionError:
        raise CollateError(f"bad metadata: nested too deeply to read (lower {ENV_MAX_DEPTH})", path=str(path)) from None


# --- a witness -----------------------------------------------------------------------


STORED_TEXT = ReaderOptions(format=SourceFormat.PLAIN)
"""How the store reads a ``<siglum>.txt``: always plain UTF-8, never sniffed (its source, if any, is named in its metadata)."""


def read_witness(
    path: Path,
    *,
    siglum: str | None = None,
    allow_modified: bool = False,
    follow_symlinks: bool = True,
    limits: Limits | None = None,
    options: ReaderOptions = ReaderOptions(),
) -> Witness:
    """Read a witness file (and the ``.toml`` beside it, if any), checking its checksums.

    The file is read by the reader its content calls for (`collate.readers`),
    unless ``options.format`` says which; a non-plain file keeps what the
    reader found in `Witness.source`, and its siglum is its stem less a
    format word (`witness_siglum`).  If the metadata records a ``sha256`` and
    the file does not match it, the witness is refused, or with
    ``allow_modified`` read with ``integrity`` `Integrity.MODIFIED` (and a
    note is logged).  A plain text whose metadata names a ``source_file`` (a
    stored witness) is read with that source (`extract_stored`).
    ``follow_symlinks=False`` is how the store reads: a symbolic link is refused.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "w.txt").write_bytes(b"Eastern front")
    >>> _ = (d / "w.toml").write_text('sha256 = "%s"' % sha256(b"Eastern front"))
    >>> read_witness(d / "w.txt").integrity
    <Integrity.VERIFIED: 'verified'>
    >>> _ = (d / "w.txt").write_bytes(b"Easter front")
    >>> read_witness(d / "w.txt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    collate.errors.CollateError: .../w.txt: text changed since it was stored (sha256 4675b03aca43…, recorded b6e70c7a41d5…): ...
    >>> read_witness(d / "w.txt", allow_modified=True).integrity
    <Integrity.MODIFIED: 'modified'>
    >>> _ = (d / "p1.hocr").write_bytes(b"<html><body><div class='ocr_page'><span class='ocr_line'>Easter front</span></div></body></html>")
    >>> w = read_witness(d / "p1.hocr")
    >>> w.siglum, w.text, w.source.format
    ('p1', 'Easter front', <SourceFormat.HOCR: 'hocr'>)
    """
    limits = limits or Limits.from_env()
    label = str(path)
    data = read_regular(
        path,
        limit=limits.max_witness_bytes,
        follow_symlinks=follow_symlinks,
        limit_hint=f" for a witness (set {ENV_MAX_WITNESS} to raise it)",
        hint="" if follow_symlinks else STORED_HINT,
    )
    fmt = options.format if options.format is not None else sniff(data, label)
    # Plain text needs no position map (its lines are its own) and no copy.
    extracted = read_bytes(data, label, dataclasses.replace(options, format=fmt)) if fmt is not SourceFormat.PLAIN else None
    text = extracted.text if extracted is not None else decode_text(data, label)
    meta_path = path.with_suffix(".toml")
    meta = read_meta(meta_path, limits=limits, follow_symlinks=follow_symlinks)
    check_losses(meta, text, str(meta_path))
    integrity = check_integrity(data, meta, label, allow_modified=allow_modified)
    if extracted is None and meta.source_file is not None:
        extracted = _stored_source(path, meta.source_file, data, allow_modified, follow_symlinks, limits)
    return Witness(
        siglum=siglum or witness_siglum(path, fmt), text=text, meta=meta, path=label, integrity=integrity, source=extracted
    )


def _stored_source(
    path: Path, record: SourceFile, stored: bytes, allow_modified: bool, follow_symlinks: bool, limits: Limits
) -> Extracted | None:
    """The stored source of the text at ``path``, or, with ``allow_modified``, None (and a note) if it does not agree."""
    try:
        return extract_stored(path, record, stored, limit=limits.max_witness_bytes, follow_symlinks=follow_symlinks,
                              hint="" if follow_symlinks else STORED_HINT)
    except CollateError as exc:
        if not allow_modified:
            raise CollateError(
                f"{exc.message}: see collate verify, or pass --allow-modified to use the text without its source",
                path=exc.path,
            ) from None
        log.warning("%s: %s; using the text without its source (no page and line positions)", exc.path, exc.message)
        return None


def check_integrity(data: bytes, meta: WitnessMeta, path: str, *, allow_modified: bool) -> Integrity:
    """Whether ``data`` matches the checksum in ``meta``; a mismatch is refused unless ``allow_modified``."""
    expected = meta.sha256.strip().lower()
    if not expected:
        return Integrity.UNCHECKED
    actual = sha256(data)
    if actual == expected:
        return Integrity.VERIFIED
    if not allow_modified:
        raise CollateError(
            f"text changed since it was stored (sha256 {actual[:12]}…, recorded {expected[:12]}…): "
            "see collate verify, or pass --allow-modified to use it as it is",
            path=path,
        )
    log.warning("%s: using a text modified since it was stored (its sha256 does not match)", path)
    return Integrity.MODIFIED


# --- checking a stored witness: `collate verify` -----------------------------------------


def problems_of(
    text_path: Path | None, meta_path: Path | None, sources: tuple[str, ...] = (), limits: Limits | None = None
) -> list[tuple[str, str]]:
    """What is wrong with one stored witness, as (file, problem) pairs; empty if nothing.

    ``text_path`` and ``meta_path`` are its ``.txt`` and ``.toml`` (None if
    missing), ``sources`` the names of the ``<siglum>.source.*`` files beside
    them.  Checked in order, the first failure ending the checks: the text
    can be read, the metadata exists and can be read, records a well-formed
    ``sha256`` that the text matches, and the text is a transcription; then
    every source file the metadata does not name, and the named source
    (`collate.sourcefile.extract_stored`).
    """
    limits = limits or Limits.from_env()
    if text_path is None:
        assert meta_path is not None
        return [(str(meta_path), f"metadata without its text: {meta_path.stem}.txt is missing")]
    siglum = text_path.stem
    try:
        data = read_regular(text_path, limit=limits.max_witness_bytes, follow_symlinks=False, hint=STORED_HINT)
    except CollateError as exc:
        return [(str(text_path), f"text cannot be read: {exc.message}")]
    if meta_path is None:
        return [(str(text_path), f"no metadata ({siglum}.toml missing), so no checksum to check")]
    try:
        meta = read_meta(meta_path, limits=limits, follow_symlinks=False)
    except CollateError as exc:
        return [(str(meta_path), f"metadata cannot be read: {exc.message}")]
    expected = meta.sha256.strip().lower()
    if not expected:
        return [(str(meta_path), "metadata has no sha256 checksum of the text")]
    if not re.fullmatch(r"[0-9a-f]{64}", expected):
        return [(str(meta_path), f"sha256 {meta.sha256!r} is not 64 hexadecimal digits")]
    actual = sha256(data)
    if actual != expected:
        return [(str(text_path), f"text changed since it was stored: sha256 expected {expected[:12]}…, actual {actual[:12]}…")]
    try:
        decode_text(data, str(text_path))
    except CollateError as exc:
        return [(str(text_path), f"text matches its checksum but is not a transcription: {exc.message}")]
    named = meta.source_file.name if meta.source_file is not None else None
    problems = [
        (str(text_path.with_name(name)), f"a source file that {siglum}.toml does not name (left by a replace cut short?): remove it")
        for name in sources
        if name != named
    ]
    if meta.source_file is not None:
        try:
            extract_stored(text_path, meta.source_file, data, limit=limits.max_witness_bytes, hint=STORED_HINT)
        except CollateError as exc:
            problems.append((exc.path, exc.message))
    return problems
