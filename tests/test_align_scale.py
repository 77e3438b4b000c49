"""Book-length, many-witness and one-line alignments: correctness at scale (never timed).

Marked ``slow``: ``pytest -m "not slow"`` leaves them out of a quick local run;
CI runs them.  Speed is measured in benchmarks/bench_align.py, not here.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from collate.testing import synth  # the noisy-copy generator: imported here only
from collate.align import align
from collate.model import Alignment, Witness

pytestmark = pytest.mark.slow

STORE = Path(__file__).parent.parent / "witnesses"


def repetitive(words: int, seed: int) -> str:
    """Sentences drawn again and again from a pool of twenty: no word occurs once."""
    pool = [s.strip() for s in synth.base_text(600, seed=seed).split(".") if len(s.split()) > 3][:20]
    rng = random.Random(seed)
    out: list[str] = []
    count = 0
    while count < words:
        sentence = rng.choice(pool)
        out.append(sentence + ".")
        count += len(sentence.split())
    return " ".join(out)


def rows_give_back_the_texts(a: Alignment) -> bool:
    return all("".join(t.t for cell in a.row(w) if cell for t in cell) == wit.text for w, wit in enumerate(a.witnesses))


def test_five_witnesses_of_repetitive_text_align_as_well_as_real_text() -> None:
    witnesses, truth = synth.witness_set(repetitive(10_000, seed=3), copies=4, seed=3)
    a = align(witnesses)
    assert rows_give_back_the_texts(a)
    assert synth.correspondence_f1(a, truth).f1 >= 0.99


def test_fifty_witnesses_align_without_losing_quality() -> None:
    witnesses, truth = synth.witness_set(synth.base_text(600, seed=4), copies=49, seed=4)
    a = align(witnesses)
    assert rows_give_back_the_texts(a)
    # 1,176 of the 1,225 pairs are two noisy copies, each pair carrying both copies' errors
    assert synth.correspondence_f1(a, truth).f1 >= 0.985
    with_base = {s: truth[s] for s in ("base", "n1", "n2", "n3")}
    four = Alignment(a.witnesses[:4], a.tokens[:4], tuple(col[:4] for col in a.columns))
    assert synth.correspondence_f1(four, with_base).f1 >= 0.99


def test_a_one_megabyte_line_beside_a_page() -> None:
    line = " ".join(synth.base_text(200_000, seed=5).split())
    assert "\n" not in line and len(line) > 1_000_000
    a = align([Witness("line", line), Witness("web", (STORE / "web.txt").read_text(encoding="utf-8"))])
    assert rows_give_back_the_texts(a)
