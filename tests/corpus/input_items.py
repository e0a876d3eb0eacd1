"""Corpus items: what a user types or points at (issue 24, "Inputs and commands").

Text that is not UTF-8 (a company name typed in a Latin-1 terminal reaches Python as lone
surrogates), folders and files the user may not enter or read, a directory where a workbook
belongs, a year no workbook has: each is one line and its documented code, never exit 70.
Permissions are exercised for real: the command runs as a process that file modes bind
(``Case.unprivileged``), in a folder owned by someone else.
"""

from __future__ import annotations

import copy
import os
import shutil
from pathlib import Path

from generator.catalog.limits import MAX_KPIS
from tests.corpus.model import INPUTS_E42, SAMPLE, Bases, Case, item

LATIN1_COMPANY = b"\xd6rnek".decode("utf-8", "surrogateescape")
"""``--company $'\\xd6rnek'`` as Python receives it from a Latin-1 terminal."""
NOT_UTF8 = r"Invalid value for '--company': '\\xd6rnek' is not UTF-8 text"
NOBODY = 65534


def _filled(folder: Path, bases: Bases, name: str = "filled.xlsx") -> Path:
    path = folder / name
    shutil.copyfile(bases.built, path)
    return path


def _not_yours(path: Path, mode: int) -> Path:
    """``path`` with ``mode``, owned by someone else when the tests run as root."""
    if os.geteuid() == 0:
        os.chown(path, NOBODY, NOBODY)
    path.chmod(mode)
    return path


def _locked(folder: Path) -> Path:
    locked = folder / "locked"
    locked.mkdir()
    return _not_yours(locked, 0o700)


@item("input")
def company_not_utf8_in_build(folder: Path, _: Bases) -> Case:
    return Case(["build", "--company", LATIN1_COMPANY, "--out", "a.xlsx"], 2, NOT_UTF8, empty=folder)


@item("input")
def company_not_utf8_in_regenerate(folder: Path, bases: Bases) -> Case:
    filled = _filled(folder, bases)
    args = ["regenerate", filled.name, "--company", LATIN1_COMPANY, "--out", "new.xlsx"]
    return Case(args, 2, NOT_UTF8, unchanged=[filled], empty=folder)


@item("input")
def company_not_utf8_in_consolidate(folder: Path, bases: Bases) -> Case:
    one, two = _filled(folder, bases, "one.xlsx"), _filled(folder, bases, "two.xlsx")
    args = ["consolidate", one.name, two.name, "--company", LATIN1_COMPANY, "--out", "all.xlsx"]
    return Case(args, 2, NOT_UTF8, unchanged=[one, two], empty=folder)


@item("input")
def company_not_utf8_in_import(folder: Path, _: Bases) -> Case:
    args = ["import", str(SAMPLE), "--company", LATIN1_COMPANY, "--out", "imported.xlsx"]
    return Case(args, 2, NOT_UTF8, empty=folder)


@item("input")
def build_out_in_a_folder_not_yours(folder: Path, _: Bases) -> Case:
    _locked(folder)
    where = r"^Error: locked/a\.xlsx: cannot write here: Permission denied$"
    return Case(["build", "--out", "locked/a.xlsx"], 4, where, empty=folder, unprivileged=True)


@item("input")
def regenerate_out_in_a_folder_not_yours(folder: Path, bases: Bases) -> Case:
    filled, locked = _filled(folder, bases), _locked(folder)
    where = r"^Error: locked/new\.xlsx: cannot write here: Permission denied$"
    args = ["regenerate", filled.name, "--out", f"{locked.name}/new.xlsx"]
    return Case(args, 4, where, unchanged=[filled], empty=folder, unprivileged=True)


@item("input")
def import_out_below_a_folder_not_yours(folder: Path, _: Bases) -> Case:
    """A new folder below one the user may not enter: not created, one line, exit 4."""
    _locked(folder)
    where = r"^Error: locked/sub/imported\.xlsx: cannot write here: Permission denied$"
    args = ["import", str(SAMPLE), "--out", "locked/sub/imported.xlsx"]
    return Case(args, 4, where, empty=folder, unprivileged=True)


@item("input")
def validate_a_file_not_readable(folder: Path, bases: Bases) -> Case:
    """Mode 000: click's own check would say exit 2; the project's refusal says 3, in the JSON document too."""
    path = _not_yours(_filled(folder, bases), 0o000)
    where = r"^Error: filled\.xlsx: cannot be opened \(Permission denied\); check the path and permissions$"
    return Case(["validate", path.name, "--format", "json"], 3, where, empty=folder, unprivileged=True)


@item("input")
def regenerate_a_directory(folder: Path, _: Bases) -> Case:
    (folder / "book.xlsx").mkdir()
    where = r"^Error: book\.xlsx: is a directory, not a workbook file"
    return Case(["regenerate", "book.xlsx", "--out", "new.xlsx"], 3, where, empty=folder)


@item("input")
def import_year_1800(folder: Path, _: Bases) -> Case:
    """Refused as ``build`` refuses it, not blamed on the data."""
    args = ["import", str(SAMPLE), "--year", "1800", "--out", "imported.xlsx"]
    return Case(args, 2, r"^Error: .*year.* between 1900 and 2200, not 1800", empty=folder)


def _replicated(folder: Path, kpis: int) -> Path:
    """crm.yaml with its KPIs copied until there are ``kpis`` of them (ids, numbers, names made unique)."""
    import yaml

    from tests.corpus.model import CRM

    source = yaml.safe_load(CRM.read_text(encoding="utf-8"))
    original = source["kpis"]
    copies = []
    for i in range(kpis):
        kpi = copy.deepcopy(original[i % len(original)])
        round_ = i // len(original)
        if round_:
            kpi["id"] = f"{kpi['id']}_{round_ + 1}"
            kpi["texts"] = {
                code: {**texts, "name": f"{texts['name']} ({round_ + 1})"} for code, texts in kpi["texts"].items()
            }
        kpi["number"] = i + 1
        copies.append(kpi)
    source["kpis"] = copies
    source.pop("sample", None)
    path = folder / f"crm{kpis}.yaml"
    path.write_text(yaml.safe_dump(source, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@item("catalogue")
def catalogue_of_1001_kpis(folder: Path, _: Bases) -> Case:
    """One past MAX_KPIS: refused at the 1,001st KPI, before checks and a build whose work grows with the KPIs."""
    path = _replicated(folder, MAX_KPIS + 1)
    where = rf"^Error: {path.name}:[0-9]+:[0-9]+: kpis\[1000\]: 1,001 KPIs, more than the limit of 1,000 KPIs"
    return Case(["build", "--catalog", path.name, "--out", "out/"], 1, where, empty=folder)


@item("catalogue")
def catalogue_of_1000_kpis(folder: Path, _: Bases) -> Case:
    """Exactly at the limit: checked and usable."""
    path = _replicated(folder, MAX_KPIS)
    return Case(["catalog", "check", path.name], 0, "")


@item("workbook (LibreOffice)")
def libreoffice_merged_months_one_finding(folder: Path, bases: Bases) -> Case:
    """Months merged in LibreOffice (which keeps the hidden values and computes with them): the one
    merged-cells finding, and no stale-value errors advising --recalc, which could not help."""
    path = Path(shutil.copyfile(bases.uno["merged_months"], folder / "merged.xlsx"))
    args = ["validate", path.name, "--format", "json"]
    return Case(args, 1, INPUTS_E42, code="merged-cells", unchanged=[path], absent=("stale-value",))


@item("input")
def decimal_read_as_a_date_in_a_count(folder: Path, _: Bases) -> Case:
    """Turkish "12.5" typed into a count becomes 12 May 2026 (serial 46154): accepted by data validation,
    a warning at its cell (exit 0) naming the figure probably meant."""
    from generator.catalog import load_catalog
    from generator.workbook.build import build_workbook
    from generator.workbook.context import BuildOptions
    from generator.workbook.sample import read_sample
    from tests.corpus.model import CRM

    catalog = load_catalog(CRM)
    values = read_sample(catalog, "TRY")
    assert values is not None
    values["new_leads"][4] = 46154.0
    path = folder / "leads.xlsx"
    path.write_bytes(build_workbook(catalog, BuildOptions(locale="tr", year=2026), values).data)
    args = ["validate", path.name, "--format", "json"]
    return Case(args, 0, r"Veri Girişi!H19", code="looks-like-date", fields={"value": 46154, "expected": "12,5"})


def _long_csv(path: Path, megabytes: float) -> int:
    """A long CSV (month, input, value) of five years of every CRM input, repeated to ``megabytes``,
    as a BI export of several years is; returns its data rows."""
    from generator.catalog import load_catalog
    from tests.corpus.model import CRM

    ids = list(load_catalog(CRM).inputs)
    rows, written, limit = 0, 0, int(megabytes * 1024 * 1024)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        written += out.write("month,input,value\n")
        while written < limit:
            year = 2026 - (rows // (len(ids) * 12)) % 5
            month = (rows // len(ids)) % 12 + 1
            written += out.write(f"{year}-{month:02d},{ids[rows % len(ids)]},{(rows * 7) % 1000}.5\n")
            rows += 1
    return rows


@item("import")
def import_a_long_csv_at_the_cap(folder: Path, _: Bases) -> Case:
    """A 49.5 MiB long CSV (1.76 million rows, the 50 MB cap) read to its end within the corpus's
    timer and memory ceiling (issue 24: 475 s before). With --strict every row past the first
    fiscal year and its prior year is a problem: counted, the first thousand listed, nothing written."""
    rows = _long_csv(folder / "long.csv", 49.5)
    problems = rows - 2 * 45 * 12  # 2026 and its prior year 2025 read once; every later row is a problem
    where = (
        rf"^Error: {problems} problems, nothing written \(--strict\):$"
        r"|^long\.csv: row \d+, column '(month|value)': "
        rf"|^long\.csv: \.\.\. and {problems - 1000} more problems, not listed$"
    )
    args = ["import", "long.csv", "--strict", "--out", "imported.xlsx"]
    return Case(args, 1, where, empty=folder)
