"""`kpigen build --batch` through click's runner: one workbook per row, failures kept to their row."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from generator.catalog import Catalog, load_catalog
from generator.cli import main

LIST = """company,locale,currency,year,first_month,file
Acme,en,usd,2027,4,acme.xlsx
Örnek A.Ş.,tr,TRY,2026,1,ornek.xlsx
Broken,en,XYZ,2026,1,broken.xlsx
Later,en,,twenty,1,later.xlsx
Last,tr,EUR,2026,12,sub/last.xlsx
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def settings(path: Path) -> tuple[dict[str, str], list[object]]:
    book = openpyxl.load_workbook(path)
    props = {p.name: str(p.value) for p in book.custom_doc_props.props}
    sheet = book[book.sheetnames[1]]
    return props, [sheet.cell(row, 4).value for row in range(5, 9)]


def test_batch_builds_every_good_row_and_reports_the_bad_ones(tmp_path: Path) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text(LIST, encoding="utf-8")
    code, out, err = run("build", "--batch", str(listing), "--out", str(tmp_path / "out"), "--jobs", "2")
    assert code == 1, out + err
    assert sorted(p.name for p in (tmp_path / "out").rglob("*.xlsx")) == ["acme.xlsx", "last.xlsx", "ornek.xlsx"]
    assert f"{listing}:4: broken.xlsx: Unknown currency 'XYZ'; use an ISO 4217 code such as TRY, USD or EUR." in err
    assert f"{listing}:5: later.xlsx: year 'twenty' is not a whole number" in err
    assert "Traceback" not in out + err
    assert out.startswith("built 3 of 5 workbooks") and out.strip().endswith("2 failed")
    assert len(out.strip().splitlines()) == 1

    props, values = settings(tmp_path / "out" / "acme.xlsx")
    assert (props["locale"], props["currency"], props["first_month"]) == ("en", "USD", "4")
    assert values == ["Acme", 2027, "April", "USD"]
    props, values = settings(tmp_path / "out" / "ornek.xlsx")
    assert (props["locale"], props["currency"]) == ("tr", "TRY")
    assert values == ["Örnek A.Ş.", 2026, "Ocak", "TRY"]
    props, values = settings(tmp_path / "out" / "sub" / "last.xlsx")
    assert values[2:] == ["Aralık", "EUR"]


def test_missing_columns_take_the_options_and_a_clean_batch_exits_0(tmp_path: Path) -> None:
    listing = tmp_path / "teams.csv"
    listing.write_text("team,file\nNorth,north.xlsx\nSouth,south.xlsx\n", encoding="utf-8")
    args = ["build", "--batch", str(listing), "--out", str(tmp_path), "--currency", "EUR", "--year", "2030"]
    code, out, err = run(*args, "--jobs", "1")
    assert code == 0, out + err
    assert out.startswith("built 2 of 2 workbooks") and "failed" not in out
    assert err == "", "no progress bar when stderr is not a terminal"
    _props, values = settings(tmp_path / "south.xlsx")
    assert values == ["South", 2030, "January", "EUR"]

    before = (tmp_path / "north.xlsx").read_bytes()
    code, out, err = run(*args)
    assert code == 1 and "built 0 of 2" in out
    assert "north.xlsx: " in err and "already exists; pass --force" in err
    assert (tmp_path / "north.xlsx").read_bytes() == before
    code, out, err = run(*args, "--force")
    assert code == 0, out + err


def test_a_list_that_cannot_be_used_is_refused_whole(tmp_path: Path) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text("company,curency,file\nA,EUR,a.xlsx\n", encoding="utf-8")
    code, _out, err = run("build", "--batch", str(listing), "--out", str(tmp_path))
    assert code == 1 and "column 2 'curency' is not one of" in err and f"{listing}:1:" in err
    listing.write_text("company,file\nA,a.xlsx\nB,A.XLSX\nC,c.txt\n", encoding="utf-8")
    code, _out, err = run("build", "--batch", str(listing), "--out", str(tmp_path))
    assert code == 1 and "already used on line 2" in err and "must end in .xlsx" in err
    assert [p.name for p in tmp_path.glob("*.xlsx")] == ["a.xlsx"]
    code, _out, err = run("build", "--batch", str(tmp_path / "missing.csv"), "--out", str(tmp_path))
    assert code == 3 and "missing.csv: file not found" in err
    code, _out, err = run("build", "--batch", str(listing), "--out", str(tmp_path / "one.xlsx"))
    assert code == 2 and "give a folder" in err


def test_the_catalogue_is_read_once_per_batch_and_forked_workers_reuse_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each call of load_catalog notes its process; forked workers inherit the parent's catalogue."""
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("workers are spawned here: each loads the catalogue once")
    from generator.transfer import batch

    calls = tmp_path / "calls.txt"

    def counting(path: Path) -> Catalog:
        with calls.open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        return load_catalog(path)

    monkeypatch.setattr(batch, "load_catalog", counting)
    listing = tmp_path / "list.csv"
    listing.write_text("company,file\nA,a.xlsx\nB,b.xlsx\nC,c.xlsx\n", encoding="utf-8")
    for _ in range(2):  # a second batch in the same process reads the file again
        code, out, err = run("build", "--batch", str(listing), "--out", str(tmp_path / "out"), "--jobs", "2", "--force")
        assert code == 0, out + err
    assert calls.read_text(encoding="utf-8").split() == [str(os.getpid())] * 2


def test_batch_workbooks_are_what_single_builds_give(tmp_path: Path, crm: Catalog) -> None:
    """Rows sharing everything but the company are personalised from one base: each file still equals,
    part for part, what `kpigen build` writes for that row (docProps/core.xml holds the build time)."""
    import io
    import zipfile

    names = ["Acme & Sons", "<Beta>", "Gama A.Ş.", "_x0041_ built directly", "Delta"]
    listing = tmp_path / "list.csv"
    listing.write_text(
        "company,locale,year,file\n" + "".join(f'"{n}",tr,2026,w{i}.xlsx\n' for i, n in enumerate(names)),
        encoding="utf-8",
    )
    code, out, err = run("build", "--batch", str(listing), "--out", str(tmp_path / "batch"), "--jobs", "2")
    assert code == 0, out + err

    def parts(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as package:
            return {n: package.read(n) for n in package.namelist() if n != "docProps/core.xml"}

    for i, name in enumerate(names):
        single = tmp_path / f"single{i}.xlsx"
        code, out, err = run("build", "--locale", "tr", "--year", "2026", "--company", name, "--out", str(single))
        assert code == 0, out + err
        assert parts(tmp_path / "batch" / f"w{i}.xlsx") == parts(single), name


def test_a_semicolon_list_as_excel_saves_it_in_turkish_is_read(tmp_path: Path) -> None:
    """Excel writes ';' between columns where the decimal sign is a comma (tr, de); import read
    such a file and --batch refused it (issue 22)."""
    batch = tmp_path / "list.csv"
    rows = ["company;locale;currency;file", "Örnek A.Ş.;tr;TRY;ornek.xlsx", "Acme, Inc.;en;USD;acme.xlsx"]
    batch.write_text("\n".join(rows) + "\n", "utf-8")
    code, _out, err = run("build", "--batch", str(batch), "--out", str(tmp_path / "out"))
    assert code == 0, err
    turkish, _ = settings(tmp_path / "out" / "ornek.xlsx")
    english, _ = settings(tmp_path / "out" / "acme.xlsx")
    assert (turkish["locale"], turkish["currency"]) == ("tr", "TRY")
    assert (english["locale"], english["currency"]) == ("en", "USD")
