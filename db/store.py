"""Writing one extracted document: every row in one caller-owned transaction.

Functions here take a ``session`` and never commit (SQLAlchemy's "separate
and external" lifecycle): the flow's ``session_scope`` commits, or rolls back
everything for that document if anything fails, so nothing half-written stays.
Rows are bulk-inserted with ``INSERT ... RETURNING`` so the ids needed to
link claims, numbers, footnotes and citations come back in order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from db import models as m
from db import rows
from db.fts import forget_document, index_document
from extractors.types import ExtractedDocument


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What happened to one document: ``status`` is added, replaced or unchanged."""

    document_id: int
    status: str
    claims: int = 0
    numbers: int = 0
    footnotes: int = 0


def find_by_sha(session: Session, sha256: str) -> int | None:
    return session.scalar(select(m.Document.id).where(m.Document.sha256 == sha256))


def save_document(session: Session, doc: ExtractedDocument, *, etag: str | None = None,
                  last_modified: str | None = None, reextract: bool = False) -> StoreResult:
    """Store ``doc`` unless the same bytes are stored already.

    A source whose bytes changed replaces its previous extraction (in the
    same transaction) and leaves a ``document_versions`` row behind.
    ``reextract`` replaces the stored extraction of the same bytes too (after
    an extractor upgrade).
    """
    # One SELECT for both questions ("same bytes stored?" and "what does this
    # replace?"): with two, a concurrent writer could commit the same bytes in
    # between under READ COMMITTED (PostgreSQL), and this writer would then
    # delete the winner's fresh extraction as if it were an old version.
    previous = session.execute(
        select(m.Document.id, m.Document.sha256)
        .where((m.Document.source == doc.source) | (m.Document.sha256 == doc.sha256))
        .order_by(m.Document.id)
    ).all()
    same_bytes = [old_id for old_id, sha in previous if sha == doc.sha256]
    if same_bytes and not reextract:
        return StoreResult(same_bytes[0], "unchanged")
    claims_before = None
    for old_id, _sha in previous:
        claims_before = session.scalar(select(func.count()).where(m.Claim.document_id == old_id))
        forget_document(session, old_id)
        session.execute(delete(m.Document).where(m.Document.id == old_id))
    doc_id = _insert_document(session, doc, etag, last_modified)
    counts = _insert_extraction(session, doc_id, doc)
    index_document(session, doc_id)
    session.add(
        m.DocumentVersion(
            source=doc.source,
            sha256=doc.sha256,
            previous_sha256=previous[-1][1] if previous else None,
            change=_change(previous, doc.sha256),
            claims_before=claims_before,
            claims_after=counts[0],
        )
    )
    session.flush()
    return StoreResult(doc_id, "replaced" if previous else "added", *counts)


def _change(previous: Sequence[Any], sha256: str) -> str:
    if not previous:
        return "added"
    return "reextracted" if any(sha == sha256 for _id, sha in previous) else "replaced"


def _insert_document(session: Session, doc: ExtractedDocument, etag: str | None,
                     last_modified: str | None) -> int:
    row = m.Document(**rows.document(doc, etag, last_modified))
    session.add(row)
    session.flush()
    return row.id


def _bulk(session: Session, table: Any, values: list[dict[str, Any]]) -> list[int]:
    """Insert ``values`` in one statement; their new ids, in the same order."""
    if not values:
        return []
    result = session.execute(
        insert(table).returning(table.id, sort_by_parameter_order=True), values
    )
    return list(result.scalars())


def _link(session: Session, table: Any, values: list[dict[str, Any]]) -> None:
    """Insert association rows (no id to return)."""
    if values:
        session.execute(insert(table), values)


def _insert_extraction(session: Session, doc_id: int, doc: ExtractedDocument) -> tuple[int, int, int]:
    """Every extracted row of ``doc``, parents first so children can link to their ids."""
    ids = rows.Linked(doc_id, doc.pages)
    _link(session, m.Page, [rows.page(ids, p) for p in doc.pages])
    ids.sentence_ids = _bulk(session, m.Sentence, [rows.sentence(ids, s) for s in doc.sentences])
    ids.claim_ids = _bulk(session, m.Claim, [rows.claim(ids, c) for c in doc.claims])
    claim_of_number = {n: c for c, n in doc.claim_numbers}
    _bulk(session, m.NumericAssertion,
          [rows.assertion(ids, n, claim_of_number.get(i)) for i, n in enumerate(doc.numbers)])
    ids.footnote_ids = _bulk(session, m.Footnote, [rows.footnote(ids, f) for f in doc.footnotes])
    _bulk(session, m.FootnoteRef, [rows.footnote_ref(ids, r) for r in doc.footnote_refs])
    ids.citation_ids = _bulk(session, m.Citation, [rows.citation(ids, c) for c in doc.citations])
    _bulk(session, m.Figure, [rows.figure(ids, f) for f in doc.figures])
    _link(session, m.ClaimCitation,
          [rows.claim_citation(ids, c, k) for c, k in sorted(set(doc.claim_citations))])
    sentence_of = _sentence_locator(doc)
    ids.entity_ids = _bulk(session, m.Entity,
                           [rows.entity(ids, e, sentence_of(e.start)) for e in doc.entities])
    _link(session, m.ClaimEntity,
          [rows.claim_entity(ids, c, e) for c, e in sorted(set(doc.claim_entities))])
    return (len(ids.claim_ids), len(doc.numbers), len(ids.footnote_ids))


def _sentence_locator(doc: ExtractedDocument) -> Callable[[int], int | None]:
    """The index of the sentence containing an offset (entities carry offsets, not sentences)."""
    starts = [s.start for s in doc.sentences]

    def locate(offset: int) -> int | None:
        i = bisect_right(starts, offset) - 1
        if i >= 0 and doc.sentences[i].start <= offset < doc.sentences[i].end:
            return i
        return None

    return locate


def mark_reference(session: Session, document_ids: Sequence[int], reference: bool = True) -> int:
    """Mark documents as reference sources (``--reference``): other documents' figures are checked against them.

    Idempotent: re-ingesting a reference document that is already stored
    (status ``unchanged``) still marks it.  Returns how many rows changed.
    """
    if not document_ids:
        return 0
    result = session.execute(
        m.Document.__table__.update()
        .where(m.Document.id.in_(list(document_ids)), m.Document.is_reference.is_not(reference))
        .values(is_reference=reference)
    )
    return int(result.rowcount or 0)

