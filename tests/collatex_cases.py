"""Reading CollateX's alignment test cases (tests/data/collatex_cases/) against our alignments.

Each case holds witnesses and what CollateX's test expects, in one of five kinds:

``table``
    CollateX's alignment table, one row per witness, a cell per column
    (``null`` for a gap): ours must be the same table, column for column.
``segmented``
    A table whose cells are runs of tokens (CollateX's parallel
    segmentation): ours must give every token the same company, that is, the
    same witnesses reading the same word in its column.
``graph``
    CollateX's ``VariantGraphMatcher``: for the first tokens of a witness, in
    order, whether each is aligned (another witness has the same word in its
    column), and sometimes with how many witnesses.
``transpositions``
    How many transpositions CollateX finds between two witnesses.
``same_column``
    Tokens (witness, index) that must share a column (near matching).

Words are compared case-folded, and a cell's tokens joined by single spaces.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from collate.align import align
from collate.model import Alignment, Witness
from collate.tokenize import tokenize

DATA = Path(__file__).parent / "data" / "collatex_cases"
Rows = dict[str, list[str | None]]


@cache
def load(name: str) -> tuple[dict[str, Any], ...]:
    return tuple(json.loads((DATA / name).read_text(encoding="utf-8"))["cases"])


def run(case: dict[str, Any]) -> Alignment:
    # CollateX knows no partial witnesses and no gap marks: every witness is whole, "..." is text
    witnesses = [Witness(s, t) for s, t in case["witnesses"].items()]
    return align(witnesses, normalization=case["normalization"], partial_share=None, gap_marks=())


def words(text: str) -> list[str]:
    return [t.word.casefold() for t in tokenize(text)]


def table(a: Alignment) -> Rows:
    """Our alignment as rows of cells: the words of a cell, case-folded, joined by spaces."""
    return {
        s: [" ".join(t.word.casefold() for t in cell) if cell else None for cell in a.row(w)]
        for w, s in enumerate(a.sigla)
    }


def company(a: Alignment) -> dict[str, list[tuple[str, frozenset[str]]]]:
    """Each witness's words in order, each with the witnesses that read the same word in its column."""
    out: dict[str, list[tuple[str, frozenset[str]]]] = {s: [] for s in a.sigla}
    for col in a.columns:
        cells = [[t.word.casefold() for t in cell or ()] for cell in col]
        for w, cell in enumerate(cells):
            for word in cell:
                out[a.sigla[w]].append((word, frozenset(a.sigla[v] for v, other in enumerate(cells) if word in other)))
    return out


def expected_company(rows: Rows) -> dict[str, list[tuple[str, frozenset[str]]]]:
    """The same from a segmented table: a cell's words keep company with the witnesses whose cell there is the same."""
    out: dict[str, list[tuple[str, frozenset[str]]]] = {}
    width = len(next(iter(rows.values())))
    keyed = {s: [tuple(words(c)) if c else None for c in row] for s, row in rows.items()}
    for s, row in keyed.items():
        seq: list[tuple[str, frozenset[str]]] = []
        for c in range(width):
            cell = row[c]
            if cell:
                mates = frozenset(v for v, other in keyed.items() if other[c] == cell)
                seq.extend((word, mates) for word in cell)
        out[s] = seq
    return out


def problems(case: dict[str, Any], a: Alignment) -> list[str]:
    """How our alignment departs from CollateX's expectation (empty: it agrees)."""
    exp = case["expected"]
    kind = exp["kind"]
    if kind == "table":
        want = {s: [" ".join(words(c)) if c else None for c in row] for s, row in exp["rows"].items()}
        got = table(a)
        return [f"{s}: {got[s]} != {want[s]}" for s in want if got[s] != want[s]]
    if kind == "segmented":
        want_c, got_c = expected_company(exp["rows"]), company(a)
        return [f"{s}: {got_c[s]} != {want_c[s]}" for s in want_c if got_c[s] != want_c[s]]
    if kind == "graph":
        got_c = company(a)
        out = []
        for s, segments in exp["witnesses"].items():
            seq = iter(got_c[s])
            for seg in segments:
                for word in words(seg["tokens"]):
                    have = next(seq, None)
                    if have is None or have[0] != word:
                        out.append(f"{s}: expected {word!r}, found {have}")
                        break
                    count = len(have[1])
                    if (count > 1) != seg["aligned"] or seg.get("witnesses", count) != count:
                        out.append(f"{s}: {word!r} shared by {sorted(have[1])}, expected {'aligned' if seg['aligned'] else 'not aligned'}")
        return out
    if kind == "transpositions":
        n = len(a.transpositions)
        return [] if n == exp["count"] else [f"{n} transpositions, expected {exp['count']}: {a.transpositions}"]
    if kind == "same_column":
        out = []
        for (s, i), (t, j) in exp["pairs"]:
            ws, wt = a.sigla.index(s), a.sigla.index(t)
            ti, tj = a.tokens[ws][i], a.tokens[wt][j]
            if not any(col[ws] and ti in col[ws] and col[wt] and tj in col[wt] for col in a.columns):
                out.append(f"{s}[{i}] {ti.word!r} and {t}[{j}] {tj.word!r} are in different columns")
        return out
    raise ValueError(f"unknown kind of expectation {kind!r}")
