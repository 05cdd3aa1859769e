"""Writing one extracted document: every row in one caller-owned transaction.

Functions here take a ``session`` and never commit (SQLAlchemy's "separate
and external" lifecycle): the flow's ``session_scope`` commits, or rolls back
everything for that document if anything fails, so nothing half-written stays.
Rows are bulk-inserted with ``INSERT ... RETURNING`` so the ids needed to
link claims, numbers, footnotes and citations come back in order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from db import models as m
from db.fts import forget_document, index_document
from extractors.types import ExtractedDocument, Page


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
    row = m.Document(
        source=doc.source,
        sha256=doc.sha256,
        kind=doc.kind,
        title=doc.title,
        language=doc.language,
        published=doc.published,
        tags=json.dumps(list(doc.tags), ensure_ascii=False),
        text=doc.text,
        body_end=doc.body_end,
        raw_text=doc.raw,
        offset_map=json.dumps(doc.offset_runs),
        warnings=json.dumps(list(doc.warnings), ensure_ascii=False) if doc.warnings else None,
        extractor_version=doc.extractor_version,
        etag=etag,
        last_modified=last_modified,
    )
    session.add(row)
    session.flush()
    return row.id


def _page_cols(pages: Sequence[Page], index: int | None) -> dict[str, int | None]:
    if index is None or not pages:
        return {"page": None, "page_index": None}
    page = pages[index]
    return {"page": page_label(page), "page_index": page.index}


def page_label(page: Page) -> int:
    """The printed page number, or the 1-based ordinal when none was printed."""
    return page.number if page.number is not None else page.index + 1


def _bulk(session: Session, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    result = session.execute(
        insert(table).returning(table.id, sort_by_parameter_order=True), rows
    )
    return list(result.scalars())


def _insert_extraction(session: Session, doc_id: int, doc: ExtractedDocument) -> tuple[int, int, int]:
    pages = doc.pages
    session.execute(
        insert(m.Page),
        [
            {
                "document_id": doc_id, "page_index": p.index, "page": page_label(p),
                "printed": p.number is not None and not p.number_inferred, "start": p.start, "end": p.end,
                "notes_start": p.notes_start, "notes_end": p.notes_end,
                "header": p.header, "footer": p.footer,
            }
            for p in pages
        ],
    ) if pages else None
    sentence_ids = _bulk(session, m.Sentence, [
        {"document_id": doc_id, **_page_cols(pages, s.page), "start": s.start, "end": s.end,
         "text": s.text, "checkworthiness": round(s.checkworthiness, 4),
         "cues": json.dumps(list(s.cues)) if s.cues else None}
        for s in doc.sentences
    ])
    claim_ids = _bulk(session, m.Claim, [
        {"document_id": doc_id, "sentence_id": sentence_ids[c.sentence] if sentence_ids else None,
         **_page_cols(pages, c.page), "start": c.start, "end": c.end, "text": c.text,
         "kind": c.kind, "checkworthiness": round(c.checkworthiness, 4),
         "cues": json.dumps(list(c.cues)) if c.cues else None,
         "attribution": c.attribution, "attribution_cue": c.attribution_cue}
        for c in doc.claims
    ])
    claim_of_number = {n: c for c, n in doc.claim_numbers}
    _bulk(session, m.NumericAssertion, [
        {"document_id": doc_id,
         "claim_id": claim_ids[claim_of_number[i]] if i in claim_of_number else None,
         **_page_cols(pages, n.page), "start": n.start, "end": n.end, "surface": n.surface,
         "value": n.value, "value_max": n.value_max, "unit": n.unit, "qualifier": n.qualifier,
         "subject": n.subject, "time_scope": n.time_scope, "change": n.change,
         "is_delta": n.is_delta, "per": n.per, "rule_id": n.rule_id or None}
        for i, n in enumerate(doc.numbers)
    ])
    footnote_ids = _bulk(session, m.Footnote, [
        {"document_id": doc_id, **_page_cols(pages, f.page), "marker": f.marker,
         "start": f.start, "end": f.end, "body": f.body}
        for f in doc.footnotes
    ])
    _bulk(session, m.FootnoteRef, [
        {"document_id": doc_id, **_page_cols(pages, r.page), "marker": r.marker,
         "start": r.start, "end": r.end,
         "footnote_id": footnote_ids[r.footnote] if r.footnote is not None else None}
        for r in doc.footnote_refs
    ])
    citation_ids = _bulk(session, m.Citation, [
        {"document_id": doc_id,
         "footnote_id": footnote_ids[c.footnote] if c.footnote is not None else None,
         **_page_cols(pages, c.page), "start": c.start, "end": c.end, "raw": c.raw,
         "authors": "; ".join(c.authors) or None, "title": c.title, "container": c.container,
         "year": c.year, "url": c.url, "kind": c.kind, "volume": c.volume, "issue": c.issue,
         "pages": c.pages, "date": c.date, "flags": "; ".join(c.flags) or None, "key": c.key}
        for c in doc.citations
    ])
    _bulk(session, m.Figure, [
        {"document_id": doc_id, **_page_cols(pages, f.page), "label": f.label, "kind": f.kind,
         "title": f.title, "start": f.start, "end": f.end, "source": f.source,
         "source_start": f.source_start, "source_end": f.source_end,
         "citation_id": citation_ids[f.citation] if f.citation is not None else None,
         "mentions": len(f.mentions)}
        for f in doc.figures
    ])
    if doc.claim_citations:
        session.execute(insert(m.ClaimCitation), [
            {"claim_id": claim_ids[c], "citation_id": citation_ids[k]}
            for c, k in sorted(set(doc.claim_citations))
        ])
    sentence_of = _sentence_locator(doc)
    entity_ids = _bulk(session, m.Entity, [
        {"document_id": doc_id,
         "sentence_id": sentence_ids[s] if (s := sentence_of(e.start)) is not None else None,
         **_page_cols(pages, e.page), "start": e.start, "end": e.end, "text": e.text,
         "label": e.label}
        for e in doc.entities
    ])
    if doc.claim_entities:
        session.execute(insert(m.ClaimEntity), [
            {"claim_id": claim_ids[c], "entity_id": entity_ids[e]}
            for c, e in sorted(set(doc.claim_entities))
        ])
    return (len(claim_ids), len(doc.numbers), len(footnote_ids))


def _sentence_locator(doc: ExtractedDocument):  # type: ignore[no-untyped-def]
    from bisect import bisect_right

    starts = [s.start for s in doc.sentences]

    def locate(offset: int) -> int | None:
        i = bisect_right(starts, offset) - 1
        if i >= 0 and doc.sentences[i].start <= offset < doc.sentences[i].end:
            return i
        return None

    return locate
