"""Every op of the engine: a hand-computed value and derivatives, a first- and
second-order ``assert_grads`` (the test kit, ``autograd.testing``) over
hypothesis-drawn inputs, the op's name and operand order, and its edge cases;
then random compositions of ops.

The hypothesis domains stay where central differences mean something (away from
the kinks of abs/relu/leaky_relu, away from poles, moderate magnitudes; for the
newer ops, the catalogue's domains through ``autograd.testing.strategies.values``);
the kinks and the IEEE edges are tested separately below, as exact values.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from engine_expressions import admissible, engine_function, points, show, trees
from hypothesis import assume, given, note
from hypothesis import strategies as st

import autograd
from autograd import Value, grad, gradcheck
from autograd.testing import assert_grads
from autograd.testing.strategies import values

E = math.e
LN2 = math.log(2.0)
LN10 = math.log(10.0)
SQRT3 = math.sqrt(3.0)
SQRT_PI = math.sqrt(math.pi)


def reals(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def away_from_zero(limit: float, margin: float = 0.05) -> st.SearchStrategy[float]:
    return reals(margin, limit) | reals(-limit, -margin)


def domain(op: str) -> st.SearchStrategy[float]:
    """The catalogue's smooth domain of an op of one argument."""
    return values(op).map(lambda xs: xs[0])


# ---------------------------------------------------------------- unary ops


@dataclass(frozen=True)
class Unary:
    """An op of one argument: how to apply it, where it is smooth, and a point
    worked by hand: f(x), f'(x) and f''(x)."""

    op: str
    fn: Callable[[Value], Value]
    domain: st.SearchStrategy[float]
    x: float
    f: float
    df: float
    d2f: float

    def __repr__(self) -> str:  # the pytest id
        return self.op


UNARY = [
    Unary("neg", lambda v: -v, reals(-100, 100), 3.0, -3.0, -1.0, 0.0),
    # d|x|/dx = sign(x)
    Unary("abs", abs, away_from_zero(100), -3.0, 3.0, -1.0, 0.0),
    Unary("exp", Value.exp, reals(-30, 30), 1.0, E, E, E),
    # d ln x = 1/x, d2 = -1/x**2
    Unary("log", Value.log, reals(0.05, 100), 4.0, math.log(4.0), 0.25, -0.0625),
    # d sqrt x = 1/(2 sqrt x) = 0.25 at 4; d2 = -1/(4 x**1.5) = -1/32
    Unary("sqrt", Value.sqrt, reals(0.05, 100), 4.0, 2.0, 0.25, -1.0 / 32.0),
    Unary("sin", Value.sin, reals(-10, 10), 0.0, 0.0, 1.0, -0.0),
    Unary("cos", Value.cos, reals(-10, 10), 0.0, 1.0, -0.0, -1.0),
    # tanh' = 1 - t**2, tanh'' = -2t(1 - t**2): at 0, 1 and 0
    Unary("tanh", Value.tanh, reals(-10, 10), 0.0, 0.0, 1.0, -0.0),
    # s' = s(1-s) = 1/4 at 0, s'' = s'(1-2s) = 0 at 0
    Unary("sigmoid", Value.sigmoid, reals(-30, 30), 0.0, 0.5, 0.25, 0.0),
    Unary("relu", Value.relu, away_from_zero(100), 2.0, 2.0, 1.0, 0.0),
    Unary("leaky_relu", Value.leaky_relu, away_from_zero(100), -2.0, -0.02, 0.01, 0.0),
    # softplus' = sigmoid, softplus'' = sigmoid' = 1/4 at 0
    Unary("softplus", Value.softplus, reals(-30, 30), 0.0, LN2, 0.5, 0.25),
    # constant exponents: d x**n = n x**(n-1)
    Unary("**2", lambda v: v**2, reals(-100, 100), 3.0, 9.0, 6.0, 2.0),
    Unary("**3", lambda v: v**3, reals(-20, 20), 2.0, 8.0, 12.0, 12.0),
    Unary("**0", lambda v: v**0, reals(-100, 100), 2.0, 1.0, 0.0, 0.0),
    Unary("**1", lambda v: v**1, reals(-100, 100), 2.0, 2.0, 1.0, 0.0),
    Unary("**-1", lambda v: v**-1, away_from_zero(100, 0.1), 2.0, 0.5, -0.25, 0.25),
    Unary("**0.5", lambda v: v**0.5, reals(0.05, 100), 4.0, 2.0, 0.25, -1.0 / 32.0),
    # x**-1.5 at 4: 1/8, -1.5 * 4**-2.5 = -3/64, 3.75 * 4**-3.5 = 15/512
    Unary("**-1.5", lambda v: v**-1.5, reals(0.1, 100), 4.0, 0.125, -3 / 64, 15 / 512),
    Unary("**2.5", lambda v: v**2.5, reals(0.05, 50), 4.0, 32.0, 20.0, 7.5),
    # constant bases: d a**x = a**x ln a
    Unary("2**", lambda v: 2**v, reals(-30, 30), 3.0, 8.0, 8 * LN2, 8 * LN2 * LN2),
    Unary("0.5**", lambda v: 0.5**v, reals(-30, 30), 1.0, 0.5, -0.5 * LN2, 0.5 * LN2 * LN2),
    # x op number and number op x: the constant becomes a leaf parent
    Unary("+", lambda v: v + 2, reals(-100, 100), 1.0, 3.0, 1.0, 0.0),
    Unary("+", lambda v: 2 + v, reals(-100, 100), 1.0, 3.0, 1.0, 0.0),
    Unary("-", lambda v: v - 2, reals(-100, 100), 1.0, -1.0, 1.0, 0.0),
    Unary("-", lambda v: 2 - v, reals(-100, 100), 1.0, 1.0, -1.0, 0.0),
    Unary("*", lambda v: v * 3, reals(-100, 100), 2.0, 6.0, 3.0, 0.0),
    Unary("*", lambda v: 3 * v, reals(-100, 100), 2.0, 6.0, 3.0, 0.0),
    Unary("/", lambda v: v / 4, reals(-100, 100), 2.0, 0.5, 0.25, 0.0),
    # d (3/x) = -3/x**2, d2 = 6/x**3
    Unary("/", lambda v: 3 / v, away_from_zero(100, 0.1), 2.0, 1.5, -0.75, 0.75),
    Unary("identity", autograd.core.value.identity, reals(-100, 100), 2.0, 2.0, 1.0, 0.0),
    Unary("abs", Value.abs, domain("abs"), -3.0, 3.0, -1.0, 0.0),
    # the full function set, at points where f, f' and f'' have closed forms
    # tan' = 1 + tan**2, tan'' = 2 tan (1 + tan**2): at π/4, 2 and 4
    Unary("tan", Value.tan, domain("tan"), math.pi / 4, 1.0, 2.0, 4.0),
    # sinh(ln 2) = (2 - 1/2)/2 = 3/4 and cosh(ln 2) = (2 + 1/2)/2 = 5/4
    Unary("sinh", Value.sinh, domain("sinh"), LN2, 0.75, 1.25, 0.75),
    Unary("cosh", Value.cosh, domain("cosh"), LN2, 1.25, 0.75, 1.25),
    # asin' = (1 - x**2)**-1/2 = 2/√3 at 1/2; asin'' = x (1 - x**2)**-3/2 = 4/(3√3)
    Unary("asin", Value.asin, domain("asin"), 0.5, math.pi / 6, 2 / SQRT3, 4 / (3 * SQRT3)),
    Unary("acos", Value.acos, domain("acos"), 0.5, math.pi / 3, -2 / SQRT3, -4 / (3 * SQRT3)),
    # atan' = 1/(1 + x**2) = 1/2 at 1; atan'' = -2x/(1 + x**2)**2 = -1/2
    Unary("atan", Value.atan, domain("atan"), 1.0, math.pi / 4, 0.5, -0.5),
    # asinh(3/4) = ln(3/4 + 5/4) = ln 2; asinh' = (1 + x**2)**-1/2 = 4/5;
    # asinh'' = -x (1 + x**2)**-3/2 = -(3/4)(64/125)
    Unary("asinh", Value.asinh, domain("asinh"), 0.75, LN2, 0.8, -48 / 125),
    # acosh(5/4) = ln(5/4 + 3/4) = ln 2; acosh' = (x**2 - 1)**-1/2 = 4/3;
    # acosh'' = -x (x**2 - 1)**-3/2 = -(5/4)(64/27)
    Unary("acosh", Value.acosh, domain("acosh"), 1.25, LN2, 4 / 3, -80 / 27),
    # atanh(3/5) = ln((1 + 3/5)/(1 - 3/5))/2 = ln 2; atanh' = 1/(1 - x**2) = 25/16;
    # atanh'' = 2x/(1 - x**2)**2 = (6/5)(625/256)
    Unary("atanh", Value.atanh, domain("atanh"), 0.6, LN2, 25 / 16, 375 / 128),
    # log2' = 1/(x ln 2), log2'' = -1/(x**2 ln 2); the same with ln 10 for log10
    Unary("log2", Value.log2, domain("log2"), 8.0, 3.0, 1 / (8 * LN2), -1 / (64 * LN2)),
    Unary("log10", Value.log10, domain("log10"), 100.0, 2.0, 1 / (100 * LN10), -1 / (1e4 * LN10)),
    # log1p' = 1/(1 + x) = 1/2 at 1, log1p'' = -1/(1 + x)**2 = -1/4
    Unary("log1p", Value.log1p, domain("log1p"), 1.0, LN2, 0.5, -0.25),
    # expm1(ln 2) = 2 - 1, and both derivatives are e**x = 2
    Unary("expm1", Value.expm1, domain("expm1"), LN2, 1.0, 2.0, 2.0),
    # exp2' = 2**x ln 2, exp2'' = 2**x (ln 2)**2
    Unary("exp2", Value.exp2, domain("exp2"), 3.0, 8.0, 8 * LN2, 8 * LN2 * LN2),
    # erf' = 2/√π e**(-x**2), erf'' = -2x erf'(x): 2/√π and 0 at 0
    Unary("erf", Value.erf, domain("erf"), 0.0, 0.0, 2 / SQRT_PI, 0.0),
    Unary("erfc", Value.erfc, domain("erfc"), 0.0, 1.0, -2 / SQRT_PI, 0.0),
    # sinc(1/2) = sin(π/2)/(π/2) = 2/π; sinc' = (cos πx - sinc x)/x = -4/π;
    # sinc'' = π**2 s''(π/2) with s(u) = sin(u)/u: -2π + 16/π
    Unary(
        "sinc",
        Value.sinc,
        domain("sinc"),
        0.5,
        2 / math.pi,
        -4 / math.pi,
        16 / math.pi - 2 * math.pi,
    ),
    # sinc near 0 goes through a series: sinc(x) = 1 - (πx)**2/6 + ..., so sinc''(0) = -π**2/3
    Unary("sinc", Value.sinc, domain("sinc"), 0.0, 1.0, 0.0, -(math.pi**2) / 3),
    # piecewise constant: derivative 0
    Unary("sign", Value.sign, domain("sign"), -3.0, -1.0, 0.0, 0.0),
    Unary("floor", Value.floor, domain("floor"), 2.5, 2.0, 0.0, 0.0),
    Unary("ceil", Value.ceil, domain("ceil"), 2.5, 3.0, 0.0, 0.0),
    Unary("trunc", Value.trunc, domain("trunc"), -2.5, -2.0, 0.0, 0.0),
    # gelu = x Φ(x): gelu' = Φ + x φ = 1/2 at 0; gelu'' = φ (2 - x**2) = 2/√(2π) at 0
    Unary("gelu", Value.gelu, domain("gelu"), 0.0, 0.0, 0.5, 2 / math.sqrt(2 * math.pi)),
    # gelu at 1: Φ(1) = erfc(-1/√2)/2, φ(1) = e**(-1/2)/√(2π)
    Unary(
        "gelu",
        Value.gelu,
        domain("gelu"),
        1.0,
        math.erfc(-math.sqrt(0.5)) / 2,
        math.erfc(-math.sqrt(0.5)) / 2 + math.exp(-0.5) / math.sqrt(2 * math.pi),
        math.exp(-0.5) / math.sqrt(2 * math.pi),
    ),
    # silu = x s(x): silu' = s + x s (1 - s) = 1/2 at 0; silu'' = 2 s' + x s'' = 1/2 at 0
    Unary("silu", Value.silu, domain("silu"), 0.0, 0.0, 0.5, 0.5),
    Unary("deg2rad", Value.deg2rad, domain("deg2rad"), 180.0, math.pi, math.pi / 180, 0.0),
    Unary("rad2deg", Value.rad2deg, domain("rad2deg"), math.pi, 180.0, 180 / math.pi, 0.0),
    # clamp: the identity inside [lo, hi], a constant outside
    Unary("clamp", lambda v: v.clamp(-1, 1), domain("clamp(-1, 1)"), 0.5, 0.5, 1.0, 0.0),
    Unary("clamp", lambda v: v.clamp(-1, 1), domain("clamp(-1, 1)"), 3.0, 1.0, 0.0, 0.0),
]


@pytest.mark.parametrize("case", UNARY, ids=repr)
def test_unary_hand_values(case: Unary) -> None:
    x = Value(case.x, label="x")
    y = case.fn(x)
    y.backward()
    assert y.op == case.op
    assert x in y.parents
    assert y.data == pytest.approx(case.f, rel=1e-15, abs=1e-15)
    assert x.grad == pytest.approx(case.df, rel=1e-15, abs=1e-15)
    assert grad(grad(case.fn))(case.x) == pytest.approx(case.d2f, rel=1e-14, abs=1e-15)


@pytest.mark.parametrize("case", UNARY, ids=repr)
@given(data=st.data())
def test_unary_assert_grads(case: Unary, data: st.DataObject) -> None:
    x = data.draw(case.domain, label="x")
    assert_grads(case.fn, x, order=2)


# ---------------------------------------------------------------- binary ops


@dataclass(frozen=True)
class Binary:
    """An op of two Values: where it is smooth (pairs of operands) and a hand-worked point."""

    op: str
    fn: Callable[[Value, Value], Value]
    points: st.SearchStrategy[tuple[float, float]]
    xy: tuple[float, float]
    f: float
    grads: tuple[float, float]

    def __repr__(self) -> str:
        return self.op


BINARY = [
    Binary("+", lambda a, b: a + b, values("x + y"), (2, 3), 5, (1, 1)),
    Binary("-", lambda a, b: a - b, values("x - y"), (2, 3), -1, (1, -1)),
    # d(xy) = y dx + x dy
    Binary("*", lambda a, b: a * b, values("x * y"), (2, 3), 6, (3, 2)),
    # d(x/y) = dx/y - x dy/y**2
    Binary(
        "/",
        lambda a, b: a / b,
        st.tuples(reals(-100, 100), away_from_zero(100, 0.1)),
        (3, 2),
        1.5,
        (0.5, -0.75),
    ),
    # d(x**y) = y x**(y-1) dx + x**y ln x dy
    Binary(
        "**",
        lambda a, b: a**b,
        st.tuples(reals(0.1, 10), reals(-3, 3)),
        (2, 3),
        8,
        (12, 8 * LN2),
    ),
    # x % y = x - y floor(x/y): d/dx = 1, d/dy = -floor(x/y)
    Binary("%", lambda a, b: a % b, values("x % y"), (7, 3), 1, (1, -2)),
    Binary("%", lambda a, b: a % b, values("x % y"), (-7, 3), 2, (1, 3)),
    Binary("%", lambda a, b: a % b, values("x % y"), (7, -3), -2, (1, 3)),
    # atan2(y, x): d/dy = x/(x**2 + y**2), d/dx = -y/(x**2 + y**2)
    Binary("atan2", Value.atan2, values("atan2"), (1, 1), math.pi / 4, (0.5, -0.5)),
    Binary("atan2", Value.atan2, values("atan2"), (4, -3), math.atan2(4, -3), (-0.12, -0.16)),
    # hypot: d/dx = x/h, d/dy = y/h
    Binary("hypot", Value.hypot, values("hypot"), (3, 4), 5, (0.6, 0.8)),
    Binary("minimum", Value.minimum, values("minimum"), (2, 3), 2, (1, 0)),
    Binary("minimum", Value.minimum, values("minimum"), (3, 2), 2, (0, 1)),
    Binary("maximum", Value.maximum, values("maximum"), (2, 3), 3, (0, 1)),
    Binary("maximum", Value.maximum, values("maximum"), (3, 2), 3, (1, 0)),
]


@pytest.mark.parametrize("case", BINARY, ids=repr)
def test_binary_hand_values(case: Binary) -> None:
    a, b = Value(case.xy[0], label="a"), Value(case.xy[1], label="b")
    y = case.fn(a, b)
    y.backward()
    assert y.op == case.op
    assert y.parents == (a, b)  # operand order
    assert y.data == pytest.approx(case.f, rel=1e-15)
    assert (a.grad, b.grad) == pytest.approx(case.grads, rel=1e-15)


@pytest.mark.parametrize("case", BINARY, ids=repr)
@given(data=st.data())
def test_binary_assert_grads(case: Binary, data: st.DataObject) -> None:
    x, y = data.draw(case.points, label="(x, y)")
    assert_grads(case.fn, x, y, order=2)


def test_second_derivatives_of_binary_ops_by_hand() -> None:
    # x / y: d2/dy2 = 2x / y**3, d2/dxdy = -1 / y**2
    assert grad(grad(lambda x, y: x / y, 1), 1)(3.0, 2.0) == 0.75
    assert grad(grad(lambda x, y: x / y, 0), 1)(3.0, 2.0) == -0.25
    # x * y: d2/dxdy = 1, d2/dx2 = 0
    assert grad(grad(lambda x, y: x * y, 0), 1)(3.0, 2.0) == 1.0
    assert grad(grad(lambda x, y: x * y, 0), 0)(3.0, 2.0) == 0.0
    # x ** y at (2, 3): d2/dx2 = y(y-1) x**(y-2) = 12, d2/dy2 = x**y ln(x)**2
    assert grad(grad(lambda x, y: x**y, 0), 0)(2.0, 3.0) == pytest.approx(12.0, rel=1e-15)
    assert grad(grad(lambda x, y: x**y, 1), 1)(2.0, 3.0) == pytest.approx(8 * LN2**2, rel=1e-15)
    # d2/dxdy x**y = x**(y-1) (1 + y ln x) = 4 (1 + 3 ln 2)
    assert grad(grad(lambda x, y: x**y, 0), 1)(2.0, 3.0) == pytest.approx(
        4 * (1 + 3 * LN2), rel=1e-15
    )
    # hypot at (3, 4): d2/dx2 = y**2/h**3 = 16/125, d2/dxdy = -xy/h**3 = -12/125
    assert grad(grad(Value.hypot, 0), 0)(3.0, 4.0) == pytest.approx(16 / 125, rel=1e-15)
    assert grad(grad(Value.hypot, 0), 1)(3.0, 4.0) == pytest.approx(-12 / 125, rel=1e-15)
    # atan2(y, x) at (1, 1): d2/dy2 = -2xy/r**4 = -1/2, d2/dydx = (y**2 - x**2)/r**4 = 0
    assert grad(grad(Value.atan2, 0), 0)(1.0, 1.0) == pytest.approx(-0.5, rel=1e-15)
    assert grad(grad(Value.atan2, 0), 1)(1.0, 1.0) == pytest.approx(0.0, abs=1e-15)
    # x % y: d/dy = -floor(x/y) is piecewise constant, so every second derivative is 0
    assert grad(grad(lambda x, y: x % y, 1), (0, 1))(7.0, 3.0) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("name", "fn", "x", "d3f"),
    [
        # third derivatives from the Taylor series at 0
        ("tan = x + x**3/3", Value.tan, 0.0, 2.0),
        ("asin = x + x**3/6", Value.asin, 0.0, 1.0),
        ("atanh = x + x**3/3", Value.atanh, 0.0, 2.0),
        ("asinh = x - x**3/6", Value.asinh, 0.0, -1.0),
        ("erf = 2/√π (x - x**3/3)", Value.erf, 0.0, -4 / SQRT_PI),
        ("sinc is even", Value.sinc, 0.0, 0.0),
        ("sinh = x + x**3/6", Value.sinh, 0.0, 1.0),
        ("expm1 = x + x**2/2 + x**3/6", Value.expm1, 0.0, 1.0),
        ("gelu: d3 = -x φ(x) (4 - x**2)", Value.gelu, 0.0, 0.0),
        # sinc(x) = s(πx), s(u) = sin(u)/u, whose third derivative at π is (π**2 - 6)/π**3
        ("sinc at 1", Value.sinc, 1.0, math.pi**2 - 6),
    ],
)
def test_third_derivatives_by_hand(
    name: str, fn: Callable[[Value], Value], x: float, d3f: float
) -> None:
    assert grad(grad(grad(fn)))(x) == pytest.approx(d3f, rel=1e-12, abs=1e-12), name


# ---------------------------------------------------------------- n-ary fused ops


def test_dot_is_one_node_with_hand_gradients() -> None:
    w = [Value(2.0, label="w0"), Value(-3.0, label="w1")]
    x = [Value(5.0, label="x0"), Value(7.0, label="x1")]
    b = Value(0.5, label="b")
    y = autograd.dot(w, x, b)
    assert y.op == "dot"
    assert y.parents == (*w, *x, b)
    assert y.data == 2 * 5 - 3 * 7 + 0.5
    y.backward()
    # d/dw_i = x_i, d/dx_i = w_i, d/db = 1
    assert [v.grad for v in w + x + [b]] == [5.0, 7.0, 2.0, -3.0, 1.0]


def test_dot_without_bias_and_with_numbers() -> None:
    x = [Value(1.5), Value(-2.0)]
    y = autograd.dot([3, 0.5], x)
    assert y.op == "dot" and len(y.parents) == 4 and y.parents[2:] == tuple(x)
    y.backward()
    assert y.data == 3.5
    assert [v.grad for v in x] == [3.0, 0.5]


def test_dot_of_nothing_is_its_bias() -> None:
    assert autograd.dot([], []).data == 0.0
    b = Value(2.0)
    y = autograd.dot([], [], b)
    y.backward()
    assert (y.data, b.grad) == (2.0, 1.0)


def test_dot_rejects_bad_operands() -> None:
    with pytest.raises(ValueError, match="2 weights but 1 inputs"):
        autograd.dot([1.0, 2.0], [Value(1.0)])
    with pytest.raises(TypeError, match="str"):
        autograd.dot([Value(1.0)], ["x"])
    with pytest.raises(TypeError, match="NoneType"):
        autograd.dot([None], [Value(1.0)])
    with pytest.raises(TypeError, match="list"):
        autograd.dot([Value(1.0)], [Value(1.0)], bias=[1.0])


def test_dot_matches_the_binary_graph() -> None:
    w = [Value(0.1 * i - 0.3) for i in range(7)]
    x = [Value(1.0 / (i + 1)) for i in range(7)]
    fused = autograd.dot(w, x, 0.25)
    fused.backward()
    fused_grads = [v.grad for v in w + x]
    for v in w + x:
        v.grad = 0.0
    chained = Value(0.25)
    for wi, xi in zip(w, x):
        chained = chained + wi * xi
    chained.backward()
    assert fused.data == pytest.approx(chained.data, rel=1e-15)
    assert fused_grads == pytest.approx([v.grad for v in w + x], rel=1e-15)


def test_sum_is_one_node() -> None:
    xs = [Value(float(i), label=f"x{i}") for i in range(5)]
    y = autograd.sum([*xs, 2.5])
    assert y.op == "sum" and y.parents[:5] == tuple(xs) and len(y.parents) == 6
    assert y.data == 12.5
    y.backward()
    assert [v.grad for v in xs] == [1.0] * 5
    assert autograd.sum([]).data == 0.0
    with pytest.raises(TypeError, match="str"):
        autograd.sum([Value(1.0), "2"])


def test_dot_data_is_a_float() -> None:
    # the engine module defines its own sum(); dot's forward must still add floats
    y = autograd.dot([Value(2.0)], [Value(3.0)], 1.0)
    assert type(y.data) is float and y.data == 7.0


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(lambda v: autograd.sum([v]), 1.0, id="sum of one value"),
        pytest.param(lambda v: autograd.dot([], [], v), 1.0, id="dot of nothing plus a bias"),
        pytest.param(lambda v: autograd.dot([v], [2.0]), 2.0, id="dot of one pair"),
    ],
)
def test_small_nary_nodes_in_every_backward_route(
    make: Callable[[Value], Value], expected: float
) -> None:
    """An n-ary node with one or two inputs must give the hand-computed float
    gradient in backward(), backward(create_graph=True), grad() and detect_anomaly."""
    assert grad_at(make, 3.0)[1] == expected
    assert grad(make)(3.0) == expected
    x = Value(3.0)
    make(x).backward(create_graph=True)
    assert float(x.grad) == expected
    x = Value(3.0)
    with autograd.detect_anomaly():
        make(x).backward()
    assert x.grad == expected


def test_sum_is_not_exported_by_star_import() -> None:
    namespace: dict[str, object] = {}
    exec("from autograd import *", namespace)
    assert "sum" not in namespace
    assert "dot" in namespace


@given(ws=st.lists(reals(-3, 3), min_size=1, max_size=4), data=st.data())
def test_dot_gradcheck(ws: list[float], data: st.DataObject) -> None:
    xs = data.draw(st.lists(reals(-3, 3), min_size=len(ws), max_size=len(ws)), label="xs")
    bias = data.draw(reals(-3, 3), label="bias")
    n = len(ws)

    def f(*args: Value) -> Value:
        # tanh on top, so the second derivatives are not all zero
        return autograd.dot(args[:n], args[n : 2 * n], args[-1]).tanh()

    assert gradcheck(f, *ws, *xs, bias, order=2)


@given(xs=st.lists(reals(-3, 3), min_size=1, max_size=5))
def test_sum_gradcheck(xs: list[float]) -> None:
    assert gradcheck(lambda *vs: autograd.sum(vs).sin(), *xs, order=2)


# ---------------------------------------------------------------- compositions


@given(tree=trees(), point=points())
def test_random_compositions_gradcheck(tree: tuple, point: tuple[float, float]) -> None:
    """Random expression trees of all the ops, first and second order."""
    x, y = point
    assume(admissible(tree, x, y))
    note(f"f(x, y) = {show(tree)}")
    # the values can reach 1e3, and second differences of such a function lose
    # a few more digits than a single op: tolerances a little looser
    assert gradcheck(engine_function(tree), x, y, atol=1e-4, rtol=1e-4, order=2)


@given(tree=trees(), point=points())
def test_random_compositions_backward_agrees_with_grad(
    tree: tuple, point: tuple[float, float]
) -> None:
    """Value.backward and the functional grad are two routes to the same numbers."""
    x, y = point
    f = engine_function(tree)
    vx, vy = Value(x), Value(y)
    out = f(vx, vy)
    if not isinstance(out, Value):  # a tree of constants only
        return
    out.backward()
    functional = grad(f, (0, 1))(x, y)
    assert (vx.grad, vy.grad) == pytest.approx(functional, rel=1e-12, abs=1e-12, nan_ok=True)


# ---------------------------------------------------------------- edge cases per op


def grad_at(fn: Callable[[Value], Value], x: float) -> tuple[float, float]:
    """(f(x), f'(x)) by backward."""
    v = Value(x)
    y = fn(v)
    y.backward()
    return y.data, v.grad


def same(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Equal as IEEE values, where nan equals nan."""
    return len(a) == len(b) and all(
        (math.isnan(p) and math.isnan(q)) or p == q for p, q in zip(a, b)
    )


@pytest.mark.parametrize(
    ("name", "fn", "x", "expected"),
    [
        # kinks: relu'(0) = 0, |x|'(0) = 0, leaky_relu'(0) = slope (as PyTorch)
        ("relu at 0", Value.relu, 0.0, (0.0, 0.0)),
        ("abs at 0", abs, 0.0, (0.0, 0.0)),
        ("leaky_relu at 0", Value.leaky_relu, 0.0, (0.0, 0.01)),
        ("leaky_relu slope 0.2", lambda v: v.leaky_relu(0.2), -5.0, (-1.0, 0.2)),
        # the poles and the edges of the domains
        ("log at 0", Value.log, 0.0, (-math.inf, math.inf)),
        ("log below 0", Value.log, -1.0, (math.nan, -1.0)),
        ("sqrt at 0", Value.sqrt, 0.0, (0.0, math.inf)),
        ("sqrt below 0", Value.sqrt, -4.0, (math.nan, math.nan)),
        ("x**-1 at 0", lambda v: v**-1, 0.0, (math.inf, -math.inf)),
        ("x**0 at 0", lambda v: v**0, 0.0, (1.0, 0.0)),
        ("x**0.5 at 0", lambda v: v**0.5, 0.0, (0.0, math.inf)),
        ("x**2 at 0", lambda v: v**2, 0.0, (0.0, 0.0)),
        ("x**(1/3) below 0", lambda v: v ** (1 / 3), -8.0, (math.nan, math.nan)),
        ("1/x at 0", lambda v: 1 / v, 0.0, (math.inf, -math.inf)),
        ("1/x at -0.0", lambda v: 1 / v, -0.0, (-math.inf, -math.inf)),
        # overflow gives inf, never OverflowError
        ("exp overflow", Value.exp, 1000.0, (math.inf, math.inf)),
        ("exp underflow", Value.exp, -1000.0, (0.0, 0.0)),
        ("2**x overflow", lambda v: 2**v, 2000.0, (math.inf, math.inf)),
        ("x**3 overflow", lambda v: v**3, -1e200, (-math.inf, math.inf)),
        ("x*x overflow", lambda v: v * v, 1e200, (math.inf, 2e200)),
        # saturating activations have a finite value and gradient everywhere
        ("sigmoid at -1000", Value.sigmoid, -1000.0, (0.0, 0.0)),
        ("sigmoid at 1000", Value.sigmoid, 1000.0, (1.0, 0.0)),
        ("tanh at -1000", Value.tanh, -1000.0, (-1.0, 0.0)),
        ("tanh at 1000", Value.tanh, 1000.0, (1.0, 0.0)),
        ("softplus at -1000", Value.softplus, -1000.0, (0.0, 0.0)),
        ("softplus at 1000", Value.softplus, 1000.0, (1000.0, 1.0)),
        # infinite inputs
        ("relu at -inf", Value.relu, -math.inf, (0.0, 0.0)),
        ("relu at inf", Value.relu, math.inf, (math.inf, 1.0)),
        ("leaky_relu at -inf", Value.leaky_relu, -math.inf, (-math.inf, 0.01)),
        ("sigmoid at -inf", Value.sigmoid, -math.inf, (0.0, 0.0)),
        ("tanh at inf", Value.tanh, math.inf, (1.0, 0.0)),
        ("softplus at -inf", Value.softplus, -math.inf, (0.0, 0.0)),
        ("softplus at inf", Value.softplus, math.inf, (math.inf, 1.0)),
        ("exp at -inf", Value.exp, -math.inf, (0.0, 0.0)),
        ("sin at inf", Value.sin, math.inf, (math.nan, math.nan)),
        ("cos at -inf", Value.cos, -math.inf, (math.nan, math.nan)),
        # nan propagates through every op, value and gradient
        ("exp at nan", Value.exp, math.nan, (math.nan, math.nan)),
        ("tanh at nan", Value.tanh, math.nan, (math.nan, math.nan)),
        ("sigmoid at nan", Value.sigmoid, math.nan, (math.nan, math.nan)),
        ("softplus at nan", Value.softplus, math.nan, (math.nan, math.nan)),
        ("log at nan", Value.log, math.nan, (math.nan, math.nan)),
        ("relu at nan", Value.relu, math.nan, (math.nan, 0.0)),
        # the full function set at its domain edges, poles, infinities and nan
        ("tan at inf", Value.tan, math.inf, (math.nan, math.nan)),
        ("tan at nan", Value.tan, math.nan, (math.nan, math.nan)),
        # asin'(±1) and acos'(±1) are ±inf, as in PyTorch; beyond ±1, nan
        ("asin at 1", Value.asin, 1.0, (math.pi / 2, math.inf)),
        ("asin at -1", Value.asin, -1.0, (-math.pi / 2, math.inf)),
        ("asin beyond 1", Value.asin, 1.5, (math.nan, math.nan)),
        ("acos at 1", Value.acos, 1.0, (0.0, -math.inf)),
        ("acos at -1", Value.acos, -1.0, (math.pi, -math.inf)),
        ("acos beyond -1", Value.acos, -2.0, (math.nan, math.nan)),
        ("atan at inf", Value.atan, math.inf, (math.pi / 2, 0.0)),
        ("atan at -1e200", Value.atan, -1e200, (-math.pi / 2, 0.0)),
        ("sinh overflow", Value.sinh, -1000.0, (-math.inf, math.inf)),
        ("cosh overflow", Value.cosh, -1000.0, (math.inf, -math.inf)),
        ("sinh at nan", Value.sinh, math.nan, (math.nan, math.nan)),
        ("asinh at -inf", Value.asinh, -math.inf, (-math.inf, 0.0)),
        # 1/sqrt(x**2 + 1) as 1/hypot(x, 1): x**2 would overflow
        ("asinh at 1e300", Value.asinh, 1e300, (math.asinh(1e300), 1e-300)),
        ("acosh at 1", Value.acosh, 1.0, (0.0, math.inf)),
        ("acosh below 1", Value.acosh, 0.5, (math.nan, math.nan)),
        ("acosh at 1e300", Value.acosh, 1e300, (math.acosh(1e300), 1e-300)),
        ("acosh at inf", Value.acosh, math.inf, (math.inf, 0.0)),
        ("atanh at 1", Value.atanh, 1.0, (math.inf, math.inf)),
        ("atanh at -1", Value.atanh, -1.0, (-math.inf, math.inf)),
        ("atanh beyond 1", Value.atanh, 2.0, (math.nan, -1 / 3)),  # the formula, as PyTorch
        ("log2 at 0", Value.log2, 0.0, (-math.inf, math.inf)),
        ("log2 at -0.0", Value.log2, -0.0, (-math.inf, -math.inf)),
        ("log2 at inf", Value.log2, math.inf, (math.inf, 0.0)),
        ("log10 below 0", Value.log10, -1.0, (math.nan, -1 / LN10)),
        ("log1p at -1", Value.log1p, -1.0, (-math.inf, math.inf)),
        ("log1p below -1", Value.log1p, -2.0, (math.nan, -1.0)),
        ("log1p of a tiny x", Value.log1p, 1e-20, (1e-20, 1.0)),  # log(1 + 1e-20) would be 0
        ("expm1 of a tiny x", Value.expm1, 1e-20, (1e-20, 1.0)),  # exp(1e-20) - 1 would be 0
        ("expm1 overflow", Value.expm1, 1000.0, (math.inf, math.inf)),
        # the derivative is e**x, not expm1(x) + 1, which rounds to 0 here
        ("expm1 at -40", Value.expm1, -40.0, (-1.0, math.exp(-40.0))),
        ("expm1 at -inf", Value.expm1, -math.inf, (-1.0, 0.0)),
        ("exp2 overflow", Value.exp2, 2000.0, (math.inf, math.inf)),
        ("exp2 at -inf", Value.exp2, -math.inf, (0.0, 0.0)),
        ("erf at inf", Value.erf, math.inf, (1.0, 0.0)),
        ("erf at nan", Value.erf, math.nan, (math.nan, math.nan)),
        ("erfc at -inf", Value.erfc, -math.inf, (2.0, 0.0)),
        ("erfc far right", Value.erfc, 10.0, (math.erfc(10.0), -2 / SQRT_PI * math.exp(-100.0))),
        ("sinc at 0", Value.sinc, 0.0, (1.0, 0.0)),
        ("sinc at 1", Value.sinc, 1.0, (math.sin(math.pi) / math.pi, -1.0)),
        ("sinc at -2", Value.sinc, -2.0, (math.sin(-2 * math.pi) / (-2 * math.pi), -0.5)),
        # sinc has the limit 0 at ±inf (PyTorch gives nan)
        ("sinc at inf", Value.sinc, math.inf, (0.0, 0.0)),
        ("sinc at -1e301", Value.sinc, -1e301, (0.0, 0.0)),
        ("sinc at nan", Value.sinc, math.nan, (math.nan, math.nan)),
        # sign, floor, ceil, trunc: derivative 0 everywhere, at their jumps too (PyTorch)
        ("sign at 0", Value.sign, 0.0, (0.0, 0.0)),
        ("sign at -0.0", Value.sign, -0.0, (0.0, 0.0)),
        ("sign at -inf", Value.sign, -math.inf, (-1.0, 0.0)),
        ("sign at nan", Value.sign, math.nan, (math.nan, 0.0)),  # PyTorch gives sign(nan) = 0
        ("floor at 2", Value.floor, 2.0, (2.0, 0.0)),
        ("floor at -0.5", Value.floor, -0.5, (-1.0, 0.0)),
        ("floor at 1e300", Value.floor, 1e300, (1e300, 0.0)),
        ("floor at -inf", Value.floor, -math.inf, (-math.inf, 0.0)),
        ("floor at nan", Value.floor, math.nan, (math.nan, 0.0)),
        ("ceil at -0.5", Value.ceil, -0.5, (0.0, 0.0)),
        ("ceil at inf", Value.ceil, math.inf, (math.inf, 0.0)),
        ("trunc at -2.7", Value.trunc, -2.7, (-2.0, 0.0)),
        ("trunc at nan", Value.trunc, math.nan, (math.nan, 0.0)),
        # gelu and silu: the limits at ±inf (PyTorch gives nan there, from inf * 0)
        ("gelu at -inf", Value.gelu, -math.inf, (0.0, 0.0)),
        ("gelu at inf", Value.gelu, math.inf, (math.inf, 1.0)),
        ("gelu at -40", Value.gelu, -40.0, (0.0, 0.0)),
        ("gelu at 50", Value.gelu, 50.0, (50.0, 1.0)),
        ("gelu at nan", Value.gelu, math.nan, (math.nan, math.nan)),
        ("silu at -inf", Value.silu, -math.inf, (0.0, 0.0)),
        ("silu at inf", Value.silu, math.inf, (math.inf, 1.0)),
        ("silu at -1000", Value.silu, -1000.0, (0.0, 0.0)),
        ("silu at nan", Value.silu, math.nan, (math.nan, math.nan)),
        ("deg2rad at inf", Value.deg2rad, math.inf, (math.inf, math.pi / 180)),
        ("rad2deg at nan", Value.rad2deg, math.nan, (math.nan, 180 / math.pi)),
        # clamp: gradient 1 on the closed interval [lo, hi], bounds included (PyTorch)
        ("clamp at its upper bound", lambda v: v.clamp(-1, 1), 1.0, (1.0, 1.0)),
        ("clamp at its lower bound", lambda v: v.clamp(-1, 1), -1.0, (-1.0, 1.0)),
        ("clamp below", lambda v: v.clamp(-1, 1), -1.5, (-1.0, 0.0)),
        ("clamp at nan", lambda v: v.clamp(-1, 1), math.nan, (math.nan, 0.0)),
        ("clamp at inf", lambda v: v.clamp(-1, 1), math.inf, (1.0, 0.0)),
        ("clamp without lo at -inf", lambda v: v.clamp(hi=1), -math.inf, (-math.inf, 1.0)),
        ("clamp without hi", lambda v: v.clamp(lo=0), 5.0, (5.0, 1.0)),
        ("clamp with lo > hi", lambda v: v.clamp(2, 1), 1.5, (1.0, 0.0)),  # hi wins (PyTorch)
    ],
)
def test_unary_edge_cases(name: str, fn: Callable[[Value], Value], x: float, expected) -> None:
    got = grad_at(fn, x)
    assert same(got, expected), f"{name}: expected (value, grad) = {expected}, got {got}"


@pytest.mark.parametrize(
    ("name", "x", "y", "expected"),
    [
        # PyTorch: d(x**y)/dx is 0 where y == 0, and d(x**y)/dy is 0 where x == 0
        # and y >= 0 (the limit of x**y ln x), so 0**0 has a finite gradient
        ("0 ** 0", 0.0, 0.0, (1.0, 0.0, 0.0)),
        ("0 ** 2", 0.0, 2.0, (0.0, 0.0, 0.0)),
        ("negative base, integral exponent", -2.0, 3.0, (-8.0, 12.0, math.nan)),
        ("negative base, fractional exponent", -8.0, 1 / 3, (math.nan, math.nan, math.nan)),
        ("1 ** y", 1.0, 5.0, (1.0, 5.0, 0.0)),
        # x ** 0 is the constant 1 for every x, so d/dx is 0 even at nan, as the
        # constant-exponent rule (x ** 0) and PyTorch have it
        ("nan ** 0", math.nan, 0.0, (1.0, 0.0, math.nan)),
        ("inf ** 0", math.inf, 0.0, (1.0, 0.0, math.inf)),
    ],
)
def test_value_power_edge_cases(name: str, x: float, y: float, expected) -> None:
    a, b = Value(x), Value(y)
    out = a**b
    out.backward()
    got = (out.data, a.grad, b.grad)
    assert same(got, expected), f"{name}: expected (value, da, db) = {expected}, got {got}"


@pytest.mark.parametrize(
    ("name", "fn", "x", "y", "expected"),
    [
        # x % y: Python's value (the sign of y); d/dx = 1, d/dy = -floor(x/y) as PyTorch
        ("-7 % 3", operator.mod, -7.0, 3.0, (2.0, 1.0, 3.0)),
        ("7 % -3", operator.mod, 7.0, -3.0, (-2.0, 1.0, 3.0)),
        ("5 % 0", operator.mod, 5.0, 0.0, (math.nan, 1.0, -math.inf)),  # -floor(5/0) = -inf
        ("0 % 0", operator.mod, 0.0, 0.0, (math.nan, 1.0, math.nan)),
        ("-5 % inf", operator.mod, -5.0, math.inf, (math.inf, 1.0, 1.0)),  # -5 // inf == -1
        ("5 % inf", operator.mod, 5.0, math.inf, (5.0, 1.0, 0.0)),
        ("inf % 2", operator.mod, math.inf, 2.0, (math.nan, 1.0, math.nan)),
        ("nan % 2", operator.mod, math.nan, 2.0, (math.nan, 1.0, math.nan)),
        # atan2(y, x): 0 gradients at the origin, as PyTorch
        ("atan2 at the origin", Value.atan2, 0.0, 0.0, (0.0, 0.0, 0.0)),
        ("atan2 on the negative axis", Value.atan2, 0.0, -1.0, (math.pi, -1.0, 0.0)),
        # divided by hypot twice: no underflow of x**2 + y**2 to 0
        ("atan2 of tiny values", Value.atan2, 1e-200, 1e-200, (math.pi / 4, 5e199, -5e199)),
        ("atan2 of huge values", Value.atan2, 1e300, 1e300, (math.pi / 4, 5e-301, -5e-301)),
        ("atan2(1, inf)", Value.atan2, 1.0, math.inf, (0.0, math.nan, 0.0)),
        ("atan2 with nan", Value.atan2, math.nan, 1.0, (math.nan, math.nan, math.nan)),
        # hypot: nan gradients at the origin, as PyTorch (the cone has no slope there)
        ("hypot at the origin", Value.hypot, 0.0, 0.0, (0.0, math.nan, math.nan)),
        ("hypot on an axis", Value.hypot, -3.0, 0.0, (3.0, -1.0, 0.0)),
        ("hypot of huge values", Value.hypot, 3e300, 4e300, (5e300, 0.6, 0.8)),
        ("hypot of tiny values", Value.hypot, 3e-300, 4e-300, (5e-300, 0.6, 0.8)),
        # minimum/maximum: half the gradient to each at a tie, all of it to both at nan
        ("minimum at a tie", Value.minimum, 2.0, 2.0, (2.0, 0.5, 0.5)),
        ("maximum at a tie", Value.maximum, -1.0, -1.0, (-1.0, 0.5, 0.5)),
        ("minimum with nan", Value.minimum, math.nan, 1.0, (math.nan, 1.0, 1.0)),
        ("maximum with nan", Value.maximum, 1.0, math.nan, (math.nan, 1.0, 1.0)),
        ("maximum with inf", Value.maximum, math.inf, 1.0, (math.inf, 1.0, 0.0)),
        ("minimum with -inf", Value.minimum, 1.0, -math.inf, (-math.inf, 0.0, 1.0)),
    ],
)
def test_binary_function_edge_cases(name: str, fn, x: float, y: float, expected) -> None:
    a, b = Value(x), Value(y)
    out = fn(a, b)
    out.backward()
    got = (out.data, a.grad, b.grad)
    # the same IEEE values, finite ones to a rounding error (a quotient of quotients)
    close = all(
        (math.isnan(p) and math.isnan(q)) or p == pytest.approx(q, rel=1e-15)
        for p, q in zip(got, expected)
    )
    assert close, f"{name}: expected (value, da, db) = {expected}, got {got}"


@pytest.mark.parametrize(
    ("base", "x", "expected"),
    [
        # a ** x for a constant base a; with a == 0 PyTorch takes the gradient
        # as 0 (0**x is constant 0 for x > 0), never nan or -inf
        (0.0, 2.0, (0.0, 0.0)),
        (0.0, 0.0, (1.0, 0.0)),
        (1.0, 3.0, (1.0, 0.0)),
        (-2.0, 2.0, (4.0, math.nan)),  # ln of a negative base
        (-2.0, 0.5, (math.nan, math.nan)),
    ],
)
def test_constant_base_power_edge_cases(base: float, x: float, expected) -> None:
    got = grad_at(lambda v: base**v, x)
    assert same(got, expected), f"{base} ** x at {x}: expected {expected}, got {got}"


def test_leaky_relu_slope_is_a_parameter() -> None:
    for slope in (0.0, 0.01, 0.3, 1.0):
        assert grad_at(lambda v, s=slope: v.leaky_relu(s), -2.0) == (-2.0 * slope, slope)
        assert grad_at(lambda v, s=slope: v.leaky_relu(s), 2.0) == (2.0, 1.0)


def test_power_op_names() -> None:
    x = Value(2.0)
    assert (x**2).op == "**2"
    assert (x**2.0).op == "**2"
    assert (x**-1).op == "**-1"
    assert (x**0.5).op == "**0.5"
    assert (x ** Value(2.0)).op == "**"
    assert (3**x).op == "3**"
    assert (0.5**x).op == "0.5**"
    assert (-x).op == "neg"
    assert x.op == ""


def test_operand_order_with_numbers() -> None:
    # the number is a constant; where it is kept as a parent, order is kept too
    x = Value(2.0, label="x")
    for y in (3 - x, 3 / x, 3 * x, 3 + x):
        assert x in y.parents
        if len(y.parents) == 2:
            assert y.parents[1] is x and y.parents[0].data == 3.0
    for y in (x - 3, x / 3, x * 3, x + 3):
        assert y.parents[0] is x
        if len(y.parents) == 2:
            assert y.parents[1].data == 3.0


def test_pos_is_the_value_itself() -> None:
    x = Value(2.0)
    assert +x is x


def test_bool_and_int_operands() -> None:
    x = Value(2.0)
    assert (x + True).data == 3.0
    assert (x * 2).data == 4.0
    assert (x**True).data == 2.0
    assert (True - x).data == -1.0
    assert isinstance((x + 1).data, float)


def test_dot_unchecked_matches_dot() -> None:
    # nn's fast path skips dot's type checks; it must build the same node
    from autograd.core.value import dot_unchecked

    ws = [Value(w) for w in (0.5, -1.5, 2.0)]
    xs = [Value(x) for x in (1.0, 3.0, -0.25)]
    b = Value(0.75)
    fast, checked = dot_unchecked(ws, xs, b), autograd.dot(ws, xs, b)
    assert fast.data == checked.data == 0.5 - 4.5 - 0.5 + 0.75
    assert fast.parents == checked.parents and fast.op == checked.op == "dot"
    fast.backward()
    grads = [v.grad for v in (*ws, *xs, b)]
    assert grads == [1.0, 3.0, -0.25, 0.5, -1.5, 2.0, 1.0]  # d/dw = x, d/dx = w, d/db = 1
    # something without .data goes through dot's checks: lifted if a number, else TypeError
    assert dot_unchecked([2.0], [Value(3.0)]).data == 6.0
    with pytest.raises(TypeError, match=r"weights\[0\]"):
        dot_unchecked(["w"], [Value(3.0)])
