"""The corpus's shared workbooks, and the fuzz runs' case counts printed at the end of the session."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.catalog import Catalog
from generator.workbook.build import build_workbook
from generator.workbook.context import BuildOptions
from tests.corpus.items import UNO_JOBS, Bases

UNO_PYTHON = "/usr/bin/python3"
FUZZ_CASES: dict[str, int] = {}
"""Examples each fuzz test ran, by test (filled by test_fuzz.py)."""


@pytest.fixture(scope="session")
def bases(crm: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Bases:
    """The writer's CRM workbook with its demo year, and LibreOffice's edits of it (one soffice, batched)."""
    if shutil.which("soffice") is None or not Path(UNO_PYTHON).exists():
        pytest.fail("LibreOffice and python3-uno are required: run scripts/setup.sh as root")
    folder = tmp_path_factory.mktemp("corpus-bases")
    built = folder / "built.xlsx"
    built.write_bytes(build_workbook(crm, BuildOptions(locale="en", year=2026, sample=True)).data)
    jobs = [{"source": str(built), "target": str(folder / "calculated.xlsx"), "edits": []}]
    jobs += [
        {"source": str(built), "target": str(folder / f"uno-{name}.xlsx"), "edits": e} for name, e in UNO_JOBS.items()
    ]
    (folder / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    script = Path(__file__).with_name("uno_edit.py")
    done = subprocess.run(
        [UNO_PYTHON, str(script), str(folder / "profile"), str(folder / "jobs.json")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return Bases(built, folder / "calculated.xlsx", {name: folder / f"uno-{name}.xlsx" for name in UNO_JOBS})


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FUZZ_CASES:
        runs = ", ".join(f"{name}: {count}" for name, count in FUZZ_CASES.items())
        terminalreporter.write_line(f"fuzz cases run: {sum(FUZZ_CASES.values())} ({runs})")
