#!/usr/bin/env python3
"""Fidelity-check benchmark for issue 4: `collate.fidelity.check` against dinglehopper.

    python3 benchmarks/bench_check.py [--quick] [--dinglehopper-python /tmp/dhv/bin/python]
                                      [--out benchmarks/results/check.json]

Three measurements, side by side in one invocation, never in parallel:

(a) **Agreement.**  CER and WER of ``collate.metrics`` against dinglehopper's
    own functions, run by dinglehopper's interpreter in a subprocess on the
    same pairs: ``character_error_rate(ref, hyp)`` and
    ``word_error_rate_n(list(words_normalized(ref)), list(words_normalized(hyp)))``
    (the path its CLI takes).  The pairs are synthetic prose with planted
    errors (``collate.testing.synth``), random Unicode-heavy strings (combining marks,
    emoji and ZWJ sequences, flags, Hangul, Indic conjuncts, CR LF, quotes,
    punctuation-only strings, empty strings), and the real witnesses.  Pass:
    every difference at most 1e-9 (infinities equal).
(b) **Speed** on a 20,000-word pair (``synth.base_text(20000, seed=1)`` and a
    noisy copy at rate 0.05), two ways:
    - *whole command*: each tool as its own process, timed from spawn to exit
      (start-up, imports, reading both files and writing an HTML and a JSON
      report included), with its peak RSS from ``os.wait4``.  dinglehopper is
      its CLI, ``dinglehopper GT OCR REPORT DIR --plain-encoding utf-8`` (it
      computes CER, WER, the character- and word-level diff alignments and
      writes report.html and report.json); ours is the real command,
      ``collate check OCR --against GT --json ... --html ...``.
    - *in process*: the core call only, timed inside the process on CPU and
      wall clock: our ``check(reference, witness)``; dinglehopper's
      ``dinglehopper.cli.process(gt, ocr, ...)``, the function its CLI runs.
    Median and fastest of the repeats are reported; on a shared machine the
    fastest is the steadier figure.  The load average is recorded.
(c) **Detection quality** on noisy copies with recorded planted errors
    (``collate.testing.synth.noisy_copy``, every kind of noise): a reported error
    *finds* a planted edit when their spans overlap in the source/reference
    text or in the noisy/witness text (an empty span counts as a point, which
    overlaps a span containing it).  Recall: planted edits found by some
    error.  Precision: reported errors that find some planted edit.  Class
    accuracy: of the errors that find an edit, those whose class is the
    edit's expected class.  Targets: recall >= 0.95, precision >= 0.95, class
    accuracy >= 0.90.

Prints markdown tables; writes everything to benchmarks/results/check.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from collate.fidelity import check  # noqa: E402
from collate.metrics import cer, wer  # noqa: E402
from collate.model import Witness  # noqa: E402
from collate.store import load_store  # noqa: E402
from collate.testing.synth import ALL, base_text, noisy_copy  # noqa: E402
from collate.testing.score import spans_overlap  # noqa: E402

DH_METRICS = r'''
import json, sys
from dinglehopper.character_error_rate import character_error_rate
from dinglehopper.word_error_rate import word_error_rate_n, words_normalized
pairs = json.load(open(sys.argv[1], encoding="utf-8"))
out = []
for ref, hyp in pairs:
    c = float(character_error_rate(ref, hyp))
    w = float(word_error_rate_n(list(words_normalized(ref)), list(words_normalized(hyp)))[0])
    out.append([c, w])
json.dump(out, open(sys.argv[2], "w"), allow_nan=True)
'''

DH_IN_PROCESS = r'''
import json, sys, time
from dinglehopper.cli import process
t0, c0 = time.perf_counter(), time.process_time()
process(sys.argv[1], sys.argv[2], "report", sys.argv[3], plain_encoding="utf-8")
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}))
'''

DH_EXTRACT = r'''
import json, sys
from dinglehopper.ocr_files import plain_extract
texts = [plain_extract(name, encoding="utf-8").text for name in sys.argv[1:3]]
json.dump(texts, open(sys.argv[3], "w", encoding="utf-8"))
'''



# ----------------------------------------------------------------------------- helpers


def run_timed(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``cmd`` as its own process: wall time spawn to exit, CPU and peak RSS from wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:3]} failed ({proc.returncode}): {err[-2000:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "max_rss_mb": usage.ru_maxrss / 1024,
        "stdout": out,
    }


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "fastest": min(values), "runs": len(values)}


def env_with_repo() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def same(a: float, b: float) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= 1e-9


# ----------------------------------------------------------------------------- (a) agreement


def random_unicode_pairs(n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    atoms = list("abcXYZ019 .,;:'\"-_!?()\n\t") + [
        "\r\n", "e\u0301", "é", "\u0327", "\u0308", "\u200d", "👩", "👩\u200d👩\u200d👧", "🇩🇪", "🇫", "👍🏽",
        "\u1100\u1161\u11a8", "가", "\u0915\u094d\u0937", "\u0930\u094d", "\u05d0\u05f4\u05d1", "ア", "ー",
        "\u2019", "\u201c", "\u2014", "\u00a0", "\u3000", "\u2060", "\u00ad", "ſ", "ﬁ", "\ue000", "3.14",
        "1,000", "can't", "e.g.", "Anglo-Soviet", "€", "%", "\u2607", "x\u200d\u2607",
    ]

    def text() -> str:
        return "".join(rng.choice(atoms) for _ in range(rng.randint(0, 40)))

    pairs = [(text(), text()) for _ in range(n)]
    # mutated copies: closer pairs
    for _ in range(n):
        base = text()
        chars = list(base)
        for _ in range(rng.randint(0, 4)):
            if chars:
                chars[rng.randrange(len(chars))] = rng.choice(atoms)
        pairs.append((base, "".join(chars)))
    pairs += [("", ""), ("", "abc"), ("", "..."), ("abc", ""), ("... --- !!!", "word"), (" ", "\n")]
    return pairs


def agreement(dh_python: str, quick: bool) -> dict[str, Any]:
    pairs: list[tuple[str, str]] = []
    kinds: list[str] = []
    for seed in range(3 if quick else 8):
        src = base_text(300 + 200 * seed, seed=100 + seed)
        copy = noisy_copy(src, seed=200 + seed, rate=0.02 + 0.03 * seed)
        pairs.append((src, copy.text))
        kinds.append("synthetic prose")
    store = {w.siglum: w.text for w in load_store(ROOT / "witnesses")}
    for a in store:
        for b in store:
            if a != b:
                pairs.append((store[a], store[b]))
                kinds.append("real witnesses")
    uni = random_unicode_pairs(300 if quick else 1500, seed=7)
    pairs += uni
    kinds += ["random Unicode"] * len(uni)

    with tempfile.TemporaryDirectory() as tmp:
        inp, outp = Path(tmp) / "pairs.json", Path(tmp) / "dh.json"
        inp.write_text(json.dumps(pairs), encoding="utf-8")
        t0 = time.perf_counter()
        subprocess.run([dh_python, "-c", DH_METRICS, str(inp), str(outp)], check=True)
        dh_time = time.perf_counter() - t0
        theirs = json.loads(outp.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    ours = [(cer(r, h), wer(r, h)) for r, h in pairs]
    our_time = time.perf_counter() - t0

    mismatches = []
    by_kind: dict[str, Counter[str]] = {}
    max_diff = 0.0
    for (r, h), kind, (oc, ow), (tc, tw) in zip(pairs, kinds, ours, theirs):
        tally = by_kind.setdefault(kind, Counter())
        tally["pairs"] += 1
        for name, o, t in (("cer", oc, tc), ("wer", ow, tw)):
            if not (math.isinf(o) or math.isinf(t)):
                max_diff = max(max_diff, abs(o - t))
            if not same(o, t):
                tally[f"{name}_mismatches"] += 1
                if len(mismatches) < 20:
                    mismatches.append({"kind": kind, "metric": name, "reference": r[:200], "hypothesis": h[:200],
                                       "ours": o, "dinglehopper": t})
    return {
        "pairs": len(pairs),
        "by_kind": {k: dict(v) for k, v in by_kind.items()},
        "max_abs_difference": max_diff,
        "mismatches": mismatches,
        "all_agree": not mismatches,
        "seconds": {"ours_in_process": our_time, "dinglehopper_subprocess": dh_time},
    }


# ----------------------------------------------------------------------------- (b) speed


def speed(dh_python: str, quick: bool) -> dict[str, Any]:
    src = base_text(20000, seed=1)
    copy = noisy_copy(src, seed=2, rate=0.05)
    n_words = len(src.split())
    dh_cli = str(Path(dh_python).with_name("dinglehopper"))
    ours_runs, dh_runs = (2, 1) if quick else (5, 2)
    result: dict[str, Any] = {"words": n_words, "characters": len(src), "planted_edits": len(copy.edits)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        gt, ocr = folder / "gt.txt", folder / "ocr.txt"
        gt.write_text(src, encoding="utf-8")
        ocr.write_text(copy.text, encoding="utf-8")
        env = env_with_repo()

        whole_ours, whole_dh = [], []
        for i in range(max(ours_runs, dh_runs)):  # interleaved, so that a change of load hits both
            if i < ours_runs:
                out = folder / f"ours{i}"
                out.mkdir()
                whole_ours.append(run_timed([sys.executable, "-m", "collate", "check", str(ocr), "--against", str(gt),
                                             "--json", str(out / "report.json"), "--html", str(out / "report.html"), "-q"],
                                            env=env))
            if i < dh_runs:
                out = folder / f"dh{i}"
                whole_dh.append(run_timed([dh_cli, str(gt), str(ocr), "report", str(out), "--plain-encoding", "utf-8"]))
        result["whole_command"] = {
            "ours": {"wall": summary([r["wall"] for r in whole_ours]), "cpu": summary([r["cpu"] for r in whole_ours]),
                     "max_rss_mb": max(r["max_rss_mb"] for r in whole_ours),
                     "what": "collate check OCR --against GT --json ... --html ...: read both files, check, write both reports"},
            "dinglehopper": {"wall": summary([r["wall"] for r in whole_dh]), "cpu": summary([r["cpu"] for r in whole_dh]),
                             "max_rss_mb": max(r["max_rss_mb"] for r in whole_dh),
                             "what": f"{dh_cli} gt.txt ocr.txt report DIR --plain-encoding utf-8"},
        }
        # dinglehopper's own report on this pair, for the record
        dh_json = json.loads((folder / "dh0" / "report.json").read_text(encoding="utf-8"))
        ours_json = json.loads((folder / "ours0" / "report.json").read_text(encoding="utf-8"))
        # dinglehopper's CLI reads plain text line by line: it strips each line,
        # applies its SBB character equivalences and joins the lines with "\n"
        # (so a final newline is dropped).  Our metrics on the text it extracted:
        extracted = folder / "extracted.json"
        subprocess.run(
            [dh_python, "-c", DH_EXTRACT, str(gt), str(ocr), str(extracted)], check=True
        )
        gt_text, ocr_text = json.loads(extracted.read_text(encoding="utf-8"))
        on_extracted = {"cer": cer(gt_text, ocr_text), "wer": wer(gt_text, ocr_text)}
        result["reported"] = {
            "dinglehopper_cli": {"cer": dh_json.get("cer"), "wer": dh_json.get("wer")},
            "ours_check_on_the_files": {"cer": ours_json["cer"], "wer": ours_json["wer"], "errors": len(ours_json["errors"])},
            "ours_metrics_on_the_text_dinglehopper_extracted": on_extracted,
            "cli_agrees_on_extracted_text": all(
                same(on_extracted[k], float(dh_json[k])) for k in ("cer", "wer")
            ),
            "note": "dinglehopper's CLI on plain text strips each line, applies its SBB equivalences "
                    "(e.g. em dash -> en dash) and drops a final newline before measuring; collate check "
                    "does the same but for the SBB equivalences (none occur in this pair)",
        }

        in_ours, in_dh = [], []
        ref, wit = Witness("gt", src), Witness("ocr", copy.text)
        for _ in range(ours_runs):
            t0, c0 = time.perf_counter(), time.process_time()
            check(ref, wit)
            in_ours.append({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0})
        for i in range(dh_runs):
            out = folder / f"dhp{i}"
            r = run_timed([dh_python, "-c", DH_IN_PROCESS, str(gt), str(ocr), str(out)])
            in_dh.append(json.loads(r["stdout"].strip().splitlines()[-1]))
        result["in_process"] = {
            "ours": {"wall": summary([r["wall"] for r in in_ours]), "cpu": summary([r["cpu"] for r in in_ours]),
                     "what": "collate.fidelity.check(reference, witness)"},
            "dinglehopper": {"wall": summary([r["wall"] for r in in_dh]), "cpu": summary([r["cpu"] for r in in_dh]),
                             "what": "dinglehopper.cli.process(gt, ocr, 'report', dir, plain_encoding='utf-8')"},
        }
    for mode in ("whole_command", "in_process"):
        m = result[mode]
        m["speedup"] = {
            f"{clock}_{stat}": m["dinglehopper"][clock][stat] / m["ours"][clock][stat]
            for clock in ("wall", "cpu")
            for stat in ("median", "fastest")
        }
    return result


# ----------------------------------------------------------------------------- (c) quality


def quality(quick: bool) -> dict[str, Any]:
    seeds = range(3) if quick else range(10)
    planted = found = reported = true_errors = right_class = 0
    per_kind: dict[str, Counter[str]] = {}
    confusion: Counter[tuple[str, str]] = Counter()
    misses: list[dict[str, Any]] = []
    false_alarms: list[dict[str, Any]] = []
    t_check = 0.0
    for seed in seeds:
        src = base_text(2000, seed=1000 + seed)
        copy = noisy_copy(src, seed=2000 + seed, rate=0.05, kinds=ALL)
        assert unicodedata.is_normalized("NFC", src) and unicodedata.is_normalized("NFC", copy.text)
        t0 = time.perf_counter()
        report = check(Witness("source", src), Witness("noisy", copy.text))
        t_check += time.perf_counter() - t0
        errors = report.errors
        matched_error = [False] * len(errors)
        for edit in copy.edits:
            hits = [
                i for i, e in enumerate(errors)
                if spans_overlap(e.reference_span, edit.source_span) or spans_overlap(e.witness_span, edit.noisy_span)
            ]
            tally = per_kind.setdefault(edit.kind.value, Counter())
            tally["planted"] += 1
            planted += 1
            if hits:
                found += 1
                tally["found"] += 1
                for i in hits:
                    matched_error[i] = True
                best = hits[0]
                if errors[best].cls is edit.expected:
                    tally["right_class"] += 1
                confusion[(edit.expected.value, errors[best].cls.value)] += 1
            elif len(misses) < 25:
                misses.append({"seed": seed, "kind": edit.kind.value, "source": edit.source_text,
                               "noisy": edit.noisy_text, "source_span": edit.source_span})
        reported += len(errors)
        for i, e in enumerate(errors):
            if matched_error[i]:
                true_errors += 1
                edit = next(
                    ed for ed in copy.edits
                    if spans_overlap(e.reference_span, ed.source_span) or spans_overlap(e.witness_span, ed.noisy_span)
                )
                right_class += e.cls is edit.expected
            elif len(false_alarms) < 25:
                false_alarms.append({"seed": seed, "class": e.cls.value, "reference": e.reference,
                                     "witness": e.witness, "reference_span": e.reference_span})
    return {
        "texts": len(seeds),
        "words_per_text": 2000,
        "rate": 0.05,
        "planted": planted,
        "reported": reported,
        "recall": found / planted if planted else 1.0,
        "precision": true_errors / reported if reported else 1.0,
        "class_accuracy": right_class / true_errors if true_errors else 1.0,
        "per_kind": {
            k: {**dict(v), "recall": v["found"] / v["planted"], "class_accuracy": v["right_class"] / v["found"] if v["found"] else None}
            for k, v in sorted(per_kind.items())
        },
        "confusion_expected_to_reported": {f"{a} -> {b}": n for (a, b), n in sorted(confusion.items())},
        "misses": misses,
        "false_alarms": false_alarms,
        "check_seconds": t_check,
        "targets": {"recall": 0.95, "precision": 0.95, "class_accuracy": 0.90},
    }


# ----------------------------------------------------------------------------- main


def markdown(res: dict[str, Any]) -> str:
    lines = []
    a = res["agreement"]
    lines += ["### (a) CER/WER agreement with dinglehopper", "",
              "| pairs | kind | CER mismatches | WER mismatches |", "|---:|---|---:|---:|"]
    for kind, t in a["by_kind"].items():
        lines.append(f"| {t['pairs']} | {kind} | {t.get('cer_mismatches', 0)} | {t.get('wer_mismatches', 0)} |")
    lines += ["", f"Largest absolute difference: {a['max_abs_difference']:.3g}; all agree to 1e-9: **{a['all_agree']}**", ""]
    s = res["speed"]
    lines += [f"### (b) Speed, {s['words']:,}-word pair ({s['characters']:,} characters)", "",
              "| what | ours wall (median / fastest) | dinglehopper wall (median / fastest) | speed-up wall median / fastest | speed-up CPU median / fastest |",
              "|---|---:|---:|---:|---:|"]
    for mode in ("whole_command", "in_process"):
        m = s[mode]
        lines.append(
            f"| {mode.replace('_', ' ')} | {m['ours']['wall']['median']:.2f} s / {m['ours']['wall']['fastest']:.2f} s "
            f"| {m['dinglehopper']['wall']['median']:.2f} s / {m['dinglehopper']['wall']['fastest']:.2f} s "
            f"| {m['speedup']['wall_median']:.1f}x / {m['speedup']['wall_fastest']:.1f}x "
            f"| {m['speedup']['cpu_median']:.1f}x / {m['speedup']['cpu_fastest']:.1f}x |"
        )
    rep = s["reported"]
    lines += ["", f"On this pair dinglehopper's CLI reports CER {rep['dinglehopper_cli']['cer']} / WER {rep['dinglehopper_cli']['wer']}; "
              f"our metrics on the text its CLI extracted: CER {rep['ours_metrics_on_the_text_dinglehopper_extracted']['cer']} / "
              f"WER {rep['ours_metrics_on_the_text_dinglehopper_extracted']['wer']} (agree: {rep['cli_agrees_on_extracted_text']}); "
              f"our check on the files as they are: CER {rep['ours_check_on_the_files']['cer']} / WER "
              f"{rep['ours_check_on_the_files']['wer']} (check reads a plain file as dinglehopper's CLI does: "
              f"no final line break, lines stripped)."]
    lines += ["", f"Peak RSS, whole command: ours {s['whole_command']['ours']['max_rss_mb']:.0f} MB, "
              f"dinglehopper {s['whole_command']['dinglehopper']['max_rss_mb']:.0f} MB", ""]
    q = res["quality"]
    lines += [f"### (c) Detection on noisy copies ({q['texts']} x {q['words_per_text']} words, rate {q['rate']})", "",
              "| planted | reported | recall | precision | class accuracy |", "|---:|---:|---:|---:|---:|",
              f"| {q['planted']} | {q['reported']} | {q['recall']:.3f} | {q['precision']:.3f} | {q['class_accuracy']:.3f} |",
              "", "| kind | planted | found | recall | class accuracy |", "|---|---:|---:|---:|---:|"]
    for k, v in q["per_kind"].items():
        acc = "" if v["class_accuracy"] is None else f"{v['class_accuracy']:.3f}"
        lines.append(f"| {k} | {v['planted']} | {v.get('found', 0)} | {v['recall']:.3f} | {acc} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer pairs, texts and repeats")
    parser.add_argument("--dinglehopper-python", default="/tmp/dhv/bin/python",
                        help="the Python interpreter that has dinglehopper installed")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "check.json")
    parser.add_argument("--skip", choices=["agreement", "speed", "quality"], action="append", default=[])
    args = parser.parse_args()
    if not Path(args.dinglehopper_python).exists():
        print(f"dinglehopper's python not found: {args.dinglehopper_python}", file=sys.stderr)
        return 2
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    res: dict[str, Any] = {
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count()},
        "commit": commit,
        "quick": args.quick,
        "load_average_at_start": os.getloadavg(),
    }
    dh_version = subprocess.run(
        [args.dinglehopper_python, "-c", "import importlib.metadata as m; print(m.version('dinglehopper'), m.version('uniseg'))"],
        capture_output=True, text=True,
    ).stdout.split()
    res["dinglehopper"] = {"python": args.dinglehopper_python, "version": dh_version[:1], "uniseg": dh_version[1:]}
    if "agreement" not in args.skip:
        res["agreement"] = agreement(args.dinglehopper_python, args.quick)
    if "quality" not in args.skip:
        res["quality"] = quality(args.quick)
    if "speed" not in args.skip:
        res["speed"] = speed(args.dinglehopper_python, args.quick)
    res["load_average_at_end"] = os.getloadavg()
    if not args.skip:
        res["markdown"] = markdown(res)
        print(res["markdown"])
    else:
        print(json.dumps({k: v for k, v in res.items() if k in ("agreement", "quality", "speed")}, indent=1, default=str)[:6000])
    print(f"\nload average: start {res['load_average_at_start']}, end {res['load_average_at_end']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=1, ensure_ascii=False, default=list), encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
