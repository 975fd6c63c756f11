"""Activations: values and derivatives against the lecture table (seed case
"activation_functions", points away from the kinks), plus the values at 0."""

import json
import math
from pathlib import Path

import pytest

import autograd
import nn
from autograd import Value
from nn import activations

DATA = Path(__file__).parents[1] / "data"  # tests/data

CASE = next(
    c
    for c in json.loads((DATA / "seed_cases.json").read_text())["cases"]
    if c["id"] == "activation_functions"
)
ZS = CASE["inputs"]["z"]
TOL = CASE["tolerance"]

# our name -> the case's name
TABLE = {
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "relu": "relu",
    "leaky_relu": "leaky_relu_0.01",
    "softplus": "softplus",
    "gaussian": "gaussian_mu0_sigma1",
    "identity": "identity",
    "hard_sigmoid": "piecewise_linear",
    "threshold": "threshold_pm1",
    "step": "unit_step_heaviside",
    "sign": "sign",
}


def value_and_slope(name, z):
    x = Value(z)
    y = nn.get_activation(name)(x)
    y.backward()
    return y.data, x.grad


@pytest.mark.parametrize("name", sorted(TABLE))
def test_values_and_derivatives_match_the_lecture_table(name):
    expected = CASE["expected"][TABLE[name]]
    for z, f, df in zip(ZS, expected["f"], expected["df"]):
        value, slope = value_and_slope(name, z)
        assert value == pytest.approx(f, abs=TOL), (name, z)
        assert slope == pytest.approx(df, abs=TOL), (name, z)
    assert value_and_slope(name, 0.0)[0] == expected["f_at_0"]


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softplus", "gaussian", "leaky_relu"])
def test_smooth_derivatives_agree_with_central_differences(name):
    fn = nn.get_activation(name)
    for z in ZS:
        assert autograd.gradcheck(fn, z)


def test_aliases_and_the_full_list():
    assert nn.get_activation("linear") is nn.get_activation("identity")
    assert nn.get_activation("logistic") is nn.get_activation("sigmoid")
    assert nn.get_activation("piecewise_linear") is nn.get_activation("hard_sigmoid")
    assert nn.get_activation(None) is activations.identity
    assert set(TABLE) <= set(nn.ACTIVATIONS)


def test_unknown_name_lists_the_choices():
    with pytest.raises(ValueError, match="unknown activation 'swish'") as err:
        nn.get_activation("swish")
    for name in ("relu", "sigmoid", "hard_sigmoid", "step", "sign", "gaussian"):
        assert name in str(err.value)
    with pytest.raises(TypeError, match="int"):
        nn.get_activation(3)


def test_a_callable_activation():
    neuron = nn.Neuron(1, activation=lambda v: v * v, rng=0)
    neuron.w[0].data, neuron.b.data = 2.0, 1.0
    out = neuron([3.0])
    assert out.data == 49.0  # (2 * 3 + 1) ** 2
    out.backward()
    assert neuron.w[0].grad == 2 * 7.0 * 3.0  # d(z**2)/dw = 2 z x


@pytest.mark.parametrize("name", ["step", "threshold", "sign", "hard_sigmoid"])
def test_piecewise_activations_keep_the_input_in_the_graph_and_stay_finite(name):
    fn = nn.get_activation(name)
    x = Value(-3.0)
    y = fn(x)
    assert x in autograd.topological_order(y)  # connected, with derivative 0
    for z, want in [
        (math.inf, 1.0),
        (-math.inf, {"step": 0.0, "hard_sigmoid": 0.0}.get(name, -1.0)),
    ]:
        x = Value(z)
        y = fn(x)
        y.backward()
        assert y.data == want and x.grad == 0.0
    assert math.isnan(fn(Value(math.nan)).data)


def test_hard_sigmoid_kinks():
    assert value_and_slope("hard_sigmoid", 0.5) == (1.0, 0.0)
    assert value_and_slope("hard_sigmoid", -0.5) == (0.0, 0.0)
    assert value_and_slope("hard_sigmoid", 0.4999) == (pytest.approx(0.9999), 1.0)


def test_relu_at_zero_has_slope_zero():
    assert value_and_slope("relu", 0.0) == (0.0, 0.0)


def test_relu_of_minus_infinity_is_zero():
    # max(-inf, 0) = 0, as in PyTorch (an engine that computes 0.0 * x gives nan)
    x = Value(-math.inf)
    y = nn.get_activation("relu")(x)
    y.backward()
    assert y.data == 0.0 and x.grad == 0.0
