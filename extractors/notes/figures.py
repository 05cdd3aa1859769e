"""Figures and tables: each caption with the source line printed beside it and its mentions.

Journal papers put ``数据来源：…`` under a chart and write ``（见图1）`` in the
text; reports print ``Source: …`` under a table.  An auditor wants the list of
figures with where each one's numbers come from, and which have no source at
all.  The caption, source-line and reference finders live in
:mod:`extractors.notes.citations_sources` (the citation pipeline uses them too);
this module joins them into one :class:`~extractors.types.Figure` per caption.
Offsets are 0-based, end-exclusive, into the string passed in.
"""

from __future__ import annotations

from collections import defaultdict

from extractors.notes.citations_sources import find_captions, find_figure_refs, find_source_lines
from extractors.types import Figure

__all__ = ["find_figures"]


def find_figures(text: str) -> list[Figure]:
    """One :class:`Figure` per caption line in ``text``, in text order.

    Pass the document body (captions and their source lines sit on their own
    lines there).  A label printed twice ("表1" and its continuation "表1（续）")
    gives two figures that share the label's mentions.
    """
    sources = {line.caption_start: line for line in find_source_lines(text) if line.label is not None}
    mentions: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for ref in find_figure_refs(text):
        mentions[ref.label].append((ref.start, ref.end))
    figures = []
    for cap in find_captions(text):
        line = sources.get(cap.start)
        figures.append(Figure(
            start=cap.start,
            end=cap.end,
            label=cap.label,
            kind="table" if cap.label.startswith("表") else "figure",
            title=text[cap.title_start:cap.end],
            source=line.source if line else None,
            source_start=line.source_start if line else None,
            source_end=line.source_end if line else None,
            mentions=tuple(mentions[cap.label]),
        ))
    return figures
