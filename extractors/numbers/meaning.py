"""What, whose, when and what kind: the meaning of each extracted figure.

A :class:`~extractors.types.NumericAssertion` knows its printed ``subject`` and
``time_scope``; two figures can only be compared (a conflict, a target met or
missed, a blog post against a report) when both say the same *indicator* of the
same *scope* for the same *period*, measured the same way.  This module reads
those four things plus the figure's *role* from the text around the figure and
from the document's title, date and section headings.

* ``indicator`` -- a canonical statistical name from ``extractors/data/indicators.tsv``
  (users extend the table), else the figure's cleaned subject noun phrase, else the
  indicator of the figure before it in the same sentence (``分别增长8.9%、7.7%``).
* ``scope`` -- a place or company named in the figure's clause, else the document's
  (title ``2026年广东省政府工作报告`` -> 广东省, the State Council's report -> 中国);
  全国/我国/全省/本市 mean the document's own scope.
* ``period`` -- ISO-8601-like: ``2025``, ``2025-03``, ``2025-Q1``, ranges ``2021/2025``;
  from the sentence (nearest time expression before the figure that is not a
  comparison base such as 比上年), else from the paragraph, else from the section
  heading, else -- in a government work report -- the report's year; relative words
  (今年, 去年, 上年, 过去五年, "十四五") are resolved against the document year.
* ``measure`` -- level | change | growth_rate | share | multiple | rank.  A count of
  things (19件, 1256万人) is a level: counts and amounts compare the same way, so a
  separate ``count`` would split figures that must meet.  A percentage that is not a
  change (失业率5.1%, 比重40%) is a share.
* ``role`` -- actual | target | forecast, from cue words next to the figure
  (预期目标, 力争, 拟, 到2030年; 预计, 有望) and, in a government work report,
  from the section: the review is outcomes, the year's tasks are targets.

Everything here is pure: the caller passes the normalized text, the figures
(offsets into that text) and the document's title, date and language.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal, get_args

from extractors.lexicon import HAN, heading_level
from extractors.numbers.context import SENTENCE_BREAKS
from extractors.types import NumericAssertion

Measure = Literal["level", "change", "growth_rate", "share", "multiple", "rank"]
Role = Literal["actual", "target", "forecast"]
MEASURES: tuple[str, ...] = get_args(Measure)
ROLES: tuple[str, ...] = get_args(Role)


@dataclass(frozen=True, slots=True)
class FigureMeaning:
    """What a figure measures (indicator), whose (scope), when (period), how (measure) and as what (role)."""

    indicator: str | None
    scope: str | None
    period: str | None
    measure: Measure
    role: Role
    rule_id: str

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise ValueError(f"measure {self.measure!r} is not one of {MEASURES}")
        if self.role not in ROLES:
            raise ValueError(f"role {self.role!r} is not one of {ROLES}")
        if self.period is not None and not _PERIOD_FORM.fullmatch(self.period):
            raise ValueError(f"period {self.period!r} is not YYYY, YYYY-MM, YYYY-Qn or start/end")


_ONE_PERIOD = r"\d{4}(?:-(?:0[1-9]|1[0-2]|Q[1-4]))?"
_PERIOD_FORM = re.compile(rf"{_ONE_PERIOD}(?:/{_ONE_PERIOD})?")


# --------------------------------------------------------------------------- public entry


def describe_figures(text: str, numbers: Sequence[NumericAssertion], *, title: str | None,
                     published: str | None, language: str | None) -> list[FigureMeaning]:
    """One :class:`FigureMeaning` per figure of ``numbers``, in the same order.

    ``text`` is the document's normalized text (the figures' offsets index into
    it); sentences, paragraphs and section headings are found in it here, so the
    caller needs nothing else.  ``published`` is an ISO date (only its year is used)
    and ``title`` the document title; either gives the document year that relative
    words (今年, last year) resolve against.
    """
    doc = _document_context(text, title, published, language)
    out: list[FigureMeaning] = []
    previous: _Previous | None = None
    for n in numbers:
        sent = _sentence_start(text, n.start)
        carried = previous and (previous.sentence == sent or _CONTINUES.match(text, sent))
        same = previous if carried else None
        meaning = _describe(text, n, doc, sent, same)
        earlier = (*same.earlier, (same.start, same.meaning.indicator)) if same else ()
        previous = _Previous(sent, n.start, n.unit, meaning, earlier)
        out.append(meaning)
    return out


#: A sentence that opens with one of these restates the one before (也就是说，…增加了8.9万亿元): its
#: figures may take the previous sentence's indicator, as figures later in one sentence do.
_CONTINUES = re.compile(r"[\s“\"]*(?:也就是说|换言之|换句话说|这意味着|也即|即|in other words|that is)[，,：:]?")


@dataclass(frozen=True, slots=True)
class _Previous:
    """The figure before in the same sentence: its indicator and measure carry to a figure that names neither."""

    sentence: int
    start: int
    unit: str | None
    meaning: FigureMeaning
    earlier: tuple[tuple[int, str | None], ...]  # (start, indicator) of the sentence's figures before this one

    def figures(self) -> tuple[tuple[int, str | None], ...]:
        """(start, indicator) of every figure of the sentence up to and including this one."""
        return (*self.earlier, (self.start, self.meaning.indicator))


# --------------------------------------------------------------------------- document context


@dataclass(frozen=True, slots=True)
class _Heading:
    start: int
    level: int
    period: str | None
    review: bool  # a look back (工作回顾): its figures are outcomes
    mixed: bool = False  # names two periods (“十四五”时期和2025年工作回顾): its paragraphs must say which


@dataclass(frozen=True, slots=True)
class _Doc:
    year: int | None
    scope: str | None
    work_report: bool  # a government work report: review section = last year, other sections = this year's plans
    english: bool
    headings: tuple[_Heading, ...]


_WORK_REPORT = re.compile(r"政府工作报告|government work report", re.IGNORECASE)
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年|\b((?:19|20)\d{2})\b")


def _document_context(text: str, title: str | None, published: str | None, language: str | None) -> _Doc:
    opening = _opening(text)
    year = _year_of(published) or _year_of_title(title) or _year_of_title(opening)
    headings = tuple(_headings(text, year))
    work_report = any(bool(t and _WORK_REPORT.search(t)) for t in (title, opening))
    return _Doc(year=year, scope=_title_scope(title) or _title_scope(opening), work_report=work_report,
                english=(language or "").startswith("en"), headings=headings)


_OPENING_DATE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def _opening(text: str) -> str | None:
    """A speech says what it is in its opening words, up to its date and venue (政府工作报告——2026年1月26日在
    广东省第十四届人民代表大会第五次会议上…各位代表：): the first 400 characters up to the end of the
    venue that follows the first full date, else nothing (a post that merely opens with a date is no speech)."""
    head = text.lstrip()[:400]
    for m in _OPENING_DATE.finditer(head):
        venue = re.match(r"[^。，：:\n]{0,40}?(?:会议上|大会上)", head[m.end():])
        if venue:
            return head[: m.end() + venue.end()]
    return None


def _year_of(published: str | None) -> int | None:
    m = re.match(r"\s*((?:19|20)\d{2})", published or "")
    return int(m.group(1)) if m else None


def _year_of_title(title: str | None) -> int | None:
    m = _TITLE_YEAR.search(title or "")
    return int(m.group(1) or m.group(2)) if m else None


# --------------------------------------------------------------------------- headings

_HEADING_MAX = 60  # a numbered paragraph longer than this is running text, not a heading
_REVIEW = re.compile(r"回顾|review", re.IGNORECASE)


def _headings(text: str, year: int | None) -> list[_Heading]:
    """Numbered headings (一、… / （一）… / 1．…), each with the period it names (or implies) and whether it reviews.

    The numbering levels are the official-document ones of :func:`extractors.lexicon.heading_level`.
    """
    found = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        level = heading_level(line)
        if level is None or len(line.strip()) > _HEADING_MAX or re.search(r"[。；]", line.strip().rstrip("。")):
            continue
        review = bool(_REVIEW.search(line))
        named = {p for t in _TIME_EXPR.finditer(line) if (p := _resolve(t, year)) is not None}
        if len(named) > 1:  # “十四五”时期和2025年工作回顾: five years and one year, no single period
            found.append(_Heading(m.start(), level, None, review, mixed=True))
            continue
        period = _last_period(line, 0, len(line), year)
        if period is None and review and level == 1 and year is not None:
            period = str(year - 1)  # 工作回顾 without a year looks back on the year before the report
        found.append(_Heading(m.start(), level, period, review))
    return found


def _section(doc: _Doc, pos: int) -> tuple[str | None, bool | None, bool]:
    """(period, review, mixed) of the numbered section around ``pos``: the innermost heading that names a
    period (a sub-heading without one keeps its parent's), whether the top-level section reviews, and whether
    that innermost heading names two periods (then it gives none); None when none."""
    period: str | None = None
    mixed = False
    for h in reversed([h for h in doc.headings if h.start < pos]):
        if period is None and not mixed:
            period, mixed = h.period, h.mixed
        if h.level == 1:
            return period, h.review, mixed
    return period, None, mixed


# --------------------------------------------------------------------------- one figure


def _describe(text: str, n: NumericAssertion, doc: _Doc, sent: int, previous: _Previous | None) -> FigureMeaning:
    clause = _clause_start(text, n.start)
    scope = _scope(text, clause, n.start, doc)
    inherited = previous.meaning.indicator if previous else None
    before = previous.figures() if previous else ()
    indicator, name_start, gap_from, rule = _indicator(text, n, clause, sent, inherited, before)
    if doc.english and indicator and indicator not in canonical_indicators():
        indicator = _english_phrase(indicator)
    if indicator == "国内生产总值" and scope and _SUBNATIONAL.search(scope):
        indicator = "地区生产总值"
    period, period_rule = _period(text, n, sent, doc)
    measure = _measure(text, n, name_start, gap_from, indicator)
    if rule in ("previous", "sentence") and previous and previous.unit == n.unit and not _own_verb(text, clause, n):
        measure = previous.meaning.measure  # 增长11.3%，低于13%的预期目标: the 13% is a growth rate too
    role = _role(text, n, clause, sent, period, doc)
    moved = _from_to(text, clause, n, period, doc)
    if moved is not None:
        period, role = moved
    return FigureMeaning(indicator=indicator, scope=scope, period=period, measure=measure, role=role,
                         rule_id=f"meaning.{rule}.{period_rule}")


_FROM = re.compile(r"(?:从|由)(?:\s*(?:19|20)\d{2}\s*年(?:底|末)?的?)?[^，。；、\d]{0,6}$")
_TO_AFTER = re.compile(r"^[^，。；、]{0,12}?(?:增加|提高|上升|下降|降低|减少|扩大|缩小|跃升|调整|放宽)?(?:到|至)")
_TO_BEFORE = re.compile(r"(?:(?:增加|提高|上升|下降|降低|减少|扩大|缩小|跃升|上涨|回落)(?:到|至)|达到)[^，。；、\d]{0,4}$")
_FROM_YEAR = re.compile(r"(?:从|由)\s*((?:19|20)\d{2})\s*年")
_CURRENT = re.compile(r"现行[^，。；、\d]{0,2}$")  # 将现行16%的税率降至13%: the rate in force, last year's
_ALREADY = re.compile(r"(?:已(?:经)?(?:达到|达|超过|突破|有)|(?:我国|全国)(?:现)?有)[^，。；、\d]{0,2}$")


def _from_to(text: str, clause: int, n: NumericAssertion, period: str | None,
             doc: _Doc) -> tuple[str | None, Role] | None:
    """从/由 X 提高到 Y: X is the state before the period (last year's actual), Y its end.

    Over a range (过去五年，从5.1万亿元增加到11.7万亿元) X is the year before the
    range and Y its last year; over one year (由30万元提高到50万元 in this year's
    plan) X is the year before, an actual, and Y keeps the year.
    """
    if period is None:
        return None
    start, _, end = period.partition("/")
    before = text[clause:n.start]
    if (_FROM.search(before) and _TO_AFTER.match(text[n.end:n.end + 16])) or _CURRENT.search(before):
        named = _FROM_YEAR.findall(text, _sentence_start(text, n.start), n.start)
        return (named[-1] if named else str(int(start[:4]) - 1)), "actual"
    if end and _TO_BEFORE.search(before) and not _AVERAGE.search(before):
        return end, _role_of_year(int(end[:4]), doc, text, n)
    if _ALREADY.search(before) and doc.work_report and doc.year is not None and period == str(doc.year):
        return str(doc.year - 1), "actual"  # 已达2.5亿 in this year's plan: the latest outcome, last year's
    return None


def _own_verb(text: str, clause: int, n: NumericAssertion) -> bool:
    return bool(_GROWTH_VERB.search(text[clause:n.start]) or _RATE_NOUN.search(text[clause:n.start]))


_CLAUSE_BREAKS = "，,；;。！？!?：:\n"


def _sentence_start(text: str, pos: int) -> int:
    lo = max(0, pos - 400)
    for i in range(pos - 1, lo - 1, -1):
        ch = text[i]
        if ch in SENTENCE_BREAKS or (ch == "." and i + 1 < len(text) and text[i + 1] in " \n"):
            return i + 1
    return lo


def _clause_start(text: str, pos: int) -> int:
    lo = max(0, pos - 120)
    for i in range(pos - 1, lo - 1, -1):
        ch = text[i]
        if ch in _CLAUSE_BREAKS and not (ch == "," and i + 1 < len(text) and text[i + 1].isdigit()):
            return i + 1
    return lo


def _paragraph_start(text: str, pos: int) -> int:
    brk = max(text.rfind("\n\n", 0, pos), text.rfind("\n", 0, pos))
    return brk + 1 if brk >= 0 else 0


def _sentence_end(text: str, pos: int) -> int:
    hi = min(len(text), pos + 300)
    for i in range(pos, hi):
        ch = text[i]
        if ch in SENTENCE_BREAKS or (ch == "." and (i + 1 == len(text) or text[i + 1] in " \n")):
            return i
    return hi


# --------------------------------------------------------------------------- indicator


@dataclass(frozen=True, slots=True)
class _IndicatorRow:
    name: str
    pattern: re.Pattern[str]
    lower_is_better: bool = False  # the optional ``better`` column says ``lower``


@lru_cache(maxsize=1)
def indicator_table() -> tuple[_IndicatorRow, ...]:
    """The rows of ``extractors/data/indicators.tsv`` (canonical name, compiled variant pattern), in file order."""
    rows = []
    source = resources.files("extractors.data").joinpath("indicators.tsv").read_text(encoding="utf-8")
    for line in source.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, pattern, *rest = line.split("\t")
        lower = len(rest) > 1 and rest[1].strip() == "lower"
        rows.append(_IndicatorRow(name.strip(), re.compile(pattern.strip(), re.IGNORECASE), lower))
    return tuple(rows)


def canonical_indicators() -> frozenset[str]:
    """Every canonical indicator name the table knows."""
    return frozenset(row.name for row in indicator_table())


_MODIFIER = re.compile(rf"的[^\d]*[{HAN}]{{2}}")  # 经济增长的贡献率: a noun after 的 is what is measured


def _table_match(text: str, lo: int, hi: int) -> tuple[str, int, int] | None:
    """The table indicator named closest before ``hi`` in text[lo:hi] (longest on a tie), and its name's span.

    A name followed by 的 before the figure is a modifier (对全球经济增长的贡献率), not what is measured.
    """
    best: tuple[int, int, str] | None = None  # (end, length, name)
    window = text[lo:hi]
    if not _any_indicator().search(window):
        return None  # most clauses name no table indicator: one search instead of one per row
    for row in indicator_table():
        for m in row.pattern.finditer(window):
            rest = window[m.end():]
            if not m.group() or _MODIFIER.search(rest) or re.search(r"占|比重", rest):
                continue
            key = (m.end(), m.end() - m.start(), row.name)
            if best is None or key[:2] > best[:2]:
                best = key
    return (best[2], lo + best[0] - best[1], lo + best[0]) if best else None


_SUBJECT_NOISE_START = re.compile(
    r"^(?:[\s“”\"*，,：:]|也就是说|换言之|换句话说|这意味着|也即|(?:报告|数据|统计|调查|研究)(?:显示|表明|指出)|据统计|"
    r"其中|平均每年|年均|每年|全年|今年|去年|上年|当年|同期|比上年|较上年|同比|累计|合计|分别|共|总共|全国|我国|"
    r"(?:19|20)\d{2}年(?:末|底)?|[一二三四]季度|前三季度|上半年|过去[一二三四五六七八九十]年|"
    r"拟安排|拟发行|拟按|拟|安排|发行|完成|实现|新建|建成|同时|继续|要|将|把|对|再|年初|年末|年底|今明两年|"
    r"增加|提高|减少|降低|扩大|新纳入)+"
)
_SUBJECT_NOISE_END = re.compile(
    r"(?:分别|实际|平均|首次|跃上|突破|达到|达|增长|增加|提高|下降|降低|减少|拟安排|拟按|拟|安排|再|合计|累计|约|"
    r"超过|保持在|保持|稳定在|控制在|为|是|占|比上年|同比|年均|连续|大幅|明显|进一步|全年|已|已经|增速|上涨|涨幅|"
    r"要|现行|[\s“”\"*])+$"
)
_COMPARISON_ONLY = re.compile(r"^(?:比|较|同比|与|相比|比上年|比去年|增|减|多|少|增幅|增速|涨幅|降幅|人均|每年|人均每年|新增|"
                              r"平均每年|年均|(?:预期|预定)?目标|水平|幅度|速度|区间|范围|程度|时期|规模|总规模)?$")
_COMPARISON_TAIL = re.compile(r"(?:比|较|与)[^比较与]*$")  # 增幅比一季度: the comparand is not the subject


_SUBJECT_FILLER = re.compile(rf"拟安排|拟|累计|为此|合计|分别|(?<=[{HAN}])均$")


def _clean_subject(subject: str | None) -> str | None:
    """The subject noun phrase without leading time/cue words, inner fillers and trailing verbs; None when empty."""
    if not subject:
        return None
    s = _SUBJECT_NOISE_END.sub("", _SUBJECT_NOISE_START.sub("", subject.strip()))
    s = _SUBJECT_FILLER.sub("", _SUBJECT_NOISE_START.sub("", s))
    s = _SUBJECT_NOISE_END.sub("", _COMPARISON_TAIL.sub("", s) if len(s) > 2 else s)
    if len(s) < 2 or _COMPARISON_ONLY.match(s) or re.fullmatch(r"[\d\W_]+", s):
        return None
    return s


#: Actions whose object is what a figure counts: 提请…审议法律议案13件, 安排扶贫贷款770亿元, 新设12个….
_ACTION = re.compile(r"审议|安排|支持|通过|实施|取消|调整|新设|新建|完成|发放|解决|确定|成立|设立")
_ENDS_IN_ACTION = re.compile(rf"(?:{_ACTION.pattern})$")


def _object_of_action(phrase: str) -> str | None:
    """The noun phrase after the last action verb of a subject (法律议案 of 国务院提请…审议法律议案), if any."""
    last = None
    for last in _ACTION.finditer(phrase):
        pass
    if last is None or last.end() == len(phrase):
        return None
    obj = _clean_subject(phrase[last.end():])
    return obj if obj and len(obj) >= 2 else None


# An English subject read back from the figure may reach over a sentence or table-cell break and start with a
# function word ("to the Harbor Energy Institute. That is", "| Cooling effect Street tree |"): the phrase is
# what follows the last break, without the words that only link it to what came before.
_EN_BREAK = re.compile(r".*(?:[.;:|](?:\s|$)|\|)")
_EN_LEAD = re.compile(r"^(?:(?:to|that|while|but|and|or|against|in|on|at|of|for|with|by|from|up|when|where|which|"
                      r"as|than|is|was|were|are|be|been|it|this|these|those)\s+)+", re.IGNORECASE)
_EN_TAIL = re.compile(r"(?:\s+(?:is|was|were|are|that|than|of|to|the|a|an|on|in|at|with|by|from))+$", re.IGNORECASE)


def _english_phrase(phrase: str) -> str | None:
    """The noun phrase an English subject names, or None when only linking words are left."""
    rest = _EN_BREAK.sub("", phrase.strip().rstrip(" ,:;|")).strip(" ,|")
    rest = _EN_TAIL.sub("", _EN_LEAD.sub("", rest + " ").strip()).strip(" ,|")
    return rest if re.search(r"[A-Za-z]{3}", rest) else None


def _canonical(phrase: str, sentence: str = "") -> str:
    """A subject that ends in a table name is that indicator (国家外汇储备 -> 外汇储备); so is a subject that is
    part of a table name printed earlier in the sentence (生产总值 of 国内生产总值…，比上年增长9.5%).
    Other subjects stay as printed."""
    hit = _table_match(phrase, 0, len(phrase))
    if hit and hit[2] == len(phrase):
        if phrase[:hit[1]].endswith("占"):  # 旅游增加值占地区生产总值(比重): the table name is the denominator
            return phrase
        return hit[0]
    if not _any_indicator().search(sentence):
        return phrase
    for row in indicator_table():
        if any(phrase in m.group() for m in row.pattern.finditer(sentence) if len(m.group()) > len(phrase)):
            return row.name
    return phrase


@lru_cache(maxsize=1)
def _any_indicator() -> re.Pattern[str]:
    """All the table's variant patterns as one alternation: where it finds nothing, no row can."""
    return re.compile("|".join(f"(?:{row.pattern.pattern})" for row in indicator_table()), re.IGNORECASE)


#: Shared heads of a paired list: 高技术制造业、装备制造业增加值 = 高技术制造业增加值 and 装备制造业增加值.
_LIST_HEAD = re.compile(r"(?:增加值|排放总量|排放量|产量|纯收入|可支配收入|收入|人均住房面积|住房面积|产能|投资|比重|增速|利润)$")


def _paired_name(text: str, n: NumericAssertion, sent: int,
                 before: Sequence[tuple[int, str | None]] = ()) -> str | None:
    """分别: the k-th figure after 分别 belongs to the k-th name of the list before it (A、B分别增长X、Y),
    or, with no such list, to the k-th of the figures before 分别 (A 9422元，B 2936元，分别增长7.7%和6.8%).

    Figures of a second round (分别达到X和Y，实际增长A和B) pair again from the start.
    """
    window = text[sent:n.start]
    at = window.rfind("分别")
    if at < 0:
        return None
    k = len(re.findall(r"\d+(?:\.\d+)?", re.sub(r"(?:19|20)\d{2}\s*年", "", window[at:])))
    names = _list_before(window[:at])
    if len(names) < 2:
        named = [ind for start, ind in before if start < sent + at]
        return named[k % len(named)] if len(named) in (2, 3) and all(named) else None
    name = names[k % len(names)]
    head = _LIST_HEAD.search(names[-1])
    if head and not _LIST_HEAD.search(name):
        name += head.group()
    return _canonical(_clean_subject(name) or name)


def _list_before(text: str) -> list[str]:
    """The names of the list that ends ``text``: the last clause split on 、/和/及/与."""
    def bare(piece: str) -> str:
        return re.split(r"\d", re.sub(r"(?:19|20)\d{2}年(?:底|末)?", "", piece))[0].strip()

    pieces = re.split(r"[，,；;：:]", text)
    clause = next((bare(p) for p in reversed(pieces) if bare(p)), "")
    parts = re.split(r"、", clause) if "、" in clause else re.split(r"[和及与]", clause)
    return [p for p in parts if p.strip()]


def _table_after(text: str, pos: int) -> str | None:
    """A table name that starts right after the figure (optionally after 的): 551万农村贫困人口."""
    start = pos + 1 if text[pos:pos + 1] == "的" else pos
    window = text[start:start + 16]
    best: tuple[int, str] | None = None
    for row in indicator_table():
        m = row.pattern.match(window)
        if m and m.group() and (best is None or m.end() > best[0]):
            best = (m.end(), row.name)
    return best[1] if best else None


def _noun_after(text: str, pos: int) -> str | None:
    """The noun phrase right after the figure (1000多万高中毕业生), for figures whose clause names nothing."""
    if not re.match(rf"[{HAN}“]", text[pos:pos + 1]):
        return None
    from extractors.text.nlp import leading_noun_phrase

    phrase = leading_noun_phrase(text[pos:pos + 24])
    return phrase if len(phrase) >= 2 else None


def _indicator(text: str, n: NumericAssertion, clause: int, sent: int, inherited: str | None,
               before: Sequence[tuple[int, str | None]] = ()) -> tuple[str | None, int, int, str]:
    """(indicator, where its name starts, where it ends, rule); outside the table the name is the whole clause.

    The table wins inside the figure's clause, then right after the figure
    (发行1500亿元长期建设国债); then the cleaned subject (or clause); then the noun
    phrase after the figure (1000多万高中毕业生); then the previous figure of the
    sentence; then the table anywhere earlier in the sentence.
    """
    hit = _table_match(text, clause, n.start)
    if hit:
        return hit[0], hit[1], hit[2], "table"
    after = _table_after(text, n.end)
    if after:
        return after, clause, clause, "after"
    own = text[clause:n.start] if not re.search(r"[\d%]", text[clause:n.start]) else ""
    named_here = "分别" not in text[clause:n.start] and _clean_subject(own)  # …，主要污染物排放总量减少8%
    paired = None if named_here else _paired_name(text, n, sent, before)
    if paired:
        return paired, clause, clause, "paired"
    bare_clause = text[clause:n.start] if not re.search(r"[\d%]", text[clause:n.start]) else None
    cleaned = _clean_subject(n.subject) or _clean_subject(bare_clause)
    if cleaned:
        obj = _object_of_action(cleaned)
        if obj:
            return _canonical(obj, text[sent:n.start]), clause, clause, "object"
        if not _ENDS_IN_ACTION.search(cleaned):
            return _canonical(cleaned, text[sent:n.start]), clause, clause, "subject"
    noun = _noun_after(text, n.end)
    if noun:
        return noun, clause, clause, "noun_after"
    if inherited:
        return inherited, clause, clause, "previous"
    hit = _table_match(text, sent, clause)
    if hit:
        return hit[0], clause, clause, "sentence"
    return None, clause, clause, "none"


# --------------------------------------------------------------------------- scope


@lru_cache(maxsize=1)
def _place_names() -> tuple[str, ...]:
    """Places from the GPE gazetteer plus China's province-level divisions, longest first."""
    names = set(PROVINCES)
    for line in resources.files("extractors.data").joinpath("places.txt").read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.add(name)
    return tuple(sorted(names, key=len, reverse=True))


#: Province-level divisions of China, short and full names (the gazetteer lists only a few cities).
PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省",
    "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
    "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区", "香港", "澳门", "广东", "江苏",
    "浙江", "山东", "河南", "四川", "湖北", "福建", "安徽", "河北", "陕西", "江西", "重庆", "天津", "云南",
    "广西", "内蒙古", "山西", "贵州", "新疆", "辽宁", "吉林", "黑龙江", "甘肃", "海南", "宁夏", "青海", "西藏",
)
#: Names that mean "the country": they normalize to 中国.
_CHINA = {"中国", "中华人民共和国", "中国大陆", "China", "PRC", "People's Republic of China"}
#: Words that point at the document's own scope (全国 in a national report, 全省 in a provincial one).
_OWN_SCOPE = re.compile(r"全国|我国|全省|全市|全区|本省|本市|本区|我省|我市|我区")
_SUBNATIONAL = re.compile(r"(?:省|市|自治区|特别行政区|县|州|区)$|^(?:香港|澳门|" + "|".join(
    p for p in PROVINCES if not p.endswith(("省", "市", "区"))) + ")$")
_TITLE_PLACE = re.compile(rf"([{HAN}]{{2,10}}?(?:省|自治区|特别行政区|市|县|州))(?:人民)?政府")


def _title_scope(title: str | None) -> str | None:
    """Whose report the title says it is: 国务院/中华人民共和国 -> 中国, ``2026年广东省政府工作报告`` -> 广东省."""
    if not title:
        return None
    bare = _TITLE_YEAR.sub("", title)
    if re.search(r"国务院|中华人民共和国|中央政府|State Council", bare):
        return "中国"
    m = _TITLE_PLACE.search(bare)
    if m:
        return m.group(1)
    for name in _place_names():
        if name in bare:
            return _normal_place(name)
    return None


#: English names of the gazetteer's places -> the Chinese name, so scopes compare across languages.
_ENGLISH_PLACES = {
    "United States": "美国", "U.S.": "美国", "US": "美国", "USA": "美国", "Japan": "日本", "South Korea": "韩国",
    "Korea": "韩国", "Taiwan": "台湾", "India": "印度", "Singapore": "新加坡", "Malaysia": "马来西亚",
    "Russia": "俄罗斯", "Europe": "欧洲", "Netherlands": "荷兰", "California": "加州", "Beijing": "北京",
    "Shanghai": "上海",
}


def _normal_place(name: str) -> str:
    """One name per place: 中华人民共和国/China -> 中国, United States/U.S. -> 美国."""
    return "中国" if name in _CHINA else _ENGLISH_PLACES.get(name, name)


def _scope(text: str, clause: int, pos: int, doc: _Doc) -> str | None:
    """A place named in the figure's clause (last one before the figure), else the document's scope.

    A name counts only as a whole word (jieba with the place names as words; word
    boundaries in English): 隆重庆祝 holds 重庆 but names no place.
    """
    window = text[clause:pos]
    if not any(name in window for name in _place_names()):
        return doc.scope or _national(text[_sentence_start(text, pos):pos])
    best: tuple[int, str] | None = None
    for i, word in _words(window):
        if word in _place_set() and (best is None or i > best[0]):
            best = (i, word)
    for name in _place_names():
        if name.isascii():
            for m in re.finditer(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", window):
                if best is None or m.start() > best[0]:
                    best = (m.start(), name)
    if best is not None and not _OWN_SCOPE.search(window[best[0] + len(best[1]):]):
        return _normal_place(best[1])
    return doc.scope or _national(text[_sentence_start(text, pos):pos])


_COUNTRY_WORD = re.compile(r"全国|我国|国内(?!生产总值)")


def _national(sentence: str) -> str | None:
    """全国/我国 in a Chinese text whose document names no place of its own is China (a post on 全国算力规模)."""
    return "中国" if _COUNTRY_WORD.search(sentence) else None


@lru_cache(maxsize=1)
def _place_set() -> frozenset[str]:
    return frozenset(_place_names())


def _words(window: str) -> list[tuple[int, str]]:
    """(offset, word) of each jieba token, the place names kept whole (Latin names are matched apart)."""
    from extractors.text.nlp import jieba_tokenizer

    out, pos = [], 0
    for word in jieba_tokenizer(tuple(n for n in _place_names() if not n.isascii())).lcut(window):
        out.append((pos, word))
        pos += len(word)
    return out


# --------------------------------------------------------------------------- period

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
#: Five-year plans: "九五" = 1996–2000, "十四五" = 2021–2025.
_PLANS = {"九五": 1996, "十五": 2001, "十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}

_TIME_EXPR = re.compile(
    r"(?P<plan>[“\"]?(?P<plan_name>九五|十五|十一五|十二五|十三五|十四五|十五五)[”\"]?(?P<plan_part>时期|期间|末|以来))"
    r"|(?P<range>(?P<y1>(?:19|20)\d{2})\s*(?:年)?\s*[-–—~～至到]\s*(?P<y2>(?:19|20)\d{2})\s*年)"
    r"|(?P<abs>(?P<by>到|至|截至|截止到|截止)?\s*(?P<year>(?:19|20)\d{2})\s*年"
    r"(?:(?P<month>\d{1,2})\s*月(?:份)?(?:\s*\d{1,2}\s*日)?)?(?P<apart>[底末初]|前|以来|上半年|下半年)?)"
    r"|(?P<both>今明两年)"
    r"|(?P<rel>今年|本年|当年|去年|上年|上一年|前年|明年|来年|过去一年|一年来|全年)"
    r"|(?P<multi>(?:过去|这|近)(?P<n>[一二两三四五六七八九十])年(?:来|间)?|(?P<n2>[二两三四五六七八九十])年(?:来|累计|间)"
    r"|(?<![一二两三四五六七八九十百])(?P<n6>[二两三四五六七八九十])年(?=(?:累计|共|合计|总计)?(?:增长|提高|增加|下降|减少|降低|翻)))"
    r"|(?P<ahead>(?:今后|未来)(?P<n3>[一二两三四五六七八九十])年|(?P<n4>[二两三四五])年内|用(?P<n5>[二两三四五])年(?:时间|左右))"
)
_PART = re.compile(r"(?P<q>(?:第)?(?P<qn>[一二三四1-4])季度)|(?P<first>前(?P<fn>[一二三])季度)"
                   r"|(?P<half>[上下]半年)|(?P<months>(?P<m1>\d{1,2})\s*[-–—~至到]\s*(?P<m2>\d{1,2})\s*月)")
_TIME_EN = re.compile(
    r"\b(?:(?P<q>Q[1-4]|(?:first|second|third|fourth) quarter)(?: of)?\s+)?(?P<year>(?:19|20)\d{2})\b"
    r"|\b(?P<rel>this year|last year|next year|the past year)\b",
    re.IGNORECASE,
)
_ATTACHED = re.compile(r"\s*的?\s*")  # a date right before the figure (2023年的126万亿元) is the figure's own
_COMPARISON_BASE = re.compile(r"(?:比|较|同比|与|和|相比|相对|高于|低于|是|为|从|由|the|than|from|vs\.?)\s*$")
_COMPARISON_AFTER = re.compile(r"^\s*(?:同期|相比|比|水平|基础上|翻)")


def _period(text: str, n: NumericAssertion, sent: int, doc: _Doc) -> tuple[str | None, str]:
    """(period, rule): the sentence, then the topic (a sentence-opening date before), the section, the report year.

    An average or total (年均, 每年, 累计) over a range the topic or section names
    is about the whole range even when the sentence names its last year
    (2000年达89404亿元，平均每年增长8.3% in the review of 1996–2000).
    """
    section, review, mixed = _section(doc, n.start)
    topic = _topic_period(text, sent, doc)
    found, rule = _last_period(text, sent, n.start, doc.year, own_date=n.unit_kind != "multiple"), "sentence"
    if found is None and doc.english:
        found = _first_period_en(text, n.end, _sentence_end(text, n.end), doc.year)
    if found is None:
        part = _part_only(text, sent, n.start)  # 一季度 without a year takes the year of the wider context
        if topic is not None:  # an earlier sentence's quarter (去年一季度…) does not carry over, its year does
            found, rule = _with_part(topic if "/" in topic and "-" not in topic else topic[:4], part), "topic"
        elif section is not None:
            found, rule = _with_part(section, part), "section"
        elif doc.work_report and doc.year is not None and not mixed:
            found, rule = _with_part(str(doc.year - 1 if review else doc.year), part), "report"
    span = next((p for p in (topic, section) if p and "/" in p and "-" not in p), None)
    if span and found and "/" not in found and _AVERAGE.search(text[_clause_start(text, n.start):n.start]):
        start, end = span.split("/")
        if start <= found <= end:
            return span, "average"
    return found, rule if found else "none"


_AVERAGE = re.compile(r"年均|平均每年|每年|累计|五年|合计")


@lru_cache(maxsize=8)  # figures of one sentence ask in a row; a few entries keep few texts alive
def _topic_period(text: str, sent: int, doc: _Doc) -> str | None:
    """The period of the last date that opens a sentence (2004年，…; “十四五”时期是…) before ``sent``.

    Within the figure's paragraph any sentence may open with it; before the
    paragraph only a paragraph's opening counts, and never across a numbered
    heading.  A deadline (到明年底，…) is a target date, not a topic.  The
    document's time expressions are found once (:func:`_time_index`); each
    sentence only looks at those between its section start and itself.
    """
    para = _paragraph_start(text, sent)
    lo = max((h.start for h in doc.headings if h.start < sent), default=max(0, sent - 3000))
    if _section(doc, sent)[2]:
        lo = max(lo, _numbered_paragraph(text, lo, para))
    starts, found = _time_index(text, doc.year)
    last: str | None = None
    for k in range(bisect_left(starts, lo), bisect_left(starts, sent)):
        at, end, deadline, resolved = found[k]
        if end > sent or deadline or not _opens_sentence(text, at, lo):
            continue
        if at < para and not _opens_paragraph(text, at):
            continue
        if resolved is not None:
            last = resolved
    return last


def _opens_paragraph(text: str, at: int) -> bool:
    """Whether the time expression at ``at`` opens its paragraph (after indentation and a speaker's lead-in)."""
    first = _paragraph_start(text, at) + _indent(text, at)
    return at == first or bool(_SPEAKER_LEAD_IN.fullmatch(text, first, at))


def _numbered_paragraph(text: str, lo: int, para: int) -> int:
    """Start of the last numbered paragraph (（八）大力增进民生福祉。…) between ``lo`` and ``para``, else ``lo``.

    Where the section reviews two periods at once (“十四五”时期和2025年工作回顾), an earlier
    paragraph's 这五年 does not reach past the start of a numbered item: the list may be the
    year's account as well as the five years'.
    """
    starts = _numbered_starts(text)
    k = bisect_right(starts, para)
    return max(lo, starts[k - 1]) if k else lo


@lru_cache(maxsize=2)
def _numbered_starts(text: str) -> list[int]:
    """Where every line that opens with an official heading number starts (headings and numbered paragraphs
    alike), found once per document."""
    return [m.start() for m in re.finditer(r"(?m)^[^\n]{1,8}", text) if heading_level(m.group()) is not None]


@lru_cache(maxsize=2)
def _time_index(text: str, year: int | None) -> tuple[list[int], list[tuple[int, int, bool, str | None]]]:
    """Every time expression of ``text``: where its words start (leading blanks skipped), where it ends,
    whether it is a deadline (到2025年), and the period it resolves to; sorted by start."""
    found = []
    for m in _TIME_EXPR.finditer(text):
        at = m.start() + len(m.group()) - len(m.group().lstrip())
        found.append((at, m.end(), bool(m.group("abs") and m.group("by")), _resolve(m, year)))
    return [f[0] for f in found], found


#: Words a speaker puts before a paragraph's date without changing what it opens (各位代表，刚刚过去的2025年，…).
_SPEAKER_LEAD_IN = re.compile(r"(?:各位代表[，,：:]\s*)?(?:刚刚|刚)?(?:过去的|走过的)?$")


def _opens_sentence(text: str, pos: int, lo: int) -> bool:
    i = pos - 1
    while i >= lo and text[i] in " \t\u3000—“\"":
        i -= 1
    if i < lo or text[i] in "。！？!?；;\n":
        return True
    lead = _SPEAKER_LEAD_IN.search(text, max(lo, pos - 12), pos)
    return lead is not None and lead.start() < pos and _opens_sentence(text, lead.start(), lo)


def _indent(text: str, pos: int) -> int:
    start = _paragraph_start(text, pos)
    return len(text[start:pos]) - len(text[start:pos].lstrip(" \t\u3000—“\""))


def _last_period(text: str, lo: int, hi: int, year: int | None, *, own_date: bool = False) -> str | None:
    """The period of the last time expression in text[lo:hi] that is not a comparison base (比上年, 同比).

    With ``own_date``, a date right before the figure is its own even after 比/是
    (比2023年的126万亿元); a multiple's attached date is its base (为1997年的2.9倍), so
    multiples do not ask for it.
    """
    last: str | None = None
    for m in _TIME_EXPR.finditer(text, lo, hi):
        if own_date and _ATTACHED.fullmatch(text, m.end(), hi) and not m.group("by") and (own := _resolve(m, year)):
            return own  # 是2021年114万亿元的1.5倍, 比2023年的126万亿元: the figure's own date, even after 比/是
        before = text[max(lo, m.start() - 4):m.start()]
        compared = _COMPARISON_BASE.search(before) or _COMPARISON_AFTER.match(text[m.end():m.end() + 4])
        if compared and not m.group("by"):  # 为到2010年…: a deadline, whatever comes before it
            continue
        resolved = _resolve(m, year)
        if resolved is not None:
            part = _PART.match(text, m.end())
            last = _with_part(resolved, part) if part else resolved
    return last


def _part_only(text: str, lo: int, hi: int) -> re.Match[str] | None:
    """A quarter, half year or month range with no year of its own (前三季度, 一季度) in text[lo:hi]."""
    last = None
    for m in _PART.finditer(text, lo, hi):
        before = text[max(lo, m.start() - 6):m.start()]
        if not re.search(r"\d{4}\s*年\s*$", before) and not _COMPARISON_BASE.search(before):
            last = m
    return last


def _resolve(m: re.Match[str], year: int | None) -> str | None:
    """One time expression as a period string."""
    if m.group("plan"):
        first = _PLANS[m.group("plan_name")]
        if m.group("plan_part") == "末":
            return str(first + 4)
        return f"{first}/{first + 4}"
    if m.group("range"):
        return f"{m.group('y1')}/{m.group('y2')}"
    if m.group("abs"):
        y = int(m.group("year"))
        if m.group("month"):
            return f"{y}-{int(m.group('month')):02d}" if 1 <= int(m.group("month")) <= 12 else str(y)
        if m.group("apart") == "上半年":
            return f"{y}-01/{y}-06"
        if m.group("apart") == "下半年":
            return f"{y}-07/{y}-12"
        if m.group("apart") == "以来" and year is not None and year - 1 > y:
            return f"{y}/{year - 1}"
        return str(y)
    if year is None:
        return None
    if m.group("rel"):
        word = m.group("rel")
        if word in ("全年",):
            return None
        offset = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "上一年": -1, "过去一年": -1,
                  "一年来": -1, "前年": -2, "明年": 1, "来年": 1}[word]
        return str(year + offset)
    if m.group("both"):
        return f"{year}/{year + 1}"
    if m.group("multi"):
        k = _CN_DIGITS[m.group("n") or m.group("n2") or m.group("n6")]
        return f"{year - k}/{year - 1}" if k > 1 else str(year - 1)
    if m.group("ahead"):
        k = _CN_DIGITS[m.group("n3") or m.group("n4") or m.group("n5")]
        return f"{year}/{year + k - 1}" if k > 1 else str(year)
    return None


def _with_part(period: str, part: re.Match[str] | None) -> str:
    """Narrow a year to the quarter/half/months that follow it (2025 + 前三季度 -> 2025-01/2025-09)."""
    if part is None or not re.fullmatch(r"\d{4}", period):
        return period
    y = period
    if part.group("q"):
        qn = part.group("qn")
        return f"{y}-Q{_CN_DIGITS.get(qn) or int(qn)}"
    if part.group("first"):
        k = _CN_DIGITS[part.group("fn")]
        return f"{y}-01/{y}-{3 * k:02d}"
    if part.group("half"):
        return f"{y}-01/{y}-06" if part.group("half").startswith("上") else f"{y}-07/{y}-12"
    if part.group("months"):
        m1, m2 = int(part.group("m1")), int(part.group("m2"))
        if 1 <= m1 <= m2 <= 12:
            return f"{y}-{m1:02d}/{y}-{m2:02d}"
    return period


def _first_period_en(text: str, lo: int, hi: int, year: int | None) -> str | None:
    """English puts the date after the figure (grew 5% in 2024): the first date later in the sentence."""
    m = _TIME_EN.search(text, lo, hi)
    return _resolve_en(m, year) if m else None


def _resolve_en(m: re.Match[str], year: int | None) -> str | None:
    if m.group("year"):
        q = (m.group("q") or "").lower()
        quarter = {"q1": 1, "first quarter": 1, "q2": 2, "second quarter": 2, "q3": 3, "third quarter": 3,
                   "q4": 4, "fourth quarter": 4}.get(q)
        return f"{m.group('year')}-Q{quarter}" if quarter else m.group("year")
    if year is None:
        return None
    return str(year + {"this year": 0, "last year": -1, "next year": 1, "the past year": -1}[m.group("rel").lower()])


# --------------------------------------------------------------------------- measure

_RANK = re.compile(r"^第")  # 第2位; 3730万名学生 is a count
_MULTIPLE = re.compile(r"倍|番|times\b|fold\b", re.IGNORECASE)
_GROWTH_VERB = re.compile(r"增长|增速|增幅|上涨|涨幅|上升|下降|下跌|降幅|回落|降低|减少|提高|增加|扩大|缩小|"
                          r"grew|grow|growth|rose|rise|fell|fall|declin|increas|decreas|up|down", re.IGNORECASE)
_LEVEL_AFTER_VERB = re.compile(r"(?:到|至|to)\s*$", re.IGNORECASE)
#: Nouns that name a rate of change: 涨幅回落到2.6% is still a growth rate.
_RATE_NOUN = re.compile(r"涨幅|增幅|增速|降幅|增长率|增长速度|年均增长|增长(?:均)?为|增长(?:预期)?目标|growth rate", re.IGNORECASE)
#: A change verb right before an amount makes it a change (比上年增加1.6万亿元); 新增 names a flow, whose
#: amount is a level (城镇新增就业1256万人, 新增装机3.7亿千瓦), as is a verb followed by a noun.
_CHANGE_VERB = re.compile(r"(?:增加|减少|提高|提升|降低|增长|下降|扩大|缩小|节约|节省|多|少|(?<!新)增|减)了?\s*$|"
                          r"^[^，。]{0,4}(?<!新)(?:增加|减少|降低|提高)(?![到至])[" + HAN + r"“”]{2,12}$|"
                          r"(?:增加|减少|提高|降低)[^，。到至\d]*[\d.]+[^\d，。]{0,4}[和、]\s*$|"
                          r"(?:increased|decreased|rose|fell|grew|added|gained|lost|up|down)(?: by)?\s*$",
                          re.IGNORECASE)


_SPEED_AFTER = re.compile(r"的(?:经济)?(?:增长)?(?:速度|增速)")  # 7%左右的速度可以实现比较充分的就业
#: Indicators whose percentages are always rates of change: a price index is never a share (inflation rose to 3.2%).
_RATES_OF_CHANGE = frozenset({"居民消费价格", "工业生产者出厂价格"})


#: A part of a whole named before the figure: 增加值占地区生产总值比重分别超过2%、5%, 占比, 所占份额.
_SHARE_OF = re.compile(r"占[^，。；;\d]{0,30}?(?:的)?(?:比重|比例|份额)|占比|所占")


def _measure(text: str, n: NumericAssertion, name_start: int, gap_from: int, indicator: str | None = None) -> Measure:
    """level | change | growth_rate | share | multiple | rank, from the unit and the words between name and figure.

    For a percentage the name itself may say growth (经济增长预期目标为5%); for an
    amount it may not (城镇新增就业1256万人 is a level of a flow, not a change).
    """
    after = text[n.end:n.end + 2]
    ordinal = text[max(0, n.start - 1):n.start] == "第"
    if _RANK.search(n.surface) or (ordinal and (re.search(r"[位名]$", n.surface) or re.match(r"[位名]", after))):
        return "rank"
    if n.unit == "x" or _MULTIPLE.search(n.surface):
        return "multiple"
    gap = text[gap_from:n.start]
    if n.unit == "pp":
        return "change"
    verb = _GROWTH_VERB.search(text[name_start:n.start])
    to_level = bool(_LEVEL_AFTER_VERB.search(gap))
    if n.unit == "%":
        if _SHARE_OF.search(text, name_start, n.start):
            return "share"
        if (_RATE_NOUN.search(text[name_start:n.start]) or ((verb or n.is_delta) and not to_level)
                or indicator in _RATES_OF_CHANGE or _SPEED_AFTER.match(text, n.end)):
            return "growth_rate"
        return "share"
    if _CHANGE_VERB.search(gap):
        return "change"
    return "level"


# --------------------------------------------------------------------------- role

_FORECAST = re.compile(r"预计|预测|估计|有望|可望|展望|expected to|forecast|projected|estimated|likely to", re.IGNORECASE)
_TARGET = re.compile(r"预期目标|目标(?:是|为|任务)|力争|争取|计划(?=[到在于新安完投实使达])|拟|确保|控制在|要(?:达到|实现|保持|完成|使|新增|增加|提高)|"
                     r"将(?:达到|超过|增加|提高|降低|新增|安排|发行)|"
                     r"(?<![加高升长少低大小])(?:到|至)\s*(?:19|20)\d{2}\s*年|(?:19|20)\d{2}\s*年前|target|goal|aim(?:s|ed)? (?:to|at)|plans? to|"
                     r"will (?:reach|rise|grow|increase|cut)", re.IGNORECASE)
_STRONG_TARGET = re.compile(r"预期目标|目标(?:是|为)|力争|拟|target(?:s|ed)? |goal (?:is|of)", re.IGNORECASE)
_TARGET_AFTER = re.compile(r"^[^，,。；;]{0,6}(?:的)?(?:预定|预期)?目标|^\s*target", re.IGNORECASE)
_MET = re.compile(r"(?:达到|超过|完成|实现|超额完成|低于|高于)(?:了)?(?:预期|预定|全年)?目标")
_LEAD_IN = re.compile(r"目标|任务|安排|计划|要求")


def _role(text: str, n: NumericAssertion, clause: int, sent: int, period: str | None, doc: _Doc) -> Role:
    """actual | target | forecast: cue words next to the figure, a target lead-in, then the section of a work report."""
    before = text[clause:n.start]
    sentence = text[sent:n.start]
    if _TARGET_AFTER.match(text[n.end:n.end + 12]):
        return "target"
    if _FORECAST.search(before):
        return "forecast"
    if _TARGET.search(before) and not _MET.search(before):
        return "target"
    if _STRONG_TARGET.search(sentence) and not _MET.search(sentence):
        return "target"
    para = _paragraph_start(text, n.start)
    colon = text.find("：", para, n.start)
    if colon >= 0 and _LEAD_IN.search(text[para:colon]) and not _MET.search(text[para:colon]):
        return "forecast" if _FORECAST.search(text[para:colon]) else "target"
    if _FORECAST.search(sentence):
        return "forecast"
    if doc.work_report and doc.year is not None and period is not None:
        _, review, _ = _section(doc, n.start)
        first = int(period[:4])
        if review is False and first >= doc.year:
            return "target"
    return "actual"


def _role_of_year(year: int, doc: _Doc, text: str, n: NumericAssertion) -> Role:
    """The role a figure of ``year`` has by itself: a year after the document's is a target."""
    if doc.year is not None and year > doc.year:
        return "target"
    return _role(text, n, _clause_start(text, n.start), _sentence_start(text, n.start), str(year), doc)


def better_direction(indicator: str | None) -> Literal["higher", "lower"] | None:
    """Which way of an indicator is good, from the table's optional ``better`` column.

    Only ``lower`` is written down (prices, unemployment): a target for such an
    indicator is a ceiling even when it is stated as 3%左右.  Known indicators
    without the column are ``higher``; an indicator the table does not know has
    no direction.
    """
    if indicator is None or indicator not in canonical_indicators():
        return None
    return "lower" if any(r.lower_is_better for r in indicator_table() if r.name == indicator) else "higher"
