"""Database faults as one line each: which database (password and query hidden) and why.

A driver error carries a multi-line message and an SQLAlchemy help link; the
CLI prints ``str()`` of these instead.  :func:`classify` maps a DB-API or
SQLAlchemy error to one of them (or ``None`` for an error that is about the
statement, not the database); ``db.session`` installs it as the engine's
``handle_error`` hook, so every engine-level fault arrives already named.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class DatabaseError(Exception):
    """The database cannot be used.  ``database`` is the display label, ``cause`` the reason."""

    summary = "cannot use database"

    def __init__(self, database: str, cause: str = "") -> None:
        self.database = database
        self.cause = cause
        super().__init__(f"{self.summary} {database}" + (f": {cause}" if cause else ""))

    def __reduce__(self) -> tuple[type[DatabaseError], tuple[str, str]]:
        """Pickle by (database, cause): a Prefect or Dask worker re-raises the same one line."""
        return (type(self), (self.database, self.cause))


class DatabaseUnreachable(DatabaseError):
    summary = "cannot reach database"


class AuthenticationFailed(DatabaseError):
    summary = "authentication failed for database"


class DatabaseMissing(DatabaseError):
    summary = "no database at"


class DatabaseReadOnly(DatabaseError):
    summary = "cannot write to read-only database"


class DatabaseLocked(DatabaseError):
    summary = "database is locked"


class DatabaseFull(DatabaseError):
    """The disk (or filesystem) holding the database is full: the transaction was rolled back."""

    summary = "disk full for database"


class SchemaNotCurrent(DatabaseError):
    """The schema is older than this code (or absent): a writer must migrate it first."""

    summary = "database schema is not current in"


class SchemaTooNew(DatabaseError):
    """A newer claimledger migrated this database; this code must not touch it."""

    summary = "database schema is newer than this claimledger in"


def display_url(url: str) -> str:
    """A URL safe to print: a SQLite file as its path; else no password and no query string."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return re.sub(r"//([^:/@]*):[^@/]*@", r"//\1:***@", url.split("?", 1)[0])
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ":memory:"
        return database.removeprefix("file:")
    bare = parsed._replace(query={}, drivername=parsed.get_backend_name())
    return bare.render_as_string(hide_password=True)


# (needle in the lower-cased driver message, exception class, cause printed)
_CAUSES: tuple[tuple[str, type[DatabaseError], str], ...] = (
    ("password authentication failed", AuthenticationFailed, "password authentication failed"),
    ("no password supplied", AuthenticationFailed, "no password supplied"),
    ("role \"", AuthenticationFailed, "the role does not exist"),
    ("authentication failed", AuthenticationFailed, "authentication failed"),
    ("pg_hba.conf", AuthenticationFailed, "the server does not accept this user from here"),
    ("does not exist", DatabaseMissing, "the database does not exist (create it, or fix --db)"),
    ("connection refused", DatabaseUnreachable, "connection refused (is the server running?)"),
    ("could not translate host name", DatabaseUnreachable, "unknown host"),
    ("name or service not known", DatabaseUnreachable, "unknown host"),
    ("timeout expired", DatabaseUnreachable, "connection timed out"),
    ("no route to host", DatabaseUnreachable, "no route to host"),
    ("network is unreachable", DatabaseUnreachable, "network is unreachable"),
    ("server closed the connection", DatabaseUnreachable, "the server closed the connection"),
    ("terminating connection due to administrator command", DatabaseUnreachable,
     "the server closed the connection (restarted or terminated it)"),
    ("consuming input failed", DatabaseUnreachable, "the server closed the connection"),
    ("database or disk is full", DatabaseFull, "no space left on the device; nothing of this transaction was kept"),
    ("no space left on device", DatabaseFull, "no space left on the device; nothing of this transaction was kept"),
    ("readonly database", DatabaseReadOnly, "the file or its directory is read-only"),
    ("read-only", DatabaseReadOnly, "the database is read-only"),
    ("database is locked", DatabaseLocked, "another process held the write lock beyond the timeout"),
    ("lock timeout", DatabaseLocked, "another process held the lock beyond the timeout"),
    ("unable to open database file", DatabaseUnreachable,
     "cannot open the file (missing directory or no permission)"),
)


def classify(exc: BaseException, url: str) -> DatabaseError | None:
    """The named fault behind ``exc``, or ``None`` when it is about a statement (syntax, constraint).

    Only operational errors are considered: an IntegrityError stays one, so the
    store's same-bytes race handling still sees it.
    """
    original = getattr(exc, "orig", None) or exc
    if not _operational(original):
        return None
    message = str(original).lower()
    for needle, kind, cause in _CAUSES:
        if needle in message:
            return kind(display_url(url), cause)
    return None


# SQLSTATEs worth one more attempt of the same transaction: serialization failure, deadlock,
# the server shutting down or terminating the backend (a restart, pg_terminate_backend).
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "57P01", "57P02", "57P03"})
_TRANSIENT_CAUSES = frozenset({"the server closed the connection",
                               "the server closed the connection (restarted or terminated it)"})


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` (or what it was raised from) is a fault that a fresh attempt can get past.

    A dropped connection, a serialization failure or a deadlock lose only the
    transaction at hand; rerunning it on a new connection usually succeeds.
    Everything else (a full disk, a lock held beyond the timeout, a refused
    connection, a constraint) would fail the same way again.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DatabaseUnreachable) and current.cause in _TRANSIENT_CAUSES:
            return True
        if getattr(current, "connection_invalidated", False):
            return True  # SQLAlchemy saw the connection drop (a disconnect error)
        if getattr(current, "sqlstate", None) in _TRANSIENT_SQLSTATES:
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False


def _operational(exc: BaseException) -> bool:
    name = type(exc).__name__
    if name in ("OperationalError", "LockNotAvailable", "ReadOnlySqlTransaction"):
        return True
    return any(c.__name__ == "OperationalError" for c in type(exc).__mro__)


def missing_sqlite_file(url: str) -> DatabaseMissing | None:
    """:class:`DatabaseMissing` for a SQLite file that does not exist (readers never create one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = (parsed.database or "").removeprefix("file:")
    if not database or database == ":memory:" or Path(database).exists():
        return None
    return DatabaseMissing(database, "run 'claimledger ingest' first, or pass --db")
