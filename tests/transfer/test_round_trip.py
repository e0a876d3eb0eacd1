"""Property: fill, regenerate into the other language, regenerate back: nothing changes.

Over random fills (blanks, zeros, fractions, large counts), settings, changed targets and
tolerances, both locales and every bundled version of the CRM catalogue. The final workbook is
read at the writer's own addresses with openpyxl, and its KPIs are recomputed with the
catalogue's Python evaluation (``periods.kpi_values``), not with the reader under test.
About 2-3 s an example; CI runs the derandomized profile of tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.catalog import Catalog, load_catalog
from generator.catalog.model import Better
from generator.paths import CATALOG_DIR
from generator.template.periods import kpi_values
from generator.transfer.regenerate import RegenerateOptions, regenerate
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions
from tests.transfer.test_regenerate import typed
from tests.validate import fill

VERSIONS = {load_catalog(p).version: load_catalog(p) for p in sorted(CATALOG_DIR.glob("crm*.yaml"))}
OTHER = {"en": "tr", "tr": "en"}


@st.composite
def scenario(draw: st.DrawFn) -> tuple[Catalog, BuildOptions, dict[str, list[float | None]], dict, dict]:
    catalog = VERSIONS[draw(st.sampled_from(sorted(VERSIONS)))]
    options = BuildOptions(
        locale=draw(st.sampled_from(["en", "tr"])),
        company=draw(st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=30)).strip(),
        year=draw(st.integers(1990, 2100)),
        first_month=draw(st.integers(1, 12)),
        currency=draw(st.sampled_from(["USD", "EUR", "TRY", "JPY"])),
    )
    values = fill.valid_values(catalog, draw(st.integers(0, 2**32)), blank=draw(st.sampled_from([0.0, 0.12, 0.9])))
    targeted = [k for k, kpi in catalog.kpis.items() if kpi.better is not Better.INFO]
    number = st.floats(-1e9, 1e9, allow_nan=False).map(lambda x: round(x, 6))
    targets = draw(st.dictionaries(st.sampled_from(targeted), st.none() | number, max_size=6))
    tolerances = draw(
        st.dictionaries(st.sampled_from(targeted), st.floats(0, 10).map(lambda x: round(x, 4)), max_size=6)
    )
    return catalog, options, values, targets, tolerances


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=scenario())
def test_there_and_back_again(case: tuple, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    catalog, options, values, targets, tolerances = case
    folder: Path = tmp_path_factory.mktemp("round")
    first = folder / "first.xlsx"
    first.write_bytes(build_workbook(catalog, options, values, targets=targets, tolerances=tolerances).data)
    same = catalog.source  # stay on this version (by default a 1.0.0 workbook moves to the newest)
    there = regenerate(first, folder / "there.xlsx", RegenerateOptions(locale=OTHER[options.locale], catalog=same))
    assert there.plan.catalog.version == catalog.version and not there.plan.carried
    back = regenerate(
        folder / "there.xlsx", folder / "back.xlsx", RegenerateOptions(locale=options.locale, catalog=same)
    )
    assert back.plan.options.locale == options.locale

    before, after = typed(first, catalog, options), typed(folder / "back.xlsx", catalog, options)
    for part in ("inputs", "targets", "tolerances", "year", "company"):
        assert after[part] == before[part], part
    assert after["inputs"] == values
    assert back.plan.options.first_month == options.first_month
    assert back.plan.options.currency == options.currency
    assert kpi_values(catalog, after["inputs"]) == kpi_values(catalog, values)
