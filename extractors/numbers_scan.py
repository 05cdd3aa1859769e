"""Find numerals in normalized text: the recognizer layer under :mod:`extractors.numbers`.

One compiled regex finds candidate spans (Arabic, Chinese, mixed, percent,
per-mille, percentage points, 成/折, fractions, English scale words); each
candidate is validated by :mod:`extractors.cn_numerals`.  This layer answers
"is this a number and what is its value"; whether it is a *quantity worth
asserting* (not a date, a model name, a section number) is decided later.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from extractors.cn_numerals import BIG_UNITS, DIGITS, NotANumber, Parsed, parse_numeral
from extractors.numbers_context import unit_after

KINDS = ("number", "percent", "permille", "points", "fraction", "multiplier")

_DIG = "零〇一二两兩倆三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖"
_UNIT = "十拾百佰千仟万萬亿億兆"
_CN = _DIG + _UNIT
_AR = r"(?:(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]{1,3}(?:，[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+(?![0-9A-Za-z]))?|(?<![0-9])\.[0-9]+)"
_CN_CHAR = rf"(?:[{_DIG}十拾百佰万萬亿億]|[千仟](?![米克瓦卡字比])|兆(?![字瓦赫比]))"  # 12千米 is 12 km
_ELEM_REST = rf"{_CN_CHAR}|[多余餘几幾](?=[ \t]?[{_UNIT}个個家项項人名年倍多余]|$|[^\w])|[点點][ \t]?[{_DIG}]+"
_ELEM_FIRST = rf"(?:{_AR}|{_ELEM_REST})"
_ELEM = rf"(?:(?<![0-9.,，]){_AR}|{_ELEM_REST})"  # no digit-after-digit split: keeps the regex linear
_MAX_ELEMS = 40  # no real numeral is longer; a bound keeps runs of 一 一 一 … linear
_GAP = rf"(?:(?<=[{_CN}点點])[ \t]{{1,4}}(?=[0-9])|[ \t]{{1,4}}(?=[{_CN}多余几幾点點]))?"  # one way to match: no backtracking blow-up
_RUN = rf"(?:[数數几幾](?=[{_UNIT}])|{_ELEM_FIRST})(?:{_GAP}{_ELEM}){{0,{_MAX_ELEMS}}}"
_SIGN = r"(?:[负負]|(?<![0-9A-Za-z.\-])[-−](?=\.?[0-9]))?"
_NUM = rf"{_SIGN}{_RUN}"
_SCALE = r"(?:\s?(?:thousand|million|billion|trillion|bn|mn)\b|[ \t]?(?:k|K|M|B)(?![A-Za-z]))"
_K = r"(?:[ \t]?[kK](?![A-Za-z]))"
_NOT_DOZEN = "压壓击擊破造开開通响響入出算断斷赢好败敗折下工车卡包印字电電球架"
_NOT_CHENG = "本为為立功果员員熟长長就交型效都绩績份分"
_NOT_ZHE = "扣旧舊合算叠疊射返腾騰"

_MASTER = re.compile(
    rf"""
    (?P<frac>(?:(?P<whole>{_NUM})\s*又\s*)?(?P<den>{_NUM})\s*分\s*之\s*(?P<num>{_NUM}{_K}?))
  | (?P<points>(?P<pv>{_NUM}{_K}?)\s*[个個]\s*百\s*分\s*[点點])
  | (?P<pct>(?P<pcv>{_SIGN}{_AR}{_SCALE}?|{_NUM})\s?(?P<sym>%|‰|percent\b|per\scent\b))
  | (?P<cheng>(?P<cv>{_NUM})\s*(?P<cu>成(?![{_NOT_CHENG}])|折(?![{_NOT_ZHE}]))(?P<half>半)?)
  | (?P<duizhe>对折|對折)
  | (?P<dozen>(?P<dz>{_NUM})\s*打(?![{_NOT_DOZEN}]))
  | (?P<banbai>半百)
  | (?P<fanfan>翻\s*(?P<fn>[一二两兩三四五六七八九十0-9]+)\s*番)
  | (?P<afrac>{_SIGN}(?:[0-9]+[ \t])?[0-9]+/[0-9]+(?![0-9/]))
  | (?P<power>{_SIGN}[0-9]+(?:\.[0-9]+)?\^[+-]?[0-9]+)
  | (?P<plain>{_SIGN}{_AR}{_SCALE}?(?:{_GAP}{_ELEM}){{0,{_MAX_ELEMS}}})
  | (?P<cn>{_NUM})
    """,
    re.VERBOSE,
)
#: Every character a match of _MASTER can start with.  Searching for these first and
#: then matching _MASTER in place is equivalent to _MASTER.search, and several times
#: faster: the engine does not try a dozen alternatives at every character of prose.
_START = re.compile(rf"[0-9.\-−负負数數几幾对對半翻{_DIG}{_UNIT}]")
_WORD_CHAR = re.compile(r"[A-Za-z_]")
_SCALED_END = re.compile(r"(?<![A-Za-z0-9.])[0-9]+(?:\.[0-9]+)?[kKMB]$")  # 5k, 1.5M: a number with a scale letter
_URL = re.compile(r"(?:https?[:：]//|www\.)[^\s，。；）)\]】>\"]+")
_IDIOMS = frozenset(
    "一切 一看 一般 一样 一起 一直 一定 一旦 一致 唯一 统一 統一 万一 萬一 一些 一下 一再 一律 一味 一贯 一向 "
    "四川 陆地 陸地 大陆 大陸 登陆 登陸 海陆 着陆 陆续 陸續 队伍 隊伍 入伍 退伍 伍仁 收拾 拾取 拾起 拾到 夕拾 "
    "放肆 肆意 肆无 肆無 千万 千萬 万万 萬萬 百度 百姓 百科 万物 萬物 千方 百般 十足 两两 兩兩".split()
)
_CAPITALS = frozenset("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")


@dataclass(frozen=True, slots=True)
class NumberToken:
    """A numeral found in text: ``value`` is a ratio for percent/permille/成 (43% -> 0.43)."""

    start: int
    end: int
    value: float
    kind: str = "number"
    vague: bool = False
    upper: float | None = None
    written: str = ""  # how a ratio was written: "%", "‰", "成", "折", "/", "分之"


def scan_numbers(text: str) -> list[NumberToken]:
    """Every numeral in ``text`` with its value, left to right, non-overlapping."""
    return list(_iter_tokens(text))


def _iter_tokens(text: str) -> Iterator[NumberToken]:
    """Search, validate, and resume right after what was kept (a trimmed run is rescanned)."""
    pos = 0
    urls = [(u.start(), u.end()) for u in _URL.finditer(text)] if "//" in text or "www." in text else []
    while (first := _START.search(text, pos)) is not None:
        inside = next((end for start, end in urls if start <= first.start() < end), None)
        if inside is not None:
            pos = inside  # numbers in a URL are part of an address
            continue
        m = _MASTER.match(text, first.start())
        if m is None:
            pos = first.start() + 1
            continue
        token = _token(text, m)
        if token is None:
            pos = m.end()
            continue
        pos = token.end
        if _plausible(text, token):
            yield token


def _token(text: str, m: re.Match[str]) -> NumberToken | None:
    kind = m.lastgroup
    if kind in ("plain", "cn"):
        return _numeral(text, m.start(), m.end()) or _trimmed(text, m)
    try:
        if kind == "frac":
            return _fraction(m)
        if kind == "points":
            p = parse_numeral(m.group("pv"))
            return NumberToken(m.start(), m.end(), p.value, "points", p.vague, written="个百分点")
        if kind == "pct":
            return _percent(m)
        if kind == "cheng":
            return _cheng(m)
        if kind == "duizhe":
            return NumberToken(m.start(), m.end(), 0.5, "percent", written="折")
        if kind == "dozen":
            p = parse_numeral(m.group("dz"))
            return NumberToken(m.start(), m.end(), p.value * 12, "number", p.vague, written="打")
        if kind == "banbai":
            return NumberToken(m.start(), m.end(), 50.0, "number", written="半百")
        if kind == "fanfan":
            times = parse_numeral(m.group("fn")).value
            return NumberToken(m.start(), m.end(), 2.0**times, "multiplier", written="番")
        if kind in ("afrac", "power"):
            return NumberToken(m.start(), m.end(), parse_numeral(m.group()).value,
                               "fraction" if kind == "afrac" else "number", written="/" if kind == "afrac" else "")
    except (NotANumber, OverflowError):
        return None
    return None


def _fraction(m: re.Match[str]) -> NumberToken:
    den_s = (m.group("den") or "").strip()
    den = float(BIG_UNITS[den_s]) if den_s in BIG_UNITS else parse_numeral(den_s).value if den_s else 1.0
    num, num_end = _longest_prefix(m.group("num"))
    m_end = m.start("num") + num_end
    if not den_s and not m.group("whole"):
        raise NotANumber(f"{m.group()!r} has no denominator")
    if den == 0:
        raise NotANumber(f"{m.group()!r} divides by zero")
    value = num.value / den
    if m.group("whole"):
        whole = parse_numeral(m.group("whole")).value
        value = whole - value if whole < 0 else whole + value
        return NumberToken(m.start(), m_end, value, "fraction", written="分之")
    kind = "permille" if den == 1000 else "percent" if den >= 100 and math.log10(den).is_integer() else "fraction"
    return NumberToken(m.start(), m_end, value, kind, num.vague, written={"percent": "%", "permille": "‰"}.get(kind, "分之"))


def _longest_prefix(s: str) -> tuple[Parsed, int]:
    """The longest parseable prefix: 百分之七十百分位 is 70%, then the word 百分位."""
    for end in range(len(s), 0, -1):
        if s[end - 1] in " \t":
            continue
        try:
            return parse_numeral(s[:end]), end
        except NotANumber:
            continue
    raise NotANumber(f"{s!r} has no numeral")


def _percent(m: re.Match[str]) -> NumberToken:
    p = parse_numeral(m.group("pcv"))
    sym = m.group("sym")
    scale, kind, written = (1000.0, "permille", "‰") if sym == "‰" else (100.0, "percent", "%")
    return NumberToken(m.start(), m.end(), p.value / scale, kind, p.vague, written=written)


def _cheng(m: re.Match[str]) -> NumberToken:
    raw = m.group("cv")
    digits = raw.replace(" ", "").replace("\t", "")
    if m.group("cu") == "折" and len(digits) == 2 and all(ch in DIGITS for ch in digits):
        p = Parsed(float(DIGITS[digits[0]] * 10 + DIGITS[digits[1]]))  # 三八折, 九九折: read digit by digit
    else:
        p = parse_numeral(raw)
    if m.group("cu") == "成":
        value = p.value / 10 + (0.05 if m.group("half") else 0.0)
        upper = p.upper / 10 if p.upper is not None else None  # 七八成 = 70% to 80%
        return NumberToken(m.start(), m.end(), value, "percent", p.vague, upper, written="成")
    end = m.end() - (1 if m.group("half") else 0)
    value = p.value / 10 if p.value < 10 else p.value / 100  # 九折 = 90%, 75折 = 75%
    if value >= 1 or p.value == 10:
        raise NotANumber(f"{raw!r}折 is not a discount")  # 十折 is no discount at all
    return NumberToken(m.start(), end, value, "percent", p.vague, written="折")


def _numeral(text: str, start: int, end: int) -> NumberToken | None:
    """A plain numeral, trimmed of trailing spaces; ``None`` when it does not parse."""
    while end > start and text[end - 1] in " \t":
        end -= 1
    try:
        p = parse_numeral(text[start:end])
    except (NotANumber, OverflowError):
        return None
    return _plain_token(text, start, end, p)


def _plain_token(text: str, start: int, end: int, p: Parsed) -> NumberToken | None:
    surface = text[start:end]
    if not any(ch.isdigit() or ch in _DIG for ch in surface) and not _bare_unit_ok(surface):
        return None
    return NumberToken(start, end, p.value, "number", p.vague, p.upper)


def _bare_unit_ok(surface: str) -> bool:
    """十 alone is ten and 百万/万亿 are amounts, but 万, 千万 and 万万 alone are words."""
    core = surface.lstrip("负負数數几幾")
    if core != surface and core:
        return True  # 数百亿
    return core in ("十", "拾") or (len(core) >= 2 and core not in ("千万", "千萬", "万万", "萬萬"))


def _trimmed(text: str, m: re.Match[str]) -> NumberToken | None:
    """Shrink an unparseable run from the right, then from the left (万一 -> 一)."""
    start, end = m.start(), m.end()
    for e in range(end - 1, start, -1):
        token = _numeral(text, start, e)
        if token is not None:
            return token
    for s in range(start + 1, end):
        token = _numeral(text, s, end)
        if token is not None:
            return token
    return None


def _plausible(text: str, t: NumberToken) -> bool:
    """Reject numerals glued to letters (H100, FP8, Chip4) and single chars inside words."""
    before = text[t.start - 1] if t.start else ""
    after = text[t.end] if t.end < len(text) else ""
    surface = text[t.start:t.end]
    if surface[0].isdigit() or surface[0] in ".-":
        if before and (_WORD_CHAR.match(before) or (before == "-" and t.start >= 2 and text[t.start - 2].isalpha()
                                                    and not _SCALED_END.search(text, max(0, t.start - 8), t.start - 1))):
            return False  # GLM-4.5 is a name; 5k-20k is a range
        if after and _WORD_CHAR.match(after) and t.kind == "number" and not _unit_follows(text, t.end):
            return False
    if len(surface) == 1 and surface in _DIG + "十拾":
        pair_before, pair_after = before + surface, surface + after
        if pair_before in _IDIOMS or pair_after in _IDIOMS:
            return False
        if surface in _CAPITALS and _is_cjk(before) and before not in "是为有":
            return False
        if surface in _CAPITALS and _is_cjk(after):
            return False
    return True


def _unit_follows(text: str, end: int) -> bool:
    return unit_after(text, end) is not None


def _is_cjk(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"
