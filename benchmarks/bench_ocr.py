#!/usr/bin/env python3
"""`collate check` on material it was not tuned on (issue 9), beside the previous release.

    python3 benchmarks/bench_ocr.py [--baseline-python /tmp/ocr-base-venv/bin/python]
                                    [--out benchmarks/results/ocr.json]

Three materials, each scored the same way:

real OCR
    tesseract's readings of the stored witnesses printed as worn pages
    (``benchmarks/ocr/pages``), against the witness files, with the 335 errors
    read by hand in ``benchmarks/ocr/gold.jsonl`` (see benchmarks/ocr/README.md).
independent generator
    ``benchmarks/ocr/generator.py``: KJV chapters and the three witnesses with
    planted errors of an error model that shares nothing with ``collate.testing.synth``
    (8 texts of about 1,500 words and the 3 witnesses, rate 0.06), and the
    same copies with CRLF line endings; once with the seeds looked at while
    the classifier was changed, once with fresh seeds.
own generator
    ``collate.testing.synth.noisy_copy`` (every kind of noise), 10 texts of 2,000 words
    at rate 0.05, as ``bench_check.py`` (c) measures it: the generator the
    classifier was tuned on, which must not get worse.

Each pair is written to files and checked the way ``collate check FILE
--against FILE`` does it (``collate.store.read_witness`` then
``collate.fidelity.check``), by this tree and by the previous release (its own
virtual environment), one process each for all the pairs, in the same run.

Scoring.  A reported error *overlaps* a true error (a gold error or a planted
one) when their spans overlap in the reference or in the witness (an empty
span is a point, which overlaps a span holding it, ends included).

- found (recall): true errors overlapped by some reported error;
- precision: reported errors that overlap some true error;
- classed right: true errors paired one to one with an overlapping reported
  error of the same class (greedy, in reading order), so that one report
  covering two differences of different kinds earns one, not two;
- class accuracy: classed right / found.

For the CRLF copies the spans of a version that folds line endings are in
the folded text, so they are scored against the LF copy's plants; a version that
does not fold is scored against the CRLF copy's plants.  Also recorded for
them: whether CER and the list of errors are the same as for the LF copy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "ocr"))

import generator  # noqa: E402
from collate.testing.score import spans_overlap  # noqa: E402

OCR = ROOT / "benchmarks" / "ocr"

WORKER = r'''
import json, sys, time
from pathlib import Path
from collate.fidelity import check
from collate.store import read_witness
pairs = json.load(open(sys.argv[1], encoding="utf-8"))
out = []
t0 = time.perf_counter()
for ref_path, wit_path in pairs:
    ref, wit = read_witness(Path(ref_path)), read_witness(Path(wit_path))
    if ref.siglum == wit.siglum:
        ref = ref.__class__(ref.siglum + ".reference", ref.text, ref.meta, ref.path)
    r = check(ref, wit)
    out.append({
        "cer": r.cer, "wer": r.wer,
        "witness_text_length": len(r.witness_text), "raw_witness_length": len(wit.text),
        "notes": list(getattr(r, "notes", ())),
        "errors": [{"class": e.cls.value, "reference": e.reference, "witness": e.witness,
                    "reference_span": list(e.reference_span), "witness_span": list(e.witness_span)}
                   for e in r.errors],
    })
json.dump({"results": out, "seconds": time.perf_counter() - t0}, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
'''


# ----------------------------------------------------------------------------- materials


def real_ocr(folder: Path) -> list[dict[str, Any]]:
    """The hand-read pages.  Each reference is the witness's text copied
    without its metadata: the page printed all of it, so a fragment's lost
    end is not a lacuna here."""
    gold = [json.loads(line) for line in (OCR / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = []
    for page in sorted({g["page"] for g in gold}):
        meta = json.loads((OCR / "pages" / page / "page.json").read_text(encoding="utf-8"))
        truth = [
            {"class": g["class"], "reference_span": g["reference_span"], "witness_span": g["witness_span"],
             "reference": g["reference"], "witness": g["witness"], "kind": g["class"]}
            for g in gold if g["page"] == page
        ]
        reference = folder / "real" / meta["witness"] / f"{meta['witness']}.txt"
        if not reference.exists():
            reference.parent.mkdir(parents=True)
            reference.write_bytes((ROOT / "witnesses" / f"{meta['witness']}.txt").read_bytes())
        cases.append({"name": page, "reference": str(reference),
                      "witness": str(OCR / "pages" / page / "ocr.txt"), "truth": truth})
    return cases


def _plants(copy: generator.NoisyText) -> list[dict[str, Any]]:
    return [{"class": p.cls, "kind": p.kind, "reference_span": list(p.source_span), "witness_span": list(p.noisy_span),
             "reference": p.source, "witness": p.noisy} for p in copy.plants]


def independent(folder: Path, *, fresh: bool = False) -> list[dict[str, Any]]:
    """8 KJV texts and the 3 witnesses with planted errors, each also with CRLF
    line endings.  ``fresh``: other seeds (texts from other chapters, other
    errors), never looked at while the classifier was changed."""
    first, noise = (21, 500) if fresh else (1, 100)
    sources = [(f"kjv-{seed}", generator.source_text(seed)) for seed in range(first, first + 8)]
    sources += [(f"witness-{s}", t) for s, t in zip(("web", "frus", "corr1957"), generator.witness_sources())]
    cases = []
    for i, (name, src) in enumerate(sources):
        lf = generator.noisy(src, seed=noise + i)
        for copy, suffix in ((lf, ""), (generator.noisy(src, seed=noise + i, crlf=True), "-crlf")):
            d = folder / ("fresh" if fresh else "independent") / f"{name}{suffix}"
            d.mkdir(parents=True)
            (d / "source.txt").write_bytes(src.encode("utf-8"))
            (d / "noisy.txt").write_bytes(copy.text.encode("utf-8"))
            cases.append({"name": name + suffix, "reference": str(d / "source.txt"), "witness": str(d / "noisy.txt"),
                          "truth": _plants(copy), "truth_folded": _plants(lf) if suffix else None})
    return cases


def own(folder: Path) -> list[dict[str, Any]]:
    from collate.testing.synth import ALL, base_text, noisy_copy  # the one place this benchmark imports synth

    cases = []
    for seed in range(10):
        src = base_text(2000, seed=1000 + seed)
        copy = noisy_copy(src, seed=2000 + seed, rate=0.05, kinds=ALL)
        d = folder / "own" / f"synth-{seed}"
        d.mkdir(parents=True)
        (d / "source.txt").write_text(src, encoding="utf-8")
        (d / "noisy.txt").write_text(copy.text, encoding="utf-8")
        truth = [{"class": e.expected.value, "kind": e.kind.value, "reference_span": list(e.source_span),
                  "witness_span": list(e.noisy_span), "reference": e.source_text, "witness": e.noisy_text}
                 for e in copy.edits]
        cases.append({"name": f"synth-{seed}", "reference": str(d / "source.txt"), "witness": str(d / "noisy.txt"),
                      "truth": truth})
    return cases


# ----------------------------------------------------------------------------- scoring


def _hits(t: dict[str, Any], e: dict[str, Any]) -> bool:
    return spans_overlap(t["reference_span"], e["reference_span"]) or spans_overlap(t["witness_span"], e["witness_span"])


def score(truth: list[dict[str, Any]], errors: list[dict[str, Any]]) -> dict[str, Any]:
    found = [any(_hits(t, e) for e in errors) for t in truth]
    used: set[int] = set()
    right = []
    for t in truth:
        match = next((i for i, e in enumerate(errors) if i not in used and e["class"] == t["class"] and _hits(t, e)), None)
        if match is not None:
            used.add(match)
        right.append(match is not None)
    true_reports = sum(any(_hits(t, e) for t in truth) for e in errors)
    return {"truth": len(truth), "reported": len(errors), "found": sum(found), "classed_right": sum(right),
            "true_reports": true_reports, "found_flags": found, "right_flags": right}


def summarize(cases: list[dict[str, Any]], results: list[dict[str, Any]], *, folded_key: bool = False) -> dict[str, Any]:
    tally: Counter[str] = Counter()
    per_class: dict[str, Counter[str]] = {}
    confusion: Counter[str] = Counter()
    misses: list[dict[str, Any]] = []
    wrong: list[dict[str, Any]] = []
    false_alarms: list[dict[str, Any]] = []
    crlf: list[dict[str, Any]] = []
    by_name = {c["name"]: r for c, r in zip(cases, results)}
    for case, res in zip(cases, results):
        truth = case["truth"]
        folded = res["witness_text_length"] != res["raw_witness_length"]
        if case.get("truth_folded") is not None:
            if folded:
                truth = case["truth_folded"]
            lf = by_name[case["name"].removesuffix("-crlf")]
            crlf.append({"name": case["name"], "folded": folded, "notes": res["notes"],
                         "same_cer_as_lf": abs(res["cer"] - lf["cer"]) < 1e-12,
                         "same_errors_as_lf": [(e["class"], e["reference_span"], e["witness_span"]) for e in res["errors"]]
                         == [(e["class"], e["reference_span"], e["witness_span"]) for e in lf["errors"]],
                         "cer": res["cer"], "cer_lf": lf["cer"]})
        s = score(truth, res["errors"])
        for k in ("truth", "reported", "found", "classed_right", "true_reports"):
            tally[k] += s[k]
        for t, f, r in zip(truth, s["found_flags"], s["right_flags"]):
            pc = per_class.setdefault(t["class"], Counter())
            pc["truth"] += 1
            pc["found"] += f
            pc["classed_right"] += r
            if not f:
                if len(misses) < 40:
                    misses.append({"case": case["name"], **{k: t[k] for k in ("class", "kind", "reference", "witness")}})
            elif not r:
                got = [e for e in res["errors"] if _hits(t, e)]
                confusion[f"{t['class']} -> {'+'.join(sorted({e['class'] for e in got}))}"] += 1
                if len(wrong) < 80:
                    wrong.append({"case": case["name"], **{k: t[k] for k in ("class", "kind", "reference", "witness")},
                                  "reported": [(e["class"], e["reference"], e["witness"]) for e in got]})
        for e in res["errors"]:
            if not any(_hits(t, e) for t in truth) and len(false_alarms) < 40:
                false_alarms.append({"case": case["name"], "class": e["class"], "reference": e["reference"],
                                     "witness": e["witness"]})
    n, found = tally["truth"], tally["found"]
    return {
        "cases": len(cases),
        "truth": n,
        "reported": tally["reported"],
        "found": found,
        "recall": found / n if n else 1.0,
        "precision": tally["true_reports"] / tally["reported"] if tally["reported"] else 1.0,
        "classed_right": tally["classed_right"],
        "classed_right_of_all": tally["classed_right"] / n if n else 1.0,
        "class_accuracy": tally["classed_right"] / found if found else 1.0,
        "per_class": {k: {**dict(v), "recall": v["found"] / v["truth"], "classed_right_of_all": v["classed_right"] / v["truth"]}
                      for k, v in sorted(per_class.items())},
        "confusion_true_to_reported": dict(confusion.most_common()),
        "crlf": crlf,
        "misses": misses,
        "wrong_class": wrong,
        "false_alarms": false_alarms,
    }


def run(python: str, cases: list[dict[str, Any]], folder: Path, name: str, env: dict[str, str]) -> dict[str, Any]:
    pairs = folder / f"pairs-{name}.json"
    out = folder / f"out-{name}.json"
    pairs.write_text(json.dumps([[c["reference"], c["witness"]] for c in cases]), encoding="utf-8")
    subprocess.run([python, "-c", WORKER, str(pairs), str(out)], check=True, env=env, cwd=folder)
    return json.loads(out.read_text(encoding="utf-8"))


def markdown(res: dict[str, Any]) -> str:
    lines = ["| material | version | true errors | reported | found | precision | classed right | class accuracy |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for material, by_version in res["materials"].items():
        for version, s in by_version.items():
            lines.append(f"| {material} | {version} | {s['truth']} | {s['reported']} | {s['recall']:.1%} | {s['precision']:.1%} "
                         f"| {s['classed_right_of_all']:.1%} | {s['class_accuracy']:.3f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-python", default="/tmp/ocr-base-venv/bin/python",
                        help="an interpreter with the previous release (3b5a682) installed")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "ocr.json")
    args = parser.parse_args()
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    base_version = subprocess.run([args.baseline_python, "-c", "import collate, importlib.metadata as m; print(m.version('collate'))"],
                                  capture_output=True, text=True, check=True,
                                  cwd="/").stdout.strip()  # not the tree's cwd: its collate.egg-info would answer
    res: dict[str, Any] = {
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count()},
        "commit": commit, "baseline": {"python": args.baseline_python, "version": base_version, "commit": "3b5a682"},
        "materials": {}, "seconds": {},
    }
    here_env = dict(os.environ, PYTHONPATH=str(ROOT))
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        materials = {"real OCR": real_ocr(folder), "independent generator": independent(folder),
                     "independent generator, fresh seeds": independent(folder, fresh=True), "own generator": own(folder)}
        for material, cases in materials.items():
            res["materials"][material] = {}
            for version, python, env in (("previous (3b5a682)", args.baseline_python, base_env),
                                         ("this tree", sys.executable, here_env)):
                out = run(python, cases, folder, f"{material}-{version}".replace(" ", "_"), env)
                res["materials"][material][version] = summarize(cases, out["results"])
                res["seconds"][f"{material} / {version}"] = out["seconds"]
    res["markdown"] = markdown(res)
    print(res["markdown"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
