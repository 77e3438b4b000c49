"""Beads: what a step of a sentence alignment costs, and the program that chooses them.

The cost model and dynamic program of `collate.sentence_align`.  A *bead* pairs
base sentences with sentences of the other text: 1-1, 1-0, 0-1, 2-1, 1-2, 2-2,
3-1 or 1-3 in the program, one sentence against four or more after it.  A bead
costs

- the Gale-Church length cost, -log P(|delta|), of its two sides' characters (the
  other text's characters per base character estimated from the texts);
- for every sentence on either side, the share of its content words the other
  side lacks, times half `LEXICAL_WEIGHT` (a sentence merged into a longer side
  without sharing a word pays `UNSUPPORTED_MERGE` too: it is a skip in disguise);
- -log of the bead shape's prior (Gale and Church's figures, `PRIORS`).

A sentence skipped costs its prior and half `LEXICAL_WEIGHT`; where a text is lost
(a fragment's start or end), only `LOST_SKIP`, and the sentence at the break pays
no length cost.  After the program, `refine` lets a sentence left unmatched join
a neighbouring bead, and moves sentences across bead boundaries, while that
lowers the cost.

>>> s = Side((40, 38), (frozenset({'war', 'front'}), frozenset({'late'})))
>>> [b.shape for b in refine(program(s, s, [0, 0, 0], [2, 2, 2], 1.0)[0], s, s, 1.0)]
[(1, 1), (1, 1)]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

LEXICAL_WEIGHT = 8.0
"""Cost of a sentence none of whose content words the other side has, doubled: what
makes a translation's sentence find the base sentence it renders."""

LENGTH_WEIGHT = 1.0
"""Weight of the Gale-Church length cost."""

LENGTH_VARIANCE = 6.8
"""Gale and Church's variance of the length difference, per character."""

PRIORS: Mapping[tuple[int, int], float] = {
    (1, 1): -math.log(0.89),
    (1, 0): -math.log(0.005),
    (0, 1): -math.log(0.005),
    (2, 1): -math.log(0.0445),
    (1, 2): -math.log(0.0445),
    (2, 2): -math.log(0.011),
    (3, 1): -math.log(0.005),
    (1, 3): -math.log(0.005),
}
"""-log prior of each bead shape (Gale and Church 1993; 3-1 and 1-3 as rare as a skip)."""

UNSUPPORTED_MERGE = PRIORS[(1, 0)]
"""Extra cost of a sentence merged into a 2- or 3-sentence side without sharing a word
with the other side: a heading glued to the first sentence is really a skip, and pays as one."""

LOST_SKIP = LEXICAL_WEIGHT / 2
"""Cost of a sentence skipped where the other text is lost (before a fragment's first or
after its last sentence): what a sentence sharing nothing costs, without the prior of an
omission.  Not nothing: two fragments would otherwise skip each other whole."""

LONG_MERGE = 1.0
"""Prior cost of each sentence beyond three that one sentence of the other text renders."""

_STEPS = tuple(PRIORS)

Lost4 = tuple[bool, bool, bool, bool]
"""Whether the other text's start, its end, the base's start, its end are lost."""


@dataclass(frozen=True, slots=True)
class Bead:
    """One step of a sentence alignment: base sentences ``base[0]:base[1]`` correspond
    to the other text's sentences ``other[0]:other[1]`` (indices, end excluded).

    >>> Bead((3, 5), (4, 5), 2.5).shape
    (2, 1)
    """

    base: tuple[int, int]
    other: tuple[int, int]
    cost: float

    @property
    def shape(self) -> tuple[int, int]:
        return (self.base[1] - self.base[0], self.other[1] - self.other[0])


@dataclass(frozen=True, slots=True)
class Side:
    """What the program needs of one text: per sentence, its length in non-space
    characters and its content words."""

    lengths: tuple[int, ...]
    words: tuple[frozenset[str], ...]
    unique: Mapping[str, int] | None = None
    """Words found in one sentence only, with that sentence (`unique_words`), if known."""

    def __getitem__(self, part: slice) -> Side:
        return Side(self.lengths[part], self.words[part])


def unique_words(words: Sequence[frozenset[str]]) -> dict[str, int]:
    """Each word found in one sentence only, with the index of that sentence.

    >>> unique_words([frozenset({"war", "front"}), frozenset({"front"})])
    {'war': 0}
    """
    once = {x for x, k in Counter(chain.from_iterable(words)).items() if k == 1}
    return {x: i for i, ws in enumerate(words) if not ws.isdisjoint(once) for x in ws & once}


def gale_church(la: int, lb: int, ratio: float = 1.0) -> float:
    """Gale and Church's length cost, -log P(|delta|), of ``la`` characters against ``lb``.

    >>> round(gale_church(100, 100), 3), round(gale_church(100, 60), 2), round(gale_church(100, 200), 1)
    (0.0, 2.45, 6.4)
    """
    return _length_cost(la, lb, ratio)


def bead_cost(
    a: Side, b: Side, rows: tuple[int, int], cols: tuple[int, int], ratio: float = 1.0, *, cut: tuple[bool, bool] = (False, False)
) -> float:
    """The cost of one bead, written plainly (`program` computes the same from caches).

    ``cut`` says that the base's (other's) side is a text breaking off at a lost start or
    end, inside its one sentence: its length says nothing, and what the other side has
    beyond it is lost there, not missing.

    >>> s = Side((10, 12), (frozenset({'war', 'front'}), frozenset({'late'})))
    >>> round(bead_cost(s, s, (0, 1), (0, 1)), 3), round(bead_cost(s, s, (0, 1), (1, 2)), 1)
    (0.117, 8.3)
    """
    (i0, i1), (j0, j1) = rows, cols
    shape = (i1 - i0, j1 - j0)
    if shape == (1, 1) and cut == (False, False):  # the commonest bead, by far: no unions
        x = len(a.words[i0] & b.words[j0])
        lexical = _uncovered(len(a.words[i0]), x, False) + _uncovered(len(b.words[j0]), x, False)
        return LENGTH_WEIGHT * _length_cost(a.lengths[i0], b.lengths[j0], ratio) + LEXICAL_WEIGHT / 2 * lexical + PRIORS[shape]
    if not shape[0] or not shape[1]:
        return prior(shape) + LEXICAL_WEIGHT / 2 * (shape[0] + shape[1])
    ua = frozenset().union(*a.words[i0:i1])
    ub = frozenset().union(*b.words[j0:j1])
    lexical = 0.0
    if not cut[1]:
        lexical += sum(_uncovered(len(a.words[k]), len(a.words[k] & ub), shape[0] > 1) for k in range(i0, i1))
    if not cut[0]:
        lexical += sum(_uncovered(len(b.words[k]), len(b.words[k] & ua), shape[1] > 1) for k in range(j0, j1))
    length = 0.0 if cut[0] or cut[1] else gale_church(sum(a.lengths[i0:i1]), sum(b.lengths[j0:j1]), ratio)
    return LENGTH_WEIGHT * length + LEXICAL_WEIGHT / 2 * lexical + prior(shape)


_MERGE_PENALTY = 1.0 + UNSUPPORTED_MERGE / (LEXICAL_WEIGHT / 2)


def _uncovered(size: int, found: int, merged: bool) -> float:
    """The share of a sentence's ``size`` content words not ``found`` on the other side."""
    if not size:
        return 0.5  # no content word: no evidence either way
    if not found and merged:
        return _MERGE_PENALTY
    return 1.0 - found / size


def _prefix(values: Sequence[int]) -> list[int]:
    out = [0]
    for v in values:
        out.append(out[-1] + v)
    return out


def prior(shape: tuple[int, int]) -> float:
    """-log prior of a bead shape: `PRIORS`, and for one sentence against four or more
    (which only `_absorb` makes), the 1-3 prior plus `LONG_MERGE` per further sentence.

    >>> round(prior((1, 1)), 3), round(prior((1, 5)) - prior((1, 3)), 1)
    (0.117, 2.0)
    """
    if shape in PRIORS:
        return PRIORS[shape]
    longest = max(shape)
    return PRIORS[(1, 3)] + LONG_MERGE * (longest - 3) if min(shape) == 1 else math.inf


def refine(beads: Sequence[Bead], a: Side, b: Side, ratio: float, edges: Lost4 = (False,) * 4) -> tuple[Bead, ...]:
    """The program's beads improved locally: consecutive skips merged, unmatched sentences
    absorbed (`_absorb`), sentences shifted across boundaries (`_shift`).  ``edges``:
    whether the base's start, its end, the other's start, its end are lost."""
    return tuple(_shift(_absorb(_merge_skips(beads), a, b, ratio, edges), a, b, ratio, edges))


def _absorb(beads: Sequence[Bead], a: Side, b: Side, ratio: float, edges: Lost4) -> list[Bead]:
    """Sentences left unmatched (a 0-k or k-0 bead) join the neighbouring bead that has
    one sentence on the other side, when that costs less than leaving them out: a base
    sentence that another translation renders in four or five sentences is one passage.
    Not at a lost edge (``edges``: the base's start, end, the other's start, end), where
    unmatched sentences are lost text."""
    out = list(beads)
    k = 0
    while k < len(out):
        bead = out[k]
        skipped_other, skipped_base = bead.shape[0] == 0, bead.shape[1] == 0
        at_edge = (
            (skipped_other and ((k == 0 and edges[0]) or (k == len(out) - 1 and edges[1])))
            or (skipped_base and ((k == 0 and edges[2]) or (k == len(out) - 1 and edges[3])))
        )
        if not (skipped_other or skipped_base) or at_edge:
            k += 1
            continue
        best: tuple[float, int, Bead] | None = None
        for n in (k - 1, k + 1):
            if not 0 <= n < len(out) or min(out[n].shape) == 0 or out[n].shape[0 if skipped_other else 1] != 1:
                continue
            merged = _join(out[n], bead)
            gain = out[n].cost + bead.cost - bead_cost(a, b, merged.base, merged.other, ratio)
            if gain > 0 and (best is None or gain > best[0]):
                best = (gain, n, merged)
        if best is None:
            k += 1
            continue
        gain, n, merged = best
        out[min(k, n)] = Bead(merged.base, merged.other, out[n].cost + bead.cost - gain)
        del out[max(k, n)]
        k = max(min(k, n) - 1, 0)
    return out


def _shift(beads: Sequence[Bead], a: Side, b: Side, ratio: float, edges: Lost4) -> list[Bead]:
    """Move a sentence across the boundary of two neighbouring beads while that lowers
    their cost: a translation's sentence that opens the next base sentence (or closes
    the last one) goes with it, even where the beads this needs are longer than the
    program's.  Beads at a lost edge stay as they are."""
    out = list(beads)
    first = 1 if edges[0] or edges[2] else 0
    last = len(out) - (1 if edges[1] or edges[3] else 0)
    changed = True
    while changed:
        changed = False
        for k in range(max(first, 0), last - 1):
            x, y = out[k], out[k + 1]
            if x.base[1] - x.base[0] == x.other[1] - x.other[0] == y.base[1] - y.base[0] == y.other[1] - y.other[0] == 1:
                continue  # two 1-1 beads: nothing to move
            if min(x.shape) == 0 or min(y.shape) == 0:
                continue
            for moved in _moves(x, y):
                cost = [bead_cost(a, b, m.base, m.other, ratio) for m in moved]
                if sum(cost) < x.cost + y.cost - 1e-9:
                    out[k], out[k + 1] = (Bead(m.base, m.other, c) for m, c in zip(moved, cost))
                    changed = True
                    break
    return out


def _moves(x: Bead, y: Bead) -> list[tuple[Bead, Bead]]:
    """The pairs of beads that move one sentence (of either text) across the boundary
    of x and y, leaving each bead a sentence on both sides."""
    (xi0, xi1), (xj0, xj1), (yi0, yi1), (yj0, yj1) = x.base, x.other, y.base, y.other
    options = []
    if xj1 - xj0 > 1:
        options.append((Bead((xi0, xi1), (xj0, xj1 - 1), 0.0), Bead((yi0, yi1), (yj0 - 1, yj1), 0.0)))
    if yj1 - yj0 > 1:
        options.append((Bead((xi0, xi1), (xj0, xj1 + 1), 0.0), Bead((yi0, yi1), (yj0 + 1, yj1), 0.0)))
    if xi1 - xi0 > 1:
        options.append((Bead((xi0, xi1 - 1), (xj0, xj1), 0.0), Bead((yi0 - 1, yi1), (yj0, yj1), 0.0)))
    if yi1 - yi0 > 1:
        options.append((Bead((xi0, xi1 + 1), (xj0, xj1), 0.0), Bead((yi0 + 1, yi1), (yj0, yj1), 0.0)))
    return [pair for pair in options if all(math.isfinite(prior(m.shape)) for m in pair)]


def _join(x: Bead, y: Bead) -> Bead:
    """The bead covering two adjacent beads."""
    first, second = (x, y) if (x.base[0], x.other[0]) <= (y.base[0], y.other[0]) else (y, x)
    return Bead((first.base[0], second.base[1]), (first.other[0], second.other[1]), first.cost + second.cost)


def _merge_skips(beads: Sequence[Bead]) -> list[Bead]:
    """Consecutive 0-1 beads become one: the other's text the base lacks, in one piece."""
    out: list[Bead] = []
    for bead in beads:
        prev = out[-1] if out else None
        if prev is not None and prev.base[0] == prev.base[1] and bead.base[0] == bead.base[1]:
            out[-1] = Bead(prev.base, (prev.other[0], bead.other[1]), prev.cost + bead.cost)
        else:
            out.append(bead)
    return out


def program(
    a: Side, b: Side, lo: Sequence[int], hi: Sequence[int], ratio: float, lost: Lost4 = (False,) * 4
) -> tuple[tuple[Bead, ...], list[tuple[int, int]]]:
    """The cheapest beads from (0, 0) to (n, m) with row i's columns within lo[i]..hi[i];
    also the cells the path visits.  ``lost`` says whether the other text's start, its
    end, the base's start, its end are lost.  Every step costs what `bead_cost` says."""
    n, m = len(a.lengths), len(b.lengths)
    pa, pb = _prefix(a.lengths), _prefix(b.lengths)
    shared = _Shared(a.words, b.words)
    cost: list[list[float]] = []
    back: list[bytearray] = []
    skip, inf = PRIORS[(1, 0)] + LEXICAL_WEIGHT / 2, math.inf
    steps = [(k, di, dj, PRIORS[(di, dj)]) for k, (di, dj) in enumerate(_STEPS) if di and dj]
    skip_k, ins_k = _STEPS.index((1, 0)), _STEPS.index((0, 1))
    for i in range(n + 1):
        l, h = lo[i], hi[i]
        row, brow = [inf] * (h - l + 1), bytearray(h - l + 1)
        up, up_lo, up_hi = (cost[i - 1], lo[i - 1], hi[i - 1]) if i else ([], 0, -1)
        for j in range(l, h + 1):
            best, how = (0.0, 0) if i == 0 and j == 0 else (inf, 0)
            if up_lo <= j <= up_hi and up[j - up_lo] < inf:  # 1-0: a base sentence skipped
                c = up[j - up_lo] + (LOST_SKIP if (j == 0 and lost[0]) or (j == m and lost[1]) else skip)
                if c < best:
                    best, how = c, skip_k
            if j > l and row[j - 1 - l] < inf:  # 0-1: a sentence of the other skipped
                c = row[j - 1 - l] + (LOST_SKIP if (i == 0 and lost[2]) or (i == n and lost[3]) else skip)
                if c < best:
                    best, how = c, ins_k
            for k, di, dj, prior in steps:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < lo[pi] or pj > hi[pi] or cost[pi][pj - lo[pi]] + prior >= best:
                    continue  # out of the band, or dearer than the best already found (no cost is negative)
                one = di == 1 and dj == 1  # a text breaking off does so inside one sentence
                cut = (one and ((pi == 0 and lost[2]) or (i == n and lost[3])), one and ((pj == 0 and lost[0]) or (j == m and lost[1])))
                c = cost[pi][pj - lo[pi]] + _step(shared, pa, pb, pi, i, pj, j, ratio, cut)
                if c < best:
                    best, how = c, k
            row[j - l], brow[j - l] = best, how
        cost.append(row)
        back.append(brow)
    return _trace(cost, back, lo, n, m)


def _step(
    shared: _Shared, pa: Sequence[int], pb: Sequence[int], i0: int, i1: int, j0: int, j1: int, ratio: float, cut: tuple[bool, bool]
) -> float:
    """What `bead_cost` says of base sentences i0:i1 against the other's j0:j1, from
    prefix sums of the lengths and the cached shared words."""
    length = 0.0 if cut[0] or cut[1] else _length_cost(pa[i1] - pa[i0], pb[j1] - pb[j0], ratio)
    lexical = shared.uncovered(i0, i1, j0, j1, ignore_a=cut[1], ignore_b=cut[0])
    return PRIORS[(i1 - i0, j1 - j0)] + LENGTH_WEIGHT * length + LEXICAL_WEIGHT / 2 * lexical


class _Shared:
    """How many content words of one side each sentence of the other side's bead has:
    sentence pairs cached while the program may still ask (the last rows), the unions
    of two and three sentences computed once."""

    __slots__ = ("wa", "wb", "ua", "ub", "size_a", "size_b", "rows")

    def __init__(self, wa: Sequence[frozenset[str]], wb: Sequence[frozenset[str]]) -> None:
        self.wa, self.wb = wa, wb
        self.ua, self.ub = _unions(wa), _unions(wb)
        self.size_a, self.size_b = [len(w) for w in wa], [len(w) for w in wb]
        self.rows: dict[int, dict[int, int]] = {}

    def pair(self, k: int, l: int) -> int:
        row = self.rows.get(k)
        if row is None:
            row = self.rows[k] = {}
            self.rows.pop(k - 4, None)
        x = row.get(l)
        if x is None:
            x = row[l] = len(self.wa[k] & self.wb[l])
        return x

    def uncovered(self, i0: int, i1: int, j0: int, j1: int, *, ignore_a: bool = False, ignore_b: bool = False) -> float:
        """The summed share of each sentence's words the other side lacks (`_uncovered`);
        ``ignore_a`` leaves the base's sentences out (the other side breaks off: what it
        lacks is lost, not untranslated), ``ignore_b`` the other's."""
        di, dj = i1 - i0, j1 - j0
        if di == 1 and dj == 1:
            x = self.pair(i0, j0)
            return (0.0 if ignore_a else _uncovered(self.size_a[i0], x, False)) + (
                0.0 if ignore_b else _uncovered(self.size_b[j0], x, False)
            )
        total = 0.0
        if not ignore_a:
            ub = self.wb[j0] if dj == 1 else self.ub[dj][j0]
            for k in range(i0, i1):
                found = self.pair(k, j0) if dj == 1 else len(self.wa[k] & ub)
                total += _uncovered(self.size_a[k], found, di > 1)
        if not ignore_b:
            ua = self.wa[i0] if di == 1 else self.ua[di][i0]
            for l in range(j0, j1):
                found = self.pair(i0, l) if di == 1 else len(self.wb[l] & ua)
                total += _uncovered(self.size_b[l], found, dj > 1)
        return total


def _unions(words: Sequence[frozenset[str]]) -> dict[int, list[frozenset[str]]]:
    """``unions[k][s]``: the words of sentences s..s+k-1, for k = 2 and 3."""
    return {k: [frozenset().union(*words[s : s + k]) for s in range(len(words))] for k in (2, 3)}


def _length_cost(la: int, lb: int, ratio: float) -> float:
    mean = (la + lb / ratio) / 2
    if mean <= 0:
        return 0.0
    e = math.erfc(abs(lb - la * ratio) / math.sqrt(LENGTH_VARIANCE * mean) * _SCALE)
    return max(0.0, -math.log(e)) if e > 1e-300 else 690.8


_SCALE = 1 / math.sqrt(2)


def _trace(cost: Sequence[Sequence[float]], back: Sequence[bytearray], lo: Sequence[int], n: int, m: int) -> tuple[tuple[Bead, ...], list[tuple[int, int]]]:
    """Follow the back pointers from (n, m): the beads in text order, and the cells visited."""
    beads: list[Bead] = []
    path: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        path.append((i, j))
        di, dj = _STEPS[back[i][j - lo[i]]]
        here = cost[i][j - lo[i]]
        i, j = i - di, j - dj
        beads.append(Bead((i, i + di), (j, j + dj), here - cost[i][j - lo[i]]))
    return tuple(beads[::-1]), path
