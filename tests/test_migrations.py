"""Alembic migrations and the SQLAlchemy models describe the same schema, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from db.migrate import VIEW_NAMES, include_object
from db.models import Base
from db.migrate import upgraded_engine


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
