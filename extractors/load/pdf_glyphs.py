"""Glyphs and text lines: pure functions over pdfplumber char dicts.

pdfplumber gives one dict per glyph (text, size, fontname, x0/x1/top/bottom).
Everything the layout analysis needs is derived here from those values only,
so it can be tested without a PDF (pdfplumber's own ``utils.extract_words``
pattern).  Glyphs are grouped into lines by *vertical overlap* rather than by
equal ``top``: a Latin glyph in a CJK line sits ~1 pt lower, and a raised
footnote marker starts above its line, yet both belong to it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from extractors.lexicon import SUPERSCRIPT_DIGITS, is_cjk
from extractors.text.normalize import PUA_HYPHENS
from extractors.textmap import MappedText

_STRONG_FONT = re.compile(r"bold|black|heavy|semibold|demi|hei|gothic", re.IGNORECASE)
_SUPERSCRIPT = str.maketrans("0123456789０１２３４５６７８９", SUPERSCRIPT_DIGITS * 2)
#: A raised glyph is at most this fraction of its line's main font size.
RAISED_SIZE_RATIO = 0.8
#: ...and its bottom sits at least this fraction of the main size above the line's bottom.
RAISED_LIFT_RATIO = 0.2
#: A gap wider than this fraction of the font size between two Latin glyphs is a lost space.
SPACE_GAP_RATIO = 0.25


@dataclass(slots=True)
class Glyph:
    """One glyph of a page.

    Mutable on purpose: ``raw`` (its offset in the document's raw text) and
    ``raised`` are only known after reading order and lines are settled.
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    raw: int = -1
    raised: bool = False

    @property
    def strong(self) -> bool:
        """Bold or a heading face (CJK headings are set in Hei, body in Song/Ming)."""
        return bool(_STRONG_FONT.search(self.font))


@dataclass(slots=True)
class Line:
    """Glyphs sharing a baseline band, left to right, with their main font size."""

    glyphs: list[Glyph]
    size: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    raw_text: str = ""
    kind: str = "body"  # body | header | footer | note | table
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.raw_text


def glyphs_from_chars(chars: Iterable[dict]) -> list[Glyph]:
    """Convert pdfplumber char dicts, dropping the subset prefix of font names."""
    return [Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"], font_name(c.get("fontname") or ""))
            for c in chars]


def font_name(font: str) -> str:
    """The font name without its subset prefix (``ABCDEF+SimSun`` -> ``SimSun``)."""
    return font[7:] if len(font) > 7 and font[6] == "+" else font


def group_lines(glyphs: Sequence[Glyph]) -> list[Line]:
    """Group glyphs into lines by vertical overlap with each line's main glyphs.

    A glyph joins a recent line when it overlaps that line's *core* band (the
    extent of its largest glyphs) by half its own height; a bigger glyph
    resets the core, so a raised marker seen first does not anchor the line.
    """
    open_lines: list[list] = []  # [core_top, core_bottom, core_size, glyphs]
    for g in sorted(glyphs, key=lambda g: (g.top, g.x0)):
        top, bottom = g.top, g.bottom
        height = max(bottom - top, 0.1)
        target = None
        for i in range(len(open_lines) - 1, max(len(open_lines) - 7, -1), -1):  # the six most recent lines
            entry = open_lines[i]
            overlap = min(bottom, entry[1]) - max(top, entry[0])
            if overlap >= 0.5 * min(height, max(entry[1] - entry[0], 0.1)):
                target = entry
                break
        if target is None:
            open_lines.append([g.top, g.bottom, g.size, [g]])
            continue
        target[3].append(g)
        if g.size > target[2] + 0.2:
            target[0], target[1], target[2] = g.top, g.bottom, g.size
        elif abs(g.size - target[2]) <= 0.2:
            target[0], target[1] = min(target[0], g.top), max(target[1], g.bottom)
    lines = [make_line(entry[3]) for entry in open_lines]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def make_line(glyphs: list[Glyph]) -> Line:
    """Freeze a glyph group into a Line: x order, main size, raised glyphs marked.

    A glyph printed twice at the same spot (fake bold by overprinting) is kept once.
    """
    glyphs.sort(key=lambda g: g.x0)
    glyphs[:] = [
        g for i, g in enumerate(glyphs)
        if not (i and g.text == glyphs[i - 1].text and abs(g.x0 - glyphs[i - 1].x0) < 0.3 * g.size * 0.5
                and abs(g.top - glyphs[i - 1].top) < 0.5)
    ]
    size = _main_size(glyphs)
    main = [g for g in glyphs if abs(g.size - size) <= 0.2]
    base = _median(sorted(g.bottom for g in main))
    small, lift = RAISED_SIZE_RATIO * size, base - RAISED_LIFT_RATIO * size
    for g in glyphs:
        g.raised = g.size <= small and g.bottom < lift
    return Line(
        glyphs=glyphs,
        size=size,
        top=min(g.top for g in main),
        bottom=max(g.bottom for g in main),
        x0=glyphs[0].x0,
        x1=max(g.x1 for g in glyphs),
        raw_text="".join(g.text for g in glyphs),
    )


def _median(ordered: Sequence[float]) -> float:
    """``statistics.median`` of an already sorted sequence (same value, without its generic overhead)."""
    n = len(ordered)
    if n % 2:
        return ordered[n // 2]
    return (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def _main_size(glyphs: Sequence[Glyph]) -> float:
    """The font size carrying most visible glyphs (ties go to the larger size)."""
    counts: dict[float, int] = {}
    for g in glyphs:
        if not g.text.isspace():
            key = round(g.size, 1)
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return round(glyphs[0].size, 1)
    return max(counts, key=lambda s: (counts[s], s))


def _fullwidth_alnum(ch: str) -> bool:
    """``Ａ``..``ｚ``, ``０``..``９``: Latin letters and digits in full-width forms."""
    return ch.isalnum() and unicodedata.east_asian_width(ch) == "F"


def is_latin_word_char(ch: str) -> bool:
    """Letters and digits that English words are made of, half- or full-width."""
    return ch.isascii() and ch.isalnum() or _fullwidth_alnum(ch) or (ch.isalpha() and not is_cjk(ch))


def lost_space(left: Glyph, right: Glyph) -> bool:
    """A space the PDF does not encode: a visible gap between two Latin glyphs."""
    if not (left.text and right.text) or left.text[-1].isspace() or right.text[0].isspace():
        return False
    if not (is_latin_word_char(left.text[-1]) or left.text[-1] in ",.;:)!?%"):
        return False
    if not is_latin_word_char(right.text[0]) or right.raised or left.raised:
        return False
    return right.x0 - left.x1 > SPACE_GAP_RATIO * min(left.size, right.size)


def render(glyphs: Sequence[Glyph], *, superscripts: bool = True) -> MappedText:
    """Mapped text of glyphs already in reading order, with lost spaces restored.

    Raised digits become Unicode superscripts (``43%¹`` never reads as 43%1);
    their origin still points at the raw digit.  Inserted spaces are anchored
    at the raw offset of the glyph that follows them.
    """
    texts: list[str] = []
    origin: list[int] = []
    prev: Glyph | None = None
    for g in glyphs:
        if prev is not None and g.x0 >= prev.x1 - 0.5 and lost_space(prev, g):
            texts.append(" ")
            origin.append(g.raw)
        text = g.text.translate(_SUPERSCRIPT) if superscripts and g.raised else g.text
        texts.append(text)
        if len(text) == len(g.text):
            origin.extend(range(g.raw, g.raw + len(text)))
        else:
            origin.extend([g.raw] * len(text))
        prev = g
    return MappedText("".join(texts), tuple(origin))


def join_lines(left: MappedText, right: MappedText) -> MappedText:
    """Re-join two lines of one paragraph.

    No space between CJK characters nor inside a figure broken across lines
    of Chinese text, a space between Latin words, and an
    end-of-line hyphen between lowercase letters is dropped (de-hyphenation).
    A private-use hyphen glyph at the line end (journal PDFs' soft hyphen,
    ``Ｄｅｅｐ\ue011`` / ``Ｓｅｅｋ``) always marks a hyphenated word, whatever the
    case of the next letter, as it does in the text-layer path.
    """
    left, right = left.strip(), right.strip()
    if not left.text or not right.text:
        return left + right
    a, b = left.text[-1], right.text[0]
    if a in PUA_HYPHENS and len(left.text) > 1 and left.text[-2].isalnum():
        return left[:-1] + right
    if a in "-\u00ad" and len(left.text) > 1 and left.text[-2].islower() and b.islower():
        return left[:-1] + right
    if is_cjk(a) or is_cjk(b) or a in "-/\u2010\u2013":
        return left + right
    if a in _NUMBER_CHARS and b in _NUMBER_CHARS and (_has_cjk(left.text[-12:]) or _has_cjk(right.text[:12])):
        return left + right  # a figure broken across lines of Chinese text (88.8|%, 4.|0): one figure
    return left + MappedText.inserted(" ", right.origin[0]) + right


#: Characters a figure is written with; Chinese text breaks lines inside figures.
_NUMBER_CHARS = frozenset("0123456789.,%０１２３４５６７８９．，％")


def _has_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)


def digit_value(text: str) -> int | None:
    """The integer a run of (half- or full-width) digits spells, or None if it is not one."""
    if not text or not all(unicodedata.category(ch) == "Nd" for ch in text):
        return None
    return int("".join(str(unicodedata.digit(ch)) for ch in text))
