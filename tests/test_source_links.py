"""Links back to the original (issue 17): PDF page, web text fragment, file line; escaped and safe.

The unit tests pin each rule of :mod:`reports.source_links`; the end-to-end
tests ingest real files (the examples/ folder and a Markdown post with front
matter written here) and check every link against the file itself: the PDF
page it names holds the claim (pdfplumber), the Markdown line it names holds
the claim's start, and the text fragment decodes to the passage.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from db.migrate import upgraded_engine
from db.session import session_scope
from db.store import save_document
from extractors import types as t
from extractors.document import extract_document
from extractors.records import PageRow
from flows.report import write_report
from reports.context import safe_link
from reports.source_links import (
    EXACT_TEXT_MAX,
    SourceLocator,
    encode_text_term,
    file_uri,
    line_number,
    line_starts,
    text_fragment,
)

EXAMPLES = Path(__file__).parents[1] / "examples"


def _terms(href: str) -> list[str]:
    """The decoded terms of the text directive in ``href`` (textStart[,textEnd])."""
    fragment = urlsplit(href).fragment
    assert fragment.startswith(":~:text="), href
    raw_terms = fragment[len(":~:text="):].split(",")
    for term in raw_terms:  # the spec's syntax characters never appear raw inside a term
        assert not set(term) & set("-&, #"), term
    return [unquote(term) for term in raw_terms]


# --------------------------------------------------------------------------- PDF pages


@pytest.mark.parametrize(
    ("start", "page", "sheet"),
    [(5, 82, 1), (15, 83, 2), (25, 1, 4), (35, 1, 3), (999, 1, 3), (5, None, None)],
    ids=["first", "second", "repeated-number-by-offset", "repeated-number-other", "notes-part-first", "no-page"],
)
def test_source_links_pdf_page_is_the_physical_sheet(start: int, page: int | None, sheet: int | None) -> None:
    """Printed page 82 is sheet 1; a printed number used twice is told apart by the body offsets."""
    pages = (PageRow(1, 0, 82, 0, 10), PageRow(1, 1, 83, 10, 20), PageRow(1, 2, 1, 30, 40), PageRow(1, 3, 1, 20, 30))
    where = SourceLocator("/data/报告 #1.pdf", "pdf", "x" * 50, pages=pages)
    link = where.link(start, start + 3, page)
    assert link is not None
    base = "file:///data/%E6%8A%A5%E5%91%8A%20%231.pdf"
    assert link.href == (base if sheet is None else f"{base}#page={sheet}")
    assert link.label == ("报告 #1.pdf" if sheet is None else f"报告 #1.pdf, PDF p. {sheet}")


def test_source_links_pdf_at_a_url_keeps_the_url_and_replaces_its_fragment() -> None:
    where = SourceLocator("https://example.org/a b.pdf#old", "pdf", "x" * 10, pages=(PageRow(1, 4, 7, 0, 10),))
    link = where.link(0, 3, 7)
    assert link is not None and link.href == "https://example.org/a%20b.pdf#page=5"


# --------------------------------------------------------------------------- text fragments


@pytest.mark.parametrize(
    "passage",
    [
        "数据显示，超八成芯片来自美国①。",
        "Costs fell 20%-30% & rose, then fell again (R&D: A-B, C#).",
        "“东岭”报告：2025年9月, GDP增长5.2%—超预期?",
        "emoji 🙂 and tab\tand newline\nend",
    ],
)
def test_source_links_text_fragment_round_trips(passage: str) -> None:
    """Percent-encoded UTF-8, ``-``/``&``/``,`` encoded; decoding gives the passage (white space collapsed)."""
    where = SourceLocator("https://example.org/post?id=3&x=1#top", "html", passage, passage,
                          ((0, 0, len(passage)),))
    link = where.link(0, len(passage), None)
    assert link is not None and link.label == "example.org"
    assert link.href.startswith("https://example.org/post?id=3&x=1#:~:text=")
    assert _terms(link.href) == [re.sub(r"\s+", " ", passage).strip()]


def test_source_links_long_passage_is_a_range_cut_at_word_ends() -> None:
    words = [f"word{i}" for i in range(80)]
    passage = " ".join(words)
    assert len(passage) > EXACT_TEXT_MAX
    start, end = _terms("https://x.org/#" + text_fragment(passage))
    assert passage.startswith(start + " ") and passage.endswith(" " + end)
    assert set(start.split()) <= set(words) and set(end.split()) <= set(words)  # whole words only
    assert 30 <= len(start) <= 60 and 30 <= len(end) <= 60


def test_source_links_long_cjk_passage_cuts_after_punctuation_or_stays_whole() -> None:
    clauses = "，".join(["全国新建智算中心的平均上架率已降至百分之五十八"] * 16) + "。"
    start, end = _terms("https://x.org/#" + text_fragment(clauses))
    assert clauses.startswith(start) and clauses.endswith(end) and start.endswith("，")
    unbroken = "算" * (EXACT_TEXT_MAX + 10)  # no place where a word surely ends: the whole passage
    assert _terms("https://x.org/#" + text_fragment(unbroken)) == [unbroken]


def test_source_links_passage_takes_full_width_characters_back_from_the_raw_text() -> None:
    """Normalization folds ``２０２３`` to ``2023``; the page prints the full-width form, so the fragment must too."""
    raw = "<p>２０２３年增长&amp;下降</p>"
    text = "2023年增长&下降"
    runs = ((0, 3, 6), (6, 9, 1), (7, 14, 2))  # "&amp;" maps to its "&"
    where = SourceLocator("https://example.org/p", "html", text, raw, runs)
    link = where.link(0, len(text), None)
    assert link is not None and _terms(link.href) == ["２０２３年增长&下降"]


def test_source_links_encode_text_term_encodes_the_directive_syntax() -> None:
    assert encode_text_term("a-b&c,d e") == "a%2Db%26c%2Cd%20e"


# --------------------------------------------------------------------------- file lines


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_source_links_line_starts_count_every_line_break(newline: str) -> None:
    raw = newline.join(["one", "two", "", "four"])
    starts = line_starts(raw)
    assert [line_number(starts, raw.index(w)) for w in ("one", "two", "four")] == [1, 2, 4]


POST = """---
title: "测试：front matter 占了几行"
date: 2025-03-01
tags: [算力, 能耗]
---

# 标题

据东岭研究院统计，全国已投运的城市智算中心超过 120 个，总投资约 3400 亿元。[^1]

- 全国智能算力总规模达到约 780 EFLOPS，比 2023 年增长了 2.6 倍。
- 单个项目投资普遍在 20 亿元以上，最大的一个项目投资 186 亿元。

```
代码里的 99% 不是论断
```

数据显示，2025 年平均上架率已降至 58%，
闲置问题开始显现。

[^1]: 东岭算力研究院，《2025 智算中心报告》，2025 年 10 月。
"""


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_source_links_markdown_line_of_each_claim_in_the_raw_file(tmp_path: Path, newline: str) -> None:
    """``path:N`` and ``#LN`` name the raw file's line where each claim and footnote starts, front matter counted."""
    path = tmp_path / "深度 post (1).md"
    path.write_bytes(POST.replace("\n", newline).encode("utf-8"))
    raw_lines = path.read_text(encoding="utf-8").splitlines()
    url = f"sqlite:///{tmp_path / 'md.db'}"
    with session_scope(upgraded_engine(url)) as session:
        save_document(session, extract_document(path.read_bytes(), source=str(path)))
    [doc] = json.loads(write_report(url, "json", audit=True))["documents"]
    rows = doc["claims"] + doc["footnotes"]
    assert len(doc["claims"]) >= 4 and len(doc["footnotes"]) == 1
    base = path.as_uri()
    for row in rows:
        text = row.get("text") or row["body"]
        href = row["source_href"]
        assert href.startswith(base + "#L"), href
        line = int(href.rsplit("#L", 1)[1])
        assert _nfkc(text[:4]) in _nfkc(raw_lines[line - 1]), (line, text)
    lines = {(r.get("text") or r["body"])[:6]: int(r["source_href"].rsplit("#L", 1)[1]) for r in rows}
    assert lines["据东岭研究院"] == 9 and lines["数据显示，2"] == 18 and lines["东岭算力研究"] == 21
    md = write_report(url, "md", audit=False)
    assert f"[{_md_escaped(str(path))}:9]({base}#L9)" in md


def _md_escaped(text: str) -> str:
    return re.sub(r"([\\`*_\[\]#|~])", r"\\\1", text)


def test_source_links_relative_path_gets_a_label_but_no_link() -> None:
    assert file_uri("examples/a.md") is None
    where = SourceLocator("examples/a.md", "markdown", "abc", "x\nabc", ((0, 2, 3),))
    link = where.link(0, 3, None)
    assert link is not None and link.href is None and link.label == "examples/a.md:2"


# --------------------------------------------------------------------------- safety


@pytest.mark.parametrize(
    ("url", "allow_file", "expected"),
    [("file:///a/b.pdf#page=2", True, "file:///a/b.pdf#page=2"), ("file:///a/b.pdf", False, None),
     ("file://evil.example/share/x", True, None), ("file:relative", True, None),
     ("javascript:alert(1)", True, None), ("https://x.org/#:~:text=a", False, "https://x.org/#:~:text=a")],
)
def test_source_links_safe_link_allows_file_only_when_asked(url: str, allow_file: bool, expected: str | None) -> None:
    assert safe_link(url, allow_file=allow_file) == expected


HOSTILE_DIR = '/tmp/x"><script>alert(1)</script> [a](javascript:alert(2)) |c|'
HOSTILE_CLAIM = "数据显示，<b>超八成</b>芯片来自美国。"


def _hostile(source: str) -> t.ExtractedDocument:
    text = HOSTILE_CLAIM + "\n"
    return t.ExtractedDocument(
        source=source, sha256=hashlib.sha256(source.encode()).hexdigest(), kind="markdown",
        text=text, body_end=len(text), raw="---\ntitle: x\n---\n" + text, offset_runs=((0, 17, len(text)),),
        pages=(t.Page(0, None, 0, len(text), len(text), len(text)),), title="t", language="zh",
        sentences=(t.Sentence(0, len(HOSTILE_CLAIM), HOSTILE_CLAIM, page=0),),
        claims=(t.Claim(0, 0, len(HOSTILE_CLAIM), HOSTILE_CLAIM, "statistical", 0.9, page=0),),
    )


def test_source_links_hostile_source_name_is_escaped(tmp_path: Path) -> None:
    source = f"{HOSTILE_DIR}/post #1?.md"
    url = f"sqlite:///{tmp_path / 'h.db'}"
    with session_scope(upgraded_engine(url)) as session:
        save_document(session, _hostile(source))
        save_document(session, _hostile("javascript:alert(3)"))
    soup = BeautifulSoup(write_report(url, "html", audit=True), "html.parser")
    assert len(soup.find_all("script")) == 1  # the report's own
    links = soup.select("a.source-link")
    assert links, "no source link rendered"
    for a in links:
        assert a["href"].startswith("file:///tmp/x%22%3E%3Cscript%3E"), a["href"]
        assert re.fullmatch(r"file:///[A-Za-z0-9%/._~-]+#L4", a["href"]), a["href"]
        assert a.get_text() == f"{source}:4"
    # The javascript: "path" gets neither a link nor a file URL: its label is plain text.
    assert not [a for a in soup.find_all("a", href=True) if a["href"].lower().startswith("javascript")]

    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark").enable("table")
    # markdown-it refuses file: links by default (as GitHub does); editors' previews open them, so allow
    # them here and check that nothing else, javascript: above all, became a link.
    renderer.validateLink = lambda href: not href.lower().startswith(("javascript:", "vbscript:", "data:"))
    md_html = renderer.render(write_report(url, "md", audit=False))
    md_soup = BeautifulSoup(md_html, "html.parser")
    assert not md_soup.find_all("script")
    hrefs = [a["href"] for a in md_soup.find_all("a", href=True)]
    assert not [h for h in hrefs if not (h.startswith("#") or h.startswith("file:///tmp/x%22%3E"))], hrefs
    assert any(a.get_text() == f"{source}:4" for a in md_soup.find_all("a", href=True))


# --------------------------------------------------------------------------- end to end


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('examples')) / 'ex.db'}"
    sources = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".pdf", ".md", ".txt", ".html"))
    assert {p.suffix for p in sources} == {".pdf", ".md", ".txt", ".html"}
    with session_scope(upgraded_engine(url)) as session:
        for path in sources:
            save_document(session, extract_document(path.read_bytes(), source=str(path.resolve())))
    return url


def test_source_links_every_row_of_the_examples_report_links_its_original(examples_db: str) -> None:
    """HTML and Markdown: each claim, footnote and finding span has a link to the original file."""
    report = json.loads(write_report(examples_db, "json", audit=True))
    soup = BeautifulSoup(write_report(examples_db, "html", audit=False), "html.parser")
    md = write_report(examples_db, "md", audit=False)
    counts = {"claims": 0, "footnotes": 0, "spans": 0}
    for doc in report["documents"]:
        for c in doc["claims"]:
            counts["claims"] += 1
            assert c["source_href"] and soup.find(id=f"claim-{c['id']}").select_one(
                f'a.source-link[href="{c["source_href"]}"]'), c
        for n in doc["footnotes"]:
            counts["footnotes"] += 1
            assert n["source_href"] and soup.find(id=f"fn-{n['id']}").select_one("a.source-link"), n
        for f in doc["findings"]:
            assert f["spans"], f
            article = soup.find(id=f"finding-{f['id']}")
            for s in f["spans"]:
                counts["spans"] += 1
                assert s["source_href"] and article.select_one(f'a.source-link[href="{s["source_href"]}"]'), s
                assert f"]({s['source_href']})" in md
        for row in doc["claims"] + doc["footnotes"]:
            assert f"]({row['source_href']})" in md
    assert min(counts.values()) > 0, counts
    assert all(h.startswith("file:///") for h in (a["href"] for a in soup.select("a.source-link")))


def test_source_links_examples_point_at_the_right_page_line_and_passage(examples_db: str) -> None:
    """Open each target as a reader would: the PDF page holds the claim, the line holds its start,
    the local HTML page's text fragment is the claim as the page prints it."""
    pdfplumber = pytest.importorskip("pdfplumber")
    report = json.loads(write_report(examples_db, "json", audit=False))
    checked = {"pdf": 0, "markdown": 0, "text": 0, "html": 0}
    for doc in report["documents"]:
        path = Path(doc["source"])
        if doc["kind"] == "pdf":
            with pdfplumber.open(path) as pdf:
                sheets = [_squash(p.extract_text() or "") for p in pdf.pages]
            for c in doc["claims"]:
                sheet = int(c["source_href"].rsplit("#page=", 1)[1])
                assert _squash(c["text"])[:20] in sheets[sheet - 1], (sheet, c["text"])
                checked["pdf"] += 1
        elif doc["kind"] == "html":
            page = _squash(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").get_text())
            for c in doc["claims"]:
                [passage] = _terms(c["source_href"])
                assert _squash(passage) in page and passage == re.sub(r"\s+", " ", c["text"]).strip()
                checked["html"] += 1
        else:
            raw_lines = path.read_text(encoding="utf-8").splitlines()
            for c in doc["claims"]:
                line = int(c["source_href"].rsplit("#L", 1)[1])
                assert _starts_on(raw_lines[line - 1], c["text"]), (line, c["text"])
                checked[doc["kind"]] += 1
    assert min(checked.values()) > 0, checked


def _starts_on(line: str, text: str) -> bool:
    """The raw ``line`` holds the start of ``text``: its first four characters, or the first few
    at the very end of the line when the claim runs on to the next one."""
    head, shown = _unmarked(text)[:4], _unmarked(line).rstrip()
    return head in shown or any(shown.endswith(head[:k]) for k in range(1, len(head)))


def _unmarked(line: str) -> str:
    """A raw Markdown line without link targets and emphasis, as its text reads."""
    return _nfkc(re.sub(r"[\[\]*`]", "", re.sub(r"\]\([^)]*\)", "", line)))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", _nfkc(text))
