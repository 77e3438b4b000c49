"""collate.locate: where each error of a check stands in both sources, against hand-made expectations.

Fixtures: tests/data/readers (see its README.md).  Every expected page, line and
column below was counted by hand in the fixture files (TEI ``lb``/``pb``, the
hOCR's lines, web.source.txt's lines).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html

from collate.api import check
from collate.locate import cite, locate, located_lines, offset_map
from collate.model import Witness
from collate.readers import read_source
from collate.render.check import summary_text, to_dict
from collate.store import resolve

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/data/readers"
TEI = DATA / "tei/web.tei.xml"
TESS = DATA / "tesseract"


def tei_witness(choice: str) -> Witness:
    ex = read_source(TEI, tei_choice=choice)
    return Witness(choice, ex.text, source=ex)


def test_tei_errors_cite_the_page_label_line_label_column_and_id() -> None:
    """The TEI witness as written against its editor's corrections: each error where the lb and pb put it."""
    result = check(tei_witness("source"), tei_witness("editorial"))
    got = [(e.witness, e.reference, cite(p.witness), p.witness.at.id, cite(p.reference)) for e, p in zip(result.errors, result.places)]
    assert got == [
        ("Mr", "Mister", "p. 1r, l. 4, col. 1", "l4", "p. 1r, l. 4, col. 1"),
        (".", "", "p. 1r, l. 4, col. 3", "l4", "p. 1r, l. 4, col. 7"),
        ("communique", "communiqué", "p. 1r, l. 8, col. 14", "l8", "p. 1r, l. 8, col. 14"),
        ("Germany", "German", "p. 1r, l. 10, col. 15", "l10", "p. 1r, l. 10, col. 15"),
        ("Easter", "Eastern", "p. 1r, l. 10, col. 35", "l10", "p. 1r, l. 10, col. 34"),
        ("192", "1942", "p. 1r, l. 12, col. 75", "l12", "p. 1r, l. 12, col. 75"),
        ("favorable", "favourable", "p. 1v, l. 4, col. 50", "l22", "p. 1v, l. 4, col. 50"),
    ]
    gap = result.places[5].witness
    assert gap.gaps == ("gap: illegible",) and gap.at.page == 1 and gap.at.page_label == "1r"
    assert all(p.witness.confidence is None and p.witness.words == () for p in result.places)


def test_ocr_errors_carry_position_word_id_and_engine_confidence() -> None:
    """tesseract's hOCR of the two rendered pages against the lines that were drawn (plain text)."""
    witness, reference = resolve([str(TESS / "web.hocr"), str(TESS / "web.source.txt")])
    result = check(witness, reference)
    got = [
        (e.witness, e.reference, (p.witness.at.page, p.witness.at.line, p.witness.at.column), p.witness.at.id,
         p.witness.confidence, (p.reference.at.line, p.reference.at.column))
        for e, p in zip(result.errors, result.places)
    ]
    assert got == [
        ("\u2018", "", (2, 1, 1), "word_2_1", 0.65, (10, 2)),
        ("ts", "is", (2, 1, 5), "word_2_2", 0.59, (10, 5)),
        ("\u00ab", "a", (2, 1, 44), "word_2_9", 0.71, (10, 44)),
        ("", "-", (2, 1, 92), "line_2_1", 0.58, (10, 92)),  # after "with": the line's id, the word's confidence
        (".", ",", (2, 2, 55), "word_2_28", 0.8, (11, 55)),
        ("\u00ab\n\u2018", "", (2, 2, 89), "word_2_36", 0.57, (11, 89)),
        ("", "a", (2, 3, 2), "word_2_37", 0.62, (11, 89)),
        ("serous", "serious", (2, 3, 2), "word_2_37", 0.62, (12, 1)),
        (" ", "-", (2, 3, 41), "line_2_3", None, (12, 41)),  # German Fascist: the space between two words
        ("reisf", "relief", (2, 3, 79), "word_2_50", 0.21, (12, 79)),
        (" ", "-", (2, 4, 58), "line_2_4", None, (13, 58)),
    ]
    assert [(w.id, w.text, w.confidence) for w in result.places[9].witness.words] == [("word_2_50", "reisf", 0.21)]
    assert all(p.reference.confidence is None and not p.reference.paged for p in result.places)


def test_positions_are_in_the_original_text_when_it_is_not_nfc() -> None:
    """fidelity compares NFC texts; a decomposed é before an error must not shift its column."""
    witness = Witness("w", "the communique\u0301\nof the Easter front")
    reference = Witness("r", "the communiqu\u00e9\nof the Eastern front")
    result = check(witness, reference)
    (error,) = result.errors
    assert error.witness_span == (22, 28)  # in the NFC text
    place = result.places[0]
    assert place.witness.offset == 23 and (place.witness.at.line, place.witness.at.column) == (2, 8)
    assert witness.text[place.witness.offset : place.witness.offset + 6] == "Easter"
    assert (place.reference.offset, place.reference.at.column) == (22, 8)


def test_an_error_inside_decomposed_text_maps_to_its_own_start() -> None:
    witness = Witness("w", "Cafe\u0301 de Flore")
    result = check(witness, Witness("r", "Cafe de Flore"))
    (place,) = result.places
    assert witness.text[place.witness.offset :].startswith("Cafe\u0301")


def test_offset_map_through_any_other_change_of_the_text() -> None:
    """A compared text that is not the NFC of the original (e.g. CRLF made LF) maps through an alignment."""
    original, compared = "one\r\ntwo\r\nthree", "one\ntwo\nthree"
    to_original = offset_map(original, compared)
    assert [original[to_original(compared.index(w)) :][: len(w)] for w in ("one", "two", "three")] == ["one", "two", "three"]
    assert to_original(len(compared)) == len(original)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["a", "e\u0301", "\u00e9", "o\u0308\u0304", "\u1100\u1161", "\uac00", " ", "\u0301", "Z\u0327"]),
                max_size=30))
def test_offset_map_sends_every_space_to_a_space_and_keeps_order(pieces: list[str]) -> None:
    original = "".join(pieces)
    compared = unicodedata.normalize("NFC", original)
    to_original = offset_map(original, compared)
    mapped = [to_original(i) for i in range(len(compared) + 1)]
    assert mapped == sorted(mapped) and mapped[0] == 0 and mapped[-1] == len(original)
    for i, c in enumerate(compared):
        if c == " ":
            assert original[mapped[i]] == " "
            assert unicodedata.normalize("NFC", original[: mapped[i]]) == compared[:i]


def test_plain_witnesses_have_line_and_column_and_no_page() -> None:
    result = check(Witness("w", "the Easter\nfront in 192."), Witness("r", "the Eastern\nfront in 1942."))
    assert [cite(p.witness) for p in result.places] == ["l. 1, col. 5", "l. 2, col. 10"]
    data = to_dict(result.report, result.places)["errors"][0]
    assert data["witness_at"] == {
        "page": 1, "line": 1, "column": 5, "id": None, "page_label": None, "line_label": None, "source_line": 1,
        "offset": 4, "confidence": None, "words": [], "flags": [], "gaps": [],
    }
    assert data["reference_at"]["column"] == 5


def test_json_summary_and_html_carry_the_places() -> None:
    witness, reference = resolve([str(TESS / "web.alto.xml"), str(TESS / "web.source.txt")])
    result = check(witness, reference)
    errors = json.loads(result.to_json())["errors"]
    reisf = next(e for e in errors if e["witness"] == "reisf")
    assert reisf["witness_at"]["page"] == 2 and reisf["witness_at"]["line"] == 3 and reisf["witness_at"]["column"] == 79
    assert reisf["witness_at"]["id"] == "string_49" and reisf["witness_at"]["confidence"] == 0.21
    assert reisf["reference_at"]["line"] == 12 and reisf["reference_at"]["column"] == 79
    summary = result.summary().split("\n")
    assert summary[3:5] == ["  p. 2, l. 1, col. 1: \u2018 \u2192 (nothing) (punctuation, confidence 0.65)",
                            "  p. 2, l. 1, col. 5: ts \u2192 is (typo, confidence 0.59)"]
    assert summary[-1] == "  \u2026 and 1 more (--list-errors lists them all; --json gives every position)"
    assert "  p. 2, l. 3, col. 79: reisf \u2192 relief (typo, confidence 0.21)" in result.summary(listed=None).split("\n")
    page = html.fromstring(result.to_html())
    headers = [th.text_content() for th in page.get_element_by_id("error-table").iter("th")]
    assert "Where" in headers
    cells = [td.text_content() for td in page.xpath("//table[@id='error-table']//td[@class='where']")]
    assert len(cells) == len(result.errors)
    reisf_row = next(k for k, e in enumerate(result.errors) if e.witness == "reisf")
    assert cells[reisf_row] == "p. 2, l. 3, col. 79 \u00b7 confidence 0.21reference: l. 12, col. 79"


def test_readings_over_line_breaks_are_one_line_in_the_summary() -> None:
    report = check(Witness("w", "the organi-\nzation of"), Witness("r", "the organization of")).report
    places = locate(report, Witness("w", "the organi-\nzation of"), Witness("r", "the organization of"))
    assert all("\n" not in line for line in located_lines(report, places))
    assert summary_text(report) == summary_text(report, ())  # no places: the summary as before
