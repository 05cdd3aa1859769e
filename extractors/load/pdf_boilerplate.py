"""Boilerplate of research reports and theses, kept out of the running body.

Broker research reports end with house text (``免责声明``, ``分析师声明``,
rating definitions, contact blocks) and often open with a sidebar of key
figures (rating, target price, share data, analyst registration numbers);
theses open with declarations (``独创性声明``, ``版权使用授权书``) and a table
of contents.  None of it is a claim of the document, and its numbers (a
target price, a rating threshold of "15%", page numbers behind dot leaders)
would be read as figures of the text.

Decision: such lines get ``kind = "boilerplate"``.  They keep their place in
``LoadedDocument.raw`` (raw holds every glyph), but no page body, note or
caption is built from them, and each dropped section leaves one warning in
``LoadedDocument.warnings`` saying what was left out and where.  Tables
outside these sections are untouched and stay `` | `` rows.

Section rules (vocabulary in :mod:`extractors.lexicon`):

* a line matching ``BOILERPLATE_HEADING`` opens a section; a broker section
  (back matter) runs on across pages until a numbered heading or a heading
  larger than its own opens real text again; a front-matter section
  (declaration, ``目录``) ends with its page at the latest, or at any heading;
* table-of-contents entries (``TOC_ENTRY``: leader dots and a page number)
  are boilerplate wherever three of them stand on one page;
* on the first two pages, a narrow side column whose lines carry at least two
  ``KEY_FIGURE_LABEL`` s is the key-figures sidebar (see :func:`split_sidebar`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from extractors.lexicon import BOILERPLATE_HEADING, KEY_FIGURE_LABEL, NUMBERED_HEADING, TOC_ENTRY
from extractors.load.pdf_blocks import classify
from extractors.load.pdf_columns import find_gutter
from extractors.load.pdf_glyphs import Line, group_lines
from extractors.load.pdf_open import RawPage

BOILERPLATE = "boilerplate"
#: The sidebar is looked for on this many leading pages.
SIDEBAR_PAGES = 2
#: A sidebar column is at most this share of the page width.
SIDEBAR_MAX_SHARE = 0.4
#: Lines of a sidebar that must name a key figure.
SIDEBAR_MIN_LABELS = 2
#: Table-of-contents entries one page needs before they count as a TOC.
TOC_MIN_ENTRIES = 3

_CJK_BLANKS = re.compile(r"(?<=[^\x00-\x7f])[ \t\u3000]+|[ \t\u3000]+(?=[^\x00-\x7f])")


def squeeze(text: str) -> str:
    """The line with blanks next to non-ASCII characters removed (``免 责 声 明`` -> ``免责声明``)."""
    return _CJK_BLANKS.sub("", text).strip()


def split_sidebar(page: RawPage, lines: list[Line], body_size: float) -> tuple[list[Line], int]:
    """Separate a key-figures sidebar from the page's body lines.

    Returns the page's lines (furniture untouched, body lines re-grouped per
    side, sidebar lines marked boilerplate) and the number of sidebar lines
    (0: no sidebar, ``lines`` returned as given).
    """
    if page.index >= SIDEBAR_PAGES:
        return lines, 0
    body = [ln for ln in lines if ln.kind == "body"]
    glyphs = [g for ln in body for g in ln.glyphs]
    if not glyphs:
        return lines, 0
    for lo, hi, side_is_left in (
        (0.12 * page.width, (SIDEBAR_MAX_SHARE + 0.05) * page.width, True),
        ((0.95 - SIDEBAR_MAX_SHARE) * page.width, 0.88 * page.width, False),
    ):
        gutter = find_gutter(glyphs, page.width, body_size, band=(lo, hi), min_share=0.02)
        if gutter is None:
            continue
        gx0, gx1 = gutter
        mid = (gx0 + gx1) / 2
        spanning = [ln for ln in body if any(g.x0 < gx1 - 0.5 and g.x1 > gx0 + 0.5 for g in ln.glyphs)]
        span_ids = {id(g) for ln in spanning for g in ln.glyphs}
        on_side = [g for g in glyphs if id(g) not in span_ids and ((g.x0 + g.x1) / 2 < mid) == side_is_left]
        side = group_lines(on_side)
        if sum(1 for ln in side if KEY_FIGURE_LABEL.search(ln.raw_text)) < SIDEBAR_MIN_LABELS:
            continue
        side_ids = {id(g) for g in on_side} | span_ids
        main = spanning + group_lines([g for g in glyphs if id(g) not in side_ids])
        if len(main) == len(spanning):
            continue
        for ln in side:
            ln.kind = BOILERPLATE
        rest = [ln for ln in lines if ln.kind != "body"]
        return sorted(rest + main + side, key=lambda ln: (ln.top, ln.x0)), len(side)
    return lines, 0


def mark_sections(pages: Sequence[Sequence[Line]], body_size: float, body_font: str = "") -> list[str]:
    """Mark boilerplate sections and TOC entries in pages of ordered lines; return warnings."""
    warnings: list[str] = []
    active: tuple[str, bool, float] | None = None  # term, front matter?, opening size
    for index, lines in enumerate(pages):
        content = [ln for ln in lines if ln.kind in ("body", "table")]
        toc = {id(ln) for ln in content if TOC_ENTRY.match(squeeze(ln.raw_text))}
        dropped: Counter[str] = Counter()
        for ln in content:
            text = squeeze(ln.raw_text)
            m = BOILERPLATE_HEADING.match(text)
            if m:
                active = (m["term"], m["front"] is not None, ln.size)
            elif active is not None and _reopens_text(ln, active, body_size, body_font):
                active = None
            if active is not None:
                dropped[active[0]] += 1
                ln.kind = BOILERPLATE
            elif id(ln) in toc and len(toc) >= TOC_MIN_ENTRIES:
                dropped["table of contents"] += 1
                ln.kind = BOILERPLATE
        _drop_whole_tables(lines)
        warnings += [
            f"page {index + 1}: {n} line(s) of '{term}' kept out of the body as boilerplate"
            for term, n in dropped.items()
        ]
        if active is not None and active[1]:
            active = None  # declarations and contents end with their page
    return warnings


def _reopens_text(line: Line, active: tuple[str, bool, float], body_size: float, body_font: str) -> bool:
    """Whether ``line`` is a heading that ends the open boilerplate section."""
    if TOC_ENTRY.match(squeeze(line.raw_text)) or classify(line, body_size, body_font) != "heading":
        return False
    _, front, size = active
    return front or line.size > size + 0.5 or bool(NUMBERED_HEADING.match(line.raw_text))


def _drop_whole_tables(lines: Sequence[Line]) -> None:
    """A table with one boilerplate line (a rating-definition grid) is boilerplate as a whole."""
    keys = {ln.extra["table"][0] for ln in lines if ln.kind == BOILERPLATE and "table" in ln.extra}  # type: ignore[index]
    for ln in lines:
        if ln.kind == "table" and ln.extra["table"][0] in keys:  # type: ignore[index]
            ln.kind = BOILERPLATE
