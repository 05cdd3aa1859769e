"""what, whose, when and what kind for every figure; reference documents; targets against outcomes

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 19:00:00

Every numeric assertion gains the meaning the number checks compare on:
``indicator`` (canonical, e.g. 国内生产总值), ``scope`` (whose: 中国, 广东省…),
``period`` (ISO-like: 2025, 2025-Q1, 2025-01/2025-09, 2021/2025), ``measure``
(level, change, growth_rate, share, multiple, rank) and ``role`` (actual,
target, forecast), plus ``better`` (higher | lower: which way of the
indicator is good, from the indicator table; it decides whether an outcome
above a target exceeded or missed it).  Documents gain ``is_reference``
(ingested with ``--reference``: trusted sources other documents are checked
against).  Existing rows get the new fields on their next extraction
(``claimledger ingest --force``).

The view ``target_outcomes`` pairs a target for a period with the outcome
stated for the same indicator, scope, period and measure (in any document)
and says whether it was met, missed or exceeded: a floor (以上) is met at or
above it and exceeded beyond its tolerance; a ceiling (以内, 以下, or a
"左右" target of an indicator where lower is better) is met at or below it
and missed above; a point or range target is met within its tolerance (5 %
of the value for 左右/约, 0.5 % otherwise), exceeded above and missed below.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# Tolerance around a target: 5 % of its value when hedged (左右, 约), 0.5 % otherwise.
_TOL = "(CASE WHEN t.qualifier = 'approx' THEN 0.05 ELSE 0.005 END)"
_HIGH = "COALESCE(t.value_max, t.value)"

TARGET_OUTCOMES = f"""
SELECT
    t.indicator,
    t.scope,
    t.period,
    t.measure,
    t.id AS target_assertion_id,
    t.document_id AS target_document_id,
    t.surface AS target_surface,
    t.value AS target_value,
    t.value_max AS target_value_max,
    t.qualifier AS target_qualifier,
    o.id AS outcome_assertion_id,
    o.document_id AS outcome_document_id,
    o.surface AS outcome_surface,
    o.value AS outcome_value,
    CASE
        WHEN t.qualifier IN ('at_least', 'more_than') THEN
            CASE WHEN o.value < t.value THEN 'missed'
                 WHEN o.value > t.value * (1 + {_TOL}) THEN 'exceeded'
                 ELSE 'met' END
        WHEN t.qualifier IN ('at_most', 'less_than') OR t.better = 'lower' THEN
            CASE WHEN o.value > {_HIGH} * (1 + {_TOL}) THEN 'missed' ELSE 'met' END
        ELSE
            CASE WHEN o.value < t.value * (1 - {_TOL}) THEN 'missed'
                 WHEN o.value > {_HIGH} * (1 + {_TOL}) THEN 'exceeded'
                 ELSE 'met' END
    END AS verdict
FROM numeric_assertions t
JOIN numeric_assertions o
  ON o.indicator = t.indicator
 AND o.period = t.period
 AND o.measure = t.measure
 AND COALESCE(o.scope, '') = COALESCE(t.scope, '')
 AND COALESCE(o.unit, '') = COALESCE(t.unit, '')
 AND COALESCE(o.per, '') = COALESCE(t.per, '')
 AND o.role = 'actual'
 AND o.value IS NOT NULL
WHERE t.role = 'target'
  AND t.value IS NOT NULL
"""


_COLUMNS = (('indicator', sa.Text()), ('scope', sa.Text()), ('period', sa.String(length=32)),
            ('measure', sa.String(length=16)), ('role', sa.String(length=16)), ('better', sa.String(length=8)))


def upgrade() -> None:
    for name, type_ in _COLUMNS:
        op.add_column('numeric_assertions', sa.Column(name, type_, nullable=True))
    op.create_index(op.f('ix_numeric_assertions_indicator'), 'numeric_assertions', ['indicator', 'period'],
                    unique=False)
    op.add_column('documents', sa.Column('is_reference', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute(f"CREATE VIEW target_outcomes AS {TARGET_OUTCOMES.strip()}")


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS target_outcomes")
    # Plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): batch mode would rebuild the tables under the views.
    op.execute("ALTER TABLE documents DROP COLUMN is_reference")
    op.drop_index(op.f('ix_numeric_assertions_indicator'), table_name='numeric_assertions')
    for name, _ in reversed(_COLUMNS):
        op.execute(f"ALTER TABLE numeric_assertions DROP COLUMN {name}")
