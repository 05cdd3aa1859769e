"""Learned check-worthiness vs the rules (issue 14): English on ClaimBuster, Chinese on our labels, cost.

Prints, for the 8,966 labelled English sentences of ClaimBuster
(``../shared/corpora/claimbuster/sentences.tsv``, CC BY 4.0, Arslan, Hassan,
Li, Tremayne, ICWSM 2020):

(a) the rules alone: a sentence is claimed when ``judge_sentence`` (with the
    numbers ``extractors.numbers.assertions.extract`` finds, as production
    passes them; no NER entities) says ``is_claim``: precision, recall, F1;
(b) the shipped model's cross-validated figures (stored in its metadata when it
    was trained), and with ``--cv`` the same 5-fold stratified CV run again
    here (needs scikit-learn, the ``train`` extra) to show they reproduce;
(c) cost: cold load time of the model file (best of 5 parses), and throughput
    in sentences per second of the rules alone vs rules + model scoring.

(d) Chinese: the shipped model's stored cross-validated figures (5-fold,
    grouped by document, threshold at the best recall claiming at most 3% of
    the non-claims), the rules alone on the same labels (with ``--zh-rules``:
    extracts the labelled documents), and the held-out figures through the
    production pipeline when ``CLAIMLEDGER_HELDOUT_DOCS`` is set
    (``benchmarks/checkworthiness_heldout.py``);
(e) cost in the pipeline: extraction of the 25 national reports with the
    learned scorers vs the rules alone (``judge_sentences(learned=False)``),
    best of 3 each, side by side in this run; and parse time of the zh file.

Exit status 0 whatever the numbers: this reports, the tests assert.
"""

from __future__ import annotations

import argparse
import time
from importlib import resources

from extractors.claims.model import load_model, parse_model
from extractors.claims.rules import cue_vector
from flows.training import DEFAULT_DATA, cross_validate, read_sentences, rule_judgement, scores


def _best(repeats: int, run) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="re-run the cross-validation (needs scikit-learn)")
    parser.add_argument("--zh-rules", action="store_true", help="also score the rules alone on the Chinese labels")
    args = parser.parse_args()

    data = read_sentences(DEFAULT_DATA)
    labels = [d.label for d in data]
    print(f"ClaimBuster: {len(data)} sentences, {sum(labels)} check-worthy")

    start = time.perf_counter()
    judgements = [rule_judgement(d.text) for d in data]
    rules_seconds = time.perf_counter() - start
    base = scores(labels, [j.is_claim for j in judgements])
    print(f"(a) rules alone:        P {base.precision:.3f}  R {base.recall:.3f}  F1 {base.f1:.3f}")

    model = load_model("en")
    if model is None:
        print("no shipped model (extractors/data/checkworthiness_en.json.gz)")
        return
    cv = model.metadata["cv"]
    print(f"(b) model, stored {cv['folds']}-fold CV: at 0.5 P {cv['at_0.5']['precision']:.3f} "
          f"R {cv['at_0.5']['recall']:.3f} F1 {cv['at_0.5']['f1']:.3f}; at threshold {cv['threshold']}: "
          f"P {cv['at_threshold']['precision']:.3f} R {cv['at_threshold']['recall']:.3f} "
          f"F1 {cv['at_threshold']['f1']:.3f}")
    cues = [cue_vector(j) for j in judgements]
    if args.cv:
        again = cross_validate(data, cues)
        print(f"    re-run here: threshold {again['threshold']}, at it {again['at_threshold']}")

    raw = resources.files("extractors.data").joinpath("checkworthiness_en.json.gz").read_bytes()
    load = _best(5, lambda: parse_model(raw))
    print(f"(c) model file {len(raw) / 1024:.0f} KB, {len(model.terms)} terms; parse {load * 1000:.0f} ms")
    score_seconds = _best(3, lambda: [model.probability(d.text, c) for d, c in zip(data, cues)])
    print(f"    rules: {len(data) / rules_seconds:,.0f} sentences/s; model scoring on top: "
          f"{len(data) / score_seconds:,.0f} sentences/s; rules + model "
          f"{len(data) / (rules_seconds + score_seconds):,.0f} sentences/s "
          f"({(rules_seconds + score_seconds) / rules_seconds:.2f}x the rules' time)")
    chinese(args.zh_rules)


def chinese(with_rules: bool) -> None:
    """(d) and (e): the Chinese model's figures and the pipeline's cost with and without the models."""
    import os

    from extractors import document as doc_module
    from extractors.document import extract_document, rule_judgements
    from flows.training import SHARED, TRAIN_DOCS, ZH_GOLD, read_gold_rows, scores

    model = load_model("zh")
    if model is None:
        print("no shipped Chinese model")
        return
    meta = model.metadata
    cv = meta["cv"]
    at = cv["at_threshold"]
    print(f"(d) zh model: {meta['sentences']} labelled sentences ({meta['positives']} check-worthy) of "
          f"{meta['documents']} documents; stored {cv['folds']}-fold CV grouped by document at threshold "
          f"{cv['threshold']}: P {at['precision']:.3f} R {at['recall']:.3f} F1 {at['f1']:.3f}, "
          f"non-claims claimed {at['non_claims_claimed']:.3f}")
    if with_rules:
        gold, verdicts = [], []
        rows = [row for path in ZH_GOLD for row in read_gold_rows(path)]
        judged: dict[str, dict[tuple[int, int], bool]] = {}
        for row in rows:
            name = row["file"]
            if name not in judged:
                found = [root / name for root in (SHARED, TRAIN_DOCS) if (root / name).is_file()]
                document = extract_document(found[0].read_bytes(), source=str(found[0]))
                judged[name] = {(s.start, s.end): j.is_claim
                                for s, j in zip(document.sentences, rule_judgements(document))}
            gold.append(int(row["label"]))
            verdicts.append(judged[name][(int(row["start"]), int(row["end"]))])
        base = scores(gold, verdicts)
        false = sum(1 for g, v in zip(gold, verdicts) if v and not g) / max(1, gold.count(0))
        print(f"    rules alone on the same labels: P {base.precision:.3f} R {base.recall:.3f} "
              f"F1 {base.f1:.3f}, non-claims claimed {false:.3f}")
    raw = resources.files("extractors.data").joinpath("checkworthiness_zh.json.gz").read_bytes()
    print(f"    model file {len(raw) / 1024:.0f} KB, {len(model.terms)} terms; "
          f"parse {_best(5, lambda: parse_model(raw)) * 1000:.0f} ms")
    held = os.environ.get("CLAIMLEDGER_HELDOUT_DOCS")
    if held:
        print(f"    held-out: python benchmarks/checkworthiness_heldout.py --root {held}")

    reports = sorted((SHARED / "corpora" / "gov-reports-national").glob("*.txt"))
    blobs = [(p.read_bytes(), str(p)) for p in reports]
    original = doc_module.judge_sentences

    def rules_only(*args, **kwargs):  # type: ignore[no-untyped-def]
        return original(*args, **{**kwargs, "learned": False})

    def run() -> None:
        for data, name in blobs:
            extract_document(data, source=name)

    learned = _best(3, run)
    doc_module.judge_sentences = rules_only
    try:
        rules = _best(3, run)
    finally:
        doc_module.judge_sentences = original
    print(f"(e) extraction of {len(blobs)} national reports: rules alone {rules:.2f} s, with the learned "
          f"scorers {learned:.2f} s ({learned / rules:.2f}x)")


if __name__ == "__main__":
    main()
