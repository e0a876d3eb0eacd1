"""Corpus items: workbooks a user edited (by hand in the XML, with openpyxl, with LibreOffice through UNO)."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.corpus.model import INPUTS_E42, Bases, Case, Make, item

# ------------------------------------------------------------------------------------------ edited workbooks


def _sheet_part(book: Path, sheet: str) -> str:
    with zipfile.ZipFile(book) as package:
        workbook = package.read("xl/workbook.xml").decode("utf-8")
        rels = package.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rid = re.search(rf'<sheet name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', workbook)
    assert rid is not None
    target = re.search(rf'<Relationship Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
    )
    assert target is not None
    return "xl/" + target.group(1)


def _set_cell(xml: str, ref: str, body: str) -> str:
    found = re.search(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>.*?</c>)', xml)
    assert found is not None, ref
    style = re.search(r' s="\d+"', found.group("attrs"))
    return xml[: found.start()] + f'<c r="{ref}"{style.group(0) if style else ""} t="n">{body}</c>' + xml[found.end() :]


def _xml_edit(folder: Path, bases: Bases, name: str, member: str, edit: Callable[[str], str]) -> Path:
    from tests.validate import fill

    return fill.edit_part(bases.calculated, folder / name, member, edit)


def _finding(path: Path, where: str, code: str) -> Case:
    return Case(["validate", path.name, "--format", "json"], 1, where, code=code, unchanged=[path])


@item("workbook (XML)")
def huge_in_two_months_of_an_average(folder: Path, bases: Bases) -> Case:
    sheet = _sheet_part(bases.calculated, "Inputs")
    path = _xml_edit(
        folder,
        bases,
        "huge.xlsx",
        sheet,
        lambda xml: _set_cell(_set_cell(xml, "E42", "<v>1E+308</v>"), "F42", "<v>1E+308</v>"),
    )
    return _finding(path, "Inputs!F42", "out-of-range")


@item("workbook (XML)")
def number_of_400_digits(folder: Path, bases: Bases) -> Case:
    sheet = _sheet_part(bases.calculated, "Inputs")
    path = _xml_edit(folder, bases, "digits.xlsx", sheet, lambda xml: _set_cell(xml, "E42", f"<v>{'9' * 400}</v>"))
    return _finding(path, INPUTS_E42, "out-of-range")


@item("workbook (XML)")
def denormal_number(folder: Path, bases: Bases) -> Case:
    sheet = _sheet_part(bases.calculated, "Inputs")
    path = _xml_edit(folder, bases, "tiny.xlsx", sheet, lambda xml: _set_cell(xml, "E42", "<v>4.9E-324</v>"))
    return _finding(path, INPUTS_E42, "out-of-range")


@item("workbook (XML)")
def negative_huge_count(folder: Path, bases: Bases) -> Case:
    sheet = _sheet_part(bases.calculated, "Inputs")
    path = _xml_edit(folder, bases, "neg.xlsx", sheet, lambda xml: _set_cell(xml, "E8", "<v>-1.7E+308</v>"))
    return _finding(path, "Inputs!E8", "out-of-range")


@item("workbook (XML)")
def merged_month_cells(folder: Path, bases: Bases) -> Case:
    sheet = _sheet_part(bases.calculated, "Inputs")

    def merge(xml: str) -> str:
        if "<mergeCells" in xml:
            return re.sub(
                r'<mergeCells count="(\d+)">', r'<mergeCells count="\1"><mergeCell ref="E42:G42"/>', xml, count=1
            )
        return xml.replace("</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="E42:G42"/></mergeCells>')

    path = _xml_edit(folder, bases, "merged.xlsx", sheet, merge)
    return _finding(path, INPUTS_E42, "merged-cells")


@item("workbook (XML)")
def name_moved_to_row_9999999(folder: Path, bases: Bases) -> Case:
    path = _xml_edit(
        folder,
        bases,
        "far.xlsx",
        "xl/workbook.xml",
        lambda xml: re.sub(r"(Inputs!\$[A-Z]+\$)42(:\$[A-Z]+\$)42", r"\g<1>9999999\g<2>9999999", xml),
    )
    return _finding(path, "", "broken-name")


def _retag(folder: Path, bases: Bases, name: str, value: str) -> Path:
    return _xml_edit(
        folder,
        bases,
        name,
        "docProps/custom.xml",
        lambda xml: xml.replace("<vt:lpwstr>crm</vt:lpwstr>", f"<vt:lpwstr>{value}</vt:lpwstr>", 1),
    )


@item("workbook (XML)")
def catalog_id_names_the_schema(folder: Path, bases: Bases) -> Case:
    path = _retag(folder, bases, "schema.xlsx", "schema")
    return Case(["validate", path.name], 3, r"^Error: schema\.xlsx: .*'schema', which is not bundled", unchanged=[path])


@item("workbook (XML)")
def catalog_id_is_a_path(folder: Path, bases: Bases) -> Case:
    path = _retag(folder, bases, "path.xlsx", "../../../../dev/zero")
    return Case(["validate", path.name], 3, r"^Error: path\.xlsx: .*not a catalogue id", unchanged=[path])


@item("workbook (openpyxl)")
def chart_sheet_named_like_a_data_sheet(folder: Path, bases: Bases) -> Case:
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.load_workbook(bases.calculated)
    index = book.sheetnames.index("Inputs")
    del book["Inputs"]
    chart = BarChart()
    chart.add_data(Reference(book["KPIs"], min_col=5, min_row=8, max_col=16))
    book.create_chartsheet("Inputs", index).add_chart(chart)
    path = folder / "chartsheet.xlsx"
    book.save(path)
    return _finding(path, "", "missing-sheet")


@item("workbook (openpyxl)")
def text_typed_into_a_count(folder: Path, bases: Bases) -> Case:
    import openpyxl

    book = openpyxl.load_workbook(bases.calculated)
    book["Inputs"]["E8"] = "twelve"
    path = folder / "text.xlsx"
    book.save(path)
    return _finding(path, "Inputs!E8", "not-a-number")


@item("workbook (openpyxl)")
def kpi_formula_overwritten(folder: Path, bases: Bases) -> Case:
    import openpyxl

    book = openpyxl.load_workbook(bases.calculated)
    book["KPIs"]["E8"] = 0.5
    path = folder / "overwritten.xlsx"
    book.save(path)
    return _finding(path, "KPIs!E8", "formula-overwritten")


@item("workbook (openpyxl)")
def date_typed_into_a_count(folder: Path, bases: Bases) -> Case:
    import datetime

    import openpyxl

    book = openpyxl.load_workbook(bases.calculated)
    book["Inputs"]["E8"] = datetime.date(2026, 3, 1)
    path = folder / "date.xlsx"
    book.save(path)
    args = ["validate", path.name, "--format", "json"]
    fields = {"value": 46082, "expected": "1.3"}  # 1 March 2026 is serial 46082: "1.3" read as a day and month
    # exit 1: openpyxl's save drops the cached results, which the totals' stale-value findings say
    return Case(args, 1, "Inputs!E8", code="looks-like-date", fields=fields, unchanged=[path], absent=("not-a-number",))


def _uno(job: str, where: str, code: str | None, exit: int = 1) -> Make:
    def make(folder: Path, bases: Bases) -> Case:
        path = shutil.copyfile(bases.uno[job], folder / f"{job}.xlsx")
        if code is None:
            return Case(["validate", path.name], exit, where, unchanged=[path])
        return _finding(path, where, code)

    make.__name__ = f"libreoffice_{job}"
    return make


UNO_JOBS: dict[str, list[dict[str, object]]] = {
    "merged_months": [{"op": "merge", "sheet": "Inputs", "range": "E42:G42"}],
    "huge_average": [
        {"op": "value", "sheet": "Inputs", "cell": "E42", "value": 1e308},
        {"op": "value", "sheet": "Inputs", "cell": "F42", "value": 1e308},
    ],
    "text_in_count": [{"op": "text", "sheet": "Inputs", "cell": "E8", "value": "twelve"}],
    "overflowing_totals": [
        {"op": "value", "sheet": "Inputs", "cell": cell, "value": 9e307} for cell in ("E8", "F8", "E42", "F42")
    ],
    "rows_inserted": [{"op": "insert_rows", "sheet": "Inputs", "row": 20, "count": 2}],
    "sheet_renamed": [{"op": "rename", "sheet": "KPIs", "to": "My KPIs"}],
    "row_deleted": [{"op": "delete_rows", "sheet": "Inputs", "row": 4}],
    "decimal_typed_in_turkish": [{"op": "typed", "sheet": "Inputs", "cell": "H8", "text": "12.5", "locale": "tr-TR"}],
    "styled_rows_and_columns": [
        {"op": "background", "sheet": "Inputs", "range": "A60:XFD61", "color": 0xFFFF00},
        {"op": "background", "sheet": "Inputs", "range": "X1:Y1048576", "color": 0xFFFF00},
    ],
}
"""Batches of edits made through LibreOffice's UNO API, one document each (uno_edit.py)."""

item("workbook (LibreOffice)")(_uno("merged_months", INPUTS_E42, "merged-cells"))
item("workbook (LibreOffice)")(_uno("huge_average", "Inputs!F42", "out-of-range"))
item("workbook (LibreOffice)")(_uno("text_in_count", "Inputs!E8", "not-a-number"))
item("workbook (LibreOffice)")(_uno("overflowing_totals", "Inputs!P8", "out-of-range"))


@item("workbook (LibreOffice)")
def libreoffice_decimal_typed_in_turkish(folder: Path, bases: Bases) -> Case:
    """ "12.5" typed in May of a count by a user of LibreOffice in Turkish: LibreOffice stores 12 May of
    the current year with its date format (issue 24). One warning naming the figure meant, in the
    workbook's (English) spelling, instead of a not-a-number error."""
    path = shutil.copyfile(bases.uno["decimal_typed_in_turkish"], folder / "typed.xlsx")
    args = ["validate", path.name, "--format", "json"]
    fields = {"expected": "12.5"}
    return Case(args, 0, "Inputs!H8", code="looks-like-date", fields=fields, unchanged=[path], absent=("not-a-number",))


item("workbook (LibreOffice)")(_uno("rows_inserted", r"^$", None, exit=0))
item("workbook (LibreOffice)")(_uno("sheet_renamed", r"^$", None, exit=0))


def _written_by_libreoffice(job: str, pattern: str) -> Make:
    """A LibreOffice edit that must validate clean; ``pattern`` proves the file holds what the item is about."""

    def make(folder: Path, bases: Bases) -> Case:
        path = shutil.copyfile(bases.uno[job], folder / f"{job}.xlsx")
        with zipfile.ZipFile(path) as package:
            sheet = package.read(_sheet_part(path, "Inputs")).decode("utf-8")
        assert re.search(pattern, sheet), f"LibreOffice no longer writes {pattern}"
        return Case(["validate", path.name], 0, r"^$", unchanged=[path])

    make.__name__ = f"libreoffice_{job}"
    return make


# Deleting any row, even a blank one, makes LibreOffice write an empty row 1048576 (issue 18).
item("workbook (LibreOffice)")(_written_by_libreoffice("row_deleted", r'<row r="1048576"[^>]*>(</row>)?'))
item("workbook (LibreOffice)")(
    _written_by_libreoffice("styled_rows_and_columns", r'<row r="60" s="\d+" customFormat="true"[^>]*></row>')
)
