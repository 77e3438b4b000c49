"""The ``collate`` command: parse arguments, call a stage function, write files.

No algorithm and no markup live here.  Every user error becomes one line on
stderr (``collate: <file>: <problem>``) and exit code 2; nothing is written
unless everything succeeded.  Anything unexpected becomes one line too, with
exit code 3 (``--debug`` shows the traceback).  SIGINT, SIGTERM and SIGHUP end
a command the same way, with exit code 128 + the signal's number and one line
that says what was written: "nothing written" only when nothing was.  Every
line printed from witness text, metadata or file names goes through
`collate.errors.visible`.  Heavy modules are imported inside each command so
that ``collate --help`` and ``collate align`` start fast.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

from .errors import CollateError, Interrupted, signal_number, visible
from .normalize import DESCRIPTIONS, PRESETS

if TYPE_CHECKING:
    from .corpus import Execution
    from .model import Witness
    from .readers import ReaderOptions

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class Progress:
    """Stage messages with timings on stderr, shown when stderr is a terminal
    (or always with ``--verbose``), never with ``--quiet``."""

    def __init__(self, *, enabled: bool, live: bool = False) -> None:
        self.enabled = enabled
        self.live = live  # stderr is a terminal: a count is redrawn in place
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        if self.enabled:
            print(f"[{time.perf_counter() - self.start:6.2f}s] {visible(message)}", file=sys.stderr, flush=True)

    def counter(self, stage: str) -> Callable[[int, int], None]:
        """A callback for ``done`` of ``total`` steps of ``stage``: redrawn on a
        terminal as it goes ("aligning witnesses: 12/50 (24 %)"), said once at
        the end otherwise."""

        def count(done: int, total: int) -> None:
            if not self.enabled or (done < total and not self.live):
                return
            line = f"[{time.perf_counter() - self.start:6.2f}s] {stage}: {done:,}/{total:,} ({100 * done // max(total, 1)} %)"
            end = "\n" if done >= total else ""
            print(("\r" if self.live else "") + line, end=end, file=sys.stderr, flush=True)

        return count


class Outcome:
    """What an interrupt would leave, as the running command knows it.

    Starts as "nothing written"; a command updates it the moment a write
    commits (from the writer's ``on_commit``, while signals are held back), so
    the message after an interrupt is always true.
    """

    def __init__(self, text: str = "nothing written") -> None:
        self.text = text


def _progress(args: argparse.Namespace) -> Progress:
    tty = sys.stderr.isatty()
    return Progress(enabled=not args.quiet and (args.verbose or tty), live=tty)


def _reader_options(args: argparse.Namespace) -> ReaderOptions:
    """How witness files named on the command line are read (``--input-format``, ``--tei-choice``, ``--hyphens``)."""
    from .readers import Hyphens, ReaderOptions, SourceFormat, TeiChoice

    fmt = args.input_format
    return ReaderOptions(SourceFormat(fmt) if fmt else None, TeiChoice(args.tei_choice), Hyphens(args.hyphens))


def _witnesses(names: Sequence[str], args: argparse.Namespace) -> tuple[Witness, ...]:
    from .store import load_store, resolve

    if names:
        return resolve(names, store=args.store, allow_modified=args.allow_modified, options=_reader_options(args))
    return load_store(args.store, allow_modified=args.allow_modified)


def _base(value: str | None) -> tuple[str, ...] | None:
    """``--base frus,web``: the witnesses in the order in which they serve as base."""
    return tuple(s.strip() for s in value.split(",") if s.strip()) if value else None


def _need_two(witnesses: Sequence[Witness]) -> None:
    if len(witnesses) < 2:
        raise CollateError(f"need at least two witnesses to collate, got {len(witnesses)}")


# ---------------------------------------------------------------- commands


def cmd_align(args: argparse.Namespace) -> int:
    from .api import align, collate
    from .render import table

    witnesses = _witnesses(args.witnesses, args)
    _need_two(witnesses)
    say = _progress(args)
    say(f"aligning {len(witnesses)} witnesses ({args.engine} engine)")
    if args.format == "tei":  # only the TEI classes readings: the other formats need no variants
        out = collate(witnesses, base=_base(args.base), normalize=args.normalize, engine=args.engine).to_tei()
    else:
        alignment = align(witnesses, normalize=args.normalize, engine=args.engine, progress=say.counter("aligning witnesses"))
        say(f"{len(alignment.columns):,} columns")
        if args.format == "json":
            out = table.to_json(alignment)
        elif args.format in ("csv", "tsv"):
            out = table.to_csv(alignment, delimiter="," if args.format == "csv" else "\t")
        else:
            out = "\n".join(visible(line) for line in table.to_table(alignment).split("\n"))
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .api import REPORT_FILES, collate
    from .files import check_targets

    say = _progress(args)
    witnesses = _witnesses(args.witnesses, args)
    _need_two(witnesses)
    words = sum(len(w.text.split()) for w in witnesses)
    say(f"read {len(witnesses)} witnesses ({words:,} words): {', '.join(w.siglum for w in witnesses)}")
    paths = tuple(args.out / name for name in REPORT_FILES)
    check_targets(paths, inputs=[Path(w.path) for w in witnesses if w.path], protected_dirs=[args.store])  # before the work
    collation = collate(
        witnesses,
        base=_base(args.base),
        normalize=args.normalize,
        engine=args.engine,
        title=args.title,
        progress=say.counter("aligning witnesses"),
    )
    say(f"aligned {len(collation.alignment.columns):,} columns; {len(collation.locations):,} variant locations")
    collation.write(args.out, protected_dirs=[args.store], on_commit=lambda: _written(args, paths))
    for path in paths:
        print(visible(str(path)))
    say("wrote HTML, JSON and TEI")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from .align import PARTIAL_SHARE
    from .api import check
    from .files import check_targets, write_files
    from .render.corrections import corrections, for_path
    from .store import resolve

    if args.witness == args.against:
        raise CollateError("a transcription cannot be checked against itself", path=args.witness)
    named = {"json": args.json, "html": args.html, "corrections": args.corrections}
    dashes = [f"--{name}" for name, value in named.items() if value == "-"]
    if len(dashes) > 1:
        both = "both" if len(dashes) == 2 else "all"
        raise CollateError(f"{', '.join(dashes[:-1])} and {dashes[-1]} cannot {both} go to standard output (-)")
    options = _reader_options(args)
    (witness,) = resolve([args.witness], store=args.store, allow_modified=args.allow_modified, options=options)
    (reference,) = resolve([args.against], store=args.store, allow_modified=args.allow_modified, options=options)
    targets = {name: Path(value) for name, value in named.items() if value and value != "-"}
    inputs = [Path(w.path) for w in (witness, reference) if w.path]
    check_targets(list(targets.values()), inputs=inputs, protected_dirs=[args.store])  # refuse before the work
    if witness.siglum == reference.siglum:  # gt/page1.txt against ocr/page1.txt
        reference = replace(reference, siglum=f"{reference.siglum}.reference")
    result = check(
        witness,
        reference,
        normalize=args.normalize,
        gap_marks=() if args.no_gap_marks else None,
        partial_share=PARTIAL_SHARE if args.partial else None,
    )

    def corrections_file() -> str:  # CSV, TSV or lines of text, by the path's extension
        return for_path(corrections(result.report, result.places), args.corrections)

    render = {"json": result.to_json, "html": result.to_html, "corrections": corrections_file}
    outputs = {path: render[name]() for name, path in targets.items()}
    write_files(outputs, inputs=inputs, protected_dirs=[args.store], on_commit=lambda: _written(args, outputs))
    to_stdout = next((name for name, value in named.items() if value == "-"), None)
    if to_stdout is not None:
        text = render[to_stdout]()
        if to_stdout == "corrections":  # lines of witness text, to a terminal perhaps: made safe line by line
            text = "".join(visible(line) + "\n" for line in text.splitlines())
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    if not args.quiet:  # quiet: the outputs asked for, one-line errors and the exit code, no summary
        listed = None if args.list_errors else 10
        summary = "\n".join(visible(line) for line in result.summary(listed=listed).split("\n")) + "\n"  # witness text
        (sys.stderr if to_stdout is not None else sys.stdout).write(summary)
    failed = []
    for name, value, limit in (("CER", result.cer, args.max_cer), ("WER", result.wer, args.max_wer)):
        if limit is not None and value > limit:
            shown, bound = _percent_pair(value, limit)
            failed.append(f"{name} {shown} > {bound} (--max-{name.lower()})")
    if failed:
        print(visible(f"collate: {witness.siglum} fails the threshold: {'; '.join(failed)}"), file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def _written(args: argparse.Namespace, outputs: Collection[Path]) -> None:
    """Record, for an interrupt, that ``outputs`` are written (called at the commit point)."""
    if outputs:
        args.outcome.text = f"written: {', '.join(str(p) for p in outputs)}"


def threshold(text: str) -> float:
    """A CER or WER threshold: a fraction in [0, 1] ("0.02") or a percentage ("2%"), the same number.

    >>> threshold("2%"), threshold("0.02"), threshold(" 100% ")
    (0.02, 0.02, 1.0)
    >>> threshold("2")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: '2' is over 1: give a fraction (0.02) or a percentage (2%)
    >>> threshold("nan")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: 'nan' is not a finite number: give a fraction (0.02) or a percentage (2%)
    """
    how = "give a fraction (0.02) or a percentage (2%)"
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        value = Decimal(raw.removesuffix("%").strip())
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number: {how}") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number: {how}")
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative: {how}")
    if percent:
        value /= 100
    if value > 1:
        raise argparse.ArgumentTypeError(f"{text!r} is over {'100%' if percent else '1'}: {how}")
    return float(value)


def _percent_pair(value: float, limit: float) -> tuple[str, str]:
    """``value`` and ``limit`` as percentages, as the summary writes them, with enough digits to differ.

    >>> _percent_pair(0.0461, 0.01), _percent_pair(0.100001, 0.1)
    (('4.61%', '1.00%'), ('10.0001%', '10.0000%'))
    """
    if value == float("inf"):
        return "n/a (empty reference)", f"{limit * 100:.2f}%"
    for digits in range(2, 10):
        shown, bound = f"{value * 100:.{digits}f}%", f"{limit * 100:.{digits}f}%"
        if shown != bound:
            break
    return shown, bound


def cmd_add(args: argparse.Namespace) -> int:
    from .addition import plan_addition, say
    from .compare import compare_with_store, count_words
    from .incoming import read_incoming
    from .model import Completeness, Lost, LostStretch, WitnessMeta
    from .store import add_witness, stored_witnesses

    args.outcome.text = "nothing stored"

    def stored(witness: Witness) -> None:
        args.outcome.text = f"{witness.siglum} is stored in {args.store}; only the comparison with the stored witnesses was cut short"

    options = _reader_options(args)
    incoming = read_incoming(args.file, siglum=args.siglum, options=options)
    others, skipped = stored_witnesses(args.store, exclude=args.siglum)
    stated = (LostStretch(Lost.END, after=args.breaks_off_after),) if args.breaks_off_after and args.fragment else ()
    meta = WitnessMeta(completeness=Completeness.FRAGMENT if args.fragment else Completeness.COMPLETE, lost=stated)
    addition = plan_addition(incoming.witness(meta), others, family=args.family or "")
    witness = add_witness(
        args.file,
        siglum=args.siglum,
        store=args.store,
        title=args.title,
        citation=args.source,
        translation=args.translation,
        fragment=args.fragment,
        breaks_off_after=args.breaks_off_after,
        note=args.note,
        family=addition.meta.family,
        lost=addition.meta.lost if addition.partial else None,
        coverage=addition.meta.coverage,
        replace=args.replace,
        options=options,
        on_commit=stored,
        incoming=incoming,
    )
    words = count_words(witness.text)
    src = witness.meta.source_file
    kept = f" (read as {src.format.label}; the source is kept as {src.name})" if src is not None else ""
    print(visible(f"stored {witness.siglum}: {len(witness.text):,} characters, {words:,} words in {args.store}{kept}"), flush=True)
    for line in say(addition, witness.siglum, args.store / f"{witness.siglum}.toml"):
        print(visible(line), flush=True)
    if not addition.partial:
        ranked, skipped = compare_with_store(witness, args.store)
        if ranked:
            best = ranked[0]
            how = ", estimated from sampled passages" if best.estimated else ""
            print(visible(f"closest witness: {best.siglum} (CER {best.cer:.2%} against it{how})"))
            for c in ranked:
                print(visible(f"  CER against {c.siglum:<12} {c.cer:8.2%}" + ("  (estimated)" if c.estimated else "")))
    for reason in skipped:
        print(visible(f"  not compared with {reason}"))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from .store import list_sigla, verify_store

    problems = verify_store(args.store)
    for p in problems:
        print(visible(f"{p.path}: {p.problem}"))
    if problems:
        print(visible(f"collate: {len(problems)} problem(s) in {args.store}"), file=sys.stderr)
        return EXIT_FAIL
    print(visible(f"{len(list_sigla(args.store))} witnesses in {args.store}: all match their checksums, "
                  "and every stored source gives its text again"))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from .addition import covers
    from .compare import count_words
    from .model import Integrity, LossOrigin
    from .store import load_store

    for w in load_store(args.store, allow_modified=True):  # a list shows a modified witness, marked
        kind = w.meta.completeness.value
        mark = "  [modified since stored: see collate verify]" if w.integrity is Integrity.MODIFIED else ""
        family = w.meta.family or "(no family)"
        print(visible(f"{w.siglum:<12} {kind:<9} {count_words(w.text):>7,} words  {family:<14} {w.meta.title}{mark}"))
        if w.meta.coverage is not None:
            print(visible(f"{'':<12} {covers(w.meta.coverage)}"))
        found = sum(loss.origin is LossOrigin.FOUND for loss in w.meta.lost)
        if found:
            print(visible(f"{'':<12} {found} found lost stretch{'es' if found != 1 else ''} to check (found = true in {w.siglum}.toml)"))
    return EXIT_OK


def _execution(args: argparse.Namespace) -> Execution:
    from .corpus import Execution

    if args.scheduler and args.workers is not None:
        raise CollateError("give --workers or --scheduler, not both (a Dask cluster has its own workers)")
    return Execution(workers=args.workers, scheduler=args.scheduler)


def _interrupted(args: argparse.Namespace) -> int:
    print(f"collate: interrupted; the documents finished so far are recorded in {args.out}/manifest.json, "
          "and running the same command again resumes", file=sys.stderr)
    return 130


def cmd_corpus_report(args: argparse.Namespace) -> int:
    from .corpus import report_corpus
    from .render.corpus import summary_text

    try:
        run = report_corpus(
            args.corpus, args.out, base=args.base, normalize=args.normalize, engine=args.engine,
            execution=_execution(args), force=args.force, max_bytes=args.max_bytes,
            progress=not args.quiet and sys.stderr.isatty(), log=args.log,
        )
    except KeyboardInterrupt:
        return _interrupted(args)
    print(summary_text(run))
    print(f"wrote {run.out}/index.html and corpus.json")
    return EXIT_FAIL if run.failed else EXIT_OK


def cmd_corpus_check(args: argparse.Namespace) -> int:
    from .corpus import check_corpus
    from .render.corpus import summary_text

    try:
        run = check_corpus(
            args.references, args.witnesses, args.out, normalize=args.normalize,
            execution=_execution(args), force=args.force, max_bytes=args.max_bytes,
            progress=not args.quiet and sys.stderr.isatty(), log=args.log,
        )
    except KeyboardInterrupt:
        return _interrupted(args)
    print(summary_text(run))
    print(f"wrote {run.out}/index.html and corpus.json")
    totals, over = run.totals, []
    if args.max_cer is not None and totals.cer > args.max_cer:
        over.append(f"pooled CER {totals.cer:.4f} > {args.max_cer}")
    if args.max_wer is not None and totals.wer > args.max_wer:
        over.append(f"pooled WER {totals.wer:.4f} > {args.max_wer}")
    if over:
        print(f"collate: the corpus fails the threshold: {'; '.join(over)}", file=sys.stderr)
    if run.failed:
        print(f"collate: {len(run.failed)} document(s) failed", file=sys.stderr)
    return EXIT_FAIL if over or run.failed else EXIT_OK


def _corpus_options(p: argparse.ArgumentParser) -> None:
    """What both corpus commands share: where they write, how they run, what they redo."""
    from .corpus import MAX_BYTES

    p.add_argument("--out", required=True, metavar="DIR",
                   help="output folder, or an fsspec URL: DIR/<document>/ for each document, DIR/index.html and "
                   "DIR/corpus.json for the corpus, DIR/manifest.json for the next run")
    p.add_argument("--normalize", choices=list(PRESETS), default="exact", metavar="PRESET",
                   help="what counts as the same word (default: %(default)s)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="documents processed at once, in worker processes (default: one per core; 1: in this process)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786); needs "
                   "'pip install collate[dask]', and workers that reach the corpus at the same path or URL")
    p.add_argument("--force", action="store_true", help="redo every document, even those unchanged since the last run")
    p.add_argument("--max-bytes", type=int, default=MAX_BYTES, metavar="N",
                   help="refuse transcription files larger than N bytes (default: %(default)s; 0: no limit)")
    p.add_argument("--log", metavar="PATH", help="append a JSON-lines log of the run to PATH (one line per document)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line on the terminal")


# ---------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other error of `collate`."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, visible(f"collate: {message} (see {self.prog} --help)") + "\n")


LIMITS_HELP = (
    "Limits: COLLATE_MAX_WITNESS_SIZE (default 256M), COLLATE_MAX_METADATA_SIZE (default 1M) and "
    "COLLATE_MAX_TOML_DEPTH (default 16) in the environment. Exit codes: 0 done, 1 a check failed its "
    "threshold or verify found problems, 2 bad input, 3 internal error, 128+N killed by signal N."
)


def build_parser() -> argparse.ArgumentParser:
    presets = "; ".join(f"{name}: {DESCRIPTIONS[name]}" for name in PRESETS)
    parser = _Parser(
        prog="collate",
        description="Collate transcriptions of one document token by token: variant reports, "
        "critical apparatus, transcription fidelity.",
        epilog="Witnesses are files, or sigla of witnesses in the store (default ./witnesses). "
        f"Run 'collate COMMAND --help' for each command. {LIMITS_HELP}",
    )
    from . import __version__
    from .readers.model import SourceFormat

    formats = [f.value for f in SourceFormat]

    parser.add_argument("--version", action="version", version=f"collate {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an unexpected error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def readers(p: argparse.ArgumentParser, what: str) -> None:
        g = p.add_argument_group("input formats", f"{what} may be plain text, Markdown, TEI P5, PAGE-XML, ALTO or hOCR, "
                                 "told apart by their content.")
        g.add_argument("--input-format", choices=formats, metavar="FORMAT",
                       help=f"read {what} as FORMAT ({', '.join(formats)}) whatever their content")
        g.add_argument("--tei-choice", choices=["source", "editorial"], default="source",
                       help="TEI <choice>: source reads abbr/orig/sic, editorial reads expan/reg/corr (default: %(default)s)")
        g.add_argument("--hyphens", choices=["join", "keep"], default="join",
                       help="PAGE, ALTO, hOCR: join a word hyphenated across a line end where the format marks it, "
                       "or keep the hyphen and the line break (default: %(default)s)")

    def common(p: argparse.ArgumentParser, *, normalize: bool = True, modified: bool = False,
               quiet: str = "no progress messages") -> None:
        p.add_argument("--witnesses", dest="store", type=Path, default=Path("witnesses"), metavar="DIR",
                       help="the witness store (default: %(default)s)")
        if normalize:
            p.add_argument("--normalize", choices=list(PRESETS), default="exact", metavar="PRESET",
                           help=f"what counts as the same word (default: %(default)s). {presets}")
        if modified:
            p.add_argument("--allow-modified", action="store_true",
                           help="use a witness whose text no longer matches its recorded checksum (refused by default)")
        p.add_argument("-q", "--quiet", action="store_true", help=quiet)
        p.add_argument("-v", "--verbose", action="store_true", help="progress messages even when stderr is not a terminal")
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show the traceback of an unexpected error")

    p = sub.add_parser("align", help="align witnesses and print the alignment table",
                       description="Align witnesses token by token and write the alignment to stdout.")
    p.add_argument("witnesses", nargs="+", metavar="FILE_OR_SIGLUM", help="witness files or stored sigla")
    p.add_argument("--format", choices=["json", "tei", "csv", "tsv", "table"], default="json",
                   help="json: CollateX-compatible table with offsets; tei: TEI parallel segmentation; "
                   "csv/tsv: the alignment table for spreadsheets; table: one line per column (default: %(default)s)")
    p.add_argument("--engine", choices=["fast", "collatex"], default="fast",
                   help="fast: our aligner; collatex: CollateX itself, much slower (default: %(default)s)")
    p.add_argument("--base", metavar="SIGLUM[,SIGLUM...]",
                   help="for --format tei: class readings against this witness (where it is lost, the next one given)")
    common(p, modified=True)
    readers(p, "witness files")
    p.set_defaults(func=cmd_align)

    p = sub.add_parser("report", help="write the variant report (HTML, JSON, TEI)",
                       description="Collate witnesses (by default every witness in the store) and write "
                       "index.html, collation.json and apparatus.xml into --out.")
    p.add_argument("witnesses", nargs="*", metavar="FILE_OR_SIGLUM", help="witness files or stored sigla (default: the whole store)")
    p.add_argument("--base", metavar="SIGLUM[,SIGLUM...]",
                   help="class readings against this witness; where its text is lost, against the next one given, "
                   "then the others most like it (default: the best-attested reading at each place)")
    p.add_argument("--out", type=Path, default=Path("reports"), metavar="DIR", help="output folder (default: %(default)s)")
    p.add_argument("--title", help="the report's title (default: 'Collation of N witnesses: ...')")
    p.add_argument("--engine", choices=["fast", "collatex"], default="fast", help="aligner (default: %(default)s)")
    common(p, modified=True)
    readers(p, "witness files")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("check", help="check a transcription against a reference: CER, WER, classified errors",
                       description="Compare WITNESS with REFERENCE: print a summary (CER, WER, errors by class, the first "
                       "errors with their page, line and column), and write the reports asked for. Exit 0 within the "
                       "thresholds, 1 past them (one line on stderr says which, in the summary's percentages), 2 for "
                       "bad input. With -q only the reports asked for are written: no summary, nothing on stdout "
                       "unless a report goes there (-), only errors and warnings on stderr, and the exit code.")
    p.add_argument("witness", metavar="WITNESS", help="the transcription to check (file or siglum)")
    p.add_argument("--against", required=True, metavar="REFERENCE", help="the reference (file or siglum)")
    p.add_argument("--json", metavar="PATH", help="write the JSON report to PATH ('-' for stdout)")
    p.add_argument("--html", metavar="PATH", help="write the HTML report to PATH ('-' for stdout): both texts side by "
                   "side, the errors marked and linked both ways, the corrections to copy")
    p.add_argument("--corrections", metavar="PATH",
                   help="write the corrections to make, in the witness's reading order, to PATH ('-' for stdout): "
                   "a table with the columns page,line,column,witness,correction,class for a .csv or .tsv path, "
                   "else one line each ('l. 14: Easter \u2192 Eastern', 'p. 2, l. 3: insert \u2018the\u2019 before \u2018Soviet\u2019')")
    p.add_argument("--max-cer", type=threshold, metavar="X",
                   help="fail (exit 1) if the CER exceeds X: a fraction (0.02) or a percentage (2%%)")
    p.add_argument("--max-wer", type=threshold, metavar="X", help="fail (exit 1) if the WER exceeds X (0.1 or 10%%)")
    p.add_argument("--partial", action="store_true",
                   help="treat a side with clearly fewer words as partial: measure only what it covers "
                   "(by default only a declared fragment, stated losses or gap marks make a side partial)")
    p.add_argument("--no-gap-marks", action="store_true",
                   help="read '...', '[...]', '[gap]' and the other gap marks as text, not as lacunae (e.g. OCR output)")
    p.add_argument("--list-errors", action="store_true",
                   help="list every error, with its page, line and column in the witness (default: the first 10)")
    common(p, modified=True, quiet="quiet: no summary (only the reports asked for, one-line errors and warnings on "
           "stderr, and the exit code)")
    readers(p, "WITNESS and REFERENCE files")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("add", help="add a witness to the store, with its provenance",
                       description="Validate FILE and store it verbatim as SIGLUM with its metadata and checksum, "
                       "its family (proposed from the wording it shares with the stored witnesses, or --family) and, "
                       "for a partial witness, what it covers. "
                       "A TEI, PAGE, ALTO, hOCR or Markdown file is kept verbatim as SIGLUM.source.xml (.hocr, .md) "
                       "beside its reading text, SIGLUM.txt.")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--siglum", required=True, help="short name: letters, digits, '-', '_'")
    p.add_argument("--title", default="", help="title of the witness")
    p.add_argument("--source", default="", help="bibliographic citation of where the text comes from")
    p.add_argument("--translation", default="", help="which translation or version it is")
    p.add_argument("--fragment", action="store_true",
                   help="the witness is partial: what it covers is found (and stored, for a human to check), the rest is lacuna")
    p.add_argument("--breaks-off-after", default="", metavar="TEXT", help="for a fragment: the words it breaks off after")
    p.add_argument("--note", default="", help="free-text note")
    p.add_argument("--family", metavar="NAME",
                   help="the translation (or recension) it belongs to; by default the family of the stored witness "
                   "whose wording it shares (82%% or more), else a new family named after its siglum")
    p.add_argument("--replace", action="store_true", help="replace a witness with the same siglum")
    common(p, normalize=False)
    readers(p, "FILE")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("verify", help="check every stored witness against its checksum",
                       description="Report stored witnesses whose text no longer matches its checksum, or whose "
                       "stored source no longer matches its checksum or no longer gives the stored text (exit 1 if any).")
    common(p, normalize=False)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("list", help="list the stored witnesses",
                       description="List the stored witnesses: siglum, completeness, words, family, title; for a partial "
                       "witness, what it covers and how many found losses await a check.")
    common(p, normalize=False)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("corpus", help="whole corpora: report on or check many documents, in parallel or on a Dask cluster",
                       description="Run report or check over a whole corpus, document by document, in worker processes "
                       "or on a Dask cluster. Only documents whose files changed since the last run are redone. "
                       "Exit 0 when every document succeeded, 1 when some failed (or a threshold is passed), 2 for bad input.")
    corpus = p.add_subparsers(dest="corpus_command", metavar="SUBCOMMAND", required=True)
    c = corpus.add_parser("report", help="collate every document of a corpus and write a corpus index",
                          description="CORPUS holds one folder per document, each a witness store (<siglum>.txt and "
                          "<siglum>.toml). Writes DIR/<document>/index.html, collation.json and apparatus.xml, and the "
                          "corpus index DIR/index.html and DIR/corpus.json.")
    c.add_argument("corpus", metavar="CORPUS", help="the corpus folder, or an fsspec URL (s3://bucket/corpus)")
    c.add_argument("--base", metavar="SIGLUM", help="class readings against this witness in the documents that have it")
    c.add_argument("--engine", choices=["fast", "collatex"], default="fast", help="aligner (default: %(default)s)")
    _corpus_options(c)
    c.set_defaults(func=cmd_corpus_report)
    c = corpus.add_parser("check", help="check every transcription in a folder against its reference",
                          description="Pairs REFERENCE_DIR/a/p1.txt with WITNESS_DIR/a/p1.txt (by relative path and stem), "
                          "writes each check to DIR/<document>/ and a summary with pooled CER/WER to DIR/index.html "
                          "and DIR/corpus.json. Unpaired files are listed.")
    c.add_argument("references", metavar="REFERENCE_DIR", help="the references (ground truth): a folder or an fsspec URL")
    c.add_argument("witnesses", metavar="WITNESS_DIR", help="the transcriptions to check: a folder or an fsspec URL")
    c.add_argument("--max-cer", type=float, metavar="X", help="fail (exit 1) if the pooled CER exceeds X (a fraction)")
    c.add_argument("--max-wer", type=float, metavar="X", help="fail (exit 1) if the pooled WER exceeds X")
    _corpus_options(c)
    c.set_defaults(func=cmd_corpus_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.  Nothing escapes but ``SystemExit`` from ``--help``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.outcome = Outcome()
    debug = bool(getattr(args, "debug", False))
    with _notes_on_stderr(), _signals_interrupt():
        try:
            code: int = args.func(args)
            return code
        except BaseException as exc:  # noqa: BLE001 - the one place every failure becomes one line
            return _report_failure(exc, args.outcome, debug=debug)


def _report_failure(exc: BaseException, outcome: Outcome, *, debug: bool) -> int:
    """Print one line for ``exc`` (and, with ``debug``, its traceback first); the exit code."""
    if isinstance(exc, BrokenPipeError):  # `collate list | head`: the reader has gone
        _silence_stdout()
        return EXIT_OK
    if isinstance(exc, SystemExit):
        raise exc
    if debug:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, CollateError):
        line, code = f"collate: {exc}", EXIT_USAGE
    elif isinstance(exc, KeyboardInterrupt):
        told = exc.outcome if isinstance(exc, Interrupted) and exc.outcome else outcome.text
        line, code = f"collate: interrupted; {told}", 128 + signal_number(exc)
    elif isinstance(exc, MemoryError):
        line, code = "collate: out of memory: the input is too large for this machine (COLLATE_MAX_WITNESS_SIZE sets how large a witness may be)", EXIT_USAGE
    elif isinstance(exc, RecursionError):
        line, code = "collate: the input is nested too deeply to process", EXIT_USAGE
    elif isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        line, code = f"collate: {where}{exc.strerror or exc}; {outcome.text}", EXIT_USAGE
    else:
        line = f"collate: internal error ({type(exc).__name__}: {exc}); {outcome.text}. This is a bug: please report it (--debug shows the traceback)"
        code = EXIT_INTERNAL
    try:
        print(visible(line.replace("\n", " ")), file=sys.stderr, flush=True)
    except OSError:
        pass
    return code


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush does not complain about the closed pipe."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextmanager
def _signals_interrupt() -> Iterator[None]:
    """While a command runs, SIGINT, SIGTERM and SIGHUP all raise `Interrupted` (unless ignored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = ("SIGINT", "SIGTERM", "SIGHUP")
    numbers = [getattr(signal, n) for n in names if hasattr(signal, n)]
    old = {n: signal.getsignal(n) for n in numbers}
    for n in numbers:
        if old[n] is not signal.SIG_IGN:
            signal.signal(n, _raise_interrupted)
    try:
        yield
    finally:
        for n, handler in old.items():
            signal.signal(n, handler)


class _NoteHandler(logging.Handler):
    """Notes from the library (recovery, ignored files, modified witnesses): one safe line each on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            print(visible(f"collate: {record.getMessage()}".replace("\n", " ")), file=sys.stderr, flush=True)
        except OSError:
            pass


@contextmanager
def _notes_on_stderr() -> Iterator[None]:
    logger = logging.getLogger("collate")
    handler = _NoteHandler(logging.INFO)
    old = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.level, logger.propagate = old
