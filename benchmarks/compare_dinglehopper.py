#!/usr/bin/env python3
"""Compare `collate.readers` with dinglehopper's own PAGE/ALTO extraction, file by file.

    python3 -m venv /tmp/dh-venv && /tmp/dh-venv/bin/pip install 'dinglehopper==0.11.*'
    git clone https://github.com/qurator-spk/dinglehopper /tmp/dinglehopper   # its test data: not in this repo
    python3 benchmarks/compare_dinglehopper.py --dinglehopper-data /tmp/dinglehopper/src/dinglehopper/tests/data \
        [--dinglehopper-python /tmp/dh-venv/bin/python] [--out benchmarks/results/readers-dinglehopper.json]

dinglehopper's own PAGE and ALTO test files (Apache 2.0) are read where a
clone of its repository has them; they are not copied into this repository.
For every PAGE and ALTO file among them and under tests/data/readers/, dinglehopper's
interpreter runs ``dinglehopper.ocr_files.extract(path)`` (region level, its
default) and ``extract(path, textequiv_level="line")``, and also
``normalize_sbb`` on our text, since dinglehopper normalizes everything it
extracts (NFC, ligatures unjoined, "⸗" to "-", "’" to "'", em dash to en
dash, some private-use characters).  A file "reads the same" when
``normalize_sbb(ours) == theirs`` at line level; the remaining differences are
listed.  Then CER and WER of the ground-truth/OCR pairs are computed both ways:
``collate.metrics`` on our texts, and dinglehopper's ``character_error_rate``
and ``word_error_rate_n(words_normalized(...))`` (the path its CLI takes) on
its own extraction.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from collate import metrics  # noqa: E402
from collate.errors import CollateError  # noqa: E402
from collate.readers import Hyphens, SourceFormat, read_source  # noqa: E402

DATA = ROOT / "tests/data/readers"
PAIRS = (  # (ground truth, OCR) read by both tools; "dinglehopper/" is --dinglehopper-data
    ("dinglehopper/lorem-ipsum-scan.gt.page.xml", "dinglehopper/lorem-ipsum-scan.ocr.tesseract.alto.xml"),
    ("dinglehopper/lorem-ipsum-scan-bad.gt.page.xml", "dinglehopper/lorem-ipsum-scan-bad.ocr.tesseract.alto.xml"),
    ("dinglehopper/lorem-ipsum-scan.gt.page.xml", "dinglehopper/test.alto3.xml"),
    
)

_PEER = r"""
import json, sys
from dinglehopper.ocr_files import extract
from dinglehopper.extracted_text import normalize_sbb
from dinglehopper.character_error_rate import character_error_rate
from dinglehopper.word_error_rate import word_error_rate_n, words_normalized
job = json.load(sys.stdin)
out = {"files": {}, "pairs": [], "normalized": {}}
for path in job["files"]:
    out["files"][path] = {"region": extract(path).text, "line": extract(path, textequiv_level="line").text}
for path, text in job["ours"].items():
    out["normalized"][path] = normalize_sbb(text)
for gt, ocr in job["pairs"]:
    row = {}
    for level in ("region", "line"):
        g, o = extract(gt, textequiv_level=level), extract(ocr, textequiv_level=level)
        row[level] = {"cer": character_error_rate(g, o),
                      "wer": word_error_rate_n(list(words_normalized(g.text)), list(words_normalized(o.text)))[0]}
    out["pairs"].append(row)
json.dump(out, sys.stdout)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dinglehopper-python", default="/tmp/dh-venv/bin/python")
    parser.add_argument("--dinglehopper-data", type=Path, required=True,
                        help="src/dinglehopper/tests/data of a clone of dinglehopper's repository")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/readers-dinglehopper.json")
    args = parser.parse_args()
    roots = {"dinglehopper": args.dinglehopper_data, "": DATA}

    their_files = {p.name: p for p in args.dinglehopper_data.rglob("*.xml")}

    def where(name: str) -> Path:
        head, _, rest = name.partition("/")
        return their_files[rest] if head == "dinglehopper" else DATA / name

    candidates = [*their_files.values(), *DATA.rglob("*.xml")]
    files = sorted(str(p) for p in candidates if sniff(p.read_bytes(), p.name) in (SourceFormat.PAGE, SourceFormat.ALTO))
    ours = {f: read_source(f, hyphens=Hyphens.KEEP).text for f in files}
    job = {"files": files, "ours": ours, "pairs": [[str(where(g)), str(where(o))] for g, o in PAIRS]}
    proc = subprocess.run([args.dinglehopper_python, "-c", _PEER], input=json.dumps(job), capture_output=True, text=True)
    if proc.returncode:
        sys.exit(proc.stderr[-3000:])
    peer = json.loads(proc.stdout)
    rows = []
    for f in files:
        theirs = peer["files"][f]
        normalized = peer["normalized"][f]
        same_line = normalized == theirs["line"]
        same_region = normalized == theirs["region"]
        rows.append({
            "file": _label(Path(f), roots), "format": read_source(f).format.value,
            "same_as_line_level": same_line, "same_as_region_level": same_region,
            "identical_without_normalization": ours[f] == theirs["line"],
            "first_difference": None if same_line else _first_difference(normalized, theirs["line"]),
        })
    pairs = []
    for (g, o), theirs in zip(PAIRS, peer["pairs"]):
        gt, ocr = read_source(where(g)).text, read_source(where(o)).text
        pairs.append({"gt": g, "ocr": o, "cer_ours": metrics.cer(gt, ocr), "wer_ours": metrics.wer(gt, ocr),
                      "dinglehopper": theirs})
    print("| file | format | = dinglehopper (line level) | = (region level) | also without SBB normalization |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['file']} | {r['format']} | {r['same_as_line_level']} | {r['same_as_region_level']} | {r['identical_without_normalization']} |")
        if r["first_difference"]:
            print(f"|  ↳ first difference | | {r['first_difference']} | | |")
    print()
    for p in pairs:
        d = p["dinglehopper"]
        print(f"{p['gt']} vs {p['ocr']}: CER ours {p['cer_ours']!r}, dinglehopper {d['region']['cer']!r} (region level), "
              f"{d['line']['cer']!r} (line level); WER ours {p['wer_ours']!r}, dinglehopper {d['region']['wer']!r}, {d['line']['wer']!r}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"files": rows, "pairs": pairs}, indent=2, ensure_ascii=False) + "\n")


def sniff(data: bytes, name: str) -> SourceFormat | None:
    """The format, or None for an XML document that is neither (dinglehopper's METS files)."""
    from collate.readers.sniff import sniff as sniff_format

    try:
        return sniff_format(data, name)
    except CollateError:
        return None


def _label(path: Path, roots: dict[str, Path]) -> str:
    for name, root in roots.items():
        if path.is_relative_to(root):
            return f"{name}/{path.relative_to(root)}".lstrip("/")
    return str(path)


def _first_difference(ours: str, theirs: str) -> str:
    n = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
    return f"at {n}: ours {ours[max(0, n - 15):n + 15]!r} / theirs {theirs[max(0, n - 15):n + 15]!r}"


if __name__ == "__main__":
    main()
