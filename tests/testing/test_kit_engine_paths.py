"""The derivative test kit checks what ``backward()`` runs, and refuses checks that cannot fail.

``assert_grads``, ``check_grads`` and ``compare_with_torch`` also run
``backward()`` on fresh leaves (the n-ary ops' ``accumulate`` path, which
``autograd.grad`` does not take) and compare it with ``autograd.grad``, and
check each node's data against its rule's ``forward``.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from autograd import Value
from autograd.core.node import MANY
from autograd.core.value import _node, _rule
from autograd.functional import GradcheckError
from autograd.testing import assert_grads, check_grads
from autograd.testing.compare import compare_with_torch

ROOT = Path(__file__).resolve().parents[2]


def _sum_forward(*xs: float) -> float:
    total = 0.0
    for x in xs:
        total += x
    return total


@_rule("sum_bad_accumulate", _sum_forward, ("1",))
def _d_bad(g: Any, out: Any, *xs: Any) -> Any:
    return [g] * len(xs)  # right: d(x_1 + ... + x_n)/dx_i = 1


def _bad_accumulate(g: float, inputs: tuple[Value, ...]) -> None:
    for x in inputs[:-1]:
        x.grad += g
    inputs[-1].grad += 2.0 * g  # wrong: what backward() runs for the last input


_d_bad.accumulate = _bad_accumulate  # type: ignore[attr-defined]


def bad_sum(a: Value, b: Value) -> Value:
    return _node(a.data + b.data, (a, b), MANY, _d_bad)


@_rule("double_bad_forward", lambda x: 2.0 * x, ("2",))
def _d_double(g: Any, out: Any, x: Any) -> Any:
    return g * 2.0


def bad_double(x: Value) -> Value:
    return _node(3.0 * x.data, x, None, _d_double)  # the node is not its rule's forward


def test_an_accumulate_that_differs_from_its_rule_fails_all_three() -> None:
    for check in (assert_grads, check_grads):
        with pytest.raises(GradcheckError, match=r"d/db: backward\(\) gives 2.0 but autograd"):
            check(lambda a, b: bad_sum(a, b), 0.5, 0.25)
    torch = pytest.importorskip("torch") if not os.environ.get("CI") else None
    del torch
    with pytest.raises(GradcheckError, match=r"backward\(\) gives 2.0"):
        compare_with_torch(lambda a, b: bad_sum(a, b), 0.5, 0.25)


def test_a_node_that_is_not_its_rules_forward_fails() -> None:
    with pytest.raises(GradcheckError, match="its rule's forward gives 1.0"):
        assert_grads(bad_double, 0.5)
    with pytest.raises(GradcheckError, match="its rule's forward"):
        check_grads(bad_double, 0.5, direction="random")


@pytest.mark.parametrize("bad", [math.inf, -1.0, math.nan])
@pytest.mark.parametrize("name", ["atol", "rtol"])
def test_tolerances_that_cannot_fail_are_refused(name: str, bad: float) -> None:
    checks: list[Callable[..., Any]] = [assert_grads, check_grads]
    if os.environ.get("CI") or _has_torch():
        checks.append(compare_with_torch)
    for check in checks:
        with pytest.raises(ValueError, match=name):
            check(lambda x: x * x, 1.5, **{name: bad})


def _has_torch() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def test_two_expected_entries_for_one_argument_are_refused() -> None:
    def f(a: Value) -> Value:
        return a * a

    with pytest.raises(ValueError, match="two entries for argument 'a'"):
        assert_grads(f, 2.0, expected={0: 999.0, "a": 4.0})


def test_pytest_shows_the_table_first(tmp_path: Path) -> None:
    test = tmp_path / "test_fails.py"
    test.write_text(
        textwrap.dedent(
            """
            from autograd.testing import assert_grads, check_grads

            def test_assert():
                assert_grads(lambda x: x * x, 1.5, expected=[5.0])

            def test_check():
                check_grads(lambda x: x * x, 1.5, expected=None) if False else check_grads(
                    lambda x: x.relu(), 0.0, eps=1.0)
            """
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=tmp_path,
    )
    assert "2 failed" in done.stdout, done.stdout
    assert "def assert_grads" not in done.stdout and "def check_grads" not in done.stdout
    assert "GradcheckError: derivatives of" in done.stdout
