"""An import's DuckDB connection limits DuckDB's memory and spills to a folder of its own, which is
removed with what DuckDB wrote there when the import ends (nothing is left in the user's folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("duckdb")


def test_session_spills_to_its_own_folder_and_removes_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.transfer.raw import duck

    monkeypatch.chdir(tmp_path)  # DuckDB's own default for an in-memory database is ./.tmp
    with duck.session() as con:
        spill = Path(con.execute("SELECT current_setting('temp_directory')").fetchone()[0])
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert spill.is_dir() and spill.name.startswith("kpigen-duckdb-")
        # a table larger than the limit: its blocks go to the folder instead of failing
        con.execute("SET memory_limit = '20MB'")
        con.execute("CREATE TEMP TABLE t AS SELECT i, i::VARCHAR || '-padding-padding' AS s FROM range(3000000) r(i)")
        assert con.execute("SELECT count(*), sum(i) FROM t").fetchone() == (3_000_000, 3_000_000 * 2_999_999 // 2)
        assert any(spill.iterdir())
    assert limit == "244.1 MiB"  # 256MB (10**6 bytes each), as DuckDB prints it in MiB
    assert not spill.exists()
    assert list(tmp_path.iterdir()) == []
