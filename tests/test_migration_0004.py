"""Migration 0004 (typed numbers) classifies rows stored before it, on SQLite and PostgreSQL, and undoes itself."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from db.migrate import alembic_config
from db.session import make_engine
from extractors.numbers.assertions import extract

#: (surface, unit, qualifier, rule_id) as code before 0004 stored them, and the unit kind 0004 gives them.
LEGACY_ROWS = [
    ("43%", "%", "exact", "numbers.percent", "percent"),
    ("5‰", "‰", "exact", "numbers.permille", "permille"),
    ("三分之一", None, "exact", "numbers.fraction", "fraction"),
    ("六个百分点", "pp", "exact", "numbers.points", "points"),
    ("将近30倍", "x", "approx", "numbers.unit", "multiple"),
    ("438元", "CNY", "exact", "numbers.currency", "currency"),
    ("10年", "year", "exact", "numbers.unit", "duration"),
    ("1590 EFLOPS", "EFLOPS", "exact", "numbers.unit", "measure"),
    ("约300家", "家", "approx", "numbers.unit", "count"),
    ("1.46", None, "exact", "numbers.bare", "bare"),
]


def _migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(cfg, revision)


def _legacy_database(url: str) -> Engine:
    engine = make_engine(url)
    _migrate(engine, "0003")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO documents (id, source, sha256, kind, text, body_end, raw_text, offset_map, "
                          "extractor_version, ingested_at) VALUES (1, 'a.txt', :sha, 'text', 'x', 1, 'x', '[]', "
                          "'old', CURRENT_TIMESTAMP)"), {"sha": "0" * 64})
        for i, (surface, unit, qualifier, rule_id, _) in enumerate(LEGACY_ROWS, start=1):
            conn.execute(text('INSERT INTO numeric_assertions (id, document_id, start, "end", surface, value, unit, '
                              "qualifier, is_delta, rule_id) VALUES (:id, 1, 0, 1, :surface, 1.0, :unit, "
                              ":qualifier, false, :rule_id)"),
                         {"id": i, "surface": surface, "unit": unit, "qualifier": qualifier, "rule_id": rule_id})
    return engine


def _rows(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            text("SELECT surface, qualifier, unit_kind FROM numeric_assertions ORDER BY id"))]


def test_migration_0004_classifies_existing_rows_and_downgrades(db_url: str) -> None:
    engine = _legacy_database(db_url)
    _migrate(engine, "0004")
    assert _rows(engine) == [(s, "nearly" if s.startswith("将近") else q, kind) for s, _, q, _, kind in LEGACY_ROWS]
    _migrate(engine, "0003", down=True)
    assert "unit_kind" not in {c["name"] for c in inspect(engine).get_columns("numeric_assertions")}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM numeric_assertions WHERE qualifier = 'nearly'")).scalar() == 0
    _migrate(engine, "head")
    engine.dispose()


@pytest.mark.parametrize(("surface", "unit", "qualifier", "rule_id", "kind"), LEGACY_ROWS)
def test_migration_0004_agrees_with_a_re_extraction(surface: str, unit: str | None, qualifier: str, rule_id: str,
                                                    kind: str) -> None:
    """What the migration writes for an old row is what ``ingest --force`` would write for the same text."""
    [fresh] = extract(surface if surface != "1.46" else "PUE降至1.46")
    assert (fresh.unit, fresh.unit_kind) == (unit, kind)
    assert fresh.qualifier == ("nearly" if surface.startswith("将近") else qualifier)
