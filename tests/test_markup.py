"""Markdown, HTML and plain-text loaders: markup-free text whose every char maps back to the raw source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from extractors.errors import BadFrontMatter
from extractors.load.html_text import load_html
from extractors.load.markdown_text import load_markdown
from extractors.document import extract_document
from extractors.load.markup import guess_language, is_safe_url, load_plain
from extractors.load.sources import load_source
from extractors.types import LoadedDocument

HERE = Path(__file__).parent
HOSTILE = sorted((HERE / "fixtures" / "html").glob("hostile.*.html"))
BAD = HERE / "fixtures" / "bad"
EXAMPLES = HERE.parent / "examples"


def _body(doc: LoadedDocument) -> str:
    return doc.pages[0].body.text


def _unmapped(doc: LoadedDocument, *, allow: str = "") -> list[tuple[int, str, str]]:
    """Body chars whose origin does not hold the same char (white space and ``allow`` excepted)."""
    body = doc.pages[0].body
    return [
        (i, ch, doc.raw[body.origin[i]])
        for i, ch in enumerate(body.text)
        if not ch.isspace() and ch not in allow and doc.raw[body.origin[i]] != ch
    ]


def _assert_links_consistent(doc: LoadedDocument) -> None:
    body = doc.pages[0].body
    for page, link in doc.links:
        assert page == 0
        assert body.text[link.start:link.end] == link.text
        raw_start, raw_end = body.raw_span(link.start, link.end)
        # Markup inside the anchor (``[a<p>a](…)``) is dropped, so the anchor text is
        # the raw span with characters removed: a subsequence of it, in order.
        rest = iter(doc.raw[raw_start:raw_end])
        assert all(ch in rest for ch in link.text if not ch.isspace()), (link.text, doc.raw[raw_start:raw_end])


# --------------------------------------------------------------------------- seed 000 (Markdown in a .txt)


@pytest.fixture(scope="module")
def blog(seed_blog: str) -> LoadedDocument:
    return load_markdown(seed_blog)


def test_markdown_seed_metadata(blog: LoadedDocument) -> None:
    assert blog.kind == "markdown"
    assert blog.title is not None and blog.title.startswith("014. 从 DeepSeek 到 AI+")
    assert blog.published is not None and blog.published.startswith("2026-02-10")
    assert {"OpenSource", "China", "Ecosystem"} <= set(blog.tags)
    assert blog.language == "zh"
    assert len(blog.pages) == 1 and blog.pages[0].index == 0 and blog.pages[0].number is None


@pytest.mark.parametrize("markup", ["**", "##", "---", "title:", "categories:", "](http", "- ["])
def test_markdown_seed_text_has_no_markup(blog: LoadedDocument, markup: str) -> None:
    assert markup not in _body(blog)


@pytest.mark.parametrize(
    "expected",
    ["1590 EFLOPS", "超过 11.3 万个模型", "智能算力（专为 AI 训练设计）的增长速度高达 43%", "Qwen 的生态统治力：阿里巴巴",
     "013. Nemotron ColEmbed V2：定义多模态检索的新高度"],
)
def test_markdown_seed_text_keeps_content(blog: LoadedDocument, expected: str) -> None:
    assert expected in _body(blog)


def test_markdown_seed_blocks_are_separated(blog: LoadedDocument) -> None:
    text = _body(blog)
    assert "\n\n1. 开源成为“默认选项”\n\n" in text
    assert "\n\n从借用到自建：" in text  # each list item its own block
    assert "[013." not in text  # a bare reference link keeps its title only


def test_markdown_seed_links(blog: LoadedDocument) -> None:
    _assert_links_consistent(blog)
    text = _body(blog)
    sources = text.index("来源")
    listed = [link for _, link in blog.links if link.start > sources]
    assert [link.url for link in listed] == [
        "https://huggingface.co/blog/huggingface/one-year-since-the-deepseek-moment-blog-3",
        "http://english.scio.gov.cn/pressroom/2026-01/22/content_118293753.html",
    ]
    assert listed[0].text == "Hugging Face Blog: The Future of Global Open-Source AI Ecosystem"
    assert listed[1].text == "SCIO English: China's Computing Power Statistics 2026"


def test_markdown_seed_every_char_maps_back(blog: LoadedDocument) -> None:
    assert _unmapped(blog) == []
    origin = blog.pages[0].body.origin
    assert list(origin) == sorted(origin)  # reading order is source order
    front_matter_end = blog.raw.index("---", 3) + 3
    assert min(origin) > front_matter_end


@pytest.mark.parametrize("span", ["1590 EFLOPS", "Qwen 的生态统治力", "DeepSeek R1 的出现就像催化剂", "(注：本文"])
def test_markdown_seed_spans_map_to_raw(blog: LoadedDocument, span: str) -> None:
    body = blog.pages[0].body
    start = body.text.index(span)
    raw_start, raw_end = body.raw_span(start, start + len(span))
    assert blog.raw[raw_start:raw_end] == span


# --------------------------------------------------------------------------- Markdown constructs


def test_markdown_footnote_goes_to_notes_and_ref_stays() -> None:
    raw = "---\ntitle: T\n---\n正文一句[^1]，另一句[^n]。\n\n[^1]: 作者：《题名》，《刊名》2024年第3期，见 [链接](https://example.org/a)。\n"
    doc = load_markdown(raw)
    text = _body(doc)
    assert "正文一句[^1]，另一句[^n]。" == text  # refs stay literally; [^n] has no body
    ref = text.index("[^1]")
    assert doc.raw[doc.pages[0].body.origin[ref]:][:4] == "[^1]"
    (note,) = doc.pages[0].notes
    assert note.marker == "1"
    assert note.body.text.startswith("作者：《题名》，《刊名》2024年第3期，见 链接")
    assert "https://example.org/a" in note.body.text  # the URL stays for the citation parser
    assert all(doc.raw[o] == ch for o, ch in zip(note.body.origin, note.body.text) if not ch.isspace())
    assert doc.links == ()  # links inside notes are not body links


def test_markdown_unreferenced_footnote_definition_is_kept() -> None:
    doc = load_markdown("Body[^a].\n\n[^b]: Never cited.\n\n[^a]: Cited,\n    over two lines.\n\nAfter.")
    assert _body(doc) == "Body[^a].\n\nAfter."
    assert [(n.marker, n.body.text) for n in doc.pages[0].notes] == [("b", "Never cited."),
                                                                      ("a", "Cited, over two lines.")]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("a &amp; b \\* c &copy; d", "a & b * c © d"),
        ("line one\nline two", "line one line two"),
        ("中文第一行\n中文第二行", "中文第一行中文第二行"),
        ("# Head *em*\n\n```\ncode();\n```\n\n***\n\n> quoted `x`", "Head em\n\nquoted x"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "a | b\n\n1 | 2"),
        ("<script>alert(1)</script>\n\nafter <b>b</b>", "after b"),
        ("[x](javascript:alert(1)) and [y](https://ok.example)", "[x](javascript:alert(1)) and y"),
    ],
    ids=["entities", "softbreak", "cjk-softbreak", "blocks", "table", "raw-html", "js-link"],
)
def test_markdown_renders(raw: str, text: str) -> None:
    doc = load_markdown(raw)
    assert _body(doc) == text
    assert _unmapped(doc, allow="©|") == []
    assert all(not link.url.lower().startswith("javascript") for _, link in doc.links)
    _assert_links_consistent(doc)


@pytest.mark.parametrize(
    ("raw", "text", "first_origin"),
    [("![alt text](i.png) text", "text", 19), ("<span title='a b'>a b</span>", "a b", 18),
     ("[a b](http://a.b/a_b) a b", "a b a b", 1), ("<http://x.y/q> q", "http://x.y/q q", 1)],
    ids=["image", "html-attribute", "link-url", "autolink"],
)
def test_markdown_skipped_markup_is_stepped_over(raw: str, text: str, first_origin: int) -> None:
    body = load_markdown(raw).pages[0].body
    assert body.text == text
    assert body.origin[0] == first_origin
    assert body.origin[-1] == len(raw) - 1 if not raw.endswith(">") else True
    assert list(body.origin) == sorted(body.origin)


def test_markdown_title_falls_back_to_first_heading() -> None:
    doc = load_markdown("Intro line.\n\n## First *real* heading\n\nBody.\n\n# Second\n")
    assert doc.title == "First real heading"
    assert doc.published is None and doc.tags == ()


@pytest.mark.parametrize(
    ("path", "needle"),
    [(BAD / "broken-front-matter.md", "line 2"), (BAD / "unclosed-front-matter.md", "never closed")],
)
def test_markdown_bad_front_matter(path: Path, needle: str) -> None:
    with pytest.raises(BadFrontMatter) as caught:
        load_markdown(path.read_text(encoding="utf-8"))
    assert needle in str(caught.value)


def test_markdown_dashes_around_prose_are_not_front_matter() -> None:
    doc = load_markdown("---\nJust a sentence.\n---\n\nBody.")
    assert "Body." in _body(doc)
    assert doc.warnings  # said why it was not read as front matter


def test_markdown_example_post() -> None:
    doc = load_markdown((EXAMPLES / "zh_compute_post.md").read_text(encoding="utf-8"))
    text = _body(doc)
    assert doc.title and doc.published == "2025-11-18T09:30:00"
    assert "数据显示" in text and "据东岭算力研究院统计" in text and "[^1]" in text
    assert [n.marker for n in doc.pages[0].notes] == ["1"]
    assert sum(1 for _, link in doc.links if link.start > text.index("来源:")) == 2
    _assert_links_consistent(doc)
    assert _unmapped(doc) == []


# --------------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def html_post() -> LoadedDocument:
    return load_html((EXAMPLES / "en_policy_post.html").read_text(encoding="utf-8"))


def test_html_example_metadata(html_post: LoadedDocument) -> None:
    assert html_post.kind == "html"
    assert html_post.title == "Grid batteries are cheap now. Are the subsidies?"
    assert html_post.published == "2025-10-02T08:00:00Z"
    assert html_post.language == "en"


@pytest.mark.parametrize(
    ("present", "expected"),
    [("according to the Harbor Energy Institute.", True), ("More than 1,000 companies", True),
     ("$2.5 million", True), ("43% more", True), ("$1.8 million", True),  # &nbsp; is a space
     ("Subscribe", False), ("Home", False), ("analytics", False), ("font-family", False),
     ("Northfield Policy Blog", False), ("fictional", False)],
)
def test_html_example_main_text(html_post: LoadedDocument, present: str, expected: bool) -> None:
    assert (present in _body(html_post)) is expected


def test_html_example_links_and_sources(html_post: LoadedDocument) -> None:
    _assert_links_consistent(html_post)
    text = _body(html_post)
    assert "\n\nSources\n\n" in text
    listed = [link for _, link in html_post.links if link.start > text.index("Sources")]
    assert [link.url for link in listed] == [
        "https://example.org/harbor-institute/storage-2025",
        "https://example.net/grid-ledger/grants-2024.pdf",
    ]
    assert listed[1].text == "Grid Ledger, State Storage Grants 2024 (PDF)"


def test_html_example_maps_back(html_post: LoadedDocument) -> None:
    body = html_post.pages[0].body
    for i, ch, raw_ch in _unmapped(html_post):
        assert raw_ch == "&", (i, ch)  # only entity-decoded chars differ, and they point at their '&'
    assert list(body.origin) == sorted(body.origin)


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.stem)
def test_html_hostile_input_yields_text_only(path: Path) -> None:
    doc = load_html(path.read_text(encoding="utf-8"))
    text = _body(doc)
    for executable in ("alert(", "document.write", "import(", "onerror", "onload", "injected",
                       "noscript text", "style text", "template text", "hidden", "form value", "never closed"):
        if executable == "alert(" and "&lt;script&gt;" in doc.raw:
            continue  # escaped markup is displayed text; checked below
        assert executable not in text
    for i, ch in enumerate(text):
        if ch == "<":
            assert doc.raw[doc.pages[0].body.origin[i]] == "&" or doc.raw.startswith("< ", doc.pages[0].body.origin[i])
    for _, link in doc.links:
        assert is_safe_url(link.url)
        assert not re.match(r"\s*(javascript|data|vbscript):", link.url, re.I)
    _assert_links_consistent(doc)


def test_html_hostile_links_keep_only_safe_ones() -> None:
    doc = load_html((HERE / "fixtures" / "html" / "hostile.javascript-links.html").read_text(encoding="utf-8"))
    assert [link.url for _, link in doc.links] == ["https://example.org/ok", "/relative/page",
                                                  "mailto:editor@example.org"]
    assert "js, mixed case, tab entity, char ref, data, vbscript, good link" in _body(doc)


def test_html_unclosed_tags_and_entities() -> None:
    doc = load_html((HERE / "fixtures" / "html" / "hostile.unclosed-tags.html").read_text(encoding="utf-8"))
    blocks = _body(doc).split("\n\n")
    assert blocks[0] == "First paragraph with bold and italic"
    assert blocks[1] == "Second paragraph & an entity, 中文 and 中 too"
    assert "item one" in blocks and "item two" in blocks
    assert "Tail text < not a tag & not an entity &bogus; end." in blocks


def test_html_prefers_article_and_reads_time() -> None:
    raw = ("<html><body><div>menu junk</div><article><h1>Post</h1><p>Posted <time datetime='2024-05-06'>May 6"
           "</time>.</p><p>Body.</p></article><div>related junk</div></body></html>")
    doc = load_html(raw)
    assert _body(doc) == "Post\n\nPosted May 6.\n\nBody."
    assert doc.title == "Post" and doc.published == "2024-05-06"


# --------------------------------------------------------------------------- plain text and helpers


def test_plain_is_one_page_of_the_whole_text(seed_paper: str) -> None:
    doc = load_plain(seed_paper)
    assert doc.kind == "text" and len(doc.pages) == 1
    assert doc.pages[0].body.text == seed_paper
    assert doc.pages[0].body.origin == tuple(range(len(seed_paper)))
    assert doc.language == "zh"


def test_plain_example_title() -> None:
    doc = load_plain((EXAMPLES / "zh_policy_notes.txt").read_text(encoding="utf-8"))
    assert doc.title == "新型储能价格波动与地方补贴政策的边界"
    assert "①" in _body(doc) and "注释" in _body(doc)


@pytest.mark.parametrize(
    ("text", "language"),
    [("中国开源 AI 生态的 DeepSeek 与 Qwen 模型", "zh"), ("The institute said 43% of firms", "en"),
     ("12345 %%", None), ("据 Hugging Face 统计，超过 11.3 万个模型以 Qwen 为基础", "zh"),
     ("A Beijing Daily headline, 北京日报, was quoted in the English report.", "en")],
)
def test_guess_language(text: str, language: str | None) -> None:
    assert guess_language(text) == language


@pytest.mark.parametrize(
    ("url", "safe"),
    [("https://example.org", True), ("/a/b", True), ("mailto:x@example.org", True), ("page.html#x", True),
     ("javascript:alert(1)", False), (" JaVaScRiPt:alert(1)", False), ("java\tscript:x", False),
     ("data:text/html,x", False), ("vbscript:x", False), ("", False), ("file:///etc/passwd", False)],
)
def test_is_safe_url(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


# --------------------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    ("name", "loader"), [("zh_compute_post.md", load_markdown), ("en_policy_post.html", load_html)]
)
def test_crlf_sources_map_like_lf_ones(name: str, loader) -> None:  # type: ignore[no-untyped-def]
    lf = (EXAMPLES / name).read_text(encoding="utf-8")
    crlf_doc, lf_doc = loader(lf.replace("\n", "\r\n")), loader(lf)
    assert _body(crlf_doc) == _body(lf_doc)
    assert crlf_doc.title == lf_doc.title and len(crlf_doc.links) == len(lf_doc.links)
    assert [raw_ch for _, _, raw_ch in _unmapped(crlf_doc)] == [raw_ch for _, _, raw_ch in _unmapped(lf_doc)]


_MARKUP_ALPHABET = st.sampled_from(list("ab 中文\n\n#*_-[]()<>/&;:!^`|1.>") + ["**", "](http://x.y)", "<p>", "</a>",
                                                                      "<a href='javascript:x'>", "&amp;", "[^1]"])


@settings(max_examples=120, deadline=None)
@given(st.lists(_MARKUP_ALPHABET, max_size=60).map("".join))
@example("[a<p>a](http://x.y)")  # regression: raw HTML inside a link anchor
def test_loaders_never_crash_and_stay_mapped(raw: str) -> None:
    for loader in (load_markdown, load_html):
        try:
            doc = loader(raw)
        except BadFrontMatter:
            continue
        for page in doc.pages:
            assert all(0 <= o < max(len(raw), 1) for o in page.body.origin)
            for note in page.notes:
                assert all(0 <= o < len(raw) for o in note.body.origin)
        _assert_links_consistent(doc)
        assert all(is_safe_url(link.url) for _, link in doc.links)


def test_html_empty_article_falls_back_to_page_and_unclosed_drop_warns() -> None:
    doc = load_html("<body><p>Real text.</p><article></article><nav>menu")
    assert _body(doc) == "Real text."
    assert doc.warnings == ("unclosed <nav> dropped the rest of the page",)


# --------------------------------------------------------------------------- Markdown as people write it (issue 13)
# Each example is written here and reproduces one failure class seen in real Chinese posts.


def _assert_mapped(doc: LoadedDocument, *, allow: str = "") -> None:
    """Every shown char maps to itself in the raw source, in source order, and links are consistent."""
    assert _unmapped(doc, allow=allow) == []
    _assert_links_consistent(doc)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("模型：仅**通用人工智能（GPAI）**模型直接受到监管。", "模型：仅通用人工智能（GPAI）模型直接受到监管。"),
        ("这是**“重要”**的。", "这是“重要”的。"),
        ("数据**（2024）**显示", "数据（2024）显示"),
        ("a**b**c and **foo**bar", "abc and foobar"),  # no CJK: CommonMark's own result
        ("a ** b", "a ** b"),  # neither flanking: literal in CommonMark and here
    ],
    ids=["fullwidth-paren", "curly-quotes", "digits-in-parens", "latin", "spaced"],
)
def test_markdown_cjk_emphasis(raw: str, text: str) -> None:
    doc = load_markdown(raw)
    assert _body(doc) == text
    _assert_mapped(doc)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("**注意：请先申请模型权限。", "注意：请先申请模型权限。"),  # never closed
        ("**提示: ** 已支持 CPU 卸载。", "提示: 已支持 CPU 卸载。"),  # closer after a space
        ("*************排序 (1000 轮) *****", "排序 (1000 轮)"),
        ("展开次数为 (8192**2) 与 2 ** 3。", "展开次数为 (8192**2) 与 2 ** 3。"),  # powers stay
        ("单个 * 号与 snake_case 保留", "单个 * 号与 snake_case 保留"),
    ],
    ids=["unclosed", "spaced-closer", "long-runs", "powers", "single-star"],
)
def test_markdown_unpaired_strong_markers_are_dropped(raw: str, text: str) -> None:
    doc = load_markdown(raw)
    assert _body(doc) == text
    _assert_mapped(doc)


def test_markdown_inside_html_blocks_is_rendered() -> None:
    raw = ('<p align="center">\n![图 1](https://e.org/a.png)\n<em>图 1：示意</em>\n</p>\n\n'
           '<div class="note">\n参见 [项目](https://e.org/p) 与 **重点**，共 3 项。\n</div>\n\n'
           '<table><tr><td>甲</td><td>1.5</td></tr></table>\n\n正文见[说明](https://e.org/doc)。')
    doc = load_markdown(raw)
    assert _body(doc) == "图 1：示意\n\n参见 项目 与 重点，共 3 项。\n\n甲 | 1.5\n\n正文见说明。"
    assert [(link.text, link.url) for _, link in doc.links] == [("项目", "https://e.org/p"),
                                                               ("说明", "https://e.org/doc")]
    _assert_mapped(doc, allow="|")


def test_markdown_inline_html_anchors_are_links() -> None:
    raw = '正文见 <a href="https://e.org/x">说明页</a>，甲<br>乙 and <a href=\'javascript:x\'>bad</a> end'
    doc = load_markdown(raw)
    assert _body(doc) == "正文见 说明页，甲乙 and bad end"
    assert [(link.text, link.url) for _, link in doc.links] == [("说明页", "https://e.org/x")]
    _assert_mapped(doc)


def test_markdown_strong_inside_a_link_keeps_the_mapping() -> None:
    # The "**" before "](" used to stop the cursor, so every later char mapped to a "*".
    raw = "- [**Bloom**](https://e.org/b) 需要 2 \\* 176 GB = **352 GB** 显存"
    doc = load_markdown(raw)
    assert _body(doc) == "Bloom 需要 2 * 176 GB = 352 GB 显存"
    _assert_mapped(doc)


def test_markdown_loose_links_and_images() -> None:
    raw = ("![示意图](https://e.org/t.jpg 示意图 )\n\n"
           "点击[部署 -> 云](https://e.org/a b)继续，或见[文档](https://e.org/very\n-long)。")
    doc = load_markdown(raw)
    assert _body(doc) == "点击部署 -> 云继续，或见文档。"
    assert [(link.text, link.url) for _, link in doc.links] == [("部署 -> 云", "https://e.org/a"),
                                                               ("文档", "https://e.org/very-long")]
    _assert_mapped(doc)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("复杂度为 \\\\(O(T \\\\log T)\\\\)，其中 $n$ 是长度。", "复杂度为 ，其中 是长度。"),
        ("常数 $$a=1$$ 与 $ x^2 $ 不是正文。", "常数 与 不是正文。"),
        ("花费 $10 到 $20。见 \\[1\\] 文献。", "花费 $10 到 $20。见 [1] 文献。"),  # currency, escaped brackets
        ("前文。\n\n$$\nE = mc^2\n$$\n\n后文。", "前文。\n\n后文。"),
        ("前文。\n\n\\\\( W =\n  \\begin{bmatrix} 1 & 2\n  \\end{bmatrix}\n  =\n  3 \\\\)\n\n后文。", "前文。\n\n后文。"),
        ("使用 `BigBird` 与 `max_length=512` 参数，`滑动注意力` 即此意。", "使用 BigBird 与 参数，滑动注意力 即此意。"),
        ("`Accelerator().autocast()` 不再接收 `cache_enabled=True`，需要 `torch>=2.5`。",
         "Accelerator().autocast() 不再接收 ，需要 。"),
        # A name with digits goes too: the number extractor reads "8B" in Llama-3.1-8B as a figure.
        ("`Llama-3.1-8B` 与 `BigBird` 都是 `8B` 以上。", "与 BigBird 都是 以上。"),
        ("前文。\n\n```python\nbatch_size = 64\n```\n\n    indented = 8\n\n后文。", "前文。\n\n后文。"),
    ],
    ids=["bracket-math", "dollar-math", "not-math", "display-dollars", "display-brackets-with-equals-line",
         "code-spans", "names-in-code-spans", "names-with-digits", "code-blocks"],
)
def test_markdown_code_and_math_are_not_text(raw: str, text: str) -> None:
    doc = load_markdown(raw)
    assert _body(doc) == text
    _assert_mapped(doc)


def test_markdown_table_cells_are_rows() -> None:
    raw = "| 模型 | 得分 |\n|---|---|\n| **recurrentgemma** | 52.00 |\n| `Zamba`<sup>*</sup> | 56.14 |\n"
    doc = load_markdown(raw)
    assert _body(doc) == "模型 | 得分\n\nrecurrentgemma | 52.00\n\nZamba* | 56.14"
    _assert_mapped(doc, allow="|")


_NESTED_FRONT_MATTER = ("---\ntitle: \"合成数据：如何构建\"\nthumbnail: /blog/assets/x.png\nauthors:\n- user: a\n"
                        "translators:\n- user: b\n  proofreader: true\n---\n\n# 合成数据\n\n")
_HTML_HEAVY_BODY = "".join(f'<p align="center">\n<img src="https://e.org/{i}.png"><br>\n<em>图 {i}</em>\n</p>\n\n'
                           for i in range(6)) + "正文一段。\n"


@pytest.mark.parametrize(
    "raw",
    [_NESTED_FRONT_MATTER + _HTML_HEAVY_BODY, "\n\n" + _NESTED_FRONT_MATTER + "正文一段。\n",
     _NESTED_FRONT_MATTER.replace("\n---\n\n#", "\n...\n\n#") + "正文一段。\n"],
    ids=["html-heavy-post", "blank-lines-first", "yaml-document-end"],
)
def test_markdown_valid_front_matter_never_reaches_the_text(raw: str) -> None:
    doc = load_source(raw.encode(), name="post.txt")  # content decides the kind, not the name
    assert doc.kind == "markdown" and doc.title == "合成数据：如何构建"
    text = _body(doc)
    assert text.startswith("合成数据\n\n") and text.endswith("正文一段。")
    assert not any(key in text for key in ("title:", "thumbnail:", "authors:", "proofreader", "---", "..."))
    _assert_mapped(doc)


def test_markdown_no_number_comes_from_code_or_math() -> None:
    raw = ("---\ntitle: 测试\n---\n\n据统计，销量增长 12%。取 $k = 300$ 时，`batch_size=64` 最快。\n\n"
           "```python\nsteps = 1000\n```\n\n$$\nx = 4096\n$$\n")
    doc = extract_document(raw.encode(), source="post.md")
    assert [doc.text[n.start:n.end] for n in doc.numbers] == ["12%"]
    assert "300" not in doc.text and "64" not in doc.text and "1000" not in doc.text and "4096" not in doc.text


_NEW_SYNTAX = st.sampled_from(["模型", "**", "（GPAI）", "$", "$$", "\\\\(", "\\\\)", "`", "<p align='c'>", "</p>",
                               "![a](https://e.org/a.png t )", "[b](https://e.org/b c)", "\n", "\n\n", "=",
                               "1", " ", "x", "|", "---", "\\[", "\\]", "_"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_NEW_SYNTAX, max_size=40).map("".join))
@example("\\\\( a\n=\n\\\\)")
def test_markdown_new_syntax_stays_mapped(raw: str) -> None:
    try:
        doc = load_markdown(raw)
    except BadFrontMatter:
        return
    body = doc.pages[0].body
    assert list(body.origin) == sorted(body.origin)
    _assert_mapped(doc, allow="|")
