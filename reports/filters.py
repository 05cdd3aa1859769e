"""Jinja filters: make untrusted document text safe in each output format."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
_SPACES = re.compile(r"\s+")


def md(text: object) -> Markup:
    """Inline Markdown text: no live links, emphasis, headings or raw HTML from the document.

    Markdown punctuation is backslash-escaped (brackets are enough to stop a
    link or image: ``](`` can no longer form) and HTML is entity-escaped, so
    a renderer shows the characters literally; line breaks become spaces so a
    value never breaks a table row or list item.
    """
    plain = _SPACES.sub(" ", "" if text is None else str(text)).strip()
    return Markup(str(escape(_MD_SPECIAL.sub(r"\\\1", plain))))


def number(value: float | None) -> str:
    """A stored value without float noise: 438.0 -> 438, 0.933 -> 0.933, 2e9 -> 2000000000."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.6g}"


def offsets(start: int, end: int) -> str:
    """Half-open offsets as readers see them in the report: [start, end)."""
    return f"[{start}, {end})"


FILTERS = {"md": md, "number": number, "offsets": offsets}
