"""Parse Chinese, Arabic and mixed numerals into floats.

Why a hand-written parser: policy papers mix scripts inside one number
(``11.3万``, ``3万4000``, ``25万6千``, ``一万零一十二``, ``1,100万``), and the
usual libraries get exactly those mixed and "omitted unit" forms wrong
(``一万三`` is 13000, ``两千三点一`` is 2300.1).  Vague forms (``五百多``,
``数百亿``, ``二十几万``) parse to their lower bound and report vagueness, so
the extractor can turn them into qualifiers.

Input is normalized text (ASCII digits); traditional and "capital" forms
(``萬``, ``億``, ``壹``, ``貳``) are accepted.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from extractors.errors import ExtractionError

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "兩": 2, "倆": 2, "俩": 2, "贰": 2, "貳": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
VAGUE = frozenset("多余餘几幾")  # "more than"/"a few" markers inside a numeral
VAGUE_DIGITS = frozenset("数數几幾")  # "several" in place of a leading digit
POINTS = frozenset("点點")
NEGATIVE = frozenset("负負-−")
ENGLISH_SMALL: dict[str, int] = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split())
}
ENGLISH_TENS: dict[str, int] = {w: 10 * (i + 2) for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())}
ENGLISH_SCALES: dict[str, float] = {
    "k": 1e3, "K": 1e3, "thousand": 1e3,
    "m": 1e6, "M": 1e6, "mn": 1e6, "million": 1e6,
    "b": 1e9, "bn": 1e9, "B": 1e9, "billion": 1e9,
    "t": 1e12, "tn": 1e12, "T": 1e12, "trillion": 1e12,
}

_ARABIC = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+")
_PLAIN = re.compile(r"[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_POWER = re.compile(r"([+-]?(?:\d+(?:\.\d+)?|\.\d+))\^([+-]?\d+(?:\.\d+)?)")
_SCALED = re.compile(r"([+-]?(?:\d+(?:\.\d+)?|\.\d+))\s*(k|K|m|M|mn|b|bn|B|t|tn|T|thousand|million|billion|trillion)")
_FRACTION = re.compile(r"(?:(\d+)\s+)?(\d+)/(\d+)")
_SPACES = re.compile(r"\s+")
_NOT_DECIMAL = frozenset("两兩倆俩")  # 两百点两 is two numbers, never 200.2
LIANG = _NOT_DECIMAL  # 两 counts before a unit (两百, 两万) but never ends a longer numeral: 三十两 is 30 liang


class NotANumber(ExtractionError):
    """A string is not a numeral we can read."""

    code = "N001"


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed numeral: ``value`` is the lower bound when ``vague``.

    ``upper`` is set for "several" forms (``数百`` = 100..1000) where the
    next power of ten is a natural upper bound.
    """

    value: float
    vague: bool = False
    upper: float | None = None


def parse_number(s: str) -> float:
    """Return the value of a Chinese, Arabic or mixed numeral; raise :class:`NotANumber`."""
    return parse_numeral(s).value


def parse_numeral(s: str) -> Parsed:
    """Like :func:`parse_number` but keeps vagueness (``多``, ``余``, ``几``, ``数``)."""
    text = _SPACES.sub("", s.strip()).replace("，", ",")  # 4，565 from full-width text
    if not text:
        raise NotANumber(f"empty string {s!r} is not a number")
    mixed = _parse_fraction(_SPACES.sub(" ", s.strip()))  # "1 3/5" needs its space
    if mixed is not None:
        return mixed
    for parse in (_parse_plain, _parse_power, _parse_scaled, _parse_fraction):
        parsed = parse(text)
        if parsed is not None:
            return parsed
    return _parse_chinese(text, s)


def _parse_plain(text: str) -> Parsed | None:
    if not _PLAIN.fullmatch(text):
        return None
    return Parsed(float(text.replace(",", "")))


def _parse_power(text: str) -> Parsed | None:
    m = _POWER.fullmatch(text)
    if not m:
        return None
    try:
        return Parsed(float(m.group(1)) ** float(m.group(2)))
    except (OverflowError, ZeroDivisionError) as exc:
        raise NotANumber(f"{text!r} overflows: {exc}") from exc


def _parse_scaled(text: str) -> Parsed | None:
    m = _SCALED.fullmatch(text)
    if not m:
        return None
    return Parsed(float(m.group(1)) * ENGLISH_SCALES[m.group(2)])


def _parse_fraction(text: str) -> Parsed | None:
    sign = -1.0 if text[:1] == "-" else 1.0
    m = _FRACTION.fullmatch(text.lstrip("+-"))
    if not m:
        return None
    whole, num, den = m.group(1), float(m.group(2)), float(m.group(3))
    if den == 0:
        raise NotANumber(f"{text!r} divides by zero")
    return Parsed(sign * ((float(whole) if whole else 0.0) + num / den))


def _parse_chinese(text: str, original: str) -> Parsed:
    """Fractions (``A分之B``, ``X又A分之B``), signs, then the integer/decimal grammar."""
    if text[0] in NEGATIVE:
        inner = _parse_chinese(text[1:], original) if len(text) > 1 else _fail(original)
        return Parsed(-inner.value, inner.vague, -inner.upper if inner.upper is not None else None)
    if "又" in text:
        whole_s, _, frac_s = text.partition("又")
        whole, frac = parse_numeral(whole_s), parse_numeral(frac_s)
        if "分之" not in frac_s:
            _fail(original)
        return Parsed(math.copysign(abs(whole.value) + abs(frac.value), whole.value or 1.0))
    if "分之" in text:
        den_s, _, num_s = text.partition("分之")
        den = parse_numeral(den_s) if den_s else Parsed(1.0)
        num = parse_numeral(num_s)
        if den.value == 0:
            raise NotANumber(f"{original!r} divides by zero")
        return Parsed(num.value / den.value, num.vague)
    return _parse_decimal(text, original)


def _parse_decimal(text: str, original: str) -> Parsed:
    point = next((i for i, ch in enumerate(text) if ch in POINTS), -1)
    if point < 0:
        return _parse_integer(text, original)
    head, tail = text[:point], text[point + 1:]
    if not head or not tail or any(ch not in DIGITS or ch in _NOT_DECIMAL for ch in tail):
        _fail(original)
    whole = _parse_integer(head, original)
    fraction = float("0." + "".join(str(DIGITS[ch]) for ch in tail))
    return Parsed(whole.value + fraction, whole.vague)


_NEIGHBOURS = re.compile(r"([一二三四五六七八九])([二三四五六七八九])([十百千万亿]?)")
_SCALE = {"": 1, "十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def _parse_integer(text: str, original: str) -> Parsed:
    if (m := _NEIGHBOURS.fullmatch(text)) and (
            DIGITS[m.group(2)] == DIGITS[m.group(1)] + 1 or m.group(1, 2) == ("三", "五")):
        # 四五个 / 七八十 / 三五年: neighbouring digits name an approximate range, not 45 or 78
        scale = _SCALE[m.group(3)]
        return Parsed(DIGITS[m.group(1)] * scale, vague=True, upper=DIGITS[m.group(2)] * scale)
    if all(ch in DIGITS and ch not in _NOT_DECIMAL for ch in text) and len(text) > 1:
        if len(text) == 2 and not any(DIGITS[ch] == 0 for ch in text):
            _fail(original)  # 五一 (May Day), 三块五一斤: two bare digits are no numeral
        return Parsed(float("".join(str(DIGITS[ch]) for ch in text)))  # 二〇二五
    return _Accumulator(original).run(text)


def _fail(original: str) -> Parsed:
    raise NotANumber(f"{original!r} is not a numeral")


class _Accumulator:
    """Left-to-right section arithmetic: small units build a section, big units scale it.

    ``total`` holds finished sections; ``max_big`` is the largest big unit in
    ``total`` so that ``万亿`` and ``十万万`` multiply the whole prefix instead
    of adding to it.
    """

    __slots__ = ("original", "total", "max_big", "section", "current", "last_unit", "after_zero",
                 "current_is_digit", "vague", "several", "seen", "liang_last")

    def __init__(self, original: str) -> None:
        self.original = original
        self.total = 0.0
        self.max_big = 0
        self.section = 0.0
        self.current: float | None = None
        self.last_unit = 0
        self.after_zero = False
        self.current_is_digit = False
        self.liang_last = False
        self.vague = False
        self.several = False
        self.seen = False

    def run(self, text: str) -> Parsed:
        if text in BIG_UNITS:
            _fail(self.original)  # 万 alone is a word; 万亿 and 百万 are numbers
        i = 0
        while i < len(text):
            m = _ARABIC.match(text, i)
            if m:
                self._number(float(m.group().replace(",", "")), is_digit=False)
                i = m.end()
                continue
            self._char(text[i])
            i += 1
        return self._finish()

    def _number(self, value: float, *, is_digit: bool) -> None:
        if self.current is not None:
            _fail(self.original)
        self.current, self.current_is_digit, self.seen = value, is_digit, True

    def _char(self, ch: str) -> None:
        if ch in DIGITS and DIGITS[ch] == 0:
            self._zero()
        elif ch in DIGITS:
            self._number(float(DIGITS[ch]), is_digit=True)
            self.liang_last = ch in LIANG
        elif ch in SMALL_UNITS:
            self._small(SMALL_UNITS[ch])
        elif ch in BIG_UNITS:
            self._big(BIG_UNITS[ch])
        elif ch in VAGUE and self.seen:
            self.vague = True
        elif ch in VAGUE_DIGITS and not self.seen:
            self.several = self.vague = self.seen = True
            self.current, self.current_is_digit = 1.0, False
        else:
            _fail(self.original)

    def _zero(self) -> None:
        if self.current is not None:
            _fail(self.original)  # 一零 only parses as a digit string
        self.after_zero, self.seen = True, True

    def _small(self, unit: int) -> None:
        if self.last_unit and unit >= self.last_unit and self.current is None and self.section:
            _fail(self.original)  # 百百
        self.section += (1.0 if self.current is None else self.current) * unit
        self.current, self.last_unit, self.after_zero, self.seen = None, unit, False, True

    def _big(self, unit: int) -> None:
        part = self.section + (self.current or 0.0)
        if self.current is None and not part and not self.total:
            if self.seen:
                _fail(self.original)  # 零万
            part = 1.0  # 万亿 = 1e12; a lone 万 fails in _finish
        if unit >= self.max_big:
            self.total = (self.total + part) * unit
            self.max_big = unit
        else:
            self.total += part * unit
        self.section, self.current, self.last_unit, self.after_zero = 0.0, None, unit, False
        self.seen = True

    def _finish(self) -> Parsed:
        if not self.seen:
            _fail(self.original)
        if self.current is not None and self.liang_last and (self.total or self.section):
            _fail(self.original)  # 三十两, 两万两: the last 两 is the unit liang, not a digit
        tail = self.current or 0.0
        if self.current is not None and self.current_is_digit and not self.after_zero and self.last_unit >= 100:
            tail *= self.last_unit // 10  # 一万三 = 13000, 两千三 = 2300
        value = self.total + self.section + tail
        upper = value * 10 if self.several else None
        return Parsed(value, self.vague, upper)
