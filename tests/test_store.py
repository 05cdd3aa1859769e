"""The store on SQLite and PostgreSQL: one transaction per document, idempotent re-ingest, replacement."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from db import models as m
from db.migrate import upgraded_engine
from db.session import session_scope
from db.store import save_document
from extractors.textmap import MappedText
from extractors.types import (
    Citation,
    Claim,
    Entity,
    ExtractedDocument,
    Footnote,
    FootnoteRef,
    NumericAssertion,
    Page,
    Sentence,
)

BODY = "截至2025年，中国总算力规模已达1590 EFLOPS①。价格为438元②。"
NOTE = "蒋茜：《题名》，《政治经济学评论》2023年第3期。"


def _doc(sha: str = "a" * 64, source: str = "/tmp/doc.txt", body: str = BODY) -> ExtractedDocument:
    text = body + "\n\n① " + NOTE
    note_start = len(body) + 4
    s1_end = body.index("。") + 1
    number_start = body.index("1590")
    marker = body.index("①")
    return ExtractedDocument(
        source=source, sha256=sha, kind="text", text=text, body_end=len(body), raw=text,
        offset_runs=tuple(MappedText.from_raw(text).runs()),
        pages=(Page(0, 85, 0, len(body), len(body), len(text)),),
        title="测试", language="zh",
        sentences=(Sentence(0, s1_end, body[:s1_end], 0, 0.9, ("cue.quantity",)),
                   Sentence(s1_end, len(body), body[s1_end:], 0, 0.7)),
        footnotes=(Footnote("①", note_start, len(text), NOTE, 0),),
        footnote_refs=(FootnoteRef("①", marker, marker + 1, 0, 0),
                       FootnoteRef("②", body.index("②"), body.index("②") + 1, None, 0)),
        citations=(Citation(raw=NOTE, kind="journal", start=note_start, end=len(text),
                            authors=("蒋茜",), title="题名", container="政治经济学评论", year=2023,
                            footnote=0, page=0, key="题名|2023"),),
        numbers=(NumericAssertion(number_start, number_start + len("1590 EFLOPS"), "1590 EFLOPS", 1590.0, "EFLOPS",
                                  page=0, subject="中国总算力规模", time_scope="截至2025年", unit_kind="measure"),),
        claims=(Claim(0, 0, s1_end, body[:s1_end], "statistical", 0.9, ("cue.quantity",), page=0),),
        entities=(Entity(body.index("中国"), body.index("中国") + 2, "中国", "GPE", 0),),
        claim_citations=((0, 0),), claim_numbers=((0, 0),), claim_entities=((0, 0),),
        extractor_version="test",
    )


def _count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


def test_store_rows_carry_provenance(db_url: str) -> None:
    engine = upgraded_engine(db_url)
    with session_scope(engine) as session:
        result = save_document(session, _doc())
    assert result.status == "added" and result.claims == 1
    with session_scope(engine, write=False) as session:
        doc = session.get(m.Document, result.document_id)
        number = session.scalars(select(m.NumericAssertion)).one()
        assert doc.text[number.start:number.end] == number.surface == "1590 EFLOPS"
        assert number.page == 85 and number.page_index == 0 and number.unit_kind == "measure"
        assert number.claim_id == session.scalars(select(m.Claim.id)).one()
        footnote = session.scalars(select(m.Footnote)).one()
        assert doc.text[footnote.start:footnote.end] == footnote.body == NOTE
        refs = session.scalars(select(m.FootnoteRef).order_by(m.FootnoteRef.start)).all()
        assert [r.footnote_id for r in refs] == [footnote.id, None]
        assert _count(session, m.ClaimCitation) == 1 and _count(session, m.ClaimEntity) == 1
        assert json.loads(doc.offset_map) == [[0, 0, len(doc.text)]]


def test_store_same_bytes_twice_changes_nothing(db_url: str) -> None:
    engine = upgraded_engine(db_url)
    with session_scope(engine) as session:
        first = save_document(session, _doc())
    with session_scope(engine) as session:
        second = save_document(session, _doc())
    assert second.status == "unchanged" and second.document_id == first.document_id
    with session_scope(engine, write=False) as session:
        assert _count(session, m.Document) == 1 and _count(session, m.Claim) == 1


def test_store_changed_source_replaces_and_keeps_history(db_url: str) -> None:
    engine = upgraded_engine(db_url)
    with session_scope(engine) as session:
        save_document(session, _doc())
    with session_scope(engine) as session:
        result = save_document(session, _doc(sha="b" * 64, body=BODY.replace("438", "439")))
    assert result.status == "replaced"
    with session_scope(engine, write=False) as session:
        assert _count(session, m.Document) == 1
        assert _count(session, m.Claim) == 1
        versions = session.scalars(select(m.DocumentVersion).order_by(m.DocumentVersion.id)).all()
        assert [v.change for v in versions] == ["added", "replaced"]
        assert versions[1].previous_sha256 == "a" * 64


def test_store_failure_leaves_nothing_half_written(db_url: str) -> None:
    engine = upgraded_engine(db_url)
    broken = _doc()
    broken = ExtractedDocument(**{**{f: getattr(broken, f) for f in broken.__dataclass_fields__},
                                  "claim_citations": ((0, 5),)})  # citation 5 does not exist
    with pytest.raises(IndexError):
        with session_scope(engine) as session:
            save_document(session, broken)
    with session_scope(engine, write=False) as session:
        assert _count(session, m.Document) == 0 and _count(session, m.Sentence) == 0
