"""N ingests started at the same moment on an empty database all succeed (issue 16).

Before migrations were a locked step, two processes on a fresh PostgreSQL
database both ran ``CREATE TABLE alembic_version`` and one failed every time
(``UniqueViolation ... pg_type_typname_nsp_index``); the other concurrency
tests start from a migrated database and never saw it.  Here every child
process imports everything first, waits at a file barrier, and only then
starts its ingest (``flows.ingest.ingest_sources_local``, the ``--prefect off``
path), so all of them reach the migration step together.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from conftest import ROOT
from extractors.document import extract_document

PROCESSES = (2, 8)  # the issue: two and eight concurrent first starts
DEADLINE_S = 240  # the whole test, imports of up to eight processes on a busy 2-core machine included

CHILD = r"""
import hashlib, json, pickle, sys, time
from pathlib import Path

import flows.ingest

url, barrier, index, *sources = sys.argv[1:]
barrier = Path(barrier)
# Extraction is not what races here: read the parent's (loading the NLP models takes ~8 s a process).
extracted = pickle.loads((barrier / "extracted.pickle").read_bytes())
assert callable(flows.ingest.extract_document), "flows.ingest no longer calls extract_document"
flows.ingest.extract_document = lambda data, **_options: extracted[hashlib.sha256(data).hexdigest()]
(barrier / f"ready-{index}").touch()
while not (barrier / "go").exists():
    time.sleep(0.002)
summary = flows.ingest.ingest_sources_local(sources, url, workers=1)
print(json.dumps([[o.source, o.status, o.reason] for o in summary.outcomes]))
"""

DOCUMENTS = {
    "compute.md": "---\ntitle: 算力\n---\n\n据统计，截至2024年底，全国智能算力规模为280 EFLOPS。\n",
    "storage.md": "---\ntitle: Storage\n---\n\nThe grid added 12 GW of battery storage in 2024, "
                  "twice the 2023 figure.\n",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with no tables at all (a fresh SQLite path, a fresh PostgreSQL schema)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'first.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], bytes]:
    """The sources, and their extractions keyed by the sha256 of their bytes (extracted once, here)."""
    folder = tmp_path_factory.mktemp("documents")
    sources, extracted = [], {}
    for name, body in DOCUMENTS.items():
        path = folder / name
        path.write_text(body, encoding="utf-8")
        sources.append(str(path))
        data = path.read_bytes()
        extracted[hashlib.sha256(data).hexdigest()] = extract_document(data, source=str(path))
    return sources, pickle.dumps(extracted)


def _start_together(url: str, sources: list[str], barrier: Path, processes: int) -> list[subprocess.Popen[str]]:
    env = {**os.environ, "CLAIMLEDGER_HOME": str(barrier / "home")}
    children = [subprocess.Popen([sys.executable, "-c", CHILD, url, str(barrier), str(i), *sources],
                                 cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
                for i in range(processes)]
    deadline = time.monotonic() + DEADLINE_S / 2
    while len(list(barrier.glob("ready-*"))) < processes:
        if time.monotonic() > deadline or any(c.poll() is not None for c in children):
            for child in children:
                child.kill()
            pytest.fail("a child process died or never got ready: "
                        + " | ".join(c.communicate()[1][-500:] for c in children))
        time.sleep(0.01)
    (barrier / "go").touch()
    return children


@pytest.mark.parametrize("processes", PROCESSES)
def test_first_start_processes_racing_on_an_empty_database_all_succeed(
        empty_url: str, documents: tuple[list[str], bytes], tmp_path: Path, processes: int) -> None:
    sources, extracted = documents
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    (barrier / "extracted.pickle").write_bytes(extracted)
    children = _start_together(empty_url, sources, barrier, processes)
    outcomes = []
    for child in children:
        stdout, stderr = child.communicate(timeout=DEADLINE_S / 2)
        assert child.returncode == 0, stderr[-2000:]
        outcomes.extend(json.loads(stdout.strip().splitlines()[-1]))
    failed = [o for o in outcomes if o[1] == "failed"]
    assert failed == []
    for source in sources:  # each document stored by exactly one process, reported unchanged by the rest
        assert sorted(o[1] for o in outcomes if o[0] == source) == ["added"] + ["unchanged"] * (processes - 1)
    engine = create_engine(empty_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
            assert conn.execute(text("SELECT count(*) FROM documents")).scalar_one() == len(sources)
            assert conn.execute(text("SELECT count(DISTINCT sha256) FROM documents")).scalar_one() == len(sources)
            assert conn.execute(text("SELECT count(*) FROM ingest_runs WHERE finished IS NOT NULL")
                                ).scalar_one() == processes
    finally:
        engine.dispose()
