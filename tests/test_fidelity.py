"""`collate check`'s core: web checked against frus as a careful editor would,
spans, lacunae, metrics, and the three outputs (JSON, HTML, summary)."""

from __future__ import annotations

import json
import math
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collate.fidelity import FidelityReport, check, normalize_text
from collate.render.check import render_html, summary_text, to_json
from collate.metrics import cer, wer
from collate.model import Completeness, Lost, LostStretch, VariantClass, Witness, WitnessMeta
from collate.store import load_store

ROOT = Path(__file__).resolve().parent.parent
T = VariantClass


@pytest.fixture(scope="module")
def store() -> dict[str, Witness]:
    return {w.siglum: w for w in load_store(ROOT / "witnesses")}


@pytest.fixture(scope="module")
def web_vs_frus(store: dict[str, Witness]) -> FidelityReport:
    return check(store["frus"], store["web"])


def pairs(report: FidelityReport, cls: VariantClass) -> list[tuple[str, str]]:
    return [(e.reference, e.witness) for e in report.errors if e.cls is cls]


# ----------------------------------------------------------------- web against frus


def test_web_keying_errors_are_typos(web_vs_frus: FidelityReport) -> None:
    typos = pairs(web_vs_frus, T.TYPO)
    for ref, wit in [
        ("Eastern", "Easter"),
        ("1942", "192"),
        ("German", "Germany"),
        ("the", "then"),
        ("inflicts", "inflict"),
        ("calculates", "calculated"),
    ]:
        assert (ref, wit) in typos, (ref, wit, typos)
    assert all(e.similarity is not None and 0.8 <= e.similarity < 1 for e in web_vs_frus.errors if e.cls is T.TYPO)


def test_spelling_variants_are_orthographic(web_vs_frus: FidelityReport) -> None:
    ortho = pairs(web_vs_frus, T.ORTHOGRAPHIC)
    assert ("communiqué", "communique") in ortho
    assert ("favourable", "favorable") in ortho


def test_inasmuch_is_spacing(web_vs_frus: FidelityReport) -> None:
    assert ("inasmuch", "in as much") in pairs(web_vs_frus, T.SPACING)


def test_small_words_web_leaves_out_are_omissions(web_vs_frus: FidelityReport) -> None:
    omitted = [ref for ref, wit in pairs(web_vs_frus, T.OMISSION)]
    assert all(wit == "" for _, wit in pairs(web_vs_frus, T.OMISSION))
    # "considered that the organization", "second front in Europe", "plan of the
    # Soviet Command", "German army, and the best", and several "the"
    for word in ("that", "in", "of", "and"):
        assert word in omitted, (word, omitted)
    assert omitted.count("the") >= 4


def test_case_only_differences_are_case(web_vs_frus: FidelityReport) -> None:
    case = pairs(web_vs_frus, T.CASE)
    assert ("Command", "command") in case
    assert all(ref.casefold() == wit.casefold() for ref, wit in case)


def test_nothing_is_reported_after_frus_breaks_off(web_vs_frus: FidelityReport, store: dict[str, Witness]) -> None:
    web = store["web"].text
    start_of_lacuna = web.index("withdrawn to the Eastern front leaving")
    assert web_vs_frus.errors, "no errors at all"
    assert all(e.witness_span[1] <= start_of_lacuna for e in web_vs_frus.errors)
    assert not any(e.cls in (T.ADDITION, T.LACUNA) and "STALIN" in e.witness for e in web_vs_frus.errors)
    [lacuna] = web_vs_frus.lacunae
    assert lacuna.lost_in == "frus"
    assert lacuna.witness_span == (start_of_lacuna, len(web.rstrip()))
    assert "have been" in lacuna.note
    # the compared part of web ends with the last word frus still has
    assert web[: web_vs_frus.compared_witness[1]].endswith("have been")


def test_web_heading_is_an_addition(web_vs_frus: FidelityReport) -> None:
    assert ("", "AIDE-MEMORIE") in pairs(web_vs_frus, T.ADDITION)


def test_cer_and_wer_cover_only_the_text_before_the_break_off(
    web_vs_frus: FidelityReport, store: dict[str, Witness]
) -> None:
    frus, web = store["frus"].text, store["web"].text
    web_part = web[: web_vs_frus.compared_witness[1]]
    assert web_vs_frus.cer == cer(frus.rstrip(), web_part)
    assert web_vs_frus.wer == wer(frus.rstrip(), web_part)
    # counting the lacuna as additions would be far worse
    assert web_vs_frus.cer < cer(frus, web) / 5
    assert 0 < web_vs_frus.cer < 0.1 and 0 < web_vs_frus.wer < 0.2


def test_presets_fold_more_and_more(web_vs_frus: FidelityReport) -> None:
    scores = {p.preset: p for p in web_vs_frus.presets}
    assert list(scores) == ["exact", "typographic", "case", "punctuation", "orthographic"]
    assert scores["exact"].cer == web_vs_frus.cer
    assert scores["exact"].cer > scores["case"].cer > scores["punctuation"].cer > scores["orthographic"].cer
    assert scores["exact"].wer > scores["case"].wer > scores["orthographic"].wer


def test_counts_and_rates_by_class(web_vs_frus: FidelityReport) -> None:
    by = {c.cls: c for c in web_vs_frus.by_class}
    assert set(by) == set(VariantClass)
    assert sum(c.count for c in by.values()) == len(web_vs_frus.errors)
    assert by[T.TYPO].count == len(pairs(web_vs_frus, T.TYPO))
    assert by[T.TYPO].rate == by[T.TYPO].count / web_vs_frus.reference_words
    assert math.isclose(sum(c.share for c in by.values()), 1.0)
    assert by[T.LACUNA].count == 0


def test_spans_point_into_the_nfc_texts(web_vs_frus: FidelityReport) -> None:
    r = web_vs_frus
    last = (-1, -1)
    for e in r.errors:
        assert r.reference_text[slice(*e.reference_span)] == e.reference
        assert r.witness_text[slice(*e.witness_span)] == e.witness
        assert e.reference_span[0] <= e.reference_span[1] and e.witness_span[0] <= e.witness_span[1]
        assert (e.reference_span[0], e.witness_span[0]) >= last
        last = (e.reference_span[0], e.witness_span[0])


def test_insertion_points_follow_the_layout() -> None:
    r = check(Witness("r", "in London, and the Soviet forces"), Witness("w", "in London and Soviet forces"))
    by = {e.reference: e for e in r.errors}
    # the comma belongs right after "London"; "the" goes before "Soviet"
    assert by[","].cls is T.PUNCTUATION and by[","].witness_span == (9, 9)
    assert by["the"].cls is T.OMISSION and by["the"].witness_span == (14, 14)
    added = check(Witness("r", "the front"), Witness("w", "the Eastern front")).errors
    assert [(e.cls, e.reference_span, e.witness_span) for e in added] == [(T.ADDITION, (4, 4), (4, 11))]


def test_decomposed_input_gets_nfc_spans() -> None:
    r = check(Witness("r", "communique\u0301 publie\u0301"), Witness("w", "communiqué publie"))
    assert r.reference_text == "communiqué publié"
    [e] = r.errors
    assert e.cls is T.ORTHOGRAPHIC and e.reference_span == (11, 17) and e.witness_span == (11, 17)
    assert r.cer == cer("communiqué publié", "communiqué publie")


def test_normalization_folds_errors_away() -> None:
    ref, wit = Witness("r", "The Soviet Command, in London"), Witness("w", "the Soviet command in London")
    assert {e.cls for e in check(ref, wit).errors} == {T.CASE, T.PUNCTUATION}
    folded = check(ref, wit, normalization="punctuation")
    assert folded.errors == () and folded.cer == 0.0 and folded.normalization == "punctuation"
    with pytest.raises(ValueError, match="unknown normalization preset"):
        check(ref, wit, normalization="loose")


def test_witness_fragment_leaves_the_rest_of_the_reference_unchecked() -> None:
    meta = WitnessMeta(completeness=Completeness.FRAGMENT, lost=(LostStretch(Lost.END),))
    ref = Witness("r", "alpha bravo charlie delta echo foxtrot")
    wit = Witness("w", "alpha bravvo charlie", meta)
    r = check(ref, wit)
    assert [(e.cls, e.reference) for e in r.errors] == [(T.TYPO, "bravo")]
    [lac] = r.lacunae
    assert lac.lost_in == "w" and lac.reference_span == (20, 38)
    assert r.cer == cer("alpha bravo charlie", "alpha bravvo charlie")


def test_lost_start_of_the_reference() -> None:
    meta = WitnessMeta(completeness=Completeness.FRAGMENT, lost=(LostStretch(Lost.START),))
    r = check(Witness("r", "delta echo foxtrot", meta), Witness("w", "alpha bravo charlie delta echoo foxtrot"))
    assert [(e.cls, e.witness) for e in r.errors] == [(T.TYPO, "echoo")]
    assert r.compared_witness == (20, 39)
    [lac] = r.lacunae
    assert lac.witness_span == (0, 19) and r.cer == cer("delta echo foxtrot", "delta echoo foxtrot")


def test_empty_and_identical() -> None:
    same = check(Witness("r", "the Eastern front"), Witness("w", "the Eastern front"))
    assert same.errors == () and same.cer == 0.0 and same.wer == 0.0
    empty = check(Witness("r", ""), Witness("w", "word"))
    assert empty.cer == math.inf and [e.cls for e in empty.errors] == [T.ADDITION]
    data = json.loads(to_json(empty))
    assert data["cer"] is None and data["wer"] is None  # JSON has no infinity
    assert "n/a" in summary_text(empty)


def test_same_siglum_on_both_sides() -> None:
    r = check(Witness("x", "the Eastern front"), Witness("x", "the Easter front"))
    assert r.reference == r.witness == "x" and [e.cls for e in r.errors] == [T.TYPO]


texts = st.lists(st.sampled_from(["the", "The", "Eastern", "Easter", "front", ",", "in", "1942", "192", "é"]), max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(texts, texts)
def test_spans_and_metrics_on_random_texts(a: str, b: str) -> None:
    r = check(Witness("r", a), Witness("w", b))
    for e in r.errors:
        assert r.reference_text[slice(*e.reference_span)] == e.reference
        assert r.witness_text[slice(*e.witness_span)] == e.witness
    assert r.cer == cer(a, b) and r.wer == wer(a, b)
    if a == b:
        assert r.errors == ()


# ----------------------------------------------------------------- outputs


def test_json_has_the_documented_shape(web_vs_frus: FidelityReport) -> None:
    data = json.loads(to_json(web_vs_frus))
    for key in ("reference", "witness", "cer", "wer", "errors", "by_class", "presets", "lacunae", "normalization"):
        assert key in data
    assert data["reference"] == "frus" and data["witness"] == "web"
    assert data["cer"] == web_vs_frus.cer
    first = data["errors"][0]
    assert set(first) == {"class", "reference", "witness", "reference_span", "witness_span", "similarity",
                          "witness_at", "reference_at"}  # located in the texts as compared when no places are given
    easter = next(e for e in data["errors"] if e["witness"] == "Easter")
    assert easter["class"] == "typo" and easter["similarity"] == pytest.approx(0.9231)
    assert web_vs_frus.witness_text[slice(*easter["witness_span"])] == "Easter"
    assert data["by_class"]["omission"]["count"] == len(pairs(web_vs_frus, T.OMISSION))
    assert set(data["by_class"]["typo"]) == {"count", "rate", "share"}
    assert set(data["presets"]) == {"exact", "typographic", "case", "punctuation", "orthographic"}
    assert data["lacunae"][0]["lost_in"] == "frus"


def test_summary_names_the_numbers_and_the_lacuna(web_vs_frus: FidelityReport) -> None:
    text = summary_text(web_vs_frus)
    assert text.startswith("web against frus (exact): CER ")
    assert f"{len(web_vs_frus.errors)} errors" in text and "typo" in text
    assert "orthographic" in text and "not checked" in text and "lacuna" in text


class _Collect(HTMLParser):
    """Element texts by id and class, from the parsed page."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[dict[str, str]] = []
        self.rows: list[str] = []
        self.marks: list[tuple[str, str]] = []  # (container id, class attribute)
        self.container = ""
        self.text_by_id: dict[str, str] = {}
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script":
            self.scripts += 1
        if a.get("id") in ("reference-text", "witness-text"):
            self.container = a["id"]
        if tag == "tr" and a.get("id", "").startswith("e"):
            self.rows.append(a.get("data-class", ""))
        if tag == "a" and self.container and "data-error" in a:
            self.marks.append((self.container, a.get("class", "")))
        self.stack.append(a)

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            a = self.stack.pop()
            if a.get("id") in ("reference-text", "witness-text"):
                self.container = ""

    def handle_data(self, data: str) -> None:
        for a in self.stack:
            if "id" in a:
                self.text_by_id[a["id"]] = self.text_by_id.get(a["id"], "") + data


def test_html_lists_and_marks_every_error(web_vs_frus: FidelityReport) -> None:
    parser = _Collect()
    parser.feed(render_html(web_vs_frus))
    assert parser.scripts == 0
    assert parser.rows == [e.cls.value for e in web_vs_frus.errors]
    # every error is marked in both texts (an empty side as an insertion mark)
    for side in ("reference-text", "witness-text"):
        assert len([m for m in parser.marks if m[0] == side]) == len(web_vs_frus.errors)
    assert any("v-typo" in cls for _, cls in parser.marks)
    assert "withdrawn to the Eastern front" in parser.text_by_id["witness-text"]
    assert "4.6" in parser.text_by_id["cer"]


def test_html_escapes_hostile_text() -> None:
    r = check(Witness("<i>r</i>", "<script>alert(1)</script> & front"), Witness("w", "<script>alert(2)</script> & frnt"))
    page = render_html(r)
    parser = _Collect()
    parser.feed(page)
    assert parser.scripts == 0
    assert "&lt;script&gt;" in page and "<script" not in page and "<i>r</i>" not in page
    assert "&lt;i&gt;r&lt;/i&gt;" in page


def test_normalize_text_keeps_whitespace() -> None:
    assert normalize_text("Favourable,\n  Communiqué", "orthographic") == "favorable\n  communique"
    assert normalize_text("A\u0301", "exact") == unicodedata.normalize("NFC", "A\u0301")


# ----------------------------------------------------------------- browser


def test_check_report_in_a_browser(page: Any, web_vs_frus: FidelityReport, tmp_path: Path) -> None:
    path = tmp_path / "check.html"
    path.write_text(render_html(web_vs_frus), encoding="utf-8")
    page.goto(path.as_uri())
    ref, wit = page.locator("#reference-text"), page.locator("#witness-text")
    # side by side
    rb, wb = ref.bounding_box(), wit.bounding_box()
    assert rb and wb and rb["x"] + rb["width"] <= wb["x"] and abs(rb["y"] - wb["y"]) < 5
    easter = wit.locator(".rd.v-typo", has_text="Easter").first
    style = easter.evaluate("e => { const s = getComputedStyle(e); return [s.textDecorationStyle, s.backgroundColor] }")
    assert style[0] == "wavy"  # a line style, not only a colour
    # every class mark carries a visible label (number), not colour alone
    assert easter.locator("sup").inner_text().strip().isdigit()
    # the number links to its row in the error table
    easter.click()
    assert page.evaluate("location.hash").startswith("#e")
    row = page.locator(page.evaluate("location.hash"))
    assert "Easter" in row.inner_text() and "typo" in row.inner_text()
    # the unchecked rest of web is shown as a lacuna
    assert wit.locator(".lacuna").count() == 1


# ----------------------------------------------------------------- pairwise refinements


def classes(ref: str, wit: str) -> list[tuple[str, str, str]]:
    return [(e.cls.value, e.reference, e.witness) for e in check(Witness("r", ref), Witness("w", wit)).errors]


def test_adjacent_swap_is_one_transposition() -> None:
    # the aligner sees "the" omitted before "to" and added after it
    assert classes("went the to market today", "went to the market today") == [("transposition", "the to", "to the")]
    assert classes("the most able men", "most the able men") == [("transposition", "the most", "most the")]


def test_joined_and_split_words_are_spacing() -> None:
    assert classes("one of a kind here", "one ofa kind here") == [("spacing", "of a", "ofa")]
    assert classes("the shamanting was over", "the sha manting was over") == [("spacing", "shamanting", "sha manting")]


def test_short_keying_errors_are_typos_not_substitutions() -> None:
    found = classes("It was easy to call him, and this was been", "It was casy to clal him, and tliis was bcen")
    assert [c for c, _, _ in found] == ["typo"] * 4
    assert all(sim is not None for sim in (e.similarity for e in check(Witness("r", "call"), Witness("w", "clal")).errors))
    # an unrelated word stays a substitution; so does a two-letter word
    assert classes("the forces moved", "the troops moved") == [("substitution", "forces", "troops")]
    assert classes("it is in the box", "it is on the box") == [("substitution", "in", "on")]


def test_check_leaves_the_garbage_collector_as_it_found_it() -> None:
    import gc

    assert gc.isenabled()
    check(Witness("r", "the Eastern front"), Witness("w", "the Easter front"))
    assert gc.isenabled()
    gc.disable()
    try:
        check(Witness("r", "the Eastern front"), Witness("w", "the Easter front"))
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ValueError):
        check(Witness("r", "a"), Witness("w", "b"), normalization="nope")
    assert gc.isenabled()


# --- partial witnesses: lacunae anywhere, either side ----------------------------


def test_a_quotation_with_a_gap_mark_is_checked_where_it_quotes(store: dict[str, Witness]) -> None:
    web = store["web"].text
    paras = web.split("\n\n")
    quote = paras[4].strip().replace("calculating", "calculatin") + " [...] " + paras[6].strip()
    r = check(store["web"], Witness("q", quote, WitnessMeta(completeness=Completeness.FRAGMENT)))
    assert [(e.cls, e.reference, e.witness) for e in r.errors] == [(T.TYPO, "calculating", "calculatin")]
    # undeclared, only its gap mark is a lacuna: the rest of web is omitted text
    assert any(e.cls is T.OMISSION and "STALIN" in e.reference for e in check(store["web"], Witness("q", quote)).errors)
    (a, b), (c, d) = r.compared[0]
    assert web[a:b] == paras[4].strip() and quote[c:d] == paras[4].strip().replace("calculating", "calculatin")
    assert len(r.compared) == 2 and r.cer == cer(paras[4].strip() + paras[6].strip(), quote.replace(" [...] ", ""))
    marks = [lac for lac in r.lacunae if quote[slice(*lac.witness_span)] == "[...]"]
    assert len(marks) == 1 and web[slice(*marks[0].reference_span)] == paras[5].strip()
    assert "marks a gap" in marks[0].note
    assert r.whole_text is not None and r.whole_text.cer > 0.5  # the whole-text figure, kept apart


def test_the_partial_side_may_be_the_reference(store: dict[str, Witness]) -> None:
    para = store["web"].text.split("\n\n")[3].strip()
    r = check(Witness("p", para, WitnessMeta(completeness=Completeness.FRAGMENT)), store["frus"])
    assert r.errors and all(e.cls is not T.ADDITION or len(e.witness.split()) < 5 for e in r.errors)
    assert {lac.lost_in for lac in r.lacunae} == {"p"}
    frus_part = store["frus"].text[slice(*r.compared[0][1])]
    assert frus_part.startswith("It is also known") and r.cer < 0.05


def test_a_check_does_not_guess_that_a_short_side_is_partial(store: dict[str, Witness]) -> None:
    para = store["web"].text.split("\n\n")[3].strip()
    plain = check(store["web"], Witness("p", para))
    assert plain.lacunae == () and plain.cer > 0.5  # missing text is an OCR error: counted
    told = check(store["web"], Witness("p", para), partial_share=0.5)
    assert told.errors == () and told.cer == 0.0 and told.whole_text is not None
