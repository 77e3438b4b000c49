"""Sentence alignment of two texts of one document, translations or copies.

The pairwise stage of passage alignment (`collate.passages`), Gale-Church /
Hunalign style and without machine translation: both texts are in one
language, so the words they share are evidence enough.

A dynamic program (`collate.beads`) chooses *beads*, 1-1, 1-0, 0-1, 2-1, 1-2,
2-2, 3-1 or 1-3 sentences of the base against the other text, each scored by
the Gale-Church length cost, by the content words the two sides share and by a
prior on its shape.  Content words are folded (case, punctuation, diacritics,
British spelling; "12th" is "12"; hyphenated words count by their parts), very
common words are left out, and a word of one text that RapidFuzz finds close to
a word of the other (ratio at least `NEAR_MATCH`: "considers"/"considered",
"plans"/"plan") counts as that word.  Afterwards a sentence left unmatched
joins a neighbouring bead, and sentences move across bead boundaries, when that
costs less (a KJV sentence is up to six WEB sentences).  Where a text is lost (a
fragment's start or end), skipped sentences cost only `LOST_SKIP` and the
sentence at the break pays no length cost.

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
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import regex
from rapidfuzz import fuzz, process

from .align import STOPWORDS
from .beads import Bead, Lost4, Side, bead_cost, program, refine, unique_words
from .model import Lost
from .normalize import normalizer
from .sentences import Sentence, sentences

NEAR_MATCH = 80.0
"""Least RapidFuzz ratio for two different content words to count as one."""

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

WORD = regex.compile(r"[\w\p{M}]+(?:['’\-‐‑][\w\p{M}]+)*")
_PART = regex.compile(r"[\w\p{M}]+(?:['’][\w\p{M}]+)*")
_PART_NO_MARKS = re.compile(r"\w+(?:['’]\w+)*")
"""`_PART` for a text without combining marks, where the two agree: much faster per call."""
_MARK = regex.compile(r"\p{M}")
_ORDINAL = regex.compile(r"(\d+)(?:st|nd|rd|th|d)?")
_FOLD = normalizer("orthographic")
_NOTHING = frozenset([""])


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
    A word is compared only with the targets that share its first two or its last two
    letters and differ in length by at most two (a variant rarely changes both ends, or
    the length by more: "Easter"/"Eastern", "considers"/"considered"; this keeps long
    texts fast).

    >>> near_matches(["considers", "plans", "war", "1943"], ["considered", "plan", "was", "1942"])
    {'considers': 'considered', 'plans': 'plan'}
    """
    queries = sorted(w for w in set(words) if w not in targets and len(w) >= 4 and not w.isdigit())
    keys = {"<" + w[:2] for w in queries} | {">" + w[-2:] for w in queries}
    blocks: dict[tuple[str, int], list[str]] = {}
    for t in sorted(targets):  # only the blocks some query will look in
        if len(t) >= 4 and not t.isdigit():
            for key in ("<" + t[:2], ">" + t[-2:]):
                if key in keys:
                    blocks.setdefault((key, len(t)), []).append(t)
    slack = (100 - cutoff) / (100 + cutoff)  # ratio >= cutoff allows |la - lb| <= slack * (la + lb)
    found: dict[str, str] = {}
    for word in queries:
        n = len(word)
        lengths = range(max(math.ceil(n * (1 - slack) / (1 + slack)), n - 2), min(math.floor(n * (1 + slack) / (1 - slack)), n + 2) + 1)
        choices = [t for key in ("<" + word[:2], ">" + word[-2:]) for size in lengths for t in blocks.get((key, size), ())]
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff) if choices else None
        if best is not None:
            found[word] = best[0]
    return found


@dataclass(frozen=True, slots=True)
class Prepared:
    """A text made ready for sentence alignment: its sentences, and for each its content
    words and its length in non-space characters.

    >>> p = prepare("We met Mr. Churchill. He said no.")
    >>> [sorted(w) for w in p.words], p.lengths
    ([['churchill', 'met', 'mr'], ['said']], (18, 9))
    """

    text: str
    sentences: tuple[Sentence, ...]
    words: tuple[frozenset[str], ...]
    lengths: tuple[int, ...]


def prepare(text: str) -> Prepared:
    segs = sentences(text)
    chunks = [text[s.start : s.end] for s in segs]
    part = _PART if _MARK.search(text) else _PART_NO_MARKS
    found = [part.findall(c) for c in chunks]
    fold = {w: content_word(w) for w in set().union(*found)}  # each distinct word folded once
    fold[""] = ""
    words = tuple([frozenset(map(fold.__getitem__, ws)) - _NOTHING for ws in found])
    return Prepared(text, segs, words, tuple(len("".join(c.split())) for c in chunks))


def sides(base: Prepared, *others: Prepared) -> tuple[Side, tuple[Side, ...], dict[str, str]]:
    """The base's and each other text's `Side`, and the near matches they share: a word
    of another text that nearly matches a base word counts as that word.  Computed
    once for all the texts aligned with one base."""
    base_vocab = set().union(*base.words)
    near = near_matches(set().union(*(w for o in others for w in o.words)), base_vocab)
    base_side = Side(base.lengths, base.words, unique_words(base.words))
    other_sides = []
    for o in others:
        words = tuple([ws if ws.isdisjoint(near) else frozenset([near.get(w, w) for w in ws]) for ws in o.words])
        other_sides.append(Side(o.lengths, words, unique_words(words)))
    return base_side, tuple(other_sides), near


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

    >>> w = lambda *words: frozenset(words)
    >>> anchors(Side((1, 1, 1), (w("war"), w("front"), w("molotov"))), Side((1, 1), (w("front", "molotov"), w("war"))))
    [(1, 0), (2, 0)]
    """
    where_a = a.unique if a.unique is not None else unique_words(a.words)
    where_b = b.unique if b.unique is not None else unique_words(b.words)
    pairs = sorted({(where_a[x], j) for x, j in where_b.items() if x in where_a})
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
    longest: list[tuple[int, int]] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        longest.append(pairs[k])
        k = back[k]
    return longest[::-1]


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
            cell = ((r0 + t, r0 + t + 1), (c0 + t, c0 + t + 1))
            beads.append(Bead(*cell, bead_cost(a, b, *cell, ratio)))
        i0, j0 = r0 + length - 1, c0 + length - 1
    edges = (Lost.START in base_lost, Lost.END in base_lost, Lost.START in other_lost, Lost.END in other_lost)
    return refine(beads, a, b, ratio, edges)


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
    pa, pb = [0, *accumulate(a.lengths)], [0, *accumulate(b.lengths)]
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

