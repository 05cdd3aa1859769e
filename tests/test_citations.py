"""Citation parsing, keys, named sources, figure source lines and figure references (issue 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.notes.citations import (
    citation_key,
    find_figure_refs,
    find_named_sources,
    find_source_lines,
    parse_citation,
    source_line_label,
)
from extractors.notes.citations_text import find_url, fold_width
from extractors.notes.footnotes import find_reference_section

GOLD = Path(__file__).parent / "gold"
_FIELDS = ("kind", "authors", "title", "container", "year", "volume", "issue", "pages", "date", "flags", "url",
           "publisher", "place", "doi", "accessed")


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _value(parsed: object, field: str) -> object:
    got = getattr(parsed, field)
    return list(got) if isinstance(got, tuple) else got


# ---------------------------------------------------------------- parse_citation


@pytest.mark.parametrize("row", _rows("citations_handwritten.jsonl"), ids=lambda r: r["raw"][:40])
def test_citations_parse_handwritten(row: dict) -> None:
    parsed = parse_citation(row["raw"])
    wanted = {k: v for k, v in row.items() if k in _FIELDS}
    assert {k: _value(parsed, k) for k in wanted} == wanted


def _seed_notes(shared_dir: Path) -> list[tuple[int, str, str]]:
    layout = json.loads((shared_dir / "fixtures" / "pdf" / "deepseek_resilience_paper.layout.json").read_text("utf-8"))
    return [(i, n["marker"], n["text"]) for i, p in enumerate(layout["pages"]) for n in p["footnotes"]]


def test_citations_seed_paper_footnote_bodies(shared_dir: Path) -> None:
    """The 22 footnote bodies of seed 004, normalized as the pipeline would, against hand-checked gold."""
    notes = _seed_notes(shared_dir)
    gold = _rows("citations_seed004_footnotes.jsonl")
    assert [(g["page"], g["marker"]) for g in gold] == [(p, m) for p, m, _ in notes]
    for g, (_, _, body) in zip(gold, notes):
        c = parse_citation(fold_width(body))
        got = {
            "kind": c.kind, "authors": list(c.authors), "title_starts": (c.title or "")[:8] or None,
            "container": c.container, "year": c.year, "volume": c.volume, "issue": c.issue, "date": c.date,
            "flags": list(c.flags), "url_host": c.url.split("/")[2] if c.url else None,
        }
        assert got == {k: v for k, v in g.items() if k not in ("page", "marker")}, body[:30]


def test_citations_seed_paper_raw_fullwidth_body_parses_the_same(shared_dir: Path) -> None:
    """Parsing is safe on unfolded full-width text too (ｈｔｔｐｓ：／／…, ２０２５年第２期)."""
    for _, _, body in _seed_notes(shared_dir):
        assert parse_citation(body) == parse_citation(fold_width(body))


@pytest.mark.parametrize(
    "raw,kind",
    [
        ("ScalingLaw又称规模法则，指通过增加模型规模，可以显著提升模型性能。", "note"),
        ("Token就是AI处理文本的最小单位。在计算机领域，它常被译为令牌。", "note"),
        ("Liu and Li (note 1), section 2; thresholds paraphrased from the paper.", "note"),
        ("", "other"),
        ("国家统计局", "other"),
        ("新华社", "news"),
    ],
)
def test_citations_parse_kinds(raw: str, kind: str) -> None:
    assert parse_citation(raw).kind == kind


def test_citations_reference_section_entries_parse(seed_blog: str) -> None:
    section = find_reference_section(seed_blog)
    assert section is not None
    parsed = [parse_citation(e.text) for e in section.entries]
    assert [p.kind for p in parsed] == ["web", "web"]
    assert parsed[0].container == "Hugging Face Blog"
    assert parsed[1].url == "http://english.scio.gov.cn/pressroom/2026-01/22/content_118293753.html"


# ---------------------------------------------------------------- URLs and keys


@pytest.mark.parametrize(
    "text,url",
    [
        ("见 https://xueqiu.com/68930/3246?md5__1038=iqRxcD7G\nq0Qp5aOTxxTD。", "https://xueqiu.com/68930/3246?md5__1038=iqRxcD7Gq0Qp5aOTxxTD"),
        ("https://www.chinaz.com/2025/ 0127/1666453.shtml。", "https://www.chinaz.com/2025/0127/1666453.shtml"),
        ("see https://a.com/x and more", "https://a.com/x"),
        ("(https://a.com/x).", "https://a.com/x"),
        ("http://x.cn/a_b(1).htm.", "http://x.cn/a_b(1).htm"),
        ("https：//mp.weixin.qq.com/s/M3wEY-40i4mX？a=1。", "https://mp.weixin.qq.com/s/M3wEY-40i4mX?a=1"),
        ("http://a.org/p.pdf. DOI:10.1/x.", "http://a.org/p.pdf"),
    ],
)
def test_citations_url_repair(text: str, url: str) -> None:
    found = find_url(text)
    assert found is not None and found[0] == url


@pytest.mark.parametrize(
    "a,b",
    [
        ("王明, 李华. 数字经济与产业链韧性[J]. 经济研究, 2023, 58(4): 12-30.", "王明，李华：《数字经济与产业链韧性》，《经济研究》2023年第4期。"),
        ("《某网页》，https://www.example.com/a/b/", "[某网页](http://example.com/a/b?utm_source=x)"),
        ("Smith, J. (2020). Compute and Competition. Journal of X, 1(2), 3–4.", "SMITH J. Compute and competition[J]. Journal of X, 2020, 1(2): 3-4."),
        ("A. Author, \"T,\" J 1, no. 2 (2020): 3. https://doi.org/10.5555/ABC.1", "B. Other. T2[J]. K, 2021. DOI:10.5555/abc.1"),
    ],
)
def test_citations_key_same_work(a: str, b: str) -> None:
    assert citation_key(parse_citation(a)) == citation_key(parse_citation(b))


def test_citations_key_different_works() -> None:
    keys = {citation_key(parse_citation(r["raw"])) for r in _rows("citations_handwritten.jsonl") if r["kind"] not in ("note", "other")}
    assert len(keys) == len([r for r in _rows("citations_handwritten.jsonl") if r["kind"] not in ("note", "other")])


# ---------------------------------------------------------------- named sources


@pytest.mark.parametrize(
    "text,name,cue",
    [
        ("下载量增长三倍（来源：TMTPOST）。", "TMTPOST", "来源"),
        ("根据 Sensor Tower 数据，下载量", "Sensor Tower", "根据"),
        ("据新华社报道，该模型", "新华社", "据"),
        ("据 IDC 统计，出货量", "IDC", "据"),
        ("根据国家统计局发布的数据，", "国家统计局", "根据"),
        ("Sensor Tower数据显示，", "Sensor Tower", "数据显示"),
        ("Growth slowed, according to the IMF, in 2024.", "IMF", "according to"),
        ("According to data from the World Bank and the IMF, trade fell.", "World Bank", "According to"),
        ("Source: World Bank", "World Bank", "Source"),
        ("a figure reported by the Financial Times.", "Financial Times", "reported by"),
    ],
)
def test_citations_named_sources(text: str, name: str, cue: str) -> None:
    hits = find_named_sources(text)
    assert [(h.name, h.cue) for h in hits] == [(name, cue)]
    assert text[hits[0].start : hits[0].end] == name


@pytest.mark.parametrize("text", ["据统计，较短时间内", "数据显示，中国在AI芯片领域", "根据国家战略部署", "accordingly, the results"])
def test_citations_named_sources_silent(text: str) -> None:
    assert find_named_sources(text) == []


def test_citations_seed_blog_names_no_false_sources(seed_blog: str) -> None:
    assert find_named_sources(seed_blog) == []


# ---------------------------------------------------------------- figures


def test_citations_seed_paper_source_lines(seed_paper: str) -> None:
    text = fold_width(seed_paper)
    lines = find_source_lines(text)
    assert [(ln.label, ln.cue) for ln in lines] == [("图1", "数据来源"), ("图2", "数据来源"), ("图3", "数据来源"), ("图5", "数据来源")]
    assert lines[3].source == "DeepSeek官网"
    assert text[lines[0].caption_start : lines[0].caption_end].startswith("图1")
    assert parse_citation(text[lines[2].start : lines[2].end]).authors == ("杨超", "李伟", "贺俊")
    assert source_line_label(text[lines[3].start : lines[3].end], text) == "图5"


def test_citations_seed_paper_figure_refs(seed_paper: str) -> None:
    text = fold_width(seed_paper)
    labels = [r.label for r in find_figure_refs(text)]
    assert labels == ["图1", "图2", "图3", "表1", "图4", "图5", "图6", "表2"]


@pytest.mark.parametrize(
    "text,labels",
    [
        ("如图5所示，价格下降。", ["图5"]),
        ("表1展示了主要举措（见图2）。", ["表1", "图2"]),
        ("As Figure 3 shows, and see Table 2.", ["图3", "表2"]),
        ("图1　2017—2023年出口情况\n", []),
    ],
)
def test_citations_figure_refs(text: str, labels: list[str]) -> None:
    assert [r.label for r in find_figure_refs(text)] == labels


def test_citations_source_line_pairs_with_caption_above_or_below() -> None:
    text = "表2　价格\n\n项目 数值\n资料来源：作者整理。\n\n数据来源：《年鉴》\n\n图4　流程\n\nSource: IEA\n"
    lines = find_source_lines(text)
    assert [(ln.cue, ln.label) for ln in lines] == [("资料来源", "表2"), ("数据来源", "图4"), ("Source", "图4")]


# ---------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ALPHABET = st.sampled_from(list("aZ 中文。，：；\n《》“”\"()（）[]JMN/OL.,:-2019年第期卷http://w.cn据根据来源图表1") + ["[J]", "[EB/OL]", "https://", "et al", "等"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_citations_never_raise(text: str) -> None:
    parsed = parse_citation(text)
    assert parsed.kind in ("journal", "book", "web", "news", "report", "note", "other")
    assert isinstance(citation_key(parsed), str)
    for hit in find_named_sources(text):
        assert text[hit.start : hit.end] == hit.name
    for line in find_source_lines(text):
        assert text[line.source_start : line.source_end] == line.source
    for ref in find_figure_refs(text):
        assert 0 <= ref.start < ref.end <= len(text)


@pytest.mark.parametrize(("raw", "kind"), [
    ("Eastbrook Weather Station annual summaries, 2000-2024; days above 30 degrees counted from daily maxima.", "other"),
    ("Parks Department price list 2025; coating prices are quotes from two suppliers.", "other"),
    ("Token是指大模型处理文本的基本单位，又称词元，是计费的单位。", "note"),
    ("Prices are rounded to the nearest euro; the survey ran in spring. It covered five districts.", "note"),
])
def test_citations_note_that_names_a_dated_source_first_is_a_source(raw: str, kind: str) -> None:
    assert parse_citation(raw).kind == kind


@pytest.mark.parametrize(("raw", "authors", "title", "year", "et_al"), [
    # The shapes of the reference lists of real English blog posts (our own entries in those shapes).
    (": Jane Roe, The Hardware Question, 2020", ("Jane Roe",), "The Hardware Question", 2020, False),
    ("Ana Gómez-Ruiz, Jordi Vidal-Estapé, et al., TeLa: Catalan Language Models, 2022",
     ("Ana Gómez-Ruiz", "Jordi Vidal-Estapé"), "TeLa: Catalan Language Models", 2022, True),
    ("Kim Lee, Serving Series: 2. The two-phase process behind responses, 2023", ("Kim Lee",),
     "Serving Series: 2. The two-phase process behind responses", 2023, False),
    ("Li et al. Small models are all you need ii: phi-0.5 technical report. URL https://example.org/abs/1",
     ("Li",), "Small models are all you need ii: phi-0.5 technical report", None, True),
])
def test_citations_blog_comma_lists(raw: str, authors: tuple, title: str, year: int | None, et_al: bool) -> None:
    c = parse_citation(raw)
    assert (c.authors, c.title, c.year, "et_al" in c.flags) == (authors, title, year, et_al)


@pytest.mark.parametrize("raw", ["OpenAI, GPT-4 Technical Report, 2023", "The Hardware Question, 2020",
                                 "Smith, J. (2020). A study of things. Journal of Stuff, 3(2), 1-10."])
def test_citations_comma_list_needs_a_leading_name_and_a_title(raw: str) -> None:
    assert parse_citation(raw).style != "comma"


def test_citations_vancouver_and_chicago_author_lists() -> None:
    c = parse_citation("Roe J, Doe A, Lee K. Debate as a safety method. arXiv preprint arXiv:1805.00899, 2018.")
    assert (c.authors, c.title, c.year, c.style) == (("Roe J", "Doe A", "Lee K"), "Debate as a safety method", 2018,
                                                     "vancouver")
    c = parse_citation("[ICML 2024] Roe J, Doe A, et al. Better reasoning through debate. arXiv preprint "
                       "arXiv:2305.14325, 2023.")
    assert (c.authors, c.year, "et_al" in c.flags) == (("Roe J", "Doe A"), 2023, True)
    c = parse_citation('Roe, Jane, Ann Doe, and Kim Lee. "An optimistic perspective on offline learning." '
                       "International Conference on Machine Learning. PMLR, 2020.")
    assert c.authors == ("Roe, Jane", "Ann Doe", "Kim Lee") and c.year == 2020
