"""What `collate add` decides about a new witness before it writes anything.

Everything here is computed from the new witness's text and the stored
witnesses, before the store is touched, so a refusal (a stated loss the text
contradicts) leaves the store as it was; the store then writes the witness
with what was decided in one transaction (`collate.store.add_witness`).

1. **Its family** (`collate.families.propose_family`): the family of the
   stored witness whose wording it shares most, if it shares enough of it,
   else a family of its own, named after its siglum.  A family given by the
   caller wins; the proposal is kept, as advice.
2. **Whether it is partial** (`collate.partial.mode_of`): declared a
   fragment, stating a lost end, carrying gap marks, or with fewer words than
   `collate.align.PARTIAL_SHARE` of the stored witnesses' median.
3. **For a partial witness**: its CER and WER against each stored witness
   over the stretch it covers there (`collate.partial.compare`), closest
   first; and its losses and coverage found (`collate.partial.found_meta`,
   stated losses winning) against a reference: the closest complete witness
   of its family, else the closest of its family, else the closest complete
   witness, else the closest.

>>> from collate.model import Witness, WitnessMeta
>>> stored = [Witness("A", "The war goes on in the East. We need a second front in Europe in 1942. It is late.",
...                   WitnessMeta(family="one"))]
>>> a = plan_addition(Witness("B", "We need a secnd front in Europe in 1942."), stored)
>>> a.meta.family, a.partial, a.reference, a.meta.coverage.summary
('one', True, 'A', 'sentence 2: 9 of 19 words, 47 %')
>>> [(c.siglum, round(c.cer, 3)) for c in a.comparisons]
[('A', 0.024)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .align import PARTIAL_SHARE
from .coverage import Mode
from .errors import CollateError
from .families import FamilyProposal, family_problem, propose_family
from .model import Coverage, LossOrigin, Witness, WitnessMeta
from .partial import Comparison, compare, found_meta, mode_by_counts
from .synopsis import is_complete
from .tokenize import shape


@dataclass(frozen=True, slots=True)
class Addition:
    """What to store with a new witness (``meta``: its family, losses and coverage),
    and why: the family proposal, whether the family was given, and for a partial
    witness its comparisons with the stored ones and the reference its coverage
    was found against."""

    meta: WitnessMeta
    proposal: FamilyProposal
    family_given: bool = False
    partial: bool = False
    comparisons: tuple[Comparison, ...] = ()
    reference: str = ""

    @property
    def found_losses(self) -> int:
        """How many of its losses were found by the tool (for a human to check)."""
        return sum(loss.origin is LossOrigin.FOUND for loss in self.meta.lost)


def plan_addition(witness: Witness, stored: Sequence[Witness], *, family: str = "") -> Addition:
    """What to store with ``witness`` among ``stored`` (see the module docstring);
    ``family`` given overrides the proposal.  May raise `CollateError` (a stated loss
    the text contradicts, a witness of gap marks only)."""
    if family and (problem := family_problem(family)) is not None:
        raise CollateError(f"family {family!r} {problem}", path=witness.path or witness.siglum)
    others = [w for w in stored if w.siglum != witness.siglum]
    proposal = propose_family(witness, others)
    chosen = family or proposal.family
    words, gaps = shape(witness.text)  # counted, not tokenized: a new witness may be 200 MB
    counts = [shape(w.text)[0] for w in others]
    partial = bool(others) and mode_by_counts(witness, words, gaps, counts, partial_share=PARTIAL_SHARE) is not Mode.WHOLE
    meta = replace(witness.meta, family=chosen)
    if not partial:
        return Addition(meta, proposal, bool(family))
    comparisons = compare(witness, others)
    reference = _reference(comparisons, others, chosen)
    found = found_meta(witness, reference)
    return Addition(replace(found, family=chosen), proposal, bool(family), True, comparisons, reference.siglum)


def _reference(comparisons: Sequence[Comparison], others: Sequence[Witness], family: str) -> Witness:
    """The stored witness to find a partial witness's coverage against (see the module docstring)."""
    by_siglum = {w.siglum: w for w in others}
    ranked = [by_siglum[c.siglum] for c in comparisons]
    mine = [w for w in ranked if w.meta.family == family]
    for group in (mine, ranked):
        complete = [w for w in group if is_complete(w)]
        if complete or group:
            return (complete or group)[0]
    raise CollateError("no stored witness to measure it against")


def say(addition: Addition, siglum: str, toml: Path | str) -> list[str]:
    """What `collate add` prints of an addition, line by line.

    >>> from collate.model import Witness, WitnessMeta
    >>> stored = [Witness("A", "The war goes on in the East. We need a second front in Europe in 1942. It is late.",
    ...                   WitnessMeta(family="one"))]
    >>> for line in say(plan_addition(Witness("B", "We need a secnd front in Europe in 1942."), stored), "B", "B.toml"):
    ...     print(line)
    family: one (joins family one: shares 100% of its wording with A (a family needs 82%).)
    covers sentence 2 of A: 9 of 19 words, 47 %
    lost: 2 stretches found (before its first words, after its last words): marked found = true in B.toml, for a human to check
    closest witness: A (CER 2.44%, WER 11.11% over the stretch it covers)
      A             CER   2.44%  WER  11.11%  over sentence 2: 9 of 19 words, 47 %
    """
    p = addition.proposal
    if addition.family_given:
        advice = "the same" if p.family == addition.meta.family else f"proposed: {p.reason}"
        lines = [f"family: {addition.meta.family} (given with --family; {advice})"]
    else:
        lines = [f"family: {addition.meta.family} ({p.reason})"]
    if not addition.partial:
        return lines
    if addition.meta.coverage is not None:
        lines.append(covers(addition.meta.coverage))
    found = [loss for loss in addition.meta.lost if loss.origin is LossOrigin.FOUND]
    if found:
        kinds = ", ".join(_where(loss) for loss in found)
        lines.append(
            f"lost: {len(found)} stretch{'es' if len(found) != 1 else ''} found ({kinds}): "
            f"marked found = true in {toml}, for a human to check"
        )
    if addition.comparisons:
        best = addition.comparisons[0]
        lines.append(f"closest witness: {best.siglum} (CER {best.cer:.2%}, WER {best.wer:.2%} over the stretch it covers)")
        for c in addition.comparisons:
            lines.append(f"  {c.siglum:<12}  CER {c.cer:7.2%}  WER {c.wer:7.2%}  over {c.coverage.summary}")
    return lines


def covers(cov: Coverage) -> str:
    """A coverage in one line, naming the text it is measured in.

    >>> covers(Coverage("web", ((834, 1000),), 30, 433, "paragraph 5: 30 of 433 words, 7 %"))
    'covers paragraph 5 of web: 30 of 433 words, 7 %'
    """
    where, _, amount = cov.summary.rpartition(": ")
    if not where:
        return f"covers {cov.summary}"
    return f"covers {where} of {cov.reference}: {amount}" if cov.reference else f"covers {cov.summary}"


def _where(loss: object) -> str:
    if getattr(loss, "is_start", False):
        return "before its first words"
    if getattr(loss, "is_end", False):
        return "after its last words"
    return "inside"
