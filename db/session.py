"""Engines and sessions: the only place that knows how to connect.

The calling convention of ``db``: every function that reads or writes ORM
rows takes a :class:`~sqlalchemy.orm.Session` as its first argument and never
commits; the caller owns the transaction (``with session_scope(engine)``).
User SQL (``db.sql``) takes a read-only connection instead.  Creating an
engine never migrates: writers call :func:`db.migrate.upgrade` once per
process, readers call :func:`db.migrate.require_current`.

SQLite is the default (a file ``claimledger.db`` in the working directory).
It runs in WAL mode, and every write transaction starts with ``BEGIN
IMMEDIATE`` so that two writers (a scheduled run and a CLI run) queue on the
busy timeout instead of failing with "database is locked" when a reader
tries to upgrade to a writer mid-transaction (the pysqlite recipe from the
SQLAlchemy docs).  Driver errors about the database itself (unreachable,
authentication, missing, read-only, locked) are raised as the one-line
exceptions of :mod:`db.errors`.
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

from db.errors import classify

DEFAULT_DB_FILE = "claimledger.db"
ENV_VAR = "CLAIMLEDGER_DB"
TIMEOUT_ENV_VAR = "CLAIMLEDGER_DB_TIMEOUT"
DEFAULT_TIMEOUT_S = 60.0
PG_CONNECT_TIMEOUT_S = 10


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


def lock_timeout() -> float:
    """Seconds a writer waits for a lock (SQLite busy timeout, migration lock): ``$CLAIMLEDGER_DB_TIMEOUT``.

    Past it the wait ends in :class:`db.errors.DatabaseLocked` instead of hanging.
    """
    raw = os.environ.get(TIMEOUT_ENV_VAR)
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_TIMEOUT_S
    except ValueError:
        raise DatabaseUrlError(f"${TIMEOUT_ENV_VAR} must be a number of seconds, got {raw!r}") from None


def make_engine(url: str | None = None) -> Engine:
    """An engine for the store; connects lazily and never migrates (see :mod:`db.migrate`)."""
    resolved = resolve_url(url)
    if is_sqlite(resolved):
        timeout = lock_timeout()
        engine = create_engine(resolved, connect_args={"timeout": timeout, "check_same_thread": False})
        _configure_sqlite(engine, timeout)
    else:
        engine = create_engine(resolved, pool_pre_ping=True,
                               connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S})
    _name_faults(engine, resolved)
    return engine


def _name_faults(engine: Engine, url: str) -> None:
    """Turn driver errors about the database (not the statement) into :mod:`db.errors` exceptions."""

    @event.listens_for(engine, "handle_error")
    def _on_error(context) -> BaseException | None:  # type: ignore[no-untyped-def]
        if context.is_pre_ping:
            return None  # the pool reconnects; a real failure surfaces on that connect
        return classify(context.original_exception, url)


def _configure_sqlite(engine: Engine, timeout_s: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy control BEGIN (pysqlite's implicit transactions break it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(timeout_s * 1000)}")
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
    """One engine per database per process (its connection pool is shared by the threads).

    It does not migrate: call :func:`db.migrate.upgrade` (writers) or
    :func:`db.migrate.require_current` (readers) on it first.
    """
    resolved = resolve_url(url)
    with _engines_lock:
        engine = _engines.get(resolved)
        if engine is None:
            engine = make_engine(resolved)
            _engines[resolved] = engine
        return engine


def dispose_engines() -> None:
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
