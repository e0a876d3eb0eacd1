"""Import: read a table, turn it into monthly values, and build a filled workbook from them.

Usable without the command line: ``import_file(ImportRequest(...))``. The workbook is written by
the generator (never by editing a file), atomically, and an existing file is kept unless
``options.force``. With ``options.strict``, any cell that cannot be used refuses the import before
anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.catalog import Catalog
from generator.errors import DataError
from generator.output import plan_workbook_output, write_planned
from generator.transfer.import_options import ImportOptions
from generator.transfer.import_table import Imported, read_values
from generator.transfer.mapping import read_mapping
from generator.transfer.table import read_table


@dataclass(frozen=True)
class ImportRequest:
    data: Path
    catalog: Catalog
    options: ImportOptions
    mapping: Path | None = None
    sheet: str | None = None


@dataclass
class ImportResult:
    imported: Imported
    data: bytes
    out: Path
    warnings: list[str] = field(default_factory=list)
    unlisted: int = 0
    """Issues beyond ``MAX_LISTED_ISSUES``, counted but not in ``warnings``."""

    @property
    def inputs_filled(self) -> int:
        return sum(1 for row in self.imported.values.values() if any(v is not None for v in row))


def import_file(request: ImportRequest) -> ImportResult:
    from generator.workbook.build import build_workbook, default_file_name

    chosen = request.options
    plan_out = plan_workbook_output(chosen.out, force=chosen.force, reads=[request.data])
    renamed: list[str] = []
    mapping = read_mapping(request.mapping, request.catalog, renamed) if request.mapping else {}
    table = read_table(request.data, request.sheet)
    if next(iter(table.rows()), None) is None:  # one chunk read to know; the rows are walked again below
        what = "has a header but no rows" if table.headers else "is empty"
        raise DataError(f"{request.data}: the table {what}; no value could be read")
    checked = chosen.checked()
    imported = read_values(
        table, request.catalog, checked.locale, year=chosen.year, first_month=chosen.first_month, mapping=mapping
    )
    label = str(request.data)
    unlisted = imported.issue_count - len(imported.issues)
    if imported.issues and chosen.strict:
        lines = [f"{label}: {issue}" for issue in imported.issues]
        lines += [f"{label}: ... and {unlisted} more problems, not listed"] if unlisted else []
        raise DataError(f"{imported.issue_count} problems, nothing written (--strict):\n" + "\n".join(lines))
    if imported.count == 0:
        raise DataError(
            f"{label}: no value could be read"
            + (f" ({imported.issue_count} problems, the first: {imported.issues[0]})" if imported.issues else "")
        )
    options = chosen.for_year(checked, imported.year, imported.first_month)
    built = build_workbook(request.catalog, options, values=imported.values, prior_values=imported.prior or None)
    out = write_planned(
        plan_out,
        default_file_name(request.catalog, built.options),
        built.data,
        force=chosen.force,
        reads=[request.data],
    )
    warnings = [f"{label}: {issue}" for issue in imported.issues] + built.warnings
    if renamed:
        warnings.insert(0, request.catalog.renamed_note(str(request.mapping), renamed))
    if imported.renamed:
        warnings.insert(0, request.catalog.renamed_note(label, imported.renamed))
    return ImportResult(imported, built.data, out, warnings, unlisted)
