"""User SQL: one read-only SELECT/WITH query, time-limited, with named parameters.

This follows datasette: the statement is checked up front so the user gets a
clear reason (``InvalidSql``, ``ReadOnlyViolation``, ...), but the check is
only a courtesy.  The real guard is the connection: SQLite is opened with
``mode=ro`` plus ``PRAGMA query_only``, an authorizer that denies ATTACH,
DETACH and PRAGMA statements, and a progress-handler time limit;
PostgreSQL runs the query in a ``READ ONLY`` transaction with
``SET LOCAL statement_timeout`` and always rolls back.  A missing SQLite file
is refused: reading must never create a database.

Calling convention: :func:`connect_readonly` opens that guarded DB-API
connection (checking that the schema is current, so an old database says so
in one line instead of failing on a missing column) and :func:`run_query`
takes it as its first argument, like the ORM functions of ``db`` take a
session.  It is a raw driver connection rather than a SQLAlchemy engine
because the guards (``mode=ro``, the authorizer, the progress handler,
psycopg's ``read_only``) live on the driver connection.  Faults of the
database itself are the one-line exceptions of :mod:`db.errors`.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy.engine import make_url

from db.errors import DatabaseError, classify, display_url, missing_sqlite_file
from db.migrate import check_revision
from db.session import is_sqlite, resolve_url

logger = logging.getLogger(__name__)

DEFAULT_MAX_ROWS = 1000
DEFAULT_TIME_LIMIT_MS = 5000


@dataclass(frozen=True, slots=True)
class QueryResult:
    """Rows of one query; ``truncated`` means more rows existed than ``max_rows``."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool = False


class SqlError(Exception):
    """Query failed"""

    def __init__(self, detail: str | None = None) -> None:
        message = (self.__doc__ or "").strip()
        super().__init__(f"{message}: {detail}" if detail else message)


class InvalidSql(SqlError):
    """Statement must be a single SELECT or WITH query"""


class MultipleStatements(InvalidSql):
    """Only one statement can be run at a time"""


class ForbiddenStatement(InvalidSql):
    """ATTACH, DETACH, PRAGMA and VACUUM are not allowed (use pragma_table_info('t') to list columns)"""


class ReadOnlyViolation(InvalidSql):
    """Statements that write are refused (the connection is read-only)"""


class SqlSyntaxError(SqlError):
    """SQL syntax error"""


class UnknownName(SqlError):
    """Unknown table, view, column or function"""


class MissingParameter(SqlError):
    """Missing value for a :name parameter (pass it with --param name=value)"""


class QueryTimeout(SqlError):
    """Query took too long and was stopped"""


@dataclass(frozen=True, slots=True)
class ReadOnlyConnection:
    """A driver connection that cannot write: sqlite3 opened ``mode=ro`` or psycopg ``read_only``."""

    dbapi: Any
    dialect: str  # "sqlite" | "postgresql"
    database: str  # display label: a file path, or the URL without password and query


# --------------------------------------------------------------------------- statement check

_LEXER = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>[eE]?'(?:[^']|'')*(?:'|\Z))
  | (?P<dollar>\$(?P<tag>[A-Za-z_]*)\$.*?(?:\$(?P=tag)\$|\Z))
  | (?P<ident>"(?:[^"]|"")*(?:"|\Z)|`[^`]*(?:`|\Z)|\[[^\]]*(?:\]|\Z))
  | (?P<cast>::)
  | (?P<param>:[A-Za-z_]\w*)
  | (?P<word>[^\W\d]\w*)
  | (?P<semi>;)
  | (?P<other>.)
    """,
    re.S | re.X,
)

_WRITES = frozenset(
    "INSERT UPDATE DELETE MERGE UPSERT CREATE DROP ALTER TRUNCATE GRANT REVOKE COPY INTO".split()
)
_FORBIDDEN = frozenset("ATTACH DETACH PRAGMA VACUUM".split())
_STARTS = frozenset(("SELECT", "WITH"))


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str


def tokenize(sql: str) -> list[_Token]:
    """Lex just enough SQL to tell keywords from strings, quoted names and comments."""
    return [_Token(m.lastgroup or "other", m.group()) for m in _LEXER.finditer(sql)]


def _code(tokens: list[_Token]) -> list[_Token]:
    return [t for t in tokens if t.kind not in ("space", "comment")]


def check_statement(sql: str) -> list[_Token]:
    """Refuse anything but one SELECT/WITH statement, with the reason; returns its tokens."""
    tokens = tokenize(sql)
    code = _code(tokens)
    if not code:
        raise InvalidSql("the query is empty")
    semis = [i for i, t in enumerate(code) if t.kind == "semi"]
    if semis and any(t.kind != "semi" for t in code[semis[0]:]):
        raise MultipleStatements()
    words = [t.text for t in code if t.kind == "word"]
    first = words[0] if words else code[0].text
    _refuse_keywords(code, first.upper())
    if first.upper() not in _STARTS:
        raise InvalidSql(f"it starts with {first!r}")
    return tokens


def _refuse_keywords(code: list[_Token], first: str) -> None:
    if first in _FORBIDDEN:
        raise ForbiddenStatement(first)
    for i, token in enumerate(code):
        word = token.text.upper() if token.kind == "word" else ""
        if word in _FORBIDDEN:
            raise ForbiddenStatement(word)
        is_call = i + 1 < len(code) and code[i + 1].text == "("
        if word in _WRITES or (word == "REPLACE" and not is_call):
            raise ReadOnlyViolation(f"found {word}")


def parameter_names(tokens: list[_Token]) -> list[str]:
    return list(dict.fromkeys(t.text[1:] for t in tokens if t.kind == "param"))


def _check_params(tokens: list[_Token], params: dict[str, Any]) -> None:
    missing = [name for name in parameter_names(tokens) if name not in params]
    if missing:
        raise MissingParameter(", ".join(f":{name}" for name in missing))


# --------------------------------------------------------------------------- entry point


@contextmanager
def connect_readonly(db_url: str | None, *, check_schema: bool = True) -> Iterator[ReadOnlyConnection]:
    """The guarded read-only connection to ``db_url`` (closed on exit).

    ``check_schema`` refuses a database that is not at this code's newest
    migration (:class:`~db.errors.SchemaNotCurrent`); readers never migrate.
    """
    url = resolve_url(db_url)
    if is_sqlite(url):
        conn = ReadOnlyConnection(connect_sqlite_readonly(_sqlite_path(url)), "sqlite", display_url(url))
    else:
        conn = ReadOnlyConnection(_connect_postgres(url), "postgresql", display_url(url))
    try:
        if check_schema:
            check_revision(_revision(conn), conn.database)
        yield conn
    finally:
        conn.dbapi.close()


def _revision(conn: ReadOnlyConnection) -> str | None:
    """``alembic_version`` read without an error when the table is absent (PostgreSQL would abort)."""
    exists = ("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
              if conn.dialect == "sqlite" else "SELECT to_regclass('alembic_version')")
    cursor = conn.dbapi.cursor()
    try:
        present = cursor.execute(exists).fetchone()
        if not present or present[0] is None:
            return None
        row = cursor.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        cursor.close()
        conn.dbapi.rollback()


def run_query(
    conn: ReadOnlyConnection,
    sql: str,
    params: dict[str, Any] | None = None,
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
    time_limit_ms: int = DEFAULT_TIME_LIMIT_MS,
) -> QueryResult:
    """Run one read-only query on ``conn`` and return at most ``max_rows`` rows."""
    params = dict(params or {})
    tokens = check_statement(sql)
    _check_params(tokens, params)
    started = time.perf_counter()
    if conn.dialect == "sqlite":
        result = _run_sqlite(conn.dbapi, sql, params, max_rows, time_limit_ms)
    else:
        result = _run_postgres(conn.dbapi, tokens, params, max_rows, time_limit_ms)
    logger.debug("query returned %d rows in %.1f ms", len(result.rows),
                 (time.perf_counter() - started) * 1000)
    return result


def query(db_url: str | None, sql: str, params: dict[str, Any] | None = None, **limits: Any) -> QueryResult:
    """One query on a connection of its own (the CLI's ``sql``; tests)."""
    with connect_readonly(db_url) as conn:
        return run_query(conn, sql, params, **limits)


def _fetch(cursor: Any, max_rows: int) -> QueryResult:
    columns = [d[0] for d in cursor.description or ()]
    rows = [tuple(r) for r in cursor.fetchmany(max_rows + 1)] if columns else []
    return QueryResult(columns, rows[:max_rows], truncated=len(rows) > max_rows)


# --------------------------------------------------------------------------- SQLite


def _sqlite_path(url: str) -> Path:
    database = (make_url(url).database or "").removeprefix("file:")
    if not database or database == ":memory:":
        raise DatabaseError(":memory:", "an in-memory database has nothing to query")
    if (missing := missing_sqlite_file(url)) is not None:
        raise missing
    return Path(database)


_PRAGMAS_ABOUT_A_TABLE = frozenset(
    "table_info table_xinfo table_list index_list index_info index_xinfo foreign_key_list".split()
)
# Read-only when called without a value; FTS5 itself runs PRAGMA data_version.
_PRAGMAS_READ = frozenset(
    "data_version schema_version user_version application_id encoding page_size page_count "
    "freelist_count database_list function_list collation_list module_list pragma_list "
    "compile_options".split()
)


def _authorizer(action: int, arg1: str | None, arg2: str | None, _db: str | None,
                _trigger: str | None) -> int:
    """Deny what ``mode=ro`` alone lets through: ATTACH (it creates files), PRAGMA writes."""
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA:
        name = (arg1 or "").lower()
        if name in _PRAGMAS_ABOUT_A_TABLE or (name in _PRAGMAS_READ and arg2 is None):
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def connect_sqlite_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot write, attach or create anything."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    except sqlite3.OperationalError as exc:
        raise classify(exc, f"sqlite:///{path}") or DatabaseError(str(path), str(exc)) from exc
    conn.execute("PRAGMA query_only=1")
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    conn.set_authorizer(_authorizer)
    return conn


@contextmanager
def sqlite_timelimit(conn: sqlite3.Connection, ms: int) -> Iterator[None]:
    """Abort the running statement after ``ms`` milliseconds (datasette's recipe)."""
    deadline = time.perf_counter() + ms / 1000
    # Check often enough for small limits, rarely enough to cost nothing.
    every = 1000 if ms > 50 else 1

    def handler() -> int:
        return 1 if time.perf_counter() >= deadline else 0

    conn.set_progress_handler(handler, every)
    try:
        yield
    finally:
        conn.set_progress_handler(None, every)


def _run_sqlite(conn: sqlite3.Connection, sql: str, params: dict[str, Any], max_rows: int,
                time_limit_ms: int) -> QueryResult:
    try:
        with sqlite_timelimit(conn, time_limit_ms):
            return _fetch(conn.execute(sql, params), max_rows)
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, time_limit_ms) from exc


_SQLITE_ERRORS: list[tuple[str, Callable[[str], SqlError]]] = [
    ("no such table", UnknownName),
    ("no such column", UnknownName),
    ("no such function", UnknownName),
    ("syntax error", SqlSyntaxError),
    ("incomplete input", SqlSyntaxError),
    ("unrecognized token", SqlSyntaxError),
    ("readonly database", ReadOnlyViolation),
    ("not authorized", ReadOnlyViolation),
    ("authorization denied", ReadOnlyViolation),
    ("one statement at a time", lambda _m: MultipleStatements()),
    ("binding parameter", MissingParameter),
]


def _sqlite_error(exc: sqlite3.Error, time_limit_ms: int) -> SqlError:
    message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    if message == "interrupted":
        return QueryTimeout(f"limit is {time_limit_ms} ms")
    for needle, make in _SQLITE_ERRORS:
        if needle in message:
            return make(message)
    return SqlError(message)


# --------------------------------------------------------------------------- PostgreSQL


def _libpq_url(url: str) -> str:
    """SQLAlchemy's ``postgresql+psycopg://`` back to a libpq URI psycopg accepts."""
    return re.sub(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql://", url)


def to_pyformat(tokens: list[_Token]) -> str:
    """``:name`` to psycopg's ``%(name)s``; literal ``%`` doubled (strings included)."""
    parts = []
    for token in tokens:
        if token.kind == "param":
            parts.append(f"%({token.text[1:]})s")
        else:
            parts.append(token.text.replace("%", "%%"))
    return "".join(parts)


def _connect_postgres(url: str) -> Any:
    """A psycopg connection whose transactions are ``READ ONLY``."""
    import psycopg

    try:
        conn = psycopg.connect(_libpq_url(url), connect_timeout=10)
    except psycopg.OperationalError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise classify(exc, url) or DatabaseError(display_url(url), first_line) from exc
    conn.read_only = True
    return conn


def _run_postgres(conn: Any, tokens: list[_Token], params: dict[str, Any], max_rows: int,
                  time_limit_ms: int) -> QueryResult:
    import psycopg

    try:
        with conn.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {int(time_limit_ms)}")
            cursor.execute(to_pyformat(tokens), params)
            return _fetch(cursor, max_rows)
    except psycopg.Error as exc:
        raise _postgres_error(exc, time_limit_ms) from exc
    finally:
        with suppress(psycopg.Error):
            conn.rollback()


def _postgres_error(exc: Exception, time_limit_ms: int) -> SqlError:
    from psycopg import errors as pg

    message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    if isinstance(exc, pg.QueryCanceled):
        return QueryTimeout(f"limit is {time_limit_ms} ms")
    if isinstance(exc, (pg.ReadOnlySqlTransaction, pg.InsufficientPrivilege)):
        return ReadOnlyViolation(message)
    if isinstance(exc, pg.SyntaxError):
        return SqlSyntaxError(message)
    if isinstance(exc, (pg.UndefinedTable, pg.UndefinedColumn, pg.UndefinedFunction)):
        return UnknownName(message)
    return SqlError(message)
