"""Tests for collate/store.py: reading witnesses, `add_witness` and `verify_store`.

Every refusal and every simulated failure of `add_witness` is checked against a
byte-for-byte snapshot of the whole test folder (store, source file and any
temporary file), taken before and after.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tomllib
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collate.compare import compare_with_store, count_words, estimated_cer
from collate.errors import CollateError
from collate.metrics import cer
from collate.model import Completeness, Integrity, Lost, LostStretch, WitnessMeta
from collate.store import (
    Limits,
    StoreProblem,
    add_witness,
    load_store,
    meta_to_dict,
    read_witness,
    resolve,
    siglum_problem,
    verify_store,
)

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "witnesses"
DATA = Path(__file__).resolve().parent / "data" / "store_read"

Snapshot = dict[str, bytes | None]


def snapshot(root: Path) -> Snapshot:
    """Every file (its bytes) and folder (None) under ``root``, but the store's (empty) lock file.

    The lock file is created by the first command that takes the store's
    exclusive lock, a refused `add` included, and is never removed.
    """
    locks = [p for p in root.rglob(".collate.lock")]
    assert all(p.read_bytes() == b"" for p in locks)
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
        if p.name != ".collate.lock"
    }


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store holding copies of the shipped web and frus witnesses."""
    folder = tmp_path / "store"
    folder.mkdir()
    for name in ("web.txt", "web.toml", "frus.txt", "frus.toml"):
        shutil.copyfile(SHIPPED / name, folder / name)
    return folder


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def refused(tmp_path: Path, match: str, call: Callable[[], object]) -> CollateError:
    """Run ``call``, expect a one-line CollateError matching ``match``, and nothing changed."""
    before = snapshot(tmp_path)
    with pytest.raises(CollateError, match=match) as info:
        call()
    assert "\n" not in str(info.value)
    assert snapshot(tmp_path) == before
    return info.value


# --- add_witness: refusals ---------------------------------------------------


def test_refuses_missing_file(tmp_path: Path, store: Path) -> None:
    err = refused(tmp_path, "no such file", lambda: add_witness(tmp_path / "nope.txt", siglum="new", store=store))
    assert err.path.endswith("nope.txt")


def test_refuses_directory(tmp_path: Path, store: Path) -> None:
    (tmp_path / "adir").mkdir()
    refused(tmp_path, "is a directory", lambda: add_witness(tmp_path / "adir", siglum="new", store=store))


def test_refuses_empty_file(tmp_path: Path, store: Path) -> None:
    src = write(tmp_path / "empty.txt", b"")
    err = refused(tmp_path, "empty file", lambda: add_witness(src, siglum="new", store=store))
    assert str(err) == f"{src}: empty file"


def test_refuses_whitespace_only_file(tmp_path: Path, store: Path) -> None:
    src = write(tmp_path / "blank.txt", b" \r\n\t\n  \n")
    refused(tmp_path, "only whitespace", lambda: add_witness(src, siglum="new", store=store))


def test_refuses_binary_file_with_nul(tmp_path: Path, store: Path) -> None:
    src = write(tmp_path / "scan.txt", b"PK\x03\x04\x00\x00Eastern front")
    refused(tmp_path, "binary file", lambda: add_witness(src, siglum="new", store=store))


def test_refuses_undecodable_bytes(tmp_path: Path, store: Path) -> None:
    src = write(tmp_path / "bad.txt", b"\xff\xfe\xfa")
    refused(tmp_path, r"not UTF-8 text \(undecodable byte at offset 0\)", lambda: add_witness(src, siglum="new", store=store))


def test_refuses_latin1_text(tmp_path: Path, store: Path) -> None:
    src = write(tmp_path / "latin1.txt", "the communiqué".encode("latin-1"))
    refused(tmp_path, "offset 13", lambda: add_witness(src, siglum="new", store=store))


BAD_SIGLA = [
    ("../x", 'start with "."'),
    ("a/b", 'found "/"'),
    ("a\\b", 'found "\\"'),
    ("", "is empty"),
    (".hidden", 'start with "."'),
    ("..", 'start with "."'),
    ("a..b", 'contain ".."'),
    ("trailing.", 'end with "."'),
    ("/etc/passwd", 'found "/"'),
    ("CON", "Windows reserves"),
    ("lpt1.notes", "Windows reserves"),
    ("x" * 65, "longer than 64"),
    ("new.txt", "looks like a file name"),
    ("a b", "found ' '"),
    ("new\n", "found '\\n'"),
    ("é", 'found "é"'),
]


@pytest.mark.parametrize(("siglum", "why"), BAD_SIGLA, ids=[repr(s) for s, _ in BAD_SIGLA])
def test_refuses_unsafe_siglum(tmp_path: Path, store: Path, siglum: str, why: str) -> None:
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    err = refused(tmp_path, "is not a safe name", lambda: add_witness(src, siglum=siglum, store=store))
    assert why in err.message
    assert err.path == str(src)


def test_refuses_unsafe_siglum_without_creating_the_store(tmp_path: Path) -> None:
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    refused(tmp_path, "not a safe name", lambda: add_witness(src, siglum="../x", store=tmp_path / "fresh"))
    assert not (tmp_path / "fresh").exists()


def test_refuses_taken_siglum_without_replace(tmp_path: Path, store: Path) -> None:
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    refused(tmp_path, "'web' is already taken", lambda: add_witness(src, siglum="web", store=store))


def test_refuses_siglum_taken_by_an_orphan_toml(tmp_path: Path, store: Path) -> None:
    (store / "web.txt").unlink()
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    refused(tmp_path, "already taken", lambda: add_witness(src, siglum="web", store=store))


def test_refuses_siglum_differing_only_in_case(tmp_path: Path, store: Path) -> None:
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    refused(tmp_path, "differs only in case from the stored 'web'", lambda: add_witness(src, siglum="WEB", store=store))
    refused(tmp_path, "differs only in case", lambda: add_witness(src, siglum="WEB", store=store, replace=True))


def test_refuses_breaks_off_after_without_fragment(tmp_path: Path, store: Path) -> None:
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    refused(tmp_path, "not marked a fragment", lambda: add_witness(src, siglum="new", store=store, breaks_off_after="front"))


def test_refuses_breaks_off_after_not_in_text(tmp_path: Path, store: Path) -> None:
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    refused(
        tmp_path,
        "does not occur in the text",
        lambda: add_witness(src, siglum="new", store=store, fragment=True, breaks_off_after="second front"),
    )


def test_refuses_store_that_is_a_file(tmp_path: Path) -> None:
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    not_a_folder = write(tmp_path / "witnesses", b"oops")
    refused(tmp_path, "is not a folder", lambda: add_witness(src, siglum="new", store=not_a_folder))


# --- add_witness: success ----------------------------------------------------


def test_stores_crlf_bytes_verbatim(tmp_path: Path, store: Path) -> None:
    data = b"AIDE-MEMOIRE\r\n\r\nEastern front,\r\nin 1942.\r\n"
    src = write(tmp_path / "crlf.txt", data)
    w = add_witness(src, siglum="crlf", store=store)
    assert (store / "crlf.txt").read_bytes() == data
    assert w.text == data.decode() and "\r\n" in w.text
    assert w.meta.sha256 == hashlib.sha256(data).hexdigest()
    assert w.path == str(store / "crlf.txt")


def test_stores_nfd_combining_marks_verbatim(tmp_path: Path, store: Path) -> None:
    text = unicodedata.normalize("NFD", "Aide-mémoire: the communiqué\n")
    assert "e\u0301" in text  # decomposed: e + COMBINING ACUTE ACCENT
    data = text.encode("utf-8")
    w = add_witness(write(tmp_path / "nfd.txt", data), siglum="nfd", store=store)
    assert (store / "nfd.txt").read_bytes() == data
    assert w.text == text and read_witness(store / "nfd.txt").text == text


def test_stores_bom_verbatim_and_reads_text_without_it(tmp_path: Path, store: Path) -> None:
    data = "\ufeffEastern front\n".encode("utf-8")
    w = add_witness(write(tmp_path / "bom.txt", data), siglum="bom", store=store)
    assert (store / "bom.txt").read_bytes() == data
    assert w.text == "Eastern front\n"
    assert w.meta.sha256 == hashlib.sha256(data).hexdigest()


def test_metadata_round_trips_through_read_witness(tmp_path: Path, store: Path) -> None:
    src = write(tmp_path / "copy.txt", b"to open a second front in Europe in 1942, and\n")
    w = add_witness(
        src,
        siglum="Vat.lat-3_2",
        store=store,
        title='A "careful" copy\\ of the aide-mémoire',
        citation="Typescript, folio 3;\nsecond line",
        translation="the British/FRUS translation",
        fragment=True,
        breaks_off_after="in 1942,  and",  # whitespace need not match exactly
        note="Breaks off\tmid-sentence.",
    )
    expected = WitnessMeta(
        title='A "careful" copy\\ of the aide-mémoire',
        source="Typescript, folio 3;\nsecond line",
        translation="the British/FRUS translation",
        completeness=Completeness.FRAGMENT,
        lost=(LostStretch(Lost.END, after="in 1942,  and"),),
        note="Breaks off\tmid-sentence.",
        sha256=hashlib.sha256(src.read_bytes()).hexdigest(),
    )
    assert w.meta == expected
    back = read_witness(store / "Vat.lat-3_2.txt")
    assert back == w
    on_disk = tomllib.loads((store / "Vat.lat-3_2.toml").read_text(encoding="utf-8"))
    assert on_disk == meta_to_dict(expected)


def test_complete_witness_metadata_is_minimal(tmp_path: Path, store: Path) -> None:
    add_witness(write(tmp_path / "c.txt", b"Eastern front\n"), siglum="c", store=store)
    on_disk = tomllib.loads((store / "c.toml").read_text(encoding="utf-8"))
    assert on_disk == {"completeness": "complete", "sha256": hashlib.sha256(b"Eastern front\n").hexdigest()}
    assert read_witness(store / "c.txt").meta.is_fragment is False


def test_adds_only_two_files_and_leaves_the_rest_alone(tmp_path: Path, store: Path) -> None:
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    before = snapshot(tmp_path)
    add_witness(src, siglum="new", store=store)
    after = snapshot(tmp_path)
    assert set(after) - set(before) == {"store/new.txt", "store/new.toml"}
    assert {k: after[k] for k in before} == before
    assert [w.siglum for w in load_store(store)] == ["frus", "new", "web"]
    assert verify_store(store) == ()


def test_creates_missing_store(tmp_path: Path) -> None:
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    add_witness(src, siglum="new", store=tmp_path / "a" / "b")
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == [".collate.lock", "new.toml", "new.txt"]


def test_replace_overwrites_text_and_metadata(tmp_path: Path, store: Path) -> None:
    data = b"Eastern front, corrected\n"
    src = write(tmp_path / "web2.txt", data)
    frus_before = (store / "frus.txt").read_bytes(), (store / "frus.toml").read_bytes()
    w = add_witness(src, siglum="web", store=store, title="web, corrected", replace=True)
    assert (store / "web.txt").read_bytes() == data
    assert read_witness(store / "web.txt").meta == w.meta
    assert w.meta.title == "web, corrected" and w.meta.sha256 == hashlib.sha256(data).hexdigest()
    assert ((store / "frus.txt").read_bytes(), (store / "frus.toml").read_bytes()) == frus_before
    assert verify_store(store) == ()
    assert [p.name for p in store.glob(".*")] == [".collate.lock"]  # no temporary or kept file left


def test_replace_with_the_stored_file_itself(store: Path) -> None:
    data = (store / "web.txt").read_bytes()
    add_witness(store / "web.txt", siglum="web", store=store, replace=True)
    assert (store / "web.txt").read_bytes() == data
    assert verify_store(store) == ()


def test_replace_of_a_new_siglum_just_adds(tmp_path: Path, store: Path) -> None:
    add_witness(write(tmp_path / "n.txt", b"Eastern front\n"), siglum="n", store=store, replace=True)
    assert (store / "n.txt").read_bytes() == b"Eastern front\n"


# --- add_witness: atomicity --------------------------------------------------


def failing_on(calls: set[int], real: Callable[..., object], exc: BaseException) -> Callable[..., object]:
    """A stand-in for ``real`` that raises ``exc`` on the given (1-based) calls."""
    count = 0

    def fake(*args: object, **kwargs: object) -> object:
        nonlocal count
        count += 1
        if count in calls:
            raise exc
        return real(*args, **kwargs)

    return fake


@pytest.mark.parametrize("call", [1, 2], ids=["text-rename-fails", "metadata-rename-fails"])
@pytest.mark.parametrize("replace", [False, True], ids=["new", "replace"])
def test_failed_rename_leaves_store_unchanged(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch, call: int, replace: bool
) -> None:
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    siglum = "web" if replace else "new"
    monkeypatch.setattr(os, "replace", failing_on({call}, os.replace, OSError(28, "No space left on device")))
    err = refused(
        tmp_path, "nothing was stored", lambda: add_witness(src, siglum=siglum, store=store, replace=replace)
    )
    assert "No space left on device" in err.message


def test_failed_fsync_leaves_store_unchanged(tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    monkeypatch.setattr(os, "fsync", failing_on({2}, os.fsync, OSError(5, "Input/output error")))
    refused(tmp_path, "Input/output error", lambda: add_witness(src, siglum="new", store=store))


def test_failed_write_removes_the_store_it_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    monkeypatch.setattr(os, "replace", failing_on({2}, os.replace, OSError(28, "No space left on device")))
    refused(tmp_path, "nothing was stored", lambda: add_witness(src, siglum="new", store=tmp_path / "a" / "b"))
    assert not (tmp_path / "a").exists()


def test_interrupt_during_write_leaves_store_unchanged(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    before = snapshot(tmp_path)
    monkeypatch.setattr(os, "replace", failing_on({2}, os.replace, KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        add_witness(src, siglum="web", store=store, replace=True)
    assert snapshot(tmp_path) == before


def test_failed_undo_is_reported_and_the_next_command_finishes_it(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    before = snapshot(store)
    # os.replace calls: 1 installs the journal, 2 the new text (fails), 3 puts the old text back (fails too)
    monkeypatch.setattr(os, "replace", failing_on({2, 3}, os.replace, OSError(5, "Input/output error")))
    with pytest.raises(CollateError, match="undoing it failed too .*the next collate command puts the store back") as info:
        add_witness(src, siglum="web", store=store, replace=True)
    assert "\n" not in str(info.value)
    monkeypatch.undo()
    assert (store / ".collate.journal").exists()  # what the next command needs to undo it
    assert not list(store.glob(".*.tmp"))  # no temporary file left, even so
    with caplog.at_level("WARNING", logger="collate"):
        assert verify_store(store) == ()
    assert snapshot(store) == before
    (note,) = [r.getMessage() for r in caplog.records]
    assert "recovered the store: undid an interrupted write of web.txt, web.toml" in note


# --- verify_store ------------------------------------------------------------


def test_shipped_witnesses_verify_clean() -> None:
    assert verify_store(SHIPPED) == ()


def test_verify_detects_tampered_text(store: Path) -> None:
    data = (store / "web.txt").read_bytes()
    (store / "web.txt").write_bytes(data.replace(b"Easter ", b"Eastern ", 1))
    expected = tomllib.loads((store / "web.toml").read_text(encoding="utf-8"))["sha256"]
    actual = hashlib.sha256((store / "web.txt").read_bytes()).hexdigest()
    assert verify_store(store) == (
        StoreProblem(
            "web",
            str(store / "web.txt"),
            f"text changed since it was stored: sha256 expected {expected[:12]}…, actual {actual[:12]}…",
        ),
    )


def test_verify_detects_missing_toml(store: Path) -> None:
    (store / "frus.toml").unlink()
    (problem,) = verify_store(store)
    assert (problem.siglum, problem.path) == ("frus", str(store / "frus.txt"))
    assert "frus.toml missing" in problem.problem


def test_verify_detects_orphan_toml(store: Path) -> None:
    (store / "frus.txt").unlink()
    (problem,) = verify_store(store)
    assert (problem.siglum, problem.path) == ("frus", str(store / "frus.toml"))
    assert "frus.txt is missing" in problem.problem


def test_verify_detects_toml_without_checksum(store: Path) -> None:
    (store / "web.toml").write_text('title = "web"\n', encoding="utf-8")
    (problem,) = verify_store(store)
    assert (problem.siglum, problem.path, problem.problem) == (
        "web",
        str(store / "web.toml"),
        "metadata has no sha256 checksum of the text",
    )


def test_verify_detects_malformed_checksum(store: Path) -> None:
    (store / "web.toml").write_text('sha256 = "abc"\n', encoding="utf-8")
    (problem,) = verify_store(store)
    assert "not 64 hexadecimal digits" in problem.problem


def test_verify_detects_unreadable_metadata(store: Path) -> None:
    (store / "web.toml").write_text('title = "unclosed\n', encoding="utf-8")
    (store / "frus.toml").write_bytes(b"title = '\xff'\n")
    problems = verify_store(store)
    assert [(p.siglum, p.path) for p in problems] == [("frus", str(store / "frus.toml")), ("web", str(store / "web.toml"))]
    assert all(p.problem.startswith("metadata cannot be read: bad metadata") for p in problems)


def test_verify_detects_text_that_is_not_a_transcription(store: Path) -> None:
    (store / "e.txt").write_bytes(b"")
    (store / "e.toml").write_text(f'sha256 = "{hashlib.sha256(b"").hexdigest()}"\n', encoding="utf-8")
    (problem,) = verify_store(store)
    assert problem.siglum == "e" and "empty file" in problem.problem


def test_verify_removes_a_leftover_temporary_file_and_says_so(store: Path, caplog: pytest.LogCaptureFixture) -> None:
    (store / ".web.txt.0a1b2c3d.tmp").write_bytes(b"half")
    with caplog.at_level("WARNING", logger="collate"):
        assert verify_store(store) == ()
    assert not (store / ".web.txt.0a1b2c3d.tmp").exists()
    assert [r.getMessage() for r in caplog.records] == [
        f"{store}: recovered the store: removed 1 temporary file left by a killed run"
    ]


def test_verify_reports_every_problem_in_siglum_order(store: Path) -> None:
    (store / "web.txt").write_bytes(b"changed\n")
    (store / "frus.toml").unlink()
    shutil.copyfile(SHIPPED / "corr1957.toml", store / "corr1957.toml")
    assert [p.siglum for p in verify_store(store)] == ["corr1957", "frus", "web"]


def test_verify_refuses_missing_store(tmp_path: Path) -> None:
    with pytest.raises(CollateError, match="witness store not found"):
        verify_store(tmp_path / "nope")


def test_verify_empty_store_is_clean(tmp_path: Path) -> None:
    assert verify_store(tmp_path) == ()


# --- properties --------------------------------------------------------------


@pytest.fixture
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("prop")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="aB9_-./\\:~ \x00é", min_size=0, max_size=12) | st.text(max_size=80))
def test_any_accepted_siglum_stays_inside_the_store(scratch: Path, siglum: str) -> None:
    if siglum_problem(siglum) is not None:
        return
    assert siglum.isascii() and siglum.isprintable() and ".." not in siglum
    store = scratch / "store"
    target = (store / f"{siglum}.txt").resolve()
    assert target.parent == store.resolve()
    assert target.name == f"{siglum}.txt" and not target.name.startswith(".")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=60))
def test_any_accepted_text_is_stored_verbatim_and_verifies(scratch: Path, text: str) -> None:
    data = text.encode("utf-8")
    src = write(scratch / "src.bin", data)
    try:
        w = add_witness(src, siglum="w", store=scratch / "store", replace=True)
    except CollateError:
        assert "\x00" in text or not text.replace("\ufeff", "", 1).strip()
        return
    assert (scratch / "store" / "w.txt").read_bytes() == data
    assert read_witness(scratch / "store" / "w.txt") == w
    assert verify_store(scratch / "store") == ()


# --- the read side -----------------------------------------------------------


def test_resolve_reads_a_siglum_from_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (w,) = resolve(["A"], store=DATA)
    assert (w.siglum, w.path, w.text) == ("A", str(DATA / "A.txt"), "Eastern front, in 1942.\n")
    assert w.meta.is_fragment and w.meta.breaks_off_after == "in 1942."


def test_resolve_reads_a_path_as_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "A", b"a file named like a siglum\n")
    (w,) = resolve(["A"], store=DATA)  # an existing file wins over the siglum
    assert (w.siglum, w.path, w.text) == ("A", "A", "a file named like a siglum\n")
    (w,) = resolve([str(DATA / "other" / "A.txt")], store=tmp_path)
    assert (w.siglum, w.text) == ("A", "Eastern front.\n")


def test_resolve_reads_a_dotted_siglum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    add_witness(write(tmp_path / "src.txt", b"Eastern front\n"), siglum="Vat.lat.3225", store=tmp_path / "s")
    (w,) = resolve(["Vat.lat.3225"], store=tmp_path / "s")
    assert w.siglum == "Vat.lat.3225" and w.meta.sha256


def test_resolve_refuses_unknown_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CollateError, match="no witness 'C' in the store"):
        resolve(["C"], store=DATA)
    with pytest.raises(CollateError, match="C.txt: no such file"):
        resolve(["C.txt"], store=DATA)


def test_resolve_refuses_duplicate_sigla() -> None:
    with pytest.raises(CollateError, match="two witnesses share the siglum 'A'") as info:
        resolve(["A", str(DATA / "other" / "A.txt")], store=DATA)
    assert "\n" not in str(info.value)


def test_bad_toml_is_a_one_line_error() -> None:
    with pytest.raises(CollateError) as info:
        read_witness(DATA / "bad" / "x.txt")
    message = str(info.value)
    assert message.startswith(f"{DATA / 'bad' / 'x.toml'}: bad metadata:")
    assert "\n" not in message


def test_load_store_reads_every_witness_in_siglum_order() -> None:
    assert [w.siglum for w in load_store(DATA)] == ["A", "B"]
    assert [w.siglum for w in load_store(SHIPPED)] == ["corr1957", "frus", "web"]


def test_load_store_refuses_an_empty_store(tmp_path: Path) -> None:
    with pytest.raises(CollateError, match="no witnesses"):
        load_store(tmp_path)


# --- the store trusts nothing it did not write ----------------------------------------


def test_a_symlink_in_the_store_is_refused_and_listed(store: Path) -> None:
    (store / "evil.txt").symlink_to("/etc/passwd")
    for call in (lambda: load_store(store), lambda: resolve(["evil"], store=store)):
        with pytest.raises(CollateError, match="evil.txt: is a symbolic link, not a regular file .*collate verify") as info:
            call()
        assert "root:" not in str(info.value)
    (problem,) = verify_store(store)
    assert (problem.siglum, problem.path) == ("evil", str(store / "evil.txt"))
    assert problem.problem == "is a symbolic link (to /etc/passwd): the store holds only regular files it wrote; remove it"


def test_a_symlinked_metadata_file_is_refused(store: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere.toml").write_bytes((store / "web.toml").read_bytes())
    (store / "web.toml").unlink()
    (store / "web.toml").symlink_to(tmp_path / "elsewhere.toml")
    with pytest.raises(CollateError, match="web.toml: is a symbolic link"):
        load_store(store)
    assert [p.path for p in verify_store(store)] == [str(store / "web.toml")]


def test_a_fifo_in_the_store_never_hangs(tmp_path: Path, store: Path, no_hang: None) -> None:
    os.mkfifo(store / "pipe.txt")
    os.mkfifo(store / "web2.toml")
    with pytest.raises(CollateError, match=r"pipe.txt: is a named pipe \(FIFO\)"):
        load_store(store)
    assert [(p.siglum, p.problem.split(":")[0]) for p in verify_store(store)] == [
        ("pipe", "is a named pipe (FIFO)"),
        ("web2", "is a named pipe (FIFO)"),
    ]
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    add_witness(src, siglum="new", store=store)  # the rest of the store is still usable
    refused(tmp_path, r"pipe.txt in the store is a named pipe \(FIFO\)", lambda: add_witness(src, siglum="pipe", store=store, replace=True))


def test_a_symlink_to_dev_zero_is_one_line_not_a_memory_error(store: Path) -> None:
    (store / "zero.txt").symlink_to("/dev/zero")
    with pytest.raises(CollateError, match="zero.txt: is a symbolic link"):
        load_store(store)
    (store / "zero.txt").unlink()
    with pytest.raises(CollateError, match="is a character device"):
        resolve(["/dev/zero"], store=store)


def test_add_refuses_to_replace_a_symlink_in_the_store(tmp_path: Path, store: Path) -> None:
    outside = write(tmp_path / "outside.txt", b"not the store's\n")
    (store / "evil.txt").symlink_to(outside)
    src = write(tmp_path / "new.txt", b"Eastern front\n")
    refused(tmp_path, "evil.txt in the store is a symbolic link", lambda: add_witness(src, siglum="evil", store=store, replace=True))
    assert outside.read_bytes() == b"not the store's\n"


def test_a_stray_dot_txt_is_ignored_with_a_note_and_listed_by_verify(
    tmp_path: Path, store: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (store / ".txt").write_bytes(b"stray")
    with caplog.at_level("WARNING", logger="collate"):
        assert [w.siglum for w in load_store(store)] == ["frus", "web"]
    assert [r.getMessage() for r in caplog.records] == [f"{store / '.txt'}: ignored: a hidden file is not a witness (collate verify lists it)"]
    add_witness(write(tmp_path / "n.txt", b"Eastern front\n"), siglum="n", store=store)
    ((siglum, path),) = [(p.siglum, p.path) for p in verify_store(store)]
    assert path == str(store / ".txt")


def test_files_that_are_not_witnesses_are_left_alone(store: Path) -> None:
    (store / "SOURCES.md").write_text("where the texts come from")
    (store / "seed").mkdir()
    (store / "seed" / "x.txt").write_text("not read")
    assert [w.siglum for w in load_store(store)] == ["frus", "web"]
    assert verify_store(store) == ()


# --- checksums before use -----------------------------------------------------------------


def test_a_modified_witness_is_refused_unless_allowed(store: Path, caplog: pytest.LogCaptureFixture) -> None:
    (store / "web.txt").write_bytes((store / "web.txt").read_bytes().replace(b"Easter ", b"Eastern ", 1))
    for call in (lambda: load_store(store), lambda: resolve(["web"], store=store), lambda: read_witness(store / "web.txt")):
        with pytest.raises(CollateError, match=r"web.txt: text changed since it was stored .*collate verify.*--allow-modified"):
            call()
    with caplog.at_level("WARNING", logger="collate"):
        witnesses = {w.siglum: w for w in load_store(store, allow_modified=True)}
    assert witnesses["web"].integrity is Integrity.MODIFIED
    assert witnesses["frus"].integrity is Integrity.VERIFIED
    assert [r.getMessage() for r in caplog.records] == [
        f"{store / 'web.txt'}: using a text modified since it was stored (its sha256 does not match)"
    ]


def test_integrity_says_whether_a_checksum_was_checked(tmp_path: Path, store: Path) -> None:
    assert {w.integrity for w in load_store(store)} == {Integrity.VERIFIED}
    plain = write(tmp_path / "plain.txt", b"Eastern front\n")
    (w,) = resolve([str(plain)], store=store)
    assert w.integrity is Integrity.UNCHECKED
    added = add_witness(plain, siglum="p", store=store)
    assert added.integrity is Integrity.VERIFIED == read_witness(store / "p.txt").integrity


# --- hostile input files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ("Eastern front\n".encode("utf-16"), "UTF-16"),
        ("Eastern front\n".encode("utf-16-le"), "UTF-16LE"),
        ("Eastern front\n".encode("utf-16-be"), "UTF-16BE"),
        ("Eastern front\n".encode("utf-32"), "UTF-32"),
    ],
)
def test_utf16_and_utf32_are_named_not_called_binary(tmp_path: Path, store: Path, data: bytes, name: str) -> None:
    src = write(tmp_path / "wide.txt", data)
    err = refused(tmp_path, f"{name} text, not UTF-8: convert it first", lambda: add_witness(src, siglum="w", store=store))
    assert f"iconv -f {name} -t UTF-8" in err.message


def test_a_toml_with_a_bom_is_accepted(store: Path) -> None:
    (store / "web.toml").write_bytes(b"\xef\xbb\xbf" + (store / "web.toml").read_bytes())
    assert load_store(store)[1].meta.title == "Aide-m\u00e9moire, web transcription"
    assert verify_store(store) == ()


def test_a_deeply_nested_toml_is_one_line(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (store / "web.toml").write_text("title = " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(CollateError, match=r"web.toml: bad metadata: nested 100000 deep, over the limit of 16 \(set COLLATE_MAX_TOML_DEPTH"):
        load_store(store)
    (problem,) = verify_store(store)
    assert "nested 100000 deep" in problem.problem
    monkeypatch.setenv("COLLATE_MAX_TOML_DEPTH", "1000000")  # past the check, tomllib's recursion gives out
    with pytest.raises(CollateError, match="web.toml: bad metadata: nested too deeply to read"):
        load_store(store)


def test_brackets_in_strings_and_comments_are_not_nesting(store: Path) -> None:
    checksum = tomllib.loads((store / "web.toml").read_text(encoding="utf-8"))["sha256"]
    (store / "web.toml").write_text(
        f'title = "{"[" * 40}"  # {"{" * 40}\nnote = \'\'\'{"]" * 40}\'\'\'\nsha256 = "{checksum}"\n', encoding="utf-8"
    )
    meta = load_store(store)[1].meta
    assert (meta.title, meta.note) == ("[" * 40, "]" * 40)


def test_witness_size_limit_is_configurable(tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = write(tmp_path / "big.txt", b"Eastern front " * 100)
    refused(tmp_path, r"is 1.4 KiB, over the limit of 1 KiB for a witness \(set COLLATE_MAX_WITNESS_SIZE", lambda: add_witness(src, siglum="big", store=store, limits=Limits(max_witness_bytes=1024)))
    monkeypatch.setenv("COLLATE_MAX_WITNESS_SIZE", "1K")
    refused(tmp_path, "over the limit of 1 KiB", lambda: add_witness(src, siglum="big", store=store))
    with pytest.raises(CollateError, match="frus.txt: is 1.8 KiB, over the limit of 1 KiB"):
        load_store(store)
    monkeypatch.setenv("COLLATE_MAX_WITNESS_SIZE", "2k")
    with pytest.raises(CollateError, match="over the limit of 2 KiB"):
        load_store(store)
    monkeypatch.setenv("COLLATE_MAX_WITNESS_SIZE", "lots")
    with pytest.raises(CollateError, match="COLLATE_MAX_WITNESS_SIZE='lots' is not a size such as 512M or 2G"):
        load_store(store)


@pytest.mark.parametrize(("value", "expected"), [("1048576", 1 << 20), ("512M", 512 << 20), ("2G", 2 << 30), ("64 KiB", 64 << 10)])
def test_limits_read_sizes_from_the_environment(value: str, expected: int) -> None:
    assert Limits.from_env({"COLLATE_MAX_WITNESS_SIZE": value}).max_witness_bytes == expected


def test_breaks_off_after_is_found_across_whitespace_without_splitting_the_text(tmp_path: Path, store: Path) -> None:
    src = write(tmp_path / "f.txt", b"to open a second\n front in Europe")
    w = add_witness(src, siglum="f", store=store, fragment=True, breaks_off_after="second front in")
    assert w.meta.breaks_off_after == "second front in"
    refused(tmp_path, "does not occur", lambda: add_witness(src, siglum="g", store=store, fragment=True, breaks_off_after="second. front"))


# --- comparing a new witness with the store --------------------------------------------------


def test_count_words_matches_split_across_slices() -> None:
    text = ("Eastern " * 200_000) + "front" + (" x" * 300_000) + "  " + "y" * (3 << 20)
    assert count_words(text) == len(text.split())


def test_a_long_witness_is_compared_by_an_estimate_close_to_the_exact_cer() -> None:
    import random

    rng = random.Random(7)
    words = [rng.choice(["Eastern", "front", "the", "of", "second", "1942", "forces", "Europe", "and"]) for _ in range(30_000)]
    reference = " ".join(words)
    noisy = list(reference)
    for i in rng.sample(range(len(noisy)), len(noisy) // 30):
        noisy[i] = "x"
    hypothesis = "".join(noisy)
    exact = cer(reference, hypothesis)
    assert estimated_cer(reference, hypothesis) == pytest.approx(exact, rel=0.25)
    assert estimated_cer(reference, reference) == 0.0
    assert estimated_cer("short", reference) >= (len(reference) - 5) / 5  # the length alone forces this much


def test_compare_with_store_ranks_and_says_what_it_skipped(tmp_path: Path, store: Path) -> None:
    new = add_witness(write(tmp_path / "n.txt", (store / "web.txt").read_bytes()), siglum="n", store=store)
    (store / "zz.txt").symlink_to("/etc/passwd")
    ranked, skipped = compare_with_store(new, store)
    assert [(c.siglum, c.estimated) for c in ranked] == [("web", False), ("frus", False)]
    assert ranked[0].cer == 0.0
    assert skipped == ("zz: is a symbolic link, not a regular file (the store reads only files it wrote: see collate verify)",)
