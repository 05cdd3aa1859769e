"""The checks' output: a finding quotes the exact spans it is about.

Kept apart from the check logic so templates, checks and the flow share one
small type.  ``spans`` quote ``documents.text[start:end]`` with the printed
page, so a reader can find each one in the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Span:
    document_id: int
    page: int | None
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One audit result: ``message`` is a single sentence that says why."""

    check: str
    severity: str  # info | warning | error
    message: str
    document_id: int | None
    spans: tuple[Span, ...] = ()
    claim_id: int | None = None
    footnote_id: int | None = None
    footnote_ref_id: int | None = None
    assertion_id: int | None = None
    citation_id: int | None = None


def span_of(text: str, document_id: int, page: int | None, start: int, end: int) -> Span:
    """Quote ``text[start:end]`` (the document text) so the span is exact by construction."""
    return Span(document_id, page, start, end, text[start:end])


def date_key(value: str | None) -> tuple[int, int, int] | None:
    """An ISO-ish date (2025-03-01, 2025年3月) as (year, month, day); unknown parts are 0."""
    if not value:
        return None
    m = re.match(r"\s*([12][0-9]{3})(?:[-/.年]([01]?[0-9]))?(?:[-/.月]([0-3]?[0-9]))?", value)
    if m is None:
        return None
    return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))


def source_name(source: str) -> str:
    """The file name of a path or URL: ``/a/b/report.pdf`` -> ``report.pdf``, ``https://x.org/`` -> ``x.org``."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", source, re.I):
        parts = urlsplit(source)
        name = PurePosixPath(unquote(parts.path)).name
        return name or parts.netloc or source
    return PurePosixPath(source.replace("\\", "/")).name or source
