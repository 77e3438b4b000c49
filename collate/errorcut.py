"""The errors of a check, one per difference.

The variant locations of the two aligned texts (reference as base) are
joined into runs of neighbours; each run, with the word both texts share on
either side of it, is cut into one error per difference
(`collate.differences`); a transposition stays one error, and so does a
long stretch of another text.  Whitespace alone between two words both texts
share (``Command .`` / ``Command.``) is a spacing error.
"""

from __future__ import annotations

from collections.abc import Sequence

from .checked import Error, Span
from .differences import differences
from .lexicon import Lexicon
from .model import Alignment, Location, Reading, Token, VariantClass, Witness
from .variants import find_variants


def errors_of(alignment: Alignment, ref: Witness, wit: Witness, wit_siglum: str, lexicon: Lexicon) -> list[Error]:
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
