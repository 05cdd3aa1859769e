"""Rule-based NER (EntityRuler + jieba + gazetteers) and the backend loader."""

from __future__ import annotations

import re

import pytest

from extractors.claims.entities import NerBackend, RuleNer, UnknownBackend, entities_in, gazetteer, load_backend
from extractors.types import Entity


def _pairs(text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label) for e in load_backend("rules")(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025年1月，美国商务部发布了新的AI出口管制措施。", {("美国商务部", "ORG")}),
        ("美国还通过《芯片与科学法案》限制企业与中国合作。", {("芯片与科学法案", "LAW"), ("美国", "GPE"), ("中国", "GPE")}),
        ("数据来源：《美国对华出口报告（2024）》", {("美国对华出口报告（2024）", "WORK")}),
        ("刘友金，李威（湖南科技大学 商学院）", {("湖南科技大学", "ORG")}),
        ("整合工业和信息化部、科技部等部门资源。", {("工业和信息化部", "ORG"), ("科技部", "ORG")}),
        ("DeepSeek-R1性能与OpenAI-o1相媲美，Qwen2.5也已开源。",
         {("DeepSeek-R1", "MODEL"), ("OpenAI-o1", "MODEL"), ("Qwen2.5", "MODEL")}),
        ("MetaAI首席科学家杨立昆认为开源战胜了闭源。", {("MetaAI", "ORG"), ("杨立昆", "PERSON")}),
        ("台积电被要求禁止为中国企业代工高端芯片。", {("台积电", "ORG"), ("中国", "GPE")}),
    ],
)
def test_entities_rules_chinese(text: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= _pairs(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Department of Commerce said Nvidia may not sell the H100 to China.",
         {("Department of Commerce", "ORG"), ("Nvidia", "ORG"), ("H100", "PRODUCT"), ("China", "GPE")}),
        ("Researchers at Stanford University compared DeepSeek R1 with GPT-4o.",
         {("Stanford University", "ORG"), ("DeepSeek R1", "MODEL"), ("GPT-4o", "MODEL")}),
        ("The Chip Security Act was introduced in 2025.", {("Chip Security Act", "LAW")}),
    ],
)
def test_entities_rules_english(text: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= _pairs(text)


def test_entities_offsets_are_exact_across_paragraphs() -> None:
    text = "前言。\n\n美国商务部要求台积电停止供货。\n\nThe White House agreed with Microsoft."
    entities = load_backend("rules")(text)
    assert entities
    for e in entities:
        assert isinstance(e, Entity)
        assert text[e.start:e.end] == e.text
        assert e.rule_id.startswith("entities.")
    assert {("美国商务部", "ORG"), ("台积电", "ORG"), ("White House", "ORG"), ("Microsoft", "ORG")} <= {
        (e.text, e.label) for e in entities
    }


def test_entities_no_spacy_objects_leak() -> None:
    for e in load_backend("rules")("英伟达在美国发布了Blackwell芯片。"):
        assert type(e) is Entity
        assert all(type(v) in (int, str, type(None)) for v in (e.start, e.end, e.text, e.label, e.page, e.rule_id))


def test_entities_in_rebases_offsets_to_a_sentence() -> None:
    text = "前言。美国商务部要求台积电停止供货。"
    start = text.index("美国")
    local = entities_in(load_backend("rules")(text), start, len(text))
    sentence = text[start:]
    assert local and all(sentence[e.start:e.end] == e.text for e in local)


def test_entities_gazetteer_is_loaded_from_package_data() -> None:
    labels = {label for _, label in gazetteer()}
    assert {"ORG", "MODEL", "GPE", "PERSON", "LAW", "PRODUCT"} <= labels
    assert all(name == name.strip() and name for name, _ in gazetteer())


def test_entities_rule_backend_satisfies_protocol_and_is_cached() -> None:
    backend: NerBackend = load_backend("rules")
    assert isinstance(backend, RuleNer)
    assert backend.name == "rules"
    assert load_backend("rules") is backend


@pytest.mark.parametrize("spec", ["", "rules:x", "hanlp:", "stanza:en", "spacy"])
def test_entities_unknown_backend_spec_raises_coded_error(spec: str) -> None:
    with pytest.raises(UnknownBackend, match=re.escape("[N002]")):
        load_backend(spec)


def test_entities_missing_model_path_raises_coded_error(tmp_path) -> None:
    from extractors.text.nlp import ModelLoadError

    with pytest.raises(ModelLoadError, match=re.escape("[N001]")):
        load_backend(f"spacy:{tmp_path / 'missing'}")


def test_entities_seed_paper_finds_key_actors(seed_paper: str) -> None:
    normalize = pytest.importorskip("extractors.text.normalize")
    text = normalize.normalize_text(seed_paper).text.text
    entities = load_backend("rules")(text)
    assert all(text[e.start:e.end] == e.text for e in entities)
    found = {(e.text, e.label) for e in entities}
    assert {("美国商务部", "ORG"), ("台积电", "ORG"), ("英伟达", "ORG"), ("芯片与科学法案", "LAW")} <= found
    assert any(label == "MODEL" and name.startswith("DeepSeek-") for name, label in found)
