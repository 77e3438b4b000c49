"""Progress of a corpus run: a line on the terminal, and a JSON-lines log.

The terminal line (``412/1000 documents · 3 failed · 4.1/s · ETA 2m23s``) is
redrawn in place on stderr, at most a few times a second, and only when
stderr is a terminal.  The log (``--log PATH``, appended to) has one JSON
object per line: a ``start`` event, one ``document`` event per document
(``status`` done, skipped or failed, the ``error`` if any, the ``seconds``
it took and the ``cpu_seconds`` it used) and an ``end`` event with the counts.  Times of day and durations
live only here, never in the outputs, so outputs do not depend on the run.

>>> import io
>>> log = io.StringIO()
>>> m = Monitor(2, log=log, clock=iter([0.0, 1.0, 2.0, 2.0]).__next__, now=lambda: "T")
>>> m.start({"command": "report"})
>>> m.update(Outcome("a", Status.DONE, seconds=0.5))
>>> m.line()
'1/2 documents · 1.0/s · ETA 1s'
>>> print(log.getvalue().splitlines()[1])
{"event": "document", "time": "T", "document": "a", "status": "done", "seconds": 0.5, "cpu_seconds": 0.0}
"""

from __future__ import annotations

import datetime
import json
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from .jobs import Outcome, Status

REDRAW_SECONDS = 0.2
"""The terminal line is redrawn at most this often: more is flicker, and costs time on a slow terminal."""


def _utc_now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


def duration(seconds: float) -> str:
    """A duration for people.

    >>> duration(42.4), duration(143), duration(7260)
    ('42s', '2m23s', '2h01m')
    """
    s = int(round(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


class Monitor:
    """Counts outcomes as they come; draws the terminal line on ``terminal`` and logs to ``log``."""

    def __init__(
        self,
        total: int,
        *,
        terminal: TextIO | None = None,
        log: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], str] = _utc_now,
    ) -> None:
        self.total = total
        self.terminal = terminal
        self.log = log
        self.clock = clock
        self.now = now
        self.counts: Counter[Status] = Counter()
        self.started = 0.0
        self.drawn = float("-inf")

    @property
    def finished(self) -> int:
        return sum(self.counts.values())

    def _write(self, event: str, fields: Mapping[str, Any]) -> None:
        if self.log is not None:
            self.log.write(json.dumps({"event": event, "time": self.now(), **fields}, ensure_ascii=False) + "\n")
            self.log.flush()

    def start(self, fields: Mapping[str, Any]) -> None:
        self.started = self.clock()
        self._write("start", {**fields, "documents": self.total})

    def update(self, outcome: Outcome[Any]) -> None:
        self.counts[outcome.status] += 1
        entry: dict[str, Any] = {"document": outcome.document, "status": outcome.status.value}
        if outcome.error:
            entry["error"] = outcome.error
        entry["seconds"] = round(outcome.seconds, 3)
        entry["cpu_seconds"] = round(outcome.cpu_seconds, 3)
        self._write("document", entry)
        if self.terminal is not None:
            moment = self.clock()
            if moment - self.drawn >= REDRAW_SECONDS or self.finished == self.total:
                self.drawn = moment
                self.terminal.write("\r\033[K" + self.line(moment))
                self.terminal.flush()

    def line(self, moment: float | None = None) -> str:
        """The progress line: documents finished of all, failures, rate, time left."""
        elapsed = (self.clock() if moment is None else moment) - self.started
        done = self.finished
        parts = [f"{done}/{self.total} documents"]
        if self.counts[Status.SKIPPED]:
            parts.append(f"{self.counts[Status.SKIPPED]} unchanged")
        if self.counts[Status.FAILED]:
            parts.append(f"{self.counts[Status.FAILED]} failed")
        if elapsed > 0 and done:
            per_second = done / elapsed
            parts.append(f"{per_second:.1f}/s")
            if done < self.total:
                parts.append(f"ETA {duration((self.total - done) / per_second)}")
        return " · ".join(parts)

    def finish(self, fields: Mapping[str, Any]) -> None:
        counts = {s.value: self.counts[s] for s in Status}
        self._write("end", {**fields, **counts, "seconds": round(self.clock() - self.started, 3)})
        if self.terminal is not None and self.finished:
            self.terminal.write("\r\033[K" + self.line() + "\n")
            self.terminal.flush()
