"""The workbook's structure is kept from drifting silently: sheets, defined names, properties,
and the formulas of one KPI and one input, compared with a reviewed golden file.

After an intended change, regenerate with ``UPDATE_GOLDEN=1 python -m pytest tests/workbook/test_golden.py``
and review the diff of tests/workbook/golden/*.json like code.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import openpyxl
import pytest

from generator.catalog import Catalog
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions

GOLDEN = Path(__file__).parent / "golden"


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
    return {
        "sheets": book.sheetnames,
        "hidden": [ws.title for ws in book.worksheets if ws.sheet_state != "visible"],
        "defined_names": names,
        "properties": properties,
        f"formulas kpi_{kpi_id}": row_formulas(kpi_sheet, kpi_row),
        f"formulas in_{input_id}": row_formulas(input_sheet, input_row),
    }


@pytest.mark.parametrize(
    ("catalog_name", "kpi_id", "input_id"),
    [("crm", "nps", "customers_start"), ("bsc", "email_open_rate", "emails_opened")],
)
def test_structure_matches_golden(
    request: pytest.FixtureRequest, catalog_name: str, kpi_id: str, input_id: str
) -> None:
    catalog: Catalog = request.getfixturevalue(catalog_name)
    data = build_workbook(catalog, BuildOptions(locale="en", year=2026)).data
    found = structure(data, kpi_id, input_id)
    path = GOLDEN / f"{catalog_name}-en.json"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert found == expected
