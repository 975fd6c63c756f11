"""numpy scalars and other real numbers as ordinary input: ``Value(np.int64(2))``,
numpy scalars as the other operand of every op, ``int(v)``, and how a
``Parameter`` prints."""

from __future__ import annotations

import fractions

import numpy as np
import pytest

import autograd
from autograd import Parameter, Value

SCALARS = [
    np.int64(2),
    np.int32(2),
    np.float32(2.0),
    np.float16(2.0),
    np.float64(2.0),
    fractions.Fraction(2, 1),
]


@pytest.mark.parametrize("x", SCALARS, ids=lambda x: type(x).__name__)
def test_a_value_takes_any_real_number(x: object) -> None:
    v = Value(x)  # type: ignore[arg-type]
    assert type(v.data) is float and v.data == 2.0


def test_a_float32_keeps_its_exact_value() -> None:
    assert Value(np.float32(0.1)).data == float(np.float32(0.1))  # 0.10000000149011612


@pytest.mark.parametrize("x", SCALARS, ids=lambda x: type(x).__name__)
def test_numpy_scalars_as_the_other_operand_give_the_same_graph(x: object) -> None:
    a = Value(3.0, label="a")
    for method in ("atan2", "hypot", "minimum", "maximum"):
        y = getattr(a, method)(x)
        z = getattr(a, method)(2.0)
        assert y.op == z.op and y.data == z.data
        assert [type(p) for p in y.parents] == [type(p) for p in z.parents]
        assert y.parents[0] is a and y.parents[1].data == 2.0
    for op in (
        lambda u, w: u * w,
        lambda u, w: u - w,
        lambda u, w: u / w,
        lambda u, w: u % w,
        lambda u, w: u**w,
        lambda u, w: w**u,
        lambda u, w: autograd.atan2(w, u),
    ):
        y, z = op(a, x), op(a, 2.0)
        assert y.op == z.op and y.data == z.data
        assert [p.data for p in y.parents] == [p.data for p in z.parents]
        y.backward()
        g = a.grad
        a.grad = 0.0
        z.backward()
        assert a.grad == g
        a.grad = 0.0
    assert (a < x) is False and (a > x) is True


def test_numpy_scalars_elsewhere() -> None:
    a = Value(3.0)
    assert a.clamp(np.float32(0.0), np.int64(2)).data == 2.0
    (a * a).backward(np.float32(2.0))
    assert a.grad == 12.0
    assert autograd.dot([np.int64(2)], [a]).data == 6.0


def test_other_objects_are_still_refused() -> None:
    with pytest.raises(TypeError, match="Value data must be"):
        Value("2")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Value data must be"):
        Value(complex(1, 0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="atan2: the other operand"):
        Value(1.0).atan2("2")  # type: ignore[arg-type]


def test_int_of_a_value() -> None:
    assert int(Value(2.7)) == 2 and int(Value(-2.7)) == -2
    assert type(int(Value(2.0))) is int
    with pytest.raises(ValueError):
        int(Value(float("nan")))


def test_a_parameter_prints_as_a_parameter() -> None:
    p = Parameter(0.5, label="w")
    assert repr(p) == "Parameter(data=0.5, grad=0.0, label='w')"
    assert repr(Value(0.5)) == "Value(data=0.5, grad=0.0)"
