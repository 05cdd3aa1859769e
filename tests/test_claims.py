"""Claim detection: unit cases, plus precision/recall and kind accuracy against hand-labelled seed sentences.

The gold files (tests/gold/claims_seed_*.jsonl) hold one line per labelled
sentence: a short substring that identifies it (``key``), whether it is a
claim, and its kind.  Keys are short on purpose: the seeds are third-party
text and are read in place from ../shared.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.claims.context import sentence_tenses
from extractors.claims.model import scorer_for
from extractors.claims.rules import GATE_CAP, THRESHOLD, WEIGHTS, Judgement, judge_sentence
from extractors.claims.entities import load_backend
from extractors.text.normalize import normalize_text
from extractors.numbers.assertions import extract as extract_numbers
from extractors.text.sentences import split_sentences
from extractors.types import CLAIM_KINDS, Entity, NumericAssertion

GOLD = Path(__file__).parent / "gold"

# Floors pinned from a measured run with the pipeline's inputs (extractors.text.normalize,
# extractors.text.sentences, numbers and rule-NER entities over the whole text, shifted to
# sentence offsets, as extractors.document does):
#   seed 000: P 1.000 R 0.778 kind 1.000 (tp 7, fp 0, fn 2; kinds 7 of 7)
#   seed 004: P 0.977 R 0.935 kind 1.000 (tp 43, fp 1, fn 3; kinds 43 of 43)
# Before the two-party comparison, spelled-out share and ranking rules (issue 6, kind
# follow-up 2): 004 kind 0.977 (42/43: a ranking of countries' strengths was an event);
# P/R unchanged.  Before the first kind rules: 000 P 1.000 R 0.667 kind 1.000 (6/6);
# 004 P 0.884 R 0.826 kind 0.816 (31/38).
# A floor sits one error below the measurement, so a normalizer change that
# moves one sentence boundary does not fail the build; floors may only rise.
FLOORS = {
    "000": {"precision": 0.87, "recall": 0.66, "kind": 0.85},
    "004": {"precision": 0.95, "recall": 0.91, "kind": 0.97},
}


@dataclass(frozen=True, slots=True)
class PipelineSentence:
    """One sentence with the numbers and entities the pipeline would pass the judge (sentence offsets)."""

    text: str
    numbers: tuple[NumericAssertion, ...]
    entities: tuple[Entity, ...]
    section: str | None = None


def seed_text(raw: str) -> str:
    """The seed as the pipeline sees it: front matter dropped, extractors.text.normalize applied."""
    return normalize_text(_strip_front_matter(raw)).text.text


@functools.lru_cache(maxsize=4)
def pipeline_sentences(raw: str) -> tuple[PipelineSentence, ...]:
    """Sentences of a seed with numbers and entities extracted once over the whole text, then shifted."""
    text = seed_text(raw)
    numbers = extract_numbers(text)
    entities = load_backend("rules")(text)
    out = []
    spans = split_sentences(text, language="zh")
    for (start, end), section in zip(spans, sentence_tenses(text, [start for start, _ in spans])):
        out.append(PipelineSentence(
            text[start:end],
            tuple(replace(n, start=n.start - start, end=n.end - start) for n in numbers
                  if start <= n.start and n.end <= end),
            tuple(replace(e, start=e.start - start, end=e.end - start) for e in entities
                  if start <= e.start and e.end <= end),
            section,
        ))
    return tuple(out)


def _strip_front_matter(raw: str) -> str:
    return re.sub(r"\A---\n.*?\n---\n", "", raw, flags=re.S)


def load_gold(seed: str) -> list[dict]:
    return load_gold_file(f"claims_seed_{seed}.jsonl")


def load_gold_file(name: str) -> list[dict]:
    lines = (GOLD / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def judge_pipeline_sentence(sentence: PipelineSentence) -> Judgement:
    """As production judges it: the learned scorer of the sentence's script over the rules' cues and section."""
    return judge_sentence(sentence.text, language="zh", numbers=sentence.numbers, entities=sentence.entities,
                          section=sentence.section, scorer=scorer_for(sentence.text))


def judge(text: str, language: str | None = None, **kw: object) -> Judgement:
    """Judge one sentence the way extractors.document does: with the numbers extracted from it."""
    language = language or ("en" if text.isascii() else "zh")
    return judge_sentence(text, language=language, numbers=extract_numbers(text), **kw)  # type: ignore[arg-type]


def evaluate(raw: str, gold: list[dict]) -> dict[str, float]:
    """Precision and recall of ``is_claim``, and kind accuracy on the claims both gold and judge found."""
    sentences = pipeline_sentences(raw)
    tp = fp = fn = tn = missing = kinds_right = 0
    for row in gold:
        hits = [s for s in sentences if row["key"] in s.text]
        if len(hits) != 1:
            missing += 1
            continue
        judgement = judge_pipeline_sentence(hits[0])
        predicted = judgement.is_claim
        tp += predicted and row["claim"]
        fp += predicted and not row["claim"]
        fn += (not predicted) and row["claim"]
        tn += (not predicted) and not row["claim"]
        kinds_right += predicted and row["claim"] and judgement.kind == row["kind"]
    return {
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "kind": kinds_right / tp if tp else 0.0,
        "found": 1 - missing / len(gold),
        "tp": tp, "fp": fp, "fn": fn, "tn": tn, "kinds_right": kinds_right,
    }


# --------------------------------------------------------------------------- unit cases


def test_claims_required_statistical_claim_with_reported_data() -> None:
    text = "数据显示，中国在AI芯片领域仍高度依赖海外供应，超八成来自美国①。"
    judgement = judge(text)
    assert judgement.is_claim
    assert judgement.kind == "statistical"
    assert judgement.attribution_cue == "数据显示"
    assert {"cue.quantity", "cue.reported_data"} <= set(judgement.cues)


@pytest.mark.parametrize(
    ("text", "kind", "cue", "who"),
    [
        ("截至2024年12月，美国实体清单中的中国科技企业总数已超过1000家，较2018年增长近20倍。", "statistical", None, None),
        ("据路透社报道，2025年1月美国商务部发布了新的AI芯片出口管制规则。", "event", "据…报道", "路透社"),
        ("According to the Commerce Department, chip exports to China fell 40% in 2023.", "statistical",
         "according to", "the Commerce Department"),
        ("英伟达首席执行官黄仁勋表示，“中国市场的份额已从95%降至零”。", "quote", "表示", "英伟达首席执行官黄仁勋"),
        ("到2030年，全球AI算力需求预计将增长10倍。", "prediction", None, None),
        ("Qwen became the base model with the most derivatives on Hugging Face, ahead of Llama, in 2025.",
         "comparative", None, None),
    ],
)
def test_claims_kinds_and_attribution(text: str, kind: str, cue: str | None, who: str | None) -> None:
    judgement = judge(text)
    assert judgement.is_claim, judgement
    assert judgement.kind == kind
    assert judgement.attribution_cue == cue
    assert judgement.attribution == who


@pytest.mark.parametrize(
    "text",
    [
        "一、问题的提出",
        "（一）半导体出口管制对AI产业链关键节点的技术封锁",
        "1.技术封锁精准化",
        "## 2. 2025年算力增长43%",
        "关键词：产业链韧性；卡点突破；长板围栏；非对称竞争",
        "中图分类号：F49   文献标志码：A   文章编号：1672-7835（2025）02-0082-13",
        "刘友金，李威（湖南科技大学 商学院，湖南 湘潭 411201）",
        "一方面，要持续优化国家创新体系，到2030年将研发投入提高到GDP的3%。",
        "企业应当在2026年前将国产芯片采购比例提升至80%以上。",
        "建议将算力补贴提高50%，并于2025年底前完成评估。",
        "Governments should raise AI research funding by 30% before 2030.",
        "(注：本文通过对中国开源生态现状的宏观综述，字数已优化至3000字。)",
        "图1 2017—2023年美国对华半导体出口情况",
        "数据来源：《美国对华出口报告（2024）》",
        "蒋茜：《当代资本主义主导经济全球化的逻辑与困境》，《政治经济学评论》2023年第3期。",
        "显然，美国企图通过这种精准化技术封锁迫使中国在关键领域陷入“创新追赶陷阱”。",
        "DeepSeek将引领人工智能进入以系统优化为核心的发展新阶段。",
        "美国还能封锁中国多少年？",
    ],
)
def test_claims_non_assertions_stay_below_threshold_whatever_the_cues(text: str) -> None:
    """Extracted numbers, a citation marker and a named actor on top: the gate still caps the score.

    The numbers are the real ones: a made-up figure would contradict the
    "forecast without a figure" gate, which reads the numbers.
    """
    rich = judge(text, language="zh", entities=[Entity(0, 1, text[0], "ORG")], has_citation_marker=True)
    assert not rich.is_claim, rich
    assert rich.score <= GATE_CAP < THRESHOLD
    assert any(c.startswith("gate.") for c in rich.cues)


def judge_with_real_inputs(text: str) -> Judgement:
    """Judge ``text`` with the numbers and rule-NER entities the pipeline extracts."""
    return judge(text, entities=load_backend("rules")(text))


# Short sentences from the seeds and the English policy brief (fixtures), one or more per kind.
KIND_CASES = [
    ("截至 2025 年，中国总算力规模已达 1590 EFLOPS。", "statistical"),
    ("By December 2024 more than 1,000 Chinese entities were on the Entity List, close to 20 times the 2018 count.",
     "statistical"),
    # The figure counts the objects of a dated action: the action is the claim.
    ("2025年1月，美国又将智谱、算能等25家中国AI大模型和芯片设计领域的领军企业列入实体清单。", "event"),
    # "数十亿" is an order of magnitude, not a figure: no statistic.
    ("DeepSeek将耗费数十亿算力训练的模型权重全面开源。", "event"),
    ("In January 2025 a Chinese laboratory released DeepSeek-R1, an open-weight reasoning model.", "event"),
    # The quoted threshold is mentioned, the comparison is asserted.
    ("再如，美国将“算力超过4800TOPS”作为限制标准，但该数值远高于多数民用AI训练需求。", "comparative"),
    ("字节跳动、DeepSeek、腾讯和 Qwen 的论文成为社区最受欢迎的资源。", "comparative"),
    ("Qwen became the base model with the most derivatives on Hugging Face, ahead of Llama, in 2025.", "comparative"),
    ("这种实体清单的精准制裁重创了中国 AI产业链的核心环节，导致相关企业的研发进度大幅放缓①。", "causal"),
    ("美国推动的“可解释性认证”体系要求企业采用FICO评分模型，这大大增加了中国技术研发的合规成本。", "causal"),
    ("Export controls on advanced chips led to a shortage of training capacity at Chinese laboratories in 2023.",
     "causal"),
    ("正如 MetaAI首席科学家杨立昆认为，“DeepSeek的迅速崛起是开源力量战胜了闭源模式”①。", "quote"),
    ('Jensen Huang said, "Our share of the China market has fallen from 95% to zero."', "quote"),
    ('"Our share of the China market has fallen from 95% to zero," Nvidia chief executive Jensen Huang said in 2025.',
     "quote"),
    ("黄仁勋说：“英伟达在中国的市场份额已从95%降至零。”", "quote"),
    ("到2030年，全球AI算力需求预计将增长10倍。", "prediction"),
    ("如果这一趋势延续，到 2027 年闲置算力可能超过 200 EFLOPS。", "prediction"),
    ("Chip exports to China are projected to fall 40% by 2030.", "prediction"),
]


@pytest.mark.parametrize(("text", "kind"), KIND_CASES)
def test_claims_kind_from_strongest_evidence(text: str, kind: str) -> None:
    judgement = judge_with_real_inputs(text)
    assert judgement.is_claim, judgement
    assert judgement.kind == kind, judgement


# Own policy sentences for the kind rules, in pairs that differ in one respect.  Written for
# these tests (not from the fixtures); each must be a claim.
KIND_RULE_CASES = [
    # A level or change of one quantity (statistical) vs two quantities side by side (comparative).
    ("2024年全国数据中心机架总规模增长至810万标准机架，同比增长18%。", "statistical"),  # 同比 is not 比X
    ("DeepSeek-R1每百万输出tokens的价格比OpenAI o1低96%。", "comparative"),
    ("2024年中国人工智能企业数量比2020年增长了近两倍，达到4500余家。", "statistical"),  # 比 + a past year
    ("2024年中国工业机器人安装量达29万台，是美国的7.5倍。", "comparative"),
    ("国产AI芯片在国内新建智算中心中的占比提升至45%，远超上年水平。", "statistical"),
    ("中国开源模型在Hugging Face上的累计下载量达到5.4亿次，远超美国的3.9亿次。", "comparative"),
    ("与美国同类模型的1亿美元训练费用相比，该模型的训练成本仅为560万美元。", "comparative"),
    ("相较于闭源模型，开源模型的推理价格相当于前者的二十分之一。", "comparative"),
    ("Inference costs on the domestic accelerator fell 40% compared with 2023.", "statistical"),
    ("Inference on the domestic accelerator costs about 40% less than on an imported H20.", "comparative"),
    ("Open-weight models from Chinese labs were downloaded 540 million times in 2025, against 390 million for "
     "American models.", "comparative"),
    ("Chinese firms spent $12 billion on AI accelerators in 2024, three times the amount they spent in 2021.",
     "statistical"),
    ("Chinese firms spent $12 billion on AI accelerators in 2024, three times the amount spent by Japanese firms.",
     "comparative"),
    # A dated action counting its objects (event) vs a share or reported figure beside the action (statistical).
    ("2025年2月，工业和信息化部发布首批30家人工智能赋能新型工业化典型案例。", "event"),
    ("2025年1月，DeepSeek发布R1模型，其训练成本据称仅为同类模型的十分之一。", "statistical"),
    ("In March 2025 the ministry approved 30 pilot zones for industrial AI applications.", "event"),
    ("In March 2025 the ministry approved the plan, under which the pilot zones are estimated to account for about "
     "a fifth of industrial AI spending.", "statistical"),
    ("The Netherlands, which announced new export rules in September 2024, supplied about one third of the "
     "lithography tools installed in China that year.", "statistical"),
    # Cause and effect: without a figure causal, with a measured effect statistical.
    ("美国对高端GPU的出口管制导致阿里云、腾讯云等云服务商在2024年将部分训练任务迁移至国产芯片平台。", "causal"),
    ("The export controls led to a 30% drop in shipments of advanced GPUs to Chinese cloud providers.", "statistical"),
    # A future comparison is a prediction; a figure inside a quotation is the speaker's.
    ("预计到2030年，中国智能算力规模将是美国的1.5倍。", "prediction"),
    ("国家数据局负责人表示：“2024年我国数据生产总量达到41.06泽字节，同比增长25%，其中企业数据占比最高。”", "quote"),
]


@pytest.mark.parametrize(("text", "kind"), KIND_RULE_CASES)
def test_claims_kind_rules_on_own_policy_sentences(text: str, kind: str) -> None:
    judgement = judge_with_real_inputs(text)
    assert judgement.is_claim, judgement
    assert judgement.kind == kind, judgement


def test_claims_kind_rules_cover_every_kind() -> None:
    assert {kind for _, kind in KIND_RULE_CASES} == set(CLAIM_KINDS)


@pytest.mark.parametrize(("text", "kind"), [
    # Who leads where, with no action: a ranking.  The same advantage as the means of an action: the action.
    ("三星、SK海力士和美光是全球主要的存储芯片供应商，日本企业则在光刻胶等关键材料方面拥有明显优势①。", "comparative"),
    ("美国凭借其在AI框架领域的优势，限制中国开发者访问TensorFlow、PyTorch等核心代码库。", "event"),
])
def test_claims_ranking_without_an_action_is_comparative(text: str, kind: str) -> None:
    assert judge_with_real_inputs(text).kind == kind


def test_claims_supply_is_not_an_obligation() -> None:
    """"供应" holds 应 ("should") but states a fact; "应加快" is an obligation."""
    fact = judge("由于高端GPU供应受限，国内多家云服务商在2024年被迫将训练任务迁移至国产芯片平台。")
    assert "gate.recommendation" not in fact.cues, fact
    duty = judge("国内云服务商应加快将训练任务迁移至国产芯片平台。")
    assert "gate.recommendation" in duty.cues, duty


@pytest.mark.parametrize("text", [
    # A problem statement ("如何…成为…问题") is not a finding.
    "因而，在“韧性时代”如何全方位突围美国“长板围栏”，成为新形势下亟待解决的重大战略性和紧迫性问题。",
    # Imputed intent ("希望", "致力于") is not checkable.
    "美国政府希望建立三级化的管制框架，为相关企业和“中间国家”提供一次性、可预期的合规方案。",
    "拜登政府大力推动建立美国与盟友间的对华政策协调机制，致力于构建盟友间协同打压中国AI产业链发展的政策体系。",
    # A vague magnitude is no quantity.
    "当数十万开发者基于 DeepSeek架构开发应用时，技术标准与接口规范悄然形成。",
    # A forecast without a figure.
    "中国AI产业的算力规模可能超过美国。",
    # "数据来源" inside a sentence is not reported data.
    "美国商务部更要求云计算企业披露外国大模型训练数据来源，企图阻断中国获取全球开源数据。",
])
def test_claims_intent_problems_and_vague_magnitudes_are_not_claims(text: str) -> None:
    judgement = judge_with_real_inputs(text)
    assert not judgement.is_claim, judgement


def test_claims_vague_quantity_is_its_own_cue() -> None:
    judgement = judge_with_real_inputs("当数十万开发者基于 DeepSeek架构开发应用时，技术标准与接口规范悄然形成。")
    assert "cue.vague_quantity" in judgement.cues and "cue.quantity" not in judgement.cues


def test_claims_footnote_body_glued_by_the_text_layer_is_cut_off() -> None:
    body = "这将近30倍的价差使得硬件成本不再是模型门槛，从而加速模型端侧部署，"
    text = body + "98①②邓建鹏，赵治松：《DeepSeek的破局与变局》，《新疆师范大学学报》2025年第4期。"
    judgement = judge_with_real_inputs(text)
    assert judgement.is_claim and judgement.kind == "statistical", judgement
    assert judgement.clauses == ((0, len(body)),)
    assert "gate.reference" not in judgement.cues


def test_claims_figure_reference_counts_as_sourced() -> None:
    text = "这种立体化管控对中国 AI产业链的打压力度，从2021年以后美国对华半导体出口的断崖式下降中可见一斑（见图1）。"
    judgement = judge_with_real_inputs(text)
    assert "cue.citation" in judgement.cues
    assert judgement.is_claim and judgement.kind == "comparative", judgement


@pytest.mark.parametrize(
    "text",
    ["数据显示，中国在AI芯片领域仍高度依赖海外供应，超八成来自美国①。", "美国试图通过意识形态划分阵营。", "一、问题的提出", ""],
)
def test_claims_judgement_is_well_formed(text: str) -> None:
    judgement = judge(text, language="zh")
    assert isinstance(judgement, Judgement)
    assert 0.0 <= judgement.score <= 1.0
    assert judgement.kind in CLAIM_KINDS
    assert judgement.is_claim == (judgement.score >= THRESHOLD)
    assert all(c in WEIGHTS or c.startswith(("gate.", "penalty.")) for c in judgement.cues)


def test_claims_clauses_split_a_sentence_joining_a_claim_and_a_non_claim() -> None:
    text = "2024年中国新建数据中心采购国产芯片比例提升至65%；这一趋势令人鼓舞"
    judgement = judge(text + "。")
    assert judgement.is_claim
    assert len(judgement.clauses) == 1
    start, end = judgement.clauses[0]
    assert "65%" in text[start:end] and "鼓舞" not in text[start:end]


def test_claims_numbers_are_required() -> None:
    """One number recognizer: the judge has no fallback of its own for a caller that passes no numbers."""
    with pytest.raises(TypeError, match="numbers"):
        judge_sentence("2024年产量增长5%。", language="zh")  # type: ignore[call-arg]


def test_claims_clauses_read_the_numbers_the_sentence_was_judged_with() -> None:
    """A part whose only figure is a lower bound like 100多家 (a vague quantity to the judge) is no claim of its own.

    The clause split used to re-read each part with a digit pattern of its own,
    which saw a plain "100" and kept the part.
    """
    text = "2024年中国新建数据中心采购国产芯片比例提升至65%；另有100多家企业加入试点。"
    judgement = judge(text)
    assert judgement.is_claim
    [(start, end)] = judgement.clauses
    assert text[start:end] == "2024年中国新建数据中心采购国产芯片比例提升至65%；"


def test_claims_entities_passed_in_count_as_named_actors() -> None:
    from extractors.types import Entity

    text = "该公司要求其停止向中国大陆提供先进制程芯片。"
    bare = judge(text)
    with_org = judge(text, entities=[Entity(0, 3, "该公司", "ORG")])
    assert "cue.named_actor" in with_org.cues
    assert with_org.score > bare.score


# --------------------------------------------------------------------------- seeds


@pytest.mark.parametrize("seed", ["000", "004"])
def test_claims_seed_precision_recall_floors(seed: str, seed_blog: str, seed_paper: str) -> None:
    raw = seed_blog if seed == "000" else seed_paper
    result = evaluate(raw, load_gold(seed))
    print(f"seed {seed}: {result}")
    assert result["found"] >= 0.95, "gold keys no longer fall inside single sentences"
    assert result["precision"] >= FLOORS[seed]["precision"], result
    assert result["recall"] >= FLOORS[seed]["recall"], result


@pytest.mark.parametrize("seed", ["000", "004"])
def test_claims_seed_kind_accuracy_floor(seed: str, seed_blog: str, seed_paper: str) -> None:
    """Of the gold claims the judge also calls claims, the share whose kind matches the hand label."""
    raw = seed_blog if seed == "000" else seed_paper
    result = evaluate(raw, load_gold(seed))
    print(f"seed {seed}: kind accuracy {result['kind']:.3f} ({result['kinds_right']} of {result['tp']})")
    assert result["tp"] >= 5, result
    assert result["kind"] >= FLOORS[seed]["kind"], result


def test_claims_gold_kinds_are_claim_kinds() -> None:
    for seed in ("000", "004"):
        for row in load_gold(seed):
            assert (row["kind"] in CLAIM_KINDS) if row["claim"] else row["kind"] is None, row


_HEADING = re.compile(r"^(?:#{1,6}\s|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+(?:\.\d+)*[.．、])")
_OBLIGATION = re.compile(r"^(?:一方面|另一方面)[，,]?\s*要|应当")


def test_claims_seed_headings_and_recommendations_are_never_claims(seed_blog: str, seed_paper: str) -> None:
    checked = 0
    for raw in (seed_blog, seed_paper):
        for sentence in pipeline_sentences(raw):
            heading = _HEADING.match(sentence.text) and not re.search(r"[。！？.!?]$", sentence.text)
            if heading or _OBLIGATION.search(sentence.text):
                checked += 1
                judgement = judge_pipeline_sentence(sentence)
                assert not judgement.is_claim, (sentence.text, judgement)
    assert checked >= 30


@pytest.mark.parametrize("text", [
    "Municipal Policy Brief 12 - April 2025 - sample document written for ClaimLedger",
    "Measure | Unit cost | Cooling effect Street tree | EUR 1,100 | up to 2.8 C on the block",
])
def test_claims_running_titles_and_table_rows_are_not_claims(text: str) -> None:
    judgement = judge(text, language="en")
    assert not judgement.is_claim
    assert any(c.startswith("gate.") for c in judgement.cues)


@pytest.mark.parametrize("text", ["By Dana Whitfield, October 2, 2025", "By Lin Qiao and Omar Haddad"])
def test_claims_bylines_are_author_lines_not_claims(text: str) -> None:
    judgement = judge(text, language="en")
    assert not judgement.is_claim and "gate.author_line" in judgement.cues


_PIECES = st.sampled_from(["数十亿", "25家", "2025年1月", "93.3%", "“超过4800TOPS”", "①②", "邓建鹏：《书》", "如何",
                           "问题", "认为，“", "导致", "这大大增加了", "见图1", "可能超过", "by 2030", " said, \"",
                           "，", "。", "DeepSeek", "美国", "列入"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=5), max_size=12).map("".join))
def test_claims_judgement_is_well_formed_on_any_mix_of_cues(text: str) -> None:
    judgement = judge(text, language="zh")
    assert 0.0 <= judgement.score <= 1.0 and judgement.kind in CLAIM_KINDS
    assert all(0 <= s < e <= len(text) for s, e in judgement.clauses)


# --------------------------------------------------------------------------- English


# Hand labels for every sentence of the shared English brief (../shared/fixtures/pdf),
# judged through the whole pipeline (pdfplumber layout, spaCy sentences, numbers, NER).
# Measured: P 0.929 R 1.000 (tp 13, fp 1, fn 0), kind 1.000 (13 of 13).  The false positive
# came with English number words ("a model that needs one tenth of the compute can be trained
# on one tenth of the chips" is reasoning, not a report); "ten major cloud platforms began to
# offer the model" between two day-month dates stays an event.  Earlier: P 1.000.  Before the
# two-party comparison rules ("¥16 vs ¥438", "against ¥438", "27.4 times cheaper", "93.3%
# smaller than") and the spelled-out share rule ("about one tenth of" beside "released"):
# kind 0.692 (9 of 13).  Before the English sentence fixes and the key-figure rule:
# R 0.615 (the five "Key figures" bullets were gated as headings).  The labels were
# written after that change, by the same hand.
ENGLISH_FLOORS = {"precision": 0.92, "recall": 0.92, "kind": 0.92}


def test_claims_english_brief_precision_recall_and_kind(shared_dir: Path) -> None:
    from extractors.document import extract_document

    pdf = shared_dir / "fixtures" / "pdf" / "english_policy_brief.pdf"
    doc = extract_document(pdf.read_bytes(), source=str(pdf))
    kinds = {c.sentence: c.kind for c in doc.claims}
    tp = fp = fn = kinds_right = 0
    for row in load_gold_file("claims_english_brief.jsonl"):
        [index] = [i for i, s in enumerate(doc.sentences) if row["key"] in s.text]
        predicted = index in kinds
        tp += predicted and row["claim"]
        fp += predicted and not row["claim"]
        fn += (not predicted) and row["claim"]
        kinds_right += predicted and row["claim"] and kinds[index] == row["kind"]
    precision, recall, kind = tp / (tp + fp), tp / (tp + fn), kinds_right / tp
    print(f"english brief: P {precision:.3f} R {recall:.3f} kind {kind:.3f} (tp {tp}, fp {fp}, fn {fn})")
    assert precision >= ENGLISH_FLOORS["precision"]
    assert recall >= ENGLISH_FLOORS["recall"]
    assert kind >= ENGLISH_FLOORS["kind"]


def test_claims_key_figure_lines_are_claims_but_label_lines_are_not() -> None:
    fact = judge_sentence("• Export threshold: 4,800 TOPS or 600 GB/s (see section 2)", language="en",
                          numbers=extract_numbers("• Export threshold: 4,800 TOPS or 600 GB/s (see section 2)"))
    assert fact.is_claim and "cue.key_figure" in fact.cues and "gate.heading" not in fact.cues
    label = judge_sentence("• Export thresholds", language="en", numbers=[])
    assert not label.is_claim
    heading = judge_sentence("Key figures at a glance", language="en", numbers=[])
    assert not heading.is_claim and "gate.heading" in heading.cues


@pytest.mark.parametrize("text", [
    "Between 30 January and 6 February, ten major cloud platforms began to offer the model.",
    "2月2日，腾讯云上线了DeepSeek-R1的部署工具，5家云厂商随后跟进。",
    "On March 3 the ministry started to publish weekly figures for 12 provinces.",
])
def test_claims_dated_actions_without_a_year_are_events(text: str) -> None:
    judgement = judge_sentence(text, language="en" if text.isascii() else "zh", numbers=extract_numbers(text))
    assert judgement.is_claim and judgement.kind == "event", judgement
