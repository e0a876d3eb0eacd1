"""The catalogue file format as typed structures.

These structs are the single description of a catalogue file: the loader decodes YAML into
them and ``kpi_catalog/schema.json`` is generated from them, so the schema an editor uses
and the checks the engine runs cannot drift apart.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

import msgspec

Id = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
LocaleCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]
CurrencyCode = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{3}$")]
"""An ISO 4217 code such as USD, TRY, JPY."""
Text = dict[str, str]
"""A text per locale code, e.g. ``{"en": "Churn rate", "tr": "Müşteri kaybetme oranı"}``."""


class Unit(StrEnum):
    COUNT = "count"
    CURRENCY = "currency"
    PERCENT = "percent"
    RATIO = "ratio"
    MINUTES = "minutes"
    DAYS = "days"
    YEARS = "years"
    POINTS = "points"
    NUMBER = "number"
    SCORE = "score"


class Aggregation(StrEnum):
    """How an input combines over several months (see kpi-reference, "Time aggregation")."""

    FLOW = "flow"
    OPENING = "opening"
    CLOSING = "closing"
    LEVEL = "level"
    DISTINCT = "distinct"
    """A count of distinct customers (or other things) in the month: never summed across months, since
    one customer buying in two months is one customer. A quarter and the year show the average
    month (the mean of the months with data), not the distinct count over the period, which
    monthly counts cannot give."""


class Better(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    INFO = "info"


class Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Base: unknown keys are errors, so a typo in a catalogue is caught, not ignored."""


class Perspective(Strict, frozen=True, forbid_unknown_fields=True):
    id: Id
    name: Text
    description: Text = {}


class Category(Strict, frozen=True, forbid_unknown_fields=True):
    id: Id
    name: Text
    description: Text = {}
    headline: Id | None = None
    """The KPI charted for this category on the dashboard (default: its first targeted KPI)."""


class InputSpec(Strict, frozen=True, forbid_unknown_fields=True):
    id: Id
    category: Id
    unit: Unit
    aggregation: Aggregation
    name: Text
    help: Text
    integer: bool = False
    min: float | None = None
    max: float | None = None
    replaces: list[Id] = []
    """Ids this input had in earlier catalogue versions: regeneration carries their values here."""
    weight: Id | None = None
    """For a level (an average or rate): the input that weighs it when workbooks are consolidated,
    e.g. a profit margin weighted by sales. Without one, levels are averaged plainly."""


class Rule(Strict, frozen=True, forbid_unknown_fields=True):
    """A cross-input check, evaluated per month by the validator."""

    id: Id
    check: str
    severity: Literal["error", "warning"]
    message: Text


class KpiTexts(Strict, frozen=True, forbid_unknown_fields=True):
    name: str
    description: str
    reading: str
    formula: str


class Kpi(Strict, frozen=True, forbid_unknown_fields=True):
    id: Id
    number: Annotated[int, msgspec.Meta(ge=1)]
    category: Id
    perspective: Id
    unit: Unit
    better: Better
    formula: str
    texts: dict[str, KpiTexts]
    decimals: Annotated[int, msgspec.Meta(ge=0, le=6)] = 0
    target: float | None = None
    targets: dict[CurrencyCode, float] = {}
    """A money KPI's targets per currency (``{USD: 350, TRY: 14000}``): the same number is not the
    same target in two currencies, so a currency not listed gets no target rather than a wrong one."""
    tolerance: Annotated[float, msgspec.Meta(ge=0, le=10)] | None = None
    range: tuple[float, float] | None = None
    """Scale of a score (e.g. 1..5, -100..100): bounds the chart axis and the validator's check."""
    tolerance_unit: Literal["percent", "points"] = "percent"
    """How the tolerance is read: a fraction of the target (0.1 = 10%), or points on the KPI's own
    scale (5 NPS points), for scores whose target may be near zero."""
    replaces: list[Id] = []
    """Ids this KPI had in earlier catalogue versions: regeneration carries their targets here."""


class Import(Strict, frozen=True, forbid_unknown_fields=True):
    """KPIs taken from another catalogue, with the inputs, groups and rules they need."""

    catalog: str
    kpis: list[Id]
    inputs: list[Id] = []
    """Inputs taken besides those the KPIs read (for this catalogue's own KPIs)."""
    rules: list[Id] = []
    """Rules taken besides those over the KPIs' inputs (rules over imported inputs come along anyway)."""


class Goal(Strict, frozen=True, forbid_unknown_fields=True):
    """One row of a Balanced Scorecard: a goal, the KPIs that measure it, who owns it."""

    id: Id
    perspective: Id
    goal: Text
    kpis: list[Id]
    data_source: Text
    period: Literal["daily", "weekly", "monthly", "quarterly"]
    owner: Text


class KpiTextsChange(Strict, frozen=True, forbid_unknown_fields=True):
    """Some of a KPI's texts in one locale; the ones left out stay as the base catalogue has them."""

    name: str | None = None
    description: str | None = None
    reading: str | None = None
    formula: str | None = None


class KpiChange(Strict, frozen=True, forbid_unknown_fields=True):
    """What an extending catalogue changes in one of its base's KPIs; what is left out stays."""

    id: Id
    target: float | None = None
    targets: dict[CurrencyCode, float] = {}
    tolerance: Annotated[float, msgspec.Meta(ge=0, le=10)] | None = None
    decimals: Annotated[int, msgspec.Meta(ge=0, le=6)] | None = None
    headline: bool = False
    """Make this KPI the one charted for its category on the dashboard."""
    texts: dict[str, KpiTextsChange] = {}


class InputChange(Strict, frozen=True, forbid_unknown_fields=True):
    """New texts or bounds for one of the base catalogue's inputs."""

    id: Id
    name: Text = {}
    help: Text = {}
    min: float | None = None
    max: float | None = None


class Changes(Strict, frozen=True, forbid_unknown_fields=True):
    """An extending catalogue's changes to its base: KPIs and inputs by id."""

    kpis: list[KpiChange] = []
    inputs: list[InputChange] = []


class CatalogFile(Strict, frozen=True, forbid_unknown_fields=True):
    """A catalogue file as written; ``Catalog`` is what it resolves to after imports."""

    id: Id
    version: Annotated[str, msgspec.Meta(pattern=r"^\d+\.\d+(\.\d+)?$")]
    default_locale: LocaleCode
    locales: list[LocaleCode]
    title: Text
    description: Text = {}
    sample: str | None = None
    sample_currency: CurrencyCode = "USD"
    """The currency of the sample file's money inputs; a demo in another currency converts them."""
    extends: str | None = None
    """A bundled catalogue id (``crm``) or a catalogue file (relative to this one) whose every part
    this catalogue starts from: its own inputs, KPIs and rules are added, ``change`` alters the
    base's, ``drop`` removes base KPIs (and the inputs only they read)."""
    change: Changes = Changes()
    drop: list[Id] = []
    """Ids of the base catalogue's KPIs to leave out."""
    imports: list[Import] = []
    perspectives: list[Perspective] = []
    categories: list[Category] = []
    inputs: list[InputSpec] = []
    rules: list[Rule] = []
    kpis: list[Kpi] = []
    scorecard: list[Goal] = []
