"""Claim-audit checks: pure functions over the corpus rows -> findings.

Each check is a small function ``check_<name>(corpus) -> list[Finding]`` with
a stable check name (``sourcing.uncited_claim``...).  Sourcing, footnote and
citation checks live here; number checks live in :mod:`reports.numbers`.
:func:`run_checks` runs all of them in a fixed order, so the same database
always gives the same findings.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from extractors.lexicon import CAPTION_KIND, CAPTION_NUMBER, HAN
from reports.duplicates import check_duplicate_documents
from reports.findings import SEVERITY_ORDER, Finding, Span, date_key, span_of
from reports.numbers import NUMBER_CHECKS
from reports.reference import REFERENCE_CHECKS

if TYPE_CHECKING:
    from extractors.records import CitationRow, ClaimRow, Corpus, DocumentRow, FootnoteRefRow

ATTRIBUTION_CUES = re.compile(
    r"数据显示|数据表明|数据统计|据统计|统计显示|(?:据|根据|按照?|从)?统计数据(?=显示|表明|看|来看|，|,)|研究表明|研究显示|调查显示|调查表明|报告显示|报告指出|"
    r"data (?:show|suggest|indicate)s?\b|(?:^|(?<=[.!?]\s)(?<!e\.g\.\s)(?<!i\.e\.\s)|(?<=\n))according to\b|"
    r"according to (?:the |a |an |its |their |our |recent |new |latest |official )?(?:[\w-]+ ){0,2}(?:data|report|"
    r"survey|study|studies|research|paper|statistics|estimates?|figures|analysis|census|poll|index|bureau|"
    r"agency|ministry|office|government)\b|according to (?:the )?(?-i:[A-Z])|according to https?://|"
    r"statistics (?:show|suggest)s?\b|(?:studies|research|surveys?|reports?) (?:show|find|found|suggest|indicate)s?\b",
    re.IGNORECASE,
)
FORMAL_KINDS = ("journal", "book", "news", "report", "web")
#: Hosts (and names, for citations without a URL) of social posts, forums and personal blogs.
WEB_ONLY_HOSTS = (
    "weibo.com", "weibo.cn", "x.com", "twitter.com", "zhihu.com", "reddit.com", "medium.com",
    "blogspot.com", "wordpress.com", "substack.com", "douban.com", "tieba.baidu.com",
    "facebook.com", "instagram.com", "tiktok.com", "douyin.com", "bilibili.com",
    "mp.weixin.qq.com", "jianshu.com", "csdn.net", "tumblr.com", "quora.com", "threads.net",
)
#: Platforms that give each writer a subdomain (someone.substack.com): a subdomain there is nobody's profile page.
USER_SUBDOMAIN_HOSTS = ("blogspot.com", "wordpress.com", "substack.com", "tumblr.com", "medium.com")
#: The platforms' own edited sites on their domains (ai.facebook.com/blog is Meta's research blog, not a post on
#: Facebook); every other subdomain (blog.csdn.net, zhuanlan.zhihu.com, m.weibo.cn) is the platform's.
CORPORATE_HOSTS = ("ai.facebook.com", "research.facebook.com", "engineering.fb.com", "about.fb.com",
                   "developers.facebook.com", "blog.twitter.com", "blog.x.com", "developer.x.com")
#: A link to a person's page (twitter.com/handle, zhihu.com/people/x) names who someone is; it sources nothing.
_PROFILE_PATH = re.compile(r"^/(?:@?(?=[\w.-]*[A-Za-z_])[\w.-]+|(?:u|user|users|people|profile|home)/[\w.-]+)/?$")
WEB_ONLY_NAMES = re.compile(r"微博|知乎|豆瓣|贴吧|微信公众号|公众号|小红书|抖音|博客|\bblog\b|\breddit\b", re.I)
STATISTICAL_KINDS = ("statistical", "comparative")
CONCEPTUAL_TITLES = re.compile(
    r"流程|逻辑|框架|示意|结构图|架构|机制|模式|路径|原理|思路|diagram|framework|flow ?chart|workflow|"
    r"schematic|architecture|logic|concept", re.IGNORECASE)
#: Years and quantities in a title make it a data chart whatever else it says ("R1" in a model name does not).
DATA_IN_TITLE = re.compile(r"(?<![0-9A-Za-z-])(?:1[89]|20)[0-9]{2}(?![0-9])|[0-9]\s*(?:%|％|年|亿|万|元)")


def run_checks(corpus: Corpus) -> list[Finding]:
    """Every check over the whole corpus, most severe first within each document."""
    findings: list[Finding] = []
    for check in ALL_CHECKS:
        findings.extend(check(corpus))
    findings.sort(key=lambda f: (f.document_id or 0, _priority(f.check), SEVERITY_ORDER[f.severity], f.check,
                                 f.spans[0].start if f.spans else -1))
    return findings


#: Within a document the desk reads contradicted figures first, then unsourced statements, then the rest.
FIRST_CHECKS = ("numbers.contradicts_reference",)
THEN_CHECKS = ("sourcing.",)


def _priority(check: str) -> int:
    if check in FIRST_CHECKS:
        return 0
    return 1 if check.startswith(THEN_CHECKS) else 2


# --------------------------------------------------------------------------- sourcing


def _docs(corpus: Corpus) -> dict[int, DocumentRow]:
    return {d.id: d for d in corpus.documents}


def _claim_span(doc: DocumentRow, claim: ClaimRow) -> Span:
    return span_of(doc.text, doc.id, claim.page, claim.start, claim.end)


def attribution_cue(claim: ClaimRow) -> str | None:
    """The reported-data cue (数据显示, according to...) in the claim, if any."""
    if claim.text and (m := ATTRIBUTION_CUES.search(claim.text)):
        found = m.group(0).strip(" ,")
        return found[:12] if found.lower().startswith("according to") else found  # the cue, not its source
    cue = claim.attribution_cue
    # The claim's own cue stands alone; "according to" needs the sentence around it (by its rating ≠ a source).
    if cue and not re.match(r"\s*according to", cue, re.IGNORECASE) and (m := ATTRIBUTION_CUES.search(cue)):
        return m.group(0).strip(" ,")
    return None


#: Who reports, right before the cue: a name in Latin letters (Kaggle 调查显示, Switch Transformers 的研究表明)
#: or a Chinese organisation or publication (国家统计局数据显示, 《柳叶刀》的研究表明).
_NAMED_BEFORE_CUE = re.compile(
    rf"(?:(?P<latin>[A-Z][\w.&'-]*(?:\s+[A-Z0-9][\w.&'-]*)*)|(?P<zh>《[^》]{{1,30}}》|[{HAN}]{{2,12}}"
    r"(?:局|部|署|委|院|所|会|中心|银行|大学|基金|协会|组织|公司|集团|研究院|实验室)))\s*(?:的|发布的|最新)?\s*$")


def named_source(text: str, cue: str) -> str | None:
    """The organisation, publication or study the claim names as the reporter of its data, if any.

    "Kaggle 调查显示，75%…" tells the reader whose survey it is, though it links
    nothing; "研究表明，…" names nobody.  Only the first is worth an editor's
    note rather than a warning.
    """
    at = text.find(cue)
    if at < 0:
        return None
    if cue.lower().startswith("according to"):  # the reporter follows: According to Ethnologue / https://…
        after = _NAMED_AFTER_ACCORDING.match(text, at + len("according to"))
        name = after.group(1).rstrip(".,;") if after else None
        return None if not name or name.lower() in _NOT_NAMES else name
    m = _NAMED_BEFORE_CUE.search(text[max(0, at - 40):at])
    name = (m.group("latin") or m.group("zh")).strip() if m else None
    return None if name and name.lower().rstrip(".") in _NOT_NAMES else name


_NAMED_AFTER_ACCORDING = re.compile(r"\s+(?:the\s+)?(https?://\S+|(?!(?:The|A|An|This|These|Our|Its|Their)\s+[a-z])"
                                    r"[A-Z][\w.&'-]*(?:\s+(?:of\s+|and\s+|for\s+)?[A-Z][\w.&'-]*)*)")
#: Capitalised words before a cue that name nobody ("E.g. data show…", "AI research shows").
_NOT_NAMES = {"e.g", "i.e", "ai", "new", "recent", "the", "this", "our", "some", "many", "most", "further", "more"}


def check_sourcing(corpus: Corpus) -> list[Finding]:
    """Claims with nothing in claim_citations; attributed ones ("data show") are worse."""
    docs = _docs(corpus)
    dangling = _dangling_refs_by_doc(corpus)
    general = _general_sources_by_doc(corpus)
    out: list[Finding] = []
    for claim in corpus.claims:
        if claim.citation_ids:
            continue
        doc = docs[claim.document_id]
        markers = [r.marker for r in dangling[claim.document_id] if claim.start <= r.start < claim.end + 2]
        note = f" (its footnote marker {''.join(markers)} has no footnote body)" if markers else ""
        cue = attribution_cue(claim)
        if cue is not None:
            named = named_source(claim.text, cue)
            out.append(Finding(
                "sourcing.attributed_unsourced", "info" if named else "warning",
                f"The claim presents reported data (“{cue}”) from {named} but links no source to it{note}."
                if named else f"The claim presents reported data (“{cue}”) but no source is linked to it{note}.",
                doc.id, (_claim_span(doc, claim),), claim_id=claim.id))
        else:
            severity = "warning" if claim.kind in STATISTICAL_KINDS else "info"
            sources = general.get(claim.document_id, 0)
            if doc.is_reference:  # a trusted source (--reference) is where its own figures come from
                severity = "info"
                note += "; the document is a reference source, the origin of its own figures"
            elif sources:  # the document names sources, just not for this statement
                severity = "info"
                note += (f"; the document lists {sources} general source(s) at the end, "
                         "none tied to this statement")
            out.append(Finding(
                "sourcing.uncited_claim", severity,
                f"This {claim.kind} claim has no citation linked to it{note}.",
                doc.id, (_claim_span(doc, claim),), claim_id=claim.id))
    return out


def _general_sources_by_doc(corpus: Corpus) -> dict[int, int]:
    """Sources listed in a document's notes part that are no footnote (a "来源"/"Sources" list)."""
    docs = _docs(corpus)
    out: dict[int, int] = defaultdict(int)
    for c in corpus.citations:
        if c.footnote_id is None and c.start >= docs[c.document_id].body_end:
            out[c.document_id] += 1
    return out


# --------------------------------------------------------------------------- footnotes


def _dangling_refs_by_doc(corpus: Corpus) -> dict[int, list[FootnoteRefRow]]:
    out: dict[int, list[FootnoteRefRow]] = defaultdict(list)
    for ref in corpus.footnote_refs:
        if ref.footnote_id is None:
            out[ref.document_id].append(ref)
    return out


def _claim_locator(corpus: Corpus) -> Callable[[int, int], int | None]:
    """``locate(document_id, offset)``: the claim covering an offset (a marker may sit just after it)."""
    by_doc: dict[int, list[ClaimRow]] = defaultdict(list)
    for claim in corpus.claims:
        by_doc[claim.document_id].append(claim)
    for rows in by_doc.values():
        rows.sort(key=lambda c: c.start)
    starts = {doc: [c.start for c in rows] for doc, rows in by_doc.items()}

    def locate(document_id: int, offset: int) -> int | None:
        rows = by_doc.get(document_id, [])
        i = bisect_right(starts.get(document_id, []), offset) - 1
        return rows[i].id if i >= 0 and offset <= rows[i].end else None

    return locate


def check_dangling_refs(corpus: Corpus) -> list[Finding]:
    """A footnote marker in the text whose body was never found."""
    docs = _docs(corpus)
    claim_at = _claim_locator(corpus)
    out: list[Finding] = []
    for ref in corpus.footnote_refs:
        if ref.footnote_id is not None:
            continue
        doc = docs[ref.document_id]
        where = f" on p. {ref.page}" if ref.page is not None else ""
        out.append(Finding(
            "footnotes.dangling_ref", "warning",
            f"Footnote marker {ref.marker}{where} points to no footnote body, so its source cannot be checked.",
            doc.id, (span_of(doc.text, doc.id, ref.page, ref.start, ref.end),),
            claim_id=claim_at(doc.id, ref.start), footnote_ref_id=ref.id))
    return out


def check_orphan_bodies(corpus: Corpus) -> list[Finding]:
    """A footnote body that no marker in the text points to."""
    docs = _docs(corpus)
    referenced = {r.footnote_id for r in corpus.footnote_refs if r.footnote_id is not None}
    out: list[Finding] = []
    for note in corpus.footnotes:
        if note.id in referenced:
            continue
        doc = docs[note.document_id]
        out.append(Finding(
            "footnotes.orphan_body", "info",
            f"Footnote {note.marker} is never referenced from the text, so it supports no statement.",
            doc.id, (span_of(doc.text, doc.id, note.page, note.start, note.end),), footnote_id=note.id))
    return out


# --------------------------------------------------------------------------- citations


def _citation_span(doc: DocumentRow, c: CitationRow) -> Span:
    return span_of(doc.text, doc.id, c.page, c.start, c.end)


def check_incomplete_citations(corpus: Corpus) -> list[Finding]:
    """A formal source (journal, book, news, report, web) without a year or a container."""
    docs = _docs(corpus)
    out: list[Finding] = []
    for c in corpus.citations:
        if c.kind not in FORMAL_KINDS:
            continue
        missing = [name for name, value in (("year", c.year), ("container", c.container)) if not value]
        if not missing:
            continue
        doc = docs[c.document_id]
        out.append(Finding(
            "citations.incomplete", "info",
            f"This {c.kind} citation lacks its {' and '.join(missing)}, so it cannot be located reliably.",
            doc.id, (_citation_span(doc, c),), footnote_id=c.footnote_id, citation_id=c.id))
    return out


def _platform_host(url: str) -> tuple[str | None, str]:
    """(the social platform a URL is on, its path); None when it is on no platform of :data:`WEB_ONLY_HOSTS`."""
    parts = urlsplit(url if "//" in url else "//" + url)
    host = (parts.hostname or "").lower()
    if host in CORPORATE_HOSTS:
        return None, parts.path
    for h in WEB_ONLY_HOSTS:
        if host == h or host.endswith("." + h):
            return h, parts.path
    return None, parts.path


def is_profile_link(c: CitationRow) -> bool:
    """A link to a person's page on a platform (评委 Dylan Ebert → twitter.com/dylan_ebert_): not a source."""
    if not c.url:
        return False
    host, path = _platform_host(c.url)
    return host is not None and host not in USER_SUBDOMAIN_HOSTS and bool(_PROFILE_PATH.match(path))


def is_web_only(c: CitationRow) -> bool:
    """Social posts, forums and personal blogs: sources nobody edits or archives.

    With a URL the host decides (a company's own /blog is edited and kept by the company);
    without one, the cited name (微博, 公众号, blog).
    """
    if c.url:
        return _platform_host(c.url)[0] is not None
    return bool(WEB_ONLY_NAMES.search(" ".join(filter(None, (c.container, c.title, c.raw)))))


def check_web_only(corpus: Corpus) -> list[Finding]:
    """A statistical claim whose only sources are social posts, forums or blogs."""
    docs = _docs(corpus)
    citations = {c.id: c for c in corpus.citations}
    out: list[Finding] = []
    for claim in corpus.claims:
        cited = [citations[i] for i in claim.citation_ids if i in citations and not is_profile_link(citations[i])]
        if claim.kind not in STATISTICAL_KINDS or not cited or not all(is_web_only(c) for c in cited):
            continue
        doc = docs[claim.document_id]
        for c in cited:
            out.append(Finding(
                "citations.web_only", "warning",
                "This statistical claim rests only on a social post, forum or personal blog, not on a primary source.",
                doc.id, (_claim_span(doc, claim), _citation_span(doc, c)), claim_id=claim.id,
                footnote_id=c.footnote_id, citation_id=c.id))
    return out


def _after(source: tuple[int, int, int], published: tuple[int, int, int]) -> bool:
    """True only when the known parts prove the source is later."""
    for s, p in zip(source, published):
        if s == 0 or p == 0:
            return False
        if s != p:
            return s > p
    return False


def check_after_publication(corpus: Corpus) -> list[Finding]:
    """A cited source dated after the document itself was published."""
    docs = _docs(corpus)
    out: list[Finding] = []
    for c in corpus.citations:
        doc = docs[c.document_id]
        published = date_key(doc.published)
        dated = date_key(c.date) or ((c.year, 0, 0) if c.year else None)
        if published is None or dated is None or not _after(dated, published):
            continue
        out.append(Finding(
            "citations.after_publication", "warning",
            f"The source is dated {c.date or c.year}, after the document's publication date {doc.published}.",
            doc.id, (_citation_span(doc, c),), footnote_id=c.footnote_id, citation_id=c.id))
    return out


def is_conceptual(title: str) -> bool:
    """A diagram of ideas (流程, 框架, logic) rather than of data: no source is expected."""
    return bool(CONCEPTUAL_TITLES.search(title)) and not DATA_IN_TITLE.search(title)


def check_unsourced_figures(corpus: Corpus) -> list[Finding]:
    """A figure or table printed without a data source line.

    A chart or table the text leans on ("见图1") whose content comes from
    nowhere is a warning; one the text never mentions, or a conceptual
    diagram (算法流程, framework), is only noted.
    """
    docs = _docs(corpus)
    out: list[Finding] = []
    for f in corpus.figures:
        if f.source is not None:
            continue
        doc = docs[f.document_id]
        noun = "table" if f.kind == "table" else "figure"
        conceptual = is_conceptual(f.title)
        why = ("; it looks like a conceptual diagram, so this is only noted" if conceptual else
               f"; the text refers to it {f.mentions} time(s)" if f.mentions else "")
        english = (doc.language or "").startswith("en")
        missing = "no “Source:” line" if english else "no 数据来源/资料来源/Source line"
        out.append(Finding(
            "sourcing.figure_unsourced", "warning" if f.mentions and not conceptual else "info",
            f"{printed_label(doc.text[f.start:f.end], f'The {noun} {f.label}')} gives no data source "
            f"({missing} beside its caption){why}.",
            doc.id, (span_of(doc.text, doc.id, f.page, f.start, f.end),)))
    return out


_PRINTED_LABEL = re.compile(rf"\s*({CAPTION_KIND}\s*{CAPTION_NUMBER})", re.IGNORECASE)


def printed_label(caption: str, label: str) -> str:
    """The label as the document prints it (Figure 1, Exhibit 4, 图 3), else the stored key (图1)."""
    m = _PRINTED_LABEL.match(caption)
    return m.group(1) if m else label


Check = Callable[["Corpus"], Iterable[Finding]]
ALL_CHECKS: tuple[Check, ...] = (
    check_sourcing,
    check_dangling_refs,
    check_orphan_bodies,
    check_incomplete_citations,
    check_web_only,
    check_after_publication,
    check_unsourced_figures,
    *NUMBER_CHECKS,
    *REFERENCE_CHECKS,
    check_duplicate_documents,
)
