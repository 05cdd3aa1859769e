"""The same paper ingested twice (text layer and PDF, or two versions) is reported once per pair."""

from __future__ import annotations

import json
from pathlib import Path

from db.migrate import upgraded_engine
from db.session import session_scope
from db.store import save_document
from extractors.document import extract_document
from extractors.records import ClaimRow, Corpus, DocumentRow
from flows.report import write_report
from reports.duplicates import MIN_SHARED, check_duplicate_documents, claim_key

SENTENCES = [f"截至2024年底，第{i}类数据中心的平均上架率为{50 + i}%。" for i in range(10)]


def _doc(id: int, sentences: list[str]) -> tuple[DocumentRow, tuple[ClaimRow, ...]]:
    text = "\n".join(sentences)
    d = DocumentRow(id, f"d{id}.txt", "text", f"Doc {id}", "zh", None, text, len(text))
    claims, pos = [], 0
    for k, s in enumerate(sentences):
        claims.append(ClaimRow(id * 100 + k, id, 1, pos, pos + len(s), s, "statistical", 0.8))
        pos += len(s) + 1
    return d, tuple(claims)


def _corpus(*docs: tuple[DocumentRow, tuple[ClaimRow, ...]]) -> Corpus:
    return Corpus(documents=tuple(d for d, _ in docs), claims=tuple(c for _, cs in docs for c in cs))


def test_duplicates_claim_key_folds_width_spaces_and_markers() -> None:
    assert claim_key("ＤｅｅｐＳｅｅｋ－Ｒ１只需１６元①。") == claim_key("DeepSeek-R1 只需 16 元。")
    assert claim_key("A rose ¹ 5%.") == claim_key("a rose 5%.")


def test_duplicates_copy_is_reported_on_the_later_document_with_both_spans() -> None:
    original = _doc(1, SENTENCES)
    copy = _doc(2, [s.replace("截至", "截至 ") + "①" for s in SENTENCES[:8]] + ["另一个完全不同的判断句，用来凑数。"])
    [finding] = check_duplicate_documents(_corpus(original, copy))
    assert finding.document_id == 2 and finding.check == "corpus.duplicate_document"
    assert "repeats 8 of its 9 claims from document 1" in finding.message
    later, first = finding.spans
    assert (later.document_id, first.document_id) == (2, 1)
    assert later.text == copy[0].text[later.start:later.end] and first.text == SENTENCES[0]


def test_duplicates_a_few_shared_claims_or_boilerplate_are_not_copies() -> None:
    few = _doc(2, SENTENCES[:MIN_SHARED - 1])
    assert check_duplicate_documents(_corpus(_doc(1, SENTENCES), few)) == []
    # 6 of 10 shared is enough for the smaller document only when it is ≥ 60% of its claims
    half = _doc(3, SENTENCES[:5] + [f"第{i}个独立的陈述，与原文无关，数值为{i}。" for i in range(5)])
    assert check_duplicate_documents(_corpus(_doc(1, SENTENCES), half)) == []
    short = _doc(4, ["增长30%。"] * 6)
    assert check_duplicate_documents(_corpus(_doc(5, ["增长30%。"] * 6), short)) == []


def test_duplicates_seed_text_layer_and_its_pdf_rendition(tmp_path: Path, seed_paper_path: Path,
                                                          shared_dir: Path) -> None:
    pdf = shared_dir / "fixtures" / "pdf" / "deepseek_resilience_paper.pdf"
    url = f"sqlite:///{tmp_path / 'dup.db'}"
    engine = upgraded_engine(url)
    for path in (seed_paper_path, pdf):
        with session_scope(engine) as session:
            save_document(session, extract_document(path.read_bytes(), source=str(path)))
    report = json.loads(write_report(url, "json", audit=True))
    found = [(d["id"], f) for d in report["documents"] for f in d["findings"]
             if f["check"] == "corpus.duplicate_document"]
    assert len(found) == 1
    doc_id, finding = found[0]
    assert doc_id == 2 and finding["spans"][1]["document_id"] == 1
    assert claim_key(finding["spans"][0]["text"]) == claim_key(finding["spans"][1]["text"])
