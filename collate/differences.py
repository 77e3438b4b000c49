"""Differences: a stretch where a transcription departs from its reference, cut
into errors, one per difference (for `collate check`).

The aligner pairs the two texts word by word; a run of words where they
disagree can hold several differences of different kinds (``Command.`` →
``command,`` is a case error and a punctuation error) or independent errors
side by side (``the Eastern`` → ``Easter``: an omission and a typo).  Here the
run's characters are aligned and every difference is classed on its own:

1. The run's characters are aligned (`collate.charalign`: case and
   typographic forms folded, whitespace set aside, lost or added words kept
   whole, a letter paired with a letter before a symbol, and with a symbol
   before a punctuation mark, so that ``year, I`` → ``year,"|`` is a stray
   quote and a misread ``I``).
2. Where the keys agree but the characters do not: ``case`` (``C``/``c``) or
   ``glyph`` (ligature, long s, quote or dash kind).
3. Where whitespace is present on one side and not the other between two
   aligned characters: ``spacing`` (``ofthe``, ``Molotov' s``); a line break
   after a hyphen that both texts have is no difference (``Soviet-⏎German``).
4. A hyphen and a line break inside a word that the other text has whole:
   ``hyphenation`` (``Mol-⏎otov``).
5. Marks added, lost or changed where the words are intact: ``punctuation``;
   a mark standing where the other text has a space between two words
   (``summer.and``, ``result-of``) is one punctuation error, its space with it.
   Marks separated only by whitespace are one error.
6. Letters changed, added or lost inside a reference word: that word and its
   reading are judged by `collate.variants.judge_word` (typo, substitution,
   orthographic, or omission when nothing but marks is left of it).  Case or
   glyph differences in a word that also has changed letters are part of that
   error.  Words of the witness with nothing of the reference in them are
   one ``addition`` per stretch; reference words with nothing of them left,
   one ``omission``; marks attached to such words go with them.

Spans: a word's error covers the word (and what it reads as); punctuation
covers the marks (an empty span where they are missing); spacing and
hyphenation cover the words joined or split, or only the whitespace (or the
point) where that would overlap another error.

>>> from collate.lexicon import Lexicon
>>> def d(a, b):
...     return [(x.cls.value, a[slice(*x.reference_span)], b[slice(*x.witness_span)])
...             for x in differences(a, b, (0, len(a)), (0, len(b)), lexicon=Lexicon.of(a))]
>>> d("Command. I am", "command, lam")
[('case', 'Command', 'command'), ('punctuation', '.', ','), ('typo', 'I', 'l'), ('spacing', ' ', '')]
>>> d("the Eastern", "Easter")
[('omission', 'the', ''), ('typo', 'Eastern', 'Easter')]
>>> d("Molotov", "Mol-\\notov"), d("summer and", "summer.and")
([('hyphenation', 'Molotov', 'Mol-\\notov')], [('punctuation', ' ', '.')])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex
from rapidfuzz.distance import Levenshtein

from .charalign import Keys, Pairs, align_keys, keys
from .lexicon import Lexicon
from .model import VariantClass
from .tokenize import tokenize
from .variants import classify, judge_word

__all__ = ["Difference", "differences"]

Span = tuple[int, int]

LONGEST_CHARACTER_ALIGNMENT = 400
"""A run longer than this (in characters, both texts together) whose texts share
less than half their characters is not cut by characters: it is another text,
not a misreading, and `differences` returns None."""

_ALNUM = regex.compile(r"[\p{L}\p{N}]")

# Kinds of atom, the smallest differences, before they are gathered into errors.
_CASE, _GLYPH, _LETTER, _MARK, _SPACE, _HYPHEN = range(6)


@dataclass(frozen=True, slots=True)
class Difference:
    """One error: its class, its spans in the reference and the witness, a typo's similarity."""

    cls: VariantClass
    reference_span: Span
    witness_span: Span
    similarity: float | None = None


@dataclass(slots=True)
class _Atom:
    kind: int
    r: list[int]  # reference key indices involved
    w: list[int]  # witness key indices involved
    r_at: int  # where it stands in the reference (key index; an insertion stands before it)
    w_at: int


def differences(
    reference: str, witness: str, reference_span: Span, witness_span: Span, *, lexicon: Lexicon
) -> tuple[Difference, ...] | None:
    """The errors in ``reference[reference_span]`` against ``witness[witness_span]``
    (see the module docstring), or None for a long run of unrelated text."""
    r, w = keys(reference, *reference_span), keys(witness, *witness_span)
    rk, wk = "".join(r.key), "".join(w.key)
    if len(rk) + len(wk) > LONGEST_CHARACTER_ALIGNMENT and Levenshtein.normalized_similarity(rk, wk) < 0.5:
        return None
    pairs = align_keys(r, w)
    atoms = _atoms(r, w, pairs)
    return _gather(r, w, pairs, atoms, lexicon)


# ----------------------------------------------------------------------------- atoms


def _is_mark(side: Keys, k: int) -> bool:
    return not _ALNUM.search(side.text[side.start[k] : side.end[k]])


def _atoms(r: Keys, w: Keys, pairs: Pairs) -> list[_Atom]:
    """The smallest differences, in order."""
    atoms: list[_Atom] = []
    ri = wi = 0  # the next key on each side
    prev: tuple[int | None, int | None] = (None, None)
    for i, j in pairs:
        if i is not None and j is not None:
            rt, wt = r.text[r.start[i] : r.end[i]], w.text[w.start[j] : w.end[j]]
            if r.key[i] != w.key[j]:
                kind = _MARK if _is_mark(r, i) and _is_mark(w, j) else _LETTER
                atoms.append(_Atom(kind, [i], [j], i, j))
            elif rt != wt and (r.start[i], w.start[j]) != prev:
                kind = _CASE if rt.lower() == wt.lower() else _GLYPH
                atoms.append(_Atom(kind, [i], [j], i, j))
            prev = (r.start[i], w.start[j])
        elif i is not None:
            atoms.append(_Atom(_MARK if _is_mark(r, i) else _LETTER, [i], [], i, wi))
        elif j is not None:
            atoms.append(_Atom(_MARK if _is_mark(w, j) else _LETTER, [], [j], ri, j))
        ri = i + 1 if i is not None else ri
        wi = j + 1 if j is not None else wi
    atoms += _spacing(r, w, pairs, atoms)
    atoms.sort(key=lambda a: (a.r_at, a.w_at, a.kind == _SPACE))
    return _hyphenation(r, w, atoms, pairs)


def _spacing(r: Keys, w: Keys, pairs: list[tuple[int | None, int | None]], atoms: list[_Atom]) -> list[_Atom]:
    """Whitespace present on one side only, between two characters each side
    has aligned with the other's.  Next to an added or lost mark, a space is
    part of that mark's error; after a hyphen both have, a line break is none."""
    marked_r = {i for a in atoms if a.kind == _MARK for i in a.r}
    marked_w = {j for a in atoms if a.kind == _MARK for j in a.w}
    matched = [(i, j) for i, j in pairs if i is not None and j is not None]
    out: list[_Atom] = []
    for (i1, j1), (i2, j2) in zip(matched, matched[1:]):
        r_space, w_space = r.space[i1], w.space[j1]
        if i2 != i1 + 1 or j2 != j1 + 1:  # something was added or lost in between
            r_space = r.space[i1] or r.space[i2 - 1]
            w_space = w.space[j1] or w.space[j2 - 1]
            if (i2 - 1 in marked_r or i1 + 1 in marked_r) or (j2 - 1 in marked_w or j1 + 1 in marked_w):
                continue
        if bool(r_space) == bool(w_space):
            continue
        if r.key[i1] == "-" and w.key[j1] == "-" and "\n" in (r_space or w_space):
            continue  # a compound broken at its own hyphen at a line end
        out.append(_Atom(_SPACE, [i1, i2], [j1, j2], i1 + 1, j1 + 1))
    return out


def _line_ends(side: Keys, k: int, shared: set[int]) -> bool:
    """Whether a line ends after key ``k`` before the next key the other text
    shares (stray marks may stand between: ``reac- ©⏎hed``)."""
    nxt = next((j for j in range(k + 1, len(side.key)) if j in shared), len(side.key))
    end = side.start[nxt] if nxt < len(side.key) else side.hi
    return "\n" in side.text[side.end[k] : end]


def _hyphenation(r: Keys, w: Keys, atoms: list[_Atom], pairs: Pairs) -> list[_Atom]:
    """A hyphen added inside a word (or lost from one) at a line end is
    ``hyphenation``, not a mark (its line break went with it as a mark's
    space, see `_spacing`)."""
    shared_r = {i for i, j in pairs if i is not None and j is not None}
    shared_w = {j for i, j in pairs if i is not None and j is not None}
    out: list[_Atom] = []
    for atom in atoms:
        if atom.kind == _MARK and len(atom.r) + len(atom.w) == 1:
            side, other, k, at = (w, r, atom.w[0], atom.r_at) if atom.w else (r, w, atom.r[0], atom.w_at)
            inside = 0 < at < len(other.key) and not other.space[at - 1] and other.word_of[at] >= 0
            if side.key[k] == "-" and inside and _line_ends(side, k, shared_w if side is w else shared_r):
                atom = _Atom(_HYPHEN, atom.r, atom.w, atom.r_at, atom.w_at)
        out.append(atom)
    return out


# ----------------------------------------------------------------------------- errors


@dataclass(slots=True)
class _Error:
    cls: VariantClass
    r: Span
    w: Span
    similarity: float | None = None
    tight: tuple[Span, Span] | None = None  # the spans to use where the wide ones overlap others


def _gather(
    r: Keys, w: Keys, pairs: list[tuple[int | None, int | None]], atoms: list[_Atom], lexicon: Lexicon
) -> tuple[Difference, ...]:
    paired_r = {i: j for i, j in pairs if i is not None and j is not None}
    paired_w = {j: i for i, j in pairs if i is not None and j is not None}
    whole_r = {x for x in range(len(r.words)) if not any(r.word_of[k] == x for k in paired_r)}
    whole_w = {x for x in range(len(w.words)) if not any(w.word_of[k] == x for k in paired_w)}
    groups: dict[tuple[str, int], list[_Atom]] = {}
    rest: list[_Atom] = []
    for atom in atoms:
        key = _group_of(atom, r, w, paired_w, whole_r, whole_w)
        if key is None:
            rest.append(atom)
        else:
            groups.setdefault(key, []).append(atom)
    errors: list[_Error] = []
    for (kind, x), members in list(groups.items()):
        if kind == "word" and any(a.kind == _LETTER for a in members):
            errors.append(_word_error(r, w, x, members, paired_r, lexicon))
        elif kind == "word":
            rest += [a for a in members if a.kind == _MARK]
            members = [a for a in members if a.kind != _MARK]
            if not members:
                continue
            cls = VariantClass.GLYPH if any(a.kind == _GLYPH for a in members) else VariantClass.CASE
            keys = [paired_r[i] for i in range(len(r.key)) if r.word_of[i] == x and i in paired_r]
            errors.append(_Error(cls, r.words[x], _w_span(w, keys)))
    errors += _whole_words(r, w, groups, rest)
    rest.sort(key=lambda a: (a.r_at, a.w_at, a.kind == _SPACE))
    errors += _marks_and_spaces(r, w, rest)
    return _settle(errors)


def _group_of(
    atom: _Atom, r: Keys, w: Keys, paired_w: dict[int, int], whole_r: set[int], whole_w: set[int]
) -> tuple[str, int] | None:
    """Which word an atom belongs to: ("word", reference word), ("added", witness
    word), ("lost", reference word); None for marks and spaces between words."""
    if atom.kind in (_SPACE, _HYPHEN):
        return None
    if atom.r and r.word_of[atom.r[0]] >= 0:
        x = r.word_of[atom.r[0]]
        return ("lost", x) if x in whole_r else ("word", x)
    if atom.kind not in (_LETTER,) or not atom.w:
        return None
    y = w.word_of[atom.w[0]]
    if y < 0:
        return None
    if y in whole_w:
        return ("added", y)
    inside = [r.word_of[paired_w[j]] for j in range(len(w.key)) if w.word_of[j] == y and j in paired_w]
    inside = [x for x in inside if x >= 0]
    return ("word", min(inside, key=lambda x: abs(r.words[x][0] - r.point(atom.r_at)))) if inside else None


def _w_span(w: Keys, keys: Sequence[int]) -> Span:
    return (min(w.start[j] for j in keys), max(w.end[j] for j in keys)) if keys else (w.lo, w.lo)


def _word_error(
    r: Keys, w: Keys, x: int, members: list[_Atom], paired_r: dict[int, int], lexicon: Lexicon
) -> _Error:
    """A reference word with changed letters, judged against what it reads as."""
    keys = [paired_r[i] for i in range(len(r.key)) if r.word_of[i] == x and i in paired_r]
    keys += [j for a in members for j in a.w]
    rs = r.words[x]
    ws = _w_span(w, keys) if keys else (w.point(members[0].w_at),) * 2
    base, reading = r.text[rs[0] : rs[1]], "".join(w.text[ws[0] : ws[1]].split())
    cls, sim = judge_word(base, reading, lexicon)
    return _Error(cls, rs, ws, sim)


def _whole_words(r: Keys, w: Keys, groups: dict[tuple[str, int], list[_Atom]], rest: list[_Atom]) -> list[_Error]:
    """Added and lost words, a run of neighbours as one error, marks attached to them included."""
    out: list[_Error] = []
    for kind, side, other in (("added", w, r), ("lost", r, w)):
        found = sorted(x for k, x in groups if k == kind)
        runs: list[list[int]] = []
        for x in found:
            if runs and runs[-1][-1] == x - 1 and not side.text[side.words[x - 1][1] : side.words[x][0]].strip(" \t\n\r.,;:'\"’‘“”!?"):
                runs[-1].append(x)
            else:
                runs.append([x])
        for run in runs:
            lo, hi = side.words[run[0]][0], side.words[run[-1]][1]
            lo, hi = _attached_marks(side, lo, hi)
            first = groups[(kind, run[0])][0]
            at = first.r_at if kind == "added" else first.w_at
            point = _point(other, at, attached=lo > side.lo and not side.text[lo - 1].isspace())
            cls = VariantClass.ADDITION if kind == "added" else VariantClass.OMISSION
            out.append(_Error(cls, (point, point), (lo, hi)) if kind == "added" else _Error(cls, (lo, hi), (point, point)))
    # the marks attached to those words were taken with them
    taken = [(e.w if e.cls is VariantClass.ADDITION else e.r, e.cls) for e in out]
    rest[:] = [a for a in rest if not _inside(a, r, w, taken)]
    return out


def _attached_marks(side: Keys, lo: int, hi: int) -> tuple[int, int]:
    """Widen a word span over the marks glued to it (no space between)."""
    while lo > side.lo and not side.text[lo - 1].isspace() and not _ALNUM.match(side.text[lo - 1]):
        lo -= 1
    while hi < side.hi and not side.text[hi].isspace() and not _ALNUM.match(side.text[hi]):
        hi += 1
    return lo, hi


def _inside(atom: _Atom, r: Keys, w: Keys, taken: list[tuple[Span, VariantClass]]) -> bool:
    for span, cls in taken:
        side, keys = (w, atom.w) if cls is VariantClass.ADDITION else (r, atom.r)
        if keys and atom.kind == _MARK and all(span[0] <= side.start[k] < span[1] for k in keys):
            return True
    return False


def _point(side: Keys, k: int, *, attached: bool) -> int:
    """The insertion point before key ``k``: right after the key before it when
    what is inserted is glued to what precedes it, else at key ``k``."""
    if attached and 0 < k <= len(side.key):
        return side.end[k - 1]
    return side.point(k)


def _marks_and_spaces(r: Keys, w: Keys, atoms: list[_Atom]) -> list[_Error]:
    """Punctuation (marks next to each other as one), spacing, hyphenation, and
    the glyph or case differences of marks outside words."""
    out: list[_Error] = []
    run: list[_Atom] = []

    def flush() -> None:
        if run:
            out.append(_mark_error(r, w, run))
            run.clear()

    for atom in atoms:
        if atom.kind == _MARK:
            if run and not _adjacent(run[-1], atom):
                flush()
            run.append(atom)
            continue
        flush()
        if atom.kind in (_CASE, _GLYPH):
            cls = VariantClass.GLYPH if atom.kind == _GLYPH else VariantClass.CASE
            out.append(_Error(cls, (r.start[atom.r[0]], r.end[atom.r[-1]]), (w.start[atom.w[0]], w.end[atom.w[-1]])))
        elif atom.kind == _HYPHEN:
            out.append(_hyphen_error(r, w, atom))
        elif atom.kind == _LETTER:  # letters for a mark, or the like: classed as the collation would
            out.append(_other_error(r, w, atom))
        elif out and out[-1].cls is VariantClass.SPACING and _same_compound(r, w, out[-1], atom):
            (wide_r, wide_w), (tight_r, tight_w) = _space_spans(r, w, atom)
            prev = out[-1]
            tight = (_cover(prev.tight[0], tight_r), _cover(prev.tight[1], tight_w)) if prev.tight else None
            out[-1] = _Error(VariantClass.SPACING, _cover(prev.r, wide_r), _cover(prev.w, wide_w), tight=tight)
        else:
            (wide_r, wide_w), spaces = _space_spans(r, w, atom)
            out.append(_Error(VariantClass.SPACING, wide_r, wide_w, tight=spaces))
    flush()
    return out


def _other_error(r: Keys, w: Keys, atom: _Atom) -> _Error:
    rs = _chunk(r, atom.r[0]) if atom.r else (r.point(atom.r_at),) * 2
    ws = _chunk(w, atom.w[0]) if atom.w else (w.point(atom.w_at),) * 2
    cls, sim = classify(tokenize(r.text[slice(*rs)]), tokenize(w.text[slice(*ws)]))
    return _Error(cls, rs, ws, sim)


def _adjacent(a: _Atom, b: _Atom) -> bool:
    """Nothing the two texts share lies between two atoms."""
    a_r = max(a.r) + 1 if a.r else a.r_at
    a_w = max(a.w) + 1 if a.w else a.w_at
    b_r = min(b.r) if b.r else b.r_at
    b_w = min(b.w) if b.w else b.w_at
    return b_r <= a_r and b_w <= a_w


def _mark_error(r: Keys, w: Keys, run: list[_Atom]) -> _Error:
    rk = [i for a in run for i in a.r]
    wk = [j for a in run for j in a.w]
    if rk and wk:
        return _Error(VariantClass.PUNCTUATION, (r.start[min(rk)], r.end[max(rk)]), (w.start[min(wk)], w.end[max(wk)]))
    if wk:  # marks added: where they would stand in the reference, with the space they replace
        lo, hi = w.start[min(wk)], w.end[max(wk)]
        at = run[0].r_at
        glued = lo > w.lo and not w.text[lo - 1].isspace()
        if glued and 0 < at < len(r.key) and r.space[at - 1] and hi < w.hi and not w.text[hi].isspace():
            return _Error(VariantClass.PUNCTUATION, (r.end[at - 1], r.start[at]), (lo, hi))
        point = _point(r, at, attached=glued)
        return _Error(VariantClass.PUNCTUATION, (point, point), (lo, hi))
    lo, hi = r.start[min(rk)], r.end[max(rk)]
    at = run[0].w_at
    glued = lo > r.lo and not r.text[lo - 1].isspace()
    if glued and 0 < at < len(w.key) and w.space[at - 1] and hi < r.hi and not r.text[hi].isspace():
        return _Error(VariantClass.PUNCTUATION, (lo, hi), (w.end[at - 1], w.start[at]))
    point = _point(w, at, attached=glued)
    return _Error(VariantClass.PUNCTUATION, (lo, hi), (point, point))


def _chunk(side: Keys, k: int) -> Span:
    """The run of characters with no whitespace inside that holds key ``k``."""
    lo = hi = k
    while lo > 0 and not side.space[lo - 1]:
        lo -= 1
    while hi < len(side.key) - 1 and not side.space[hi]:
        hi += 1
    return side.start[lo], side.end[hi]


def _space_spans(r: Keys, w: Keys, atom: _Atom) -> tuple[tuple[Span, Span], tuple[Span, Span]]:
    """Wide spans (the words joined or split) and tight ones (the space or the point)."""
    (i1, i2), (j1, j2) = atom.r, atom.w
    wide = (_cover(_chunk(r, i1), _chunk(r, i2)), _cover(_chunk(w, j1), _chunk(w, j2)))
    tight = ((r.end[i1], r.end[i1] + len(r.space[i1])), (w.end[j1], w.end[j1] + len(w.space[j1])))
    return wide, tight


def _same_compound(r: Keys, w: Keys, prev: _Error, atom: _Atom) -> bool:
    """Two spacing differences in one run of characters, on either side (in as much / inasmuch)."""
    return prev.r[1] >= r.start[atom.r[0]] or prev.w[1] >= w.start[atom.w[0]]


def _hyphen_error(r: Keys, w: Keys, atom: _Atom) -> _Error:
    side, other, k, at = (w, r, atom.w[0], atom.r_at) if atom.w else (r, w, atom.r[0], atom.w_at)
    nxt = k + 1
    broken = (_chunk(side, k)[0], _chunk(side, nxt)[1] if nxt < len(side.key) else side.end[k])
    whole = _chunk(other, at)
    tight_broken = (side.start[k], side.start[nxt] if nxt < len(side.key) else side.end[k])
    point = (other.point(at),) * 2
    if side is w:
        return _Error(VariantClass.HYPHENATION, whole, broken, tight=(point, tight_broken))
    return _Error(VariantClass.HYPHENATION, broken, whole, tight=(tight_broken, point))


def _cover(a: Span, b: Span) -> Span:
    return min(a[0], b[0]), max(a[1], b[1])


def _overlap(a: Span, b: Span) -> bool:
    """Two spans share a character, or a point lies strictly inside a span."""
    if a[0] == a[1] and b[0] == b[1]:
        return False
    if a[0] == a[1]:
        return b[0] < a[0] < b[1]
    if b[0] == b[1]:
        return a[0] < b[0] < a[1]
    return a[0] < b[1] and b[0] < a[1]


def _settle(errors: list[_Error]) -> tuple[Difference, ...]:
    """Spacing and hyphenation take their tight spans where the wide ones
    overlap another error; the errors in reading order."""
    out: list[Difference] = []
    for e in errors:
        r, w = e.r, e.w
        if e.tight and any(_overlap(e.r, o.r) or _overlap(e.w, o.w) for o in errors if o is not e):
            r, w = e.tight
        out.append(Difference(e.cls, r, w, e.similarity))
    return tuple(sorted(out, key=lambda d: (d.reference_span[0], d.witness_span[0], d.reference_span[1])))
