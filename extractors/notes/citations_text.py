"""Shared pieces of citation parsing: the parsed record, folding, URLs, DOIs, dates.

Kept apart from :mod:`extractors.notes.citations` so the style parsers
(:mod:`extractors.notes.citations_gbt`) can use them without an import cycle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from extractors.text.normalize import fold_width as _fold_mapped
from extractors.textmap import MappedText



@dataclass(frozen=True, slots=True)
class ParsedCitation:
    """Fields of one cited work; names match :class:`extractors.types.Citation`.

    ``style`` says which parser produced it (``gbt7714``, ``zh_note``,
    ``apa``, ``chicago``, ``link``, ``glossary``, ``plain``); ``publisher``, ``place``,
    ``doi`` and ``accessed`` (the ``[引用日期]``) have no column in
    ``Citation`` but feed :func:`extractors.notes.citations.citation_key`.
    """

    kind: str
    authors: tuple[str, ...] = ()
    title: str | None = None
    container: str | None = None
    year: int | None = None
    url: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    date: str | None = None
    flags: tuple[str, ...] = ()
    publisher: str | None = None
    place: str | None = None
    doi: str | None = None
    accessed: str | None = None
    style: str = "plain"

    @property
    def rule_id(self) -> str:
        return f"citations.{self.style}"


def fold_width(text: str) -> str:
    """Fold full-width ASCII (``ｈｔｔｐｓ：／／``) exactly as the pipeline's normalizer does.

    Upstream text is already folded; this makes the parser safe on raw text too.
    """
    return _fold_mapped(MappedText.from_raw(text)).text


# ---------------------------------------------------------------- URLs and DOIs

_URL_CHARS = r"A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%()？"
_RE_URL = re.compile(rf"(?:https?[:：]//|www\.)[{_URL_CHARS}]+")
_RE_URL_TAIL = re.compile(rf"[ \t]*\n?[ \t]*([{_URL_CHARS}]+)")
_RE_DOI = re.compile(
    r"(?:doi\s*[:：]\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/[^\s,;，；。]+)"
    r"|/doi/(?:(?:abs|full|pdf|pdfplus|ipdf|epdf)/)?(10\.\d{4,9}/[^\s,;，；。/]+)",
    re.IGNORECASE,
)
_URL_END_CHARS = ".,;:)]'。，；？"


def _looks_like_url_tail(chunk: str, url: str, gap: str) -> bool:
    """A wrapped URL's second line: URL characters only, ending the citation or a clause."""
    if chunk.lower().startswith("doi") or (url.endswith(".") and "\n" not in gap):
        return False
    if not chunk or re.fullmatch(r"[A-Za-z]+[.,;]?", chunk) and not url.endswith(("/", "-", "_", "=", "?", "&", ".")):
        return False  # an ordinary word after the URL
    return bool(re.search(r"[0-9/?=&%_.-]", chunk)) or url.endswith(("/", "-", "_", "=", "?", "&"))


def _trim_url(url: str) -> str:
    """Drop sentence punctuation glued to the end, and a closing bracket the URL never opened."""
    while url and url[-1] in _URL_END_CHARS:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        if url[-1] == "]" and url.count("[") >= url.count("]"):
            break
        url = url[:-1]
    return url


def find_url(text: str) -> tuple[str, int, int] | None:
    """The first URL in ``text`` (rejoined if wrapped over a space or line break), with its span; None if none."""
    m = _RE_URL.search(text)
    if not m:
        return None
    url, end = m.group(), m.end()
    while True:
        tail = _RE_URL_TAIL.match(text, end)
        if not tail or tail.start(1) == end or not _looks_like_url_tail(tail.group(1), url, text[end : tail.start(1)]):
            break
        url, end = url + tail.group(1), tail.end(1)
    trimmed = _trim_url(url)
    return trimmed.replace("：", ":", 1).replace("？", "?"), m.start(), end - (len(url) - len(trimmed))


def find_doi(text: str) -> str | None:
    m = _RE_DOI.search(text)
    return _trim_url(m.group(1) or m.group(2)) if m else None


# ---------------------------------------------------------------- years and dates

_RE_YEAR = re.compile(r"(?<![\d.])(1[5-9]\d\d|20\d\d)(?!\d)")
_RE_ISO_DATE = re.compile(r"(?<!\d)((?:1[5-9]|20)\d\d)-(\d{1,2})-(\d{1,2})(?!\d)")
_RE_ZH_DATE = re.compile(r"((?:1[5-9]|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_RE_EN_DATE = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),?\s+((?:1[5-9]|20)\d\d)\b"
    r"|\b(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+((?:1[5-9]|20)\d\d)\b"
)


def iso_date(year: str, month: str, day: str) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def find_date(text: str) -> str | None:
    """The first full date (``2025年3月5日``, ``2013-01-12``, ``March 5, 2025``) as ISO 8601, or None."""
    for rx in (_RE_ZH_DATE, _RE_ISO_DATE):
        m = rx.search(text)
        if m:
            return iso_date(*m.groups())
    m = _RE_EN_DATE.search(text)
    if m:
        if m.group(1):
            return iso_date(m.group(3), str(_MONTHS[m.group(1)[:3].lower()]), m.group(2))
        return iso_date(m.group(6), str(_MONTHS[m.group(5)[:3].lower()]), m.group(4))
    return None


def first_year(text: str) -> int | None:
    m = _RE_YEAR.search(text)
    return int(m.group(1)) if m else None


def clean(text: str | None) -> str | None:
    """Strip spaces and dangling separators; empty becomes None."""
    if text is None:
        return None
    out = text.strip().strip(",，;；:：.。 ").strip()
    return out or None
