"""Corpus items: catalogues that must be refused with file:line:column, never a traceback."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.corpus.model import CRM, SAMPLE, Bases, Case, item

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
_FORMULA = "    formula: email_unique_clicks / emails_sent\n"


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
    return _check(_catalogue(folder, _FORMULA, f"    formula: email_unique_clicks / emails_sent * {'1' * 401}\n"))


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


@item("catalogue")
def catalogue_quoted_infinite_bound(folder: Path, _: Bases) -> Case:
    return _check(_catalogue(folder, "    min: 0\n", '    min: "-1e400"\n'))
