"""`kpigen build --batch` with a selection of KPIs: per row (``kpis``, ``categories`` columns) and
from the command line (``--kpis``, ``--categories`` for every row whose cells are blank).

The expected KPIs and inputs are read by hand off /work/shared/kpi-reference.md: churn rate is
customers_lost / customers_start, NPS reads the three nps_* counts, the customer_service category
holds complaints, first_contact_resolution, avg_resolution_time, csat and customer_effort_score.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from generator.cli import main
from generator.transfer.batch import tasks
from generator.transfer.batch_list import BatchRow
from generator.workbook.context import BuildOptions

CUSTOMER_SERVICE = {"complaints", "first_contact_resolution", "avg_resolution_time", "csat", "customer_effort_score"}
NPS_INPUTS = {"nps_promoters", "nps_passives", "nps_detractors"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def names(path: Path, prefix: str) -> set[str]:
    book = openpyxl.load_workbook(path)
    return {name[len(prefix) :] for name in book.defined_names if name.startswith(prefix)}


def test_each_row_gets_its_own_selection_and_blank_cells_take_the_options(tmp_path: Path) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text(
        "company,kpis,categories,file\n"
        'Acme,"churn_rate,nps",,acme.xlsx\n'  # its own KPIs, and the command line's category
        "Beta,,,beta.xlsx\n"  # both blank: the command line's --kpis and --categories
        "Gama,nps,customer_loyalty customer_service,gama.xlsx\n",  # both its own, spaces between ids
        encoding="utf-8",
    )
    code, out, err = run(
        "build", "--batch", str(listing), "--out", str(tmp_path / "out"), "--jobs", "2",
        "--kpis", "churn_rate", "--categories", "customer_service",
    )  # fmt: skip
    assert code == 0, out + err
    assert names(tmp_path / "out" / "acme.xlsx", "kpi_") == {"churn_rate", "nps"} | CUSTOMER_SERVICE
    assert names(tmp_path / "out" / "beta.xlsx", "kpi_") == {"churn_rate"} | CUSTOMER_SERVICE
    loyalty = {"repeat_purchase_rate", "nps", "brand_awareness"}
    assert names(tmp_path / "out" / "gama.xlsx", "kpi_") == loyalty | CUSTOMER_SERVICE
    assert {"customers_lost", "customers_start"} | NPS_INPUTS <= names(tmp_path / "out" / "acme.xlsx", "in_")
    assert not NPS_INPUTS & names(tmp_path / "out" / "beta.xlsx", "in_")


def test_a_row_of_only_its_own_kpis_holds_exactly_their_inputs(tmp_path: Path) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text("company;kpis;file\nÖrnek A.Ş.;churn_rate,nps;ornek.xlsx\nAcme;;acme.xlsx\n", encoding="utf-8")
    code, out, err = run("build", "--batch", str(listing), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert code == 0, out + err
    assert names(tmp_path / "out" / "ornek.xlsx", "kpi_") == {"churn_rate", "nps"}
    assert names(tmp_path / "out" / "ornek.xlsx", "in_") == {"customers_lost", "customers_start"} | NPS_INPUTS
    assert len(names(tmp_path / "out" / "acme.xlsx", "kpi_")) == 26  # blank, no option: the whole catalogue


def test_an_unknown_id_in_the_list_names_the_file_line_and_column(tmp_path: Path) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text("company,file,kpis,categories\nA,a.xlsx,nps,\nB,b.xlsx,,sales\n", encoding="utf-8")
    code, out, err = run("build", "--batch", str(listing), "--out", str(tmp_path / "out"))
    assert code == 2
    assert err.startswith(f"Error: {listing}:3: column 4 'categories': Unknown category 'sales' in catalogue 'crm'")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in out + err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())  # nothing built
    listing.write_text("company,KPIs,file\nA,churn,a.xlsx\n", encoding="utf-8")
    code, _out, err = run("build", "--batch", str(listing), "--out", str(tmp_path / "out"))
    assert code == 2 and f"{listing}:2: column 2 'KPIs': Unknown KPI 'churn' in catalogue 'crm'" in err


def test_an_unknown_id_on_the_command_line_is_refused_as_its_option(tmp_path: Path) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text("company,kpis,file\nA,nps,a.xlsx\n", encoding="utf-8")
    code, _out, err = run("build", "--batch", str(listing), "--out", str(tmp_path / "out"), "--kpis", "churn")
    assert code == 2 and err.startswith("Error: Invalid value for '--kpis': Unknown KPI 'churn' in catalogue 'crm'")


def test_rows_choosing_different_kpis_are_grouped_apart() -> None:
    """A worker personalises one base per group: two selections must not share one."""
    options = BuildOptions(locale="en")
    rows = [
        BatchRow(2, "a.xlsx", options, kpis=("nps",)),
        BatchRow(3, "b.xlsx", options, kpis=("nps",)),
        BatchRow(4, "c.xlsx", options, kpis=("churn_rate",)),
        BatchRow(5, "d.xlsx", options),
    ]
    assert sorted([row.file for row in group] for group in tasks(rows, 1)) == [
        ["a.xlsx", "b.xlsx"],
        ["c.xlsx"],
        ["d.xlsx"],
    ]
