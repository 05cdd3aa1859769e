"""Running headers, footers and page numbers, found by position and repetition.

A line is page furniture when it sits in the top or bottom band of a page and
either repeats on other pages (on at least 30% of them) (digits masked, so ``Page 3``/``Page 4`` match),
looks like a page number, or is a small-font line set off from the body by a
rule (a header printed on a single page of a short document).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from extractors.load.pdf_glyphs import Line, digit_value, render
from extractors.load.pdf_open import RawPage

TOP_BAND = 0.1
BOTTOM_BAND = 0.9
_PAGE_NUMBER = re.compile(
    r"^[\s\-–—·•|]*(?:(?:page|p\.|第)\s*)?(\d{1,4})(?:\s*(?:页|/|of)\s*\d{1,4})?[\s\-–—·•|]*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_EDGE_NUMBER = re.compile(r"^(\d{1,4})\s+\S|\S\s+(\d{1,4})$")


def _key(line: Line) -> str:
    """Text with digits masked and edge numbers dropped: odd and even page headers match."""
    return _DIGITS.sub("#", "".join(line.raw_text.split())).strip("#") or "#"


def page_number_of(text: str) -> int | None:
    """The number a page-number line prints, for ``85``, ``８５``, ``- 3 -``, ``Page 2 of 9``."""
    m = _PAGE_NUMBER.match(text)
    return digit_value(m.group(1)) if m else None


def mark_furniture(pages: Sequence[RawPage], lines: Sequence[list[Line]], body_size: float) -> list[int | None]:
    """Set ``kind`` to header/footer on furniture lines; return each page's printed number."""
    top_keys: Counter[str] = Counter()
    bottom_keys: Counter[str] = Counter()
    for page, page_lines in zip(pages, lines):
        for line in _top_candidates(page, page_lines):
            top_keys[_key(line)] += 1
        for line in _bottom_candidates(page, page_lines):
            bottom_keys[_key(line)] += 1
    repeats = max(2, round(0.3 * len(pages)))
    numbers: list[int | None] = []
    for page, page_lines in zip(pages, lines):
        number = None
        for line in _top_candidates(page, page_lines):
            value = page_number_of(line.raw_text)
            if value is not None or top_keys[_key(line)] >= repeats or _ruled_small(page, line, body_size):
                line.kind = "header"
                number = value if value is not None else number
        for line in _bottom_candidates(page, page_lines):
            value = page_number_of(line.raw_text)
            if value is not None or bottom_keys[_key(line)] >= repeats:
                line.kind = "footer"
                number = value if value is not None else number
        numbers.append(number)
    return _numbers_in_running_text(lines, numbers)


def _numbers_in_running_text(lines: Sequence[list[Line]], numbers: list[int | None]) -> list[int | None]:
    """Fill in numbers printed at an end of a header/footer (``85  Journal of X``).

    A number at the edge of a running line is the page number only if it
    grows with the page index: the offset ``number - index`` shared by most
    candidates, seen on at least two pages, wins.
    """
    candidates: list[list[int]] = []
    for page_lines in lines:
        found: list[int] = []
        for line in page_lines:
            if line.kind not in ("header", "footer"):
                continue
            for lead, trail in _EDGE_NUMBER.findall(render(line.glyphs).text.strip()):
                value = digit_value(lead or trail)
                if value is not None:
                    found.append(value)
        candidates.append(found)
    offsets = Counter(v - i for i, found in enumerate(candidates) for v in set(found))
    if not offsets:
        return numbers
    offset, support = offsets.most_common(1)[0]
    if support < 2:
        return numbers
    return [
        n if n is not None or (i + offset) not in found else i + offset
        for i, (n, found) in enumerate(zip(numbers, candidates))
    ]


def _top_candidates(page: RawPage, page_lines: Sequence[Line]) -> list[Line]:
    """The first two lines, if they lie in the top band."""
    return [ln for ln in page_lines[:2] if ln.bottom < TOP_BAND * page.height and len(page_lines) > 1]


def _bottom_candidates(page: RawPage, page_lines: Sequence[Line]) -> list[Line]:
    """The last two lines in the bottom band, bottom-most first."""
    out = []
    for ln in reversed(page_lines[-2:]):
        if ln.top > BOTTOM_BAND * page.height and len(page_lines) > 1:
            out.append(ln)
        else:
            break
    return out


def _ruled_small(page: RawPage, line: Line, body_size: float) -> bool:
    """A smaller-than-body line with a wide rule right under it is a header."""
    if line.size >= 0.95 * body_size:
        return False
    return any(
        0 <= rule.top - line.bottom < 15 and rule.x1 - rule.x0 > 0.5 * page.width for rule in page.rules
    )
