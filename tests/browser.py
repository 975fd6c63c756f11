"""The real browser the page tests drive: headless Chromium through Selenium.

CI installs chromium and chromium-driver (.ci/run) and runs every browser test; elsewhere
they skip, saying why, when the browser is missing. Used by the player's, the training
view's and the practice page's tests (``from browser import browser, network_requests``).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def browser():
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        if not os.environ.get("CI"):
            pytest.skip(
                "Chromium is not installed here (apt-get install chromium chromium-driver); "
                "CI installs it and runs these tests"
            )
        pytest.fail(f"CI must provide {CHROMIUM} and {CHROMEDRIVER} (.ci/run installs them)")
    if not os.environ.get("CI"):
        pytest.importorskip("selenium", reason="selenium is in the dev extra")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chaingrad-chromium-")
    options = Options()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,800",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def network_requests(driver, page: Path) -> list[str]:
    """Every URL the browser asked for since the page's log was reset, other than the page."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    resources = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    return [u for u in urls + resources if u != page.as_uri()]
