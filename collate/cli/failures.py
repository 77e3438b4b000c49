"""How a command ends when it does not simply return: every failure one line
on stderr with its exit code, SIGINT, SIGTERM and SIGHUP turned into
`Interrupted`, and the library's notes printed as safe single lines."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from ..errors import CollateError, Interrupted, signal_number, visible
from .common import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, Outcome


def report_failure(exc: BaseException, outcome: Outcome, *, debug: bool) -> int:
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
def signals_interrupt() -> Iterator[None]:
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
def notes_on_stderr() -> Iterator[None]:
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
