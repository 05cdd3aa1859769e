"""Row mapping, one function per model: an extractor dataclass in, the INSERT values of its table out.

Each function sits under the name of the model it fills (``claims`` ->
:func:`claim`), so a new column is added in two places side by side: the
model in ``db/models.py`` and its mapping here.  Links between rows of the
same document (a claim's sentence, a citation's footnote) are indexes into
the extractor's lists; :class:`Linked` turns them into the database ids that
the store gets back from ``INSERT ... RETURNING``, in order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from extractors.types import (
    Citation,
    Claim,
    Entity,
    ExtractedDocument,
    Figure,
    Footnote,
    FootnoteRef,
    NumericAssertion,
    Page,
    Sentence,
)

Row = dict[str, Any]


def page_label(page: Page) -> int:
    """The printed page number, or the 1-based ordinal when none was printed."""
    return page.number if page.number is not None else page.index + 1


def _json_list(values: Sequence[str]) -> str | None:
    return json.dumps(list(values), ensure_ascii=False) if values else None


def _joined(values: Sequence[str]) -> str | None:
    return "; ".join(values) or None


@dataclass(slots=True)
class Linked:
    """One document's ids so far: rows inserted earlier are linked by the ids they received."""

    document_id: int
    pages: Sequence[Page]
    sentence_ids: list[int] = field(default_factory=list)
    claim_ids: list[int] = field(default_factory=list)
    footnote_ids: list[int] = field(default_factory=list)
    citation_ids: list[int] = field(default_factory=list)
    entity_ids: list[int] = field(default_factory=list)

    def placed(self, page: int | None) -> Row:
        """``document_id``, ``page`` and ``page_index`` of a row on page ``page`` (an index or None)."""
        if page is None or not self.pages:
            return {"document_id": self.document_id, "page": None, "page_index": None}
        found = self.pages[page]
        return {"document_id": self.document_id, "page": page_label(found), "page_index": found.index}


def _id(ids: Sequence[int], index: int | None) -> int | None:
    return ids[index] if index is not None and ids else None


# --------------------------------------------------------------------------- documents


def document(doc: ExtractedDocument, etag: str | None, last_modified: str | None) -> Row:
    return {
        "source": doc.source, "sha256": doc.sha256, "kind": doc.kind, "title": doc.title,
        "language": doc.language, "published": doc.published,
        "tags": json.dumps(list(doc.tags), ensure_ascii=False), "text": doc.text,
        "body_end": doc.body_end, "raw_text": doc.raw, "offset_map": json.dumps(doc.offset_runs),
        "warnings": _json_list(doc.warnings), "extractor_version": doc.extractor_version,
        "etag": etag, "last_modified": last_modified,
    }


# --------------------------------------------------------------------------- pages, sentences, claims


def page(ids: Linked, p: Page) -> Row:
    return {"document_id": ids.document_id, "page_index": p.index, "page": page_label(p),
            "printed": p.number is not None and not p.number_inferred, "start": p.start, "end": p.end,
            "notes_start": p.notes_start, "notes_end": p.notes_end, "header": p.header, "footer": p.footer}


def sentence(ids: Linked, s: Sentence) -> Row:
    return {**ids.placed(s.page), "start": s.start, "end": s.end, "text": s.text,
            "checkworthiness": round(s.checkworthiness, 4), "cues": _json_list(s.cues)}


def claim(ids: Linked, c: Claim) -> Row:
    return {**ids.placed(c.page), "sentence_id": _id(ids.sentence_ids, c.sentence),
            "start": c.start, "end": c.end, "text": c.text, "kind": c.kind,
            "checkworthiness": round(c.checkworthiness, 4), "cues": _json_list(c.cues),
            "attribution": c.attribution, "attribution_cue": c.attribution_cue}


# --------------------------------------------------------------------------- numbers


def assertion(ids: Linked, n: NumericAssertion, claim_index: int | None) -> Row:
    return {**ids.placed(n.page), "claim_id": _id(ids.claim_ids, claim_index),
            "start": n.start, "end": n.end, "surface": n.surface,
            "value": n.value, "value_max": n.value_max, "unit": n.unit, "qualifier": n.qualifier,
            "subject": n.subject, "time_scope": n.time_scope, "change": n.change,
            "is_delta": n.is_delta, "per": n.per, "rule_id": n.rule_id or None, "unit_kind": n.unit_kind,
            "indicator": n.indicator, "scope": n.scope, "period": n.period, "measure": n.measure,
            "role": n.role, "better": n.better}


# --------------------------------------------------------------------------- notes


def footnote(ids: Linked, f: Footnote) -> Row:
    return {**ids.placed(f.page), "marker": f.marker, "start": f.start, "end": f.end, "body": f.body}


def footnote_ref(ids: Linked, r: FootnoteRef) -> Row:
    return {**ids.placed(r.page), "marker": r.marker, "start": r.start, "end": r.end,
            "footnote_id": _id(ids.footnote_ids, r.footnote)}


def citation(ids: Linked, c: Citation) -> Row:
    return {**ids.placed(c.page), "footnote_id": _id(ids.footnote_ids, c.footnote),
            "start": c.start, "end": c.end, "raw": c.raw, "authors": _joined(c.authors),
            "title": c.title, "container": c.container, "year": c.year, "url": c.url,
            "kind": c.kind, "volume": c.volume, "issue": c.issue, "pages": c.pages,
            "date": c.date, "flags": _joined(c.flags), "key": c.key}


def figure(ids: Linked, f: Figure) -> Row:
    return {**ids.placed(f.page), "label": f.label, "kind": f.kind, "title": f.title,
            "start": f.start, "end": f.end, "source": f.source, "source_start": f.source_start,
            "source_end": f.source_end, "citation_id": _id(ids.citation_ids, f.citation),
            "mentions": len(f.mentions)}


# --------------------------------------------------------------------------- entities and links


def entity(ids: Linked, e: Entity, sentence_index: int | None) -> Row:
    return {**ids.placed(e.page), "sentence_id": _id(ids.sentence_ids, sentence_index),
            "start": e.start, "end": e.end, "text": e.text, "label": e.label}


def claim_citation(ids: Linked, claim_index: int, citation_index: int) -> Row:
    return {"claim_id": ids.claim_ids[claim_index], "citation_id": ids.citation_ids[citation_index]}


def claim_entity(ids: Linked, claim_index: int, entity_index: int) -> Row:
    return {"claim_id": ids.claim_ids[claim_index], "entity_id": ids.entity_ids[entity_index]}
