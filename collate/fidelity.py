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
from dataclasses import dataclass, replace

import regex
from rapidfuzz.distance import OSA

from .align import align
from .differences import differences
from .lexicon import Lexicon
from .losses import loss_runs, losses_of
from .metrics import char_errors, plain_text, rate, word_errors
from .model import Alignment, Location, LostStretch, Reading, Token, VariantClass, Witness
from .normalize import PRESETS, Preset, americanize, normalizer
from .normalize import preset as parse_preset
from .tokenize import GAP_MARKS
from .variants import find_variants, lost_columns

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
    compared: tuple[tuple[Span, Span], ...] = ()
    """The compared stretches, (reference span, witness span) each: CER and WER
    sum their edit distances and lengths.  ``compared_reference`` and
    ``compared_witness`` are their hulls."""
    whole_text: PresetScore | None = None
    """CER and WER of the whole texts, lacunae counted as errors (only when
    lacunae left text out): a figure to label as such, never the headline."""
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
    with _without_gc_pauses():
        return _check(reference, witness, normalization, tuple(vocabulary), gap_marks, partial_share)


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
    pieces, lacunae = _compared_regions(alignment, ref, wit)
    lexicon = Lexicon.of(ref.text, words=vocabulary)
    errors = [e for e in _errors(alignment, ref, wit, wit_siglum, lexicon) if e.cls not in FOLDED[normalization]]
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


def _all_preset_counts(
    reference: str, witness: str, pieces: Sequence[tuple[Span, Span]], hint: tuple[int, int]
) -> dict[str, Counts]:
    """Character and word errors and reference lengths under every preset,
    summed over the compared stretches (each stretch of the witness against
    its stretch of the reference, lacunae left out, each read as dinglehopper
    reads a plain file); a preset that leaves every stretch as the one before
    it did (``typographic`` on a text without ligatures, curly quotes or
    dashes) shares its counts instead of measuring again."""
    parts = [(plain_text(reference[r0:r1]), plain_text(witness[w0:w1])) for (r0, r1), (w0, w1) in pieces]
    out: dict[str, Counts] = {}
    seen: dict[tuple[tuple[str, str], ...], Counts] = {}
    for name in PRESETS:
        texts = tuple((normalize_text(r, name), normalize_text(w, name)) for r, w in parts)
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


def _compared_regions(
    alignment: Alignment, ref: Witness, wit: Witness
) -> tuple[tuple[tuple[Span, Span], ...], tuple[Lacuna, ...]]:
    """The stretches of both texts that are compared (reference span, witness
    span), and the lacunae left out: where either side's text is lost (a lost
    end or start, a gap mark, a stretch it does not cover), the other side's
    text there is not checked.  One code path for every kind of loss."""
    lost = lost_columns(alignment)
    rows = (alignment.row(0), alignment.row(1))
    texts = (ref.text, wit.text)
    losses = losses_of(alignment.witnesses, alignment.tokens, alignment.losses)
    ends = [_lost_ends(alignment.tokens[k], texts[k], losses[k]) for k in (0, 1)]
    width = len(alignment.columns)
    pieces: list[tuple[Span, Span]] = []
    c = 0
    while c < width:
        if c in lost[0] or c in lost[1]:
            c += 1
            continue
        last = c
        while last + 1 < width and last + 1 not in lost[0] and last + 1 not in lost[1]:
            last += 1
        spans = [_side_span(rows[k], texts[k], lost[k], c, last, ends[k]) for k in (0, 1)]
        pieces.append((spans[0], spans[1]))
        c = last + 1
    lacunae: list[Lacuna] = []
    for side, who in ((0, ref), (1, wit)):
        seen: set[tuple[int, int]] = set()
        for first, last, loss in loss_runs(rows[side], texts[side], losses[side]):
            other = [t for k in range(first, last + 1) if k not in lost[1 - side] for t in rows[1 - side][k] or () if not t.is_gap]
            if (first, last) in seen or not other:
                continue
            seen.add((first, last))
            here = _here(rows[side], first, last)
            there = (other[0].word_start, other[-1].word_end)
            lacunae.append(
                Lacuna(
                    lost_in=who.siglum,
                    reference_span=here if side == 0 else there,
                    witness_span=there if side == 0 else here,
                    note=_lacuna_note(who.siglum, loss, rows[side], first, last),
                )
            )
    lacunae.sort(key=lambda lac: (lac.reference_span, lac.witness_span))
    return tuple(pieces), tuple(lacunae)


def _words_in(row: Sequence[tuple[Token, ...] | None], first: int, last: int) -> list[Token]:
    return [t for c in range(max(first, 0), min(last, len(row) - 1) + 1) for t in row[c] or () if not t.is_gap]


def _lost_ends(tokens: Sequence[Token], text: str, losses: Sequence[LostStretch]) -> tuple[bool, bool]:
    """Whether a text's start and its end are lost (then it begins at its
    first word and ends at its last, outer whitespace aside)."""
    words = [t for t in tokens if not t.is_gap]
    if not words:
        return bool(losses), bool(losses)
    at = [loss.offset(text) for loss in losses]
    return any(x <= words[0].word_start for x in at), any(x >= words[-1].word_end for x in at)


def _side_span(
    row: Sequence[tuple[Token, ...] | None], text: str, lost: frozenset[int], first: int, last: int, ends: tuple[bool, bool]
) -> Span:
    """One side's part of a compared stretch: its words there, reaching the
    start (end) of its text when nothing of it stands before (after) and its
    start (end) is not lost."""
    toks = _words_in(row, first, last)
    before = ends[0] or bool(_words_in(row, 0, first - 1)) or any(c < first for c in lost)
    after = ends[1] or bool(_words_in(row, last + 1, len(row) - 1)) or any(c > last for c in lost)
    if toks:
        return (toks[0].word_start if before else 0, toks[-1].word_end if after else len(text))
    point = _here(row, first, last)[0]
    return (point if before else 0, point if after else len(text))


def _here(row: Sequence[tuple[Token, ...] | None], first: int, last: int) -> Span:
    """Where a run of columns stands in one side's text: its gap marks there,
    or the end of its word before (the start of its word after)."""
    gaps = [t for c in range(first, last + 1) for t in row[c] or () if t.is_gap]
    if gaps:
        return gaps[0].word_start, gaps[-1].word_end
    prev = _words_in(row, 0, first - 1)
    if prev:
        return prev[-1].word_end, prev[-1].word_end
    nxt = _words_in(row, last + 1, len(row) - 1)
    return (nxt[0].word_start, nxt[0].word_start) if nxt else (0, 0)


def _lacuna_note(siglum: str, loss: LostStretch, row: Sequence[tuple[Token, ...] | None], first: int, last: int) -> str:
    after = f" after \u201c{loss.after}\u201d" if loss.after else ""
    if loss.mark:
        return f"{siglum} marks a gap here (\u201c{loss.mark}\u201d)"
    if not _words_in(row, last + 1, len(row) - 1):
        return f"{siglum} breaks off{after}"
    if not _words_in(row, 0, first - 1):
        return f"the beginning of {siglum} is lost"
    return f"text lost in {siglum}{after}"


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
