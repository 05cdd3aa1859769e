"""Sources named in running text, figure/table source lines, and sentences that point at figures.

A blog post rarely has footnotes; it says ``据新华社报道`` or ``（来源：TMTPOST）``.
A paper puts ``数据来源：…`` under a figure and writes ``如图5所示`` in the
text.  These functions find those spans so the pipeline can cite a sentence
by the source it names, or by the source of the figure it refers to.
Offsets are 0-based, end-exclusive, relative to the string passed in.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from extractors.lexicon import CAPTION_KIND, CAPTION_LINES, CAPTION_NUMBER, DIGIT, SOURCE_LINE, caption_label


@dataclass(frozen=True, slots=True)
class NamedSource:
    """``name`` is ``text[start:end]``; ``cue`` is the phrase that introduced it (``据``, ``according to``)."""

    start: int
    end: int
    name: str
    cue: str
    rule_id: str = "citations.named_source"


@dataclass(frozen=True, slots=True)
class SourceLine:
    """A ``数据来源：…`` line; ``start``/``end`` cover the whole line, ``source_*`` the part after the cue.

    ``label`` is the canonical label (``图1``, ``表2``) of the caption it
    belongs to, or None when no caption is near.
    """

    start: int
    end: int
    source_start: int
    source_end: int
    source: str
    cue: str
    label: str | None = None
    caption_start: int | None = None
    caption_end: int | None = None
    rule_id: str = "citations.source_line"


@dataclass(frozen=True, slots=True)
class FigureRef:
    """A reference to a figure or table in running text (``见图1``, ``如表2所示``, ``see Figure 3``)."""

    start: int
    end: int
    label: str  # canonical: 图1 / 表2 (English Figure/Table map to the same labels)
    rule_id: str = "citations.figure_ref"


# ---------------------------------------------------------------- named sources

_STOP = r"，。；：、,;:！？!?\n“”\"（）()【】《》"
_ZH_NAME = rf"[^{_STOP}]{{1,24}}?"
_ZH_CUES = (
    # （来源：TMTPOST） / (Source: Reuters)
    (re.compile(rf"[（(]\s*(?P<cue>来源|来自|source|via)\s*[:：]\s*(?P<name>[^{_STOP}]{{1,40}}?)\s*[）)]", re.IGNORECASE), "paren"),
    # 根据 Sensor Tower 数据 / 根据国家统计局的统计
    (re.compile(rf"(?P<cue>根据)\s*(?P<name>{_ZH_NAME})\s*(?:的|发布的|公布的)?\s*(?:最新)?(?:数据|统计|报告|报道|调查|测算|研究|估计|统计数据)(?![局院所部处司署厅委会])"), "genzhu"),
    # 据新华社报道 / 据 IDC 统计
    (re.compile(rf"(?<![根依数证占收])(?P<cue>据)\s*(?P<name>{_ZH_NAME})\s*(?:的|发布的)?\s*(?:报道|统计|消息|数据|披露|调查|测算|估计|介绍|分析|公告|预测|援引|称|显示)(?![局院所部处司署厅委会])"), "ju"),
    # Sensor Tower 数据显示 / IDC 报告显示
    (re.compile(r"(?P<name>[A-Z][A-Za-z0-9&.\- ]{1,40}?)\s*(?P<cue>数据显示|报告显示|统计显示|报告指出|数据表明)"), "shows"),
)
_EN_NAME = r"(?:the\s+)?(?P<name>[A-Z][\w&.\-']*(?:\s+(?:of|for|and|on|de|&|[A-Z][\w&.\-']*))*)"
_EN_CUES = (
    (re.compile(rf"(?P<cue>(?i:according to))\s+(?:(?:data|figures|a report|estimates|statistics)\s+(?:from|by)\s+)?{_EN_NAME}"), "according"),
    (re.compile(r"(?P<cue>(?<![\w])(?:Data )?Sources?)\s*:\s*(?P<name>[^\n;()]{2,80}?)\s*(?=$|\n|[;)]|\.\s|\.$)", re.MULTILINE), "source"),
    (re.compile(rf"(?P<cue>(?:data|figures|statistics|estimates) (?:from|by|published by|compiled by))\s+{_EN_NAME}"), "data_from"),
    (re.compile(rf"(?P<cue>(?:reported|published|estimated) by)\s+{_EN_NAME}"), "reported_by"),
)
_TRAILING_SMALL = re.compile(r"(?:\s+(?:of|for|and|on|de|&|the))+$")
_BAD_ZH_NAMES = re.compile(r"^(?:此|这|上述|以上|该|其|相关|有关|不完全|初步|统计|测算|估算|公开|官方|最新|媒体|报道|研究)")


def _trim_name(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a name span past surrounding spaces, a trailing 的, and trailing function words."""
    name = text[start:end]
    name = _TRAILING_SMALL.sub("", name.rstrip(" .,'")).rstrip()
    name = re.sub(r"的$", "", name)
    lead = len(name) - len(name.lstrip())
    return start + lead, start + len(name)


def find_named_sources(text: str) -> list[NamedSource]:
    """Sources named in running text, in text order, one per span.

    Spans inside a captioned source line (:func:`find_source_lines`) are left
    to it, so a ``Source: X`` line under a table is one citation, not two; a
    free-standing ``Source: World Bank`` line is reported by both (same span).
    """
    hits: list[NamedSource] = []
    lines = [(x.start, x.end) for x in find_source_lines(text) if x.label is not None]
    for rx, rule in _ZH_CUES + _EN_CUES:
        for m in rx.finditer(text):
            s, e = _trim_name(text, m.start("name"), m.end("name"))
            name = text[s:e]
            if not name or _BAD_ZH_NAMES.match(name) or (rule == "ju" and len(name) > 12):
                continue
            if any(h.start < e and s < h.end for h in hits) or any(a <= s < b for a, b in lines):
                continue
            hits.append(NamedSource(s, e, name, m.group("cue"), f"citations.named_source.{rule}"))
    return sorted(hits, key=lambda h: h.start)


# ---------------------------------------------------------------- figures, tables, source lines

_RE_FIGURE_REF = re.compile(
    rf"(?:见|如|参见|详见|从)?(?P<kind>{CAPTION_KIND})[ \t]*(?P<num>{CAPTION_NUMBER})(?![{DIGIT}])"
    r"(?:[ \t\u3000]*(?:所示|展示|显示|表明|反映|描述|比较|列出|给出|汇总|可见|中))?",
    re.IGNORECASE,
)
_WINDOW_LINES = 3


@dataclass(frozen=True, slots=True)
class Caption:
    """A caption line: ``text[start:end]`` runs from the label to the end of the line."""

    start: int
    end: int
    label: str  # canonical: 图1 / 表2
    title_start: int  # first character of the title after the label and its separator


# What follows a label in running text rather than in a caption: "Figure 1 shows…", "图1 显示…".
_NOT_A_TITLE = re.compile(r"[a-z]|(?:所示|显示|表明|展示|反映|可见|说明|列出|给出|中的|中可以)")


def find_captions(text: str) -> list[Caption]:
    """Caption lines of figures and tables (``图1　2017—2023年…``, ``Table 2: …``), in text order.

    A label that opens a line of running text ("Figure 1 shows that…") is a
    reference, not a caption, and is left out.
    """
    out = []
    for m in CAPTION_LINES.finditer(text):
        line_end = text.find("\n", m.start())
        line_end = len(text) if line_end == -1 else line_end
        title = m.end()
        while title < line_end and text[title] in " \t\u3000:：.":
            title += 1
        if _NOT_A_TITLE.match(text, title):
            continue
        end = len(text[:line_end].rstrip())
        out.append(Caption(m.start("kind"), end, caption_label(m.group("kind"), m.group("num")), min(title, end)))
    return out


def _captions(text: str) -> list[tuple[int, int, str]]:
    """(line start, line end, label) of caption lines, the shape the source-line matcher uses."""
    return [(c.start, c.end, c.label) for c in find_captions(text)]


def _nonblank_starts(text: str) -> list[int]:
    """Start offsets of non-blank lines: distances between lines ignore blank lines.

    Table rows (cells joined by `` | ``) are skipped too: a table's source line
    sits under all its rows, however many there are.
    """
    starts, pos = [], 0
    for line in text.split("\n"):
        if line.strip() and " | " not in line:
            starts.append(pos)
        pos += len(line) + 1
    return starts


def _line_index(starts: list[int], pos: int) -> int:
    """Index of the non-blank line holding ``pos``."""
    return bisect.bisect_right(starts, pos) - 1


def _nearest_caption(
    starts: list[int], pos: int, captions: list[tuple[int, int, str]], others: list[int]
) -> tuple[int, int, str] | None:
    """The caption within a few non-blank lines and with no other source line in between.

    Ties go to the caption below (the figure style of seed 004: source line, then caption).
    """
    here = _line_index(starts, pos)
    best = None
    for cap in captions:
        dist = _line_index(starts, cap[0]) - here
        lo, hi = sorted((pos, cap[0]))
        if abs(dist) > _WINDOW_LINES or any(lo < o < hi for o in others):
            continue
        rank = (abs(dist), 0 if dist > 0 else 1)
        if best is None or rank < best[0]:
            best = (rank, cap)
    return best[1] if best else None


def find_source_lines(text: str) -> list[SourceLine]:
    """``数据来源：…`` / ``资料来源：`` / ``Source:`` lines, with the caption they belong to if one is near.

    ``注：``/``Note:`` lines under figures explain rather than cite; they are not source lines.
    """
    captions = _captions(text)
    matches = list(SOURCE_LINE.finditer(text))
    others = [m.start() for m in matches]
    starts = _nonblank_starts(text)
    out = []
    for m in matches:
        cap = _nearest_caption(starts, m.start(), captions, others)
        out.append(SourceLine(
            start=m.start("cue"), end=m.end(), source_start=m.start("source"), source_end=m.end("source"),
            source=m.group("source"), cue=m.group("cue"), label=cap[2] if cap else None,
            caption_start=cap[0] if cap else None, caption_end=cap[1] if cap else None,
        ))
    return out


def _inside_word(text: str, pos: int) -> bool:
    """An English label word glued to a preceding letter (``subtable 1``) is not a reference."""
    return pos > 0 and text[pos - 1].isascii() and text[pos - 1].isalnum()


def find_figure_refs(text: str) -> list[FigureRef]:
    """Mentions of figures/tables in running text; caption lines themselves are not references."""
    caption_starts = {s for s, _, _ in _captions(text)}
    out = []
    for m in _RE_FIGURE_REF.finditer(text):
        if m.start("kind") in caption_starts or (m["kind"].isascii() and _inside_word(text, m.start("kind"))):
            continue
        out.append(FigureRef(m.start(), m.end(), caption_label(m["kind"], m["num"])))
    return out


def source_line_label(raw: str, text: str) -> str | None:
    """The caption label of the source line whose text is ``raw``, looked up in ``text`` (the body).

    Pass the document body, not a sentence: the caption sits on its own line.
    """
    for line in find_source_lines(text):
        if text[line.start : line.end] == raw or line.source == raw:
            return line.label
    return None
