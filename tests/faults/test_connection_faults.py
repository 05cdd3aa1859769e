"""Database faults are one line naming the database (no password, no query string) and the cause.

Each fault is produced for real on this machine: a closed port on
127.0.0.1, a role and a database the local PostgreSQL does not have, a
SQLite file opened read-only, a write lock held past the timeout.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PG_ADMIN_URL, ROOT
from db.errors import (
    AuthenticationFailed,
    DatabaseError,
    DatabaseLocked,
    DatabaseMissing,
    DatabaseReadOnly,
    DatabaseUnreachable,
    display_url,
)
from db.migrate import upgrade, upgraded_engine
from db.runs import start_run
from db.session import make_engine, session_scope
from db.sql import query

SECRET = "s3cret-pw"


def _pg(user: str = "postgres", port: int = 5432, database: str = "test") -> str:
    """A URL on the local server with a password and a query string that must never be printed."""
    host = PG_ADMIN_URL.split("@", 1)[1].split("/", 1)[0].split(":", 1)[0]
    return f"postgresql://{user}:{SECRET}@{host}:{port}/{database}?options=-csearch_path%3Dhidden_schema"


def _pg_available() -> None:
    import psycopg

    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=5).close()
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")


def _assert_one_line(exc: BaseException, *fragments: str) -> None:
    message = str(exc)
    assert "\n" not in message and "sqlalche.me" not in message, message
    assert SECRET not in message and "search_path" not in message and "hidden_schema" not in message, message
    for fragment in fragments:
        assert fragment in message, message


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens there


# --------------------------------------------------------------------------- the label


def test_faults_display_url_hides_password_and_query() -> None:
    assert display_url("postgresql+psycopg://u:pw@h:5/db?options=-csearch_path%3Dx") == "postgresql://u:***@h:5/db"
    assert display_url("postgresql://u@h/db") == "postgresql://u@h/db"
    assert display_url("sqlite:////tmp/a b/claimledger.db") == "/tmp/a b/claimledger.db"
    assert display_url("sqlite:///file:/tmp/x.db?mode=ro&uri=true") == "/tmp/x.db"


# --------------------------------------------------------------------------- PostgreSQL


@pytest.mark.parametrize(("url", "error", "fragments"), [
    (lambda: _pg(port=_free_port()), DatabaseUnreachable, ("cannot reach database", "connection refused")),
    (lambda: _pg(user=f"no_role_{uuid.uuid4().hex[:8]}"), AuthenticationFailed,
     ("authentication failed for database", "role does not exist")),
    (lambda: _pg(database=f"no_db_{uuid.uuid4().hex[:8]}"), DatabaseMissing,
     ("no database at", "does not exist")),
], ids=["unreachable", "authentication", "missing-database"])
def test_faults_postgres_connection_errors_are_named(url, error: type[DatabaseError],  # type: ignore[no-untyped-def]
                                                     fragments: tuple[str, ...]) -> None:
    _pg_available()
    target = url()
    engine = make_engine(target)
    try:
        with pytest.raises(error) as writer:  # the writer's first step
            upgrade(engine)
    finally:
        engine.dispose()
    _assert_one_line(writer.value, display_url(target), *fragments)
    with pytest.raises(error) as reader:  # user SQL connects with psycopg directly
        query(target, "SELECT 1")
    _assert_one_line(reader.value, *fragments)


def test_faults_cli_unreachable_server_is_one_line(tmp_path: Path) -> None:
    """Through the real entry point (``python -m flows.cli``), for a writer and a reader."""
    url = _pg(port=_free_port())
    (tmp_path / "a.md").write_text("据统计，2024年全国算力规模为280 EFLOPS。\n", encoding="utf-8")
    env = {**os.environ, "CLAIMLEDGER_HOME": str(tmp_path / "home")}
    for args in (["ingest", str(tmp_path / "a.md"), "--db", url, "--prefect", "off"],
                 ["sql", "SELECT 1", "--db", url]):
        done = subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True,
                              cwd=ROOT, env=env, timeout=300)
        assert done.returncode == 1, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("Error: cannot reach database postgresql://postgres:***@"), lines[0]
        assert lines[0].endswith("connection refused (is the server running?)"), lines[0]
        assert SECRET not in done.stderr and "search_path" not in done.stderr


# --------------------------------------------------------------------------- SQLite


@pytest.fixture()
def migrated_file(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    upgraded_engine(f"sqlite:///{path}")
    return path


def test_faults_sqlite_read_only_file_refuses_a_writer(migrated_file: Path) -> None:
    """``mode=ro`` is refused even to root (file permissions are not, so they cannot be the test)."""
    engine = make_engine(f"sqlite:///file:{migrated_file}?mode=ro&uri=true")
    try:
        with pytest.raises(DatabaseReadOnly) as info, session_scope(engine) as session:
            start_run(session)
    finally:
        engine.dispose()
    _assert_one_line(info.value, f"cannot write to read-only database {migrated_file}", "read-only")


def test_faults_sqlite_chmod_read_only_file_refuses_a_writer(migrated_file: Path) -> None:
    """The same through file permissions, where they bind (not for root)."""
    for path in migrated_file.parent.glob("store.db*"):
        path.chmod(0o444)
    try:
        with open(migrated_file, "r+b"):
            pytest.skip("this user can write a 0444 file (root): permissions cannot make it read-only here")
    except PermissionError:
        pass
    engine = make_engine(f"sqlite:///{migrated_file}")
    try:
        with pytest.raises(DatabaseError) as info, session_scope(engine) as session:
            start_run(session)
    finally:
        engine.dispose()
    _assert_one_line(info.value, str(migrated_file))


def test_faults_sqlite_write_lock_held_past_the_timeout(migrated_file: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMLEDGER_DB_TIMEOUT", "0.3")
    holder = sqlite3.connect(migrated_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    engine = make_engine(f"sqlite:///{migrated_file}")
    try:
        with pytest.raises(DatabaseLocked) as info, session_scope(engine) as session:
            start_run(session)
    finally:
        engine.dispose()
        holder.execute("ROLLBACK")
        holder.close()
    _assert_one_line(info.value, f"database is locked {migrated_file}", "beyond the timeout")


def test_faults_missing_sqlite_file_for_a_reader_is_not_created(tmp_path: Path) -> None:
    from flows.cli import app

    path = tmp_path / "absent.db"
    runner = CliRunner()
    for args in (["report"], ["sql", "SELECT 1"], ["search", "算力"]):
        result = runner.invoke(app, [*args, "--db", str(path)])
        assert result.exit_code == 1, result.output
        assert result.stderr.strip().splitlines() == [
            f"Error: no database at {path}: run 'claimledger ingest' first, or pass --db"], args
    assert not path.exists()


def test_faults_sqlite_path_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    """A path through a regular file: neither the directory nor the lock file can be made (even by root)."""
    (tmp_path / "a-file").write_text("not a directory", encoding="utf-8")
    target = tmp_path / "a-file" / "sub" / "store.db"
    engine = make_engine(f"sqlite:///{target}")
    try:
        with pytest.raises(DatabaseUnreachable) as info:
            upgrade(engine)
    finally:
        engine.dispose()
    _assert_one_line(info.value, f"cannot reach database {target}", f"cannot create {target.parent}")


def test_faults_errors_survive_pickling_unchanged() -> None:
    """A fault raised in a Prefect task or a Dask worker crosses a process boundary as a pickle."""
    import pickle

    for error in (DatabaseUnreachable("postgresql://u:***@h:5/db", "connection refused"),
                  DatabaseMissing("/tmp/x.db", "run 'claimledger ingest' first, or pass --db")):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error)
        assert (copy.database, copy.cause) == (error.database, error.cause)
