"""Targets meet their outcomes across the national government work reports (issue 12).

Each report sets its year's targets (国内生产总值增长5%左右) and the next
report states the outcome (增长5%).  tests/gold/target_outcomes.tsv lists 30
such pairs by hand; the ``target_outcomes`` view must find them with the right
verdict, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from conftest import ROOT
from db.session import make_engine

REPORTS = ROOT.parent / "shared" / "corpora" / "gov-reports-national"
GOLD = ROOT / "tests" / "gold" / "target_outcomes.tsv"
FLOOR = 0.8  # the bar: >= 80% of the table's pairs found with the right verdict


def _gold() -> list[dict[str, str]]:
    lines = [line for line in GOLD.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _value(printed: str) -> tuple[float, float]:
    """"7.5%" -> (0.075, 0.075); "6.5%-7%" -> (0.065, 0.07); "1200万" -> (1.2e7, 1.2e7)."""
    def one(s: str) -> float:
        if s.endswith("%"):
            return float(s[:-1]) / 100
        if s.endswith("万"):
            return float(s[:-1]) * 1e4
        return float(s)
    lo, _, hi = printed.partition("-")
    return one(lo), one(hi or lo)


def _close(a: float | None, b: float) -> bool:
    return a is not None and abs(a - b) <= 1e-9 + 1e-6 * abs(b)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def reports_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if not REPORTS.is_dir():
        pytest.skip(f"{REPORTS} not found (../shared beside the checkout)")
    years = sorted({row[k] for row in _gold() for k in ("target_report", "outcome_report")})
    files = [str(next(REPORTS.glob(f"{y}_*.txt"))) for y in years]
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('targets') / 'reports.db'}"
    else:
        url = request.getfixturevalue("pg_schema_url")
    cli = Path(sys.executable).with_name("claimledger")
    env = {**os.environ, "CLAIMLEDGER_HOME": str(tmp_path_factory.mktemp("home"))}
    result = subprocess.run([str(cli), "ingest", *files, "--db", url, "--prefect", "off"],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return url


def _pairs(url: str) -> list[dict[str, object]]:
    sql = """
        SELECT v.indicator, v.period, v.verdict, v.target_value, v.target_value_max, v.outcome_value,
               td.source AS target_source, od.source AS outcome_source
        FROM target_outcomes v
        JOIN documents td ON td.id = v.target_document_id
        JOIN documents od ON od.id = v.outcome_document_id
    """
    with make_engine(url).connect() as conn:
        return [dict(row._mapping) for row in conn.execute(text(sql))]


def _found(row: dict[str, str], pairs: list[dict[str, object]]) -> list[dict[str, object]]:
    """The view's rows for one table row: same indicator, period, reports and values."""
    t_lo, t_hi = _value(row["target"])
    o_value, _ = _value(row["outcome"])
    return [p for p in pairs
            if p["indicator"] == row["indicator"] and p["period"] == row["period"]
            and Path(str(p["target_source"])).name.startswith(row["target_report"])
            and Path(str(p["outcome_source"])).name.startswith(row["outcome_report"])
            and _close(p["target_value"], t_lo)
            and (t_lo == t_hi or _close(p["target_value_max"], t_hi))
            and _close(p["outcome_value"], o_value)]


def test_target_outcomes_pairs_targets_with_next_years_outcomes(reports_db: str) -> None:
    pairs = _pairs(reports_db)
    gold = _gold()
    right, wrong = [], []
    for row in gold:
        found = _found(row, pairs)
        verdicts = {str(p["verdict"]) for p in found}
        (right if verdicts == {row["verdict"]} else wrong).append((row, sorted(verdicts)))
    share = len(right) / len(gold)
    print(f"{len(right)}/{len(gold)} target/outcome pairs right")
    report = "\n".join(f"{r['indicator']} {r['period']}: {r['target']} -> {r['outcome']} expected "
                       f"{r['verdict']}, view says {v or 'nothing'}" for r, v in wrong)
    assert share >= FLOOR, f"{len(right)}/{len(gold)} pairs right:\n{report}"


def test_target_outcomes_never_pairs_a_target_with_another_years_outcome(reports_db: str) -> None:
    """A period is one year here: the 2024 target must not meet the 2023 outcome stated in the 2024 report."""
    for p in _pairs(reports_db):
        if p["indicator"] in ("国内生产总值", "城镇新增就业", "城镇调查失业率", "居民消费价格") and \
                len(str(p["period"])) == 4:
            target_year = Path(str(p["target_source"])).name[:4]
            outcome_year = Path(str(p["outcome_source"])).name[:4]
            assert int(outcome_year) >= int(target_year), p
