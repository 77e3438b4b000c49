"""The witness store: a folder of witnesses and their provenance, changed only by transactions.

A store is a folder (``witnesses/`` by default).  Each witness is two files
(three if it has a source):

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
        sha256 = "..."                     # checksum of the .txt, checked before every use

A witness added from a TEI, PAGE, ALTO, hOCR or Markdown file has a third,
``<siglum>.source.xml`` (``.hocr``, ``.md``): the file verbatim, while the
``.txt`` holds its reading text and the ``.toml`` records the source's
format, checksum and reader options (`collate.sourcefile`).  The store
keeps two files of its own: ``.collate.lock`` (an empty lock
file) and, only while a write is under way or after one was killed,
``.collate.journal``.  Other files and sub-folders are left alone.  A
file given on the command line is a witness too, in any of those formats:
its siglum is its file stem (less a format word: ``p1.alto.xml`` is ``p1``),
and a ``.toml`` beside it, if present, gives its metadata.

**Writing** (`add_witness`) holds an exclusive, advisory ``flock`` on the lock
file from the check that the siglum (and every case twin) is free until the
write has committed, and writes through a journal (`collate.files.write_files`),
so a crash or a signal at any instruction leaves the old witness or the new
one, whole.  **Recovery** runs at the start of every command that opens the
store: an unfinished write is undone, leftovers are removed, and one line on
the ``collate`` logger says so.  Readers hold a shared lock.  **Trust**: only
regular files are read (a symbolic link, FIFO or device is refused, never
opened, and listed by `verify_store`), reads are bounded
(`collate.witnessfile.Limits`), and every stored text is checked against its
checksum before use (`Witness.integrity`).  docs/store.md has the details;
`collate.storefolder` holds the listing, the lock and the recovery.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import CollateError
from .files import leftover_name, write_files
from .incoming import Incoming, read_incoming
from .metadata import check_losses, family_problem, meta_to_dict, parse_meta
from .model import Completeness, Coverage, Integrity, Lost, LostStretch, SourceFile, Witness, WitnessMeta
from .safefs import file_kind
from .readers import ReaderOptions
from .storefolder import JOURNAL_NAME, Listing, note_stray, read_locked, scan, writing
from .witnessfile import (
    MAX_SIGLUM_LENGTH,
    STORED_TEXT,
    Limits,
    decode_text,
    problems_of,
    read_meta,
    read_witness,
    sha256,
    siglum_problem,
)

__all__ = [
    "DEFAULT_STORE", "MAX_SIGLUM_LENGTH", "Limits", "StoreProblem", "add_witness", "check_unique", "decode_text", "list_sigla",
    "load_store", "meta_to_dict", "parse_meta", "read_meta", "read_stored", "read_witness", "resolve", "sha256", "stored_witnesses",
    "siglum_problem", "verify_store",
]  # fmt: skip

DEFAULT_STORE = Path("witnesses")

log = logging.getLogger("collate")


# --- reading ---------------------------------------------------------------------


def list_sigla(store: Path) -> list[str]:
    """Sigla of the stored witnesses, sorted; a witness is a ``<siglum>.txt`` in the store, not hidden."""
    if not store.is_dir():
        raise CollateError("witness store not found", path=str(store))
    return sorted(scan(store).texts)


def load_store(
    store: Path = DEFAULT_STORE, *, allow_modified: bool = False, limits: Limits | None = None
) -> tuple[Witness, ...]:
    """Every witness in ``store``, in siglum order, each checked against its checksum."""
    limits = limits or Limits.from_env()

    def read() -> tuple[Witness, ...]:
        listing = scan(store)
        note_stray(store, listing)
        if not listing.texts:
            raise CollateError("no witnesses (*.txt) in the store", path=str(store))
        return tuple(_read_stored(store, s, allow_modified, limits) for s in sorted(listing.texts))

    if not store.is_dir():
        raise CollateError("witness store not found", path=str(store))
    return read_locked(store, read)


def read_stored(store: Path, siglum: str, *, allow_modified: bool = False, limits: Limits | None = None) -> Witness:
    """The stored witness ``siglum``, read under the store's lock, its checksum checked."""
    limits = limits or Limits.from_env()
    return read_locked(store, lambda: _read_stored(store, siglum, allow_modified, limits))


def _read_stored(store: Path, siglum: str, allow_modified: bool, limits: Limits) -> Witness:
    return read_witness(
        store / f"{siglum}.txt", siglum=siglum, allow_modified=allow_modified, follow_symlinks=False, limits=limits,
        options=STORED_TEXT,
    )


def stored_witnesses(store: Path, *, exclude: str = "", limits: Limits | None = None) -> tuple[tuple[Witness, ...], tuple[str, ...]]:
    """The witnesses stored in ``store`` (none if there is no store yet), but ``exclude``,
    each read under the lock, checksums checked; one that cannot be read, or was
    modified, is left out and named with the reason (for `collate add`, which
    measures a new witness against the others)."""
    if not store.is_dir():
        return (), ()
    limits = limits or Limits.from_env()
    out: list[Witness] = []
    skipped: list[str] = []
    for siglum in list_sigla(store):
        if siglum == exclude:
            continue
        try:
            out.append(read_stored(store, siglum, limits=limits))
        except CollateError as exc:
            skipped.append(f"{siglum}: {exc.message}")
    return tuple(out), tuple(skipped)


def resolve(
    names: Iterable[str],
    *,
    store: Path = DEFAULT_STORE,
    allow_modified: bool = False,
    limits: Limits | None = None,
    options: ReaderOptions = ReaderOptions(),
) -> tuple[Witness, ...]:
    """Witnesses named on the command line: a path to a file, or a stored siglum.

    A name that exists as a file (anything but a folder) is read as one, by
    the reader its content calls for (or ``options.format``; see
    `collate.witnessfile.read_witness`); otherwise it must be the siglum of a
    witness in ``store``.  Sigla must be unique.  Stored witnesses are read
    under the store's lock, with their sources.
    """
    limits = limits or Limits.from_env()
    plan: list[tuple[str, bool]] = []  # (name, stored?)
    for name in names:
        path = Path(name)
        if "/" in name or "\\" in name or _names_a_file(path):
            plan.append((name, False))
        elif name and os.path.lexists(store / f"{name}.txt"):  # a siglum, dotted ones ("Vat.lat.3") included
            plan.append((name, True))
        elif path.suffix:
            plan.append((name, False))  # a file name that does not exist: say so
        else:
            raise CollateError(f"no such file, and no witness {name!r} in the store {store}", path=name)
    stored: dict[str, Witness] = {}
    if any(is_stored for _, is_stored in plan):
        sigla = [name for name, is_stored in plan if is_stored]
        stored = read_locked(store, lambda: {s: _read_stored(store, s, allow_modified, limits) for s in sigla})
    witnesses = [
        stored[name] if is_stored else read_witness(Path(name), allow_modified=allow_modified, limits=limits, options=options)
        for name, is_stored in plan
    ]
    check_unique(witnesses)
    return tuple(witnesses)


def _names_a_file(path: Path) -> bool:
    try:
        return not stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def check_unique(witnesses: Sequence[Witness]) -> None:
    seen: set[str] = set()
    for w in witnesses:
        if w.siglum in seen:
            raise CollateError(f"two witnesses share the siglum {w.siglum!r}; rename one file", path=w.path)
        seen.add(w.siglum)


# --- writing: `collate add` -------------------------------------------------

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
    family: str = "",
    lost: Sequence[LostStretch] | None = None,
    coverage: Coverage | None = None,
    replace: bool = False,
    limits: Limits | None = None,
    options: ReaderOptions = ReaderOptions(),
    on_commit: Callable[[Witness], None] | None = None,
    incoming: Incoming | None = None,
) -> Witness:
    """Store the file ``source`` as witness ``siglum``: its bytes verbatim, its metadata and checksum.

    The file's format is told from its content (`collate.readers.sniff`),
    unless ``options.format`` says which.  Plain text goes to
    ``<store>/<siglum>.txt`` byte for byte (line endings, BOM and Unicode
    normalization untouched), the metadata with the SHA-256 of those bytes to
    ``<store>/<siglum>.toml``.  A file in another format (TEI, PAGE, ALTO,
    hOCR, Markdown) is kept verbatim as ``<siglum>.source.<ext>``
    (`collate.witnessfile.source_name`), its reading text (read with
    ``options``) goes to ``<siglum>.txt``, and the metadata records both
    checksums, the format and the reader options; all three files are one
    transaction.  Replacing a witness removes a source it no longer has.  ``citation`` is stored as the
    ``source`` field; ``fragment`` marks a witness whose end is lost, and
    ``breaks_off_after`` (which must occur in the text) gives its last words.
    ``family`` names the translation (or recension) it belongs to; ``lost``
    and ``coverage``, when given, are the losses and coverage to store (stated
    and found, as `collate.partial.found_meta` merges them: they replace the
    end ``breaks_off_after`` states), checked against the text.  ``incoming``
    is the file already read by `collate.incoming.read_incoming` (so that
    what was decided from its text is what is stored).  The store folder is
    created if missing.

    Refused with a one-line `CollateError`, nothing written: a missing,
    empty, whitespace-only, binary, UTF-16 or non-UTF-8 file, or one that is
    not a regular file or is over the size limit; an unsafe siglum (see
    `siglum_problem`); a siglum already in the store, unless ``replace``, or
    differing from a stored one only in case; a store entry for the siglum
    that is not a regular file.  The check and the write hold the store's
    exclusive lock, and the write is one transaction: if it fails, or is
    interrupted, the store is left as it was.  ``on_commit`` is called with
    the stored witness right after the commit point, while signals are held
    back, so a caller can record that it is stored before any interrupt lands.

    >>> import shutil, tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> _ = (tmp / "copy.txt").write_bytes(b"Eastern front\\r\\n")
    >>> w = add_witness(tmp / "copy.txt", siglum="B", store=tmp / "store", title="B copy")
    >>> w.siglum, w.text, w.meta.title, w.meta.sha256[:12]
    ('B', 'Eastern front\\r\\n', 'B copy', 'ad47fbd5aae7')
    >>> sorted(p.name for p in (tmp / "store").iterdir())
    ['.collate.lock', 'B.toml', 'B.txt']
    >>> add_witness(tmp / "copy.txt", siglum="B", store=tmp / "store")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    collate.errors.CollateError: ...copy.txt: the siglum 'B' is already taken in the store ...
    >>> shutil.rmtree(tmp)
    """
    label = str(source)
    if incoming is None or incoming.siglum != siglum or incoming.source != source:
        incoming = read_incoming(source, siglum=siglum, limits=limits, options=options)
    data, text, stored, record, extracted = incoming.data, incoming.text, incoming.stored, incoming.record, incoming.extracted
    if breaks_off_after and not fragment:
        raise CollateError("breaks_off_after is given but the witness is not marked a fragment", path=label)
    if breaks_off_after and not re.search(r"\s+".join(map(re.escape, breaks_off_after.split())), text):
        raise CollateError(f"breaks_off_after {breaks_off_after!r} does not occur in the text", path=label)
    meta = WitnessMeta(
        title=title,
        source=citation,
        translation=translation,
        completeness=Completeness.FRAGMENT if fragment else Completeness.COMPLETE,
        family=family,
        lost=tuple(lost) if lost is not None else (LostStretch(Lost.END, after=breaks_off_after),) if breaks_off_after else (),
        coverage=coverage,
        note=note,
        sha256=sha256(stored),
        source_file=record,
    )
    check_losses(meta, text, label)
    if family and (problem := family_problem(family)) is not None:
        raise CollateError(f"family {family!r} {problem}", path=label)
    import tomli_w

    origin = f" (the reading text of {record.name})" if record is not None else ""
    toml_text = f"# Provenance of {siglum}.txt{origin}, written by `collate add`; hand-editable.\n"
    toml_text += tomli_w.dumps(meta_to_dict(meta))
    parse_meta(tomllib.loads(toml_text), label)  # what is written reads back (a coverage that contradicts a loss is refused)
    txt_path = store / f"{siglum}.txt"
    witness = Witness(siglum=siglum, text=text, meta=meta, path=str(txt_path), integrity=Integrity.VERIFIED, source=extracted)
    files: dict[Path, str | bytes] = {txt_path: stored, store / f"{siglum}.toml": toml_text}
    if record is not None:
        files[store / record.name] = data
    with writing(store, label):
        superseded = _check_siglum_free(store, siglum, replace=replace, label=label, keep=record)
        write_files(
            files,
            nothing="nothing was stored",
            inconsistent="the next collate command puts the store back as it was (run collate verify)",
            journal=store / JOURNAL_NAME,
            on_commit=None if on_commit is None else lambda: on_commit(witness),
        )
        _remove_superseded(store, superseded)
    return witness


def _remove_superseded(store: Path, names: Sequence[str]) -> None:
    """After a replace has committed: remove the old witness's source, which its new metadata no longer names.

    A run killed before this leaves the file unnamed, which is harmless and
    which `verify_store` lists.
    """
    for name in names:
        try:
            os.unlink(store / name)
        except OSError as exc:
            log.warning("%s: the replaced witness's source is left (%s); remove it", store / name, exc.strerror or exc)


def _check_siglum_free(store: Path, siglum: str, *, replace: bool, label: str, keep: SourceFile | None) -> list[str]:
    """Refuse a siglum that is taken (unless ``replace``) or has a case twin; the sources a replace supersedes."""
    listing = scan(store)
    for name, mode in ((f"{siglum}.txt", listing.texts.get(siglum)), (f"{siglum}.toml", listing.metas.get(siglum))):
        if mode is not None and not stat.S_ISREG(mode):
            raise CollateError(
                f"{name} in the store is {file_kind(mode)}, not a file collate wrote: remove it (see collate verify)",
                path=label,
            )
    stored = listing.texts.keys() | listing.metas.keys()
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
    sources = listing.sources.get(siglum, ())
    if siglum not in stored:
        if keep is not None and keep.name in sources:
            raise CollateError(f"{keep.name} is in the store but belongs to no witness: remove or rename it", path=label)
        return []  # files named like a source of no witness are not ours to remove
    return [name for name in sources if keep is None or name != keep.name]


# --- checking: `collate verify` ---------------------------------------------


@dataclass(frozen=True, slots=True)
class StoreProblem:
    """Something wrong with one stored witness: its siglum, the file concerned, and what."""

    siglum: str
    path: str
    problem: str


def verify_store(store: Path = DEFAULT_STORE, *, limits: Limits | None = None) -> tuple[StoreProblem, ...]:
    """Every problem in the store; an empty tuple when every text matches its checksum.

    Reported: a ``.txt`` whose bytes no longer match the ``sha256`` in its
    ``.toml`` (with the expected and actual checksum prefixes), a ``.txt``
    without a ``.toml`` or whose ``.toml`` has no ``sha256``, a ``.toml``
    without its ``.txt``, metadata that cannot be read, a text that cannot be
    read, any symbolic link, FIFO, device or socket in the store (none is
    opened), hidden files named like witnesses, and temporary files that
    recovery could not remove.  For a witness extracted from a source: a
    source that is missing, cannot be read or no longer matches its
    ``source_sha256``, one whose reading text, extracted again with the
    recorded reader options, differs from the stored ``.txt`` byte for byte
    ("extracted text differs from its source"), and a ``<siglum>.source.*``
    file that the witness's metadata does not name.  Like every command that opens the store, it
    first undoes an interrupted write.

    >>> import shutil, tempfile
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
    limits = limits or Limits.from_env()
    return read_locked(store, lambda: _problems(store, scan(store), limits))


def _problems(store: Path, listing: Listing, limits: Limits) -> tuple[StoreProblem, ...]:
    problems: list[StoreProblem] = []
    special = {name for name, _ in listing.special}
    for name, mode in listing.special:
        what = file_kind(mode)
        if stat.S_ISLNK(mode):
            try:
                what += f" (to {os.readlink(store / name)})"
            except OSError:
                pass
        problems.append(StoreProblem(_stem(name), str(store / name), f"is {what}: the store holds only regular files it wrote; remove it"))
    for name in listing.stray:
        problems.append(StoreProblem(_stem(name), str(store / name), "a hidden file named like a witness: never read as one; remove or rename it"))
    for name in listing.leftovers:
        problems.append(StoreProblem(_stem(leftover_name(name) or name), str(store / name), "temporary file left by an interrupted write; delete it"))
    for siglum in sorted(listing.texts.keys() | listing.metas.keys()):
        if f"{siglum}.txt" in special or f"{siglum}.toml" in special:
            continue
        text_path = store / f"{siglum}.txt" if siglum in listing.texts else None
        meta_path = store / f"{siglum}.toml" if siglum in listing.metas else None
        sources = listing.sources.get(siglum, ())
        problems += [StoreProblem(siglum, path, problem) for path, problem in problems_of(text_path, meta_path, sources, limits)]
    return tuple(sorted(problems, key=lambda p: (p.siglum, p.path)))


def _stem(name: str) -> str:
    return name.rpartition(".")[0] or name
