"""Outputs of an alignment as a table: CollateX JSON, CSV/TSV, a terminal table."""

import csv
import io
import json
from pathlib import Path

import pytest

from collate.align import align
from collate.model import Alignment, Witness
from collate.render.table import table_json, to_csv, to_json, to_table
from collate.store import load_store

STORE = Path(__file__).parent.parent / "witnesses"


@pytest.fixture(scope="module")
def aide_memoire() -> Alignment:
    return align(load_store(STORE))


def test_json_is_collatex_shaped_and_keeps_every_character(aide_memoire: Alignment) -> None:
    data = json.loads(to_json(aide_memoire))
    assert data["witnesses"] == list(aide_memoire.sigla)
    assert len(data["table"]) == len(aide_memoire.witnesses)
    assert {len(row) for row in data["table"]} == {len(aide_memoire.columns)}
    for wit, row in zip(aide_memoire.witnesses, data["table"]):
        tokens = [tok for cell in row if cell is not None for tok in cell]
        assert "".join(tok["t"] for tok in tokens) == wit.text
        assert all(wit.text[tok["start"] : tok["end"]] == tok["t"] for tok in tokens)
        assert all(set(tok) >= {"t", "n"} for tok in tokens)
    assert data["metadata"]["frus"]["completeness"] == "fragment"
    assert all(set(t) == {"sigla", "columns", "words"} for t in data["transpositions"])  # one key for one thing


def test_table_json_cells_are_null_for_gaps() -> None:
    a = align([Witness("A", "the Eastern front"), Witness("B", "the front")])
    assert table_json(a)["table"][1][1] is None  # type: ignore[index]


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_csv_has_a_row_per_column_and_a_column_per_witness(aide_memoire: Alignment, delimiter: str) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(aide_memoire, delimiter=delimiter)), delimiter=delimiter))
    assert rows[0] == ["column", *aide_memoire.sigla, "varies"]
    assert len(rows) == len(aide_memoire.columns) + 1
    web = rows[0].index("web")
    frus = rows[0].index("frus")
    easter = next(r for r in rows[1:] if r[web] == "Easter")
    assert easter[frus] == "Eastern" and easter[-1] == "*"
    words = " ".join(r[web] for r in rows[1:] if r[web])
    assert words.split() == " ".join(t.word for t in aide_memoire.tokens[aide_memoire.sigla.index("web")]).split()


def test_csv_quotes_what_would_break_a_spreadsheet() -> None:
    a = align([Witness("A", 'say "yes", then'), Witness("B", "say yes then")])
    rows = list(csv.reader(io.StringIO(to_csv(a))))
    assert ['"'] in [[r[1]] for r in rows] and all(len(r) == 4 for r in rows)


def test_table_marks_varying_columns() -> None:
    lines = to_table(align([Witness("A", "the Easter front"), Witness("B", "the Eastern front")])).splitlines()
    assert lines[0].split() == ["A", "B"]
    assert [line[0] for line in lines[1:]] == [" ", "*", " "]
