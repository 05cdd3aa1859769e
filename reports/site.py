"""The HTML report as a small static site: an index page plus one page per document.

One page holding every document stops being usable at a few thousand
documents (247 already make 6 MB), so ``report --format html --out DIR/``
writes:

* ``index.html``: one row per document with its title and counts only
  (claims, numbers, footnotes, findings), a client-side filter by text, check
  and severity, and the findings by check with links to the documents; past
  :data:`INDEX_PAGE_SIZE` documents the rows go on ``index-2.html`` ...;
* ``doc-<id>.html``: that document's claims, numbers, footnotes and findings,
  rendered with the same partials as the one-page report;
* ``assets/report.css`` and ``assets/report.js``: written once, not per page.

Pure: :func:`site_pages` turns corpus rows and findings into
``(relative path, html)`` pairs and yields them one document at a time, so only
one document's view-model and page are alive at once; :mod:`flows.report`
writes them.  Cross-document links (a conflict's other figure) point at the
other document's page.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from reports.context import CHECK_LABELS, DocumentView, document_views, page_anchor
from reports.findings import SEVERITY_ORDER
from reports.render import environment

if TYPE_CHECKING:
    from extractors.records import AssertionRow, Corpus, FindingRow

CSS = "assets/report.css"
JS = "assets/report.js"
INDEX = "index.html"
#: Documents per index page: in headless Chromium on a loaded 2-core machine (benchmarks/bench_site.py)
#: 1,000 rows load in 0.4-0.6 s, 2,000 in 0.8-1.7 s, 4,000 in 1.6 s; a larger corpus gets index-2.html, ...
INDEX_PAGE_SIZE = 1000
#: Top documents listed under each check in the index (the filter shows all of them).
TOP_PER_CHECK = 5
# The partials link other documents in-page (``#doc-7``, ``#doc-7-p3``); on a site they live elsewhere.
_IN_PAGE_DOC_LINK = re.compile(r'href="#(doc-(\d+)(?:-p\d+)?)"')


def page_name(document_id: int) -> str:
    """The file a document's page is written to, relative to the site root."""
    return f"doc-{document_id}.html"


@dataclass(frozen=True, slots=True)
class IndexRow:
    """What the index keeps of a document: title and counts, never its claims."""

    id: int
    page: str
    title: str
    source: str
    kind: str
    published: str | None
    claims: int
    numbers: int
    footnotes: int
    findings: int
    pairs: tuple[str, ...]  # "check:severity" of its findings, for the client-side filter
    by_check: tuple[tuple[str, int, str], ...]  # (check, how many, anchor of the first one)


@dataclass(frozen=True, slots=True)
class CheckSummary:
    check: str
    label: str
    count: int
    documents: int
    top: tuple[tuple[IndexRow, int, str], ...]  # documents with most findings of it: (row, count, first anchor)


@dataclass(frozen=True, slots=True)
class NumberRow:
    """One numeric assertion in a document page's numbers table."""

    id: int
    anchor: str
    page: int | None
    page_anchor: str | None
    surface: str
    value: float | None
    value_max: float | None
    unit: str | None
    indicator: str | None
    period: str | None
    role: str | None
    claim_anchor: str | None


@dataclass(frozen=True, slots=True)
class ElsewhereFinding:
    """A finding shown on another document's page that quotes this document too."""

    href: str
    check: str
    label: str
    severity: str
    message: str
    home_title: str


def index_name(page: int) -> str:
    """The file of the index's ``page``-th page (1-based)."""
    return INDEX if page == 1 else f"index-{page}.html"


def site_pages(corpus: Corpus, findings: Sequence[FindingRow], *,
               page_size: int = INDEX_PAGE_SIZE) -> Iterator[tuple[str, str]]:
    """Every file of the site as ``(relative path, text)``: assets, each document page, then the index
    (``page_size`` documents per index page)."""
    yield CSS, _static("report.css") + _static("site.css")
    yield JS, _static("report.js") + _static("site.js")
    titles = {d.id: d.title or d.source for d in corpus.documents}
    elsewhere = _elsewhere(findings, titles)
    order = [d.id for d in corpus.documents]
    on_site = frozenset(order)
    rows: list[IndexRow] = []
    for i, (doc, part) in enumerate(document_views(corpus, findings)):
        neighbours = (order[i - 1] if i else None, order[i + 1] if i + 1 < len(order) else None)
        known = frozenset(p.anchor for p in doc.pages)
        claims = frozenset(c.id for c in doc.claims)
        numbers = tuple(_number_row(a, doc.id, known, claims) for a in part.assertions)
        yield page_name(doc.id), render_document_page(doc, numbers, elsewhere.pop(doc.id, ()), neighbours, on_site)
        rows.append(_index_row(doc, len(part.assertions)))
    yield from render_index(rows, page_size)


def render_document_page(doc: DocumentView, numbers: tuple[NumberRow, ...],
                         elsewhere: Sequence[ElsewhereFinding],
                         neighbours: tuple[int | None, int | None], on_site: Container[int] | None = None) -> str:
    """One document's page; links into other documents are rewritten to their pages."""
    checks = sorted({f.check for f in doc.findings})
    html = environment().get_template("site_document.html.j2").render(
        doc=doc, numbers=numbers, elsewhere=elsewhere, checks=checks, labels=CHECK_LABELS,
        previous=None if neighbours[0] is None else page_name(neighbours[0]),
        next=None if neighbours[1] is None else page_name(neighbours[1]), css=CSS, js=JS, index=INDEX)
    return relink(html, doc.id, on_site)


def render_index(rows: Sequence[IndexRow], page_size: int = INDEX_PAGE_SIZE) -> Iterator[tuple[str, str]]:
    """The index pages: totals and findings by check (whole corpus) on each, then ``page_size`` documents."""
    totals = {name: sum(getattr(r, name) for r in rows) for name in ("claims", "numbers", "footnotes", "findings")}
    checks = check_summaries(rows)
    count = max(1, -(-len(rows) // page_size))
    pages = tuple((n, index_name(n)) for n in range(1, count + 1)) if count > 1 else ()
    template = environment().get_template("site_index.html.j2")
    for n in range(1, count + 1):
        first = (n - 1) * page_size
        yield index_name(n), template.render(
            rows=rows[first:first + page_size], first=first + 1, documents=len(rows), page=n, pages=pages,
            totals=totals, checks=checks, severities=tuple(SEVERITY_ORDER), css=CSS, js=JS)


def relink(html: str, document_id: int, on_site: Container[int] | None = None) -> str:
    """Point in-page links at another document (``#doc-7-p3``) to that document's page.

    A document left out of the site (``--document`` narrowed it) has no page:
    its link loses its target and says so.  Only our own ``href="#doc-…"``
    attributes match: document text is autoescaped, so a quote in it is
    ``&#34;`` and can never form one.
    """
    def fix(m: re.Match[str]) -> str:
        other = int(m.group(2))
        if other == document_id:
            return m.group(0)
        if on_site is not None and other not in on_site:
            return 'title="not in this report"'
        return f'href="{page_name(other)}#{m.group(1)}"'
    return _IN_PAGE_DOC_LINK.sub(fix, html)


def check_summaries(rows: Sequence[IndexRow]) -> tuple[CheckSummary, ...]:
    """Per check: how many findings, in how many documents, and the documents with most of them."""
    per_doc: dict[str, list[tuple[IndexRow, int, str]]] = defaultdict(list)
    for row in rows:
        for check, n, anchor in row.by_check:
            per_doc[check].append((row, n, anchor))
    out = []
    for check in sorted(per_doc):
        docs = per_doc[check]
        top = tuple(sorted(docs, key=lambda rn: (-rn[1], rn[0].id))[:TOP_PER_CHECK])
        out.append(CheckSummary(check, CHECK_LABELS.get(check, check), sum(n for _, n, _ in docs), len(docs), top))
    return tuple(out)


def _index_row(doc: DocumentView, numbers: int) -> IndexRow:
    counts = Counter(f.check for f in doc.findings)
    first: dict[str, str] = {}
    for f in doc.findings:
        first.setdefault(f.check, f.anchor)
    pairs = tuple(sorted({f"{f.check}:{f.severity}" for f in doc.findings}))
    return IndexRow(doc.id, page_name(doc.id), doc.title, doc.source, doc.kind, doc.published, len(doc.claims),
                    numbers, len(doc.footnotes), len(doc.findings), pairs,
                    tuple((check, counts[check], first[check]) for check in sorted(counts)))


def _number_row(a: AssertionRow, document_id: int, known: frozenset[str], claims: frozenset[int]) -> NumberRow:
    return NumberRow(a.id, f"num-{a.id}", a.page, page_anchor(document_id, a.page, known), a.surface, a.value,
                     a.value_max, a.unit, a.indicator, a.period, a.role,
                     f"claim-{a.claim_id}" if a.claim_id in claims else None)


def _elsewhere(findings: Sequence[FindingRow], titles: dict[int, str]) -> dict[int, list[ElsewhereFinding]]:
    """Findings quoting a document other than their own, listed under that other document."""
    out: dict[int, list[ElsewhereFinding]] = defaultdict(list)
    for f in findings:
        if f.document_id is None or f.document_id not in titles:
            continue
        for other in sorted({s.document_id for s in f.spans} - {f.document_id}):
            if other in titles:
                out[other].append(ElsewhereFinding(
                    f"{page_name(f.document_id)}#finding-{f.id}", f.check, CHECK_LABELS.get(f.check, f.check),
                    f.severity, f.message, titles[f.document_id]))
    return out


@cache
def _static(name: str) -> str:
    """Our own CSS/JS (never document text)."""
    return files("reports").joinpath("static", name).read_text(encoding="utf-8")
