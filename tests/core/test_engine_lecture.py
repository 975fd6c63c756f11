"""The lecture's hand-computed derivatives, reproduced by the engine.

Every number comes from ``tests/data/seed_cases.json`` (a copy of the shared
reference cases, recomputed from the lecture notes); the engine computes the
rest. Tolerances are the ones each case states.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import autograd
from autograd import Value, grad

DATA = Path(__file__).parents[1] / "data"  # tests/data

CASES = {case["id"]: case for case in json.loads((DATA / "seed_cases.json").read_text())["cases"]}


def case(case_id: str) -> tuple[dict, dict, float]:
    """(inputs, expected, tolerance) of one reference case."""
    c = CASES[case_id]
    return c["inputs"], c["expected"], c["tolerance"]


# ---------------------------------------------------------------- the a, b, c graph


def abc_graph(a: float, b: float, c: float) -> dict[str, Value]:
    """u = b*c, v = a + u, J = 3v: the lecture's computation graph."""
    nodes = {"a": Value(a, label="a"), "b": Value(b, label="b"), "c": Value(c, label="c")}
    nodes["u"] = nodes["b"] * nodes["c"]
    nodes["v"] = nodes["a"] + nodes["u"]
    nodes["J"] = 3 * nodes["v"]
    return nodes


def test_graph_hand_derivatives() -> None:
    inputs, expected, tol = case("graph_hand_derivatives")
    n = abc_graph(inputs["a"], inputs["b"], inputs["c"])
    n["J"].backward()
    assert tol == 0.0  # the case is exact integers: so is the engine
    assert (n["u"].data, n["v"].data, n["J"].data) == (
        expected["u"],
        expected["v"],
        expected["J"],
    )
    assert n["v"].grad == expected["dJ_dv"]  # dJ/dv = 3
    assert n["u"].grad == expected["dJ_du"]  # dJ/du = dJ/dv * dv/du = 3 * 1
    assert n["a"].grad == expected["dJ_da"]  # dJ/da = dJ/dv * dv/da = 3 * 1
    assert n["b"].grad == expected["dJ_db"]  # dJ/db = dJ/du * du/db = 3 * c = 6
    assert n["c"].grad == expected["dJ_dc"]  # dJ/dc = dJ/du * du/dc = 3 * b = 9


def test_graph_reproduces_the_readme_session() -> None:
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    J = 3 * (a + b * c)
    J.backward()
    assert (a.grad, b.grad, c.grad) == (3.0, 6.0, 9.0)
    J.label = "J"
    assert repr(J) == "Value(data=33.0, grad=1.0, label='J')"


def test_graph_finite_difference() -> None:
    inputs, expected, tol = case("graph_finite_difference")
    base, nudge = inputs["base"], inputs["nudge"]
    n = abc_graph(base["a"], base["b"], base["c"])
    n["J"].backward()
    assert n["J"].data == expected["J_base"]
    for name, key in (("a", "J_a_5_1"), ("b", "J_b_3_1"), ("c", "J_c_2_1")):
        nudged = dict(base)
        nudged[name] += nudge
        J = abc_graph(**nudged)["J"].data
        assert J == pytest.approx(expected[key], abs=tol)
        assert J == pytest.approx(expected["float64_values"][key], abs=1e-15)
        slope = (J - n["J"].data) / nudge
        # J is linear in each single input, so the slope is the derivative
        assert slope == pytest.approx(expected["slopes"][name], abs=tol)
        assert slope == pytest.approx(n[name].grad, abs=tol)


def descend_abc(a: float, b: float, c: float, step: float, slip: bool) -> dict:
    """The lecture's loop: ``while not J < 0.1``, print J, step a, b, c.

    With ``slip`` the chain rule is seeded at v with dJ/dv = v (the notes' code
    says ``derivative_J_v = v``) instead of running backward from J = 3v.
    """
    a, b, c = Value(a, label="a"), Value(b, label="b"), Value(c, label="c")
    Js, params = [], []
    while True:
        v = a + b * c
        J = 3 * v
        if J < 0.1:  # the Value comparison the lecture's loop reads with
            break
        Js.append(J.data)
        params.append([a.data, b.data, c.data])
        if slip:
            v.backward(gradient=v.data)
        else:
            J.backward()
        with autograd.no_grad():
            for p in (a, b, c):
                p.data -= step * p.grad
                p.grad = 0.0
        assert len(Js) < 100, "the descent does not stop"
    return {
        "J_sequence": Js,
        "params_before_each_update": params,
        "final_abc": [a.data, b.data, c.data],
        "final_J": J.data,
        "updates": len(Js),
    }


def assert_descent(got: dict, expected: dict, tol: float) -> None:
    assert got["updates"] == expected["updates"] == len(expected["J_sequence"])
    assert got["J_sequence"] == pytest.approx(expected["J_sequence"], abs=tol)
    for row, want in zip(got["params_before_each_update"], expected["params_before_each_update"]):
        assert row == pytest.approx(want, abs=tol)
    assert got["final_abc"] == pytest.approx(expected["final_abc"], abs=tol)
    assert got["final_J"] == pytest.approx(expected["final_J"], abs=tol)


def test_graph_descent_until_J_lt_0_1_correct_gradient() -> None:
    inputs, expected, tol = case("graph_descent_until_J_lt_0_1")
    got = descend_abc(inputs["a"], inputs["b"], inputs["c"], inputs["step"], slip=False)
    assert_descent(got, expected, tol)
    # it overshoots: J is unbounded below in a, b, c
    assert got["final_J"] < 0


def test_graph_descent_slip_reproduces_the_printed_sequence() -> None:
    inputs, _, tol = case("graph_descent_until_J_lt_0_1")
    c = CASES["graph_descent_until_J_lt_0_1"]
    got = descend_abc(inputs["a"], inputs["b"], inputs["c"], inputs["step"], slip=True)
    assert got["J_sequence"] == pytest.approx(c["printed"]["J_sequence"], abs=tol)
    assert_descent(got, c["printed_reproduction"], tol)
    # and the correct gradient does NOT reproduce what the notes print
    correct = descend_abc(inputs["a"], inputs["b"], inputs["c"], inputs["step"], slip=False)
    assert correct["J_sequence"][1] != pytest.approx(c["printed"]["J_sequence"][1], abs=1e-3)


# ---------------------------------------------------------------- gradient descent in 1-D


def test_gd_quadratic_1d_through_the_engine() -> None:
    inputs, expected, tol = case("gd_quadratic_1d")
    x = Value(float(inputs["start_x"]), label="x")
    rows = []
    for i in range(inputs["iterations"]):
        f = 3 * x**2 + 4 * x + 5
        f.backward()
        assert x.grad == pytest.approx(6 * x.data + 4, abs=1e-12)  # f'(x) = 6x + 4
        rows.append([i, x.data, f.data])
        with autograd.no_grad():
            x.data -= inputs["step"] * x.grad
        x.grad = 0.0
    for row, want in zip(rows, expected["rows_i_x_f"], strict=True):
        assert row == pytest.approx(want, abs=tol)
    assert x.data == pytest.approx(expected["x_after_10_updates"], abs=tol)
    assert (3 * x**2 + 4 * x + 5).data == pytest.approx(expected["f_after_10_updates"], abs=tol)
    # one step too few to reach it, but on its way to the true minimiser -2/3
    assert abs(x.data - expected["true_minimizer_x"]) < 2e-3


# ---------------------------------------------------------------- derivative tables


def test_derivative_table() -> None:
    inputs, expected, tol = case("derivative_table")
    points = inputs["points"]

    def check(key: str, f) -> None:
        x = points[key]["x"]
        value, slope = autograd.value_and_grad(f)(x)
        assert value == pytest.approx(expected[key]["f"], abs=tol), key
        assert slope == pytest.approx(expected[key]["df"], abs=tol), key

    with pytest.warns(autograd.ConstantOutputWarning):  # a number out: 0, with a warning
        check("constant_C7_at_x2", lambda x: 7.0)  # (C)' = 0
    check("constant_C7_at_x2", lambda x: Value(7.0))  # the same, silently
    a = points["a_pow_x_a2_at_x3"]["a"]
    check("a_pow_x_a2_at_x3", lambda x: a**x)  # (a**x)' = a**x ln a
    check("exp_at_x1", Value.exp)  # (e**x)' = e**x
    n3 = points["x_pow_n_n3_at_x2"]["n"]
    check("x_pow_n_n3_at_x2", lambda x: x**n3)  # (x**n)' = n x**(n-1)
    n_1 = points["x_pow_n_n_minus1_at_x4"]["n"]
    check("x_pow_n_n_minus1_at_x4", lambda x: x**n_1)
    base = points["log_a_x_a2_at_x4"]["a"]
    check("log_a_x_a2_at_x4", lambda x: x.log() / math.log(base))  # 1/(x ln a)
    check("ln_x_at_x4", Value.log)  # (ln x)' = 1/x
    # a**x also as the engine's Value ** Value and as exp(x ln a)
    x = points["a_pow_x_a2_at_x3"]["x"]
    want = expected["a_pow_x_a2_at_x3"]["df"]
    assert grad(lambda x: Value(a) ** x)(x) == pytest.approx(want, abs=tol)
    assert grad(lambda x: (x * math.log(a)).exp())(x) == pytest.approx(want, abs=tol)


def test_derivative_basic_examples() -> None:
    inputs, expected, tol = case("derivative_basic_examples")
    quadratic = lambda x: 3 * x**2 + 4 * x + 5  # f'(x) = 6x + 4
    for x, key in zip(inputs["quadratic_points"], ("10", "2", "-2/3")):
        assert grad(quadratic)(x) == pytest.approx(expected["quadratic_df"][key], abs=tol)
    assert quadratic(Value(10.0)).data == expected["quadratic_f_at_10"]
    assert grad(lambda x: 3 * x)(inputs["linear_point"]) == expected["linear_df"]
    f, df = autograd.value_and_grad(lambda x: (-x).exp())(inputs["exp_neg_point"])
    assert f == pytest.approx(expected["exp_neg_at_1"]["f"], abs=tol)
    assert df == pytest.approx(expected["exp_neg_at_1"]["df"], abs=tol)  # -e**-x
    ten_x = autograd.value_and_grad(lambda x: 10 * x)
    (f1, d1), (f101, d101) = (ten_x(x) for x in inputs["ten_x_points"])
    assert (f1, f101) == (expected["ten_x"]["f_1"], expected["ten_x"]["f_1_01"])
    assert d1 == d101 == expected["ten_x"]["df"]


def test_partial_derivatives() -> None:
    inputs, expected, tol = case("partial_derivatives")
    x, y, z = inputs["x"], inputs["y"], inputs["z"]
    value, (dx, dy) = autograd.value_and_grad(lambda x, y: x**2 * y**2, (0, 1))(x, y)
    assert value == pytest.approx(expected["x2y2"], abs=tol)
    assert dx == pytest.approx(expected["d_dx_x2y2"], abs=tol)  # 2xy**2
    assert dy == pytest.approx(expected["d_dy_x2y2"], abs=tol)  # 2x**2 y
    dy, dz = grad(lambda y, z: -2 * y**5 + z**2, (0, 1))(y, z)
    assert dy == pytest.approx(expected["d_dy_m2y5_z2"], abs=tol)  # -10y**4
    assert dz == pytest.approx(expected["d_dz_m2y5_z2"], abs=tol)  # 2z

    theta = [Value(t, label=f"theta{i + 1}") for i, t in enumerate(inputs["theta"])]
    lin = 5 * theta[0] + 2 * theta[1] - 12 * theta[2]
    lin.backward()
    assert lin.data == expected["lin_value"]
    assert [t.grad for t in theta] == expected["lin_grad"]
    assert theta[1].grad == expected["d_dth2_lin"]
    for t in theta:
        t.grad = 0.0
    (0.55 - lin).backward()
    assert [t.grad for t in theta] == expected["minus_lin_grad"]
    assert theta[1].grad == expected["d_dth2_055_minus_lin"]


# ---------------------------------------------------------------- sigmoid


def test_sigmoid_derivative_identity() -> None:
    inputs, expected, tol = case("sigmoid_derivative_identity")
    for x in inputs["points"]:
        want = expected[repr(x)]
        v = Value(x)
        s = v.sigmoid()
        s.backward()
        assert s.data == pytest.approx(want["sigma"], abs=tol)
        assert v.grad == pytest.approx(want["dsigma"], abs=tol)
        # sigma' = sigma (1 - sigma) = sigma - sigma**2
        assert v.grad == pytest.approx(s.data * (1 - s.data), abs=tol)
        # and e**-x / (1 + e**-x)**2, computed with the engine's own ops
        e = (-Value(x)).exp()
        assert (e / (1 + e) ** 2).data == pytest.approx(want["dsigma_exp_form"], abs=tol)
        # the sigmoid built from primitives has the same derivative
        composed = grad(lambda t: 1 / (1 + (-t).exp()))(x)
        assert composed == pytest.approx(want["dsigma"], abs=tol)


def test_sigmoid_linear_unit_grad() -> None:
    inputs, expected, tol = case("sigmoid_linear_unit_grad")
    x = Value(inputs["x"], label="x")
    w1, b1 = Value(inputs["w1"], label="w1"), Value(inputs["b1"], label="b1")
    z = w1 * x + b1
    y = z.sigmoid()
    y.backward()
    assert z.data == pytest.approx(expected["z"], abs=tol)
    assert y.data == pytest.approx(expected["y"], abs=tol)
    # dy/dw1 = dy/dz * dz/dw1 = h(z)(1 - h(z)) * x; dy/db1 = h(z)(1 - h(z))
    assert w1.grad == pytest.approx(expected["dy_dw1"], abs=tol)
    assert b1.grad == pytest.approx(expected["dy_db1"], abs=tol)
    # the same unit as nn builds it: one fused dot node
    w2, b2 = Value(inputs["w1"]), Value(inputs["b1"])
    autograd.dot([w2], [inputs["x"]], b2).sigmoid().backward()
    assert (w2.grad, b2.grad) == pytest.approx((w1.grad, b1.grad), abs=tol)


# ---------------------------------------------------------------- activations

ACTIVATIONS = {
    "sigmoid": Value.sigmoid,
    "tanh": Value.tanh,
    "relu": Value.relu,
    "leaky_relu_0.01": lambda v: v.leaky_relu(0.01),
    "softplus": Value.softplus,
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_functions(name: str) -> None:
    inputs, expected, tol = case("activation_functions")
    fn, want = ACTIVATIONS[name], expected[name]
    for z, f, df in zip(inputs["z"], want["f"], want["df"], strict=True):
        v = Value(z)
        out = fn(v)
        out.backward()
        assert out.data == pytest.approx(f, abs=tol), (name, z)
        assert v.grad == pytest.approx(df, abs=tol), (name, z)
    assert fn(Value(0.0)).data == pytest.approx(want["f_at_0"], abs=tol)


def test_activation_derivative_identities() -> None:
    # the lectures' identities: tanh' = 1 - tanh**2, softplus' = sigmoid
    inputs, _, tol = case("activation_functions")
    for z in inputs["z"]:
        t = Value(z).tanh().data
        assert grad(Value.tanh)(z) == pytest.approx(1 - t * t, abs=tol)
        assert grad(Value.softplus)(z) == pytest.approx(Value(z).sigmoid().data, abs=tol)


# ---------------------------------------------------------------- Taylor series of e**x


def test_taylor_partial_sums_of_exp() -> None:
    """S_n(x) = sum x**k / k!; the engine's d/dx S_n is S_{n-1}."""
    inputs, expected, tol = case("taylor_exp")

    def partial_sum(n: int):
        def s(x: Value) -> Value:
            return autograd.sum([x**k / math.factorial(k) for k in range(n + 1)])

        return s

    for x, key in zip(inputs["x"], ("partial_sums_at_1", "partial_sums_at_2")):
        sums = [partial_sum(n)(Value(x)).data for n in range(inputs["n_max"] + 1)]
        assert sums == pytest.approx(expected[key], abs=tol)
        for n in range(1, inputs["n_max"] + 1):
            assert grad(partial_sum(n))(x) == pytest.approx(sums[n - 1], abs=tol)
