"""The robustness corpus: bad inputs a user (or an attacker) can hand kpigen, and what each must get.

Every item is built at test time in a temporary folder (nothing large or hostile is committed)
and says what the command must answer: its exit code (the contract in generator/errors.py) and
where the answer points (a file's line, a sheet's cell). ``python -m tests.corpus.items`` prints
the count by kind. The test module runs each item through the installed ``kpigen`` in a fresh
process with a memory ceiling and a timeout.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.paths import CATALOG_DIR
from tests.validate import hostile

CRM = CATALOG_DIR / "crm.yaml"
SAMPLE = CATALOG_DIR / "crm.sample.csv"
INPUTS_E42 = "Inputs!E42"
"""The first month of avg_sale_value (a level input, averaged over months) in the CRM template."""


@dataclass(frozen=True)
class Case:
    """What to run in the item's folder, and what must come back."""

    args: list[str]
    exit: int
    where: str
    """A regex the answer must match: the refusal's one line, or ``sheet!cell`` of a finding."""
    code: str | None = None
    """For a validate run that finds problems: the finding code expected at ``where``."""
    unchanged: list[Path] = field(default_factory=list)
    """Files that must be byte-identical afterwards (the workbook validated, an existing output)."""
    empty: Path | None = None
    """A folder that must hold nothing new afterwards (no output, no temporary file)."""


@dataclass(frozen=True)
class Bases:
    """Workbooks the items start from: one straight from the writer, one calculated by LibreOffice."""

    built: Path
    calculated: Path
    uno: dict[str, Path]
    """Edited through LibreOffice's UNO API (see uno_edit.py), by job name."""


Make = Callable[[Path, Bases], Case]


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    make: Make


ITEMS: list[Item] = []


def item(kind: str) -> Callable[[Make], Make]:
    def register(make: Make) -> Make:
        ITEMS.append(Item(make.__name__, kind, make))
        return make

    return register


# ------------------------------------------------------------------------------------------ catalogues


def _catalogue(folder: Path, old: str, new: str, name: str = "bad.yaml") -> Path:
    text = CRM.read_text(encoding="utf-8")
    assert old in text, old
    (folder / "crm.sample.csv").write_bytes(SAMPLE.read_bytes())
    path = folder / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _check(path: Path, line: int | None = None) -> Case:
    number = str(line) if line else r"\d+"
    where = rf"^{re.escape(path.name)}:{number}:\d+: "
    return Case(["catalog", "check", path.name], 1, where)


_TARGET = "    target: 0.025\n"
_FORMULA = "    formula: email_clicks / emails_sent\n"


@item("catalogue")
def catalogue_nan_target(folder: Path, _: Bases) -> Case:
    return _check(_catalogue(folder, _TARGET, "    target: .nan\n"))


@item("catalogue")
def catalogue_inf_target(folder: Path, _: Bases) -> Case:
    return _check(_catalogue(folder, _TARGET, "    target: -.inf\n"))


@item("catalogue")
def catalogue_400_digit_target(folder: Path, _: Bases) -> Case:
    return _check(_catalogue(folder, _TARGET, f"    target: {'7' * 400}\n"))


@item("catalogue")
def catalogue_huge_bound(folder: Path, _: Bases) -> Case:
    return _check(_catalogue(folder, "    min: 0\n", "    min: -1.5e308\n"))


@item("catalogue")
def catalogue_divide_by_zero(folder: Path, _: Bases) -> Case:
    return _check(_catalogue(folder, _FORMULA, "    formula: email_clicks / 0\n"))


@item("catalogue")
def catalogue_divide_by_zero_product(folder: Path, _: Bases) -> Case:
    return _check(_catalogue(folder, _FORMULA, "    formula: email_clicks / (emails_sent * (3 - 3))\n"))


@item("catalogue")
def catalogue_constant_overflow(folder: Path, _: Bases) -> Case:
    return _check(_catalogue(folder, _FORMULA, "    formula: email_clicks * (1e300 * 1e300)\n"))


@item("catalogue")
def catalogue_401_digit_literal(folder: Path, _: Bases) -> Case:
    return _check(_catalogue(folder, _FORMULA, f"    formula: email_clicks / emails_sent * {'1' * 401}\n"))


@item("catalogue")
def catalogue_1500_unary_minus(folder: Path, _: Bases) -> Case:
    return _check(_catalogue(folder, _FORMULA, f"    formula: {'-' * 1500}email_clicks\n"))


@item("catalogue")
def catalogue_deep_subscripts(folder: Path, _: Bases) -> Case:
    return _check(_catalogue(folder, _FORMULA, f"    formula: email_clicks{'[0]' * 450}\n"))


@item("catalogue")
def catalogue_long_name(folder: Path, _: Bases) -> Case:
    return _check(_catalogue(folder, 'title: {en: "CRM KPI Dashboard"', f'title: {{en: "{"N" * 300}"'))


@item("catalogue")
def catalogue_text_over_cell_limit(folder: Path, _: Bases) -> Case:
    old = '  en: "Tracks 26 customer'
    return _check(_catalogue(folder, old, f'  en: "{"x" * 40_000} Tracks 26 customer'))


@item("catalogue")
def catalogue_not_utf8(folder: Path, _: Bases) -> Case:
    path = _catalogue(folder, "", "")
    path.write_bytes(path.read_bytes().replace(b"CRM KPI Dashboard", b"CRM \xff\xfe Dashboard", 1))
    return _check(path, line=6)


@item("catalogue")
def catalogue_alias_bomb(folder: Path, _: Bases) -> Case:
    path = folder / "laughs.yaml"
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return _check(path)


@item("catalogue")
def catalogue_deep_nesting(folder: Path, _: Bases) -> Case:
    path = folder / "deep.yaml"
    path.write_text("id: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    return _check(path)


@item("catalogue")
def catalogue_import_cycle(folder: Path, _: Bases) -> Case:
    (folder / "a.yaml").write_text(
        CRM.read_text(encoding="utf-8").replace(
            "sample: crm.sample.csv\n", "imports: [{catalog: b.yaml, kpis: [ctr]}]\n"
        ),
        encoding="utf-8",
    )
    (folder / "b.yaml").write_text(
        (folder / "a.yaml").read_text(encoding="utf-8").replace("catalog: b.yaml", "catalog: a.yaml"), encoding="utf-8"
    )
    return _check(folder / "a.yaml")


@item("catalogue")
def catalogue_imports_a_pipe(folder: Path, _: Bases) -> Case:
    os.mkfifo(folder / "pipe.yaml")
    path = _catalogue(folder, "sample: crm.sample.csv\n", "imports: [{catalog: pipe.yaml, kpis: [ctr]}]\n")
    return _check(path)


# ------------------------------------------------------------------------------------------ special files


def _one_line(args: list[str], exit: int, name: str, phrase: str, empty: Path | None = None) -> Case:
    return Case(args, exit, rf"^Error: [^\n]*{re.escape(name)}[^\n]*{phrase}", empty=empty)


@item("special file")
def catalogue_is_a_pipe(folder: Path, _: Bases) -> Case:
    os.mkfifo(folder / "crm.yaml")
    return Case(["catalog", "check", "crm.yaml"], 3, r"^crm\.yaml: is a named pipe")


@item("special file")
def catalogue_is_dev_zero(folder: Path, _: Bases) -> Case:
    out = folder / "out"
    out.mkdir()
    return _one_line(["build", "--catalog", "/dev/zero", "--out", "out"], 3, "/dev/zero", "a device", out)


@item("special file")
def catalogue_is_a_directory(folder: Path, _: Bases) -> Case:
    (folder / "cat.yaml").mkdir()
    out = folder / "out"
    out.mkdir()
    return _one_line(["build", "--catalog", "cat.yaml", "--out", "out"], 3, "cat.yaml", "directory", out)


@item("special file")
def catalogue_too_large(folder: Path, _: Bases) -> Case:
    with (folder / "big.yaml").open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: 64 MB of zeros that take no disk
    return Case(["catalog", "check", "big.yaml"], 3, r"^big\.yaml: is larger than 8 MB")


@item("special file")
def catalogue_missing(folder: Path, _: Bases) -> Case:
    return _one_line(["build", "--catalog", "nothing.yaml", "--out", "out"], 3, "nothing.yaml", "not found")


def _with_sample(folder: Path, sample: str) -> Path:
    return _catalogue(folder, "sample: crm.sample.csv", f"sample: {sample}", "crm.yaml")


@item("sample")
def sample_is_dev_zero(folder: Path, _: Bases) -> Case:
    _with_sample(folder, "/dev/zero")
    out = folder / "out"
    out.mkdir()
    return _one_line(["build", "--catalog", "crm.yaml", "--sample", "--out", "out"], 3, "/dev/zero", "a device", out)


@item("sample")
def sample_is_a_pipe(folder: Path, _: Bases) -> Case:
    os.mkfifo(folder / "pipe.csv")
    _with_sample(folder, "pipe.csv")
    out = folder / "out"
    out.mkdir()
    return _one_line(["build", "--catalog", "crm.yaml", "--sample", "--out", "out"], 3, "pipe.csv", "named pipe", out)


@item("sample")
def sample_not_utf8(folder: Path, _: Bases) -> Case:
    _with_sample(folder, "latin1.csv")
    (folder / "latin1.csv").write_bytes(b"month,input,value\n1,new_leads,12\n2,new_leads,\xe7ok\n")
    out = folder / "out"
    out.mkdir()
    return _one_line(["build", "--catalog", "crm.yaml", "--sample", "--out", "out"], 3, "latin1.csv:3:", "UTF-8", out)


@item("sample")
def sample_field_too_long(folder: Path, _: Bases) -> Case:
    _with_sample(folder, "long.csv")
    (folder / "long.csv").write_text(f'month,input,value\n1,new_leads,"{"9" * 131_073}"\n', encoding="utf-8")
    out = folder / "out"
    out.mkdir()
    return _one_line(["build", "--catalog", "crm.yaml", "--sample", "--out", "out"], 1, "long.csv:2:", "CSV", out)


@item("sample")
def sample_value_not_finite(folder: Path, _: Bases) -> Case:
    _with_sample(folder, "nan.csv")
    (folder / "nan.csv").write_text("month,input,value\n1,new_leads,12\n2,new_leads,nan\n", encoding="utf-8")
    out = folder / "out"
    out.mkdir()
    return _one_line(["build", "--catalog", "crm.yaml", "--sample", "--out", "out"], 1, "nan.csv:3:", "finite", out)


@item("sample")
def sample_value_beyond_excel(folder: Path, _: Bases) -> Case:
    _with_sample(folder, "huge.csv")
    (folder / "huge.csv").write_text("month,input,value\n1,new_leads,1e308\n", encoding="utf-8")
    out = folder / "out"
    out.mkdir()
    return _one_line(["build", "--catalog", "crm.yaml", "--sample", "--out", "out"], 1, "huge.csv:2:", "9.99E", out)


@item("special file")
def workbook_is_a_pipe(folder: Path, _: Bases) -> Case:
    os.mkfifo(folder / "pipe.xlsx")
    return _one_line(["validate", "pipe.xlsx"], 3, "pipe.xlsx", "")


@item("special file")
def workbook_is_dev_zero(folder: Path, _: Bases) -> Case:
    return _one_line(["validate", "/dev/zero"], 3, "/dev/zero", "")


@item("special file")
def workbook_is_a_directory(folder: Path, _: Bases) -> Case:
    (folder / "dir.xlsx").mkdir()
    return _one_line(["validate", "dir.xlsx"], 3, "dir.xlsx", "director")


@item("special file")
def validate_catalogue_is_a_pipe(folder: Path, bases: Bases) -> Case:
    os.mkfifo(folder / "pipe.yaml")
    book = shutil.copyfile(bases.calculated, folder / "crm.xlsx")
    return Case(
        ["validate", "crm.xlsx", "--catalog", "pipe.yaml"], 3, r"^Error: pipe\.yaml: is a named pipe", unchanged=[book]
    )


@item("special file")
def validate_a_catalogue_as_workbook(folder: Path, _: Bases) -> Case:
    shutil.copyfile(CRM, folder / "crm.xlsx")
    return _one_line(["validate", "crm.xlsx"], 3, "crm.xlsx", "")


@item("import")
def import_data_is_a_pipe(folder: Path, _: Bases) -> Case:
    os.mkfifo(folder / "data.csv")
    out = folder / "out"
    out.mkdir()
    return _one_line(["import", "data.csv", "--out", "out/filled.xlsx"], 3, "data.csv", "named pipe", out)


@item("import")
def import_data_is_dev_zero(folder: Path, _: Bases) -> Case:
    os.symlink("/dev/zero", folder / "zero.csv")
    out = folder / "out"
    out.mkdir()
    return _one_line(["import", "zero.csv", "--out", "out/filled.xlsx"], 3, "zero.csv", "a device", out)


@item("import")
def import_data_not_utf8(folder: Path, _: Bases) -> Case:
    (folder / "data.csv").write_bytes(b"month,input,value\n1,new_leads,12\n2,new_leads,\xe7ok\n")
    out = folder / "out"
    out.mkdir()
    return _one_line(["import", "data.csv", "--out", "out/filled.xlsx"], 3, "data.csv:3:", "UTF-8", out)


@item("import")
def import_data_is_a_zip_bomb(folder: Path, _: Bases) -> Case:
    bomb = hostile.ratio_bomb(folder)
    out = folder / "out"
    out.mkdir()
    return _one_line(["import", bomb.name, "--out", "out/filled.xlsx"], 3, bomb.name, "zip bomb", out)


@item("import")
def import_mapping_is_a_pipe(folder: Path, _: Bases) -> Case:
    os.mkfifo(folder / "map.yaml")
    (folder / "data.csv").write_text("month,input,value\n1,new_leads,12\n", encoding="utf-8")
    out = folder / "out"
    out.mkdir()
    args = ["import", "data.csv", "--mapping", "map.yaml", "--out", "out/filled.xlsx"]
    return _one_line(args, 3, "map.yaml", "named pipe", out)


@item("import")
def batch_list_is_a_pipe(folder: Path, _: Bases) -> Case:
    os.mkfifo(folder / "list.csv")
    out = folder / "out"
    out.mkdir()
    return _one_line(["build", "--batch", "list.csv", "--out", "out"], 3, "list.csv", "named pipe", out)


# ------------------------------------------------------------------------------------------ hostile files


def _hostile(builder: Callable[[Path], Path]) -> Make:
    def make(folder: Path, _: Bases) -> Case:
        path = builder(folder)
        return Case(["validate", path.name], 3, rf"^Error: {re.escape(path.name)}: ", unchanged=[path])

    make.__name__ = f"hostile_{builder.__name__}"
    return make


for _builder in (
    hostile.ratio_bomb,
    hostile.billion_laughs,
    hostile.external_entity,
    hostile.xls_like,
    hostile.encrypted_cfb,
    hostile.truncated,
    hostile.ods_renamed,
    hostile.empty,
    hostile.binary_junk,
    hostile.csv_renamed,
):
    item("hostile file")(_hostile(_builder))


# ------------------------------------------------------------------------------------------ edited workbooks


def _sheet_part(book: Path, sheet: str) -> str:
    with zipfile.ZipFile(book) as package:
        workbook = package.read("xl/workbook.xml").decode("utf-8")
        rels = package.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rid = re.search(rf'<sheet name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', workbook)
    assert rid is not None
    target = re.search(rf'<Relationship Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels
    )
    assert target is not None
    return "xl/" + target.group(1)


def _set_cell(xml: str, ref: str, body: str) -> str:
    found = re.search(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>.*?</c>)', xml)
    assert found is not None, ref
    style = re.search(r' s="\d+"', found.group("attrs"))
    return xml[: found.start()] + f'<c r="{ref}"{style.group(0) if style else ""} t="n">{body}</c>' + xml[found.end() :]


def _xml_edit(folder: Path, bases: Bases, name: str, member: str, edit: Callable[[str], str]) -> Path:
    from tests.validate import fill

    return fill.edit_part(bases.calculated, folder / name, member, edit)


def _finding(path: Path, where: str, code: str) -> Case:
    return Case(["validate", path.name, "--format", "json"], 1, where, code=code, unchanged=[path])


@item("workbook (XML)")
def huge_in_two_months_of_an_average(folder: Path, bases: Bases) -> Case:
    sheet = _sheet_part(bases.calculated, "Inputs")
    path = _xml_edit(
        folder,
        bases,
        "huge.xlsx",
        sheet,
        lambda xml: _set_cell(_set_cell(xml, "E42", "<v>1E+308</v>"), "F42", "<v>1E+308</v>"),
    )
    return _finding(path, "Inputs!F42", "out-of-range")


@item("workbook (XML)")
def number_of_400_digits(folder: Path, bases: Bases) -> Case:
    sheet = _sheet_part(bases.calculated, "Inputs")
    path = _xml_edit(folder, bases, "digits.xlsx", sheet, lambda xml: _set_cell(xml, "E42", f"<v>{'9' * 400}</v>"))
    return _finding(path, INPUTS_E42, "out-of-range")


@item("workbook (XML)")
def denormal_number(folder: Path, bases: Bases) -> Case:
    sheet = _sheet_part(bases.calculated, "Inputs")
    path = _xml_edit(folder, bases, "tiny.xlsx", sheet, lambda xml: _set_cell(xml, "E42", "<v>4.9E-324</v>"))
    return _finding(path, INPUTS_E42, "out-of-range")


@item("workbook (XML)")
def negative_huge_count(folder: Path, bases: Bases) -> Case:
    sheet = _sheet_part(bases.calculated, "Inputs")
    path = _xml_edit(folder, bases, "neg.xlsx", sheet, lambda xml: _set_cell(xml, "E8", "<v>-1.7E+308</v>"))
    return _finding(path, "Inputs!E8", "out-of-range")


@item("workbook (XML)")
def merged_month_cells(folder: Path, bases: Bases) -> Case:
    sheet = _sheet_part(bases.calculated, "Inputs")

    def merge(xml: str) -> str:
        if "<mergeCells" in xml:
            return re.sub(
                r'<mergeCells count="(\d+)">', r'<mergeCells count="\1"><mergeCell ref="E42:G42"/>', xml, count=1
            )
        return xml.replace("</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="E42:G42"/></mergeCells>')

    path = _xml_edit(folder, bases, "merged.xlsx", sheet, merge)
    return _finding(path, INPUTS_E42, "merged-cells")


@item("workbook (XML)")
def name_moved_to_row_9999999(folder: Path, bases: Bases) -> Case:
    path = _xml_edit(
        folder,
        bases,
        "far.xlsx",
        "xl/workbook.xml",
        lambda xml: re.sub(r"(Inputs!\$[A-Z]+\$)42(:\$[A-Z]+\$)42", r"\g<1>9999999\g<2>9999999", xml),
    )
    return _finding(path, "", "broken-name")


def _retag(folder: Path, bases: Bases, name: str, value: str) -> Path:
    return _xml_edit(
        folder,
        bases,
        name,
        "docProps/custom.xml",
        lambda xml: xml.replace("<vt:lpwstr>crm</vt:lpwstr>", f"<vt:lpwstr>{value}</vt:lpwstr>", 1),
    )


@item("workbook (XML)")
def catalog_id_names_the_schema(folder: Path, bases: Bases) -> Case:
    path = _retag(folder, bases, "schema.xlsx", "schema")
    return Case(
        ["validate", path.name], 3, r"^Error: schema\.xlsx: .*'schema', which is not one bundled", unchanged=[path]
    )


@item("workbook (XML)")
def catalog_id_is_a_path(folder: Path, bases: Bases) -> Case:
    path = _retag(folder, bases, "path.xlsx", "../../../../dev/zero")
    return Case(["validate", path.name], 3, r"^Error: path\.xlsx: .*not a catalogue id", unchanged=[path])


@item("workbook (openpyxl)")
def chart_sheet_named_like_a_data_sheet(folder: Path, bases: Bases) -> Case:
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.load_workbook(bases.calculated)
    index = book.sheetnames.index("Inputs")
    del book["Inputs"]
    chart = BarChart()
    chart.add_data(Reference(book["KPIs"], min_col=5, min_row=8, max_col=16))
    book.create_chartsheet("Inputs", index).add_chart(chart)
    path = folder / "chartsheet.xlsx"
    book.save(path)
    return _finding(path, "", "missing-sheet")


@item("workbook (openpyxl)")
def text_typed_into_a_count(folder: Path, bases: Bases) -> Case:
    import openpyxl

    book = openpyxl.load_workbook(bases.calculated)
    book["Inputs"]["E8"] = "twelve"
    path = folder / "text.xlsx"
    book.save(path)
    return _finding(path, "Inputs!E8", "not-a-number")


@item("workbook (openpyxl)")
def kpi_formula_overwritten(folder: Path, bases: Bases) -> Case:
    import openpyxl

    book = openpyxl.load_workbook(bases.calculated)
    book["KPIs"]["E8"] = 0.5
    path = folder / "overwritten.xlsx"
    book.save(path)
    return _finding(path, "KPIs!E8", "formula-overwritten")


@item("workbook (openpyxl)")
def date_typed_into_a_count(folder: Path, bases: Bases) -> Case:
    import datetime

    import openpyxl

    book = openpyxl.load_workbook(bases.calculated)
    book["Inputs"]["E8"] = datetime.date(2026, 3, 1)
    path = folder / "date.xlsx"
    book.save(path)
    return _finding(path, "Inputs!E8", "not-a-number")


@item("catalogue")
def catalogue_quoted_infinite_bound(folder: Path, _: Bases) -> Case:
    return _check(_catalogue(folder, "    min: 0\n", '    min: "-1e400"\n'))


def _uno(job: str, where: str, code: str | None, exit: int = 1) -> Make:
    def make(folder: Path, bases: Bases) -> Case:
        path = shutil.copyfile(bases.uno[job], folder / f"{job}.xlsx")
        if code is None:
            return Case(["validate", path.name], exit, where, unchanged=[path])
        return _finding(path, where, code)

    make.__name__ = f"libreoffice_{job}"
    return make


UNO_JOBS: dict[str, list[dict[str, object]]] = {
    "merged_months": [{"op": "merge", "sheet": "Inputs", "range": "E42:G42"}],
    "huge_average": [
        {"op": "value", "sheet": "Inputs", "cell": "E42", "value": 1e308},
        {"op": "value", "sheet": "Inputs", "cell": "F42", "value": 1e308},
    ],
    "text_in_count": [{"op": "text", "sheet": "Inputs", "cell": "E8", "value": "twelve"}],
    "overflowing_totals": [
        {"op": "value", "sheet": "Inputs", "cell": cell, "value": 9e307} for cell in ("E8", "F8", "E42", "F42")
    ],
    "rows_inserted": [{"op": "insert_rows", "sheet": "Inputs", "row": 20, "count": 2}],
    "sheet_renamed": [{"op": "rename", "sheet": "KPIs", "to": "My KPIs"}],
}
"""Batches of edits made through LibreOffice's UNO API, one document each (uno_edit.py)."""

item("workbook (LibreOffice)")(_uno("merged_months", INPUTS_E42, "merged-cells"))
item("workbook (LibreOffice)")(_uno("huge_average", "Inputs!F42", "out-of-range"))
item("workbook (LibreOffice)")(_uno("text_in_count", "Inputs!E8", "not-a-number"))
item("workbook (LibreOffice)")(_uno("overflowing_totals", "Inputs!P8", "out-of-range"))
item("workbook (LibreOffice)")(_uno("rows_inserted", r"^$", None, exit=0))
item("workbook (LibreOffice)")(_uno("sheet_renamed", r"^$", None, exit=0))


# ------------------------------------------------------------------------------------------ outputs


@item("output")
def existing_output_without_force(folder: Path, bases: Bases) -> Case:
    target = shutil.copyfile(bases.calculated, folder / "mine.xlsx")
    return Case(["build", "--out", "mine.xlsx"], 4, r"^Error: mine\.xlsx: already exists", unchanged=[target])


@item("output")
def output_folder_is_a_file(folder: Path, _: Bases) -> Case:
    (folder / "out").write_text("a file, not a folder", encoding="utf-8")
    return Case(["build", "--out", "out/crm.xlsx"], 4, r"^Error: out", unchanged=[folder / "out"])


def counts() -> Counter[str]:
    return Counter(entry.kind for entry in ITEMS)


if __name__ == "__main__":
    for kind, count in sorted(counts().items()):
        print(f"{count:4d}  {kind}")
    print(f"{len(ITEMS):4d}  in all")
