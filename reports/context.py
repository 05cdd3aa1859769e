"""Query rows + stored findings -> the view-model every report format renders.

Pure: no session, no I/O.  Everything a template needs is computed here
(anchors, claim status, chart geometry, which URLs may become links), so the
templates only lay things out and every format shows the same facts.
Anchors: ``doc-{id}``, ``doc-{id}-p{page}``, ``claim-{id}``, ``cite-{id}``,
``fn-{id}``, ``ref-{id}``, ``finding-{id}``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from extractors.lexicon import display_width
from reports.findings import SEVERITY_ORDER
from reports.source_links import SourceLink, SourceLocator, locator

if TYPE_CHECKING:
    from extractors.records import (
        AssertionRow,
        CitationRow,
        ClaimRow,
        Corpus,
        DocumentRow,
        FindingRow,
        FootnoteRow,
        PageRow,
        SpanRow,
    )

#: Short human names; also ClaimReview ``reviewRating.alternateName``.
CHECK_LABELS = {
    "sourcing.uncited_claim": "uncited",
    "sourcing.attributed_unsourced": "unsourced",
    "footnotes.dangling_ref": "dangling footnote",
    "footnotes.orphan_body": "orphan footnote",
    "citations.incomplete": "incomplete citation",
    "citations.web_only": "web-only source",
    "citations.after_publication": "source after publication",
    "sourcing.figure_unsourced": "unsourced figure",
    "corpus.duplicate_document": "duplicate document",
    "numbers.arithmetic_consistent": "arithmetic consistent",
    "numbers.arithmetic_inconsistent": "arithmetic inconsistent",
    "numbers.impossible_percentage": "impossible percentage",
    "numbers.fraction_mismatch": "fraction stated inconsistently",
    "numbers.conflict": "conflicting figures",
    "numbers.stale": "stale figure",
    "numbers.contradicts_reference": "contradicts reference",
    "numbers.matches_reference": "matches reference",
    "numbers.target_outcome": "target vs outcome",
}
CHART_WIDTH = 320
BAR_HEIGHT = 18


@dataclass(frozen=True, slots=True)
class SpanView:
    document_id: int
    page: int | None
    start: int
    end: int
    text: str
    page_anchor: str | None
    source_href: str | None = None  # the original at this span (reports.source_links), safe to link
    source_label: str | None = None


@dataclass(frozen=True, slots=True)
class FindingView:
    id: int
    anchor: str
    check: str
    label: str
    severity: str
    message: str
    document_id: int | None
    spans: tuple[SpanView, ...]
    claim_id: int | None = None
    footnote_id: int | None = None
    footnote_ref_id: int | None = None
    assertion_id: int | None = None
    citation_id: int | None = None


@dataclass(frozen=True, slots=True)
class NumberView:
    id: int
    surface: str
    value: float | None
    value_max: float | None
    unit: str | None
    qualifier: str
    subject: str | None
    time_scope: str | None
    unit_kind: str | None = None  # extractors.types.UnitKind; ratios hold fractions of one (0.8 for 八成)
    indicator: str | None = None  # what, whose, when, how and as what (extractors.types.NumericAssertion)
    scope: str | None = None
    period: str | None = None
    measure: str | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class CitationView:
    id: int
    anchor: str
    kind: str
    raw: str
    page: int | None
    start: int
    end: int
    title: str | None
    container: str | None
    year: int | None
    url: str | None
    link: str | None  # ``url`` when it is safe to make clickable (http/https), else None
    footnote_id: int | None


@dataclass(frozen=True, slots=True)
class ClaimView:
    id: int
    anchor: str
    document_id: int
    page: int | None
    page_anchor: str | None
    start: int
    end: int
    text: str
    kind: str
    checkworthiness: float
    cues: tuple[str, ...]
    attribution: str | None
    attribution_cue: str | None
    status: str  # cited | uncited
    citations: tuple[CitationView, ...]
    numbers: tuple[NumberView, ...]
    findings: tuple[FindingView, ...]
    source_href: str | None = None  # the original at this claim (PDF page, web passage, file line)
    source_label: str | None = None


@dataclass(frozen=True, slots=True)
class RefView:
    id: int
    anchor: str
    marker: str
    page: int | None
    start: int
    end: int
    footnote_anchor: str | None  # None: dangling


@dataclass(frozen=True, slots=True)
class FootnoteView:
    id: int
    anchor: str
    marker: str
    page: int | None
    start: int
    end: int
    body: str
    refs: tuple[RefView, ...]
    source_href: str | None = None
    source_label: str | None = None


@dataclass(frozen=True, slots=True)
class FigureView:
    id: int
    anchor: str
    label: str
    kind: str
    title: str
    page: int | None
    start: int
    end: int
    source: str | None
    citation_id: int | None  # its anchor is cite-{id}
    mentions: int


@dataclass(frozen=True, slots=True)
class PageView:
    page: int
    anchor: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DocumentView:
    id: int
    anchor: str
    title: str
    source: str
    link: str | None
    kind: str
    language: str | None
    published: str | None
    pages: tuple[PageView, ...]
    claims: tuple[ClaimView, ...]
    footnotes: tuple[FootnoteView, ...]
    dangling_refs: tuple[RefView, ...]
    citations: tuple[CitationView, ...]
    findings: tuple[FindingView, ...]
    figures: tuple[FigureView, ...] = ()


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of an inline SVG chart, geometry precomputed."""

    label: str
    value: int
    y: int
    width: int


@dataclass(frozen=True, slots=True)
class ReportView:
    documents: tuple[DocumentView, ...]
    claims_by_kind: tuple[tuple[str, int], ...]
    findings_by_check: tuple[tuple[str, int], ...]
    findings_by_severity: tuple[tuple[str, int], ...]
    total_claims: int
    total_findings: int
    checks: tuple[str, ...]  # every check present, for the HTML filter
    chart_findings: tuple[Bar, ...]
    chart_kinds: tuple[Bar, ...]
    labels: dict[str, str]


def safe_link(url: str | None, *, allow_file: bool = False) -> str | None:
    """Only http(s) URLs may become links (no javascript:, data:, file:).

    ``allow_file`` also lets an absolute local ``file:///`` URL through: the
    links back to a source the user ingested from disk, never a URL found in
    document text (a citation must not open a local file).
    """
    if not url:
        return None
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and parts.netloc:
        return url.strip()
    if allow_file and scheme == "file" and parts.netloc in ("", "localhost") and parts.path.startswith("/"):
        return url.strip()
    return None


def source_link(where: SourceLocator | None, start: int, end: int, page: int | None) -> SourceLink:
    """The link back to the original at ``[start, end)``, its href filtered by :func:`safe_link`.

    ``label`` is empty when the source has no address (a relative path, a pasted text).
    """
    found = where.link(start, end, page) if where is not None else None
    if found is None:
        return SourceLink(None, "")
    return SourceLink(safe_link(found.href, allow_file=True), found.label)


def _span_view(s: SpanRow, known: frozenset[str], where: SourceLocator | None) -> SpanView:
    link = source_link(where, s.start, s.end, s.page)
    return SpanView(s.document_id, s.page, s.start, s.end, s.text, page_anchor(s.document_id, s.page, known),
                    link.href, link.label or None)


def _spans_linked(f: FindingView, document_id: int, where: SourceLocator) -> FindingView:
    """``f`` with source links on its spans of document ``document_id`` that have none yet."""
    if all(s.source_href or s.document_id != document_id for s in f.spans):
        return f
    spans = tuple(s if s.source_href or s.document_id != document_id else
                  replace(s, **_link_fields(source_link(where, s.start, s.end, s.page))) for s in f.spans)
    return replace(f, spans=spans)


def _link_fields(link: SourceLink) -> dict[str, str | None]:
    return {"source_href": link.href, "source_label": link.label or None}


def page_anchor(document_id: int, page: int | None, known: frozenset[str] | None = None) -> str | None:
    """The page's anchor, or None when the document has no such page to jump to."""
    anchor = None if page is None else f"doc-{document_id}-p{page}"
    return anchor if known is None or anchor in known else None


def build_report(corpus: Corpus, findings: Sequence[FindingRow]) -> ReportView:
    """Assemble the whole report view-model (documents in id order)."""
    known = frozenset(f"doc-{d.id}-p{p.page}" for d in corpus.documents for p in d.pages)
    sources = {d.id: locator(d) for d in corpus.documents}
    views = [_finding_view(f, known, sources) for f in findings]
    by_doc: dict[int | None, list[FindingView]] = defaultdict(list)
    for v in views:
        by_doc[v.document_id].append(v)
    parts = split_by_document(corpus)
    documents = tuple(_document_view(parts[d.id], d, by_doc[d.id], known, sources[d.id])
                      for d in corpus.documents)
    kinds = Counter(c.kind for c in corpus.claims)
    checks = Counter(v.check for v in views)
    severities = Counter(v.severity for v in views)
    per_doc = [(_short(d.title), len(d.findings)) for d in documents]
    return ReportView(
        documents=documents,
        claims_by_kind=tuple(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        findings_by_check=tuple(sorted(checks.items())),
        findings_by_severity=tuple(sorted(severities.items(), key=lambda kv: SEVERITY_ORDER.get(kv[0], 9))),
        total_claims=len(corpus.claims),
        total_findings=len(views),
        checks=tuple(sorted(checks)),
        chart_findings=bars(per_doc),
        chart_kinds=bars(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        labels=dict(CHECK_LABELS),
    )


def document_views(corpus: Corpus, findings: Sequence[FindingRow]) -> Iterator[tuple[DocumentView, Corpus]]:
    """Each document's view with its own rows, one at a time (id order).

    A corpus-scale site renders a page per document and drops its view before
    building the next, so only one document's view-model is alive at a time.
    """
    known = frozenset(f"doc-{d.id}-p{p.page}" for d in corpus.documents for p in d.pages)
    sources = {d.id: locator(d) for d in corpus.documents}
    by_doc: dict[int | None, list[FindingRow]] = defaultdict(list)
    for f in findings:
        by_doc[f.document_id].append(f)
    parts = split_by_document(corpus)
    for d in corpus.documents:
        part = parts.pop(d.id)
        views = [_finding_view(f, known, sources) for f in by_doc.pop(d.id, [])]
        yield _document_view(part, d, views, known, sources[d.id]), part


def row_fields(corpus: Corpus) -> tuple[str, ...]:
    """The corpus fields holding per-document rows: every field but ``documents``."""
    return tuple(f.name for f in fields(corpus) if f.name != "documents")


def split_by_document(corpus: Corpus) -> dict[int, Corpus]:
    """One sub-corpus per document, in one pass (so building a report stays linear in rows)."""
    names = row_fields(corpus)
    groups: dict[int, dict[str, list[Any]]] = {d.id: {n: [] for n in names} for d in corpus.documents}
    for name in names:
        for row in getattr(corpus, name):
            groups[row.document_id][name].append(row)
    return {d.id: replace(corpus, documents=(d,), **{k: tuple(v) for k, v in groups[d.id].items()})
            for d in corpus.documents}


def _columns(ch: str) -> int:
    return display_width(ch)  # CJK, full-width and the quotes/markers set wide with them take two


def _short(title: str, limit: int = 24) -> str:
    """Cut a chart label to ``limit`` columns; CJK and full-width characters take two."""
    if sum(map(_columns, title)) <= limit:
        return title
    width, out = 0, []
    for ch in title:
        width += _columns(ch)
        if width > limit - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def bars(items: Iterable[tuple[str, int]]) -> tuple[Bar, ...]:
    """Horizontal bars scaled so the largest value spans the chart width."""
    items = list(items)
    top = max((v for _, v in items), default=0) or 1
    return tuple(Bar(label, value, i * (BAR_HEIGHT + 6), round(CHART_WIDTH * value / top))
                 for i, (label, value) in enumerate(items))


def _finding_view(f: FindingRow, known: frozenset[str],
                  sources: Mapping[int, SourceLocator] | None = None) -> FindingView:
    """``sources`` (per document id) gives each span its source link; without it,
    :func:`_document_view` links the spans of its own document."""
    spans = tuple(_span_view(s, known, (sources or {}).get(s.document_id)) for s in f.spans)
    return FindingView(f.id, f"finding-{f.id}", f.check, CHECK_LABELS.get(f.check, f.check), f.severity,
                       f.message, f.document_id, spans, f.claim_id, f.footnote_id, f.footnote_ref_id,
                       f.assertion_id, f.citation_id)


def _document_view(corpus: Corpus, d: DocumentRow, findings: list[FindingView],
                   known: frozenset[str], where: SourceLocator | None = None) -> DocumentView:
    """``corpus`` holds this document's rows only (see :func:`split_by_document`)."""
    where = where or locator(d)
    findings = [_spans_linked(f, d.id, where) for f in findings]
    citations = {c.id: _citation_view(c) for c in corpus.citations}
    numbers = {a.id: _number_view(a) for a in corpus.assertions}
    by_claim: dict[int, list[FindingView]] = defaultdict(list)
    for f in findings:
        if f.claim_id is not None:
            by_claim[f.claim_id].append(f)
    claims = tuple(_claim_view(c, citations, numbers, by_claim[c.id], known, where) for c in corpus.claims)
    ref_views = [RefView(r.id, f"ref-{r.id}", r.marker, r.page, r.start, r.end,
                         f"fn-{r.footnote_id}" if r.footnote_id is not None else None) for r in corpus.footnote_refs]
    refs_of: dict[int, list[RefView]] = defaultdict(list)
    for r, v in zip(corpus.footnote_refs, ref_views):
        if r.footnote_id is not None:
            refs_of[r.footnote_id].append(v)
    footnotes = tuple(_footnote_view(n, refs_of[n.id], where) for n in corpus.footnotes)
    pages = tuple(PageView(p.page, f"doc-{d.id}-p{p.page}", p.start, p.end) for p in _unique_pages(d))
    figures = tuple(
        FigureView(f.id, f"fig-{f.id}", f.label, f.kind, f.title, f.page, f.start, f.end, f.source,
                   f.citation_id, f.mentions)
        for f in corpus.figures
    )
    return DocumentView(
        d.id, f"doc-{d.id}", d.title or d.source, d.source, safe_link(d.source), d.kind, d.language,
        d.published, pages, claims, footnotes,
        tuple(v for v in ref_views if v.footnote_anchor is None), tuple(citations.values()), tuple(findings),
        figures,
    )


def _unique_pages(d: DocumentRow) -> Iterator[PageRow]:
    """One anchor per printed page number (a number printed twice keeps its first page)."""
    seen: set[int] = set()
    for p in d.pages:
        if p.page not in seen:
            seen.add(p.page)
            yield p


def _claim_view(c: ClaimRow, citations: dict[int, CitationView], numbers: dict[int, NumberView],
                findings: list[FindingView], known: frozenset[str], where: SourceLocator | None = None) -> ClaimView:
    cited = tuple(citations[i] for i in c.citation_ids if i in citations)
    link = source_link(where, c.start, c.end, c.page)
    return ClaimView(
        c.id, f"claim-{c.id}", c.document_id, c.page, page_anchor(c.document_id, c.page, known), c.start, c.end,
        c.text, c.kind, c.checkworthiness, c.cues, c.attribution, c.attribution_cue,
        "cited" if cited else "uncited", cited, tuple(numbers[i] for i in c.assertion_ids if i in numbers),
        tuple(findings), **_link_fields(link),
    )


def _citation_view(c: CitationRow) -> CitationView:
    return CitationView(c.id, f"cite-{c.id}", c.kind, c.raw, c.page, c.start, c.end, c.title, c.container,
                        c.year, c.url, safe_link(c.url), c.footnote_id)


def _number_view(a: AssertionRow) -> NumberView:
    return NumberView(a.id, a.surface, a.value, a.value_max, a.unit, a.qualifier, a.subject, a.time_scope,
                      a.unit_kind, a.indicator, a.scope, a.period, a.measure, a.role)


def _footnote_view(n: FootnoteRow, refs: list[RefView], where: SourceLocator | None = None) -> FootnoteView:
    link = source_link(where, n.start, n.end, n.page)
    return FootnoteView(n.id, f"fn-{n.id}", n.marker, n.page, n.start, n.end, n.body, tuple(refs),
                        **_link_fields(link))
