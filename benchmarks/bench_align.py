#!/usr/bin/env python3
"""Alignment benchmark for issue 2: speed against CollateX, scaling, and quality.

    python3 benchmarks/bench_align.py [--quick] [--out benchmarks/results/align.json]

Every timed run is a separate process, timed from spawn to exit (start-up and
imports included) with its own peak resident memory from ``os.wait4``.  All
engines run side by side in the same invocation, on the same files, written to
a temporary folder.  Quality is the pairwise word-correspondence F1 of
``collate.testing.synth.correspondence_f1`` against the answer key of witnesses made by
``collate.testing.synth.noisy_copy``, computed from the JSON each command wrote.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_scale  # noqa: E402
from corpora import (  # noqa: E402  the noisy-copy generator, imported in one place
    NoiseKind,
    NoisyCopy,
    Origins,
    Score,
    base_text,
    correspondence_f1,
    identity_origins,
    noisy_copy,
    word_tokens,
)

from collate.model import Alignment, Token, TokenKind, Witness  # noqa: E402

PLAIN_COLLATEX = '''\
"""Plain CollateX through its Python API: plain-text witnesses, its own tokenizer."""
import sys
from pathlib import Path
from collatex import Collation, collate

collation = Collation()
for name in sys.argv[2:]:
    collation.add_plain_witness(Path(name).stem, Path(name).read_text(encoding="utf-8"))
sys.stdout.write(collate(collation, output="json", segmentation=False, near_match=sys.argv[1] == "near"))
'''


@dataclass(frozen=True)
class Run:
    """One process: wall-clock seconds from spawn to exit, peak RSS, exit status."""

    seconds: float
    max_rss_mib: float
    returncode: int
    timed_out: bool


GNU_TIME = Path("/usr/bin/time")


def run(cmd: Sequence[str], *, stdout: Path | None, cwd: Path, timeout: float) -> Run:
    """Run ``cmd`` and measure it alone.

    The peak RSS comes from GNU time (Debian's ``time`` package), which forks
    the command from its own small process: a child forked straight from this
    benchmark would report this process's RSS at fork time as its own peak
    (Linux keeps the high-water mark across fork and exec), so figures read
    with ``os.wait4`` here grew with the benchmark's own memory.
    """
    err = cwd / "stderr.txt"
    rss_file = cwd / "rss.txt"
    wrapped = [str(GNU_TIME), "-f", "%M", "-o", str(rss_file), *cmd] if GNU_TIME.exists() else list(cmd)
    with open(stdout or os.devnull, "wb") as out, open(err, "wb") as errf:
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=out, stderr=errf, cwd=cwd, start_new_session=True)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            os.killpg(proc.pid, 9)

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen it is reaped
    code = os.waitstatus_to_exitcode(status)
    if code != 0 and not killed.is_set():
        sys.stderr.write(f"warning: {' '.join(cmd[:3])} ... exited {code}: {err.read_text()[-500:]}\n")
    rss_kib = usage.ru_maxrss
    if GNU_TIME.exists():
        try:
            rss_kib = int(rss_file.read_text().split()[-1])
        except (OSError, ValueError, IndexError):
            rss_kib = 0  # killed before time wrote it
    return Run(seconds=seconds, max_rss_mib=rss_kib / 1024, returncode=code, timed_out=killed.is_set())


def collate_command() -> list[str]:
    script = Path(sys.executable).parent / "collate"
    if script.exists():
        return [str(script)]
    found = shutil.which("collate")
    return [found] if found else [sys.executable, "-m", "collate"]


def alignment_from_json(path: Path, witnesses: Sequence[Witness]) -> Alignment:
    """Rebuild an Alignment from `collate align --format json` output."""
    data = json.loads(path.read_text(encoding="utf-8"))
    by_siglum = {w.siglum: w for w in witnesses}
    order = [by_siglum[s] for s in data["witnesses"]]
    table = data["table"]
    rows = [
        [
            None
            if cell is None
            else tuple(Token(t=d["t"], n=d["n"], start=d["start"], end=d["end"], kind=TokenKind(d["kind"])) for d in cell)
            for cell in row
        ]
        for row in table
    ]
    columns = tuple(tuple(row[c] for row in rows) for c in range(len(rows[0]) if rows else 0))
    return Alignment(witnesses=tuple(order), tokens=tuple(() for _ in order), columns=columns)


def write_set(folder: Path, texts: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for siglum, text in texts.items():
        path = folder / f"{siglum}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def noisy_set(source: str, *, copies: int, seed: int, rate: float) -> tuple[dict[str, str], dict[str, Origins], dict[str, NoisyCopy]]:
    """``source`` as witness ``base`` and ``copies`` noisy copies (seeds as in synth.witness_set)."""
    texts = {"base": source}
    truth: dict[str, Origins] = {"base": identity_origins(source)}
    made: dict[str, NoisyCopy] = {}
    for i in range(1, copies + 1):
        copy = noisy_copy(source, seed=seed * 1000 + i, rate=rate)
        texts[f"n{i}"], truth[f"n{i}"], made[f"n{i}"] = copy.text, copy.origins, copy
    return texts, truth, made


def kind_recall(alignment: Alignment, made: dict[str, NoisyCopy]) -> dict[str, list[int]]:
    """Per kind of planted edit: [true base-copy word pairs in one column, true pairs].

    For each copy and each of its words, the pairs (word, base word it derives
    from) are tallied under the kind of the edit that produced the word, or
    ``untouched``.  Omissions, additions and punctuation edits leave no such
    pair.  A table of one token per cell cannot put both halves of a split
    word, both words of a merge, or both swapped words in their sources'
    columns, so those kinds cannot reach 100% there.
    """
    sigla = list(alignment.sigla)
    b = sigla.index("base")
    columns_of: list[dict[int, set[int]]] = []
    for w, witness in enumerate(alignment.witnesses):
        starts = {tok.word_start: i for i, tok in enumerate(word_tokens(witness.text))}
        found: dict[int, set[int]] = {}
        for c, column in enumerate(alignment.columns):
            for tok in column[w] or ():
                if tok.word_start in starts:
                    found.setdefault(starts[tok.word_start], set()).add(c)
        columns_of.append(found)
    tally: dict[str, list[int]] = {}
    for siglum, copy in made.items():
        w = sigla.index(siglum)
        kind_of = {j: edit.kind.value for edit in copy.edits for j in edit.noisy_words}
        for j, sources in enumerate(copy.origins):
            for i in sources:
                entry = tally.setdefault(kind_of.get(j, "untouched"), [0, 0])
                entry[0] += int(bool(columns_of[w].get(j, set()) & columns_of[b].get(i, set())))
                entry[1] += 1
    return dict(sorted(tally.items()))


def same_column(alignment: Alignment, a: str, wa: str, b: str, wb: str) -> bool | None:
    """Whether the first word ``wa`` of witness ``a`` shares a column with word ``wb`` of ``b``."""
    ia, ib = alignment.sigla.index(a), alignment.sigla.index(b)
    for column in alignment.columns:
        if any(tok.word == wa for tok in column[ia] or ()):
            return bool(column[ib]) and any(tok.word == wb for tok in column[ib] or ())
    return None


def median(runs: Sequence[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def fastest(runs: Sequence[Run]) -> float:
    """The least contended run: on a shared machine the minimum is the steadier estimate."""
    return min(r.seconds for r in runs)


def swap_detection(data_path: Path, made: dict[str, NoisyCopy]) -> dict[str, int]:
    """Planted swaps recorded as a transposition between base and that copy, and base-copy
    transpositions no planted swap explains, from the command's JSON."""
    data = json.loads(data_path.read_text(encoding="utf-8"))
    # the key is "sigla" since 63ca9e6 ("witnesses" before)
    recorded = [(set(t.get("sigla", t.get("witnesses", ()))), set(t["words"])) for t in data.get("transpositions", [])]
    planted = found = unexplained = 0
    for siglum, copy in made.items():
        swaps = [set(e.source_text.split()) for e in copy.edits if e.kind is NoiseKind.SWAP]
        planted += len(swaps)
        found += sum(1 for words in swaps if any(w == {"base", siglum} and t & words for w, t in recorded))
        unexplained += sum(1 for w, t in recorded if w == {"base", siglum} and not any(t & words for words in swaps))
    return {"planted_swaps": planted, "recorded_as_transposition": found, "unexplained_base_copy_transpositions": unexplained}


def score_dict(score: Score) -> dict[str, float | int]:
    return {k: (round(v, 5) if isinstance(v, float) else v) for k, v in asdict(score).items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and seeds (about 2 minutes)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "align.json")
    parser.add_argument("--collatex-timeout", type=float, default=300.0)
    parser.add_argument("--previous", type=Path, help="python of a venv with the previous release installed (its collate command is timed beside this one)")
    parser.add_argument("--sections", default="speed,scaling,quality,sweep,book,many,huge", help="comma-separated sections to run")
    parser.add_argument("--book-sizes", default="20000,100000")
    parser.add_argument("--huge-copy", action="store_true", help="also the huge line against a noisy copy of itself")
    parser.add_argument("--huge-megabytes", type=float, default=10.0)
    args = parser.parse_args()
    sections = set(args.sections.split(","))
    quick: bool = args.quick
    repeat_fast = 3 if quick else 7
    repeat_cx = 1 if quick else 2
    repeat_scale = 2 if quick else 5
    seeds = [1] if quick else [1, 2, 3]
    cx_timeout = args.collatex_timeout
    collate = collate_command()
    results: dict[str, object] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_at_start": os.getloadavg(),
        },
        "commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
        "quick": quick,
        "command": collate,
        "sections": sorted(sections),
    }
    commands = {"this": collate}
    if args.previous:
        commands["previous"] = [str(args.previous.parent / "collate")]
        results["previous_release"] = {
            "command": commands["previous"],
            "version": subprocess.run([str(args.previous), "-c", "import collate, sys; sys.stdout.write(collate.__version__)"], capture_output=True, text=True).stdout,
        }
    try:
        from importlib.metadata import version

        results["collatex_version"] = version("collatex")
    except Exception:  # pragma: no cover
        results["collatex_version"] = "?"
    lines: list[str] = []

    with tempfile.TemporaryDirectory(prefix="bench_align_") as tmp:
        work = Path(tmp)
        plain = work / "plain_collatex.py"
        plain.write_text(PLAIN_COLLATEX, encoding="utf-8")

        # ---------------------------------------------------------- 1. speed, aide-mémoire size
        real = {s: (ROOT / "witnesses" / f"{s}.txt").read_text(encoding="utf-8") for s in ("web", "frus", "corr1957")}
        if "speed" in sections:
            texts = dict(real)
            for i in (1, 2):
                texts[f"web_n{i}"] = noisy_copy(real["web"], seed=i, rate=0.05).text
            files = [str(p) for p in write_set(work / "aide", texts)]
            words = {s: len(word_tokens(t)) for s, t in texts.items()}
            witnesses = [Witness(s, t) for s, t in texts.items()]
            print(f"speed: five aide-mémoire-size witnesses {words}", file=sys.stderr)
            bare = [run([sys.executable, "-c", "pass"], stdout=None, cwd=work, timeout=60) for _ in range(repeat_fast)]
            fast = [run([*collate, "align", *files, "-q"], stdout=work / "fast.json", cwd=work, timeout=120) for _ in range(repeat_fast)]
            previous = [
                run([*commands["previous"], "align", *files, "-q"], stdout=work / "prev.json", cwd=work, timeout=120)
                for _ in range(repeat_fast if "previous" in commands else 0)
            ]
            engine = [
                run([*collate, "align", "--engine", "collatex", *files, "-q"], stdout=work / "cx.json", cwd=work, timeout=cx_timeout)
                for _ in range(repeat_cx)
            ]
            plain_near = [run([sys.executable, str(plain), "near", *files], stdout=work / "plain.json", cwd=work, timeout=cx_timeout) for _ in range(repeat_cx)]
            plain_exact = [run([sys.executable, str(plain), "exact", *files], stdout=None, cwd=work, timeout=cx_timeout)]
            checks = {}
            for name, out in (("fast", work / "fast.json"), ("collatex", work / "cx.json")):
                if out.exists() and out.stat().st_size:
                    al = alignment_from_json(out, witnesses)
                    checks[name] = {
                        f"web {a} / frus {b}": same_column(al, "web", a, "frus", b)
                        for a, b in (("Easter", "Eastern"), ("192", "1942"), ("Germany", "German"))
                    }
            speed = {
                "witness_words": words,
                "bare_python_start_seconds": [round(r.seconds, 3) for r in bare],
                "fast_seconds": [round(r.seconds, 3) for r in fast],
                "fast_max_rss_mib": max(r.max_rss_mib for r in fast),
                "collatex_engine_seconds": [round(r.seconds, 3) for r in engine],
                "collatex_engine_max_rss_mib": max(r.max_rss_mib for r in engine),
                "plain_collatex_near_match_seconds": [round(r.seconds, 3) for r in plain_near],
                "plain_collatex_near_match_max_rss_mib": max(r.max_rss_mib for r in plain_near),
                "plain_collatex_no_near_match_seconds": [round(r.seconds, 3) for r in plain_exact],
                "speedup_vs_collatex_engine": round(median(engine) / median(fast), 1),
                "speedup_vs_plain_collatex_near_match": round(median(plain_near) / median(fast), 1),
                "speedup_vs_plain_collatex_no_near_match": round(median(plain_exact) / median(fast), 1),
                "speedup_vs_collatex_engine_fastest_runs": round(fastest(engine) / fastest(fast), 1),
                "speedup_vs_plain_collatex_near_match_fastest_runs": round(fastest(plain_near) / fastest(fast), 1),
                "target_speedup": 50,
                "previous_release_seconds": [round(r.seconds, 3) for r in previous],
                "previous_release_max_rss_mib": max((r.max_rss_mib for r in previous), default=None),
                "previous_over_this": round(median(previous) / median(fast), 2) if previous else None,
                "previous_over_this_fastest_runs": round(fastest(previous) / fastest(fast), 2) if previous else None,
                "this_over_bare_python_fastest_runs": round(fastest(fast) / fastest(bare), 2),
                "known_pairs_in_same_column": checks,
                "timed_out": [r.timed_out for r in (*engine, *plain_near, *plain_exact)],
            }
            results["speed_aide_memoire"] = speed
            lines += [
                "## Speed: five witnesses of aide-mémoire size (" + ", ".join(f"{s} {n}" for s, n in words.items()) + " words)",
                "",
                "| command (whole process, start-up included) | median s | fastest s | runs | peak RSS MiB | fast is x times faster (medians; fastest runs) |",
                "|---|---:|---:|---:|---:|---:|",
                f"| `collate align` (fast engine) | {median(fast):.3f} | {fastest(fast):.3f} | {len(fast)} | {speed['fast_max_rss_mib']:.0f} | 1 |",
                f"| `collate align --engine collatex` | {median(engine):.2f} | {fastest(engine):.2f} | {len(engine)} | {speed['collatex_engine_max_rss_mib']:.0f} | {speed['speedup_vs_collatex_engine']}; {speed['speedup_vs_collatex_engine_fastest_runs']} |",
                f"| plain CollateX API, near_match=True | {median(plain_near):.2f} | {fastest(plain_near):.2f} | {len(plain_near)} | {speed['plain_collatex_near_match_max_rss_mib']:.0f} | {speed['speedup_vs_plain_collatex_near_match']}; {speed['speedup_vs_plain_collatex_near_match_fastest_runs']} |",
                *([f"| previous release `collate align` | {median(previous):.3f} | {fastest(previous):.3f} | {len(previous)} | {speed['previous_release_max_rss_mib']:.0f} | {speed['previous_over_this']} (this is x times faster); {speed['previous_over_this_fastest_runs']} |"] if previous else []),
                f"| (`python -c pass`, the interpreter's own start-up) | {median(bare):.3f} | {fastest(bare):.3f} | {len(bare)} | {max(r.max_rss_mib for r in bare):.0f} | |",
                f"| plain CollateX API, near_match=False | {median(plain_exact):.2f} | {fastest(plain_exact):.2f} | 1 | {plain_exact[0].max_rss_mib:.0f} | {speed['speedup_vs_plain_collatex_no_near_match']} |",
                "",
                "Easter/Eastern, 192/1942, Germany/German in one column: " + json.dumps(checks),
                "",
            ]
            print("\n".join(lines[-11:]), file=sys.stderr)

        # ---------------------------------------------------------- 2. scaling, fast engine
        if "scaling" in sections:
            scaling: dict[str, object] = {}
            lines += [
                "## Scaling: fast engine, five witnesses (base_text + 4 noisy copies, rate 0.05, seed 1)",
                "",
                "| words per witness | median s (whole command) | fastest s | runs | in-process align() s (fastest of 3) | peak RSS MiB | F1 | precision | recall |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            ]
            from collate.align import align

            for size in (2000, 20000):
                texts_s, truth, made = noisy_set(base_text(size, seed=1), copies=4, seed=1, rate=0.05)
                files_s = [str(p) for p in write_set(work / f"scale{size}", texts_s)]
                wits = [Witness(s, t) for s, t in texts_s.items()]
                out = work / f"scale{size}.json"
                runs = [run([*collate, "align", *files_s, "-q"], stdout=out, cwd=work, timeout=600) for _ in range(repeat_scale)]
                al = alignment_from_json(out, wits)
                score = correspondence_f1(al, truth)
                inproc = 1e9
                for _ in range(3):
                    t0 = time.perf_counter()
                    align(wits)
                    inproc = min(inproc, time.perf_counter() - t0)
                scaling[str(size)] = {
                    "seconds": [round(r.seconds, 3) for r in runs],
                    "median_seconds": round(median(runs), 3),
                    "fastest_seconds": round(fastest(runs), 3),
                    "in_process_align_seconds": round(inproc, 3),
                    "max_rss_mib": round(max(r.max_rss_mib for r in runs), 1),
                    "score": score_dict(score),
                    "recall_by_kind": kind_recall(al, made),
                    "columns": len(al.columns),
                }
                lines.append(
                    f"| {size:,} | {median(runs):.3f} | {fastest(runs):.3f} | {len(runs)} | {inproc:.3f} | {max(r.max_rss_mib for r in runs):.0f} | {score.f1:.4f} | {score.precision:.4f} | {score.recall:.4f} |"
                )
                print(lines[-1], file=sys.stderr)
            s2, s20 = scaling["2000"], scaling["20000"]
            assert isinstance(s2, dict) and isinstance(s20, dict)
            scaling["ratio_whole_command"] = round(s20["median_seconds"] / s2["median_seconds"], 2)
            scaling["ratio_whole_command_fastest_runs"] = round(s20["fastest_seconds"] / s2["fastest_seconds"], 2)
            scaling["ratio_in_process"] = round(s20["in_process_align_seconds"] / s2["in_process_align_seconds"], 2)
            scaling["targets"] = {"ratio": 15, "f1": 0.98, "max_rss_mib": 1024}
            results["scaling"] = scaling
            lines += [
                "",
                f"20,000 / 2,000 words: {scaling['ratio_whole_command']}x whole command (medians), {scaling['ratio_whole_command_fastest_runs']}x (fastest runs), {scaling['ratio_in_process']}x in-process align() (target at most 15x).",
                "",
            ]

        # ---------------------------------------------------------- 3. quality, fast vs CollateX
        if "quality" in sections:
            quality: list[dict[str, object]] = []
            lines += [
                "## Quality: pairwise word-correspondence F1, same files, both engines through `collate align`",
                "",
                "| text | words | witnesses | seed | fast F1 (P/R) | CollateX F1 (P/R) | fast s | CollateX s |",
                "|---|---:|---:|---:|---|---|---:|---:|",
            ]
            cases: list[tuple[str, str, int]] = []
            for seed in seeds:
                cases.append(("web.txt + noisy copies", real["web"], seed))
                cases.append(("base_text(430)", base_text(430, seed=seed), seed))
            if not quick:
                cases.append(("base_text(1000)", base_text(1000, seed=1), 1))
            totals: dict[str, Counter[str]] = {"fast": Counter(), "collatex": Counter()}
            by_kind: dict[str, dict[str, list[int]]] = {"fast": {}, "collatex": {}}
            swaps: dict[str, Counter[str]] = {"fast": Counter(), "collatex": Counter()}
            for label, source, seed in cases:
                texts_q, truth, made = noisy_set(source, copies=4, seed=seed, rate=0.05)
                folder = work / f"q_{label.split('(')[0].split('.')[0]}_{len(word_tokens(source))}_{seed}"
                files_q = [str(p) for p in write_set(folder, texts_q)]
                wits = [Witness(s, t) for s, t in texts_q.items()]
                row: dict[str, object] = {"text": label, "words": len(word_tokens(source)), "witnesses": len(wits), "seed": seed, "rate": 0.05}
                cells = []
                for name, extra, timeout in (("fast", [], 120.0), ("collatex", ["--engine", "collatex"], cx_timeout)):
                    out = folder / f"{name}.json"
                    r = run([*collate, "align", *extra, *files_q, "-q"], stdout=out, cwd=work, timeout=timeout)
                    if r.returncode != 0:
                        row[name] = {"seconds": round(r.seconds, 2), "timed_out": r.timed_out, "returncode": r.returncode}
                        cells.append(("did not finish" if r.timed_out else f"failed ({r.returncode})", r.seconds))
                        continue
                    al = alignment_from_json(out, wits)
                    score = correspondence_f1(al, truth)
                    for key in ("true_positives", "false_positives", "false_negatives"):
                        totals[name][key] += getattr(score, key)
                    for kind, (hit, total) in kind_recall(al, made).items():
                        entry = by_kind[name].setdefault(kind, [0, 0])
                        entry[0] += hit
                        entry[1] += total
                    detected = swap_detection(out, made)
                    swaps[name].update(detected)
                    row[name] = {"seconds": round(r.seconds, 3), "score": score_dict(score), "swaps": detected}
                    cells.append((f"{score.f1:.4f} ({score.precision:.3f}/{score.recall:.3f})", r.seconds))
                quality.append(row)
                lines.append(
                    f"| {label} | {row['words']} | {row['witnesses']} | {seed} | {cells[0][0]} | {cells[1][0]} | {cells[0][1]:.2f} | {cells[1][1]:.2f} |"
                )
                print(lines[-1], file=sys.stderr)
            summary = {}
            for name, c in totals.items():
                tp, fp, fn = c["true_positives"], c["false_positives"], c["false_negatives"]
                p = tp / (tp + fp) if tp + fp else 1.0
                r_ = tp / (tp + fn) if tp + fn else 1.0
                summary[name] = {"precision": round(p, 5), "recall": round(r_, 5), "f1": round(2 * p * r_ / (p + r_) if p + r_ else 0.0, 5)}
            results["quality"] = {"cases": quality, "pooled": summary, "recall_by_kind": by_kind, "swaps": {k: dict(v) for k, v in swaps.items()}}
            lines += [
                "",
                f"Pooled over the cases both finished: fast F1 {summary['fast']['f1']:.4f}, CollateX F1 {summary['collatex']['f1']:.4f}.",
                "",
                "True (copy word, base word) pairs put in one column, by the kind of edit that made the copy word, pooled:",
                "",
                "| kind | fast | CollateX |",
                "|---|---:|---:|",
            ]
            for kind in sorted(set(by_kind["fast"]) | set(by_kind["collatex"])):
                f = by_kind["fast"].get(kind, [0, 0])
                x = by_kind["collatex"].get(kind, [0, 0])
                lines.append(f"| {kind} | {f[0]}/{f[1]} | {x[0]}/{x[1]} |")
            lines += ["", "Planted swaps recorded as a transposition between base and that copy (and base-copy transpositions no swap explains):", ""]
            for name, c in swaps.items():
                lines.append(
                    f"- {name}: {c['recorded_as_transposition']}/{c['planted_swaps']} recorded, {c['unexplained_base_copy_transpositions']} unexplained"
                )

        # ---------------------------------------------------------- 4. noise sweep, fast engine only
        if "sweep" in sections:
            sweep = []
            lines += ["", "## Noise sweep: fast engine, five witnesses of 2,000 words", "", "| rate | F1 | precision | recall |", "|---:|---:|---:|---:|"]
            for rate in (0.02, 0.05, 0.10, 0.20):
                texts_r, truth, _ = noisy_set(base_text(2000, seed=5), copies=4, seed=5, rate=rate)
                wits = [Witness(s, t) for s, t in texts_r.items()]
                score = correspondence_f1(align(wits), truth)
                sweep.append({"rate": rate, "score": score_dict(score)})
                lines.append(f"| {rate} | {score.f1:.4f} | {score.precision:.4f} | {score.recall:.4f} |")
            results["noise_sweep_in_process"] = sweep

        scale_args = {"run": run, "write_set": write_set}
        if "book" in sections:
            sizes = [int(x) for x in args.book_sizes.split(",")]
            results["book_length"], more = bench_scale.book_length(
                work, commands, sizes=sizes, repeats=1 if quick else 3, timeout=600, alignment_from_json=alignment_from_json, **scale_args
            )
            lines += more
            print("\n".join(more), file=sys.stderr)
        if "many" in sections:
            results["many_witnesses"], more = bench_scale.many_witnesses(
                work, commands, counts=[10, 20, 30, 50], words=2000, timeout=600, alignment_from_json=alignment_from_json, **scale_args
            )
            lines += more
            print("\n".join(more), file=sys.stderr)
        if "huge" in sections:
            results["huge_line"], more = bench_scale.huge_line(
                work, commands, real["web"], megabytes=args.huge_megabytes, timeout=400, with_copy=args.huge_copy, **scale_args
            )
            lines += more
            print("\n".join(more), file=sys.stderr)

    results["load_average_at_end"] = os.getloadavg()
    results["markdown"] = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nwritten {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
