"""`claimledger report --format html --out DIR/`: an index page plus one page per document (issue 17).

The examples, two posts whose figures conflict across documents and a post
with a hostile title are extracted and stored in a SQLite database; the site
is written once per module and checked against SQL: counts, claims, the
filter's data attributes, links and anchors, escaping.  A browser test drives
the index's filters in headless Chromium (skipped without it unless CI=true).
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import text

from db.migrate import upgraded_engine
from db.session import get_engine, session_scope
from db.store import save_document
from extractors.document import extract_document
from flows.report import write_site
from reports.site import page_name, relink, site_pages
from test_cli import claimledger

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in {".md", ".txt", ".html", ".pdf"})
POST_A = "据统计，截至2024年底，全国智能算力规模为280 EFLOPS。\n\n数据显示，超八成企业已上云。\n"
POST_B = "数据显示，截至2024年底，全国智能算力规模为420 EFLOPS。\n\n某市新建了3个智算中心。\n"
SCRIPT = "<script>alert(1)</script>"
HOSTILE = (f"---\ntitle: \"{SCRIPT} 标题 <img src=x onerror=alert(1)>\"\n---\n\n"
           f"数据显示，{SCRIPT}超八成芯片来自美国。\n")


@pytest.fixture(scope="module")
def corpus_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("site-db")
    url = f"sqlite:///{folder / 'site.db'}"
    engine = upgraded_engine(url)
    sources = [(p.read_bytes(), str(p)) for p in EXAMPLES]
    sources += [(POST_A.encode(), str(folder / "compute_a.md")), (POST_B.encode(), str(folder / "compute_b.md")),
                (HOSTILE.encode(), str(folder / "hostile.md"))]
    for data, source in sources:
        with session_scope(engine) as session:
            save_document(session, extract_document(data, source=source))
    return url


@pytest.fixture(scope="module")
def site(corpus_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    assert write_site(corpus_url, out, audit=True) == len(EXAMPLES) + 3
    return out


def _sql(url: str, query: str) -> list[tuple]:
    with get_engine(url).connect() as conn:
        return [tuple(r) for r in conn.execute(text(query))]


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _counts(url: str, table: str) -> dict[int, int]:
    return dict(_sql(url, f"SELECT document_id, count(*) FROM {table} GROUP BY document_id"))


def _index_rows(site: Path, name: str = "index.html") -> dict[int, dict]:
    rows = {}
    for tr in _soup(site / name).select("#documents-table tbody tr"):
        cells = [td.get_text() for td in tr.find_all("td")]
        rows[int(cells[0])] = {"title": cells[1], "href": tr.find("a")["href"], "counts": tuple(map(int, cells[4:8])),
                               "findings": tr["data-findings"].split(), "search": tr["data-search"]}
    return rows


def test_report_site_index_lists_every_document_with_sql_counts(corpus_url: str, site: Path) -> None:
    rows = _index_rows(site)
    documents = dict(_sql(corpus_url, "SELECT id, coalesce(title, source) FROM documents"))
    assert set(rows) == set(documents)
    per_table = [_counts(corpus_url, t) for t in ("claims", "numeric_assertions", "footnotes", "findings")]
    for doc_id, row in rows.items():
        assert row["title"] == documents[doc_id]
        assert row["href"] == page_name(doc_id) and (site / row["href"]).is_file()
        assert row["counts"] == tuple(counts.get(doc_id, 0) for counts in per_table), doc_id
    assert sum(r["counts"][0] for r in rows.values()) > 0 and sum(r["counts"][3] for r in rows.values()) > 0


def test_report_site_index_holds_no_claim_text(corpus_url: str, site: Path) -> None:
    """The index stays light at scale: titles and counts, never a claim."""
    index = (site / "index.html").read_text(encoding="utf-8")
    titles = " ".join(t for (t,) in _sql(corpus_url, "SELECT coalesce(title, '') FROM documents"))
    claims = [c for (c,) in _sql(corpus_url, "SELECT text FROM claims") if len(c) > 12 and c not in titles]
    assert claims and not [c for c in claims if c in index]
    assert not _soup(site / "index.html").select("td.claim-text")


def test_report_site_document_pages_hold_their_claims_numbers_and_findings(corpus_url: str, site: Path) -> None:
    claims: dict[int, list[str]] = defaultdict(list)
    for doc_id, claim in _sql(corpus_url, "SELECT document_id, text FROM claims ORDER BY id"):
        claims[doc_id].append(claim)
    numbers = _counts(corpus_url, "numeric_assertions")
    findings: dict[int, set[int]] = defaultdict(set)
    for doc_id, finding_id in _sql(corpus_url, "SELECT document_id, id FROM findings"):
        findings[doc_id].add(finding_id)
    for (doc_id,) in _sql(corpus_url, "SELECT id FROM documents"):
        soup = _soup(site / page_name(doc_id))
        cells = [td.get_text() for td in soup.select("td.claim-text")]
        assert len(cells) == len(claims[doc_id]) and all(c in cell for c, cell in zip(claims[doc_id], cells))
        assert len(soup.select(".numbers tbody tr")) == numbers.get(doc_id, 0)
        assert {int(a["id"].split("-")[1]) for a in soup.select("article.finding")} == findings[doc_id]
        assert soup.select_one(f"section.document#doc-{doc_id}") is not None


def _target(page: Path, href: str) -> tuple[Path, str]:
    """The file and fragment a relative link opens (``?check=…#documents`` stays on its page)."""
    parts = urlsplit(href)
    return (page.parent / parts.path).resolve() if parts.path else page.resolve(), parts.fragment


def _broken_links(site: Path) -> list[tuple[str, str]]:
    """Relative links (and asset references) whose file or anchor does not exist; ids must be unique."""
    ids: dict[Path, set[str]] = {}
    missing = []
    for page in sorted(site.glob("*.html")):
        soup = _soup(page)
        # Links to the originals (http(s), file:) are reports.source_links' business; site links are relative.
        refs = [a["href"] for a in soup.find_all("a", href=True) if not urlsplit(a["href"]).scheme]
        refs += [tag.get("src") or tag.get("href") for tag in soup.find_all(["script", "link"])]
        for href in refs:
            target, fragment = _target(page, href)
            if not target.is_file():
                missing.append((page.name, href))
                continue
            if fragment:
                known = ids.setdefault(target, {t["id"] for t in _soup(target).find_all(id=True)})
                if fragment not in known:
                    missing.append((page.name, href))
        all_ids = [t["id"] for t in soup.find_all(id=True)]
        assert len(all_ids) == len(set(all_ids)), page.name
    return missing


def test_report_site_links_resolve_to_files_and_anchors(site: Path) -> None:
    assert (site / "index.html").is_file() and (site / "assets" / "report.css").is_file()
    assert _broken_links(site) == []


def test_report_site_cross_document_conflict_links_the_other_page(corpus_url: str, site: Path) -> None:
    [(finding_id, home, spans)] = _sql(corpus_url, "SELECT id, document_id, spans FROM findings "
                                                   "WHERE \"check\" = 'numbers.conflict'")
    ids = dict(_sql(corpus_url, "SELECT source, id FROM documents"))
    a, b = (next(i for s, i in ids.items() if s.endswith(name)) for name in ("compute_a.md", "compute_b.md"))
    other = b if home == a else a
    article = _soup(site / page_name(home)).select_one(f"#finding-{finding_id}")
    hrefs = [x["href"] for x in article.find_all("a", href=True)]
    assert f"{page_name(other)}#doc-{other}" in hrefs
    assert not [h for h in hrefs if h.startswith(f"#doc-{other}")]
    back = _soup(site / page_name(other)).select("#elsewhere a")
    assert [x["href"] for x in back] == [f"{page_name(home)}#finding-{finding_id}"]


def test_report_site_hostile_title_and_text_are_escaped(corpus_url: str, site: Path) -> None:
    [(doc_id, title)] = _sql(corpus_url, "SELECT id, title FROM documents WHERE source LIKE '%hostile.md'")
    assert SCRIPT in title
    for page in (site / "index.html", site / page_name(doc_id)):
        raw = page.read_text(encoding="utf-8")
        assert SCRIPT not in raw and "<img" not in raw and "&lt;script&gt;" in raw
        soup = _soup(page)
        assert [s.get("src") for s in soup.find_all("script")] == ["assets/report.js"]
    assert _index_rows(site)[doc_id]["title"] == title
    assert _soup(site / page_name(doc_id)).find("title").get_text().startswith(title)


def test_report_site_filter_attributes_match_the_findings(corpus_url: str, site: Path) -> None:
    pairs: dict[int, set[str]] = defaultdict(set)
    for doc_id, check, severity in _sql(corpus_url, 'SELECT document_id, "check", severity FROM findings'):
        pairs[doc_id].add(f"{check}:{severity}")
    rows = _index_rows(site)
    assert {d: set(r["findings"]) for d, r in rows.items()} == {d: pairs.get(d, set()) for d in rows}
    soup = _soup(site / "index.html")
    by_check = Counter(c for (c,) in _sql(corpus_url, 'SELECT "check" FROM findings'))
    options = [o["value"] for o in soup.select("#filter-check option")]
    assert options == ["", *sorted(by_check)]
    assert [o["value"] for o in soup.select("#filter-severity option")] == ["", "error", "warning", "info"]
    table = {tr["data-check"]: int(tr.find_all("td")[2].get_text())
             for tr in soup.select("#findings-by-check tr[data-check]")}
    assert table == dict(by_check)
    for tr in soup.select("#findings-by-check tr[data-check]"):
        assert tr.select_one("a[data-filter-check]")["data-filter-check"] == tr["data-check"]


@pytest.fixture(scope="module")
def paged_site(site: Path, corpus_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same corpus with three documents per index page (the audit ran for ``site``)."""
    from db.queries import load_corpus, load_findings

    out = tmp_path_factory.mktemp("paged")
    with session_scope(get_engine(corpus_url), write=False) as session:
        corpus, findings = load_corpus(session), load_findings(session)
    for relative, html in site_pages(corpus, findings, page_size=3):
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_text(html, encoding="utf-8")
    return out


def test_report_site_index_pages_split_the_documents(site: Path, paged_site: Path) -> None:
    total = len(EXAMPLES) + 3
    names = names_in_order([p.name for p in paged_site.glob("index*.html")])
    assert names == ["index.html", *(f"index-{n}.html" for n in range(2, -(-total // 3) + 1))]
    rows = {}
    for name in names:
        page_rows = _index_rows(paged_site, name)
        assert 1 <= len(page_rows) <= 3
        rows.update(page_rows)
        soup = _soup(paged_site / name)
        assert [a["href"] for a in soup.select(".pager a")] == [f"{n}#documents" for n in names if n != name]
        whole = _soup(site / "index.html").select_one("#findings-by-check")
        assert soup.select_one("#findings-by-check").decode() == whole.decode()
        assert f"{total} documents" in soup.select_one(".meta").get_text()
    assert rows == _index_rows(site)
    assert _broken_links(paged_site) == []
    assert not _soup(site / "index.html").select(".pager")


def names_in_order(names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: 1 if n == "index.html" else int(n[6:-5]))


def test_report_site_of_an_empty_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgraded_engine(url)
    assert write_site(url, tmp_path / "out", audit=True) == 0
    soup = _soup(tmp_path / "out" / "index.html")
    assert soup.select("#documents-table tbody tr") == [] and "0 documents" in soup.select_one(".meta").get_text()
    assert sorted(p.name for p in (tmp_path / "out" / "assets").iterdir()) == ["report.css", "report.js"]


@pytest.mark.parametrize("href", ["#doc-3", "#doc-3-p2", "#doc-30"])
def test_report_site_relink_points_other_documents_at_their_pages(href: str) -> None:
    html = f'<a href="{href}">x</a> <a href="#doc-4-p1">self</a> &#34;href=&#34;{href}&#34;'
    done = relink(html, 4)
    assert f'href="{page_name(int(href[5:].split("-")[0]))}{href}"' in done
    assert '<a href="#doc-4-p1">self</a>' in done and f"&#34;href=&#34;{href}&#34;" in done
    assert relink(html, 4, on_site={4}).startswith('<a title="not in this report">x</a> <a href="#doc-4-p1">')


def test_report_site_cli_directory_out(corpus_url: str, tmp_path: Path) -> None:
    done = claimledger("report", "--db", corpus_url, "--format", "html", "--no-audit", "--out", f"{tmp_path / 'web'}/")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "web" / "index.html").is_file()
    assert len(list((tmp_path / "web").glob("doc-*.html"))) == len(EXAMPLES) + 3
    assert "document pages" in done.stderr
    (tmp_path / "narrow").mkdir()
    again = claimledger("report", "--db", corpus_url, "--format", "html", "--out",  # audited: the conflict is there
                        str(tmp_path / "narrow"), "-d", "compute_a")
    assert again.returncode == 0, again.stderr
    [row] = _index_rows(tmp_path / "narrow").values()
    assert len(list((tmp_path / "narrow").glob("doc-*.html"))) == 1
    assert _broken_links(tmp_path / "narrow") == []  # the conflict's other document has no page: no link
    assert "not in this report" in (tmp_path / "narrow" / row["href"]).read_text(encoding="utf-8")
    single = claimledger("report", "--db", corpus_url, "--format", "html", "--no-audit",
                         "--out", str(tmp_path / "one.html"))
    assert single.returncode == 0 and (tmp_path / "one.html").is_file()
    bad = claimledger("report", "--db", corpus_url, "--format", "md", "--no-audit", "--out", str(tmp_path / "web"))
    assert bad.returncode == 1 and "a report site needs --format html" in bad.stderr
    assert "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    assert "--out" in claimledger("report", "--help").stdout


@pytest.mark.browser
def test_report_site_filters_and_assets_work_in_chromium(site: Path, paged_site: Path, tmp_path: Path) -> None:
    """CSS and JS load from assets/ under the pages' CSP, the index filters rows, nothing logs an error."""
    pytest.importorskip("websockets")
    from benchmarks.bench_site import chromium, load_pages, start_chromium, stop

    binary = chromium()
    if binary is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is required on CI (Debian package `chromium`) but was not found")
        pytest.skip("chromium not installed (apt-get install -y chromium); required when CI=true")
    probe = """(() => {
        const count = () => document.getElementById('filter-count').textContent;
        const visible = () => [...document.querySelectorAll('#documents-table tbody tr')]
            .filter(r => !r.classList.contains('hidden')).length;
        const out = {styled: getComputedStyle(document.body).maxWidth, all: visible()};
        const text = document.getElementById('filter-text');
        text.value = 'compute_b'; text.dispatchEvent(new Event('input', {bubbles: true}));
        out.text = visible(); out.textCount = count();
        text.value = ''; text.dispatchEvent(new Event('input', {bubbles: true}));
        document.querySelector('a[data-filter-check="numbers.conflict"]').click();
        out.check = visible(); out.checkValue = document.getElementById('filter-check').value;
        const sev = document.getElementById('filter-severity');
        sev.value = 'error'; sev.dispatchEvent(new Event('change', {bubbles: true}));
        out.error = visible();
        return out;
    })()"""
    proc, port = start_chromium(binary, tmp_path / "profile")
    try:
        [(load, state)] = asyncio.run(load_pages(port, [("site index", site / "index.html")], probe))
        [(doc_load, doc_state)] = asyncio.run(load_pages(port, [("site doc", site / page_name(1))], """(() => {
            const th = document.querySelector('table.claims th[data-sort]'); th.click();
            return {sorted: th.getAttribute('aria-sort'), styled: getComputedStyle(document.body).maxWidth};
        })()"""))
        query = "?check=sourcing.uncited_claim&q=%2Fexamples%2F&severity=bogus"
        [(paged_load, paged)] = asyncio.run(load_pages(port, [("index-2", paged_site / "index-2.html")], query=query,
                                                       probe="""(() => ({
            check: document.getElementById('filter-check').value, q: document.getElementById('filter-text').value,
            severity: document.getElementById('filter-severity').value,
            count: document.getElementById('filter-count').textContent,
            pager: [...document.querySelectorAll('.pager a')].map(a => a.getAttribute('href'))}))()"""))
    finally:
        stop(proc)
    assert load.problems == () and doc_load.problems == ()
    assert state["styled"] == "1180px" and doc_state["styled"] == "1180px", "assets/report.css did not load"
    assert state["all"] == len(EXAMPLES) + 3
    assert state["text"] == 1 and state["textCount"] == f"1 of {len(EXAMPLES) + 3} documents"
    assert state["checkValue"] == "numbers.conflict" and state["check"] == 1
    assert state["error"] == 0  # the conflict is a warning
    assert doc_state["sorted"] == "ascending"
    assert paged_load.problems == ()
    assert (paged["check"], paged["q"], paged["severity"]) == ("sourcing.uncited_claim", "/examples/", "")
    assert paged["count"].endswith(" documents on this page")
    assert paged["pager"][0] == "index.html?q=%2Fexamples%2F&check=sourcing.uncited_claim#documents"
