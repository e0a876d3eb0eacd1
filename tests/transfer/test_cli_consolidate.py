"""`kpigen consolidate` through click's runner: totals worked out by hand and by building one
workbook from the combined inputs directly."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from generator.catalog import Catalog
from generator.catalog.model import Aggregation
from generator.cli import main
from generator.template.periods import kpi_values
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions
from tests.transfer.helpers import input_values

Values = dict[str, list[float | None]]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(path: Path, catalog: Catalog, values: Values, **options: object) -> Path:
    settings = {"year": 2026, "currency": "EUR", **options}
    path.write_bytes(build_workbook(catalog, BuildOptions(**settings), values=values).data)  # type: ignore[arg-type]
    return path


def random_values(catalog: Catalog, rng: random.Random) -> Values:
    """Whole numbers (as the workbook keeps 16 digits, sums of whole numbers stay exact), some blanks."""
    values: Values = {}
    for input_id, spec in catalog.inputs.items():
        high = int(spec.max) if spec.max is not None and spec.max <= 1 else 900
        scale = 100 if high <= 1 else 1
        values[input_id] = [
            None if rng.random() < 0.2 else rng.randint(1, max(1, high * scale)) / scale for _ in range(12)
        ]
    return values


def expected_total(catalog: Catalog, sources: list[Values]) -> Values:
    """The rules of the README written out again: sums, and weighted (or plain) means for levels."""
    total: Values = {}
    for input_id, spec in catalog.inputs.items():
        months: list[float | None] = []
        for m in range(12):
            present = [s[input_id][m] for s in sources if s[input_id][m] is not None]
            if not present:
                months.append(None)
            elif spec.aggregation is not Aggregation.LEVEL:
                months.append(sum(present))  # type: ignore[arg-type]
            else:
                pairs = [(s[input_id][m], s[spec.weight][m] if spec.weight else None) for s in sources]
                pairs = [(v, w) for v, w in pairs if v is not None]
                if spec.weight and all(w is not None and w > 0 for _, w in pairs):
                    months.append(sum(v * w for v, w in pairs) / sum(w for _, w in pairs))  # type: ignore[misc]
                else:
                    months.append(sum(v for v, _ in pairs) / len(pairs))  # type: ignore[misc]
        total[input_id] = months
    return total


def sheet_xml(path: Path, title: str) -> bytes:
    """One worksheet's XML, found through the workbook's own sheet list."""
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    with zipfile.ZipFile(path) as package:
        return package.read(f"xl/worksheets/sheet{names.index(title) + 1}.xml")


@pytest.mark.parametrize("seed", [11, 12])
def test_consolidating_random_workbooks_equals_building_from_the_combined_inputs(
    tmp_path: Path, crm: Catalog, seed: int
) -> None:
    rng = random.Random(seed)
    count = 2 + seed % 3
    sources = [random_values(crm, rng) for _ in range(count)]
    paths = [write(tmp_path / f"team{n}.xlsx", crm, v, company=f"Team {n}") for n, v in enumerate(sources)]
    before = [p.read_bytes() for p in paths]
    code, out, err = run("consolidate", *map(str, paths), "--out", str(tmp_path / "total.xlsx"), "--company", "All")
    assert code == 0, out + err
    assert out.startswith(f"wrote {tmp_path / 'total.xlsx'}: {count} workbooks consolidated")
    assert [p.read_bytes() for p in paths] == before

    expected = expected_total(crm, sources)
    got = input_values(tmp_path / "total.xlsx")
    for input_id, row in expected.items():
        assert [v is None for v in got[input_id]] == [v is None for v in row], input_id
        assert [v for v in got[input_id] if v is not None] == pytest.approx([v for v in row if v is not None]), input_id
    direct = write(tmp_path / "direct.xlsx", crm, got, company="All")
    for sheet in ("Inputs", "KPIs", "Dashboard"):
        assert sheet_xml(tmp_path / "total.xlsx", sheet) == sheet_xml(direct, sheet), sheet

    book = openpyxl.load_workbook(tmp_path / "total.xlsx")
    side = book["Sources"]
    header = [c.value for c in side[5]]
    assert header[3 : 3 + count] == [f"Team {n} (team{n}.xlsx)" for n in range(count)]
    assert header[3 + count] == "Total"
    ctr_row = next(r for r in side.iter_rows(min_row=6) if r[2].value == "Email click-through rate (CTR)")
    for n, source in enumerate(sources):
        year_ctr = kpi_values(crm, source)["email_ctr"][-1]
        assert ctr_row[3 + n].value == pytest.approx(year_ctr)
    assert ctr_row[3 + count].value.startswith("='KPIs'!")


def test_levels_are_weighted_by_the_named_input_as_worked_out_by_hand(tmp_path: Path, crm: Catalog) -> None:
    assert crm.inputs["profit_margin"].weight == "company_sales"
    a = write(tmp_path / "a.xlsx", crm, {"profit_margin": [0.2] + [None] * 11, "company_sales": [100.0] + [None] * 11})
    b = write(
        tmp_path / "b.xlsx", crm, {"profit_margin": [0.5, 0.4] + [None] * 10, "company_sales": [300.0] + [None] * 11}
    )
    code, out, err = run("consolidate", str(a), str(b), "--out", str(tmp_path / "t.xlsx"))
    assert code == 0, out + err
    got = input_values(tmp_path / "t.xlsx")
    # Month 1: (0.2 * 100 + 0.5 * 300) / 400 = 0.425. Month 2: only b has a margin: 0.4.
    assert got["profit_margin"][:3] == [pytest.approx(0.425), 0.4, None]
    assert got["company_sales"][:2] == [400, None]


def test_workbooks_that_do_not_add_up_are_refused_with_the_reason(tmp_path: Path, crm: Catalog) -> None:
    a = write(tmp_path / "a.xlsx", crm, {})
    b = write(tmp_path / "b.xlsx", crm, {}, currency="USD")
    c = write(tmp_path / "c.xlsx", crm, {}, year=2027)
    d = write(tmp_path / "d.xlsx", crm, {}, first_month=4)
    for other, reason in ((b, "currency USD differs"), (c, "fiscal year 2027 differs"), (d, "first month")):
        code, _out, err = run("consolidate", str(a), str(other), "--out", str(tmp_path / "t.xlsx"))
        assert code == 1 and reason in err and str(other) in err, err
        assert not (tmp_path / "t.xlsx").exists()
    code, _out, err = run("consolidate", str(a), str(b), "--out", str(a), "--force")
    assert code == 2 and "never changes" in err
    code, _out, err = run("consolidate", str(a), "--out", str(tmp_path / "t.xlsx"))
    assert code == 2 and "at least two" in err
    (tmp_path / "t.xlsx").write_bytes(b"mine")
    e = write(tmp_path / "e.xlsx", crm, {}, company="Another team")
    code, _out, err = run("consolidate", str(a), str(e), "--out", str(tmp_path / "t.xlsx"))
    assert code == 4 and (tmp_path / "t.xlsx").read_bytes() == b"mine"


def test_targets_all_workbooks_share_are_kept_and_differing_ones_reset(tmp_path: Path, crm: Catalog) -> None:
    def with_targets(path: Path, ctr: float, churn: float) -> Path:
        options = BuildOptions(year=2026, currency="EUR")
        data = build_workbook(crm, options, values={}, targets={"email_ctr": ctr, "churn_rate": churn}).data
        path.write_bytes(data)
        return path

    a = with_targets(tmp_path / "a.xlsx", 0.04, 0.01)
    b = with_targets(tmp_path / "b.xlsx", 0.04, 0.02)
    code, out, err = run("consolidate", str(a), str(b), "--out", str(tmp_path / "t.xlsx"))
    assert code == 0, out + err
    assert "targets differ between the workbooks for churn_rate: the catalogue's are used" in err
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    targets = {}
    for name in ("target_email_ctr", "target_churn_rate"):
        sheet, ref = next(iter(book.defined_names[name].destinations))
        targets[name] = book[sheet][ref.replace("$", "")].value
    assert targets == {"target_email_ctr": 0.04, "target_churn_rate": crm.kpis["churn_rate"].target}


def test_out_is_a_workbook_or_a_folder_as_for_every_command(tmp_path: Path, crm: Catalog) -> None:
    a = write(tmp_path / "a.xlsx", crm, {})
    b = write(tmp_path / "b.xlsx", crm, {}, company="Another team")
    folder = tmp_path / "total"
    folder.mkdir()
    code, out, err = run("consolidate", str(a), str(b), "--out", str(folder))
    assert code == 0, err
    assert out.startswith(f"wrote {folder / 'crm-en.xlsx'}: ") and [p.name for p in folder.iterdir()] == ["crm-en.xlsx"]
    code, _out, err = run("consolidate", str(a), str(b), "--out", str(tmp_path / "total.csv"))
    assert code == 2 and ".xlsx" in err and not (tmp_path / "total.csv").exists()


def test_the_same_workbook_twice_is_refused_naming_both_paths(tmp_path: Path, crm: Catalog) -> None:
    """`consolidate a.xlsx a.xlsx` doubled every value without a word (issue 22); a copy under
    another name is the same workbook too."""
    values = random_values(crm, random.Random(3))
    a = write(tmp_path / "a.xlsx", crm, values)
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(a.read_bytes())
    out = tmp_path / "total.xlsx"
    for second, said in ((a, "the same file"), (copy, "the same content")):
        code, _out, err = run("consolidate", str(a), str(second), "--out", str(out))
        assert code == 2, err
        assert f"{a} and {second} are {said}" in err and err.count("\n") == 1
        assert not out.exists()
    other = write(tmp_path / "b.xlsx", crm, values, company="Another team")
    code, _out, err = run("consolidate", str(a), str(other), "--out", str(out))
    assert code == 0, err
