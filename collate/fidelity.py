"""Fidelity: one transcription checked against a reference (``collate check``).

The two texts are made NFC, aligned (`collate.align.align`) and cut into
variant locations with the reference as base (`collate.variants.find_variants`).
Every location where the witness differs becomes an `Error` with its class,
both readings, their character spans in the NFC texts and, for a typo, the
similarity.  Beside the errors the report holds:

- CER and WER (`collate.metrics`, dinglehopper's definitions) of the witness
  against the reference.  With ``normalization="exact"`` they are exactly
  dinglehopper's numbers; with another preset the headline figures are those
  of that preset (see below) and the alignment folds what the preset folds, so
  e.g. ``"case"`` reports no case errors.
- Counts per class.  ``rate`` is errors of that class per reference word (the
  words WER counts), ``share`` their fraction of all errors.
- CER and WER under every normalization preset side by side, so one can see
  how much of the error is only case or punctuation.  A preset is applied to
  both texts *chunk by chunk*: every run of non-whitespace characters is
  normalized as the tokenizer would normalize a word (so the word-level
  British/American spelling map applies to ``favourable,`` as it does to
  ``favourable``), whitespace is kept as it is, and a chunk that normalizes to
  nothing (a lone dash under ``punctuation``) leaves its whitespace behind.
- Lacunae.  Where the reference is a fragment whose end is lost (``Lost.END``
  in its metadata), the witness's text past the reference's last aligned word
  is a lacuna: no error is reported there, and CER/WER compare only the
  reference (trailing whitespace aside) with the witness up to the end of its
  last word aligned before the break-off.  A lost start is handled the same
  way at the other end, and so is a witness that is itself a fragment (then
  part of the *reference* is left unchecked).  Each lacuna is listed with the
  spans left unchecked.

Outputs (JSON, the terminal summary, the HTML page) are in `collate.render.check`.

>>> from collate.model import Witness
>>> r = check(Witness("ref", "the Eastern front, in 1942."), Witness("wit", "the Easter front in 192."))
>>> [(e.cls.value, e.reference, e.witness, e.witness_span) for e in r.errors]
[('typo', 'Eastern', 'Easter', (4, 10)), ('punctuation', ',', '', (16, 16)), ('typo', '1942', '192', (20, 23))]
>>> round(r.cer, 4), r.wer
(0.1111, 0.4)
"""

from __future__ import annotations

import gc
import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

import regex
from rapidfuzz.distance import OSA

from .align import align
from .metrics import char_errors, rate, word_errors
from .model import Alignment, Lost, Token, VariantClass, Witness
from .normalize import PRESETS, Preset, americanize, normalizer
from .normalize import preset as parse_preset
from .variants import find_variants

__all__ = ["Error", "ClassCount", "PresetScore", "Lacuna", "FidelityReport", "check", "normalize_text"]

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


# ----------------------------------------------------------------------------- check


def _nfc(witness: Witness) -> Witness:
    return replace(witness, text=unicodedata.normalize("NFC", witness.text))


def check(reference: Witness, witness: Witness, *, normalization: str = "exact") -> FidelityReport:
    """Check ``witness`` against ``reference`` (see the module docstring).

    >>> from collate.model import Witness
    >>> r = check(Witness("a", "in as much as"), Witness("b", "inasmuch as"))
    >>> [(e.cls.value, e.reference, e.witness) for e in r.errors], r.wer
    ([('spacing', 'in as much', 'inasmuch')], 0.75)
    """
    normalizer(normalization)  # ValueError for an unknown preset, before any work
    with _without_gc_pauses():
        return _check(reference, witness, normalization)


@contextmanager
def _without_gc_pauses() -> Iterator[None]:
    """Hold the cyclic garbage collector off while a check runs, and restore it.

    Aligning two long texts allocates a few hundred thousand small tuples and
    tokens, none of them in reference cycles; the collector's repeated passes
    over them took about a third of the time of a 20,000-word check.  Their
    memory is freed by reference counting as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check(reference: Witness, witness: Witness, normalization: str) -> FidelityReport:
    ref = _nfc(reference)
    wit = _nfc(witness)
    wit_siglum = wit.siglum if wit.siglum != ref.siglum else wit.siglum + "\u2032"
    alignment = align([ref, replace(wit, siglum=wit_siglum)], normalization=normalization)
    r_row, w_row = alignment.row(0), alignment.row(1)

    ref_bounds, wit_bounds, lacunae = _compared_regions(alignment, ref, wit)

    errors: list[Error] = []
    for loc in find_variants(alignment, base=ref.siglum):
        reading = {rd.siglum: rd for rd in loc.readings}
        r_read, w_read = reading[ref.siglum], reading[wit_siglum]
        if r_read.cls is VariantClass.LACUNA or w_read.cls is VariantClass.LACUNA or w_read.cls is None:
            continue
        r_span = _span(r_row, w_row, loc.first, loc.last, r_read.tokens, w_read.tokens)
        w_span = _span(w_row, r_row, loc.first, loc.last, w_read.tokens, r_read.tokens)
        errors.append(
            Error(
                cls=w_read.cls,
                reference=ref.text[r_span[0] : r_span[1]],
                witness=wit.text[w_span[0] : w_span[1]],
                reference_span=r_span,
                witness_span=w_span,
                similarity=w_read.similarity,
            )
        )

    ref_part = ref.text[ref_bounds[0] : ref_bounds[1]]
    wit_part = wit.text[wit_bounds[0] : wit_bounds[1]]
    # The errors' own edit distances make a close estimate of the whole
    # texts' distance, which speeds up the long comparisons (same result).
    # (rapidfuzz is fastest when the hint is a little above the distance).
    estimate = sum(OSA.distance(e.reference, e.witness) for e in errors), len(errors)
    hint = (int(estimate[0] * 1.3) + 64, int(estimate[1] * 1.3) + 64)
    counts = {name: _preset_counts(ref_part, wit_part, name, hint=hint) for name in PRESETS}
    presets = tuple(
        PresetScore(name, rate(*c[0]), rate(*c[1])) for name, c in counts.items()
    )
    headline = next(p for p in presets if p.preset == normalization)
    n_chars, n_words = counts[Preset.EXACT][0][1], counts[Preset.EXACT][1][1]
    tally = Counter(e.cls for e in errors)
    by_class = tuple(
        ClassCount(
            cls,
            tally[cls],
            _ratio(tally[cls], n_words),
            tally[cls] / len(errors) if errors else 0.0,
        )
        for cls in VariantClass
    )
    return FidelityReport(
        reference=reference.siglum,
        witness=witness.siglum,
        normalization=normalization,
        reference_text=ref.text,
        witness_text=wit.text,
        compared_reference=ref_bounds,
        compared_witness=wit_bounds,
        cer=headline.cer,
        wer=headline.wer,
        reference_characters=n_chars,
        reference_words=n_words,
        errors=tuple(errors),
        by_class=by_class,
        presets=presets,
        lacunae=lacunae,
    )


def _preset_counts(
    reference: str, witness: str, preset: str, *, hint: tuple[int, int] = (0, 0)
) -> tuple[tuple[int, int], tuple[int, int]]:
    """(character errors, reference characters), (word errors, reference words) under ``preset``."""
    ref, wit = normalize_text(reference, preset), normalize_text(witness, preset)
    return char_errors(ref, wit, hint=hint[0]), word_errors(ref, wit, hint=hint[1])


def _ratio(count: int, total: int) -> float:
    if count == 0:
        return 0.0
    return count / total if total else math.inf


def normalize_text(text: str, preset: str) -> str:
    """``text`` normalized by ``preset`` chunk by chunk (whitespace kept).

    Every step but the word-level spelling map works character by character and
    never across whitespace, so it is applied to the whole text at once;
    ``americanize`` is applied to each run of non-whitespace characters.

    >>> normalize_text("The favourable, Anglo-Soviet communiqué — ", "orthographic")
    'the favorable anglosoviet communique  '
    """
    for step in PRESETS[parse_preset(preset)]:
        text = _per_chunk(text, step) if step is americanize else step(text)
    return text


_SPLIT = regex.compile(r"(\s+)")


def _per_chunk(text: str, step: Callable[[str], str]) -> str:
    seen: dict[str, str] = {}
    parts = _SPLIT.split(text)
    for i in range(0, len(parts), 2):  # even items are the chunks between whitespace
        chunk = parts[i]
        done = seen.get(chunk)
        if done is None:
            done = seen[chunk] = step(chunk)
        parts[i] = done
    return "".join(parts)


def _present(row: Sequence[tuple[Token, ...] | None]) -> list[int]:
    return [c for c, cell in enumerate(row) if cell]


def _compared_regions(alignment: Alignment, ref: Witness, wit: Witness) -> tuple[Span, Span, tuple[Lacuna, ...]]:
    """The parts of both texts that are compared, and the lacunae left out."""
    rows = [alignment.row(0), alignment.row(1)]
    texts = [ref.text, wit.text]
    bounds = [[0, len(ref.text)], [0, len(wit.text)]]
    lacunae: list[Lacuna] = []
    for lost_side, lost_wit in ((0, ref), (1, wit)):
        if not lost_wit.meta.is_fragment:
            continue
        other = 1 - lost_side
        present = _present(rows[lost_side])
        if not present:
            continue
        other_row = rows[other]
        if Lost.END in lost_wit.meta.lost:
            last = present[-1]
            kept = [tok for c in range(0, last + 1) for tok in (other_row[c] or ())]
            beyond = [tok for c in range(last + 1, len(other_row)) for tok in (other_row[c] or ())]
            if beyond:
                end = kept[-1].word_end if kept else bounds[other][0]
                bounds[other][1] = min(bounds[other][1], end)
                bounds[lost_side][1] = min(bounds[lost_side][1], len(texts[lost_side].rstrip()))
                lost_span = (beyond[0].word_start, beyond[-1].word_end)
                here = (len(texts[lost_side].rstrip()),) * 2
                note = lost_wit.meta.breaks_off_after
                lacunae.append(
                    Lacuna(
                        lost_in=lost_wit.siglum,
                        reference_span=here if lost_side == 0 else lost_span,
                        witness_span=lost_span if lost_side == 0 else here,
                        note=f"{lost_wit.siglum} breaks off" + (f" after \u201c{note}\u201d" if note else ""),
                    )
                )
        if Lost.START in lost_wit.meta.lost:
            first = present[0]
            before = [tok for c in range(0, first) for tok in (other_row[c] or ())]
            kept = [tok for c in range(first, len(other_row)) for tok in (other_row[c] or ())]
            if before:
                start = kept[0].word_start if kept else bounds[other][1]
                bounds[other][0] = max(bounds[other][0], start)
                text = texts[lost_side]
                lead = len(text) - len(text.lstrip())
                bounds[lost_side][0] = max(bounds[lost_side][0], lead)
                lost_span = (before[0].word_start, before[-1].word_end)
                here = (lead, lead)
                lacunae.append(
                    Lacuna(
                        lost_in=lost_wit.siglum,
                        reference_span=here if lost_side == 0 else lost_span,
                        witness_span=lost_span if lost_side == 0 else here,
                        note=f"the beginning of {lost_wit.siglum} is lost",
                    )
                )
    for b in bounds:
        b[1] = max(b[0], b[1])
    return (bounds[0][0], bounds[0][1]), (bounds[1][0], bounds[1][1]), tuple(lacunae)


def _span(
    row: Sequence[tuple[Token, ...] | None],
    other_row: Sequence[tuple[Token, ...] | None],
    first: int,
    last: int,
    tokens: tuple[Token, ...],
    other_tokens: tuple[Token, ...],
) -> Span:
    """The character span of ``tokens`` or, if there are none, the insertion point.

    The insertion point follows the other text's layout: where the other
    side's tokens stand apart from what precedes them (``of | the Soviet``)
    it is the start of this side's next word; where they are attached to it
    (``London|,``) it is the end of this side's previous word.
    """
    if tokens:
        return tokens[0].word_start, tokens[-1].word_end
    prev_tok = next((cell[-1] for c in range(first - 1, -1, -1) if (cell := row[c])), None)
    next_tok = next((cell[0] for c in range(last + 1, len(row)) if (cell := row[c])), None)
    attached = False
    if other_tokens:
        other_prev = next((cell[-1] for c in range(first - 1, -1, -1) if (cell := other_row[c])), None)
        attached = other_prev is not None and other_prev.word_end == other_tokens[0].word_start
    if prev_tok is not None and (attached or next_tok is None):
        return prev_tok.word_end, prev_tok.word_end
    if next_tok is not None:
        return next_tok.word_start, next_tok.word_start
    return 0, 0
