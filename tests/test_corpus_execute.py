"""Corpus runs in a process pool and on a Dask cluster (collate.corpus.execute).

Each run here is compared byte for byte with a run in this process: the same
job function on the same jobs must write the same files however it is run,
when a worker process dies under it too.  These tests start worker processes
or a Dask `LocalCluster` (a few seconds each), so they are marked ``slow``.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collate.corpus import Execution, report_corpus
from collate.corpus.discover import find_documents
from collate.corpus.execute import execute
from collate.corpus.jobs import Outcome, ReportJob, ReportSummary, Status, run_report_job
from collate.corpus.sources import list_files
from collate.testing.corpus import BROKEN, files_of, write_corpus

pytestmark = pytest.mark.slow

LIMIT = 5_000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "c"
    write_corpus(root, documents=10, seed=11, words=(60, 200), witnesses=(3, 4), broken=True, large=LIMIT)
    return root


@pytest.fixture(scope="module")
def serial(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("serial")
    report_corpus(corpus, out, execution=Execution(workers=1), max_bytes=LIMIT)
    return files_of(out)


@pytest.fixture()
def cluster() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR) as c:
        yield c


def test_a_process_pool_writes_the_same_files_as_one_process(corpus: Path, serial: dict[str, bytes], tmp_path: Path) -> None:
    run = report_corpus(corpus, tmp_path, execution=Execution(workers=2), max_bytes=LIMIT)
    assert (run.done, len(run.failed)) == (10, len(BROKEN))
    assert files_of(tmp_path) == serial


def test_a_dask_cluster_writes_the_same_files_as_one_process(
    corpus: Path, serial: dict[str, bytes], cluster: Any, tmp_path: Path
) -> None:
    run = report_corpus(corpus, tmp_path, execution=Execution(scheduler=cluster.scheduler_address), max_bytes=LIMIT)
    assert (run.done, len(run.failed)) == (10, len(BROKEN))
    assert files_of(tmp_path) == serial


def _processing_worker_pid(client: Any) -> int | None:
    busy = [addr for addr, keys in client.processing().items() if keys]
    pids = client.run(os.getpid)
    return pids[busy[0]] if busy and busy[0] in pids else None


def test_a_worker_killed_in_the_middle_of_a_dask_run_changes_nothing(
    corpus: Path, serial: dict[str, bytes], cluster: Any, tmp_path: Path
) -> None:
    from distributed import Client

    result: dict[str, Any] = {}

    def run() -> None:
        result["run"] = report_corpus(corpus, tmp_path, execution=Execution(scheduler=cluster.scheduler_address),
                                      max_bytes=LIMIT)

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        before = set(client.run(os.getpid).values())
        thread = threading.Thread(target=run)
        thread.start()
        killed = None
        deadline = time.monotonic() + 120
        while killed is None and time.monotonic() < deadline and thread.is_alive():
            if any(tmp_path.glob("doc*/index.html")):  # the run is under way
                killed = _processing_worker_pid(client)
                if killed is not None:
                    os.kill(killed, signal.SIGKILL)
            time.sleep(0.01)
        thread.join(timeout=300)
        assert killed is not None, "the run ended before a worker could be killed"
        assert len(list(tmp_path.glob("doc*/index.html"))) == 10
        client.wait_for_workers(2, timeout=60)
        after = set(client.run(os.getpid).values())
    assert killed in before and killed not in after  # the nanny started a new worker
    assert (result["run"].done, len(result["run"].failed)) == (10, len(BROKEN))
    assert files_of(tmp_path) == serial


def dies_on_doc0003(job: ReportJob) -> Outcome[ReportSummary]:
    """A job function whose process dies on one document (as on a segfault or the OOM killer)."""
    if job.document == "doc0003":
        os._exit(70)
    return run_report_job(job)


def test_a_document_that_kills_its_worker_process_is_reported_and_the_others_complete(corpus: Path, tmp_path: Path) -> None:
    files, _ = list_files(str(corpus))
    jobs = [ReportJob(d.name, str(corpus / d.name), d.texts, d.metas, str(tmp_path / d.name), max_bytes=LIMIT)
            for d in find_documents(files).documents]
    outcomes = {o.document: o for o in execute(dies_on_doc0003, jobs, Execution(workers=2))}
    assert sorted(outcomes) == sorted(j.document for j in jobs)
    assert outcomes["doc0003"].status is Status.FAILED and "worker process died" in outcomes["doc0003"].error
    assert all(o.status is Status.DONE for d, o in outcomes.items() if d.startswith("doc") and d != "doc0003")
    assert all(o.status is Status.FAILED for d, o in outcomes.items() if d.startswith("broken"))
