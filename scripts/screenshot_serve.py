"""Screenshot the download page in headless Chromium for the README: ``python scripts/screenshot_serve.py``.

Starts ``kpigen serve`` on a free loopback port, takes docs/img/serve-en.png (desktop),
docs/img/serve-tr-phone.png (a phone's viewport, Turkish) and docs/img/serve-pick-en.png (the KPI
boxes, two categories open, some unticked), then stops the server.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.server.test_browser import ARGS, CHROMIUM, free_port  # noqa: E402


def main() -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--port", str(port)], cwd=ROOT)
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            desktop = browser.new_page(viewport={"width": 1200, "height": 860})
            desktop.goto(url + "/?lang=en")
            desktop.screenshot(path=str(ROOT / "docs/img/serve-en.png"))
            phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
            phone.goto(url + "/?lang=tr")
            phone.screenshot(path=str(ROOT / "docs/img/serve-tr-phone.png"))
            desktop.set_viewport_size({"width": 1000, "height": 860})
            crm = "#catalog-crm details[data-category={}]"
            for category in ("lead_generation", "customer_service"):
                desktop.click(crm.format(category) + " summary")
            desktop.uncheck(crm.format("lead_generation") + " summary input.all")
            desktop.uncheck("input[name='kpis:crm'][value=complaints]")
            desktop.locator("#catalog-crm").screenshot(path=str(ROOT / "docs/img/serve-pick-en.png"))
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
