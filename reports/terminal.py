"""Result rows laid out for reading in a terminal (``sql`` and ``search`` with ``--format table``).

Why not a plain ``rich.table.Table(*columns)``: rich shares the missing width
among every column that may wrap, so at 80 cells the text the analyst wants to
read was cut to about seven characters while ``id``, ``document_id``,
``start`` and ``end`` and a full source path kept theirs.  Here:

- text-like columns (by name, or because their content is wide) may wrap, so
  rich's collapse takes the missing width from them, widest first; their cells
  are :class:`Wrapped`, which breaks between CJK characters (rich breaks only at
  spaces and folds a Chinese sentence only after moving it whole to a new line);
- ids, offsets, counts and short codes are ``no_wrap``: the collapse never
  shrinks them, so they stay whole on one line;
- ``document_title``/``document_source`` (the convention of the search result
  and of every view) become one short ``document`` label (title, else the
  file name) that replaces them and ``document_id``;
- columns that leave too little room for the text are hidden, rightmost
  first, and named, so the caller can say so and point at ``--columns``.

Rich's ``ratio`` columns are not used: with ``expand`` they share the width by
ratio whatever their content, so a short column would be padded while the
text wraps.  Widths are counted in terminal cells (``rich.cells.cell_len``,
CJK counts two), the same measure rich lays out by.  Every cell is a
``Text``, so ``[^1]`` or ``[bold]`` in stored text prints as it is, not as markup.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.cells import cell_len, chop_cells, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from reports.findings import source_name

DOCUMENT = "document"
#: Columns whose meaning is one document, replaced by the ``document`` label.
DOCUMENT_TITLE = "document_title"
DOCUMENT_SOURCE = "document_source"
DOCUMENT_ID = "document_id"

#: Names of columns that hold prose (or a path/URL): they wrap and take the width.
TEXT_NAMES = frozenset({
    "text", "surface", "body", "raw", "title", "snippet", "message", "context", "detail", "reason",
    "quote", "caption", "summary", "description", "attribution", "container", "source", "url", "cues",
    "value_text", "label_text", DOCUMENT, DOCUMENT_TITLE, DOCUMENT_SOURCE,
})
_TEXT_SUFFIXES = ("_text", "_title", "_source", "_url", "_message")
#: Content wider than this (cells) wraps whatever the column's name.
WIDE_CONTENT = 24
#: The least room a wrapping column keeps before other columns are hidden; the
#: main text (``text``, else the first prose column) keeps a third of the width.
MIN_TEXT_WIDTH = 12
MAIN_TEXT_SHARE = 3
#: Cells between two columns: one of padding and one of rule (none outside the edges).
COLUMN_GAP = 2
ELLIPSIS = "…"


class UnknownColumn(ValueError):
    """A ``--columns`` name that the result does not have; the message lists the valid ones."""

    def __init__(self, names: Sequence[str], valid: Sequence[str]) -> None:
        super().__init__(f"unknown column{'s' if len(names) > 1 else ''} {', '.join(map(repr, names))}; "
                         f"choose from: {', '.join(valid)}")


@dataclass(frozen=True, slots=True)
class Selection:
    """The columns to show and their values, the ``document`` label already computed."""

    columns: list[str]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class Layout:
    """A rendered-ready table and the columns left out because they did not fit."""

    table: Table
    hidden: list[str]


# --------------------------------------------------------------------------- CJK-aware wrapping

#: Never at the start of a line (they close what comes before): CJK and ASCII closing punctuation.
NO_LINE_START = frozenset("，。、；：！？）】」』》〉〕”’…—,.;:!?)]}%")
#: Never at the end of a line (they open what comes after).
NO_LINE_END = frozenset("（【「『《〈〔“‘([{")
_CHUNK = re.compile(r"\s+|\S+")


def _atoms(paragraph: str) -> list[str]:
    """Whitespace runs, runs of narrow characters (a Latin word, a number) and single wide characters."""
    atoms: list[str] = []
    for chunk in _CHUNK.findall(paragraph):
        if chunk.isspace():
            atoms.append(" ")
            continue
        narrow = ""
        for char in chunk:
            if cell_len(char) > 1:
                atoms.extend([narrow, char] if narrow else [char])
                narrow = ""
            else:
                narrow += char
        if narrow:
            atoms.append(narrow)
    return atoms


def break_units(paragraph: str) -> list[str]:
    """Pieces a line may break between: closing punctuation stays with what precedes, opening with what follows."""
    units: list[str] = []
    for atom in _atoms(paragraph):
        previous = units[-1] if units else ""
        glue = previous and not previous.isspace() and not atom.isspace() and (
            atom[0] in NO_LINE_START or previous[-1] in NO_LINE_END)
        if glue:
            units[-1] = previous + atom
        else:
            units.append(atom)
    return units


def wrap_cells(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, breaking between CJK characters as well as at spaces.

    rich breaks only at whitespace, so a Chinese sentence after ``如表 1`` went
    whole to the next line and left a short line behind.
    """
    width = max(width, 2)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for unit in break_units(paragraph):
            if unit.isspace():
                line += unit if line and cell_len(line) < width else ""
                continue
            if cell_len(line) + cell_len(unit) <= width:
                line += unit
                continue
            if line.strip():
                lines.append(line.rstrip())
            pieces = chop_cells(unit, width) if cell_len(unit) > width else [unit]
            lines.extend(pieces[:-1])
            line = pieces[-1]
        lines.append(line.rstrip())
    return lines


class Wrapped:
    """A table cell of prose that rich lays out with :func:`wrap_cells` at whatever width the column gets."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        units = [u for p in self.text.splitlines() for u in break_units(p)]
        widest_unit = max((cell_len(u) for u in units), default=0)
        widest_line = max((cell_len(p) for p in self.text.splitlines()), default=0)
        return Measurement(min(widest_unit, MIN_TEXT_WIDTH), widest_line).with_maximum(options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap_cells(self.text, options.max_width):
            yield Text(line, no_wrap=True, overflow="fold")


# --------------------------------------------------------------------------- document label


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, ending in ``…`` when cut (a CJK character is 2 cells)."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(width - 1, 0)).rstrip() + ELLIPSIS


def document_label(title: str | None, source: str | None, width: int) -> str:
    """A document as a reader names it: its title, else its file name, at most ``width`` cells."""
    label = (title or "").strip() or source_name((source or "").strip())
    return shorten(" ".join(label.split()), width)


# --------------------------------------------------------------------------- choosing columns


def available_columns(columns: Sequence[str]) -> list[str]:
    """What ``--columns`` may name: the result's columns, plus ``document`` when a title or source is there."""
    names = list(columns)
    if (DOCUMENT_TITLE in names or DOCUMENT_SOURCE in names) and DOCUMENT not in names:
        names.append(DOCUMENT)
    return names


def default_columns(columns: Sequence[str]) -> list[str]:
    """The result's columns with ``document_id/_title/_source`` replaced, in place, by ``document``."""
    if DOCUMENT not in available_columns(columns) or DOCUMENT in columns:
        return list(columns)
    replaced = {DOCUMENT_ID, DOCUMENT_TITLE, DOCUMENT_SOURCE}
    first = min(i for i, name in enumerate(columns) if name in replaced)
    kept = [name for name in columns if name not in replaced]
    position = sum(1 for name in columns[:first] if name not in replaced)
    return kept[:position] + [DOCUMENT] + kept[position:]


def parse_columns(option: str | None) -> list[str] | None:
    """``"a, b,c"`` -> ``["a", "b", "c"]``; ``None`` or blank means the default choice."""
    if option is None or not option.strip():
        return None
    return [name.strip() for name in option.split(",") if name.strip()]


def select(columns: Sequence[str], rows: Sequence[Sequence[Any]], wanted: Sequence[str] | None, *,
           label_width: int = 40) -> Selection:
    """The ``wanted`` columns in that order (``None``: :func:`default_columns`); raises :class:`UnknownColumn`.

    ``document`` is filled with :func:`document_label` at most ``label_width`` cells wide.
    """
    valid = available_columns(columns)
    names = list(wanted) if wanted is not None else default_columns(columns)
    unknown = [name for name in names if name not in valid]
    if unknown:
        raise UnknownColumn(unknown, valid)
    index = {name: i for i, name in enumerate(columns)}

    def value(row: Sequence[Any], name: str) -> Any:
        if name in index:
            return row[index[name]]
        title = row[index[DOCUMENT_TITLE]] if DOCUMENT_TITLE in index else None
        source = row[index[DOCUMENT_SOURCE]] if DOCUMENT_SOURCE in index else None
        return document_label(title, source, label_width)

    return Selection(names, [tuple(value(row, name) for name in names) for row in rows])


# --------------------------------------------------------------------------- layout


def is_text_column(name: str, width: int) -> bool:
    """Wraps when its name says prose/path and it has more than a few cells, or when it is wide anyway."""
    named = name.lower() in TEXT_NAMES or name.lower().endswith(_TEXT_SUFFIXES)
    return (named and width > 4) or width > WIDE_CONTENT


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _is_number(values: list[Any]) -> bool:
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, numbers.Number) and not isinstance(v, bool) for v in present)


def _fits(widths: list[int], least: list[int], width: int) -> bool:
    """Whether every column at its least width (a compact one at its full width) fits in ``width`` cells."""
    needed = sum(min(w, floor) for w, floor in zip(widths, least))
    return needed + COLUMN_GAP * (len(widths) - 1) <= width


def _to_hide(names: list[str], widths: list[int], wraps: list[bool], width: int) -> set[int]:
    """Indexes of columns to leave out, rightmost first, never the first column or the main text.

    The main text is the ``text`` column, else the first wrapping column other than ``document``.
    """
    prose = [i for i, wrap in enumerate(wraps) if wrap and names[i] != DOCUMENT]
    main = names.index("text") if "text" in names else (prose[0] if prose else 0)
    keep = {0, main}
    least = [(max(MIN_TEXT_WIDTH, width // MAIN_TEXT_SHARE) if i == main else MIN_TEXT_WIDTH)
             if wrap else w for i, (w, wrap) in enumerate(zip(widths, wraps))]
    hidden: set[int] = set()
    for i in reversed(range(len(names))):
        shown = [j for j in range(len(names)) if j not in hidden]
        if _fits([widths[j] for j in shown], [least[j] for j in shown], width):
            break
        if i not in keep:
            hidden.add(i)
    return hidden


def layout(selection: Selection, width: int, *, hide: bool = True) -> Layout:
    """A rich table of ``selection`` for a terminal ``width`` cells wide.

    ``hide=False`` keeps every column (the user chose them with ``--columns``);
    rich then shortens what does not fit with ``…``.
    """
    names = selection.columns
    texts = [[_cell(v) for v in column] for column in zip(*selection.rows)] or [[] for _ in names]
    widths = [max([cell_len(name)] + [max((cell_len(line) for line in v.splitlines()), default=0)
                                      for v in values]) for name, values in zip(names, texts)]
    content = [max((cell_len(v) for v in values), default=0) for values in texts]
    wraps = [is_text_column(name, w) for name, w in zip(names, content)]
    hidden = _to_hide(names, widths, wraps, width) if hide else set()
    shown = [i for i in range(len(names)) if i not in hidden]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    raw = list(zip(*selection.rows)) or [() for _ in names]
    for i in shown:
        if wraps[i]:
            table.add_column(names[i], overflow="fold")
        else:
            table.add_column(names[i], no_wrap=True, overflow="ellipsis",
                             justify="right" if _is_number(list(raw[i])) else "left")
    for row in zip(*(texts[i] for i in shown)) if shown else []:
        table.add_row(*(Wrapped(v) if wraps[i] else Text(v) for i, v in zip(shown, row)))
    return Layout(table, [names[i] for i in sorted(hidden)])


def print_table(console: Console, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                wanted: Sequence[str] | None = None) -> list[str]:
    """Print ``rows`` as a table that fits ``console.width``; returns the names of hidden columns.

    Raises :class:`UnknownColumn` before printing anything.
    """
    chosen = select(columns, rows, wanted, label_width=max(12, console.width // 5))
    result = layout(chosen, console.width, hide=wanted is None)
    console.print(result.table)
    return result.hidden
