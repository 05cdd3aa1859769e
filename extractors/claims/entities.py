"""Named entities behind one interface, :class:`NerBackend`, with a rule backend and two model backends.

* :class:`RuleNer` ("rules", the default) needs no model: spaCy's EntityRuler
  on a blank pipeline (Chinese tokenized by jieba) with our gazetteers in
  ``extractors/data`` plus patterns for ``《…》`` titles, model names with
  versions and ``XX大学/公司/委员会``-style organisation names.
* :class:`HanlpNer` ("hanlp:<name or path>") runs a HanLP NER component.
* :class:`SpacyNer` ("spacy:<path>") runs a trained spaCy pipeline.

All of them return :class:`~extractors.types.Entity` with offsets relative
to the text they were given; no spaCy or HanLP object leaves this package.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any, Protocol

from extractors.text import nlp
from extractors.errors import ExtractionError
from extractors.lexicon import HAN
from extractors.text.sentences import detect_language, paragraph_spans, split_sentences
from extractors.types import Entity

logger = logging.getLogger(__name__)

#: Gazetteer file -> label.
GAZETTEERS = {
    "organizations.txt": "ORG",
    "ai_models.txt": "MODEL",
    "places.txt": "GPE",
    "people.txt": "PERSON",
    "laws.txt": "LAW",
    "products.txt": "PRODUCT",
}
#: HanLP corpora tag sets (MSRA: NR/NS/NT; PKU: nr/ns/nt) -> our labels.
HANLP_LABELS = {"NR": "PERSON", "NS": "GPE", "NT": "ORG", "PER": "PERSON", "LOC": "GPE", "ORGANIZATION": "ORG"}

_LAW_TITLE = re.compile(r"(?:法|法案|条例|规定|办法|细则|管制框架|Act|Regulations?)$")
_MODEL_FAMILIES = ["DeepSeek", "Qwen", "GPT", "Llama", "LLaMA", "GLM", "Kimi", "Claude", "Gemini", "OpenAI", "Mixtral",
                   "Hunyuan", "ERNIE", "Grok"]
_VERSION = r"^(?:[A-Za-z]{0,3}\d+(?:\.\d+)*[A-Za-z]{0,3}|V\d+(?:\.\d+)?)$"
_ORG_SUFFIX = rf"^[{HAN}]{{0,6}}(?:公司|集团|委员会|研究院|研究所|大学|学院|实验室|协会|基金会|管理局|统计局|商务部|外交部|财政部)$"
_EN_ORG_SUFFIX = ["inc", "inc.", "corp", "corp.", "corporation", "university", "institute", "agency", "commission",
                  "council", "ministry", "bureau", "laboratory", "labs", "foundation", "association", "company"]


class UnknownBackend(ExtractionError):
    """A NER backend spec is not "rules", "hanlp:<name_or_path>" or "spacy:<path>"."""

    code = "N002"


class NerBackend(Protocol):
    """Anything that finds entities in a text, offsets relative to that text."""

    name: str

    def __call__(self, text: str) -> list[Entity]: ...


# --------------------------------------------------------------------------- rules


@lru_cache(maxsize=1)
def gazetteer() -> tuple[tuple[str, str], ...]:
    """(name, label) pairs from the packaged gazetteer files, in file order."""
    pairs = []
    folder = resources.files("extractors.data")
    for filename, label in GAZETTEERS.items():
        for line in folder.joinpath(filename).read_text(encoding="utf-8").splitlines():
            name = line.split("#", 1)[0].strip()
            if name:
                pairs.append((name, label))
    return tuple(pairs)


def rule_patterns(language: str) -> list[dict[str, Any]]:
    """EntityRuler patterns: gazetteer phrases first, then shape patterns (stable ids ``entities.*``)."""
    patterns: list[dict[str, Any]] = [
        {"label": label, "pattern": name, "id": "entities.gazetteer"} for name, label in gazetteer()
    ]
    families = {"TEXT": {"IN": _MODEL_FAMILIES}}
    patterns += [
        {"label": "MODEL", "id": "entities.model_version",
         "pattern": [families, {"ORTH": {"IN": ["-", " "]}, "OP": "?"}, {"TEXT": {"REGEX": _VERSION}}]},
        {"label": "MODEL", "id": "entities.model_version",
         "pattern": [{"TEXT": {"REGEX": r"^(?:Qwen|GPT|Llama|GLM|DeepSeek)-?\d[\w.-]*$"}}]},
        {"label": "WORK", "id": "entities.title",
         "pattern": [{"ORTH": "《"}, {"ORTH": {"NOT_IN": ["《", "》", "。"]}, "OP": "+"}, {"ORTH": "》"}]},
        {"label": "PRODUCT", "id": "entities.quoted_name",
         "pattern": [{"ORTH": {"IN": ["“", '"']}}, {"TEXT": {"REGEX": r"^[A-Z][A-Za-z0-9.+-]*$"}, "OP": "+"},
                     {"ORTH": {"IN": ["”", '"']}}]},
    ]
    if language == "zh":
        places = [name for name, label in gazetteer() if label == "GPE"]
        patterns += [
            {"label": "ORG", "id": "entities.org_suffix",
             "pattern": [{"TEXT": {"IN": places}}, {"TEXT": {"REGEX": rf"^[{HAN}]{{2,4}}$"}, "OP": "?"},
                         {"TEXT": {"REGEX": _ORG_SUFFIX}}]},
            {"label": "ORG", "id": "entities.org_suffix",
             "pattern": [{"TEXT": {"REGEX": rf"^[{HAN}]{{2,8}}(?:公司|集团|研究院|大学|委员会)$"}}]},
        ]
    else:
        title_word = {"IS_TITLE": True, "LOWER": {"NOT_IN": ["the", "a", "an", "this", "that", "our", "its"]}, "OP": "+"}
        patterns += [
            {"label": "ORG", "id": "entities.org_suffix",
             "pattern": [title_word, {"LOWER": {"IN": _EN_ORG_SUFFIX}}]},
            {"label": "ORG", "id": "entities.org_of",
             "pattern": [{"LOWER": {"IN": ["department", "ministry", "university", "bureau", "office"]}, "IS_TITLE": True},
                         {"LOWER": "of"}, {"LOWER": "the", "OP": "?"}, {"IS_TITLE": True, "OP": "+"}]},
            {"label": "LAW", "id": "entities.act",
             "pattern": [title_word, {"ORTH": "Act"}]},
        ]
    return patterns


class RuleNer:
    """Gazetteer + pattern NER on spaCy's EntityRuler; needs no trained model."""

    name = "rules"

    def __call__(self, text: str) -> list[Entity]:
        entities: list[Entity] = []
        for start, end in paragraph_spans(text):
            paragraph = text[start:end]
            language = detect_language(paragraph)
            pipeline = _ruler(language)
            for s, e, label, rule in nlp.doc_entities(pipeline, paragraph):
                entity = _refine(paragraph, s, e, label, rule or "entities.rule")
                entities.append(_shift(entity, start))
        return entities


@lru_cache(maxsize=2)
def _ruler(language: str) -> Any:
    words = tuple(name for name, _ in gazetteer() if re.search(rf"[{HAN}]", name))
    return nlp.ruler_pipeline(language, json.dumps(rule_patterns(language), ensure_ascii=False), words)


def _refine(text: str, start: int, end: int, label: str, rule: str) -> Entity:
    """Drop the quote/title marks around titles and quoted names; laws get LAW."""
    if rule in ("entities.title", "entities.quoted_name"):
        start, end = start + 1, end - 1
        if rule == "entities.title" and _LAW_TITLE.search(text[start:end]):
            label = "LAW"
    return Entity(start, end, text[start:end], label, rule_id=rule)


def _shift(entity: Entity, offset: int) -> Entity:
    return Entity(entity.start + offset, entity.end + offset, entity.text, entity.label, entity.page, entity.rule_id)


# --------------------------------------------------------------------------- models


class HanlpNer:
    """A HanLP NER component (a saved directory or a locally cached pretrained id).

    The text is split into sentences first (HanLP models are trained on
    sentences); Chinese sentences are fed as characters, others as
    whitespace tokens, and token spans are mapped back to character offsets.
    """

    def __init__(self, name_or_path: str) -> None:
        self.name = f"hanlp:{name_or_path}"
        self._model = nlp.hanlp_model(name_or_path)

    def __call__(self, text: str) -> list[Entity]:
        entities: list[Entity] = []
        for start, end in split_sentences(text, language="zh"):
            tokens = self._tokens(text[start:end])
            if not tokens:
                continue
            output = self._model([t for t, _, _ in tokens])
            for label, b, e in _hanlp_spans(output):
                s, t = tokens[b][1] + start, tokens[e - 1][2] + start
                entities.append(Entity(s, t, text[s:t], _hanlp_label(label), rule_id="entities.hanlp"))
        return sorted(entities, key=lambda e: (e.start, e.end))

    def _tokens(self, sentence: str) -> list[tuple[str, int, int]]:
        """Characters for Chinese sentences, whitespace tokens for others: (token, start, end).

        Decided by the text, not the model's saved ``token_delimiter``: HanLP
        guesses that from the tail of its vocabulary, which for small
        vocabularies holds "<pad>"/"<unk>" and so says " " even for character models.
        """
        if detect_language(sentence) == "zh":
            return [(ch, i, i + 1) for i, ch in enumerate(sentence) if not ch.isspace()]
        return [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", sentence)]


def _hanlp_spans(output: Any) -> list[tuple[str, int, int]]:
    """(label, first token, end token) from a HanLP NER output: ``[(text, label, b, e), ...]``.

    Multi-task pipelines return a dict-like document; its first ``ner*`` entry is used.
    """
    if hasattr(output, "keys"):
        keys = [k for k in output.keys() if str(k).startswith("ner")]
        output = output[keys[0]] if keys else []
    return [(str(item[1]), int(item[2]), int(item[3])) for item in output]


def _hanlp_label(label: str) -> str:
    return HANLP_LABELS.get(label.upper(), label.upper())


class SpacyNer:
    """A trained spaCy pipeline with an ``ner`` (or ruler) component, loaded from disk."""

    def __init__(self, path: str) -> None:
        self.name = f"spacy:{path}"
        self._nlp = nlp.spacy_pipeline(path)

    def __call__(self, text: str) -> list[Entity]:
        return [
            Entity(s, e, text[s:e], label, rule_id="entities.spacy")
            for s, e, label, _ in nlp.doc_entities(self._nlp, text)
        ]


@lru_cache(maxsize=8)
def load_backend(spec: str = "rules") -> NerBackend:
    """The backend for ``spec``: "rules", "hanlp:<name_or_path>" or "spacy:<path>" (cached per spec)."""
    kind, _, arg = spec.partition(":")
    if kind == "rules" and not arg:
        return RuleNer()
    if kind == "hanlp" and arg:
        return HanlpNer(arg)
    if kind == "spacy" and arg:
        return SpacyNer(arg)
    raise UnknownBackend(f"unknown NER backend {spec!r}; expected 'rules', 'hanlp:<name_or_path>' or 'spacy:<path>'")


def entities_in(entities: Sequence[Entity], start: int, end: int) -> list[Entity]:
    """The entities inside ``[start, end)``, re-based to ``start`` (for :func:`extractors.claims.rules.judge_sentence`)."""
    return [_shift(e, -start) for e in entities if e.start >= start and e.end <= end]
