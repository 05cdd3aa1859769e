"""Microsoft Recognizers-Text's Chinese specs run through our scanner and extractor.

Every case of every file runs.  A case that fails must be listed in
``KNOWN_GAPS`` with a reason (out of scope, a spec quirk, or a gap we accept);
an unlisted failure fails the test, so does a listed gap that now passes (the
list stays true), and the per-file pass rate must stay at or above a floor
pinned from a measured run (floors only go up).  ``pytest -s``
prints the rates.

Inputs are folded like our normalizer folds them (full-width ASCII to ASCII,
but ``，：；！？（）`` kept), so ``４，５６５`` arrives as ``4，565``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest

from extractors.numbers.assertions import extract
from extractors.numbers.scan import scan_numbers

from conftest import SUITES

SPECS = SUITES / "recognizers-text"
KEEP_FULL_WIDTH = set("，：；！？（）")

# Measured 2026-11-25; raise when the extractor improves, never lower silently.  The last four
# raised the same day (two-sided bounds, compound money, 两, 华氏/摄氏): one error below the measured
# rate (NumberRange 61/65, Currency 30/35, Dimension 35/36, Temperature 8/10).
FLOORS: dict[str, float] = {
    "Number/Chinese/NumberModel.json": 0.958,
    # Lowered on purpose from 0.953: 二三十个百分点 (and its traditional form) is now read as 20 to 30
    # points, a vague range as Chinese means it, where the spec expects no result (see _VAGUE_PAIR);
    # one error below the new measurement, 143/152 = 94.1%.
    "Number/Chinese/PercentModel.json": 0.934,
    "Number/Chinese/NumberRangeModel.json": 0.923,
    "Number/Chinese/OrdinalModel.json": 0.0,  # out of scope: see FILE_GAPS
    "NumberWithUnit/Chinese/CurrencyModel.json": 0.828,
    "NumberWithUnit/Chinese/DimensionModel.json": 0.944,
    "NumberWithUnit/Chinese/AgeModel.json": 0.9,
    "NumberWithUnit/Chinese/TemperatureModel.json": 0.7,
}

_COMMA_LIST = ("a full-width comma between digit groups of three is read as a thousands separator (full-width "
               "text layers write １，０００), so the price list $20，300美圆 becomes 20300")
_HALF = "半 (half) suffixes and 半百 are not parsed"
_POWER = "signed exponents like ^--23 are a spec quirk"
_NOT_NUMBER = "the spec leaves currency amounts to the currency model; we read 一美元 as a number"
_ORDINAL = "ordinals (第N) are not quantities: we drop them on purpose"
_LONE_YI = ("a lone 一 with no unit is not a quantity (一以上个苹果 puts the classifier after 以上), and 以上 "
            "includes the bound for us")
_UNIT_ONLY = "a unit without a number (人民币, 摄氏度) is not a numeric assertion"
_SEN = "銭 (sen, 1/100 yen) has not circulated since 1953; only 角/毛/分, 美分, 欧分 and 便士 join an amount"
_BIT = "一位 as one bit is indistinguishable from the classifier 位 (一位名叫…)"

_MORE = "we keep 多 in the numeral (四百多) so the extractor can say more_than; the range model agrees"
_PERCENT_IN_NUMBER = "百分之X / X个百分点 is one percentage token (the percent model's reading), not a bare number"
_DOTTED = "dotted digit groups (2222.2222.22222) are versions or section numbers: we do not split them like the spec"
_LEADING_DOTS = "...9 is read as .9 (a decimal), the spec strips the dots"
_PLACE = ("a numeral inside a dictionary word is part of the word: 五台山 is a mountain, as 四川 (same case) is a "
          "province; the spec reads the 五 but not the 四")
_VAGUE_PAIR = "the spec expects nothing for adjacent digits; we read them as a vague range (二三十 = 20 to 30)"
_SPEC_VALUE = "the spec's value disagrees with its text (20万 resolved as 20000)"
_SPACED_DIGITS = "digits separated by spaces (7 2 折, 七成 六) are two numerals to us"
_AGE_RANGE = "we read 70 - 90天 as a range; the spec wants only 90"

KNOWN_GAPS: dict[tuple[str, str], str] = {
    ("Number/Chinese/NumberModel.json", "四百多"): _MORE,
    ("Number/Chinese/NumberModel.json", "百分之五十五点五七九"): _PERCENT_IN_NUMBER,
    ("Number/Chinese/NumberModel.json", "百分之十万零六百五十一"): _PERCENT_IN_NUMBER,
    ("Number/Chinese/NumberModel.json", "六千零五十一个百分点"): _PERCENT_IN_NUMBER,
    ("Number/Chinese/NumberModel.json", "六百一十一点二五五个百分点"): _PERCENT_IN_NUMBER,
    ("Number/Chinese/NumberModel.json", "2222.2222.22222.222"): _DOTTED,
    ("Number/Chinese/NumberModel.json", "...9"): _LEADING_DOTS,
    ("Number/Chinese/NumberModel.json", "这不是四川这是五台山"): _PLACE,
    ("Number/Chinese/NumberModel.json",
     "包括在金融市场中管理的基金管理业务在内的FILP总额也减少了二％，为四十九兆九千五百九十二億元，是有史以来最大的。"):
        _PERCENT_IN_NUMBER,
    ("Number/Chinese/PercentModel.json", "对折"): "对折 alone is read as 50% (the spec wants it only after 打)",
    ("Number/Chinese/PercentModel.json", "對折"): "對折 alone is read as 50% (the spec wants it only after 打)",
    ("Number/Chinese/PercentModel.json", "七成 六"): _SPACED_DIGITS,
    ("Number/Chinese/PercentModel.json", "7 2 折"): _SPACED_DIGITS,
    ("Number/Chinese/PercentModel.json", "半成"): _HALF,
    ("Number/Chinese/PercentModel.json", "半折"): _HALF,
    ("Number/Chinese/PercentModel.json", "百分之二三十"): _VAGUE_PAIR,
    ("Number/Chinese/PercentModel.json", "二三十个百分点"): _VAGUE_PAIR,
    ("Number/Chinese/PercentModel.json", "二三十個百分點"): _VAGUE_PAIR,
    ("Number/Chinese/NumberRangeModel.json", "还有20万次以上来观影的呀？"): _SPEC_VALUE,
    ("Number/Chinese/NumberRangeModel.json", "请给我一以上个苹果"): _LONE_YI,
    ("Number/Chinese/NumberRangeModel.json", "订购一批数目在 五百以上的产品"):
        "以上 is read as at_least (Chinese usage includes the bound, as in 90%以上), the spec reads more_than",
    ("Number/Chinese/NumberRangeModel.json", "他的排名在第十和第十五之间"): _ORDINAL,
    ("NumberWithUnit/Chinese/AgeModel.json", "70 - 90天大的小孩应该去医院做检查"): _AGE_RANGE,
    ("NumberWithUnit/Chinese/CurrencyModel.json", "10日元5日本銭"): _SEN,
    ("NumberWithUnit/Chinese/CurrencyModel.json", "这个手机壳花费你五美元和花费我三块"):
        "块 is both a classifier (一块蛋糕) and colloquial yuan; we keep it a classifier",
    ("NumberWithUnit/Chinese/CurrencyModel.json", "在下面的价格中选一个，$20，300美圆, ￥300, ok?"): _COMMA_LIST,
    ("NumberWithUnit/Chinese/CurrencyModel.json", "人民币 美元"): _UNIT_ONLY,
    ("NumberWithUnit/Chinese/CurrencyModel.json", "人民币美元"): _UNIT_ONLY,
    ("NumberWithUnit/Chinese/DimensionModel.json", "一位是最小的存储单位"): _BIT,
    ("NumberWithUnit/Chinese/TemperatureModel.json", "你能把华氏温度51度转换为摄氏度吗"):
        "we read 华氏温度51度 as 51 °F; the spec also wants the bare unit 摄氏度 (" + _UNIT_ONLY + ")",
    ("NumberWithUnit/Chinese/TemperatureModel.json", "温度的单位是°C吗"): _UNIT_ONLY,
    ("Number/Chinese/NumberModel.json", "-1.1^--23"): _POWER,
    ("Number/Chinese/NumberModel.json", "一美元"): _NOT_NUMBER,
    ("Number/Chinese/NumberModel.json", "两美刀"): _NOT_NUMBER,
    ("Number/Chinese/NumberModel.json", "苹果折扣一美元"): _NOT_NUMBER,
    ("Number/Chinese/NumberModel.json", "这台电脑两美刀"): _NOT_NUMBER,
    ("Number/Chinese/NumberModel.json", "苹果折扣一折"): "the number model expects nothing here but 一折 is a 10% discount (the percent model agrees)",
}


def _fold(s: str) -> str:
    return "".join(
        chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E and c not in KEEP_FULL_WIDTH else c for c in s
    )


def _load(name: str) -> list[dict]:
    path = SPECS / name
    if not path.is_file():
        pytest.skip(f"{path} not found")
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _same_text(ours: str, theirs: str) -> bool:
    """Case-insensitive; our ``，`` (kept full-width) equals the spec's folded ``,``."""
    return ours.strip().lower().replace("，", ",") == _fold(theirs).strip().lower().replace("，", ",")


# --------------------------------------------------------------------------- per-model checks


def _check_number(case: dict) -> bool:
    text = _fold(case["Input"])
    found = [(text[t.start:t.end], t.value) for t in scan_numbers(text)]
    expected = [(r["Text"], float(r["Resolution"]["value"])) for r in case["Results"]]
    return len(found) == len(expected) and all(
        _same_text(f[0], e[0]) and _close(f[1], e[1]) for f, e in zip(found, expected)
    )


def _check_percent(case: dict) -> bool:
    text = _fold(case["Input"])
    found = [
        (text[t.start:t.end], t.value if t.kind == "points" else t.value * 100)
        for t in scan_numbers(text)
        if t.kind in ("percent", "permille", "points")
    ]
    expected = [(r["Text"], float(r["Resolution"]["value"].rstrip("%"))) for r in case["Results"]]
    return len(found) == len(expected) and all(
        _same_text(f[0], e[0]) and math.isclose(f[1], e[1], rel_tol=1e-9) for f, e in zip(found, expected)
    )


def _interval(value: str) -> tuple[str, float | None, float | None]:
    """'(500,)' -> ('more_than', 500, None); '[20,100)' -> ('range', 20, 100)."""
    lo_s, hi_s = value[1:-1].split(",")
    lo = float(lo_s) if lo_s else None
    hi = float(hi_s) if hi_s else None
    if lo is not None and hi is not None:
        return ("exact", lo, None) if lo == hi else ("range", lo, hi)
    if lo is not None:
        return ("at_least" if value[0] == "[" else "more_than"), lo, None
    return ("at_most" if value[-1] == "]" else "less_than"), hi, None


def _spec_units(a) -> tuple[str, float | None, float | None]:
    """The spec writes percentages in percent units (百分之零点九 -> 0.9); we store ratios (0.009)."""
    scale = 100.0 if a.unit == "%" else 1.0
    return a.qualifier, a.value * scale, a.value_max * scale if a.value_max is not None else None


def _check_range(case: dict) -> bool:
    found = [_spec_units(a) for a in extract(_fold(case["Input"]))]
    for r in case["Results"]:
        q, lo, hi = _interval(r["Resolution"]["value"])
        if not any(f[0] == q and _close(f[1], lo) and _close(f[2], hi) for f in found):
            return False
    return True


def _check_ordinal(case: dict) -> bool:
    found = [(a.surface, a.value) for a in extract(_fold(case["Input"]))]
    expected = [(r["Text"], float(r["Resolution"]["value"])) for r in case["Results"]]
    return found == expected


UNIT_NAMES: dict[str, tuple[str, ...]] = {
    "Chinese yuan": ("CNY",), "United States dollar": ("USD",), "Dollar": ("USD",), "Euro": ("EUR",),
    "Swiss franc": ("CHF",), "Hong Kong dollar": ("HKD",), "New Taiwan dollar": ("TWD",),
    "Japanese yen": ("JPY",), "Nigerian naira": ("NGN",), "Bitcoin": ("BTC",),
    "Mu": ("亩",), "Kilogram": ("公斤", "千克", "kg"), "Centimeter": ("公分", "厘米", "cm"), "Ton": ("吨",),
    "Meter": ("米", "m"), "Jin": ("斤",), "Kilometer": ("千米", "公里", "km"), "Gram": ("克", "g"),
    "Megabyte": ("MB",), "Kilobyte": ("KB",), "Microgram": ("微克",), "Kilowatt": ("千瓦", "kW"),
    "Year": ("岁", "year"), "Month": ("month",), "Week": ("week",), "Day": ("day",),
    "Degree": ("度",), "C": ("摄氏度", "°C"), "F": ("°F",), "Kilobit": ("kbit",), "Megahertz": ("MHz",),
    "Hertz": ("Hz",), "Kilocalorie": ("kcal",), "Bit": ("bit",), "Liang": ("两",),
}


def _check_with_unit(case: dict) -> bool:
    """Every expected (value, unit) is found, and no extra assertion carries a unit of this model."""
    family = {u for r in case["Results"] for u in UNIT_NAMES.get(r["Resolution"].get("unit", ""), ())}
    found = [(a.value, a.unit) for a in extract(_fold(case["Input"]))]
    expected = []
    for r in case["Results"]:
        value = r["Resolution"].get("value")
        if value is None:
            return False  # a unit without a number: see _UNIT_ONLY
        expected.append((float(value), UNIT_NAMES.get(r["Resolution"].get("unit", ""), ())))
    hits = [f for f in found if any(_close(f[0], v) and f[1] in units for v, units in expected)]
    extras = [f for f in found if f[1] in family and f not in hits]
    return len(hits) >= len(expected) and not extras


CHECKS: dict[str, Callable[[dict], bool]] = {
    "Number/Chinese/NumberModel.json": _check_number,
    "Number/Chinese/PercentModel.json": _check_percent,
    "Number/Chinese/NumberRangeModel.json": _check_range,
    "Number/Chinese/OrdinalModel.json": _check_ordinal,
    "NumberWithUnit/Chinese/CurrencyModel.json": _check_with_unit,
    "NumberWithUnit/Chinese/DimensionModel.json": _check_with_unit,
    "NumberWithUnit/Chinese/AgeModel.json": _check_with_unit,
    "NumberWithUnit/Chinese/TemperatureModel.json": _check_with_unit,
}

# Whole files or whole groups of cases that are out of scope, by file.
FILE_GAPS: dict[str, str] = {
    "Number/Chinese/OrdinalModel.json": _ORDINAL,
}


def _gap(name: str, case: dict) -> str | None:
    if name in FILE_GAPS:
        return FILE_GAPS[name]
    return KNOWN_GAPS.get((name, case["Input"]))


def _run(name: str) -> tuple[float, list[str], list[str]]:
    cases = _load(name)
    passed, unexpected, fixed = 0, [], []
    for case in cases:
        try:
            ok = CHECKS[name](case)
        except Exception as exc:  # a crash is a failure of the case, reported with its input
            ok = False
            case = {**case, "Input": f"{case['Input']} (raised {exc!r})"}
        passed += ok
        gap = _gap(name, case)
        if not ok and gap is None:
            unexpected.append(case["Input"])
        if ok and gap is not None and name not in FILE_GAPS:
            fixed.append(case["Input"])
    return passed / len(cases), unexpected, fixed


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_numbers_recognizers_pass_rate(name: str) -> None:
    rate, unexpected, fixed = _run(name)
    print(f"\n{name}: pass rate {rate:.1%} (floor {FLOORS[name]:.1%}); "
          f"unlisted failures {len(unexpected)}; listed gaps now passing {len(fixed)}")
    assert not unexpected, f"unlisted failures in {name}: {unexpected[:20]}"
    assert not fixed, f"listed gaps that now pass in {name} (drop them from KNOWN_GAPS): {fixed[:20]}"
    assert rate >= FLOORS[name]


@pytest.mark.parametrize(
    "text, value",
    [
        ("超过1/2", 0.5),
        ("五百多", 500.0),
        ("二十万亿", 2e13),
        ("1,100万", 1.1e7),
        ("3万4000", 34000.0),
        ("25万6千", 256000.0),
        ("一万零一十二", 10012.0),
    ],
)
def test_numbers_recognizers_known_gaps_of_the_reference(text: str, value: float) -> None:
    """Cases the reference implementation gets wrong; we must get them right."""
    tokens = scan_numbers(text)
    assert [t.value for t in tokens] == [value]


def test_numbers_recognizers_more_than_half() -> None:
    [a] = extract("超过1/2的人都来到了这里")
    assert (a.qualifier, a.value) == ("more_than", 0.5)


def test_numbers_recognizers_five_hundred_odd() -> None:
    [a] = extract("这一批产品大概有五百多个")
    assert (a.qualifier, a.value, a.unit) == ("more_than", 500.0, "个")


def test_numbers_recognizers_ordinals_are_not_assertions() -> None:
    """The flip side of the ordinal file being out of scope: 第N never becomes a quantity."""
    for case in _load("Number/Chinese/OrdinalModel.json"):
        assert extract(_fold(case["Input"])) == [], case["Input"]
