"""The source-profile file format as typed structures: a CRM's raw tables and a measure per input.

A profile names catalogue input ids and the columns a CRM writes in its export; the catalogue
stays CRM-agnostic. Filters are text in the closed grammar of ``grammar.py``, never SQL.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import msgspec

Name = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
ZONE_FREE = "any"
"""A vocabulary written as ``any``: ``x in <it>`` holds for every row (e.g. every pipeline)."""


class ColumnType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"


class MeasureKind(StrEnum):
    COUNT = "count"
    COUNT_DISTINCT = "count_distinct"
    SUM = "sum"
    AVERAGE = "average"
    OPENING = "opening"
    """Rows whose interval [start, end) covers the month's first moment (an opening stock)."""
    CLOSING = "closing"
    """Rows whose interval [start, end) covers the month's last moment (a closing stock)."""


SNAPSHOTS = (MeasureKind.OPENING, MeasureKind.CLOSING)


class Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Base: an unknown key is an error, so a typo in a profile is caught, not ignored."""


class Column(Strict, frozen=True, forbid_unknown_fields=True):
    column: str
    """The header exactly as the CRM writes it in its export ("Close Date")."""
    type: ColumnType = ColumnType.TEXT
    utc: bool = False
    """A date column the export writes in UTC: moved to the profile's time zone before its month
    is taken. False: the times are already local to the profile (a date without time always is)."""


class Table(Strict, frozen=True, forbid_unknown_fields=True):
    columns: dict[Name, str | Column]
    """Name used in filters -> the export's header (text), or ``{column, type}``."""
    recognise: list[str] = []
    """Headers that tell this table's file apart from the others' (default: every column's header)."""
    date_formats: list[str] = msgspec.field(default_factory=lambda: ["%Y-%m-%d %H:%M", "%Y-%m-%d"])
    """strptime formats tried in order; ISO forms are always tried after them."""
    where: str | None = None
    """A filter every measure on this table applies first (e.g. ``pipeline in pipelines``)."""


class Measure(Strict, frozen=True, forbid_unknown_fields=True):
    table: Name
    kind: MeasureKind
    about: str
    """What the input measures, in words, for the user who checks a profile against their CRM."""
    date: Name | None = None
    """The date column that puts a row in a month (flows, distincts, averages)."""
    of: str | None = None
    """What is summed, averaged or counted distinct: a column, or ``days(start, end)``."""
    filter: str | None = None
    start: Name | None = None
    """Snapshot measures: the column where a row's interval starts."""
    end: Name | None = None
    """Snapshot measures: the column where it ends (empty: still open)."""


class ProfileFile(Strict, frozen=True, forbid_unknown_fields=True):
    profile: Name
    description: str
    tables: dict[Name, Table]
    measures: dict[str, Measure]
    """Catalogue input id -> how it is computed."""
    time_zone: str = "UTC"
    """Where month boundaries are: a month is the local month in this IANA zone."""
    vocabulary: dict[Name, list[str] | str] = {}
    """Lists the account may edit (won stages, pipelines); ``any`` lets every value through."""
    unmeasured: list[str] = []
    """Catalogue inputs this CRM's standard exports cannot give: the user types them."""
    catalog: str = "crm"
