"""A table's flow measures share one grouped pass per date column, with each measure's own NULL
and zero rules kept: a month where rows exist but none pass a measure's filter is 0 for a count
or a sum and empty for an average; a month after the table's last date is empty for all."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("duckdb")

HEADER = "Record ID,Deal Name,Deal Stage,Pipeline,Amount,Create Date,Close Date\n"
ROWS = [  # (stage, amount, created, closed); won stages are "Closed Won" and "closedwon", any case
    ("closedwon", "100", "2026-01-01 09:00", "2026-01-11 10:00"),  # won, 10 days
    ("Closed Won", "", "2026-01-02 09:00", "2026-01-05 23:59"),  # won, no amount, 3 days
    ("closedlost", "50", "2026-01-02 09:00", "2026-01-20 08:00"),  # lost
    ("closedlost", "70", "2026-02-01 00:00", "2026-02-03 00:00"),  # February: only a lost deal
    ("CLOSEDWON", "30", "2026-03-01 00:00", "2026-03-31 23:59"),  # March, the last date
]


def _deals(tmp_path: Path) -> Path:
    path = tmp_path / "deals.csv"
    lines = [f"{i},Deal {i},{s},default,{a},{c},{d}\n" for i, (s, a, c, d) in enumerate(ROWS, 1)]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def test_one_pass_keeps_each_measures_empty_and_zero_rules(tmp_path: Path) -> None:
    from generator.transfer.raw import duck
    from generator.transfer.raw.profile import load_profile

    values = duck.run(load_profile("hubspot"), {"deals": _deals(tmp_path)}, 2026, 1)
    after = [None] * 9  # April to December: after the table's last date
    assert values["deals_won"] == [2.0, 0.0, 1.0, *after]
    assert values["company_sales"] == [100.0, 0.0, 30.0, *after]  # the won deal without an amount adds nothing
    assert values["sales_cycle_days_total"] == [13.0, 0.0, 30.0, *after]  # days between the dates
    assert values["avg_sale_value"] == [100.0, None, 30.0, *after]  # no won deal with an amount in February


def test_deals_are_grouped_once_for_all_their_flow_measures() -> None:
    from sqlglot import exp

    from generator.transfer.raw.profile import load_profile
    from generator.transfer.raw.sql import build_query

    query = build_query(load_profile("hubspot"), 2026, 1, {"deals"}, materialized=True)
    grouped = [s for s in query.find_all(exp.Select) if s.args.get("group")]
    scans = [s for s in query.find_all(exp.Table) if s.name == "deals__rows"]
    assert len(grouped) == 1  # four measures (won count, sales, cycle days, average) by "Close Date"
    assert len(scans) == 2  # that pass and the one read of the last dates
