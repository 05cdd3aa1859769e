"""Text normalization with a per-character map back to the raw source.

Three steps, each a pure function over :class:`MappedText`:

1. **Private-use glyphs** (:func:`map_private_use`): PDF tools emit private-use
   code points for glyphs they could not name.  :data:`PUA_MAP` lists the ones
   we know; a PUA hyphen at a line end is a line-end hyphenation and is removed
   together with the line break.  Unknown PUA characters are kept and reported.
2. **Line re-joining** (:func:`rejoin_lines`): a PDF text layer breaks lines
   inside sentences (and even inserts blank lines mid-sentence).  Lines are
   joined with no space between CJK characters, one space between Latin words,
   English words are de-hyphenated, and real paragraph ends become exactly
   ``"\\n\\n"``.  Headings, captions and list items stay their own block.
   A table caption (``表1　…``, ``Table 1: …``) followed by short cell lines
   opens a *table region* (:func:`table_cells`): a text layer has lost the
   table's geometry, so its cells would otherwise run together into one false
   sentence.  The region becomes one paragraph whose cells are joined with
   :data:`TABLE_CELL_SEPARATOR` (`` | ``, as the PDF loader joins cells).
3. **Width folding** (:func:`fold_width`): full-width ASCII becomes ASCII, but
   Chinese punctuation (``，：；！？（）``) stays full-width unless it sits inside
   an ASCII run (a URL, ``1672-7835(2025)``).  Never blanket NFKC: ①②⑩ and ¹²³
   must survive.

:func:`normalize` runs them in the order PUA -> re-join -> fold (folding after
joining lets a URL broken over two lines be recognised as one URL; every
re-joining decision is taken on a folded view, so the order does not change
them).  Every step changes characters 1:1 or deletes/inserts white space,
hyphens and table cell separators, so ``len(text) == len(origin)`` and
origins stay non-decreasing.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.lexicon import (
    CAPTION,
    CJK,
    FOOTNOTE_MARKER_CLASS,
    MARKDOWN_HEADING_FRAGMENT,
    NUMBERED_HEADING_FRAGMENT,
    SOURCE_OR_NOTE_LINE,
    caption_kind,
    display_width,
    is_cjk,
    is_han,
)
from extractors.textmap import MappedText

logger = logging.getLogger(__name__)

#: Private-use glyphs whose meaning we know.  Seed 004's PDF tool used U+E011
#: for a hyphen (``Long\ue011board``) and U+E10B for an apostrophe (``China\ue10bs``).
PUA_MAP: dict[str, str] = {"\ue011": "-", "\ue10b": "'"}

#: PUA characters that are hyphens: at a line end they mark a hyphenated word.
PUA_HYPHENS = frozenset(k for k, v in PUA_MAP.items() if v == "-")

#: Full-width punctuation that is also Chinese punctuation: kept full-width in
#: Chinese text, folded only inside an ASCII run or a URL.
CJK_PUNCT_FULLWIDTH = frozenset("！（），：；？")

_FINAL = frozenset("。！？!?.…")
_CLOSERS = frozenset("”」』）)’\"'》")
_URL_CHARS = r"A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%"
_URL_RE = re.compile(rf"(?:(?:https?|ftp)://|www\.)[{_URL_CHARS}]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)'"
# A heading: a numbered or Markdown heading, or a section name standing alone.  Caption
# labels and source/note lines (:func:`is_heading`) are short blocks of their own too.
_HEADING_RE = re.compile(
    rf"^(?:{NUMBERED_HEADING_FRAGMENT}|{MARKDOWN_HEADING_FRAGMENT}"
    r"|(?:结语|结论|引言|前言|参考文献|摘\s*要|关键词|Abstract|Keywords|References|Introduction|Conclusions?)\s*(?:[:：]|$)"
    r")",
    re.IGNORECASE,
)
_RULE_RE = re.compile(r"^(?:[-*_]\s*){3,}$")
# After an English table label, what makes a line longer than a heading a caption: ":" or "."
# and a space ("Table 2 shows that…" is running text).
_LONG_CAPTION_TAIL_RE = re.compile(r"\s*[.:]\s")
# Sentence punctuation anywhere in a line; a full stop only before white space or a CJK
# character (not 3.5, and not at the line end: a test that joining the next line
# could undo would make re-normalizing unstable).
_SENTENCE_PUNCT_RE = re.compile(r"[。！？!?]|\.(?=\s|[^\x00-\x7f])")
_CLAUSE_PUNCT_RE = re.compile("[，,；;]")
_LATIN_PROSE_RE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+){3,}")  # four Latin words in a row
# A column gap inside a cell line: a tab, two or more spaces, or a space between two CJK
# characters (Chinese running text has no spaces between characters; seed 004's tool wrote
# one between the cells of a table row: ``１月３０日 亚马逊…``).
_GAP_RE = re.compile(r"\t\s*|\s{2,}|(?<=\S) (?=\S)")
_BULLET_RE = re.compile(r"^(?:[-*+•·●▪–]\s|\d{1,3}[.)]\s|[（(]\d{1,3}[）)]\s)")
_HEADING_MAX = 40  # chars: longer blocks are running text, not headings
_SHORT_BLOCK = 40  # chars: a shorter block followed by a blank line is its own block
_URL_TAIL_MAX = 300  # chars of a block searched for a URL running into the next line
# Decisions look at most at a block's last _URL_TAIL_MAX chars or compare its length with
# 2 * _HEADING_MAX, so rejoin_lines keeps only this tail (linear time on huge paragraphs).
_BLOCK_TAIL = 400
#: Joins the cells of a table region; the claim judge gates lines with two of them as tables.
TABLE_CELL_SEPARATOR = " | "
_TABLE_MIN_CELLS = 3  # fewer cells than this after a caption: not a table (and " | " twice is the table gate)
_RUNNING_MIN_WIDTH = 2 * _HEADING_MAX  # display cells: a line at least this wide may be running text


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalized text (mapped to the raw input) plus what we could not resolve."""

    text: MappedText
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Join:
    """How to join two pieces of running text.

    Contract: drop the last ``drop_last`` characters of the text before (a
    line-end hyphen), then put ``separator`` between the two pieces.
    ``separator`` is ``""`` (a CJK sentence or a broken URL/word continues),
    ``" "`` (Latin words) or ``"\\n\\n"`` (the first piece ended its paragraph).
    """

    drop_last: int
    separator: str


BREAK = Join(0, "\n\n")


# --------------------------------------------------------------------------- characters


# Kangxi radicals (U+2F00-U+2FD5) that PDF fonts emit for ordinary characters (⼤学 for 大学) fold to the
# ideograph NFKC gives, one character for one, so offsets stay 1:1.
_RADICALS = {code: ord(unicodedata.normalize("NFKC", chr(code))) for code in range(0x2F00, 0x2FD6)}
_FOLD_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20} | _RADICALS
_PUA_RE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010fffd]")
_KEEP_RE = re.compile("[" + "".join(sorted(CJK_PUNCT_FULLWIDTH)) + "]")


def fold_char(ch: str) -> str:
    """Context-free fold: full-width ASCII to ASCII, U+3000 to a space, a Kangxi radical to its ideograph."""
    folded = _FOLD_TABLE.get(ord(ch))
    return ch if folded is None else chr(folded)


def fold_all(text: str) -> str:
    """The folded view used for every decision (never returned to callers)."""
    return text.translate(_FOLD_TABLE)


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _is_private_use(ch: str) -> bool:
    code = ord(ch)
    return 0xE000 <= code <= 0xF8FF or 0xF0000 <= code <= 0x10FFFD


# --------------------------------------------------------------------------- step 1: PUA


def map_private_use(mt: MappedText) -> Normalized:
    """Replace known private-use glyphs; a PUA hyphen before a line break joins the word."""
    text = mt.text
    if not _PUA_RE.search(text):
        return Normalized(mt, ())
    chars: list[str] = []
    origin: list[int] = []
    unknown: dict[str, int] = {}
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in PUA_HYPHENS:
            j = i + 1
            while j < len(text) and text[j].isspace():
                j += 1
            if "\n" in text[i + 1 : j] and j < len(text):
                i = j  # line-end hyphenation: drop the hyphen and the line break
                continue
        if ch in PUA_MAP:
            chars.append(PUA_MAP[ch])
        else:
            if _is_private_use(ch):
                unknown.setdefault(ch, mt.origin[i])
            chars.append(ch)
        origin.append(mt.origin[i])
        i += 1
    warnings = tuple(
        f"unknown private-use character U+{ord(ch):04X} kept (first at raw offset {at})"
        for ch, at in unknown.items()
    )
    for w in warnings:
        logger.warning("%s", w)
    return Normalized(MappedText("".join(chars), tuple(origin)), warnings)


# --------------------------------------------------------------------------- step 3: width


def _url_spans(folded: str) -> list[tuple[int, int]]:
    spans = []
    for m in _URL_RE.finditer(folded):
        end = m.end()
        while end > m.start() and folded[end - 1] in _URL_TRAILING:
            if folded[end - 1] == ")" and folded.count("(", m.start(), end) >= folded.count(")", m.start(), end):
                break
            end -= 1
        spans.append((m.start(), end))
    return spans


def _fold_bracket_pairs(text: str, folded: str, fold_here: dict[int, bool]) -> None:
    """Decide matched full-width parentheses together, so ``（H100）`` never becomes ``（H100)``.

    A pair folds when both brackets would fold on their own, or when its
    partner already is an ASCII bracket; otherwise both stay full-width.
    """
    stack: list[int] = []
    for i, ch in enumerate(folded):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            if j not in fold_here and i not in fold_here:
                continue
            fold = fold_here.get(j, True) and fold_here.get(i, True)
            if text[j] == "(" or text[i] == ")":
                fold = True
            for k in (j, i):
                if k in fold_here:
                    fold_here[k] = fold


def fold_width(mt: MappedText) -> MappedText:
    """Fold full-width ASCII 1:1, keeping Chinese punctuation outside ASCII runs.

    Letters, digits and symbols such as ``％．－／＋`` always fold; ``，：；！？（）``
    fold only inside a URL or between two ASCII alphanumerics (after folding),
    so ``１６７２－７８３５（２０２５）`` becomes ``1672-7835(2025)`` while
    ``ＡＩ（人工智能）`` keeps its Chinese parentheses.  Matched parentheses are
    decided as a pair.
    """
    folded = fold_all(mt.text)
    in_url = [False] * len(folded)
    for start, end in _url_spans(folded):
        for k in range(start, end):
            in_url[k] = True
    fold_here: dict[int, bool] = {}
    for m in _KEEP_RE.finditer(mt.text):
        i = m.start()
        before = folded[i - 1] if i else ""
        after = folded[i + 1] if i + 1 < len(folded) else ""
        ascii_run = bool(before) and bool(after) and _is_ascii_alnum(before) and _is_ascii_alnum(after)
        fold_here[i] = in_url[i] or ascii_run
    _fold_bracket_pairs(mt.text, folded, fold_here)
    out = list(folded)
    for i, fold in fold_here.items():
        if not fold:
            out[i] = mt.text[i]
    return MappedText("".join(out), mt.origin)


# --------------------------------------------------------------------------- step 2: lines


def _display_width(line: str) -> int:
    """Width in half-width cells: CJK and full-width characters count twice."""
    return display_width(line)


#: Note markers a sentence may end with after its full stop: ``。[^1]``, ``。[3]``, ``。①``, ``.¹``.
_TRAILING_MARKERS = re.compile(rf"(?:\[\^?[^\]\s]{{1,12}}\]|[{FOOTNOTE_MARKER_CLASS}])+$")


def _ends_final(text: str) -> bool:
    """The text ends a sentence: ``。！？.!?…``, possibly followed by closing quotes/brackets.

    Note markers after the full stop do not hide the end ("…出资。[^1]" followed by a
    list is two paragraphs, not one).
    """
    marked = _TRAILING_MARKERS.search(text)
    if marked and marked.start() > 0:
        text = text[: marked.start()]
    k = len(text)
    while k and text[k - 1] in _CLOSERS:
        k -= 1
    return bool(k) and text[k - 1] in _FINAL


def is_heading(block: str) -> bool:
    """A short numbered/labelled line (``一、…``, ``（一）…``, ``1.…``, ``图1 …``, ``## …``)."""
    if len(block) > 2 * _HEADING_MAX:
        return False
    block = block.strip()
    if not block or len(block) > _HEADING_MAX:
        return False
    if _RULE_RE.match(block):
        return True
    starts_heading = _HEADING_RE.match(block) or CAPTION.match(block) or SOURCE_OR_NOTE_LINE.match(block)
    return bool(starts_heading) and not _ends_final(block)


def _is_list_item(line: str) -> bool:
    return bool(_BULLET_RE.match(line.strip()))


def _cjk_dominant(text: str) -> bool:
    ideo = sum(1 for c in text if is_han(c))
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    return ideo > 0 and ideo * 3 >= latin


def _ends_in_url(text: str) -> bool:
    tail = text[-_URL_TAIL_MAX:]
    if "://" not in tail and "www." not in tail.lower():
        return False
    tail = re.split(rf"[\s{CJK}]", tail)[-1]
    return bool(_URL_RE.search(tail))


def _url_continues(block: str, last_line: str, nxt: str) -> bool:
    """A URL broken by the line width: in CJK text, or cut right at a URL delimiter."""
    b = nxt[0]
    if b.isspace() or not b.isascii() or not _ends_in_url(block):
        return False
    in_cjk_text = any(is_han(c) for c in last_line)
    return in_cjk_text or block[-1] in "/._-=?&#%" or b in "/._-=?&#%"


def _char_join(block: str, last_line: str, nxt: str) -> Join:
    """Join two pieces of one paragraph: hyphenation, CJK (no space) or Latin (space)."""
    a, b = block[-1], nxt[0]
    if _url_continues(block, last_line, nxt):
        return Join(0, "")
    if a == "-" and len(block) > 1 and block[-2].isalpha() and block[-2].isascii():
        word_before = re.split(r"[^A-Za-z\-]", block[-_HEADING_MAX:-1])[-1]
        word_after = re.split(r"[^A-Za-z\-]", nxt)[0]
        if b.islower() and "-" not in word_before and "-" not in word_after:
            return Join(1, "")  # infor-\nmation
        return Join(0, "")  # state-\nof-the-art keeps its hyphen
    if is_cjk(a) or is_cjk(b) or _cjk_dominant(last_line):
        return Join(0, "")
    return Join(0, " ")


def is_table_caption(line: str) -> bool:
    """A table caption (``表1　…``, ``Table 1: …``): a heading whose table, if any, follows it.

    English captions often run past ``_HEADING_MAX``; up to twice that they
    count when the number is followed by ``:`` or ``.``.
    """
    line = line.strip()
    m = CAPTION.match(line)
    if not m or caption_kind(m["kind"]) != "table":
        return False
    if is_heading(line):
        return True
    long_tail = m.end() < len(line) if m["kind"] == "表" else bool(_LONG_CAPTION_TAIL_RE.match(line, m.end()))
    return len(line) <= 2 * _HEADING_MAX and not _ends_final(line) and long_tail


def _cell_edge(ch: str, brackets: str) -> bool:
    return is_cjk(ch) or ch in brackets


def cell_gaps(line: str) -> list[tuple[int, int]]:
    """Column gaps in a (folded, stripped) table line: a tab, 2+ spaces, or one space between CJK characters.

    A closing bracket before the space or an opening one after it counts as
    CJK (``（Ｈ１００） 提供ＡＰＩ``); a single space next to Latin text is a word
    space (``的 ＡＩ产业``), not a gap.
    """
    gaps = []
    for m in _GAP_RE.finditer(line):
        s, e = m.span()
        if e - s == 1 and line[s] == " " and not (_cell_edge(line[s - 1], ")]") and _cell_edge(line[e], "([")):
            continue
        gaps.append((s, e))
    return gaps


def _is_running_text(line: str) -> bool:
    """A wide line with a wide cell and a clause comma or Latin prose: the text after a table.

    Every test here only grows when lines are joined (width, commas, a
    cell's width, a run of words), and the width bound is absolute rather
    than relative to the typical line: a paragraph judged running text
    stays running text when the output is normalized again.  The price: in
    narrow columns the first line after a table is a cell until a sentence
    ends.
    """
    if _display_width(line) < _RUNNING_MIN_WIDTH:
        return False
    edges = [0, *(x for gap in cell_gaps(line) for x in gap), len(line)]
    widest = max(_display_width(line[a:b]) for a, b in zip(edges[::2], edges[1::2]))
    if widest < _HEADING_MAX:
        return False  # a header row: wide only because of its gaps
    return bool(_CLAUSE_PUNCT_RE.search(line) or _LATIN_PROSE_RE.search(line))


def is_cell_line(line: str) -> bool:
    """A line of a table region: no sentence punctuation, not a heading, caption, list item, source note or prose.

    Table cells in a text layer are short phrases (``ＧＰＵ``, ``（超级芯片）``) or
    gap-separated rows (``２月３日 联通云上线…``); the running text that
    resumes after the table ends a sentence or fills the line width.
    """
    line = line.strip()
    return not (
        not line
        or TABLE_CELL_SEPARATOR in line
        or is_heading(line)
        or is_table_caption(line)
        or _is_list_item(line)
        or SOURCE_OR_NOTE_LINE.match(line)
        or _SENTENCE_PUNCT_RE.search(line)
        or _is_running_text(line)
    )


def table_cells(lines: Sequence[str], start: int = 0) -> int:
    """How many of ``lines[start:]`` (folded, stripped; ``start`` follows a table caption) are its cells.

    The region runs until the first line that is not a cell line (running
    text, a heading, the next caption, a ``数据来源`` line); the end of the
    text (a page, in the text-layer path) ends it too.  Returns 0 when the
    region holds fewer than ``_TABLE_MIN_CELLS`` cells (a line's column gaps
    count as cells): then there is no table.
    """
    end = start
    while end < len(lines) and is_cell_line(lines[end]):
        end += 1
    cells = sum(1 + len(cell_gaps(line)) for line in lines[start:end])
    return end - start if cells >= _TABLE_MIN_CELLS else 0


def _split_cells(line: MappedText) -> MappedText:
    """Replace the column gaps of one cell line by :data:`TABLE_CELL_SEPARATOR`, anchored at the gap."""
    gaps = cell_gaps(fold_all(line.text))
    if not gaps:
        return line
    parts: list[MappedText] = []
    pos = 0
    for s, e in gaps:
        parts.append(line[pos:s])
        parts.append(MappedText.inserted(TABLE_CELL_SEPARATOR, line.origin[s]))
        pos = e
    parts.append(line[pos:])
    return MappedText.concat(parts)


def decide_join(block: str, last_line: str, nxt: str, *, blank: bool, full_line: bool) -> Join:
    """Decide how the paragraph so far (``block``) continues with the next line.

    All arguments are folded views with surrounding white space removed.
    ``last_line`` is the block's last physical line; ``blank`` says a blank
    line sat between; ``full_line`` says the last line fills the typical line
    width (so a sentence end there need not end the paragraph).  Decisions on
    a blank-line boundary depend only on ``block`` and the start of ``nxt``,
    which makes :func:`rejoin_lines` idempotent.
    """
    if not block or not nxt:
        return BREAK
    if is_heading(block) or is_heading(nxt) or _is_list_item(nxt) or SOURCE_OR_NOTE_LINE.match(nxt):
        return BREAK  # a source line starts its own block even when it is too long for a heading
    if is_table_caption(block) or is_table_caption(nxt):
        return BREAK
    if _ends_final(block):
        if blank or not full_line:
            return BREAK
        return _char_join(block, last_line, nxt)
    if blank:
        if _cjk_dominant(block[-_HEADING_MAX:]) and len(block) > _SHORT_BLOCK and (is_cjk(nxt[0]) or nxt[0].isalnum()):
            return _char_join(block, last_line, nxt)
        return BREAK
    return _char_join(block, last_line, nxt)


def join_separator(before: str, after: str) -> Join:
    """How to join one page's body to the next page's body.

    Returns a :class:`Join`: the caller drops ``drop_last`` trailing characters
    of ``before`` (a line-end hyphen) and inserts ``separator``.  A page break
    is treated as a line break: a CJK sentence continues with ``""``, Latin
    words with ``" "``, and a page whose text ended its sentence gets ``"\\n\\n"``.
    """
    b = fold_all(before).strip()
    a = fold_all(after).strip()
    if not b or not a:
        return Join(0, "")
    last_line = b.rsplit("\n", 1)[-1].strip()
    block = b.rsplit("\n\n", 1)[-1].strip()
    if TABLE_CELL_SEPARATOR in last_line:
        return BREAK  # a page ends with a table row: the next page's text is not one of its cells
    return decide_join(block, last_line, a.split("\n", 1)[0].strip(), blank=False, full_line=False)


def _typical_width(lines: list[str]) -> int:
    widths = sorted(_display_width(line) for line in lines if line)
    if not widths:
        return 0
    return widths[(len(widths) * 3) // 4]


def _stripped_lines(mt: MappedText) -> list[tuple[MappedText, int, int]]:
    """Non-blank lines, stripped, with the count of blank lines before each and the newline offset before."""
    out: list[tuple[MappedText, int, int]] = []
    blanks = 0
    start = 0
    text = mt.text
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        line = mt[start:end].strip()
        if line.text:
            out.append((line, blanks, start - 1))
            blanks = 0
        else:
            blanks += 1
        start = end + 1
    return out


def rejoin_lines(mt: MappedText) -> MappedText:
    """Re-join lines broken inside paragraphs; paragraphs end up separated by ``"\\n\\n"``.

    After a paragraph that is a table caption, the cell lines that follow
    (:func:`table_cells`) become one paragraph joined by :data:`TABLE_CELL_SEPARATOR`;
    a paragraph holding two separators (a table) ends at a blank line.  Both
    are decided on the paragraph built so far, which is what a second pass
    sees as one line, so normalizing again changes nothing.
    """
    lines = _stripped_lines(mt)
    if not lines:
        return MappedText.empty()
    all_folded = [fold_all(line.text) for line, _, _ in lines]
    typical = _typical_width(all_folded)
    texts: list[str] = []
    origin: list[int] = []
    block = ""  # folded view of the current paragraph's last _BLOCK_TAIL characters
    block_cells = 0  # table cell separators in the current paragraph
    last_line = ""
    table_from = table_to = 0  # lines [table_from, table_to) are cells of a table region
    for k, (line, blanks, newline_at) in enumerate(lines):
        folded = all_folded[k]
        join: Join | None = None
        joint = block[-2:]  # a separator may straddle the join: count it on the joined text
        if texts:
            full = _ends_final(block) and _display_width(last_line) >= typical * 0.9
            if table_from < k < table_to:
                join = Join(0, TABLE_CELL_SEPARATOR)
            elif k == table_to or (blanks and block_cells >= 2):
                join = BREAK  # a table region is its own block
            else:
                join = decide_join(block, last_line, folded, blank=blanks > 0, full_line=full)
            if join.separator == "\n\n" and k >= table_to and is_table_caption(block):
                table_from, table_to = k, k + table_cells(all_folded, k)
        if table_from <= k < table_to:
            line = _split_cells(line)
            folded = fold_all(line.text)
        if join is not None:
            if join.drop_last:
                del texts[-join.drop_last :]
                del origin[-join.drop_last :]
                block = block[: -join.drop_last]
            at = mt.origin[newline_at] if newline_at >= 0 else line.origin[0]
            if origin:
                at = max(at, origin[-1])
            texts.extend(join.separator)
            origin.extend([at] * len(join.separator))
            if join.separator == "\n\n":
                block, block_cells, joint = "", 0, ""
            else:
                block += join.separator
                joint = joint[: len(joint) - join.drop_last] + join.separator
        texts.extend(line.text)
        origin.extend(line.origin)
        block = (block + folded)[-_BLOCK_TAIL:]
        block_cells += (joint + folded).count(TABLE_CELL_SEPARATOR) - joint.count(TABLE_CELL_SEPARATOR)
        last_line = folded
    return MappedText("".join(texts), tuple(origin))


# --------------------------------------------------------------------------- pipeline


def normalize(mt: MappedText) -> Normalized:
    """PUA mapping, line re-joining and width folding, keeping the raw map."""
    mapped = map_private_use(mt)
    text = fold_width(rejoin_lines(mapped.text))
    return Normalized(text, mapped.warnings)


def normalize_text(s: str) -> Normalized:
    """:func:`normalize` for a plain string whose raw offsets start at 0."""
    return normalize(MappedText.from_raw(s))
