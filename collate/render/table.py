"""Outputs of an alignment as a table: CollateX-compatible JSON, CSV/TSV, and a terminal table.

One function per format, each returning one type:

- `table_json` -> ``dict``: CollateX's alignment-table JSON,
  ``{"witnesses": [sigla], "table": [[cell per column] per witness]}``, a cell
  ``null`` or a list of tokens ``{"t", "n", "start", "end", "kind"}`` (our own
  fields beside CollateX's ``t`` and ``n``); `to_json` dumps it.
- `to_table` -> ``str``: one line per column, for a terminal.

>>> from collate.align import align
>>> from collate.model import Witness
>>> a = align([Witness("A", "the Easter front"), Witness("B", "the Eastern front")])
>>> table_json(a)["table"][0][1][0]["t"]
'Easter '
>>> print(to_table(a))
  A        B
  the      the
* Easter   Eastern
  front    front
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..model import Alignment, Cell, Token, Transposition
from ..metadata import meta_to_dict


def token_json(tok: Token) -> dict[str, object]:
    return {"t": tok.t, "n": tok.n, "start": tok.start, "end": tok.end, "kind": tok.kind.value}


def transposition_json(t: Transposition) -> dict[str, object]:
    """A transposition as plain data: ``{"sigla": [a, b], "columns": [first, last], "words": [...]}``."""
    return {"sigla": list(t.sigla), "columns": [t.first, t.last], "words": list(t.words)}


def table_json(alignment: Alignment) -> dict[str, object]:
    """The CollateX-compatible alignment table as plain data."""
    return {
        "witnesses": list(alignment.sigla),
        "table": [
            [[token_json(t) for t in cell] if cell else None for cell in alignment.row(w)]
            for w in range(len(alignment.witnesses))
        ],
    }


def to_json(alignment: Alignment) -> str:
    """`table_json` as a JSON document, with the engine, normalization,
    witness metadata and transpositions alongside."""
    data = table_json(alignment)
    data["engine"] = alignment.engine
    data["normalization"] = alignment.normalization
    data["metadata"] = {w.siglum: meta_to_dict(w.meta) for w in alignment.witnesses}
    data["transpositions"] = [transposition_json(t) for t in alignment.transpositions]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _cell_text(cell: Cell) -> str:
    return "".join(t.t for t in cell).strip() if cell else ""


def to_table(alignment: Alignment, *, width: int = 24) -> str:
    """Columns as lines, witnesses side by side; ``*`` marks a column that varies."""
    sigla = alignment.sigla
    rows = [[_cell_text(cell).replace("\n", " ") or "-" for cell in col] for col in alignment.columns]
    widths = [
        min(width, max([len(s), *(len(r[w]) for r in rows)])) for w, s in enumerate(sigla)
    ]

    def line(mark: str, cells: Sequence[str]) -> str:
        parts = [(c if len(c) <= widths[w] else c[: widths[w] - 1] + "…").ljust(widths[w]) for w, c in enumerate(cells)]
        return f"{mark} " + "   ".join(parts).rstrip()

    out = [line(" ", sigla)]
    for col, cells in zip(alignment.columns, rows):
        out.append(line("*" if _varies(col) else " ", cells))
    return "\n".join(out)


def to_csv(alignment: Alignment, *, delimiter: str = ",") -> str:
    """The alignment table for spreadsheets: a header row (``column``, the sigla,
    ``varies``), then one row per aligned column, each witness's words there
    (empty for a gap) and ``*`` where the normalized readings differ.

    >>> from collate.align import align
    >>> from collate.model import Witness
    >>> print(to_csv(align([Witness("A", "the Easter front"), Witness("B", "the Eastern, front")])), end="")
    column,A,B,varies
    1,the,the,
    2,Easter,Eastern,*
    3,,",",*
    4,front,front,
    """
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["column", *alignment.sigla, "varies"])
    for c, col in enumerate(alignment.columns, start=1):
        writer.writerow([c, *(_cell_text(cell) for cell in col), "*" if _varies(col) else ""])
    return out.getvalue()


def _varies(col: Sequence[Cell]) -> bool:
    return len({tuple(t.n for t in c) if c else () for c in col}) > 1
