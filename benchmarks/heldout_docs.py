"""Re-create the held-out Chinese documents of issue 14 outside the repository.

``tests/gold/checkworthy_zh_heldout.tsv`` labels sentences of documents that
were never used for training (provincial government work reports, Chinese
blog posts, Communist Party congress reports).  They are third-party text, so
the repository stores only offsets into them; this script rebuilds the exact
files from local ``git`` mirrors of the public source repositories, at pinned
commits, so the offsets and SHA-1s in the gold file can be checked
(``CLAIMLEDGER_HELDOUT_DOCS=<out> pytest tests/test_checkworthy_heldout.py``).

Two of the sources hold many documents in one data file; for those the
document is one field of one record, written as UTF-8 text exactly as stored
(no cleaning: the pipeline's own loader must see the raw text):

- ``csv-field``: the ``full_text`` column of the single row of a CSV file;
- ``jsonl-record``: the ``content`` field of the JSON Lines record whose
  ``congress`` equals the given number.

Get the mirrors with ``git clone https://github.com/<owner>/<name>`` (any
clone holding the pinned commit) and run::

    python benchmarks/heldout_docs.py --out /work/heldout_docs \\
        --mirror chinese-political-corpora=/path/to/clone ...

``--set train`` writes instead the TRAINING documents of the same repositories
(``TRAIN_DOCS``, labelled in ``tests/gold/checkworthy_zh_d.tsv``, and ``TRAIN_DOCS_F``, labelled in
``tests/gold/checkworthy_zh_f.tsv``, and ``TRAIN_DOCS_E``, labelled in ``tests/gold/checkworthy_zh_e.tsv``; checked with
``CLAIMLEDGER_TRAIN_DOCS=<out>``), e.g. to ``/work/train_docs``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Source:
    """A public repository pinned at the commit the documents were exported from."""

    name: str  # folder under the output root
    github: str  # owner/name
    commit: str


@dataclass(frozen=True)
class Doc:
    """One held-out document: where it lives in its repository and how to cut it out."""

    source: str  # Source.name
    path: str  # path inside the repository
    out: str  # path under <out>/<source>/
    how: str  # "file" | "csv-field" | "jsonl-record"
    key: int | None = None  # congress number for jsonl-record


SOURCES = {
    s.name: s
    for s in (
        Source("china-provincial-gov-reports-2026", "johncodes404/china-provincial-gov-reports-2026",
               "ad4c815c4acefe47240a3afaece74e1eb2011dd3"),
        Source("hf-blog-translation", "FableFatale/hf-blog-translation", "7e1428056c3599423c289693cf508774e5ad7861"),
        Source("chinese-political-corpora", "aldohemsn/chinese-political-corpora",
               "99bc4b01d11c2b884a83ecc8f966d97e17cd450e"),
    )
}

_GOV = "output/2026_raw_text/2026_{}_政府工作报告"
DOCS = [
    *(Doc("china-provincial-gov-reports-2026", _GOV.format(p) + ".csv", _GOV.format(p) + ".txt", "csv-field")
      for p in ("广东省", "浙江省", "江苏省", "四川省", "河南省")),
    *(Doc("hf-blog-translation", f"zh/{name}.md", f"zh/{name}.md", "file")
      for name in ("chinese-ai-expansion", "falcon-180b", "open-llm-leaderboard-drop",
                   "eu-ai-act-for-oss-developers", "llama3")),
    *(Doc("chinese-political-corpora", "cpc_congress_reports.jsonl", f"cpc_congress_reports/congress_{n:02d}.txt",
          "jsonl-record", n)
      for n in (12, 15, 18, 20)),
]

# TRAINING documents of the same repositories (tests/gold/checkworthy_zh_d.tsv): more blog text for the learned
# scorer, which had almost none.  Disjoint from DOCS by construction (tests/test_checkworthy_heldout.py checks it).
TRAIN_DOCS = [
    *(Doc("china-provincial-gov-reports-2026", _GOV.format(p) + ".csv", _GOV.format(p) + ".txt", "csv-field")
      for p in ("山东省", "湖北省", "福建省", "陕西省")),
    *(Doc("hf-blog-translation", f"zh/{name}.md", f"zh/{name}.md", "file")
      for name in ("falcon", "mixtral", "gemma", "starcoder2", "cosmopedia", "docmatix", "huggy-lingo",
                   "ethics-soc-4", "red-teaming", "watermarking", "dreambooth", "lora", "xethub-joins-hf",
                   "hugging-face-wiz-security-blog", "habana-gaudi-2-benchmark", "leaderboard-medicalllm")),
]
# Part F (tests/gold/checkworthy_zh_f.tsv): six more provincial reports of varied regions and four CPC congress
# reports that are not held out (12/15/18/20 are).  A list of its own, so each gold file checks its own documents.
TRAIN_DOCS_F = [
    *(Doc("china-provincial-gov-reports-2026", _GOV.format(p) + ".csv", _GOV.format(p) + ".txt", "csv-field")
      for p in ("北京市", "上海市", "云南省", "黑龙江省", "新疆维吾尔自治区", "重庆市")),
    *(Doc("chinese-political-corpora", "cpc_congress_reports.jsonl", f"cpc_congress_reports/congress_{n:02d}.txt",
          "jsonl-record", n)
      for n in (14, 16, 17, 19)),
]
# Part E (tests/gold/checkworthy_zh_e.tsv): twenty more blog posts of varied genres (releases, community and company
# news, evaluations, policy/ethics, explainers), none of them in DOCS or TRAIN_DOCS.
TRAIN_DOCS_E = [
    Doc("hf-blog-translation", f"zh/{name}.md", f"zh/{name}.md", "file")
    for name in ("llama2", "gemma2", "smollm", "falconmamba", "sd3", "starcoder", "trufflesecurity-partnership",
                 "chinese-language-blog", "password-git-deprecation", "game-jam-first-edition-results",
                 "diffusers-turns-1", "open-llm-leaderboard-mmlu", "leaderboard-decodingtrust", "arena-tts",
                 "winning-aimo-progress-prize", "ethics-soc-3", "ethics-diffusers", "synthid-text", "rlhf", "moe")
]
SETS = {"heldout": DOCS, "train": TRAIN_DOCS + TRAIN_DOCS_F + TRAIN_DOCS_E, "findings": []}
#: The "findings" set is every provincial report and every Chinese blog post at the pinned commits (listed from
#: the mirrors, see :func:`listed_docs`): the documents benchmarks/findings_unseen.py audits for false warnings.
#: (source, folder, name ending, how, output folder): the English originals are the top-level posts.
FINDINGS_LISTS = (("china-provincial-gov-reports-2026", "output/2026_raw_text/", "政府工作报告.csv", "csv-field", None),
                  ("hf-blog-translation", "zh/", ".md", "file", None),
                  ("hf-blog-translation", "", ".md", "file", "en/"))
_NOT_POSTS = ("README.md", "CONTRIBUTING.md")


def listed_docs(mirrors: dict[str, Path]) -> list[Doc]:
    """Every file of :data:`FINDINGS_LISTS` at its source's pinned commit, as documents of the "findings" set."""
    docs = []
    for source, prefix, suffix, how, out_folder in FINDINGS_LISTS:
        names = subprocess.run(["git", "-C", str(mirrors[source]), "ls-tree", "-z", "--name-only",
                                *([] if out_folder else ["-r"]), SOURCES[source].commit, *([prefix] if prefix else [])],
                               check=True, capture_output=True).stdout
        for path in sorted(n for n in names.decode("utf-8").split("\0") if n.endswith(suffix) and n not in _NOT_POSTS):
            out = path[: -len(".csv")] + ".txt" if how == "csv-field" else (out_folder or "") + path
            docs.append(Doc(source, path, out, how))
    return docs


def git_show(mirror: Path, commit: str, path: str) -> bytes:
    """Bytes of one file at one commit (works on bare mirrors, no work tree needed)."""
    return subprocess.run(["git", "-C", str(mirror), "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout


def cut(doc: Doc, data: bytes) -> bytes:
    """The document's bytes out of its repository file, as described in the module docstring."""
    if doc.how == "file":
        return data
    if doc.how == "csv-field":
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        if len(rows) != 1:
            raise ValueError(f"{doc.path}: expected one row, found {len(rows)}")
        return rows[0]["full_text"].encode("utf-8")
    if doc.how == "jsonl-record":
        hits = [r for r in map(json.loads, data.decode("utf-8").splitlines()) if r.get("congress") == doc.key]
        if len(hits) != 1:
            raise ValueError(f"{doc.path}: expected one record with congress={doc.key}, found {len(hits)}")
        return hits[0]["content"].encode("utf-8")
    raise ValueError(f"unknown extraction {doc.how!r}")


def export(out: Path, mirrors: dict[str, Path], docs: list[Doc] = DOCS) -> list[Path]:
    """Write every document of ``docs`` under ``out``; returns the files written."""
    written = []
    for doc in docs:
        source = SOURCES[doc.source]
        target = out / doc.source / doc.out
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(cut(doc, git_show(mirrors[doc.source], source.commit, doc.path)))
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="root folder to (re)create")
    parser.add_argument("--mirror", action="append", default=[], metavar="NAME=GITDIR",
                        help=f"a git dir per source; names: {', '.join(SOURCES)}")
    parser.add_argument("--set", choices=sorted(SETS), default="heldout",
                        help="which documents: the held-out TEST set (default), the training set, or every "
                             "provincial report and blog post (findings)")
    args = parser.parse_args(argv)
    mirrors = dict(m.split("=", 1) for m in args.mirror)
    docs = SETS[args.set] or [Doc(source, "", "", "file") for source, *_ in FINDINGS_LISTS]
    missing = sorted({doc.source for doc in docs} - set(mirrors))
    if missing:
        print(f"Error: no --mirror for {', '.join(missing)}", file=sys.stderr)
        return 1
    try:
        if not SETS[args.set]:
            docs = listed_docs({k: Path(v) for k, v in mirrors.items()})
        written = export(args.out, {k: Path(v) for k, v in mirrors.items()}, docs)
    except (subprocess.CalledProcessError, ValueError, KeyError) as exc:
        detail = exc.stderr.decode(errors="replace").strip() if isinstance(exc, subprocess.CalledProcessError) else exc
        print(f"Error: {detail}", file=sys.stderr)
        return 1
    print(f"{len(written)} documents written under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
