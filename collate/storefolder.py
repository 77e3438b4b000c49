"""The store folder itself: what it holds (one listing, nothing opened), its
lock, and recovery from a write that was killed.

`collate.store` reads, adds and verifies witnesses through these: every read
runs under the shared lock after any recovery (`read_locked`), every write
under the exclusive lock (`writing`), and both see the folder through
`scan`.  The lock file is ``.collate.lock``; the journal of a write under way
(`collate.files.write_files`) is ``.collate.journal``.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .errors import CollateError
from .files import clean_stale, leftover_name, recover_journal
from .safefs import locked
from .sourcefile import SOURCE_EXTENSIONS

LOCK_NAME = ".collate.lock"
JOURNAL_NAME = ".collate.journal"

log = logging.getLogger("collate")
T = TypeVar("T")


# --- the folder: what is in it ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Listing:
    """What the store folder holds, by name and file type (`scan`)."""

    texts: dict[str, int]  # siglum -> st_mode of <siglum>.txt (not followed)
    metas: dict[str, int]  # siglum -> st_mode of <siglum>.toml
    sources: dict[str, tuple[str, ...]]  # siglum -> names of the <siglum>.source.<ext> files
    special: tuple[tuple[str, int], ...]  # entries that are neither regular files nor folders
    stray: tuple[str, ...]  # hidden names ending in .txt or .toml: never witnesses
    leftovers: tuple[str, ...]  # temporary files of interrupted writes


def scan(store: Path) -> Listing:
    """What the store folder holds, from one listing; nothing is opened."""
    try:
        entries = sorted(os.scandir(store), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        raise CollateError("witness store not found", path=str(store)) from None
    except OSError as exc:
        raise CollateError(f"cannot list the witness store: {exc.strerror or exc}", path=str(store)) from None
    texts: dict[str, int] = {}
    metas: dict[str, int] = {}
    sources: dict[str, tuple[str, ...]] = {}
    special, stray, leftovers = [], [], []
    for entry in entries:
        name = entry.name
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError:
            continue
        if name in (LOCK_NAME, JOURNAL_NAME):
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            special.append((name, mode))
        elif leftover_name(name) is not None:
            leftovers.append(name)
            continue
        stem, dot, ext = name.rpartition(".")
        if dot and ext in ("txt", "toml"):
            if not stem or stem.startswith("."):
                stray.append(name)
            else:
                (texts if ext == "txt" else metas)[stem] = mode
        elif stem.endswith(".source") and ext in _SOURCE_EXTS and not stem.startswith("."):
            siglum = stem.removesuffix(".source")
            sources[siglum] = (*sources.get(siglum, ()), name)
    return Listing(texts, metas, sources, tuple(special), tuple(stray), tuple(leftovers))


_SOURCE_EXTS = frozenset(SOURCE_EXTENSIONS.values())


def note_stray(store: Path, listing: Listing) -> None:
    """One warning for each hidden file named like a witness, which is never read as one."""
    for name in listing.stray:
        log.warning("%s: ignored: a hidden file is not a witness (collate verify lists it)", store / name)


# --- the folder: locks and recovery ------------------------------------------------


def _recover_locked(store: Path) -> None:
    """Undo an unfinished write and remove leftovers; the caller holds the exclusive lock."""
    undone = recover_journal(store / JOURNAL_NAME)
    removed = clean_stale(store)
    if not (undone or removed):
        return
    parts = []
    if undone:
        parts.append(f"undid an interrupted write of {', '.join(undone)} (they are as they were before it)")
    if removed:
        parts.append(f"removed {len(removed)} temporary file{'s' if len(removed) != 1 else ''} left by a killed run")
    log.warning("%s: recovered the store: %s", store, "; ".join(parts))


def _recover(store: Path) -> None:
    """Take the exclusive lock and recover; a store that cannot be written is refused only if it must be."""
    try:
        with locked(store / LOCK_NAME, exclusive=True, create=True):
            _recover_locked(store)
    except OSError as exc:
        if os.path.lexists(store / JOURNAL_NAME):
            raise CollateError(
                f"an interrupted write must be undone first, but the store cannot be written ({exc.strerror or exc})",
                path=str(store),
            ) from None
        log.warning("%s: temporary files of a killed run are left (%s)", store, exc.strerror or exc)


def _needs_recovery(store: Path) -> bool:
    try:
        names = os.listdir(store)
    except OSError:
        return False
    return any(n == JOURNAL_NAME or leftover_name(n) is not None for n in names)


def read_locked(store: Path, read: Callable[[], T]) -> T:
    """``read()`` under the store's shared lock, after any recovery: it never sees a write half done.

    A store without a lock file (no `collate add` ran in it yet) is read
    unlocked, and read again, locked, if a writer appeared meanwhile.
    """
    lock = store / LOCK_NAME
    if _needs_recovery(store):
        _recover(store)
    for _ in range(5):
        existed = os.path.lexists(lock)
        with locked(lock, exclusive=False, create=False) as held:
            if not os.path.lexists(store / JOURNAL_NAME):
                value = read()
                if held or existed or not os.path.lexists(lock):
                    return value
                continue
        _recover(store)  # a writer was killed since
    raise CollateError("the store kept changing while it was read; try again", path=str(store))


@contextmanager
def writing(store: Path, label: str) -> Iterator[None]:
    """Hold the store's exclusive lock, after recovery; a store this call created is removed if the block fails."""
    if os.path.lexists(store) and not store.is_dir():
        raise CollateError(f"the witness store {store} is not a folder", path=label)
    created = []
    folder = store
    while not os.path.lexists(folder) and folder != folder.parent:
        created.append(folder)
        folder = folder.parent
    stack = ExitStack()
    try:
        for new in reversed(created):
            new.mkdir(exist_ok=True)
        stack.enter_context(locked(store / LOCK_NAME, exclusive=True, create=True))
    except OSError as exc:
        _remove_created(store, created)
        raise CollateError(f"cannot lock the witness store {store} ({exc.strerror or exc}); nothing stored", path=label) from None
    with stack:
        try:
            _recover_locked(store)
            yield
        except BaseException:
            _remove_created(store, created)
            raise


def _remove_created(store: Path, created: list[Path]) -> None:
    if not created:
        return
    try:
        (store / LOCK_NAME).unlink(missing_ok=True)  # waiters re-take the lock: see `locked`
        for folder in created:
            folder.rmdir()
    except OSError:
        pass

