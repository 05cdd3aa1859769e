"""Learned check-worthiness: a calibrated probability from a small exported model.

The model is a logistic regression over word 1-2-gram tf-idf and the rule cues
of :mod:`extractors.claims.rules` (see :func:`~extractors.claims.rules.cue_vector`),
trained by ``claimledger model train`` (``flows/training.py``) and shipped as
gzip JSON in ``extractors/data/checkworthiness_<language>.json.gz``.  It is
evaluated here in plain Python so the default run never imports scikit-learn:
the tokenization below reproduces scikit-learn's ``TfidfVectorizer`` with the
settings stored in the file (lowercase, ``TOKEN_PATTERN``, sublinear tf, l2
norm), and the decision value goes through the Platt calibration fitted on
cross-validated decisions.  The file is read lazily once per language.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from extractors.claims.rules import CUE_FEATURES, Judgement, cue_vector

#: scikit-learn's default word pattern; the training script passes the same one.
TOKEN_PATTERN = r"(?u)\b\w\w+\b"
NGRAM_RANGE = (1, 2)
_TOKEN = re.compile(TOKEN_PATTERN)


@dataclass(frozen=True, slots=True)
class CheckworthinessModel:
    """The exported model: per-term (idf, coefficient), cue coefficients, intercept, calibration."""

    language: str
    terms: Mapping[str, tuple[float, float]]
    cue_weights: tuple[float, ...]
    intercept: float
    platt_a: float
    platt_b: float
    threshold: float
    metadata: Mapping[str, object]

    def decision(self, text: str, cues: Sequence[int]) -> float:
        """The logistic regression's decision value for ``text`` with rule features ``cues``."""
        weighted = []
        for term, count in _ngrams(text).items():
            entry = self.terms.get(term)
            if entry is not None:
                weighted.append(((1.0 + math.log(count)) * entry[0], entry[1]))
        norm = math.sqrt(sum(v * v for v, _ in weighted)) or 1.0
        value = self.intercept + sum(v * c for v, c in weighted) / norm
        return value + sum(w for w, on in zip(self.cue_weights, cues) if on)

    def probability(self, text: str, cues: Sequence[int]) -> float:
        """Calibrated P(check-worthy)."""
        z = self.platt_a * self.decision(text, cues) + self.platt_b
        return 1.0 / (1.0 + math.exp(-z)) if z >= -700 else 0.0


def _ngrams(text: str) -> Counter[str]:
    """Word n-gram counts exactly as scikit-learn's ``TfidfVectorizer(lowercase=True)`` builds them."""
    tokens = _TOKEN.findall(text.lower())
    grams: Counter[str] = Counter()
    low, high = NGRAM_RANGE
    for n in range(low, high + 1):
        for i in range(len(tokens) - n + 1):
            grams[" ".join(tokens[i:i + n])] += 1
    return grams


def parse_model(raw: bytes) -> CheckworthinessModel:
    """A model from the gzip JSON bytes the training script writes."""
    data = json.loads(gzip.decompress(raw))
    tokenizer = data["tokenizer"]
    if tokenizer["token_pattern"] != TOKEN_PATTERN or tuple(tokenizer["ngram_range"]) != NGRAM_RANGE:
        raise ValueError("check-worthiness model was trained with another tokenizer than this scorer reads")
    weights = data["cue_weights"]
    return CheckworthinessModel(
        language=data["language"],
        terms=MappingProxyType({t: (v[0], v[1]) for t, v in data["terms"].items()}),
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
