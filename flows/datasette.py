"""``claimledger datasette``: open the SQLite database in Datasette, described and with the desk's queries.

The metadata (descriptions, labels, facets, canned queries) is generated from
the schema descriptions by :mod:`db.datasette_meta` each time, so it always
matches the file being served.  Datasette runs in this process on a socket
bound here: a port in use is one clear line before anything starts, ``--port
0`` takes a free one, and stopping this process stops the server (there is no
child process to leave behind).

The file is opened the way Datasette opens a mutable database: every query
connection is ``mode=ro`` and nothing is written, so an ``ingest`` or
``serve`` may keep writing while it is being browsed (hence not
``--immutable``, which would let SQLite skip the locks a writer relies on).
"""

from __future__ import annotations

import errno
import ipaddress
import json
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.datasette_meta import QUERIES, build_metadata, read_columns
from db.errors import display_url
from db.session import is_sqlite, resolve_url
from db.sql import connect_readonly

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
# Datasette's own defaults are 1000 ms and 1000 rows; a corpus-wide GROUP BY over a few thousand
# documents needs more than a second, and the canned queries are not paginated.
SETTINGS: dict[str, Any] = {
    "sql_time_limit_ms": 5000,
    "max_returned_rows": 2000,
    "facet_time_limit_ms": 500,
    "default_page_size": 50,
}
INSTALL_HINT = "Datasette is not installed: pip install 'datasette>=0.65,<0.66'"


class DatasetteError(Exception):
    """The database cannot be served in Datasette (the message says why, in one line)."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """What serving needs: the SQLite file, the name Datasette gives it and its metadata."""

    path: Path
    name: str
    metadata: dict[str, Any]


def sqlite_file(db: str | None) -> Path:
    """The SQLite file behind ``--db``; Datasette reads SQLite only, so a server URL is refused."""
    url = resolve_url(db)
    if not is_sqlite(url):
        raise DatasetteError(f"Datasette reads SQLite files only; {display_url(url)} is not one: "
                             "pass --db with the path of a SQLite database")
    return Path(display_url(url))


def prepare(db: str | None) -> Prepared:
    """Metadata for the file, read from its own schema; a missing or outdated file is a DatabaseError."""
    path = sqlite_file(db)
    with connect_readonly(str(path)) as conn:  # checks it exists and is at this code's schema
        columns = read_columns(conn.dbapi)
    name = path.stem
    return Prepared(path, name, build_metadata(name, columns))


def write_metadata(prepared: Prepared, out: Path) -> None:
    """Write the metadata JSON for ``datasette FILE --metadata OUT`` (CJK kept readable)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(prepared.metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses: only this machine can reach the server."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (0 picks a free port); a taken port is a DatasetteError."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise DatasetteError(f"cannot listen on {host}: {exc.strerror}") from exc
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        hint = "; pick another with --port" if exc.errno == errno.EADDRINUSE else ""
        raise DatasetteError(f"cannot listen on {host}:{port}: {exc.strerror}{hint}") from exc
    return sock


def base_url(sock: socket.socket, name: str) -> str:
    """The database page's address, with the port actually bound."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/{name}"


def query_names() -> list[str]:
    return [q.name for q in QUERIES]


def serve(prepared: Prepared, sock: socket.socket) -> None:
    """Run Datasette on ``sock`` until interrupted (Ctrl-C or SIGTERM end it cleanly)."""
    try:
        import uvicorn
        from datasette.app import Datasette
    except ImportError as exc:
        raise DatasetteError(INSTALL_HINT) from exc

    ds = Datasette([str(prepared.path)], metadata=prepared.metadata, settings=dict(SETTINGS))
    config = uvicorn.Config(ds.app(), log_level="warning", lifespan="on", workers=1)
    uvicorn.Server(config).run(sockets=[sock])
