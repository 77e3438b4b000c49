#!/usr/bin/env python3
"""Variant-report benchmark for issue 3: `collate report` on a book-length collation.

    python3 benchmarks/bench_report.py [--words 20000] [--copies 4] [--out benchmarks/results/report.json]

Five witnesses of 20,000 words (a text from ``collate.testing.synth.base_text`` and four
noisy copies from ``collate.testing.synth.witness_set``, 5 % of words edited) are
collated:

1. in this process, stage by stage (align, variants, view, HTML, JSON, TEI),
   best of ``--repeat`` runs;
2. end to end with the real command (``python -m collate report FILES --out
   DIR``), one process timed from spawn to exit, imports included;
3. in Debian's chromium (Playwright), opening the ``index.html`` the command
   wrote: time to first render (navigation start to the script's
   ``collate-ready`` mark), then, measured inside the page to the second
   animation frame after the action (so layout and paint are included): a
   page change, a class-filter toggle, a witness-filter toggle, a hover, an
   overview jump, and drawing every row at once (what printing does).

Prints a markdown table and writes the numbers to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from collate.align import align  # noqa: E402
from collate.render.tei import to_tei  # noqa: E402
from collate.render.report import render_html, to_json  # noqa: E402
from collate.render.view import build_view  # noqa: E402
from collate.testing.synth import base_text, witness_set  # noqa: E402
from collate.variants import find_variants  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

# Runs an action in the page and resolves with the milliseconds until the second frame after it.
TIMED = """(action) => new Promise((resolve) => {
  const t0 = performance.now();
  action();
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
})"""


def timed(page: Any, js_action: str) -> float:
    return float(page.evaluate(f"() => ({TIMED})(() => {{ {js_action} }})"))


def best(fn: Any, repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def browser_numbers(html: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    out: dict[str, float] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        t = time.perf_counter()
        page.goto(html.as_uri())
        page.wait_for_selector("#report[data-ready='1']")
        out["open_wall_s"] = time.perf_counter() - t
        out["first_render_ms"] = page.evaluate("performance.getEntriesByName('collate-ready')[0].startTime")
        out["dom_elements"] = page.evaluate("document.getElementsByTagName('*').length")
        out["rows_total"] = page.evaluate("JSON.parse(document.getElementById('collation-data').textContent).rows.length")
        out["rows_on_page"] = page.locator("#synopsis-body tr").count()
        heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
        out["js_heap_mb"] = heap / 1e6
        out["page_change_ms"] = min(timed(page, "document.querySelector('#pager-top [data-page=next]').click()") for _ in range(3))
        out["class_filter_ms"] = min(
            timed(page, "const b = document.querySelector(\"input[data-filter-class='substitution']\"); b.click();")
            for _ in range(4)
        )
        out["witness_filter_ms"] = min(
            timed(page, "const b = document.querySelector(\"input[data-filter-wit='1']\"); b.click();") for _ in range(4)
        )
        out["hover_ms"] = min(
            timed(page, "const e = document.querySelector('#synopsis-body .rd[data-loc]'); "
                        "e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));")
            for _ in range(3)
        )
        out["overview_jump_ms"] = timed(page, "const m = document.querySelectorAll('#overview .ov-mark'); m[m.length - 1].click();")
        out["all_rows_ms"] = timed(page, "window.dispatchEvent(new Event('beforeprint'));")
        out["dom_elements_all_rows"] = page.evaluate("document.getElementsByTagName('*').length")
        out["console_errors"] = len(errors)
        browser.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, default=20_000)
    ap.add_argument("--copies", type=int, default=4)
    ap.add_argument("--rate", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "report.json")
    args = ap.parse_args()

    witnesses, _ = witness_set(base_text(args.words, seed=args.seed), copies=args.copies, seed=args.seed, rate=args.rate)
    words = sum(len(w.text.split()) for w in witnesses)
    stages: dict[str, float] = {}
    stages["align_s"], alignment = best(lambda: align(witnesses), args.repeat)
    stages["variants_s"], locations = best(lambda: find_variants(alignment, base=None), args.repeat)
    stages["build_view_s"], view = best(lambda: build_view(locations), args.repeat)
    stages["render_html_s"], html = best(lambda: render_html(view), args.repeat)
    stages["to_json_s"], js = best(lambda: to_json(locations), args.repeat)
    stages["to_tei_s"], tei = best(lambda: to_tei(locations), args.repeat)
    stages["pipeline_s"] = sum(stages.values())

    result: dict[str, Any] = {
        "witnesses": len(witnesses),
        "words_per_witness": args.words,
        "words_total": words,
        "columns": len(alignment.columns),
        "locations": len(locations),
        "rows": len(view.rows),
        "stages": stages,
        "sizes_mb": {"index.html": len(html.encode()) / 1e6, "collation.json": len(js.encode()) / 1e6,
                     "apparatus.xml": len(tei.encode()) / 1e6},
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                    "load_average_at_start": os.getloadavg()[0]},
    }

    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for w in witnesses:
            path = Path(tmp) / f"{w.siglum}.txt"
            path.write_text(w.text, encoding="utf-8")
            files.append(str(path))
        out_dir = Path(tmp) / "out"
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "collate", "report", *files, "--out", str(out_dir)],
                              cwd=ROOT, capture_output=True, text=True)
        result["cli_wall_s"] = time.perf_counter() - t
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            return proc.returncode
        if not args.no_browser and Path(CHROMIUM).exists():
            result["browser"] = browser_numbers(out_dir / "index.html")

    result["machine"]["load_average_at_end"] = os.getloadavg()[0]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    s, b = result["stages"], result.get("browser", {})
    lines = [
        f"`collate report` on {len(witnesses)} witnesses × {args.words:,} words "
        f"({result['columns']:,} columns, {result['locations']:,} variant locations, {result['rows']:,} rows)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| align | {s['align_s']:.2f} s |",
        f"| find_variants | {s['variants_s']:.2f} s |",
        f"| build_view | {s['build_view_s']:.2f} s |",
        f"| render_html | {s['render_html_s']:.2f} s |",
        f"| to_json | {s['to_json_s']:.2f} s |",
        f"| to_tei | {s['to_tei_s']:.2f} s |",
        f"| whole command, spawn to exit | {result['cli_wall_s']:.2f} s |",
        f"| index.html / collation.json / apparatus.xml | {result['sizes_mb']['index.html']:.1f} / "
        f"{result['sizes_mb']['collation.json']:.1f} / {result['sizes_mb']['apparatus.xml']:.1f} MB |",
    ]
    if b:
        lines += [
            f"| chromium: first render (navigation start → drawn) | {b['first_render_ms']:.0f} ms |",
            f"| DOM elements on load ({b['rows_on_page']} of {b['rows_total']} rows) | {b['dom_elements']:,} |",
            f"| page change | {b['page_change_ms']:.0f} ms |",
            f"| class filter toggle | {b['class_filter_ms']:.0f} ms |",
            f"| witness filter toggle | {b['witness_filter_ms']:.0f} ms |",
            f"| hover linking | {b['hover_ms']:.0f} ms |",
            f"| overview jump | {b['overview_jump_ms']:.0f} ms |",
            f"| every row at once (print) | {b['all_rows_ms']:.0f} ms, {b['dom_elements_all_rows']:,} elements |",
            f"| console errors | {b['console_errors']} |",
        ]
    m = result["machine"]
    lines += ["", f"{m['cpus']} CPUs, Python {m['python']}, 1-minute load average {m['load_average_at_start']:.1f} at start, "
              f"{m['load_average_at_end']:.1f} at end (other work on the machine slows the browser figures most)."]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
