"""Read functions for the reports: SQL rows in, plain frozen dataclasses out.

``reports/`` never sees ORM objects or sessions: the flow calls
:func:`load_corpus` / :func:`load_findings` inside its read transaction and
hands the resulting dataclasses to the (pure) checks and templates.  Every
row keeps its ids, ``page`` (printed page number) and ``start``/``end``
(0-based, end-exclusive offsets into ``documents.text``) so a report can
quote and link each span.
"""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from db import models as m
from extractors.records import (
    PageRow,
    DocumentRow,
    AssertionRow,
    CitationRow,
    ClaimRow,
    FootnoteRow,
    FootnoteRefRow,
    FigureRow,
    SpanRow,
    FindingRow,
    TargetOutcomeRow,
    Corpus,
)


def load_corpus(session: Session) -> Corpus:
    """Read every document with its claims, numbers, footnotes, markers and citations."""
    return Corpus(
        documents=_documents(session),
        claims=_claims(session),
        assertions=_assertions(session),
        footnotes=tuple(
            FootnoteRow(r.id, r.document_id, r.page, r.marker, r.start, r.end, r.body)
            for r in session.scalars(select(m.Footnote).order_by(m.Footnote.document_id, m.Footnote.start))
        ),
        footnote_refs=tuple(
            FootnoteRefRow(r.id, r.document_id, r.page, r.marker, r.start, r.end, r.footnote_id)
            for r in session.scalars(
                select(m.FootnoteRef).order_by(m.FootnoteRef.document_id, m.FootnoteRef.start)
            )
        ),
        citations=_citations(session),
        figures=tuple(
            FigureRow(f.id, f.document_id, f.page, f.label, f.kind, f.title, f.start, f.end,
                      f.source, f.citation_id, f.mentions)
            for f in session.scalars(select(m.Figure).order_by(m.Figure.document_id, m.Figure.start))
        ),
        target_outcomes=_target_outcomes(session),
    )


def _target_outcomes(session: Session) -> tuple[TargetOutcomeRow, ...]:
    """The ``target_outcomes`` view (migration 0005): the verdict is computed in SQL only."""
    rows = session.execute(text(
        "SELECT outcome_document_id, target_assertion_id, target_document_id, outcome_assertion_id, "
        "indicator, scope, period, verdict FROM target_outcomes "
        "ORDER BY outcome_document_id, outcome_assertion_id, target_assertion_id"
    ))
    return tuple(TargetOutcomeRow(*row) for row in rows)


def _documents(session: Session) -> tuple[DocumentRow, ...]:
    pages: dict[int, list[PageRow]] = defaultdict(list)
    for p in session.scalars(select(m.Page).order_by(m.Page.document_id, m.Page.page_index)):
        pages[p.document_id].append(PageRow(p.document_id, p.page_index, p.page, p.start, p.end))
    return tuple(
        DocumentRow(d.id, d.source, d.kind, d.title, d.language, d.published, d.text, d.body_end,
                    tuple(pages[d.id]), bool(d.is_reference), *_raw(d))
        for d in session.scalars(select(m.Document).order_by(m.Document.id))
    )


def _raw(d: m.Document) -> tuple[str, tuple[tuple[int, int, int], ...]]:
    """Raw text and offset runs for the report's source links; a PDF's links need only its pages,
    so its (large) raw text layer is not kept in the corpus."""
    if d.kind == "pdf" or not d.offset_map:
        return "", ()
    return d.raw_text or "", tuple((int(c), int(r), int(n)) for c, r, n in json.loads(d.offset_map))


def _claims(session: Session) -> tuple[ClaimRow, ...]:
    cited: dict[int, list[int]] = defaultdict(list)
    for claim_id, citation_id in session.execute(
        select(m.ClaimCitation.claim_id, m.ClaimCitation.citation_id).order_by(
            m.ClaimCitation.claim_id, m.ClaimCitation.citation_id)
    ):
        cited[claim_id].append(citation_id)
    numbers: dict[int, list[int]] = defaultdict(list)
    for aid, claim_id in session.execute(
        select(m.NumericAssertion.id, m.NumericAssertion.claim_id)
        .where(m.NumericAssertion.claim_id.is_not(None))
        .order_by(m.NumericAssertion.start)
    ):
        numbers[claim_id].append(aid)
    return tuple(
        ClaimRow(c.id, c.document_id, c.page, c.start, c.end, c.text, c.kind, c.checkworthiness,
                 tuple(json.loads(c.cues)) if c.cues else (), c.attribution, c.attribution_cue,
                 tuple(cited[c.id]), tuple(numbers[c.id]))
        for c in session.scalars(select(m.Claim).order_by(m.Claim.document_id, m.Claim.start))
    )


def _assertions(session: Session) -> tuple[AssertionRow, ...]:
    rows = session.scalars(
        select(m.NumericAssertion).order_by(m.NumericAssertion.document_id, m.NumericAssertion.start)
    )
    return tuple(
        AssertionRow(a.id, a.document_id, a.claim_id, a.page, a.start, a.end, a.surface, a.value,
                     a.value_max, a.unit, a.qualifier, a.subject, a.time_scope, a.change,
                     bool(a.is_delta), a.per, a.rule_id, a.unit_kind, a.indicator, a.scope, a.period,
                     a.measure, a.role, a.better)
        for a in rows
    )


def _citations(session: Session) -> tuple[CitationRow, ...]:
    rows = session.scalars(select(m.Citation).order_by(m.Citation.document_id, m.Citation.start))
    return tuple(
        CitationRow(c.id, c.document_id, c.footnote_id, c.page, c.start, c.end, c.raw, c.kind,
                    c.authors, c.title, c.container, c.year, c.url, c.date, c.flags)
        for c in rows
    )


def load_findings(session: Session) -> tuple[FindingRow, ...]:
    """Stored findings per document in the order the audit ranked them (reports.checks.run_checks:
    contradicted figures first, then sourcing, then by severity); ids follow that order."""
    rows = [
        FindingRow(f.id, f.document_id, f.check, f.severity, f.message, _spans(f.spans),
                   f.claim_id, f.footnote_id, f.footnote_ref_id, f.assertion_id, f.citation_id)
        for f in session.scalars(select(m.Finding).order_by(m.Finding.id))
    ]
    rows.sort(key=lambda f: (f.document_id or 0, f.id))
    return tuple(rows)


def _spans(raw: str | None) -> tuple[SpanRow, ...]:
    if not raw:
        return ()
    return tuple(
        SpanRow(s["document_id"], s.get("page"), s["start"], s["end"], s["text"]) for s in json.loads(raw)
    )
