"""Parse a cited source (a footnote body, a reference-list entry, a source line) into fields.

:func:`parse_citation` tries the styles from the most constrained to the
least: GB/T 7714 (anchored on its ``[J]``/``[M]``/``[EB/OL]`` type code),
the Chinese note style of journal footnotes (``作者：《题名》，《刊名》2025年第2期。``),
Markdown links, APA (``Smith, J. (2020). Title. Journal, 3(2), 1–10.``),
Chicago notes (``Author, “Title,” Publisher, 2021.``), glossary notes that
explain a term (``一降三减：降低……。``, kind ``note``), and finally a plain
fallback that tells a source (a URL, a short name) from a note that explains
rather than cites (kind ``note``).

:func:`citation_key` gives the same key to the same work cited by different
documents.  Named sources in running text, figure source lines and figure
references live in :mod:`extractors.notes.citations_sources` and are re-exported here.
"""

from __future__ import annotations

import logging
import re
from typing import Protocol

from extractors.lexicon import CIRCLED_MARKER_CLASS, GLOSSARY_TERM, HAN, SOURCE_CUE, SUPERSCRIPT_DIGITS
from extractors.notes.citations_gbt import parse_gbt7714, split_authors, strip_entry_prefix
from extractors.notes.citations_sources import (
    FigureRef,
    NamedSource,
    SourceLine,
    find_figure_refs,
    find_named_sources,
    find_source_lines,
    source_line_label,
)
from extractors.notes.citations_text import (
    ParsedCitation,
    clean,
    find_date,
    find_doi,
    find_url,
    first_year,
    fold_width,
)

__all__ = [
    "FigureRef", "NamedSource", "ParsedCitation", "SourceLine", "citation_key", "find_figure_refs",
    "find_named_sources", "find_source_lines", "parse_citation", "source_line_label",
]

logger = logging.getLogger(__name__)

_RE_LEADING_MARKER = re.compile(
    rf"^\s*(?:[{CIRCLED_MARKER_CLASS}]|\[\^?[\w-]+\]:?|\d{{1,3}}[.．、)]\s|[{SUPERSCRIPT_DIGITS}]+)\s*"
)
_RE_SOURCE_CUE = re.compile(rf"^\s*{SOURCE_CUE}\s*[:：]\s*", re.IGNORECASE)
_RE_SEE = re.compile(r"^\s*(?:参见|详见|转引自|引自|参阅|见(?=\s*《)|see also\b|see\b|cf\.)\s*", re.IGNORECASE)
_RE_IBID = re.compile(r"^\s*(?:ibid|ibidem|id|同上|同前注?|同注)\b\.?", re.IGNORECASE)
_NEWS_NAMES = re.compile(
    r"reuters|bloomberg|associated press|new york times|financial times|wall street journal|washington post|"
    r"guardian|\bbbc\b|\bcnn\b|xinhua|新华社|新华网|人民日报|经济日报|光明日报|财新|第一财经|澎湃新闻|界面新闻|"
    r"经济观察报|21世纪经济报道|钛媒体|tmtpost|36氪|央视新闻|环球时报",
    re.IGNORECASE,
)
_REPORT_WORDS = re.compile(r"(?:报告|白皮书|蓝皮书|年鉴|统计公报|report|white paper|outlook)\s*(?:[（(][^）)]*[）)])?$", re.IGNORECASE)


# ---------------------------------------------------------------- Chinese note style

_RE_ZH_TITLE = re.compile(r"《([^《》]+(?:《[^《》]*》[^《》]*)*)》")
_RE_ZH_ISSUE = re.compile(r"((?:1[5-9]|20)\d\d)\s*年\s*第\s*(\d+)\s*期")
_RE_ZH_VOLUME = re.compile(r"第\s*(\d+)\s*卷")
_RE_ZH_PAGES = re.compile(r"第\s*(\d+(?:\s*[-–—~～]+\s*\d+)?)\s*页")
_RE_ZH_EDITION = re.compile(r"第\s*(\d+)\s*版")
_RE_ZH_PUBLISHER = re.compile(r"(?:([^，,：:《》]{2,8})\s*[：:]\s*)?([^，,：:《》]{2,20}(?:出版社|书局|印书馆|出版公司|Press))\s*[，,]?\s*((?:1[5-9]|20)\d\d)\s*年")
_ZH_FLAGS = ("网络首发", "优先出版", "待刊", "预印本", "内部资料")


def _zh_authors(before: str) -> tuple[tuple[str, ...], bool, bool]:
    """Authors before the first 《》 (``刘友金，李威：``); returns (names, et_al, is_prose)."""
    text = _RE_SEE.sub("", before).strip().rstrip("：:，,").strip()
    if not text:
        return (), False, False
    if len(text) > 40 or re.search(r"[。；;！？]|指出|认为|提出|表示", text):
        return (), False, True
    names, et_al = split_authors(text)
    return names, et_al, False


def _zh_after_container(rest: str, out: dict[str, object]) -> None:
    """``2025年第2期``, ``第28卷``, ``2025年3月5日（网络首发）``, ``第12页`` after the container."""
    m = _RE_ZH_ISSUE.search(rest)
    if m:
        out["year"], out["issue"] = int(m.group(1)), m.group(2)
    m = _RE_ZH_VOLUME.search(rest)
    if m:
        out["volume"] = m.group(1)
    m = _RE_ZH_PAGES.search(rest)
    if m:
        out["pages"] = re.sub(r"\s*[-–—~～]+\s*", "-", m.group(1))
    date = find_date(rest)
    if date:
        out["date"] = date
        out.setdefault("year", int(date[:4]))
    out.setdefault("year", first_year(rest))
    out["flags"] = tuple(f for f in _ZH_FLAGS if f in rest)


def _zh_kind(container: str | None, title: str, rest: str, url: str | None) -> str:
    if container:
        if _NEWS_NAMES.search(container) or (container.endswith("报") and not container.endswith("学报")):
            return "news"
        return "journal"
    if url:
        return "web"
    if _RE_ZH_PUBLISHER.search(rest) or "出版社" in rest:
        return "book"
    return "report" if _REPORT_WORDS.search(title) else "other"


def _parse_zh_note(text: str) -> ParsedCitation | None:
    """``作者，作者：《题名》，《刊名》2025年第2期。`` and its web/book/online-first variants."""
    first = _RE_ZH_TITLE.search(text)
    if not first:
        return None
    authors, et_al, prose = _zh_authors(text[: first.start()])
    if prose:
        return None
    title = first.group(1).strip()
    after = text[first.end() :]
    second = _RE_ZH_TITLE.match(after.lstrip("，,、 "))
    container = second.group(1).strip() if second else None
    rest = after.lstrip("，,、 ")[second.end() :] if second else after
    url_hit = find_url(rest)
    out: dict[str, object] = {}
    _zh_after_container(rest[: url_hit[1]] if url_hit else rest, out)
    pub = _RE_ZH_PUBLISHER.search(rest)
    if pub and not container:
        out["year"] = int(pub.group(3))
    url = url_hit[0] if url_hit else None
    if out.get("year") is None and not container:
        out["year"] = first_year(title)
    return ParsedCitation(
        kind=_zh_kind(container, title, rest, url), authors=authors, title=title, container=container,
        year=out.get("year"), url=url, volume=out.get("volume"), issue=out.get("issue"),  # type: ignore[arg-type]
        pages=out.get("pages"), date=out.get("date"),  # type: ignore[arg-type]
        flags=(("et_al",) if et_al else ()) + out["flags"],  # type: ignore[operator]
        publisher=clean(pub.group(2)) if pub else None, place=clean(pub.group(1)) if pub else None,
        doi=find_doi(rest), style="zh_note",
    )


# ---------------------------------------------------------------- English styles

_RE_APA = re.compile(
    r"^(?P<authors>[^()]{2,300}?)\s*\((?P<year>(?:1[5-9]|20)\d\d)[a-z]?(?:,\s*(?P<md>[^)]+))?\)\.\s*"
    r"(?P<title>.+?[.?!])(?:\s+(?P<rest>.*))?$"
)
_RE_APA_NAME = re.compile(r"[^,&]+?,\s*(?:[A-Z]\.\s*-?)+")
_RE_VOL_ISSUE = re.compile(r"(?P<container>.*?)[,\s]\s*(?:vol\.\s*)?(?P<vol>\d+)\s*(?:\((?P<issue>[^)]+)\)|,?\s*no\.\s*(?P<no>\d+))?", re.IGNORECASE)
_RE_EN_PAGES = re.compile(r"(?:pp?\.\s*)?(\d+\s*[-–—]\s*\d+|(?<=pp\. )\d+|(?<=p\. )\d+)")
_RE_CHICAGO = re.compile(r"^(?P<authors>[^“\"]{0,200}?)[,.]?\s*[“\"](?P<title>[^”\"]+?)[,.]?[”\"][,.]?\s*(?P<rest>.*)$")
_RE_CHICAGO_BOOK = re.compile(
    r"^(?P<authors>[^,()]+(?:,? and [^,()]+)?),\s*(?P<title>[^()]+?)\s*\((?:(?P<place>[^:()]+):\s*)?"
    r"(?P<pub>[^,()]+),\s*(?P<year>(?:1[5-9]|20)\d\d)\)(?:,\s*(?P<pages>[\d\-–]+))?"
)
_RE_EN_VOL = re.compile(r"\bvol\.?\s*(\d+)|^[^,\d]+?\s(\d+),\s*no\.", re.IGNORECASE)
_RE_EN_NO = re.compile(r"\b(?:no|issue)\.?\s*(\d+)", re.IGNORECASE)


def _apa_authors(text: str) -> tuple[tuple[str, ...], bool]:
    names = [n.strip().lstrip("&").strip() for n in _RE_APA_NAME.findall(text)]
    et_al = bool(re.search(r"et al", text))
    if names:
        return tuple(n for n in names if n), et_al
    return split_authors(text.rstrip("."))


def _journal_tail(rest: str) -> dict[str, object]:
    """``Journal, 3(2), 1–10.`` / ``Journal 12, no. 3 (2020): 45–67`` -> container, volume, issue, pages."""
    m = _RE_VOL_ISSUE.match(rest)
    if not m or not m.group("container").strip(" ,"):
        return {}
    pages = _RE_EN_PAGES.search(rest[m.end() :])
    return {"container": clean(m.group("container")), "volume": m.group("vol"),
            "issue": m.group("issue") or m.group("no"), "pages": pages.group(1).replace(" ", "") if pages else None}


def _parse_apa(text: str) -> ParsedCitation | None:
    m = _RE_APA.match(text)
    if not m:
        return None
    authors, et_al = _apa_authors(m.group("authors"))
    rest = m.group("rest") or ""
    url_hit = find_url(rest)
    core = rest[: url_hit[1]] if url_hit else rest
    fields = _journal_tail(core)
    kind = "journal" if fields else ("web" if url_hit else "book")
    if not fields and core.strip():
        fields = {"publisher": clean(core)}
        if _NEWS_NAMES.search(core):
            kind = "news"
    md = m.group("md")
    date = find_date(f"{md} {m.group('year')}") if md else None
    return ParsedCitation(
        kind=kind, authors=authors, title=clean(m.group("title")), container=fields.get("container"),  # type: ignore[arg-type]
        year=int(m.group("year")), url=url_hit[0] if url_hit else None, volume=fields.get("volume"),  # type: ignore[arg-type]
        issue=fields.get("issue"), pages=fields.get("pages"), date=date,  # type: ignore[arg-type]
        flags=("et_al",) if et_al else (), publisher=fields.get("publisher"), doi=find_doi(rest), style="apa",  # type: ignore[arg-type]
    )


def _chicago_rest(rest: str) -> tuple[str, dict[str, object]]:
    """Container, volume, issue, pages, publisher and kind from what follows a quoted title."""
    url_hit = find_url(rest)
    core = rest[: url_hit[1]] if url_hit else rest
    vol, no = _RE_EN_VOL.search(core), _RE_EN_NO.search(core)
    pages = _RE_EN_PAGES.search(core)
    lead = re.split(r",|\bvol\.|\(|\s\d+,\s*no\.", core, maxsplit=1, flags=re.IGNORECASE)[0].strip()
    lead = None if not lead or re.fullmatch(r"[\d\s.]+|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*\.?\s*\d*", lead) else lead
    fields: dict[str, object] = {"volume": (vol.group(1) or vol.group(2)) if vol else None, "issue": no.group(1) if no else None,
                                 "pages": pages.group(1).replace(" ", "") if pages and (vol or "pp" in core) else None}
    if vol or no:
        fields["container"] = lead
        kind = "journal"
    elif lead and _NEWS_NAMES.search(lead):
        fields["container"], kind = lead, "news"
    elif url_hit:
        fields["container"], kind = lead, "web"
    else:
        fields["publisher"], kind = lead, "report"
    fields["url"] = url_hit[0] if url_hit else None
    return kind, fields


def _chicago_authors(text: str) -> tuple[tuple[str, ...], bool]:
    """``Agarwal, Rishabh, Dale Schuurmans, and Mohammad Norouzi`` -> (Agarwal, Rishabh; Dale Schuurmans; Mohammad
    Norouzi): Chicago inverts only the first name, and ``and`` joins the last."""
    names, et_al = split_authors(text)
    names = tuple(re.sub(r"^and\s+", "", n) for n in names)
    if len(names) >= 2 and re.fullmatch(r"[A-Z][\w'’-]+", names[0]) and re.fullmatch(r"[A-Z][\w'’.-]+(?: [A-Z]\.)?", names[1]):
        names = (f"{names[0]}, {names[1]}", *names[2:])
    return names, et_al


def _parse_chicago(text: str) -> ParsedCitation | None:
    book = _RE_CHICAGO_BOOK.match(text)
    if book:
        authors, et_al = split_authors(book.group("authors"))
        return ParsedCitation(
            kind="book", authors=authors, title=clean(book.group("title")), year=int(book.group("year")),
            pages=book.group("pages"), publisher=clean(book.group("pub")), place=clean(book.group("place")),
            flags=("et_al",) if et_al else (), style="chicago",
        )
    m = _RE_CHICAGO.match(text)
    if not m or re.search(rf"[{HAN}。；]", m.group("authors")) or len(m.group("authors").split()) > 8:
        return None
    authors, et_al = _chicago_authors(m.group("authors")) if m.group("authors").strip() else ((), False)
    kind, f = _chicago_rest(m.group("rest"))
    if kind == "report" and not f.get("publisher") and authors and _NEWS_NAMES.search(authors[0]):
        kind, f["container"], authors = "news", authors[0], ()
    year = first_year(re.sub(r"\bvol\.?\s*\d+|\bno\.?\s*\d+|pp?\.\s*[\d\-–]+", "", m.group("rest"), flags=re.IGNORECASE))
    return ParsedCitation(
        kind=kind, authors=authors, title=clean(m.group("title")), container=f.get("container"),  # type: ignore[arg-type]
        year=year, url=f.get("url"), volume=f.get("volume"), issue=f.get("issue"), pages=f.get("pages"),  # type: ignore[arg-type]
        date=find_date(m.group("rest")), flags=("et_al",) if et_al else (), publisher=f.get("publisher"),  # type: ignore[arg-type]
        doi=find_doi(m.group("rest")), style="chicago",
    )


# ---------------------------------------------------------------- comma lists (blog reference lists)

#: One person's name as blog reference lists print it: Sara Hooker, Asier Gutiérrez-Fandiño, J. R. Smith.
_RE_PERSON = re.compile(r"(?!(?:The|A|An|On|In|Towards?|How|What|Why|When)\s)(?:[A-Z][\w'’-]*\.?|[A-Z]\.)"
                        r"(?:\s+(?:[A-Z][\w'’-]*\.?|[A-Z]\.|van|von|de|der|da|del|di|le|la)){1,3}")
_RE_TRAILING_YEAR = re.compile(r",\s*(?P<year>(?:19|20)\d\d)[a-z]?\.?\s*(?P<url>https?://\S+)?\s*$")
_RE_ET_AL_TITLE = re.compile(r"^(?P<authors>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*\s+et\s+al\.?)\s+(?P<title>(?:[^.]|\.(?=\S)){8,}?)\."
                             r"(?:\s*(?:URL\s*)?(?P<url>https?://\S+))?\s*$")


_RE_VANCOUVER = re.compile(
    r"^(?:\[[A-Za-z][^\]]{1,30}\]\s*)?(?P<authors>(?:[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)? [A-Z]{1,3}, )*[A-Z][\w'’-]+"
    r"(?: [A-Z][\w'’-]+)? [A-Z]{1,3}(?:, et al)?)\.\s+(?P<title>[^.]{8,}?)[.?!]\s+(?P<rest>.*)$")


def _parse_vancouver(text: str) -> ParsedCitation | None:
    """``Irving G, Christiano P, Amodei D. AI safety via debate. arXiv preprint arXiv:1805.00899, 2018.``

    Surnames with initials, a full stop, the title, the rest (journal or preprint and year); a leading
    venue tag (``[ICML 2024]``) is dropped.
    """
    m = _RE_VANCOUVER.match(text)
    if not m:
        return None
    names = [n.strip() for n in m.group("authors").split(",")]
    et_al = names[-1] == "et al"
    rest = m.group("rest")
    url_hit = find_url(rest)
    return ParsedCitation(kind="journal" if re.search(r"\d+\s*\(\d+\)|\bvol\b|arXiv", rest, re.IGNORECASE) else "report",
                          authors=tuple(n for n in names if n != "et al"), title=clean(m.group("title")),
                          container=clean(re.split(r",\s*(?:19|20)\d\d|\s*\d+\s*\(", rest)[0]) or None,
                          year=first_year(re.sub(r"\d{4}\.\d{4,5}(?:v\d+)?", "", rest)),  # not arXiv:1805.00899
                          url=url_hit[0] if url_hit else None, doi=find_doi(rest),
                          flags=("et_al",) if et_al else (), style="vancouver")


def _parse_comma_list(text: str) -> ParsedCitation | None:
    """``Sara Hooker, The Hardware Lottery, 2020`` and ``Li et al. Textbooks are all you need. URL https://…``.

    Blog posts list references as names, title and year joined by commas (no
    quotes, no italics to tell the title): the leading parts that read as
    people's names (or ``et al.``) are the authors, the rest up to the year
    the title.  Only when at least one name leads and a title is left.
    """
    m = _RE_ET_AL_TITLE.match(text)
    if m:
        first = re.sub(r"\s+et\s+al\.?$", "", m.group("authors"))
        return ParsedCitation(kind="web" if m.group("url") else "report", authors=(first,), title=clean(m.group("title")),
                              url=m.group("url"), year=first_year(m.group("title")), flags=("et_al",), style="comma")
    tail = _RE_TRAILING_YEAR.search(text)
    if tail is None or find_url(text[: tail.start()]):
        return None
    parts = [p.strip() for p in text[: tail.start()].split(",")]
    names: list[str] = []
    et_al = False
    while len(parts) > 1 and (_RE_PERSON.fullmatch(parts[0]) or re.fullmatch(r"(?:and\s+)?et\s+al\.?", parts[0])):
        part = parts.pop(0)
        if "et al" in part:
            et_al = True
        else:
            names.append(re.sub(r"^and\s+", "", part))
    title = ", ".join(parts).strip()
    if not names or not title or len(title.split()) < 2:
        return None
    return ParsedCitation(kind="web" if tail.group("url") else "report", authors=tuple(names), title=clean(title),
                          year=int(tail.group("year")), url=tail.group("url"), flags=("et_al",) if et_al else (),
                          style="comma")


# ---------------------------------------------------------------- links, ibid, fallback

_RE_MD_LINK = re.compile(r"^\s*\[([^\]]+)\]\((\S+?)\)\s*(.*)$", re.DOTALL)


def _parse_link(text: str) -> ParsedCitation | None:
    """``[Site: Title](url)``: the site prefix (up to four words before ``: ``) becomes the container."""
    m = _RE_MD_LINK.match(text)
    if not m:
        return None
    anchor = m.group(1).strip()
    site, sep, title = anchor.partition(": ")
    container = None
    if sep and len(site.split()) <= 4 and title:
        container, anchor = site.strip(), title.strip()
    return ParsedCitation(kind="web", title=anchor, container=container, url=m.group(2), year=first_year(anchor),
                          date=find_date(m.group(3)), style="link")


def _parse_ibid(text: str) -> ParsedCitation | None:
    m = _RE_IBID.match(text)
    if not m:
        return None
    pages = _RE_ZH_PAGES.search(text) or _RE_EN_PAGES.search(text) or re.search(r"[,，]\s*(\d+(?:[-–]\d+)?)\s*[.。]?$", text)
    return ParsedCitation(kind="other", pages=pages.group(1) if pages else None, flags=("ibid",), style="ibid")


def _looks_like_prose(text: str) -> bool:
    """An explanatory note: sentences, not a source description."""
    inner = text.rstrip("。.!！ ")
    if re.search(r"[。！？；]", inner) or re.search(r"[.!?;]\s+\w", inner):
        return True
    if re.search(r"又称|是指|指的是|就是|即为|是一种|意味着|refers to|is defined as|means\b", inner):
        return True
    return ("，" in inner and len(inner) > 20) or (len(inner) > 100 and "," in inner)


_RE_NOTE_SPLIT = re.compile(r"[;；]|(?<=[.!?])\s+(?=[A-Z])")
_RE_DEFINES = re.compile(r"又称|是指|指的是|即为|是一种|refers to|is defined as|means\b")


def _leading_source(text: str) -> str | None:
    """The source a note names before commenting on it.

    "City Environment Office, Street Sensor Pilot: Final Report (2024); quotes
    from March." cites a report and then explains: the head names a dated
    work, so the note is a source, not an explanation.
    """
    head = _RE_NOTE_SPLIT.split(text, maxsplit=1)[0].strip().rstrip(".。")
    if len(head) > 160 or not first_year(head) or _RE_DEFINES.search(head):
        return None
    return head if re.match(rf"[A-Z{HAN}《“\"]", head) else None


def _parse_glossary(text: str) -> ParsedCitation | None:
    """``一降三减：降低……。``: a glossary note explains a Chinese term in sentences and cites nothing.

    The term is Han text without a year or a news outlet's name (``新华社：…``
    names a source), and the explanation after the colon ends its sentence
    and holds no URL; otherwise the note is left to the plain parser.
    """
    m = GLOSSARY_TERM.match(text)
    if not m:
        return None
    term, explanation = m.group("term"), text[m.end() :].strip()
    if not re.search(f"[{HAN}]", term) or first_year(term) or _NEWS_NAMES.search(term):
        return None
    if find_url(explanation) or not explanation.endswith(("。", "！", "；")):
        return None
    return ParsedCitation(kind="note", style="glossary")


def _parse_plain(text: str) -> ParsedCitation:
    """A URL, a short source name, or an explanatory note."""
    url_hit = find_url(text)
    if url_hit:
        title = clean(text[: url_hit[1]])
        return ParsedCitation(kind="web", title=title, url=url_hit[0], year=first_year(title or ""),
                              date=find_date(text), doi=find_doi(text), style="plain")
    if _looks_like_prose(text):
        head = _leading_source(text)
        if head is None:
            return ParsedCitation(kind="note", style="plain")
        text = head
    name = clean(text)
    kind = "news" if name and _NEWS_NAMES.search(name) else ("report" if name and _REPORT_WORDS.search(name) else "other")
    site, sep, title = (name or "").partition(": ")
    container = None
    if sep and title and len(site.split()) <= 4:
        container, name = site.strip(), title.strip()
    return ParsedCitation(kind=kind, title=name, container=container, year=first_year(text), date=find_date(text),
                          style="plain")


def _prepare(raw: str) -> str:
    """Fold widths, drop a leading marker / entry number / source cue, join wrapped lines."""
    text = fold_width(raw).strip()
    text = _RE_LEADING_MARKER.sub("", text, count=1)
    text = strip_entry_prefix(text).lstrip(":：- \t")  # <a id="1">[1]</a> : Sara Hooker, …
    text = _RE_SOURCE_CUE.sub("", text, count=1)
    text = _RE_SEE.sub("", text, count=1)
    return re.sub(r"[ \t]*\n[ \t]*", "\n", text).strip()


def parse_citation(raw: str) -> ParsedCitation:
    """Fields of the work ``raw`` cites; kind ``note`` when it explains instead of citing.

    Never raises on odd input: unparseable text becomes kind ``other`` (a
    short name) or ``note`` (prose).
    """
    text = _prepare(raw)
    if not text:
        return ParsedCitation(kind="other", style="plain")
    one_line = text.replace("\n", " ") if not find_url(text) else text
    for parser in (_parse_ibid, parse_gbt7714, _parse_link, _parse_zh_note, _parse_apa, _parse_chicago,
                   _parse_vancouver, _parse_comma_list, _parse_glossary):
        parsed = parser(one_line)
        if parsed is not None:
            return parsed
    return _parse_plain(one_line)


# ---------------------------------------------------------------- keys


class _HasFields(Protocol):
    title: str | None
    year: int | None
    url: str | None
    kind: str


def _norm_title(title: str) -> str:
    return re.sub(r"[\W_]+", "", fold_width(title)).casefold()


def normalize_url(url: str) -> str:
    """Scheme, ``www.``, tracking parameters, fragment and trailing slash dropped; host lower-cased."""
    u = fold_width(url).strip()
    u = re.sub(r"^[a-z]+[:：]//", "", u, flags=re.IGNORECASE)
    u = re.sub(r"^www\.", "", u, flags=re.IGNORECASE)
    u = u.split("#", 1)[0]
    host, _, path = u.partition("/")
    path = re.sub(r"(?<=[?&])utm_[^&]*&?|[?&]utm_[^&]*$", "", path).rstrip("?&")
    return (host.lower() + ("/" + path if path else "")).rstrip("/")


def citation_key(c: _HasFields) -> str:
    """Same work -> same key across documents.

    Order: DOI; the URL for web/link/news sources; the normalized title plus
    year; the URL; else the normalized raw text (for ``Citation`` records).
    """
    doi = getattr(c, "doi", None) or (find_doi(c.url) if c.url else None)
    if doi:
        return "doi:" + doi.lower()
    if c.url and c.kind in ("web", "link", "news", "named_source"):
        return "url:" + normalize_url(c.url)
    if c.title and _norm_title(c.title):
        return "title:" + _norm_title(c.title) + (f":{c.year}" if c.year else "")
    if c.url:
        return "url:" + normalize_url(c.url)
    raw = getattr(c, "raw", "") or ""
    return "raw:" + _norm_title(raw)[:120]
