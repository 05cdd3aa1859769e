"""docs/schema.md stays in step with the schema, and the SQLite file opens in Datasette as-is."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

import pytest

from db import schema_doc
from db.fts import fts5_query, index_document
from db.migrate import upgraded_engine
from db.session import dispose_engines, session_scope
from db.sql import query as run_query

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_MD = ROOT / "docs" / "schema.md"
STANDARD_TYPES = re.compile(r"^(INTEGER|TEXT|FLOAT|BOOLEAN|DATETIME|VARCHAR\(\d+\))$")


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with one indexed document."""
    path = tmp_path_factory.mktemp("schema") / "claimledger.db"
    with session_scope(upgraded_engine(f"sqlite:///{path}")) as session:
        from db import models as m

        session.add(m.Document(id=1, source="a.md", sha256="0" * 64, kind="text", title="报告",
                               text="算力增长", body_end=4, raw_text="算力增长", offset_map="[]",
                               extractor_version="test"))
        session.flush()
        session.add(m.Sentence(id=1, document_id=1, page=1, start=0, end=4, text="算力增长",
                               checkworthiness=0.5))
        session.add(m.Claim(id=1, document_id=1, page=1, start=0, end=4, text="算力增长",
                            kind="statistical", checkworthiness=0.9))
        session.flush()
        index_document(session, 1)
    dispose_engines()
    return path


def test_schema_docs_match_generated() -> None:
    assert SCHEMA_MD.read_text(encoding="utf-8") == schema_doc.generate(), (
        "docs/schema.md is stale: run `python -m db.schema_doc > docs/schema.md`")


def test_schema_docs_cover_every_table_view_and_column(sqlite_file: Path) -> None:
    page = SCHEMA_MD.read_text(encoding="utf-8")
    conn = sqlite3.connect(sqlite_file)
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'search_index_%' AND name != 'alembic_version'")]
    assert len(names) == len(schema_doc.TABLES) + len(schema_doc.VIEWS)
    for name in names:
        section = page.split(f"### `{name}`\n", 1)[1].split("\n### ", 1)[0]
        for column in [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]:
            assert f"| `{column}` |" in section, f"{name}.{column} is not documented"


@pytest.mark.parametrize(("key", "value"), [("claims.kind", None), ("claims.no_such_column", "stale")])
def test_schema_docs_drift_is_detected(monkeypatch: pytest.MonkeyPatch, key: str,
                                       value: str | None) -> None:
    columns = dict(schema_doc.COLUMNS)
    if value is None:
        columns.pop(key)
    else:
        columns[key] = value
    monkeypatch.setattr(schema_doc, "COLUMNS", columns)
    with pytest.raises(schema_doc.SchemaDocDrift, match=key):
        schema_doc.generate()


@pytest.mark.parametrize("view", list(schema_doc.VIEWS))
def test_schema_docs_view_examples_run(sqlite_file: Path, view: str) -> None:
    example = schema_doc.VIEWS[view][1]
    assert f"FROM {view}" in example
    result = run_query(str(sqlite_file), example, {"subject": "算力"})
    assert result.columns


def test_schema_docs_only_standard_column_types(sqlite_file: Path) -> None:
    """Types every SQLite tool (Datasette included) understands; FTS5 passes its own check."""
    conn = sqlite3.connect(sqlite_file)
    for table in schema_doc.TABLES:
        if table == schema_doc.SEARCH_TABLE:
            continue
        for _cid, name, kind, *_ in conn.execute(f"PRAGMA table_info({table})"):
            assert STANDARD_TYPES.match(kind), f"{table}.{name} has type {kind!r}"
    conn.execute("INSERT INTO search_index(search_index) VALUES ('integrity-check')")
    conn.rollback()
    conn.close()


def test_schema_docs_datasette_opens_the_file(sqlite_file: Path) -> None:
    datasette_app = pytest.importorskip("datasette.app")

    async def probe() -> dict[str, object]:
        ds = datasette_app.Datasette([str(sqlite_file)], immutables=[])
        db = ds.get_database(sqlite_file.stem)
        name = sqlite_file.stem
        claims = await ds.client.get(f"/{name}/claims.json?_shape=array")
        view = await ds.client.get(f"/{name}/claim_overview.json?_shape=array")
        match = await ds.client.get(f"/{name}.json", params={
            "sql": "SELECT ref_id, kind FROM search_index WHERE search_index MATCH :q ORDER BY kind",
            "q": fts5_query("算力"), "_shape": "array"})
        return {"claims": claims, "view": view, "match": match,
                "views": await db.view_names(), "hidden": await db.hidden_table_names()}

    found = asyncio.run(probe())
    assert found["claims"].status_code == 200
    assert found["claims"].json()[0]["text"] == "算力增长"
    assert found["view"].status_code == 200
    assert found["view"].json()[0]["citation_status"] == "uncited"
    assert found["match"].status_code == 200, found["match"].text
    assert found["match"].json() == [{"ref_id": 1, "kind": "claim"}, {"ref_id": 1, "kind": "sentence"}]
    assert set(schema_doc.VIEWS) <= set(found["views"])
    assert "search_index_data" in found["hidden"]
