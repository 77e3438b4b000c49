#!/usr/bin/env python3
"""Big-input benchmark for issue 15: `collate add` of a 200 MB witness, and the commands that read it back.

    python3 benchmarks/bench_faults.py --old-python /tmp/collate-old/venv/bin/python
                                       [--size-mb 200] [--repeat 3] [--old-repeat 1]
                                       [--out benchmarks/results/faults.json]

Side by side, in one invocation, never in parallel: this tree's ``collate``
(the interpreter running this script) and the previous release, commit
3b5a682, installed in its own virtual environment (``--old-python``; see
benchmarks/README.md for how to make it).

The input is ``--size-mb`` MB of UTF-8 prose: eight texts of 20,000 words from
``collate.testing.synth.base_text`` (seeds 1-8) and the three shipped witnesses, taken
in turn, each under a page heading with an em dash (so the text holds
characters beyond Latin-1, as real transcriptions with curly quotes do, and
Python keeps it two bytes a character).  Each run gets a fresh copy of the
shipped store (three witnesses of ~2,400 characters), then:

1. ``collate add BIG --siglum big`` (timed; the target: under 30 s and 1.5 GiB);
2. ``collate verify`` on the store now holding it;
3. ``collate list`` on that store.

Each command is its own process, timed from spawn to exit, with its own peak
resident memory from ``os.wait4`` (on Linux a child's peak starts at its
parent's resident size when it is spawned, so this script never holds the big
text; its own peak is recorded as the floor).  Every run's exit code is checked, and the
store must verify after every add.  Medians (and the fastest) of the repeats,
ratios old/new, and the raw runs go to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from collate.testing.synth import base_text  # noqa: E402

SHIPPED = ROOT / "witnesses"


def make_input(path: Path, size: int) -> dict[str, Any]:
    """Write about ``size`` bytes of prose to ``path``, a block at a time; what was written.

    Counted as it is written, so this process never holds the text: a child's
    peak RSS from ``os.wait4`` includes its parent's at the time of the spawn.
    """
    blocks = [base_text(20000, seed=s) for s in range(1, 9)]
    blocks += [(SHIPPED / f"{w}.txt").read_text(encoding="utf-8") for w in ("web", "frus", "corr1957")]
    written = page = characters = words = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < size:
            page += 1
            chunk = f"\n\u2014 page {page} \u2014\n\n{blocks[page % len(blocks)]}\n"
            out.write(chunk)
            written += len(chunk.encode("utf-8"))
            characters += len(chunk)
            words += len(chunk.split())
    return {"bytes": path.stat().st_size, "characters": characters, "words": words, "pages": page}


def timed(cmd: Sequence[str], *, cwd: Path, timeout: float) -> dict[str, Any]:
    """Run ``cmd`` alone; its wall time, own peak RSS, exit code and output."""
    out, err = cwd / "stdout.txt", cwd / "stderr.txt"
    with open(out, "wb") as o, open(err, "wb") as e:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=o, stderr=e, cwd=cwd)
        killed = threading.Event()
        timer = threading.Timer(timeout, lambda: (killed.set(), proc.kill()))
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": round(seconds, 3),
        "max_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "returncode": proc.returncode,
        "timed_out": killed.is_set(),
        "stdout": out.read_text(encoding="utf-8", errors="replace")[-2000:],
        "stderr": err.read_text(encoding="utf-8", errors="replace")[-2000:],
    }


def one_round(python: str, big: Path, work: Path, timeout: float) -> dict[str, dict[str, Any]]:
    store = work / "store"
    if store.exists():
        shutil.rmtree(store)
    shutil.copytree(SHIPPED, store, ignore=shutil.ignore_patterns(".collate.*"))
    collate = [python, "-m", "collate"]
    runs = {"add": timed([*collate, "add", str(big), "--siglum", "big", "--witnesses", str(store)], cwd=work, timeout=timeout)}
    if runs["add"]["returncode"] == 0:
        runs["verify"] = timed([*collate, "verify", "--witnesses", str(store)], cwd=work, timeout=timeout)
        runs["list"] = timed([*collate, "list", "--witnesses", str(store)], cwd=work, timeout=timeout)
        stored = (store / "big.txt").read_bytes() == big.read_bytes()
        runs["add"]["stored_verbatim"] = stored
    for name, run in runs.items():
        state = "timed out" if run["timed_out"] else f"exit {run['returncode']}"
        print(f"  {Path(python).parent.parent.name or python} {name}: {run['seconds']:.1f} s, {run['max_rss_mib']:.0f} MiB, {state}", flush=True)
    return runs


def summary(rounds: list[dict[str, dict[str, Any]]]) -> dict[str, dict[str, float | None]]:
    out: dict[str, dict[str, float | None]] = {}
    for command in ("add", "verify", "list"):
        ok = [r[command] for r in rounds if command in r and r[command]["returncode"] == 0 and not r[command]["timed_out"]]
        if not ok:
            out[command] = {"median_s": None, "fastest_s": None, "median_rss_mib": None, "runs_ok": 0}
            continue
        out[command] = {
            "median_s": round(statistics.median(r["seconds"] for r in ok), 2),
            "fastest_s": round(min(r["seconds"] for r in ok), 2),
            "median_rss_mib": round(statistics.median(r["max_rss_mib"] for r in ok), 1),
            "runs_ok": len(ok),
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old-python", required=True, help="python of a venv with the previous release (3b5a682) installed")
    parser.add_argument("--size-mb", type=float, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="runs of this tree's collate")
    parser.add_argument("--old-repeat", type=int, default=1, help="runs of the previous release (minutes each at 200 MB)")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "faults.json")
    args = parser.parse_args()
    result: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
                    "load_average_at_start": os.getloadavg()},
        "commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
        "previous_release": "3b5a682",
        "pythons": {"new": sys.executable, "old": args.old_python},
    }  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench_faults_") as tmp:
        work = Path(tmp)
        big = work / "big.txt"
        result["input"] = make_input(big, int(args.size_mb * 1_000_000))
        size = result["input"]["bytes"]
        result["machine"]["benchmark_process_max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        print(f"input: {size:,} bytes; load average {os.getloadavg()[0]:.1f}", flush=True)
        rounds: dict[str, list[dict[str, dict[str, Any]]]] = {"new": [], "old": []}
        for i in range(max(args.repeat, args.old_repeat)):  # interleaved, so both see the same load
            if i < args.repeat:
                rounds["new"].append(one_round(sys.executable, big, work, args.timeout))
            if i < args.old_repeat:
                rounds["old"].append(one_round(args.old_python, big, work, args.timeout))
    result["runs"] = rounds
    result["summary"] = {tool: summary(r) for tool, r in rounds.items()}
    ratios: dict[str, dict[str, float | None]] = {}
    for command in ("add", "verify", "list"):
        new, old = result["summary"]["new"][command], result["summary"]["old"][command]
        ratios[command] = {
            "time_old_over_new": round(old["median_s"] / new["median_s"], 2) if old["median_s"] and new["median_s"] else None,
            "rss_old_over_new": round(old["median_rss_mib"] / new["median_rss_mib"], 2) if old["median_rss_mib"] and new["median_rss_mib"] else None,
        }
    result["ratios"] = ratios
    add = result["summary"]["new"]["add"]
    result["target_met"] = bool(add["median_s"] is not None and add["median_s"] < 30 and (add["median_rss_mib"] or 1e9) < 1536)
    result["machine"]["load_average_at_end"] = os.getloadavg()
    lines = [
        f"`collate add` of {size / 1e6:.0f} MB, then `verify` and `list` on that store (median of {args.repeat} new, {args.old_repeat} old):",
        "",
        "| command | 3b5a682 time | 3b5a682 peak RSS | this tree time | this tree peak RSS | time ratio | RSS ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for command in ("add", "verify", "list"):
        o, n, r = result["summary"]["old"][command], result["summary"]["new"][command], ratios[command]
        lines.append(
            f"| {command} | {o['median_s']} s | {o['median_rss_mib']} MiB | {n['median_s']} s | {n['median_rss_mib']} MiB "
            f"| {r['time_old_over_new']}x | {r['rss_old_over_new']}x |"
        )
    result["markdown"] = "\n".join(lines)
    print(result["markdown"])
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
