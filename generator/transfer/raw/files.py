"""Which profile table each raw file is: ``name=path``, or recognised by the headers it starts with.

A file is only read here (its header, or the whole table for the pandas engine); raw exports
are never written to. Every column a table declares must be in its file, named as the CRM
names it: a missing one is refused before anything is computed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from generator.errors import DataError, UnreadableInput, UserError
from generator.transfer.raw.profile import Profile, TableSpec
from generator.transfer.table import CSV_SUFFIXES, PARQUET_SUFFIXES, XLSX_SUFFIXES, read_table


@dataclass(frozen=True)
class RawFile:
    table: str
    path: Path
    headers: tuple[str, ...]


def headers_of(path: Path, duckdb: bool = False) -> tuple[str, ...]:
    """The file's column headers, read without loading its rows (a whole table for XLSX). A Parquet
    file's are read by pyarrow (which the pandas engine reads it with), or with ``duckdb`` (the
    engine that will read it) by DuckDB: importing pyarrow alone took about 0.3 s."""
    if not path.is_file():
        raise UnreadableInput(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            first = handle.readline()
        separator = max((";", "\t", ","), key=first.count) if first.strip() else ","
        return tuple(h.strip() for h in next(csv.reader([first], delimiter=separator), []))
    if suffix in PARQUET_SUFFIXES:
        try:
            if duckdb:
                raise ImportError
            import pyarrow.parquet as pq
        except ImportError:
            from generator.transfer.raw.duck import connect

            return tuple(str(name) for name in connect().read_parquet(str(path)).columns)
        return tuple(pq.read_schema(path).names)
    if suffix in XLSX_SUFFIXES:
        return tuple(read_table(path).headers)
    raise UnreadableInput(f"{path}: unknown data format {suffix!r}; give a .csv, .xlsx or .parquet file")


def assign(profile: Profile, specs: list[str], duckdb: bool = False) -> list[RawFile]:
    """Each ``[name=]path`` as a profile table, every declared column present in it (``duckdb``: the
    engine asked for, see ``headers_of``)."""
    found: list[RawFile] = []
    for spec in specs:
        name, sep, rest = spec.partition("=")
        if sep and name in profile.tables:
            path = Path(rest)
            headers = headers_of(path, duckdb)
            table = profile.tables[name]
        else:
            if sep and "/" not in name and not Path(spec).exists():
                raise UserError(
                    f"{spec}: '{name}' is not a table of profile {profile.id} ({', '.join(profile.tables)})"
                )
            path = Path(spec)
            headers = headers_of(path, duckdb)
            table = _recognise(profile, path, headers)
        missing = [c.header for c in table.columns.values() if c.header not in headers]
        if missing:
            listed = ", ".join(f"'{h}'" for h in missing)
            raise DataError(
                f"{path}: no column {listed}: the {profile.id} profile's {table.name} table needs it as the CRM "
                "exports it (or map the file with name=path to another table)"
            )
        if any(f.table == table.name for f in found):
            raise UserError(f"{path}: a second file for table '{table.name}'; give one file per table")
        found.append(RawFile(table.name, path, headers))
    return found


def _recognise(profile: Profile, path: Path, headers: tuple[str, ...]) -> TableSpec:
    matches = [t for t in profile.tables.values() if all(h in headers for h in t.recognise)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = " or ".join(t.name for t in matches)
        raise UserError(f"{path}: could be table {names}; say which with NAME={path}")
    wanted = "; ".join(f"{t.name}: {', '.join(t.recognise)}" for t in profile.tables.values())
    raise UserError(
        f"{path}: not recognised as a table of profile {profile.id} (headers wanted, {wanted}); "
        f"say which with NAME={path}"
    )


def read_frame(raw: RawFile) -> object:
    """The whole file as a pandas frame of raw cells (the pandas engine), through the bounded reader."""
    import pandas as pd

    table = read_table(raw.path)
    frame = pd.DataFrame(list(table.rows()), columns=table.headers, dtype=object)
    frame.attrs["table"] = table
    return frame
