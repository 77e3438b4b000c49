"""`collate add` and `collate list` with families and partial witnesses: the library's
decision (`collate.addition`) and the real command."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from collate.addition import plan_addition, say
from collate.model import Completeness, LossOrigin, Witness, WitnessMeta
from collate.sentences import sentences
from collate.store import load_store

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "witnesses"
DATA = Path(__file__).parent / "data"
FRAGMENT = WitnessMeta(completeness=Completeness.FRAGMENT)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "collate", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    for p in STORE.glob("*.t*"):
        shutil.copyfile(p, folder / p.name)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def web_paragraph(k: int) -> str:
    return (STORE / "web.txt").read_text(encoding="utf-8").split("\n\n")[k]


def excerpt() -> str:
    """Web's paragraph 5, with two keying errors, "<...>", and the signature: the issue's
    "paragraph 5 and the closing sentence"."""
    return web_paragraph(4).replace("Soviet command", "Soviet comand").replace("autumn", "autum") + " <...> (Signed) I .STALIN.\n"


# ---------------------------------------------------------------- the decision


def test_a_copy_of_a_paragraph_joins_its_family_and_its_coverage_is_found_before_writing() -> None:
    stored = list(load_store(STORE))
    a = plan_addition(Witness("p5", excerpt(), FRAGMENT), stored)
    assert (a.meta.family, a.proposal.joins, a.partial, a.reference) == ("frus1942", True, True, "web")
    assert a.meta.coverage is not None and a.meta.coverage.summary.startswith("paragraph 5 and the closing sentence: ")
    # its start is found lost; the stretch between is its own gap mark's, its end is web's end
    assert a.found_losses == 1 and [(loss.is_start, loss.origin) for loss in a.meta.lost] == [(True, LossOrigin.FOUND)]
    assert [c.siglum for c in a.comparisons][0] == "web" and a.comparisons[0].cer < 0.02
    assert a.comparisons[-1].siglum == "corr1957"  # another translation: farthest over what it covers


def test_a_family_given_wins_and_the_proposal_is_said_as_advice() -> None:
    stored = list(load_store(STORE))
    a = plan_addition(Witness("p5", excerpt(), FRAGMENT), stored, family="copies")
    assert a.meta.family == "copies" and a.proposal.family == "frus1942"
    assert say(a, "p5", "p5.toml")[0].startswith("family: copies (given with --family; proposed: joins family frus1942: shares")


def test_a_complete_copy_is_not_partial_and_stores_no_coverage() -> None:
    stored = [w for w in load_store(STORE) if w.siglum != "web"]
    web = next(w for w in load_store(STORE) if w.siglum == "web")
    a = plan_addition(Witness("web2", web.text), stored)
    assert (a.meta.family, a.partial, a.meta.coverage, a.meta.lost) == ("frus1942", False, None, ())


# ---------------------------------------------------------------- the command


def test_add_says_what_a_partial_witness_covers_and_measures_it_there(store: Path, tmp_path: Path) -> None:
    src = tmp_path / "p5.txt"
    src.write_text(excerpt(), encoding="utf-8")
    proc = run("add", str(src), "--siglum", "p5", "--fragment", "--witnesses", str(store), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("stored p5: ")
    assert lines[1].startswith("family: frus1942 (joins family frus1942: shares ")
    assert lines[2].startswith("covers paragraph 5 and the closing sentence of web: ") and lines[2].endswith(" %")
    assert lines[3].startswith("lost: 1 stretch found (before its first words)") and "found = true" in lines[3]
    assert lines[4].startswith("closest witness: web (CER ") and "over the stretch it covers" in lines[4]
    assert [line.split()[0] for line in lines[5:9]] == ["web", "frus", "corr1957"] or lines[5].split()[0] == "web"
    toml = tomllib.loads((store / "p5.toml").read_text(encoding="utf-8"))
    assert toml["family"] == "frus1942" and toml["completeness"] == "fragment"
    assert toml["coverage"]["reference"] == "web" and toml["coverage"]["summary"].startswith("paragraph 5 and the closing sentence")
    assert toml["lost"] == [{"at": "start", "found": True, "reference": "web", "stands_for": [0, 832]}]
    listed = run("list", "--witnesses", str(store), cwd=tmp_path).stdout.splitlines()
    at = next(i for i, line in enumerate(listed) if line.startswith("p5 "))
    assert "frus1942" in listed[at]
    assert listed[at + 1].split() [:2] == ["covers", "paragraph"] and "of web:" in listed[at + 1]
    assert "1 found lost stretch to check (found = true in p5.toml)" in listed[at + 2]


def test_a_lost_end_stated_by_hand_wins_over_the_one_found(store: Path, tmp_path: Path) -> None:
    src = tmp_path / "p4.txt"
    src.write_text(web_paragraph(3) + "\n", encoding="utf-8")
    proc = run("add", str(src), "--siglum", "p4", "--fragment", "--breaks-off-after", "Soviet-German front in 192.",
               "--witnesses", str(store), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lost = tomllib.loads((store / "p4.toml").read_text(encoding="utf-8"))["lost"]
    ends = [loss for loss in lost if loss["at"] == "end"]
    assert len(ends) == 1 and "found" not in ends[0] and ends[0]["after"] == "Soviet-German front in 192."
    assert any(loss["at"] == "start" and loss.get("found") for loss in lost)


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("[...]\n", ["--fragment"], "the witness holds gap marks and no words"),
        ("the second front in Europe\n", ["--family", " spaced"], "has spaces around it"),
        ("the second front in Europe\n", ["--fragment", "--breaks-off-after", "third front"], "does not occur in the text"),
    ],
)
def test_bad_input_is_one_line_and_leaves_the_store_untouched(
    store: Path, tmp_path: Path, text: str, options: list[str], message: str
) -> None:
    src = tmp_path / "bad.txt"
    src.write_text(text, encoding="utf-8")
    before = snapshot(store)
    proc = run("add", str(src), "--siglum", "bad", *options, "--witnesses", str(store), cwd=tmp_path)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("collate: ") and message in lines[0], proc.stderr
    assert snapshot(store) == before


def test_list_shows_each_witness_family() -> None:
    proc = run("list", cwd=ROOT)
    assert proc.returncode == 0
    families = {line.split()[0]: line.split()[4] for line in proc.stdout.splitlines() if not line.startswith(" ")}
    assert families == {"corr1957": "soviet1957", "frus": "frus1942", "web": "frus1942"}


def test_collate_add_puts_a_third_translation_in_a_family_of_its_own_and_report_on_its_sentences(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    for p in STORE.glob("*.t*"):
        shutil.copyfile(p, store / p.name)
    added = run("add", str(DATA / "passages" / "rosarkhiv.txt"), "--siglum", "rosarkhiv", "--witnesses", str(store), cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert "family: rosarkhiv (new family rosarkhiv: shares at most" in added.stdout
    assert 'family = "rosarkhiv"' in (store / "rosarkhiv.toml").read_text(encoding="utf-8")
    out = tmp_path / "out"
    report = run("report", "--base", "frus", "--witnesses", str(store), "--out", str(out), "-q", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    data = json.loads((out / "collation.json").read_text(encoding="utf-8"))
    assert data["families"] == {"frus1942": ["frus", "web"], "soviet1957": ["corr1957"], "rosarkhiv": ["rosarkhiv"]}
    assert data["statistics"]["rosarkhiv"]["locations"] == 0
    gold = json.loads((DATA / "passages" / "rosarkhiv_gold.json").read_text(encoding="utf-8"))
    text = (DATA / "passages" / "rosarkhiv.txt").read_text(encoding="utf-8")
    ids = {x.id: text[x.start : x.end] for x in sentences(text)}
    readings = {p["id"]: p["readings"]["rosarkhiv"] for p in data["passages"]}
    for bead in gold["beads"]:
        if len(bead["web"]) == 1:  # one sentence of web: the row holds exactly the sentences that translate it
            want = " ".join(ids[i] for i in bead["rosarkhiv"]) or None
            assert readings[bead["web"][0]] == want, bead
    assert readings["p8.2"] == gold["cuts"]["p8.2"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "different translation" in page




# ---------------------------------------------------------------- the store writes what was decided, in one transaction


def test_the_store_writes_family_losses_and_coverage_and_refuses_a_contradiction(tmp_path: Path) -> None:
    from collate.errors import CollateError
    from collate.incoming import read_incoming
    from collate.model import Coverage, Lost, LostStretch
    from collate.store import add_witness

    src = tmp_path / "p.txt"
    src.write_text("the organization of a second front in Europe\n", encoding="utf-8")
    folder = tmp_path / "s"
    start = LostStretch(Lost.START, origin=LossOrigin.FOUND, reference="web", stands_for=(0, 300))
    cov = Coverage("web", ((301, 345),), 8, 433, "part of paragraph 3: 8 of 433 words, 2 %")
    new = read_incoming(src, siglum="p")
    w = add_witness(src, siglum="p", store=folder, fragment=True, family="frus1942", lost=(start,), coverage=cov, incoming=new)
    assert (w.meta.family, w.meta.lost, w.meta.coverage) == ("frus1942", (start,), cov)
    written = tomllib.loads((folder / "p.toml").read_text(encoding="utf-8"))
    assert written["family"] == "frus1942" and written["lost"][0]["found"] is True and written["coverage"]["spans"] == [[301, 345]]
    before = snapshot(folder)
    stated = LostStretch(Lost.START, reference="web", stands_for=(0, 320))  # a stated loss the coverage contradicts
    with pytest.raises(CollateError, match="contradicts the loss stated"):
        add_witness(src, siglum="q", store=folder, fragment=True, lost=(stated,), coverage=cov)
    with pytest.raises(CollateError, match="past the end of the text"):
        add_witness(src, siglum="q", store=folder, fragment=True, lost=(LostStretch(900),))
    assert snapshot(folder) == before
