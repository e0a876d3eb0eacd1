"""``locate`` keeps its answer per template: a second file of the same template gets the same answer in
containers of its own, and a file whose names or sheets differ gets its own answer, never the kept one.

The workbooks are the template's names on empty sheets (``Layout.plan``, as the writer defines them); what
each should give is counted from the catalogue and worked out by hand."""

from __future__ import annotations

import pytest

from generator.catalog import Catalog
from generator.template.layout import Layout, SheetNames, defined_names
from generator.validate import locate as locate_module
from generator.validate.book import Book
from generator.validate.findings import Code
from generator.validate.identify import load_messages
from generator.validate.reader import WorkbookData
from generator.validate.sheet_cells import SheetCells

SHEETS = SheetNames("Start", "Settings", "Inputs", "KPIs", "Dashboard", "Definitions", "Scorecard", "Chart data")


def _book(names: dict[str, str], sheets: list[str] | None = None) -> Book:
    listed = sheets if sheets is not None else [s for s in vars(SHEETS).values() if s]
    return Book(WorkbookData("xlsx", listed, {sheet: SheetCells() for sheet in listed}, {}, names))


@pytest.fixture
def names(crm: Catalog) -> dict[str, str]:
    return defined_names(Layout.plan(crm, SHEETS))


def test_the_same_template_gets_the_same_answer_in_its_own_containers(crm: Catalog, names: dict[str, str]) -> None:
    messages = load_messages("en")
    first, findings = locate_module.locate(_book(names), crm, messages)
    assert findings == []
    assert first.inputs == set(crm.inputs) and first.kpis == set(crm.kpis)
    first.inputs.clear()  # a caller's change stays its own
    findings.append(None)  # type: ignore[arg-type]
    second, again = locate_module.locate(_book(dict(names)), crm, messages)
    assert second.inputs == set(crm.inputs) and again == []
    assert second.layout.input_rows == Layout.plan(crm, SHEETS).input_rows


def test_a_file_with_other_names_or_sheets_gets_its_own_answer(crm: Catalog, names: dict[str, str]) -> None:
    messages = load_messages("en")
    locate_module.locate(_book(names), crm, messages)  # kept
    first_input = next(iter(crm.inputs))
    gone = [f"in_{first_input}", f"inq_{first_input}", f"inytd_{first_input}"]  # every name giving its row
    fewer = {name: target for name, target in names.items() if name not in gone}
    located, findings = locate_module.locate(_book(fewer), crm, messages)
    assert located.inputs == set(crm.inputs) - {first_input}
    assert [(f.code, f.expected, f.input) for f in findings] == [(Code.MISSING_NAME, n, first_input) for n in gone]
    without_kpis = [s for s in vars(SHEETS).values() if s and s != "KPIs"]
    located, findings = locate_module.locate(_book(names, without_kpis), crm, messages)
    assert located.kpis == set() and [f.code for f in findings][:1] == [Code.MISSING_SHEET]
    located, findings = locate_module.locate(_book(names), crm, messages)  # and the kept one again
    assert located.inputs == set(crm.inputs) and findings == []
