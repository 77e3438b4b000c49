"""Writing files atomically: all of them, or none.

One implementation for every file `collate` writes (stored witnesses and their
metadata, reports).  Each file is first written in full to a temporary file
beside its target and synced to disk; only then are the temporary files renamed
over their targets.  If anything fails, even an interrupt, the targets already
replaced get their old bytes back, new ones are removed, temporary files and
the folders the call created are deleted, and a one-line `CollateError` says
what happened.  A reader never sees a half-written file.

Temporary files are named ``.<name>.<hex>.tmp`` and are created with mode
0o666 less the umask, like any file the user writes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .errors import CollateError


def write_files(
    outputs: Mapping[Path, str | bytes],
    *,
    nothing: str = "nothing was written",
    inconsistent: str = "the files may be inconsistent: check them",
) -> None:
    """Write every ``path: content`` pair (text as UTF-8), atomically as a set.

    ``nothing`` ends the error message when a write failed and was undone,
    ``inconsistent`` when undoing it failed too.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_files({d / "a.txt": "Eastern", d / "sub" / "b.bin": b"1942"})
    >>> (d / "a.txt").read_text(), (d / "sub" / "b.bin").read_bytes()
    ('Eastern', b'1942')
    """
    files = [(path, content.encode("utf-8") if isinstance(content, str) else content) for path, content in outputs.items()]
    created: list[Path] = []
    temps: list[Path] = []
    installed: list[tuple[Path, bytes | None]] = []  # (path, its bytes before, None if new)
    try:
        for path, _ in files:
            for folder in _missing_dirs(path.parent):
                folder.mkdir()
                created.append(folder)
        for path, data in files:
            _write_temp(path, data, temps)
        for (path, _), tmp in zip(files, temps):
            before = path.read_bytes() if path.exists() else None
            os.replace(tmp, path)
            installed.append((path, before))
    except BaseException as exc:
        undo_error = _undo(installed)
        _remove(temps, created)
        where = str(files[0][0].parent) if files else ""
        if undo_error is not None:
            raise CollateError(
                f"writing failed ({_why(exc)}) and undoing it failed too ({undo_error}); {inconsistent}",
                path=where,
            ) from None
        if isinstance(exc, OSError):
            raise CollateError(f"could not write ({_why(exc)}); {nothing}", path=where) from None
        raise
    for folder in {path.parent for path, _ in files}:
        _fsync_dir(folder)


def _missing_dirs(folder: Path) -> list[Path]:
    """The folders that creating ``folder`` would create, outermost first."""
    missing: list[Path] = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing[::-1]


def _write_temp(path: Path, data: bytes, temps: list[Path]) -> Path:
    """Write ``data`` to a new temporary file beside ``path``, synced to disk; record it in ``temps``."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        temps.append(tmp)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        return tmp
    raise FileExistsError(f"no free temporary name beside {path}")


def _fsync_dir(folder: Path) -> None:
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


def _undo(installed: list[tuple[Path, bytes | None]]) -> str | None:
    """Put back what was there before; the reason it could not, or None."""
    for path, before in reversed(installed):
        try:
            if before is None:
                path.unlink()
            else:
                temps: list[Path] = []
                try:
                    os.replace(_write_temp(path, before, temps), path)
                finally:
                    _remove(temps, [])
        except OSError as exc:
            return _why(exc)
    return None


def _remove(temps: list[Path], created: list[Path]) -> None:
    for tmp in temps:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            pass
