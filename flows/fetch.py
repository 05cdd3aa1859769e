"""Reading sources: local files, folders and http(s) URLs, with limits.

This is the I/O edge of the pipeline, so it is the only place with retries
(Prefect's, on the ``fetch_source`` / ``read_feed`` tasks that wrap
:func:`fetch_url`; :class:`PermanentFetchError` tells them not to retry).
Limits are arguments, taken from ``[fetch]`` in ``claimledger.toml`` or the
command line; the defaults here are those of :class:`flows.config.FetchSettings`.
Everything after this module works on bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from flows.config import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_S

SUFFIXES = {".pdf", ".md", ".markdown", ".txt", ".text", ".html", ".htm", ".xhtml"}
USER_AGENT = "claimledger/0.1 (+https://example.invalid/claimledger)"


class FetchError(Exception):
    """A source could not be read; the message names the reason."""


class PermanentFetchError(FetchError):
    """Retrying will not help (4xx, bad scheme, too large)."""


@dataclass(frozen=True, slots=True)
class Fetched:
    source: str
    data: bytes
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def is_url(source: str) -> bool:
    return "://" in source or source.startswith(("http:", "https:"))


def expand_sources(items: Iterable[str]) -> Iterator[str]:
    """Folders are walked recursively (documents by suffix, hidden files skipped)."""
    for item in items:
        if is_url(item):
            yield item
            continue
        path = Path(item).expanduser()
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if child.is_file() and child.suffix.lower() in SUFFIXES \
                        and not any(part.startswith(".") for part in rel.parts):
                    yield str(child.resolve())
        else:
            yield str(path.resolve()) if path.exists() else str(path)


def read_path(source: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Fetched:
    path = Path(source)
    if not path.exists():
        raise PermanentFetchError("no such file")
    if not path.is_file():
        raise PermanentFetchError("not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise PermanentFetchError(f"file is {size} bytes, over the {max_bytes}-byte limit")
    try:
        return Fetched(str(path.resolve()), path.read_bytes())
    except OSError as exc:
        raise PermanentFetchError(f"cannot read file: {exc.strerror or exc}") from exc


def check_url(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise PermanentFetchError(f"only http and https URLs are fetched, not {scheme or 'this'!r}")


def fetch_url(url: str, *, etag: str | None = None, last_modified: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = DEFAULT_TIMEOUT_S,
              client: httpx.Client | None = None) -> Fetched:
    """GET with a size cap, a time limit, conditional headers and http(s)-only redirects."""
    check_url(url)
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    own = client is None
    client = client or httpx.Client(follow_redirects=False, timeout=timeout)
    try:
        return _get(client, url, headers, max_bytes, redirects_left=5)
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out after {timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"cannot fetch: {exc.__class__.__name__}: {exc}") from exc
    finally:
        if own:
            client.close()


def _get(client: httpx.Client, url: str, headers: dict[str, str], max_bytes: int,
         redirects_left: int) -> Fetched:
    with client.stream("GET", url, headers=headers) as response:
        if response.has_redirect_location:  # not is_redirect: that is true for a 304 too
            location = response.headers.get("location", "")
            target = str(response.url.join(location))
            check_url(target)
            if redirects_left <= 0:
                raise PermanentFetchError("too many redirects")
            return _get(client, target, headers, max_bytes, redirects_left - 1)
        if response.status_code == 304:
            return Fetched(url, b"", headers.get("If-None-Match"), headers.get("If-Modified-Since"), True)
        if 400 <= response.status_code < 500:
            raise PermanentFetchError(f"HTTP {response.status_code}")
        if response.status_code >= 500:
            raise FetchError(f"HTTP {response.status_code}")
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise PermanentFetchError(f"response is {declared} bytes, over the {max_bytes}-byte limit")
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > max_bytes:
                raise PermanentFetchError(f"response exceeds the {max_bytes}-byte limit")
            chunks.append(chunk)
        return Fetched(url, b"".join(chunks), response.headers.get("etag"),
                       response.headers.get("last-modified"))
