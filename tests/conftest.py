"""Shared test settings: hypothesis profiles (no deadlines: machines here are shared and noisy),
and the fixtures several modules use."""

import os
import sys
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

# The tests live in folders by room (core/, display/, compiler/, testing/, nn/, ...); the
# helpers they share (graphs.py, ops.py, engine_expressions.py) stay here, importable by name.
sys.path.insert(0, os.path.dirname(__file__))

# No example database: it would be written into the checkout (.hypothesis/).
_COMMON = {"deadline": None, "database": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("default", max_examples=60, **_COMMON)
settings.register_profile("thorough", max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def default_recursion_limit() -> Iterator[None]:
    """Run at CPython's default recursion limit, whatever the runner set."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


# The page tests' headless Chromium (tests/browser.py), as a fixture every test can ask for.
from browser import browser  # noqa: E402, F401
