"""``kpigen catalog migrate``: bring a catalogue written for an earlier release up to this one.

Catalogues of kpigen before 0.1 could give a money KPI (``unit: currency``) one ``target:``; it
now takes one per currency (``targets: {USD: 350}``), since 350 dollars is not 350 lira, and a
single target is refused. The migration gives each such target to one currency (the catalogue's
``sample_currency`` unless told another) and leaves the rest of the file as written: only the
key and the value on that line change, comments and layout stay. The result must load before
anything is written.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.catalog.source import SourceError, read_source
from generator.errors import CatalogError, UnreadableCatalog, UserError

_KEY = re.compile(r"""(["']?)target\1(\s*:\s*)$""")
_NUMBER = re.compile(r"""["']?[-+]?[0-9][0-9_.eE+-]*["']?""")


@dataclass
class Migration:
    """The migrated text, and the KPIs whose single money target went to ``currency``."""

    text: str
    currency: str
    kpis: list[str] = field(default_factory=list)


def migrate_text(path: Path, currency: str | None = None) -> Migration:
    """The text of the catalogue at ``path`` with every single money target given per currency."""
    try:
        document = read_source(path)
    except SourceError as exc:
        raise (UnreadableCatalog if exc.unreadable else CatalogError)([exc.message]) from None
    data = document.data if isinstance(document.data, dict) else {}
    chosen = (currency or str(data.get("sample_currency") or "USD")).upper()
    if not re.fullmatch(r"[A-Z]{3}", chosen):
        raise UserError(f"--currency {currency}: give an ISO 4217 code such as USD, EUR, TRY")
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    json_style = path.suffix.lower() == ".json"
    migration = Migration(text, chosen)
    found = data.get("kpis")
    kpis: list[Any] = found if isinstance(found, list) else []
    for index, kpi in enumerate(kpis):
        if not isinstance(kpi, dict) or kpi.get("unit") != "currency" or "target" not in kpi or "targets" in kpi:
            continue
        if kpi["target"] is None:
            continue
        place = document.scalar_column(("kpis", index, "target"))
        if place is None:
            raise CatalogError([f"{document.where(('kpis', index, 'target'))}: cannot find this target in the text"])
        line_number, column = place
        line = lines[line_number - 1]
        start = column - 1
        if start > 0 and line[start - 1] in "\"'":
            start -= 1
        key = _KEY.search(line[:start])
        value = _NUMBER.match(line, start)
        if key is None or value is None:
            where = f"{path}:{line_number}:{column}"
            message = f"kpis[{index}].target: write it as 'target: NUMBER' on one line to migrate it"
            raise CatalogError([f"{where}: {message}"])
        amount = value.group(0)
        code = f'"{chosen}"' if json_style else chosen
        quote = key.group(1)
        lines[line_number - 1] = (
            line[: key.start()] + f"{quote}targets{quote}{key.group(2)}{{{code}: {amount}}}" + line[value.end() :]
        )
        migration.kpis.append(str(kpi.get("id", f"kpis[{index}]")))
    migration.text = "\n".join(lines)
    return migration


def check_loads(text: str, beside: Path) -> None:
    """Load ``text`` as a catalogue in ``beside``'s folder (its imports and sample resolve there)."""
    from generator.catalog import load_catalog

    handle, name = tempfile.mkstemp(prefix=f".{beside.stem}.migrate-", suffix=beside.suffix, dir=beside.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        try:
            load_catalog(Path(name))
        except CatalogError as error:
            raise CatalogError([p.replace(name, str(beside)) for p in error.problems]) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
