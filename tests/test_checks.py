"""The audit checks over hand-built corpora (pure: no database, no extractor)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from db.queries import (
    AssertionRow,
    CitationRow,
    ClaimRow,
    Corpus,
    DocumentRow,
    FootnoteRefRow,
    FootnoteRow,
)
from reports.checks import attribution_cue, is_web_only, run_checks
from reports.numbers import as_percent, check_arithmetic, check_conflicts

# Short sentences quoted from seed 004 (and invented variants of them).
PRICE = "ＯｐｅｎＡＩ的ｏ１每输出１００万ｔｏｋｅｎｓ⑤收费４３８元，而ＤｅｅｐＳｅｅｋ－Ｒ１只需１６元。这将近３０倍的价差"
SHARE = "数据显示，中国在 ＡＩ芯片领域仍高度依赖海外供应，超八成来自美国①。"


def doc(text: str, *, id: int = 1, published: str | None = "2025-03-01") -> DocumentRow:
    return DocumentRow(id, f"doc{id}.txt", "text", f"Doc {id}", "zh", published, text, len(text))


def num(d: DocumentRow, surface: str, value: float, *, id: int, unit: str | None, kind: str, nth: int = 0,
        **kw) -> AssertionRow:
    """A stored number as the extractor writes it: canonical unit, typed kind, ratios as fractions of one."""
    start = _find(d.text, surface, nth)
    fields = dict(claim_id=None, page=1, value_max=None, qualifier="exact", subject=None, time_scope=None,
                  change=None, is_delta=False, per=None)
    fields.update(kw)
    return AssertionRow(id=id, document_id=d.id, start=start, end=start + len(surface), surface=surface,
                        value=value, unit=unit, unit_kind=kind, **fields)  # type: ignore[arg-type]


def extracted_rows(text: str) -> tuple[AssertionRow, ...]:
    """The numbers extractor's real output for ``text``, as the store would hand it to the checks."""
    numbers = pytest.importorskip("extractors.numbers.assertions")
    return tuple(AssertionRow(i, 1, None, 1, n.start, n.end, n.surface, n.value, n.value_max, n.unit, n.qualifier,
                              n.subject, n.time_scope, n.change, n.is_delta, n.per, n.rule_id, n.unit_kind)
                 for i, n in enumerate(numbers.extract(text), start=1))


def claim(d: DocumentRow, text: str, *, id: int = 1, kind: str = "statistical", **kw) -> ClaimRow:
    start = _find(d.text, text)
    return ClaimRow(id, d.id, 1, start, start + len(text), text, kind, 0.8, **kw)


def _find(text: str, part: str, nth: int = 0) -> int:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(part, pos + 1)
    return pos


def checks_named(findings, name):  # type: ignore[no-untyped-def]
    return [f for f in findings if f.check == name]


def test_checks_arithmetic_seed_price_gap_is_consistent() -> None:
    d = doc(PRICE)
    rows = (
        num(d, "１００万", 1e6, id=1, unit="tokens", kind="count"),
        num(d, "４３８元", 438, id=2, unit="CNY", kind="currency", per="1000000 tokens"),
        num(d, "１６元", 16, id=3, unit="CNY", kind="currency"),
        num(d, "将近３０倍", 30, id=4, unit="x", kind="multiple", qualifier="nearly"),
    )
    [f] = check_arithmetic(Corpus(documents=(d,), assertions=rows))
    assert f.check == "numbers.arithmetic_consistent" and f.severity == "info"
    assert [s.text for s in f.spans] == ["４３８元", "１６元", "将近３０倍"]
    assert all(d.text[s.start:s.end] == s.text for s in f.spans)
    assert "27.4×" in f.message and f.assertion_id == 4


MULTIPLE_CASES = [
    # (text, first operand, second operand, stated multiple, its value, qualifier, change, verdict)
    ("收入从20亿元增长到50亿元，增长了三倍。", "20亿元", "50亿元", "三倍", 3, "exact", "increase",
     "numbers.arithmetic_inconsistent"),
    ("收入从20亿元增长到60亿元，增长了两倍。", "20亿元", "60亿元", "两倍", 2, "exact", "increase",
     "numbers.arithmetic_consistent"),
    ("A卖100元，B卖10元，是B的10倍。", "100元", "10元", "10倍", 10, "exact", None, "numbers.arithmetic_consistent"),
    ("A卖100元，B卖10元，是B的将近20倍。", "100元", "10元", "将近20倍", 20, "nearly", None,
     "numbers.arithmetic_inconsistent"),
    # 12.5x: within "about 12" (0.85-1.15), above "nearly 12" (which allows at most 2% over).
    ("A卖100元，B卖8元，是B的约12倍。", "100元", "8元", "约12倍", 12, "approx", None, "numbers.arithmetic_consistent"),
    ("A卖100元，B卖8元，是B的将近12倍。", "100元", "8元", "将近12倍", 12, "nearly", None,
     "numbers.arithmetic_inconsistent"),
]


@pytest.mark.parametrize(("text", "a", "b", "m", "mv", "qualifier", "change", "check"), MULTIPLE_CASES)
def test_checks_arithmetic_multiples(text: str, a: str, b: str, m: str, mv: float, qualifier: str,
                                     change: str | None, check: str) -> None:
    d = doc(text)
    rows = (
        num(d, a, float(a.strip("亿元")) * (1e8 if "亿" in a else 1), id=1, unit="CNY", kind="currency"),
        num(d, b, float(b.strip("亿元")) * (1e8 if "亿" in b else 1), id=2, unit="CNY", kind="currency"),
        num(d, m, mv, id=3, unit="x", kind="multiple", qualifier=qualifier, change=change,
            is_delta=change is not None),
    )
    [f] = check_arithmetic(Corpus(documents=(d,), assertions=rows))
    assert f.check == check
    assert [s.text for s in f.spans] == [a, b, m]


@pytest.mark.parametrize(("text", "a", "b", "m", "mv", "qualifier", "change", "check"), MULTIPLE_CASES)
def test_checks_arithmetic_multiples_on_extracted_numbers(text: str, a: str, b: str, m: str, mv: float,
                                                          qualifier: str, change: str | None, check: str) -> None:
    """The hand-built rows above are what the extractor stores: same fields, same verdict."""
    rows = extracted_rows(text)
    stated = next(r for r in rows if r.surface == m)
    assert (stated.value, stated.unit_kind, stated.qualifier, stated.change) == (mv, "multiple", qualifier, change)
    [f] = check_arithmetic(Corpus(documents=(doc(text),), assertions=rows))
    assert f.check == check


def test_checks_arithmetic_growth_percentage_is_one_plus_the_fraction() -> None:
    d = doc("Sales rose from $2 billion to $5 billion, up 150%.")
    rows = (num(d, "$2 billion", 2e9, id=1, unit="USD", kind="currency"),
            num(d, "$5 billion", 5e9, id=2, unit="USD", kind="currency"),
            num(d, "150%", 1.5, id=3, unit="%", kind="percent", change="increase", is_delta=True))
    [f] = check_arithmetic(Corpus(documents=(d,), assertions=rows))
    assert f.check == "numbers.arithmetic_consistent" and "2.5×" in f.message


def test_checks_arithmetic_needs_two_same_unit_operands() -> None:
    d = doc("价格为438元，用户达100万人，这将近30倍。")
    rows = (num(d, "438元", 438, id=1, unit="CNY", kind="currency"),
            num(d, "100万人", 1e6, id=2, unit="人", kind="count"),
            num(d, "将近30倍", 30, id=3, unit="x", kind="multiple", qualifier="nearly"))
    assert check_arithmetic(Corpus(documents=(d,), assertions=rows)) == []


def test_checks_attributed_unsourced_with_dangling_marker() -> None:
    d = doc(SHARE)
    c = claim(d, SHARE, attribution_cue="数据显示")
    marker = d.text.index("①")
    ref = FootnoteRefRow(1, d.id, 82, "①", marker, marker + 1, None)
    findings = run_checks(Corpus(documents=(d,), claims=(c,), footnote_refs=(ref,)))
    [attr] = checks_named(findings, "sourcing.attributed_unsourced")
    assert "数据显示" in attr.message and "①" in attr.message and attr.claim_id == c.id
    [dangling] = checks_named(findings, "footnotes.dangling_ref")
    assert dangling.spans[0].text == "①" and dangling.spans[0].page == 82 and dangling.claim_id == c.id
    assert checks_named(findings, "sourcing.uncited_claim") == []


@pytest.mark.parametrize(
    ("text", "cue", "expected"),
    [("据统计，去年销量增长5%。", None, "据统计"), ("According to the ministry, output fell 3%.", None, "According to"),
     ("Output fell 3% last year.", None, None), ("Output fell 3%.", "data show", "data show")],
)
def test_checks_attribution_cue(text: str, cue: str | None, expected: str | None) -> None:
    d = doc(text)
    assert attribution_cue(claim(d, text, attribution_cue=cue)) == expected


def test_checks_cited_claim_is_not_flagged_and_orphan_body_is() -> None:
    text = "产量增长5%①。\n①国家统计局：《统计公报》，2024年。\n②无人引用的注释。"
    d = replace(doc(text), body_end=text.index("\n"))
    c = claim(d, "产量增长5%①。", citation_ids=(1,))
    f1s = text.index("国家")
    f2s = text.index("无人")
    notes = (FootnoteRow(1, 1, 1, "①", f1s, text.index("\n②"), text[f1s:text.index("\n②")]),
             FootnoteRow(2, 1, 1, "②", f2s, len(text), text[f2s:]))
    ref = FootnoteRefRow(1, 1, 1, "①", text.index("①"), text.index("①") + 1, 1)
    cite = CitationRow(1, 1, 1, 1, f1s, notes[0].end, notes[0].body, "report", title="统计公报", year=2024)
    findings = run_checks(Corpus(documents=(d,), claims=(c,), footnotes=notes, footnote_refs=(ref,),
                                 citations=(cite,)))
    assert not [f for f in findings if f.check.startswith("sourcing.")]
    [orphan] = checks_named(findings, "footnotes.orphan_body")
    assert orphan.footnote_id == 2 and orphan.spans[0].text == "无人引用的注释。"
    [incomplete] = checks_named(findings, "citations.incomplete")
    assert "container" in incomplete.message and "year" not in incomplete.message


def test_checks_web_only_and_after_publication() -> None:
    text = "全国用户超过5亿人。来源：https://weibo.com/123 2026年5月"
    d = doc(text, published="2025-03-01")
    s = text.index("https")
    cite = CitationRow(1, 1, None, 1, s, len(text), text[s:], "web", url="https://weibo.com/123",
                       year=2026, date="2026-05", container="微博")
    c = claim(d, "全国用户超过5亿人。", citation_ids=(1,))
    findings = run_checks(Corpus(documents=(d,), claims=(c,), citations=(cite,)))
    [web] = checks_named(findings, "citations.web_only")
    assert web.citation_id == 1 and [sp.text for sp in web.spans] == ["全国用户超过5亿人。", text[s:]]
    [late] = checks_named(findings, "citations.after_publication")
    assert "2026-05" in late.message


@pytest.mark.parametrize(
    ("url", "container", "expected"),
    [("https://www.zhihu.com/question/1", None, True), ("https://foo.substack.com/p/x", None, True),
     ("https://www.stats.gov.cn/sj/", "国家统计局", False), (None, "新浪微博", True), ("https://x.com/a/1", None, True),
     ("https://box.com/a", None, False),
     # A company's own blog is no personal blog, even on a platform's subdomain (Meta's research blog).
     ("https://www.databricks.com/blog/llm-training", "https://www.databricks.com/blog/llm-training", False),
     ("https://ai.facebook.com/blog/multilingual-model-speech-recognition/", None, False),
     ("https://www.facebook.com/somebody/posts/1", None, True), ("https://old.reddit.com/r/x/comments/1", None, True),
     # …while a platform's other subdomains are still the platform: a CSDN blog, a Zhihu column.
     ("https://blog.csdn.net/someone/article/details/1", None, True), ("https://zhuanlan.zhihu.com/p/1", None, True)],
)
def test_checks_is_web_only(url: str | None, container: str | None, expected: bool) -> None:
    assert is_web_only(CitationRow(1, 1, None, 1, 0, 1, "x", "web", url=url, container=container)) is expected


def test_checks_impossible_percentage_only_for_shares() -> None:
    text = "国产芯片占市场份额的120%。营收增长了150%。"
    d = doc(text)
    rows = (num(d, "120%", 1.2, id=1, unit="%", kind="percent"),
            num(d, "150%", 1.5, id=2, unit="%", kind="percent", change="increase", is_delta=True))
    findings = run_checks(Corpus(documents=(d,), assertions=rows))
    [f] = checks_named(findings, "numbers.impossible_percentage")
    assert f.assertion_id == 1 and f.severity == "error"


def test_checks_impossible_percentage_written_in_words() -> None:
    """百分之一百二十 is stored as 1.2 like 120%; a scale guessed from the surface read it as 1.2%."""
    text = "国产芯片占市场份额的百分之一百二十。"
    findings = run_checks(Corpus(documents=(doc(text),), assertions=extracted_rows(text)))
    [f] = checks_named(findings, "numbers.impossible_percentage")
    assert "120%" in f.message


def test_checks_percentage_points_are_not_ratios() -> None:
    """"150 percentage points" is a difference of shares, not a share: it cannot be an impossible share."""
    text = "The share of imports is above target by 150 percentage points."
    d = doc(text)
    rows = (num(d, "150 percentage points", 150, id=1, unit="pp", kind="points", subject="The share of imports"),)
    assert checks_named(run_checks(Corpus(documents=(d,), assertions=rows)), "numbers.impossible_percentage") == []


def test_checks_fraction_stated_two_ways() -> None:
    text = "超八成（65%）来自美国，三成（30%）来自欧洲。"
    d = doc(text)
    rows = (num(d, "超八成", 0.8, id=1, unit="%", kind="percent", qualifier="more_than"),
            num(d, "65%", 0.65, id=2, unit="%", kind="percent"),
            num(d, "三成", 0.3, id=3, unit="%", kind="percent"), num(d, "30%", 0.3, id=4, unit="%", kind="percent"))
    findings = checks_named(run_checks(Corpus(documents=(d,), assertions=rows)), "numbers.fraction_mismatch")
    assert [f.assertion_id for f in findings] == [1]


COMPUTE = dict(indicator="算力规模", scope="中国", period="2024", measure="level", role="actual", better="higher")


def test_checks_conflicts_across_documents_and_stale_figures() -> None:
    d1 = doc("2024年全国算力规模达到780 EFLOPS。", id=1)
    d2 = doc("2024年，全国算力规模为 500 EFLOPS。", id=2, published="2025-01-01")
    d3 = doc("2024年全国算力规模约800 EFLOPS。", id=3)
    rows = (
        num(d1, "780 EFLOPS", 780, id=1, unit="EFLOPS", kind="measure", subject="全国算力规模", time_scope="2024",
            **COMPUTE),
        num(d2, "500 EFLOPS", 500, id=2, unit="EFLOPS", kind="measure", subject="全国 算力规模", time_scope="2024",
            **COMPUTE),
        num(d3, "约800 EFLOPS", 800, id=3, unit="EFLOPS", kind="measure", subject="全国算力规模", time_scope="2024",
            qualifier="approx", **COMPUTE),
    )
    findings = run_checks(Corpus(documents=(d1, d2, d3), assertions=rows))
    conflicts = checks_named(findings, "numbers.conflict")
    assert sorted((f.spans[0].document_id, f.spans[1].document_id) for f in conflicts) == [(1, 2), (2, 3)]
    old = doc("2012年用户为3亿人。", id=4, published="2025-06-01")
    stale = num(old, "3亿人", 3e8, id=5, unit="人", kind="count", time_scope="2012年", claim_id=9)
    [f] = checks_named(run_checks(Corpus(documents=(old,), assertions=(stale,))), "numbers.stale")
    assert "13 years" in f.message


@pytest.mark.parametrize(("surface", "value", "unit", "kind", "pct"), [
    ("43%", 0.43, "%", "percent", 43), ("八成", 0.8, "%", "percent", 80), ("５‰", 0.005, "‰", "permille", 0.5),
    ("三分之一", 1 / 3, None, "fraction", 100 / 3), ("百分之一百五十", 1.5, "%", "percent", 150)])
def test_checks_as_percent_scales(surface: str, value: float, unit: str | None, kind: str, pct: float) -> None:
    """Ratios are fractions of one whatever the spelling: the percent is the value times 100, no guessing."""
    d = doc(surface)
    assert as_percent(num(d, surface, value, id=1, unit=unit, kind=kind)) == pytest.approx(pct)


GDP = dict(indicator="国内生产总值", scope="中国", period="2024", measure="growth_rate", role="actual",
           better="higher")


@pytest.mark.parametrize(("first", "second", "conflict"), [
    # hedged and exact: 5%左右 allows 5.2%
    (("5%左右", 0.05, {"qualifier": "approx"}), ("5.2%", 0.052, {}), False),
    # printed rounding: 14.17 and 14.2 are one figure
    (("14.17%", 0.1417, {}), ("14.2%", 0.142, {}), False),
    # a bound holds the other value
    (("5%以上", 0.05, {"qualifier": "at_least"}), ("8.1%", 0.081, {}), False),
    # two exact values that cannot both hold
    (("5%", 0.05, {}), ("5.8%", 0.058, {}), True),
    # another region's figure is not the same figure
    (("4.7%", 0.047, {"scope": "广东省"}), ("5%", 0.05, {"scope": "江苏省"}), False),
    # another year
    (("4.7%", 0.047, {"period": "2023"}), ("5%", 0.05, {}), False),
    # another indicator
    (("4.7%", 0.047, {"indicator": "居民消费价格"}), ("5%", 0.05, {}), False),
    # a target and an outcome pair, they do not conflict
    (("5.5%左右", 0.055, {"role": "target", "qualifier": "approx"}), ("3%", 0.03, {}), False),
])
def test_checks_conflict_needs_same_indicator_scope_period_measure_and_role(
        first: tuple[str, float, dict], second: tuple[str, float, dict], conflict: bool) -> None:
    d1, d2 = doc(f"报告说增长{first[0]}。", id=1), doc(f"另一份说增长{second[0]}。", id=2)
    a = num(d1, first[0], first[1], id=1, unit="%", kind="percent", **{**GDP, **first[2]})
    b = num(d2, second[0], second[1], id=2, unit="%", kind="percent", **{**GDP, **second[2]})
    found = check_conflicts(Corpus(documents=(d1, d2), assertions=(a, b)))
    assert bool(found) is conflict


def test_checks_conflict_ignores_figures_without_meaning() -> None:
    """Two numbers that only share a printed subject are not known to be the same figure."""
    d1, d2 = doc("年均增长4.7%。", id=1), doc("年均增长5%。", id=2)
    rows = (num(d1, "4.7%", 0.047, id=1, unit="%", kind="percent", subject="年均"),
            num(d2, "5%", 0.05, id=2, unit="%", kind="percent", subject="年均"))
    assert check_conflicts(Corpus(documents=(d1, d2), assertions=rows)) == []


def test_checks_fraction_pair_is_a_restatement_not_a_list() -> None:
    text = "两项指标分别增长30%、50%。"
    d = doc(text)
    rows = (num(d, "30%", 0.3, id=1, unit="%", kind="percent"), num(d, "50%", 0.5, id=2, unit="%", kind="percent"))
    assert checks_named(run_checks(Corpus(documents=(d,), assertions=rows)), "numbers.fraction_mismatch") == []


def test_checks_arithmetic_does_not_borrow_operands_from_the_next_sentence() -> None:
    d = doc("企业总数已超过1000家，较2018年增长近20倍。2025年1月，美国又将25家企业列入清单。")
    rows = (num(d, "超过1000家", 1000, id=1, unit="家", kind="count", qualifier="more_than"),
            num(d, "近20倍", 20, id=2, unit="x", kind="multiple", qualifier="nearly", change="increase", is_delta=True),
            num(d, "25家", 25, id=3, unit="家", kind="count"))
    assert [(r.surface, r.unit_kind, r.qualifier) for r in extracted_rows(d.text)] == [
        (r.surface, r.unit_kind, r.qualifier) for r in rows]
    assert check_arithmetic(Corpus(documents=(d,), assertions=rows)) == []


def test_checks_arithmetic_on_extracted_numbers() -> None:
    """The numbers extractor's real output for seed 004's price sentence (normalized)."""
    text = "OpenAI的o1每输出100万tokens收费438元，而DeepSeek-R1只需16元。这将近30倍的价差使得硬件成本不再是模型门槛。"
    d = doc(text)
    [f] = check_arithmetic(Corpus(documents=(d,), assertions=extracted_rows(text)))
    assert f.check == "numbers.arithmetic_consistent"
    assert [s.text for s in f.spans] == ["438元", "16元", "将近30倍"]


def test_checks_arithmetic_ignores_operands_of_an_unrelated_earlier_sentence() -> None:
    """Regression: "41 days … 23 days." then "Calls rose by 37%." is no arithmetic claim about the days."""
    d = doc("Eastbrook recorded 41 days above 30 degrees in 2024, against 23 days on average.¹ "
            "Heat-related ambulance calls rose by 37% over the same comparison.")
    rows = (
        num(d, "41 days", 41, id=1, unit="day", kind="duration"),
        num(d, "23 days", 23, id=2, unit="day", kind="duration"),
        num(d, "37%", 0.37, id=3, unit="%", kind="percent", change="increase", is_delta=True),
    )
    assert check_arithmetic(Corpus(documents=(d,), assertions=rows)) == []


def test_checks_uncited_claim_is_info_when_the_document_lists_general_sources() -> None:
    text = "据估算，全国智算规模约为300 EFLOPS。\n\n- 某研究院：《算力报告》，2025"
    d = doc(text)
    d = replace(d, body_end=text.index("\n\n"))
    general = CitationRow(id=1, document_id=1, footnote_id=None, page=1, start=text.index("某"),
                          end=len(text), raw=text[text.index("某"):], kind="report")
    c = claim(d, "据估算，全国智算规模约为300 EFLOPS。")
    findings = checks_named(run_checks(Corpus(documents=(d,), claims=(c,), citations=(general,))),
                            "sourcing.uncited_claim")
    assert [f.severity for f in findings] == ["info"]
    assert "1 general source" in findings[0].message


def test_checks_conflict_within_a_document_needs_two_passages() -> None:
    """城市…13.1%，农村…17.7% in one paragraph is a breakdown; the same subject in two passages that disagree is not."""
    same = doc("2013年城乡低保标准分别提高13.1%和17.7%。")
    apart = doc("2013年城乡低保标准提高13.1%。\n\n回顾全年，2013年城乡低保标准提高17.7%。")
    meaning = dict(indicator="城乡低保标准", scope="中国", period="2013", measure="growth_rate", role="actual",
                   subject="城乡低保标准")
    for d, expected in ((same, 0), (apart, 1)):
        rows = (num(d, "13.1%", 0.131, id=1, unit="%", kind="percent", **meaning),
                num(d, "17.7%", 0.177, id=2, unit="%", kind="percent", **meaning))
        assert len(check_conflicts(Corpus(documents=(d,), assertions=rows))) == expected
