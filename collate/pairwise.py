"""Pairwise alignment: two token sequences become pairs of indices.

This is the aligner's inner step (see `collate.align` for the whole stage).
Tokens are first mapped to integer ids (`Vocabulary`), one id per normalized
form, each with its weight.  Then, recursively inside each stretch that is
not yet aligned:

1. **Shared ends.**  A common prefix and suffix are matched at once.
2. **Anchors.**  Seeds are the words, and the runs of two or three tokens
   holding a content word, found exactly once on each side.  Each seed grows
   into the longest run of equal tokens around it (a *block*).  A block that
   lies far off the diagonal of its neighbours and of the stretch itself is
   dropped: in a text where nothing is unique but a few chance words, such
   "anchors" would tie unrelated places together.  Of the rest, the
   order-preserving chain of greatest weight is kept (a Fenwick tree makes it
   O(b log b)): a run of in-place words outweighs one moved word.  Chains of
   equal weight are told apart first by how many other witnesses share their
   words (``support``), then by their distance from the diagonal.
3. **Without anchors** a small stretch is aligned by a weighted dynamic
   program (content words frame it first, common words and punctuation fill
   in, near matches count for less than exact ones); a large one is cut by a
   bit-parallel edit script over the token ids (RapidFuzz's Levenshtein
   opcodes, in C), computed in windows along the diagonal so that its cost
   stays near-linear for near-identical texts, and each differing piece is
   aligned again from step 1.

>>> from collate.tokenize import tokenize
>>> a, b = tokenize("the old man and the young woman"), tokenize("the young man and the old woman")
>>> [(a[i].word, b[j].word) for i, j in align_pair(a, b)]
[('the', 'the'), ('old', 'young'), ('man', 'man'), ('and', 'and'), ('the', 'the'), ('young', 'old'), ('woman', 'woman')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import accumulate

from .model import Token
from .vocabulary import FUZZY_CUTOFF, NEAR_MATCH_FACTOR, WEIGHTS, Vocabulary, Weights, near_ratio

Pair = tuple[int | None, int | None]
Match = tuple[int, int]


DP_LIMIT = 60_000
"""Largest stretch (cells of the dynamic-programming table) aligned by the
exact weighted program; larger stretches are first cut by the edit script."""

SEED_LENGTHS = (1, 2, 3)
"""Lengths of the runs of tokens that may seed an anchor when unique on both
sides: single content words, and pairs and triples holding one, so that "birds
in the" anchors where "birds" alone is repeated."""

IN_PLACE = 1.0
"""A block within this many tokens of its stretch's diagonal is *in place*:
there its common words count as words (`Weights.word`), and a block of common
words alone may anchor.  "the cat and the dog" / "the dog and the cat" keeps
"and the" in place rather than one "cat" moved three words."""

SMALL_STRETCH = 4000
"""Up to this many tokens (both sides) runs of two and three tokens are always
tried as seeds; longer stretches try them only when single words are scarce."""

DRIFT = 12
"""How far (in tokens) a block may lie off the diagonal of its neighbours or
of its stretch and still be trusted as an anchor; the allowance grows by a
tenth of the distance to the neighbour."""

EXCURSION_COST = 0.05
"""What a chain of anchors pays per token of diagonal shift for a detour away
from its line and back: a chance match far off in a repetitive text weighs
less than the detour and is dropped; a real omission shifts the line once
and pays nothing."""

WINDOW = 2500
"""Tokens per side in one window of the edit script; two thirds of a window
are kept, and a window that finds little in common is doubled."""


def align_pair(
    a: Sequence[Token], b: Sequence[Token], *, weights: Weights = WEIGHTS, score_cutoff: float = FUZZY_CUTOFF
) -> list[Pair]:
    """Align two token sequences: pairs of indices, None for a gap, in text order.

    Every index of ``a`` and of ``b`` appears exactly once; unmatched runs
    between two matches share pairs (substitutions).

    >>> from collate.tokenize import tokenize
    >>> align_pair(tokenize("in as much as"), tokenize("inasmuch as"))
    [(0, 0), (1, None), (2, None), (3, 1)]
    """
    vocab = Vocabulary(weights)
    ids_a, ids_b = vocab.encode(a), vocab.encode(b)
    return fill(Pairer(vocab, ids_a, ids_b, score_cutoff=score_cutoff).matches(), len(a), len(b))


def fill(matches: Sequence[Match], len_a: int, len_b: int) -> list[Pair]:
    """Matches plus every unmatched index; unmatched runs between two matches
    share pairs (substitutions), the longer run's excess becoming gaps.

    >>> fill([(1, 0)], 3, 2)
    [(0, None), (1, 0), (2, 1)]
    """
    pairs: list[Pair] = []
    i = j = 0
    for mi, mj in [*matches, (len_a, len_b)]:
        la, lb = mi - i, mj - j
        for k in range(max(la, lb)):
            pairs.append((i + k if k < la else None, j + k if k < lb else None))
        if mi < len_a:
            pairs.append((mi, mj))
        i, j = mi + 1, mj + 1
    return pairs


class Pairer:
    """One pairwise alignment: the two id sequences and what it needs to weigh them.

    ``support[i]`` (optional) says how widely ``a[i]``'s form is shared by
    other witnesses; it only breaks ties.
    """

    def __init__(
        self,
        vocab: Vocabulary,
        a: Sequence[int],
        b: Sequence[int],
        *,
        score_cutoff: float = FUZZY_CUTOFF,
        support: Sequence[float] | None = None,
    ) -> None:
        self.v, self.a, self.b = vocab, a, b
        self.cutoff = score_cutoff
        weight = vocab.weight
        placed = [vocab.weights.word if c else w for w, c in zip(weight, vocab.common)]
        self.cum_w = _prefix([weight[x] for x in a])
        self.cum_p = _prefix([placed[x] for x in a])
        self.support = support
        self.cum_s = _prefix(support) if support is not None else None
        self.near_cache: dict[tuple[int, int], float] = {}

    def matches(self) -> list[Match]:
        """The matched pairs (exact or near), in order."""
        out: list[Match] = []
        stack: list[tuple[int, int, int, int] | Match] = [(0, len(self.a), 0, len(self.b))]
        while stack:
            item = stack.pop()
            if len(item) == 2:
                out.append(item)
                continue
            a0, a1, b0, b1 = item
            stack.extend(reversed(self._stretch(a0, a1, b0, b1)))
        return out

    # ------------------------------------------------------------ one stretch

    def _stretch(self, a0: int, a1: int, b0: int, b1: int) -> list[tuple[int, int, int, int] | Match]:
        """Work for one stretch, in order: matches and sub-stretches still to align.

        A long stretch first gives up its shared ends; in a short one they are
        only candidates, so that "the black cat" finds its second "the black
        cat" rather than the first "the"."""
        a, b = self.a, self.b
        if (a1 - a0) * (b1 - b0) <= 2:
            return list(self._framed_dp(a0, a1, b0, b1))  # one token against one or two
        p = 0
        while a0 + p < a1 and b0 + p < b1 and a[a0 + p] == b[b0 + p]:
            p += 1
        q = 0
        while q < min(a1 - a0, b1 - b0) and a[a1 - 1 - q] == b[b1 - 1 - q]:
            q += 1
        ends = [blk for blk in ((a0, b0, p), (a1 - q, b1 - q, q)) if blk[2]]
        if (a1 - a0) + (b1 - b0) > SMALL_STRETCH or p == min(a1 - a0, b1 - b0):
            q = min(q, min(a1 - a0, b1 - b0) - p)
            head: list[tuple[int, int, int, int] | Match] = [(a0 + k, b0 + k) for k in range(p)]
            tail: list[tuple[int, int, int, int] | Match] = [(a1 - q + k, b1 - q + k) for k in range(q)]
            a0, b0, a1, b1 = a0 + p, b0 + p, a1 - q, b1 - q
            if a0 >= a1 or b0 >= b1:
                return [*head, *tail]
            ends = []
        else:
            head, tail = [], []
        chain = self._chain(sorted({*self._blocks(a0, a1, b0, b1), *ends}), a0, a1, b0, b1)
        body: list[tuple[int, int, int, int] | Match] = []
        if chain:
            pa, pb = a0, b0
            for i, j, n in chain:
                if pa < i and pb < j:
                    body.append((pa, i, pb, j))
                body.extend((i + k, j + k) for k in range(n))
                pa, pb = i + n, j + n
            if pa < a1 and pb < b1:
                body.append((pa, a1, pb, b1))
        else:
            body.extend(self._gap(a0, a1, b0, b1))
        return [*head, *body, *tail]

    # ------------------------------------------------------------ anchors

    def _blocks(self, a0: int, a1: int, b0: int, b1: int) -> list[tuple[int, int, int]]:
        """Seeds unique on both sides, grown into maximal runs of equal ids: (i, j, length)."""
        a, b, content = self.a, self.b, self.v.content
        seeds: list[Match] = []
        small = (a1 - a0) + (b1 - b0) <= SMALL_STRETCH
        for k in SEED_LENGTHS:
            if k > 1 and not small and len(seeds) * 50 >= (a1 - a0):
                break  # single words are plentiful: longer seeds add little
            if a1 - a0 < k or b1 - b0 < k:
                break
            keys_a = _grams(a, a0, a1, k, len(self.v))
            keys_b = _grams(b, b0, b1, k, len(self.v))
            count_a, count_b = Counter(keys_a), Counter(keys_b)
            # no token repeats on either side: longer runs would seed nothing new
            distinct = len(count_a) == a1 - a0 and len(count_b) == b1 - b0
            where_b = {key: b0 + j for j, key in enumerate(keys_b) if count_b[key] == 1}
            for i, key in enumerate(keys_a):
                if count_a[key] == 1 and key in where_b:
                    seeds.append((a0 + i, where_b[key]))
            if distinct:
                break
        seeds.sort()
        blocks: list[tuple[int, int, int]] = []
        reach: dict[int, int] = {}  # diagonal -> end (in a) of the last block grown on it
        for i, j in seeds:
            d = j - i
            if reach.get(d, -1) > i:
                continue
            s, t = i, j
            while s > a0 and t > b0 and a[s - 1] == b[t - 1]:
                s, t = s - 1, t - 1
            e = i + 1
            while e < a1 and e + d < b1 and a[e] == b[e + d]:
                e += 1
            reach[d] = e
            if any(content[x] for x in a[s:e]) or self._in_place(s, t, e - s, a0, a1, b0, b1):
                blocks.append((s, t, e - s))
        blocks.sort()
        return _trusted(blocks, a0, a1, b0, b1)

    @staticmethod
    def _in_place(s: int, t: int, n: int, a0: int, a1: int, b0: int, b1: int) -> bool:
        """Whether a block lies on its stretch's diagonal (within `IN_PLACE` tokens)."""
        return abs((t - b0) - (s - a0) * (b1 - b0) / (a1 - a0)) <= IN_PLACE

    def _chain(self, blocks: list[tuple[int, int, int]], a0: int, a1: int, b0: int, b1: int) -> list[tuple[int, int, int]]:
        """The heaviest chain of blocks that do not overlap and keep their order on both sides.

        The score is (weight, support, -distance from the stretch's diagonal),
        compared in that order: of equally heavy chains, the one whose words
        more other witnesses share wins, and of those, the one that keeps the
        words nearest their places.
        """
        if not blocks:
            return []
        cum_w, cum_p, cum_s = self.cum_w, self.cum_p, self.cum_s
        slope = (b1 - b0) / (a1 - a0)
        ends = sorted({t + n for _, t, n in blocks})
        rank = {e: r + 1 for r, e in enumerate(ends)}
        tree: list[tuple[float, float, float, int]] = [(0.0, 0.0, 0.0, -1)] * (len(ends) + 1)
        by_end = sorted(range(len(blocks)), key=lambda k: blocks[k][0] + blocks[k][2])
        best: list[tuple[float, float, float, int]] = []
        back: list[int] = []
        q = 0
        for k, (s, t, n) in enumerate(blocks):
            while q < len(by_end) and blocks[by_end[q]][0] + blocks[by_end[q]][2] <= s:
                done = by_end[q]
                if done < k:
                    r = rank[blocks[done][1] + blocks[done][2]]
                    while r < len(tree):
                        if best[done][:3] > tree[r][:3]:
                            tree[r] = (*best[done][:3], done)
                        r += r & -r
                q += 1
            # best chain ending at or before b position t
            r = _rank_at_most(ends, t)
            prev: tuple[float, float, float, int] = (0.0, 0.0, 0.0, -1)
            while r > 0:
                if tree[r][:3] > prev[:3]:
                    prev = tree[r]
                r -= r & -r
            cum = cum_p if self._in_place(s, t, n, a0, a1, b0, b1) else cum_w
            weight = cum[s + n] - cum[s]
            sup = cum_s[s + n] - cum_s[s] if cum_s is not None else 0.0
            off = abs((t - b0) - (s - a0) * slope) * n
            best.append((prev[0] + weight, prev[1] + sup, prev[2] - off, k))
            back.append(prev[3])
        k = max(range(len(blocks)), key=lambda x: best[x][:3])
        chain: list[tuple[int, int, int]] = []
        while k >= 0:
            chain.append(blocks[k])
            k = back[k]
        return self._prune(chain[::-1], b0 - a0, b1 - a1)

    def _prune(self, chain: list[tuple[int, int, int]], first: int, last: int) -> list[tuple[int, int, int]]:
        """The chain without its excursions: a group of blocks on one diagonal,
        between neighbours on another, whose weight does not pay for the
        detour (`EXCURSION_COST` per token of diagonal shift there and back).
        ``first`` and ``last`` are the diagonals of the stretch's corners."""
        cum_w = self.cum_w
        while True:
            groups: list[list[tuple[int, int, int]]] = []
            for blk in chain:
                if groups:
                    s, t, _ = groups[-1][-1]
                    if abs((blk[1] - blk[0]) - (t - s)) <= DRIFT + (blk[0] - s) / 10:
                        groups[-1].append(blk)
                        continue
                groups.append([blk])
            if not groups:
                return chain
            diag = [g[0][1] - g[0][0] for g in groups]
            worst, worst_loss = -1, 0.0
            for g, group in enumerate(groups):
                before = diag[g - 1] if g else first
                after = diag[g + 1] if g + 1 < len(groups) else last
                detour = abs(diag[g] - before) + abs(after - diag[g]) - abs(after - before)
                weight = sum(cum_w[s + n] - cum_w[s] for s, _, n in group)
                loss = EXCURSION_COST * detour - weight
                if loss > worst_loss:
                    worst, worst_loss = g, loss
            if worst < 0:
                return chain
            chain = [blk for g, group in enumerate(groups) if g != worst for blk in group]

    # ------------------------------------------------------------ without anchors

    def _gap(self, a0: int, a1: int, b0: int, b1: int) -> list[tuple[int, int, int, int] | Match]:
        if (a1 - a0) * (b1 - b0) <= DP_LIMIT:
            return list(self._framed_dp(a0, a1, b0, b1))
        out: list[tuple[int, int, int, int] | Match] = []
        pa, pb = a0, b0
        for i, j, n in _equal_runs(self.a[a0:a1], self.b[b0:b1]):
            i, j = a0 + i, b0 + j
            if pa < i and pb < j:
                out.append((pa, i, pb, j))
            out.extend((i + k, j + k) for k in range(n))
            pa, pb = i + n, j + n
        if pa < a1 and pb < b1 and (pa, pb) != (a0, b0):
            out.append((pa, a1, pb, b1))
        return out

    def _framed_dp(self, a0: int, a1: int, b0: int, b1: int) -> list[Match]:
        """Content words first: their best matching frames the stretch, and common
        words and punctuation are matched only inside the spaces it leaves, so
        a stray "the" or comma never pulls words out of place."""
        a, b, content = self.a, self.b, self.v.content
        ia = [i for i in range(a0, a1) if content[a[i]]]
        ib = [j for j in range(b0, b1) if content[b[j]]]
        frame = self._weighted_dp(ia, ib) if ia and ib else []
        out: list[Match] = []
        pa, pb = a0, b0
        for i, j in [*frame, (a1, b1)]:
            if pa < i and pb < j:
                out.extend(self._weighted_dp(range(pa, i), range(pb, j)))
            if i < a1:
                out.append((i, j))
            pa, pb = i + 1, j + 1
        return out

    def near(self, x: int, y: int) -> float:
        """Similarity (0-100) of two different forms, 0 below the cutoff."""
        key = (x, y)
        sim = self.near_cache.get(key)
        if sim is None:
            sim = self.near_cache[key] = near_ratio(self.v, x, y, self.cutoff)
        return sim

    def _weighted_dp(self, ia: Sequence[int], ib: Sequence[int]) -> list[Match]:
        """Heaviest order-preserving matching of a[ia] with b[ib]: an exact match is
        worth the lighter token's weight, a near match `NEAR_MATCH_FACTOR` of it
        scaled by similarity; gaps cost nothing.  Support breaks near-ties."""
        m, n = len(ia), len(ib)
        a, b, weight = self.a, self.b, self.v.weight
        sup = self.support
        xa = [a[i] for i in ia]
        xb = [b[j] for j in ib]
        wb = [weight[y] for y in xb]
        score = [[0.0] * (n + 1) for _ in range(m + 1)]
        move = [bytearray(n + 1) for _ in range(m + 1)]  # 0 diagonal match, 1 up, 2 left
        for r in range(1, m + 1):
            x = xa[r - 1]
            wx = weight[x]
            bonus = 1e-6 * sup[ia[r - 1]] if sup is not None else 0.0
            row, prev, mv = score[r], score[r - 1], move[r]
            mv[0] = 1
            for c in range(1, n + 1):
                best, how = prev[c], 1
                if row[c - 1] > best:
                    best, how = row[c - 1], 2
                y = xb[c - 1]
                if x == y:
                    gain = (wx if wx < wb[c - 1] else wb[c - 1]) + bonus
                else:
                    sim = self.near(x, y)
                    gain = min(wx, wb[c - 1]) * NEAR_MATCH_FACTOR * sim / 100.0 + bonus if sim else 0.0
                if gain and prev[c - 1] + gain > best:
                    best, how = prev[c - 1] + gain, 0
                row[c], mv[c] = best, how
        move[0] = bytearray([2] * (n + 1))
        pairs: list[Match] = []
        r, c = m, n
        while r > 0 and c > 0:
            how = move[r][c]
            if how == 0:
                pairs.append((ia[r - 1], ib[c - 1]))
                r, c = r - 1, c - 1
            elif how == 1:
                r -= 1
            else:
                c -= 1
        return pairs[::-1]


# ---------------------------------------------------------------- helpers


def _prefix(values: Sequence[float]) -> list[float]:
    return [0.0, *accumulate(values)]


def _grams(seq: Sequence[int], lo: int, hi: int, k: int, base: int) -> list[int]:
    """Keys of the runs of ``k`` ids starting at lo..hi-k (one int per run)."""
    part = seq[lo:hi]
    if k == 1:
        return list(part)
    keys = list(part[: len(part) - k + 1])
    for step in range(1, k):
        keys = [key * base + x for key, x in zip(keys, part[step:])]
    return keys


def _rank_at_most(ends: list[int], t: int) -> int:
    """How many of the sorted ``ends`` are <= t (a Fenwick index)."""
    lo, hi = 0, len(ends)
    while lo < hi:
        mid = (lo + hi) // 2
        if ends[mid] <= t:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _trusted(blocks: list[tuple[int, int, int]], a0: int, a1: int, b0: int, b1: int) -> list[tuple[int, int, int]]:
    """Blocks near the diagonal of the stretch, or near that of a neighbour
    (one of the two before or after it in text order)."""
    slope = (b1 - b0) / (a1 - a0)
    diags = [t - s for s, t, _ in blocks]
    kept: list[tuple[int, int, int]] = []
    for k, (s, t, n) in enumerate(blocks):
        if abs((t - b0) - (s - a0) * slope) <= DRIFT:
            kept.append((s, t, n))
            continue
        for o in (k - 2, k - 1, k + 1, k + 2):
            if 0 <= o < len(blocks) and abs(diags[o] - diags[k]) <= DRIFT + abs(blocks[o][0] - s) / 10:
                kept.append((s, t, n))
                break
    return kept


def _equal_runs(a: Sequence[int], b: Sequence[int]) -> list[tuple[int, int, int]]:
    """Runs of equal ids (i, j, length) of an edit script between ``a`` and ``b``.

    Computed in windows of `WINDOW` tokens along the diagonal, keeping two
    thirds of each; a window that finds too little in common is doubled, so a
    long omission is crossed without losing the thread.
    """
    from rapidfuzz.distance import Levenshtein

    la, lb = len(a), len(b)
    runs: list[tuple[int, int, int]] = []
    i = j = 0
    size = WINDOW
    while i < la and j < lb:
        ea, eb = min(la, i + size), min(lb, j + size)
        last = ea == la and eb == lb
        equal = [
            (i + op.src_start, j + op.dest_start, op.src_end - op.src_start)
            for op in Levenshtein.opcodes(a[i:ea], b[j:eb])
            if op.tag == "equal"
        ]
        if last:
            runs.extend(equal)
            break
        cut_a, cut_b = i + (ea - i) * 2 // 3, j + (eb - j) * 2 // 3
        keep = [(s, t, n) for s, t, n in equal if s + n <= cut_a and t + n <= cut_b]
        found = sum(n for _, _, n in equal)
        if not keep or found * 3 < min(ea - i, eb - j):
            size *= 2
            continue
        runs.extend(keep)
        s, t, n = keep[-1]
        i, j = s + n, t + n
        size = WINDOW
    return runs
