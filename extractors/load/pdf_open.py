"""Open PDF bytes with pdfplumber and read each page's glyphs and rules once.

Every pdfminer/pdfplumber failure is turned into one of our named errors
here, so no library exception escapes :func:`extractors.load.pdf_layout.load_pdf`.
Each page is parsed once: ``page.chars`` plus the line/rect objects from the
same layout pass; tables are only looked for when the page has edges.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.errors import CorruptPdf, EmptySource, EncryptedPdf
from extractors.load.pdf_glyphs import Glyph, glyphs_from_chars

if TYPE_CHECKING:
    import pdfplumber

logger = logging.getLogger(__name__)

_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal line drawn on the page (footnote separator, table rule)."""

    x0: float
    x1: float
    top: float


Cell = tuple[float, float, float, float] | None  # x0, top, x1, bottom; None = merged cell
TableCells = tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True, slots=True)
class RawPage:
    """What one page holds before layout analysis."""

    index: int
    width: float
    height: float
    glyphs: tuple[Glyph, ...]
    rules: tuple[Rule, ...]
    tables: tuple[TableCells, ...]


@dataclass(frozen=True, slots=True)
class RawPdf:
    pages: tuple[RawPage, ...]
    metadata: dict[str, str]


def read_pdf(data: bytes, *, password: str | None = None) -> RawPdf:
    """Parse every page of a PDF, raising EmptySource/CorruptPdf/EncryptedPdf."""
    if not data:
        raise EmptySource("the PDF has 0 bytes")
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise CorruptPdf(f"not a PDF: the data starts with {data[:8]!r}")
    pdf = _open(data, password)
    try:
        pages = tuple(_read_page(i, page) for i, page in enumerate(pdf.pages))
        metadata = {str(k): _meta_text(v) for k, v in (pdf.metadata or {}).items()}
    except Exception as exc:  # pdfminer raises many unrelated types on bad input
        raise CorruptPdf(f"cannot parse the PDF: {type(exc).__name__}: {exc}") from exc
    finally:
        pdf.close()
    return RawPdf(pages, metadata)


def _open(data: bytes, password: str | None) -> pdfplumber.PDF:
    """Open with the given password, then with the empty user password."""
    import pdfplumber  # lazy: 0.1 s and 14 MB that only PDFs need (extract/ingest of text and HTML skip it)

    attempts = [password or ""] + ([""] if password else [])
    for attempt in attempts:
        try:
            pdf = pdfplumber.open(io.BytesIO(data), password=attempt)
            len(pdf.pages)  # forces the page tree, where truncation shows up
            return pdf
        except Exception as exc:
            if _is_password_error(exc):
                continue
            raise CorruptPdf(f"cannot open the PDF: {type(exc).__name__}: {exc}") from exc
    given = "no password was given" if not password else "the password is wrong"
    raise EncryptedPdf(f"the PDF is encrypted and {given}")


def _is_password_error(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFPasswordIncorrect  # lazy, as pdfplumber in _open

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, PDFPasswordIncorrect) or any(
            isinstance(a, PDFPasswordIncorrect) for a in getattr(seen, "args", ())
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _read_page(index: int, page: pdfplumber.page.Page) -> RawPage:
    glyphs = tuple(glyphs_from_chars(page.chars))
    rules = _horizontal_rules(page)
    tables = _grid_tables(page) if glyphs else ()
    return RawPage(index, float(page.width), float(page.height), glyphs, rules, tables)


def _horizontal_rules(page: pdfplumber.page.Page) -> tuple[Rule, ...]:
    """Thin horizontal lines and rects (rules are drawn either way)."""
    out = [Rule(o["x0"], o["x1"], o["top"]) for o in page.lines if abs(o["top"] - o["bottom"]) < 2]
    out += [
        Rule(o["x0"], o["x1"], o["top"])
        for o in page.rects
        if o["bottom"] - o["top"] < 2 and o["x1"] - o["x0"] > 20
    ]
    return tuple(sorted(out, key=lambda r: r.top))


def _grid_tables(page: pdfplumber.page.Page) -> tuple[TableCells, ...]:
    """Ruled tables found by pdfplumber, as rows of cell bboxes (None = merged cell)."""
    if not page.rects and len(page.lines) < 4:
        return ()
    found: list[TableCells] = []
    for table in page.find_tables():
        rows = tuple(tuple(row.cells) for row in table.rows)
        if len(rows) >= 1 and max(len(r) for r in rows) >= 2:
            found.append(rows)
    return tuple(found)


def _meta_text(value: object) -> str:
    if isinstance(value, bytes):
        for enc in ("utf-16", "utf-8", "latin-1"):
            try:
                return value.decode(enc)
            except UnicodeDecodeError:
                continue
    return str(value)


#: Dates that PDF producers write when they are told to be reproducible
#: (ReportLab's and fpdf2's "invariant" mode): not a publication date.
PLACEHOLDER_DATES = frozenset({"D:20000101000000", "D:19700101000000"})


def pdf_date(value: str) -> str:
    """``D:20250301...`` -> ``2025-03-01`` (or ``2025-03``/``2025``); '' if unreadable or a placeholder."""
    value = value.strip()
    if value[:16] in PLACEHOLDER_DATES:
        return ""
    m = _PDF_DATE.match(value)
    if not m:
        return ""
    return "-".join(part for part in m.groups() if part)
