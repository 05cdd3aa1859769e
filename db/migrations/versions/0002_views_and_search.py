"""analyst views and the claim/sentence search index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:40:00

Views are plain SQL that runs unchanged on SQLite and PostgreSQL (``"end"``
and ``"check"`` are quoted: both are reserved words).  A later migration that
rebuilds a table in SQLite batch mode must either run ``PRAGMA
legacy_alter_table=ON`` first or drop and recreate the views: SQLite refuses
to rename ``_alembic_tmp_x`` to ``x`` while a view points at the dropped
``x`` ("error in view ...").  Rebuilding ``documents`` also drops the
``search_index_document_deleted`` trigger (db.fts.index_document purges
orphans anyway).

The search index (see db/fts.py) is an FTS5 table on SQLite and a plain
table with a foreign key (and a pg_trgm index when the extension can be
installed) on PostgreSQL.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


VIEWS: dict[str, str] = {
    "claim_overview": """
SELECT
    c.id AS claim_id,
    c.document_id,
    d.title AS document_title,
    d.source AS document_source,
    c.page,
    c.start,
    c."end",
    c.kind,
    c.checkworthiness,
    c.text,
    (SELECT COUNT(*) FROM numeric_assertions n WHERE n.claim_id = c.id) AS number_count,
    (SELECT COUNT(*) FROM claim_citations cc WHERE cc.claim_id = c.id) AS citation_count,
    CASE WHEN EXISTS (SELECT 1 FROM claim_citations cc WHERE cc.claim_id = c.id)
         THEN 'cited' ELSE 'uncited' END AS citation_status
FROM claims c
JOIN documents d ON d.id = c.document_id
""",
    "uncited_claims": """
SELECT
    claim_id, document_id, document_title, document_source, page, start, "end",
    kind, checkworthiness, text, number_count
FROM claim_overview
WHERE citation_status = 'uncited'
""",
    "dangling_footnotes": """
SELECT
    r.id AS footnote_ref_id,
    r.document_id,
    d.title AS document_title,
    d.source AS document_source,
    r.page,
    r.marker,
    r.start,
    r."end",
    substr(d.text, CASE WHEN r.start > 30 THEN r.start - 30 ELSE 0 END + 1,
           CASE WHEN r.start > 30 THEN 30 ELSE r.start END + (r."end" - r.start) + 30) AS context
FROM footnote_refs r
JOIN documents d ON d.id = r.document_id
WHERE r.footnote_id IS NULL
""",
    "numbers_by_subject": """
SELECT
    n.subject,
    n.unit,
    n.value,
    n.value_max,
    n.qualifier,
    n.surface,
    n.time_scope,
    n.document_id,
    d.title AS document_title,
    d.source AS document_source,
    n.page,
    n.start,
    n."end",
    n.claim_id
FROM numeric_assertions n
JOIN documents d ON d.id = n.document_id
""",
    "findings_by_document": """
SELECT
    f.document_id,
    d.title AS document_title,
    d.source AS document_source,
    f."check",
    f.severity,
    COUNT(*) AS finding_count
FROM findings f
LEFT JOIN documents d ON d.id = f.document_id
GROUP BY f.document_id, d.title, d.source, f."check", f.severity
""",
    "citation_usage": """
SELECT
    c.key AS citation_key,
    c.document_id,
    d.title AS document_title,
    d.source AS document_source,
    COUNT(*) AS citation_count,
    (SELECT COUNT(DISTINCT cc.claim_id)
       FROM claim_citations cc JOIN citations c2 ON c2.id = cc.citation_id
      WHERE c2.key = c.key AND c2.document_id = c.document_id) AS claim_count,
    (SELECT COUNT(DISTINCT c3.document_id) FROM citations c3 WHERE c3.key = c.key)
        AS document_count,
    MIN(c.title) AS citation_title,
    MIN(c.url) AS citation_url
FROM citations c
JOIN documents d ON d.id = c.document_id
WHERE c.key IS NOT NULL
GROUP BY c.key, c.document_id, d.title, d.source
""",
}

SQLITE_SEARCH_TABLE = (
    "CREATE VIRTUAL TABLE search_index USING fts5("
    "body, document_id UNINDEXED, kind UNINDEXED, ref_id UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)
SQLITE_SEARCH_TRIGGER = (
    "CREATE TRIGGER search_index_document_deleted AFTER DELETE ON documents "
    "BEGIN DELETE FROM search_index WHERE document_id = OLD.id; END"
)


def upgrade() -> None:
    bind = op.get_bind()
    for name, body in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {body.strip()}")
    if bind.dialect.name == "sqlite":
        op.execute(SQLITE_SEARCH_TABLE)
        op.execute(SQLITE_SEARCH_TRIGGER)
    else:
        _create_postgres_search(bind)
    from sqlalchemy.orm import Session

    from db.fts import reindex_all

    with Session(bind=bind) as session:  # joins the migration's transaction; never commits
        reindex_all(session)


def _create_postgres_search(bind) -> None:  # type: ignore[no-untyped-def]
    op.create_table(
        "search_index",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
    )
    schema = _trigram_schema(bind)
    if schema is not None:
        op.execute(f'CREATE INDEX ix_search_index_body_trgm ON search_index '
                   f'USING gin (body "{schema}".gin_trgm_ops)')


def _trigram_schema(bind) -> str | None:  # type: ignore[no-untyped-def]
    """Where pg_trgm lives (installing it in ``public`` if allowed), else None."""
    found = bind.execute(sa.text(
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")).scalar()
    if found:
        return found.strip('"')
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
    except sa.exc.DBAPIError:
        return None
    return "public"


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS search_index_document_deleted")
        op.execute("DROP TABLE IF EXISTS search_index")
    else:
        op.drop_table("search_index")
    for name in reversed(list(VIEWS)):
        op.execute(f"DROP VIEW IF EXISTS {name}")
