"""Datasette metadata for a ClaimLedger SQLite file, built from the schema descriptions.

The table and column descriptions are the ones docs/schema.md is generated
from (db/schema_doc.py), so Datasette and the schema page cannot say two
different things; a column without a description raises ``SchemaDocDrift``
here as it does there.  What Datasette adds on top (labels, facets, sort
orders and the desk's canned queries) is declared once below.

:func:`build_metadata` is pure: it takes the database name Datasette will
show (the file's stem) and each relation's column names, which
:func:`read_columns` reads from the file being served.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from db.schema_doc import TABLES, VIEWS, describe

TITLE = "ClaimLedger"
DESCRIPTION = (
    "Claims, numbers, footnotes, citations and audit findings extracted from the ingested "
    "documents. Offsets (start, \"end\") are 0-based and end-exclusive into documents.text; "
    "page is the printed page number. The canned queries below answer the desk's questions."
)
SOURCE = "The documents listed in the documents table (documents.source), as ingested by claimledger"
LICENSE = "Each document keeps its publisher's terms; the extraction adds none"

# The row label Datasette shows where another table points at a row (findings.claim_id -> the claim's text).
LABEL_COLUMNS: dict[str, str] = {
    "documents": "title",
    "sentences": "text",
    "claims": "text",
    "numeric_assertions": "surface",
    "footnotes": "body",
    "footnote_refs": "marker",
    "citations": "raw",
    "figures": "label",
    "entities": "text",
}

# Facets shown on opening the table or view: the columns the desk narrows by.
FACETS: dict[str, list[str]] = {
    "documents": ["kind", "language", "is_reference"],
    "claims": ["kind"],
    "numeric_assertions": ["indicator", "unit_kind", "role", "measure"],
    "citations": ["kind"],
    "figures": ["kind"],
    "entities": ["label"],
    "findings": ["check", "severity"],
    "claim_overview": ["kind", "citation_status"],
    "uncited_claims": ["kind"],
    "findings_by_document": ["check", "severity"],
    "target_outcomes": ["verdict", "indicator"],
    "figure_overview": ["source_status", "kind"],
}

# Columns worth sorting by (Datasette offers only these), and the default descending sort.
SORTABLE: dict[str, list[str]] = {
    "documents": ["id", "title", "published", "ingested_at"],
    "sentences": ["id", "page", "start", "checkworthiness"],
    "claims": ["id", "page", "start", "checkworthiness"],
    "numeric_assertions": ["id", "page", "start", "value", "period"],
    "findings": ["id", "check", "severity", "document_id"],
    "claim_overview": ["page", "start", "checkworthiness", "number_count", "citation_count"],
    "uncited_claims": ["page", "start", "checkworthiness", "number_count"],
    "findings_by_document": ["finding_count", "check", "severity"],
}
SORT_DESC: dict[str, str] = {
    "sentences": "checkworthiness",
    "claims": "checkworthiness",
    "claim_overview": "checkworthiness",
    "uncited_claims": "checkworthiness",
    "findings_by_document": "finding_count",
}


@dataclass(frozen=True, slots=True)
class CannedQuery:
    name: str
    title: str
    description: str
    sql: str


QUERIES: tuple[CannedQuery, ...] = (
    CannedQuery(
        "uncited_claims",
        "Uncited claims",
        "Check-worthy claims no citation supports, those with figures first, then by check-worthiness.",
        """SELECT
    u.document_title,
    u.page,
    u.kind,
    round(u.checkworthiness, 2) AS checkworthiness,
    u.text,
    u.number_count,
    u.claim_id,
    u.document_id,
    u.start,
    u."end"
FROM uncited_claims u
ORDER BY u.number_count > 0 DESC, u.checkworthiness DESC, u.document_id, u.start""",
    ),
    CannedQuery(
        "contradicted_figures",
        "Contradicted figures",
        "Figures that conflict with another document's figure for the same indicator, scope and period "
        "(numbers.conflict), or with a reference document's (numbers.contradicts_reference): both figures "
        "side by side, each with its document and page. Run `claimledger report` first: it stores the findings.",
        """SELECT
    f."check",
    n.indicator,
    n.scope,
    n.period,
    json_extract(f.spans, '$[0].text') AS figure,
    d1.title AS document_title,
    json_extract(f.spans, '$[0].page') AS page,
    json_extract(f.spans, '$[1].text') AS other_figure,
    d2.title AS other_document_title,
    json_extract(f.spans, '$[1].page') AS other_page,
    f.message,
    f.id AS finding_id,
    f.assertion_id,
    json_extract(f.spans, '$[0].document_id') AS document_id,
    json_extract(f.spans, '$[1].document_id') AS other_document_id
FROM findings f
LEFT JOIN numeric_assertions n ON n.id = f.assertion_id
LEFT JOIN documents d1 ON d1.id = json_extract(f.spans, '$[0].document_id')
LEFT JOIN documents d2 ON d2.id = json_extract(f.spans, '$[1].document_id')
WHERE f."check" IN ('numbers.conflict', 'numbers.contradicts_reference')
ORDER BY f."check", n.indicator, n.period, f.id""",
    ),
    CannedQuery(
        "missed_targets",
        "Missed targets",
        "Targets set for a period whose stated outcome fell short (target_outcomes with verdict 'missed'), "
        "with the documents that set the target and state the outcome.",
        """SELECT
    t.indicator,
    t.scope,
    t.period,
    t.measure,
    t.target_surface,
    t.target_qualifier,
    t.outcome_surface,
    t.target_value,
    t.outcome_value,
    td.title AS target_document_title,
    tn.page AS target_page,
    od.title AS outcome_document_title,
    onum.page AS outcome_page,
    t.target_assertion_id,
    t.outcome_assertion_id
FROM target_outcomes t
JOIN numeric_assertions tn ON tn.id = t.target_assertion_id
JOIN numeric_assertions onum ON onum.id = t.outcome_assertion_id
JOIN documents td ON td.id = t.target_document_id
JOIN documents od ON od.id = t.outcome_document_id
WHERE t.verdict = 'missed'
ORDER BY t.period DESC, t.indicator, t.scope""",
    ),
    CannedQuery(
        "dangling_footnotes",
        "Dangling footnotes",
        "Footnote markers in the text whose body was never found, so the source behind them cannot be "
        "checked; finding is the footnotes.dangling_ref audit message (NULL until `claimledger report` runs).",
        """SELECT
    v.document_title,
    v.page,
    v.marker,
    v.context,
    f.message AS finding,
    v.footnote_ref_id,
    v.document_id,
    v.start,
    v."end"
FROM dangling_footnotes v
LEFT JOIN findings f ON f.footnote_ref_id = v.footnote_ref_id AND f."check" = 'footnotes.dangling_ref'
ORDER BY v.document_id, v.start""",
    ),
)


def relation_description(name: str) -> str:
    """The sentence docs/schema.md gives a table or view."""
    if name in TABLES:
        return TABLES[name]
    return VIEWS[name][0]


def build_metadata(database: str, columns: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Datasette metadata for the database named ``database`` whose relations have ``columns``."""
    tables: dict[str, dict[str, Any]] = {}
    for name, names in columns.items():
        entry: dict[str, Any] = {
            "description": relation_description(name),
            "columns": {column: describe(name, column) for column in names},
        }
        for key, table in (("label_column", LABEL_COLUMNS), ("facets", FACETS),
                           ("sortable_columns", SORTABLE), ("sort_desc", SORT_DESC)):
            if name in table:
                entry[key] = table[name]
        tables[name] = entry
    queries = {q.name: {"title": q.title, "description": q.description, "sql": q.sql} for q in QUERIES}
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "source": SOURCE,
        "license": LICENSE,
        "databases": {database: {"tables": tables, "queries": queries}},
    }


def read_columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Column names of every documented table and view present in the connected file, in schema order."""
    present = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    out: dict[str, list[str]] = {}
    for name in [*TABLES, *VIEWS]:
        if name in present:
            out[name] = [row[0] for row in conn.execute("SELECT name FROM pragma_table_info(?)", (name,))]
    return out

