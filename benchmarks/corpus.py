"""A synthetic corpus of Chinese and English policy posts for scale benchmarks.

Every document is Markdown with front matter, several paragraphs of
templated sentences (attributed claims, percentages, amounts, years, counts,
named organizations) and footnotes, so it exercises the same extractors as
real posts.  All text is written here; the organizations and people are
invented.  The same ``seed`` always yields the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

EN_ORGS = ["the Harbor Energy Institute", "the Northfield Budget Office", "the Ministry of Transport",
           "the Lakeside Policy Lab", "the National Statistics Bureau", "the Coastal Grid Authority"]
EN_PEOPLE = ["Dana Whitfield", "Omar Reyes", "Priya Natarajan", "Lena Hofmann", "Samuel Okafor"]
EN_METRICS = ["battery storage capacity", "public transit ridership", "grant spending",
              "data-center electricity use", "rural broadband coverage", "wind output"]
EN_PROGRAMS = ["storage grant program", "clean bus initiative", "broadband fund", "grid upgrade plan"]

ZH_ORGS = ["国家统计局", "中国信息通信研究院", "某省发展改革委", "能源研究会", "交通运输部规划研究院"]
ZH_PEOPLE = ["王立新", "陈晓梅", "李国强", "赵明"]
ZH_METRICS = ["算力总规模", "新能源汽车销量", "数据中心用电量", "光伏装机容量", "研发经费投入"]
ZH_PROGRAMS = ["东数西算工程", "新型基础设施专项", "绿色电力试点", "数字乡村计划"]

EN_SENTENCES = [
    "{org} reported that {metric} rose {pct}% to ${amount} million in {year}.{note}",
    "According to {org}, {count} companies applied for the {program} in {year}.",
    "{person} said the {program} would cost about ${amount} billion over {years} years.{note}",
    "The share of {metric} fell from {pct}% in {year0} to {pct2}% in {year}.",
    "More than {count} projects were approved, up {pct}% from the year before.",
    "Officials expect {metric} to double by {year2}, {person} told reporters.",
]
ZH_SENTENCES = [
    "据{org}统计，{year}年{metric}达到{amount}亿元，同比增长{pct}%。{note}",
    "{person}表示，{program}将在未来{years}年投入约{amount}亿元。{note}",
    "{year}年共有{count}家企业申报{program}，较上年增加{pct}%。",
    "{metric}占比从{year0}年的{pct}%下降到{year}年的{pct2}%。",
    "{org}预计，到{year2}年{metric}将翻一番。",
]


@dataclass(frozen=True, slots=True)
class SyntheticDoc:
    name: str
    text: str


def generate_corpus(count: int, *, seed: int = 0) -> Iterator[SyntheticDoc]:
    """``count`` documents, alternating English and Chinese, deterministic for ``seed``."""
    rng = random.Random(seed)
    for index in range(count):
        chinese = index % 2 == 1
        text = _zh_doc(rng, index) if chinese else _en_doc(rng, index)
        yield SyntheticDoc(f"{index:06d}_{'zh' if chinese else 'en'}.md", text)


def write_corpus(folder: Path, count: int, *, seed: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in generate_corpus(count, seed=seed):
        path = folder / doc.name
        path.write_text(doc.text, encoding="utf-8")
        paths.append(path)
    return paths


def _values(rng: random.Random, lang: str) -> dict[str, object]:
    year = rng.randint(2015, 2025)
    pools = {"en": (EN_ORGS, EN_PEOPLE, EN_METRICS, EN_PROGRAMS),
             "zh": (ZH_ORGS, ZH_PEOPLE, ZH_METRICS, ZH_PROGRAMS)}[lang]
    return {
        "org": rng.choice(pools[0]), "person": rng.choice(pools[1]), "metric": rng.choice(pools[2]),
        "program": rng.choice(pools[3]), "pct": round(rng.uniform(1, 80), 1),
        "pct2": round(rng.uniform(1, 80), 1), "amount": round(rng.uniform(1, 900), 1),
        "count": rng.randint(12, 5000), "years": rng.randint(2, 10), "year": year,
        "year0": year - rng.randint(1, 5), "year2": year + rng.randint(2, 10),
    }


def _body(rng: random.Random, lang: str, templates: list[str], notes: list[str]) -> list[str]:
    paragraphs = []
    for _ in range(rng.randint(3, 6)):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            values = _values(rng, lang)
            note = ""
            if "{note}" in (template := rng.choice(templates)) and rng.random() < 0.6:
                notes.append(_note(rng, lang, values))
                note = f"[^{len(notes)}]"
            sentence = template.format(note=note, **values)
            sentences.append(sentence[0].upper() + sentence[1:])
        paragraphs.append((" " if lang == "en" else "").join(sentences))
    return paragraphs


def _note(rng: random.Random, lang: str, values: dict[str, object]) -> str:
    slug = f"r{rng.randint(1000, 9999)}"
    if lang == "en":
        org = str(values["org"]).removeprefix("the ")
        return f"{org[0].upper()}{org[1:]}, *Annual Review {values['year']}*, https://example.org/{slug}."
    return f"{values['org']}：《{values['year']}年度发展报告》，{values['year']}年，https://example.org/{slug}。"


def _en_doc(rng: random.Random, index: int) -> str:
    notes: list[str] = []
    body = _body(rng, "en", EN_SENTENCES, notes)
    title = f"Policy note {index}: {rng.choice(EN_METRICS).capitalize()}"
    return _assemble(title, rng, body, notes, "en")


def _zh_doc(rng: random.Random, index: int) -> str:
    notes: list[str] = []
    body = _body(rng, "zh", ZH_SENTENCES, notes)
    title = f"政策简报第{index}期：{rng.choice(ZH_METRICS)}"
    return _assemble(title, rng, body, notes, "zh")


def _assemble(title: str, rng: random.Random, body: list[str], notes: list[str], lang: str) -> str:
    date = f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    head = f"---\ntitle: \"{title}\"\ndate: {date}\ntags: [{'policy' if lang == 'en' else '政策'}]\n---\n\n"
    footnotes = "".join(f"[^{i}]: {text}\n" for i, text in enumerate(notes, start=1))
    return head + f"# {title}\n\n" + "\n\n".join(body) + "\n\n" + footnotes
