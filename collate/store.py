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

Writing: `add_witness` validates a file and a siglum and stores both files
atomically (each written to a temporary file in the store, fsynced, then moved
into place with `os.replace`); a refusal or a failure leaves the store byte for
byte as it was.  `verify_store` checks every stored text against its checksum.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


from .errors import CollateError
from .files import write_files
from .model import Completeness, Lost, Witness, WitnessMeta

DEFAULT_STORE = Path("witnesses")


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``.

    >>> sha256(b"")[:12]
    'e3b0c44298fc'
    """
    import hashlib  # only add and verify need it: keep start-up fast

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
        family=text("family").strip(),
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
        "family": meta.family,
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
        if path.is_file() or "/" in name or "\\" in name:
            witnesses.append(read_witness(path))
        elif (store / f"{name}.txt").is_file():  # a siglum, dotted ones ("Vat.lat.3") included
            witnesses.append(read_witness(store / f"{name}.txt"))
        elif path.suffix:
            witnesses.append(read_witness(path))  # a file name that does not exist: say so
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


# --- Writing: `collate add` -------------------------------------------------

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


def add_witness(
    source: Path,
    *,
    siglum: str,
    store: Path = DEFAULT_STORE,
    title: str = "",
    citation: str = "",
    translation: str = "",
    fragment: bool = False,
    breaks_off_after: str = "",
    note: str = "",
    replace: bool = False,
) -> Witness:
    """Store the file ``source`` as witness ``siglum``: its bytes verbatim, its metadata and checksum.

    The text goes to ``<store>/<siglum>.txt`` byte for byte (line endings, BOM
    and Unicode normalization untouched), the metadata with the SHA-256 of
    those bytes to ``<store>/<siglum>.toml``.  ``citation`` is stored as the
    ``source`` field; ``fragment`` marks a witness whose end is lost, and
    ``breaks_off_after`` (which must occur in the text) gives its last words.
    The store folder is created if missing.

    Refused with a one-line `CollateError`, nothing written: a missing,
    empty, whitespace-only, binary or non-UTF-8 file; an unsafe siglum (see
    `siglum_problem`); a siglum already in the store, unless ``replace``.
    Both writes are atomic, and if either fails the store is left as it was.

    >>> import shutil, tempfile
    >>> import tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> _ = (tmp / "copy.txt").write_bytes(b"Eastern front\\r\\n")
    >>> w = add_witness(tmp / "copy.txt", siglum="B", store=tmp / "store", title="B copy")
    >>> w.siglum, w.text, w.meta.title, w.meta.sha256[:12]
    ('B', 'Eastern front\\r\\n', 'B copy', 'ad47fbd5aae7')
    >>> sorted(p.name for p in (tmp / "store").iterdir())
    ['B.toml', 'B.txt']
    >>> add_witness(tmp / "copy.txt", siglum="B", store=tmp / "store")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    collate.errors.CollateError: ...copy.txt: the siglum 'B' is already taken in the store ...
    >>> shutil.rmtree(tmp)
    """
    label = str(source)
    problem = siglum_problem(siglum)
    if problem is not None:
        raise CollateError(f"siglum {siglum!r} is not a safe name: it {problem}", path=label)
    data = read_bytes(source)
    text = decode_text(data, label)
    if breaks_off_after and not fragment:
        raise CollateError("breaks_off_after is given but the witness is not marked a fragment", path=label)
    if breaks_off_after and " ".join(breaks_off_after.split()) not in " ".join(text.split()):
        raise CollateError(f"breaks_off_after {breaks_off_after!r} does not occur in the text", path=label)
    _check_siglum_free(store, siglum, replace=replace, label=label)
    meta = WitnessMeta(
        title=title,
        source=citation,
        translation=translation,
        completeness=Completeness.FRAGMENT if fragment else Completeness.COMPLETE,
        lost=(Lost.END,) if fragment else (),
        breaks_off_after=breaks_off_after,
        note=note,
        sha256=sha256(data),
    )
    toml_text = f"# Provenance of {siglum}.txt, written by `collate add`; hand-editable.\n"
    import tomli_w

    toml_text += tomli_w.dumps(meta_to_dict(meta))
    txt_path = store / f"{siglum}.txt"
    write_files(
        {txt_path: data, store / f"{siglum}.toml": toml_text},
        nothing="nothing was stored",
        inconsistent="the store may be inconsistent: verify it",
    )
    return Witness(siglum=siglum, text=text, meta=meta, path=str(txt_path))


def _check_siglum_free(store: Path, siglum: str, *, replace: bool, label: str) -> None:
    if not store.exists():
        return
    if not store.is_dir():
        raise CollateError(f"the witness store {store} is not a folder", path=label)
    try:
        stored = {p.stem for p in store.iterdir() if p.suffix in (".txt", ".toml")}
    except OSError as exc:
        raise CollateError(f"cannot list the witness store {store}: {exc.strerror or exc}", path=label) from None
    if siglum in stored and not replace:
        raise CollateError(
            f"the siglum {siglum!r} is already taken in the store {store} (replace it explicitly to overwrite)",
            path=label,
        )
    twins = sorted(s for s in stored if s != siglum and s.casefold() == siglum.casefold())
    if twins:
        raise CollateError(
            f"the siglum {siglum!r} differs only in case from the stored {twins[0]!r}"
            " (the two would collide on case-insensitive file systems)",
            path=label,
        )


# --- Checking: `collate verify` ---------------------------------------------

_TEMP_RE = re.compile(r"\.(?P<siglum>.+)\.(?:txt|toml)\.[0-9a-f]+\.tmp")


@dataclass(frozen=True, slots=True)
class StoreProblem:
    """Something wrong with one stored witness: its siglum, the file concerned, and what."""

    siglum: str
    path: str
    problem: str


def verify_store(store: Path = DEFAULT_STORE) -> tuple[StoreProblem, ...]:
    """Every problem in the store; an empty tuple when every text matches its checksum.

    Reported: a ``.txt`` whose bytes no longer match the ``sha256`` in its
    ``.toml`` (with the expected and actual checksum prefixes), a ``.txt``
    without a ``.toml`` or whose ``.toml`` has no ``sha256``, a ``.toml``
    without its ``.txt``, metadata that cannot be read, a text that cannot be
    read, and temporary files left by an interrupted write.

    >>> import shutil, tempfile
    >>> import tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> _ = (tmp / "copy.txt").write_bytes(b"Eastern front")
    >>> _ = add_witness(tmp / "copy.txt", siglum="B", store=tmp / "store")
    >>> verify_store(tmp / "store")
    ()
    >>> _ = (tmp / "store" / "B.txt").write_bytes(b"Easter front")
    >>> [(p.siglum, p.problem) for p in verify_store(tmp / "store")]
    [('B', 'text changed since it was stored: sha256 expected b6e70c7a41d5…, actual 4675b03aca43…')]
    >>> shutil.rmtree(tmp)
    """
    if not store.is_dir():
        raise CollateError("witness store not found", path=str(store))
    texts = {p.stem: p for p in store.glob("*.txt")}
    metas = {p.stem: p for p in store.glob("*.toml")}
    problems: list[StoreProblem] = []
    for siglum in sorted(texts.keys() | metas.keys()):
        problem = _check_witness(siglum, texts.get(siglum), metas.get(siglum))
        if problem is not None:
            problems.append(problem)
    for tmp in sorted(store.glob(".*.tmp")):
        match = _TEMP_RE.fullmatch(tmp.name)
        if match:
            problems.append(
                StoreProblem(match["siglum"], str(tmp), "temporary file left by an interrupted write; delete it")
            )
    return tuple(sorted(problems, key=lambda p: (p.siglum, p.path)))


def _check_witness(siglum: str, text_path: Path | None, meta_path: Path | None) -> StoreProblem | None:
    if text_path is None:
        assert meta_path is not None
        return StoreProblem(siglum, str(meta_path), f"metadata without its text: {siglum}.txt is missing")
    try:
        data = read_bytes(text_path)
    except CollateError as exc:
        return StoreProblem(siglum, str(text_path), f"text cannot be read: {exc.message}")
    if meta_path is None:
        return StoreProblem(siglum, str(text_path), f"no metadata ({siglum}.toml missing), so no checksum to check")
    try:
        meta = read_meta(meta_path)
    except CollateError as exc:
        return StoreProblem(siglum, str(meta_path), f"metadata cannot be read: {exc.message}")
    expected = meta.sha256.strip().lower()
    if not expected:
        return StoreProblem(siglum, str(meta_path), "metadata has no sha256 checksum of the text")
    if not re.fullmatch(r"[0-9a-f]{64}", expected):
        return StoreProblem(siglum, str(meta_path), f"sha256 {meta.sha256!r} is not 64 hexadecimal digits")
    actual = sha256(data)
    if actual != expected:
        return StoreProblem(
            siglum,
            str(text_path),
            f"text changed since it was stored: sha256 expected {expected[:12]}…, actual {actual[:12]}…",
        )
    try:
        decode_text(data, str(text_path))
    except CollateError as exc:
        return StoreProblem(siglum, str(text_path), f"text matches its checksum but is not a transcription: {exc.message}")
    return None
