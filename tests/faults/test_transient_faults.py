"""Transient PostgreSQL faults during a run are retried for the document at hand (issue 16).

Each fault is produced by the real server inside the document's own
transaction, after its rows were written and before the commit:

- the backend is terminated with ``pg_terminate_backend`` (what a server
  restart looks like to the client; the machine's server itself is shared
  and never restarted by a test), and
- the server raises SQLSTATE 40P01 (deadlock) or 40001 (serialization
  failure) from a ``DO`` block.

The run finishes, every document lands whole and once, and a fault that
never clears ends in a failed outcome naming the database and the cause in
one line, with exit status 1 and nothing of that document kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import db.incremental
from conftest import PG_ADMIN_URL
from db.session import get_engine
from flows.ingest import ingest_sources_local

DOCUMENTS = {
    "grid.md": "---\ntitle: Grid\n---\n\nThe grid added 12 GW of battery storage in 2024, twice the 2023 figure.\n",
    "compute.md": "---\ntitle: 算力\n---\n\n据统计，截至2024年底，全国智能算力规模为280 EFLOPS，同比增长30%。\n",
    "jobs.md": "---\ntitle: Jobs\n---\n\nAbout 1.2 million jobs were created in 2023, up 8% on 2022.\n",
}
CHILD_TABLES = ("sentences", "claims", "numeric_assertions", "pages")


def _terminate_own_backend(session: Session) -> None:
    """Kill this transaction's server process from another connection (a restart, as the client sees it)."""
    pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0] is True


def _raise_sqlstate(code: str) -> Callable[[Session], None]:
    def fault(session: Session) -> None:
        session.execute(text(f"DO $$ BEGIN RAISE EXCEPTION 'injected' USING ERRCODE = '{code}'; END $$"))
    return fault


FAULTS = {"terminated-backend": _terminate_own_backend, "deadlock": _raise_sqlstate("40P01"),
          "serialization-failure": _raise_sqlstate("40001")}


@pytest.fixture()
def sources(tmp_path: Path) -> list[str]:
    paths = []
    for name, body in DOCUMENTS.items():
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        paths.append(str(path))
    return paths


@pytest.fixture()
def fault_after_write(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, Callable[[Session], None], int], list[str]]]:
    """Install ``fault`` after the rows of the document named ``target`` are written, ``times`` times."""

    def install(target: str, fault: Callable[[Session], None], times: int) -> list[str]:
        real = db.incremental.save_document
        fired: list[str] = []

        def save_then_fault(session: Session, doc, **options):  # type: ignore[no-untyped-def]
            result = real(session, doc, **options)
            if Path(doc.source).name == target and len(fired) < times:
                fired.append(doc.source)
                fault(session)
            return result

        monkeypatch.setattr(db.incremental, "save_document", save_then_fault)
        monkeypatch.setattr("db.session.RETRY_BASE_DELAY_S", 0.01)
        return fired

    yield install


def _counts(url: str) -> dict[str, tuple[int, ...]]:
    """file name -> rows per child table (whole documents only have all of them)."""
    with get_engine(url).connect() as conn:
        docs = conn.execute(text("SELECT id, source FROM documents")).all()
        return {Path(source).name: tuple(
            conn.execute(text(f"SELECT count(*) FROM {t} WHERE document_id = :d"), {"d": doc_id}).scalar_one()
            for t in CHILD_TABLES) for doc_id, source in docs}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_transient_fault_mid_document_is_retried_and_the_run_finishes(
        pg_url: str, sources: list[str], fault: str, fault_after_write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fired = fault_after_write("compute.md", FAULTS[fault], 1)
    summary = ingest_sources_local(sources, pg_url, workers=1)
    assert len(fired) == 1, "the fault was never injected"
    assert [(Path(o.source).name, o.status, o.reason) for o in summary.outcomes] == [
        (name, "added", None) for name in DOCUMENTS]
    faulted = _counts(pg_url)

    clean = f"sqlite:///{tmp_path / 'clean.db'}"  # the same files without any fault
    ingest_sources_local(sources, clean, workers=1)
    assert faulted == _counts(clean) and all(all(c) for c in faulted.values() if c[1]), faulted


def test_transient_fault_that_never_clears_fails_that_document_in_one_line(
        pg_url: str, sources: list[str], fault_after_write) -> None:  # type: ignore[no-untyped-def]
    from flows.cli import app

    fired = fault_after_write("compute.md", _terminate_own_backend, 100)
    result = CliRunner().invoke(app, ["ingest", *sources, "--db", pg_url, "--prefect", "off"])
    assert result.exit_code == 1, result.output
    assert len(fired) == 4  # db.session.RETRY_ATTEMPTS, each one a whole fresh transaction
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error {sources[1]}: transient fault did not clear on database postgresql://"), errors
    assert errors[0].endswith("the server closed the connection (restarted or terminated it) (gave up after 4 attempts)"), errors
    assert "search_path" not in result.stderr and "Traceback" not in result.stderr
    assert sorted(_counts(pg_url)) == ["grid.md", "jobs.md"]  # nothing of compute.md was kept
    with get_engine(pg_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ingest_failures")).scalar_one() == 1
