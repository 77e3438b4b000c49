"""Writing files atomically: all of them, or none, and never onto what must not be written.

One implementation for every file `collate` writes (stored witnesses and their
metadata, reports).

Every file is first written in full to a temporary file beside its target
(``.<name>.<txid>.tmp``) and synced to disk.  Then, with SIGINT, SIGTERM and
SIGHUP held back, each existing target is kept under a second name
(``.<name>.<txid>.old``, a hard link: the undo never reads or copies the old
contents) and the temporary files are renamed over their targets.  If anything
fails, even an interrupt, the kept files are renamed back, new targets
removed, temporary files and folders the call created deleted, and a one-line
`CollateError` (or the interrupt) says so.  Targets are checked first
(`check_targets`): a symbolic link, a device, a FIFO or a folder is never
written to or replaced, an input of the command is never overwritten, nothing
is written into the witness store by a report, and two outputs may not share
one path.  A reader never sees a half-written file.

With a ``journal`` (the store uses one), the plan is first written to the
journal file; the commit point is the journal's removal.  A process killed at
any instruction before that leaves the journal, and `recover_journal`, run by
the next command, renames the kept files back: every target is then as it was
before, never a mix.  After the commit point only the kept copies remain to be
removed.  Without a journal (reports), a process killed by SIGKILL half way may
leave some targets new and some old; the next write of those targets removes
the leftovers (`clean_stale`) and says so.

Every temporary and kept file is held under an exclusive ``flock`` by the
process writing it, so `clean_stale` removes only the leftovers of processes
that are gone, never the files of a write still under way.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import stat
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path

from .errors import CollateError, Interrupted, signal_number
from .safefs import O_COMMON, O_NOFOLLOW, file_kind, hold, read_regular, same_file, signals_deferred

try:  # POSIX only (Windows: no locks)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

_LEFTOVER_RE = re.compile(r"\.(?P<name>.+)\.(?P<txid>[0-9a-f]{8})\.(?P<kind>tmp|old)")


# --- output targets ----------------------------------------------------------


def check_targets(
    targets: Collection[Path], *, inputs: Collection[Path] = (), protected_dirs: Collection[Path] = ()
) -> None:
    """Refuse, with one line, outputs that would destroy something or could not be written as files.

    Refused: a target that is a symbolic link (it would be replaced, not
    written through), a device, a FIFO, a socket or a folder; a target that is
    one of ``inputs`` (same path, or the same file by another name); a target
    inside one of ``protected_dirs`` (the witness store); two targets that are
    one file.  ``-`` (standard output) is the caller's business, never a target.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> check_targets([d / "a.json", d / "b.html"], inputs=[d / "w.txt"])
    >>> check_targets([d / "a.json", d / "." / "a.json"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    collate.errors.CollateError: .../a.json: is given as two outputs; give each output its own path
    """
    taken = {key: path for path in inputs for key in _identity(path)}
    shielded = [Path(os.path.realpath(d)) for d in protected_dirs]
    seen: dict[tuple[object, ...], Path] = {}
    for target in targets:
        label = str(target)
        try:
            st: os.stat_result | None = os.lstat(target)
        except OSError:
            st = None
        if st is not None and stat.S_ISLNK(st.st_mode):
            raise CollateError(
                "is a symbolic link: collate does not write through links (give the file itself, or - for standard output)",
                path=label,
            )
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise CollateError("is a folder, not a file", path=label)
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise CollateError(
                f"is {file_kind(st.st_mode)}: collate writes only regular files (- writes to standard output)",
                path=label,
            )
        real = Path(os.path.realpath(target))
        for folder in shielded:
            if real.is_relative_to(folder):
                raise CollateError(f"is inside the witness store {folder}: only collate add writes there", path=label)
        keys = _identity(target)
        if any(key in taken for key in keys):
            raise CollateError("is one of this command's inputs: collate never writes over its inputs", path=label)
        if any(key in seen for key in keys):
            raise CollateError("is given as two outputs; give each output its own path", path=label)
        seen.update((key, target) for key in keys)


def _identity(path: Path) -> list[tuple[object, ...]]:
    """Keys that are equal for two names of one file: its real path, and its device and inode if it exists."""
    keys: list[tuple[object, ...]] = [("path", os.path.realpath(path))]
    try:
        st = os.stat(path)
        keys.append(("inode", st.st_dev, st.st_ino))
    except OSError:
        pass
    return keys


# --- writing -----------------------------------------------------------------


def _step(name: str) -> None:
    """Called between the steps of a write; a test hook (it does nothing)."""


def write_files(
    outputs: Mapping[Path, str | bytes],
    *,
    nothing: str = "nothing was written",
    inconsistent: str = "the files may be inconsistent: check them",
    inputs: Collection[Path] = (),
    protected_dirs: Collection[Path] = (),
    journal: Path | None = None,
    on_commit: Callable[[], None] | None = None,
) -> None:
    """Write every ``path: content`` pair (text as UTF-8), atomically as a set.

    ``nothing`` ends the error message when a write failed and was undone,
    ``inconsistent`` when undoing it failed too.  ``inputs`` and
    ``protected_dirs`` are passed to `check_targets`.  With ``journal`` (a
    path in the targets' folder, which must be the same for all) the write is
    recoverable after a crash, see `recover_journal`; the caller must hold a
    lock on that folder.  ``on_commit`` is called right after the commit
    point, while signals are still held back: what it records is true even
    if an interrupt arrives the next instant.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_files({d / "a.txt": "Eastern", d / "sub" / "b.bin": b"1942"})
    >>> (d / "a.txt").read_text(), (d / "sub" / "b.bin").read_bytes()
    ('Eastern', b'1942')
    """
    files = [(Path(p), c.encode("utf-8") if isinstance(c, str) else c) for p, c in outputs.items()]
    check_targets([p for p, _ in files], inputs=inputs, protected_dirs=protected_dirs)
    if journal is None:
        for folder, names in _by_folder(p for p, _ in files).items():
            note_removed(clean_stale(folder, names=names))
    txn = _Transaction(files, journal)
    try:
        try:
            txn.prepare()  # long for big files, so interruptible: nothing is in place yet
        except BaseException as exc:
            _fail(txn, exc, nothing=nothing, inconsistent=inconsistent)
        with signals_deferred():
            try:
                txn.install()
                txn.commit()
            except BaseException as exc:
                _fail(txn, exc, nothing=nothing, inconsistent=inconsistent)
            # Past the commit point nothing is undone: say so first, then tidy up.
            if on_commit is not None:
                on_commit()
            _step("committed")
            txn.finish()  # quick unlinks: a signal held back lands after them, leaving nothing behind
    finally:
        txn.release()


def _fail(txn: _Transaction, exc: BaseException, *, nothing: str, inconsistent: str) -> None:
    """Undo ``txn`` after ``exc`` and raise what tells the truth about it."""
    undo_error = txn.undo()
    where = str(txn.files[0][0].parent) if txn.files else ""
    if undo_error is not None:
        if isinstance(exc, KeyboardInterrupt):
            raise Interrupted(signal_number(exc), f"undoing the write failed ({undo_error}); {inconsistent}") from None
        raise CollateError(
            f"writing failed ({_why(exc)}) and undoing it failed too ({undo_error}); {inconsistent}", path=where
        ) from None
    if isinstance(exc, OSError):
        raise CollateError(f"could not write ({_why(exc)}); {nothing}", path=where) from None
    raise exc


def _by_folder(paths: Iterator[Path] | Collection[Path]) -> dict[Path, set[str]]:
    folders: dict[Path, set[str]] = {}
    for path in paths:
        folders.setdefault(path.parent, set()).add(path.name)
    return folders


class _Transaction:
    """One call of `write_files`: what it has done so far, so it can be undone at any step."""

    def __init__(self, files: list[tuple[Path, bytes]], journal: Path | None) -> None:
        self.files = files
        self.journal = journal
        if journal is not None and any(p.parent != journal.parent for p, _ in files):
            raise ValueError("a journaled write keeps every target in the journal's folder")
        self.txid = os.urandom(4).hex()
        self.created: list[Path] = []  # folders this write created
        self.held: list[int] = []  # descriptors holding the flocks of our temporary and kept files
        self.scratch: list[Path] = []  # every temporary file this write created
        self.temps: dict[Path, Path] = {}  # target -> its new content, not yet in place
        self.backups: dict[Path, Path | None] = {}  # target -> where its old file is kept (None: new target)
        self.kept: list[Path] = []  # targets whose old file is kept under its backup name
        self.installed: list[Path] = []  # targets that hold their new content
        self.journal_written = False  # the journal is in place (until the commit point removes it)

    def leftover(self, path: Path, kind: str) -> Path:
        return path.with_name(f".{path.name}.{self.txid}.{kind}")

    def prepare(self) -> None:
        """Create missing folders and write every temporary file (interruptible: nothing is in place yet)."""
        for path, _ in self.files:
            for folder in _missing_dirs(path.parent):
                try:
                    folder.mkdir()
                except FileExistsError:
                    if folder.is_dir() and not folder.is_symlink():
                        continue  # made meanwhile by another writer (a worker writing the volume's next page): not ours
                    raise
                self.created.append(folder)
        for path, data in self.files:
            self.temps[path] = self._write_temp(self.leftover(path, "tmp"), data)
        _step("temps written")

    def _write_temp(self, tmp: Path, data: bytes) -> Path:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_COMMON | O_NOFOLLOW, 0o666)
        self.held.append(fd)
        self.scratch.append(tmp)  # recorded at once, so an interrupt mid-write still removes it
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view[: 1 << 24]) :]
        os.fsync(fd)
        return tmp

    def install(self) -> None:
        """Keep the old files, put the new ones in place, sync: all undoable."""
        for path, _ in self.files:
            self.backups[path] = self.leftover(path, "old") if os.path.lexists(path) else None
        if self.journal is not None:
            self._write_journal(self.journal)
            _step("journal written")
        for path, backup in self.backups.items():
            if backup is not None:
                self._keep(path, backup)
        _step("old kept")
        for path, _ in self.files:
            os.replace(self.temps[path], path)
            self.installed.append(path)
            _step(f"installed {path.name}")
        for folder in _by_folder(self.backups):
            fsync_dir(folder)
        _step("synced")

    def commit(self) -> None:
        """The commit point: the journal's removal (without a journal, the last rename was it)."""
        if self.journal is not None:
            os.unlink(self.journal)
            self.journal_written = False
            fsync_dir(self.journal.parent)

    def _keep(self, path: Path, backup: Path) -> None:
        """Keep the old file at ``path`` under the name ``backup``: a hard link, or a rename where links fail."""
        fd = hold(path)  # its flock protects the kept copy from `clean_stale` of another process
        if fd is not None:
            self.held.append(fd)
        try:
            os.link(path, backup, follow_symlinks=False)
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS):
                raise
            os.rename(path, backup)
        self.kept.append(path)

    def _write_journal(self, journal: Path) -> None:
        entries = [
            {"target": p.name, "temp": self.temps[p].name, "backup": b.name if b is not None else None}
            for p, b in self.backups.items()
        ]
        data = json.dumps({"collate-journal": 1, "txid": self.txid, "entries": entries}, indent=1)
        tmp = self._write_temp(self.leftover(journal, "tmp"), data.encode("utf-8"))
        os.replace(tmp, journal)
        self.journal_written = True
        fsync_dir(journal.parent)

    def undo(self) -> str | None:
        """Put back what was there before and remove the temporary files; why it could not, or None.

        Runs with signals held back.  If it fails, a journal (if any) lets the
        next command finish it.
        """
        try:
            with signals_deferred():
                for path in reversed(list(self.backups)):
                    backup = self.backups[path]
                    if backup is not None and path in self.kept:
                        _restore(backup, path)
                    elif backup is None and path in self.installed:
                        os.unlink(path)
                for folder in _by_folder(self.backups):
                    fsync_dir(folder)
                if self.journal is not None and self.journal_written:
                    os.unlink(self.journal)
                    fsync_dir(self.journal.parent)
        except BaseException as exc:  # an interrupt included (a test hook can raise one here)
            self._remove_temps()
            return "interrupted" if isinstance(exc, KeyboardInterrupt) else _why(exc)
        self._remove_temps()
        for folder in reversed(self.created):
            try:
                folder.rmdir()
            except OSError:
                pass
        return None

    def _remove_temps(self) -> None:
        for tmp in self.scratch:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass

    def finish(self) -> None:
        """After the commit point: remove the kept old files (a leftover is cleaned by the next write)."""
        for backup in self.backups.values():
            if backup is not None:
                try:
                    backup.unlink(missing_ok=True)
                except OSError:
                    pass
        _step("cleaned")

    def release(self) -> None:
        for fd in self.held:
            os.close(fd)
        self.held.clear()


def _restore(backup: Path, target: Path) -> None:
    """Rename the kept old file back over its target.

    When both names are still one file (nothing was installed yet), a rename
    does nothing (POSIX), so the spare name is removed instead.
    """
    os.replace(backup, target)
    if os.path.lexists(backup):
        os.unlink(backup)


def _missing_dirs(folder: Path) -> list[Path]:
    """The folders that creating ``folder`` would create, outermost first."""
    missing: list[Path] = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing[::-1]


def fsync_dir(folder: Path) -> None:
    """Make renames in ``folder`` durable, where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        name = Path(exc.filename).name if isinstance(exc.filename, str) else ""
        return f"{name}: {exc.strerror}" if name else exc.strerror
    return str(exc) or type(exc).__name__


# --- after a crash -------------------------------------------------------------

JOURNAL_LIMIT = 1 << 20  # a journal lists a few file names; anything larger was not written by collate


def recover_journal(journal: Path) -> list[str]:
    """Undo the interrupted write that ``journal`` describes; the targets it put back.

    Every kept old file is renamed back over its target, a target that did not
    exist before is removed, temporary files are deleted, then the journal.
    Idempotent: a recovery killed half way is finished by the next one.  The
    caller holds the lock that writers of this folder take.  A journal that
    `collate` did not write is refused, and nothing is touched.
    """
    if not os.path.lexists(journal):
        return []
    folder = journal.parent
    entries = _parse_journal(read_regular(journal, limit=JOURNAL_LIMIT, follow_symlinks=False), journal)
    with signals_deferred():
        for target, temp, backup in reversed(entries):
            if backup is not None and os.path.lexists(folder / backup):
                _restore(folder / backup, folder / target)
            elif backup is None and os.path.lexists(folder / target):
                os.unlink(folder / target)
            if os.path.lexists(folder / temp):
                os.unlink(folder / temp)
        fsync_dir(folder)
        os.unlink(journal)
        fsync_dir(folder)
    return [target for target, _, _ in entries]


def _parse_journal(data: bytes, journal: Path) -> list[tuple[str, str, str | None]]:
    bad = CollateError(
        "an unfinished-write journal that collate did not write: inspect the folder, then remove it", path=str(journal)
    )
    try:
        plan = json.loads(data.decode("utf-8"))
        entries = [(e["target"], e["temp"], e["backup"]) for e in plan["entries"]]
    except (ValueError, KeyError, TypeError):
        raise bad from None
    for target, temp, backup in entries:
        for name in (target, temp, backup if backup is not None else "x"):
            if not isinstance(name, str) or not name or "/" in name or "\\" in name or name in (".", ".."):
                raise bad
    return entries


def leftover_name(name: str) -> str | None:
    """The target's name if ``name`` is a temporary or kept file of an interrupted write, else None.

    >>> leftover_name(".index.html.0a1b2c3d.tmp"), leftover_name(".B.txt.0a1b2c3d.old"), leftover_name("B.txt")
    ('index.html', 'B.txt', None)
    """
    match = _LEFTOVER_RE.fullmatch(name)
    return match["name"] if match else None


def clean_stale(folder: Path, *, names: Collection[str] | None = None) -> list[Path]:
    """Remove the temporary and kept files that killed writes left in ``folder``; the paths removed.

    Only leftovers of the targets ``names`` (all, if None) are considered,
    only regular files, and only those no live process holds (each writer
    holds its files under an exclusive flock while it runs).
    """
    try:
        candidates = sorted(os.listdir(folder))
    except OSError:
        return []
    removed: list[Path] = []
    for entry in candidates:
        target = leftover_name(entry)
        if target is None or (names is not None and target not in names):
            continue
        path = folder / entry
        fd = hold(path)
        if fd is None:
            continue
        try:
            if same_file(path, os.fstat(fd)):
                os.unlink(path)
                removed.append(path)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def note_removed(removed: list[Path]) -> None:
    """Say, in one line, which leftovers of interrupted writes were removed."""
    if removed:
        shown = ", ".join(p.name for p in removed[:3]) + (f" and {len(removed) - 3} more" if len(removed) > 3 else "")
        logging.getLogger("collate").warning(
            "removed %d temporary file%s left by an interrupted run in %s: %s",
            len(removed),
            "" if len(removed) == 1 else "s",
            removed[0].parent,
            shown,
        )
