"""Model NER backends end to end: train tiny models offline, save them, load them back through load_backend.

No pretrained weights exist on this machine (and there is no network), so
each test trains a deliberately tiny model on a few dozen sentences written
here, saves it to a temporary directory and loads it exactly as a user
would, with ``load_backend("hanlp:<dir>")`` / ``load_backend("spacy:<dir>")``.
The assertions are about the interface (Entity objects, valid offsets,
labels from the training set), plus recall on a training sentence, which a
model that fits its data must have.
"""

from __future__ import annotations

import logging
import os
import random
import time
from pathlib import Path

import pytest

from extractors.claims.entities import load_backend
from extractors.types import Entity

logger = logging.getLogger(__name__)

# (sentence, [(entity text, label), ...]) — written for these tests.
_SUBJECTS = [("阿里巴巴", "ORG"), ("腾讯", "ORG"), ("百度", "ORG"), ("华为", "ORG"), ("英伟达", "ORG")]
_PLACES = [("美国", "GPE"), ("中国", "GPE"), ("日本", "GPE"), ("北京", "GPE"), ("杭州", "GPE")]
_PEOPLE = [("李彦宏", "PERSON"), ("黄仁勋", "PERSON"), ("梁文锋", "PERSON")]
_TEMPLATES = [
    "{o}在{p}发布了新的大模型。",
    "{r}表示{o}将扩大在{p}的投资。",
    "{p}政府限制{o}出口高端芯片。",
    "据{o}统计，{p}的算力规模持续增长。",
    "{r}认为{o}的开源策略非常成功。",
]


def _corpus() -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Sentences with character spans, every (template, org, place) combination, people cycled."""
    out = []
    k = 0
    for template in _TEMPLATES:
        for org, _ in _SUBJECTS:
            for place, _ in _PLACES[:3]:
                person = _PEOPLE[k % len(_PEOPLE)][0]
                k += 1
                text = template.format(o=org, p=place, r=person)
                spans = []
                for name, label in ((org, "ORG"), (place, "GPE"), (person, "PERSON")):
                    if "{" + {"ORG": "o", "GPE": "p", "PERSON": "r"}[label] + "}" in template:
                        i = text.index(name)
                        spans.append((i, i + len(name), label))
                out.append((text, sorted(spans)))
    return out


def _write_bio(path: Path, corpus) -> None:
    """HanLP's TSV tagging format: one ``char<TAB>tag`` per line, blank line between sentences."""
    lines = []
    for text, spans in corpus:
        tags = ["O"] * len(text)
        for s, e, label in spans:
            tags[s] = f"B-{label}"
            for i in range(s + 1, e):
                tags[i] = f"I-{label}"
        lines += [f"{c}\t{t}" for c, t in zip(text, tags)] + [""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _assert_valid(entities: list[Entity], text: str, labels: set[str]) -> None:
    assert entities, "the model found nothing in a training sentence"
    for e in entities:
        assert isinstance(e, Entity)
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start:e.end] == e.text
        assert e.label in labels


@pytest.mark.slow
def test_ner_models_hanlp_rnn_trained_offline_loads_through_load_backend(tmp_path: Path) -> None:
    pytest.importorskip("hanlp")
    from hanlp.components.ner.rnn_ner import RNNNamedEntityRecognizer

    # crf=False: in HanLP 2.1.5 RNNTagger's training loop builds a fresh CRF as the
    # criterion instead of using the model's, so with crf=True nothing is learned.
    corpus = _corpus()
    trn = tmp_path / "train.tsv"
    _write_bio(trn, corpus)
    save_dir = tmp_path / "hanlp_rnn_ner"
    started = time.perf_counter()
    RNNNamedEntityRecognizer().fit(
        str(trn), str(trn), str(save_dir), epochs=3, batch_size=2, embed=32, rnn_hidden=64, rnn_input=None,
        lr=0.01, drop=0.0, tagging_scheme="BIO", crf=False, devices=[-1], logger=logger, verbose=False,
    )
    print(f"hanlp rnn training: {time.perf_counter() - started:.1f} s")

    backend = load_backend(f"hanlp:{save_dir}")
    assert backend.name == f"hanlp:{save_dir}"
    text, gold = corpus[0]
    found = backend(text)
    _assert_valid(found, text, {"ORG", "GPE", "PERSON"})
    # Offsets survive a prefix: the backend re-bases sentence offsets onto the whole text.
    shifted = backend("前言。\n\n" + text)
    assert [(e.start - 5, e.end - 5, e.label) for e in shifted if e.start >= 5] == [
        (e.start, e.end, e.label) for e in found
    ]
    assert ("阿里巴巴", "ORG") in {(e.text, e.label) for e in found}
    _assert_reaches_entities_table(f"hanlp:{save_dir}", text, tmp_path)


def _assert_reaches_entities_table(spec: str, sentence: str, tmp_path: Path) -> None:
    """The user's path: ``claimledger ingest --ner <spec>`` stores the model's entities."""
    import sqlite3
    import subprocess
    import sys

    doc = tmp_path / "ner_doc.md"
    doc.write_text(f"---\ntitle: NER\n---\n\n{sentence}\n", encoding="utf-8")
    db = tmp_path / "ner.db"
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", "ingest", str(doc), "--db", str(db), "--ner", spec, "--prefect", "off"],
        capture_output=True, text=True, timeout=600, env={**os.environ, "CLAIMLEDGER_HOME": str(tmp_path / "home")})
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT e.text, e.label, substr(d.text, e.start + 1, e.\"end\" - e.start) "
                            "FROM entities e JOIN documents d ON d.id = e.document_id").fetchall()
    assert rows, "no entity reached the entities table"
    assert all(text == surface for text, _, surface in rows)
    assert ("阿里巴巴", "ORG") in {(text, label) for text, label, _ in rows}


@pytest.mark.slow
def test_ner_models_spacy_trained_offline_loads_through_load_backend(tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.training import Example

    train = [
        ("Nvidia sells chips to China.", [(0, 6, "ORG"), (22, 27, "GPE")]),
        ("OpenAI opened an office in Japan.", [(0, 6, "ORG"), (27, 32, "GPE")]),
        ("Huawei builds servers in China.", [(0, 6, "ORG"), (25, 30, "GPE")]),
        ("Baidu released a model in Beijing.", [(0, 5, "ORG"), (26, 33, "GPE")]),
        ("Tencent invests in Singapore.", [(0, 7, "ORG"), (19, 28, "GPE")]),
        ("Alibaba expands to Europe.", [(0, 7, "ORG"), (19, 25, "GPE")]),
    ]
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for _, spans in train:
        for _, _, label in spans:
            ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": s}) for t, s in train]
    random.seed(0)
    spacy.util.fix_random_seed(0)
    started = time.perf_counter()
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(30):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    print(f"spacy ner training: {time.perf_counter() - started:.1f} s")
    path = tmp_path / "spacy_ner"
    nlp.to_disk(path)

    backend = load_backend(f"spacy:{path}")
    text = train[0][0]
    found = backend(text)
    _assert_valid(found, text, {"ORG", "GPE"})
    assert ("Nvidia", "ORG") in {(e.text, e.label) for e in found}
