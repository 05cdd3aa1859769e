"""`claimledger report --document/--check/--min-severity`: the audit runs over everything, the report shows a part."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db.migrate import upgraded_engine
from db.session import session_scope
from db.store import save_document
from extractors.document import extract_document
from extractors.records import Corpus, DocumentRow, FindingRow, SpanRow
from flows.report import write_report
from reports.selection import Selection, UnknownSelection, apply_selection, matching_documents
from test_cli import claimledger

POST_A = "据统计，截至2024年底，全国智能算力规模为280 EFLOPS。\n\n数据显示，超八成企业已上云。\n"
POST_B = "数据显示，截至2024年底，全国智能算力规模为420 EFLOPS。\n\n某市新建了3个智算中心。\n\n2025年3月，华为发布了新一代昇腾芯片。\n"


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("selection")
    url = f"sqlite:///{folder / 's.db'}"
    engine = upgraded_engine(url)
    for name, text in (("compute_a.md", POST_A), ("compute_b.md", POST_B)):
        with session_scope(engine) as session:
            save_document(session, extract_document(text.encode(), source=str(folder / name)))
    return url


def _report(url: str, selection: Selection) -> dict:
    return json.loads(write_report(url, "json", selection=selection))


def _checks(report: dict) -> set[str]:
    return {f["check"] for d in report["documents"] for f in d["findings"]}


def test_report_selection_everything_by_default(db_url: str) -> None:
    report = _report(db_url, Selection())
    assert [d["source"].rsplit("/", 1)[-1] for d in report["documents"]] == ["compute_a.md", "compute_b.md"]
    assert "numbers.conflict" in _checks(report) and "sourcing.attributed_unsourced" in _checks(report)


def test_report_selection_one_document_keeps_the_conflict_with_the_other(db_url: str) -> None:
    report = _report(db_url, Selection(documents=("compute_b",)))
    [doc] = report["documents"]
    assert doc["source"].endswith("compute_b.md")
    assert report["summary"]["documents"] == 1
    conflict = [f for f in doc["findings"] if f["check"] == "numbers.conflict"]
    assert conflict, "the cross-document conflict is shown under the selected document too"
    assert {s["document_id"] for s in conflict[0]["spans"]} == {1, 2}
    assert all(c["text"] not in POST_A for c in doc["claims"])


def test_report_selection_by_check_prefix_and_severity(db_url: str) -> None:
    assert _checks(_report(db_url, Selection(checks=("numbers.",)))) == {"numbers.conflict"}
    everything = _report(db_url, Selection())
    warnings = _report(db_url, Selection(min_severity="warning"))
    severities = [f["severity"] for d in everything["documents"] for f in d["findings"]]
    assert "info" in severities and "warning" in severities
    kept = [f["severity"] for d in warnings["documents"] for f in d["findings"]]
    assert kept and set(kept) <= {"warning", "error"} and len(kept) == severities.count("warning") + severities.count("error")


def test_report_selection_errors_name_what_is_valid() -> None:
    with pytest.raises(UnknownSelection, match="unknown severity 'loud'"):
        Selection(min_severity="loud")
    docs = (DocumentRow(7, "/x/a.md", "markdown", "算力账本", "zh", None, "", 0),)
    assert matching_documents(docs, ("7",)) == docs and matching_documents(docs, ("账本",)) == docs
    with pytest.raises(UnknownSelection, match="no document matches 'b.md'"):
        matching_documents(docs, ("b.md",))


def test_report_selection_id_is_exact_not_a_substring_of_the_id() -> None:
    docs = tuple(DocumentRow(i, f"/x/{i}.md", "markdown", None, None, None, "", 0) for i in (1, 11))
    assert [d.id for d in matching_documents(docs, ("1",))] == [1, 11]  # "1" is also in the path "/x/11.md"
    assert [d.id for d in matching_documents(docs, ("11",))] == [11]


def test_report_selection_is_pure_over_rows() -> None:
    d1 = DocumentRow(1, "a", "text", None, None, None, "x", 1)
    d2 = DocumentRow(2, "b", "text", None, None, None, "y", 1)
    f = FindingRow(1, 1, "numbers.conflict", "warning", "m",
                   (SpanRow(1, None, 0, 1, "x"), SpanRow(2, None, 0, 1, "y")))
    corpus, findings = apply_selection(Corpus(documents=(d1, d2)), (f,), Selection(documents=("2",)))
    assert corpus.documents == (d2,) and [x.document_id for x in findings] == [2]


def test_report_selection_cli(db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    done = claimledger("report", "--db", db_url, "-d", "compute_a", "--min-severity", "warning", "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "compute\\_a.md" in text
    # Document b has no row and no section; a finding of a may still name it (a conflict with b's figure).
    assert not [line for line in text.splitlines() if line.startswith(("## ", "| ")) and "compute\\_b.md" in line]
    bad = claimledger("report", "--db", db_url, "-d", "nothing-like-this")
    assert bad.returncode != 0 and "no document matches 'nothing-like-this'" in bad.stderr
    assert "Traceback" not in bad.stderr
