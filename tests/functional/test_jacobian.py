"""autograd.jacobian and autograd.hessian: shapes, hand-computed entries, nesting
without perturbation confusion, and bad input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value, grad, hessian, jacobian


def polar(r, t):
    """(r cos t, r sin t): the Jacobian is [[cos t, -r sin t], [sin t, r cos t]]."""
    return [r * t.cos(), r * t.sin()]


def test_jacobian_of_polar_coordinates_by_hand() -> None:
    r, t = 2.0, math.pi / 6
    J = jacobian(polar, (0, 1))(r, t)
    expected = [[math.cos(t), -r * math.sin(t)], [math.sin(t), r * math.cos(t)]]
    assert len(J) == 2 and all(len(row) == 2 for row in J)
    for row, want in zip(J, expected):
        assert row == pytest.approx(want, rel=1e-15)
    # det J = r
    assert J[0][0] * J[1][1] - J[0][1] * J[1][0] == pytest.approx(r, rel=1e-15)


def test_shapes_follow_argnums_and_the_output() -> None:
    f = lambda x, y: (x * y, x + y, 3.0)  # m = 3 outputs, one of them constant
    # tuple argnums of k = 2: m lists of k floats
    assert jacobian(f, (0, 1))(2.0, 5.0) == [[5.0, 2.0], [1.0, 1.0], [0.0, 0.0]]
    # int argnums: m floats
    assert jacobian(f, 1)(2.0, 5.0) == [2.0, 1.0, 0.0]
    # a tuple of one entry: m lists of one float
    assert jacobian(f, (0,))(2.0, 5.0) == [[5.0], [1.0], [0.0]]
    # one Value out: that one row
    g = lambda x, y: x * y * y
    assert jacobian(g, (0, 1))(2.0, 5.0) == [25.0, 20.0]  # y**2, 2xy
    assert jacobian(g)(2.0, 5.0) == 25.0
    assert all(type(v) is float for v in jacobian(f, (0, 1))(2.0, 5.0)[0])


def test_jacobian_calls_f_once() -> None:
    calls = []

    def f(x):
        calls.append(x)
        return [x * 2, x * 3, x * 4]

    assert jacobian(f)(1.0) == [2.0, 3.0, 4.0]
    assert len(calls) == 1


def test_a_list_out_of_one_value_is_a_list_of_rows() -> None:
    assert jacobian(lambda x: [x * x])(3.0) == [6.0]
    assert jacobian(lambda x, y: [x * y], (0, 1))(3.0, 2.0) == [[2.0, 3.0]]


def test_outputs_may_share_nodes_and_arguments_may_repeat() -> None:
    def f(x, y):
        u = x * y
        return [u, u * u]

    # d(u**2)/dx = 2u y = 2 * 6 * 2
    assert jacobian(f, (0, 1))(3.0, 2.0) == [[2.0, 3.0], [24.0, 36.0]]
    assert jacobian(lambda x: [x * x], (0, 0))(3.0) == [[6.0, 6.0]]


def test_hessian_by_hand() -> None:
    f = lambda x, y: x * x * y + y**3  # H = [[2y, 2x], [2x, 6y]]
    assert hessian(f, (0, 1))(2.0, 3.0) == [[6.0, 4.0], [4.0, 18.0]]
    assert hessian(f)(2.0, 3.0) == 6.0
    assert hessian(f, 1)(2.0, 3.0) == 18.0
    assert hessian(lambda x, y: x * 3.0, (0, 1))(1.0, 2.0) == [[0.0, 0.0], [0.0, 0.0]]
    # a function of the new ops: d2 atan2(y, x) at (1, 1) is [[-1/2, 0], [0, 1/2]]
    H = hessian(autograd.atan2, (0, 1))(1.0, 1.0)
    assert H[0] == pytest.approx([-0.5, 0.0], abs=1e-15)
    assert H[1] == pytest.approx([0.0, 0.5], abs=1e-15)


@given(
    x=st.floats(-2, 2, allow_nan=False),
    y=st.floats(-2, 2, allow_nan=False),
    z=st.floats(0.5, 2, allow_nan=False),
)
def test_hessian_is_symmetric_and_matches_nested_grad(x: float, y: float, z: float) -> None:
    def f(a, b, c):  # module functions: the arguments not differentiated stay floats
        return autograd.sin(a * b) * autograd.log(c) + autograd.hypot(a, c) * autograd.tanh(b)

    H = hessian(f, (0, 1, 2))(x, y, z)
    for i in range(3):
        for j in range(3):
            assert H[i][j] == pytest.approx(H[j][i], rel=1e-12, abs=1e-12)
            assert H[i][j] == pytest.approx(grad(grad(f, i), j)(x, y, z), rel=1e-15, abs=1e-15)


@given(x=st.floats(-2, 2, allow_nan=False), y=st.floats(-2, 2, allow_nan=False))
def test_jacobian_rows_are_gradients(x: float, y: float) -> None:
    outputs = [lambda a, b: a.sin() * b, lambda a, b: a.atan2(b * b + 1), lambda a, b: a.gelu()]
    J = jacobian(lambda a, b: [o(a, b) for o in outputs], (0, 1))(x, y)
    for row, o in zip(J, outputs):
        assert tuple(row) == grad(o, (0, 1))(x, y)


def test_nesting_keeps_perturbations_apart() -> None:
    # d/dx [x * d/dy (x + y)] = 1, through jacobian and hessian too
    assert grad(lambda x: x * jacobian(lambda y: x + y)(1.0))(3.0) == 1.0
    assert jacobian(lambda x: [x * grad(lambda y: x + y)(1.0)])(3.0) == [1.0]
    # d/dx [d2/dy2 (x y**2)] = d/dx [2x] = 2
    assert grad(lambda x: hessian(lambda y: x * y * y)(1.0))(5.0) == 2.0


def test_values_in_give_values_out() -> None:
    x = Value(2.0)
    row = jacobian(lambda t: [t**3])(x)
    assert isinstance(row[0], Value) and row[0].data == 12.0
    row[0].backward()
    assert x.grad == 12.0  # d(3x**2)/dx = 6x


def test_a_constant_output_gives_values_too_when_called_with_values() -> None:
    # like value_and_grad: every entry is a Value, so the result can be differentiated again
    rows = jacobian(lambda t: [t * 2, 3.0])(Value(1.0))
    assert [type(r) for r in rows] == [Value, Value]
    assert [r.data for r in rows] == [2.0, 0.0]
    assert jacobian(lambda t: [t * 2, 3.0])(1.0) == [2.0, 0.0]  # floats in, floats out


def test_bad_outputs_and_arguments() -> None:
    with pytest.raises(TypeError, match="list or tuple of them, not str"):
        jacobian(lambda x: "x")(1.0)
    with pytest.raises(TypeError, match="output 1 must be a Value or a number, not str"):
        jacobian(lambda x: [x, "x"])(1.0)
    with pytest.raises(TypeError, match="argument 0 must be a number or a Value"):
        jacobian(lambda x: [x])("1")
    with pytest.raises(ValueError, match="argnums"):
        jacobian(lambda x: [x], 1)(1.0)
    with pytest.raises(TypeError, match="must return a Value or a number, not list"):
        hessian(lambda x: [x * x])(1.0)  # a Hessian is of one output


def test_names() -> None:
    def loss(x):
        return x * x

    assert jacobian(loss).__name__ == "jacobian(loss)"
    assert hessian(loss).__name__ == "hessian(loss)"
