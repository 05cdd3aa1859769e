"""Shared fixtures: paths to ../shared, database URLs for SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "fixtures" / "seeds"
PDFS = SHARED / "fixtures" / "pdf"
SUITES = SHARED / "suites"


def _one(pattern: str) -> Path:
    found = sorted(SEEDS.glob(pattern))
    if not found:
        pytest.skip(f"../shared fixture {pattern} not found next to the checkout")
    return found[0]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def seed_blog_path() -> Path:
    """Seed 000: a Chinese blog post in Markdown with YAML front matter."""
    return _one("000_*.txt")


@pytest.fixture(scope="session")
def seed_paper_path() -> Path:
    """Seed 004: the text layer of a Chinese journal article."""
    return _one("004_*.txt")


@pytest.fixture(scope="session")
def seed_blog(seed_blog_path: Path) -> str:
    return seed_blog_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_paper(seed_paper_path: Path) -> str:
    return seed_paper_path.read_text(encoding="utf-8")


PG_ADMIN_URL = os.environ.get("CLAIMLEDGER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required in CI but unreachable: {reason}")
    pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {reason}")


@contextmanager
def _fresh_pg_schema() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards.

    Tests (and parallel workers) never see each other's rows.  Outside CI an
    unreachable server is a clear skip; in CI it is a failure.
    """
    import uuid

    import psycopg

    schema = f"cl_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError as exc:
        _pg_unavailable(str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__)
    yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    from db.session import dispose_engines

    dispose_engines()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture()
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema for one test."""
    with _fresh_pg_schema() as url:
        yield url


@pytest.fixture(scope="module")
def pg_schema_url() -> Iterator[str]:
    """A fresh PostgreSQL schema shared by one test module."""
    with _fresh_pg_schema() as url:
        yield url


@pytest.fixture()
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'claimledger.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on both backends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'claimledger.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[None]:
    """One temporary Prefect API (``prefect_test_harness``, ~10 s to start) for real flow runs.

    Session-scoped, so each test process starts it at most once; tests that
    only need the plain task functions call ``.fn`` and never request it.
    """
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files under tests/golden from the current output")
