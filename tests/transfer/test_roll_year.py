"""Rolling a filled workbook into the next year (``regenerate --year NEXT``): a property test.

The old and the new workbook are read with openpyxl by their defined names (not with kpigen's
reader): the new prior-year inputs must equal the old inputs cell for cell, the new prior-year
KPIs the old KPIs, and every value the old file held (both its years) must be somewhere in the
new one (the old prior year on "Carried over", as history).
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.catalog import Catalog
from generator.cli import main
from generator.formula.reference import parse_target
from generator.transfer.regenerate import RegenerateOptions, regenerate
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions

Values = dict[str, list[float | None]]
NUMBER = st.one_of(
    st.none(),
    st.none(),
    st.integers(min_value=0, max_value=10**6).map(float),
    st.floats(min_value=0, max_value=1, allow_nan=False).map(lambda v: round(v, 4)),
)


def by_name(path: Path, prefix: str, *, data_only: bool = True) -> dict[str, list[Any]]:
    book = openpyxl.load_workbook(path, data_only=data_only)
    found: dict[str, list[Any]] = {}
    for name, definition in book.defined_names.items():
        if name.startswith(prefix):
            area = parse_target(definition.attr_text)
            assert area is not None
            sheet = book[area.sheet.replace("''", "'")]
            found[name[len(prefix) :]] = [sheet.cell(r + 1, c + 1).value for r, c in area.cells()]
    return found


def carried(path: Path) -> list[tuple[str, str, float]]:
    """(input id, YYYY-MM, value) of each input row on the "Carried over" sheet."""
    rows = by_name(path, "carried_over")
    cells = rows.get("", [])
    table = [cells[i : i + 6] for i in range(0, len(cells), 6)]
    return [(str(r[1]), str(r[3]), float(r[4])) for r in table if isinstance(r[4], int | float)]


def same(a: Any, b: Any) -> bool:
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return bool(a == b)


def month(year: int, first: int, index: int) -> str:
    position = year * 12 + first - 1 + index
    return f"{position // 12:04d}-{position % 12 + 1:02d}"


@st.composite
def filled_years(draw: st.DrawFn, catalogs: dict[str, Catalog]) -> tuple[Catalog, str, int, Values, Values]:
    catalog = catalogs[draw(st.sampled_from(["crm", "bsc"]))]
    locale = draw(st.sampled_from(["en", "tr"]))
    first = draw(st.sampled_from([1, 5, 12]))
    ids = list(catalog.inputs)
    row = st.lists(NUMBER, min_size=12, max_size=12)
    values = {i: draw(row) for i in ids}
    prior = {i: draw(row) for i in ids} if draw(st.booleans()) else {}
    return catalog, locale, first, values, prior


def test_rolling_keeps_this_year_as_the_prior_year_and_loses_nothing(crm: Catalog, bsc: Catalog) -> None:
    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(filled_years({"crm": crm, "bsc": bsc}))
    def roll(case: tuple[Catalog, str, int, Values, Values]) -> None:
        catalog, locale, first, values, prior = case
        with tempfile.TemporaryDirectory() as folder:
            old, new = Path(folder) / "old.xlsx", Path(folder) / "new.xlsx"
            options = BuildOptions(locale=locale, year=2026, first_month=first)
            old.write_bytes(build_workbook(catalog, options, values, prior_values=prior or None).data)
            done = regenerate(old, new, RegenerateOptions(year=2027))
            assert done.plan.options.year == 2027 and done.plan.options.first_month == first
            assert by_name(new, "py_in_", data_only=False) == by_name(old, "in_", data_only=False)
            assert all(v is None for row in by_name(new, "in_", data_only=False).values() for v in row)
            before, after = by_name(old, "kpi_"), by_name(new, "py_kpi_")
            assert before.keys() == after.keys()
            for kpi_id, row in before.items():
                assert all(same(a, b) for a, b in zip(row, after[kpi_id], strict=True)), kpi_id
            history = set(carried(new))
            for input_id, row in prior.items():
                for m, value in enumerate(row):
                    if value is not None:
                        assert (input_id, month(2025, first, m), value) in history
            empty = [month(2026, first, m) for m in range(12) if all(r[m] is None for r in values.values())]
            assert done.plan.empty_months == empty
            if empty:
                assert f"the old year had no data in {', '.join(empty)}" in done.summary()

    roll()


def test_the_command_rolls_an_incomplete_year_and_says_which_months_are_empty(tmp_path: Path) -> None:
    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    result = CliRunner().invoke(main, ["build", "--sample", "--year", "2026", "--out", str(old)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(old)
    names = {n: d.attr_text for n, d in book.defined_names.items() if n.startswith("in_")}
    for target in names.values():  # November and December not typed yet
        area = parse_target(target)
        assert area is not None
        for r, c in area.cells()[10:]:
            book[area.sheet].cell(r + 1, c + 1).value = None
    book.save(old)
    result = CliRunner().invoke(main, ["regenerate", str(old), "--year", "2027", "--out", str(new)])
    assert result.exit_code == 0, result.output
    assert "the old year had no data in 2026-11, 2026-12" in result.output
    assert "prior-year values" in result.output
