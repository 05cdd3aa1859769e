"""Writing audit findings: the checks' output replaces the ``findings`` table.

Findings are derived data (re-running the checks over the same rows gives the
same findings), so each audit replaces the whole table in the caller's
transaction rather than merging: a reader never sees half old, half new.
The writer accepts any object shaped like :class:`FindingLike` so ``db``
does not import ``reports`` (dependency direction: flows -> db, reports).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Protocol

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from db import models as m

SEVERITIES = ("info", "warning", "error")


class InvalidFinding(ValueError):
    """A finding cannot be stored (unknown severity or a span without offsets)."""


class SpanLike(Protocol):
    document_id: int
    page: int | None
    start: int
    end: int
    text: str


class FindingLike(Protocol):
    check: str
    severity: str
    message: str
    document_id: int | None
    claim_id: int | None
    footnote_id: int | None
    footnote_ref_id: int | None
    assertion_id: int | None
    citation_id: int | None

    @property
    def spans(self) -> Sequence[SpanLike]: ...


def replace_findings(session: Session, findings: Iterable[FindingLike]) -> int:
    """Delete every stored finding and insert ``findings``; returns how many were written."""
    rows = [_row(f) for f in findings]
    session.execute(delete(m.Finding))
    if rows:
        session.execute(insert(m.Finding), rows)
    return len(rows)


def _row(f: FindingLike) -> dict[str, object]:
    if f.severity not in SEVERITIES:
        raise InvalidFinding(f"finding {f.check!r} has severity {f.severity!r}; expected one of {SEVERITIES}")
    spans = [
        {"document_id": s.document_id, "page": s.page, "start": s.start, "end": s.end, "text": s.text}
        for s in f.spans
    ]
    return {
        "document_id": f.document_id, "claim_id": f.claim_id, "footnote_id": f.footnote_id,
        "footnote_ref_id": f.footnote_ref_id, "assertion_id": f.assertion_id,
        "citation_id": f.citation_id, "check": f.check, "severity": f.severity,
        "message": f.message, "spans": json.dumps(spans, ensure_ascii=False),
    }
