"""The HTML report in a real browser: hostile document text never runs, the page draws.

Headless Chromium is driven over the Chrome DevTools Protocol (``websockets``):
we navigate to the rendered file, then assert that no JavaScript dialog
opened, no exception was thrown and nothing was logged as an error, that the
inline sort/filter script works, and that a screenshot is not blank.
A second test proves Chinese is drawn with real glyphs (distinct pictures per
character, one em per character, a CJK face of report.css in use); a third
runs the same check with fontconfig pointed at a Latin-only font directory and
shows it fails there, so the second cannot pass on tofu.
Chromium is the Debian package ``chromium`` and the CJK font
``fonts-wqy-microhei`` (``make browser``); without them the tests skip
locally and fail on CI (``CI=true``).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import html
import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from db.migrate import upgraded_engine
from db.session import session_scope
from db.store import save_document
from extractors import types as t
from flows.report import write_report
from benchmarks.chromium import Cdp, find_chromium, page_websocket, start_chromium, stop

websockets = pytest.importorskip("websockets")
Image = pytest.importorskip("PIL.Image")

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
CLAIM = f"数据显示，{SCRIPT}超八成芯片来自美国①。"
NOTE = f"②{IMG} 见 {LINK}"


def _chromium() -> str:
    path = find_chromium()
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


def _start_chromium(binary: str, profile: Path,
                    env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], int]:
    try:
        return start_chromium(binary, profile, env)
    except RuntimeError as exc:
        pytest.fail(str(exc))


async def _drive(port: int, page_url: str) -> tuple[list[dict[str, Any]], dict[str, Any], bytes]:
    async with websockets.connect(page_websocket(port), max_size=50 * 2**20) as ws:
        cdp = Cdp(ws, lenient=True)
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
        stop(proc)
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


# --------------------------------------------------------------------------- CJK glyphs are drawn

#: Han characters of the hostile claim (数据显示，…) as the report lays it out, with the report's CSS.
HAN = "数据显示"
#: The CJK faces report.css names; the one drawing the claim must be among them.
CJK_FACES = ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei")


def _has_cjk_font() -> bool | None:
    """Whether fontconfig knows a Chinese font (None: no fc-list to ask, so the browser test decides)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    return bool(out.strip())


async def _measure_cjk(port: int, page_url: str) -> dict[str, Any]:
    """How the report draws the Han characters of the claim cell.

    For each character: its box (from a DOM Range over the real text node)
    and a 4x screenshot of that box (page coordinates: the clip is relative to the
    document, not the viewport); plus the platform fonts Chromium used for
    the cell (CDP ``CSS.getPlatformFontsForNode``) and its computed font size.
    """
    async with websockets.connect(page_websocket(port), max_size=50 * 2**20) as ws:
        cdp = Cdp(ws, lenient=True)
        for domain in ("Page", "Runtime", "DOM", "CSS"):
            await cdp.call(f"{domain}.enable")
        await cdp.call("Page.navigate", url=page_url)
        await cdp.wait_for("Page.loadEventFired")
        await cdp.drain(0.3)
        boxes = await cdp.js("""((han) => {
            const cell = document.querySelector('td.claim-text');
            cell.scrollIntoView();
            const node = cell.firstChild, at = node.textContent.indexOf(han);
            const range = document.createRange();
            const box = (a, b) => { range.setStart(node, a); range.setEnd(node, b);
                                    const r = range.getBoundingClientRect();
                                    return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; };
            return {size: parseFloat(getComputedStyle(cell).fontSize), whole: box(at, at + han.length),
                    chars: [...han].map((_, i) => box(at + i, at + i + 1))};
        })(%s)""" % json.dumps(HAN))
        shots = []
        for r in boxes["chars"]:
            clip = {"x": r["x"], "y": r["y"], "width": r["width"], "height": r["height"], "scale": 4}
            shot = await cdp.call("Page.captureScreenshot", format="png", clip=clip)
            shots.append(base64.b64decode(shot["data"]))
        root = await cdp.call("DOM.getDocument")
        node = await cdp.call("DOM.querySelector", nodeId=root["root"]["nodeId"], selector="td.claim-text")
        fonts = await cdp.call("CSS.getPlatformFontsForNode", nodeId=node["nodeId"])
        return {**boxes, "shots": shots, "fonts": fonts["fonts"]}


def _cjk_problems(m: dict[str, Any]) -> list[str]:
    """Why the measured Han characters are not real glyphs (empty: they are).

    Three independent signs, each failing on tofu:
    * every character draws ink, and different characters draw different
      bitmaps: a missing glyph is the font's .notdef box (or nothing), the
      same picture for every code point;
    * the run is one em per character (a Han glyph's advance in every CJK font;
      the .notdef of a Latin font is narrower, DejaVu Sans's is 0.6 em);
    * Chromium reports that a CJK face named in report.css drew the cell.
    """
    problems = []
    images = [Image.open(io.BytesIO(png)).convert("L") for png in m["shots"]]
    inked = [sum(im.histogram()[:160]) for im in images]
    if min(inked) == 0:
        problems.append(f"a Han character drew no ink (dark pixels per character: {inked})")
    distinct = {im.tobytes() for im in images}
    if len(distinct) < len(images):
        problems.append(f"{len(images)} different Han characters drew only {len(distinct)} different pictures (tofu)")
    em, width = m["size"], m["whole"]["width"]
    if abs(width - em * len(HAN)) > 0.05 * em * len(HAN):
        problems.append(f"{len(HAN)} Han characters are {width:.1f}px wide at {em}px, not {len(HAN)} em")
    used = [f["familyName"] for f in m["fonts"]]
    if not set(used) & set(CJK_FACES):
        problems.append(f"no CJK face of report.css drew the claim (fonts used: {used})")
    return problems


def _run_measure(binary: str, profile: Path, page_url: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    proc, port = _start_chromium(binary, profile, env)
    try:
        return asyncio.run(_measure_cjk(port, page_url))
    finally:
        stop(proc)


@pytest.mark.browser
def test_report_browser_draws_chinese_glyphs(report_file: Path, tmp_path: Path) -> None:
    """The claim's Chinese is drawn with real glyphs from a CJK face of the report's font stack."""
    binary = _chromium()
    if _has_cjk_font() is False:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("a CJK font is required on CI (Debian package fonts-wqy-microhei) but fc-list finds none")
        pytest.skip("no CJK font installed (apt-get install -y fonts-wqy-microhei); required when CI=true")
    measured = _run_measure(binary, tmp_path / "profile", report_file.as_uri())
    assert _cjk_problems(measured) == []


@pytest.mark.browser
def test_report_browser_cjk_check_fails_without_a_cjk_font(report_file: Path, tmp_path: Path) -> None:
    """The same check on a machine without a CJK font: fontconfig is pointed (FONTCONFIG_FILE) at a
    directory holding one Latin font only, so Chromium has no Han glyph to draw and every sign fails."""
    binary = _chromium()
    fonts, cache = tmp_path / "fonts", tmp_path / "fc-cache"
    fonts.mkdir()
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if latin.exists():
        shutil.copy(latin, fonts / latin.name)
    config = tmp_path / "fonts.conf"
    config.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
""", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    measured = _run_measure(binary, tmp_path / "profile", report_file.as_uri(), env)
    problems = _cjk_problems(measured)
    assert any("tofu" in p or "no ink" in p for p in problems), problems
    assert any("no CJK face" in p for p in problems), problems


# --------------------------------------------------------------------------- links back to the source

FILLER = "".join(f"<p>Filler paragraph {i}, nothing to check here.</p>" for i in range(120))
PASSAGES = (
    "据东岭算力研究院统计，全国已投运的城市智算中心超过 120 个，总投资约 3400 亿元。",
    "Costs fell 20%-30% & rose again, the ministry said (R&D: A-B).",
    # Over 300 characters: linked as textStart,textEnd.
    "，".join(["全国新建智算中心的平均上架率已降至百分之五十八而闲置问题开始显现"] * 12) + "。",
)


async def _landing(port: int, hrefs: list[str]) -> list[dict[str, float]]:
    """For each href: where the element with id ``t{i}`` is after Chromium opened the link."""
    out = []
    async with websockets.connect(page_websocket(port), max_size=50 * 2**20) as ws:
        cdp = Cdp(ws, lenient=True)
        for domain in ("Page", "Runtime"):
            await cdp.call(f"{domain}.enable")
        for i, href in enumerate(hrefs):
            await cdp.call("Page.navigate", url="about:blank")
            await cdp.drain(0.2)
            cdp.events.clear()
            await cdp.call("Page.navigate", url=href)
            await cdp.wait_for("Page.loadEventFired")
            await cdp.drain(0.8)
            out.append(await cdp.js(f"""(() => {{
                const r = document.getElementById('t{i % len(PASSAGES)}').getBoundingClientRect();
                return {{top: r.top, bottom: r.bottom, height: innerHeight, scrolled: scrollY}};
            }})()"""))
    return out


@pytest.mark.browser
def test_report_browser_text_fragment_links_open_at_the_passage(tmp_path: Path) -> None:
    """A local HTML post far down a long page: the report's link (from the real pipeline) and the
    long-passage range form scroll Chromium to the passage; the bare file URL does not (control)."""
    from extractors.document import extract_document

    page = tmp_path / "长文 post.html"
    body = "".join(f"{FILLER}<p id=t{i}>{html.escape(p)}</p>" for i, p in enumerate(PASSAGES)) + FILLER
    page.write_text(f"<!doctype html><html><head><meta charset=utf-8><title>t</title></head><body>{body}</body></html>",
                    encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'page.db'}"
    with session_scope(upgraded_engine(url)) as session:
        save_document(session, extract_document(page.read_bytes(), source=str(page)))
    [doc] = json.loads(write_report(url, "json", audit=True))["documents"]
    linked = {c["text"]: c["source_href"] for c in doc["claims"]}
    hrefs = [linked[p] for p in PASSAGES] + [page.as_uri()]
    assert [h.count(",") for h in hrefs[:3]] == [0, 0, 1]  # the long one is textStart,textEnd
    proc, port = _start_chromium(_chromium(), tmp_path / "profile")
    try:
        landed = asyncio.run(_landing(port, hrefs))
    finally:
        stop(proc)
    for href, spot in zip(hrefs[:3], landed):
        assert spot["scrolled"] > 1000 and 0 <= spot["top"] and spot["bottom"] <= spot["height"], (href, spot)
    assert landed[3]["scrolled"] == 0 and landed[3]["top"] > landed[3]["height"]  # no fragment: page top
