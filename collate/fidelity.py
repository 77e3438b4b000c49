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
- Lacunae.  Where the reference is a fragment whose end is lost (``Lost.END``
  in its metadata), the witness's text past the reference's last aligned word
  is a lacuna: no error is reported there, and CER/WER compare only the
  reference (trailing whitespace aside) with the witness up to the end of its
  last word aligned before the break-off.  A lost start is handled the same
  way at the other end, and so is a witness that is itself a fragment (then
  part of the *reference* is left unchecked).  Each lacuna is listed with the
  spans left unchecked.

Output is one function per format: `to_json`, `render_html`, `summary_text`.

>>> from collate.model import Witness
>>> r = check(Witness("ref", "the Eastern front, in 1942."), Witness("wit", "the Easter front in 192."))
>>> [(e.cls.value, e.reference, e.witness, e.witness_span) for e in r.errors]
[('typo', 'Eastern', 'Easter', (4, 10)), ('punctuation', ',', '', (16, 16)), ('typo', '1942', '192', (20, 23))]
>>> round(r.cer, 4), r.wer
(0.1111, 0.4)
"""

from __future__ import annotations

import gc
import json
import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
import regex
from rapidfuzz.distance import OSA

from .align import align
from .differences import differences
from .lexicon import Lexicon
from .metrics import char_errors, plain_text, rate, word_errors
from .model import Alignment, Location, Lost, Reading, Token, VariantClass, Witness
from .normalize import PRESETS, americanize, normalizer
from .variants import find_variants

__all__ = [
    "Error",
    "ClassCount",
    "PresetScore",
    "Lacuna",
    "FidelityReport",
    "check",
    "normalize_text",
    "to_dict",
    "to_json",
    "render_html",
    "summary_text",
]

TEMPLATES = Path(__file__).parent / "templates"

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
    notes: tuple[str, ...] = ()
    """What was done to the texts before measuring (a BOM removed, CRLF read as LF), once each."""


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
    reference: Witness, witness: Witness, *, normalization: str = "exact", vocabulary: Iterable[str] = ()
) -> FidelityReport:
    """Check ``witness`` against ``reference`` (see the module docstring).

    ``vocabulary``: words to count as words of the language besides wordfreq's
    English list and the reference's own words, when deciding typo against
    substitution (`collate.lexicon`).

    >>> from collate.model import Witness
    >>> r = check(Witness("a", "in as much as"), Witness("b", "inasmuch as"))
    >>> [(e.cls.value, e.reference, e.witness) for e in r.errors], r.wer
    ([('spacing', 'in as much', 'inasmuch')], 0.75)
    >>> r = check(Witness("a", "Command.\\nI am"), Witness("b", "command,\\r\\nlam\\r\\n"))
    >>> [(e.cls.value, e.reference, e.witness) for e in r.errors], r.notes
    ([('case', 'Command', 'command'), ('punctuation', '.', ','), ('typo', 'I', 'l'), ('spacing', ' ', '')], ('CRLF line endings of b read as LF before measuring',))
    """
    normalizer(normalization)  # ValueError for an unknown preset, before any work
    with _without_gc_pauses():
        return _check(reference, witness, normalization, tuple(vocabulary))


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


def _check(reference: Witness, witness: Witness, normalization: str, vocabulary: tuple[str, ...]) -> FidelityReport:
    ref, wit, notes = _prepare(reference, witness)
    wit_siglum = wit.siglum if wit.siglum != ref.siglum else wit.siglum + "\u2032"
    alignment = align([ref, replace(wit, siglum=wit_siglum)], normalization=normalization)

    ref_bounds, wit_bounds, lacunae = _compared_regions(alignment, ref, wit)
    lexicon = Lexicon.of(ref.text, words=vocabulary)
    errors = [e for e in _errors(alignment, ref, wit, wit_siglum, lexicon) if e.cls not in FOLDED[normalization]]

    ref_part = plain_text(ref.text[ref_bounds[0] : ref_bounds[1]])
    wit_part = plain_text(wit.text[wit_bounds[0] : wit_bounds[1]])
    # The errors' own edit distances make a close estimate of the whole
    # texts' distance, which speeds up the long comparisons (same result).
    # (rapidfuzz is fastest when the hint is a little above the distance).
    estimate = sum(OSA.distance(e.reference, e.witness) for e in errors), len(errors)
    hint = (int(estimate[0] * 1.3) + 64, int(estimate[1] * 1.3) + 64)
    counts = _all_preset_counts(ref_part, wit_part, hint)
    presets = tuple(
        PresetScore(name, rate(*c[0]), rate(*c[1])) for name, c in counts.items()
    )
    headline = next(p for p in presets if p.preset == normalization)
    n_chars, n_words = counts["exact"][0][1], counts["exact"][1][1]
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
        notes=notes,
    )


def _errors(alignment: Alignment, ref: Witness, wit: Witness, wit_siglum: str, lexicon: Lexicon) -> list[Error]:
    """One error per difference: the variant locations, neighbours joined into
    runs and each run cut by `collate.differences.differences`; a transposition
    stays one error; whitespace alone between words both texts share is spacing."""
    r_row, w_row = alignment.row(0), alignment.row(1)
    runs: list[list[Location]] = []
    for loc in find_variants(alignment, base=ref.siglum):
        reading = {rd.siglum: rd for rd in loc.readings}
        r_read, w_read = reading[ref.siglum], reading[wit_siglum]
        if r_read.cls is VariantClass.LACUNA or w_read.cls is VariantClass.LACUNA or w_read.cls is None:
            continue
        alone = w_read.cls is VariantClass.TRANSPOSITION
        if runs and not alone and runs[-1][-1].last + 1 == loc.first and not _transposed(runs[-1][-1], wit_siglum):
            runs[-1].append(loc)
        else:
            runs.append([loc])
    varied = {c for run in runs for loc in run for c in range(loc.first, loc.last + 1)}
    errors: list[Error] = []
    for run in runs:
        first, last = run[0].first, run[-1].last
        if _transposed(run[0], wit_siglum):
            errors.append(_location_error(run[0], ref, wit, wit_siglum, r_row, w_row))
            continue
        # each side's stretch, with the word both share on either side of it,
        # so that a space lost or added at its edges is seen
        r_span = _stretch(r_row, first, last, varied)
        w_span = _stretch(w_row, first, last, varied)
        found = differences(ref.text, wit.text, r_span, w_span, lexicon=lexicon)
        if found is None:
            errors += [_location_error(loc, ref, wit, wit_siglum, r_row, w_row) for loc in run]
            continue
        errors += [
            Error(d.cls, ref.text[slice(*d.reference_span)], wit.text[slice(*d.witness_span)],
                  d.reference_span, d.witness_span, d.similarity)
            for d in found
        ]
    errors += _spacing_between_shared_words(alignment, ref, wit)
    return sorted(errors, key=lambda e: (e.reference_span[0], e.witness_span[0], e.reference_span[1]))


def _stretch(row: Sequence[tuple[Token, ...] | None], first: int, last: int, varied: set[int]) -> Span:
    """One side's stretch for columns ``first``..``last``: its tokens there,
    and the token just before and just after when both texts share it (its
    column is in no other difference); an insertion point if that is empty."""
    cells = [cell for c in range(first, last + 1) if (cell := row[c])]
    before = next((c for c in range(first - 1, -1, -1) if row[c]), None)
    after = next((c for c in range(last + 1, len(row)) if row[c]), None)
    if before is not None and before not in varied:
        cells.insert(0, row[before] or ())
    if after is not None and after not in varied:
        cells.append(row[after] or ())
    if cells:  # the whitespace after it too: what is inserted there goes after it
        return cells[0][0].word_start, cells[-1][-1].end
    if before is not None:
        point = (row[before] or ())[-1].word_end
    else:
        point = (row[after] or ())[0].word_start if after is not None else 0
    return point, point


def _reading(loc: Location, siglum: str) -> Reading:
    return next(rd for rd in loc.readings if rd.siglum == siglum)


def _transposed(loc: Location, wit_siglum: str) -> bool:
    return _reading(loc, wit_siglum).cls is VariantClass.TRANSPOSITION


def _location_error(
    loc: Location, ref: Witness, wit: Witness, wit_siglum: str,
    r_row: Sequence[tuple[Token, ...] | None], w_row: Sequence[tuple[Token, ...] | None],
) -> Error:
    """A location as one error, classed by `collate.variants.classify` (a
    transposition, or a long stretch of another text)."""
    r_read, w_read = _reading(loc, ref.siglum), _reading(loc, wit_siglum)
    r_span = _span(r_row, w_row, loc.first, loc.last, r_read.tokens, w_read.tokens)
    w_span = _span(w_row, r_row, loc.first, loc.last, w_read.tokens, r_read.tokens)
    assert w_read.cls is not None
    return Error(w_read.cls, ref.text[slice(*r_span)], wit.text[slice(*w_span)], r_span, w_span, w_read.similarity)


def _spacing_between_shared_words(alignment: Alignment, ref: Witness, wit: Witness) -> list[Error]:
    """Whitespace present on one side only between two neighbouring tokens both
    texts share (``Command .`` / ``Command.``): spacing.  A line break after a
    hyphen is not a difference."""
    out: list[Error] = []
    prev: tuple[Token, Token] | None = None
    for col in alignment.columns:
        r_cell, w_cell = col[0], col[1]
        if not r_cell or not w_cell or len(r_cell) != len(w_cell) or any(a.n != b.n for a, b in zip(r_cell, w_cell)):
            prev = None
            continue
        for rt, wt in zip(r_cell, w_cell):
            if prev is not None and (prev[0].t[-1:].isspace() != prev[1].t[-1:].isspace()):
                pr, pw = prev
                r_gap, w_gap = pr.t[len(pr.t.rstrip()) :], pw.t[len(pw.t.rstrip()) :]
                if not (pr.word.endswith("-") and "\n" in (r_gap or w_gap)):  # not a line break after a hyphen
                    r_span, w_span = (pr.word_start, rt.word_end), (pw.word_start, wt.word_end)
                    out.append(Error(VariantClass.SPACING, ref.text[slice(*r_span)], wit.text[slice(*w_span)], r_span, w_span))
            prev = (rt, wt)
    return out


Counts = tuple[tuple[int, int], tuple[int, int]]


def _all_preset_counts(reference: str, witness: str, hint: tuple[int, int]) -> dict[str, Counts]:
    """`_preset_counts` for every preset; a preset that leaves both texts as
    the one before it did (``typographic`` on a text without ligatures, curly
    quotes or dashes) shares its counts instead of measuring again."""
    out: dict[str, Counts] = {}
    seen: dict[tuple[str, str], Counts] = {}
    for name in PRESETS:
        texts = normalize_text(reference, name), normalize_text(witness, name)
        if texts not in seen:
            seen[texts] = char_errors(*texts, hint=hint[0]), word_errors(*texts, hint=hint[1])
        out[name] = seen[texts]
    return out


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
    normalizer(preset)  # ValueError for an unknown preset
    for step in PRESETS[preset]:
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


# ----------------------------------------------------------------------------- JSON


def _number(value: float) -> float | None:
    """JSON has no infinity: an infinite rate (empty reference) is null."""
    return None if math.isinf(value) else value


def to_dict(report: FidelityReport) -> dict[str, Any]:
    """The report as plain JSON-ready data (see `to_json`)."""
    return {
        "reference": report.reference,
        "witness": report.witness,
        "normalization": report.normalization,
        "cer": _number(report.cer),
        "wer": _number(report.wer),
        "reference_characters": report.reference_characters,
        "reference_words": report.reference_words,
        "compared": {
            "reference_span": list(report.compared_reference),
            "witness_span": list(report.compared_witness),
        },
        "errors": [
            {
                "class": e.cls.value,
                "reference": e.reference,
                "witness": e.witness,
                "reference_span": list(e.reference_span),
                "witness_span": list(e.witness_span),
                "similarity": e.similarity,
            }
            for e in report.errors
        ],
        "by_class": {
            c.cls.value: {"count": c.count, "rate": _number(c.rate), "share": c.share} for c in report.by_class
        },
        "presets": {p.preset: {"cer": _number(p.cer), "wer": _number(p.wer)} for p in report.presets},
        "lacunae": [
            {
                "lost_in": lac.lost_in,
                "reference_span": list(lac.reference_span),
                "witness_span": list(lac.witness_span),
                "note": lac.note,
            }
            for lac in report.lacunae
        ],
    }


def to_json(report: FidelityReport) -> str:
    """The report as JSON: ``reference``, ``witness``, ``cer``, ``wer``, ``errors``,
    ``by_class``, ``presets``, ``lacunae``...  An infinite rate is ``null``.

    >>> from collate.model import Witness
    >>> data = json.loads(to_json(check(Witness("r", "the Eastern front"), Witness("w", "the Easter front"))))
    >>> data["errors"][0]["class"], data["errors"][0]["reference_span"], data["by_class"]["typo"]["count"]
    ('typo', [4, 11], 1)
    """
    return json.dumps(to_dict(report), ensure_ascii=False, indent=1, allow_nan=False)


# ----------------------------------------------------------------------------- text


def _pct(value: float) -> str:
    return "n/a (empty reference)" if math.isinf(value) else f"{value * 100:.2f}%"


def _count(n: int, noun: str) -> str:
    """A count with its noun, plural unless one.

    >>> _count(1, "word"), _count(1821, "character")
    ('1 word', '1,821 characters')
    """
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def summary_text(report: FidelityReport) -> str:
    """A short human summary for the terminal.

    >>> from collate.model import Witness
    >>> print(summary_text(check(Witness("r", "the Eastern front"), Witness("w", "the Easter front"))))
    w against r (exact): CER 5.88% of 17 characters, WER 33.33% of 3 words
    1 error: 1 typo
    CER / WER by normalization: exact 5.88% / 33.33% · typographic 5.88% / 33.33% · case 5.88% / 33.33% · punctuation 5.88% / 33.33% · orthographic 5.88% / 33.33%
    """
    n = len(report.errors)
    lines = [
        f"{report.witness} against {report.reference} ({report.normalization}): "
        f"CER {_pct(report.cer)} of {_count(report.reference_characters, 'character')}, "
        f"WER {_pct(report.wer)} of {_count(report.reference_words, 'word')}",
    ]
    counts = sorted((c for c in report.by_class if c.count), key=lambda c: (-c.count, c.cls.value))
    detail = ", ".join(f"{c.count} {c.cls.value}" for c in counts)
    lines.append(f"{n} error{'s' if n != 1 else ''}" + (f": {detail}" if detail else ""))
    lines.append(
        "CER / WER by normalization: "
        + " \u00b7 ".join(f"{p.preset} {_pct(p.cer)} / {_pct(p.wer)}" for p in report.presets)
    )
    for lac in report.lacunae:
        unchecked = lac.witness_span if lac.lost_in == report.reference else lac.reference_span
        side = report.witness if lac.lost_in == report.reference else report.reference
        lines.append(
            f"not checked: {side} characters {unchecked[0]}\u2013{unchecked[1]} ({lac.note}; a lacuna, not errors)"
        )
    return "\n".join(lines)


# ----------------------------------------------------------------------------- HTML


@dataclass(frozen=True, slots=True)
class _Piece:
    """A run of one text in the side-by-side view."""

    text: str
    kind: str  # "plain", "error", "insert", "lacuna"
    cls: str = ""
    number: int = 0


def _pieces(text: str, marks: Sequence[tuple[Span, int, str]], lacunae: Sequence[Span]) -> list[_Piece]:
    events = sorted(
        [(s, e, 0 if s == e else 1, n, cls) for (s, e), n, cls in marks]
        + [(s, e, 2, 0, "lacuna") for s, e in lacunae if e > s],
        key=lambda ev: (ev[0], ev[2]),
    )
    out: list[_Piece] = []
    pos = 0
    for start, end, order, number, cls in events:
        if start < pos:
            continue  # overlaps what is already shown; cannot happen for disjoint locations
        if start > pos:
            out.append(_Piece(text[pos:start], "plain"))
        if order == 0:
            out.append(_Piece("", "insert", cls, number))
        elif order == 1:
            out.append(_Piece(text[start:end], "error", cls, number))
        else:
            out.append(_Piece(text[start:end], "lacuna"))
        pos = max(pos, end)
    if pos < len(text):
        out.append(_Piece(text[pos:], "plain"))
    return out


_ABBR = {
    VariantClass.CASE: "case", VariantClass.PUNCTUATION: "punct", VariantClass.SPACING: "sp",
    VariantClass.HYPHENATION: "hyph", VariantClass.GLYPH: "glyph",
    VariantClass.ORTHOGRAPHIC: "orth", VariantClass.TYPO: "typo", VariantClass.SUBSTITUTION: "subst",
    VariantClass.OMISSION: "om", VariantClass.ADDITION: "add", VariantClass.TRANSPOSITION: "transp",
    VariantClass.LACUNA: "lac",
}


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: FidelityReport) -> str:
    """The report as one self-contained HTML page: both texts side by side
    with every error marked by class (line style, marker and label, not
    colour alone), the error table, the metrics and the per-class counts.

    >>> from collate.model import Witness
    >>> page = render_html(check(Witness("r", "<b>the</b> Eastern"), Witness("w", "<b>the</b> Easter")))
    >>> "<b>the" in page, "&lt;b&gt;the" in page
    (False, True)
    """
    ref_marks = [(e.reference_span, i + 1, e.cls.value) for i, e in enumerate(report.errors)]
    wit_marks = [(e.witness_span, i + 1, e.cls.value) for i, e in enumerate(report.errors)]
    ref_lac = [lac.reference_span for lac in report.lacunae]
    wit_lac = [lac.witness_span for lac in report.lacunae]
    template = _environment().get_template("check.html.j2")
    return template.render(
        report=report,
        pct=_pct,
        abbr={c.value: a for c, a in _ABBR.items()},
        reference_pieces=_pieces(report.reference_text, ref_marks, ref_lac),
        witness_pieces=_pieces(report.witness_text, wit_marks, wit_lac),
        classes=[c for c in report.by_class if c.count],
    )
