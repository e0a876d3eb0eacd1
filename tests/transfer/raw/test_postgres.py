"""The `postgres` query run by a real PostgreSQL server on the fixture exports: the hand-worked numbers.

Starts a throw-away server (initdb, pg_ctl; as the `postgres` user when run as root, since
initdb refuses root) on a Unix socket in a temporary folder; skipped, saying why, where the
server programs are not installed (Debian: apt-get install postgresql; scripts/setup.sh does).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.transfer.raw.expected import EXAMPLES, EXPECTED, FILES

pytest.importorskip("sqlglot")


def _programs() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


BIN = _programs()
pytestmark = pytest.mark.skipif(
    BIN is None, reason="PostgreSQL server programs not installed (apt-get install postgresql)"
)


def _as_owner(args: list[str], folder: Path) -> list[str]:
    if os.geteuid() != 0:
        return args
    shutil.chown(folder, "postgres")
    return ["runuser", "-u", "postgres", "--", *args]


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Path, str]]:
    assert BIN is not None
    folder = Path(tempfile.mkdtemp(prefix="kpigen-pg-"))  # not under pytest's folders: the server user must reach it
    data = folder / "data"
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    run = lambda args: subprocess.run(_as_owner(args, folder), capture_output=True, text=True, timeout=120, check=True)  # noqa: E731
    run([str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", user, "--no-sync"])
    options = f"-k {folder} -c listen_addresses='' -p 54329 -c fsync=off -c TimeZone=UTC"
    run([str(BIN / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(folder / "log"), "start"])
    try:
        yield folder, user
    finally:
        run([str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
        shutil.rmtree(folder, ignore_errors=True)


def psql(server: tuple[Path, str], command: str) -> str:
    folder, user = server
    psql_bin = shutil.which("psql") or str(BIN / "psql") if BIN else "psql"
    done = subprocess.run(
        [
            psql_bin,
            "-h",
            str(folder),
            "-p",
            "54329",
            "-U",
            user,
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-qAt",
            "-c",
            command,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def load(server: tuple[Path, str], name: str) -> str:
    """The fixture export's tables, as text columns, in a schema of their own; its name."""
    from generator.transfer.raw.files import assign
    from generator.transfer.raw.profile import load_profile

    schema = f"s_{name}"
    psql(server, f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    for raw in assign(load_profile(name), [str(EXAMPLES / f) for f in FILES[name]]):
        with raw.path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        columns = ", ".join('"' + h.replace('"', '""') + '" text' for h in rows[0])
        values = ", ".join(
            "(" + ", ".join("'" + cell.replace("'", "''") + "'" for cell in row) + ")" for row in rows[1:]
        )
        psql(server, f"CREATE TABLE {schema}.{raw.table} ({columns}); INSERT INTO {schema}.{raw.table} VALUES {values}")
    return schema


@pytest.mark.parametrize("name", sorted(FILES))
def test_postgres_runs_the_query(server: tuple[Path, str], name: str) -> None:
    from generator.transfer.raw.duck import to_values

    schema = load(server, name)
    query = CliRunner().invoke(main, ["sql", "--profile", name, "--dialect", "postgres", "--year", "2026"]).stdout
    text = psql(server, f"SET search_path TO {schema}; COPY ({query.rstrip().rstrip(';')}) TO STDOUT WITH CSV")
    import datetime as dt

    rows = [(dt.date.fromisoformat(m), i, None if v == "" else float(v)) for m, i, v in csv.reader(io.StringIO(text))]
    assert to_values(rows, 2026, 1) == EXPECTED[name]


@pytest.mark.parametrize("name", ["pipedrive", "salesforce", "zoho"])
def test_postgres_runs_the_exact_query(server: tuple[Path, str], name: str) -> None:
    """`kpigen sql --exact`: two distinct buyers in Q1 and the year (one of them in two months), by hand."""
    from generator.transfer.raw.exact_sql import to_exact

    schema = load(server, name)
    args = ["sql", "--profile", name, "--dialect", "postgres", "--year", "2026", "--exact"]
    query = CliRunner().invoke(main, args).stdout
    text = psql(server, f"SET search_path TO {schema}; COPY ({query.rstrip().rstrip(';')}) TO STDOUT WITH CSV")
    rows = [(p, i, None if v == "" else float(v)) for p, i, v in csv.reader(io.StringIO(text))]
    assert to_exact(rows) == {"purchasing_customers": [2, None, None, None, 2]}
