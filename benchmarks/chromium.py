"""Headless Chromium over the DevTools protocol, shared by the browser tests and bench_site.

One small client instead of one per caller: start Chromium with a DevTools
port (``start_chromium``), send numbered commands and keep every event
(:class:`Cdp`), stop it (``stop``).  Needs ``websockets`` (and ``httpx`` to
find the page target), both in the test extra; Chromium is the Debian
package ``chromium`` (``make browser``).
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any


def find_chromium() -> str | None:
    """The Chromium binary (Debian package ``chromium``), or None."""
    return shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def start_chromium(binary: str, profile: Path,
                   env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], int]:
    """Headless Chromium with a DevTools port (process, port); RuntimeError if no port opens within 30 s."""
    proc = subprocess.Popen(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         f"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1200,900", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if port_file.exists() and port_file.read_text().strip():
            return proc, int(port_file.read_text().split()[0])
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("chromium did not open its DevTools port within 30 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate Chromium, killing it if it does not exit within 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def page_websocket(port: int) -> str:
    """The DevTools WebSocket URL of the browser's first page target."""
    import httpx

    targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
    return next(x["webSocketDebuggerUrl"] for x in targets if x["type"] == "page")


class Cdp:
    """A minimal DevTools client: numbered commands, every event kept for the caller to inspect.

    A JavaScript dialog is dismissed as soon as it opens so a hostile page can
    never hang the session (the dialog event stays in :attr:`events`).  With
    ``lenient``, :meth:`js` returns None for a script that threw instead of raising.
    """

    def __init__(self, ws: Any, *, lenient: bool = False) -> None:
        self.ws, self.next_id, self.events, self.lenient = ws, 0, [], lenient

    async def _recv(self, timeout: float) -> dict[str, Any]:
        msg = json.loads(await asyncio.wait_for(self.ws.recv(), timeout=timeout))
        if "method" in msg:
            self.events.append(msg)
            if msg["method"] == "Page.javascriptDialogOpening":
                self.next_id += 1
                await self.ws.send(json.dumps({"id": self.next_id, "method": "Page.handleJavaScriptDialog",
                                               "params": {"accept": False}}))
        return msg

    async def call(self, method: str, timeout: float = 60, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        wanted = self.next_id
        await self.ws.send(json.dumps({"id": wanted, "method": method, "params": params}))
        while True:
            msg = await self._recv(timeout)
            if msg.get("id") == wanted:
                if "error" in msg:
                    raise RuntimeError(f"CDP {method} failed: {msg['error']}")
                return msg.get("result", {})

    async def wait_for(self, event: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(e["method"] == event for e in self.events):
            await self._recv(max(0.1, deadline - time.monotonic()))

    async def drain(self, seconds: float) -> None:
        """Read events until none arrives for ``seconds`` (late console errors, layout events)."""
        try:
            while True:
                await self._recv(seconds)
        except asyncio.TimeoutError:
            return

    async def js(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            if self.lenient:
                return None
            raise RuntimeError(f"page script failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")
