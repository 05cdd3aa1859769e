"""Figures checked against reference documents, and targets against their outcomes.

A reference document is one ingested with ``--reference`` (an official
report, a statistical bulletin): the everyday fact-check is a blog post
quoting it.  A figure of another document that states the same indicator,
scope, period, measure and role as a reference figure is confirmed when the
values can both hold (hedges, ranges and printed rounding allowed, see
:func:`reports.numbers.compatible`) and contradicted otherwise.  A figure
that names no scope borrows the reference's when every reference figure of
that indicator and period has the same one (a post quoting "2024年国内生产
总值" from the State Council's report means China's).

Targets and outcomes are paired in SQL (view ``target_outcomes``); here each
pair becomes an info finding under the outcome's document.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from reports.findings import Finding, span_of
from reports.numbers import comparison_key, compatible

if TYPE_CHECKING:
    from extractors.records import AssertionRow, Corpus, DocumentRow


def check_reference_figures(corpus: Corpus) -> list[Finding]:
    """``numbers.matches_reference`` (info) or ``numbers.contradicts_reference`` (warning) per quoted figure."""
    docs = {d.id: d for d in corpus.documents}
    references = {d.id for d in corpus.documents if d.is_reference}
    if not references:
        return []
    index: dict[tuple[str, ...], list[AssertionRow]] = defaultdict(list)
    for a in corpus.assertions:
        if a.document_id in references and (key := comparison_key(a)) is not None:
            index[key].append(a)
    out: list[Finding] = []
    for a in corpus.assertions:
        if a.document_id in references or (key := comparison_key(a)) is None:
            continue
        candidates = _same_scope(a, index.get(key, []))
        if not candidates:
            continue
        match = next((r for r in candidates if compatible(a, r)), None)
        out.append(_finding(a, match or _nearest(a, candidates), docs, agrees=match is not None))
    return out


def _same_scope(a: AssertionRow, rows: list[AssertionRow]) -> list[AssertionRow]:
    """Reference figures about the same whose: equal scopes, or the only scope there is when ``a`` names none."""
    if a.scope:
        return [r for r in rows if r.scope == a.scope]
    scopes = {r.scope for r in rows}
    return rows if len(scopes) == 1 else []


def _nearest(a: AssertionRow, rows: list[AssertionRow]) -> AssertionRow:
    return min(rows, key=lambda r: abs((r.value or 0.0) - (a.value or 0.0)))


def _finding(a: AssertionRow, ref: AssertionRow, docs: dict[int, DocumentRow], *, agrees: bool) -> Finding:
    doc, rdoc = docs[a.document_id], docs[ref.document_id]
    said, stated = doc.text[a.start:a.end], rdoc.text[ref.start:ref.end]
    what = f"{a.indicator} ({ref.scope or a.scope}, {a.period})" if (ref.scope or a.scope) else \
        f"{a.indicator} ({a.period})"
    name = rdoc.title or rdoc.source
    spans = (span_of(doc.text, doc.id, a.page, a.start, a.end),
             span_of(rdoc.text, rdoc.id, ref.page, ref.start, ref.end))
    if agrees:
        return Finding("numbers.matches_reference", "info",
                       f"“{said}” for {what} agrees with “{stated}” in the reference {name}.",
                       doc.id, spans, claim_id=a.claim_id, assertion_id=a.id)
    return Finding("numbers.contradicts_reference", "warning",
                   f"“{said}” for {what} contradicts the reference {name}, which states “{stated}”.",
                   doc.id, spans, claim_id=a.claim_id, assertion_id=a.id)


def check_target_outcomes(corpus: Corpus) -> list[Finding]:
    """``numbers.target_outcome`` (info): a target for a period and the outcome stated for it."""
    docs = {d.id: d for d in corpus.documents}
    rows = {a.id: a for a in corpus.assertions}
    out: list[Finding] = []
    for pair in corpus.target_outcomes:
        target, outcome = rows.get(pair.target_assertion_id), rows.get(pair.outcome_assertion_id)
        if target is None or outcome is None:
            continue
        tdoc, odoc = docs[target.document_id], docs[outcome.document_id]
        where = "" if tdoc.id == odoc.id else f" in {tdoc.title or tdoc.source}"
        out.append(Finding(
            "numbers.target_outcome", "info",
            f"The {pair.period} target for {pair.indicator} was “{tdoc.text[target.start:target.end]}”{where}; "
            f"the outcome “{odoc.text[outcome.start:outcome.end]}” {pair.verdict} it.",
            odoc.id,
            (span_of(odoc.text, odoc.id, outcome.page, outcome.start, outcome.end),
             span_of(tdoc.text, tdoc.id, target.page, target.start, target.end)),
            claim_id=outcome.claim_id, assertion_id=outcome.id))
    return out


REFERENCE_CHECKS = (check_reference_figures, check_target_outcomes)
