"""typed numbers: numeric_assertions.unit_kind, and qualifier 'nearly'

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 18:30:00

``unit_kind`` says what a number measures (percent, permille, fraction,
points, multiple, currency, count, duration, measure, bare), so that checks
read a field instead of re-parsing unit spellings and surfaces.  Ratios
(percent, permille, fraction) are stored as fractions of one, as they always
were: 43% is 0.43.

Existing rows are classified here from what was stored with them (``unit``,
``rule_id``), with the extractor's vocabulary as of this revision frozen
below; a re-extraction (``claimledger ingest --force``) writes the same
values.  Numbers hedged with 将近/近/接近/几乎/nearly/almost were stored with
qualifier ``approx``; they become ``nearly`` when their surface starts with
that word (the cue opens the surface).  Downgrade folds ``nearly`` back into
``approx`` and drops the column.

Only ``ADD COLUMN``, ``UPDATE`` and ``DROP COLUMN`` (SQLite >= 3.35): no table
rebuild, so the views of 0002 need no care on SQLite (see 0002's docstring).
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

#: Snapshots of extractors.numbers vocabularies at this revision (a migration must not import live code).
CURRENCIES = ("USD", "CNY", "EUR", "JPY", "HKD", "GBP", "TWD", "KRW", "RUB", "CHF", "NGN", "BTC", "CAD", "AUD")
DURATIONS = ("year", "month", "week", "day", "hour", "minute", "quarter", "decade")
MEASURES = (
    "EFLOPS", "PFLOPS", "TFLOPS", "GFLOPS", "FLOPS", "EFLOP/s", "PFLOP/s", "TFLOP/s", "TOPS", "Gbyte/s",
    "GByte/s", "Tbyte/s", "GB/s", "TB/s", "Gbps", "Tbps", "PB", "TB", "GB", "MB", "KB",
    "TWh", "GWh", "MWh", "kWh", "GW", "MW", "kW", "MtCO2e", "tCO2e",
    "W", "GHz", "MHz", "mm", "cm", "CM", "km", "kg", "nm", "m", "g", "°C", "°F", "℃",
    "亩", "吨", "公斤", "千克", "克", "斤", "平方公里", "平方米", "公里", "千米", "厘米", "毫米", "公分", "微克",
    "米", "周岁", "岁", "摄氏度", "度", "兆瓦", "千瓦", "瓦", "兆字节", "千字节", "字节", "两",
    "degree", "bit", "kbit", "Hz", "kcal",
)
#: Words that open a "nearly" surface (they were stored as approx before this revision).
NEARLY_OPENERS = ("将近", "接近", "近", "几乎", "nearly", "almost")


def _quoted(words: tuple[str, ...]) -> str:
    return ", ".join("'" + w.replace("'", "''") + "'" for w in words)


def _unit_kind_case() -> str:
    """The unit kind of a stored row, in the order the extractor decides it (token kind first)."""
    return f"""
CASE
    WHEN rule_id = 'numbers.fraction' THEN 'fraction'
    WHEN unit = '%' THEN 'percent'
    WHEN unit = '‰' THEN 'permille'
    WHEN unit = 'pp' THEN 'points'
    WHEN unit = 'x' THEN 'multiple'
    WHEN unit IS NULL THEN 'bare'
    WHEN unit IN ({_quoted(CURRENCIES)}) THEN 'currency'
    WHEN unit IN ({_quoted(DURATIONS)}) THEN 'duration'
    WHEN unit IN ({_quoted(MEASURES)}) THEN 'measure'
    ELSE 'count'
END"""


def upgrade() -> None:
    op.add_column('numeric_assertions', sa.Column('unit_kind', sa.String(length=16), nullable=True))
    op.execute(f"UPDATE numeric_assertions SET unit_kind = {_unit_kind_case().strip()}")
    openers = " OR ".join(f"lower(surface) LIKE '{w}%'" for w in NEARLY_OPENERS)
    op.execute(f"UPDATE numeric_assertions SET qualifier = 'nearly' WHERE qualifier = 'approx' AND ({openers})")


def downgrade() -> None:
    op.execute("UPDATE numeric_assertions SET qualifier = 'approx' WHERE qualifier = 'nearly'")
    # Plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): batch mode would rebuild the table under the views.
    op.execute("ALTER TABLE numeric_assertions DROP COLUMN unit_kind")
