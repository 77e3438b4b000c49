"""Sentence alignment of two texts of one document, translations or copies.

The pairwise stage of passage alignment (`collate.passages`), Gale-Church /
Hunalign style and without machine translation: both texts are in one
language, so the words they share are evidence enough.

A dynamic program chooses *beads*: 1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1 or 1-3
sentences of the base against the other text.  A bead costs

- the Gale-Church length cost, -log P(|delta|), of its two sides' characters
  (the other text's characters per base character estimated from the texts);
- for every sentence on either side, the share of its content words the other
  side lacks, times half `LEXICAL_WEIGHT`.  Content words are folded (case,
  punctuation, diacritics, British spelling; "12th" is "12"), very common
  words are left out, and a word of one text that RapidFuzz finds close to a
  word of the other (ratio at least `NEAR_MATCH`: "considers"/"considered",
  "plans"/"plan") counts as that word;
- -log of the bead shape's prior (Gale and Church's figures).

Afterwards a sentence left unmatched joins a neighbouring one-sentence bead
when that costs less (a KJV sentence is up to five WEB sentences).  Where a text
is lost (a fragment's start or end), skipped sentences cost only `LOST_SKIP`
and the sentence at the break pays no length cost.

Speed.  Words found in one sentence only of each text anchor the path: the
program runs in a band around the line through them (in characters), widened
while the best path comes near its edge (the band is a heuristic, as
Hunalign's: on texts that repeat whole sentences it can miss the optimum).
Where the texts are copies rather than translations, runs of three or more
sentence pairs that are plainly the same sentence (`SURE_DICE`, similar length,
not repeated in their text) are taken as they are, and the program only fills
the stretches between them.  ``band=None`` runs the full program: the slow,
obviously right reference the fast path is tested against.

>>> base = "The war goes on. We need a front. It is late."
>>> [b.shape for b in sentence_beads(base, "The war goes on, and we need a front. It is late.")]
[(2, 1), (1, 1)]
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex
from rapidfuzz import fuzz, process

from .align import STOPWORDS
from .model import Lost
from .normalize import normalizer
from .sentences import Sentence, sentences

LEXICAL_WEIGHT = 8.0
"""Cost of a sentence none of whose content words the other side has, doubled: what
makes a translation's sentence find the base sentence it renders."""

LENGTH_WEIGHT = 1.0
"""Weight of the Gale-Church length cost."""

LENGTH_VARIANCE = 6.8
"""Gale and Church's variance of the length difference, per character."""

NEAR_MATCH = 80.0
"""Least RapidFuzz ratio for two different content words to count as one."""

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

BAND = 6
"""Half-width of the band, in sentences of the other text, at an anchor; doubled while
the best path touches the band's edge."""

EDGE = 3
"""A path that comes within this many cells of the band's edge (a bead spans up to three)
may have been cut off by it: the band is widened and the program run again."""

BAND_SPREAD = 0.5
"""How much the band widens per base sentence of distance from the nearest anchor."""

SURE_DICE = 0.8
"""Least Dice coefficient of content words for a sentence pair to be plainly one sentence
(also within 0.8-1.25 of each other's length); a run of `SURE_RUN` such pairs is kept as it is."""

SURE_RUN = 3

LONG_MERGE = 1.0
"""Prior cost of each sentence beyond three that one sentence of the other text renders."""

_STEPS = tuple(PRIORS)
Lost4 = tuple[bool, bool, bool, bool]
"""Whether the other text's start, its end, the base's start, its end are lost."""
WORD = regex.compile(r"[\w\p{M}]+(?:['’\-‐‑][\w\p{M}]+)*")
_PART = regex.compile(r"[\w\p{M}]+(?:['’][\w\p{M}]+)*")
_ORDINAL = regex.compile(r"(\d+)(?:st|nd|rd|th|d)?")
_FOLD = normalizer("orthographic")


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


def content_words(text: str) -> list[str]:
    """The content words of ``text``: folded (case, punctuation, diacritics, British
    spelling), ordinals as bare numbers, hyphenated words as their parts (one
    translation's "sister-in-law" is another's "sister in law"), very common
    words left out.

    >>> content_words("On August 12th the favourable Communiqué, German-Fascist")
    ['august', '12', 'favorable', 'communique', 'german', 'fascist']
    """
    return [c for c in map(content_word, _PART.findall(text)) if c]


@lru_cache(maxsize=1 << 16)
def content_word(word: str) -> str:
    """A word's folded form, or "" for a very common word (texts repeat their words: cached)."""
    folded = _FOLD(word)
    number = _ORDINAL.fullmatch(folded)
    if number:
        folded = number.group(1)
    return "" if folded in STOPWORDS else folded


def near_matches(words: Collection[str], targets: Collection[str], *, cutoff: float = NEAR_MATCH) -> dict[str, str]:
    """For each of ``words`` not among ``targets``, its nearest target by RapidFuzz ratio,
    if one reaches ``cutoff``.  Words under four letters and numbers match only exactly.
    A word is compared only with the targets of a length the ratio allows that share
    its first two or its last two letters (a variant rarely changes both ends; this
    keeps long texts fast).

    >>> near_matches(["considers", "plans", "war", "1943"], ["considered", "plan", "was", "1942"])
    {'considers': 'considered', 'plans': 'plan'}
    """
    blocks: dict[tuple[str, int], list[str]] = {}
    for t in sorted(targets):
        if len(t) >= 4 and not t.isdigit():
            blocks.setdefault(("<" + t[:2], len(t)), []).append(t)
            blocks.setdefault((">" + t[-2:], len(t)), []).append(t)
    slack = (100 - cutoff) / (100 + cutoff)  # ratio >= cutoff allows |la - lb| <= slack * (la + lb)
    found: dict[str, str] = {}
    for word in sorted(set(words)):
        if word in targets or len(word) < 4 or word.isdigit():
            continue
        n = len(word)
        lengths = range(math.ceil(n * (1 - slack) / (1 + slack)), math.floor(n * (1 + slack) / (1 - slack)) + 1)
        choices = [t for key in ("<" + word[:2], ">" + word[-2:]) for size in lengths for t in blocks.get((key, size), ())]
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff) if choices else None
        if best is not None:
            found[word] = best[0]
    return found


@dataclass(frozen=True, slots=True)
class Side:
    """What the program needs of one text: per sentence, its length in non-space
    characters and its content words (as ids shared by the two texts)."""

    lengths: tuple[int, ...]
    words: tuple[frozenset[int], ...]

    def __getitem__(self, part: slice) -> Side:
        return Side(self.lengths[part], self.words[part])


@dataclass(frozen=True, slots=True)
class Prepared:
    """A text made ready for sentence alignment: its sentences, and for each its content
    words and its length in non-space characters.

    >>> p = prepare("We met Mr. Churchill. He said no.")
    >>> p.words, p.lengths
    ((('met', 'mr', 'churchill'), ('said',)), (18, 9))
    """

    text: str
    sentences: tuple[Sentence, ...]
    words: tuple[tuple[str, ...], ...]
    lengths: tuple[int, ...]


def prepare(text: str) -> Prepared:
    segs = sentences(text)
    chunks = [text[s.start : s.end] for s in segs]
    return Prepared(
        text, segs, tuple(tuple(content_words(c)) for c in chunks), tuple(len("".join(c.split())) for c in chunks)
    )


def sides(base: Prepared, *others: Prepared) -> tuple[Side, tuple[Side, ...], dict[str, str]]:
    """The base's and each other text's `Side`, and the near matches they share: a word
    of another text that nearly matches a base word counts as that word.  Computed
    once for all the texts aligned with one base."""
    base_vocab = {w for ws in base.words for w in ws}
    near = near_matches({w for o in others for ws in o.words for w in ws}, base_vocab)
    ids: dict[str, int] = {}
    base_side = Side(base.lengths, tuple(frozenset(ids.setdefault(w, len(ids)) for w in ws) for ws in base.words))
    other_sides = tuple(
        Side(o.lengths, tuple(frozenset(ids.setdefault(near.get(w, w), len(ids)) for w in ws) for ws in o.words))
        for o in others
    )
    return base_side, other_sides, near


def sentence_beads(
    base: str, other: str, *, base_lost: Collection[Lost] = (), other_lost: Collection[Lost] = (), band: int | None = BAND
) -> tuple[Bead, ...]:
    """Align the sentences of ``other`` with those of ``base``: beads in text order.

    ``other_lost`` (``base_lost``) says where that text is lost: the other's
    sentences then start (end) anywhere in the base, for free.

    >>> [b.shape for b in sentence_beads("The war goes on. It is late.", "The war goes on.", other_lost=[Lost.END])]
    [(1, 1), (1, 0)]
    """
    a, (b,), _ = sides(prepare(base), prepare(other))
    return align_sides(a, b, base_lost=base_lost, other_lost=other_lost, band=band)


def anchors(a: Side, b: Side) -> list[tuple[int, int]]:
    """Sentence pairs sharing a word found in one sentence only of each text, in the
    longest chain that never goes back in either text.

    >>> w = lambda *ids: frozenset(ids)
    >>> anchors(Side((1, 1, 1), (w(1), w(2), w(3))), Side((1, 1), (w(2, 3), w(1))))
    [(1, 0), (2, 0)]
    """
    ca = Counter(x for ws in a.words for x in ws)
    cb = Counter(x for ws in b.words for x in ws)
    where = {x: i for i, ws in enumerate(a.words) for x in ws if ca[x] == 1}
    pairs = sorted({(where[x], j) for j, ws in enumerate(b.words) for x in ws if cb[x] == 1 and x in where})
    tails: list[int] = []
    tail_at: list[int] = []
    back: list[int] = []
    for k, (_, j) in enumerate(pairs):
        pos = bisect_right(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[pos], tail_at[pos] = j, k
        back.append(tail_at[pos - 1] if pos else -1)
    chain: list[tuple[int, int]] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


def align_sides(
    a: Side, b: Side, *, base_lost: Collection[Lost] = (), other_lost: Collection[Lost] = (),
    band: int | None = BAND, sure_runs: bool = True,
) -> tuple[Bead, ...]:
    """The beads of two prepared texts: sure runs kept as they are (unless ``sure_runs``
    is false), the program between them, in a band (every cell if ``band`` is None)."""
    n, m = len(a.lengths), len(b.lengths)
    anchored = anchors(a, b)
    rows = [i for i, _ in anchored]
    lost_start = Lost.START in base_lost or Lost.START in other_lost
    lost_end = Lost.END in base_lost or Lost.END in other_lost
    ratio = _length_ratio(a, b, anchored, lost=lost_start or lost_end)
    runs = _sure_runs(a, b, anchored) if band is not None and sure_runs else []
    beads: list[Bead] = []
    i0, j0 = 0, 0
    for r0, c0, length in [*runs, (n, m, 0)]:
        i1, j1 = (r0 + 1, c0 + 1) if length else (n, m)
        lost = (
            (i0, j0) == (0, 0) and Lost.START in other_lost, length == 0 and Lost.END in other_lost,
            (i0, j0) == (0, 0) and Lost.START in base_lost, length == 0 and Lost.END in base_lost,
        )
        inner = [(i - i0, j - j0) for i, j in anchored[bisect_left(rows, i0) : bisect_left(rows, i1)] if j0 <= j < j1]
        for bead in _banded(a[i0:i1], b[j0:j1], inner, ratio, lost, band):
            beads.append(Bead((bead.base[0] + i0, bead.base[1] + i0), (bead.other[0] + j0, bead.other[1] + j0), bead.cost))
        for t in range(1, length - 1):
            x = len(a.words[r0 + t] & b.words[c0 + t])
            lex = _uncovered(len(a.words[r0 + t]), x, False) + _uncovered(len(b.words[c0 + t]), x, False)
            step = PRIORS[(1, 1)] + LEXICAL_WEIGHT / 2 * lex + LENGTH_WEIGHT * _length_cost(a.lengths[r0 + t], b.lengths[c0 + t], ratio)
            beads.append(Bead((r0 + t, r0 + t + 1), (c0 + t, c0 + t + 1), step))
        i0, j0 = r0 + length - 1, c0 + length - 1
    edges = (Lost.START in base_lost, Lost.END in base_lost, Lost.START in other_lost, Lost.END in other_lost)
    return tuple(_absorb(_merge_skips(beads), a, b, ratio, edges))


def _sure_runs(a: Side, b: Side, anchored: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Runs (i, j, length) of at least `SURE_RUN` consecutive pairs (i+t, j+t) that are
    plainly one sentence, grown from the anchors, in text order, none overlapping.  A
    sentence whose words another sentence of its text repeats never joins a run:
    where a text repeats itself, only the program can tell which copy is which."""
    n, m = len(a.lengths), len(b.lengths)
    repeated_a = {ws for ws, k in Counter(a.words).items() if k > 1}
    repeated_b = {ws for ws, k in Counter(b.words).items() if k > 1}

    def same(i: int, j: int) -> bool:
        if not (0 <= i < n and 0 <= j < m):
            return False
        wa, wb, la, lb = a.words[i], b.words[j], a.lengths[i], b.lengths[j]
        if not wa or not wb or wa in repeated_a or wb in repeated_b or not 0.8 * la <= lb <= 1.25 * la:
            return False
        return 2 * len(wa & wb) >= SURE_DICE * (len(wa) + len(wb))

    runs: list[tuple[int, int, int]] = []
    done_i = done_j = 0
    for i, j in anchored:
        if i < done_i or j < done_j or not same(i, j):
            continue
        back = 0
        while i - back - 1 >= done_i and j - back - 1 >= done_j and same(i - back - 1, j - back - 1):
            back += 1
        ahead = 1
        while same(i + ahead, j + ahead):
            ahead += 1
        if back + ahead >= SURE_RUN:
            runs.append((i - back, j - back, back + ahead))
            done_i, done_j = i + ahead, j + ahead
    return runs


def _length_ratio(a: Side, b: Side, anchored: Sequence[tuple[int, int]], *, lost: bool) -> float:
    """Characters of the other text per base character: over the whole texts, or
    between the first and last anchor when either text is lost somewhere."""
    if lost and anchored:
        (i0, j0), (i1, j1) = anchored[0], anchored[-1]
        la, lb = sum(a.lengths[i0 : i1 + 1]), sum(b.lengths[j0 : j1 + 1])
    else:
        la, lb = sum(a.lengths), sum(b.lengths)
    if (lost and not anchored) or not la or not lb:
        return 1.0
    return min(2.0, max(0.5, lb / la))


def _banded(
    a: Side, b: Side, anchored: Sequence[tuple[int, int]], ratio: float,
    lost: Lost4, band: int | None,
) -> tuple[Bead, ...]:
    """The program in a band, widened until the best path stays clear of its edge."""
    n, m = len(a.lengths), len(b.lengths)
    width = band
    while True:
        full = width is None or width >= n + m
        if full:
            lo, hi = [0] * (n + 1), [m] * (n + 1)
        else:
            assert width is not None
            lo, hi = _band(a, b, anchored, width, ratio, lost_start=lost[0] or lost[2], lost_end=lost[1] or lost[3])
        beads, path = program(a, b, lo, hi, ratio, lost)
        if full or not any((j < lo[i] + EDGE and lo[i] > 0) or (j > hi[i] - EDGE and hi[i] < m) for i, j in [*path, (0, 0)]):
            return beads
        width = 2 * width if width else 1


def _band(
    a: Side, b: Side, anchored: Sequence[tuple[int, int]], width: int, ratio: float, *, lost_start: bool, lost_end: bool
) -> tuple[list[int], list[int]]:
    """Per row of the program (base boundary 0..n), the columns allowed: a band around
    the line through the anchors in characters, wider away from them."""
    n, m = len(a.lengths), len(b.lengths)
    pa, pb = _prefix(a.lengths), _prefix(b.lengths)
    pts = [] if lost_start else [(0.0, 0.0, 0)]
    pts += [(pa[i] + a.lengths[i] / 2, pb[j] + b.lengths[j] / 2, i) for i, j in anchored]
    if not lost_end:
        pts.append((float(pa[n]), float(pb[m]), n))
    xs = [x for x, _, _ in pts]
    lo, hi = [0] * (n + 1), [m] * (n + 1)
    for r in range(n + 1):
        x = pa[r]
        k = bisect_right(xs, x)
        if not pts:
            y, dist = x * ratio, r
        elif k == 0 or k == len(pts):
            x0, y0, r0 = pts[0] if k == 0 else pts[-1]
            y, dist = y0 + (x - x0) * ratio, abs(r - r0)
        else:
            (x0, y0, r0), (x1, y1, r1) = pts[k - 1], pts[k]
            y = y0 + (y1 - y0) * (x - x0) / (x1 - x0) if x1 > x0 else y1
            dist = min(r - r0, r1 - r)
        centre = bisect_left(pb, y)
        w = width + BAND_SPREAD * dist
        lo[r] = max(0, min(m, math.floor(centre - w)))
        hi[r] = max(0, min(m, math.ceil(centre + w)))
    lo[0], hi[n] = 0, m
    for r in range(1, n + 1):  # monotone, overlapping rows: every path can go on
        hi[r] = max(hi[r], hi[r - 1])
        lo[r] = min(max(lo[r], lo[r - 1]), hi[r - 1])
    return lo, hi


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

    >>> s = Side((10, 12), (frozenset({1, 2}), frozenset({3})))
    >>> round(bead_cost(s, s, (0, 1), (0, 1)), 3), round(bead_cost(s, s, (0, 1), (1, 2)), 1)
    (0.117, 8.3)
    """
    (i0, i1), (j0, j1) = rows, cols
    shape = (i1 - i0, j1 - j0)
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


def _absorb(beads: Sequence[Bead], a: Side, b: Side, ratio: float, edges: tuple[bool, bool, bool, bool]) -> list[Bead]:
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


def _join(x: Bead, y: Bead) -> Bead:
    """The bead covering two adjacent beads."""
    first, second = (x, y) if (x.base[0], x.other[0]) <= (y.base[0], y.other[0]) else (y, x)
    return Bead((first.base[0], second.base[1]), (first.other[0], second.other[1]), first.cost + second.cost)


def _merge_skips(beads: Sequence[Bead]) -> list[Bead]:
    """Consecutive 0-1 beads become one: the other's text the base lacks, in one piece."""
    out: list[Bead] = []
    for bead in beads:
        prev = out[-1] if out else None
        if prev is not None and prev.shape[0] == 0 and bead.shape[0] == 0:
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
    steps = [(k, di, dj) for k, (di, dj) in enumerate(_STEPS) if di and dj]
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
            for k, di, dj in steps:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < lo[pi] or pj > hi[pi] or cost[pi][pj - lo[pi]] == inf:
                    continue
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

    def __init__(self, wa: Sequence[frozenset[int]], wb: Sequence[frozenset[int]]) -> None:
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


def _unions(words: Sequence[frozenset[int]]) -> dict[int, list[frozenset[int]]]:
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
