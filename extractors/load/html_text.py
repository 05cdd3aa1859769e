"""An HTML page's main text, as mapped plain text with its links.

Two jobs, two tools:

* **What is the main text** (the article, not the navigation, sidebars,
  related links, cookie notices or comments) is decided by trafilatura, the
  reference main-content extractor for Python.  It is given the HTML string
  only, so it never fetches anything.
* **Where each character came from** is kept by our own pass with the
  standard library's :class:`html.parser.HTMLParser`, which reports the source
  position of every event (``getpos()``); trafilatura's lxml tree does not.
  Entities are decoded and mapped to the start of their raw ``&…;``.

The two meet by text alignment: trafilatura's main-content blocks are found,
in order, in the visible characters of our pass, and only those characters
(with the block structure and links of our pass) make the body.  Every body
character therefore still maps back into the raw HTML.

Trafilatura discards link-dense lists as boilerplate, and a post's reference
list ("Sources", "References", "参考文献"…) is one.  For a citation audit that
list is the point, so a reference section that sits in the same container as
the main text is kept.  When trafilatura finds nothing (tiny or odd pages),
the page falls back to our own rule: ``<article>``/``<main>`` when present,
else the whole page, minus navigation, headers, footers and asides.

Only text ever comes out: scripts, styles, forms, comments and hidden
elements are dropped, and link URLs with a scheme other than http(s),
mailto or ftp (``javascript:``, ``data:``) are discarded.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from extractors.lexicon import NOTES_HEADINGS, REFERENCE_HEADINGS
from extractors.load.markup import BlockAssembler, guess_language
from extractors.textmap import MappedText
from extractors.types import LoadedDocument, Link, PageLayout

if TYPE_CHECKING:  # trafilatura's tree type, for hints only; lxml loads with trafilatura
    from lxml import etree

logger = logging.getLogger(__name__)

# Never text: code, forms and embedded objects (dropped whatever the main-content choice).
HARD_DROPPED = frozenset({
    "script", "style", "form", "noscript", "template", "svg", "math", "iframe", "object",
    "embed", "button", "select", "textarea", "dialog",
})
# Page furniture: left out by the fallback rule; trafilatura decides otherwise.
SOFT_DROPPED = frozenset({"nav", "header", "footer", "aside"})
# Never main text even when trafilatura's whole-page fallbacks (short pages) bring them in.
# <header> is not among them: in many posts it holds the headline and byline.
FURNITURE = frozenset({"nav", "footer", "aside"})
DROPPED = HARD_DROPPED | SOFT_DROPPED
BLOCKS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "tr", "div", "section",
    "article", "main", "ul", "ol", "dl", "dt", "dd", "pre", "table", "figure", "figcaption",
    "caption", "hr", "body", "address", "details", "summary",
})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
MAIN = frozenset({"article", "main"})
VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})
CELLS = frozenset({"td", "th"})
_SCRIPTED = frozenset({"script", "style", "template", "noscript", "svg", "math"})
_WORDS = re.compile(r"\S+|\s+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_PUBLISHED_META = ("article:published_time", "datepublished", "date", "dc.date", "pubdate")
_AUTHOR_META = ("author", "article:author", "dc.creator", "byl")
# A web page's "Further reading" list sits with its sources; elsewhere (Markdown posts) it ends them.
_REFERENCE_LABELS = REFERENCE_HEADINGS | NOTES_HEADINGS | {"further reading"}


def _is_reference_heading(text: str) -> bool:
    """``Sources``, ``参考文献：``, ``Notes``: a heading over the page's sources (lexicon labels)."""
    return text.strip().rstrip(":：").strip().lower() in _REFERENCE_LABELS
# trafilatura elements whose text is one block; inline ones (ref, hi, lb…) belong to their block.
_TRAF_BLOCKS = frozenset({"p", "head", "item", "cell", "quote", "code", "list", "table", "row", "div",
                          "note", "fw", "label"})
_LONG_SEGMENT = 24  # ink characters; shorter segments are only looked for between anchored ones


def load_html(raw: str) -> LoadedDocument:
    """The main text of ``raw`` as one page, with title, author, date and the links of the main text."""
    scan = _scan(raw)
    extracted = _trafilatura(raw)
    keep = _main_mask(scan, extracted.segments)
    _drop_furniture(scan, keep)
    _prefer_declared_main(scan, keep)
    if any(any(mask) for mask in keep.values()):
        _add_reference_sections(scan, keep)
    else:  # trafilatura found nothing we can place
        keep = _fallback_mask(scan)
    body, links = _assemble(scan, keep)
    return LoadedDocument(
        kind="html",
        raw=raw,
        pages=(PageLayout(index=0, number=None, body=body),),
        title=extracted.title or scan.title(),
        published=_published(scan.published(), extracted.date),
        author=extracted.author or scan.meta_first(_AUTHOR_META),
        language=guess_language(body.text) or scan.lang,
        links=tuple((0, link) for link in links),
        warnings=tuple(scan.warnings),
    )


# --------------------------------------------------------------------------- our pass: events


@dataclass(slots=True)
class _Event:
    """One step of the page in source order, replayed into a :class:`BlockAssembler`.

    ``kind`` is ``text`` (``piece``), ``space``/``sep``/``br`` (at raw ``at``),
    ``block`` (``tag`` opens or closes), ``open`` (a link to ``href``) or ``close``.
    ``stack`` holds the ids of the open elements; ``soft``/``main`` say whether the
    event sits in page furniture or inside ``<article>``/``<main>``.
    """

    kind: str
    stack: tuple[int, ...]
    soft: bool
    main: bool
    piece: MappedText | None = None
    at: int = 0
    tag: str = ""
    href: str = ""
    opening: bool = False


@dataclass(slots=True)
class _Extracted:
    """What trafilatura says: main-content text segments in order, and the page's metadata."""

    segments: list[str] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    date: str | None = None


class _Scanner(HTMLParser):
    """One pass over the page recording text, block and link events with raw offsets."""

    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(raw) if ch == "\n"]
        self.events: list[_Event] = []
        self.tags: list[str] = []  # element id -> tag
        self._open: list[tuple[str, int]] = []  # (tag, id), innermost last
        self._hard: list[str] = []  # open hard-dropped elements, innermost last
        self._soft_depth = 0
        self._main_depth = 0
        self._capture: dict[str, list[str]] = {"title": [], "h1": []}
        self._capturing: list[str] = []
        self._meta: dict[str, str] = {}
        self._time: str | None = None
        self._unclosed_from: int | None = None
        self.lang: str | None = None
        self.warnings: list[str] = []

    # ---------------------------------------------------------------- results

    def finish(self) -> None:
        """Drop what follows an unclosed dropped element, as the old rule did, and say so."""
        soft = [(tag, i) for tag, i in self._open if tag in SOFT_DROPPED][:1]
        if soft:  # its events were recorded: take them out
            self.events = [e for e in self.events if soft[0][1] not in e.stack]
        unclosed = [tag for tag, _ in soft] + self._hard[:1]
        if unclosed:  # a hard-dropped element recorded nothing from its start on
            self.warnings.append(f"unclosed <{unclosed[0]}> dropped the rest of the page")

    def title(self) -> str | None:
        for candidate in (self._meta.get("og:title"), "".join(self._capture["title"]),
                          "".join(self._capture["h1"])):
            if candidate and candidate.strip():
                return " ".join(candidate.split())
        return None

    def published(self) -> str | None:
        return self.meta_first(_PUBLISHED_META) or self._time

    def meta_first(self, keys: tuple[str, ...]) -> str | None:
        for key in keys:
            value = " ".join(self._meta.get(key, "").split())
            if value:
                return value
        return None

    # ---------------------------------------------------------------- events

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        self._note_metadata(tag, values)
        if tag == "h1" and not self._capture["h1"] and "h1" not in self._capturing:
            self._capturing.append("h1")  # a post's h1 often sits in <header>
        if self._hard or tag in HARD_DROPPED or _hidden(values):
            if tag not in VOID:
                self._hard.append(tag)
            return
        if tag == "title" and not self._capture["title"]:
            self._capturing.append(tag)
        if tag in BLOCKS:
            self._event("block", tag=tag, opening=True)
        if tag not in VOID:
            self._open.append((tag, len(self.tags)))
            self.tags.append(tag)
            self._soft_depth += tag in SOFT_DROPPED
            self._main_depth += tag in MAIN
        if tag in CELLS:
            self._event("sep", at=self._offset())
        elif tag == "br":
            self._event("br", at=self._offset())
        elif tag == "a":
            self._event("open", href=values.get("href", ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._capturing:
            self._capturing.remove(tag)
        if self._hard:
            if tag in self._hard:
                while self._hard.pop() != tag:
                    pass
            return
        if tag == "a":
            self._event("close")
        if tag in BLOCKS:
            self._event("block", tag=tag)
        if any(t == tag for t, _ in self._open):
            while True:
                closed, _ = self._open.pop()
                self._soft_depth -= closed in SOFT_DROPPED
                self._main_depth -= closed in MAIN
                if closed == tag:
                    break

    def handle_data(self, data: str) -> None:
        self._emit(MappedText.from_raw(data, self._offset()))

    def handle_entityref(self, name: str) -> None:
        self._emit_reference(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._emit_reference(f"&#{name};")

    # comments, declarations, processing instructions: ignored (HTMLParser's defaults)

    # ---------------------------------------------------------------- helpers

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _event(self, kind: str, **values: object) -> None:
        stack = tuple(i for _, i in self._open)
        self.events.append(_Event(kind, stack, self._soft_depth > 0, self._main_depth > 0, **values))  # type: ignore[arg-type]

    def _emit_reference(self, reference: str) -> None:
        text = html.unescape(reference)
        at = self._offset()
        if text == reference:  # not an entity after all: literal text
            self._emit(MappedText.from_raw(reference, at))
        else:
            self._emit(MappedText.inserted(text, at))

    def _emit(self, piece: MappedText) -> None:
        if not _SCRIPTED.intersection(self._hard):
            for tag in self._capturing:
                self._capture[tag].append(piece.text)
        if self._hard or "title" in self._capturing:
            return  # dropped, or <title> metadata rather than body text
        for match in _WORDS.finditer(piece.text):
            chunk = piece[match.start():match.end()]
            if match.group().isspace():
                self._event("space", at=chunk.origin[0])
            else:
                self._event("text", piece=chunk)

    def _note_metadata(self, tag: str, values: dict[str, str]) -> None:
        if tag == "html" and values.get("lang"):
            self.lang = values["lang"].split("-")[0].lower() or None
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and "content" in values:
                self._meta.setdefault(key, values["content"])
        elif tag == "time" and self._time is None and values.get("datetime"):
            self._time = values["datetime"].strip()


def _scan(raw: str) -> _Scanner:
    scanner = _Scanner(raw)
    scanner.feed(raw)
    scanner.close()
    scanner.finish()
    return scanner


def _hidden(values: dict[str, str]) -> bool:
    return (
        "hidden" in values
        or values.get("aria-hidden", "").lower() == "true"
        or bool(_HIDDEN_STYLE.search(values.get("style", "")))
    )


# --------------------------------------------------------------------------- trafilatura


def _trafilatura(raw: str) -> _Extracted:
    """Main-content segments and metadata; an empty result when trafilatura finds nothing or fails."""
    import trafilatura  # on the first HTML page only: ~0.1 s and ~19 MB that text, Markdown and PDF runs never need

    try:
        document = trafilatura.bare_extraction(
            raw, with_metadata=True, include_links=True, include_tables=True, include_comments=False,
            include_images=False, as_dict=False,
        )
    except Exception as exc:  # noqa: BLE001 - a third-party parser on hostile input; fall back
        logger.debug("trafilatura failed: %s", exc)
        return _Extracted()
    if document is None:
        return _Extracted()
    body = getattr(document, "body", None)
    segments = _segments(body) if body is not None else []
    return _Extracted(segments, _clean(document.title), _clean(document.author), _clean(document.date))


def _segments(element: etree._Element) -> list[str]:
    """The text of each trafilatura block in its output order, inline markup folded into its block."""
    out: list[str] = []
    _collect(element, out)
    return [s for s in out if s.strip()]


def _collect(element: etree._Element, out: list[str]) -> None:
    own: list[str] = [element.text or ""]
    for child in element:
        if child.tag in _TRAF_BLOCKS:
            out.append("".join(own))
            own = []
            _collect(child, out)
        else:
            own.append("".join(child.itertext()))
        own.append(child.tail or "")
    out.append("".join(own))


def _clean(value: object) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None


def _published(ours: str | None, theirs: str | None) -> str | None:
    """htmldate's date (via trafilatura); the page's own stamp when it agrees and is more precise."""
    if ours and theirs and ours.startswith(theirs):
        return ours
    return theirs or ours


# --------------------------------------------------------------------------- alignment


def _main_mask(scan: _Scanner, segments: list[str]) -> dict[int, list[bool]]:
    """Per text event, which of its characters belong to trafilatura's main text.

    Our visible characters without white space (the "ink") are searched for each
    segment's ink.  Long segments anchor: the first occurrence after the previous
    anchor, or the only occurrence anywhere (trafilatura sometimes moves a headline
    or a teaser ahead of the text).  Short ones ("Sources", a date) are looked for
    between their neighbours, so a menu item of the same wording elsewhere in the
    page cannot take their place, or else where they occur only once.
    """
    ink, where = _ink(scan)
    inks = ["".join(s.split()) for s in segments]
    spans: list[tuple[int, int] | None] = [None] * len(inks)
    cursor = 0
    for i, s in enumerate(inks):
        if len(s) >= _LONG_SEGMENT:
            spans[i] = _find(ink, s, cursor, len(ink)) or _unique(ink, s)
            if spans[i] is not None:
                cursor = spans[i][1]  # type: ignore[index]
    for i, s in enumerate(inks):
        if spans[i] is None and s:
            lo = next((sp[1] for sp in reversed(spans[:i]) if sp), 0)
            hi = next((sp[0] for sp in spans[i + 1:] if sp), len(ink))
            hi = hi if hi >= lo else len(ink)
            if len(s) < _LONG_SEGMENT:
                spans[i] = _find(ink, s, lo, hi) or _unique(ink, s)
            else:
                spans[i] = _words(ink, segments[i], lo, hi)
    keep = {index: [False] * len(scan.events[index].piece.text) for index in set(e for e, _ in where)}  # type: ignore[union-attr]
    for span in spans:
        if span:
            for k in range(*span):
                event, char = where[k]
                keep[event][char] = True
    return keep


def _ink(scan: _Scanner) -> tuple[str, list[tuple[int, int]]]:
    """The page's visible non-space characters, each with its (event index, character index)."""
    chars: list[str] = []
    where: list[tuple[int, int]] = []
    for index, event in enumerate(scan.events):
        if event.kind == "text" and event.piece is not None:
            for j, ch in enumerate(event.piece.text):
                if not ch.isspace():
                    chars.append(ch)
                    where.append((index, j))
    return "".join(chars), where


def _find(ink: str, s: str, lo: int, hi: int) -> tuple[int, int] | None:
    at = ink.find(s, lo, hi)
    return (at, at + len(s)) if at >= 0 else None


def _unique(ink: str, s: str) -> tuple[int, int] | None:
    """Where ``s`` occurs in the ink, when it occurs exactly once."""
    at = ink.find(s)
    return (at, at + len(s)) if at >= 0 and ink.find(s, at + 1) < 0 else None


def _words(ink: str, segment: str, lo: int, hi: int) -> tuple[int, int] | None:
    """A long segment trafilatura rewrote a little: the stretch from its first to its last found word."""
    first = last = None
    cursor = lo
    for word in segment.split():
        found = _find(ink, word, cursor, min(hi, cursor + 4 * len(word) + 200))
        if found:
            first = found[0] if first is None else first
            last = found[1]
            cursor = found[1]
    return (first, last) if first is not None and last is not None and last - first <= 2 * len(segment) else None


def _fallback_mask(scan: _Scanner) -> dict[int, list[bool]]:
    """The old rule: ``<article>``/``<main>`` text when there is any, else the page minus furniture."""
    kept = [i for i, e in enumerate(scan.events) if e.kind == "text" and not e.soft]
    in_main = [i for i in kept if scan.events[i].main]
    return {i: [True] * len(scan.events[i].piece.text) for i in (in_main or kept)}  # type: ignore[union-attr]


def _drop_furniture(scan: _Scanner, keep: dict[int, list[bool]]) -> None:
    """Navigation, asides and footers stay out whatever trafilatura kept."""
    furniture = {i for i, tag in enumerate(scan.tags) if tag in FURNITURE}
    for i in [i for i in keep if furniture.intersection(scan.events[i].stack)]:
        del keep[i]


def _prefer_declared_main(scan: _Scanner, keep: dict[int, list[bool]]) -> None:
    """Drop kept text outside ``<article>``/``<main>`` when most of the kept text is inside.

    The page's own markup names its main region; when trafilatura mostly agrees, what it
    adds outside that region comes from its whole-page fallbacks (on short pages) and is
    menus or teasers.  When most of its text lies outside, the markup is not trusted.
    """
    inside = sum(sum(mask) for i, mask in keep.items() if scan.events[i].main)
    total = sum(sum(mask) for mask in keep.values())
    if inside and 2 * inside >= total:
        for i in [i for i in keep if not scan.events[i].main]:
            del keep[i]


def _add_reference_sections(scan: _Scanner, keep: dict[int, list[bool]]) -> None:
    """Keep a "Sources"/"References" section that shares a container with the main text.

    The section runs from its heading to the next heading of the same or a higher
    level, or to the end of the heading's container, whichever comes first.
    """
    main_stacks = [scan.events[i].stack for i, mask in keep.items() if any(mask)]
    if not main_stacks:
        return
    first_main = min(i for i, mask in keep.items() if any(mask))
    events = scan.events
    for index, event in enumerate(events):
        if index <= first_main or event.kind != "block" or event.tag not in HEADINGS or event.soft:
            continue
        if not event.opening:
            continue
        heading_text = _heading_text(events, index)
        if not _is_reference_heading(heading_text) or not event.stack:
            continue
        container = event.stack[-1]
        if not any(container in stack for stack in main_stacks):
            continue
        _keep_section(events, keep, index, int(event.tag[1]), container)


def _heading_text(events: list[_Event], index: int) -> str:
    """The text between a heading's opening block event and the next block event."""
    parts: list[str] = []
    j = index + 1
    while j < len(events) and events[j].kind != "block":
        if events[j].kind == "text":
            parts.append(events[j].piece.text)  # type: ignore[union-attr]
        elif events[j].kind == "space":
            parts.append(" ")
        j += 1
    return "".join(parts).strip()


def _keep_section(events: list[_Event], keep: dict[int, list[bool]], start: int, level: int, container: int) -> None:
    """Mark the section's text kept (never page furniture inside it)."""
    for j in range(start + 1, len(events)):
        event = events[j]
        if container not in event.stack:
            return  # the heading's container closed
        if event.opening and event.tag in HEADINGS and int(event.tag[1]) <= level:
            return  # the next section
        if event.kind == "text" and not event.soft and event.piece is not None:
            keep[j] = [True] * len(event.piece.text)


# --------------------------------------------------------------------------- assembly


def _assemble(scan: _Scanner, keep: dict[int, list[bool]]) -> tuple[MappedText, tuple[Link, ...]]:
    """Replay the events, adding only kept characters; blocks and links come from our pass."""
    out = BlockAssembler()
    for index, event in enumerate(scan.events):
        if event.kind == "text":
            _add_kept(out, event.piece, keep.get(index))  # type: ignore[arg-type]
        else:
            replay_structure(event, out)
    return out.build()


def replay_structure(event: _Event, out: BlockAssembler, shift: int = 0) -> None:
    """Apply one non-text event to ``out``: white space, a cell separator, a block end, a link edge.

    ``shift`` moves the event's raw offset (the Markdown loader scans one HTML
    block and places it in the whole file).  Text events are the caller's: the
    HTML loader keeps only main-content characters, the Markdown loader renders
    text runs as Markdown inline.
    """
    if event.kind in ("space", "br"):
        out.space(event.at + shift)
    elif event.kind == "sep":
        out.separate(" | ", event.at + shift)
    elif event.kind == "block":
        out.end_block()
    elif event.kind == "open":
        out.open_link(event.href)
    elif event.kind == "close":
        out.close_link()


def _add_kept(out: BlockAssembler, piece: MappedText, mask: list[bool] | None) -> None:
    if not mask:
        return
    start = None
    for j, flag in enumerate(mask + [False]):
        if flag and start is None:
            start = j
        elif not flag and start is not None:
            out.add(piece[start:j])
            start = None
