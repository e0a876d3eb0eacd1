"""A decimal read as a date (Turkish "12.5" typed into a count becomes 12 May, serial 46154): a
warning at its cell naming the date and the figure probably meant, in the workbook's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalog import Catalog
from generator.validate.findings import Code
from generator.validate.run import Options, validate
from generator.workbook.sample import read_sample

from . import fill

MAY_12_2026 = 46154
"""Excel's serial of 2026-05-12: 2026-01-01 is 46023 (45658 for 2025-01-01, + 365), plus 131 days."""


def _with(crm: Catalog, tmp_path: Path, input_id: str, month: int, value: float, locale: str = "en") -> Path:
    values = read_sample(crm, "USD")
    assert values is not None
    values[input_id][month] = value
    return fill.build(tmp_path, f"{input_id}-{locale}.xlsx", crm, values, locale=locale, year=2026)


@pytest.mark.parametrize(
    ("locale", "guess", "words"),  # the serial written as each language groups digits
    [
        ("en", "12.5", "46,154 looks like a date (2026-05-12), far larger than the other months; was 12.5 meant?"),
        ("tr", "12,5", "46.154 bir tarihe benziyor (2026-05-12) ve diğer aylardan çok büyük; 12,5 mi kastedildi?"),
    ],
)
def test_a_date_serial_in_a_count_is_a_warning(
    crm: Catalog, tmp_path: Path, locale: str, guess: str, words: str
) -> None:
    path = _with(crm, tmp_path, "new_leads", 3, MAY_12_2026, locale)
    report = validate(path, Options())
    layout = fill.writer_layout(crm, fill.BuildOptions(locale=locale))
    found = [(f.code, f.severity, f.sheet, f.cell, f.input, f.value, f.expected) for f in report.findings]
    address = fill.input_address(layout, "new_leads", 3)
    assert found == [
        (Code.LOOKS_LIKE_DATE.value, "warning", layout.sheets.inputs, address, "new_leads", MAY_12_2026, guess)
    ]
    assert f": {words}" in report.findings[0].message
    assert report.exit_code(strict=False) == 0 and report.exit_code(strict=True) == 1


def test_money_in_the_date_range_like_its_other_months_is_plausible(crm: Catalog, tmp_path: Path) -> None:
    """Market sales of 46,154 where the other months are about 45,000: no warning (not far larger)."""
    values = read_sample(crm, "USD")
    assert values is not None
    values["market_sales"] = [45_000.0 + 100 * m for m in range(12)]
    values["company_sales"] = [2_000.0] * 12
    values["market_sales"][3] = MAY_12_2026
    path = fill.build(tmp_path, "market.xlsx", crm, values, year=2026)
    assert [f for f in validate(path, Options()).findings if f.code == Code.LOOKS_LIKE_DATE.value] == []


def test_a_lone_month_is_not_judged(crm: Catalog, tmp_path: Path) -> None:
    """A date serial is judged against the other months: a single typed month has nothing to compare with."""
    values = {input_id: [None] * 12 for input_id in crm.inputs}
    values["new_leads"][0] = float(MAY_12_2026)
    path = fill.build(tmp_path, "lone.xlsx", crm, values, year=2026)
    assert [f for f in validate(path, Options()).findings if f.code == Code.LOOKS_LIKE_DATE.value] == []


def _dated(crm: Catalog, tmp_path: Path, iso: str, locale: str) -> tuple[Path, str]:
    """The sample with new_leads' April holding 46154, then that cell turned into a date cell (``t="d"``,
    as a program that stores a typed "12.5" as a date writes it): the cached totals stay right."""
    import re
    import zipfile

    from .test_validator_catches import sheet_part

    source = _with(crm, tmp_path, "new_leads", 3, MAY_12_2026, locale)
    layout = fill.writer_layout(crm, fill.BuildOptions(locale=locale))
    address = fill.input_address(layout, "new_leads", 3)
    target = tmp_path / f"dated-{locale}.xlsx"
    with zipfile.ZipFile(source) as package:
        part = sheet_part(package, layout.sheets.inputs)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for item in package.infolist():
                data = package.read(item.filename)
                if item.filename == part:
                    data, count = re.subn(
                        rf'<c r="{address}"( s="\d+")?[^>]*><v>{MAY_12_2026}(?:\.0)?</v></c>',
                        rf'<c r="{address}"\1 t="d"><v>{iso}</v></c>',
                        data.decode(),
                    )
                    assert count == 1, address
                    data = data.encode()
                out.writestr(item, data)
    return target, address


@pytest.mark.parametrize(
    ("locale", "guess", "words"),
    [
        ("en", "12.5", "the cell looks like a date (2026-05-12); was 12.5 meant?"),
        ("tr", "12,5", "hücre bir tarihe benziyor (2026-05-12); 12,5 mi kastedildi?"),
    ],
)
def test_a_cell_holding_a_date_is_one_warning_naming_the_figure(
    crm: Catalog, tmp_path: Path, locale: str, guess: str, words: str
) -> None:
    """A date in a month cell (LibreOffice's "12.5" in Turkish: 12 May) is the number its formulas use,
    its serial; one warning at the cell with the day and month as a decimal, not a not-a-number error,
    and not a second warning for the serial's size."""
    path, address = _dated(crm, tmp_path, "2026-05-12", locale)
    report = validate(path, Options())
    found = [(f.code, f.severity, f.cell, f.input, f.value, f.expected) for f in report.findings]
    assert found == [(Code.LOOKS_LIKE_DATE.value, "warning", address, "new_leads", MAY_12_2026, guess)]
    assert words in report.findings[0].message
    assert report.exit_code(strict=False) == 0


def test_a_date_with_a_time_of_day_is_not_a_number(crm: Catalog, tmp_path: Path) -> None:
    """13:30 on 12 May is no decimal anyone typed: the cell's error stays "not a number"."""
    path, address = _dated(crm, tmp_path, "2026-05-12T13:30:00", "en")
    codes = [f.code for f in validate(path, Options()).findings if f.cell == address]
    assert codes == [Code.NOT_A_NUMBER.value]
