"""Fidelity: one transcription checked against a reference (``collate check``).

The two texts are made NFC, a leading byte-order mark is removed and CRLF and
CR line endings are read as LF (each said once in ``notes``); they are aligned
(`collate.align.align`) and cut into variant locations with the reference as
base (`collate.variants.find_variants`).  Neighbouring locations form a run,
and each run, with the word both texts share on either side of it, is cut
into errors, one per difference (`collate.differences`); a transposition stays
one error.  Whitespace alone between two shared words (``Command .``) is a
spacing error.  Each `Error` has its class, both readings, their character
spans in the texts as measured and, for a typo, the similarity; typo against
substitution is judged with a lexicon (`collate.lexicon`: wordfreq's English
words, the reference's own words and ``vocabulary``).  Beside the errors the
report holds:

- CER and WER (`collate.metrics`, dinglehopper's definitions) of the witness
  against the reference, measured on the texts as dinglehopper's command line
  reads plain files (`collate.metrics.plain_text`: lines stripped, no final
  line break), so that on two files they are the figures dinglehopper gives.
  With ``normalization="exact"`` they are exactly dinglehopper's numbers; with
  another preset the headline figures are those of that preset (see below),
  the alignment folds what the preset folds, and so do the errors (``FOLDED``):
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
- Lacunae.  Where either side is partial (`collate.coverage`: a lost end or
  start, an editorial gap mark, a stretch it does not cover, stated in its
  TOML or found from the text), the other side's text there is a lacuna: no
  error is reported in it, and CER/WER compare only the stretches both sides
  have, each with its counterpart (the words of each, a text's own start or
  end included where nothing of it is lost before or after), summing their
  edit distances and lengths.  Each lacuna is listed with the spans left
  unchecked; ``whole_text`` then holds the whole-text figures, labelled so.

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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

import regex
from rapidfuzz.distance import OSA

from .align import align
from .checked import ClassCount, Error, FidelityReport, Lacuna, PresetScore, Span
from .compared import compared_regions
from .errorcut import errors_of
from .lexicon import Lexicon
from .metrics import char_errors, plain_text, rate, word_errors
from .model import VariantClass, Witness
from .normalize import PRESETS, Preset, americanize, normalizer
from .normalize import preset as parse_preset
from .tokenize import GAP_MARKS

__all__ = ["Error", "ClassCount", "PresetScore", "Lacuna", "FidelityReport", "Span", "check", "normalize_text"]

# ----------------------------------------------------------------------------- check


_LINE_BREAKS = regex.compile(r"\r\n?")

FOLDED: dict[str, frozenset[VariantClass]] = {
    "exact": frozenset(),
    "typographic": frozenset({VariantClass.GLYPH}),
    "case": frozenset({VariantClass.GLYPH, VariantClass.CASE}),
    "punctuation": frozenset({VariantClass.GLYPH, VariantClass.CASE, VariantClass.PUNCTUATION}),
    "orthographic": frozenset(
        {VariantClass.GLYPH, VariantClass.CASE, VariantClass.PUNCTUATION, VariantClass.ORTHOGRAPHIC}
    ),
}
"""The classes of error each preset folds away (not reported under it)."""


def _prepare(reference: Witness, witness: Witness) -> tuple[Witness, Witness, tuple[str, ...]]:
    """Both texts as they are measured: NFC, a leading byte-order mark removed,
    CRLF and CR read as LF; and one note for each of those that applied."""
    out: list[Witness] = []
    boms: list[str] = []
    breaks: dict[str, list[str]] = {}
    for w in (reference, witness):
        text = unicodedata.normalize("NFC", w.text)
        if text.startswith("\ufeff"):
            text = text[1:]
            boms.append(w.siglum)
        for kind in ("CRLF", "CR"):
            if (kind == "CRLF" and "\r\n" in text) or (kind == "CR" and regex.search(r"\r(?!\n)", text)):
                breaks.setdefault(kind, []).append(w.siglum)
        out.append(replace(w, text=_LINE_BREAKS.sub("\n", text)))
    notes = [f"byte-order mark removed from {' and '.join(boms)}"] if boms else []
    notes += [f"{kind} line endings of {' and '.join(sigla)} read as LF before measuring" for kind, sigla in breaks.items()]
    return out[0], out[1], tuple(notes)


def check(
    reference: Witness,
    witness: Witness,
    *,
    normalization: str = "exact",
    vocabulary: Iterable[str] = (),
    gap_marks: tuple[str, ...] = GAP_MARKS,
    partial_share: float | None = None,
) -> FidelityReport:
    """Check ``witness`` against ``reference`` (see the module docstring).

    ``vocabulary``: words to count as words of the language besides wordfreq's
    English list and the reference's own words, when deciding typo against
    substitution (`collate.lexicon`).

    Either side is partial when it is declared a fragment, states losses or
    carries gap marks (``gap_marks``; ``()`` for none, e.g. for OCR output
    whose "..." is text).  Unlike a collation, a check does not guess that a
    short side is partial unless ``partial_share`` is given (missing text is
    an error an OCR check must count): see `collate.align.align`.

    >>> from collate.model import Witness
    >>> r = check(Witness("a", "in as much as"), Witness("b", "inasmuch as"))
    >>> [(e.cls.value, e.reference, e.witness) for e in r.errors], r.wer
    ([('spacing', 'in as much', 'inasmuch')], 0.75)
    >>> r = check(Witness("a", "Command.\\nI am"), Witness("b", "command,\\r\\nlam\\r\\n"))
    >>> [(e.cls.value, e.reference, e.witness) for e in r.errors], r.notes
    ([('case', 'Command', 'command'), ('punctuation', '.', ','), ('typo', 'I', 'l'), ('spacing', ' ', '')], ('CRLF line endings of b read as LF before measuring',))
    """
    normalizer(normalization)  # ValueError for an unknown preset, before any work
    with without_gc_pauses():
        return _check(reference, witness, normalization, tuple(vocabulary), gap_marks, partial_share)


@contextmanager
def without_gc_pauses() -> Iterator[None]:
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


def _check(
    reference: Witness,
    witness: Witness,
    normalization: str,
    vocabulary: tuple[str, ...],
    gap_marks: tuple[str, ...],
    partial_share: float | None,
) -> FidelityReport:
    ref, wit, notes = _prepare(reference, witness)
    wit_siglum = wit.siglum if wit.siglum != ref.siglum else wit.siglum + "\u2032"
    alignment = align(
        [ref, replace(wit, siglum=wit_siglum)], normalization=normalization, gap_marks=gap_marks, partial_share=partial_share
    )
    pieces, lacunae = compared_regions(alignment, ref, wit)
    lexicon = Lexicon.of(ref.text, words=vocabulary)
    errors = [e for e in errors_of(alignment, ref, wit, wit_siglum, lexicon) if e.cls not in FOLDED[normalization]]
    ref_bounds = (pieces[0][0][0], pieces[-1][0][1]) if pieces else (0, 0)
    wit_bounds = (pieces[0][1][0], pieces[-1][1][1]) if pieces else (0, 0)
    # The errors' own edit distances make a close estimate of the whole
    # texts' distance, which speeds up the long comparisons (same result).
    # (rapidfuzz is fastest when the hint is a little above the distance).
    estimate = sum(OSA.distance(e.reference, e.witness) for e in errors), len(errors)
    hint = (int(estimate[0] * 1.3) + 64, int(estimate[1] * 1.3) + 64)
    counts = _all_preset_counts(ref.text, wit.text, pieces, hint)
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
        compared=pieces,
        whole_text=_whole_text(ref.text, wit.text, normalization) if lacunae else None,
        notes=notes,
    )


Counts = tuple[tuple[int, int], tuple[int, int]]


def _all_preset_counts(
    reference: str, witness: str, pieces: Sequence[tuple[Span, Span]], hint: tuple[int, int]
) -> dict[str, Counts]:
    """Character and word errors and reference lengths under every preset,
    summed over the compared stretches (each stretch of the witness against
    its stretch of the reference, lacunae left out, each read as dinglehopper
    reads a plain file); a preset that leaves every stretch as the one before
    it did (``typographic`` on a text without ligatures, curly quotes or
    dashes) shares its counts instead of measuring again."""
    raw = tuple((plain_text(reference[r0:r1]), plain_text(witness[w0:w1])) for (r0, r1), (w0, w1) in pieces)
    out: dict[str, Counts] = {}
    seen: dict[tuple[tuple[str, str], ...], Counts] = {}
    texts = raw
    done: tuple[Callable[[str], str], ...] = ()
    for name in PRESETS:
        steps = PRESETS[name]
        if steps[: len(done)] != done:  # not a rung above the last: from the start
            texts, done = raw, ()
        more = steps[len(done) :]  # the presets are a ladder: only the steps this one adds
        texts, done = tuple((_steps(r, more), _steps(w, more)) for r, w in texts), steps
        if texts not in seen:
            seen[texts] = _summed([(char_errors(r, w, hint=hint[0]), word_errors(r, w, hint=hint[1])) for r, w in texts])
        out[name] = seen[texts]
    return out


def _summed(counts: Sequence[Counts]) -> Counts:
    return (
        (sum(c[0][0] for c in counts), sum(c[0][1] for c in counts)),
        (sum(c[1][0] for c in counts), sum(c[1][1] for c in counts)),
    )


def _whole_text(reference: str, witness: str, preset: str) -> PresetScore:
    """CER and WER of the whole texts, lacunae counted as errors."""
    ref, wit = normalize_text(plain_text(reference), preset), normalize_text(plain_text(witness), preset)
    (ce, cn), (we, wn) = char_errors(ref, wit), word_errors(ref, wit)
    return PresetScore(preset, rate(ce, cn), rate(we, wn))


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
    return _steps(text, PRESETS[parse_preset(preset)])


def _steps(text: str, steps: Sequence[Callable[[str], str]]) -> str:
    for step in steps:
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


