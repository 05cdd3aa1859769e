"""Migrations as an explicit, locked step (Alembic, on SQLite and PostgreSQL).

Writers (``ingest``, ``serve``, ``claimledger db upgrade``) call
:func:`upgrade` once per process before writing; readers (``report``,
``sql``, ``search``) call :func:`require_current` and stop with one line when
the schema is absent or old, instead of migrating as a side effect.

Any number of processes may start on an empty or outdated database at once:
the upgrade runs under a lock that spans processes and machines — a
transaction-level ``pg_advisory_xact_lock`` on PostgreSQL (taken on the
migration connection, released when that transaction commits, keyed by the
schema so test schemas do not wait for each other), a ``filelock`` lock file
beside the SQLite database.  The first process migrates; the others then
find the schema current and do nothing.  A schema newer than this code
(a revision not among its migrations) is :class:`~db.errors.SchemaTooNew`.

Alembic is imported only when something is migrated: checking a revision
reads the migration graph with :mod:`db.revisions`, so read-only commands
and a writer on a current database do not pay for importing it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import make_url

from db import revisions

from db.errors import (
    DatabaseLocked,
    DatabaseUnreachable,
    SchemaNotCurrent,
    SchemaTooNew,
    display_url,
    missing_sqlite_file,
)
from db.session import get_engine, lock_timeout

if TYPE_CHECKING:
    from alembic.config import Config

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LOCK_SUFFIX = ".migrate.lock"


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest revision this code knows."""
    return revisions.head()


def current_revision(connection: Connection) -> str | None:
    """The database's revision (``None`` when it was never migrated)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(found) > 1:
        raise SchemaTooNew(display_url(connection.engine.url.render_as_string(hide_password=False)),
                           f"several revisions at once ({', '.join(sorted(found))}); "
                           "this code knows one chain")
    return found[0] if found else None


def check_revision(revision: str | None, database: str) -> None:
    """:class:`SchemaNotCurrent` unless ``revision`` is this code's head; :class:`SchemaTooNew` if unknown.

    Shared by the ORM readers and the raw read-only connections of ``db.sql``.
    """
    head = head_revision()
    if revision == head:
        return
    if revision is not None and not revisions.is_known(revision):
        raise SchemaTooNew(database, f"revision {revision} is not among this code's migrations "
                                     f"(head {head}); upgrade claimledger")
    found = "never migrated" if revision is None else f"at revision {revision}, this code needs {head}"
    raise SchemaNotCurrent(database, f"{found}; run 'claimledger db upgrade' (or 'claimledger ingest')")


def require_current(engine: Engine) -> None:
    """For readers: the database exists and is at this code's head; never creates or migrates."""
    url = engine.url.render_as_string(hide_password=False)
    if (missing := missing_sqlite_file(url)) is not None:
        raise missing
    with engine.connect() as connection:
        check_revision(current_revision(connection), display_url(url))


def upgrade(engine: Engine) -> None:
    """Apply every pending migration under the cross-process lock; cheap when current.

    Call it once per writing process, before the first write.
    """
    url = engine.url.render_as_string(hide_password=False)
    with _sqlite_file_lock(url), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            _pg_advisory_lock(connection, display_url(url))
        revision = current_revision(connection)
        if revision is not None and not revisions.is_known(revision):
            check_revision(revision, display_url(url))  # raises SchemaTooNew
        if revision == head_revision():
            return
        logger.info("migrating %s from %s to %s", display_url(url), revision or "empty", head_revision())
        from alembic import command

        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def upgraded_engine(url: str | None = None) -> Engine:
    """The process's engine for ``url`` after :func:`upgrade`: how a writing process starts."""
    engine = get_engine(url)
    upgrade(engine)
    return engine


@contextmanager
def _sqlite_file_lock(url: str) -> Iterator[None]:
    """A lock file beside a SQLite database (created with its directory); nothing otherwise."""
    parsed = make_url(url)
    database = (parsed.database or "").removeprefix("file:")
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        yield
        return
    path = Path(database)
    lock = FileLock(str(path) + LOCK_SUFFIX)
    timeout = lock_timeout()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout=timeout)
    except Timeout:
        raise DatabaseLocked(display_url(url), f"another process held the migration lock "
                                               f"{path.name}{LOCK_SUFFIX} beyond {timeout:g} s") from None
    except OSError as exc:  # a path through a file, a directory this user cannot write
        raise DatabaseUnreachable(display_url(url), f"cannot create {path.parent} or the lock file there "
                                                    f"({exc.strerror or exc})") from None
    try:
        yield
    finally:
        lock.release()


def _pg_advisory_lock(connection: Connection, database: str) -> None:
    """Wait (at most the lock timeout) for the schema's migration lock; it ends with the transaction."""
    timeout_ms = int(lock_timeout() * 1000)
    connection.execute(text(f"SET LOCAL lock_timeout = {timeout_ms}"))
    try:
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('claimledger.migrate:' "
                                "|| current_schema()))"))
    except DatabaseLocked:
        raise DatabaseLocked(database, f"another process held the migration lock beyond "
                                       f"{timeout_ms / 1000:g} s") from None
    connection.execute(text("SET LOCAL lock_timeout = 0"))


VIEW_NAMES = frozenset({"claim_overview", "uncited_claims", "dangling_footnotes",
                        "numbers_by_subject", "findings_by_document", "citation_usage", "figure_overview"})


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Autogenerate must not propose dropping what migrations create by hand (views, search index)."""
    if type_ == "table" and reflected and compare_to is None:
        return not (name or "").startswith("search_index") and name not in VIEW_NAMES
    return True
