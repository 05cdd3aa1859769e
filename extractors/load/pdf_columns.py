"""Reading order for one- and two-column pages.

A two-column page has a vertical gutter near the middle that (almost) no
glyph covers.  Lines crossing the gutter (a title spanning both columns) are
kept whole and act as barriers: between two barriers the left column is read
top to bottom, then the right one.
"""

from __future__ import annotations

from collections.abc import Sequence

from extractors.load.pdf_glyphs import Glyph, Line, group_lines

_BIN = 2.0  # points per histogram bin
_MIN_SIDE_LINES = 4


def find_gutter(
    glyphs: Sequence[Glyph],
    width: float,
    body_size: float,
    *,
    band: tuple[float, float] | None = None,
    min_share: float = 0.2,
) -> tuple[float, float] | None:
    """The widest x-interval in ``band`` (default: the middle half) that at most two glyphs cover, or None.

    Each side must hold ``min_share`` of the glyphs: a fifth for two text
    columns; a key-figures sidebar (``pdf_boilerplate``) asks for less.
    """
    lo, hi = band if band is not None else (0.25 * width, 0.75 * width)
    nbins = int((hi - lo) / _BIN) + 1
    counts = [0] * nbins
    for g in glyphs:
        if g.text.isspace() or g.x1 < lo or g.x0 > hi:
            continue
        for b in range(max(0, int((g.x0 - lo) / _BIN)), min(nbins, int((g.x1 - lo) / _BIN) + 1)):
            counts[b] += 1
    best: tuple[int, int] | None = None
    start = None
    for b, n in enumerate(counts + [99]):
        if n <= 2 and start is None:
            start = b
        elif n > 2 and start is not None:
            if best is None or b - start > best[1] - best[0]:
                best = (start, b)
            start = None
    if best is None or (best[1] - best[0]) * _BIN < 0.8 * body_size:
        return None
    gutter = (lo + best[0] * _BIN, lo + best[1] * _BIN)
    left = sum(1 for g in glyphs if g.x1 <= gutter[0])
    right = sum(1 for g in glyphs if g.x0 >= gutter[1])
    if min(left, right) < min_share * len(glyphs):
        return None
    return gutter


def order_body(lines: list[Line], width: float, body_size: float) -> tuple[list[Line], tuple[float, float] | None]:
    """Body lines in reading order and the gutter used (None: one column).

    Each line gets ``extra['col'] = (left, right)``.
    """
    glyphs = [g for ln in lines for g in ln.glyphs]
    gutter = find_gutter(glyphs, width, body_size) if lines else None
    if gutter is not None:
        ordered = _two_columns(lines, gutter, _MIN_SIDE_LINES)
        if ordered is not None:
            return ordered, gutter
    _set_column(lines)
    return lines, None


def order_notes(lines: list[Line], gutter: tuple[float, float] | None) -> list[Line]:
    """Footnote lines of a two-column page: the left column's notes, then the right's."""
    if gutter is None or not lines:
        return lines
    kind = lines[0].kind
    ordered = _two_columns(lines, gutter, 0) or lines
    for ln in ordered:
        ln.kind = kind
    return ordered


def _two_columns(lines: list[Line], gutter: tuple[float, float], min_side: int) -> list[Line] | None:
    gx0, gx1 = gutter
    spanning = [ln for ln in lines if any(g.x0 < gx1 - 0.5 and g.x1 > gx0 + 0.5 for g in ln.glyphs)]
    span_ids = {id(ln) for ln in spanning}
    rest = [g for ln in lines if id(ln) not in span_ids for g in ln.glyphs]
    mid = (gx0 + gx1) / 2
    left = group_lines([g for g in rest if (g.x0 + g.x1) / 2 < mid])
    right = group_lines([g for g in rest if (g.x0 + g.x1) / 2 >= mid])
    if len(left) < min_side or len(right) < min_side:
        return None
    _set_column(spanning)
    _set_column(left)
    _set_column(right)
    out: list[Line] = []
    barriers = sorted(spanning, key=lambda ln: ln.top) + [None]
    prev_top = float("-inf")
    for barrier in barriers:
        limit = barrier.top if barrier is not None else float("inf")
        out += [ln for ln in left if prev_top <= ln.top < limit]
        out += [ln for ln in right if prev_top <= ln.top < limit]
        if barrier is not None:
            out.append(barrier)
            prev_top = barrier.top
    return out


def _set_column(lines: Sequence[Line]) -> None:
    """Record the column's left and right edges on each of its lines.

    The right edge is the 80th percentile of line ends, so a line with a
    hanging punctuation mark or a wide caption does not move it.
    """
    if not lines:
        return
    left = min(ln.x0 for ln in lines)
    ends = sorted(ln.x1 for ln in lines)
    right = ends[int(0.8 * (len(ends) - 1))]
    for ln in lines:
        ln.extra["col"] = (left, right)
