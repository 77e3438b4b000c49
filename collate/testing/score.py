"""Scoring an alignment against the truth of synthetic witnesses.

:func:`correspondence_f1` counts, for every pair of witnesses, the word
correspondences an alignment makes (two words in one column) against those
the truth implies (two words derived from one source word).
:func:`spans_overlap` is how a reported error is matched with a true one
(the benchmarks of `collate check` and the real-OCR test score by it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import Alignment, Token, TokenKind
from ..tokenize import tokenize

Origins = tuple[tuple[int, ...], ...]
"""For each word token of a text, the indices of the source word tokens it derives from."""

Truth = Mapping[str, Sequence[tuple[int, ...]]]
"""Siglum -> that witness's :data:`Origins`, all against one common source text."""


def word_tokens(text: str) -> tuple[Token, ...]:
    """The word tokens of ``text`` (kinds WORD and NUMBER), in order.

    >>> [t.word for t in word_tokens("In 1942, a front.")]
    ['In', '1942', 'a', 'front']
    """
    return tuple(tok for tok in tokenize(text) if tok.kind in (TokenKind.WORD, TokenKind.NUMBER))


@dataclass(frozen=True, slots=True)
class Score:
    """Pairwise word-correspondence scores, micro-averaged over witness pairs."""

    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int
    witness_pairs: int






def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def correspondence_f1(alignment: Alignment, truth: Truth) -> Score:
    """Pairwise word-correspondence precision, recall and F1 of ``alignment``.

    For every pair of witnesses A, B of the alignment that have an entry in
    ``truth``:

    - the *predicted* pairs are the (i, j) such that some column holds word
      token i of A in A's cell and word token j of B in B's cell
      (punctuation is ignored).  When both cells hold several words, and
      as many each, they pair in order (a run "in the" against "in the");
      otherwise every combination counts ("in the" against "inthe");
    - the *true* pairs are the (i, j) such that ``truth[A][i]`` and
      ``truth[B][j]`` share a source word: words deriving from the same source
      word, a merged word with each of its source words' descendants, both
      halves of a split word with their source word's descendants, a
      substitute with the word it replaced.  Added words have no true pairs.

    True positives, false positives and false negatives are summed over all
    pairs (micro average); precision is 1.0 when nothing is predicted, recall
    1.0 when nothing is true.  A transposition that the aligner shows as an
    omission plus an addition loses the moved word's pair, as it should.
    Merged and split words can keep even a perfect alignment slightly below
    1.0 (a column holding "in the" in one witness and "inthe" in another also
    pairs the "in" of a third witness with nothing but "in", yet when two
    copies split the same word differently the halves' cross pairs are true).
    Tokens are matched to word indices by the character offset of the word in
    the witness text, so any engine's alignment (fast, collatex) can be scored.

    >>> from collate.model import Alignment, Witness
    >>> a, b = Witness("a", "Easter front"), Witness("b", "Eastern front")
    >>> ta, tb = tokenize(a.text), tokenize(b.text)
    >>> good = Alignment((a, b), (ta, tb), ((ta[:1], tb[:1]), (ta[1:], tb[1:])))
    >>> correspondence_f1(good, {"a": ((0,), (1,)), "b": ((0,), (1,))}).f1
    1.0
    >>> bad = Alignment((a, b), (ta, tb), ((ta[:1], None), (None, tb[:1]), (ta[1:], tb[1:])))
    >>> s = correspondence_f1(bad, {"a": ((0,), (1,)), "b": ((0,), (1,))})
    >>> (s.precision, s.recall, s.false_negatives)
    (1.0, 0.5, 1)
    """
    scored: list[int] = []
    index: list[dict[int, int]] = []
    for w, witness in enumerate(alignment.witnesses):
        offsets = {tok.word_start: i for i, tok in enumerate(word_tokens(witness.text))}
        index.append(offsets)
        if witness.siglum in truth:
            if len(truth[witness.siglum]) != len(offsets):
                raise ValueError(
                    f"truth for {witness.siglum!r} has {len(truth[witness.siglum])} entries"
                    f" but the witness has {len(offsets)} word tokens"
                )
            scored.append(w)
    if len(scored) < 2:
        raise ValueError("truth must cover at least two witnesses of the alignment")
    cells: list[list[tuple[int, ...]]] = []  # per column, per witness: word indices
    for column in alignment.columns:
        row: list[tuple[int, ...]] = []
        for w, cell in enumerate(column):
            if cell is None:
                row.append(())
            else:
                row.append(tuple(index[w][tok.word_start] for tok in cell if tok.word_start in index[w]))
        cells.append(row)
    tp = fp = fn = 0
    pairs = 0
    for x, a in enumerate(scored):
        for b in scored[x + 1 :]:
            pairs += 1
            predicted: set[tuple[int, int]] = set()
            for row in cells:
                if len(row[a]) == len(row[b]):
                    predicted.update(zip(row[a], row[b]))
                else:
                    predicted.update((i, j) for i in row[a] for j in row[b])
            by_source: dict[int, list[int]] = {}
            for j, sources in enumerate(truth[alignment.witnesses[b].siglum]):
                for s in sources:
                    by_source.setdefault(s, []).append(j)
            true = {
                (i, j)
                for i, sources in enumerate(truth[alignment.witnesses[a].siglum])
                for s in sources
                for j in by_source.get(s, ())
            }
            hits = len(predicted & true)
            tp += hits
            fp += len(predicted) - hits
            fn += len(true) - hits
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return Score(
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        witness_pairs=pairs,
    )


def spans_overlap(a: Sequence[int], b: Sequence[int]) -> bool:
    """Whether two character spans ``(start, end)`` overlap; an empty span is a
    point, which overlaps a span holding it (ends included) or the same point.

    >>> spans_overlap((0, 4), (3, 9)), spans_overlap((0, 4), (4, 9)), spans_overlap((4, 4), (0, 4)), spans_overlap((2, 2), (3, 3))
    (True, False, True, False)
    """
    if a[0] == a[1] or b[0] == b[1]:
        return a[0] <= b[1] and b[0] <= a[1]
    return a[0] < b[1] and b[0] < a[1]
