"""Numeric assertions on the two seeds: a golden list plus the claims a reader would check by hand.

The golden files (``tests/gold/numbers_<seed>.json``) list every quantity we
extract with value, unit and qualifier.  They are produced from a local,
cheap normalization (full-width fold, CJK line re-joining) so that they do not
move when :mod:`extractors.text.normalize` changes; a second set of tests runs the
real normalizer and checks the hand-picked assertions only.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_numbers_golden.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from extractors.numbers.assertions import extract
from extractors.types import QUALIFIERS, NumericAssertion

GOLD = Path(__file__).parent / "gold"
KEEP_FULL_WIDTH = set("，：；！？（）")
_JOIN = re.compile(r"(?<=[\u4e00-\u9fffA-Za-z0-9，、“”])\n(?=[\u4e00-\u9fff“A-Za-z])")
FIELDS = ("start", "end", "surface", "value", "value_max", "unit", "qualifier", "change", "is_delta", "per",
          "time_scope", "subject", "rule_id", "unit_kind")


def cheap_normalize(raw: str) -> str:
    """Fold U+FF01-FF5E to ASCII (keeping Chinese punctuation) and re-join lines broken inside CJK text."""
    folded = "".join(
        chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E and c not in KEEP_FULL_WIDTH else c for c in raw
    )
    return _JOIN.sub("", folded.replace("\u3000", " "))


def _real_normalize(raw: str) -> str:
    normalize = pytest.importorskip("extractors.text.normalize")
    return normalize.normalize_text(raw).text.text


@pytest.fixture(scope="module")
def blog(seed_blog: str) -> list[NumericAssertion]:
    return extract(cheap_normalize(seed_blog))


@pytest.fixture(scope="module")
def paper(seed_paper: str) -> list[NumericAssertion]:
    return extract(cheap_normalize(seed_paper))


def _rows(found: list[NumericAssertion]) -> list[dict]:
    return [{f: getattr(a, f) for f in FIELDS} for a in found]


def _find(found: list[NumericAssertion], surface: str) -> NumericAssertion:
    hits = [a for a in found if surface in a.surface or a.surface in surface and len(a.surface) > 1]
    assert hits, f"{surface!r} not among {[a.surface for a in found]}"
    return hits[0]


@pytest.mark.parametrize("seed, fixture", [("000", "blog"), ("004", "paper")])
def test_numbers_golden_matches(seed: str, fixture: str, request: pytest.FixtureRequest) -> None:
    rows = _rows(request.getfixturevalue(fixture))
    path = GOLD / f"numbers_{seed}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert rows == expected


@pytest.mark.parametrize("fixture", ["blog", "paper"])
def test_numbers_golden_offsets_are_exact(fixture: str, request: pytest.FixtureRequest,
                                          seed_blog: str, seed_paper: str) -> None:
    text = cheap_normalize(seed_blog if fixture == "blog" else seed_paper)
    for a in request.getfixturevalue(fixture):
        assert text[a.start:a.end] == a.surface
        assert a.qualifier in QUALIFIERS
        assert a.page is None and a.rule_id.startswith("numbers.")


# --------------------------------------------------------------------------- seed 000 (blog)


@pytest.mark.parametrize(
    "surface, value, unit, qualifier",
    [
        ("1590 EFLOPS", 1590.0, "EFLOPS", "exact"),
        ("43%", 0.43, "%", "exact"),
        ("11.3 万个", 113000.0, "个", "more_than"),
        ("1.46", 1.46, None, "exact"),
        ("10 个", 10.0, "个", "exact"),
    ],
)
def test_numbers_golden_blog_quantities(blog: list[NumericAssertion], surface: str, value: float,
                                        unit: str | None, qualifier: str) -> None:
    a = _find(blog, surface)
    assert (a.value, a.unit, a.qualifier) == (value, unit, qualifier)


def test_numbers_golden_blog_context(blog: list[NumericAssertion]) -> None:
    eflops = _find(blog, "1590 EFLOPS")
    assert eflops.subject == "中国总算力规模"
    assert eflops.time_scope is not None and "2025" in eflops.time_scope
    pue = _find(blog, "1.46")
    assert (pue.change, pue.is_delta) == ("decrease", False)
    assert pue.subject is not None and pue.subject.endswith("PUE")
    growth = _find(blog, "43%")
    assert (growth.change, growth.is_delta) == ("increase", True)
    models = _find(blog, "11.3 万个")
    assert models.time_scope is not None and "2025" in models.time_scope and "中期" in models.time_scope


@pytest.mark.parametrize("not_a_quantity", ["014", "013", "2025", "2026", "1.5", "4.5", "3D", "V2", "v4"])
def test_numbers_golden_blog_rejects(blog: list[NumericAssertion], not_a_quantity: str) -> None:
    """Titles' list numbers, years, versions (UI-TARS-1.5, GLM-4.5), 3D, V2 are not assertions."""
    assert all(a.surface.strip() != not_a_quantity for a in blog)
    assert not any(a.rule_id == "numbers.bare" and f"{a.value:g}" == not_a_quantity for a in blog)


# --------------------------------------------------------------------------- seed 004 (paper)


@pytest.mark.parametrize(
    "surface, value, unit, qualifier",
    [
        ("4800TOPS", 4800.0, "TOPS", "at_least"),
        ("600Gbyte/s", 600.0, "Gbyte/s", "at_least"),
        ("超过1000家", 1000.0, "家", "more_than"),
        ("近20倍", 20.0, "x", "nearly"),
        ("超八成", 0.8, "%", "more_than"),
        ("90%以上", 0.9, "%", "at_least"),
        ("438元", 438.0, "CNY", "exact"),
        ("16元", 16.0, "CNY", "exact"),
        ("将近30倍", 30.0, "x", "nearly"),
        ("28纳米", 28.0, "nm", "exact"),
        ("约93.3%", 0.933, "%", "approx"),
        ("0.25%以内", 0.0025, "%", "at_most"),
        ("65%", 0.65, "%", "exact"),
        ("超10万个", 100000.0, "个", "more_than"),
        ("十年内", 10.0, "year", "at_most"),
        ("100多个", 100.0, "个", "more_than"),
        ("1/10", 0.1, None, "exact"),
    ],
)
def test_numbers_golden_paper_quantities(paper: list[NumericAssertion], surface: str, value: float,
                                         unit: str | None, qualifier: str) -> None:
    a = _find(paper, surface)
    assert (a.value, a.unit, a.qualifier) == (value, unit, qualifier)


def test_numbers_golden_paper_vague_range(paper: list[NumericAssertion]) -> None:
    a = _find(paper, "数百亿美元")
    assert (a.value, a.value_max, a.unit, a.qualifier, a.rule_id) == (1e10, 1e11, "USD", "approx", "numbers.vague")


def test_numbers_golden_paper_rate(paper: list[NumericAssertion]) -> None:
    assert _find(paper, "438元").per == "1000000 tokens"
    assert _find(paper, "16元").per == "1000000 tokens"  # same sentence, same unit
    assert not any(a.unit == "tokens" for a in paper), "the denominator is not an assertion of its own"


def test_numbers_golden_paper_context(paper: list[NumericAssertion]) -> None:
    firms = _find(paper, "超过1000家")
    assert firms.subject == "美国实体清单中的中国科技企业总数"
    assert firms.time_scope == "截至2024年12月"
    growth = _find(paper, "近20倍")
    assert (growth.change, growth.is_delta, growth.time_scope) == ("increase", True, "截至2024年12月")
    kv = _find(paper, "约93.3%")
    assert kv.subject is not None and kv.subject.endswith("KV缓存量")
    assert (kv.change, kv.is_delta) == ("decrease", True)
    share = _find(paper, "65%")
    assert (share.change, share.is_delta) == ("increase", False)  # 提升至: a level reached
    assert _find(paper, "25家").time_scope == "2025年1月"


@pytest.mark.parametrize(
    "not_a_quantity",
    ["H100", "A800", "A100", "Chip4", "R1", "FP8", "SC42", "5G", "F49", "411201", "1672", "7835", "0082",
     "58", "68", "88", "98", "图1", "图5", "28卷", "2023", "2017", "2.0"],
)
def test_numbers_golden_paper_rejects(paper: list[NumericAssertion], not_a_quantity: str) -> None:
    """Model names, standards, codes, postcodes, page numbers, figure numbers, years, titles."""
    digits = re.sub(r"[^0-9.]", "", not_a_quantity)
    for a in paper:
        assert not_a_quantity not in a.surface, a
        if a.unit is None and a.rule_id == "numbers.bare":
            assert f"{a.value:g}" != digits, a


# --------------------------------------------------------------------------- with the real normalizer


@pytest.mark.parametrize(
    "seed, surface, value, unit, qualifier",
    [
        ("blog", "1590 EFLOPS", 1590.0, "EFLOPS", "exact"),
        ("blog", "43%", 0.43, "%", "exact"),
        ("paper", "4800TOPS", 4800.0, "TOPS", "at_least"),
        ("paper", "600Gbyte/s", 600.0, "Gbyte/s", "at_least"),
        ("paper", "超过1000家", 1000.0, "家", "more_than"),
        ("paper", "超八成", 0.8, "%", "more_than"),
        ("paper", "438元", 438.0, "CNY", "exact"),
        ("paper", "数百亿美元", 1e10, "USD", "approx"),
    ],
)
def test_numbers_golden_with_real_normalizer(seed: str, surface: str, value: float, unit: str, qualifier: str,
                                             seed_blog: str, seed_paper: str) -> None:
    text = _real_normalize(seed_blog if seed == "blog" else seed_paper)
    found = extract(text)
    a = _find(found, surface)
    assert (a.value, a.unit, a.qualifier) == (value, unit, qualifier)
    assert all(text[x.start:x.end] == x.surface for x in found)
    assert not any(re.search(r"(?<![A-Za-z])(?:H100|A800|Chip4)", x.surface) for x in found)
