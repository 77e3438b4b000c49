"""The variant report's two files: ``index.html`` (from the view) and ``collation.json`` (from the model).

``index.html`` is one self-contained page (`render_html`): CSS, script and
data inline, nothing loaded from the network.  Everything a reader needs is
in the HTML itself: every row of the synoptic view (a ``<table>``, one
``<tbody>`` per chunk of `collate.render.view.CHUNK_ROWS` rows, one row per
passage with its citable id) and the whole critical apparatus (one ``<ol>``
per chunk), so the page works as a document without its script, in print
and in text-mode browsers.  The script (``report.js``) adds paging (by
showing some chunks and hiding the rest), filters, hover linking, keyboard
movement and the citation of the passage in view; it stands between the
synoptic view and the apparatus, so the controls work as soon as the rows
are parsed, and it wires the apparatus once the rest of the page is.  It
reads a small JSON block (`page_data`, whose shape `PageData` writes down;
``report.js`` repeats it at its top).  Witness text reaches the page only through Jinja's
autoescaping or ``textContent``.

``collation.json`` (`to_json`) is a serialisation of the `Variants` themselves,
not of the page, with these keys:

``sigla``
    the sigla, in alignment order;
``witnesses``
    ``{siglum: {"coverage": [[start, end], ...], "reference": siglum,
    "summary": "...", "words": n, "total_words": n, "lacunae": [...]}}``: what
    of the document each witness covers, as character spans of the
    ``reference`` witness's text (the witness that loses nothing and has the
    most words), said in words, and each lacuna: where it sits in the
    witness's own text (``at``), what it stands for in the reference
    (``stands_for``), and whether it was stated, found or marked (``origin``,
    with the gap ``mark`` if any);
``base``
    ``{"siglum": "frus" or null, "rule": "..."}``: what served as base;
``normalization``, ``engine``
    how the texts were aligned;
``metadata``
    ``{siglum: {...}}``, the provenance from each witness's ``.toml``;
``table``
    the CollateX-compatible alignment table (`collate.render.table.table_json`);
``variants``
    one entry per location: ``{"id", "columns": [first, last], "base": siglum,
    "readings": {siglum: text, or null where the witness has nothing},
    "classes": {siglum: class, or null where it agrees with the base}}`` (the
    base witness is left out of ``classes``), and ``"similarity":
    {siglum: 0..1}`` for probable typos;
``transpositions``
    ``[{"sigla": [a, b], "columns": [first, last], "words": [...]}]``;
``statistics``
    ``{siglum: {"tokens", "words", "locations", "classes": {class: n}}}``;
``pairwise``
    ``{"sigla": [...], "similarity": [[...]]}``: for each pair, the share of
    aligned columns in which both witnesses read the same (normalized) text,
    counted only where both witnesses survive (a lacuna is not a difference).
"""

from __future__ import annotations

import json
from typing import TypedDict

from markupsafe import Markup

from ..model import CLASS_ORDER, Alignment, Location, LostStretch, TokenKind, Variants
from ..metadata import meta_to_dict
from ..variants import class_counts, pairwise_similarity
from .environment import content_security_policy, environment, script_json, script_source
from .table import table_json, transposition_json
from .view import CHUNK_ROWS, ReportView, base_rule

PAGE_ROWS = 40
"""Rows on a page when the report opens."""

PAGE_SIZES = (20, 40, 100)
"""The page sizes a reader may choose (multiples of `CHUNK_ROWS`), besides "all"."""

BOOT = 'document.documentElement.classList.add("js");'
"""Run in the page's head, before anything is drawn: marks the page as
scripted, so its stylesheet shows only the first page's chunks from the
start instead of laying out every row and then hiding most of them."""

# ---------------------------------------------------------------- the page's data


class PageData(TypedDict):
    sigla: list[str]
    classes: list[list[str]]  # [value, abbreviation, label], in display order
    counts: list[list[int]]  # per witness, its variant locations per class (same order)
    chunkRows: int  # rows per chunk  # noqa: N815 - a JavaScript name
    pageRows: int  # rows per page on opening  # noqa: N815
    rows: int  # rows in all
    defaultTitle: bool  # the title is the generated one that names the witnesses  # noqa: N815
    inlineSigla: bool  # the apparatus prints each group of sigla as one <i>, space-separated  # noqa: N815


def page_data(view: ReportView) -> PageData:
    """The small data block the page's script works from (the text itself is in the HTML).

    >>> from collate.model import Alignment, Location, Reading, VariantClass, Witness
    >>> from collate.tokenize import tokenize
    >>> from collate.render.view import build_view
    >>> a, b = Witness("A", "Eastern front."), Witness("B", "Easter front.")
    >>> ta, tb = tokenize(a.text), tokenize(b.text)
    >>> al = Alignment((a, b), (ta, tb), tuple((ta[i:i+1], tb[i:i+1]) for i in range(3)))
    >>> loc = Location(0, 0, "A", ta[:1], (Reading("A", ta[:1], None), Reading("B", tb[:1], VariantClass.TYPO, 0.92)))
    >>> data = page_data(build_view(Variants(al, "A", (loc,))))
    >>> data["sigla"], data["counts"][1][data["classes"].index(["typo", "typo", "Typo"])], data["rows"]
    (['A', 'B'], 1, 1)
    """
    return {
        "sigla": list(view.sigla),
        "classes": [[c.value, c.abbr, c.label] for c in view.classes],
        "counts": [list(w.counts) for w in view.witnesses],
        "chunkRows": CHUNK_ROWS,
        "pageRows": PAGE_ROWS,
        "rows": len(view.rows),
        "defaultTitle": view.default_title,
        "inlineSigla": view.inline_sigla,
    }


def render_html(view: ReportView) -> str:
    """The report as one self-contained HTML page (CSS, script and data inline).

    >>> from collate.model import Alignment, Witness
    >>> from collate.tokenize import tokenize
    >>> from collate.render.view import build_view
    >>> a = Witness("A", "<b>bold</b>")
    >>> ta = tokenize(a.text)
    >>> page = render_html(build_view(Variants(Alignment((a,), (ta,), tuple((ta[i:i+1],) for i in range(len(ta)))), None, ())))
    >>> "<b>bold" in page, "&lt;b&gt;bold" in page
    (False, True)
    """
    script = script_source("report.js")
    return environment().get_template("report.html.j2").render(
        view=view,
        csp=content_security_policy(BOOT, script),
        boot=Markup(BOOT),  # noqa: S704 - our own constant, hashed into the CSP
        script=Markup(script),  # noqa: S704 - our own file, hashed into the CSP
        data=script_json(page_data(view)),
        page_sizes=PAGE_SIZES,
        page_rows=PAGE_ROWS,
        first_chunks=PAGE_ROWS // CHUNK_ROWS,
    )


# ---------------------------------------------------------------- collation.json


def _location_json(index: int, loc: Location, sigla: tuple[str, ...]) -> dict[str, object]:
    by_siglum = {r.siglum: r for r in loc.readings}
    entry: dict[str, object] = {
        "id": index,
        "columns": [loc.first, loc.last],
        "base": loc.base,
        "readings": {s: (by_siglum[s].text or None) if s in by_siglum else None for s in sigla},
        "classes": {s: by_siglum[s].cls if s in by_siglum else None for s in sigla if s != loc.base},
    }
    similarity = {r.siglum: round(r.similarity, 4) for r in loc.readings if r.similarity is not None}
    if similarity:
        entry["similarity"] = similarity
    return entry


def _witnesses_json(al: Alignment) -> dict[str, object]:
    from ..partial import witness_coverage

    coverage = witness_coverage(al)
    out: dict[str, object] = {}
    for w, siglum in enumerate(al.sigla):
        cov = coverage[siglum]
        losses = al.losses[w] if al.losses else ()
        out[siglum] = {
            "coverage": [list(span) for span in cov.spans],
            "reference": cov.reference,
            "summary": cov.summary,
            "words": cov.words,
            "total_words": cov.total_words,
            "lacunae": [_loss_json(loss, al.witnesses[w].text) for loss in losses],
        }
    return out


def _loss_json(loss: LostStretch, text: str) -> dict[str, object]:
    out: dict[str, object] = {"at": loss.offset(text), "origin": loss.origin.value}
    if loss.stands_for is not None:
        out["stands_for"] = list(loss.stands_for)
        out["reference"] = loss.reference
    if loss.mark:
        out["mark"] = loss.mark
    if loss.note:
        out["note"] = loss.note
    return out


def to_json(variants: Variants) -> str:
    """``collation.json``: the report's machine-readable twin (see the module docstring).

    >>> from collate.model import Alignment, Location, Reading, VariantClass, Witness
    >>> from collate.tokenize import tokenize
    >>> a, b = Witness("A", "in as much"), Witness("B", "inasmuch")
    >>> ta, tb = tokenize(a.text), tokenize(b.text)
    >>> al = Alignment((a, b), (ta, tb), ((ta, tb),))
    >>> loc = Location(0, 0, "A", ta, (Reading("A", ta, None), Reading("B", tb, VariantClass.SPACING)))
    >>> data = json.loads(to_json(Variants(al, "A", (loc,))))
    >>> data["variants"][0]["readings"], data["variants"][0]["classes"]
    ({'A': 'in as much', 'B': 'inasmuch'}, {'B': 'spacing'})
    >>> data["statistics"]["B"]["classes"]["spacing"], data["base"]["siglum"]
    (1, 'A')
    """
    al = variants.alignment
    sigla = al.sigla
    counts = class_counts(variants)
    data = {
        "sigla": list(sigla),
        "witnesses": _witnesses_json(al),
        "base": {"siglum": variants.base, "order": list(variants.base_order), "rule": base_rule(variants.base_order)},
        "normalization": al.normalization,
        "engine": al.engine,
        "metadata": {w.siglum: meta_to_dict(w.meta) for w in al.witnesses},
        "table": table_json(al),
        "variants": [_location_json(i, loc, sigla) for i, loc in enumerate(variants.locations)],
        "transpositions": [transposition_json(t) for t in al.transpositions],
        "statistics": {
            s: {
                "tokens": len(al.tokens[w]),
                "words": sum(t.kind in (TokenKind.WORD, TokenKind.NUMBER) for t in al.tokens[w]),
                "locations": sum(counts[w].values()),
                "classes": {c.value: counts[w][c] for c in CLASS_ORDER},
            }
            for w, s in enumerate(sigla)
        },
        "pairwise": {
            "sigla": list(sigla),
            "similarity": [
                [round(x, 4) if x is not None else None for x in r] for r in pairwise_similarity(al)
            ],
        },
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
