#!/usr/bin/env python3
"""Corpus benchmark for issue 14: `collate corpus report` (and `check`) in one process, a pool, and on Dask.

    python3 benchmarks/bench_corpus.py [--documents 1000] [--check-pages 300] [--out benchmarks/results/corpus.json]

A corpus of ``--documents`` documents is generated (`collate.testing.corpus.write_corpus`,
seed 1): each 3-6 witnesses of 200-2,000 words, a text from
`collate.testing.prose.base_text` and noisy copies of it from
`collate.testing.synth.noisy_copy` (half with OCR's errors, half with every
kind; one document in five with a fragment cut short, one in seven declaring
two translations), plus the six deliberately broken documents of
`collate.testing.corpus.BROKEN`.  Then, one after the other, each command its
own process timed from spawn to exit (imports and pool start-up included):

1. ``collate corpus report --workers 1`` (in one process);
2. ``--workers 2`` (a pool of two processes), into a fresh folder;
3. ``--scheduler`` against a `distributed.LocalCluster` of two single-threaded
   worker processes started by this script (cluster start-up not timed:
   a cluster is started once and serves many runs), into a fresh folder:
   once with Dask's defaults, once with the workers' statistical profiler
   off (``distributed.worker.profile.enabled: false``, as the README advises
   for this pure-Python work: sampling every thread's stack every 10 ms costs
   collate's documents a sizeable share of their time);
4. the pool run again on its own output after appending a sentence to one
   witness of each of 10 documents (the incremental run), and once more with
   nothing changed.

With ``--repeat N`` runs 1-3 (Dask with its defaults only the first time) are
made N times in turn, and the fastest of each is compared: on a shared
machine the fastest run is the steadier estimate of the uncontended cost.

The three full runs' outputs are compared file by file (SHA-256): they must be
identical.  With ``--check-pages N`` the same is done, without Dask, for
``collate corpus check`` over N generated pages
(`collate.testing.corpus.write_check_corpus`).  The machine is shared, so the
load average (1, 5, 15 minutes) is recorded before and after every run.
Prints a markdown table and writes everything to ``--out``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from collections.abc import Iterator
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
try:  # the installed package, if any, so that editing the tree during a long run changes nothing
    import collate  # noqa: F401
except ImportError:
    sys.path.insert(0, str(ROOT))

from collate.testing.corpus import BROKEN, write_check_corpus, write_corpus  # noqa: E402

CWD = Path(tempfile.gettempdir())  # not the tree: "python -m collate" there would import its sources
MAX_BYTES = 1_000_000  # the broken corpus's large witness is 1,100,000 bytes
TOUCHED = 10


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def timed(args: list[str], label: str) -> dict[str, Any]:
    """Run ``collate ARGS`` in its own process: wall time, CPU time of it and its children, its summary line."""
    load = os.getloadavg()
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "collate", *args, "-q"], cwd=CWD, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out, err = proc.stdout, proc.stderr
    result = {"label": label, "seconds": round(seconds, 2), "exit": proc.returncode,
              # the command and the pool workers it reaped; not the Dask workers, which are this script's
              "cpu_seconds": round(after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime, 2),
              "summary": out.splitlines()[0] if out else "", "stderr": err.strip()[-500:],
              "load_before": [round(x, 2) for x in load], "load_after": [round(x, 2) for x in os.getloadavg()]}
    print(f"  {label}: {seconds:.1f} s, exit {proc.returncode}: {result['summary']}", flush=True)
    return result


def worker_cpu(cluster: Any) -> float:
    """CPU seconds used so far by the cluster's worker processes (their whole work, Dask's own included)."""
    from distributed import Client

    with Client(cluster, set_as_default=False) as client:
        usage = client.run(lambda: (lambda r: r.ru_utime + r.ru_stime)(resource.getrusage(resource.RUSAGE_SELF)))
    return float(sum(usage.values()))


@contextlib.contextmanager
def local_cluster(*, profile: bool) -> Iterator[Any]:
    """Two worker processes of one thread each (the Nanny passes the configuration to them)."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.profile.enabled": profile}):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=logging.ERROR) as cluster:
            yield cluster


def report_runs(work: Path, documents: int, repeat: int) -> dict[str, Any]:
    corpus = work / "corpus"
    t = time.perf_counter()
    if not (corpus / ".generated").exists():  # a --work folder from an earlier attempt keeps its corpus
        shutil.rmtree(corpus, ignore_errors=True)
        write_corpus(corpus, documents=documents, seed=1, broken=True, large=MAX_BYTES + 100_000)
        (corpus / ".generated").write_text("", encoding="utf-8")
    names = sorted(p.name for p in corpus.iterdir() if p.name.startswith("doc"))
    assert len(names) == documents, f"{corpus} holds another corpus: remove it"
    touched = names[3 :: len(names) // TOUCHED][:TOUCHED]
    originals = work / "originals"
    for name in touched:  # undo an earlier attempt's edits
        if (originals / name / "B.txt").exists():
            shutil.copyfile(originals / name / "B.txt", corpus / name / "B.txt")
    words = sum(len(p.read_text(encoding="utf-8").split()) for name in names for p in (corpus / name).glob("*.txt"))
    witnesses = sum(1 for name in names for _ in (corpus / name).glob("*.txt"))
    print(f"report corpus: {documents} documents + {len(BROKEN)} broken, {witnesses} witnesses, {words:,} words "
          f"(ready in {time.perf_counter() - t:.0f} s)", flush=True)
    common = ["corpus", "report", str(corpus), "--max-bytes", str(MAX_BYTES)]
    rounds: list[dict[str, Any]] = []
    for r in range(repeat):
        modes = ("serial", "pool", "dask-no-profiler", "dask") if r == 0 else ("serial", "pool", "dask-no-profiler")
        runs = {mode: one_run(mode, common, work, r + 1) for mode in modes}
        runs["identical_outputs"] = len({json.dumps(digest(work / m), sort_keys=True) for m in modes}) == 1
        rounds.append(runs)
    last = rounds[-1]
    for name in touched:
        (originals / name).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / name / "B.txt", originals / name / "B.txt")
        with open(corpus / name / "B.txt", "a", encoding="utf-8") as fh:
            fh.write("A sentence added for the incremental run.\n")
    incremental = timed([*common, "--out", str(work / "pool"), "--workers", "2"], f"--workers 2, {TOUCHED} documents changed")
    unchanged = timed([*common, "--out", str(work / "pool"), "--workers", "2"], "--workers 2, nothing changed")
    per_doc = [json.loads(line) for line in (work / "serial.jsonl").read_text(encoding="utf-8").splitlines()]
    seconds = sorted(e["seconds"] for e in per_doc if e["event"] == "document" and e["status"] == "done")
    best = {m: min(rd[m]["seconds"] for rd in rounds if m in rd) for m in ("serial", "pool", "dask-no-profiler", "dask")}
    total = documents + len(BROKEN)
    return {
        "corpus": {"documents": documents, "broken": len(BROKEN), "witnesses": witnesses, "words": words,
                   "seed": 1, "max_bytes": MAX_BYTES},
        "rounds": rounds,
        "incremental": incremental,
        "unchanged": unchanged,
        "identical_outputs": all(rd["identical_outputs"] for rd in rounds),
        "files_per_run": len(digest(work / "serial")),
        "best_seconds": best,
        "documents_per_second_best": {k: round(total / v, 2) for k, v in best.items()},
        # On a shared machine the fastest of the runs is the steadier estimate of the uncontended cost;
        # the per-round ratios show how much the load moved between neighbouring runs.
        "speed_up_pool": round(best["serial"] / best["pool"], 3),
        "speed_up_pool_per_round": [round(rd["serial"]["seconds"] / rd["pool"]["seconds"], 3) for rd in rounds],
        "dask_over_pool": round(best["dask"] / best["pool"], 3),
        "dask_no_profiler_over_pool": round(best["dask-no-profiler"] / best["pool"], 3),
        "dask_no_profiler_over_pool_per_round": [
            round(rd["dask-no-profiler"]["seconds"] / rd["pool"]["seconds"], 3) for rd in rounds],
        "incremental_over_first": round(incremental["seconds"] / last["pool"]["seconds"], 4),
        "job_cpu_over_serial": {m: round(rounds[0][m]["job_cpu_seconds"] / rounds[0]["serial"]["job_cpu_seconds"], 3)
                                for m in ("pool", "dask-no-profiler", "dask")},
        "serial_document_seconds": {"median": seconds[len(seconds) // 2], "max": seconds[-1], "sum": round(sum(seconds), 1)},
    }


def one_run(mode: str, common: list[str], work: Path, round_: int) -> dict[str, Any]:
    """One full run into a fresh ``work/<mode>``, with its log's totals."""
    out, log = work / mode, work / f"{mode}.jsonl"
    shutil.rmtree(out, ignore_errors=True)
    log.unlink(missing_ok=True)
    args = [*common, "--out", str(out), "--log", str(log)]
    if mode in ("serial", "pool"):
        run = timed([*args, "--workers", "1" if mode == "serial" else "2"], f"round {round_}: --workers {1 if mode == 'serial' else 2}")
    else:
        profile = mode == "dask"
        with local_cluster(profile=profile) as cluster:
            before = worker_cpu(cluster)
            label = f"round {round_}: --scheduler (LocalCluster, 2 workers x 1 thread{'' if profile else ', profiler off'})"
            run = timed([*args, "--scheduler", cluster.scheduler_address], label)
            run["worker_cpu_seconds"] = round(worker_cpu(cluster) - before, 2)
    jobs = [e for e in map(json.loads, log.read_text(encoding="utf-8").splitlines()) if e["event"] == "document"]
    run["job_seconds"] = round(sum(e["seconds"] for e in jobs), 1)
    run["job_cpu_seconds"] = round(sum(e["cpu_seconds"] for e in jobs), 1)
    return run


def check_runs(work: Path, pages: int) -> dict[str, Any]:
    root = work / "pages"
    shutil.rmtree(root, ignore_errors=True)
    for folder in ("check-serial", "check-pool"):
        shutil.rmtree(work / folder, ignore_errors=True)
    write_check_corpus(root, pages=pages, seed=2)
    common = ["corpus", "check", str(root / "gt"), str(root / "ocr")]
    runs = {
        "serial": timed([*common, "--out", str(work / "check-serial"), "--workers", "1"], "check --workers 1"),
        "pool": timed([*common, "--out", str(work / "check-pool"), "--workers", "2"], "check --workers 2"),
    }
    return {
        "pages": pages,
        "runs": runs,
        "identical_outputs": digest(work / "check-serial") == digest(work / "check-pool"),
        "speed_up_pool": round(runs["serial"]["seconds"] / runs["pool"]["seconds"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of the one-process, pool and Dask (profiler off) runs, interleaved; the fastest "
                        "of each is reported beside every run (Dask with its defaults runs in the first round only)")
    parser.add_argument("--check-pages", type=int, default=300, help="pages for the check benchmark (0: none)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "corpus.json")
    parser.add_argument("--work", type=Path, help="keep the generated corpus here and reuse it (default: a temporary folder)")
    args = parser.parse_args()
    import collate

    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    result: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "collate": str(Path(collate.__file__).parent),
        "commit": commit,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        result["report"] = report_runs(work, args.documents, args.repeat)
        if args.check_pages:
            result["check"] = check_runs(work, args.check_pages)
    result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    r = result["report"]
    print()
    print("| run | seconds | documents/s | CPU s in jobs | load before → after (1 min) |")
    print("|---|---:|---:|---:|---|")
    total = r["corpus"]["documents"] + len(BROKEN)
    runs = [run for rd in r["rounds"] for k, run in rd.items() if k != "identical_outputs"]
    for run in [*runs, r["incremental"], r["unchanged"]]:
        print(f"| {run['label']} | {run['seconds']:.1f} | {total / run['seconds']:.2f} | {run.get('job_cpu_seconds', '')} "
              f"| {run['load_before'][0]} → {run['load_after'][0]} |")
    print(f"\nfastest runs: speed-up of the pool {r['speed_up_pool']}x (target >= 1.7; per round "
          f"{r['speed_up_pool_per_round']}); Dask / pool {r['dask_over_pool']}, profiler off "
          f"{r['dask_no_profiler_over_pool']} (target <= 1.15); incremental / first: {r['incremental_over_first']:.2%} "
          f"(target < 5%); identical outputs: {r['identical_outputs']}")
    if "check" in result:
        c = result["check"]
        print(f"check, {c['pages']} pages: speed-up of the pool {c['speed_up_pool']}x; identical outputs: {c['identical_outputs']}")


if __name__ == "__main__":
    main()
