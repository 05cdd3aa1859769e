"""Engines and sessions: the only place that knows how to connect.

SQLite is the default (a file ``claimledger.db`` in the working directory).
It runs in WAL mode, and every write transaction starts with ``BEGIN
IMMEDIATE`` so that two writers (a scheduled run and a CLI run) queue on the
busy timeout instead of failing with "database is locked" when a reader
tries to upgrade to a writer mid-transaction (the pysqlite recipe from the
SQLAlchemy docs).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

DEFAULT_DB_FILE = "claimledger.db"
ENV_VAR = "CLAIMLEDGER_DB"
SQLITE_BUSY_TIMEOUT_S = 60


class DatabaseUrlError(ValueError):
    """The database URL cannot be used."""


def resolve_url(url: str | None = None) -> str:
    """``--db`` wins, then ``$CLAIMLEDGER_DB``, then ./claimledger.db.

    A bare path is accepted as a SQLite file; ``postgresql://`` URLs use psycopg 3.
    """
    chosen = url or os.environ.get(ENV_VAR) or DEFAULT_DB_FILE
    if "://" not in chosen:
        return f"sqlite:///{Path(chosen).expanduser().resolve()}"
    if chosen.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + chosen.split("://", 1)[1]
    return chosen


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


class DatabaseMissing(ValueError):
    """There is no database at that location yet."""


def require_existing(url: str | None = None) -> str:
    """The resolved URL, or :class:`DatabaseMissing` for a SQLite file that does not exist.

    Readers (reports, SQL) must not create an empty database as a side effect.
    """
    resolved = resolve_url(url)
    if is_sqlite(resolved):
        database = make_url(resolved).database
        if database and database != ":memory:" and not Path(database).exists():
            raise DatabaseMissing(f"no database at {database} (run 'claimledger ingest' first, or pass --db)")
    return resolved


def make_engine(url: str | None = None) -> Engine:
    """A read-write engine for the store."""
    resolved = resolve_url(url)
    if is_sqlite(resolved):
        database = make_url(resolved).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            resolved, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(resolved, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy control BEGIN (pysqlite's implicit transactions break it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() not in ("wal", "memory"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        read_only = conn.get_execution_options().get("claimledger_read_only", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One transaction: commit on success, roll back everything on any error.

    ``write=False`` takes no write lock on SQLite (a plain deferred BEGIN).
    """
    bind = engine if write else engine.execution_options(claimledger_read_only=True)
    with Session(bind, expire_on_commit=False) as session, session.begin():
        yield session


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def get_engine(url: str | None = None) -> Engine:
    """One engine per database per process, migrated to the newest schema on first use."""
    resolved = resolve_url(url)
    with _engines_lock:
        engine = _engines.get(resolved)
        if engine is None:
            from db.migrate import upgrade

            engine = make_engine(resolved)
            upgrade(engine)
            _engines[resolved] = engine
        return engine


def dispose_engines() -> None:
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
