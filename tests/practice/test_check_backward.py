"""check_backward: a correct learner class and chaingrad's Value pass; each classic mistake is
caught on the graph that breaks it, reported with expected and obtained gradients."""

from __future__ import annotations

import re
import sys

import pytest
from learner_engines import (
    AssignNotAdd,
    NoRelu,
    NoReset,
    NotReversed,
    RecursiveNoOrder,
    RecursiveSort,
    Scalar,
)

from autograd import Player, Value
from autograd.practice import Report, check_backward
from autograd.practice.engines import CASES, DEEP


def smallest_failing(report: Report) -> str:
    found = re.search(r"^Smallest failing graph: (.*), at .*$", str(report), flags=re.M)
    assert found is not None, report
    return found.group(1)


def flat(report: Report) -> str:
    """The report's text with line breaks as spaces (long lines are wrapped)."""
    return " ".join(str(report).split())


def failed(report: Report) -> list[str]:
    return re.findall(r"^  ✗ (.*?)(?:   ← smallest failing graph)?$", str(report), flags=re.M)


def test_a_correct_learner_class_passes() -> None:
    report = check_backward(Scalar)
    assert report.ok
    assert str(report).startswith(f"check_backward(Scalar): {len(CASES)} of {len(CASES)} graphs")


def test_chaingrad_value_passes() -> None:
    assert check_backward(Value).ok


def test_recursion_without_topological_order_fails_on_a_reused_computed_value() -> None:
    report = check_backward(RecursiveNoOrder, strict=False)
    assert smallest_failing(report) == "b = a + a; c = b + b"
    text = str(report)
    assert "a topological order, not recursion from the output" in flat(report)
    assert re.search(r"    ✗ a\s+4\s+8$", text, flags=re.M)  # dc/da = 4; visiting b twice gives 8
    assert "out = (x·y + x)·(x·y·y)" in failed(report)  # the diamond too


def test_a_post_order_not_reversed_fails() -> None:
    report = check_backward(NotReversed, strict=False)
    assert smallest_failing(report) == "y = a**2 · b"
    assert "the topological order, reversed" in flat(report)
    assert re.search(r"    ✗ a\s+-12\s+0$", str(report), flags=re.M)  # dy/da = 2a·b = -12


def test_assign_instead_of_add_fails_on_a_value_used_twice() -> None:
    report = check_backward(AssignNotAdd, strict=False)
    assert smallest_failing(report) == "b = a + a"
    assert "(+=, not =)" in flat(report)
    assert re.search(r"    ✗ a\s+2\s+1$", str(report), flags=re.M)


def test_interior_gradients_not_reset_fail_the_pytorch_check_only() -> None:
    report = check_backward(NoReset, strict=False)
    assert failed(report) == ["J = k·(a + b·c), backward() twice"]
    text = str(report)
    assert "micrograd resets nothing" in flat(report) and "twice='micrograd'" in text
    assert re.search(r"    ✗ b\s+12\s+", text, flags=re.M)  # dJ/db doubles: 2 · 6
    assert check_backward(NoReset, twice="micrograd").ok  # micrograd's behaviour, chosen
    assert not check_backward(Scalar, twice="micrograd", strict=False).ok
    report = check_backward(NoReset, twice=None)
    assert "(skipped: twice=None)" in str(report)


def test_a_recursive_sort_fails_on_the_deep_chain_only() -> None:
    limit = sys.getrecursionlimit()
    report = check_backward(RecursiveSort, strict=False)
    assert failed(report) == [f"a chain of {DEEP:,} additions"]
    assert "RecursionError" in str(report)
    assert "explicit stack" in flat(report)
    assert report.player is None  # too large a graph for a page
    assert sys.getrecursionlimit() == limit


def test_the_failure_is_an_assertion_error_with_the_report_and_a_player() -> None:
    with pytest.raises(AssertionError) as info:
        check_backward(AssignNotAdd)
    report = check_backward(AssignNotAdd, strict=False)
    assert str(info.value) == str(report)
    assert isinstance(report.player, Player)
    assert "report.player" in str(report)
    assert 'class="chaingrad-player"' in report._repr_html_()


def test_missing_ops_are_skipped_and_listed() -> None:
    report = check_backward(NoRelu)
    assert report.ok
    text = str(report)
    assert "3 skipped" in text
    assert "y = relu(a)·b + relu(b)·a  (skipped: no relu)" in text


def test_a_class_that_raises_is_reported_not_crashed() -> None:
    class NoSub(Scalar):
        def __sub__(self, other: Scalar) -> Scalar:
            raise NotImplementedError("no minus yet")

    report = check_backward(NoSub, strict=False)
    assert smallest_failing(report) == "f = (a − b)**3 · a"
    assert "NotImplementedError: no minus yet (line" in str(report)


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="cls must be a class"):
        check_backward(Scalar(1.0))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="twice must be"):
        check_backward(Scalar, twice="torch")  # type: ignore[arg-type]
