"""Compose the extractors into one :class:`ExtractedDocument`.

Order matters and is the whole point of this module:

1. normalize each page's body and notes (offsets stay mapped to the raw text);
2. join page bodies into the *body part* and append footnote bodies page by
   page as the *notes part*, so ``text[:body_end]`` is running text and every
   footnote body is still a slice of ``text``;
3. run sentence, marker, number and entity extraction over the body part only;
4. link markers to bodies, parse citations, judge claims and link them to the
   numbers, entities and citations inside them.

Everything is pure: bytes or a :class:`LoadedDocument` in, dataclasses out.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from extractors.notes import citations as cit
from extractors.notes import footnotes as fn
from extractors.numbers import assertions as num
from extractors.numbers.meaning import better_direction, describe_figures
from extractors.claims.context import scenario_flags, sentence_tenses
from extractors.claims.model import scorer_for
from extractors.claims.rules import Judgement, judge_sentence
from extractors.claims.entities import load_backend
from extractors.notes.figures import find_figures
from extractors.text.normalize import join_separator, normalize
from extractors.text.sentences import detect_language, split_sentences
from extractors.text.title import clean_title
from extractors.load.sources import load_source
from extractors.textmap import MappedText, TextBuilder
from extractors.types import (
    Citation,
    Claim,
    Entity,
    ExtractedDocument,
    Figure,
    Footnote,
    FootnoteRef,
    LoadedDocument,
    NumericAssertion,
    Page,
    Sentence,
)

EXTRACTOR_VERSION = "0.1.0"
NOTES_SEPARATOR = "\n\n"


def extract_document(data: bytes, *, source: str, ner: str = "rules",
                     password: str | None = None, version: str = EXTRACTOR_VERSION,
                     learned: bool = True) -> ExtractedDocument:
    """Load, normalize and extract one source given as bytes.

    ``learned=False`` judges claims by the rules alone (training reads the
    rules' features, and must not need the model it is about to replace).
    """
    loaded = load_source(data, name=source, password=password)
    return build_document(loaded, source=source, sha256=hashlib.sha256(data).hexdigest(),
                          ner=ner, version=version, learned=learned)


@dataclass(frozen=True, slots=True)
class _Assembled:
    text: MappedText
    body_end: int
    pages: tuple[Page, ...]
    footnotes: tuple[Footnote, ...]
    section_entries: tuple[int, ...]  # indexes of footnotes that came from a numbered reference list
    sources: tuple[Footnote, ...]  # un-numbered reference-list entries: document-level sources, not footnotes
    warnings: tuple[str, ...]


def build_document(loaded: LoadedDocument, *, source: str, sha256: str, ner: str = "rules",
                   version: str = EXTRACTOR_VERSION, learned: bool = True) -> ExtractedDocument:
    assembled = _assemble(loaded)
    text = assembled.text.text
    body = text[: assembled.body_end]
    page_of = _page_locator(assembled.pages)
    language = loaded.language or detect_language(body)

    sentences = [
        Sentence(s, e, text[s:e], page_of(s))
        for s, e in split_sentences(body, language=language)
    ]
    title = _title(loaded, body)
    numbers = _described(body, num.extract(body), page_of, title=title, published=loaded.published,
                         language=language)
    entities = sorted((replace(e, page=page_of(e.start)) for e in load_backend(ner)(body)),
                      key=lambda e: e.start)
    cites = _collect_citations(loaded, assembled, page_of)
    refs = _link_refs(body, assembled, page_of, _linked_spans(cites.items))
    judged = judge_sentences(body, sentences, numbers, entities, refs, language, learned=learned)
    sentences = [replace(s, checkworthiness=j.score, cues=tuple(j.cues)) for s, j in zip(sentences, judged)]
    figures = _figures(body, cites.items, page_of)
    found = _claims(text, sentences, judged, numbers, entities, refs, cites, figures)

    return ExtractedDocument(
        source=source, sha256=sha256, kind=loaded.kind, text=text, body_end=assembled.body_end,
        raw=loaded.raw, offset_runs=tuple(assembled.text.runs()), pages=assembled.pages,
        title=title, published=loaded.published, language=language, tags=loaded.tags,
        sentences=tuple(sentences), footnotes=assembled.footnotes, footnote_refs=tuple(refs),
        citations=tuple(cites.items), numbers=tuple(numbers), claims=tuple(found.claims),
        entities=tuple(entities), claim_citations=tuple(found.citations),
        claim_numbers=tuple(found.numbers), claim_entities=tuple(found.entities), figures=figures,
        warnings=tuple(loaded.warnings) + assembled.warnings, extractor_version=version,
    )


def _described(body: str, found: Sequence[NumericAssertion], page_of: Callable[[int], int | None], *,
               title: str | None, published: str | None, language: str) -> list[NumericAssertion]:
    """The numbers in offset order, each with its page and its meaning (indicator, scope, period ...)."""
    numbers = sorted(found, key=lambda n: n.start)
    meanings = describe_figures(body, numbers, title=title, published=published, language=language)
    return [replace(n, page=page_of(n.start), indicator=m.indicator, scope=m.scope, period=m.period,
                    measure=m.measure, role=m.role, better=better_direction(m.indicator))
            for n, m in zip(numbers, meanings)]


@dataclass(slots=True)
class _Citations:
    items: list[Citation]
    of_footnote: dict[int, int]  # footnote index -> citation index


def _collect_citations(loaded: LoadedDocument, assembled: _Assembled, page_of) -> _Citations:  # type: ignore[no-untyped-def]
    """Every source the document names: footnotes, source lists, links, named sources, figure sources."""
    text = assembled.text.text
    body = text[: assembled.body_end]
    citations, of_footnote = _footnote_citations(assembled)
    citations += [_citation(cit.parse_citation(src.body), src.body, src.start, src.end, page=src.page,
                            rule_id="citations.reference_list") for src in assembled.sources]
    citations += _attach_note_links(_link_citations(loaded, assembled.text, page_of), assembled, citations)
    citations += _named_source_citations(body, page_of)
    citations += _source_line_citations(body, page_of)
    citations = [replace(c, key=c.key or cit.citation_key(c)) for c in citations]
    return _Citations(citations, of_footnote)


@dataclass(slots=True)
class _Found:
    claims: list[Claim] = field(default_factory=list)
    numbers: list[tuple[int, int]] = field(default_factory=list)  # (claim, number)
    entities: list[tuple[int, int]] = field(default_factory=list)  # (claim, entity)
    citations: list[tuple[int, int]] = field(default_factory=list)  # (claim, citation)


def _claims(text: str, sentences: Sequence[Sentence], judged, numbers: Sequence[NumericAssertion],  # type: ignore[no-untyped-def]
            entities: Sequence[Entity], refs: Sequence[FootnoteRef], cites: _Citations,
            figures: Sequence[Figure]) -> _Found:
    """Claims from the judged sentences, linked to the numbers, entities and sources inside them."""
    found = _Found()
    for si, (sentence, judgement) in enumerate(zip(sentences, judged)):
        if not judgement.is_claim:
            continue
        sources = _citations_for(sentence, refs, cites.items, cites.of_footnote, figures)
        for start, end in _claim_spans(sentence, judgement.clauses):
            ci = len(found.claims)
            found.claims.append(Claim(si, start, end, text[start:end], judgement.kind, judgement.score,
                                      tuple(judgement.cues), judgement.attribution,
                                      judgement.attribution_cue, sentence.page))
            span = Sentence(start, end, text[start:end], sentence.page)
            found.numbers += [(ci, k) for k in _inside(numbers, span)]
            found.entities += [(ci, k) for k in _inside(entities, span)]
            found.citations += [(ci, k) for k in sources]  # a marker at the end backs every clause
    return found


# --------------------------------------------------------------------------- assembly


def _title(loaded: LoadedDocument, body: str) -> str | None:
    """The loader's title, normalized; for bare text, a short first block that reads like a title."""
    if loaded.title:
        title = normalize(MappedText.from_raw(loaded.title)).text.text.strip()
        return (clean_title(title) if loaded.kind == "text" else title) or None
    if loaded.kind != "text":
        return None
    first = clean_title(body.split("\n\n", 1)[0].strip())
    if 4 <= len(first) <= 100 and not re.search(r"[。！？.!?]$", first):
        return first
    return None



def _assemble(loaded: LoadedDocument) -> _Assembled:
    warnings: list[str] = []
    bodies: list[MappedText] = []
    notes: list[list[tuple[str, MappedText]]] = []
    raw_bodies, raw_section, section_warnings = _cut_raw_reference_section([p.body for p in loaded.pages])
    warnings += section_warnings
    for page, raw_body in zip(loaded.pages, raw_bodies):
        normalized = normalize(raw_body)
        warnings += normalized.warnings
        bodies.append(normalized.text.strip())
        page_notes = []
        for note in page.notes:
            n = normalize(note.body)
            warnings += n.warnings
            page_notes.append((note.marker, _one_line(n.text.strip())))
        notes.append(page_notes)

    builder = TextBuilder()
    spans: list[tuple[int, int]] = []
    for i, body in enumerate(bodies):
        if i and len(builder) and body.text:
            join = join_separator(builder.build().text[-80:], body.text[:80])
            if join.drop_last:
                builder = _drop_last(builder, join.drop_last)
            builder.append_inserted(join.separator)
        spans.append(builder.append(body))
    body_text = builder.build()
    section = raw_section
    if section is None:  # a list spread over pages: found in the joined body
        body_text, section = _cut_reference_section(body_text)
    body_end = len(body_text)
    spans = [(min(s, body_end), min(e, body_end)) for s, e in spans]

    builder = TextBuilder()
    builder.append(body_text)
    footnotes: list[Footnote] = []
    note_spans: list[tuple[int, int]] = []
    section_entries: list[int] = []
    for i, page_notes in enumerate(notes):
        start = len(builder)
        for marker, body in page_notes:
            if body.text:
                footnotes.append(_append_note(builder, marker, body, i))
        note_spans.append((start, len(builder)))
    sources: list[Footnote] = []
    if section is not None:
        last = len(bodies) - 1
        for marker, entry in section:
            if marker is None:  # "来源"/"Sources" lists: nothing in the text points at them
                sources.append(_append_note(builder, "-", entry, last))
                continue
            section_entries.append(len(footnotes))
            footnotes.append(_append_note(builder, marker, entry, last))
    pages = tuple(
        Page(p.index, p.number, s, e, ns, ne, p.header, p.footer, p.number_inferred)
        for p, (s, e), (ns, ne) in zip(loaded.pages, spans, note_spans)
    )
    return _Assembled(builder.build(), body_end, pages, tuple(footnotes), tuple(section_entries),
                      tuple(sources), tuple(warnings))


def _one_line(mt: MappedText) -> MappedText:
    """Footnote bodies are stored one per line: inner line breaks become spaces."""
    if "\n" not in mt.text:
        return mt
    return MappedText(mt.text.replace("\n\n", "  ").replace("\n", " "), mt.origin)


def _append_note(builder: TextBuilder, marker: str, body: MappedText, page: int) -> Footnote:
    builder.append_inserted(NOTES_SEPARATOR if builder.last_char() != "\n" else "\n")
    builder.append_inserted(f"{marker} ")
    start, end = builder.append(body)
    return Footnote(marker, start, end, body.text, page, "layout.note")


def _drop_last(builder: TextBuilder, n: int) -> TextBuilder:
    text = builder.build()[: max(0, len(builder) - n)]
    fresh = TextBuilder()
    fresh.append(text)
    return fresh


def _cut_raw_reference_section(
    bodies: list[MappedText],
) -> tuple[list[MappedText], list[tuple[str | None, MappedText]] | None, list[str]]:
    """Move a trailing reference list or notes section out of the page bodies *before* normalizing.

    Line breaks still separate its entries there: normalizing first joins an
    entry that ends with a URL to the next one and glossary notes to each
    other.  Each entry is normalized on its own.  A section closing the
    document may run over several pages (searched in the page bodies joined
    by line breaks); otherwise it must sit on the last page.  Returns the page
    bodies, the ``(marker, entry)`` pairs or None, and the normalizer's warnings.
    """
    if not bodies:
        return bodies, None, []
    joined = MappedText.join("\n", bodies)
    section = fn.find_reference_section(joined.text)
    starts = list(itertools.accumulate((len(b.text) + 1 for b in bodies[:-1]), initial=0))
    if section is None or joined.text[section.end:].strip():
        joined, section = bodies[-1], fn.find_reference_section(bodies[-1].text)
        starts = [0] * len(bodies)
    if section is None:
        return bodies, None, []
    first = bisect.bisect_right(starts, section.start) - 1  # the page the section starts on
    before, after = joined[starts[first] : section.start].strip(), joined[section.end :].strip()
    kept = MappedText.join("\n\n", [p for p in (before, after) if p.text])
    entries: list[tuple[str | None, MappedText]] = []
    warnings: list[str] = []
    for e in section.entries:
        normalized = normalize(joined[e.start:e.end])
        warnings += normalized.warnings
        entries.append((e.marker, _one_line(normalized.text.strip())))
    emptied = [MappedText.empty()] * (len(bodies) - first - 1)
    return [*bodies[:first], kept, *emptied], [e for e in entries if e[1].text], warnings


def _cut_reference_section(body: MappedText) -> tuple[MappedText, list[tuple[str | None, MappedText]] | None]:
    """Move a trailing reference list (参考文献, 来源, References...) out of the body.

    Numbered entries become endnotes that ``[1]`` markers link to; un-numbered
    ones (marker None) are the document's general sources.
    """
    section = fn.find_reference_section(body.text)
    if section is None:
        return body, None
    entries = [(e.marker, _one_line(body[e.start:e.end].strip())) for e in section.entries]
    kept = MappedText.join("", [body[: section.start].strip(), body[section.end:]])
    return kept.strip(), [e for e in entries if e[1].text]


def _page_locator(pages: Sequence[Page]):  # type: ignore[no-untyped-def]
    starts = [p.start for p in pages]

    def page_of(offset: int) -> int | None:
        if not pages:
            return None
        return max(0, bisect.bisect_right(starts, offset) - 1)

    return page_of


# --------------------------------------------------------------------------- footnotes & citations


def _linked_spans(citations: Sequence[Citation]) -> list[tuple[int, int]]:
    """Anchors of links to other pages: a marker written as one ([[1](https://arxiv.org/…)]) cites its URL."""
    return sorted((c.start, c.end) for c in citations
                  if c.kind == "link" and c.url and not c.url.startswith("#"))


def _link_refs(body: str, assembled: _Assembled, page_of,  # type: ignore[no-untyped-def]
               linked: Sequence[tuple[int, int]] = ()) -> list[FootnoteRef]:
    """Pair each in-text marker with its body: per page when numbering restarts, else per document.

    A marker that is itself a link to a source (Transformer models [[1](https://arxiv.org/abs/…)]) has
    no body to find: the link is its citation, so it is not a footnote reference.
    """
    starts = [s for s, _ in linked]
    hits = [h for h in fn.find_markers(body) if not _inside_link(h.start, h.end, linked, starts)]
    section = set(assembled.section_entries)
    page_notes = [(n.marker, n.page) for i, n in enumerate(assembled.footnotes) if i not in section]
    per_page = fn.numbering_restarts_per_page(page_notes)
    notes = [(n.marker, n.page if per_page and i not in section else 0)
             for i, n in enumerate(assembled.footnotes)]
    refs = [(h.marker, page_of(h.start) if per_page else 0) for h in hits]
    links = fn.link_markers(refs, notes, per_page=per_page) if notes else [None] * len(hits)
    return [FootnoteRef(h.marker, h.start, h.end, link, page_of(h.start), f"footnotes.{h.style}")
            for h, link in zip(hits, links)]


def _inside_link(start: int, end: int, linked: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    """Does [start, end) overlap a link anchor? (``linked`` sorted, ``starts`` its starts.)"""
    k = bisect.bisect_right(starts, end - 1)
    return any(s < end and start < e for s, e in linked[max(0, k - 3):k])


def _footnote_citations(assembled: _Assembled) -> tuple[list[Citation], dict[int, int]]:
    out: list[Citation] = []
    of_footnote: dict[int, int] = {}
    for i, note in enumerate(assembled.footnotes):
        parsed = cit.parse_citation(note.body)
        of_footnote[i] = len(out)
        out.append(_citation(parsed, note.body, note.start, note.end, footnote=i, page=note.page,
                             rule_id="citations.footnote"))
    return out, of_footnote


def _citation(parsed, raw: str, start: int, end: int, **extra) -> Citation:  # type: ignore[no-untyped-def]
    return Citation(
        raw=raw, kind=parsed.kind, start=start, end=end, authors=tuple(parsed.authors),
        title=parsed.title, container=parsed.container, year=parsed.year, url=parsed.url,
        volume=parsed.volume, issue=parsed.issue, pages=parsed.pages, date=parsed.date,
        flags=tuple(parsed.flags), **extra,
    )


def _link_citations(loaded: LoadedDocument, text: MappedText, page_of) -> list[Citation]:  # type: ignore[no-untyped-def]
    out = []
    index: dict[int, int] = {}
    for i, raw in enumerate(text.origin):
        index.setdefault(raw, i)
    for page_index, link in loaded.links:
        if page_index >= len(loaded.pages):
            continue
        body = loaded.pages[page_index].body
        if link.end > len(body.origin) or link.start >= link.end:
            continue
        raw_start, raw_end = body.raw_span(link.start, link.end)
        span = _locate_raw(text, raw_start, raw_end, index)
        if span is None:
            continue
        s, e = span
        out.append(Citation(raw=text.text[s:e], kind="link", start=s, end=e, url=link.url,
                            title=link.text or None, page=page_of(s), rule_id="citations.link"))
    return out


def _attach_note_links(links: list[Citation], assembled: _Assembled,
                       citations: list[Citation]) -> list[Citation]:
    """A link inside a note (a 来源 list entry) is that note's URL, not a citation of its own."""
    body_links = []
    for link in links:
        if link.start < assembled.body_end:
            body_links.append(link)
            continue
        for k, c in enumerate(citations):
            if c.rule_id in ("citations.footnote", "citations.reference_list") and c.start <= link.start < c.end:
                if c.url is None:
                    kind = "web" if c.kind in ("other", "note", "link") else c.kind
                    citations[k] = replace(c, url=link.url, kind=kind)
                break
    return body_links


def _locate_raw(text: MappedText, raw_start: int, raw_end: int,
                index: dict[int, int] | None = None) -> tuple[int, int] | None:
    """The normalized span whose characters came from raw ``[raw_start, raw_end)``.

    The notes part moves text out of raw order, so origins are not monotonic:
    look characters up by raw offset instead of bisecting.
    """
    if index is None:
        index = {}
        for i, raw in enumerate(text.origin):
            index.setdefault(raw, i)
    hits = [index[r] for r in range(raw_start, raw_end) if r in index]
    if not hits:
        return None
    return (min(hits), max(hits) + 1)


def _named_source_citations(body: str, page_of) -> list[Citation]:  # type: ignore[no-untyped-def]
    return [
        Citation(raw=body[h.start:h.end], kind="named_source", start=h.start, end=h.end,
                 title=h.name, page=page_of(h.start), rule_id="citations.named_source")
        for h in cit.find_named_sources(body)
    ]


def _source_line_citations(body: str, page_of) -> list[Citation]:  # type: ignore[no-untyped-def]
    """``数据来源：…`` lines as citations (:func:`_figures` ties each to its caption)."""
    out: list[Citation] = []
    for line in cit.find_source_lines(body):
        raw = body[line.start:line.end]
        c = _citation(cit.parse_citation(line.source or raw), raw, line.start, line.end,
                      page=page_of(line.start), rule_id="citations.source_line")
        if c.kind == "note":  # a 数据来源 line names a source even when it reads like prose
            c = replace(c, kind="other", title=c.title or line.source)
        out.append(c)
    return out


def _citations_for(sentence: Sentence, refs: Sequence[FootnoteRef], citations: Sequence[Citation],
                   of_footnote: dict[int, int], figures: Sequence[Figure]) -> list[int]:
    """Citations backing a sentence: its footnotes, its links, its named sources, its figure sources."""
    found: list[int] = []
    for ref in refs:
        if sentence.start <= ref.start < sentence.end and ref.footnote is not None:
            k = of_footnote.get(ref.footnote)
            if k is not None and citations[k].kind != "note":
                found.append(k)
    for k, c in enumerate(citations):
        if c.footnote is None and c.rule_id in ("citations.link", "citations.named_source") \
                and sentence.start <= c.start < sentence.end:
            found.append(k)
    found += _figure_sources(sentence, figures)
    return sorted(set(found))


def _figure_sources(sentence: Sentence, figures: Sequence[Figure]) -> list[int]:
    """A sentence that points at a figure/table ("如图5所示") is backed by that figure's source line."""
    return [f.citation for f in figures if f.citation is not None
            and any(sentence.start <= s < sentence.end for s, _ in f.mentions)]


def _figures(body: str, citations: Sequence[Citation], page_of) -> tuple[Figure, ...]:  # type: ignore[no-untyped-def]
    """Figures and tables with their page and the citation parsed from their source line."""
    lines = [(c.start, c.end, k) for k, c in enumerate(citations) if c.rule_id == "citations.source_line"]
    out = []
    for f in find_figures(body):
        citation = next((k for s, e, k in lines if f.source_start is not None and s <= f.source_start < e), None)
        out.append(replace(f, page=page_of(f.start), citation=citation))
    return tuple(out)


# --------------------------------------------------------------------------- claims


def _claim_spans(sentence: Sentence, clauses: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The whole sentence, or only its check-worthy clauses when it joins several ("…；…").

    Clause spans are trimmed of white space so ``text[start:end]`` stays tight.
    """
    if not clauses:
        return [(sentence.start, sentence.end)]
    out = []
    for s, e in clauses:
        part = sentence.text[s:e]
        lead = len(part) - len(part.lstrip())
        trail = len(part.rstrip())
        if trail > lead:
            out.append((sentence.start + s + lead, sentence.start + s + trail))
    return out or [(sentence.start, sentence.end)]


def _inside(items: Sequence[NumericAssertion] | Sequence[Entity], sentence: Sentence) -> list[int]:
    """Indexes of the items lying within the sentence; items are sorted by start (bisect, not a scan)."""
    lo = bisect.bisect_left(items, sentence.start, key=lambda x: x.start)
    hi = bisect.bisect_left(items, sentence.end, lo=lo, key=lambda x: x.start)
    return [k for k in range(lo, hi) if items[k].end <= sentence.end]


def judge_sentences(body: str, sentences: Sequence[Sentence], numbers: Sequence[NumericAssertion],
                    entities: Sequence[Entity], refs: Sequence[FootnoteRef], language: str, *,
                    learned: bool = True) -> list[Judgement]:
    """Each sentence's check-worthiness judgement, with its numbers, entities, markers and section.

    With ``learned`` (the default run), the shipped model of the sentence's
    language scores it over the rules' cues (:mod:`extractors.claims.model`);
    without, or for a language without a model, the rules' own score stands.
    Training reads ``learned=False`` judgements: the model's features are the rules'.
    """
    tenses = sentence_tenses(body, [s.start for s in sentences])
    scenarios = scenario_flags(body, [(s.start, s.end) for s in sentences])
    out = []
    for s, tense, scenario in zip(sentences, tenses, scenarios):
        local_numbers = [replace(numbers[k], start=numbers[k].start - s.start, end=numbers[k].end - s.start)
                         for k in _inside(numbers, s)]
        local_entities = [replace(entities[k], start=entities[k].start - s.start, end=entities[k].end - s.start)
                          for k in _inside(entities, s)]
        has_marker = any(s.start <= r.start < s.end for r in refs)
        out.append(judge_sentence(s.text, language=language, numbers=local_numbers,
                                  entities=local_entities, has_citation_marker=has_marker, section=tense, scenario=scenario,
                                  scorer=scorer_for(s.text) if learned else None))
    return out


def rule_judgements(document: ExtractedDocument) -> list[Judgement]:
    """The rules' judgements of an extracted document's sentences (the features a scorer is trained on)."""
    body = document.text[: document.body_end]
    return judge_sentences(body, document.sentences, document.numbers, document.entities,
                           document.footnote_refs, document.language or "zh", learned=False)
