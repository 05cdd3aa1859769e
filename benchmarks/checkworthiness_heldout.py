"""Check-worthiness on held-out Chinese text, through the production pipeline (issue 14).

Reads the labels of ``tests/gold/checkworthy_zh_heldout.tsv`` (sentences of 14
documents that are not in ``../shared`` and were never used for training:
provincial government work reports, blog posts, party congress reports; the
documents live outside the repo, see ``benchmarks/heldout_docs.py``), extracts
each document exactly as ``claimledger ingest`` does, and counts a labelled
sentence as claimed when a stored claim lies inside it.  Prints recall of the
check-worthy sentences and the share of non-claims claimed, overall and per
source, for the default run (learned scorer) and for the rules alone.

    python benchmarks/checkworthiness_heldout.py --root /work/heldout_docs

(or set CLAIMLEDGER_HELDOUT_DOCS).  Exit status 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import defaultdict
from pathlib import Path

_REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(_REPO))

from extractors.document import extract_document, rule_judgements  # noqa: E402
from flows.training import read_gold_rows  # noqa: E402

HELDOUT = _REPO / "tests" / "gold" / "checkworthy_zh_heldout.tsv"


def source_of(name: str) -> str:
    """The kind of document a held-out file is (the first folder names its repository)."""
    return {"china-provincial-gov-reports-2026": "government reports", "hf-blog-translation": "blog posts",
            "chinese-political-corpora": "party reports"}.get(name.split("/", 1)[0], "other")


def evaluate(root: Path, gold: Path = HELDOUT) -> dict[str, dict[str, list[tuple[int, bool]]]]:
    """{"model"|"rules": {source: [(label, claimed)]}} for every labelled sentence."""
    rows = read_gold_rows(gold)
    out: dict[str, dict[str, list[tuple[int, bool]]]] = {"model": defaultdict(list), "rules": defaultdict(list)}
    by_file: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_file[row["file"]].append(row)
    for name, labelled in by_file.items():
        document = extract_document((root / name).read_bytes(), source=str(root / name))
        claims = sorted((c.start, c.end) for c in document.claims)
        rules = {(s.start, s.end): j.is_claim for s, j in zip(document.sentences, rule_judgements(document))}
        for row in labelled:
            start, end = int(row["start"]), int(row["end"])
            claimed = any(start <= s and e <= end for s, e in claims)
            out["model"][source_of(name)].append((int(row["label"]), claimed))
            out["rules"][source_of(name)].append((int(row["label"]), rules[(start, end)]))
    return out


def rates(pairs: list[tuple[int, bool]]) -> tuple[float, float, float, int, int]:
    """(recall, non-claims claimed, precision, positives, negatives)."""
    pos = [c for label, c in pairs if label]
    neg = [c for label, c in pairs if not label]
    tp, fp = sum(pos), sum(neg)
    return (tp / len(pos) if pos else 0.0, fp / len(neg) if neg else 0.0,
            tp / (tp + fp) if tp + fp else 0.0, len(pos), len(neg))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=os.environ.get("CLAIMLEDGER_HELDOUT_DOCS"),
                        help="folder holding the held-out documents (benchmarks/heldout_docs.py makes it)")
    args = parser.parse_args()
    if args.root is None or not Path(args.root).is_dir():
        parser.error("pass --root or set CLAIMLEDGER_HELDOUT_DOCS to the held-out documents' folder")
    results = evaluate(Path(args.root))
    print(f"{'scorer':7s} {'source':20s} {'recall':>7s} {'non-claims claimed':>19s} {'precision':>9s}  n(1/0)")
    for scorer, by_source in results.items():
        everything = [p for pairs in by_source.values() for p in pairs]
        for source, pairs in [*sorted(by_source.items()), ("all", everything)]:
            recall, false, precision, npos, nneg = rates(pairs)
            print(f"{scorer:7s} {source:20s} {recall:7.3f} {false:19.3f} {precision:9.3f}  {npos}/{nneg}")


if __name__ == "__main__":
    main()
