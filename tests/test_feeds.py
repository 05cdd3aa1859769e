"""Feeds and fetching for scheduled runs, against a real HTTP server in this process.

``LocalSite`` (also used by test_serve.py) serves an RSS feed and pages on
127.0.0.1 with a random port: normal pages with ETags (304 on a matching
If-None-Match), a slow page, a 500, a page over the size limit and
redirects to ``file:`` and ``ftp:`` URLs.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from extractors.load.feeds import FeedError, FeedItem, parse_feed
from flows.config import FetchSettings
from flows.feeds import FeedCache, fetch_with_backoff, read_feed, source_fetcher
from flows.fetch import FetchError, PermanentFetchError

# Generous enough for a loaded CI machine serving the local pages; the slow page
# sleeps far longer than this, so "timed out" stays certain.
FAST = FetchSettings(timeout=2.0, max_bytes=20_000, retry_delays=(0.01, 0.02))
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


def test_feeds_read_feed_over_http_drops_file_links(site: LocalSite) -> None:
    items = read_feed(f"{site.base}/feed.xml", settings=FAST)
    links = [i.link for i in items]
    assert links == [site.base + p for p in site.feed_items]
    assert not any(link.startswith("file:") for link in links)


def test_feeds_server_error_is_retried_then_fails(site: LocalSite) -> None:
    slept: list[float] = []
    with pytest.raises(FetchError, match="HTTP 500.*after 3 attempts") as info:
        fetch_with_backoff(f"{site.base}/error500.html", settings=FAST, sleep=slept.append)
    assert not isinstance(info.value, PermanentFetchError)
    assert site.hits["/error500.html"] == 3
    assert slept == [0.01, 0.02]


def test_feeds_slow_page_times_out(site: LocalSite) -> None:
    settings = FetchSettings(timeout=0.3, max_bytes=FAST.max_bytes, retry_delays=())
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 0.3 s"):
        fetch_with_backoff(f"{site.base}/slow.html", settings=settings)
    assert time.monotonic() - started < SLOW_PAGE_SECONDS / 2


@pytest.mark.parametrize(("path", "message"), [
    ("/huge.html", "over the 20000-byte limit"),
    ("/redirect-file", "only http and https URLs are fetched, not 'file'"),
    ("/redirect-ftp", "only http and https URLs are fetched, not 'ftp'"),
    ("/missing.html", "HTTP 404"),
])
def test_feeds_permanent_failures_are_not_retried(site: LocalSite, path: str, message: str) -> None:
    with pytest.raises(PermanentFetchError, match=message):
        fetch_with_backoff(f"{site.base}{path}", settings=FAST, sleep=lambda s: None)
    assert site.hits[path] == 1


def test_feeds_conditional_get_sends_stored_validators(site: LocalSite) -> None:
    url = f"{site.base}/page/a.html"
    first = fetch_with_backoff(url, settings=FAST)
    assert first.etag == site.etag("/page/a.html") and b"Storage grants" in first.data
    fetch_with_backoff(url, etag=first.etag, settings=FAST)
    assert site.conditional_hits["/page/a.html"] >= 1


def test_feeds_conditional_get_returns_not_modified(site: LocalSite) -> None:
    url = f"{site.base}/page/a.html"
    first = fetch_with_backoff(url, settings=FAST)
    again = fetch_with_backoff(url, etag=first.etag, settings=FAST)
    assert again.not_modified and again.data == b""
    assert site.conditional_hits["/page/a.html"] == 1


def test_feeds_source_fetcher_reads_files_with_the_size_limit(tmp_path) -> None:
    small = tmp_path / "a.md"
    small.write_text("# T\n\nText 12%.\n", encoding="utf-8")
    big = tmp_path / "b.md"
    big.write_bytes(b"x" * (FAST.max_bytes + 1))
    fetch = source_fetcher(FAST)
    assert fetch(str(small)).data.startswith(b"# T")
    with pytest.raises(PermanentFetchError, match="over the 20000-byte limit"):
        fetch(str(big))


def test_feeds_cache_keeps_items_when_feed_is_unchanged(site: LocalSite, monkeypatch) -> None:
    """A 304 on the feed itself still yields the items seen last time."""
    import flows.feeds as feeds_mod

    cache = FeedCache()
    url = f"{site.base}/feed.xml"
    first = read_feed(url, settings=FAST, cache=cache)
    calls: list[dict] = []
    real = feeds_mod.fetch_with_backoff

    def spy(u, **kw):  # type: ignore[no-untyped-def]
        calls.append(kw)
        fetched = real(u, **kw)
        return type(fetched)(fetched.source, b"", kw.get("etag"), None, True)

    monkeypatch.setattr(feeds_mod, "fetch_with_backoff", spy)
    cache.put(url, type(cache.get(url))('"v1"', None, tuple(first)))
    assert read_feed(url, settings=FAST, cache=cache) == first
    assert calls[0]["etag"] == '"v1"'
