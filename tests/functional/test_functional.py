"""The functional API: grad, value_and_grad, numerical_grad and gradcheck.

Nesting (higher derivatives, Taylor coefficients), perturbation confusion,
argnums in every form, floats out for numbers in, and gradcheck catching wrong
derivative rules at first and at second order.
"""

from __future__ import annotations

import math

import pytest

import autograd
from autograd import GradcheckError, Value, grad, gradcheck, numerical_grad, value_and_grad
from autograd.core import value as engine

# ---------------------------------------------------------------- grad and value_and_grad


def test_grad_of_a_cube() -> None:
    assert grad(lambda x: x**3)(2.0) == 12.0  # 3x**2


def test_value_and_grad() -> None:
    value, slope = value_and_grad(lambda x: x.sin() * x)(0.5)
    assert value == math.sin(0.5) * 0.5
    assert slope == pytest.approx(math.cos(0.5) * 0.5 + math.sin(0.5), rel=1e-15)


def test_numbers_in_floats_out() -> None:
    for x in (2.0, 2, True):
        value, slope = value_and_grad(lambda t: t * t)(x)
        assert type(value) is float and type(slope) is float
        assert type(grad(lambda t: t * t)(x)) is float
    # a derivative that is constant, and a function that ignores its argument
    assert type(grad(lambda t: t * 3)(1.0)) is float
    with pytest.warns(autograd.ConstantOutputWarning):  # a number: constant, or .data?
        assert grad(lambda t: 3.0)(1.0) == 0.0
    assert grad(lambda t: Value(3.0))(1.0) == 0.0
    with pytest.warns(autograd.ConstantOutputWarning):
        value, slope = value_and_grad(lambda t: 7)(1.0)
    assert (value, slope) == (7.0, 0.0) and type(value) is float


def test_argnums_int_tuple_and_negative() -> None:
    f = lambda x, y, z: x * y**2 + z * z + z
    at = (3.0, 2.0, 0.0)
    assert grad(f)(*at) == 4.0  # y**2
    assert grad(f, 1)(*at) == 12.0  # 2xy
    assert grad(f, -1)(*at) == 1.0  # 2z + 1
    assert grad(f, -3)(*at) == 4.0
    assert grad(f, (0, 2))(*at) == (4.0, 1.0)
    assert grad(f, (2, 0))(*at) == (1.0, 4.0)  # in the order asked
    assert grad(f, (-1, 1))(*at) == (1.0, 12.0)
    assert grad(f, (1,))(*at) == (12.0,)  # a tuple of one gives a tuple
    value, grads = value_and_grad(f, (0, 1, 2))(*at)
    assert value == 12.0 and grads == (4.0, 12.0, 1.0)
    assert all(type(g) is float for g in grads)


def test_argnums_listing_an_argument_twice() -> None:
    # grad(f, (0, 0)) asks for df/dx twice: both get it (a silent 0.0 would be wrong)
    f = lambda x: x * x
    assert grad(f, (0, 0))(3.0) == (6.0, 6.0)


@pytest.mark.parametrize("argnums", [3, -4, (0, 3), (0, -4)])
def test_argnums_out_of_range(argnums) -> None:
    with pytest.raises(ValueError, match="argnums"):
        grad(lambda x, y, z: x * y * z, argnums)(1.0, 2.0, 3.0)


def test_bad_arguments_and_results_raise_type_errors() -> None:
    with pytest.raises(TypeError, match="str"):
        grad(lambda x: x)("1.0")
    with pytest.raises(TypeError, match="NoneType"):
        grad(lambda x: x)(None)
    with pytest.raises(TypeError, match="str"):
        grad(lambda x: "not a value")(1.0)
    with pytest.raises(TypeError, match="list"):
        grad(lambda x: [x])(1.0)


def test_the_other_arguments_pass_through_unchanged() -> None:
    seen = {}

    def f(x, scale, *, shift):
        seen["types"] = (type(scale), type(shift))
        return x * scale + shift

    assert grad(f)(2.0, 3.0, shift=1.0) == 3.0
    assert seen["types"] == (float, float)  # only argnums become Values


def test_values_in_give_differentiable_values_out() -> None:
    x = Value(2.0)
    g = grad(lambda t: t**3)(x)  # 3x**2, as a Value with a graph back to x
    assert isinstance(g, Value) and g.data == 12.0
    g.backward()
    assert x.grad == 12.0  # 6x
    value, slope = value_and_grad(lambda t: t**3)(Value(2.0))
    assert isinstance(value, Value) and value.data == 8.0 and slope.data == 12.0


def test_grad_never_touches_dot_grad() -> None:
    x, w = Value(2.0), Value(3.0)
    w.grad = 0.5
    grad(lambda t: t * w + (t * w).tanh())(x)
    assert (x.grad, w.grad) == (0.0, 0.5)


def test_grad_works_inside_no_grad() -> None:
    with autograd.no_grad():
        assert grad(lambda x: x**2)(3.0) == 6.0
        assert not autograd.is_grad_enabled()


# ---------------------------------------------------------------- nesting


def test_nested_grad() -> None:
    assert grad(grad(lambda x: x**3))(2.0) == 12.0  # 6x
    assert grad(grad(grad(lambda x: x**3)))(2.0) == 6.0
    assert grad(grad(grad(grad(lambda x: x**3))))(2.0) == 0.0


def test_perturbation_confusion() -> None:
    # d/dx [x * (d/dy (x + y))] = d/dx [x * 1] = 1; a naive engine gives 2
    assert grad(lambda x: x * grad(lambda y: x + y)(1.0))(3.0) == 1.0


def test_perturbation_confusion_when_the_inner_derivative_depends_on_x() -> None:
    # d/dx [x * (d/dy (x * y))] = d/dx [x * x] = 2x
    assert grad(lambda x: x * grad(lambda y: x * y)(2.0))(3.0) == 6.0
    # the inner function evaluated at the outer variable itself
    assert grad(lambda x: grad(lambda y: x * y)(x))(3.0) == 1.0


def test_three_levels_of_nesting_keep_apart() -> None:
    def outer(x):
        def middle(y):
            return y * grad(lambda z: x + y + z)(1.0)  # = y

        return x * grad(middle)(2.0)  # = x

    assert grad(outer)(3.0) == 1.0


def test_inner_grad_leaves_no_trace_in_outer_leaves() -> None:
    x = Value(3.0)
    inner = grad(lambda y: x * y)(1.0)
    assert x.grad == 0.0 and inner == 3.0


def test_hessian_by_nesting_with_argnums() -> None:
    f = lambda x, y: x**2 * y + y.sin()
    at = (1.5, 0.5)
    # [[2y, 2x], [2x, -sin y]]
    assert grad(grad(f, 0), (0, 1))(*at) == (1.0, 3.0)
    row = grad(grad(f, 1), (0, 1))(*at)
    assert row == pytest.approx((3.0, -math.sin(0.5)), rel=1e-15)


def test_taylor_coefficients_of_exp_by_nesting() -> None:
    """f^(n)(0) / n! are the coefficients of e**x: 1/n!; of e**(2x): 2**n / n!
    (the lecture's 1, 1 + 2x, 1 + 2x + 2x**2)."""
    for scale in (1.0, 2.0):
        derivative = lambda x, s=scale: (s * x).exp()
        for n in range(7):
            coefficient = derivative(Value(0.0)).data / math.factorial(n)
            assert coefficient == pytest.approx(scale**n / math.factorial(n), rel=1e-14)
            derivative = grad(derivative)
    # the lecture's polynomial: 1 + 2x + 2x**2 at 0.1
    f = lambda x: (2 * x).exp()
    d1, d2 = grad(f), grad(grad(f))
    poly = f(Value(0.0)).data + d1(0.0) * 0.1 + d2(0.0) / 2 * 0.1**2
    assert poly == pytest.approx(1.22, abs=1e-15)


def test_taylor_series_of_sin_by_nesting() -> None:
    derivative = Value.sin
    expected = [0.0, 1.0, 0.0, -1.0, 0.0, 1.0, 0.0]  # sin, cos, -sin, -cos, ...
    for n in range(7):
        value = derivative(Value(0.0)) if n == 0 else derivative(0.0)
        assert float(value) == pytest.approx(expected[n], abs=1e-15)
        derivative = grad(derivative)


# ---------------------------------------------------------------- numerical_grad


def test_numerical_grad() -> None:
    slope = numerical_grad(lambda x: x**3, 2.0)
    assert type(slope) is float and slope == pytest.approx(12.0, rel=1e-8)
    slopes = numerical_grad(lambda x, y: x * y.exp(), 2.0, 0.0)
    assert slopes == pytest.approx((1.0, 2.0), rel=1e-8)
    assert numerical_grad(lambda x: x**3, Value(2.0), eps=1e-4) == pytest.approx(12.0, rel=1e-7)
    # central differences are exact for a quadratic, up to rounding
    assert numerical_grad(lambda x: 3 * x**2 + 4 * x + 5, 10.0, eps=1e-3) == pytest.approx(
        64.0, rel=1e-10
    )


def test_numerical_grad_rejects_bad_input() -> None:
    with pytest.raises(TypeError, match="str"):
        numerical_grad(lambda x: x, "2.0")
    with pytest.raises(TypeError, match="str"):
        numerical_grad(lambda x: "x", 2.0)


# ---------------------------------------------------------------- gradcheck


def test_gradcheck_passes_for_correct_rules() -> None:
    assert gradcheck(lambda x, y: (x * y).sin() + (x / y).exp(), 0.3, 0.7) is True
    assert gradcheck(lambda x, y: (x * y).sin() + (x / y).exp(), 0.3, 0.7, order=2) is True
    assert gradcheck(lambda x: x.sigmoid().log(), Value(0.4), order=2) is True


def wrong_square(x: Value) -> Value:
    """x**2 in value, but with the derivative 1 instead of 2x: the square is
    added as a constant the engine cannot see through (a broken rule)."""
    return x + Value(x.data**2 - x.data)


def test_gradcheck_catches_a_wrong_first_derivative() -> None:
    f = lambda a, b: a * b + wrong_square(b)
    engine_values = grad(f, (0, 1))(1.0, 3.0)
    assert engine_values == (3.0, 2.0)  # d/db: a + 1, where a + 2b = 7 is right
    numeric = numerical_grad(f, 1.0, 3.0)
    assert numeric == pytest.approx((3.0, 7.0), rel=1e-6)
    with pytest.raises(GradcheckError) as info:
        gradcheck(f, 1.0, 3.0)
    message = str(info.value)
    assert "argument 1" in message, message  # argument 0 is right and passes
    assert repr(engine_values[1]) in message and repr(numeric[1]) in message, message


def test_gradcheck_message_names_both_values() -> None:
    with pytest.raises(GradcheckError) as info:
        gradcheck(wrong_square, 3.0)
    message = str(info.value)
    engine_value = grad(wrong_square)(3.0)
    numeric_value = numerical_grad(wrong_square, 3.0)
    assert engine_value == 1.0 and numeric_value == pytest.approx(6.0, rel=1e-6)
    assert "argument 0" in message
    assert repr(engine_value) in message and repr(numeric_value) in message


def first_order_right_second_wrong(x: Value) -> Value:
    """x**2, with a correct derivative 2x that is a constant to the engine (its
    graph is cut), so the second derivative comes out 0 instead of 2."""
    slope = Value(2 * x.data)
    return x * slope - Value(x.data**2)


def test_gradcheck_order_2_catches_a_wrong_second_derivative() -> None:
    assert gradcheck(first_order_right_second_wrong, 1.5) is True
    with pytest.raises(GradcheckError, match="second derivative"):
        gradcheck(first_order_right_second_wrong, 1.5, order=2)


def test_gradcheck_at_a_kink() -> None:
    # relu'(0) is taken as 0, central differences see the average slope 1/2
    with pytest.raises(GradcheckError):
        gradcheck(Value.relu, 0.0)
    assert gradcheck(Value.relu, 0.5)


@pytest.fixture
def sin_rule(monkeypatch: pytest.MonkeyPatch):
    """Swap the engine's sin rule for a test-local one (restored afterwards)."""

    def install(rule):
        rule.op = "sin"
        monkeypatch.setattr(Value, "_d_sin", staticmethod(rule))

    return install


def test_gradcheck_catches_a_wrong_sign_in_a_rule(sin_rule) -> None:
    sin_rule(lambda g, out, x: -g * engine._cos(x))  # d sin = -cos: a sign slip
    with pytest.raises(GradcheckError, match="argument 0"):
        gradcheck(lambda x: x.sin(), 0.5)


def test_gradcheck_order_2_catches_a_float_only_rule(sin_rule) -> None:
    # the derivative's value is right, but computed on floats only: with
    # create_graph it is a constant, so the second derivative is lost
    def float_only(g, out, x):
        return g * math.cos(x.data if isinstance(x, Value) else x)

    sin_rule(float_only)
    assert gradcheck(lambda x: x.sin(), 0.5) is True
    with pytest.raises(GradcheckError, match="second derivative"):
        gradcheck(lambda x: x.sin(), 0.5, order=2)


def test_gradcheck_rejects_bad_use() -> None:
    with pytest.raises(ValueError, match="order"):
        gradcheck(lambda x: x, 1.0, order=3)
    with pytest.raises(ValueError):
        gradcheck(lambda: Value(1.0))
    with pytest.raises(TypeError, match="str"):
        gradcheck(lambda x: x, "1.0")


def test_gradcheck_tolerances_are_used() -> None:
    # wrong_square's error is 5 at x = 3: a tolerance above it lets it pass
    assert gradcheck(wrong_square, 3.0, atol=6.0)
    with pytest.raises(GradcheckError):
        gradcheck(wrong_square, 3.0, atol=4.0, rtol=0.0)
