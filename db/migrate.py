"""Bring a database to the newest schema with Alembic (both SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Apply every pending migration; cheap when the schema is current."""
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


VIEW_NAMES = frozenset({"claim_overview", "uncited_claims", "dangling_footnotes",
                        "numbers_by_subject", "findings_by_document", "citation_usage", "figure_overview"})


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Autogenerate must not propose dropping what migrations create by hand (views, search index)."""
    if type_ == "table" and reflected and compare_to is None:
        return not (name or "").startswith("search_index") and name not in VIEW_NAMES
    return True
