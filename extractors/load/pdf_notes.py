"""Footnote zones and footnote bodies.

The footnote zone is the run of smaller-than-body lines at the bottom of a
page, usually under a short horizontal rule.  Each note starts with its
marker (a circled digit, or digits numbered through the document); a zone
line without a marker continues the note before it, and a zone that *starts*
without one continues the last note of the previous page (or, with no note
before it in the document, becomes a note whose marker is ``""``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from extractors.lexicon import CIRCLED_MARKER_CLASS
from extractors.load.pdf_glyphs import Line, digit_value, join_lines, render
from extractors.load.pdf_open import RawPage
from extractors.textmap import MappedText

_MARKER = re.compile(rf"^\s*(?:([{CIRCLED_MARKER_CLASS}])|\[?(\d{{1,3}})(?:[\].)](?!\d)|(?=\D)|$))\s*")
SMALL_RATIO = 0.95


@dataclass(slots=True)
class NoteDraft:
    """A note being assembled; it may grow on the next page."""

    page: int
    marker: str
    parts: list[MappedText] = field(default_factory=list)

    def body(self) -> MappedText:
        out = MappedText.empty()
        for part in self.parts:
            out = join_lines(out, part) if out.text else part.strip()
        return out


def mark_note_zone(page: RawPage, lines: Sequence[Line], body_size: float) -> None:
    """Set ``kind = "note"`` on the footnote-zone lines of one page."""
    content = [ln for ln in lines if ln.kind == "body"]
    rule = _separator(page, content, body_size)
    if rule is not None:
        zone = [ln for ln in content if ln.top >= rule - 1 and ln.size < SMALL_RATIO * body_size]
    else:
        zone = _trailing_small(page, content, body_size)
    for ln in zone:
        ln.kind = "note"


def _separator(page: RawPage, content: Sequence[Line], body_size: float) -> float | None:
    """``top`` of a short rule in the lower half with only small lines below it."""
    for rule in page.rules:
        width = rule.x1 - rule.x0
        if not (0.05 * page.width < width < 0.5 * page.width and rule.top > 0.45 * page.height):
            continue
        below = [ln for ln in content if ln.top >= rule.top - 1]
        if below and all(ln.size < SMALL_RATIO * body_size for ln in below):
            return rule.top
    return None


def _trailing_small(page: RawPage, content: Sequence[Line], body_size: float) -> list[Line]:
    """Small lines at the page bottom, from the first one that starts with a marker."""
    zone: list[Line] = []
    for ln in reversed(content):
        if ln.size >= SMALL_RATIO * body_size or ln.top < 0.6 * page.height:
            break
        zone.append(ln)
    zone.reverse()
    while zone and not _MARKER.match(zone[0].raw_text):
        zone.pop(0)
    return zone


def split_notes(pages_lines: Sequence[Sequence[Line]]) -> list[list[NoteDraft]]:
    """Per page, the notes whose marker line is on that page (continuations folded in)."""
    out: list[list[NoteDraft]] = []
    last: NoteDraft | None = None
    prev_number: int | None = None
    circled = False
    for index, lines in enumerate(pages_lines):
        page_notes: list[NoteDraft] = []
        for ln in lines:
            marker, rest = _split_marker(ln, prev_number, circled)
            if marker:
                circled = digit_value(marker) is None
                last = NoteDraft(index, marker, [rest])
                page_notes.append(last)
                prev_number = digit_value(marker) if digit_value(marker) is not None else prev_number
            elif last is not None:
                last.parts.append(rest)
            else:  # zone text before any marker: keep it, as an unmarked note
                last = NoteDraft(index, "", [rest])
                page_notes.append(last)
        out.append(page_notes)
    return out


def _split_marker(line: Line, prev_number: int | None, circled: bool) -> tuple[str, MappedText]:
    """The marker a note line starts with ('' if none) and the rendered rest of the line."""
    text = render(line.glyphs, superscripts=False)
    m = _MARKER.match(text.text)
    if not m:
        return "", text
    ring, digits = m.group(1), m.group(2)
    if digits is not None and not _plausible(digits, line, prev_number, circled):
        return "", text
    return (ring or digits), text[m.end():]


def _plausible(digits: str, line: Line, prev_number: int | None, circled: bool) -> bool:
    """Digits start a note when raised, or when they continue the numbering.

    In a document whose notes use circled markers, unraised digits at a line
    start are text (``１期。`` ending a wrapped citation).
    """
    if line.glyphs[0].raised:
        return True
    if circled:
        return False
    value = digit_value(digits)
    return prev_number is None or value == prev_number + 1 or value == 1
