"""Numbers at the edges: rules that must not overflow to nan where the true
derivative is finite, ints too large for a float, and the type of an empty dot
(issue 11, items 4, 5 and 7)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_rules import BINARY, SPECIAL, UNARY

import autograd
import nn
from autograd import Value, gradcheck, numerical_grad

# ------------------------------------------------------------ item 4: g * local derivative


def test_power_rule_where_the_true_derivative_underflows_to_zero() -> None:
    # d/dx (x**1e10 * 1e300) = 1e300 * 1e10 * 0.5**(1e10 - 1): 0.0 in floats
    # (PyTorch: 0.0); 1e300 * 1e10 first would be inf, and inf * 0 is nan
    x = Value(0.5)
    (x**1e10 * 1e300).backward()
    assert x.grad == 0.0


def test_binary_power_rule_where_the_true_derivatives_underflow() -> None:
    x, y = Value(0.5), Value(1e10)
    (x**y * 1e300).backward()
    assert x.grad == 0.0  # 1e300 * (y x**(y-1)) = 1e300 * 0
    assert y.grad == 0.0  # 1e300 * (x**y ln x) = 1e300 * -0.0


def test_power_rules_with_create_graph_group_the_same_way() -> None:
    x, y = Value(0.5), Value(1e10)
    (x**1e10 * 1e300 + x**y * 1e300).backward(create_graph=True)
    assert x.grad.data == 0.0 and y.grad.data == 0.0


def test_constant_base_power_rule_does_not_overflow_early() -> None:
    # a**x with a just above 1: a**x is huge but a**x ln a is not
    a = 1.0 + 2.0**-52  # ln a = 2.2e-16
    x = Value(3.1e18)
    y = a**x  # about 8.6e298
    (y * 1e10).backward()
    expected = 1e10 * (y.data * math.log1p(2.0**-52))
    assert math.isfinite(expected)
    assert x.grad == pytest.approx(expected, rel=1e-12)  # 1e10 * a**x first would be inf


def test_division_rule_where_the_true_derivative_is_zero() -> None:
    # d(x/y)/dy = -x/y² is 0 at x = 0; (g/y) * (x/y) read inf * 0 = nan
    x, y = Value(0.0), Value(1e-300)
    (x / y * 1e300).backward()
    assert y.grad == 0.0
    assert x.grad == math.inf  # 1e300 / 1e-300 really is beyond the floats


GS = [1e-300, 1e-10, 3.0, 1e10, 1e300, -1e300, 1.7e308]
finite = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(SPECIAL[:10])
EXTRA_UNARY = {
    "**1e10": lambda v: v**1e10,
    "**2.5": lambda v: v**2.5,
    "1.0000001**": lambda v: 1.0000001**v,
    "leaky_relu(1e300)": lambda v: v.leaky_relu(1e300),
}


def _agrees(got: float, expected: float) -> bool:
    """The rule's result is g times its local derivative, up to rounding: it is
    finite wherever that product is (comfortably below the largest float)."""
    if not abs(expected) < 1e307:
        return True  # the product itself overflows (or is nan): nothing to compare
    return math.isfinite(got) and math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-290)


@pytest.mark.parametrize("name", [*UNARY, *EXTRA_UNARY])
@given(x=finite, g=st.sampled_from(GS))
def test_unary_rules_multiply_g_by_the_local_derivative(name: str, x: float, g: float) -> None:
    v = {**UNARY, **EXTRA_UNARY}[name](Value(x))
    rule = v._rule
    local = rule(1.0, v.data, x)
    got = rule(g, v.data, x)
    assert _agrees(got, g * local), (name, x, g, got, g * local)


@pytest.mark.parametrize("name", BINARY)
@given(x=finite, y=finite, g=st.sampled_from(GS))
def test_binary_rules_multiply_g_by_the_local_derivative(
    name: str, x: float, y: float, g: float
) -> None:
    v = BINARY[name](Value(x), Value(y))
    rule = v._rule
    local = rule(1.0, v.data, x, y)
    got = rule(g, v.data, x, y)
    for i in (0, 1):
        assert _agrees(got[i], g * local[i]), (name, i, x, y, g, got[i], g * local[i])


# ---------------------------------------------------------------- item 5: huge ints


def test_backward_with_a_huge_int_gradient_gives_infinities() -> None:
    x = Value(3.0)
    y = x * 2
    y.backward(10**400)
    assert x.grad == math.inf  # 2 * 10**400 is beyond the floats, as 10**400 itself
    x.grad = 0.0
    y.backward(-(10**400))
    assert x.grad == -math.inf
    x.grad = 0.0
    z = x * x
    z.backward(10**400, create_graph=True)
    assert x.grad.data == math.inf


def test_leaky_relu_slope_huge_int_is_infinite() -> None:
    assert Value(-2.0).leaky_relu(10**400).data == -math.inf  # -2 * inf
    assert Value(2.0).leaky_relu(10**400).data == 2.0
    assert Value(-2.0).leaky_relu(3).data == -6.0  # an int slope is fine


@pytest.mark.parametrize("bad", [Value(0.1), "0.1", None, True, [0.1]])
def test_leaky_relu_slope_must_be_a_real_number(bad: object) -> None:
    with pytest.raises(TypeError, match="slope must be a number") as info:
        Value(-2.0).leaky_relu(bad)  # type: ignore[arg-type]
    assert type(bad).__name__ in str(info.value)


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: nn.SGD(ps, lr=10**400),
        lambda ps: nn.SGD(ps, lr=0.1, momentum=10**400),
        lambda ps: nn.SGD(ps, lr=0.1, weight_decay=10**400),
        lambda ps: nn.Adam(ps, lr=10**400),
        lambda ps: nn.Adam(ps, eps=10**400),
        lambda ps: nn.Adam(ps, betas=(10**400, 0.9)),
    ],
)
def test_optimizers_reject_huge_ints_with_a_clear_error(make) -> None:
    with pytest.raises(ValueError, match="must be a finite number"):
        make([autograd.Parameter(1.0)])


def test_lr_assignment_rejects_a_huge_int() -> None:
    opt = nn.SGD([autograd.Parameter(1.0)], lr=0.1)
    with pytest.raises(ValueError, match="lr must be a finite number"):
        opt.lr = 10**400
    assert opt.lr == 0.1


def test_numerical_grad_and_gradcheck_take_huge_ints_as_infinities() -> None:
    # the engine reads 10**400 as inf, and so do the checkers (no OverflowError)
    assert math.isnan(numerical_grad(lambda x: x * 2, 10**400))  # inf - inf
    with pytest.raises(autograd.GradcheckError):
        gradcheck(lambda x: x * 2, 10**400)


def test_losses_take_huge_int_targets_as_infinities() -> None:
    loss = nn.mse_loss([Value(1.0)], [10**400])
    assert loss.data == math.inf
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\]"):
        nn.binary_cross_entropy([Value(0.5)], [10**400])
    assert nn.l2_penalty([Value(1.0)], 10**400).data == math.inf


# ---------------------------------------------------------------- item 7: empty dot


def test_empty_dot_is_a_float_zero() -> None:
    d = autograd.dot([], [])
    assert type(d.data) is float and d.data == 0.0
    assert math.copysign(1.0, d.data) == 1.0
    d.backward()  # nothing to do, and no error
    assert type(autograd.dot([], [], 2).data) is float
    assert type(autograd.sum([]).data) is float
    assert type(autograd.core.value.dot_unchecked([], []).data) is float
    assert type(autograd.core.value._dot_forward()) is float  # the rule's forward agrees


def test_the_leaky_relu_function_checks_its_slope_the_same_way() -> None:
    assert autograd.leaky_relu(-2.0, 10**400) == -math.inf
    assert autograd.leaky_relu(Value(-2.0), 3).data == -6.0
    for bad in ("0.1", Value(0.1), True):
        with pytest.raises(TypeError, match="slope must be a number"):
            autograd.leaky_relu(-2.0, bad)  # type: ignore[arg-type]
