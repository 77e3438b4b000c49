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

The modules: `parser` (the arguments of every command), `collation` (align,
report), `check`, `witnesses` (add, verify, list), `corpus` (corpus report,
corpus check), `common` (exit codes, progress, reading the witnesses named)
and `failures` (one line per failure, signals, the library's notes).
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Sequence
from typing import cast

from .common import Outcome
from .failures import notes_on_stderr, report_failure, signals_interrupt
from .parser import build_parser

__all__ = ["main", "build_parser"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.  Nothing escapes but ``SystemExit`` from ``--help``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.outcome = Outcome()
    debug = bool(getattr(args, "debug", False))
    with notes_on_stderr(), signals_interrupt():
        try:
            return _command(args.run)(args)
        except BaseException as exc:  # noqa: BLE001 - the one place every failure becomes one line
            return report_failure(exc, args.outcome, debug=debug)


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    """The function that runs a command, ``"collation.cmd_align"``, imported now: only its own module loads."""
    module, _, function = name.rpartition(".")
    return cast("Callable[[argparse.Namespace], int]", getattr(importlib.import_module(f"{__name__}.{module}"), function))
