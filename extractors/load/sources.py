"""From bytes to a laid-out document, whatever the format.

The kind is decided by content, not by file extension (a Markdown post with
front matter often arrives as ``.txt``), and a plain text that turns out to
be the text layer of a PDF is paged by :mod:`extractors.load.text_layout`.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from extractors.load.decode import decode_text, sniff_kind
from extractors.errors import EmptySource
from extractors.load.html_text import load_html
from extractors.load.markdown_text import load_markdown
from extractors.load.markup import load_plain
from extractors.load.pdf_layout import load_pdf
from extractors.load.text_layout import layout_text
from extractors.types import LoadedDocument

logger = logging.getLogger(__name__)


def load_source(data: bytes, *, name: str = "", password: str | None = None) -> LoadedDocument:
    """Parse ``data`` into pages; raises a :class:`~extractors.errors.SourceError` subclass."""
    if not data:
        raise EmptySource("file is empty (0 bytes)")
    if data[:1024].lstrip().startswith(b"%PDF-") or sniff_kind(data, None, name=name) == "pdf":
        return load_pdf(data, password=password)
    text = decode_text(data, name=name)
    kind = sniff_kind(data, text, name=name)
    if kind == "markdown":
        return load_markdown(text)
    if kind == "html":
        return load_html(text)
    return _load_text(text)


def _load_text(text: str) -> LoadedDocument:
    """Plain text; paged (headers, page numbers, footnote blocks) when it is a PDF text layer."""
    layout = layout_text(text)
    if not layout.is_paged:
        return load_plain(text)
    plain = load_plain(text)
    return replace(
        plain,
        pages=tuple(layout.pages),
        warnings=tuple(plain.warnings) + tuple(layout.warnings),
    )
