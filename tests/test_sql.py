"""User SQL: read-only on both backends, one SELECT/WITH, clear one-line errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from typer.testing import CliRunner

from db import sql as user_sql
from db.errors import DatabaseMissing
from db.migrate import upgraded_engine
from db.session import session_scope
from db.sql import (
    ForbiddenStatement,
    InvalidSql,
    MissingParameter,
    MultipleStatements,
    QueryTimeout,
    ReadOnlyViolation,
    SqlError,
    SqlSyntaxError,
    UnknownName,
    connect_readonly,
)
from db.sql import query as run_query



@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database holding one document."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sql') / 'claimledger.db'}"
    else:
        url = request.getfixturevalue("pg_schema_url")
    with session_scope(upgraded_engine(url)) as session:
        session.execute(text(
            "INSERT INTO documents (source, sha256, kind, title, text, body_end, raw_text, "
            "offset_map, extractor_version, ingested_at) VALUES ('a.md', 'abc', 'markdown', "
            "'报告', '算力增长', 4, '算力增长', '[]', 'test', CURRENT_TIMESTAMP)"))
    return url


def _document_count(url: str) -> int:
    return run_query(url, "SELECT COUNT(*) FROM documents").rows[0][0]


REFUSED = [
    ("INSERT INTO documents (source) VALUES ('x')", ReadOnlyViolation, "found INSERT"),
    ("UPDATE documents SET title = 'x'", ReadOnlyViolation, "found UPDATE"),
    ("DELETE FROM documents", ReadOnlyViolation, "found DELETE"),
    ("REPLACE INTO documents (id) VALUES (1)", ReadOnlyViolation, "found REPLACE"),
    ("WITH gone AS (DELETE FROM documents RETURNING id) SELECT * FROM gone", ReadOnlyViolation,
     "found DELETE"),
    ("with x as (select 1) insert into documents (id) select * from x", ReadOnlyViolation,
     "found INSERT"),
    ("SELECT * INTO copy_of_documents FROM documents", ReadOnlyViolation, "found INTO"),
    ("SELECT * FROM documents FOR UPDATE", ReadOnlyViolation, "found UPDATE"),
    ("DROP TABLE documents", ReadOnlyViolation, "found DROP"),
    ("CREATE TABLE t (x int)", ReadOnlyViolation, "found CREATE"),
    ("ALTER TABLE documents ADD COLUMN x int", ReadOnlyViolation, "found ALTER"),
    ("ATTACH DATABASE 'other.db' AS other", ForbiddenStatement, "ATTACH"),
    ("DETACH DATABASE other", ForbiddenStatement, "DETACH"),
    ("PRAGMA query_only = 0", ForbiddenStatement, "PRAGMA"),
    ("pragma table_info(documents)", ForbiddenStatement, "pragma_table_info"),
    ("VACUUM", ForbiddenStatement, "VACUUM"),
    ("VACUUM INTO 'copy.db'", ForbiddenStatement, "VACUUM"),
    ("SELECT 1; DELETE FROM documents", MultipleStatements, "one statement"),
    ("SELECT 1; SELECT 2", MultipleStatements, "one statement"),
    ("BEGIN", InvalidSql, "it starts with 'BEGIN'"),
    ("EXPLAIN SELECT 1", InvalidSql, "SELECT or WITH"),
    ("   -- nothing\n", InvalidSql, "empty"),
]


@pytest.mark.parametrize(("sql", "error", "fragment"), REFUSED)
def test_sql_refused_statements(db_url: str, sql: str, error: type[SqlError], fragment: str) -> None:
    with pytest.raises(error) as info:
        run_query(db_url, sql)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)
    assert _document_count(db_url) == 1


@pytest.mark.parametrize("sql", [
    "SELECT replace(title, '报', 'x') FROM documents",  # replace() the function is a read
    "SELECT 'DELETE FROM documents; DROP TABLE x' AS s",  # keywords inside a string
    'SELECT 1 AS "insert"',  # ... or inside a quoted name
    "SELECT 1 -- ; DELETE FROM documents",  # ... or a comment
    "WITH t AS (SELECT id FROM documents) SELECT * FROM t;",  # one trailing semicolon
    "select count(*) from documents",
])
def test_sql_allowed_statements(db_url: str, sql: str) -> None:
    assert run_query(db_url, sql).rows


def test_sql_returns_columns_and_rows(db_url: str) -> None:
    result = run_query(db_url, 'SELECT title, body_end, "end" FROM documents '
                               'CROSS JOIN (SELECT 7 AS "end") AS e')
    assert result.columns == ["title", "body_end", "end"]
    assert result.rows == [("报告", 4, 7)]
    assert result.truncated is False


def test_sql_parameters_bind_by_name(db_url: str) -> None:
    result = run_query(db_url, "SELECT title FROM documents WHERE source = :source AND 'a:b' = 'a:b' "
                               "AND title LIKE '%' || :part || '%'", {"source": "a.md", "part": "报"})
    assert result.rows == [("报告",)]
    assert run_query(db_url, "SELECT title FROM documents WHERE source = :source",
                     {"source": "other.md"}).rows == []


def test_sql_missing_parameter(db_url: str) -> None:
    with pytest.raises(MissingParameter, match=":source"):
        run_query(db_url, "SELECT * FROM documents WHERE source = :source", {"other": "x"})


def test_sql_truncates_at_max_rows(db_url: str) -> None:
    sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x FROM c"
    result = run_query(db_url, sql, max_rows=3)
    assert result.rows == [(1,), (2,), (3,)]
    assert result.truncated is True
    assert run_query(db_url, sql, max_rows=5).truncated is False


def test_sql_time_limit(db_url: str) -> None:
    endless = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
               "SELECT COUNT(*) FROM c")
    started = time.perf_counter()
    with pytest.raises(QueryTimeout, match="300 ms"):
        run_query(db_url, endless, time_limit_ms=300)
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(("sql", "error", "fragment"), [
    ("SELECT * FROM no_such_table", UnknownName, "no_such_table"),
    ("SELECT no_such_column FROM documents", UnknownName, "no_such_column"),
    ("SELECT FROM WHERE", SqlSyntaxError, "syntax error"),
    ("SELECT (1", SqlSyntaxError, "SQL syntax error"),
])
def test_sql_database_errors_are_one_line(db_url: str, sql: str, error: type[SqlError],
                                          fragment: str) -> None:
    with pytest.raises(error) as info:
        run_query(db_url, sql)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


# --------------------------------------------------------------------------- the connection is the guard


@pytest.mark.parametrize("sql", [
    "INSERT INTO documents (source) VALUES ('x')",
    "DELETE FROM documents",
    "CREATE TEMP TABLE t (x)",
    "ATTACH DATABASE '{dir}/attached.db' AS a",
    "VACUUM INTO '{dir}/copy.db'",
    "PRAGMA query_only = 0",
    "SELECT * FROM pragma_journal_mode('delete')",
])
def test_sql_sqlite_connection_refuses_writes_without_the_check(tmp_path: Path, sql: str) -> None:
    """Even a statement that slipped past check_statement cannot write or create files."""
    path = tmp_path / "ro.db"
    upgraded_engine(f"sqlite:///{path}")
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(SqlError), connect_readonly(str(path)) as conn:
        user_sql._run_sqlite(conn.dbapi, sql.format(dir=tmp_path), {}, 10, 1000)
    created = set(p.name for p in tmp_path.iterdir()) - set(before) - {"ro.db-wal", "ro.db-shm"}
    assert not created
    assert run_query(str(path), "SELECT COUNT(*) FROM documents").rows == [(0,)]


@pytest.mark.parametrize("sql", [
    "INSERT INTO documents (source) VALUES ('x')",
    "WITH gone AS (DELETE FROM documents RETURNING id) SELECT * FROM gone",
    "SELECT nextval('documents_id_seq')",
    "CREATE TABLE t (x int)",
])
def test_sql_postgres_read_only_transaction_without_the_check(pg_schema_url: str, sql: str) -> None:
    upgraded_engine(pg_schema_url)
    with pytest.raises(ReadOnlyViolation, match="read-only transaction"), \
            connect_readonly(pg_schema_url) as conn:
        user_sql._run_postgres(conn.dbapi, user_sql.tokenize(sql), {}, 10, 1000)


def test_sql_postgres_statement_timeout(pg_schema_url: str) -> None:
    upgraded_engine(pg_schema_url)
    started = time.perf_counter()
    with pytest.raises(QueryTimeout):
        run_query(pg_schema_url, "SELECT pg_sleep(5)", time_limit_ms=300)
    assert time.perf_counter() - started < 3


def test_sql_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    with pytest.raises(DatabaseMissing, match="absent.db"):
        run_query(str(path), "SELECT 1")
    assert not path.exists()


def test_sql_pragma_functions_that_read_are_allowed(tmp_path: Path) -> None:
    path = tmp_path / "info.db"
    upgraded_engine(f"sqlite:///{path}")
    result = run_query(str(path), "SELECT name FROM pragma_table_info('claims') WHERE name = 'end'")
    assert result.rows == [("end",)]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("SELECT WITHINSRDAUP;'\"-/*()`[]$:1xé算 \n")), max_size=40))
def test_sql_check_statement_only_raises_named_errors(sql: str) -> None:
    try:
        user_sql.check_statement(sql)
    except SqlError:
        pass


# --------------------------------------------------------------------------- CLI


def test_sql_cli_prints_rows_and_one_line_errors(tmp_path: Path) -> None:
    from flows.cli import app

    path = tmp_path / "cli.db"
    upgraded_engine(f"sqlite:///{path}")
    runner = CliRunner()
    ok = runner.invoke(app, ["sql", "SELECT :x AS x, '算力' AS y", "--db", str(path), "-p", "x=7",
                             "--format", "json"])
    assert ok.exit_code == 0, ok.output
    assert '"x": "7"' in ok.stdout and '"y": "算力"' in ok.stdout
    refused = runner.invoke(app, ["sql", "DELETE FROM documents", "--db", str(path)])
    assert refused.exit_code == 1
    assert refused.stderr.strip().splitlines() == [
        "Error: Statements that write are refused (the connection is read-only): found DELETE"]
    missing = runner.invoke(app, ["sql", "SELECT 1", "--db", str(tmp_path / "nope.db")])
    assert missing.exit_code == 1
    assert missing.stderr.strip().splitlines() == [
        f"Error: no database at {tmp_path / 'nope.db'}: run 'claimledger ingest' first, or pass --db"]
    assert not (tmp_path / "nope.db").exists()
