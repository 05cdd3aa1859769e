"""The ``ingest_sources`` flow: fetch -> extract -> store, one document at a time.

There is one implementation of the pipeline and two ways to run it.  In a
Prefect flow run every step is a task: ``fetch_source`` retries transient
errors (delays from ``[fetch]`` in ``claimledger.toml``, applied with
``.with_options``), ``extract_document`` is cached on the document's sha256,
the NER backend and the extractor version (never on Prefect's pickled-input
hash), and ``store_document`` writes one transaction per document, so a
failure leaves nothing half-written.  With ``--prefect off`` the same body
runs outside any run context and :func:`run_step` calls each task's plain
function (``.fn``): no run record, no retries, no cache.

One source failing never stops the others; its ``ingest_one`` task run ends
Failed (so Prefect shows which document failed and why), and the flow run
ends Failed only when every document failed.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from prefect import Task, flow, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext, TaskRunContext
from prefect.exceptions import MissingContextError
from prefect.logging import get_run_logger
from prefect.serializers import CompressedPickleSerializer
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

from db.migrate import upgrade
from db.runs import finish_run, record_failure, start_run
from db.errors import DatabaseError
from db.session import get_engine, in_transaction_retried, session_scope
from db.incremental import save_document_once, url_validators
from db.store import StoreResult, find_by_sha, mark_reference
import extractors
from extractors.document import EXTRACTOR_VERSION, extract_document
from extractors.errors import ExtractionError
from extractors.types import ExtractedDocument
from flows import threadsafe_ast
from flows.config import FetchSettings
from flows.fetch import Fetched, FetchError, PermanentFetchError, fetch_url, is_url, read_path

ProgressHook = Callable[["SourceOutcome"], None]
_hooks: list[ProgressHook] = []
_hooks_lock = threading.Lock()
_fallback_logger = logging.getLogger("claimledger.flows")
T = TypeVar("T")


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

    @property
    def all_failed(self) -> bool:
        """True when there was something to ingest and none of it landed."""
        return bool(self.outcomes) and len(self.failed) == len(self.outcomes)


class DocumentFailed(Exception):
    """Raised by ``ingest_one`` so that a failed document's task run ends Failed."""

    def __init__(self, outcome: SourceOutcome) -> None:
        super().__init__(outcome)
        self.outcome = outcome

    def __str__(self) -> str:
        return f"{self.outcome.source}: {self.outcome.reason}"


# --------------------------------------------------------------------------- running with or without Prefect


def in_prefect_run() -> bool:
    """Whether the caller is inside a Prefect flow or task run (else: ``--prefect off``)."""
    return FlowRunContext.get() is not None or TaskRunContext.get() is not None


def run_logger() -> logging.Logger | logging.LoggerAdapter:  # type: ignore[type-arg]
    """Prefect's run logger (logs reach the run in the API), or a plain logger under ``.fn``."""
    try:
        return get_run_logger()
    except MissingContextError:
        return _fallback_logger


def run_step(step: Task[..., T], *args: Any, **kwargs: Any) -> T:
    """Call ``step`` as a task inside a Prefect run, as its plain function outside one."""
    if in_prefect_run():
        return step(*args, **kwargs)
    return step.fn(*args, **kwargs)


def retry_transient(task: Task, task_run: Any, state: State) -> bool:  # type: ignore[type-arg]
    """Prefect ``retry_condition_fn``: retry timeouts, dropped connections and 5xx only.

    A ``PermanentFetchError`` (4xx, a bad scheme or redirect, a file over the
    size limit, a missing file) and anything else (an undecodable document is
    not a fetch error at all) fail at once.
    """
    try:
        state.result()
    except PermanentFetchError:
        return False
    except FetchError:
        return True
    except Exception:  # noqa: BLE001 - any other failure is not worth retrying
        return False
    return False


def with_fetch_options(step: Task[..., T], settings: FetchSettings) -> Task[..., T]:
    """``step`` with one Prefect retry per configured delay (``[fetch] retry_delays``)."""
    delays = list(settings.retry_delays)
    return step.with_options(retries=len(delays), retry_delay_seconds=delays or 0)


def fetch_with_settings(source: str, settings: FetchSettings, etag: str | None = None,
                        last_modified: str | None = None) -> Fetched:
    """Read a file or GET a URL under ``settings``' limits.

    On the last attempt of a retried task the error says how many attempts
    were made, so the failure recorded in ``ingest_failures`` shows that the
    source was retried and not just unlucky once.
    """
    try:
        if is_url(source):
            return fetch_url(source, etag=etag, last_modified=last_modified,
                             max_bytes=settings.max_bytes, timeout=settings.timeout,
                             discovered=source in settings.discovered, allow_private=settings.allow_private)
        return read_path(source, max_bytes=settings.max_bytes)
    except PermanentFetchError:
        raise
    except FetchError as exc:
        context = TaskRunContext.get()
        attempts = context.task_run.run_count if context else 1
        if attempts > 1 and context is not None and attempts > context.task.retries:
            raise FetchError(f"{exc} (gave up after {attempts} attempts)") from exc
        raise


# --------------------------------------------------------------------------- the three steps


@task(name="fetch_source", cache_policy=NO_CACHE, retry_condition_fn=retry_transient)
def fetch_source(source: str, etag: str | None = None, last_modified: str | None = None,
                 settings: FetchSettings = FetchSettings()) -> Fetched:
    """One file or URL; run through :func:`with_fetch_options` for the configured retries."""
    return fetch_with_settings(source, settings, etag, last_modified)


def extraction_cache_key(context: Any, parameters: dict[str, Any]) -> str:
    """Same bytes, same NER backend and same extractor code: same extraction."""
    return f"extract-{parameters['sha256']}-{parameters['ner']}-{parameters['version']}"


@task(name="extract_document", cache_key_fn=extraction_cache_key,
      cache_expiration=timedelta(days=30),
      # zlib, not lzma (the "compressed/pickle" default): lzma takes ~25 MB per compressing thread,
      # 42 MB of the 25-report ingest's peak; records keep their serializer, so lzma ones still load
      result_serializer=CompressedPickleSerializer(compressionlib="zlib"),
      cache_result_in_memory=False)  # else Prefect's result store keeps every extracted document (~3 MB each) in RAM
def extract_source(data: bytes, source: str, sha256: str, ner: str, version: str) -> ExtractedDocument:
    """Cached on sha256 + NER backend + extractor version; stored compressed (a 2025 report: 263 KB -> 106 KB)."""
    return extract_document(data, source=source, ner=ner, version=version)


@task(name="store_document", cache_policy=NO_CACHE)
def store_document(doc: ExtractedDocument, db_url: str | None, etag: str | None = None,
                   last_modified: str | None = None, reextract: bool = False) -> StoreResult:
    """One transaction for the document, rerun whole on a dropped connection, deadlock or serialization failure."""
    return in_transaction_retried(
        get_engine(db_url),
        lambda session: save_document_once(session, doc, etag=etag, last_modified=last_modified,
                                           reextract=reextract),
        label=doc.source)


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
    """The three steps of one source: configured Prefect tasks in a run, their ``.fn`` outside."""

    fetch: Callable[..., Fetched]
    extract: Callable[..., ExtractedDocument]
    store: Callable[..., StoreResult]


LOCAL_STEPS = Steps(fetch_source.fn, extract_source.fn, store_document.fn)


@lru_cache(maxsize=16)
def _prefect_steps(settings: FetchSettings) -> Steps:
    return Steps(with_fetch_options(fetch_source, settings), extract_source, store_document)


def current_steps(settings: FetchSettings) -> Steps:
    """Tasks (fetch retried per ``settings``) inside a Prefect run, plain functions outside."""
    return _prefect_steps(settings) if in_prefect_run() else LOCAL_STEPS


def process_source(source: str, db_url: str | None, ner: str,
                   validators: tuple[str | None, str | None] | None = None,
                   steps: Steps | None = None, force: bool = False,
                   settings: FetchSettings = FetchSettings()) -> SourceOutcome:
    """One source end to end; every failure becomes a ``failed`` outcome with its reason.

    ``validators`` are the stored ETag/Last-Modified (looked up when None);
    ``force`` re-extracts and replaces documents whose bytes are stored already.
    """
    steps = steps or current_steps(settings)
    try:
        if validators is None:
            validators = _validators(db_url, source)
        fetched = steps.fetch(source, *(validators if not force else (None, None)), settings)
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
    except (FetchError, ExtractionError, DatabaseError) as exc:
        return SourceOutcome(source, "failed", reason=_reason(exc))
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run
        return SourceOutcome(source, "failed", reason=f"unexpected {exc.__class__.__name__}: {exc}")


def _reason(exc: Exception) -> str:
    return str(exc) or exc.__class__.__doc__ or exc.__class__.__name__


def notify(outcome: SourceOutcome) -> SourceOutcome:
    """Pass ``outcome`` to the progress hooks of this process."""
    with _hooks_lock:
        hooks = list(_hooks)
    for hook in hooks:
        hook(outcome)
    return outcome


@task(name="ingest_one", cache_policy=NO_CACHE)
def ingest_one(source: str, db_url: str | None, ner: str, force: bool = False,
               settings: FetchSettings = FetchSettings()) -> SourceOutcome:
    """One source; raises :class:`DocumentFailed` (after notifying the hooks) when it failed."""
    outcome = notify(process_source(source, db_url, ner, force=force, settings=settings))
    log = run_logger()
    if outcome.status == "failed":
        log.warning("%s failed: %s", outcome.source, outcome.reason)
        raise DocumentFailed(outcome)
    log.info("%s %s (document %s: %d claims, %d numbers, %d footnotes)", outcome.source, outcome.status,
             outcome.document_id, outcome.claims, outcome.numbers, outcome.footnotes)
    return outcome


def _as_outcome(source: str, result: object) -> SourceOutcome:
    """What ``ingest_one`` gave back, or the failure it raised, as an outcome."""
    if isinstance(result, SourceOutcome):
        return result
    if isinstance(result, DocumentFailed):
        return result.outcome
    exc = result if isinstance(result, BaseException) else TypeError(repr(result))
    return notify(SourceOutcome(source, "failed", reason=f"unexpected {exc.__class__.__name__}: {exc}"))


def _ingest_all(sources: Sequence[str], db_url: str | None, ner: str, force: bool,
                settings: FetchSettings, workers: int) -> list[SourceOutcome]:
    """``ingest_one`` per source: submitted to the task runner in a run, in threads outside."""
    if in_prefect_run():
        futures = [ingest_one.submit(s, db_url, ner, force, settings) for s in sources]
        return [_as_outcome(s, f.result(raise_on_failure=False)) for s, f in zip(sources, futures)]

    def one(source: str) -> SourceOutcome:
        try:
            return ingest_one.fn(source, db_url, ner, force, settings)
        except Exception as exc:  # noqa: BLE001 - becomes a failed outcome, as in a run
            return _as_outcome(source, exc)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, sources))


def ingest_body(sources: Sequence[str], db_url: str | None, ner: str, trigger: str, force: bool,
                settings: FetchSettings, workers: int = 2, references: Sequence[str] = ()) -> IngestSummary:
    """The flow body: open an ``ingest_runs`` row, ingest every source, record failures.

    Sources listed in ``references`` (``--reference``, ``reference = true``)
    are marked as reference documents once they have landed.
    """
    threadsafe_ast.install()  # the tasks below run on threads (CPython < 3.13: one ast.parse at a time)
    engine = get_engine(db_url)
    upgrade(engine)  # the writer's explicit, locked migration step, before any read or write
    with session_scope(engine) as session:
        run_id = start_run(session, trigger)
    summary = IngestSummary(run_id, _ingest_all(sources, db_url, ner, force, settings, workers))
    marked = set(references)
    with session_scope(engine) as session:
        for outcome in summary.failed:
            record_failure(session, run_id, outcome.source, outcome.reason or "failed")
        mark_reference(session, [o.document_id for s, o in zip(sources, summary.outcomes)
                                 if s in marked and o.document_id is not None])
        finish_run(session, run_id, summary.outcomes)
    run_logger().info("run %s: %d source(s), %d failed", run_id, len(summary.outcomes), len(summary.failed))
    return summary


def failed_if(all_failed: bool, value: T, message: str) -> T | State:
    """The flow's return: ``value``, or a Failed state carrying it when nothing landed.

    Prefect takes a returned state as the run's final state, so the UI and
    automations see the failure while callers still get ``value`` from
    ``state.result(raise_on_failure=False)``.
    """
    return Failed(message=message, data=value) if all_failed else value


def state_value(state: State) -> Any:
    """The value of a finished flow run, Failed or not; an exception it crashed with is raised."""
    value = state.result(raise_on_failure=False)
    if isinstance(value, BaseException):
        raise value
    return value


@flow(name="ingest_sources", task_runner=ThreadPoolTaskRunner(max_workers=2), log_prints=False)
def ingest_sources(sources: Sequence[str], db_url: str | None = None, ner: str = "rules",
                   trigger: str = "cli", force: bool = False,
                   fetch: FetchSettings = FetchSettings(), references: Sequence[str] = ()) -> IngestSummary:
    """Ingest every source; the run ends Failed (still carrying the summary) when all failed."""
    summary = ingest_body(sources, db_url, ner, trigger, force, fetch, references=references)
    return failed_if(summary.all_failed, summary,  # type: ignore[return-value]
                     f"all {len(summary.outcomes)} source(s) failed")


def ingest_sources_local(sources: Sequence[str], db_url: str | None = None, ner: str = "rules",
                         trigger: str = "cli", workers: int = 2, force: bool = False,
                         fetch: FetchSettings = FetchSettings(), references: Sequence[str] = ()) -> IngestSummary:
    """The flow body without Prefect (``--prefect off``): no run record, no retries, no cache."""
    return ingest_body(sources, db_url, ner, trigger, force, fetch, workers, references)


def run_ingest(sources: Sequence[str], db_url: str | None = None, ner: str = "rules", *,
               trigger: str = "cli", force: bool = False, fetch: FetchSettings = FetchSettings(),
               use_prefect: bool = True, references: Sequence[str] = ()) -> IngestSummary:
    """The summary of one ingest, as a recorded Prefect flow run or (``use_prefect=False``) without."""
    if not use_prefect:
        return ingest_sources_local(sources, db_url, ner, trigger, force=force, fetch=fetch, references=references)
    state = ingest_sources(sources, db_url, ner, trigger, force, fetch, references, return_state=True)
    return state_value(state)
