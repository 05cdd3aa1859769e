"""Blog posts and text files as documents: shared pieces of the Markdown and HTML loaders.

:func:`load_markdown` (in :mod:`extractors.load.markdown_text`) and
:func:`load_html` (in :mod:`extractors.load.html_text`) both turn markup into
blocks of plain text separated by blank lines, with every character mapped
back to the raw source and every hyperlink's anchor text located in the body.
The :class:`BlockAssembler` here does that bookkeeping once for both.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from extractors.lexicon import CJK, HAN
from extractors.textmap import MappedText, TextBuilder
from extractors.types import LoadedDocument, Link, PageLayout

logger = logging.getLogger(__name__)

BLOCK_SEPARATOR = "\n\n"
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})

_CJK = re.compile(rf"[{HAN}]")
_LATIN = re.compile(r"[A-Za-z]")
_NO_SPACE_AROUND = re.compile(rf"[{CJK}]")
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")


def load_plain(raw: str) -> LoadedDocument:
    """Plain text that is not paged: one page whose body is the whole text, unchanged."""
    return LoadedDocument(
        kind="text",
        raw=raw,
        pages=(PageLayout(index=0, number=None, body=MappedText.from_raw(raw)),),
        title=_first_line_title(raw),
        language=guess_language(raw),
    )


def _first_line_title(raw: str) -> str | None:
    """A short first line followed by a blank line reads as a title."""
    lines = raw.lstrip().splitlines()
    if len(lines) >= 2 and 0 < len(lines[0].strip()) <= 60 and not lines[1].strip():
        return lines[0].strip()
    return None


def guess_language(text: str) -> str | None:
    """``"zh"`` when CJK characters dominate, ``"en"`` for Latin script, ``None`` for neither.

    A Chinese character carries about as much as a short English word, so one
    counts as much as four Latin letters: a Chinese post full of English model
    names stays ``"zh"``.
    """
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    if cjk == 0 and latin == 0:
        return None
    return "zh" if 4 * cjk >= latin else "en"


def is_safe_url(url: str) -> bool:
    """True for http(s)/mailto/ftp and relative URLs; False for ``javascript:``, ``data:`` and the like.

    Browsers ignore white space and control characters inside a scheme
    (``java\\tscript:``), so we drop them before looking.
    """
    cleaned = _URL_JUNK.sub("", url)
    if not cleaned:
        return False
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    if scheme:
        return scheme in SAFE_SCHEMES
    return ":" not in cleaned.split("/", 1)[0]


def join_space(before: str, after: str) -> str:
    """What a line break between two characters becomes: nothing between CJK, else a space."""
    if not before or not after:
        return ""
    if _NO_SPACE_AROUND.match(before) and _NO_SPACE_AROUND.match(after):
        return ""
    return " "


@dataclass(frozen=True, slots=True)
class _OpenLink:
    start: int
    url: str


class BlockAssembler:
    """Collects blocks of mapped text and the links inside them, then joins them into a body.

    Loaders call :meth:`add` for text, :meth:`space` for collapsible white space,
    :meth:`open_link`/:meth:`close_link` around anchors and :meth:`end_block` at
    every block boundary.  Leading white space is never emitted and trailing
    white space is dropped when a block ends, so link offsets stay exact.
    """

    def __init__(self) -> None:
        self._blocks: list[tuple[MappedText, list[tuple[int, int, str]]]] = []
        self._current = TextBuilder()
        self._links: list[tuple[int, int, str]] = []
        self._open: list[_OpenLink] = []
        self._pending_space: int | None = None

    def add(self, piece: MappedText) -> None:
        """Append text; a pending space is emitted first unless the join is CJK to CJK."""
        if not len(self._current):
            piece = piece[len(piece.text) - len(piece.text.lstrip()):]  # blocks never start blank
        if not piece.text:
            return
        if self._pending_space is not None and len(self._current):
            sep = join_space(self._current.last_char(), piece.text[0])
            if sep:
                self._current.append(MappedText.inserted(sep, self._pending_space))
        self._pending_space = None
        self._current.append(piece)

    def last_char(self) -> str:
        """The last character of the current block ("" when it is empty)."""
        return self._current.last_char()

    def separate(self, separator: str, at: int) -> None:
        """Insert ``separator`` (anchored at raw ``at``) unless the block is still empty."""
        if len(self._current):
            self._pending_space = None
            self._current.append(MappedText.inserted(separator, at))

    def space(self, at: int) -> None:
        """Mark collapsible white space at raw offset ``at`` (emitted lazily by :meth:`add`)."""
        if len(self._current) and self._pending_space is None:
            self._pending_space = at

    def open_link(self, url: str) -> None:
        self._open.append(_OpenLink(len(self._current), url))

    def close_link(self) -> None:
        if not self._open:
            return
        opened = self._open.pop()
        if is_safe_url(opened.url):
            self._links.append((opened.start, len(self._current), opened.url.strip()))
        else:
            logger.debug("dropped unsafe link URL %r", opened.url[:80])

    def end_block(self) -> None:
        """Close the current block (kept only if it has visible text)."""
        block = self._current.build()
        self._current = TextBuilder()
        self._pending_space = None
        self._open = [_OpenLink(0, o.url) for o in self._open]  # an anchor spanning blocks restarts
        links, self._links = self._links, []
        kept = block[: len(block.text.rstrip())]
        if kept.text.strip():
            self._blocks.append((kept, links))

    def build(self) -> tuple[MappedText, tuple[Link, ...]]:
        """The body (blocks joined by a blank line) and its links, offsets into that body."""
        self.end_block()
        parts: list[MappedText] = []
        links: list[Link] = []
        offset = 0
        for block, block_links in self._blocks:
            if parts:
                offset += len(BLOCK_SEPARATOR)
            links.extend(_place_links(block.text, block_links, offset))
            parts.append(block)
            offset += len(block.text)
        return MappedText.join(BLOCK_SEPARATOR, parts), tuple(links)


def _place_links(text: str, spans: list[tuple[int, int, str]], offset: int) -> list[Link]:
    """Trim each anchor to its visible text and shift it by the block's ``offset``."""
    placed: list[Link] = []
    for start, end, url in spans:
        end = min(end, len(text))
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            placed.append(Link(offset + start, offset + end, url, text[start:end]))
    return placed
