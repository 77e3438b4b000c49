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

import gc
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum

from .model import Alignment, Cell, Token, TokenKind, Witness
from .normalize import fold_diacritics
from .merge import Merge
from .pairwise import Pair, Pairer, align_pair
from .vocabulary import FUZZY_CUTOFF, NEAR_MATCH_FACTOR, STOPWORDS, WEIGHTS, Vocabulary, Weights, near_ratio
from .tokenize import GAP_MARKS, tokenize
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
    "PARTIAL_SHARE",
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

PARTIAL_SHARE = 0.5
"""A witness with fewer words than this share of the others' (their median)
covers clearly less of the text than they do: it is aligned as a partial
witness, its coverage found (`collate.coverage`), as for a declared fragment."""


def align(
    witnesses: Sequence[Witness],
    *,
    normalization: str = "exact",
    engine: Engine | str = Engine.FAST,
    weights: Weights = WEIGHTS,
    score_cutoff: float = FUZZY_CUTOFF,
    gap_marks: tuple[str, ...] = GAP_MARKS,
    partial_share: float | None = PARTIAL_SHARE,
    progress: Callable[[int, int], None] | None = None,
) -> Alignment:
    """Align ``witnesses`` into columns of cells (one cell per witness).

    ``weights`` says what matching each kind of token is worth (`Weights`);
    ``score_cutoff`` is the least RapidFuzz ratio (0-100) for two different
    words to be a near match.  Both apply to the fast engine.

    A partial witness (`collate.partial`) is placed by its coverage: its
    lost text, stated, marked (``gap_marks``) or found, pairs with nothing.
    A witness is partial when it is declared a fragment, states losses or
    carries gap marks, or has fewer words than ``partial_share`` of the
    others' (None: only declared ones).  ``progress(done, total)``, if
    given, is told as each witness is aligned with the spine.

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
    from .partial import plan  # partial builds on this module

    if not witnesses:
        raise ValueError("nothing to align: no witnesses")
    sigla = [w.siglum for w in witnesses]
    with _no_cyclic_gc():  # millions of small tuples, no cycles: collections would only rescan them
        tokens = tuple(tokenize(w.text, normalization=normalization, gap_marks=gap_marks) for w in witnesses)
        placed = plan(witnesses, tokens, place_text=chosen is Engine.FAST, partial_share=partial_share)
        if chosen is Engine.COLLATEX:
            from .collatex_engine import align_collatex

            columns = align_collatex(sigla, tokens)
        else:
            columns = align_tokens(
                tokens,
                sigla,
                fragments=placed.partial,
                pairs=placed.pairs,
                weights=weights,
                score_cutoff=score_cutoff,
                progress=progress,
            )
        transpositions = find_transpositions(columns, sigla)
    return Alignment(
        witnesses=tuple(witnesses),
        tokens=tokens,
        columns=columns,
        transpositions=transpositions,
        normalization=normalization,
        engine=chosen,
        losses=placed.losses,
    )


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector held off (and restored as it was): alignment
    allocates many small objects and makes no cycles, so a collection would only
    walk them again and again as they grow (a quarter of the time at 100,000
    words).  Reference counting still frees everything."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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
    pairs: Sequence[Sequence[Pair] | None] = (),
    weights: Weights = WEIGHTS,
    score_cutoff: float = FUZZY_CUTOFF,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[tuple[Cell, ...], ...]:
    """Columns of cells (in the given witness order) for several token lists.

    ``fragments`` says which witnesses are fragments or otherwise partial
    (none, by default); ``pairs`` may give a witness's pairs with the spine
    already (`collate.partial.plan` places partial witnesses so): their
    matched pairs are used as they are.

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
    placed = {w: given for w in order if w != pivot and (given := pairs[w] if pairs else None) is not None}
    others = [w for w in order if w != pivot and w not in placed]
    matches: dict[int, list[tuple[int, int]]] = {}
    total = len(others) + len(placed)  # the placed ones were aligned by their coverage already
    for done, w in enumerate(others, start=len(placed) + 1):
        matches[w] = Pairer(vocab, spine, ids[w], score_cutoff=score_cutoff, support=support).matches()
        if progress is not None:
            progress(done, total)
    if progress is not None and not others:
        progress(total, total)
    merged = Merge(tokens, ids, vocab, pivot, others, score_cutoff).columns(matches)
    return _join_split_words(_put_placed(merged, tokens, pivot, placed))


def _put_placed(
    columns: list[tuple[Cell, ...]], tokens: Sequence[Sequence[Token]], pivot: int, placed: dict[int, Sequence[Pair]]
) -> list[tuple[Cell, ...]]:
    """The witnesses placed by their coverage (`collate.partial.plan`) put into
    the table as their pairs with the spine say: a paired token in its spine
    token's column, an unpaired one in a column of its own just before the
    next paired spine token (never moved to where a word like it happens to
    stand: its place was decided by its coverage)."""
    if not placed:
        return columns
    spine_at = {id(cell[0]): c for c, col in enumerate(columns) if (cell := col[pivot])}
    where = [spine_at[id(tok)] for tok in tokens[pivot]]  # spine token -> its column
    into: dict[int, dict[int, Cell]] = {}  # column -> witness -> cell
    before: dict[int, list[tuple[int, Token]]] = {}  # column (len(columns): the end) -> inserted tokens
    for w, given in placed.items():
        at = 0  # the spine position the next insertion goes before
        for i, j in given:
            if i is not None and j is not None:
                into.setdefault(where[i], {})[w] = (tokens[w][j],)
                at = i + 1
            elif j is not None:
                before.setdefault(where[at] if at < len(where) else len(columns), []).append((w, tokens[w][j]))
            elif i is not None:
                at = i + 1
    out: list[tuple[Cell, ...]] = []
    for c in range(len(columns) + 1):
        for w, tok in before.get(c, ()):
            cells: list[Cell] = [None] * len(tokens)
            cells[w] = (tok,)
            out.append(tuple(cells))
        if c < len(columns):
            extra = into.get(c)
            out.append(tuple(extra.get(w, cell) for w, cell in enumerate(columns[c])) if extra else columns[c])
    return out


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
