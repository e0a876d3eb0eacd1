"""Shared fixtures for the server: one app per test module, and workbooks made at test time."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.catalog import Catalog
from generator.workbook.context import BuildOptions
from tests.validate import fill

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # starlette suggests another httpx package
    from fastapi.testclient import TestClient

from generator.server import ServerSettings, create_app


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(ServerSettings(max_upload_bytes=2 * 1024 * 1024))) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def filled(crm: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample workbook in which a person typed -5 emails sent in February (cell E8 of Inputs)."""
    folder = tmp_path_factory.mktemp("filled")
    source = fill.build(folder, "sample.xlsx", crm, None, locale="en", sample=True, company="Örnek A.Ş.", year=2026)
    layout = fill.writer_layout(crm, BuildOptions(locale="en"))
    cell = fill.input_address(layout, "emails_sent", 1)
    return fill.edit_cells(source, folder / "Bütçe 2026.xlsx", {(layout.sheets.inputs, cell): -5})
