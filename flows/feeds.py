"""RSS/Atom feeds for scheduled runs: the ``read_feed`` task and the feed cache.

A feed is fetched by a Prefect task with the same retry options as
``fetch_source`` (``[fetch]`` in ``claimledger.toml``, applied with
:func:`flows.ingest.with_fetch_options`): transient errors (timeouts, 5xx,
dropped connections) are retried, permanent ones (4xx, a redirect to
``file:``/``ftp:``, a body over the size limit) fail at once.

A feed named in the configuration is fetched as given; its item links are
addresses nobody named, so :func:`flows.serve.collect_sources` passes them on
as ``FetchSettings.discovered`` and their fetches are guarded (refused when
they resolve to loopback, private, link-local or metadata addresses, unless
``[fetch] allow_private`` lists them; see :mod:`flows.fetch`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from prefect import task
from prefect.cache_policies import NO_CACHE

from extractors.errors import ExtractionError
from extractors.load.feeds import FeedItem, parse_feed
from flows.config import FetchSettings
from flows.fetch import FetchError
from flows.ingest import fetch_with_settings, retry_transient, run_logger, run_step, with_fetch_options


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


@task(name="read_feed", cache_policy=NO_CACHE, retry_condition_fn=retry_transient)
def read_feed(url: str, settings: FetchSettings = FetchSettings(),
              cache: FeedCache | None = None) -> list[FeedItem]:
    """The items of one feed; raises ``FetchError`` or ``FeedError`` when it cannot be read."""
    known = cache.get(url) if cache else None
    fetched = fetch_with_settings(url, settings, known.etag if known else None,
                                  known.last_modified if known else None)
    if fetched.not_modified and known is not None:
        run_logger().info("feed %s not modified; %d known items", url, len(known.items))
        return list(known.items)
    items = parse_feed(fetched.data, base_url=fetched.source)
    if cache is not None:
        cache.put(url, _FeedState(fetched.etag, fetched.last_modified, tuple(items)))
    return items


def feed_links(feeds: Sequence[str], settings: FetchSettings,
               cache: FeedCache | None = None) -> tuple[list[str], list[tuple[str, str]]]:
    """Item links of every feed, each read by the ``read_feed`` task; a failed feed is listed, never fatal."""
    step = with_fetch_options(read_feed, settings)
    links: list[str] = []
    failures: list[tuple[str, str]] = []
    for url in feeds:
        try:
            links.extend(item.link for item in run_step(step, url, settings, cache))
        except (FetchError, ExtractionError) as exc:
            run_logger().warning("feed %s failed: %s", url, exc)
            failures.append((url, f"feed: {exc}"))
    return links, failures
