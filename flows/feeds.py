"""Fetching for scheduled runs: retries with backoff, and RSS/Atom feeds as item links.

Prefect retries the ``fetch_source`` task inside a flow run; a scheduled
cycle run without Prefect (``--prefect off``, tests, cron users) gets the
same policy here: transient errors (timeouts, 5xx, dropped connections) are
retried after each delay of ``retry_delays``, permanent ones (4xx, a
redirect to ``file:``/``ftp:``, a body over the size limit) fail at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from extractors.load.feeds import FeedItem, parse_feed
from flows.config import FetchSettings
from flows.fetch import Fetched, FetchError, PermanentFetchError, fetch_url, is_url, read_path

logger = logging.getLogger(__name__)

Sleep = Callable[[float], None]


def fetch_with_backoff(url: str, *, etag: str | None = None, last_modified: str | None = None,
                       settings: FetchSettings = FetchSettings(), sleep: Sleep = time.sleep) -> Fetched:
    """``fetch_url`` under ``settings``; the last transient error is raised with the attempt count."""
    delays = (*settings.retry_delays, None)
    for attempt, delay in enumerate(delays, start=1):
        try:
            return fetch_url(url, etag=etag, last_modified=last_modified,
                             max_bytes=settings.max_bytes, timeout=settings.timeout)
        except PermanentFetchError:
            raise
        except FetchError as exc:
            if delay is None:
                raise FetchError(f"{exc} (gave up after {attempt} attempts)") from exc
            logger.warning("fetch %s failed (%s); retry %d in %g s", url, exc, attempt, delay)
            sleep(delay)
    raise AssertionError("unreachable: the last delay is None")


def source_fetcher(settings: FetchSettings, sleep: Sleep = time.sleep) -> Callable[..., Fetched]:
    """A ``Steps.fetch`` for plain runs: URLs with backoff, files with the same size limit."""

    def fetch(source: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        if is_url(source):
            return fetch_with_backoff(source, etag=etag, last_modified=last_modified,
                                      settings=settings, sleep=sleep)
        return read_path(source, max_bytes=settings.max_bytes)

    return fetch


@dataclass(frozen=True, slots=True)
class _FeedState:
    etag: str | None
    last_modified: str | None
    items: tuple[FeedItem, ...]


class FeedCache:
    """Validators and items of each feed, kept for the life of a serving process.

    A feed answering 304 to the conditional GET still yields its last items,
    whose own conditional GETs then decide what is new.
    """

    def __init__(self) -> None:
        self._states: dict[str, _FeedState] = {}
        self._lock = threading.Lock()

    def get(self, url: str) -> _FeedState | None:
        with self._lock:
            return self._states.get(url)

    def put(self, url: str, state: _FeedState) -> None:
        with self._lock:
            self._states[url] = state


def read_feed(url: str, *, settings: FetchSettings = FetchSettings(), cache: FeedCache | None = None,
              sleep: Sleep = time.sleep) -> list[FeedItem]:
    """The items of one feed; raises ``FetchError`` or ``FeedError`` when it cannot be read."""
    known = cache.get(url) if cache else None
    fetched = fetch_with_backoff(url, etag=known.etag if known else None,
                                 last_modified=known.last_modified if known else None,
                                 settings=settings, sleep=sleep)
    if fetched.not_modified and known is not None:
        logger.info("feed %s not modified; %d known items", url, len(known.items))
        return list(known.items)
    items = parse_feed(fetched.data, base_url=fetched.source)
    if cache is not None:
        cache.put(url, _FeedState(fetched.etag, fetched.last_modified, tuple(items)))
    return items
