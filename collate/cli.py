"""The ``collate`` command: parse arguments, call a stage function, write files.

No algorithm and no markup live here.  Every user error becomes one line on
stderr (``collate: <file>: <problem>``) and exit code 2; nothing is written
unless everything succeeded.  Heavy modules are imported inside each command
so that ``collate --help`` and ``collate align`` start fast.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CollateError
from .normalize import DESCRIPTIONS, PRESETS

if TYPE_CHECKING:
    from .corpus import Execution
    from .model import Witness

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class Progress:
    """Stage messages with timings on stderr, shown when stderr is a terminal
    (or always with ``--verbose``), never with ``--quiet``."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        if self.enabled:
            print(f"[{time.perf_counter() - self.start:6.2f}s] {message}", file=sys.stderr, flush=True)


def _progress(args: argparse.Namespace) -> Progress:
    enabled = not args.quiet and (args.verbose or sys.stderr.isatty())
    return Progress(enabled=enabled)


def _witnesses(names: Sequence[str], store: Path) -> tuple[Witness, ...]:
    from .store import load_store, resolve

    return resolve(names, store=store) if names else load_store(store)


def _need_two(witnesses: Sequence[Witness]) -> None:
    if len(witnesses) < 2:
        raise CollateError(f"need at least two witnesses to collate, got {len(witnesses)}")


# ---------------------------------------------------------------- commands


def cmd_align(args: argparse.Namespace) -> int:
    from .api import collate
    from .render import table

    witnesses = _witnesses(args.witnesses, args.store)
    _need_two(witnesses)
    say = _progress(args)
    say(f"aligning {len(witnesses)} witnesses ({args.engine} engine)")
    collation = collate(witnesses, base=args.base, normalize=args.normalize, engine=args.engine)
    say(f"{len(collation.alignment.columns)} columns")
    if args.format == "json":
        out = table.to_json(collation.alignment)
    elif args.format == "tei":
        out = collation.to_tei()
    elif args.format in ("csv", "tsv"):
        out = collation.to_csv(delimiter="," if args.format == "csv" else "\t")
    else:
        out = table.to_table(collation.alignment)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .api import collate

    say = _progress(args)
    witnesses = _witnesses(args.witnesses, args.store)
    _need_two(witnesses)
    words = sum(len(w.text.split()) for w in witnesses)
    say(f"read {len(witnesses)} witnesses ({words:,} words): {', '.join(w.siglum for w in witnesses)}")
    collation = collate(witnesses, base=args.base, normalize=args.normalize, engine=args.engine, title=args.title)
    say(f"aligned {len(collation.alignment.columns):,} columns; {len(collation.locations):,} variant locations")
    for path in collation.write(args.out):
        print(path)
    say("wrote HTML, JSON and TEI")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from .api import Check
    from .fidelity import check
    from .files import write_files
    from .store import resolve

    if args.witness == args.against:
        raise CollateError("a transcription cannot be checked against itself", path=args.witness)
    (witness,) = resolve([args.witness], store=args.store)
    (reference,) = resolve([args.against], store=args.store)
    if witness.siglum == reference.siglum:  # gt/page1.txt against ocr/page1.txt
        reference = replace(reference, siglum=f"{reference.siglum}.reference")
    result = Check(check(reference, witness, normalization=args.normalize))
    outputs: dict[Path, str] = {}
    if args.json and args.json != "-":
        outputs[Path(args.json)] = result.to_json()
    if args.html:
        outputs[Path(args.html)] = result.to_html()
    write_files(outputs)
    if args.json == "-":
        sys.stdout.write(result.to_json() + "\n")
        sys.stderr.write(result.summary() + "\n")
    else:
        sys.stdout.write(result.summary() + "\n")
    failed = []
    if args.max_cer is not None and result.cer > args.max_cer:
        failed.append(f"CER {result.cer:.4f} > {args.max_cer}")
    if args.max_wer is not None and result.wer > args.max_wer:
        failed.append(f"WER {result.wer:.4f} > {args.max_wer}")
    if failed:
        print(f"collate: {witness.siglum} fails the threshold: {'; '.join(failed)}", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    from .metrics import closest
    from .store import add_witness, load_store

    others = {w.siglum: w.text for w in load_store(args.store)} if args.store.is_dir() and any(args.store.glob("*.txt")) else {}
    others.pop(args.siglum, None)
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
        replace=args.replace,
    )
    print(f"stored {witness.siglum}: {len(witness.text):,} characters, {len(witness.text.split()):,} words in {args.store}")
    ranked = closest(witness.text, others)
    if ranked:
        print(f"closest witness: {ranked[0][0]} (CER {ranked[0][1]:.2%} against it)")
        for siglum, cer in ranked:
            print(f"  CER against {siglum:<12} {cer:8.2%}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from .store import list_sigla, verify_store

    problems = verify_store(args.store)
    for p in problems:
        print(f"{p.path}: {p.problem}")
    if problems:
        print(f"collate: {len(problems)} problem(s) in {args.store}", file=sys.stderr)
        return EXIT_FAIL
    print(f"{len(list_sigla(args.store))} witnesses in {args.store}: all match their checksums")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from .store import load_store

    for w in load_store(args.store):
        kind = w.meta.completeness.value
        print(f"{w.siglum:<12} {kind:<9} {len(w.text.split()):>7,} words  {w.meta.title}")
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


def build_parser() -> argparse.ArgumentParser:
    presets = "; ".join(f"{name}: {DESCRIPTIONS[name]}" for name in PRESETS)
    parser = argparse.ArgumentParser(
        prog="collate",
        description="Collate transcriptions of one document token by token: variant reports, "
        "critical apparatus, transcription fidelity.",
        epilog="Witnesses are files, or sigla of witnesses in the store (default ./witnesses). "
        "Run 'collate COMMAND --help' for each command.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"collate {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def common(p: argparse.ArgumentParser, *, normalize: bool = True) -> None:
        p.add_argument("--witnesses", dest="store", type=Path, default=Path("witnesses"), metavar="DIR",
                       help="the witness store (default: %(default)s)")
        if normalize:
            p.add_argument("--normalize", choices=list(PRESETS), default="exact", metavar="PRESET",
                           help=f"what counts as the same word (default: %(default)s). {presets}")
        p.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
        p.add_argument("-v", "--verbose", action="store_true", help="progress messages even when stderr is not a terminal")

    p = sub.add_parser("align", help="align witnesses and print the alignment table",
                       description="Align witnesses token by token and write the alignment to stdout.")
    p.add_argument("witnesses", nargs="+", metavar="FILE_OR_SIGLUM", help="witness files or stored sigla")
    p.add_argument("--format", choices=["json", "tei", "csv", "tsv", "table"], default="json",
                   help="json: CollateX-compatible table with offsets; tei: TEI parallel segmentation; "
                   "csv/tsv: the alignment table for spreadsheets; table: one line per column (default: %(default)s)")
    p.add_argument("--engine", choices=["fast", "collatex"], default="fast",
                   help="fast: our aligner; collatex: CollateX itself, much slower (default: %(default)s)")
    p.add_argument("--base", metavar="SIGLUM", help="for --format tei: class readings against this witness")
    common(p)
    p.set_defaults(func=cmd_align)

    p = sub.add_parser("report", help="write the variant report (HTML, JSON, TEI)",
                       description="Collate witnesses (by default every witness in the store) and write "
                       "index.html, collation.json and apparatus.xml into --out.")
    p.add_argument("witnesses", nargs="*", metavar="FILE_OR_SIGLUM", help="witness files or stored sigla (default: the whole store)")
    p.add_argument("--base", metavar="SIGLUM",
                   help="class readings against this witness (default: the best-attested reading at each place)")
    p.add_argument("--out", type=Path, default=Path("reports"), metavar="DIR", help="output folder (default: %(default)s)")
    p.add_argument("--title", help="the report's title (default: 'Collation of N witnesses: ...')")
    p.add_argument("--engine", choices=["fast", "collatex"], default="fast", help="aligner (default: %(default)s)")
    common(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("check", help="check a transcription against a reference: CER, WER, classified errors",
                       description="Compare WITNESS with REFERENCE. Exit 0 within the thresholds, 1 past them, 2 for bad input.")
    p.add_argument("witness", metavar="WITNESS", help="the transcription to check (file or siglum)")
    p.add_argument("--against", required=True, metavar="REFERENCE", help="the reference (file or siglum)")
    p.add_argument("--json", metavar="PATH", help="write the JSON report to PATH ('-' for stdout)")
    p.add_argument("--html", metavar="PATH", help="write the HTML report to PATH")
    p.add_argument("--max-cer", type=float, metavar="X", help="fail (exit 1) if the CER exceeds X (a fraction, e.g. 0.02)")
    p.add_argument("--max-wer", type=float, metavar="X", help="fail (exit 1) if the WER exceeds X")
    common(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("add", help="add a witness to the store, with its provenance",
                       description="Validate FILE and store it verbatim as SIGLUM with its metadata and checksum.")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--siglum", required=True, help="short name: letters, digits, '-', '_'")
    p.add_argument("--title", default="", help="title of the witness")
    p.add_argument("--source", default="", help="bibliographic citation of where the text comes from")
    p.add_argument("--translation", default="", help="which translation or version it is")
    p.add_argument("--fragment", action="store_true", help="the witness is a fragment: its text breaks off (a lacuna)")
    p.add_argument("--breaks-off-after", default="", metavar="TEXT", help="for a fragment: the words it breaks off after")
    p.add_argument("--note", default="", help="free-text note")
    p.add_argument("--replace", action="store_true", help="replace a witness with the same siglum")
    common(p, normalize=False)
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("verify", help="check every stored witness against its checksum",
                       description="Report stored witnesses whose text no longer matches its checksum (exit 1 if any).")
    common(p, normalize=False)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("list", help="list the stored witnesses")
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
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except CollateError as exc:
        print(f"collate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("collate: interrupted; nothing written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK

