"""Whole corpora: `collate corpus report` and `collate corpus check` (collate.corpus).

Runs here are in this process on small generated corpora
(`collate.testing.corpus`); the process pool and Dask are in
tests/test_corpus_execute.py.
"""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from lxml import html

from collate.api import check
from collate.corpus import Execution, check_corpus, report_corpus
from collate.corpus.discover import find_documents, pair_files
from collate.corpus.jobs import REPORT_FILES, ReportJob, Status, run_report_job
from collate.metrics import char_errors, plain_text, word_errors
from collate.testing.corpus import BROKEN, files_of, write_check_corpus, write_corpus
from collate.testing.prose import base_text
from collate.testing.synth import noisy_copy

SERIAL = Execution(workers=1)
LIMIT = 5_000  # the broken corpus's large file is one byte over
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "letters"
    write_corpus(root, documents=7, seed=3, words=(40, 120), witnesses=(3, 4), broken=True, large=LIMIT)
    return root


@pytest.fixture(scope="module")
def reported(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("out") / "reports"
    return out, report_corpus(corpus, out, execution=SERIAL, max_bytes=LIMIT)


# ---------------------------------------------------------------- discovery and pairing


def test_a_document_is_a_folder_of_transcriptions_nested_or_not_and_stray_files_are_listed() -> None:
    found = find_documents(["vol1/d1/A.txt", "vol1/d1/B.txt", "vol1/d1/B.toml", "vol1/d1/scan.png", "d2/A.txt",
                            "README.txt", "stray.txt", "vol1/README.md", "vol1/d1/B.source.xml"])
    assert [(d.name, d.texts, d.metas) for d in found.documents] == [
        ("d2", ("A.txt",), ()), ("vol1/d1", ("A.txt", "B.txt"), ("B.toml",))]
    assert found.ignored == ("stray.txt",)  # README.txt is the corpus's notes, not a transcription outside any document


def test_a_document_may_not_take_the_name_of_the_corpus_index() -> None:
    found = find_documents(["index.html/A.txt", "index.html/B.txt", "ok/A.txt"])
    assert [d.name for d in found.documents] == ["ok"]
    assert [p.document for p in found.problems] == ["index.html"]


def test_files_pair_by_relative_path_and_stem_in_any_supported_format_and_ambiguity_is_a_problem() -> None:
    p = pair_files(["v1/p1.txt", "v1/p2.txt", "v2/p1.txt", "v1/p3.txt"],
                   ["v1/p1.txt", "v1/p2.txt", "v1/p2.TXT", "p1.txt", "v1/p1.toml"])
    assert [(x.document, x.reference, x.witness) for x in p.pairs] == [("v1/p1", "v1/p1.txt", "v1/p1.txt")]
    assert p.pairs[0].witness_meta == "v1/p1.toml"
    assert p.unpaired_references == ("v1/p3.txt", "v2/p1.txt")
    assert p.unpaired_witnesses == ("p1.txt",)
    assert [x.document for x in p.problems] == ["v1/p2"]


# ---------------------------------------------------------------- corpus report


def test_every_good_document_gets_its_report_and_each_broken_one_is_listed_with_its_error(reported: tuple[Path, Any]) -> None:
    out, run = reported
    assert [s.document for s in run.documents] == [f"doc{i:04d}" for i in range(7)]
    for s in run.documents:
        assert sorted(p.name for p in (out / s.document).iterdir()) == sorted(REPORT_FILES)
    errors = {p.document: p.error for p in run.failed}
    assert sorted(errors) == sorted(BROKEN)
    assert "binary file" in errors["broken-binary"] and "empty file" in errors["broken-empty"]
    assert "not UTF-8" in errors["broken-encoding"] and "bad metadata" in errors["broken-metadata"]
    assert errors["broken-large"].startswith("broken-large/B.txt: too large")
    assert "at least two witnesses" in errors["broken-single"]
    assert not any((out / name).exists() for name in BROKEN)


def test_corpus_json_agrees_with_each_documents_collation_json(reported: tuple[Path, Any]) -> None:
    out, _ = reported
    data = json.loads((out / "corpus.json").read_text(encoding="utf-8"))
    assert data["totals"]["documents"] == 7 + len(BROKEN) and data["totals"]["failed"] == len(BROKEN)
    assert sorted(f["document"] for f in data["failed"]) == sorted(BROKEN)
    for doc in data["documents"]:
        collation = json.loads((out / doc["document"] / "collation.json").read_text(encoding="utf-8"))
        assert doc["witnesses"] == collation["sigla"]
        assert doc["locations"] == len(collation["variants"])
        for cls, n in doc["classes"].items():
            assert n == sum(stat["classes"][cls] for stat in collation["statistics"].values())
        assert doc["words"] == {s: stat["words"] for s, stat in collation["statistics"].items()}
        sim = collation["pairwise"]["similarity"]
        pairs = [x for i, row in enumerate(sim) for j, x in enumerate(row) if i < j and x is not None]
        assert doc["similarity"] == pytest.approx(sum(pairs) / len(pairs), abs=1e-3)
    assert data["totals"]["locations"] == sum(d["locations"] for d in data["documents"])


def test_families_and_coverage_are_reported_where_the_witnesses_declare_them(reported: tuple[Path, Any]) -> None:
    out, _ = reported
    docs = {d["document"]: d for d in json.loads((out / "corpus.json").read_text(encoding="utf-8"))["documents"]}
    sigla = docs["doc0006"]["witnesses"]
    assert docs["doc0006"]["families"] == {"first": sigla[0::2], "second": sigla[1::2]}
    assert all(not d["families"] for name, d in docs.items() if name != "doc0006")
    fragment = docs["doc0004"]["coverage"]
    assert len(fragment) == 1 and 0 < next(iter(fragment.values())) <= 1
    assert all(not d["coverage"] for name, d in docs.items() if name != "doc0004")
    headers = [th.text_content().strip() for th in html.parse(str(out / "index.html")).getroot().xpath("//table[@id='documents']//th")]
    assert "Families" in headers and "Coverage" in headers


def test_the_index_is_a_table_that_links_every_report_and_lists_the_failures_without_a_script(reported: tuple[Path, Any]) -> None:
    out, run = reported
    page = html.parse(str(out / "index.html")).getroot()
    rows = page.xpath("//table[@id='documents']/tbody/tr")
    assert [r.xpath("./td/a")[0].text for r in rows] == [s.document for s in run.documents]
    for r in rows:
        assert (out / r.xpath("./td/a")[0].get("href")).is_file()
    assert sorted(li.xpath(".//span[@class='mono']")[0].text for li in page.xpath("//section[@id='failed']//li")) == sorted(BROKEN)
    csp = page.xpath("//meta[@http-equiv='Content-Security-Policy']")[0].get("content")
    assert "script-src 'sha256-" in csp and "unsafe-inline" not in csp.split("script-src")[1]


def test_a_corpus_without_fragments_or_families_has_no_such_columns(tmp_path: Path) -> None:
    write_corpus(tmp_path / "c", documents=2, seed=5, words=(30, 50), witnesses=(2, 3))
    report_corpus(tmp_path / "c", tmp_path / "out", execution=SERIAL)
    headers = [th.text_content().strip() for th in html.parse(str(tmp_path / "out" / "index.html")).getroot().xpath("//table[@id='documents']//th")]
    assert "Families" not in headers and "Coverage" not in headers and "Similarity" in headers


def test_the_outcome_a_worker_sends_back_is_small_whatever_the_documents_size(tmp_path: Path) -> None:
    text = base_text(2000, seed=1)
    folder = tmp_path / "big"
    folder.mkdir()
    for i, siglum in enumerate("ABCD"):
        (folder / f"{siglum}.txt").write_text(noisy_copy(text, seed=i, rate=0.05).text if i else text, encoding="utf-8")
    outcome = run_report_job(ReportJob("big", str(folder), ("A.txt", "B.txt", "C.txt", "D.txt"), (), str(tmp_path / "out")))
    assert outcome.status is Status.DONE
    assert len(pickle.dumps(outcome)) < 2_000 < (tmp_path / "out" / "collation.json").stat().st_size // 10


# ---------------------------------------------------------------- incremental runs


def test_a_second_run_redoes_only_what_changed_and_force_redoes_all(corpus: Path, tmp_path: Path) -> None:
    src = tmp_path / "c"
    shutil.copytree(corpus, src)
    out = tmp_path / "out"
    report_corpus(src, out, execution=SERIAL, max_bytes=LIMIT)
    first = files_of(out)
    again = report_corpus(src, out, execution=SERIAL, max_bytes=LIMIT)
    assert (again.done, again.skipped, len(again.failed)) == (0, 7, len(BROKEN))
    assert files_of(out) == first
    with open(src / "doc0001" / "B.txt", "a", encoding="utf-8") as fh:
        fh.write(" and one more word.\n")
    (src / "doc0003" / "A.toml").write_text('title = "a title now"\n', encoding="utf-8")
    (out / "doc0005" / "apparatus.xml").unlink()
    changed = report_corpus(src, out, execution=SERIAL, max_bytes=LIMIT)
    assert (changed.done, changed.skipped) == (3, 4)
    fresh = tmp_path / "fresh"
    report_corpus(src, fresh, execution=SERIAL, max_bytes=LIMIT)
    assert files_of(out) == files_of(fresh)
    forced = report_corpus(src, out, execution=SERIAL, max_bytes=LIMIT, force=True)
    assert (forced.done, forced.skipped) == (7, 0)
    other = report_corpus(src, out, execution=SERIAL, max_bytes=LIMIT, normalize="case")
    assert other.done == 7 and "options changed" in other.note


def test_a_document_that_goes_bad_loses_its_stale_report_and_is_retried_once_fixed(tmp_path: Path) -> None:
    write_corpus(tmp_path / "c", documents=2, seed=2, words=(30, 50), witnesses=(2, 2))
    out = tmp_path / "out"
    report_corpus(tmp_path / "c", out, execution=SERIAL)
    good = (tmp_path / "c" / "doc0001" / "B.txt").read_bytes()
    (tmp_path / "c" / "doc0001" / "B.txt").write_bytes(b"\xff\xfe")
    bad = report_corpus(tmp_path / "c", out, execution=SERIAL)
    assert [p.document for p in bad.failed] == ["doc0001"] and not (out / "doc0001" / "index.html").exists()
    (tmp_path / "c" / "doc0001" / "B.txt").write_bytes(good)
    fixed = report_corpus(tmp_path / "c", out, execution=SERIAL)
    assert (fixed.done, fixed.skipped, fixed.failed) == (1, 1, ())


def test_the_log_has_a_line_per_document_and_times_only_there(corpus: Path, tmp_path: Path) -> None:
    log = tmp_path / "run.jsonl"
    report_corpus(corpus, tmp_path / "out", execution=SERIAL, max_bytes=LIMIT, log=log)
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert events[0]["event"] == "start" and events[-1]["event"] == "end"
    docs = {e["document"]: e for e in events if e["event"] == "document"}
    assert len(docs) == 7 + len(BROKEN)
    assert (events[-1]["done"], events[-1]["skipped"], events[-1]["failed"]) == (7, 0, len(BROKEN))
    assert all("time" in e and "seconds" in e for e in docs.values())
    assert docs["broken-empty"]["status"] == "failed" and "empty file" in docs["broken-empty"]["error"]
    start = events[0]["time"][:16]
    assert not any(start.encode() in blob for blob in files_of(tmp_path / "out").values())


def test_progress_is_a_line_redrawn_on_stderr_ending_with_all_documents_done(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_corpus(tmp_path / "c", documents=3, seed=8, words=(30, 40), witnesses=(2, 2))
    report_corpus(tmp_path / "c", tmp_path / "out", execution=SERIAL, progress=True)
    err = capsys.readouterr().err
    assert err.endswith("\n") and "\r\033[K" in err
    final = err.rstrip("\n").split("\r\033[K")[-1]
    assert final.startswith("3/3 documents · ") and final.endswith("/s")


def test_a_corpus_behind_an_fsspec_url_gives_the_same_files(corpus: Path, reported: tuple[Path, Any], tmp_path: Path) -> None:
    pytest.importorskip("fsspec")
    out = tmp_path / "via-url"
    run = report_corpus(corpus.as_uri(), out.as_uri(), execution=SERIAL, max_bytes=LIMIT)
    assert len(run.documents) == 7
    assert files_of(out) == files_of(reported[0])


# ---------------------------------------------------------------- corpus check


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    write_check_corpus(root, pages=12, seed=4, words=(40, 120))
    return root


def test_check_writes_each_pair_lists_unpaired_files_and_isolates_the_bad_page(pages: Path, tmp_path: Path) -> None:
    run = check_corpus(pages / "gt", pages / "ocr", tmp_path / "out", execution=SERIAL)
    assert len(run.documents) == 12 and run.names == ("gt", "ocr")
    assert run.unpaired_references == ("extra/only-reference.txt",) and run.unpaired_witnesses == ("extra/only-ocr.txt",)
    assert [(p.document, "binary file" in p.error) for p in run.failed] == [("vol0/bad", True)]
    assert (tmp_path / "out" / "vol1" / "p011" / "index.html").is_file()
    page = html.parse(str(tmp_path / "out" / "index.html")).getroot()
    assert [li.text_content() for li in page.xpath("//section[@id='unpaired-references']//li")] == ["extra/only-reference.txt"]
    assert [li.text_content() for li in page.xpath("//section[@id='unpaired-witnesses']//li")] == ["extra/only-ocr.txt"]


def test_check_pairs_ground_truth_and_ocr_in_any_format_and_agrees_with_collate_check(tmp_path: Path) -> None:
    """Real tesseract output (ALTO, hOCR) against ground truth in PAGE and plain text, paired by stem."""
    from collate.witnessfile import read_witness as read_file

    tess = Path(__file__).parent / "data" / "readers" / "tesseract"
    (tmp_path / "gt" / "v").mkdir(parents=True)
    (tmp_path / "ocr" / "v").mkdir(parents=True)
    shutil.copy(tess / "web.source.txt", tmp_path / "gt" / "v" / "a.txt")
    shutil.copy(tess / "web.alto.xml", tmp_path / "ocr" / "v" / "a.alto.xml")
    shutil.copy(tess / "web-p1.gt.page.xml", tmp_path / "gt" / "v" / "b.page.xml")
    shutil.copy(tess / "web.hocr", tmp_path / "ocr" / "v" / "b.hocr")
    run = check_corpus(tmp_path / "gt", tmp_path / "ocr", tmp_path / "out", execution=SERIAL)
    assert not run.failed and not run.unpaired_references and not run.unpaired_witnesses
    assert [(s.document, s.reference, s.witness) for s in run.documents] == [
        ("v/a", "v/a.txt", "v/a.alto.xml"), ("v/b", "v/b.page.xml", "v/b.hocr")]
    for s in run.documents:  # the figures collate check gives on the same two files
        alone = check(read_file(tmp_path / "ocr" / s.witness), read_file(tmp_path / "gt" / s.reference))
        assert s.cer == alone.cer and s.wer == alone.wer
    assert run.documents[1].cer > 0.3  # page 2 of the hOCR has no counterpart in page 1's ground truth


def test_pooled_rates_are_all_errors_over_all_reference_characters_and_each_page_matches_collate_check(
    pages: Path, tmp_path: Path
) -> None:
    run = check_corpus(pages / "gt", pages / "ocr", tmp_path / "out", execution=SERIAL)
    errors = length = werrors = wlength = 0
    for s in run.documents:
        # as collate check and dinglehopper read plain files: lines stripped, no final line break
        ref = plain_text((pages / "gt" / s.reference).read_text(encoding="utf-8"))
        ocr = plain_text((pages / "ocr" / s.witness).read_text(encoding="utf-8"))
        e, n = char_errors(ref, ocr)
        we, wn = word_errors(ref, ocr)
        assert (s.char_errors, s.characters, s.word_errors, s.words) == (e, n, we, wn)
        assert s.cer == check(ocr, ref).cer
        errors, length, werrors, wlength = errors + e, length + n, werrors + we, wlength + wn
    t = run.totals
    assert t.cer == errors / length and t.wer == werrors / wlength
    assert t.mean_cer == pytest.approx(sum(s.cer for s in run.documents) / 12, rel=1e-12)
    data = json.loads((tmp_path / "out" / "corpus.json").read_text(encoding="utf-8"))
    assert data["totals"]["cer"] == t.cer and data["totals"]["char_errors"] == errors
    assert data["worst"][0] == max(run.documents, key=lambda s: s.cer).document


def test_the_check_threshold_applies_to_the_pooled_figure(tmp_path: Path) -> None:
    from collate.cli import main

    write_check_corpus(tmp_path, pages=6, seed=9, words=(40, 80), broken=False)
    run = check_corpus(tmp_path / "gt", tmp_path / "ocr", tmp_path / "probe", execution=SERIAL)
    pooled, worst_page = run.totals.cer, max(s.cer for s in run.documents)
    assert pooled < worst_page
    between = str((pooled + worst_page) / 2)
    args = ["corpus", "check", str(tmp_path / "gt"), str(tmp_path / "ocr"), "--out", str(tmp_path / "o"), "--workers", "1"]
    assert main([*args, "--max-cer", between]) == 0
    assert main([*args, "--max-cer", str(pooled * 0.9)]) == 1


# ---------------------------------------------------------------- the command


def test_the_command_exits_1_when_some_documents_failed_and_says_which(corpus: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "collate", "corpus", "report", str(corpus), "--out", str(tmp_path / "o"),
         "--workers", "1", "--max-bytes", str(LIMIT)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    assert f"{7 + len(BROKEN)} documents: 7 done" in proc.stdout
    assert "failed: broken-empty: broken-empty/B.txt: empty file" in proc.stdout
    assert "documents ·" not in proc.stderr  # no progress line when stderr is not a terminal


def test_the_command_refuses_bad_input_in_one_line_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from collate.cli import main

    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "A.txt").write_text("the Eastern front", encoding="utf-8")
    (tmp_path / "store" / "B.txt").write_text("the Easter front", encoding="utf-8")
    out = str(tmp_path / "o")
    assert main(["corpus", "report", str(tmp_path), "--out", out, "--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"]) == 2
    assert main(["corpus", "report", str(tmp_path / "nowhere"), "--out", out]) == 2
    assert main(["corpus", "report", str(tmp_path / "store"), "--out", out]) == 2
    assert main(["corpus", "check", str(tmp_path / "store"), str(tmp_path), "--out", out]) == 2
    assert main(["corpus", "check", str(tmp_path / "store"), str(tmp_path / "store") + "/", "--out", out]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("collate: give --workers or --scheduler") and err[1].endswith("nowhere: no such folder")
    assert "no documents" in err[2] and "2 transcriptions at the top belong to no document folder" in err[2]
    assert "no transcription pairs" in err[3] and "against themselves" in err[4] and len(err) == 5
    assert not (tmp_path / "o").exists()


# ---------------------------------------------------------------- in a browser


def test_the_index_sorts_by_any_column_in_a_browser(page: Any, reported: tuple[Path, Any]) -> None:
    out, run = reported
    page.goto((out / "index.html").as_uri())
    page.wait_for_selector("html[data-ready='1']")
    assert page.locator("#sort-hint").is_visible()
    headers = page.locator("#documents thead th")
    labels = [headers.nth(i).inner_text().strip(" ↕↑↓") for i in range(headers.count())]
    column = labels.index("Locations")

    def values() -> list[int]:
        cells = page.locator(f"#documents tbody tr td:nth-child({column + 1})")
        return [int(cells.nth(i).inner_text().replace(",", "")) for i in range(cells.count())]

    assert values() == [s.locations for s in run.documents]  # document order before any sorting
    headers.nth(column).locator("button").click()
    assert values() == sorted(values(), reverse=True) and headers.nth(column).get_attribute("aria-sort") == "descending"
    headers.nth(column).locator("button").click()
    assert values() == sorted(values()) and headers.nth(column).get_attribute("aria-sort") == "ascending"
    headers.nth(0).locator("button").click()
    names = page.locator("#documents tbody tr td:first-child a")
    assert [names.nth(i).inner_text() for i in range(names.count())] == [s.document for s in run.documents]
    assert headers.nth(column).get_attribute("aria-sort") is None
