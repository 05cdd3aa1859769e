"""Markup that survives into ``documents.text`` for a folder of real Markdown posts.

Usage: ``python benchmarks/markdown_corpus.py FOLDER [--show N]``

Every ``*.md`` file under FOLDER goes through the real pipeline
(:func:`extractors.document.extract_document`).  For each file we count, in
the stored text: emphasis markers (``**``), link and image source
(``](http``, ``![``), HTML tags (``<tag``, ``</tag>``), front-matter keys near
the start (``title:``, ``thumbnail:``, ``authors:`` …), display math (``$$``)
and code fences; and the numbers and claims whose raw source lies inside a
code block, a code span or math (found here independently of the loader, from
the raw file).  The corpus itself is third-party text and is never copied into
the repository; point this script at a folder outside it.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt

from extractors.document import extract_document
from extractors.errors import SourceError
from extractors.textmap import MappedText

MARKUP: dict[str, re.Pattern[str]] = {
    "**": re.compile(r"(?<!\d)\*\*|\*\*(?!\d)"),  # 8192**2 between digits is a power, not markup
    "](http": re.compile(r"\]\(https?:"),
    "![": re.compile(r"!\["),
    "<tag": re.compile(r"<[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"),
    "</tag>": re.compile(r"</[A-Za-z][A-Za-z0-9-]*\s*>"),
    "$$": re.compile(r"\$\$"),
    "\\tex": re.compile(r"\\[A-Za-z]{2,}"),  # a TeX command (\frac, \text) left from math
    "```": re.compile(r"^(?:```|~~~)", re.M),  # a fence opens a block; “```” quoted in prose is text
}
# Not anchored at a line start: a loader that misreads the post may join the header into one line.
FRONT_MATTER_KEY = re.compile(r"\A---|\b(?:title|thumbnail|authors|translators|proofreader)\s*:")
FRONT_MATTER_WINDOW = 400  # front matter glued into the text shows up at its start
_NOT_BLANK_LINE = r"(?:[^\n]|\n(?![ \t]*\n))"  # inline code and math never cross a blank line
_INLINE_CODE = re.compile(rf"(`+)(?!`){_NOT_BLANK_LINE}+?(?<!`)\1(?!`)")
_MATH = re.compile(rf"\$\$.+?\$\$|\\\\?\[{_NOT_BLANK_LINE}+?\\\\?\]|\\\\?\({_NOT_BLANK_LINE}+?\\\\?\)"
                   r"|(?<![\\$\d])\$[^$\n]+?\$(?!\d)", re.S)


@dataclass
class FileReport:
    """What survived in one file's text."""

    name: str
    markup: Counter[str] = field(default_factory=Counter)
    numbers_in_code: list[str] = field(default_factory=list)
    claims_in_code: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def clean(self) -> bool:
        return not self.markup and not self.numbers_in_code and not self.claims_in_code and not self.error


def non_prose_regions(raw: str) -> list[tuple[int, int]]:
    """Raw spans of code blocks, code spans and math, found from the source alone."""
    starts = [0] + [m.end() for m in re.finditer(r"\n", raw)] + [len(raw)]
    regions: list[tuple[int, int]] = []
    for token in MarkdownIt("commonmark").parse(raw):
        if token.type in ("fence", "code_block") and token.map:
            regions.append((starts[token.map[0]], starts[min(token.map[1], len(starts) - 1)]))
    prose = list(raw)
    for start, end in regions:  # backticks and dollars inside code blocks open nothing
        prose[start:end] = "\n" * (end - start)
    masked = "".join(prose)
    regions += [m.span() for m in _INLINE_CODE.finditer(masked)]
    regions += [m.span() for m in _MATH.finditer(masked)]
    return regions


def _escaped(raw: str, at: int) -> bool:
    """The author wrote the character as literal text (``\\<EOS\\>``, ``&lt;s&gt;``), so it is text, not markup."""
    return raw[at] == "&" or (at > 0 and raw[at - 1] == "\\")


def inside(span: tuple[int, int], regions: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in regions)


def survey(path: Path) -> FileReport:
    report = FileReport(path.name)
    data = path.read_bytes()
    try:
        doc = extract_document(data, source=path.name)
    except SourceError as exc:
        report.error = f"{type(exc).__name__}: {exc}"
        return report
    text = doc.text
    mapped = MappedText.from_runs(text, doc.offset_runs)
    for name, pattern in MARKUP.items():
        hits = sum(1 for m in pattern.finditer(text) if not _escaped(doc.raw, mapped.origin[m.start()]))
        if hits:
            report.markup[name] = hits
    keys = len(FRONT_MATTER_KEY.findall(text[:FRONT_MATTER_WINDOW]))
    if keys:
        report.markup["front matter"] = keys
    regions = non_prose_regions(doc.raw)
    for number in doc.numbers:
        if inside(mapped.raw_span(number.start, number.end), regions):
            report.numbers_in_code.append(text[number.start:number.end])
    for claim in doc.claims:
        if inside(mapped.raw_span(claim.start, claim.end), regions):
            report.claims_in_code.append(text[claim.start:claim.end][:60])
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--show", type=int, default=3, help="examples of surviving markup per file")
    args = parser.parse_args(argv)
    files = sorted(args.folder.rglob("*.md"))
    if not files:
        print(f"no *.md files under {args.folder}", file=sys.stderr)
        return 2
    began = time.perf_counter()
    totals: Counter[str] = Counter()
    dirty = errors = numbers = claims = 0
    for path in files:
        report = survey(path)
        totals.update(report.markup)
        numbers += len(report.numbers_in_code)
        claims += len(report.claims_in_code)
        errors += report.error is not None
        if not report.clean:
            dirty += 1
            detail = ", ".join(f"{k}×{v}" for k, v in sorted(report.markup.items()))
            if report.numbers_in_code:
                detail += f"; numbers in code/math: {report.numbers_in_code[:args.show]}"
            if report.claims_in_code:
                detail += f"; claims in code/math: {report.claims_in_code[:args.show]}"
            print(f"{report.name}: {report.error or detail}")
    elapsed = time.perf_counter() - began
    print(f"\n{len(files)} files, {dirty} with markup or code/math figures, {errors} errors, {elapsed:.0f} s")
    print("markup occurrences: " + (", ".join(f"{k} {v}" for k, v in totals.most_common()) or "none"))
    print(f"numbers inside code/math: {numbers}; claims inside code/math: {claims}")
    return 1 if dirty else 0


if __name__ == "__main__":
    sys.exit(main())
