"""``collate corpus report`` and ``collate corpus check``: whole corpora, in
worker processes or on a Dask cluster."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TypedDict

from ..errors import CollateError
from .common import EXIT_FAIL, EXIT_OK

if TYPE_CHECKING:
    from ..corpus import Execution


class _RunOptions(TypedDict):
    """The keyword arguments both corpus commands pass on as given (the options `parser._corpus_options` adds)."""

    normalize: str
    execution: Execution
    force: bool
    max_bytes: int
    progress: bool
    log: str | None


def _run_options(args: argparse.Namespace) -> _RunOptions:
    return _RunOptions(
        normalize=args.normalize, execution=_execution(args), force=args.force, max_bytes=args.max_bytes,
        progress=not args.quiet and sys.stderr.isatty(), log=args.log,
    )


def _execution(args: argparse.Namespace) -> Execution:
    from ..corpus import Execution

    if args.scheduler and args.workers is not None:
        raise CollateError("give --workers or --scheduler, not both (a Dask cluster has its own workers)")
    return Execution(workers=args.workers, scheduler=args.scheduler)


def _interrupted(args: argparse.Namespace) -> int:
    print(f"collate: interrupted; the documents finished so far are recorded in {args.out}/manifest.json, "
          "and running the same command again resumes", file=sys.stderr)
    return 130


def cmd_corpus_report(args: argparse.Namespace) -> int:
    from ..corpus import report_corpus
    from ..render.corpus import summary_text

    try:
        run = report_corpus(args.corpus, args.out, base=args.base, engine=args.engine, **_run_options(args))
    except KeyboardInterrupt:
        return _interrupted(args)
    print(summary_text(run))
    print(f"wrote {run.out}/index.html and corpus.json")
    return EXIT_FAIL if run.failed else EXIT_OK


def cmd_corpus_check(args: argparse.Namespace) -> int:
    from ..corpus import check_corpus
    from ..render.corpus import summary_text

    try:
        run = check_corpus(args.references, args.witnesses, args.out, **_run_options(args))
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
