"""Real Chinese Markdown posts come out without markup (issue 13), when a corpus is at hand.

The posts are third-party text and are never part of the repository: set
``CLAIMLEDGER_MD_CORPUS`` to a folder of ``*.md`` files (for example the
``zh/`` folder of the public hf-blog-translation repository) to run these
checks.  Expectations are derived from each source file at run time, so no
text of the posts is written here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from benchmarks.markdown_corpus import survey
from extractors.errors import BadFrontMatter
from extractors.load.markdown_text import split_front_matter
from extractors.load.sources import load_source

_FOLDER = os.environ.get("CLAIMLEDGER_MD_CORPUS", "")
_FILES = sorted(Path(_FOLDER).rglob("*.md")) if _FOLDER and Path(_FOLDER).is_dir() else []
_SKIP_REASON = ("CLAIMLEDGER_MD_CORPUS is not set to a folder of *.md posts (e.g. the zh/ folder of "
                "hf-blog-translation); real posts are not kept in the repository")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
_PLAIN_HEADING = re.compile(r"[^\W\d]+(?:[ :：，、-]+[^\W\d]+)*")  # a heading with no markup or figures in it

pytestmark = pytest.mark.skipif(not _FILES, reason=_SKIP_REASON)


def _unbalanced_math(raw: str) -> bool:
    r"""The author's own slip: more ``\\(`` than ``\\)`` (or the reverse) leaves TeX that no reader can place."""
    return raw.count("\\\\(") != raw.count("\\\\)") or raw.count("\\\\[") != raw.count("\\\\]")


@pytest.mark.parametrize("path", _FILES, ids=[p.name for p in _FILES])
def test_real_post_keeps_no_markup(path: Path) -> None:
    report = survey(path)
    assert report.error is None
    if set(report.markup) == {"\\tex"} and _unbalanced_math(path.read_text(encoding="utf-8")):
        pytest.xfail("unbalanced \\( \\) in the source: TeX after the stray delimiter stays")
    assert dict(report.markup) == {}, report.markup
    assert report.numbers_in_code == [] and report.claims_in_code == []


@pytest.mark.parametrize("path", _FILES, ids=[p.name for p in _FILES])
def test_real_post_front_matter_is_metadata_only(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    try:
        front = split_front_matter(raw)
    except BadFrontMatter:
        pytest.skip("broken front matter: the loader's named error is the expected outcome")
    if not front.meta:
        pytest.skip("no front matter")
    doc = load_source(path.read_bytes(), name=path.name)
    text = doc.pages[0].body.text
    assert doc.kind == "markdown"
    body_chars = doc.pages[0].body.origin
    shown = [(ch, doc.raw[o]) for ch, o in zip(text, body_chars) if not ch.isspace() and ch != "|"]
    assert [pair for pair in shown if pair[0] != pair[1]] == []  # every char maps to itself in the source
    assert min(body_chars) >= front.body_start  # nothing of the header is in the text
    title = front.meta.get("title")
    if isinstance(title, str) and title.strip():
        assert doc.title == title.strip()
    heading = _HEADING.search(raw, front.body_start)
    if heading and _PLAIN_HEADING.fullmatch(heading.group(1)):
        assert heading.group(1) in text
