"""Choosing KPIs on the download page in headless Chromium: without JavaScript box by box, with it
through the "tick all" box of a category (static/pick.js).

The customer_service category's five KPIs are read off /work/shared/kpi-reference.md by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from tests.server.test_browser import browser, server

__all__ = ["browser", "server"]  # the fixtures, shared with test_browser (each module starts its own server)

CUSTOMER_SERVICE = {"complaints", "first_contact_resolution", "avg_resolution_time", "csat", "customer_effort_score"}
GROUP = "#catalog-crm details[data-category={}]"


def kpis(path: Path) -> set[str]:
    book = openpyxl.load_workbook(path)
    return {name[4:] for name in book.defined_names if name.startswith("kpi_")}


def test_unticking_boxes_without_javascript(server: str, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(
        java_script_enabled=False, accept_downloads=True, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(server + "/?lang=en")
    page.fill("#year", "2026")
    assert page.locator(GROUP.format("customer_service") + " summary input").count() == 0  # no script: no tick-all
    page.click(GROUP.format("customer_service") + " summary")
    for kpi in ("complaints", "csat"):
        page.uncheck(f"input[name='kpis:crm'][value={kpi}]")
    with page.expect_download() as caught:
        page.click("#download")
    assert caught.value.suggested_filename == "CRM KPI Dashboard 2026 (24 of 26 KPIs) (sample data).xlsx"
    saved = tmp_path / "mine.xlsx"
    caught.value.save_as(saved)
    context.close()
    chosen = kpis(saved)
    assert len(chosen) == 24 and not {"complaints", "csat"} & chosen


def test_the_category_box_ticks_its_kpis_and_shows_a_partial_choice(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + "/?lang=tr")
    group = GROUP.format("customer_service")
    everything = page.locator(group + " summary input.all")
    assert everything.is_checked()
    everything.uncheck()
    boxes = page.locator(group + " input[name='kpis:crm']")
    assert [boxes.nth(i).is_checked() for i in range(boxes.count())] == [False] * 5
    assert page.locator(group + " .count").inner_text() == "(0/5)"
    assert page.locator(group).get_attribute("open") is None  # ticking the box did not open the group
    page.click(group + " summary .count")  # the name opens it
    page.check("input[name='kpis:crm'][value=csat]")
    assert everything.evaluate("box => [box.checked, box.indeterminate]") == [False, True]
    assert page.locator(group + " .count").inner_text() == "(1/5)"
    everything.check()
    assert [boxes.nth(i).is_checked() for i in range(5)] == [True] * 5
    assert page.locator("#catalog-bsc").is_hidden()  # only the chosen catalogue's boxes
    page.select_option("#catalog", "bsc")
    assert page.locator("#catalog-crm").is_hidden() and page.locator("#catalog-bsc").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    assert errors == []
    page.close()
