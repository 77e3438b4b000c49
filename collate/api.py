"""The library's entry points: `collate`, `check` and `Store`, and the results they give.

These are what ``import collate`` offers (lazily, see ``collate/__init__.py``);
the command line is one caller among others.  Each result carries what it was
computed from, so a caller never passes the same choice twice: a `Collation`
knows its base and its variants were classed against it, and its writers take
nothing but where to write.

>>> import collate
>>> c = collate.collate({"frus": "the Eastern front in 1942", "web": "the Easter front in 192"}, base="frus")
>>> [(loc.base_text, [(r.siglum, r.cls and r.cls.value) for r in loc.readings if r.cls]) for loc in c.variants]
[('Eastern', [('web', 'typo')]), ('1942', [('web', 'typo')])]
>>> round(collate.check("the Easter front", "the Eastern front").cer, 4)
0.0588
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CollateError
from .model import Alignment, Integrity, Location, Variants, Witness

if TYPE_CHECKING:
    from .fidelity import Error, FidelityReport
    from .synopsis import Synopsis
    from .locate import ErrorPlace
    from .store import StoreProblem

WitnessesLike = Mapping[str, str] | Iterable[Witness]
"""Witnesses as ``{siglum: text}``, or as `Witness` values (with their metadata)."""

REPORT_FILES = ("index.html", "collation.json", "apparatus.xml")
"""What `Collation.write` writes into its folder."""


def _witnesses(witnesses: WitnessesLike) -> tuple[Witness, ...]:
    if isinstance(witnesses, Mapping):
        return tuple(Witness(siglum, text) for siglum, text in witnesses.items())
    return tuple(witnesses)


def _modified(witnesses: Iterable[Witness]) -> frozenset[str]:
    """The sigla of witnesses read although their text no longer matches its checksum."""
    return frozenset(w.siglum for w in witnesses if w.integrity is Integrity.MODIFIED)


def _written(text: str, path: Path | str | None) -> str:
    """``text``, after writing it atomically to ``path`` if one is given."""
    if path is not None:
        from .files import write_files

        write_files({Path(path): text})
    return text


def _witness(value: Witness | str, siglum: str) -> Witness:
    return value if isinstance(value, Witness) else Witness(siglum, value)


@dataclass(frozen=True)
class Collation:
    """Witnesses aligned in passages, and within each family word by word, their
    variants classed against the family's base (`collate.synopsis`).

    ``variants`` are the base family's (for one family: every witness's); the
    writers turn the whole synopsis into the report's files.  ``title`` heads
    the HTML report.
    """

    synopsis: Synopsis
    title: str | None = None

    @property
    def variants(self) -> Variants:
        """The base family's variants (every witness's, when all are of one family)."""
        return self.synopsis.base_family.variants

    @cached_property
    def alignment(self) -> Alignment:
        """Every witness aligned token by token: the base family's alignment when
        there is one family, else all of them aligned together (what ``collate
        align`` prints; the report never compares translations word by word)."""
        if len(self.synopsis.families) == 1:
            return self.variants.alignment
        from .align import align

        first = self.variants.alignment
        return align(self.witnesses, normalization=first.normalization, engine=first.engine)

    @property
    def base(self) -> str | None:
        return self.variants.base

    @property
    def witnesses(self) -> tuple[Witness, ...]:
        return self.synopsis.witnesses

    @property
    def locations(self) -> tuple[Location, ...]:
        """Every family's variant locations, family by family."""
        return tuple(loc for f in self.synopsis.families for loc in f.variants.locations)

    def to_json(self) -> str:
        """``collation.json``: passages, families, alignment tables, variants, statistics (`collate.render.report.to_json`)."""
        from .render.report import to_json

        return to_json(self.synopsis)

    def to_tei(self) -> str:
        """TEI P5 parallel segmentation from which every witness's text comes back exactly."""
        from .render.tei import to_tei

        return to_tei(self.synopsis)

    def to_csv(self, *, delimiter: str = ",") -> str:
        """The alignment table for spreadsheets: one row per column, one column per witness."""
        from .render.table import to_csv

        return to_csv(self.alignment, delimiter=delimiter)

    def to_html(self, path: Path | str | None = None) -> str:
        """The self-contained HTML report; also written (atomically) to ``path`` if given."""
        from .render.report import render_html
        from .render.view import build_view

        return _written(render_html(build_view(self.synopsis, title=self.title, modified=_modified(self.witnesses))), path)

    def write(
        self,
        folder: Path | str,
        *,
        protected_dirs: Collection[Path] = (),
        on_commit: Callable[[], None] | None = None,
    ) -> tuple[Path, ...]:
        """Write ``index.html``, ``collation.json`` and ``apparatus.xml`` into ``folder``: all or none.

        Refused (`CollateError`, nothing written): a target that is one of the
        witnesses' own files or lies in ``protected_dirs`` (a witness store),
        and the other unsafe targets of `collate.files.check_targets`.
        ``on_commit`` is called once the files are in place.
        """
        from .files import write_files

        folder = Path(folder)
        outputs = dict(zip((folder / name for name in REPORT_FILES), (self.to_html(), self.to_json(), self.to_tei())))
        inputs = [Path(w.path) for w in self.witnesses if w.path]
        write_files(outputs, inputs=inputs, protected_dirs=protected_dirs, on_commit=on_commit)
        return tuple(outputs)


def collate(
    witnesses: WitnessesLike,
    *,
    base: str | Sequence[str] | None = None,
    normalize: str = "exact",
    engine: str = "fast",
    title: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    gap_marks: tuple[str, ...] | None = None,
) -> Collation:
    """Align ``witnesses`` and class their variants against ``base``, family by family.

    Witnesses of one family (their metadata's ``family``; all are one family
    when none states one) are aligned token by token; families are set side by
    side in passages (`collate.synopsis`).  ``base`` is a siglum, or an ordered
    list of sigla (where the first is lost, the next serves: ``("frus",
    "web")``; in another family, the first of them in it), or None for the
    best-attested reading at each place; ``normalize`` a preset of
    `collate.normalize.Preset`; ``engine`` "fast" or "collatex";
    ``gap_marks`` the editorial marks that stand for a lacuna (None:
    `collate.tokenize.GAP_MARKS`; add one with ``GAP_MARKS + ("[damaged]",)``).
    Raises `CollateError` for fewer than two witnesses, repeated sigla or an
    unknown base.

    >>> from collate.tokenize import GAP_MARKS
    >>> c = collate({"a": "the second front in Europe", "b": "the [damaged] in Europe"}, gap_marks=GAP_MARKS + ("[damaged]",))
    >>> sorted({r.cls.value for loc in c.variants for r in loc.readings if r.cls})
    ['lacuna']
    """
    from .synopsis import synopsis

    wits = _witnesses(witnesses)
    _refuse(wits)
    sigla = [w.siglum for w in wits]
    for name in (base,) if isinstance(base, str) else base or ():
        if name not in sigla:
            raise CollateError(f"the base {name!r} is not one of the witnesses ({', '.join(sigla)})")
    made = synopsis(wits, base=base, normalization=normalize, engine=engine, progress=progress, gap_marks=gap_marks)
    return Collation(made, title=title)


def align(
    witnesses: WitnessesLike,
    *,
    normalize: str = "exact",
    engine: str = "fast",
    progress: Callable[[int, int], None] | None = None,
    gap_marks: tuple[str, ...] | None = None,
) -> Alignment:
    """Only align ``witnesses`` (no variants classed): the table of `collate.model.Alignment`.
    ``progress(done, total)`` is told as each witness is aligned with the spine;
    ``gap_marks`` as for `collate`.

    >>> [[c[0].word if c else None for c in col] for col in align({"A": "the Easter front", "B": "the front"}).columns]
    [['the', 'the'], ['Easter', None], ['front', 'front']]
    """
    from .align import align as align_witnesses

    wits = _witnesses(witnesses)
    _refuse(wits)
    from .tokenize import GAP_MARKS

    return align_witnesses(wits, normalization=normalize, engine=engine, progress=progress,
                           gap_marks=GAP_MARKS if gap_marks is None else gap_marks)


def _refuse(wits: Sequence[Witness]) -> None:
    """Fewer than two witnesses, or two with one siglum, cannot be collated."""
    sigla = [w.siglum for w in wits]
    if len(wits) < 2:
        raise CollateError(f"need at least two witnesses to collate, got {len(wits)}")
    if len(set(sigla)) != len(sigla):
        raise CollateError(f"two witnesses share a siglum: {', '.join(sorted({s for s in sigla if sigla.count(s) > 1}))}")


@dataclass(frozen=True, slots=True)
class Check:
    """A transcription checked against a reference: CER, WER and every error classified.

    ``places`` says where each error stands in both sources (page, line,
    column, element id, OCR confidence: `collate.locate`), one per error;
    empty if the check was made without its witnesses.
    """

    report: FidelityReport
    places: tuple[ErrorPlace, ...] = ()
    modified: frozenset[str] = frozenset()
    """The sides read although their stored text changed since it was stored (``--allow-modified``): the page warns."""

    @property
    def cer(self) -> float:
        return self.report.cer

    @property
    def wer(self) -> float:
        return self.report.wer

    @property
    def errors(self) -> tuple[Error, ...]:
        return self.report.errors

    def summary(self, *, listed: int | None = 10) -> str:
        """A few lines for a terminal, and the first ``listed`` errors (None: all) with where they stand."""
        from .render.check import summary_text

        return summary_text(self.report, self.places, listed=listed)

    def to_json(self) -> str:
        from .render.check import to_json

        return to_json(self.report, self.places)

    def to_html(self, path: Path | str | None = None) -> str:
        """The self-contained HTML page; also written (atomically) to ``path`` if given."""
        from .render.check import render_html

        return _written(render_html(self.report, self.places, modified=self.modified), path)


def check(
    witness: Witness | str,
    reference: Witness | str,
    *,
    normalize: str = "exact",
    gap_marks: tuple[str, ...] | None = None,
    partial_share: float | None = None,
) -> Check:
    """Check ``witness`` against ``reference`` (texts, or `Witness` values, e.g. read from TEI or ALTO).

    Either side is partial (only what both have is measured) when it is a
    declared fragment, states losses or carries gap marks (``gap_marks``:
    `collate.tokenize.GAP_MARKS` by default, ``()`` to read "..." as text);
    with ``partial_share`` (e.g. 0.5), also when it has clearly fewer words.

    >>> c = check("in as much as", "inasmuch as")
    >>> [(e.cls.value, e.reference, e.witness) for e in c.errors], c.places[0].witness.at.column
    ([('spacing', 'inasmuch', 'in as much')], 1)
    """
    from .fidelity import check as check_fidelity
    from .locate import locate
    from .tokenize import GAP_MARKS

    wit, ref = _witness(witness, "witness"), _witness(reference, "reference")
    report = check_fidelity(
        ref,
        wit,
        normalization=normalize,
        gap_marks=GAP_MARKS if gap_marks is None else gap_marks,
        partial_share=partial_share,
    )
    return Check(report, locate(report, wit, ref), _modified((wit, ref)))


class Store:
    """A witness store: a folder of ``<siglum>.txt`` transcriptions and their ``.toml`` provenance.

    >>> import tempfile
    >>> store = Store(Path(tempfile.mkdtemp()) / "witnesses")
    >>> src = store.path.parent / "copy.txt"
    >>> _ = src.write_text("the Eastern front")
    >>> store.add(src, siglum="B", title="a copy").siglum
    'B'
    >>> [w.siglum for w in store.witnesses()], store.verify()
    (['B'], ())
    """

    def __init__(self, path: Path | str = "witnesses") -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def witnesses(self, sigla: Iterable[str] = ()) -> tuple[Witness, ...]:
        """The stored witnesses named by ``sigla``, or all of them, in siglum order."""
        from .store import load_store, resolve

        names = list(sigla)
        return resolve(names, store=self.path) if names else load_store(self.path)

    def add(self, source: Path | str, *, siglum: str, **options: Any) -> Witness:
        """Store the file ``source`` verbatim as ``siglum``, with the provenance and
        options of `collate.store.add_witness` (title, citation, fragment, replace...)."""
        from .store import add_witness

        return add_witness(Path(source), siglum=siglum, store=self.path, **options)

    def verify(self) -> tuple[StoreProblem, ...]:
        """Every problem in the store (empty when every text matches its checksum)."""
        from .store import verify_store

        return verify_store(self.path)
