"""The layout lexicon: what a caption, a source line, a numbered heading, a
footnote marker and a CJK character are, defined once for every extractor.

Each notion is a named, documented vocabulary or pattern.  Extractors import
them instead of writing their own copy; ``tests/test_lexicon.py`` pins every
one of them with a table of real-looking strings and fails if a second copy
appears in ``extractors/``, ``reports/`` or ``db/``.

Character classes are derived from Unicode properties of the ``regex``
package (``\\p{Han}``, scripts and blocks) rather than hand-written code-point
ranges.  They are exposed two ways:

* as *class bodies* (:data:`HAN`, :data:`CJK`, :data:`FOOTNOTE_MARKER_CLASS`,
  :data:`DIGIT`): the inside of a ``[...]``, written as ``\\uXXXX`` ranges, so
  a caller can build a larger pattern with either ``re`` or ``regex``
  (``rf"[{HAN}]{{2,4}}"``, ``rf"[^{HAN}]"``);
* as predicates (:func:`is_han`, :func:`is_cjk`) and compiled patterns.

Pattern *fragments* (:data:`CAPTION_LABEL`, :data:`SOURCE_CUE`,
:data:`NUMBERED_HEADING_FRAGMENT`…) carry no named groups, so they can be
embedded more than once in a pattern.

This module sits below every extractor stage: it imports nothing of ours.
"""

from __future__ import annotations

import unicodedata
from array import array
from collections.abc import Iterator
from functools import cache

import regex

# --------------------------------------------------------------------------- character classes


# Unicode encodes the CJK scripts in planes 0-3 (BMP, SMP kana extensions, SIP and TIP
# ideographs); planes 4-16 hold none of them, so the scan stops there.
_CJK_PLANES_END = 0x40000


@cache
def _all_code_points() -> str:
    """Every code point of planes 0-3 once, in order (index == code point), lone surrogates included."""
    return array("I", range(_CJK_PLANES_END)).tobytes().decode("utf-32-le", "surrogatepass")


def _code_point_runs(prop: str) -> Iterator[tuple[int, int]]:
    """Inclusive code-point runs matched by the ``regex`` class ``prop`` (one scan of planes 0-3)."""
    for m in regex.finditer(prop + "+", _all_code_points()):
        yield m.start(), m.end() - 1


def _escape(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _class_body(prop: str) -> str:
    """The inside of a ``[...]`` listing what ``prop`` matches, as ``\\u`` ranges ``re`` understands too."""
    return "".join(_escape(a) if a == b else f"{_escape(a)}-{_escape(b)}" for a, b in _code_point_runs(prop))


#: Chinese characters (hanzi, kanji): ``\p{Han}`` -- the unified ideographs with
#: all their extensions, compatibility ideographs, radicals, and the ideographic
#: iteration mark/number zero (``々``, ``〇``).  This is the notion behind
#: "is this text Chinese" (language detection) and "a run of Chinese name
#: characters" (``[{HAN}]{2,4}``).
HAN = _class_body(r"\p{Han}")

#: Korean script (hangul syllables and jamo): ``\p{Hangul}``.  CJK in the
#: broad sense but written with spaces, so not in :data:`CJK`.
HANGUL = _class_body(r"\p{Hangul}")

# Characters of scripts written without spaces between words, and the
# punctuation/forms that are set with them: a line break between two of them
# is deleted, never turned into a space.  Hangul is *not* in it: Korean puts
# spaces between words.  Full-width letters and digits (``ＡＰＩ``, ``２０２３``)
# are not either: they are Latin words and numbers in wide forms.
_CJK_PROP = (
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}"
    r"\p{Block=CJK_Symbols_and_Punctuation}\p{Block=Ideographic_Description_Characters}"
    r"\p{Block=CJK_Strokes}\p{Block=Kanbun}\p{Block=Enclosed_CJK_Letters_and_Months}"
    r"\p{Block=CJK_Compatibility}\p{Block=CJK_Compatibility_Forms}\p{Block=Vertical_Forms}"
    r"\p{Block=Enclosed_Alphanumerics}"
    r"\p{Block=Halfwidth_and_Fullwidth_Forms}"
    r"“”‘’—…·"
    r"--[\p{Latin}\p{Nd}\p{Hangul}]]"
)
#: Class body of :func:`is_cjk` characters: Han, kana, bopomofo, CJK and
#: full-width punctuation and symbols, enclosed numbers (``①``), and the curly
#: quotes, dash, ellipsis and middle dot that Chinese typesetting sets wide.
CJK = _class_body("(?V1)" + _CJK_PROP)
_all_code_points.cache_clear()  # 1 MB string needed only to derive the classes

_HAN_RE = regex.compile(rf"[{HAN}]")
_CJK_RE = regex.compile(rf"[{CJK}]")
# Display width: East Asian Wide/Fullwidth characters plus the CJK set above
# (curly quotes and circled numbers are "ambiguous" width, wide in Chinese fonts).
_WIDE_RE = regex.compile(rf"[\p{{East_Asian_Width=Wide}}\p{{East_Asian_Width=Fullwidth}}{CJK}]")


def is_han(ch: str) -> bool:
    """``ch`` is a Chinese character (:data:`HAN`)."""
    return bool(_HAN_RE.match(ch))


def is_cjk(ch: str) -> bool:
    """``ch`` belongs to text written without spaces (:data:`CJK`): joins across line breaks drop the break."""
    return bool(_CJK_RE.match(ch))


def display_width(text: str) -> int:
    """Width of ``text`` in half-width cells: wide (CJK, full-width) characters count twice."""
    return len(text) + len(_WIDE_RE.findall(text))


#: Class body of an Arabic digit, ASCII or full-width (``3``, ``３``): PDF text
#: layers print both, and loaders see them before width folding.
DIGIT = "0-9\uff10-\uff19"

#: Chinese numerals used to number headings, sections and captions (一、 第三章 图二).
CN_ORDINAL_DIGITS = "一二三四五六七八九十百"

_CN_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")}


def cn_ordinal_value(text: str) -> int | None:
    """The value of a small Chinese ordinal (``三`` -> 3, ``十二`` -> 12, ``二十`` -> 20, ``一百`` -> 100).

    Headings and captions number up to a few dozen; anything that is not such
    a numeral gives ``None``.
    """
    if not text or any(c not in _CN_VALUE and c not in "十百" for c in text):
        return None
    total, digit = 0, None
    for c in text:
        if c in "十百":
            total += (1 if digit is None else digit) * (10 if c == "十" else 100)
            digit = None
        elif digit is not None:
            return None  # two digits in a row (一二) is not a numeral
        else:
            digit = _CN_VALUE[c]
    return total + (digit or 0)


# --------------------------------------------------------------------------- footnote markers

#: Numbering series of circled note markers, each in counting order: plain
#: ⓪①..⑳㉑..㊿ (0-50), negative ❶..❿⓫..⓴ (1-20), sans-serif ➀..➉ and negative
#: sans-serif ➊..➓ (1-10).  Parenthesised ⑴ and full-stop ⒈ forms are
#: enumerators, not note markers, and are left out.
CIRCLED_SERIES: tuple[str, ...] = tuple(
    "".join(chr(c) for a, b in runs for c in range(a, b + 1))
    for runs in (
        ((0x24EA, 0x24EA), (0x2460, 0x2473), (0x3251, 0x325F), (0x32B1, 0x32BF)),
        ((0x2776, 0x277F), (0x24EB, 0x24F4)),
        ((0x2780, 0x2789),),
        ((0x278A, 0x2793),),
    )
)
#: Every circled note marker (the series concatenated).
CIRCLED_MARKERS = "".join(CIRCLED_SERIES)

#: Superscript digits ⁰..⁹, index = value: note calls in English briefs (``2023.¹``).
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

#: Class body of a one-character footnote marker: circled or superscript.
FOOTNOTE_MARKER_CLASS = CIRCLED_MARKERS + SUPERSCRIPT_DIGITS
#: Class body of the circled markers alone.
CIRCLED_MARKER_CLASS = CIRCLED_MARKERS

#: A run of one-character footnote markers (``①``, ``¹²``, ``㉑``).
FOOTNOTE_MARKERS = regex.compile(rf"[{FOOTNOTE_MARKER_CLASS}]+")


def marker_number(ch: str) -> int | None:
    """The note number a one-character marker prints (``①`` -> 1, ``㊿`` -> 50, ``❶`` -> 1, ``⁷`` -> 7, ``⓪`` -> 0).

    ``None`` for anything that is not a :data:`FOOTNOTE_MARKER_CLASS` character.
    The value comes from the Unicode character database.
    """
    if len(ch) != 1 or ch not in FOOTNOTE_MARKER_CLASS:
        return None
    return int(unicodedata.numeric(ch))


def next_marker(ch: str) -> str:
    """The marker after ``ch`` in its own series (``①`` -> ``②``, ``❿`` -> ``⓫``, ``¹`` -> ``²``); ``""`` at a series end."""
    for series in (*CIRCLED_SERIES, SUPERSCRIPT_DIGITS):
        k = series.find(ch) if len(ch) == 1 else -1
        if k >= 0:
            return series[k + 1] if k + 1 < len(series) else ""
    return ""


def is_footnote_marker(ch: str) -> bool:
    """``ch`` is a one-character footnote marker (circled or superscript digit)."""
    return len(ch) == 1 and ch in FOOTNOTE_MARKER_CLASS


# --------------------------------------------------------------------------- note and reference sections

#: Labels of a heading over a document's notes -- endnotes, glossary notes
#: (``［1］一降三减：…``), explanations -- lower-cased, with the blanks between
#: Chinese characters removed (``注 释`` -> ``注释``).  Only numbered entries
#: under such a heading are notes: prose under ``注`` or ``Notes`` is text.
NOTES_HEADINGS = frozenset({"注释", "注", "注解", "尾注", "说明", "名词解释", "notes", "endnotes"})

#: Labels of a heading over a document's reference list (lower-cased): the
#: entries under it are the document's sources, not its text.  Web pages add
#: the German labels trafilatura's page set uses.
REFERENCE_HEADINGS = frozenset({
    "参考文献", "参考资料", "参考书目", "来源", "资料来源", "信息来源", "数据来源",
    "引用", "引文", "文献", "references", "reference", "bibliography",
    "sources", "source", "works cited", "literature cited", "citations", "citation",
    "footnotes", "quellen", "literatur",
})

#: The number opening an entry of a reference list or a notes section at a line
#: start: ``[12]`` ``［12］`` (group ``bracket``), ``12.`` ``12．`` ``12、`` ``12)``
#: (group ``number``), ``(12)`` ``（12）`` (group ``paren``) or ``⑫`` (group
#: ``circled``), with the blanks after it.  A bare or parenthesised number may
#: also open a wrapped line (``2): 33-45.``): callers check the sequence.
LIST_ENTRY_NUMBER = regex.compile(
    rf"^[ \t\u3000]*(?:[\[［][ \t]*(?P<bracket>[{DIGIT}]{{1,3}})[ \t]*[\]］]"
    rf"|(?P<number>[{DIGIT}]{{1,3}})[.．、)）](?![{DIGIT}])"
    rf"|[（(](?P<paren>[{DIGIT}]{{1,3}})[）)]"
    rf"|(?P<circled>[{CIRCLED_MARKER_CLASS}]))[ \t\u3000]*"
)

#: The head of a glossary note after its number: a short term and a colon
#: (``一降三减：``, ``“放管服”：``, ``Dual circulation:``); group ``term``.  The
#: explanation follows on the same line or the next.  A reference entry
#: (``张三. 标题[J]. 刊名: …``) has a full stop or bracket before its colon.
GLOSSARY_TERM = regex.compile(r"^[ \t\u3000]*(?P<term>[^\s。！？；;:：.．\[\]【】][^\n。！？；;:：.．\[\]【】]{0,23}?)[ \t]*[:：]")


# --------------------------------------------------------------------------- headings

#: A Markdown ATX heading mark (``## ``).
MARKDOWN_HEADING_FRAGMENT = r"#{1,6}\s"

_CN_NUM = f"[{CN_ORDINAL_DIGITS}]+"
#: The number that opens a numbered heading, as a fragment (no anchor, no groups):
#: ``一、`` ``二．`` ``（三）`` ``(4)`` ``1.`` ``2.3.`` ``４、`` ``5)`` ``第二章`` ``第3节``
#: ``第一部分`` ``第二篇`` ``IV. ``.  An Arabic number must be followed by its
#: punctuation and then not by a digit, so ``3.5亿`` and ``2023年`` are not headings.
NUMBERED_HEADING_FRAGMENT = (
    rf"(?:{_CN_NUM}[、．.]"
    rf"|[（(](?:{_CN_NUM}|[{DIGIT}]{{1,2}})[）)]"
    rf"|[{DIGIT}]{{1,2}}(?:[.．][{DIGIT}]{{1,2}})*[.．、)）](?![ \t]*[{DIGIT}])"
    rf"|第(?:{_CN_NUM}|[{DIGIT}]+)(?:章|节|部分|篇)"
    r"|[IVX]+\.\s)"
)
#: A line that opens with a heading number (leading white space allowed).
NUMBERED_HEADING = regex.compile(rf"^[ \t\u3000]*{NUMBERED_HEADING_FRAGMENT}")

# The four levels of official-document numbering (GB/T 9704-2012, 7.3.3): 一、 / （一） / 1. / （1）.
_OFFICIAL_LEVELS = regex.compile(
    rf"^[ \t\u3000]*(?:(?P<l1>{_CN_NUM}[、．.])|(?P<l2>[（(]{_CN_NUM}[）)])"
    rf"|(?P<l3>[{DIGIT}]{{1,2}}[.．](?![{DIGIT}]))|(?P<l4>[（(][{DIGIT}]{{1,2}}[）)]))"
)


def heading_level(line: str) -> int | None:
    """The official-document level of a line's heading number: 1 ``一、``, 2 ``（一）``, 3 ``1．``, 4 ``（1）``.

    Level 1 also takes ``一．``/``一.`` (a common variant of ``一、``).

    Chinese government documents number their structure this way (GB/T
    9704-2012); other heading numbers (``第二章``, ``2.3.``, ``IV.``) and
    unnumbered lines give ``None``.
    """
    m = _OFFICIAL_LEVELS.match(line)
    return int(m.lastgroup[1]) if m and m.lastgroup else None


# --------------------------------------------------------------------------- captions

#: The words that label a figure or table, as a fragment.  Chart and Exhibit
#: are figures (consultancy briefs number their charts "Exhibit 3").
CAPTION_KIND = r"(?:图|表|Figure|Fig\.|Table|Chart|Exhibit)"
#: A figure/table number in Arabic digits: ``1``, ``１``, ``2-1``, ``3.2``.
CAPTION_NUMBER = rf"(?:[{DIGIT}]+(?:[-.．][{DIGIT}]+)?)"
# A caption line may also number in Chinese (图三); running text may not: 代表一致, 发表十篇.
_CAPTION_LINE_NUMBER = rf"(?:{CAPTION_NUMBER}|[{CN_ORDINAL_DIGITS}]+)"
#: A figure/table label anywhere in text -- ``图1``, ``表 2``, ``Figure 3``,
#: ``Exhibit ４`` -- as a fragment (no groups; use case-insensitively).  Not
#: inside a Latin word (``subtable 1``) and not cut inside a number (``图12`` is
#: not ``图1``).
CAPTION_LABEL = rf"(?<![A-Za-z]){CAPTION_KIND}[ \t]*{CAPTION_NUMBER}(?![{DIGIT}])"
# What may follow the number of a caption label: white space, a colon or full stop, or the line end.
_CAPTION_END = r"(?=[\s:：.．、]|$)"
_CAPTION_AT_START = rf"^[ \t\u3000]*(?P<kind>{CAPTION_KIND})[ \t]*(?P<num>{_CAPTION_LINE_NUMBER}){_CAPTION_END}"
#: A caption's label opening a line or sentence: groups ``kind`` and ``num``
#: (``图1　2017—2023年…``, ``Table 2: …``, ``图三 …``).  A label glued to
#: running text (``图1显示…``) is not a caption; ``Figure 1 shows…`` still
#: matches and is the caller's to reject from what follows.  Anchored at the
#: string start (``.match``/``.search`` on one line or sentence).
CAPTION = regex.compile(_CAPTION_AT_START, regex.IGNORECASE)
#: :data:`CAPTION` at every line start of a text (``finditer`` over a document).
CAPTION_LINES = regex.compile(_CAPTION_AT_START, regex.MULTILINE | regex.IGNORECASE)

_TABLE_WORDS = frozenset({"表", "table"})


def caption_kind(word: str) -> str:
    """``"table"`` for 表/Table, ``"figure"`` for every other :data:`CAPTION_KIND` word."""
    return "table" if word.lower() in _TABLE_WORDS else "figure"


_FOLD_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")


def caption_label(word: str, num: str) -> str:
    """Canonical label of a caption or reference: ``图``/``表`` plus an ASCII number.

    ``Figure 3`` -> ``图3``, ``Table ２`` -> ``表2``, ``图三`` -> ``图3``: the
    text and the caption may spell one label in different scripts.
    """
    value = cn_ordinal_value(num)
    number = str(value) if value is not None else num.translate(_FOLD_DIGITS)
    return ("表" if caption_kind(word) == "table" else "图") + number


# --------------------------------------------------------------------------- source and note lines

#: The cue that opens a source line under a figure or table, as a fragment,
#: longest first: ``数据来源`` ``资料来源`` ``信息来源`` ``图片来源`` ``来源``
#: ``出处`` ``Data source(s)`` ``Source(s)``.
SOURCE_CUE = r"(?:数据来源|资料来源|信息来源|图片来源|来源|出处|Data\s+sources?|Sources?)"
#: The cue of an explanatory note line under a figure or table (``注：``, ``Note:``).
NOTE_CUE = r"(?:注|Notes?)"
#: Source lines at every line start of a text: groups ``cue`` and ``source`` (the text after the colon).
SOURCE_LINE = regex.compile(
    rf"^[ \t\u3000]*(?P<cue>{SOURCE_CUE})[ \t]*[:：][ \t\u3000]*(?P<source>[^\n]*\S)",
    regex.MULTILINE | regex.IGNORECASE,
)
#: A line that opens with a source or note cue and its colon: the small print
#: under a figure or table that layout keeps as its own block.
SOURCE_OR_NOTE_LINE = regex.compile(rf"^[ \t\u3000]*(?:{SOURCE_CUE}|{NOTE_CUE})[ \t]*[:：]", regex.IGNORECASE)


# --------------------------------------------------------------------------- boilerplate

#: Headings of the back matter of broker research reports (disclaimers, analyst
#: certification, rating definitions, contact blocks), in Chinese and English.
#: A section under one of them is legal or house text, not a claim of the report.
BROKER_BOILERPLATE_TERMS = (
    "免责声明", "免责条款", "法律声明", "特别声明", "重要声明", "一般声明", "版权声明", "重要提示",
    "分析师声明", "分析师承诺", "分析师申明", "研究团队简介", "分析师简介", "分析师介绍",
    "投资评级说明", "评级说明", "投资评级定义", "评级定义", "股票投资评级", "行业投资评级",
    "联系方式", "联系我们", "销售联系方式", "机构销售通讯录",
    "Disclaimer", "Important Disclosures", "Analyst Certification", "Rating Definitions",
    "Rating System", "Contact Information", "Contact Us",
)
#: Front matter of theses and dissertations that declares rather than claims,
#: and table-of-contents headings; each covers the rest of its page at most.
FRONT_MATTER_TERMS = (
    "独创性声明", "原创性声明", "学位论文原创性声明", "学位论文独创性声明",
    "版权使用授权书", "学位论文版权使用授权书", "使用授权声明", "学位论文使用授权声明", "授权使用声明",
    "目录", "Contents", "Table of Contents",
)


def _term_alternation(terms: tuple[str, ...]) -> str:
    """Longest first, with English words joined by flexible white space."""
    return "|".join(regex.escape(t).replace(r"\ ", r"\s+") for t in sorted(terms, key=len, reverse=True))


#: A line that opens a boilerplate section: an optional number (``一、``,
#: ``7.``), optional 【】 brackets, the term, then a colon or the line's end.
#: Match it against the line with the blanks between CJK characters removed
#: (``免 责 声 明``).  Group ``term`` is the heading; group ``front`` is set
#: for front-matter terms (page-bounded), unset for broker back matter.
BOILERPLATE_HEADING = regex.compile(
    rf"^[ \t\u3000]*(?:(?:[{CN_ORDINAL_DIGITS}]+|[{DIGIT}]{{1,2}})[、.．\s]\s*)?[【\[]?[ \t]*"
    rf"(?P<term>(?P<front>{_term_alternation(FRONT_MATTER_TERMS)})|{_term_alternation(BROKER_BOILERPLATE_TERMS)})"
    r"[ \t]*[】\]]?[ \t\u3000]*(?:[:：]|$)",
    regex.IGNORECASE,
)
#: A table-of-contents entry: a title, a run of at least four leader dots
#: (or middle dots, ellipses, underscores) and a page number at the line end.
TOC_ENTRY = regex.compile(rf"^\s*\S.*?(?:[.．·…⋯_]\s*){{4,}}\s*(?:[{DIGIT}]{{1,4}}|[ivxlcIVXLC]{{1,6}})\s*$")
#: Labels of the key-figures sidebar on a broker report's first page (rating,
#: target price, share data, analyst registration numbers).
KEY_FIGURE_LABEL = regex.compile(
    r"(?:投资评级|评级[:：]|目标价|当前股价|当前价格|收盘价|最新收盘|总股本|流通股本|流通A股|总市值|流通市值|"
    r"52周|一年内最高|每股净资产|市盈率|市净率|资产负债率|主要股东|执业证书|证书编号|相关研究|股价表现|"
    r"Rating[:：]|Target\s+price|Market\s+cap|Shares\s+outstanding|52-week)",
    regex.IGNORECASE,
)
