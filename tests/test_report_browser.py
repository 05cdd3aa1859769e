"""The HTML report in a real browser: hostile document text never runs, the page draws.

Headless Chromium is driven over the Chrome DevTools Protocol (``websockets``):
we navigate to the rendered file, then assert that no JavaScript dialog
opened, no exception was thrown and nothing was logged as an error, that the
inline sort/filter script works, and that a screenshot is not blank.
Chromium is the Debian package ``chromium``; without it the test skips
locally and fails on CI (``CI=true``).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from db.migrate import upgraded_engine
from db.session import session_scope
from db.store import save_document
from extractors import types as t
from flows.report import write_report

websockets = pytest.importorskip("websockets")
Image = pytest.importorskip("PIL.Image")

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
CLAIM = f"数据显示，{SCRIPT}超八成芯片来自美国①。"
NOTE = f"②{IMG} 见 {LINK}"


def _chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is required on CI (Debian package `chromium`) but was not found")
        pytest.skip("chromium not installed (apt-get install -y chromium); required when CI=true")
    return path


def hostile_document() -> t.ExtractedDocument:
    body = CLAIM + "\n"
    text = body + NOTE
    c_start, n_start = 0, len(body) + 1
    marker = CLAIM.index("①")
    return t.ExtractedDocument(
        source="javascript:alert(1)", sha256=hashlib.sha256(text.encode()).hexdigest(), kind="text",
        text=text, body_end=len(body), raw=text, offset_runs=((0, 0, len(text)),),
        pages=(t.Page(0, 7, 0, len(body), len(body), len(text)),), title=f"{LINK} {SCRIPT} 标题 title",
        published="2025-01-01", language="zh",
        sentences=(t.Sentence(c_start, len(CLAIM), CLAIM, page=0),),
        claims=(t.Claim(0, c_start, len(CLAIM), CLAIM, "statistical", 0.9, cues=(IMG,), page=0,
                        attribution=SCRIPT, attribution_cue="数据显示"),),
        footnotes=(t.Footnote("②", n_start, len(text), text[n_start:], page=0),),
        footnote_refs=(t.FootnoteRef("①", marker, marker + 1, None, page=0),),
        citations=(t.Citation(text[n_start:], "web", n_start, len(text), url="javascript:alert(1)",
                              title=IMG, footnote=0, page=0),),
    )


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = Path(tmp_path_factory.mktemp("browser"))
    url = f"sqlite:///{tmp / 'hostile.db'}"
    with session_scope(upgraded_engine(url)) as session:
        save_document(session, hostile_document())
    path = tmp / "report.html"
    path.write_text(write_report(url, "html", audit=True), encoding="utf-8")
    return path


class Cdp:
    """A minimal CDP client: numbered commands, every event kept for later assertions."""

    def __init__(self, ws: Any) -> None:
        self.ws, self.next_id, self.events = ws, 0, []

    async def _recv(self, timeout: float) -> dict[str, Any]:
        """Next message; events are kept, and a dialog is dismissed so the page never hangs on it."""
        msg = json.loads(await asyncio.wait_for(self.ws.recv(), timeout=timeout))
        if "method" in msg:
            self.events.append(msg)
            if msg["method"] == "Page.javascriptDialogOpening":
                self.next_id += 1
                await self.ws.send(json.dumps({"id": self.next_id, "method": "Page.handleJavaScriptDialog",
                                               "params": {"accept": False}}))
        return msg

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        wanted = self.next_id
        await self.ws.send(json.dumps({"id": wanted, "method": method, "params": params}))
        while True:
            msg = await self._recv(20)
            if msg.get("id") == wanted:
                if "error" in msg:
                    raise AssertionError(f"CDP {method} failed: {msg['error']}")
                return msg.get("result", {})

    async def wait_for(self, event: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not any(e["method"] == event for e in self.events):
            await self._recv(max(0.1, deadline - time.monotonic()))

    async def drain(self, seconds: float) -> None:
        try:
            while True:
                await self._recv(seconds)
        except asyncio.TimeoutError:
            return

    async def js(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return None if "exceptionDetails" in result else result["result"].get("value")


def _start_chromium(binary: str, profile: Path) -> tuple[subprocess.Popen[bytes], int]:
    proc = subprocess.Popen(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         f"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1200,900", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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
    pytest.fail("chromium did not open its DevTools port within 30 s")


async def _drive(port: int, page_url: str) -> tuple[list[dict[str, Any]], dict[str, Any], bytes]:
    targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
    ws_url = next(x["webSocketDebuggerUrl"] for x in targets if x["type"] == "page")
    async with websockets.connect(ws_url, max_size=50 * 2**20) as ws:
        cdp = Cdp(ws)
        for domain in ("Page", "Runtime", "Log"):
            await cdp.call(f"{domain}.enable")
        await cdp.call("Page.navigate", url=page_url)
        await cdp.wait_for("Page.loadEventFired")
        await cdp.drain(0.5)
        state = await cdp.js("""(() => {
            const th = document.querySelector('table.claims th[data-sort]');
            th.click();
            const box = document.querySelector('#filters input[data-check="footnotes.dangling_ref"]');
            box.click();
            const finding = document.querySelector('[data-finding-check="footnotes.dangling_ref"]');
            return {sorted: th.getAttribute('aria-sort'), hidden: finding.classList.contains('hidden'),
                    scripts: document.scripts.length, images: document.images.length,
                    links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
                    claim: document.querySelector('td.claim-text').textContent,
                    title: document.querySelector('section.document h2').textContent};
        })()""")
        await cdp.drain(0.3)
        shot = await cdp.call("Page.captureScreenshot", format="png")
        return cdp.events, state, base64.b64decode(shot["data"])


def _problems(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    bad = {"Page.javascriptDialogOpening", "Runtime.exceptionThrown"}
    return [e for e in events if e["method"] in bad
            or (e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
            or (e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))]


@pytest.mark.browser
def test_report_browser_hostile_text_is_inert(report_file: Path, tmp_path: Path) -> None:
    proc, port = _start_chromium(_chromium(), tmp_path / "profile")
    try:
        events, state, png = asyncio.run(_drive(port, report_file.as_uri()))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert _problems(events) == []
    assert state is not None, "the page's own script state could not be read"
    assert state["scripts"] == 1 and state["images"] == 0
    assert not [h for h in state["links"] if not (h.startswith("#") or h.startswith("http"))]
    assert SCRIPT in state["claim"] and SCRIPT in state["title"] and LINK in state["title"]
    assert state["sorted"] == "ascending" and state["hidden"] is True
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.size[0] >= 800
    dark = sum(image.histogram()[:200])
    assert dark > 0.005 * image.size[0] * image.size[1], "screenshot looks blank"
