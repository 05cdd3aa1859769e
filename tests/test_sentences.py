"""Sentence spans: HanLP rules for Chinese, spaCy's sentencizer for English, exact offsets, full coverage."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.text.sentences import PARAGRAPH_BREAK, detect_language, split_sentences


def _texts(text: str, language: str = "zh") -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, language=language)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "数据显示，中国在AI芯片领域仍高度依赖海外供应，超八成来自美国①。因此，美国限制高端芯片出口。",
            ["数据显示，中国在AI芯片领域仍高度依赖海外供应，超八成来自美国①。", "因此，美国限制高端芯片出口。"],
        ),
        (
            "较2018年增长近20倍，远超同期对其他国家的限制规模②。2025年1月，美国又将智谱列入实体清单。",
            ["较2018年增长近20倍，远超同期对其他国家的限制规模②。", "2025年1月，美国又将智谱列入实体清单。"],
        ),
        # A marker printed after the full stop still belongs to the sentence before it.
        ("该数值远高于民用需求。③这种规则极大破坏了市场。", ["该数值远高于民用需求。③", "这种规则极大破坏了市场。"]),
        # Closing quotes stay with their sentence.
        ("他说：“开源是默认选项。”随后发布了模型。", ["他说：“开源是默认选项。”", "随后发布了模型。"]),
        # A paragraph break ends a sentence even without punctuation; headings are sentences.
        ("一、问题的提出\n\nAI产业链竞争日益激烈。", ["一、问题的提出", "AI产业链竞争日益激烈。"]),
    ],
)
def test_sentences_split_chinese(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Smith met the U.S. delegation. Exports fell 40% in 2023.¹ The rule took effect in 2025.",
            ["Dr. Smith met the U.S. delegation.", "Exports fell 40% in 2023.¹", "The rule took effect in 2025."],
        ),
        ("Is this a claim? No. It is not!", ["Is this a claim?", "No.", "It is not!"]),
        # The shared English brief: an abbreviation before a number, and a lettered list.
        ("Policy Brief No. 7 · March 2025 · Synthetic test document for ClaimLedger",
         ["Policy Brief No. 7 · March 2025 · Synthetic test document for ClaimLedger"]),
        (
            "(a) Track effective compute per dollar, not peak chip throughput. (b) Review thresholds "
            "at least as often as model prices move.",
            ["(a) Track effective compute per dollar, not peak chip throughput.",
             "(b) Review thresholds at least as often as model prices move."],
        ),
        (
            "Smith et al. (2024) found a gap of 27 to 1 (see pp. 12–14). Vol. 3 agrees. He said: “Prices fell.” ‘Not so.’",
            ["Smith et al. (2024) found a gap of 27 to 1 (see pp. 12–14).", "Vol. 3 agrees.",
             "He said: “Prices fell.”", "‘Not so.’"],
        ),
    ],
)
def test_sentences_split_english(text: str, expected: list[str]) -> None:
    assert _texts(text, "en") == expected


def test_sentences_mixed_text_decides_per_paragraph() -> None:
    text = "美国限制芯片出口。中国加快自主研发。\n\nDr. Li said so. The market grew 5%."
    assert _texts(text, "zh") == ["美国限制芯片出口。", "中国加快自主研发。", "Dr. Li said so.", "The market grew 5%."]


def test_sentences_offsets_are_absolute_and_trimmed() -> None:
    text = "  前言。  \n\n   第一句。第二句。 \n"
    spans = split_sentences(text, language="zh")
    assert [text[s:e] for s, e in spans] == ["前言。", "第一句。", "第二句。"]
    assert spans[1][0] == text.index("第一句")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("中国AI产业链竞争日益成为中美博弈的主战场。", "zh"),
        ("DeepSeek-R1与OpenAI-o1性能相当，成本仅为其1/30。", "zh"),
        ("The CHIPS and Science Act restricts cooperation with China.", "en"),
        ("The term 长板围栏 (long-board fence) is used by Chinese authors.", "en"),
        ("", "en"),
    ],
)
def test_sentences_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


_ALPHABET = st.sampled_from(list("中国芯片出口增长数据显示。，！？；：“”①②¹ \n\nabc ABC.!?%12"))


@settings(max_examples=60, deadline=None)
@given(st.text(_ALPHABET, max_size=80), st.sampled_from(["zh", "en"]))
def test_sentences_cover_every_character_in_order(text: str, language: str) -> None:
    spans = split_sentences(text, language=language)
    covered = set()
    last_end = 0
    for start, end in spans:
        assert last_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        assert PARAGRAPH_BREAK.search(text[start:end]) is None  # a paragraph break always ends a sentence
        covered.update(range(start, end))
        last_end = end
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_sentences_seed_paper_keeps_marked_sentences_whole(seed_paper: str) -> None:
    normalize = pytest.importorskip("extractors.text.normalize")
    text = normalize.normalize_text(seed_paper).text.text
    sentences = _texts(text)
    assert "数据显示，中国在 AI芯片领域仍高度依赖海外供应，超八成来自美国①。" in sentences
    assert any(s.endswith("远超同期对其他国家的限制规模②。") for s in sentences)
    assert 250 <= len(sentences) <= 450
