"""autograd.compare_with_torch: the lecture graph, every op of the catalogue,
random programs, and the functions it must reject (a different function, a
wrong engine rule), with the table it reports."""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import autograd
from autograd import Value, compare_with_torch
from autograd.core import ieee as _ieee
from autograd.core import value as engine
from autograd.testing import OPS, Op
from autograd.testing.strategies import Program, programs, values

if os.environ.get("CI"):
    import torch  # CI installs PyTorch (.ci/run): these tests must run there, never skip
else:
    torch = pytest.importorskip(
        "torch", reason='PyTorch is not installed (pip install ".[torch]"); CI runs these'
    )


def test_the_lecture_graph() -> None:
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    assert compare_with_torch(lambda a, b, c: 3 * (a + b * c), a, b, c, order=2) is None


def test_a_function_of_methods_operators_and_functions() -> None:
    def f(x, y):
        h = (x * y).tanh() + autograd.gelu(x) ** 2 - y.exp() / (1 + x.sigmoid())
        return h.atan2(y) % 1.5 + x.clamp(0, 1) * autograd.softplus(y * 30) + abs(x - y).sqrt()

    compare_with_torch(f, 0.3, -0.7, order=2)
    compare_with_torch(f, Value(1.4, label="x"), Value(0.2, label="y"))


# Where the engine deliberately differs from PyTorch (docs/conventions.md)
def torch_differs(op: Op, xs: tuple[float, ...]) -> bool:
    if op.name == "sinc":
        return abs(xs[0]) < 1e-2  # PyTorch's sinc' cancels near 0 (nan at 0 at order 2)
    if op.name == "x ** y":
        return xs[1] == 0.0  # PyTorch's d2/dxdy is 0 there; the true value is 1/x
    return False


@pytest.mark.parametrize("op", OPS, ids=str)
@given(data=st.data())
def test_every_op_of_the_catalogue(op: Op, data: st.DataObject) -> None:
    xs = data.draw(values(op), label="xs")
    assume(not torch_differs(op, xs))
    compare_with_torch(op.fn, *xs, order=2)


TORCH_LIKE_OPS = [op for op in OPS if op.name not in ("sinc", "x ** y")]


@given(programs(ops=TORCH_LIKE_OPS))
def test_random_programs(p: Program) -> None:
    compare_with_torch(p, *p.point, order=2, atol=1e-10, rtol=1e-9)


def test_a_different_function_is_rejected_with_a_table() -> None:
    def f(w, b):  # sin on Values, cos on tensors
        return w.sin() * b if isinstance(w, Value) else w.cos() * b

    with pytest.raises(AssertionError) as info:
        compare_with_torch(f, Value(0.5, label="w"), 2.0, order=2)
    lines = str(info.value).splitlines()
    assert lines[0] == (
        "chaingrad and PyTorch disagree on f at w=0.5, b=2.0 (atol=1e-12, rtol=1e-10): "
        "6 of 7 numbers differ"
    )
    assert lines[1].split() == [
        "quantity",
        "chaingrad",
        "torch",
        "difference",
        "would",
        "pass",
        "with",
    ]
    names = [line.split()[0] for line in lines[2:]]
    assert names == ["value", "d/dw", "d/db", "d2/dw", "d2/dw", "d2/db", "d2/db"]
    value_row = lines[2].split()
    assert float(value_row[1]) == pytest.approx(2 * math.sin(0.5), rel=1e-11)
    assert float(value_row[2]) == pytest.approx(2 * math.cos(0.5), rel=1e-11)
    assert lines[-1].split()[-1] == "ok"  # d2/db2 = 0 on both sides


def test_a_wrong_engine_rule_is_caught(monkeypatch) -> None:
    wrong = engine._rule("tan", _ieee.tan, ("1 + {out}²",))(
        lambda g, out, x: g * (1.0 + engine._data(out) ** 2)  # no graph through out
    )
    monkeypatch.setattr(Value, "_d_tan", staticmethod(wrong))
    compare_with_torch(autograd.tan, 0.7)  # first derivatives are right
    with pytest.raises(AssertionError, match="d2/dx dx"):
        compare_with_torch(autograd.tan, 0.7, order=2)


def test_tolerances() -> None:
    f = lambda x: x.exp() if isinstance(x, Value) else x.exp() * (1 + 1e-9)  # 1e-9 apart
    with pytest.raises(AssertionError, match=r"2 of 2 numbers differ[\s\S]*rtol=1e-09"):
        compare_with_torch(f, 1.0)
    compare_with_torch(f, 1.0, rtol=2e-9)


def test_ieee_values_compare_equal_when_both_sides_agree() -> None:
    compare_with_torch(lambda x: x.log(), 0.0)  # -inf and an infinite slope on both sides
    compare_with_torch(lambda x: x.sqrt(), -1.0)  # nan on both sides


def test_constants_and_unused_arguments() -> None:
    compare_with_torch(lambda x, y: x * 2.0, 1.0, 5.0, order=2)
    # a function that ignores its argument: both sides agree on 0, and the engine's
    # grad warns that a float came back (a common slip: math.sin(x.data))
    with pytest.warns(autograd.ConstantOutputWarning):
        compare_with_torch(lambda x: 3.0, 1.0, order=2)


def test_bad_calls() -> None:
    with pytest.raises(ValueError, match="order must be 1 or 2"):
        compare_with_torch(lambda x: x, 1.0, order=3)
    with pytest.raises(ValueError, match="at least one argument"):
        compare_with_torch(lambda: Value(1.0))
    with pytest.raises(TypeError, match="argument 0 must be a number or a Value"):
        compare_with_torch(lambda x: x, "1")
    with pytest.raises(TypeError, match="one number; on tensors it returned a tensor of shape"):
        compare_with_torch(lambda x: x if isinstance(x, Value) else x.repeat(2), 1.0)
    c = Value(2.0)
    with pytest.raises(TypeError, match="returned a Value"):
        compare_with_torch(lambda x: c if not isinstance(x, Value) else x, 1.0)
