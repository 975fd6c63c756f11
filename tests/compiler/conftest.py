"""The project's own compile tests run with checking on: every replay beside the engine."""

from collections.abc import Iterator

import pytest

from autograd.compiler import trace


@pytest.fixture(autouse=True)
def compile_checks_every_replay(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(trace, "CHECK", True)
    yield
