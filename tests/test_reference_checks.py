"""Commentary posts checked against the national reports they quote (issue 12).

tests/fixtures/commentary/ holds three posts of our own that quote the State
Council's government work reports, with five figures planted wrong on purpose
(planted.tsv).  The reports are ingested with ``--reference``; the audit must
catch the planted errors (recall >= 0.8) and leave the right figures alone
(flagged at most 5% of the time).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

REPORTS = ROOT.parent / "shared" / "corpora" / "gov-reports-national"
POSTS = ROOT / "tests" / "fixtures" / "commentary"
ERROR_CHECKS = ("numbers.contradicts_reference", "numbers.arithmetic_inconsistent", "numbers.conflict")


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    cli = Path(sys.executable).with_name("claimledger")
    env = {**os.environ, "CLAIMLEDGER_HOME": str(home)}
    return subprocess.run([str(cli), *args], capture_output=True, text=True, env=env, timeout=600)


def _planted() -> list[dict[str, str]]:
    lines = [line for line in (POSTS / "planted.tsv").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", fieldnames=["post", "surface", "planted", "why"]))


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not REPORTS.is_dir():
        pytest.skip(f"{REPORTS} not found (../shared beside the checkout)")
    home = tmp_path_factory.mktemp("home")
    db = tmp_path_factory.mktemp("ref") / "ref.db"
    reports = [str(next(REPORTS.glob(f"{y}_*.txt"))) for y in (2022, 2023, 2024, 2025)]
    for args in (["ingest", *reports, "--reference"], ["ingest", str(POSTS)]):
        result = _cli(*args, "--db", str(db), "--prefect", "off", home=home)
        assert result.returncode == 0, result.stdout + result.stderr
    out = db.with_suffix(".json")
    result = _cli("report", "--db", str(db), "--format", "json", "--out", str(out), home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    narrowed = db.with_suffix(".contradicted.json")
    result = _cli("report", "--db", str(db), "--no-audit", "--check", "numbers.contradicts_reference",
                  "--format", "json", "--out", str(narrowed), home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    report["narrowed"] = json.loads(narrowed.read_text(encoding="utf-8"))
    return report


def _flagged(report: dict) -> dict[str, set[str]]:
    """Per post file name, the surfaces quoted first by an error finding."""
    out: dict[str, set[str]] = {}
    for doc in report["documents"]:
        name = Path(doc["source"]).name
        for f in doc.get("findings", []):
            if f["check"] in ERROR_CHECKS and f["spans"]:
                quoted = [s["text"] for s in f["spans"] if s["document_id"] == doc["id"]]
                # the stated figure of an arithmetic finding is its last span; others quote it first
                out.setdefault(name, set()).add(quoted[-1] if f["check"].startswith("numbers.arith") else quoted[0])
    return out


def test_reference_planted_errors_are_caught(audited: dict) -> None:
    flagged = _flagged(audited)
    wrong = [p for p in _planted() if p["planted"] == "wrong"]
    caught = [p for p in wrong if p["surface"] in flagged.get(p["post"], set())]
    missed = [f"{p['post']}: {p['surface']} ({p['why']})" for p in wrong if p not in caught]
    assert len(caught) / len(wrong) >= 0.8, "missed: " + "; ".join(missed)


def test_reference_right_figures_stay_unflagged(audited: dict) -> None:
    flagged = _flagged(audited)
    right = [p for p in _planted() if p["planted"] == "right"]
    false = [f"{p['post']}: {p['surface']}" for p in right if p["surface"] in flagged.get(p["post"], set())]
    assert len(false) / len(right) <= 0.05, "flagged although right: " + "; ".join(false)


def test_reference_matches_are_reported_and_references_are_not_checked(audited: dict) -> None:
    """Right figures are confirmed against a reference; the reference reports themselves get no such finding."""
    by_name = {Path(d["source"]).name: d for d in audited["documents"]}
    matches = [f for d in by_name.values() for f in d.get("findings", [])
               if f["check"] == "numbers.matches_reference"]
    assert matches, "no figure of the posts was confirmed against a reference report"
    for name, doc in by_name.items():
        if name.endswith("政府工作报告.txt"):
            assert not [f for f in doc.get("findings", []) if "reference" in f["check"]], name


def test_reference_serve_sources_can_be_marked(tmp_path: Path) -> None:
    """``reference = true`` on a folder or a URL entry of claimledger.toml marks those sources."""
    from flows.config import ConfigError, config_from_mapping
    from flows.serve import collect_sources

    (tmp_path / "reports").mkdir()
    (tmp_path / "posts").mkdir()
    (tmp_path / "reports" / "bulletin.txt").write_text("2024年粮食产量1.4万亿斤。\n", encoding="utf-8")
    (tmp_path / "posts" / "post.md").write_text("# 帖子\n\n粮食产量1.4万亿斤。\n", encoding="utf-8")
    config = config_from_mapping({
        "db": str(tmp_path / "serve.db"),
        "sources": {"folders": [{"path": "reports", "reference": True}, "posts"],
                    "urls": ["https://example.org/a", {"url": "https://example.org/b", "reference": True}]},
    }, base_dir=tmp_path)
    assert config.reference_urls == ("https://example.org/b",)
    assert config.urls == ("https://example.org/a", "https://example.org/b")
    from db.migrate import upgrade
    from db.session import get_engine

    upgrade(get_engine(config.db))
    candidates = collect_sources(config)
    assert set(candidates.references) == {str((tmp_path / "reports" / "bulletin.txt").resolve()),
                                          "https://example.org/b"}
    with pytest.raises(ConfigError, match="C012"):
        config_from_mapping({"sources": {"folders": [{"path": "x", "reference": "yes"}]}})


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_reference_mark_reference_is_idempotent(backend: str, request: pytest.FixtureRequest,
                                                 tmp_path: Path) -> None:
    from db import models as m
    from db.migrate import upgrade
    from db.session import make_engine, session_scope
    from db.store import mark_reference

    url = f"sqlite:///{tmp_path / 'm.db'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        session.add(m.Document(id=1, source="r.txt", sha256="1" * 64, kind="text", text="x", body_end=1,
                               raw_text="x", offset_map="[]", extractor_version="t"))
    with session_scope(engine) as session:
        assert mark_reference(session, [1]) == 1
        assert mark_reference(session, [1]) == 0
    with session_scope(engine) as session:
        assert session.get(m.Document, 1).is_reference is True


def test_reference_report_narrows_to_contradicted_figures(audited: dict) -> None:
    """``report --check numbers.contradicts_reference`` shows those findings and nothing else."""
    checks = {f["check"] for d in audited["narrowed"]["documents"] for f in d.get("findings", [])}
    assert checks == {"numbers.contradicts_reference"}


def test_reference_contradictions_come_first_in_their_document(audited: dict) -> None:
    for doc in audited["documents"]:
        checks = [f["check"] for f in doc.get("findings", [])]
        if "numbers.contradicts_reference" in checks:
            first_other = next(i for i, c in enumerate(checks) if c != "numbers.contradicts_reference")
            assert "numbers.contradicts_reference" not in checks[first_other:], checks
