"""The headless browser the page tests drive (the player's, the training view's, the
practice page's, the docs' JupyterLite): Chromium and its driver, found on PATH under the
names distributions give them (Debian's chromium, Ubuntu's and Fedora's chromium-browser,
Google's chrome), or named by the CHROMIUM and CHROMEDRIVER variables; Debian's paths last.
Tests skip without them outside CI and fail in CI (.ci/run installs them)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
DRIVERS = ("chromedriver", "chromium-driver")
FALLBACKS = {"browser": "/usr/bin/chromium", "driver": "/usr/bin/chromedriver"}


def _find(variable: str, names: tuple[str, ...], fallback: str) -> str | None:
    named = os.environ.get(variable)
    if named:
        return shutil.which(named)
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return fallback if os.access(fallback, os.X_OK) else None


def chromium() -> tuple[str | None, str | None]:
    """(the browser, its driver): each a path, or None where it is missing."""
    return (
        _find("CHROMIUM", BROWSERS, FALLBACKS["browser"]),
        _find("CHROMEDRIVER", DRIVERS, FALLBACKS["driver"]),
    )


def chromium_session(
    args: tuple[str, ...] = (), window: str = "1400,800", load_timeout: int = 60
) -> Iterator[Any]:
    """A headless Chromium driven by Selenium, for a fixture to yield (``args`` are extra
    command-line switches); skips outside CI when the browser is missing, fails in CI."""
    binary, driver_path = chromium()
    if binary is None or driver_path is None:
        if not os.environ.get("CI"):
            pytest.skip(
                "Chromium or its driver is not on PATH (apt-get install chromium "
                "chromium-driver); CI installs them and runs these tests"
            )
        pytest.fail("CI must provide chromium and chromedriver on PATH (.ci/run installs them)")
    if not os.environ.get("CI"):
        pytest.importorskip("selenium", reason="selenium is in the dev extra")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chaingrad-chromium-")
    options = Options()
    options.binary_location = binary
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--window-size={window}",
        f"--user-data-dir={profile}",
        *args,
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(load_timeout)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """The page tests' browser, one per test module."""
    yield from chromium_session()


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
