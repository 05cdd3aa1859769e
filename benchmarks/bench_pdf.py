"""Cost of our PDF layout analysis vs bare pdfplumber text extraction.

Measured side by side in one run, over every PDF in ../shared/fixtures/pdf:

(a) baseline: ``pdfplumber.open`` + ``page.extract_text()`` on every page;
(b) ours: by default the whole pipeline, ``extractors.document.extract_document``
    (layout from chars read once per page, normalization, sentences, footnotes,
    citations, numbers, claims, entities); with BENCH_PIPELINE=0 only ``load_pdf``.

Each is run REPEATS times, interleaved so both see the same machine load;
medians are reported.  Target (issue 3): median (b) / median (a) <= 1.5.

Usage: ``.venv/bin/python benchmarks/bench_pdf.py`` (BENCH_REPEATS=5 to change).
"""

from __future__ import annotations

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

from extractors.load.pdf_layout import load_pdf  # noqa: E402

USE_PIPELINE = os.environ.get("BENCH_PIPELINE", "1") == "1"  # "1" (default) times the whole extract_document pipeline; "0" only load_pdf
PDF_DIR = ROOT.parent / "shared" / "fixtures" / "pdf"
REPEATS = int(os.environ.get("BENCH_REPEATS", 3))
TARGET = 1.5

logger = logging.getLogger("bench_pdf")


def bare(data: bytes, name: str) -> int:
    """Baseline: plain pdfplumber text of every page."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(page.extract_text() or "") for page in pdf.pages)


def ours() -> tuple[str, Callable[[bytes, str], object]]:
    """The function timed as (b), and its label."""
    if USE_PIPELINE:
        try:
            from extractors.document import extract_document
        except ImportError as exc:
            logger.warning("extract_document unavailable (%s); timing load_pdf", exc)
        else:
            return "extract_document", lambda data, name: extract_document(data, source=name)
    return "load_pdf", lambda data, name: load_pdf(data)


def run_all(fn: Callable[[bytes, str], object], files: list[tuple[str, bytes]]) -> float:
    start = time.perf_counter()
    for name, data in files:
        fn(data, name)
    return time.perf_counter() - start


def main() -> int:
    files = [(p.name, p.read_bytes()) for p in sorted(PDF_DIR.glob("*.pdf"))]
    if not files:
        print(f"no PDFs in {PDF_DIR}")
        return 1
    label, fn = ours()
    name, data = files[0]
    fn(data, name)  # warm imports and caches for both sides
    bare(data, name)
    base_times, our_times = [], []
    for _ in range(REPEATS):
        base_times.append(run_all(bare, files))
        our_times.append(run_all(fn, files))
    base, mine = statistics.median(base_times), statistics.median(our_times)
    pages = 0
    for _, data in files:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages += len(pdf.pages)
    print(f"files: {len(files)} ({pages} pages), repeats: {REPEATS}")
    print(f"(a) pdfplumber extract_text: median {base:.3f} s  runs {[round(t, 3) for t in base_times]}")
    print(f"(b) {label}: median {mine:.3f} s  runs {[round(t, 3) for t in our_times]}")
    ratio = mine / base
    print(f"ratio (b)/(a): {ratio:.2f}  target <= {TARGET}  {'OK' if ratio <= TARGET else 'OVER'}")
    return 0 if ratio <= TARGET else 2


if __name__ == "__main__":
    raise SystemExit(main())
