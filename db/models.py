"""The relational schema: one table per kind of extracted thing.

Column names are a public contract (analysts write SQL against them and the
README documents them), so rename nothing casually.  Every extracted row has
``document_id``, ``page`` (the journal/printed page number where one was
printed or inferred from the page sequence — ``pages.printed`` tells which —
else the 1-based page ordinal), ``page_index`` (0-based page in the source) and
``start``/``end``: 0-based, end-exclusive offsets into ``documents.text``.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Passed as a callable so each row gets its own time (not the import time)."""
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _doc_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)


class Document(Base):
    """One source document; ``text`` is the normalized body followed by its notes part."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text, index=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    published: Mapped[str | None] = mapped_column(String(32))
    tags: Mapped[str | None] = mapped_column(Text)  # JSON list
    text: Mapped[str] = mapped_column(Text)
    body_end: Mapped[int] = mapped_column(Integer)
    raw_text: Mapped[str] = mapped_column(Text)
    offset_map: Mapped[str] = mapped_column(Text)  # JSON [[clean_start, raw_start, length], ...]
    warnings: Mapped[str | None] = mapped_column(Text)  # JSON list
    extractor_version: Mapped[str] = mapped_column(String(32))
    # Ingested with --reference: a trusted source (official report, statistical bulletin) that the
    # figures of other documents are checked against (numbers.matches/contradicts_reference).
    is_reference: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DocumentVersion(Base):
    """History: each time a source's bytes change, the replaced version is recorded."""

    __tablename__ = "document_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text, index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    previous_sha256: Mapped[str | None] = mapped_column(String(64))
    change: Mapped[str] = mapped_column(String(16))  # added | replaced | reextracted
    claims_before: Mapped[int | None] = mapped_column(Integer)
    claims_after: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Page(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "page_index", name="uq_pages_document_page"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    page_index: Mapped[int] = mapped_column(Integer)
    page: Mapped[int] = mapped_column(Integer)
    printed: Mapped[bool] = mapped_column(Boolean)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    notes_start: Mapped[int] = mapped_column(Integer)
    notes_end: Mapped[int] = mapped_column(Integer)
    header: Mapped[str | None] = mapped_column(Text)
    footer: Mapped[str | None] = mapped_column(Text)


class Sentence(Base):
    __tablename__ = "sentences"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    page: Mapped[int | None] = mapped_column(Integer)
    page_index: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    checkworthiness: Mapped[float] = mapped_column(Float)
    cues: Mapped[str | None] = mapped_column(Text)  # JSON list of cue ids


class Claim(Base):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    sentence_id: Mapped[int | None] = mapped_column(
        ForeignKey("sentences.id", ondelete="CASCADE"), index=True
    )
    page: Mapped[int | None] = mapped_column(Integer)
    page_index: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    checkworthiness: Mapped[float] = mapped_column(Float)
    cues: Mapped[str | None] = mapped_column(Text)  # JSON list of cue ids: why this is a claim
    attribution: Mapped[str | None] = mapped_column(Text)
    attribution_cue: Mapped[str | None] = mapped_column(Text)


class NumericAssertion(Base):
    __tablename__ = "numeric_assertions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("claims.id", ondelete="SET NULL"), index=True
    )
    page: Mapped[int | None] = mapped_column(Integer)
    page_index: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    surface: Mapped[str] = mapped_column(Text)
    value: Mapped[float | None] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(Text)
    qualifier: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str | None] = mapped_column(Text)
    time_scope: Mapped[str | None] = mapped_column(Text)
    change: Mapped[str | None] = mapped_column(String(16))
    is_delta: Mapped[bool] = mapped_column(Boolean, default=False)
    per: Mapped[str | None] = mapped_column(Text)
    rule_id: Mapped[str | None] = mapped_column(String(64))
    # What the number measures (extractors.types.UnitKind): percent | permille | fraction (ratios,
    # ``value`` a fraction of one: 43% is 0.43) | points | multiple | currency | count | duration |
    # measure | bare.  Migration 0004 classified rows stored before it from ``unit``/``rule_id``;
    # NULL only if another writer inserted a row without it.
    unit_kind: Mapped[str | None] = mapped_column(String(16))
    # What, whose, when and as what (migration 0005; NULL on rows stored before it until re-extracted):
    # canonical indicator (国内生产总值), scope (中国, 广东省), ISO-like period (2025, 2025-Q1, 2021/2025),
    # measure (level | change | growth_rate | share | multiple | rank), role (actual | target | forecast)
    # and which way of the indicator is good (higher | lower).
    indicator: Mapped[str | None] = mapped_column(Text)
    scope: Mapped[str | None] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(32))
    measure: Mapped[str | None] = mapped_column(String(16))
    role: Mapped[str | None] = mapped_column(String(16))
    better: Mapped[str | None] = mapped_column(String(8))


class Footnote(Base):
    __tablename__ = "footnotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    page: Mapped[int | None] = mapped_column(Integer)
    page_index: Mapped[int | None] = mapped_column(Integer)
    marker: Mapped[str] = mapped_column(String(32))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)


class FootnoteRef(Base):
    """An in-text marker; NULL ``footnote_id`` means dangling (no body found)."""

    __tablename__ = "footnote_refs"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    page: Mapped[int | None] = mapped_column(Integer)
    page_index: Mapped[int | None] = mapped_column(Integer)
    marker: Mapped[str] = mapped_column(String(32))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    footnote_id: Mapped[int | None] = mapped_column(
        ForeignKey("footnotes.id", ondelete="SET NULL"), index=True
    )


class Citation(Base):
    __tablename__ = "citations"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    footnote_id: Mapped[int | None] = mapped_column(
        ForeignKey("footnotes.id", ondelete="CASCADE"), index=True
    )
    page: Mapped[int | None] = mapped_column(Integer)
    page_index: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    raw: Mapped[str] = mapped_column(Text)
    authors: Mapped[str | None] = mapped_column(Text)  # "; "-joined
    title: Mapped[str | None] = mapped_column(Text)
    container: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    volume: Mapped[str | None] = mapped_column(Text)
    issue: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(32))
    flags: Mapped[str | None] = mapped_column(Text)  # "; "-joined
    key: Mapped[str | None] = mapped_column(Text, index=True)


class Figure(Base):
    """A figure or table caption; ``source_*`` is its ``数据来源`` line, NULL when none is printed."""

    __tablename__ = "figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    page: Mapped[int | None] = mapped_column(Integer)
    page_index: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(32))  # 图1 / 表2 (Figure/Table map to the same labels)
    kind: Mapped[str] = mapped_column(String(8))  # figure | table
    title: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(Text)
    source_start: Mapped[int | None] = mapped_column(Integer)
    source_end: Mapped[int | None] = mapped_column(Integer)
    citation_id: Mapped[int | None] = mapped_column(
        ForeignKey("citations.id", ondelete="SET NULL"), index=True
    )
    mentions: Mapped[int] = mapped_column(Integer, default=0)  # in-text references (见图1)


class ClaimCitation(Base):
    __tablename__ = "claim_citations"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    citation_id: Mapped[int] = mapped_column(
        ForeignKey("citations.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Entity(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = _doc_fk()
    sentence_id: Mapped[int | None] = mapped_column(
        ForeignKey("sentences.id", ondelete="CASCADE"), index=True
    )
    page: Mapped[int | None] = mapped_column(Integer)
    page_index: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(16))


class ClaimEntity(Base):
    __tablename__ = "claim_entities"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Finding(Base):
    """An audit result; ``spans`` (JSON) quotes each span it concerns with page and offsets."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int | None] = _doc_fk()
    claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), index=True
    )
    footnote_id: Mapped[int | None] = mapped_column(
        ForeignKey("footnotes.id", ondelete="CASCADE"), index=True
    )
    footnote_ref_id: Mapped[int | None] = mapped_column(
        ForeignKey("footnote_refs.id", ondelete="CASCADE"), index=True
    )
    assertion_id: Mapped[int | None] = mapped_column(
        ForeignKey("numeric_assertions.id", ondelete="CASCADE"), index=True
    )
    citation_id: Mapped[int | None] = mapped_column(
        ForeignKey("citations.id", ondelete="CASCADE"), index=True
    )
    check: Mapped[str] = mapped_column(String(48))
    severity: Mapped[str] = mapped_column(String(8))  # info | warning | error
    message: Mapped[str] = mapped_column(Text)
    spans: Mapped[str | None] = mapped_column(Text)  # JSON list of {document_id, page, start, end, text}
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IngestRun(Base):
    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    trigger: Mapped[str] = mapped_column(String(16), default="cli")
    seen: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    replaced: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)


class IngestFailure(Base):
    __tablename__ = "ingest_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


Index("ix_numeric_assertions_unit_subject", NumericAssertion.unit, NumericAssertion.subject)
Index("ix_numeric_assertions_indicator", NumericAssertion.indicator, NumericAssertion.period)
