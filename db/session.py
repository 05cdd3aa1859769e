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

import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from db.errors import DatabaseError, classify, is_transient

DEFAULT_DB_FILE = "claimledger.db"
ENV_VAR = "CLAIMLEDGER_DB"
TIMEOUT_ENV_VAR = "CLAIMLEDGER_DB_TIMEOUT"
DEFAULT_TIMEOUT_S = 60.0
PG_CONNECT_TIMEOUT_S = 10
RETRY_ATTEMPTS = 4
RETRY_BASE_DELAY_S = 0.25
T = TypeVar("T")
logger = logging.getLogger(__name__)


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


class RetriesExhausted(DatabaseError):
    """A transient fault (dropped connection, serialization failure, deadlock) outlasted every attempt."""

    summary = "transient fault did not clear on database"


def retry_delay(attempt: int, base_s: float = RETRY_BASE_DELAY_S) -> float:
    """Exponential backoff with full jitter: racing writers that deadlocked do not collide again in step."""
    return random.uniform(0, base_s * 2 ** (attempt - 1))


def in_transaction_retried(engine: Engine, work: Callable[[Session], T], *, attempts: int = RETRY_ATTEMPTS,
                           base_delay_s: float = RETRY_BASE_DELAY_S, label: str = "") -> T:
    """``work`` in one write transaction, rerun whole on a transient fault (up to ``attempts`` times).

    Each attempt is a fresh :func:`session_scope`: a failed one rolled back
    everything it wrote (the server drops an uncommitted transaction with its
    connection), so a rerun never sees half of a previous attempt.  The pool
    replaces the dropped connection (``pool_pre_ping``).  When every attempt
    failed, :class:`RetriesExhausted` names the database and the last cause in
    one line.  ``work`` must not commit and must be safe to rerun.
    """
    for attempt in range(1, attempts + 1):
        try:
            with session_scope(engine) as session:
                return work(session)
        except Exception as exc:
            if not is_transient(exc):
                raise
            cause = _one_line_cause(exc)
            if attempt == attempts:
                raise RetriesExhausted(_label(engine), f"{cause} (gave up after {attempts} attempts)") from exc
            logger.warning("%s: transient database fault (%s); attempt %d of %d again", label or "write",
                           cause, attempt + 1, attempts)
            time.sleep(retry_delay(attempt, base_delay_s))
    raise AssertionError("unreachable: the loop returns or raises")


def _label(engine: Engine) -> str:
    from db.errors import display_url

    return display_url(engine.url.render_as_string(hide_password=False))


def _one_line_cause(exc: BaseException) -> str:
    """The transient fault in a few words: the named cause, else the driver's first line."""
    if isinstance(exc, DatabaseError):
        return exc.cause or exc.summary
    original = getattr(exc, "orig", None) or exc
    first = (str(original).strip().splitlines() or [type(original).__name__])[0]
    return first


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
