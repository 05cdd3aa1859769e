"""Learned check-worthiness: a calibrated probability from a small exported model.

The model is a logistic regression over tf-idf n-grams of the sentence and the
rule cues of :mod:`extractors.claims.rules` (see
:data:`~extractors.claims.rules.CUE_FEATURES`: cues, gates and the section
context), trained by ``claimledger model train`` (``flows/training.py``) and
shipped as gzip JSON in ``extractors/data/checkworthiness_<language>.json.gz``.
English reads word 1-2-grams; Chinese, which does not space its words, reads
character 1-3-grams.  Digit runs become one ``0`` before either, so a model
learns "a figure in this frame" rather than particular figures.

It is evaluated here in plain Python so the default run never imports
scikit-learn: :func:`analyze` reproduces scikit-learn's ``TfidfVectorizer``
analyzers (``word`` with ``TOKEN_PATTERN``; ``char`` with white-space runs
folded) with the settings stored in the file, then sublinear tf, idf and l2
norm, and the decision value goes through the Platt calibration fitted on
cross-validated decisions.  A file is read lazily once per language.
"""

from __future__ import annotations

import functools
import gzip
from array import array
import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from extractors.claims.rules import CUE_FEATURES, Judgement, cue_vector
from extractors.lexicon import HAN

#: scikit-learn's default word pattern; the training script passes the same one.
TOKEN_PATTERN = r"(?u)\b\w\w+\b"
_TOKEN = re.compile(TOKEN_PATTERN)
#: scikit-learn's ``_white_spaces``: the char analyzer folds runs of white space to one space.
_WHITE_SPACES = re.compile(r"\s\s+")
_HAN_CHAR = re.compile(f"[{HAN}]")
_LATIN_CHAR = re.compile(r"[A-Za-z\u00C0-\u024F]")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
#: The analyzer each language's model is trained with: (analyzer, n-gram range).
ANALYZERS: Mapping[str, tuple[str, tuple[int, int]]] = MappingProxyType({
    "en": ("word", (1, 2)),
    "zh": ("char", (1, 3)),
})
#: A sentence is scored by the Chinese model when at least this share of its letters are Han.
HAN_SHARE = 0.3
#: The model file layout this module reads (2: analyzer and preprocessor named in the file).
FORMAT = 2


def preprocess(text: str) -> str:
    """Lowercase, and every digit run (``149.4``, ``2,626``) becomes ``0``: the training's ``preprocessor``."""
    return _DIGITS.sub("0", text.lower())


def analyze(text: str, analyzer: str, ngram_range: tuple[int, int]) -> Counter[str]:
    """The n-gram counts scikit-learn's ``TfidfVectorizer(analyzer=…, preprocessor=preprocess)`` builds."""
    text = preprocess(text)
    low, high = ngram_range
    grams: Counter[str] = Counter()
    if analyzer == "word":
        tokens = _TOKEN.findall(text)
        for n in range(low, high + 1):
            grams.update(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
        return grams
    if analyzer != "char":
        raise ValueError(f"unknown analyzer {analyzer!r}")
    text = _WHITE_SPACES.sub(" ", text)
    for n in range(low, min(high, len(text)) + 1):
        # Counter.update counts in C: this is the hot loop of scoring a sentence.
        grams.update(text if n == 1 else (text[i:i + n] for i in range(len(text) - n + 1)))
    return grams


def sentence_language(text: str) -> str:
    """"zh" when Han characters make up at least :data:`HAN_SHARE` of the letters (Han and Latin), else "en"."""
    han = len(_HAN_CHAR.findall(text))
    latin = len(_LATIN_CHAR.findall(text))
    if not han + latin:
        return "en"
    return "zh" if han >= HAN_SHARE * (han + latin) else "en"


@dataclass(frozen=True, slots=True)
class CheckworthinessModel:
    """The exported model: per-term idf and coefficient, cue coefficients, intercept, calibration."""

    language: str
    analyzer: str
    ngram_range: tuple[int, int]
    #: n-gram -> row of :attr:`idf` and :attr:`coef` (two flat arrays: a few MB, not tens).
    terms: Mapping[str, int]
    idf: array
    coef: array
    cue_weights: tuple[float, ...]
    intercept: float
    platt_a: float
    platt_b: float
    threshold: float
    metadata: Mapping[str, object]

    def decision(self, text: str, cues: Sequence[int]) -> float:
        """The logistic regression's decision value for ``text`` with rule features ``cues``."""
        squares = dot = 0.0
        terms, idf, coef = self.terms, self.idf, self.coef
        for term, count in analyze(text, self.analyzer, self.ngram_range).items():
            row = terms.get(term)
            if row is not None:
                value = (1.0 if count == 1 else 1.0 + math.log(count)) * idf[row]  # sublinear tf x idf
                squares += value * value
                dot += value * coef[row]
        value = self.intercept + dot / (math.sqrt(squares) or 1.0)
        return value + sum(w for w, on in zip(self.cue_weights, cues) if on)

    def probability(self, text: str, cues: Sequence[int]) -> float:
        """Calibrated P(check-worthy)."""
        z = self.platt_a * self.decision(text, cues) + self.platt_b
        return 1.0 / (1.0 + math.exp(-z)) if z >= -700 else 0.0


def parse_model(raw: bytes) -> CheckworthinessModel:
    """A model from the gzip JSON bytes the training script writes."""
    data = json.loads(gzip.decompress(raw))
    if data.get("format") != FORMAT:
        raise ValueError(f"check-worthiness model format {data.get('format')!r}; this scorer reads format {FORMAT}")
    tokenizer = data["tokenizer"]
    if tokenizer["analyzer"] == "word" and tokenizer["token_pattern"] != TOKEN_PATTERN:
        raise ValueError("check-worthiness model was trained with another token pattern than this scorer reads")
    if tokenizer.get("preprocessor") != "lowercase, digit runs as 0":
        raise ValueError("check-worthiness model was trained with another preprocessor than this scorer applies")
    weights = data["cue_weights"]
    return CheckworthinessModel(
        language=data["language"],
        analyzer=tokenizer["analyzer"],
        ngram_range=(int(tokenizer["ngram_range"][0]), int(tokenizer["ngram_range"][1])),
        terms=MappingProxyType({term: row for row, term in enumerate(data["terms"])}),
        idf=array("d", data.pop("idf")),
        coef=array("d", data.pop("coef")),
        cue_weights=tuple(float(weights.get(c, 0.0)) for c in CUE_FEATURES),
        intercept=float(data["intercept"]),
        platt_a=float(data["calibration"]["a"]),
        platt_b=float(data["calibration"]["b"]),
        threshold=float(data["threshold"]),
        metadata=MappingProxyType(data["metadata"]),
    )


@functools.cache
def load_model(language: str = "en") -> CheckworthinessModel | None:
    """The shipped model for ``language``, or None when there is none (read once, cached)."""
    source = resources.files("extractors.data").joinpath(f"checkworthiness_{language}.json.gz")
    if not source.is_file():
        return None
    return parse_model(source.read_bytes())


def checkworthiness(text: str, judgement: Judgement, language: str = "en") -> float | None:
    """Calibrated probability that ``text`` is check-worthy, or None without a model for ``language``.

    ``judgement`` is the rules' judgement of the same sentence; its cues are features.
    """
    model = load_model(language)
    return None if model is None else model.probability(text, cue_vector(judgement))


def scorer_for(text: str) -> CheckworthinessModel | None:
    """The shipped model for the sentence's own language (:func:`sentence_language`), if there is one.

    Chosen per sentence, not per document: an English quotation in a Chinese
    post is scored by the English model.
    """
    return load_model(sentence_language(text))
