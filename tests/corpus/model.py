"""The corpus's model: an item builds its input in a folder and says what the command must answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator.paths import CATALOG_DIR

CRM = CATALOG_DIR / "crm.yaml"
SAMPLE = CATALOG_DIR / "crm.sample.csv"
INPUTS_E42 = "Inputs!E42"
"""The first month of avg_sale_value (a level input, averaged over months) in the CRM template."""


@dataclass(frozen=True)
class Case:
    """What to run in the item's folder, and what must come back."""

    args: list[str]
    exit: int
    where: str
    """A regex the answer must match: the refusal's one line, or ``sheet!cell`` of a finding."""
    code: str | None = None
    """For a validate run that finds problems: the finding code expected at ``where``."""
    fields: dict[str, object] = field(default_factory=dict)
    """More that finding must carry, as in the JSON report (``{"value": "twelve"}``)."""
    unchanged: list[Path] = field(default_factory=list)
    """Files that must be byte-identical afterwards (the workbook validated, an existing output)."""
    empty: Path | None = None
    """A folder that must hold nothing new afterwards (no output, no temporary file)."""
    absent: tuple[str, ...] = ()
    """Finding codes that must not appear at all (advice that cannot help, follow-on errors)."""
    unprivileged: bool = False
    """Run as a real process that file permissions bind: as root, without the capabilities that
    let root ignore them (``setpriv --bounding-set=-dac_override,-dac_read_search``)."""


@dataclass(frozen=True)
class Bases:
    """Workbooks the items start from: one straight from the writer, one calculated by LibreOffice."""

    built: Path
    calculated: Path
    uno: dict[str, Path]
    """Edited through LibreOffice's UNO API (see uno_edit.py), by job name."""


Make = Callable[[Path, Bases], Case]


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    make: Make


ITEMS: list[Item] = []


def item(kind: str) -> Callable[[Make], Make]:
    def register(make: Make) -> Make:
        ITEMS.append(Item(make.__name__, kind, make))
        return make

    return register


def one_line(args: list[str], exit: int, name: str, phrase: str, empty: Path | None = None) -> Case:
    """A refusal: one line starting ``Error:`` that names the file and says ``phrase``."""
    return Case(args, exit, rf"^Error: [^\n]*{re.escape(name)}[^\n]*{phrase}", empty=empty)
