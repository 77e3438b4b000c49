"""The synopsis: families collated word by word, side by side in passages (issues 8 and 7 in the report)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from collate.families import Assigned, assign_families
from collate.model import Completeness, Lost, LostStretch, VariantClass, Witness, WitnessMeta
from collate.sentences import sentences
from collate.store import load_store, read_witness
from collate.synopsis import RowState, Synopsis, coverage, synopsis

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "witnesses"
DATA = Path(__file__).parent / "data"


def stored(*sigla: str) -> list[Witness]:
    by_siglum = {w.siglum: w for w in load_store(STORE)}
    return [by_siglum[s] for s in sigla]


def rosarkhiv() -> Witness:
    return read_witness(DATA / "passages" / "rosarkhiv.txt")


def rows(syn: Synopsis) -> dict[str, dict[str, str | None]]:
    return {row.id: {s: syn.reading(s, r) for s in syn.sigla} for r, row in enumerate(syn.rows)}


# ---------------------------------------------------------------- what counts


def test_web_against_frus_keeps_the_variants_it_had() -> None:
    """The frus1942 family gives the variants web had against frus before families
    (recorded at main 33423c9): the same classes in the same order, each reading the
    same or narrowed (corr1957 no longer widens a location it differed in)."""
    before = json.loads((DATA / "families" / "web_frus_before.json").read_text(encoding="utf-8"))
    syn = synopsis(load_store(STORE), base="frus")
    family = syn.base_family
    assert family.name == "frus1942" and family.sigla == ("frus", "web")
    now = []
    for loc in family.variants.locations:
        r = {x.siglum: x for x in loc.readings}
        if r["web"].cls is not None and r["web"].cls is not VariantClass.LACUNA:
            now.append({"frus": r["frus"].text, "web": r["web"].text, "class": r["web"].cls.value})
    old = before["web_against_frus"]
    assert [v["class"] for v in now] == [v["class"] for v in old]
    for n, o in zip(now, old):
        assert n["frus"] in o["frus"] and n["web"] in o["web"], (n, o)
    assert sum(n != o for n, o in zip(now, old)) == 1  # "favourable"/"favorable", no longer "the most ... in 1942"
    lost = [loc for loc in family.variants.locations if any(r.cls is VariantClass.LACUNA for r in loc.readings)]
    assert len(lost) == 1 and "".join(lost[0].base_text.split()) == "".join(before["web_where_frus_is_lost"].split())


def test_corr1957_gets_nothing_counted_against_frus() -> None:
    syn = synopsis(load_store(STORE), base="frus")
    family, w = syn.locate("corr1957")
    assert family.name == "soviet1957" and family.variants.locations == ()
    assert all(loc.readings and all(r.siglum != "corr1957" for r in loc.readings) for _, loc, _ in syn.located())


def test_families_come_from_the_metadata_else_from_shared_wording_else_one_text() -> None:
    web, frus, corr = stored("web", "frus", "corr1957")
    unsure = Witness("frus", frus.text)  # states no family: proposed from its wording, among witnesses that do
    members = assign_families([web, unsure, corr])
    assert [(m.family, m.assigned) for m in members] == [
        ("frus1942", Assigned.STATED), ("frus1942", Assigned.PROPOSED), ("soviet1957", Assigned.STATED)]
    assert "joins family frus1942" in members[1].reason
    plain = [Witness(w.siglum, w.text) for w in (web, frus, corr)]  # none states one: one text, as before families
    assert {m.family for m in assign_families(plain)} == {"unstated"}
    assert len(synopsis(plain, base="frus").families) == 1


# ---------------------------------------------------------------- passages


def test_every_row_holds_the_passage_the_hand_made_alignment_gives_each_witness() -> None:
    gold = json.loads((DATA / "passages" / "aide_memoire_gold.json").read_text(encoding="utf-8"))
    syn = synopsis(load_store(STORE), base="frus")
    assert syn.passage_base == "web"
    texts = {w.siglum: w.text for w in syn.witnesses}
    ids = {s: [(x.id, x.start, x.end) for x in sentences(texts[s])] for s in texts}
    for r, row in enumerate(syn.rows):
        (bead,) = [b for b in gold["beads"] if row.id in b["web"]]
        for s in ("frus", "corr1957"):
            span = syn.span(s, r)
            have = [i for i, a, b in ids[s] if span and a < span[1] and span[0] < b]
            assert have == bead[s], (row.id, s, have, bead[s])


def test_passage_ids_and_readings_do_not_change_when_a_witness_is_added_or_removed() -> None:
    web, frus, corr = stored("web", "frus", "corr1957")
    sets = [[corr, frus, web], [web, frus, corr, rosarkhiv()], [web, frus], [corr, web], [rosarkhiv(), web, corr]]
    for base in ("frus", None):
        results = [synopsis(ws, base=base if any(w.siglum == "frus" for w in ws) else None) for ws in sets]
        first = rows(results[0])
        for syn in results[1:]:
            now = rows(syn)
            assert [k for k in now if "+" not in k] == [k for k in first if "+" not in k]
            for k in now:
                for s in ("web", "corr1957"):
                    if s in now[k] and k in first:
                        assert now[k][s] == first[k][s], (k, s)


def test_a_third_translation_is_a_family_of_its_own_on_the_sentences_it_translates() -> None:
    gold = json.loads((DATA / "passages" / "rosarkhiv_gold.json").read_text(encoding="utf-8"))
    ros = rosarkhiv()
    syn = synopsis([*load_store(STORE), ros], base="frus")
    assert syn.locate("rosarkhiv")[0].name == "rosarkhiv" and syn.locate("rosarkhiv")[0].sigla == ("rosarkhiv",)
    ids = [(x.id, x.start, x.end) for x in sentences(ros.text)]
    cuts = gold["cuts"]
    for r, row in enumerate(syn.rows):
        (bead,) = [b for b in gold["beads"] if row.id in b["web"]]
        span = syn.span("rosarkhiv", r)
        if row.id in cuts:
            assert syn.reading("rosarkhiv", r) == cuts[row.id]
            continue
        have = [i for i, a, b in ids if span and a < span[1] and span[0] < b]
        if len(bead["web"]) > 1 and row.id == bead["web"][0]:
            assert have == bead["rosarkhiv"]
        elif len(bead["web"]) == 1:
            assert have == bead["rosarkhiv"], (row.id, have)


def test_each_family_reads_on_row_by_row_and_every_witness_text_is_in_its_rows() -> None:
    syn = synopsis([*load_store(STORE), rosarkhiv()], base="frus")
    for f in syn.families:
        runs = [(a, b) for a, b in f.ranges if b >= a]
        assert runs[0][0] == 0 and runs[-1][1] == len(f.alignment.columns) - 1
        assert all(y[0] == x[1] + 1 for x, y in zip(runs, runs[1:]))
    for w in syn.witnesses:
        pieces = [syn.reading(w.siglum, r) for r in range(len(syn.rows))]
        assert " ".join(" ".join(p for p in pieces if p).split()) == " ".join(w.text.split())


# ---------------------------------------------------------------- partial witnesses across families


def test_what_a_witness_has_in_each_row_text_lost_or_none() -> None:
    syn = synopsis([*load_store(STORE), rosarkhiv()], base="frus")
    ids = [row.id for row in syn.rows]

    def where(siglum: str, state: RowState) -> list[str]:
        return [i for i, s in zip(ids, syn.states(siglum)) if s is state]

    assert where("frus", RowState.LOST) == ["p8.2", "p8.3", "p9.1", "p10.1", "p10.2"]  # its break-off, in its family
    assert where("frus", RowState.NONE) == ["p1.1"]  # the heading it lacks is an omission, not a lacuna
    assert where("corr1957", RowState.LOST) == ["p9.1", "p10.1", "p10.2"]  # another family: from its stated loss
    assert where("corr1957", RowState.NONE) == ["p1.1"]
    assert where("rosarkhiv", RowState.LOST) == ["p1.1", "p10.1", "p10.2"]  # its lost start and end
    assert where("web", RowState.TEXT) == ids


def test_coverage_is_in_the_passage_base_text_word_by_word_or_passage_by_passage() -> None:
    syn = synopsis([*load_store(STORE), rosarkhiv()], base="frus")
    cov = coverage(syn)
    web = next(w.text for w in syn.witnesses if w.siglum == "web")
    assert {c.reference for c in cov.values()} == {"web"}
    assert cov["web"].spans == ((0, len(web.rstrip())),)
    assert web[: cov["frus"].spans[-1][1]].endswith("the best forces to boot have been")  # word by word, in its family
    (corr,) = cov["corr1957"].spans  # passage by passage: p2.1 to p8.3 of web
    assert web[corr[0] :].startswith("As the result of an exchange") and web[: corr[1]].endswith("should be effected.")
    assert cov["corr1957"].summary.startswith("paragraphs 2–8:")


def test_a_quotation_of_a_translation_the_store_lacks_lands_on_both_passages_it_quotes() -> None:
    """Issue 7's case across families: two passages of another rendering joined by "<...>",
    the only witness of its family: its pilot is itself, aligned piece by piece."""
    web, frus = stored("web", "frus")
    corr = stored("corr1957")[0].text.split("\n")
    quote = Witness("quote", corr[1] + " <...> " + corr[5], WitnessMeta(completeness=Completeness.FRAGMENT, family="q"))
    syn = synopsis([web, frus, quote], base="frus")
    have = [row.id for r, row in enumerate(syn.rows) if syn.span("quote", r)]
    assert have == ["p3.1", "p7.1", "p8.1", "p8.2", "p8.3"]
    states = dict(zip((row.id for row in syn.rows), syn.states("quote")))
    assert states["p5.1"] is RowState.LOST and states["p9.1"] is RowState.LOST and states["p2.1"] is RowState.LOST


# ---------------------------------------------------------------- through the command


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "collate", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_a_stated_loss_beyond_the_text_is_refused_before_any_family_work(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    for p in STORE.glob("web.t*"):
        shutil.copyfile(p, store / p.name)
    (store / "x.txt").write_text("the second front\n", encoding="utf-8")
    (store / "x.toml").write_text('family = "x"\n[[lost]]\nat = 400\n', encoding="utf-8")
    proc = run("report", "--witnesses", str(store), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1 and "past the end" in proc.stderr


@pytest.mark.parametrize("lost", [(LostStretch(Lost.END),), ()])
def test_a_family_of_fragments_has_the_longest_as_base(lost: tuple[LostStretch, ...]) -> None:
    meta = WitnessMeta(completeness=Completeness.FRAGMENT, lost=lost, family="f")
    a, b = Witness("a", "One sentence. Two sentences here.", meta), Witness("b", "One sentence. Two sentences here. Three.", meta)
    syn = synopsis([a, b])
    assert syn.passage_base == "b" and [row.id for row in syn.rows] == ["p1.1", "p1.2", "p1.3"]


def test_progress_counts_the_witnesses_of_every_family_to_the_last() -> None:
    ws = [Witness(s, t, WitnessMeta(family=f)) for s, t, f in (
        ("a", "the second front in Europe", "x"), ("b", "the second front in Europa", "x"),
        ("c", "a second front was opened", "y"), ("d", "a second front was open", "y"), ("e", "a second front opened", "y"))]
    told: list[tuple[int, int]] = []
    synopsis(ws, progress=lambda done, total: told.append((done, total)))
    assert told == [(1, 3), (2, 3), (3, 3)]


def test_a_fragment_alone_in_its_family_with_gap_marks_is_collated_not_a_crash() -> None:
    """A quotation of two passages, another translation, alone in its family: its gap
    mark is lost text of its own and nothing else's (it crashed `collate report`)."""
    ws = [Witness("a", "The second front was not opened. The Red Army fought on.", WitnessMeta(family="x")),
          Witness("b", "The second front was not opened. The Red Army fought on!", WitnessMeta(family="x")),
          Witness("q", "No second front came <...> the Soviet troops fought on.",
                  WitnessMeta(family="y", completeness=Completeness.FRAGMENT))]
    syn = synopsis(ws)
    alone = next(f for f in syn.families if f.name == "y")
    assert alone.variants.locations == ()
    assert [r.id for r in syn.rows]  # rows were made, the fragment's passages among them
