"""The command line and the server keep one set of option rules: the same values, the same verdicts.

Each value goes to ``kpigen build`` (or ``regenerate`` for the exchange rate) through click's
runner and to the JSON API through FastAPI's test client. A value is accepted by both (exit 0,
200) or refused by both, the command line with exit 2 and "Invalid value for '--option'" (click's
wording, which the library's refusals keep), the server with 422 naming the field. The verdicts
expected are written by hand from the rules README states (company: at most 100 characters, no
control character; years 1900-2200; months 1-12; ISO 4217 currencies; exchange rates above 0 and
at most 1e9).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main

ACCEPT, REFUSE = True, False

BUILD_CASES: list[tuple[str, Any, bool]] = [
    ("company", "Acme & Co", ACCEPT),
    ("company", "  Örnek A.Ş.  ", ACCEPT),
    ("company", "x" * 100, ACCEPT),
    ("company", "x" * 101, REFUSE),
    ("company", "x" * 200, REFUSE),
    ("company", "Acme\u2028Inc", REFUSE),  # LINE SEPARATOR: a line break to Excel and LibreOffice
    ("company", "Acme\nInc", REFUSE),
    ("company", "Acme\x85Inc", REFUSE),  # NEXT LINE, a C1 control
    ("company", "Acme\tInc", REFUSE),
    ("year", 1900, ACCEPT),
    ("year", 2200, ACCEPT),
    ("year", 1899, REFUSE),
    ("year", 2201, REFUSE),
    ("year", "twenty", REFUSE),
    ("first_month", 12, ACCEPT),
    ("first_month", 0, REFUSE),
    ("first_month", 13, REFUSE),
    ("currency", "eur", ACCEPT),
    ("currency", "TRY", ACCEPT),
    ("currency", "XYZ", REFUSE),
    ("currency", "US", REFUSE),
    ("currency", "EURO", REFUSE),
    ("locale", "tr", ACCEPT),
    ("locale", "tr-TR", ACCEPT),
    ("locale", "tr_TR.UTF-8", ACCEPT),
    ("locale", "EN", ACCEPT),
    ("locale", "de", REFUSE),  # a real locale crm has no texts for
    ("locale", "xx", REFUSE),
]

RATE_CASES: list[tuple[str, bool]] = [
    ("34.5", ACCEPT),
    ("34,5", ACCEPT),
    ("1e9", ACCEPT),
    ("1e10", REFUSE),
    ("0", REFUSE),
    ("-2", REFUSE),
    ("nan", REFUSE),
    ("inf", REFUSE),
    ("abc", REFUSE),
]


def _cli(*args: str) -> tuple[bool, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code in (0, 2), result.output
    return result.exit_code == 0, result.output


def _api(answer: Any) -> tuple[bool, str | None]:
    assert answer.status_code in (200, 422), answer.text
    return answer.status_code == 200, None if answer.status_code == 200 else answer.json()["field"]


@pytest.mark.parametrize(("field", "value", "verdict"), BUILD_CASES)
def test_build_options_get_the_same_verdict(client: Any, tmp_path: Path, field: str, value: Any, verdict: bool) -> None:
    option = "--" + field.replace("_", "-")
    accepted, output = _cli("build", "--out", str(tmp_path / "x.xlsx"), option, str(value))
    served, named = _api(client.post("/api/workbooks", json={field: value}))
    assert (accepted, served) == (verdict, verdict), output
    if not verdict:
        assert output.strip().splitlines()[-1].startswith(f"Error: Invalid value for '{option}': "), output
        assert named == field


@pytest.mark.parametrize(("rate", "verdict"), RATE_CASES)
def test_exchange_rates_get_the_same_verdict(
    client: Any, filled: Path, tmp_path: Path, rate: str, verdict: bool
) -> None:
    out = str(tmp_path / "new.xlsx")
    accepted, output = _cli("regenerate", str(filled), "--out", out, "--currency", "EUR", "--exchange-rate", rate)
    upload = {"file": (filled.name, filled.read_bytes(), "application/octet-stream")}
    served, named = _api(client.post("/api/regenerate", files=upload, data={"currency": "EUR", "exchange_rate": rate}))
    assert (accepted, served) == (verdict, verdict), output
    if not verdict:
        assert output.strip().splitlines()[-1].startswith("Error: Invalid value for '--exchange-rate': "), output
        assert named == "exchange_rate"
