"""Atomic writes (every output file, or none; never onto what must not be written) and bounded reads."""

import fcntl
import os
import signal
import threading
from pathlib import Path
from typing import Any

import pytest

from collate.errors import CollateError
from collate.files import clean_stale, recover_journal, write_files
from collate.safefs import locked, read_regular, signals_deferred


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


# --- output targets ------------------------------------------------------------


def test_a_symlink_target_is_refused_and_left_alone(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    (tmp_path / "link.json").symlink_to(real)
    with pytest.raises(CollateError, match="is a symbolic link: collate does not write through links"):
        write_files({tmp_path / "link.json": "new"})
    assert (tmp_path / "link.json").is_symlink() and real.read_text() == "old"


@pytest.mark.parametrize(("target", "kind"), [("/dev/null", "a character device"), ("/dev/full", "a character device")])
def test_a_device_target_is_refused(target: str, kind: str) -> None:
    with pytest.raises(CollateError, match=f"{target}: is {kind}: collate writes only regular files") as info:
        write_files({Path(target): "x" * 10})
    assert "\n" not in str(info.value)


def test_a_fifo_target_is_refused_without_opening_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "out.html")  # opening it for writing would block: it is never opened
    with pytest.raises(CollateError, match=r"is a named pipe \(FIFO\)"):
        write_files({tmp_path / "out.html": "page"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]


def test_a_folder_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "index.html").mkdir()
    with pytest.raises(CollateError, match="is a folder"):
        write_files({tmp_path / "index.html": "page"})


def test_an_input_is_never_overwritten_by_any_of_its_names(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("the witness")
    os.link(source, tmp_path / "hard.txt")
    (tmp_path / "sub").mkdir()
    for target in (source, tmp_path / "sub" / ".." / "a.txt", tmp_path / "hard.txt"):
        with pytest.raises(CollateError, match="is one of this command's inputs"):
            write_files({target: "report"}, inputs=[source])
    assert source.read_text() == "the witness"


def test_nothing_is_written_into_a_protected_folder(tmp_path: Path) -> None:
    store = tmp_path / "witnesses"
    (store / "seed").mkdir(parents=True)
    for target in (store / "web.txt", store / "new.html", store / "seed" / "index.html"):
        with pytest.raises(CollateError, match="is inside the witness store"):
            write_files({target: "page"}, protected_dirs=[store])
    assert [p.name for p in store.iterdir()] == ["seed"]


def test_two_outputs_with_one_path_are_refused(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    with pytest.raises(CollateError, match="is given as two outputs"):
        write_files({tmp_path / "c.json": "{}", tmp_path / "sub" / ".." / "c.json": "<html>"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub"]


# --- the undo keeps the old file, it never reads it --------------------------------


def test_the_old_file_is_kept_by_a_link_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed write puts back the very same file (same inode), without reading a byte of it."""
    old = tmp_path / "index.html"
    old.write_bytes(b"old page")
    inode = old.stat().st_ino
    real_read, real_open = os.read, os.open
    opened: list[str] = []

    def spy_open(path: Any, *args: Any, **kwargs: Any) -> int:
        opened.append(Path(path).name)
        return real_open(path, *args, **kwargs)

    def no_read(fd: int, n: int) -> bytes:
        raise AssertionError("the undo read a file")

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "read", no_read)
    real_replace = os.replace

    def failing(src: Any, dst: Any) -> None:
        if Path(dst).name == "collation.json":
            raise OSError(28, "No space left on device", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(CollateError, match="nothing was written"):
        write_files({old: "new page", tmp_path / "collation.json": "{}"})
    monkeypatch.undo()
    assert os.read is real_read
    assert old.read_bytes() == b"old page" and old.stat().st_ino == inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]
    assert "index.html" in opened  # opened once, to hold its lock, but never read


def test_an_interrupt_at_any_rename_undoes_the_whole_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    targets = {tmp_path / "index.html": "new page", tmp_path / "collation.json": "{}", tmp_path / "apparatus.xml": "<TEI/>"}
    (tmp_path / "index.html").write_text("old page")
    (tmp_path / "apparatus.xml").write_text("<old/>")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real = os.replace
    for k in range(1, 4):
        calls = 0

        def interrupt_on_k(src: Any, dst: Any) -> None:
            nonlocal calls
            calls += 1
            if calls == k:
                raise KeyboardInterrupt
            real(src, dst)

        monkeypatch.setattr(os, "replace", interrupt_on_k)
        with pytest.raises(KeyboardInterrupt):
            write_files(targets)
        monkeypatch.undo()
        assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before, f"interrupted at rename {k}"


def test_on_commit_is_called_once_the_files_are_in_place(tmp_path: Path) -> None:
    seen: list[bytes] = []
    write_files({tmp_path / "a.txt": "new"}, on_commit=lambda: seen.append((tmp_path / "a.txt").read_bytes()))
    assert seen == [b"new"]


# --- leftovers of killed writes ------------------------------------------------------


def test_leftovers_of_a_dead_writer_are_removed_and_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / ".index.html.0a1b2c3d.tmp").write_text("half a page")
    (tmp_path / ".collation.json.0a1b2c3d.old").write_text("{}")
    (tmp_path / ".notes.txt.0a1b2c3d.tmp").write_text("not one of our targets")
    with caplog.at_level("WARNING", logger="collate"):
        write_files({tmp_path / "index.html": "page", tmp_path / "collation.json": "{}"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.txt.0a1b2c3d.tmp", "collation.json", "index.html"]
    (note,) = [r.getMessage() for r in caplog.records]
    assert note.startswith(f"removed 2 temporary files left by an interrupted run in {tmp_path}: ")


def test_a_live_writers_temporary_file_is_left_alone(tmp_path: Path) -> None:
    """Another process writing the same report holds its temporary file under flock: it is not stale."""
    live = tmp_path / ".index.html.0a1b2c3d.tmp"
    live.write_text("being written")
    fd = os.open(live, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as the other writer does (a second open file description: it conflicts)
    try:
        assert clean_stale(tmp_path, names={"index.html"}) == []
        write_files({tmp_path / "index.html": "page"})
        assert live.exists()
    finally:
        os.close(fd)
    assert clean_stale(tmp_path, names={"index.html"}) == [live]


def test_a_journal_is_recovered_to_the_old_files_at_every_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash (here: an exception that skips the undo) at any step before the commit point leaves the old files."""
    import collate.files as files

    steps = ["journal written", "old kept", "installed a.txt", "installed b.txt", "synced"]
    for step in steps:
        folder = tmp_path / step.replace(" ", "_")
        folder.mkdir()
        (folder / "a.txt").write_text("old a")
        before = {p.name: p.read_bytes() for p in folder.iterdir()}

        def crash(name: str, at: str = step) -> None:
            if name == at:
                raise SystemExit("crash")  # stands for SIGKILL: the undo below is skipped

        monkeypatch.setattr(files, "_step", crash)
        monkeypatch.setattr(files, "_fail", lambda *a, **k: (_ for _ in ()).throw(SystemExit("crash")))
        with pytest.raises(SystemExit):
            write_files({folder / "a.txt": "new a", folder / "b.txt": "new b"}, journal=folder / ".journal")
        monkeypatch.undo()
        assert (folder / ".journal").exists()
        assert recover_journal(folder / ".journal") == ["a.txt", "b.txt"]
        assert recover_journal(folder / ".journal") == []  # idempotent: nothing left to do
        assert clean_stale(folder) == []  # the recovery left no temporary or kept file behind
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before, step


def test_a_journal_collate_did_not_write_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("keep me")
    (tmp_path / ".journal").write_text('{"entries": [{"target": "../etc/passwd", "temp": "x", "backup": null}]}')
    with pytest.raises(CollateError, match="a journal that collate did not write|collate did not write"):
        recover_journal(tmp_path / ".journal")
    assert (tmp_path / "a.txt").read_text() == "keep me"


# --- reading --------------------------------------------------------------------------


def test_read_regular_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "link.txt").symlink_to("/etc/passwd")
    with pytest.raises(CollateError, match=r"is a named pipe \(FIFO\), not a regular file"):
        read_regular(tmp_path / "pipe.txt", limit=100)
    with pytest.raises(CollateError, match="is a character device"):
        read_regular(Path("/dev/zero"), limit=100)
    with pytest.raises(CollateError, match="is a symbolic link, not a regular file"):
        read_regular(tmp_path / "link.txt", limit=1 << 20, follow_symlinks=False)
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    with pytest.raises(CollateError, match="is a character device"):
        read_regular(tmp_path / "zero.txt", limit=100)


def test_read_regular_reads_no_more_than_its_limit(tmp_path: Path) -> None:
    (tmp_path / "w.txt").write_bytes(b"x" * 1000)
    assert read_regular(tmp_path / "w.txt", limit=1000) == b"x" * 1000
    with pytest.raises(CollateError, match="is 1000 bytes, over the limit of 999 bytes; raise it"):
        read_regular(tmp_path / "w.txt", limit=999, limit_hint="; raise it")


def test_signals_are_held_back_inside_a_commit_and_delivered_after() -> None:
    received: list[int] = []
    old = signal.signal(signal.SIGUSR1, lambda signum, frame: received.append(signum))
    try:
        import collate.safefs as safefs

        monkey = set(safefs._DEFERRED)
        safefs._DEFERRED.add(signal.SIGUSR1)
        try:
            with signals_deferred():
                # to this thread: a process-directed signal could go to another thread (a browser test's)
                signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)
                assert received == []  # held back
            assert received == [signal.SIGUSR1]  # delivered on leaving
        finally:
            safefs._DEFERRED.clear()
            safefs._DEFERRED.update(monkey)
    finally:
        signal.signal(signal.SIGUSR1, old)


def test_a_lock_file_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    (tmp_path / "lock").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(CollateError, match="the lock file is a symbolic link"):
        with locked(tmp_path / "lock", exclusive=True, create=True):
            pass
    assert not (tmp_path / "elsewhere").exists()


def test_a_folder_another_writer_makes_meanwhile_is_used_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two corpus workers writing pages of one new volume both find vol1 missing; the
    second mkdir must not fail the second page (it did: 'vol1: File exists')."""
    import collate.files as files

    found = files._missing_dirs

    def raced(folder: Path) -> list[Path]:
        missing = found(folder)
        for made in missing:  # the other worker is quicker
            made.mkdir()
        return missing

    monkeypatch.setattr(files, "_missing_dirs", raced)
    write_files({tmp_path / "vol1" / "p2" / "index.html": "<p>2</p>"})
    assert (tmp_path / "vol1" / "p2" / "index.html").read_text(encoding="utf-8") == "<p>2</p>"
