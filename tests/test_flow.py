"""The ingest flow's Prefect behaviour: retry condition, task options, extraction cache, final state, run logs.

Pure pieces (the retry condition, the options built from ``[fetch]``) are
called directly; the rest runs real flow runs against the session's
temporary Prefect API (``prefect_api``, one ``prefect_test_harness``).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, LogFilter, LogFilterFlowRunId
from prefect.logging.handlers import APILogHandler
from prefect.settings import PREFECT_LOCAL_STORAGE_PATH, temporary_settings
from prefect.states import Completed, Failed

from conftest import PDFS
from extractors.errors import ExtractionError
from flows import ingest
from flows.config import FetchSettings
from flows.fetch import FetchError, PermanentFetchError

POST = "---\ntitle: 测试\n---\n\n据统计，2025年市场规模约为3.5亿元。\n"


def task_runs(flow_run_id) -> list:  # type: ignore[no-untyped-def]
    with get_client(sync_client=True) as client:
        return client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))


# --------------------------------------------------------------------------- retry condition and options


@pytest.mark.parametrize(("state", "retried"), [
    (Failed(data=FetchError("timed out after 30 s")), True),
    (Failed(data=FetchError("HTTP 503")), True),
    (Failed(data=PermanentFetchError("HTTP 404")), False),
    (Failed(data=PermanentFetchError("response exceeds the 100-byte limit")), False),
    (Failed(data=ExtractionError("[P001] not a PDF")), False),
    (Failed(data=ValueError("a bug")), False),
    (Completed(data=None), False),
])
def test_flow_retry_condition_retries_only_transient_fetch_errors(state, retried: bool) -> None:  # type: ignore[no-untyped-def]
    assert ingest.retry_transient(ingest.fetch_source, None, state) is retried


def test_flow_fetch_task_options_come_from_the_settings() -> None:
    configured = ingest.with_fetch_options(ingest.fetch_source, FetchSettings(retry_delays=(0.5, 2.0, 8.0, 30.0)))
    assert (configured.retries, configured.retry_delay_seconds) == (4, [0.5, 2.0, 8.0, 30.0])
    assert configured.retry_condition_fn is ingest.retry_transient
    assert ingest.with_fetch_options(ingest.fetch_source, FetchSettings(retry_delays=())).retries == 0


# --------------------------------------------------------------------------- extraction cache


def test_flow_extraction_cache_key_hits_on_same_bytes_and_version(prefect_api: None, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Same bytes + NER + extractor version: cached; a new version or NER backend: extracted again."""
    calls: list[tuple[str, str]] = []
    real = ingest.extract_document

    def counting(data: bytes, *, source: str, ner: str, version: str):  # type: ignore[no-untyped-def]
        calls.append((ner, version))
        return real(data, source=source, ner="rules", version=version)

    monkeypatch.setattr(ingest, "extract_document", counting)
    data = POST.encode()
    sha = "a" * 64  # the key is what the flow passes, not recomputed by the task

    @flow(name="extract_four_times")
    def extract_four_times() -> list[str]:
        runs = [("rules", "v1"), ("rules", "v1"), ("rules", "v2"), ("spacy:/models/x", "v1")]
        return [ingest.extract_source(data, "post.md", sha, ner, version).title for ner, version in runs]

    with temporary_settings({PREFECT_LOCAL_STORAGE_PATH: tmp_path / "results"}):
        titles = extract_four_times()
    assert titles == ["测试"] * 4
    assert calls == [("rules", "v1"), ("rules", "v2"), ("spacy:/models/x", "v1")]
    assert any((tmp_path / "results").iterdir())  # the cached extraction was persisted there


# --------------------------------------------------------------------------- final state, task states, logs


@pytest.fixture()
def inputs(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "good.md").write_text(POST, encoding="utf-8")
    bad_pdf = (PDFS / "english_policy_brief.pdf").read_bytes()[:900] if PDFS.is_dir() else b"%PDF-1.7\n1 0 obj\n<<"
    (tmp_path / "bad.pdf").write_bytes(bad_pdf)
    return {"good": str(tmp_path / "good.md"), "bad": str(tmp_path / "bad.pdf"),
            "missing": str(tmp_path / "missing.md"), "db": f"sqlite:///{tmp_path / 'flow.db'}"}


def test_flow_fails_when_every_document_failed(prefect_api: None, inputs: dict[str, str]) -> None:
    state = ingest.ingest_sources([inputs["bad"], inputs["missing"]], inputs["db"], return_state=True)
    assert state.is_failed() and state.message == "all 2 source(s) failed"
    summary = state.result(raise_on_failure=False)
    assert [o.status for o in summary.outcomes] == ["failed", "failed"]
    assert "no such file" in summary.outcomes[1].reason
    runs = task_runs(state.state_details.flow_run_id)
    assert sorted(r.state_type.value for r in runs if r.name.startswith("ingest_one")) == ["FAILED", "FAILED"]
    # a bad PDF is read once and fails in extraction; a missing file is permanent: neither is retried
    assert [r.run_count for r in runs if r.name.startswith("fetch_source")] == [1, 1]


def test_flow_completes_when_one_document_landed(prefect_api: None, inputs: dict[str, str]) -> None:
    state = ingest.ingest_sources([inputs["good"], inputs["bad"]], inputs["db"], return_state=True)
    assert state.is_completed()
    assert [o.status for o in state.result().outcomes] == ["added", "failed"]
    runs = task_runs(state.state_details.flow_run_id)
    assert sorted(r.state_type.value for r in runs if r.name.startswith("ingest_one")) == ["COMPLETED", "FAILED"]


def test_flow_with_nothing_to_do_completes(prefect_api: None, inputs: dict[str, str]) -> None:
    state = ingest.ingest_sources([], inputs["db"], return_state=True)
    assert state.is_completed() and state.result().outcomes == []


def test_flow_run_logs_reach_the_api(prefect_api: None, inputs: dict[str, str]) -> None:
    state = ingest.ingest_sources([inputs["good"], inputs["missing"]], inputs["db"], return_state=True)
    summary = state.result()
    APILogHandler().flush()  # logs are sent in batches by a background worker
    expected = {f"run {summary.run_id}: 2 source(s), 1 failed", f"{inputs['missing']} failed: no such file"}
    messages: set[str] = set()
    for _ in range(20):  # the server may take a moment to make them readable
        with get_client(sync_client=True) as client:
            logs = client.read_logs(log_filter=LogFilter(
                flow_run_id=LogFilterFlowRunId(any_=[state.state_details.flow_run_id])))
        messages = {log.message for log in logs}
        if expected <= messages:
            break
        time.sleep(0.5)
    assert expected <= messages


def test_flow_run_logger_outside_a_run_is_a_plain_logger() -> None:
    """Under ``--prefect off`` (``.fn``, no run context) logs go to the standard logging tree."""
    assert ingest.run_logger() is logging.getLogger("claimledger.flows")
    assert not ingest.in_prefect_run()


def test_flow_prefect_off_is_the_same_body_without_a_run(inputs: dict[str, str]) -> None:
    summary = ingest.run_ingest([inputs["good"], inputs["missing"]], inputs["db"], use_prefect=False)
    assert [o.status for o in summary.outcomes] == ["added", "failed"]
    again = ingest.run_ingest([inputs["bad"], inputs["missing"]], inputs["db"], use_prefect=False)
    assert again.all_failed and again.run_id == summary.run_id + 1
