"""Where Prefect runs: settings applied before Prefect is imported, and a local API server.

A bare Prefect flow with no ``PREFECT_API_URL`` starts a temporary server in a
subprocess on every run (measured here: 17 s on a fresh Prefect home, then
about 9 s per run).  The CLI avoids paying that on every call: it uses
``PREFECT_API_URL`` when the user set one, else it keeps one local
``prefect server`` running in the background, started with Prefect's own
``prefect server start --background``, waited for with ``prefect server
status --wait`` and stopped with ``prefect server stop`` (``claimledger
server stop``).  What is ours: a lock so concurrent commands start it once,
the port it was started on, and the health check that tells a later command
to start it again after it died.  If it cannot be started, the flow still
runs, unrecorded, and the CLI says so once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

SERVER_START_TIMEOUT_S = float(os.environ.get("CLAIMLEDGER_SERVER_TIMEOUT", 120))
# Prefect 3.8.8's ``prefect.cli._server_utils.SERVER_PID_FILE_NAME``, spelled out
# because importing Prefect here would load its settings before the CLI has set
# PREFECT_API_URL (a test pins the two equal).
SERVER_PID_FILE_NAME = "server.pid"


def claimledger_home() -> Path:
    home = Path(os.environ.get("CLAIMLEDGER_HOME", Path.home() / ".claimledger")).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home


def prefect_env_defaults() -> dict[str, str]:
    """Settings that must be in place before ``import prefect``.

    Telemetry is off (no network here, and none wanted); the temporary-server
    start-up timeout is raised (the default 20 s is too short on 2 cores);
    Prefect's console handler is silenced so the CLI's Rich output is what
    users see, with no tracebacks (run logs still reach the Prefect API;
    ``--debug`` turns the console back on).
    """
    return {
        "PREFECT_HOME": str(claimledger_home() / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    }


def configure_prefect_env() -> None:
    """Apply :func:`prefect_env_defaults` to this process (values already set win)."""
    for key, value in prefect_env_defaults().items():
        os.environ.setdefault(key, value)


@dataclass(frozen=True, slots=True)
class ServerState:
    pid: int | None  # from Prefect's own pid file; None when it has none
    port: int

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"


class ServerStartError(Exception):
    """The local Prefect server did not start or did not become healthy in time."""


def _state_file() -> Path:
    return claimledger_home() / "prefect-server.json"


def _pid_file() -> Path:
    """Where ``prefect server start --background`` writes the server's pid."""
    home = os.environ.get("PREFECT_HOME") or prefect_env_defaults()["PREFECT_HOME"]
    return Path(home) / SERVER_PID_FILE_NAME


@contextlib.contextmanager
def _lock() -> Iterator[None]:
    with open(claimledger_home() / "prefect-server.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _server_pid() -> int | None:
    try:
        return int(_pid_file().read_text().strip())
    except (OSError, ValueError):
        return None


def read_state() -> ServerState | None:
    """The port claimledger started the server on (and its pid), or None if it never did."""
    try:
        port = int(json.loads(_state_file().read_text())["port"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return ServerState(_server_pid(), port)


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prefect_cli(*args: str, api_url: str | None = None,
                 timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
    """Run ``prefect <args>`` with this process's Prefect settings.

    ``PREFECT_API_URL`` is dropped (or set to ``api_url``) so that the server
    commands act on the local server.  A new session keeps the background
    server out of the terminal's process group: Ctrl-C on a later command
    does not stop it.
    """
    env = {**prefect_env_defaults(), **os.environ}
    env.pop("PREFECT_API_URL", None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return subprocess.run([sys.executable, "-m", "prefect", *args], env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=timeout, start_new_session=True)


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line.strip() for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    return lines[-1] if lines else f"exit status {result.returncode}"


def ensure_server(on_start=None) -> str:  # type: ignore[no-untyped-def]
    """The API URL of a healthy local server, starting one if there is none or it died."""
    with _lock():
        state = read_state()
        if state and healthy(state.api_url):
            return state.api_url
        if on_start:
            on_start()
        if state is not None:
            # Ours died or hangs: a killed server leaves Prefect's pid file
            # behind, and `start --background` refuses to run while it exists;
            # `stop` clears it (and stops a server that is alive but not
            # answering).  A pid file we did not write is left alone: start
            # then fails with Prefect's message instead of stopping a server
            # someone else started in this PREFECT_HOME.
            _stop_locked()
        return _start_server().api_url


def _start_server(port: int | None = None) -> ServerState:
    port = port or _free_port()
    started = _prefect_cli("server", "start", "--background", "--host", "127.0.0.1", "--port", str(port),
                           "--no-ui", "--analytics-off")
    if started.returncode != 0:
        raise ServerStartError(f"prefect server start failed: {_last_line(started)}")
    _state_file().write_text(json.dumps({"port": port}))
    state = ServerState(_server_pid(), port)
    try:
        ready = _prefect_cli("server", "status", "--wait", "--timeout", str(int(SERVER_START_TIMEOUT_S)),
                             api_url=state.api_url, timeout=SERVER_START_TIMEOUT_S + 60)
    except subprocess.TimeoutExpired:
        ready = None
    if ready is None or ready.returncode != 0:
        _stop_locked()
        raise ServerStartError(f"prefect server was not healthy after {SERVER_START_TIMEOUT_S:g} s "
                               f"(run 'PREFECT_HOME={_pid_file().parent} prefect server start' "
                               "in the foreground to see why)")
    return state


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie left for init to reap counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # the pid now belongs to another user's process
        return False
    with contextlib.suppress(OSError):
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


def _stop_locked() -> bool:
    """``prefect server stop``, then wait (up to 10 s) until the process has gone.

    Returns whether a server process was alive.
    """
    pid = _server_pid()
    was_alive = pid is not None and _alive(pid)
    _prefect_cli("server", "stop")
    with contextlib.suppress(OSError):
        _state_file().unlink()
    for _ in range(100):
        if pid is None or not _alive(pid):
            break
        time.sleep(0.1)
    return was_alive


def stop_server() -> bool:
    """Stop the background server; True if one was recorded as running."""
    with _lock():
        return _stop_locked()


WATCH_INTERVAL_S = 2.0


@contextlib.contextmanager
def server_watchdog(api_url: str, interval_s: float = WATCH_INTERVAL_S) -> Iterator[None]:
    """While a command records into our local server, start it again (same port) if its process dies.

    Prefect's client retries a refused connection with backoff for about a
    minute per call ("resilience during server restarts"), so a server that
    comes back on the same port lets the run carry on and be recorded; without
    one, every remaining API call waits out its retries and the command hangs
    for hours.  Only a dead process is restarted (a busy one that answers
    slowly is left alone), and a server the user pointed us at
    (``PREFECT_API_URL``) is never touched.
    """
    state = read_state()
    if state is None or state.api_url != api_url:
        yield
        return
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(interval_s):
            pid = _server_pid()
            if pid is not None and _alive(pid):
                continue
            with contextlib.suppress(ServerStartError, OSError, subprocess.SubprocessError):
                _restart_dead(state.port)

    thread = threading.Thread(target=watch, name="claimledger-server-watchdog", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval_s + 1)


def _restart_dead(port: int) -> None:
    """Start the server again on ``port`` unless another command already did."""
    with _lock():
        pid = _server_pid()
        if pid is not None and _alive(pid):
            return
        _stop_locked()  # clears the stale pid file that `start --background` refuses to run over
        _start_server(port)
