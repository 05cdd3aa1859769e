"""Numeric assertions: parse_number and extract() on short sentences, one behaviour per case."""

from __future__ import annotations

import pytest

from extractors.errors import ExtractionError
from extractors.numbers.assertions import NotANumber, extract, parse_number


# --------------------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    "text, value",
    [
        ("1,234,567", 1234567.0),
        ("3.14", 3.14),
        ("1/10", 0.1),
        ("十", 10.0),
        ("十年", None),
        ("两千", 2000.0),
        ("11.3万", 113000.0),
        ("1.2亿", 1.2e8),
        ("万亿", 1e12),
        ("二十万亿", 2e13),
        ("1,100万", 1.1e7),
        ("3万4000", 34000.0),
        ("25万6千", 256000.0),
        ("一万零一十二", 10012.0),
        ("一万三", 13000.0),
        ("两千三点一", 2300.1),
        ("四亿五千六百四十二万零一十五", 456420015.0),
        ("负三十二", -32.0),
        ("五分之一", 0.2),
        ("百分之四十三", 0.43),
        ("三又三分之一", 3 + 1 / 3),
        ("二〇二五", 2025.0),
        ("壹佰伍拾", 150.0),
        ("2.5 million", 2.5e6),
        ("40k", 40000.0),
        ("五百多", 500.0),
    ],
)
def test_numbers_parse_number(text: str, value: float | None) -> None:
    if value is None:
        with pytest.raises(NotANumber):
            parse_number(text)
    else:
        assert parse_number(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", ["", "万", "abc", "百百", "十年", "1/0", "H100"])
def test_numbers_parse_number_raises_named_error(text: str) -> None:
    with pytest.raises(NotANumber) as info:
        parse_number(text)
    assert isinstance(info.value, ExtractionError)
    assert str(info.value).startswith("[N001]")


# --------------------------------------------------------------------------- extract: values and units


def _one(text: str):
    found = extract(text)
    assert len(found) == 1, [a.surface for a in found]
    return found[0]


@pytest.mark.parametrize(
    "text, surface, value, unit, rule",
    [
        ("增长了43%。", "43%", 0.43, "%", "numbers.percent"),
        ("占比百分之四十三。", "百分之四十三", 0.43, "%", "numbers.percent"),
        ("误差为3‰。", "3‰", 0.003, "‰", "numbers.permille"),
        ("八成来自美国", "八成", 0.8, "%", "numbers.percent"),
        ("总算力达1590 EFLOPS。", "1590 EFLOPS", 1590.0, "EFLOPS", "numbers.unit"),
        ("算力为4800TOPS", "4800TOPS", 4800.0, "TOPS", "numbers.unit"),
        ("速率为600Gbyte/s", "600Gbyte/s", 600.0, "Gbyte/s", "numbers.unit"),
        ("采用28纳米工艺", "28纳米", 28.0, "nm", "numbers.unit"),
        ("价格为$438。", "$438", 438.0, "USD", "numbers.currency"),
        ("售价¥300", "¥300", 300.0, "CNY", "numbers.currency"),
        ("投资1.2亿元", "1.2亿元", 1.2e8, "CNY", "numbers.currency"),
        ("净流出1200亿美元", "1200亿美元", 1.2e11, "USD", "numbers.currency"),
        ("raised 2.5 million dollars", "2.5 million dollars", 2.5e6, "USD", "numbers.currency"),
        ("共有185个国家参与", "185个国家", 185.0, "个国家", "numbers.unit"),
        ("30倍的价差", "30倍", 30.0, "x", "numbers.multiplier"),
        ("收入翻一番", "翻一番", 2.0, "x", "numbers.multiplier"),
        ("持续十年", "十年", 10.0, "year", "numbers.unit"),
        ("有两千人参加", "两千人", 2000.0, "人", "numbers.unit"),
        ("1/10的算力成本", "1/10", 0.1, None, "numbers.fraction"),
        ("over 40 models", "over 40 models", 40.0, "models", "numbers.unit"),
    ],
)
def test_numbers_extract_value_and_unit(text: str, surface: str, value: float, unit: str | None, rule: str) -> None:
    a = _one(text)
    assert (a.surface, a.value, a.unit, a.rule_id) == (surface, pytest.approx(value), unit, rule)
    assert text[a.start:a.end] == a.surface


def test_numbers_extract_percentage_points_are_a_delta() -> None:
    a = _one("失业率上升了六个百分点")
    assert (a.value, a.unit, a.is_delta, a.change) == (6.0, "pp", True, "increase")


def test_numbers_extract_vague_hundreds_of_billions() -> None:
    a = _one("涉及金额达数百亿美元")
    assert (a.value, a.value_max, a.qualifier, a.unit) == (1e10, 1e11, "approx", "USD")


@pytest.mark.parametrize(
    "text, value, value_max, unit",
    [
        ("需要3–5年", 3.0, 5.0, "year"),
        ("约20-100个", 20.0, 100.0, "个"),
        ("增长3%至5%", 0.03, 0.05, "%"),
        ("一到五个苹果", 1.0, 5.0, "个"),
    ],
)
def test_numbers_extract_range(text: str, value: float, value_max: float, unit: str) -> None:
    a = _one(text)
    assert (a.qualifier, a.value, a.value_max, a.unit) == ("range", value, value_max, unit)


# --------------------------------------------------------------------------- qualifiers


@pytest.mark.parametrize(
    "text, qualifier",
    [
        ("约93.3%", "approx"),
        ("大约300家", "approx"),
        ("近20倍", "nearly"),
        ("将近30倍", "nearly"),
        ("300家左右", "approx"),
        ("about 40 models", "approx"),
        ("超过1000家", "more_than"),
        ("超八成", "more_than"),
        ("逾200家", "more_than"),
        ("五百多家", "more_than"),
        ("超过1/2", "more_than"),
        ("大于或等于4800TOPS", "at_least"),
        ("不少于10家", "at_least"),
        ("至少10家", "at_least"),
        ("90%以上", "at_least"),
        ("at least 10 companies", "at_least"),
        ("不到5%", "less_than"),
        ("低于5%", "less_than"),
        ("不足3家", "less_than"),
        ("less than 5 percent", "less_than"),
        ("0.25%以内", "at_most"),
        ("不超过5%", "at_most"),
        ("最多3家", "at_most"),
        ("up to 30%", "at_most"),
        ("共有300家", "exact"),
    ],
)
def test_numbers_extract_qualifier(text: str, qualifier: str) -> None:
    assert _one(text).qualifier == qualifier


# --------------------------------------------------------------------------- change, subject, time, rate


@pytest.mark.parametrize(
    "text, change, is_delta",
    [
        ("营收增长43%", "increase", True),
        ("比例提升至65%", "increase", False),
        ("PUE 降至 1.46", "decrease", False),
        ("缓存量减少约93.3%", "decrease", True),
        ("较2018年增长近20倍", "increase", True),
        ("收入保持在300亿元", "level", False),
        ("共有300家", None, False),
    ],
)
def test_numbers_extract_change(text: str, change: str | None, is_delta: bool) -> None:
    a = _one(text)
    assert (a.change, a.is_delta) == (change, is_delta)


@pytest.mark.parametrize(
    "text, subject",
    [
        ("截至 2025 年，中国总算力规模已达 1590 EFLOPS。", "中国总算力规模"),
        ("截至2024年12月，美国实体清单中的中国科技企业总数已超过1000家。", "美国实体清单中的中国科技企业总数"),
        ("MLA所需的键值（KV）缓存量减少约93.3%。", "MLA所需的KV缓存量"),
    ],
)
def test_numbers_extract_subject(text: str, subject: str) -> None:
    assert _one(text).subject == subject


@pytest.mark.parametrize(
    "text, scope",
    [
        ("截至2024年12月，企业总数已超过1000家。", "截至2024年12月"),
        ("2025年1月，美国又将25家企业列入清单。", "2025年1月"),
        ("到 2025 年中期，超过 11.3 万个模型以其为基础。", "到 2025 年中期"),
        ("2025年营收增长43%。", "2025年"),
        ("较2018年增长近20倍。", None),
    ],
)
def test_numbers_extract_time_scope(text: str, scope: str | None) -> None:
    assert _one(text).time_scope == scope


def test_numbers_extract_rate_per_tokens() -> None:
    found = extract("OpenAI的o1每输出100万tokens收费438元，而DeepSeek-R1只需16元。")
    assert [(a.surface, a.value, a.unit, a.per) for a in found] == [
        ("438元", 438.0, "CNY", "1000000 tokens"),
        ("16元", 16.0, "CNY", "1000000 tokens"),
    ]


def test_numbers_extract_rate_per_word() -> None:
    assert _one("以每股1.95港元收购").per == "股"


# --------------------------------------------------------------------------- not quantities


@pytest.mark.parametrize(
    "text",
    [
        "英伟达H100和A800芯片",
        "A100/H100等民用产品",
        "采用FP8格式",
        "GPT-4o、GLM-4.5、Kimi K2、UI-TARS-1.5、DeepSeek-R1、Qwen2.5",
        "芯片四方联盟（Chip4）",
        "5G网络安全标准",
        "ISO人工智能标准工作组（SC42）",
        "文章编号：1672-7835（2025）02-0082-13",
        "中图分类号：F49",
        "（湖南科技大学 商学院，湖南 湘潭 411201）",
        "## 2. 开源成为默认选项",
        "1. 深度产业嵌入",
        "一、问题的提出",
        "（二）产业规则约束",
        "如图1所示",
        "见表1。",
        "see Figure 2.",
        "第28卷",
        "《政治经济学评论》2023年第3期。",
        "2025年1月",
        "2017—2023年美国对华半导体出口情况",
        "在2025年3月17日发布",
        "58",
        "访问 https://example.com/2025/0127/1666453.shtml 获取",
        "title: \"014. 从 DeepSeek 到 AI+\"",
        "date: 2026-02-10 06:15:00",
        "超级芯片①和④",
        "一种新的方法",
        "三位一体的架构",
    ],
)
def test_numbers_extract_not_quantities(text: str) -> None:
    assert extract(text) == [], [a.surface for a in extract(text)]


def test_numbers_extract_footnote_marker_not_part_of_number() -> None:
    a = _one("增长43%①。")
    assert a.surface == "43%"


def test_numbers_extract_superscript_not_part_of_number() -> None:
    a = _one("共有300家²。")
    assert (a.surface, a.value) == ("300家", 300.0)


def test_numbers_extract_empty_text() -> None:
    assert extract("") == []


# --------------------------------------------------------------------------- English and start values


@pytest.mark.parametrize(
    "text, surface, value, unit, qualifier, change, is_delta",
    [
        ("Revenue grew 43% in 2024.", "43%", 0.43, "%", "exact", "increase", True),
        ("Revenue grew to $438 million.", "$438 million", 4.38e8, "USD", "exact", "increase", False),
        ("About 1.2 billion users.", "About 1.2 billion users", 1.2e9, "users", "approx", None, False),
        ("Nearly 30 times cheaper.", "Nearly 30 times", 30.0, "x", "nearly", None, False),
        ("The chips deliver up to 4,800 TOPS.", "up to 4,800 TOPS", 4800.0, "TOPS", "at_most", None, False),
    ],
)
def test_numbers_extract_english(text: str, surface: str, value: float, unit: str, qualifier: str,
                                 change: str | None, is_delta: bool) -> None:
    a = _one(text)
    assert (a.surface, a.value, a.unit, a.qualifier, a.change, a.is_delta) == (
        surface, pytest.approx(value), unit, qualifier, change, is_delta)


def test_numbers_extract_rate_per_million_tokens_in_english() -> None:
    assert _one("It costs 16 yuan per million tokens.").per == "1000000 tokens"


def test_numbers_extract_start_value_is_not_a_change() -> None:
    first, second = extract("GPU数量从1万张增加到3万张")
    assert (first.value, first.change, first.subject) == (1e4, None, "GPU数量")
    assert (second.value, second.change, second.is_delta) == (3e4, "increase", False)


@pytest.mark.parametrize(
    "text, scope",
    [("Revenue grew 43% in 2024.", "in 2024"), ("By March 2025, 40 models were released.", "By March 2025")],
)
def test_numbers_extract_english_time_scope(text: str, scope: str) -> None:
    assert _one(text).time_scope == scope


@pytest.mark.parametrize(("text", "surface", "value", "unit", "qualifier"), [
    ("It costs about $438 now.", "about $438", 438.0, "USD", "approx"),
    ("A tree costs about EUR 1,100 to plant.", "about EUR 1,100", 1100.0, "EUR", "approx"),
    ("Grants of more than USD 2 million were paid.", "more than USD 2 million", 2e6, "USD", "more_than"),
    ("The fee is 18 EUR per square metre.", "18 EUR", 18.0, "EUR", "exact"),
])
def test_numbers_cue_before_a_currency_written_before_the_number(text, surface, value, unit, qualifier) -> None:
    [n] = extract(text)
    assert (n.surface, n.value, n.unit, n.qualifier) == (surface, value, unit, qualifier)
    assert text[n.start:n.end] == n.surface


@pytest.mark.parametrize(("text", "surface", "value", "unit"), [
    ("Data-centre demand could reach 945 TWh by 2030.", "945 TWh", 945.0, "TWh"),
    ("Eastbrook recorded 41 days above 30 degrees Celsius.", "above 30 degrees Celsius", 30.0, "°C"),
    ("Coatings cut peak temperatures by 1.5 degrees.", "1.5 degrees", 1.5, "degree"),
])
def test_numbers_english_energy_and_temperature_units(text: str, surface: str, value: float, unit: str) -> None:
    found = {(n.surface, n.value, n.unit) for n in extract(text)}
    assert (surface, value, unit) in found


@pytest.mark.parametrize(("text", "surface", "low", "high"), [
    ("增速在3%-5%之间", "3%-5%", 0.03, 0.05),
    ("价格为100-200元", "100-200元", 100.0, 200.0),
])
def test_numbers_hyphen_between_numbers_is_a_range_not_a_minus(text: str, surface: str, low: float, high: float) -> None:
    [n] = extract(text)
    assert (n.surface, n.value, n.value_max, n.qualifier) == (surface, low, high, "range")
    assert text[n.start:n.end] == n.surface


def test_numbers_a_real_negative_stays_negative() -> None:
    [n] = extract("最低气温为-5℃。")
    assert n.value == -5.0


@pytest.mark.parametrize(("text", "surface", "low", "high", "unit"), [
    ("Growth was between 3 and 5 percent.", "3 and 5 percent", 0.03, 0.05, "%"),
    ("预计增长3到5%。", "3到5%", 0.03, 0.05, "%"),
    ("Grants were between $2 million and $5 million.", "$2 million and $5 million", 2e6, 5e6, "USD"),
])
def test_numbers_ranges_sharing_one_unit(text: str, surface: str, low: float, high: float, unit: str) -> None:
    [n] = extract(text)
    assert (n.surface, n.value, n.value_max, n.unit, n.qualifier) == (surface, low, high, unit, "range")


def test_numbers_and_without_between_is_no_range() -> None:
    assert all(n.qualifier != "range" for n in extract("They sold 3 cars and 5 trucks."))


def test_numbers_a_period_between_two_years_is_no_range() -> None:
    found = extract("against an average of 23 days between 2000 and 2020.")
    assert [(n.surface, n.qualifier) for n in found] == [("23 days", "exact")]


# --------------------------------------------------------------------------- two-sided bounds (issue 5)


@pytest.mark.parametrize(("text", "surface", "low", "high", "unit"), [
    ("申报企业的员工人数应大于10小于20。", "大于10小于20", 10.0, 20.0, None),
    ("参与试点的城市数量在10到20之间。", "10到20", 10.0, 20.0, None),
    ("补贴对象为年龄在18岁至35岁之间的高校毕业生。", "18岁至35岁", 18.0, 35.0, "岁"),
    ("单个项目资助金额在10万至50万元之间。", "10万至50万元", 1e5, 5e5, "CNY"),
    ("各地增值税预征率不低于3%且不高于5%。", "不低于3%且不高于5%", 0.03, 0.05, "%"),
    ("年度研发投入介于10与20亿元之间的企业可申报。", "10与20亿元", 1e9, 2e9, "CNY"),
    ("Grants were between 2 and 5 million dollars.", "2 and 5 million dollars", 2e6, 5e6, "USD"),
    ("全市新增就业岗位预计在3到5万个之间。", "3到5万个", 3e4, 5e4, "个"),
    ("城镇调查失业率的波动预计在1到2个百分点之间。", "1到2个百分点", 1.0, 2.0, "pp"),
    ("Annual inflation was held between 10 and 20 per cent.", "10 and 20 per cent", 0.1, 0.2, "%"),
    ("The scheme covers firms with more than 10 but less than 20 employees.",
     "more than 10 but less than 20 employees", 10.0, 20.0, "employees"),
    ("Tariffs of more than 10 but less than 20 per cent apply.", "more than 10 but less than 20 per cent",
     0.1, 0.2, "%"),
    ("数据中心的平均PUE不高于1.5，不低于1.2。", "不高于1.5，不低于1.2", 1.2, 1.5, None),
    ("每批抽检样品最多100件最少20件。", "最多100件最少20件", 20.0, 100.0, "件"),
    ("企业数量大于等于0并小于230家。", "大于等于0并小于230家", 0.0, 230.0, "家"),
    ("申请人年龄大于二十的同时小于等于三十五岁。", "大于二十的同时小于等于三十五岁", 20.0, 35.0, "岁"),
])
def test_numbers_two_sided_bounds_are_one_range(text: str, surface: str, low: float, high: float,
                                                unit: str | None) -> None:
    [n] = extract(text)
    assert (n.surface, n.value, n.value_max, n.unit, n.qualifier, n.rule_id) == (
        surface, low, high, unit, "range", "numbers.range")
    assert text[n.start:n.end] == n.surface


@pytest.mark.parametrize(("text", "subject"), [
    ("规模以上工业企业的资产负债率不低于30%且不高于60%。", "规模以上工业企业的资产负债率"),
    ("年度研发投入介于10亿元与20亿元之间的企业可申报。", "年度研发投入"),
    ("Annual inflation was held between 10 and 20 per cent.", "Annual inflation was held"),
])
def test_numbers_two_sided_bounds_keep_their_subject(text: str, subject: str) -> None:
    [n] = extract(text)
    assert (n.subject, n.qualifier) == (subject, "range")


@pytest.mark.parametrize("text", [
    "大于50小于12的目标",  # an empty interval is two conditions, not a range
    "营收超过10亿元，利润不到2亿元。",  # two metrics
    "超过10家企业、不到5%的份额",  # units differ
])
def test_numbers_two_bounds_that_are_no_range(text: str) -> None:
    assert all(n.qualifier != "range" for n in extract(text)), [(n.surface, n.qualifier) for n in extract(text)]


def test_numbers_between_two_years_in_chinese_stays_a_period() -> None:
    found = extract("2000年与2020年之间，全国共新建水库300座。")
    assert [(n.surface, n.value, n.qualifier) for n in found] == [("300座", 300.0, "exact")]


# --------------------------------------------------------------------------- 以上/以下 and explicit exclusion


@pytest.mark.parametrize(("text", "surface", "qualifier"), [
    ("连续工作10年以上的职工", "10年以上", "at_least"),
    ("连续工作10年以上（不含10年）的职工，可享受带薪年休假15天。", "10年以上（不含10年）", "more_than"),
    ("处5年以上（不含本数）有期徒刑", "5年以上（不含本数）", "more_than"),
    ("单笔金额在3万元以下（不含）的，由经办人审批。", "3万元以下（不含）", "less_than"),
    ("单笔金额在3万元以下（含本数）的，由经办人审批。", "3万元以下（含本数）", "at_most"),
    ("年收入12万元以上(不包括本数)的纳税人", "12万元以上(不包括本数)", "more_than"),
])
def test_numbers_yishang_includes_the_number_unless_excluded(text: str, surface: str, qualifier: str) -> None:
    everything = extract(text)
    found = [n for n in everything if n.surface == surface]
    assert [(n.qualifier, text[n.start:n.end]) for n in found] == [(qualifier, surface)], \
        [(n.surface, n.qualifier) for n in everything]
    inside = [n for n in everything if n is not found[0] and n.start < found[0].end and n.end > found[0].start]
    assert inside == []  # the 10年 of （不含10年） is part of the cue, not a second assertion


@pytest.mark.parametrize(("text", "surface", "low", "high", "unit"), [
    ("对工作年限在10年以上20年以下的职工", "10年以上20年以下", 10.0, 20.0, "year"),
    ("处3年以上10年以下有期徒刑", "3年以上10年以下", 3.0, 10.0, "year"),
    ("处1年以上不满5年的", "1年以上不满5年", 1.0, 5.0, "year"),
    ("数字在1000以上， 1500以下", "1000以上， 1500以下", 1000.0, 1500.0, None),
])
def test_numbers_yishang_yixia_is_one_range(text: str, surface: str, low: float, high: float,
                                            unit: str | None) -> None:
    [n] = extract(text)
    assert (n.surface, n.value, n.value_max, n.unit, n.qualifier) == (surface, low, high, unit, "range")


# --------------------------------------------------------------------------- compound money


@pytest.mark.parametrize(("text", "surface", "value", "unit"), [
    ("这个手机壳五元三毛", "五元三毛", 5.3, "CNY"),
    ("公交单程票价为3元5角。", "3元5角", 3.5, "CNY"),
    ("一瓶矿泉水卖一块五。", "一块五", 1.5, "CNY"),
    ("每度电降价至两块五毛钱", "两块五毛钱", 2.5, "CNY"),
    ("邮费为50元6角三分。", "50元6角三分", 50.63, "CNY"),
    ("The ticket costs 2美元50美分 on the bus.", "2美元50美分", 2.5, "USD"),
    ("这台电脑两美元又三美分", "两美元又三美分", 2.03, "USD"),
])
def test_numbers_compound_money_is_one_amount(text: str, surface: str, value: float, unit: str) -> None:
    [n] = extract(text)
    assert (n.surface, n.value, n.unit, n.rule_id) == (surface, pytest.approx(value), unit, "numbers.currency")
    assert text[n.start:n.end] == n.surface


@pytest.mark.parametrize("text", ["切一块五花肉", "会议持续了3元5分钟"])
def test_numbers_compound_money_needs_money_words(text: str) -> None:
    assert all(n.unit != "CNY" or n.value.is_integer() for n in extract(text))


# --------------------------------------------------------------------------- comparison wording (Recognizers-Text ranges)


@pytest.mark.parametrize(("text", "surface", "value", "qualifier"), [
    ("今年本地居民的人均寿命比七十五岁高。", "比七十五岁高", 75.0, "more_than"),
    ("试点城市的PM2.5年均浓度比 35 低 ，达到二级标准。", "比 35 低", 35.0, "less_than"),
    ("申报单位的从业人数应在 500人或者更多。", "500人或者更多", 500.0, "at_least"),
    ("单次采购金额 小于 或 等于100万元 的，可简化流程。", "小于 或 等于100万元", 1e6, "at_most"),
    ("筛选出评分 > = 80 的项目", "> = 80", 80.0, "at_least"),
    ("室内温度不得低于18℃。", "不得低于18℃", 18.0, "at_least"),
    ("单个项目补助不应超过50万元。", "不应超过50万元", 5e5, "at_most"),
])
def test_numbers_comparison_wording(text: str, surface: str, value: float, qualifier: str) -> None:
    [n] = extract(text)
    assert (n.surface, n.value, n.qualifier) == (surface, value, qualifier)
    assert text[n.start:n.end] == n.surface


def test_numbers_comparison_needs_the_adjective_to_end_the_phrase() -> None:
    """比3家大企业 compares with three big firms; it does not say "more than 3"."""
    assert [(n.surface, n.qualifier) for n in extract("本市比3家大企业的总产值")] == [("3家", "exact")]


def test_numbers_comparisons_on_both_sides_are_one_range() -> None:
    [n] = extract("该比例比四分之一大， 比二分之一小。")
    assert (n.value, n.value_max, n.qualifier) == (0.25, 0.5, "range")


@pytest.mark.parametrize(("text", "surface", "low", "high"), [
    ("该岗位月薪为5k-20k，另有绩效奖金。", "5k-20k", 5e3, 2e4),
    ("Seed rounds raised 1.5M-3M each.", "1.5M-3M", 1.5e6, 3e6),
])
def test_numbers_hyphen_after_a_scale_letter_is_a_range(text: str, surface: str, low: float, high: float) -> None:
    [n] = extract(text)
    assert (n.surface, n.value, n.value_max, n.qualifier) == (surface, low, high, "range")


@pytest.mark.parametrize(("text", "surface", "value", "unit"), [
    ("当日最高气温为华氏温度98.6度。", "华氏温度98.6度", 98.6, "°F"),
    ("室内温度不得低于摄氏18度。", "不得低于摄氏18度", 18.0, "°C"),
    ("冬季供暖室温应达到18摄氏度。", "18摄氏度", 18.0, "°C"),
])
def test_numbers_temperature_scale_before_or_after(text: str, surface: str, value: float, unit: str) -> None:
    [n] = extract(text)
    assert (n.surface, n.value, n.unit) == (surface, value, unit)


# --------------------------------------------------------------------------- 两 as a unit (liang)


@pytest.mark.parametrize(("text", "surface", "value"), [
    ("按规定每人每月供应食油三十两。", "三十两", 30.0),
    ("中药方剂中甘草用量为二两。", "二两", 2.0),
    ("库存黄金共计1234两，折合约61.7公斤。", "1234两", 1234.0),
])
def test_numbers_liang_after_a_numeral_is_a_weight(text: str, surface: str, value: float) -> None:
    found = [n for n in extract(text) if n.unit == "两"]
    assert [(n.surface, n.value) for n in found] == [(surface, value)]


@pytest.mark.parametrize("text", ["项目将在一两个月内完成。", "每隔三两天巡检一次。"])
def test_numbers_liang_before_a_classifier_is_the_numeral_two(text: str) -> None:
    assert all(n.unit != "两" for n in extract(text))


@pytest.mark.parametrize("text", ["三十两", "十两", "两万两"])
def test_numbers_liang_never_ends_a_longer_numeral(text: str) -> None:
    """两 is a digit before a unit (两百, 两万两千) but not in the units place: 三十两 is not 32."""
    with pytest.raises(NotANumber):
        parse_number(text)


@pytest.mark.parametrize(("text", "surface", "low", "high", "unit"), [
    ("会场里来了四五十人，座位明显不够。", "四五十人", 40, 50, "人"),
    ("这项改革至少需要三五年时间才能见效。", "三五年", 3, 5, "year"),
    ("调查显示七八成受访企业支持延长补贴。", "七八成", 0.7, 0.8, "%"),
    ("该市新建了四五个算力中心。", "四五个", 4, 5, "个"),
])
def test_numbers_neighbouring_digits_are_a_vague_range(text: str, surface: str, low: float, high: float,
                                                       unit: str) -> None:
    n = _one(text)
    assert (n.surface, n.value, n.value_max, n.unit, n.qualifier) == (surface, low, high, unit, "approx")
    assert text[n.start:n.end] == surface


@pytest.mark.parametrize("text", ["五一假期期间，景区客流明显回升。", "价格是二五元"])
def test_numbers_two_bare_digits_are_no_numeral(text: str) -> None:
    assert all(n.value not in (51.0, 25.0) for n in extract(text))


@pytest.mark.parametrize(("text", "surface", "value", "per"), [
    ("菜市场里猪肉三块五一斤，比去年贵。", "三块五", 3.5, "斤"),
    ("超市鸡蛋12元一盒，每人限购两盒。", "12元", 12.0, "盒"),
    ("一块五一瓶的矿泉水很快卖光了。", "一块五", 1.5, "瓶"),
])
def test_numbers_price_per_piece_after_the_amount(text: str, surface: str, value: float, per: str) -> None:
    first = extract(text)[0]
    assert (first.surface, first.value, first.unit, first.per) == (surface, value, "CNY", per)
    assert not any(n.surface.startswith("一") and n.value == 1.0 for n in extract(text))


def test_numbers_one_month_is_not_a_price_per_piece() -> None:
    [fee] = extract("会员费30元一个月，可随时取消。")
    assert fee.per is None and fee.surface == "30元"


@pytest.mark.parametrize(("text", "value"), [("全场商品三八折。", 0.38), ("会员九九折优惠。", 0.99), ("部分商品五五折。", 0.55)])
def test_numbers_two_digit_discounts_read_digit_by_digit(text: str, value: float) -> None:
    assert _one(text).value == pytest.approx(value)


def test_numbers_a_price_after_mei_is_not_the_denominator_of_a_later_price() -> None:
    text = "以某型号储能电芯为例，其价格从2021年初的每千克16元涨到2022年底的438元，将近30倍。"
    low, high, ratio = extract(text)
    assert (low.surface, low.value, low.per) == ("16元", 16.0, "千克")
    assert (high.surface, high.per, high.change) == ("438元", "千克", "increase")
    assert ratio.unit == "x"


@pytest.mark.parametrize(("text", "per"), [
    ("每吨钢材的价格为3800元。", "吨"), ("每人每月补贴500元。", "月"), ("每年新增装机20GW。", "年"),
])
def test_numbers_per_word_prefers_a_measure_or_time_word(text: str, per: str) -> None:
    assert _one(text).per == per


def test_numbers_change_verb_with_dao_is_a_level_even_with_a_date_between() -> None:
    [_, high, _] = extract("其价格从2021年初的每千克16元涨到2022年底的438元，将近30倍。")
    assert (high.change, high.is_delta) == ("increase", False)
    [delta] = extract("每千克价格一年内涨了5元。")
    assert delta.is_delta


@pytest.mark.parametrize(("text", "surface", "subject"), [
    ("通过“东数西算”战略，国家建立了 8 大算力枢纽和 10 个数据中心集群。", "10 个", "数据中心集群"),
    ("2023年全国共有27个省份发布了储能补贴文件。", "27个", "省份"),
    ("美国又将智谱、算能等25家中国AI大模型企业列入实体清单。", "25家", "中国AI大模型企业"),
    ("第二级为局部受限的 100多个“中间国家”。", "100多个", "中间国家"),
    ("截至2024年底，全国已投运超过120个城市智算中心。", "超过120个", "城市智算中心"),
])
def test_numbers_a_count_names_what_it_counts(text: str, surface: str, subject: str) -> None:
    [n] = [a for a in extract(text) if a.surface == surface]
    assert n.subject == subject


def test_numbers_count_without_a_following_noun_keeps_the_clause_subject() -> None:
    [n] = extract("截至2024年12月，美国实体清单中的中国科技企业总数已超过1000家。")
    assert n.subject == "美国实体清单中的中国科技企业总数"
