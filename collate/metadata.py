"""Witness metadata: the one plain-value (TOML and JSON) form of `WitnessMeta`.

`parse_meta` checks a parsed ``.toml`` table field by field; `meta_to_dict`
writes the same form back (the store writes it as TOML, the reports as JSON),
so every output names a field the same way.  The form::

    title = "FRUS 1942, vol. III, doc. 516"
    source = "Foreign Relations of the United States ..."
    translation = "the contemporary British/FRUS translation"
    family = "frus1942"                # the translation or recension it belongs to
    completeness = "fragment"          # or "complete"
    note = "free text"
    sha256 = "..."                     # checksum of the .txt, checked before every use

    [[lost]]                           # one table per lost stretch (a lacuna)
    at = "end"                         # "start", "end", or a character offset into the .txt
    after = "and the best forces to boot, have been"   # its words just before the loss
    note = "free text"                 # optional

    [[lost]]                           # a loss found by the tool: check it, then delete `found`
    at = 1534
    after = "the 12th June last."      # without `at`: just after these words (they must occur once)
    found = true
    reference = "web"                  # the stretch of web.txt it stands for (characters)
    stands_for = [1021, 2388]

    [coverage]                         # found by the tool: what of the document it covers
    reference = "web"
    spans = [[0, 1020], [2389, 2601]]  # character spans of web.txt
    words = 310
    total_words = 433
    summary = "paragraphs 1-3 and paragraph 5: 310 of 433 words, 72 %"

A witness's losses are those its ``lost`` tables state and its gap marks
mark; only a witness that states none has them found (`collate.coverage`).
The old form ``lost = ["end"]`` with ``breaks_off_after = "..."`` is read too;
the new form is written.  Nothing here touches a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .errors import CollateError
from .model import Completeness, Coverage, Lost, LossOrigin, LostStretch, WitnessMeta, occurs

TEXT_FIELDS = ("title", "source", "translation", "family", "note", "sha256")
"""The metadata fields that are plain strings; a new one needs only a name here and a field in `WitnessMeta`."""

_KEY_ORDER = ("title", "source", "translation", "family", "completeness", "note")


def parse_meta(data: Mapping[str, object], path: str) -> WitnessMeta:
    """Metadata from a parsed ``.toml`` table, checked field by field.

    >>> m = parse_meta({"completeness": "fragment", "lost": ["end"], "breaks_off_after": "have been"}, "f.toml")
    >>> [(loss.at, loss.after) for loss in m.lost], m.breaks_off_after
    ([(<Lost.END: 'end'>, 'have been')], 'have been')
    >>> parse_meta({"lost": [{"at": -3}]}, "f.toml")
    Traceback (most recent call last):
    collate.errors.CollateError: f.toml: lost entry 1: at must be "start", "end" or a character offset (0 or more)
    >>> parse_meta({"title": 1942}, "w.toml")
    Traceback (most recent call last):
    collate.errors.CollateError: w.toml: title must be a string
    """

    def text(key: str) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise CollateError(f"{key} must be a string", path=path)
        return value

    strings = {key: text(key) for key in TEXT_FIELDS}
    strings["family"] = strings["family"].strip()
    try:
        completeness = Completeness(text("completeness") or "complete")
    except ValueError:
        raise CollateError('completeness must be "complete" or "fragment"', path=path) from None
    lost = _parse_lost(data.get("lost", []), text("breaks_off_after"), path)
    coverage = _parse_coverage(data.get("coverage"), path)
    _check_coverage(lost, coverage, path)
    source_file = None
    if any(key in data for key in ("source_file", "source_format", "source_sha256", "reader")):
        from .sourcefile import parse_source_file  # only a witness kept with its source (TEI, PAGE, ...) has these

        source_file = parse_source_file(data, path)
    return WitnessMeta(completeness=completeness, lost=lost, coverage=coverage, source_file=source_file, **strings)


def meta_to_dict(meta: WitnessMeta) -> dict[str, object]:
    """The metadata as a plain dict (for TOML and JSON), empty fields left out, the checksum last.

    >>> meta_to_dict(WitnessMeta(title="FRUS"))
    {'title': 'FRUS', 'completeness': 'complete'}
    >>> meta_to_dict(WitnessMeta(completeness=Completeness.FRAGMENT, lost=(LostStretch(Lost.END, after="have been"),)))
    {'completeness': 'fragment', 'lost': [{'at': 'end', 'after': 'have been'}]}
    """
    out: dict[str, object] = {key: getattr(meta, key) for key in TEXT_FIELDS}
    out["completeness"] = meta.completeness.value
    out["lost"] = [_loss_dict(loss) for loss in meta.lost if loss.origin is not LossOrigin.MARKED]
    cov = meta.coverage
    out["coverage"] = (
        {
            "reference": cov.reference,
            "spans": [list(span) for span in cov.spans],
            "words": cov.words,
            "total_words": cov.total_words,
            "summary": cov.summary,
        }
        if cov is not None
        else ""
    )
    if meta.source_file is not None:
        from .sourcefile import source_to_dict

        out.update(source_to_dict(meta.source_file))
    keys = [*_KEY_ORDER, *sorted(out.keys() - {*_KEY_ORDER, "sha256"}), "sha256"]  # a new field goes before the checksum
    return {k: out[k] for k in keys if out[k] not in ("", [], {})}


_LOSS_KEYS = frozenset({"at", "after", "note", "found", "reference", "stands_for"})


def _parse_lost(raw: object, breaks_off_after: str, path: str) -> tuple[LostStretch, ...]:
    """``lost``: a list of "start"/"end" (the old form) or of tables (the new)."""
    if not isinstance(raw, list):
        raise CollateError('lost must be a list of "start"/"end" or of [[lost]] tables', path=path)
    out: list[LostStretch] = []
    for k, entry in enumerate(raw, 1):
        if entry in ("start", "end"):
            out.append(LostStretch(Lost(entry)))
        elif isinstance(entry, dict):
            out.append(_parse_loss(entry, f"lost entry {k}", path))
        else:
            raise CollateError(f'lost entry {k} must be "start", "end" or a table', path=path)
    if breaks_off_after:
        ends = [i for i, loss in enumerate(out) if loss.is_end]
        if not out:
            out.append(LostStretch(Lost.END, after=breaks_off_after))
        elif ends and not out[ends[0]].after:
            out[ends[0]] = replace(out[ends[0]], after=breaks_off_after)
        else:
            raise CollateError('breaks_off_after needs lost = ["end"] (or write after = ... in the [[lost]] at "end")', path=path)
    return tuple(out)


def _parse_loss(entry: dict[str, object], label: str, path: str) -> LostStretch:
    unknown = sorted(set(entry) - _LOSS_KEYS)
    if unknown:
        raise CollateError(f"{label}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_LOSS_KEYS))})", path=path)
    at = entry.get("at")
    if at in ("start", "end"):
        where: int | Lost | None = Lost(str(at))
    elif at is None or (isinstance(at, int) and not isinstance(at, bool) and at >= 0):
        where = at
    else:
        raise CollateError(f'{label}: at must be "start", "end" or a character offset (0 or more)', path=path)
    strings = {key: entry.get(key, "") for key in ("after", "note", "reference")}
    for key, value in strings.items():
        if not isinstance(value, str):
            raise CollateError(f"{label}: {key} must be a string", path=path)
    if where is None and not str(strings["after"]).strip():
        raise CollateError(f"{label}: give at (\"start\", \"end\" or an offset) or after (the words before the loss)", path=path)
    found = entry.get("found", False)
    if not isinstance(found, bool):
        raise CollateError(f"{label}: found must be true or false", path=path)
    return LostStretch(
        where,
        after=str(strings["after"]),
        origin=LossOrigin.FOUND if found else LossOrigin.STATED,
        reference=str(strings["reference"]),
        stands_for=_parse_span(entry.get("stands_for"), f"{label}: stands_for", path),
        note=str(strings["note"]),
    )


def _parse_span(raw: object, label: str, path: str) -> tuple[int, int] | None:
    if raw is None:
        return None
    if (
        not isinstance(raw, list)
        or len(raw) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in raw)
        or not 0 <= raw[0] <= raw[1]
    ):
        raise CollateError(f"{label} must be [start, end], two character offsets, start <= end", path=path)
    return (raw[0], raw[1])


def _parse_coverage(raw: object, path: str) -> Coverage | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise CollateError("coverage must be a table", path=path)
    reference, summary = raw.get("reference", ""), raw.get("summary", "")
    words, total = raw.get("words", 0), raw.get("total_words", 0)
    if not isinstance(reference, str) or not isinstance(summary, str):
        raise CollateError("coverage: reference and summary must be strings", path=path)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (words, total)):
        raise CollateError("coverage: words and total_words must be counts", path=path)
    spans_raw = raw.get("spans", [])
    if not isinstance(spans_raw, list):
        raise CollateError("coverage: spans must be a list of [start, end]", path=path)
    spans = [_parse_span(v, "coverage: each span", path) for v in spans_raw]
    for a, b in zip(spans, spans[1:]):
        if a is not None and b is not None and b[0] < a[1]:
            raise CollateError(f"coverage: spans {list(a)} and {list(b)} overlap or are out of order", path=path)
    return Coverage(reference, tuple(s for s in spans if s is not None), int(str(words)), int(str(total)), summary)


def _check_coverage(lost: tuple[LostStretch, ...], coverage: Coverage | None, path: str) -> None:
    """A stated loss must not stand for text the coverage says the witness has."""
    if coverage is None:
        return
    for loss in lost:
        span = loss.stands_for
        if loss.origin is not LossOrigin.STATED or span is None or loss.reference not in ("", coverage.reference):
            continue
        for a, b in coverage.spans:
            if a < span[1] and span[0] < b:
                where = f"after \u201c{loss.after}\u201d" if loss.after else f"at {loss.at}"
                raise CollateError(
                    f"the coverage {[a, b]} of {coverage.reference} contradicts the loss stated {where}, "
                    f"which stands for {list(span)}: correct one of them",
                    path=path,
                )


def check_losses(meta: WitnessMeta, text: str, path: str) -> None:
    """Every stated loss can be placed in ``text`` (a one-line `CollateError` if not).

    >>> check_losses(parse_meta({"lost": [{"at": 99}]}, "x.toml"), "Eastern front", "x.toml")
    Traceback (most recent call last):
    collate.errors.CollateError: x.toml: lost at offset 99, past the end of the text (13 characters)
    """
    for loss in meta.lost:
        try:
            loss.offset(text)
        except ValueError as exc:
            raise CollateError(str(exc), path=path) from None
        if loss.after and loss.at is not None and not occurs(loss.after, text):
            raise CollateError(f"lost after {loss.after!r}, which does not occur in the text", path=path)


def _loss_dict(loss: LostStretch) -> dict[str, object]:
    out: dict[str, object] = {
        "at": loss.at.value if isinstance(loss.at, Lost) else loss.at,
        "after": loss.after,
        "note": loss.note,
        "found": loss.origin is LossOrigin.FOUND,
        "reference": loss.reference,
        "stands_for": list(loss.stands_for) if loss.stands_for is not None else None,
    }
    return {k: v for k, v in out.items() if v not in ("", None, False)}


def family_problem(name: str) -> str | None:
    """Why ``name`` cannot name a family, or None: it must be one line of at most 100
    printable characters, not empty, without spaces around it.

    >>> family_problem("soviet1957") is None, family_problem(" x"), family_problem("a\\nb")
    (True, 'has spaces around it', 'holds a character that cannot be printed')
    """
    if not name:
        return "is empty"
    if len(name) > 100:
        return "is longer than 100 characters"
    if not name.isprintable():
        return "holds a character that cannot be printed"
    if name != name.strip():
        return "has spaces around it"
    return None
