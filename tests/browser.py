"""Where the headless browser the tests drive is: Chromium and its driver, found on PATH
under the names distributions give them (Debian's chromium, Ubuntu's and Fedora's
chromium-browser, Google's chrome), or named by the CHROMIUM and CHROMEDRIVER
variables; Debian's paths last. Tests skip without them outside CI and fail in CI."""

from __future__ import annotations

import os
import shutil

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
