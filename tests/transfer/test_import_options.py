"""``ImportOptions``, the choices both imports share, used from the library as a script would."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalog import Catalog
from generator.errors import OptionError
from generator.transfer.import_options import ImportOptions
from generator.transfer.importer import ImportRequest, import_file
from generator.workbook.context import BuildOptions


def test_checked_options_take_the_locales_currency() -> None:
    # Turkey's currency is the Turkish lira, ISO 4217 code TRY.
    checked = ImportOptions(out="kpi.xlsx", locale="tr", company="  Acme  ").checked()
    assert (checked.locale, checked.company, checked.currency) == ("tr", "Acme", "TRY")


def test_the_workbook_gets_the_year_the_data_settled() -> None:
    chosen = ImportOptions(out="kpi.xlsx", locale="tr", company="Acme", currency="eur", fallback="en")
    built = chosen.for_year(chosen.checked(), 2025, 4)
    assert built == BuildOptions(locale="tr", company="Acme", year=2025, first_month=4, currency="EUR", fallback="en")


def test_a_bad_currency_refuses_the_import_before_anything_is_written(tmp_path: Path, crm: Catalog) -> None:
    data = tmp_path / "data.csv"
    data.write_text("month;input;value\n2026-04;emails_sent;100\n", encoding="utf-8")
    out = tmp_path / "kpi.xlsx"
    request = ImportRequest(data=data, catalog=crm, options=ImportOptions(out=out, currency="XYZ"))
    with pytest.raises(OptionError) as refused:
        import_file(request)
    assert refused.value.field == "currency"
    assert not out.exists()


def test_the_options_reach_the_import(tmp_path: Path, crm: Catalog) -> None:
    # A fiscal year from April: April 2026 is its first month, May its second.
    data = tmp_path / "data.csv"
    data.write_text("month;input;value\n2026-04;emails_sent;100\n2026-05;emails_sent;250\n", encoding="utf-8")
    options = ImportOptions(out=tmp_path / "kpi.xlsx", company="Acme", first_month=4)
    result = import_file(ImportRequest(data=data, catalog=crm, options=options))
    assert result.out == tmp_path / "kpi.xlsx"
    assert result.imported.values["emails_sent"][:3] == [100, 250, None]
    assert (result.imported.year, result.imported.first_month) == (2026, 4)
