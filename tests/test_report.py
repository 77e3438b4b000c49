"""The variant report: view model, collation.json and the HTML page, read back by parsing (lxml)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from collate.align import align
from collate.model import Alignment, Completeness, Location, LossOrigin, Lost, LostStretch, Reading, VariantClass, Variants, Witness, WitnessMeta
from collate.render.environment import TEMPLATES, key, script_json
from collate.render.report import BOOT, page_data, render_html, to_json
from collate.render.rows import char_diff
from collate.render.view import ReportView, build_view
from collate.store import load_store
from collate.synopsis import Synopsis, from_variants, synopsis
from collate.tokenize import tokenize
from collate.variants import find_variants, pairwise_similarity

WITNESSES = Path(__file__).resolve().parent.parent / "witnesses"
Html = Any  # an lxml.html element


# ---------------------------------------------------------------- reading the page


def klass(name: str) -> str:
    """An XPath test for an element carrying the CSS class ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def rows_of(doc: Html) -> list[Html]:
    return list(doc.xpath("//table[@id='synopsis-table']/tbody/tr"))


def cell(tr: Html, w: int) -> Html:
    """Witness ``w``'s cell in a synoptic row (the row's header comes first)."""
    return tr.xpath("./td")[w]


def witness_text(td: Html) -> str:
    """What a cell says of its witness's text: its text, less the "text lost" marks."""
    copy = lxml.html.fromstring(lxml.html.tostring(td, encoding="unicode"))
    for mark in copy.xpath(f".//*[{klass('v-lacuna')}]"):
        mark.drop_tree()
    return str(copy.text_content())


def entries(doc: Html) -> list[Html]:
    return list(doc.xpath("//div[@id='apparatus-list']/ol/li"))


# ---------------------------------------------------------------- the aide-mémoire


@dataclass(frozen=True)
class Report:
    synopsis: Synopsis
    view: ReportView
    html: str
    data: dict[str, Any]
    doc: Html

    @property
    def page(self) -> dict[str, Any]:
        return json.loads(self.doc.get_element_by_id("collation-data").text)  # type: ignore[no-any-return]

    @property
    def alignment(self) -> Alignment:
        """The base family's alignment (every witness's, for one family)."""
        return self.synopsis.base_family.alignment

    @property
    def locations(self) -> tuple[Location, ...]:
        return tuple(loc for _, loc, _ in self.synopsis.located())

    def column(self, siglum: str) -> int:
        """The witness's column in the page (and its index in ``collation.json``'s sigla)."""
        return self.view.sigla.index(siglum)


def report_of(syn: Synopsis, **options: Any) -> Report:
    view = build_view(syn, **options)
    html = render_html(view)
    return Report(syn, view, html, json.loads(to_json(syn)), lxml.html.document_fromstring(html))


def make_report(witnesses: Sequence[Witness], *, base: str | None, **options: Any) -> Report:
    """A report of ``witnesses`` collated as one text, whatever families they state."""
    return report_of(from_variants(find_variants(align(witnesses), base=base)), **options)


@cache
def aide_memoire() -> Report:
    """The stored witnesses as `collate report --base frus` collates them: web and frus
    (one translation) word by word, corr1957 (another) passage by passage."""
    return report_of(synopsis(load_store(WITNESSES), base="frus"))


def _contains(reading: str | None, words: str) -> bool:
    have, want = (reading or "").split(), words.split()
    return any(have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1))


def variant_with(report: Report, **readings: str) -> dict[str, Any]:
    """The first variant whose readings contain all of ``readings`` (siglum=words), word for word."""
    found: list[dict[str, Any]] = [v for v in report.data["variants"] if all(_contains(v["readings"].get(s), t) for s, t in readings.items())]
    assert found, (readings, "not found")
    return found[0]


def test_easter_is_a_typo_of_eastern_with_its_letter_shown() -> None:
    r = aide_memoire()
    v = variant_with(r, frus="Eastern", web="Easter")
    assert v["classes"]["web"] == "typo"
    assert 0.8 < v["similarity"]["web"] < 1
    # In the page: web's cell marks the typo, with the missing "n" as a mark, not as text.
    web = r.column("web")
    typos = [u for tr in rows_of(r.doc) for u in cell(tr, web).xpath(f".//u[{klass('rd')} and {klass('v-typo')}]")]
    (easter,) = [u for u in typos if u.text_content() == "Easter"]
    assert [m.get("data-miss") for m in easter.xpath(f".//span[{klass('ch-miss')}]")] == ["n"]
    # it is linked to its apparatus entry, which gives the lemma
    entry = r.doc.get_element_by_id("a" + easter.get("data-l"))
    assert entry.xpath("./b")[0].text_content() == "Eastern"


def test_favourable_is_orthographic() -> None:
    r = aide_memoire()
    hits = [v for v in r.data["variants"] if "favourable" in (v["readings"]["frus"] or "") and "favorable" in (v["readings"]["web"] or "")]
    assert hits and all(v["classes"]["web"] == "orthographic" for v in hits)


def test_inasmuch_is_spacing() -> None:
    v = variant_with(aide_memoire(), frus="inasmuch", web="in as much")
    assert v["classes"]["web"] == "spacing"


def test_august_12th_is_a_transposition() -> None:
    r = aide_memoire()
    v = variant_with(r, frus="the 12th August", web="August 12th")
    assert v["classes"]["web"] == "transposition"
    assert any("web" in t["sigla"] and "frus" in t["sigla"] for t in r.data["transpositions"])


def test_after_frus_breaks_off_it_is_lacuna_not_addition_in_web() -> None:
    r = aide_memoire()
    f = r.alignment.sigla.index("frus")
    last_frus = max(c for c, col in enumerate(r.alignment.columns) if col[f])
    after = [v for v in r.data["variants"] if v["family"] == "frus1942" and v["columns"][0] > last_frus]
    assert after, "the web witness goes on after frus breaks off"
    for v in after:
        assert v["readings"]["frus"] is None
        if v["base"] != "frus":
            assert v["classes"]["frus"] == "lacuna"
        assert v["classes"].get("web") != "addition", v
    assert r.data["statistics"]["frus"]["classes"]["omission"] == 0
    assert r.data["statistics"]["frus"]["classes"]["lacuna"] >= 1
    # In the synoptic view, frus's cells after its break-off are "text lost" blocks.
    last = cell(rows_of(r.doc)[-1], f)
    assert "lost" in last.get("class", "").split()
    assert last.text_content().strip() == "text lost"


def test_corr1957_is_a_different_translation_not_a_forest_of_typos() -> None:
    """Issue 8: against frus, corr1957 got 44 substitutions, 37 omissions, 16 additions and
    "typos" that were a translator's choices; now nothing is counted across translations."""
    d = aide_memoire().data
    assert set(d["statistics"]["corr1957"]["classes"].values()) == {0}
    assert not [v for v in d["variants"] if "corr1957" in v["readings"]]
    assert d["witnesses"]["corr1957"]["family"] == "soviet1957"
    # the page says so where the counts would be, and in the column's head
    row = r_counts_row(aide_memoire(), "corr1957")
    assert "different translation" in row.text_content() and not row.xpath("./td[@data-class]")


def r_counts_row(r: Report, siglum: str) -> Html:
    (row,) = [tr for tr in r.doc.get_element_by_id("counts").xpath(".//tbody/tr") if tr.xpath("./th")[0].text_content().startswith(siglum)]
    return row


def test_json_holds_what_the_issue_asks() -> None:
    d = aide_memoire().data
    assert d["sigla"] == ["frus", "web", "corr1957"]  # family by family, the base family first
    assert d["families"] == {"frus1942": ["frus", "web"], "soviet1957": ["corr1957"]}
    assert d["base"]["siglum"] == "frus" and "frus" in d["base"]["rule"]
    assert d["base"]["passages"] == "web" and d["base"]["families"] == {"frus1942": "frus", "soviet1957": "corr1957"}
    assert d["metadata"]["frus"]["completeness"] == "fragment"
    assert d["metadata"]["frus"]["lost"] == [{"at": "end", "after": "and the best forces to boot, have been"}]
    assert d["tables"]["frus1942"]["witnesses"] == ["frus", "web"] and len(d["tables"]["frus1942"]["table"]) == 2
    assert d["tables"]["soviet1957"]["witnesses"] == ["corr1957"]
    passages = [p["id"] for p in d["passages"]]
    for v in d["variants"]:
        first, last = v["columns"]
        assert 0 <= first <= last
        assert set(v["readings"]) == set(d["families"][v["family"]])
        assert v["passage"] in passages
        assert v["base"] not in v["classes"]
        assert all(c is None or c in {k.value for k in VariantClass} for c in v["classes"].values())
    web = d["statistics"]["web"]
    assert web["words"] > 400 and web["tokens"] >= web["words"]
    assert web["locations"] == sum(web["classes"].values())
    m, words = d["pairwise"]["similarity"], d["pairwise"]["wording"]
    s = d["pairwise"]["sigla"]
    assert m[s.index("web")][s.index("frus")] > 0.85 and m[s.index("web")][s.index("corr1957")] is None
    assert 0.4 < words[s.index("web")][s.index("corr1957")] < 0.7 and words[s.index("web")][s.index("frus")] is None


def test_json_passages_hold_every_witness_reading_or_null() -> None:
    d = aide_memoire().data
    by_id = {p["id"]: p for p in d["passages"]}
    assert list(by_id)[:3] == ["p1.1", "p2.1", "p3.1"] and len(by_id) == 13
    assert by_id["p1.1"]["readings"] == {"frus": None, "web": "AIDE-MEMORIE", "corr1957": None} and by_id["p1.1"]["lost"] == []
    assert by_id["p9.1"]["readings"]["frus"] is None and by_id["p9.1"]["lost"] == ["frus", "corr1957"]
    assert by_id["p8.3"]["readings"]["corr1957"] == "For this reason we think that it is possible and necessary to open a second front"
    assert by_id["p4.1"]["readings"]["frus"].startswith("It is also known that the organization of a second front in Europe")
    witnesses = {w.siglum: w.text for w in load_store(WITNESSES)}
    for p in d["passages"]:
        for siglum, text in p["readings"].items():
            assert text is None or text in witnesses[siglum]


def test_without_base_the_report_says_best_attested() -> None:
    r = make_report(load_store(WITNESSES), base=None)
    assert r.data["base"]["siglum"] is None
    assert "best-attested" in r.data["base"]["rule"]
    assert "best-attested" in r.doc.xpath(f"//p[{klass('subtitle')}]")[0].text_content()
    assert {v["base"] for v in r.data["variants"]} <= set(r.data["sigla"])


# ---------------------------------------------------------------- the page


def test_page_has_every_part() -> None:
    r = aide_memoire()
    d = r.doc
    classes = [e.get("data-filter-class") for e in d.xpath("//input[@data-filter-class]")]
    assert classes == [c.value for c in r.view.classes]
    assert [e.get("data-filter-wit") for e in d.xpath("//input[@data-filter-wit]")] == ["0", "1", "2"]
    legend = d.get_element_by_id("legend")
    assert len(legend.xpath(".//tr")) == 1 + len(VariantClass)
    # every class in the legend has a swatch with its own CSS class (colour + line style)
    assert {f"v-{c.value}" for c in VariantClass} <= {k for e in legend.iter() for k in e.get("class", "").split()}
    cells = d.get_element_by_id("heat").xpath("./tbody//td")
    assert len(cells) == 9
    assert sum("%" in e.text_content() for e in cells) == 6  # the number is written, not only the colour
    counts = d.get_element_by_id("counts")
    assert counts.xpath(".//tbody/tr/th")[0].text_content().strip().startswith("frus")
    # the overview's marks are links (in list items) to passages, naming their place
    marks = d.xpath("//ol[@id='overview']/li/a")
    assert marks and all(m.get("role") is None for m in marks)
    rows = {tr.get("id") for tr in rows_of(d)}
    for m in marks:
        assert m.get("href")[1:] in rows and m.get("aria-label") == m.get("title") and m.get("title")
        assert d.get_element_by_id("a" + m.get("data-l")) is not None
    cards = d.xpath(f"//article[{klass('witness-card')}]")
    assert "FRUS 1942, vol. III (Europe), document 516" in cards[0].text_content()
    assert d.xpath("//a[@class='skip']")[0].get("href") == "#synopsis"


def test_without_its_script_the_page_holds_every_row_and_every_apparatus_entry() -> None:
    r = aide_memoire()
    assert [tr.get("id") for tr in rows_of(r.doc)] == [row.id for row in r.view.rows]
    assert len(entries(r.doc)) == len(r.locations) == len(r.view.locations)
    # the first page's chunks are marked to show; the script's stylesheet hides the rest only when it runs
    assert r.doc.xpath("//table[@id='synopsis-table']/tbody")[0].get("class") == "chunk on"
    assert "js-only" in r.doc.get_element_by_id("controls").get("class")


def test_page_is_self_contained_and_its_script_is_allowed_by_hash() -> None:
    d = aide_memoire().doc
    for e in d.iter():
        for k in ("src", "href"):
            v = e.get(k, "")
            assert not v or v.startswith("#"), (e.tag, k, v)
        assert e.tag not in ("link", "iframe", "object", "embed", "img")
    (csp,) = [e.get("content") for e in d.xpath("//meta[@http-equiv='Content-Security-Policy']")]
    scripts = d.xpath("//script")
    assert [s.get("type") for s in scripts] == [None, "application/json", None]
    assert scripts[0].text == BOOT
    for script in (scripts[0], scripts[2]):
        digest = base64.b64encode(hashlib.sha256(script.text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp
    # the shared stylesheet and the script reach the page verbatim (Jinja must not eat anything)
    assert scripts[2].text == (TEMPLATES / "report.js").read_text(encoding="utf-8")
    (style,) = d.xpath("//style")
    for sheet in ("style.css", "report.css"):
        assert (TEMPLATES / sheet).read_text(encoding="utf-8").strip() in style.text


def test_apparatus_reads_as_conventional_apparatus_text() -> None:
    """``passage lemma] sigla; reading sigla class``, with spaces and "om.", in the page's text itself."""
    r = aide_memoire()
    texts = [" ".join(li.text_content().split()) for li in entries(r.doc)]
    assert "p4.1 Eastern] frus; Easter web typo" in texts
    assert "p2.1 the 12th August] frus; August 12th web tr." in texts
    assert "p1.1 ] frus; AIDE-MEMORIE web add." in " ".join(texts).replace("—", "") or "p1.1 —] frus; AIDE-MEMORIE web add." in texts
    assert not any("corr1957" in t for t in texts)  # another translation: never in a frus1942 entry
    lost = [t for t in texts if t.endswith("lac. frus")]
    assert len(lost) == 1 and lost[0].startswith("p8.1 ")  # frus breaks off inside p8.1: one lacuna to the end
    # the typo's missing letter is a mark, not text; the lemma and each reading are their own elements
    (easter,) = [li for li in entries(r.doc) if "Easter web" in li.text_content()]
    (reading,) = easter.xpath(f".//u[{klass('v-typo')}]")
    assert reading.text_content() == "Easter" and reading.xpath(".//span/@data-miss") == ["n"]
    assert easter.xpath("./a")[0].get("href") == "#p4.1"


def hostile_witnesses() -> list[Witness]:
    evil = (
        'Dear <script>window.__pwned=1</script> friend, <img src=x onerror="window.__pwned=1"> '
        "says \"quoted\" & 'single' </script><script>window.__pwned=3</script> <!-- comment --> "
        "<b onmouseover=alert(1)>bold</b>."
    )
    meta = WitnessMeta(title='<img src=x onerror=window.__pwned=2> "title"', note="</style><script>x()</script>")
    return [
        Witness("clean", "Dear friend, says quoted and single bold."),
        Witness('ev"il<i>', evil, meta),
    ]


def test_hostile_witness_text_is_shown_as_text() -> None:
    r = make_report(hostile_witnesses(), base="clean")
    d = r.doc
    # Nothing from the witnesses became an element or an attribute.
    tags = {e.tag for e in d.iter()}
    assert not tags & {"img", "b"} - {"b"} and not d.xpath("//img") and not d.xpath("//b[@onmouseover]")
    assert len(d.xpath("//script")) == 3 and len(d.xpath("//style")) == 1
    assert not [k for e in d.iter() for k in e.attrib if k.startswith("on")]
    # The synoptic view holds the exact hostile text.
    text = "".join(witness_text(cell(tr, 1)) for tr in rows_of(d))
    assert "<script>window.__pwned=1</script>" in text and '<img src=x onerror="window.__pwned=1">' in text
    assert "</script><script>window.__pwned=3</script>" in text
    raw = d.get_element_by_id("collation-data").text
    assert "<" not in raw and ">" not in raw and "&" not in raw
    # Metadata and sigla are escaped text, in content and in attributes alike, and in the stylesheet.
    cards = d.xpath(f"//article[{klass('witness-card')}]")
    assert '<img src=x onerror=window.__pwned=2> "title"' in cards[1].text_content()
    assert "</style><script>x()</script>" in cards[1].text_content()
    assert any(e.get("title", "").startswith('ev"il<i> and clean read the same') for e in d.get_element_by_id("heat").iter())
    assert 'ev"il<i>' in [e.text_content() for e in d.xpath(f"//span[{klass('siglum')}]")]
    assert '\\22 il\\3c i\\3e ' in d.xpath("//style")[0].text  # the stacked layout's label, CSS-escaped
    assert r.data["sigla"] == ["clean", 'ev"il<i>']


def test_script_json_cannot_close_its_element() -> None:
    s = str(script_json({"a": "</script><!--<script>", "b": "\u2028&"}))
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s
    assert json.loads(s) == {"a": "</script><!--<script>", "b": "\u2028&"}


# ---------------------------------------------------------------- the view model


def test_char_diff_covers_the_witness_text() -> None:
    for base, text in [("Eastern", "Easter"), ("1942", "192"), ("German", "Germany"), ("calculates", "calculated"), ("", "x"), ("x", "")]:
        parts = char_diff(base, text)
        assert "".join(p.text for p in parts if p.op != "missing") == text
        assert "".join(p.text for p in parts if p.op != "changed") == base or any(p.op == "changed" for p in parts)


def test_rows_cover_every_column_once_and_each_is_one_sentence_of_the_passage_base() -> None:
    r = aide_memoire()
    for f in r.synopsis.families:  # each family's columns, row by row, once and in order
        runs = [(a, b) for a, b in f.ranges if b >= a]
        assert runs[0][0] == 0 and runs[-1][1] == len(f.alignment.columns) - 1
        assert all(y[0] == x[1] + 1 for x, y in zip(runs, runs[1:]))
    # web (the passage base: frus's family's complete witness) has one sentence in each row, which names it
    from collate.places import sentences

    web = next(w for w in r.synopsis.witnesses if w.siglum == "web")
    spans = {s.id: web.text[s.start : s.end] for s in sentences(web.text)}
    assert [tr.get("id") for tr in rows_of(r.doc)] == list(spans)
    for tr in rows_of(r.doc):
        assert " ".join(witness_text(cell(tr, r.column("web"))).split()) == " ".join(spans[tr.get("id")].split())


def test_each_witness_row_gives_back_its_text() -> None:
    """The text of a witness's cells, in the HTML alone, is its text (lacunae aside)."""
    r = aide_memoire()
    for w, wit in enumerate(r.synopsis.witnesses):
        text = "".join(witness_text(cell(tr, w)) for tr in rows_of(r.doc))
        assert " ".join(text.split()) == " ".join(wit.text.split())


def test_pairwise_ignores_lost_text() -> None:
    full = Witness("A", "one two three four five six")
    frag = Witness("B", "one two three", WitnessMeta(completeness=Completeness.FRAGMENT, lost=(LostStretch(Lost.END),)))
    ta, tb = tokenize(full.text), tokenize(frag.text)
    cols = tuple((ta[i : i + 1], tb[i : i + 1] if i < 3 else None) for i in range(6))
    al = Alignment((full, frag), (ta, tb), cols)
    assert pairwise_similarity(al)[0][1] == 1.0
    loc = Location(3, 5, "A", ta[3:], (Reading("A", ta[3:], None), Reading("B", (), VariantClass.LACUNA)))
    variants = Variants(al, "A", (loc,))
    last = build_view(variants).rows[0].cells[1][-1]
    assert last.cls is VariantClass.LACUNA and last.text == ""
    assert json.loads(to_json(variants))["statistics"]["B"]["classes"]["lacuna"] == 1


def test_variants_reject_an_unknown_base() -> None:
    al = align([Witness("A", "a b"), Witness("B", "a c")])
    with pytest.raises(ValueError, match="not one of the witnesses"):
        find_variants(al, base="Z")


def test_build_view_does_not_mutate_or_depend_on_order() -> None:
    ws = load_store(WITNESSES)
    al = align(ws)
    locs = find_variants(al, base="frus")
    before = (al, locs)
    v1 = build_view(locs)
    v2 = build_view(Variants(al, "frus", tuple(reversed(locs.locations)), locs.base_order))
    assert (al, locs) == before
    assert v1 == v2 and page_data(v1) == page_data(v2)


def test_heat_map_spreads_its_own_range() -> None:
    al = align(load_store(WITNESSES))
    view = build_view(find_variants(al, base="frus"))
    pairwise = pairwise_similarity(al)
    s = view.sigla
    shade = {(h.a, h.b): h.shade for row in view.heat for h in row}
    assert shade[("web", "frus")] == 1.0 and shade[("web", "corr1957")] < 0.5
    lo, hi = view.heat_range
    assert lo == min(x for i, r in enumerate(pairwise) for j, x in enumerate(r) if i != j and x is not None)
    assert hi == pairwise[s.index("web")][s.index("frus")]


# ---------------------------------------------------------------- trust and citation


def test_a_modified_witness_is_named_in_a_warning_and_its_card_shows_the_checksum_of_the_text_used() -> None:
    ws = list(load_store(WITNESSES))
    web = next(w for w in ws if w.siglum == "web")
    edited = replace(web, text=web.text.replace("Easter front", "Eastern front"))
    ws[ws.index(web)] = edited
    r = make_report(ws, base="frus", modified=frozenset({"web"}))
    banner = r.doc.get_element_by_id("trust")
    assert banner.get("role") == "alert"
    assert [s.text_content() for s in banner.xpath(f".//span[{klass('siglum')}]")] == ["web"]
    assert "collate verify" in banner.text_content()
    (card,) = [c for c in r.doc.xpath(f"//article[{klass('witness-card')}]") if c.get("data-w") == str(r.column("web"))]
    used = hashlib.sha256(edited.text.encode("utf-8")).hexdigest()
    hashes = [c.text_content() for c in card.xpath(f".//code[{klass('hash')}]")]
    assert hashes == [used, web.meta.sha256] and used != web.meta.sha256
    assert "modified" in card.xpath(".//h3")[0].text_content()
    # an untouched store: no warning, and each card's checksum is the stored one
    plain = aide_memoire()
    assert not plain.doc.xpath("//*[@id='trust']")
    for w, c in zip(plain.alignment.witnesses, plain.doc.xpath(f"//article[{klass('witness-card')}]")):
        assert [h.text_content() for h in c.xpath(f".//code[{klass('hash')}]")] == [w.meta.sha256]


def test_the_citation_gives_title_passage_date_version_and_checksums() -> None:
    import datetime

    from collate import __version__

    r = make_report(load_store(WITNESSES), base="frus", title="The aide-mémoire of 13 August 1942",
                    generated=datetime.date(2026, 1, 2))
    assert r.doc.xpath("//title")[0].text == "The aide-mémoire of 13 August 1942"
    assert r.doc.get_element_by_id("title").text_content() == "The aide-mémoire of 13 August 1942"
    assert r.page["defaultTitle"] is False
    cite = r.doc.get_element_by_id("cite")
    text = " ".join(cite.text_content().split())
    assert "The aide-mémoire of 13 August 1942" in text and "2026-01-02" in text and f"collate {__version__}" in text
    assert r.doc.get_element_by_id("cite-passage").text_content() == "p1.1"
    for w in r.alignment.witnesses:
        assert w.meta.sha256 in text
    assert make_report(load_store(WITNESSES), base="frus").page["defaultTitle"] is True


def test_sigla_that_could_reorder_text_each_get_their_own_isolate() -> None:
    """Plain sigla may share one <i> in the apparatus; a siglum with a space or a
    right-to-left character is an element of its own, so filters and bidi stay exact."""
    plain = make_report(load_store(WITNESSES), base="frus")  # collated as one text: groups of sigla
    assert plain.view.inline_sigla and "frus web" in [i.text for i in plain.doc.xpath("//div[@id='apparatus-list']//i")]
    odd = make_report([Witness("A", "the Eastern front"), Witness("B c", "the Easter front"), Witness("\u05d3", "the Easter front")], base="A")
    assert not odd.view.inline_sigla
    sigla = {i.text for i in odd.doc.xpath("//div[@id='apparatus-list']//i")}
    assert sigla == {"A", "B c", "\u05d3"}


# ---------------------------------------------------------------- partial witnesses in the report (issue 7)


def test_a_witness_own_gap_mark_is_drawn_as_the_lacuna_not_as_text() -> None:
    r = make_report([Witness("A", "one two three four five six seven."), Witness("B", "one two <...> six seven.")], base="A")
    b = r.column("B")
    cells = [cell(tr, b) for tr in rows_of(r.doc)]
    assert "<...>" not in "".join(td.text_content() for td in cells)
    (mark,) = [m for td in cells for m in td.xpath(f".//*[{klass('v-lacuna')}]")]
    assert mark.text_content() == "text lost" and mark.get("title") == "marked <...> in the witness"
    assert " ".join("".join(witness_text(td) for td in cells).split()) == "one two six seven."


def test_the_witness_cards_say_losses_and_coverage_in_words() -> None:
    r = aide_memoire()
    card = r.doc.xpath(f"//article[{klass('witness-card')}]")[r.column("frus")]
    said = {dt.text_content(): [dd.text_content() for dd in dt.itersiblings("dd")][:1] for dt in card.xpath(".//dt")}
    assert said["lost"] == ["after its last words, “…and the best forces to boot, have been” (stated)"]
    assert said["family"][0].startswith("frus1942 (stated in its metadata")
    assert "{" not in card.text_content() and "'at'" not in card.text_content()  # no data structure printed
    quote = Witness("q", "the Soviet forces", WitnessMeta(completeness=Completeness.FRAGMENT, lost=(
        LostStretch(Lost.START, origin=LossOrigin.FOUND, reference="web", stands_for=(0, 120)),)))
    view = make_report([Witness("web", "x " * 80 + "the Soviet forces"), quote], base="web").view
    (lines,) = [values for key, values in view.witnesses[1].meta if key == "lost"]
    assert lines == ("before its first words (found by collate: check it; stands for web, characters 0–120)",)


def test_each_witness_coverage_strip_runs_over_the_passages_on_the_overview_scale() -> None:
    r = aide_memoire()
    strips = {c.siglum: c for c in r.view.coverage}
    assert [(p.state.value, p.first, p.last) for p in strips["frus"].parts] == [
        ("none", "p1.1", "p1.1"), ("text", "p2.1", "p8.1"), ("lost", "p8.2", "p10.2")]
    assert [(p.state.value, p.first, p.last) for p in strips["corr1957"].parts][-1] == ("lost", "p9.1", "p10.2")
    assert [p.state.value for p in strips["web"].parts] == ["text"]
    for c in strips.values():  # each strip covers the document once, left to right
        assert c.parts[0].left == 0 and abs(sum(p.width for p in c.parts) - 100) < 0.01
    assert strips["frus"].text.startswith("paragraph 1 to the opening of paragraph 8: 322 of 433 words, 74 %. Lost: after its last words")
    marks = r.view.overview
    assert marks and all(m.passage in {row.id for row in r.view.rows} for m in marks)


def test_with_two_families_that_vary_the_apparatus_groups_and_names_them() -> None:
    ws = list(load_store(WITNESSES))
    corr = next(w for w in ws if w.siglum == "corr1957")
    copy = replace(corr, siglum="corr2", text=corr.text.replace("Eastern Front", "Easter Front").replace("Molotov", "Molotow"), path="")
    r = report_of(synopsis([*ws, copy], base="frus"))
    assert r.view.labelled_apparatus and r.data["families"]["soviet1957"] == ["corr1957", "corr2"]
    texts = [" ".join(li.text_content().split()) for li in entries(r.doc)]
    fams = [t.split()[1] for t in texts]
    assert set(fams) == {"frus1942:", "soviet1957:"}
    assert fams == sorted(fams, key=["frus1942:", "soviet1957:"].index)  # one chunk: frus1942's entries, then soviet1957's
    soviet = [t for t in texts if t.split()[1] == "soviet1957:"]
    assert soviet and all("frus" not in t and "web" not in t for t in soviet)
    assert any("Eastern] corr1957; Easter corr2 typo" in t for t in soviet)
    assert set(r.data["statistics"]["corr2"]["classes"].values()) != {0}  # counted within its family
