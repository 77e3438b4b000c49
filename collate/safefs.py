"""File-system primitives for every reader and writer: what a file is, bounded reads, signals, locks.

`read_regular` reads only regular files: a FIFO, a device, a socket or a
folder is refused with one line before it is opened (so a FIFO can never hang
a command); a file is opened non-blocking, checked again on the open
descriptor, and read up to a size limit and no further.  Inside the store,
symbolic links are refused too (``follow_symlinks=False``).
`signals_deferred` holds SIGINT, SIGTERM and SIGHUP back around a commit;
`locked` takes an advisory ``flock`` on a lock file; `hold` takes one on a
file without waiting.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import CollateError

try:  # POSIX only: without it there is no locking (Windows)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

O_COMMON = os.O_CLOEXEC | getattr(os, "O_BINARY", 0)
O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DEFERRED = {signal.SIGINT, signal.SIGTERM} | ({signal.SIGHUP} if hasattr(signal, "SIGHUP") else set())


# --- reading -----------------------------------------------------------------


def file_kind(mode: int) -> str:
    """What a file is, from its ``st_mode``, as the end of a sentence ("is a ...").

    >>> file_kind(stat.S_IFIFO), file_kind(stat.S_IFREG)
    ('a named pipe (FIFO)', 'a regular file')
    """
    kinds = [
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def human_size(n: int) -> str:
    """A byte count for people.

    >>> human_size(268435456), human_size(1536), human_size(12)
    ('256 MiB', '1.5 KiB', '12 bytes')
    """
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def _not_regular(mode: int, label: str, hint: str) -> CollateError:
    if stat.S_ISDIR(mode):
        return CollateError("is a directory, not a witness file", path=label)
    return CollateError(f"is {file_kind(mode)}, not a regular file{hint}", path=label)


def read_regular(
    path: Path, *, limit: int, follow_symlinks: bool = True, limit_hint: str = "", hint: str = ""
) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; anything else is refused.

    ``limit_hint`` says how to raise the limit, ``hint`` what to do about a
    file that is not regular.  Nothing but a regular file is ever opened, and
    it is opened non-blocking, so a FIFO cannot hang the caller.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "w.txt").write_bytes(b"Eastern front")
    >>> read_regular(d / "w.txt", limit=100)
    b'Eastern front'
    >>> read_regular(d / "w.txt", limit=5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    collate.errors.CollateError: .../w.txt: is 13 bytes, over the limit of 5 bytes
    >>> os.mkfifo(d / "pipe")
    >>> read_regular(d / "pipe", limit=100)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    collate.errors.CollateError: .../pipe: is a named pipe (FIFO), not a regular file
    """
    label = str(path)
    try:
        st = os.stat(path) if follow_symlinks else os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(st.st_mode, label, hint)
        fd = os.open(path, os.O_RDONLY | O_COMMON | O_NONBLOCK | (0 if follow_symlinks else O_NOFOLLOW))
    except (FileNotFoundError, NotADirectoryError):
        raise CollateError("no such file", path=label) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise CollateError(f"is a symbolic link, not a regular file{hint}", path=label) from None
        raise CollateError(exc.strerror or "cannot be read", path=label) from None
    try:
        return _read_fd(fd, label, limit=limit, limit_hint=limit_hint, hint=hint)
    except OSError as exc:
        raise CollateError(exc.strerror or "cannot be read", path=label) from None
    finally:
        os.close(fd)


def _read_fd(fd: int, label: str, *, limit: int, limit_hint: str, hint: str) -> bytes:
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):  # replaced between the check and the open
        raise _not_regular(st.st_mode, label, hint)

    def too_big(size: str) -> CollateError:
        return CollateError(f"is {size}, over the limit of {human_size(limit)}{limit_hint}", path=label)

    if st.st_size > limit:
        raise too_big(human_size(st.st_size))
    parts: list[bytes] = []
    total = 0
    want = st.st_size + 1  # one read for the whole file, one more to see its end
    while chunk := os.read(fd, want):
        parts.append(chunk)
        total += len(chunk)
        if total > limit:
            raise too_big(f"more than {human_size(limit)} (it grew while being read)")
        want = min(limit + 1 - total, 1 << 20)
    return parts[0] if len(parts) == 1 else b"".join(parts)


# --- signals and locks -------------------------------------------------------


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back until the block ends; they are delivered then.

    Used around the few renames of a commit, so an interrupt lands before or
    after it, never inside.  Nesting is safe (the previous mask is restored).
    The mask is the calling thread's: in a process with other threads that do
    not block these signals, one may still interrupt the block (the writers
    then undo what they did, as after any exception).  Where the platform has
    no signal masks, it does nothing.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextmanager
def locked(path: Path, *, exclusive: bool, create: bool) -> Iterator[bool]:
    """Hold an advisory ``flock`` on the lock file ``path`` for the block; yields whether it is held.

    Shared for readers, exclusive for writers.  The lock file is created only
    with ``create``; without it a missing lock file is not an error, and the
    block runs unlocked (yields False).  After the lock is granted, the path
    must still name the locked file (a failed first write may have removed
    it), else the lock is taken again.  The lock is advisory: it orders
    `collate` processes on one host, or on a file system with working POSIX
    locks; other programs that write into the folder are not held back.
    Without ``fcntl`` (Windows) nothing is locked.
    """
    if fcntl is None:  # pragma: no cover
        yield False
        return
    flags = os.O_RDWR | os.O_CREAT if create else os.O_RDONLY
    for _ in range(100):
        try:
            fd = os.open(path, flags | O_COMMON | O_NONBLOCK | O_NOFOLLOW, 0o666)
        except (FileNotFoundError, PermissionError):
            if create:
                raise
            yield False  # no lock file (or not ours to read): the caller decides whether to read unlocked
            return
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise CollateError("the lock file is a symbolic link: remove it", path=str(path)) from None
            raise
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise CollateError(f"the lock file is {file_kind(st.st_mode)}: remove it", path=str(path))
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            if same_file(path, st):
                yield True
                return
        finally:
            os.close(fd)
    raise CollateError("the lock file keeps changing: is another program replacing it?", path=str(path))


def same_file(path: Path, st: os.stat_result) -> bool:
    try:
        now = os.lstat(path)
    except FileNotFoundError:
        return False
    return (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino)


def hold(path: Path) -> int | None:
    """Open ``path`` (a regular file, not followed) and take its exclusive flock, without waiting.

    Returns the descriptor holding the lock, or None when another process
    holds it (or the file is gone, or is not a regular file).
    """
    try:
        fd = os.open(path, os.O_RDONLY | O_COMMON | O_NONBLOCK | O_NOFOLLOW)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BlockingIOError
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd
