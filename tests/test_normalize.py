"""Tests for extractors.text.normalize: width folding, PUA glyphs, line re-joining, properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.text.normalize import (
    PUA_MAP,
    TABLE_CELL_SEPARATOR,
    Join,
    fold_all,
    fold_char,
    fold_width,
    join_separator,
    normalize,
    normalize_text,
    rejoin_lines,
    table_cells,
)
from extractors.textmap import MappedText


def _fold(s: str) -> str:
    return fold_width(MappedText.from_raw(s)).text


def _rejoin(s: str) -> str:
    return rejoin_lines(MappedText.from_raw(s)).text


# --------------------------------------------------------------------------- fold_width


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ｈｔｔｐｓ：／／ｗｗｗ．ｘ．ｃｏｍ／ａ", "https://www.x.com/a"),
        ("９３．３％", "93.3%"),
        ("１／１０", "1/10"),
        ("１６７２－７８３５（２０２５）０２－００８２－１３", "1672-7835(2025)02-0082-13"),
        ("ＤｅｅｐＳｅｅｋ－Ｒ１", "DeepSeek-R1"),
        ("Ａ１００／Ｈ１００", "A100/H100"),
        ("１，０００家", "1,000家"),
        ("摘　要：在“韧性时代”", "摘 要：在“韧性时代”"),
        ("ＡＩ（人工智能）产业链", "AI（人工智能）产业链"),
        ("禁止算力大于或等于４８００ＴＯＰＳ（如英伟达Ｈ１００）和", "禁止算力大于或等于4800TOPS（如英伟达H100）和"),
        ("超八成来自美国①。因", "超八成来自美国①。因"),
        ("《国际贸易》２０２４年第８期。", "《国际贸易》2024年第8期。"),
        ("“工程创新＋开源普惠”", "“工程创新+开源普惠”"),
        ("支持万亿参数模型（Ｈ１００）ＦＰ６４高性能计算", "支持万亿参数模型（H100）FP64高性能计算"),  # pairs stay pairs
        ("Ａ（１）Ｂ", "A(1)B"),
    ],
)
def test_normalize_fold_width_examples(raw: str, expected: str) -> None:
    assert _fold(raw) == expected


@pytest.mark.parametrize("kept", ["①②⑩", "¹²³", "x²", "，。：；！？（）、“”《》", "中文，标点：保留！"])
def test_normalize_fold_width_keeps_circled_superscripts_and_chinese_punctuation(kept: str) -> None:
    assert _fold(kept) == kept


def test_normalize_fold_width_url_in_seed_footnote() -> None:
    raw = "《美国彻底把中国自动驾驶关在了门外》，ｈｔｔｐｓ：／／ｍｐ．ｗｅｉｘｉｎ．ｑｑ．ｃｏｍ／ｓ／Ｍ３ｗＥＹ－４０ｉ４ｍＸ＿ｎｉＡＦ７ＶｈＨｗ。"
    assert _fold(raw) == "《美国彻底把中国自动驾驶关在了门外》，https://mp.weixin.qq.com/s/M3wEY-40i4mX_niAF7VhHw。"


def test_normalize_fold_width_keeps_origins() -> None:
    mt = MappedText.from_raw("ａ（中）", base=10)
    assert fold_width(mt).origin == (10, 11, 12, 13)


# --------------------------------------------------------------------------- private use


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ｃｈｉｎａ\ue10bｓ", "China's"),
        ("Ｌｏｎｇ\ue011ｂｏａｒｄ", "Long-board"),
        ("Ｄｅｅｐ\ue011\nＳｅｅｋ", "DeepSeek"),
        ("竞争法则。Ｄｅｅｐ\ue011\n\nＳｅｅｋ的算法", "竞争法则。DeepSeek的算法"),
    ],
)
def test_normalize_private_use_glyphs(raw: str, expected: str) -> None:
    result = normalize_text(raw)
    assert result.text.text == expected
    assert result.warnings == ()


def test_normalize_unknown_private_use_is_kept_and_reported() -> None:
    result = normalize_text("前\ue123后")
    assert result.text.text == "前\ue123后"
    assert len(result.warnings) == 1 and "U+E123" in result.warnings[0]


# --------------------------------------------------------------------------- rejoin_lines


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # CJK across a blank line a PDF tool inserted mid-sentence (seed 004)
        (
            "这一战略的核心逻辑在于利用美国在半导体、人工智能芯片领域的优势构建技术壁垒，形成对所有半导\n\n体、ＡＩ芯片等领域的封锁",
            "这一战略的核心逻辑在于利用美国在半导体、人工智能芯片领域的优势构建技术壁垒，形成对所有半导体、ＡＩ芯片等领域的封锁",
        ),
        ("４８００ＴＯＰＳ（如英伟达Ｈ１００）和带宽传输速率大\n于或等于", "４８００ＴＯＰＳ（如英伟达Ｈ１００）和带宽传输速率大于或等于"),
        ("the flow of infor-\nmation is", "the flow of information is"),
        ("a state-\nof-the-art model", "a state-of-the-art model"),
        ("one line\nand the next", "one line and the next"),
        ("一、问题的提出\n\nＡＩ（人工智能）产业链竞争日益成为中美博弈的主战场。", "一、问题的提出\n\nＡＩ（人工智能）产业链竞争日益成为中美博弈的主战场。"),
        ("联合围堵。\n（一）半导体出口管制对ＡＩ产业链关键节点的技术封锁\n半导体出口管制", "联合围堵。\n\n（一）半导体出口管制对ＡＩ产业链关键节点的技术封锁\n\n半导体出口管制"),
        ("可控性。\n２．管制手段长臂化\n美国泛化和滥用", "可控性。\n\n２．管制手段长臂化\n\n美国泛化和滥用"),
        (" 现了从技术适配者向规则重构者的角色跃迁。", "现了从技术适配者向规则重构者的角色跃迁。"),
        ("First paragraph ends here.\n\nSecond one.", "First paragraph ends here.\n\nSecond one."),
        ("- item one\n- item two", "- item one\n\n- item two"),
        ("结语\n\nＤｅｅｐＳｅｅｋ的崛起", "结语\n\nＤｅｅｐＳｅｅｋ的崛起"),
        ("see https://example.com/a/\nb/c.html for more", "see https://example.com/a/b/c.html for more"),
        ("see www.example.com\nand more", "see www.example.com and more"),
        ("《研究》，ｈｔｔｐｓ：／／ｘｕｅｑｉｕ．ｃｏｍ／６８９？ｍｄ５＝ｉ\nｑ０Ｑｐ５。", "《研究》，ｈｔｔｐｓ：／／ｘｕｅｑｉｕ．ｃｏｍ／６８９？ｍｄ５＝ｉｑ０Ｑｐ５。"),
    ],
)
def test_normalize_rejoin_lines_examples(raw: str, expected: str) -> None:
    assert _rejoin(raw) == expected


def test_normalize_rejoin_keeps_paragraph_end_after_short_final_line() -> None:
    raw = (
        "这是一段很长的中文文字它会一直写到这一行的末尾为止然后再继续写下去直到行满为止\n"
        "这是第二行文字也写到了行的末尾处为止然后再继续写下去直到行满为止这是第二行\n"
        "最后一行很短。\n"
        "新的段落从这里开始并且继续写很多很多的文字直到这一行也写满为止然后继续再写"
    )
    out = _rejoin(raw)
    assert out.count("\n\n") == 1
    assert out.split("\n\n")[1].startswith("新的段落")


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("…这种技术标准并", "非基于国际共识，而是单方面定义。", Join(0, "")),
        ("…接冲破了美国对中国ＡＩ产业链的硬件枷锁。", "图４　ＤｅｅｐＳｅｅｋ－Ｒ１大模型算法流程", Join(0, "\n\n")),
        ("the flow of infor-", "mation is", Join(1, "")),
        ("the end of a page and", "the start of the next", Join(0, " ")),
        ("A sentence ends.", "Another starts.", Join(0, "\n\n")),
        ("", "anything", Join(0, "")),
        # a page that ends with a table region: the next page's text is not one more cell
        (
            "表１　部分举措\n\n为全球超算中心提 | 供ＧＰＵ加速方案 | 数据中心内ＧＰＵ | 间通信效率优化",
            "美国对中国ＡＩ产业链韧性打压战略已呈现系统性升级态势，",
            Join(0, "\n\n"),
        ),
    ],
)
def test_normalize_join_separator(before: str, after: str, expected: Join) -> None:
    assert join_separator(before, after) == expected


# --------------------------------------------------------------------------- table regions (text layer, seed 004)

_TABLE2 = (
    "将渗透一切商业场景，并促进产业融合与协同发展，由此形成一个庞大的产业创新生态系统。\n\n"
    "表２　全球头部ＡＩ云厂商纷纷快速接入或上架ＤｅｅｐＳｅｅｋ情况汇总\n\n"
    "时间线 全球云厂商接入或上架ＤｅｅｐＳｅｅｋ的动作\n\n"
    "２月２日 腾讯云上线ＤｅｅｐＳｅｅｋＲ１的部署工具，支持ＤｅｅｐＳｅｅｋ模型蒸馏版本\n\n"
    "２月３日 联通云上线ＤｅｅｐＳｅｅｋ－Ｒ１系列多尺寸模型\n\n"
    "四、从“长板围栏”到“韧性生态”：提升中国产业链韧性的启示\n\n"
    "ＤｅｅｐＳｅｅｋ的崛起与ＡＩ产业链的突围，不仅是中国科技企业在全球技术封锁下的创新突破，更是中国\n"
    "产业链从“长板围栏”围困模式向“韧性生态”协同体系转型的典型案例。"
)
_TABLE1 = (
    "险。此外，美国通过“生态认证即标准准入”的策略实施系统性压制，将 ＣＵＤＡ认证体系深度嵌套至国\n"
    "际标准体系，使得中国在算法开发与专利授权等方面面临较大的国际标准话语权压制，进一步压缩了中\n\n"
    "国ＡＩ产业链国产化适配空间。\n"
    "表１　英伟达构建ＡＩ产业链护城河的部分举措\n\n"
    "硬件创新：持续突破算力天花板 软件创新：构建全栈式开发壁垒 生态扩展：绑定关键高算力场景\n\n"
    "ＧＰＵ\n架构\n\n迭代\n\n"
    "１０倍内存宽带\n（超级芯片）\n\n"
    "与ＡＷＳ合作推出ＧＰＵ实例，\n主导云ＡＩ算力市场\n\n"
    "３．蓄谋系统性生态绞杀\n"
    "美国对中国ＡＩ产业链韧性打压战略已呈现系统性升级态势，正从硬件技术封锁向复合型产业生态\n\n"
    "重构演进。一是推行“友岸外包”。"
)


@pytest.mark.parametrize(
    ("raw", "table", "before", "after"),
    [
        (
            _TABLE2,
            "时间线 | 全球云厂商接入或上架ＤｅｅｐＳｅｅｋ的动作 | ２月２日 | 腾讯云上线ＤｅｅｐＳｅｅｋＲ１的部署工具，"
            "支持ＤｅｅｐＳｅｅｋ模型蒸馏版本 | ２月３日 | 联通云上线ＤｅｅｐＳｅｅｋ－Ｒ１系列多尺寸模型",
            "表２　全球头部ＡＩ云厂商纷纷快速接入或上架ＤｅｅｐＳｅｅｋ情况汇总",
            "四、从“长板围栏”到“韧性生态”：提升中国产业链韧性的启示",
        ),
        (
            _TABLE1,
            "硬件创新：持续突破算力天花板 | 软件创新：构建全栈式开发壁垒 | 生态扩展：绑定关键高算力场景 | ＧＰＵ | 架构 | "
            "迭代 | １０倍内存宽带 | （超级芯片） | 与ＡＷＳ合作推出ＧＰＵ实例， | 主导云ＡＩ算力市场",
            "表１　英伟达构建ＡＩ产业链护城河的部分举措",
            "３．蓄谋系统性生态绞杀",
        ),
        (
            "Table 2: Cloud vendors that listed DeepSeek-R1\n\nVendor\tDate\nAmazon Bedrock\t30 January\n"
            "Huawei Cloud\t2 February\nBy early February every large cloud vendor offered the model, "
            "most of them within a week of its release.",
            "Vendor | Date | Amazon Bedrock | 30 January | Huawei Cloud | 2 February",
            "Table 2: Cloud vendors that listed DeepSeek-R1",
            "By early February every large cloud vendor offered the model, most of them within a week of its release.",
        ),
    ],
)
def test_normalize_table_region_after_caption(raw: str, table: str, before: str, after: str) -> None:
    """Cells after a table caption are one block, joined by " | ", between the caption and the text that resumes."""
    blocks = _rejoin(raw).split("\n\n")
    k = blocks.index(table)
    assert blocks[k - 1] == before
    assert blocks[k + 1] == after
    assert all(TABLE_CELL_SEPARATOR not in b for i, b in enumerate(blocks) if i != k)


def test_normalize_table_region_keeps_running_text_around_it() -> None:
    """The wrapped paragraph before the caption (blank lines mid-sentence) and the one after still re-join."""
    blocks = _rejoin(_TABLE1).split("\n\n")
    assert blocks[0].endswith("进一步压缩了中国ＡＩ产业链国产化适配空间。")
    assert blocks[-1] == (
        "美国对中国ＡＩ产业链韧性打压战略已呈现系统性升级态势，正从硬件技术封锁向复合型产业生态重构演进。一是推行“友岸外包”。"
    )


@pytest.mark.parametrize(
    "raw",
    [
        # a figure caption: the figure is above it, what follows is text
        "图３　芯片四方联盟对中国大陆的合围\n\nＧＰＵ\n架构\n\n迭代\n\n１０倍内存宽带",
        # running text that starts with "表１" is not a caption
        "表１展示了英伟达凭借技术优势设置生态壁垒\n\nＧＰＵ\n架构\n\n迭代",
        # a caption followed by running text (the table itself was an image)
        "表１　英伟达构建ＡＩ产业链护城河的部分举措\n"
        "垒，构建ＡＩ产业链护城河的具体做法。数据显示，全球９０％以上的 ＡＩ训练依赖 ＣＵＤＡ生态①，英伟达\n"
        "ＡＩ产业链护城河的核心在于构建ＣＵＤＡ全栈式软件开发生态②。",
        # a caption, then a wrapped paragraph whose first line fills the width and has a comma
        "表２　全球头部ＡＩ云厂商纷纷快速接入或上架ＤｅｅｐＳｅｅｋ情况汇总\n"
        "ＤｅｅｐＳｅｅｋ的崛起与ＡＩ产业链的突围，不仅是中国科技企业在全球技术封锁下的创新突破，更是中国\n"
        "产业链从“长板围栏”围困模式向“韧性生态”协同体系转型的典型案例",
        # fewer than three cells
        "表２　全球头部ＡＩ云厂商情况汇总\n\n时间线\n\n全球云厂商接入或上架的动作",
        # the source line ends the region before it starts
        "表１　英伟达构建ＡＩ产业链护城河的部分举措\n数据来源：杨超、李伟、贺俊：《美对华半导体管制的趋势、实施要点与中国因应》\n\nＧＰＵ\n\n架构",
    ],
)
def test_normalize_no_table_region(raw: str) -> None:
    assert "|" not in _rejoin(raw)


def test_normalize_table_region_ends_at_source_line() -> None:
    raw = "表１　主要举措\n\nＧＰＵ\n\n架构\n\n迭代\n数据来源：英伟达年报\n美国对中国ＡＩ产业链韧性打压战略已呈现系统性升级态势。"
    assert _rejoin(raw).split("\n\n") == [
        "表１　主要举措",
        "ＧＰＵ | 架构 | 迭代",
        "数据来源：英伟达年报",
        "美国对中国ＡＩ产业链韧性打压战略已呈现系统性升级态势。",
    ]


@pytest.mark.parametrize("raw", [_TABLE1, _TABLE2])
def test_normalize_table_separators_are_mapped(raw: str) -> None:
    """Cells map back to their raw text; each inserted " | " sits on the raw gap or line break it replaced."""
    mt = normalize_text(raw).text
    text = mt.text
    table = next(b for b in text.split("\n\n") if TABLE_CELL_SEPARATOR in b)
    start = text.index(table)
    pos = start
    for cell in table.split(TABLE_CELL_SEPARATOR):
        a, b = mt.raw_span(pos, pos + len(cell))
        assert fold_all(raw[a:b]) == fold_all(cell)
        pos += len(cell)
        if pos < start + len(table):
            sep = mt.origin[pos : pos + len(TABLE_CELL_SEPARATOR)]
            assert len(set(sep)) == 1 and raw[sep[0]] in " \u3000\n", (cell, raw[sep[0]])
            pos += len(TABLE_CELL_SEPARATOR)
    assert normalize_text(text).text.text == text


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["ＧＰＵ", "架构", "迭代", "３．蓄谋系统性生态绞杀", "美国对中国ＡＩ产业链韧性打压战略"], 3),
        (["时间线 全球云厂商接入或上架ＤｅｅｐＳｅｅｋ的动作", "２月２日 华为云上线", "表２　情况汇总", "时间线"], 2),
        (["ＧＰＵ", "架构", "表２　情况汇总", "时间线", "全球云厂商", "动作"], 0),  # two cells: no table
        (["ＧＰＵ", "架构", "迭代。"], 0),
    ],
)
def test_normalize_table_cells_counts_region_lines(lines: list[str], expected: int) -> None:
    assert table_cells([fold_all(x) for x in lines]) == expected


# --------------------------------------------------------------------------- seeds


def test_normalize_seed_paper_is_clean(seed_paper: str) -> None:
    result = normalize_text(seed_paper)
    text = result.text.text
    assert result.warnings == ()
    assert not re.search(r"[\ue000-\uf8ff]", text)
    assert not re.search(r"[\uff01-\uff5e]", text.replace("，", "").replace("：", "").replace("；", "")
                         .replace("！", "").replace("？", "").replace("（", "").replace("）", ""))
    assert re.search(r"(?<!\n)\n(?!\n)", text) is None, "a single newline survived inside a paragraph"
    assert "\n\n\n" not in text
    for needle in (
        "1672-7835(2025)02-0082-13",
        "减少约93.3%",
        "以1/10的算力成本",
        "A100/H100",
        "DeepSeek-R1",
        "https://mp.weixin.qq.com/s/M3wEY-40i4mX_niAF7VhHw。",
    ):
        assert needle in text, needle
    assert "竞争法则。DeepSeek的算法效率革命" in text
    assert "China's" in text and "Long-board" in text
    assert "\n\n一、问题的提出\n\n" in text
    assert "\n\n（一）半导体出口管制对AI产业链关键节点的技术封锁\n\n" in text
    assert "①②" in text  # circled markers survive


def test_normalize_seed_paper_is_idempotent(seed_paper: str) -> None:
    once = normalize_text(seed_paper).text.text
    assert normalize_text(once).text.text == once


def test_normalize_seed_blog_keeps_markdown_blocks(seed_blog: str) -> None:
    text = normalize_text(seed_blog).text.text
    assert "\n\n## 1. 开源成为“默认选项”\n\n" in text
    assert "\n\n- **Qwen 的生态统治力**" in text
    assert "回望 2025 年，“DeepSeek 时刻”不仅是一个技术突破的标志" in text


def test_normalize_seed_paper_origins_point_at_source(seed_paper: str) -> None:
    mt = normalize_text(seed_paper).text
    i = mt.text.index("1672-7835")
    start, end = mt.raw_span(i, i + len("1672-7835(2025)02-0082-13"))
    assert seed_paper[start:end] == "１６７２－７８３５（２０２５）０２－００８２－１３"


# --------------------------------------------------------------------------- properties

_ALPHABET = list(
    "ａＡｚ１９，：；！？（）．－／％＋　。、“”《》中文半导体①②¹²"
    "abcXYZ019-./:,;!?() \n\n\n\t\r\ue011\ue10b\ue123"
) + ["https://", "www.", "一、", "（一）", "１．", "## ", "- ", "。\n\n", "-\n",
     "表１　", "Table 2: ", "\n表２　部分举措\n", "２月２日 ", "ＧＰＵ\n", "（超级芯片）", "数据来源：", " | "]
_texts = st.one_of(st.text(), st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join))
_settings = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _allowed(raw_ch: str, out_ch: str) -> bool:
    return out_ch in {raw_ch, fold_char(raw_ch), PUA_MAP.get(raw_ch, raw_ch)}


@_settings
@given(_texts)
def test_normalize_properties(s: str) -> None:
    result = normalize_text(s)
    mt = result.text
    assert len(mt.origin) == len(mt.text)
    assert all(0 <= o < len(s) for o in mt.origin)
    assert list(mt.origin) == sorted(mt.origin)
    inserted_bars = {m.start() + 1 for m in re.finditer(r"(?= \| )", mt.text)}
    for k, (ch, o) in enumerate(zip(mt.text, mt.origin)):
        if ch not in " \n" and k not in inserted_bars:  # separators are the only inserted characters
            assert _allowed(s[o], ch), (s[o], ch)
    again = normalize_text(mt.text).text.text
    assert again == mt.text


@_settings
@given(_texts)
def test_normalize_fold_width_is_one_to_one_and_idempotent(s: str) -> None:
    once = fold_width(MappedText.from_raw(s))
    assert len(once.text) == len(s)
    assert fold_width(once).text == once.text


@_settings
@given(_texts, _texts)
def test_normalize_join_separator_never_crashes(a: str, b: str) -> None:
    join = join_separator(a, b)
    assert join.separator in ("", " ", "\n\n")
    assert 0 <= join.drop_last <= 1


def test_normalize_accepts_shifted_mapped_text() -> None:
    mt = MappedText.from_raw("前文\n后文", base=100)
    out = normalize(mt).text
    assert out.text == "前文后文"
    assert out.origin[0] == 100 and out.origin[-1] == 104


@pytest.mark.parametrize(("raw", "expected"), [
    ("北京师范⼤学本科⽣毕业论⽂", "北京师范大学本科生毕业论文"),  # Kangxi radicals a PDF font emitted
    ("⼀⼆三", "一二三"),
])
def test_normalize_folds_kangxi_radicals_one_for_one(raw: str, expected: str) -> None:
    """Radicals fold to the ideograph NFKC gives, one character for one, so offsets stay exact."""
    out = normalize_text(raw).text
    assert out.text == expected
    assert [out.raw_span(i, i + 1) for i in range(len(expected))] == [(i, i + 1) for i in range(len(raw))]
