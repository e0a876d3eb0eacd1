"""Corpus items: the limits counted while reading (cells, shared strings, text length, defined-name extents).

Each starts from the real CRM workbook (calculated by LibreOffice) and adds what a user's paste
or a hostile file brings: a sheet of many small cells, a shared string table of millions, a text
longer than a cell can hold, a name over the whole sheet. The refusal must name the limit and the
option that raises it, and come while streaming: its count stops at the limit plus one, however
much more the file holds. Counts are taken from the base workbook, so "just over" and "just
under" are exact whatever the template holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from generator.validate.refusals import ReadLimits
from tests.corpus import packages
from tests.corpus.model import Bases, Case, item
from tests.corpus.workbook_items import _sheet_part, _xml_edit

LIMITS = ReadLimits()
RAW = "Raw data"
"""The sheet a user pastes a data dump into, next to the template's sheets."""


def _refusal(path: Path, text: str, option: str, args: tuple[str, ...] = ()) -> Case:
    where = rf"^Error: {re.escape(path.name)}: {text}; if you trust the file, raise the limit with {option}$"
    return Case(["validate", path.name, *args], 3, where, unchanged=[path])


def _dense(folder: Path, bases: Bases, name: str, cells: int, references: bool = False) -> Path:
    """The CRM workbook plus a sheet of small numbers, bringing the file to ``cells`` cells in all."""
    extra = cells - packages.cell_count(bases.calculated)
    rows = packages.number_rows(extra, 1000, references=references)
    return packages.with_extra_sheet(bases.calculated, folder / name, RAW, rows)


@item("workbook (limits)")
def dense_sheet_just_over_max_cells(folder: Path, bases: Bases) -> Case:
    path = _dense(folder, bases, "over.xlsx", LIMITS.max_cells + 1)
    over = LIMITS.max_cells + 1
    text = f"has, counting up to sheet '{RAW}', at least {over} cells, more than the limit of {LIMITS.max_cells}"
    return _refusal(path, text, "--max-cells")


@item("workbook (limits)")
def dense_sheet_just_under_max_cells(folder: Path, bases: Bases) -> Case:
    """Exactly at the limit, every cell with its reference as Excel writes it: read whole and validated
    (the extra sheet is the user's own), under the memory ceiling."""
    path = _dense(folder, bases, "under.xlsx", LIMITS.max_cells, references=True)
    return Case(["validate", path.name], 0, "", unchanged=[path])


@item("workbook (limits)")
def dense_sheet_four_times_the_limit(folder: Path, bases: Bases) -> Case:
    """Issue 18's case (millions of small cells took minutes and gigabytes): the count stops at the limit."""
    path = _dense(folder, bases, "dense.xlsx", 4 * LIMITS.max_cells)
    text = f"has, counting up to sheet '{RAW}', at least {LIMITS.max_cells + 1} cells, more than the limit of "
    return _refusal(path, text + str(LIMITS.max_cells), "--max-cells")


@item("workbook (limits)")
def rows_without_references_past_max_rows(folder: Path, bases: Bases) -> Case:
    """Rows and cells without ``r=`` follow one another; row 10,001 is past the limit all the same."""
    rows = packages.number_rows(LIMITS.max_rows + 1, 1, numbered=False)
    path = packages.with_extra_sheet(bases.calculated, folder / "tall.xlsx", RAW, rows)
    over = LIMITS.max_rows + 1
    text = f"sheet '{RAW}' has a cell at {over} rows \\(A{over}\\), more than the limit of {LIMITS.max_rows} rows"
    return _refusal(path, text, "--max-rows")


@item("workbook (limits)")
def cells_without_references_past_max_columns(folder: Path, bases: Bases) -> Case:
    rows = packages.number_rows(LIMITS.max_columns + 1, LIMITS.max_columns + 1, numbered=False)
    path = packages.with_extra_sheet(bases.calculated, folder / "wide.xlsx", RAW, rows)
    text = (
        f"sheet '{RAW}' has a cell at {LIMITS.max_columns + 1} columns \\(ALM1\\), more than the limit of "
        f"{LIMITS.max_columns} columns"
    )
    return _refusal(path, text, "--max-columns")


def _more_strings(bases: Bases, target: Path, extra: Iterator[bytes]) -> Path:
    """The workbook with ``extra`` ``<si>`` entries after its own shared strings (which its cells use)."""
    parts = packages.members(bases.calculated)
    table = parts.pop("xl/sharedStrings.xml")
    head, _tail = table.rsplit(b"</sst>", 1)

    def chunks() -> Iterator[bytes]:
        yield head
        yield from extra
        yield b"</sst>"

    return packages.write(target, parts, {"xl/sharedStrings.xml": chunks()})


@item("workbook (limits)")
def two_million_shared_strings(folder: Path, bases: Bases) -> Case:
    """Issue 18: 8 million shared strings took 133 s; the count stops at the limit, while streaming."""

    path = _more_strings(bases, folder / "strings.xlsx", packages.random_strings(2_000_000))
    limit = LIMITS.max_shared_strings
    return _refusal(
        path, f"has at least {limit + 1} shared strings, more than the limit of {limit}", "--max-shared-strings"
    )


@item("workbook (limits)")
def shared_string_over_max_string_chars(folder: Path, bases: Bases) -> Case:
    long = b"<si><t>" + packages.random_letters(LIMITS.max_string_chars + 8) + b"</t></si>"
    path = _more_strings(bases, folder / "long.xlsx", iter([long]))
    limit = LIMITS.max_string_chars
    text = rf"shared string \d+ holds at least \d+ characters in one text, more than the limit of {limit}"
    return _refusal(path, text, "--max-string-chars")


def _cell(xml: str, ref: str, attrs: str, body: str) -> str:
    found = re.search(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>.*?</c>)', xml)
    assert found is not None, ref
    style = re.search(r' s="\d+"', found.group("attrs"))
    return (
        xml[: found.start()] + f'<c r="{ref}"{style.group(0) if style else ""}{attrs}>{body}</c>' + xml[found.end() :]
    )


@item("workbook (limits)")
def inline_string_over_max_string_chars(folder: Path, bases: Bases) -> Case:
    """A pasted text longer than Excel's 32,767 characters, in an input cell."""
    text = packages.random_letters(LIMITS.max_string_chars + 1).decode()
    sheet = _sheet_part(bases.calculated, "Inputs")
    path = _xml_edit(
        folder, bases, "inline.xlsx", sheet, lambda xml: _cell(xml, "E42", ' t="inlineStr"', f"<is><t>{text}</t></is>")
    )
    limit = LIMITS.max_string_chars
    return _refusal(
        path,
        rf"sheet 'Inputs', cell E42, holds at least \d+ characters in one text, more than the limit of {limit}",
        "--max-string-chars",
    )


@item("workbook (limits)")
def formula_over_max_string_chars(folder: Path, bases: Bases) -> Case:
    formula = "1+" * (LIMITS.max_string_chars // 2 + 1) + "1"  # 32,769 characters
    sheet = _sheet_part(bases.calculated, "KPIs")
    path = _xml_edit(folder, bases, "formula.xlsx", sheet, lambda xml: _cell(xml, "E8", "", f"<f>{formula}</f>"))
    limit = LIMITS.max_string_chars
    return _refusal(
        path,
        rf"sheet 'KPIs', cell E8, holds at least \d+ characters in one text, more than the limit of {limit}",
        "--max-string-chars",
    )


def _name_to(folder: Path, bases: Bases, file: str, target: str) -> Path:
    pattern = r'(<definedName[^>]*name="in_avg_sale_value"[^>]*>)[^<]*'
    return _xml_edit(
        folder, bases, file, "xl/workbook.xml", lambda xml: re.sub(pattern, lambda m: m.group(1) + target, xml)
    )


@item("workbook (limits)")
def defined_name_over_the_whole_sheet(folder: Path, bases: Bases) -> Case:
    """Issue 18: a name over $A$1:$XFD$1048576 ended in a MemoryError; it is refused, naming the name."""
    path = _name_to(folder, bases, "whole.xlsx", "Inputs!$A$1:$XFD$1048576")
    text = (
        r"has a defined name 'in_avg_sale_value' spanning 17179869184 cells \(Inputs!\$A\$1:\$XFD\$1048576\), "
        rf"more than the limit of {LIMITS.max_name_cells}"
    )
    return _refusal(path, text, "--max-name-cells")


@item("workbook (limits)")
def defined_name_over_the_whole_sheet_limit_raised(folder: Path, bases: Bases) -> Case:
    """With the limit raised to the whole sheet, the name is read and reported where it points, in no time."""
    path = _name_to(folder, bases, "whole.xlsx", "Inputs!$A$1:$XFD$1048576")
    case = Case(
        ["validate", path.name, "--format", "json", "--max-name-cells", "17179869184"],
        1,
        "",
        code="moved-cells",
        fields={"value": "Inputs!A1:XFD1048576"},
        unchanged=[path],
    )
    return case


@item("workbook (limits)")
def defined_name_past_the_last_row(folder: Path, bases: Bases) -> Case:
    """A name reaching row 9,999,999 points to no cells: a broken name, not 163 billion cells refused."""
    path = _name_to(folder, bases, "past.xlsx", "Inputs!$A$1:$XFD$9999999")
    return Case(["validate", path.name, "--format", "json"], 1, "", code="broken-name", unchanged=[path])


@item("workbook (limits)")
def defined_name_over_a_whole_column(folder: Path, bases: Bases) -> Case:
    """LibreOffice writes a whole column as $D$1:$D$1048576: within the default, reported as moved."""
    path = _name_to(folder, bases, "column.xlsx", "Inputs!$D$1:$D$1048576")
    return Case(
        ["validate", path.name, "--format", "json"],
        1,
        "",
        code="moved-cells",
        fields={"value": "Inputs!D1:D1048576"},
        unchanged=[path],
    )
