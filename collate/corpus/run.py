"""A corpus command from start to end: find the documents, run the jobs, write the index.

`report_corpus` and `check_corpus` are what ``collate corpus report`` and
``collate corpus check`` call.  Each lists its input folders, turns every
document into a job (`collate.corpus.jobs`), hands the jobs their checksums
from the manifest of the last run (`collate.corpus.manifest`), runs them
(`collate.corpus.execute`) while a `collate.corpus.progress.Monitor` counts
them, and finally writes ``index.html``, ``corpus.json`` and
``manifest.json`` beside the documents' own folders.  The manifest is also
saved every minute and on an interrupt, so a stopped run resumes where it
stopped.  The result (`ReportRun`, `CheckRun`) holds only the small
per-document summaries.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, Generic, TextIO, TypeVar

from ..errors import CollateError
from .discover import Problem, find_documents, pair_files
from .execute import Execution, execute
from .jobs import CheckJob, Outcome, ReportJob, Status, run_check_job, run_report_job
from .manifest import MANIFEST, Entry, Manifest
from .progress import Monitor
from .sources import MAX_BYTES, absolute, join, list_files, read_optional, write_folder
from .summary import CheckSummary, CheckTotals, ReportSummary, check_totals

CHECKPOINT_SECONDS = 60.0
"""How often the manifest is saved during a run: at most a minute's work is redone after a crash."""

S = TypeVar("S", ReportSummary, CheckSummary)
J = TypeVar("J", ReportJob, CheckJob)


@dataclass(frozen=True, slots=True)
class Run(Generic[S]):
    """What a corpus run did: the summaries of the documents that succeeded
    (by name), the documents that failed, and how many were redone or skipped."""

    out: str
    options: Mapping[str, Any]
    documents: tuple[S, ...]
    failed: tuple[Problem, ...]
    done: int
    skipped: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReportRun(Run[ReportSummary]):
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckRun(Run[CheckSummary]):
    names: tuple[str, str] = ("reference", "witness")
    unpaired_references: tuple[str, ...] = ()
    unpaired_witnesses: tuple[str, ...] = ()

    @property
    def totals(self) -> CheckTotals:
        return check_totals(self.documents)


def _preset(normalize: str) -> None:
    from ..normalize import preset

    try:
        preset(normalize)
    except ValueError as exc:
        raise CollateError(str(exc)) from None


def report_corpus(
    corpus: str | Path,
    out: str | Path,
    *,
    base: str | None = None,
    normalize: str = "exact",
    engine: str = "fast",
    execution: Execution = Execution(),
    force: bool = False,
    max_bytes: int = MAX_BYTES,
    progress: bool = False,
    log: str | Path | None = None,
) -> ReportRun:
    """Collate every document of ``corpus`` into ``out``: a report per document and the corpus index.

    ``base`` serves as base in the documents that have a witness of that
    siglum (elsewhere the best-attested reading does); ``normalize`` and
    ``engine`` are as for `collate.collate`.  ``force`` redoes every
    document; ``max_bytes`` refuses larger files; ``progress`` draws a line
    on stderr; ``log`` appends JSON lines to that file.
    """
    _preset(normalize)
    corpus, out = absolute(str(corpus)), absolute(str(out))
    files, unreadable = list_files(corpus)
    found = find_documents(files)
    if not found.documents and not found.problems and not unreadable:
        hint = f"; its {len(found.ignored)} transcriptions at the top belong to no document folder" if found.ignored else ""
        raise CollateError(f"no documents: a corpus holds one folder per document, each a witness store{hint} "
                           "(for a single store, use 'collate report')", path=corpus)
    jobs = [
        ReportJob(d.name, join(corpus, d.name), d.texts, d.metas, join(out, d.name), base, normalize, engine, None, max_bytes)
        for d in found.documents
    ]
    options = {"base": base, "normalize": normalize, "engine": engine}
    problems = [*found.problems, *(Problem(f, e) for f, e in unreadable)]
    fields, entries = _run("report", options, jobs, run_report_job, ReportSummary.from_dict, problems, out,
                           execution, force, progress, log, {"corpus": corpus})
    run = ReportRun(**fields, ignored=found.ignored)
    _write_index(run, entries)
    return run


def check_corpus(
    references: str | Path,
    witnesses: str | Path,
    out: str | Path,
    *,
    normalize: str = "exact",
    execution: Execution = Execution(),
    force: bool = False,
    max_bytes: int = MAX_BYTES,
    progress: bool = False,
    log: str | Path | None = None,
) -> CheckRun:
    """Check every transcription under ``witnesses`` against its reference under ``references``.

    Files pair by relative path and stem (`collate.corpus.discover.pair_files`).
    Writes each pair's check into ``out/<document>/`` and the corpus summary
    beside them; the options are as for `report_corpus`.
    """
    _preset(normalize)
    refs, wits, out = absolute(str(references)), absolute(str(witnesses)), absolute(str(out))
    if refs.rstrip("/") == wits.rstrip("/"):
        raise CollateError("the transcriptions cannot be checked against themselves: give two folders", path=refs)
    ref_files, ref_bad = list_files(refs)
    wit_files, wit_bad = list_files(wits)
    pairing = pair_files(ref_files, wit_files)
    if not pairing.pairs and not pairing.problems:
        raise CollateError(f"no transcription pairs with a reference by relative path and name "
                           f"({len(pairing.unpaired_references)} references, {len(pairing.unpaired_witnesses)} "
                           "transcriptions unpaired)", path=refs)
    names = (_name(refs, "reference"), _name(wits, "witness"))
    if names[0] == names[1]:
        names = ("reference", "witness")
    jobs = [
        CheckJob(p.document, refs, wits, p, join(out, p.document), names, normalize, None, max_bytes)
        for p in pairing.pairs
    ]
    problems = [*pairing.problems, *(Problem(f, e) for f, e in (*ref_bad, *wit_bad))]
    fields, entries = _run("check", {"normalize": normalize}, jobs, run_check_job, CheckSummary.from_dict, problems,
                           out, execution, force, progress, log, {"references": refs, "witnesses": wits})
    run = CheckRun(
        **fields,
        names=names,
        unpaired_references=pairing.unpaired_references,
        unpaired_witnesses=pairing.unpaired_witnesses,
    )
    _write_index(run, entries)
    return run


def _name(location: str, default: str) -> str:
    return PurePosixPath(location.rstrip("/").replace("\\", "/")).name or default


# ---------------------------------------------------------------- the run


@dataclass
class _Tally(Generic[S]):
    """The run's state as outcomes come in (local to `_run`)."""

    entries: dict[str, Entry]
    summaries: dict[str, S]
    failed: list[Problem]
    done: int = 0
    skipped: int = 0


def _run(
    command: str,
    options: Mapping[str, Any],
    jobs: Sequence[J],
    fn: Callable[[J], Outcome[S]],
    parse: Callable[[Mapping[str, Any]], S],
    problems: Iterable[Problem],
    out: str,
    how: Execution,
    force: bool,
    progress: bool,
    log: str | Path | None,
    where: Mapping[str, str],
) -> tuple[dict[str, Any], dict[str, Entry]]:
    """Run the jobs against the manifest in ``out``: the fields of a `Run`, and
    the manifest's entries (every document that succeeded, now or before)."""
    manifest = Manifest.from_json(None if force else read_optional(join(out, MANIFEST)), command=command, options=options)
    names = {j.document for j in jobs}
    entries = {d: e for d, e in manifest.entries.items() if d in names}
    jobs = [replace(j, previous=entries[j.document].inputs) if j.document in entries else j for j in jobs]
    tally: _Tally[S] = _Tally(entries, {}, list(problems))
    with ExitStack() as stack:
        log_file: TextIO | None = stack.enter_context(open(log, "a", encoding="utf-8")) if log else None
        monitor = Monitor(len(jobs), terminal=sys.stderr if progress else None, log=log_file)
        monitor.start({"command": command, **where, "out": out, "options": dict(options),
                       "execution": how.describe(), "manifest": manifest.note or f"{len(entries)} documents recorded"})
        saved = time.monotonic()
        try:
            for outcome in execute(fn, jobs, how):
                _count(tally, outcome, parse)
                monitor.update(outcome)
                if time.monotonic() - saved > CHECKPOINT_SECONDS:
                    _save_manifest(out, command, options, tally.entries)
                    saved = time.monotonic()
        except KeyboardInterrupt:
            _save_manifest(out, command, options, tally.entries)
            raise
        monitor.finish({"failed_before_running": len(tally.failed) - monitor.counts[Status.FAILED]})
    fields = {
        "out": out,
        "options": dict(options),
        "documents": tuple(tally.summaries[d] for d in sorted(tally.summaries)),
        "failed": tuple(sorted(tally.failed, key=lambda p: p.document)),
        "done": tally.done,
        "skipped": tally.skipped,
        "note": manifest.note,
    }
    return fields, tally.entries


def _count(tally: _Tally[S], outcome: Outcome[S], parse: Callable[[Mapping[str, Any]], S]) -> None:
    d = outcome.document
    if outcome.status is Status.DONE and outcome.summary is not None:
        tally.summaries[d] = outcome.summary
        tally.entries[d] = Entry(outcome.inputs, outcome.summary.to_dict())
        tally.done += 1
        return
    if outcome.status is Status.SKIPPED:
        try:
            tally.summaries[d] = parse(tally.entries[d].summary)
            tally.skipped += 1
            return
        except (KeyError, TypeError, ValueError, AttributeError):
            outcome = replace(outcome, error=f"its record in {MANIFEST} is unreadable: run again with --force")
    tally.entries.pop(d, None)
    tally.failed.append(Problem(d, outcome.error or "failed"))


def _save_manifest(out: str, command: str, options: Mapping[str, Any], entries: Mapping[str, Entry]) -> None:
    write_folder(out, {MANIFEST: Manifest(command, options, dict(entries)).to_json()})


def _write_index(run: ReportRun | CheckRun, entries: Mapping[str, Entry]) -> None:
    """``index.html``, ``corpus.json`` and ``manifest.json``, together."""
    from ..render.corpus import corpus_data, render_index, to_json

    data = corpus_data(run)
    command = "report" if isinstance(run, ReportRun) else "check"
    write_folder(
        run.out,
        {
            "index.html": render_index(data),
            "corpus.json": to_json(data),
            MANIFEST: Manifest(command, run.options, dict(entries)).to_json(),
        },
    )
