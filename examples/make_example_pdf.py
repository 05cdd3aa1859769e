"""Write examples/english_policy_brief_sample.pdf: a 2-page English brief for demos.

The text is written for ClaimLedger (fictional city, fictional figures).  The
PDF has what the PDF loader looks for: a running header, page numbers in the
footer, raised footnote markers numbered through (1-4), footnotes under a
short rule, a heading per section and a small ruled table.

Usage: ``.venv/bin/python examples/make_example_pdf.py [output.pdf]``
"""

from __future__ import annotations

import re
import sys
from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF

OUT = Path(__file__).with_name("english_policy_brief_sample.pdf")
LEFT, RIGHT, BODY, PITCH = 72.0, 523.0, 11.0, 15.0
HEADER = "Shade and Heat in Eastbrook - Municipal Policy Brief 12"
MARKER = re.compile(r"\{(\d+)\}")

PAGE_1 = [
    ("title", "Cooling Streets Without New Budgets"),
    ("byline", "Municipal Policy Brief 12 - April 2025 - sample document written for ClaimLedger"),
    ("h", "Summary"),
    ("p", "Eastbrook recorded 41 days above 30 degrees Celsius in 2024, against an average of 23 days "
          "between 2000 and 2020.{1} Heat-related ambulance calls rose by 37% over the same comparison. "
          "This brief argues that street trees and reflective roofs lower peak temperatures more cheaply "
          "than new air-conditioned public rooms, and that the city can pay for them by redirecting "
          "existing maintenance funds."),
    ("h", "1. What the measurements show"),
    ("p", "Sensors installed on 60 streets in 2023 found that blocks with at least 30% tree canopy were "
          "on average 2.8 degrees cooler at 3 p.m. than blocks with less than 10%.{2} The gap was largest "
          "on days above 32 degrees, when it reached 4.1 degrees. Reflective roof coatings on 14 school "
          "buildings cut indoor peak temperatures by about 1.5 degrees, according to the caretakers' "
          "logs."),
]
NOTES_1 = [
    ("1", "Eastbrook Weather Station annual summaries, 2000-2024; days with a maximum above 30 C."),
    ("2", "City Environment Office, Street Sensor Pilot: Final Report (2024), table 3. The pilot covered "
          "the central and northern districts only."),
]
PAGE_2 = [
    ("h", "2. Costs compared"),
    ("p", "Planting and watering a street tree for its first three years costs about EUR 1,100, and a "
          "reflective coating costs EUR 18 per square metre of roof.{3} A new cooling room in a public "
          "building costs roughly EUR 250,000 to fit out, plus energy. The table gives the figures used "
          "in this brief."),
    ("table", [("Measure", "Unit cost", "Cooling effect"),
               ("Street tree", "EUR 1,100", "up to 2.8 C on the block"),
               ("Reflective roof", "EUR 18 per m2", "about 1.5 C indoors"),
               ("Cooling room", "EUR 250,000", "one room, 80 people")]),
    ("h", "3. Recommendations"),
    ("p", "The city should plant 2,000 trees a year on the hottest blocks first, coat every school roof "
          "by 2027, and publish the sensor data monthly so that residents can check the results.{4} The "
          "existing pavement repair budget of EUR 3.2 million a year can cover the first two measures "
          "if resurfacing is scheduled together with planting."),
]
NOTES_2 = [
    ("3", "Parks Department price list 2025; coating prices are quotes from two suppliers."),
    ("4", "A monthly release matches the practice of the regional air-quality network."),
]


class Brief:
    """Places header, paragraphs with raised markers, footnotes and the footer by hand."""

    def __init__(self) -> None:
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_title("Cooling Streets Without New Budgets")
        self.pdf.set_author("Eastbrook City Environment Office (fictional)")
        self.pdf.set_creation_date(datetime(2025, 4, 14, tzinfo=timezone.utc))
        self.y = 0.0

    def page(self, number: int, blocks: list, notes: list) -> None:
        self.pdf.add_page()
        self._font(9)
        self.pdf.text(LEFT, 40, HEADER)
        self.pdf.set_line_width(0.4)
        self.pdf.line(LEFT, 47, RIGHT, 47)
        self.y = 90.0
        for kind, content in blocks:
            getattr(self, f"_{kind}")(content)
        self._notes(notes)
        self._font(9)
        label = str(number)
        self.pdf.text((595 - self.pdf.get_string_width(label)) / 2, 810, label)

    def _font(self, size: float, style: str = "") -> None:
        self.pdf.set_font("helvetica", style, size)

    def _title(self, text: str) -> None:
        self._font(17, "B")
        self.pdf.text(LEFT, self.y, text)
        self.y += 22

    def _byline(self, text: str) -> None:
        self._font(8.5)
        self.pdf.text(LEFT, self.y, text)
        self.y += 28

    def _h(self, text: str) -> None:
        self._font(11.5, "B")
        self.pdf.text(LEFT, self.y, text)
        self.y += 18

    def _p(self, text: str) -> None:
        for line in self._wrap(text):
            self._line(line)
            self.y += PITCH
        self.y += 10

    def _wrap(self, text: str) -> list[str]:
        self._font(BODY)
        lines, current = [], ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if self.pdf.get_string_width(MARKER.sub("", trial)) > RIGHT - LEFT and current:
                lines.append(current)
                current = word
            else:
                current = trial
        return lines + [current]

    def _line(self, line: str) -> None:
        """Draw one line; ``{n}`` becomes a raised 6.5 pt marker."""
        x = LEFT
        for i, part in enumerate(MARKER.split(line)):
            if i % 2:
                self._font(6.5)
                self.pdf.text(x, self.y - 4, part)
                x += self.pdf.get_string_width(part) + 0.5
            elif part:
                self._font(BODY)
                self.pdf.text(x, self.y, part)
                x += self.pdf.get_string_width(part)

    def _table(self, rows: list) -> None:
        self._font(10)
        self.pdf.set_xy(LEFT, self.y - 8)
        with self.pdf.table(width=380, col_widths=(110, 110, 160), align="LEFT", line_height=14) as table:
            for row in rows:
                cells = table.row()
                for cell in row:
                    cells.cell(cell)
        self.y = self.pdf.get_y() + 26

    def _notes(self, notes: list) -> None:
        lines = [(m, t) for m, t in notes]
        y = 790 - 11 * sum(len(self._wrap_note(t)) for _, t in lines)
        self.pdf.set_line_width(0.5)
        self.pdf.line(LEFT, y - 12, LEFT + 130, y - 12)
        for marker, text in lines:
            for k, row in enumerate(self._wrap_note(text)):
                self._font(8)
                self.pdf.text(LEFT, y, f"{marker} {row}" if k == 0 else row)
                y += 11

    def _wrap_note(self, text: str) -> list[str]:
        self._font(8)
        lines, current = [], ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if self.pdf.get_string_width(trial) > RIGHT - LEFT - 10 and current:
                lines.append(current)
                current = word
            else:
                current = trial
        return lines + [current]

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def build() -> bytes:
    brief = Brief()
    brief.page(1, PAGE_1, NOTES_1)
    brief.page(2, PAGE_2, NOTES_2)
    return brief.output()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    target.write_bytes(build())
    sys.stdout.write(f"wrote {target}\n")
