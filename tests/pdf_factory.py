"""Small PDFs built with fpdf2 at test time, one per layout feature.

Positions are in points on an A4 page (595 x 842), ``y`` is the baseline.
Core fonts (Helvetica) cover Latin text; circled markers need DejaVu Sans,
which is used only when the machine has it (``DEJAVU`` is None otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF

_DEJAVU_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU = _DEJAVU_PATH if _DEJAVU_PATH.is_file() else None

LEFT = 72.0
RIGHT = 523.0
BODY = 11.0
PITCH = 15.0


class PdfBuilder:
    """A thin layer over FPDF that places text lines by baseline."""

    def __init__(self, title: str | None = None) -> None:
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        if title:
            self.pdf.set_title(title)
        if DEJAVU is not None:
            self.pdf.add_font("dejavu", "", str(DEJAVU))

    def page(self) -> PdfBuilder:
        self.pdf.add_page()
        return self

    def text(self, x: float, y: float, s: str, size: float = BODY, style: str = "", font: str = "helvetica") -> PdfBuilder:
        self.pdf.set_font(font, style, size)
        self.pdf.text(x, y, s)
        return self

    def width(self, s: str, size: float = BODY, style: str = "", font: str = "helvetica") -> float:
        self.pdf.set_font(font, style, size)
        return self.pdf.get_string_width(s)

    def marked(self, x: float, y: float, before: str, marker: str, after: str = "", font: str = "helvetica") -> PdfBuilder:
        """``before`` + a raised 6.5 pt ``marker`` + ``after`` on one body line."""
        self.text(x, y, before, font=font)
        mx = x + self.width(before, font=font)
        self.text(mx, y - 4, marker, size=6.5, font=font)
        if after:
            self.text(mx + self.width(marker, 6.5, font=font) + 1, y, after, font=font)
        return self

    def rule(self, x0: float, x1: float, y: float) -> PdfBuilder:
        self.pdf.set_line_width(0.5)
        self.pdf.line(x0, y, x1, y)
        return self

    def lines(self, x: float, y: float, rows: Sequence[str], size: float = BODY, pitch: float = PITCH) -> float:
        """Draw lines downwards; return the baseline after the last one."""
        for row in rows:
            self.text(x, y, row, size=size)
            y += pitch
        return y

    def output(self) -> bytes:
        return bytes(self.pdf.output())


PARA_1 = [
    "The committee reviewed the budget for the coming year and found that spending",
    "on transport had grown faster than any other item since the last review of the",
    "programme. Members asked the treasury to publish the underlying figures.",
]
PARA_2 = [
    "A second paragraph starts here after a wider gap and carries on across a line",
    "break in the middle of a sentence so the joiner must put one space back.",
]


def furniture_pdf(pages: int = 3) -> bytes:
    """Running header, 'Page N' footer, two paragraphs per page."""
    b = PdfBuilder(title="Furniture test")
    for n in range(1, pages + 1):
        b.page()
        b.text(LEFT, 40, "Regional Transport Review - Spring Issue", size=9)
        y = b.lines(LEFT, 100, PARA_1)
        b.lines(LEFT, y + 12, PARA_2)
        b.text(280, 810, f"Page {n}", size=9)
    return b.output()


def footnotes_pdf() -> bytes:
    """Raised digit markers, notes under a short rule, note 2 continuing on page 2."""
    b = PdfBuilder()
    b.page()
    b.marked(LEFT, 100, "Bus ridership rose by 43%", "1", " in the first quarter of the year.")
    b.marked(LEFT, 115, "Fares were frozen for the whole period", "2", " by the regional council.")
    b.lines(LEFT, 145, PARA_1 + PARA_2)
    b.rule(LEFT, 200, 740)
    b.text(LEFT, 755, "1 Regional Statistics Office, Quarterly Transport Bulletin, 2024.", size=8)
    b.text(LEFT, 766, "2 Council minutes of 12 March 2024, item 4, which also discuss the", size=8)
    b.text(280, 810, "1", size=9)
    b.page()
    b.marked(LEFT, 100, "The freeze was extended in the autumn", "3", ".")
    b.lines(LEFT, 130, PARA_1 + PARA_2)
    b.rule(LEFT, 200, 740)
    b.text(LEFT, 755, "consultation that preceded the decision.", size=8)
    b.text(LEFT, 766, "3 Council press release, 2 October 2024.", size=8)
    b.text(280, 810, "2", size=9)
    return b.output()


def circled_pdf() -> bytes:
    """Circled markers in body and notes (needs DejaVu Sans)."""
    b = PdfBuilder()
    b.page()
    b.marked(LEFT, 100, "Exports fell sharply after the new rules", "①", " took effect.", font="dejavu")
    b.rule(LEFT, 200, 740)
    b.text(LEFT, 755, "①Trade Bulletin No. 5, 2023.", size=8, font="dejavu")
    return b.output()


def two_column_pdf() -> bytes:
    """A spanning title, then two columns that share baselines."""
    b = PdfBuilder()
    b.page()
    b.text(LEFT, 60, "Two Column Findings", size=16, style="B")
    left = [f"Left column line {i} of the first article." for i in range(1, 9)]
    right = [f"Right column line {i} of the second one." for i in range(1, 9)]
    b.lines(LEFT, 100, left, size=10, pitch=13)
    b.lines(310, 100, right, size=10, pitch=13)
    return b.output()


def table_pdf() -> bytes:
    """A paragraph, a ruled grid table, and another paragraph."""
    b = PdfBuilder()
    b.page()
    b.text(LEFT, 80, "Costs rose in both regions, as the table below shows in detail.")
    b.pdf.set_font("helvetica", "", 10)
    b.pdf.set_xy(LEFT, 110)
    with b.pdf.table(width=300, col_widths=(150, 150), align="LEFT") as table:
        for row in (("Region", "Cost"), ("North", "1,200"), ("South", "950")):
            cells = table.row()
            for cell in row:
                cells.cell(cell)
    b.text(LEFT, 260, "After the table the text goes on with a closing remark.")
    return b.output()


def lost_spaces_pdf() -> bytes:
    """Words placed one by one with gaps but no space glyphs, and a hyphenated break."""
    b = PdfBuilder()
    b.page()
    x = LEFT
    for word in ("School", "of", "Business", "Studies"):
        b.text(x, 100, word)
        x += b.width(word) + 4
    b.lines(LEFT, 130, [
        "After a long debate about the costs of the new line the regional govern-",
        "ment agreed to the plan and asked the operator to report back next year on",
        "the progress of the works.",
    ])
    return b.output()


def headings_pdf() -> bytes:
    """A bold heading, a caption line and a source line between paragraphs."""
    b = PdfBuilder()
    b.page()
    b.text(LEFT, 80, "1. Background", size=12, style="B")
    y = b.lines(LEFT, 100, PARA_1)
    b.text(200, y + 20, "Figure 2 Monthly ridership, 2023-2024", size=9)
    b.text(200, y + 32, "Source: Regional Statistics Office", size=9)
    b.lines(LEFT, y + 60, PARA_2)
    return b.output()


def image_only_pdf() -> bytes:
    """A page with only filled shapes, as a scan without OCR looks to a text tool."""
    b = PdfBuilder()
    b.page()
    b.pdf.set_fill_color(120, 120, 120)
    b.pdf.rect(72, 72, 400, 600, style="F")
    return b.output()


def encrypted_pdf(user_password: str) -> bytes:
    b = PdfBuilder()
    b.page()
    b.text(LEFT, 100, "Confidential budget figures for the transport committee.")
    b.pdf.set_encryption(owner_password="owner-secret", user_password=user_password)
    return b.output()


def journal_header_pdf(first: int = 85, pages: int = 3) -> bytes:
    """Page numbers printed inside the running header, alternating sides."""
    b = PdfBuilder()
    for i in range(pages):
        b.page()
        n = first + i
        head = f"{n}   Journal of Urban Policy" if i % 2 else f"Journal of Urban Policy   {n}"
        b.text(LEFT, 40, head, size=9)
        b.lines(LEFT, 100, PARA_1)
    return b.output()


def overprinted_pdf() -> bytes:
    """A heading made bold by printing it twice 0.4 pt apart, then a paragraph."""
    b = PdfBuilder()
    b.page()
    b.text(LEFT, 80, "Budget Outlook", size=14)
    b.text(LEFT + 0.4, 80, "Budget Outlook", size=14)
    b.lines(LEFT, 110, PARA_1)
    return b.output()


def long_notes_pdf() -> bytes:
    """More footnote text than body text, notes without a rule above them."""
    b = PdfBuilder()
    b.page()
    b.marked(LEFT, 100, "Only one short sentence carries a note", "1", ".")
    rows = [f"continued explanation of the first note, line {i}, with many more words in it" for i in range(2, 8)]
    b.lines(LEFT, 700, ["1 A very long note that explains the sources and the method in detail,"] + rows, size=8, pitch=10)
    return b.output()


def two_column_notes_pdf() -> bytes:
    """Two columns, each with a raised marker and its note at the foot of the column."""
    b = PdfBuilder()
    b.page()
    left = [f"Left column line {i} of the first article." for i in range(1, 9)]
    right = [f"Right column line {i} of the second one." for i in range(1, 9)]
    b.lines(LEFT, 100, left, size=10, pitch=13)
    b.lines(310, 100, right, size=10, pitch=13)
    b.marked(LEFT, 204, "Left column closing line", "1", ".")
    b.marked(310, 204, "Right column closing line", "2", ".")
    for x, note in ((LEFT, "1 Note for the left column."), (310, "2 Note for the right column.")):
        b.rule(x, x + 80, 745)
        b.text(x, 760, note, size=8)
        b.text(x, 770, "It has a second line.", size=8)
    return b.output()
