"""Alignment: the tokens of several witnesses become a table of columns.

The fast engine works in four steps, each near-linear in the length of the
texts and in the number of witnesses for related texts:

1. **Spine.**  The complete witness most similar to all the others (the
   overlap of their bags of normalized tokens) is the spine; ties go to the
   smaller siglum, so the result never depends on the order in which the
   witnesses are given.
2. **Pairwise alignment** of every other witness with the spine
   (`collate.pairwise`): anchors on words and short runs found once on each
   side, a bit-parallel edit script where nothing is unique, a weighted
   program for the small stretches left, near matches (Easter/Eastern,
   192/1942) counting for less than exact ones.  Where two readings tie, the
   one more witnesses share wins.
3. **Merge.**  Each witness's matched tokens land in their spine token's
   column.  What a witness has unmatched between two matches is aligned with
   the columns there, the other witnesses' readings included, so that two
   witnesses agreeing against the spine share a column; what still matches
   nothing then fills, from the left, columns where that witness is empty
   (a substitution), or gets columns of its own (an addition).
4. **Transpositions** (`collate.transpositions`): words two witnesses have
   in a different order a few columns apart are recorded beside the table.

``engine=Engine.COLLATEX`` (or ``"collatex"``) runs CollateX itself on the same tokens.

>>> from collate.model import Witness
>>> a = align([Witness("A", "the Easter front"), Witness("B", "the Eastern front")])
>>> [[c[0].word if c else None for c in col] for col in a.columns]
[['the', 'the'], ['Easter', 'Eastern'], ['front', 'front']]
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from enum import StrEnum

from .model import Alignment, Cell, Token, TokenKind, Witness
from .normalize import fold_diacritics
from .pairwise import (
    DP_LIMIT,
    FUZZY_CUTOFF,
    NEAR_MATCH_FACTOR,
    STOPWORDS,
    WEIGHTS,
    Pairer,
    Vocabulary,
    Weights,
    align_pair,
    near_ratio,
)
from .tokenize import tokenize
from .transpositions import COMMON_WORD_WINDOW, TRANSPOSITION_WINDOW, find_transpositions

__all__ = [
    "Engine",
    "Weights",
    "WEIGHTS",
    "FUZZY_CUTOFF",
    "NEAR_MATCH_FACTOR",
    "STOPWORDS",
    "TRANSPOSITION_WINDOW",
    "COMMON_WORD_WINDOW",
    "SPLIT_SPAN",
    "align",
    "align_pair",
    "align_tokens",
    "find_transpositions",
    "near_match",
    "weight",
]


class Engine(StrEnum):
    """Which aligner to run: ours, or CollateX on the same tokens."""

    FAST = "fast"
    COLLATEX = "collatex"


SPLIT_SPAN = 3
"""Most columns one split word may cover ("in as much" / "inasmuch")."""


def align(
    witnesses: Sequence[Witness],
    *,
    normalization: str = "exact",
    engine: Engine | str = Engine.FAST,
    weights: Weights = WEIGHTS,
    score_cutoff: float = FUZZY_CUTOFF,
) -> Alignment:
    """Align ``witnesses`` into columns of cells (one cell per witness).

    ``weights`` says what matching each kind of token is worth (`Weights`);
    ``score_cutoff`` is the least RapidFuzz ratio (0-100) for two different
    words to be a near match.  Both apply to the fast engine.

    >>> from collate.model import Witness
    >>> a = align([Witness("web", "on August 12th of"), Witness("frus", "on the 12th August of")])
    >>> [(t.sigla, t.words) for t in a.transpositions]
    [(('frus', 'web'), ('August',))]
    >>> align([Witness("A", "x")], engine="juxta")
    Traceback (most recent call last):
    ...
    ValueError: unknown engine 'juxta' (choose fast or collatex)
    """
    try:
        chosen = Engine(engine)
    except ValueError:
        raise ValueError(f"unknown engine {engine!r} (choose {' or '.join(Engine)})") from None
    if not witnesses:
        raise ValueError("nothing to align: no witnesses")
    tokens = tuple(tokenize(w.text, normalization=normalization) for w in witnesses)
    sigla = [w.siglum for w in witnesses]
    if chosen is Engine.COLLATEX:
        from .collatex_engine import align_collatex

        columns = align_collatex(sigla, tokens)
    else:
        columns = align_tokens(
            tokens, sigla, fragments=[w.meta.is_fragment for w in witnesses], weights=weights, score_cutoff=score_cutoff
        )
    return Alignment(
        witnesses=tuple(witnesses),
        tokens=tokens,
        columns=columns,
        transpositions=find_transpositions(columns, sigla),
        normalization=normalization,
        engine=chosen,
    )


def weight(tok: Token, weights: Weights = WEIGHTS) -> float:
    """How much matching this token is worth: rare words most, punctuation least.

    >>> from collate.tokenize import tokenize
    >>> [weight(t) for t in tokenize("the Eastern front, 1942")]
    [1.0, 4.0, 3.0, 0.3, 4.0]
    """
    vocab = Vocabulary(weights)
    return vocab.weight[vocab.encode([tok])[0]]


def near_match(a: Token, b: Token, *, score_cutoff: float = FUZZY_CUTOFF) -> float:
    """RapidFuzz ratio of two different words, or 0 below ``score_cutoff``.

    >>> from collate.tokenize import tokenize
    >>> e, en, x = tokenize("Easter Eastern front")
    >>> round(near_match(e, en)), near_match(e, x)
    (92, 0.0)
    """
    vocab = Vocabulary()
    x, y = vocab.encode([a, b])
    return near_ratio(vocab, x, y, score_cutoff)


# ---------------------------------------------------------------- several witnesses


def align_tokens(
    tokens: Sequence[Sequence[Token]],
    sigla: Sequence[str],
    *,
    fragments: Sequence[bool] = (),
    weights: Weights = WEIGHTS,
    score_cutoff: float = FUZZY_CUTOFF,
) -> tuple[tuple[Cell, ...], ...]:
    """Columns of cells (in the given witness order) for several token lists.

    ``fragments`` says which witnesses are fragments (none, by default).

    >>> from collate.tokenize import tokenize
    >>> cols = align_tokens([tokenize(t) for t in ("a b c d e f", "x y z d e", "a b x y z")], "ABC")
    >>> [" ".join(c[0].word if c else "-" for c in col) for col in cols]
    ['a - a', 'b - b', 'c x x', '- y y', '- z z', 'd d -', 'e e -', 'f - -']
    """
    count = len(tokens)
    if count == 1:
        return tuple(((tok,),) for tok in tokens[0])
    order = sorted(range(count), key=lambda w: sigla[w])  # canonical order
    vocab = Vocabulary(weights)
    ids = [vocab.encode(toks) for toks in tokens]
    pivot = _pivot(tokens, order, fragments or [False] * count)
    spine = ids[pivot]
    support = _support(vocab, ids, pivot)
    others = [w for w in order if w != pivot]
    matches = {w: Pairer(vocab, spine, ids[w], score_cutoff=score_cutoff, support=support).matches() for w in others}
    merged = _Merge(tokens, ids, vocab, pivot, others, score_cutoff).columns(matches)
    return _join_split_words(merged)


def _support(vocab: Vocabulary, ids: Sequence[Sequence[int]], pivot: int) -> list[float]:
    """For each spine token, the share of witnesses that have its word somewhere:
    the tie-breaker that lets a third witness decide between two equally good
    alignments of a pair.  Words are compared case-folded and without
    diacritics, numbers by their digits (12 and 12th are one number)."""
    keys = [_support_key(vocab, x) for x in range(len(vocab))]
    shared = Counter(k for seq in ids for k in {keys[x] for x in seq})
    return [shared[keys[x]] / len(ids) for x in ids[pivot]]


def _support_key(vocab: Vocabulary, x: int) -> str:
    text = vocab.text[x]
    if vocab.number[x]:
        return "".join(ch for ch in text if ch.isdigit()) or text
    return fold_diacritics(text)


def _pivot(tokens: Sequence[Sequence[Token]], order: Sequence[int], fragments: Sequence[bool]) -> int:
    """The complete witness most similar to the others (a fragment only if all
    are): text a fragment lacks then still has a spine.

    A witness's similarity to the others is twice the tokens it shares with
    them (bags of normalized tokens, each other witness counted apart) over
    the tokens of both sides: computed per word from the sorted counts, in
    time near-linear in the number of witnesses.
    """
    count = len(tokens)
    bags = [Counter(t.n for t in toks) for toks in tokens]
    sizes = [len(toks) for toks in tokens]
    holders: dict[str, list[int]] = {}
    for bag in bags:
        for n, k in bag.items():
            holders.setdefault(n, []).append(k)
    below: dict[str, tuple[list[int], list[int]]] = {}
    for n, ks in holders.items():
        ks.sort()
        sums = [0]
        for k in ks:
            sums.append(sums[-1] + k)
        below[n] = (ks, sums)
    total_size = sum(sizes)
    score: dict[int, float] = {}
    for w in order:
        shared = 0
        for n, k in bags[w].items():
            ks, sums = below[n]
            at = bisect_left(ks, k)
            shared += sums[at] + k * (len(ks) - at) - k  # sum over others of min(k, theirs)
        pair_sizes = sizes[w] * (count - 1) + total_size - sizes[w]
        score[w] = 2 * shared / pair_sizes if pair_sizes else 0.0
    return max(order, key=lambda w: (not fragments[w], score[w]))  # the first of equals: the smallest siglum


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


class _Merge:
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


# ---------------------------------------------------------------- split words


def _join_split_words(columns: Sequence[tuple[Cell, ...]]) -> tuple[tuple[Cell, ...], ...]:
    """Put a word and its split form in one column.

    Where one witness has a single word in two or three neighbouring columns
    ("inasmuch") and another has words in all of them that join up to it
    ("in as much"), the columns become one, each cell holding all its
    witness's tokens there.

    >>> from collate.tokenize import tokenize
    >>> a, b = tokenize("in as much as"), tokenize("inasmuch as")
    >>> cols = [((a[0],), (b[0],)), ((a[1],), None), ((a[2],), None), ((a[3],), (b[1],))]
    >>> [[len(cell or ()) for cell in col] for col in _join_split_words(cols)]
    [[3, 1], [1, 1]]
    """
    gaps = [any(cell is None for cell in col) for col in columns]
    masks = [sum(1 << w for w, cell in enumerate(col) if cell) for col in columns]
    last = len(columns) - 1
    out: list[tuple[Cell, ...]] = []
    c = 0
    while c < len(columns):
        if c == last or masks[c] == masks[c + 1] and (c + 1 == last or masks[c + 1] == masks[c + 2]):
            out.append(columns[c])  # the same witnesses throughout: no word is split here
            c += 1
            continue
        for span in range(SPLIT_SPAN, 1, -1):
            window = columns[c : c + span]
            # the whole word leaves gaps in all the window's columns but one
            if len(window) == span and sum(gaps[c : c + span]) >= span - 1 and _is_split(window):
                out.append(tuple(_concat(col[w] for col in window) for w in range(len(window[0]))))
                c += span
                break
        else:
            out.append(columns[c])
            c += 1
    return tuple(out)


_WORDS = (TokenKind.WORD, TokenKind.NUMBER)


def _is_split(window: Sequence[tuple[Cell, ...]]) -> bool:
    whole: set[str] = set()
    parts: set[str] = set()
    for w in range(len(window[0])):
        cells = [col[w] for col in window]
        present = [cell for cell in cells if cell]
        if not present or any(t.kind not in _WORDS for cell in present for t in cell):
            continue
        joined = "".join(t.word for cell in present for t in cell).casefold()
        if len(present) == len(window):
            parts.add(joined)
        elif len(present) == 1 and len(present[0]) == 1:
            whole.add(joined)
    return bool(whole & parts)


def _concat(cells: Iterable[Cell]) -> Cell:
    tokens = tuple(t for cell in cells if cell for t in cell)
    return tokens or None
