"""Character alignment: two stretches of text as folded keys, aligned character
by character (for `collate.differences`).

A text is read as *keys*: whitespace left out (each key remembers the
whitespace after it), typographic forms folded (`collate.normalize.fold_glyphs`:
a ligature gives two or three keys, a run of dashes one) and case folded, so
that ``ﬁ`` lines up with ``fi`` and ``C`` with ``c``; each key knows the
character(s) of the text it stands for.  `align_keys` aligns two such
sequences: RapidFuzz's Levenshtein alignment first; then every added or lost
stretch between two shared ones is moved to start at a word where the same
alignment allows (`_slid`); every stretch the two do not share, with a shared
stretch of one or two characters between two of them, is aligned again with
affine gap costs and costs that depend on the kind of character (`_refine`);
and a word spread over several words of the other text is aligned with the
one that matches it best when that one matches it better than all together
(`_unglue`: the added word beside a typo).

>>> r, w = keys("the Eastern", 0, 11), keys("Easter", 0, 6)
>>> [(r.key[i] if i is not None else None, w.key[j] if j is not None else None) for i, j in align_keys(r, w)][:5]
[('t', None), ('h', None), ('e', None), ('e', 'e'), ('a', 'a')]
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import regex
from rapidfuzz.distance import Levenshtein

from .normalize import GLYPHS, fold_glyphs

__all__ = ["Keys", "Pairs", "keys", "align_keys"]

Span = tuple[int, int]
Pairs = list[tuple[int | None, int | None]]
"""An alignment: pairs of key indices, None on the side that has nothing there."""

_UNIT = regex.compile(r"(?P<ws>\s+)|(?P<dash>[-\u2010-\u2015\u2212]{2,})|.", regex.S)
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’\-‐‑][\p{L}\p{M}\p{N}]+)*")


@dataclass(slots=True)
class Keys:
    """One text's stretch as keys: folded non-space characters and where they stand."""

    text: str
    lo: int
    hi: int
    key: list[str]
    start: list[int]  # key index -> offset of its character (or ligature, dash run) in text
    end: list[int]
    space: list[str]  # key index -> the whitespace after it ("" if none)
    words: list[Span]  # the words of the stretch
    word_of: list[int]  # key index -> index into words, or -1
    chunk: list[int]  # key index -> index of its run of characters between whitespace

    def point(self, k: int) -> int:
        """The offset where key ``k`` starts (the end of the stretch past the last key)."""
        return self.start[k] if k < len(self.key) else self.hi


_SPECIAL = frozenset(GLYPHS) | frozenset("-")


def _fold_piece(text: str, a: int, b: int, s: Keys) -> None:
    """The keys of ``text[a:b]`` (no whitespace in it), character by character:
    a ligature, quote or run of dashes folded, every character case folded."""
    pos = a
    while pos < b:
        ch = text[pos]
        if ch in _SPECIAL:  # a ligature, quote or dash (a run of dashes is one)
            m = _UNIT.match(text, pos, b)
            assert m is not None
            nxt = m.end()
            folded = fold_glyphs(text[pos:nxt]).casefold() or ch
        else:
            nxt = pos + 1
            folded = ch.casefold()
        for c in folded:
            s.key.append(c)
            s.start.append(pos)
            s.end.append(nxt)
        pos = nxt


_CHUNK = regex.compile(r"\S+")


def keys(text: str, lo: int, hi: int) -> Keys:
    """``text[lo:hi]`` as keys (see the module docstring)."""
    s = Keys(text, lo, hi, [], [], [], [], [], [], [])
    key, start, end, space, chunk = s.key, s.start, s.end, s.space, s.chunk
    for n, m in enumerate(_CHUNK.finditer(text, lo, hi)):
        a, b = m.span()
        if space:
            space[-1] = text[end[-1] : a]
        piece = m.group()
        folded = piece.casefold()
        if len(folded) == len(piece) and _SPECIAL.isdisjoint(piece):  # one key per character
            key.extend(folded)
            start.extend(range(a, b))
            end.extend(range(a + 1, b + 1))
        else:
            _fold_piece(text, a, b, s)
        space.extend([""] * (len(key) - len(space)))
        chunk.extend([n] * (len(key) - len(chunk)))
    if space and end[-1] < hi:
        space[-1] = text[end[-1] : hi]
    s.words = [m.span() for m in _WORD.finditer(text, lo, hi)]
    s.word_of = [-1] * len(key)
    w = 0
    for k, at in enumerate(start):
        while w < len(s.words) and s.words[w][1] <= at:
            w += 1
        if w < len(s.words) and s.words[w][0] <= at < s.words[w][1]:
            s.word_of[k] = w
    return s


def _char_class(ch: str) -> int:
    """0 letter, 1 digit or symbol, 2 punctuation (including whitespace)."""
    cat = unicodedata.category(ch)
    if cat[0] in "LM":
        return 0
    return 1 if cat[0] in "NS" else 2


def _cost(a: str, b: str) -> float:
    """The cost of reading ``a`` as ``b``: 1 within a class; a letter read as a
    digit or symbol (``I`` → ``|``, ``l`` → ``1``) a little more; a letter read
    as a punctuation mark more again, about as much as losing it and adding
    the mark, so that a stray mark next to a lost word stays a mark."""
    if a == b:
        return 0.0
    ca, cb = _char_class(a), _char_class(b)
    if ca == cb:
        return 1.0
    if 0 in (ca, cb):
        return 1.05 if 1 in (ca, cb) else 1.3
    return 1.1


GAP_OPEN, GAP_EXTEND = 1.0, 0.5
"""Costs of a run of added or lost characters (its first, each further one):
one run is cheaper than several, so ``the Eastern`` → ``Easter`` loses "the"
whole, not "th" and then "e"."""

WORD_GAP = 0.3
"""Discount on a run of added or lost characters that starts a word, so that
an added or lost word goes whole (``the Eastern`` → ``Easter``)."""

REFINE_CELLS = 2500
"""Largest stretch (characters × characters) aligned again with `_refine`."""

def _refine(a: Sequence[str], b: Sequence[str], a_word: Sequence[bool], b_word: Sequence[bool]) -> Pairs:
    """Pairs (i, j) aligning two short stretches with `_cost` and affine gap
    costs (Gotoh); (i, None) is a deletion, (None, j) an insertion.
    ``a_word[i]`` tells whether ``a[i]`` starts a word (likewise ``b_word``)."""
    n, m = len(a), len(b)
    inf = float("inf")
    open_a = [GAP_OPEN - (WORD_GAP if s else 0.0) for s in a_word]
    open_b = [GAP_OPEN - (WORD_GAP if s else 0.0) for s in b_word]
    # M: ends with a pair; X: ends with a deletion; Y: ends with an insertion
    M = [[inf] * (m + 1) for _ in range(n + 1)]
    X = [[inf] * (m + 1) for _ in range(n + 1)]
    Y = [[inf] * (m + 1) for _ in range(n + 1)]
    M[0][0] = 0.0
    for i in range(1, n + 1):
        X[i][0] = open_a[0] + GAP_EXTEND * (i - 1)
    for j in range(1, m + 1):
        Y[0][j] = open_b[0] + GAP_EXTEND * (j - 1)
    for i in range(1, n + 1):
        ai, oa = a[i - 1], open_a[i - 1]
        for j in range(1, m + 1):
            ob = open_b[j - 1]
            M[i][j] = min(M[i - 1][j - 1], X[i - 1][j - 1], Y[i - 1][j - 1]) + _cost(ai, b[j - 1])
            X[i][j] = min(M[i - 1][j] + oa, X[i - 1][j] + GAP_EXTEND, Y[i - 1][j] + oa)
            Y[i][j] = min(M[i][j - 1] + ob, Y[i][j - 1] + GAP_EXTEND, X[i][j - 1] + ob)
    return _trace(a, b, (M, X, Y), open_a, open_b)


def _trace(
    a: Sequence[str], b: Sequence[str], tables: tuple[list[list[float]], list[list[float]], list[list[float]]],
    open_a: list[float], open_b: list[float],
) -> Pairs:
    """Follow `_refine`'s tables back from the end."""
    out: Pairs = []
    i, j = len(a), len(b)
    state = min(range(3), key=lambda s: tables[s][i][j])
    here = tables[state][i][j]
    while i or j:
        if state == 0:
            out.append((i - 1, j - 1))
            i, j = i - 1, j - 1
            here -= _cost(a[i], b[j])
            steps = ((0, 0.0), (1, 0.0), (2, 0.0))
        elif state == 1:
            out.append((i - 1, None))
            i -= 1
            steps = ((1, GAP_EXTEND), (0, open_a[i]), (2, open_a[i]))
        else:
            out.append((None, j - 1))
            j -= 1
            steps = ((2, GAP_EXTEND), (0, open_b[j]), (1, open_b[j]))
        if not (i or j):
            break
        state, cost = next((s, c) for s, c in steps if abs(tables[s][i][j] + c - here) < 1e-9)
        here -= cost
    return out[::-1]


_Op = tuple[str, int, int, int, int]


def _slid(r: Keys, w: Keys, ops: list[_Op]) -> list[_Op]:
    """Each added or lost stretch between two shared ones moved, as far as the
    same alignment allows, to start at a word: ``that the`` → ``the`` loses
    "that", not "at th"."""
    out = list(ops)
    for n, (tag, i1, i2, j1, j2) in enumerate(out):
        if tag not in ("insert", "delete") or not (0 < n < len(out) - 1):
            continue
        if out[n - 1][0] != "equal" or out[n + 1][0] != "equal":
            continue
        side, lo, hi = (r, i1, i2) if tag == "delete" else (w, j1, j2)
        prev_lo = out[n - 1][1] if tag == "delete" else out[n - 1][3]
        next_hi = out[n + 1][2] if tag == "delete" else out[n + 1][4]
        shifts = [0]
        k = 1
        while lo - k >= prev_lo and side.key[lo - k] == side.key[hi - k]:
            shifts.append(-k)
            k += 1
        k = 1
        while hi + k <= next_hi and side.key[lo + k - 1] == side.key[hi + k - 1]:
            shifts.append(k)
            k += 1
        best = min(shifts, key=lambda d: (not _starts_word(side, lo + d), abs(d)))
        if best:  # the shared stretches on either side give or take as much on both sides
            p, q = out[n - 1], out[n + 1]
            out[n - 1] = (p[0], p[1], p[2] + best, p[3], p[4] + best)
            out[n] = (tag, i1 + best, i2 + best, j1 + best, j2 + best)
            out[n + 1] = (q[0], q[1] + best, q[2], q[3] + best, q[4])
    return [op for op in out if op[1] != op[2] or op[3] != op[4]]


def _starts_word(side: Keys, k: int) -> bool:
    """Key ``k`` begins a word: it follows whitespace, and not a line-end hyphen."""
    return k == 0 or (bool(side.space[k - 1]) and side.key[k - 1] != "-")



def _rough(r: Keys, w: Keys) -> Pairs:
    """The keys of both sides aligned: pairs of key indices, None for a gap.

    RapidFuzz aligns the keys; each stretch they do not share, together with
    any shared stretch of one or two characters between two such stretches
    (where Levenshtein's choice among equally short alignments is arbitrary),
    is aligned again with `_refine`."""
    ops = _slid(r, w, [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
                       for op in Levenshtein.opcodes("".join(r.key), "".join(w.key))])
    regions: list[list[int]] = []  # [tag is equal, i1, i2, j1, j2]
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            regions.append([1, i1, i2, j1, j2])
        elif regions and not regions[-1][0]:
            regions[-1][2], regions[-1][4] = i2, j2
        elif len(regions) >= 2 and regions[-1][2] - regions[-1][1] <= 2 and not regions[-2][0]:
            regions.pop()
            regions[-1][2], regions[-1][4] = i2, j2
        else:
            regions.append([0, i1, i2, j1, j2])
    out: Pairs = []
    for equal, i1, i2, j1, j2 in regions:
        if equal:
            out.extend(zip(range(i1, i2), range(j1, j2)))
        elif (i2 - i1) * (j2 - j1) <= REFINE_CELLS:
            a_word = [_starts_word(r, k) for k in range(i1, i2)]
            b_word = [_starts_word(w, k) for k in range(j1, j2)]
            out.extend((None if i is None else i1 + i, None if j is None else j1 + j)
                       for i, j in _refine(r.key[i1:i2], w.key[j1:j2], a_word, b_word))
        else:
            k = min(i2 - i1, j2 - j1)
            out.extend(zip(range(i1, i1 + k), range(j1, j1 + k)))
            out.extend((i, None) for i in range(i1 + k, i2))
            out.extend((None, j) for j in range(j1 + k, j2))
    return out


def _unglue(r: Keys, w: Keys, pairs: Pairs) -> Pairs:
    """A word the alignment spread over several words of the other text,
    when one of them matches it better than all of them together, is aligned
    with that one alone and the others are added (or lost) whole: ``mother``
    → ``smote moter`` is "smote" added and a typo, not a garble of both
    (the added word beside a typo)."""
    for this, other, flip in ((r, w, False), (w, r, True)):
        this_chunk, other_chunk = this.chunk, other.chunk
        if not this_chunk or not other_chunk or other_chunk[-1] == 0:
            continue  # the other side is one run of characters: nothing to spread over
        spread: dict[int, set[int]] = {}
        owners: dict[int, set[int]] = {}
        for i, j in pairs:
            a, b = (j, i) if flip else (i, j)
            if a is not None and b is not None:
                spread.setdefault(this_chunk[a], set()).add(other_chunk[b])
                owners.setdefault(other_chunk[b], set()).add(this_chunk[a])
        for x, ys in spread.items():
            if len(ys) < 2 or any(owners[y] != {x} for y in ys):
                continue
            pairs = _realign_one(this, other, this_chunk, other_chunk, x, ys, pairs, flip)
    return pairs


def _realign_one(
    this: Keys, other: Keys, this_chunk: list[int], other_chunk: list[int], x: int, ys: set[int],
    pairs: Pairs, flip: bool,
) -> Pairs:
    keys = [k for k in range(len(this.key)) if this_chunk[k] == x]
    word = "".join(this.key[k] for k in keys)
    span = {y: [k for k in range(len(other.key)) if other_chunk[k] == y] for y in sorted(ys)}
    text = {y: "".join(other.key[k] for k in ks) for y, ks in span.items()}
    joined = Levenshtein.normalized_similarity(word, "".join(text.values()))
    best = max(span, key=lambda y: Levenshtein.normalized_similarity(word, text[y]))
    if Levenshtein.normalized_similarity(word, text[best]) <= joined:
        return pairs
    inner = _refine([this.key[k] for k in keys], [other.key[k] for k in span[best]],
                    [_starts_word(this, k) for k in keys], [_starts_word(other, k) for k in span[best]])
    new: Pairs = []
    for y, ks in span.items():
        if y == best:
            for a, b in inner:
                pa = None if a is None else keys[a]
                pb = None if b is None else ks[b]
                new.append((pb, pa) if flip else (pa, pb))
        else:
            new.extend(((k, None) if flip else (None, k)) for k in ks)
    involved_this, involved_other = set(keys), {k for ks in span.values() for k in ks}
    idx = [n for n, (i, j) in enumerate(pairs)
           if ((j if flip else i) in involved_this) or ((i if flip else j) in involved_other)]
    return pairs[: idx[0]] + new + pairs[idx[-1] + 1 :]


def align_keys(r: Keys, w: Keys) -> Pairs:
    """The keys of both sides aligned (see the module docstring)."""
    return _unglue(r, w, _rough(r, w))
