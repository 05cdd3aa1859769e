"""Number checks: internal arithmetic, impossible shares, conflicts, stale figures.

They read ``numeric_assertions`` rows through their typed fields only
(:class:`extractors.records.AssertionRow`): ``unit_kind`` says whether a
number is a ratio or a multiple, ``qualifier`` how it is hedged (``nearly``
for 将近/nearly, ``approx`` for 约/about), and ratios are fractions of one by
the contract of :class:`extractors.types.NumericAssertion` (43% is 0.43), so
nothing here re-parses a surface, guesses a scale or searches the text for a
hedge.  The text is read only for what no field states yet: sentence
boundaries between a multiple and its operands, and whether a percentage is
a share of a whole (占, 份额, share of).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.lexicon import FOOTNOTE_MARKER_CLASS, is_han
from reports.findings import Finding, Span, date_key, source_name, span_of

if TYPE_CHECKING:
    from extractors.records import AssertionRow, Corpus, DocumentRow

OPERAND_WINDOW = 200  # characters between a stated multiple and its operands
_SHARE = re.compile(r"占|份额|比重|比例|占比|占有率|share|proportion|of (?:the |all |total )", re.I)
# The same proportion restated: in brackets (超八成（85%）) or after 即/或/也就是/i.e./or.  A bare comma or 、
# between two percentages is a list (分别增长30%、50%), not a restatement.
_PAIR_GAP = re.compile(r"^\s*(?:[（(]|[，,、:：]?\s*(?:即|或|也就是|i\.e\.,?|or)\s*[（(]?)\s*(?:约|about\s)?\s*$", re.I)
_PRINTED = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_YEAR = re.compile(r"(?<![0-9])(1[89][0-9]{2}|2[01][0-9]{2})(?![0-9])")
# Bands (low, high) for observed/stated, by hedge.
BANDS = {"nearly": (0.85, 1.02), "approx": (0.85, 1.15), "over": (0.98, 1.5), "exact": (0.93, 1.07)}
#: The band a qualifier puts a stated multiple in: an upper bound (不到, at most) reads as "nearly",
#: a lower bound as "over", a range as "approx".
HEDGE_OF_QUALIFIER = {"nearly": "nearly", "less_than": "nearly", "at_most": "nearly", "approx": "approx",
                      "range": "approx", "more_than": "over", "at_least": "over", "exact": "exact"}


def is_multiplier(a: AssertionRow) -> bool:
    """倍, times, ×, 翻番: the extractor's ``multiple`` kind."""
    return a.is_multiple


def is_ratio(a: AssertionRow) -> bool:
    """Percent, per-mille or a fraction (三分之一): the value is a fraction of one."""
    return a.is_ratio


def as_percent(a: AssertionRow, value: float | None = None) -> float | None:
    """A ratio (``value`` or the row's own) on the 0-100 scale: ratios are stored as fractions of one."""
    v = a.value if value is None else value
    return None if v is None else v * 100.0


def hedge(a: AssertionRow) -> str:
    """How precisely a number is stated: nearly | approx | over | exact, from its qualifier."""
    return HEDGE_OF_QUALIFIER.get(a.qualifier, "exact")


def tabled(a: AssertionRow) -> bool:
    """Is the indicator one of the indicator table's canonical names (not a subject used in its place)?

    Only tabled indicators carry ``better`` (higher | lower), so that field
    tells.  Two tabled indicators that differ are two different things; a
    price of one product against a price of another (subjects, not tabled
    indicators) may still be compared by a stated multiple.
    """
    return a.better is not None


def _docs(corpus: Corpus) -> dict[int, DocumentRow]:
    return {d.id: d for d in corpus.documents}


def _by_doc(corpus: Corpus) -> dict[int, list[AssertionRow]]:
    out: dict[int, list[AssertionRow]] = defaultdict(list)
    for a in corpus.assertions:
        out[a.document_id].append(a)
    for rows in out.values():
        rows.sort(key=lambda a: a.start)
    return out


def _span(doc: DocumentRow, a: AssertionRow) -> Span:
    return span_of(doc.text, doc.id, a.page, a.start, a.end)


# --------------------------------------------------------------------------- arithmetic


@dataclass(frozen=True, slots=True)
class _Operands:
    first: AssertionRow
    second: AssertionRow

    @property
    def ratio(self) -> float:
        lo, hi = sorted((self.first.value or 0.0, self.second.value or 0.0))
        return hi / lo


# A sentence ends at CJK end punctuation, or at "." + space, markers and closing quotes allowed between.
_SENTENCE_END = re.compile(rf"[。！？!?；;]|\.[{FOOTNOTE_MARKER_CLASS}”’\")\]]*\s")


_REFERS_BACK = re.compile(r"^\W*(这|此(?!外|前|后|时)|该(?!当)|两者|二者|其(?!中|他|它|实|余|次|后)|相差|差距|价差|也就是说|换言之|换句话说|"
                          r"即(?!使|便|将|时)|"
                          r"this|that|these|those|in other words|the (gap|difference|ratio))",
                          re.IGNORECASE)


def _refers_back(text: str, m: AssertionRow) -> bool:
    """Does the sentence holding ``m`` point back at the one before ("这将近30倍的价差")?"""
    ends = [e.end() for e in _SENTENCE_END.finditer(text, max(0, m.start - OPERAND_WINDOW), m.start)]
    start = ends[-1] if ends else 0
    return bool(_REFERS_BACK.search(text[start:m.start]))


#: A table cell or line boundary: figures of two cells (5120GB | 8x 8x A100 80GB) are two columns, not operands.
_CELL_BREAK = re.compile(r"\s\|\s|\n")


#: A larger duration right before a figure: 8 小时 53 分钟 is one length of time, its 53 分钟 no level of its own.
_COMPOUND_DURATION = re.compile(r"\d\s*(?:小时|个小时|天|周|个月|年|h|hours?|days?|weeks?|months?)\s*(?:and\s+|,\s*|零)?$",
                                re.IGNORECASE)
#: A figure after "/" or "per" is the unit a price or rate is per (0.00156$ / 1M tokens), not a level.
_PER_BEFORE = re.compile(r"(?:/|\bper|每)\s*$", re.IGNORECASE)


def _between(c: AssertionRow, m: AssertionRow) -> tuple[int, int]:
    """The text span between two figures, whichever comes first."""
    return (c.end, m.start) if c.end <= m.start else (m.end, c.start)


def _is_operand(c: AssertionRow, m: AssertionRow, text: str) -> bool:
    """A positive quantity near ``m``: in its sentence, or in the sentence before when ``m``'s refers back."""
    if c.unit_kind == "duration" and _COMPOUND_DURATION.search(text, max(0, c.start - 14), c.start):
        return False
    if _PER_BEFORE.search(text, max(0, c.start - 6), c.start):
        return False
    lo, hi = _between(c, m)
    if _CELL_BREAK.search(text, lo, hi) and (" | " in text[max(0, lo - 200):hi + 200]):
        return False
    if c.end <= m.start:
        placed = not _SENTENCE_END.search(text, c.end, m.start) or _refers_back(text, m)
    else:
        placed = c.start >= m.end and not _SENTENCE_END.search(text, m.end, c.start)
    return (placed and c.id != m.id and bool(c.unit) and c.value is not None and c.value > 0
            and not c.is_delta and not is_multiplier(c) and not is_ratio(c)
            and _about_the_same(c, m) and not _another_clause_about_another(c, m, text)
            and abs(c.start - m.start) <= OPERAND_WINDOW)


_CLAUSE_BREAK = re.compile(r"[，,；;]")


def _another_clause_about_another(c: AssertionRow, m: AssertionRow, text: str) -> bool:
    """``c`` lies in another clause than ``m`` and the two name different things.

    In 营业收入翻一番、利润翻三番，省属一级企业由66户整合至12户 the multiples are about
    revenue and profit, the 66 and 12 about companies: a comma and a change of
    subject end the relation.  Within one clause (A是B的30倍) two subjects may
    still be compared.
    """
    if not _CLAUSE_BREAK.search(text, *_between(c, m)) or _refers_back(text, m):
        return False  # one clause (A是B的30倍), or 这将近30倍的价差: the writer compares the two things named before
    if c.indicator and m.indicator and c.indicator != m.indicator:
        return True
    # 占用空间仅为 2GB (而不是 5GB)，同时速度提高 15%: the rise names its own subject (an inherited indicator hides it)
    return bool(c.subject and m.subject and not _RATE_WORD.fullmatch(m.subject.strip())
                and _folded(c.subject) != _folded(m.subject))


#: A rate word as the subject of a growth figure stands for the indicator before it (…亿元，增长速度8%).
_RATE_WORD = re.compile(r"增速|增长速度|增幅|涨幅|增长率|增长|growth(?: rate)?|rate", re.IGNORECASE)


#: "2x faster than PPO", "比 A100 快 2.92 倍": a multiple against a named thing, not against two printed levels.
_AGAINST_NAMED_AFTER = re.compile(r"\s*(?:faster|slower|cheaper|more|less|larger|smaller|bigger|better|higher|"
                                  r"lower|fewer|greater|longer|shorter)\b[^.;,，。；\d]{0,40}?\bthan\s+(?![\d$€£¥~≈])",
                                  re.IGNORECASE)
_AGAINST_NAMED_BEFORE = re.compile(r"比\s*[^\d，。；,;]{1,20}?(?:快|慢|高|低|多|少|大|小|强|长|短)了?\s*$")
#: What follows a true multiple in English ("3 times more", "2 times the size"); "shown 3 times" is a count.
_TIMES_COMPARES = re.compile(r"\s*(?:more|less|larger|smaller|bigger|greater|higher|lower|faster|slower|fewer|"
                             r"cheaper|longer|shorter|as|the|that|what|over|compared|than)\b", re.IGNORECASE)


def _no_ratio_of_levels(text: str, m: AssertionRow) -> bool:
    """A stated multiple that no two nearby levels can be the ratio of.

    - against a named thing: "runs 2x faster than PPO with 1B models", "比 A100 快 2.92 倍";
    - relative to a baseline stated elsewhere: "120 seconds (1.9x)", the "(1.9x)" right after its figure;
    - a repetition: "shown to the model 3 times".
    """
    if not is_multiplier(m):
        return False
    after = text[m.end:m.end + 60]
    if _AGAINST_NAMED_AFTER.match(after) or _AGAINST_NAMED_BEFORE.search(text, max(0, m.start - 30), m.start):
        return True
    if re.search(r"[(（]\s*$", text[max(0, m.start - 2):m.start]) and re.match(r"\s*[)）]", after) and re.search(
            r"\d\s*\S{0,12}\s*$", text[max(0, m.start - 16):m.start - 1].rstrip(" (（")):
        return True
    return bool(re.search(r"\btimes?\s*$", m.surface, re.IGNORECASE)) and not _TIMES_COMPARES.match(after)


_RESPECTIVELY = re.compile(r"分别|respectively", re.IGNORECASE)


def _respectively(text: str, m: AssertionRow) -> bool:
    """``m`` is one of a list of figures for a list of subjects (数量分别增长3.2倍、2.5倍): no one pair of levels."""
    clause = max(text.rfind(ch, 0, m.start) for ch in "，,；;。\n") + 1
    return bool(_RESPECTIVELY.search(text, clause, m.start) or _RESPECTIVELY.match(text, m.end))


def _about_the_same(c: AssertionRow, m: AssertionRow) -> bool:
    """Is ``c`` a level of what ``m`` states a growth, a change or a multiple of?

    A growth rate or an absolute change is about one indicator, so its
    operands carry the same one.  A multiple (A是B的30倍) may compare two
    things, so only a tabled indicator of ``m`` binds its operands.
    """
    if is_multiplier(m):
        return not tabled(m) or c.indicator == m.indicator
    return c.indicator == m.indicator


def find_operands(m: AssertionRow, rows: list[AssertionRow], text: str) -> _Operands | None:
    """The two nearest same-unit quantities around a stated multiple (preceding ones first)."""
    def distance(c: AssertionRow) -> int:
        return m.start - c.end if c.end <= m.start else c.start - m.end + OPERAND_WINDOW // 4

    candidates = sorted((c for c in rows if _is_operand(c, m, text)), key=distance)
    for i, c1 in enumerate(candidates):
        for c2 in candidates[i + 1:]:
            same_per = not (c1.per and c2.per and c1.per != c2.per)
            # One statement about one indicator: 0.1微克 of one pollutant and 27微克 of another relate nothing.
            same_thing = (c1.indicator == c2.indicator or not (tabled(c1) and tabled(c2))) and same_scope(c1, c2)
            if c2.unit == c1.unit and same_per and same_thing and abs((c2.value or 0) - (c1.value or 0)) > 1e-9:
                first, second = sorted((c1, c2), key=lambda a: a.start)
                return _Operands(first, second)
    return None


def _stated_multiple(m: AssertionRow) -> list[float]:
    """The ratios a stated multiple may mean: 增长了三倍 is read as 3x or 4x (usage differs).

    A growth percentage (+150%) is 1 + the fraction; a multiple the extractor
    saw after a rise verb (``change == "increase"``) may count the base or not.
    """
    assert m.value is not None
    if is_ratio(m):
        return [1 + m.value]
    return [m.value, m.value + 1] if m.change == "increase" else [m.value]


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if abs(x) < 1000 else f"{x:,.0f}"


def check_arithmetic(corpus: Corpus) -> list[Finding]:
    """A stated multiple ("将近30倍", "增长了三倍", "+150%") against its operands nearby."""
    docs = _docs(corpus)
    out: list[Finding] = []
    for doc_id, rows in _by_doc(corpus).items():
        doc = docs[doc_id]
        for m in rows:
            if _no_ratio_of_levels(doc.text, m):
                continue
            ops = find_operands(m, rows, doc.text) if _relates_two_levels(m) and not _respectively(doc.text, m) else None
            if ops is None or (ops.first.period and ops.first.period == ops.second.period):
                continue  # two levels of one period are two things, not a before and after
            if m.is_delta and not is_ratio(m) and not is_multiplier(m):
                out.append(_difference_finding(doc, m, ops))
            else:
                out.append(_arithmetic_finding(doc, m, ops))
    return out


def _relates_two_levels(m: AssertionRow) -> bool:
    """A stated multiple, growth percentage or absolute difference: something two levels determine.

    An average annual rate or change (年均增长7%, 平均每年增加2053亿元: a period
    that is a range) is not the ratio or difference of its two ends, so it is
    left alone.
    """
    if m.value is None or (m.period and "/" in m.period and not is_multiplier(m)) or m.measure in ("share", "level"):
        return False
    percent_growth = is_ratio(m) and (m.is_delta or m.change == "increase")
    difference = (m.is_delta and not is_ratio(m) and not is_multiplier(m) and m.unit_kind != "points"
                  and bool(m.unit))
    return is_multiplier(m) or percent_growth or difference


def _arithmetic_finding(doc: DocumentRow, m: AssertionRow, ops: _Operands) -> Finding:
    stated = _stated_multiple(m)
    how = hedge(m)
    low, high = BANDS[how]
    ratio = ops.ratio
    # 0.86 GB (0.25 倍) of 3.44 GB: a multiple below one states the smaller level as a part of the larger.
    r = rounding(m) if how == "exact" and not is_ratio(m) else 0.0  # "3x" is any ratio that rounds to 3
    ok = any(low * s - r <= (ratio if s >= 1 else 1 / ratio) <= high * s + r for s in stated)
    a, b = doc.text[ops.first.start:ops.first.end], doc.text[ops.second.start:ops.second.end]
    said = doc.text[m.start:m.end]
    observed = f"{_fmt(ratio)}× (+{_fmt((ratio - 1) * 100)}%)"
    big, small = (a, b) if (ops.first.value or 0) >= (ops.second.value or 0) else (b, a)
    return _arithmetic(doc, m, ops, ok,
                       f"{big} against {small} is {observed}, consistent with the stated “{said}” ({how}).",
                       f"{a} → {b} is {observed}, which does not match the stated “{said}”.")


def _arithmetic(doc: DocumentRow, m: AssertionRow, ops: _Operands, ok: bool, agrees: str, disagrees: str) -> Finding:
    """The arithmetic finding for a stated figure ``m`` and its operands, quoting all three."""
    spans = (_span(doc, ops.first), _span(doc, ops.second), _span(doc, m))
    if ok:
        return Finding("numbers.arithmetic_consistent", "info", agrees, doc.id, spans,
                       claim_id=m.claim_id, assertion_id=m.id)
    return Finding("numbers.arithmetic_inconsistent", "warning", disagrees, doc.id, spans,
                   claim_id=m.claim_id, assertion_id=m.id)


def _difference_finding(doc: DocumentRow, m: AssertionRow, ops: _Operands) -> Finding:
    """A stated absolute change (增加了8.9万亿元) against the two levels it is the difference of."""
    assert m.value is not None
    observed = abs((ops.second.value or 0.0) - (ops.first.value or 0.0))
    low, high = BANDS[hedge(m)]
    ok = m.unit == ops.first.unit and observed > 0 and low <= abs(m.value) / observed <= high
    a, b = doc.text[ops.first.start:ops.first.end], doc.text[ops.second.start:ops.second.end]
    said = doc.text[m.start:m.end]
    shown = _fmt(observed / abs(m.value) * _printed_number(m)) if m.value else _fmt(observed)
    return _arithmetic(doc, m, ops, ok,
                       f"{a} and {b} differ by {shown}, consistent with the stated “{said}” ({hedge(m)}).",
                       f"{a} and {b} differ by {shown} (in the unit of “{said}”), not by the stated “{said}”.")


def _printed_number(a: AssertionRow) -> float:
    """The number as printed in the surface (8.9 of 8.9万亿元), to state a result in the same words."""
    digits = _PRINTED.findall(unicodedata.normalize("NFKC", a.surface).replace(",", ""))
    return float(digits[-1]) if digits else abs(a.value or 0.0)


# --------------------------------------------------------------------------- percentages


def check_impossible_percentages(corpus: Corpus) -> list[Finding]:
    """A share above 100% (growth rates may exceed 100%, shares of a whole may not)."""
    docs = _docs(corpus)
    out: list[Finding] = []
    for a in corpus.assertions:
        if not is_ratio(a) or a.is_delta or a.change is not None or a.measure not in (None, "share"):
            continue  # a growth rate or multiple may exceed 100%; only a share of a whole may not
        top = max((v for v in (a.value, a.value_max) if v is not None), default=None)
        pct = as_percent(a, top)
        if pct is None or pct <= 100:
            continue
        doc = docs[a.document_id]
        # No field says "share of a whole" yet: the words before the number and its subject do.
        before = unicodedata.normalize("NFKC", doc.text[max(0, a.start - 15):a.start])
        if not (_SHARE.search(before) or _SHARE.search(a.subject or "")):
            continue
        out.append(Finding("numbers.impossible_percentage", "error",
                           f"A share cannot exceed 100%, but “{doc.text[a.start:a.end]}” states {_fmt(pct)}%.",
                           doc.id, (_span(doc, a),), claim_id=a.claim_id, assertion_id=a.id))
    return out


def check_fraction_pairs(corpus: Corpus) -> list[Finding]:
    """The same proportion stated two ways side by side (超八成（85%）) that disagree."""
    docs = _docs(corpus)
    out: list[Finding] = []
    for doc_id, rows in _by_doc(corpus).items():
        doc = docs[doc_id]
        ratios = [a for a in rows if is_ratio(a) and not a.is_delta]
        for a, b in zip(ratios, ratios[1:]):
            gap = doc.text[a.end:b.start]
            pa, pb = as_percent(a), as_percent(b)
            if pa is None or pb is None or len(gap) > 6 or not _PAIR_GAP.match(unicodedata.normalize("NFKC", gap)):
                continue
            if re.search(r"或|\bor\b", gap) and _written_alike(a, b):
                continue  # 0%或100%: two alternatives written alike, not one proportion restated
            hedged = "exact" not in (hedge(a), hedge(b))
            if abs(pa - pb) <= (5.0 if hedged else 1.0):
                continue
            out.append(Finding("numbers.fraction_mismatch", "warning",
                               f"“{doc.text[a.start:a.end]}” ({_fmt(pa)}%) and “{doc.text[b.start:b.end]}” "
                               f"({_fmt(pb)}%) state the same proportion differently.",
                               doc.id, (_span(doc, a), _span(doc, b)), claim_id=a.claim_id, assertion_id=a.id))
    return out


def _written_alike(a: AssertionRow, b: AssertionRow) -> bool:
    """Both printed as percentages (or both in words): a restatement changes the form (三分之一或33%)."""
    return ("%" in a.surface or "％" in a.surface) == ("%" in b.surface or "％" in b.surface)


# --------------------------------------------------------------------------- conflicts


def rounding(a: AssertionRow) -> float:
    """Half a unit of the last digit printed: 14.17万亿 and 14.2万亿 are the same figure rounded.

    The printed digits are the last run of digits in the surface; the stored
    value divided by them gives the scale (万亿, %), so the margin is in the
    stored value's units.
    """
    digits = _PRINTED.findall(unicodedata.normalize("NFKC", a.surface).replace(",", ""))
    if not digits or a.value is None:
        return 0.0
    printed = digits[-1]
    shown = float(printed)
    if shown == 0:
        return 0.0
    decimals = len(printed.partition(".")[2])
    return 0.5 * 10 ** -decimals * abs(a.value / shown)


def bounds(a: AssertionRow) -> tuple[float, float]:
    """The interval a stated value allows: its range or bound, a hedge's 10%, and its printed rounding.

    Ratios stay fractions of one, so two ratio rows compare without rescaling.
    """
    v = a.value if a.value is not None else 0.0
    r = rounding(a)
    if a.qualifier == "range" and a.value_max is not None:
        return (min(v, a.value_max) - r, max(v, a.value_max) + r)
    if a.qualifier in ("more_than", "at_least"):
        return (v - r, float("inf"))
    if a.qualifier in ("less_than", "at_most"):
        return (float("-inf"), v + r)
    margin = abs(v) * 0.1 if a.qualifier in ("approx", "nearly") else r
    return (v - margin, v + margin)


ConflictKey = tuple[str, str, str, str, str, str, str]


def comparison_key(a: AssertionRow) -> ConflictKey | None:
    """What two figures must share to be about the same thing: indicator, period, measure, role, unit.

    Scope is compared separately (a figure without one is only comparable in
    its own document).  A figure without an indicator, period or measure is
    not comparable at all: a check must not guess what it is about.
    """
    if a.value is None or not (a.indicator and a.period and a.measure and a.role):
        return None
    unit = "ratio" if a.is_ratio else (a.unit or "")
    return (a.indicator, a.period, a.measure, a.role, unit, a.per or "", a.unit_kind or "")


def same_statement_subject(a: AssertionRow, b: AssertionRow) -> bool:
    """Two figures of a tabled indicator in two documents are about the same thing; otherwise the
    writers must also have named it the same way.

    A document rarely contradicts itself: two of its figures that share an
    indicator but not a subject are far more often two different things the
    indicator table folds together (出口 of one product and of another).  An
    indicator outside the table is a cleaned subject, so the printed subjects
    are compared too.
    """
    if a.document_id != b.document_id and tabled(a) and tabled(b):
        return True
    return _folded(a.subject) == _folded(b.subject) != ""


def _specific(a: AssertionRow) -> bool:
    """Does the figure name what it counts closely enough to be held against another figure?

    A tabled indicator does; so does a subject of several words.  A bare class
    noun of one or two characters (11家企业入选…, 5个县区被命名…, 2项制度…, 完成投资超万亿元)
    says which kind of thing, not which ones: the rest of its clause tells them
    apart, and figures of one report about 企业 are nearly always different sets.
    """
    if tabled(a):
        return True
    name = _folded(a.subject or a.indicator)
    return not (len(name) <= 2 and all(is_han(ch) for ch in name))


def _folded(subject: str | None) -> str:
    """Case, width, spaces and punctuation do not make a different subject."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", subject or "").lower() if ch.isalnum())


def same_scope(a: AssertionRow, b: AssertionRow) -> bool:
    """Two figures are about the same whose: equal scopes, or no scope within one document."""
    if a.scope and b.scope:
        return a.scope == b.scope
    return a.document_id == b.document_id and not a.scope and not b.scope


def check_conflicts(corpus: Corpus, *, max_per_group: int = 10) -> list[Finding]:
    """Figures of one indicator, scope, period, measure and role whose values cannot both hold."""
    docs = _docs(corpus)
    groups: dict[ConflictKey, list[AssertionRow]] = defaultdict(list)
    for a in corpus.assertions:
        if a.role == "actual" and _specific(a) and not _against_older_base(a, docs[a.document_id].text) \
                and (key := comparison_key(a)) is not None:
            groups[key].append(a)
    out: list[Finding] = []
    for rows in groups.values():
        found = 0
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                if found >= max_per_group or not same_scope(a, b) or not same_statement_subject(a, b) \
                        or _one_paragraph(a, b, docs) or compatible(a, b):
                    continue
                found += 1
                out.append(_conflict_finding(a, b, docs))
    return out


_BASE_YEAR = re.compile(r"(?:与|同|比|较)\s*((?:19|20)\d{2})\s*年(?:底|末)?")


def _against_older_base(a: AssertionRow, text: str) -> bool:
    """A change measured from a base several years back (2005年与2000年相比，增长57.3%; 比1995年增加920亿美元).

    Its period is the year it ends in, like the year's own change (比上年增长9.9%), but
    the two are different quantities: five years of growth and one.
    """
    if a.measure not in ("growth_rate", "change", "multiple") or not a.period or not a.period[:4].isdigit():
        return False
    ends = [m.end() for m in _SENTENCE_END.finditer(text, max(0, a.start - 300), a.start)]
    start = ends[-1] if ends else max(0, a.start - 300)
    end_year = int(a.period.split("/")[-1][:4])
    return any(int(m.group(1)) < end_year - 1 for m in _BASE_YEAR.finditer(text, start, a.start))


def _one_paragraph(a: AssertionRow, b: AssertionRow, docs: dict[int, DocumentRow]) -> bool:
    """Two figures of one paragraph are a list or a breakdown (城市…13.1%，农村…17.7%), not two claims
    about one thing: a document that contradicts itself does so between passages."""
    if a.document_id != b.document_id:
        return False
    first, second = sorted((a, b), key=lambda r: r.start)
    return "\n" not in docs[a.document_id].text[first.end:second.start]


def compatible(a: AssertionRow, b: AssertionRow) -> bool:
    """Can both values hold, given ranges, bounds, hedges and rounding?"""
    (lo1, hi1), (lo2, hi2) = bounds(a), bounds(b)
    return lo1 <= hi2 + 1e-12 and lo2 <= hi1 + 1e-12


def _conflict_finding(a: AssertionRow, b: AssertionRow, docs: dict[int, DocumentRow]) -> Finding:
    da, db = docs[a.document_id], docs[b.document_id]
    where = "elsewhere in the same document"
    if da.id != db.id:
        where = f"in {db.title or source_name(db.source)}"
        dated = [date_key(d.published or d.title) for d in (da, db)]
        if all(dated) and dated[0] != dated[1]:
            where += " (the later document may give a revised figure)"
    whose = f"{a.indicator} ({a.scope}, {a.period})" if a.scope else f"{a.indicator} ({a.period})"
    return Finding("numbers.conflict", "warning",
                   f"“{da.text[a.start:a.end]}” for {whose} conflicts with “{db.text[b.start:b.end]}” "
                   f"stated {where}.",
                   da.id, (_span(da, a), _span(db, b)), claim_id=a.claim_id, assertion_id=a.id)


# --------------------------------------------------------------------------- staleness


def check_stale(corpus: Corpus, *, max_age: int = 5) -> list[Finding]:
    """A figure in a claim whose time scope is more than ``max_age`` years before publication."""
    docs = _docs(corpus)
    out: list[Finding] = []
    for a in corpus.assertions:
        doc = docs[a.document_id]
        published = date_key(doc.published)
        years = [int(y) for y in _YEAR.findall(a.time_scope or "")]
        if a.claim_id is None or published is None or not years or published[0] - max(years) <= max_age:
            continue
        out.append(Finding("numbers.stale", "info",
                           f"The figure refers to {a.time_scope}, {published[0] - max(years)} years before "
                           f"the document was published ({doc.published}).",
                           doc.id, (_span(doc, a),), claim_id=a.claim_id, assertion_id=a.id))
    return out


NUMBER_CHECKS = (check_arithmetic, check_impossible_percentages, check_fraction_pairs,
                 check_conflicts, check_stale)
