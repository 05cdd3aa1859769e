"""The ingest flow on a Dask cluster through prefect-dask's DaskTaskRunner.

A local ``dask.distributed`` cluster of two in-process workers stands in for
remote machines: the flow run is the same, only the task runner's address
changes.  This needs a real Prefect run, so the module starts one
``prefect_test_harness`` (a temporary API server, ~30 s) for all its tests.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

pytest.importorskip("prefect_dask")
distributed = pytest.importorskip("distributed")

from prefect.testing.utilities import prefect_test_harness  # noqa: E402
from prefect_dask import DaskTaskRunner  # noqa: E402

from benchmarks.corpus import write_corpus  # noqa: E402
from db.session import get_engine  # noqa: E402
from flows import ingest  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def prefect_api() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as local:
        yield local


def test_dask_runner_ingests_on_cluster_workers(cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sources = [str(p) for p in write_corpus(tmp_path / "corpus", 6, seed=11)]
    db_url = f"sqlite:///{tmp_path / 'dask.db'}"
    threads: list[str] = []
    lock = threading.Lock()

    def hook(outcome) -> None:  # type: ignore[no-untyped-def]
        with lock:
            threads.append(threading.current_thread().name)

    runner = DaskTaskRunner(address=cluster.scheduler_address)
    ingest.add_progress_hook(hook)
    try:
        summary = ingest.ingest_sources.with_options(task_runner=runner)(sources, db_url, "rules",
                                                                         trigger="dask")
    finally:
        ingest.remove_progress_hook(hook)

    assert [o.status for o in summary.outcomes] == ["added"] * len(sources)
    assert len(threads) == len(sources)
    assert all("Dask" in name for name in threads), threads
    with get_engine(db_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM documents")).scalar_one() == len(sources)
        run = conn.execute(text('SELECT "trigger", seen, added FROM ingest_runs')).one()
    assert tuple(run) == ("dask", len(sources), len(sources))

    again = ingest.ingest_sources.with_options(task_runner=DaskTaskRunner(address=cluster.scheduler_address))(
        sources, db_url, "rules", trigger="dask")
    assert {o.status for o in again.outcomes} == {"unchanged"}


def test_dask_runner_scheduled_cycle_as_prefect_flow(cluster, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The deployed flow itself, run once under Prefect with ``dask`` set in the config."""
    from flows.config import FolderSource, ServeConfig
    from flows.serve import config_to_parameters, scheduled_ingest

    folder = tmp_path / "watched"
    write_corpus(folder, 3, seed=5)
    db_url = f"sqlite:///{tmp_path / 'cycle.db'}"
    config = ServeConfig(db=db_url, dask=cluster.scheduler_address, folders=(FolderSource(str(folder)),))
    counts = scheduled_ingest(config_to_parameters(config))
    assert counts["added"] == 3 and counts["failed"] == 0
    write_corpus(folder, 4, seed=5)  # same first three files, one more
    counts = scheduled_ingest(config_to_parameters(config))
    assert (counts["added"], counts["skipped_files"]) == (1, 3)
    with get_engine(db_url).connect() as conn:
        runs = conn.execute(text('SELECT "trigger", added FROM ingest_runs ORDER BY id')).all()
    assert [tuple(r) for r in runs] == [("schedule", 3), ("schedule", 1)]
