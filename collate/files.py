"""Writing output files atomically: all of them, or none.

Each file is written to a temporary file in its own folder, flushed to disk,
then renamed over its target; if any write fails, the temporary files are
removed and no target has been touched.  A reader never sees a half-written
report.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from .errors import CollateError


def write_files(outputs: Mapping[Path, str | bytes]) -> None:
    """Write every ``path: content`` pair, atomically as a set.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_files({d / "a.txt": "Eastern", d / "sub" / "b.bin": b"1942"})
    >>> (d / "a.txt").read_text(), (d / "sub" / "b.bin").read_bytes()
    ('Eastern', b'1942')
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in outputs.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
                # 0o666 less the umask, like any file the user writes (mkstemp would give 0o600)
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except OSError as exc:
                raise CollateError(f"cannot write here: {exc.strerror}", path=str(path)) from None
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
        staged.clear()
    except OSError as exc:
        raise CollateError(f"cannot write: {exc.strerror}", path=str(exc.filename or "")) from None
    finally:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
