"""TEI export: well-formed, valid in structure, and every witness's text back exactly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from collate.align import align
from collate.model import VariantClass, Witness
from collate.render.tei import TEI_NS, witness_texts, xml_ids, to_tei
from collate.store import load_store
from collate.variants import find_variants

STORE = Path(__file__).parent.parent / "witnesses"
SCHEMA = Path(__file__).parent / "data" / "tei" / "collation.rng"
NS = {"t": TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def parse(tei: str) -> etree._Element:
    """Parse strictly: lxml refuses what is not well-formed and complains of an invalid xml:id."""
    return etree.fromstring(tei.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))


@pytest.fixture(scope="module")
def schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def export(
    witnesses: list[Witness], *, base: str | None = None, normalization: str = "exact", gap_marks: tuple[str, ...] | None = None
) -> str:
    options = {} if gap_marks is None else {"gap_marks": gap_marks}
    return to_tei(find_variants(align(witnesses, normalization=normalization, **options), base=base))


@pytest.mark.parametrize("base", [None, "frus", "web", "corr1957"])
@pytest.mark.parametrize("normalization", ["exact", "case", "punctuation", "orthographic"])
def test_the_stored_witnesses_come_back_exactly(base: str | None, normalization: str, schema: etree.RelaxNG) -> None:
    witnesses = list(load_store(STORE))
    tei = export(witnesses, base=base, normalization=normalization)
    assert schema.validate(parse(tei)), schema.error_log
    assert witness_texts(tei) == {w.siglum: w.text for w in witnesses}


def test_the_lemma_is_the_base_reading_and_other_forms_are_classed(schema: etree.RelaxNG) -> None:
    root = parse(export(list(load_store(STORE)), base="frus"))
    easter = next(app for app in root.iterfind(".//t:app", NS) if app.findtext("t:lem", namespaces=NS) == "Eastern")
    assert "#frus" in str(easter.find("t:lem", NS).get("wit")).split()  # type: ignore[union-attr]
    web = next(r for r in easter.iterfind("t:rdg", NS) if r.get("wit") == "#web")
    assert (web.text, web.get("type")) == ("Easter", "typo")
    lost = [r for r in root.iterfind(".//t:rdg", NS) if r.get("type") == "lacuna"]
    assert lost and all(r.find("t:gap", NS) is not None and len(r) == 1 and not r.text for r in lost)
    lost_sigla = {w for r in lost for w in str(r.get("wit")).split()}
    assert lost_sigla == {"#frus", "#corr1957"}  # the two fragments, and nothing is read where they are lost


def test_every_app_names_every_witness_once() -> None:
    witnesses = list(load_store(STORE))
    root = parse(export(witnesses, base="frus"))
    apps = root.findall(".//t:app", NS)
    assert len(apps) > 50
    for app in apps:
        named = [w for rd in app for w in str(rd.get("wit")).split()]
        assert sorted(named) == sorted(f"#{w.siglum}" for w in witnesses)


def test_paragraphs_all_witnesses_share_are_p_elements() -> None:
    a = "First paragraph, the Eastern front.\n\nSecond one.\n\nThird, in 1942."
    b = "First paragraph, the Easter front.\n\nSecond one.\n\nThird, in 192."
    root = parse(export([Witness("A", a), Witness("B", b)], base="A"))
    paras = root.findall(".//t:body/t:div/t:p", NS)
    assert len(paras) == 3
    assert "".join(paras[1].itertext()) == "Second one."


def test_a_paragraph_break_only_one_witness_has_stays_inside_a_reading() -> None:
    tei = export([Witness("A", "One. Two."), Witness("B", "One.\n\nTwo.")], base="A")
    assert len(parse(tei).findall(".//t:body/t:div/t:p", NS)) == 1
    assert witness_texts(tei) == {"A": "One. Two.", "B": "One.\n\nTwo."}


def test_sigla_that_are_not_xml_names_get_valid_ids_and_keep_their_names(schema: etree.RelaxNG) -> None:
    sigla = ["1957", "2nd.ed", "-x", "a b", "w-1957"]
    witnesses = [Witness(s, f"the Eastern front, copy {k}") for k, s in enumerate(sigla)]
    tei = export(witnesses)
    root = parse(tei)
    assert schema.validate(root), schema.error_log
    wits = root.findall(".//t:witness", NS)
    assert [w.get("n") for w in wits] == sigla
    assert all(re.fullmatch(r"[A-Za-z_][\w.-]*", str(w.get(XML_ID))) for w in wits)
    assert len({w.get(XML_ID) for w in wits}) == len(sigla)
    assert witness_texts(tei) == {w.siglum: w.text for w in witnesses}


def test_xml_ids_are_distinct_even_when_a_safe_form_collides() -> None:
    ids = xml_ids(["a b", "w-a_20_b", "char-x"])
    assert len(set(ids.values())) == 3 and not ids["char-x"].startswith("char-")


def test_characters_xml_forbids_are_declared_glyphs_and_come_back() -> None:
    text = "page one\x0cpage two\x0b\x1b[31m red \x1c\x1f end\ufffe\uffff\r\nlast\rline"
    witnesses = [Witness("A", text), Witness("B", "page one page two red end last line")]
    tei = export(witnesses, base="B")
    root = parse(tei)
    declared = {c.get(XML_ID) for c in root.iterfind(".//t:charDecl/t:char", NS)}
    assert {"char-U000C", "char-U000B", "char-U001B", "char-UFFFE", "char-UFFFF"} <= declared
    assert witness_texts(tei) == {"A": text, "B": witnesses[1].text}


def test_gap_marks_and_found_lacunae_come_back_exactly(schema: etree.RelaxNG) -> None:
    full = "As the result of an exchange of views in Moscow, I ascertained that the Prime Minister considered it impossible."
    quote = "... an exchange of views [...] the Prime Minister considered it ..."
    witnesses = [Witness("web", full), Witness("q", quote)]
    tei = export(witnesses, base="web")
    root = parse(tei)
    assert schema.validate(root), schema.error_log
    assert any(r.get("wit") == "#q" and r.get("type") == "lacuna" for r in root.iterfind(".//t:rdg", NS))
    assert witness_texts(tei) == {"web": full, "q": quote}


def test_hostile_text_stays_text() -> None:
    witnesses = [Witness("A", "x <rdg wit='#B'>&amp; ]]> y"), Witness("B", "x z")]
    tei = export(witnesses, base="B")
    root = parse(tei)
    assert all(len(app) == 2 for app in root.iterfind(".//t:app", NS))  # no injected element
    assert witness_texts(tei)["A"] == witnesses[0].text


def test_the_schema_knows_every_class() -> None:
    types = set(re.findall(r"<value>(\w+)</value>", SCHEMA.read_text(encoding="utf-8")))
    assert {c.value for c in VariantClass} | {"formal"} <= types


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(list("\x00\x0c\x1b\r\n\ufffe\u202e \t")),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_TEXT, min_size=2, max_size=4), st.booleans())
def test_any_unicode_witnesses_come_back_exactly_from_well_formed_tei(texts: list[str], with_base: bool) -> None:
    witnesses = [Witness(f"w{k}", t) for k, t in enumerate(texts)]
    tei = export(witnesses, base="w0" if with_base else None, gap_marks=())  # "..." alone is text here, not a lacuna
    parse(tei)
    assert witness_texts(tei) == {w.siglum: w.text for w in witnesses}


# ---------------------------------------------------------------- translations: passages, reading groups by family


def rosarkhiv() -> Witness:
    from collate.store import read_witness

    return read_witness(Path(__file__).parent / "data" / "passages" / "rosarkhiv.txt")


@pytest.mark.parametrize("base", [None, "frus", "corr1957"])
def test_translations_are_passages_with_a_reading_group_per_family(base: str | None, schema: etree.RelaxNG) -> None:
    from collate.synopsis import synopsis

    witnesses = [*load_store(STORE), rosarkhiv()]
    syn = synopsis(witnesses, base=base)
    tei = to_tei(syn)
    root = parse(tei)
    assert schema.validate(root), schema.error_log
    assert witness_texts(tei) == {w.siglum: w.text for w in witnesses}
    passages = root.findall(".//t:body/t:div/t:p/t:app[@type='passage']", NS)
    assert [p.get("n") for p in passages] == [row.id for row in syn.rows]
    families = [f.name for f in syn.families]
    for p in passages:  # every passage: one reading group per family, in the synopsis's order
        assert [g.get("n") for g in p.findall("t:rdgGrp", NS)] == families
        assert all(g.get("type") == "family" for g in p.findall("t:rdgGrp", NS))
    groups = root.findall(".//t:listWit/t:listWit", NS)  # the witness list is grouped by family
    assert [(g.get("n"), [w.get("n") for w in g.findall("t:witness", NS)]) for g in groups] == [(f.name, list(f.sigla)) for f in syn.families]


def test_nested_entries_stay_within_their_family_and_lost_translations_say_so() -> None:
    from collate.synopsis import synopsis

    root = parse(to_tei(synopsis([*load_store(STORE), rosarkhiv()], base="frus")))
    passages = {p.get("n"): p for p in root.findall(".//t:body/t:div/t:p/t:app[@type='passage']", NS)}
    assert list(passages)[:3] == ["p1.1", "p2.1", "p3.1"] and len(passages) == 13
    group = passages["p4.1"].find("t:rdgGrp[@n='frus1942']/t:rdg", NS)  # web's typo is in frus1942's reading of p4.1
    assert group is not None and group.get("wit") == "#frus #web"
    easter = [a for a in group.iterfind(".//t:app", NS) if a.findtext("t:lem", namespaces=NS) == "Eastern"]
    assert easter and easter[0].find("t:rdg", NS).get("type") == "typo"  # type: ignore[union-attr]
    corr = passages["p4.1"].find("t:rdgGrp[@n='soviet1957']/t:rdg", NS)  # another translation: its text, no entries
    assert corr is not None and str(corr.text).startswith("It will be recalled further") and not corr.findall(".//t:app", NS)
    assert passages["p10.2"].find("t:rdgGrp[@n='soviet1957']/t:rdg/t:gap", NS) is not None  # corr1957 is lost there
    assert passages["p1.1"].find("t:rdgGrp[@n='soviet1957']/t:rdg", NS).get("wit") == "#corr1957"  # type: ignore[union-attr]
    assert passages["p1.1"].find("t:rdgGrp[@n='soviet1957']/t:rdg/t:gap", NS) is None  # not lost: it has no heading
