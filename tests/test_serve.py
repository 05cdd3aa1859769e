"""Scheduled ingestion: config, deployment schedule, and cycles triggered by the test.

Most cycles run through ``run_cycle`` outside a Prefect run (the flow's own
code calling the tasks' plain functions); the ones about retries and the
run's final state run the deployed ``scheduled_ingest`` flow itself against
the session's temporary Prefect API.  No test waits for a schedule; the
deployment object is built and inspected but never served.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from db.session import get_engine
from flows.config import (ConfigError, FetchSettings, FolderSource, ServeConfig, config_from_mapping,
                          fetch_overrides, load_config, parse_interval, with_overrides)
from flows.ingest import add_progress_hook, remove_progress_hook
from flows.serve import build_deployment, config_to_parameters, folder_files, run_cycle, scheduled_ingest
from tests.test_feeds import FAST, LocalSite, page_html, site  # noqa: F401 - fixture

DOC_A = "# Storage note\n\nThe agency said grid storage grants rose 43% to $2.5 million in 2024.\n"
DOC_B = "# 算力简报\n\n据统计，2024年全国算力规模达到246 EFLOPS，同比增长16.5%。\n"
DOC_C = "# Budget note\n\nThe ministry reported that spending fell by 12% in 2023.\n"


def rows(db_url: str, sql: str) -> list[tuple]:
    with get_engine(db_url).connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


# --------------------------------------------------------------------------- config


def test_serve_config_file_and_flag_overrides(tmp_path: Path) -> None:
    (tmp_path / "claimledger.toml").write_text(
        'db = "x.db"\ninterval = "15m"\nner = "rules"\n'
        '[sources]\nfolders = [{ path = "posts", glob = "**/*.md" }, "pdfs"]\n'
        'urls = ["https://example.org/a.html"]\nfeeds = ["https://example.org/feed.xml"]\n'
        '[fetch]\ntimeout = 5\nretry_delays = [1, 2]\n', encoding="utf-8")
    config = load_config(tmp_path / "claimledger.toml")
    assert config.folders == (FolderSource(str(tmp_path / "posts"), "**/*.md"),
                              FolderSource(str(tmp_path / "pdfs"), "**/*"))
    assert config.interval_seconds == 900 and config.cron is None
    assert config.name == "claimledger-scheduled-ingest" and config.dask is None
    assert config.fetch == FetchSettings(timeout=5.0, retry_delays=(1.0, 2.0))
    overridden = with_overrides(config, cron="0 * * * *", db="y.db", report=None)
    assert (overridden.cron, overridden.interval, overridden.db) == ("0 * * * *", None, "y.db")
    assert with_overrides(config).interval == "15m"


@pytest.mark.parametrize(("flags", "expected"), [
    ({"retry_delays": "1, 4,10"}, FetchSettings(retry_delays=(1.0, 4.0, 10.0))),
    ({"retry_delays": ""}, FetchSettings(retry_delays=())),
    ({"retry_delays": [0, 2.5]}, FetchSettings(retry_delays=(0.0, 2.5))),
    ({"timeout": "5", "max_bytes": 1000}, FetchSettings(timeout=5.0, max_bytes=1000)),
    ({}, FetchSettings()),
])
def test_serve_fetch_overrides_from_flags_or_file(flags: dict, expected: FetchSettings) -> None:
    assert fetch_overrides(FetchSettings(), **flags) == expected


@pytest.mark.parametrize("flags", [{"timeout": 0}, {"max_bytes": -1}, {"retry_delays": "1,-2"},
                                   {"retry_delays": "1,soon"}, {"retry_delays": [1] * 51}])
def test_serve_fetch_overrides_refuse_bad_values(flags: dict) -> None:
    with pytest.raises(ConfigError, match=r"^\[C008\] bad \[fetch\] value"):
        fetch_overrides(FetchSettings(), **flags)


@pytest.mark.parametrize(("value", "seconds"), [("90", 90), (90, 90), ("30s", 30), ("15m", 900),
                                                 ("2h", 7200), ("1d", 86400), ("1.5m", 90)])
def test_serve_parse_interval(value: str | int, seconds: float) -> None:
    assert parse_interval(value) == seconds


@pytest.mark.parametrize(("data", "message"), [
    ({"cron": "0 * * * *", "interval": "5m"}, r"\[C005\] give either cron or interval"),
    ({"interval": "soon"}, r"\[C001\] interval 'soon' is not like"),
    ({"interval": "0m"}, r"\[C002\]"),
    ({"cron": "hourly"}, r"\[C006\] cron 'hourly' needs 5 fields"),
    ({"sources": {"folder": []}}, r"\[C010\] unknown key\(s\) folder in \[sources\]"),
    ({"sources": {"folders": [{"glob": "*"}]}}, r"\[C007\]"),
])
def test_serve_config_errors(data: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config_from_mapping(data)


def test_serve_missing_explicit_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[C003\]"):
        load_config(tmp_path / "nope.toml")


# --------------------------------------------------------------------------- deployment


@pytest.mark.parametrize(("flags", "attr", "expected"), [
    ({"cron": "*/5 * * * *"}, "cron", "*/5 * * * *"),
    ({"interval": "15m"}, "interval", 900.0),
])
def test_serve_deployment_has_configured_schedule(tmp_path: Path, flags: dict, attr: str,
                                                  expected: object) -> None:
    config = ServeConfig(folders=(FolderSource(str(tmp_path)),), db="sqlite:///x.db", **flags)
    deployment = build_deployment(config)
    assert deployment.name == "claimledger-scheduled-ingest"
    assert deployment.entrypoint.endswith("flows/serve.py:scheduled_ingest")
    [schedule] = deployment.schedules
    value = getattr(schedule.schedule, attr)
    assert (value.total_seconds() if attr == "interval" else value) == expected
    assert config_from_mapping(deployment.parameters["config"]) == replace(config, cron=None, interval=None)


def test_serve_deployment_needs_a_schedule(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[C011\] serving needs a schedule"):
        build_deployment(ServeConfig(folders=(FolderSource(str(tmp_path)),)))


def test_serve_parameters_round_trip() -> None:
    config = ServeConfig(db="a.db", report="r.md", cron="0 * * * *", folders=(FolderSource("/d", "*.md"),),
                         urls=("https://e.org/a",), feeds=("https://e.org/f",), fetch=FAST)
    params = config_to_parameters(config)
    assert config_from_mapping({**params, "cron": config.cron}) == config


# --------------------------------------------------------------------------- cycles


def test_serve_folder_glob_skips_hidden_and_other_suffixes(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(DOC_A)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text(DOC_B)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.md").write_text(DOC_C)
    (tmp_path / "notes.json").write_text("{}")
    everything = folder_files([FolderSource(str(tmp_path))])
    assert [Path(p).name for p in everything] == ["a.md", "b.md"]
    top = folder_files([FolderSource(str(tmp_path), "*.md")])
    assert [Path(p).name for p in top] == ["a.md"]


def test_serve_watched_folder_only_new_and_changed(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "watched"
    folder.mkdir()
    (folder / "a.md").write_text(DOC_A, encoding="utf-8")
    (folder / "b.md").write_text(DOC_B, encoding="utf-8")
    config = ServeConfig(db=db_url, folders=(FolderSource(str(folder), "*.md"),), fetch=FAST)

    first = run_cycle(config)
    assert sorted(o.status for o in first.outcomes) == ["added", "added"]

    (folder / "c.md").write_text(DOC_C, encoding="utf-8")
    second = run_cycle(config)
    assert [(Path(o.source).name, o.status) for o in second.outcomes] == [("c.md", "added")]
    assert second.unchanged_files == 2

    (folder / "a.md").write_text(DOC_A.replace("43%", "45%"), encoding="utf-8")
    third = run_cycle(config)
    assert [(Path(o.source).name, o.status) for o in third.outcomes] == [("a.md", "replaced")]
    versions = rows(db_url, "SELECT source, change, previous_sha256 IS NOT NULL FROM document_versions "
                            "WHERE change = 'replaced'")
    assert versions == [(str((folder / "a.md").resolve()), "replaced", True)]
    assert rows(db_url, "SELECT count(*) FROM documents") == [(3,)]
    runs = rows(db_url, 'SELECT "trigger", seen, added, replaced FROM ingest_runs ORDER BY id')
    assert runs == [("schedule", 2, 2, 0), ("schedule", 1, 1, 0), ("schedule", 1, 0, 1)]

    fourth = run_cycle(config)
    assert fourth.outcomes == () and fourth.unchanged_files == 3


def run_scheduled(config: ServeConfig):  # type: ignore[no-untyped-def]
    """The deployed flow, run once: its final state and every outcome the progress hooks saw."""
    outcomes: list = []
    add_progress_hook(outcomes.append)
    try:
        state = scheduled_ingest(config_to_parameters(config), return_state=True)
    finally:
        remove_progress_hook(outcomes.append)
    return state, outcomes


def test_serve_feed_cycle_failures_never_stop_others(prefect_api: None, sqlite_url: str, site: LocalSite,
                                                     tmp_path: Path) -> None:
    folder = tmp_path / "watched"
    folder.mkdir()
    (folder / "c.md").write_text(DOC_C, encoding="utf-8")
    config = ServeConfig(db=sqlite_url, folders=(FolderSource(str(folder)),),
                         urls=(f"{site.base}/page/a.html",),
                         feeds=(f"{site.base}/feed.xml", f"{site.base}/missing-feed.xml"), fetch=FAST)
    state, outcomes = run_scheduled(config)
    assert state.is_completed()
    status = {o.source.removeprefix(site.base): o.status for o in outcomes}
    assert status == {
        str((folder / "c.md").resolve()): "added", "/page/a.html": "added", "/page/b.html": "added",
        "/slow.html": "failed", "/error500.html": "failed", "/huge.html": "failed",
        "/redirect-file": "failed", "/redirect-ftp": "failed", "/missing-feed.xml": "failed",
    }
    counts = state.result()
    assert (counts["added"], counts["failed"], counts["feed_failures"]) == (3, 5, 1)
    assert site.hits["/page/a.html"] == 1  # listed as a URL and in the feed: fetched once
    assert site.hits["/error500.html"] == 3  # Prefect retried it twice (FAST has two delays), then failed
    assert site.hits["/missing-feed.xml"] == 1  # a 404 is never retried
    failures = dict(rows(sqlite_url, "SELECT source, reason FROM ingest_failures"))
    failures = {k.removeprefix(site.base): v for k, v in failures.items()}
    assert f"timed out after {FAST.timeout:g} s" in failures["/slow.html"]
    assert "HTTP 500" in failures["/error500.html"] and "3 attempts" in failures["/error500.html"]
    assert "over the 20000-byte limit" in failures["/huge.html"]
    assert "not 'file'" in failures["/redirect-file"] and "not 'ftp'" in failures["/redirect-ftp"]
    assert failures["/missing-feed.xml"].startswith("feed: HTTP 404")
    assert rows(sqlite_url, 'SELECT "trigger", added, failed FROM ingest_runs') == [("schedule", 3, 5)]


def test_serve_cycle_run_fails_when_nothing_lands(prefect_api: None, sqlite_url: str, site: LocalSite) -> None:
    """Every document and every feed failed: the flow run (and its ingest subflow) end Failed."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId

    config = ServeConfig(db=sqlite_url, urls=(f"{site.base}/missing.html",),
                         feeds=(f"{site.base}/missing-feed.xml",), fetch=FAST)
    state, outcomes = run_scheduled(config)
    assert state.is_failed() and "nothing landed" in (state.message or "")
    counts = state.result(raise_on_failure=False)
    assert (counts["failed"], counts["feed_failures"], counts["added"]) == (1, 1, 0)
    assert sorted(o.source.removeprefix(site.base) for o in outcomes) == ["/missing-feed.xml", "/missing.html"]
    with get_client(sync_client=True) as client:
        [subflow] = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[state.state_details.flow_run_id])))
    assert subflow.state_type.value == "FAILED"


def test_serve_second_cycle_sends_stored_validators(sqlite_url: str, site: LocalSite) -> None:
    config = ServeConfig(db=sqlite_url, urls=(f"{site.base}/page/a.html",), fetch=FAST)
    run_cycle(config)
    assert rows(sqlite_url, "SELECT etag FROM documents") == [(site.etag("/page/a.html"),)]
    run_cycle(config)
    assert site.conditional_hits["/page/a.html"] >= 1


def test_serve_second_cycle_url_not_modified(sqlite_url: str, site: LocalSite) -> None:
    config = ServeConfig(db=sqlite_url, urls=(f"{site.base}/page/a.html",), fetch=FAST)
    run_cycle(config)
    [outcome] = run_cycle(config).outcomes
    if outcome.status == "failed":
        from flows.fetch import PermanentFetchError

        raise PermanentFetchError(outcome.reason)
    assert outcome.status == "not_modified"


def test_serve_changed_page_is_replaced(sqlite_url: str, site: LocalSite) -> None:
    config = ServeConfig(db=sqlite_url, urls=(f"{site.base}/page/b.html",), fetch=FAST)
    run_cycle(config)
    site.pages["/page/b.html"] = page_html("Grid report", "Officials reported that 1,500 projects applied in 2023.")
    [outcome] = run_cycle(config).outcomes
    assert outcome.status == "replaced"
    assert rows(sqlite_url, "SELECT change FROM document_versions ORDER BY id") == [("added",), ("replaced",)]


def test_serve_cycle_writes_report(sqlite_url: str, tmp_path: Path) -> None:
    pytest.importorskip("flows.report")
    (tmp_path / "a.md").write_text(DOC_A, encoding="utf-8")
    report = tmp_path / "out" / "report.md"
    config = ServeConfig(db=sqlite_url, report=str(report), folders=(FolderSource(str(tmp_path), "*.md"),))
    result = run_cycle(config)
    assert result.report == str(report) and result.report_error is None
    assert "43%" in report.read_text(encoding="utf-8")


def test_serve_cycle_report_with_unknown_suffix_is_a_warning(sqlite_url: str, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(DOC_A, encoding="utf-8")
    config = ServeConfig(db=sqlite_url, report=str(tmp_path / "r.pdf"),
                         folders=(FolderSource(str(tmp_path), "*.md"),))
    result = run_cycle(config)
    assert result.count("added") == 1 and result.report is None
    assert "must end in one of" in (result.report_error or "")


# --------------------------------------------------------------------------- CLI


@pytest.fixture()
def cli():  # type: ignore[no-untyped-def]
    from flows.cli import app

    return lambda *args: CliRunner().invoke(app, list(args))


def test_serve_cli_once_without_prefect(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text(DOC_A, encoding="utf-8")
    config = tmp_path / "claimledger.toml"
    config.write_text('interval = "1h"\n[sources]\nfolders = [{ path = "docs", glob = "*.md" }]\n')
    db = str(tmp_path / "cl.db")
    first = cli("serve", "--config", str(config), "--db", db, "--once", "--prefect", "off")
    assert first.exit_code == 0, first.output
    assert "Cycle done (run 1): 1 added" in first.output
    second = cli("serve", "--config", str(config), "--db", db, "--once", "--prefect", "off")
    assert "0 added" in second.output and "1 stored file(s) skipped" in second.output


def test_serve_cli_once_records_the_cycle_in_prefect(prefect_api: None, cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                    monkeypatch) -> None:
    """The default --once: the deployed flow runs once in Prefect; same output, exit 1 if nothing landed."""
    from prefect.settings import PREFECT_API_URL

    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text(DOC_A, encoding="utf-8")
    config = tmp_path / "claimledger.toml"
    config.write_text('[sources]\nfolders = [{ path = "docs" }]\n[fetch]\nretry_delays = []\n')
    db = str(tmp_path / "cl.db")
    first = cli("serve", "--config", str(config), "--db", db, "--once")
    assert first.exit_code == 0, first.output
    assert "Cycle done (run 1): 1 added, 0 replaced" in first.output
    (tmp_path / "docs" / "empty.pdf").write_bytes(b"")
    (tmp_path / "docs" / "long.md").write_text(DOC_C * 30, encoding="utf-8")
    second = cli("serve", "--config", str(config), "--db", db, "--once", "--max-bytes", "1000")
    assert second.exit_code == 1  # nothing of the cycle landed: the flow run ended Failed
    docs = (tmp_path / "docs").resolve()
    assert sorted(line for line in second.output.splitlines() if line.startswith("error ")) == [
        f"error {docs / 'empty.pdf'}: [S001] file is empty (0 bytes)",
        f"error {docs / 'long.md'}: file is {len(DOC_C) * 30} bytes, over the 1000-byte limit"]
    assert "0 added" in second.output and "2 failed" in second.output


@pytest.mark.parametrize(("args", "message"), [
    (["--retry-delays", "1,soon"], "Error: [C008] bad [fetch] value"),
    (["--cron", "0 * * * *", "--interval", "5m"], "Error: [C005] give either cron or interval"),
    (["--interval", "5m"], "Error: nothing to watch"),
    (["--config", "missing.toml"], "Error: [C003] config file missing.toml does not exist"),
])
def test_serve_cli_errors(cli, tmp_path: Path, monkeypatch, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = cli("serve", *args)
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())
