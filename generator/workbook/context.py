"""What every sheet writer needs for one build, gathered once."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from generator.catalog import Catalog
from generator.catalog.model import Kpi, Unit
from generator.formula.address import cell, quote_sheet
from generator.i18n import Texts
from generator.template.layout import Layout
from generator.workbook.styles import AT_RISK, OFF_TRACK, ON_TRACK, Styles

if TYPE_CHECKING:
    from generator.workbook.sheet_carried import CarriedRow
    from generator.workbook.sheet_sources import SourceKpis

TITLE_LIMIT = 32
"""Excel refuses a data validation title longer than this."""


def short_title(text: str, limit: int = TITLE_LIMIT) -> str:
    """A title that fits Excel's limit, cut after a whole word and marked with "…" when too long."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–(") + "…"


FOOTER_LIMIT = 255
"""Excel's limit on a header or footer, formatting codes included."""
FOOTER_COMPANY = 100
"""Characters of the company name a footer shows: what fits beside the page numbers in 8 pt on A4."""

FOOTER_LEFT, FOOTER_RIGHT = "&L&8", "&R&8&P / &N"
"""The footer around the company name: 8 pt, page numbers on the right."""


def footer_text(company: str) -> str:
    """The company as a footer spells it: '&' starts a footer code, so a literal one is doubled."""
    return company.replace("&", "&&")


def shortened_footer(company: str, room: int) -> str:
    """The longest start of ``company`` whose footer spelling and an ellipsis fit in ``room``, cut back
    past any '&' and space at its end: ``Smith & …`` would show a dangling '&' (and half of a
    doubled '&' would start a footer code)."""
    cut = company
    while len(footer_text(cut)) > room - 1:
        cut = cut[:-1]
    return footer_text(cut.rstrip(" &")) + "…"


def footer_room() -> int:
    """Characters the company may take in the footer before it is shortened."""
    return min(FOOTER_LIMIT - len(FOOTER_LEFT) - len(FOOTER_RIGHT), FOOTER_COMPANY)


@dataclass(frozen=True)
class BuildOptions:
    """What a user chooses for one workbook; the catalogue supplies the rest."""

    locale: str = "en"
    company: str = ""
    year: int = 2026
    first_month: int = 1
    currency: str = ""
    sample: bool = False
    fallback: str | None = None
    locales_dir: Path | None = None
    """Where the gettext catalogues are (default: the project's locales/), for new languages."""


@dataclass
class Context:
    catalog: Catalog
    texts: Texts
    options: BuildOptions
    layout: Layout
    workbook: Workbook
    styles: Styles
    values: dict[str, list[float | None]] | None
    """Monthly input values to write (the demo year, or what regeneration and import carry), or None."""
    sheets: dict[str, Worksheet] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """What the build changed and must say (a company name shortened in the footers), once each."""
    targets: Mapping[str, float | None] = field(default_factory=dict)
    tolerances: Mapping[str, float | None] = field(default_factory=dict)
    """Targets and tolerances the user chose (regeneration carries them), by KPI; the catalogue's elsewhere."""
    carried: Sequence[CarriedRow] = ()
    """Values without a place in this catalogue, listed on a "Carried over" sheet."""
    sources: Sequence[SourceKpis] = ()
    """Consolidated workbooks' KPI values for the year, shown side by side on a "Sources" sheet."""
    prior_values: dict[str, list[float | None]] | None = None
    """The prior year's monthly input values to write (rolling into a new year carries them), or None."""
    unit_labels: dict[Unit, str] = field(default_factory=dict)
    """The unit words beside a row, by unit (``unit_label``)."""
    input_validations: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Each input's data validation (its rule and messages), by input: worked out once for the Inputs
    sheet, and the prior year's sheet gives its months the same one."""

    def target(self, kpi: Kpi) -> float | None:
        """The monthly target written for a KPI: the user's, else the catalogue's."""
        return self.targets.get(kpi.id, self.catalog.target(kpi, self.options.currency))

    def tolerance_format(self, kpi: Kpi) -> str:
        """A tolerance reads as a percentage of the target, or as points on the KPI's scale."""
        if not self.catalog.points(kpi.id):
            return self.number_format(Unit.PERCENT, 0)
        label = self.unit_label(Unit.POINTS).replace('"', "")
        return f'{self.number_format(Unit.NUMBER, kpi.decimals)}" {label}"'

    def tolerance(self, kpi: Kpi) -> float:
        found = self.tolerances.get(kpi.id)
        return found if found is not None else self.catalog.tolerance(kpi) or 0.0

    @property
    def _(self) -> Callable[[str], str]:
        return self.texts.gettext

    def number_format(self, unit: Unit, decimals: int) -> str:
        return self.texts.numbers.for_unit(unit, decimals)

    def kpi_format(self, kpi: Kpi) -> str:
        return self.number_format(kpi.unit, kpi.decimals)

    def link(self, sheet_name: str, where: str = "A1") -> str:
        return "internal:" + quote_sheet(sheet_name) + where

    def unit_label(self, unit: Unit) -> str:
        """The short unit shown beside a row: the currency code for money. The words are translated once
        a build (``unit_labels``), not once a row."""
        if unit is Unit.CURRENCY:
            return self.options.currency
        if self.unit_labels:
            return self.unit_labels[unit]
        _ = self._
        labels = self.unit_labels = {
            Unit.COUNT: _("count"),
            Unit.PERCENT: _("%"),
            Unit.RATIO: _("%"),
            Unit.MINUTES: _("minutes"),
            Unit.DAYS: _("days"),
            Unit.YEARS: _("years"),
            Unit.POINTS: _("points"),
            Unit.NUMBER: _("number"),
            Unit.SCORE: _("score"),
        }
        return labels[unit]

    def title(self, sheet: Worksheet, text: str) -> None:
        """The sheet's title in row 2, tall enough for its large font."""
        sheet.set_row(1, 32)
        sheet.write_string(1, 1, self.texts.upper(text), self.styles("title"))

    def back_link(self, sheet: Worksheet, row: int = 0, col: int = 0) -> None:
        """Every sheet but the start page links back to it."""
        _ = self._
        sheet.write_url(
            row,
            col,
            self.link(self.layout.sheets.start),
            self.styles("back"),
            string="← " + _("Start"),
            tip=_("Back to the start page"),
        )

    def page_setup(self, sheet: Worksheet, *, repeat_rows: tuple[int, int] | None = None) -> None:
        """A4 landscape, one page wide, as a template shop would ship it."""
        sheet.set_paper(9)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        sheet.center_horizontally()
        if repeat_rows is not None:
            sheet.repeat_rows(*repeat_rows)
        sheet.set_footer(self.footer())

    def footer(self) -> str:
        """Company left, page numbers right. Excel drops a footer over 255 characters (XlsxWriter then
        removes it from every sheet), and past about 100 characters the company runs into the page
        numbers on A4 landscape: a longer name is shortened there with an ellipsis, and said so."""
        company = footer_text(self.options.company)
        room = footer_room()
        if len(company) > room:
            company = shortened_footer(self.options.company, room)
            note = (
                f"company name shortened to {len(company.replace('&&', '&'))} characters in the page footers "
                "(a longer one runs into the page numbers)"
            )
            if note not in self.notes:
                self.notes.append(note)
        return FOOTER_LEFT + company + FOOTER_RIGHT

    def colour_status(self, sheet: Worksheet, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """Green, amber, red for cells holding 1, 0, -1; blank cells (which equal 0 to Excel) stay plain."""
        here = cell(first_row, first_col)
        for code, (fill, font) in ((1, ON_TRACK), (0, AT_RISK), (-1, OFF_TRACK)):
            sheet.conditional_format(
                first_row,
                first_col,
                last_row,
                last_col,
                {
                    "type": "formula",
                    "criteria": f"=AND(ISNUMBER({here}),{here}={code})",
                    "format": self.styles.conditional(fill, font),
                },
            )

    def protect(self, sheet: Worksheet) -> None:
        """Protect formulas without a password: a user may unprotect, but not by accident."""
        sheet.protect(
            "",
            {
                "format_cells": True,
                "format_columns": True,
                "format_rows": True,
                "select_locked_cells": True,
                "select_unlocked_cells": True,
            },
        )
