#!/usr/bin/env python3
"""What the passage level costs the collation (issues 8 and 7, phase 2), beside its peer in the same run.

    python3 benchmarks/bench_families.py [--quick] [--previous DIR] [--out benchmarks/results/families.json]

Five witnesses of 2,000 and of 20,000 words (``base_text`` and four noisy copies at
rate 0.05, seed 1: bench_align.py's scaling set), timed in this process with
``time.process_time`` (CPU of this process), interleaved, fastest of the repeats:

- **before**: ``align`` + ``find_variants`` against ``base``: what `collate.collate`
  computed before families and passages were wired in (the peer);
- **one family**: ``collate.synopsis.synopsis``, no family stated: what `collate.collate`
  computes now for the same witnesses (one family, its rows cut at the base's
  sentences);
- **two families**: the same, two copies stated to be of another family (a second
  translation, as far as the program knows): the passage aligner places that
  family's pilot, and its columns are mapped to the rows.

Reported: each one's CPU time, its ratio to *before*, and the 2,000-to-20,000 scaling
ratio of each (the figure bench_align.py's scaling section targets), with how much
the passage level changes it.  With ``--previous DIR`` (a checkout of the previous
release, e.g. ``git worktree add DIR 33423c9``) the whole ``collate align`` and
``collate report`` commands of that tree and this one are also timed from spawn to
exit (wall clock, fastest of the repeats, interleaved): the command-level figure
of bench_align.py's scaling table.
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
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from collate.align import align  # noqa: E402
from collate.model import Witness, WitnessMeta  # noqa: E402
from collate.synopsis import synopsis  # noqa: E402
from collate.testing.prose import base_text  # noqa: E402
from collate.testing.synth import noisy_copy  # noqa: E402
from collate.variants import find_variants  # noqa: E402


def cpu(fn: Callable[[], object]) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def witness_set(words: int) -> list[Witness]:
    src = base_text(words, seed=1)
    return [Witness("base", src)] + [Witness(f"c{k}", noisy_copy(src, seed=k, rate=0.05).text) for k in range(1, 5)]


def two_families(ws: list[Witness]) -> list[Witness]:
    fam = {"base": "a", "c1": "a", "c2": "a", "c3": "b", "c4": "b"}
    return [replace(w, meta=WitnessMeta(family=fam[w.siglum])) for w in ws]


def in_process(quick: bool) -> dict[str, Any]:
    repeat = 3 if quick else 7
    out: dict[str, Any] = {"repeats": repeat, "clock": "time.process_time, fastest repeat, the three interleaved"}
    for words in (2000, 20000):
        ws = witness_set(words)
        ws2 = two_families(ws)
        runs: dict[str, Callable[[], object]] = {
            "before": lambda: find_variants(align(ws), base="base"),
            "one_family": lambda: synopsis(ws, base="base"),
            "two_families": lambda: synopsis(ws2, base="base"),
        }
        for fn in runs.values():
            fn()  # warm imports and caches
        times: dict[str, list[float]] = {k: [] for k in runs}
        for _ in range(repeat):
            for k, fn in runs.items():
                times[k].append(cpu(fn))
        best = {k: min(v) for k, v in times.items()}
        out[str(words)] = {
            **{f"{k}_seconds": round(v, 4) for k, v in best.items()},
            "one_family_over_before": round(best["one_family"] / best["before"], 4),
            "two_families_over_before": round(best["two_families"] / best["before"], 4),
            "all": {k: [round(t, 4) for t in v] for k, v in times.items()},
        }
        print(f"{words} words: {best}", file=sys.stderr)
    small, large = out["2000"], out["20000"]
    for k in ("before", "one_family", "two_families"):
        out[f"scaling_ratio_{k}"] = round(large[f"{k}_seconds"] / small[f"{k}_seconds"], 3)
    for k in ("one_family", "two_families"):
        out[f"scaling_ratio_change_{k}"] = round(out[f"scaling_ratio_{k}"] / out["scaling_ratio_before"] - 1, 4)
    return out


def commands(previous: Path, quick: bool) -> dict[str, Any]:
    """`collate align` and `collate report` of the previous tree and this one, wall clock."""
    repeat = 2 if quick else 5
    out: dict[str, Any] = {"repeats": repeat, "clock": "wall, spawn to exit, fastest repeat, interleaved", "previous": str(previous)}
    trees = {"previous": previous, "this": ROOT}
    with tempfile.TemporaryDirectory(prefix="bench_families_") as tmp:
        work = Path(tmp)
        for words in (2000, 20000):
            files = []
            for w in witness_set(words):
                path = work / f"{w.siglum}{words}.txt"
                path.write_text(w.text, encoding="utf-8")
                files.append(str(path))
            entry: dict[str, Any] = {}
            for command in ("align", "report"):
                times: dict[str, list[float]] = {k: [] for k in trees}
                for _ in range(repeat):
                    for name, tree in trees.items():
                        args = [sys.executable, "-m", "collate", command, *files, "-q"]
                        args += ["--out", str(work / f"out-{name}")] if command == "report" else []
                        env = {**os.environ, "PYTHONPATH": str(tree)}
                        t0 = time.perf_counter()
                        subprocess.run(args, cwd=work, env=env, check=True, stdout=subprocess.DEVNULL)
                        times[name].append(time.perf_counter() - t0)
                best = {k: min(v) for k, v in times.items()}
                entry[command] = {**{f"{k}_seconds": round(v, 3) for k, v in best.items()},
                                  "this_over_previous": round(best["this"] / best["previous"], 4),
                                  "all": {k: [round(t, 3) for t in v] for k, v in times.items()}}
                print(f"{words} words, collate {command}: {best}", file=sys.stderr)
            out[str(words)] = entry
        for command in ("align", "report"):
            for name in trees:
                out[f"scaling_ratio_{command}_{name}"] = round(
                    out["20000"][command][f"{name}_seconds"] / out["2000"][command][f"{name}_seconds"], 3)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--previous", type=Path, help="a checkout of the previous release (its commands are timed beside this tree's)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "families.json")
    args = ap.parse_args()
    result: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()},
        "commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
        "quick": args.quick,
        "in_process": in_process(args.quick),
    }
    if args.previous:
        result["commands"] = commands(args.previous, args.quick)
    result["machine"]["load_average_at_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    p = result["in_process"]
    print(f"scaling 20,000/2,000: before {p['scaling_ratio_before']}, one family {p['scaling_ratio_one_family']} "
          f"({p['scaling_ratio_change_one_family']:+.1%}), two families {p['scaling_ratio_two_families']} "
          f"({p['scaling_ratio_change_two_families']:+.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
