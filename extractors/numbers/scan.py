"""Find numerals in normalized text: the recognizer layer under :mod:`extractors.numbers.assertions`.

One compiled regex finds candidate spans (Arabic, Chinese, mixed, percent,
per-mille, percentage points, 成/折, fractions, English scale words); each
candidate is validated by :mod:`extractors.numbers.numerals`.  A second, word-level pass
reads English numbers in words (ten, two hundred and fifty, a dozen, one tenth, a
third of, twice, doubled), keeping out pronoun and ordinal readings (one of the, no
one, the first half, a third party).  This layer answers
"is this a number and what is its value"; whether it is a *quantity worth
asserting* (not a date, a model name, a section number) is decided later.

Two kinds of numeral characters are no numbers at all and never leave this layer
(:func:`not_a_numeral`):

* a numeral character inside a word: 零部件, 一体化, 统一, 三农, 万物, 一些, 两会,
  “十四五”.  jieba's dictionary decides: when a dictionary word crosses the edge of
  the numeral and is not "numeral + unit" (三个, 五年, 万吨 are; 零部件, 五年计划,
  三个代表, 一百周年 are not), the numeral belongs to the word.  jieba's POS flags are
  not used for this: they call 零部件 and 一度 ``mq`` and 一些, 一系列, 十四五 ``m``.
  A short, documented list covers what the dictionary gets wrong or lacks;
* a numeral inside a name: plan names (“十四五”, 十一五规划, 第十个五年计划), meetings
  (十九届五中全会, 十三届全国人大五次会议, 二十大), slogans in short quotes (“两个确保”,
  “最后一公里”), Chinese dates (二〇二五年, 一季度, 75周年), list markers ((一), 一、),
  and in English legal citations and contact data (Executive Order 12866, 14 CFR
  25.1329, 5 U.S.C. 801, Public Law 104-121, RIN 2120-AA64, (202) 267-1234, DC 20591,
  Version 2.1).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from extractors.lexicon import HAN, is_han
from extractors.numbers.numerals import (
    BIG_UNITS,
    DIGITS,
    ENGLISH_SCALES,
    ENGLISH_SMALL,
    ENGLISH_TENS,
    NotANumber,
    Parsed,
    parse_numeral,
)
from extractors.numbers.context import Unit, unit_after
from extractors.text.nlp import jieba_tokenizer, word_flag

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
    """Every numeral in ``text`` with its value, left to right, non-overlapping (digits, Chinese, English words)."""
    return _merge(list(_iter_tokens(text)), english_tokens(text))


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
        if _plausible(text, token) and not not_a_numeral(text, token.start, token.end):
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
        if surface in _CAPITALS and is_han(before) and before not in "是为有":
            return False
        if surface in _CAPITALS and is_han(after):
            return False
    return True


def _unit_follows(text: str, end: int) -> bool:
    return unit_after(text, end) is not None


# --------------------------------------------------------------------------- numerals that are no numbers
#
# Checked per numeral with anchored matches right before and after it (never a search
# over the whole text), and jieba only for a numeral that starts or ends with a Chinese
# numeral character: the check costs a few microseconds per numeral.

_CN_NUM = "〇零一二两三四五六七八九十百千万亿"
_CN_NUM_SET = frozenset(_CN_NUM + "兩萬億")
_CN_SMALL = "一二三四五六七八九十"
#: Names and dates a Chinese numeral begins: what follows it says so.
_CN_NAME_AFTER = re.compile(
    r"五”|五?”?(?:规划|计划|时期|期间|期末)"  # “十四五”规划, 十一五时期, 九五计划 (十四 + 五 when 十四五 does not parse)
    r"|年(?:计划|规划)"  # 第十个五年计划, 五年规划纲要: the plan, not a period
    rf"|届(?=全国|中央|人大|政协|全会|[{_CN_SMALL}]+(?:中全会|次))"  # 十九届五中全会, 十三届全国人大
    r"|中全会"  # 五中全会
    rf"|大(?=[^{HAN}]|以来|精神|报告|代表|召开|胜利|作出|提出|部署|确定|强调|闭幕|开幕|和|的|后|前|上|、)"
    r"|周年"  # 成立75周年: an anniversary is an ordinal
    r"|(?:[一二三]?|次)产业|线城市"  # 二三产业, 三次产业, 三四线城市, 一线城市: names of sectors and city tiers
    r"|月"  # 一月, 十二月: a month (N个月 is a duration)
)
#: What a name needs right before its numeral.
_CN_NAME_BEFORE = {
    "大": re.compile(rf"(?:^|[^{HAN}]|党的|中共|和|、|是)$"),  # 党的十九大, 十八大以来; not 四大 (four big)
    "session": re.compile(r"(?:人大|政协|届|大会)$"),  # 十三届全国人大五次会议
}
_PLAN_HEAD = re.compile("十[一二三四五六七八九]?|[六七八九]")
_SESSION_AFTER = re.compile(r"次(?:全体)?会议")
_NOT_NUMERALS = re.compile(
    r"一度(?!电)|[百千万]兆(?![瓦赫字比])|千百年|千千万万|万万千千|十之八九|一二三产业"
)  # the dictionary lists 一度 (at one time) and 千兆 (gigabit) as numerals; 千千万万 (countless)
_QUOTE_OPEN = re.compile(r"“[^“”\n，。；：！？]{0,11}$")
_QUOTE_CLOSE = re.compile(r"[^“”\n，。；：！？]{0,11}”")
_CN_DATE = re.compile(r"[〇零一二三四五六七八九]{4}年|[一二三四五六七八九十]{1,3}[日号]")
_CN_LIST_BEFORE = re.compile(r"(?:[（(]|(?:^|\n)[ \t]*)$")
_CN_LIST_AFTER = re.compile(r"[）)]|、")
_QUARTER = re.compile(r"季度")
#: English legal citations and contact data: the words before the number name it.
_EN_NAME_BEFORE = re.compile(
    r"(?:\bExecutive[ \t]+Orders?|\bE\.[ \t]?O\.|\bPublic[ \t]+Laws?|\bPub\.[ \t]*L\.|\bP\.[ \t]?L\.|\bRIN|\bDocket"
    r"(?:[ \t]+(?:No\.|Number))?|\bAmendment|\b[Vv]ersion|\bRev\.|\bRevision|\bRelease|§+"
    r"|\b[0-9]+[ \t]+(?:C\.?F\.?R\.?|U\.?[ \t]?S\.?[ \t]?C\.?(?:A\.)?|FR|Stat\.)(?:[ \t]+(?:[Pp]arts?|§+|[Ss]ections?))?"
    r"|\b(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|PR|RI|S[CD]|T[NX]|UT"
    r"|V[AIT]|W[AIVY])(?=[ \t]+[0-9]{5}(?:-[0-9]{4})?\b))"
    r"[ \t]*(?:No\.[ \t]*)?$"
)
_EN_NAME_AFTER = re.compile(r"[ \t]+(?:C\.?F\.?R\b|U\.?[ \t]?S\.?[ \t]?C\b|FR[ \t]+[0-9]|Stat\.[ \t]+[0-9])")
_PHONE = re.compile(r"(?:\([0-9]{3}\)[ \t]?|(?<![0-9])[0-9]{3}[-.])[0-9]{3}[-.][0-9]{4}(?![0-9])")


def not_a_numeral(text: str, start: int, end: int) -> bool:
    """True when the numeral at ``text[start:end]`` is part of a word or a name, not a number.

    See the module docstring: 零部件, 统一, “十四五”, 十九届五中全会, “两个确保”,
    二〇二五年, (一), Executive Order 12866, 14 CFR 25.1329, (202) 267-1234.
    """
    first, last = text[start], text[end - 1]
    if first in _CN_NUM_SET:
        return _chinese_name(text, start, end) or _in_word(text, start, end, True, last in _CN_NUM_SET)
    if last in _CN_NUM_SET:  # 1256万, 2.2万多: digits are a number, whatever word jieba puts 万 in (万公顷)
        return _chinese_name(text, start, end)
    if first.isdigit() or first in "-.":
        return text.startswith("周年", end) or _english_name(text, start, end)  # 成立75周年: an ordinal
    return False


def _chinese_name(text: str, start: int, end: int) -> bool:
    surface = text[start:end]
    before = text[max(0, start - 12):start]
    if (m := _CN_NAME_AFTER.match(text, end)) is not None and surface[-1] in _CN_NUM_SET:
        word = m.group()
        if word == "大":
            return len(surface) >= 2 and surface[0] in "十二" and bool(_CN_NAME_BEFORE["大"].search(before))
        if word == "月":
            return all(ch in _CN_SMALL for ch in surface) and len(surface) <= 2 and not text.startswith("月份", end)
        if word.startswith("五"):
            return _PLAN_HEAD.fullmatch(surface) is not None  # 十四 + 五”: only the plans' own numbers
        return True
    if _SESSION_AFTER.match(text, end) and _CN_NAME_BEFORE["session"].search(before):
        return True  # 全国人大五次会议: the fifth session, not five meetings
    if _QUARTER.match(text, end) and surface in ("一", "二", "三", "四") and not before.endswith(("个", "两")):
        return True  # 一季度, 前三季度: a quarter of the year is a date
    if _CN_DATE.match(text, start) and (len(surface) == 4 or _after_month(text, start)):
        return True  # 二〇二五年, 一月二十五日
    if _CN_LIST_BEFORE.search(before) and _CN_LIST_AFTER.match(text, end) and len(surface) <= 3 and all(
            ch in _CN_SMALL for ch in surface):
        return True  # （一）, 二、 at a line start: list markers
    if any(m.start() < end and start < m.end() for m in _NOT_NUMERALS.finditer(text, max(0, start - 3), end + 3)):
        return True
    return _in_short_quote(text, start, end)


def _after_month(text: str, start: int) -> bool:
    return start >= 2 and text[start - 1] == "月"


def _in_short_quote(text: str, start: int, end: int) -> bool:
    """“两个确保”, “三个1亿人”, “最后一公里”: a numeral inside a short quotation with a Chinese numeral is a slogan."""
    opening = _QUOTE_OPEN.search(text, max(0, start - 12), start)
    if opening is None:
        return False
    closing = _QUOTE_CLOSE.match(text, end)
    if closing is None or closing.end() - opening.start() > 14:
        return False
    inside = text[opening.start() + 1:closing.end() - 1]
    # “一”和“五” quote the numerals themselves; a slogan has words besides its numeral
    return any(ch in _CN_NUM_SET for ch in inside) and not all(ch in _CN_NUM_SET for ch in inside)


#: jieba's POS flag per word, memoised here: the dictionary lookup behind it takes a lock on every call.
_flag = lru_cache(maxsize=65536)(word_flag)
_WORD_WINDOW = 4  # jieba words around a numeral are short; a small window repeats more often
#: Classifiers jieba's POS dictionary flags as something else (双 n, 对 p, 分 v, 点 m): 三双, 一对, 二分, 一点.
_MORE_CLASSIFIERS = frozenset("双对副分点")


def _in_word(text: str, start: int, end: int, check_start: bool, check_end: bool) -> bool:
    """A dictionary word crosses the numeral's edge and is not "numeral + classifier" (零部件, 统一, 五年计划).

    Words from jieba's own segmentation of a few characters around the
    numeral (not every dictionary entry that happens to overlap it: 高一 is a
    word, but 高一个百分点 is 高 + 一个).  What the word adds after the
    numeral must be a unit of ours or a classifier (flag ``q``) of jieba's:
    三个, 五年, 十二章, 三双 are numerals with a classifier; 零部件, 三个代表,
    一百周年, 五项原则 are words.  One character more on a word the dictionary
    calls a numeral (``m``), or an adjective (三十大 in 比三十大一些), is left to the
    later rules.
    A word that starts before the numeral (统一,
    唯一, 之一) owns it, except 第 (第零十刃 is an ordinal; ordinals are
    dropped later, as quantities).
    """
    if not _suspect_word(text, start, end, check_start, check_end):
        return False  # no dictionary word could own the numeral: no need to segment
    lo, hi = max(0, start - _WORD_WINDOW), min(len(text), end + _WORD_WINDOW)
    pos = lo
    for word in _words(text[lo:hi]):
        a, b = pos, pos + len(word)
        pos = b
        if a >= end:
            break
        if b - a < 2:
            continue
        if check_start and a < start < b and word[0] != "第":
            return True  # 统一, 唯一, 近两年来: the word starts before the numeral
        if check_end and a < end < b:
            return not _classifier(text, end, b, unit_after(text, end)) and not (
                b - end == 1 and _one_more(word, text[end]))
    return False


def _one_more(word: str, rest: str) -> bool:
    """One character after the numeral inside a dictionary numeral (三十多) or an adjective (比三十大一些)."""
    if rest in _CN_NUM_SET:
        return False  # 九九 (陽光九九): the pair is the word
    return _flag(word) in ("m", "mq") or _flag(rest) == "a"


@lru_cache(maxsize=4096)  # reports repeat their phrases (进一步, 一方面, 统一): segment each window once
def _words(window: str) -> tuple[str, ...]:
    """jieba's dictionary segmentation of a few characters (its ``cut(HMM=False)`` route, without the
    block splitting around it: twice as fast on a window this small)."""
    tokenizer = jieba_tokenizer(())
    route: dict[int, tuple[float, int]] = {}
    tokenizer.calc(window, tokenizer.get_DAG(window), route)
    words, x = [], 0
    while x < len(window):
        y = route[x][1] + 1
        words.append(window[x:y])
        x = y
    return tuple(words)


def _suspect_word(text: str, start: int, end: int, check_start: bool, check_end: bool) -> bool:
    """Some dictionary entry crossing an edge of the numeral would make it part of a word.

    A cheap test run before segmenting: jieba's prefix dictionary holds every
    prefix of every word (with frequency 0), so the entries starting at a
    position are found by extending a slice while it is still a prefix, which
    stops after a character or two almost everywhere.  Most numerals have no
    crossing entry, or only numeral + classifier ones.
    """
    freq = jieba_tokenizer(()).FREQ
    limit = min(len(text), end + 4)
    if check_start:
        for a in range(max(0, start - 3), start):  # a word crossing ``start`` has text[a:start + 1] as a prefix
            if text[a] != "第" and text[a:start + 1] in freq and any(
                    b > start for b in _entries(freq, text, a, limit)):
                return True
    if check_end:
        unit = None
        for a in range(max(0, end - 4), end):
            if text[a:end + 1] not in freq:
                continue  # no word crosses ``end`` from here
            for b in _entries(freq, text, a, limit):
                if b <= end:
                    continue
                unit = unit or unit_after(text, end) or Unit("", end, end)
                word = text[a:b]
                if not _classifier(text, end, b, unit if unit.name else None) and not (
                        b - end == 1 and _one_more(word, text[end])):
                    return True
    return False


def _entries(freq: dict[str, int], text: str, a: int, limit: int) -> Iterator[int]:
    """Ends ``b`` of the dictionary words ``text[a:b]`` (two characters or more, ``b <= limit``)."""
    b = a + 2
    while b <= limit and (count := freq.get(text[a:b])) is not None:
        if count:
            yield b
        b += 1


def _classifier(text: str, end: int, word_end: int, unit: Unit | None) -> bool:
    """``text[end:word_end]`` (the rest of a word after a numeral) is ``unit`` (found there) or a classifier."""
    if unit is not None and (unit.end >= word_end or text[unit.end:word_end] in ("半", "多", "余")):
        return True  # 五年, 万吨, 两千多年, 一吨半
    rest = text[end:word_end]
    return (_flag(rest) or "").startswith("q") or rest in _MORE_CLASSIFIERS


def _english_name(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 24):start]
    lead = before.rstrip(" \t")[-1:]
    if lead and (lead.isascii() and lead.isalpha() or lead in ".§") and _EN_NAME_BEFORE.search(before):
        return True  # every name ends in a letter, a dot or § right before the number
    if _EN_NAME_AFTER.match(text, end):
        return True  # 14 CFR, 5 U.S.C., 85 FR 74560
    near = text[end:end + 1] in ("-", ".") or (start and text[start - 1] in "-.) ")
    return near and any(m.start() < end and start < m.end()
                        for m in _PHONE.finditer(text, max(0, start - 10), end + 10))


# --------------------------------------------------------------------------- English number words
#
# Spelled-out numbers are a second, word-level pass: their first characters are letters,
# which the character-level _START search above must not stop at (it would try the master
# regex at every letter of English prose).  Tokens that overlap a numeral found by the
# first pass ("3 million") are dropped in favour of that numeral.

_EN_SCALES = {w: v for w, v in ENGLISH_SCALES.items() if len(w) > 2}  # the words, not k/mn/bn
#: Denominators of spelled-out fractions.  "second" is left out on purpose: "one second" is a time.
_EN_DENOMS: dict[str, int] = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
    "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8,
    "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10, "hundredth": 100, "hundredths": 100,
    "thousandth": 1000, "thousandths": 1000,
}
#: "dozens of", "hundreds of": vague counts read like 数十/数百 (low end, high end).
_EN_VAGUE: dict[str, tuple[float, float]] = {
    "tens": (10.0, 100.0), "dozens": (24.0, 144.0), "hundreds": (100.0, 1e3), "thousands": (1e3, 1e4),
    "millions": (1e6, 1e7), "billions": (1e9, 1e10),
}
_EN_MULTIPLIERS: dict[str, float] = {"double": 2.0, "triple": 3.0, "treble": 3.0, "quadruple": 4.0}

_W_SMALL = "|".join(sorted(ENGLISH_SMALL, key=len, reverse=True))
_W_TENS = "|".join(ENGLISH_TENS)
_W_ATOM = rf"(?:(?:{_W_TENS})(?:-(?:{_W_SMALL}))?|{_W_SMALL}|hundred|thousand|million|billion|trillion)"
_W_DENOM = "|".join(sorted(_EN_DENOMS, key=len, reverse=True))
_W_BOUND = r"(?![A-Za-z0-9\-])"
_EN_WORDS = re.compile(
    rf"""\b(?:
      (?P<vague>(?:(?P<vq>tens|dozens|hundreds)[ \t]+of[ \t]+)?
                (?P<vs>dozens|hundreds|thousands|millions|billions)[ \t]+of){_W_BOUND}
    | (?P<halfa>half[ \t]+an?[ \t]+(?P<hs>dozen|hundred|thousand|million|billion|trillion)){_W_BOUND}
    | (?P<onein>(?P<on>one|a|{_W_SMALL})[ \t]+in[ \t]+(?:every[ \t]+)?
                (?P<od>{_W_SMALL}|{_W_TENS}|[0-9]{{1,4}}|a[ \t]+hundred)){_W_BOUND}
    | (?P<wfrac>(?P<fn>a|an|one|{_W_SMALL}|{_W_TENS})[ \t-]+(?P<fd>{_W_DENOM})){_W_BOUND}
    | (?P<half>half){_W_BOUND}
    | (?P<twice>twice){_W_BOUND}
    | (?P<mult>(?P<mw>double|triple|treble|quadruple)(?P<mf>d|s|ing)?
                |(?P<mw2>doubl|tripl|trebl|quadrupl)ing){_W_BOUND}
    | (?P<dozen>(?P<dn>a|{_W_SMALL}|{_W_TENS})[ \t]+dozen){_W_BOUND}
    | (?P<words>(?:an?[ \t]+(?=hundred|thousand|million|billion|trillion))?
                {_W_ATOM}(?:(?:[ \t]+and[ \t]+|[ \t]+){_W_ATOM})*)
      (?P<pctw>[ \t]?(?:%|per[ \t]?cent|percent))?{_W_BOUND}
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_SENTENCE_OPEN = re.compile(r"(?:^|[.!?:;\n(\"“‘'•·])[ \t]*$")
#: "the only one", "no one": pronouns; "permit only one activation" is a count.
_ONE_BEFORE = re.compile(r"\b(?:the|no|any|every|each|this|that|which|some|such|per|a|(?:the|an?|its|their)[ \t]+only)"
                         r"[ \t]+$", re.IGNORECASE)
_ONE_AFTER = re.compile(
    r"[ \t]+(?:another|day|days|hand|way|time|thing|side|more|must|can|could|should|would|may|might|will|is|was|"
    r"has|had|who|which|that|thinks|knows|says)\b|[’']s\b|-",
    re.IGNORECASE,
)
_SELECTION_BEFORE = re.compile(r"\b(?:first|last|next|past|previous|following|final)[ \t]+$", re.IGNORECASE)
_OF_AFTER = re.compile(r"[ \t]+of\b", re.IGNORECASE)
_FRACTION_USE = re.compile(r"[ \t]+(?:of|the|as)\b", re.IGNORECASE)
_HALF_AFTER = re.compile(r"[ \t]+(?:of|the|as|that|its|their)\b", re.IGNORECASE)
#: Words before "half" or "a third" that make it a share: by half, nearly a third, more than a quarter.
_HALF_BEFORE = re.compile(
    r"\b(?:by|in|to|than|nearly|almost|about|around|roughly|over|under|just|some)[ \t]+$", re.IGNORECASE)
_NOT_HALF_BEFORE = re.compile(r"\b(?:first|second|latter|former|other|the|a|an|and)[ \t]+$", re.IGNORECASE)
_MULTIPLE_AFTER = re.compile(
    r"[ \t]+(?:as|the|that|this|its|their|what|those|these|his|her|our|my|than)\b", re.IGNORECASE)
_MULTIPLE_BEFORE = re.compile(
    r"\b(?:to|will|would|could|can|may|might|should|did|does|nearly|almost|more[ \t]+than|roughly|about|"
    r"around|than)[ \t]+$", re.IGNORECASE)
_NOT_MULTIPLE_AFTER = re.compile(r"[ \t]+(?:down|up|back|over|as[ \t]+an?)\b|-", re.IGNORECASE)


def english_tokens(text: str) -> list[NumberToken]:
    """Spelled-out English numbers, fractions and multiples in ``text``, left to right."""
    out: list[NumberToken] = []
    pos = 0
    for word in _LATIN_WORD.finditer(text):
        if word.start() < pos or not _starts_number(word.group()):
            continue
        m = _EN_WORDS.match(text, word.start())
        if m is None:
            continue
        token = _english_token(text, m)
        pos = token.end if token is not None and token.end > m.start() else m.end()  # "two and three": rescan
        if token is not None and _english_plausible(text, token):
            out.append(token)
    return out


#: Latin words are looked up in a set before the word regex runs: Chinese text has few of
#: them and English prose few number words, so the regex is tried a handful of times.
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_STARTERS = frozenset(ENGLISH_SMALL) | frozenset(ENGLISH_TENS) | frozenset(_EN_VAGUE) | frozenset(
    "a an half twice hundred thousand million billion trillion".split())


def _starts_number(word: str) -> bool:
    low = word.lower()
    return low in _STARTERS or low.startswith(("doubl", "tripl", "trebl", "quadrupl"))


def _english_token(text: str, m: re.Match[str]) -> NumberToken | None:
    start, end = m.start(), m.end()
    if m.group("vague"):
        low, high = _EN_VAGUE[m.group("vs").lower()]
        if m.group("vq"):
            q_low, q_high = _EN_VAGUE[m.group("vq").lower()]
            low, high = q_low * low, q_high * low  # tens of thousands = 10,000 to 100,000
        return NumberToken(start, end, low, "number", True, high, written="words")
    if m.group("halfa"):
        scale = 12.0 if m.group("hs").lower() == "dozen" else _EN_SCALES.get(m.group("hs").lower(), 100.0)
        return NumberToken(start, end, scale / 2, "number", written="words")
    if m.group("onein"):
        return _one_in(m)
    if m.group("wfrac"):
        return _english_fraction(text, m)
    if m.group("half"):
        if _NOT_HALF_BEFORE.search(text, max(0, start - 10), start) or text.startswith("-", end):
            return None  # the first half, the other half, half-life
        if not (_HALF_AFTER.match(text, end) or _HALF_BEFORE.search(text, max(0, start - 10), start)):
            return None
        return NumberToken(start, end, 0.5, "fraction", written="words")
    if m.group("twice"):
        if not _MULTIPLE_AFTER.match(text, end):
            return None  # "twice a year" is a frequency; "twice as many", "twice the cost" a multiple
        return NumberToken(start, end, 2.0, "multiplier", written="words")
    if m.group("mult"):
        return _english_multiple(text, m)
    if m.group("dozen"):
        n = m.group("dn").lower()
        value = 1 if n == "a" else ENGLISH_SMALL.get(n) or ENGLISH_TENS.get(n) or 0
        return NumberToken(start, end, 12.0 * value, "number", written="words") if value else None
    return _english_number(text, m)


def _english_fraction(text: str, m: re.Match[str]) -> NumberToken | None:
    """one tenth, two-thirds, a quarter of: a singular denominator needs "of"/"the"/"as" after it
    (a third party, one quarter = a period, the tenth round are no fractions)."""
    den_word = m.group("fd").lower()
    numerator = m.group("fn").lower()
    num = 1 if numerator in ("a", "an", "one") else ENGLISH_SMALL.get(numerator) or ENGLISH_TENS.get(numerator) or 0
    if num == 0:
        return None
    singular = not den_word.endswith("s") or den_word in ("halves", "quarters")  # two quarters: a period
    used_as_share = _FRACTION_USE.match(text, m.end()) or _HALF_BEFORE.search(text, max(0, m.start() - 10), m.start())
    if singular and not used_as_share:
        return None  # "a third of", "by a third"; not "a third party"
    return NumberToken(m.start(), m.end(), num / _EN_DENOMS[den_word], "fraction", written="words")


def _one_in(m: re.Match[str]) -> NumberToken | None:
    """"one in three firms", "two in every ten": a share, written as a ratio like 三分之一."""
    num_w, den_w = m.group("on").lower(), m.group("od").lower()
    num = 1 if num_w in ("a", "one") else ENGLISH_SMALL.get(num_w, 0)
    if den_w.isdigit():
        den = int(den_w)
    else:
        den = 100 if den_w.startswith("a") else ENGLISH_SMALL.get(den_w) or ENGLISH_TENS.get(den_w, 0)
    if num == 0 or den == 0 or num >= den:
        return None
    return NumberToken(m.start(), m.end(), num / den, "fraction", written="words")


def _english_multiple(text: str, m: re.Match[str]) -> NumberToken | None:
    """doubled, tripling, to double, double the cost: a multiple; double-digit, double down are not."""
    start, end = m.start(), m.end()
    if _NOT_MULTIPLE_AFTER.match(text, end):
        return None
    word = (m.group("mw") or m.group("mw2") + "e").lower()
    inflected = bool(m.group("mf")) or bool(m.group("mw2"))
    if m.group("mf") == "s" and not _MULTIPLE_AFTER.match(text, end):
        return None  # "doubles" as a noun (tennis) or "triples" without an object
    stated = _MULTIPLE_AFTER.match(text, end) or _MULTIPLE_BEFORE.search(text, max(0, start - 16), start)
    if not inflected and not stated:
        return None  # "a double room": only a verb or "double the ..." states a multiple
    return NumberToken(start, end, _EN_MULTIPLIERS[word], "multiplier", written="words")


def _english_number(text: str, m: re.Match[str]) -> NumberToken | None:
    """A cardinal in words: the longest prefix that reads as one number ("two hundred and fifty")."""
    spans = [(w.start() + m.start(), w.end() + m.start()) for w in _WORD.finditer(m.group("words"))]
    value, used = _read_words([text[s:e] for s, e in spans])
    if used == 0:
        return None
    end = spans[used - 1][1]
    if used == len(spans) and m.group("pctw"):
        return NumberToken(m.start(), m.end(), value / 100, "percent", written="%")
    if (half := _AND_A_HALF.match(text, end)) is not None:
        return NumberToken(m.start(), half.end(), value + 0.5, "number", written="words")  # two and a half
    return NumberToken(m.start(), end, value, "number", written="words")


_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)?")
_AND_A_HALF = re.compile(r"[ \t]+and[ \t]+a[ \t]+half(?![A-Za-z\-])", re.IGNORECASE)


def _read_words(words: list[str]) -> tuple[float, int]:
    """(value, how many words it used) for the longest valid prefix; ``and`` is skipped inside.

    Grammar: [a | small | tens[-small]] [hundred [and] (small|tens[-small])] [scale ...].
    """
    total, section, used, best = 0.0, 0.0, 0, (0.0, 0)
    state = "start"  # start | small | tens | hundred | scale
    last_scale = math.inf
    for i, raw in enumerate(words):
        w = raw.lower()
        if w == "and":
            if state not in ("hundred", "scale"):
                break
            continue
        if w in ("a", "an"):
            if state != "start":
                break
            section, state = 1.0, "a"
            continue
        head, _, tail = w.partition("-")
        if head in ENGLISH_TENS and (not tail or tail in ENGLISH_SMALL and ENGLISH_SMALL[tail] < 10):
            if state in ("small", "tens", "a"):
                break
            section += ENGLISH_TENS[head] + (ENGLISH_SMALL[tail] if tail else 0)
            state = "tens"
        elif w in ENGLISH_SMALL:
            if state in ("small", "a") or state == "tens" and not 0 < ENGLISH_SMALL[w] < 10:
                break
            section += ENGLISH_SMALL[w]  # after tens: "twenty five" without the hyphen
            state = "small"
        elif w == "hundred":
            if state not in ("small", "a", "tens") or not 0 < section < 100:
                break
            section *= 100  # a hundred, two hundred, twenty-five hundred
            state = "hundred"
        elif w in _EN_SCALES:
            scale = _EN_SCALES[w]
            if state in ("start", "scale") or section == 0 or scale >= last_scale:
                break
            total += section * scale
            section, state, last_scale = 0.0, "scale", scale
        else:
            break
        used = i + 1
        if state != "a":
            best = (total + section, used)
    return best


def _english_plausible(text: str, t: NumberToken) -> bool:
    """Pronoun and name readings are out: one of the, no one, the one, one-off, the Big Ten."""
    surface = text[t.start:t.end]
    if surface[0].isupper() and not _SENTENCE_OPEN.search(text, max(0, t.start - 4), t.start):
        return False  # "Big Ten", "Group of Seven": a capitalised word inside a sentence is a name
    if t.kind == "number" and t.written == "words" and not t.vague:
        if _SELECTION_BEFORE.search(text, max(0, t.start - 12), t.start):
            return False  # "the first two measures", "the next five years": a selection or a period
        if _OF_AFTER.match(text, t.end) and t.value < 1000:
            return False  # "one of the", "two of them": a part of a group, not a count
        if surface.lower() in ("one", "zero"):
            lo = max(0, t.start - 10)
            if _ONE_BEFORE.search(text, lo, t.start) or _ONE_AFTER.match(text, t.end):
                return False
    return True


def _merge(first: list[NumberToken], words: list[NumberToken]) -> list[NumberToken]:
    """Both passes in order; a word token that overlaps a numeral of the first pass is dropped."""
    if not words:
        return first
    out: list[NumberToken] = []
    i = 0
    for w in words:
        while i < len(first) and first[i].end <= w.start:
            out.append(first[i])
            i += 1
        if i < len(first) and first[i].start < w.end:
            continue
        if out and out[-1].end > w.start:
            continue
        out.append(w)
    out.extend(first[i:])
    return out
