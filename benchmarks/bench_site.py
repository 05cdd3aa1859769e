"""Corpus-scale HTML report: does each page of the site open in headless Chromium in under 2 s?

Builds a synthetic corpus of N documents (default 1,000) in a fresh SQLite
database, writes the report site (``report --format html --out DIR/``) and,
for contrast, the one-page HTML report of the same corpus, then opens
``index.html``, a few document pages and the one-page report in headless
Chromium over the DevTools protocol and times each load.

The corpus is our own examples/ extracted once and stored N times through
``db.store.save_document`` (ingesting 1,000 files through the whole pipeline
takes minutes on a loaded 2-core machine; the report only reads stored rows).
Each copy gets its own sha256, source and title, and its figures are scaled
by one of seven factors, so the audit finds conflicting figures across
documents (cross-document links) as a real corpus would.  Document text is
left as extracted, so quoted spans stay exact.

Load time is wall time from ``Page.navigate`` to ``Page.loadEventFired`` with
the browser cache disabled (every page fetches its CSS and JS again), plus
the page's own Navigation Timing ``loadEventEnd``; each page is loaded
``--repeat`` times (3) and judged on the median, the first and slowest load
printed beside it.  Exits 1 if any site page's median is >= 2 s or a page
logs a console error (the one-page report is measured, not judged).

    .venv/bin/python -m benchmarks.bench_site                  # 1 000 documents
    .venv/bin/python -m benchmarks.bench_site --documents 3000 --keep out/site
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import hashlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.chromium import Cdp, find_chromium, page_websocket, start_chromium, stop  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TARGET_SECONDS = 2.0
SCALES = (1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6)


@dataclass(frozen=True, slots=True)
class PageLoad:
    label: str
    path: Path
    bytes: int
    wall: float  # navigate -> load event, seconds
    load_event_end: float  # the page's own navigation timing, seconds
    problems: tuple[str, ...]  # console errors, exceptions, CSP refusals


def build_corpus(db_url: str, count: int) -> int:
    """Store ``count`` variants of the examples in ``db_url``; returns how many examples were used."""
    from db.migrate import upgraded_engine
    from db.session import session_scope
    from db.store import save_document
    from extractors.document import extract_document

    sources = sorted(p for p in EXAMPLES.iterdir() if p.suffix in {".md", ".txt", ".html", ".pdf"})
    originals = [extract_document(p.read_bytes(), source=str(p)) for p in sources]
    engine = upgraded_engine(db_url)
    for i in range(count):
        doc = originals[i % len(originals)]
        scale = SCALES[(i // len(originals)) % len(SCALES)]
        numbers = tuple(dataclasses.replace(n, value=_scaled(n.value, scale), value_max=_scaled(n.value_max, scale))
                        for n in doc.numbers)
        variant = dataclasses.replace(
            doc, sha256=hashlib.sha256(f"{doc.sha256}:{i}".encode()).hexdigest(),
            source=f"synthetic/{i:05d}/{Path(doc.source).name}", title=f"{doc.title or Path(doc.source).name} · {i}",
            numbers=numbers)
        with session_scope(engine) as session:
            save_document(session, variant)
    return len(originals)


def _scaled(value: float | None, scale: float) -> float | None:
    return None if value is None else value * scale


def chromium() -> str | None:
    """The Chromium binary (Debian package ``chromium``), or None."""
    return find_chromium()


def problems(events: Sequence[dict[str, Any]]) -> tuple[str, ...]:
    """Console errors, uncaught exceptions and refused loads (a CSP violation logs an error)."""
    out = []
    for e in events:
        if e["method"] == "Runtime.exceptionThrown":
            out.append(e["params"]["exceptionDetails"].get("text", "exception"))
        elif e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] == "error":
            out.append(e["params"]["entry"].get("text", "error"))
        elif e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"):
            out.append(json.dumps(e["params"].get("args", []))[:200])
    return tuple(out)


async def load_pages(port: int, pages: Sequence[tuple[str, Path]], probe: str | None = None,
                     timeout: float = 60, query: str = "") -> list[tuple[PageLoad, Any]]:
    """Open each page in turn (cache disabled) and time it; ``probe`` is a JS expression read after load.

    ``query`` (``?a=b``) is appended to every page's file URL.
    A page without a load event within ``timeout`` seconds is recorded as taking forever.
    """
    import websockets

    out = []
    async with websockets.connect(page_websocket(port), max_size=200 * 2**20) as ws:
        cdp = Cdp(ws)
        for domain in ("Page", "Runtime", "Log", "Network"):
            await cdp.call(f"{domain}.enable")
        await cdp.call("Network.setCacheDisabled", cacheDisabled=True)
        await cdp.call("Page.navigate", url="about:blank")  # start the renderer before timing anything
        await cdp.wait_for("Page.loadEventFired")
        for label, path in pages:
            cdp.events.clear()
            started = time.perf_counter()
            await cdp.call("Page.navigate", url=path.as_uri() + query)
            try:
                await cdp.wait_for("Page.loadEventFired", timeout)
            except asyncio.TimeoutError:
                out.append((PageLoad(label, path, path.stat().st_size, float("inf"), float("inf"),
                                     (f"no load event within {timeout:.0f} s",)), None))
                continue
            wall = time.perf_counter() - started
            timing = await cdp.js("performance.getEntriesByType('navigation')[0].loadEventEnd")
            state = await cdp.js(probe) if probe else None
            await asyncio.sleep(0.2)  # late console errors (a refused script logs after load)
            await cdp.drain(0.05)
            out.append((PageLoad(label, path, path.stat().st_size, wall, (timing or 0) / 1000,
                                 problems(cdp.events)), state))
    return out


def sample_pages(site: Path, count: int) -> list[tuple[str, Path]]:
    """index.html and the last index page, the largest document page, ``count`` pages spread over the corpus."""
    docs = sorted(site.glob("doc-*.html"), key=lambda p: int(p.stem.split("-")[1]))
    picks = [docs[round(i * (len(docs) - 1) / max(1, count - 1))] for i in range(count)] if docs else []
    largest = max(docs, key=lambda p: p.stat().st_size, default=None)
    pages = [("site index", site / "index.html")]
    more = sorted(site.glob("index-*.html"), key=lambda p: int(p.stem.split("-")[1]))
    pages += [(f"site {p.name}", p) for p in more[-1:]]  # the last index page, when the index is paged
    pages += [(f"site {p.name}", p) for p in dict.fromkeys(picks + ([largest] if largest else []))]
    return pages


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=4, help="document pages to open besides the largest")
    parser.add_argument("--repeat", type=int, default=3, help="loads per page; judged on the median")
    parser.add_argument("--single-timeout", type=float, default=120,
                        help="seconds to wait for the one-page report's load event")
    parser.add_argument("--keep", type=Path, help="write the site here (kept) instead of a temporary folder")
    parser.add_argument("--db", help="use this database as it is (no corpus is built; --documents is ignored)")
    args = parser.parse_args(argv)
    binary = chromium()
    if binary is None:
        print("chromium not found (apt-get install chromium)", file=sys.stderr)
        return 2
    from flows.report import write_report, write_site

    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        work = Path(tmp)
        db_url = args.db or f"sqlite:///{work / 'corpus.db'}"
        if args.db is None:
            started = time.perf_counter()
            used = build_corpus(db_url, args.documents)
            print(f"corpus: {args.documents} documents from {used} examples stored in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
        site = args.keep or work / "site"
        started = time.perf_counter()
        written = write_site(db_url, site, audit=True)
        print(f"site: audit + {written} document pages written in {time.perf_counter() - started:.1f} s, "
              f"{sum(p.stat().st_size for p in site.rglob('*') if p.is_file()) / 2**20:.1f} MiB", flush=True)
        single = work / "report.html"
        started = time.perf_counter()
        single.write_text(write_report(db_url, "html", audit=False), encoding="utf-8")
        print(f"one-page report: written in {time.perf_counter() - started:.1f} s, "
              f"{single.stat().st_size / 2**20:.1f} MiB", flush=True)
        proc, port = start_chromium(binary, work / "profile")
        try:
            pages = [page for page in sample_pages(site, args.pages) for _ in range(args.repeat)]
            loads = asyncio.run(load_pages(port, pages))
            # The one-page report once, last: at a few thousand documents it may not load at all.
            loads += asyncio.run(load_pages(port, [("one-page report", single)], timeout=args.single_timeout))
        finally:
            stop(proc)
    return report([load for load, _ in loads])


def report(loads: Sequence[PageLoad]) -> int:
    """Print one row per page (first, median and slowest load); 1 if a site page's median is >= 2 s."""
    by_label: dict[str, list[PageLoad]] = {}
    for load in loads:
        by_label.setdefault(load.label, []).append(load)
    print()
    print(f"{'page':<24} {'size':>9} {'first':>7} {'median':>7} {'slowest':>8} {'loadEventEnd':>13}  verdict")
    failed = False
    for label, runs in by_label.items():
        walls = sorted(r.wall for r in runs)
        median = statistics.median(walls)
        timing = statistics.median(r.load_event_end for r in runs)
        errors = sum(len(r.problems) for r in runs)
        judged = label.startswith("site")
        slow = median >= TARGET_SECONDS
        verdict = ("not judged" if not judged else "SLOW" if slow else "ok") + (
            f" ({errors} console errors)" if errors else "")
        failed |= judged and (slow or errors > 0)
        print(f"{label:<24} {runs[0].bytes / 1024:>7.0f} K {runs[0].wall:>6.2f}s {median:>6.2f}s {walls[-1]:>7.2f}s "
              f"{timing:>12.2f}s  {verdict}")
    print(f"\ntarget: every site page's median load < {TARGET_SECONDS:.0f} s -> {'FAILED' if failed else 'met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
