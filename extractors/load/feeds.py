"""RSS 2.0 and Atom feeds as a list of item links (pure: bytes in, dataclasses out).

A scheduled run fetches a feed and ingests each item's link as a URL source,
so all we need from a feed is where its items live, in feed order.  Links
are resolved against the feed's own URL (Atom allows relative ``href``s)
and only http/https links are kept: a feed is third-party input and must
not make us read ``file:`` or ``ftp:`` URLs.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from extractors.errors import ExtractionError

logger = logging.getLogger(__name__)

ATOM = "{http://www.w3.org/2005/Atom}"
_RDF_ITEM = "{http://purl.org/rss/1.0/}item"


class FeedError(ExtractionError):
    """The bytes are not an RSS or Atom feed."""

    code = "F001"


@dataclass(frozen=True, slots=True)
class FeedItem:
    link: str
    title: str | None = None
    published: str | None = None


def parse_feed(data: bytes, *, base_url: str = "") -> list[FeedItem]:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, duplicates and non-web links dropped."""
    root = _parse_xml(data, base_url)
    if root.tag == f"{ATOM}feed":
        raw = [_atom_item(entry) for entry in root.iter(f"{ATOM}entry")]
    elif root.tag in ("rss",) or root.tag.endswith("RDF"):
        raw = [_rss_item(item) for item in _rss_items(root)]
    else:
        raise FeedError(f"root element <{_local(root.tag)}> is neither <rss> nor <feed> (feed={base_url})")
    return _web_links(raw, base_url)


def _parse_xml(data: bytes, base_url: str) -> ET.Element:
    # expat >= 2.4.1 (bundled with CPython 3.11) refuses entity-expansion bombs,
    # and ElementTree never fetches external entities.
    if b"<!ENTITY" in data[:4096]:
        raise FeedError(f"feeds with entity declarations are refused (feed={base_url})")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise FeedError(f"not well-formed XML: {exc} (feed={base_url})") from None


def _rss_items(root: ET.Element) -> list[ET.Element]:
    return list(root.iter("item")) or list(root.iter(_RDF_ITEM))


def _rss_item(item: ET.Element) -> FeedItem | None:
    link = _text(item, "link") or _text(item, "{http://purl.org/rss/1.0/}link")
    if not link:
        guid = item.find("guid")
        if guid is not None and guid.get("isPermaLink", "true") != "false":
            link = (guid.text or "").strip()
    if not link:
        return None
    return FeedItem(link, _text(item, "title"), _text(item, "pubDate"))


def _atom_item(entry: ET.Element) -> FeedItem | None:
    links = entry.findall(f"{ATOM}link")
    chosen = next((el for el in links if el.get("rel", "alternate") == "alternate"), None)
    href = (chosen.get("href") or "").strip() if chosen is not None else ""
    if not href:
        return None
    return FeedItem(href, _text(entry, f"{ATOM}title"),
                    _text(entry, f"{ATOM}updated") or _text(entry, f"{ATOM}published"))


def _web_links(items: list[FeedItem | None], base_url: str) -> list[FeedItem]:
    seen: set[str] = set()
    kept: list[FeedItem] = []
    for item in items:
        if item is None:
            continue
        link = urljoin(base_url, item.link) if base_url else item.link
        if urlsplit(link).scheme.lower() not in ("http", "https"):
            logger.warning("feed %s: item link %r is not http(s); skipped", base_url, link)
            continue
        if link not in seen:
            seen.add(link)
            kept.append(FeedItem(link, item.title, item.published))
    return kept


def _text(element: ET.Element, tag: str) -> str | None:
    found = element.find(tag)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
