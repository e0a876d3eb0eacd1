"""Corpus items: special, hostile and wrong files for every path kpigen reads, and outputs it must not write."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.corpus.catalogue_items import _catalogue
from tests.corpus.model import CRM, Bases, Case, Make, item, one_line
from tests.validate import hostile

# ------------------------------------------------------------------------------------------ special files


@item("special file")
def catalogue_is_a_pipe(folder: Path, _: Bases) -> Case:
    os.mkfifo(folder / "crm.yaml")
    return Case(["catalog", "check", "crm.yaml"], 3, r"^crm\.yaml: is a named pipe")


@item("special file")
def catalogue_is_dev_zero(folder: Path, _: Bases) -> Case:
    out = folder / "out"
    out.mkdir()
    return one_line(["build", "--catalog", "/dev/zero", "--out", "out"], 3, "/dev/zero", "a device", out)


@item("special file")
def catalogue_is_a_directory(folder: Path, _: Bases) -> Case:
    (folder / "cat.yaml").mkdir()
    out = folder / "out"
    out.mkdir()
    return one_line(["build", "--catalog", "cat.yaml", "--out", "out"], 3, "cat.yaml", "directory", out)


@item("special file")
def catalogue_too_large(folder: Path, _: Bases) -> Case:
    with (folder / "big.yaml").open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: 64 MB of zeros that take no disk
    return Case(["catalog", "check", "big.yaml"], 3, r"^big\.yaml: is larger than 8 MB")


@item("special file")
def catalogue_missing(folder: Path, _: Bases) -> Case:
    return one_line(["build", "--catalog", "nothing.yaml", "--out", "out"], 3, "nothing.yaml", "not found")


def _with_sample(folder: Path, sample: str) -> Path:
    return _catalogue(folder, "sample: crm.sample.csv", f"sample: {sample}", "crm.yaml")


@item("sample")
def sample_is_dev_zero(folder: Path, _: Bases) -> Case:
    _with_sample(folder, "/dev/zero")
    out = folder / "out"
    out.mkdir()
    return one_line(["build", "--catalog", "crm.yaml", "--sample", "--out", "out"], 3, "/dev/zero", "a device", out)


@item("sample")
def sample_is_a_pipe(folder: Path, _: Bases) -> Case:
    os.mkfifo(folder / "pipe.csv")
    _with_sample(folder, "pipe.csv")
    out = folder / "out"
    out.mkdir()
    return one_line(["build", "--catalog", "crm.yaml", "--sample", "--out", "out"], 3, "pipe.csv", "named pipe", out)


@item("sample")
def sample_not_utf8(folder: Path, _: Bases) -> Case:
    _with_sample(folder, "latin1.csv")
    (folder / "latin1.csv").write_bytes(b"month,input,value\n1,new_leads,12\n2,new_leads,\xe7ok\n")
    out = folder / "out"
    out.mkdir()
    return one_line(["build", "--catalog", "crm.yaml", "--sample", "--out", "out"], 3, "latin1.csv:3:", "UTF-8", out)


@item("sample")
def sample_field_too_long(folder: Path, _: Bases) -> Case:
    _with_sample(folder, "long.csv")
    (folder / "long.csv").write_text(f'month,input,value\n1,new_leads,"{"9" * 131_073}"\n', encoding="utf-8")
    out = folder / "out"
    out.mkdir()
    return one_line(["build", "--catalog", "crm.yaml", "--sample", "--out", "out"], 1, "long.csv:2:", "CSV", out)


@item("sample")
def sample_value_not_finite(folder: Path, _: Bases) -> Case:
    _with_sample(folder, "nan.csv")
    (folder / "nan.csv").write_text("month,input,value\n1,new_leads,12\n2,new_leads,nan\n", encoding="utf-8")
    out = folder / "out"
    out.mkdir()
    return one_line(["build", "--catalog", "crm.yaml", "--sample", "--out", "out"], 1, "nan.csv:3:", "finite", out)


@item("sample")
def sample_value_beyond_excel(folder: Path, _: Bases) -> Case:
    _with_sample(folder, "huge.csv")
    (folder / "huge.csv").write_text("month,input,value\n1,new_leads,1e308\n", encoding="utf-8")
    out = folder / "out"
    out.mkdir()
    return one_line(["build", "--catalog", "crm.yaml", "--sample", "--out", "out"], 1, "huge.csv:2:", "9.99E", out)


@item("special file")
def workbook_is_a_pipe(folder: Path, _: Bases) -> Case:
    os.mkfifo(folder / "pipe.xlsx")
    return one_line(["validate", "pipe.xlsx"], 3, "pipe.xlsx", "")


@item("special file")
def workbook_is_dev_zero(folder: Path, _: Bases) -> Case:
    return one_line(["validate", "/dev/zero"], 3, "/dev/zero", "")


@item("special file")
def workbook_is_a_directory(folder: Path, _: Bases) -> Case:
    (folder / "dir.xlsx").mkdir()
    return one_line(["validate", "dir.xlsx"], 3, "dir.xlsx", "director")


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
    return one_line(["validate", "crm.xlsx"], 3, "crm.xlsx", "")


@item("import")
def import_data_is_a_pipe(folder: Path, _: Bases) -> Case:
    os.mkfifo(folder / "data.csv")
    out = folder / "out"
    out.mkdir()
    return one_line(["import", "data.csv", "--out", "out/filled.xlsx"], 3, "data.csv", "named pipe", out)


@item("import")
def import_data_is_dev_zero(folder: Path, _: Bases) -> Case:
    os.symlink("/dev/zero", folder / "zero.csv")
    out = folder / "out"
    out.mkdir()
    return one_line(["import", "zero.csv", "--out", "out/filled.xlsx"], 3, "zero.csv", "a device", out)


@item("import")
def import_data_not_utf8(folder: Path, _: Bases) -> Case:
    (folder / "data.csv").write_bytes(b"month,input,value\n1,new_leads,12\n2,new_leads,\xe7ok\n")
    out = folder / "out"
    out.mkdir()
    return one_line(["import", "data.csv", "--out", "out/filled.xlsx"], 3, "data.csv:3:", "UTF-8", out)


@item("import")
def import_data_is_a_zip_bomb(folder: Path, _: Bases) -> Case:
    bomb = hostile.ratio_bomb(folder)
    out = folder / "out"
    out.mkdir()
    return one_line(["import", bomb.name, "--out", "out/filled.xlsx"], 3, bomb.name, "zip bomb", out)


@item("import")
def import_mapping_is_a_pipe(folder: Path, _: Bases) -> Case:
    os.mkfifo(folder / "map.yaml")
    (folder / "data.csv").write_text("month,input,value\n1,new_leads,12\n", encoding="utf-8")
    out = folder / "out"
    out.mkdir()
    args = ["import", "data.csv", "--mapping", "map.yaml", "--out", "out/filled.xlsx"]
    return one_line(args, 3, "map.yaml", "named pipe", out)


@item("import")
def batch_list_is_a_pipe(folder: Path, _: Bases) -> Case:
    os.mkfifo(folder / "list.csv")
    out = folder / "out"
    out.mkdir()
    return one_line(["build", "--batch", "list.csv", "--out", "out"], 3, "list.csv", "named pipe", out)


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


# ------------------------------------------------------------------------------------------ outputs


@item("output")
def existing_output_without_force(folder: Path, bases: Bases) -> Case:
    target = shutil.copyfile(bases.calculated, folder / "mine.xlsx")
    return Case(["build", "--out", "mine.xlsx"], 4, r"^Error: mine\.xlsx: already exists", unchanged=[target])


@item("output")
def output_folder_is_a_file(folder: Path, _: Bases) -> Case:
    (folder / "out").write_text("a file, not a folder", encoding="utf-8")
    return Case(["build", "--out", "out/crm.xlsx"], 4, r"^Error: out", unchanged=[folder / "out"])


# ------------------------------------------------------------------------------------------ options


def _bad_option(args: list[str], option: str, why: str) -> Make:
    def make(folder: Path, bases: Bases) -> Case:
        book = shutil.copyfile(bases.calculated, folder / "crm.xlsx")
        where = rf"^Error: Invalid value for '{re.escape(option)}': .*{why}"
        return Case([arg.replace("BOOK", book.name) for arg in args], 2, where, unchanged=[book], empty=folder)

    make.__name__ = f"option_{'_'.join(a.strip('-').replace('-', '_') for a in args[:1] + args[-2:])}"
    return make


# Issue 18: --max-* options accepted inf, nan and 1e308 and crashed, and --max-ratio nan turned the
# zip-bomb check off; kpigen serve's --max-upload-mb took nan (switching its limit off) and inf.
item("option")(_bad_option(["validate", "BOOK", "--max-ratio", "nan"], "--max-ratio", "not a finite number"))
item("option")(_bad_option(["validate", "BOOK", "--max-cells", "1e308"], "--max-cells", "not between"))
item("option")(_bad_option(["serve", "--max-upload-mb", "nan"], "--max-upload-mb", "not a number above 0"))
item("option")(_bad_option(["serve", "--max-upload-mb", "inf"], "--max-upload-mb", "not a number above 0"))
