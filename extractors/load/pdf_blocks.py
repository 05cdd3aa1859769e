"""Body blocks: paragraphs re-joined from lines, headings, captions, tables.

Input is one page's body lines in reading order (raw offsets assigned);
output is a list of ``(kind, MappedText)`` blocks that the page body joins
with blank lines.  A new block starts at a heading, caption or source line,
at a font-size change, after a larger vertical gap, at an indented line, at a
list item, or after a line that stops short although the next line's first
word would have fitted on it.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from extractors.lexicon import CAPTION, NUMBERED_HEADING, SOURCE_OR_NOTE_LINE, is_cjk
from extractors.load.pdf_glyphs import Glyph, Line, join_lines, render
from extractors.textmap import MappedText

_LIST_ITEM = re.compile(r"^\s*(?:[•·▪◦‣\-–*]\s|\(\w\)\s|\d{1,2}[.)]\s)")
HEADING_SIZE_RATIO = 1.1


def classify(line: Line, body_size: float, body_font: str = "") -> str:
    """heading | caption | source | text, from font and the line's start.

    A heading face (bold, Hei) marks a heading only when it is not the face
    the body is set in: broker reports set their body in Microsoft YaHei.
    """
    text = line.raw_text
    if CAPTION.match(text):
        return "caption"
    if SOURCE_OR_NOTE_LINE.match(text):
        return "source"
    if line.size >= HEADING_SIZE_RATIO * body_size:
        return "heading"
    visible = [g for g in line.glyphs if not g.text.isspace()]
    strong = sum(1 for g in visible if g.strong and g.font != body_font)
    if visible and strong >= 0.6 * len(visible) and line.size >= 0.95 * body_size and len(visible) <= 80:
        return "heading"
    return "text"


def build_blocks(items: Sequence[Line | MappedText], body_size: float, body_font: str = "") -> list[tuple[str, MappedText]]:
    """Blocks in reading order; a MappedText item is a ready-made table block."""
    pitch = _typical_pitch([it for it in items if isinstance(it, Line)])
    blocks: list[tuple[str, MappedText]] = []
    prev: Line | None = None
    prev_kind = ""
    for item in items:
        if isinstance(item, MappedText):
            blocks.append(("table", item))
            prev, prev_kind = None, "table"
            continue
        kind = classify(item, body_size, body_font)
        text = render(item.glyphs).strip()
        if not text.text:
            continue
        if prev is not None and kind == prev_kind and _continues(prev, item, kind, pitch):
            blocks[-1] = (kind, join_lines(blocks[-1][1], text))
        else:
            blocks.append((kind, text))
        prev, prev_kind = item, kind
    return blocks


def _continues(prev: Line, line: Line, kind: str, pitch: float) -> bool:
    """Whether ``line`` carries on the block that ``prev`` ended."""
    if abs(prev.size - line.size) > 0.5:
        return False
    gap = line.top - prev.top
    if gap <= 0 or gap > 1.35 * max(pitch, line.size * 1.1):
        return False
    if kind == "heading":
        # A heading wraps onto a line of the same size; a numbered line ("１．…",
        # "（二）…") or a size step starts the next heading level instead.
        return abs(prev.size - line.size) < 0.2 and not NUMBERED_HEADING.match(line.raw_text)
    if kind in ("caption", "source"):
        return False
    left, right = line.extra.get("col", (line.x0, line.x1))
    if line.x0 > left + 0.8 * line.size or _LIST_ITEM.match(line.raw_text):
        return False
    return right - prev.x1 <= max(_first_word_width(line) + 0.5 * line.size, 3 * line.size)


def _first_word_width(line: Line) -> float:
    """Width of the line's first word: had it fitted, the previous line would hold it.

    This is the classic test for a paragraph's last line: a line that stops
    short although the next word would have fitted ends its paragraph.  A CJK
    character is a word of its own; lines ending within three ems of the edge
    always continue (CJK lines are rarely set flush).
    """
    glyphs = line.glyphs
    end = 0
    while end < len(glyphs):
        g = glyphs[end]
        if g.text.isspace() or (end and (g.x0 - glyphs[end - 1].x1 > 0.25 * g.size or is_cjk(g.text[0]))):
            break
        end += 1
        if is_cjk(g.text[0]):
            break
    return glyphs[max(end - 1, 0)].x1 - glyphs[0].x0


def _typical_pitch(lines: Sequence[Line]) -> float:
    """Median distance between consecutive lines of the same size."""
    steps = [
        b.top - a.top
        for a, b in zip(lines, lines[1:])
        if abs(a.size - b.size) < 0.3 and 0 < b.top - a.top < 3 * a.size
    ]
    return statistics.median(steps) if steps else 0.0


def table_from_cells(rows: Sequence[Sequence[tuple[float, float, float, float] | None]], lines: Sequence[Line]) -> MappedText:
    """A ruled table: one row per line, cells joined by `` | ``."""
    glyphs = [(i, g) for i, ln in enumerate(lines) for g in ln.glyphs]
    row_texts: list[MappedText] = []
    for row in rows:
        cells = []
        for bbox in row:
            if bbox is None:
                continue
            x0, top, x1, bottom = bbox
            inside = [(i, g) for i, g in glyphs if x0 <= (g.x0 + g.x1) / 2 <= x1 and top <= (g.top + g.bottom) / 2 <= bottom]
            cells.append(_cell_text(inside))
        if any(c.text for c in cells):
            row_texts.append(MappedText.join(" | ", cells))
    return MappedText.join("\n", row_texts)


def _cell_text(indexed: Sequence[tuple[int, Glyph]]) -> MappedText:
    """Glyphs of one cell, line by line, lines re-joined like a paragraph."""
    by_line: dict[int, list[Glyph]] = {}
    for i, g in indexed:
        by_line.setdefault(i, []).append(g)
    out = MappedText.empty()
    for i in sorted(by_line):
        piece = render(sorted(by_line[i], key=lambda g: g.x0)).strip()
        out = join_lines(out, piece) if out.text else piece
    return out


def table_from_lines(lines: Sequence[Line]) -> MappedText:
    """An unruled (three-line) table: each text line a row, cells split at wide gaps."""
    rows = []
    for ln in lines:
        cells: list[list[Glyph]] = [[]]
        for g in ln.glyphs:
            if cells[-1] and g.x0 - cells[-1][-1].x1 > 1.0 * ln.size:
                cells.append([])
            if not g.text.isspace():
                cells[-1].append(g)
        rendered = [render(c).strip() for c in cells if c]
        if rendered:
            rows.append(MappedText.join(" | ", rendered))
    return MappedText.join("\n", rows)
