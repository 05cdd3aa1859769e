"""Train the learned check-worthiness scorer and export it as a plain model file.

Training needs scikit-learn (the optional ``train`` extra); the exported file
does not: it is gzip JSON (n-gram vocabulary with idf and coefficient, the
coefficients of the rule cues, the intercept and a Platt calibration) that
:mod:`extractors.claims.model` evaluates in plain Python.  This module does the
I/O (reads the labelled sentences, writes the file), so it lives in ``flows``;
the features come from :mod:`extractors.claims.rules` so the model and the
rules see the same evidence.

Two recipes (:data:`RECIPES`):

* ``en``: the 8,966 ClaimBuster sentences (``../shared/corpora/claimbuster``,
  CC BY 4.0), word 1-2-grams, stratified 5-fold CV, threshold 0.5 on the
  calibrated probability (the best-F1 threshold is reported beside it);
* ``zh``: our hand-labelled sentences (``tests/gold/checkworthy_zh_{a,b,c,d}.tsv``,
  offsets into the documents under ``../shared`` and, for d, into public blog
  posts and provincial reports kept in ``../train_docs``, labelled by
  docs/claims-guideline.md), character 1-3-grams, the rules' cues *with the
  section context* computed from the whole document exactly as production
  does, 5-fold CV grouped by document (no report is in its own test fold),
  threshold at the highest recall that claims at most :data:`MAX_FALSE_RATE`
  of the non-claims (the issue's bar: recall with ≤ 3 % of non-claims claimed).

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
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from extractors.claims.model import FORMAT, TOKEN_PATTERN, analyze, preprocess
from extractors.claims.rules import CUE_FEATURES, Judgement, cue_vector, judge_sentence
from extractors.numbers import assertions as num

SEED = 20260
FOLDS = 5
DECIMALS = 6
#: The zh threshold: the share of non-claims the model may claim in cross-validation.
MAX_FALSE_RATE = 0.03
_REPO = Path(__file__).resolve().parents[1]
SHARED = _REPO.parent / "shared"
#: Where the shared checkout keeps the ClaimBuster sentences (outside the repo: third-party text).
DEFAULT_DATA = SHARED / "corpora" / "claimbuster" / "sentences.tsv"
#: Our Chinese training labels, every ``checkworthy_zh_*.tsv`` but the held-out test file: a-c point
#: into ../shared, the later parts into blog posts, provincial reports and party documents kept
#: outside the repo (:data:`TRAIN_DOCS`).
ZH_GOLD = tuple(path for path in sorted((_REPO / "tests" / "gold").glob("checkworthy_zh_*.tsv"))
                if path.name != "checkworthy_zh_heldout.tsv")
#: Where the documents of part d live: ``benchmarks/heldout_docs.py --set train`` re-creates the folder.
TRAIN_DOCS = Path(os.environ.get("CLAIMLEDGER_TRAIN_DOCS", _REPO.parent / "train_docs"))
PREPROCESSOR = "lowercase, digit runs as 0"


@dataclass(frozen=True, slots=True)
class Recipe:
    """How one language's model is trained: features, regularization, threshold rule, provenance."""

    language: str
    analyzer: str
    ngram_range: tuple[int, int]
    #: Inverse regularization of the logistic regression (chosen on the CV, see benchmarks/).
    c: float
    #: N-grams seen in fewer sentences than this are left out (keeps the file small).
    min_df: int
    #: "half": 0.5 on the calibrated probability (claimed when more likely than not; English: CV F1
    #: 0.743 at P 0.82, against the best F1 0.762 at 0.35 with P 0.74 -- we favour precision, a fact-checker's
    #: time goes to every false claim); "f1": the best F1; "false_rate": the best recall within MAX_FALSE_RATE.
    threshold_rule: str
    grouped: bool
    source: str
    licence: str
    credit: str


RECIPES: dict[str, Recipe] = {
    "en": Recipe(
        "en", "word", (1, 2), 4.0, 2, "half", False,
        source="ClaimBuster (Arslan, Hassan, Li, Tremayne, ICWSM 2020), https://doi.org/10.5281/zenodo.3609356",
        licence="CC BY 4.0",
        credit="Check-worthiness labels from ClaimBuster: Arslan, Hassan, Li and Tremayne, "
               "'A Benchmark Dataset of Check-worthy Factual Claims', ICWSM 2020 (CC BY 4.0)."),
    "zh": Recipe(
        "zh", "char", (1, 3), 4.0, 5, "false_rate", True,
        source="ClaimLedger's hand labels (tests/gold/checkworthy_zh_*.tsv but _heldout, docs/claims-guideline.md) "
               "of sentences of China's national government work reports 2000-2025 and two seed documents "
               "(../shared), 36 Chinese Hugging Face blog translations (github.com/FableFatale/hf-blog-translation "
               "@ 7e142805), 10 provincial government work reports 2026 "
               "(github.com/johncodes404/china-provincial-gov-reports-2026 @ ad4c815c) and 4 CPC congress reports "
               "(github.com/aldohemsn/chinese-political-corpora @ 99bc4b01); benchmarks/heldout_docs.py --set train "
               "re-creates the documents outside ../shared",
        licence="labels: same licence as ClaimLedger; the model stores character n-gram weights, no sentences",
        credit="Labels by the ClaimLedger developers (docs/claims-guideline.md); texts: the State Council's and "
               "provincial governments' work reports, Hugging Face blog posts in Chinese translation."),
}
#: Back-compatible names of the English recipe.
SOURCE = RECIPES["en"].source
LICENCE = RECIPES["en"].licence


def default_output(language: str) -> Path:
    """The model file the runtime loads: ``extractors/data/checkworthiness_<language>.json.gz``."""
    return _REPO / "extractors" / "data" / f"checkworthiness_{language}.json.gz"


@dataclass(frozen=True, slots=True)
class Labelled:
    """One labelled sentence: 1 = check-worthy factual claim, 0 = not.

    ``cues`` are precomputed rule features when the sentence was judged in its
    document (the Chinese labels: section context needs the document);
    ``group`` is the document, for grouped cross-validation.
    """

    sentence_id: str
    label: int
    text: str
    cues: tuple[int, ...] | None = None
    group: str | None = None


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


def read_gold_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a gold TSV (file, start, end, sha, label, kind); ``#`` lines are its header comment."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_gold(paths: Iterable[Path], roots: Sequence[Path] = (SHARED, TRAIN_DOCS)) -> list[Labelled]:
    """Labelled sentences from gold files pointing into documents under one of ``roots``.

    Each document is extracted as production extracts it and its sentences are
    judged by the rules in place (numbers, entities, markers, section), so the
    features are the ones the shipped model will see.  A label whose offsets no
    longer cut a sentence with the stored SHA-1 is an error, never skipped.
    """
    from extractors.document import extract_document, rule_judgements

    rows = [row for path in paths for row in read_gold_rows(path)]
    judged: dict[str, dict[tuple[int, int], tuple[str, Judgement]]] = {}
    out = []
    for row in rows:
        name = row["file"]
        if name not in judged:
            found = [root / name for root in roots if (root / name).is_file()]
            if not found:
                raise ValueError(f"{name}: not under {' or '.join(map(str, roots))} "
                                 "(benchmarks/heldout_docs.py --set train re-creates the training documents)")
            document = extract_document(found[0].read_bytes(), source=str(found[0]), learned=False)
            judged[name] = {(s.start, s.end): (s.text, j)
                            for s, j in zip(document.sentences, rule_judgements(document))}
        span = (int(row["start"]), int(row["end"]))
        if span not in judged[name]:
            raise ValueError(f"{name} {span}: no sentence there (the labels need re-anchoring)")
        text, judgement = judged[name][span]
        if hashlib.sha1(text.encode("utf-8")).hexdigest()[:10] != row["sha"]:
            raise ValueError(f"{name} {span}: the sentence there changed since it was labelled")
        out.append(Labelled(f"{name}:{span[0]}-{span[1]}", int(row["label"]), text,
                            cue_vector(judgement), name))
    return out


def data_digest(*paths: Path) -> str:
    """sha256 of the training file(s), stored in the model so a reader can tell which data made it."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


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


def false_rate(gold: Sequence[int], predicted: Sequence[int]) -> float:
    """Share of the non-claims (label 0) that were claimed."""
    negatives = [p for g, p in zip(gold, predicted) if not g]
    return sum(1 for p in negatives if p) / len(negatives) if negatives else 0.0


def _vectorizer(recipe: Recipe):  # type: ignore[no-untyped-def]
    import numpy
    from sklearn.feature_extraction.text import TfidfVectorizer

    options = {"token_pattern": TOKEN_PATTERN} if recipe.analyzer == "word" else {}
    return TfidfVectorizer(analyzer=recipe.analyzer, preprocessor=preprocess, ngram_range=recipe.ngram_range,
                           min_df=recipe.min_df, sublinear_tf=True, norm="l2", dtype=numpy.float64, **options)


def _features(vectorizer, texts: Sequence[str], cues, fit: bool):  # type: ignore[no-untyped-def]
    from scipy.sparse import csr_matrix, hstack

    words = vectorizer.fit_transform(texts) if fit else vectorizer.transform(texts)
    return hstack([words, csr_matrix(cues, dtype=float)], format="csr")


def _classifier(recipe: Recipe):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=recipe.c, solver="liblinear", random_state=SEED, max_iter=1000)


def _platt(decisions: Sequence[float], labels: Sequence[int]) -> tuple[float, float]:
    """(a, b) so that P(claim) = 1 / (1 + exp(-(a·d + b))), fitted on out-of-fold decisions."""
    from sklearn.linear_model import LogisticRegression

    fit = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    fit.fit([[d] for d in decisions], list(labels))
    return float(fit.coef_[0][0]), float(fit.intercept_[0])


def _folds(data: Sequence[Labelled], recipe: Recipe):  # type: ignore[no-untyped-def]
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    labels = [d.label for d in data]
    if recipe.grouped:
        return GroupKFold(n_splits=FOLDS).split(data, labels, [d.group or d.sentence_id for d in data])
    return StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED).split(data, labels)


def choose_threshold(labels: Sequence[int], probs: Sequence[float], rule: str) -> float:
    """The decision threshold on calibrated probabilities, by the recipe's rule (see :class:`Recipe`)."""
    candidates = [round(t / 100, 2) for t in range(5, 96)]
    if rule == "half":
        return 0.5
    if rule == "f1":
        return max(candidates, key=lambda t: (scores(labels, [p >= t for p in probs]).f1, -abs(t - 0.5)))
    allowed = [t for t in candidates if false_rate(labels, [p >= t for p in probs]) <= MAX_FALSE_RATE]
    return max(allowed or candidates[-1:], key=lambda t: (scores(labels, [p >= t for p in probs]).recall, t))


def cross_validate(data: Sequence[Labelled], cues: Sequence[Sequence[int]], recipe: Recipe | None = None) -> dict:
    """K-fold CV: out-of-fold decisions, Platt fit, the recipe's threshold and the figures at it."""
    recipe = recipe or RECIPES["en"]
    texts = [d.text for d in data]
    labels = [d.label for d in data]
    decisions = [0.0] * len(data)
    for train_idx, test_idx in _folds(data, recipe):
        vectorizer = _vectorizer(recipe)
        x_train = _features(vectorizer, [texts[i] for i in train_idx], [cues[i] for i in train_idx], fit=True)
        model = _classifier(recipe).fit(x_train, [labels[i] for i in train_idx])
        x_test = _features(vectorizer, [texts[i] for i in test_idx], [cues[i] for i in test_idx], fit=False)
        for i, d in zip(test_idx, model.decision_function(x_test)):
            decisions[i] = float(d)
    a, b = _platt(decisions, labels)
    # Scored as production decides: a gated sentence is never claimed, whatever the model says.
    probs = [0.0 if gated(c) else 1.0 / (1.0 + math.exp(-(a * d + b))) for d, c in zip(decisions, cues)]
    threshold = choose_threshold(labels, probs, recipe.threshold_rule)
    best = choose_threshold(labels, probs, "f1")
    at = [p >= threshold for p in probs]
    return {
        "folds": FOLDS,
        "grouped_by_document": recipe.grouped,
        "at_0.5": scores(labels, [p >= 0.5 for p in probs]).as_dict(),
        "threshold": threshold,
        "at_threshold": {**scores(labels, at).as_dict(), "non_claims_claimed": round(false_rate(labels, at), 4)},
        "best_f1": {"threshold": best, **scores(labels, [p >= best for p in probs]).as_dict()},
        "calibration": (a, b),
        "probabilities": probs,
    }


#: Indexes of the hard gates among the features: a gated sentence is never a claim (rules.judge_sentence).
GATES = tuple(k for k, feature in enumerate(CUE_FEATURES) if feature.startswith("gate."))


def gated(cues: Sequence[int]) -> bool:
    """Whether a sentence with these features is gated (production never claims it)."""
    return any(cues[k] for k in GATES)


def _cues(data: Sequence[Labelled], language: str) -> list[tuple[int, ...]]:
    return [d.cues if d.cues is not None else cue_vector(rule_judgement(d.text, language)) for d in data]


def train(data: Sequence[Labelled], *, digest: str, language: str = "en") -> dict:
    """Cross-validate, fit on all sentences and return the exportable model as a dict."""
    recipe = RECIPES[language]
    cues = _cues(data, language)
    cv = cross_validate(data, cues, recipe)
    vectorizer = _vectorizer(recipe)
    x = _features(vectorizer, [d.text for d in data], cues, fit=True)
    model = _classifier(recipe).fit(x, [d.label for d in data])
    coef = model.coef_[0]
    vocabulary = vectorizer.vocabulary_
    kept = sorted(vocabulary.items())  # every term: the l2 norm counts them all
    offset = len(vocabulary)
    a, b = cv["calibration"]
    tokenizer = {"analyzer": recipe.analyzer, "ngram_range": list(recipe.ngram_range), "preprocessor": PREPROCESSOR,
                 "sublinear_tf": True, "norm": "l2"}
    if recipe.analyzer == "word":
        tokenizer["token_pattern"] = TOKEN_PATTERN
    return {
        "format": FORMAT,
        "language": language,
        "tokenizer": tokenizer,
        "terms": [term for term, _ in kept],
        "idf": [round(float(vectorizer.idf_[k]), DECIMALS) for _, k in kept],
        "coef": [round(float(coef[k]), DECIMALS) for _, k in kept],
        "cue_weights": {cue: round(float(coef[offset + k]), DECIMALS) for k, cue in enumerate(CUE_FEATURES)},
        "intercept": round(float(model.intercept_[0]), DECIMALS),
        "calibration": {"method": "platt", "a": round(a, DECIMALS), "b": round(b, DECIMALS)},
        "threshold": cv["threshold"],
        "metadata": {
            "source": recipe.source,
            "licence": recipe.licence,
            "credit": recipe.credit,
            "sentences": len(data),
            "positives": sum(d.label for d in data),
            "documents": len({d.group or d.sentence_id for d in data}) if recipe.grouped else None,
            "data_sha256": digest,
            "seed": SEED,
            "classifier": f"logistic regression (liblinear, C={recipe.c}), {recipe.analyzer} "
                          f"{recipe.ngram_range[0]}-{recipe.ngram_range[1]}-grams tf-idf (min_df={recipe.min_df}) "
                          "+ rule cues, gates and section context",
            "threshold_rule": {"false_rate": f"highest recall claiming at most {MAX_FALSE_RATE:.0%} of non-claims",
                               "half": "0.5 on the calibrated probability",
                               "f1": "best F1"}[recipe.threshold_rule],
            "cv": {k: cv[k] for k in ("folds", "grouped_by_document", "at_0.5", "threshold", "at_threshold",
                                      "best_f1")},
            "vocabulary_size": len(vocabulary),
        },
    }


def model_bytes(model: dict) -> bytes:
    """The model as deterministic gzip JSON (sorted keys, no timestamp in the header)."""
    raw = json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=9, mtime=0)


def train_file(data_path: Path, out_path: Path, *, language: str = "en", limit: int | None = None) -> dict:
    """Read ``data_path`` (ClaimBuster-style TSV), train, write ``out_path``.

    With ``limit``, only about that many sentences, taken evenly across the file
    (it is ordered by label, so a head slice would hold one class).
    """
    data = read_sentences(data_path)
    if limit is not None:
        data = data[:: max(1, len(data) // limit)][:limit]
    model = train(data, digest=data_digest(data_path), language=language)
    out_path.write_bytes(model_bytes(model))
    return model


def train_gold(paths: Sequence[Path], out_path: Path, *, language: str = "zh",
               roots: Sequence[Path] = (SHARED, TRAIN_DOCS)) -> dict:
    """Train from gold label files pointing into ``roots`` (the Chinese recipe) and write ``out_path``."""
    data = read_gold(paths, roots)
    model = train(data, digest=data_digest(*paths), language=language)
    out_path.write_bytes(model_bytes(model))
    return model
