"""What every command shares: exit codes, progress messages, what an interrupt
would leave, and how witnesses named on the command line are read."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CollateError, visible

if TYPE_CHECKING:
    from ..model import Witness
    from ..readers import ReaderOptions

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


def progress(args: argparse.Namespace) -> Progress:
    tty = sys.stderr.isatty()
    return Progress(enabled=not args.quiet and (args.verbose or tty), live=tty)


def reader_options(args: argparse.Namespace) -> ReaderOptions:
    """How witness files named on the command line are read (``--input-format``, ``--tei-choice``, ``--hyphens``)."""
    from ..readers import Hyphens, ReaderOptions, SourceFormat, TeiChoice

    fmt = args.input_format
    return ReaderOptions(SourceFormat(fmt) if fmt else None, TeiChoice(args.tei_choice), Hyphens(args.hyphens))


def read_witnesses(names: Sequence[str], args: argparse.Namespace) -> tuple[Witness, ...]:
    """The witnesses ``names`` (files or stored sigla), or with none named the whole store."""
    from ..store import load_store, resolve

    if names:
        return resolve(names, store=args.store, allow_modified=args.allow_modified, options=reader_options(args))
    return load_store(args.store, allow_modified=args.allow_modified)


def gap_marks(args: argparse.Namespace) -> tuple[str, ...] | None:
    """The gap marks asked for: none with ``--no-gap-marks``, the usual ones and
    each ``--gap-mark``, or None for the usual ones alone."""
    from ..tokenize import GAP_MARKS

    if getattr(args, "no_gap_marks", False):
        return ()
    return GAP_MARKS + tuple(args.gap_mark) if args.gap_mark else None


def base_order(value: str | None) -> tuple[str, ...] | None:
    """``--base frus,web``: the witnesses in the order in which they serve as base."""
    return tuple(s.strip() for s in value.split(",") if s.strip()) if value else None


def need_two(witnesses: Sequence[Witness]) -> None:
    if len(witnesses) < 2:
        raise CollateError(f"need at least two witnesses to collate, got {len(witnesses)}")


def written(args: argparse.Namespace, outputs: Collection[Path]) -> None:
    """Record, for an interrupt, that ``outputs`` are written (called at the commit point)."""
    if outputs:
        args.outcome.text = f"written: {', '.join(str(p) for p in outputs)}"
