"""What every check needs, gathered once: the file, its catalogue and layout, the language, the findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator.catalog import Catalog
from generator.catalog.catalog import in_locale
from generator.formula.address import cell
from generator.formula.expr import refs
from generator.formula.reference import Area
from generator.i18n import Messages
from generator.template.layout import INPUT_GRID, Layout
from generator.validate.book import Book
from generator.validate.findings import Finding, Scalar, Severity, show


@dataclass
class Located:
    """Where the template's parts are in this file, found by defined name."""

    layout: Layout
    ranges: dict[str, Area]
    """Every expected name that points at cells of the template's shape on an existing sheet."""
    inputs: set[str]
    kpis: set[str]
    targets: set[str]
    """Inputs, KPIs and targets whose rows are known (the rest are reported and skipped)."""
    labels_row: int | None = None
    """Row of the month labels on the Inputs sheet, when ``month_labels`` resolves."""

    def kpi_located(self, catalog: Catalog, kpi_id: str) -> bool:
        """A KPI can be checked when its row and every input its formula reads are known."""
        return kpi_id in self.kpis and all(name in self.inputs for name in refs(catalog.formulas[kpi_id]))


@dataclass
class Check:
    book: Book
    catalog: Catalog
    messages: Messages
    located: Located
    labels: list[str] = field(default_factory=list)
    """Twelve month labels, as the file shows them (or as it would)."""
    findings: list[Finding] = field(default_factory=list)
    flagged: set[tuple[str, int, int]] = field(default_factory=set)
    """Cells already reported as a wrong formula: their values are not compared again."""
    merged: list[Area] = field(default_factory=list)
    """Merged blocks on the inputs sheet (``Book.merged``): months typed there read differently per program."""

    @property
    def gettext(self) -> Callable[[str], str]:
        return self.messages.gettext

    @property
    def layout(self) -> Layout:
        return self.located.layout

    def add(
        self,
        severity: Severity,
        code: str,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        col: int | None = None,
        input: str | None = None,
        kpi: str | None = None,
        month: str | None = None,
        value: Scalar = None,
        expected: Scalar = None,
    ) -> None:
        address = cell(row, col) if row is not None and col is not None else None
        self.findings.append(Finding(severity, code, message, sheet, address, input, kpi, month, value, expected))

    def add_input(
        self, severity: Severity, code: str, message: str, input_id: str, month: int, value: Scalar, expected: Scalar
    ) -> None:
        """A finding about one month's cell of an input row (index 0-11 of the fiscal year)."""
        self.add(
            severity,
            code,
            message,
            sheet=self.layout.sheets.inputs,
            row=self.layout.input_rows[input_id],
            col=INPUT_GRID.month(month),
            input=input_id,
            month=self.labels[month],
            value=value,
            expected=expected,
        )

    def periods(self) -> list[str]:
        """Labels of the 17 period columns: the file's months, then the quarters and the year to date."""
        _ = self.gettext
        return [*self.labels, _("Q1"), _("Q2"), _("Q3"), _("Q4"), _("Year to date")]

    def input_name(self, input_id: str) -> str:
        return pick(self.catalog.inputs[input_id].name, self.messages.locale, self.catalog) or input_id

    def kpi_name(self, kpi_id: str) -> str:
        return kpi_name(self.catalog, kpi_id, self.messages.locale)

    def pick(self, text: dict[str, str]) -> str:
        return pick(text, self.messages.locale, self.catalog)

    def show(self, value: float | None) -> str:
        """A number for a message, in the messages' locale (``findings.show``)."""
        return show(value, self.messages.locale)


def pick(text: dict[str, str], locale: str, catalog: Catalog) -> str:
    """A catalogue text in the workbook's language, else the catalogue's default, else any."""
    found = in_locale(text, locale, catalog.default_locale, "en")
    return found if found is not None else next(iter(text.values()), "")


def kpi_name(catalog: Catalog, kpi_id: str, locale: str) -> str:
    texts = in_locale(catalog.kpis[kpi_id].texts, locale, catalog.default_locale)
    return texts.name if texts is not None else kpi_id
