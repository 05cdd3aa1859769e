"""End to end through the `claimledger` command: the seeds, bad inputs, extract --json, Prefect.

Ingests take the default path: the run is recorded in a local background
Prefect server, started once for this module (``prefect_home``) and stopped
at its end.  Only the tests of the ``--prefect off`` switch itself run without it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import PDFS, ROOT, SEEDS


def claimledger(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
                timeout: int = 600) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True,
                          text=True, env=full_env, cwd=cwd or ROOT, timeout=timeout)


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A CLAIMLEDGER_HOME shared by the module, so its local Prefect server starts once."""
    env = {"CLAIMLEDGER_HOME": str(tmp_path_factory.mktemp("prefect-home"))}
    yield env
    claimledger("server", "stop", env=env)


@pytest.fixture()
def home(prefect_home: dict[str, str]) -> dict[str, str]:
    return prefect_home


def server_api(home: dict[str, str]) -> str:
    """The API URL of the local server the CLI started under ``home``."""
    state = json.loads((Path(home["CLAIMLEDGER_HOME"]) / "prefect-server.json").read_text())
    return f"http://127.0.0.1:{state['port']}/api"


def flow_runs(home: dict[str, str]) -> list[dict]:
    import httpx

    return httpx.post(f"{server_api(home)}/flow_runs/filter", json={"sort": "EXPECTED_START_TIME_DESC"},
                      timeout=30).json()


def _rows(db: Path, sql: str, *params) -> list[tuple]:  # type: ignore[no-untyped-def]
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory, prefect_home: dict[str, str]) -> Path:
    """Both seeds ingested once through the CLI, recorded in the module's Prefect server."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/fixtures/seeds not beside the checkout")
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    result = claimledger("ingest", str(SEEDS), "--db", str(db), env=prefect_home)
    assert result.returncode == 0, result.stderr
    assert "2 added" in result.stdout
    return db


@pytest.mark.parametrize(("surface", "seed", "page"), [
    ("1590 EFLOPS", "000_%", 1),
    ("438元", "004_%", 89),
])
def test_cli_seed_numbers_traceable_to_page_and_span(seeds_db: Path, surface: str, seed: str, page: int) -> None:
    rows = _rows(seeds_db, """
        SELECT n.surface, n.start, n."end", n.page, d.text, n.claim_id
        FROM numeric_assertions n JOIN documents d ON d.id = n.document_id
        WHERE d.source LIKE ? AND n.surface LIKE ?""", f"%/{seed}", f"%{surface}%")
    assert rows, f"{surface} not extracted"
    found_surface, start, end, found_page, text, _claim = rows[0]
    assert text[start:end] == found_surface
    assert found_page == page


def test_cli_seed_every_span_slices_its_surface(seeds_db: Path) -> None:
    checks = {
        "sentences": "text", "claims": "text", "numeric_assertions": "surface",
        "footnotes": "body", "entities": "text",
    }
    for table, column in checks.items():
        rows = _rows(seeds_db, f'SELECT t.start, t."end", t.{column}, d.text, t.page FROM {table} t '
                               "JOIN documents d ON d.id = t.document_id")
        assert rows, table
        for start, end, surface, text, page in rows:
            assert text[start:end] == surface, (table, surface)
            assert page is not None, table


def test_cli_seed_paper_has_no_page_furniture_and_notes_after_body(seeds_db: Path) -> None:
    (text, body_end), = _rows(seeds_db, "SELECT text, body_end FROM documents WHERE source LIKE '%/004_%'")
    body = text[:body_end]
    assert "第28卷 刘友金" not in body and "第２８卷" not in body
    assert "\n58\n" not in body and "\n５８\n" not in body
    (in_body,) = _rows(seeds_db, "SELECT count(*) FROM footnotes WHERE start < (SELECT body_end FROM documents WHERE id = footnotes.document_id)")[0]
    assert in_body == 0
    (dangling,) = _rows(seeds_db, "SELECT count(*) FROM footnote_refs r JOIN documents d ON d.id = r.document_id "
                                  "WHERE d.source LIKE '%/004_%' AND r.footnote_id IS NULL")[0]
    assert dangling >= 10  # pages 82-84 print markers but their bodies are missing


def test_cli_bad_inputs_fail_one_line_each_and_others_land(tmp_path: Path, home: dict[str, str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.md").write_text("---\ntitle: 好文\n---\n\n据统计，2025年市场规模约为3.5亿元。\n", encoding="utf-8")
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "truncated.pdf").write_bytes((PDFS / "english_policy_brief.pdf").read_bytes()[:900]
                                           if PDFS.is_dir() else b"%PDF-1.7\n1 0 obj\n<<")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "broken.md").write_text("---\ntitle: \"unclosed\ndate: [\n---\n\n正文。\n", encoding="utf-8")
    (folder / "huge.txt").write_text("很长的文本。" * 20000, encoding="utf-8")
    db = tmp_path / "bad.db"
    result = claimledger("ingest", str(folder), str(tmp_path / "missing.pdf"), "--db", str(db),
                         "--max-bytes", "100000", env=home)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error ")]
    assert len(errors) == 6, result.stderr
    for name in ("empty.pdf", "truncated.pdf", "junk.txt", "broken.md", "missing.pdf", "huge.txt"):
        assert any(name in line for line in errors), name
    assert any("huge.txt" in line and "limit" in line for line in errors)
    assert _rows(db, "SELECT count(*) FROM documents")[0][0] == 1
    assert _rows(db, "SELECT count(*) FROM ingest_failures")[0][0] == 6
    assert _rows(db, "SELECT count(*) FROM sentences s WHERE NOT EXISTS "
                     "(SELECT 1 FROM documents d WHERE d.id = s.document_id)")[0][0] == 0


def test_cli_reingest_same_bytes_changes_nothing_unless_forced(tmp_path: Path, home: dict[str, str]) -> None:
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: 测试\n---\n\n据统计，2025年超过1000家企业参与。\n", encoding="utf-8")
    db = tmp_path / "re.db"
    first = claimledger("ingest", str(post), "--db", str(db), env=home)
    second = claimledger("ingest", str(post), "--db", str(db), env=home)
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    assert "1 unchanged" in second.stdout
    assert _rows(db, "SELECT count(*) FROM documents")[0][0] == 1

    forced = claimledger("ingest", str(post), "--db", str(db), "--force", env=home)
    assert forced.returncode == 0, forced.stderr
    assert "1 replaced" in forced.stdout
    assert _rows(db, "SELECT count(*) FROM documents")[0][0] == 1
    assert [r[0] for r in _rows(db, "SELECT change FROM document_versions ORDER BY id")] == ["added", "reextracted"]
    (version,), = _rows(db, "SELECT extractor_version FROM documents")
    assert version.startswith("0.1.0+") and len(version) == len("0.1.0+") + 10


def test_cli_extract_json_needs_no_database(tmp_path: Path, home: dict[str, str], seed_blog_path: Path) -> None:
    result = claimledger("extract", str(seed_blog_path), "--json", env=home, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["kind"] == "markdown" and data["title"].startswith("014.")
    assert any(n["surface"] == "1590 EFLOPS" for n in data["numbers"])
    assert not list(tmp_path.glob("*.db"))
    assert result.stderr.strip() == ""


def test_cli_version() -> None:
    result = claimledger("--version")
    assert result.returncode == 0 and result.stdout.startswith("claimledger 0.")


def test_cli_help_for_every_command() -> None:
    for command in ("ingest", "extract", "report", "sql", "search", "serve", "server"):
        result = claimledger(command, "--help")
        assert result.returncode == 0 and "Usage" in result.stdout, command


def test_cli_ingest_records_the_flow_run_in_prefect(tmp_path: Path, home: dict[str, str],
                                                    seed_blog_path: Path) -> None:
    """The default path: the run is recorded in the local background server; all failed = a Failed run."""
    db = tmp_path / "prefect.db"
    result = claimledger("--debug", "ingest", str(seed_blog_path), "--db", str(db), env=home)  # Prefect logs shown
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Starting temporary server" not in result.stderr  # PREFECT_API_URL was set before Prefect loaded
    assert "Finished in state Completed()" in result.stderr
    latest = flow_runs(home)[0]
    assert (latest["state_type"], latest["parameters"]["trigger"]) == ("COMPLETED", "cli")
    assert _rows(db, "SELECT count(*) FROM documents")[0][0] == 1

    failed = claimledger("ingest", str(tmp_path / "gone.md"), str(tmp_path / "gone.pdf"), "--db", str(db), env=home)
    assert failed.returncode == 126  # every one of several sources failed
    assert sorted(line for line in failed.stderr.splitlines() if line.startswith("error ")) == [
        f"error {tmp_path / 'gone.md'}: no such file", f"error {tmp_path / 'gone.pdf'}: no such file"]
    latest = flow_runs(home)[0]
    assert latest["state_type"] == "FAILED" and latest["state"]["message"] == "all 2 source(s) failed"


@pytest.mark.slow
def test_cli_restarts_a_killed_local_server(tmp_path: Path, home: dict[str, str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A local server that died (here: SIGKILL) is started again by the next command."""
    import signal

    from flows.runtime import ensure_server

    monkeypatch.setenv("CLAIMLEDGER_HOME", home["CLAIMLEDGER_HOME"])
    monkeypatch.delenv("PREFECT_HOME", raising=False)
    ensure_server()  # the module's server, started here if this test runs alone
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: 重启\n---\n\n数据显示，超过2000家企业参与。\n", encoding="utf-8")
    db = tmp_path / "r.db"
    assert claimledger("server", "status", env=home).stdout.startswith("running")
    pid_file = Path(home["CLAIMLEDGER_HOME"]) / "prefect" / "server.pid"  # Prefect's own
    os.kill(int(pid_file.read_text()), signal.SIGKILL)
    assert claimledger("server", "status", env=home).stdout.strip() == "not running"

    result = claimledger("ingest", str(post), "--db", str(db), env=home)
    assert result.returncode == 0 and "1 added" in result.stdout, result.stderr
    assert "Starting a local Prefect server" in result.stderr
    assert claimledger("server", "status", env=home).stdout.startswith("running")
    assert flow_runs(home)[0]["state_type"] == "COMPLETED"


def test_cli_runtime_knows_prefects_pid_file_name() -> None:
    """flows.runtime spells the name out (importing Prefect there would load its settings too early)."""
    from prefect.cli._server_utils import SERVER_PID_FILE_NAME

    from flows.runtime import SERVER_PID_FILE_NAME as ours

    assert ours == SERVER_PID_FILE_NAME


def test_cli_prefect_off_runs_the_same_tasks_without_a_server(tmp_path: Path, seed_blog_path: Path) -> None:
    """``--prefect off``: no server is started or needed, and the result is the same."""
    own_home = {"CLAIMLEDGER_HOME": str(tmp_path / "home")}
    db = tmp_path / "off.db"
    result = claimledger("ingest", str(seed_blog_path), str(tmp_path / "gone.md"), "--db", str(db),
                         "--prefect", "off", "--max-bytes", "100", env=own_home)
    assert result.returncode == 126
    assert "Starting a local Prefect server" not in result.stderr
    assert not (tmp_path / "home" / "prefect-server.json").exists()
    assert any("over the 100-byte limit" in line for line in result.stderr.splitlines())
    again = claimledger("ingest", str(seed_blog_path), "--db", str(db), "--prefect", "off", env=own_home)
    assert again.returncode == 0 and "1 added" in again.stdout, again.stderr
    assert _rows(db, 'SELECT "trigger", added FROM ingest_runs ORDER BY id') == [("cli", 0), ("cli", 1)]


def test_cli_report_on_a_missing_database_fails_without_creating_one(tmp_path: Path, home: dict[str, str]) -> None:
    db = tmp_path / "nothing-here.db"
    result = claimledger("report", "--db", str(db), env=home)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: no database at") and "Traceback" not in result.stderr
    assert not db.exists()


def test_cli_report_flags_conflicting_and_stale_figures_across_documents(tmp_path: Path, home: dict[str, str]) -> None:
    """Two posts disagree on the same metric; one quotes a ten-year-old figure."""
    (tmp_path / "a.md").write_text("---\ntitle: 甲\ndate: 2025-06-01\n---\n\n"
                                   "据统计，截至2024年底，全国智能算力规模为280 EFLOPS。\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: 乙\ndate: 2025-07-01\n---\n\n"
                                   "数据显示，截至2024年底，全国智能算力规模为420 EFLOPS。\n\n"
                                   "据统计，2015年全国数据中心机架数为100万个。\n", encoding="utf-8")
    db = tmp_path / "conflict.db"
    ingest = claimledger("ingest", str(tmp_path / "a.md"), str(tmp_path / "b.md"), "--db", str(db), env=home)
    assert ingest.returncode == 0, ingest.stderr
    report = claimledger("report", "--db", str(db), "--format", "md", env=home)
    assert report.returncode == 0, report.stderr
    conflict = [line for line in report.stdout.splitlines() if "`numbers.conflict`" in line and "—" in line]
    assert conflict and "280 EFLOPS" in conflict[0] and "420 EFLOPS" in conflict[0]
    assert any("`numbers.stale`" in line and "2015" in line for line in report.stdout.splitlines())
    rows = _rows(db, 'SELECT "check", spans FROM findings WHERE "check" = \'numbers.conflict\'')
    spans = json.loads(rows[0][1])
    assert {s["text"] for s in spans} == {"280 EFLOPS", "420 EFLOPS"}
