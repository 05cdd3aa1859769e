"""The learned English check-worthiness model: scores, shipped file, determinism, cost.

The sentences below are our own; the ClaimBuster sentences (third-party text)
are read from ``../shared`` when that checkout is there, never copied here.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import time
from importlib import resources

import pytest

from extractors.claims.model import checkworthiness, load_model, parse_model
from extractors.claims.rules import CUE_FEATURES, WEIGHTS, cue_vector, judge_sentence
from extractors.numbers import assertions as num
from flows.training import DEFAULT_DATA, data_digest, model_bytes, read_sentences, train, train_file

CHECKWORTHY = [
    "Unemployment fell to 3.5 percent in 2019, the lowest rate in fifty years.",
    "The city council approved a budget of 2.4 billion dollars last March.",
    "Our factory output has doubled since 2010 while exports grew by 40 percent.",
]
NOT_CHECKWORTHY = [
    "Thank you all very much for coming tonight.",
    "We should do better for our children.",
    "I think that is a wonderful question.",
]


def _judge(text: str):  # type: ignore[no-untyped-def]
    return judge_sentence(text, language="en", numbers=num.extract(text))


def _raw() -> bytes:
    return resources.files("extractors.data").joinpath("checkworthiness_en.json.gz").read_bytes()


def test_cue_vector_flags_the_judgements_cues_in_a_fixed_order() -> None:
    judgement = _judge(CHECKWORTHY[0])
    vector = cue_vector(judgement)
    assert len(vector) == len(CUE_FEATURES) and CUE_FEATURES[: len(WEIGHTS)] == tuple(WEIGHTS)
    assert {f for f, on in zip(CUE_FEATURES, vector) if on} == set(judgement.cues) & set(CUE_FEATURES)
    assert vector[CUE_FEATURES.index("cue.quantity")] == 1
    heading = cue_vector(_judge("Economic Outlook"))
    assert heading[CUE_FEATURES.index("gate.heading")] == 1


@pytest.mark.parametrize("text", CHECKWORTHY)
def test_factual_sentences_score_above_the_threshold(text: str) -> None:
    model = load_model("en")
    assert model is not None
    assert checkworthiness(text, _judge(text)) >= model.threshold


@pytest.mark.parametrize("text", NOT_CHECKWORTHY)
def test_courtesy_exhortation_and_opinion_score_below_the_threshold(text: str) -> None:
    model = load_model("en")
    assert model is not None
    assert checkworthiness(text, _judge(text)) < model.threshold


def test_probability_is_calibrated_monotone_in_the_decision() -> None:
    model = load_model("en")
    assert model is not None
    text = NOT_CHECKWORTHY[1]
    cues = cue_vector(_judge(text))
    with_quantity = list(cues)
    with_quantity[CUE_FEATURES.index("cue.quantity")] = 1
    assert model.cue_weights[CUE_FEATURES.index("cue.quantity")] > 0
    assert model.probability(text, with_quantity) > model.probability(text, cues)
    assert 0.0 < model.probability(text, cues) < 1.0


def test_no_model_for_a_language_without_data() -> None:
    assert load_model("xx") is None
    assert checkworthiness("任何句子。", _judge("任何句子。"), language="xx") is None


def test_shipped_file_is_small_credits_claimbuster_and_meets_the_goal() -> None:
    raw = _raw()
    assert len(raw) < 3 * 1024 * 1024
    meta = json.loads(gzip.decompress(raw))["metadata"]
    assert meta["licence"] == "CC BY 4.0" and "ClaimBuster" in meta["source"] and "Arslan" in meta["credit"]
    assert meta["sentences"] == 8966 and meta["cv"]["folds"] == 5
    assert meta["cv"]["at_threshold"]["f1"] >= 0.70
    if DEFAULT_DATA.is_file():
        assert meta["data_sha256"] == data_digest(DEFAULT_DATA)


def test_loading_is_cheap_and_cached() -> None:
    raw = _raw()
    start = time.perf_counter()
    parse_model(raw)
    assert time.perf_counter() - start < 0.5
    assert load_model("en") is load_model("en")


@pytest.mark.parametrize("field, value, message", [
    ("preprocessor", "lowercase", "preprocessor"),
    ("token_pattern", r"\w+", "token pattern"),
])
def test_parse_refuses_a_model_with_another_tokenizer(field: str, value: str, message: str) -> None:
    data = json.loads(gzip.decompress(_raw()))
    data["tokenizer"][field] = value
    with pytest.raises(ValueError, match=message):
        parse_model(gzip.compress(json.dumps(data).encode()))


def test_parse_refuses_another_file_format() -> None:
    data = json.loads(gzip.decompress(_raw()))
    data["format"] = 1
    with pytest.raises(ValueError, match="format"):
        parse_model(gzip.compress(json.dumps(data).encode()))


def test_runtime_does_not_import_scikit_learn() -> None:
    code = ("import sys; from extractors.claims.model import load_model; load_model('en'); "
            "print('sklearn' in sys.modules, 'scipy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


@pytest.mark.skipif(not DEFAULT_DATA.is_file(), reason="ClaimBuster sentences not in ../shared")
def test_retraining_a_slice_is_byte_identical_and_matches_scikit_learn(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("sklearn")
    from flows import training

    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    model = train_file(DEFAULT_DATA, first, limit=600)
    train_file(DEFAULT_DATA, second, limit=600)
    assert first.read_bytes() == second.read_bytes()
    assert model_bytes(model) == first.read_bytes()
    # The plain-Python scorer reproduces scikit-learn's decision values.
    everything = read_sentences(DEFAULT_DATA)
    data = everything[:: len(everything) // 600][:600]
    cues = [cue_vector(training.rule_judgement(d.text)) for d in data]
    recipe = training.RECIPES["en"]
    vectorizer = training._vectorizer(recipe)
    x = training._features(vectorizer, [d.text for d in data], cues, fit=True)
    expected = training._classifier(recipe).fit(x, [d.label for d in data]).decision_function(x)
    scorer = parse_model(first.read_bytes())
    assert max(abs(scorer.decision(d.text, c) - e) for d, c, e in zip(data, cues, expected)) < 1e-4


def test_train_rejects_nothing_silently_on_a_tiny_labelled_set() -> None:
    pytest.importorskip("sklearn")
    from flows.training import Labelled

    data = [Labelled(str(i), i % 2, (CHECKWORTHY if i % 2 else NOT_CHECKWORTHY)[i % 3]) for i in range(30)]
    model = train(data, digest="0" * 64)
    assert model["metadata"]["sentences"] == 30 and model["terms"]
    scorer = parse_model(model_bytes(model))
    assert scorer.probability(CHECKWORTHY[0], cue_vector(_judge(CHECKWORTHY[0]))) > 0.5


# --------------------------------------------------------------------------- Chinese

ZH_CHECKWORTHY = ["去年全市新增城镇就业三十二万人，城镇调查失业率为5.1%。", "新的海关法于去年七月起施行。"]
ZH_NOT = ["今年要加快推进城乡供水一体化。", "成绩来之不易。"]


def _zh_raw() -> bytes:
    return resources.files("extractors.data").joinpath("checkworthiness_zh.json.gz").read_bytes()


def test_the_chinese_model_is_small_grouped_and_within_the_false_claim_bar() -> None:
    raw = _zh_raw()
    assert len(raw) < 3 * 1024 * 1024
    data = json.loads(gzip.decompress(raw))
    assert data["tokenizer"]["analyzer"] == "char" and data["tokenizer"]["ngram_range"] == [1, 3]
    meta = data["metadata"]
    assert meta["cv"]["grouped_by_document"] and meta["documents"] >= 40
    assert meta["sentences"] >= 2800 and meta["positives"] >= 500
    assert meta["cv"]["at_threshold"]["non_claims_claimed"] <= 0.03
    assert data["cue_weights"]["context.retrospective"] > data["cue_weights"]["context.prospective"]


def test_chinese_sentences_are_scored_by_the_chinese_model_in_their_section() -> None:
    model = load_model("zh")
    assert model is not None
    for text in ZH_CHECKWORTHY:
        cues = cue_vector(judge_sentence(text, language="zh", numbers=num.extract(text), section="retrospective"))
        assert model.probability(text, cues) >= model.threshold, text
    for text in ZH_NOT:
        cues = cue_vector(judge_sentence(text, language="zh", numbers=num.extract(text), section="prospective"))
        assert model.probability(text, cues) < model.threshold, text
    same = "实施三孩生育政策。"
    past = model.probability(same, cue_vector(judge_sentence(same, language="zh", numbers=[], section="retrospective")))
    plan = model.probability(same, cue_vector(judge_sentence(same, language="zh", numbers=[], section="prospective")))
    assert past > plan


def test_each_sentence_goes_to_the_model_of_its_own_script() -> None:
    from extractors.claims.model import scorer_for, sentence_language

    assert sentence_language("他说：“GDP grew 5% last year.”") == "en"
    assert sentence_language("DeepSeek-R1 的 API 价格为每百万 token 16 元。") == "zh"
    assert scorer_for("全国粮食产量创历史新高。") is load_model("zh")
    assert scorer_for("Exports rose 7% last year.") is load_model("en")


def test_char_scorer_reproduces_scikit_learn_on_our_sentences() -> None:
    pytest.importorskip("sklearn")
    from flows import training
    from flows.training import Labelled

    texts = ZH_CHECKWORTHY + ZH_NOT + ["全省粮食产量达到1,350.5亿斤，  增长2.1%。", "各位代表：", "我们将继续实施积极的财政政策。",
                                       "三峡工程实现了第一批机组发电。"]
    data = [Labelled(str(i), int(i in (0, 1, 4, 7)), t) for i, t in enumerate(texts)] * 3
    model = training.train(data, digest="0" * 64, language="zh")
    scorer = parse_model(model_bytes(model))
    assert scorer.analyzer == "char"
    recipe = training.RECIPES["zh"]
    cues = [cue_vector(training.rule_judgement(d.text, "zh")) for d in data]
    vectorizer = training._vectorizer(recipe)
    x = training._features(vectorizer, [d.text for d in data], cues, fit=True)
    expected = training._classifier(recipe).fit(x, [d.label for d in data]).decision_function(x)
    assert max(abs(scorer.decision(d.text, c) - e) for d, c, e in zip(data, cues, expected)) < 1e-4
