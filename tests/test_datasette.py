"""``claimledger datasette``: generated metadata, the desk's canned queries, and a real server on loopback.

The examples plus five small posts are ingested once (``--prefect off``) and
audited, so every canned query has something to find: two posts disagree on
智能算力规模 (numbers.conflict), a work report's 4.5% contradicts the
reference bulletin's 5.0% (numbers.contradicts_reference) and misses the
5%左右 target, and examples/zh_policy_notes.txt has a marker ③ without a body.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import ROOT
from db.datasette_meta import QUERIES, build_metadata, read_columns
from db.schema_doc import migrated_database
from db.sql import query as run_query
from flows.datasette import is_loopback, prepare

SCHEMA_MD = ROOT / "docs" / "schema.md"
CLI = [sys.executable, "-m", "flows.cli"]

POSTS = {
    "a.md": ("甲", "2025-06-01", "据统计，截至2024年底，全国智能算力规模为280 EFLOPS。"),
    "b.md": ("乙", "2025-07-01", "数据显示，截至2024年底，全国智能算力规模为420 EFLOPS。"),
    "target.md": ("2024年政府工作报告", "2024-03-05",
                  "2024年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上。"),
    "outcome.md": ("2025年政府工作报告", "2025-03-05", "2024年，国内生产总值增长4.5%，城镇新增就业1256万人。"),
}
BULLETIN = ("2024年国民经济和社会发展统计公报", "2025-02-28", "初步核算，2024年国内生产总值增长5.0%。")

EXPECTED_COLUMNS = {
    "uncited_claims": ["document_title", "page", "kind", "checkworthiness", "text", "number_count",
                       "claim_id", "document_id", "start", "end"],
    "contradicted_figures": ["check", "indicator", "scope", "period", "figure", "document_title", "page",
                             "other_figure", "other_document_title", "other_page", "message", "finding_id",
                             "assertion_id", "document_id", "other_document_id"],
    "missed_targets": ["indicator", "scope", "period", "measure", "target_surface", "target_qualifier",
                       "outcome_surface", "target_value", "outcome_value", "target_document_title",
                       "target_page", "outcome_document_title", "outcome_page", "target_assertion_id",
                       "outcome_assertion_id"],
    "dangling_footnotes": ["document_title", "page", "marker", "context", "finding", "footnote_ref_id",
                           "document_id", "start", "end"],
}


def _cli(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout)


def _post(path: Path, title: str, date: str, body: str) -> str:
    path.write_text(f"---\ntitle: {title}\ndate: {date}\n---\n\n{body}\n", encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    return {**{k: v for k, v in os.environ.items() if k != "CLAIMLEDGER_DB"}, "CLAIMLEDGER_HOME": str(home)}


@pytest.fixture(scope="module")
def desk_db(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> Path:
    """The examples and the posts above, ingested and audited (findings stored) in one SQLite file."""
    folder = tmp_path_factory.mktemp("desk")
    posts = [_post(folder / name, *fields) for name, fields in POSTS.items()]
    bulletin = _post(folder / "bulletin.md", *BULLETIN)
    db = folder / "desk.db"
    for args in ([str(ROOT / "examples"), *posts], [bulletin, "--reference"]):
        result = _cli("ingest", *args, "--db", str(db), "--prefect", "off", env=env)
        assert result.returncode == 0, result.stderr
    report = _cli("report", "--db", str(db), "--out", str(folder / "report.md"), env=env)
    assert report.returncode == 0, report.stderr
    return db


def _documented() -> dict[str, dict[str, str]]:
    """docs/schema.md as {relation: {column: meaning}}."""
    page = SCHEMA_MD.read_text(encoding="utf-8")
    out: dict[str, dict[str, str]] = {}
    for name, section in re.findall(r"^### `([^`]+)`\n(.*?)(?=^### |\Z)", page, flags=re.M | re.S):
        rows = [line.strip().strip("|").split("|") for line in section.splitlines() if line.startswith("| `")]
        out[name] = {cells[0].strip().strip("`"): cells[-1].strip() for cells in rows}
    return out


@pytest.fixture(scope="module")
def fresh_metadata(tmp_path_factory: pytest.TempPathFactory) -> dict:
    path = migrated_database(tmp_path_factory.mktemp("fresh"))
    with sqlite3.connect(path) as conn:
        columns = read_columns(conn)
    return build_metadata("schema", columns)["databases"]["schema"]


def test_datasette_metadata_describes_every_table_and_column_of_the_schema_page(fresh_metadata: dict) -> None:
    documented = _documented()
    assert len(documented) > 20
    tables = fresh_metadata["tables"]
    assert set(tables) == set(documented)
    for name, columns in documented.items():
        assert tables[name]["description"], name
        assert tables[name]["description"] in SCHEMA_MD.read_text(encoding="utf-8")
        assert tables[name]["columns"] == columns, f"{name}: column descriptions differ from docs/schema.md"


def test_datasette_metadata_labels_facets_and_sorts_name_real_columns(fresh_metadata: dict) -> None:
    tables = fresh_metadata["tables"]
    assert tables["documents"]["label_column"] == "title"
    assert tables["claims"]["facets"] == ["kind"]
    assert tables["findings"]["facets"] == ["check", "severity"]
    assert {"indicator", "unit_kind"} <= set(tables["numeric_assertions"]["facets"])
    for name, entry in tables.items():
        columns = set(entry["columns"])
        named = [entry.get("label_column"), entry.get("sort_desc"),
                 *entry.get("facets", []), *entry.get("sortable_columns", [])]
        missing = {c for c in named if c is not None} - columns
        assert not missing, f"{name}: {missing} are not columns"


def test_datasette_canned_queries_have_title_and_description(fresh_metadata: dict) -> None:
    queries = fresh_metadata["queries"]
    assert list(queries) == list(EXPECTED_COLUMNS)
    for name, q in queries.items():
        assert q["title"] and q["description"] and q["sql"].startswith("SELECT"), name


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_datasette_canned_query_runs_read_only_with_its_columns(desk_db: Path, query) -> None:  # type: ignore[no-untyped-def]
    result = run_query(str(desk_db), query.sql, {})  # the guarded read-only path: SELECT only, no writes
    assert result.columns == EXPECTED_COLUMNS[query.name]
    assert result.rows, f"{query.name} found nothing in the desk database"


def _rows(db: Path, name: str) -> list[dict[str, object]]:
    sql = next(q.sql for q in QUERIES if q.name == name)
    result = run_query(str(db), sql, {})
    return [dict(zip(result.columns, row)) for row in result.rows]


def test_datasette_contradicted_figures_show_both_figures(desk_db: Path) -> None:
    rows = _rows(desk_db, "contradicted_figures")
    pairs = {(r["check"], frozenset((r["figure"], r["other_figure"]))) for r in rows}
    assert ("numbers.conflict", frozenset(("280 EFLOPS", "420 EFLOPS"))) in pairs
    reference = [r for r in rows if r["check"] == "numbers.contradicts_reference"]
    assert [(r["figure"], r["other_figure"], r["other_document_title"]) for r in reference] == [
        ("4.5%", "5.0%", BULLETIN[0])]
    assert reference[0]["indicator"] == "国内生产总值" and reference[0]["document_title"] == "2025年政府工作报告"


def test_datasette_missed_targets_only_the_missed_one(desk_db: Path) -> None:
    rows = _rows(desk_db, "missed_targets")
    assert [(r["indicator"], r["target_surface"], r["outcome_surface"], r["target_document_title"],
             r["outcome_document_title"]) for r in rows] == [
        ("国内生产总值", "5%左右", "4.5%", "2024年政府工作报告", "2025年政府工作报告")]


def test_datasette_dangling_footnotes_carry_the_audit_finding(desk_db: Path) -> None:
    rows = _rows(desk_db, "dangling_footnotes")
    marker = [r for r in rows if r["marker"] == "③"]
    assert len(marker) == 1 and "利用率低于设计值的一半③" in str(marker[0]["context"])
    assert str(marker[0]["finding"]).startswith("Footnote marker ③")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(proc: subprocess.Popen[str], url: str, deadline_s: float = 60) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"claimledger datasette exited {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {deadline_s} s")


def test_datasette_serves_canned_queries_and_tables_on_loopback(desk_db: Path, env: dict[str, str]) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}/{desk_db.stem}"
    proc = subprocess.Popen([*CLI, "datasette", "--db", str(desk_db), "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_up(proc, f"{base}.json")
        missed = httpx.get(f"{base}/missed_targets.json", params={"_shape": "array"}, timeout=30)
        assert missed.status_code == 200, missed.text
        assert [(r["indicator"], r["outcome_surface"]) for r in missed.json()] == [("国内生产总值", "4.5%")]
        contradicted = httpx.get(f"{base}/contradicted_figures.json", params={"_shape": "array"}, timeout=30).json()
        assert {r["check"] for r in contradicted} == {"numbers.conflict", "numbers.contradicts_reference"}
        findings = httpx.get(f"{base}/findings.json", params={"severity": "warning", "_shape": "objects"}, timeout=30).json()
        assert findings["rows"] and all(r["severity"] == "warning" for r in findings["rows"])
        facets = findings["facet_results"]
        assert {"check", "severity"} <= set(facets)
        assert {"numbers.conflict", "footnotes.dangling_ref"} <= {f["value"] for f in facets["check"]["results"]}
        claims = httpx.get(f"{base}/claims", timeout=30)
        assert "Check-worthy statements." in claims.text  # the table description from docs/schema.md
        for name in prepare(str(desk_db)).metadata["databases"][desk_db.stem]["tables"]:
            page = httpx.get(f"{base}/{name}.json", params={"_size": 1}, timeout=30)
            assert page.status_code == 200, f"{name}: {page.text[:300]}"  # facets and sorts valid on every table and view
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
    assert proc.stderr is not None and f"Datasette at {base} " in proc.stderr.read()


def test_datasette_metadata_only_file_works_with_plain_datasette(desk_db: Path, env: dict[str, str],
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "meta" / "desk.json"
    result = _cli("datasette", "--db", str(desk_db), "--metadata-only", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert f"--metadata {out}" in result.stderr
    metadata = json.loads(out.read_text(encoding="utf-8"))
    assert metadata == prepare(str(desk_db)).metadata
    assert "国内生产总值" in out.read_text(encoding="utf-8")  # CJK written as it reads, not \\u escapes
    served = subprocess.run([sys.executable, "-m", "datasette", "serve", str(desk_db), "--metadata", str(out),
                             "--get", f"/{desk_db.stem}/dangling_footnotes.json?_shape=array"],
                            capture_output=True, text=True, timeout=120)
    assert served.returncode == 0, served.stderr
    assert [r["marker"] for r in json.loads(served.stdout)] == ["③"]


@pytest.mark.parametrize(("args", "message"), [
    (["--db", "postgresql://postgres@127.0.0.1:5432/test"], "Error: Datasette reads SQLite files only; "),
    (["--db", "{tmp}/absent.db"], "Error: no database at "),
    (["--port", "{busy}"], "Error: cannot listen on 127.0.0.1:{busy}: "),
])
def test_datasette_refusals_are_one_line(desk_db: Path, env: dict[str, str], tmp_path: Path,
                                         args: list[str], message: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = str(busy.getsockname()[1])
        filled = [a.format(tmp=tmp_path, busy=port) for a in args]
        if "--db" not in filled:
            filled += ["--db", str(desk_db)]
        result = _cli("datasette", *filled, env=env, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith(message.format(busy=port)), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "absent.db").exists()


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("0.0.0.0", False), ("192.168.1.20", False), ("example.org", False),
])
def test_datasette_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
