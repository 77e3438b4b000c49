"""The witness store: witness files and their provenance.

A store is a folder (``witnesses/`` by default).  Each witness is two files:

``<siglum>.txt``
    the transcription, UTF-8, stored byte for byte as given;
``<siglum>.toml``
    its metadata, hand-editable::

        title = "FRUS 1942, vol. III, doc. 516"
        source = "Foreign Relations of the United States ..."
        translation = "the contemporary British/FRUS translation"
        completeness = "fragment"          # or "complete"
        lost = ["end"]                     # where a fragment's text is lost: "start", "end"
        breaks_off_after = "and the best forces to boot, have been"
        note = "free text"
        sha256 = "..."                     # checksum of the .txt, checked by `collate verify`

A plain file given on the command line is a witness too: its siglum is its file
stem, and a ``.toml`` beside it, if present, gives its metadata.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import CollateError
from .model import Completeness, Lost, Witness, WitnessMeta

DEFAULT_STORE = Path("witnesses")


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``.

    >>> sha256(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes, path: str) -> str:
    """Decode a witness file's bytes, refusing what is not text.

    >>> decode_text("Eastern".encode(), "w.txt")
    'Eastern'
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


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CollateError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise CollateError("is a directory, not a witness file", path=str(path)) from None
    except OSError as exc:
        raise CollateError(exc.strerror or "cannot be read", path=str(path)) from None


def parse_meta(data: dict[str, object], path: str) -> WitnessMeta:
    """Metadata from a parsed ``.toml`` table, checked field by field."""

    def text(key: str) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise CollateError(f"{key} must be a string", path=path)
        return value

    try:
        completeness = Completeness(text("completeness") or "complete")
    except ValueError:
        raise CollateError("completeness must be \"complete\" or \"fragment\"", path=path) from None
    raw_lost = data.get("lost", ["end"] if completeness is Completeness.FRAGMENT else [])
    if not isinstance(raw_lost, list) or not all(v in ("start", "end") for v in raw_lost):
        raise CollateError('lost must be a list of "start" and/or "end"', path=path)
    return WitnessMeta(
        title=text("title"),
        source=text("source"),
        translation=text("translation"),
        completeness=completeness,
        lost=tuple(Lost(v) for v in raw_lost),
        breaks_off_after=text("breaks_off_after"),
        note=text("note"),
        sha256=text("sha256"),
    )


def meta_to_dict(meta: WitnessMeta) -> dict[str, object]:
    """The metadata as a plain dict (for TOML and JSON), empty fields left out."""
    out: dict[str, object] = {
        "title": meta.title,
        "source": meta.source,
        "translation": meta.translation,
        "completeness": meta.completeness.value,
        "lost": [v.value for v in meta.lost],
        "breaks_off_after": meta.breaks_off_after,
        "note": meta.note,
        "sha256": meta.sha256,
    }
    return {k: v for k, v in out.items() if v not in ("", [])}


def read_meta(path: Path) -> WitnessMeta:
    if not path.exists():
        return WitnessMeta()
    try:
        data = tomllib.loads(read_bytes(path).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CollateError(f"bad metadata: {exc}", path=str(path)) from None
    return parse_meta(data, str(path))


def read_witness(path: Path, *, siglum: str | None = None) -> Witness:
    """Read a witness file (and the ``.toml`` beside it, if any)."""
    text = decode_text(read_bytes(path), str(path))
    meta = read_meta(path.with_suffix(".toml"))
    return Witness(siglum=siglum or path.stem, text=text, meta=meta, path=str(path))


def list_sigla(store: Path) -> list[str]:
    """Sigla of the stored witnesses, sorted; a witness is a ``.txt`` in the store."""
    if not store.is_dir():
        raise CollateError("witness store not found", path=str(store))
    return sorted(p.stem for p in store.glob("*.txt"))


def load_store(store: Path = DEFAULT_STORE) -> tuple[Witness, ...]:
    """Every witness in ``store``, in siglum order."""
    sigla = list_sigla(store)
    if not sigla:
        raise CollateError("no witnesses (*.txt) in the store", path=str(store))
    return tuple(read_witness(store / f"{s}.txt") for s in sigla)


def resolve(names: Iterable[str], *, store: Path = DEFAULT_STORE) -> tuple[Witness, ...]:
    """Witnesses named on the command line: a path to a file, or a stored siglum.

    A name that exists as a file is read as one; otherwise it must be the siglum
    of a witness in ``store``.  Sigla must be unique.
    """
    witnesses: list[Witness] = []
    for name in names:
        path = Path(name)
        if path.is_file() or "/" in name or "\\" in name or path.suffix:
            witnesses.append(read_witness(path))
        elif (store / f"{name}.txt").is_file():
            witnesses.append(read_witness(store / f"{name}.txt"))
        else:
            raise CollateError(f"no such file, and no witness {name!r} in the store {store}", path=name)
    check_unique(witnesses)
    return tuple(witnesses)


def check_unique(witnesses: Sequence[Witness]) -> None:
    seen: set[str] = set()
    for w in witnesses:
        if w.siglum in seen:
            raise CollateError(f"two witnesses share the siglum {w.siglum!r}; rename one file", path=w.path)
        seen.add(w.siglum)
