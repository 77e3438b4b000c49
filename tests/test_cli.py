"""The command line, called directly and through the real ``collate`` process."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from collate.cli import main

ROOT = Path(__file__).parent.parent
STORE = ROOT / "witnesses"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "collate", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("collate: ")
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture()
def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "missing": tmp_path / "missing.txt",
        "empty": tmp_path / "empty.txt",
        "undecodable": tmp_path / "latin1.txt",
        "binary": tmp_path / "scan.txt",
        "directory": tmp_path / "folder.txt",
    }
    files["empty"].write_bytes(b"")
    files["undecodable"].write_bytes("Communiqu\xe9".encode("latin-1"))
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    files["directory"].mkdir()
    return files


@pytest.mark.parametrize(
    ("kind", "message"),
    [("missing", "no such file"), ("empty", "empty file"), ("undecodable", "not UTF-8"), ("binary", "binary"), ("directory", "directory")],
)
def test_bad_input_is_one_line_naming_the_file(bad_files: dict[str, Path], kind: str, message: str) -> None:
    proc = run("align", str(bad_files[kind]), "web")
    assert_one_line_error(proc, str(bad_files[kind]), message)
    assert proc.stdout == ""


def test_align_writes_collatex_json_to_stdout() -> None:
    proc = run("align", "web", "frus")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["witnesses"] == ["web", "frus"]


def test_align_plain_files_take_their_stem_as_siglum(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("the Easter front", encoding="utf-8")
    (tmp_path / "b.txt").write_text("the Eastern front", encoding="utf-8")
    proc = run("align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--format", "table")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[0].split() == ["a", "b"]
    assert "* Easter" in proc.stdout


def test_align_tei_and_engine_collatex(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["align", "web", "frus", "--format", "tei", "--base", "frus", "--witnesses", str(STORE), "-q"]) == 0
    assert "<app>" in capsys.readouterr().out
    assert main(["align", "frus", "corr1957", "--engine", "collatex", "--format", "table", "--witnesses", str(STORE), "-q"]) == 0
    assert "Eastern" in capsys.readouterr().out


def test_one_witness_is_not_a_collation() -> None:
    assert_one_line_error(run("align", "web"), "at least two")


def test_unknown_siglum_is_named() -> None:
    assert_one_line_error(run("align", "web", "nosuch"), "nosuch")


def test_report_writes_three_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run("report", "--base", "frus", "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["apparatus.xml", "collation.json", "index.html"]
    data = json.loads((out / "collation.json").read_text(encoding="utf-8"))
    assert data["sigla"] == ["frus", "web", "corr1957"]  # family by family, frus's first


def test_failed_report_writes_nothing(tmp_path: Path, bad_files: dict[str, Path]) -> None:
    out = tmp_path / "out"
    assert_one_line_error(run("report", "web", str(bad_files["undecodable"]), "--out", str(out)))
    assert_one_line_error(run("report", "--base", "nosuch", "--out", str(out)), "nosuch", "not one of the witnesses")
    assert not out.exists()


def test_add_then_verify_then_tamper(tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(STORE, store)
    new = tmp_path / "copy.txt"
    new.write_bytes((STORE / "frus.txt").read_bytes().replace(b"Eastern", b"Easter"))
    proc = run("add", str(new), "--siglum", "frus2", "--title", "A copy", "--fragment", "--witnesses", str(store))
    assert proc.returncode == 0, proc.stderr
    assert "closest witness: frus" in proc.stdout
    assert (store / "frus2.txt").read_bytes() == new.read_bytes()
    assert run("verify", "--witnesses", str(store)).returncode == 0
    assert_one_line_error(run("add", str(new), "--siglum", "frus2", "--witnesses", str(store)), "frus2")
    (store / "web.txt").write_bytes((store / "web.txt").read_bytes() + b" ")
    proc = run("verify", "--witnesses", str(store))
    assert proc.returncode == 1 and "web.txt" in proc.stdout


def test_add_refuses_bad_input_and_leaves_the_store_alone(tmp_path: Path, bad_files: dict[str, Path]) -> None:
    store = tmp_path / "store"
    shutil.copytree(STORE, store)
    def snapshot() -> dict[str, bytes]:
        return {str(p.relative_to(store)): p.read_bytes() for p in store.rglob("*") if p.is_file()}

    before = snapshot()
    for path in bad_files.values():
        assert_one_line_error(run("add", str(path), "--siglum", "x", "--witnesses", str(store)))
    assert_one_line_error(run("add", str(STORE / "web.txt"), "--siglum", "../evil", "--witnesses", str(store)))
    assert snapshot() == before


def test_list_shows_the_store() -> None:
    proc = run("list")
    assert proc.returncode == 0
    assert [line.split()[0] for line in proc.stdout.splitlines()] == ["corr1957", "frus", "web"]


def test_check_summarises_and_gates_on_thresholds(tmp_path: Path) -> None:
    proc = run("check", "web", "--against", "frus", "--json", str(tmp_path / "c.json"), "--html", str(tmp_path / "c.html"))
    assert proc.returncode == 0, proc.stderr
    assert "CER" in proc.stdout and "WER" in proc.stdout
    data = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert data["cer"] > 0 and data["errors"]
    assert (tmp_path / "c.html").stat().st_size > 1000
    strict = run("check", "web", "--against", "frus", "--max-cer", "0.001")
    assert strict.returncode == 1 and "CER" in strict.stderr
    loose = run("check", "web", "--against", "frus", "--max-cer", "0.9", "--max-wer", "0.9")
    assert loose.returncode == 0


def test_check_json_to_stdout_is_pure_json() -> None:
    proc = run("check", "web", "--against", "frus", "--json", "-")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["reference"]


def test_check_bad_input_exits_2(bad_files: dict[str, Path]) -> None:
    assert_one_line_error(run("check", str(bad_files["empty"]), "--against", "frus"), "empty")
    assert_one_line_error(run("check", "web", "--against", "web"), "itself")


def test_same_stem_in_two_folders_can_be_checked(tmp_path: Path) -> None:
    (tmp_path / "gt").mkdir()
    (tmp_path / "ocr").mkdir()
    (tmp_path / "gt" / "page.txt").write_text("the Eastern front in 1942", encoding="utf-8")
    (tmp_path / "ocr" / "page.txt").write_text("the Easter front in 192", encoding="utf-8")
    proc = run("check", str(tmp_path / "ocr" / "page.txt"), "--against", str(tmp_path / "gt" / "page.txt"))
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("command", ["align", "report", "check", "add", "verify", "list"])
def test_every_command_has_help(command: str) -> None:
    proc = run(command, "--help")
    assert proc.returncode == 0 and "usage: collate " + command in proc.stdout


# --- thresholds ---------------------------------------------------------------------


@pytest.mark.parametrize(("fraction", "percent"), [("0.01", "1%"), ("0.0461", "4.61%"), ("1", "100%"), ("0", "0%")])
def test_a_threshold_means_the_same_as_a_fraction_or_a_percentage(
    fraction: str, percent: str, capsys: pytest.CaptureFixture[str]
) -> None:
    results = []
    for value in (fraction, percent):
        code = main(["check", "web", "--against", "frus", "--witnesses", str(STORE), "--max-cer", value, "-q"])
        results.append((code, capsys.readouterr().err))
    assert results[0] == results[1]


def test_a_failed_threshold_is_reported_in_percent_like_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "web", "--against", "frus", "--witnesses", str(STORE), "--max-cer", "1%", "--max-wer", "0.05"]) == 1
    out, err = capsys.readouterr()
    assert "CER 4.61% of 1,821 characters, WER 8.71% of 333 words" in out
    assert err == "collate: web fails the threshold: CER 4.61% > 1.00% (--max-cer); WER 8.71% > 5.00% (--max-wer)\n"


@pytest.mark.parametrize(
    ("value", "why"),
    [("nan", "not a finite number"), ("inf", "not a finite number"), ("-0.1", "negative"), ("-1%", "negative"),
     ("2", "over 1"), ("150%", "over 100%"), ("lots", "not a number"), ("", "not a number")],
)  # fmt: skip
def test_a_threshold_that_is_not_a_finite_fraction_is_refused_in_one_line(value: str, why: str) -> None:
    proc = run("check", "web", "--against", "frus", f"--max-wer={value}")  # "=": argparse takes "-1%" for an option
    assert_one_line_error(proc, f"argument --max-wer: {value!r} is {why}", "give a fraction (0.02) or a percentage (2%)")
    assert proc.stdout == ""


# --- one line for everything --------------------------------------------------------


def test_usage_errors_are_one_line() -> None:
    assert_one_line_error(run("check", "web"), "the following arguments are required: --against", "collate check --help")
    assert_one_line_error(run("frobnicate"), "invalid choice: 'frobnicate'")


def test_align_tei_with_an_unknown_base_is_one_line() -> None:
    assert_one_line_error(run("align", "web", "frus", "--format", "tei", "--base", "nosuch"), "the base 'nosuch' is not one of the witnesses")


def test_an_unexpected_error_is_one_line_with_a_hint_and_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import collate.align

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("a bug\nover two lines")

    monkeypatch.setattr(collate.align, "align", broken)
    argv = ["align", "web", "frus", "--witnesses", str(STORE)]
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert err == (
        "collate: internal error (ValueError: a bug over two lines); nothing written. "
        "This is a bug: please report it (--debug shows the traceback)\n"
    )
    assert main([*argv, "--debug"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):") and "ValueError: a bug" in err
    assert err.splitlines()[-1].startswith("collate: internal error (ValueError")
    assert main(["--debug", *argv]) == 3 and "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("exc", "line"),
    [(MemoryError(), "collate: out of memory: the input is too large for this machine"),
     (RecursionError("maximum recursion depth exceeded"), "collate: the input is nested too deeply to process")],
)  # fmt: skip
def test_memory_and_recursion_errors_are_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], exc: BaseException, line: str
) -> None:
    import collate.align

    def fails(*args: object, **kwargs: object) -> None:
        raise exc

    monkeypatch.setattr(collate.align, "align", fails)
    assert main(["align", "web", "frus", "--witnesses", str(STORE)]) == 2
    (printed,) = capsys.readouterr().err.splitlines()
    assert printed.startswith(line)


# --- outputs ------------------------------------------------------------------------


def test_check_html_to_stdout_keeps_the_summary_on_stderr() -> None:
    proc = run("check", "web", "--against", "frus", "--html", "-")
    assert proc.returncode == 0
    assert proc.stdout.startswith("<!DOCTYPE html>") and "CER 4.61%" in proc.stderr


def test_report_refuses_to_write_into_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(STORE, store)
    assert_one_line_error(run("report", "--witnesses", str(store), "--out", str(store)), "is inside the witness store")
    assert not (store / "index.html").exists()


def test_allow_modified_uses_a_changed_witness_and_says_so(tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(STORE, store)
    (store / "web.txt").write_bytes((store / "web.txt").read_bytes().replace(b"Easter ", b"Eastern ", 1))
    for argv in (["align", "web", "frus"], ["check", "web", "--against", "frus"], ["report", "--out", str(tmp_path / "r")]):
        assert_one_line_error(run(*argv, "--witnesses", str(store), "-q"), "web.txt: text changed since it was stored", "collate verify", "--allow-modified")
        proc = run(*argv, "--witnesses", str(store), "-q", "--allow-modified")
        assert proc.returncode == 0, proc.stderr
        assert proc.stderr.strip() == f"collate: {store / 'web.txt'}: using a text modified since it was stored (its sha256 does not match)"
    listed = run("list", "--witnesses", str(store))
    assert listed.returncode == 0 and "[modified since stored: see collate verify]" in listed.stdout


# --- terminal safety -------------------------------------------------------------------

OSC52 = "\x1b]52;c;ZXZpbA==\x07"


def test_list_add_verify_and_errors_never_print_control_characters(tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(STORE, store)
    src = tmp_path / f"evil{OSC52}.txt"
    src.write_text(f"the {OSC52} front\x9b2J\n", encoding="utf-8")
    added = run("add", str(src), "--siglum", "evil", "--title", f"title {OSC52}\x1b[2J", "--witnesses", str(store))
    assert added.returncode == 0, added.stderr
    listed = run("list", "--witnesses", str(store))
    (store / "web.txt").write_bytes(b"changed\n")
    (store / f"{OSC52}.toml").write_text("x")
    verified = run("verify", "--witnesses", str(store))
    failed = run("align", str(src), "nosuch\x1b[31m", "--witnesses", str(store))
    table = run("align", str(src), "web", "--format", "table", "--allow-modified", "--witnesses", str(store))
    for proc in (added, listed, verified, failed, table):
        printed = proc.stdout + proc.stderr
        assert not any(c in printed for c in "\x1b\x07\x9b"), printed
    assert "title ␛]52;c;ZXZpbA==␇␛[2J" in listed.stdout
    assert "␛]52;c;ZXZpbA==␇.toml" in verified.stdout
    assert "nosuch␛[31m" in failed.stderr and failed.returncode == 2
    assert "␛" in table.stdout and len(table.stdout.splitlines()) > 3


def test_report_base_order_and_coverage_reach_the_json(tmp_path: Path) -> None:
    out = tmp_path / "r"
    proc = run("report", "--base", "frus,web", "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    data = json.loads((out / "collation.json").read_text(encoding="utf-8"))
    assert data["base"]["order"] == ["frus", "web"]  # corr1957, another translation, never serves
    assert "where its text is lost, web" in data["base"]["rule"]
    frus, web = data["witnesses"]["frus"], data["witnesses"]["web"]
    assert web["coverage"] == [[0, len((STORE / "web.txt").read_text(encoding="utf-8"))]] and web["lacunae"] == []
    (lost,) = frus["lacunae"]
    assert frus["reference"] == "web" and frus["coverage"] == [[0, lost["stands_for"][0] - 1]]
    assert lost["origin"] == "stated" and lost["at"] == len((STORE / "frus.txt").read_text(encoding="utf-8"))
    # where frus is lost, web (the next in the order) is the lemma, never corr1957's other translation
    after = [v for v in data["variants"] if v["classes"].get("frus") == "lacuna" and v["readings"]["web"]]
    assert after and {v["base"] for v in after} == {"web"}


def test_check_measures_only_what_a_quotation_covers(tmp_path: Path) -> None:
    quote = tmp_path / "quote.txt"
    quote.write_text("... As is well known <...> the organisation of a second front in Europe had as its object "
                     "the withdrawal of German forces ...\n", encoding="utf-8")
    proc = run("check", str(quote), "--against", "frus", "--json", "-")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [e["class"] for e in data["errors"]] == ["orthographic"]
    assert data["compared"]["coverage"]["words"] == 21 and data["whole_text"]["cer"] > 0.9
    assert "over part of paragraph 2 and part of paragraph 3: 21 of 329 words" in proc.stderr
    as_text = run("check", str(quote), "--against", "frus", "--no-gap-marks", "--json", "-")
    assert json.loads(as_text.stdout)["compared"]["coverage"] is None  # '...' read as text: the whole of frus counts


# --- witnesses in any format (issue 10) ----------------------------------------------------

READERS = ROOT / "tests/data/readers"
TESS = READERS / "tesseract"
TEI_NS = "http://www.tei-c.org/ns/1.0"
BOMB = (b"<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>"
        + b"".join(b"<!ENTITY lol%d '%s'>" % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10) for i in range(1, 10))
        + b"]><TEI xmlns='http://www.tei-c.org/ns/1.0'><text><body><p>&lol9;</p></body></text></TEI>")
BAD_SOURCES = {
    "malformed.xml": (f"<?xml version='1.0'?>\n<TEI xmlns='{TEI_NS}'>\n<text><p></text></TEI>".encode(),
                      "malformed XML at line 3, column 17"),
    "bomb.xml": (BOMB, "XML entity expansion refused"),
    "xxe.xml": (f"<?xml version='1.0'?><!DOCTYPE TEI [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                f"<TEI xmlns='{TEI_NS}'><text><body><p>&x;</p></body></text></TEI>".encode(), "external entity 'x'"),
    "odd.xml": (b"<?xml version='1.0'?><alto xmlns='http://example.org/not-alto'><Layout/></alto>",
                "unknown XML document: root element {http://example.org/not-alto}alto"),
    "empty.alto.xml": (b"<alto xmlns='http://www.loc.gov/standards/alto/ns-v4#'><Layout><Page ID='p'><PrintSpace>"
                       b"<TextBlock><TextLine><String CONTENT=''/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>",
                       "empty page"),
    "notext.xml": (f"<TEI xmlns='{TEI_NS}'><teiHeader/></TEI>".encode(), "TEI document without a <text> element"),
}


@pytest.mark.parametrize("name", sorted(BAD_SOURCES))
def test_bad_sources_through_add_are_one_line_and_leave_the_store_alone(tmp_path: Path, name: str) -> None:
    data, message = BAD_SOURCES[name]
    (tmp_path / name).write_bytes(data)
    store = tmp_path / "store"
    shutil.copytree(STORE, store)
    before = {p.name: p.read_bytes() for p in store.iterdir() if p.is_file()}
    proc = run("add", str(tmp_path / name), "--siglum", "bad", "--witnesses", str(store))
    assert_one_line_error(proc, str(tmp_path / name), message)
    assert proc.stdout == ""
    assert {p.name: p.read_bytes() for p in store.iterdir() if p.is_file() and p.name != ".collate.lock"} == {
        k: v for k, v in before.items() if k != ".collate.lock"}
    fresh = tmp_path / "fresh"
    assert_one_line_error(run("add", str(tmp_path / name), "--siglum", "bad", "--witnesses", str(fresh)), message)
    assert not fresh.exists()


@pytest.mark.parametrize("name", sorted(BAD_SOURCES))
def test_bad_sources_through_check_are_one_line(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    data, message = BAD_SOURCES[name]
    (tmp_path / name).write_bytes(data)
    out = tmp_path / "out.json"
    assert main(["check", str(tmp_path / name), "--against", "web", "--json", str(out), "--witnesses", str(STORE)]) == 2
    err = capsys.readouterr().err.strip().split("\n")
    assert len(err) == 1 and err[0].startswith(f"collate: {tmp_path / name}: ") and message in err[0]
    assert not out.exists()


# (file read by its reader, the same reading text as a plain file)
SAME_TEXT = {
    "tei": (READERS / "tei/web.tei.xml", (STORE / "web.txt").read_text(encoding="utf-8")),
    "alto": (TESS / "web.alto.xml", None),
    "hocr": (TESS / "web.hocr", None),
    "page": (TESS / "web-p2.gt.page.xml", (TESS / "web.source.txt").read_text(encoding="utf-8").split("\f")[1].strip("\n")),
    "markdown": (STORE / "seed/aide-memoire-web-transcription.md", None),
}


@pytest.mark.parametrize("fmt", sorted(SAME_TEXT))
def test_cer_and_wer_through_each_reader_equal_those_of_the_same_text_as_plain_text(
    tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source, plain_text = SAME_TEXT[fmt]
    if plain_text is None and fmt in ("alto", "hocr"):  # tesseract's own txt rendering of the same pages
        raw = (TESS / "web.txt").read_text(encoding="utf-8")
        plain_text = "\n".join(line for line in raw.replace("\f", "").split("\n") if line)
    elif plain_text is None:  # the seed page: its title, then web.txt
        title = "Memo from Joseph Stalin about Opening of Second Front during World War II, August 13, 1942"
        plain_text = f"{title}\n\n" + (STORE / "web.txt").read_text(encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text(plain_text, encoding="utf-8")
    results = []
    for witness in (source, plain):
        for reference in ("frus", str(TESS / "web.source.txt")):
            assert main(["check", str(witness), "--against", reference, "--json", "-", "--witnesses", str(STORE), "-q"]) == 0
            data = json.loads(capsys.readouterr().out)
            results.append((data["cer"], data["wer"], data["reference_characters"]))
    for (cer_a, wer_a, n_a), (cer_b, wer_b, n_b) in ((results[0], results[2]), (results[1], results[3])):
        assert abs(cer_a - cer_b) <= 1e-9 and abs(wer_a - wer_b) <= 1e-9 and n_a == n_b
    assert results[0][0] > 0  # a real comparison, not two empty texts


def test_check_of_alto_against_page_gives_positions_on_both_sides(tmp_path: Path) -> None:
    shutil.copyfile(TESS / "web.alto.xml", tmp_path / "page.alto.xml")
    shutil.copyfile(TESS / "web-p2.gt.page.xml", tmp_path / "gt.page.xml")
    proc = run("check", "page.alto.xml", "--against", "gt.page.xml", "--json", "-", "--list-errors", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["witness"], data["reference"]) == ("page", "gt")
    reisf = next(e for e in data["errors"] if e["witness"] == "reisf")
    assert {k: reisf["witness_at"][k] for k in ("page", "line", "column", "id", "confidence")} == {
        "page": 2, "line": 3, "column": 79, "id": "string_49", "confidence": 0.21}
    assert {k: reisf["reference_at"][k] for k in ("page", "line", "column", "id", "confidence")} == {
        "page": 1, "line": 3, "column": 79, "id": "p2_r1_l0", "confidence": 0.9}
    assert "  p. 2, l. 3, col. 79: reisf \u2192 relief (typo, confidence 0.21)" in proc.stderr.split("\n")


def test_add_a_tei_edition_verify_it_and_tamper_with_its_source(tmp_path: Path) -> None:
    store = tmp_path / "store"
    proc = run("add", str(READERS / "tei/web.tei.xml"), "--siglum", "ed", "--tei-choice", "editorial", "--witnesses", str(store))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("stored ed: ") and "(read as TEI; the source is kept as ed.source.xml)" in proc.stdout
    assert "Mister Churchill" in (store / "ed.txt").read_text(encoding="utf-8")
    proc = run("verify", "--witnesses", str(store))
    assert proc.returncode == 0 and "every stored source gives its text again" in proc.stdout
    source = store / "ed.source.xml"
    source.write_bytes(source.read_bytes().replace(b"<corr>Eastern</corr>", b"<corr>Western</corr>"))
    proc = run("verify", "--witnesses", str(store))
    assert proc.returncode == 1 and f"{source}: source changed since it was stored" in proc.stdout
    assert_one_line_error(run("check", "ed", "--against", str(STORE / "frus.txt"), "--witnesses", str(store)),
                          "source changed since it was stored", "--allow-modified")


def test_report_and_align_take_files_in_any_format(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run("report", str(READERS / "tei/web.tei.xml"), str(STORE / "seed/aide-memoire-web-transcription.md"),
               "frus", "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    assert json.loads((out / "collation.json").read_text())["sigla"][:2] == ["web", "aide-memoire-web-transcription"]
    assert_one_line_error(run("align", str(TESS / "web.hocr"), str(TESS / "web.alto.xml")), "two witnesses share the siglum 'web'")
    shutil.copyfile(TESS / "web.alto.xml", tmp_path / "p1.alto.xml")
    proc = run("align", str(TESS / "web.hocr"), str(tmp_path / "p1.alto.xml"), "--format", "table", "-q")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[0].split() == ["web", "p1"] and "reisf" in proc.stdout


def test_a_modified_witness_is_refused_or_used_with_a_warning_on_the_page(tmp_path: Path) -> None:
    from lxml import html

    store = tmp_path / "w"
    shutil.copytree(STORE, store)
    (store / "web.txt").write_text((STORE / "web.txt").read_text(encoding="utf-8") + "changed\n", encoding="utf-8")
    refused = run("report", "--witnesses", str(store), "--out", str(tmp_path / "r"))
    assert_one_line_error(refused, "web.txt", "collate verify", "--allow-modified")
    assert not (tmp_path / "r").exists()
    proc = run("report", "--witnesses", str(store), "--out", str(tmp_path / "r"), "--allow-modified", "-q")
    assert proc.returncode == 0, proc.stderr
    banner = html.fromstring((tmp_path / "r" / "index.html").read_bytes()).get_element_by_id("trust")
    assert "web" in banner.text_content() and "collate verify" in banner.text_content()
    checked = run("check", "web", "--against", "frus", "--witnesses", str(store), "--allow-modified",
                  "--html", str(tmp_path / "c.html"), "-q")
    assert checked.returncode == 0, checked.stderr
    assert "modified" in html.fromstring((tmp_path / "c.html").read_bytes()).text_content()


def test_progress_shows_on_a_terminal_and_never_on_a_pipe(tmp_path: Path) -> None:
    import os
    import pty

    piped = run("align", "web", "frus", "corr1957")
    assert piped.returncode == 0 and piped.stderr == ""
    pid, fd = pty.fork()
    if pid == 0:  # the child: stdout to a file, stderr to the terminal
        out = os.open(str(tmp_path / "out.json"), os.O_WRONLY | os.O_CREAT)
        os.dup2(out, 1)
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "collate", "align", "web", "frus", "corr1957"])
    seen = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.waitpid(pid, 0)
    text = seen.decode("utf-8", "replace")
    assert "aligning 3 witnesses" in text and "aligning witnesses: 2/2 (100 %)" in text
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["witnesses"] == ["web", "frus", "corr1957"]


# --- check: the corrections to make, and quiet -----------------------------------------


def test_check_writes_the_corrections_as_text_csv_or_tsv_by_the_paths_extension(tmp_path: Path) -> None:
    import csv

    paths = {name: tmp_path / name for name in ("fixes.txt", "fixes.csv", "fixes.tsv", "fixes")}
    for path in paths.values():
        proc = run("check", "web", "--against", "frus", "--corrections", str(path), "-q")
        assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == "", proc.stderr
    text = paths["fixes.txt"].read_text(encoding="utf-8")
    assert text.splitlines()[:2] == ["l. 1: delete \u2018AIDE-MEMORIE\u2019", "l. 3: August 12th \u2192 the 12th August"]
    assert "l. 7: Easter \u2192 Eastern\n" in text and text.endswith("\n")
    assert paths["fixes"].read_text(encoding="utf-8") == text
    rows = list(csv.reader(paths["fixes.csv"].open(encoding="utf-8", newline="")))
    assert rows[0] == ["page", "line", "column", "witness", "correction", "class"]
    assert ["", "7", "121", "Easter", "Easter \u2192 Eastern", "typo"] in rows
    assert len(rows) - 1 == len(text.splitlines()) == 27
    assert list(csv.reader(paths["fixes.tsv"].open(encoding="utf-8", newline=""), delimiter="\t")) == rows
    data = json.loads(run("check", "web", "--against", "frus", "--json", "-").stdout)
    assert [f"{c['where']}: {c['correction']}" for c in data["corrections"]] == text.splitlines()


def test_check_corrections_onto_an_input_or_into_the_store_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(STORE, store)
    gt, ocr = tmp_path / "gt.txt", tmp_path / "ocr.txt"
    gt.write_text("the Eastern front in 1942\n", encoding="utf-8")
    ocr.write_text("the Easter front in 192\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in (gt, ocr)}
    for target in (gt, ocr):
        proc = run("check", str(ocr), "--against", str(gt), "--corrections", str(target), "--json", str(tmp_path / "c.json"))
        assert_one_line_error(proc, str(target), "is one of this command's inputs")
        assert {p: p.read_bytes() for p in (gt, ocr)} == before and not (tmp_path / "c.json").exists()
    proc = run("check", "web", "--against", "frus", "--witnesses", str(store), "--corrections", str(store / "fixes.csv"))
    assert_one_line_error(proc, "is inside the witness store")
    assert not (store / "fixes.csv").exists()
    assert_one_line_error(run("check", "web", "--against", "frus", "--corrections", "-", "--json", "-"),
                          "--json and --corrections cannot both go to standard output")


def test_check_corrections_to_stdout_are_lines_with_the_summary_on_stderr() -> None:
    proc = run("check", "web", "--against", "frus", "--corrections", "-")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "l. 1: delete \u2018AIDE-MEMORIE\u2019" and len(proc.stdout.splitlines()) == 27
    assert proc.stderr.startswith("web against frus (exact): CER 4.61%")


def test_quiet_check_prints_nothing_within_the_threshold_and_one_line_past_it(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["check", "web", "--against", "frus", "--witnesses", str(STORE)]
    assert main([*base, "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main([*base, "-q", "--max-cer", "1%"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == "collate: web fails the threshold: CER 4.61% > 1.00% (--max-cer)\n"
    # the same percentages as the summary a check without -q prints
    assert main([*base, "--max-cer", "0.01"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("web against frus (exact): CER 4.61% of 1,821 characters") and "l. 7, col. 101: Germany" in out
    assert err == "collate: web fails the threshold: CER 4.61% > 1.00% (--max-cer)\n"
    # quiet keeps what was asked for: the JSON on stdout, and nothing else
    assert main([*base, "-q", "--json", "-"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["cer"] > 0 and err == ""


def test_check_help_says_what_quiet_and_corrections_do() -> None:
    text = " ".join(run("check", "--help").stdout.split())
    assert "-q, --quiet quiet: no summary" in text
    assert "--corrections PATH write the corrections to make" in text and "page,line,column,witness,correction,class" in text


def test_a_gap_mark_of_ones_own_is_a_lacuna_in_report_align_and_check(tmp_path: Path) -> None:
    from collate.cli.parser import GAP_MARKS_HELP
    from collate.tokenize import GAP_MARKS

    assert GAP_MARKS_HELP.split(", ") == list(GAP_MARKS)
    (tmp_path / "a.txt").write_text("the organization of a second front in Europe was postponed\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("the organization of [damaged] in Europe was postponed\n", encoding="utf-8")
    files = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    report = run("report", *files, "--base", "a", "--out", str(tmp_path / "r"), "--gap-mark", "[damaged]", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    variants = json.loads((tmp_path / "r" / "collation.json").read_text(encoding="utf-8"))["variants"]
    assert [(v["readings"], v["classes"]) for v in variants] == [({"a": "a second front", "b": None}, {"b": "lacuna"})]
    check = run("check", files[1], "--against", files[0], "--json", "-", "-q", "--gap-mark", "[damaged]", cwd=tmp_path)
    assert json.loads(check.stdout)["errors"] == [] and check.returncode == 0
    without = run("check", files[1], "--against", files[0], "--json", "-", "-q", cwd=tmp_path)
    assert json.loads(without.stdout)["errors"]  # "[damaged]" is text then
    refused = run("align", *files, "--gap-mark", "damaged", cwd=tmp_path)
    assert refused.returncode == 2 and "begins with a letter or digit" in refused.stderr and "Traceback" not in refused.stderr


def test_no_gap_marks_reads_an_ellipsis_standing_alone_as_text_in_align(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("as follows ... the front\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("as follows the front\n", encoding="utf-8")
    files = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    kinds = {t["kind"] for col in json.loads(run("align", *files, cwd=tmp_path).stdout)["table"][0] for t in col or ()}
    assert "gap" in kinds
    plain = run("align", *files, "--no-gap-marks", cwd=tmp_path)
    assert plain.returncode == 0 and "gap" not in {t["kind"] for col in json.loads(plain.stdout)["table"][0] for t in col or ()}
