"""``collate align`` and ``collate report``: collate witnesses, print the
alignment or write the variant report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import visible
from .common import EXIT_OK, base_order, gap_marks, need_two, progress, read_witnesses, written


def cmd_align(args: argparse.Namespace) -> int:
    from ..api import align, collate
    from ..render import table

    witnesses = read_witnesses(args.witnesses, args)
    need_two(witnesses)
    say = progress(args)
    say(f"aligning {len(witnesses)} witnesses ({args.engine} engine)")
    if args.format == "tei":  # only the TEI classes readings: the other formats need no variants
        out = collate(witnesses, base=base_order(args.base), normalize=args.normalize, engine=args.engine,
                      gap_marks=gap_marks(args)).to_tei()
    else:
        alignment = align(witnesses, normalize=args.normalize, engine=args.engine, progress=say.counter("aligning witnesses"),
                          gap_marks=gap_marks(args))
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
    from ..api import REPORT_FILES, collate
    from ..files import check_targets

    say = progress(args)
    witnesses = read_witnesses(args.witnesses, args)
    need_two(witnesses)
    words = sum(len(w.text.split()) for w in witnesses)
    say(f"read {len(witnesses)} witnesses ({words:,} words): {', '.join(w.siglum for w in witnesses)}")
    paths = tuple(args.out / name for name in REPORT_FILES)
    check_targets(paths, inputs=[Path(w.path) for w in witnesses if w.path], protected_dirs=[args.store])  # before the work
    collation = collate(
        witnesses,
        base=base_order(args.base),
        normalize=args.normalize,
        engine=args.engine,
        title=args.title,
        progress=say.counter("aligning witnesses"),
        gap_marks=gap_marks(args),
    )
    say(f"aligned {len(collation.alignment.columns):,} columns; {len(collation.locations):,} variant locations")
    collation.write(args.out, protected_dirs=[args.store], on_commit=lambda: written(args, paths))
    for path in paths:
        print(visible(str(path)))
    say("wrote HTML, JSON and TEI")
    return EXIT_OK
