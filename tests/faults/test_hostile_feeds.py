"""Hostile feeds and redirects: discovered addresses that point inside the network are refused.

A local HTTP server on 127.0.0.1 serves a feed whose items point at the
server itself, at the cloud metadata address, at a private address and at
pages that redirect to ``file:///etc/passwd`` and to a loopback URL.  Each is
refused with its reason before anything is sent to it (the server's hit
counter and a spy on ``socket.create_connection`` show it), while the other
items of the cycle still land; person-named loopback URLs keep working and
``[fetch] allow_private`` lets an intranet item through.  Name resolution
needs no network: IP literals, ``localhost`` and a patched resolver.
Cycles run without Prefect (``run_cycle`` outside a run), so the tests take
seconds.
"""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from db.session import get_engine
from flows.config import ConfigError, FetchSettings, ServeConfig, load_config
from flows.fetch import AddressPolicy, FetchError, PermanentFetchError, blocked_reason, fetch_url
from flows.ingest import SourceOutcome, add_progress_hook, remove_progress_hook, run_ingest
from flows.serve import run_cycle

SETTINGS = FetchSettings(timeout=2.0, max_bytes=50_000, retry_delays=())
PAGE = (b"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Grants</title></head><body>"
        b"<article><h1>Grants</h1><p>The agency said grants rose 43% to $2.5 million in 2024.</p>"
        b"</article></body></html>")
SECRET = (b"<!DOCTYPE html><html lang='en'><head><title>Admin</title></head><body><article><h1>Admin</h1>"
          b"<p>The internal console reported that 1,200 keys were issued in 2023.</p></article></body></html>")
METADATA_URL = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
PRIVATE_URL = "http://10.23.0.7/internal/report.html"


@dataclass
class HostileSite:
    """The server's state: which paths were requested, with which Host header."""

    port: int = 0
    hits: Counter[str] = field(default_factory=Counter)
    hosts: list[str] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def feed(self) -> bytes:
        links = [self.url("/secret"), METADATA_URL, PRIVATE_URL, self.url("/redirect-file", "localhost"),
                 self.url("/redirect-loopback", "localhost"), self.url("/page.html", "localhost")]
        items = "".join(f"<item><title>{i}</title><link>{link}</link></item>" for i, link in enumerate(links))
        return f"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>{items}</channel></rss>".encode()


def _handler(site: HostileSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server API
            site.hits[self.path] += 1
            site.hosts.append(self.headers.get("Host", ""))
            routes = {"/feed.xml": (200, site.feed()), "/page.html": (200, PAGE), "/secret": (200, SECRET),
                      "/redirect-file": (302, "file:///etc/passwd"),
                      "/redirect-loopback": (302, site.url("/secret"))}
            status, body = routes.get(self.path, (404, b"not found"))
            self.send_response(status)
            if isinstance(body, str):
                self.send_header("Location", body)
                body = b""
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture()
def site() -> Iterator[HostileSite]:
    state = HostileSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture()
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every TCP connection httpx opens (httpcore's sync backend uses ``socket.create_connection``)."""
    opened: list[tuple[str, int]] = []
    real = socket.create_connection

    def spy(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        opened.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    return opened


def cycle(config: ServeConfig, every: bool = False) -> Any:
    """One cycle without Prefect: the outcomes by source as the progress hooks saw them (``every``: the list)."""
    seen: list[SourceOutcome] = []
    add_progress_hook(seen.append)
    try:
        run_cycle(config)
    finally:
        remove_progress_hook(seen.append)
    return seen if every else {o.source: o for o in seen}


def failures(db_url: str) -> dict[str, str]:
    with get_engine(db_url).connect() as conn:
        return dict(conn.execute(text("SELECT source, reason FROM ingest_failures")).all())


# --------------------------------------------------------------------------- a hostile feed in a cycle


def test_hostile_feed_items_are_refused_and_the_rest_lands(sqlite_url: str, site: HostileSite,
                                                           connections: list[tuple[str, int]]) -> None:
    # The feed is named by a person (on loopback: fetched as given); its host is allow-listed by
    # name, as an intranet feed host would be, so the redirecting pages are reached and their
    # targets judged.  127.0.0.1 itself is not allow-listed.
    config = ServeConfig(db=sqlite_url, feeds=(site.url("/feed.xml"),),
                         fetch=FetchSettings(timeout=2.0, max_bytes=50_000, retry_delays=(),
                                             allow_private=("localhost",)))
    outcomes = cycle(config)
    secret = site.url("/secret")
    expected = {
        secret: "refused: 127.0.0.1 is a loopback address",
        METADATA_URL: "refused: 169.254.169.254 is a cloud metadata address",
        PRIVATE_URL: "refused: 10.23.0.7 is a private address",
        site.url("/redirect-file", "localhost"):
            "refused redirect to file:///etc/passwd: only http and https URLs are fetched, not 'file'",
        site.url("/redirect-loopback", "localhost"): f"refused redirect to {secret}: 127.0.0.1 is a loopback address",
    }
    for source, reason in expected.items():
        assert outcomes[source].status == "failed", source
        assert outcomes[source].reason is not None and outcomes[source].reason.startswith(reason)
        assert "\n" not in outcomes[source].reason
    assert outcomes[site.url("/page.html", "localhost")].status == "added"
    assert site.hits["/secret"] == 0  # neither the item nor the redirect to it reached the server
    assert (site.hits["/redirect-file"], site.hits["/redirect-loopback"], site.hits["/page.html"]) == (1, 1, 1)
    assert not [a for a in connections if a[0] in ("169.254.169.254", "10.23.0.7")]
    recorded = failures(sqlite_url)
    assert {k: v.split(";")[0] for k, v in recorded.items()} == {k: v.split(";")[0] for k, v in expected.items()}
    assert all("allow_private" in reason for source, reason in recorded.items() if "redirect-file" not in source)


def test_allow_list_lets_a_loopback_item_through(sqlite_url: str, site: HostileSite) -> None:
    config = ServeConfig(db=sqlite_url, feeds=(site.url("/feed.xml"),),
                         fetch=FetchSettings(timeout=2.0, max_bytes=50_000, retry_delays=(),
                                             allow_private=("127.0.0.1/32", "localhost")))
    seen = cycle(config, every=True)
    outcomes = {o.source: o for o in seen}
    # the item and the redirect to it (whose outcome names where it landed) carry the same bytes
    assert sorted(o.status for o in seen if o.source == site.url("/secret")) == ["added", "unchanged"]
    assert outcomes[METADATA_URL].status == outcomes[PRIVATE_URL].status == "failed"  # not on the list
    assert site.hits["/secret"] == 2  # the item and the redirect's target


def test_person_named_loopback_urls_are_fetched_as_given(sqlite_url: str, site: HostileSite) -> None:
    """A URL on the command line or in ``urls`` may be local; a redirect from it is still judged."""
    summary = run_ingest([site.url("/page.html"), site.url("/redirect-loopback")], sqlite_url,
                         fetch=SETTINGS, use_prefect=False)
    status = {o.source: (o.status, o.reason) for o in summary.outcomes}
    assert status[site.url("/page.html")] == ("added", None)
    reason = status[site.url("/redirect-loopback")][1] or ""
    assert reason.startswith(f"refused redirect to {site.url('/secret')}: 127.0.0.1 is a loopback address")
    assert site.hits["/secret"] == 0
    outcomes = cycle(ServeConfig(db=sqlite_url, urls=(site.url("/page.html", "localhost"),), fetch=SETTINGS))
    assert outcomes[site.url("/page.html", "localhost")].status == "unchanged"  # same bytes: fetched, not stored


# --------------------------------------------------------------------------- fetch_url and the policy


@pytest.mark.parametrize(("url", "reason"), [
    ("http://[::1]:8/x", "::1 is a loopback address"),
    ("http://[::ffff:127.0.0.1]/x", "::ffff:127.0.0.1 is a loopback address"),
    ("http://0.0.0.0/", "0.0.0.0 is the unspecified address"),
    ("http://100.64.1.1/", "100.64.1.1 is a shared (CGNAT 100.64.0.0/10) address"),
    ("http://[fd00:ec2::254]/latest", "fd00:ec2::254 is a cloud metadata address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("https://192.168.1.1/admin", "192.168.1.1 is a private address"),
    ("http://172.16.0.1/", "172.16.0.1 is a private address"),
    ("http://127.1/", "127.1 (127.0.0.1) is a loopback address"),  # the resolver's shorthand, judged after it
])
def test_discovered_addresses_are_refused_before_connecting(url: str, reason: str,
                                                            connections: list[tuple[str, int]]) -> None:
    with pytest.raises(PermanentFetchError) as caught:  # permanent: Prefect does not retry it
        fetch_url(url, discovered=True, timeout=2.0)
    assert str(caught.value).startswith(f"refused: {reason};")
    assert connections == []


def test_host_names_are_judged_by_what_they_resolve_to(site: HostileSite) -> None:
    with pytest.raises(PermanentFetchError, match=r"^refused: localhost \((127\.0\.0\.1|::1)\) is a loopback"):
        fetch_url(site.url("/page.html", "localhost"), discovered=True, timeout=2.0)
    assert site.hits["/page.html"] == 0
    assert fetch_url(site.url("/page.html", "localhost"), timeout=2.0).data == PAGE  # named: as given


def test_connection_is_pinned_to_the_checked_address(site: HostileSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """The name is resolved once, by the check; a second answer (DNS rebinding) is never asked for."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def resolver(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "feeds.intranet.test":
            return real(host, *args, **kwargs)
        asked.append(host)
        if len(asked) > 1:
            raise socket.gaierror(socket.EAI_NONAME, "rebound")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", site.port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    fetched = fetch_url(site.url("/page.html", "feeds.intranet.test"), discovered=True, timeout=2.0,
                        allow_private=("127.0.0.1/32",))
    assert fetched.data == PAGE and fetched.source == site.url("/page.html", "feeds.intranet.test")
    assert asked == ["feeds.intranet.test"]
    assert site.hosts[-1] == f"feeds.intranet.test:{site.port}"  # the server saw the name, not the address


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "a loopback address"), ("127.8.9.10", "a loopback address"),
    ("10.1.2.3", "a private address"), ("fc00::5", "a private address"),
    ("169.254.169.254", "a cloud metadata address"), ("169.254.10.10", "a link-local address"),
    ("2002:7f00:1::", "a loopback address"),  # 6to4 carrying 127.0.0.1
    ("64:ff9b::a9fe:a9fe", "a cloud metadata address"),  # NAT64 carrying 169.254.169.254
    ("240.0.0.1", "a reserved address"), ("::", "the unspecified address"),
    ("192.0.2.1", "a private address"),  # TEST-NET-1: documentation only
    ("8.8.8.8", None), ("2606:4700:4700::1111", None), ("100.128.0.1", None),
])
def test_blocked_reason(address: str, reason: str | None) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) == reason


def test_allow_list_networks_names_and_metadata() -> None:
    policy = AddressPolicy.from_allow_list(["10.0.0.0/8", "169.254.0.0/16", "intranet.example"])
    assert policy.allows(ipaddress.ip_address("10.200.0.1"))
    assert not policy.allows(ipaddress.ip_address("192.168.0.1"))
    assert policy.allows(ipaddress.ip_address("169.254.3.4"))
    assert not policy.allows(ipaddress.ip_address("169.254.169.254"))  # metadata: only when listed exactly
    assert AddressPolicy.from_allow_list(["169.254.169.254/32"]).allows(ipaddress.ip_address("169.254.169.254"))
    assert policy.check("https://intranet.example/feed") is None  # allowed by name: fetched as given
    with pytest.raises(PermanentFetchError, match="10.0.0.1 is a private address"):
        AddressPolicy.from_allow_list(["intranet.example"]).check("http://10.0.0.1/")


def test_allow_private_in_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "claimledger.toml"
    path.write_text('[fetch]\nallow_private = ["10.0.0.0/8", "Intranet.Example.", "127.0.0.1", "fd00::/8"]\n',
                    encoding="utf-8")
    assert load_config(path).fetch.allow_private == ("10.0.0.0/8", "intranet.example", "127.0.0.1/32", "fd00::/8")
    path.write_text('[fetch]\nallow_private = ["intranet example"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^\[C008\] .*'intranet example' is neither a network"):
        load_config(path)
    path.write_text('[fetch]\nallow_private = "10.0.0.0/8"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^\[C008\] .*allow_private must be a list"):
        load_config(path)


def _tls_files(folder: Path, name: str) -> tuple[Path, Path, Path]:
    """A throwaway CA and a certificate for ``name`` signed by it: (ca.pem, cert.pem, key.pem)."""
    x509 = pytest.importorskip("cryptography.x509")  # a dependency of prefect and pdfminer.six
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)

    def signed(subject: str, key: Any, issuer: Any, issuer_key: Any, ca: bool) -> Any:
        builder = (x509.CertificateBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .issuer_name(issuer).public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=1)))
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True) if ca \
            else builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "claimledger test CA")])
    files = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    files[0].write_bytes(signed("claimledger test CA", ca_key, ca_name, ca_key, True)
                         .public_bytes(serialization.Encoding.PEM))
    files[1].write_bytes(signed(name, key, ca_name, ca_key, False).public_bytes(serialization.Encoding.PEM))
    files[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return files


def test_pinned_https_checks_the_certificate_of_the_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Connecting to the checked address keeps TLS honest: SNI and certificate check use the URL's name."""
    ca, cert, key = _tls_files(tmp_path, "feeds.intranet.test")
    state = HostileSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    server.socket = server_tls.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    real = socket.getaddrinfo

    def resolver(host: Any, *args: Any, **kwargs: Any) -> Any:
        if str(host).endswith(".intranet.test"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", state.port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    try:
        with httpx.Client(verify=ssl.create_default_context(cafile=str(ca)), timeout=2.0) as client:
            fetched = fetch_url(f"https://feeds.intranet.test:{state.port}/page.html", discovered=True,
                                allow_private=("127.0.0.1/32",), client=client)
            assert fetched.data == PAGE and state.hosts == [f"feeds.intranet.test:{state.port}"]
            with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):  # same address, other name
                fetch_url(f"https://other.intranet.test:{state.port}/page.html", discovered=True,
                          allow_private=("127.0.0.1/32",), client=client)
    finally:
        server.shutdown()
        server.server_close()
