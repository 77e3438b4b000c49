"""Merge: every witness's pairwise alignment with the spine becomes one table.

The third step of alignment (see `collate.align`).  Each witness's matched
tokens land in their spine token's column.  The spine is cut into *regions*:
a spine token that no witness's unmatched run reaches stands alone as a
column; between such tokens, the unmatched runs are aligned with the region's
columns witness by witness (in siglum order, other witnesses' readings
included, so two witnesses agreeing against the spine share a column), and
tokens that still match nothing fill empty places from the left or get
columns of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import Cell, Token
from .pairwise import DP_LIMIT, Pairer
from .vocabulary import NEAR_MATCH_FACTOR, Vocabulary, near_ratio

RUN_REACH, RUN_SLACK = 2, 8
"""A witness's unmatched run is aligned with the columns after its previous
match up to twice its length plus eight (or its next match, if nearer): a few
words a witness has where the spine has thousands (a short witness against a
book, a long lacuna) stay where they stand instead of making the whole book
one region."""


class _Col:
    """A column under construction: the token index each witness has there."""

    __slots__ = ("cells",)

    def __init__(self, cells: list[int | None]) -> None:
        self.cells = cells


class Merge:
    """Step 3: the spine's columns, with every other witness's tokens put in.

    The spine is cut into *regions*: a spine token that no witness's
    unmatched run spans stands alone as a column; between such tokens, the
    unmatched runs are aligned with the region's columns (witness by witness,
    in siglum order), and tokens matching nothing fill empty places from the
    left or get columns of their own.
    """

    def __init__(
        self,
        tokens: Sequence[Sequence[Token]],
        ids: Sequence[Sequence[int]],
        vocab: Vocabulary,
        pivot: int,
        others: Sequence[int],
        score_cutoff: float,
    ) -> None:
        self.tokens, self.ids, self.vocab = tokens, ids, vocab
        self.pivot, self.others = pivot, others
        self.count = len(tokens)
        self.near_cache: dict[tuple[int, int], float] = {}
        self.cutoff = score_cutoff

    def columns(self, matches: dict[int, list[tuple[int, int]]]) -> list[tuple[Cell, ...]]:
        size = len(self.ids[self.pivot])
        bound: dict[int, list[int | None]] = {}
        runs_at: dict[int, list[tuple[int, int, int, int, int]]] = {}  # first slot -> runs (w, k1, k2, j0, j1)
        links = [0] * (size + 2)
        for w in self.others:
            slot: list[int | None] = [None] * size
            pk, pj = -1, -1
            for k, j in [*matches[w], (size, len(self.ids[w]))]:
                if j > pj + 1:
                    reach = min(k, pk + 1 + RUN_REACH * (j - pj - 1) + RUN_SLACK)
                    runs_at.setdefault(pk + 1, []).append((w, pk, reach, pj + 1, j))
                    links[pk + 1] += 1
                    links[reach] -= 1
                if k < size:
                    slot[k] = j
                pk, pj = k, j
            bound[w] = slot
        self.bound = bound
        self.single = [[(tok,) for tok in toks] for toks in self.tokens]
        rows = [(w, bound[w], self.single[w]) for w in self.others]
        spine_single = self.single[self.pivot]
        blank: list[Cell] = [None] * self.count
        out: list[tuple[Cell, ...]] = []
        s, linked = 0, 0
        while s <= size:
            g0 = s
            region = list(runs_at.get(s, ()))
            linked += links[s]
            while s < size and linked > 0:  # slot s joins slot s+1 across spine token s
                s += 1
                region.extend(runs_at.get(s, ()))
                linked += links[s]
            if region:
                out.extend(self._region(g0, s, region))
            if s < size:  # a spine token no run spans: its column as it stands
                cells = blank.copy()
                cells[self.pivot] = spine_single[s]
                for w, slot, single in rows:
                    at = slot[s]
                    if at is not None:
                        cells[w] = single[at]
                out.append(tuple(cells))
            s += 1
        return out

    def _spine_col(self, k: int) -> _Col:
        cells: list[int | None] = [None] * self.count
        cells[self.pivot] = k
        for w, slot in self.bound.items():
            cells[w] = slot[k]
        return _Col(cells)

    def _cells(self, col: _Col) -> tuple[Cell, ...]:
        return tuple(self.single[w][j] if j is not None else None for w, j in enumerate(col.cells))

    # ------------------------------------------------------------ one region

    def _region(self, g0: int, g1: int, runs: list[tuple[int, int, int, int, int]]) -> list[tuple[Cell, ...]]:
        """Spine tokens g0..g1-1 and the runs that fall among them (a run's k2 is
        where its reach ends: its next match or nearer)."""
        spine = {k: self._spine_col(k) for k in range(g0, g1)}
        cols = list(spine.values())
        rank = {w: r for r, w in enumerate(self.others)}
        for w, k1, k2, j0, j1 in sorted(runs, key=lambda r: (rank[r[0]], r[1])):
            lo = _index(cols, spine[k1]) + 1 if k1 >= g0 else 0
            hi = _index(cols, spine[k2]) if k2 < g1 else len(cols)
            cols[lo:hi] = self._place(w, list(range(j0, j1)), cols[lo:hi])
        return [self._cells(col) for col in self._absorb(cols)]

    def _place(self, w: int, run: list[int], span: list[_Col]) -> list[_Col]:
        """Witness w's run of unmatched tokens aligned with the columns ``span``
        (where w is empty): matches go in, the rest get columns of their own
        just before the next match."""
        ids = self.ids
        present = [[ids[v][j] for v, j in enumerate(col.cells) if j is not None] for col in span]
        run_ids = [ids[w][j] for j in run]
        if len(run) * len(span) <= DP_LIMIT:
            pairs = self._profile_dp(run_ids, present)
        else:
            reps = [p[0] for p in present]
            pairs = Pairer(self.vocab, run_ids, reps, score_cutoff=self.cutoff).matches()
        out: list[_Col] = []
        r = c = 0
        for mr, mc in [*pairs, (len(run), len(span))]:
            out.extend(span[c:mc])
            for x in range(r, mr):
                cells: list[int | None] = [None] * self.count
                cells[w] = run[x]
                out.append(_Col(cells))
            if mc < len(span):
                span[mc].cells[w] = run[mr]
                out.append(span[mc])
            r, c = mr + 1, mc + 1
        return out

    def _profile_dp(self, run: list[int], present: list[list[int]]) -> list[tuple[int, int]]:
        """Heaviest order-preserving matching of the run's ids with the columns,
        a column matching as well as its best-matching token."""
        weight = self.vocab.weight
        m, n = len(run), len(present)
        if not m or not n:
            return []
        gain = [[self._gain(x, col, weight) for col in present] for x in run]
        score = [[0.0] * (n + 1) for _ in range(m + 1)]
        for r in range(1, m + 1):
            row, prev, g = score[r], score[r - 1], gain[r - 1]
            for c in range(1, n + 1):
                best = prev[c] if prev[c] >= row[c - 1] else row[c - 1]
                if g[c - 1] and prev[c - 1] + g[c - 1] > best:
                    best = prev[c - 1] + g[c - 1]
                row[c] = best
        pairs: list[tuple[int, int]] = []
        r, c = m, n
        while r > 0 and c > 0:
            if score[r][c] == score[r - 1][c]:
                r -= 1
            elif score[r][c] == score[r][c - 1]:
                c -= 1
            else:
                pairs.append((r - 1, c - 1))
                r, c = r - 1, c - 1
        return pairs[::-1]

    def _gain(self, x: int, col: list[int], weight: list[float]) -> float:
        best = 0.0
        for y in col:
            if x == y:
                g = weight[x]
            else:
                key = (x, y)
                sim = self.near_cache.get(key)
                if sim is None:
                    sim = self.near_cache[key] = near_ratio(self.vocab, x, y, self.cutoff)
                g = min(weight[x], weight[y]) * NEAR_MATCH_FACTOR * sim / 100.0
            best = max(best, g)
        return best

    def _absorb(self, cols: list[_Col]) -> list[_Col]:
        """Columns without a spine token move left into a column where all their
        witnesses are empty and that comes after each one's previous token:
        one holding the same word if there is one, else the first holding a
        spine token, else the first.  A reading that matched nothing becomes a
        substitution where there is room, and keeps its own column where
        there is not."""
        pivot = self.pivot
        out: list[_Col] = []
        last = [-1] * self.count  # per witness: index in out of its latest cell
        for col in cols:
            present = [w for w, j in enumerate(col.cells) if j is not None]
            if col.cells[pivot] is None:
                lo = max(last[w] for w in present) + 1
                free = [k for k in range(lo, len(out)) if all(out[k].cells[w] is None for w in present)]
                if free:
                    k = self._target(out, free, {self.ids[w][j] for w, j in enumerate(col.cells) if j is not None})
                    for w in present:
                        out[k].cells[w] = col.cells[w]
                        last[w] = k
                else:
                    out.append(col)
                    for w in present:
                        last[w] = len(out) - 1
                continue
            out.append(col)
            for w in present:
                last[w] = len(out) - 1
        return out

    def _target(self, out: list[_Col], free: list[int], mine: set[int]) -> int:
        """The first free column holding one of the words ``mine``, else the first
        holding a spine token, else the first."""
        ids = self.ids
        for k in free:
            if any(j is not None and ids[w][j] in mine for w, j in enumerate(out[k].cells)):
                return k
        return next((k for k in free if out[k].cells[self.pivot] is not None), free[0])


def _index(cols: list[_Col], col: _Col) -> int:
    for k, c in enumerate(cols):
        if c is col:
            return k
    raise AssertionError("column not in region")  # pragma: no cover
