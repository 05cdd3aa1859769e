"""GB/T 7714 (2015 and 2025 editions) bibliography entries, numeric and author-year.

The shape is ``Authors. Title[Type/Medium]. Rest.`` where the type code
(``[J]``, ``[M]``, ``[EB/OL]``, ``[N]``, ``[R]``, ``[D]``, ``[C]``, ``[S]``,
``[P]``...) anchors everything: authors and title sit before it, the
container, year, volume(issue): pages, ``(publication date)[access date]``,
URL and DOI after it.  Author-year style moves the year behind the authors
(``王临惠, 支建刚, 2010. 题名[J]. 刊名, 37 (4): 147.``).
"""

from __future__ import annotations

import re

from extractors.citations_text import (
    ParsedCitation,
    clean,
    find_date,
    find_doi,
    find_url,
    first_year,
)

_RE_TYPE = re.compile(r"\[(EB|DB|CP|CM|DS|M|C|N|J|D|R|S|P|G|A|Z)(?:/(OL|CD|MT|DK))?\]")
_KIND_OF_CODE = {
    "J": "journal", "N": "news", "M": "book", "C": "book", "G": "book",
    "EB": "web", "DB": "web", "CP": "web", "R": "report", "S": "report", "D": "report",
}
_RE_ENTRY_PREFIX = re.compile(r"^\s*(?:\[\d{1,4}\]|\d{1,4}[.．、]\s)\s*")
_RE_NATEXLAB = re.compile(r"\{\\natexlab\{([a-z])\}\}")
_RE_HEAD_YEAR = re.compile(
    r"[,，]\s*(c?(?:1[5-9]|20)\d\d(?:-(?:(?:1[5-9]|20)\d\d)?)?[a-z]?(?:（[^）]*）)?|\[(?:1[5-9]|20)\d\d\][a-z]?|n\.d\.[-a-z]*|无日期[-a-z]*)\s*$"
)
_RE_ET_AL = re.compile(r"^(?:等|et\s*al\.?|等人)$", re.IGNORECASE)
_ANONYMOUS = {"佚名", "anon", "anon.", "anonymous"}
_RE_VOLUME_IN_TITLE = re.compile(r"[:：]\s*(?:第\s*(\d+)\s*[卷册]|[^:：]{0,8}[卷册]|[上中下]|제\s*(\d+)\s*권|vol\.?\s*(\d+))\s*$", re.IGNORECASE)
# A report/standard/patent number after the title: GB/T 25100—2010, ISO 15836:2009, 200610171314.3, RMRS-GTR-262.
_RE_CODE_IN_TITLE = re.compile(r"[:：]\s*((?:[A-Z]{1,6}(?:/[A-Z]{1,2})?\s*)?[A-Z0-9][\w\-./:—]*\d[\w\-./:—]*|[^:：]{0,12}\d+\s*号)$")
_RE_ACCESSED = re.compile(r"\[((?:1[5-9]|20)\d\d-\d{1,2}-\d{1,2})\]")
_RE_PUBDATE = re.compile(r"\(((?:1[5-9]|20)\d\d-\d{1,2}-\d{1,2})\)")
_RE_JOURNAL_REST = re.compile(
    r"^\s*(?:[,，]\s*)?(?:(?P<n1>\d{1,4}[a-z]?)\s*)?(?:[,，]\s*(?P<n2>\d+[\w/]*)\s*)?"
    r"(?:\((?P<issue>[^)]+)\))?\s*(?:-\s*)?(?::\s*(?P<pages>[\w\-–+]+(?:\s*,\s*[\w\-–+]+)*))?"
)
_RE_NEWS_REST = re.compile(r"[,，]\s*((?:1[5-9]|20)\d\d-\d{1,2}-\d{1,2})\s*(?:\(([^)]+)\))?")
_RE_PUBLISHER = re.compile(
    r"^(?:(?P<place>[^:：]+?)\s*[:：]\s*)?(?P<publisher>[^:：]*?)\s*(?:[,，]\s*(?P<year>(?:c)?(?:1[5-9]|20)\d\d[^:：\[]*))?"
    r"\s*(?:[:：]\s*(?P<pages>[^\[]+?))?\s*(?:\[[^\]]*\])?$"
)
_RE_EDITION = re.compile(r"(?:修订版|^\S{0,4}版$|\d+(?:st|nd|rd|th)\s+ed|rev\.\s*ed|ed\.$|\d+\s*版$|版$|修订本|刻本|影印本|重印)", re.IGNORECASE)
_RE_TRANSLATOR = re.compile(r"[,，]\s*译$|\btrans(?:lated)?\b|[,，]\s*编$|\beds?\.$", re.IGNORECASE)


def strip_entry_prefix(text: str) -> str:
    """``[12] Author...`` or ``12. Author...`` -> ``Author...``."""
    return _RE_ENTRY_PREFIX.sub("", text, count=1)


def _split_outside_braces(text: str) -> list[str]:
    """Split at ``,``/``，``/``、``/``;``/`` and ``/``&`` except inside ``{...}`` (``{Online Computer Library Center, Inc.}``)."""
    parts, depth, start = [], 0, 0
    for m in re.finditer(r"[{}]|\s*[,，、;；]\s*|\s+and\s+|\s*&\s*", text):
        tok = m.group()
        if tok in "{}":
            depth += 1 if tok == "{" else -1
        elif depth == 0:
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return parts


def split_authors(text: str) -> tuple[tuple[str, ...], bool]:
    """Authors separated by ``,``/``，``/``、``; returns (names, had_et_al).  ``佚名``/``Anon`` give no names."""
    names: list[str] = []
    et_al = False
    text = re.sub(r"(?<=\S)(et\s*al\.?|等)\s*$", r", \1", text.strip())
    for part in _split_outside_braces(text):
        name = part.strip().strip("{}").strip()
        if not name:
            continue
        if name.rstrip(".").lower() in ("jr", "sr", "ii", "iii"):
            continue
        if _RE_ET_AL.match(name):
            et_al = True
        elif name.lower() not in _ANONYMOUS:
            names.append(name)
    return tuple(names), et_al


def _first_cut(head: str) -> re.Match[str] | None:
    """The first ``. `` outside ``{...}`` groups (``{U.S. Department}. Title``)."""
    for m in re.finditer(r"(?<=[^\s.])\.\s+(?=\S)", head):
        if head.count("{", 0, m.start()) == head.count("}", 0, m.start()):
            return m
    return None


def _split_head(head: str) -> tuple[str | None, int | None, str]:
    """``Authors[, year]. Title`` -> (authors text, year, title)."""
    cut = _first_cut(head)
    if not cut:
        brace = re.match(r"^(\{[^{}]*(?:,|\S+\s+\S+\s+\S)[^{}]*\})\s+(\S.*)$", head)
        return (brace.group(1), None, brace.group(2)) if brace else (None, None, head)
    authors, title = head[: cut.start()], head[cut.end() :]
    year_m = _RE_HEAD_YEAR.search(authors)
    year = None
    if year_m:
        year = first_year(year_m.group(1))
        authors = authors[: year_m.start()]
    return authors, year, title


def _split_title(title: str, code: str) -> tuple[str, str | None]:
    """Move ``: 第 1 卷`` out of the title (volume); drop a standard/patent number suffix."""
    volume = None
    m = _RE_VOLUME_IN_TITLE.search(title)
    if m:
        volume, title = next((g for g in m.groups() if g), None), title[: m.start()]
    m = _RE_CODE_IN_TITLE.search(title)
    if m and not re.fullmatch(r"\d{1,4}", m.group(1)):
        title = title[: m.start()]
    return title.strip(), volume


_RE_SEGMENT_CUT = re.compile(
    r"(?<=[^\s.])(?<![A-Z]\.\s[A-Z])\.\s+(?![A-Z]\.)(?=[A-Z\u4e00-\u9fff\uac00-\ud7af\d(\[{“\"《]|http|www|doi|DOI)"
    r"|(?<=[^\s.])\.\s*$"
)


def _segments(tail: str) -> list[str]:
    """Split the part after the type code at ``. `` (not at ``Univ. of``)."""
    return [s.strip() for s in _RE_SEGMENT_CUT.split(tail) if s and s.strip()]


def _journal_fields(tail: str, year: int | None) -> dict[str, object]:
    """``Container, 2010, 37 (4): 147`` / ``Container (5): 38-39`` / ``Container, 22: 311``."""
    first = _segments(tail)[0] if _segments(tail) else ""
    m = re.search(r"[,，]\s*\d|\s*\(\d|[,，]\s*$", first)
    container = first[: m.start()] if m else first
    rest = first[m.start() :] if m else ""
    out: dict[str, object] = {"container": clean(container)}
    r = _RE_JOURNAL_REST.match(rest)
    if r:
        nums = [n for n in (r.group("n1"), r.group("n2")) if n]
        if nums and re.fullmatch(r"(?:1[5-9]|20)\d\d", nums[0]) and (year is None or int(nums[0]) == year):
            out["year"] = int(nums.pop(0))
        if nums:
            out["volume"] = nums[0]
        out["issue"] = clean(r.group("issue"))
        out["pages"] = clean(r.group("pages"))
    return out


def _news_fields(tail: str) -> dict[str, object]:
    first = _segments(tail)[0] if _segments(tail) else ""
    m = _RE_NEWS_REST.search(first)
    if not m:
        return {"container": clean(first)}
    return {"container": clean(first[: m.start()]), "date": find_date(m.group(1)), "pages": clean(m.group(2))}


_RE_PUB_YEAR = re.compile(r"(?:^|[,，]\s*)(c?(?:1[5-9]|20)\d\d(?:[-–]\d*)?(?:（[^）]*）)?)(?:\s*[:：]\s*(.+))?$")
_RE_PAGES = re.compile(r"^(?:序\s*)?[\dIVXivx.\-–+,\s]+$|^扉页$|^第\s*\d+\s*版自序$")


def _publisher_of(seg: str) -> dict[str, object] | None:
    """``Place: Publisher, Year: Pages`` (numeric) or ``Place: Publisher: Pages`` (author-year); None otherwise."""
    seg = re.sub(r"\[[^\]]*\]\s*$", "", seg).strip()
    pages = None
    m = _RE_PUB_YEAR.search(seg)
    if m:
        year, pages, pre = first_year(m.group(1)), m.group(2), seg[: m.start()]
    else:
        year, parts = None, re.split(r"\s*[:：]\s*", seg)
        if len(parts) >= 2 and _RE_PAGES.match(parts[-1]):
            pages, parts = parts[-1], parts[:-1]
        pre = ": ".join(parts)
    place, sep, publisher = pre.partition(":") if ":" in pre else pre.partition("：")
    if not sep:
        place, publisher = "", pre
    if not (sep or year or pages):
        return None
    return {"place": clean(place), "publisher": clean(publisher), "year": year, "pages": clean(pages)}


def _publisher_fields(segments: list[str]) -> dict[str, object]:
    """``[Translator, 译.] [2nd ed.] Place: Publisher, Year: Pages`` from the segments after the type code."""
    for seg in segments:
        if _RE_TRANSLATOR.search(seg) or _RE_EDITION.search(seg) or seg.startswith(("(", "[")):
            continue
        found = _publisher_of(seg)
        if found:
            return found
    return {}


def _chapter_fields(tail: str) -> tuple[str, dict[str, object]]:
    """``// Editors. Booktitle: 第 35 卷. Place: Publisher, Year: Pages`` -> container and the rest."""
    segs = _segments(tail.lstrip("/ ").strip())
    pub = next((i for i in range(len(segs) - 1, 0, -1) if _publisher_of(segs[i])), len(segs))
    before = [seg for seg in segs[:pub] if not _RE_EDITION.search(seg)]
    container = before[-1] if before else ""
    container, volume = _split_title(container, "M")
    return ". ".join(segs[pub:]), {"container": clean(container), "volume": volume}


def parse_gbt7714(text: str) -> ParsedCitation | None:
    """Parse one GB/T 7714 entry; None when ``text`` has no type code (not this style)."""
    text = _RE_NATEXLAB.sub(r"\1", strip_entry_prefix(text)).strip()
    code_m = _RE_TYPE.search(text)
    if not code_m:
        return None
    code = code_m.group(1)
    online = code_m.group(2) == "OL"
    head, tail = text[: code_m.start()], text[code_m.end() :].lstrip(". ")
    authors_text, year, title = _split_head(head)
    authors, et_al = split_authors(authors_text) if authors_text else ((), False)
    title, volume = _split_title(title, code)

    url_hit = find_url(tail)
    url = url_hit[0] if url_hit else None
    doi = find_doi(tail)
    accessed = _RE_ACCESSED.search(tail)
    pubdate = _RE_PUBDATE.search(tail)
    core = tail[: url_hit[1]] if url_hit else tail
    core = re.sub(r"DOI\s*[:：].*$", "", core, flags=re.IGNORECASE)
    core = _RE_ACCESSED.sub("", core)

    fields: dict[str, object] = {}
    if core.startswith("//"):
        core, fields = _chapter_fields(core)
        fields.update({k: v for k, v in _publisher_fields(_segments(core)).items() if v})
    elif code == "J":
        fields = _journal_fields(core, year)
    elif code == "N":
        fields = _news_fields(core)
    else:
        fields = _publisher_fields(_segments(core))
    date = fields.get("date") or (find_date(pubdate.group(1)) if pubdate else None)
    if code == "P" and not date:
        date = find_date(core)
    year = year or fields.get("year") or (int(date[:4]) if date else None) or first_year(core)  # type: ignore[assignment]
    kind = _KIND_OF_CODE.get(code, "other")
    return ParsedCitation(
        kind=kind, authors=authors, title=clean(title), container=fields.get("container"),  # type: ignore[arg-type]
        year=year, url=url, volume=volume or fields.get("volume"), issue=fields.get("issue"),  # type: ignore[arg-type]
        pages=fields.get("pages"), date=date, flags=(("et_al",) if et_al else ()) + (("online",) if online else ()),  # type: ignore[arg-type]
        publisher=fields.get("publisher"), place=fields.get("place"), doi=doi,  # type: ignore[arg-type]
        accessed=accessed.group(1) if accessed else None, style="gbt7714",
    )
