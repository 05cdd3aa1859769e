"""Layout analysis of a PDF *text layer* given as plain text.

A text layer copied out of a PDF (seed 004) has lost its geometry, but page
furniture is still recognisable from the text alone:

* **page-number lines**: a line holding only a number.  Some tools print them
  digit-reversed (``５８`` on page 85); the reading (natural or reversed) is
  the one under which the lines form the longest increasing sequence.  A page
  number closes its page (it is a footer) unless the first one comes before
  any text (then numbers open their pages).
* **footnote blocks**, in two orders.  Seed 004: after the page number, the
  circled markers are listed one per line (``①``, ``②``), then the bodies in
  the same order; a body line that does not start a new citation continues
  the previous body; a body may also carry its marker (``①代金平，…``).
  pdfplumber/pdftotext order: bodies that start with their marker (``1 Liu…``,
  ``①…``) at the page bottom, just before the footer number; accepted only
  when the markers run consecutively and are all cited in the page body.
* **running headers**: a line repeated verbatim (digits masked) on several
  pages; it opens a page.
* **form feeds** separate pages (then page numbers only label their page).
* **stray-space page starts**: in seed 004 the first line of a page begins
  with a single ASCII space (checked against the PDF rendition's ground
  truth: all 11 such lines start a journal page or its running header).  The
  rule is used only once the text is known to be paged by the evidence above,
  and only when such lines are rare.

Text without strong evidence (at least two page numbers in sequence, a form
feed, or a running header) is returned as one page, unchanged.  Bodies are not
normalized: every :class:`MappedText` indexes ``raw``.

Tables are not laid out here: the cell lines after a table caption are
recognised when each page body is normalized
(:func:`extractors.text.normalize.table_cells`), so a page break ends a table
region and its cells are joined with `` | `` like the PDF loader's.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from extractors.lexicon import CIRCLED_MARKERS, next_marker
from extractors.text.normalize import fold_all
from extractors.textmap import MappedText
from extractors.types import NoteBlock, PageLayout

logger = logging.getLogger(__name__)

#: Circled note markers (the lexicon's, re-exported for callers of this module).
CIRCLED = CIRCLED_MARKERS
_MARKER_LINE_RE = re.compile(rf"^[{CIRCLED}]$")
_MARKER_PREFIX_RE = re.compile(rf"^([{CIRCLED}])\s*")
_TRAILING_MARKER_RE = re.compile(rf"^(?:([{CIRCLED}])\s*|(\d{{1,3}})\s+)(?=\S)")
_PAGE_NUMBER_RE = re.compile(
    r"^(?:(\d{1,4})|[-–—]\s*(\d{1,4})\s*[-–—]|(?:page|p\.)\s*(\d{1,4})|第\s*(\d{1,4})\s*页)$",
    re.IGNORECASE,
)
_FINAL = "。！？.!?"
_CLOSERS = "”」』）)’\"'》"
_URL_TAIL_RE = re.compile(r"(?:https?://|www\.)\S*$", re.IGNORECASE)

MIN_PAGE_CHARS = 300  # raw characters between two page-number lines of a real page sequence
MAX_PAGE_STEP = 3  # a page-number sequence may skip up to two unnumbered pages
HEADER_MIN_CHARS = 10
STRAY_SPACE_MAX_SHARE = 0.05  # stray-space lines must be rare to mean "new page"
MAX_NOTE_LINES = 12  # lines per expected footnote before we stop reading a block
MAX_TRAILING_NOTE_LINES = 60  # a footnote block at the page bottom is at most this many lines


@dataclass(frozen=True, slots=True)
class TextLayout:
    """Pages found in a text layer; ``is_paged`` is False for ordinary text (one page)."""

    pages: tuple[PageLayout, ...]
    warnings: tuple[str, ...] = ()
    is_paged: bool = False


@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # raw offset of the first character
    end: int  # raw offset after the last character (the newline is not part of the line)
    text: str  # raw text
    key: str  # folded, stripped
    form_feed: bool  # a form feed came right before this line

    @property
    def blank(self) -> bool:
        return not self.key

    @property
    def stray_space(self) -> bool:
        return len(self.text) > 1 and self.text[0] == " " and not self.text[1].isspace()


@dataclass(slots=True)
class _PageAcc:
    """A page being built while walking the lines."""

    lines: list[_Line] = field(default_factory=list)
    header: str | None = None
    footer: str | None = None
    number: int | None = None
    notes: list[NoteBlock] = field(default_factory=list)

    def has_body(self) -> bool:
        return any(not line.blank for line in self.lines)

    def is_empty(self) -> bool:
        return not self.has_body() and self.header is None and self.number is None


@dataclass(frozen=True, slots=True)
class _Evidence:
    numbers: dict[int, int]  # line index -> page number
    headers: frozenset[str]  # masked header keys
    reversed_numbers: bool
    form_feeds: int
    stray_space: bool
    numbers_on_top: bool  # page numbers open their page (a header) instead of closing it (a footer)


# --------------------------------------------------------------------------- lines


def _split_lines(raw: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for chunk in raw.split("\n"):
        parts = chunk.split("\f")
        for k, part in enumerate(parts):
            lines.append(_Line(pos, pos + len(part), part, fold_all(part).strip(), form_feed=k > 0))
            pos += len(part) + 1  # the "\f" or the "\n" that follows
    return lines


def _mask(key: str) -> str:
    return re.sub(r"\d+", "#", key)


# --------------------------------------------------------------------------- evidence


def _number_candidates(lines: list[_Line]) -> list[tuple[int, int, int | None]]:
    """``(line index, natural value, reversed value or None)`` for number-only lines."""
    out = []
    for i, line in enumerate(lines):
        m = _PAGE_NUMBER_RE.match(line.key)
        if not m:
            continue
        digits = next(g for g in m.groups() if g)
        rev = int(digits[::-1]) if m.group(1) else None
        out.append((i, int(digits), rev))
    return out


def _longest_sequence(lines: list[_Line], cands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain of ``(line, value)`` with small increasing steps, pages far enough apart."""
    length = [1] * len(cands)
    back = [-1] * len(cands)
    for k, (i, v) in enumerate(cands):
        for j in range(k):
            pi, pv = cands[j]
            if length[j] + 1 > length[k] and 1 <= v - pv <= MAX_PAGE_STEP:
                if lines[i].start - lines[pi].end >= MIN_PAGE_CHARS:
                    length[k], back[k] = length[j] + 1, j
    if not cands:
        return []
    k = max(range(len(cands)), key=lambda x: length[x])
    chain = []
    while k >= 0:
        chain.append(cands[k])
        k = back[k]
    return chain[::-1]


def _page_numbers(lines: list[_Line]) -> tuple[dict[int, int], bool]:
    cands = _number_candidates(lines)
    natural = _longest_sequence(lines, [(i, v) for i, v, _ in cands])
    reverse = _longest_sequence(lines, [(i, r) for i, _, r in cands if r is not None])
    chosen, is_reversed = (reverse, True) if len(reverse) > len(natural) else (natural, False)
    if len(chosen) < 2:
        return {}, False
    return dict(chosen), is_reversed


def _header_keys(lines: list[_Line], numbers: dict[int, int], other_evidence: bool) -> frozenset[str]:
    counts: dict[str, int] = {}
    for i, line in enumerate(lines):
        key = line.key
        if i in numbers or len(key.replace(" ", "")) < HEADER_MIN_CHARS or key[-1] in _FINAL:
            continue
        counts[_mask(key)] = counts.get(_mask(key), 0) + 1
    need = 2 if other_evidence else 3
    return frozenset(k for k, n in counts.items() if n >= need)


def _gather_evidence(lines: list[_Line]) -> _Evidence:
    numbers, is_reversed = _page_numbers(lines)
    form_feeds = sum(1 for line in lines if line.form_feed)
    headers = _header_keys(lines, numbers, bool(numbers) or form_feeds > 0)
    nonblank = [line for line in lines if not line.blank]
    strays = sum(1 for line in nonblank if line.stray_space)
    stray_ok = 0 < strays <= max(3, STRAY_SPACE_MAX_SHARE * len(nonblank))
    return _Evidence(numbers, headers, is_reversed, form_feeds, stray_ok, _numbers_on_top(lines, numbers))


def _numbers_on_top(lines: list[_Line], numbers: dict[int, int]) -> bool:
    """Numbers print at the top of their page when (almost) nothing precedes the first one."""
    if not numbers:
        return False
    first = min(numbers)
    before = sum(len(line.key) for line in lines[:first] if _mask(line.key))
    return before < MIN_PAGE_CHARS // 3


# --------------------------------------------------------------------------- footnote blocks


def _complete(body: str) -> bool:
    """A footnote body ends here: sentence-final punctuation, not the end of a broken URL."""
    text = fold_all(body).rstrip()
    if _URL_TAIL_RE.search(text) and not text.endswith("。"):
        return False
    k = len(text)
    while k and text[k - 1] in _CLOSERS:
        k -= 1
    return bool(k) and text[k - 1] in _FINAL


def _stops_block(line: _Line, i: int, ev: _Evidence) -> bool:
    return (
        line.form_feed
        or i in ev.numbers
        or _mask(line.key) in ev.headers
        or (ev.stray_space and line.stray_space)
    )


def _note_body(raw: str, group: list[_Line], marker_len: int) -> MappedText:
    parts = []
    for k, line in enumerate(group):
        lead = len(line.text) - len(line.text.lstrip())
        start = line.start + lead + (marker_len if k == 0 else 0)
        parts.append(MappedText.from_raw(raw[start : line.end], start).strip())
    return MappedText.join("\n", parts).strip()


def _read_note_block(
    raw: str, lines: list[_Line], i: int, ev: _Evidence
) -> tuple[list[tuple[str | None, list[_Line]]], list[str], int]:
    """Read the footnote block starting at line ``i``.

    Returns the groups ``(marker or None, lines)``, the listed markers and the
    index of the first line after the block.
    """
    n = len(lines)
    listed: list[str] = []
    j = i
    while j < n and not _stops_block(lines[j], j, ev):
        if lines[j].blank:
            j += 1
        elif _MARKER_LINE_RE.match(lines[j].key):
            listed.append(lines[j].key)
            j += 1
        else:
            break
    groups: list[tuple[str | None, list[_Line]]] = []
    expected = len(listed)
    end = j
    while j < n and not _stops_block(lines[j], j, ev):
        line = lines[j]
        if line.blank:
            j += 1
            continue
        prefix = _MARKER_PREFIX_RE.match(line.key)
        current = groups[-1][1] if groups else None
        done = current is not None and _complete(" ".join(x.text for x in current))
        if prefix:
            groups.append((prefix.group(1), [line]))
        elif current is not None and not done:
            current.append(line)
        elif len(groups) < expected:
            groups.append((None, [line]))
        else:
            break
        j += 1
        end = j
        if sum(len(g) for _, g in groups) > MAX_NOTE_LINES * max(expected, len(groups)):
            break  # runaway block: a body that never ends would swallow the next page
    return groups, listed, end


def _pair_notes(
    raw: str, groups: list[tuple[str | None, list[_Line]]], listed: list[str], where: str
) -> tuple[list[NoteBlock], list[str]]:
    """Pair bodies with markers: explicit prefixes first, then in listed order."""
    warnings: list[str] = []
    free = [m for m in listed if m not in {g[0] for g in groups if g[0]}]
    notes: list[NoteBlock] = []
    for marker, group in groups:
        if marker is None:
            if not free:
                warnings.append(f"{where}: footnote body without a marker dropped: {group[0].key[:30]!r}")
                continue
            marker = free.pop(0)
            notes.append(NoteBlock(marker, _note_body(raw, group, 0)))
        else:
            lead = len(group[0].text) - len(group[0].text.lstrip())
            m = _MARKER_PREFIX_RE.match(group[0].text[lead:])
            notes.append(NoteBlock(marker, _note_body(raw, group, m.end() if m else 0)))
    if free:
        warnings.append(f"{where}: footnote marker(s) {''.join(free)} listed without a body")
    return notes, warnings


def _trailing_marker(line: _Line) -> str | None:
    m = _TRAILING_MARKER_RE.match(line.key)
    return (m.group(1) or m.group(2)) if m else None


def _next_marker(marker: str) -> str:
    if marker in CIRCLED:
        return next_marker(marker)
    return str(int(marker) + 1)


def _referenced(marker: str, body: str) -> bool:
    """The body cites the marker: a circled marker anywhere, a number glued to a word or punctuation."""
    if marker in CIRCLED:
        return marker in body
    return re.search(rf"(?<=[^\s\d]){marker}(?!\d)", body) is not None


def _split_trailing_notes(raw: str, lines: list[_Line]) -> tuple[list[_Line], list[NoteBlock]]:
    """Footnotes printed at the page bottom *before* the footer number (``1 Liu …``, ``①…``).

    The block is the longest tail of the page made of groups that each start
    with a marker line; markers must run consecutively and every one must be
    cited in the body above, so a body line starting with a number is not
    mistaken for a note.
    """
    content = [k for k, line in enumerate(lines) if not line.blank]
    best: int | None = None
    for pos in reversed(content[-MAX_TRAILING_NOTE_LINES:]):
        first = _trailing_marker(lines[pos])
        if first is None:
            continue
        expected, ok = first, True
        for k in content[content.index(pos):]:
            found = _trailing_marker(lines[k])
            if found is not None:
                if found != expected:
                    ok = False
                    break
                expected = _next_marker(found)
        body = "\n".join(line.text for line in lines[:pos])
        markers = [_trailing_marker(lines[k]) for k in content if k >= pos and _trailing_marker(lines[k])]
        if ok and all(_referenced(fold_all(m), fold_all(body)) for m in markers if m):
            best = pos
    if best is None:
        return lines, []
    notes: list[NoteBlock] = []
    group: list[_Line] = []
    for line in lines[best:]:
        if line.blank:
            continue
        if _trailing_marker(line) is not None and group:
            notes.append(_trailing_note(raw, group))
            group = []
        group.append(line)
    notes.append(_trailing_note(raw, group))
    return lines[:best], notes


def _trailing_note(raw: str, group: list[_Line]) -> NoteBlock:
    first = group[0]
    lead = len(first.text) - len(first.text.lstrip())
    m = _TRAILING_MARKER_RE.match(fold_all(first.text[lead:]))
    marker = (m.group(1) or m.group(2)) if m else ""
    return NoteBlock(marker, _note_body(raw, group, m.end() if m else 0))


# --------------------------------------------------------------------------- pages


def _body(raw: str, lines: list[_Line]) -> MappedText:
    return MappedText.join("\n", [MappedText.from_raw(raw[x.start : x.end], x.start) for x in lines]).strip()


def _where(acc: _PageAcc, index: int) -> str:
    return f"page {acc.number}" if acc.number is not None else f"page index {index}"


def _walk(raw: str, lines: list[_Line], ev: _Evidence) -> tuple[list[_PageAcc], list[str]]:
    pages: list[_PageAcc] = []
    warnings: list[str] = []
    acc = _PageAcc()

    def close(keep_empty: bool = False) -> None:
        """Finish the page; a page a form feed ended is kept even when empty (it is a PDF page)."""
        nonlocal acc
        if keep_empty or not acc.is_empty():
            pages.append(acc)
        acc = _PageAcc()

    i = 0
    while i < len(lines):
        line = lines[i]
        if line.form_feed:
            close(keep_empty=True)
        if not line.blank and _mask(line.key) in ev.headers:
            if acc.has_body():
                close()
            acc.header = line.text.strip()
            i += 1
            continue
        if i in ev.numbers:
            if ev.numbers_on_top and not ev.form_feeds and acc.has_body():
                close()
            if not ev.numbers_on_top:
                acc.lines, acc.notes = _split_trailing_notes(raw, acc.lines)
                acc.footer = line.text.strip()  # the label as printed, e.g. digit-reversed "５８"
            acc.number = ev.numbers[i]
            groups, listed, i = _read_note_block(raw, lines, i + 1, ev)
            notes, note_warnings = _pair_notes(raw, groups, listed, _where(acc, len(pages)))
            acc.notes.extend(notes)
            warnings.extend(note_warnings)
            if not ev.form_feeds and not ev.numbers_on_top:
                close()  # a footer number (and its footnote block) ends the page
            continue
        if ev.stray_space and line.stray_space and acc.has_body():
            close()
        acc.lines.append(line)
        i += 1
    close(keep_empty=ev.form_feeds > 0 or not pages)
    return pages, warnings


def _infer_numbers(pages: list[_PageAcc]) -> list[str]:
    """Fill unnumbered pages when every detected number agrees with its page position."""
    offsets = {p.number - k for k, p in enumerate(pages) if p.number is not None}
    if len(offsets) != 1:
        return []
    offset = offsets.pop()
    inferred = [k + offset for k, p in enumerate(pages) if p.number is None]
    for k, p in enumerate(pages):
        if p.number is None:
            p.number = k + offset
    if not inferred:
        return []
    return [f"page numbers {', '.join(map(str, inferred))} inferred from the page sequence (not printed)"]


def _dangling_body_markers(pages: tuple[PageLayout, ...]) -> list[str]:
    warnings = []
    for page in pages:
        in_body = sorted(set(re.findall(f"[{CIRCLED}]", page.body.text)), key=CIRCLED.index)
        noted = {n.marker for n in page.notes}
        missing = [m for m in in_body if m not in noted]
        if missing:
            warnings.append(f"page {page.number} (index {page.index}): body marker(s) {''.join(missing)} have no footnote body on this page")
    return warnings


def layout_text(raw: str) -> TextLayout:
    """Split a text layer into pages, removing page numbers, running headers and footnote blocks."""
    lines = _split_lines(raw)
    ev = _gather_evidence(lines)
    if not (ev.numbers or ev.headers or ev.form_feeds):
        return TextLayout((PageLayout(0, None, MappedText.from_raw(raw)),), (), is_paged=False)
    accs, warnings = _walk(raw, lines, ev)
    unnumbered = [a.number is None for a in accs]
    warnings = [
        f"text layer paged by {len(ev.numbers)} page-number lines"
        f"{' (digit-reversed)' if ev.reversed_numbers else ''}, {len(ev.headers)} running header(s), "
        f"{ev.form_feeds} form feed(s){', stray-space page starts' if ev.stray_space else ''}",
        *warnings,
        *_infer_numbers(accs),
    ]
    pages = tuple(
        PageLayout(
            index=k,
            number=a.number,
            body=_body(raw, a.lines),
            notes=tuple(a.notes),
            header=a.header,
            footer=a.footer,
            number_inferred=unnumbered[k] and a.number is not None,
        )
        for k, a in enumerate(accs)
    )
    warnings.extend(_dangling_body_markers(pages))
    for w in warnings:
        logger.info("%s", w)
    return TextLayout(pages, tuple(warnings), is_paged=True)
