"""Atomic writes: every output file, or none."""

import os
from pathlib import Path
from typing import Any

import pytest

from collate.errors import CollateError
from collate.files import write_files


def test_a_failure_half_way_leaves_every_file_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "reports"
    write_files({out / "index.html": "old page", out / "collation.json": "{}"})
    real = os.replace
    calls = []

    def failing(src: Any, dst: Any) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(CollateError, match="No space left on device.*nothing was written"):
        write_files({out / "index.html": "new page", out / "collation.json": '{"new": 1}'})
    monkeypatch.undo()
    assert (out / "index.html").read_text() == "old page"
    assert (out / "collation.json").read_text() == "{}"
    assert sorted(p.name for p in out.iterdir()) == ["collation.json", "index.html"]  # no temporary files left


def test_folders_it_created_are_removed_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(src: Any, dst: Any) -> None:
        raise OSError(5, "Input/output error", str(dst))

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(CollateError):
        write_files({tmp_path / "a" / "b" / "index.html": "page"})
    assert list(tmp_path.iterdir()) == []


def test_files_get_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_files({tmp_path / "index.html": "page"})
    finally:
        os.umask(old)
    assert (tmp_path / "index.html").stat().st_mode & 0o777 == 0o644
