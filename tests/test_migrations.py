"""Alembic migrations and the SQLAlchemy models describe the same schema, on both backends."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from filelock import FileLock
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from db.errors import DatabaseLocked, SchemaNotCurrent, SchemaTooNew
from db.migrate import (
    LOCK_SUFFIX,
    VIEW_NAMES,
    alembic_config,
    current_revision,
    head_revision,
    include_object,
    require_current,
    upgrade,
    upgraded_engine,
)
from db.models import Base
from db.session import get_engine, make_engine
from db.sql import query
from flows.report import write_report


def test_migrations_match_models(db_url: str) -> None:
    engine = upgraded_engine(db_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": include_object, "compare_type": False})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_migrations_create_every_view(db_url: str) -> None:
    engine = upgraded_engine(db_url)
    assert VIEW_NAMES <= set(inspect(engine).get_view_names())


# --------------------------------------------------------------------------- explicit, locked, checked


def test_migrations_engine_creation_and_readers_never_migrate(db_url: str) -> None:
    """Before, ``get_engine`` migrated for every caller, readers included."""
    engine = get_engine(db_url)
    with engine.connect():  # an empty database (SQLite creates its file here)
        pass
    with pytest.raises(SchemaNotCurrent, match="never migrated; run 'claimledger db upgrade'"):
        require_current(engine)
    with pytest.raises(SchemaNotCurrent, match="never migrated"):
        query(db_url, "SELECT 1")
    with pytest.raises(SchemaNotCurrent, match="never migrated"):
        write_report(db_url, "json")
    assert inspect(engine).get_table_names() == []
    upgrade(engine)
    require_current(engine)
    assert query(db_url, "SELECT count(*) FROM documents").rows == [(0,)]


def test_migrations_outdated_schema_is_named_for_readers_and_upgraded_by_writers(db_url: str) -> None:
    engine = upgraded_engine(db_url)
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0002")
    with pytest.raises(SchemaNotCurrent, match=f"at revision 0002, this code needs {head_revision()}"):
        query(db_url, "SELECT 1")
    upgrade(engine)
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()


def test_migrations_schema_newer_than_this_code_stops_writers_and_readers(db_url: str) -> None:
    engine = upgraded_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    for attempt in (lambda: upgrade(engine), lambda: require_current(engine),
                    lambda: query(db_url, "SELECT 1")):
        with pytest.raises(SchemaTooNew) as info:
            attempt()
        assert str(info.value).startswith("database schema is newer than this claimledger in ")
        assert "revision 9999_from_the_future is not among this code's migrations" in str(info.value)
        assert "\n" not in str(info.value)
    with engine.connect() as connection:
        assert current_revision(connection) == "9999_from_the_future"


def test_migrations_lock_held_elsewhere_times_out_with_one_line(db_url: str, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock really serializes: while another process holds it, nobody migrates."""
    monkeypatch.setenv("CLAIMLEDGER_DB_TIMEOUT", "0.5")
    engine = make_engine(db_url)
    started = time.perf_counter()
    try:
        with _hold_migration_lock(engine), pytest.raises(DatabaseLocked, match="migration lock"):
            upgrade(engine)
        assert time.perf_counter() - started < 10
        assert inspect(engine).get_table_names() == []
        upgrade(engine)  # released: now it migrates
        require_current(engine)
    finally:
        engine.dispose()


@contextmanager
def _hold_migration_lock(engine: Engine) -> Iterator[None]:
    """What a concurrent ``upgrade`` holds: the lock file, or the schema's advisory lock."""
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "sqlite":
        with FileLock(make_url(url).database + LOCK_SUFFIX):
            yield
        return
    with engine.connect() as other:
        other.execute(text("SELECT pg_advisory_xact_lock(hashtext('claimledger.migrate:' || current_schema()))"))
        yield
        other.rollback()


def test_migrations_cli_readers_name_the_step_and_db_upgrade_takes_it(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect():
        pass
    engine.dispose()
    runner = CliRunner()
    for args in (["report"], ["sql", "SELECT 1"], ["search", "算力"]):
        refused = runner.invoke(app, [*args, "--db", str(path)])
        assert refused.exit_code == 1, refused.output
        assert refused.stderr.strip().splitlines() == [
            f"Error: database schema is not current in {path}: never migrated; "
            "run 'claimledger db upgrade' (or 'claimledger ingest')"], args
    done = runner.invoke(app, ["db", "upgrade", "--db", str(path)])
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == f"Database {path} is at revision {head_revision()}."
    counted = runner.invoke(app, ["sql", "SELECT count(*) AS n FROM documents", "--db", str(path),
                                  "--format", "csv"])
    assert counted.exit_code == 0, counted.output
    assert counted.stdout.split() == ["n", "0"]


def test_migrations_graph_read_without_alembic_equals_alembics() -> None:
    """db.revisions (what readers check against) cannot drift from the graph Alembic migrates by."""
    from alembic.script import ScriptDirectory

    from db import revisions

    scripts = ScriptDirectory.from_config(alembic_config())
    assert revisions.head() == scripts.get_current_head()
    assert revisions.revision_graph() == {
        s.revision: tuple(s.down_revision) if isinstance(s.down_revision, tuple)
        else (() if s.down_revision is None else (s.down_revision,))
        for s in scripts.walk_revisions()}


def test_migrations_read_only_commands_do_not_import_alembic(tmp_path: Path) -> None:
    """Checking the revision costs no Alembic import (0.2-0.3 s per command on the reference machine)."""
    import subprocess
    import sys

    from conftest import ROOT

    path = tmp_path / "current.db"
    upgraded_engine(f"sqlite:///{path}")
    probe = ("import sys; from db.sql import query; from db.migrate import upgrade; "
             "from db.session import make_engine; "
             f"assert query({str(path)!r}, 'SELECT count(*) FROM documents').rows == [(0,)]; "
             f"upgrade(make_engine({str(path)!r})); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
