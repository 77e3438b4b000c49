"""The work on one document, as a job a process pool or a Dask cluster can ship.

A job (`ReportJob`, `CheckJob`) is a small frozen value: where the
document's files are, where its outputs go, the options, and the checksums
of its inputs at the last run.  `run_report_job` and `run_check_job` are
top-level functions of the job alone (no global state), so any executor can
pickle them by name and run them anywhere the files can be reached.  Each:

1. reads the document's files (through `collate.corpus.sources`) and
   checksums them;
2. if the checksums match the last run's and the outputs are still there,
   answers ``skipped`` without collating;
3. otherwise collates or checks the document, writes its outputs (all or
   none), and answers with a small summary.  The collation is dropped when
   the function returns: only the summary travels back.

Nothing a document does can stop the others: every exception becomes a
``failed`` `Outcome` carrying a one-line message, and the document's old
outputs are removed so that no stale report stands in for it.

>>> import shutil, tempfile
>>> from dataclasses import replace
>>> from collate.corpus.sources import join, write_folder
>>> root = tempfile.mkdtemp()
>>> write_folder(join(root, "in", "d"), {"A.txt": "the Eastern front", "B.txt": "the Easter front"})
>>> job = ReportJob("d", join(root, "in", "d"), ("A.txt", "B.txt"), (), join(root, "out", "d"))
>>> done = run_report_job(job)
>>> done.status.value, done.summary.locations, done.summary.classes[4]
('done', 1, 1)
>>> run_report_job(replace(job, previous=done.inputs)).status.value
'skipped'
>>> shutil.rmtree(root)
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Generic, TypeVar

from ..errors import CollateError
from ..model import Witness
from .sources import MAX_BYTES, join, read_bytes, read_witness, remove_files, sidecar, stem, write_folder
from .discover import Pair
from .summary import CheckSummary, ReportSummary

if TYPE_CHECKING:
    from ..fidelity import FidelityReport
    from ..model import Variants

REPORT_FILES = ("index.html", "collation.json", "apparatus.xml")
"""A document's report, as `collate.api.Collation.write` writes it."""

CHECK_FILES = ("index.html", "check.json")
"""A document's check: the HTML page and its JSON twin."""

Inputs = tuple[tuple[str, str], ...]
"""A document's input files (relative to its folder) with their SHA-256, sorted."""

S = TypeVar("S", ReportSummary, CheckSummary)


class Status(StrEnum):
    DONE = "done"  # computed and written in this run
    SKIPPED = "skipped"  # inputs unchanged since the last run: its outputs stand
    FAILED = "failed"  # not processed: the error says why


@dataclass(frozen=True, slots=True)
class Outcome(Generic[S]):
    """What a job sends back: small whatever the document's size.

    ``seconds`` and ``cpu_seconds`` are how long the job took, by the clock
    and in processor time (which a busy machine does not inflate); they go to
    the log only, never into an output, so outputs do not depend on the run.
    """

    document: str
    status: Status
    inputs: Inputs = ()
    summary: S | None = None
    error: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0


Clock = tuple[float, float]


def _collector_held() -> AbstractContextManager[None]:
    """Hold the cyclic garbage collector off while one document is processed
    (`collate.fidelity.without_gc_pauses`).  In a Dask worker, with tens of
    thousands of its own long-lived objects, the collector's passes took about
    a third of each document's processor time (benchmarks/README.md,
    "bench_corpus.py"); the few cycles one document makes wait for the
    collector's first pass after it."""
    from ..fidelity import without_gc_pauses

    return without_gc_pauses()


def _clock() -> Clock:
    return time.perf_counter(), time.process_time()


def _outcome(
    clock: Clock, document: str, status: Status, inputs: Inputs, summary: S | None = None, error: str = ""
) -> Outcome[S]:
    """An outcome, timed since ``clock``."""
    wall, cpu = clock
    return Outcome(document, status, inputs, summary, error, time.perf_counter() - wall, time.process_time() - cpu)


@dataclass(frozen=True, slots=True)
class ReportJob:
    """Collate the witness store ``source`` (its transcriptions ``texts`` and
    provenance ``metas``) into the report folder ``out``."""

    document: str
    source: str
    texts: tuple[str, ...]
    metas: tuple[str, ...]
    out: str
    base: str | None = None
    normalize: str = "exact"
    engine: str = "fast"
    previous: Inputs | None = None
    max_bytes: int = MAX_BYTES


@dataclass(frozen=True, slots=True)
class CheckJob:
    """Check the transcription ``pair.witness`` (under the folder
    ``witnesses``) against ``pair.reference`` (under ``references``) into the
    folder ``out``; ``names`` are the two folders' names, the sigla of the check."""

    document: str
    references: str
    witnesses: str
    pair: Pair
    out: str
    names: tuple[str, str] = ("reference", "witness")
    normalize: str = "exact"
    previous: Inputs | None = None
    max_bytes: int = MAX_BYTES


def _message(exc: BaseException) -> str:
    if isinstance(exc, CollateError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "out of memory"
    return f"internal error: {type(exc).__name__}: {exc}"


def _checksums(data: Mapping[str, bytes]) -> Inputs:
    return tuple(sorted((name, hashlib.sha256(blob).hexdigest()) for name, blob in data.items()))


def _unchanged(previous: Inputs | None, inputs: Inputs, out: str, names: tuple[str, ...]) -> bool:
    from .sources import exists

    return previous == inputs and all(exists(join(out, n)) for n in names)


# ---------------------------------------------------------------- report


def run_report_job(job: ReportJob) -> Outcome[ReportSummary]:
    """Collate one document and write its report (see the module docstring)."""
    with _collector_held():
        return _report(job)


def _report(job: ReportJob) -> Outcome[ReportSummary]:
    clock = _clock()
    inputs: Inputs = ()
    try:
        data = {
            n: read_bytes(join(job.source, n), limit=job.max_bytes, label=f"{job.document}/{n}")
            for n in (*job.texts, *job.metas)
        }
        inputs = _checksums(data)
        if _unchanged(job.previous, inputs, job.out, REPORT_FILES):
            return _outcome(clock, job.document, Status.SKIPPED, inputs)
        witnesses = [
            read_witness(data[t], path=f"{job.document}/{t}", siglum=stem(t), meta=data.get(sidecar(t)))
            for t in job.texts
        ]
        summary = _write_report(job, witnesses)
        return _outcome(clock, job.document, Status.DONE, inputs, summary)
    except Exception as exc:  # noqa: BLE001 - one document must never stop the others
        remove_files(job.out, REPORT_FILES)
        return _outcome(clock, job.document, Status.FAILED, inputs, error=_message(exc))


def _write_report(job: ReportJob, witnesses: list[Witness]) -> ReportSummary:
    from ..api import collate

    base = job.base if job.base in {w.siglum for w in witnesses} else None
    collation = collate(witnesses, base=base, normalize=job.normalize, engine=job.engine, title=job.document)
    write_folder(job.out, dict(zip(REPORT_FILES, (collation.to_html(), collation.to_json(), collation.to_tei()))))
    return report_summary(job.document, collation.variants)


def report_summary(document: str, variants: Variants) -> ReportSummary:
    """The summary of one collation's `collate.model.Variants`."""
    from ..model import TokenKind
    from ..variants import class_counts, lost_columns, pairwise_similarity
    from .summary import add_counts, class_tuple

    al = variants.alignment
    width = len(al.columns)
    pairs = pairwise_similarity(al)
    shared = [x for i, row in enumerate(pairs) for j, x in enumerate(row) if i < j and x is not None]
    lost = lost_columns(al)
    families: dict[str, list[str]] = {}
    for w in al.witnesses:
        family = _family(w)
        if family:
            families.setdefault(family, []).append(w.siglum)
    return ReportSummary(
        document=document,
        witnesses=al.sigla,
        words=tuple(sum(t.kind in (TokenKind.WORD, TokenKind.NUMBER) for t in toks) for toks in al.tokens),
        base=variants.base,
        columns=width,
        locations=len(variants.locations),
        classes=add_counts(class_tuple(c) for c in class_counts(variants)),
        similarity=round(sum(shared) / len(shared), 4) if shared else None,
        families=tuple((k, tuple(v)) for k, v in sorted(families.items())),
        coverage=tuple(
            (w.siglum, round(1 - len(cols) / width, 4) if width else 0.0)
            for w, cols in zip(al.witnesses, lost)
            if cols or w.meta.is_fragment
        ),
    )


def _family(witness: Witness) -> str:
    """The family (translation, recension) a witness's provenance gives it, or "".

    The ``family`` field of the translation-families work is read where the
    metadata has one; until then the ``translation`` field names the family.
    """
    return str(getattr(witness.meta, "family", "") or witness.meta.translation).strip()


# ---------------------------------------------------------------- check


def run_check_job(job: CheckJob) -> Outcome[CheckSummary]:
    """Check one transcription against its reference and write the check's page and JSON."""
    with _collector_held():
        return _check(job)


def _check(job: CheckJob) -> Outcome[CheckSummary]:
    clock = _clock()
    inputs: Inputs = ()
    pair = job.pair
    files = {"reference": (job.references, pair.reference), "witness": (job.witnesses, pair.witness)}
    if pair.reference_meta:
        files["reference.toml"] = (job.references, pair.reference_meta)
    if pair.witness_meta:
        files["witness.toml"] = (job.witnesses, pair.witness_meta)
    try:
        data = {
            k: read_bytes(join(root, name), limit=job.max_bytes, label=f"{_side(job, k)}/{name}")
            for k, (root, name) in files.items()
        }
        inputs = _checksums(data)
        if _unchanged(job.previous, inputs, job.out, CHECK_FILES):
            return _outcome(clock, job.document, Status.SKIPPED, inputs)
        ref, wit = (
            read_witness(data[k], path=f"{name}/{files[k][1]}", siglum=name, meta=data.get(f"{k}.toml"))
            for k, name in zip(("reference", "witness"), job.names)
        )
        summary = _write_check(job, ref, wit)
        return _outcome(clock, job.document, Status.DONE, inputs, summary)
    except Exception as exc:  # noqa: BLE001 - one document must never stop the others
        remove_files(job.out, CHECK_FILES)
        return _outcome(clock, job.document, Status.FAILED, inputs, error=_message(exc))


def _side(job: CheckJob, key: str) -> str:
    """The folder name of the side ``key`` ("reference", "witness.toml"...) stands for."""
    return job.names[0] if key.startswith("reference") else job.names[1]


def _write_check(job: CheckJob, reference: Witness, witness: Witness) -> CheckSummary:
    from ..api import check

    result = check(witness, reference, normalize=job.normalize)
    write_folder(job.out, dict(zip(CHECK_FILES, (result.to_html(), result.to_json()))))
    return check_summary(job, result.report)


def check_summary(job: CheckJob, report: FidelityReport) -> CheckSummary:
    """The summary of one `collate.fidelity.FidelityReport`: exact error counts under its preset.

    The report gives rates and the reference lengths they are over (what
    `collate check` measured: compared stretches only, a final line break and
    a BOM as its notes say); the counts behind the rates are the rates times
    those lengths (exact in floating point: a count is far below 2**52).
    """
    from ..fidelity import normalize_text
    from ..metrics import graphemes, words
    from .summary import class_tuple

    def witness_length(unit: Callable[[str], Sequence[str]]) -> Callable[[], int]:
        start, end = report.compared_witness
        return lambda: len(unit(normalize_text(report.witness_text[start:end], report.normalization)))

    characters, n_words = report.reference_characters, report.reference_words
    return CheckSummary(
        document=job.document,
        reference=job.pair.reference,
        witness=job.pair.witness,
        characters=characters,
        char_errors=_count(report.cer, characters, witness_length(graphemes)),
        words=n_words,
        word_errors=_count(report.wer, n_words, witness_length(words)),
        classes=class_tuple({c.cls: c.count for c in report.by_class}),
        lacunae=len(report.lacunae),
    )


def _count(value: float, length: int, witness_length: Callable[[], int]) -> int:
    """The error count behind a rate ``errors / length``; against an empty
    reference, every unit of the witness is an error."""
    if length == 0:
        return witness_length() if value else 0
    return round(value * length)
