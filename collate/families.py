"""Families: which translation (or recension) a witness belongs to.

Witnesses of one family share their wording: copies, transcriptions, editions
and OCR of one translation.  Witnesses of different families are different
translations of one original; they share passages, not wording.  Variant
classes make sense only within a family.

`propose_family` decides for a new witness: it joins the family of the stored
witness whose wording it shares most, if it shares at least `SHARED_WORDING`
of it, and otherwise starts a family of its own.  The decision comes back as
data, with its reason, for `collate add` to print.

Shared wording is measured passage by passage (`collate.passages`), so a
fragment is compared only where it has text, and word by word, so a
transcription's typos do not make it look like another translation: each
passage's words (orthographic fold, common words kept, a word that nearly
matches one of the other witness's counting as that word) are compared by
RapidFuzz's normalized Indel similarity, and the passages are averaged,
weighted by their words.

>>> from collate.model import Witness, WitnessMeta
>>> stored = [Witness("A", "The war goes on. We need a second front in Europe.", WitnessMeta(family="one"))]
>>> proposal = propose_family(Witness("B", "The war goes on. We need a secnd front in Europe now."), stored)
>>> proposal.family, proposal.joins, proposal.reason
('one', True, 'joins family one: shares 92% of its wording with A (a family needs 82%).')

In a collation (`assign_families`), a witness's family is the one its
metadata states.  When no witness states one, all are taken as one text (one
family, `UNSTATED`), as before families existed; when some do, each of the
others gets the family `propose_family` would give it, against the witnesses
placed before it.  `slug` makes a family's name safe inside a passage id
(``p7.2+soviet1957``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache

from rapidfuzz.distance import Indel

from .metadata import family_problem as family_problem  # where the store reads it; named here too
from .model import Lost, Witness, WitnessMeta
from .normalize import normalizer
from .passages import align_passages, lost_ends
from .sentence_align import WORD, near_matches

SHARED_WORDING = 0.82
"""Least shared wording for a witness to join a family, measured on real and generated
pairs (benchmarks/bench_passages.py, results/passages.json): witnesses of one family
share 0.88-1.0 (web/frus 0.93; two editions of the KJV, whole books and single
chapters, 1.0; noisy copies of web with 5-30 % of their words changed, 0.96-0.88), of
different families 0.55-0.76 (web or frus against corr1957 0.55-0.57 and against the
rosarkhiv rendering 0.63; the KJV against the World English Bible, a revision in its
tradition and the closest pair measured, 0.69-0.76).  The threshold is the midpoint
of the closest translations (0.76) and the noisiest copy (0.88)."""

_FOLD = lru_cache(maxsize=1 << 16)(normalizer("orthographic"))  # a text repeats its words: each folded once
_ANYWHERE = (Lost.START, Lost.END)


@dataclass(frozen=True, slots=True)
class Similarity:
    """How much of its wording a witness shares with one stored witness, over the
    passages both have (``passages``, holding ``words`` words between them)."""

    siglum: str
    family: str
    shared: float
    passages: int
    words: int


@dataclass(frozen=True, slots=True)
class FamilyProposal:
    """The family proposed for a new witness, and why."""

    family: str
    joins: bool
    """True: an existing family; False: a new one."""
    closest: Similarity | None
    similarities: tuple[Similarity, ...]
    """Against every stored witness, most similar first."""
    threshold: float
    reason: str


def words(text: str) -> list[str]:
    """The words of ``text`` for comparing wording: folded, common words kept.

    >>> words("The favourable Communiqué.")
    ['the', 'favorable', 'communique']
    """
    return [w for w in map(_FOLD, WORD.findall(text)) if w]


def shared_wording(witness: Witness, other: Witness) -> Similarity:
    """How much wording ``witness`` shares with ``other``, over the passages both have.

    ``witness`` is aligned as if it could start and end anywhere in ``other`` (its
    coverage is not known yet), ``other`` as the base, lost where its metadata says
    (were both taken to be lost anywhere, a one-sentence excerpt could pair with
    any sentence: neither side's missing words would count).

    >>> a = Witness("a", "It is also known that the war goes on. We need a second front.")
    >>> b = Witness("b", "It will be recalled further that the fighting continues. A second front is needed.")
    >>> round(shared_wording(a, a).shared, 2), round(shared_wording(b, a).shared, 2)
    (1.0, 0.43)
    """
    placed = _placed_wording(witness, other)
    if placed is not None:
        shared, count, weight = placed
        return Similarity(other.siglum, other.family, shared, count, weight)
    mine, theirs = Witness("new", witness.text), Witness("stored", other.text)
    pa = align_passages([theirs, mine], base="stored", lost={"new": _ANYWHERE, "stored": lost_ends(other.meta.lost)})
    pairs = [(pa.text("stored", p), pa.text("new", p)) for p in pa.passages]
    shared, count, weight = passage_wording(
        pairs, near_matches(set(words(witness.text)), set(words(other.text))), cut_edges=True
    )
    return Similarity(other.siglum, other.family, shared, count, weight)


def _placed_wording(witness: Witness, other: Witness) -> tuple[float, int, int] | None:
    """For a partial witness (a fragment, stated losses, gap marks, or clearly
    shorter than ``other``: `collate.partial.mode_of`), the wording it shares with
    the stretches of ``other`` it covers, found as `collate.coverage` finds them
    (a chain of matched content words, cut at gap marks): its words against
    each covered stretch's, as `passage_wording` compares a passage.  None for a
    whole witness, which is compared passage by passage.

    Sentences are the wrong unit for an excerpt: one cut from the middle of a
    long sentence is far shorter than it, and the sentence aligner pairs it by
    length with some short sentence elsewhere; its words find their place."""
    from .coverage import Mode, place
    from .partial import mode_by_counts
    from .tokenize import shape, tokenize

    words_in, gaps = shape(witness.text)  # decided from counts: a whole witness is never tokenized here
    mode = mode_by_counts(witness, words_in, gaps, [shape(other.text)[0]])
    if mode is Mode.WHOLE or not words_in:
        return None
    ref, toks = tokenize(other.text), tokenize(witness.text)
    placement = place(ref, witness, toks, mode=mode)
    pairs = [
        (other.text[ref[b.ref_start].start : ref[b.ref_end - 1].end] if b.ref_end > b.ref_start else None,
         witness.text[toks[b.wit[0]].start : toks[b.wit[-1]].end])
        for b in placement.blocks if b.wit
    ]
    if not any(x for x, _ in pairs):
        return None
    return passage_wording(pairs, near_matches(set(words(witness.text)), set(words(other.text))), cut_edges=True)


def passage_wording(
    pairs: Iterable[tuple[str | None, str | None]], near: dict[str, str] | None = None, *, cut_edges: bool = False
) -> tuple[float, int, int]:
    """The wording two witnesses share over passages already aligned: ``pairs`` of
    their texts for each passage (None where one has nothing), ``near`` mapping a
    word of the second to the near match it stands for in the first.  Gives the
    shared share (each passage's words by RapidFuzz's normalized Indel
    similarity, weighted by their words), the passages both have, and their words.

    With ``cut_edges``, the second witness may begin or end inside a passage (an
    excerpt whose coverage is not known): in its first and last passage only
    the share of its own words the first has, in order, counts.

    >>> shared, passages, n = passage_wording([("The war goes on.", "The war goes on!"), ("We stay.", None)])
    >>> round(shared, 2), passages, n
    (1.0, 1, 8)
    >>> both = [("The war goes on in the East.", "the war goes on"), ("We need a second front.", "We need a second")]
    >>> round(passage_wording(both)[0], 2), round(passage_wording(both, cut_edges=True)[0], 2)
    (0.8, 1.0)
    """
    shared = [(x, y) for x, y in pairs if x is not None and y is not None]
    total = weight = 0.0
    for k, (x, y) in enumerate(shared):
        wx, wy = words(x), [(near or {}).get(w, w) for w in words(y)]
        if cut_edges and k in (0, len(shared) - 1) and wy:
            common = (len(wx) + len(wy) - Indel.distance(wx, wy)) / 2  # the longest common subsequence
            total += common / len(wy) * 2 * len(wy)
            weight += 2 * len(wy)
            continue
        total += Indel.normalized_similarity(wx, wy) * (len(wx) + len(wy))
        weight += len(wx) + len(wy)
    return (total / weight if weight else 0.0), len(shared), int(weight)


def propose_family(
    witness: Witness, stored: Sequence[Witness], *, threshold: float = SHARED_WORDING, new_family: str | None = None
) -> FamilyProposal:
    """The family ``witness`` should join, or a new one (named ``new_family``, by default
    its siglum), with the reason as a sentence.

    >>> from collate.model import WitnessMeta
    >>> stored = [Witness("A", "It is also known that the war goes on. We need a second front.", WitnessMeta(family="one"))]
    >>> other = Witness("B", "It will be recalled further that the fighting continues. A second front is needed.")
    >>> p = propose_family(other, stored)
    >>> p.family, p.joins, p.closest.siglum if p.closest else None
    ('B', False, 'A')
    >>> p.reason
    'new family B: shares at most 43% of its wording with a stored witness (A, family one); a family needs 82%, so it is another translation.'
    """
    name = new_family or witness.siglum
    measured = witness if len(witness.text) <= SAMPLE_ABOVE else sampled(witness)
    sims = sorted((shared_wording(measured, w) for w in stored if w.siglum != witness.siglum), key=lambda s: (-s.shared, s.siglum))
    if not sims:
        return FamilyProposal(name, False, None, (), threshold, f"new family {name}: no stored witness to compare it with.")
    best = sims[0]
    estimated = "" if measured is witness else f", estimated from {SAMPLES} passages of its text"
    if best.shared >= threshold:
        reason = (
            f"joins family {best.family}: shares {best.shared:.0%} of its wording with {best.siglum}"
            f" (a family needs {threshold:.0%}{estimated})."
        )
        return FamilyProposal(best.family, True, best, tuple(sims), threshold, reason)
    reason = (
        f"new family {name}: shares at most {best.shared:.0%} of its wording with a stored witness"
        f" ({best.siglum}, family {best.family}{estimated}); a family needs {threshold:.0%}, so it is another translation."
    )
    return FamilyProposal(name, False, best, tuple(sims), threshold, reason)


SAMPLE_ABOVE = 500_000
"""Characters (a book of about 80,000 words) above which a new witness's wording is
estimated from `SAMPLES` passages spread through it rather than measured in full:
the stored witnesses are compared with each as with an excerpt, so the cost and the
memory stay those of a short text whatever the new one's size (a 200 MB witness
would otherwise be cut into millions of sentences, each compared)."""

SAMPLES = 32
"""How many passages of a long witness are compared (as `collate add` samples its comparisons)."""

SAMPLE_CHARS = 1_500
"""About how long each sampled passage is: a paragraph, some 250 words."""


def sampled(witness: Witness) -> Witness:
    """`SAMPLES` passages of ``witness`` spread evenly through it, cut at spaces and joined
    by gap marks, declared a fragment: what stands for a long witness's wording.

    >>> w = sampled(Witness("big", " ".join(f"w{k}" for k in range(400_000))))
    >>> w.text.count("[...]"), w.meta.is_fragment, w.text[:12]
    (31, True, 'w0 w1 w2 w3 ')
    """
    from .model import Completeness

    text, pieces = witness.text, []
    last = max(0, len(text) - SAMPLE_CHARS)
    for k in range(SAMPLES):
        start = last * k // (SAMPLES - 1)
        if start:
            start = text.find(" ", start) + 1 or start
        end = text.rfind(" ", start, start + SAMPLE_CHARS)
        pieces.append(text[start : end if end > start else start + SAMPLE_CHARS].strip())
    return Witness(witness.siglum, " [...] ".join(p for p in pieces if p), WitnessMeta(completeness=Completeness.FRAGMENT))


def families(witnesses: Sequence[Witness]) -> dict[str, list[str]]:
    """Family name -> sigla, in the witnesses' order (a witness without one is its own family).

    >>> from collate.model import WitnessMeta
    >>> families([Witness("web", "x", WitnessMeta(family="f")), Witness("frus", "x", WitnessMeta(family="f")), Witness("c", "x")])
    {'f': ['web', 'frus'], 'c': ['c']}
    """
    out: dict[str, list[str]] = {}
    for w in witnesses:
        out.setdefault(w.family, []).append(w.siglum)
    return out


# ---------------------------------------------------------------- families in a collation

UNSTATED = "unstated"
"""The family of witnesses taken as one text because no witness of the collation states a family."""


class Assigned(StrEnum):
    """How a witness came by its family in a collation."""

    STATED = "stated"  # its metadata names it
    PROPOSED = "proposed"  # proposed from shared wording (`propose_family`): it states none, others do
    ASSUMED = "assumed"  # no witness states a family: all are taken as copies of one text


@dataclass(frozen=True, slots=True)
class Membership:
    """A witness's family in a collation, how it came by it, and why (a sentence)."""

    siglum: str
    family: str
    assigned: Assigned
    reason: str


def assign_families(witnesses: Sequence[Witness], *, threshold: float = SHARED_WORDING) -> tuple[Membership, ...]:
    """Each witness's family, in the witnesses' order (see the module docstring).

    >>> a = Witness("A", "It is also known that the war goes on. We need a second front.", WitnessMeta(family="one"))
    >>> b = Witness("B", "It will be recalled further that the fighting continues. A second front is needed.")
    >>> [(m.siglum, m.family, m.assigned.value) for m in assign_families([a, b])]
    [('A', 'one', 'stated'), ('B', 'B', 'proposed')]
    >>> [(m.family, m.assigned.value) for m in assign_families([Witness("x", "a b"), Witness("y", "a c")])]
    [('unstated', 'assumed'), ('unstated', 'assumed')]
    """
    if not any(w.meta.family for w in witnesses):
        why = "no witness states a family: all are taken as copies of one text"
        return tuple(Membership(w.siglum, UNSTATED, Assigned.ASSUMED, why) for w in witnesses)
    placed = [w for w in witnesses if w.meta.family]
    out: dict[str, Membership] = {
        w.siglum: Membership(w.siglum, w.meta.family, Assigned.STATED, f"stated in its metadata: {w.meta.family}") for w in placed
    }
    for w in witnesses:
        if w.siglum in out:
            continue
        taken = {m.family for m in out.values()}
        fresh = w.siglum if w.siglum not in taken else f"{w.siglum}-family"
        proposal = propose_family(w, placed, threshold=threshold, new_family=fresh)
        out[w.siglum] = Membership(w.siglum, proposal.family, Assigned.PROPOSED, proposal.reason)
        placed.append(replace(w, meta=replace(w.meta, family=proposal.family)))
    return tuple(out[w.siglum] for w in witnesses)


_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def slug(name: str) -> str:
    """``name`` made safe inside a passage id and a URL fragment: ASCII letters, digits,
    ``_``, ``.`` and ``-``; anything else becomes ``-``.

    >>> slug("soviet1957"), slug("the 1957 Soviet translation"), slug("Übersetzung")
    ('soviet1957', 'the-1957-Soviet-translation', 'bersetzung')
    """
    return _UNSAFE.sub("-", name).strip("-") or "family"
