"""Outputs of an alignment: CollateX JSON, TEI parallel segmentation, table."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from collate.align import align
from collate.formats import table_json, to_json, to_table, to_tei
from collate.model import Alignment, Witness
from collate.store import load_store
from collate.variants import find_variants

STORE = Path(__file__).parent.parent / "witnesses"
TEI = "{http://www.tei-c.org/ns/1.0}"


@pytest.fixture(scope="module")
def aide_memoire() -> Alignment:
    return align(load_store(STORE))


def test_json_is_collatex_shaped_and_keeps_every_character(aide_memoire: Alignment) -> None:
    data = json.loads(to_json(aide_memoire))
    assert data["witnesses"] == list(aide_memoire.sigla)
    assert len(data["table"]) == len(aide_memoire.witnesses)
    assert {len(row) for row in data["table"]} == {len(aide_memoire.columns)}
    for wit, row in zip(aide_memoire.witnesses, data["table"]):
        tokens = [tok for cell in row if cell is not None for tok in cell]
        assert "".join(tok["t"] for tok in tokens) == wit.text
        assert all(wit.text[tok["start"] : tok["end"]] == tok["t"] for tok in tokens)
        assert all(set(tok) >= {"t", "n"} for tok in tokens)
    assert data["metadata"]["frus"]["completeness"] == "fragment"


def test_table_json_cells_are_null_for_gaps() -> None:
    a = align([Witness("A", "the Eastern front"), Witness("B", "the front")])
    assert table_json(a)["table"][1][1] is None


def test_tei_is_wellformed_parallel_segmentation(aide_memoire: Alignment) -> None:
    root = ET.fromstring(to_tei(aide_memoire, find_variants(aide_memoire, base="frus")))
    assert root.tag == f"{TEI}TEI"
    ids = [w.get("{http://www.w3.org/XML/1998/namespace}id") for w in root.iter(f"{TEI}witness")]
    assert ids == list(aide_memoire.sigla)
    enc = root.find(f".//{TEI}variantEncoding")
    assert enc is not None and enc.get("method") == "parallel-segmentation"
    apps = list(root.iter(f"{TEI}app"))
    assert len(apps) > 50
    for app in apps:
        wits = [w for rdg in app.findall(f"{TEI}rdg") for w in (rdg.get("wit") or "").split()]
        assert sorted(wits) == sorted(f"#{s}" for s in aide_memoire.sigla)  # every witness once per app


def test_tei_groups_agreeing_readings_and_marks_lacunae(aide_memoire: Alignment) -> None:
    root = ET.fromstring(to_tei(aide_memoire, find_variants(aide_memoire, base="frus")))
    rdgs = list(root.iter(f"{TEI}rdg"))
    easter = next(r for r in rdgs if r.text == "Easter")
    assert easter.get("wit") == "#web" and easter.get("type") == "typo"
    assert any(r.get("wit") == "#corr1957 #frus" and r.text == "Eastern" for r in rdgs)
    lacunae = [r for r in rdgs if r.get("type") == "lacuna"]
    assert lacunae and all(r.find(f"{TEI}gap") is not None for r in lacunae)


def test_tei_keeps_the_agreed_text(aide_memoire: Alignment) -> None:
    root = ET.fromstring(to_tei(aide_memoire, find_variants(aide_memoire, base="frus")))
    body_text = "".join(root.find(f".//{TEI}ab").itertext())  # type: ignore[union-attr]
    assert "exchange of views in Moscow" in body_text


def test_hostile_text_stays_text_in_tei() -> None:
    a = align([Witness("A", "x <rdg>&amp; y"), Witness("B", "x z")])
    root = ET.fromstring(to_tei(a, find_variants(a, base="B")))
    assert len(list(root.iter(f"{TEI}rdg"))) == sum(len(app) for app in root.iter(f"{TEI}app"))  # no injected element
    a_text = "".join(r.text or "" for r in root.iter(f"{TEI}rdg") if r.get("wit") == "#A")
    assert "<rdg>&amp;" in a_text


def test_table_marks_varying_columns() -> None:
    lines = to_table(align([Witness("A", "the Easter front"), Witness("B", "the Eastern front")])).splitlines()
    assert lines[0].split() == ["A", "B"]
    assert [line[0] for line in lines[1:]] == [" ", "*", " "]
