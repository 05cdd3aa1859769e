"""Whole documents through extract_document: provenance invariants, and golden files for the examples.

Golden files hold what our own example documents yield (they are our text, so
the golden files may quote them).  Regenerate after a deliberate change with
``pytest tests/test_document.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from extractors.document import extract_document
from extractors.text.normalize import fold_all
from extractors.textmap import MappedText
from extractors.types import ExtractedDocument
from conftest import PDFS, ROOT, SEEDS

EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in {".md", ".txt", ".html", ".pdf"})
GOLDEN = ROOT / "tests" / "golden"


def _samples() -> list[Path]:
    shared = sorted(SEEDS.glob("*.txt")) + sorted(PDFS.glob("*.pdf")) if SEEDS.parent.is_dir() else []
    return EXAMPLES + shared


@lru_cache(maxsize=None)
def _extract(path: Path) -> ExtractedDocument:
    return extract_document(path.read_bytes(), source=str(path))


@pytest.mark.parametrize("path", _samples(), ids=lambda p: p.name)
def test_document_every_span_slices_its_surface(path: Path) -> None:
    doc = _extract(path)
    text = doc.text
    for s in doc.sentences:
        assert text[s.start:s.end] == s.text and s.end <= doc.body_end
    for c in doc.claims:
        assert text[c.start:c.end] == c.text and c.end <= doc.body_end
    for n in doc.numbers:
        assert text[n.start:n.end] == n.surface and n.end <= doc.body_end
    for e in doc.entities:
        assert text[e.start:e.end] == e.text
    for f in doc.footnotes:
        assert text[f.start:f.end] == f.body and f.start >= doc.body_end
    for r in doc.footnote_refs:
        assert r.start < doc.body_end and r.footnote is None or r.footnote < len(doc.footnotes)
    for c in doc.citations:
        assert 0 <= c.start <= c.end <= len(text)


@pytest.mark.parametrize("path", _samples(), ids=lambda p: p.name)
def test_document_pages_cover_the_body_in_order(path: Path) -> None:
    doc = _extract(path)
    assert doc.pages, "every document has at least one page"
    assert doc.pages[0].start == 0
    for before, after in zip(doc.pages, doc.pages[1:]):
        assert before.end <= after.start
    assert all(x.page is not None and 0 <= x.page < len(doc.pages)
               for x in (*doc.sentences, *doc.numbers, *doc.footnotes, *doc.claims))


@pytest.mark.parametrize("path", _samples(), ids=lambda p: p.name)
def test_document_offset_map_points_back_to_raw(path: Path) -> None:
    """Each normalized character that was not inserted comes from a raw character that folds to it."""
    doc = _extract(path)
    mapped = MappedText.from_runs(doc.text, doc.offset_runs)
    assert all(0 <= o <= len(doc.raw) for o in mapped.origin)
    same = sum(1 for ch, o in zip(doc.text, mapped.origin)
               if o < len(doc.raw) and fold_all(doc.raw[o]) == fold_all(ch))
    visible = sum(1 for ch in doc.text if not ch.isspace())
    assert same >= 0.9 * visible


def _summary(doc: ExtractedDocument) -> dict:
    return {
        "kind": doc.kind, "title": doc.title, "language": doc.language, "pages": len(doc.pages),
        "claims": [{"text": c.text, "kind": c.kind} for c in doc.claims],
        "numbers": [{"surface": n.surface, "value": n.value, "unit": n.unit, "qualifier": n.qualifier}
                    for n in doc.numbers],
        "footnotes": [{"marker": f.marker, "body": f.body} for f in doc.footnotes],
        "refs": [{"marker": r.marker, "linked": r.footnote is not None} for r in doc.footnote_refs],
        "citations": sorted({(c.kind, c.title or "", c.url or "") for c in doc.citations}),
        "figures": [{"label": f.label, "title": f.title, "source": f.source, "mentions": len(f.mentions)}
                    for f in doc.figures],
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_document_golden_examples(path: Path, request: pytest.FixtureRequest) -> None:
    summary = json.loads(json.dumps(_summary(_extract(path)), ensure_ascii=False))
    golden = GOLDEN / f"{path.name}.json"
    if request.config.getoption("--update-golden") or not golden.exists():
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not request.config.getoption("--update-golden"):
            pytest.fail(f"golden file {golden.name} was missing and has been written; review and commit it")
    assert summary == json.loads(golden.read_text(encoding="utf-8"))


def test_document_titles_are_normalized_and_found_in_bare_text_layers(seed_paper_path: Path) -> None:
    doc = _extract(seed_paper_path)
    assert doc.title is not None and doc.title.startswith("DeepSeek重构") and "Ｄ" not in doc.title


def test_document_claim_is_the_checkworthy_clause_of_a_joined_sentence() -> None:
    text = "据统计，2025年全国智能算力规模达到280 EFLOPS，较上年增长超过30%；我们应当继续努力推进改革。\n"
    doc = extract_document(text.encode("utf-8"), source="clauses.txt")
    [claim] = doc.claims
    assert claim.text == doc.text[claim.start:claim.end]
    assert claim.text.startswith("据统计") and claim.text.endswith("；")
    assert "应当" not in claim.text
    sentence = doc.sentences[claim.sentence]
    assert sentence.start == claim.start and claim.end < sentence.end
    assert {doc.numbers[k].surface for c, k in doc.claim_numbers} >= {"280 EFLOPS"}
