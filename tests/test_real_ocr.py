"""`collate check` on real OCR it was not tuned on: a regression guard.

tesseract 5.3 (Debian's ``tesseract-ocr``) read the three stored witnesses
printed as worn pages (``benchmarks/ocr/make_ocr.py`` draws them with Pillow);
336 differences between those readings and the witness files were read and
classed by hand (``benchmarks/ocr/gold.jsonl``, how in
``benchmarks/ocr/README.md``).  ``benchmarks/bench_ocr.py`` measures this
beside the previous release and on other material; this test only keeps the
figures from sliding back.  No tesseract is needed here: its readings are data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collate.fidelity import check
from collate.model import Witness
from collate.testing.score import spans_overlap

ROOT = Path(__file__).resolve().parent.parent
OCR = ROOT / "benchmarks" / "ocr"
GOLD = [json.loads(line) for line in (OCR / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("page", sorted({g["page"] for g in GOLD}))
def test_every_hand_read_error_on_a_real_ocr_page_is_found_and_nearly_all_classed_right(page: str) -> None:
    meta = json.loads((OCR / "pages" / page / "page.json").read_text(encoding="utf-8"))
    reference = Witness("reference", (ROOT / "witnesses" / f"{meta['witness']}.txt").read_text(encoding="utf-8"))
    ocr = Witness("ocr", (OCR / "pages" / page / "ocr.txt").read_text(encoding="utf-8"))
    errors = check(reference, ocr).errors
    truth = [g for g in GOLD if g["page"] == page]

    def hits(g: dict[str, object], i: int) -> bool:
        e = errors[i]
        return spans_overlap(g["reference_span"], e.reference_span) or spans_overlap(g["witness_span"], e.witness_span)  # type: ignore[arg-type]

    found = [g for g in truth if any(hits(g, i) for i in range(len(errors)))]
    used: set[int] = set()
    right = 0
    for g in truth:  # one report pairs with one true error of its class
        i = next((i for i in range(len(errors)) if i not in used and errors[i].cls.value == g["class"] and hits(g, i)), None)
        if i is not None:
            used.add(i)
            right += 1
    assert len(found) == len(truth)
    assert right >= len(truth) - 1, f"{len(truth) - right} of {len(truth)} classed wrong"
