"""Section tense and scenarios (extractors.claims.context): the context the learned scorer reads.

The report and post texts below are our own, written in the shape of a
government work report and of a policy brief.
"""

from __future__ import annotations

from extractors.claims.context import scenario_flags, section_frames, sentence_tenses, tense_at
from extractors.claims.rules import CONTEXT_IDS, judge_sentence
from extractors.numbers import assertions as num

REPORT = """各位代表：

现在，我代表市政府向大会报告工作，请予审议。

一、2025年工作回顾

过去一年，全市地区生产总值增长百分之五点八。实施三孩生育政策。

二、2026年经济社会发展总体要求和主要目标

今年全市地区生产总值预期增长百分之五左右。实施三孩生育政策。

三、坚持扩大内需

加快建设城市轨道交通。

四、关于政府自身建设

深入推进依法行政。
"""


def _at(text: str, needle: str, occurrence: int = 0) -> int:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start


def test_review_then_plans_then_topic_chapters_that_continue_the_plans() -> None:
    frames = section_frames(REPORT)
    assert [(f.heading[:2], f.tense) for f in frames] == [
        ("一、", "retrospective"), ("二、", "prospective"), ("三、", "prospective"), ("四、", "prospective")]
    assert tense_at(frames, _at(REPORT, "现在")) is None  # the preamble has no section tense
    same = "实施三孩生育政策。"
    assert tense_at(frames, _at(REPORT, same, 0)) == "retrospective"
    assert tense_at(frames, _at(REPORT, same, 1)) == "prospective"
    assert sentence_tenses(REPORT, [_at(REPORT, "加快"), _at(REPORT, "深入")]) == ("prospective", "prospective")


def test_text_without_top_level_headings_has_no_tense() -> None:
    post = "我们发布了新的数据集。\n\n它包含十二万条样本。\n\n### 小节标题\n\n1.2 数据来源\n"
    assert section_frames(post) == ()
    assert sentence_tenses(post, [0, 12]) == (None, None)


def test_a_task_heading_naming_a_year_is_not_a_review() -> None:
    text = "一、2026年工作回顾与主要任务\n\n正文。\n"
    assert [f.tense for f in section_frames(text)] == ["prospective"]


def test_english_headings() -> None:
    text = "Background\n\n# Review of 2024\n\nExports rose 7%.\n\n# Recommendations\n\nRegulators should act.\n"
    frames = section_frames(text)
    assert [f.tense for f in frames] == ["retrospective", "prospective"]


def _spans(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    spans, at = [], 0
    for s in sentences:
        at = text.index(s, at)
        spans.append((at, at + len(s)))
        at += len(s)
    return spans


def test_a_scenario_runs_while_its_sentences_stay_conditional() -> None:
    sentences = ["Consider a city that buys 4,000 buses a year.",
                 "At a price of $500,000 each the bill would be $2 billion.",
                 "Even if prices fall by 10%, the bill stays above $1.8 billion.",
                 "The city bought 3,100 buses in 2023."]
    text = " ".join(sentences)
    assert scenario_flags(text, _spans(text, sentences)) == (True, True, True, False)


def test_a_paragraph_break_ends_a_scenario_and_chinese_openers_count() -> None:
    sentences = ["假设一家企业每月调用十亿次接口。", "按每百万次二十元计算，成本将会是两万元。", "该公司去年营收三千万元。"]
    text = sentences[0] + sentences[1] + "\n\n" + sentences[2]
    assert scenario_flags(text, _spans(text, sentences)) == (True, True, False)
    broken = sentences[0] + "\n\n" + sentences[1]
    assert scenario_flags(broken, _spans(broken, sentences[:2])) == (True, False)


def test_consider_the_data_is_not_a_scenario() -> None:
    text = "Consider the figures in Table 2: exports rose 7% in 2024."
    assert scenario_flags(text, [(0, len(text))]) == (False,)


def test_context_ids_are_recorded_and_a_scenario_is_gated() -> None:
    text = "去年全市新增城镇就业三十二万人。"
    judged = judge_sentence(text, language="zh", numbers=num.extract(text), section="retrospective")
    assert "context.retrospective" in judged.cues and "context.retrospective" in CONTEXT_IDS
    plain = judge_sentence(text, language="zh", numbers=num.extract(text))
    assert plain.score == judged.score  # the context never moves the rules' own score
    gated = judge_sentence(text, language="zh", numbers=num.extract(text), scenario=True)
    assert "gate.hypothetical" in gated.cues and not gated.is_claim


def test_a_sentence_that_only_describes_its_own_figure_is_gated() -> None:
    text = "图2比较了两省在三类项目上的投资结构情况。"
    judged = judge_sentence(text, language="zh", numbers=num.extract(text))
    assert "gate.figure_description" in judged.cues and not judged.is_claim
    stated = "图2显示，2024年全省算力规模达到280 EFLOPS。"
    assert "gate.figure_description" not in judge_sentence(stated, language="zh", numbers=num.extract(stated)).cues


def test_the_default_run_claims_a_past_act_in_the_review_and_not_the_same_words_as_a_task() -> None:
    from extractors.document import extract_document

    act = "全市第二条城际铁路开通运营，沿江高速公路扩容工程通车。"
    text = f"一、2025年工作回顾\n\n{act}\n\n二、2026年政府工作任务\n\n{act}\n"
    doc = extract_document(text.encode("utf-8"), source="report.txt")
    claimed = {doc.sentences[c.sentence].start for c in doc.claims}
    review, plan = (s for s in doc.sentences if s.text == act)
    assert review.start in claimed and "context.retrospective" in review.cues
    assert plan.start not in claimed and "context.prospective" in plan.cues
    assert review.checkworthiness > plan.checkworthiness
