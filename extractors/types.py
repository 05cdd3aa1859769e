"""The data contract between extractors, the store and the reports.

Everything here is a frozen, slotted dataclass of plain values.  Offsets are
0-based, end-exclusive character offsets (spaCy's ``char_span`` convention).
Extractor functions return offsets relative to the text they were given; the
document pipeline (:mod:`extractors.document`) shifts them into
``ExtractedDocument.text`` and fills in ``page``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, get_args

from extractors.textmap import MappedText

CLAIM_KINDS = ("statistical", "comparative", "causal", "quote", "event", "prediction")

#: How a number is hedged or bounded.  ``nearly`` (将近, 近, 接近, 几乎, nearly, almost) says
#: "a little below": a stated 将近30倍 that works out at 31 is wrong, one that works out at 27 is
#: fine.  ``approx`` (约, 大约, 左右, about, around) allows either side.  以上/以下 include the
#: number (``at_least``/``at_most``); ``range`` has ``value``..``value_max``.
Qualifier = Literal["exact", "approx", "nearly", "more_than", "at_least", "less_than", "at_most", "range"]
QUALIFIERS: tuple[Qualifier, ...] = get_args(Qualifier)

#: What a number measures, so no reader has to re-parse ``unit`` spellings or the surface.
#: ``percent``/``permille``/``fraction`` are ratios stored as fractions of one (see
#: :class:`NumericAssertion`); ``points`` are percentage points as written (6 for 六个百分点);
#: ``multiple`` is a multiplier (倍, times, ×; unit ``x``); ``currency`` has an ISO code as unit;
#: ``count`` counts things (家, 个, people); ``duration`` is a span of time (year, day, hour);
#: ``measure`` is any other physical or technical unit (吨, km, EFLOPS, kWh); ``bare`` has no unit.
UnitKind = Literal["percent", "permille", "fraction", "points", "multiple", "currency", "count", "duration",
                   "measure", "bare"]
UNIT_KINDS: tuple[UnitKind, ...] = get_args(UnitKind)
#: Unit kinds whose value is a ratio stored as a fraction of one (43% -> 0.43, 5‰ -> 0.005).
RATIO_KINDS: frozenset[UnitKind] = frozenset({"percent", "permille", "fraction"})

ChangeDirection = Literal["increase", "decrease", "level"]
CHANGE_DIRECTIONS: tuple[ChangeDirection, ...] = get_args(ChangeDirection)

#: How a figure measures its indicator: the level itself, an absolute change, a growth rate, a share of a
#: whole, a multiple of something else, or a rank.  Two figures compare only when they measure the same way.
Measure = Literal["level", "change", "growth_rate", "share", "multiple", "rank"]
MEASURES: tuple[Measure, ...] = get_args(Measure)
#: What the figure is in its document: a reported outcome, a target set (预期目标, 力争, 到2030年达到) or a
#: forecast/estimate.  A target and an outcome never conflict; they pair (view ``target_outcomes``).
Role = Literal["actual", "target", "forecast"]
ROLES: tuple[Role, ...] = get_args(Role)
#: Which way of an indicator is good (居民消费价格 and 失业率: lower), from the indicator table; it decides
#: whether an outcome above a "左右" target exceeded or missed it.
Better = Literal["higher", "lower"]
BETTER: tuple[Better, ...] = get_args(Better)
_ONE_PERIOD = r"\d{4}(?:-(?:0[1-9]|1[0-2]|Q[1-4]))?"
#: A period is ISO-like: a year ``2025``, a month ``2025-03``, a quarter ``2025-Q1``, or ``start/end``
#: (``2021/2025`` for 十四五, ``2025-01/2025-09`` for 前三季度), so equal strings mean the same period.
PERIOD_FORM = re.compile(rf"{_ONE_PERIOD}(?:/{_ONE_PERIOD})?")


def check_vocabulary(owner: str, name: str, value: object, allowed: tuple[object, ...]) -> None:
    """Raise a ValueError naming the field and the allowed values (a typo must not reach the database)."""
    if value not in allowed:
        raise ValueError(f"{owner}.{name} must be one of {', '.join(map(str, allowed))}; got {value!r}")


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True, slots=True)
class NoteBlock:
    """A footnote/endnote body found by layout analysis, before normalization."""

    marker: str  # the marker as printed, e.g. "①", "1", "note"
    body: MappedText  # the body without its marker


@dataclass(frozen=True, slots=True)
class PageLayout:
    """One page after layout analysis: running text separated from furniture and notes.

    ``index`` is the 0-based position of the page in the source (PDF page
    index, or the n-th page found in a text layer).  ``number`` is the printed
    page number where one was detected.
    """

    index: int
    number: int | None
    body: MappedText
    notes: tuple[NoteBlock, ...] = ()
    header: str | None = None
    footer: str | None = None
    captions: tuple[MappedText, ...] = ()
    number_inferred: bool = False  # True when ``number`` was worked out from the sequence, not printed


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink in the body text: ``start``/``end`` cover its anchor text."""

    start: int
    end: int
    url: str
    text: str


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    """What a loader made of a source's bytes: metadata plus laid-out pages.

    ``raw`` is the decoded source text that every ``MappedText.origin`` in
    ``pages`` points into (for PDFs, the concatenated page texts in reading
    order).  Link offsets are into ``pages[page].body`` *before* normalization
    (they are re-mapped by the document pipeline).
    """

    kind: str  # pdf | markdown | html | text
    raw: str
    pages: tuple[PageLayout, ...]
    title: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    author: str | None = None  # byline from the page's metadata (web pages)
    tags: tuple[str, ...] = ()
    language: str | None = None
    links: tuple[tuple[int, Link], ...] = ()  # (page index into pages, link)
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- extracted rows


@dataclass(frozen=True, slots=True)
class Page:
    """Where a page lies in the document text: its body part and its notes part."""

    index: int
    number: int | None
    start: int
    end: int
    notes_start: int
    notes_end: int
    header: str | None = None
    footer: str | None = None
    number_inferred: bool = False


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    page: int | None = None
    checkworthiness: float = 0.0
    cues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote body; ``text[start:end] == body``."""

    marker: str
    start: int
    end: int
    body: str
    page: int | None = None
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """An in-text marker; ``footnote`` indexes ``ExtractedDocument.footnotes`` or is None (dangling)."""

    marker: str
    start: int
    end: int
    footnote: int | None
    page: int | None = None
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class Citation:
    """A parsed source.  ``footnote`` indexes the footnote it came from, if any.

    ``start``/``end`` cover the raw citation string in the document text
    (a footnote body, a reference-list entry, a link's anchor text, or a named
    source mention).
    """

    raw: str
    kind: str
    start: int
    end: int
    authors: tuple[str, ...] = ()
    title: str | None = None
    container: str | None = None
    year: int | None = None
    url: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    date: str | None = None
    flags: tuple[str, ...] = ()
    footnote: int | None = None
    page: int | None = None
    key: str | None = None  # normalized key: same work -> same key across documents
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class NumericAssertion:
    """A quantity a fact-checker could verify, typed so that readers use fields, never the surface.

    Invariants (checked on construction where they can be): ``qualifier`` is a
    :data:`Qualifier`, ``unit_kind`` a :data:`UnitKind` and ``change`` a
    :data:`ChangeDirection` or None.  A value of a ratio kind
    (:data:`RATIO_KINDS`) is a fraction of one: 43% is stored as 0.43, 八成 as
    0.8, 5‰ as 0.005, 三分之一 as 0.333…; never as 43.  Percentage points
    (``points``) keep the number as written.  ``unit`` is canonical (``%``,
    ``‰``, ``pp``, ``x``, ISO currency codes, canonical time and tech units)
    and says the same as ``unit_kind`` in more detail.
    """

    start: int
    end: int
    surface: str
    value: float | None
    unit: str | None = None
    qualifier: Qualifier = "exact"
    value_max: float | None = None  # upper bound for ranges
    subject: str | None = None
    time_scope: str | None = None
    change: ChangeDirection | None = None
    is_delta: bool = False
    per: str | None = None  # denominator of a rate, e.g. "1000000 tokens"
    page: int | None = None
    rule_id: str = ""
    unit_kind: UnitKind = "bare"
    # What, whose, when and as what (extractors.numbers.meaning): the number checks compare on these.
    indicator: str | None = None  # canonical: 国内生产总值, 城镇新增就业 ... (extractors/data/indicators.tsv)
    scope: str | None = None  # whose: 中国, 广东省, a company ...
    period: str | None = None  # PERIOD_FORM; ``time_scope`` keeps the printed words
    measure: Measure | None = None
    role: Role = "actual"
    better: Better | None = None

    def __post_init__(self) -> None:
        check_vocabulary("NumericAssertion", "qualifier", self.qualifier, QUALIFIERS)
        check_vocabulary("NumericAssertion", "role", self.role, ROLES)
        if self.measure is not None:
            check_vocabulary("NumericAssertion", "measure", self.measure, MEASURES)
        if self.better is not None:
            check_vocabulary("NumericAssertion", "better", self.better, BETTER)
        if self.period is not None and not PERIOD_FORM.fullmatch(self.period):
            raise ValueError(f"NumericAssertion {self.surface!r}: period {self.period!r} is not "
                             "YYYY, YYYY-MM, YYYY-Qn or start/end")
        check_vocabulary("NumericAssertion", "unit_kind", self.unit_kind, UNIT_KINDS)
        if self.change is not None:
            check_vocabulary("NumericAssertion", "change", self.change, CHANGE_DIRECTIONS)
        if self.unit_kind == "bare" and self.unit is not None:
            raise ValueError(f"NumericAssertion {self.surface!r}: unit {self.unit!r} with unit_kind 'bare'")


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    text: str
    label: str  # ORG | PERSON | GPE | MODEL | WORK | ...
    page: int | None = None
    rule_id: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    """A check-worthy statement; ``sentence`` indexes ``ExtractedDocument.sentences``."""

    sentence: int
    start: int
    end: int
    text: str
    kind: str
    checkworthiness: float
    cues: tuple[str, ...] = ()
    attribution: str | None = None
    attribution_cue: str | None = None
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure or table as its caption names it, with the data source printed beside it.

    Auditors ask of every chart "where do these numbers come from?": the
    caption line (``图1　2017—2023年…``, ``Table 2: …``) is ``text[start:end]``;
    ``source_start``/``source_end`` cover the source after ``数据来源：`` when
    one belongs to the caption; ``mentions`` are the in-text references
    (``见图1``).  ``citation`` indexes ``ExtractedDocument.citations`` (the
    parsed source line), so claims that cite the figure and the figure share it.
    """

    start: int
    end: int
    label: str  # canonical: 图1 / 表2 (Figure/Table map to the same labels)
    kind: str  # figure | table
    title: str
    source: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    mentions: tuple[tuple[int, int], ...] = ()
    page: int | None = None
    citation: int | None = None
    rule_id: str = "figures.caption"


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    """Everything extracted from one source, ready to store in one transaction."""

    source: str
    sha256: str
    kind: str
    text: str
    body_end: int  # text[:body_end] is the running body; the notes part follows
    raw: str
    offset_runs: tuple[tuple[int, int, int], ...]
    pages: tuple[Page, ...]
    title: str | None = None
    published: str | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    footnote_refs: tuple[FootnoteRef, ...] = ()
    citations: tuple[Citation, ...] = ()
    numbers: tuple[NumericAssertion, ...] = ()
    claims: tuple[Claim, ...] = ()
    entities: tuple[Entity, ...] = ()
    claim_citations: tuple[tuple[int, int], ...] = ()  # (claim index, citation index)
    claim_numbers: tuple[tuple[int, int], ...] = ()  # (claim index, number index)
    claim_entities: tuple[tuple[int, int], ...] = ()  # (claim index, entity index)
    figures: tuple[Figure, ...] = ()
    warnings: tuple[str, ...] = ()
    extractor_version: str = ""
    meta: dict[str, str] = field(default_factory=dict)
