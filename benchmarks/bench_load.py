"""Load test (issue 16): four `claimledger ingest` processes and one `serve --once` cycle on one PostgreSQL database.

All five writers start together against one fresh, empty PostgreSQL schema
(so they also race on the first migration) over the 25 national government
work reports in ../shared/corpora/gov-reports-national/.  Each ingest process
takes 16 of the 25 reports, starting 3 further along than the previous one,
so every report is wanted by two to four writers; the serve cycle watches the
whole folder.  Reported: wall time, stored documents per second, duplicate
rows (must be 0), documents missing rows, failed outcomes and non-zero exits,
and how many transient faults (deadlock, serialization failure, dropped
connection) were retried.

Usage: ``python -m benchmarks.bench_load`` (PostgreSQL at $CLAIMLEDGER_TEST_PG,
default postgresql://postgres@127.0.0.1:5432/test).  Exit status 1 when a
duplicate, a half-written document or a failure was found.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT.parent / "shared" / "corpora" / "gov-reports-national"
ADMIN_URL = os.environ.get("CLAIMLEDGER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
INGESTS = 4
WINDOW = 16
STEP = 3
TIMEOUT_S = 1800


def windows(reports: list[Path]) -> list[list[Path]]:
    """Overlapping slices of the reports, one per ingest process (wrapping around the end)."""
    n = len(reports)
    return [[reports[(i * STEP + k) % n] for k in range(WINDOW)] for i in range(INGESTS)]


def commands(reports: list[Path], url: str, work: Path) -> list[list[str]]:
    cli = [sys.executable, "-m", "flows.cli"]
    config = work / "claimledger.toml"
    config.write_text(f'[sources]\nfolders = [{{ path = "{REPORTS}", glob = "*.txt" }}]\n', encoding="utf-8")
    ingests = [[*cli, "ingest", *map(str, w), "--db", url, "--prefect", "off"] for w in windows(reports)]
    return [*ingests, [*cli, "serve", "--once", "--config", str(config), "--db", url, "--prefect", "off"]]


def run_all(cmds: list[list[str]], work: Path) -> tuple[float, list[subprocess.CompletedProcess[str]]]:
    """Start every command at once; wall time until the last one exits."""
    env = {**os.environ, "CLAIMLEDGER_HOME": str(work / "home")}
    start = time.perf_counter()
    procs = [subprocess.Popen(c, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for c in cmds]
    done = []
    for cmd, proc in zip(cmds, procs):
        out, err = proc.communicate(timeout=TIMEOUT_S)
        done.append(subprocess.CompletedProcess(cmd, proc.returncode, out, err))
    return time.perf_counter() - start, done


def database_figures(conn: psycopg.Connection) -> dict[str, int]:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "documents": one("SELECT count(*) FROM documents"),
        "duplicates": one("SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM documents "
                          "GROUP BY sha256) AS per_sha"),
        "without_sentences": one("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                                 "(SELECT 1 FROM sentences s WHERE s.document_id = d.id)"),
        "claims": one("SELECT count(*) FROM claims"),
        "runs_unfinished": one("SELECT count(*) FROM ingest_runs WHERE finished IS NULL"),
        "failures_recorded": one("SELECT count(*) FROM ingest_failures"),
    }


def main() -> int:
    reports = sorted(REPORTS.glob("*.txt"))
    if len(reports) != 25:
        raise SystemExit(f"expected the 25 national reports in {REPORTS}, found {len(reports)}")
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            url = f"{ADMIN_URL}?options=-csearch_path%3D{schema}"
            wall, results = run_all(commands(reports, url, work), work)
            with psycopg.connect(url) as conn:
                figures = database_figures(conn)
        finally:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    stderr = "".join(r.stderr for r in results)
    error_lines = [line for line in stderr.splitlines() if line.lower().startswith("error")]
    retried = stderr.count("transient database fault")
    bad_exits = [r.returncode for r in results if r.returncode != 0]
    print(f"writers: {INGESTS} ingest (--prefect off, {WINDOW} reports each) + 1 serve --once, "
          f"one fresh PostgreSQL schema, {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f}")
    print(f"wall time {wall:.1f} s; {figures['documents']} documents stored "
          f"({figures['documents'] / wall:.2f} documents/s, {INGESTS * WINDOW + len(reports)} requested); "
          f"{figures['claims']} claims")
    print(f"duplicates {figures['duplicates']}; documents without rows {figures['without_sentences']}; "
          f"failed outcomes {len(error_lines)} (recorded {figures['failures_recorded']}); "
          f"non-zero exits {bad_exits or 'none'}; unfinished runs {figures['runs_unfinished']}; "
          f"transient faults retried {retried}")
    for line in error_lines[:10]:
        print("  ", line)
    ok = (figures["duplicates"] == 0 and figures["without_sentences"] == 0 and figures["documents"] == len(reports)
          and not error_lines and not bad_exits and figures["runs_unfinished"] == 0)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
