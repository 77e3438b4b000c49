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
('one', True, 'joins family one: shares 96% of its wording with A (a family needs 82%).')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from .model import Lost, Witness
from .normalize import normalizer
from .passages import align_passages
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

_FOLD = normalizer("orthographic")
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

    Both are aligned as if either could start and end anywhere in the other (their
    coverage is not known yet), ``other`` as the base.

    >>> a = Witness("a", "It is also known that the war goes on. We need a second front.")
    >>> b = Witness("b", "It will be recalled further that the fighting continues. A second front is needed.")
    >>> round(shared_wording(a, a).shared, 2), round(shared_wording(b, a).shared, 2)
    (1.0, 0.43)
    """
    mine, theirs = Witness("new", witness.text), Witness("stored", other.text)
    pa = align_passages([theirs, mine], base="stored", lost={"new": _ANYWHERE, "stored": _ANYWHERE})
    near = near_matches(set(words(witness.text)), set(words(other.text)))
    total = weight = 0.0
    count = 0
    for p in pa.passages:
        x, y = pa.text("stored", p), pa.text("new", p)
        if x is None or y is None:
            continue
        wx, wy = words(x), [near.get(w, w) for w in words(y)]
        total += Indel.normalized_similarity(wx, wy) * (len(wx) + len(wy))
        weight += len(wx) + len(wy)
        count += 1
    return Similarity(other.siglum, other.family, total / weight if weight else 0.0, count, int(weight))


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
    sims = sorted((shared_wording(witness, w) for w in stored if w.siglum != witness.siglum), key=lambda s: (-s.shared, s.siglum))
    if not sims:
        return FamilyProposal(name, False, None, (), threshold, f"new family {name}: no stored witness to compare it with.")
    best = sims[0]
    if best.shared >= threshold:
        reason = (
            f"joins family {best.family}: shares {best.shared:.0%} of its wording with {best.siglum}"
            f" (a family needs {threshold:.0%})."
        )
        return FamilyProposal(best.family, True, best, tuple(sims), threshold, reason)
    reason = (
        f"new family {name}: shares at most {best.shared:.0%} of its wording with a stored witness"
        f" ({best.siglum}, family {best.family}); a family needs {threshold:.0%}, so it is another translation."
    )
    return FamilyProposal(name, False, best, tuple(sims), threshold, reason)


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
