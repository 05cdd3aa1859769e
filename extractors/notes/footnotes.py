"""Footnote markers in running text, reference sections, and marker -> note linking.

The document pipeline hands us plain, already normalized strings (full-width
ASCII folded, Chinese punctuation and circled/superscript markers kept).  This
module finds *where* notes are referenced and *which* note each reference
points to; parsing what a note says is :mod:`extractors.notes.citations`' job.

Decisions worth knowing:

* A bracket group ``[1,2]`` or ``[1-3]`` yields **one hit per number**, so
  linking stays one reference -> one note.  Numbers written out get the span of
  their own digits; numbers implied by a range (the ``2`` of ``[1-3]``) get the
  span of the whole range text ``1-3``.
* A marker is something that *follows* the text it annotates.  A circled digit
  or bracket at the start of a line, or a circled digit after ``：；`` that
  opens an enumeration, is a list item or a reference-list entry prefix, not a
  marker.
* Linking never guesses across pages when numbering restarts per page: a
  reference without a same-page note stays dangling unless the next page holds
  an orphan note with that key (a body pushed over the page break).
* A reference or notes section is read line by line, so the pipeline looks
  for it in the text *before* line re-joining: one entry per number
  (``[N]`` ``［N］`` ``N.`` ``(N)`` ``①``), lines without the next number
  continue the entry.  Glossary notes (``［1］一降三减：`` and the explanation)
  count as a notes section even without a heading when they close the text
  and the text cites them.

All offsets are 0-based, end-exclusive, relative to the string passed in.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.lexicon import (
    CIRCLED_MARKER_CLASS,
    CIRCLED_MARKERS,
    GLOSSARY_TERM,
    HAN,
    LIST_ENTRY_NUMBER,
    NOTES_HEADINGS,
    REFERENCE_HEADINGS,
    SOURCE_CUE,
    SUPERSCRIPT_DIGITS,
    marker_number,
    next_marker,
)

logger = logging.getLogger(__name__)

RULE_PREFIX = "footnotes."

# ---------------------------------------------------------------- marker alphabets

# Circled (①..㊿, ❶.., ➀..) and superscript (¹²³) markers: the lexicon's alphabets.
_CIRCLED_CLASS = CIRCLED_MARKER_CLASS
_SUP_CLASS = SUPERSCRIPT_DIGITS

_MAX_RANGE = 50  # [1-2000] is not a citation range


@dataclass(frozen=True, slots=True)
class MarkerHit:
    """An in-text note reference.

    ``style`` is one of ``circled``, ``bracket``, ``superscript``, ``caret``,
    ``zhu`` (``（注1）``) or ``markdown`` (``[^1]``); ``key`` is
    :func:`marker_key` of ``marker``.
    """

    start: int
    end: int
    marker: str
    style: str
    key: str

    @property
    def rule_id(self) -> str:
        return RULE_PREFIX + self.style


@dataclass(frozen=True, slots=True)
class RefEntry:
    """One entry of a reference section; ``text[start:end]`` is the entry without its number."""

    marker: str | None
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class ReferenceSection:
    """A trailing section of references/notes/sources.

    ``start``/``end`` cover the heading and all entries, so the pipeline can
    cut ``text[start:end]`` out of the body.  ``numbered`` is True when the
    entries carry numbers (endnotes that ``[1]`` markers link to).
    """

    start: int
    end: int
    heading: str
    entries: tuple[RefEntry, ...]

    @property
    def numbered(self) -> bool:
        return any(e.marker is not None for e in self.entries)


# ---------------------------------------------------------------- keys


def marker_key(marker: str) -> str:
    """Canonical key: ``①``, ``1``, ``¹``, ``[1]``, ``^1``, ``[^1]``, ``（注1）`` all give ``"1"``.

    Non-numeric Markdown labels (``[^note]``) give the lower-cased label, so a
    body marked ``note`` pairs with ``[^note]``.
    """
    m = marker.strip()
    if len(m) == 1 and m in CIRCLED_MARKERS:
        return str(marker_number(m))
    if m and all(ch in SUPERSCRIPT_DIGITS for ch in m):
        return str(int("".join(str(SUPERSCRIPT_DIGITS.index(ch)) for ch in m)))
    inner = re.sub(r"^[\[\(（【]?\^?\s*", "", m)
    inner = re.sub(r"[\]\)）】.、:：]*$", "", inner).strip()
    inner = re.sub(r"^(?:注释?|note|n\.)\s*(?=\d|[" + _CIRCLED_CLASS + "])", "", inner, flags=re.IGNORECASE)
    if len(inner) == 1 and inner in CIRCLED_MARKERS:
        return str(marker_number(inner))
    if inner.isdigit():
        return str(int(inner))
    return inner.lower()


# ---------------------------------------------------------------- finding markers

_RE_MARKDOWN = re.compile(r"\[\^([^\]\s]+)\](?![:：])")
# Full-width ［1］ too: a raw text (before width folding) is searched when a notes section is cut out.
_RE_BRACKET = re.compile(r"[\[［](\d{1,3}(?:\s*[,，、\-–—~～]\s*\d{1,3})*)[\]］]")
_RE_CIRCLED = re.compile(f"[{_CIRCLED_CLASS}]")
_RE_SUPER = re.compile(f"[{_SUP_CLASS}]+")
_RE_CARET = re.compile(r"\^(\d{1,3})(?!\d)")
_RE_ZHU = re.compile(rf"[（(]\s*注释?\s*(\d{{1,3}}|[{_CIRCLED_CLASS}])\s*[）)]")
_RE_NUMBER = re.compile(r"\d{1,3}")
_UNIT_BEFORE_SUP = re.compile(r"(?:\b(?:[kcmdμnµ]?m|ft|in|mi|km|s|cm|mm|sq)|[0-9)\]]|\(\s*[A-Za-z_]\w{0,12})$",
                              re.IGNORECASE)  # m², 10³, O(n²)
_ENUM_OPENERS = "：:；;，,、（(【[「"
_SENTENCE_ENDS = "。.!！?？"


def _at_line_start(text: str, pos: int) -> bool:
    """True when only spaces/tabs separate ``pos`` from the previous newline (or text start)."""
    line_start = text.rfind("\n", 0, pos) + 1
    return not text[line_start:pos].strip(" \t\u3000>*-")


def _rule_markdown(text: str) -> list[MarkerHit]:
    return [MarkerHit(m.start(), m.end(), m.group(0), "markdown", marker_key(m.group(1))) for m in _RE_MARKDOWN.finditer(text)]


def _bracket_is_marker(text: str, m: re.Match[str]) -> bool:
    """Reject reference-list prefixes, Markdown links/definitions and reference-style links."""
    if _at_line_start(text, m.start()):
        return False
    after = text[m.end() : m.end() + 2]
    before = text[m.start() - 1 : m.start()]
    if after.startswith("(") and after != "(#":
        return False  # a Markdown link [1](url); [1](#fn1) is a footnote reference
    if _is_value(text, m.start()):
        return False
    if before in ("]", "］"):  # [text][1] is a reference-style link; [1][2] two markers side by side
        return not after.startswith(":") and bool(re.search(r"[\[［][\d\s,，、\-–]+[\]］]$", text[max(0, m.start() - 12):m.start()]))
    return not after.startswith(":")


#: What a bracketed list of numbers that is a value follows: 设置为 [1, 4, 10], 区间为 [0, 255], x = [1].
_VALUE_BEFORE = re.compile(r"[=:：为是]\s*$")


#: Words that put an interval or a list of settings before a bracket: "in the range [0, 1]", "k in [4, 6, 8]".
_INTERVAL_BEFORE = re.compile(r"(?:\brange|\branging|\bwithin|\bbetween|\binterval|\bscale|\bvalues?|"
                              r"\bset\s+(?:the\s+)?(?:\S+\s+)?to|"
                              r"\b(?:[a-z]|\w+_\w*)\s+in|区间|范围|取值)\s*(?:of\s*)?$", re.IGNORECASE)


def _is_value(text: str, pos: int) -> bool:
    """A bracket at ``pos`` that is data, not a citation: after 为/=/: or a range word, a list holding 0 or a
    number past 300 (no note is numbered so), or inside another bracket ([[0], [1]] in code-like prose)."""
    line = text[text.rfind("\n", 0, pos) + 1 : pos]
    if _VALUE_BEFORE.search(line[-12:]) or _INTERVAL_BEFORE.search(line[-48:]):
        return True
    group = _RE_BRACKET.match(text, pos)
    if group and any(int(n) == 0 or int(n) > 300 for n in _RE_NUMBER.findall(group.group(1))):
        return True
    return line.count("[") + line.count("［") > line.count("]") + line.count("］")  # [[0], [1]]: nested


def _expand_bracket(m: re.Match[str]) -> list[MarkerHit]:
    """One hit per number; a range's implied numbers get the range's span."""
    hits: list[MarkerHit] = []
    body, base = m.group(1), m.start(1)
    nums = list(_RE_NUMBER.finditer(body))
    i = 0
    while i < len(nums):
        cur = nums[i]
        sep = body[cur.end() : nums[i + 1].start()] if i + 1 < len(nums) else ""
        if sep.strip() and sep.strip()[0] in "-–—~～":
            nxt = nums[i + 1]
            lo, hi = int(cur.group()), int(nxt.group())
            if lo < hi and hi - lo <= _MAX_RANGE:
                for n in range(lo, hi + 1):
                    own = cur if n == lo else nxt if n == hi else None
                    s, e = (base + own.start(), base + own.end()) if own else (base + cur.start(), base + nxt.end())
                    hits.append(MarkerHit(s, e, str(n), "bracket", str(n)))
                i += 2
                continue
        hits.append(MarkerHit(base + cur.start(), base + cur.end(), cur.group(), "bracket", str(int(cur.group()))))
        i += 1
    return hits


def _rule_bracket(text: str) -> list[MarkerHit]:
    hits: list[MarkerHit] = []
    for m in _RE_BRACKET.finditer(text):
        if _bracket_is_marker(text, m):
            hits.extend(_expand_bracket(m))
    return hits


def _circled_is_enumerator(text: str, pos: int) -> bool:
    """A circled digit that opens a list item rather than closing an annotated phrase.

    Line-initial, or after ``：；，、(`` and followed by text, is an enumerator.
    After a full stop it is an enumerator only when its successor (② after ①)
    follows within the same paragraph; otherwise it is a note placed after
    the stop (``…阶段。①``).
    """
    if _at_line_start(text, pos):
        return True
    before = text[pos - 1]
    after = text[pos + 1 : pos + 2]
    if not after or after.isspace() or after in _SENTENCE_ENDS or after in "，,；;：:）)”’」』":
        return False
    if before in _ENUM_OPENERS or before.isspace():
        return True
    if before in _SENTENCE_ENDS:
        successor = next_marker(text[pos])  # "" at a series end (㊿, ⓴): then it cannot be a list
        para_end = text.find("\n\n", pos)
        window = text[pos + 1 : (para_end if para_end != -1 else len(text))][:300]
        return bool(successor) and successor in window
    return False


def _rule_circled(text: str) -> list[MarkerHit]:
    return [
        MarkerHit(m.start(), m.end(), m.group(), "circled", marker_key(m.group()))
        for m in _RE_CIRCLED.finditer(text)
        if not _circled_is_enumerator(text, m.start())
    ]


def _rule_superscript(text: str) -> list[MarkerHit]:
    """Superscript digits, except exponents (``10³``, ``m²``) and line-initial ones."""
    hits = []
    for m in _RE_SUPER.finditer(text):
        if m.start() == 0 or _at_line_start(text, m.start()):
            continue
        if _UNIT_BEFORE_SUP.search(text[max(0, m.start() - 4) : m.start()]):
            continue
        hits.append(MarkerHit(m.start(), m.end(), m.group(), "superscript", marker_key(m.group())))
    return hits


def _rule_caret(text: str) -> list[MarkerHit]:
    """``word^1``: not after a digit or bracket (``10^3``, ``(x+1)^2`` are powers)."""
    hits = []
    for m in _RE_CARET.finditer(text):
        before = text[m.start() - 1 : m.start()]
        if not before or before.isspace() or before.isdigit() or before in ")][":
            continue
        token = re.search(r"\S*$", text[max(0, m.start() - 30) : m.start()]).group()  # type: ignore[union-attr]
        if any(ch in token for ch in "_(=*/+"):
            continue  # O(seq_len^2), x_i^2: an exponent in a formula, not a note
        hits.append(MarkerHit(m.start(), m.end(), m.group(), "caret", marker_key(m.group(1))))
    return hits


def _rule_zhu(text: str) -> list[MarkerHit]:
    return [MarkerHit(m.start(), m.end(), m.group(), "zhu", marker_key(m.group(1))) for m in _RE_ZHU.finditer(text)]


# Earlier rules win where spans overlap: ``[^1]`` before ``[1]``, ``（注①）`` before ``①``.
_RULES = (_rule_markdown, _rule_zhu, _rule_bracket, _rule_circled, _rule_superscript, _rule_caret)


def find_markers(text: str) -> list[MarkerHit]:
    """All note references in ``text``, in text order.

    Does not fire on ``[J]``/``[EB/OL]`` (not digits), ``[2020]`` (4 digits),
    a ``[2]`` that starts a line (a reference-list entry), Markdown links
    ``[1](url)`` (but ``[1](#fn1)`` is a reference) and definitions ``[1]:``,
    exponents, or enumerations ``①…；②…``.
    """
    hits: list[MarkerHit] = []
    for rule in _RULES:
        taken = [(h.start, h.end) for h in hits]
        hits.extend(h for h in rule(text) if not any(s < h.end and h.start < e for s, e in taken))
    hits.sort(key=lambda h: (h.start, int(h.key) if h.key.isdigit() else 0))
    return hits


# ---------------------------------------------------------------- reference sections

_HEADINGS = REFERENCE_HEADINGS | NOTES_HEADINGS
# A 说明 line mid-document titles a paragraph; only a trailing 说明 section holds notes.
_TRAILING_ONLY_HEADINGS = {"说明"}
# Sections that end a reference list (a blog's related-reading list is not a source list).
_STOP_HEADINGS = {
    "相关阅读", "延伸阅读", "推荐阅读", "附录", "致谢", "作者简介", "关于作者", "相关文章",
    "appendix", "acknowledgements", "acknowledgments", "about the author", "related", "related reading",
    "further reading", "see also",
}
_RE_BULLET = re.compile(r"^\s*[-*+•·]\s+")
_RE_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_RE_LABEL_LINE = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*([^*_#\n]{1,30}?)\s*(?:\*\*|__)?\s*[:：]?\s*(?:\*\*|__)?\s*$")


def _heading_label(line: str) -> str | None:
    """The label of a heading-like line (``## References``, ``**来源**:``, ``注 释``), lower-cased."""
    line = re.sub(r"^\s*[\[【〔［]\s*([^\]】〕］]{1,20}?)\s*[\]】〕］]", r"\1", line)
    line = re.sub(r"\s*[（(](?:references|bibliography|notes)[）)]\s*([:：]?)\s*$", r"\1", line, flags=re.IGNORECASE)
    m = _RE_LABEL_LINE.match(line)
    if not m:
        return None
    label = re.sub(r"[\s\u3000]+", " ", m.group(1)).strip().lower()
    return label.replace(" ", "") if re.fullmatch(rf"[{HAN} ]+", label) else label


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, end excluding the newline."""
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _is_section_end(line: str) -> bool:
    if _RE_RULE.match(line) or re.match(r"^\s*#{1,6}\s", line):
        return True
    label = _heading_label(line)
    return label is not None and (label in _STOP_HEADINGS or label in _HEADINGS)


@dataclass(frozen=True, slots=True)
class _EntryNumber:
    marker: str  # as printed, without brackets: "12", "１２", "⑫"
    value: int
    bracketed: bool  # [12], ［12］ or ⑫: never the start of a wrapped line
    content: int  # offset in the line where the entry's text starts


def _entry_number(line: str) -> _EntryNumber | None:
    """The :data:`~extractors.lexicon.LIST_ENTRY_NUMBER` opening ``line``, when text follows it."""
    m = LIST_ENTRY_NUMBER.match(line)
    if not m or m.end() >= len(line.rstrip()):
        return None
    if m.group("circled"):
        return _EntryNumber(m.group("circled"), marker_number(m.group("circled")) or 0, True, m.end())
    digits = m.group("bracket") or m.group("number") or m.group("paren")
    return _EntryNumber(digits, int(digits), m.group("bracket") is not None, m.end())


def _next_entry(line: str, last: int | None, bracketed: bool) -> _EntryNumber | None:
    """The entry number opening ``line`` if it starts a new entry after entry ``last``.

    Entries split on their numbers, so a line that wraps inside an entry and
    happens to start with ``2):`` or ``12.`` must not split it: after the first
    entry a bare or parenthesised number counts only as the next in sequence,
    and never in a list numbered in brackets (``［1］三个一批：`` explained by
    items ``1. 签约一批`` ``2. 开工一批``).  Bracketed and circled numbers never
    open a wrapped line.
    """
    found = _entry_number(line)
    if found is None or last is None or found.bracketed:
        return found
    return found if found.value == last + 1 and not bracketed else None


def _collect_entries(text: str, lines: list[tuple[int, int]]) -> tuple[list[RefEntry], int]:
    """Entries from the lines after a heading, and the end offset of the last one.

    In a numbered list a line without the next number continues the entry
    above (an entry wrapped over lines, a glossary term's explanation on the
    next line); after a blank line it does so only if that entry did not end
    its sentence.
    """
    entries: list[RefEntry] = []
    last: int | None = None  # number of the last numbered entry
    bracketed = False  # the list numbers its entries [1] / ［1］ / ①
    blank_before = False
    for s, e in lines:
        line = text[s:e]
        if not line.strip():
            blank_before = True
            continue
        if _is_section_end(line):
            break
        number = _next_entry(line, last, bracketed)
        continues = entries and number is None and last is not None and not _RE_BULLET.match(line)
        if continues and blank_before and entries[-1].text.rstrip()[-1:] in "。.．)）":
            break
        if continues:
            prev = entries.pop()
            cs, ce = prev.start, e - len(line) + len(line.rstrip())
            prev = RefEntry(prev.marker, cs, ce, text[cs:ce])
        else:
            bullet = _RE_BULLET.match(line)
            content = number.content if number else (bullet.end() if bullet else len(line) - len(line.lstrip()))
            cs, ce = s + content, s + len(line.rstrip())
            prev = RefEntry(number.marker if number else None, cs, ce, text[cs:ce])
            last = number.value if number else last
            bracketed = number.bracketed if number else bracketed
        split = _split_run_on(text, prev.marker, cs, ce, last) if bracketed and last is not None else [prev]
        entries += split
        last = int(split[-1].marker) if len(split) > 1 else last
        blank_before = False
    return entries, (entries[-1].end if entries else -1)


def _split_run_on(text: str, marker: str | None, start: int, end: int, last: int) -> list[RefEntry]:
    """Split an entry where the next bracketed numbers (``［2］``, ``[3]``) follow in the same line.

    A loader that joins soft line breaks (Markdown paragraphs) hands over a
    numbered list as one line: ``［1］一降三减：…。［2］放管服：…``.  Only the
    next number in sequence splits, and only after a blank or a full stop, so
    a citation inside an entry (``见文献[2]``) stays in it.
    """
    out: list[RefEntry] = []
    pos, expected = start, last + 1
    while True:
        m = re.compile(rf"(?<=[\s.。．;；])[\[［][ \t]*{expected}[ \t]*[\]］][ \t]*(?=\S)").search(text, pos, end)
        if m is None:
            break
        cut = len(text[start:m.start()].rstrip()) + start
        out.append(RefEntry(marker, start, cut, text[start:cut]))
        marker, start, pos, expected = str(expected), m.end(), m.end(), expected + 1
    out.append(RefEntry(marker, start, end, text[start:end]))
    return out


_RE_SOURCE_LIKE = re.compile(r"https?://|www\.|\b(?:1[5-9]|20)\d\d\b|《|\[[A-Z](?:/OL)?\]|\]\(")
_RE_SHORT_NAME = re.compile(r"^[^。！？!?\n]{2,160}$")
_RE_INLINE_SOURCES = re.compile(
    rf"^\s*(?:\*\*|__)({SOURCE_CUE}|参考资料|参考文献|references?)(?:\*\*|__)\s*[:：]\s*(\S.*)$", re.IGNORECASE
)
_RE_MD_LINK = re.compile(r"\[[^\]\n]+\]\([^)\s]+\)")


def _plausible(label: str, entries: list[RefEntry]) -> bool:
    """Notes headings need numbered entries; un-numbered entries must look like sources.

    A rendered blog post keeps only the anchor text of its source links
    (``Hugging Face Blog: The Future of…``), so a short line without sentence
    punctuation also counts as a source under a sources heading.
    """
    if any(e.marker is not None for e in entries):
        return True
    if label in NOTES_HEADINGS:
        return False
    return all(_RE_SOURCE_LIKE.search(e.text) or _RE_SHORT_NAME.match(e.text) for e in entries)


def _inline_section(text: str, s: int, e: int) -> ReferenceSection | None:
    """``**来源**: [A](u), [B](v)`` on one line: one entry per link, or the remainder as one entry."""
    m = _RE_INLINE_SOURCES.match(text[s:e])
    if not m:
        return None
    base = s + m.start(2)
    links = list(_RE_MD_LINK.finditer(m.group(2)))
    spans = [(base + x.start(), base + x.end()) for x in links] or [(base, s + len(text[s:e].rstrip()))]
    entries = tuple(RefEntry(None, a, b, text[a:b]) for a, b in spans)
    return ReferenceSection(s, entries[-1].end, text[s:base].strip(), entries)


def _headed_section(text: str, lines: list[tuple[int, int]]) -> ReferenceSection | None:
    """The last section under a references/notes/sources heading (or an inline ``**来源**:`` line)."""
    for i in range(len(lines) - 1, -1, -1):
        s, e = lines[i]
        inline = _inline_section(text, s, e)
        if inline is not None:
            return inline
        label = _heading_label(text[s:e])
        if label not in _HEADINGS:
            continue
        entries, end = _collect_entries(text, lines[i + 1 :])
        if not entries or not _plausible(label, entries):
            continue
        if label in _TRAILING_ONLY_HEADINGS and text[end:].strip():
            continue
        logger.debug("reference section %r at %s with %s entries", label, s, len(entries))
        return ReferenceSection(s, end, text[s:e].strip(), tuple(entries))
    return None


def _trailing_glossary(text: str, lines: list[tuple[int, int]]) -> ReferenceSection | None:
    """Glossary notes closing a text without a heading: ``［1］一降三减：`` then its explanation.

    Accepted only when the entries, numbered in brackets, run 1, 2, 3… to the
    end of the text, each opens with a :data:`~extractors.lexicon.GLOSSARY_TERM`, and the text above
    cites at least one of them (``“一降三减”［1］``): a numbered list of the
    body itself is never cited that way.
    """
    for i in range(len(lines) - 1, -1, -1):
        s, e = lines[i]
        number = _entry_number(text[s:e])
        if number is None or number.value != 1 or not GLOSSARY_TERM.match(text[s + number.content : e]):
            continue
        if not number.bracketed:
            return None  # ``1. 重点任务：…`` closing the body is a list of its own, not notes
        entries, end = _collect_entries(text, lines[i:])
        keys = [marker_key(x.marker) if x.marker else "" for x in entries]
        if text[end:].strip() or keys != [str(k) for k in range(1, len(entries) + 1)]:
            return None
        if not all(GLOSSARY_TERM.match(x.text) for x in entries):
            return None
        if not set(keys) & {h.key for h in find_markers(text[:s])}:
            return None
        logger.debug("trailing glossary at %s with %s entries", s, len(entries))
        return ReferenceSection(s, end, "", tuple(entries))
    return None


def find_reference_section(text: str) -> ReferenceSection | None:
    """The last reference/notes/sources section of ``text`` with its entries, or None if there is none.

    "None" is the normal answer for most blog posts; it is not an error.  A
    heading with nothing source-like under it is ignored (a ``注`` paragraph
    title, a ``Notes`` heading over prose).  Glossary notes that close the
    text without a heading (``［1］一降三减：``) are a notes section too; the
    section's ``heading`` is then ``""``.
    """
    lines = _lines(text)
    headed = _headed_section(text, lines)
    glossary = _trailing_glossary(text, lines)
    if glossary is not None and (headed is None or glossary.start >= headed.end):
        return glossary
    return headed


# ---------------------------------------------------------------- linking

Ref = tuple[str, int]  # (marker, page index)


def _index_notes(notes: Sequence[Ref]) -> dict[tuple[str, int], list[int]]:
    by_key_page: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, (marker, page) in enumerate(notes):
        by_key_page[(marker_key(marker), page)].append(i)
    return by_key_page


def _referenced_keys(refs: Sequence[Ref]) -> set[tuple[str, int]]:
    return {(marker_key(m), p) for m, p in refs}


def _link_per_page(refs: Sequence[Ref], notes: Sequence[Ref]) -> list[int | None]:
    """Same page and key; the n-th ref of a key takes the n-th note of that key (clamped).

    A ref without a same-page note may take an orphan note of the same key on
    the next page (the body was pushed over the page break); nothing else.
    """
    index = _index_notes(notes)
    cited = _referenced_keys(refs)
    seen: dict[tuple[str, int], int] = defaultdict(int)
    out: list[int | None] = []
    for marker, page in refs:
        key = (marker_key(marker), page)
        cands = index.get(key)
        if cands:
            out.append(cands[min(seen[key], len(cands) - 1)])
            seen[key] += 1
            continue
        nxt = (key[0], page + 1)
        out.append(index[nxt][0] if nxt in index and nxt not in cited else None)
    return out


def _link_continuous(refs: Sequence[Ref], notes: Sequence[Ref]) -> list[int | None]:
    """Same key; with duplicate keys, the first note on or after the ref's page, else the last before."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, (marker, _) in enumerate(notes):
        by_key[marker_key(marker)].append(i)
    out: list[int | None] = []
    for marker, page in refs:
        cands = by_key.get(marker_key(marker), [])
        after = [i for i in cands if notes[i][1] >= page]
        out.append(after[0] if after else (cands[-1] if cands else None))
    return out


def link_markers(refs: Sequence[Ref], notes: Sequence[Ref], *, per_page: bool) -> list[int | None]:
    """For each ``(marker, page)`` ref, the index into ``notes`` of its body, or None (dangling)."""
    linked = _link_per_page(refs, notes) if per_page else _link_continuous(refs, notes)
    dangling = sum(1 for x in linked if x is None)
    if dangling:
        logger.debug("%s of %s note references are dangling", dangling, len(refs))
    return linked


def unreferenced_notes(refs: Sequence[Ref], notes: Sequence[Ref], *, per_page: bool) -> list[int]:
    """Indexes of note bodies that no reference links to."""
    used = {i for i in link_markers(refs, notes, per_page=per_page) if i is not None}
    return [i for i in range(len(notes)) if i not in used]


def numbering_restarts_per_page(notes: Sequence[Ref]) -> bool:
    """True when note numbers restart on each page (the same key on two pages, or every page starting at 1)."""
    pages: dict[int, list[str]] = defaultdict(list)
    for marker, page in notes:
        pages[page].append(marker_key(marker))
    key_pages: dict[str, set[int]] = defaultdict(set)
    for page, keys in pages.items():
        for k in keys:
            key_pages[k].add(page)
    if any(len(p) > 1 for p in key_pages.values()):
        return True
    return len(pages) > 1 and all(keys[0] == "1" for keys in pages.values())
