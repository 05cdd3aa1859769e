"""Where a sentence stands in its document: its section's tense, and whether it is inside a scenario.

A government work report reviews the past year ("一、2024年工作回顾") and then
sets the year's tasks ("二、2025年经济社会发展总体要求和政策取向",
"三、2025年政府工作任务"), and both parts are written in the same verb phrases:
"实施三孩生育政策。" reports a past act in the review and announces a task in the
plan.  Nothing inside such a sentence tells the two apart; its section does.
On the hand-labelled national reports (tests/gold/checkworthy_zh_*.tsv) 149 of
the 178 check-worthy sentences stand in a retrospective section and 11 in a
prospective one, so the learned scorer (:mod:`extractors.claims.model`) reads
the section as a feature.

The section comes from the document's top-level headings (official level 1,
``一、``, see :func:`extractors.lexicon.heading_level`; Markdown ``#``/``##`` and
short English headings also count): a heading that reviews ("回顾", "过去五年",
"成就", "Review", "Background") opens a retrospective section, one that plans
("任务", "部署", "总体要求", "建议", "Recommendations", "Outlook") a prospective
one, as does a chapter named by an imperative ("二、坚持实行扩大内需的方针"), and a
neutral heading after a prospective section continues it (reports put the
review first and number the task chapters by topic: "六、关于外交工作").  Text before the first heading, and documents without such headings
(most blog posts), have no section tense: the feature is then absent, not
guessed.

A *scenario* is a made-up case the author works through: "Consider an
enterprise that generates 2.5 billion tokens a month.  At a list price of $438
… the bill would be $1,095,000 …" or "假设一家企业每月…，按…计算，成本将为…".
Its figures are arithmetic on an assumption, not facts about the world, so the
opener and the conditional sentences after it in the same paragraph are
marked (:func:`scenario_flags`) and gated by the rules.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from extractors.lexicon import NUMBERED_HEADING, heading_level

SectionTense = Literal["retrospective", "prospective"]

#: A heading of a review: the past year(s), achievements, what was done.
_RETROSPECTIVE = re.compile(
    r"回顾|过去|[一二三四五六七八九十两\d]+年来|以来|工作成就|主要成就|取得的|成绩|总结"
    r"|\b(?:review|background|looking back|achievements|results|findings|what happened)\b",
    re.IGNORECASE)
#: A heading of plans: tasks, targets, requirements, proposals, outlook.
_PROSPECTIVE = re.compile(
    r"任务|部署|总体要求|政策取向|目标|建议|安排|展望|思路|下一步|今后|未来|意见|举措"
    r"|\b(?:recommendations?|outlook|next steps|the way forward|proposals?|policy options|priorities)\b",
    re.IGNORECASE)
#: A chapter of tasks named by its imperative ("二、坚持实行扩大内需的方针", "四、继续推进改革").
_IMPERATIVE = re.compile(
    r"^(?:坚持|加快|大力|继续|进一步|全面|切实|着力|深入|推进|加强|深化|扩大|促进|搞好|做好|持续|协调|努力|积极|把|以)")
#: A heading that lists tasks must not count as a review because it names a year ("2025年工作回顾与任务").
_PLAN_WORDS = re.compile(r"任务|部署|要求|安排|建议")
_MARKDOWN_TOP = re.compile(r"^#{1,2}\s+\S")
#: Headings are short lines; a long numbered line is a list item in running text.
MAX_HEADING = 40


#: A sentence that opens a made-up case.
SCENARIO_OPENER = re.compile(
    r"^\s*(?:(?:Consider|Suppose|Imagine|Assume|Picture)\b(?!\s+(?:that\s+)?(?:the|this|these|our|its|their)\s+"
    r"(?:report|data|figures?|table|chart|evidence)\b)|Let(?:'s| us) (?:say|assume|suppose|imagine)\b"
    r"|(?:(?:举个例子|例如|比如)\s*[，,]\s*)?(?:假设|假如|假定|设想|试想|不妨设|(?<=[，,])\s*(?:如果|倘若|要是)))", re.IGNORECASE)
#: A sentence that goes on with the case: conditional or hypothetical verbs.
_SCENARIO_GOES_ON = re.compile(
    r"\b(?:would|could|might)\b|^\s*(?:Even )?if\b|^\s*At (?:a|an|that|this)\b"
    r"|的话|将会|就会|则需|则为|那么|按[^，。]{1,20}(?:计算|测算)", re.IGNORECASE)
#: How many sentences after the opener a scenario may run (it ends earlier at a paragraph break).
SCENARIO_SPAN = 4


@dataclass(frozen=True, slots=True)
class SectionFrame:
    """From ``start`` (offset of the heading line) on, the text is in a section of ``tense`` (or None)."""

    start: int
    tense: SectionTense | None
    heading: str


def section_frames(text: str) -> tuple[SectionFrame, ...]:
    """The top-level sections of ``text`` in order, each with its tense (see the module docstring)."""
    frames: list[SectionFrame] = []
    state: SectionTense | None = None
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and len(stripped) <= MAX_HEADING and _is_top_heading(stripped):
            state = _tense_of(stripped, state)
            frames.append(SectionFrame(offset, state, stripped))
        offset += len(line) + 1
    return tuple(frames)


def tense_at(frames: Sequence[SectionFrame], offset: int) -> SectionTense | None:
    """The tense of the section holding ``offset`` (None before the first heading or without one)."""
    k = bisect.bisect_right([f.start for f in frames], offset) - 1
    return frames[k].tense if k >= 0 else None


def sentence_tenses(text: str, starts: Sequence[int]) -> tuple[SectionTense | None, ...]:
    """:func:`tense_at` for each sentence start, computing the frames once."""
    frames = section_frames(text)
    if not frames:
        return tuple(None for _ in starts)
    keys = [f.start for f in frames]
    out = []
    for start in starts:
        k = bisect.bisect_right(keys, start) - 1
        out.append(frames[k].tense if k >= 0 else None)
    return tuple(out)


def _is_top_heading(line: str) -> bool:
    return heading_level(line) == 1 or bool(_MARKDOWN_TOP.match(line))


def _tense_of(heading: str, previous: SectionTense | None) -> SectionTense | None:
    if _RETROSPECTIVE.search(heading) and not _PLAN_WORDS.search(heading):
        return "retrospective"
    title = NUMBERED_HEADING.sub("", heading, count=1).lstrip("# \t\u3000")
    if _PROSPECTIVE.search(heading) or _IMPERATIVE.match(title) or previous == "prospective":
        return "prospective"
    return None


def scenario_flags(text: str, spans: Sequence[tuple[int, int]]) -> tuple[bool, ...]:
    """For each sentence span of ``text``, whether it belongs to a scenario (see the module docstring).

    The opener always does; up to :data:`SCENARIO_SPAN` following sentences of
    the same paragraph do while each goes on conditionally ("would", "if",
    "的话", "按…计算"); the first that does not ends the scenario.
    """
    flags = [False] * len(spans)
    k = 0
    while k < len(spans):
        start, end = spans[k]
        if not SCENARIO_OPENER.match(text[start:end]):
            k += 1
            continue
        flags[k] = True
        j = k + 1
        while j < len(spans) and j <= k + SCENARIO_SPAN:
            between = text[spans[j - 1][1]:spans[j][0]]
            if "\n\n" in between or not _SCENARIO_GOES_ON.search(text[spans[j][0]:spans[j][1]]):
                break
            flags[j] = True
            j += 1
        k = j
    return tuple(flags)
