"""Named errors for sources we cannot read.

Each class's docstring is its meaning; each instance's message names the
reason in one line, so the CLI can print ``<file>: <message>`` and move on.
A code in brackets (``[S001]``) makes messages searchable, like spaCy's.
"""

from __future__ import annotations


class ExtractionError(Exception):
    """A source could not be processed."""

    code = "X000"

    def __init__(self, reason: str) -> None:
        super().__init__(f"[{self.code}] {reason}")
        self.reason = reason


class SourceError(ExtractionError):
    """The bytes of a source are not a document we can read."""

    code = "S000"


class EmptySource(SourceError):
    """The source has no bytes, or no text at all."""

    code = "S001"


class BinarySource(SourceError):
    """The source is binary data that is neither a PDF nor text."""

    code = "S002"


class UndecodableText(SourceError):
    """The text is in an encoding we cannot detect (tried UTF-8, UTF-16, GB18030)."""

    code = "S003"


class BadFrontMatter(SourceError):
    """A Markdown file's YAML front matter is malformed."""

    code = "S004"


class CorruptPdf(SourceError):
    """The PDF is truncated or malformed and cannot be parsed."""

    code = "P001"


class EncryptedPdf(SourceError):
    """The PDF is encrypted and no (correct) password was given."""

    code = "P002"


class NoTextLayer(SourceError):
    """The PDF has pages but no extractable text (a scan); OCR is not supported."""

    code = "P003"


class SourceTooLarge(SourceError):
    """The source is larger than the configured limit."""

    code = "S005"
