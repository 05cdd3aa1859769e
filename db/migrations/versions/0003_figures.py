"""figures and tables with their printed data sources

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 15:40:00

One row per figure/table caption (``图1　…``, ``Table 2: …``) with the
``数据来源：…`` line printed beside it, the citation parsed from that line and
the number of in-text references.  Existing documents get their figures on
their next (re-)extraction: ``claimledger ingest --force``.  The view
``figure_overview`` answers "which figures have no stated source?".
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

FIGURE_OVERVIEW = """
SELECT
    f.id AS figure_id,
    f.document_id,
    d.title AS document_title,
    d.source AS document_source,
    f.page,
    f.label,
    f.kind,
    f.title,
    f.source,
    CASE WHEN f.source IS NULL THEN 'unsourced' ELSE 'sourced' END AS source_status,
    f.mentions,
    f.start,
    f."end"
FROM figures f
JOIN documents d ON d.id = f.document_id
"""


def upgrade() -> None:
    op.create_table('figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.Column('page_index', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('source_start', sa.Integer(), nullable=True),
    sa.Column('source_end', sa.Integer(), nullable=True),
    sa.Column('citation_id', sa.Integer(), nullable=True),
    sa.Column('mentions', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['citation_id'], ['citations.id'], name=op.f('fk_figures_citation_id_citations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_figures_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_figures'))
    )
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_figures_citation_id'), ['citation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_figures_document_id'), ['document_id'], unique=False)
    op.execute(f"CREATE VIEW figure_overview AS {FIGURE_OVERVIEW.strip()}")


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS figure_overview")
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_figures_document_id'))
        batch_op.drop_index(batch_op.f('ix_figures_citation_id'))
    op.drop_table('figures')
