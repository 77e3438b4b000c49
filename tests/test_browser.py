"""The variant report in a real browser (Playwright driving Debian's chromium).

Checks that the page draws, highlights, filters, links on hover, jumps from
the overview strip, pages through a long collation, prints everything, runs
no witness text, and logs no console errors (the ``page`` fixture fails the
test on any).  Also takes the README's screenshots: into a temporary folder,
so a test run changes nothing tracked, or into the folder named by
``COLLATE_SCREENSHOTS`` (``COLLATE_SCREENSHOTS=docs/screenshots pytest -k
screenshots`` refreshes the README's pictures).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from collate.align import align
from collate.model import Witness, WitnessMeta
from collate.render.report import render_html
from collate.render.view import build_view
from collate.store import load_store
from collate.variants import find_variants

ROOT = Path(__file__).resolve().parent.parent


def write_report(witnesses: Sequence[Witness], path: Path, *, base: str | None) -> str:
    alignment = align(witnesses)
    view = build_view(find_variants(alignment, base=base))
    path.write_text(render_html(view), encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def aide_memoire(tmp_path_factory: pytest.TempPathFactory) -> str:
    return write_report(load_store(ROOT / "witnesses"), tmp_path_factory.mktemp("am") / "index.html", base="frus")


def open_report(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("#report[data-ready='1']")


def web_typo(page: Any) -> Any:
    """Web's reading 'Easter' (against frus's 'Eastern') in the synoptic view."""
    spans = page.locator("#synopsis-body td[data-w='2'] .rd.v-typo")
    for i in range(spans.count()):
        if spans.nth(i).text_content() == "Easter":
            return spans.nth(i)
    raise AssertionError("web's Easter is not drawn as a typo")


def test_variants_are_highlighted_by_class_and_not_by_colour_alone(page: Any, aide_memoire: str) -> None:
    open_report(page, aide_memoire)
    assert page.locator("#synopsis-body tr").count() >= 5
    for cls in ("typo", "substitution", "omission", "transposition", "orthographic", "spacing", "lacuna"):
        assert page.locator(f"#synopsis-body .rd.v-{cls}").count() > 0, cls
    easter = web_typo(page)
    # colour and a line style: a tinted background and a wavy underline
    assert easter.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert easter.evaluate("e => getComputedStyle(e).textDecorationStyle") == "wavy"
    # the letter web lacks is shown as a mark, not as part of web's text: Easter[n]
    miss = easter.locator(".ch-miss")
    assert miss.evaluate("e => getComputedStyle(e, '::before').content") == '"[n]"'
    assert easter.text_content() == "Easter"
    # a transposition and a lacuna say what they are
    tr = page.locator("#synopsis-body .rd.v-transposition").first
    assert "\u21c4" in tr.evaluate("e => getComputedStyle(e, '::before').content")
    lost = page.locator("#synopsis-body td.lost").first
    assert lost.text_content().strip() == "text lost"
    # the class labels appear on demand
    page.check("#show-tags")
    assert easter.evaluate("e => getComputedStyle(e, '::after').content") == '"typo"'


def test_class_and_witness_filters_hide_and_show(page: Any, aide_memoire: str) -> None:
    open_report(page, aide_memoire)
    easter = web_typo(page)
    typo_entries = page.locator("#apparatus-list .rd.v-typo")
    assert typo_entries.count() > 0
    page.uncheck("input[data-filter-class='typo']")
    assert easter.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert easter.evaluate("e => getComputedStyle(e).textDecorationLine") == "none"
    assert easter.is_visible()  # the text stays; only its highlighting goes
    assert typo_entries.count() == 0
    page.check("input[data-filter-class='typo']")
    assert easter.evaluate("e => getComputedStyle(e).textDecorationStyle") == "wavy"
    assert typo_entries.count() > 0

    corr = page.locator("#synopsis-table [data-w='0']")
    assert corr.first.is_visible()
    page.uncheck("input[data-filter-wit='0']")
    assert all(not corr.nth(i).is_visible() for i in range(corr.count()))
    assert page.locator("#synopsis-table td[data-w='1']").first.is_visible()
    assert "corr1957" not in page.locator("#apparatus-list").text_content()
    page.check("input[data-filter-wit='0']")
    assert corr.nth(1).is_visible()
    assert "corr1957" in page.locator("#apparatus-list").text_content()


def test_hovering_a_reading_highlights_its_counterparts(page: Any, aide_memoire: str) -> None:
    open_report(page, aide_memoire)
    easter = web_typo(page)
    loc = easter.get_attribute("data-loc")
    easter.hover()
    lit = page.locator(f"[data-loc='{loc}'].hl")
    n_lit = lit.count()
    assert n_lit >= 4  # three witnesses' readings and the apparatus entry
    texts = [lit.nth(i).text_content() for i in range(lit.count())]
    assert "Eastern" in texts
    assert page.locator(f"#apparatus-list li[data-loc='{loc}']").evaluate("e => e.classList.contains('hl')")
    page.mouse.move(5, 5)
    assert page.locator(".hl").count() == 0
    easter.focus()  # the keyboard does the same
    assert lit.count() == n_lit


def test_overview_marks_jump_to_their_place(page: Any, aide_memoire: str) -> None:
    open_report(page, aide_memoire)
    marks = page.locator("#overview .ov-mark")
    assert marks.count() > 5
    mark = marks.nth(marks.count() - 1)
    loc = mark.get_attribute("data-loc")
    mark.click()
    target = page.locator(f"#synopsis-body [data-loc='{loc}']").first
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] <= 1000
    assert page.evaluate("window.scrollY") > 500


def test_print_shows_every_row_without_controls(page: Any, tmp_path: Path) -> None:
    url = write_report(load_store(ROOT / "witnesses"), tmp_path / "index.html", base=None)
    open_report(page, url)
    page.select_option(".pager select", "20")
    rows_on_screen = page.locator("#synopsis-body tr").count()
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator("#controls").is_hidden()
    total = page.evaluate("JSON.parse(document.getElementById('collation-data').textContent).rows.length")
    assert page.locator("#synopsis-body tr").count() == total >= rows_on_screen
    assert page.locator("#synopsis-body .rd[data-abbr]").first.evaluate("e => getComputedStyle(e, '::after').content") != "none"
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert page.locator("#synopsis-body tr").count() == rows_on_screen


def test_a_long_collation_is_paged(page: Any, tmp_path: Path) -> None:
    from collate.testing.synth import base_text, witness_set

    witnesses, _ = witness_set(base_text(4000, seed=7), copies=2, seed=7, rate=0.04)
    url = write_report(witnesses, tmp_path / "index.html", base="base")
    open_report(page, url)
    rows = page.locator("#synopsis-body tr")
    assert 0 < rows.count() <= 40
    pages = int(page.locator("#pager-top [data-page=count]").text_content())
    assert pages >= 3
    first = rows.first.get_attribute("data-row")
    page.click("#pager-top [data-page=next]")
    assert rows.first.get_attribute("data-row") != first
    assert page.locator("#pager-top [data-page=input]").input_value() == "2"
    # a mark near the end jumps to a later page and shows its place
    marks = page.locator("#overview .ov-mark")
    mark = marks.nth(marks.count() - 1)
    loc = mark.get_attribute("data-loc")
    mark.click()
    assert int(page.locator("#pager-top [data-page=input]").input_value()) == pages
    box = page.locator(f"#synopsis-body [data-loc='{loc}']").first.bounding_box()
    assert box is not None and 0 <= box["y"] <= 1000


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
    for span in page.locator("#synopsis-body .rd").all():
        span.hover()
    page.mouse.move(5, 5)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img").count() == 0
    cell = page.locator("#synopsis-body td[data-w='1']").first.text_content()
    assert '<img src=x onerror="window.__pwned=1">' in cell
    assert "</script><script>window.__pwned=3</script>" in cell
    assert "<img src=x onerror=window.__pwned=2>" in page.locator(".witness-card").nth(1).text_content()
    page.hover("#synopsis-table thead th[data-w='1']")
    page.hover(".witness-card >> nth=1")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert 'e" onmouseover="window.__pwned=5' in page.locator("#synopsis-table thead th[data-w='1'] .siglum").text_content()


def test_screenshots_for_the_readme(page: Any, aide_memoire: str, tmp_path: Path) -> None:
    shots = Path(os.environ.get("COLLATE_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1250})
    open_report(page, aide_memoire)
    page.screenshot(path=str(shots / "report-summary.png"))
    page.set_viewport_size({"width": 1400, "height": 900})
    page.evaluate(
        """() => {
        const row = document.getElementById('row-3');
        const over = document.getElementById('controls').offsetHeight + document.querySelector('#synopsis-table thead').offsetHeight;
        window.scrollTo(0, row.getBoundingClientRect().top + window.scrollY - over);
    }"""
    )
    web_typo(page).hover()
    page.screenshot(path=str(shots / "report-synoptic.png"))
    for name in ("report-summary.png", "report-synoptic.png"):
        assert (shots / name).stat().st_size > 20_000
