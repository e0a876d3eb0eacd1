"""The raw path without its extra: one line naming the extra to install, exit 5."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.transfer.raw.expected import EXAMPLES, FILES


@pytest.mark.parametrize("missing", ["duckdb", "sqlglot"])
def test_without_the_raw_extra(missing: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # an import of it raises ImportError
    files = [str(EXAMPLES / f) for f in FILES["hubspot"]]
    result = CliRunner().invoke(
        main, ["import", "--profile", "hubspot", "--engine", "duckdb", *files, "--out", str(tmp_path)]
    )
    assert (result.exit_code, result.stderr.count("\n")) == (5, 1)
    assert f"needs {missing}: pip install 'kpi-template-generator[raw]'" in result.stderr
    if missing == "sqlglot":
        result = CliRunner().invoke(main, ["sql", "--profile", "hubspot"])
        assert (result.exit_code, result.stderr.count("\n")) == (5, 1)
        assert "pip install 'kpi-template-generator[raw]'" in result.stderr
    result = CliRunner().invoke(
        main, ["import", "--profile", "hubspot", *files, "--year", "2026", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.stderr  # the pandas engine needs neither


def test_unknown_dialect() -> None:
    result = CliRunner().invoke(main, ["sql", "--profile", "hubspot", "--dialect", "cobol"])
    assert result.exit_code == 2 and "unknown dialect 'cobol'" in result.stderr
