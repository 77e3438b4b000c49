"""The corpus index: ``corpus.json``, the ``index.html`` table built from the same data, and a terminal summary.

`corpus_data` turns a finished run (`collate.corpus.run.ReportRun` or
`CheckRun`) into plain JSON data; ``corpus.json`` is that data (`to_json`),
and the page (`render_index`) is drawn from it, so the two never disagree.
Nothing here depends on how or when the run ran (no times, no counts of
skipped documents), so the same inputs give the same files.

``corpus.json`` of a report holds ``corpus: "report"``, ``tool``,
``options``, ``totals`` (documents, failed, witnesses, words, locations,
``classes``), ``documents`` (each document's summary,
`collate.corpus.summary.ReportSummary.to_dict`, with ``href``, the link to
its report), ``failed`` (``[{"document", "error"}]``) and ``ignored``.  A
check's holds ``names`` (the two folders), ``totals`` with the pooled
``cer``/``wer``, the ``mean_cer``/``mean_wer`` per document and the error
counts per class, ``worst`` (the worst documents by CER), ``documents``,
``failed`` and ``unpaired`` (``{"references": [...], "witnesses": [...]}``).

The page is one sortable table, usable without its script: rows come in
document order, and the script (``corpus.js``, allowed by its hash in the
page's Content-Security-Policy) only adds sorting by any column.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from ..corpus.summary import WORST, check_totals, report_totals, worst
from ..model import CLASS_ORDER
from .environment import content_security_policy, environment, script_source

if TYPE_CHECKING:
    from ..corpus.run import CheckRun, ReportRun


def href(document: str) -> str:
    """The link from the index to a document's page.

    >>> href("vol 1/p#3")
    'vol%201/p%233/index.html'
    """
    return quote(document) + "/index.html"


def _failed(run: ReportRun | CheckRun) -> list[dict[str, str]]:
    return [{"document": p.document, "error": p.error} for p in run.failed]


def corpus_data(run: ReportRun | CheckRun) -> dict[str, Any]:
    """The run as ``corpus.json``'s data (see the module docstring)."""
    from ..corpus.manifest import TOOL
    from ..corpus.run import CheckRun
    from ..corpus.summary import class_dict

    head = {"tool": TOOL, "options": dict(run.options)}
    if isinstance(run, CheckRun):
        t = check_totals(run.documents)
        return {
            "corpus": "check",
            **head,
            "names": {"reference": run.names[0], "witness": run.names[1]},
            "totals": {
                "documents": t.documents + len(run.failed),
                "checked": t.documents,
                "failed": len(run.failed),
                "cer": _finite(t.cer),
                "wer": _finite(t.wer),
                "mean_cer": t.mean_cer,
                "mean_wer": t.mean_wer,
                "characters": t.characters,
                "char_errors": t.char_errors,
                "words": t.words,
                "word_errors": t.word_errors,
                "classes": class_dict(t.classes),
            },
            "worst": [s.document for s in worst(run.documents, WORST)],
            "documents": [{**s.to_dict(), "href": href(s.document)} for s in run.documents],
            "failed": _failed(run),
            "unpaired": {"references": list(run.unpaired_references), "witnesses": list(run.unpaired_witnesses)},
        }
    r = report_totals(run.documents)
    return {
        "corpus": "report",
        **head,
        "totals": {
            "documents": r.documents + len(run.failed),
            "collated": r.documents,
            "failed": len(run.failed),
            "witnesses": r.witnesses,
            "words": r.words,
            "locations": r.locations,
            "classes": class_dict(r.classes),
        },
        "documents": [{**s.to_dict(), "href": href(s.document)} for s in run.documents],
        "failed": _failed(run),
        "ignored": list(run.ignored),
    }


def _finite(value: float) -> float | None:
    return None if value == float("inf") else value


def to_json(data: dict[str, Any]) -> str:
    """``corpus.json``."""
    return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


# ---------------------------------------------------------------- the page's view


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    numeric: bool = False
    title: str = ""


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: its text, the key it sorts by (numbers as text; "" sorts last), a link, a small note."""

    text: str
    sort: str = ""
    link: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """A list under the table (worst documents, unpaired files, failures)."""

    id: str
    heading: str
    items: tuple[Cell, ...]
    intro: str = ""


@dataclass(frozen=True, slots=True)
class IndexView:
    title: str
    subtitle: str
    figures: tuple[tuple[str, str], ...]
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    sections: tuple[Section, ...]


def pct(value: float | None) -> str:
    """A rate as a percentage; "n/a" where there is none.

    >>> pct(0.0123), pct(None)
    ('1.23%', 'n/a')
    """
    return "n/a" if value is None else f"{value * 100:.2f}%"


def _num(n: int) -> Cell:
    return Cell(f"{n:,}", str(n))


def _rate(value: float | None) -> Cell:
    return Cell(pct(value), "" if value is None else repr(value))


def _class_columns(totals: dict[str, int]) -> list[Any]:
    """The classes that occur anywhere in the corpus, weightiest first."""
    return [c for c in CLASS_ORDER if totals.get(c.value)]


def _document(d: dict[str, Any]) -> Cell:
    return Cell(d["document"], d["document"], d["href"])


def _report_view(data: dict[str, Any]) -> IndexView:
    docs, t = data["documents"], data["totals"]
    classes = _class_columns(t["classes"])
    families = any(d["families"] for d in docs)
    coverage = any(d["coverage"] for d in docs)
    columns = [Column("Document"), Column("Witnesses", True), Column("Words", True)]
    columns += [Column("Families", False, "witnesses grouped by translation or recension")] if families else []
    columns += [Column("Coverage", True, "share of the document a partial witness covers")] if coverage else []
    columns += [Column("Locations", True, "variant locations")]
    columns += [Column(c.abbr, True, f"{c.label}: {c.description}") for c in classes]
    columns += [Column("Similarity", True, "mean pairwise similarity of the witnesses")]
    rows = []
    for d in docs:
        row = [_document(d), Cell(str(len(d["witnesses"])), str(len(d["witnesses"])), None, " ".join(d["witnesses"])),
               _num(sum(d["words"].values()))]
        if families:
            row.append(Cell("; ".join(f"{k}: {' '.join(v)}" for k, v in d["families"].items()), d["families"] and str(len(d["families"])) or ""))
        if coverage:
            low = min(d["coverage"].values(), default=None)
            row.append(Cell(" ".join(f"{s} {v * 100:.0f}%" for s, v in d["coverage"].items()), "" if low is None else repr(low)))
        row.append(_num(d["locations"]))
        row += [_num(d["classes"][c.value]) for c in classes]
        row.append(_rate(d["similarity"]))
        rows.append(tuple(row))
    figures = (("documents", f"{t['documents']:,}"), ("witnesses", f"{t['witnesses']:,}"), ("words", f"{t['words']:,}"),
               ("variant locations", f"{t['locations']:,}"), ("failed", f"{t['failed']:,}"))
    sections = [_failures(data)] if data["failed"] else []
    if data["ignored"]:
        sections.append(Section("ignored", "Ignored files", tuple(Cell(f) for f in data["ignored"]),
                                "Transcriptions at the top of the corpus belong to no document folder."))
    return IndexView(f"Corpus of {t['documents']:,} documents", _options(data), figures, tuple(columns), tuple(rows), tuple(sections))


def _failures(data: dict[str, Any]) -> Section:
    return Section("failed", f"Failed documents ({len(data['failed'])})",
                   tuple(Cell(f["document"], note=f["error"]) for f in data["failed"]),
                   "Not processed; every other document was.")


def _options(data: dict[str, Any]) -> str:
    return " · ".join(f"{k} {v}" for k, v in data["options"].items() if v is not None) + f" · {data['tool']}"


def _check_view(data: dict[str, Any]) -> IndexView:
    docs, t = data["documents"], data["totals"]
    classes = _class_columns(t["classes"])
    lacunae = any(d["lacunae"] for d in docs)
    columns = [Column("Document"), Column("CER", True), Column("WER", True), Column("Characters", True),
               Column("Words", True)]
    columns += [Column(c.abbr, True, f"{c.label}: {c.description}") for c in classes]
    columns += [Column("Lacunae", True, "stretches not checked: one text is lost there")] if lacunae else []
    rows = []
    for d in docs:
        row = [_document(d), _rate(d["cer"]), _rate(d["wer"]), _num(d["characters"]), _num(d["words"])]
        row += [_num(d["classes"][c.value]) for c in classes]
        row += [_num(d["lacunae"])] if lacunae else []
        rows.append(tuple(row))
    names = data["names"]
    figures = (("CER, pooled", pct(t["cer"])), ("WER, pooled", pct(t["wer"])), ("mean CER per document", pct(t["mean_cer"])),
               ("mean WER per document", pct(t["mean_wer"])), ("documents checked", f"{t['checked']:,}"),
               ("failed", f"{t['failed']:,}"))
    by_doc = {d["document"]: d for d in docs}
    sections = [Section("worst", "Worst documents", tuple(
        Cell(w, link=by_doc[w]["href"], note=f"CER {pct(by_doc[w]['cer'])}, WER {pct(by_doc[w]['wer'])}") for w in data["worst"]
    ), "By CER, then WER.")] if data["worst"] else []
    sections += [_failures(data)] if data["failed"] else []
    for side, heading in (("references", f"References without a transcription (in {names['reference']})"),
                          ("witnesses", f"Transcriptions without a reference (in {names['witness']})")):
        if data["unpaired"][side]:
            sections.append(Section(f"unpaired-{side}", heading, tuple(Cell(f) for f in data["unpaired"][side])))
    title = f"{names['witness']} checked against {names['reference']}: {t['documents']:,} documents"
    return IndexView(title, _options(data) + " · CER and WER pooled: all errors over all reference characters (words)",
                     figures, tuple(columns), tuple(rows), tuple(sections))


def render_index(data: dict[str, Any]) -> str:
    """``index.html``: the corpus's figures, the sortable table of documents, and the lists under it.

    >>> page = render_index({"corpus": "check", "tool": "collate", "options": {}, "names": {"reference": "gt", "witness": "<ocr>"},
    ...     "totals": {"documents": 0, "checked": 0, "failed": 0, "cer": 0.0, "wer": 0.0, "mean_cer": None, "mean_wer": None,
    ...     "classes": {}}, "worst": [], "documents": [], "failed": [], "unpaired": {"references": [], "witnesses": []}})
    >>> "<ocr>" in page, "&lt;ocr&gt; checked" in page
    (False, True)
    """
    view = _check_view(data) if data["corpus"] == "check" else _report_view(data)
    script = script_source("corpus.js")
    return environment().get_template("corpus.html.j2").render(
        view=view,
        csp=content_security_policy(script),
        script=Markup(script),  # noqa: S704 - our own file, hashed into the CSP
    )


# ---------------------------------------------------------------- terminal


def summary_text(run: ReportRun | CheckRun) -> str:
    """A few lines for the terminal: what was done, the corpus figures, what failed."""
    data = corpus_data(run)
    t = data["totals"]
    lines = [f"{t['documents']:,} documents: {run.done:,} done, {run.skipped:,} unchanged since the last run, "
             f"{t['failed']:,} failed" + (f" ({run.note})" if run.note else "")]
    classes = ", ".join(f"{n:,} {c}" for c, n in t["classes"].items() if n)
    if data["corpus"] == "check":
        lines.append(f"CER {pct(t['cer'])} pooled ({t['char_errors']:,} errors in {t['characters']:,} characters), "
                     f"{pct(t['mean_cer'])} mean per document")
        lines.append(f"WER {pct(t['wer'])} pooled ({t['word_errors']:,} errors in {t['words']:,} words), "
                     f"{pct(t['mean_wer'])} mean per document")
        lines.append(f"errors: {classes or 'none'}")
        by_doc = {d["document"]: d for d in data["documents"]}
        if data["worst"]:
            lines.append("worst: " + ", ".join(f"{w} {pct(by_doc[w]['cer'])}" for w in data["worst"][:5]))
        for side, what in (("references", "references without a transcription"), ("witnesses", "transcriptions without a reference")):
            files = data["unpaired"][side]
            if files:
                lines.append(f"{len(files)} {what}: " + ", ".join(files[:10]) + (", ..." if len(files) > 10 else ""))
    else:
        lines.append(f"{t['witnesses']:,} witnesses, {t['words']:,} words, {t['locations']:,} variant locations: {classes or 'none'}")
        if data["ignored"]:
            lines.append(f"ignored (not in a document folder): {', '.join(data['ignored'])}")
    lines += [f"failed: {f['document']}: {f['error']}" for f in data["failed"]]
    return "\n".join(lines)
