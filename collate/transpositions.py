"""Transpositions: words two witnesses share but hold in columns a few places apart.

The last step of alignment (`collate.align`): an alignment table keeps each
witness's order, so a moved word shows as an omission in one column and an
addition in another.  This finds such pairs and records them as
`Transposition` values beside the columns.

Only pairs of witnesses that hold some word in different columns close enough
to count are examined, and only in those columns, so the cost grows with the
size of the table and the number of moved words, not with the square of the
number of witnesses.

>>> from collate.model import Witness
>>> from collate.align import align
>>> [(t.sigla, t.words) for t in align([Witness("a", "we saw his members today"), Witness("b", "we saw members his today")]).transpositions]
[(('a', 'b'), ('his',))]
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

from .model import Cell, Token, TokenKind, Transposition
from .normalize import orthographic_key
from .vocabulary import STOPWORDS

TRANSPOSITION_WINDOW = 8
"""How many columns apart a word may stand in two witnesses to count as moved."""

COMMON_WORD_WINDOW = 3
"""How many shared words a very common word may jump over to count as moved
(it recurs too often to trust from afar, or without words both share between)."""

_WORDS = (TokenKind.WORD, TokenKind.NUMBER)

Keys = list[list[tuple[str, ...]]]


@lru_cache(maxsize=65536)
def _content(key: str) -> bool:
    return bool(key) and key not in STOPWORDS


def find_transpositions(columns: Sequence[Sequence[Cell]], sigla: Sequence[str]) -> tuple[Transposition, ...]:
    """Words two witnesses share but hold in columns a few places apart.

    For each pair of witnesses, a word of one that its partner lacks in that
    column, and that the partner has unmatched within `TRANSPOSITION_WINDOW`
    columns, marks a transposition spanning both places.  A very common word
    counts only when it jumps over one to `COMMON_WORD_WINDOW` words that both
    witnesses share, leaving a gap where it stood ("his members" / "members
    his"; not "the result of an" / "a result of the").  Words are compared
    with case, diacritics and British spelling folded.
    """
    count = len(sigla)
    keys: Keys = [[] for _ in range(count)]
    cells: list[list[Cell]] = [[] for _ in range(count)]
    empty: tuple[str, ...] = ()
    for col in columns:
        for w, cell in enumerate(col):
            cells[w].append(cell)
            keys[w].append(_keys(cell) if cell else empty)
    order = sorted(range(count), key=lambda w: sigla[w])
    rank = {w: r for r, w in enumerate(order)}
    found: list[Transposition] = []
    candidates = _candidate_columns(keys, count)
    for pair in sorted(candidates, key=lambda p: sorted((rank[p[0]], rank[p[1]]))):
        x, y = sorted(pair, key=rank.__getitem__)
        found.extend(_pair(keys[x], keys[y], cells[x], sorted(candidates[pair]), (sigla[x], sigla[y])))
    return tuple(found)


def _keys(cell: tuple[Token, ...]) -> tuple[str, ...]:
    """The folded forms of a cell's words (punctuation left out)."""
    if len(cell) == 1:
        t = cell[0]
        return (orthographic_key(t.n),) if t.n and t.kind in _WORDS else ()
    return tuple(orthographic_key(t.n) for t in cell if t.n and t.kind in _WORDS)


def _candidate_columns(keys: Keys, count: int) -> dict[tuple[int, int], set[int]]:
    """For each pair of witnesses (unordered, as a sorted tuple) that may hold a
    word moved within `TRANSPOSITION_WINDOW` columns, the columns concerned."""
    where: dict[str, list[tuple[int, frozenset[int]]]] = {}
    for c, column in enumerate(zip(*keys)):
        first = column[0]
        if first and column.count(first) == count and len(first) == 1:
            continue  # every witness has the same one word here: nothing moved from or to it
        holders: dict[str, set[int]] = {}
        for w, cell in enumerate(column):
            for k in cell:
                holders.setdefault(k, set()).add(w)
        for k, ws in holders.items():
            where.setdefault(k, []).append((c, frozenset(ws)))
    out: dict[tuple[int, int], set[int]] = {}
    for places in where.values():
        if len(places) < 2 or all(ws == places[0][1] for _, ws in places):
            continue  # held by the same witnesses wherever it stands: nothing moved
        cols = [c for c, _ in places]
        for i, (c, here) in enumerate(places):
            for d, there in places[i + 1 : bisect_right(cols, c + TRANSPOSITION_WINDOW)]:
                for x in here - there:
                    for y in there - here:
                        cell = out.setdefault((min(x, y), max(x, y)), set())
                        cell.update((c, d))
    return out


def _pair(
    kx: list[tuple[str, ...]], ky: list[tuple[str, ...]], cx: list[Cell], cols: list[int], sigla: tuple[str, str]
) -> list[Transposition]:
    """The transpositions of one pair, looking only at the columns ``cols``."""
    loose_x: list[tuple[int, str, str]] = []
    loose_y: dict[str, list[int]] = {}
    for c in cols:
        if kx[c] == ky[c]:
            continue
        words = [t.word for t in cx[c] or () if t.n and t.kind in _WORDS]
        loose_x.extend((c, k, word) for k, word in zip(kx[c], words) if k not in ky[c])
        for k in ky[c]:
            if k not in kx[c]:
                loose_y.setdefault(k, []).append(c)
    spans: list[tuple[int, int, str]] = []
    for c, key, word in loose_x:
        if _content(key):
            near = [d for d in loose_y.get(key, ()) if d != c and abs(d - c) <= TRANSPOSITION_WINDOW]
        else:  # a common word moved over a few words both witnesses share: "his members" / "members his"
            near = [
                d
                for d in loose_y.get(key, ())
                if 2 <= abs(d - c) <= COMMON_WORD_WINDOW + 1
                and not ky[c]
                and not kx[d]
                and all(kx[e] and kx[e] == ky[e] for e in range(min(c, d) + 1, max(c, d)))
            ]
        if near:
            d = min(near, key=lambda d: abs(d - c))
            loose_y[key].remove(d)
            spans.append((min(c, d), max(c, d), word))
    found: list[Transposition] = []
    for first, last, word in sorted(spans):
        if found and first <= found[-1].last:
            prev = found.pop()
            found.append(Transposition(prev.sigla, prev.first, max(prev.last, last), (*prev.words, word)))
        else:
            found.append(Transposition(sigla, first, last, (word,)))
    return found
