"""The built site for the tests in this folder: ``CHAINGRAD_SITE`` or ``site/`` (built by
``python docs/build.py``, which .ci/run runs before the tests). Outside CI the tests skip when
there is no site, saying how to build it; in CI a missing site is a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def built_site(*, lite: bool = False) -> Path:
    site = Path(os.environ.get("CHAINGRAD_SITE", ROOT / "site"))
    marker = site / ("lite/index.html" if lite else "index.html")
    if not marker.is_file():
        what = "the JupyterLite site" if lite else "the documentation site"
        if os.environ.get("CI"):
            pytest.fail(
                f"CI must build {what} before the tests: {marker} is missing "
                "(.ci/run runs python docs/build.py)"
            )
        pytest.skip(f"{what} is not built here ({marker} is missing): run python docs/build.py")
    return site
