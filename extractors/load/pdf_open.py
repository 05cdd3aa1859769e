"""Open PDF bytes with pdfplumber and read each page's glyphs and rules once.

Every pdfminer/pdfplumber failure is turned into one of our named errors
here, so no library exception escapes :func:`extractors.load.pdf_layout.load_pdf`.
Each page is parsed once: ``page.chars`` plus the line/rect objects from the
same layout pass; tables are only looked for when the page has edges.

Glyphs are taken from pdfminer's layout objects directly rather than from
``page.chars`` (see :func:`_glyphs_and_shapes`): that halves page reading.

Parallel reading (opt-in)
-------------------------
With ``workers=2`` a document is read in two halves at once: this process
reads the first half while one worker process (pdfplumber objects cannot be
pickled, so it opens the same bytes itself) reads the second.  The worker is
forked from a fork server that has this module imported (no fork of a
threaded caller) and reused.  Pages come out equal either way
(``tests/test_pdf_boilerplate.py`` compares them).  It is off by default:
on the shared 2-core machine (load 4-8) it did not pay (16-page reports:
1.19-1.22 s parallel vs 0.98-1.41 s serial), and a fork-server worker
re-imports the caller's ``__main__``, which a script without a main guard
would run twice.  ``benchmarks/bench_pdf.py`` times both.
"""

from __future__ import annotations

import io
import logging
import re
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.errors import CorruptPdf, EmptySource, EncryptedPdf
from extractors.load.pdf_glyphs import Glyph, font_name

if TYPE_CHECKING:
    import pdfplumber

logger = logging.getLogger(__name__)

_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
_POOL: ProcessPoolExecutor | None = None


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
    unmapped: int = 0  # glyphs the font maps to no character (pdfminer's "(cid:N)"), left out of ``glyphs``


@dataclass(frozen=True, slots=True)
class RawPdf:
    pages: tuple[RawPage, ...]
    metadata: dict[str, str]


def read_pdf(data: bytes, *, password: str | None = None, workers: int = 1) -> RawPdf:
    """Parse every page of a PDF, raising EmptySource/CorruptPdf/EncryptedPdf.

    ``workers``: processes reading pages at once (1: this one; 2: this one
    and a worker process, see the module docstring).
    """
    if not data:
        raise EmptySource("the PDF has 0 bytes")
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise CorruptPdf(f"not a PDF: the data starts with {data[:8]!r}")
    pdf, used = _open(data, password)
    try:
        count = len(pdf.pages)
        split = count // 2 if workers > 1 and count > 1 else count
        rest = _submit(data, used, split, count) if split < count else None
        pages = _read_pages(pdf, 0, split) + _rest(rest, pdf, split, count)
        metadata = {str(k): _meta_text(v) for k, v in (pdf.metadata or {}).items()}
    except CorruptPdf:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on bad input
        raise CorruptPdf(f"cannot parse the PDF: {type(exc).__name__}: {exc}") from exc
    finally:
        pdf.close()
    return RawPdf(pages, metadata)


def _pool() -> ProcessPoolExecutor:
    """One worker process, forked from a server with this module imported; started on first use."""
    global _POOL
    if _POOL is None:
        import multiprocessing

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        _POOL = ProcessPoolExecutor(max_workers=1, mp_context=context)
    return _POOL


def _read_pages(pdf: pdfplumber.PDF, start: int, stop: int) -> tuple[RawPage, ...]:
    return tuple(_read_page(i, pdf.pages[i]) for i in range(start, stop))


def _read_range(data: bytes, password: str, start: int, stop: int) -> tuple[RawPage, ...]:
    """Worker side: open the bytes and read pages ``start:stop`` (our errors only cross back)."""
    try:
        pdf, _ = _open(data, password)
        try:
            return _read_pages(pdf, start, stop)
        finally:
            pdf.close()
    except CorruptPdf:
        raise
    except Exception as exc:
        raise CorruptPdf(f"cannot parse the PDF: {type(exc).__name__}: {exc}") from None


def _submit(data: bytes, password: str, start: int, stop: int) -> Future[tuple[RawPage, ...]] | None:
    """Hand pages ``start:stop`` to the worker; None if no worker can be started here."""
    try:
        return _pool().submit(_read_range, data, password, start, stop)
    except (OSError, RuntimeError, ValueError) as exc:  # no fork server (sandbox), pool shut down at exit
        logger.debug("pdf: reading every page in this process (%s)", exc)
        return None


def _rest(future: Future[tuple[RawPage, ...]] | None, pdf: pdfplumber.PDF, start: int, stop: int) -> tuple[RawPage, ...]:
    """The worker's pages; if it died (killed, out of memory) they are read here and the pool is renewed."""
    global _POOL
    from concurrent.futures.process import BrokenProcessPool

    if future is not None:
        try:
            return future.result()
        except BrokenProcessPool as exc:
            logger.warning("pdf: the page reader process died (%s); reading its pages here", exc)
            _POOL = None
    return _read_pages(pdf, start, stop)


def _open(data: bytes, password: str | None) -> tuple[pdfplumber.PDF, str]:
    """Open with the given password, then with the empty user password; return the password that worked."""
    import pdfplumber  # lazy: 0.1 s and 14 MB that only PDFs need (extract/ingest of text and HTML skip it)

    attempts = [password or ""] + ([""] if password else [])
    for attempt in attempts:
        try:
            pdf = pdfplumber.open(io.BytesIO(data), password=attempt)
            len(pdf.pages)  # forces the page tree, where truncation shows up
            return pdf, attempt
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
    read = _glyphs_and_shapes(page)
    glyphs = tuple(g for g in read if not _UNMAPPED.fullmatch(g.text))
    rules = _horizontal_rules(page)
    tables = _grid_tables(page) if glyphs else ()
    return RawPage(index, float(page.width), float(page.height), glyphs, rules, tables, len(read) - len(glyphs))


# pdfminer writes a glyph whose font has no ToUnicode entry as "(cid:N)": no character is known, so the
# glyph is left out (a warning counts them) rather than spilling "(cid:2556)" into the text.
_UNMAPPED = re.compile(r"\(cid:\d+\)")


def _glyphs_and_shapes(page: pdfplumber.page.Page) -> tuple[Glyph, ...]:
    """Glyphs straight from pdfminer's layout; lines, rects and curves through pdfplumber.

    ``page.chars`` builds a dict of some thirty resolved attributes (colours,
    matrix, colour spaces) per glyph: half of a text page's reading time,
    for seven values we use.  Glyphs are made here with pdfplumber's own
    coordinate arithmetic (top = height - y1 + MediaBox top, x shifted by the
    MediaBox left); the few shapes still go through ``page.process_object``
    and are left in the page's object cache, so ``page.lines``/``rects`` and
    ``find_tables`` work unchanged without ever building the char dicts.
    ``tests/test_pdf_boilerplate.py`` pins the glyphs to ``page.chars``.
    """
    from pdfminer.layout import LTChar, LTContainer

    height = float(page.height)
    mb_x0, mb_top = page.mediabox[:2]
    glyphs: list[Glyph] = []
    objects: dict[str, list[dict]] = {}
    stack = list(reversed(page.layout._objs))
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTContainer):  # a figure: its children follow in order (pdfplumber with laparams=None)
            stack.extend(reversed(obj._objs))
        elif isinstance(obj, LTChar):
            font = obj.fontname if isinstance(obj.fontname, str) else obj.fontname.decode("latin-1")
            glyphs.append(Glyph(
                obj.get_text(), obj.x0 + mb_x0, obj.x1 + mb_x0, height - obj.y1 + mb_top, height - obj.y0 + mb_top,
                obj.size, font_name(font),
            ))
        else:
            shape = page.process_object(obj)
            if shape["object_type"] != "anno":
                objects.setdefault(shape["object_type"], []).append(shape)
    page._objects = objects  # pdfplumber's cache of parsed objects (Page.objects), chars left out on purpose
    return tuple(glyphs)


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
