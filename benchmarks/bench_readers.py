#!/usr/bin/env python3
"""Reader benchmark for issue 10: a 500-page ALTO set against the same text as plain files.

    python3 benchmarks/bench_readers.py [--repeats 7] [--out benchmarks/results/readers.json]

The set: 250 ALTO files of two pages each, made from tesseract's ALTO of the
opening of web.txt (``tests/data/readers/tesseract/web.alto.xml``, 150 words
on two pages), each copy with its own element ids and every word's
``CONTENT`` shifted by the copy number (the n-th copy appends ``n % 10`` to
one word in seven), so no two files are alike.  The peer: the text our ALTO
reader extracts from each file, written as a plain UTF-8 file.  Both sets are
written to a temporary folder; everything runs in this one process, one
after the other, never in parallel.

Timed per set, CPU time of the whole loop over its files, fastest and median
of ``--repeats`` runs:

``read``      ``read_source(path)``: bytes to `Extracted` (the plain reader
              decodes and maps line starts; the ALTO reader parses and lays out
              lines, word ids and confidences);
``+ tokens``  the same, then ``collate.tokenize.tokenize(text)``: what
              loading a witness into the pipeline costs;
``+ check``   the same, then ``collate.fidelity.check`` of the witness against
              the ground truth of its pages (``web.source.txt``): what
              ``collate check page.alto.xml --against gt.txt`` costs, less
              start-up and output (fewer repeats: it is slow);
``bytes``     ``Path.read_bytes()`` alone, for scale.

Target (issue 10): reading the ALTO set takes no more than twice reading the
same text as plain files.  Both ratios are reported; the JSON holds every run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from collate.readers import read_source  # noqa: E402
from collate.fidelity import check  # noqa: E402
from collate.model import Witness  # noqa: E402
from collate.tokenize import tokenize  # noqa: E402

SOURCE = ROOT / "tests/data/readers/tesseract/web.alto.xml"
FILES = 250  # of two pages each


def make_sets(folder: Path) -> tuple[list[Path], list[Path]]:
    template = SOURCE.read_text(encoding="utf-8")
    alto, plain = [], []
    for n in range(FILES):
        counter = iter(range(10**6))
        text = re.sub(r'ID="([a-z]+)_(\d+)"', lambda m: f'ID="{m.group(1)}_{n}_{m.group(2)}"', template)
        text = re.sub(r'CONTENT="([^"]*)"',
                      lambda m: f'CONTENT="{m.group(1)}{n % 10 if next(counter) % 7 == 0 else ""}"', text)
        a = folder / f"p{n:03}.alto.xml"
        a.write_text(text, encoding="utf-8")
        p = folder / f"p{n:03}.txt"
        p.write_text(read_source(a).text, encoding="utf-8")
        alto.append(a)
        plain.append(p)
    return alto, plain


def timed(job: Callable[[], object], repeats: int) -> list[float]:
    runs = []
    for _ in range(repeats):
        start = time.process_time()
        job()
        runs.append(time.process_time() - start)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/readers.json")
    args = parser.parse_args()
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        alto, plain = make_sets(Path(tmp))
        truth = Witness("gt", (ROOT / "tests/data/readers/tesseract/web.source.txt").read_text(encoding="utf-8").replace("\f", ""))
        pages = sum(len(read_source(a).positions.page_labels) for a in alto)
        words = sum(len(tokenize(p.read_text(encoding="utf-8"))) for p in plain)
        jobs: dict[str, dict[str, Callable[[], object]]] = {
            "read": {"alto": lambda: [read_source(a) for a in alto], "plain": lambda: [read_source(p) for p in plain]},
            "+ tokens": {"alto": lambda: [tokenize(read_source(a).text) for a in alto],
                         "plain": lambda: [tokenize(read_source(p).text) for p in plain]},
            "+ check": {"alto": lambda: [check(truth, Witness("w", read_source(a).text)) for a in alto],
                        "plain": lambda: [check(truth, Witness("w", read_source(p).text)) for p in plain]},
            "bytes": {"alto": lambda: [a.read_bytes() for a in alto], "plain": lambda: [p.read_bytes() for p in plain]},
        }
        sizes = {"alto": sum(a.stat().st_size for a in alto), "plain": sum(p.stat().st_size for p in plain)}
        results: dict[str, dict[str, list[float]]] = {}
        for stage, pair in jobs.items():
            repeats = max(2, args.repeats // 3) if stage == "+ check" else args.repeats
            results[stage] = {kind: timed(job, repeats) for kind, job in pair.items()}
    rows = []
    print(f"{pages} ALTO pages in {FILES} files ({sizes['alto'] / 1e6:.1f} MB) vs the same text as "
          f"{FILES} plain files ({sizes['plain'] / 1e6:.2f} MB), {words} tokens; CPU seconds, {args.repeats} runs ({max(2, args.repeats // 3)} for + check)\n")
    print("| stage | ALTO fastest | plain fastest | ratio (fastest) | ALTO median | plain median | ratio (median) |")
    print("|---|---|---|---|---|---|---|")
    for stage, r in results.items():
        fa, fp = min(r["alto"]), min(r["plain"])
        ma, mp = statistics.median(r["alto"]), statistics.median(r["plain"])
        rows.append({"stage": stage, "alto_fastest": fa, "plain_fastest": fp, "ratio_fastest": fa / fp,
                     "alto_median": ma, "plain_median": mp, "ratio_median": ma / mp, "runs": r})
        print(f"| {stage} | {fa:.3f} | {fp:.3f} | {fa / fp:.2f} | {ma:.3f} | {mp:.3f} | {ma / mp:.2f} |")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    report = {
        "pages": pages, "files": FILES, "tokens": words, "bytes": sizes, "repeats": args.repeats, "stages": rows,
        "target": "read (ALTO) <= 2 x read (plain)",
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "loadavg_start": load_start, "loadavg_end": os.getloadavg()},
        "commit": commit,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
