"""Where Prefect runs: settings applied before Prefect is imported, and a local API server.

A bare Prefect flow with no ``PREFECT_API_URL`` starts a temporary server in a
subprocess on every run (measured here: 17 s on a fresh Prefect home, then
about 9 s per run).  The CLI avoids paying that on every call: it uses
``PREFECT_API_URL`` when the user set one, else it keeps one local
``prefect server`` running in the background (started on first use, reused by
later calls, stopped with ``claimledger server stop``).  If that server cannot
be started, the flow still runs, unrecorded, and the CLI says so once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

SERVER_START_TIMEOUT_S = float(os.environ.get("CLAIMLEDGER_SERVER_TIMEOUT", 120))


def claimledger_home() -> Path:
    home = Path(os.environ.get("CLAIMLEDGER_HOME", Path.home() / ".claimledger")).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home


def configure_prefect_env() -> None:
    """Settings that must be in place before ``import prefect``.

    Telemetry is off (no network here, and none wanted); the temporary-server
    start-up timeout is raised (the default 20 s is too short on 2 cores);
    Prefect's console handler is silenced so the CLI's Rich output is what
    users see, with no tracebacks (run logs still reach the Prefect API;
    ``--debug`` turns the console back on).
    """
    defaults = {
        "PREFECT_HOME": str(claimledger_home() / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)


@dataclass(frozen=True, slots=True)
class ServerState:
    pid: int
    port: int

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"


class ServerStartError(Exception):
    """The local Prefect server did not become healthy in time."""


def _state_file() -> Path:
    return claimledger_home() / "prefect-server.json"


@contextlib.contextmanager
def _lock() -> Iterator[None]:
    with open(claimledger_home() / "prefect-server.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_state() -> ServerState | None:
    try:
        data = json.loads(_state_file().read_text())
        return ServerState(int(data["pid"]), int(data["port"]))
    except (OSError, ValueError, KeyError):
        return None


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_server(on_start=None) -> str:  # type: ignore[no-untyped-def]
    """The API URL of a healthy local server, starting one if needed."""
    with _lock():
        state = read_state()
        if state and healthy(state.api_url):
            return state.api_url
        if on_start:
            on_start()
        state = _start_server()
        _state_file().write_text(json.dumps({"pid": state.pid, "port": state.port}))
        return state.api_url


def _start_server() -> ServerState:
    port = _free_port()
    log = open(claimledger_home() / "prefect-server.log", "ab")
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
         "--port", str(port), "--no-ui", "--analytics-off"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env=env, start_new_session=True,
    )
    state = ServerState(process.pid, port)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerStartError(
                f"prefect server exited with status {process.returncode}; "
                f"see {claimledger_home() / 'prefect-server.log'}"
            )
        if healthy(state.api_url, timeout=1.0):
            return state
        time.sleep(0.3)
    _kill(process.pid)
    raise ServerStartError(f"prefect server was not healthy after {SERVER_START_TIMEOUT_S:g} s")


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGTERM)


def stop_server() -> bool:
    """Stop the background server this tool started; True if one was running."""
    with _lock():
        state = read_state()
        if state is None:
            return False
        _kill(state.pid)
        with contextlib.suppress(OSError):
            _state_file().unlink()
        for _ in range(50):
            try:
                os.kill(state.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        return True
