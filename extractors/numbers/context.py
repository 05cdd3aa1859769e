"""The words around a numeral: units, qualifiers, change verbs, subject, time scope.

Every table here is data, compiled once into one regex per question, so the
extractor does a fixed number of anchored matches per numeral.  Cues are
matched against a short window that ends where the numeral starts (or starts
where it ends), never against the whole sentence: "超过" in the previous
clause must not qualify this number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from extractors.lexicon import FOOTNOTE_MARKER_CLASS, HAN
from extractors.numbers.numerals import ENGLISH_SCALES, ENGLISH_SMALL, ENGLISH_TENS
from extractors.text.nlp import jieba_tokenizer, word_flag

# --------------------------------------------------------------------------- units

CURRENCY_AFTER: dict[str, str] = {
    "美元": "USD", "美金": "USD", "美圆": "USD", "美刀": "USD", "元人民币": "CNY", "元": "CNY", "圆": "CNY",
    "块钱": "CNY", "人民币": "CNY", "欧元": "EUR", "日元": "JPY", "港元": "HKD", "港币": "HKD", "英镑": "GBP",
    "新台币": "TWD", "台币": "TWD", "韩元": "KRW", "卢布": "RUB", "瑞士法郎": "CHF", "奈拉": "NGN",
    "比特币": "BTC", "个比特币": "BTC", "dollars": "USD", "USD": "USD", "CNY": "CNY", "RMB": "CNY", "yuan": "CNY", "euros": "EUR",
    "euro": "EUR", "EUR": "EUR", "GBP": "GBP", "pounds": "GBP", "JPY": "JPY", "yen": "JPY", "HKD": "HKD",
    "CHF": "CHF", "CAD": "CAD", "AUD": "AUD",
}
CURRENCY_BEFORE: dict[str, str] = {
    "US$": "USD", "$": "USD", "¥": "CNY", "￥": "CNY", "€": "EUR", "£": "GBP", "RMB": "CNY", "人民币": "CNY",
    "USD": "USD", "CNY": "CNY", "HK$": "HKD", "EUR": "EUR", "GBP": "GBP", "JPY": "JPY", "HKD": "HKD",
    "CHF": "CHF", "CAD": "CAD", "AUD": "AUD",
}
CANONICAL_AFTER: dict[str, str] = {
    "倍": "x", "x": "x", "×": "x", "纳米": "nm", "nm": "nm", "个月": "month", "年": "year", "天": "day",
    "小时": "hour", "分钟": "minute", "周": "week", "季度": "quarter", "千瓦时": "kWh", "度电": "kWh",
    "tokens": "tokens", "token": "tokens", "个token": "tokens", "years": "year", "months": "month",
    "days": "day", "times": "x", "degrees Celsius": "°C", "degrees": "degree", "percentage points": "pp",
    "周岁": "岁", "比特": "bit", "千比特": "kbit", "赫兹": "Hz", "兆赫兹": "MHz",
    "千卡": "kcal", "Hz": "Hz", "℃": "°C", "兆字节": "MB", "千字节": "KB", "CM": "cm",
    "华氏度": "°F", "摄氏度": "°C",
}
TECH_UNITS = (
    "EFLOPS", "PFLOPS", "TFLOPS", "GFLOPS", "FLOPS", "EFLOP/s", "PFLOP/s", "TFLOP/s", "TOPS", "Gbyte/s",
    "GByte/s", "Tbyte/s", "GB/s", "TB/s", "Gbps", "Tbps", "PB", "TB", "GB", "MB", "KB",
    "TWh", "GWh", "MWh", "kWh", "GW", "MW", "kW", "MtCO2e", "tCO2e",
    "W", "GHz", "MHz", "mm", "cm", "CM", "km", "kg", "nm", "m", "g", "°C", "°F", "℃",
)
CLASSIFIERS = (
    "个国家", "个", "個", "家", "项", "項", "人次", "人", "名", "款", "位", "种", "種", "次", "台", "张", "篇", "部",
    "条", "座", "所", "只", "件", "套", "颗", "片", "户", "批", "份", "轮", "层", "参数", "块", "张卡", "卡",
)
MEASURES = (
    "亩", "吨", "公斤", "千克", "克", "斤", "平方公里", "平方米", "公里", "千米", "厘米", "毫米", "公分", "微克",
    "米", "周岁", "岁", "摄氏度", "度", "兆瓦", "千瓦", "瓦", "兆字节", "千字节", "字节", "两",
)
MEASURE_WORDS = CLASSIFIERS + MEASURES
ENGLISH_NOUNS = (
    "models", "model", "companies", "company", "firms", "countries", "people", "users", "developers",
    "parameters", "GPUs", "chips", "employees", "projects", "papers", "entities", "startups",
)
_AFTER_WORDS = sorted(
    set(CURRENCY_AFTER) | set(CANONICAL_AFTER) | set(TECH_UNITS) | set(MEASURE_WORDS) | set(ENGLISH_NOUNS),
    key=len, reverse=True,
)
_UNIT_AFTER = re.compile(
    r"[ \t]?(?:\*\*)?[ \t]?(?P<u>" + "|".join(re.escape(w) for w in _AFTER_WORDS) + r")(?![A-Za-z])"
)
_CURRENCY_BEFORE = re.compile(
    r"(?P<u>" + "|".join(re.escape(w) for w in sorted(CURRENCY_BEFORE, key=len, reverse=True)) + r")[ \t]?$"
)


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit next to a numeral: ``name`` is canonical, ``end`` is where the written unit stops.

    ``lead`` is where a word that belongs to the unit but stands before the
    numeral starts (华氏 in 华氏温度98.6度), or ``None``.
    """

    name: str
    start: int
    end: int
    lead: int | None = None


_NOT_LIANG = re.compile(rf"(?!的)[{HAN}0-9]")  # 两 (liang, 50 g) ends its phrase: 二两。 三十两的


#: What follows an "x" that joins two numbers (224x224) or counts devices (8x A100, 2x GPUs).
_NO_MULTIPLE_AFTER_X = re.compile(r"\s?\d|\s?(?:[A-Z]{1,4}\d|GPUs?\b|TPUs?\b|nodes?\b|cards?\b)")


def unit_after(text: str, end: int) -> Unit | None:
    """The unit written right after ``text[:end]``, or ``None`` (no unit is not an error)."""
    m = _UNIT_AFTER.match(text, end)
    if not m:
        return None
    word = m.group("u")
    if word == "两" and _NOT_LIANG.match(text, m.end()):
        return None  # 一两个, 三两天: "one or two", not a weight
    if word == "周" and text.startswith("年", m.end()):
        return None  # 75周年 is an anniversary, not 75 weeks
    if word in ("x", "×") and _NO_MULTIPLE_AFTER_X.match(text, m.end()):
        return None  # 224x224 is a size, 8x A100 eight accelerators: neither is a multiple
    name = CURRENCY_AFTER.get(word) or CANONICAL_AFTER.get(word) or word
    return Unit(name, m.start("u"), m.end("u"))


#: Words that end an English noun phrase after a count: function words, verbs, qualifiers, units.
_EN_STOP = frozenset(
    "of in on at to for from by with and or but nor than the a an as that which who whose this these those "
    "its their our his her my your it they we there here is are was were be been being has have had do does "
    "did will would can could may might must shall should not no more less fewer most least per cent percent "
    "times x each every all both such so then also only just about around nearly almost roughly over under "
    "up down out into onto upon via vs versus between among within without after before since until while "
    "during across through against toward towards including plus minus am pm".split()
)
#: Plural nouns without a final -s, and -s words that are not plurals (various, analysis, business).
_EN_IRREGULAR = frozenset("people children men women staff personnel police cattle".split())
_EN_NOT_PLURAL_END = ("ss", "us", "is", "ous", "'s", "’s")
_EN_NOT_PLURAL = frozenset(
    "indoors outdoors always perhaps sometimes afterwards towards besides nevertheless thus whereas "
    "overseas news series species means ones others".split()
)
_EN_WORDS_AFTER = re.compile(r"(?:[ \t]+(?P<w>[A-Za-z][A-Za-z\-]*[A-Za-z]|[A-Za-z])(?![A-Za-z0-9\-/%]))")
_EN_MODIFIER = re.compile(r"[A-Za-z][a-z\-]*[a-z]|[A-Z]{2,6}")  # one letter (1.5 C) is a unit, not a modifier
_EN_PLURAL = re.compile(r"[a-z][a-z\-]*[a-z]s|[A-Z]{2,}s")
_NUMBER_WORDS = frozenset(ENGLISH_SMALL) | frozenset(ENGLISH_TENS) | frozenset(
    w for w in ENGLISH_SCALES if len(w) > 2) | frozenset(
    "hundred dozen dozens hundreds thousands millions billions half".split())


def noun_after(text: str, end: int, max_modifiers: int = 2) -> Unit | None:
    """The plural head noun of a count: ``290,000 industrial robots`` -> robots, ``12 provinces``.

    Up to ``max_modifiers`` words may stand between the number and the noun
    (``ten major cloud platforms``); a function word, verb, number word or
    unit ends the search, so ``3 of the firms`` or ``5 times`` are not read as
    a count of anything.  A head that is a known unit (``10 consecutive
    years``) keeps its canonical name.
    """
    if _ONE.search(text, max(0, end - 4), end):
        return _singular_after(text, end, max_modifiers)
    pos = end
    first = None
    for _ in range(max_modifiers + 1):
        m = _EN_WORDS_AFTER.match(text, pos)
        if m is None:
            return None
        word = m.group("w")
        low = word.lower()
        if low in _EN_STOP or low in _NUMBER_WORDS or low.endswith("ly"):
            return None
        first = m.start("w") if first is None else first
        if _is_plural(word):  # a known unit keeps its canonical name: 10 consecutive years -> year
            name = CANONICAL_AFTER.get(word) or CURRENCY_AFTER.get(word) or _EN_TIME_PLURALS.get(low) or word
            return Unit(name, first, m.end("w"))
        if word in _UNIT_WORDS or not _EN_MODIFIER.fullmatch(word) or low in _EN_VERBS:
            return None  # 5 GB of, 3 nm chips: a unit is not a modifier of a count
        pos = m.end()
    return None


_NOT_ONE_HEAD = frozenset(
    "year month week day hour minute second decade century time times way side hand thing more other another "
    "later earlier ago last next single".split())
_ONE = re.compile(r"(?<![A-Za-z\-])[Oo]ne$")
#: What ends the singular noun phrase after "one": a stop word, punctuation, or the end of the text.
_PHRASE_END = re.compile(r"[ \t]*(?:[^A-Za-z \t\-]|$)")


def _singular_after(text: str, end: int, max_modifiers: int) -> Unit | None:
    """The head noun after "one": ``only one activation of``, ``one AOA sensor fails`` -> activation, sensor.

    A singular noun has no plural mark to find it by, so the phrase must end
    right after it: at a function word, punctuation, or a word with a verb's
    -s (``fails``).  Units are no heads (``one year`` is a unit reading).
    """
    pos, first, last = end, None, None
    for _ in range(max_modifiers + 1):
        m = _EN_WORDS_AFTER.match(text, pos)
        if m is None or not _EN_MODIFIER.fullmatch(m.group("w")):
            break
        low = m.group("w").lower()
        if low in _EN_STOP or low in _NUMBER_WORDS or low in _EN_VERBS or low.endswith("ly"):
            break
        if last is not None and low.endswith("s") and not low.endswith(_EN_NOT_PLURAL_END):
            break  # one sensor fails: "fails" is the verb
        if m.group("w") in _UNIT_WORDS or low in _NOT_ONE_HEAD:
            return None  # one year later, one more time: a period or an adverb, not a count
        first = m.start("w") if first is None else first
        last, pos = m, m.end()
    else:
        if _PHRASE_END.match(text, pos) is None and (nxt := _EN_WORDS_AFTER.match(text, pos)) is not None and (
                nxt.group("w").lower() not in _EN_STOP):
            return None  # the phrase runs on: no head found within the modifiers
    if last is None or first is None or _is_plural(last.group("w")):
        return None
    return Unit(last.group("w"), first, last.end("w"))


_EN_TIME_PLURALS = {"hours": "hour", "weeks": "week", "minutes": "minute", "decades": "decade"}
_UNIT_WORDS = frozenset(CANONICAL_AFTER) | frozenset(TECH_UNITS) - {"people"}
_EN_VERBS = frozenset(
    "is was has does goes seems remains means needs makes takes uses shows says includes requires represents "
    "accounts comes gets gives keeps looks lets puts runs sets stands stays becomes rose fell grew were are "
    "be been had have did do will would can could may might must should shall".split()
)


def _is_plural(word: str) -> bool:
    low = word.lower()
    if low in _EN_IRREGULAR:
        return True
    if low in _EN_VERBS or low in _EN_NOT_PLURAL or not _EN_PLURAL.fullmatch(word):
        return False
    return not low.endswith(_EN_NOT_PLURAL_END)


#: 华氏温度98.6度, 摄氏 30 度: the scale named before the number turns 度 into a temperature.
_SCALE_BEFORE = re.compile(r"(?P<scale>华氏|摄氏)(?:温度)?[ \t]*(?:为|是|达到?|[ \t])*$")


def temperature_scale(text: str, start: int, unit: Unit) -> Unit:
    """``unit`` as °F/°C when it is 度 and 华氏/摄氏 stands before the numeral; else ``unit`` itself."""
    if unit.name != "度":
        return unit
    m = _SCALE_BEFORE.search(text, max(0, start - 10), start)
    if m is None:
        return unit
    return Unit("°F" if m.group("scale") == "华氏" else "°C", unit.start, unit.end, m.start())


def unit_before(text: str, start: int) -> Unit | None:
    """A currency sign written before the numeral (``$438``, ``人民币 50``)."""
    m = _CURRENCY_BEFORE.search(text[max(0, start - 5):start])
    if not m:
        return None
    offset = max(0, start - 5)
    return Unit(CURRENCY_BEFORE[m.group("u")], offset + m.start("u"), offset + m.end("u"))


# --------------------------------------------------------------------------- qualifiers

_BEFORE_CUES: dict[str, str] = {
    "大于或等于": "at_least", "大于或者等于": "at_least", "大于等于": "at_least", "不少于": "at_least",
    "不低于": "at_least", "不小于": "at_least", "至少": "at_least", "起码": "at_least", "≥": "at_least",
    ">=": "at_least", "at least": "at_least", "no less than": "at_least", "no fewer than": "at_least",
    "小于或等于": "at_most", "小于或者等于": "at_most", "小于等于": "at_most", "不超过": "at_most",
    "不超": "at_most", "不高于": "at_most", "不大于": "at_most", "不多于": "at_most", "最多": "at_most",
    "至多": "at_most", "最少": "at_least", "不满": "less_than", "等于": "exact", "=": "exact", "≤": "at_most", "<=": "at_most", "up to": "at_most", "at most": "at_most",
    "no more than": "at_most",
    "超过": "more_than", "超出": "more_than", "超": "more_than", "逾": "more_than", "大于": "more_than",
    "高于": "more_than", "多于": "more_than", "过": "more_than", ">": "more_than", "more than": "more_than",
    "over": "more_than", "above": "more_than", "exceeding": "more_than", "exceeds": "more_than",
    "不到": "less_than", "低于": "less_than", "少于": "less_than", "不足": "less_than", "小于": "less_than",
    "未满": "less_than", "未达": "less_than", "<": "less_than", "less than": "less_than",
    "fewer than": "less_than", "under": "less_than", "below": "less_than",
    "约为": "approx", "约": "approx", "大约": "approx", "大概": "approx", "将近": "nearly", "接近": "nearly",
    "近": "nearly", "差不多": "approx", "几乎": "nearly", "估计": "approx", "预计": "approx",
    "about": "approx", "around": "approx", "approximately": "approx", "nearly": "nearly", "almost": "nearly",
    "roughly": "approx", "some": "approx", "~": "approx", "约合": "approx",
}
_AFTER_CUES: dict[str, str] = {
    "以上": "at_least", "及以上": "at_least", "或以上": "at_least", "或者以上": "at_least",
    "以下": "at_most", "及以下": "at_most", "以内": "at_most", "之内": "at_most", "内": "at_most",
    "之下": "less_than", "左右": "approx", "上下": "approx", "前后": "approx", "多": "more_than",
    "余": "more_than", "有余": "more_than", "or more": "at_least", "or less": "at_most", "plus": "more_than",
    "或更多": "at_least", "或者更多": "at_least", "及更多": "at_least", "或更少": "at_most", "或者更少": "at_most",
}
_FILLER = r"(?:了|达到|达|有|是|为|共|已|已经|仍|\*\*|[ \t])*"
#: Comparisons written with spaces or an inner 或 (小于 或 等于, < =): squeezed to a key of _BEFORE_CUES.
#: A modal between 不 and the comparison (不得低于, 不应超过) is dropped too: 不得低于 is 不低于, not 低于.
_SPACED_CUES = (r"[大小]于(?:[ \t]*或者?)?[ \t]*等于|[<>][ \t]*="
                r"|不(?:得|应该|应|能|宜|可|要)(?:低于|少于|小于|超过|高于|多于|大于)")
_MODAL = re.compile(r"(?<=不)(?:得|应该|应|能|宜|可|要)|[ \t]")
_SPACED = re.compile(_SPACED_CUES)
_BEFORE = re.compile(
    r"(?P<cue>" + _SPACED_CUES + "|"
    + "|".join(re.escape(c) for c in sorted(_BEFORE_CUES, key=len, reverse=True)) + r")"
    + _FILLER + r"$",
    re.IGNORECASE,  # "About 40", "Nearly 30 times"
)
_AFTER = re.compile(
    r"[ \t]?(?P<cue>" + "|".join(re.escape(c) for c in sorted(_AFTER_CUES, key=len, reverse=True)) + r")"
)
_LATIN_CUE = re.compile(r"[A-Za-z]")
_TIME_UNIT_CHARS = frozenset("年月天日周时钟秒度")


@dataclass(frozen=True, slots=True)
class Cue:
    qualifier: str
    start: int
    end: int


def cue_before(text: str, start: int, floor: int) -> Cue | None:
    """A qualifier cue ending at ``start`` (fillers like 了/达/已 may sit between)."""
    lo = max(floor, start - 16)
    m = _BEFORE.search(text, lo, start)
    if not m:
        return None
    cue = m.group("cue")
    if _LATIN_CUE.match(cue) and m.start() > 0 and text[m.start() - 1].isalpha():
        return None  # "cover 10" is not "over 10"
    key = _MODAL.sub("", cue) if _SPACED.fullmatch(cue) else cue
    return Cue(_BEFORE_CUES.get(key) or _BEFORE_CUES[key.lower()], m.start(), m.end())


#: A note after 以上/以下/以内 saying whether the number itself is included: （不含本数）, （含）, (不包括10年).
_INCLUSION_NOTE = re.compile(
    r"[ \t]*(?:[（(][ \t]*(?P<neg>不|未)?(?:包含|包括|含|计)[^（）()\n]{0,12}?[ \t]*[）)]"
    r"|[，,]?[ \t]*(?P<neg2>不)(?:包含|包括|含)本数)"
)
_EXCLUDED_BOUND = {"at_least": "more_than", "at_most": "less_than"}


def cue_after(text: str, end: int) -> Cue | None:
    """A qualifier cue right after the numeral (or its unit).

    Chinese legal usage reads 以上/以下/以内 as including the number (at_least,
    at_most); an explicit note such as （不含本数） or （不含10年） excludes it, and
    the note becomes part of the cue.
    """
    m = _AFTER.match(text, end)
    if not m:
        return None
    cue = m.group("cue")
    if cue == "内" and text[end - 1:end] not in _TIME_UNIT_CHARS:
        return None  # 十年内 is "within ten years", 10倍内存 is memory
    qualifier, cue_end = _AFTER_CUES[cue], m.end()
    if qualifier in _EXCLUDED_BOUND:
        note = _INCLUSION_NOTE.match(text, cue_end)
        if note:
            cue_end = note.end()
            if note.group("neg") or note.group("neg2"):
                qualifier = _EXCLUDED_BOUND[qualifier]
    return Cue(qualifier, m.start(), cue_end)


#: 比170低, 比三十大一些: a comparison around the numeral; the adjective must end the phrase,
#: so 比3家大企业 (three big firms) is not "more than 3".
_COMPARE_PRE = re.compile(r"比[ \t]*$")
_COMPARE_POST = re.compile(rf"[ \t]*(?P<cmp>大|高|多|小|低|少)(?=一些|一点|得多|很多|[^{HAN}]|$)")
_COMPARE_QUALIFIER = {"大": "more_than", "高": "more_than", "多": "more_than",
                      "小": "less_than", "低": "less_than", "少": "less_than"}


def comparison_around(text: str, start: int, end: int) -> tuple[Cue, Cue] | None:
    """``比 X 大``: the 比 before ``start`` and the adjective after ``end``, as a pair of cues."""
    pre = _COMPARE_PRE.search(text, max(0, start - 4), start)
    if pre is None:
        return None
    post = _COMPARE_POST.match(text, end)
    if post is None:
        return None
    qualifier = _COMPARE_QUALIFIER[post.group("cmp")]
    return Cue(qualifier, pre.start(), pre.end()), Cue(qualifier, post.start("cmp"), post.end("cmp"))


# --------------------------------------------------------------------------- compound money

_SMALL_DIGIT = "[0-9一二两三四五六七八九]"
_CENTS_NUMBER = "(?:[0-9]{1,2}|[一二两三四五六七八九十]{1,3})"
#: 元/块 then 角 (毛) and 分: 五元三毛, 3元5角, 50元6角三分, 两块五毛钱; 分 must end the amount (not 分钟).
_FEN = rf"[ \t]*分(?=[的钱]|[^{HAN}]|$)"
_YUAN_TAIL = re.compile(
    rf"[ \t]*(?:(?P<jiao>{_SMALL_DIGIT})[ \t]*[角毛](?:[ \t]*(?P<fen>{_SMALL_DIGIT}){_FEN})?"
    rf"|零?[ \t]*(?P<fen_only>{_SMALL_DIGIT}){_FEN})(?:[ \t]*钱)?"
)
#: 一块五 (1.5 yuan): a bare digit after 块 that ends the phrase (一块五花肉 is a piece of pork belly).
#: A price per piece may follow: 三块五一斤, 两块五一瓶.
#: What a price is quoted per when it follows the amount (三块五一斤, 12元一盒).
PRICE_PIECES = ("千瓦时", "公斤", "千克", "斤", "克", "两", "瓶", "个", "件", "份", "张", "杯", "盒", "袋", "包",
                "升", "度", "次", "只", "本", "台", "吨")
PRICE_PIECE_RE = "|".join(sorted(PRICE_PIECES, key=len, reverse=True))
_KUAI_TAIL = re.compile(
    rf"(?P<jiao>{_SMALL_DIGIT})(?:[ \t]*钱)?(?=[^{HAN}0-9]|的|$|[一每][ \t]*(?:{PRICE_PIECE_RE}))"
)
#: Minor units whose name says their currency: 2美元50美分, 两美元又三美分.
_CENTS = {"USD": "美分", "EUR": "欧分", "GBP": "便士"}
_CENTS_TAIL = re.compile(rf"[ \t]*(?:又|和|零)?[ \t]*(?P<cents>{_CENTS_NUMBER})[ \t]*(?P<word>美分|欧分|便士)")


def money_tail(text: str, unit: Unit, parse: Callable[[str], float]) -> tuple[str, float, int] | None:
    """The minor units written after a currency (五元**三毛**): (currency, value to add, new end).

    ``parse`` reads a small numeral (the caller's parser; this module knows only words).
    """
    word = text[unit.start:unit.end]
    if unit.name == "CNY" and word in ("元", "圆", "块钱", "元人民币") or word == "块":
        m = _YUAN_TAIL.match(text, unit.end)
        if m is None and word == "块":
            m = _KUAI_TAIL.match(text, unit.end)
        if m is None:
            return None
        jiao, fen = m.groupdict().get("jiao"), m.groupdict().get("fen") or m.groupdict().get("fen_only")
        add = (parse(jiao) / 10 if jiao else 0.0) + (parse(fen) / 100 if fen else 0.0)
        return "CNY", add, m.end()
    m = _CENTS_TAIL.match(text, unit.end)
    if m is None or _CENTS.get(unit.name) != m.group("word"):
        return None
    cents = parse(m.group("cents"))
    return (unit.name, cents / 100, m.end()) if 0 < cents < 100 else None


# --------------------------------------------------------------------------- change

#: English verbs are whole words: "cut" in "Executive", "up" in "update" and "rise" in "enterprise" are none.
_CHANGE = re.compile(
    r"(?P<inc>增长|增加|增至|新增|提升|提高|上升|上涨|升至|扩大|扩张|增幅|涨幅|翻了|增|涨|升"
    r"|(?<![A-Za-z])(?:increas(?:e[sd]?|ing)|grew|grow(?:s|n|th|ing)?|rose|rise[sn]?|rising|up)(?![A-Za-z]))"
    r"|(?P<dec>减少|下降|降至|降低|下跌|缩减|缩小|减至|跌至|回落|降幅|跌幅|减|降|跌"
    r"|(?<![A-Za-z])(?:decreas(?:e[sd]?|ing)|fell|fall(?:s|en|ing)?|drop(?:s|ped|ping)?|down|cuts?|cutting)(?![A-Za-z]))"
    r"|(?P<lvl>持平|保持在|维持在|稳定在|(?<![A-Za-z])(?:unchanged|flat)(?![A-Za-z]))"
)
_FROM = re.compile(r"(?:从|自|由|from)[ \t]*[$¥€£]?[ \t]*$", re.IGNORECASE)
_TO_LEVEL = re.compile(r"(?:至|到|为|到了|to)[ \t]*$")


@dataclass(frozen=True, slots=True)
class Change:
    direction: str  # increase | decrease | level
    is_delta: bool
    start: int


def change_before(text: str, start: int, floor: int) -> Change | None:
    """The last change verb in the clause before the numeral; "降至 1.46" is a level, "增长43%" a delta."""
    lo = max(floor, start - 24)
    window = text[lo:start]
    if _FROM.search(window):
        return None  # 从1.5降至1.46, up from 900 million: the starting level, not the change
    last = None
    for m in _CHANGE.finditer(window):
        last = m
    if last is None:
        return None
    direction = {"inc": "increase", "dec": "decrease", "lvl": "level"}[last.lastgroup or "lvl"]
    if direction == "level":
        return Change("level", False, lo + last.start())
    rest = window[last.start():]
    after_verb = rest[len(last.group()):].lstrip()
    # "涨到2022年底的438元": 到/至 right after the verb makes the number a level, however far it is.
    to_level = (bool(_TO_LEVEL.search(rest.rstrip("约近超过了将接* \t$¥€£"))) or last.group().endswith(("至", "到"))
                or after_verb.startswith(("至", "到")))
    return Change(direction, not to_level, lo + last.start())


# --------------------------------------------------------------------------- clause, subject, time

CLAUSE_BREAKS = "，,；;。！？!?：:\n、"
SENTENCE_BREAKS = "。！？!?\n；;"
_TIME = re.compile(
    r"(?:(?P<pre>截至|截止到|截止|到|至|在|于|自|从|仅|early|by|in|since)[ \t]*)?"
    r"(?P<date>(?:[0-9]{4}|[〇零一二三四五六七八九]{4})[ \t]*(?:[-–—~～至到][ \t]*[0-9]{4}[ \t]*)?年"  # 二〇二五年 too
    r"(?:[ \t]*(?:[0-9]{1,2}|[一二三四五六七八九十]{1,2})[ \t]*月(?:[ \t]*(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})[ \t]*日)?)?"
    r"(?:[ \t]*(?:中期|年初|年底|年末|上半年|下半年|初|底|末|前|后|以来|第[一二三四1-4]季度|Q[1-4]))?)"
)
_TIME_EN = re.compile(
    r"\b(?:in|by|since|during|as of|until|through|from)[ \t]+(?:(?:early|mid|late|the end of)[- \t]?)?"
    r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?[ \t]+)?(?:19|20)[0-9]{2}\b",
    re.IGNORECASE,
)
_COMPARE_BEFORE = re.compile(r"(?:较|比|相比|同比|与|和|vs\.?)[ \t]*$")
_SUBJECT_TRIM_END = re.compile(
    r"(?:已经|已|仍|达到|达|高达|为|是|有|共|约|约为|将近|接近|近|超过|超|逾|不到|不足|低于|至少|最多|"
    r"增长|增加|提升|提高|上升|减少|下降|降低|降|升|增|新增|至|到|了|的|在|将|则|只需|需|收费|涉及|金额|和|与|及|以|从|自|由|"
    r"介于|处于|位于|(?:up |down )?from|to|of|by|between|"
    r"\*\*|[ \t])+$"
)
_SUBJECT_TRIM_START = re.compile(r"^(?:[ \t*\-]|（[^（）]*）|\([^()]*\)|而|但|且|并|和|及|以及|的|其中|另外|此外|同时|与此同时|其|这|该)+")
_MARKERS = re.compile(rf"[{FOOTNOTE_MARKER_CLASS}]")
_PAREN_ABBR = re.compile(rf"(?:^|(?<=的))[{HAN}]{{1,6}}（([A-Za-z][A-Za-z0-9]{{0,7}})）")


def clause_start(text: str, start: int) -> int:
    """Offset after the nearest clause break before ``start``."""
    lo = max(0, start - 80)
    for i in range(start - 1, lo - 1, -1):
        if text[i] in CLAUSE_BREAKS:
            return i + 1
    return lo


def sentence_start(text: str, start: int) -> int:
    lo = max(0, start - 300)
    for i in range(start - 1, lo - 1, -1):
        if text[i] in SENTENCE_BREAKS:
            return i + 1
    return lo


def time_scope(text: str, start: int, end: int | None = None) -> str | None:
    """The last date expression in the sentence before the numeral, unless it is a comparison base.

    English puts the date after the number ("grew 43% in 2024"), so an English
    date later in the same sentence counts when none comes before.
    """
    lo = sentence_start(text, start)
    found = None
    for m in _TIME.finditer(text, lo, start):
        if m.group("pre") is None and _COMPARE_BEFORE.search(text, lo, m.start()):
            continue
        found = m
    for m in _TIME_EN.finditer(text, lo, start):
        found = m if found is None or m.start() > found.start() else found
    if found is None and end is not None:
        found = _TIME_EN.search(text, end, _sentence_end(text, end))
    return found.group().strip() if found else None


def _sentence_end(text: str, pos: int) -> int:
    hi = min(len(text), pos + 200)
    for i in range(pos, hi):
        if text[i] in SENTENCE_BREAKS or (text[i] == "." and (i + 1 == len(text) or text[i + 1] in " \n")):
            return i
    return hi


def subject(text: str, start: int, cut: int, floor: int = 0, end: int | None = None) -> str | None:
    """The noun phrase a numeral is about, or ``None``: never a lone verb, adverb or measure word.

    In order: the noun right after the figure (3200万孩子, 1000亿元专项奖补资金,
    九年义务教育, 90%以上的政务服务: Chinese puts the counted thing after the
    number), when ``end`` is given; the object of the change verb before the
    number (城镇新增就业1184万人, 裁减员额50万); the noun phrase of the clause
    before the numeral (break..cut minus dates, cues, a comparison tail like 比上年,
    and verbs, adverbs and particles at its ends, judged by jieba's POS flags);
    and when that clause has no noun at all (平均每年增长8.3%, 分别比2007年增加),
    the subject of the sentence's first figure.  ``floor`` is the end of the
    previous assertion, so "8 大算力枢纽和10 个" does not become the subject of the 10.
    """
    lo = max(clause_start(text, start), floor)
    if end is not None and (after := noun_after_figure(text, end)) is not None:
        return after
    if lo < cut < start and (verb := _CHANGE.match(text, cut)) is not None and verb.end() == cut + 1 and (
            _flag(text[cut - 1:cut + 1]) or "").startswith("v"):
        cut -= 1  # 压减, 裁减, 削减: the one-character change verb ends a verb word; the word is the verb
    if lo <= cut < start and (obj := _verb_object(text, lo, cut, start)) is not None:
        return obj
    phrase = _cleaned(text[lo:min(cut, start)]) if cut > lo else ""
    found = _noun_phrase(phrase)
    if end is not None and (found is None or _ends_weak(phrase)) and (
            after := noun_after_figure(text, end, through_de=True)) is not None:
        return after  # 这将近30倍的价差, 以1/10的算力成本; not 带宽传输速率大于600Gbyte/s的高端芯片
    if found is None and not _has_noun(phrase):
        found = _earlier_subject(text, lo)
    return found


def _ends_weak(phrase: str) -> bool:
    """The words before a figure end in a preposition, adverb, particle or a stating verb (以, 这, 达)."""
    words = [(w, f) for w, f in _segment(phrase) if _WORDISH.search(w)] if _HAN_CHAR.search(phrase) else []
    return bool(words) and (_predicate(words[-1][0]) or (words[-1][1] or "").startswith(_FUNCTION_FLAGS))


def _cleaned(phrase: str) -> str:
    for mark in ("每", "从", "由"):
        head, found, rest = phrase.partition(mark)
        if found and any(ch.isdigit() for ch in rest):
            phrase = head  # o1每输出100万tokens, PUE从1.5, 由40个: a denominator or a start value is not the subject
    phrase = _MARKERS.sub("", _TIME.sub("", phrase))
    return _PAREN_ABBR.sub(r"\1", phrase)


#: jieba's POS flag per word, memoised here: the dictionary lookup behind it takes a lock on every call.
_flag = lru_cache(maxsize=65536)(word_flag)
_HAN_CHAR = re.compile(rf"[{HAN}]")
_WORDISH = re.compile(rf"[{HAN}A-Za-z]")
#: jieba flags that can stand in a noun phrase before its head: adjectives, distinguishing words (大型), abbreviations.
_MODIFIER_FLAGS = ("a", "b", "zg")
#: Words that open a comparison tail after the subject: 国家财政收入|比上年, 占国际市场份额|比2007年.
_COMPARE_WORDS = frozenset("比 较 相比 相较 对比 较之 同比 环比 由 从 自".split())
#: Verbs that state a figure rather than name it (达到134.9万亿元, 实现利润, 折合): never a subject's head.
#: Other verbs at the end stay: jieba flags many indicator heads as verbs (支出, 投资, 就业, 产能).
_PREDICATE_WORDS = frozenset(
    "达到 达 高达 实现 完成 超过 超 突破 折合 约合 合计 共计 总计 累计 共 计 占 为 是 有 拟 将 要 可 可使 使 让 "
    "安排 打造 区区 仅 仅仅 只 只有 已 已经 仍 约 近 接近 将近 逾 不到 不足 保持 保持在 控制 控制在 稳定 稳定在 "
    "维持 达至 增至 降至 升至 减至 提高到 下降到 至 到 新增 增加 增长 减少 下降 提高 提升 降低 上升 扩大 "
    "控制 惠及 增产 长达 定在 定为 按 介于 处于 位于 在 只需 需 需要 收费 涉及 "
    "实施 制定 提出 提请 修订 废止 创造 带动 建成 推进 开展 启动 支持 取消 扣除 淘汰 禁止 迫使 要求 把 守住 "
    "坚持 落实 认真落实 全面实施 深入实施".split())


def _predicate(word: str) -> bool:
    """达到, and with an adverb glued on by the segmenter: 已达, 仍超, 将达到."""
    return word in _PREDICATE_WORDS or len(word) > 1 and word[0] in "已仍将拟再又均" and word[1:] in _PREDICATE_WORDS
#: Generic nouns after 的 that describe the figure, not what it is about (5%的水平, 6.5%的目标).
_FIGURE_NOUNS = frozenset("水平 目标 幅度 比例 比重 增速 速度 规模 区间 范围 标准 基础 程度 高位 增长 份额 预期".split())
_LEADING_DE = re.compile(r"[ \t]*的?")
_AFTER_WINDOW = 16


def _segment(phrase: str) -> list[tuple[str, str | None]]:
    """jieba words with their POS flag (``None``: a noun, a verbal noun or a word jieba does not list)."""
    return list(_segment_cached(phrase))


@lru_cache(maxsize=4096)  # a subject's words are looked at up to three times, and reports repeat phrases
def _segment_cached(phrase: str) -> tuple[tuple[str, str | None], ...]:
    tokenizer = jieba_tokenizer(())
    words: list[str] = []
    for word in tokenizer.lcut(phrase):
        if len(word) > 1 and not tokenizer.FREQ.get(word) and _FUNCTION_CHARS.search(word):
            words.extend(tokenizer.lcut(word, HMM=False))  # 比前 is 比 + 前, not a new noun
        else:
            words.append(word)  # new words the HMM joins (算力, 留抵退税) are mostly nouns
    return tuple((w, _flag(w)) for w in words)


_FUNCTION_CHARS = re.compile("[比较从由在将对向于为以其之的了是和与及被把等而或也都已再又仍拟共]")


def _nounish(word: str, flag: str | None) -> bool:
    """A noun by jieba's flags: n*, vn, an unlisted word, or a set phrase (义务教育 ``l``, 吞吐能力 ``i``, 技改 ``j``)."""
    return (flag is None or flag in _NOUN_PHRASE_FLAGS) and _WORDISH.search(word) is not None


_NOUN_PHRASE_FLAGS = frozenset({"j", "l", "i"})
#: Flags of words that never carry a figure's subject: prepositions, conjunctions, particles, adverbs,
#: pronouns, localizers, numerals, measure words, time words, modal particles, interjections, onomatopoeia.
_FUNCTION_FLAGS = ("p", "c", "u", "d", "r", "f", "m", "q", "t", "y", "e", "o", "x", "z", "a")
#: What may open the words before a figure without belonging to its subject: prepositions, conjunctions,
#: particles, pronouns, time words, numerals (国内/西部/特别/长期 open compounds: 国内生产总值, 特别国债).
_LEAD_FLAGS = ("p", "c", "u", "r", "t", "m", "q", "y", "e", "o")


def _has_noun(phrase: str) -> bool:
    return any(_nounish(w, f) for w, f in _segment(phrase)) if _HAN_CHAR.search(phrase) else bool(phrase.strip())


def noun_after_figure(text: str, end: int, *, through_de: bool = False) -> str | None:
    """The noun phrase right after a Chinese figure (and its unit): 3200万孩子 -> 孩子, and with
    ``through_de`` across a 的: 90%以上的政务服务 -> 政务服务.

    Measure words (公顷, 立方米: jieba flag ``q``), verbs (1.5万亿元用于), time
    words, 数 (8位数) and punctuation end it before it starts.
    """
    lead = _LEADING_DE.match(text, end)
    pos = lead.end() if lead else end
    if (pos > end) != through_de or pos >= len(text) or not _HAN_CHAR.match(text, pos) or text[pos] in "数數":
        return None
    words: list[tuple[str, str | None]] = []
    for word, flag in _segment(text[pos:pos + _AFTER_WINDOW]):
        if _nounish(word, flag) or (flag or "").startswith(_MODIFIER_FLAGS):
            words.append((word, flag))
            continue
        break
    while words and not _nounish(*words[-1]):
        words.pop()
    phrase = "".join(w for w, _ in words)
    if len(phrase) < 2 or (pos > end and phrase in _FIGURE_NOUNS):
        return None
    return phrase


def _verb_object(text: str, lo: int, cut: int, start: int) -> str | None:
    """城镇新增就业1184万人, 如期完成裁减员额50万: a noun between the change verb and the figure names it."""
    verb = _CHANGE.match(text, cut) or _CHANGE.match(text, cut + 1)
    if verb is None or verb.end() >= start:
        return None
    between = _OBJECT_TRIM.sub("", _cleaned(text[verb.end():start]))
    if not _HAN_CHAR.search(between):
        return None
    words = _segment(between)
    while words and (_predicate(words[-1][0]) or (words[-1][1] or "").startswith(_FUNCTION_FLAGS)):
        words.pop()  # 涨幅控制在3%: 控制在 states the figure, there is no object
    if not words or all((f or "").startswith(_FUNCTION_FLAGS) for _, f in words):
        return None
    head = _cleaned(text[lo:cut])
    phrase = _SUBJECT_TRIM_START.sub("", head + text[cut:verb.end()] + "".join(w for w, _ in words)).strip(" *\t“”\"")
    return phrase[-40:] if len(phrase) >= 2 else None


_OBJECT_TRIM = re.compile(r"^(?:了|到|至|为|达到?|[ \t])+|(?:了|的|达到?|为|是|约|共|已|[ \t])+$")


def _noun_phrase(phrase: str) -> str | None:
    """The noun phrase in ``phrase`` (the words before a figure), trimmed of what is not one."""
    if not _HAN_CHAR.search(phrase):
        return _latin_phrase(phrase)
    words = _segment(_SUBJECT_TRIM_START.sub("", phrase).strip(" *\t“”\""))
    for i in range(len(words) - 1, 0, -1):
        if words[i][0] in _COMPARE_WORDS and any(_nounish(*w) for w in words[:i]):
            words = words[:i]  # 国家财政收入比上年, 占国际市场份额比
            break
    while words and (_predicate(words[-1][0]) or not _WORDISH.search(words[-1][0])
                     or (words[-1][1] or "").startswith(_FUNCTION_FLAGS)):
        words.pop()  # 达到, 分别, 了, 的, measure words, quotes at the end
    while words and (_predicate(words[0][0]) or not _WORDISH.search(words[0][0])
                     or (words[0][1] or "").startswith(_LEAD_FLAGS)):
        words.pop(0)  # 今年, 比, 拟安排, 实现利润 -> 利润; not 国内 (s), 特别 (d), 留学 (v): they open noun compounds
    if not any(_nounish(*w) and not _predicate(w[0]) for w in words):
        return None  # a lone verb or adverb (折合, 打造, 区区) is no subject
    found = "".join(w for w, _ in words).strip(" *\t“”\"")
    return found[-40:] if len(found) >= 2 else None


def _latin_phrase(phrase: str) -> str | None:
    """English: the old trims; a phrase of function words only (If, It was) is no subject."""
    phrase = _SUBJECT_TRIM_START.sub("", _SUBJECT_TRIM_END.sub("", phrase)).strip(" *\t“”\"")
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", phrase)]
    if len(phrase) < 2 or not any(w not in _EN_STOP and w not in _EN_VERBS and len(w) > 2 for w in words):
        return None
    if len(phrase) > 40:
        phrase = phrase[-40:]
        phrase = phrase.split(" ", 1)[-1] if phrase[0].isalpha() and " " in phrase else phrase  # no "uding a"
    return phrase


def _earlier_subject(text: str, lo: int) -> str | None:
    """For a clause that names nothing (平均每年增长8.3%, 分别比2007年增加, 减少到29个): the nearest
    subject before it in the same sentence, read from each earlier clause up to its first figure
    (国内生产总值2000年达89404亿元 -> 国内生产总值; 国务院组成部门由40个 -> 国务院组成部门)."""
    begin = sentence_start(text, lo)
    end = lo
    while end > begin:
        clause = max(clause_start(text, end - 1) if end - 1 > begin else begin, begin)
        head = _cleaned(text[clause:end])  # dates out first: 2024年国内生产总值达到134.9万亿元
        first = _FIRST_FIGURE.search(head)
        found = _noun_phrase(head[:first.start()] if first else head)
        if found is not None and any(f is None and _WORDISH.search(w) for w, f in _segment(found)):
            return found  # a noun proper: not a set phrase alone (也就是说, 报告显示 has 显示 v)
        end = clause - 1 if clause > begin else begin
    return None


_FIRST_FIGURE = re.compile(r"[0-9]")
