"""Scheduled ingestion: one cycle over the configured sources, served on a schedule.

A cycle gathers candidates (files under watched folders, configured URLs,
the item links of RSS/Atom feeds), drops the local files whose bytes are
stored already (one batched sha256 lookup, so an unchanged corpus costs a
hash per file and nothing else), ingests the rest with ``trigger="schedule"``
and, if asked, re-renders the report.  URL sources are fetched with the
ETag/Last-Modified of their stored version, so unchanged pages answer 304.

``build_deployment`` turns the cycle flow into a Prefect deployment with a
cron or interval schedule; ``serve_forever`` serves it (a long-running
process that polls the Prefect API for due runs).  ``run_cycle`` is the
cycle itself: inside ``scheduled_ingest`` feeds are read by the ``read_feed``
task and documents by the ``ingest_sources`` subflow, with retries from
``[fetch]``; called outside a run (``--once --prefect off``) the same code
calls the tasks' plain functions.  The flow run ends Failed when nothing of
the cycle landed (every document and every feed failed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from prefect import flow

from db.incremental import known_sha256s
from db.migrate import upgrade
from db.runs import record_failure
from db.session import get_engine, session_scope
from flows.config import ConfigError, FolderSource, ServeConfig, config_from_mapping
from flows.feeds import FeedCache, feed_links
from flows.fetch import SUFFIXES
from flows.ingest import (SourceOutcome, failed_if, in_prefect_run, ingest_sources, ingest_sources_local,
                          notify, run_logger, state_value)

REPORT_FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
                  ".json": "json", ".jsonld": "jsonld", ".csv": "csv"}


class ReportUnavailable(Exception):
    """The report could not be written (no renderer installed, or an unknown suffix)."""


@dataclass(frozen=True, slots=True)
class Candidates:
    """What one cycle will ingest, and what it skipped before fetching anything."""

    sources: tuple[str, ...]
    unchanged_files: int = 0
    feed_failures: tuple[tuple[str, str], ...] = ()
    references: tuple[str, ...] = ()  # sources to mark as reference documents
    discovered: frozenset[str] = frozenset()  # feed item links nobody named: fetched guarded (flows.fetch)


@dataclass(frozen=True, slots=True)
class CycleResult:
    run_id: int | None
    outcomes: tuple[SourceOutcome, ...]
    unchanged_files: int = 0
    feed_failures: tuple[tuple[str, str], ...] = ()
    report: str | None = None
    report_error: str | None = None
    feeds_read: int = 0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def all_failed(self) -> bool:
        """Something was due (documents or feeds) and none of it was read or stored."""
        landed = len(self.outcomes) - self.count("failed") + self.feeds_read
        return landed == 0 and bool(self.outcomes or self.feed_failures)

    def counts(self) -> dict[str, int]:
        """Counts by status, as the ``scheduled_ingest`` flow returns them."""
        counts = {s: self.count(s) for s in ("added", "replaced", "unchanged", "not_modified", "failed")}
        counts["skipped_files"] = self.unchanged_files
        counts["feed_failures"] = len(self.feed_failures)
        counts["run_id"] = self.run_id or 0
        counts["report_written"] = int(self.report is not None)
        return counts


# --------------------------------------------------------------------------- sources


def folder_files(folders: Sequence[FolderSource]) -> list[str]:
    """Document files under each folder matching its glob; hidden paths skipped."""
    found: set[str] = set()
    for folder in folders:
        root = Path(folder.path).expanduser()
        if not root.is_dir():
            run_logger().warning("watched folder %s does not exist; skipped", root)
            continue
        for child in root.glob(folder.glob):
            rel = child.relative_to(root)
            if child.is_file() and child.suffix.lower() in SUFFIXES \
                    and not any(part.startswith(".") for part in rel.parts):
                found.add(str(child.resolve()))
    return sorted(found)


def new_files(paths: Sequence[str], db_url: str | None, *, max_bytes: int) -> tuple[list[str], int]:
    """Files whose bytes are not stored yet, and how many were skipped as stored.

    Unreadable or oversized files are kept so that ingesting them records a
    failure instead of hiding it.
    """
    digests: dict[str, str] = {}
    keep: list[str] = []
    for path in paths:
        try:
            if Path(path).stat().st_size > max_bytes:
                keep.append(path)
                continue
            digests[path] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            keep.append(path)
    with session_scope(get_engine(db_url), write=False) as session:
        known = known_sha256s(session, digests.values())
    keep.extend(p for p, sha in digests.items() if sha not in known)
    return sorted(keep), len(paths) - len(keep)


def collect_sources(config: ServeConfig, cache: FeedCache | None = None) -> Candidates:
    """New files, the configured URLs and the feeds' links; reference folders are always passed on,
    so that a folder marked ``reference = true`` after its files were stored still marks them."""
    references = folder_files([f for f in config.folders if f.reference])
    files, unchanged = new_files(folder_files([f for f in config.folders if not f.reference]), config.db,
                                 max_bytes=config.fetch.max_bytes)
    links, failures = feed_links(config.feeds, config.fetch, cache)
    urls = list(dict.fromkeys([*config.urls, *links]))
    sources = list(dict.fromkeys(references + files + urls))
    return Candidates(tuple(sources), unchanged, tuple(failures),
                      tuple(references) + tuple(config.reference_urls),
                      frozenset(links) - frozenset(config.urls))


# --------------------------------------------------------------------------- one cycle


def run_cycle(config: ServeConfig, *, cache: FeedCache | None = None) -> CycleResult:
    """One scheduled cycle: collect, ingest (``trigger="schedule"``), record feed failures, report.

    Inside a Prefect run the ingest is the ``ingest_sources`` subflow (on the
    configured Dask cluster, if any); outside one it is the same flow body
    calling the tasks' plain functions.  Feed failures reach the progress
    hooks as failed outcomes, like failed documents.
    """
    upgrade(get_engine(config.db))  # a writer: migrate (locked) before the first lookup
    candidates = collect_sources(config, cache)
    run_logger().info("cycle: %d to ingest, %d unchanged files skipped, %d feed failures",
                      len(candidates.sources), candidates.unchanged_files, len(candidates.feed_failures))
    sources = list(candidates.sources)
    fetch = replace(config.fetch, discovered=candidates.discovered)
    if in_prefect_run():
        summary = state_value(_ingest_flow(config)(sources, config.db, config.ner, trigger="schedule",
                                                   fetch=fetch, references=candidates.references,
                                                   return_state=True))
    else:
        summary = ingest_sources_local(sources, config.db, config.ner, trigger="schedule", fetch=fetch,
                                       references=candidates.references)
    with session_scope(get_engine(config.db)) as session:
        for url, reason in candidates.feed_failures:
            record_failure(session, summary.run_id, url, reason)
    for url, reason in candidates.feed_failures:
        notify(SourceOutcome(url, "failed", reason=reason))
    report, report_error = _maybe_report(config)
    return CycleResult(summary.run_id, tuple(summary.outcomes), candidates.unchanged_files,
                       candidates.feed_failures, report, report_error,
                       feeds_read=len(config.feeds) - len(candidates.feed_failures))


def _ingest_flow(config: ServeConfig):  # type: ignore[no-untyped-def]
    """``ingest_sources``, on the configured Dask cluster if there is one (needs prefect-dask)."""
    if not config.dask:
        return ingest_sources
    from prefect_dask import DaskTaskRunner

    return ingest_sources.with_options(task_runner=DaskTaskRunner(address=config.dask))


def _maybe_report(config: ServeConfig) -> tuple[str | None, str | None]:
    if not config.report:
        return None, None
    try:
        return str(write_report_file(config.db, Path(config.report))), None
    except (ReportUnavailable, ValueError, OSError) as exc:
        run_logger().warning("report %s not written: %s", config.report, exc)
        return None, str(exc)


def write_report_file(db_url: str | None, path: Path) -> Path:
    """Re-run the audit and write the report in the format its suffix names."""
    fmt = REPORT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ReportUnavailable(f"report path {path} must end in one of {', '.join(REPORT_FORMATS)}")
    try:
        from flows.report import write_report
    except ImportError as exc:
        raise ReportUnavailable(f"the report renderer is not available ({exc})") from exc
    text = write_report(db_url, fmt, audit=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- Prefect deployment

_FEED_CACHE = FeedCache()


def config_to_parameters(config: ServeConfig) -> dict[str, Any]:
    """The config as JSON-able deployment parameters (read back by ``config_from_mapping``)."""
    data: dict[str, Any] = {k: getattr(config, k) for k in ("db", "report", "ner", "name", "dask")}
    data = {k: v for k, v in data.items() if v is not None}
    data["sources"] = {"folders": [asdict(f) for f in config.folders],
                       "urls": list(config.urls), "feeds": list(config.feeds)}
    data["fetch"] = {"timeout": config.fetch.timeout, "max_bytes": config.fetch.max_bytes,
                     "retry_delays": list(config.fetch.retry_delays),
                     "allow_private": list(config.fetch.allow_private)}
    return data


@flow(name="scheduled_ingest", log_prints=False)
def scheduled_ingest(config: dict[str, Any]) -> dict[str, int]:
    """The deployed flow: one cycle, counts by status (the run record is in ``ingest_runs``).

    Ends Failed, still carrying the counts, when nothing of the cycle landed.
    """
    result = run_cycle(config_from_mapping(config), cache=_FEED_CACHE)
    return failed_if(result.all_failed, result.counts(),  # type: ignore[return-value]
                     f"nothing landed: {result.count('failed')} document(s) and "
                     f"{len(result.feed_failures)} feed(s) failed")


def build_deployment(config: ServeConfig):  # type: ignore[no-untyped-def]
    """A ``RunnerDeployment`` of :func:`scheduled_ingest` with the configured schedule."""
    if not (config.cron or config.interval):
        raise ConfigError("[C011] serving needs a schedule: give --cron or --interval "
                          "(or use --once for a single cycle)")
    if not config.has_sources:
        raise ConfigError("[C012] nothing to watch: add folders, urls or feeds under [sources]")
    return scheduled_ingest.to_deployment(
        name=config.name,
        cron=config.cron,
        interval=config.interval_seconds,
        parameters={"config": config_to_parameters(config)},
        description="ClaimLedger: ingest new or changed documents from watched folders, URLs and feeds.",
        tags=["claimledger"],
    )


def scheduler_warning() -> str | None:
    """Why a served schedule may never fire here, or None.

    Measured with Prefect 3.8.8: its server's scheduler service fails on
    every loop with SQLAlchemy 2.1 ("Can't evaluate bulk DML statement"), so
    no scheduled run is ever created, while runs triggered by hand are
    served fine; with SQLAlchemy 2.0.44 the same server schedules them.
    """
    import prefect
    import sqlalchemy

    if prefect.__version__.startswith("3.8.") and sqlalchemy.__version__.startswith("2.1."):
        return (f"Prefect {prefect.__version__}'s server cannot create scheduled runs with "
                f"SQLAlchemy {sqlalchemy.__version__} (it needs < 2.1); if the Prefect server runs "
                "in this environment, runs start only when triggered "
                f"('prefect deployment run scheduled_ingest/<name>').")
    return None


def serve_forever(config: ServeConfig) -> None:
    """Serve the deployment until interrupted (Prefect's ``serve`` polls for due runs)."""
    from prefect import serve

    serve(build_deployment(config))
