"""A user's catalogue extending a bundled one (``extends: crm``), and ``catalog new`` that starts one.

Expected counts are by hand from kpi-reference.md: crm has 26 KPIs and 45 inputs; sms_sent is
the only KPI reading the sms_sent input.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.catalog import Catalog, load_catalog
from generator.cli import main
from generator.errors import CatalogError
from generator.transfer.filled import read_filled
from tests.checkout import ROOT

HEAD = """\
id: mine
version: "1.0.0"
extends: {base}
default_locale: en
locales: [en, tr]
title: {{en: "Mine", tr: "Benim"}}
"""


def write(tmp_path: Path, body: str, base: str = "crm") -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(HEAD.format(base=base) + body, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_an_empty_extension_is_its_base(tmp_path: Path, crm: Catalog) -> None:
    mine = load_catalog(write(tmp_path, ""))
    assert mine.id == "mine"
    assert list(mine.kpis) == list(crm.kpis) and list(mine.inputs) == list(crm.inputs)
    assert set(mine.rules) == set(crm.rules) and mine.sample == crm.sample


def test_change_alters_targets_tolerances_and_texts_and_keeps_the_rest(tmp_path: Path, crm: Catalog) -> None:
    body = """\
change:
  kpis:
    - id: churn_rate
      target: 0.03
      tolerance: 0.25
      texts:
        tr: {name: "Müşteri Kaybı"}
    - id: cost_per_lead
      targets: {USD: 30}
  inputs:
    - id: new_leads
      help: {en: "Count every new lead."}
"""
    mine = load_catalog(write(tmp_path, body))
    churn = mine.kpis["churn_rate"]
    assert churn.target == 0.03 and churn.tolerance == 0.25
    assert churn.texts["tr"].name == "Müşteri Kaybı"
    assert churn.texts["tr"].formula == crm.kpis["churn_rate"].texts["tr"].formula
    assert churn.texts["en"] == crm.kpis["churn_rate"].texts["en"]
    assert mine.kpis["cost_per_lead"].targets["USD"] == 30
    assert mine.kpis["cost_per_lead"].targets["TRY"] == crm.kpis["cost_per_lead"].targets["TRY"]
    assert mine.inputs["new_leads"].help["en"] == "Count every new lead."
    assert mine.inputs["new_leads"].help["tr"] == crm.inputs["new_leads"].help["tr"]


def test_drop_takes_the_inputs_only_that_kpi_read(tmp_path: Path) -> None:
    mine = load_catalog(write(tmp_path, "drop: [sms_sent, brand_awareness]\n"))
    assert len(mine.kpis) == 24
    assert "sms_sent" not in mine.inputs and "brand_aware" not in mine.inputs and "brand_surveyed" not in mine.inputs
    assert len(mine.inputs) == 42
    assert "customers_start" in mine.inputs  # still read by churn and retention


@pytest.mark.parametrize(
    ("body", "line", "says"),
    [
        ("change:\n  kpis:\n    - id: churn\n      target: 1\n", 9, "'churn' is not a KPI of the base catalogue 'crm'"),
        ("drop: [sms]\n", 7, "'sms' is not a KPI of the base catalogue 'crm'"),
        ("change:\n  kpis:\n    - id: email_campaigns\n      target: 5\n", 10, "takes no target"),
        ("change:\n  kpis:\n    - id: nps\n      texts:\n        de: {name: X}\n", 11, "in locale 'de'"),
    ],
)
def test_mistakes_are_reported_at_their_line(tmp_path: Path, body: str, line: int, says: str) -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(write(tmp_path, body))
    found = [p for p in caught.value.problems if says in p]
    assert found, caught.value.problems
    assert re.match(rf".*mine\.yaml:{line}:\d+: ", found[0]), found[0]


def test_an_unknown_base_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(write(tmp_path, "", base="nothing"))
    assert "mine.yaml:3:" in caught.value.problems[0] and "bundled: bsc, crm" in caught.value.problems[0]


def test_catalog_new_writes_a_file_that_checks_and_builds(tmp_path: Path) -> None:
    out = tmp_path / "my-bsc.yaml"
    code, output = run("catalog", "new", "--extends", "bsc", "--out", str(out))
    assert code == 0, output
    text = out.read_text(encoding="utf-8")
    assert "extends: bsc\n" in text and "id: my_bsc\n" in text and text.count("\n#") > 20
    code, output = run("catalog", "check", str(out))
    assert code == 0 and "ok (my_bsc 1.0.0: 11 KPIs, 20 inputs" in output
    assert run("catalog", "new", "--extends", "bsc", "--out", str(out))[0] == 4  # exists, no --force
    assert run("catalog", "new", "--extends", "nope")[0] == 2


def test_docs_custom_kpis_as_written(tmp_path: Path) -> None:
    """Every command of docs/custom-kpis.md, in order, in a folder holding the page's example file;
    then what the page says: the new KPI is built, and a crm workbook keeps every shared value."""
    page = (ROOT / "docs" / "custom-kpis.md").read_text(encoding="utf-8")
    commands = [
        line.strip()
        for block in re.findall(r"```sh\n(.*?)```", page, flags=re.S)
        for line in block.splitlines()
        if line.strip()
    ]
    assert len(commands) == 10
    example = (ROOT / "docs" / "examples" / "my-crm.yaml").read_text(encoding="utf-8")
    shown = re.search(r"```yaml\n(.*?)```", page, flags=re.S)
    assert shown is not None and shown.group(1) in example  # the page shows the file it copies
    (tmp_path / "docs" / "examples").mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "examples" / "my-crm.yaml", tmp_path / "docs" / "examples")
    tools = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": tools + os.pathsep + os.environ.get("PATH", "")}
    for command in commands:
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{command}: {done.stderr}"
    mine = load_catalog(tmp_path / "my-crm.yaml")
    assert len(mine.kpis) == 26 and len(mine.inputs) == 45 and "upsell_rate" in mine.kpis
    old = read_filled(tmp_path / "output" / "crm-filled.xlsx")
    new = read_filled(tmp_path / "output" / "my-crm-filled.xlsx", catalog=tmp_path / "my-crm.yaml")
    shared = set(old.inputs) & set(new.inputs)
    assert len(shared) == 44
    assert all(new.inputs[i] == old.inputs[i] and new.prior_inputs[i] == old.prior_inputs[i] for i in shared)
    carried = [row for row in new.carried if row.id == "sms_sent"]
    assert [row.value for row in carried] == old.prior_inputs["sms_sent"] + old.inputs["sms_sent"]  # both years
    three = read_filled(tmp_path / "output" / "my-crm-three.xlsx", catalog=tmp_path / "my-crm.yaml")
    assert set(three.catalog.kpis) == {"upsell_rate", "repeat_purchase_rate", "churn_rate"}
