"""The workbook's structure matches its reviewed golden file (tests/workbook/golden/).

The test never writes: after an intended change, run ``python -m tests.workbook.golden --update``
and review the diff of the JSON files like code.
"""

from __future__ import annotations

import json

import pytest

from tests.workbook.golden import CASES, build_structure, golden_path


@pytest.mark.parametrize("catalog_name", list(CASES))
def test_structure_matches_golden(catalog_name: str) -> None:
    expected = json.loads(golden_path(catalog_name).read_text(encoding="utf-8"))
    found = json.loads(json.dumps(build_structure(catalog_name)))
    for key in expected.keys() | found.keys():
        assert found.get(key) == expected.get(key), f"{key} differs; see python -m tests.workbook.golden"


def test_golden_files_cover_colours_validations_and_the_dashboard() -> None:
    for name in CASES:
        golden = json.loads(golden_path(name).read_text(encoding="utf-8"))
        assert golden["conditional_formats"]["KPIs"] and golden["conditional_formats"]["Dashboard"]
        assert golden["data_validations"]["Inputs"] and golden["data_validations"]["Settings"]
        assert len(golden["formulas Dashboard"]) > 20
