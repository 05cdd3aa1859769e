"""An HTML page's main text, as mapped plain text with its links.

The standard library's :class:`html.parser.HTMLParser` reports the source
position of every event (``getpos()``), which is what lets each text chunk
keep its raw offsets; BeautifulSoup would hand us the text without them.
Entities are decoded and mapped to the start of their raw ``&…;``.

Only text ever comes out: scripts, styles, forms, comments and hidden
elements are dropped, and link URLs with a scheme other than http(s),
mailto or ftp (``javascript:``, ``data:``) are discarded.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from html.parser import HTMLParser

from extractors.load.markup import BlockAssembler, guess_language
from extractors.textmap import MappedText
from extractors.types import LoadedDocument, Link, PageLayout

logger = logging.getLogger(__name__)

DROPPED = frozenset({
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template",
    "svg", "math", "iframe", "object", "embed", "button", "select", "textarea", "dialog",
})
BLOCKS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "tr", "div", "section",
    "article", "main", "ul", "ol", "dl", "dt", "dd", "pre", "table", "figure", "figcaption",
    "caption", "hr", "body", "address", "details", "summary",
})
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


def load_html(raw: str) -> LoadedDocument:
    """The main text of ``raw`` as one page; prefers ``<article>``/``<main>`` when present."""
    parser = _MainTextParser(raw)
    parser.feed(raw)
    parser.close()
    body, links = parser.main_text()
    return LoadedDocument(
        kind="html",
        raw=raw,
        pages=(PageLayout(index=0, number=None, body=body),),
        title=parser.title(),
        published=parser.published(),
        language=guess_language(body.text) or parser.lang,
        links=tuple((0, link) for link in links),
        warnings=tuple(parser.warnings),
    )


class _MainTextParser(HTMLParser):
    """One pass over the page, building the whole body and the ``<article>``/``<main>`` body."""

    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(raw) if ch == "\n"]
        self._all = BlockAssembler()
        self._main = BlockAssembler()
        self._main_depth = 0
        self._seen_main = False
        self._skip: list[str] = []  # open dropped elements, innermost last
        self._capture: dict[str, list[str]] = {"title": [], "h1": []}
        self._capturing: list[str] = []
        self._meta: dict[str, str] = {}
        self._time: str | None = None
        self.lang: str | None = None
        self.warnings: list[str] = []

    # ---------------------------------------------------------------- results

    def main_text(self) -> tuple[MappedText, tuple[Link, ...]]:
        """The ``<article>``/``<main>`` text when it has any, else the whole page's."""
        if self._skip:
            self.warnings.append(f"unclosed <{self._skip[0]}> dropped the rest of the page")
        if self._seen_main:
            body, links = self._main.build()
            if body.text:
                return body, links
        return self._all.build()

    def title(self) -> str | None:
        for candidate in (self._meta.get("og:title"), "".join(self._capture["title"]),
                          "".join(self._capture["h1"])):
            if candidate and candidate.strip():
                return " ".join(candidate.split())
        return None

    def published(self) -> str | None:
        for key in _PUBLISHED_META:
            if self._meta.get(key, "").strip():
                return self._meta[key].strip()
        return self._time

    # ---------------------------------------------------------------- events

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        self._note_metadata(tag, values)
        if tag == "h1" and not self._capture["h1"] and "h1" not in self._capturing:
            self._capturing.append("h1")  # before the skip test: a post's h1 often sits in <header>
        if self._skip or tag in DROPPED or _hidden(values):
            if tag not in VOID:
                self._skip.append(tag)
            return
        if tag == "title" and not self._capture["title"]:
            self._capturing.append(tag)
        if tag in BLOCKS:
            self._each(lambda out: out.end_block())
        if tag in MAIN:
            self._main_depth += 1
            self._seen_main = True
        if tag in CELLS:
            self._each(lambda out: out.separate(" | ", self._offset()))
        elif tag == "br":
            self._each(lambda out: out.space(self._offset()))
        elif tag == "a":
            href = values.get("href", "")
            self._each(lambda out: out.open_link(href))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._capturing:
            self._capturing.remove(tag)
        if self._skip:
            if tag in self._skip:
                while self._skip.pop() != tag:
                    pass
            return
        if tag == "a":
            self._each(lambda out: out.close_link())
        if tag in BLOCKS:
            self._each(lambda out: out.end_block())
        if tag in MAIN and self._main_depth:
            self._main_depth -= 1

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

    def _each(self, action: Callable[[BlockAssembler], object]) -> None:
        """Apply ``action`` to the whole-page body, and to the main body inside article/main."""
        action(self._all)
        if self._main_depth:
            action(self._main)

    def _emit_reference(self, reference: str) -> None:
        text = html.unescape(reference)
        at = self._offset()
        if text == reference:  # not an entity after all: literal text
            self._emit(MappedText.from_raw(reference, at))
        else:
            self._emit(MappedText.inserted(text, at))

    def _emit(self, piece: MappedText) -> None:
        if not _SCRIPTED.intersection(self._skip):
            for tag in self._capturing:
                self._capture[tag].append(piece.text)
        if self._skip or "title" in self._capturing:
            return  # dropped, or <title> metadata rather than body text
        for match in _WORDS.finditer(piece.text):
            chunk = piece[match.start():match.end()]
            if match.group().isspace():
                self._each(lambda out: out.space(chunk.origin[0]))
            else:
                self._each(lambda out: out.add(chunk))

    def _note_metadata(self, tag: str, values: dict[str, str]) -> None:
        if tag == "html" and values.get("lang"):
            self.lang = values["lang"].split("-")[0].lower() or None
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and "content" in values:
                self._meta.setdefault(key, values["content"])
        elif tag == "time" and self._time is None and values.get("datetime"):
            self._time = values["datetime"].strip()


def _hidden(values: dict[str, str]) -> bool:
    return (
        "hidden" in values
        or values.get("aria-hidden", "").lower() == "true"
        or bool(_HIDDEN_STYLE.search(values.get("style", "")))
    )
