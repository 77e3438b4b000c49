"""``collate check``: measure one transcription against a reference, write the
reports asked for, and fail past a CER or WER threshold."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from ..errors import CollateError, visible
from .common import EXIT_FAIL, EXIT_OK, gap_marks, reader_options, written


def cmd_check(args: argparse.Namespace) -> int:
    from ..align import PARTIAL_SHARE
    from ..api import check
    from ..files import check_targets, write_files
    from ..render.corrections import corrections, for_path
    from ..store import resolve

    if args.witness == args.against:
        raise CollateError("a transcription cannot be checked against itself", path=args.witness)
    named = {"json": args.json, "html": args.html, "corrections": args.corrections}
    dashes = [f"--{name}" for name, value in named.items() if value == "-"]
    if len(dashes) > 1:
        both = "both" if len(dashes) == 2 else "all"
        raise CollateError(f"{', '.join(dashes[:-1])} and {dashes[-1]} cannot {both} go to standard output (-)")
    options = reader_options(args)
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
        gap_marks=gap_marks(args),
        partial_share=PARTIAL_SHARE if args.partial else None,
    )

    def corrections_file() -> str:  # CSV, TSV or lines of text, by the path's extension
        return for_path(corrections(result.report, result.places), args.corrections)

    render = {"json": result.to_json, "html": result.to_html, "corrections": corrections_file}
    outputs = {path: render[name]() for name, path in targets.items()}
    write_files(outputs, inputs=inputs, protected_dirs=[args.store], on_commit=lambda: written(args, outputs))
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

