"""Only the cells a user types in are unlocked; every sheet is protected without a password."""

from __future__ import annotations

import io

import openpyxl

from generator.catalog import Catalog
from generator.i18n import Texts
from generator.template.layout import INPUT_GRID, MONTHS, SETTINGS_TOLERANCE_COL, SETTINGS_VALUE_COL, Layout
from generator.workbook.build import build_workbook, sheet_names
from generator.workbook.context import BuildOptions
from generator.workbook.sheet_dashboard import SELECTOR_ROW


def test_only_input_cells_are_unlocked(crm: Catalog) -> None:
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(crm, BuildOptions(sample=True)).data))
    layout = Layout.plan(crm, sheet_names(Texts.for_build(crm, "en", "USD")))
    expected: dict[str, set[tuple[int, int]]] = {name: set() for name in book.sheetnames}
    for row in layout.input_rows.values():
        expected[layout.sheets.inputs] |= {(row + 1, INPUT_GRID.month(m) + 1) for m in range(MONTHS)}
    for row in layout.py_input_rows.values():  # the prior year's months are typed too
        expected[layout.sheets.prior_inputs] |= {(row + 1, INPUT_GRID.month(m) + 1) for m in range(MONTHS)}
    settings = expected[layout.sheets.settings]
    settings |= {
        (layout.settings_rows[name] + 1, SETTINGS_VALUE_COL + 1) for name in ("company", "year", "first_month")
    }
    settings |= {(layout.settings_rows["company"] + 1, SETTINGS_TOLERANCE_COL + 1)}  # the company name is merged
    for row in layout.target_rows.values():
        settings |= {(row + 1, SETTINGS_VALUE_COL + 1), (row + 1, SETTINGS_TOLERANCE_COL + 1)}
    expected[layout.sheets.dashboard] |= {(SELECTOR_ROW + 1, 4), (SELECTOR_ROW + 1, 5)}  # the merged selector
    for sheet in book.worksheets:
        assert sheet.protection.sheet, f"{sheet.title} is not protected"
        assert not sheet.protection.password, f"{sheet.title} has a password"
        unlocked = {(c.row, c.column) for row in sheet.iter_rows() for c in row if c.protection.locked is False}
        assert unlocked == expected[sheet.title], sheet.title
        for row in sheet.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    assert c.protection.locked is not False, f"formula in {sheet.title}!{c.coordinate} is unlocked"


def test_each_input_row_validates_its_bounds(crm: Catalog) -> None:
    """Whole numbers from 0 for counts, 0..1 for a percent, any sign for net profit; with messages."""
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(crm, BuildOptions()).data))
    layout = Layout.plan(crm, sheet_names(Texts.for_build(crm, "en", "USD")))
    rules = {str(dv.sqref): dv for dv in book[layout.sheets.inputs].data_validations.dataValidation}
    for input_id, row in layout.input_rows.items():
        spec = crm.inputs[input_id]
        dv = rules[f"D{row + 1}:O{row + 1}"]
        assert dv.type == ("whole" if spec.integer else "decimal"), input_id
        assert dv.operator in (None, "between")
        low, high = float(dv.formula1), float(dv.formula2)
        assert low == (spec.min if spec.min is not None else -1e15), input_id
        assert high == (spec.max if spec.max is not None else 1e15), input_id
        assert dv.showErrorMessage and dv.error and dv.prompt, input_id
    assert (
        float(rules[f"D{layout.input_rows['profit_margin'] + 1}:O{layout.input_rows['profit_margin'] + 1}"].formula2)
        == 1
    )
    assert float(rules[f"D{layout.input_rows['net_profit'] + 1}:O{layout.input_rows['net_profit'] + 1}"].formula1) < 0
