"""The variant report: view model, collation.json and the HTML page, read back by parsing."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from collate.align import align
from collate.model import Alignment, Completeness, Location, Lost, LostStretch, Reading, VariantClass, Variants, Witness, WitnessMeta
from collate.render.environment import TEMPLATES, script_json
from collate.render.report import page_data, render_html, to_json
from collate.render.rows import char_diff
from collate.render.view import build_view
from collate.store import load_store
from collate.tokenize import tokenize
from collate.variants import find_variants, pairwise_similarity

WITNESSES = Path(__file__).resolve().parent.parent / "witnesses"


# ---------------------------------------------------------------- a small HTML reader


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def walk(self) -> list[Element]:
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out

    def all_text(self) -> str:
        return self.text + "".join(c.all_text() for c in self.children)


VOID = {"meta", "link", "br", "img", "input", "col", "hr", "source", "wbr", "area", "base", "embed", "track"}


class Tree(HTMLParser):
    """Parse a page into Elements (just enough for these tests)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(el)
        if tag not in VOID:
            self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].text += data

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.root.walk()
            if (tag is None or e.tag == tag) and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def by_id(self, ident: str) -> Element:
        (el,) = self.find_all(id=ident)
        return el


# ---------------------------------------------------------------- the aide-mémoire


@dataclass(frozen=True)
class Report:
    alignment: Alignment
    locations: tuple[Location, ...]
    html: str
    data: dict[str, Any]
    tree: Tree

    @property
    def page(self) -> dict[str, Any]:
        return json.loads(self.tree.by_id("collation-data").text)  # type: ignore[no-any-return]


def make_report(witnesses: Sequence[Witness], *, base: str | None) -> Report:
    alignment = align(witnesses)
    locations = find_variants(alignment, base=base)
    view = build_view(locations)
    html = render_html(view)
    return Report(alignment, locations, html, json.loads(to_json(locations)), Tree(html))


@cache
def aide_memoire() -> Report:
    return make_report(load_store(WITNESSES), base="frus")


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
    # In the page: web's cell carries the typo with the missing "n" as a diff part.
    segs = [s for row in r.page["rows"] for s in row["c"][r.data["sigla"].index("web")] if isinstance(s, list)]
    (seg,) = [s for s in segs if s[0] == v["id"]]
    assert seg[1] == "typo" and "Easter" in seg[2].split()
    assert ["n", "missing"] in seg[4]


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
    sigla = r.data["sigla"]
    f = sigla.index("frus")
    last_frus = max(c for c, col in enumerate(r.alignment.columns) if col[f])
    after = [v for v in r.data["variants"] if v["columns"][0] > last_frus]
    assert after, "the web witness goes on after frus breaks off"
    for v in after:
        assert v["readings"]["frus"] is None
        if v["base"] != "frus":
            assert v["classes"]["frus"] == "lacuna"
        assert v["classes"].get("web") != "addition", v
    assert r.data["statistics"]["frus"]["classes"]["omission"] == 0
    assert r.data["statistics"]["frus"]["classes"]["lacuna"] >= 1
    # In the synoptic view, frus's cells after its break-off are "text lost" blocks.
    last_row = r.page["rows"][-1]
    (lost,) = last_row["c"][f]
    assert lost[1] == "lacuna" and lost[2] == ""


def test_corr1957_is_a_different_translation_not_a_forest_of_typos() -> None:
    stats = aide_memoire().data["statistics"]["corr1957"]["classes"]
    assert stats["substitution"] >= 20
    assert stats["typo"] * 5 <= stats["substitution"]


def test_json_holds_what_the_issue_asks() -> None:
    d = aide_memoire().data
    assert d["sigla"] == ["corr1957", "frus", "web"]
    assert d["base"]["siglum"] == "frus" and "frus" in d["base"]["rule"]
    assert d["metadata"]["frus"]["completeness"] == "fragment"
    assert d["metadata"]["frus"]["lost"] == [{"at": "end", "after": "and the best forces to boot, have been"}]
    assert d["table"]["witnesses"] == d["sigla"] and len(d["table"]["table"]) == 3
    for v in d["variants"]:
        first, last = v["columns"]
        assert 0 <= first <= last
        assert set(v["readings"]) == set(d["sigla"])
        assert v["base"] not in v["classes"]
        assert all(c is None or c in {k.value for k in VariantClass} for c in v["classes"].values())
    web = d["statistics"]["web"]
    assert web["words"] > 400 and web["tokens"] >= web["words"]
    assert web["locations"] == sum(web["classes"].values())
    m = d["pairwise"]["similarity"]
    s = d["pairwise"]["sigla"]
    assert m[s.index("web")][s.index("frus")] > 0.85 > 0.6 > m[s.index("web")][s.index("corr1957")]


def test_without_base_the_report_says_best_attested() -> None:
    r = make_report(load_store(WITNESSES), base=None)
    assert r.data["base"]["siglum"] is None
    assert "best-attested" in r.data["base"]["rule"]
    assert "best-attested" in r.tree.find_all("p", **{"class": "subtitle"})[0].all_text()
    assert {v["base"] for v in r.data["variants"]} <= set(r.data["sigla"])


# ---------------------------------------------------------------- the page


def test_page_has_every_part() -> None:
    r = aide_memoire()
    t = r.tree
    classes = [e.attrs["data-filter-class"] for e in t.find_all("input") if "data-filter-class" in e.attrs]
    assert sorted(classes) == sorted(c.value for c in VariantClass)
    wits = [e.attrs["data-filter-wit"] for e in t.find_all("input") if "data-filter-wit" in e.attrs]
    assert wits == ["0", "1", "2"]
    legend = t.by_id("legend")
    assert len([e for e in legend.walk() if e.tag == "tr"]) == 1 + len(VariantClass)
    # every class in the legend has a swatch with its own CSS class (colour + line style)
    assert {f"v-{c.value}" for c in VariantClass} <= {k for e in legend.walk() for k in e.classes()}
    heat = t.by_id("heat")
    cells = [e for e in heat.walk() if e.tag == "td"]
    assert len(cells) == 9
    assert sum("%" in e.text for e in cells) == 6  # the number is written, not only the colour
    counts = t.by_id("counts")
    assert [e.all_text().strip() for e in counts.walk() if e.tag == "th" and e.attrs.get("scope") == "row"][0].startswith("corr1957")
    marks = [e for e in t.by_id("overview").walk() if "ov-mark" in e.classes()]
    assert marks
    n_locs = len(r.data["variants"])
    for m in marks:
        assert m.attrs["href"] == f"#loc-{m.attrs['data-loc']}" and int(m.attrs["data-loc"]) < n_locs
        assert m.attrs["title"]
    cards = [e for e in t.find_all("article") if "witness-card" in e.classes()]
    assert "FRUS 1942, vol. III (Europe), document 516" in cards[1].all_text()


def test_page_is_self_contained_and_its_script_is_allowed_by_hash() -> None:
    t = aide_memoire().tree
    for e in t.root.walk():
        for k in ("src", "href"):
            v = e.attrs.get(k, "")
            assert not v or v.startswith("#"), (e.tag, k, v)
        assert e.tag not in ("link", "iframe", "object", "embed", "img")
    (csp,) = [e.attrs["content"] for e in t.find_all("meta") if e.attrs.get("http-equiv") == "Content-Security-Policy"]
    scripts = t.find_all("script")
    assert [s.attrs.get("type") for s in scripts] == ["application/json", None]
    digest = base64.b64encode(hashlib.sha256(scripts[1].text.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp and "default-src 'none'" in csp
    # the shared stylesheet and the script reach the page verbatim (Jinja must not eat anything)
    assert scripts[1].text == (TEMPLATES / "report.js").read_text(encoding="utf-8")
    (style,) = t.find_all("style")
    assert (TEMPLATES / "style.css").read_text(encoding="utf-8").strip() in style.text


def test_apparatus_data_groups_sigla_and_marks_omissions_and_lacunae() -> None:
    r = aide_memoire()
    locs = r.page["locs"]
    v = variant_with(r, frus="Eastern", web="Easter")
    entry = locs[v["id"]]
    assert "Eastern" in entry["lemma"]["t"].split() and "frus" in entry["lemma"]["s"]
    (web,) = [rd for rd in entry["rd"] if "web" in rd["s"]]
    assert web["c"] == "typo" and web["a"] == "typo" and 0.8 < web["sim"] < 1
    assert ["n", "missing"] in web["d"]
    om = [e for e in locs if any(rd["c"] == "omission" for rd in e["rd"])]
    assert om and all(rd["t"] == "" for e in om for rd in e["rd"] if rd["c"] == "omission")
    lac = [rd for e in locs for rd in e["rd"] if rd["c"] == "lacuna"]
    assert lac and all(rd["a"] == "lac." for rd in lac)


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
    t = r.tree
    # Nothing from the witnesses became an element or an attribute.
    tags = {e.tag for e in t.root.walk()}
    assert not tags & {"img", "b", "i"}
    assert len(t.find_all("script")) == 2 and len(t.find_all("style")) == 1
    assert not [k for e in t.root.walk() for k in e.attrs if k.startswith("on")]
    # The page data decodes back to the exact hostile text.
    text = "".join(s if isinstance(s, str) else s[2] + s[3] for row in r.page["rows"] for s in row["c"][1])
    assert "<script>window.__pwned=1</script>" in text and '<img src=x onerror="window.__pwned=1">' in text
    assert "</script><script>window.__pwned=3</script>" in text
    raw = t.by_id("collation-data").text
    assert "<" not in raw and ">" not in raw and "&" not in raw
    # Metadata and sigla are escaped text, in content and in attributes alike.
    cards = [e for e in t.find_all("article") if "witness-card" in e.classes()]
    assert '<img src=x onerror=window.__pwned=2> "title"' in cards[1].all_text()
    assert "</style><script>x()</script>" in cards[1].all_text()
    assert any(e.attrs.get("title", "").startswith('ev"il<i> and clean read the same') for e in t.by_id("heat").walk())
    assert 'ev"il<i>' in [e.all_text() for e in t.find_all("span", **{"class": "siglum"})]
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


def test_rows_cover_every_column_once_and_follow_sentences() -> None:
    r = aide_memoire()
    rows = r.page["rows"]
    assert rows[0]["f"] == 0 and rows[-1]["l"] == len(r.alignment.columns) - 1
    for a, b in zip(rows, rows[1:]):
        assert b["f"] == a["l"] + 1
    # rows end between words, never inside "Mr." or "U.S.A."
    w = r.data["sigla"].index("web")
    ends = ["".join(s if isinstance(s, str) else s[2] + s[3] for s in row["c"][w]) for row in rows[:-1]]
    assert sum(e.rstrip().endswith(".") for e in ends) >= len(ends) // 2  # most rows are sentences
    for text in ends:
        if text:
            assert text != text.rstrip(), text[-40:]
            assert not text.rstrip().endswith(("Mr.", "U.", "U.S.")), text[-40:]


def test_each_witness_row_gives_back_its_text() -> None:
    """Dropping the markup of a witness's cells gives back its text (lacunae aside)."""
    r = aide_memoire()
    for w, wit in enumerate(r.alignment.witnesses):
        text = "".join(
            (s if isinstance(s, str) else s[2] + s[3]) for row in r.page["rows"] for s in row["c"][w]
        )
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
    data = page_data(build_view(variants))
    assert data["rows"][0]["c"][1][-1][1:3] == ["lacuna", ""]
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
    v2 = build_view(Variants(al, "frus", tuple(reversed(locs.locations))))
    assert (al, locs) == before
    assert page_data(v1) == page_data(v2)


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
