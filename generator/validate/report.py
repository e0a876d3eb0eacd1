"""The validation result and its three renderings: a terminal table, JSON (schema kpigen.validation/1), CSV.

The JSON and CSV shapes are a contract for other tools (docs/validation.md): add fields, never
rename or remove them without a new schema version.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generator.validate.findings import Finding, Severity, plain, printable
from generator.validate.recompute import KpiResult

SCHEMA = "kpigen.validation/1"
CSV_FIELDS = ("severity", "code", "sheet", "cell", "input", "kpi", "month", "value", "expected", "message")


@dataclass
class Report:
    file: str
    template: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)
    kpis: dict[str, KpiResult] = field(default_factory=dict)
    kpis_checked: int = 0
    cells_compared: int = 0
    formulas_compared: int = 0
    recalculated: bool = False
    """True when --recalc had LibreOffice recalculate a copy before checking."""
    gettext: Callable[[str], str] = field(default=lambda text: text, repr=False, compare=False)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    def exit_code(self, strict: bool = False) -> int:
        """0 clean, 1 when errors were found (or warnings, with ``strict``)."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "file": self.file,
            "template": dict(self.template),
            "recalculated": self.recalculated,
            "summary": {
                "errors": self.errors,
                "warnings": self.warnings,
                "kpis_checked": self.kpis_checked,
                "cells_compared": self.cells_compared,
                "formulas_compared": self.formulas_compared,
            },
            "findings": [f.as_dict() for f in self.findings],
            "kpis": {kpi_id: result.as_dict() for kpi_id, result in self.kpis.items()},
        }


def to_json(report: Report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def to_csv(report: Report) -> str:
    """One row per finding, with a header row; an empty report is the header alone.

    Text that a spreadsheet would run as a formula (starting with = + - @) gets a leading
    apostrophe: the values come from an untrusted file, and CSV files get opened in Excel.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for finding in report.findings:
        row = finding.as_dict()
        writer.writerow({key: _csv_cell(row[key]) for key in CSV_FIELDS})
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}
_WIDE = 28
"""Widest a value or expected cell gets in the table (formulas are long: the message says the rest)."""


def to_table(report: Report, colour: bool = True) -> str:
    """A readable table for the terminal; ``colour`` adds ANSI colours (click strips them when not a terminal)."""
    import click

    _ = report.gettext
    template = report.template
    lines = [
        _("{file}: catalogue {catalog_id} {catalog_version}, locale {locale}").format(
            file=printable(report.file),
            catalog_id=printable(str(template.get("catalog_id") or "?")),
            catalog_version=printable(str(template.get("catalog_version") or "?")),
            locale=printable(str(template.get("locale") or "?")),
        )
    ]
    if report.findings:
        words = {Severity.ERROR: _("error"), Severity.WARNING: _("warning")}
        header = [_("Severity"), _("Where"), _("Input / KPI"), _("Month"), _("Value"), _("Expected"), _("Message")]
        rows = [
            [
                printable(text)
                for text in (
                    words[f.severity],
                    f.where,
                    f.input or f.kpi or "",
                    f.month or "",
                    _cut(f.value),
                    _cut(f.expected),
                    f.message,
                )
            ]
            for f in report.findings
        ]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
        width = shutil.get_terminal_size((160, 24)).columns

        def line(cells: list[str], severity: Severity | None = None) -> str:
            parts = [cells[i].ljust(widths[i]) for i in range(len(widths))]
            if severity is not None and colour:
                parts[0] = click.style(parts[0], fg=_COLOURS[severity], bold=severity is Severity.ERROR)
            head = "  ".join(parts)
            room = max(width - sum(widths) - 2 * len(widths), 40)
            return head + "  " + _wrap(cells[-1], room, sum(widths) + 2 * len(widths))

        lines.append(click.style(line(header), bold=True) if colour else line(header))
        lines += [line(row, finding.severity) for row, finding in zip(rows, report.findings, strict=True)]
    summary = _(
        "Errors: {errors}, warnings: {warnings}; KPIs checked: {kpis}, values compared: {cells}, formulas "
        "compared: {formulas}."
    ).format(
        errors=report.errors,
        warnings=report.warnings,
        kpis=report.kpis_checked,
        cells=report.cells_compared,
        formulas=report.formulas_compared,
    )
    if not report.findings:
        summary = _("No problems found.") + " " + summary
    if report.recalculated:
        summary += " " + _("(Checked a copy recalculated by LibreOffice; the file itself was not changed.)")
    lines.append(summary)
    return "\n".join(lines) + "\n"


def _cut(value: Any) -> str:
    text = "" if value is None else str(plain(value))
    return text if len(text) <= _WIDE else text[: _WIDE - 1] + "…"


def _wrap(text: str, room: int, indent: int) -> str:
    """Wrap the message column so long messages stay readable beside the other columns."""
    import textwrap

    parts = textwrap.wrap(text, room) or [""]
    return ("\n" + " " * indent).join(parts)
