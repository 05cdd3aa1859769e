"""Learned check-worthiness vs today's rules on ClaimBuster (issue 14, English part).

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


if __name__ == "__main__":
    main()
