"""Throughput of the numeric-assertion extractor vs spaCy's jieba tokenizer on the same text.

Measured side by side in one run, on seed 004 (the journal article's text
layer) after normalization (``extractors.text.normalize.normalize_text``, or the
cheap full-width fold of the golden tests when the normalizer is missing):

(a) baseline: ``spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})``
    tokenizing the text (``nlp.make_doc``), jieba's dictionary loaded before timing;
(b) ours: ``extractors.numbers.assertions.extract(text)``.

Both run in this one process on one core, REPEATS times, interleaved so both
see the same machine load; medians are reported in KB/s (UTF-8 bytes).
Target (issue 5): (b) no slower than (a), i.e. KB/s ratio (b)/(a) >= 1.

Usage: ``.venv/bin/python benchmarks/bench_numbers.py`` (BENCH_REPEATS=20 to change).
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.numbers.assertions import extract  # noqa: E402

SEEDS = ROOT.parent / "shared" / "fixtures" / "seeds"
REPEATS = int(os.environ.get("BENCH_REPEATS", 10))
INNER = int(os.environ.get("BENCH_INNER", 5))  # texts per timed run, so each run lasts long enough to time
TARGET = 1.0
ZH_JIEBA = {"nlp": {"tokenizer": {"segmenter": "jieba"}}}
KEEP_FULL_WIDTH = set("，：；！？（）")

logger = logging.getLogger("bench_numbers")


def normalized_seed() -> str:
    raw = next(iter(sorted(SEEDS.glob("004_*.txt")))).read_text(encoding="utf-8")
    try:
        from extractors.text.normalize import normalize_text
    except ImportError:
        logger.warning("extractors.text.normalize unavailable; using the cheap fold")
        return "".join(
            chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E and c not in KEEP_FULL_WIDTH else c for c in raw
        )
    return normalize_text(raw).text.text


def jieba_tokenizer() -> Callable[[str], object]:
    import spacy

    nlp = spacy.blank("zh", config=ZH_JIEBA)
    import jieba

    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not a result
    return nlp.make_doc


def timed(fn: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    for _ in range(INNER):
        fn(text)
    return time.perf_counter() - start


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    text = normalized_seed()
    tokenize = jieba_tokenizer()
    tokenize(text)  # loads jieba's dictionary: not part of the per-text cost
    found = extract(text)
    kb = len(text.encode("utf-8")) * INNER / 1024
    base_times, our_times = [], []
    for _ in range(REPEATS):
        base_times.append(timed(tokenize, text))
        our_times.append(timed(extract, text))
    base, mine = kb / statistics.median(base_times), kb / statistics.median(our_times)
    print(f"seed 004: {len(text)} chars, {kb / INNER:.1f} KB UTF-8, {len(found)} assertions; "
          f"repeats {REPEATS} x {INNER} texts, one core")
    print(f"(a) spaCy zh + jieba make_doc: {base:8.1f} KB/s  (median {statistics.median(base_times):.4f} s)")
    print(f"(b) extractors.numbers.assertions.extract: {mine:8.1f} KB/s  (median {statistics.median(our_times):.4f} s)")
    ratio = mine / base
    print(f"ratio (b)/(a) throughput: {ratio:.2f}  target >= {TARGET}  {'OK' if ratio >= TARGET else 'UNDER'}")
    return 0 if ratio >= TARGET else 2


if __name__ == "__main__":
    raise SystemExit(main())
