"""Two ingest runs at once over the same documents, on SQLite and PostgreSQL.

Whatever the interleaving, each document is stored once, every stored
document has its whole extraction, and the run that loses a race reports
"unchanged" rather than a failure.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from benchmarks.corpus import write_corpus
from db.incremental import save_document_once
from db.migrate import upgraded_engine
from db.session import get_engine, session_scope
from db.store import save_document
from extractors.document import extract_document
from flows.ingest import LOCAL_STEPS, ingest_sources_local, process_source

CHILD_TABLES = ("sentences", "claims", "numeric_assertions", "footnotes", "pages")


def scalar(db_url: str, sql: str) -> int:
    with get_engine(db_url).connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def per_document_counts(db_url: str) -> dict[str, tuple[int, ...]]:
    """source -> row counts in each child table: equal only if no extraction is half-written."""
    with get_engine(db_url).connect() as conn:
        sources = dict(conn.execute(text("SELECT id, source FROM documents")).all())
        counts = {}
        for doc_id, source in sources.items():
            counts[Path(source).name] = tuple(
                conn.execute(text(f"SELECT count(*) FROM {t} WHERE document_id = :d"), {"d": doc_id}).scalar_one()
                for t in CHILD_TABLES)
    return counts


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return [str(p) for p in write_corpus(tmp_path_factory.mktemp("corpus"), 8, seed=7)]


def run_in_threads(target, count: int = 2) -> list:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        barrier.wait()
        try:
            results[i] = target(i)
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


def test_concurrency_two_runs_store_each_document_once(db_url: str, corpus: list[str], tmp_path: Path) -> None:
    upgraded_engine(db_url)  # migrate once before the race
    summaries = run_in_threads(lambda i: ingest_sources_local(corpus if i == 0 else corpus[::-1], db_url))
    for summary in summaries:
        assert summary.failed == [], summary.failed
    statuses: dict[str, list[str]] = {}
    for summary in summaries:
        for outcome in summary.outcomes:
            statuses.setdefault(outcome.source, []).append(outcome.status)
    assert {s: sorted(v) for s, v in statuses.items()} == {s: ["added", "unchanged"] for s in corpus}
    assert scalar(db_url, "SELECT count(*) FROM documents") == len(corpus)
    assert scalar(db_url, "SELECT count(DISTINCT sha256) FROM documents") == len(corpus)
    assert scalar(db_url, "SELECT count(*) FROM ingest_runs WHERE finished IS NOT NULL") == 2

    serial_url = f"sqlite:///{tmp_path / 'serial.db'}"
    ingest_sources_local(corpus, serial_url, workers=1)
    assert per_document_counts(db_url) == per_document_counts(serial_url)


def test_concurrency_process_source_same_document(db_url: str, corpus: list[str]) -> None:
    upgraded_engine(db_url)
    outcomes = run_in_threads(lambda i: process_source(corpus[0], db_url, "rules", steps=LOCAL_STEPS), count=3)
    assert sorted(o.status for o in outcomes) == ["added", "unchanged", "unchanged"]
    assert len({o.document_id for o in outcomes}) == 1
    assert scalar(db_url, "SELECT count(*) FROM documents") == 1


def test_concurrency_lost_insert_race_reports_unchanged(db_url: str, corpus: list[str]) -> None:
    """Both writers see the sha as new; the one that commits second is told "unchanged".

    On PostgreSQL the second insert blocks on the unique index and raises
    IntegrityError once the first commits; on SQLite the second writer waits
    for the write lock and then finds the row.  Either way: one row, no failure.
    """
    engine = upgraded_engine(db_url)
    data = Path(corpus[1]).read_bytes()
    doc = extract_document(data, source=corpus[1])
    inserted = threading.Event()
    second_started = threading.Event()
    results: dict[str, object] = {}

    def first() -> None:
        with session_scope(engine) as session:
            results["first"] = save_document(session, doc)
            inserted.set()
            second_started.wait(10)
            time.sleep(0.5)  # let the second writer reach the unique index / write lock

    def second() -> None:
        inserted.wait(10)
        second_started.set()
        with session_scope(engine) as session:
            results["second"] = save_document_once(session, doc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert results["first"].status == "added"  # type: ignore[attr-defined]
    assert results["second"].status == "unchanged"  # type: ignore[attr-defined]
    assert results["second"].document_id == results["first"].document_id  # type: ignore[attr-defined]
    assert scalar(engine.url.render_as_string(hide_password=False), "SELECT count(*) FROM documents") == 1


def test_concurrency_writer_that_read_before_the_winner_committed_keeps_winner(pg_url: str,
                                                                                corpus: list[str]) -> None:
    """The interleaving that once made the loser delete the winner's extraction.

    The loser reads ``documents`` first (nothing there yet) and is held right
    after that read until the winner has committed the same bytes.  Under READ
    COMMITTED any later read of the loser sees the winner's row; the loser must
    then report "unchanged" and leave that row and its extraction alone.
    (PostgreSQL only: SQLite's BEGIN IMMEDIATE serialises the two writers.)
    """
    from sqlalchemy import event

    engine = upgraded_engine(pg_url)
    doc = extract_document(Path(corpus[2]).read_bytes(), source=corpus[2])
    loser_thread: list[int] = []
    winner_committed = threading.Event()
    held = threading.Event()

    @event.listens_for(engine, "after_cursor_execute")
    def hold_loser(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if (threading.get_ident() in loser_thread and not held.is_set()
                and statement.lstrip().upper().startswith("SELECT") and "documents" in statement):
            held.set()
            winner_committed.wait(20)

    results: dict[str, object] = {}

    def loser() -> None:
        loser_thread.append(threading.get_ident())
        with session_scope(engine) as session:
            results["loser"] = save_document_once(session, doc)

    def winner() -> None:
        held.wait(20)
        with session_scope(engine) as session:
            results["winner"] = save_document_once(session, doc)
        winner_committed.set()

    try:
        threads = [threading.Thread(target=loser), threading.Thread(target=winner)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        event.remove(engine, "after_cursor_execute", hold_loser)
    assert held.is_set()
    assert results["winner"].status == "added"  # type: ignore[attr-defined]
    assert results["loser"].status == "unchanged"  # type: ignore[attr-defined]
    winner_id = results["winner"].document_id  # type: ignore[attr-defined]
    assert results["loser"].document_id == winner_id  # type: ignore[attr-defined]
    assert scalar(pg_url, "SELECT count(*) FROM documents") == 1
    assert scalar(pg_url, f"SELECT count(*) FROM sentences WHERE document_id = {winner_id}") == len(doc.sentences)
