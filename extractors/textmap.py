"""Text that remembers where every character came from.

Like pdfplumber's ``TextMap``, a :class:`MappedText` pairs each character with
the offset of the raw character it was derived from.  Every transformation in
``extractors/`` (full-width folding, line re-joining, dropping page furniture,
moving footnote bodies to the notes part) works on ``MappedText`` so that any
span of the final normalized text can be traced back to the raw source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MappedText:
    """A string plus, for each character, the raw offset it came from.

    ``origin[i]`` is the offset in the raw source of ``text[i]``.  Characters
    that were inserted (a separator, a joined space) carry the origin of the
    raw character next to where they were inserted, so the map never points
    outside the raw text.
    """

    text: str
    origin: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.text) != len(self.origin):
            raise ValueError(
                f"MappedText text has {len(self.text)} chars but origin has {len(self.origin)} entries"
            )

    @classmethod
    def from_raw(cls, raw: str, base: int = 0) -> MappedText:
        """Wrap raw text whose first character sits at ``base`` in the source."""
        return cls(raw, tuple(range(base, base + len(raw))))

    @classmethod
    def inserted(cls, text: str, at: int) -> MappedText:
        """Text that has no raw counterpart, anchored at raw offset ``at``."""
        return cls(text, (at,) * len(text))

    @classmethod
    def empty(cls) -> MappedText:
        return cls("", ())

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, key: slice) -> MappedText:
        if not isinstance(key, slice):
            raise TypeError("MappedText supports slices only; use .text[i] for a character")
        return MappedText(self.text[key], self.origin[key])

    def __add__(self, other: MappedText) -> MappedText:
        return MappedText(self.text + other.text, self.origin + other.origin)

    def strip(self) -> MappedText:
        """Strip surrounding white space, keeping the map aligned."""
        start = len(self.text) - len(self.text.lstrip())
        end = len(self.text.rstrip())
        return self[start:max(start, end)]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw ``(start, end)`` covering normalized ``[start, end)``."""
        if not self.origin:
            return (0, 0)
        if start >= end:
            anchor = self.origin[min(start, len(self.origin) - 1)]
            return (anchor, anchor)
        covered = self.origin[start:end]
        return (min(covered), max(covered) + 1)

    def anchor(self) -> int:
        """Raw offset used for inserted text placed right after this text."""
        return self.origin[-1] + 1 if self.origin else 0

    @staticmethod
    def join(separator: str, parts: Iterable[MappedText]) -> MappedText:
        """``separator.join`` for mapped texts; separators map next to the part before."""
        texts: list[str] = []
        origin: list[int] = []
        for i, part in enumerate(parts):
            if i and separator:
                at = origin[-1] + 1 if origin else (part.origin[0] if part.origin else 0)
                texts.append(separator)
                origin.extend([at] * len(separator))
            texts.append(part.text)
            origin.extend(part.origin)
        return MappedText("".join(texts), tuple(origin))

    @staticmethod
    def concat(parts: Sequence[MappedText]) -> MappedText:
        return MappedText.join("", parts)

    def runs(self) -> list[tuple[int, int, int]]:
        """Run-length form ``(clean_start, raw_start, length)`` for storage.

        Consecutive characters whose raw offsets are consecutive share a run,
        so a lightly edited document compresses to a handful of runs.
        """
        out: list[tuple[int, int, int]] = []
        for i, raw in enumerate(self.origin):
            if out:
                c0, r0, n = out[-1]
                if c0 + n == i and r0 + n == raw:
                    out[-1] = (c0, r0, n + 1)
                    continue
            out.append((i, raw, 1))
        return out

    @classmethod
    def from_runs(cls, text: str, runs: Sequence[Sequence[int]]) -> MappedText:
        """Inverse of :meth:`runs`."""
        origin = [0] * len(text)
        for c0, r0, n in runs:
            for k in range(n):
                origin[c0 + k] = r0 + k
        return cls(text, tuple(origin))


class TextBuilder:
    """Accumulates mapped pieces cheaply, then freezes them into one MappedText."""

    __slots__ = ("_texts", "_origin", "_length")

    def __init__(self) -> None:
        self._texts: list[str] = []
        self._origin: list[int] = []
        self._length = 0

    def __len__(self) -> int:
        return self._length

    def append(self, piece: MappedText) -> tuple[int, int]:
        """Append a piece and return its ``(start, end)`` in the built text."""
        start = self._length
        self._texts.append(piece.text)
        self._origin.extend(piece.origin)
        self._length += len(piece.text)
        return (start, self._length)

    def append_inserted(self, text: str) -> tuple[int, int]:
        at = self._origin[-1] + 1 if self._origin else 0
        return self.append(MappedText.inserted(text, at))

    def last_char(self) -> str:
        for t in reversed(self._texts):
            if t:
                return t[-1]
        return ""

    def build(self) -> MappedText:
        return MappedText("".join(self._texts), tuple(self._origin))
