"""`kpigen import` through click's runner, with the expected values written out by hand."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.transfer.helpers import input_values, parts

# Fiscal year April 2026 - March 2027; three inputs, some months blank.
SENT = [1234.5, 2000, 3000, None, 4100, 4200, 4300, 4400, 4500, 4600, 4700, 4800]
CLICKS = [100, 120, None, 90, 95, 96, 97, 98, 99, 100, 101, 102]
MARGIN = [0.25, 0.125, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]
DATA = {"emails_sent": SENT, "email_unique_clicks": CLICKS, "profit_margin": MARGIN}
TR_MONTHS = [
    "Nisan",
    "Mayıs",
    "Haziran",
    "Temmuz",
    "Ağustos",
    "Eylül",
    "Ekim",
    "Kasım",
    "Aralık",
    "Ocak",
    "Şubat",
    "Mart",
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def tr_number(value: float) -> str:
    """Turkish digits written by hand: dot for thousands, comma for decimals."""
    whole, _, fraction = f"{value:.10g}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return grouped + ("," + fraction if fraction else "")


def month_start(position: int) -> dt.date:
    month = 4 + position
    return dt.date(2026 + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def write_long_csv(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["month", "input", "value"])
        for input_id, row in DATA.items():
            for position, value in enumerate(row):
                if value is not None:
                    writer.writerow([month_start(position).strftime("%Y-%m"), input_id, tr_number(value)])


def write_wide_xlsx(path: Path) -> None:
    """The same data the way a person would type it: Turkish month names with years, Turkish input names."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Ay", "Gönderilen e-posta sayısı", "Tıklanan e-posta sayısı (tekil tıklama)", "Kâr marjı"])
    for position, name in enumerate(TR_MONTHS):
        sheet.append([f"{name} {month_start(position).year}", SENT[position], CLICKS[position], MARGIN[position]])
    book.save(path)


def test_long_csv_and_wide_xlsx_of_the_same_data_give_identical_workbooks(tmp_path: Path) -> None:
    write_long_csv(tmp_path / "long.csv")
    write_wide_xlsx(tmp_path / "wide.xlsx")
    common = ["--locale", "tr", "--first-month", "4", "--company", "Örnek"]
    code, out, err = run("import", str(tmp_path / "long.csv"), "--out", str(tmp_path / "a.xlsx"), *common)
    assert (code, err) == (0, ""), out + err
    assert out.startswith(f"wrote {tmp_path / 'a.xlsx'}: 34 values of 3 inputs") and "fiscal year 2026" in out
    code, out, err = run("import", str(tmp_path / "wide.xlsx"), "--out", str(tmp_path / "b.xlsx"), *common)
    assert (code, err) == (0, ""), out + err
    assert "wide form" in out
    assert parts(tmp_path / "a.xlsx") == parts(tmp_path / "b.xlsx")
    values = input_values(tmp_path / "a.xlsx")
    for input_id, row in DATA.items():
        assert values[input_id] == row
    assert values["website_visits"] == [None] * 12


def test_month_numbers_and_names_map_to_fiscal_positions(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text(
        "month,input,value\n4,emails_sent,10\nJan,emails_sent,11\nMart,emails_sent,12\nmayis,emails_sent,13\n",
        encoding="utf-8",
    )
    code, out, err = run(
        "import", str(tmp_path / "d.csv"), "--out", str(tmp_path / "o.xlsx"), "--locale", "tr", "--first-month", "4"
    )
    assert code == 0, out + err
    assert input_values(tmp_path / "o.xlsx")["emails_sent"] == [
        10,
        13,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        11,
        None,
        12,
    ]


def test_bad_cells_are_reported_with_row_and_column_then_skipped_or_refused(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text(
        "month,input,value,note\n"
        "2026-01,emails_sent,1.5\n"
        '2026-02,emails_sent,"1,5"\n'
        "2027-01,emails_sent,7\n"
        "2026-03,nonsense,1\n"
        "2026-01,emails_sent,9\n",
        encoding="utf-8",
    )
    target = tmp_path / "o.xlsx"
    code, out, err = run("import", str(data), "--out", str(target), "--year", "2026")
    assert code == 0, out + err
    assert f"{data}: column 'note': not an input" in err
    assert f"{data}: row 3, column 'value': '1,5' is not a number in en format" in err
    assert f"{data}: row 4, column 'month': 2027-01 is outside the fiscal year starting 2026-01" in err
    assert f"{data}: row 5, column 'input': 'nonsense' is not an input" in err
    assert f"{data}: row 6, column 'value': emails_sent for this month was already given on row 2" in err
    assert out.strip().endswith("5 cells or columns skipped")
    assert input_values(target)["emails_sent"][:3] == [1.5, None, None]

    target.unlink()
    code, out, err = run("import", str(data), "--out", str(target), "--year", "2026", "--strict")
    assert code == 1 and "5 problems, nothing written (--strict)" in err and not target.exists()
    assert "Traceback" not in err


def test_a_mapping_file_renames_a_crm_reports_headers(tmp_path: Path) -> None:
    mapping = '"Period": month\n"Mails out": emails_sent\n"Clicks (unique)": email_unique_clicks\n'
    (tmp_path / "map.yaml").write_text(mapping)
    (tmp_path / "report.csv").write_text("Period,Mails out,Clicks (unique)\n2026-01,100,7\n2026-02,200,9\n")
    code, out, err = run(
        "import",
        str(tmp_path / "report.csv"),
        "--mapping",
        str(tmp_path / "map.yaml"),
        "--out",
        str(tmp_path / "o.xlsx"),
    )
    assert (code, err) == (0, ""), out + err
    values = input_values(tmp_path / "o.xlsx")
    assert values["emails_sent"][:3] == [100, 200, None] and values["email_unique_clicks"][:2] == [7, 9]

    (tmp_path / "bad.yaml").write_text('"Period": month\n"Mails out": emails_snet\n')
    code, out, err = run(
        "import",
        str(tmp_path / "report.csv"),
        "--mapping",
        str(tmp_path / "bad.yaml"),
        "--out",
        str(tmp_path / "p.xlsx"),
    )
    assert code == 1 and f"{tmp_path / 'bad.yaml'}:2:" in err and "'emails_snet'" in err


def test_parquet_is_read_when_pyarrow_is_installed(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        {"month": [dt.date(2026, 1, 1), dt.date(2026, 2, 1)], "input": ["emails_sent"] * 2, "value": [5.0, 6.5]}
    )
    frame.to_parquet(tmp_path / "d.parquet")
    code, out, err = run("import", str(tmp_path / "d.parquet"), "--out", str(tmp_path / "o.xlsx"))
    assert code == 0, out + err
    assert input_values(tmp_path / "o.xlsx")["emails_sent"][:3] == [5, 6.5, None]


def test_refusals_keep_the_contract(tmp_path: Path) -> None:
    target = tmp_path / "o.xlsx"
    target.write_bytes(b"mine")
    (tmp_path / "d.csv").write_text("month,input,value\n1,emails_sent,1\n")
    code, _out, err = run("import", str(tmp_path / "d.csv"), "--out", str(target))
    assert code == 4 and "already exists" in err and target.read_bytes() == b"mine"
    code, _out, err = run("import", str(tmp_path / "missing.csv"), "--out", str(tmp_path / "n.xlsx"))
    assert code == 3 and "file not found" in err
    (tmp_path / "d.ods").write_text("x")
    code, _out, err = run("import", str(tmp_path / "d.ods"), "--out", str(tmp_path / "n.xlsx"))
    assert code == 3 and "unknown data format" in err
    (tmp_path / "e.csv").write_text("month,input,value\n1,nothing,1\n")
    code, _out, err = run("import", str(tmp_path / "e.csv"), "--out", str(tmp_path / "n.xlsx"))
    assert code == 1 and "no value could be read" in err and not (tmp_path / "n.xlsx").exists()


@pytest.mark.parametrize(
    ("text", "said"), [("", "is empty"), ("   \n", "is empty"), ("month,emails_sent\n", "no rows")]
)
def test_an_empty_table_and_a_header_only_one_get_the_same_exit_code(tmp_path: Path, text: str, said: str) -> None:
    """An empty CSV exited 3 ("cannot read it as CSV") and a header-only one 1 (issue 22): both were
    read, and hold nothing."""
    (tmp_path / "d.csv").write_text(text, encoding="utf-8")
    code, _out, err = run("import", str(tmp_path / "d.csv"), "--out", str(tmp_path / "n.xlsx"))
    assert code == 1 and said in err and "no value could be read" in err, err
    assert not (tmp_path / "n.xlsx").exists()


def test_out_is_a_workbook_or_a_folder_as_for_every_command(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("month,input,value\n1,emails_sent,1\n")
    folder = tmp_path / "into"
    folder.mkdir()
    code, out, err = run("import", str(tmp_path / "d.csv"), "--out", str(folder), "--locale", "tr")
    assert code == 0, err
    assert out.startswith(f"wrote {folder / 'crm-tr.xlsx'}: ") and [p.name for p in folder.iterdir()] == ["crm-tr.xlsx"]
    for bad in ("o.csv", "o.xls", "o"):
        code, _out, err = run("import", str(tmp_path / "d.csv"), "--out", str(tmp_path / bad))
        assert code == 2 and f"--out {tmp_path / bad}" in err and not (tmp_path / bad).exists(), err
    code, _out, err = run("import", str(tmp_path / "d.csv"), "--out", str(tmp_path / "d.csv"))
    assert code == 4 and "will not write to it" in err and (tmp_path / "d.csv").read_text().startswith("month,input")
