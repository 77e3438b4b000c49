"""Coverage: where the text of a partial witness stands in the document.

Most real witnesses are partial: a quotation, an exhibit citing two passages,
a transcription that stops where the photocopy stops.  Their lost text is a
set of lacunae (`collate.model.LostStretch`): before the first word, after
the last, or anywhere inside, each sitting at an insertion point of the
witness's text.  Losses are *stated* (the witness's TOML), *marked* (an
editorial gap mark, `collate.tokenize.GAP_MARKS`) or *found* here.

A partial witness (`collate.partial.mode_of`) is placed in a reference text
(in a collation, the aligner's spine; `collate.partial.plan`) in four
steps, each a pure function:

1. **Seeds**: its words matched with the same words of the reference:
   content words weigh as the aligner weighs them, very common words
   ("the", "of") little, and only in a quotation, to tell apart places that
   share their content words; punctuation is never a seed.  So a final "."
   or a lone "the" can never stretch the coverage.
2. **Chain**: the heaviest order-preserving chain of seeds.  Between two
   seeds, advancing differently in witness and reference costs
   `DRIFT_COST` per token, at most `JUMP_COST`; across a stated or marked
   loss the reference may jump ahead for nothing.  A stray match far away
   never pays for the jump; a run of agreement does.
3. **Blocks**: the chain cut at the losses (and, when losses are to be
   found, where the reference skips `UNMARKED_LACUNA` tokens or more) gives
   covered stretches, each a run of witness tokens standing for a run of
   reference tokens; their edges are placed by aligning the few words
   before the first seed and after the last one locally.
4. **Pairs**: each block aligned with `collate.align.align_pair`; reference
   tokens outside every block pair with nothing, and so become lacunae of
   the witness.

>>> from collate.model import Witness
>>> from collate.tokenize import tokenize
>>> ref = tokenize("In 1942 the Soviet forces held the Eastern front. The Germans attacked in the south.")
>>> wit = Witness("x", "the Soviet forces held the Easter front.")
>>> p = place(ref, wit, tokenize(wit.text), mode=Mode.FOUND)
>>> [(b.ref_start, b.ref_end) for b in p.blocks], [(loss.at, loss.origin.value) for loss in p.losses]
([(2, 10)], [(<Lost.START: 'start'>, 'found'), (<Lost.END: 'end'>, 'found')])
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from .align import STOPWORDS, align_pair, near_match, weight
from .pairwise import Pair
from .losses import declared_losses, placed_losses
from .model import LossOrigin, LostStretch, Token, TokenKind, Witness

JUMP_COST = 12.0
"""What jumping to another place of the reference costs a chain: more than
three matched content words weigh (3-4 each), so a stray word or two far
away never pulls the coverage there, while a passage that really is there does."""

DRIFT_COST = 0.25
"""What each token costs by which witness and reference advance differently
between two seeds (an omission or addition of twelve tokens costs about
one matched word); capped at `JUMP_COST`."""

UNMARKED_LACUNA = 40
"""Where losses are found, a skip of at least this many reference tokens
(about thirty words) between two seeds is a lacuna even without a gap mark;
a shorter one stays an omission (a copyist's eye-skip is a line or two)."""

COMMON_SEED_WEIGHT = 0.4
"""What a very common word ("the", "of") weighs as a seed: enough to tell two
places apart that share their content words ("it is well known, the
organization of" / "it is also known that the organization of"), far too
little to pay for a jump or for two tokens of drift."""

COMMON_SEED_TOKENS = 300
"""Common words are seeds only for a witness of at most this many tokens (a
quotation, whose place they may decide); a longer one is placed by its
content words, in a third of the time."""

SEED_OCCURRENCES = 40
"""A word found more often than this in the reference is no seed: it would
cost time and place nothing."""

SEEDS_PER_TOKEN = 2
"""Seeds allowed per witness token (at least 2,000 in all), the rarest words
first: a long text is placed by its rarer words, in time linear in its length."""

LOCAL_WINDOW = 24
"""How many witness tokens back a seed looks for a neighbour near its diagonal."""

LOCAL_DRIFT = 8
"""How far off its diagonal (in tokens) a seed looks for that neighbour;
further off, the link is priced as a jump."""

EDGE_SLACK = 6
"""Extra reference tokens searched around a block's edge for the words before its first seed."""

EDGE_SHIFT = 3
"""How many tokens omitted or added near a block's edge may move it: a
match implying a larger shift is a common word met by chance."""

_WORDS = (TokenKind.WORD, TokenKind.NUMBER)


class Mode(StrEnum):
    """How a witness is aligned."""

    WHOLE = "whole"  # not partial: aligned as a whole, as before
    STATED = "stated"  # losses where its TOML and its gap marks put them; none found
    FOUND = "found"  # a fragment or a short witness with no stated losses: they are found


@dataclass(frozen=True, slots=True)
class Block:
    """A covered stretch: the witness's non-gap tokens ``wit`` (indices into
    its token tuple) stand for the reference tokens ``ref_start:ref_end``."""

    wit: tuple[int, ...]
    ref_start: int
    ref_end: int


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a partial witness stands in a reference: its blocks, every loss in
    effect (offsets into the witness, ``stands_for`` filled in) and the token
    pairs ``(reference index, witness index)`` in text order, as
    `collate.align.align_pair` gives them."""

    blocks: tuple[Block, ...]
    losses: tuple[LostStretch, ...]
    pairs: tuple[Pair, ...]


# ---------------------------------------------------------------- seeds and chain


def _key(tok: Token) -> str:
    return tok.n.casefold()


def _seeds(ref: Sequence[Token], wit: Sequence[Token]) -> list[tuple[int, int, float]]:
    """Matches ``(i, j, weight)`` of witness word i with reference word j: a
    content word weighs as the aligner weighs it (`collate.align.weight`), a
    very common word `COMMON_SEED_WEIGHT`, and counts only near a content
    word's match (it can only tell apart places those already found).  The
    rarest words come first, up to `SEEDS_PER_TOKEN` seeds a witness token."""
    where: dict[str, list[int]] = {}
    for j, tok in enumerate(ref):
        if tok.kind in _WORDS and tok.n:
            where.setdefault(_key(tok), []).append(j)
    found = [(i, where.get(_key(tok), [])) for i, tok in enumerate(wit) if tok.kind in _WORDS and tok.n]
    content = [(i, occ) for i, occ in found if occ and _key(wit[i]) not in STOPWORDS]
    budget, spent, limit = max(2000, SEEDS_PER_TOKEN * len(wit)), 0, 0
    for size in sorted(len(occ) for _, occ in content):
        if size > SEED_OCCURRENCES or spent + size > budget:
            break
        spent, limit = spent + size, size
    seeds = [(i, j, weight(wit[i])) for i, occ in content if len(occ) <= limit for j in occ]
    common = [(i, occ) for i, occ in found if 0 < len(occ) <= SEED_OCCURRENCES and _key(wit[i]) in STOPWORDS]
    if len(wit) > COMMON_SEED_TOKENS or spent + sum(len(occ) for _, occ in common) > budget:
        return seeds  # a longer text: its content words place it
    size = LOCAL_DRIFT
    near = {(i // size + di, (j - i) // size + dd) for i, j, _ in seeds for di in (-1, 0, 1) for dd in (-1, 0, 1)}
    seeds.extend((i, j, COMMON_SEED_WEIGHT) for i, occ in common for j in occ if (i // size, (j - i) // size) in near)
    return seeds


class _MaxTree:
    """Prefix maxima over reference positions (a Fenwick tree of (score, seed))."""

    def __init__(self, size: int) -> None:
        self.tree: list[tuple[float, int]] = [(float("-inf"), -1)] * (size + 1)

    def add(self, j: int, value: tuple[float, int]) -> None:
        k = j + 1
        while k < len(self.tree):
            if value > self.tree[k]:
                self.tree[k] = value
            k += k & -k

    def best_before(self, j: int) -> tuple[float, int]:
        """The best value stored at a position < j."""
        best = (float("-inf"), -1)
        k = j
        while k > 0:
            if self.tree[k] > best:
                best = self.tree[k]
            k -= k & -k
        return best


def _drift_cost(drift: int) -> float:
    return min(DRIFT_COST * abs(drift), JUMP_COST)


def _chain(
    seeds: list[tuple[int, int, float]], segment: Sequence[int], n_ref: int, n_wit: int, *, free_start: bool, free_end: bool
) -> list[tuple[int, int]]:
    """The heaviest chain of seeds, increasing in both texts (see the module docstring).

    A seed continues the latest seed on each nearby diagonal (within
    `LOCAL_DRIFT` of its own and `LOCAL_WINDOW` tokens back): on one
    diagonal the latest is the best, since it could itself continue the
    ones before at no cost.  Further links are priced as jumps, found in
    prefix maxima over the reference."""
    seeds = sorted(seeds)
    score = [0.0] * len(seeds)
    back = [-1] * len(seeds)
    anywhere, earlier = _MaxTree(n_ref), _MaxTree(n_ref)
    latest = [-1] * (n_ref + n_wit + 2 * LOCAL_DRIFT + 1)  # diagonal j - i (shifted) -> the latest seed on it
    shift0 = n_wit + LOCAL_DRIFT
    pending: list[int] = []  # seeds of the current segment, not yet in `earlier`
    k = 0
    while k < len(seeds):
        i = seeds[k][0]
        group = range(k, next((m for m in range(k, len(seeds)) if seeds[m][0] != i), len(seeds)))
        if pending and segment[seeds[pending[0]][0]] != segment[i]:
            for s in pending:
                earlier.add(seeds[s][1], (score[s], s))
            pending = []
        for s in group:
            _, j, w = seeds[s]
            best = (0.0 if free_start or segment[i] > 0 else -_drift_cost(j - i), -1)
            far = anywhere.best_before(j)
            best = max(best, (far[0] - JUMP_COST, far[1]), earlier.best_before(j))
            d = j - i + shift0
            for p in latest[d - LOCAL_DRIFT : d + LOCAL_DRIFT + 1]:
                if p < 0:
                    continue
                ip, jp = seeds[p][0], seeds[p][1]
                if ip >= i - LOCAL_WINDOW and jp < j and segment[ip] == segment[i]:
                    cand = score[p] - DRIFT_COST * abs(jp - ip + shift0 - d)
                    if cand > best[0]:
                        best = (cand, p)
            score[s], back[s] = best[0] + w, best[1]
        for s in group:
            anywhere.add(seeds[s][1], (score[s], s))
            pending.append(s)
            latest[seeds[s][1] - i + shift0] = s
        k = group.stop
    if not seeds:
        return []
    ends = [
        score[s] - (0.0 if free_end else _drift_cost((n_ref - seeds[s][1]) - (n_wit - seeds[s][0])))
        for s in range(len(seeds))
    ]
    s = max(range(len(seeds)), key=lambda s: (ends[s], -s))
    chain: list[tuple[int, int]] = []
    while s >= 0:
        chain.append((seeds[s][0], seeds[s][1]))
        s = back[s]
    return chain[::-1]


# ---------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class _Group:
    """Chain seeds that stay together: witness range [a, b), first and last seed."""

    a: int
    b: int
    first: tuple[int, int]
    last: tuple[int, int]


def _groups(chain: list[tuple[int, int]], segment: Sequence[int], *, find: bool) -> list[list[tuple[int, int]]]:
    """The chain cut at the losses (and, if ``find``, at long unmarked skips)."""
    groups: list[list[tuple[int, int]]] = []
    for k, j in chain:
        if groups:
            pk, pj = groups[-1][-1]
            if segment[k] == segment[pk] and not (find and (j - pj) - (k - pk) >= UNMARKED_LACUNA):
                groups[-1].append((k, j))
                continue
        groups.append([(k, j)])
    return groups


def _same(a: Token, b: Token) -> bool:
    return _key(a) == _key(b)


def _split_point(ref: Sequence[Token], wit: Sequence[Token], last: tuple[int, int], first: tuple[int, int]) -> int:
    """Where the witness's words between two groups divide: those before the
    returned index continue the earlier group, the rest lead into the later."""
    (k0, j0), (k1, j1) = last, first
    best, best_t = -1.0, k1
    for t in range(k0 + 1, k1 + 1):
        fwd = sum(j0 + m < len(ref) and _same(wit[k0 + m], ref[j0 + m]) for m in range(1, t - k0))
        bwd = sum(j1 - m >= 0 and _same(wit[k1 - m], ref[j1 - m]) for m in range(1, k1 - t + 1))
        bonus = 0.1 if wit[t - 1].is_punctuation and wit[t - 1].word in ".!?;:" else 0.0
        if fwd + bwd + bonus > best:
            best, best_t = fwd + bwd + bonus, t
    return best_t


def _matched(r: Token, w: Token) -> bool:
    return _same(r, w) or near_match(r, w) > 0


def _reach(tokens: Sequence[Token]) -> int:
    """How many of ``tokens`` reach over reference words: all up to the last
    word (unmatched punctuation beyond it, a stray final ".", reaches nothing)."""
    return max((k + 1 for k, t in enumerate(tokens) if not t.is_punctuation), default=0)


def _edge(window: Sequence[Token], part: Sequence[Token]) -> tuple[int, int] | None:
    """How far an edge's words reach into ``window`` (both read away from the
    block): the last pair matched, a content word within `EDGE_SHIFT` of its
    place, a common word within one, a punctuation mark only right after the
    match before it."""
    last = (-1, -1)
    for x, y in align_pair(window, part):
        if x is None or y is None or not _matched(window[x], part[y]):
            continue
        common = _key(part[y]) in STOPWORDS or part[y].is_punctuation
        if abs(x - y) > (1 if common else EDGE_SHIFT):
            continue
        if part[y].is_punctuation and (x, y) != (last[0] + 1, last[1] + 1):
            continue
        last = (x, y)
    return last if last[0] >= 0 else None


def _extend_back(ref: Sequence[Token], head: Sequence[Token], j_first: int, lo: int) -> int:
    """Where a block starts in the reference, given the witness's words before its first seed."""
    if not head:
        return j_first
    start = max(lo, j_first - len(head) - EDGE_SLACK)
    back = _edge(ref[start:j_first][::-1], head[::-1])  # read from the seed backwards
    if back is None:
        return max(lo, j_first - _reach(head[::-1]))
    x, y = back
    return max(lo, j_first - 1 - x - _reach(head[::-1][y + 1 :]))


def _extend_forward(ref: Sequence[Token], tail: Sequence[Token], j_last: int, hi: int) -> int:
    """Where a block ends in the reference (exclusive), given the witness's words after its last seed."""
    if not tail:
        return j_last + 1
    forth = _edge(ref[j_last + 1 : min(hi, j_last + 1 + len(tail) + EDGE_SLACK)], tail)
    if forth is None:
        return min(hi, j_last + 1 + _reach(tail))
    x, y = forth
    return min(hi, j_last + 1 + x + 1 + _reach(tail[y + 1 :]))


def _blocks(
    ref: Sequence[Token], wit: Sequence[Token], segment: Sequence[int], chain: list[tuple[int, int]], *,
    find: bool, free_start: bool, free_end: bool,
) -> list[tuple[int, int, int, int]]:
    """Blocks (a, b, c, d): witness tokens [a, b) stand for reference tokens [c, d)."""
    seeds = _groups(chain, segment, find=find)
    if not seeds:
        return []
    seg_start = {s: min(k for k in range(len(segment)) if segment[k] == s) for s in set(segment)}
    seg_end = {s: max(k for k in range(len(segment)) if segment[k] == s) + 1 for s in set(segment)}
    groups: list[_Group] = []
    for g, run in enumerate(seeds):
        seg = segment[run[0][0]]
        a, first = seg_start[seg], run[0]
        if groups and segment[groups[-1].first[0]] == seg:
            # an unmarked skip: common words on either side of it may belong to the other side
            before = next((x for x in reversed(seeds[g - 1]) if _key(wit[x[0]]) not in STOPWORDS), seeds[g - 1][-1])
            first = next((x for x in run if _key(wit[x[0]]) not in STOPWORDS), run[0])
            a = _split_point(ref, wit, before, first)
            groups[-1] = replace(groups[-1], b=a, last=before)
        groups.append(_Group(a, seg_end[seg], first, run[-1]))
    starts: list[int] = []
    for g, grp in enumerate(groups):
        lo = groups[g - 1].last[1] + 1 if g else 0
        starts.append(0 if g == 0 and not free_start else _extend_back(ref, wit[grp.a : grp.first[0]], grp.first[1], lo))
    out: list[tuple[int, int, int, int]] = []
    for g, grp in enumerate(groups):
        final = g == len(groups) - 1
        hi = len(ref) if final else starts[g + 1]
        end = len(ref) if final and not free_end else _extend_forward(ref, wit[grp.last[0] + 1 : grp.b], grp.last[1], hi)
        start = max(starts[g], out[-1][3] if out else 0)
        out.append((grp.a, grp.b, start, max(start, end)))
    return out


# ---------------------------------------------------------------- placement


def place(
    ref: Sequence[Token],
    witness: Witness,
    tokens: Sequence[Token],
    *,
    mode: Mode,
    reference: Witness | None = None,
) -> Placement:
    """Place a partial witness's ``tokens`` in the reference tokens ``ref``
    (see the module docstring); ``reference`` names the reference text in the
    losses' ``stands_for``."""
    declared = declared_losses(witness, tokens) if mode is Mode.STATED else _marked(witness, tokens)
    keep = [o for o, t in enumerate(tokens) if not t.is_gap]
    wit = [tokens[o] for o in keep]
    starts = [t.word_start for t in wit]
    bounds = [bisect_left(starts, loss.offset(witness.text)) for loss in declared]
    cuts = sorted({b for b in bounds if 0 < b < len(wit)})
    segment = [bisect_left(cuts, k + 1) for k in range(len(wit))]
    find = mode is Mode.FOUND
    free_start = find or 0 in bounds
    free_end = find or len(wit) in bounds
    chain = _chain(_seeds(ref, wit), segment, len(ref), len(wit), free_start=free_start, free_end=free_end)
    found = _blocks(ref, wit, segment, chain, find=find, free_start=free_start, free_end=free_end)
    if not found and wit:
        found = [(0, len(wit), 0, min(len(ref), len(wit)) if free_end else len(ref))]
    found, pairs = _pairs(ref, tokens, keep, found, free_start=free_start, free_end=free_end)
    blocks = tuple(Block(tuple(keep[a:b]), c, d) for a, b, c, d in found)
    losses = placed_losses(ref, witness, wit, found, declared, bounds, find=find, reference=reference)
    return Placement(blocks, losses, pairs)


def _marked(witness: Witness, tokens: Sequence[Token]) -> tuple[LostStretch, ...]:
    return tuple(loss for loss in declared_losses(witness, tokens) if loss.origin is LossOrigin.MARKED)


def _pairs(
    ref: Sequence[Token], tokens: Sequence[Token], keep: Sequence[int], found: Sequence[tuple[int, int, int, int]],
    *, free_start: bool, free_end: bool,
) -> tuple[list[tuple[int, int, int, int]], tuple[Pair, ...]]:
    """(reference index, witness index) pairs in text order: each block
    aligned (`_align_block`), the rest of the witness (gap marks, unplaced
    text) inserted where it stands.  Also the blocks as aligned: a block whose
    start (end) is lost starts (ends) where its words do."""
    first_of = {keep[a]: g for g, (a, b, c, d) in enumerate(found) if b > a}
    placed = {keep[k] for a, b, _, _ in found for k in range(a, b)}
    pairs: list[Pair] = []
    blocks: list[tuple[int, int, int, int]] = []
    r = 0
    for o in range(len(tokens)):
        g = first_of.get(o)
        if g is not None:
            a, b, c, d = found[g]
            c = max(c, r)
            last = g == len(found) - 1
            hi = found[g + 1][2] if not last else len(ref)
            sub = [tokens[keep[k]] for k in range(a, b)]
            got = _align_block(ref, sub, c, d, hi, open_end=not last or free_end)
            pairs.extend((j, None) for j in range(r, c))
            pairs.extend((x, keep[a + y] if y is not None else None) for x, y in got)
            both = [x for x, y in got if x is not None and y is not None]
            first_x = c if (g == 0 and not free_start) or not both else both[0]
            end_x = len(ref) if (last and not free_end) or not both else both[-1] + 1
            blocks.append((a, b, first_x, max(first_x, end_x)))
            r = max(x for x, _ in got if x is not None) + 1 if any(x is not None for x, _ in got) else c
        elif o not in placed:
            pairs.append((None, o))
    pairs.extend((j, None) for j in range(r, len(ref)))
    return blocks, tuple(pairs)


_SENTINEL = Token(t="", n="\uffff", start=0, end=0, kind=TokenKind.WORD)
"""Matches nothing: put after a block whose end is lost, it keeps the
aligner's shared-suffix step from pairing its last "." with the text's last."""


def _align_block(
    ref: Sequence[Token], sub: Sequence[Token], c: int, d: int, hi: int, *, open_end: bool
) -> list[Pair]:
    """A block's pairs (reference indices absolute).

    Where a loss follows the block, the aligner first sees the reference up to
    the next block (``hi``), as it would without coverage: its anchors are
    words unique in that whole stretch, not just in the block.  Its pairs are
    kept up to the last word it matches inside the block's coverage
    ``ref[c:d]``; the block's remaining words (a stray final "." among them)
    are aligned with the rest of the coverage only.  Where no loss follows,
    the block is aligned with ``ref[c:d]``."""
    if open_end and hi > d:
        n = len(sub)
        wide = [(x, y if y is not None and y < n else None) for x, y in align_pair(ref[c:hi], [*sub, _SENTINEL])]
        cut = max(
            (k for k, (x, y) in enumerate(wide) if x is not None and y is not None and c + x < d and _matched(ref[c + x], sub[y])),
            default=-1,
        )
        if cut >= 0:
            xk, yk = wide[cut]
            assert xk is not None and yk is not None
            head = [(c + x if x is not None else None, y) for x, y in wide[: cut + 1] if x is not None or y is not None]
            rest = align_pair(ref[c + xk + 1 : d], sub[yk + 1 :])
            return head + [(c + xk + 1 + x if x is not None else None, yk + 1 + y if y is not None else None) for x, y in rest]
    return [(c + x if x is not None else None, y) for x, y in align_pair(ref[c:d], sub)]
