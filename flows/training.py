"""Train the learned check-worthiness scorer and export it as a plain model file.

Training needs scikit-learn (the optional ``train`` extra); the exported file
does not: it is gzip JSON (word n-gram vocabulary with idf and coefficient,
the coefficients of the rule cues, the intercept and a Platt calibration)
that :mod:`extractors.claims.model` evaluates in plain Python.  This module
does the I/O (reads the labelled sentences, writes the file), so it lives in
``flows``; the features come from :mod:`extractors.claims.rules` so the model
and the rules see the same evidence.

Everything is fixed so a retrain gives the same bytes: the seed, the sorted
vocabulary, weights rounded to :data:`DECIMALS`, JSON with sorted keys and a
gzip header without a timestamp.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extractors.claims.model import TOKEN_PATTERN, NGRAM_RANGE
from extractors.claims.rules import CUE_FEATURES, Judgement, cue_vector, judge_sentence
from extractors.numbers import assertions as num

SEED = 20260
FOLDS = 5
DECIMALS = 6
#: Inverse regularization of the logistic regression (chosen on 5-fold CV, see benchmarks/).
C = 4.0
#: Word n-grams seen in fewer sentences than this are left out (keeps the file small).
MIN_DF = 2
SOURCE = "ClaimBuster (Arslan, Hassan, Li, Tremayne, ICWSM 2020), https://doi.org/10.5281/zenodo.3609356"
LICENCE = "CC BY 4.0"
_REPO = Path(__file__).resolve().parents[1]
#: Where the shared checkout keeps the ClaimBuster sentences (outside the repo: third-party text).
DEFAULT_DATA = _REPO.parent / "shared" / "corpora" / "claimbuster" / "sentences.tsv"


def default_output(language: str) -> Path:
    """The model file the runtime loads: ``extractors/data/checkworthiness_<language>.json.gz``."""
    return _REPO / "extractors" / "data" / f"checkworthiness_{language}.json.gz"


@dataclass(frozen=True, slots=True)
class Labelled:
    """One labelled sentence: 1 = check-worthy factual claim, 0 = not."""

    sentence_id: str
    label: int
    text: str


@dataclass(frozen=True, slots=True)
class Scores:
    """Precision, recall and F1 of the positive class."""

    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def read_sentences(path: Path) -> list[Labelled]:
    """The ``sentence_id<TAB>label<TAB>text`` file, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [Labelled(r["sentence_id"], int(r["label"]), r["text"]) for r in rows]


def data_digest(path: Path) -> str:
    """sha256 of the training file, stored in the model so a reader can tell which data made it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rule_judgement(text: str, language: str = "en") -> Judgement:
    """The rules' judgement with the numbers production would pass (no NER entities)."""
    return judge_sentence(text, language=language, numbers=num.extract(text))


def scores(gold: Sequence[int], predicted: Sequence[int]) -> Scores:
    """P/R/F1 of label 1."""
    tp = sum(1 for g, p in zip(gold, predicted) if g and p)
    fp = sum(1 for g, p in zip(gold, predicted) if p and not g)
    fn = sum(1 for g, p in zip(gold, predicted) if g and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1)


def _vectorizer():  # type: ignore[no-untyped-def]
    import numpy
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(lowercase=True, token_pattern=TOKEN_PATTERN, ngram_range=NGRAM_RANGE,
                           min_df=MIN_DF, sublinear_tf=True, norm="l2", dtype=numpy.float64)


def _features(vectorizer, texts: Sequence[str], cues, fit: bool):  # type: ignore[no-untyped-def]
    from scipy.sparse import csr_matrix, hstack

    words = vectorizer.fit_transform(texts) if fit else vectorizer.transform(texts)
    return hstack([words, csr_matrix(cues, dtype=float)], format="csr")


def _classifier():  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, solver="liblinear", random_state=SEED, max_iter=1000)


def _platt(decisions: Sequence[float], labels: Sequence[int]) -> tuple[float, float]:
    """(a, b) so that P(claim) = 1 / (1 + exp(-(a·d + b))), fitted on out-of-fold decisions."""
    from sklearn.linear_model import LogisticRegression

    fit = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    fit.fit([[d] for d in decisions], list(labels))
    return float(fit.coef_[0][0]), float(fit.intercept_[0])


def cross_validate(data: Sequence[Labelled], cues: Sequence[Sequence[int]]) -> dict:
    """Stratified k-fold CV: out-of-fold decisions, Platt fit, best-F1 threshold and the figures."""
    from sklearn.model_selection import StratifiedKFold

    texts = [d.text for d in data]
    labels = [d.label for d in data]
    decisions = [0.0] * len(data)
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for train, test in folds.split(texts, labels):
        vectorizer = _vectorizer()
        x_train = _features(vectorizer, [texts[i] for i in train], [cues[i] for i in train], fit=True)
        model = _classifier().fit(x_train, [labels[i] for i in train])
        x_test = _features(vectorizer, [texts[i] for i in test], [cues[i] for i in test], fit=False)
        for i, d in zip(test, model.decision_function(x_test)):
            decisions[i] = float(d)
    a, b = _platt(decisions, labels)
    probs = [1.0 / (1.0 + math.exp(-(a * d + b))) for d in decisions]
    candidates = [round(t / 100, 2) for t in range(10, 91)]
    threshold = max(candidates, key=lambda t: (scores(labels, [p >= t for p in probs]).f1, -abs(t - 0.5)))
    return {
        "folds": FOLDS,
        "at_0.5": scores(labels, [p >= 0.5 for p in probs]).as_dict(),
        "threshold": threshold,
        "at_threshold": scores(labels, [p >= threshold for p in probs]).as_dict(),
        "calibration": (a, b),
        "probabilities": probs,
    }


def train(data: Sequence[Labelled], *, digest: str, language: str = "en") -> dict:
    """Cross-validate, fit on all sentences and return the exportable model as a dict."""
    cues = [cue_vector(rule_judgement(d.text, language)) for d in data]
    cv = cross_validate(data, cues)
    vectorizer = _vectorizer()
    x = _features(vectorizer, [d.text for d in data], cues, fit=True)
    model = _classifier().fit(x, [d.label for d in data])
    coef = model.coef_[0]
    vocabulary = vectorizer.vocabulary_
    terms = {
        term: [round(float(vectorizer.idf_[k]), DECIMALS), round(float(coef[k]), DECIMALS)]
        for term, k in sorted(vocabulary.items())
        if round(float(coef[k]), DECIMALS) != 0.0
    }
    offset = len(vocabulary)
    a, b = cv["calibration"]
    return {
        "format": 1,
        "language": language,
        "tokenizer": {"token_pattern": TOKEN_PATTERN, "ngram_range": list(NGRAM_RANGE), "lowercase": True,
                      "sublinear_tf": True, "norm": "l2"},
        "terms": terms,
        "cue_weights": {cue: round(float(coef[offset + k]), DECIMALS) for k, cue in enumerate(CUE_FEATURES)},
        "intercept": round(float(model.intercept_[0]), DECIMALS),
        "calibration": {"method": "platt", "a": round(a, DECIMALS), "b": round(b, DECIMALS)},
        "threshold": cv["threshold"],
        "metadata": {
            "source": SOURCE,
            "licence": LICENCE,
            "credit": "Check-worthiness labels from ClaimBuster: Arslan, Hassan, Li and Tremayne, "
                      "'A Benchmark Dataset of Check-worthy Factual Claims', ICWSM 2020 (CC BY 4.0).",
            "sentences": len(data),
            "positives": sum(d.label for d in data),
            "data_sha256": digest,
            "seed": SEED,
            "classifier": f"logistic regression (liblinear, C={C}), word 1-2-grams tf-idf (min_df={MIN_DF}) "
                          "+ rule cues",
            "cv": {k: cv[k] for k in ("folds", "at_0.5", "threshold", "at_threshold")},
            "vocabulary_size": len(vocabulary),
        },
    }


def model_bytes(model: dict) -> bytes:
    """The model as deterministic gzip JSON (sorted keys, no timestamp in the header)."""
    raw = json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0)


def train_file(data_path: Path, out_path: Path, *, language: str = "en", limit: int | None = None) -> dict:
    """Read ``data_path``, train, write ``out_path``.

    With ``limit``, only about that many sentences, taken evenly across the file
    (it is ordered by label, so a head slice would hold one class).
    """
    data = read_sentences(data_path)
    if limit is not None:
        data = data[:: max(1, len(data) // limit)][:limit]
    model = train(data, digest=data_digest(data_path), language=language)
    out_path.write_bytes(model_bytes(model))
    return model
