"""Web pages (issue 13): main text in, boilerplate out, metadata kept, every character mapped.

The pages under ``tests/fixtures/web/`` are our own invented text laid out the
way blogs and news sites are: a cookie banner, navigation, a sidebar, related
links, share buttons, comments and a footer around one article, with no
``<article>``/``<main>`` element to lean on.  The measurement on real pages is
``benchmarks/web_main_text.py`` (trafilatura's evaluation set).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from extractors.document import extract_document
from extractors.load.html_text import load_html
from extractors.load.sources import load_source
from extractors.types import LoadedDocument

WEB = Path(__file__).parent / "fixtures" / "web"


def _load(name: str) -> LoadedDocument:
    return load_html((WEB / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def blog() -> LoadedDocument:
    return _load("en_blog_boilerplate.html")


@pytest.fixture(scope="module")
def news_zh() -> LoadedDocument:
    return _load("zh_news_boilerplate.html")


def _body(doc: LoadedDocument) -> str:
    return doc.pages[0].body.text


# --------------------------------------------------------------------------- main text in, boilerplate out


@pytest.mark.parametrize("kept", [
    "Landlords in the Lakeside region installed 3,200 heat pumps in rented flats last year",
    "capped at 9,000 euros per flat",
    "What tenants see",
    "the modernisation levy adds roughly 40 euros to the monthly rent",
    "Share of flats with a heat pump: 6.8%, against 3.9% two years earlier.",
    "2024 | 3,200 | 21.6 million euros",
    "the same pump & its installation.",
])
def test_blog_main_text_in(blog: LoadedDocument, kept: str) -> None:
    assert kept in _body(blog)


@pytest.mark.parametrize("dropped", [
    "cookies", "Accept all", "Home", "Archive", "About us",  # cookie banner, navigation
    "Popular this week", "garden shed", "newsletter",  # sidebar
    "Related posts", "Solar roofs on council houses", "District heating prices",  # related links
    "Share on Chirper", "Email this post",  # share buttons
    "3 comments", "GreenRenter", "outrageous", "night storage heaters", "Leave a reply",  # comments
    "All rights reserved", "Imprint",  # footer
    "tracking code", ".cookie-banner",  # script and style
])
def test_blog_boilerplate_out(blog: LoadedDocument, dropped: str) -> None:
    assert dropped not in _body(blog)


def test_blog_reference_list_is_kept_with_its_links(blog: LoadedDocument) -> None:
    """Trafilatura drops link-dense lists; a post's "Sources" list is the citations we audit."""
    text = _body(blog)
    assert "\n\nSources\n\nLakeside Housing Survey 2024, table 7\n\nTenant League, Heating Bills Report 2025 (PDF)" in text
    cited = [(link.url, link.text) for _, link in blog.links]
    assert cited == [
        ("https://example.org/lakeside-housing/heat-2024", "Lakeside Housing Survey"),
        ("https://example.net/tenant-league/bills-2025.pdf", "Tenant League"),
        ("https://example.org/lakeside-housing/heat-2024", "Lakeside Housing Survey 2024, table 7"),
        ("https://example.net/tenant-league/bills-2025.pdf", "Tenant League, Heating Bills Report 2025 (PDF)"),
    ]


def test_blog_metadata(blog: LoadedDocument) -> None:
    assert blog.title == "Heat pumps in rented flats: who pays?"
    assert blog.author == "Morgan Ellery"
    assert blog.published == "2025-03-14T07:45:00Z"  # the page's stamp, agreeing with htmldate's day
    assert blog.language == "en" and blog.kind == "html"


def test_chinese_news_page(news_zh: LoadedDocument) -> None:
    text = _body(news_zh)
    assert text.startswith("记者从东岭市能源局获悉，截至今年5月底，全市新型储能累计装机规模达到215万千瓦")
    assert "力争到2026年底全市新型储能装机达到300万千瓦以上。" in text
    for dropped in ("Cookie", "首页", "登录", "热点推荐", "地铁三号线", "网友评论", "居民区", "版权所有", "备案号"):
        assert dropped not in text
    assert news_zh.title == "东岭市新型储能装机规模突破两百万千瓦"
    assert news_zh.author == "林晓岚"  # from the JSON-LD byline
    assert news_zh.published == "2025-06-08"
    assert news_zh.language == "zh"
    assert [(link.url, link.text) for _, link in news_zh.links] == [
        ("https://example.cn/dongling-energy/2025-05", "东岭市能源局")]


# --------------------------------------------------------------------------- provenance


@pytest.mark.parametrize("name", ["en_blog_boilerplate.html", "zh_news_boilerplate.html"])
def test_every_character_maps_back_into_the_raw_html(name: str) -> None:
    doc = _load(name)
    body = doc.pages[0].body
    assert len(body.origin) == len(body.text)
    for i, ch in enumerate(body.text):
        raw_ch = doc.raw[body.origin[i]]
        if not ch.isspace() and raw_ch != ch:
            # a decoded entity points at its '&', a table cell's inserted " | " at its <td>
            assert raw_ch == "&" or (ch == "|" and doc.raw.startswith(("<td", "<th"), body.origin[i])), (i, ch, raw_ch)
    assert list(body.origin) == sorted(body.origin)
    for _, link in doc.links:
        assert body.text[link.start:link.end] == link.text
        raw_start, raw_end = body.raw_span(link.start, link.end)
        assert doc.raw[raw_start:raw_end] == link.text  # our anchors carry no markup inside


def test_extract_document_spans_slice_the_text() -> None:
    """Through the whole pipeline: sentences and numbers of the web page still slice their text."""
    doc = extract_document((WEB / "en_blog_boilerplate.html").read_bytes(), source="en_blog_boilerplate.html")
    assert doc.numbers and doc.sentences
    for n in doc.numbers:
        assert doc.text[n.start:n.end] == n.surface
    for s in doc.sentences:
        assert doc.text[s.start:s.end] == s.text
    assert "GreenRenter" not in doc.text and "cookies" not in doc.text


# --------------------------------------------------------------------------- robustness


def test_no_network_is_touched(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trafilatura is handed the HTML string: nothing may open a connection."""
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("network access during HTML loading")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    doc = load_source((WEB / "en_blog_boilerplate.html").read_bytes(), name="post.html")
    assert "3,200 heat pumps" in _body(doc)


def test_tiny_page_falls_back_to_our_rule() -> None:
    """Too little for trafilatura: the page's text minus furniture, as before."""
    doc = load_html("<html><body><nav>Menu</nav><p>Only one short line.</p><footer>Foot</footer></body></html>")
    assert _body(doc) == "Only one short line."


def test_short_article_page_keeps_to_the_article() -> None:
    """When the kept text lies mostly in <article>, text around it is left out."""
    raw = ("<html><body><div>Weather widget: sunny</div><article><h1>Short note</h1>"
           "<p>The council approved 12 new bus lines on Monday.</p></article>"
           "<div>Trending: cat videos</div></body></html>")
    text = _body(load_html(raw))
    assert "12 new bus lines" in text
    assert "Weather widget" not in text and "Trending" not in text
