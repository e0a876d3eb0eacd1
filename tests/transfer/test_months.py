"""Month cells read once per spelling (issue 24: a million-row import re-read the same few
spellings): a remembered answer must be the answer, for valid and invalid cells alike."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.transfer.months import FiscalMonths, fiscal_start


def test_a_repeated_spelling_counts_every_time_it_appears() -> None:
    # three cells of fiscal 2025 against two of 2026: the year with more cells wins
    cells = ["2025-03", "2025-03", "2025-03", "2026-03", "2026-03"]
    assert fiscal_start(cells, "en", None) == (2025, 1)
    assert fiscal_start([*cells, "2026-04"], "en", None) == (2026, 1)


def test_dates_and_names_in_the_count() -> None:
    cells = [dt.datetime(2024, 5, 1), dt.datetime(2024, 6, 1), "Ocak 2025", "nonsense", "nonsense"]
    # first month April: May and June 2024 are fiscal 2024, January 2025 is fiscal 2024 too
    assert fiscal_start(cells, "tr", 4) == (2024, 4)
    assert fiscal_start(["nonsense"] * 3, "en", None) is None


def test_a_remembered_month_gives_the_same_position_and_the_same_refusal() -> None:
    months = FiscalMonths("en", 2026, 4)
    assert [months.position("2026-05"), months.position("2026-05")] == [1, 1]
    assert months.position("2026-03") == -1  # March 2026: the last month of the prior fiscal year
    assert months.position("Jan") == 9
    for _ in range(2):
        with pytest.raises(ValueError, match=r"^2024-01 is outside the fiscal year starting 2026-04"):
            months.position("2024-01")
        with pytest.raises(ValueError, match="'Smarch' is not a month"):
            months.position("Smarch")
