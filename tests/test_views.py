"""The analyst views of migration 0002, on SQLite and PostgreSQL, against a hand-built dataset."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from db import models as m
from db.migrate import alembic_config
from db.migrate import upgraded_engine
from db.session import dispose_engines, make_engine, session_scope
from db.sql import query as run_query

VIEWS = ["claim_overview", "uncited_claims", "dangling_footnotes", "numbers_by_subject",
         "findings_by_document", "citation_usage"]

DOC1_TEXT = "算力增长了93.3%①。第二段没有来源②。"
DOC2_TEXT = "博客说算力翻倍③。"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('views') / 'claimledger.db'}"
    else:
        url = request.getfixturevalue("pg_schema_url")
    with session_scope(upgraded_engine(url)) as session:
        for kind in (m.Document, m.Claim, m.Footnote, m.NumericAssertion, m.FootnoteRef,
                     m.Citation, m.ClaimCitation, m.Finding):
            session.add_all([row for row in _dataset() if isinstance(row, kind)])
            session.flush()
    return url


def _doc(doc_id: int, title: str, text: str) -> m.Document:
    return m.Document(id=doc_id, source=f"doc{doc_id}.md", sha256=f"{doc_id:064d}", kind="markdown",
                      title=title, text=text, body_end=len(text), raw_text=text, offset_map="[]",
                      extractor_version="test")


def _at(text: str, needle: str) -> dict[str, int]:
    start = text.index(needle)
    return {"start": start, "end": start + len(needle)}


def _dataset() -> list[m.Base]:
    c1 = _at(DOC1_TEXT, "算力增长了93.3%")
    rows: list[m.Base] = [
        _doc(1, "政策报告", DOC1_TEXT),
        _doc(2, "博客", DOC2_TEXT),
        m.Claim(id=1, document_id=1, page=1, text="算力增长了93.3%", kind="statistical",
                checkworthiness=0.9, **c1),
        m.Claim(id=2, document_id=1, page=2, text="第二段没有来源", kind="event",
                checkworthiness=0.4, **_at(DOC1_TEXT, "第二段没有来源")),
        m.Claim(id=3, document_id=2, page=1, text="博客说算力翻倍", kind="comparative",
                checkworthiness=0.7, **_at(DOC2_TEXT, "博客说算力翻倍")),
        m.NumericAssertion(id=1, document_id=1, claim_id=1, page=1, surface="93.3%", value=93.3,
                           unit="%", qualifier="exact", subject="算力", **_at(DOC1_TEXT, "93.3%")),
        m.NumericAssertion(id=2, document_id=1, claim_id=1, page=1, surface="了", value=1.0,
                           unit=None, qualifier="approx", subject="算力", start=4, end=5),
        m.NumericAssertion(id=3, document_id=2, claim_id=3, page=1, surface="翻倍", value=2.0,
                           unit="倍", qualifier="exact", subject="算力", **_at(DOC2_TEXT, "翻倍")),
        m.NumericAssertion(id=4, document_id=2, claim_id=None, page=1, surface="三", value=3.0,
                           qualifier="exact", subject=None, start=0, end=1),
        m.Footnote(id=1, document_id=1, page=1, marker="①", start=0, end=1, body="Smith 2024"),
        m.FootnoteRef(id=1, document_id=1, page=1, marker="①", footnote_id=1, **_at(DOC1_TEXT, "①")),
        m.FootnoteRef(id=2, document_id=1, page=2, marker="②", footnote_id=None, **_at(DOC1_TEXT, "②")),
        m.FootnoteRef(id=3, document_id=2, page=1, marker="③", footnote_id=None, **_at(DOC2_TEXT, "③")),
        m.Citation(id=1, document_id=1, footnote_id=1, page=1, start=0, end=1, raw="Smith 2024",
                   kind="journal", title="Compute", key="smith2024"),
        m.Citation(id=2, document_id=2, page=1, start=0, end=1, raw="Smith, 2024", kind="journal",
                   title="Compute", key="smith2024"),
        m.Citation(id=3, document_id=1, page=1, start=0, end=1, raw="Lee 2023", kind="web",
                   url="https://example.org/lee", key="lee2023"),
        m.Citation(id=4, document_id=1, page=1, start=0, end=1, raw="某报告", kind="other", key=None),
        m.ClaimCitation(claim_id=1, citation_id=1),
    ]
    findings = [(1, "numbers.unsourced", "warning"), (1, "numbers.unsourced", "warning"),
                (1, "footnotes.dangling", "error"), (2, "footnotes.dangling", "error")]
    rows += [m.Finding(document_id=d, check=c, severity=s, message="test") for d, c, s in findings]
    return rows


def _dicts(url: str, sql: str, params: dict[str, str] | None = None) -> list[dict[str, object]]:
    result = run_query(url, sql, params)
    return [dict(zip(result.columns, row)) for row in result.rows]


@pytest.mark.parametrize("view", VIEWS)
def test_views_exist_and_answer(seeded_url: str, view: str) -> None:
    rows = _dicts(seeded_url, f"SELECT * FROM {view}")
    assert rows, f"{view} returned nothing over the seeded dataset"


def test_views_claim_overview(seeded_url: str) -> None:
    rows = _dicts(seeded_url, "SELECT claim_id, document_title, page, start, \"end\", number_count, "
                              "citation_count, citation_status FROM claim_overview ORDER BY claim_id")
    assert rows == [
        {"claim_id": 1, "document_title": "政策报告", "page": 1, "start": 0, "end": 10,
         "number_count": 2, "citation_count": 1, "citation_status": "cited"},
        {"claim_id": 2, "document_title": "政策报告", "page": 2, "start": 12, "end": 19,
         "number_count": 0, "citation_count": 0, "citation_status": "uncited"},
        {"claim_id": 3, "document_title": "博客", "page": 1, "start": 0, "end": 7,
         "number_count": 1, "citation_count": 0, "citation_status": "uncited"},
    ]
    assert DOC1_TEXT[rows[1]["start"]:rows[1]["end"]] == "第二段没有来源"


def test_views_uncited_claims(seeded_url: str) -> None:
    rows = _dicts(seeded_url, "SELECT claim_id, text FROM uncited_claims ORDER BY claim_id")
    assert rows == [{"claim_id": 2, "text": "第二段没有来源"}, {"claim_id": 3, "text": "博客说算力翻倍"}]


def test_views_dangling_footnotes(seeded_url: str) -> None:
    rows = _dicts(seeded_url, "SELECT footnote_ref_id, document_title, page, marker, start, context "
                              "FROM dangling_footnotes ORDER BY footnote_ref_id")
    assert [(r["footnote_ref_id"], r["document_title"], r["page"], r["marker"]) for r in rows] == [
        (2, "政策报告", 2, "②"), (3, "博客", 1, "③")]
    assert rows[0]["context"] == DOC1_TEXT  # up to 30 characters either side: all of it here
    assert "③" in rows[1]["context"]


def test_views_numbers_by_subject(seeded_url: str) -> None:
    rows = _dicts(seeded_url, "SELECT document_title, value, unit, qualifier FROM numbers_by_subject "
                              "WHERE subject = :subject ORDER BY value", {"subject": "算力"})
    assert rows == [
        {"document_title": "政策报告", "value": 1.0, "unit": None, "qualifier": "approx"},
        {"document_title": "博客", "value": 2.0, "unit": "倍", "qualifier": "exact"},
        {"document_title": "政策报告", "value": 93.3, "unit": "%", "qualifier": "exact"},
    ]


def test_views_findings_by_document(seeded_url: str) -> None:
    rows = _dicts(seeded_url, 'SELECT document_id, "check", severity, finding_count '
                              'FROM findings_by_document ORDER BY document_id, "check"')
    assert [tuple(r.values()) for r in rows] == [
        (1, "footnotes.dangling", "error", 1), (1, "numbers.unsourced", "warning", 2),
        (2, "footnotes.dangling", "error", 1)]


def test_views_citation_usage(seeded_url: str) -> None:
    rows = _dicts(seeded_url, "SELECT citation_key, document_id, citation_count, claim_count, "
                              "document_count FROM citation_usage ORDER BY citation_key, document_id")
    assert [tuple(r.values()) for r in rows] == [
        ("lee2023", 1, 1, 0, 1), ("smith2024", 1, 1, 1, 2), ("smith2024", 2, 1, 0, 2)]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_views_downgrade_drops_them(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    from alembic import command

    url = (f"sqlite:///{tmp_path / 'down.db'}" if backend == "sqlite"
           else request.getfixturevalue("pg_schema_url"))
    engine = make_engine(url)
    try:
        upgraded_engine(url)
        assert set(VIEWS) <= set(inspect(engine).get_view_names())
        cfg = alembic_config()
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, "0001")
        inspector = inspect(engine)
        assert not set(VIEWS) & set(inspector.get_view_names())
        assert "search_index" not in inspector.get_table_names()
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
        assert set(VIEWS) <= set(inspect(engine).get_view_names())
    finally:
        engine.dispose()
        dispose_engines()
