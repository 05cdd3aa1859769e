"""Data formats of the report: JSON (schema in docs/report-json.md), ClaimReview JSON-LD, CSV.

All three are built from the same view-model as the HTML page.  JSON keeps
non-ASCII text readable (``ensure_ascii=False``) and a fixed key order so
diffs between runs show only real changes.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any

from reports.context import ClaimView, DocumentView, FindingView, ReportView
from reports.findings import SEVERITY_ORDER

SCHEMA = "claimledger.report"
SCHEMA_VERSION = 1
REVIEWER = {"@type": "Organization", "name": "ClaimLedger automated audit"}
CSV_COLUMNS = ("row_type", "document_id", "document_title", "id", "page", "start", "end", "kind", "check",
               "severity", "status", "text", "message", "claim_id", "citation_ids", "finding_ids")


def _finding(f: FindingView) -> dict[str, Any]:
    return {
        "id": f.id, "check": f.check, "label": f.label, "severity": f.severity, "message": f.message,
        "claim_id": f.claim_id, "footnote_id": f.footnote_id, "footnote_ref_id": f.footnote_ref_id,
        "assertion_id": f.assertion_id, "citation_id": f.citation_id,
        "spans": [{"document_id": s.document_id, "page": s.page, "start": s.start, "end": s.end, "text": s.text,
                   "source_href": s.source_href} for s in f.spans],
    }


def _claim(c: ClaimView) -> dict[str, Any]:
    return {
        "id": c.id, "page": c.page, "start": c.start, "end": c.end, "text": c.text, "kind": c.kind,
        "checkworthiness": c.checkworthiness, "cues": list(c.cues), "attribution": c.attribution,
        "attribution_cue": c.attribution_cue, "status": c.status,
        "citation_ids": [x.id for x in c.citations],
        "numbers": [asdict(n) for n in c.numbers],
        "finding_ids": [f.id for f in c.findings],
        "source_href": c.source_href,
    }


def _document(d: DocumentView) -> dict[str, Any]:
    return {
        "id": d.id, "source": d.source, "title": d.title, "kind": d.kind, "language": d.language,
        "published": d.published,
        "pages": [{"page": p.page, "start": p.start, "end": p.end} for p in d.pages],
        "claims": [_claim(c) for c in d.claims],
        "footnotes": [{"id": n.id, "marker": n.marker, "page": n.page, "start": n.start, "end": n.end,
                       "body": n.body, "ref_ids": [r.id for r in n.refs], "source_href": n.source_href}
                      for n in d.footnotes],
        "dangling_refs": [{"id": r.id, "marker": r.marker, "page": r.page, "start": r.start, "end": r.end}
                          for r in d.dangling_refs],
        "citations": [{"id": c.id, "kind": c.kind, "raw": c.raw, "page": c.page, "start": c.start,
                       "end": c.end, "title": c.title, "container": c.container, "year": c.year,
                       "url": c.url, "footnote_id": c.footnote_id} for c in d.citations],
        "figures": [{"id": f.id, "label": f.label, "kind": f.kind, "title": f.title, "page": f.page,
                     "start": f.start, "end": f.end, "source": f.source,
                     "citation_id": f.citation_id,
                     "mentions": f.mentions} for f in d.figures],
        "findings": [_finding(f) for f in d.findings],
    }


def report_dict(report: ReportView) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "summary": {
            "documents": len(report.documents), "claims": report.total_claims,
            "findings": report.total_findings, "claims_by_kind": dict(report.claims_by_kind),
            "findings_by_check": dict(report.findings_by_check),
            "findings_by_severity": dict(report.findings_by_severity),
        },
        "documents": [_document(d) for d in report.documents],
    }


def to_json(report: ReportView) -> str:
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- JSON-LD


def _worst(findings: tuple[FindingView, ...]) -> FindingView:
    """Most severe first; among equals, a verdict on the claim itself beats one on its footnote marker."""
    return min(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.check.startswith("footnotes."), f.id))


def claim_review(doc: DocumentView, c: ClaimView) -> dict[str, Any]:
    """A schema.org ClaimReview for one claim with findings; the rating is its worst finding."""
    worst = _worst(c.findings)
    appearance: dict[str, Any] = {"@type": "CreativeWork", "name": doc.title}
    if doc.link:
        appearance["url"] = doc.link
    else:
        appearance["identifier"] = doc.source
    claim: dict[str, Any] = {
        "@type": "Claim",
        "author": {"@type": "Person" if c.attribution else "Organization", "name": c.attribution or doc.title},
        "appearance": appearance,
        "text": c.text,
    }
    if doc.published:
        claim["datePublished"] = doc.published
    labels = sorted({f.label for f in c.findings})
    return {
        "@type": "ClaimReview",
        "@id": f"#{c.anchor}",
        "claimReviewed": c.text,
        "author": REVIEWER,
        "itemReviewed": claim,
        "reviewRating": {"@type": "Rating", "alternateName": worst.label,
                         "ratingExplanation": " ".join(f.message for f in c.findings)},
        "reviewBody": "; ".join(labels),
        "keywords": [f.check for f in c.findings],
    }


def to_jsonld(report: ReportView) -> str:
    graph = [claim_review(d, c) for d in report.documents for c in d.claims if c.findings]
    return json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- CSV


def csv_rows(report: ReportView) -> list[dict[str, Any]]:
    """One table: ``row_type`` is ``claim`` or ``finding`` (findings quote their spans joined by " | ")."""
    rows: list[dict[str, Any]] = []
    for d in report.documents:
        for c in d.claims:
            rows.append({"row_type": "claim", "document_id": d.id, "document_title": d.title, "id": c.id,
                         "page": c.page, "start": c.start, "end": c.end, "kind": c.kind, "status": c.status,
                         "text": c.text, "claim_id": c.id,
                         "citation_ids": " ".join(str(x.id) for x in c.citations),
                         "finding_ids": " ".join(str(f.id) for f in c.findings)})
        for f in d.findings:
            first = f.spans[0] if f.spans else None
            rows.append({"row_type": "finding", "document_id": d.id, "document_title": d.title, "id": f.id,
                         "page": first.page if first else None, "start": first.start if first else None,
                         "end": first.end if first else None, "check": f.check, "severity": f.severity,
                         "text": " | ".join(s.text for s in f.spans), "message": f.message,
                         "claim_id": f.claim_id,
                         "citation_ids": "" if f.citation_id is None else str(f.citation_id),
                         "finding_ids": str(f.id)})
    return rows


def to_csv(report: ReportView) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(report):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    """Neutralize spreadsheet formulas: a cell starting with = + - @ is prefixed with '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value
