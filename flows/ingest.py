"""The ``ingest_sources`` flow: fetch -> extract -> store, one document at a time.

Each source is processed by three tasks.  Only ``fetch_source`` retries (it
does I/O); extraction is deterministic and is cached on the document's
sha256 plus the extractor version (never on Prefect's pickled-input hash);
``store_document`` writes one transaction per document, so a failure leaves
nothing half-written.  One source failing never stops the others.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.context import TaskRunContext
from prefect.task_runners import ThreadPoolTaskRunner

from db.migrate import upgrade
from db.runs import finish_run, record_failure, start_run
from db.session import get_engine, session_scope
from db.incremental import save_document_once, url_validators
from db.store import StoreResult, find_by_sha
import extractors
from extractors.document import EXTRACTOR_VERSION, extract_document
from extractors.errors import ExtractionError
from extractors.types import ExtractedDocument
from flows.fetch import Fetched, FetchError, PermanentFetchError, fetch_url, is_url, read_path

ProgressHook = Callable[["SourceOutcome"], None]
_hooks: list[ProgressHook] = []
_hooks_lock = threading.Lock()


def add_progress_hook(hook: ProgressHook) -> None:
    """Let the CLI draw progress: hooks are process-local and never sent to Prefect."""
    with _hooks_lock:
        _hooks.append(hook)


def remove_progress_hook(hook: ProgressHook) -> None:
    with _hooks_lock:
        if hook in _hooks:
            _hooks.remove(hook)


@dataclass(frozen=True, slots=True)
class SourceOutcome:
    source: str
    status: str  # added | replaced | unchanged | failed | not_modified
    reason: str | None = None
    document_id: int | None = None
    claims: int = 0
    numbers: int = 0
    footnotes: int = 0


@dataclass(slots=True)
class IngestSummary:
    run_id: int | None
    outcomes: list[SourceOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def _retry_transient(task, task_run, state) -> bool:  # type: ignore[no-untyped-def]
    """Retry network hiccups and 5xx, never 4xx, bad schemes or oversize files."""
    try:
        state.result()
    except PermanentFetchError:
        return False
    except FetchError:
        return True
    except Exception:
        return False
    return False


@task(name="fetch_source", retries=3, retry_delay_seconds=[1, 4, 10],
      retry_condition_fn=_retry_transient)
def fetch_source(source: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
    if is_url(source):
        return fetch_url(source, etag=etag, last_modified=last_modified)
    return read_path(source)


def _extraction_cache_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    return f"extract-{parameters['sha256']}-{parameters['ner']}-{parameters['version']}"


@task(name="extract_document", cache_key_fn=_extraction_cache_key,
      cache_expiration=timedelta(days=30), result_serializer="compressed/pickle")
def extract_source(data: bytes, source: str, sha256: str, ner: str, version: str) -> ExtractedDocument:
    """Cached on sha256 + NER backend + extractor version; stored compressed (text compresses ~5x)."""
    return extract_document(data, source=source, ner=ner, version=version)


@task(name="store_document")
def store_document(doc: ExtractedDocument, db_url: str | None, etag: str | None = None,
                   last_modified: str | None = None, reextract: bool = False) -> StoreResult:
    with session_scope(get_engine(db_url)) as session:
        return save_document_once(session, doc, etag=etag, last_modified=last_modified,
                                  reextract=reextract)


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """``EXTRACTOR_VERSION`` plus a digest of the extractor code and data.

    Cached extractions are keyed on this, so editing or upgrading any
    extractor invalidates them without anyone remembering to bump a number.
    """
    root = Path(extractors.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return f"{EXTRACTOR_VERSION}+{digest.hexdigest()[:10]}"


def _validators(db_url: str | None, source: str) -> tuple[str | None, str | None]:
    """A URL's stored ETag/Last-Modified, so an unchanged page costs a 304 and nothing else."""
    if not is_url(source):
        return (None, None)
    with session_scope(get_engine(db_url), write=False) as session:
        return url_validators(session, source).as_tuple()


def _already_stored(db_url: str | None, sha256: str) -> int | None:
    with session_scope(get_engine(db_url), write=False) as session:
        return find_by_sha(session, sha256)


@dataclass(frozen=True, slots=True)
class Steps:
    """The three steps of one source: Prefect tasks in a flow run, their plain functions otherwise."""

    fetch: Callable[..., Fetched]
    extract: Callable[..., ExtractedDocument]
    store: Callable[..., StoreResult]


def process_source(source: str, db_url: str | None, ner: str,
                   validators: tuple[str | None, str | None] = (None, None),
                   steps: Steps | None = None, force: bool = False) -> SourceOutcome:
    """One source end to end; every failure becomes an outcome, never an exception.

    ``force`` re-extracts and replaces documents whose bytes are stored already.
    """
    steps = steps or PREFECT_STEPS
    try:
        fetched = steps.fetch(source, *(validators if not force else (None, None)))
        if fetched.not_modified:
            return SourceOutcome(source, "not_modified")
        sha = hashlib.sha256(fetched.data).hexdigest()
        known = None if force else _already_stored(db_url, sha)
        if known is not None:
            return SourceOutcome(fetched.source, "unchanged", document_id=known)
        doc = steps.extract(fetched.data, fetched.source, sha, ner, extractor_version())
        result = steps.store(doc, db_url, fetched.etag, fetched.last_modified, force)
        return SourceOutcome(fetched.source, result.status, document_id=result.document_id,
                             claims=result.claims, numbers=result.numbers, footnotes=result.footnotes)
    except (FetchError, ExtractionError) as exc:
        return SourceOutcome(source, "failed", reason=_reason(exc))
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run
        return SourceOutcome(source, "failed", reason=f"unexpected {exc.__class__.__name__}: {exc}")


PREFECT_STEPS = Steps(fetch_source, extract_source, store_document)
LOCAL_STEPS = Steps(fetch_source.fn, extract_source.fn, store_document.fn)


def _reason(exc: Exception) -> str:
    return str(exc) or exc.__class__.__doc__ or exc.__class__.__name__


def _notify(outcome: SourceOutcome) -> SourceOutcome:
    with _hooks_lock:
        hooks = list(_hooks)
    for hook in hooks:
        hook(outcome)
    return outcome


@task(name="ingest_one")
def ingest_one(source: str, db_url: str | None, ner: str, force: bool = False) -> SourceOutcome:
    return _notify(process_source(source, db_url, ner, _validators(db_url, source), steps=PREFECT_STEPS,
                                  force=force))


def _ingest(sources: Sequence[str], db_url: str | None, trigger: str,
            run_all: Callable[[Sequence[str]], list[SourceOutcome]]) -> IngestSummary:
    engine = get_engine(db_url)
    upgrade(engine)  # the writer's explicit, locked migration step, before any read or write
    with session_scope(engine) as session:
        run_id = start_run(session, trigger)
    summary = IngestSummary(run_id, run_all(sources))
    with session_scope(engine) as session:
        for outcome in summary.failed:
            record_failure(session, run_id, outcome.source, outcome.reason or "failed")
        finish_run(session, run_id, summary.outcomes)
    return summary


@flow(name="ingest_sources", task_runner=ThreadPoolTaskRunner(max_workers=2), log_prints=False)
def ingest_sources(sources: Sequence[str], db_url: str | None = None, ner: str = "rules",
                   trigger: str = "cli", force: bool = False) -> IngestSummary:
    """Ingest every source; returns a summary (failures are listed, not raised)."""
    def run_all(items: Sequence[str]) -> list[SourceOutcome]:
        futures = [ingest_one.submit(source, db_url, ner, force) for source in items]
        return [f.result() for f in futures]

    return _ingest(sources, db_url, trigger, run_all)


def ingest_sources_local(sources: Sequence[str], db_url: str | None = None, ner: str = "rules",
                         trigger: str = "cli", workers: int = 2,
                         steps: Steps | None = None, force: bool = False) -> IngestSummary:
    """The same work without Prefect (``--prefect off``): no run record, no task retries or cache."""
    from concurrent.futures import ThreadPoolExecutor

    def run_all(items: Sequence[str]) -> list[SourceOutcome]:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(
                lambda s: _notify(process_source(s, db_url, ner, _validators(db_url, s),
                                                 steps=steps or LOCAL_STEPS, force=force)), items))

    return _ingest(sources, db_url, trigger, run_all)
