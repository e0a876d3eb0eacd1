"""What a user chooses for an imported workbook, shared by the monthly import and the raw CRM import.

Both imports take the same options on the command line and treat them the same way, so they are
kept once here. ``BuildOptions`` (the workbook stage) cannot carry them: an import leaves the year
and first month to the data unless given, and it also decides where the file goes, whether an
existing one is replaced and whether an unusable cell refuses the whole import.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.workbook.context import BuildOptions


@dataclass(frozen=True)
class ImportOptions:
    out: Path | str
    """The workbook to write: a file name ending in .xlsx, or a folder that receives the default name."""
    locale: str = "en"
    company: str = ""
    year: int | None = None
    first_month: int | None = None
    """None: from the data's dates."""
    currency: str = ""
    fallback: str | None = None
    strict: bool = False
    """Any cell that cannot be used refuses the import before anything is written."""
    force: bool = False
    """Replace an existing file at ``out``."""

    def checked(self) -> BuildOptions:
        """The locale, company and currency checked (the currency defaulted to the locale's), so that
        a bad one is refused before the data is judged."""
        from generator.workbook.build import resolve_options
        from generator.workbook.context import BuildOptions

        return resolve_options(
            BuildOptions(locale=self.locale, company=self.company, currency=self.currency, fallback=self.fallback)
        )

    def for_year(self, checked: BuildOptions, year: int, first_month: int) -> BuildOptions:
        """The options the workbook is built with, once the data has settled its fiscal year."""
        from generator.workbook.context import BuildOptions

        return BuildOptions(
            locale=checked.locale,
            company=self.company,
            year=year,
            first_month=first_month,
            currency=checked.currency,
            fallback=self.fallback,
        )
