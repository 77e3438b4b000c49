"""The check report's HTML: a whole document without script, warnings, narrow-screen labels, bidi isolates."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from collate.fidelity import check
from collate.model import Witness
from collate.render.check import render_html
from collate.store import load_store

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
        "class", "reference", "witness", "reference characters", "witness characters", "similarity"]


def test_each_error_text_is_its_own_isolate_before_its_number() -> None:
    doc = page(Witness("ref", "We went to Paris today."), Witness("wit", "We went to \u202eLondon today."))
    marks = doc.xpath("//div[@id='witness-text']/a")
    assert marks and all([c.tag for c in a] == ["bdi", "sup"] for a in marks)
    assert "".join(a.xpath("./bdi")[0].text for a in marks) == "\u202eLondon"
