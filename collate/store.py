"""The witness store: witness files and their provenance.

A store is a folder (``witnesses/`` by default).  Each witness is two files:

``<siglum>.txt``
    the transcription, UTF-8, stored byte for byte as given;
``<siglum>.toml``
    its metadata, hand-editable::

        title = "FRUS 1942, vol. III, doc. 516"
        source = "Foreign Relations of the United States ..."
        translation = "the contemporary British/FRUS translation"
        completeness = "fragment"          # or "complete"
        note = "free text"
        sha256 = "..."                     # checksum of the .txt, checked by `collate verify`

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
    The old form ``lost = ["end"]`` with ``breaks_off_after = "..."`` is read
    too; the new form is written.

A plain file given on the command line is a witness too: its siglum is its file
stem, and a ``.toml`` beside it, if present, gives its metadata.

Writing: `add_witness` validates a file and a siglum and stores both files
atomically (each written to a temporary file in the store, fsynced, then moved
into place with `os.replace`); a refusal or a failure leaves the store byte for
byte as it was.  `verify_store` checks every stored text against its checksum.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path


from .errors import CollateError
from .files import write_files
from .model import Completeness, Coverage, Lost, LostStretch, LossOrigin, Witness, WitnessMeta, occurs

DEFAULT_STORE = Path("witnesses")


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data``.

    >>> sha256(b"")[:12]
    'e3b0c44298fc'
    """
    import hashlib  # only add and verify need it: keep start-up fast

    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes, path: str) -> str:
    """Decode a witness file's bytes, refusing what is not text.

    >>> decode_text("Eastern".encode(), "w.txt")
    'Eastern'
    >>> decode_text(b"", "w.txt")
    Traceback (most recent call last):
    collate.errors.CollateError: w.txt: empty file
    """
    if not data:
        raise CollateError("empty file", path=path)
    if b"\x00" in data:
        raise CollateError("binary file (contains NUL bytes), not a text transcription", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CollateError(f"not UTF-8 text (undecodable byte at offset {exc.start})", path=path) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise CollateError("file holds only whitespace", path=path)
    return text


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CollateError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise CollateError("is a directory, not a witness file", path=str(path)) from None
    except OSError as exc:
        raise CollateError(exc.strerror or "cannot be read", path=str(path)) from None


def parse_meta(data: dict[str, object], path: str) -> WitnessMeta:
    """Metadata from a parsed ``.toml`` table, checked field by field.

    >>> m = parse_meta({"completeness": "fragment", "lost": ["end"], "breaks_off_after": "have been"}, "f.toml")
    >>> [(loss.at, loss.after) for loss in m.lost], m.breaks_off_after
    ([(<Lost.END: 'end'>, 'have been')], 'have been')
    >>> parse_meta({"lost": [{"at": -3}]}, "f.toml")
    Traceback (most recent call last):
    collate.errors.CollateError: f.toml: lost entry 1: at must be "start", "end" or a character offset (0 or more)
    """

    def text(key: str) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise CollateError(f"{key} must be a string", path=path)
        return value

    try:
        completeness = Completeness(text("completeness") or "complete")
    except ValueError:
        raise CollateError("completeness must be \"complete\" or \"fragment\"", path=path) from None
    lost = _parse_lost(data.get("lost", []), text("breaks_off_after"), path)
    coverage = _parse_coverage(data.get("coverage"), path)
    _check_coverage(lost, coverage, path)
    return WitnessMeta(
        title=text("title"),
        source=text("source"),
        translation=text("translation"),
        completeness=completeness,
        lost=lost,
        note=text("note"),
        sha256=text("sha256"),
        coverage=coverage,
    )


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


def meta_to_dict(meta: WitnessMeta) -> dict[str, object]:
    """The metadata as a plain dict (for TOML and JSON), empty fields left out.

    >>> meta_to_dict(WitnessMeta(completeness=Completeness.FRAGMENT, lost=(LostStretch(Lost.END, after="have been"),)))
    {'completeness': 'fragment', 'lost': [{'at': 'end', 'after': 'have been'}]}
    """
    cov = meta.coverage
    out: dict[str, object] = {
        "title": meta.title,
        "source": meta.source,
        "translation": meta.translation,
        "completeness": meta.completeness.value,
        "note": meta.note,
        "sha256": meta.sha256,
        "lost": [_loss_dict(loss) for loss in meta.lost if loss.origin is not LossOrigin.MARKED],
        "coverage": {
            "reference": cov.reference,
            "spans": [list(span) for span in cov.spans],
            "words": cov.words,
            "total_words": cov.total_words,
            "summary": cov.summary,
        }
        if cov is not None
        else "",
    }
    return {k: v for k, v in out.items() if v not in ("", [])}


def read_meta(path: Path) -> WitnessMeta:
    if not path.exists():
        return WitnessMeta()
    try:
        data = tomllib.loads(read_bytes(path).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CollateError(f"bad metadata: {exc}", path=str(path)) from None
    return parse_meta(data, str(path))


def read_witness(path: Path, *, siglum: str | None = None) -> Witness:
    """Read a witness file (and the ``.toml`` beside it, if any)."""
    text = decode_text(read_bytes(path), str(path))
    meta_path = path.with_suffix(".toml")
    meta = read_meta(meta_path)
    check_losses(meta, text, str(meta_path))
    return Witness(siglum=siglum or path.stem, text=text, meta=meta, path=str(path))


def list_sigla(store: Path) -> list[str]:
    """Sigla of the stored witnesses, sorted; a witness is a ``.txt`` in the store."""
    if not store.is_dir():
        raise CollateError("witness store not found", path=str(store))
    return sorted(p.stem for p in store.glob("*.txt"))


def load_store(store: Path = DEFAULT_STORE) -> tuple[Witness, ...]:
    """Every witness in ``store``, in siglum order."""
    sigla = list_sigla(store)
    if not sigla:
        raise CollateError("no witnesses (*.txt) in the store", path=str(store))
    return tuple(read_witness(store / f"{s}.txt") for s in sigla)


def resolve(names: Iterable[str], *, store: Path = DEFAULT_STORE) -> tuple[Witness, ...]:
    """Witnesses named on the command line: a path to a file, or a stored siglum.

    A name that exists as a file is read as one; otherwise it must be the siglum
    of a witness in ``store``.  Sigla must be unique.
    """
    witnesses: list[Witness] = []
    for name in names:
        path = Path(name)
        if path.is_file() or "/" in name or "\\" in name:
            witnesses.append(read_witness(path))
        elif (store / f"{name}.txt").is_file():  # a siglum, dotted ones ("Vat.lat.3") included
            witnesses.append(read_witness(store / f"{name}.txt"))
        elif path.suffix:
            witnesses.append(read_witness(path))  # a file name that does not exist: say so
        else:
            raise CollateError(f"no such file, and no witness {name!r} in the store {store}", path=name)
    check_unique(witnesses)
    return tuple(witnesses)


def check_unique(witnesses: Sequence[Witness]) -> None:
    seen: set[str] = set()
    for w in witnesses:
        if w.siglum in seen:
            raise CollateError(f"two witnesses share the siglum {w.siglum!r}; rename one file", path=w.path)
        seen.add(w.siglum)


# --- Writing: `collate add` -------------------------------------------------

MAX_SIGLUM_LENGTH = 64
_SIGLUM_RE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*")
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(1, 10)] + [f"lpt{i}" for i in range(1, 10)]
)


def siglum_problem(siglum: str) -> str | None:
    """Why ``siglum`` is not a safe name for a stored witness, or None if it is.

    A siglum becomes a file name in the store, on any operating system: ASCII
    letters, digits, ``_``, ``-`` and ``.`` (not first or last, never ``..``),
    at most 64 characters, not a name Windows reserves.

    >>> siglum_problem("Vat.lat.3225") is None
    True
    >>> siglum_problem("../x")
    'must not start with "."'
    >>> siglum_problem("a/b")
    'may hold only ASCII letters, digits, "_", "-" and "." (found "/")'
    >>> siglum_problem("nul")
    'is a name Windows reserves for a device'
    """
    if not siglum:
        return "is empty"
    if len(siglum) > MAX_SIGLUM_LENGTH:
        return f"is longer than {MAX_SIGLUM_LENGTH} characters"
    if siglum.startswith("."):
        return 'must not start with "."'
    if not _SIGLUM_RE.fullmatch(siglum):
        bad = next(c for c in siglum if not (c.isascii() and (c.isalnum() or c in "_.-")))
        shown = f'"{bad}"' if bad.isprintable() and not bad.isspace() else repr(bad)
        return f'may hold only ASCII letters, digits, "_", "-" and "." (found {shown})'
    if ".." in siglum:
        return 'must not contain ".."'
    if siglum.endswith("."):
        return 'must not end with "."'
    if siglum.lower().endswith((".txt", ".toml")):
        return "looks like a file name: give the siglum without the extension"
    if siglum.split(".")[0].lower() in _WINDOWS_RESERVED:
        return "is a name Windows reserves for a device"
    return None


def add_witness(
    source: Path,
    *,
    siglum: str,
    store: Path = DEFAULT_STORE,
    title: str = "",
    citation: str = "",
    translation: str = "",
    fragment: bool = False,
    breaks_off_after: str = "",
    note: str = "",
    replace: bool = False,
) -> Witness:
    """Store the file ``source`` as witness ``siglum``: its bytes verbatim, its metadata and checksum.

    The text goes to ``<store>/<siglum>.txt`` byte for byte (line endings, BOM
    and Unicode normalization untouched), the metadata with the SHA-256 of
    those bytes to ``<store>/<siglum>.toml``.  ``citation`` is stored as the
    ``source`` field; ``fragment`` marks a partial witness (where its text
    is lost is then found when it is collated, see `collate.coverage`), and
    ``breaks_off_after`` (which must occur in the text) states that its end is
    lost after those words.  The store folder is created if missing.

    Refused with a one-line `CollateError`, nothing written: a missing,
    empty, whitespace-only, binary or non-UTF-8 file; an unsafe siglum (see
    `siglum_problem`); a siglum already in the store, unless ``replace``.
    Both writes are atomic, and if either fails the store is left as it was.

    >>> import shutil, tempfile
    >>> import tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> _ = (tmp / "copy.txt").write_bytes(b"Eastern front\\r\\n")
    >>> w = add_witness(tmp / "copy.txt", siglum="B", store=tmp / "store", title="B copy")
    >>> w.siglum, w.text, w.meta.title, w.meta.sha256[:12]
    ('B', 'Eastern front\\r\\n', 'B copy', 'ad47fbd5aae7')
    >>> sorted(p.name for p in (tmp / "store").iterdir())
    ['B.toml', 'B.txt']
    >>> add_witness(tmp / "copy.txt", siglum="B", store=tmp / "store")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    collate.errors.CollateError: ...copy.txt: the siglum 'B' is already taken in the store ...
    >>> shutil.rmtree(tmp)
    """
    label = str(source)
    problem = siglum_problem(siglum)
    if problem is not None:
        raise CollateError(f"siglum {siglum!r} is not a safe name: it {problem}", path=label)
    data = read_bytes(source)
    text = decode_text(data, label)
    if breaks_off_after and not fragment:
        raise CollateError("breaks_off_after is given but the witness is not marked a fragment", path=label)
    if breaks_off_after and " ".join(breaks_off_after.split()) not in " ".join(text.split()):
        raise CollateError(f"breaks_off_after {breaks_off_after!r} does not occur in the text", path=label)
    _check_siglum_free(store, siglum, replace=replace, label=label)
    meta = WitnessMeta(
        title=title,
        source=citation,
        translation=translation,
        completeness=Completeness.FRAGMENT if fragment else Completeness.COMPLETE,
        lost=(LostStretch(Lost.END, after=breaks_off_after),) if breaks_off_after else (),
        note=note,
        sha256=sha256(data),
    )
    toml_text = f"# Provenance of {siglum}.txt, written by `collate add`; hand-editable.\n"
    import tomli_w

    toml_text += tomli_w.dumps(meta_to_dict(meta))
    txt_path = store / f"{siglum}.txt"
    write_files(
        {txt_path: data, store / f"{siglum}.toml": toml_text},
        nothing="nothing was stored",
        inconsistent="the store may be inconsistent: verify it",
    )
    return Witness(siglum=siglum, text=text, meta=meta, path=str(txt_path))


def _check_siglum_free(store: Path, siglum: str, *, replace: bool, label: str) -> None:
    if not store.exists():
        return
    if not store.is_dir():
        raise CollateError(f"the witness store {store} is not a folder", path=label)
    try:
        stored = {p.stem for p in store.iterdir() if p.suffix in (".txt", ".toml")}
    except OSError as exc:
        raise CollateError(f"cannot list the witness store {store}: {exc.strerror or exc}", path=label) from None
    if siglum in stored and not replace:
        raise CollateError(
            f"the siglum {siglum!r} is already taken in the store {store} (replace it explicitly to overwrite)",
            path=label,
        )
    twins = sorted(s for s in stored if s != siglum and s.casefold() == siglum.casefold())
    if twins:
        raise CollateError(
            f"the siglum {siglum!r} differs only in case from the stored {twins[0]!r}"
            " (the two would collide on case-insensitive file systems)",
            path=label,
        )


# --- Checking: `collate verify` ---------------------------------------------

_TEMP_RE = re.compile(r"\.(?P<siglum>.+)\.(?:txt|toml)\.[0-9a-f]+\.tmp")


@dataclass(frozen=True, slots=True)
class StoreProblem:
    """Something wrong with one stored witness: its siglum, the file concerned, and what."""

    siglum: str
    path: str
    problem: str


def verify_store(store: Path = DEFAULT_STORE) -> tuple[StoreProblem, ...]:
    """Every problem in the store; an empty tuple when every text matches its checksum.

    Reported: a ``.txt`` whose bytes no longer match the ``sha256`` in its
    ``.toml`` (with the expected and actual checksum prefixes), a ``.txt``
    without a ``.toml`` or whose ``.toml`` has no ``sha256``, a ``.toml``
    without its ``.txt``, metadata that cannot be read, a text that cannot be
    read, and temporary files left by an interrupted write.

    >>> import shutil, tempfile
    >>> import tempfile
    >>> tmp = Path(tempfile.mkdtemp())
    >>> _ = (tmp / "copy.txt").write_bytes(b"Eastern front")
    >>> _ = add_witness(tmp / "copy.txt", siglum="B", store=tmp / "store")
    >>> verify_store(tmp / "store")
    ()
    >>> _ = (tmp / "store" / "B.txt").write_bytes(b"Easter front")
    >>> [(p.siglum, p.problem) for p in verify_store(tmp / "store")]
    [('B', 'text changed since it was stored: sha256 expected b6e70c7a41d5…, actual 4675b03aca43…')]
    >>> shutil.rmtree(tmp)
    """
    if not store.is_dir():
        raise CollateError("witness store not found", path=str(store))
    texts = {p.stem: p for p in store.glob("*.txt")}
    metas = {p.stem: p for p in store.glob("*.toml")}
    problems: list[StoreProblem] = []
    for siglum in sorted(texts.keys() | metas.keys()):
        problem = _check_witness(siglum, texts.get(siglum), metas.get(siglum))
        if problem is not None:
            problems.append(problem)
    for tmp in sorted(store.glob(".*.tmp")):
        match = _TEMP_RE.fullmatch(tmp.name)
        if match:
            problems.append(
                StoreProblem(match["siglum"], str(tmp), "temporary file left by an interrupted write; delete it")
            )
    return tuple(sorted(problems, key=lambda p: (p.siglum, p.path)))


def _check_witness(siglum: str, text_path: Path | None, meta_path: Path | None) -> StoreProblem | None:
    if text_path is None:
        assert meta_path is not None
        return StoreProblem(siglum, str(meta_path), f"metadata without its text: {siglum}.txt is missing")
    try:
        data = read_bytes(text_path)
    except CollateError as exc:
        return StoreProblem(siglum, str(text_path), f"text cannot be read: {exc.message}")
    if meta_path is None:
        return StoreProblem(siglum, str(text_path), f"no metadata ({siglum}.toml missing), so no checksum to check")
    try:
        meta = read_meta(meta_path)
    except CollateError as exc:
        return StoreProblem(siglum, str(meta_path), f"metadata cannot be read: {exc.message}")
    expected = meta.sha256.strip().lower()
    if not expected:
        return StoreProblem(siglum, str(meta_path), "metadata has no sha256 checksum of the text")
    if not re.fullmatch(r"[0-9a-f]{64}", expected):
        return StoreProblem(siglum, str(meta_path), f"sha256 {meta.sha256!r} is not 64 hexadecimal digits")
    actual = sha256(data)
    if actual != expected:
        return StoreProblem(
            siglum,
            str(text_path),
            f"text changed since it was stored: sha256 expected {expected[:12]}…, actual {actual[:12]}…",
        )
    try:
        decode_text(data, str(text_path))
    except CollateError as exc:
        return StoreProblem(siglum, str(text_path), f"text matches its checksum but is not a transcription: {exc.message}")
    return None
