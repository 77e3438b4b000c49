"""Running the jobs: in this process, in a process pool, or on a Dask cluster.

`execute` takes a job function (`collate.corpus.jobs.run_report_job` or
`run_check_job`), the jobs and an `Execution`, and yields one `Outcome` per
job as the jobs finish, in whatever order they finish (the caller sorts).
The three ways run the same function on the same jobs, so they write the
same files:

- **in this process** (``workers=1``): no start-up cost, no isolation from a
  crash of the interpreter itself;
- **a process pool** (``workers=N``, default the number of cores): at most a
  few jobs per worker are queued at a time, so a million documents never sit
  in memory as futures.  If a worker process dies (killed, out of memory),
  the pool is rebuilt and the jobs it was running are run again one at a
  time in a pool of their own, so the one that kills its worker is found,
  reported as failed, and the others complete;
- **a Dask cluster** (``scheduler="tcp://host:8786"``): the same function
  submitted with `dask.distributed.Client`; Dask reschedules the jobs of a
  worker that dies, and gives up on a job that has killed three workers
  (``distributed.scheduler.allowed-failures``), which is then reported as
  failed.  Workers read and write the corpus where they find it: a folder
  every worker mounts at the same path, or an fsspec URL.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol, TypeVar

from ..errors import CollateError
from .jobs import Outcome, Status

QUEUED_PER_WORKER = 2
"""Jobs queued per worker beyond the one it runs: enough that a worker never
waits for the next job, few enough that submitting stays cheap for any corpus."""


class Job(Protocol):
    @property
    def document(self) -> str: ...


J = TypeVar("J", bound=Job)
O = TypeVar("O", bound=Outcome[Any])


@dataclass(frozen=True, slots=True)
class Execution:
    """How to run the jobs: ``workers`` processes here (None: one per core), or on the Dask ``scheduler``."""

    workers: int | None = None
    scheduler: str | None = None

    def describe(self) -> str:
        """Where the jobs run, for the log.

        >>> Execution(workers=1).describe(), Execution(scheduler="tcp://h:8786").describe()
        ('in this process', 'on the Dask cluster at tcp://h:8786')
        """
        if self.scheduler:
            return f"on the Dask cluster at {self.scheduler}"
        n = self.processes()
        return "in this process" if n == 1 else f"in {n} worker processes"

    def processes(self) -> int:
        return self.workers if self.workers is not None else (os.cpu_count() or 1)


def failed(job: Job, message: str) -> Outcome[Any]:
    return Outcome(job.document, Status.FAILED, error=message)


def execute(fn: Callable[[J], O], jobs: Sequence[J], how: Execution) -> Iterator[O | Outcome[Any]]:
    """Run ``fn`` on every job and yield the outcomes as they come (see the module docstring)."""
    if how.workers is not None and how.workers < 1:
        raise CollateError(f"--workers must be at least 1, got {how.workers}")
    if how.scheduler:
        yield from _dask(fn, jobs, how.scheduler)
    elif how.processes() == 1 or len(jobs) <= 1:
        yield from map(fn, jobs)
    else:
        yield from _pool(fn, jobs, min(how.processes(), len(jobs)))


# ---------------------------------------------------------------- process pool


PRELOAD = ("collate.corpus.jobs", "collate.align", "collate.variants", "collate.fidelity", "collate.render.report",
           "collate.render.view", "collate.render.tei", "collate.render.check")
"""What the pool's server process imports once, so that each worker forked
from it starts at once instead of importing collate anew (a second or more)."""


def _context() -> Any:
    """Worker processes start from a clean server process (``forkserver``),
    not a fork of this one: forking a process that runs threads (a Dask
    client, a test runner) can deadlock.  The server, one per process and
    started on first use, preloads `PRELOAD`."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOAD))
    return context


def _pool(fn: Callable[[J], O], jobs: Sequence[J], workers: int) -> Iterator[O | Outcome[Any]]:
    pending: deque[J] = deque(jobs)
    suspects: list[J] = []
    while pending:
        yield from _run_pool(fn, pending, workers, suspects)
    yield from _one_at_a_time(fn, suspects)


def _one_at_a_time(fn: Callable[[J], O], jobs: Sequence[J]) -> Iterator[O | Outcome[Any]]:
    """Run each job alone in a one-process pool, so a crash is pinned on the job that caused it."""
    pool: ProcessPoolExecutor | None = None
    try:
        for job in jobs:
            pool = pool or ProcessPoolExecutor(max_workers=1, mp_context=_context())
            try:
                yield pool.submit(fn, job).result()
            except BrokenProcessPool:
                pool.shutdown(wait=True)
                pool = None
                yield failed(job, "its worker process died while running it, twice (killed, or out of memory?)")
            except Exception as exc:  # noqa: BLE001 - the job function returns its own errors; this is the pool's
                yield failed(job, f"could not run: {type(exc).__name__}: {exc}")
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _run_pool(fn: Callable[[J], O], pending: deque[J], workers: int, suspects: list[J]) -> Iterator[O | Outcome[Any]]:
    """Run jobs from ``pending`` until it is empty or the pool breaks; the jobs
    that were running when it broke go to ``suspects``."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context())
    running: dict[Future[O], J] = {}
    try:
        while pending or running:
            while pending and len(running) < workers * (1 + QUEUED_PER_WORKER):
                job = pending.popleft()
                running[pool.submit(fn, job)] = job
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                job = running.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    suspects.append(job)
                except Exception as exc:  # noqa: BLE001 - the job function returns its own errors; this is the pool's
                    yield failed(job, f"could not run: {type(exc).__name__}: {exc}")
            if broken:  # every job the pool held is lost with it
                suspects.extend(running.values())
                return
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------- Dask


def _dask(fn: Callable[[J], O], jobs: Sequence[J], address: str) -> Iterator[O | Outcome[Any]]:
    try:  # distributed's API is partly untyped: it is used as `Any` here, and only here
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        raise CollateError("--scheduler needs Dask: pip install 'collate[dask]'") from None
    try:
        client = distributed.Client(address, timeout="30s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise CollateError(f"cannot reach the Dask scheduler: {exc}", path=address) from None
    run = uuid.uuid4().hex[:12]
    try:
        threads = max(1, sum(client.nthreads().values()))
        todo = iter(enumerate(jobs))
        futures: dict[Any, J] = {}

        def submit(i: int, job: J) -> Any:
            future = client.submit(fn, job, key=f"collate-{fn.__name__}-{run}-{i}", pure=False)
            futures[future] = job
            return future

        first = [submit(i, j) for i, j in islice(todo, threads * (1 + QUEUED_PER_WORKER))]
        stream = distributed.as_completed(first, loop=client.loop)
        for future in stream:
            job = futures.pop(future)
            if future.status == "finished":
                yield future.result()
            elif future.status == "error":  # e.g. KilledWorker: it took down too many workers
                error = future.exception()
                yield failed(job, f"the cluster could not run it: {type(error).__name__}: {error}")
            else:
                yield failed(job, f"the cluster lost it ({future.status}): was the scheduler restarted?")
            future.release()
            for i, j in islice(todo, 1):
                stream.add(submit(i, j))
    finally:
        client.close()
