"""Options that several commands share, declared once so their names and help agree."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator.paths import DEFAULT_CATALOG

F = TypeVar("F", bound=Callable[..., Any])


class CatalogSpec(click.ParamType[Path, Any]):
    """``--catalog``: a bundled id (``crm``, ``bsc``) or a file, given to the command as a path."""

    name = "ID|FILE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        if isinstance(value, Path):
            return value
        from generator.catalog.bundled import resolve_catalog
        from generator.errors import UserError

        try:
            return resolve_catalog(str(value))
        except UserError as error:
            self.fail(error.message, param, ctx)


class Positive(click.ParamType[float, Any]):
    """A finite number above 0 and at most ``high``: click's FloatRange lets nan and inf through."""

    name = "number"

    def __init__(self, high: float) -> None:
        self.high = high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not 0 < number <= self.high:  # false for nan too
            self.fail(f"{value} is not a number above 0 and at most {self.high:g}", param, ctx)
        return number


class MonthNumber(click.ParamType[int, Any]):
    """``--first-month``: a month's number, 1-12. A month's name is refused with its number as the
    hint (``Nisan`` is 4), since click's own wording says nothing of what is wanted."""

    name = "1-12"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from generator.template.options import OptionError, check_first_month

        text = str(value).strip()
        if isinstance(value, int) or text.lstrip("-").isdigit():
            try:
                return check_first_month(int(text))
            except OptionError as error:  # the rule and sentence the server uses too
                self.fail(error.message, param, ctx)
        from generator.i18n.formats import month_names

        folded = text.casefold()
        for locale in ("en", "tr"):
            for width in ("wide", "abbreviated"):
                names = [name.casefold() for name in month_names(locale, width)]
                if folded in names:
                    number = names.index(folded) + 1
                    self.fail(f"{text!r} is a month's name; give its number, {number} (months are 1-12)", param, ctx)
        self.fail(f"{text!r} is not a month number; give 1 to 12 (4 for April)", param, ctx)


class ExchangeRate(click.ParamType[float, Any]):
    """``--exchange-rate``: the library's rule (``check_rate``), as the server applies it too."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        from generator.template.options import OptionError, check_rate

        try:
            rate = check_rate(value)
        except OptionError as error:
            self.fail(error.message, param, ctx)
        if rate is None:
            self.fail("an exchange rate is a number, such as 34.5", param, ctx)
        return rate


def catalog_option(function: F) -> F:
    return click.option(
        "--catalog",
        "catalog_path",
        type=CatalogSpec(),
        default=DEFAULT_CATALOG,
        show_default=True,
        help="A bundled catalogue (see 'kpigen catalog list') or a catalogue file (YAML or JSON).",
    )(function)


def workbook_settings(function: F) -> F:
    """--locale, --company, --year, --first-month, --currency, --fallback: what a new workbook shows."""
    for option in reversed(
        [
            click.option("--locale", default="en", show_default=True, help="Language of the workbook."),
            click.option("--company", default="", help="Company name shown on every sheet."),
            click.option(
                "--year",
                type=int,
                default=None,
                help="Fiscal year (the year of its first month). [default: from the data's dates, else this year]",
            ),
            click.option(
                "--first-month",
                type=MonthNumber(),
                default=None,
                help="First month of the fiscal year, 1-12. [default: from the data's dates, else 1]",
            ),
            click.option("--currency", default="", help="ISO 4217 code for money. [default: the locale's currency]"),
            click.option(
                "--fallback",
                default=None,
                metavar="LOCALE",
                help="Use this locale's text where the chosen locale lacks one, listing each as a warning.",
            ),
        ]
    ):
        function = option(function)
    return function


def force_option(function: F) -> F:
    return click.option("--force", is_flag=True, help="Replace an existing output file.")(function)
