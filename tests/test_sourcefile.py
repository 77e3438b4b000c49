"""The store keeps the source (issue 10, phase 2): collate/sourcefile.py and the source paths of
collate/store.py and collate/witnessfile.py.

A witness added from TEI, PAGE, ALTO, hOCR or Markdown keeps that file verbatim as
``<siglum>.source.<ext>``, its reading text as ``<siglum>.txt`` and both checksums in
its ``.toml``; reading it or verifying the store extracts the source again.  Fixtures:
tests/data/readers (see its README.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from collate.errors import CollateError
from collate.model import Integrity
from collate.readers import Hyphens, ReaderOptions, SourceFormat, TeiChoice, read_source
from collate.store import add_witness, load_store, read_stored, resolve, verify_store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/data/readers"
TEI = DATA / "tei/web.tei.xml"
TESS = DATA / "tesseract"
SEED = ROOT / "witnesses/seed/aide-memoire-web-transcription.md"

# (file, format, name in the store, reader options recorded)
SOURCES = [
    (TEI, SourceFormat.TEI, "X.source.xml", {"tei_choice": "source"}),
    (TESS / "web-p1.gt.page.xml", SourceFormat.PAGE, "X.source.xml", {"hyphens": "join"}),
    (TESS / "web.alto.xml", SourceFormat.ALTO, "X.source.xml", {"hyphens": "join"}),
    (TESS / "web.hocr", SourceFormat.HOCR, "X.source.hocr", {"hyphens": "join"}),
    (SEED, SourceFormat.MARKDOWN, "X.source.md", None),
]


def files_of(store: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(store.iterdir()) if p.name != ".collate.lock"}


def toml_of(store: Path, siglum: str) -> dict[str, object]:
    return tomllib.loads((store / f"{siglum}.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("path", "fmt", "name", "reader"), SOURCES, ids=[f.value for _, f, _, _ in SOURCES])
def test_add_keeps_the_source_verbatim_and_its_reading_text(
    tmp_path: Path, path: Path, fmt: SourceFormat, name: str, reader: dict[str, str] | None
) -> None:
    store = tmp_path / "store"
    witness = add_witness(path, siglum="X", store=store)
    expected = read_source(path)
    assert files_of(store) == {
        name: path.read_bytes(),
        "X.toml": (store / "X.toml").read_bytes(),
        "X.txt": expected.text.encode("utf-8"),
    }
    meta = toml_of(store, "X")
    assert meta["source_file"] == name and meta["source_format"] == fmt.value
    assert meta["source_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta["sha256"] == hashlib.sha256(expected.text.encode("utf-8")).hexdigest()
    assert meta.get("reader") == reader
    assert witness.text == expected.text and witness.source == expected
    (stored,) = load_store(store)
    assert stored.text == expected.text and stored.source == expected and stored.integrity is Integrity.VERIFIED
    assert verify_store(store) == ()


def test_a_plain_text_add_is_as_it_was(tmp_path: Path) -> None:
    """No source file, no new keys: the TOML is exactly what the store wrote before issue 10."""
    data = "the Easter front\r\nin 192.\n".encode("utf-8")
    (tmp_path / "web.txt").write_bytes(data)
    witness = add_witness(tmp_path / "web.txt", siglum="B", store=tmp_path / "store", title="web")
    assert witness.source is None and witness.meta.source_file is None
    digest = hashlib.sha256(data).hexdigest()
    assert files_of(tmp_path / "store") == {
        "B.toml": f'# Provenance of B.txt, written by `collate add`; hand-editable.\ntitle = "web"\n'
                  f'completeness = "complete"\nsha256 = "{digest}"\n'.encode(),
        "B.txt": data,
    }
    (stored,) = load_store(tmp_path / "store")
    assert stored.source is None and stored.text == data.decode()


def test_a_plain_txt_named_file_holding_alto_is_read_as_alto(tmp_path: Path) -> None:
    (tmp_path / "ocr-output.txt").write_bytes((TESS / "web.alto.xml").read_bytes())
    witness = add_witness(tmp_path / "ocr-output.txt", siglum="ocr", store=tmp_path / "store")
    assert witness.meta.source_file is not None and witness.meta.source_file.format is SourceFormat.ALTO
    forced = add_witness(tmp_path / "ocr-output.txt", siglum="raw", store=tmp_path / "store",
                         options=ReaderOptions(format=SourceFormat.PLAIN))
    assert forced.meta.source_file is None and forced.text.startswith("<?xml")


def test_reader_options_are_recorded_and_used_again(tmp_path: Path) -> None:
    store = tmp_path / "store"
    editorial = add_witness(TEI, siglum="ed", store=store, options=ReaderOptions(tei_choice=TeiChoice.EDITORIAL))
    assert "Mister Churchill" in editorial.text and toml_of(store, "ed")["reader"] == {"tei_choice": "editorial"}
    kept = add_witness(TESS / "web.alto.xml", siglum="keep", store=store, options=ReaderOptions(hyphens=Hyphens.KEEP))
    assert toml_of(store, "keep")["reader"] == {"hyphens": "keep"}
    assert kept.text == read_source(TESS / "web.alto.xml", hyphens="keep").text
    assert verify_store(store) == ()
    assert read_stored(store, "ed").text == editorial.text
    # The recorded option, not the default, is what the source is read again with:
    toml = (store / "ed.toml").read_text().replace('tei_choice = "editorial"', 'tei_choice = "source"')
    (store / "ed.toml").write_text(toml)
    ((path, problem),) = [(p.path, p.problem) for p in verify_store(store)]
    assert path == str(store / "ed.source.xml") and problem.startswith("extracted text differs from its source")


def test_reextraction_is_deterministic_across_processes(tmp_path: Path) -> None:
    """Every reader, run in fresh interpreters with different hash seeds, gives the same text and positions."""
    script = (
        "import hashlib, sys; from collate.readers import read_source\n"
        "for p in sys.argv[1:]:\n"
        "    ex = read_source(p)\n"
        "    print(hashlib.sha256(repr((ex.text, ex.positions, ex.words, ex.gaps, ex.flags)).encode()).hexdigest())\n"
    )
    paths = [str(p) for p, _, _, _ in SOURCES] + [str(TESS / "web-p2.gt.page.xml")]
    outputs = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-c", script, *paths], capture_output=True, text=True, env=env, check=True)
        outputs.add(proc.stdout)
    assert len(outputs) == 1 and len(outputs.pop().split()) == len(paths)


def test_verify_reports_a_changed_source(tmp_path: Path) -> None:
    store = tmp_path / "store"
    add_witness(TESS / "web.alto.xml", siglum="ocr", store=store)
    source = store / "ocr.source.xml"
    source.write_bytes(source.read_bytes().replace(b'CONTENT="reisf"', b'CONTENT="relief"'))
    ((path, problem),) = [(p.path, p.problem) for p in verify_store(store)]
    assert path == str(source) and problem.startswith("source changed since it was stored: sha256 expected ")


def test_verify_reports_text_that_its_source_does_not_give(tmp_path: Path) -> None:
    """Text and checksum changed together: only extracting the source again can tell."""
    store = tmp_path / "store"
    add_witness(TEI, siglum="tei", store=store)
    text = (store / "tei.txt").read_bytes().replace(b"Easter front", b"Eastern front")
    (store / "tei.txt").write_bytes(text)
    toml = (store / "tei.toml").read_text()
    old = str(toml_of(store, "tei")["sha256"])
    (store / "tei.toml").write_text(toml.replace(old, hashlib.sha256(text).hexdigest()))
    ((path, problem),) = [(p.path, p.problem) for p in verify_store(store)]
    at = read_source(TEI).text.encode().index(b"Easter front") + len(b"Easter")
    assert path == str(store / "tei.source.xml")
    assert problem == f"extracted text differs from its source (from byte {at} of tei.txt)"
    with pytest.raises(CollateError, match=r"extracted text differs from its source \(.*\): see collate verify"):
        read_stored(store, "tei")


def test_a_missing_or_renamed_source_is_reported_and_refused(tmp_path: Path) -> None:
    store = tmp_path / "store"
    add_witness(TESS / "web.hocr", siglum="h", store=store)
    (store / "h.source.hocr").rename(store / "elsewhere.hocr")
    ((_, problem),) = [(p.path, p.problem) for p in verify_store(store)]
    assert problem.startswith("source cannot be read: ")
    with pytest.raises(CollateError, match="source cannot be read"):
        load_store(store)
    (store / "elsewhere.hocr").rename(store / "h.source.hocr")
    toml = (store / "h.toml").read_text()
    (store / "h.toml").write_text(toml.replace('"h.source.hocr"', '"frus.source.hocr"'))
    assert sorted((p.path, p.problem.split(" (")[0]) for p in verify_store(store)) == [
        (str(store / "h.source.hocr"), "a source file that h.toml does not name"),
        (str(store / "h.toml"), "metadata names the source file 'frus.source.hocr'; the store keeps it as 'h.source.hocr'"),
    ]
    (store / "h.toml").write_text(toml.replace('"h.source.hocr"', '"../h.source.hocr"'))
    ((path, problem),) = [(p.path, p.problem) for p in verify_store(store)]
    assert problem.startswith("metadata cannot be read: source_file must name a file in the store")


def test_allow_modified_reads_the_text_without_its_source(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = tmp_path / "store"
    add_witness(TESS / "web.hocr", siglum="h", store=store)
    source = store / "h.source.hocr"
    source.write_bytes(source.read_bytes() + b"\n")
    with caplog.at_level("WARNING", logger="collate"):
        (witness,) = load_store(store, allow_modified=True)
    assert witness.source is None and witness.text == read_source(TESS / "web.hocr").text
    assert "using the text without its source" in caplog.text


def test_a_source_no_metadata_names_is_listed(tmp_path: Path) -> None:
    store = tmp_path / "store"
    add_witness(SEED, siglum="md", store=store)
    shutil.copyfile(SEED, store / "md.source.xml")
    ((path, problem),) = [(p.path, p.problem) for p in verify_store(store)]
    assert path == str(store / "md.source.xml") and problem.startswith("a source file that md.toml does not name")


@pytest.mark.parametrize(("first", "second", "left"), [
    (TEI, TESS / "web.source.txt", ["X.toml", "X.txt"]),
    (TESS / "web.alto.xml", TESS / "web.hocr", ["X.source.hocr", "X.toml", "X.txt"]),
    (TESS / "web.source.txt", TESS / "web.alto.xml", ["X.source.xml", "X.toml", "X.txt"]),
    (TEI, TESS / "web.alto.xml", ["X.source.xml", "X.toml", "X.txt"]),
], ids=["tei-by-plain", "alto-by-hocr", "plain-by-alto", "tei-by-alto"])
def test_replace_leaves_only_the_new_witness_files(tmp_path: Path, first: Path, second: Path, left: list[str]) -> None:
    store = tmp_path / "store"
    add_witness(first, siglum="X", store=store)
    add_witness(second, siglum="X", store=store, replace=True)
    assert sorted(files_of(store)) == left
    assert verify_store(store) == ()
    assert load_store(store)[0].text == read_source(second).text


def test_a_new_siglum_does_not_overwrite_a_file_named_like_its_source(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "X.source.md").write_bytes(b"# my notes")
    with pytest.raises(CollateError, match="X.source.md is in the store but belongs to no witness"):
        add_witness(SEED, siglum="X", store=store)
    assert files_of(store) == {"X.source.md": b"# my notes"}


def test_a_failed_write_of_three_files_leaves_the_store_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    add_witness(TESS / "web.alto.xml", siglum="X", store=store)
    before = files_of(store)
    real = os.replace
    calls = []

    def failing(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 3:  # journal, then the first target: fail on the second target
            raise OSError(28, "No space left on device")
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(CollateError, match="No space left on device.*nothing was stored"):
        add_witness(TEI, siglum="X", store=store, replace=True)
    monkeypatch.undo()
    assert files_of(store) == before and verify_store(store) == ()


def test_a_file_on_the_command_line_is_read_by_its_reader_and_named_by_its_stem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("p1.alto.xml", "gt.page.xml"):
        shutil.copyfile(TESS / ("web.alto.xml" if "alto" in name else "web-p1.gt.page.xml"), tmp_path / name)
    alto, gt = resolve(["p1.alto.xml", "gt.page.xml"])
    assert (alto.siglum, gt.siglum) == ("p1", "gt")
    assert alto.source is not None and alto.source.words.confidences[0] is not None
    assert gt.source is not None and gt.source.format is SourceFormat.PAGE
    (plain,) = resolve(["gt.page.xml"], options=ReaderOptions(format=SourceFormat.PLAIN))
    assert plain.source is None and plain.text.startswith("<?xml")


def test_the_gaps_of_a_tei_witness_stay_on_the_witness(tmp_path: Path) -> None:
    """TEI gap, space and damage are kept (Witness.source.gaps) for the partial-witness model."""
    add_witness(TEI, siglum="tei", store=tmp_path / "store")
    (witness,) = load_store(tmp_path / "store")
    assert witness.source is not None
    assert [(g.kind.value, witness.text[g.offset - 3 : g.offset]) for g in witness.source.gaps] == [
        ("gap", "192"), ("space", "of,"), ("damage", "IN."),
    ]
    assert json.dumps([g.offset for g in witness.source.gaps])  # plain offsets into the stored text
