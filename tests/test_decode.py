"""Bytes to text (strict, never replacing characters) and content-based kind sniffing."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.load.decode import decode_text, sniff_kind
from extractors.errors import BinarySource, EmptySource, UndecodableText

HERE = Path(__file__).parent
BAD = HERE / "fixtures" / "bad"
EXAMPLES = HERE.parent / "examples"
ZH = "据某研究院统计，2025 年算力规模约 780 EFLOPS，增长了 2.6 倍。「引号」与——破折号。"
EN = "According to the institute, 43% of more than 1,000 companies spent $2.5 million.\n"


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        (ZH.encode("utf-8"), ZH),
        (codecs.BOM_UTF8 + ZH.encode("utf-8"), ZH),
        (codecs.BOM_UTF16_LE + ZH.encode("utf-16-le"), ZH),
        (codecs.BOM_UTF16_BE + ZH.encode("utf-16-be"), ZH),
        (codecs.BOM_UTF32_LE + ZH.encode("utf-32-le"), ZH),
        (ZH.encode("gb18030"), ZH),
        (ZH.replace("「", "“").replace("」", "”").encode("gbk"), ZH.replace("「", "“").replace("」", "”")),
        (EN.encode("utf-16-le"), EN),  # no BOM: the NUL pattern gives it away
        (EN.encode("utf-16-be"), EN),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32le-bom", "gb18030", "gbk",
         "utf16le-nobom", "utf16be-nobom"],
)
def test_decode_round_trips(encoded: bytes, expected: str) -> None:
    assert decode_text(encoded) == expected


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_decode_seed_blog_in_every_encoding(seed_blog: str, encoding: str) -> None:
    text = decode_text(seed_blog.encode(encoding), name="seed.txt")
    assert text == seed_blog
    assert not text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ((BAD / "empty.txt").read_bytes(), EmptySource),
        ((BAD / "whitespace-only.txt").read_bytes(), EmptySource),
        (codecs.BOM_UTF8 + b" \n ", EmptySource),
        ((BAD / "junk.bin").read_bytes(), BinarySource),
        ((BAD / "control-chars.txt").read_bytes(), BinarySource),
        (random.Random(7).randbytes(4096), BinarySource),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"zipped" * 10, BinarySource),
        (codecs.BOM_UTF8 + b"ok \xff\xfe bad", UndecodableText),
        (codecs.BOM_UTF16_LE + "半个字".encode("utf-16-le")[:-1], UndecodableText),
    ],
    ids=["empty", "whitespace", "bom-whitespace", "junk", "controls", "random", "zip", "bad-utf8-bom",
         "odd-utf16"],
)
def test_decode_rejects(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        decode_text(data, name="input.bin")
    assert caught.value.reason  # a one-line reason for the CLI
    assert "[S00" in str(caught.value)


@pytest.mark.parametrize(
    "original",
    ["“Smart quotes” in a café, déjà vu — naïve résumé.\n", "Señor Müller paid 5 € for the crème brûlée.\n"],
)
def test_decode_western_bytes_are_windows_1252(original: str) -> None:
    """cp1252 bytes are not UTF-8; GB18030 must not claim them, nor a Baltic code page."""
    assert decode_text(original.encode("cp1252")) == original


@pytest.mark.parametrize(
    ("original", "encoding"),
    [("日本語のテキストです。研究所の統計によると、市場規模は約三千億円に達した。", "shift_jis"),
     ("Привет, это тест кодировки. Комитет заявил, что 43% фирм согласны.", "cp1251")],
)
def test_decode_falls_back_to_charset_normalizer(original: str, encoding: str) -> None:
    text = decode_text(original.encode(encoding))
    assert text == original


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=200
).filter(lambda s: s.strip() and not s.startswith("\ufeff"))


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_decode_utf8_and_utf16_round_trip_any_text(text: str) -> None:
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == text


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "x.bin", "pdf"),
        (b"<!DOCTYPE html><html><body><p>hi</p></body></html>", "post.txt", "html"),
        (b"<html lang='en'><p>hi</p></html>", "", "html"),
        (b"<div><p>a</p><p>b</p><p>c</p><a href='/x'>d</a></div>", "frag.txt", "html"),
        (b"---\ntitle: x\n---\nplain body", "post.txt", "markdown"),
        (b"# Heading\n\nSome **bold** text and a [link](https://example.org).", "a.txt", "markdown"),
        (b"Just a sentence that mentions %PDF-1.4 in passing.", "note.txt", "text"),
        (b"Plain words, nothing marked up.", "notes.md", "markdown"),
        (b"Plain words, nothing marked up.", "notes.html", "text"),
        (b"- one item\nthen prose 2 * 3 = 6.", "a.txt", "text"),
        ("1. \u7b2c\u4e00\n2. \u7b2c\u4e8c\n3. \u7b2c\u4e09\n- a\n- b\n- c\n".encode(), "x.txt", "text"),
        (b"- a\n- b\n- c\n\nSee [the post](https://example.org/p).", "x.txt", "markdown"),
    ],
)
def test_sniff_kind_by_content(data: bytes, name: str, kind: str) -> None:
    text = None if kind == "pdf" else data.decode("utf-8")
    assert sniff_kind(data, text, name=name) == kind


def test_sniff_kind_seeds(seed_blog: str, seed_paper: str) -> None:
    assert sniff_kind(seed_blog.encode(), seed_blog, name="000.txt") == "markdown"
    assert sniff_kind(seed_paper.encode(), seed_paper, name="004.txt") == "text"
    assert sniff_kind(seed_blog.encode(), None, name="000.txt") == "markdown"


def test_sniff_kind_real_pdf(shared_dir: Path) -> None:
    pdf = shared_dir / "fixtures" / "pdf" / "english_policy_brief.pdf"
    assert sniff_kind(pdf.read_bytes(), None, name=pdf.name) == "pdf"


@pytest.mark.parametrize(
    ("name", "kind"),
    [("zh_compute_post.md", "markdown"), ("zh_policy_notes.txt", "text"), ("en_policy_post.html", "html")],
)
def test_sniff_kind_examples(name: str, kind: str) -> None:
    data = (EXAMPLES / name).read_bytes()
    assert sniff_kind(data, decode_text(data, name=name), name=name) == kind
    # the extension must not be what decides it
    assert sniff_kind(data, decode_text(data), name="upload.dat") == kind
