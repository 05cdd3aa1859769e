"""Numbers that are no quantities (issue 12): words with numeral characters, names, dates, list
markers, ranks and English citations; and the other way round, counts written in words.

The sentences in the tables are our own.  The corpus tests run the 25 national government work
reports in ``../shared/corpora/gov-reports-national`` through :func:`extract_document` (as the
pipeline does) and check two things: no assertion overlaps a span of a trap shape (the shapes
below, each written to match only text that is certainly not a quantity), and the subjects hit
the hand labels of ``tests/gold/number_subjects.tsv`` at least as often as measured.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from extractors.numbers.assertions import extract
from extractors.numbers.scan import scan_numbers
from extractors.types import NumericAssertion

from conftest import SHARED

CORPUS = SHARED / "corpora" / "gov-reports-national"
LABELS = Path(__file__).parent / "gold" / "number_subjects.tsv"
#: Measured 2026-12-06 on the 150 labelled figures: 134/150 = 0.893 (before issue 12: 90/150 = 0.600).
#: Floors only go up; this one is two figures below the measurement.
SUBJECT_FLOOR = 0.88


def _overlaps(found: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in found)


def _span(text: str, trap: str) -> tuple[int, int]:
    start = text.index(trap)
    return start, start + len(trap)


# --------------------------------------------------------------------------- Chinese traps

CHINESE_TRAPS = [
    # words with numeral characters
    ("带动设备和零部件出口。", "零部件"),
    ("推进区域一体化发展。", "一体化"),
    ("建设全国统一大市场。", "统一"),
    ("建设一流大学和一流学科。", "一流"),
    ("做好三农工作。", "三农"),
    ("万物互联的时代到来。", "万物"),
    ("实施一些措施。", "一些"),
    ("推出一批重大项目。", "一批"),
    ("出台一系列政策。", "一系列"),
    ("高质量共建一带一路。", "一带一路"),
    ("打好三大攻坚战。", "三大攻坚战"),
    ("外贸出口一度出现负增长。", "一度"),
    ("推进千兆光网建设。", "千兆"),
    ("推进城市百兆光纤工程。", "百兆"),
    ("发展农村二三产业。", "二三产业"),
    ("三四线城市库存下降。", "三四线"),
    ("依靠三次产业共同带动。", "三次产业"),
    ("实现了千百年来的梦想。", "千百年"),
    ("千千万万个市场主体活跃起来。", "千千万万个"),
    ("坚持和平共处五项原则。", "五项原则"),
    ("召开全国两会。", "两会"),
    ("近两年来，经济稳中有进。", "近两年"),
    # slogans in short quotes
    ("协调推进“四个全面”战略布局。", "四个全面"),
    ("坚持“两个毫不动摇”。", "两个毫不动摇"),
    ("打通“最后一公里”。", "最后一公里"),
    ("以“三个代表”重要思想为指导。", "三个代表"),
    ("落实“两个确保”。", "两个确保"),
    # plan names
    ("“十四五”规划目标任务顺利完成。", "十四五"),
    ("科学编制“十五五”规划。", "十五五"),
    ("十一五时期单位能耗下降。", "十一五"),
    ("制定第十个五年计划。", "五年计划"),
    ("编制第十一个五年规划纲要。", "五年规划"),
    # meeting names
    ("党的二十届四中全会审议通过建议。", "二十届四中全会"),
    ("深入贯彻十九届五中全会精神。", "十九届五中全会"),
    ("按照十三届全国人大五次会议批准的计划。", "十三届全国人大五次会议"),
    ("党的十九大以来，改革全面深化。", "十九大"),
    ("党的二十大报告提出新要求。", "二十大"),
    # dates
    ("二〇二五年一月二十五日，会议召开。", "二〇二五年一月二十五日"),
    ("2025年1月25日，国务院召开常务会议。", "2025年1月25日"),
    ("去年一季度经济开局良好。", "一季度"),
    ("前三季度经济回升。", "三季度"),
    ("庆祝新中国成立75周年。", "75周年"),
    ("庆祝中国共产党成立一百周年。", "一百周年"),
    # list markers
    ("（一）加快发展现代化产业体系。", "（一）"),
    ("一、2024年工作回顾", "一、"),
    ("1. 推进改革。", "1."),
    ("（2）加强监管。", "（2）"),
    # ranks
    ("经济总量稳居世界第二。", "第二"),
    ("出口额跃居世界第一位。", "第一位"),
]


@pytest.mark.parametrize(("text", "trap"), CHINESE_TRAPS)
def test_chinese_trap_is_no_assertion(text: str, trap: str) -> None:
    start, end = _span(text, trap)
    assert not _overlaps([(a.start, a.end) for a in extract(text)], start, end)


#: Traps where the old scanner read a number inside the word (零 in 零部件, 一 in 统一): now it reads none.
WORD_TRAPS = [
    ("带动设备和零部件出口。", "零部件"),
    ("建设全国统一大市场。", "统一"),
    ("建设一流大学。", "一流"),
    ("做好三农工作。", "三农"),
    ("万物互联。", "万物"),
    ("外贸出口一度出现负增长。", "一度"),
    ("推进千兆光网建设。", "千兆"),
    ("坚持和平共处五项原则。", "五项原则"),
    ("以“三个代表”重要思想为指导。", "三个代表"),
    ("庆祝中国共产党成立一百周年。", "一百周年"),
    ("制定第十个五年计划。", "五年计划"),
    ("科学编制“十四五”规划。", "十四五"),
]


@pytest.mark.parametrize(("text", "trap"), WORD_TRAPS)
def test_numeral_inside_a_word_is_not_scanned(text: str, trap: str) -> None:
    start, end = _span(text, trap)
    assert not _overlaps([(t.start, t.end) for t in scan_numbers(text)], start, end)


@pytest.mark.parametrize(("text", "surface", "value"), [
    ("“十四五”时期经济年均增长5.5%。", "5.5%", 0.055),  # the plan name goes, the figure stays
    ("近两年来，城镇新增就业1200万人。", "1200万人", 1.2e7),
    ("二〇二五年粮食产量达到7亿吨。", "7亿吨", 7e8),
    ("农村贫困人口减少1000万以上。", "1000万以上", 1e7),
    ("三个季度的增速都超过5%。", "三个", 3.0),  # N个季度 is a count of quarters, 三季度 a date
    ("新增3000万千瓦装机。", "3000万千瓦", 3e7),
    ("比三十大一些。", "比三十大", 30.0),  # an adjective after the numeral: 三十大 is no word here
])
def test_quantities_next_to_traps_stay(text: str, surface: str, value: float) -> None:
    found = {a.surface: a.value for a in extract(text)}
    assert surface in found and found[surface] == pytest.approx(value)


@pytest.mark.parametrize(("text", "scope"), [
    ("2025年1月25日，国务院决定新增1000亿元。", "2025年1月25日"),
    ("二〇二五年一月二十五日，国务院决定新增1000亿元。", "二〇二五年一月二十五日"),
])
def test_a_date_is_the_time_scope_not_a_quantity(text: str, scope: str) -> None:
    [a] = extract(text)
    assert (a.surface, a.time_scope) == ("1000亿元", scope)


# --------------------------------------------------------------------------- English traps and counts

ENGLISH_TRAPS = [
    ("See Executive Order 12866 for the review.", "12866"),
    ("The review followed Executive Orders 12866 and 13563.", "12866"),
    ("Under 14 CFR 25.1329 the system must disengage.", "14 CFR 25.1329"),
    ("The rule is in Docket No. FAA-2020-0686.", "FAA-2020-0686"),
    ("Under 5 U.S.C. 801 the rule was reported.", "5 U.S.C. 801"),
    ("Public Law 104-121 added the review.", "104-121"),
    ("RIN 2120-AA64 identifies the rule.", "2120-AA64"),
    ("Call (202) 267-1234 for details.", "(202) 267-1234"),
    ("Fax 202-267-5678 with comments.", "202-267-5678"),
    ("Send mail to Washington, DC 20591.", "20591"),
    ("Install Version 2.1 of the software.", "2.1"),
    ("See 85 FR 74560 for the proposal.", "85 FR 74560"),
    ("Amendment 39-21332 was issued.", "39-21332"),
]


@pytest.mark.parametrize(("text", "trap"), ENGLISH_TRAPS)
def test_english_citation_is_no_assertion(text: str, trap: str) -> None:
    start, end = _span(text, trap)
    assert not _overlaps([(a.start, a.end) for a in extract(text)], start, end)


def test_executive_is_no_cut() -> None:
    """'cut' inside 'Executive' made 12866 a decrease; English change verbs are whole words."""
    [a] = extract("Under the Executive plan, costs cut by 12%.")
    assert (a.surface, a.change) == ("12%", "decrease")


@pytest.mark.parametrize(("text", "surface", "value", "unit"), [
    ("The rule would require four design changes to the system.", "four design changes", 4.0, "changes"),
    ("The system compares inputs from two AOA sensors.", "two AOA sensors", 2.0, "sensors"),
    ("The software will permit only one activation of the system.", "one activation", 1.0, "activation"),
    ("If one AOA sensor fails, the system stops.", "one AOA sensor", 1.0, "sensor"),
    ("The FAA received comments from three commenters.", "three commenters", 3.0, "commenters"),
])
def test_formal_english_counts(text: str, surface: str, value: float, unit: str) -> None:
    assert (surface, value, unit) in [(a.surface, a.value, a.unit) for a in extract(text)]


@pytest.mark.parametrize("text", [
    "He was the only one who came.",
    "The rule took effect one year later.",
    "It happened at one time or another.",
    "No one objected to the rule.",
])
def test_one_as_pronoun_or_period_counts_nothing(text: str) -> None:
    assert extract(text) == []


# --------------------------------------------------------------------------- subjects


@pytest.mark.parametrize(("text", "surface", "expected"), [
    ("今年要再解决3200万农村人口的饮水问题。", "3200万", "农村人口"),
    ("城镇新增就业1184万人。", "1184万人", "城镇新增就业"),
    ("国内生产总值2000年达89404亿元，平均每年增长8.3%。", "8.3%", "国内生产总值"),
    ("国家财政收入比上年增加1501亿元。", "1501亿元", "国家财政收入"),
    ("中央财政安排1000亿元专项奖补资金。", "1000亿元", "专项奖补资金"),
    ("加快数字政府建设，90%以上的政务服务实现网上可办。", "90%以上", "政务服务"),
    ("巩固基本普及九年义务教育的成果。", "九年", "义务教育"),
    ("国务院组成部门由40个减少到29个。", "29个", "国务院组成部门"),
    ("今年赤字率拟按2.6%安排。", "2.6%", "赤字率"),
    ("报告显示，2024年国内生产总值达到134.9万亿元，增长5%。", "5%", "国内生产总值"),  # not 报告显示
    ("2024年国内生产总值134.9万亿元，是2021年114万亿元的1.18倍。", "114万亿元", "国内生产总值"),
])
def test_subject_is_a_noun_phrase(text: str, surface: str, expected: str) -> None:
    [a] = [a for a in extract(text) if a.surface == surface]
    assert a.subject == expected


@pytest.mark.parametrize(("text", "surface"), [
    ("折合 50 亿元。", "50 亿元"),
    ("区区 3%。", "3%"),
    ("达到 134.9万亿元。", "134.9万亿元"),
])
def test_lone_verb_or_adverb_is_no_subject(text: str, surface: str) -> None:
    [a] = [a for a in extract(text) if surface in a.surface]
    assert a.subject is None


def test_long_english_subject_starts_at_a_word() -> None:
    text = "This AD would require four design changes, including a change that would compare inputs from two AOA sensors."
    [a] = [a for a in extract(text) if a.surface == "two AOA sensors"]
    assert a.subject == "a change that would compare inputs"


# --------------------------------------------------------------------------- the 25 reports

#: Shapes of what is certainly not a quantity.  Strict: any assertion overlapping one fails.  Fair:
#: each shape needs its context (a plan numeral needs its quotes or 规划/时期, a meeting needs 届/中全会,
#: a quarter 季度 without 个, a year four digits and 年), so real figures next to them are not hit.
TRAP_SHAPES: dict[str, re.Pattern[str]] = {
    "word": re.compile(
        r"零部件|零件|一体化|统一|一流|三农|万物|一些|一批|一系列|一带一路|三大攻坚战|四个全面|三个代表|一度(?!电)"
        r"|[千百万]兆|千百年|千千万万|两会|[一二三]{2,3}产业|三次产业|[一二三四五]{1,2}线城市|万一|(?<!分)之一|唯一|同一|单一"),
    "plan": re.compile(r"“(?:十[一二三四五六七八九]?|[六七八九])五”|(?:十[一二三四五六七八九]|[六七八九])五(?=规划|计划|时期|期间)"
                       r"|五年(?:计划|规划)"),
    "meeting": re.compile(r"[一二三四五六七八九十]+届|[一二三四五六七八九十]+中全会|(?:十[一二三四五六七八九]|二十)大(?=以来|精神|报告|代表|召开)"
                          r"|(?<=人大|政协)[一二三四五六七八九十]+次(?:全体)?会议|第[一二三四五六七八九十]+次全国代表大会"),
    "slogan": re.compile(r"“[^”“\n，。；：]{0,10}?[一二两三四五六七八九十百千万][^”“\n，。；：]{0,10}?”"),
    "list": re.compile(r"(?:^|\n)[ \t]*(?:[（(][一二三四五六七八九十0-9]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|[0-9]{1,2}[.、．](?![0-9]))"
                       r"|[（(][一二三四五六七八九十]{1,3}[）)]"),
    "date": re.compile(r"(?:1[89][0-9]{2}|20[0-9]{2}|[〇零一二三四五六七八九]{4})年(?:[0-9一二三四五六七八九十]{1,2}月"
                       r"(?:[0-9一二三四五六七八九十]{1,3}[日号])?)?|[0-9一二三四五六七八九十]{1,2}月[0-9一二三四五六七八九十]{1,3}[日号]"
                       r"|(?<![0-9个两三四])[一二三四1-4]季度"),
    "rank": re.compile(r"第[ \t]*[0-9一二三四五六七八九十百千]+|首[位个次家批]|[0-9一二三四五六七八九十百]+周年"),
}


@lru_cache(maxsize=1)
def _corpus() -> dict[str, tuple[str, tuple[NumericAssertion, ...]]]:
    from extractors.document import extract_document

    out = {}
    for path in sorted(CORPUS.glob("*.txt")):
        doc = extract_document(path.read_bytes(), source=str(path))
        out[path.name] = (doc.text, tuple(doc.numbers))
    return out


needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")


@needs_corpus
def test_corpus_has_no_trap_assertions() -> None:
    hits = []
    for name, (text, numbers) in _corpus().items():
        spans = [(kind, m.start(), m.end()) for kind, rx in TRAP_SHAPES.items() for m in rx.finditer(text)]
        for a in numbers:
            hits.extend(f"{name} {a.start} {kind}: {a.surface!r}" for kind, s, e in spans if s < a.end and a.start < e)
    assert len(_corpus()) == 25
    assert not hits, hits[:20]


def _subject_ok(found: str | None, expected: str) -> bool:
    if expected == "-":
        return found is None
    return found is not None and (expected in found or (found in expected and len(found) >= 2))


@needs_corpus
def test_corpus_subjects_meet_the_labels() -> None:
    rows = [line.split("\t") for line in LABELS.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    corpus = _corpus()
    right = 0
    for name, offset, expected in rows:
        _, numbers = corpus[name]
        [a] = [a for a in numbers if a.start == int(offset)]  # a labelled figure that vanished fails here
        right += _subject_ok(a.subject, expected)
    assert len(rows) >= 100
    assert right / len(rows) >= SUBJECT_FLOOR, f"{right}/{len(rows)}"


@pytest.mark.parametrize("text", ["分辨率支持 224x224、448x448 和 896x896。", "Images are resized to 1920×1080 first.",
                                  "It only runs on 8x V100 (32GB).", "Training used 2x GPUs and 4x A100 nodes."])
def test_a_size_or_a_device_count_is_no_multiple(text: str) -> None:
    """224x224 is a size and 8x V100 eight accelerators (real blog posts write both); "64x cheaper" stays a multiple."""
    assert [a.surface for a in extract(text) if a.unit_kind == "multiple"] == []


def test_an_x_multiple_stays() -> None:
    assert [(a.surface, a.unit_kind) for a in extract("That is 64x cheaper than the API.")] == [("64x", "multiple")]
