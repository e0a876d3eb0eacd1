"""A workbook of the user's own selection of KPIs (``build --kpis`` / ``--categories``).

The expected inputs are read off the formulas in /work/shared/kpi-reference.md by hand (churn
rate = customers_lost / customers_start, and so on), not from the code that cuts the catalogue.
"""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import msgspec
import openpyxl
import pytest
from click.testing import CliRunner

from generator.catalog import Catalog
from generator.catalog.selection import PROPERTY, select
from generator.cli import main
from generator.recalc import LibreOffice
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions
from tests.workbook.test_recalculation import check_workbook, random_values

CHOSEN = ["churn_rate", "nps", "cost_per_lead"]
THEIR_INPUTS = {
    "customers_lost",
    "customers_start",
    "nps_promoters",
    "nps_passives",
    "nps_detractors",
    "campaign_cost",
    "new_leads",
}
CUSTOMER_SERVICE = ["complaints", "first_contact_resolution", "avg_resolution_time", "csat", "customer_effort_score"]


def names(path: Path, prefix: str) -> set[str]:
    book = openpyxl.load_workbook(path, read_only=False)
    return {name[len(prefix) :] for name in book.defined_names if name.startswith(prefix)}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def chosen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("selection") / "chosen.xlsx"
    code, output = run("build", "--kpis", ",".join(CHOSEN), "--sample", "--out", str(path))
    assert code == 0, output
    return path


def test_a_kpis_workbook_holds_exactly_the_chosen_kpis_and_their_inputs(chosen: Path) -> None:
    assert names(chosen, "kpi_") == set(CHOSEN)
    assert names(chosen, "in_") == THEIR_INPUTS
    assert names(chosen, "target_") == set(CHOSEN)
    properties = zipfile.ZipFile(chosen).read("docProps/custom.xml").decode()
    assert f'name="{PROPERTY}"' in properties and "churn_rate" in properties


def test_a_kpis_workbook_validates_clean(chosen: Path) -> None:
    code, output = run("validate", str(chosen))
    assert code == 0, output
    assert "KPIs checked: 3" in output


def test_categories_choose_their_kpis(tmp_path: Path) -> None:
    path = tmp_path / "service.xlsx"
    code, output = run("build", "--categories", "customer_service", "--locale", "tr", "--out", str(path))
    assert code == 0, output
    assert names(path, "kpi_") == set(CUSTOMER_SERVICE)
    assert run("validate", str(path))[0] == 0


def test_unknown_ids_are_a_one_line_usage_error(tmp_path: Path) -> None:
    code, output = run("build", "--kpis", "churn_rate,churn", "--out", str(tmp_path / "x.xlsx"))
    assert code == 2
    line = output.strip()
    assert "\n" not in line and "'churn'" in line and "known: email_campaigns" in line and "brand_awareness" in line
    code, output = run("build", "--categories", "sales", "--out", str(tmp_path / "x.xlsx"))
    assert code == 2 and "known: customer_interactions" in output
    assert not (tmp_path / "x.xlsx").exists()


def test_an_id_a_kpi_replaces_is_followed(crm: Catalog) -> None:
    renamed = msgspec.structs.replace(crm.kpis["churn_rate"], replaces=["attrition"])
    catalog = dataclasses.replace(crm, kpis={**crm.kpis, "churn_rate": renamed})
    assert list(select(catalog, ["attrition"]).kpis) == ["churn_rate"]


def test_the_scorecard_keeps_the_goals_of_the_chosen_kpis(bsc: Catalog) -> None:
    cut = select(bsc, ["nps", "csat"])
    assert {k for goal in cut.scorecard for k in goal.kpis} == {"nps", "csat"}
    assert all(goal.kpis for goal in cut.scorecard)
    assert len(cut.scorecard) < len(bsc.scorecard)


def test_libreoffice_agrees_with_a_selection(crm: Catalog, libreoffice: LibreOffice, tmp_path: Path) -> None:
    catalog = select(crm, CHOSEN)
    values = random_values(catalog, 7)
    source = tmp_path / "in" / "chosen.xlsx"
    source.parent.mkdir()
    source.write_bytes(build_workbook(catalog, BuildOptions(first_month=5), values).data)
    out = libreoffice.recalculate([source], tmp_path / "out")[0]
    assert check_workbook(out, catalog, values) >= len(CHOSEN) * 17


def test_regenerating_between_selections_keeps_every_value(tmp_path: Path) -> None:
    full, cut, back = tmp_path / "full.xlsx", tmp_path / "cut.xlsx", tmp_path / "back.xlsx"
    assert run("build", "--sample", "--out", str(full))[0] == 0
    code, output = run("regenerate", str(full), "--kpis", "churn_rate", "--out", str(cut))
    assert code == 0, output
    assert names(cut, "kpi_") == {"churn_rate"}
    assert "values without a place listed on sheet 'Carried over'" in output
    assert run("validate", str(cut))[0] == 0
    # Without --kpis a regeneration keeps the file's own selection.
    again = tmp_path / "again.xlsx"
    assert run("regenerate", str(cut), "--locale", "tr", "--out", str(again))[0] == 0
    assert names(again, "kpi_") == {"churn_rate"}
    code, output = run("regenerate", str(again), "--kpis", "all", "--locale", "en", "--out", str(back))
    assert code == 0, output
    assert "Carried over" not in output  # every set-aside value went back to its cell
    exports = []
    for path in (full, back):
        csv = path.with_suffix(".csv")
        assert run("export", str(path), "--out", str(csv))[0] == 0
        exports.append(csv.read_text(encoding="utf-8"))
    assert exports[0] == exports[1]
