"""Boilerplate of research reports and theses stays out of the body; tables stay tables.
Also the faster page reader (glyphs from pdfminer's layout, optional second
process) against pdfplumber's own chars, and figures broken across CJK lines.

The PDFs are built here with fpdf2 (tests/pdf_factory.py, our own text).  The
Chinese ones need a CJK font on the machine (``pdf_factory.cjk_font``); the
English report uses core fonts only and always runs.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import pdfplumber
import pytest

try:  # tests/ may or may not be a package
    from tests import pdf_factory as factory
except ImportError:
    import pdf_factory as factory  # type: ignore[no-redef]
from extractors.document import extract_document
from extractors.lexicon import BOILERPLATE_HEADING, KEY_FIGURE_LABEL, TOC_ENTRY
from extractors.load.pdf_glyphs import glyphs_from_chars, join_lines
from extractors.load.pdf_layout import load_pdf
from extractors.load.pdf_open import _glyphs_and_shapes, _grid_tables, _horizontal_rules, read_pdf
from extractors.textmap import MappedText
from extractors.types import ExtractedDocument, LoadedDocument

PDFS = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "pdf"

needs_cjk = pytest.mark.skipif(factory.cjk_font() is None, reason="no CJK font installed (fonts-wqy-microhei)")


def _visible(doc: LoadedDocument) -> str:
    """Everything a claim or number could come from: bodies, notes, captions."""
    parts = []
    for page in doc.pages:
        parts.append(page.body.text)
        parts += [note.body.text for note in page.notes]
        parts += [caption.text for caption in page.captions]
    return "\n".join(parts)


@functools.cache
def _broker() -> tuple[bytes, LoadedDocument]:
    data = factory.broker_report_pdf()
    return data, load_pdf(data)


@functools.cache
def _broker_extracted() -> ExtractedDocument:
    return extract_document(_broker()[0], source="broker.pdf")


# --------------------------------------------------------------------------- lexicon


@pytest.mark.parametrize(
    ("line", "term"),
    [
        ("免责声明", "免责声明"),
        ("一、分析师声明", "分析师声明"),
        ("【投资评级说明】", "投资评级说明"),
        ("分析师声明：本报告署名分析师", "分析师声明"),
        ("Important  Disclosures", "Important  Disclosures"),
        ("7. Analyst Certification", "Analyst Certification"),
        ("学位论文原创性声明", "学位论文原创性声明"),
        ("目录", "目录"),
        ("免责声明内容见末页", None),  # a sentence that mentions the word
        ("根据免责声明", None),
        ("目录页码", None),
    ],
)
def test_boilerplate_heading(line: str, term: str | None) -> None:
    m = BOILERPLATE_HEADING.match(line)
    assert (m["term"] if m else None) == term


@pytest.mark.parametrize(
    ("line", "entry"),
    [
        ("第一章 绪论 ............ 1", True),
        ("1.1 研究背景……………………3", True),
        ("Introduction . . . . . . . 12", True),
        ("Preface ........ iv", True),
        ("GDP grew by 5.2% in 2024.", False),
        ("合计 ... 1,234.5", False),
    ],
)
def test_toc_entry(line: str, entry: bool) -> None:
    assert bool(TOC_ENTRY.match(line)) is entry


def test_key_figure_labels() -> None:
    assert KEY_FIGURE_LABEL.search("目标价：48.60元")
    assert KEY_FIGURE_LABEL.search("Target price: 12.5")
    assert not KEY_FIGURE_LABEL.search("营业收入同比增长18%")


# --------------------------------------------------------------------------- broker report


@needs_cjk
def test_broker_sidebar_and_back_matter_leave_the_body() -> None:
    _, doc = _broker()
    text = _visible(doc)
    for boiler in ("目标价", "48.60", "执业证书", "181.7", "免责声明", "分析师声明", "授意", "15%", "010-12345678", "联系方式"):
        assert boiler not in text, boiler
    assert "免责声明" in doc.raw and "目标价" in doc.raw  # raw keeps every glyph


@needs_cjk
def test_broker_body_and_table_stay() -> None:
    _, doc = _broker()
    first = doc.pages[0].body.text
    assert "预计全年营业收入同比增长百分之十八，达到三十二亿元。" in first
    assert "营业收入（亿元） | 27.1 | 32.0" in first.splitlines()
    assert "净利润（亿元） | 3.6 | 4.5" in first.splitlines()
    assert "原材料价格大幅上涨的风险" in doc.pages[-1].body.text  # 风险提示 is the report's own text
    assert doc.title == "业绩稳健增长，新产能释放在即"


@needs_cjk
def test_broker_warnings_name_each_section() -> None:
    _, doc = _broker()
    warnings = "\n".join(doc.warnings)
    assert "page 1:" in warnings and "key-figures sidebar" in warnings
    for term in ("分析师声明", "免责声明", "投资评级说明", "联系方式"):
        assert f"'{term}'" in warnings


@needs_cjk
def test_broker_no_number_or_claim_from_boilerplate() -> None:
    doc = _broker_extracted()
    surfaces = {n.surface for n in doc.numbers}
    for boiler in ("48.60元", "36.20元", "181.7亿元", "15%", "5%", "88号"):
        assert not any(boiler in s for s in surfaces), (boiler, surfaces)
    assert "营业收入（亿元） | 27.1 | 32.0" in doc.text[: doc.body_end]  # the table reaches the text
    assert any("三十二亿元" in s for s in surfaces)  # and the body's figures are read
    claims = " ".join(c.text for c in doc.claims)
    assert "免责" not in claims and "买入" not in claims and "执业" not in claims
    assert "免责声明" in " ".join(doc.warnings)


# --------------------------------------------------------------------------- thesis front matter


@needs_cjk
def test_thesis_declarations_and_contents_leave_the_body() -> None:
    doc = load_pdf(factory.thesis_front_pdf())
    assert [p.body.text for p in doc.pages[:3]] == ["", "", ""]
    assert doc.pages[3].body.text.startswith("第一章 绪论")
    assert "客运量年均增长百分之九" in doc.pages[3].body.text
    warnings = "\n".join(doc.warnings)
    assert "'独创性声明'" in warnings and "'版权使用授权书'" in warnings and "'目录'" in warnings


@needs_cjk
def test_thesis_front_matter_gives_no_numbers() -> None:
    doc = extract_document(factory.thesis_front_pdf(), source="thesis.pdf")
    assert not any(n.surface.startswith(("2024年", "2份")) for n in doc.numbers)
    assert all(n.start >= doc.text.index("第一章") for n in doc.numbers)


# --------------------------------------------------------------------------- English and limits


def test_english_report_contents_and_disclosures_leave_the_body() -> None:
    doc = load_pdf(factory.english_report_pdf())
    text = _visible(doc)
    assert doc.pages[0].body.text == ""
    assert "Revenue grew by 18% to 3.2 billion" in text
    for boiler in ("Valuation", "certifies", "Important Disclosures", "above 15%"):
        assert boiler not in text, boiler


def test_a_numbered_heading_reopens_the_text_after_disclosures() -> None:
    b = factory.PdfBuilder()
    b.page()
    b.text(factory.LEFT, 80, "Important Disclosures", size=12, style="B")
    b.lines(factory.LEFT, 100, ["Ratings are relative to the sector over 12 months."], size=8)
    b.text(factory.LEFT, 140, "2. Valuation", size=12, style="B")
    b.lines(factory.LEFT, 160, ["We value the shares at 14 times next year's earnings."])
    body = load_pdf(b.output()).pages[0].body.text
    assert "Ratings are relative" not in body
    assert "2. Valuation" in body and "14 times" in body


def test_a_sentence_naming_a_disclaimer_is_not_boilerplate() -> None:
    b = factory.PdfBuilder()
    b.page()
    b.lines(factory.LEFT, 100, ["The Disclaimer of the fund was revised twice in 2023.",
                                "Contents of the review: costs rose by 4% in the year."])
    b.text(factory.LEFT, 140, "A lone leader line ........ 7")
    body = load_pdf(b.output()).pages[0].body.text
    assert "revised twice in 2023" in body and "costs rose by 4%" in body and "leader line" in body


def test_ordinary_pdfs_lose_nothing() -> None:
    for build in (factory.furniture_pdf, factory.table_pdf, factory.two_column_pdf, factory.headings_pdf):
        doc = load_pdf(build())
        assert not [w for w in doc.warnings if "boilerplate" in w], build.__name__


# --------------------------------------------------------------------------- line joins and page reading


def _mapped(text: str, at: int = 0) -> MappedText:
    return MappedText(text, tuple(range(at, at + len(text))))


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("资产负债率下降至88.8", "%，财务结构持续优化", "资产负债率下降至88.8%，财务结构持续优化"),
        ("毛利率较上年提高4.", "0个百分点", "毛利率较上年提高4.0个百分点"),
        ("the survey covered 2023", "45 people answered", "the survey covered 2023 45 people answered"),
    ],
)
def test_a_figure_broken_across_lines_of_chinese_text_is_joined(left: str, right: str, joined: str) -> None:
    assert join_lines(_mapped(left), _mapped(right, 100)).text == joined


def _pdfs() -> list[bytes]:
    shared = sorted(PDFS.glob("*.pdf")) if PDFS.is_dir() else []
    built = [factory.table_pdf(), factory.furniture_pdf(), factory.footnotes_pdf(), factory.two_column_pdf()]
    if factory.cjk_font() is not None:
        built.append(factory.research_report_pdf(pages=5, seed=3))
    return [p.read_bytes() for p in shared] + built


def test_glyphs_read_from_the_layout_equal_pdfplumber_chars() -> None:
    """The fast reader makes the same glyphs, rules and tables as pdfplumber's own char dicts."""
    for data in _pdfs():
        with pdfplumber.open(io.BytesIO(data)) as fast, pdfplumber.open(io.BytesIO(data)) as slow:
            for a, b in zip(fast.pages, slow.pages):
                assert _glyphs_and_shapes(a) == tuple(glyphs_from_chars(b.chars))
                assert _horizontal_rules(a) == _horizontal_rules(b)
                assert _grid_tables(a) == _grid_tables(b)


def test_reading_in_two_processes_gives_the_same_pages() -> None:
    for data in (factory.furniture_pdf(pages=6), *[p.read_bytes() for p in sorted(PDFS.glob("*.pdf"))][:1]):
        serial, parallel = read_pdf(data, workers=1), read_pdf(data, workers=2)
        assert parallel == serial
        assert [p.index for p in parallel.pages] == list(range(len(serial.pages)))


@needs_cjk
def test_a_body_set_in_a_hei_face_is_text_not_headings() -> None:
    """Broker reports set the body in (Microsoft Ya)Hei: paragraphs must not merge as one 'heading'."""
    b = factory.CjkBuilder(hei=True)
    b.page()
    b.text(factory.LEFT, 80, "公司概况", size=14)
    b.lines(factory.LEFT, 110, ["公司主营工业自动化设备，产品覆盖三十余个国家和地区，客户以大型制造企业为主，",
                                "近年来持续加大研发投入。"], size=10)
    b.text(factory.LEFT + 20, 140, "第二段从缩进开始，说明公司的产能布局与订单情况，下游需求保持稳定增长，", size=10)
    b.text(factory.LEFT, 155, "新工厂预计明年投产。", size=10)
    body = load_pdf(b.output()).pages[0].body.text
    assert body.split("\n\n") == [
        "公司概况",
        "公司主营工业自动化设备，产品覆盖三十余个国家和地区，客户以大型制造企业为主，近年来持续加大研发投入。",
        "第二段从缩进开始，说明公司的产能布局与订单情况，下游需求保持稳定增长，新工厂预计明年投产。",
    ]
