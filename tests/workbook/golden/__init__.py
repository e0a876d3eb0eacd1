"""Reviewed golden copies of the generated workbooks' structure, so it cannot drift silently:
sheets, defined names, properties, one KPI's and one input's formulas, every conditional format
(range, rule, colours), every data validation, and every formula of the dashboard.

The tests only compare. After an intended change, rewrite the files with the explicit command

    python -m tests.workbook.golden --update

and review the diff of tests/workbook/golden/*.json like code.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl

GOLDEN = Path(__file__).parent
CASES = {"crm": ("nps", "customers_start"), "bsc": ("email_open_rate", "emails_opened")}
"""Catalogue -> (KPI, input) whose row formulas are kept; built in English for fiscal 2026."""


def golden_path(catalog_name: str) -> Path:
    return GOLDEN / f"{catalog_name}-en.json"


def _colour(value: Any) -> str:
    rgb = getattr(value, "rgb", None)
    return rgb if isinstance(rgb, str) and rgb != "00000000" else "-"


def _conditional_formats(sheet: Any) -> list[str]:
    """One line per rule: range | formula | fill, font colour, bold."""
    lines = []
    for entry in sheet.conditional_formatting:
        for rule in entry.rules:
            dxf = rule.dxf
            fill = _colour(dxf.fill.bgColor) if dxf is not None and dxf.fill is not None else "-"
            font = _colour(dxf.font.color) if dxf is not None and dxf.font is not None else "-"
            bold = " bold" if dxf is not None and dxf.font is not None and dxf.font.b else ""
            lines.append(f"{entry.sqref} | {' ; '.join(rule.formula)} | fill {fill} font {font}{bold}")
    return lines


def _data_validations(sheet: Any) -> list[str]:
    """One line per validation: range | kind, bounds or list | prompt title | error title."""
    lines = []
    for dv in sheet.data_validations.dataValidation:
        rule = f"{dv.type} {dv.operator or ''} {dv.formula1 or ''} {dv.formula2 or ''}".split()
        lines.append(f"{dv.sqref} | {' '.join(rule)} | {dv.promptTitle} | {dv.errorTitle}")
    return lines


def structure(data: bytes, kpi_id: str, input_id: str) -> dict[str, object]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    names = {name: book.defined_names[name].attr_text for name in sorted(book.defined_names)}
    kpi_sheet, kpi_ref = names[f"kpi_{kpi_id}"].split("!")
    input_sheet, input_ref = names[f"in_{input_id}"].split("!")
    kpi_row = int(kpi_ref.split(":")[0].lstrip("$ABCDEFGHIJKLMNOPQRSTUVWXYZ").replace("$", ""))
    input_row = int(input_ref.split(":")[0].lstrip("$ABCDEFGHIJKLMNOPQRSTUVWXYZ").replace("$", ""))

    def row_formulas(sheet: str, row: int) -> list[object]:
        ws = book[sheet.strip("'").replace("''", "'")]
        return [c.value for c in ws[row] if isinstance(c.value, str) and c.value.startswith("=")]

    properties = {p.name: p.value for p in book.custom_doc_props.props}
    properties.pop("generator_version")
    dashboard = book.worksheets[4]
    return {
        "sheets": book.sheetnames,
        "hidden": [ws.title for ws in book.worksheets if ws.sheet_state != "visible"],
        "defined_names": names,
        "properties": properties,
        f"formulas kpi_{kpi_id}": row_formulas(kpi_sheet, kpi_row),
        f"formulas in_{input_id}": row_formulas(input_sheet, input_row),
        "conditional_formats": {
            ws.title: _conditional_formats(ws) for ws in book.worksheets if _conditional_formats(ws)
        },
        "data_validations": {ws.title: _data_validations(ws) for ws in book.worksheets if _data_validations(ws)},
        f"formulas {dashboard.title}": {
            c.coordinate: c.value
            for row in dashboard.iter_rows()
            for c in row
            if isinstance(c.value, str) and c.value.startswith("=")
        },
    }


def build_structure(catalog_name: str) -> dict[str, object]:
    from generator.catalog import load_catalog
    from generator.paths import CATALOG_DIR
    from generator.workbook.build import build_workbook
    from generator.workbook.context import BuildOptions

    catalog = load_catalog(CATALOG_DIR / f"{catalog_name}.yaml")
    kpi_id, input_id = CASES[catalog_name]
    return structure(build_workbook(catalog, BuildOptions(locale="en", year=2026)).data, kpi_id, input_id)
