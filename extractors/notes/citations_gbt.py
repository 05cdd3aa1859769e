"""GB/T 7714 (2015 and 2025 editions) bibliography entries, numeric and author-year.

The shape is ``Authors. Title[Type/Medium]. Rest.`` where the type code
(``[J]``, ``[M]``, ``[EB/OL]``, ``[N]``, ``[R]``, ``[D]``, ``[C]``, ``[S]``,
``[P]``...) anchors everything: authors and title sit before it, the
container, year, volume(issue): pages, ``(publication date)[access date]``,
URL and DOI after it.  Author-year style moves the year behind the authors
(``王临惠, 支建刚, 2010. 题名[J]. 刊名, 37 (4): 147.``).

The 2025 edition (in force from 2026-07-01) adds the codes ``[PP]``
(preprint), ``[DS]`` (dataset) and ``[CM]`` (map), writes a standard's
number before its title (``GB/T 7714—2025　信息与文献…[S]``), separates the
author-year year with a period (``王临惠，支建刚. 2010. 题名``) and, in its
"GB" punctuation, uses full-width ``，：（）`` in the locator
(``刊名，2010，37（4）：147``); all of these parse into the same fields.
"""

from __future__ import annotations

import re

from extractors.lexicon import HAN, HANGUL
from extractors.notes.citations_text import (
    ParsedCitation,
    clean,
    find_date,
    find_doi,
    find_url,
    first_year,
)

_CJK = HAN  # Chinese characters (the lexicon's \p{Han})
_RE_TYPE = re.compile(r"\[(EB|DB|CP|CM|DS|PP|M|C|N|J|D|R|S|P|G|A|Z)(?:/(OL|CD|MT|DK))?\]")
# A preprint is unreviewed grey literature like a report; a dataset is consulted like a database.
_KIND_OF_CODE = {
    "J": "journal", "N": "news", "M": "book", "C": "book", "G": "book",
    "EB": "web", "DB": "web", "CP": "web", "DS": "web", "R": "report", "S": "report", "D": "report", "PP": "report",
}
_RE_ENTRY_PREFIX = re.compile(r"^\s*(?:\[\d{1,4}\]|\d{1,4}[.．、]\s)\s*")
_RE_NATEXLAB = re.compile(r"\{\\natexlab\{([a-z])\}\}")
_RE_HEAD_YEAR = re.compile(
    r"[,，]\s*(c?(?:1[5-9]|20)\d\d(?:-(?:(?:1[5-9]|20)\d\d)?)?[a-z]?(?:（[^）]*）)?|\[(?:1[5-9]|20)\d\d\][a-z]?|n\.d\.[-a-z]*|无日期[-a-z]*)\s*$"
)
# The 2025 author-year style puts the year in its own block: ``王临惠，支建刚. 2010. 题名[J]``.
_RE_LEAD_YEAR = re.compile(r"^(c?(?:1[5-9]|20)\d\d[a-z]?|n\.d\.[-a-z]*|无日期[-a-z]*)\.\s+(?=\S)")
_RE_ET_AL = re.compile(r"^(?:等|et\s*al\.?|等人)$", re.IGNORECASE)
# What the named people did, not a name: ``王明, 主编``, ``SMITH J, ed.``, ``鲁迅著``, ``李华等编``.
_RE_ROLE_PART = re.compile(r"^[(（]?(?:主编|编著|编译|编|著|译|eds?\.?)[)）]?$", re.IGNORECASE)
_RE_ROLE_SUFFIX = re.compile(rf"(?:[(（](?:主编|编著|编译|编|著)[)）]|(?<=[{_CJK}]{{2}})(?:主编|编著|编译|编|著))$")
_ANONYMOUS = {"佚名", "anon", "anon.", "anonymous"}
_RE_VOLUME_IN_TITLE = re.compile(r"[:：]\s*(?:第\s*(\d+)\s*[卷册]|[^:：]{0,8}[卷册]|[上中下]|제\s*(\d+)\s*권|vol\.?\s*(\d+))\s*$", re.IGNORECASE)
# A report/standard/patent number after the title: GB/T 25100—2010, ISO 15836:2009, 200610171314.3, RMRS-GTR-262.
_RE_CODE_IN_TITLE = re.compile(r"[:：]\s*((?:[A-Z]{1,6}(?:/[A-Z]{1,2})?\s*)?[A-Z0-9][\w\-./:—]*\d[\w\-./:—]*|[^:：]{0,12}\d+\s*号)$")
# The 2025 edition writes a standard's number first: ``GB/T 7714—2025　信息与文献 参考文献著录规则``, ``ISO 690:2021 Information…``.
_RE_STD_NUMBER_LEAD = re.compile(r"^[A-Z]{1,6}(?:/[A-Z]{1,2})?\s*\d[\d.\-]*\s*[—–:-]\s*((?:1[5-9]|20)\d\d)\s+(?=\S)")
_RE_ACCESSED = re.compile(r"\[((?:1[5-9]|20)\d\d-\d{1,2}-\d{1,2})\]")
_RE_PUBDATE = re.compile(r"\(((?:1[5-9]|20)\d\d-\d{1,2}-\d{1,2})\)")
_RE_JOURNAL_REST = re.compile(
    r"^\s*(?:[,，]\s*)?(?:(?P<n1>\d{1,4}[a-z]?)\s*)?(?:[,，]\s*(?P<n2>\d+[\w/]*)\s*)?"
    r"(?:\((?P<issue>[^)]+)\))?\s*(?:-\s*)?(?::\s*(?P<pages>[\w\-–—~～+]+(?:\s*,\s*[\w\-–—~～+]+)*))?"
)
# The run of a whole serial, ``1984, 1(1)-`` or ``1957(1)-1990(4)``: no container, and no single volume.
_YEAR = r"(?:1[5-9]|20)\d\d"
_RE_HOLDINGS = re.compile(rf"(?:{_YEAR}\s*,\s*)?(?:\d+\s*)?\(\d+\)\s*[-–—]\s*(?:(?:{_YEAR}\s*,\s*)?(?:\d+\s*)?\(\d+\))?")
_RE_ZH_ISSUE_WORD = re.compile(r"(?:[,，]|年)\s*第\s*(\d+)\s*期")
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
    text = _RE_ROLE_SUFFIX.sub("", text.strip())
    text = re.sub(r"(?<=\S)(et\s*al\.?|等)\s*$", r", \1", text)
    for part in _split_outside_braces(text):
        name = part.strip().strip("{}").strip()
        if not name or _RE_ROLE_PART.match(name):
            continue
        if name.rstrip(".").lower() in ("jr", "sr", "ii", "iii"):
            continue
        if _RE_ET_AL.match(name):
            et_al = True
        elif name.lower() not in _ANONYMOUS:
            names.append(name)
    return tuple(names), et_al


def _first_cut(head: str) -> re.Match[str] | None:
    """The first ``. `` outside ``{...}`` groups (``{U.S. Department}. Title``).

    Chinese lists often leave out the space (``王明,李华.数字经济[J]``): a
    period touching a CJK character cuts too.
    """
    for m in re.finditer(rf"(?<=[^\s.])\.\s+(?=\S)|(?<=[^\s.])\.(?=[{_CJK}])|(?<=[{_CJK}])\.(?=[^\s.])", head):
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
    elif lead := _RE_LEAD_YEAR.match(title):
        year, title = first_year(lead.group(1)), title[lead.end() :]
    return authors, year, title


def _split_title(title: str, code: str) -> tuple[str, str | None]:
    """Move ``: 第 1 卷`` out of the title (volume); drop a standard/patent number suffix or (2025) prefix."""
    volume = None
    if code == "S":
        title = _RE_STD_NUMBER_LEAD.sub("", title, count=1)
    m = _RE_VOLUME_IN_TITLE.search(title)
    if m:
        volume, title = next((g for g in m.groups() if g), None), title[: m.start()]
    m = _RE_CODE_IN_TITLE.search(title)
    if m and not re.fullmatch(r"\d{1,4}", m.group(1)):
        title = title[: m.start()]
    return title.strip(), volume


_RE_SEGMENT_CUT = re.compile(
    rf"(?<=[^\s.])(?<![A-Z]\.\s[A-Z])\.\s+(?![A-Z]\.)(?=[A-Z{_CJK}{HANGUL}\d(\[{{“\"《]|http|www|doi|DOI)"
    rf"|(?<=[{_CJK}])\.(?=[{_CJK}(\[])"  # no space: ``2版.北京: 人民出版社``
    r"|(?<=[^\s.])\.\s*$"
)


_RE_FW_PARENS = re.compile(r"（([^（）]{0,24})）")


def _fold_locator_punct(tail: str) -> str:
    """``，2021，41（3）：147-152`` -> ``, 2021, 41(3): 147-152``.

    The 2025 edition's "GB" punctuation and many hand-typed lists use
    full-width ``，：（）`` after the type code; folding them lets one grammar
    read both.  Brackets that hold words (``学报（自然科学版）``) are kept.
    """
    tail = re.sub(r"\s*，\s*", ", ", tail)
    tail = re.sub(r"：(?=//)", ":", tail)  # ``https：//`` stays one URL
    tail = re.sub(r"\s*：\s*", ": ", tail)

    def paren(m: re.Match[str]) -> str:
        inner = m.group(1)
        words = re.sub(r"增刊|合刊|第|期|卷", "", inner)
        is_locator = not re.search(rf"[{_CJK}]", words) and (re.search(r"\d", inner) or "刊" in inner)
        return f"({inner})" if is_locator else m.group(0)

    return _RE_FW_PARENS.sub(paren, tail)


def _segments(tail: str) -> list[str]:
    """Split the part after the type code at ``. `` (not at ``Univ. of``)."""
    return [s.strip() for s in _RE_SEGMENT_CUT.split(tail) if s and s.strip()]


def _journal_fields(tail: str, year: int | None) -> dict[str, object]:
    """``Container, 2010, 37 (4): 147`` / ``Container (5): 38-39`` / ``Container, 22: 311``.

    A whole serial (``临床内科杂志[J]. 1984, 1(1)-. 武汉: 中华医学会湖北分会, 1984-.``)
    names its publisher in a later ``Place: Publisher`` block.
    """
    segs = _segments(tail)
    first = segs[0] if segs else ""
    if _RE_HOLDINGS.fullmatch(first):
        out: dict[str, object] = {"volume": first, "year": first_year(first)}
    else:
        out = _journal_locator(first, year)
    imprint = next((f for f in map(_publisher_of, segs[1:]) if f and f["place"] and f["publisher"]), None)
    if imprint:
        out.update(publisher=imprint["publisher"], place=imprint["place"])
    return out


def _journal_locator(first: str, year: int | None) -> dict[str, object]:
    """Container, year, volume, issue and pages from the block right after ``[J]``."""
    m = re.search(r"[,，]\s*\d|\s*\((?:\d|S\d|增刊|合刊|第)|[,，]\s*$", first)
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
        out["issue"] = _bare_issue(clean(r.group("issue")))
        out["pages"] = _page_range(r.group("pages"))
    if not out.get("issue") and (m := _RE_ZH_ISSUE_WORD.search(rest)):
        out["issue"] = m.group(1)
        pages = re.match(r"\s*[:：]\s*([\w\-–—~～+]+(?:\s*,\s*[\w\-–—~～+]+)*)", rest[m.end() :])
        out["pages"] = out.get("pages") or (_page_range(pages.group(1)) if pages else None)
    return out


def _page_range(text: str | None) -> str | None:
    """``12—30`` / ``12~30`` -> ``12-30``: hand-typed lists join ranges with any dash or a tilde."""
    return clean(re.sub(r"(?<=\w)\s*[—~～]\s*(?=\w)", "-", text)) if text else None


def _bare_issue(text: str | None) -> str | None:
    """``第3期`` -> ``3``: hand-typed lists spell the issue out inside the brackets."""
    m = re.fullmatch(r"第\s*(\d+)\s*期", text or "")
    return m.group(1) if m else text


def _news_fields(tail: str) -> dict[str, object]:
    first = _segments(tail)[0] if _segments(tail) else ""
    m = _RE_NEWS_REST.search(first)
    if not m:
        return {"container": clean(first)}
    return {"container": clean(first[: m.start()]), "date": find_date(m.group(1)), "pages": clean(m.group(2))}


_RE_PUB_YEAR = re.compile(r"(?:^|[,，]\s*)(c?(?:1[5-9]|20)\d\d(?:[-–]\d*)?(?:（[^）]*）)?)(?:\s*[:：]\s*(.+))?$")
_RE_BRACKETED = re.compile(r"(?:\([^()]*\)|\[[^\[\]]*\])+")
# ``[出版地不详]: [出版者不详]``, ``[S.l.]: [s.n.]``: the standard's way of saying "unknown".
_RE_UNKNOWN = re.compile(r"\[(?:出版地不详|出版者不详|S\.\s*l\.|s\.\s*n\.)\]", re.IGNORECASE)
_RE_PAGE_RANGE = re.compile(r"[A-Za-z]?\d+\s*[-–]\s*[A-Za-z]?\d+")
_RE_PAGES = re.compile(r"^(?:序\s*)?[\dIVXivx.\-–+,\s]+$|^扉页$|^第\s*\d+\s*版自序$")


def _publisher_of(seg: str) -> dict[str, object] | None:
    """``Place: Publisher, Year: Pages`` (numeric) or ``Place: Publisher: Pages`` (author-year); None otherwise."""
    seg = _RE_UNKNOWN.sub("", re.sub(r"\[[^\]]*\]\s*$", "", seg)).strip()
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
    return {"place": clean(place), "publisher": clean(publisher), "year": year, "pages": _page_range(pages)}


def _publisher_fields(segments: list[str]) -> dict[str, object]:
    """``[Translator, 译.] [2nd ed.] Place: Publisher, Year: Pages`` from the segments after the type code.

    With no imprint, a bare page range (author-year moves the year out of
    ``[R]. 2011: 8-9.``, leaving ``[R]. 8-9.``) is still the pages.
    """
    for seg in segments:
        if _RE_TRANSLATOR.search(seg) or _RE_EDITION.search(seg) or _RE_BRACKETED.fullmatch(seg):
            continue
        found = _publisher_of(seg)
        if found:
            return found
    bare = next((seg for seg in segments if _RE_PAGE_RANGE.fullmatch(seg)), None)
    return {"pages": bare} if bare else {}


_RE_EPRINT = re.compile(rf"^(?P<platform>[A-Za-z][\w ]{{1,30}}?|[{_CJK}]{{2,12}})\s*[:：]\s*(?P<id>[\w./-]*\d[\w./-]*)$")


def _preprint_fields(segments: list[str]) -> dict[str, object]:
    """``[PP/OL]. V2. arXiv: 2401.00001. (2024-01-02)…``: the platform is the container, the id no page."""
    for seg in segments:
        m = _RE_EPRINT.match(seg)
        if m:
            return {"container": m.group("platform").strip()}
    return _publisher_fields(segments)


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
    head, tail = text[: code_m.start()], _fold_locator_punct(text[code_m.end() :]).lstrip(". ")
    authors_text, year, title = _split_head(head)
    authors, et_al = split_authors(authors_text) if authors_text else ((), False)
    std_number = _RE_STD_NUMBER_LEAD.match(title) if code == "S" else None
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
    elif code == "PP":
        fields = _preprint_fields(_segments(core))
    else:
        fields = _publisher_fields(_segments(core))
    date = fields.get("date") or (find_date(pubdate.group(1)) if pubdate else None)
    if code == "P" and not date:
        date = find_date(core)
    year = year or fields.get("year") or (int(date[:4]) if date else None) or first_year(core)  # type: ignore[assignment]
    if year is None and std_number:
        year = int(std_number.group(1))
    kind = _KIND_OF_CODE.get(code, "other")
    return ParsedCitation(
        kind=kind, authors=authors, title=clean(title), container=fields.get("container"),  # type: ignore[arg-type]
        year=year, url=url, volume=volume or fields.get("volume"), issue=fields.get("issue"),  # type: ignore[arg-type]
        pages=fields.get("pages"), date=date, flags=(("et_al",) if et_al else ()) + (("online",) if online else ()),  # type: ignore[arg-type]
        publisher=fields.get("publisher"), place=fields.get("place"), doi=doi,  # type: ignore[arg-type]
        accessed=accessed.group(1) if accessed else None, style="gbt7714",
    )
