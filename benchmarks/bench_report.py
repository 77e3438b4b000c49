#!/usr/bin/env python3
"""Variant-report benchmark (issues 3, 11 and 13): `collate report` on book-length collations,
side by side with the previous release, in the same run.

    python3 benchmarks/bench_report.py [--words 20000 100000] [--runs 5] [--prev 3b5a682]
                                       [--out benchmarks/results/report.json]

For each size, five witnesses of N words (a text from ``collate.testing.synth.base_text``
and four noisy copies from ``collate.testing.synth.witness_set``, 5 % of words edited)
are written to a temporary folder, then:

1. this tree's stages are timed in this process (align, variants, view, HTML, JSON,
   TEI), best of ``--repeat``;
2. the whole command (``python -m collate report FILES --out DIR``) is run once for
   this tree and once for the previous release (``git archive PREV`` into a temporary
   folder, run from there), each timed from spawn to exit; both ``index.html`` sizes
   are recorded;
3. both pages are opened in Debian's chromium (Playwright), alternately, ``--runs``
   times each (the machine is shared: alternating spreads the load over both), and
   measured: time to the first synoptic row on screen (the first animation frame in
   which a row exists: the previous release draws rows from its script, this one has
   them in the HTML), time to the script's ``collate-ready`` mark (its controls
   work from then on; this tree's script stands after the synoptic view), time to
   ``collate-complete`` (the whole page parsed and the apparatus wired; the
   previous release has no such mark, its ready mark is used), first contentful
   paint, DOM elements; then, inside the page, to
   the second animation frame after the action (so style, layout and paint count): a
   page change, a class-filter toggle, a witness-filter toggle, a hover, an overview
   jump.  Medians and minima are reported, and each figure's ratio to the previous
   release's.

Prints a markdown table per size and writes every number to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from collate.align import align  # noqa: E402
from collate.render.report import render_html, to_json  # noqa: E402
from collate.render.tei import to_tei  # noqa: E402
from collate.render.view import build_view  # noqa: E402
from collate.testing.synth import base_text, witness_set  # noqa: E402
from collate.variants import find_variants  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ROWS = "#synopsis-table tbody tr, #synopsis-body tr"  # this tree's rows, the previous release's rows

# Before the page's own scripts: note the time of the first animation frame in which a synoptic row exists.
FIRST_ROWS = """(() => {
  const look = () => {
    if (document.querySelector(%r)) { window.__firstRows = performance.now(); return; }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();""" % ROWS

# Runs an action in the page and resolves with the milliseconds until the second frame after it.
TIMED = """(action) => new Promise((resolve) => {
  const t0 = performance.now();
  action();
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
})"""

ACTIONS = {
    "page_change_ms": (3, "document.querySelector('#pager-top [data-page=next]').click()"),
    "class_filter_ms": (4, "document.querySelector(\"input[data-filter-class='substitution']\").click()"),
    "witness_filter_ms": (4, "document.querySelector(\"input[data-filter-wit='1']\").click()"),
    "hover_ms": (3, "const e = document.querySelector('#synopsis-table tbody.on .rd[data-l], #synopsis-body .rd[data-loc]');"
                    " e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));"),
    "overview_jump_ms": (1, "const m = document.querySelectorAll('#overview .ov-mark'); m[m.length - 1].click();"),
}


def timed(page: Any, js_action: str) -> float:
    return float(page.evaluate(f"() => ({TIMED})(() => {{ {js_action} }})"))


def best(fn: Any, repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def one_visit(browser: Any, url: str) -> dict[str, float]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(FIRST_ROWS)
    page.goto(url, timeout=300_000)
    page.wait_for_selector("#report[data-ready='1']", timeout=300_000)
    page.wait_for_function("window.__firstRows !== undefined", timeout=60_000)
    out: dict[str, float] = page.evaluate(
        """() => ({
        first_rows_ms: window.__firstRows,
        ready_ms: performance.getEntriesByName('collate-ready')[0].startTime,
        complete_ms: (performance.getEntriesByName('collate-complete')[0] || performance.getEntriesByName('collate-ready')[0]).startTime,
        fcp_ms: (performance.getEntriesByName('first-contentful-paint')[0] || {startTime: NaN}).startTime,
        dom_elements: document.getElementsByTagName('*').length,
        js_heap_mb: performance.memory ? performance.memory.usedJSHeapSize / 1e6 : 0 })"""
    )
    for name, (times, js) in ACTIONS.items():
        out[name] = min(timed(page, js) for _ in range(times))
    out["console_errors"] = len(errors)
    page.close()
    return out


def browser_numbers(pages: dict[str, Path], runs: int) -> dict[str, dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    visits: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            for name, path in pages.items():
                visits[name].append(one_visit(browser, path.as_uri()))
        browser.close()
    out: dict[str, dict[str, Any]] = {}
    for name, seen in visits.items():
        keys = seen[0].keys()
        out[name] = {
            "median": {k: statistics.median(v[k] for v in seen) for k in keys},
            "min": {k: min(v[k] for v in seen) for k in keys},
            "runs": seen,
        }
    return out


def run_cli(cwd: Path, files: list[str], out_dir: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "collate", "report", *files, "--out", str(out_dir)],
                          cwd=cwd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"collate report failed in {cwd}:\n{proc.stderr}")
    return wall


def one_size(words: int, args: argparse.Namespace, prev_tree: Path) -> dict[str, Any]:
    witnesses, _ = witness_set(base_text(words, seed=args.seed), copies=args.copies, seed=args.seed, rate=args.rate)
    repeat = args.repeat if words <= 20_000 else 1
    stages: dict[str, float] = {}
    stages["align_s"], alignment = best(lambda: align(witnesses), repeat)
    stages["variants_s"], variants = best(lambda: find_variants(alignment, base=None), repeat)
    stages["build_view_s"], view = best(lambda: build_view(variants), repeat)
    stages["render_html_s"], html = best(lambda: render_html(view), repeat)
    stages["to_json_s"], js = best(lambda: to_json(variants), repeat)
    stages["to_tei_s"], tei = best(lambda: to_tei(variants), repeat)
    result: dict[str, Any] = {
        "witnesses": len(witnesses), "words_per_witness": words,
        "words_total": sum(len(w.text.split()) for w in witnesses),
        "columns": len(alignment.columns), "locations": len(variants), "rows": len(view.rows),
        "stages": stages,
        "sizes_mb": {"index.html": len(html.encode()) / 1e6, "collation.json": len(js.encode()) / 1e6,
                     "apparatus.xml": len(tei.encode()) / 1e6},
    }
    del alignment, variants, view, html, js, tei
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for w in witnesses:
            path = Path(tmp) / f"{w.siglum}.txt"
            path.write_text(w.text, encoding="utf-8")
            files.append(str(path))
        outs = {"this": Path(tmp) / "this", "previous": Path(tmp) / "previous"}
        result["cli_wall_s"] = {"this": run_cli(ROOT, files, outs["this"]), "previous": run_cli(prev_tree, files, outs["previous"])}
        result["index_html_mb"] = {k: (d / "index.html").stat().st_size / 1e6 for k, d in outs.items()}
        if not args.no_browser and Path(CHROMIUM).exists():
            result["browser"] = browser_numbers({k: d / "index.html" for k, d in outs.items()}, args.runs)
    return result


def ratios(result: dict[str, Any]) -> dict[str, float]:
    b = result.get("browser")
    out = {"cli_wall": result["cli_wall_s"]["this"] / result["cli_wall_s"]["previous"],
           "index_html": result["index_html_mb"]["this"] / result["index_html_mb"]["previous"]}
    if b:
        for k in ("first_rows_ms", "ready_ms", "complete_ms", *ACTIONS):
            out[k] = b["this"]["median"][k] / b["previous"]["median"][k]
    return out


def table(result: dict[str, Any]) -> list[str]:
    s, b, r = result["stages"], result.get("browser"), result["ratios"]
    lines = [
        f"### 5 witnesses × {result['words_per_witness']:,} words ({result['columns']:,} columns, "
        f"{result['locations']:,} variant locations, {result['rows']:,} passages)",
        "",
        "| measure | this tree | previous release | ratio |",
        "|---|---|---|---|",
        f"| whole command, spawn to exit | {result['cli_wall_s']['this']:.1f} s | {result['cli_wall_s']['previous']:.1f} s | {r['cli_wall']:.2f} |",
        f"| index.html | {result['index_html_mb']['this']:.2f} MB | {result['index_html_mb']['previous']:.2f} MB | {r['index_html']:.2f} |",
    ]
    if b:
        t, p = b["this"]["median"], b["previous"]["median"]
        tm, pm = b["this"]["min"], b["previous"]["min"]
        names = {"first_rows_ms": "first synoptic row on screen", "ready_ms": "script ready (controls work)",
                 "complete_ms": "whole page parsed and wired (apparatus too)",
                 "page_change_ms": "page change", "class_filter_ms": "class filter toggle",
                 "witness_filter_ms": "witness filter toggle", "hover_ms": "hover linking", "overview_jump_ms": "overview jump"}
        for k, label in names.items():
            lines.append(f"| {label} (median; min) | {t[k]:.0f} ms; {tm[k]:.0f} | {p[k]:.0f} ms; {pm[k]:.0f} | {r[k]:.2f} |")
        lines.append(f"| first contentful paint (median) | {t['fcp_ms']:.0f} ms | {p['fcp_ms']:.0f} ms | |")
        lines.append(f"| DOM elements on opening | {t['dom_elements']:,.0f} | {p['dom_elements']:,.0f} | |")
        lines.append(f"| console errors | {t['console_errors']:.0f} | {p['console_errors']:.0f} | |")
    lines += ["", "In-process stages of this tree: " + ", ".join(f"{k[:-2]} {v:.2f} s" for k, v in s.items()), ""]
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--words", type=int, nargs="+", default=[20_000, 100_000])
    ap.add_argument("--copies", type=int, default=4)
    ap.add_argument("--rate", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--runs", type=int, default=5, help="browser visits per page and size")
    ap.add_argument("--prev", default="3b5a682", help="the previous release (a commit of this repository)")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "report.json")
    args = ap.parse_args()

    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    results: dict[str, Any] = {
        "commit": commit, "previous_release": args.prev,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                    "load_average_at_start": os.getloadavg()[0]},
        "sizes": [],
    }
    with tempfile.TemporaryDirectory() as prev:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.prev], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", prev], input=archive, check=True)
        for words in args.words:
            result = one_size(words, args, Path(prev))
            result["ratios"] = ratios(result)
            results["sizes"].append(result)
            print("\n".join(table(result)), flush=True)
    results["machine"]["load_average_at_end"] = os.getloadavg()[0]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    m = results["machine"]
    print(f"{m['cpus']} CPUs, Python {m['python']}, 1-minute load average {m['load_average_at_start']:.1f} at start, "
          f"{m['load_average_at_end']:.1f} at end (other work on the machine slows the browser figures most; "
          "compare the ratios, measured in one run).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
