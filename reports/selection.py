"""Narrow a report to some documents, some checks, or the more severe findings.

A desk with ten thousand documents does not read one report of all of them:
an editor wants "this paper, warnings and worse" or "every numbers finding".
The audit still runs over the whole database (a conflict needs both
documents); only what is rendered is narrowed.  A cross-document finding
whose other span lies in a selected document is shown under that document.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reports.context import row_fields
from reports.findings import SEVERITY_ORDER

if TYPE_CHECKING:
    from extractors.records import Corpus, DocumentRow, FindingRow


class UnknownSelection(ValueError):
    """A selector that matches nothing, or a severity that does not exist."""


@dataclass(frozen=True, slots=True)
class Selection:
    """``documents``: ids or substrings of a document's source or title; ``checks``: names or
    prefixes (``numbers.``); ``min_severity``: info, warning or error."""

    documents: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    min_severity: str = "info"

    def __post_init__(self) -> None:
        if self.min_severity not in SEVERITY_ORDER:
            raise UnknownSelection(
                f"unknown severity {self.min_severity!r}; expected one of: {', '.join(SEVERITY_ORDER)}")

    @property
    def empty(self) -> bool:
        return not self.documents and not self.checks and self.min_severity == "info"


def matching_documents(documents: tuple[DocumentRow, ...], selectors: tuple[str, ...]) -> tuple[DocumentRow, ...]:
    """Documents any selector names: an exact id, or a case-insensitive substring of source or title."""
    chosen = []
    for selector in selectors:
        wanted = selector.strip().lower()
        hits = [d for d in documents
                if wanted == str(d.id)
                or wanted in d.source.lower() or wanted in (d.title or "").lower()]
        if not hits:
            raise UnknownSelection(f"no document matches {selector!r} (give an id, or part of a source path or title)")
        chosen.extend(hits)
    ids = {d.id for d in chosen}
    return tuple(d for d in documents if d.id in ids)


def apply_selection(corpus: Corpus, findings: tuple[FindingRow, ...],
                    selection: Selection) -> tuple[Corpus, tuple[FindingRow, ...]]:
    """The corpus rows and findings the report should show."""
    if selection.empty:
        return corpus, findings
    documents = matching_documents(corpus.documents, selection.documents) if selection.documents else corpus.documents
    ids = {d.id for d in documents}
    kept = []
    for f in findings:
        if SEVERITY_ORDER.get(f.severity, 9) > SEVERITY_ORDER[selection.min_severity]:
            continue
        if selection.checks and not any(f.check == c or (c.endswith(".") and f.check.startswith(c))
                                        for c in selection.checks):
            continue
        home = f.document_id if f.document_id in ids else next(
            (s.document_id for s in f.spans if s.document_id in ids), None)
        if home is None:
            continue
        kept.append(f if home == f.document_id else replace(f, document_id=home))
    narrowed = replace(
        corpus,
        documents=documents,
        **{name: tuple(row for row in getattr(corpus, name) if row.document_id in ids)
           for name in row_fields(corpus)},
    )
    return narrowed, tuple(kept)
