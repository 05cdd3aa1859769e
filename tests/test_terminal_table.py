"""Tables for reading at an 80-column terminal (reports/terminal.py, issue 17): the text wraps, ids stay whole."""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from conftest import ROOT
from db.fts import SEARCH_COLUMNS
from reports import terminal
from reports.terminal import UnknownColumn, document_label, print_table, select, wrap_cells

EXAMPLES = ROOT / "examples"
# Sentences of examples/zh_compute_post.md and examples/zh_policy_notes.txt.
COMPUTE = "据东岭算力研究院统计，截至 2025 年 9 月，全国已投运的城市智算中心超过 120 个，总投资约 3400 亿元，其中约 62% 由地方政府平台公司出资。"
RACKS = "如表 1 所示，上架率与电价的东西差异同时存在。"
STORAGE = "以某型号储能电芯为例，其价格从2021年初的每千克16元涨到2022年底的438元，将近30倍①。"
SOURCE = "/home/analyst/corpus/2025/地方财政/zh_compute_post.md"
TITLE = "算力账本：2025 年城市智算中心的扩张与隐忧"


def _search_rows() -> list[tuple]:
    """Rows shaped like db.fts.search's result, with long paths."""
    return [
        ("claim", 16, 3, TITLE, SOURCE, 1, 166, 217, COMPUTE),
        ("sentence", 46, 3, TITLE, SOURCE, 1, 458, 482, RACKS),
        ("sentence", 7, 4, None, "/home/analyst/corpus/zh_policy_notes.txt", 1, 120, 167, STORAGE),
    ]


def _render(width: int, columns: list[str], rows: list[tuple], wanted: list[str] | None = None
            ) -> tuple[list[str], list[str]]:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    hidden = print_table(console, columns, rows, wanted)
    return console.export_text().splitlines(), hidden


def _cells(line: str, start: int, end: int | None = None) -> str:
    """The characters of ``line`` between two cell offsets (a CJK character is 2 cells)."""
    out, offset = [], 0
    for char in line:
        if offset >= start and (end is None or offset < end):
            out.append(char)
        offset += cell_len(char)
    return "".join(out)


def _column(lines: list[str], name: str, following: str | None = None) -> list[str]:
    """Each body line's cells under header ``name`` (up to the header ``following``)."""
    header = lines[0]
    start = re.search(rf"(?<!\S){re.escape(name)}(?!\S)", header).start()
    end = re.search(rf"(?<!\S){re.escape(following)}(?!\S)", header).start() if following else None
    return [_cells(line, start, end) for line in lines[2:]]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------- wrapping


@pytest.mark.parametrize("width", [10, 17, 30, 31])
@pytest.mark.parametrize("sentence", [COMPUTE, RACKS, STORAGE])
def test_terminal_wrap_cells_keeps_every_character_within_width(sentence: str, width: int) -> None:
    lines = wrap_cells(sentence, width)
    assert all(cell_len(line) <= width for line in lines)
    assert _squash("".join(lines)) == _squash(sentence)
    assert not any(line[0] in "，。、；：）%" for line in lines if line)


@pytest.mark.parametrize("text, width, expected", [
    # rich alone breaks only at spaces: "如表 1" stood alone on a line of 31.
    (RACKS, 31, ["如表 1 所示，上架率与电价的东西", "差异同时存在。"]),
    # Closing punctuation stays with the character before it.
    ("甲乙丙丁，戊己", 8, ["甲乙丙", "丁，戊己"]),
    # A Latin word is not cut while a line can hold it.
    ("达到约 780 EFLOPS，比", 12, ["达到约 780", "EFLOPS，比"]),
])
def test_terminal_wrap_cells_breaks_between_cjk_characters(text: str, width: int, expected: list[str]) -> None:
    assert wrap_cells(text, width) == expected


# --------------------------------------------------------------------------- labels and columns


@pytest.mark.parametrize("title, source, label", [
    (TITLE, SOURCE, TITLE),
    (None, SOURCE, "zh_compute_post.md"),
    ("  ", "https://example.org/qinglan/2025-racks?x=1", "2025-racks"),
    (None, "https://example.org/", "example.org"),
    (None, "C:\\reports\\年报.pdf", "年报.pdf"),
])
def test_terminal_document_label_is_title_else_file_name(title: str | None, source: str, label: str) -> None:
    assert document_label(title, source, 80) == label


def test_terminal_document_label_is_shortened_in_cells() -> None:
    label = document_label(TITLE, SOURCE, 16)
    assert label == "算力账本：2025…" and cell_len(label) <= 16


def test_terminal_select_replaces_document_columns_by_label() -> None:
    chosen = select(SEARCH_COLUMNS, _search_rows(), None, label_width=80)
    assert chosen.columns == ["kind", "id", "document", "page", "start", "end", "text"]
    assert [row[2] for row in chosen.rows] == [TITLE, TITLE, "zh_policy_notes.txt"]


def test_terminal_select_columns_in_the_given_order() -> None:
    chosen = select(SEARCH_COLUMNS, _search_rows(), ["text", "document_id", "document"], label_width=80)
    assert chosen.columns == ["text", "document_id", "document"]
    assert chosen.rows[1] == (RACKS, 3, TITLE)


def test_terminal_select_unknown_column_names_the_valid_ones() -> None:
    with pytest.raises(UnknownColumn) as caught:
        select(SEARCH_COLUMNS, _search_rows(), ["text", "txt"])
    assert str(caught.value) == ("unknown column 'txt'; choose from: kind, id, document_id, document_title, "
                                 "document_source, page, start, end, text, document")


def test_terminal_select_without_document_columns_offers_no_label() -> None:
    assert select(["id", "text"], [(1, "x")], None).columns == ["id", "text"]
    with pytest.raises(UnknownColumn, match="choose from: id, text$"):
        select(["id", "text"], [(1, "x")], ["document"])


# --------------------------------------------------------------------------- layout


@pytest.mark.parametrize("width", [80, 120])
def test_terminal_search_table_shows_whole_text_within_width(width: int) -> None:
    lines, hidden = _render(width, SEARCH_COLUMNS, _search_rows())
    assert hidden == []
    assert all(cell_len(line) <= width for line in lines)
    assert lines[0].split() == ["kind", "id", "document", "page", "start", "end", "text"]
    text = _squash("".join(_column(lines, "text")))
    assert text == _squash(COMPUTE + RACKS + STORAGE)
    shown = "\n".join(lines)
    assert SOURCE not in shown and "corpus" not in shown and "zh_policy_notes" in shown


@pytest.mark.parametrize("width", [80, 120])
def test_terminal_ids_and_offsets_are_not_wrapped(width: int) -> None:
    rows = [(kind, 123456789 + i, *rest) for i, (kind, _, *rest) in enumerate(_search_rows())]
    lines, hidden = _render(width, SEARCH_COLUMNS, rows)
    assert hidden == []
    firsts = [line for line in lines[2:] if line.startswith(("claim", "sentence"))]
    expected = [("claim", 123456789, 166, 217), ("sentence", 123456790, 458, 482), ("sentence", 123456791, 120, 167)]
    assert len(firsts) == 3
    for line, (kind, row_id, start, end) in zip(firsts, expected):
        assert re.match(rf"{kind} +{row_id}  \S.* 1 +{start} +{end}  \S", line), line
    assert "…" not in "".join(_column(lines, "kind", "document"))


def test_terminal_text_gets_the_width_at_80() -> None:
    """Before: the text column had 7 cells at 80 while paths kept theirs; now it has most of the rest."""
    lines, _ = _render(80, SEARCH_COLUMNS, _search_rows())
    text_cells = 80 - lines[0].index("text")
    assert text_cells >= 30
    assert max(cell_len(cell.rstrip()) for cell in _column(lines, "text")) >= 28


def test_terminal_wide_result_hides_rightmost_columns_and_says_which() -> None:
    columns = ["id", "document_id", "sentence_id", "page", "page_index", "start", "end", "text", "kind",
               "checkworthiness", "attribution_cue"]
    rows = [(1, 3, 12, 2, 1, 100, 160, COMPUTE, "statistical", 0.7195, "据")]
    lines, hidden = _render(80, columns, rows)
    assert hidden == ["start", "end", "kind", "checkworthiness", "attribution_cue"]
    assert lines[0].split() == columns[:5] + ["text"]
    assert all(cell_len(line) <= 80 for line in lines)
    assert _squash("".join(_column(lines, "text"))) == _squash(COMPUTE)


def test_terminal_chosen_columns_are_never_hidden() -> None:
    lines, hidden = _render(80, SEARCH_COLUMNS, _search_rows(), ["text", "kind", "document"])
    assert hidden == []
    assert lines[0].split() == ["text", "kind", "document"]
    assert all(cell_len(line) <= 80 for line in lines)
    assert _squash("".join(_column(lines, "text", "kind"))) == _squash(COMPUTE + RACKS + STORAGE)


def test_terminal_empty_result_prints_the_header() -> None:
    lines, hidden = _render(80, SEARCH_COLUMNS, [])
    assert hidden == [] and lines[0].split() == ["kind", "id", "document", "page", "start", "end", "text"]


@pytest.mark.parametrize("value, justified", [(Decimal("0.7195"), "right"), (3, "right"), ("3", "left")])
def test_terminal_numbers_are_right_justified(value: object, justified: str) -> None:
    lines, _ = _render(80, ["checkworthiness", "text"], [(value, "注"), (None, "甲")])
    cell = lines[2][:len("checkworthiness")]
    assert cell.strip() == str(value)
    assert cell == (cell.strip().rjust(len(cell)) if justified == "right" else cell.strip().ljust(len(cell)))


def test_terminal_cells_are_not_read_as_markup() -> None:
    lines, _ = _render(80, ["id", "text"], [(1, "[bold]注[/bold] [^1] 全市生产总值")])
    assert "[bold]注[/bold] [^1] 全市生产总值" in lines[2]


def test_terminal_wide_unnamed_column_wraps_and_short_text_column_stays() -> None:
    long_value = "路径/" * 30
    cases = [("text", 20), ("text", 3), ("indicator", 12), ("json_blob", 90), ("document_title", 30)]
    assert [terminal.is_text_column(name, w) for name, w in cases] == [True, False, False, True, True]
    lines, _ = _render(80, ["id", "blob"], [(1, long_value)])
    assert all(cell_len(line) <= 80 for line in lines) and len(lines) > 3


# --------------------------------------------------------------------------- through the command


def claimledger(*args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=600)


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two Chinese examples ingested through the CLI into a SQLite file (no Prefect)."""
    db = tmp_path_factory.mktemp("terminal") / "examples.db"
    result = claimledger("ingest", str(EXAMPLES / "zh_compute_post.md"), str(EXAMPLES / "zh_policy_notes.txt"),
                         "--db", str(db), "--prefect", "off")
    assert result.returncode == 0, result.stderr
    return db


def test_terminal_cli_search_at_80_columns_reads_the_matched_text(examples_db: Path) -> None:
    result = claimledger("search", "上架率", "--db", str(examples_db))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    assert lines[0].split() == ["kind", "id", "document", "page", "start", "end", "text"]
    with sqlite3.connect(examples_db) as conn:
        sentences = [t for (t,) in conn.execute("SELECT text FROM sentences WHERE text LIKE '%上架率%'")]
        source = conn.execute("SELECT source FROM documents WHERE source LIKE '%.md'").fetchone()[0]
    assert RACKS in sentences
    shown = _squash("".join(_column(lines, "text")))
    assert all(_squash(s) in shown for s in sentences)
    assert "算力账本：2025…" in result.stdout and source not in result.stdout


def test_terminal_cli_columns_option(examples_db: Path) -> None:
    chosen = claimledger("search", "上架率", "--db", str(examples_db), "--columns", "id,text", "--limit", "2")
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout.splitlines()[0].split() == ["id", "text"]
    sql = claimledger("sql", "SELECT id, title, source FROM documents ORDER BY id", "--db", str(examples_db),
                      "--columns", "title, id")
    assert sql.returncode == 0, sql.stderr
    assert sql.stdout.splitlines()[0].split() == ["title", "id"]
    assert TITLE.replace(" ", "") in _squash(sql.stdout)


@pytest.mark.parametrize("command", [["search", "上架率"], ["sql", "SELECT id, text FROM claims"]])
def test_terminal_cli_unknown_column_is_one_line(examples_db: Path, command: list[str]) -> None:
    result = claimledger(*command, "--db", str(examples_db), "--columns", "id,nope")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: unknown column 'nope'; choose from: ")


def test_terminal_cli_csv_and_json_unchanged_without_columns(examples_db: Path) -> None:
    found = claimledger("search", "上架率", "--db", str(examples_db), "--format", "csv")
    assert found.stdout.splitlines()[0] == ",".join(SEARCH_COLUMNS)
    as_json = json.loads(claimledger("search", "上架率", "--db", str(examples_db), "--format", "json").stdout)
    assert list(as_json[0]) == SEARCH_COLUMNS
    assert as_json[0]["document_source"].endswith(".md")
    picked = claimledger("search", "上架率", "--db", str(examples_db), "--format", "csv", "--columns", "id,document")
    assert picked.stdout.splitlines()[1].endswith("," + TITLE)


def test_terminal_cli_sql_says_which_columns_it_hid(examples_db: Path) -> None:
    result = claimledger("sql", "SELECT * FROM claims LIMIT 3", "--db", str(examples_db))
    assert result.returncode == 0, result.stderr
    assert all(cell_len(line) <= 80 for line in result.stdout.splitlines())
    assert "(not shown, to fit 80 terminal columns: " in result.stderr
    assert "choose with --columns" in result.stderr
    wide = claimledger("sql", "SELECT * FROM claims LIMIT 3", "--db", str(examples_db), columns=250)
    assert "not shown" not in wide.stderr
