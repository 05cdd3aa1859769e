"""Links from a report row back to its original: the PDF page, the web passage, the file line.

The report's own anchors (``#claim-17``, ``#doc-2-p82``) only move within the
report; an analyst checking a claim wants the original open at the right spot.
Stored rows carry offsets into the *normalized* text, so this module goes back
to the source through what ingest already stored (``documents.raw_text`` and
the run-length ``offset_map``, see :mod:`extractors.textmap`):

* a PDF opens at its physical page (``file.pdf#page=N``, 1-based; the row's
  ``page`` is the *printed* number, which need not be the N-th sheet);
* a web page (the source is an http(s) URL) opens at the passage with a text
  fragment (``#:~:text=…``, WICG "Text Fragments"); the passage is rebuilt from
  the raw characters where normalization only folded widths (``２０２３`` stays
  as the page prints it), so the browser can find it;
* a local text, Markdown or HTML file opens as ``file:///abs/path#L12`` with the
  label ``path:12`` (editors and terminals open that form); the line is counted
  in the raw file, front matter included.  A local HTML file gets a text
  fragment instead of ``#L12``: a browser renders it and ignores line numbers.

Pure: no I/O (``PurePath`` only formats the URI).  The view-model
(:mod:`reports.context`) decides which links are safe to render.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

if TYPE_CHECKING:
    from extractors.records import DocumentRow, PageRow

#: Passages up to this many characters go whole into ``textStart``; longer ones become
#: ``textStart,textEnd`` (Chromium's link-to-text generator uses the same limit).
EXACT_TEXT_MAX = 300
#: About this many characters of a long passage's start and end name it in ``textStart,textEnd``.
RANGE_TERM_CHARS = 40
#: A range term may only end (start) where a word ends (starts): after white space or this punctuation.
_BREAK_AFTER = frozenset("，。；：、！？,.;:!?）)」』】》\"'”’")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the line breaks editors count (as markdown-it does)
_SPACES = re.compile(r"\s+")
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:[\\/]")
#: Characters that may not appear raw in an href we write into Markdown or HTML.
_URL_UNSAFE = re.compile(r"[\x00-\x20\"<>\\^`{|}()\x7f-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class SourceLink:
    """Where a row is in its original: ``href`` to open it (None: nothing to open), ``label`` to show."""

    href: str | None
    label: str


def is_web(source: str) -> bool:
    parts = urlsplit(source.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def file_uri(source: str) -> str | None:
    """``file:///…`` for an absolute local path (percent-encoded: ``#``, ``?`` and spaces stay literal); else None.

    A relative path cannot be resolved without I/O, so it gets no link.
    """
    if source.startswith("/"):
        return PurePosixPath(source).as_uri()
    if _WINDOWS_ABSOLUTE.match(source):
        return PureWindowsPath(source).as_uri()
    return None


def encode_url(url: str) -> str:
    """``url`` with spaces, quotes, brackets, parentheses and non-ASCII percent-encoded (UTF-8).

    Already-encoded ``%XX`` stay as they are; the result can be written into a
    Markdown link destination or an HTML attribute without closing either.
    """
    return _URL_UNSAFE.sub(lambda m: quote(m.group(0), safe=""), url.strip())


def without_fragment(url: str) -> str:
    parts = urlsplit(url.strip())
    return urlunsplit(parts._replace(fragment=""))


def encode_text_term(term: str) -> str:
    """Percent-encode one text-directive term: UTF-8, and ``-``, ``&``, ``,`` too (they are syntax there)."""
    return quote(term, safe="").replace("-", "%2D")


def text_fragment(passage: str) -> str:
    """The ``:~:text=`` directive that makes a browser scroll to and highlight ``passage``.

    White space is collapsed as a rendered page shows it.  A passage longer than
    :data:`EXACT_TEXT_MAX` characters is named by its start and end
    (``textStart,textEnd``), each cut where a word ends, because the spec only
    matches terms on word boundaries; without such a cut the whole passage is used.
    Returns ``""`` for a passage with no visible text.
    """
    text = _SPACES.sub(" ", passage).strip()
    if not text:
        return ""
    terms = _range_terms(text) if len(text) > EXACT_TEXT_MAX else None
    return ":~:text=" + ",".join(encode_text_term(t) for t in (terms or (text,)))


def _range_terms(text: str) -> tuple[str, str] | None:
    """(start, end) of a long passage, each about :data:`RANGE_TERM_CHARS` long and cut at a break."""
    head = _cut_after(text, RANGE_TERM_CHARS)
    tail_start = _cut_before(text, len(text) - RANGE_TERM_CHARS)
    if head is None or tail_start is None or tail_start <= head:
        return None
    return text[:head].strip(), text[tail_start:].strip()


def _cut_after(text: str, at: int) -> int | None:
    """The first break at or after ``at``: the end of a word or clause."""
    for i in range(at, len(text)):
        if text[i] == " " or text[i - 1] in _BREAK_AFTER:
            return i
    return None


def _cut_before(text: str, at: int) -> int | None:
    """The last break at or before ``at``: where a word or clause starts."""
    for i in range(at, 0, -1):
        if text[i - 1] == " " or text[i - 1] in _BREAK_AFTER:
            return i
    return None


def pdf_page_href(base: str, sheet: int) -> str:
    """``base#page=N`` (N 1-based), the open-parameter every PDF viewer (Chromium, Firefox, Acrobat) reads."""
    return f"{without_fragment(base)}#page={sheet}"


def line_starts(raw: str) -> tuple[int, ...]:
    """Offset of the first character of every line of ``raw`` (``\\r\\n``, ``\\r`` and ``\\n`` end a line)."""
    return (0, *(m.end() for m in _LINE_BREAK.finditer(raw)))


def line_number(starts: tuple[int, ...], raw_offset: int) -> int:
    """1-based line holding ``raw_offset`` (``starts`` from :func:`line_starts`)."""
    return bisect.bisect_right(starts, raw_offset)


@dataclass(slots=True)
class SourceLocator:
    """One document's way back to its source; built once per document, asked once per row.

    ``offset_runs`` is the stored offset map (``[clean_start, raw_start, length]``
    runs covering every character of the normalized text); with ``raw_text``
    it turns a normalized offset into a raw one.  Line starts are computed
    on first use only.
    """

    source: str
    kind: str
    text: str
    raw_text: str = ""
    offset_runs: tuple[tuple[int, int, int], ...] = ()
    pages: tuple[PageRow, ...] = ()
    _run_starts: list[int] = field(init=False, default_factory=list)
    _lines: tuple[int, ...] | None = field(init=False, default=None)
    _web: bool = field(init=False, default=False)
    _base: str | None = field(init=False, default=None)  # the source as a URL, without fragment

    def __post_init__(self) -> None:
        self._run_starts = [run[0] for run in self.offset_runs]
        self._web = is_web(self.source)
        self._base = encode_url(without_fragment(self.source)) if self._web else file_uri(self.source)

    def link(self, start: int, end: int, page: int | None) -> SourceLink | None:
        """The link for normalized ``[start, end)`` on printed page ``page``; None when the source has no address."""
        web, base = self._web, self._base
        if self.kind == "pdf":
            sheet = self.sheet(start, page)
            name = _display_name(self.source)
            if sheet is None:
                return SourceLink(base, name)
            return SourceLink(None if base is None else pdf_page_href(base, sheet), f"{name}, PDF p. {sheet}")
        if web:
            return SourceLink(_with_fragment(base, text_fragment(self.passage(start, end))),
                              urlsplit(self.source).netloc)
        line = self.line(start)
        label = self.source if line is None else f"{self.source}:{line}"
        if base is None:
            return SourceLink(None, label)
        if self.kind == "html":
            return SourceLink(_with_fragment(base, text_fragment(self.passage(start, end))), label)
        return SourceLink(base if line is None else f"{base}#L{line}", label)

    def sheet(self, start: int, page: int | None) -> int | None:
        """The 1-based physical page of a row at ``start`` printed as page ``page``.

        Printed numbers can repeat (an unnumbered cover is ordinal 1, like the
        page printed "1"): then the page whose body holds ``start`` wins, else
        the first page with that number (a footnote lies in the notes part,
        outside every body range).
        """
        if page is None:
            return None
        same = [p for p in self.pages if p.page == page]
        holding = [p for p in same if p.start <= start < p.end]
        chosen = (holding or same or [None])[0]
        return None if chosen is None else chosen.page_index + 1

    def raw_offset(self, clean: int) -> int | None:
        """Raw offset of the normalized character at ``clean``; None without a stored map."""
        i = bisect.bisect_right(self._run_starts, clean) - 1
        if i < 0:
            return None
        c0, r0, n = self.offset_runs[i]
        return r0 + (clean - c0) if clean < c0 + n else None

    def line(self, start: int) -> int | None:
        """1-based line of the raw file where the normalized character at ``start`` came from."""
        raw = self.raw_offset(start)
        if raw is None or not self.raw_text:
            return None
        if self._lines is None:
            self._lines = line_starts(self.raw_text)
        return line_number(self._lines, raw)

    def passage(self, start: int, end: int) -> str:
        """``text[start:end]`` as the page prints it: a character normalization only width-folded
        (full-width digits, letters, ideographic space) is taken back from the raw text."""
        out = []
        for i in range(start, min(end, len(self.text))):
            ch = self.text[i]
            raw = self.raw_offset(i)
            if raw is not None and raw < len(self.raw_text):
                original = self.raw_text[raw]
                if original != ch and unicodedata.normalize("NFKC", original) == ch:
                    ch = original
            out.append(ch)
        return "".join(out)


def _with_fragment(base: str, fragment: str) -> str:
    return f"{base}#{fragment}" if fragment else base


def _display_name(source: str) -> str:
    """The file name of a path or URL, for a short label."""
    path = urlsplit(source).path if is_web(source) else source
    name = re.split(r"[\\/]", path.rstrip("/\\"))[-1]
    return name or source


def locator(d: DocumentRow) -> SourceLocator:
    return SourceLocator(d.source, d.kind, d.text, d.raw_text, d.offset_runs, d.pages)
