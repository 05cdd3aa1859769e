"""Hypothesis properties of the numeric extractor: no crashes, exact offsets, value round-trips."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from extractors.numbers.assertions import NotANumber, extract, parse_number
from extractors.numbers.scan import scan_numbers
from extractors.types import QUALIFIERS

_DIGITS = "零一二三四五六七八九"
_SETTINGS = settings(max_examples=int(__import__("os").environ.get("NUMBERS_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that exercises the scanner: digits, Chinese numerals, units, cues, connectors, markers, punctuation.
_ALPHABET = st.sampled_from(
    list("0123456789.,，%‰/-–—~ 　\n")
    + list("零〇一二两三四五六七八九十百千万亿兆壹贰叁肆伍陆柒捌玖拾佰仟萬億点多余几数分之又成折倍番打半负")
    + list("个家项人年月日天元美约近超过以上下内左右不到至少最多增长减少降提升较每第图表《》（）：；。！？“”")
    + list("①②³¹²HAFPkKMBbnmTOPSGyte$¥€")
    + ["EFLOPS", "tokens", "million", "percent", "个百分点", "https://a.b/1/2", "2025年", "百分之", "大于或等于"]
)
_TEXT = st.lists(_ALPHABET, max_size=60).map("".join) | st.text(max_size=80)


@_SETTINGS
@given(_TEXT)
def test_numbers_properties_never_crash_and_offsets_exact(text: str) -> None:
    found = extract(text)
    previous_end = 0
    for a in found:
        assert 0 <= a.start < a.end <= len(text)
        assert text[a.start:a.end] == a.surface
        assert a.start >= previous_end or a.rule_id == "numbers.range"
        previous_end = max(previous_end, a.end)
        assert a.qualifier in QUALIFIERS
        assert a.change in (None, "increase", "decrease", "level")
        assert (a.value_max is not None) == (a.qualifier == "range" or a.value_max is not None)


@_SETTINGS
@given(_TEXT)
def test_numbers_properties_scanner_offsets(text: str) -> None:
    last = 0
    for t in scan_numbers(text):
        assert last <= t.start < t.end <= len(text)
        last = t.end


@_SETTINGS
@given(st.text(max_size=12))
def test_numbers_properties_parse_number_raises_only_not_a_number(s: str) -> None:
    try:
        value = parse_number(s)
    except NotANumber:
        return
    assert isinstance(value, float)


# --------------------------------------------------------------------------- Arabic round-trips


@_SETTINGS
@given(st.integers(min_value=0, max_value=10**15), st.booleans())
def test_numbers_properties_arabic_integer_round_trip(n: int, separators: bool) -> None:
    s = f"{n:,}" if separators else str(n)
    assert parse_number(s) == n
    [token] = scan_numbers(s)
    assert (token.start, token.end, token.value) == (0, len(s), n)


@_SETTINGS
@given(st.integers(min_value=0, max_value=10**9), st.from_regex(r"[0-9]{1,6}", fullmatch=True))
def test_numbers_properties_arabic_decimal_round_trip(whole: int, fraction: str) -> None:
    s = f"{whole:,}.{fraction}"
    expected = float(f"{whole}.{fraction}")
    assert parse_number(s) == expected
    found = extract(f"营收约为{s}亿元。")
    assert [(a.value, a.unit, a.qualifier) for a in found] == [(float(f"{expected * 1e8:.12g}"), "CNY", "approx")]


# --------------------------------------------------------------------------- Chinese round-trips


def _section(n: int) -> str:
    """0 < n < 10000 in Chinese, with 零 for inner gaps (一千零五)."""
    out, gap = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            gap = gap or bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        out += _DIGITS[digit] + unit
    return out


def to_chinese(n: int, *, short_ten: bool = False, liang: bool = False) -> str:
    """Write 0 <= n < 10**16 in Chinese numerals (亿, 万 groups; 零 between groups)."""
    if n == 0:
        return "零"
    groups = [(n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")]
    out = ""
    for value, unit in groups:
        if value == 0:
            continue
        if out and value < 1000 and not out.endswith("零"):
            out += "零"
        out += _section(value) + unit if value < 10**4 else to_chinese(value) + unit
    if short_ten and out.startswith("一十"):
        out = out[1:]  # 十五, not 一十五
    if liang and out[:2] in ("二千", "二百", "二万", "二亿"):
        out = "两" + out[1:]
    return out


@_SETTINGS
@given(st.integers(min_value=0, max_value=10**15), st.booleans(), st.booleans())
def test_numbers_properties_chinese_round_trip(n: int, short_ten: bool, liang: bool) -> None:
    s = to_chinese(n, short_ten=short_ten, liang=liang)
    assert parse_number(s) == n, s


@_SETTINGS
@given(st.integers(min_value=2, max_value=10**12))
def test_numbers_properties_chinese_in_sentence(n: int) -> None:
    s = to_chinese(n, short_ten=True)
    found = extract(f"截至去年底，共有{s}家企业入驻。")
    assert [(a.surface, a.value, a.unit) for a in found] == [(f"{s}家", float(n), "家")]


@_SETTINGS
@given(st.integers(min_value=1, max_value=99999), st.integers(min_value=0, max_value=9999))
def test_numbers_properties_mixed_wan_round_trip(wan: int, rest: int) -> None:
    """3万4000 and 25万6千: Arabic digits around 万 and 千."""
    assume(rest == 0 or rest >= 1000)
    s = f"{wan}万{rest}" if rest else f"{wan}万"
    assert parse_number(s) == wan * 10**4 + rest
    if rest and rest % 1000 == 0:
        assert parse_number(f"{wan}万{rest // 1000}千") == wan * 10**4 + rest


# --------------------------------------------------------------------------- linear time


@pytest.mark.parametrize(
    "text",
    ["1" * 20000, "1 " * 10000, "一 " * 10000, "一" * 20000, "1.1." * 5000, "1%" * 5000, "百分之" * 5000,
     "每1元" * 3000, "a-1-" * 5000, "数 " * 10000, "1 万 " * 4000],
)
def test_numbers_properties_pathological_input_is_fast(text: str) -> None:
    """Regression: optional gaps and unbounded runs once made the regex exponential (一 一 一 …)."""
    start = time.perf_counter()
    extract(text)
    assert time.perf_counter() - start < 5.0
