#!/usr/bin/env python3
"""Start-up of the `collate` command, beside the bare interpreter's in the same run.

    /tmp/bv/bin/python benchmarks/bench_startup.py [--runs 20] [--out benchmarks/results/startup.json]

Run it with the interpreter of a virtual environment where collate is installed
(not editable), so that the command reads compiled modules as a user's would;
the `collate` script next to that interpreter is timed.  Three commands, each
its own process, timed from spawn to exit (wall clock), interleaved round by
round so that a change of load hits all three:

- ``python -c pass``: the floor, the interpreter's own start-up;
- ``collate --help``;
- ``collate align witnesses/web.txt witnesses/frus.txt`` (two witnesses of
  433 and 329 words, JSON to a discarded stdout), from the repository root.

Reports the fastest and the median of ``--runs`` runs (target: 0.1 s for the
collate commands) and the load average before and after; raw runs to
``benchmarks/results/startup.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 0.1


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "startup.json")
    args = parser.parse_args()
    script = Path(sys.executable).with_name("collate")
    if not script.exists():
        print(f"no collate command beside {sys.executable}", file=sys.stderr)
        return 2
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "collate --help": [str(script), "--help"],
        "collate align witnesses/web.txt witnesses/frus.txt": [str(script), "align", "witnesses/web.txt", "witnesses/frus.txt"],
    }
    load_start = os.getloadavg()
    for cmd in commands.values():  # one unrecorded run each: the page cache, not start-up, is what a first run measures
        timed(cmd)
    runs: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            runs[name].append(timed(cmd))
    load_end = os.getloadavg()
    floor = min(runs["python -c pass"])
    summary = {
        name: {
            "fastest": min(t),
            "median": statistics.median(t),
            "fastest_over_python": min(t) / floor,
            "meets_target": None if name == "python -c pass" else min(t) <= TARGET_SECONDS,
            "median_meets_target": None if name == "python -c pass" else statistics.median(t) <= TARGET_SECONDS,
        }
        for name, t in runs.items()
    }
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    result = {
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count()},
        "commit": commit,
        "command": str(script),
        "runs_each": args.runs,
        "target_seconds": TARGET_SECONDS,
        "load_average_at_start": load_start,
        "load_average_at_end": load_end,
        "summary": summary,
        "runs": {name: [round(x, 4) for x in t] for name, t in runs.items()},
    }
    print("| command | fastest s | median s | fastest / python -c pass |")
    print("|---|---:|---:|---:|")
    for name, s in summary.items():
        print(f"| `{name}` | {s['fastest']:.3f} | {s['median']:.3f} | {s['fastest_over_python']:.1f} |")
    print(f"\nload average: start {load_start}, end {load_end}; target {TARGET_SECONDS} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
