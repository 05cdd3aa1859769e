"""The one place that imports spaCy and HanLP and loads their pipelines and models.

Everything is lazy (importing :mod:`extractors` stays cheap) and cached per
process, because building a pipeline costs seconds and a model much more.
Callers get spaCy/HanLP objects from here but must convert their results to
our dataclasses before returning them out of :mod:`extractors`.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from extractors.errors import ExtractionError

logger = logging.getLogger(__name__)

#: spaCy config for a blank Chinese pipeline that segments words with jieba
#: (spaCy's default "char" segmenter makes every character a token).
ZH_JIEBA_CONFIG = {"nlp": {"tokenizer": {"segmenter": "jieba"}}}


class ModelLoadError(ExtractionError):
    """A spaCy pipeline or HanLP model could not be loaded from the given name or path."""

    code = "N001"


@lru_cache(maxsize=4)
def blank_pipeline(language: str) -> Any:
    """A blank spaCy pipeline: English gets a rule-based ``sentencizer``, Chinese a jieba tokenizer.

    No model is downloaded; the pipelines only hold tokenizers and rules.
    """
    if language == "zh":
        return _zh_jieba_pipeline(())
    import spacy

    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer")
    return nlp


def _zh_jieba_pipeline(words: tuple[str, ...]) -> Any:
    """``spacy.blank("zh")`` segmenting with our private jieba tokenizer.

    Built with the cheap "char" segmenter and then switched to jieba, because
    building it with ``ZH_JIEBA_CONFIG`` makes spaCy initialise jieba's global
    dictionary too — a second ~1 s load on every run for nothing.
    """
    import spacy
    from spacy.lang.zh import Segmenter

    nlp = spacy.blank("zh")
    nlp.tokenizer.jieba_seg = jieba_tokenizer(words)
    nlp.tokenizer.segmenter = Segmenter.jieba
    return nlp


@lru_cache(maxsize=4)  # the plain one (sentences, counts) and the gazetteer one (NER) live side by side
def jieba_tokenizer(words: tuple[str, ...]) -> Any:
    """A private jieba tokenizer that keeps every word in ``words`` as one token.

    Private so that adding gazetteer words never changes the global ``jieba``
    dictionary other code may rely on.
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not for our users' terminals
    tok = jieba.Tokenizer()
    tok.initialize()
    for word in words:
        tok.add_word(word, freq=100_000)
    return tok


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    """Part-of-speech flag of every non-noun word of jieba's dictionary (word, frequency, flag per line).

    Read directly rather than through ``jieba.posseg``, whose import also
    loads its HMM tables: half the start-up cost, and we only look words up.
    """
    from jieba import get_dict_file

    with get_dict_file() as f:
        lines = f.read().decode("utf-8").splitlines()
    tags = {}
    for line in lines:
        parts = line.split(" ")
        if len(parts) == 3 and not parts[2].startswith(("n", "vn")):
            tags[parts[0]] = sys.intern(parts[2])  # nouns are left out: a third of the memory
    return tags


def word_flag(word: str) -> str | None:
    """jieba's POS flag of ``word`` when it is not a noun (``v``, ``q``, ``d``, ``m`` ...), else ``None``.

    ``None`` covers nouns and words jieba does not list (see :func:`_word_tags`).
    """
    return _word_tags().get(word)


#: jieba POS flags of a counted thing: nouns (n, nr, ns, nt, nz, ng), verbal nouns, and the
#: distinguishing/adjectival modifiers in front of them (大型, 新型, 国产).
_NOUNISH = ("n", "vn", "b", "a")
_QUOTED = re.compile(r"[“「『\"](?P<q>[^”」』\"，。；\n]{2,12})[”」』\"]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9.+-]*")
# An unlisted word counts as a noun unless it holds a function character (以其为, 为之).
_CJK_WORD = re.compile(r"[^\W\d_A-Za-z以其为之的了在是和与及被把将从对向于等而或也都已]{2,}")


def leading_noun_phrase(text: str) -> str:
    """The noun phrase ``text`` starts with ("数据中心集群和…" -> "数据中心集群"), or "" if none.

    Words come from our jieba tokenizer and their flags from jieba's POS
    dictionary; a word jieba found but does not list (智算, AI) counts as a
    noun, as new words and Latin names mostly are; a quoted phrase right at
    the start is the phrase.  Modifiers count only when a noun follows them; the
    phrase stops at the first verb, particle, conjunction or punctuation.
    Dictionary lookups, not the HMM tagger: this runs for every count.
    """
    if quoted := _QUOTED.match(text):
        return quoted.group("q")  # 100多个“中间国家”
    tags = _word_tags()
    tokenizer = jieba_tokenizer(())
    words: list[tuple[str, str]] = []
    for word in tokenizer.lcut(text):
        known = tokenizer.FREQ.get(word, 0) > 0
        flag = tags.get(word) or ("n" if known or _CJK_WORD.fullmatch(word) or _LATIN_WORD.fullmatch(word) else "x")
        if not flag.startswith(_NOUNISH):
            break
        words.append((word, flag))
    while words and not words[-1][1].startswith(("n", "vn")):
        words.pop()
    return "".join(word for word, _ in words)


@lru_cache(maxsize=4)
def spacy_pipeline(path: str) -> Any:
    """A trained spaCy pipeline loaded from a directory (``nlp.to_disk`` output)."""
    import spacy

    try:
        return spacy.load(path)
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"cannot load spaCy pipeline {path!r}: {exc}") from exc


@lru_cache(maxsize=4)
def hanlp_model(name_or_path: str) -> Any:
    """A HanLP component from a saved directory or a HanLP pretrained identifier.

    Identifiers need the model to be in HanLP's local cache already: there is
    no network at run time, so a missing model raises :class:`ModelLoadError`.
    """
    import hanlp

    try:
        return hanlp.load(name_or_path, devices=-1, verbose=False)
    except Exception as exc:  # HanLP raises bare Exceptions, FileNotFoundError, ...
        raise ModelLoadError(f"cannot load HanLP model {name_or_path!r}: {exc}") from exc


def hanlp_sentences(text: str) -> Iterator[str]:
    """HanLP's rule-based sentence splitter (no model): yields stripped sentence strings."""
    from hanlp.utils.rules import split_sentence

    yield from split_sentence(text)


def spacy_sentences(text: str, language: str = "en") -> Iterable[tuple[int, int]]:
    """Character spans of the sentences spaCy's ``sentencizer`` finds in ``text``."""
    doc = blank_pipeline(language)(text)
    return [(s.start_char, s.end_char) for s in doc.sents]


@lru_cache(maxsize=8)
def ruler_pipeline(language: str, patterns_json: str, words: tuple[str, ...] = ()) -> Any:
    """A blank pipeline with an ``entity_ruler`` holding ``patterns_json`` (a JSON list of spaCy patterns).

    For Chinese, ``words`` (gazetteer names) are added to a private jieba
    dictionary first, so that a name like "工业和信息化部" is one token and
    token-based phrase patterns can match it.  Patterns arrive as JSON so the
    cache key is hashable.
    """
    import json

    import spacy

    if language == "zh":
        nlp = _zh_jieba_pipeline(words)
    else:
        nlp = spacy.blank(language)
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(json.loads(patterns_json))
    return nlp


def doc_entities(nlp: Any, text: str) -> list[tuple[int, int, str, str]]:
    """Run a spaCy pipeline and return its entities as plain ``(start, end, label, pattern_id)`` tuples."""
    doc = nlp(text)
    return [(ent.start_char, ent.end_char, ent.label_, ent.ent_id_) for ent in doc.ents]
