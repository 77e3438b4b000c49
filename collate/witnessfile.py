"""Reading one witness: its text file, its ``.toml`` metadata, and its checksum.

A witness is a text file (UTF-8, stored byte for byte) and, beside it, a
``.toml`` with its provenance and the SHA-256 of the text (see `collate.store`
for the store's layout).  This module reads one such pair, trusting nothing:

- only regular files are read (see `collate.safefs.read_regular`), and at
  most `Limits.max_witness_bytes` of a text, `Limits.max_metadata_bytes` of a
  ``.toml``;
- a text must be UTF-8 (a BOM is allowed and not part of the text); UTF-16
  and UTF-32 are recognised and named, and refused with a hint to convert them
  (they are not decoded: the store keeps UTF-8 bytes, so that checksums, byte
  offsets and every other tool agree on what is stored);
- a ``.toml`` may start with a UTF-8 BOM (Windows editors write one); its
  nesting is checked against `Limits.max_toml_depth` before it is parsed;
- when the metadata records a ``sha256``, the text must match it, or it is
  refused unless ``allow_modified``; the result says which (`Integrity`).

Limits come from the environment unless given: ``COLLATE_MAX_WITNESS_SIZE``
(default 256M), ``COLLATE_MAX_METADATA_SIZE`` (default 1M), sizes in bytes
with an optional K, M or G (binary multiples), and ``COLLATE_MAX_TOML_DEPTH``
(default 16).
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import CollateError
from .metadata import check_losses, meta_to_dict, parse_meta
from .model import Integrity, Witness, WitnessMeta
from .safefs import read_regular

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


# --- text ----------------------------------------------------------------------

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


def decode_text(data: bytes, path: str) -> str:
    """Decode a witness file's bytes, refusing what is not text.

    >>> decode_text("Eastern".encode(), "w.txt")
    'Eastern'
    >>> decode_text(b"", "w.txt")
    Traceback (most recent call last):
    collate.errors.CollateError: w.txt: empty file
    >>> decode_text("Eastern".encode("utf-16"), "w.txt")
    Traceback (most recent call last):
    collate.errors.CollateError: w.txt: UTF-16 text, not UTF-8: convert it first (iconv -f UTF-16 -t UTF-8)
    """
    if not data:
        raise CollateError("empty file", path=path)
    wide = wide_encoding(data)
    if wide is not None:
        raise CollateError(f"{wide} text, not UTF-8: convert it first (iconv -f {wide} -t UTF-8)", path=path)
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


def read_witness(
    path: Path,
    *,
    siglum: str | None = None,
    allow_modified: bool = False,
    follow_symlinks: bool = True,
    limits: Limits | None = None,
) -> Witness:
    """Read a witness file (and the ``.toml`` beside it, if any), checking its checksum.

    If the metadata records a ``sha256`` and the text does not match it, the
    witness is refused, or with ``allow_modified`` read with ``integrity``
    `Integrity.MODIFIED` (and a note is logged).  ``follow_symlinks=False`` is
    how the store reads: a symbolic link is refused.

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
    """
    limits = limits or Limits.from_env()
    stored_hint = "" if follow_symlinks else STORED_HINT
    data = read_regular(
        path,
        limit=limits.max_witness_bytes,
        follow_symlinks=follow_symlinks,
        limit_hint=f" for a witness (set {ENV_MAX_WITNESS} to raise it)",
        hint=stored_hint,
    )
    text = decode_text(data, str(path))
    meta_path = path.with_suffix(".toml")
    meta = read_meta(meta_path, limits=limits, follow_symlinks=follow_symlinks)
    check_losses(meta, text, str(meta_path))
    integrity = check_integrity(data, meta, str(path), allow_modified=allow_modified)
    return Witness(siglum=siglum or path.stem, text=text, meta=meta, path=str(path), integrity=integrity)


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
