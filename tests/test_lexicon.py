"""The layout lexicon: every named pattern and vocabulary pinned by a table of cases.

The strings are written for these tests in the style of Chinese policy papers
and English briefs.
"""

from __future__ import annotations

import re

import pytest

from extractors import lexicon as lx

# --------------------------------------------------------------------------- characters

HAN_CASES = [
    ("中", True), ("国", True), ("〇", True), ("々", True), ("㐀", True),  # ext A
    ("\U00020000", True),  # ext B
    ("\u2f08", True),  # Kangxi radical
    ("あ", False), ("ア", False), ("한", False), ("，", False), ("①", False),
    ("A", False), ("Ａ", False), ("1", False), ("。", False),
]


@pytest.mark.parametrize(("ch", "expected"), HAN_CASES)
def test_is_han(ch: str, expected: bool) -> None:
    assert lx.is_han(ch) is expected


@pytest.mark.parametrize(("ch", "expected"), HAN_CASES)
def test_han_class_body_agrees_with_is_han_in_re_and_regex(ch: str, expected: bool) -> None:
    """The class body works inside a plain ``re`` pattern as well as in ``regex``."""
    assert bool(re.fullmatch(rf"[{lx.HAN}]", ch)) is expected
    assert bool(lx.regex.fullmatch(rf"[{lx.HAN}]", ch)) is expected


CJK_CASES = [
    ("中", True), ("〇", True), ("あ", True), ("ア", True), ("ｱ", True), ("ㄅ", True),
    ("，", True), ("。", True), ("、", True), ("（", True), ("）", True), ("《", True), ("　", True),
    ("“", True), ("”", True), ("—", True), ("…", True), ("·", True), ("①", True), ("㉑", True),
    # Korean separates words with spaces; full-width letters/digits are Latin words and numbers.
    ("한", False), ("ㄱ", False), ("Ａ", False), ("ｚ", False), ("１", False),
    ("a", False), ("1", False), (",", False), (".", False), (" ", False), ("é", False),
]


@pytest.mark.parametrize(("ch", "expected"), CJK_CASES)
def test_is_cjk(ch: str, expected: bool) -> None:
    assert lx.is_cjk(ch) is expected
    assert bool(re.fullmatch(rf"[{lx.CJK}]", ch)) is expected


@pytest.mark.parametrize(
    ("text", "width"),
    [("GDP", 3), ("国内生产总值", 12), ("增长5%", 6), ("“新质生产力”", 14), ("①", 2), ("（Ｈ１００）", 12), ("", 0)],
)
def test_display_width(text: str, width: int) -> None:
    assert lx.display_width(text) == width


def test_class_bodies_are_derived_not_hand_listed() -> None:
    """HAN equals ``\\p{Han}`` over all of Unicode (a spot check across planes)."""
    for code in (0x3006, 0x3007, 0x4DBF, 0x4DC0, 0x9FFF, 0xA000, 0x2A6DF, 0x30000):
        ch = chr(code)
        assert lx.is_han(ch) is bool(lx.regex.match(r"\p{Han}", ch)), hex(code)


def test_class_bodies_equal_their_properties_over_all_of_unicode() -> None:
    """The classes are derived from planes 0-3; no Han, Hangul or CJK character lies beyond them."""
    everything = "".join(map(chr, range(0x110000)))
    for prop, body in ((r"\p{Han}", lx.HAN), (r"\p{Hangul}", lx.HANGUL), ("(?V1)" + lx._CJK_PROP, lx.CJK)):
        by_property = [m.span() for m in lx.regex.finditer(prop + "+", everything)]
        by_class = [m.span() for m in re.finditer(f"[{body}]+", everything)]
        assert by_class == by_property, prop


# --------------------------------------------------------------------------- numerals


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("一百", 100),
     ("一二", None), ("两", None), ("", None), ("3", None), ("第一", None)],
)
def test_cn_ordinal_value(text: str, value: int | None) -> None:
    assert lx.cn_ordinal_value(text) == value


# --------------------------------------------------------------------------- footnote markers

MARKER_CASES = [
    ("⓪", 0), ("①", 1), ("⑩", 10), ("⑳", 20), ("㉑", 21), ("㉟", 35), ("㊱", 36), ("㊿", 50),
    ("❶", 1), ("❿", 10), ("⓫", 11), ("⓴", 20), ("➀", 1), ("➉", 10), ("➊", 1), ("➓", 10),
    ("¹", 1), ("²", 2), ("³", 3), ("⁰", 0), ("⁹", 9),
    # Enumerators and ordinary characters are not note markers.
    ("⑴", None), ("⒈", None), ("1", None), ("１", None), ("*", None), ("Ⓐ", None), ("中", None), ("①②", None),
]


@pytest.mark.parametrize(("ch", "number"), MARKER_CASES)
def test_marker_number(ch: str, number: int | None) -> None:
    assert lx.marker_number(ch) == number
    assert lx.is_footnote_marker(ch) is (number is not None)


def test_circled_markers_run_without_gaps() -> None:
    """Every number 1..50 has a circled marker; 0 has ⓪."""
    assert sorted({lx.marker_number(c) for c in lx.CIRCLED_MARKERS}) == list(range(51))


@pytest.mark.parametrize(
    ("ch", "nxt"),
    [("①", "②"), ("⑳", "㉑"), ("㉟", "㊱"), ("㊿", ""), ("⓪", "①"), ("❿", "⓫"), ("⓴", ""), ("➀", "➁"), ("➉", ""),
     ("➊", "➋"), ("➓", ""), ("¹", "²"), ("⁹", ""), ("1", ""), ("", "")],
)
def test_next_marker_stays_in_its_series(ch: str, nxt: str) -> None:
    assert lx.next_marker(ch) == nxt


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("数字经济规模已达50.2万亿元①，占GDP比重超过四成②。", ["①", "②"]),
        ("第三十一条注释㉛所引的数据", ["㉛"]),
        ("Compute capacity doubled in 2023.¹² Since then", ["¹²"]),
        ("负圈标号❸也用作注号", ["❸"]),
        ("⑴加快建设；⑵深化改革", []),
        ("面积为10m2，不含上标", []),
    ],
)
def test_footnote_markers_pattern(text: str, runs: list[str]) -> None:
    assert [m.group() for m in lx.FOOTNOTE_MARKERS.finditer(text)] == runs


# --------------------------------------------------------------------------- headings

HEADING_CASES = [
    ("一、总体要求", True),
    ("十二、保障措施", True),
    ("二．主要任务", True),
    ("（一）加快发展新质生产力", True),
    ("(三) 强化科技支撑", True),
    ("（4）完善标准体系", True),
    ("1. 引言", True),
    ("1.研究背景", True),
    ("2.3. 数据与方法", True),
    ("３、算力基础设施", True),
    ("５．政策建议", True),
    ("4) Export controls", True),
    ("第二章 数字经济发展现状", True),
    ("第3节 研究设计", True),
    ("第一部分 形势分析", True),
    ("第二篇 区域布局", True),
    ("  一、前言", True),
    ("IV. Policy options", True),
    # Numbers that open running text are not heading numbers.
    ("3.5亿元用于补贴", False),
    ("2023年全国研发经费增长8.1%", False),
    ("1. 2 亿", False),
    ("一是加大投入", False),
    ("第一，要加大投入", False),
    ("十分重要的是", False),
    ("The 2024 budget", False),
    ("In 2023, exports rose", False),
    ("图1 2017—2023年", False),
]


@pytest.mark.parametrize(("line", "expected"), HEADING_CASES)
def test_numbered_heading(line: str, expected: bool) -> None:
    assert bool(lx.NUMBERED_HEADING.match(line)) is expected


@pytest.mark.parametrize(
    ("line", "level"),
    [("一、总体要求", 1), ("十二、保障措施", 1), ("二．主要任务", 1), ("（一）加快发展新质生产力", 2), ("(三)强化科技支撑", 2),
     ("1．加强算力统筹", 3), ("2. 推进东数西算", 3), ("（1）建设国家枢纽节点", 4), ("(2) 完善标准", 4),
     ("第二章 发展现状", None), ("2.3. 数据与方法", None), ("IV. Policy options", None), ("一是加大投入", None),
     ("3.5亿元", None), ("2023年", None)],
)
def test_heading_level_follows_official_document_numbering(line: str, level: int | None) -> None:
    assert lx.heading_level(line) == level


def test_numbered_heading_fragment_embeds_in_re() -> None:
    """The fragment has no groups and works inside a plain ``re`` pattern."""
    rx = re.compile(rf"^\s*(?:{lx.MARKDOWN_HEADING_FRAGMENT}|{lx.NUMBERED_HEADING_FRAGMENT})")
    assert rx.match("## 一、总体要求") and rx.match("（二）重点任务") and not rx.match("3.5亿元")
    assert rx.groups == 0


# --------------------------------------------------------------------------- captions

CAPTION_CASES = [
    ("图1　2017—2023年全国算力规模", ("图", "1"), "图1", "figure"),
    ("图 2：各省数据中心机架数", ("图", "2"), "图2", "figure"),
    ("表1 主要指标", ("表", "1"), "表1", "table"),
    ("表１　重点任务分工", ("表", "１"), "表1", "table"),
    ("表2-1 分地区投资", ("表", "2-1"), "表2-1", "table"),
    ("图三 产业链示意", ("图", "三"), "图3", "figure"),
    ("表十二 附录", ("表", "十二"), "表12", "table"),
    ("Figure 3. Global AI investment, 2015-2024", ("Figure", "3"), "图3", "figure"),
    ("FIGURE 4: Compute by country", ("FIGURE", "4"), "图4", "figure"),
    ("Fig. 5 Chip exports", ("Fig.", "5"), "图5", "figure"),
    ("Table 2: Semiconductor tariffs", ("Table", "2"), "表2", "table"),
    ("Chart 6 - Share of global output", ("Chart", "6"), "图6", "figure"),
    ("Exhibit 7 Data centre capacity", ("Exhibit", "7"), "图7", "figure"),
    ("Exhibit 8", ("Exhibit", "8"), "图8", "figure"),
    ("　图4　能源消费结构", ("图", "4"), "图4", "figure"),
    # Not captions: a label glued to running text, words that merely start with 图/表.
    ("图1显示，算力规模持续扩大", None, None, None),
    ("表明我国数字经济发展迅速", None, None, None),
    ("图书馆数字化转型", None, None, None),
    ("Tables and figures follow", None, None, None),
    ("Figured out in 2023", None, None, None),
    ("如图1所示", None, None, None),
]


@pytest.mark.parametrize(("line", "groups", "label", "kind"), CAPTION_CASES)
def test_caption(line: str, groups: tuple[str, str] | None, label: str | None, kind: str | None) -> None:
    m = lx.CAPTION.match(line)
    if groups is None:
        assert m is None
        return
    assert m is not None and (m["kind"], m["num"]) == groups
    assert lx.caption_label(m["kind"], m["num"]) == label
    assert lx.caption_kind(m["kind"]) == kind


def test_caption_finds_labels_at_every_line_start() -> None:
    text = "正文一段。\n图1　机架规模\n数据来源：工信部\n表2 投资\n"
    assert [m["num"] for m in lx.CAPTION_LINES.finditer(text)] == ["1", "2"]
    assert lx.CAPTION.search(text) is None  # CAPTION itself is anchored at the start


@pytest.mark.parametrize(
    ("text", "found"),
    [("见图1", "图1"), ("（参见表２）", "表２"), ("see Figure 3 below", "Figure 3"), ("as Exhibit 4 shows", "Exhibit 4"),
     ("图书馆", None), ("表明", None)],
)
def test_caption_label_fragment(text: str, found: str | None) -> None:
    m = re.search(lx.CAPTION_LABEL, text, re.IGNORECASE)
    assert (m.group() if m else None) == found


# --------------------------------------------------------------------------- source lines

SOURCE_CASES = [
    ("数据来源：国家统计局，2024年", "数据来源", "国家统计局，2024年"),
    ("资料来源: 中国信通院《中国算力发展指数白皮书》", "资料来源", "中国信通院《中国算力发展指数白皮书》"),
    ("信息来源：工业和信息化部网站", "信息来源", "工业和信息化部网站"),
    ("图片来源：作者自绘", "图片来源", "作者自绘"),
    ("来源：新华社", "来源", "新华社"),
    ("出处：《求是》2024年第3期", "出处", "《求是》2024年第3期"),
    ("Source: IMF World Economic Outlook, April 2024", "Source", "IMF World Economic Outlook, April 2024"),
    ("Sources: OECD; authors' calculations", "Sources", "OECD; authors' calculations"),
    ("Data source: Bloomberg", "Data source", "Bloomberg"),
    ("SOURCE: World Bank", "SOURCE", "World Bank"),
    ("　数据来源：海关总署", "数据来源", "海关总署"),
    # Not source lines.
    ("注：2024年为预估值", None, None),
    ("Note: figures are rounded", None, None),
    ("来源于实践的经验表明", None, None),
    ("Sources of growth shifted", None, None),
    ("数据来源：", None, None),
    ("据国家统计局数据来源于抽样调查", None, None),
]


@pytest.mark.parametrize(("line", "cue", "source"), SOURCE_CASES)
def test_source_line(line: str, cue: str | None, source: str | None) -> None:
    m = lx.SOURCE_LINE.match(line)
    if cue is None:
        assert m is None
        return
    assert m is not None and (m["cue"], m["source"]) == (cue, source)


@pytest.mark.parametrize(
    ("line", "expected"),
    [("数据来源：国家统计局", True), ("注：2024年为预估值", True), ("Note: rounded", True), ("Notes: see annex", True),
     ("Source: IMF", True), ("注意到投资回升", False), ("Notes on methodology", False), ("来源于实践", False)],
)
def test_source_or_note_line(line: str, expected: bool) -> None:
    assert bool(lx.SOURCE_OR_NOTE_LINE.match(line)) is expected


# --------------------------------------------------------------------------- call sites
# Where the copies disagreed, the merged notion is what every caller now sees.
# Each case below failed on at least one of the old copies.

from extractors.load.pdf_blocks import classify  # noqa: E402
from extractors.load.pdf_glyphs import Glyph, Line  # noqa: E402
from extractors.notes.citations_sources import find_captions, find_figure_refs, find_source_lines  # noqa: E402
from extractors.text.normalize import decide_join, is_heading, is_table_caption  # noqa: E402


def _line(text: str) -> Line:
    glyphs = [Glyph(ch, 10.0 * k, 10.0 * k + 9, 0.0, 10.0, 10.0, "SimSun") for k, ch in enumerate(text)]
    return Line(glyphs, size=10.0, top=0.0, bottom=10.0, x0=0.0, x1=10.0 * len(text), raw_text=text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("出处：《中国统计年鉴2024》", "source"),  # only one copy knew 出处
        ("信息来源：工业和信息化部", "source"),
        ("Notes: values are rounded", "source"),
        ("图三 算力规模", "caption"),  # only the claims copy accepted 一二三
        ("图1显示，规模持续扩大", "text"),  # a label glued to running text is not a caption
        ("Exhibit 2: Capacity by region", "caption"),
    ],
)
def test_pdf_line_classes_use_the_lexicon(text: str, kind: str) -> None:
    assert classify(_line(text), 10.0) == kind


def test_captions_source_lines_and_refs_use_the_lexicon() -> None:
    text = (
        "如图１所示，算力规模持续扩大。\n"
        "图１　全国算力规模\n"
        "出处：中国信通院\n"
        "\n"
        "Compute grew fastest in the United States and China over the decade.\n"
        "Other regions followed at a distance.\n"
        "\n"
        "FIGURE 2: Compute by country\n"
        "Data source: Epoch AI\n"
    )
    assert [c.label for c in find_captions(text)] == ["图1", "图2"]
    lines = find_source_lines(text)
    assert [(x.cue, x.source, x.label) for x in lines] == [("出处", "中国信通院", "图1"), ("Data source", "Epoch AI", "图2")]
    assert [r.label for r in find_figure_refs(text)] == ["图1"]


@pytest.mark.parametrize(
    ("block", "heading"),
    [
        ("来源：新华社", True),  # a bare 来源 line is small print of its own (the normalize copy missed it)
        ("Exhibit 3 Data centre capacity", True),
        ("IV. Policy options", True),
        ("第二篇 区域协调发展", True),
        ("图1显示算力规模持续扩大", False),
        ("2023年全国研发经费", False),
    ],
)
def test_normalize_headings_use_the_lexicon(block: str, heading: bool) -> None:
    assert is_heading(block) is heading


def test_normalize_table_caption_is_caption_filtered_by_kind() -> None:
    assert is_table_caption("表一 主要指标")
    assert is_table_caption("Table 2: Semiconductor export controls by country and year, 2018-2024")
    assert not is_table_caption("Table 2 shows that export controls tightened over the whole period")
    assert not is_table_caption("图1 全国算力规模")


def test_normalize_keeps_a_source_line_out_of_the_paragraph() -> None:
    join = decide_join("全国在用算力总规模位居世界第二", "全国在用算力总规模位居世界第二", "出处：中国信通院", blank=False, full_line=False)
    assert join.separator == "\n\n"


from extractors.load.markup import join_space  # noqa: E402
from extractors.notes.footnotes import find_markers, marker_key  # noqa: E402
from extractors.text.sentences import split_sentences  # noqa: E402


@pytest.mark.parametrize(("marker", "key"), [("⓫", "11"), ("➂", "3"), ("⓪", "0"), ("㊿", "50"), ("¹²", "12")])
def test_footnote_keys_cover_every_marker_series(marker: str, key: str) -> None:
    assert marker_key(marker) == key


def test_footnote_finder_reads_the_whole_circled_alphabet() -> None:
    text = "算力规模位居世界第二。⓫此后继续增长➂。"
    assert [(h.marker, h.key) for h in find_markers(text) if h.style == "circled"] == [("⓫", "11"), ("➂", "3")]


def test_join_space_treats_markers_and_quotes_as_cjk() -> None:
    assert join_space("①", "第") == ""  # the markup copy had no enclosed numbers
    assert join_space("”", "据") == ""
    assert join_space("Ａ", "Ｂ") == " "  # full-width Latin words keep their space
    assert join_space("中", "A") == " "


def test_sentence_keeps_a_negative_circled_marker_after_its_stop() -> None:
    text = "全国算力总规模位居世界第二。❶下一步将继续推进。"
    spans = split_sentences(text, language="zh")
    assert [text[s:e] for s, e in spans] == ["全国算力总规模位居世界第二。❶", "下一步将继续推进。"]


from extractors.claims.rules import judge_sentence  # noqa: E402


def _cues(text: str) -> tuple[str, ...]:
    return judge_sentence(text, language="zh" if lx.is_han(text[0]) else "en", numbers=()).cues


@pytest.mark.parametrize(
    ("sentence", "cue", "present"),
    [
        ("如图１所示，东部地区算力占比持续上升。", "cue.citation", True),  # full-width digits (re's \d took them already)
        ("Capacity in the region doubled (see Exhibit 3).", "cue.citation", True),  # Exhibit (claims copy lacked it)
        ("算力总规模较上年增长显著❸。", "cue.citation", True),  # negative circled marker (claims copy stopped at ⑳)
        ("出处：《中国数字经济发展报告》", "gate.meta_line", True),  # 出处 (claims copy lacked it)
        ("Exhibit 4 Data centre capacity by region", "gate.caption", True),
        ("图1显示，东部地区算力占比持续上升。", "gate.caption", False),  # a label glued to text is not a caption
    ],
)
def test_claim_judge_uses_the_lexicon(sentence: str, cue: str, present: bool) -> None:
    assert (cue in _cues(sentence)) is present


from reports.duplicates import claim_key  # noqa: E402


def test_duplicate_claim_key_drops_every_marker_series() -> None:
    """The duplicates check compares claims without their note markers (it stopped at ㊿ but missed ❶ and ⓪)."""
    assert claim_key("算力总规模位居世界第二❶。") == claim_key("算力总规模位居世界第二①。") == claim_key("算力总规模位居世界第二。")


# --------------------------------------------------------------------------- one copy only

from pathlib import Path  # noqa: E402

_ROOT = Path(__file__).resolve().parent.parent
_GUARDED = ("extractors", "reports", "db")

#: Signatures of a private copy of a lexicon notion, as they appear in source text.
#: Each names what to import instead.  Ordinary vocabulary (图表 as a word, a 来源
#: heading in a list of section names, 第一 as an ordinal) does not match.
_COPY_SIGNATURES: dict[str, str] = {
    # Han / CJK: hand-written code-point ranges and range tests.
    r"\\u4e00|\\u9fff|\\u9fa5|\\u3400|\\u4dbf|\\u2e80|\\uf900|\\uac00|\\uff00-|\\u3000-\\u303f|\\U00020000": "HAN / CJK / is_han / is_cjk",
    r"0x4[eE]00|0x9[fF]{3}|0x3400|0x2[eE]80|0x[fF]900|0x20000": "is_han / is_cjk",
    r"一-龥|一-鿿|㐀-": "HAN",
    r"def _?is_(?:cjk|han|ideograph|chinese)\b": "lexicon.is_cjk / is_han",
    # Digits, ASCII and full-width.
    r"０-９|\\uff10|\\uff19": "DIGIT",
    # Footnote markers: circled and superscript sets.
    # (four in a row: a docstring may show "①②⑩ and ¹²³" as examples)
    r"①-|㉑-|㊱-|❶-|➊-|➀-|①②③④|⁰¹²³|¹²³⁴|⁴-⁹": "FOOTNOTE_MARKER_CLASS / CIRCLED_MARKERS / SUPERSCRIPT_DIGITS",
    r"\\u2460|\\u2473|\\u24ea|\\u2776|\\u3251|\\u32b1|\\u00b9|\\u2070|0x2460|0x2776|0x3251|0x32[bB]1": "CIRCLED_MARKERS",
    # Captions and figure labels.
    r"图\\s\*\\d|表\\s\*\\d|\[图表\]|\(\?:图\|表|图\|表\||Figure\|Fig|Fig\\\.\|Table|Figure\\s\*\\d|Table\\s\*\\d": "CAPTION / CAPTION_LABEL",
    # Source lines.
    r"数据来源\||\|数据来源|资料来源\||\|资料来源|出处\||\|出处|数据来源\[|数据来源\\s": "SOURCE_CUE / SOURCE_LINE",
    # Numbered headings.
    r"\[一二三四五六七八九十百?\]\+\[、|\[（\(\]\[一二三|\[\(（\]\[一二三|第\[一二三四五六七八九十[^\]]*\][+*]?\[?章": "NUMBERED_HEADING / heading_level",
}


def _guarded_sources() -> list[Path]:
    files = [p for d in _GUARDED for p in sorted((_ROOT / d).rglob("*.py"))]
    return [p for p in files if p != _ROOT / "extractors" / "lexicon.py"]


def test_no_second_copy_of_a_lexicon_notion() -> None:
    """Caption, source-line, heading, marker and CJK patterns live in extractors/lexicon.py only."""
    found = []
    for path in _guarded_sources():
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for signature, use in _COPY_SIGNATURES.items():
                m = re.search(signature, line)
                if m:
                    found.append(f"{path.relative_to(_ROOT)}:{lineno}: {m.group()!r} -> use lexicon {use}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        (r'_CJK = re.compile(r"[\u4e00-\u9fff]")', True),
        ('    return 0x4E00 <= code <= 0x9FFF', True),
        ('_MARK = re.compile(r"[①-⑳]")', True),
        ('_TRAILERS = "①②③④⑤"', True),
        ('_SUP = "¹²³⁴⁵⁶⁷⁸⁹⁰"', True),
        (r'_NUM = re.compile(r"[0-9０-９]+")', True),
        (r'_H = re.compile(r"第[一二三四五六七八九十百\d]+[章节部分篇]")', True),
        (r'_CAP = re.compile(r"^(?:图|表)\s*\d+")', True),
        (r'_CAP = re.compile(r"[图表]\s*[0-9]+")', True),
        (r'_CAP = re.compile(r"(?:Figure|Fig\.|Table)\s*\d+")', True),
        (r'_SRC = re.compile(r"^(?:数据来源|资料来源|来源)[:：]")', True),
        (r'_H = re.compile(r"^[一二三四五六七八九十]+[、．.]")', True),
        (r'_H = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")', True),
        ('def _is_cjk(ch: str) -> bool:', True),
        # Ordinary vocabulary is not a copy.
        ('_RHETORIC = re.compile(r"试图|企图|图谋|妄图|希望")', False),
        ('_HEADINGS = {"参考文献", "来源", "资料来源", "数据来源"}', False),
        ('_RECOMMEND = re.compile(r"第[一二三四五六七八九十]|[一二三四五六七八九十]是")', False),
        ('   an ASCII run.  Never blanket NFKC: ①②⑩ and ¹²³ must survive.', False),
        ('"figures.label": "图1 / 表2 (Figure/Table map to the same labels)."', False),
        ('_SPACE = re.compile(r"[ \\t\\u3000]+")', False),
    ],
)
def test_copy_signatures_catch_copies_not_vocabulary(line: str, caught: bool) -> None:
    assert any(re.search(sig, line) for sig in _COPY_SIGNATURES) is caught


def test_report_chart_labels_count_curly_quotes_wide() -> None:
    """Chart labels are cut by lexicon.display_width: “ and ” take two columns in a Chinese font."""
    from reports.context import _short

    assert _short("“东数西算”工程：全国一体化算力网络建设") == "“东数西算”工程：全国…"
