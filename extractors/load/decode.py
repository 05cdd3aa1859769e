"""From the bytes of a text file to a ``str``, and from content to a document kind.

Blog posts and text layers arrive as UTF-8 (with or without a BOM), UTF-16
from Windows tools, or GB18030/GBK from older Chinese sites.  We try the
encodings we can *recognize* first, in strict mode, and only then ask
charset-normalizer to guess: a wrong guess silently garbles every claim, so
no step ever replaces characters.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata

from charset_normalizer import from_bytes

from extractors.errors import BinarySource, EmptySource, UndecodableText

logger = logging.getLogger(__name__)

KINDS = ("pdf", "markdown", "html", "text")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1b")
_MAX_CONTROL_RATIO = 0.02  # a stray form feed is fine; 2% control characters is not text
_MIN_GB2312_RATIO = 0.8  # real Chinese GBK text is overwhelmingly GB2312 characters
_CP1252_TIE = 0.1  # chaos margin within which windows-1252 beats charset-normalizer's first pick


def decode_text(data: bytes, *, name: str = "") -> str:
    """Decode ``data`` strictly; raise a :class:`SourceError` subclass naming why we cannot.

    Order: BOM, UTF-16 without BOM (clear NUL pattern), UTF-8, GB18030 (when the
    result looks like Chinese), then charset-normalizer.  A leading BOM is dropped.
    """
    label = name or "source"
    if not data:
        raise EmptySource(f"{label}: file is empty (0 bytes)")
    text, encoding = _decode(data, label)
    _check_controls(text, label)
    if not text.strip():
        raise EmptySource(f"{label}: only white space ({len(data)} bytes, {encoding})")
    logger.debug("decoded %s as %s (%d chars)", label, encoding, len(text))
    return text


def _decode(data: bytes, label: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding, label), encoding + " (BOM)"
    utf16 = _utf16_by_nul_pattern(data)
    if utf16:
        return _strict(data, utf16, label), utf16
    if b"\x00" in data:
        raise BinarySource(f"{label}: contains NUL bytes (offset {data.index(0)}) and is not UTF-16")
    _check_byte_controls(data, label)
    for encoding, plausible in (("utf-8", _always), ("gb18030", _looks_chinese)):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if plausible(text):
            return text, encoding
    return _guess(data, label)


def _strict(data: bytes, encoding: str, label: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UndecodableText(
            f"{label}: not valid {encoding} at byte {exc.start} ({exc.reason})"
        ) from exc


def _utf16_by_nul_pattern(data: bytes) -> str:
    """``"utf-16-le"``/``"utf-16-be"`` when mostly-ASCII UTF-16 shows its NULs, else ``""``."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return ""
    even = sum(1 for i in range(0, 2 * pairs, 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, 2 * pairs, 2) if sample[i] == 0)
    if odd >= 0.4 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.4 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return ""


def _check_byte_controls(data: bytes, label: str) -> None:
    controls = sum(1 for b in data[:65536] if (b < 0x20 and b not in b"\t\n\r\f\v\x1b") or b == 0x7F)
    ratio = controls / min(len(data), 65536)
    if ratio > _MAX_CONTROL_RATIO:
        raise BinarySource(f"{label}: {ratio:.0%} of the bytes are control codes; not text")


def _check_controls(text: str, label: str) -> None:
    controls = sum(
        1 for ch in text if ch not in _TEXT_CONTROLS and unicodedata.category(ch) == "Cc"
    )
    if "\x00" in text or controls > _MAX_CONTROL_RATIO * len(text):
        raise BinarySource(f"{label}: {controls} control characters in {len(text)}; not text")


def _always(text: str) -> bool:
    return True


def _looks_chinese(text: str) -> bool:
    """GB18030 decodes many byte soups; accept it only when the result is common Chinese."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return True
    common = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return common >= _MIN_GB2312_RATIO * len(wide)


def _guess(data: bytes, label: str) -> tuple[str, str]:
    encoding = _best_guess(data)
    if not encoding:
        raise UndecodableText(
            f"{label}: not UTF-8, UTF-16 or GB18030, and no other encoding fits ({len(data)} bytes)"
        )
    logger.warning("%s: guessed encoding %s (charset-normalizer)", label, encoding)
    return _strict(data, encoding, label), encoding


def _best_guess(data: bytes) -> str:
    """charset-normalizer's pick, except that windows-1252 wins a near tie.

    On short Western text it often ranks a Baltic or Central European code
    page first (``déjà`` -> ``déją``); windows-1252 is what such bytes almost
    always are (browsers decode ``latin-1`` as windows-1252 for that reason).
    """
    matches = list(from_bytes(data))
    if not matches:
        return ""
    best = matches[0]
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + _CP1252_TIE:
            return "cp1252"
    return best.encoding or ""


# --------------------------------------------------------------------------- kind sniffing

_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|p|div|span|a|h[1-6]|ul|ol|li|br|table|tr|td|article|section|"
    r"main|nav|header|footer|script|style|meta|link|title|blockquote|em|strong|img)\b[^>]*>",
    re.I,
)
_FRONT_MATTER = re.compile(r"\A(?:[ \t]*\r?\n)*---[ \t]*\r?\n(?:[ \t]*\r?\n)*[A-Za-z_][\w-]*[ \t]*:")  # blank lines may lead
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_MD_LINK = re.compile(r"\[[^\]\n]+\]\([^)\s]+[^)]*\)")
_MD_BOLD = re.compile(r"(\*\*|__)[^*_\n]+\1")
_MD_LIST = re.compile(r"^[ \t]*[-*+][ \t]+\S", re.M)  # numbered lines are common in plain text too
_MD_FENCE = re.compile(r"^(?:```|~~~)", re.M)
_MD_FOOTNOTE = re.compile(r"^\[\^[^\]\s]+\]:", re.M)


def sniff_kind(data: bytes, text: str | None, *, name: str = "") -> str:
    """One of :data:`KINDS`, decided by content first and by ``name``'s extension second.

    With ``text=None`` only the bytes are looked at (a lenient decode, for
    sniffing only): the caller decodes strictly afterwards.
    """
    if data[:1024].lstrip().startswith(b"%PDF-") or (
        b"%PDF-" in data[:1024] and b"%%EOF" in data[-2048:]
    ):
        return "pdf"
    if text is None:
        text = data[:65536].decode("utf-8", errors="replace")
    head = text[:65536]
    extension = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    markdown = _markdown_score(head)
    if _HTML_START.match(head):
        return "html"
    # A YAML front matter header is Markdown's, whatever share of HTML the post embeds.
    if _FRONT_MATTER.match(head.lstrip("\ufeff")):
        return "markdown"
    if _html_dominates(head, markdown):
        return "html"
    if markdown >= 3:
        return "markdown"
    if extension in ("md", "markdown", "mdown", "mkd"):
        return "markdown"
    if extension in ("html", "htm", "xhtml") and _HTML_TAG.search(head):
        return "html"
    return "text"


def _html_dominates(text: str, markdown_score: int) -> bool:
    tags = len(_HTML_TAG.findall(text))
    return tags >= 5 and tags > 2 * markdown_score


def _markdown_score(text: str) -> int:
    """Weighted count of Markdown signals; 3 or more means Markdown.

    Bullet lists alone never reach 3: PDF text layers have dash lines too.
    """
    return (
        2 * min(len(_MD_HEADING.findall(text)), 5)
        + 2 * min(len(_MD_LINK.findall(text)), 5)
        + min(len(_MD_BOLD.findall(text)), 5)
        + (2 if len(_MD_LIST.findall(text)) >= 3 else 0)
        + 2 * min(len(_MD_FENCE.findall(text)), 2)
        + 3 * min(len(_MD_FOOTNOTE.findall(text)), 1)
    )
