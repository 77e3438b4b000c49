"""What a corpus run keeps of each document: a small summary, and the corpus figures built from them.

A worker collates or checks one document, writes its outputs and sends back
only a summary of a few hundred bytes (`ReportSummary`, `CheckSummary`); the
collation itself is gone by then.  The corpus index, ``corpus.json`` and the
manifest are built from the summaries alone, so a corpus of any size never
has more than one document's collation in memory per worker.

Corpus CER and WER are *pooled*: all character (word) errors over all
reference characters (words), so a long page weighs as much as its length;
the mean of the per-document rates is given beside them.

>>> a = CheckSummary("p1", "p1.txt", "p1.txt", characters=100, char_errors=2, words=20, word_errors=1)
>>> b = CheckSummary("p2", "p2.txt", "p2.txt", characters=300, char_errors=30, words=60, word_errors=9)
>>> t = check_totals([a, b])
>>> t.cer, round(t.mean_cer, 6), t.wer
(0.08, 0.06, 0.125)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..metrics import rate
from ..model import CLASS_ORDER, VariantClass

ClassCounts = tuple[int, ...]
"""Counts per variant class, in `collate.model.CLASS_ORDER`."""

NO_CLASSES: ClassCounts = (0,) * len(CLASS_ORDER)


def class_dict(counts: ClassCounts) -> dict[str, int]:
    """Counts as ``{class: n}``, every class present, weightiest first.

    >>> list(class_dict(NO_CLASSES))[:2]
    ['substitution', 'omission']
    """
    return {c.value: n for c, n in zip(CLASS_ORDER, counts)}


def class_tuple(counts: Mapping[str, int] | Mapping[VariantClass, int]) -> ClassCounts:
    """The inverse of `class_dict` (missing classes count 0)."""
    by_value = {str(k): int(v) for k, v in counts.items()}
    return tuple(by_value.get(c.value, 0) for c in CLASS_ORDER)


def add_counts(rows: Iterable[ClassCounts]) -> ClassCounts:
    total = list(NO_CLASSES)
    for row in rows:
        for i, n in enumerate(row):
            total[i] += n
    return tuple(total)


# ---------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """One collated document: its witnesses, variant counts, similarity, families and coverage.

    ``words`` are per witness, in the order of ``witnesses``; ``classes``
    count each witness's readings per class, summed over the witnesses;
    ``similarity`` is the mean of the pairwise similarities (None when no
    two witnesses overlap); ``families`` maps a family (translation) to its
    sigla and is empty when no witness declares one; ``coverage`` gives, for
    each witness whose text is partly lost, the share of the document it
    covers, and is empty when every witness is complete.
    """

    document: str
    witnesses: tuple[str, ...]
    words: tuple[int, ...]
    base: str | None
    columns: int
    locations: int
    classes: ClassCounts
    similarity: float | None
    families: tuple[tuple[str, tuple[str, ...]], ...] = ()
    coverage: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "witnesses": list(self.witnesses),
            "words": dict(zip(self.witnesses, self.words)),
            "base": self.base,
            "columns": self.columns,
            "locations": self.locations,
            "classes": class_dict(self.classes),
            "similarity": self.similarity,
            "families": {name: list(sigla) for name, sigla in self.families},
            "coverage": dict(self.coverage),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReportSummary:
        """A summary from `to_dict`'s data (as the manifest keeps it).

        >>> s = ReportSummary("d", ("A", "B"), (3, 4), None, 5, 1, NO_CLASSES, 0.8, (("en", ("A", "B")),), (("B", 0.5),))
        >>> ReportSummary.from_dict(s.to_dict()) == s
        True
        """
        witnesses = tuple(str(s) for s in data["witnesses"])
        return cls(
            document=str(data["document"]),
            witnesses=witnesses,
            words=tuple(int(data["words"][s]) for s in witnesses),
            base=None if data["base"] is None else str(data["base"]),
            columns=int(data["columns"]),
            locations=int(data["locations"]),
            classes=class_tuple(data["classes"]),
            similarity=None if data["similarity"] is None else float(data["similarity"]),
            families=tuple((str(k), tuple(str(s) for s in v)) for k, v in data["families"].items()),
            coverage=tuple((str(k), float(v)) for k, v in data["coverage"].items()),
        )


@dataclass(frozen=True, slots=True)
class ReportTotals:
    documents: int
    witnesses: int
    words: int
    locations: int
    classes: ClassCounts


def report_totals(summaries: Sequence[ReportSummary]) -> ReportTotals:
    return ReportTotals(
        documents=len(summaries),
        witnesses=sum(len(s.witnesses) for s in summaries),
        words=sum(sum(s.words) for s in summaries),
        locations=sum(s.locations for s in summaries),
        classes=add_counts(s.classes for s in summaries),
    )


# ---------------------------------------------------------------- check


@dataclass(frozen=True, slots=True)
class CheckSummary:
    """One checked transcription: its error counts, the reference's length, errors per class.

    Counts are under the run's normalization preset, so ``cer`` is exactly
    the figure `collate check` gives for the pair.
    """

    document: str
    reference: str
    witness: str
    characters: int
    char_errors: int
    words: int
    word_errors: int
    classes: ClassCounts = NO_CLASSES
    lacunae: int = 0

    @property
    def cer(self) -> float:
        return rate(self.char_errors, self.characters)

    @property
    def wer(self) -> float:
        return rate(self.word_errors, self.words)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "reference": self.reference,
            "witness": self.witness,
            "cer": _finite(self.cer),
            "wer": _finite(self.wer),
            "characters": self.characters,
            "char_errors": self.char_errors,
            "words": self.words,
            "word_errors": self.word_errors,
            "classes": class_dict(self.classes),
            "lacunae": self.lacunae,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckSummary:
        """A summary from `to_dict`'s data.

        >>> s = CheckSummary("p", "p.txt", "p.txt", 10, 1, 2, 1, NO_CLASSES, 0)
        >>> CheckSummary.from_dict(s.to_dict()) == s
        True
        """
        return cls(
            document=str(data["document"]),
            reference=str(data["reference"]),
            witness=str(data["witness"]),
            characters=int(data["characters"]),
            char_errors=int(data["char_errors"]),
            words=int(data["words"]),
            word_errors=int(data["word_errors"]),
            classes=class_tuple(data["classes"]),
            lacunae=int(data["lacunae"]),
        )


def _finite(value: float) -> float | None:
    """JSON has no infinity: the rate against an empty reference is null."""
    return None if value == float("inf") else value


@dataclass(frozen=True, slots=True)
class CheckTotals:
    """The corpus figures: pooled and mean rates, and the error counts behind them."""

    documents: int
    characters: int
    char_errors: int
    words: int
    word_errors: int
    classes: ClassCounts
    mean_cer: float | None
    mean_wer: float | None

    @property
    def cer(self) -> float:
        return rate(self.char_errors, self.characters)

    @property
    def wer(self) -> float:
        return rate(self.word_errors, self.words)


def _mean(values: Sequence[float]) -> float | None:
    finite = [v for v in values if v != float("inf")]
    return sum(finite) / len(finite) if finite else None


def check_totals(summaries: Sequence[CheckSummary]) -> CheckTotals:
    """Pooled CER/WER (total errors over total reference length) and the per-document means.

    A document checked against an empty reference has an infinite rate; it is
    left out of the mean, and its errors still count in the pooled figures.
    """
    return CheckTotals(
        documents=len(summaries),
        characters=sum(s.characters for s in summaries),
        char_errors=sum(s.char_errors for s in summaries),
        words=sum(s.words for s in summaries),
        word_errors=sum(s.word_errors for s in summaries),
        classes=add_counts(s.classes for s in summaries),
        mean_cer=_mean([s.cer for s in summaries]),
        mean_wer=_mean([s.wer for s in summaries]),
    )


WORST = 10
"""How many of the worst documents a check summary lists."""


def worst(summaries: Sequence[CheckSummary], n: int = WORST) -> list[CheckSummary]:
    """The ``n`` documents with the highest CER (then WER, then name), worst first.

    >>> s = [CheckSummary(d, "", "", 10, e, 1, 0) for d, e in (("a", 1), ("b", 3), ("c", 3))]
    >>> [x.document for x in worst(s, 2)]
    ['b', 'c']
    """
    return sorted(summaries, key=lambda s: (-s.cer, -s.wer, s.document))[:n]
