"""The ``report`` flow: run the audit checks, store their findings, render the report.

Checks read a consistent snapshot and the findings table is replaced in one
write transaction, so a concurrent reader sees either the old or the new
audit.  Rendering reads again in a read-only transaction (``--no-audit``
renders whatever findings are stored, without re-running the checks).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from db.findings import replace_findings
from db.queries import load_corpus, load_findings
from db.migrate import require_current
from db.session import get_engine, session_scope
from reports.checks import run_checks
from reports.context import build_report
from reports.render import FORMATS, UnknownFormat, render_report
from reports.selection import Selection, apply_selection
from reports.site import site_pages

if TYPE_CHECKING:
    from extractors.records import Corpus, FindingRow

logger = logging.getLogger(__name__)


def run_audit(db_url: str | None) -> int:
    """Re-run every check and replace the stored findings; returns how many were written."""
    engine = get_engine(db_url)
    with session_scope(engine, write=True) as session:
        findings = run_checks(load_corpus(session))
        written = replace_findings(session, findings)
    logger.info("audit wrote %s findings to %s", written, engine.url)
    return written


def write_report(db_url: str | None, fmt: str, *, audit: bool = True,
                 selection: Selection | None = None) -> str:
    """The report in ``fmt`` (md, html, json, jsonld, csv), narrowed by ``selection``.

    ValueError (UnknownFormat, UnknownSelection) names what is valid.  The audit
    always runs over the whole database; the selection narrows what is shown.
    """
    if fmt not in FORMATS:
        raise UnknownFormat(f"unknown report format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    corpus, findings = _selected(db_url, audit, selection)
    return render_report(build_report(corpus, findings), fmt)


def write_site(db_url: str | None, out_dir: Path, *, audit: bool = True,
               selection: Selection | None = None) -> int:
    """Write the HTML report as a site in ``out_dir`` (index.html, doc-<id>.html, assets/).

    Pages are written as :func:`reports.site.site_pages` yields them, one
    document at a time, so a large corpus never holds every page in memory.
    Returns how many document pages were written.
    """
    corpus, findings = _selected(db_url, audit, selection)
    pages = 0
    for relative, text in site_pages(corpus, findings):
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        pages += relative.startswith("doc-")
    logger.info("site of %s document pages written to %s", pages, out_dir)
    return pages


def _selected(db_url: str | None, audit: bool, selection: Selection | None) -> tuple[Corpus, tuple[FindingRow, ...]]:
    """Audit (unless told not to), then read the corpus and findings the report should show."""
    engine = get_engine(db_url)
    require_current(engine)  # a reader: an absent or old schema is one line, never migrated here
    if audit:
        run_audit(db_url)
    with session_scope(engine, write=False) as session:
        corpus = load_corpus(session)
        findings = load_findings(session)
    return apply_selection(corpus, findings, selection or Selection())
