"""Consolidate: several teams' filled workbooks into one workbook of the company's totals.

The workbooks must be of one catalogue (id and version), one currency and one fiscal year
(year and first month); anything else is refused with the reason, before anything is written.
Inputs are combined by their kind (``combine``), KPIs recomputed from the combined inputs by
the generator's own formulas, and a "Sources" sheet shows each workbook's KPI values for the
year beside the total. Targets and tolerances all the workbooks agree on are kept; where they
differ, the catalogue's are used and a warning says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import DataError, UserError
from generator.output import plan_workbook_output, write_planned
from generator.template.periods import kpi_values
from generator.transfer.combine import combine
from generator.transfer.filled import Filled, read_filled, same_number


@dataclass(frozen=True)
class ConsolidateRequest:
    sources: Sequence[Path]
    out: Path | str
    catalog: Path | None = None
    locale: str | None = None
    company: str | None = None
    force: bool = False


@dataclass
class ConsolidateResult:
    sources: list[Filled]
    values: dict[str, list[float | None]]
    data: bytes
    out: Path
    warnings: list[str] = field(default_factory=list)


def check_compatible(books: Sequence[Filled]) -> None:
    """Refuse workbooks that cannot be added up, naming the file and what differs."""
    first = books[0]

    def identity(book: Filled) -> dict[str, object]:
        return {
            "catalogue": book.catalog_id,
            "catalogue version": book.catalog_version,
            "currency": book.settings.currency,
            "fiscal year": book.settings.year,
            "first month of the fiscal year": book.settings.first_month,
        }

    expected = identity(first)
    for what, value in expected.items():
        if value is None:
            raise DataError(f"{first.path}: its {what} cannot be read; fix the Settings sheet first")
    for book in books[1:]:
        for what, value in identity(book).items():
            if value != expected[what]:
                raise DataError(
                    f"{book.path}: {what} {value} differs from {first.path}'s {expected[what]}; "
                    "only workbooks of one catalogue version, currency and fiscal year can be consolidated"
                )


def consolidate(request: ConsolidateRequest) -> ConsolidateResult:
    from generator.workbook.build import build_workbook, default_file_name
    from generator.workbook.context import BuildOptions
    from generator.workbook.sheet_sources import SourceKpis

    if len(request.sources) < 2:
        raise UserError("consolidate needs at least two workbooks")
    reads = [Path(p) for p in request.sources]
    refuse_twice(reads)
    plan_out = plan_workbook_output(request.out, force=request.force, reads=reads)
    books = [read_filled(path, request.catalog) for path in request.sources]
    check_compatible(books)
    first = books[0]
    catalog = first.catalog
    combined = combine(catalog, [book.inputs for book in books])
    warnings = list(combined.warnings)
    prior = None
    if any(v is not None for book in books for row in book.prior_inputs.values() for v in row):
        # the prior year is added up by the same rules; its warnings say the same as this year's
        prior = combine(catalog, [book.prior_inputs for book in books]).values
    targets, tolerances = _agreed(books, "targets", warnings), _agreed(books, "tolerances", warnings)
    options = BuildOptions(
        locale=request.locale or first.locale,
        company=request.company if request.company is not None else first.settings.company or "",
        year=first.settings.year or 0,
        first_month=first.settings.first_month or 1,
        currency=first.settings.currency or "",
    )
    sources = [
        SourceKpis(_label(book), {k: row[-1] for k, row in kpi_values(catalog, book.inputs).items()}) for book in books
    ]
    built = build_workbook(
        catalog,
        options,
        values=combined.values,
        targets=targets,
        tolerances=tolerances,
        sources=sources,
        prior_values=prior,
    )
    out = write_planned(
        plan_out, default_file_name(catalog, built.options), built.data, force=request.force, reads=reads
    )
    return ConsolidateResult(books, combined.values, built.data, out, warnings + built.warnings)


def refuse_twice(paths: Sequence[Path]) -> None:
    """Refuse one workbook given twice, by content (a copy under another name too): its values would
    be added to themselves without a word. A file that cannot be read is left to the reader's refusal."""
    import hashlib

    seen: dict[str, Path] = {}
    for path in paths:
        try:
            with path.open("rb") as file:
                digest = hashlib.file_digest(file, "sha256").hexdigest()
        except OSError:
            continue
        if digest in seen:
            same = "the same file" if seen[digest].resolve() == path.resolve() else "the same content"
            raise UserError(
                f"{seen[digest]} and {path} are {same}: consolidating a workbook with itself would double every "
                "value; give each workbook once"
            )
        seen[digest] = path


def _label(book: Filled) -> str:
    company = book.settings.company
    return f"{company} ({book.path.name})" if company else book.path.name


def _agreed(books: Sequence[Filled], kind: str, warnings: list[str]) -> dict[str, float | None]:
    """The targets (or tolerances) every workbook has the same; the others fall back to the catalogue."""
    agreed: dict[str, float | None] = {}
    differing: list[str] = []
    first: dict[str, float | None] = getattr(books[0], kind)
    for kpi_id, value in first.items():
        if all(kpi_id in getattr(b, kind) and same_number(getattr(b, kind)[kpi_id], value) for b in books[1:]):
            agreed[kpi_id] = value
        else:
            differing.append(kpi_id)
    if differing:
        warnings.append(f"{kind} differ between the workbooks for {', '.join(differing)}: the catalogue's are used")
    return agreed
