"""Stored records as the reports read them: plain, frozen dataclasses.

They live in ``extractors`` beside the extraction dataclasses so that both
``db`` (which fills them from SQL in :mod:`db.queries`) and ``reports``
(which renders them) depend only on ``extractors`` types, never on each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.types import (
    MEASURES,
    QUALIFIERS,
    ROLES,
    RATIO_KINDS,
    UNIT_KINDS,
    Better,
    ChangeDirection,
    Measure,
    Qualifier,
    Role,
    UnitKind,
    check_vocabulary,
)


@dataclass(frozen=True, slots=True)
class PageRow:
    document_id: int
    page_index: int
    page: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class DocumentRow:
    id: int
    source: str
    kind: str
    title: str | None
    language: str | None
    published: str | None
    text: str
    body_end: int
    pages: tuple[PageRow, ...] = ()
    is_reference: bool = False  # ingested with --reference: other documents' figures are checked against it
    # The source as read and the map back to it (``documents.raw_text`` / ``offset_map`` runs
    # ``(clean_start, raw_start, length)``): the report's links to the original file line or web
    # passage need them.  Empty for PDFs, whose links address pages (db.queries._documents).
    raw_text: str = ""
    offset_runs: tuple[tuple[int, int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class AssertionRow:
    """A stored :class:`extractors.types.NumericAssertion`; the checks read its typed fields only.

    ``unit_kind`` is None only for a row some other writer stored without one
    (migration 0004 classified every row stored before it).  Ratios
    (``unit_kind`` in :data:`extractors.types.RATIO_KINDS`) hold fractions of one.
    """

    id: int
    document_id: int
    claim_id: int | None
    page: int | None
    start: int
    end: int
    surface: str
    value: float | None
    value_max: float | None
    unit: str | None
    qualifier: Qualifier
    subject: str | None
    time_scope: str | None
    change: ChangeDirection | None
    is_delta: bool
    per: str | None
    rule_id: str | None = None
    unit_kind: UnitKind | None = None
    indicator: str | None = None
    scope: str | None = None
    period: str | None = None
    measure: Measure | None = None
    role: Role | None = None  # None only for rows stored before migration 0005 (re-extract to fill)
    better: Better | None = None

    def __post_init__(self) -> None:
        check_vocabulary("AssertionRow", "qualifier", self.qualifier, QUALIFIERS)
        if self.role is not None:
            check_vocabulary("AssertionRow", "role", self.role, ROLES)
        if self.measure is not None:
            check_vocabulary("AssertionRow", "measure", self.measure, MEASURES)
        if self.unit_kind is not None:
            check_vocabulary("AssertionRow", "unit_kind", self.unit_kind, UNIT_KINDS)

    @property
    def is_ratio(self) -> bool:
        """A percent, per-mille or fraction: ``value`` is a fraction of one (43% is 0.43)."""
        return self.unit_kind in RATIO_KINDS

    @property
    def is_multiple(self) -> bool:
        """A multiplier (倍, times, ×, 翻番)."""
        return self.unit_kind == "multiple"


@dataclass(frozen=True, slots=True)
class CitationRow:
    id: int
    document_id: int
    footnote_id: int | None
    page: int | None
    start: int
    end: int
    raw: str
    kind: str
    authors: str | None = None
    title: str | None = None
    container: str | None = None
    year: int | None = None
    url: str | None = None
    date: str | None = None
    flags: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimRow:
    id: int
    document_id: int
    page: int | None
    start: int
    end: int
    text: str
    kind: str
    checkworthiness: float
    cues: tuple[str, ...] = ()
    attribution: str | None = None
    attribution_cue: str | None = None
    citation_ids: tuple[int, ...] = ()
    assertion_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class FootnoteRow:
    id: int
    document_id: int
    page: int | None
    marker: str
    start: int
    end: int
    body: str


@dataclass(frozen=True, slots=True)
class FootnoteRefRow:
    id: int
    document_id: int
    page: int | None
    marker: str
    start: int
    end: int
    footnote_id: int | None


@dataclass(frozen=True, slots=True)
class FigureRow:
    id: int
    document_id: int
    page: int | None
    label: str
    kind: str
    title: str
    start: int
    end: int
    source: str | None = None
    citation_id: int | None = None
    mentions: int = 0


@dataclass(frozen=True, slots=True)
class SpanRow:
    """One quoted span of a finding: ``text == documents.text[start:end]``."""

    document_id: int
    page: int | None
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class FindingRow:
    id: int
    document_id: int | None
    check: str
    severity: str
    message: str
    spans: tuple[SpanRow, ...] = ()
    claim_id: int | None = None
    footnote_id: int | None = None
    footnote_ref_id: int | None = None
    assertion_id: int | None = None
    citation_id: int | None = None


@dataclass(frozen=True, slots=True)
class TargetOutcomeRow:
    """A row of the ``target_outcomes`` view: a target for a period and the outcome stated for it.

    ``document_id`` is the outcome's document (where the finding is listed);
    the verdict (met | missed | exceeded) is the view's, so SQL users and the
    report agree.
    """

    document_id: int
    target_assertion_id: int
    target_document_id: int
    outcome_assertion_id: int
    indicator: str
    scope: str | None
    period: str
    verdict: str


@dataclass(frozen=True, slots=True)
class Corpus:
    """Everything the checks and the report read, ordered by document then offset."""

    documents: tuple[DocumentRow, ...] = ()
    claims: tuple[ClaimRow, ...] = ()
    assertions: tuple[AssertionRow, ...] = ()
    footnotes: tuple[FootnoteRow, ...] = ()
    footnote_refs: tuple[FootnoteRefRow, ...] = ()
    citations: tuple[CitationRow, ...] = ()
    figures: tuple[FigureRow, ...] = ()
    target_outcomes: tuple[TargetOutcomeRow, ...] = ()
