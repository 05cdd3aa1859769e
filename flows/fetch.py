"""Reading sources: local files, folders and http(s) URLs, with limits.

This is the I/O edge of the pipeline, so it is the only place with retries
(Prefect's, on the ``fetch_source`` / ``read_feed`` tasks that wrap
:func:`fetch_url`; :class:`PermanentFetchError` tells them not to retry).
Limits are arguments, taken from ``[fetch]`` in ``claimledger.toml`` or the
command line; the defaults here are those of :class:`flows.config.FetchSettings`.
Everything after this module works on bytes.

Addresses a person named (a command-line argument, ``urls`` or ``feeds`` in
the configuration) are fetched as given, local ones included.  Addresses
found in content -- a feed item's link, and every redirect target whatever
the start -- are *guarded*: the host is resolved (``getaddrinfo``) and the
fetch is refused when any of its addresses is loopback, private (RFC 1918,
``fc00::/7``), link-local, CGNAT (``100.64.0.0/10``), unspecified,
multicast, reserved, otherwise not global, or a cloud metadata address
(``169.254.169.254``, ``fd00:ec2::254``), unless ``[fetch] allow_private``
lists its network or host name (metadata addresses only by their exact
address).  The request then goes to the address that was checked (the URL's
host is replaced by it; ``Host`` and the TLS server name stay the original
host), so a DNS answer that changes between check and connect (DNS
rebinding) cannot move it.  Limit: with an HTTP proxy from the environment
(``HTTP(S)_PROXY``) the proxy makes the connection.  A refusal is a
:class:`PermanentFetchError` naming the address and the reason.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from flows.config import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_S

SUFFIXES = {".pdf", ".md", ".markdown", ".txt", ".text", ".html", ".htm", ".xhtml"}
USER_AGENT = "claimledger/0.1 (+https://example.invalid/claimledger)"
MAX_REDIRECTS = 5
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254"))
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # the well-known prefix: the last 32 bits are an IPv4 address
_ALLOW_HINT = "addresses found in feeds or redirects must be public unless [fetch] allow_private lists them"


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


# --------------------------------------------------------------------------- address policy


def blocked_reason(address: IPAddress) -> str | None:
    """Why a discovered address must not be fetched (``"a loopback address"``), or None if it is public.

    IPv4 addresses inside IPv6 (``::ffff:127.0.0.1``, 6to4, NAT64) are judged
    as the IPv4 address they carry.
    """
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None:
            return blocked_reason(inner)
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    for flag, reason in (("is_loopback", "a loopback address"), ("is_link_local", "a link-local address"),
                         ("is_unspecified", "the unspecified address"), ("is_multicast", "a multicast address"),
                         ("is_reserved", "a reserved address")):
        if getattr(address, flag):
            return reason
    if address in CGNAT:
        return "a shared (CGNAT 100.64.0.0/10) address"
    if address.is_private:
        return "a private address"
    return None if address.is_global else "not a public address"


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """``[fetch] allow_private`` parsed: networks whose addresses, and host names whose URLs, pass the guard."""

    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = frozenset()

    @classmethod
    def from_allow_list(cls, entries: Sequence[str]) -> AddressPolicy:
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.lower().rstrip("."))
        return cls(tuple(networks), frozenset(hosts))

    def allows(self, address: IPAddress) -> bool:
        """Metadata addresses pass only when listed exactly (not as part of a wider network)."""
        exact = address in METADATA_ADDRESSES
        return any(address in net and (not exact or net.num_addresses == 1)
                   for net in self.networks if net.version == address.version)

    def check(self, url: str) -> tuple[str, str] | None:
        """The address to connect to for ``url`` and its host, after the checks; None when the host is allow-listed.

        Raises :class:`PermanentFetchError` for a refused address and
        :class:`FetchError` (retried) when the name does not resolve.
        """
        parts = httpx.URL(url)
        host = parts.host
        if not host:
            raise PermanentFetchError(f"{url} names no host")
        if host in self.hosts:
            return None
        literal = _literal(host)
        addresses = [literal] if literal else _resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
        for address in addresses:
            reason = blocked_reason(address)
            if reason and not self.allows(address):
                shown = host if literal else f"{host} ({address})"
                raise PermanentFetchError(f"{shown} is {reason}; {_ALLOW_HINT}")
        return str(addresses[0]), host


def _literal(host: str) -> IPAddress | None:
    """``host`` as an address when it is an IP literal (``10.0.0.1``, ``::1``), else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the name ``host`` resolves to, in resolver order (the first is connected to)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {host}: {exc}") from exc
    # the scope of a link-local IPv6 answer (fe80::1%eth0) is dropped: the address decides
    found = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not found:
        raise FetchError(f"cannot resolve {host}: no addresses")
    return list(dict.fromkeys(found))


# --------------------------------------------------------------------------- GET


def fetch_url(url: str, *, etag: str | None = None, last_modified: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = DEFAULT_TIMEOUT_S,
              client: httpx.Client | None = None, discovered: bool = False,
              allow_private: Sequence[str] = ()) -> Fetched:
    """GET with a size cap, a time limit, conditional headers and checked http(s)-only redirects.

    ``discovered`` (a feed item link) guards the first request too; redirect
    targets are always guarded (see the module docstring).
    """
    check_url(url)
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    policy = AddressPolicy.from_allow_list(allow_private)
    own = client is None
    client = client or httpx.Client(follow_redirects=False, timeout=timeout)
    try:
        return _follow(client, url, headers, max_bytes, policy, guarded=discovered)
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out after {timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"cannot fetch: {exc.__class__.__name__}: {exc}") from exc
    finally:
        if own:
            client.close()


def _follow(client: httpx.Client, url: str, headers: dict[str, str], max_bytes: int,
            policy: AddressPolicy, guarded: bool) -> Fetched:
    """Redirects followed by hand, so that each target is checked before anything is sent to it."""
    for hop in range(MAX_REDIRECTS + 1):
        try:
            pinned = policy.check(url) if guarded else None
        except PermanentFetchError as exc:
            raise PermanentFetchError(f"refused redirect to {url}: {exc}" if hop else f"refused: {exc}") from None
        with _open(client, url, headers, pinned) as response:
            if not response.has_redirect_location:  # not is_redirect: that is true for a 304 too
                return _read(response, url, headers, max_bytes)
            target = urljoin(url, response.headers.get("location", ""))  # keeps file:///x as sent
        try:
            check_url(target)
        except PermanentFetchError as exc:
            raise PermanentFetchError(f"refused redirect to {target}: {exc}") from None
        url, guarded = target, True
    raise PermanentFetchError("too many redirects")


@contextmanager
def _open(client: httpx.Client, url: str, headers: dict[str, str],
          pinned: tuple[str, str] | None) -> Iterator[httpx.Response]:
    """A streamed GET of ``url``, or (``pinned``) of the same URL at the checked address."""
    if pinned is None:
        with client.stream("GET", url, headers=headers) as response:
            yield response
        return
    address, host = pinned
    original = httpx.URL(url)
    # The pool keys connections by address: "close" keeps a TLS session made for one name
    # from carrying a later request for another name at the same address.
    with client.stream("GET", original.copy_with(host=address),
                       headers={**headers, "Host": original.netloc.decode("ascii"), "Connection": "close"},
                       extensions={"sni_hostname": host}) as response:
        yield response


def _read(response: httpx.Response, url: str, headers: dict[str, str], max_bytes: int) -> Fetched:
    """The body of a final (non-redirect) response, under the size limit."""
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
