"""``kpigen catalog migrate``: a catalogue of an earlier release, whose money KPIs had one ``target:``,
rewritten with a target per currency; only those lines change, and nothing is overwritten unasked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.catalog import load_catalog
from generator.cli import main
from generator.paths import CATALOG_DIR

CAC = "    targets: {USD: 350, EUR: 320, GBP: 280, TRY: 14000, JPY: 52000}"
CPL = "    targets: {USD: 25, EUR: 22, GBP: 20, TRY: 1000, JPY: 3800}"


@pytest.fixture
def old(tmp_path: Path) -> Path:
    """crm.yaml as last month's release accepted it: single targets on two money KPIs, one with a comment."""
    text = (CATALOG_DIR / "crm.yaml").read_text(encoding="utf-8")
    assert CAC in text and CPL in text
    path = tmp_path / "old.yaml"
    path.write_text(text.replace(CAC, "    target: 350  # our own figure").replace(CPL, "    target: 25.5"), "utf-8")
    (tmp_path / "crm.sample.csv").write_bytes((CATALOG_DIR / "crm.sample.csv").read_bytes())
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["catalog", *args])
    return result.exit_code, result.output


def test_the_old_catalogue_is_refused_naming_the_migration(old: Path) -> None:
    code, output = run("check", str(old))
    assert code == 1
    assert output.count("'kpigen catalog migrate FILE' rewrites it so") == 2, output


def test_migrate_changes_only_the_two_lines_and_loads(old: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    code, output = run("migrate", str(old), "--out", str(new), "--currency", "try")
    assert code == 0, output
    kpis = "cost_per_lead, customer_acquisition_cost"
    assert output == f"wrote {new}: the single target of {kpis} is now its TRY target\n"
    before, after = old.read_text("utf-8").splitlines(), new.read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        ("    target: 25.5", "    targets: {TRY: 25.5}"),
        ("    target: 350  # our own figure", "    targets: {TRY: 350}  # our own figure"),
    ]
    catalog = load_catalog(new)
    assert catalog.kpis["customer_acquisition_cost"].targets == {"TRY": 350.0}
    assert catalog.kpis["cost_per_lead"].targets == {"TRY": 25.5}


def test_migrate_in_place_needs_force_and_defaults_to_the_sample_currency(old: Path) -> None:
    original = old.read_bytes()
    code, output = run("migrate", str(old))
    assert code == 4 and "already exists; pass --force to replace it" in output
    assert old.read_bytes() == original
    code, output = run("migrate", str(old), "--force")
    assert code == 0, output
    assert "is now its USD target" in output  # crm.yaml's sample_currency
    assert load_catalog(old).kpis["customer_acquisition_cost"].targets == {"USD": 350.0}
    assert run("migrate", str(old)) == (0, f"{old}: nothing to migrate\n")


def test_migrate_a_json_catalogue(tmp_path: Path) -> None:
    data = yaml.safe_load((CATALOG_DIR / "crm.yaml").read_text(encoding="utf-8"))
    for kpi in data["kpis"]:
        if kpi["id"] == "customer_acquisition_cost":
            kpi["target"] = kpi.pop("targets")["USD"]
    data["sample"] = str(CATALOG_DIR / "crm.sample.csv")
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    code, output = run("migrate", str(path), "--out", str(tmp_path / "new.json"))
    assert code == 0, output
    migrated = json.loads((tmp_path / "new.json").read_text(encoding="utf-8"))
    (cac,) = [kpi for kpi in migrated["kpis"] if kpi["id"] == "customer_acquisition_cost"]
    assert cac["targets"] == {"USD": 350} and "target" not in cac


def test_a_migration_that_would_not_load_writes_nothing(old: Path, tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    code, output = run("migrate", str(old), "--out", str(new), "--currency", "XYZ")
    assert code == 1 and "unknown currency 'XYZ'" in output and str(old) in output, output
    assert not new.exists()
