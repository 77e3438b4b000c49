"""The values a transcription check produces (`collate.fidelity.check`): errors, counts, lacunae, the report."""

from __future__ import annotations

from dataclasses import dataclass

from .model import VariantClass

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Error:
    """One difference of the witness from the reference.

    Spans are character offsets into the NFC texts, end exclusive; the empty
    side of an omission or addition is an empty span at the insertion point.
    """

    cls: VariantClass
    reference: str
    witness: str
    reference_span: Span
    witness_span: Span
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class ClassCount:
    """How many errors of one class; ``rate`` per reference word, ``share`` of all errors."""

    cls: VariantClass
    count: int
    rate: float
    share: float


@dataclass(frozen=True, slots=True)
class PresetScore:
    """CER and WER with both texts normalized by ``preset``."""

    preset: str
    cer: float
    wer: float


@dataclass(frozen=True, slots=True)
class Lacuna:
    """Text left unchecked because the other side's text is lost there."""

    lost_in: str
    reference_span: Span
    witness_span: Span
    note: str = ""


@dataclass(frozen=True, slots=True)
class FidelityReport:
    """The result of `check`: metrics, classified errors, lacunae."""

    reference: str
    witness: str
    normalization: str
    reference_text: str
    witness_text: str
    compared_reference: Span
    compared_witness: Span
    cer: float
    wer: float
    reference_characters: int
    reference_words: int
    errors: tuple[Error, ...]
    by_class: tuple[ClassCount, ...]
    presets: tuple[PresetScore, ...]
    lacunae: tuple[Lacuna, ...] = ()
    compared: tuple[tuple[Span, Span], ...] = ()
    """The compared stretches, (reference span, witness span) each: CER and WER
    sum their edit distances and lengths.  ``compared_reference`` and
    ``compared_witness`` are their hulls."""
    whole_text: PresetScore | None = None
    """CER and WER of the whole texts, lacunae counted as errors (only when
    lacunae left text out): a figure to label as such, never the headline."""
    notes: tuple[str, ...] = ()
    """What was done to the texts before measuring (a BOM removed, CRLF read as LF), once each."""
