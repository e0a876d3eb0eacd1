"""End to end in a real headless Chromium (Debian's /usr/bin/chromium), against ``kpigen serve``.

The server runs as a user starts it, in its own process on a loopback port; the browser has
JavaScript switched off for the download, since the page must work without it, and a phone's
viewport for the layout check. At the end the server is stopped with SIGTERM and must finish its shutdown
(graceful shutdown) after writing one JSON access line per request.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.validate.run import validate
from tests.validate import hostile

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "stderr.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator.cli",
                "serve",
                "--port",
                str(port),
                "--max-upload-mb",
                "5",
                "--workers",
                "1",
            ],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"kpigen serve did not start: {log.read_text()}")
                    time.sleep(0.2)
            yield url
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=30)
    lines = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every log line is JSON
    # uvicorn finishes the shutdown, then re-raises the signal so the parent sees why it stopped
    assert code in (0, -signal.SIGTERM), lines[-5:]
    messages = [e.get("message") for e in entries]
    assert messages[-2:] == ["Application shutdown complete.", f"Finished server process [{process.pid}]"]
    assert any(e.get("path") == "/download" and e.get("status") == 200 for e in entries)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.fail("Chromium is required: run scripts/setup.sh as root to install Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def test_download_in_turkish_without_javascript(server: str, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(java_script_enabled=False, accept_downloads=True, locale="en-US")
    page = context.new_page()
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "Get your KPI dashboard workbook"
    page.click("a[hreflang=tr]")
    assert page.locator("h1").inner_text() == "KPI panosu çalışma kitabınızı alın"
    page.select_option("#locale", "tr")
    page.select_option("#currency", "EUR")
    page.fill("#company", "Örnek A.Ş.")
    page.fill("#year", "2026")
    page.select_option("#first_month", "4")
    page.check("input[name=sample][value='0']")
    with page.expect_download() as caught:
        page.click("#download")
    download = caught.value
    assert download.suggested_filename == "CRM KPI Panosu - Örnek A.Ş. 2026.xlsx"
    saved = tmp_path / "downloaded.xlsx"
    download.save_as(saved)
    context.close()

    report = validate(saved)  # a workbook the validator recognises, with the settings chosen
    assert (report.template["locale"], report.template["currency"]) == ("tr", "EUR")
    assert report.template["first_month"] == 4
    assert [f.code for f in report.findings if f.code != "not-recalculated"] == []
    import openpyxl

    book = openpyxl.load_workbook(saved)
    sheet, ref = next(iter(book.defined_names["set_company"].destinations))
    assert book[sheet.replace("''", "'")][ref.replace("$", "")].value == "Örnek A.Ş."
    assert "KPI'lar" in book.sheetnames


def test_upload_a_filled_workbook_and_read_the_report(server: str, browser: Any, filled: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + "/validate?lang=en")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    page.set_input_files("#file", str(filled))
    page.click("#check")
    assert page.locator("h1").inner_text() == "Validation report"
    assert "Bütçe 2026.xlsx" in page.locator("p.file").inner_text()
    finding = page.locator("li.finding", has_text="Emails sent: -5 is negative")
    assert finding.get_attribute("id") == "Inputs!E8"
    finding.locator("a.where").click()
    assert page.evaluate("decodeURIComponent(location.hash)") == "#Inputs!E8"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()


def test_a_hostile_upload_is_refused_clearly(server: str, browser: Any, tmp_path: Path) -> None:
    bomb = hostile.ratio_bomb(tmp_path)
    page = browser.new_page()
    page.goto(server + "/validate?lang=en")
    page.set_input_files("#file", str(bomb))
    with page.expect_response(lambda r: r.url.endswith("/validate") and r.request.method == "POST") as answer:
        page.click("#check")
    assert answer.value.status == 422
    alert = page.locator("[role=alert]").inner_text()
    assert alert == "bomb.xlsx unpacks to far more than its size (a possible zip bomb), so it is not read."
    page.close()
