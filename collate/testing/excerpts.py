"""Synthetic partial witnesses with known coverage, for tests and benchmarks.

A scholar's partial witness quotes a stretch of the document, or two or three
stretches joined by an editorial gap mark, and keys in errors of its own.
`cut` makes one such excerpt of a source witness, cut at random word
positions, with the truth: which stretches of the source it quotes (its true
coverage) and where each stands in the excerpt.  Errors are planted by
`collate.testing.synth.noisy_copy` inside each passage, never in its first or last
word, so the true coverage is exactly the stretch the passage came from.

>>> from collate.model import Witness
>>> src = Witness("web", "As the result of an exchange of views in Moscow. It is also known that the front held.")
>>> ex = cut(src, shape=Shape.MIDDLE, seed=3, rate=0.0, length=(4, 6))
>>> ex.text, [src.text[a:b] for a, b in ex.passages], ex.words
('It is also known', ['It is also known'], ((10, 13),))
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..model import Token, Witness
from .synth import noisy_copy, word_tokens

Span = tuple[int, int]

JOINS = ("<...>", "[...]", "[…]", "...", "…", "[gap]", "[illegible]", "[?]")
"""The gap marks `cut` joins passages with, in turn."""


class Shape(StrEnum):
    """Where an excerpt's text comes from."""

    OPENING = "opening"  # the source's first words onwards
    MIDDLE = "middle"
    ENDING = "ending"  # up to the source's last word
    PASSAGES = "passages"  # two or three passages joined by gap marks


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A partial witness of ``source`` and its truth.

    ``passages`` are the character spans of the source text quoted, in order
    (the true coverage); ``words`` the same as (first, last) word-token
    indices of the source; ``pieces`` where each passage's copy stands in
    ``text``.  ``stop`` says how the excerpt ends: "" (no final full stop),
    "source" (the source's own "." at that point, quoted) or "added" (a "."
    the excerpt adds where the source has none, never after its last word).
    """

    source: str
    text: str
    shape: Shape
    passages: tuple[Span, ...]
    words: tuple[tuple[int, int], ...]
    pieces: tuple[Span, ...]
    mark: str = ""
    stop: str = ""
    leading: bool = False
    trailing: bool = False


def _passage_words(n_words: int, shape: Shape, rng: random.Random, length: tuple[int, int]) -> list[tuple[int, int]]:
    """(first, last) word indices of each passage, in order, apart."""
    lo, hi = length
    size = min(n_words, rng.randint(lo, hi))
    if shape is Shape.OPENING:
        return [(0, size - 1)]
    if shape is Shape.ENDING:
        return [(n_words - size, n_words - 1)]
    if shape is Shape.MIDDLE:
        start = rng.randint(1, max(1, n_words - size - 1))
        return [(start, min(n_words - 2, start + size - 1))]
    count = rng.choice((2, 3))
    sizes = [rng.randint(lo, hi) // 2 + 2 for _ in range(count)]
    free = n_words - sum(sizes) - 10 * (count + 1)
    if free < 0:
        raise ValueError("source too short for that many passages")
    cuts = sorted(rng.randint(0, free) for _ in range(count))
    out: list[tuple[int, int]] = []
    pos = 0
    for k, (size, at) in enumerate(zip(sizes, cuts)):
        first = max(pos + (10 if k else 0), at + 10 * (k + 1))
        out.append((first, first + size - 1))
        pos = first + size
    return out


def cut(
    source: Witness,
    *,
    shape: Shape,
    seed: int,
    rate: float = 0.06,
    length: tuple[int, int] = (12, 60),
    mark: str = "<...>",
    stop: bool = False,
    leading: bool = False,
    trailing: bool = False,
) -> Excerpt:
    """An excerpt of ``source`` of the given ``shape``, passages of ``length``
    words (halved for `Shape.PASSAGES`), joined by ``mark``, with errors
    planted at ``rate`` per word inside each passage.  ``stop`` ends it with a
    full stop; ``leading`` / ``trailing`` put "..." before / after it ("the
    text goes on")."""
    rng = random.Random(seed)
    words = word_tokens(source.text)
    chosen = _passage_words(len(words), shape, rng, length)
    passages: list[Span] = []
    copies: list[str] = []
    how = ""
    for k, (first, last) in enumerate(chosen):
        start, end = words[first].word_start, words[last].word_end
        if stop and k == len(chosen) - 1:
            if source.text.startswith(".", end):
                end, how = end + 1, "source"
            elif last < len(words) - 1:  # never past the source's last word: there its text may be lost
                how = "added"
        passages.append((start, end))
        copies.append(_keyed(source.text[start:end], words[first], words[last], start, seed * 31 + k, rate))
    if how == "added":
        copies[-1] += "."
    parts = (["..."] if leading else []) + [f" {mark} ".join(copies)] + (["..."] if trailing else [])
    text = " ".join(parts)
    pieces: list[Span] = []
    pos = 0
    for copy in copies:
        at = text.index(copy, pos)
        pieces.append((at, at + len(copy)))
        pos = at + len(copy)
    return Excerpt(
        source.siglum, text, shape, tuple(passages), tuple(chosen), tuple(pieces),
        mark if len(chosen) > 1 else "", how, leading, trailing,
    )


def _keyed(passage: str, first: Token, last: Token, offset: int, seed: int, rate: float) -> str:
    """The passage with errors planted between its first and last word."""
    head = first.word_end - offset
    tail = last.word_start - offset
    if tail <= head:
        return passage
    middle = noisy_copy(passage[head:tail], seed=seed, rate=rate).text
    return passage[:head] + middle + passage[tail:]


def excerpt_set(sources: Sequence[Witness], *, per_source: int, seed: int) -> tuple[Excerpt, ...]:
    """Excerpts of every shape from each source: openings, middles, endings
    and joined passages (each gap mark of `JOINS` in turn), some ending with
    a full stop and some not, some with a leading or trailing "...".

    >>> from collate.model import Witness
    >>> src = Witness("s", " ".join(f"word{k}" for k in range(200)) + ".")
    >>> sorted({e.shape.value for e in excerpt_set([src], per_source=8, seed=1)})
    ['ending', 'middle', 'opening', 'passages']
    """
    rng = random.Random(seed)
    out: list[Excerpt] = []
    shapes = list(Shape)
    for source in sources:
        for k in range(per_source):
            shape = shapes[k % len(shapes)]
            out.append(
                cut(
                    source,
                    shape=shape,
                    seed=rng.randrange(1 << 30),
                    mark=JOINS[(k // len(shapes)) % len(JOINS)],
                    stop=rng.random() < 0.5,
                    leading=shape in (Shape.MIDDLE, Shape.ENDING) and rng.random() < 0.3,
                    trailing=shape in (Shape.MIDDLE, Shape.OPENING) and rng.random() < 0.3,
                )
            )
    return tuple(out)


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one excerpt fared, collated with ``context`` (its source among them).

    ``omissions_outside``: omission readings of the excerpt outside its true
    coverage (must be 0); ``lacunae_inside``: lacuna readings inside it;
    ``edges_within_one``: every found coverage start and end within one word
    of the truth (and as many stretches as passages); ``edges_exact``: all
    exactly; ``cer`` / ``true_cer``: `collate.fidelity.check` of the excerpt
    (declared a fragment) against its source, and the CER of each passage
    against the exact stretch it came from, summed.
    """

    excerpt: Excerpt
    omissions_outside: int
    lacunae_inside: int
    edges_within_one: bool
    edges_exact: bool
    cer: float
    true_cer: float


def evaluate(ex: Excerpt, context: Sequence[Witness], *, siglum: str = "excerpt", families: bool = False) -> Outcome:
    """Collate ``ex`` with ``context`` and check it against its source: in one
    alignment (as ``collate align`` does), or with ``families`` as ``collate
    report`` does (`collate.synopsis`: the excerpt's family proposed from its
    wording, and its coverage read in that family's alignment; an excerpt put in
    a family its source is not in covers nothing of it)."""
    from ..align import align
    from ..fidelity import check
    from ..metrics import char_errors, rate
    from ..model import Completeness, VariantClass, WitnessMeta
    from ..partial import witness_coverage
    from ..synopsis import synopsis
    from ..variants import find_variants

    source = next(w for w in context if w.siglum == ex.source)
    wit = Witness(siglum, ex.text, WitnessMeta(completeness=Completeness.FRAGMENT))
    errors = [char_errors(source.text[a:b], ex.text[c:d]) for (a, b), (c, d) in zip(ex.passages, ex.pieces)]
    true_cer = rate(sum(e for e, _ in errors), sum(n for _, n in errors))
    if families:
        al = next(f.alignment for f in synopsis([*context, wit]).families if siglum in f.alignment.sigla)
        if ex.source not in al.sigla:  # put in another family: placed nowhere in its source
            return Outcome(ex, 0, 0, False, False, check(source, wit).cer, true_cer)
    else:
        al = align([*context, wit])
    s = al.sigla.index(source.siglum)
    inside = _truth_columns(al.row(s), ex.passages)
    outside = lacunae = 0
    for loc in find_variants(al, base=source.siglum):
        cls = next(r.cls for r in loc.readings if r.siglum == siglum)
        within = any(f <= loc.last and loc.first <= l for f, l in inside)
        outside += cls is VariantClass.OMISSION and not within
        lacunae += cls is VariantClass.LACUNA and within
    found = witness_coverage(al, reference=source.siglum)[siglum].spans
    starts = [t.word_start for t in word_tokens(source.text)]
    ends = [t.word_end for t in word_tokens(source.text)]
    got = [(_first_at(starts, a), _last_at(ends, b)) for a, b in found]
    near = len(got) == len(ex.words) and all(abs(g[0] - t[0]) <= 1 and abs(g[1] - t[1]) <= 1 for g, t in zip(got, ex.words))
    exact = got == list(ex.words)
    return Outcome(ex, outside, lacunae, near, exact, check(source, wit).cer, true_cer)


def _truth_columns(row: Sequence[tuple[Token, ...] | None], passages: Sequence[Span]) -> list[tuple[int, int]]:
    """For each passage, the columns from its first to its last source token."""
    out: list[tuple[int, int]] = []
    for a, b in passages:
        cols = [c for c, cell in enumerate(row) if cell and any(a <= t.word_start < b for t in cell)]
        if cols:
            out.append((cols[0], cols[-1]))
    return out


def _first_at(starts: Sequence[int], offset: int) -> int:
    from bisect import bisect_left

    return bisect_left(starts, offset)


def _last_at(ends: Sequence[int], offset: int) -> int:
    from bisect import bisect_right

    return bisect_right(ends, offset) - 1
