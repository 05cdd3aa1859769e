"""Endnote glossaries in plain text and Markdown (issue 13, the notes part).

A government report may close with notes that explain its slogans:
``［1］一降三减：`` and the explanation on the next line, cited in the body as
``“一降三减”［1］``.  Such a section (with or without a ``注释``/``注：``/
``说明`` heading) must become footnotes linked from the body markers, and
leave the body: no sentence, claim or number may come from it.

The fixtures under ``tests/fixtures/notes/`` are short reports written for
these tests in the format of the real ones.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from extractors.document import extract_document
from extractors.lexicon import GLOSSARY_TERM, LIST_ENTRY_NUMBER, NOTES_HEADINGS
from extractors.notes.citations import parse_citation
from extractors.notes.footnotes import find_markers, find_reference_section, marker_key
from extractors.textmap import MappedText
from extractors.types import ExtractedDocument

NOTES = Path(__file__).parent / "fixtures" / "notes"
REPORTS = ["glossary_report.txt", "notes_heading_report.txt"]


@lru_cache(maxsize=None)
def _extract(name: str) -> ExtractedDocument:
    return extract_document((NOTES / name).read_bytes(), source=name)


def _notes_start(raw: str) -> int:
    """Raw offset where the notes section begins: its heading, or the first ``［1］`` at a line start."""
    heading = raw.find("\n注释：")
    return heading + 1 if heading >= 0 else raw.index("\n［1］") + 1


# ---------------------------------------------------------------- whole documents


@pytest.mark.parametrize("name", REPORTS)
def test_endnotes_every_marker_links_and_every_note_is_cited(name: str) -> None:
    doc = _extract(name)
    raw = (NOTES / name).read_text(encoding="utf-8")
    cited_in_raw = raw[: _notes_start(raw)].count("］")
    assert len(doc.footnote_refs) == cited_in_raw
    assert [r for r in doc.footnote_refs if r.footnote is None] == []
    assert {r.footnote for r in doc.footnote_refs} == set(range(len(doc.footnotes)))
    for ref in doc.footnote_refs:
        note = doc.footnotes[ref.footnote]
        assert marker_key(note.marker) == marker_key(ref.marker)


@pytest.mark.parametrize("name", REPORTS)
def test_endnotes_section_leaves_the_body(name: str) -> None:
    doc = _extract(name)
    raw = (NOTES / name).read_text(encoding="utf-8")
    notes_from = _notes_start(raw)
    body = doc.text[: doc.body_end]
    assert "注释" not in body and "：降低" not in body and "：签约" not in body
    mapped = MappedText.from_runs(doc.text, doc.offset_runs)
    for item in (*doc.sentences, *doc.claims, *doc.numbers):
        assert item.end <= doc.body_end
        assert all(o < notes_from for o in mapped.origin[item.start : item.end])
    note_figures = {"45项", "60%"} if name == "glossary_report.txt" else set()
    assert note_figures.isdisjoint(n.surface for n in doc.numbers)


@pytest.mark.parametrize("name", REPORTS)
def test_endnotes_offsets_are_exact(name: str) -> None:
    """Each footnote body is a slice of the text that maps back to its explanation in the raw file."""
    doc = _extract(name)
    raw = (NOTES / name).read_text(encoding="utf-8")
    mapped = MappedText.from_runs(doc.text, doc.offset_runs)
    for note in doc.footnotes:
        assert doc.text[note.start : note.end] == note.body
        assert note.start >= doc.body_end
        first = mapped.origin[note.start]
        assert raw[first : first + 3] == note.body[:3]
        assert raw[first - 3 : first] == f"［{note.marker}］"
        last = mapped.origin[note.end - 1]
        assert raw[last] == note.body[-1]
    for ref in doc.footnote_refs:
        assert doc.text[ref.start : ref.end] == ref.marker
        assert raw[mapped.origin[ref.start] - 1] == "［"


def test_endnotes_glossary_notes_join_their_lines_and_explain() -> None:
    doc = _extract("glossary_report.txt")
    assert [n.marker for n in doc.footnotes] == ["1", "2", "3", "4"]
    assert doc.footnotes[0].body.startswith("一降三减：降低企业制度性交易成本")
    assert doc.footnotes[3].body == "百千万工程：百县千镇万村高质量发展工程，以县域为重点推进城乡区域协调发展。"
    notes = [c for c in doc.citations if c.footnote is not None]
    assert [c.kind for c in notes] == ["note"] * 4  # an explanation is not a source backing a claim
    assert all(not cites for cites in (doc.claim_citations,))


def test_endnotes_numbered_list_of_the_body_stays() -> None:
    """``1. 加快…`` items inside the report are text: only the cited notes section leaves."""
    doc = _extract("notes_heading_report.txt")
    body = doc.text[: doc.body_end]
    assert "力争全年新开工项目42个" in body
    assert "42个" in {n.surface for n in doc.numbers}


def test_endnotes_markdown_paragraph_of_notes_is_split_on_the_numbers() -> None:
    """A Markdown loader joins soft line breaks: ``［1］…。［2］…`` arrives as one line."""
    md = (
        "---\ntitle: 工作报告\n---\n\n# 工作报告\n\n我们推进“一降三减”［1］改革，深化“放管服”［2］改革，"
        "全年减负18.6亿元。\n\n［1］一降三减：\n降低企业成本，减少审批事项。\n［2］放管服：\n简政放权、放管结合、优化服务。\n"
    )
    doc = extract_document(md.encode("utf-8"), source="report.md")
    assert doc.kind == "markdown"
    assert [(n.marker, n.body) for n in doc.footnotes] == [
        ("1", "一降三减：降低企业成本，减少审批事项。"), ("2", "放管服：简政放权、放管结合、优化服务。")]
    assert [r.footnote for r in doc.footnote_refs] == [0, 1]
    assert "一降三减：" not in doc.text[: doc.body_end]


# ---------------------------------------------------------------- finding the section


def test_endnotes_headingless_glossary_needs_a_citation_in_the_body() -> None:
    cited = "正文提到“两新”［1］。\n\n［1］两新：\n推动大规模设备更新和消费品以旧换新。\n"
    section = find_reference_section(cited)
    assert section is not None and section.heading == ""
    assert [(e.marker, e.text) for e in section.entries] == [("1", "两新：\n推动大规模设备更新和消费品以旧换新。")]
    uncited = "正文提到两新。\n\n［1］两新：\n推动大规模设备更新和消费品以旧换新。\n"
    assert find_reference_section(uncited) is None


@pytest.mark.parametrize(
    "text",
    [
        # a numbered list closing the body, cited nowhere as a note
        "主要任务如下[1]。\n\n1. 重点任务：加快项目建设。\n2. 保障措施：强化要素支撑。\n",
        # entries that do not run 1, 2, 3
        "见“两新”[2]。\n\n[2]两新：设备更新。\n[5]三个一批：签约、开工、投产。\n",
        # text after the glossary: it does not close the document
        "见“两新”[1]。\n\n[1]两新：设备更新。\n\n以上是全部内容，谢谢大家。\n",
    ],
)
def test_endnotes_no_headingless_glossary(text: str) -> None:
    assert find_reference_section(text) is None


@pytest.mark.parametrize("heading", ["注释", "注：", "注 释", "说明", "说明：", "Notes", "Endnotes", "名词解释"])
def test_endnotes_notes_headings(heading: str) -> None:
    text = f"正文提到“两新”①。\n\n{heading}\n①两新：推动设备更新和消费品以旧换新。\n②三个一批：签约一批、开工一批、投产一批。\n"
    section = find_reference_section(text)
    assert section is not None and section.heading == heading
    assert [e.marker for e in section.entries] == ["①", "②"]


def test_endnotes_mid_document_shuoming_is_a_paragraph_title() -> None:
    """A 说明 heading inside the report titles its numbered items; only a trailing one holds notes."""
    text = "一、总体情况\n\n说明\n1. 本表数据为快报数。\n2. 部分数据因四舍五入存在误差。\n\n二、下一步安排\n\n继续推进改革。\n"
    assert find_reference_section(text) is None
    assert find_reference_section(text.split("二、")[0]) is not None


def test_endnotes_wrapped_line_starting_with_a_number_continues_the_entry() -> None:
    """``2): 33-45.`` opening a wrapped line is not entry 2 after entry 7."""
    text = (
        "见文献。\n\n参考文献\n\n6. 张三. 标题[J]. 刊名, 2020, 3(2): 1-10.\n7. 李四. 很长的标题[J]. 刊名, 2021, 14(\n"
        "2): 33-45.\n8. 王五. 书名[M]. 北京: 出版社, 2019.\n"
    )
    section = find_reference_section(text)
    assert section is not None
    assert [e.marker for e in section.entries] == ["6", "7", "8"]
    assert section.entries[1].text.endswith("14(\n2): 33-45.")


# ---------------------------------------------------------------- the shared notions and the parser


@pytest.mark.parametrize(
    "line,number",
    [("[12] 张三", "12"), ("［3］一降三减：", "3"), ("12. Smith", "12"), ("4．王五", "4"), ("(7) 李四", "7"),
     ("（8）赵六", "8"), ("⑫ 注", "⑫"), ("3.5亿元", None), ("[2020]年", None), ("2023年", None)],
)
def test_endnotes_list_entry_number(line: str, number: str | None) -> None:
    m = LIST_ENTRY_NUMBER.match(line)
    got = next((g for g in m.groups() if g), None) if m else None
    assert got == number


@pytest.mark.parametrize(
    "text,term",
    [("一降三减：", "一降三减"), ("“放管服”：简政放权", "“放管服”"), ("Dual circulation: a strategy", "Dual circulation"),
     ("张三. 标题[J]. 刊名: 1-10", None), ("这是一个很长的句子，它并不是一个术语而是正文中的一句话：", None)],
)
def test_endnotes_glossary_term(text: str, term: str | None) -> None:
    m = GLOSSARY_TERM.match(text)
    assert (m.group("term") if m else None) == term


def test_endnotes_notes_headings_vocabulary() -> None:
    assert {"注释", "注", "说明", "notes", "endnotes"} <= NOTES_HEADINGS
    assert "参考文献" not in NOTES_HEADINGS


@pytest.mark.parametrize(
    "raw,kind",
    [
        ("一降三减：降低企业制度性交易成本，减少审批事项。2024年取消审批事项45项。", "note"),
        ("放管服：简政放权、放管结合、优化服务的简称。", "note"),
        ("新华社：国务院常务会议部署相关工作。", "news"),  # an outlet before the colon names a source
        ("Hugging Face Blog: The Future of Open Models", "other"),  # a site and a title, not a glossary
        ("国家统计局：2024年国民经济和社会发展统计公报", "report"),
    ],
)
def test_endnotes_glossary_notes_are_notes_not_sources(raw: str, kind: str) -> None:
    assert parse_citation(raw).kind == kind


def test_endnotes_full_width_bracket_markers_in_raw_text() -> None:
    """Markers are found before width folding too (the section is cut from the raw text)."""
    assert [(h.marker, h.key) for h in find_markers("推进“一降三减”［1］改革与［２，３］")] == [
        ("1", "1"), ("２", "2"), ("３", "3")]


def test_endnotes_numbered_items_inside_a_bracketed_note_stay_in_it() -> None:
    text = (
        "推进“三个一批”［1］与“两新”［2］。\n\n"
        "［1］三个一批：\n1. 签约一批；\n2. 开工一批；\n3. 投产一批。\n［2］两新：\n设备更新和消费品以旧换新。\n"
    )
    section = find_reference_section(text)
    assert section is not None
    assert [e.marker for e in section.entries] == ["1", "2"]
    assert section.entries[0].text == "三个一批：\n1. 签约一批；\n2. 开工一批；\n3. 投产一批。"


def test_endnotes_headingless_circled_glossary() -> None:
    text = "推进“两新”①工作。\n\n①两新：推动设备更新和消费品以旧换新。\n②三个一批：签约一批、开工一批、投产一批。\n"
    section = find_reference_section(text)
    assert section is not None and section.heading == ""
    assert [e.marker for e in section.entries] == ["①", "②"]
