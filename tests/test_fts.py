"""Chinese-capable search over claims and sentences (db/fts.py), and the traps it avoids."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from db import models as m
from db import fts
from db.fts import EmptySearch, compact, fts5_query, index_document, segment
from db.migrate import upgraded_engine
from db.session import get_engine, session_scope
from db.sql import QueryResult, connect_readonly
from db.sql import query as run_query

SENTENCE = "我们需要算力和模型"


def search(url: str, query: str, **limits: int) -> QueryResult:
    """``db.fts.search`` on a read-only connection of its own, as the CLI runs it."""
    with connect_readonly(url) as conn:
        return fts.search(conn, query, **limits)


# --------------------------------------------------------------------------- the traps


def _fts(tokenizer: str | None) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    option = f", tokenize='{tokenizer}'" if tokenizer else ""
    conn.execute(f"CREATE VIRTUAL TABLE f USING fts5(x{option})")
    conn.execute("INSERT INTO f VALUES (?)", (SENTENCE,))
    return conn


def test_fts_trap_default_tokenizer_finds_no_chinese_word() -> None:
    conn = _fts(None)
    assert conn.execute("SELECT x FROM f WHERE f MATCH '算力'").fetchall() == []
    assert conn.execute("SELECT x FROM f WHERE f MATCH ?", (f'"{SENTENCE}"',)).fetchall() != []


def test_fts_trap_trigram_needs_three_characters() -> None:
    conn = _fts("trigram")
    assert conn.execute("SELECT x FROM f WHERE f MATCH '算力'").fetchall() == []
    assert conn.execute("SELECT x FROM f WHERE f MATCH '算力和'").fetchall() == [(SENTENCE,)]
    like_two = conn.execute("SELECT x FROM f WHERE x LIKE '%算力%'").fetchall()
    if sqlite3.sqlite_version_info[:2] <= (3, 40):
        # Silently empty (no error) on the SQLite this project was built on: 3.40.1.
        assert like_two == [], sqlite3.sqlite_version
    assert conn.execute("SELECT x FROM f WHERE x LIKE '%算力和%'").fetchall() == [(SENTENCE,)]


def test_fts_trap_word_segmenter_misses_a_word_inside_a_longer_word() -> None:
    jieba = pytest.importorskip("jieba")
    assert "算力" not in jieba.lcut("提升计算力和大模型")
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE f USING fts5(x)")
    conn.execute("INSERT INTO f VALUES (?)", (segment("提升计算力和大模型"),))
    assert conn.execute("SELECT COUNT(*) FROM f WHERE f MATCH ?", (fts5_query("算力"),)).fetchone() == (1,)


# --------------------------------------------------------------------------- text preparation


@pytest.mark.parametrize(("raw", "expected"), [
    (SENTENCE, "我 们 需 要 算 力 和 模 型"),
    ("ＤｅｅｐＳｅｅｋ－Ｒ１的推理", "d e e p s e e k r 1 的 推 理"),
    ("GPU  算力\n增长 93.3%", "g p u 算 力 增 长 9 3 3"),
    ("snake_case，。", "s n a k e c a s e"),
])
def test_fts_segment(raw: str, expected: str) -> None:
    assert segment(raw) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("算力", '"算 力"'),
    ("算力 模型", '"算 力" AND "模 型"'),
    ("DeepSeek", '"d e e p s e e k"'),
    ("ＤｅｅｐＳｅｅｋ－Ｒ１", '"d e e p s e e k r 1"'),
    ('say "hi"', '"s a y" AND "h i"'),
])
def test_fts_fts5_query(query: str, expected: str) -> None:
    assert fts5_query(query) == expected


@pytest.mark.parametrize("query", ["", "   ", "，。", "%"])
def test_fts_empty_query_is_refused(query: str) -> None:
    with pytest.raises(EmptySearch):
        fts5_query(query)


# --------------------------------------------------------------------------- search on both backends

SENTENCES = [
    SENTENCE,
    "ＤｅｅｐＳｅｅｋ－Ｒ１ models cut inference cost by 93.3%",
    "提升计算力和大模型",
    "The model_x card says 100% open",
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def search_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fts') / 'claimledger.db'}"
    else:
        url = request.getfixturevalue("pg_schema_url")
    _store(url, 1, "a.md", SENTENCES, claims=[0])
    return url


def _store(url: str, doc_id: int, source: str, sentences: list[str], claims: list[int]) -> None:
    """Store a document the way the pipeline does, then index it in the same transaction."""
    body = "".join(sentences)
    with session_scope(upgraded_engine(url)) as session:
        session.add(m.Document(id=doc_id, source=source, sha256=f"{doc_id:064d}", kind="text",
                               title=f"doc {doc_id}", text=body, body_end=len(body), raw_text=body,
                               offset_map="[]", extractor_version="test"))
        session.flush()
        start = 0
        for i, sentence in enumerate(sentences):
            span = {"document_id": doc_id, "page": 1, "start": start, "end": start + len(sentence),
                    "text": sentence}
            row = m.Sentence(id=doc_id * 1000 + i, checkworthiness=0.5, **span)
            session.add(row)
            session.flush()
            if i in claims:
                session.add(m.Claim(id=doc_id * 1000 + i, sentence_id=row.id, kind="statistical",
                                    checkworthiness=0.8, **span))
            start += len(sentence)
        session.flush()
        index_document(session, doc_id)


def _hits(url: str, query: str) -> set[tuple[str, str]]:
    result = search(url, query, limit=500)
    assert result.columns == ["kind", "id", "document_id", "document_title", "document_source",
                              "page", "start", "end", "text"]
    return {(row[0], row[8]) for row in result.rows}


@pytest.mark.parametrize(("query", "expected"), [
    ("算力", {("claim", SENTENCE), ("sentence", SENTENCE), ("sentence", SENTENCES[2])}),
    ("模型", {("claim", SENTENCE), ("sentence", SENTENCE), ("sentence", SENTENCES[2])}),
    ("算", {("claim", SENTENCE), ("sentence", SENTENCE), ("sentence", SENTENCES[2])}),
    ("力和模", {("claim", SENTENCE), ("sentence", SENTENCE)}),
    ("计算 模型", {("sentence", SENTENCES[2])}),
    ("算力 deepseek", set()),
    ("deepseek", {("sentence", SENTENCES[1])}),
    ("ＤｅｅｐＳｅｅｋ－Ｒ１", {("sentence", SENTENCES[1])}),
    ("93.3", {("sentence", SENTENCES[1])}),
    ("model", {("sentence", SENTENCES[1]), ("sentence", SENTENCES[3])}),
    ("modelx", {("sentence", SENTENCES[3])}),
    ("ference", {("sentence", SENTENCES[1])}),
    ("模型算力", set()),
    ("芯片", set()),
])
def test_fts_search(search_url: str, query: str, expected: set[tuple[str, str]]) -> None:
    assert _hits(search_url, query) == expected


def test_fts_search_offsets_point_into_the_document(search_url: str) -> None:
    result = search(search_url, "算力")
    body = "".join(SENTENCES)
    for row in result.rows:
        start, end, found = row[6], row[7], row[8]
        assert body[start:end] == found
    assert all(row[2] == 1 and row[3] == "doc 1" and row[5] == 1 for row in result.rows)


def test_fts_search_limit_truncates(search_url: str) -> None:
    result = search(search_url, "算", limit=2)
    assert len(result.rows) == 2 and result.truncated is True


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_fts_replaced_and_deleted_documents_leave_no_rows(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = (f"sqlite:///{tmp_path / 'replace.db'}" if backend == "sqlite"
           else request.getfixturevalue("pg_schema_url"))
    _store(url, 10, "r.md", ["旧版本说算力不足"], claims=[0])
    with session_scope(upgraded_engine(url)) as session:  # what db.store does on replace
        session.execute(text("DELETE FROM documents WHERE id = 10"))
    _store(url, 11, "r.md", ["新版本说模型够用"], claims=[])
    with session_scope(upgraded_engine(url)) as session:  # re-indexing is idempotent
        index_document(session, 11)
    assert not any(r[4] == "r.md" for r in search(url, "算力", limit=500).rows)
    assert {(r[0], r[2]) for r in search(url, "新版本").rows} == {("sentence", 11)}
    assert run_query(url, "SELECT document_id, COUNT(*) FROM search_index "
                          "WHERE document_id IN (10, 11) GROUP BY document_id").rows == [(11, 1)]
    with session_scope(upgraded_engine(url)) as session:
        session.execute(text("DELETE FROM documents WHERE id = 11"))
    assert run_query(url, "SELECT COUNT(*) FROM search_index WHERE document_id = 11").rows == [(0,)]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_fts_migration_indexes_documents_stored_before_it(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    from alembic import command

    from db.migrate import alembic_config

    url = (f"sqlite:///{tmp_path / 'backfill.db'}" if backend == "sqlite"
           else request.getfixturevalue("pg_schema_url"))
    _store(url, 30, "b.md", ["迁移之前存储的句子"], claims=[])
    cfg = alembic_config()
    for target in ("0001", "head"):
        with get_engine(url).begin() as connection:
            cfg.attributes["connection"] = connection
            (command.downgrade if target == "0001" else command.upgrade)(cfg, target)
    assert {(r[0], r[2]) for r in search(url, "迁移").rows} == {("sentence", 30)}


# --------------------------------------------------------------------------- real text


def _seed_sentences(seed: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？])|\n", seed) if s.strip()]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_fts_seed_paper_search_equals_substring_scan(
        backend: str, seed_paper: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """On the real article, every term query returns exactly the sentences containing the terms."""
    url = (f"sqlite:///{tmp_path / 'seed.db'}" if backend == "sqlite"
           else request.getfixturevalue("pg_schema_url"))
    sentences = _seed_sentences(seed_paper)
    _store(url, 20, "seed-004", sentences, claims=[])
    for query in ["算力", "模型", "美国", "芯", "开源 模型", "deepseek", "美国 芯片 出口"]:
        terms = [compact(t) for t in query.split()]
        expected = {s for s in sentences if all(t in compact(s) for t in terms)}
        found = {row[8] for row in search(url, query, limit=5000).rows if row[2] == 20}
        assert expected, query
        assert found == expected, query


@pytest.mark.slow
def test_fts_ingested_seed_blog_is_searchable(seed_blog_path: Path, tmp_path: Path) -> None:
    """The real pipeline's claims and sentences, stored and indexed, answer a 2-character query."""
    from db.store import save_document
    from extractors.document import extract_document

    doc = extract_document(seed_blog_path.read_bytes(), source=str(seed_blog_path))
    url = f"sqlite:///{tmp_path / 'blog.db'}"
    with session_scope(upgraded_engine(url)) as session:
        stored = save_document(session, doc)
        index_document(session, stored.document_id)
    result = search(url, "算力", limit=500)
    kinds = {row[0] for row in result.rows}
    assert "sentence" in kinds
    assert len([r for r in result.rows if r[0] == "sentence"]) == len(
        [s for s in doc.sentences if "算力" in compact(s.text)])
    for row in result.rows:
        assert doc.text[row[6]:row[7]] == row[8]


def test_fts_cli_search(tmp_path: Path) -> None:
    from flows.cli import app

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    _store(url, 1, "a.md", SENTENCES, claims=[0])
    runner = CliRunner()
    found = runner.invoke(app, ["search", "算力", "--db", str(tmp_path / "cli.db"), "--format", "csv"])
    assert found.exit_code == 0, found.output
    lines = found.stdout.strip().splitlines()
    assert lines[0] == "kind,id,document_id,document_title,document_source,page,start,end,text"
    assert len(lines) == 4 and all("算力" in line for line in lines[1:])
    empty = runner.invoke(app, ["search", "，", "--db", str(tmp_path / "cli.db")])
    assert empty.exit_code == 1
    assert empty.stderr.startswith("Error: The search query has no letters")
