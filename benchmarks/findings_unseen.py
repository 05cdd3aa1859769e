"""Warnings the audit raises on real documents nobody here wrote, for a person to judge.

The checks were developed on our examples and the national work reports; this
runs the whole pipeline (``claimledger ingest`` then ``claimledger report``) over
other real documents of the same kinds and prints, per folder, how many
warnings each check raised per document and every warning of the checks that
state a figure is wrong or unsourced (``numbers.*``, ``sourcing.attributed_unsourced``)
with the passage it quotes, so each can be judged true or false by reading it.

The documents live outside the repository (third-party text): every 2026
provincial government work report and every Hugging Face blog post (the Chinese
translations and the English originals) at pinned commits, re-created with::

    python benchmarks/heldout_docs.py --set findings --out /work/findings_docs \\
        --mirror china-provincial-gov-reports-2026=<git dir> --mirror hf-blog-translation=<git dir>

and the national reports of ``../shared/corpora/gov-reports-national``::

    python benchmarks/findings_unseen.py --root /work/findings_docs

(or set CLAIMLEDGER_FINDINGS_DOCS).  ``--only numbers.conflict`` lists one check.
Exit status 0 whatever the numbers: a person judges the listing.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLAIMLEDGER = str(Path(sys.executable).parent / "claimledger")
NATIONAL = ROOT.parent / "shared" / "corpora" / "gov-reports-national"
#: Checks whose warning says a stated figure or source is wrong: the ones a false alarm costs most on.
LISTED = ("numbers.", "sourcing.attributed_unsourced")


def folders(root: Path | None) -> dict[str, Path]:
    """The document sets: national reports from ../shared, provincial reports and blog posts under ``root``."""
    found = {"national work reports": NATIONAL} if NATIONAL.is_dir() else {}
    if root is not None:
        found["provincial work reports 2026"] = root / "china-provincial-gov-reports-2026"
        found["Chinese blog posts"] = root / "hf-blog-translation" / "zh"
        found["English blog posts"] = root / "hf-blog-translation" / "en"
    return {name: path for name, path in found.items() if path.is_dir()}


def audit(folder: Path, db: Path) -> sqlite3.Connection:
    """Ingest every document of ``folder`` into a fresh SQLite file and run the checks (the report stores them)."""
    env = {**os.environ, "CLAIMLEDGER_HOME": str(db.parent / "home")}
    for args in (["ingest", str(folder), "--prefect", "off"], ["report", "--format", "json", "--out", str(db) + ".json"]):
        subprocess.run([CLAIMLEDGER, *args, "--db", str(db)], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return sqlite3.connect(db)


def excerpt(text: str, start: int, end: int, width: int = 60) -> str:
    """The quoted span in brackets with a little of its sentence around it, on one line."""
    return (text[max(0, start - width):start] + "【" + text[start:end] + "】" + text[end:end + width // 2]).replace(
        "\n", "⏎")


def summarize(name: str, con: sqlite3.Connection, only: str | None) -> None:
    documents = con.execute("select count(*) from documents").fetchone()[0]
    rows = con.execute('select f."check", f.severity, f.message, f.spans, d.source from findings f '
                       "join documents d on d.id = f.document_id order by f.id").fetchall()
    warnings = Counter(check for check, severity, *_ in rows if severity == "warning")
    print(f"\n## {name}: {documents} documents, {sum(warnings.values())} warnings "
          f"({sum(warnings.values()) / max(1, documents):.1f} per document)")
    for check, n in sorted(warnings.items(), key=lambda kv: -kv[1]):
        print(f"  {check:34s} {n:5d}  ({n / max(1, documents):.2f} per document)")
    texts = {i: t for i, t in con.execute("select id, text from documents")}
    for check, severity, message, spans, source in rows:
        if severity != "warning" or not (check == only if only else check.startswith(LISTED)):
            continue
        print(f"- {check} {Path(source).name}: {message}")
        for span in json.loads(spans):
            print("    " + excerpt(texts[span["document_id"]], span["start"], span["end"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=os.environ.get("CLAIMLEDGER_FINDINGS_DOCS"),
                        help="folder written by heldout_docs.py --set findings")
    parser.add_argument("--only", help="list the warnings of this check only")
    args = parser.parse_args(argv)
    sets = folders(args.root)
    if not sets:
        print("Error: no documents (give --root, and keep ../shared beside the checkout)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        for k, (name, folder) in enumerate(sets.items()):
            summarize(name, audit(folder, Path(tmp) / f"set{k}.db"), args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
