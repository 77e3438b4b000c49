"""The check report's outputs: a whole page without script, warnings, narrow-screen labels, bidi isolates; every error
located and linked both ways; typos as character diffs; the corrections to make in the page, the JSON and as files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import lxml.html

import collate
from collate.fidelity import check
from collate.model import Witness
from collate.render.check import render_html, to_dict
from collate.render.corrections import corrections, for_path
from collate.store import load_store
from collate.testing.synth import base_text, noisy_copy

STORE = Path(__file__).resolve().parent.parent / "witnesses"


def page(reference: Witness, witness: Witness, **options: frozenset[str]) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(render_html(check(reference, witness), **options))


def test_a_modified_text_is_named_in_a_warning() -> None:
    ws = {w.siglum: w for w in load_store(STORE)}
    doc = page(ws["frus"], ws["web"], modified=frozenset({"web", "corr1957"}))
    banner = doc.get_element_by_id("trust")
    assert banner.get("role") == "alert" and "collate verify" in banner.text_content()
    assert [s.text_content() for s in banner.xpath(".//span[@class='siglum']")] == ["web"]  # only the texts checked
    assert not page(ws["frus"], ws["web"]).xpath("//*[@id='trust']")


def test_the_page_needs_no_script_and_labels_each_cell_for_narrow_screens() -> None:
    doc = page(Witness("ref", "the Eastern front"), Witness("wit", "the Easter front"))
    assert not doc.xpath("//script")
    assert doc.xpath("//a[@class='skip']")[0].get("href") == "#errors"
    (row,) = doc.xpath("//table[@id='error-table']/tbody/tr")
    assert [td.get("data-label") for td in row.xpath("./td")][1:] == [
        "class", "reference", "witness", "where", "reference characters", "witness characters", "similarity"]


def test_each_error_text_is_its_own_isolate_before_its_number() -> None:
    doc = page(Witness("ref", "We went to Paris today."), Witness("wit", "We went to \u202eLondon today."))
    marks = doc.xpath("//div[@id='witness-text']/a")
    assert marks and all([c.tag for c in a] == ["bdi", "sup"] for a in marks)
    assert "".join(a.xpath("./bdi")[0].text for a in marks) == "\u202eLondon"


# ---------------------------------------------------------------- a page a transcriber works from

TESS = Path(__file__).resolve().parent / "data" / "readers" / "tesseract"


def web_against_frus() -> collate.Check:
    ws = {w.siglum: w for w in load_store(STORE)}
    return collate.check(ws["web"], ws["frus"])


def noisy_pair() -> collate.Check:
    text = base_text(600, seed=3)
    return collate.check(Witness("ocr", noisy_copy(text, rate=0.06, seed=3).text), Witness("gt", text))


def test_every_row_links_to_its_marks_in_both_texts_and_every_mark_back_to_its_row() -> None:
    for result in (web_against_frus(), noisy_pair()):
        doc = lxml.html.document_fromstring(result.to_html())
        rows = doc.xpath("//table[@id='error-table']/tbody/tr")
        assert len(rows) == len(result.errors) > 10
        for row in rows:
            n = row.get("id")[1:]
            links = [a.get("href") for a in row.xpath("./td[@class='where']//a")]
            assert links == [f"#w{n}", f"#r{n}"]
            for href, text in zip(links, ("witness-text", "reference-text")):
                (mark,) = doc.xpath(f"//*[@id='{href[1:]}']")
                assert mark.tag == "a" and mark.getparent().get("id") == text  # a mark in the right text
                assert mark.get("href") == f"#e{n}"  # and it links back
        marks = doc.xpath("//div[@id='witness-text']/a | //div[@id='reference-text']/a")
        assert len(marks) == 2 * len(rows)  # every error marked once in each text, nothing else linked


def test_the_where_column_cites_the_witness_with_its_confidence_and_the_reference() -> None:
    from collate.store import resolve

    witness, reference = resolve([str(TESS / "web.alto.xml"), str(TESS / "web.source.txt")])
    result = collate.check(witness, reference)
    doc = lxml.html.document_fromstring(result.to_html())
    n = next(i for i, e in enumerate(result.errors, start=1) if e.witness == "reisf")
    (cell,) = doc.xpath(f"//tr[@id='e{n}']/td[@class='where']")
    assert [(a.text_content(), a.get("href")) for a in cell.iter("a")] == [
        ("p. 2, l. 3, col. 79", f"#w{n}"), ("l. 12, col. 79", f"#r{n}")]
    assert "confidence 0.21" in cell.text_content()


def test_a_page_made_without_places_still_locates_every_error_by_line_and_column() -> None:
    report = check(Witness("ref", "the Eastern\nfront in 1942."), Witness("wit", "the Easter\nfront in 192."))
    doc = lxml.html.document_fromstring(render_html(report))
    assert [a.text_content() for a in doc.xpath("//td[@class='where']//a")] == [
        "l. 1, col. 5", "l. 1, col. 5", "l. 2, col. 10", "l. 2, col. 10"]
    assert [e["witness_at"]["line"] for e in to_dict(report)["errors"]] == [1, 2]


def test_a_typo_shows_its_character_level_differences_and_a_substitution_does_not() -> None:
    result = web_against_frus()
    doc = lxml.html.document_fromstring(result.to_html())

    def witness_cell(reading: str) -> lxml.html.HtmlElement:
        n = next(i for i, e in enumerate(result.errors, start=1) if e.witness == reading)
        (cell,) = doc.xpath(f"//tr[@id='e{n}']/td[@data-label='witness']")
        return cell

    easter = witness_cell("Easter")  # Eastern: an n missing at the end
    assert easter.text_content() == "Easter"
    assert [(s.get("class"), s.get("data-miss")) for s in easter.xpath(".//span")] == [("ch-miss", "n")]
    then = witness_cell("then")  # the: an n too many
    assert [(m.get("class"), m.text) for m in then.iter("mark")] == [("ch", "n")]
    assert then.text_content() == "then"
    arise = witness_cell("arise")  # arising: a substitution, another word, shown whole
    assert arise.text_content() == "arise" and not arise.xpath(".//mark | .//span")


def test_the_corrections_are_plain_text_lines_in_the_witnesss_reading_order() -> None:
    result = web_against_frus()
    doc = lxml.html.document_fromstring(result.to_html())
    (block,) = doc.xpath("//section[@id='corrections']//pre")
    listed = corrections(result.report, result.places)
    assert block.text_content().split("\n")[:-1] == [c.line for c in listed]
    assert [c.line for c in listed][:4] == [
        "l. 1: delete \u2018AIDE-MEMORIE\u2019",
        "l. 3: August 12th \u2192 the 12th August",
        "l. 3: insert \u2018that\u2019 before \u2018the organization\u2019",
        "l. 5: insert \u2018,\u2019 after \u2018London\u2019",
    ]
    assert "l. 7: Easter \u2192 Eastern" in block.text_content().split("\n")
    offsets = [c.place.offset for c in listed]
    assert offsets == sorted(offsets)
    # each line's place links to the mark in the witness; each reading is a bidi isolate of its own
    for line, c in zip(block.xpath("./span[@class='corr']"), listed):
        assert line.xpath("./a")[0].get("href") == f"#w{c.number}"
        assert [b.text_content() for b in line.iter("bdi")] == list(c.parts[1::2])


def test_the_corrections_are_in_the_json_and_as_csv_tsv_or_text() -> None:
    result = web_against_frus()
    data = json.loads(result.to_json())
    first = data["corrections"][0]
    assert first == {"page": None, "line": 1, "column": 1, "where": "l. 1", "correction": "delete \u2018AIDE-MEMORIE\u2019",
                     "class": "addition", "witness": "AIDE-MEMORIE", "reference": "", "error_index": 0}
    assert len(data["corrections"]) == len(data["errors"])
    for c in data["corrections"]:
        error = data["errors"][c["error_index"]]
        assert (c["class"], c["witness"], c["reference"]) == (error["class"], error["witness"], error["reference"])
        assert (c["line"], c["column"]) == (error["witness_at"]["line"], error["witness_at"]["column"])
    listed = corrections(result.report, result.places)
    rows = list(csv.reader(io.StringIO(for_path(listed, "fixes.csv"))))
    assert rows[0] == ["page", "line", "column", "witness", "correction", "class"]
    assert rows[1:] == [["", str(c["line"]), str(c["column"]), c["witness"], c["correction"], c["class"]] for c in data["corrections"]]
    assert list(csv.reader(io.StringIO(for_path(listed, "FIXES.TSV")), delimiter="\t")) == rows
    assert for_path(listed, "fixes.txt").splitlines() == [f"{c['where']}: {c['correction']}" for c in data["corrections"]]


def test_a_paged_source_gives_its_page_in_every_correction() -> None:
    from collate.store import resolve

    witness, reference = resolve([str(TESS / "web.alto.xml"), str(TESS / "web.source.txt")])
    listed = corrections(*(lambda c: (c.report, c.places))(collate.check(witness, reference)))
    assert listed and all(c.line.startswith("p. 2, l. ") for c in listed)
    assert "p. 2, l. 3: reisf \u2192 relief" in [c.line for c in listed]
    assert next(csv.reader(io.StringIO(for_path(listed, "x.csv").split("\n")[1])))[:3] == ["2", "1", "1"]


def test_the_witness_keeps_its_own_line_breaks_in_its_column() -> None:
    reference = "As the result of an exchange\nof views in Moscow which took\nplace on the 12th August"
    witness = "As the resu1t of an exchange of\nviews in Moscow\nwhich took place on\nAugust 12th"
    doc = lxml.html.document_fromstring(render_html(check(Witness("ref", reference), Witness("wit", witness))))
    for side, text in (("witness-text", witness), ("reference-text", reference)):
        (box,) = doc.xpath(f"//div[@id='{side}']")
        for number in box.xpath(".//sup[@class='n']"):
            number.drop_tree()  # the error numbers are the page's, not the text's
        assert box.text_content() == text
    assert "white-space: pre-wrap" in doc.xpath("//style")[0].text  # and the browser shows them (see test_browser)


def test_class_counts_link_to_the_first_error_of_their_class_and_each_class_can_be_shown_alone() -> None:
    result = web_against_frus()
    doc = lxml.html.document_fromstring(result.to_html())
    for row in doc.xpath("//table[@id='class-table']/tbody/tr"):
        cls = row.get("data-class")
        links = row.xpath(".//a")
        first = next((i for i, e in enumerate(result.errors, start=1) if e.cls.value == cls), None)
        assert [a.get("href") for a in links] == ([f"#e{first}"] if first else [])
    shown = {a.get("href")[len("#only-"):] for a in doc.xpath("//p[@id='filters']/a") if a.get("href").startswith("#only-")}
    assert shown == {e.cls.value for e in result.errors}
    for cls in shown:  # a target for each, with the way back to all
        (note,) = doc.xpath(f"//*[@id='only-{cls}']")
        assert note.xpath("./a")[0].get("href") == "#errors"
