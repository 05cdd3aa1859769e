"""Cost of our PDF pipeline vs bare pdfplumber text extraction, side by side in one run.

Two sets of PDFs, each timed on its own:

* ``fixture``: every PDF in ../shared/fixtures/pdf (15 pages);
* ``reports``: multi-page research reports built with fpdf2 by
  ``tests/pdf_factory.research_report_pdf`` (our own text, a CJK font: dense
  two-line paragraphs, a key-figures sidebar, running header and footer,
  ruled tables, footnote zones, back matter).  Real broker PDFs could not be
  downloaded here; these stand in for them.  Skipped when no CJK font is
  installed (``pdf_factory.cjk_font``).

Per set:

(a) baseline: ``pdfplumber.open`` + ``page.extract_text()`` on every page;
(b) ours: by default the whole pipeline, ``extractors.document.extract_document``
    (layout, normalization, sentences, footnotes, citations, numbers, claims,
    entities); with BENCH_PIPELINE=0 only ``load_pdf``;
(c) ours with ``workers=2`` (``load_pdf`` reading half the pages in a worker
    process, then the same pipeline), to see whether parallel reading pays.

Runs are interleaved so all see the same machine load; medians are reported
with the load average.  Target (issue 13): median (b) / median (a) <= 1.5 on
both sets.

Usage: ``.venv/bin/python benchmarks/bench_pdf.py`` (BENCH_REPEATS=5,
BENCH_REPORTS=3 reports, BENCH_REPORT_PAGES=16 pages each).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from extractors.load.pdf_layout import load_pdf  # noqa: E402

USE_PIPELINE = os.environ.get("BENCH_PIPELINE", "1") == "1"  # "1" (default) times the whole extract_document pipeline; "0" only load_pdf
PDF_DIR = ROOT.parent / "shared" / "fixtures" / "pdf"
REPEATS = int(os.environ.get("BENCH_REPEATS", 3))
REPORTS = int(os.environ.get("BENCH_REPORTS", 3))
REPORT_PAGES = int(os.environ.get("BENCH_REPORT_PAGES", 16))
TARGET = 1.5

logger = logging.getLogger("bench_pdf")
Files = list[tuple[str, bytes]]


def bare(data: bytes, name: str) -> int:
    """Baseline: plain pdfplumber text of every page."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


def ours(workers: int) -> tuple[str, Callable[[bytes, str], object]]:
    """The function timed as (b) (workers=1) or (c) (workers=2), and its label."""
    if USE_PIPELINE:
        try:
            from extractors.document import build_document
        except ImportError as exc:
            logger.warning("build_document unavailable (%s); timing load_pdf", exc)
        else:
            def pipeline(data: bytes, name: str) -> object:
                # what extract_document does for a PDF, with the worker count passed down
                loaded = load_pdf(data, workers=workers)
                return build_document(loaded, source=name, sha256=hashlib.sha256(data).hexdigest())
            return f"extract_document (workers={workers})", pipeline
    return f"load_pdf (workers={workers})", lambda data, name: load_pdf(data, workers=workers)


def run_all(fn: Callable[[bytes, str], object], files: Files) -> float:
    start = time.perf_counter()
    for name, data in files:
        fn(data, name)
    return time.perf_counter() - start


def fixture_files() -> Files:
    return [(p.name, p.read_bytes()) for p in sorted(PDF_DIR.glob("*.pdf"))]


def report_files() -> Files:
    import pdf_factory

    if pdf_factory.cjk_font() is None:
        print("reports: skipped, no CJK font installed (apt-get install fonts-wqy-microhei)")
        return []
    return [(f"report{seed}.pdf", pdf_factory.research_report_pdf(REPORT_PAGES, seed)) for seed in range(REPORTS)]


def page_count(files: Files) -> int:
    total = 0
    for _, data in files:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            total += len(pdf.pages)
    return total


def measure(label: str, files: Files) -> float:
    """Print (a), (b), (c) medians for one set; return the ratio (b)/(a)."""
    timed = [("(a) pdfplumber extract_text", bare), ours(1), ours(2)]
    timed = [timed[0], (f"(b) {timed[1][0]}", timed[1][1]), (f"(c) {timed[2][0]}", timed[2][1])]
    name, data = files[0]
    for _, fn in timed:
        fn(data, name)  # warm imports, caches and the worker process
    runs: dict[str, list[float]] = {what: [] for what, _ in timed}
    loads = []
    for _ in range(REPEATS):
        for what, fn in timed:
            runs[what].append(run_all(fn, files))
        loads.append(os.getloadavg()[0])
    medians = {what: statistics.median(times) for what, times in runs.items()}
    print(f"{label}: {len(files)} files ({page_count(files)} pages), repeats {REPEATS}, "
          f"load average {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores")
    for what, times in runs.items():
        print(f"  {what}: median {medians[what]:.3f} s  runs {[round(t, 3) for t in times]}")
    base = medians[timed[0][0]]
    ratio, parallel = medians[timed[1][0]] / base, medians[timed[2][0]] / base
    print(f"  ratio (b)/(a): {ratio:.2f}  target <= {TARGET}  {'OK' if ratio <= TARGET else 'OVER'};"
          f"  (c)/(a): {parallel:.2f}")
    return ratio


def folder_files(folder: Path) -> Files:
    """Real PDFs kept outside the repository (a folder given on the command line)."""
    return [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.pdf"))]


def main() -> int:
    sets = [("fixture", fixture_files()), ("reports", report_files())]
    sets += [(f"real {arg}", folder_files(Path(arg))) for arg in sys.argv[1:]]
    sets = [(label, files) for label, files in sets if files]
    if not sets:
        print(f"no PDFs in {PDF_DIR} and no CJK font to build reports")
        return 1
    ratios = [measure(label, files) for label, files in sets]
    return 0 if all(r <= TARGET for r in ratios) else 2


if __name__ == "__main__":
    raise SystemExit(main())
