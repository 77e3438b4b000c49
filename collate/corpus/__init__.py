"""Whole corpora: many documents, many transcriptions, on one machine or a Dask cluster.

- `report_corpus(corpus, out, ...)`: collate every document (one folder per
  document, each a witness store) into ``out/<document>/`` and write the
  corpus index (``index.html``, ``corpus.json``);
- `check_corpus(references, witnesses, out, ...)`: pair two folders' files by
  relative path and stem, check each transcription against its reference, and
  write the checks with a corpus summary (pooled CER/WER, worst documents,
  unpaired files);
- `Execution(workers=N)` runs the documents in a process pool,
  `Execution(scheduler="tcp://host:8786")` on a Dask cluster.

The stages, one module each: `sources` (files on disk or behind fsspec URLs,
and the one function that reads a witness) -> `discover` (documents and
pairs) -> `jobs` (the work on one document, a pure top-level function) ->
`execute` (in this process, a pool, or Dask) -> `summary` (what is kept of
each document) -> `collate.render.corpus` (the index); `manifest` makes
runs incremental, `progress` reports them, `run` ties it together.  The
entry points load on first use (PEP 562), so the command starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

MAX_BYTES = 10_000_000
"""The largest transcription file read by default (10 MB, a few million
words): past that a file is far more likely a mistake (a whole volume, an
image) than a document, and collating it could exhaust a worker's memory.
(Defined here, where the command line can read it without loading the rest.)"""

_LAZY = {
    "Execution": "collate.corpus.execute",
    "CheckRun": "collate.corpus.run",
    "ReportRun": "collate.corpus.run",
    "check_corpus": "collate.corpus.run",
    "report_corpus": "collate.corpus.run",
}

__all__ = ["MAX_BYTES", "Execution", "CheckRun", "ReportRun", "check_corpus", "report_corpus"]

if TYPE_CHECKING:
    from .execute import Execution
    from .run import CheckRun, ReportRun, check_corpus, report_corpus


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'collate.corpus' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
