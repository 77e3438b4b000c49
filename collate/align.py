"""Alignment: the tokens of several witnesses become a table of columns.

The fast engine works in three steps, each near-linear for related texts:

1. **Pivot.**  The complete witness most similar to all the others (the
   overlap of their bags of normalized tokens) is the spine; ties go to the smaller siglum, so the result never depends on the
   order in which the witnesses are given.
2. **Pairwise alignment** of every other witness with the pivot.  Words that
   occur exactly once in both texts, are not punctuation and are not very
   common words are anchors (patience diff); their longest increasing
   subsequence fixes the correspondence, recursively inside each gap.  What
   is left between anchors is small and is aligned by a weighted dynamic
   program in which a rare word outweighs a common word, a common word
   outweighs punctuation, and a near match (Easter/Eastern, 192/1942, scored
   by RapidFuzz) counts for less than an exact one.  Unmatched words between
   two matches share columns as substitutions.
3. **Merge.**  Each witness's tokens land in its pivot token's column; words
   that several witnesses add at the same place are aligned with each other.

Afterwards, words that two witnesses have in a different order a few columns
apart are recorded as `Transposition`\\ s.

``engine="collatex"`` runs CollateX itself on the same tokens instead.

>>> from collate.model import Witness
>>> a = align([Witness("A", "the Easter front"), Witness("B", "the Eastern front")])
>>> [[c[0].word if c else None for c in col] for col in a.columns]
[['the', 'the'], ['Easter', 'Eastern'], ['front', 'front']]
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .model import Alignment, Cell, Token, TokenKind, Transposition, Witness
from .normalize import americanize, fold_diacritics
from .tokenize import GAP_MARKS, tokenize

FUZZY_CUTOFF = 80.0
"""Least RapidFuzz ratio (0-100) for two different words to count as a near match."""

DP_LIMIT = 60_000
"""Largest gap (cells of the dynamic-programming table) aligned exactly; larger
gaps are first cut by a bit-parallel longest common subsequence."""

TRANSPOSITION_WINDOW = 8
"""How many columns apart a word may stand in two witnesses to count as moved."""

COMMON_WORD_WINDOW = 3
"""How many shared words a very common word may jump over to count as moved
(it recurs too often to trust from afar, or without words both share between)."""

PARTIAL_SHARE = 0.5
"""A witness with fewer words than this share of the others' (their median)
covers clearly less of the text than they do: it is aligned as a partial
witness, its coverage found (`collate.coverage`), as for a declared fragment."""

_WORDS = (TokenKind.WORD, TokenKind.NUMBER)

STOPWORDS = frozenset(
    "a an and are as at be been but by for from had has have he her his i if in into is it its "
    "my no not of on or our she so than that the their them then there these they this those to "
    "us was we were what when which who will with would you your".split()
)
"""Very common English words: they never anchor an alignment and weigh little."""

Pair = tuple[int | None, int | None]


def align(
    witnesses: Sequence[Witness],
    *,
    normalization: str = "exact",
    engine: str = "fast",
    gap_marks: tuple[str, ...] = GAP_MARKS,
    partial_share: float | None = PARTIAL_SHARE,
) -> Alignment:
    """Align ``witnesses`` into columns of cells (one cell per witness).

    A partial witness (`collate.partial`) is placed by its coverage: its
    lost text, stated, marked (``gap_marks``) or found, pairs with nothing.
    A witness is partial when it is declared a fragment, states losses or
    carries gap marks, or has fewer words than ``partial_share`` of the
    others' (None: only declared ones).

    >>> from collate.model import Witness
    >>> a = align([Witness("web", "on August 12th of"), Witness("frus", "on the 12th August of")])
    >>> [(t.sigla, t.words) for t in a.transpositions]
    [(('frus', 'web'), ('12th',))]
    """
    from .partial import plan  # partial builds on this module

    if not witnesses:
        raise ValueError("nothing to align: no witnesses")
    if engine not in ("fast", "collatex"):
        raise ValueError(f"unknown engine {engine!r} (choose fast or collatex)")
    tokens = tuple(tokenize(w.text, normalization=normalization, gap_marks=gap_marks) for w in witnesses)
    placed = plan(witnesses, tokens, place_text=engine == "fast", partial_share=partial_share)
    if engine == "collatex":
        from .collatex_engine import align_collatex

        columns = align_collatex([w.siglum for w in witnesses], tokens)
    else:
        columns = align_tokens(tokens, [w.siglum for w in witnesses], fragments=placed.partial, pairs=placed.pairs)
    return Alignment(
        witnesses=tuple(witnesses),
        tokens=tokens,
        columns=columns,
        transpositions=find_transpositions(columns, [w.siglum for w in witnesses]),
        normalization=normalization,
        engine=engine,
        losses=placed.losses,
    )


# ---------------------------------------------------------------- weights


def weight(tok: Token) -> float:
    """How much matching this token is worth: rare words most, punctuation least.

    >>> from collate.tokenize import tokenize
    >>> [weight(t) for t in tokenize("the Eastern front, 1942")]
    [1.0, 4.0, 3.0, 0.3, 4.0]
    """
    if tok.kind is TokenKind.PUNCTUATION or not tok.n:
        return 0.3
    if tok.n.casefold() in STOPWORDS:
        return 1.0
    return 4.0 if len(tok.n) > 5 or tok.kind is TokenKind.NUMBER else 3.0


def near_match(a: Token, b: Token) -> float:
    """RapidFuzz ratio of two different words, or 0 below `FUZZY_CUTOFF`.

    >>> from collate.tokenize import tokenize
    >>> e, en, x = tokenize("Easter Eastern front")
    >>> round(near_match(e, en)), near_match(e, x)
    (92, 0.0)
    """
    if a.kind is TokenKind.PUNCTUATION or b.kind is TokenKind.PUNCTUATION:
        return 0.0
    if min(len(a.n), len(b.n)) < 3 and not (a.kind is TokenKind.NUMBER and b.kind is TokenKind.NUMBER):
        return 0.0
    return float(fuzz.ratio(a.n.casefold(), b.n.casefold(), score_cutoff=FUZZY_CUTOFF))


# ---------------------------------------------------------------- pairwise


def align_pair(a: Sequence[Token], b: Sequence[Token]) -> list[Pair]:
    """Align two token sequences: pairs of indices, None for a gap, in text order.

    Every index of ``a`` and of ``b`` appears exactly once.

    >>> from collate.tokenize import tokenize
    >>> align_pair(tokenize("in as much as"), tokenize("inasmuch as"))
    [(0, 0), (1, None), (2, None), (3, 1)]
    """
    matches: list[tuple[int, int]] = []
    _anchor(a, b, 0, len(a), 0, len(b), matches)
    return _fill(matches, len(a), len(b))


def _anchor(a: Sequence[Token], b: Sequence[Token], a0: int, a1: int, b0: int, b1: int, out: list[tuple[int, int]]) -> None:
    """Patience diff: anchor on unique rare words, recurse into the gaps."""
    if a0 >= a1 or b0 >= b1:
        return
    # Shared prefix and suffix first: cheap, and common for related witnesses.
    while a0 < a1 and b0 < b1 and a[a0].n == b[b0].n:
        out.append((a0, b0))
        a0, b0 = a0 + 1, b0 + 1
    tail: list[tuple[int, int]] = []
    while a0 < a1 and b0 < b1 and a[a1 - 1].n == b[b1 - 1].n:
        a1, b1 = a1 - 1, b1 - 1
        tail.append((a1, b1))
    if a0 < a1 and b0 < b1:
        anchors = _unique_anchors(a, b, a0, a1, b0, b1)
        if anchors:
            prev_a, prev_b = a0, b0
            for i, j in anchors:
                _anchor(a, b, prev_a, i, prev_b, j, out)
                out.append((i, j))
                prev_a, prev_b = i + 1, j + 1
            _anchor(a, b, prev_a, a1, prev_b, b1, out)
        else:
            _gap(a, b, a0, a1, b0, b1, out)
    out.extend(reversed(tail))


def _unique_anchors(a: Sequence[Token], b: Sequence[Token], a0: int, a1: int, b0: int, b1: int) -> list[tuple[int, int]]:
    """Rare words found once on each side, in the longest order-preserving chain."""
    count_a = Counter(a[i].n for i in range(a0, a1))
    count_b = Counter(b[j].n for j in range(b0, b1))
    where_b = {b[j].n: j for j in range(b0, b1) if count_b[b[j].n] == 1}
    candidates = [
        (i, where_b[a[i].n])
        for i in range(a0, a1)
        if count_a[a[i].n] == 1 and a[i].n in where_b and _can_anchor(a[i])
    ]
    return _longest_increasing(candidates)


def _can_anchor(tok: Token) -> bool:
    """A content word: not punctuation, not empty, not a very common word."""
    return tok.kind is not TokenKind.PUNCTUATION and tok.kind is not TokenKind.SPACE and _content(tok.n)


@lru_cache(maxsize=65536)
def _content(n: str) -> bool:
    return bool(n) and n.casefold() not in STOPWORDS


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of ``pairs`` (sorted by first) increasing in second.

    >>> _longest_increasing([(0, 2), (1, 0), (2, 1), (3, 3)])
    [(1, 0), (2, 1), (3, 3)]
    """
    tails: list[int] = []
    tail_idx: list[int] = []
    back: list[int] = []
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(k)
        else:
            tails[pos] = j
            tail_idx[pos] = k
        back.append(tail_idx[pos - 1] if pos else -1)
    chain: list[tuple[int, int]] = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


def _gap(a: Sequence[Token], b: Sequence[Token], a0: int, a1: int, b0: int, b1: int, out: list[tuple[int, int]]) -> None:
    """Align a gap without unique anchors.

    Content words go first: their best matching fixes the frame, and common
    words and punctuation are matched only inside the spaces it leaves, so a
    stray "the" or comma never pulls words out of place.
    """
    if (a1 - a0) * (b1 - b0) <= DP_LIMIT:
        ia = [i for i in range(a0, a1) if _can_anchor(a[i])]
        ib = [j for j in range(b0, b1) if _can_anchor(b[j])]
        frame = _weighted_dp(a, b, ia, ib) if ia and ib else []
        prev_a, prev_b = a0, b0
        for i, j in [*frame, (a1, b1)]:
            if prev_a < i and prev_b < j:
                out.extend(_weighted_dp(a, b, list(range(prev_a, i)), list(range(prev_b, j))))
            if i < a1:
                out.append((i, j))
            prev_a, prev_b = i + 1, j + 1
        return
    # Too large for the exact program: a bit-parallel LCS of the normalized
    # tokens cuts it into small blocks, each then aligned exactly.
    ops = Indel.opcodes([t.n for t in a[a0:a1]], [t.n for t in b[b0:b1]])
    for op in ops:
        if op.tag == "equal":
            out.extend((a0 + op.src_start + k, b0 + op.dest_start + k) for k in range(op.src_end - op.src_start))
        elif op.src_end > op.src_start and op.dest_end > op.dest_start:
            _gap(a, b, a0 + op.src_start, a0 + op.src_end, b0 + op.dest_start, b0 + op.dest_end, out)


def _weighted_dp(a: Sequence[Token], b: Sequence[Token], ia: Sequence[int], ib: Sequence[int]) -> list[tuple[int, int]]:
    """Heaviest order-preserving matching of the tokens a[ia] with b[ib].

    An exact match is worth the token's weight, a near match 0.8 of it scaled
    by similarity; gaps cost nothing.
    """
    m, n = len(ia), len(ib)
    wa = [weight(a[i]) for i in ia]
    wb = [weight(b[j]) for j in ib]
    score = [[0.0] * (n + 1) for _ in range(m + 1)]
    move = [bytearray(n + 1) for _ in range(m + 1)]  # 0 diag-match, 1 up, 2 left
    for i in range(1, m + 1):
        ta = a[ia[i - 1]]
        row, prev, mv = score[i], score[i - 1], move[i]
        for j in range(1, n + 1):
            tb = b[ib[j - 1]]
            best, how = prev[j], 1
            if row[j - 1] > best:
                best, how = row[j - 1], 2
            if ta.n == tb.n:
                gain = min(wa[i - 1], wb[j - 1])
            else:
                sim = near_match(ta, tb)
                gain = min(wa[i - 1], wb[j - 1]) * 0.8 * sim / 100.0 if sim else 0.0
            if gain and prev[j - 1] + gain > best:
                best, how = prev[j - 1] + gain, 0
            row[j], mv[j] = best, how
        mv[0] = 1
    move[0] = bytearray([2] * (n + 1))
    pairs: list[tuple[int, int]] = []
    i, j = m, n
    while i > 0 and j > 0:
        how = move[i][j]
        if how == 0:
            pairs.append((ia[i - 1], ib[j - 1]))
            i, j = i - 1, j - 1
        elif how == 1:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def _fill(matches: list[tuple[int, int]], len_a: int, len_b: int) -> list[Pair]:
    """Matches plus every unmatched index; unmatched runs between two matches
    share columns (substitutions), the longer run's excess becoming gaps."""
    pairs: list[Pair] = []
    i = j = 0
    for mi, mj in [*matches, (len_a, len_b)]:
        run_a, run_b = list(range(i, mi)), list(range(j, mj))
        for k in range(max(len(run_a), len(run_b))):
            pairs.append((run_a[k] if k < len(run_a) else None, run_b[k] if k < len(run_b) else None))
        if mi < len_a:
            pairs.append((mi, mj))
        i, j = mi + 1, mj + 1
    return pairs


# ---------------------------------------------------------------- multi


def align_tokens(
    tokens: Sequence[Sequence[Token]],
    sigla: Sequence[str],
    *,
    fragments: Sequence[bool] = (),
    pairs: Sequence[Sequence[Pair] | None] = (),
) -> tuple[tuple[Cell, ...], ...]:
    """Columns of cells (in the given witness order) for several token lists.

    ``fragments`` says which witnesses are fragments or otherwise partial
    (none, by default); ``pairs`` may give a witness's pairs with the spine
    already (`collate.partial.plan` places partial witnesses so).
    """
    count = len(tokens)
    order = sorted(range(count), key=lambda w: sigla[w])  # canonical order
    if count == 1:
        return tuple((( tok,),) for tok in tokens[0])
    pivot = _pivot(tokens, order, fragments or [False] * count)
    spine = tokens[pivot]
    # slots[w][k]: witness w's token in pivot column k; inserts[w][k]: its tokens before pivot token k.
    slots: dict[int, list[int | None]] = {}
    inserts: dict[int, list[list[int]]] = {}
    for w in order:
        if w == pivot:
            continue
        slot: list[int | None] = [None] * len(spine)
        ins: list[list[int]] = [[] for _ in range(len(spine) + 1)]
        k = 0
        given = pairs[w] if pairs else None
        for i, j in given if given is not None else align_pair(spine, tokens[w]):
            if i is None:
                assert j is not None
                ins[k].append(j)
            else:
                slot[i] = j
                k = i + 1
        slots[w], inserts[w] = slot, ins
    columns: list[tuple[Cell, ...]] = []
    for k in range(len(spine) + 1):
        columns.extend(_merge_inserts(tokens, order, pivot, [inserts[w][k] for w in order if w != pivot]))
        if k < len(spine):
            cells: list[Cell] = [None] * count
            cells[pivot] = (spine[k],)
            for w, slot in slots.items():
                j = slot[k]
                cells[w] = (tokens[w][j],) if j is not None else None
            columns.append(tuple(cells))
    return _join_split_words(columns)


SPLIT_SPAN = 3
"""Most columns one split word may cover ("in as much" / "inasmuch")."""


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
    out: list[tuple[Cell, ...]] = []
    c = 0
    while c < len(columns):
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


def _pivot(tokens: Sequence[Sequence[Token]], order: Sequence[int], fragments: Sequence[bool]) -> int:
    """The complete witness with the greatest summed similarity to the others
    (a fragment only if all are): text a fragment lacks then still has a spine.

    Similarity here is the overlap of the two bags of normalized tokens
    (2 * shared / total), linear in the length of the texts.
    """
    bags = [Counter(t.n for t in toks) for toks in tokens]
    sizes = [len(toks) for toks in tokens]
    total = dict.fromkeys(order, 0.0)
    for x in order:
        for y in order:
            if x < y and sizes[x] + sizes[y]:
                small, large = sorted((bags[x], bags[y]), key=len)
                shared = sum(min(k, large[n]) for n, k in small.items())
                sim = 2 * shared / (sizes[x] + sizes[y])
                total[x] += sim
                total[y] += sim
    return max(order, key=lambda w: (not fragments[w], total[w]))  # the first of equals: the smallest siglum


def _merge_inserts(
    tokens: Sequence[Sequence[Token]], order: Sequence[int], pivot: int, runs: list[list[int]]
) -> list[tuple[Cell, ...]]:
    """Align the words that several witnesses add at one place with each other."""
    others = [w for w in order if w != pivot]
    count = len(tokens)
    table: list[list[int | None]] = []  # rows: sub-columns; entries per position in `others`
    for pos, run in enumerate(runs):
        if not run:
            continue
        if not table:
            for j in run:
                row: list[int | None] = [None] * len(others)
                row[pos] = j
                table.append(row)
            continue
        reps = [_representative(tokens, others, row) for row in table]
        new_toks = [tokens[others[pos]][j] for j in run]
        merged: list[list[int | None]] = []
        for ri, ni in align_pair(reps, new_toks):
            if ri is None:
                assert ni is not None
                row = [None] * len(others)
                row[pos] = run[ni]
                merged.append(row)
            else:
                row = table[ri]
                if ni is not None:
                    row[pos] = run[ni]
                merged.append(row)
        table = merged
    out: list[tuple[Cell, ...]] = []
    for row in table:
        cells: list[Cell] = [None] * count
        for pos, k in enumerate(row):
            if k is not None:
                cells[others[pos]] = (tokens[others[pos]][k],)
        out.append(tuple(cells))
    return out


def _representative(tokens: Sequence[Sequence[Token]], others: Sequence[int], row: Sequence[int | None]) -> Token:
    for pos, j in enumerate(row):
        if j is not None:
            return tokens[others[pos]][j]
    raise AssertionError("empty insertion column")  # pragma: no cover


# ---------------------------------------------------------------- transpositions


@lru_cache(maxsize=65536)
def _fold_spelling(word: str) -> str:
    """A word with case, diacritics and British spelling folded: moved words
    are recognised even when one witness also spells them differently."""
    return americanize(fold_diacritics(word.casefold()))


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
    # keys[w][c]: witness w's words in column c, folded; words[w][c]: as written
    keys: list[list[tuple[str, ...]]] = []
    words: list[list[tuple[str, ...]]] = []
    for w in range(count):
        cells = [[t for t in col[w] or () if t.kind in _WORDS and t.n] for col in columns]
        keys.append([tuple(_fold_spelling(t.n) for t in cell) for cell in cells])
        words.append([tuple(t.word for t in cell) for cell in cells])
    found: list[Transposition] = []
    order = sorted(range(count), key=lambda w: sigla[w])
    for xi, x in enumerate(order):
        for y in order[xi + 1 :]:
            kx, ky = keys[x], keys[y]
            loose_x: list[tuple[int, str, str]] = []
            loose_y: dict[str, list[int]] = {}
            for c in range(len(columns)):
                if kx[c] == ky[c]:
                    continue
                loose_x.extend((c, k, word) for k, word in zip(kx[c], words[x][c]) if k not in ky[c])
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
            for first, last, word in sorted(spans):
                if found and found[-1].sigla == (sigla[x], sigla[y]) and first <= found[-1].last:
                    prev = found.pop()
                    found.append(Transposition(prev.sigla, prev.first, max(prev.last, last), (*prev.words, word)))
                else:
                    found.append(Transposition((sigla[x], sigla[y]), first, last, (word,)))
    return tuple(found)
