"""Numeric assertions: quantities a fact-checker could verify, with unit, qualifier and scope.

``extract(text)`` runs in three steps:

1. :func:`extractors.numbers.scan.scan_numbers` finds every numeral and its value;
2. non-quantities are dropped: dates (time scopes, not claims), model and
   product names (H100, FP8, GLM-4.5), codes, URLs, titles in 《》, figure and
   table numbers, ordinals (第N, list items), page numbers, bare numbers with
   neither unit nor any wording that makes them a quantity;
3. what remains is dressed with the words around it
   (:mod:`extractors.numbers.context`): unit, qualifier, change, subject,
   time scope and the denominator of rates.  An English count takes the plural
   noun after it as its unit, across up to two modifiers
   (``290,000 industrial robots`` -> robots, ``ten major cloud platforms`` ->
   platforms); a bare year (``in 2024 regulators``) and a reference number
   (``Section 3``, ``Article 5``, ``page 4``) count nothing.

Conventions: percentages and 成 are ratios (``43%`` -> 0.43, ``八成`` -> 0.8,
unit ``%``); percentage points keep their number (``六个百分点`` -> 6, unit
``pp``, a delta); multipliers have unit ``x``; currencies are ISO codes.  Every
assertion carries its ``unit_kind`` (:data:`extractors.types.UnitKind`:
percent, permille, fraction, points, multiple, currency, count, duration,
measure, bare), so readers never re-parse unit spellings or guess the scale.
Vague numerals (``数百亿``) are a range with qualifier ``approx``; ``五百多``
is ``more_than`` 500; 将近/近/接近/nearly/almost are ``nearly`` (a little
below), 约/左右/about are ``approx`` (either side).  A lower and an upper bound written together
(``大于10小于20``, ``10年以上20年以下``, ``more than 10 but less than 20``) are one
``range``; 以上/以下 include the number (``at_least``/``at_most``, the legal
reading) unless a note excludes it (``以上（不含本数）`` -> ``more_than``).  Minor
currency units join the amount (``五元三毛`` = 5.3 CNY).  Offsets are into
``text``, half-open.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, replace

from extractors.lexicon import CAPTION_LABEL, HAN

from extractors.numbers.numerals import NotANumber, parse_number
from extractors.text.nlp import leading_noun_phrase
from extractors.numbers.context import (
    CANONICAL_AFTER,
    CLASSIFIERS,
    CURRENCY_AFTER,
    CURRENCY_BEFORE,
    MEASURE_WORDS,
    MEASURES,
    PRICE_PIECE_RE,
    TECH_UNITS,
    Change,
    Cue,
    Unit,
    change_before,
    clause_start,
    comparison_around,
    cue_after,
    cue_before,
    money_tail,
    noun_after,
    subject,
    temperature_scale,
    time_scope,
    unit_after,
    unit_before,
)
from extractors.numbers.scan import NumberToken, scan_numbers
from extractors.types import NumericAssertion, Qualifier, UnitKind

__all__ = ["NotANumber", "extract", "extract_numbers", "parse_number"]

logger = logging.getLogger(__name__)

_EXCLUDED = re.compile(
    r"https?[:：]//[^\s，。；）)\]】>\"]+"
    r"|www\.[^\s，。；）)\]】>\"]+"
    r"|\]\([^)\s]*\)"
    r"|《[^》\n]{0,80}》"
    r"|[0-9]{4}-[0-9]{3}[0-9Xx](?:[（(][0-9]{4}[）)])?(?:[0-9]{2}-[0-9]{4}-[0-9]{2})?"
    r"|(?<![0-9A-Za-z])[0-9A-Za-z]+(?:-[0-9A-Za-z]+){2,}"
    r"|[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"
    r"|(?:附表|附图|公式|Eq\.)[ \t]*[0-9]+(?:[.\-][0-9]+)*|(?i:" + CAPTION_LABEL + r")(?:[.\-][0-9]+)*"
    r"|第[ \t]*[0-9零〇一二两三四五六七八九十百千]+"
    rf"|(?<![0-9])[0-9]+[ \t]*(?:卷|期|页|版)(?![{HAN}]*[0-9])"
    r"|[pP]p?\.[ \t]*[0-9]+(?:[-–][0-9]+)?"
)
#: English references (Section 3, Article 5, page 4, note 1, Phase 2, No. 7): numbers that name, not count.
#: Checked in a short window before each numeral, not over the whole text, to keep the scan cheap.
_REFERENCE_BEFORE = re.compile(
    r"\b(?:(?i:sections?|articles?|chapters?|pages?|paragraphs?|clauses?|annex|appendix|notes?)"
    r"|Part|Phase|Tier|Stage|Step|Level|Item|Schedule|Title|Volume|Vol\.|No\.|Rule|Box|Round)[ \t]*$"
)
_LIST_PREFIX = re.compile(r"(?:^|\n)[ \t#>*\-\[\"“'(（]*$")
_LIST_SUFFIX = re.compile(r"(?:\.(?![0-9])|、|[)）](?![0-9]))")
_YEAR_AFTER = re.compile(r"[ \t]*(?:[-–—~～至到][ \t]*[0-9]{4}[ \t]*)?(?:年|年代)")
_MONTH_AFTER = re.compile(r"[ \t]*月")
_DAY_AFTER = re.compile(r"[ \t]*[日号號]")
_CONNECTOR = re.compile(r"[ \t]*(?:[-–—~～至到]|to|and|与|和)[ \t]*(?:[$¥€£][ \t]?)?")
_BETWEEN_EN = re.compile(r"\bbetween[ \t]+(?:[$¥€£][ \t]?)?$", re.IGNORECASE)
_BETWEEN = re.compile(r"[ \t]*之?间")
_SCALED = re.compile(r"[万萬亿億兆]|thousand|million|billion|trillion|bn|mn|[kKMB]$")
_DA = re.compile(rf"[ \t]?大(?![于於约約概幅量多部都])(?=[{HAN}])")
_IDIOMS = ("三位一体", "五位一体", "四位一体", "一带一路", "三位一體", "五位一體", "二元", "一元论", "二次", "一次性", "两手")
# A known measure word wins over two characters of whatever follows (每吨钢材 is per 吨, not 吨钢).
_PER_WORD = re.compile(
    r"每[ \t]*[个個]?(?P<w>" + "|".join(re.escape(w) for w in sorted(
        (*MEASURE_WORDS, "小时", "季度", "分钟", "年", "月", "周", "天", "日", "秒"), key=len, reverse=True))
    + rf"|[{HAN}]{{1,2}}|[A-Za-z]+)"
)
_PER_AFTER = re.compile(
    r"[ \t]*(?:/|每|per[ \t]+)[ \t]*(?P<w>百万tokens|千tokens|(?:million|thousand|billion)[ \t]+[A-Za-z]+|tokens?|"
    r"年|月|天|日|人|小时|季度|股|[A-Za-z]+)"
)
#: A price per piece written after the amount: 三块五一斤, 12元一瓶, 2美元一杯.
_PER_PIECE_AFTER = re.compile(rf"[ \t]*[一每][ \t]*(?P<w>{PRICE_PIECE_RE})(?=的|[^{HAN}]|$)")
_CURRENCIES = frozenset(CURRENCY_AFTER.values()) | frozenset(CURRENCY_BEFORE.values())
#: Canonical time units (CANONICAL_AFTER and noun_after give these names): a count of time is a duration.
_DURATIONS = frozenset({"year", "month", "week", "day", "hour", "minute", "quarter", "decade"})
#: Physical and technical units; any other unit names what is counted (家, 个, robots, tokens).
_MEASURES = (frozenset(TECH_UNITS) | frozenset(MEASURES) | frozenset(CANONICAL_AFTER.values())) - _DURATIONS - {
    "x", "pp", "tokens"}
#: The scanner's token kinds that fix the unit kind whatever unit word follows.
_KIND_OF_TOKEN: dict[str, UnitKind] = {"percent": "percent", "permille": "permille", "fraction": "fraction",
                                       "points": "points", "multiplier": "multiple"}
#: Units that are classifiers: the counted noun follows them (8 大算力枢纽, 27个省份, 3家企业).
_COUNT_CLASSIFIERS = frozenset(CLASSIFIERS) - {"人", "人次", "名", "次", "块", "参数", "卡", "张卡", "个国家"} | {"大"}
_COUNTED_WINDOW = 16
_IDIOMATIC_ONE = frozenset(CLASSIFIERS) | {"year", "month", "day", "week", "hour"}
_COMPARISON = re.compile(r"[ \t]*(?:较|比|同比|环比|相比|相较)")
_BIG_WORDS = {"百万": "1000000", "千": "1000", "万": "10000", "million ": "1000000", "thousand ": "1000",
              "billion ": "1000000000"}
_LOWER_BOUNDS = frozenset({"more_than", "at_least"})
_UPPER_BOUNDS = frozenset({"less_than", "at_most"})
#: What may stand between the two halves of a two-sided bound: 大于10小于20, 不低于3%且不高于5%,
#: 大于二十的同时小于等于三十五, 1000以上， 1500以下, more than 10 but less than 20.
_BOUND_JOIN = re.compile(
    r"[ \t]*(?:[，,][ \t]*)?(?:(?:的同时|同时|并且|而且|并|且|而|又|但是|但|and|but|yet)[ \t]*)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A numeral that survived the non-quantity filters, with the words around it."""

    token: NumberToken
    unit: Unit | None
    before: Cue | None
    after: Cue | None
    change: Change | None


_Item = _Candidate | tuple[_Candidate, _Candidate]  # a numeral, or the two ends of a range
_Index = tuple[list[_Candidate], list[int]]  # candidates in scan order and their starts, for bisection


def extract(text: str) -> list[NumericAssertion]:
    """All numeric assertions in normalized ``text``, ordered by offset."""
    excluded = _excluded_spans(text)
    items: list[_Item] = []
    previous: NumberToken | None = None
    for token in scan_numbers(text):
        if items and token.start < _reach(text, items[-1]):
            previous = None
            continue  # inside the unit or cue of the last item: 五元三毛, 10年以上（不含10年）
        pair = _range(text, previous, token, excluded) if previous is not None else None
        if pair is not None:
            if items and not isinstance(items[-1], tuple) and items[-1].token is previous:
                items.pop()
            items.append(pair)
            previous = None
            continue
        candidate = _candidate(text, token, excluded)
        if candidate is not None:
            items.append(candidate)
        previous = token
    found = _assemble(text, _two_sided(text, items))
    logger.debug("numbers: %d assertions in %d chars", len(found), len(text))
    return found


def extract_numbers(text: str) -> list[NumericAssertion]:
    """Alias following the ``extract_<things>`` naming used by the document pipeline."""
    return extract(text)


# --------------------------------------------------------------------------- filters


def _excluded_spans(text: str) -> tuple[list[int], list[int]]:
    starts, ends = [], []
    for m in _EXCLUDED.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _inside(spans: tuple[list[int], list[int]], start: int, end: int) -> bool:
    starts, ends = spans
    i = bisect.bisect_right(starts, start) - 1
    return i >= 0 and ends[i] > start or (i + 1 < len(starts) and starts[i + 1] < end)


def _candidate(text: str, t: NumberToken, excluded: tuple[list[int], list[int]], *,
               in_range: bool = False) -> _Candidate | None:
    if _inside(excluded, t.start, t.end) or _not_quantity(text, t) or _is_reference(text, t):
        return None
    unit = unit_after(text, t.end) or unit_before(text, t.start)
    if unit is None and t.kind == "number" and text.startswith((" ", "\t"), t.end) and not _year_like_surface(text, t):
        unit = noun_after(text, t.end)  # 290,000 industrial robots, ten major cloud platforms
    if unit is None and t.kind == "number" and _is_arabic(text, t) and _DA.match(text, t.end):
        unit = Unit("大", t.end, _DA.match(text, t.end).end())  # 8 大算力枢纽
    if unit is not None and t.kind == "number":
        t, unit = _with_minor_units(text, t, temperature_scale(text, t.start, unit))
    floor = clause_start(text, t.start)
    # A currency written before the number ("about $438", "more than EUR 1,100") sits
    # between the cue and the digits: look for the cue before the currency.
    lead = unit.start if unit is not None and unit.end <= t.start else t.start
    lead = unit.lead if unit is not None and unit.lead is not None else lead
    unit_end = unit.end if unit and unit.start >= t.end else t.end
    before = cue_before(text, lead, floor)
    after = cue_after(text, unit_end)
    if before is None and after is None:
        before, after = comparison_around(text, lead, unit_end) or (None, None)
    change = change_before(text, before.start if before else t.start, floor)
    if not in_range and not _is_quantity(text, t, unit, before or after, change):
        return None
    return _Candidate(t, unit, before, after, change)


def _with_minor_units(text: str, t: NumberToken, unit: Unit) -> tuple[NumberToken, Unit]:
    """五元三毛 = 5.3 CNY, 一块五 = 1.5 CNY, 2美元50美分 = 2.5 USD: minor units join the amount."""
    if unit.start < t.end or t.vague or t.upper is not None or not t.value.is_integer():
        return t, unit
    try:
        tail = money_tail(text, unit, parse_number)
    except NotANumber:
        return t, unit
    if tail is None:
        return t, unit
    currency, add, end = tail
    return replace(t, value=t.value + add), Unit(currency, unit.start, end)


def _reach(text: str, item: _Item) -> int:
    """Where the text an item covers ends (its number, unit, trailing cue or price-per piece)."""
    last = item[1] if isinstance(item, tuple) else item
    end = max(last.token.end, last.unit.end if last.unit else 0, last.after.end if last.after else 0)
    if last.unit and last.unit.name in _CURRENCIES and (m := _PER_PIECE_AFTER.match(text, end)):
        end = m.end()  # 三块五一斤: 一斤 is the denominator, not a quantity of its own
    return end


def _not_quantity(text: str, t: NumberToken) -> bool:
    """Dates, ordinals, list numbers, page numbers, codes with leading zeros, idioms."""
    surface = text[t.start:t.end]
    if t.start and text[t.start - 1] == "/":
        return True  # 元/百万tokens: the denominator of a unit, not a quantity
    if t.kind != "number":
        return surface.startswith("0") and "/" in surface
    if _is_arabic(text, t) and _is_date_part(text, t, surface):
        return True
    if surface[0] == "0" and len(surface) > 1 and surface[1].isdigit():
        return True  # 014, 0082: codes and list numbers
    if _LIST_PREFIX.search(text, max(0, t.start - 12), t.start) and _LIST_SUFFIX.match(text, t.end):
        return True
    if surface.isdigit() and _alone_on_line(text, t):
        return True  # a page number
    return any(text.startswith(idiom, t.start) for idiom in _IDIOMS)


def _is_date_part(text: str, t: NumberToken, surface: str) -> bool:
    if surface.isdigit() and len(surface) == 4 and 1000 <= t.value <= 2200 and _YEAR_AFTER.match(text, t.end):
        return True
    if surface.isdigit() and 1 <= t.value <= 12 and _MONTH_AFTER.match(text, t.end):
        return True
    return surface.isdigit() and 1 <= t.value <= 31 and bool(_DAY_AFTER.match(text, t.end))


def _alone_on_line(text: str, t: NumberToken) -> bool:
    line_start = text.rfind("\n", 0, t.start) + 1
    line_end = text.find("\n", t.end)
    line_end = len(text) if line_end < 0 else line_end
    return text[line_start:t.start].strip() == "" and text[t.end:line_end].strip() == ""


def _is_reference(text: str, t: NumberToken) -> bool:
    """``Section 3``, ``Article 5``, ``page 4``: a digit numeral right after a reference word."""
    if t.start < 2 or text[t.start - 1] not in " \t.":
        return False  # cheap test first: almost every numeral in Chinese text fails it
    return _REFERENCE_BEFORE.search(text, max(0, t.start - 12), t.start) is not None


def _year_like_surface(text: str, t: NumberToken) -> bool:
    """A bare four-digit 1800-2100 (``in 2024 regulators``) is a year, so no count of the noun after it.

    "2,000 workers" with its thousands separator is still a count.
    """
    surface = text[t.start:t.end]
    return surface.isdigit() and len(surface) == 4 and _year_like(t)


_ARABIC_DIGIT = re.compile(r"[0-9]")


def _is_arabic(text: str, t: NumberToken) -> bool:
    return _ARABIC_DIGIT.search(text, t.start, t.end) is not None


def _is_quantity(text: str, t: NumberToken, unit: Unit | None, cue: Cue | None, change: Change | None) -> bool:
    if t.kind != "number":
        return True
    surface = text[t.start:t.end].strip()
    single_cn = len(surface) == 1 and not surface.isdigit()
    words = t.written == "words"  # an English number in words: ten, a dozen, three million
    if unit is not None:
        return not ((single_cn or words) and t.value == 1 and unit.name in _IDIOMATIC_ONE)  # 一种, one year
    if single_cn:
        return False
    if words and not t.vague and not _SCALED.search(surface):
        return cue is not None and t.value > 1  # "about forty" is a claim; a bare "ten" or "more than one" is not
    if t.vague or _SCALED.search(surface):
        return True
    if surface.isdigit() and len(surface) == 4 and 1900 <= t.value <= 2100:
        return False  # a bare year ("in 2024") is a time scope, not a quantity
    return cue is not None or change is not None


# --------------------------------------------------------------------------- ranges


def _range(text: str, a: NumberToken, b: NumberToken,
           excluded: tuple[list[int], list[int]]) -> tuple[_Candidate, _Candidate] | None:
    """``3–5``, ``20至30个``, ``10000与20000之间``: two numerals joined by a connector."""
    first = _candidate(text, a, excluded, in_range=True)
    if first is None:
        return None
    gap_start = first.unit.end if first.unit and first.unit.start >= a.end else a.end
    b = _hyphen_as_connector(text, gap_start, b)
    shared = _shared_scale(text, a, b, _shared_percent(a, b))
    if shared is not a:
        a, first = shared, replace(first, token=shared)
    if a.kind != b.kind or a.value > b.value:
        return None
    m = _CONNECTOR.fullmatch(text, gap_start, b.start)
    if m is None:
        return None
    second = _candidate(text, b, excluded, in_range=True)
    if second is None:
        return None
    if m.group().strip() in ("与", "和") and not _BETWEEN.match(text, second.unit.end if second.unit else b.end):
        return None
    if m.group().strip() == "and" and not _BETWEEN_EN.search(text, max(0, a.start - 12), a.start):
        return None  # "3 and 5" is a range only after "between"
    if first.unit and second.unit and first.unit.name != second.unit.name:
        return None
    if not (first.unit or second.unit) and _year_like(a) and _year_like(b):
        return None  # "between 2000 and 2020" is a period (a time scope), not a quantity
    return first, second


def _two_sided(text: str, items: list[_Item]) -> list[_Item]:
    """Join a lower and an upper bound written next to each other into one range (大于10小于20)."""
    out: list[_Item] = []
    for item in items:
        last = out[-1] if out else None
        if last is not None and not isinstance(last, tuple) and not isinstance(item, tuple):
            shared = _shared_percent(last.token, item.token)  # more than 10 but less than 20 per cent
            first = replace(last, token=shared) if shared is not last.token and last.unit is None else last
            if _bounds_pair(text, first, item):
                out[-1] = (first, item)
                continue
        out.append(item)
    return out


def _bounds_pair(text: str, a: _Candidate, b: _Candidate) -> bool:
    """``a`` and ``b`` bound one quantity from both sides: opposite directions, same kind and unit, non-empty."""
    qa, qb = _single_qualifier(a), _single_qualifier(b)
    if qa in _LOWER_BOUNDS and qb in _UPPER_BOUNDS:
        low, high = a, b
    elif qa in _UPPER_BOUNDS and qb in _LOWER_BOUNDS:
        low, high = b, a
    else:
        return False
    if a.token.kind != b.token.kind or low.token.value >= high.token.value:
        return False
    unit_a, unit_b = _unit_name(a.token, a.unit), _unit_name(b.token, b.unit)
    if unit_a and unit_b and unit_a != unit_b:
        return False
    if b.change is not None and (a.change is None or b.change.direction != a.change.direction):
        return False  # 超过10家，增长不到20%: a second claim
    b_lead = min(p for p in (b.token.start, b.before.start if b.before else b.token.start,
                             b.unit.start if b.unit else b.token.start))
    return _reach(text, a) <= b_lead and _BOUND_JOIN.fullmatch(text, _reach(text, a), b_lead) is not None


def _single_qualifier(c: _Candidate) -> Qualifier:
    return _value_and_qualifier(c, c, False)[2]


def _year_like(t: NumberToken) -> bool:
    return t.kind == "number" and t.value.is_integer() and 1800 <= t.value <= 2100


def _shared_percent(a: NumberToken, b: NumberToken) -> NumberToken:
    """``3到5%``, ``between 3 and 5 percent``, ``2到3个百分点``: the bare first end shares the second's sign."""
    if a.kind != "number" or a.written not in ("", "words"):
        return a
    if b.kind == "percent" and b.written == "%":
        return replace(a, kind="percent", value=a.value / 100, written="%")
    if b.kind == "permille" and b.written == "‰":
        return replace(a, kind="permille", value=a.value / 1000, written="‰")
    if b.kind == "points":
        return replace(a, kind="points", written=b.written)
    return a


_SCALE_SUFFIX = re.compile(r"(?:[万萬亿億]+|千万|千萬|百万|百萬|[ \t]?(?:thousand|million|billion|trillion|bn|mn|[kKMB]))$")


def _shared_scale(text: str, a: NumberToken, b: NumberToken, shared: NumberToken) -> NumberToken:
    """``10与20亿元``, ``3到5万个``, ``between 2 and 5 million``: a bare first end takes the second's scale word."""
    if a.kind != "number" or b.kind != "number" or _SCALED.search(text[a.start:a.end]):
        return shared
    m = _SCALE_SUFFIX.search(text, b.start, b.end)
    if m is None or m.start() == b.start:
        return shared
    try:
        base = parse_number(text[b.start:m.start()])
    except NotANumber:
        if b.written != "words":
            return shared
        base = b.value / parse_number("1" + m.group())  # between two and five million: five = 5e6 / 1e6
    if base <= 0 or a.value > base:
        return shared
    return replace(a, value=a.value * (b.value / base))


def _hyphen_as_connector(text: str, gap_start: int, b: NumberToken) -> NumberToken:
    """In ``3%-5%`` the scanner reads ``-5%`` as negative; right after a number the hyphen joins a range."""
    if b.value < 0 and text[b.start:b.start + 1] in "-−" and not text[gap_start:b.start].strip():
        return replace(b, start=b.start + 1, value=-b.value, upper=-b.upper if b.upper is not None else None)
    return b


# --------------------------------------------------------------------------- assembly


def _assemble(text: str, items: list[_Item]) -> list[NumericAssertion]:
    flat = _flat(items)
    index = (flat, [c.token.start for c in flat])  # sorted by start: scan order
    denominators = {id(d) for item in items for d in _per_denominator(text, item, index)}
    out: list[NumericAssertion] = []
    last_per: dict[str, tuple[int, str]] = {}
    for item in items:
        first = item[0] if isinstance(item, tuple) else item
        if id(first) in denominators:
            continue
        assertion = _assertion(text, item, index, last_per, out[-1] if out else None)
        out.append(assertion)
        if assertion.per and assertion.unit:
            last_per[assertion.unit] = (_sentence_end(text, assertion.end), assertion.per)
    return out


def _assertion(text: str, item: _Item, index: _Index, last_per: dict[str, tuple[int, str]],
               previous: NumericAssertion | None) -> NumericAssertion:
    first, last = (item if isinstance(item, tuple) else (item, item))
    t = first.token
    unit = last.unit or first.unit
    start = min(p for p in (t.start, first.before.start if first.before else t.start,
                            unit.start if unit else t.start,
                            first.unit.start if first.unit else t.start,
                            first.unit.lead if first.unit and first.unit.lead is not None else t.start))
    start = max(start, previous.end) if previous is not None and previous.end <= t.start else start
    end = max(last.token.end, unit.end if unit else 0, last.after.end if last.after else 0)
    value, value_max, qualifier = _value_and_qualifier(first, last, isinstance(item, tuple))
    if unit and t.kind == "number" and not isinstance(item, tuple) and text.startswith("半", end):
        value, end = value + 0.5, end + 1  # 一吨半 = 1.5 t
    value, value_max = _tidy(value), _tidy(value_max) if value_max is not None else None
    unit_name = _unit_name(t, unit)
    unit_kind = _unit_kind(t, unit_name)
    change = first.change
    per = _per(text, first, index, unit_name, last_per)
    cut = first.change.start if first.change else (first.before.start if first.before else t.start)
    return NumericAssertion(
        start=start,
        end=end,
        surface=text[start:end],
        value=value,
        unit=unit_name,
        unit_kind=unit_kind,
        qualifier=qualifier,
        value_max=value_max,
        subject=_counted(text, end, unit_name) or _subject(text, start, cut, previous, end),
        time_scope=time_scope(text, start, end),
        change=change.direction if change else None,
        is_delta=bool(change and change.is_delta) or t.kind == "points",
        per=per,
        rule_id=_rule_id(t, unit_name, isinstance(item, tuple)),
    )


def _counted(text: str, end: int, unit: str | None) -> str | None:
    """What a Chinese count counts: the noun after its classifier (10个数据中心集群 -> 数据中心集群).

    "N个X" names its subject after the number; the words before it are what
    the clause says about the count (国家建立了8大算力枢纽).
    """
    if unit not in _COUNT_CLASSIFIERS:
        return None
    after = text[end:end + _COUNTED_WINDOW]
    if unit == "位" and after.startswith("数"):
        return None  # 8位数浮点数: 位数 is "digits", not a count of people
    phrase = leading_noun_phrase(after)
    return phrase if len(phrase) >= 2 else None


def _subject(text: str, start: int, cut: int, previous: NumericAssertion | None, end: int) -> str | None:
    """The clause's subject; a comparison clause (较2018年增长近20倍) inherits the previous one."""
    floor = previous.end if previous else 0
    found = subject(text, start, cut, floor, end)
    if found is None and previous is not None and _COMPARISON.match(text, clause_start(text, start)):
        return previous.subject
    return found


def _value_and_qualifier(first: _Candidate, last: _Candidate,
                         is_range: bool) -> tuple[float, float | None, Qualifier]:
    t = first.token
    if is_range:  # a two-sided bound may name the upper end first (最多100最少20)
        return min(t.value, last.token.value), max(t.value, last.token.value), "range"
    if t.upper is not None:
        return t.value, t.upper, "approx"
    if t.vague:
        return t.value, None, "more_than"  # 五百多, 100多个: the numeral itself says "more than"
    cue = first.before or first.after
    if first.before and first.after and first.after.qualifier == "approx":
        cue = first.after
    if cue is not None:
        return t.value, None, cue.qualifier
    return t.value, None, "exact"


def _tidy(value: float) -> float:
    """Drop binary noise from ratios: 93.3% is 0.933, not 0.9329999999999999."""
    return float(f"{value:.12g}")


def _unit_name(t: NumberToken, unit: Unit | None) -> str | None:
    if t.kind == "points":
        return "pp"
    if t.kind == "percent":
        return "%"
    if t.kind == "permille":
        return "‰"
    if t.kind == "multiplier":
        return "x"
    return unit.name if unit else None


def _unit_kind(t: NumberToken, unit: str | None) -> UnitKind:
    """What the number measures, from the token kind first (43% is a percent whatever follows), then the unit."""
    if t.kind in _KIND_OF_TOKEN:
        return _KIND_OF_TOKEN[t.kind]
    if unit is None:
        return "bare"
    if unit == "x":
        return "multiple"  # 倍, times, ×
    if unit == "pp":
        return "points"  # percentage points written in words
    if unit in _CURRENCIES:
        return "currency"
    if unit in _DURATIONS:
        return "duration"
    return "measure" if unit in _MEASURES else "count"


def _rule_id(t: NumberToken, unit: str | None, is_range: bool) -> str:
    if is_range:
        return "numbers.range"
    if t.kind != "number":
        return f"numbers.{t.kind}"
    if t.upper is not None or t.vague:
        return "numbers.vague"
    if unit in ("CNY", "USD", "EUR", "JPY", "HKD", "GBP", "TWD", "KRW", "RUB", "CHF", "NGN", "BTC"):
        return "numbers.currency"
    if unit == "x":
        return "numbers.multiplier"
    return "numbers.unit" if unit else "numbers.bare"


# --------------------------------------------------------------------------- rates


def _per_denominator(text: str, item: _Item, index: _Index) -> list[_Candidate]:
    """The quantity after 每 in this item's clause (每输出100万tokens收费438元 -> 100万tokens)."""
    first = item[0] if isinstance(item, tuple) else item
    lo = clause_start(text, first.token.start)
    mark = text.rfind("每", lo, first.token.start)
    if mark < 0:
        return []
    flat, starts = index
    i = bisect.bisect_right(starts, mark)
    if i >= len(flat) or starts[i] >= first.token.start:
        return []
    after = flat[i]
    if after.unit and first.unit and after.unit.name == first.unit.name:
        return []  # 每千克16元涨到438元: 16元 is a price per kg itself, not 438元's denominator
    return [after]


def _per(text: str, first: _Candidate, index: _Index, unit: str | None,
         last_per: dict[str, tuple[int, str]]) -> str | None:
    if first.token.kind != "number":
        return None  # a percentage or multiplier is already a ratio
    denominator = _per_denominator(text, first, index)
    if denominator:
        d = denominator[0]
        return f"{d.token.value:.15g} {d.unit.name}" if d.unit else f"{d.token.value:.15g}"
    lo = clause_start(text, first.token.start)
    m = None
    for m in _PER_WORD.finditer(text, lo, first.token.start):
        pass
    if m is not None:
        return m.group("w")
    unit_end = first.unit.end if first.unit else first.token.end
    if unit in _CURRENCIES and (piece := _PER_PIECE_AFTER.match(text, unit_end)):
        return piece.group("w")
    after = _PER_AFTER.match(text, unit_end)
    if after:
        word = after.group("w")
        for big, digits in _BIG_WORDS.items():
            if word.startswith(big):
                return f"{digits} {word[len(big):]}"
        return word
    if unit and unit in last_per and first.token.start < last_per[unit][0]:
        return last_per[unit][1]  # 而DeepSeek-R1只需16元: same sentence, same unit
    return None


def _flat(items: list[_Item]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for item in items:
        out.extend(item if isinstance(item, tuple) else (item,))
    return out


def _sentence_end(text: str, pos: int) -> int:
    ends = [i for i in (text.find(ch, pos) for ch in "。！？\n") if i >= 0]
    return min(ends) if ends else len(text)
