"""Passages: sentences aligned across witnesses, whatever their translation.

Witnesses of one document may be copies of one translation or different
translations of it.  Token collation only makes sense within one translation;
across translations a reader compares *passages*: what each witness has for one
sentence of the base.  This stage finds them, after `collate.sentences`:

1. **Pairwise sentence alignment** of every witness with the base
   (`collate.sentence_align`): Gale-Church / Hunalign style beads of 1-1,
   1-0, 0-1, 2-1, 1-2, 2-2, 3-1 and 1-3 sentences, scored by length, shared
   content words and near matches, no machine translation.  Each witness is
   aligned with the base directly, never through another witness.
2. **Passages are the base's sentences.**  A witness's span for a passage is
   the text of its bead; where its text covers two or more base sentences, it
   is cut where the pieces best fit them, at its own sentence boundaries, clause
   marks (``;`` ``:`` a dash, a comma) or conjunctions when there are enough of
   them, else at word boundaries, so every passage stays one base sentence.
   Its id, ``p7.2`` (paragraph 7, sentence 2 of the base), comes from the base
   alone and never changes when a witness is added or removed (as long as the
   base stays the same witness).
3. **What the base lacks.**  A witness's sentences with no counterpart in the
   base (0-1 beads) form an added passage after the base passage they follow
   (all of them, when several follow one base sentence),
   ``p7.2+<family>`` (``p0+<family>`` before the first), shared by the members
   of that family; a base sentence a witness lacks is ``None`` for it, whether
   the witness omits it or has lost it (a fragment's lost start or end, where
   skipping is cheap): telling the two apart is the caller's, from the
   witness's metadata.

>>> from collate.model import Witness
>>> base = Witness("A", "We need a second front in 1942. The war goes on.")
>>> other = Witness("B", "A second front in 1942 is needed, as the war continues.")
>>> pa = align_passages([base, other], base="A")
>>> [(p.id, pa.text("B", p)) for p in pa.passages]
[('p1.1', 'A second front in 1942 is needed,'), ('p1.2', 'as the war continues.')]
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import regex

from .model import Lost, Witness
from .beads import LENGTH_WEIGHT, LEXICAL_WEIGHT, Bead, Side, gale_church
from .sentence_align import BAND, WORD, Prepared, align_sides, content_word, prepare, sides
from .sentences import Sentence, Span, gap_between, trim


@dataclass(frozen=True, slots=True)
class Passage:
    """One row of the synopsis: a base sentence (or text a family adds after one), with
    each witness's span for it, ``None`` where the witness has nothing there.

    >>> Passage("p7.2", {"web": (10, 60), "frus": None}).span("frus") is None
    True
    """

    id: str
    spans: Mapping[str, Span | None]
    added_by: str = ""
    """For a passage the base lacks, the family whose text it is."""

    def span(self, siglum: str) -> Span | None:
        return self.spans.get(siglum)


@dataclass(frozen=True, slots=True)
class PassageAlignment:
    """Passages of several witnesses against one base, with what they were computed from:
    the witnesses, each one's sentences and each non-base witness's beads."""

    witnesses: tuple[Witness, ...]
    base: str
    sentences: Mapping[str, tuple[Sentence, ...]]
    beads: Mapping[str, tuple[Bead, ...]]
    passages: tuple[Passage, ...]

    def text(self, siglum: str, passage: Passage) -> str | None:
        """The witness's text for ``passage``, or None."""
        span = passage.span(siglum)
        if span is None:
            return None
        return next(w.text for w in self.witnesses if w.siglum == siglum)[span[0] : span[1]]

    def passage(self, passage_id: str) -> Passage:
        """The passage with this id (KeyError if none)."""
        for p in self.passages:
            if p.id == passage_id:
                return p
        raise KeyError(passage_id)


# ---------------------------------------------------------------- passages

CUT_BONUS: Mapping[str, float] = {"sentence": 2.0, "strong": 1.5, "comma": 1.0, "conjunction": 0.5}
"""Preference, in units of lexical fit, for cutting a witness's sentence at its own
sentence boundary, after ``;`` ``:`` or a dash, after a comma, before a conjunction."""

CONJUNCTIONS = frozenset("and but while whereas which so yet or nor for".split())


def align_passages(
    witnesses: Sequence[Witness], *, base: str, lost: Mapping[str, Collection[Lost]] | None = None, band: int | None = BAND
) -> PassageAlignment:
    """Passages of ``witnesses`` against the base's sentences; see the module's docstring.

    Each witness is aligned with the base on its own, so adding or removing a
    witness changes no other witness's spans and no passage id.  ``lost`` says
    which ends of a witness's text are lost; by default, what its metadata says
    (`lost_ends`).

    >>> from collate.model import Witness
    >>> ws = [Witness("A", "It rains. We stay."), Witness("B", "Rain falls. Still we stay. Cows are mooing at the moon.")]
    >>> [(p.id, p.spans["B"]) for p in align_passages(ws, base="A").passages]
    [('p1.1', (0, 11)), ('p1.2', (12, 26)), ('p1.2+B', (27, 55))]
    """
    by_siglum = {w.siglum: w for w in witnesses}
    if base not in by_siglum:
        raise ValueError(f"the base {base!r} is not among the witnesses")
    base_w = by_siglum[base]
    texts = {w.siglum: prepare(w.text) for w in witnesses}
    bp = texts[base]
    spans: dict[str, list[Span | None]] = {base: [s.span for s in bp.sentences]}
    added: dict[tuple[int, str], dict[str, Span]] = {}
    beads: dict[str, tuple[Bead, ...]] = {}
    others = [w for w in witnesses if w.siglum != base]
    a, bsides, near = sides(bp, *(texts[w.siglum] for w in others))
    for w, b in zip(others, bsides):
        ends = {x.siglum: lost[x.siglum] if lost and x.siglum in lost else lost_ends(x.meta.lost) for x in (base_w, w)}
        beads[w.siglum] = _pieces_aligned(a, b, texts[w.siglum], base_lost=ends[base], other_lost=ends[w.siglum], band=band)
        own, lacking = _assign(bp, texts[w.siglum], near, beads[w.siglum])
        spans[w.siglum] = own
        for after, span in lacking:  # several sentences after one base sentence: one passage holds them all
            had = added.setdefault((after, w.family), {}).get(w.siglum)
            added[after, w.family][w.siglum] = span if had is None else (min(had[0], span[0]), max(had[1], span[1]))
    sigla = [w.siglum for w in witnesses]
    segs = {s: texts[s].sentences for s in sigla}
    return PassageAlignment(tuple(witnesses), base, segs, beads, _rows(bp.sentences, spans, added, sigla))


def _pieces_aligned(
    a: Side, b: Side, other: Prepared, *, base_lost: Collection[Lost], other_lost: Collection[Lost], band: int | None
) -> tuple[Bead, ...]:
    """The beads of the other text against the base, piece by piece where an editorial gap
    mark (``<...>``) stands between two of its sentences: the mark is a lacuna of
    unknown length, so each piece is aligned as a fragment (its ends lost) with the
    base from where the piece before it ended, and the base sentences between two
    pieces are lost there, not omitted."""
    ss = other.sentences
    cuts = [k for k in range(1, len(ss)) if gap_between(other.text, ss[k - 1].end, ss[k].start)]
    if not cuts:
        return align_sides(a, b, base_lost=base_lost, other_lost=other_lost, band=band)
    bounds = list(zip([0, *cuts], [*cuts, len(ss)]))
    out: list[Bead] = []
    i0 = 0
    for k, (j0, j1) in enumerate(bounds):
        lost = {Lost.START, Lost.END} - ({Lost.START} - set(other_lost) if k == 0 else set()) - (
            {Lost.END} - set(other_lost) if k == len(bounds) - 1 else set()
        )
        sub = align_sides(a[i0:], _side(b, j0, j1), base_lost=[x for x in base_lost if x is Lost.END], other_lost=lost, band=band)
        reach = max((x.base[1] for x in sub if x.other[0] < x.other[1]), default=0)
        for x in sub:
            if k < len(bounds) - 1 and x.base[0] >= reach and x.other[0] == x.other[1]:
                continue  # base sentences after this piece: the next piece may have them
            out.append(Bead((x.base[0] + i0, x.base[1] + i0), (x.other[0] + j0, x.other[1] + j0), x.cost))
        i0 += reach
    return tuple(out)


def _side(b: Side, j0: int, j1: int) -> Side:
    """Sentences ``j0:j1`` of a side (its unique words found again within them)."""
    return Side(b.lengths[j0:j1], b.words[j0:j1])


def lost_ends(losses: Iterable[object]) -> tuple[Lost, ...]:
    """The ends of a witness's text that its metadata says are lost: `Lost` values, or
    loss records that say ``is_start`` / ``is_end`` (a loss inside the text is not an end).

    >>> lost_ends([Lost.END]), lost_ends([])
    ((<Lost.END: 'end'>,), ())
    """
    ends: list[Lost] = []
    for loss in losses:
        if loss is Lost.START or getattr(loss, "is_start", False):
            ends.append(Lost.START)
        elif loss is Lost.END or getattr(loss, "is_end", False):
            ends.append(Lost.END)
    return tuple(ends)


def _rows(
    bs: Sequence[Sentence], spans: Mapping[str, Sequence[Span | None]],
    added: Mapping[tuple[int, str], Mapping[str, Span]], sigla: Sequence[str],
) -> tuple[Passage, ...]:
    """The passages in text order: each base sentence, then what families add after it."""
    rows: list[Passage] = []
    for i in range(-1, len(bs)):
        if i >= 0:
            rows.append(Passage(bs[i].id, {s: spans[s][i] for s in sigla}))
        for (after, family), extra in sorted(added.items()):
            if after == i:
                pid = f"{bs[i].id if i >= 0 else 'p0'}+{family}"
                rows.append(Passage(pid, {s: extra.get(s) for s in sigla}, added_by=family))
    return tuple(rows)


def _assign(
    base: Prepared, other: Prepared, near: Mapping[str, str], beads: Sequence[Bead]
) -> tuple[list[Span | None], list[tuple[int, Span]]]:
    """Each base sentence's span in the other text, and the other's text the base lacks
    (with the index of the base sentence it follows)."""
    own: list[Span | None] = [None] * len(base.sentences)
    extra: list[tuple[int, Span]] = []
    os_ = other.sentences
    for bead in beads:
        (i0, i1), (j0, j1) = bead.base, bead.other
        if j0 == j1:
            continue
        region = (os_[j0].start, os_[j1 - 1].end)
        if i0 == i1:
            extra.append((i0 - 1, region))
        elif i1 - i0 == 1:
            own[i0] = region
        else:
            starts = {s.start for s in os_[j0 + 1 : j1]}
            targets = [(base.words[i], base.lengths[i]) for i in range(i0, i1)]
            for i, piece in zip(range(i0, i1), _cut(other.text, region, starts, targets, near)):
                own[i] = piece
    return own, extra


def _cut(
    other: str, region: Span, starts: Collection[int], targets: Sequence[tuple[frozenset[str], int]], near: Mapping[str, str]
) -> list[Span | None]:
    """Cut ``other[region]`` into one piece per target sentence (its content words and
    length), where the pieces best fit them.  Cuts fall at the witness's own sentence
    boundaries, clause marks and conjunctions when there are enough of them, else at
    any word boundary."""
    words = list(WORD.finditer(other, region[0], region[1]))
    k = len(targets)
    if len(words) < k:  # too few words to give every sentence one: the first ones get them
        bounds = [region[0], *[w.start() for w in words[1:]], region[1]]
        pieces: list[Span | None] = [trim(other, bounds[t], bounds[t + 1]) for t in range(len(bounds) - 1)]
        return pieces + [None] * (k - len(pieces))
    bonus = [0.0, *[_cut_bonus(other, region, w, starts) for w in words[1:]]]
    marked = [p for p in range(1, len(words)) if bonus[p]]
    points = [0, *(marked if len(marked) >= k - 1 else range(1, len(words))), len(words)]
    content = [near.get(c, c) for c in (content_word(w.group()) for w in words)]
    groups = [{c for c in content[p:q] if c} for p, q in zip(points, points[1:])]
    offsets = [region[0], *[words[p].start() for p in points[1:-1]], region[1]]
    chars = [len("".join(other[region[0] : at].split())) for at in offsets]
    share = (chars[-1] or 1) / (sum(length for _, length in targets) or 1)
    last = len(points) - 1
    # best[t][p]: the best score of t pieces, the last ending at point p
    best: list[dict[int, tuple[float, int]]] = [{0: (0.0, -1)}]
    for t, (target, length) in enumerate(targets):
        layer: dict[int, tuple[float, int]] = {}
        for p in [last] if t == k - 1 else range(t + 1, last - (k - 1 - t) + 1):
            piece: set[str] = set()
            for q in range(p - 1, -1, -1):  # the piece grows leftwards, point by point
                piece |= groups[q]
                if q not in best[t]:
                    continue
                fit = 2 * len(piece & target) / (len(piece) + len(target)) if piece or target else 0.0
                size = gale_church(round(length * share), chars[p] - chars[q])
                value = best[t][q][0] + LEXICAL_WEIGHT * fit - LENGTH_WEIGHT * size + (bonus[points[p]] if p < last else 0.0)
                if p not in layer or value > layer[p][0]:
                    layer[p] = (value, q)
        best.append(layer)
    chosen = [last]
    for t in range(k, 0, -1):
        chosen.append(best[t][chosen[-1]][1])
    chosen.reverse()
    return [trim(other, offsets[chosen[t]], offsets[chosen[t + 1]]) for t in range(k)]


def _cut_bonus(other: str, region: Span, word: regex.Match[str], starts: Collection[int]) -> float:
    """How good a place to cut the start of ``word`` is: a sentence start, after a clause
    mark (``;`` ``:`` a dash, a comma), before a conjunction, or a plain word boundary."""
    at = word.start()
    if at in starts:
        return CUT_BONUS["sentence"]
    before = other[region[0] : at].rstrip()
    if before.endswith((";", ":", "-", "–", "—")):
        return CUT_BONUS["strong"]
    if before.endswith(","):
        return CUT_BONUS["comma"]
    if word.group().casefold() in CONJUNCTIONS:
        return CUT_BONUS["conjunction"]
    return 0.0




def sentence_links(alignment: PassageAlignment, a: str, b: str) -> frozenset[tuple[int, int]]:
    """Pairs (sentence of ``a``, sentence of ``b``), by index, that some passage holds together.

    >>> from collate.model import Witness
    >>> pa = align_passages([Witness("A", "It rains. We stay."), Witness("B", "It rains and we stay.")], base="A")
    >>> sorted(sentence_links(pa, "A", "B"))
    [(0, 0), (1, 0)]
    """
    sa, sb = alignment.sentences[a], alignment.sentences[b]
    links: set[tuple[int, int]] = set()
    for p in alignment.passages:
        x, y = p.span(a), p.span(b)
        if x is None or y is None:
            continue
        links.update((i, j) for i in _overlapping(sa, x) for j in _overlapping(sb, y))
    return frozenset(links)


def _overlapping(segs: Sequence[Sentence], span: Span) -> list[int]:
    return [k for k, s in enumerate(segs) if s.start < span[1] and span[0] < s.end]
