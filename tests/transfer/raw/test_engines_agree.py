"""pandas (the reference) and DuckDB running the compiled SQL give the same inputs, for every measure
kind, over random raw tables: time zones, month edges, missing and unreadable cells, duplicate ids,
stages in other cases, rows outside the fiscal year. The exact quarter and year distinct counts too."""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.transfer.raw import pandas_engine
from generator.transfer.raw.exact import compute_exact
from generator.transfer.raw.profile import Profile, load_profile

pytest.importorskip("duckdb")
pytest.importorskip("sqlglot")

FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%d", "%m/%d/%Y %I:%M %p"]
ZONES = ["UTC", "Europe/Istanbul", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]
PROFILE = """\
profile: random
description: every measure kind over one table
time_zone: {zone}
vocabulary:
  won: [Won, closedwon]
  regions: {regions}
tables:
  t:
    date_formats: {formats}
    where: region in regions
    columns:
      id: Id
      stage: Stage
      region: Region
      amount: {{column: Amount, type: number}}
      opened: {{column: Opened, type: date}}
      closed: {{column: Closed, type: date, utc: {utc}}}
measures:
  n_won: {{about: x, table: t, kind: count, date: closed, filter: stage in won}}
  n_not_won: {{about: x, table: t, kind: count, date: opened, filter: "not (stage in won) or stage is null"}}
  n_big: {{about: x, table: t, kind: count, date: opened, filter: "amount >= 100 and stage != 'lost'"}}
  ids: {{about: x, table: t, kind: count_distinct, date: closed, of: id, filter: stage not in won}}
  spans: {{about: x, table: t, kind: count_distinct, date: opened, of: "days(opened, closed)"}}
  money: {{about: x, table: t, kind: sum, date: closed, of: amount, filter: "stage = 'WON' or amount < 0"}}
  days: {{about: x, table: t, kind: sum, date: closed, of: "days(opened, closed)", filter: "days(opened, closed) > 2"}}
  mean: {{about: x, table: t, kind: average, date: opened, of: amount}}
  open_stock: {{about: x, table: t, kind: opening, start: opened, end: closed}}
  close_stock: {{about: x, table: t, kind: closing, start: opened, end: closed, filter: id is not null}}
"""

EDGES = [
    dt.datetime(2025, 12, 31, 23, 59),
    dt.datetime(2026, 1, 1, 0, 0),
    dt.datetime(2026, 2, 28, 23, 30),
    dt.datetime(2026, 3, 1, 0, 0),
    dt.datetime(2026, 3, 31, 21, 0),
    dt.datetime(2026, 4, 1, 0, 0),  # quarter bounds (from January, March and July): the exact periods' edges
    dt.datetime(2026, 6, 1, 0, 0),
    dt.datetime(2026, 6, 30, 22, 45),
    dt.datetime(2026, 7, 1, 0, 0),
    dt.datetime(2026, 10, 1, 0, 0),
    dt.datetime(2026, 12, 31, 23, 59),
    dt.datetime(2027, 1, 1, 0, 0),
]
moments = st.one_of(
    st.sampled_from(EDGES),
    st.datetimes(min_value=dt.datetime(2025, 10, 1), max_value=dt.datetime(2027, 3, 1)).map(
        lambda d: d.replace(second=0, microsecond=0)
    ),
)


def cell_of(fmt: str) -> st.SearchStrategy[str | None]:
    return st.one_of(
        moments.map(lambda d: d.strftime(fmt)),
        st.sampled_from([None, "", "  ", "n/a", "2026-13-45", "31/01/2026"]),
    )


def rows(fmt: str) -> st.SearchStrategy[list[dict[str, str | None]]]:
    row = st.fixed_dictionaries(
        {
            "Id": st.sampled_from(["a", "b", "c", "A", " b ", None, ""]),
            "Stage": st.sampled_from(["Won", "won", " WON ", "ClosedWon", "lost", "Lost", "open", None, ""]),
            "Region": st.sampled_from(["North", "south", None]),
            "Amount": st.one_of(
                st.integers(-5000, 500000).map(lambda c: f"{c / 100:.2f}"),
                st.sampled_from([None, "", "1e2", "abc", "100", " 250.5 ", "-0"]),
            ),
            "Opened": cell_of(fmt),
            "Closed": cell_of(fmt),
        }
    )
    return st.lists(row, max_size=40)


def profile_for(zone: str, fmt: str, utc: bool, regions: str) -> Profile:
    text = PROFILE.format(zone=zone, formats=f'["{fmt}"]', utc=str(utc).lower(), regions=regions)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.yaml"
        path.write_text(text, encoding="utf-8")
        return load_profile(path)


def close(a: list[float | None], b: list[float | None]) -> bool:
    return all(
        (x is None and y is None)
        or (x is not None and y is not None and math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9))
        for x, y in zip(a, b, strict=True)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    zone=st.sampled_from(ZONES),
    fmt=st.sampled_from(FORMATS),
    utc=st.booleans(),
    regions=st.sampled_from(["any", "[North, South]", "[]"]),
    first_month=st.sampled_from([1, 3, 7]),
)
def test_pandas_and_duckdb_agree(
    data: st.DataObject, zone: str, fmt: str, utc: bool, regions: str, first_month: int
) -> None:
    import pandas as pd

    from generator.transfer.raw import duck

    table = data.draw(rows(fmt))
    frame = pd.DataFrame(table, columns=["Id", "Stage", "Region", "Amount", "Opened", "Closed"], dtype=object)
    profile = profile_for(zone, fmt, utc, regions)
    prepared, _ = pandas_engine.prepare(frame, profile.tables["t"], profile.time_zone)
    reference = pandas_engine.compute(profile, {"t": prepared}, 2026, first_month)
    compiled = duck.run(profile, {"t": frame}, 2026, first_month)
    assert set(compiled) == set(reference) == set(profile.measures)
    for input_id in reference:
        assert close(reference[input_id], compiled[input_id]), (input_id, reference[input_id], compiled[input_id])
    exact = compute_exact(profile, {"t": prepared}, 2026, first_month)
    assert set(exact) == {"ids", "spans"}
    assert exact == exact_by_duckdb(profile, frame, first_month)


def exact_by_duckdb(profile: Profile, frame: object, first_month: int) -> dict[str, list[float | None]]:
    from generator.transfer.raw import duck
    from generator.transfer.raw.exact_sql import run_exact

    con = duck.connect()
    duck.register(con, "t", frame)
    duck.materialize(con, profile, "t")
    return run_exact(con, profile, 2026, first_month, {"t"})


def test_a_hand_worked_table_in_another_zone() -> None:
    """Both engines, and a count worked by hand: 23:30 UTC on 31 January is February in Istanbul (UTC+3)."""
    import pandas as pd

    from generator.transfer.raw import duck

    profile = profile_for("Europe/Istanbul", "%Y-%m-%d %H:%M", True, "any")
    frame = pd.DataFrame(
        [
            ["a", "Won", "North", "10", "2026-01-01 00:00", "2026-01-31 23:30"],
            ["b", "won", "North", "20", "2026-01-02 00:00", "2026-01-31 20:59"],
            ["c", "lost", "North", "30", "2026-03-05 00:00", "2026-03-05 10:00"],
        ],
        columns=["Id", "Stage", "Region", "Amount", "Opened", "Closed"],
        dtype=object,
    )
    prepared, _ = pandas_engine.prepare(frame, profile.tables["t"], profile.time_zone)
    reference = pandas_engine.compute(profile, {"t": prepared}, 2026, 1)
    assert reference["n_won"][:4] == [1, 1, 0, None]  # b at 23:59 local in January, a at 02:30 in February
    # open at a month's first moment: a (from 1 January 00:00 to 1 February 02:30 local) on 1 January
    # and 1 February; b (2 January to 31 January 23:59) on neither; c opens on 5 March
    assert reference["open_stock"][:3] == [1, 1, 0]
    assert duck.run(profile, {"t": frame}, 2026, 1) == reference
