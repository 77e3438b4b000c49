"""The ``collatex`` engine: CollateX itself aligns our tokens.

For comparison with the fast engine and for those who want CollateX's
behaviour.  The tokens go in pre-tokenized (CollateX's JSON input with our
``t`` and ``n``), with near matching on and segmentation off, so that a cell
holds the same tokens our outputs expect.  CollateX is imported only here.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Cell, Token


def align_collatex(sigla: Sequence[str], tokens: Sequence[Sequence[Token]]) -> tuple[tuple[Cell, ...], ...]:
    """Columns of cells from CollateX's alignment table.

    >>> from collate.tokenize import tokenize
    >>> cols = align_collatex(["A", "B"], [tokenize("the Easter front"), tokenize("the Eastern front")])
    >>> [[c[0].word if c else None for c in col] for col in cols]
    [['the', 'the'], ['Easter', 'Eastern'], ['front', 'front']]
    """
    from collatex import collate  # slow import (networkx, numpy): only when asked for
    import json

    data = {
        "witnesses": [
            {"id": siglum, "tokens": [{"t": tok.t, "n": tok.n or tok.t, "i": i} for i, tok in enumerate(toks)]}
            for siglum, toks in zip(sigla, tokens)
        ]
    }
    table = json.loads(collate(data, output="json", segmentation=False, near_match=True))["table"]
    width = len(table[0]) if table else 0
    return tuple(
        tuple(
            (tuple(tokens[w][cell["i"]] for cell in table[w][c]) or None) if table[w][c] else None
            for w in range(len(sigla))
        )
        for c in range(width)
    )
