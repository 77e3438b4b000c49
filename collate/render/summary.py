"""The report's summary, as plain values: witness cards, the similarity heat map, the
overview strip and each witness's coverage strip.

Part of the view model (`collate.render.view`).  Everything here reads a
`collate.synopsis.Synopsis`: similarity is measured column by column within a
family and, across families (different translations, never aligned word by
word), as the wording two witnesses share passage by passage
(`collate.families.passage_wording`).  Positions along the document (the
overview's marks, the coverage strips) are shares of the passages' length, so
a mark and a strip at one place speak of one passage.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..families import passage_wording, words
from ..sentence_align import near_matches
from ..losses import losses_of
from ..metadata import meta_to_dict
from ..model import CLASS_ORDER, LossOrigin, LostStretch, Token, TokenKind, VariantClass, Witness, WitnessMeta
from ..synopsis import RowState, Synopsis
from ..variants import pairwise_similarity

OVERVIEW_BINS = 200
"""Most marks in the overview strip; nearby locations share a mark."""

HEAT_RGB = (0x00, 0x5A, 0x8C)
"""The heat map's full colour (a darker Okabe-Ito blue, so white numbers on it read at 4.5:1)."""


@dataclass(frozen=True, slots=True)
class WitnessView:
    """A witness's provenance and its counts (one per class, in `CLASS_ORDER`).

    ``meta`` pairs a field's name with its values as sentences (a loss, the
    coverage, a title...).  ``sha256`` is the checksum of the text this report
    used; ``recorded`` the one its metadata holds (empty if none); ``modified``
    whether the caller found the stored text changed since it was stored.
    ``family_start`` marks the first witness of a family (the columns are
    grouped by family); ``alone`` a witness with no other of its family, so
    nothing of it is counted.
    """

    index: int
    siglum: str
    meta: tuple[tuple[str, tuple[str, ...]], ...]
    title: str
    fragment: bool
    tokens: int
    words: int
    locations: int
    counts: tuple[int, ...]
    sha256: str = ""
    recorded: str = ""
    modified: bool = False
    family: str = ""
    family_reason: str = ""
    base_family: bool = True
    family_start: bool = False
    alone: bool = False


@dataclass(frozen=True, slots=True)
class HeatCell:
    """One cell of the similarity heat map: ``shade`` (0..1) spreads the
    matrix's own range over the colour scale, so 89 % and 95 % look different.
    Across families ``value`` is None and ``wording`` the share of wording the
    two translations have in common, passage by passage."""

    a: str
    b: str
    value: float | None
    shade: float
    dark: bool = False  # white numbers read better on it
    same_family: bool = True
    wording: float | None = None


@dataclass(frozen=True, slots=True)
class OverviewMark:
    """A mark in the overview strip: ``left``/``width`` in percent of the text."""

    left: float
    width: float
    height: float
    count: int
    cls: VariantClass
    loc: int
    row: int
    passage: str
    title: str


@dataclass(frozen=True, slots=True)
class StripPart:
    """A run of passages in a coverage strip: where it stands (percent) and what the witness has there."""

    left: float
    width: float
    state: RowState
    first: str
    last: str


@dataclass(frozen=True, slots=True)
class CoverageView:
    """A witness's coverage strip and the sentence that says the same (its text alternative)."""

    index: int
    siglum: str
    parts: tuple[StripPart, ...]
    text: str


# ---------------------------------------------------------------- witnesses


def loss_text(loss: LostStretch, text: str) -> str:
    """A lacuna as a reader would say it.

    >>> from collate.model import Lost
    >>> loss_text(LostStretch(Lost.END, after="have been"), "the best forces have been")
    'after its last words, “…have been” (stated)'
    >>> loss_text(LostStretch(40, origin=LossOrigin.FOUND, reference="web", stands_for=(1021, 2388)), "x" * 50)
    'inside, at character 40 (found by collate: check it; stands for web, characters 1021–2388)'
    """
    if loss.is_start:
        where = "before its first words"
    elif loss.is_end:
        where = f"after its last words, “…{loss.after}”" if loss.after else "after its last words"
    elif loss.after:
        where = f"inside, after “…{loss.after}”"
    else:
        where = f"inside, at character {loss.at}"
    how = {
        LossOrigin.STATED: "stated",
        LossOrigin.FOUND: "found by collate: check it",
        LossOrigin.MARKED: f"marked {loss.mark} in the text" if loss.mark else "marked in the text",
    }[loss.origin]
    if loss.stands_for is not None:
        how += f"; stands for {loss.reference or 'the reference'}, characters {loss.stands_for[0]}\u2013{loss.stands_for[1]}"
    return f"{where} ({how})"


def meta_lines(witness: Witness) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The witness's metadata for its card: each field with its values as text (losses
    and coverage as sentences, never as a data structure); the checksum left out.

    >>> from collate.model import Coverage, Lost
    >>> meta = WitnessMeta(title="p", lost=(LostStretch(Lost.END, after="have been"),),
    ...                    coverage=Coverage("web", ((0, 9),), 2, 433, "the opening sentence: 2 of 433 words, <1 %"))
    >>> meta_lines(Witness("p", "have been", meta))
    (('title', ('p',)), ('completeness', ('complete',)), ('coverage', ('the opening sentence: 2 of 433 words, <1 % (of web)',)), ('lost', ('after its last words, “…have been” (stated)',)))
    """
    out: list[tuple[str, tuple[str, ...]]] = []
    for key, value in meta_to_dict(witness.meta).items():
        if key == "sha256":
            continue
        if key == "lost":
            out.append((key, tuple(loss_text(loss, witness.text) for loss in witness.meta.lost)))
        elif key == "coverage" and witness.meta.coverage is not None:
            cov = witness.meta.coverage
            out.append((key, (f"{cov.summary} (of {cov.reference})" if cov.reference else cov.summary,)))
        elif isinstance(value, list):
            out.append((key, tuple(map(str, value))))
        else:
            out.append((key, (str(value),)))
    return tuple(out)


def witness_view(
    w: int, wit: Witness, toks: Sequence[Token], counts: Counter[VariantClass], modified: frozenset[str]
) -> WitnessView:
    """A witness's card (its family is set by the caller)."""
    return WitnessView(
        index=w,
        siglum=wit.siglum,
        meta=meta_lines(wit),
        title=wit.meta.title,
        fragment=wit.meta.is_fragment,
        tokens=len(toks),
        words=sum(t.kind in (TokenKind.WORD, TokenKind.NUMBER) for t in toks),
        locations=sum(counts.values()),
        counts=tuple(counts[c] for c in CLASS_ORDER),
        sha256=hashlib.sha256(wit.text.encode("utf-8")).hexdigest(),
        recorded=wit.meta.sha256.strip().lower(),
        modified=wit.siglum in modified,
    )


# ---------------------------------------------------------------- similarity


def similarity(syn: Synopsis) -> tuple[list[list[float | None]], list[list[float | None]]]:
    """For each pair of witnesses (in the synopsis's order): within a family, the share of
    columns where both read the same (`collate.variants.pairwise_similarity`), None
    across; across families, the wording they share passage by passage, None within."""
    sigla = syn.sigla
    n = len(sigla)
    same: list[list[float | None]] = [[None] * n for _ in range(n)]
    wording: list[list[float | None]] = [[None] * n for _ in range(n)]
    at = {s: k for k, s in enumerate(sigla)}
    for f in syn.families:
        matrix = pairwise_similarity(f.alignment)
        for i, a in enumerate(f.sigla):
            for j, b in enumerate(f.sigla):
                same[at[a]][at[b]] = matrix[i][j]
    if len(syn.families) > 1:
        texts = {w.siglum: w.text for w in syn.witnesses}
        readings = {s: [None if x is None else texts[s][x[0] : x[1]] for x in syn.spans(s)] for s in sigla}
        vocab = {s: {x for text in readings[s] if text for x in words(text)} for s in sigla}
        family = {s: syn.locate(s)[0].name for s in sigla}
        for i, a in enumerate(sigla):
            for j in range(i + 1, n):
                b = sigla[j]
                if family[a] != family[b]:
                    shared, _, _ = passage_wording(zip(readings[a], readings[b]), near_matches(vocab[b], vocab[a]))
                    wording[i][j] = wording[j][i] = shared
    return same, wording


def heat(
    sigla: Sequence[str], matrix: Sequence[Sequence[float | None]], wording: Sequence[Sequence[float | None]],
    families: Sequence[str],
) -> tuple[tuple[tuple[HeatCell, ...], ...], tuple[float, float]]:
    """The heat map's cells, its colours spread over the within-family values' own range."""
    values = [x for i, row in enumerate(matrix) for j, x in enumerate(row) if i != j and x is not None]
    lo, hi = (min(values), max(values)) if values else (0.0, 1.0)
    span = hi - lo

    def shade(x: float | None) -> float:
        if x is None:
            return 0.0
        return round(0.15 + 0.85 * (x - lo) / span, 3) if span > 1e-9 else 0.6

    cells = tuple(
        tuple(
            HeatCell(a, sigla[j], x, shade(x), _dark(shade(x)), families[i] == families[j], wording[i][j])
            for j, x in enumerate(row)
        )
        for i, (a, row) in enumerate(zip(sigla, matrix))
    )
    return cells, (lo, hi)


def _dark(shade: float) -> bool:
    """Whether white text reads better than black on the heat colour at ``shade``
    (mixed with white), by WCAG relative luminance.

    >>> _dark(0.0), _dark(1.0)
    (False, True)
    """

    def channel(full: int) -> float:
        v = (full * shade + 255 * (1 - shade)) / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in HEAT_RGB)
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.05)


# ---------------------------------------------------------------- along the document


def row_positions(syn: Synopsis) -> list[tuple[float, float]]:
    """Each row's left edge and width in percent of the document: its share of the
    passages' length (the passage base's text in it, else the longest reading)."""
    spans = {s: syn.spans(s) for s in syn.sigla}
    weights = []
    for r in range(len(syn.rows)):
        own = spans[syn.passage_base][r] if syn.passage_base in spans else None
        if own is not None:
            weights.append(own[1] - own[0])
        else:
            weights.append(max((x[1] - x[0] for x in (spans[s][r] for s in syn.sigla) if x is not None), default=0))
    weights = [max(w, 1) for w in weights]
    total = sum(weights) or 1
    out, left = [], 0.0
    for w in weights:
        out.append((round(100 * left / total, 3), round(100 * w / total, 3)))
        left += w
    return out


def overview(
    marks: Sequence[tuple[int, int, str, VariantClass]], positions: Sequence[tuple[float, float]]
) -> tuple[OverviewMark, ...]:
    """The overview strip: ``marks`` are (location id, row, passage id, main class) of the
    locations to show, binned by where their row stands; lacunae are left out."""
    if not marks or not positions:
        return ()
    grouped: dict[int, list[tuple[int, int, str, VariantClass]]] = {}
    for mark in marks:
        if mark[3] is VariantClass.LACUNA:
            continue
        grouped.setdefault(min(OVERVIEW_BINS - 1, int(positions[mark[1]][0] * OVERVIEW_BINS / 100)), []).append(mark)
    if not grouped:
        return ()
    most = max(len(g) for g in grouped.values())
    out = []
    for b, group in sorted(grouped.items()):
        tally = Counter(m[3] for m in group)
        main = next(c for c in CLASS_ORDER if c in tally)
        summary = ", ".join(f"{tally[c]} {c.abbr}" for c in CLASS_ORDER if c in tally)
        loc, row, passage, _ = group[0]
        out.append(
            OverviewMark(
                left=round(100 * b / OVERVIEW_BINS, 3),
                width=round(100 / OVERVIEW_BINS, 3),
                height=round(30 + 70 * len(group) / most, 1),
                count=len(group),
                cls=main,
                loc=loc,
                row=row,
                passage=passage,
                title=f"{passage}: {len(group)} variant location{'s' if len(group) > 1 else ''} ({summary})",
            )
        )
    return tuple(out)


def coverage_strip(
    syn: Synopsis, index: int, siglum: str, summary: str, positions: Sequence[tuple[float, float]],
    states: Sequence[RowState],
) -> CoverageView:
    """A witness's coverage strip from its ``states`` row by row: runs of passages where it
    has text, has lost it, or has none; and the same in words (its coverage ``summary``,
    then its lacunae)."""
    parts: list[StripPart] = []
    for r, state in enumerate(states):
        left, width = positions[r]
        if parts and parts[-1].state is state:
            last = parts[-1]
            parts[-1] = StripPart(last.left, round(left + width - last.left, 3), state, last.first, syn.rows[r].id)
        else:
            parts.append(StripPart(left, width, state, syn.rows[r].id, syn.rows[r].id))
    f, w = syn.locate(siglum)
    al = f.alignment
    losses = [loss_text(loss, al.witnesses[w].text) for loss in losses_of(al.witnesses, al.tokens, al.losses)[w]]
    lost_rows = [p for p in parts if p.state is RowState.LOST]
    where = "; ".join(p.first if p.first == p.last else f"{p.first}\u2013{p.last}" for p in lost_rows)
    text = summary
    if losses:
        text += f". Lost: {'; '.join(losses)}" + (f" (passages {where})" if where else "")
    return CoverageView(index, siglum, tuple(parts), text)
