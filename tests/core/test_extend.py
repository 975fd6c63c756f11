"""autograd.extend.op: an op a user defines with its rule is an op like the built-in ones,
for backward, create_graph, explain, the player, compile and the test kit."""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import Value, explain, grad, player
from autograd.extend import RULES, op
from autograd.testing import assert_grads


def _softsign(x: float) -> float:
    if math.isinf(x):  # inf/inf would be nan; the limit is ±1
        return math.copysign(1.0, x)
    return x / (1.0 + abs(x))


def _d_softsign(g, out, x):  # type: ignore[no-untyped-def]
    return g * (1.0 / (1.0 + abs(x)) ** 2)  # d/dx x/(1+|x|) = 1/(1+|x|)^2


softsign = op("softsign", _softsign, _d_softsign, ("1/(1 + |{x}|)²",))


def _central(f, x: float, h: float = 1e-6) -> float:  # type: ignore[no-untyped-def]
    return (f(x + h) - f(x - h)) / (2 * h)


def test_forward_and_hand_computed_derivative() -> None:
    x = Value(1.0, label="x")
    y = softsign(x)
    y.backward()
    assert y.data == 0.5 and y.op == "softsign"
    assert x.grad == 0.25  # 1/(1+1)^2
    assert RULES["softsign"] is _d_softsign


@pytest.mark.parametrize("at", [-3.0, -0.5, 0.0, 0.25, 2.0, 1e6])
def test_derivative_matches_central_differences(at: float) -> None:
    assert grad(softsign)(at) == pytest.approx(_central(_softsign, at), rel=1e-6, abs=1e-12)


def test_edge_values_and_reuse() -> None:
    assert softsign(math.inf) == 1.0 and math.isnan(softsign(math.nan))
    x = Value(-2.0)
    y = softsign(x) * softsign(x)  # x used twice: the two paths add
    y.backward()
    s, d = -2.0 / 3.0, 1.0 / 9.0
    assert x.grad == d * s + s * d  # d(s·s) = s' s + s s', the two uses added


def test_second_derivative_through_create_graph() -> None:
    x = Value(0.5)
    y = softsign(x)
    y.backward(create_graph=True)
    first = x.grad
    x.grad = 0.0
    first.backward()
    # d2/dx2 x/(1+x)^... for x > 0: -2/(1+x)^3
    assert x.grad == pytest.approx(-2.0 / 1.5**3, rel=1e-12)


def test_explain_and_player_show_its_formula() -> None:
    x = Value(1.0, label="x")
    y = softsign(x)
    y.label = "y"
    text = explain(y)
    assert "softsign" in text and "1/(1 + |" in text
    html = player(y).html()
    assert "softsign" in html


def test_compile_replays_it_exactly() -> None:
    w = Value(0.3)

    def f(x: Value) -> Value:
        return softsign(w * x) + softsign(x)

    g = autograd.compile(f)
    for at in (0.5, -1.25, 3.0, 0.0):
        w.grad = 0.0
        got = g(Value(at))
        engine_w = Value(0.3)
        out = softsign(engine_w * Value(at)) + softsign(Value(at))
        out.backward()
        assert got == out.data and w.grad == engine_w.grad


def test_the_test_kit_checks_it() -> None:
    assert_grads(lambda x: softsign(x) * x, 0.5)
    assert_grads(lambda x: softsign(x) * x, -2.0)


def test_bad_definitions_are_refused() -> None:
    with pytest.raises(ValueError, match="exists already"):
        op("tanh", math.tanh, _d_softsign, ("1",))
    with pytest.raises(ValueError, match="one or two"):
        op("three", lambda a, b, c: a, _d_softsign, ("1", "1", "1"))
    with pytest.raises(TypeError, match="formula"):
        op("oneword", _softsign, _d_softsign, "1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="softsign"):
        softsign("x")
