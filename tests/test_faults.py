"""Fault injection (issue 15): concurrency, signals and kills at every step of a commit, then recovery.

Concurrent adds and kills run `collate`'s ``main`` in real processes forked
from a fresh forkserver (so the threads of the test process never matter and
a child starts in milliseconds); a few tests run the real ``python -m collate``
command.  A step of a commit is reached through the test hook
``collate.files._step``; a kill there is a real SIGKILL or SIGTERM sent by the
process to itself.  After every fault the store must hold the old witness or
the new one, whole (text and metadata from one run, checksum verified), and
the message must say which.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import collate.files as files
from collate.cli import main
from collate.store import verify_store

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "witnesses"
CTX = multiprocessing.get_context("forkserver")
CTX.set_forkserver_preload(["collate.cli", "collate.store", "collate.compare", "collate.metrics", "tomli_w", __name__])

# The steps of a write, in order, as `collate.files._step` names them; the commit point lies between
# "synced" and "committed".
BEFORE_COMMIT = ["temps written", "journal written", "old kept", "installed {s}.txt", "installed {s}.toml", "synced"]
AFTER_COMMIT = ["committed", "cleaned"]


# --- helpers -------------------------------------------------------------------------


def _child(argv: list[str], out: str, stop_at: str | None, signum: int, go: Any) -> None:
    """In a child process: run ``collate`` with ``argv``, sending ``signum`` to itself at step ``stop_at``."""
    if stop_at is not None:

        def hook(name: str) -> None:
            if name == stop_at:
                os.kill(os.getpid(), signum)

        files._step = hook
    sys.stdout = open(out + ".out", "w", encoding="utf-8")
    sys.stderr = open(out + ".err", "w", encoding="utf-8")
    if go is not None:
        go.wait(30)
    code = main(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class Run:
    """One ``collate`` child process: its exit code (negative: killed by that signal) and output."""

    def __init__(self, argv: list[str], out: Path, *, stop_at: str | None = None, signum: int = signal.SIGKILL, go: Any = None):
        self.out = str(out)
        self.proc = CTX.Process(target=_child, args=(argv, self.out, stop_at, signum, go))
        self.proc.start()

    def finish(self) -> Run:
        self.proc.join(60)
        assert self.proc.exitcode is not None, "a collate child hung"
        return self

    @property
    def code(self) -> int:
        assert self.proc.exitcode is not None
        return self.proc.exitcode

    def text(self, stream: str) -> str:
        path = Path(f"{self.out}.{stream}")
        return path.read_text(encoding="utf-8") if path.exists() else ""


def seeded(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    store.mkdir(parents=True)
    for name in ("web.txt", "web.toml", "frus.txt", "frus.toml"):
        shutil.copyfile(SHIPPED / name, store / name)
    return store


def contents(store: Path) -> dict[str, bytes]:
    """The store's witness files (the lock file aside), byte for byte."""
    return {p.name: p.read_bytes() for p in sorted(store.iterdir()) if p.name != ".collate.lock"}


def whole(store: Path, siglum: str) -> tuple[bytes, str] | None:
    """The stored text of ``siglum`` and the title in its metadata, if both are there and match their checksum."""
    if not (store / f"{siglum}.txt").exists():
        assert not (store / f"{siglum}.toml").exists(), "metadata without its text"
        return None
    meta = tomllib.loads((store / f"{siglum}.toml").read_text(encoding="utf-8"))
    import hashlib

    data = (store / f"{siglum}.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == meta["sha256"], "text and metadata from different runs"
    return data, meta.get("title", "")


def new_source(tmp_path: Path, tag: str) -> Path:
    path = tmp_path / f"{tag}.txt"
    path.write_bytes((SHIPPED / "web.txt").read_bytes().replace(b"Eastern", tag.encode()))
    return path


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("collate: ") and "Traceback" not in stderr
    return lines[0]


# --- concurrency ---------------------------------------------------------------------


def test_twenty_concurrent_adds_of_one_siglum_store_exactly_one(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    sources = [new_source(tmp_path, f"East{k}") for k in range(20)]
    go = CTX.Event()
    runs = [
        Run(["add", str(sources[k]), "--siglum", "dup", "--title", f"run {k}", "--witnesses", str(store)], tmp_path / f"run{k}", go=go)
        for k in range(20)
    ]
    go.set()
    for run in runs:
        run.finish()
    codes = [run.code for run in runs]
    assert sorted(codes) == [0] + [2] * 19, [run.text("err") for run in runs]
    (winner,) = [k for k, run in enumerate(runs) if run.code == 0]
    assert runs[winner].text("out").startswith("stored dup: ")
    for k, run in enumerate(runs):
        if k != winner:
            assert "the siglum 'dup' is already taken" in one_line(run.text("err"))
            assert run.text("out") == ""
    assert whole(store, "dup") == (sources[winner].read_bytes(), f"run {winner}")
    assert verify_store(store) == ()


def test_concurrent_case_twins_store_exactly_one(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    sigla = ["abc", "ABC", "Abc", "aBc", "abC", "ABc"]
    sources = [new_source(tmp_path, f"E{k}") for k in range(len(sigla))]
    go = CTX.Event()
    runs = [
        Run(["add", str(sources[k]), "--siglum", s, "--witnesses", str(store)], tmp_path / f"run{k}", go=go)
        for k, s in enumerate(sigla)
    ]
    go.set()
    for run in runs:
        run.finish()
    assert sorted(run.code for run in runs) == [0] + [2] * 5
    (stored,) = [p.stem for p in store.glob("*.txt") if p.stem.lower() == "abc"]
    for run in runs:
        if run.code == 2:
            assert "differs only in case" in one_line(run.text("err")) or "already taken" in run.text("err")
    assert verify_store(store) == ()
    assert stored in sigla


# --- a kill at every step of a commit ------------------------------------------------------


@pytest.mark.parametrize("replace", [False, True], ids=["new", "replace"])
def test_sigkill_at_every_step_leaves_old_or_new_and_the_next_command_recovers(
    tmp_path: Path, replace: bool, caplog: pytest.LogCaptureFixture
) -> None:
    siglum = "web" if replace else "new"
    steps = [s.format(s=siglum) for s in BEFORE_COMMIT + AFTER_COMMIT]
    stores, runs = [], []
    source = new_source(tmp_path, "KILLED")
    for i, step in enumerate(steps):
        store = seeded(tmp_path / f"s{i}")
        stores.append((store, contents(store)))
        argv = ["add", str(source), "--siglum", siglum, "--title", "new", "--witnesses", str(store)]
        runs.append(Run(argv + (["--replace"] if replace else []), tmp_path / f"run{i}", stop_at=step))
    for step, (store, before), run in zip(steps, stores, runs):
        assert run.finish().code == -signal.SIGKILL, (step, run.text("err"))
        caplog.clear()
        with caplog.at_level("WARNING", logger="collate"):
            assert verify_store(store) == (), step  # the next command: recovery first
        notes = [r.getMessage() for r in caplog.records]
        assert all(n.startswith(f"{store}: recovered the store: ") for n in notes) and len(notes) <= 1, notes
        if step in AFTER_COMMIT:
            assert whole(store, siglum) == (source.read_bytes(), "new"), step
        else:
            assert contents(store) == before, step
            assert notes, f"{step}: recovery said nothing"
        assert not [p for p in store.iterdir() if p.name.startswith(".") and p.name != ".collate.lock"], step


@pytest.mark.parametrize("replace", [False, True], ids=["new", "replace"])
def test_sigterm_at_every_step_is_truthful(tmp_path: Path, replace: bool) -> None:
    """SIGTERM before the commit undoes it ("nothing stored"); during the commit it waits, then lands after it."""
    siglum = "web" if replace else "new"
    steps = [s.format(s=siglum) for s in BEFORE_COMMIT + AFTER_COMMIT]
    stores, runs = [], []
    source = new_source(tmp_path, "TERM")
    for i, step in enumerate(steps):
        store = seeded(tmp_path / f"s{i}")
        stores.append((store, contents(store)))
        argv = ["add", str(source), "--siglum", siglum, "--title", "new", "--witnesses", str(store)]
        runs.append(Run(argv + (["--replace"] if replace else []), tmp_path / f"run{i}", stop_at=step, signum=signal.SIGTERM))
    for step, (store, before), run in zip(steps, stores, runs):
        assert run.finish().code == 128 + signal.SIGTERM, (step, run.text("err"))
        line = one_line(run.text("err"))
        if step == "temps written":  # not yet committing: the signal lands at once
            assert line == "collate: interrupted; nothing stored", step
            assert contents(store) == before
        else:  # held back during the commit: it lands after, and says the witness is stored
            assert line.startswith(f"collate: interrupted; {siglum} is stored in {store}"), (step, line)
            assert whole(store, siglum) == (source.read_bytes(), "new")
        assert not [p for p in store.iterdir() if p.name.startswith(".") and p.name != ".collate.lock"], step
        assert verify_store(store) == ()


# --- an exception at every system call of a commit --------------------------------------------


def _counting(real: Callable[..., Any], hits: list[int], fail_at: int) -> Callable[..., Any]:
    def fake(*args: Any, **kwargs: Any) -> Any:
        hits.append(1)
        if len(hits) == fail_at:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    return fake


@pytest.mark.parametrize("call", ["replace", "rename", "link", "fsync", "unlink"])
def test_an_interrupt_at_every_system_call_is_truthful(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], call: str
) -> None:
    """os.<call> raises KeyboardInterrupt at its 1st, 2nd, ... use during `collate add --replace`."""
    real = getattr(os, call)
    k = 0
    while True:
        k += 1
        store = seeded(tmp_path / f"{call}{k}")
        before = contents(store)
        source = new_source(tmp_path, "INT")
        hits: list[int] = []
        monkeypatch.setattr(os, call, _counting(real, hits, k))
        argv = ["add", str(source), "--siglum", "web", "--replace", "--title", "new", "--witnesses", str(store)]
        code = main(argv)
        monkeypatch.undo()
        out, err = capsys.readouterr()
        assert verify_store(store) == ()  # the next command (recovery, if a journal was left)
        if len(hits) < k:  # the command made fewer calls than k: it ran through
            assert code == 0 and out.startswith("stored web")
            break
        assert code == 130, (k, err)
        line = one_line(err)
        if line == "collate: interrupted; nothing stored":
            assert contents(store) == before, (call, k)
        else:
            assert line.startswith(f"collate: interrupted; web is stored in {store}"), (call, k, line)
            assert whole(store, "web") == (source.read_bytes(), "new"), (call, k)
    assert k > 1 or call == "rename"


def test_an_interrupt_during_the_comparison_says_the_witness_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import collate.compare

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(collate.compare, "compare_with_store", interrupted)
    store = seeded(tmp_path)
    assert main(["add", str(new_source(tmp_path, "CMP")), "--siglum", "cmp", "--witnesses", str(store)]) == 130
    out, err = capsys.readouterr()
    assert out.startswith("stored cmp: ")
    assert one_line(err) == (
        f"collate: interrupted; cmp is stored in {store}; only the comparison with the stored witnesses was cut short"
    )
    assert whole(store, "cmp") is not None and verify_store(store) == ()


# --- the real command, killed ---------------------------------------------------------------------

PAUSING = """
import os, sys, time
from pathlib import Path
import collate.files as files
from collate.cli import main
stop_at, marker, release = sys.argv[1:4]
def pause(name):
    if name == stop_at:
        Path(marker).touch()
        deadline = time.monotonic() + 30
        while not Path(release).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
files._step = pause
sys.exit(main(sys.argv[4:]))
"""


def _started(argv: list[str], stop_at: str, tmp_path: Path) -> subprocess.Popen[str]:
    """A real collate process, paused at ``stop_at`` (it has touched tmp_path/marker) until tmp_path/release exists."""
    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSING, stop_at, str(tmp_path / "marker"), str(tmp_path / "release"), *argv],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not (tmp_path / "marker").exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the writer never reached its pause"
        time.sleep(0.01)
    return proc


def test_a_real_add_killed_between_the_renames_is_undone_by_the_next_command(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    before = contents(store)
    argv = ["add", str(new_source(tmp_path, "KILL9")), "--siglum", "web", "--replace", "--witnesses", str(store)]
    proc = _started(argv, "installed web.txt", tmp_path)  # new text in place, old metadata beside it
    proc.kill()
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert (store / ".collate.journal").exists()
    after = subprocess.run([sys.executable, "-m", "collate", "verify", "--witnesses", str(store)],
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert after.returncode == 0, after.stderr
    assert one_line(after.stderr) == (
        f"collate: {store}: recovered the store: undid an interrupted write of web.txt, web.toml "
        "(they are as they were before it)"
    )
    assert contents(store) == before


def test_a_real_add_sent_sigterm_mid_commit_finishes_it_and_says_so(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    argv = ["add", str(new_source(tmp_path, "TERM15")), "--siglum", "web", "--replace", "--title", "new", "--witnesses", str(store)]
    proc = _started(argv, "installed web.txt", tmp_path)
    proc.send_signal(signal.SIGTERM)  # held back: the commit is under way
    (tmp_path / "release").touch()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM
    assert one_line(err).startswith(f"collate: interrupted; web is stored in {store}")
    assert whole(store, "web") == (new_source(tmp_path, "TERM15").read_bytes(), "new")
    assert sorted(p.name for p in store.iterdir() if p.name.startswith(".")) == [".collate.lock"]


def _waiting_for_lock(pid: int, inode: int) -> bool:
    return any(
        line.split()[1:3] == ["->", "FLOCK"] and str(pid) in line.split() and line.split()[6].endswith(f":{inode}")
        for line in Path("/proc/locks").read_text().splitlines()
    )


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux /proc/locks to see a process wait")
def test_a_real_add_waiting_for_the_lock_is_interrupted_by_sigterm_and_writes_nothing(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    (store / ".collate.lock").touch()
    before = contents(store)
    fd = os.open(store / ".collate.lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another writer holds the store
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "collate", "add", str(new_source(tmp_path, "WAIT")), "--siglum", "w2", "--witnesses", str(store)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while not _waiting_for_lock(proc.pid, os.fstat(fd).st_ino):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        os.close(fd)
    assert proc.returncode == 128 + signal.SIGTERM
    assert one_line(err) == "collate: interrupted; nothing stored" and out == ""
    assert contents(store) == before


# --- reports: a killed write is cleaned by the next one -------------------------------------------


def test_a_killed_report_leaves_leftovers_that_the_next_report_removes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports"
    argv = ["report", "--witnesses", str(SHIPPED), "--out", str(out), "-q"]
    assert Run(argv, tmp_path / "first").finish().code == 0
    killed = Run(argv, tmp_path / "killed", stop_at="installed collation.json").finish()
    assert killed.code == -signal.SIGKILL
    leftovers = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    assert len(leftovers) == 4  # three old files kept, one new file not yet in place
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert one_line(err).startswith(f"collate: removed 4 temporary files left by an interrupted run in {out}: ")
    assert sorted(p.name for p in out.iterdir()) == ["apparatus.xml", "collation.json", "index.html"]


# --- bad input: one line, exit 2, no traceback, the store untouched ---------------------------------
#
# These call `main` in this process (milliseconds each) under a 20-second alarm, so that a FIFO opened
# by mistake fails the test instead of hanging the run (`no_hang`, in conftest.py); two FIFO cases also run
# as real processes.


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_hang: None) -> Iterator[Path]:
    """A store with a copy of the shipped witnesses (the test adds one hostile thing); cwd is tmp_path."""
    monkeypatch.chdir(tmp_path)
    yield seeded(tmp_path)


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def contents_safely(store: Path) -> dict[str, bytes | str]:
    """Like `contents`, but special files are described, never opened."""
    out: dict[str, bytes | str] = {}
    for p in sorted(store.iterdir()):
        if p.name == ".collate.lock":
            continue
        out[p.name] = p.read_bytes() if p.is_file() and not p.is_symlink() else f"special {os.lstat(p).st_mode:o}"
    return out


HOSTILE_STORES: dict[str, tuple[Callable[[Path], object], str]] = {
    "symlink to /etc/passwd": (lambda s: (s / "web.txt").unlink() or (s / "web.txt").symlink_to("/etc/passwd"), "is a symbolic link"),
    "symlink to /dev/zero": (lambda s: (s / "web.txt").unlink() or (s / "web.txt").symlink_to("/dev/zero"), "is a symbolic link"),
    "FIFO witness": (lambda s: (s / "web.txt").unlink() or os.mkfifo(s / "web.txt"), "is a named pipe (FIFO)"),
    "FIFO metadata": (lambda s: (s / "web.toml").unlink() or os.mkfifo(s / "web.toml"), "is a named pipe (FIFO)"),
    "TOML nested 100k deep": (lambda s: (s / "web.toml").write_text("title = " + "[" * 100_000 + "]" * 100_000), "nested 100000 deep"),
    "TOML not UTF-8": (lambda s: (s / "web.toml").write_bytes(b"title = '\xff'\n"), "bad metadata: not UTF-8"),
    "text modified": (lambda s: (s / "web.txt").write_bytes(b"Easter front\n"), "text changed since it was stored"),
}


@pytest.mark.parametrize("case", list(HOSTILE_STORES))
def test_a_hostile_store_is_refused_in_one_line_by_every_command_that_reads_it(
    tmp_path: Path, hostile: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    make, message = HOSTILE_STORES[case]
    make(hostile)
    before = contents_safely(hostile)
    out_dir = tmp_path / "out"
    for argv in (["list"], ["report", "--out", str(out_dir)], ["align", "web", "frus"], ["check", "web", "--against", "frus"],
                 ["add", str(new_source(tmp_path, "ADD")), "--siglum", "web", "--replace"]):  # fmt: skip
        code, out, err = run_main(capsys, *argv, "--witnesses", str(hostile), "-q")
        if argv[0] == "add" and not case.startswith(("symlink", "FIFO")):
            assert code == 0  # a replace may overwrite bad metadata or a modified text: it is the cure
            hostile_again = seeded(tmp_path / "again")
            make(hostile_again)
            hostile = hostile_again
            before = contents_safely(hostile)
            continue
        if argv[0] == "list" and case == "text modified":
            assert code == 0 and "web          complete" in out and "[modified since stored" in out
            continue
        assert code == 2, (argv, err)
        assert message in one_line(err), (argv, err)
        assert "root:" not in out + err
    code, out, err = run_main(capsys, "verify", "--witnesses", str(hostile))
    assert code == 1 and len(out.splitlines()) == 1 and message.split(" (")[0] in out
    assert contents_safely(hostile) == before
    assert not out_dir.exists()


def test_a_fifo_in_the_store_does_not_hang_the_real_command(tmp_path: Path) -> None:
    store = seeded(tmp_path)
    os.mkfifo(store / "pipe.txt")
    for argv in (["list"], ["verify"]):
        proc = subprocess.run([sys.executable, "-m", "collate", *argv, "--witnesses", str(store)],
                              capture_output=True, text=True, timeout=30)  # fmt: skip
        assert proc.returncode == (2 if argv == ["list"] else 1)
        assert "pipe.txt: is a named pipe (FIFO)" in (proc.stderr if argv == ["list"] else proc.stdout)


def test_a_stray_dot_txt_breaks_nothing(tmp_path: Path, hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (hostile / ".txt").write_bytes(b"stray")
    note = f"collate: {hostile / '.txt'}: ignored: a hidden file is not a witness (collate verify lists it)"
    code, out, err = run_main(capsys, "list", "--witnesses", str(hostile))
    assert code == 0 and len(out.splitlines()) == 2 and err.strip() == note
    code, out, err = run_main(capsys, "report", "--witnesses", str(hostile), "--out", str(tmp_path / "r"), "-q")
    assert code == 0 and err.strip() == note
    code, out, err = run_main(capsys, "add", str(new_source(tmp_path, "S")), "--siglum", "s", "--witnesses", str(hostile))
    assert code == 0 and out.startswith("stored s")
    code, out, err = run_main(capsys, "verify", "--witnesses", str(hostile))
    assert code == 1 and out.startswith(f"{hostile / '.txt'}: a hidden file named like a witness")


def test_a_toml_with_a_bom_is_read(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (hostile / "web.toml").write_bytes(b"\xef\xbb\xbf" + (hostile / "web.toml").read_bytes())
    code, out, err = run_main(capsys, "list", "--witnesses", str(hostile))
    assert code == 0 and err == "" and "Aide-m\u00e9moire, web transcription" in out


BAD_INPUTS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "UTF-16 with BOM": (lambda d: _write(d / "u.txt", "Eastern front".encode("utf-16")), "UTF-16 text, not UTF-8"),
    "UTF-16 without BOM": (lambda d: _write(d / "u.txt", "Eastern front".encode("utf-16-le")), "UTF-16LE text"),
    "a FIFO": (lambda d: _fifo(d / "p.txt"), "is a named pipe (FIFO)"),
    "/dev/zero": (lambda d: Path("/dev/zero"), "is a character device"),
    "a symlink to /dev/zero": (lambda d: _link(d / "z.txt", "/dev/zero"), "is a character device"),
    "binary": (lambda d: _write(d / "b.txt", b"\x89PNG\r\n\x1a\n\x00\x00"), "binary file"),
    "Latin-1": (lambda d: _write(d / "l.txt", "Communiqu\xe9".encode("latin-1")), "not UTF-8"),
    "over the size limit": (lambda d: _write(d / "big.txt", b"Eastern front " * 200), "over the limit of 1 KiB"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _link(path: Path, target: str) -> Path:
    path.symlink_to(target)
    return path


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_a_bad_input_file_is_one_line_for_add_align_and_check(
    tmp_path: Path, hostile: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    monkeypatch.setenv("COLLATE_MAX_WITNESS_SIZE", "1K" if case == "over the size limit" else "256M")
    make, message = BAD_INPUTS[case]
    bad = make(tmp_path)
    before = contents(hostile)
    for argv in (["add", str(bad), "--siglum", "x"], ["align", str(bad), str(tmp_path / "ok.txt")], ["check", str(bad), "--against", str(tmp_path / "ok.txt")]):
        (tmp_path / "ok.txt").write_text("Eastern front")
        code, out, err = run_main(capsys, *argv, "--witnesses", str(hostile))
        assert code == 2, (argv, err)
        assert message in one_line(err) and out == ""
    assert contents(hostile) == before


BAD_TARGETS: dict[str, tuple[Callable[[Path, Path], list[str]], str]] = {
    "the witness itself": (lambda d, s: ["--json", str(d / "w.txt")], "is one of this command's inputs"),
    "a hard link to the witness": (lambda d, s: ["--json", str(_hardlink(d))], "is one of this command's inputs"),
    "a stored witness": (lambda d, s: ["--html", str(s / "web.txt")], "is inside the witness store"),
    "a new file in the store": (lambda d, s: ["--html", str(s / "check.html")], "is inside the witness store"),
    "one path twice": (lambda d, s: ["--json", str(d / "c.x"), "--html", str(d / "." / "c.x")], "is given as two outputs"),
    "/dev/stdout (a symlink)": (lambda d, s: ["--json", "/dev/stdout"], "is a symbolic link"),
    "/dev/full (a device)": (lambda d, s: ["--html", "/dev/full"], "is a character device"),
    "a FIFO": (lambda d, s: ["--html", str(_fifo(d / "out.fifo"))], "is a named pipe (FIFO)"),
    "stdout twice": (lambda d, s: ["--json", "-", "--html", "-"], "cannot both go to standard output"),
}


def _hardlink(d: Path) -> Path:
    os.link(d / "w.txt", d / "hard.txt")
    return d / "hard.txt"


@pytest.mark.parametrize("case", list(BAD_TARGETS))
def test_a_bad_output_target_is_one_line_and_nothing_is_written(
    tmp_path: Path, hostile: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    (tmp_path / "w.txt").write_bytes((SHIPPED / "web.txt").read_bytes())
    make, message = BAD_TARGETS[case]
    targets = make(tmp_path, hostile)
    before_store, before_dir = contents(hostile), contents_safely(tmp_path)
    code, out, err = run_main(capsys, "check", str(tmp_path / "w.txt"), "--against", "frus", *targets, "--witnesses", str(hostile))
    assert code == 2, err
    assert message in one_line(err) and out == ""
    assert contents(hostile) == before_store and contents_safely(tmp_path) == before_dir


def test_a_fifo_output_target_does_not_hang_the_real_command(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "out.html")
    proc = subprocess.run(
        [sys.executable, "-m", "collate", "check", "web", "--against", "frus", "--html", str(tmp_path / "out.html")],
        capture_output=True, text=True, timeout=30, cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 2 and "out.html: is a named pipe (FIFO)" in one_line(proc.stderr)
