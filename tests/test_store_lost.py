"""The witness TOML's [[lost]] tables and [coverage] table (store.parse_meta, meta_to_dict),
and bad ones refused as one line, through the library and the real command.

Kept apart from test_store.py, which covers the store's files and transactions."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w

from collate.errors import CollateError
from collate.model import Coverage, Lost, LossOrigin, LostStretch
from collate.store import add_witness, meta_to_dict, parse_meta, read_witness

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "store_read"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "collate", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_old_form_is_still_read() -> None:
    meta = read_witness(DATA / "A.txt").meta
    assert meta.lost == (LostStretch(Lost.END, after="in 1942."),)
    assert meta.breaks_off_after == "in 1942."
    assert meta_to_dict(meta)["lost"] == [{"at": "end", "after": "in 1942."}]  # and written in the new


NEW_FORM = """
completeness = "fragment"

[[lost]]
at = "start"
found = true
reference = "web"
stands_for = [0, 237]

[[lost]]
after = "published on June 12th last."
note = "a page is missing here"

[[lost]]
at = 640
found = true

[[lost]]
at = "end"

[coverage]
reference = "web"
spans = [[238, 479], [842, 1000]]
words = 64
total_words = 433
summary = "paragraph 3 and part of paragraph 5: 64 of 433 words, 15 %"
"""


def test_the_new_form_round_trips() -> None:
    meta = parse_meta(tomllib.loads(NEW_FORM), "q.toml")
    assert [loss.at for loss in meta.lost] == [Lost.START, None, 640, Lost.END]
    assert [loss.origin for loss in meta.lost] == [LossOrigin.FOUND, LossOrigin.STATED, LossOrigin.FOUND, LossOrigin.STATED]
    assert meta.lost[0].stands_for == (0, 237) and meta.lost[1].note == "a page is missing here"
    assert meta.coverage == Coverage("web", ((238, 479), (842, 1000)), 64, 433, meta.coverage.summary if meta.coverage else "")
    assert parse_meta(tomllib.loads(tomli_w.dumps(meta_to_dict(meta))), "q.toml") == meta


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[[lost]]\nat = -1', 'at must be "start", "end" or a character offset'),
        ("[[lost]]\nat = true", 'at must be "start", "end" or a character offset'),
        ('[[lost]]\nnote = "x"', "give at"),
        ('[[lost]]\nat = "end"\natfer = "x"', "unknown key 'atfer'"),
        ('[[lost]]\nat = 3\nstands_for = [9, 2]', "stands_for must be [start, end]"),
        ('lost = ["middle"]', 'lost entry 1 must be "start", "end" or a table'),
        ('[coverage]\nspans = [[5, 9], [7, 12]]', "overlap or are out of order"),
        (
            '[[lost]]\nat = 10\nreference = "web"\nstands_for = [100, 200]\n[coverage]\nreference = "web"\nspans = [[0, 150]]',
            "contradicts the loss stated at 10",
        ),
    ],
)
def test_bad_tables_are_one_line_errors(table: str, message: str) -> None:
    with pytest.raises(CollateError, match="q.toml: .*" + message.replace("[", r"\[").replace("]", r"\]")) as info:
        parse_meta(tomllib.loads(table), "q.toml")
    assert "\n" not in str(info.value)


def test_a_found_loss_may_overlap_what_the_coverage_says(tmp_path: Path) -> None:
    # only a *stated* loss is a contradiction: found ones are the tool's own, to be corrected by hand
    table = '[[lost]]\nat = 10\nfound = true\nreference = "web"\nstands_for = [100, 200]\n[coverage]\nreference = "web"\nspans = [[0, 150]]'
    assert parse_meta(tomllib.loads(table), "q.toml").lost[0].origin is LossOrigin.FOUND


def test_add_states_a_lost_end_only_when_told_where(tmp_path: Path) -> None:
    src = tmp_path / "p.txt"
    src.write_text("the organization of a second front in Europe\n", encoding="utf-8")
    found = add_witness(src, siglum="p", store=tmp_path / "s", fragment=True)
    assert found.meta.is_fragment and found.meta.lost == ()  # where it is lost is found when it is collated
    told = add_witness(src, siglum="q", store=tmp_path / "s", fragment=True, breaks_off_after="in Europe")
    assert told.meta.lost == (LostStretch(Lost.END, after="in Europe"),)
    on_disk = tomllib.loads((tmp_path / "s" / "q.toml").read_text(encoding="utf-8"))
    assert on_disk["lost"] == [{"at": "end", "after": "in Europe"}]


@pytest.fixture()
def small_store(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    for name in ("web.txt", "web.toml"):
        shutil.copyfile(ROOT / "witnesses" / name, folder / name)
    return folder


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


@pytest.mark.parametrize(
    ("text", "toml", "message"),
    [
        ("[...]\n", "", "the witness holds gap marks and no words"),
        ("<...> …\n", "", "the witness holds gap marks and no words"),
        ("the second front\n", "[[lost]]\nat = 400\n", "lost at offset 400, past the end of the text (17 characters)"),
        ("the second front\n", '[[lost]]\nafter = "third front"\n', "which does not occur in the text"),
        (
            "the second front\n",
            '[[lost]]\nat = "end"\nreference = "web"\nstands_for = [300, 900]\n[coverage]\nreference = "web"\nspans = [[0, 400]]\n',
            "contradicts the loss stated at end",
        ),
    ],
)
def test_the_command_refuses_bad_partial_witnesses_in_one_line(
    small_store: Path, tmp_path: Path, text: str, toml: str, message: str
) -> None:
    (small_store / "x.txt").write_text(text, encoding="utf-8")
    if toml:
        (small_store / "x.toml").write_text(toml, encoding="utf-8")
    before = snapshot(small_store)
    proc = run("report", "--witnesses", str(small_store), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("collate: ") and message in lines[0], proc.stderr
    assert "x." in lines[0]  # names the file
    assert snapshot(small_store) == before and not (tmp_path / "out").exists()
