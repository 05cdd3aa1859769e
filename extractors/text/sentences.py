"""Sentence segmentation for normalized Chinese and English text, with exact offsets.

Chinese paragraphs go through HanLP's rule-based splitter
(``hanlp.utils.rules.split_sentence``, no model; :mod:`extractors.text.nlp`
loads that one file without importing ``hanlp``, whose ``__init__`` imports
PyTorch); it returns strings, so we
recover offsets by aligning them back onto the paragraph.  English paragraphs
go through spaCy's rule-based ``sentencizer`` on a blank pipeline.  The
language is decided per paragraph by its CJK ratio, so an English quotation
inside a Chinese paper is split by English rules.

Both splitters only propose *cut points*; the spans are the stretches between
cut points, trimmed of whitespace.  That way every non-space character lands
in exactly one sentence even where a splitter drops or rewrites text.
"""

from __future__ import annotations

import logging
import re

from extractors.lexicon import FOOTNOTE_MARKER_CLASS, HAN
from extractors.text import nlp

logger = logging.getLogger(__name__)

#: A paragraph break: an empty (or blank) line.  It always ends a sentence.
PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n")

#: Share of CJK among letters above which a text counts as Chinese.
CJK_RATIO_ZH = 0.5

_CJK = re.compile(rf"[{HAN}]")
_LATIN = re.compile(r"[A-Za-z]")
# Footnote markers and closing brackets/quotes that belong to the sentence before
# a cut: "…来自美国①。" is fine, but "…。①" and "…. ¹" must keep the marker.
_TRAILERS = FOOTNOTE_MARKER_CLASS + "”’」』）)]】"
_EN_MARKED_END = re.compile(rf"[.!?][\"”’)]*[{FOOTNOTE_MARKER_CLASS}]+(?=\s+[A-Z])")
_MARKER_RUN = re.compile(rf"[{re.escape(_TRAILERS)}]+|\[\d{{1,3}}\]")


def detect_language(text: str) -> str:
    """``"zh"`` when CJK characters make up at least :data:`CJK_RATIO_ZH` of the letters, else ``"en"``.

    Letters, not characters: Chinese policy text is full of Latin model names
    and acronyms, and one CJK character carries about a word's worth of text.
    """
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    if cjk + latin == 0:
        return "en"
    # Weigh Latin letters by an average English word length so "DeepSeek" counts once.
    return "zh" if cjk / (cjk + latin / 5) >= CJK_RATIO_ZH else "en"


def split_sentences(text: str, *, language: str) -> list[tuple[int, int]]:
    """Half-open, whitespace-trimmed spans of every sentence in ``text``, in order.

    ``language`` ("zh" or "en") is the document's language; it decides only
    paragraphs with no letters at all, the others are decided by
    :func:`detect_language`.
    """
    spans: list[tuple[int, int]] = []
    for start, end in paragraph_spans(text):
        paragraph = text[start:end]
        lang = detect_language(paragraph) if _has_letters(paragraph) else language
        cuts = _zh_cuts(paragraph) if lang == "zh" else _en_cuts(paragraph)
        spans.extend((start + s, start + e) for s, e in _spans_between(paragraph, cuts))
    return spans


def _has_letters(text: str) -> bool:
    return bool(_CJK.search(text) or _LATIN.search(text))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs: text between paragraph breaks, untrimmed."""
    spans, start = [], 0
    for brk in PARAGRAPH_BREAK.finditer(text):
        spans.append((start, brk.start()))
        start = brk.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _zh_cuts(paragraph: str) -> list[int]:
    """Cut points after each sentence HanLP's rules find, located in ``paragraph``."""
    cuts, cursor = [], 0
    for piece in nlp.hanlp_sentences(paragraph):
        try:
            cursor = _locate_end(paragraph, piece, cursor)
        except _PieceNotFound:
            logger.warning("sentence piece not found in paragraph, keeping the rest whole: %r", piece[:40])
            break
        cuts.append(cursor)
    return cuts


class _PieceNotFound(Exception):
    """HanLP returned a sentence whose characters do not follow the cursor in the paragraph."""


def _locate_end(text: str, piece: str, cursor: int) -> int:
    """End offset of ``piece`` in ``text`` from ``cursor``, comparing non-space characters only.

    HanLP strips and may collapse whitespace (and swaps "@" for a space around
    abbreviations), so a plain ``str.find`` is not enough.
    """
    wanted = [c for c in piece if not c.isspace()]
    i = cursor
    for ch in wanted:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text) or text[i] != ch:
            raise _PieceNotFound(piece)
        i += 1
    return i


def _en_cuts(paragraph: str) -> list[int]:
    """Cut points at the end of each sentence spaCy's sentencizer finds, repaired.

    spaCy's tokenizer glues a superscript marker to the full stop before it
    ("2023.¹ It"), which hides the sentence end, so those get a cut of their
    own.  The sentencizer knows no abbreviations ("Policy Brief No. 7",
    "Smith et al. found", "pp. 12–14") and keeps an opening bracket with the
    sentence before it ("… throughput. (b) Review"): both are mended here.
    """
    cuts = [end for _, end in nlp.spacy_sentences(paragraph, "en")]
    cuts.extend(m.end() for m in _EN_MARKED_END.finditer(paragraph))
    cuts = [_before_openers(paragraph, cut) for cut in cuts]
    return [cut for cut in cuts if not _after_abbreviation(paragraph, cut)]


# Abbreviations a policy text puts before a number or a lower-case word.
_EN_ABBREVIATION = re.compile(
    r"(?:\b(?:No|Nos|Vol|Vols|Fig|Figs|pp|p|Art|Arts|Sec|Secs|para|paras|ch|Ch|Eq|Eqs|Tab|Ref|Refs|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|approx|ca|cf|vs|al|e\.g|i\.e|etc|Inc|Ltd|Co|Corp|"
    r"Mr|Mrs|Ms|Dr|Prof|St|U\.S|U\.K|U\.N|E\.U)\.)$",
)
_EN_CONTINUES = re.compile(r"\s*(?:[0-9a-z(]|\[\d)")


def _after_abbreviation(paragraph: str, cut: int) -> bool:
    """A cut right after "No." / "et al." / "pp." whose next word is a number or lower case."""
    end = cut
    while end > 0 and paragraph[end - 1].isspace():
        end -= 1
    return bool(_EN_ABBREVIATION.search(paragraph, max(0, end - 8), end)) \
        and bool(_EN_CONTINUES.match(paragraph, cut))


def _before_openers(paragraph: str, cut: int) -> int:
    """Move a cut back over opening brackets and quotes, which start the next sentence."""
    i = cut
    while i > 0 and paragraph[i - 1].isspace():
        i -= 1
    if i == 0 or paragraph[i - 1] not in _OPENERS:
        return cut
    while i > 0 and paragraph[i - 1] in _OPENERS:
        i -= 1
    return i


_OPENERS = "([{“‘"


def _spans_between(paragraph: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Trimmed spans between consecutive cut points, with trailing markers kept left of a cut."""
    spans, start = [], 0
    for cut in sorted(set(cuts)) + [len(paragraph)]:
        if cut <= start:
            continue
        cut = _absorb_trailers(paragraph, cut)
        s, e = _trim(paragraph, start, cut)
        if s < e:
            spans.append((s, e))
        start = cut
    return spans


def _absorb_trailers(paragraph: str, cut: int) -> int:
    """Move a cut past footnote markers and closing quotes that follow it (``。①`` / ``.”``)."""
    while True:
        m = _MARKER_RUN.match(paragraph, cut)
        if not m:
            return cut
        cut = m.end()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without surrounding white space (empty when it was all space)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
