"""The engine against Excel's documented results (excel_vectors.tsv: formula, grid, result, source)."""

from __future__ import annotations

import pytest

from tests.engine.vectors import Vector, engine_result, read_vectors, same

VECTORS = read_vectors()


@pytest.mark.parametrize("vector", VECTORS, ids=[v.formula for v in VECTORS])
def test_the_engine_gives_excels_result(vector: Vector) -> None:
    found = engine_result(vector)
    assert same(found, vector.expected), f"{vector.formula} over {vector.grid}: {found!r}, Excel {vector.expected!r}"


def test_the_table_is_read_whole() -> None:
    assert len(VECTORS) >= 80
    assert all(v.source.startswith("[") for v in VECTORS)
