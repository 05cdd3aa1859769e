"""Figures and tables: captions, their printed data sources, mentions, storage and the audit check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text as sql

from db.migrate import upgraded_engine
from db.session import session_scope
from db.store import save_document
from extractors.document import extract_document
from extractors.notes.figures import find_figures
from extractors.records import Corpus, DocumentRow, FigureRow
from reports.checks import is_conceptual, run_checks

ENGLISH = """Regional capacity grew unevenly, as Table 2 shows.

Table 2: Data-centre capacity by region, 2024

Region | Capacity (MW) | Utilisation
North | 1,200 | 71%
South | 640 | 38%
West | 410 | 44%

Source: Example Energy Agency, Capacity Survey 2025

Figure 1 shows that utilisation fell in the south.

Figure 3. Utilisation by quarter
"""


def _paper_doc(seed_paper_path: Path):  # type: ignore[no-untyped-def]
    return extract_document(seed_paper_path.read_bytes(), source=str(seed_paper_path))


def test_figures_seed_paper_captions_sources_and_mentions(seed_paper_path: Path) -> None:
    doc = _paper_doc(seed_paper_path)
    body = doc.text[:doc.body_end]
    figures = find_figures(body)
    assert [f.label for f in figures] == ["图1", "图2", "图3", "表1", "图4", "图5", "图6", "表2"]
    sourced = {f.label: f.source for f in figures if f.source}
    assert sourced == {
        "图1": "《美国对华出口报告（2024）》",
        "图2": "程燕林：《技术标准：中美博弈的新竞技场》",
        "图3": "杨超、李伟、贺俊：《美对华半导体管制的趋势、实施要点与中国因应》",
        "图5": "DeepSeek官网",
    }
    for f in figures:
        assert body[f.start:f.end].startswith(f.label[0]) and body[f.start:f.end].endswith(f.title)
        assert f.kind == ("table" if f.label.startswith("表") else "figure")
        assert f.mentions, f"{f.label} is referred to in the paper (见图1, 如图4所示, 如表2…)"
        assert all(body[s:e].count(f.label[1:]) == 1 for s, e in f.mentions)
        if f.source is not None:
            assert body[f.source_start:f.source_end] == f.source  # type: ignore[misc]
    assert figures[0].title == "2017—2023年美国对华半导体出口情况"


def test_figures_document_pages_and_citations(seed_paper_path: Path) -> None:
    doc = _paper_doc(seed_paper_path)
    for f in doc.figures:
        page = doc.pages[f.page]  # type: ignore[index]
        assert page.start <= f.start < page.end
        if f.source is None:
            assert f.citation is None
        else:
            c = doc.citations[f.citation]  # type: ignore[index]
            assert c.rule_id == "citations.source_line" and f.source in c.raw
    by_label = {f.label: f for f in doc.figures}
    assert doc.citations[by_label["图5"].citation].raw.endswith("DeepSeek官网")  # type: ignore[index]


def test_figures_pdf_pages_match_the_layout_truth(shared_dir: Path) -> None:
    """Each caption's journal page, as the PDF's layout.json places the caption line."""
    pdf = shared_dir / "fixtures" / "pdf" / "deepseek_resilience_paper.pdf"
    layout = json.loads(pdf.with_suffix(".layout.json").read_text(encoding="utf-8"))
    doc = extract_document(pdf.read_bytes(), source=str(pdf))
    assert len(doc.figures) == 8
    for f in doc.figures:
        wide = f.label[0] + chr(ord(f.label[1]) + 0xFEE0)  # 图1 -> 图１ as printed
        truth = [p["journal_page"] for p in layout["pages"]
                 if any(line.get("text", "").lstrip("\u3000 ").startswith(wide + "\u3000") for line in p.get("lines", []))]
        assert truth == [doc.pages[f.page].number], f.label  # type: ignore[index]


def test_figures_english_caption_table_rows_and_running_text() -> None:
    figures = find_figures(ENGLISH)
    assert [f.label for f in figures] == ["表2", "图3"], "'Figure 1 shows…' is running text, not a caption"
    table, chart = figures
    assert table.title == "Data-centre capacity by region, 2024"
    assert table.source == "Example Energy Agency, Capacity Survey 2025", "the source under all table rows"
    assert [ENGLISH[s:e] for s, e in table.mentions] == ["Table 2"]
    assert chart.title == "Utilisation by quarter" and chart.source is None and chart.mentions == ()


def test_figures_source_line_too_far_from_any_caption_is_not_attached() -> None:
    text = "图1　2024年各省数据中心数量\n\n" + "".join(f"第{i}段正文，与图无关。\n\n" for i in range(5)) + "数据来源：某统计年鉴\n"
    [figure] = find_figures(text)
    assert figure.source is None


def test_figures_conceptual_diagrams_are_told_apart() -> None:
    assert is_conceptual("DeepSeek-R1大模型算法流程")
    assert is_conceptual("DeepSeek开源的生态扩张逻辑")
    assert is_conceptual("Policy framework for compute subsidies")
    assert not is_conceptual("2017—2023年美国对华半导体出口情况")
    assert not is_conceptual("全球头部AI云厂商纷纷快速接入或上架DeepSeek情况汇总")
    assert not is_conceptual("2020—2024年算力规模与架构占比")  # digits: a data chart after all


def _figure_row(d: DocumentRow, surface: str, *, id: int, title: str, source: str | None,
                mentions: int, kind: str = "figure") -> FigureRow:
    start = d.text.index(surface)
    return FigureRow(id, d.id, 1, surface.split()[0], kind, title, start, start + len(surface), source,
                     None, mentions)


def test_figures_check_unsourced_severity() -> None:
    text = ("如表1所示，东部上架率更高。\n表1 东西部上架率\n图2 算法流程\n图3 2024年电价\n"
            "数据来源：某统计年鉴\n图4 2025年需求\n")
    d = DocumentRow(1, "d.txt", "text", "D", "zh", "2025-01-01", text, len(text))
    figures = (
        _figure_row(d, "表1 东西部上架率", id=1, title="东西部上架率", source=None, mentions=1, kind="table"),
        _figure_row(d, "图2 算法流程", id=2, title="算法流程", source=None, mentions=1),
        _figure_row(d, "图3 2024年电价", id=3, title="2024年电价", source="某统计年鉴", mentions=0),
        _figure_row(d, "图4 2025年需求", id=4, title="2025年需求", source=None, mentions=0),
    )
    found = [f for f in run_checks(Corpus(documents=(d,), figures=figures)) if f.check == "sourcing.figure_unsourced"]
    by_text = {f.spans[0].text: f for f in found}
    assert set(by_text) == {"表1 东西部上架率", "图2 算法流程", "图4 2025年需求"}
    assert by_text["表1 东西部上架率"].severity == "warning" and "1 time(s)" in by_text["表1 东西部上架率"].message
    assert by_text["图2 算法流程"].severity == "info" and "conceptual" in by_text["图2 算法流程"].message
    assert by_text["图4 2025年需求"].severity == "info"
    for f in found:
        assert text[f.spans[0].start:f.spans[0].end] == f.spans[0].text


def test_figures_stored_and_in_figure_overview(db_url: str, seed_paper_path: Path) -> None:
    doc = _paper_doc(seed_paper_path)
    engine = upgraded_engine(db_url)
    with session_scope(engine) as session:
        doc_id = save_document(session, doc).document_id
    with engine.connect() as conn:
        stored = conn.execute(sql(
            'SELECT f.label, f.start, f."end", f.title, f.source, f.citation_id, c.raw, f.mentions, f.page '
            "FROM figures f LEFT JOIN citations c ON c.id = f.citation_id "
            "WHERE f.document_id = :d ORDER BY f.start"), {"d": doc_id}).all()
        text = conn.execute(sql("SELECT text FROM documents WHERE id = :d"), {"d": doc_id}).scalar_one()
        unsourced = conn.execute(sql(
            "SELECT label FROM figure_overview WHERE source_status = 'unsourced' AND document_id = :d "
            "ORDER BY start"), {"d": doc_id}).scalars().all()
    assert [r.label for r in stored] == [f.label for f in doc.figures]
    for r in stored:
        assert text[r.start:r.end].endswith(r.title)
        assert (r.citation_id is None) == (r.source is None)
        if r.source:
            assert r.source in r.raw
        assert r.mentions >= 1 and r.page is not None
    assert unsourced == ["表1", "图4", "图6", "表2"]


@pytest.mark.parametrize("label", ["表1", "图1"])
def test_figures_bundled_example_has_a_sourced_table_and_an_unsourced_chart(label: str) -> None:
    path = Path(__file__).resolve().parents[1] / "examples" / "zh_compute_post.md"
    doc = extract_document(path.read_bytes(), source=str(path))
    figure = {f.label: f for f in doc.figures}[label]
    assert (figure.source is not None) == (label == "表1")


def test_figures_a_claim_that_points_at_a_figure_cites_its_source(seed_paper_path: Path) -> None:
    doc = _paper_doc(seed_paper_path)
    cited = {doc.claims[c].text[:6]: doc.citations[k].raw for c, k in doc.claim_citations
             if doc.citations[k].rule_id == "citations.source_line"}
    # Which sentences are claims is the check-worthiness scorer's call (issue 14); the link from a
    # claim that points at a figure to that figure's source line is what this test pins.
    expected = {
        "这种立体化管": "数据来源：《美国对华出口报告（2024）》",  # 见图1
        "以图3所示的": "数据来源：杨超、李伟、贺俊：《美对华半导体管制的趋势、实施要点与中国因应》",
        "如图5所示，": "数据来源：DeepSeek官网",
    }
    claimed = {c.text[:6] for c in doc.claims}
    assert cited == {k: v for k, v in expected.items() if k in claimed}
    assert len(cited) >= 2
