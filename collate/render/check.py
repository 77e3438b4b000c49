"""Outputs of a transcription check: JSON, a terminal summary, and an HTML page.

One function per format, each returning one type: `to_dict` / `to_json`,
`summary_text`, `render_html`.  The check itself is `collate.fidelity.check`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..fidelity import Error, FidelityReport, Span
from ..locate import ErrorPlace, cite, located_lines, place_dict
from ..model import CLASS_ORDER, VariantClass
from .corrections import Correction, corrections
from .environment import content_security_policy, environment
from .rows import DiffPart, char_diff

DIFFED = frozenset({VariantClass.TYPO, VariantClass.GLYPH, VariantClass.ORTHOGRAPHIC, VariantClass.CASE})
"""Classes whose witness reading the page shows with its character-level differences
(`collate.render.rows.char_diff`, as the variant report shows a typo): the ones where
the two readings are the same word, a few characters apart."""


def located(report: FidelityReport, places: Sequence[ErrorPlace] = ()) -> Sequence[ErrorPlace]:
    """``places``; where none were given, every error located in the texts the report compared
    (their own lines and columns: a plain-text source's, or the reading text's of another format).

    >>> from collate.model import Witness
    >>> from collate.fidelity import check
    >>> [cite(p.witness) for p in located(check(Witness("r", "the\\nEastern front"), Witness("w", "the\\nEaster front")))]
    ['l. 2, col. 1']
    """
    if places or not report.errors:
        return places
    from ..locate import locate
    from ..model import Witness

    return locate(report, Witness(report.witness, report.witness_text), Witness(report.reference, report.reference_text))


# ----------------------------------------------------------------------------- JSON


def _number(value: float) -> float | None:
    """JSON has no infinity: an infinite rate (empty reference) is null."""
    return None if math.isinf(value) else value


def to_dict(report: FidelityReport, places: Sequence[ErrorPlace] = ()) -> dict[str, Any]:
    """The report as plain JSON-ready data (see `to_json`).  Each error says where it stands in
    both sources (``witness_at``, ``reference_at``): at ``places`` (`collate.locate.locate`), or
    where none are given in the texts as compared (`located`).  ``corrections`` lists the fixes
    in the witness's reading order (`collate.render.corrections`)."""
    places = located(report, places)
    at = [{"witness_at": place_dict(p.witness), "reference_at": place_dict(p.reference)} for p in places]
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
            "stretches": [{"reference_span": list(r), "witness_span": list(w)} for r, w in report.compared],
            "coverage": _coverage_dict(report),
        },
        "whole_text": (
            {"cer": _number(report.whole_text.cer), "wer": _number(report.whole_text.wer)}
            if report.whole_text is not None
            else None
        ),
        "errors": [
            {
                "class": e.cls.value,
                "reference": e.reference,
                "witness": e.witness,
                "reference_span": list(e.reference_span),
                "witness_span": list(e.witness_span),
                "similarity": e.similarity,
                **(at[i] if at else {}),
            }
            for i, e in enumerate(report.errors)
        ],
        "corrections": [_correction_dict(c) for c in corrections(report, places)],
        "by_class": {
            c.cls.value: {"count": c.count, "rate": _number(c.rate), "share": c.share} for c in report.by_class
        },
        "presets": {p.preset: {"cer": _number(p.cer), "wer": _number(p.wer)} for p in report.presets},
        "notes": list(report.notes),
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


def _correction_dict(c: Correction) -> dict[str, Any]:
    """A correction in the JSON: where (the witness's page, line and column; ``where`` as the list cites it),
    what to do (``correction``), and the error it fixes (``error_index`` into ``errors``, its class and readings)."""
    at = c.place.at
    return {
        "page": at.page if c.place.paged else None,
        "line": at.line,
        "column": at.column,
        "where": c.where,
        "correction": c.text,
        "class": c.cls.value,
        "witness": c.witness,
        "reference": c.reference,
        "error_index": c.number - 1,
    }


def _coverage_dict(report: FidelityReport) -> dict[str, Any] | None:
    """What of the reference was compared, where lacunae left some out (else None)."""
    if not report.lacunae:
        return None
    from ..partial import checked_coverage

    cov = checked_coverage(report)
    return {"spans": [list(span) for span in cov.spans], "words": cov.words, "total_words": cov.total_words, "summary": cov.summary}


def to_json(report: FidelityReport, places: Sequence[ErrorPlace] = ()) -> str:
    """The report as JSON: ``reference``, ``witness``, ``cer``, ``wer``, ``errors``,
    ``by_class``, ``presets``, ``lacunae``...  An infinite rate is ``null``.

    >>> from collate.model import Witness
    >>> from collate.fidelity import check
    >>> data = json.loads(to_json(check(Witness("r", "the Eastern front"), Witness("w", "the Easter front"))))
    >>> data["errors"][0]["class"], data["errors"][0]["reference_span"], data["by_class"]["typo"]["count"]
    ('typo', [4, 11], 1)
    """
    return json.dumps(to_dict(report, places), ensure_ascii=False, indent=1, allow_nan=False)


# ----------------------------------------------------------------------------- text


def _pct(value: float) -> str:
    return "n/a (empty reference)" if math.isinf(value) else f"{value * 100:.2f}%"


def _count(n: int, noun: str) -> str:
    """A count with its noun, plural unless one.

    >>> _count(1, "word"), _count(1821, "character")
    ('1 word', '1,821 characters')
    """
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def summary_text(report: FidelityReport, places: Sequence[ErrorPlace] = (), *, listed: int | None = 10) -> str:
    """A short human summary for the terminal, and the first ``listed`` errors (None: all), one
    line each, where they stand in the witness (`collate.locate.located_lines`): at ``places``,
    or where none are given in the text as compared (`located`).

    >>> from collate.model import Witness
    >>> from collate.fidelity import check
    >>> print(summary_text(check(Witness("r", "the Eastern front"), Witness("w", "the Easter front"))))
    w against r (exact): CER 5.88% of 17 characters, WER 33.33% of 3 words
    1 error: 1 typo
    CER / WER by normalization: exact 5.88% / 33.33% · typographic 5.88% / 33.33% · case 5.88% / 33.33% · punctuation 5.88% / 33.33% · orthographic 5.88% / 33.33%
      l. 1, col. 5: Easter → Eastern (typo)
    """
    places = located(report, places)
    n = len(report.errors)
    coverage = _coverage_dict(report)
    over = f" over {coverage['summary']}" if coverage and coverage["words"] < coverage["total_words"] else ""
    lines = [
        f"{report.witness} against {report.reference} ({report.normalization}): "
        f"CER {_pct(report.cer)} of {_count(report.reference_characters, 'character')}, "
        f"WER {_pct(report.wer)} of {_count(report.reference_words, 'word')}{over}",
    ]
    if report.whole_text is not None:
        lines.append(
            f"whole text, lacunae counted as errors: CER {_pct(report.whole_text.cer)}, WER {_pct(report.whole_text.wer)}"
        )
    counts = sorted((c for c in report.by_class if c.count), key=lambda c: (-c.count, c.cls.value))
    detail = ", ".join(f"{c.count} {c.cls.value}" for c in counts)
    lines.append(f"{n} error{'s' if n != 1 else ''}" + (f": {detail}" if detail else ""))
    lines.append(
        "CER / WER by normalization: "
        + " \u00b7 ".join(f"{p.preset} {_pct(p.cer)} / {_pct(p.wer)}" for p in report.presets)
    )
    lines += [f"note: {note}" for note in report.notes]
    for lac in report.lacunae:
        unchecked = lac.witness_span if lac.lost_in == report.reference else lac.reference_span
        side = report.witness if lac.lost_in == report.reference else report.reference
        lines.append(
            f"not checked: {side} characters {unchecked[0]}\u2013{unchecked[1]} ({lac.note}; a lacuna, not errors)"
        )
    if places and listed != 0:
        lines += located_lines(report, places, limit=listed)
    return "\n".join(lines)


# ----------------------------------------------------------------------------- HTML


class PieceKind(StrEnum):
    """What a run of text in the side-by-side view is."""

    PLAIN = "plain"  # agrees with the other text
    ERROR = "error"  # an error's text on this side
    INSERT = "insert"  # the point where the other side has text this side lacks
    LACUNA = "lacuna"  # not checked: the other side's text is lost here


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of one text in the side-by-side view; ``number`` is the error's, from 1."""

    text: str
    kind: PieceKind
    cls: VariantClass | None = None
    number: int = 0


def pieces(text: str, marks: Sequence[tuple[Span, int, VariantClass]], lacunae: Sequence[Span]) -> list[Piece]:
    """``text`` cut into runs: the error spans ``marks`` (span, number, class), the ``lacunae`` spans, and the rest.

    >>> [(p.text, p.kind.value) for p in pieces("the Easter front", [((4, 10), 1, VariantClass.TYPO)], [])]
    [('the ', 'plain'), ('Easter', 'error'), (' front', 'plain')]
    """
    events = sorted(
        [(s, e, 0 if s == e else 1, n, cls) for (s, e), n, cls in marks]
        + [(s, e, 2, 0, VariantClass.LACUNA) for s, e in lacunae if e > s],
        key=lambda ev: (ev[0], ev[2]),
    )
    out: list[Piece] = []
    pos = 0
    for start, end, order, number, cls in events:
        if start < pos:  # overlaps what is already shown (errors' spans are disjoint, but a mark must not be lost)
            if order < 2:
                out.append(Piece("", PieceKind.INSERT, cls, number))
            continue
        if start > pos:
            out.append(Piece(text[pos:start], PieceKind.PLAIN))
        if order == 0:
            out.append(Piece("", PieceKind.INSERT, cls, number))
        elif order == 1:
            out.append(Piece(text[start:end], PieceKind.ERROR, cls, number))
        else:
            out.append(Piece(text[start:end], PieceKind.LACUNA))
        pos = max(pos, end)
    if pos < len(text):
        out.append(Piece(text[pos:], PieceKind.PLAIN))
    return out


@dataclass(frozen=True, slots=True)
class ErrorRow:
    """One row of the page's error table: the error, its number (from 1), where it stands in
    each text (as `collate.locate.cite` gives it, the witness's OCR confidence apart) and, for
    the classes in `DIFFED`, the witness's reading as its character-level differences."""

    number: int
    error: Error
    witness_at: str
    reference_at: str
    confidence: str
    diff: tuple[DiffPart, ...]


@dataclass(frozen=True, slots=True)
class ClassLink:
    """A class with errors: how many, and the number of its first error (for the page's filters and counts)."""

    cls: VariantClass
    count: int
    first: int


def error_rows(report: FidelityReport, places: Sequence[ErrorPlace]) -> list[ErrorRow]:
    """The error table's rows, one per error of ``report``, with their ``places``.

    >>> from collate.model import Witness
    >>> from collate.fidelity import check
    >>> report = check(Witness("r", "the Eastern front"), Witness("w", "the Easter front"))
    >>> [(r.number, r.witness_at, [(p.text, p.op.value) for p in r.diff]) for r in error_rows(report, located(report))]
    [(1, 'l. 1, col. 5', [('Easter', 'equal'), ('n', 'missing')])]
    """
    rows = []
    for i, (e, p) in enumerate(zip(report.errors, places), start=1):
        conf = f"confidence {p.witness.confidence:.2f}" if p.witness.confidence is not None else ""
        diff = char_diff(e.reference, e.witness) if e.cls in DIFFED and e.reference and e.witness else ()
        rows.append(ErrorRow(i, e, cite(p.witness), cite(p.reference), conf, diff))
    return rows


def class_links(report: FidelityReport) -> list[ClassLink]:
    """The classes that have errors, weightiest first (`collate.model.CLASS_ORDER`), each with its first error."""
    first: dict[VariantClass, int] = {}
    for i, e in enumerate(report.errors, start=1):
        first.setdefault(e.cls, i)
    counts = {c.cls: c.count for c in report.by_class}
    return [ClassLink(cls, counts.get(cls, 0), first[cls]) for cls in CLASS_ORDER if cls in first]


def render_html(
    report: FidelityReport, places: Sequence[ErrorPlace] = (), *, modified: frozenset[str] = frozenset()
) -> str:
    """The report as one self-contained HTML page that needs no script.

    At the top, the corrections to make in the witness's reading order, as
    plain text to copy (`collate.render.corrections`); then both texts side
    by side, each with its own line breaks, every error marked by class
    (line style, marker and label, not colour alone) and linked to its row of
    the error table; the table, each row linked to its marks in both texts
    (at ``places``, or where none are given at the texts' own lines and
    columns: `located`), a typo's reading shown with its character-level
    differences, filtered by class through links (``#only-typo``); the
    metrics and the per-class counts, each linked to its class's first error.
    ``modified`` names the texts whose stored copy changed since it was
    stored (the caller checks): the page warns about them.

    >>> from collate.model import Witness
    >>> from collate.fidelity import check
    >>> page = render_html(check(Witness("r", "<b>the</b> Eastern"), Witness("w", "<b>the</b> Easter")))
    >>> "<b>the" in page, "&lt;b&gt;the" in page
    (False, True)
    """
    places = located(report, places)
    ref_marks = [(e.reference_span, i + 1, e.cls) for i, e in enumerate(report.errors)]
    wit_marks = [(e.witness_span, i + 1, e.cls) for i, e in enumerate(report.errors)]
    ref_lac = [lac.reference_span for lac in report.lacunae]
    wit_lac = [lac.witness_span for lac in report.lacunae]
    return environment().get_template("check.html.j2").render(
        report=report,
        csp=content_security_policy(),
        pct=_pct,
        reference_pieces=pieces(report.reference_text, ref_marks, ref_lac),
        witness_pieces=pieces(report.witness_text, wit_marks, wit_lac),
        rows=error_rows(report, places),
        corrections=corrections(report, places),
        filters=class_links(report),
        first={link.cls: link.first for link in class_links(report)},
        modified=[s for s in (report.reference, report.witness) if s in modified],
    )
