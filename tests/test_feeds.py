"""Feeds and fetching, against a real HTTP server in this process.

``LocalSite`` (also used by test_serve.py and test_flow.py) serves an RSS
feed and pages on 127.0.0.1 with a random port: normal pages with ETags (304
on a matching If-None-Match), a slow page, a 500, a page over the size limit
and redirects to ``file:`` and ``ftp:`` URLs.  Limits and parsing are tested
through the tasks' plain functions (``.fn``); retries need a Prefect run
(the ``prefect_api`` fixture).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from prefect import flow

from extractors.load.feeds import FeedError, FeedItem, parse_feed
from flows.config import FetchSettings
from flows.feeds import FeedCache, feed_links, read_feed
from flows.fetch import FetchError, PermanentFetchError
from flows.ingest import fetch_source, with_fetch_options

# Generous enough for a loaded CI machine serving the local pages; the slow page
# sleeps far longer than this, so "timed out" stays certain.  The local feed's item
# links are discovered addresses on loopback: allow-listed, as an intranet source would be
# (tests/faults/test_hostile_feeds.py covers them refused).
FAST = FetchSettings(timeout=2.0, max_bytes=20_000, retry_delays=(0.01, 0.02), allow_private=("127.0.0.1/32",))
SLOW_PAGE_SECONDS = 8.0


def page_html(title: str, body: str) -> bytes:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1><p>{body}</p></article></body></html>").encode()


class LocalSite:
    """Routes and counters of the test server; tests change ``pages`` between cycles."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {
            "/page/a.html": page_html("Storage grants", "The agency said grants rose 43% to $2.5 million in 2024."),
            "/page/b.html": page_html("Grid report", "Officials reported that 1,200 projects applied in 2023."),
        }
        self.hits: Counter[str] = Counter()
        self.conditional_hits: Counter[str] = Counter()
        self.feed_items = ["/page/a.html", "/page/b.html", "/slow.html", "/error500.html",
                           "/huge.html", "/redirect-file", "/redirect-ftp"]
        self.base = ""

    def etag(self, path: str) -> str:
        return f'"{abs(hash(self.pages[path])) % 10**12}"'

    def rss(self) -> bytes:
        items = "".join(f"<item><title>{p}</title><link>{self.base}{p}</link></item>"
                        for p in self.feed_items)
        items += "<item><title>local</title><link>file:///etc/passwd</link></item>"
        return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
                f"{items}</channel></rss>").encode()


def _handler(site: LocalSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep pytest output clean
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server API
            path = self.path
            site.hits[path] += 1
            if path == "/feed.xml":
                return self._send(200, site.rss(), "application/rss+xml")
            if path in site.pages:
                etag = site.etag(path)
                if self.headers.get("If-None-Match") == etag:
                    site.conditional_hits[path] += 1
                    return self._send(304, b"", "text/html", etag)
                return self._send(200, site.pages[path], "text/html; charset=utf-8", etag)
            if path == "/slow.html":
                time.sleep(SLOW_PAGE_SECONDS)
                return self._send(200, page_html("Slow", "Too late."), "text/html")
            if path == "/error500.html":
                return self._send(500, b"boom", "text/plain")
            if path == "/huge.html":
                return self._send(200, page_html("Huge", "x " * 60_000), "text/html")
            if path == "/redirect-file":
                return self._redirect("file:///etc/passwd")
            if path == "/redirect-ftp":
                return self._redirect("ftp://example.invalid/secret.txt")
            return self._send(404, b"not found", "text/plain")

        def _redirect(self, location: str) -> None:
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _send(self, status: int, body: bytes, ctype: str, etag: str | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            if etag:
                self.send_header("ETag", etag)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

    return Handler


@pytest.fixture()
def site() -> Iterator[LocalSite]:
    state = LocalSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


# --------------------------------------------------------------------------- parse_feed (pure)

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Blog</title>
<item><title>First</title><link>https://example.org/a</link><pubDate>Mon, 01 Sep 2025 08:00:00 GMT</pubDate></item>
<item><title>Guid only</title><guid>https://example.org/b</guid></item>
<item><title>Not a permalink</title><guid isPermaLink="false">tag:1</guid></item>
<item><title>Again</title><link>https://example.org/a</link></item>
<item><title>Local</title><link>file:///etc/passwd</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>政策</title>
<entry><title>算力</title><link rel="alternate" href="/posts/1.html"/><updated>2025-09-01T00:00:00Z</updated></entry>
<entry><title>Two links</title><link rel="enclosure" href="/x.mp3"/><link href="https://other.example/p"/></entry>
<entry><title>FTP</title><link href="ftp://example.org/f"/></entry>
</feed>""".encode()

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel><title>c</title></channel>
<item><title>r</title><link>http://example.org/rdf-item</link></item>
</rdf:RDF>"""


@pytest.mark.parametrize(("data", "base", "expected"), [
    (RSS, "", ["https://example.org/a", "https://example.org/b"]),
    (ATOM, "https://blog.example/feed.atom", ["https://blog.example/posts/1.html", "https://other.example/p"]),
    (RDF, "", ["http://example.org/rdf-item"]),
])
def test_feeds_parse_feed_links(data: bytes, base: str, expected: list[str]) -> None:
    assert [item.link for item in parse_feed(data, base_url=base)] == expected


def test_feeds_parse_feed_keeps_titles_and_dates() -> None:
    first = parse_feed(RSS)[0]
    assert first == FeedItem("https://example.org/a", "First", "Mon, 01 Sep 2025 08:00:00 GMT")
    assert parse_feed(ATOM, base_url="https://blog.example/")[0].title == "算力"


@pytest.mark.parametrize("data", [
    b"<html><body>not a feed</body></html>",
    b"<rss><channel><item>",
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>',
])
def test_feeds_parse_feed_rejects_non_feeds(data: bytes) -> None:
    with pytest.raises(FeedError, match=r"^\[F001\]"):
        parse_feed(data)


# --------------------------------------------------------------------------- fetching


def fetch_in_a_run(url: str, settings: FetchSettings = FAST, **kwargs: object) -> object:
    """``fetch_source`` with the configured retries, in a Prefect flow run: the result or the exception."""

    @flow(name="fetch_once")
    def run() -> object:
        return with_fetch_options(fetch_source, settings)(url, settings=settings, **kwargs)

    return run(return_state=True).result(raise_on_failure=False)


def test_feeds_read_feed_over_http_drops_file_links(site: LocalSite) -> None:
    items = read_feed.fn(f"{site.base}/feed.xml", FAST)
    links = [i.link for i in items]
    assert links == [site.base + p for p in site.feed_items]
    assert not any(link.startswith("file:") for link in links)


def test_feeds_server_error_is_retried_then_fails(prefect_api: None, site: LocalSite) -> None:
    error = fetch_in_a_run(f"{site.base}/error500.html")
    assert isinstance(error, FetchError) and not isinstance(error, PermanentFetchError)
    assert "HTTP 500" in str(error) and "gave up after 3 attempts" in str(error)
    assert site.hits["/error500.html"] == 3  # FAST has two retry delays


def test_feeds_retries_follow_the_configured_delays(prefect_api: None, site: LocalSite) -> None:
    error = fetch_in_a_run(f"{site.base}/error500.html", FetchSettings(timeout=2.0, retry_delays=()))
    assert isinstance(error, FetchError) and "gave up" not in str(error)
    assert site.hits["/error500.html"] == 1


def test_feeds_slow_page_times_out(site: LocalSite) -> None:
    settings = FetchSettings(timeout=0.3, max_bytes=FAST.max_bytes, retry_delays=())
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 0.3 s"):
        fetch_source.fn(f"{site.base}/slow.html", settings=settings)
    assert time.monotonic() - started < SLOW_PAGE_SECONDS / 2


@pytest.mark.parametrize(("path", "message"), [
    ("/huge.html", "over the 20000-byte limit"),
    ("/redirect-file", "only http and https URLs are fetched, not 'file'"),
    ("/redirect-ftp", "only http and https URLs are fetched, not 'ftp'"),
    ("/missing.html", "HTTP 404"),
])
def test_feeds_permanent_failures_are_not_retried(prefect_api: None, site: LocalSite, path: str,
                                                  message: str) -> None:
    error = fetch_in_a_run(f"{site.base}{path}")
    assert isinstance(error, PermanentFetchError) and message in str(error)
    assert site.hits[path] == 1


def test_feeds_conditional_get_sends_stored_validators(site: LocalSite) -> None:
    url = f"{site.base}/page/a.html"
    first = fetch_source.fn(url, settings=FAST)
    assert first.etag == site.etag("/page/a.html") and b"Storage grants" in first.data
    fetch_source.fn(url, first.etag, settings=FAST)
    assert site.conditional_hits["/page/a.html"] >= 1


def test_feeds_conditional_get_returns_not_modified(site: LocalSite) -> None:
    url = f"{site.base}/page/a.html"
    first = fetch_source.fn(url, settings=FAST)
    again = fetch_source.fn(url, first.etag, settings=FAST)
    assert again.not_modified and again.data == b""
    assert site.conditional_hits["/page/a.html"] == 1


def test_feeds_fetch_source_reads_files_with_the_size_limit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    small = tmp_path / "a.md"
    small.write_text("# T\n\nText 12%.\n", encoding="utf-8")
    big = tmp_path / "b.md"
    big.write_bytes(b"x" * (FAST.max_bytes + 1))
    assert fetch_source.fn(str(small), settings=FAST).data.startswith(b"# T")
    with pytest.raises(PermanentFetchError, match="over the 20000-byte limit"):
        fetch_source.fn(str(big), settings=FAST)


def test_feeds_cache_keeps_items_when_feed_is_unchanged(site: LocalSite, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A 304 on the feed itself still yields the items seen last time."""
    import flows.feeds as feeds_mod

    cache = FeedCache()
    url = f"{site.base}/feed.xml"
    first = read_feed.fn(url, FAST, cache)
    calls: list[tuple] = []
    real = feeds_mod.fetch_with_settings

    def spy(u, settings, etag=None, last_modified=None):  # type: ignore[no-untyped-def]
        calls.append((etag, last_modified))
        fetched = real(u, settings, etag, last_modified)
        return type(fetched)(fetched.source, b"", etag, None, True)

    monkeypatch.setattr(feeds_mod, "fetch_with_settings", spy)
    cache.put(url, type(cache.get(url))('"v1"', None, tuple(first)))
    assert read_feed.fn(url, FAST, cache) == first
    assert calls[0][0] == '"v1"'


def test_feeds_are_read_by_the_retried_task_in_a_run(prefect_api: None, site: LocalSite) -> None:
    """In a flow run each feed is a ``read_feed`` task run with the fetch retries; a failed feed is listed."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    @flow(name="feeds_once")
    def run() -> tuple[list[str], list[tuple[str, str]]]:
        return feed_links([f"{site.base}/feed.xml", f"{site.base}/error500.html"], FAST)

    state = run(return_state=True)
    links, failures = state.result()
    assert links == [site.base + p for p in site.feed_items]
    assert failures == [(f"{site.base}/error500.html",
                         "feed: HTTP 500 (gave up after 3 attempts)")]
    with get_client(sync_client=True) as client:
        task_runs = client.read_task_runs(flow_run_filter=FlowRunFilter(
            id=FlowRunFilterId(any_=[state.state_details.flow_run_id])))
    feed_runs = sorted((r.run_count, r.state_type.value) for r in task_runs if r.name.startswith("read_feed"))
    assert feed_runs == [(1, "COMPLETED"), (3, "FAILED")]
