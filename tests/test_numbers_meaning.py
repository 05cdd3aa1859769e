"""What, whose, when and what kind for each figure (extractors.numbers.meaning).

Table-driven cases with our own short sentences pin every rule; an evaluation on
hand-labelled figures of real government work reports (tests/gold/figure_meaning.tsv,
offsets into the normalized text of ``extract_document``) pins the measured accuracy.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from extractors.document import extract_document
from extractors.numbers import assertions as num
from extractors.types import NumericAssertion
from extractors.numbers.meaning import (
    MEASURES,
    ROLES,
    FigureMeaning,
    canonical_indicators,
    describe_figures,
    indicator_table,
)
from conftest import ROOT

CORPUS = ROOT.parent / "shared" / "corpora" / "gov-reports-national"
GOLD = ROOT / "tests" / "gold" / "figure_meaning.tsv"
NATIONAL = "2025年中华人民共和国国务院政府工作报告"


def _meaning(text: str, surface: str, *, title: str | None = NATIONAL, published: str | None = None,
             language: str = "zh", occurrence: int = 0) -> FigureMeaning:
    """The meaning of the figure whose surface is ``surface`` (its ``occurrence``-th match) in ``text``."""
    numbers = num.extract(text)
    found = [n for n in numbers if n.surface == surface]
    assert len(found) > occurrence, [n.surface for n in numbers]
    meanings = describe_figures(text, numbers, title=title, published=published, language=language)
    return meanings[numbers.index(found[occurrence])]


# --------------------------------------------------------------------------- the record


def test_meaning_vocabularies_are_checked() -> None:
    assert set(MEASURES) == {"level", "change", "growth_rate", "share", "multiple", "rank"}
    assert set(ROLES) == {"actual", "target", "forecast"}
    with pytest.raises(ValueError):
        FigureMeaning("国内生产总值", "中国", "2025", "count", "actual", "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        FigureMeaning("国内生产总值", "中国", "2025", "level", "plan", "x")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        FigureMeaning("国内生产总值", "中国", "2025年", "level", "actual", "x")


def test_meaning_table_loads_and_every_pattern_names_its_own_canonical_form() -> None:
    names = canonical_indicators()
    assert {"国内生产总值", "地区生产总值", "居民消费价格", "城镇新增就业", "城镇调查失业率", "城镇登记失业率",
            "居民人均可支配收入", "粮食产量", "财政赤字率", "财政赤字", "地方政府专项债券", "研发经费投入强度",
            "单位国内生产总值能耗", "进出口总额", "外汇储备", "货物贸易", "实际使用外资", "农村贫困人口",
            "棚户区改造", "保障性住房", "铁路营业里程", "高速公路", "减税降费", "国防支出"} <= names
    # a canonical name is itself one of its variants, so a text that prints the canonical name is understood
    assert {row.name for row in indicator_table() if not row.pattern.search(row.name)} == set()


# --------------------------------------------------------------------------- indicator


@pytest.mark.parametrize(("text", "surface", "indicator"), [
    ("2024年，国内生产总值达到134.9万亿元。", "134.9万亿元", "国内生产总值"),
    ("全年GDP增长5.2%。", "5.2%", "国内生产总值"),
    ("经济增长预期目标为5%左右。", "5%左右", "国内生产总值"),
    ("居民消费价格上涨0.2%。", "0.2%", "居民消费价格"),
    ("城镇新增就业1256万人，城镇调查失业率平均为5.1%。", "5.1%", "城镇调查失业率"),
    ("城镇新增就业1256万人，城镇调查失业率平均为5.1%。", "1256万人", "城镇新增就业"),
    ("城镇登记失业率为4.1%。", "4.1%", "城镇登记失业率"),
    ("今年赤字率拟按4%左右安排。", "4%左右", "财政赤字率"),
    ("赤字规模5.66万亿元。", "5.66万亿元", "财政赤字"),
    ("拟安排地方政府专项债券4.4万亿元。", "4.4万亿元", "地方政府专项债券"),
    ("研发经费投入强度达到2.68%。", "2.68%", "研发经费投入强度"),
    ("全社会研发经费支出与国内生产总值之比达到2.08%。", "2.08%", "研发经费投入强度"),
    ("单位国内生产总值能耗降低3%左右。", "3%左右", "单位国内生产总值能耗"),
    ("外汇储备超过3.2万亿美元。", "超过3.2万亿美元", "外汇储备"),
    ("实际使用外资1.1万亿元。", "1.1万亿元", "实际使用外资"),
    ("农村贫困人口减少1240万。", "1240万", "农村贫困人口"),
    ("棚户区住房改造600多万套。", "600多万套", "棚户区改造"),
    ("新增减税降费超过2.6万亿元。", "超过2.6万亿元", "减税降费"),
    ("国防支出增长7.2%。", "7.2%", "国防支出"),
    ("粮食产量1.4万亿斤左右。", "1.4万亿斤左右", "粮食产量"),
    # the noun right after the figure: 发行1500亿元长期建设国债, 年初剩余的551万农村贫困人口
    ("继续发行1500亿元长期建设国债。", "1500亿元", "长期建设国债"),
    ("年初剩余的551万农村贫困人口全部脱贫。", "551万", "农村贫困人口"),
    # a name followed by 的 + another noun is a modifier, not what is measured
    ("对全球经济增长的贡献率保持在30%左右。", "30%左右", "全球经济增长的贡献率"),
    # no table name: the subject, cleaned of cue words
    ("今年中央财政拟安排“三农”投入7161亿元。", "7161亿元", "中央财政“三农”投入"),
    # the object of an action counts, not the actor (国务院提请…审议法律议案13件)
    ("国务院提请全国人大常委会审议法律议案13件。", "13件", "法律议案"),
    ("通过贴息方式安排扶贫贷款770亿元。", "770亿元", "扶贫贷款"),
    ("今年化学需氧量、氨氮排放量要下降2%。", "2%", "氨氮排放量"),
    # no subject of its own: the figure before it in the sentence (分别增长8.9%、7.7%)
    ("装备制造业增加值分别增长8.9%、7.7%。", "7.7%", "装备制造业增加值"),
    ("赤字规模5.66万亿元、比上年增加1.6万亿元。", "1.6万亿元", "财政赤字"),
    ("能耗强度下降4.8%。", "4.8%", "单位国内生产总值能耗"),
    ("粮食生产能力达到1.2万亿斤。", "1.2万亿斤", "粮食生产能力"),  # a capacity, not the harvest
    # a generic noun (规模) names nothing: the figure before it does
    ("中央对地方转移支付增加约1.5万亿元、规模近9.8万亿元。", "近9.8万亿元", "中央对地方转移支付"),
    # English documents use the same canonical names
    ("China's GDP grew 5.0% in 2024.", "5.0%", "国内生产总值"),
    ("The unemployment rate fell to 3.9%.", "3.9%", "失业率"),
])
def test_meaning_indicator(text: str, surface: str, indicator: str) -> None:
    language = "en" if text.isascii() else "zh"
    assert _meaning(text, surface, language=language).indicator == indicator


def test_meaning_region_gdp_is_regional() -> None:
    m = _meaning("全省地区生产总值增长4.1%。", "4.1%", title="2026年广东省政府工作报告")
    assert (m.indicator, m.scope) == ("地区生产总值", "广东省")
    m = _meaning("国内生产总值增长4.1%。", "4.1%", title="2026年广东省政府工作报告")
    assert (m.indicator, m.scope) == ("地区生产总值", "广东省")


# --------------------------------------------------------------------------- scope


@pytest.mark.parametrize(("text", "surface", "title", "scope"), [
    ("全国居民人均可支配收入增长5.1%。", "5.1%", NATIONAL, "中国"),
    ("我国外汇储备超过3.2万亿美元。", "超过3.2万亿美元", NATIONAL, "中国"),
    ("美国国内生产总值增长2.8%。", "2.8%", NATIONAL, "美国"),
    ("全省地区生产总值增长4.1%。", "4.1%", "2026年广东省政府工作报告", "广东省"),
    ("全市地区生产总值增长5.2%。", "5.2%", "2025年北京市人民政府工作报告", "北京市"),
    # 隆重庆祝 holds 重庆 but names no place
    ("我们隆重庆祝成立75周年，投资增长3%。", "3%", NATIONAL, "中国"),
    ("投资增长3%。", "3%", None, None),
    # English names of places compare with Chinese ones
    ("U.S. GDP grew 2.8% in 2024.", "2.8%", None, "美国"),
    ("China's GDP grew 5.0% in 2024.", "5.0%", None, "中国"),
])
def test_meaning_scope(text: str, surface: str, title: str | None, scope: str | None) -> None:
    language = "en" if text.isascii() else "zh"
    assert _meaning(text, surface, title=title, language=language).scope == scope


# --------------------------------------------------------------------------- period


@pytest.mark.parametrize(("text", "surface", "published", "period"), [
    ("2024年，国内生产总值增长5%。", "5%", None, "2024"),
    ("去年国内生产总值增长5%。", "5%", None, "2024"),
    ("今年国内生产总值增长5%左右。", "5%左右", None, "2025"),
    # 比上年 is the comparison base, not the period
    ("今年赤字规模5.66万亿元、比上年增加1.6万亿元。", "1.6万亿元", None, "2025"),
    ("前三季度国内生产总值增长5.2%。", "5.2%", None, "2025-01/2025-09"),
    ("2024年一季度国内生产总值增长5.3%。", "5.3%", None, "2024-Q1"),
    ("2025年3月居民消费价格下降0.1%。", "0.1%", None, "2025-03"),
    ("上半年国内生产总值增长5%。", "5%", None, "2025-01/2025-06"),
    ("“十四五”时期单位国内生产总值能耗降低13.5%。", "13.5%", None, "2021/2025"),
    ("到2030年非化石能源消费比重达到25%。", "25%", None, "2030"),
    ("过去五年国内生产总值年均增长5.2%。", "5.2%", None, "2020/2024"),
    ("2021-2025年研发经费年均增长7%。", "7%", None, "2021/2025"),
    # the date wins over the title's year; English dates come after the figure
    ("去年国内生产总值增长5%。", "5%", "2026-03-05", "2025"),
    ("GDP grew 5% last year.", "5%", "2025-01-20", "2024"),
    ("GDP grew 5.4% in the first quarter of 2024.", "5.4%", None, "2024-Q1"),
    # a five-year review: 从 is the year before the range, 增加到 its end
    ("过去五年，财政收入从5.1万亿元增加到11.7万亿元。", "5.1万亿元", None, "2019"),
    ("过去五年，财政收入从5.1万亿元增加到11.7万亿元。", "11.7万亿元", None, "2024"),
])
def test_meaning_period_from_the_sentence(text: str, surface: str, published: str | None, period: str) -> None:
    language = "en" if text.isascii() else "zh"
    assert _meaning(text, surface, published=published, language=language).period == period


def test_meaning_period_from_heading_and_report_sections() -> None:
    text = ("一、2024年工作回顾\n\n城镇新增就业1256万人。\n\n"
            "二、今年政府工作任务\n\n居民消费价格涨幅2%左右。\n\n"
            "（一）稳就业\n\n城镇新增就业1200万人以上。")
    assert _meaning(text, "1256万人").period == "2024"
    assert _meaning(text, "2%左右").period == "2025"
    assert _meaning(text, "1200万人以上").period == "2025"  # a sub-heading without a year keeps its section's


def test_meaning_period_review_without_a_year_is_the_year_before() -> None:
    text = "一、过去一年工作回顾\n\n粮食产量达到46947万吨。\n\n一、去年工作回顾\n\n外汇储备达到2万亿美元。"
    assert _meaning(text, "46947万吨", title="2005年国务院政府工作报告").period == "2004"
    assert _meaning(text, "2万亿美元", title="2005年国务院政府工作报告").period == "2004"


def test_meaning_period_quarter_of_an_earlier_sentence_does_not_carry() -> None:
    text = "三、今年政府工作任务\n\n2024年一季度，经济开局良好。设备购置投资增长15.7%。"
    assert _meaning(text, "15.7%").period == "2024"


def test_meaning_period_topic_opens_a_sentence_or_paragraph() -> None:
    text = ("二、“十三五”时期发展成就和“十四五”时期主要目标任务\n\n“十四五”时期是新征程的第一个五年。\n\n"
            "——常住人口城镇化率提高到65%，单位国内生产总值能耗降低13.5%。\n\n"
            "到明年底，基本实现道路硬化。再解决6000万人安全饮水问题。")
    title = "2021年国务院政府工作报告"
    assert _meaning(text, "13.5%", title=title).period == "2021/2025"
    assert _meaning(text, "65%", title=title).period == "2025"  # a level reached over a range: its end
    assert _meaning(text, "65%", title=title).role == "target"
    # a deadline opening a sentence is no topic: the figure keeps the section's period
    assert _meaning(text, "6000万人", title=title).period == "2021/2025"


def test_meaning_period_average_over_the_reviewed_range() -> None:
    text = "一、“九五”时期国民经济和社会发展的回顾\n\n国内生产总值2000年达89404亿元，平均每年增长8.3%。"
    title = "2001年国务院政府工作报告"
    assert _meaning(text, "89404亿元", title=title).period == "2000"
    assert _meaning(text, "8.3%", title=title).period == "1996/2000"


def test_meaning_period_unknown_without_any_date() -> None:
    assert _meaning("投资增长3%。", "3%", title=None).period is None


# --------------------------------------------------------------------------- measure


@pytest.mark.parametrize(("text", "surface", "measure"), [
    ("国内生产总值达到134.9万亿元。", "134.9万亿元", "level"),
    ("国内生产总值增长5%。", "5%", "growth_rate"),
    ("居民消费价格涨幅回落到2.6%。", "2.6%", "growth_rate"),
    ("广义货币M2和社会融资规模余额预期增长均为12%左右。", "12%左右", "growth_rate"),
    ("城镇调查失业率平均为5.1%。", "5.1%", "share"),
    ("常住人口城镇化率提高到67%。", "67%", "share"),
    ("比上年提高1个百分点。", "1个百分点", "change"),
    ("赤字规模比上年增加1.6万亿元。", "1.6万亿元", "change"),
    ("城镇新增就业1256万人。", "1256万人", "level"),  # a flow named with 新增 is a level
    ("国有企业利润为1997年的2.9倍。", "2.9倍", "multiple"),
    ("新设7个自贸试验区。", "7个", "level"),
    ("为3730万名贫困家庭学生免费提供教科书。", "3730万名", "level"),  # 名 counts people, no rank
    ("7%左右的速度可以实现比较充分的就业。", "7%左右", "growth_rate"),
    ("Inflation rose to 3.2% in March.", "3.2%", "growth_rate"),  # a price index in % is a rate of change
    ("The unemployment rate fell to 3.9%.", "3.9%", "share"),
])
def test_meaning_measure(text: str, surface: str, measure: str) -> None:
    language = "en" if text.isascii() else "zh"
    assert _meaning(text, surface, language=language).measure == measure


def test_meaning_measure_rank() -> None:
    """A place in a ranking (居世界第1位): the numbers stage keeps ordinals out, so the figure is built here."""
    text = "货物贸易总额居世界第1位。"
    at = text.index("1位")
    ranked = NumericAssertion(start=at, end=at + 1, surface="1", value=1.0)
    m = describe_figures(text, [ranked], title=NATIONAL, published=None, language="zh")[0]
    assert (m.indicator, m.measure) == ("货物贸易", "rank")


def test_meaning_measure_follows_the_figure_before_when_it_names_nothing_itself() -> None:
    text = "广义货币M2增长11.3%，低于13%左右的预期目标。"
    m = _meaning(text, "低于13%左右")
    assert (m.indicator, m.measure, m.role) == ("广义货币", "growth_rate", "target")


# --------------------------------------------------------------------------- role


@pytest.mark.parametrize(("text", "surface", "role"), [
    ("今年发展主要预期目标是：国内生产总值增长5%左右；城镇调查失业率5.5%左右。", "5.5%左右", "target"),
    ("力争粮食产量达到1.4万亿斤。", "1.4万亿斤", "target"),
    ("今年赤字率拟按4%左右安排。", "4%左右", "target"),
    ("到2030年非化石能源消费比重达到25%。", "25%", "target"),
    ("预计全年国内生产总值增长5%。", "5%", "forecast"),
    ("国内生产总值增长7.8%，虽然略低于8%的预定目标。", "7.8%", "actual"),
    ("国内生产总值增长7.8%，虽然略低于8%的预定目标。", "低于8%", "target"),
    ("城镇新增就业980万人，超过预期目标。", "980万人", "actual"),
    ("2024年，国内生产总值增长5%。", "5%", "actual"),
])
def test_meaning_role(text: str, surface: str, role: str) -> None:
    assert _meaning(text, surface).role == role


def test_meaning_role_in_a_work_report_follows_the_section() -> None:
    text = "一、2024年工作回顾\n\n粮食产量1.4万亿斤。\n\n三、2025年政府工作任务\n\n城乡居民基础养老金最低标准再提高20元。"
    assert _meaning(text, "1.4万亿斤").role == "actual"
    assert _meaning(text, "20元").role == "target"
    # outside a work report the section says nothing about plans
    assert _meaning(text, "20元", title="2025年某研究报告").role == "actual"


def test_meaning_from_x_to_y_in_a_plan_the_from_value_is_last_years_actual() -> None:
    text = "三、2017年重点工作任务\n\n年应纳税所得额上限由30万元提高到50万元。"
    old, new = _meaning(text, "30万元", title="2017年国务院政府工作报告"), _meaning(
        text, "50万元", title="2017年国务院政府工作报告")
    assert (old.period, old.role) == ("2016", "actual")
    assert (new.period, new.role) == ("2017", "target")


def test_meaning_from_a_dated_value_to_the_next() -> None:
    """由2003年的77%提高到96%: the 77% is of 2003, the 96% of the section's year, not 2003."""
    text = "一、2006年工作回顾\n\n西部地区人口覆盖率由2003年的77%提高到96%。"
    title = "2007年国务院政府工作报告"
    assert _meaning(text, "77%", title=title).period == "2003"
    assert _meaning(text, "96%", title=title).period == "2006"


def test_meaning_a_present_fact_in_a_plan_is_last_years_actual() -> None:
    text = "三、2022年政府工作任务\n\n我国有2.9亿在校学生，要坚持把教育办好。"
    m = _meaning(text, "2.9亿", title="2022年国务院政府工作报告")
    assert (m.period, m.role) == ("2021", "actual")


def test_meaning_keeps_order_and_length() -> None:
    text = "国内生产总值增长5%，居民消费价格上涨0.2%。"
    numbers = num.extract(text)
    out = describe_figures(text, numbers, title=NATIONAL, published=None, language="zh")
    assert [m.indicator for m in out] == ["国内生产总值", "居民消费价格"]
    assert describe_figures(text, [], title=NATIONAL, published=None, language="zh") == []


# --------------------------------------------------------------------------- real reports


@dataclass(frozen=True)
class _Gold:
    file: str
    start: int
    end: int
    surface: str
    period: str
    indicator: str
    measure: str
    role: str
    scope: str


def _gold_rows() -> list[_Gold]:
    lines = [line for line in GOLD.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = []
    for rec in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        rows.append(_Gold(rec["file"], int(rec["start"]), int(rec["end"]), rec["surface"], rec["period"],
                          rec["indicator"], rec["measure"], rec["role"], rec["scope"]))
    return rows


@lru_cache(maxsize=None)
def _described(name: str) -> dict[tuple[int, int], tuple[str, FigureMeaning]]:
    path = CORPUS / name
    doc = extract_document(path.read_bytes(), source=str(path))
    meanings = describe_figures(doc.text, doc.numbers, title=doc.title, published=doc.published,
                                language=doc.language)
    return {(n.start, n.end): (n.surface, m) for n, m in zip(doc.numbers, meanings)}


def _same_indicator(expected: str, predicted: str | None) -> bool:
    """Canonical names must match exactly; a free noun phrase may be a trimmed or padded form of the label
    (the shorter at least half the longer: 扶贫对象 ~ 扶贫对象覆盖, but not 专项 ~ 专项和部门应急预案)."""
    if not predicted:
        return False
    if expected in canonical_indicators() or predicted in canonical_indicators():
        return predicted == expected
    short, long_ = sorted((expected, predicted), key=len)
    return short in long_ and 2 * len(short) >= len(long_)


#: Which reports' figures make which set: the rules were developed on the development set; the held-out set was
#: labelled after they were written (two later rules came from its errors); the fresh set was labelled last.
SETS = {
    "held_out": {f"{year}_国务院政府工作报告.txt" for year in (2003, 2011, 2019, 2023)},
    "fresh": {f"{year}_国务院政府工作报告.txt" for year in (2007, 2015, 2018, 2022)},
}


def _set_of(file: str) -> str:
    return next((name for name, files in SETS.items() if file in files), "development")


def _scores(which: str) -> dict[str, float]:
    rows = [r for r in _gold_rows() if r.period != "-" and _set_of(r.file) == which]
    hits = {"period": 0, "indicator": 0, "measure": 0, "role": 0, "scope": 0}
    for r in rows:
        surface, m = _described(r.file)[(r.start, r.end)]
        assert surface == r.surface, (r.file, r.start)
        hits["period"] += (m.period or "") == r.period
        hits["indicator"] += _same_indicator(r.indicator, m.indicator)
        hits["measure"] += m.measure == r.measure
        hits["role"] += m.role == r.role
        hits["scope"] += (m.scope or "") == r.scope
    return {k: v / len(rows) for k, v in hits.items()} | {"n": len(rows)}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpora")
@pytest.mark.parametrize("which", ["development", "held_out", "fresh"])
def test_meaning_accuracy_on_hand_labelled_report_figures(which: str) -> None:
    """Hand-labelled statistics of real reports: 184 of seven reports (development), 56 and 72 of eight more.

    Floors at what we measured (goal: period >= 0.85, indicator meaningful >= 0.80).
    """
    scores = _scores(which)
    print(which, scores)
    assert scores["n"] >= (150 if which == "development" else 50)
    for field in ("period", "indicator", "measure", "role", "scope"):
        assert scores[field] >= FLOORS[which][field], (field, scores)


FLOORS = {
    "development": {"period": 0.97, "indicator": 0.87, "measure": 0.98, "role": 0.98, "scope": 1.0},
    "held_out": {"period": 0.94, "indicator": 0.78, "measure": 0.98, "role": 0.98, "scope": 1.0},
    "fresh": {"period": 0.95, "indicator": 0.66, "measure": 0.98, "role": 0.97, "scope": 1.0},
}


@pytest.mark.parametrize(("text", "surface", "period", "indicator"), [
    # a date right before the figure is its own, even after 比 or 是
    ("2024年国内生产总值比2023年的126万亿元增加了8.9万亿元。", "126万亿元", "2023", "国内生产总值"),
    ("2024年国内生产总值134.9万亿元，是2021年114万亿元的1.18倍。", "114万亿元", "2021", "国内生产总值"),
    # but a multiple's attached date is its base, not its period
    ("2000年国有企业实现利润2392亿元，为1997年的2.9倍。", "2.9倍", "2000", None),
    # a sentence that restates the one before keeps its indicator
    ("2024年国内生产总值达到134.9万亿元。也就是说，比上年增加了8.9万亿元。", "8.9万亿元", "2024", "国内生产总值"),
    # an attribution opening the sentence is not what is measured
    ("报告显示，2024年国内生产总值达到134.9万亿元，增长5%。", "5%", "2024", "国内生产总值"),
])
def test_meaning_own_dates_restatements_and_attributions(text: str, surface: str, period: str,
                                                         indicator: str | None) -> None:
    m = _meaning(text, surface, title=None, published="2025-03-05")
    assert m.period == period
    if indicator:
        assert m.indicator == indicator


def test_meaning_money_supply_needs_the_capital_m() -> None:
    """M2 is broad money; 'per m2' in an English cost table is square metres."""
    text = "A reflective coating costs EUR 18 per m2 of roof."
    m = _meaning(text, "EUR 18", title=None, language="en")
    assert m.indicator != "广义货币"


@pytest.mark.parametrize(("subject", "phrase"), [
    (" to the Harbor Energy Institute. That is", None),   # over a sentence break, only linking words left
    ("while battery pack prices", "battery pack prices"),
    ("cost | Cooling effect Street tree |", "Cooling effect Street tree"),  # the last table cell
    ("0 and 2020. Heat-related ambulance calls", "Heat-related ambulance calls"),
    (". Reflective roof coatings on", "Reflective roof coatings"),
    ("Median project size:", "Median project size"),
])
def test_meaning_english_subject_phrase(subject: str, phrase: str | None) -> None:
    from extractors.numbers.meaning import _english_phrase

    assert _english_phrase(subject) == phrase


@pytest.mark.parametrize(("indicator", "better"), [
    ("居民消费价格", "lower"), ("城镇调查失业率", "lower"), ("国内生产总值", "higher"), ("城镇新增就业", "higher"),
    ("智能算力规模", None), (None, None),
])
def test_meaning_better_direction_comes_from_the_table(indicator: str | None, better: str | None) -> None:
    from extractors.numbers.meaning import better_direction

    assert better_direction(indicator) == better


# --------------------------------------------------------------------------- two periods in one review
# Our own sentences in the shape of the 2026 provincial reports, whose first part reviews the five-year plan and
# the last year together ("一、“十四五”时期和2025年工作回顾"): 15 of 15 conflict and arithmetic warnings
# on the 31 real reports were false before these rules (see benchmarks/findings_unseen.py).
PROVINCIAL = "2026年示例省政府工作报告"
MIXED = ("一、“十四五”时期和2025年工作回顾\n\n"
         "这五年，我们坚持就业优先，城镇新增就业超690万人。\n\n"
         "（八）增进民生福祉。城镇新增就业141万人，城镇调查失业率4.6%。\n\n"
         "各位代表，刚刚过去的2025年，全省城镇新增就业135万人。\n\n"
         "城镇新增就业130万人。\n\n"
         "二、2026年工作安排\n\n"
         "城镇新增就业120万人以上。\n")


def test_meaning_a_heading_naming_two_periods_gives_none() -> None:
    assert _meaning(MIXED, "超690万人", title=PROVINCIAL).period == "2021/2025"  # 这五年 opens its paragraph
    # A numbered item is not carried by an earlier paragraph's 这五年: it may be the year's account.
    assert _meaning(MIXED, "141万人", title=PROVINCIAL).period is None
    # 各位代表，刚刚过去的2025年，… opens the paragraph with its year, after the address.
    assert _meaning(MIXED, "135万人", title=PROVINCIAL).period == "2025"
    assert _meaning(MIXED, "130万人", title=PROVINCIAL).period == "2025"  # the topic carries on
    # A heading naming one period still gives it.
    assert _meaning(MIXED, "120万人以上", title=PROVINCIAL).period == "2026"


def test_meaning_a_review_of_one_year_still_falls_back_to_the_report_year() -> None:
    text = "一、2025年工作回顾\n\n（一）城镇新增就业141万人。\n"
    assert _meaning(text, "141万人", title=PROVINCIAL).period == "2025"


def test_meaning_growth_over_several_years_is_about_those_years() -> None:
    text = "一、“十四五”时期工作回顾\n\n居民人均可支配收入五年增长30.8%。\n"
    assert _meaning(text, "30.8%", title=PROVINCIAL).period == "2021/2025"
    assert _meaning("居民收入十五年增长2倍。", "2倍", title=PROVINCIAL).period != "2021/2025"


def test_meaning_the_opening_line_dates_a_report_without_a_title() -> None:
    text = ("政府工作报告——2026年1月26日在示例省第十四届人民代表大会第五次会议上示例省省长 某某各位代表：现在，我代表省人民政府，"
            "向大会报告工作。\n\n一、2025年工作回顾\n\n去年全省粮食产量1300万吨。\n")
    m = _meaning(text, "1300万吨", title=None)
    assert m.period == "2025"


def test_meaning_a_share_of_a_table_indicator_is_not_that_indicator() -> None:
    text = "文化及相关产业、旅游及相关产业增加值占地区生产总值比重分别超过2%、5%。"
    for surface in ("超过2%", "5%"):
        m = _meaning(text, surface, title=PROVINCIAL)
        assert m.measure == "share"
        assert m.indicator != "地区生产总值"
