"""The report flow end to end on a small SQLite database: audit, then every format."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from db.migrate import upgraded_engine
from db.session import session_scope
from db.store import save_document
from extractors import types as t
from flows.report import write_report

# Short sentences quoted from seed 004, plus invented ones.
PRICE = "OpenAI的o1每输出100万tokens收费438元，而DeepSeek-R1只需16元。"
GAP = "这将近30倍的价差使得硬件成本不再是模型门槛。"
SHARE = "数据显示，中国在 AI芯片领域仍高度依赖海外供应，超八成来自美国①。"
GROWTH = "收入从20亿元增长到50亿元，增长了三倍。"
ENGLISH = "According to the ministry, exports <b>rose</b> & fell②."
NOTE = "②Ministry of Commerce, Annual trade report, https://example.org/trade."
FIGURE = "表1　出口<b>统计</b>"


def build_document() -> t.ExtractedDocument:
    """One document with claims, numbers, a dangling and a linked footnote, and a citation."""
    body = "\n".join([PRICE + GAP, SHARE, GROWTH, ENGLISH, FIGURE]) + "\n"
    text = body + NOTE
    pos = {s: text.index(s) for s in (PRICE, GAP, SHARE, GROWTH, ENGLISH)}

    def at(part: str, within: str) -> tuple[int, int]:
        start = pos[within] + within.index(part)
        return start, start + len(part)

    sentences = tuple(t.Sentence(pos[s], pos[s] + len(s), s, page=0) for s in (PRICE, GAP, SHARE, GROWTH, ENGLISH))
    claims = tuple(
        t.Claim(i, s.start, s.end, s.text, kind, 0.8, cues=("cue.quantity",), page=0,
                attribution=attr, attribution_cue=cue)
        for i, (s, kind, attr, cue) in enumerate(zip(sentences, (
            "comparative", "comparative", "statistical", "statistical", "statistical"), (
            None, None, None, None, "the ministry"), (None, None, "数据显示", None, "According to")))
    )
    numbers = []
    for part, within, value, unit, qual, change, delta in (
        ("438元", PRICE, 438, "CNY", "exact", None, False), ("16元", PRICE, 16, "CNY", "exact", None, False),
        ("将近30倍", GAP, 30, "x", "nearly", None, False), ("超八成", SHARE, 0.8, "%", "more_than", None, False),
        ("20亿元", GROWTH, 2e9, "CNY", "exact", None, False), ("50亿元", GROWTH, 5e9, "CNY", "exact", "increase", False),
        ("三倍", GROWTH, 3, "x", "exact", "increase", True),
    ):
        s, e = at(part, within)
        kind = {"CNY": "currency", "x": "multiple", "%": "percent"}[unit]
        numbers.append(t.NumericAssertion(s, e, part, value, unit, qual, change=change, is_delta=delta, page=0,
                                          unit_kind=kind))
    owner = {PRICE: 0, GAP: 1, SHARE: 2, GROWTH: 3}
    claim_numbers = tuple(
        (owner[w], k) for k, w in enumerate((PRICE, PRICE, GAP, SHARE, GROWTH, GROWTH, GROWTH))
    )
    note_start = text.index(NOTE) + 1
    footnotes = (t.Footnote("②", note_start, len(text), text[note_start:], page=0),)
    refs = (
        t.FootnoteRef("①", *at("①", SHARE), footnote=None, page=0),
        t.FootnoteRef("②", *at("②", ENGLISH), footnote=0, page=0),
    )
    citations = (t.Citation(text[note_start:], "report", note_start, len(text), title="Annual trade report",
                            url="https://example.org/trade", footnote=0, page=0),)
    return t.ExtractedDocument(
        source="https://example.org/paper", sha256=hashlib.sha256(text.encode()).hexdigest(), kind="text",
        text=text, body_end=len(body), raw=text, offset_runs=((0, 0, len(text)),),
        pages=(t.Page(0, 85, 0, len(body), len(body), len(text)),), title="AI 芯片 <i>paper</i>",
        published="2025-03-01", language="zh", sentences=sentences, footnotes=footnotes, footnote_refs=refs,
        citations=citations, numbers=tuple(numbers), claims=claims, claim_citations=((4, 0),),
        claim_numbers=claim_numbers,
        figures=(t.Figure(text.index(FIGURE), text.index(FIGURE) + len(FIGURE), "表1", "table",
                          FIGURE.split("　")[1], page=0),),
    )


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('reports')) / 'r.db'}"
    with session_scope(upgraded_engine(url)) as session:
        save_document(session, build_document())
    return url


@pytest.fixture(scope="module")
def report_json(db_url: str) -> dict:
    return json.loads(write_report(db_url, "json", audit=True))


@pytest.fixture(scope="module")
def soup(db_url: str, report_json: dict) -> BeautifulSoup:
    return BeautifulSoup(write_report(db_url, "html", audit=False), "html.parser")


def _findings(report: dict, check: str) -> list[dict]:
    return [f for d in report["documents"] for f in d["findings"] if f["check"] == check]


def test_reports_json_schema_and_summary(report_json: dict) -> None:
    assert report_json["schema"] == "claimledger.report" and report_json["schema_version"] == 1
    summary = report_json["summary"]
    assert summary["documents"] == 1 and summary["claims"] == 5
    assert summary["claims_by_kind"] == {"statistical": 3, "comparative": 2}
    assert sum(summary["findings_by_check"].values()) == summary["findings"]


def test_reports_seed_like_findings(report_json: dict) -> None:
    [dangling] = _findings(report_json, "footnotes.dangling_ref")
    assert dangling["spans"][0]["text"] == "①" and dangling["spans"][0]["page"] == 85
    [attributed] = _findings(report_json, "sourcing.attributed_unsourced")
    assert "超八成来自美国" in attributed["spans"][0]["text"]
    [ok] = _findings(report_json, "numbers.arithmetic_consistent")
    assert [s["text"] for s in ok["spans"]] == ["438元", "16元", "将近30倍"]
    [bad] = _findings(report_json, "numbers.arithmetic_inconsistent")
    assert [s["text"] for s in bad["spans"]] == ["20亿元", "50亿元", "三倍"]
    doc = report_json["documents"][0]
    english = next(c for c in doc["claims"] if c["text"].startswith("According"))
    assert english["status"] == "cited" and english["citation_ids"]
    assert not [f for f in doc["findings"] if f["claim_id"] == english["id"] and f["check"].startswith("sourcing")]


def test_reports_spans_quote_the_document_text(db_url: str, report_json: dict) -> None:
    text = build_document().text
    for d in report_json["documents"]:
        for f in d["findings"]:
            for s in f["spans"]:
                assert text[s["start"]:s["end"]] == s["text"]


def test_reports_audit_replaces_findings(db_url: str, report_json: dict) -> None:
    again = json.loads(write_report(db_url, "json", audit=True))
    assert again["summary"]["findings"] == report_json["summary"]["findings"]
    stored = json.loads(write_report(db_url, "json", audit=False))
    assert stored["summary"] == report_json["summary"]


def test_reports_html_escapes_and_has_meta(soup: BeautifulSoup) -> None:
    assert soup.find("meta", attrs={"charset": "utf-8"}) is not None
    assert soup.find("i") is None and soup.find("b") is None  # document markup stays text
    assert "AI 芯片 <i>paper</i>" in soup.find("section", class_="document").h2.get_text()
    assert not soup.find_all(["link", "img", "iframe"]) and all(not s.get("src") for s in soup.find_all("script"))


def test_reports_html_finding_links_to_claim_and_page(soup: BeautifulSoup, report_json: dict) -> None:
    [attributed] = _findings(report_json, "sourcing.attributed_unsourced")
    article = soup.find(id=f"finding-{attributed['id']}")
    assert article["data-finding-check"] == "sourcing.attributed_unsourced"
    hrefs = [a["href"] for a in article.find_all("a")]
    assert f"#claim-{attributed['claim_id']}" in hrefs and "#doc-1-p85" in hrefs
    for href in hrefs:
        assert href.startswith("https://example.org/paper#:~:text=") or soup.find(id=href[1:]) is not None, href
    assert sum(h.startswith("https://") for h in hrefs) == 1  # the span's link back to the source
    row = soup.find(id=f"claim-{attributed['claim_id']}")
    assert row.name == "tr" and "sourcing.attributed_unsourced" in row["data-checks"]
    assert "超八成来自美国" in row.get_text()


def test_reports_html_lists_dangling_refs_and_filters(soup: BeautifulSoup, report_json: dict) -> None:
    dangling = soup.select("ul.dangling-refs li")
    assert len(dangling) == 1 and "①" in dangling[0].get_text() and "p. 85" in dangling[0].get_text()
    boxes = {i["data-check"] for i in soup.select("#filters input[data-check]")}
    assert boxes == set(report_json["summary"]["findings_by_check"])
    assert soup.select("table.claims th[data-sort]")
    charts = soup.select("figure.chart svg")
    assert len(charts) == 2 and charts[1].find_all("rect")


def test_reports_markdown_escapes_markup(db_url: str, report_json: dict) -> None:
    md = write_report(db_url, "md", audit=False)
    assert "<b>" not in md and "&lt;b&gt;rose&lt;/b&gt;" in md
    assert "超八成来自美国" in md and "numbers.arithmetic_consistent" in md
    assert "Dangling marker ①" in md


def test_reports_figures_in_every_format(db_url: str, report_json: dict, soup: BeautifulSoup) -> None:
    [figure] = report_json["documents"][0]["figures"]
    assert figure["label"] == "表1" and figure["source"] is None and figure["page"] == 85
    assert build_document().text[figure["start"]:figure["end"]] == FIGURE
    [finding] = _findings(report_json, "sourcing.figure_unsourced")
    assert finding["severity"] == "info" and finding["spans"][0]["text"] == FIGURE
    [item] = soup.select("ul.figures li")
    assert "出口<b>统计</b>" in item.get_text() and "no data source" in item.get_text()
    md = write_report(db_url, "md", audit=False)
    assert "**表1** 出口&lt;b&gt;统计&lt;/b&gt; (p. 85)" in md and "**no data source**" in md


def test_reports_jsonld_claim_reviews(db_url: str, report_json: dict) -> None:
    graph = json.loads(write_report(db_url, "jsonld", audit=False))["@graph"]
    share = next(r for r in graph if "超八成" in r["claimReviewed"])
    assert share["@type"] == "ClaimReview"
    assert share["reviewRating"]["alternateName"] == "unsourced"
    item = share["itemReviewed"]
    assert item["@type"] == "Claim" and item["datePublished"] == "2025-03-01"
    assert item["appearance"]["url"] == "https://example.org/paper"
    assert item["author"] == {"@type": "Organization", "name": "AI 芯片 <i>paper</i>"}
    assert not [r for r in graph if r["claimReviewed"].startswith("According")]  # cited, no findings


def test_reports_csv_rows(db_url: str, report_json: dict) -> None:
    rows = list(csv.DictReader(io.StringIO(write_report(db_url, "csv", audit=False))))
    kinds = {r["row_type"] for r in rows}
    assert kinds == {"claim", "finding"}
    assert sum(r["row_type"] == "claim" for r in rows) == 5
    assert sum(r["row_type"] == "finding" for r in rows) == report_json["summary"]["findings"]


def test_reports_unknown_format_is_a_clear_error(db_url: str) -> None:
    with pytest.raises(ValueError, match="unknown report format 'pdf'; expected one of: md, html"):
        write_report(db_url, "pdf", audit=False)


def _runtime_imports(path: Path) -> set[str]:
    """Top-level packages a module imports at run time (``if TYPE_CHECKING:`` blocks excluded)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
               and getattr(node.test, "id", None) == "TYPE_CHECKING" for n in ast.walk(node)}
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and \
                node.module != "extractors.lexicon":
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", sorted((Path(__file__).parents[1] / "reports").glob("*.py")), ids=lambda p: p.name)
def test_reports_import_no_db_flows_or_extractors(module: Path) -> None:
    """Reports read view-models; the one runtime import allowed is the shared vocabulary of extractors.lexicon."""
    assert _runtime_imports(module) & {"db", "flows", "extractors", "sqlalchemy", "prefect"} == set()


@pytest.fixture(scope="module")
def seed_report(seed_paper_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Seed 004 through the real pipeline, stored and audited."""
    from extractors.document import extract_document

    url = f"sqlite:///{Path(tmp_path_factory.mktemp('seed')) / 'seed.db'}"
    doc = extract_document(seed_paper_path.read_bytes(), source=str(seed_paper_path))
    with session_scope(upgraded_engine(url)) as session:
        save_document(session, doc)
    return json.loads(write_report(url, "json", audit=True))


def test_reports_seed_paper_done_criteria(seed_report: dict) -> None:
    [doc] = seed_report["documents"]
    assert {r["page"] for r in doc["dangling_refs"]} >= {82, 83, 84}
    dangling = _findings(seed_report, "footnotes.dangling_ref")
    assert len(dangling) == len(doc["dangling_refs"])
    attributed = _findings(seed_report, "sourcing.attributed_unsourced")
    assert any("超八成来自美国" in f["spans"][0]["text"] for f in attributed)
    consistent = _findings(seed_report, "numbers.arithmetic_consistent")
    assert [["438元", "16元", "将近30倍"]] == [[s["text"] for s in f["spans"]] for f in consistent]


@pytest.mark.parametrize("fmt", ["md", "html", "json", "jsonld", "csv"])
def test_reports_empty_database_renders(fmt: str, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgraded_engine(url)  # created and migrated, but holding no document
    text = write_report(url, fmt, audit=True)
    assert text.strip()
    if fmt == "json":
        assert json.loads(text)["summary"]["documents"] == 0
    if fmt == "html":
        assert BeautifulSoup(text, "html.parser").find("h1").get_text() == "Claim-audit report"


def test_reports_split_by_document_keeps_rows_apart() -> None:
    from db.queries import Corpus, DocumentRow, FootnoteRefRow
    from reports.context import split_by_document

    docs = (DocumentRow(1, "a", "text", None, None, None, "甲", 1), DocumentRow(2, "b", "text", None, None, None, "乙①", 2))
    parts = split_by_document(Corpus(documents=docs, footnote_refs=(FootnoteRefRow(7, 2, None, "①", 1, 2, None),)))
    assert parts[1].footnote_refs == () and [r.id for r in parts[2].footnote_refs] == [7]
    assert parts[1].documents == (docs[0],)


def test_reports_html_ids_unique_and_anchors_resolve(soup: BeautifulSoup) -> None:
    ids = [t["id"] for t in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    missing = [a["href"] for a in soup.find_all("a", href=True) if a["href"].startswith("#") and a["href"][1:] not in ids]
    assert missing == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("[x](javascript:alert(1)) <b>", r"\[x\](javascript:alert(1)) &lt;b&gt;"), ("a|b\n*c*", r"a\|b \*c\*"),
     ("数据显示 & 43%", "数据显示 &amp; 43%")],
)
def test_reports_md_filter(text: str, expected: str) -> None:
    from reports.filters import md

    assert str(md(text)) == expected


def test_reports_markdown_of_hostile_text_renders_inert(tmp_path: Path) -> None:
    """Even a renderer that allows raw HTML gets no script, image or javascript: link from document text."""
    from markdown_it import MarkdownIt

    hostile = "[x](javascript:alert(1)) <script>alert(1)</script> <img src=x onerror=alert(1)>"
    text = hostile + "。"
    doc = t.ExtractedDocument(
        source="javascript:alert(1)", sha256=hashlib.sha256(text.encode()).hexdigest(), kind="text", text=text,
        body_end=len(text), raw=text, offset_runs=((0, 0, len(text)),), pages=(), title=hostile,
        sentences=(t.Sentence(0, len(text), text),),
        claims=(t.Claim(0, 0, len(text), text, "statistical", 0.9, attribution_cue="数据显示"),))
    url = f"sqlite:///{tmp_path / 'h.db'}"
    with session_scope(upgraded_engine(url)) as session:
        save_document(session, doc)
    html = MarkdownIt("commonmark", {"html": True}).render(write_report(url, "md", audit=True))
    page = BeautifulSoup(html, "html.parser")
    assert not page.find_all(["script", "img"])
    assert not [a for a in page.find_all("a", href=True) if not a["href"].startswith("#")]
    assert "<script>alert(1)</script>" in page.get_text()


@pytest.mark.parametrize(("title", "expected"), [
    ("短标题", "短标题"),
    ("abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwx"),
    ("算力账本：2025 年城市智算中心的扩张与隐忧", "算力账本：2025 年城市智…"),
])
def test_reports_chart_labels_fit_by_display_width(title: str, expected: str) -> None:
    from reports.context import _short

    assert _short(title) == expected
