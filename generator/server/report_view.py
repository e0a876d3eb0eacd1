"""A validation report shaped for the report page: findings grouped by sheet, each with an anchor.

Each finding links to its sheet's section and carries its own anchor (``#Inputs!E7``), so a
person can point someone else at exactly one cell of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.validate.findings import Finding, plain, printable
from generator.validate.report import Report


@dataclass
class SheetGroup:
    name: str
    anchor: str
    findings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ReportView:
    file: str
    template: dict[str, Any]
    errors: int
    warnings: int
    kpis_checked: int
    cells_compared: int
    formulas_compared: int
    groups: list[SheetGroup]


def _anchor(finding: Finding, number: int, seen: set[str]) -> str:
    """``Inputs!E7``; a second finding on the same cell gets ``Inputs!E7-2``; ids have no spaces."""
    base = "_".join(printable(finding.where).split()) or f"finding-{number}"
    anchor, count = base, 1
    while anchor in seen:
        count += 1
        anchor = f"{base}-{count}"
    seen.add(anchor)
    return anchor


def _row(finding: Finding, anchor: str) -> dict[str, Any]:
    where = finding.where
    return {
        "anchor": anchor,
        "severity": finding.severity.value,
        "code": finding.code,
        "sheet": finding.sheet or "",
        "cell": finding.cell or "",
        "where": printable(where),
        "subject": printable(finding.input or finding.kpi or ""),
        "month": printable(finding.month or ""),
        "value": "" if finding.value is None else printable(str(plain(finding.value))),
        "expected": "" if finding.expected is None else printable(str(plain(finding.expected))),
        "message": printable(finding.message),
    }


def report_view(report: Report) -> ReportView:
    groups: dict[str, SheetGroup] = {}
    seen: set[str] = set()
    for number, finding in enumerate(report.findings, start=1):
        name = finding.sheet or ""
        if name not in groups:
            groups[name] = SheetGroup(printable(name), f"sheet-{len(groups) + 1}")
        groups[name].findings.append(_row(finding, _anchor(finding, number, seen)))
    return ReportView(
        file=printable(report.file),
        template={key: printable(str(value)) for key, value in report.template.items() if value is not None},
        errors=report.errors,
        warnings=report.warnings,
        kpis_checked=report.kpis_checked,
        cells_compared=report.cells_compared,
        formulas_compared=report.formulas_compared,
        groups=list(groups.values()),
    )
