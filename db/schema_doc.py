"""Generate docs/schema.md: every table, view and column, with a meaning each.

``python -m db.schema_doc > docs/schema.md`` rebuilds it.  Tables come from
the models, views and the search index from a freshly migrated SQLite
database, so the page cannot describe a column that does not exist: a column
without a description here (or a description of a column that is gone)
raises ``SchemaDocDrift`` and tests/test_schema_docs.py fails until this
file and the page are updated together.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.dialects import sqlite as sqlite_dialect

from db.models import Base

SEARCH_TABLE = "search_index"

# One line per column.  "*.<column>" is the default for every table and view.
COLUMNS: dict[str, str] = {
    "*.id": "Primary key.",
    "*.document_id": "The document (documents.id).",
    "*.page": "Printed page number, or the 1-based page ordinal when none was printed.",
    "*.page_index": "0-based page in the source.",
    "*.start": "Start offset in documents.text (0-based).",
    "*.end": "End offset in documents.text (exclusive); quote it: \"end\".",
    "*.document_title": "documents.title.",
    "*.document_source": "documents.source (path or URL).",
    "*.claim_id": "The claim (claims.id).",
    "*.text": "The text exactly as it stands in documents.text[start:end].",
    "*.rule_id": "Extractor rule that produced the row.",
    # documents
    "documents.source": "Path or URL the document was read from.",
    "documents.sha256": "SHA-256 of the source bytes; the same bytes are stored once.",
    "documents.kind": "pdf, markdown, html or text.",
    "documents.title": "Title from metadata or the first heading.",
    "documents.language": "Detected language code (zh, en, ...).",
    "documents.published": "Publication date as found in the document.",
    "documents.tags": "JSON list of tags from front matter.",
    "documents.text": "Normalized text: the body, then the notes part; every offset points here.",
    "documents.body_end": "text[:body_end] is the running body; the notes part follows.",
    "documents.raw_text": "The text before normalization.",
    "documents.offset_map": "JSON [[clean_start, raw_start, length], ...] from text back to raw_text.",
    "documents.warnings": "JSON list of extraction warnings.",
    "documents.extractor_version": "Version of the extractors that produced the rows.",
    "documents.is_reference": ("True for a trusted source ingested with --reference (an official report, a "
                               "statistical bulletin): other documents' figures are checked against it."),
    "documents.etag": "HTTP ETag when fetched from a URL.",
    "documents.last_modified": "HTTP Last-Modified when fetched from a URL.",
    "documents.ingested_at": "When the document was stored (UTC).",
    # document_versions
    "document_versions.source": "Path or URL of the document.",
    "document_versions.sha256": "SHA-256 of the new bytes.",
    "document_versions.previous_sha256": "SHA-256 of the replaced bytes (NULL when added).",
    "document_versions.change": "added, replaced (new bytes for the source) or reextracted (same bytes, ingest --force).",
    "document_versions.claims_before": "Claims of the replaced version.",
    "document_versions.claims_after": "Claims of the new version.",
    "document_versions.recorded_at": "When the change was recorded (UTC).",
    # pages
    "pages.printed": "True when the page number was printed on the page.",
    "pages.start": "Start offset of the page body in documents.text.",
    "pages.end": "End offset of the page body (exclusive).",
    "pages.notes_start": "Start offset of the page's notes in the notes part.",
    "pages.notes_end": "End offset of the page's notes (exclusive).",
    "pages.header": "Running header removed from the page.",
    "pages.footer": "Running footer removed from the page.",
    # sentences
    "sentences.checkworthiness": "0..1 score: how much the sentence asserts something checkable.",
    "sentences.cues": "JSON list of cue ids behind the score.",
    # claims
    "claims.sentence_id": "The sentence the claim lies in (sentences.id).",
    "claims.kind": "statistical, comparative, causal, quote, event or prediction.",
    "claims.checkworthiness": "0..1 score: how much the claim is worth checking.",
    "claims.cues": "JSON list of cue ids: why this is a claim.",
    "claims.attribution": "Who the claim is attributed to (according to X ...), if anyone.",
    "claims.attribution_cue": "The words that mark the attribution.",
    # numeric_assertions
    "numeric_assertions.claim_id": "The claim the number lies in, if any.",
    "numeric_assertions.surface": "The number as written (９３．３％, 约3亿).",
    "numeric_assertions.value": "Numeric value in base units; ratios as fractions (93.3% as 0.933, 5‰ as 0.005).",
    "numeric_assertions.value_max": "Upper bound for ranges.",
    "numeric_assertions.unit": "Canonical unit (%, ‰, pp, x, CNY, USD, year, EFLOPS, 家, ...).",
    "numeric_assertions.qualifier": ("exact, approx (约, about), nearly (将近, nearly: a little below), more_than, "
                                     "at_least, less_than, at_most or range."),
    "numeric_assertions.unit_kind": ("percent, permille or fraction (ratios: value is a fraction of one), points, "
                                     "multiple, currency, count, duration, measure or bare (no unit)."),
    "numeric_assertions.subject": "What is being counted or measured.",
    "numeric_assertions.time_scope": "The time the number refers to (2024年, Q3, ...).",
    "numeric_assertions.change": "increase, decrease or level, when the number describes a change.",
    "numeric_assertions.is_delta": "True when the value is a change, not a level.",
    "numeric_assertions.per": "Denominator of a rate, e.g. 1000000 tokens.",
    "numeric_assertions.indicator": ("What is measured, canonical across documents (国内生产总值, 城镇新增就业, "
                                     "居民消费价格: extractors/data/indicators.tsv), else the cleaned subject."),
    "numeric_assertions.scope": "Whose figure: a country, region, city or organization (中国, 广东省); "
                                "from the sentence, else the document's title.",
    "numeric_assertions.period": ("The period the figure is about, ISO-like: 2025, 2025-03, 2025-Q1, or start/end "
                                  "(2021/2025 for 十四五, 2025-01/2025-09 for 前三季度)."),
    "numeric_assertions.measure": "level, change (absolute), growth_rate, share, multiple or rank.",
    "numeric_assertions.role": "actual (an outcome), target (预期目标, 力争, 到2030年达到) or forecast.",
    "numeric_assertions.better": ("Which way of the indicator is good: higher, or lower (prices, unemployment); "
                                  "NULL when the indicator is not in the indicator table."),
    # footnotes
    "footnotes.marker": "The marker as printed (①, 1, *).",
    "footnotes.start": "Start offset of the footnote body in documents.text.",
    "footnotes.end": "End offset of the footnote body (exclusive).",
    "footnotes.body": "The footnote text.",
    # footnote_refs
    "footnote_refs.marker": "The in-text marker as printed.",
    "footnote_refs.footnote_id": "The footnote it points to; NULL means dangling (no body found).",
    # citations
    "citations.footnote_id": "The footnote the citation came from, if any.",
    "citations.raw": "The citation string as written.",
    "citations.authors": "Authors, \"; \"-joined.",
    "citations.title": "Title of the cited work.",
    "citations.container": "Journal, book, site or publisher.",
    "citations.year": "Publication year.",
    "citations.url": "URL of the cited work.",
    "citations.kind": "journal, book, web, news, report, note, named_source, link or other.",
    "citations.volume": "Volume.",
    "citations.issue": "Issue.",
    "citations.pages": "Pages cited.",
    "citations.date": "Publication or access date as written.",
    "citations.flags": "Parsing flags, \"; \"-joined.",
    "citations.key": "Normalized key: the same work gets the same key across documents.",
    # link tables
    "claim_citations.claim_id": "The claim (claims.id).",
    "claim_citations.citation_id": "A citation supporting the claim (citations.id).",
    "claim_entities.claim_id": "The claim (claims.id).",
    "claim_entities.entity_id": "An entity mentioned in the claim (entities.id).",
    # entities
    "entities.sentence_id": "The sentence the entity lies in.",
    "entities.label": "ORG, PERSON, GPE, MODEL, WORK, ...",
    # findings
    "findings.document_id": "The document concerned (NULL for cross-document findings).",
    "findings.claim_id": "The claim concerned, if any.",
    "findings.footnote_id": "The footnote concerned, if any.",
    "findings.footnote_ref_id": "The footnote marker concerned, if any.",
    "findings.assertion_id": "The numeric assertion concerned, if any.",
    "findings.citation_id": "The citation concerned, if any.",
    "findings.check": "Name of the audit check; quote it: \"check\".",
    "findings.severity": "info, warning or error.",
    "findings.message": "What the check found, for people.",
    "findings.spans": "JSON list of {document_id, page, start, end, text} quoted by the finding.",
    "findings.created_at": "When the finding was recorded (UTC).",
    # ingest_runs / ingest_failures
    "ingest_runs.started": "When the run started (UTC).",
    "ingest_runs.finished": "When the run finished (NULL while running or after a crash).",
    "ingest_runs.trigger": "What started the run (cli, schedule, ...).",
    "ingest_runs.seen": "Sources seen.",
    "ingest_runs.added": "Documents added.",
    "ingest_runs.replaced": "Documents whose bytes changed and were replaced.",
    "ingest_runs.unchanged": "Sources whose bytes were already stored.",
    "ingest_runs.failed": "Sources that failed.",
    "ingest_failures.run_id": "The run (ingest_runs.id).",
    "ingest_failures.source": "Path or URL that failed.",
    "ingest_failures.reason": "Why it failed.",
    "ingest_failures.at": "When it failed (UTC).",
    # search index
    "search_index.body": "Letters and digits of the text (NFKC, lower case); on SQLite each one is a token.",
    "search_index.kind": "claim or sentence.",
    "search_index.ref_id": "claims.id or sentences.id, by kind.",
    # views
    "claim_overview.kind": "Claim kind (see claims.kind).",
    "claim_overview.checkworthiness": "claims.checkworthiness.",
    "claim_overview.text": "The claim text.",
    "claim_overview.number_count": "Numeric assertions inside the claim.",
    "claim_overview.citation_count": "Citations linked to the claim (claim_citations).",
    "claim_overview.citation_status": "'cited' when at least one citation is linked, else 'uncited'.",
    "uncited_claims.kind": "Claim kind (see claims.kind).",
    "uncited_claims.checkworthiness": "claims.checkworthiness.",
    "uncited_claims.text": "The claim text.",
    "uncited_claims.number_count": "Numeric assertions inside the claim.",
    "dangling_footnotes.footnote_ref_id": "The marker (footnote_refs.id).",
    "dangling_footnotes.marker": "The marker as printed.",
    "dangling_footnotes.start": "Start offset of the marker.",
    "dangling_footnotes.end": "End offset of the marker (exclusive).",
    "dangling_footnotes.context": "Up to 30 characters either side of the marker.",
    "numbers_by_subject.subject": "What is being counted or measured.",
    "numbers_by_subject.unit": "Unit.",
    "numbers_by_subject.value": "Numeric value.",
    "numbers_by_subject.value_max": "Upper bound for ranges.",
    "numbers_by_subject.qualifier": "exact, approx, nearly, more_than, ... (see numeric_assertions).",
    "numbers_by_subject.surface": "The number as written.",
    "numbers_by_subject.time_scope": "The time the number refers to.",
    "numbers_by_subject.claim_id": "The claim the number lies in, if any.",
    "findings_by_document.document_id": "The document (NULL for cross-document findings).",
    "findings_by_document.check": "Audit check name; quote it: \"check\".",
    "findings_by_document.severity": "info, warning or error.",
    "findings_by_document.finding_count": "Findings of that check and severity in the document.",
    "citation_usage.citation_key": "citations.key: one cited work.",
    "citation_usage.citation_count": "Citations of the work in this document.",
    "citation_usage.claim_count": "Claims of this document linked to the work.",
    "citation_usage.document_count": "Documents citing the work (across the database).",
    "citation_usage.citation_title": "A title of the work as cited.",
    "citation_usage.citation_url": "A URL of the work as cited.",
    "target_outcomes.indicator": "The indicator both figures measure.",
    "target_outcomes.scope": "Whose figures (中国, 广东省).",
    "target_outcomes.period": "The period the target was set for and the outcome is about.",
    "target_outcomes.measure": "How both figures measure the indicator (level, growth_rate, share ...).",
    "target_outcomes.target_assertion_id": "The target (numeric_assertions.id, role target).",
    "target_outcomes.target_document_id": "The document that set the target.",
    "target_outcomes.target_surface": "The target as written (5%左右, 1200万人以上).",
    "target_outcomes.target_value": "The target's value (lower end of a range).",
    "target_outcomes.target_value_max": "Upper end of a target range (6.5%－7%).",
    "target_outcomes.target_qualifier": "approx (左右), at_least (以上), at_most (以内), range, exact ...",
    "target_outcomes.outcome_assertion_id": "The outcome (numeric_assertions.id, role actual).",
    "target_outcomes.outcome_document_id": "The document that states the outcome.",
    "target_outcomes.outcome_surface": "The outcome as written.",
    "target_outcomes.outcome_value": "The outcome's value.",
    "target_outcomes.verdict": ("met, missed or exceeded: a floor (以上) is met at or above it; a ceiling (以内, or "
                                "左右 where lower is better) is met at or below it; a point or range target is "
                                "met within 5% of its value when hedged (左右), exceeded above and missed below."),
    "figure_overview.figure_id": "The figure (figures.id).",
    "figure_overview.label": "图1 / 表2 (Figure/Table map to the same labels).",
    "figure_overview.kind": "figure or table.",
    "figure_overview.title": "Caption text after the label.",
    "figure_overview.source": "The data source printed beside the caption; NULL when none.",
    "figure_overview.source_status": "'sourced' or 'unsourced'.",
    "figure_overview.mentions": "In-text references to the figure (见图1, see Table 2).",
    "figure_overview.start": "Start offset of the caption line.",
    "figure_overview.end": "End offset of the caption line (exclusive).",
    # figures
    "figures.label": "图1 / 表2: the canonical label (Figure/Table map to the same labels).",
    "figures.kind": "figure or table.",
    "figures.title": "Caption text after the label.",
    "figures.start": "Start offset of the caption line (at the label).",
    "figures.end": "End offset of the caption line (exclusive).",
    "figures.source": "The data source after 数据来源/资料来源/Source:, NULL when the caption has none.",
    "figures.source_start": "Start offset of the source text.",
    "figures.source_end": "End offset of the source text (exclusive).",
    "figures.citation_id": "The citation parsed from the source line (citations.id).",
    "figures.mentions": "How often the running text refers to the figure (见图1, see Table 2).",
}

TABLES: dict[str, str] = {
    "documents": "One source document; every offset of every other table points into its text.",
    "document_versions": "History: each time a source's bytes change, the replaced version is recorded.",
    "pages": "Where each page lies in the document text: body part and notes part.",
    "sentences": "Sentences with their check-worthiness.",
    "claims": "Check-worthy statements.",
    "numeric_assertions": "Numbers with their value, unit, qualifier and subject.",
    "footnotes": "Footnote bodies.",
    "footnote_refs": "In-text footnote markers; NULL footnote_id means dangling.",
    "citations": "Parsed sources (footnotes, reference entries, links, named sources).",
    "claim_citations": "Which citations support which claims.",
    "figures": "Figure and table captions with the data source printed beside them.",
    "entities": "Named entities.",
    "claim_entities": "Which entities a claim mentions.",
    "findings": "Audit results.",
    "ingest_runs": "One row per ingest run.",
    "ingest_failures": "Sources that failed in a run.",
    SEARCH_TABLE: "Full-text index of claims and sentences (SQLite FTS5 table; a plain table on "
                  "PostgreSQL). Use `claimledger search`; see db/fts.py.",
}

VIEWS: dict[str, tuple[str, str]] = {
    "claim_overview": (
        "Each claim with its document, page, offsets, number count and citation status.",
        "SELECT document_title, page, kind, text FROM claim_overview "
        "WHERE citation_status = 'uncited' AND number_count > 0 ORDER BY checkworthiness DESC",
    ),
    "uncited_claims": (
        "Claims with no linked citation.",
        "SELECT document_title, COUNT(*) AS uncited FROM uncited_claims "
        "GROUP BY document_title ORDER BY uncited DESC",
    ),
    "dangling_footnotes": (
        "Footnote markers whose body was not found.",
        "SELECT document_title, page, marker, context FROM dangling_footnotes ORDER BY document_id, start",
    ),
    "numbers_by_subject": (
        "Numbers with subject, unit, value and qualifier across documents.",
        "SELECT subject, unit, value, qualifier, document_title FROM numbers_by_subject "
        "WHERE subject LIKE '%' || :subject || '%' ORDER BY subject, value",
    ),
    "findings_by_document": (
        "Audit findings counted per document, check and severity.",
        "SELECT document_title, \"check\", finding_count FROM findings_by_document "
        "WHERE severity = 'error' ORDER BY finding_count DESC",
    ),
    "citation_usage": (
        "Which documents rely on each cited work (citations.key).",
        "SELECT citation_key, citation_title, document_count, document_title FROM citation_usage "
        "WHERE document_count > 1 ORDER BY document_count DESC, citation_key",
    ),
    "target_outcomes": (
        "A target for a period paired with the outcome stated for the same indicator, scope, period and measure "
        "(in any document), with a verdict.",
        "SELECT indicator, period, target_surface, outcome_surface, verdict FROM target_outcomes "
        "WHERE verdict = 'missed' ORDER BY period DESC",
    ),
    "figure_overview": (
        "Each figure and table with its document, page, data source and source status.",
        "SELECT document_title, page, label, title FROM figure_overview "
        "WHERE source_status = 'unsourced' ORDER BY document_id, start",
    ),
}


class SchemaDocDrift(Exception):
    """docs/schema.md and the schema disagree; update COLUMNS/TABLES/VIEWS in db/schema_doc.py"""


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str
    notes: str
    meaning: str


def describe(relation: str, column: str) -> str:
    meaning = COLUMNS.get(f"{relation}.{column}") or COLUMNS.get(f"*.{column}")
    if meaning is None:
        raise SchemaDocDrift(f"no description for {relation}.{column}")
    return meaning


def migrated_database(directory: Path) -> Path:
    """A new SQLite file at the newest migration."""
    from db.migrate import upgrade
    from db.session import make_engine

    path = directory / "schema.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return path


def table_columns(name: str) -> list[Column]:
    table = Base.metadata.tables[name]
    columns = []
    for col in table.columns:
        notes = ["PK" if col.primary_key else "", "" if col.nullable or col.primary_key else "NOT NULL"]
        notes += [f"→ {fk.target_fullname}" for fk in col.foreign_keys]
        kind = col.type.compile(dialect=sqlite_dialect.dialect())
        columns.append(Column(col.name, kind, " ".join(n for n in notes if n), describe(name, col.name)))
    return columns


def sqlite_columns(conn: sqlite3.Connection, name: str) -> list[Column]:
    rows = conn.execute("SELECT name, type FROM pragma_table_info(?)", (name,)).fetchall()
    return [Column(col, kind or "", "", describe(name, col)) for col, kind in rows]


def relations(conn: sqlite3.Connection, kind: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name",
        (kind,))]


def check_drift(conn: sqlite3.Connection) -> None:
    """The documented tables, views and columns are exactly the database's."""
    shadow = {f"{SEARCH_TABLE}_{s}" for s in ("config", "content", "data", "docsize", "idx")}
    tables = set(relations(conn, "table")) - shadow - {"alembic_version"}
    if tables != set(TABLES):
        raise SchemaDocDrift(f"tables differ: database only {sorted(tables - set(TABLES))}, "
                             f"doc only {sorted(set(TABLES) - tables)}")
    if tables - {SEARCH_TABLE} != set(Base.metadata.tables):
        raise SchemaDocDrift("migrated tables differ from db/models.py (missing migration?)")
    if set(relations(conn, "view")) != set(VIEWS):
        raise SchemaDocDrift(f"views differ: {sorted(relations(conn, 'view'))} vs {sorted(VIEWS)}")
    known = {(r, c) for r in [*TABLES, *VIEWS] for c in _names(conn, r)}
    stale = [k for k in COLUMNS if not k.startswith("*.") and tuple(k.split(".", 1)) not in known]
    if stale:
        raise SchemaDocDrift(f"descriptions of missing columns: {', '.join(sorted(stale))}")


def _names(conn: sqlite3.Connection, relation: str) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM pragma_table_info(?)", (relation,))]


def _column_table(columns: list[Column], with_types: bool) -> list[str]:
    if with_types:
        lines = ["| column | type | | meaning |", "|---|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {c.notes} | {c.meaning} |" for c in columns]
    else:
        lines = ["| column | meaning |", "|---|---|"]
        lines += [f"| `{c.name}` | {c.meaning} |" for c in columns]
    return [*lines, ""]


HEADER = """# Database schema

<!-- Generated by `python -m db.schema_doc > docs/schema.md`; do not edit by hand
     (tests/test_schema_docs.py fails when this page and the schema drift). -->

Offsets are 0-based and end-exclusive (`start`, `"end"`) into `documents.text`.
`end` and `check` are reserved words: quote them (`"end"`, `"check"`).
Query with `claimledger sql "SELECT ..." [--param name=value]` (read-only,
one SELECT/WITH statement) or open the SQLite file in Datasette.
`claimledger search 算力 模型` lists the claims and sentences that contain every
term (a substring match on letters and digits: Chinese of any length works).
"""


def render(conn: sqlite3.Connection) -> str:
    check_drift(conn)
    lines = [HEADER, "## Tables", ""]
    for name in TABLES:
        lines += [f"### `{name}`", "", TABLES[name], ""]
        columns = sqlite_columns(conn, name) if name == SEARCH_TABLE else table_columns(name)
        lines += _column_table(columns, with_types=name != SEARCH_TABLE)
    lines += ["## Views", ""]
    for name, (meaning, example) in VIEWS.items():
        lines += [f"### `{name}`", "", meaning, ""]
        lines += _column_table(sqlite_columns(conn, name), with_types=False)
        lines += ["Example:", "", "```sql", example, "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def generate() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(migrated_database(Path(tmp)))
        try:
            return render(conn)
        finally:
            conn.close()


if __name__ == "__main__":
    sys.stdout.write(generate())
