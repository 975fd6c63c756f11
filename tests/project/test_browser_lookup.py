"""The browser the player tests drive is found on PATH, not only at Debian's paths."""

from __future__ import annotations

import os
from pathlib import Path

import browser


def _program(folder: Path, name: str) -> str:
    path = folder / name
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def test_chromium_and_its_driver_are_found_on_path(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.delenv("CHROMEDRIVER", raising=False)
    chrome = _program(tmp_path, "chromium-browser")
    driver = _program(tmp_path, "chromedriver")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(browser, "FALLBACKS", {"browser": "/nonexistent", "driver": "/none"})
    assert browser.chromium() == (chrome, driver)
    os.remove(chrome)
    assert browser.chromium() == (None, driver)


def test_the_variables_name_them(tmp_path: Path, monkeypatch) -> None:
    chrome = _program(tmp_path, "my-chrome")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CHROMIUM", "my-chrome")
    monkeypatch.setenv("CHROMEDRIVER", "missing-driver")
    assert browser.chromium() == (chrome, None)
