"""Main text in, boilerplate out: our HTML loader on trafilatura's evaluation pages (issue 13, web).

Usage::

    python benchmarks/web_main_text.py DIR_OR_MIRROR [--set cache|all] [--baseline-rev REV]

``DIR_OR_MIRROR`` is either a checkout's ``tests/`` folder (``evaldata.json``
beside ``cache/`` and ``eval/``) or trafilatura's bare git mirror
(``/work/.mirror/adbar+trafilatura/repo``), read with ``git show`` so nothing
is copied into this repository.  Each annotated page lists snippets that must
appear in the main text ("with") and snippets that must not ("without");
scoring is trafilatura's own (``tests/eval_common.py``): white-space-normalized
substring tests, a "with" found is a true positive, a "without" found a false
positive.  ``--set cache`` (the default) scores the pages saved under
``tests/cache`` (about a hundred German and English news and blog pages);
``--set all`` adds the ~900 pages of ``tests/eval``.

Three runners are scored on the same pages:

* ``before``: ``extractors/load/html_text.py`` as of ``--baseline-rev``
  (default: the commit before trafilatura came in), our own parser's rule;
* ``after``: the loader in the working tree;
* ``trafilatura``: ``trafilatura.extract`` itself (plain text), the reference
  our aligned text should come close to.

Pages are decoded as ``claimledger ingest`` decodes them.  No network.

Measured 2026-12-06 (trafilatura 2.3.1, mirror HEAD):

=========  =====  ======================  ======================  ======================
set        pages  before P / R / F1       after P / R / F1        trafilatura P / R / F1
=========  =====  ======================  ======================  ======================
cache        105  0.587 / 0.943 / 0.724   0.902 / 0.915 / 0.909   0.902 / 0.912 / 0.907
all          948  0.659 / 0.947 / 0.777   0.911 / 0.934 / 0.922   0.915 / 0.923 / 0.919
=========  =====  ======================  ======================  ======================

"after" differs from trafilatura's own text where it keeps a reference list
trafilatura drops, keeps to ``<article>``/``<main>``, or drops nav/aside/footer
text; the net difference is a point either way.  A "with" snippet that is a
link URL counts as a miss for "before" and "after" (their body holds anchor
text, not URLs).
Exit status 0 whatever the numbers: this reports, tests assert.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.errors import SourceError  # noqa: E402
from extractors.load.decode import decode_text  # noqa: E402

BASELINE_REV = "6e5e70b"  # last commit with the HTMLParser-only main-text rule


@dataclass
class Score:
    """Accumulated counts of one runner."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    seconds: float = 0.0
    errors: int = 0

    def line(self, name: str) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return (f"{name:12} precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  "
                f"(tp {self.tp} fp {self.fp} fn {self.fn} tn {self.tn}; {self.seconds:.1f} s; "
                f"errors {self.errors})")


def norm(text: str) -> str:
    """White space collapsed, as trafilatura's evaluation does."""
    return re.sub(r"\s+", " ", text).strip()


class Pages:
    """Reads ``evaldata.json`` and page bytes from a folder or from a bare git mirror."""

    def __init__(self, location: Path) -> None:
        self.git = (location / "HEAD").is_file() and (location / "objects").is_dir()
        self.location = location

    def read(self, relpath: str) -> bytes | None:
        if self.git:
            done = subprocess.run(["git", "-C", str(self.location), "show", f"HEAD:tests/{relpath}"],
                                  capture_output=True, check=False)
            return done.stdout if done.returncode == 0 else None
        path = self.location / relpath
        return path.read_bytes() if path.is_file() else None

    def listed(self, folder: str) -> set[str]:
        if self.git:
            out = subprocess.run(["git", "-C", str(self.location), "ls-tree", "--name-only", "HEAD",
                                  f"tests/{folder}/"], capture_output=True, text=True, check=True).stdout
            return {line.rsplit("/", 1)[-1] for line in out.splitlines()}
        folder_path = self.location / folder
        return {p.name for p in folder_path.iterdir()} if folder_path.is_dir() else set()


def corpus(pages: Pages, which: str) -> list[tuple[str, dict, bytes]]:
    """(url, annotation, html bytes) for every annotated page found in the chosen folders."""
    evaldata = json.loads(pages.read("evaldata.json") or b"{}")
    folders = ["cache"] if which == "cache" else ["cache", "eval"]
    found = {folder: pages.listed(folder) for folder in folders}
    items = []
    for url in sorted(evaldata):
        item = evaldata[url]
        for folder in folders:
            if item["file"] in found[folder]:
                data = pages.read(f"{folder}/{item['file']}")
                if data:
                    items.append((url, item, data))
                break
    return items


def decoded(raw_items: list[tuple[str, dict, bytes]]) -> tuple[list[tuple[str, dict, str]], list[str]]:
    """Pages decoded as ``claimledger ingest`` would, and the names of those it refuses (e.g. NUL bytes)."""
    items, refused = [], []
    for url, item, data in raw_items:
        try:
            items.append((url, item, decode_text(data, name=item["file"])))
        except SourceError:
            refused.append(item["file"])
    return items, refused


def load_module_at(rev: str) -> Callable[[str], object]:
    """``load_html`` from ``extractors/load/html_text.py`` as committed at ``rev``."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:extractors/load/html_text.py"],
                            capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "html_text_baseline.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("html_text_baseline", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.load_html


def body_of(load_html: Callable[[str], object]) -> Callable[[str], str]:
    def run(text: str) -> str:
        doc = load_html(text)
        return "\n\n".join(page.body.text for page in doc.pages)  # type: ignore[attr-defined]
    return run


def trafilatura_text(text: str) -> str:
    import trafilatura

    return trafilatura.extract(text, include_links=True, include_tables=True, include_comments=False) or ""


def score(runner: Callable[[str], str], items: list[tuple[str, dict, str]], tally: Score) -> None:
    for _, item, text in items:
        started = time.perf_counter()
        try:
            result = norm(runner(text))
        except Exception as exc:  # noqa: BLE001 - a crash costs recall, and is counted
            tally.errors += 1
            print(f"  error on {item['file']}: {type(exc).__name__}: {exc}", file=sys.stderr)
            result = ""
        tally.seconds += time.perf_counter() - started
        tp = sum(1 for w in item["with"] if norm(w) in result)
        fp = sum(1 for w in item["without"] if norm(w) in result)
        tally.tp += tp
        tally.fn += len(item["with"]) - tp
        tally.fp += fp
        tally.tn += len(item["without"]) - fp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("location", type=Path, help="tests/ folder of trafilatura, or its bare git mirror")
    parser.add_argument("--set", dest="which", choices=("cache", "all"), default="cache")
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    args = parser.parse_args()

    from extractors.load.html_text import load_html

    items, refused = decoded(corpus(Pages(args.location), args.which))
    snippets = sum(len(i["with"]) + len(i["without"]) for _, i, _ in items)
    print(f"{len(items)} pages, {snippets} snippets ({args.which}); "
          f"{len(refused)} pages our decoder refuses, left out: {', '.join(refused) or 'none'}")
    runners = {
        "before": body_of(load_module_at(args.baseline_rev)),
        "after": body_of(load_html),
        "trafilatura": trafilatura_text,
    }
    for name, runner in runners.items():
        tally = Score()
        score(runner, items, tally)
        print(tally.line(name), flush=True)


if __name__ == "__main__":
    main()
