"""Validate a filled workbook: ``validate(path, Options()) -> Report``, usable without the CLI.

Order matters: identify the template (document properties), locate its parts (defined names),
check the typed inputs, check the formulas, then recompute the KPIs and compare them with the
file's values. The file is only read; with ``recalc`` LibreOffice recalculates a copy in a
temporary folder first.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from generator.errors import UnreadableWorkbook, UserError
from generator.validate.reader import inspect_file
from generator.validate.report import Report
from generator.validate.safe_open import ReadLimits

if TYPE_CHECKING:
    from collections.abc import Callable

    from generator.catalog import Catalog
    from generator.recalc import LibreOffice
    from generator.validate.book import Book
    from generator.validate.findings import Finding
    from generator.validate.identify import TemplateInfo

T = TypeVar("T")


@dataclass(frozen=True)
class Options:
    catalog: Path | None = None
    """The catalogue to check against; default: kpi_catalog/<the file's catalog_id>.yaml."""
    recalc: bool = False
    """Have LibreOffice recalculate a copy first (for files saved without calculated values)."""
    limits: ReadLimits = field(default_factory=ReadLimits)
    office: LibreOffice | None = None
    """A LibreOffice to reuse for ``recalc`` (tests and benchmarks keep one profile warm)."""


def validate(path: Path | str, options: Options | None = None) -> Report:
    """Check one workbook; raises UnreadableWorkbook (exit code 2) when it cannot be read or identified."""
    options = options or Options()
    path = Path(path)
    label = str(path)
    if not options.recalc:
        return _validate(path, label, options, recalculated=False)
    with tempfile.TemporaryDirectory(prefix="kpigen-validate-") as folder:
        copy = _recalculated_copy(path, Path(folder), options)
        return _validate(copy, label, options, recalculated=True)


def _recalculated_copy(path: Path, folder: Path, options: Options) -> Path:
    """A LibreOffice-recalculated copy of ``path``; the original is only read, and never handed to LibreOffice."""
    inspect_file(path, options.limits)  # refuse a hostile or wrong-kind file before copying it anywhere
    source = folder / "in" / "workbook.xlsx"
    source.parent.mkdir()
    shutil.copyfile(path, source)
    _relabel(lambda: inspect_file(source, options.limits), source, str(path))  # the copy is what LibreOffice reads
    from generator.recalc import LibreOffice

    office = options.office or LibreOffice()
    try:
        return office.recalculate([source], folder / "out")[0]
    finally:
        if options.office is None:
            office.close()


def _relabel(action: Callable[[], T], actual: Path, label: str) -> T:
    """Run ``action``; a refusal about a temporary copy names the user's file instead."""
    try:
        return action()
    except UnreadableWorkbook as error:
        message = error.message
        if message.startswith(str(actual)):
            message = label + message[len(str(actual)) :]
        raise UnreadableWorkbook(message) from None


def _validate(path: Path, label: str, options: Options, recalculated: bool) -> Report:
    from generator.validate.book import Book
    from generator.validate.identify import TemplateInfo, recognise, template_catalog

    book = _relabel(lambda: Book.open(path, options.limits), path, label)
    info = TemplateInfo(book.properties())
    if info.get("catalog_id") is None and options.catalog is None:
        info = recognise(book) or info
    catalog = template_catalog(info, options.catalog, label)
    try:
        return _check(path, book, info, catalog, label, recalculated)
    except (UserError, MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # a readable file must never end in a traceback; say what broke instead
        reason = " ".join(str(exc).split())[:160]
        raise UnreadableWorkbook(
            f"{label}: could not be validated ({type(exc).__name__}: {reason}); this is a bug in kpigen: "
            "please report it with the file if you can"
        ) from None


def _position(sheets: list[str], finding: Finding) -> tuple[int, ...]:
    """Sort key: findings about the whole file first (in the order found), then by sheet, row and column."""
    import re

    from generator.formula.reference import column_index

    found = re.fullmatch(r"([A-Z]+)([0-9]+)", finding.cell or "")
    if found is None or finding.sheet not in sheets:
        return (0,)
    return (1, sheets.index(finding.sheet), int(found.group(2)), column_index(found.group(1)))


def _check(path: Path, book: Book, info: TemplateInfo, catalog: Catalog, label: str, recalculated: bool) -> Report:
    from generator.validate.calculated import check_calculated
    from generator.validate.context import Check
    from generator.validate.findings import Code
    from generator.validate.formulas import check_formulas
    from generator.validate.identify import identity_findings, load_messages
    from generator.validate.inputs import check_inputs
    from generator.validate.locate import locate, month_labels
    from generator.validate.recompute import compare, recompute, report_never_calculated
    from generator.validate.settings import check_settings

    messages = load_messages(info.locale)
    findings = identity_findings(info, catalog, messages.gettext)
    located, structure = locate(book, catalog, messages)
    check = Check(book, catalog, messages, located, findings=findings + structure)
    check.labels = month_labels(book, located, info)
    if located.layout.sheets.inputs:
        check.merged = book.merged(located.layout.sheets.inputs)
    # A broken setting, a missing sheet or a missing or broken name is the thing to fix, reported where
    # it is; the values that depend on it (#REF!, #NAME?, empty labels) are then not called stale.
    broken = {Code.MISSING_SHEET, Code.MISSING_NAME, Code.BROKEN_NAME, Code.MOVED_CELLS}
    trusted = check_settings(check) and not any(f.code in broken for f in check.findings)
    typed = check_inputs(check)
    formulas = check_formulas(check)
    results = recompute(check, typed)
    calculated = check_calculated(check, trusted=trusted)
    kpis = cells = 0
    if calculated.never:
        if trusted:
            report_never_calculated(check)
    else:
        kpis, cells = compare(check, typed, results)
    check.findings.sort(key=lambda finding: _position(book.sheetnames, finding))
    template: dict[str, Any] = info.as_dict()
    template["first_month"] = info.first_month
    template["catalog_source"] = str(catalog.source)
    template["catalog_source_version"] = catalog.version
    return Report(label, template, check.findings, results, kpis, cells, formulas, recalculated, messages.gettext)
