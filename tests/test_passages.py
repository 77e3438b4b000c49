"""Passages across witnesses: the gold alignments, stable ids, fragments, added text."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest

from collate.model import Lost, Witness, WitnessMeta
from collate.passages import PassageAlignment, align_passages, sentence_links
from collate.store import read_witness

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "passages"


def stored(*sigla: str) -> list[Witness]:
    return [read_witness(ROOT / "witnesses" / f"{s}.txt") for s in sigla]


def rosarkhiv() -> Witness:
    return read_witness(DATA / "rosarkhiv.txt")


def gold_links(gold: dict, a: str, b: str) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {(x, y) for bead in gold["beads"] for x in bead.get(a, []) for y in bead.get(b, [])}


def predicted_links(pa: PassageAlignment, a: str, b: str) -> set[tuple[str, str]]:
    ia, ib = pa.sentences[a], pa.sentences[b]
    return {(ia[i].id, ib[j].id) for i, j in sentence_links(pa, a, b)}


def scores(pa: PassageAlignment, gold: dict, sigla: list[str]) -> tuple[float, float]:  # type: ignore[type-arg]
    """Links right over links in the gold (recall), and over links predicted (precision)."""
    right = in_gold = predicted = 0
    for a, b in combinations(sigla, 2):
        g, p = gold_links(gold, a, b), predicted_links(pa, a, b)
        right, in_gold, predicted = right + len(g & p), in_gold + len(g), predicted + len(p)
    return right / in_gold, right / predicted


def test_passages_of_the_stored_witnesses_match_the_hand_made_alignment() -> None:
    gold = json.loads((DATA / "aide_memoire_gold.json").read_text(encoding="utf-8"))
    pa = align_passages(stored("web", "frus", "corr1957"), base="web")
    recall, precision = scores(pa, gold, ["web", "frus", "corr1957"])
    assert recall >= 0.95 and precision >= 0.95, (recall, precision)
    assert sum(len(gold_links(gold, a, b)) for a, b in combinations(["web", "frus", "corr1957"], 2)) == 23


def test_the_bible_sample_matches_its_hand_checked_links() -> None:
    gold = json.loads((DATA / "bible" / "gold.json").read_text(encoding="utf-8"))
    right = in_gold = predicted = 0
    for name, entry in gold.items():
        ws = [Witness(sig, (DATA / "bible" / f"{name}.{sig}.txt").read_text(encoding="utf-8")) for sig in ("kjv", "web")]
        g = {tuple(link) for link in entry["links"]}
        p = predicted_links(align_passages(ws, base="kjv"), "kjv", "web")
        right, in_gold, predicted = right + len(g & p), in_gold + len(g), predicted + len(p)
    assert in_gold >= 100
    assert right / in_gold >= 0.95 and right / predicted >= 0.95, (right, in_gold, predicted)


def test_every_row_holds_the_same_passage_in_all_three_witnesses() -> None:
    pa = align_passages(stored("web", "frus", "corr1957"), base="web")
    rows = {p.id: {s: pa.text(s, p) for s in ("web", "frus", "corr1957")} for p in pa.passages}
    assert list(rows) == ["p1.1", "p2.1", "p3.1", "p4.1", "p5.1", "p6.1", "p7.1", "p8.1", "p8.2", "p8.3", "p9.1", "p10.1", "p10.2"]
    assert rows["p4.1"]["corr1957"].startswith("It will be recalled further")  # type: ignore[union-attr]
    assert rows["p8.1"]["corr1957"].startswith("I and my colleagues believe")  # type: ignore[union-attr]
    assert rows["p8.3"]["corr1957"] == "For this reason we think that it is possible and necessary to open a second front"
    assert rows["p1.1"] == {"web": "AIDE-MEMORIE", "frus": None, "corr1957": None}


def test_a_fragment_has_nothing_after_it_breaks_off() -> None:
    pa = align_passages(stored("web", "frus"), base="web")
    after = [p.id for p in pa.passages if p.span("frus") is None]
    assert after == ["p1.1", "p8.2", "p8.3", "p9.1", "p10.1", "p10.2"]
    assert pa.text("frus", pa.passage("p8.1")).endswith("and the best forces to boot, have been")  # type: ignore[union-attr]


def test_passage_ids_and_spans_do_not_change_when_a_witness_is_added_or_removed() -> None:
    web, frus, corr = stored("web", "frus", "corr1957")
    sets = [[web, frus, corr], [web, corr], [web, corr, frus, rosarkhiv()], [web, rosarkhiv(), corr]]
    results = [align_passages(ws, base="web") for ws in sets]
    for pa in results:
        assert [p.id for p in pa.passages] == [p.id for p in results[0].passages]
        assert [p.span("corr1957") for p in pa.passages] == [p.span("corr1957") for p in results[0].passages]


def test_the_third_translation_lands_on_the_sentences_it_translates() -> None:
    gold = json.loads((DATA / "rosarkhiv_gold.json").read_text(encoding="utf-8"))
    pa = align_passages([*stored("web"), rosarkhiv()], base="web")
    assert predicted_links(pa, "web", "rosarkhiv") == gold_links(gold, "web", "rosarkhiv")
    for pid, text in gold["cuts"].items():  # web's two sentences that it renders as one: cut at its ";"
        assert pa.text("rosarkhiv", pa.passage(pid)) == text
    assert pa.text("rosarkhiv", pa.passage("p8.1")).endswith("remain in Europe;")  # type: ignore[union-attr]
    assert pa.text("rosarkhiv", pa.passage("p3.1")).endswith("published on 12 June.")  # type: ignore[union-attr]


def test_spans_lie_in_their_witness_in_text_order_without_overlap() -> None:
    ws = [*stored("web", "frus", "corr1957"), rosarkhiv()]
    pa = align_passages(ws, base="web")
    for w in ws:
        spans = [p.span(w.siglum) for p in pa.passages if p.span(w.siglum) is not None]
        assert all(0 <= s[0] < s[1] <= len(w.text) for s in spans if s)  # type: ignore[index]
        assert all(x[1] <= y[0] for x, y in zip(spans, spans[1:]))  # type: ignore[index]
        assert all(not w.text[s[0]].isspace() and not w.text[s[1] - 1].isspace() for s in spans if s)  # type: ignore[index]


def test_text_the_base_lacks_becomes_a_passage_of_its_family_after_the_one_it_follows() -> None:
    base = Witness("A", "The war goes on in the East. We need a second front in Europe.")
    copy = "The war goes on in the East. Molotov flew from London to Washington in secret. We need a second front in Europe."
    pa = align_passages([base, Witness("B", copy, WitnessMeta(family="fam")), Witness("C", copy, WitnessMeta(family="fam"))], base="A")
    assert [p.id for p in pa.passages] == ["p1.1", "p1.1+fam", "p1.2"]
    added = pa.passage("p1.1+fam")
    assert added.added_by == "fam" and added.span("A") is None
    assert pa.text("B", added) == pa.text("C", added) == "Molotov flew from London to Washington in secret."


def test_the_base_must_be_one_of_the_witnesses() -> None:
    with pytest.raises(ValueError, match="not among the witnesses"):
        align_passages(stored("web"), base="frus")
    with pytest.raises(KeyError):
        align_passages(stored("web"), base="web").passage("p99.1")


def test_an_excerpt_of_two_passages_joined_by_a_gap_mark_lands_on_both() -> None:
    """A gap mark stands for a lacuna of unknown length: each quoted passage finds its
    own sentences, however many lie between them (issue 7's case, across translations)."""
    web, corr = stored("web", "corr1957")
    lines = corr.text.split("\n")
    quote = Witness("q", lines[1] + " <...> " + lines[5])  # corr1957's second line, then its sixth
    pa = align_passages([web, quote], base="web", lost={"q": (Lost.START, Lost.END)})
    have = [p.id for p in pa.passages if p.span("q") is not None]
    assert have == ["p3.1", "p7.1", "p8.1", "p8.2", "p8.3"]
    assert pa.text("q", pa.passage("p3.1")) == lines[1]
    copy = Witness("c", web.text.split("\n\n")[4] + " <...> " + "I was however unfortunately unsuccessful in convincing him.")
    pa = align_passages([web, copy], base="web", lost={"c": (Lost.START, Lost.END)})
    assert [p.id for p in pa.passages if p.span("c") is not None] == ["p5.1", "p9.1"]
