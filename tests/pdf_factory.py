"""Small PDFs built with fpdf2 at test time, one per layout feature.

Positions are in points on an A4 page (595 x 842), ``y`` is the baseline.
Core fonts (Helvetica) cover Latin text; circled markers need DejaVu Sans,
which is used only when the machine has it (``DEJAVU`` is None otherwise).
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF, FontFace

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


# --------------------------------------------------------------------------- boilerplate (research reports, theses)

_CJK_SOURCES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)


def cjk_source() -> Path | None:
    """The installed CJK font collection (its first face is a Hei: WenQuanYi Micro Hei), or None."""
    return next((p for p in _CJK_SOURCES if p.is_file()), None)


@functools.cache
def cjk_font() -> Path | None:
    """A CJK TrueType font for fpdf2, or None when the machine has none (tests skip then).

    The first face of an installed collection is saved under the neutral name
    ``ReportSans``: a family name such as *Micro Hei* would make every line
    look bold to the layout (CJK headings are told apart by a Hei face).
    """
    source = cjk_source()
    if source is None:
        return None
    from fontTools.ttLib import TTCollection

    font = TTCollection(str(source)).fonts[0]
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6, 16):
            record.string = "ReportSans"
    out = Path(tempfile.gettempdir()) / f"claimledger-reportsans-{source.stem}.ttf"
    if not out.is_file():
        tmp = out.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(tmp))
        tmp.replace(out)
    return out


class CjkBuilder(PdfBuilder):
    """A PdfBuilder whose default face is the CJK font (Latin text comes out of it too)."""

    def __init__(self, title: str | None = None, *, hei: bool = False) -> None:
        """``hei=True`` embeds the collection's own face, whose name says Hei (as Microsoft YaHei does)."""
        super().__init__(title)
        font = cjk_source() if hei else cjk_font()
        if font is None:
            raise RuntimeError("no CJK font installed")
        self.pdf.add_font("cjk", "", str(font))

    def text(self, x: float, y: float, s: str, size: float = BODY, style: str = "", font: str = "cjk") -> PdfBuilder:
        return super().text(x, y, s, size, style, font)

    def width(self, s: str, size: float = BODY, style: str = "", font: str = "cjk") -> float:
        return super().width(s, size, style, font)

    def lines(self, x: float, y: float, rows: Sequence[str], size: float = BODY, pitch: float = PITCH) -> float:
        for row in rows:
            self.text(x, y, row, size=size)
            y += pitch
        return y

    def grid(self, x: float, y: float, rows: Sequence[Sequence[str]], widths: Sequence[float], size: float = 9) -> None:
        """A ruled table: every cell boxed, text set inside."""
        self.pdf.set_font("cjk", "", size)
        self.pdf.set_xy(x, y)
        plain = FontFace(emphasis="")
        with self.pdf.table(width=sum(widths), col_widths=tuple(widths), align="LEFT", headings_style=plain) as table:
            for row in rows:
                cells = table.row()
                for cell in row:
                    cells.cell(cell)


#: Body text of the made-up broker report (our own wording).
REPORT_BODY = [
    "公司发布年度业绩预告，预计全年营业收入同比增长百分之十八，达到三十二亿元。",
    "我们认为新产能在下半年释放，毛利率有望回升至百分之二十五左右。",
    "海外订单占比提升，带动公司整体盈利能力改善，现金流保持稳健。",
    "预计明年净利润为四点五亿元，对应每股收益零点九元。",
]
REPORT_TABLE = (("指标", "2024年", "2025年"), ("营业收入（亿元）", "27.1", "32.0"), ("净利润（亿元）", "3.6", "4.5"))


def broker_report_pdf(pages: int = 3) -> bytes:
    """A research report: key-figures sidebar on page 1, body and a ruled table, then back matter.

    The last page carries 分析师声明, 免责声明, a ruled 投资评级说明 table and a
    联系方式 block: figures there (15%, 5%, addresses) are not the report's.
    """
    b = CjkBuilder()
    for n in range(1, pages + 1):
        b.page()
        b.text(LEFT, 40, "某证券研究所 公司研究 点评报告", size=8)
        if n == 1:
            b.text(LEFT, 80, "业绩稳健增长，新产能释放在即", size=16)
            side_x = 400.0
            for i, row in enumerate((
                "投资评级：买入（维持）", "目标价：48.60元", "当前股价：36.20元",
                "总股本：5.02亿股", "总市值：181.7亿元", "52周最高/最低：41.3/28.9元",
                "分析师：张某某", "执业证书编号：S0000000000001",
            )):
                b.text(side_x, 120 + 14 * i, row, size=8)
            y = 120.0
            for row in REPORT_BODY:
                b.text(LEFT, y, row[:25], size=10)
                b.text(LEFT, y + 15, row[25:], size=10)
                y += 36
            b.grid(LEFT, y, REPORT_TABLE, (120, 80, 80))
        elif n < pages:
            b.text(LEFT, 80, f"{n}. 盈利预测与估值", size=13)
            b.lines(LEFT, 110, [row[:38] for row in REPORT_BODY], size=10, pitch=15)
        else:
            b.text(LEFT, 80, f"{n}. 风险提示", size=13)
            b.lines(LEFT, 105, ["原材料价格大幅上涨的风险；海外需求不及预期的风险。"], size=10)
            b.text(LEFT, 140, "分析师声明", size=10, style="")
            b.lines(LEFT, 158, ["本报告署名分析师具有中国证券业协会授予的证券投资咨询执业资格，",
                                "保证报告所采用的数据均来自合规渠道，结论不受任何第三方的授意。"], size=8, pitch=11)
            b.text(LEFT, 195, "免责声明", size=10)
            b.lines(LEFT, 213, ["本报告仅供本公司客户使用，不构成对任何人的投资建议。",
                                "在任何情况下，本公司不对任何人因使用本报告中的内容所导致的损失负责。"], size=8, pitch=11)
            b.text(LEFT, 250, "投资评级说明", size=10)
            b.grid(LEFT, 262, (("买入", "预期未来6个月内相对基准指数涨幅在15%以上"),
                               ("增持", "预期未来6个月内相对基准指数涨幅在5%至15%之间")), (60, 280), size=8)
            b.text(LEFT, 330, "联系方式", size=10)
            b.lines(LEFT, 348, ["地址：某市某区某路88号 邮编：100000", "电话：010-12345678"], size=8, pitch=11)
        b.text(280, 810, str(n), size=9)
    return b.output()


def thesis_front_pdf() -> bytes:
    """A thesis: 独创性声明 page, 版权使用授权书 page, 目录 with dot leaders, then the first chapter."""
    b = CjkBuilder()
    b.page()
    b.text(230, 90, "独创性声明", size=16)
    b.lines(LEFT, 130, ["本人声明所呈交的学位论文是本人在导师指导下进行的研究工作及取得的研究成果。",
                        "据我所知，除了文中特别加以标注的地方外，论文中不包含其他人已经发表的成果。"], size=11)
    b.text(LEFT, 200, "签名：          日期：2024年5月20日", size=11)
    b.page()
    b.text(210, 90, "版权使用授权书", size=16)
    b.lines(LEFT, 130, ["本学位论文作者完全了解学校有关保留、使用学位论文的规定，",
                        "同意学校保留并向国家有关部门送交论文的复印件和电子版，共计2份。"], size=11)
    b.page()
    b.text(260, 90, "目  录", size=16)
    y = 130.0
    for title, page in (("第一章 绪论", 1), ("1.1 研究背景", 1), ("1.2 研究意义", 3), ("第二章 文献综述", 7)):
        label = f"{title} "
        dots = "." * int((380 - b.width(label, 11)) / b.width(".", 11))
        b.text(LEFT, y, f"{label}{dots} {page}", size=11)
        y += 20
    b.page()
    b.text(240, 90, "第一章 绪论", size=16)
    b.lines(LEFT, 130, ["近十年来，城市轨道交通里程增长了三倍，客运量年均增长百分之九。",
                        "本文研究客流预测方法在线网规划中的应用。"], size=11)
    return b.output()


def english_report_pdf() -> bytes:
    """An English research note (core fonts only): contents with leaders, body, certification, disclosures."""
    b = PdfBuilder()
    b.page()
    b.text(LEFT, 80, "Contents", size=14, style="B")
    y = 110.0
    for title, page in (("Summary", 1), ("Outlook", 2), ("Valuation", 3)):
        b.text(LEFT, y, f"{title} {'.' * 60} {page}")
        y += 16
    b.page()
    b.text(LEFT, 80, "1. Outlook", size=14, style="B")
    b.lines(LEFT, 105, ["Revenue grew by 18% to 3.2 billion in the year, and we expect margins to",
                        "recover to 25% as the new plant ramps up in the second half."])
    b.text(LEFT, 160, "Analyst Certification", size=11, style="B")
    b.lines(LEFT, 178, ["The analyst certifies that the views expressed reflect personal views",
                        "and that no part of compensation was related to the 3 recommendations."], size=8, pitch=11)
    b.text(LEFT, 215, "Important Disclosures", size=11, style="B")
    b.lines(LEFT, 233, ["Buy: expected total return above 15% over 12 months.",
                        "Sell: expected total return below -5% over 12 months."], size=8, pitch=11)
    return b.output()


_PHRASES = (
    "公司{y}年实现营业收入{a}亿元，同比增长{p}%，其中海外业务收入占比提升至{q}%。",
    "受原材料价格回落影响，毛利率较上年提高{d}个百分点，达到{q}%。",
    "我们预计行业需求在下半年逐步回暖，龙头企业的市场份额有望继续提升。",
    "截至{y}年末，公司在手订单金额约为{a}亿元，可覆盖未来一年左右的收入。",
    "费用端保持稳定，销售费用率为{d}%，管理费用率同比下降{d}个百分点。",
    "经营活动现金流净额为{a}亿元，资产负债率下降至{q}%，财务结构持续优化。",
    "新建产能{a}万吨预计于{y}年投产，届时总产能将提升约{p}%。",
    "行业集中度提升的趋势明确，政策端对落后产能的约束进一步加强。",
)


_HEADINGS = ("行业需求稳步回升", "盈利能力持续改善", "产能扩张进入兑现期", "估值处于历史低位", "海外市场打开成长空间")


def research_report_pdf(pages: int = 12, seed: int = 0) -> bytes:
    """A long broker report for the benchmark: dense two-line-per-paragraph body, tables, notes, back matter.

    Page 1 carries the key-figures sidebar, every page a running header, a
    page-number footer and numbered section headings, every third page a ruled table, every fourth a
    footnote zone, the last page 分析师声明/免责声明.  Text is ours, composed
    from :data:`_PHRASES` with seeded figures.
    """
    import random

    rnd = random.Random(seed)
    b = CjkBuilder()

    def sentence() -> str:
        return rnd.choice(_PHRASES).format(
            y=rnd.randint(2019, 2025), a=f"{rnd.uniform(1, 500):.1f}", p=f"{rnd.uniform(1, 60):.1f}",
            q=f"{rnd.uniform(10, 90):.1f}", d=f"{rnd.uniform(0.1, 5):.1f}",
        )

    def paragraph(x: float, y: float, width: float, size: float = 10) -> float:
        text = "".join(sentence() for _ in range(rnd.randint(2, 4)))
        b.pdf.set_font("cjk", "", size)
        b.pdf.set_xy(x, y - size)
        b.pdf.multi_cell(width, size * 1.5, text, align="J")
        return b.pdf.get_y() + size + 6

    for n in range(1, pages + 1):
        b.page()
        b.text(LEFT, 40, "某证券研究所 行业深度报告 请务必阅读正文之后的免责声明部分", size=8)
        b.rule(LEFT, RIGHT, 46)
        width = RIGHT - LEFT
        y = 80.0
        if n == 1:
            b.text(LEFT, 70, "行业景气回升，龙头企业盈利改善", size=16)
            for i, row in enumerate(("投资评级：增持（维持）", "目标价：32.50元", "当前股价：25.10元", "总市值：88.3亿元",
                                     "52周最高/最低：30.2/21.4元", "分析师：李某某", "执业证书编号：S0000000000002")):
                b.text(420, 100 + 14 * i, row, size=8)
            width, y = 320.0, 100.0
        if n == pages:
            b.text(LEFT, y, "分析师声明", size=10)
            y = b.lines(LEFT, y + 18, ["本报告署名分析师保证报告所采用的数据均来自合规渠道。"] * 3, size=8, pitch=11)
            b.text(LEFT, y + 10, "免责声明", size=10)
            b.lines(LEFT, y + 28, ["本报告仅供本公司客户使用，不构成对任何人的投资建议。"] * 6, size=8, pitch=11)
        else:
            limit = 640.0 if n % 4 == 0 else 760.0
            section = 0
            while y < limit - 60:
                if n > 1 and (y < 100 or (section < 2 and y > 420)):
                    section += 1
                    b.text(LEFT, y + 4, f"{n}.{section} {rnd.choice(_HEADINGS)}", size=12)
                    y += 28
                    continue
                if n % 3 == 0 and 300 < y < 420:
                    b.text(LEFT, y, f"表{n // 3}：主要财务指标预测", size=9)
                    rows = [("指标", "2024A", "2025E", "2026E")] + [
                        (name, *(f"{rnd.uniform(1, 300):.1f}" for _ in range(3)))
                        for name in ("营业收入（亿元）", "归母净利润（亿元）", "每股收益（元）", "市盈率（倍）")
                    ]
                    b.grid(LEFT, y + 8, rows, (140, 80, 80, 80))
                    b.text(LEFT, y + 110, "资料来源：公司公告，某证券研究所", size=8)
                    y += 130
                    continue
                y = paragraph(LEFT, y, width)
            if n % 4 == 0:
                b.rule(LEFT, 200, 700)
                b.lines(LEFT, 715, [f"{k} 数据口径为合并报表，未经审计，第{k}项说明。" for k in range(1, 4)], size=8, pitch=11)
        b.text(290, 810, str(n), size=9)
    return b.output()
