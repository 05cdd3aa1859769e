"""Load a PDF into laid-out pages: running body, footnotes, furniture, tables.

``load_pdf`` reads each page's chars once (pdfplumber), groups them into
lines, removes running headers/footers (keeping the printed page number),
moves the footnote zone into :class:`NoteBlock` s, orders two-column pages
column by column, keeps boilerplate (report disclaimers, key-figures sidebar,
thesis declarations, tables of contents: :mod:`pdf_boilerplate`) out of the
body with one warning per section, and re-joins lines into paragraph blocks.

Raw text and reading order
--------------------------
``LoadedDocument.raw`` is, per page: the header lines, the body lines in
reading order (left column then right column between full-width lines;
table lines in place), the sidebar lines, the footnote lines (left column's first on a
two-column page), the footer lines — each line's
glyphs left to right, one ``"\\n"`` after each line, and a ``"\\f"`` closing
the page.  Nothing is inserted into ``raw``; spaces restored from glyph
gaps, paragraph breaks, `` | `` table separators and de-hyphenation exist
only in the mapped texts (``MappedText.inserted`` origins).  Full-width
characters are kept as printed; folding is the normalizer's job.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence

from extractors.errors import NoTextLayer
from extractors.lexicon import CJK
from extractors.load.pdf_blocks import build_blocks, table_from_cells, table_from_lines
from extractors.load.pdf_boilerplate import BOILERPLATE, mark_sections, split_sidebar
from extractors.load.pdf_columns import order_body, order_notes
from extractors.load.pdf_furniture import mark_furniture
from extractors.load.pdf_glyphs import Glyph, Line, group_lines, join_lines, render
from extractors.load.pdf_notes import NoteDraft, mark_note_zone, split_notes
from extractors.load.pdf_open import RawPage, pdf_date, read_pdf
from extractors.textmap import MappedText
from extractors.types import LoadedDocument, NoteBlock, PageLayout

logger = logging.getLogger(__name__)
_CJK_CHAR = re.compile(f"[{CJK}]")

__all__ = ["load_pdf"]


def load_pdf(data: bytes, *, password: str | None = None, workers: int = 1) -> LoadedDocument:
    """Lay out a PDF's pages; raises EmptySource, CorruptPdf, EncryptedPdf or NoTextLayer.

    ``workers=2`` reads the second half of the pages in a worker process (see ``pdf_open``).
    """
    doc = read_pdf(data, password=password, workers=workers)
    glyphs = [g for page in doc.pages for g in page.glyphs if not g.text.isspace()]
    if not glyphs:
        raise NoTextLayer(f"no text layer; OCR is not supported ({len(doc.pages)} pages without text)")
    body_size = _body_size(doc.pages)
    body_font = _body_font(doc.pages, body_size)
    lines = [group_lines(page.glyphs) for page in doc.pages]
    numbers = mark_furniture(doc.pages, lines, body_size)
    boilerplate: list[str] = []
    for i, page in enumerate(doc.pages):
        lines[i], sidebar = split_sidebar(page, lines[i], body_size)
        if sidebar:
            boilerplate.append(f"page {i + 1}: {sidebar} line(s) of a key-figures sidebar kept out of the body as boilerplate")
        mark_note_zone(page, lines[i], body_size)
    ordered = [_order_page(page, page_lines, body_size) for page, page_lines in zip(doc.pages, lines)]
    boilerplate += mark_sections(ordered, body_size, body_font)
    raw = _assign_raw(ordered)
    notes = split_notes([[ln for ln in page_lines if ln.kind == "note"] for page_lines in ordered])
    pages = tuple(
        _page_layout(page, page_lines, number, page_notes, body_size, body_font)
        for page, page_lines, number, page_notes in zip(doc.pages, ordered, numbers, notes)
    )
    warnings = tuple(f"page {p.index + 1} has no text layer" for p in doc.pages if not p.glyphs) + tuple(boilerplate)
    unmapped = sum(p.unmapped for p in doc.pages)
    if unmapped:
        warnings += (f"{unmapped} glyph(s) on {sum(1 for p in doc.pages if p.unmapped)} page(s) have no Unicode "
                     "mapping in their font (pdfminer's (cid:N)) and were left out of the text",)
    logger.debug("pdf: %d pages, body size %.1f, %d chars of raw text", len(pages), body_size, len(raw))
    return LoadedDocument(
        kind="pdf",
        raw=raw,
        pages=pages,
        title=_title(doc.metadata, lines[0] if lines else [], body_size),
        published=pdf_date(doc.metadata.get("CreationDate", "")) or None,
        language=_language(glyphs),
        warnings=warnings,
    )


def _body_size(pages: Sequence[RawPage]) -> float:
    """The font size most glyphs in the upper three quarters of the pages are set in.

    The lower quarter is left out so that long footnotes cannot outvote the body.
    """
    counts = Counter(
        round(g.size, 1) for p in pages for g in p.glyphs if g.top < 0.75 * p.height and not g.text.isspace()
    )
    if not counts:
        counts = Counter(round(g.size, 1) for p in pages for g in p.glyphs if not g.text.isspace())
    return counts.most_common(1)[0][0]


def _body_font(pages: Sequence[RawPage], body_size: float) -> str:
    """The face most body-size glyphs are set in (a heading face only marks headings when it is not this one)."""
    counts = Counter(g.font for p in pages for g in p.glyphs if round(g.size, 1) == body_size and not g.text.isspace())
    return counts.most_common(1)[0][0] if counts else ""


def _order_page(page: RawPage, lines: list[Line], body_size: float) -> list[Line]:
    """Header, body (reading order, tables marked), sidebar boilerplate, notes, footer."""
    body, gutter = order_body([ln for ln in lines if ln.kind == "body"], page.width, body_size)
    _mark_tables(page, body, body_size)
    by_kind = {kind: [ln for ln in lines if ln.kind == kind] for kind in ("header", BOILERPLATE, "note", "footer")}
    notes = order_notes(by_kind["note"], gutter)
    return by_kind["header"] + body + by_kind[BOILERPLATE] + notes + by_kind["footer"]


def _mark_tables(page: RawPage, body: Sequence[Line], body_size: float) -> None:
    """Tag body lines inside a table with ``extra['table'] = (key, spec)``."""
    regions: list[tuple[tuple[float, float, float, float], object]] = []
    for rows in page.tables:
        cells = [c for row in rows for c in row if c is not None]
        bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
        regions.append((bbox, rows))
    for top, bottom in _three_line_regions(page, body, body_size):
        regions.append(((0.0, top, page.width, bottom), None))
    for key, (bbox, spec) in enumerate(regions):
        x0, top, x1, bottom = bbox
        for ln in body:
            mid = (ln.top + ln.bottom) / 2
            if top <= mid <= bottom and ln.x0 < x1 and ln.x1 > x0 and "table" not in ln.extra:
                ln.kind = "table"
                ln.extra["table"] = (key, spec)


def _three_line_regions(page: RawPage, body: Sequence[Line], body_size: float) -> list[tuple[float, float]]:
    """Vertical spans between the first and last of >= 3 wide rules chained by table text."""
    tops: list[float] = []
    for rule in page.rules:
        if rule.x1 - rule.x0 > 0.4 * page.width and rule.top > 0.08 * page.height:
            if not tops or rule.top - tops[-1] > 2:
                tops.append(rule.top)
    regions: list[tuple[float, float]] = []
    chain: list[float] = tops[:1]
    for a, b in zip(tops, tops[1:]):
        between = [ln for ln in body if a < (ln.top + ln.bottom) / 2 < b]
        small = all(ln.size < 0.98 * body_size for ln in between)
        if between and (small or len(chain) == 2 or (len(chain) == 1 and len(between) <= 2)):
            chain.append(b)
            continue
        if len(chain) >= 3:
            regions.append((chain[0], chain[-1]))
        chain = [b]
    if len(chain) >= 3:
        regions.append((chain[0], chain[-1]))
    return regions


def _assign_raw(pages: Sequence[Sequence[Line]]) -> str:
    """Give every glyph its raw offset; return the raw text (see module docstring)."""
    parts: list[str] = []
    offset = 0
    for lines in pages:
        for ln in lines:
            for g in ln.glyphs:
                g.raw = offset
                offset += len(g.text)
            parts.append(ln.raw_text)
            parts.append("\n")
            offset += 1
        parts.append("\f")
        offset += 1
    return "".join(parts)


def _page_layout(
    page: RawPage, lines: Sequence[Line], number: int | None, notes: Sequence[NoteDraft], body_size: float,
    body_font: str,
) -> PageLayout:
    items = _body_items(lines)
    blocks = build_blocks(items, body_size, body_font)
    body = MappedText.join("\n\n", [text for _, text in blocks])
    header = " ".join(render(ln.glyphs).text.strip() for ln in lines if ln.kind == "header") or None
    footer = " ".join(render(ln.glyphs).text.strip() for ln in lines if ln.kind == "footer") or None
    return PageLayout(
        index=page.index,
        number=number,
        body=body,
        notes=tuple(NoteBlock(n.marker, n.body()) for n in notes),
        header=header,
        footer=footer,
        captions=tuple(text for kind, text in blocks if kind in ("caption", "source")),
    )


def _body_items(lines: Sequence[Line]) -> list[Line | MappedText]:
    """Body lines in order, each table replaced by one table block at its first line."""
    items: list[Line | MappedText] = []
    done: set[int] = set()
    for ln in lines:
        if ln.kind == "body":
            items.append(ln)
        elif ln.kind == "table":
            key, spec = ln.extra["table"]
            if key in done:
                continue
            done.add(key)
            members = [m for m in lines if m.kind == "table" and m.extra["table"][0] == key]
            table = table_from_cells(spec, members) if spec is not None else table_from_lines(members)
            if table.text:
                items.append(table)
    return items


def _title(metadata: dict[str, str], first_page: Sequence[Line], body_size: float) -> str | None:
    """Metadata Title, else the largest-font lines of page 1 (if larger than the body)."""
    title = metadata.get("Title", "").strip()
    if title:
        return title
    candidates = [ln for ln in first_page if ln.kind == "body" and ln.raw_text.strip()]
    if not candidates:
        return None
    biggest = max(ln.size for ln in candidates)
    if biggest <= body_size + 0.2:
        return None
    out = MappedText.empty()
    for ln in candidates:
        if abs(ln.size - biggest) < 0.2:
            piece = render(ln.glyphs)
            out = join_lines(out, piece) if out.text else piece.strip()
        elif out.text:
            break
    return out.text or None


def _language(glyphs: Sequence[Glyph]) -> str | None:
    """``zh`` when CJK glyphs make up a fifth of the letters, else ``en`` if there are Latin letters."""
    firsts = "".join(g.text[0] for g in glyphs if g.text)
    cjk = sum(1 for ch in _CJK_CHAR.findall(firsts) if ch.isalpha())
    latin = sum(1 for g in glyphs if g.text.isascii() and g.text.isalpha())
    if cjk and cjk >= 0.2 * (cjk + latin):
        return "zh"
    return "en" if latin else None
