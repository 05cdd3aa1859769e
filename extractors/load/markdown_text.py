"""Markdown posts as plain text that still knows where every character came from.

markdown-it-py gives block tokens with source line ranges (``token.map``) and
inline children with the rendered text but no columns.  We find each text
child in its block's raw lines with a moving cursor, so the rendered text is
markup-free while ``origin`` points into the original file, front matter
included.  Footnote definitions (``[^1]: …``) become :class:`NoteBlock` s;
their references stay in the body literally (``[^1]``) for the footnote linker.

Code and math are not prose: fenced/indented code, math (``$…$``, ``$$…$$``,
``\\(…\\)``, ``\\[…\\]``, also over several lines) and code spans that hold code
are left out of the text, so no sentence, claim or number can come from them
(the offset map of what stays is untouched).  A code span that is a name
without digits (```BigBird```, ```滑动注意力```, ```Accelerator().autocast()```,
see :data:`_PROSE_CODE`) is how these posts set a name in prose; it stays, or
the sentence would lose its subject.

Emphasis follows the CJK-friendly flanking rule, so ``仅**通用人工智能（GPAI）**模型``
is bold, and ``**`` that pair with nothing are dropped.  HTML blocks and inline
anchors go through the HTML loader's event scanner, and the Markdown in an HTML
block's text (an image or link between ``<p align="center">`` and ``</p>``) is
rendered like any other inline Markdown.  Links and images that CommonMark
rejects for a slip (a title without quotes, a space or line break in the URL)
are read as links and images.
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
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_inline.state_inline import Delimiter, StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from extractors.errors import BadFrontMatter
from extractors.lexicon import is_cjk
from extractors.load.html_text import _scan as _scan_html, replay_structure
from extractors.load.markup import BlockAssembler, guess_language
from extractors.textmap import MappedText
from extractors.types import LoadedDocument, NoteBlock, PageLayout

logger = logging.getLogger(__name__)

_BOUNDARY = re.compile(r"^-{3,}[ \t]*\r?$", re.M)  # python-frontmatter's delimiter, one line only
_CLOSING = re.compile(r"^(?:-{3,}|\.{3})[ \t]*\r?$", re.M)  # YAML's document end "..." closes it too (Pandoc)
_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r\n?|\n))*")
_YAML_KEY = re.compile(r"^[ \t]*[A-Za-z_][\w-]*[ \t]*:", re.M)
_NEWLINE = re.compile(r"\r\n?|\n")  # the line breaks markdown-it counts
_BARE_REFERENCE = re.compile(r"\[([^\]^][^\]]*)\]")
_WHITE_SPACE = re.compile(r"\s")
_LOCATE_WINDOW = 12  # an entity (&#x1F600;) or escape is at most this far ahead of its character
_SKIPPED_BLOCKS = frozenset({"fence", "code_block", "hr", "math_block", "math_block_label"})
#: Inline tokens whose source is stepped over and never shown: code and math are not prose.
_NON_PROSE_INLINE = frozenset({"code_inline", "math_inline", "math_inline_double", "math_inline_bracket"})
_EMPHASIS_TOKENS = frozenset({"strong_open", "strong_close", "em_open", "em_close", "s_open", "s_close"})
#: A code span kept as prose: words only (letters of any script, ``-./_`` or spaces between them),
#: each maybe called with no arguments (``Accelerator().autocast()``): names, never figures.  A name
#: with digits (``Llama-3.1-8B``) is left out too: the number extractor would read "8B" in it.
_PROSE_CODE = re.compile(r"[^\W\d]+(?:\(\))?(?:[-./_ ]+[^\W\d]+(?:\(\))?)*")
#: ``\\(…\\)``/``\\[…\\]`` (MathJax delimiters with the Markdown escape) or ``\(…\)``/``\[…\]``.
_BRACKET_MATH = re.compile(r"(\\\\|\\)(\(|\[)(.+?)\1(\)|\])", re.S)
_BRACKET_CLOSE = {"(": ")", "[": "]"}
_BRACKET_OPEN = re.compile(r"(\\\\|\\)(\(|\[)")
#: ``\[1\]`` is an escaped citation bracket, not display math: single-backslash brackets need TeX inside.
_TEX_INSIDE = re.compile(r"[\\^_={}]")
#: Markdown syntax inside an HTML block's text that is worth an inline parse.
_INLINE_SYNTAX = re.compile(r"[*_`\[\]$\\]")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The parsed YAML header and where the Markdown body starts in the raw text."""

    meta: dict[str, Any]
    body_start: int
    warnings: tuple[str, ...] = ()


#: A footnote definition typed with a full-width colon (``[^1]：…``, common in Chinese posts): the parser
#: reads it as the ASCII one.  One character for one, so every offset into the source stays true.
_FULL_WIDTH_DEFINITION = re.compile(r"(?m)^( {0,3}\[\^[^\]\s]+\])：")


def load_markdown(raw: str) -> LoadedDocument:
    """Render ``raw`` (Markdown, optional YAML front matter) to one page of mapped plain text.

    Raises :class:`BadFrontMatter` when the YAML header cannot be parsed.
    """
    front = split_front_matter(raw)
    body_src = raw[front.body_start:]
    walker = _Walker(raw, _line_starts(raw, front.body_start))
    walker.walk(_parser().parse(_FULL_WIDTH_DEFINITION.sub(r"\1:", body_src)))
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
    # Math: no digit right outside the dollars, so "$10 到 $20" stays prose (a digit after the closing $).
    md.use(dollarmath_plugin, allow_space=True, allow_digits=False, double_inline=True)
    md.inline.ruler.before("escape", "math_inline_bracket", _bracket_math)
    md.block.ruler.before("fence", "math_block_bracket", _bracket_math_block)
    md.inline.ruler.at("emphasis", _cjk_emphasis)
    md.inline.ruler.after("image", "loose_link", _loose_link)
    md.inline.ruler2.after("emphasis", "stray_emphasis", _mark_stray_emphasis)
    return md.disable("footnote_tail")


def _bracket_math(state: StateInline, silent: bool) -> bool:
    """``\\\\(x\\\\)`` / ``\\\\[x\\\\]``: math for MathJax, written with an escaped backslash."""
    match = _BRACKET_MATH.match(state.src, state.pos, state.posMax)
    if match is None or _BRACKET_CLOSE[match.group(2)] != match.group(4):
        return False
    if match.group(1) == "\\" and match.group(2) == "[" and not _TEX_INSIDE.search(match.group(3)):
        return False
    if not silent:
        token = state.push("math_inline_bracket", "math", 0)
        token.content = match.group(3)
        token.markup = match.group(1) + match.group(4)
    state.pos = match.end()
    return True


def _bracket_math_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A formula opened by ``\\\\(``/``\\\\[`` at a line start and closed at a line end, over several lines.

    Left to the inline rule, a line holding only ``=`` inside a matrix turns
    the lines above it into a setext heading and the formula falls apart into
    Markdown; read as one block first, it is one formula, left out like
    ``$$…$$``.  A blank line inside, or text after the closing delimiter,
    means it is not a display formula, and the inline rules take over.
    """
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    opened = _BRACKET_OPEN.match(state.src, begin, state.eMarks[start_line])
    if opened is None:
        return False
    closing = opened.group(1) + _BRACKET_CLOSE[opened.group(2)]
    line, pos = start_line, opened.end()
    while (at := state.src.find(closing, pos, state.eMarks[line])) < 0:
        line += 1
        if line >= end_line or state.isEmpty(line):
            return False
        pos = state.bMarks[line] + state.tShift[line]
    content = state.src[opened.end():at]
    if state.src[at + len(closing):state.eMarks[line]].strip():
        return False
    if opened.group(1) == "\\" and not _TEX_INSIDE.search(content):
        return False
    if not silent:
        token = state.push("math_block", "math", 0)
        token.content, token.markup, token.map = content, closing, [start_line, line + 1]
    state.line = line + 1
    return True


def _loose_link(state: StateInline, silent: bool) -> bool:
    """A link or image markdown-it rejected for a detail readers never notice.

    ``![训练过程](https://…/a.jpg 训练过程 )`` (a title without quotes) or
    ``[部署](https://console… -ai/x)`` (a space in the URL) render as source
    in CommonMark.  Here the first word in the parentheses is the URL when
    markdown-it would accept it as a link target; the rest is ignored.  Images
    become a ``loose_image`` token (stepped over), links a normal anchor.
    """
    src, end = state.src, state.posMax
    image = src.startswith("![", state.pos)
    label_at = state.pos + image
    if label_at >= end or src[label_at] != "[":
        return False
    label_end = state.md.helpers.parseLinkLabel(state, label_at, not image)
    if label_end < 0 or not src.startswith("(", label_end + 1):
        return False
    close = _closing_paren(src, label_end + 2, end)
    words = re.sub(r"[ \t]*\n[ \t]*", "", src[label_end + 2:close]).split() if close > 0 else []  # rejoin a wrapped URL
    href = state.md.normalizeLink(words[0].strip("<>")) if words else ""
    if not href or not state.md.validateLink(href):
        return False
    if not silent:
        if image:
            state.push("loose_image", "img", 0).content = src[state.pos:close + 1]
        else:
            state.push("link_open", "a", 1).attrs = {"href": href}
            state.pos, state.posMax = label_at + 1, label_end
            state.linkLevel += 1
            state.md.inline.tokenize(state)
            state.linkLevel -= 1
            state.push("link_close", "a", -1)
            state.posMax = end
    state.pos = close + 1
    return True


def _closing_paren(src: str, at: int, end: int) -> int:
    """Index of the ``)`` closing a link's parentheses, or -1.

    Nested pairs are allowed, and one line break (a URL wrapped by the editor);
    a second one means the ``(`` was never closed.
    """
    depth = breaks = 0
    for i in range(at, end):
        ch = src[i]
        if ch == "\n":
            breaks += 1
            if breaks > 1:
                return -1
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return i
            depth -= 1
    return -1


def _mark_stray_emphasis(state: StateInline) -> None:
    """Unpaired ``**`` runs are markup slips (``**注意：…`` never closed), not text: mark them dropped.

    Runs between two letters or digits stay (``8192**2`` is a power), and so
    do single ``*`` (``2 * 3``).  Paired runs were already turned into
    ``strong``/``em`` by the emphasis rule, so only leftovers are still text.
    """
    for token in state.tokens:
        if token.type == "text" and token.meta.get("stray_candidate") and token.content == "*":
            token.type = "stray_emphasis"


# --------------------------------------------------------------------------- CJK-friendly emphasis


def _cjk_emphasis(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis tokenizer with CJK-friendly delimiter flanking.

    CommonMark says ``**`` after ``）`` and before ``模`` is not right-flanking
    (punctuation before, a letter after), so ``**通用人工智能（GPAI）**模型``
    keeps its asterisks.  The CJK-friendly amendment (tats-u's
    markdown-cjk-friendly draft, also what the ``mdit-py-cjk-friendly`` plugin
    implements) treats a CJK character next to a run like punctuation where
    that *allows* flanking and like a letter where punctuation would *forbid*
    it.  Without CJK on either side the result is CommonMark's.  Implemented
    here rather than using that plugin: it requires markdown-it-py < 4 and
    monkeypatches ``StateInline.scanDelims`` for every parser in the process.
    """
    start = state.pos
    marker = state.src[start]
    if silent or marker not in ("_", "*"):
        return False
    can_open, can_close, length = _scan_delims(state, start, can_split_word=marker == "*")
    stray = marker == "*" and length >= 2 and not _between_operands(state.src, start, start + length)
    for _ in range(length):
        token = state.push("text", "", 0)
        token.content = marker
        token.meta = {"stray_candidate": stray}
        state.delimiters.append(Delimiter(marker=ord(marker), length=length, token=len(state.tokens) - 1,
                                          end=-1, open=can_open, close=can_close))
    state.pos += length
    return True


def _scan_delims(state: StateInline, start: int, *, can_split_word: bool) -> tuple[bool, bool, int]:
    """(can open, can close, run length) of the delimiter run at ``start``."""
    src, pos = state.src, start
    while pos < state.posMax and src[pos] == src[start]:
        pos += 1
    last = src[start - 1] if start > 0 else " "
    after = src[pos] if pos < state.posMax else " "
    last_ws, next_ws = isWhiteSpace(ord(last)), isWhiteSpace(ord(after))
    last_cjk, next_cjk = is_cjk(last), is_cjk(after)
    last_punct, next_punct = _is_punct(last), _is_punct(after)
    left = not next_ws and (not (next_punct and not next_cjk) or last_ws or last_punct or last_cjk)
    right = not last_ws and (not (last_punct and not last_cjk) or next_ws or next_punct or next_cjk)
    if can_split_word:
        return left, right, pos - start
    return (left and (not right or last_punct or last_cjk),
            right and (not left or next_punct or next_cjk), pos - start)


def _between_operands(src: str, start: int, end: int) -> bool:
    """``8192**2``, ``a ** b``: the run sits between two letters or digits (spaces aside), an operator."""
    before, after = src[:start].rstrip(" \t")[-1:], src[end:].lstrip(" \t")[:1]
    return before.isalnum() and after.isalnum()


def _is_punct(ch: str) -> bool:
    return isMdAsciiPunct(ord(ch)) or isPunctChar(ch)


# --------------------------------------------------------------------------- front matter


def split_front_matter(raw: str) -> FrontMatter:
    """Parse a leading ``---`` YAML block with python-frontmatter's YAML handler.

    A ``---`` that opens something other than a YAML mapping is a Markdown
    rule, not front matter.
    """
    first = _BOUNDARY.match(raw, _BLANK_LINES.match(raw).end())  # blank lines before it are no content
    if first is None:
        return FrontMatter({}, 0)
    second = _CLOSING.search(raw, first.end() + 1)
    skipped = len(_NEWLINE.findall(raw, 0, first.start()))  # blank lines above the opening '---'
    if second is None:
        if _YAML_KEY.match(raw, first.end() + 1):
            raise BadFrontMatter(f"front matter opened on line {skipped + 1} is never closed with '---'")
        return FrontMatter({}, 0)
    meta = _load_yaml(raw[first.end():second.start()], skipped)
    if not isinstance(meta, dict):
        note = f"a '---' block of {type(meta).__name__} is not front matter; read as Markdown"
        return FrontMatter({}, 0, (note,)) if meta is not None else FrontMatter({}, second.end())
    return FrontMatter(meta, _skip_newline(raw, second.end()))


def _load_yaml(text: str, skipped: int = 0) -> Any:
    try:
        return YAMLHandler().load(text)
    except yaml.YAMLError as exc:
        # The text starts with the rest of the opening '---' line, so YAML's
        # 0-based line numbers are the file's 1-based ones minus one.
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1 + skipped}" if mark is not None else "an unknown line"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and start is not None and start is not mark:
            problem += f" ({context} at line {start.line + 1 + skipped})"
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

    def _on_html_block(self, token: Token) -> None:
        start, end = self._span(token)
        out = self._target()
        out.end_block()
        _render_html_block(self.raw, (start, end), out, show_urls=self._note is not None)
        out.end_block()

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
    spaced = False  # the text before a skipped code span or formula ended in white space
    for child in children:
        kind = child.type
        if kind == "text":
            text = bare if bare and child.content else child.content
            piece, cursor = _locate(raw, text, cursor, end)
            if spaced:  # "公式 $x$ 与" -> "公式 与", one space where the formula was
                piece = piece[len(piece.text) - len(piece.text.lstrip()):]
            out.add(piece)
            spaced = False
        elif kind == "code_inline" and _PROSE_CODE.fullmatch(child.content.strip()):
            piece, cursor = _locate(raw, child.content, cursor, end)
            out.add(piece)
            spaced = False
        elif kind in _NON_PROSE_INLINE:  # step over the code or math and its closing delimiter
            _skipped, cursor = _locate(raw, child.content, cursor, end)
            closing = child.markup or "`"
            if raw.startswith(closing, cursor):
                cursor += len(closing)
            spaced = spaced or _ends_with_space(out)
        elif kind in ("softbreak", "hardbreak"):
            out.space(cursor)
        elif kind == "footnote_ref":
            piece, cursor = _locate(raw, f"[^{child.meta.get('label', '')}]", cursor, end)
            out.add(piece)
        elif kind in _EMPHASIS_TOKENS:  # step over "**" so "[**Bloom**](url)" finds its "](" tail
            if child.markup and raw.startswith(child.markup, cursor):
                cursor += len(child.markup)
        elif kind in ("loose_image", "stray_emphasis"):  # source that shows nothing
            _skipped, cursor = _locate(raw, child.content, cursor, end)
            spaced = spaced or _ends_with_space(out)
        elif kind in ("image", "html_inline"):  # not shown, but step over it: its text is not ours
            _skipped, cursor = _locate(raw, child.content, cursor, end)
            if kind == "image":
                _url, cursor = _skip_link_tail(raw, cursor, end)
            else:
                _inline_tag(child.content, cursor, out)
        elif kind == "link_open":
            out.open_link(str(child.attrGet("href") or ""))
        elif kind == "link_close":
            out.close_link()
            url, cursor = _skip_link_tail(raw, cursor, end)
            if show_urls and url is not None:
                out.space(cursor)
                out.add(url)


def _ends_with_space(out: BlockAssembler) -> bool:
    return out.last_char().isspace()


def _inline_tag(tag: str, after: int, out: BlockAssembler) -> None:
    """An HTML tag inside a paragraph, read by the HTML loader's scanner: ``<a href>`` links, ``<br>`` spaces."""
    if not tag.startswith(("<a", "<A", "</a", "</A", "<br", "<BR")):
        return
    for event in _scan_html(tag).events:
        if event.kind == "open":
            out.open_link(event.href)
        elif event.kind == "close":
            out.close_link()
        elif event.kind == "br":
            out.space(after)


def _render_html_block(raw: str, span: tuple[int, int], out: BlockAssembler, *, show_urls: bool) -> None:
    """One HTML block through the HTML loader's event scanner, its text runs rendered as Markdown.

    ``<p align="center">`` followed by an image on the next line is a single
    HTML block in CommonMark, so the image reaches us as HTML text; a run of
    text that holds Markdown syntax is parsed inline like a paragraph, so it
    becomes an image (dropped) or a link, never ``![…](…)`` source.  The
    scanner's offsets are the block's, shifted here to the whole file's.
    """
    base = span[0]
    run: list[MappedText | int] = []  # text pieces and space offsets, block-relative
    for event in _scan_html(raw[span[0]:span[1]]).events:
        if event.soft:
            continue
        if event.kind == "text" and event.piece is not None:
            run.append(event.piece)
            continue
        if event.kind == "space":
            run.append(event.at)
            continue
        _flush_run(raw, base, run, out, show_urls=show_urls)
        replay_structure(event, out, shift=base)
    _flush_run(raw, base, run, out, show_urls=show_urls)


def _flush_run(raw: str, base: int, run: list[MappedText | int], out: BlockAssembler, *, show_urls: bool) -> None:
    """Emit a run of HTML text: as Markdown inline when it holds Markdown syntax, else as it is."""
    pieces = [p for p in run if isinstance(p, MappedText)]
    if pieces:
        start, end = base + pieces[0].origin[0], base + pieces[-1].origin[-1] + 1
        source = raw[start:end]
        if _INLINE_SYNTAX.search(source):
            (inline,) = _parser().parseInline(source)
            _render_inline(raw, inline, (start, end), out, show_urls=show_urls)
        else:
            for item in run:
                if isinstance(item, int):
                    out.space(base + item)
                else:
                    out.add(MappedText(item.text, tuple(base + o for o in item.origin)))
    run.clear()


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
        if ch.isspace():  # a code span's line break is a space in its content
            space = _WHITE_SPACE.search(raw, cursor, min(end, cursor + _LOCATE_WINDOW))
            found = space.start() if space else -1
        else:
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
