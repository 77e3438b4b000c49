"""Partial witnesses for the commands: coverage in words, comparisons over what is covered, the TOML data."""

import tomllib
from dataclasses import replace
from pathlib import Path

import pytest
import tomli_w

from collate.align import align
from collate.errors import CollateError
from collate.metrics import cer, closest
from collate.model import Completeness, Lost, LossOrigin, LostStretch, Witness, WitnessMeta
from collate.partial import compare, describe, found_meta, witness_coverage
from collate.store import load_store, meta_to_dict, parse_meta

STORE = Path(__file__).parent.parent / "witnesses"
FRAGMENT = WitnessMeta(completeness=Completeness.FRAGMENT)


@pytest.fixture(scope="module")
def store() -> dict[str, Witness]:
    return {w.siglum: w for w in load_store(STORE)}


def paragraph(store: dict[str, Witness], k: int) -> str:
    return store["web"].text.split("\n\n")[k].strip()


def test_coverage_is_said_by_paragraph_and_counted(store: dict[str, Witness]) -> None:
    quote = paragraph(store, 4) + " [...] August 13th, 1942."
    al = align([*store.values(), Witness("q", quote, FRAGMENT)])
    cov = witness_coverage(al)["q"]
    assert cov.reference == "web"
    assert cov.summary.startswith("paragraph 5 and ")
    assert cov.summary.endswith(f"{cov.words} of {cov.total_words} words, {round(100 * cov.words / cov.total_words)} %")
    text = store["web"].text
    assert text[cov.spans[0][0] : cov.spans[0][1]] == paragraph(store, 4)
    assert text[cov.spans[1][0] : cov.spans[1][1]] == "August 13th, 1942."


def test_every_witness_has_its_coverage_in_the_reference_text(store: dict[str, Witness]) -> None:
    covs = witness_coverage(align(list(store.values())))
    web = store["web"].text
    assert covs["web"].spans == ((0, len(web.rstrip())),) and covs["web"].summary.startswith("the whole text")
    (frus,) = covs["frus"].spans
    assert web[: frus[1]].endswith("the best forces to boot have been")


def test_describe_names_sentences_of_a_one_paragraph_text() -> None:
    text = "One two. Three four. Five six."
    assert describe(text, [(9, 20)], 2, 6) == "sentence 2: 2 of 6 words, 33 %"
    assert describe(text, [(0, 8), (21, 30)], 4, 6) == "the opening sentence and the closing sentence: 4 of 6 words, 67 %"
    assert describe(text, [(12, 20)], 1, 6) == "part of sentence 2: 1 of 6 words, 17 %"


def test_add_measures_a_paragraph_against_what_it_covers(store: dict[str, Witness]) -> None:
    # the issue: "closest witness: frus (CER 86%)" for a paragraph with seven errors
    para = paragraph(store, 3)
    keyed = para.replace("Eastern", "Easter").replace("German-Fascist", "German Fascist").replace("relief", "releif")
    ranked = compare(Witness("p", keyed, FRAGMENT), list(store.values()))
    assert [c.siglum for c in ranked][:2] in (["web", "frus"], ["frus", "web"])
    best = ranked[0]
    assert best.cer < 0.05 and best.coverage.summary.startswith("paragraph 4:")
    assert closest(keyed, {w.siglum: w.text for w in store.values()})[0][1] > 0.7  # what add said before
    web = next(c for c in ranked if c.siglum == "web")
    assert web.cer == pytest.approx(cer(para, keyed), abs=1e-12)


def test_found_meta_is_toml_data_a_human_can_read_and_correct(store: dict[str, Witness]) -> None:
    quote = Witness("q", paragraph(store, 4) + " <...> " + paragraph(store, 6), FRAGMENT)
    meta = found_meta(quote, store["web"])
    assert [(loss.at if isinstance(loss.at, Lost) else "inside") for loss in meta.lost] == [Lost.START, Lost.END]
    assert all(loss.origin is LossOrigin.FOUND and loss.reference == "web" for loss in meta.lost)
    assert meta.coverage is not None and meta.coverage.summary.startswith("paragraph 5 and paragraph 7:")
    data = tomllib.loads(tomli_w.dumps(meta_to_dict(meta)))
    assert data["lost"][0] == {"at": "start", "found": True, "reference": "web", "stands_for": list(meta.lost[0].stands_for or ())}
    assert parse_meta(data, "q.toml") == meta  # round trip: what is written is read back as it was


def test_stated_losses_win_over_found_ones(store: dict[str, Witness]) -> None:
    para = paragraph(store, 5)
    stated = LostStretch(Lost.END, after=para.split()[-1], note="the photocopy stops here")
    meta = found_meta(Witness("p", para, replace(FRAGMENT, lost=(stated,))), store["web"])
    ends = [loss for loss in meta.lost if loss.is_end]
    assert len(ends) == 1 and ends[0].origin is LossOrigin.STATED and ends[0].note == "the photocopy stops here"
    assert ends[0].stands_for is not None  # what it stands for is filled in
    assert any(loss.is_start and loss.origin is LossOrigin.FOUND for loss in meta.lost)


def test_a_stated_loss_the_text_contradicts_is_refused(store: dict[str, Witness]) -> None:
    opening = " ".join(store["web"].text.split()[:30])
    meta = replace(FRAGMENT, lost=(LostStretch(Lost.START),))
    with pytest.raises(CollateError, match="start of the text is stated lost, but the witness begins where web does"):
        found_meta(Witness("p", opening, meta, path="p.txt"), store["web"])


def test_all_partial_witnesses_the_stated_one_is_the_spine(store: dict[str, Witness]) -> None:
    para = paragraph(store, 2)
    for siglum in ("a", "zz"):  # whatever the excerpt's name, frus is the spine it is placed in
        al = align([store["frus"], Witness(siglum, para, FRAGMENT)])
        assert al.losses[1][0].reference == "frus"
