"""The variant report and the check report in a real browser (Playwright driving Debian's chromium).

Checks that the page is a whole document without its script, fits a phone,
copies as apparatus text, passes axe-core, works from the keyboard, opens at
a cited passage, prints what it filtered, resists bidi spoofing, pages
through a long collation by hiding, runs no witness text, and logs no
console errors (the ``page`` fixture fails the test on any).  Also takes the
README's screenshots: into a temporary folder, so a test run changes nothing
tracked, or into the folder named by ``COLLATE_SCREENSHOTS``
(``COLLATE_SCREENSHOTS=docs/screenshots pytest -k screenshots`` refreshes
the README's pictures).

axe-core (the npm package) is read from ``COLLATE_AXE_CORE`` (a path to
``axe.min.js``) or from ``.cache/axe-core`` in the clone (gitignored), where
the first run installs it with npm (`AXE_INSTALL`) if it is missing.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from collate.align import align
from collate.fidelity import check
from collate.model import CLASS_ORDER, Witness, WitnessMeta
from collate.render.check import render_html as render_check
from collate.render.report import render_html
from collate.render.view import build_view
from collate.sentences import sentences
from collate.store import load_store
from collate.synopsis import synopsis
from collate.variants import find_variants

ROOT = Path(__file__).resolve().parent.parent
AXE_DIR = ROOT / ".cache" / "axe-core"
AXE_VERSION = "4.14.1"
AXE_INSTALL = ["npm", "install", "--prefix", str(AXE_DIR), "--no-save", "--no-audit", "--no-fund", "--no-package-lock",
               f"axe-core@{AXE_VERSION}"]
WEB = "td:nth-child(3)"  # web's cells: the row's header, then frus, web (one family), corr1957 (another)


def write_report(witnesses: Sequence[Witness], path: Path, *, base: str | None, **options: Any) -> str:
    alignment = align(witnesses)
    view = build_view(find_variants(alignment, base=base), **options)
    path.write_text(render_html(view), encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def aide_memoire(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The stored witnesses as `collate report --base frus` shows them: frus and web (one
    translation) word by word, corr1957 (another) passage by passage."""
    path = tmp_path_factory.mktemp("am") / "index.html"
    path.write_text(render_html(build_view(synopsis(load_store(ROOT / "witnesses"), base="frus"))), encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def long_report(tmp_path_factory: pytest.TempPathFactory) -> str:
    from collate.testing.synth import base_text, witness_set

    witnesses, _ = witness_set(base_text(4000, seed=7), copies=2, seed=7, rate=0.04)
    return write_report(witnesses, tmp_path_factory.mktemp("long") / "index.html", base="base")


@pytest.fixture(scope="module")
def check_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    ws = {w.siglum: w for w in load_store(ROOT / "witnesses")}
    path = tmp_path_factory.mktemp("check") / "check.html"
    path.write_text(render_check(check(ws["frus"], ws["web"])), encoding="utf-8")
    return path.as_uri()


def open_report(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#report[data-ready='1']")


def web_typo(page: Any) -> Any:
    """Web's reading 'Easter' (against frus's 'Eastern') in the synoptic view."""
    return page.locator(f"#synopsis-table tbody.on {WEB} u.rd.v-typo", has_text=re.compile("^Easter$")).first


def shown_rows(page: Any) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('#synopsis-table tbody tr')].filter(e => e.getClientRects().length).map(e => e.id)")  # type: ignore[no-any-return]


@pytest.fixture()
def csp_free_page(browser: Any) -> Iterator[Any]:
    """A page that may inject a testing script (axe-core) past the report's CSP; errors still fail."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    yield pg
    context.close()
    assert not errors, errors


def axe_source() -> str:
    given = os.environ.get("COLLATE_AXE_CORE")
    path = Path(given) if given else AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists() and not given:
        try:
            subprocess.run(AXE_INSTALL, check=True, capture_output=True, timeout=300)
        except (OSError, subprocess.SubprocessError) as exc:
            message = f"AXE-CORE TESTS NOT RUN: cannot install axe-core ({' '.join(AXE_INSTALL)}): {exc}"
            if os.environ.get("COLLATE_REQUIRE_BROWSER"):
                pytest.fail(message, pytrace=False)
            pytest.skip(message)
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the page as a document


def test_without_javascript_the_text_and_apparatus_are_there(browser: Any, aide_memoire: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(aide_memoire)
    rows = page.locator("#synopsis-table tbody tr")
    assert rows.count() == 13 and all(rows.nth(i).is_visible() for i in range(rows.count()))
    assert "withdrawal of Germany forces from Easter front" in " ".join(page.locator("#synopsis-table").inner_text().split())
    entries = page.locator("#apparatus-list li")
    assert entries.count() == 28  # web against frus; nothing is counted against corr1957, another translation
    entries.last.scroll_into_view_if_needed()
    assert entries.last.is_visible()
    assert "Eastern] frus; Easter web typo" in page.locator("#apparatus-list").inner_text()
    assert page.locator("#controls").is_hidden()  # controls that would do nothing are not shown
    context.close()


def test_variants_are_highlighted_by_class_and_not_by_colour_alone(page: Any, aide_memoire: str) -> None:
    open_report(page, aide_memoire)
    for cls in ("typo", "substitution", "omission", "transposition", "orthographic", "spacing", "lacuna"):
        assert page.locator(f"#synopsis-table .rd.v-{cls}").count() > 0, cls
    easter = web_typo(page)
    assert easter.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert easter.evaluate("e => getComputedStyle(e).textDecorationStyle") == "wavy"
    miss = easter.locator(".ch-miss")  # the letter web lacks is a mark, not part of its text: Easter[n]
    assert miss.evaluate("e => getComputedStyle(e, '::before').content").startswith('"[" attr(data-miss) "]"') or \
        miss.evaluate("e => getComputedStyle(e, '::before').content").startswith('"[n]"')
    assert easter.text_content() == "Easter"
    tr = page.locator("#synopsis-table .rd.v-transposition").first
    assert "\u21c4" in tr.evaluate("e => getComputedStyle(e, '::before').content")
    assert page.locator("#synopsis-table td.lost").first.text_content().strip() == "text lost"
    # the class is said (to screen readers always; on screen on demand)
    label = "e => [getComputedStyle(e, '::after').content, getComputedStyle(e, '::after').position]"
    assert easter.evaluate(label) == ['" typo"', "absolute"]
    page.check("#show-tags")
    assert easter.evaluate(label) == ['" typo"', "static"]


def test_class_and_witness_filters_hide_and_show(page: Any, aide_memoire: str) -> None:
    open_report(page, aide_memoire)
    easter = web_typo(page)
    typo_entries = page.locator("#apparatus-list .rd.v-typo:visible")
    assert typo_entries.count() > 0
    page.uncheck("input[data-filter-class='typo']")
    assert easter.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert easter.evaluate("e => getComputedStyle(e).textDecorationLine") == "none"
    assert easter.is_visible()  # the text stays; only its highlighting goes
    assert typo_entries.count() == 0
    page.check("input[data-filter-class='typo']")
    assert easter.evaluate("e => getComputedStyle(e).textDecorationStyle") == "wavy"
    assert typo_entries.count() > 0

    frus = page.locator("#synopsis-table tr > :nth-child(2)")
    assert frus.first.is_visible()
    page.uncheck("input[data-filter-wit='0']")
    assert all(not frus.nth(i).is_visible() for i in range(frus.count()))
    assert page.locator("#synopsis-table tr > :nth-child(3)").first.is_visible()
    page.locator("#apparatus-list").scroll_into_view_if_needed()
    assert "frus" not in page.locator("#apparatus-list").inner_text()
    assert page.locator("#title").inner_text() == "Collation of 2 witnesses: web, corr1957"
    page.check("input[data-filter-wit='0']")
    assert frus.nth(1).is_visible()
    page.locator("#apparatus-list").scroll_into_view_if_needed()
    assert "frus" in page.locator("#apparatus-list").inner_text()


def test_hovering_a_reading_highlights_its_counterparts(page: Any, aide_memoire: str) -> None:
    open_report(page, aide_memoire)
    easter = web_typo(page)
    loc = easter.get_attribute("data-l")
    easter.hover()
    lit = page.locator(".hl")
    assert lit.count() >= 3  # web's reading, frus's (the base) and the apparatus entry
    texts = [lit.nth(i).text_content() for i in range(lit.count())]
    assert "Eastern" in texts and "Easter" in texts
    assert page.locator(f"#a{loc}").evaluate("e => e.classList.contains('hl')")
    page.mouse.move(5, 5)
    assert page.locator(".hl").count() == 0


def test_overview_marks_are_links_that_open_their_passage_and_update_the_address(page: Any, aide_memoire: str) -> None:
    open_report(page, aide_memoire)
    marks = page.get_by_role("link", name=re.compile(r"^p\d+\.\d+(\+\d+)?: \d+ variant location"))
    assert marks.count() == page.locator("#overview a").count() > 5  # announced as links, by name
    mark = page.locator("#overview a").last
    target = mark.get_attribute("href")
    mark.click()
    row = page.locator(f"#synopsis-table tr[id='{target[1:]}']")
    box = row.bounding_box()
    assert box is not None and box["y"] < 1000 and box["y"] + box["height"] > 0
    assert page.evaluate("location.hash") == target
    assert page.locator("#cite-passage").inner_text() == target[1:]
    # clicking a row cites it too
    first = page.locator("#synopsis-table tbody tr").first
    first.locator("td").nth(1).click()
    assert page.evaluate("location.hash") == "#" + first.get_attribute("id")


def test_a_passage_id_in_the_address_opens_its_row_on_any_page(page: Any, long_report: str) -> None:
    open_report(page, long_report)
    all_ids = page.evaluate("[...document.querySelectorAll('#synopsis-table tbody tr')].map(e => e.id)")
    assert len(all_ids) > 120 and len(shown_rows(page)) == 40
    ids = [all_ids[5], all_ids[-3]]
    for ident in ids:
        page.goto(f"{long_report}#{ident}")
        page.wait_for_selector("#report[data-ready='1']")
        row = page.locator(f"#synopsis-table tr[id='{ident}']")
        assert row.is_visible() and ident in shown_rows(page)
        box = row.bounding_box()
        assert box is not None and 0 <= box["y"] < 1000
    assert page.locator("#pager-top [data-page=current]").inner_text() == page.locator("#pager-top [data-page=count]").inner_text()


def test_the_controls_work_before_the_apparatus_is_parsed(page: Any, long_report: str) -> None:
    """The script stands between the synoptic view and the apparatus: a reader who turns
    a page or filters at once gets an apparatus that follows when it arrives."""
    page.add_init_script(
        """const mark = performance.mark.bind(performance);
        performance.mark = (name, ...rest) => {
          if (name === 'collate-ready') {
            window.__entriesAtReady = document.querySelectorAll('#apparatus-list li').length;
            document.querySelector('#pager-top [data-page=next]').click();
            document.querySelector("input[data-filter-class='substitution']").click();
          }
          return mark(name, ...rest);
        };"""
    )
    open_report(page, long_report)
    assert page.evaluate("window.__entriesAtReady") == 0
    shown = shown_rows(page)
    assert page.locator("#pager-top [data-page=current]").inner_text() == "2"
    refs = page.evaluate("[...document.querySelectorAll('#apparatus-list li > a')].filter(a => a.getClientRects().length).map(a => a.getAttribute('href').slice(1))")
    assert refs and set(refs) <= set(shown)
    assert page.locator("#apparatus-list ol.on .rd.v-substitution").count() > 0
    assert page.locator("#apparatus-list .rd.v-substitution:visible").count() == 0


def test_a_long_collation_is_paged_by_hiding_rows(page: Any, long_report: str) -> None:
    open_report(page, long_report)
    first = shown_rows(page)
    assert len(first) == 40
    pages = int(page.locator("#pager-top [data-page=count]").inner_text())
    assert pages >= 3
    page.click("#pager-top [data-page=next]")
    second = shown_rows(page)
    assert len(second) == 40 and not set(first) & set(second)
    assert page.locator("#pager-top [data-page=current]").inner_text() == "2"
    # the apparatus follows the page
    refs = page.evaluate("[...document.querySelectorAll('#apparatus-list li > a')].filter(a => a.getClientRects().length).map(a => a.getAttribute('href').slice(1))")
    assert refs and set(refs) <= set(second)
    page.select_option("[data-page=size]", "0")
    assert len(shown_rows(page)) == page.locator("#synopsis-table tbody tr").count()


def test_print_shows_every_row_and_states_its_filters(page: Any, long_report: str, tmp_path: Path) -> None:
    open_report(page, long_report)
    page.select_option("[data-page=size]", "20")
    assert len(shown_rows(page)) == 20
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("#controls").is_hidden()
    assert len(shown_rows(page)) == page.locator("#synopsis-table tbody tr").count() > 100
    assert page.locator("#apparatus-list li").last.is_visible()
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert len(shown_rows(page)) == 20

    url = write_report(load_store(ROOT / "witnesses"), tmp_path / "index.html", base=None)
    open_report(page, url)
    page.uncheck("input[data-filter-wit='0']")
    page.uncheck("input[data-filter-class='typo']")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    statement = page.locator("#filter-statement")
    assert statement.is_visible()
    text = statement.inner_text()
    assert "2 of 3 witnesses (hidden: corr1957)" in text and f"{len(CLASS_ORDER) - 1} of {len(CLASS_ORDER)} classes (hidden: typo)" in text
    counts = re.search(r"(\d+) of (\d+) variant readings", text)
    assert counts and 0 < int(counts[1]) < int(counts[2])
    assert page.locator("#title").inner_text() == "Collation of 2 witnesses: frus, web"
    assert "2 of 3 witnesses shown" in page.locator(".subtitle").inner_text()
    label = page.locator("#synopsis-table .rd.v-substitution").first.evaluate("e => getComputedStyle(e, '::after').position")
    assert label == "static"  # class labels print
    assert page.locator("#synopsis-table tr > :nth-child(2)").first.is_hidden()  # and the hidden column stays hidden, as said


# ---------------------------------------------------------------- any device, any input


@pytest.mark.parametrize("width", [360, 390, 768])
def test_no_horizontal_overflow_from_360_pixels(page: Any, aide_memoire: str, check_page: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    for url in (aide_memoire, check_page):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    open_report(page, aide_memoire)
    # no word is broken to fit: every witness word sits on one line
    broken = page.evaluate(
        """() => { const out = []; const r = document.createRange();
        for (const td of document.querySelectorAll('#synopsis-table tbody.on td')) {
          const walk = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
          for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            for (const m of n.data.matchAll(/[^\\s\\-\u2010]+/g)) {
              r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
              if (r.getClientRects().length > 1 && m[0].length < 20) out.push(m[0]);
            } } }
        return out; }"""
    )
    assert broken == []
    # the controls are one compact bar on a phone
    bar = page.locator("#controls").bounding_box()
    assert bar is not None and (width >= 768 or bar["height"] < 60)


def test_copied_apparatus_text_is_conventional_apparatus_text(browser: Any, aide_memoire: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    open_report(page, aide_memoire)
    entry = page.locator("#apparatus-list li", has_text="Easter web")
    entry.scroll_into_view_if_needed()
    copied = entry.evaluate(
        """async e => { const r = document.createRange(); r.selectNodeContents(e);
        const s = getSelection(); s.removeAllRanges(); s.addRange(r);
        document.execCommand('copy'); return navigator.clipboard.readText(); }"""
    )
    assert copied == "p4.1 Eastern] frus; Easter web typo"
    two = page.locator("#apparatus-list li", has_text="the 12th August]")
    assert " ".join(two.inner_text().split()) == "p2.1 the 12th August] frus; August 12th web tr."
    # the accessibility tree reads the same words
    tree = entry.aria_snapshot()
    assert 'link "p4.1"' in tree and "Eastern] frus; Easter web typo" in tree, tree
    context.close()


def test_axe_core_finds_no_serious_or_critical_violations(csp_free_page: Any, aide_memoire: str, check_page: str) -> None:
    source = axe_source()
    page = csp_free_page
    for url, width in ((aide_memoire, 1400), (aide_memoire, 360), (check_page, 1400), (check_page, 360)):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        page.add_script_tag(content=source)
        found = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
               .filter(v => v.impact === 'serious' || v.impact === 'critical')
               .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
        )
        assert found == [], (url, width, found)


def test_keyboard_alone_reaches_the_filters_a_reading_and_the_overview(page: Any, aide_memoire: str) -> None:
    open_report(page, aide_memoire)
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")

    def where() -> str:
        return page.evaluate(  # type: ignore[no-any-return]
            """() => { const e = document.activeElement; const g = e.closest('fieldset, #overview, #synopsis-table, #apparatus-list, #pager-top');
            return (g ? (g.id || g.tagName) + ':' : '') + e.tagName + (e.className ? '.' + e.className.split(' ').join('.') : ''); }"""
        )

    stops = []
    for _ in range(30):
        page.keyboard.press("Tab")
        stops.append(where())
        if stops[-1].startswith("synopsis-table:"):
            break
    assert stops[0] == "A.skip"
    for group in ("overview:", "class-filters:", "witness-filters:", "pager-top:"):
        assert sum(s.startswith(group) for s in stops) == 1, (group, stops)  # one Tab stop per group
    assert stops.index(next(s for s in stops if s.startswith("class-filters:"))) < 15
    # inside the synoptic view the arrow keys move to a reading, and Enter cites its passage
    page.keyboard.press("ArrowRight")
    assert where().startswith("synopsis-table:U.rd")
    page.keyboard.press("ArrowDown")
    assert where() == "synopsis-table:A"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#p2.1"
    # back to the class filters: arrows move between boxes, Space toggles one
    page.focus("input[data-filter-class]")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.getAttribute('data-filter-class')") == "addition"
    page.keyboard.press("Space")
    assert page.evaluate("document.getElementById('report').classList.contains('hide-addition')")
    # and in the overview the arrows walk the marks, which stay links
    page.focus("#overview a")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.closest('#overview li') === document.querySelectorAll('#overview li')[1]")


def test_cues_that_tell_classes_apart_have_contrast(page: Any, aide_memoire: str) -> None:
    """Lines, borders and marks that carry a class: at least 3:1 against what they sit on."""
    open_report(page, aide_memoire)
    ratios = page.evaluate(
        """() => {
        const ctx = document.createElement('canvas').getContext('2d', {willReadFrequently: true});
        const rgba = c => { ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = '#fdfcf8'; ctx.fillRect(0, 0, 1, 1);
                            ctx.fillStyle = c; ctx.fillRect(0, 0, 1, 1); return ctx.getImageData(0, 0, 1, 1).data; };
        const lum = c => { const v = [0, 1, 2].map(i => { const x = c[i] / 255; return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                           return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
        const ratio = (a, b) => { const [x, y] = [lum(rgba(a)), lum(rgba(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
        const out = {};
        for (const e of document.querySelectorAll('#legend .rd')) {
          const s = getComputedStyle(e); const cls = [...e.classList].find(c => c.startsWith('v-'));
          const line = s.textDecorationLine !== 'none' && cls !== 'v-omission' ? s.textDecorationColor : s.borderTopColor;
          out[cls] = ratio(line, s.backgroundColor);
        }
        for (const e of document.querySelectorAll('#overview a')) { out['mark ' + e.className] = ratio(getComputedStyle(e).backgroundColor, '#ffffff'); }
        const text = document.querySelector('#coverage .cs-text'), bar = document.querySelector('#coverage .cov-bar');
        out['coverage: text on the strip'] = ratio(getComputedStyle(text).backgroundColor, getComputedStyle(bar).backgroundColor);
        out['coverage: the edge of the strip'] = ratio(getComputedStyle(bar).borderTopColor, '#fdfcf8');
        const lost = getComputedStyle(document.querySelector('#coverage .cs-lost')).backgroundImage.match(/rgb\\([^)]*\\)/g);
        out['coverage: lost stripes'] = ratio(lost[0], getComputedStyle(bar).backgroundColor);
        return out; }"""
    )
    assert len(ratios) >= 10
    low = {k: round(v, 2) for k, v in ratios.items() if v < 3}
    assert low == {}


READS_LEFT_TO_RIGHT = """(nodes) => nodes.map(root => {
    const texts = [];
    if (root.nodeType === Node.TEXT_NODE) { texts.push(root); } else {
      const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode()) texts.push(n); }
    const r = document.createRange(); const xs = [];
    for (const n of texts) for (let i = 0; i < n.data.length; i++) {
      if (!n.data[i].trim() || n.data.charCodeAt(i) === 0x202e) continue;
      r.setStart(n, i); r.setEnd(n, i + 1); xs.push(r.getBoundingClientRect().x); }
    return xs.length > 1 && xs.every((x, i) => i === 0 || x > xs[i - 1]); })"""
"""For each node: do its characters (bidi controls aside) stand left to right?"""


def test_bidi_controls_in_a_witness_do_not_reverse_its_neighbours(page: Any, tmp_path: Path) -> None:
    witnesses = [Witness("paris", "We went to Paris today."), Witness("london2", "We went to \u202eLondon today.")]
    open_report(page, write_report(witnesses, tmp_path / "index.html", base="paris"))
    sigla = page.locator("#apparatus-list li i", has_text="london2")
    assert sigla.count() >= 1
    assert all(sigla.evaluate_all(READS_LEFT_TO_RIGHT))  # the sigla after the spoofing reading read left to right
    labels = page.locator("#apparatus-list li span", has_text="london2")
    assert all(labels.evaluate_all(f"ns => ({READS_LEFT_TO_RIGHT})(ns.map(n => n.lastChild))"))  # and so do the class labels
    heads = page.locator("#synopsis-table thead .siglum")
    assert all(heads.evaluate_all(READS_LEFT_TO_RIGHT))
    # the control: without the isolates the same sigla are reversed (so the check above can fail)
    page.add_style_tag(content="* { unicode-bidi: normal !important; }")
    assert not all(sigla.evaluate_all(READS_LEFT_TO_RIGHT))


def test_a_siglum_with_bidi_controls_cannot_reverse_what_the_script_writes(page: Any, tmp_path: Path) -> None:
    witnesses = [Witness("paris", "We went to Paris today."), Witness("\u202eevil", "We went to London today."),
                 Witness("rome", "We went to Rome today.")]
    open_report(page, write_report(witnesses, tmp_path / "index.html", base="paris"))
    page.uncheck("input[data-filter-wit='1']")
    page.uncheck("input[data-filter-wit='2']")
    tail = "ns => ({READS})([ns[0].lastChild])[0]".replace("{READS}", READS_LEFT_TO_RIGHT)
    assert page.locator("#filter-statement").evaluate_all(tail)  # "; 10 of 10 classes; ..." after the hidden sigla
    assert page.locator("#title").inner_text() == "Collation of 1 witness: paris"


def test_bidi_controls_on_the_check_page_stay_inside_their_error(page: Any, tmp_path: Path) -> None:
    path = tmp_path / "check.html"
    path.write_text(render_check(check(Witness("ref", "We went to Paris today."), Witness("wit", "We went to \u202eLondon today."))), encoding="utf-8")
    page.goto(path.as_uri())
    after = page.locator("#witness-text a.rd")
    check_tail = f"ns => ({READS_LEFT_TO_RIGHT})([ns[ns.length - 1].nextSibling])[0]"
    assert after.last.evaluate("e => e.nextSibling.data") == " today."
    assert after.evaluate_all(check_tail)
    page.add_style_tag(content="* { unicode-bidi: normal !important; }")
    assert not after.evaluate_all(check_tail)


def test_hostile_witness_text_never_runs(page: Any, tmp_path: Path) -> None:
    evil = (
        'Dear <script>window.__pwned=1</script> friend, <img src=x onerror="window.__pwned=1"> '
        "says \"quoted\" ' onmouseover='window.__pwned=4' </script><script>window.__pwned=3</script> bold."
    )
    witnesses = [
        Witness("clean", "Dear friend, says quoted and bold."),
        Witness('e" onmouseover="window.__pwned=5', evil, WitnessMeta(title="<img src=x onerror=window.__pwned=2>")),
    ]
    url = write_report(witnesses, tmp_path / "index.html", base="clean")
    open_report(page, url)
    for span in page.locator("#synopsis-table .rd").all():
        span.hover()
    page.mouse.move(5, 5)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img").count() == 0
    column = "".join(page.locator("#synopsis-table tbody td:nth-child(3)").all_text_contents())
    assert '<img src=x onerror="window.__pwned=1">' in column
    assert "</script><script>window.__pwned=3</script>" in column
    assert "<img src=x onerror=window.__pwned=2>" in page.locator(".witness-card").nth(1).text_content()
    page.hover("#synopsis-table thead th:nth-child(3)")
    page.hover(".witness-card >> nth=1")
    page.set_viewport_size({"width": 360, "height": 800})  # the stacked layout labels cells with the siglum, from CSS
    label = page.locator("#synopsis-table tbody td:nth-child(3)").first.evaluate("e => getComputedStyle(e, '::before').content")
    assert label == '"e\\" onmouseover=\\"window.__pwned=5"'
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert 'e" onmouseover="window.__pwned=5' in page.locator("#synopsis-table thead th:nth-child(3) .siglum").text_content()


def test_screenshots_for_the_readme(page: Any, aide_memoire: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("COLLATE_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1250})
    open_report(page, aide_memoire)
    page.screenshot(path=str(shots / "report-summary.png"))
    page.set_viewport_size({"width": 1400, "height": 900})
    page.evaluate(
        """() => {
        const row = document.getElementById('p4.1');
        const over = document.getElementById('controls').offsetHeight + document.querySelector('#synopsis-table thead').offsetHeight;
        window.scrollTo(0, row.getBoundingClientRect().top + window.scrollY - over);
    }"""
    )
    web_typo(page).hover()
    page.screenshot(path=str(shots / "report-synoptic.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("document.getElementById('p4.1').scrollIntoView()")
    page.screenshot(path=str(shots / "report-phone.png"))
    for name in ("report-summary.png", "report-synoptic.png", "report-phone.png"):
        assert (shots / name).stat().st_size > 20_000


# ---------------------------------------------------------------- the check page a transcriber works from


def in_view(page: Any, selector: str) -> bool:
    return page.evaluate(  # type: ignore[no-any-return]
        "s => { const r = document.querySelector(s).getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }", selector)


def test_check_page_errors_and_marks_link_both_ways_by_mouse_and_by_keyboard(page: Any, check_page: str) -> None:
    page.goto(check_page)
    n = page.evaluate("[...document.querySelectorAll('#error-table tbody tr')].find(r => r.querySelector('td[data-label=witness]').textContent === 'Easter').id.slice(1)")
    # the row's witness place, clicked: the mark in the witness's text, in view and focused
    page.click(f"#e{n} td.where a[href='#w{n}']")
    assert page.evaluate("location.hash") == f"#w{n}" and in_view(page, f"#w{n}")
    assert page.evaluate("document.activeElement.id") == f"w{n}"
    assert page.locator(f"#w{n}").evaluate("e => e.closest('#witness-text') !== null && e.textContent.startsWith('Easter')")
    assert page.locator(f"#w{n}").evaluate("e => getComputedStyle(e).outlineStyle") == "solid"  # marked as the target
    # Enter on the mark: back to its row, and Tab goes on from there to the row's links
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == f"#e{n}" and in_view(page, f"#e{n}")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("[document.activeElement.closest('tr').id, document.activeElement.getAttribute('href')]") == [f"e{n}", f"#r{n}"]
    # Enter on the reference place: the mark in the reference's text; a click on it, the row again
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == f"#r{n}" and in_view(page, f"#r{n}")
    assert page.locator(f"#r{n}").evaluate("e => e.closest('#reference-text') !== null && e.textContent.startsWith('Eastern')")
    page.click(f"#r{n}")
    assert page.evaluate("location.hash") == f"#e{n}" and in_view(page, f"#e{n}")


def test_check_page_shows_one_class_and_its_first_error_without_script(browser: Any, check_page: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(check_page)

    def shown() -> list[str]:
        return page.evaluate("[...document.querySelectorAll('#error-table tbody tr')].filter(e => e.getClientRects().length).map(e => e.dataset.class)")  # type: ignore[no-any-return]

    everything = shown()
    assert len(everything) == 27 and page.locator("#only-typo").is_hidden()
    page.click("#filters a[href='#only-typo']")
    assert shown() == ["typo"] * 7 and page.locator("#only-typo").is_visible()
    page.click("#only-typo a")
    assert shown() == everything
    page.click("#class-table tr[data-class='omission'] a")
    first = page.evaluate("location.hash")
    assert page.locator(f"{first} td").nth(1).inner_text() == "omission" and in_view(page, first)
    assert first == "#e" + str(everything.index("omission") + 1)
    context.close()


def test_copied_corrections_are_the_corrections_file(browser: Any, check_page: str) -> None:
    from collate.render.check import located
    from collate.render.corrections import corrections, to_text

    ws = {w.siglum: w for w in load_store(ROOT / "witnesses")}
    report = check(ws["frus"], ws["web"])
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(check_page)
    copied = page.locator("#corrections-list").evaluate(
        """async e => { const r = document.createRange(); r.selectNodeContents(e);
        const s = getSelection(); s.removeAllRanges(); s.addRange(r);
        document.execCommand('copy'); return navigator.clipboard.readText(); }"""
    )
    assert copied + "\n" == to_text(corrections(report, located(report)))  # the selection ends at the last line's end
    assert copied.split("\n")[:2] == ["l. 1: delete \u2018AIDE-MEMORIE\u2019", "l. 3: August 12th \u2192 the 12th August"]
    context.close()


def test_the_witness_column_keeps_the_witness_line_breaks(page: Any, tmp_path: Path) -> None:
    reference = "As the result of an exchange of views in Moscow which took place on the 12th August"
    witness = "As the resu1t of an\nexchange of views in\nMoscow which took place\non the 12th Augvst"  # errors inside lines
    path = tmp_path / "check.html"
    path.write_text(render_check(check(Witness("ref", reference), Witness("wit", witness))), encoding="utf-8")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(path.as_uri())
    starts = page.evaluate(
        """words => { const box = document.getElementById('witness-text'); const out = [];
        const w = document.createTreeWalker(box, NodeFilter.SHOW_TEXT); const r = document.createRange();
        for (let n = w.nextNode(); n; n = w.nextNode()) for (const word of words) {
          const i = n.data.indexOf(word); if (i < 0 || (i > 0 && n.data[i - 1] !== '\\n')) continue;
          r.setStart(n, i); r.setEnd(n, i + word.length); const b = r.getBoundingClientRect(); out.push([word, b.left, b.top]); }
        const first = box.firstChild; r.setStart(first, 0); r.setEnd(first, 2);
        out.unshift(['As', r.getBoundingClientRect().left, r.getBoundingClientRect().top]); return out; }""",
        ["exchange", "Moscow", "on "],
    )
    assert [w for w, _, _ in starts] == ["As", "exchange", "Moscow", "on "]
    lefts, tops = [x for _, x, _ in starts], [y for _, _, y in starts]
    assert max(lefts) - min(lefts) < 1  # each line of the witness starts at the column's left edge
    assert all(b > a + 5 for a, b in zip(tops, tops[1:]))  # on a line of its own, though the column has room


# ---------------------------------------------------------------- translations and coverage


def test_every_row_holds_the_same_passage_in_all_three_witnesses(page: Any, aide_memoire: str) -> None:
    """Each row, as the browser shows it, holds in frus and corr1957 exactly the sentences
    that the hand-made alignment (tests/data/passages/aide_memoire_gold.json) pairs with
    the web sentence the row is named after."""
    import json

    gold = json.loads((ROOT / "tests" / "data" / "passages" / "aide_memoire_gold.json").read_text(encoding="utf-8"))
    texts = {w.siglum: w.text for w in load_store(ROOT / "witnesses")}
    open_report(page, aide_memoire)
    page.select_option("[data-page=size]", "0")
    shown = page.evaluate(
        """() => [...document.querySelectorAll('#synopsis-table tbody tr')].filter(tr => tr.getClientRects().length).map(tr => {
             const cells = [...tr.querySelectorAll('td')].map(td => {
               const copy = td.cloneNode(true); copy.querySelectorAll('.v-lacuna').forEach(e => e.remove());
               return copy.textContent; });
             return [tr.id, cells]; })"""
    )
    assert [row for row, _ in shown] == [x[0] for x in gold["witnesses"]["web"]["sentences"]]
    order = ["frus", "web", "corr1957"]
    for row, cells in shown:
        (bead,) = [b for b in gold["beads"] if row in b["web"]]
        for siglum, cell in zip(order, cells):
            words = " ".join(cell.split())
            want = bead[siglum] if siglum != "web" else [row]
            spans = [(x.id, " ".join(texts[siglum][x.start : x.end].split())) for x in sentences(texts[siglum])]
            have = [i for i, sentence in spans if words and (sentence in words or words in sentence)]
            assert have == want, (row, siglum, words[:60], have, want)
        assert cells[1].strip()  # web, the passage base, has every passage


def test_each_witness_coverage_is_a_strip_with_a_text_alternative(page: Any, aide_memoire: str) -> None:
    open_report(page, aide_memoire)
    items = page.locator("#coverage li")
    assert items.count() == 3
    frus = items.nth(0)
    assert frus.locator(".cov-bar").get_attribute("aria-hidden") == "true"  # the picture is decoration...
    said = " ".join(frus.locator(".cov-text").inner_text().split())  # ...the sentence beside it says it all
    assert said.startswith("paragraph 1 to the opening of paragraph 8: 322 of 433 words, 74 %")
    assert "Lost: after its last words" in said and "(passages p8.2–p10.2)" in said
    lost = frus.locator(".cs-lost")
    assert lost.count() == 1
    box, bar = lost.bounding_box(), frus.locator(".cov-bar").bounding_box()
    assert box and bar and abs(box["x"] + box["width"] - (bar["x"] + bar["width"])) < 3  # the lost end is at the end
    assert 0.15 < box["width"] / bar["width"] < 0.35
    assert items.nth(1).locator(".cs-text").count() == 1 and items.nth(1).locator(".cs-lost").count() == 0  # web: all of it
    assert "different translation" in page.locator("#synopsis-table thead th:nth-child(4)").inner_text().lower()
