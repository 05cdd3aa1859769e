"""Markdown posts as plain text that still knows where every character came from.

markdown-it-py gives block tokens with source line ranges (``token.map``) and
inline children with the rendered text but no columns.  We find each text
child in its block's raw lines with a moving cursor, so the rendered text is
markup-free while ``origin`` points into the original file, front matter
included.  Footnote definitions (``[^1]: …``) become :class:`NoteBlock` s;
their references stay in the body literally (``[^1]``) for the footnote linker.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import yaml
from frontmatter import YAMLHandler
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from extractors.errors import BadFrontMatter
from extractors.load.markup import BlockAssembler, guess_language
from extractors.textmap import MappedText
from extractors.types import LoadedDocument, NoteBlock, PageLayout

logger = logging.getLogger(__name__)

_BOUNDARY = re.compile(r"^-{3,}[ \t]*\r?$", re.M)  # python-frontmatter's delimiter, one line only
_YAML_KEY = re.compile(r"^[ \t]*[A-Za-z_][\w-]*[ \t]*:", re.M)
_NEWLINE = re.compile(r"\r\n?|\n")  # the line breaks markdown-it counts
_BARE_REFERENCE = re.compile(r"\[([^\]^][^\]]*)\]")
_LOCATE_WINDOW = 12  # an entity (&#x1F600;) or escape is at most this far ahead of its character
_SKIPPED_BLOCKS = frozenset({"fence", "code_block", "html_block", "hr"})


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The parsed YAML header and where the Markdown body starts in the raw text."""

    meta: dict[str, Any]
    body_start: int
    warnings: tuple[str, ...] = ()


def load_markdown(raw: str) -> LoadedDocument:
    """Render ``raw`` (Markdown, optional YAML front matter) to one page of mapped plain text.

    Raises :class:`BadFrontMatter` when the YAML header cannot be parsed.
    """
    front = split_front_matter(raw)
    body_src = raw[front.body_start:]
    walker = _Walker(raw, _line_starts(raw, front.body_start))
    walker.walk(_parser().parse(body_src))
    body, links = walker.body.build()
    warnings = list(front.warnings)
    published = _iso_date(_first(front.meta, "date", "published", "pubDate"), warnings)
    title = _first(front.meta, "title")
    return LoadedDocument(
        kind="markdown",
        raw=raw,
        pages=(PageLayout(index=0, number=None, body=body, notes=tuple(walker.notes)),),
        title=str(title).strip() if title else walker.first_heading,
        published=published,
        tags=_tags(front.meta),
        language=guess_language(body.text),
        links=tuple((0, link) for link in links),
        warnings=tuple(warnings),
    )


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Without footnote_tail, definitions stay where they are written, unreferenced ones included.
    md = MarkdownIt("commonmark").use(footnote_plugin).enable(["table", "strikethrough"])
    return md.disable("footnote_tail")


# --------------------------------------------------------------------------- front matter


def split_front_matter(raw: str) -> FrontMatter:
    """Parse a leading ``---`` YAML block with python-frontmatter's YAML handler.

    A ``---`` that opens something other than a YAML mapping is a Markdown
    rule, not front matter.
    """
    first = _BOUNDARY.match(raw)
    if first is None:
        return FrontMatter({}, 0)
    second = _BOUNDARY.search(raw, first.end() + 1)
    if second is None:
        if _YAML_KEY.match(raw, first.end() + 1):
            raise BadFrontMatter("front matter opened on line 1 is never closed with '---'")
        return FrontMatter({}, 0)
    meta = _load_yaml(raw[first.end():second.start()])
    if not isinstance(meta, dict):
        note = f"a '---' block of {type(meta).__name__} is not front matter; read as Markdown"
        return FrontMatter({}, 0, (note,)) if meta is not None else FrontMatter({}, second.end())
    return FrontMatter(meta, _skip_newline(raw, second.end()))


def _load_yaml(text: str) -> Any:
    try:
        return YAMLHandler().load(text)
    except yaml.YAMLError as exc:
        # The text starts with the rest of the opening '---' line, so YAML's
        # 0-based line numbers are the file's 1-based ones minus one.
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "an unknown line"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and start is not None and start is not mark:
            problem += f" ({context} at line {start.line + 1})"
        raise BadFrontMatter(f"YAML front matter is malformed at {where}: {problem}") from exc


def _skip_newline(raw: str, at: int) -> int:
    newline = _NEWLINE.match(raw, at)
    return newline.end() if newline else at


def _first(meta: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if meta.get(key) not in (None, ""):
            return meta[key]
    return None


def _iso_date(value: Any, warnings: list[str]) -> str | None:
    """YAML gives ``datetime``/``date`` for unquoted dates; strings are parsed when ISO-like."""
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        warnings.append(f"front matter date {text!r} is not ISO 8601; kept as written")
        return text


def _tags(meta: dict[str, Any]) -> tuple[str, ...]:
    out: list[str] = []
    for key in ("tags", "categories", "category", "keywords"):
        value = meta.get(key)
        if isinstance(value, str):
            items: Sequence[Any] = re.split(r"[,，、]", value)
        elif isinstance(value, (list, tuple)):
            items = value
        else:
            items = [] if value is None else [value]
        for item in items:
            tag = str(item).strip()
            if tag and tag not in out:
                out.append(tag)
    return tuple(out)


# --------------------------------------------------------------------------- rendering


def _line_starts(raw: str, base: int) -> list[int]:
    """Raw offset of each body line (as markdown-it numbers them), plus the end."""
    starts = [base] + [m.end() for m in _NEWLINE.finditer(raw, base)]
    return starts + [len(raw)]


@dataclass(slots=True)
class _Walker:
    """Walks the token stream once, feeding body blocks and footnote bodies."""

    raw: str
    lines: list[int]
    body: BlockAssembler = field(default_factory=BlockAssembler)
    notes: list[NoteBlock] = field(default_factory=list)
    first_heading: str | None = None
    _note: BlockAssembler | None = None
    _note_label: str = ""
    _in_heading: bool = False
    _cells: int = -1  # -1 outside a table row, else cells seen in this row

    def walk(self, tokens: Sequence[Token]) -> None:
        for token in tokens:
            handler = getattr(self, "_on_" + token.type, None)
            if handler is not None:
                handler(token)
            elif token.type == "inline":
                self._on_inline_block(token)
            elif token.type in _SKIPPED_BLOCKS:
                logger.debug("dropped %s block at lines %s", token.type, token.map)

    def _target(self) -> BlockAssembler:
        return self._note if self._note is not None else self.body

    def _on_heading_open(self, token: Token) -> None:
        self._in_heading = True

    def _on_heading_close(self, token: Token) -> None:
        self._in_heading = False

    def _on_tr_open(self, token: Token) -> None:
        self._cells = 0

    def _on_tr_close(self, token: Token) -> None:
        self._cells = -1
        self._target().end_block()

    def _on_footnote_reference_open(self, token: Token) -> None:
        self._note = BlockAssembler()
        self._note_label = str(token.meta.get("label", ""))

    def _on_footnote_reference_close(self, token: Token) -> None:
        if self._note is not None:
            text, _links = self._note.build()
            if text.text:
                self.notes.append(NoteBlock(marker=self._note_label, body=text))
        self._note = None

    def _on_inline_block(self, token: Token) -> None:
        out = self._target()
        if self._cells > 0:
            out.separate(" | ", self._span(token)[0])
        _render_inline(self.raw, token, self._span(token), out, show_urls=self._note is not None)
        if self._in_heading and self.first_heading is None and self._note is None:
            self.first_heading = "".join(
                c.content for c in token.children or () if c.type in ("text", "code_inline")
            ).strip() or None
        if self._cells >= 0:
            self._cells += 1
        else:
            out.end_block()

    def _span(self, token: Token) -> tuple[int, int]:
        if not token.map:
            return (self.lines[0], self.lines[-1])
        start, end = token.map
        last = len(self.lines) - 1
        return (self.lines[min(start, last)], self.lines[min(end, last)])


def _render_inline(
    raw: str, token: Token, span: tuple[int, int], out: BlockAssembler, *, show_urls: bool
) -> None:
    """Emit an inline token's visible text, locating each piece in ``raw[span]``."""
    cursor, end = span
    children = list(token.children or ())
    bare = _bare_reference(children)
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            text = bare if bare and child.content else child.content
            piece, cursor = _locate(raw, text, cursor, end)
            out.add(piece)
        elif kind in ("softbreak", "hardbreak"):
            out.space(cursor)
        elif kind == "footnote_ref":
            piece, cursor = _locate(raw, f"[^{child.meta.get('label', '')}]", cursor, end)
            out.add(piece)
        elif kind in ("image", "html_inline"):  # not shown, but step over it: its text is not ours
            _skipped, cursor = _locate(raw, child.content, cursor, end)
            if kind == "image":
                _url, cursor = _skip_link_tail(raw, cursor, end)
        elif kind == "link_open":
            out.open_link(str(child.attrGet("href") or ""))
        elif kind == "link_close":
            out.close_link()
            url, cursor = _skip_link_tail(raw, cursor, end)
            if show_urls and url is not None:
                out.space(cursor)
                out.add(url)


def _bare_reference(children: list[Token]) -> str:
    """``[013. Title]`` with no URL (a reference link with no definition): keep the title only."""
    texts = [c for c in children if c.type != "text" or c.content]
    if len(texts) == 1 and texts[0].type == "text":
        match = _BARE_REFERENCE.fullmatch(texts[0].content.strip())
        if match:
            return match.group(1)
    return ""


def _locate(raw: str, text: str, cursor: int, end: int) -> tuple[MappedText, int]:
    """Map ``text`` onto ``raw[cursor:end]``: exactly when it is there, else char by char.

    The char-by-char path covers entities and backslash escapes (``&amp;`` ->
    ``&``): each char maps to its next occurrence within a short window, or to
    the cursor when it has no literal counterpart (``&copy;`` -> ``©``).
    """
    if not text:
        return MappedText.empty(), cursor
    found = raw.find(text, cursor, end)
    if found >= 0:
        return MappedText.from_raw(text, found), found + len(text)
    origin: list[int] = []
    last = max(len(raw) - 1, 0)
    for ch in text:
        found = raw.find(ch, cursor, min(end, cursor + _LOCATE_WINDOW))
        if found < 0:
            origin.append(min(cursor, last))
            continue
        origin.append(found)
        cursor = found + 1
    return MappedText(text, tuple(origin)), cursor


def _skip_link_tail(raw: str, cursor: int, end: int) -> tuple[MappedText | None, int]:
    """Step over ``](url "title")`` after an anchor; return the URL as mapped text."""
    if raw.startswith("](", cursor):
        depth, i = 0, cursor + 2
        while i < end:
            ch = raw[i]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
        dest = raw[cursor + 2:i].strip().split(maxsplit=1)
        url = dest[0].strip("<>") if dest else ""
        at = raw.find(url, cursor + 2, i) if url else -1
        return (MappedText.from_raw(url, at) if at >= 0 else None), min(i + 1, end)
    if raw.startswith("][", cursor):
        close = raw.find("]", cursor + 2, end)
        return None, (close + 1 if close >= 0 else cursor)
    if raw.startswith(">", cursor):  # autolink <https://…>
        return None, cursor + 1
    return None, cursor
