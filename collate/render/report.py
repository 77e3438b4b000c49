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

``collation.json`` (`to_json`) is a serialisation of the synopsis itself
(`collate.synopsis.Synopsis`), not of the page, with these keys:

``sigla``
    the sigla, family by family (the base family first);
``families``
    ``{name: [siglum, ...]}``: which witnesses are copies of one translation
    (or recension); readings are compared only within a family;
``witnesses``
    ``{siglum: {"family": name, "family_assigned": "stated" | "proposed" |
    "assumed", "family_reason": "...", "coverage": [[start, end], ...],
    "reference": siglum, "summary": "...", "words": n, "total_words": n,
    "lacunae": [...]}}``: its family and how it came by it; what of the
    document it covers, as character spans of the ``reference`` witness's
    text (the passage base: word by word within its family, passage by
    passage for another family), said in words; and each lacuna: where it
    sits in the witness's own text (``at``), what it stands for in its
    family's reference (``stands_for``), and whether it was stated, found or
    marked (``origin``, with the gap ``mark`` if any);
``base``
    ``{"siglum": "frus" or null, "order": [...], "rule": "...", "passages":
    siglum, "families": {name: siglum or null}}``: what served as base in the
    base family, the witness whose sentences make the passages, and each
    family's base;
``normalization``, ``engine``
    how the texts were aligned;
``metadata``
    ``{siglum: {...}}``, the provenance from each witness's ``.toml``;
``passages``
    one entry per row of the synopsis, in text order: ``{"id": "p7.2",
    "readings": {siglum: text, or null where the witness has nothing there,
    a lacuna included}, "lost": [sigla whose text is lost there]}``, with
    ``"added_by": family`` for a passage the passage base has no sentence
    for, and ``"aliases"`` for the ids of other sentences it holds;
``tables``
    ``{family: table}``: each family's CollateX-compatible alignment table
    (`collate.render.table.table_json`); variants' columns count in it;
``variants``
    one entry per location: ``{"id", "family", "passage", "columns": [first,
    last], "base": siglum, "readings": {siglum: text, or null where the
    witness has nothing}, "classes": {siglum: class, or null where it agrees
    with the base}}`` for the witnesses of its family (the base witness is
    left out of ``classes``), and ``"similarity": {siglum: 0..1}`` for
    probable typos;
``transpositions``
    ``[{"family", "sigla": [a, b], "columns": [first, last], "words": [...]}]``;
``statistics``
    ``{siglum: {"tokens", "words", "locations", "classes": {class: n}}}``,
    counted within its family;
``pairwise``
    ``{"sigla": [...], "similarity": [[...]], "wording": [[...]]}``: within a
    family, the share of aligned columns in which two witnesses read the same
    (normalized) text, counted only where both survive (a lacuna is not a
    difference), null across families; across families, the share of their
    wording two translations have in common passage by passage
    (`collate.families.passage_wording`), null within.
"""

from __future__ import annotations

import json
from typing import TypedDict

from markupsafe import Markup

from ..model import CLASS_ORDER, Location, LostStretch, TokenKind, Variants
from ..metadata import meta_to_dict
from ..synopsis import Family, RowState, Synopsis, coverage, from_variants
from ..variants import class_counts
from .summary import similarity
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


def _location_json(index: int, family: Family, loc: Location, passage: str) -> dict[str, object]:
    by_siglum = {r.siglum: r for r in loc.readings}
    sigla = family.sigla
    entry: dict[str, object] = {
        "id": index,
        "family": family.name,
        "passage": passage,
        "columns": [loc.first, loc.last],
        "base": loc.base,
        "readings": {s: (by_siglum[s].text or None) if s in by_siglum else None for s in sigla},
        "classes": {s: by_siglum[s].cls if s in by_siglum else None for s in sigla if s != loc.base},
    }
    similarity = {r.siglum: round(r.similarity, 4) for r in loc.readings if r.similarity is not None}
    if similarity:
        entry["similarity"] = similarity
    return entry


def _witnesses_json(syn: Synopsis, states: dict[str, tuple[RowState, ...]]) -> dict[str, object]:
    covered = coverage(syn, states)
    members = {m.siglum: m for m in syn.members}
    out: dict[str, object] = {}
    for f in syn.families:
        al = f.alignment
        for w, siglum in enumerate(al.sigla):
            cov, m = covered[siglum], members[siglum]
            losses = al.losses[w] if al.losses else ()
            out[siglum] = {
                "family": f.name,
                "family_assigned": m.assigned.value,
                "family_reason": m.reason,
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


def _passages_json(syn: Synopsis, states: dict[str, tuple[RowState, ...]]) -> list[dict[str, object]]:
    texts = {w.siglum: w.text for w in syn.witnesses}
    spans = {s: syn.spans(s) for s in syn.sigla}
    out: list[dict[str, object]] = []
    for r, row in enumerate(syn.rows):
        entry: dict[str, object] = {
            "id": row.id,
            "readings": {s: None if (x := spans[s][r]) is None else texts[s][x[0] : x[1]] for s in syn.sigla},
            "lost": [s for s in syn.sigla if states[s][r] is RowState.LOST],
        }
        if row.added_by:
            entry["added_by"] = row.added_by
        if row.aliases:
            entry["aliases"] = list(row.aliases)
        out.append(entry)
    return out


def _statistics_json(syn: Synopsis) -> dict[str, object]:
    out: dict[str, object] = {}
    for f in syn.families:
        counts = class_counts(f.variants)
        for w, s in enumerate(f.sigla):
            out[s] = {
                "tokens": len(f.alignment.tokens[w]),
                "words": sum(t.kind in (TokenKind.WORD, TokenKind.NUMBER) for t in f.alignment.tokens[w]),
                "locations": sum(counts[w].values()),
                "classes": {c.value: counts[w][c] for c in CLASS_ORDER},
            }
    return out


def _rounded(matrix: list[list[float | None]]) -> list[list[float | None]]:
    return [[round(x, 4) if x is not None else None for x in row] for row in matrix]


def to_json(source: Variants | Synopsis) -> str:
    """``collation.json``: the report's machine-readable twin (see the module docstring),
    of a synopsis, or of one family's classed variant locations.

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
    syn = source if isinstance(source, Synopsis) else from_variants(source)
    first = syn.base_family
    same, wording = similarity(syn)
    states = syn.row_states()
    data = {
        "sigla": list(syn.sigla),
        "families": {f.name: list(f.sigla) for f in syn.families},
        "witnesses": _witnesses_json(syn, states),
        "base": {
            "siglum": first.variants.base,
            "order": list(first.variants.base_order),
            "rule": base_rule(first.variants.base_order),
            "passages": syn.passage_base,
            "families": {f.name: f.variants.base for f in syn.families},
        },
        "normalization": first.alignment.normalization,
        "engine": first.alignment.engine,
        "metadata": {w.siglum: meta_to_dict(w.meta) for w in syn.witnesses},
        "passages": _passages_json(syn, states),
        "tables": {f.name: table_json(f.alignment) for f in syn.families},
        "variants": [_location_json(i, f, loc, syn.rows[row].id) for i, (f, loc, row) in enumerate(syn.located())],
        "transpositions": [{"family": f.name, **transposition_json(t)} for f in syn.families for t in f.alignment.transpositions],
        "statistics": _statistics_json(syn),
        "pairwise": {"sigla": list(syn.sigla), "similarity": _rounded(same), "wording": _rounded(wording)},
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
