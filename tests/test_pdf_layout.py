"""load_pdf against the shared fixture PDFs (ground truth in *.layout.json) and small fpdf2 PDFs."""

from __future__ import annotations

import functools
import json
import os
import re
import unicodedata
from pathlib import Path

import pytest

try:  # tests/ may or may not be a package
    from tests import pdf_factory as factory
except ImportError:
    import pdf_factory as factory  # type: ignore[no-redef]
from extractors.errors import CorruptPdf, EmptySource, EncryptedPdf, NoTextLayer, SourceError
from extractors.load.pdf_glyphs import Glyph, group_lines, join_lines, render
from extractors.load.pdf_layout import load_pdf
from extractors.textmap import MappedText
from extractors.types import LoadedDocument

PDFS = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "pdf"
_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
FIXTURES = ("deepseek_resilience_paper", "english_policy_brief")


def squash(text: str) -> str:
    """Compare modulo white space and full-width forms."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@functools.cache
def _fixture(name: str) -> tuple[LoadedDocument, dict]:
    """Each shared PDF is loaded once per test session (LoadedDocument is immutable)."""
    pdf = PDFS / f"{name}.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} not found next to the checkout")
    truth = json.loads((PDFS / f"{name}.layout.json").read_text(encoding="utf-8"))
    return load_pdf(pdf.read_bytes()), truth


@pytest.fixture(scope="module", params=FIXTURES)
def fixture_doc(request: pytest.FixtureRequest) -> tuple[LoadedDocument, dict]:
    return _fixture(request.param)


@pytest.fixture(scope="module")
def english() -> tuple[LoadedDocument, dict]:
    return _fixture("english_policy_brief")


def _origins_ok(doc: LoadedDocument, text: MappedText) -> bool:
    """Each char is its raw char, a superscript of it, or inserted white space/separator."""
    for ch, at in zip(text.text, text.origin):
        if not 0 <= at < len(doc.raw):
            return False
        raw = doc.raw[at]
        if ch != raw and ch.translate(_SUPER) != raw and ch not in " \n|":
            return False
    return True


# --------------------------------------------------------------------------- shared fixtures


def test_pdf_layout_one_page_per_pdf_page(fixture_doc):
    doc, truth = fixture_doc
    assert doc.kind == "pdf"
    assert [p.index for p in doc.pages] == list(range(truth["page_count"]))


def test_pdf_layout_page_numbers(fixture_doc):
    doc, truth = fixture_doc
    expected = [int(unicodedata.normalize("NFKC", p["page_label"])) for p in truth["pages"]]
    assert [p.number for p in doc.pages] == expected


def test_pdf_layout_header_removed_from_body(fixture_doc):
    doc, truth = fixture_doc
    for page, gt in zip(doc.pages, truth["pages"]):
        if gt["header"] is None:
            assert page.header is None, page.index
            continue
        assert squash(page.header or "") == squash(gt["header"]), page.index
        assert squash(gt["header"]) not in squash(page.body.text), page.index
        body_lines = {squash(line) for line in page.body.text.split("\n")}
        assert squash(gt["header"]) not in body_lines


def test_pdf_layout_page_number_not_left_in_body(fixture_doc):
    doc, truth = fixture_doc
    for page, gt in zip(doc.pages, truth["pages"]):
        assert squash(page.footer or "") == squash(gt["page_label"])
        last_block = page.body.text.rsplit("\n\n", 1)[-1]
        assert squash(last_block) != squash(gt["page_label"])


def test_pdf_layout_footnotes_on_the_right_page(fixture_doc):
    doc, truth = fixture_doc
    for page, gt in zip(doc.pages, truth["pages"]):
        got = [(n.marker, squash(n.body.text)) for n in page.notes]
        want = [(f["marker"], squash(f["text"])) for f in gt["footnotes"]]
        assert got == want, page.index


def test_pdf_layout_footnote_bodies_not_in_body(fixture_doc):
    doc, truth = fixture_doc
    for page, gt in zip(doc.pages, truth["pages"]):
        for note in gt["footnotes"]:
            assert squash(note["text"])[:20] not in squash(page.body.text)


def test_pdf_layout_body_markers_on_the_right_page(fixture_doc):
    doc, truth = fixture_doc
    for page, gt in zip(doc.pages, truth["pages"]):
        body = page.body.text
        for marker in set(gt["body_markers"]):
            sup = marker.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
            assert body.count(sup) >= gt["body_markers"].count(marker), (page.index, marker)


def test_pdf_layout_origins_point_into_raw(fixture_doc):
    doc, _ = fixture_doc
    for page in doc.pages:
        assert _origins_ok(doc, page.body)
        for note in page.notes:
            assert _origins_ok(doc, note.body)
            assert doc.raw[note.body.origin[0]] == note.body.text[0]


def test_pdf_layout_raw_has_one_form_feed_per_page(fixture_doc):
    doc, truth = fixture_doc
    assert doc.raw.count("\f") == truth["page_count"]
    assert doc.raw.endswith("\f")


def test_pdf_layout_metadata(fixture_doc):
    doc, truth = fixture_doc
    assert doc.published is None  # reportlab's reproducible-build placeholder date is no publication date
    assert doc.language == truth["language"]
    assert doc.title


def test_pdf_layout_raised_digits_become_superscripts(english):
    doc, _ = english
    body = doc.pages[0].body.text
    assert "comparable systems.¹ Its" in body
    assert "roughly 27 to 1.²" in body
    assert "1.2 This" not in body


def test_pdf_layout_english_paragraphs_and_headings(english):
    doc, _ = english
    blocks = doc.pages[0].body.text.split("\n\n")
    assert "Summary" in blocks
    assert "1. The price gap in numbers" in blocks
    assert any(b.startswith("In January 2025 a Chinese laboratory") and b.endswith("designed to constrain.") for b in blocks)


def test_pdf_layout_every_heading_is_its_own_paragraph_after_normalization(fixture_doc):
    """Each h1/h2/h3 line of the layout truth is a whole paragraph of the stored text.

    Two heading levels set one after the other ("（二）…" at 11 pt, "１．…" at
    10.5 pt) once ran together, and the normalizer then glued the too-long
    "heading" to the paragraph under it.
    """
    doc, truth = fixture_doc
    from extractors.document import build_document

    text = build_document(doc, source="fixture.pdf", sha256="0" * 64).text
    paragraphs = {squash(p) for p in text.split("\n\n")}
    headings = [line["text"] for page in truth["pages"] for line in page.get("lines", [])
                if line.get("kind") in ("h1", "h2", "h3")]
    assert headings or truth["language"] != "zh"
    assert [h for h in headings if squash(h) not in paragraphs] == []


def test_pdf_layout_private_use_hyphen_at_line_end_joins_the_word():
    """``Ｄｅｅｐ\ue011`` / ``Ｓｅｅｋ…`` across a line break is one word, as in the text-layer path."""
    doc, _ = _fixture("deepseek_resilience_paper")
    body = "".join(p.body.text for p in doc.pages)
    assert "Ｄｅｅｐ\ue011 Ｓｅｅｋ" not in body and "Ｄｅｅｐ Ｓｅｅｋ" not in body
    assert "改写了 ＡＩ产业链的竞争法则。ＤｅｅｐＳｅｅｋ的算法效率革命" in body
    left = MappedText.from_raw("改写了竞争法则。Ｄｅｅｐ\ue011")
    assert join_lines(left, MappedText.from_raw("Ｓｅｅｋ的算法")).text == "改写了竞争法则。ＤｅｅｐＳｅｅｋ的算法"


def test_pdf_layout_cjk_lines_joined_without_spaces():
    doc, _ = _fixture("deepseek_resilience_paper")
    body = doc.pages[3].body.text
    # a sentence that wraps in the PDF ("...限制" / "了中国开发工具链...")
    assert "这种排他性单边技术标准，极大限制了中国" in body
    assert "数据来源：程燕林：《技术标准：中美博弈的新竞技场》" in [c.text for c in doc.pages[3].captions]


def test_pdf_layout_cjk_three_line_table_is_one_block():
    doc, _ = _fixture("deepseek_resilience_paper")
    blocks = doc.pages[9].body.text.split("\n\n")
    tables = [b for b in blocks if " | " in b]
    assert len(tables) == 1
    rows = tables[0].split("\n")
    assert rows[0] == "时间线 | 全球云厂商接入或上架ＤｅｅｐＳｅｅｋ的动作"
    assert len(rows) == 11


# --------------------------------------------------------------------------- built PDFs


def test_pdf_layout_running_header_and_page_numbers():
    doc = load_pdf(factory.furniture_pdf(3))
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert {p.header for p in doc.pages} == {"Regional Transport Review - Spring Issue"}
    assert [p.footer for p in doc.pages] == ["Page 1", "Page 2", "Page 3"]
    for page in doc.pages:
        assert "Regional Transport Review" not in page.body.text
        assert "Page" not in page.body.text
        assert page.body.text.count("\n\n") == 1  # two paragraphs
        assert "spending on transport" in page.body.text


def test_pdf_layout_footnote_continues_on_next_page():
    doc = load_pdf(factory.footnotes_pdf())
    first, second = doc.pages
    assert [n.marker for n in first.notes] == ["1", "2"]
    assert first.notes[1].body.text == (
        "Council minutes of 12 March 2024, item 4, which also discuss the consultation that preceded the decision."
    )
    assert [(n.marker, n.body.text) for n in second.notes] == [("3", "Council press release, 2 October 2024.")]
    assert "consultation" not in second.body.text
    assert "rose by 43%¹ in the first" in first.body.text
    assert "43%1" not in first.body.text
    sup = first.body.text.index("¹")
    assert doc.raw[first.body.origin[sup]] == "1"


@pytest.mark.skipif(factory.DEJAVU is None, reason="DejaVu Sans is not installed")
def test_pdf_layout_circled_markers_kept():
    doc = load_pdf(factory.circled_pdf())
    page = doc.pages[0]
    assert "new rules① took effect." in page.body.text
    assert [(n.marker, n.body.text) for n in page.notes] == [("①", "Trade Bulletin No. 5, 2023.")]


def test_pdf_layout_two_columns_read_column_by_column():
    doc = load_pdf(factory.two_column_pdf())
    body = doc.pages[0].body.text
    assert body.startswith("Two Column Findings\n\n")
    left_end = body.index("Left column line 8")
    assert left_end < body.index("Right column line 1")
    assert "article. Right" not in body.replace("\n\n", " | ")


def test_pdf_layout_ruled_table_block():
    doc = load_pdf(factory.table_pdf())
    blocks = doc.pages[0].body.text.split("\n\n")
    assert blocks == [
        "Costs rose in both regions, as the table below shows in detail.",
        "Region | Cost\nNorth | 1,200\nSouth | 950",
        "After the table the text goes on with a closing remark.",
    ]


def test_pdf_layout_lost_spaces_and_dehyphenation():
    doc = load_pdf(factory.lost_spaces_pdf())
    page = doc.pages[0]
    assert page.body.text.startswith("School of Business Studies\n\n")
    assert "the regional government agreed" in page.body.text
    assert " " not in doc.raw.split("\n")[0]  # the spaces were inserted, not read
    space = page.body.text.index(" ")
    assert doc.raw[page.body.origin[space]] == "o"  # anchored at the next glyph


def test_pdf_layout_headings_captions_sources_are_blocks():
    doc = load_pdf(factory.headings_pdf())
    page = doc.pages[0]
    blocks = page.body.text.split("\n\n")
    assert blocks[0] == "1. Background"
    assert "Figure 2 Monthly ridership, 2023-2024" in blocks
    assert "Source: Regional Statistics Office" in blocks
    assert [c.text for c in page.captions] == ["Figure 2 Monthly ridership, 2023-2024", "Source: Regional Statistics Office"]


def test_pdf_layout_title_from_largest_line_without_metadata():
    doc = load_pdf(factory.two_column_pdf())
    assert doc.title == "Two Column Findings"


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptySource),
        (os.urandom(4096), CorruptPdf),
        (b"%PDF-1.7\n" + os.urandom(2048), CorruptPdf),
        ("truncated", CorruptPdf),
        ("image", NoTextLayer),
    ],
)
def test_pdf_layout_named_errors(data, error):
    if data == "truncated":
        full = factory.furniture_pdf(2)
        data = full[: len(full) // 2]
    elif data == "image":
        data = factory.image_only_pdf()
    with pytest.raises(error) as info:
        load_pdf(data)
    assert isinstance(info.value, SourceError)
    if error is NoTextLayer:
        assert "no text layer; OCR is not supported" in str(info.value)


@pytest.mark.parametrize(
    ("user_password", "given", "opens"),
    [("", None, True), ("", "anything", True), ("s3cret", None, False), ("s3cret", "wrong", False), ("s3cret", "s3cret", True)],
)
def test_pdf_layout_encrypted(user_password, given, opens):
    data = factory.encrypted_pdf(user_password)
    if opens:
        doc = load_pdf(data, password=given)
        assert "Confidential budget figures" in doc.pages[0].body.text
    else:
        with pytest.raises(EncryptedPdf):
            load_pdf(data, password=given)


# --------------------------------------------------------------------------- pure helpers


def _g(text: str, x0: float, top: float, size: float = 10.0, raw: int = 0) -> Glyph:
    return Glyph(text, x0, x0 + size * 0.5, top, top + size, size, "Helvetica", raw=raw)


def test_pdf_layout_group_lines_keeps_raised_marker_in_its_line():
    glyphs = [_g("a", 10, 100), _g("b", 15, 100), _g("1", 20, 97, size=6.5), _g("c", 10, 115)]
    lines = group_lines(glyphs)
    assert [ln.raw_text for ln in lines] == ["ab1", "c"]
    assert [g.raised for g in lines[0].glyphs] == [False, False, True]


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [("经济", "发展", "经济发展"), ("the", "model", "the model"), ("govern-", "ment", "government"), ("Covid-", "19", "Covid-19")],
)
def test_pdf_layout_join_lines(left, right, joined):
    assert join_lines(MappedText.from_raw(left), MappedText.from_raw(right, 50)).text == joined


def test_pdf_layout_render_inserts_space_at_gap():
    glyphs = [_g("a", 10, 0, raw=0), _g("b", 15, 0, raw=1), _g("c", 25, 0, raw=2)]
    text = render(glyphs)
    assert text.text == "ab c"
    assert text.origin == (0, 1, 2, 2)


# --------------------------------------------------------------------------- the example PDF

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "english_policy_brief_sample.pdf"


def test_pdf_layout_example_pdf_is_built_by_its_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_example_pdf", EXAMPLE.with_name("make_example_pdf.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == EXAMPLE.read_bytes()


def test_pdf_layout_example_pdf():
    doc = load_pdf(EXAMPLE.read_bytes())
    assert doc.title == "Cooling Streets Without New Budgets"
    assert doc.published == "2025-04-14"
    assert [p.number for p in doc.pages] == [1, 2]
    assert {p.header for p in doc.pages} == {"Shade and Heat in Eastbrook - Municipal Policy Brief 12"}
    assert [[n.marker for n in p.notes] for p in doc.pages] == [["1", "2"], ["3", "4"]]
    assert doc.pages[0].notes[1].body.text.endswith("The pilot covered the central and northern districts only.")
    first, second = (p.body.text for p in doc.pages)
    assert "between 2000 and 2020.¹ Heat-related" in first
    assert "less than 10%.² The gap" in first
    assert "Shade and Heat" not in first + second
    assert "Street tree | EUR 1,100 | up to 2.8 C on the block" in second.split("\n")
    assert "3. Recommendations" in second.split("\n\n")


def test_pdf_layout_damaged_pdfs_raise_only_named_errors():
    """Flipped bytes and cut-outs in a valid PDF: it loads, or a SourceError names why."""
    import random

    rng = random.Random(7)
    good = factory.table_pdf()
    for _ in range(40):
        data = bytearray(good)
        if rng.random() < 0.5:
            for _ in range(rng.randrange(1, 12)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        else:
            at = rng.randrange(len(data))
            del data[at : at + rng.randrange(1, 400)]
        try:
            load_pdf(bytes(data))
        except SourceError:
            pass


@pytest.mark.parametrize(
    ("text", "number"),
    [("85", 85), ("８５", 85), ("- 3 -", 3), ("Page 2 of 9", 2), ("第２８卷 刘友金", None), ("2024 Annual Report", None)],
)
def test_pdf_layout_page_number_lines(text, number):
    from extractors.load.pdf_furniture import page_number_of

    assert page_number_of(text) == number


def test_pdf_layout_page_number_inside_running_header():
    doc = load_pdf(factory.journal_header_pdf(85, 3))
    assert [p.number for p in doc.pages] == [85, 86, 87]
    assert all("Journal of Urban Policy" in (p.header or "") for p in doc.pages)
    assert all("Journal" not in p.body.text for p in doc.pages)


def test_pdf_layout_overprinted_glyphs_read_once():
    doc = load_pdf(factory.overprinted_pdf())
    assert doc.pages[0].body.text.startswith("Budget Outlook\n\n")
    assert doc.title == "Budget Outlook"


def test_pdf_layout_long_notes_do_not_become_the_body_size():
    doc = load_pdf(factory.long_notes_pdf())
    page = doc.pages[0]
    assert page.body.text == "Only one short sentence carries a note¹."
    assert [n.marker for n in page.notes] == ["1"]
    assert page.notes[0].body.text.endswith("line 7, with many more words in it")


def test_pdf_layout_two_column_notes_read_per_column():
    doc = load_pdf(factory.two_column_notes_pdf())
    page = doc.pages[0]
    assert [(n.marker, n.body.text) for n in page.notes] == [
        ("1", "Note for the left column. It has a second line."),
        ("2", "Note for the right column. It has a second line."),
    ]
    assert page.body.text.index("closing line¹") < page.body.text.index("Right column line 1")


@pytest.mark.parametrize(("raw", "expected"), [
    ("D:20250301120000+08'00'", "2025-03-01"),
    ("D:20000101000000", ""),
    ("D:20000101000000Z", ""),
    ("garbage", ""),
])
def test_pdf_layout_creation_date_placeholders_are_not_publication_dates(raw: str, expected: str) -> None:
    from extractors.load.pdf_open import pdf_date

    assert pdf_date(raw) == expected


def test_pdf_layout_unmapped_glyphs_are_left_out_with_a_warning(monkeypatch) -> None:
    """A glyph whose font has no ToUnicode entry reads as '(cid:N)' in pdfminer: not text, but counted."""
    import dataclasses

    from extractors.load import pdf_open
    from extractors.load.pdf_layout import load_pdf

    real = pdf_open._glyphs_and_shapes

    def with_unmapped(page):  # type: ignore[no-untyped-def]
        glyphs = real(page)
        return tuple(g if i % 7 else dataclasses.replace(g, text="(cid:2556)") for i, g in enumerate(glyphs))

    monkeypatch.setattr(pdf_open, "_glyphs_and_shapes", with_unmapped)
    doc = load_pdf((PDFS / "english_policy_brief.pdf").read_bytes())
    assert "(cid:" not in doc.raw
    assert any("no Unicode mapping" in w for w in doc.warnings)
