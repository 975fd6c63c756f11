"""gradcheck, numerical_grad and grad under hostile arguments (issue 11, items
14 and 16): tolerances that could never fail, a zero step, argnums of the
wrong type, and functions whose result left the engine."""

from __future__ import annotations

import math
import warnings

import pytest

from autograd import (
    ConstantOutputWarning,
    GradcheckError,
    Value,
    grad,
    gradcheck,
    numerical_grad,
    value_and_grad,
)

# ---------------------------------------------------------------- item 14


@pytest.mark.parametrize("name", ["atol", "rtol"])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -1e-5])
def test_gradcheck_tolerances_that_could_never_fail_are_refused(name: str, bad: float) -> None:
    with pytest.raises(ValueError, match=rf"{name} must be a finite number >= 0"):
        gradcheck(lambda x: x * x, 1.0, **{name: bad})


@pytest.mark.parametrize("bad", [0.0, -1e-6, math.nan, math.inf])
def test_the_step_must_be_positive_and_finite(bad: float) -> None:
    with pytest.raises(ValueError, match="eps must be a finite number > 0"):
        gradcheck(lambda x: x * x, 1.0, eps=bad)
    with pytest.raises(ValueError, match="eps must be a finite number > 0"):
        numerical_grad(lambda x: x * x, 1.0, eps=bad)


@pytest.mark.parametrize("bad", ["1e-5", None, True])
def test_tolerances_of_the_wrong_type(bad) -> None:
    with pytest.raises(TypeError, match="atol must be a number"):
        gradcheck(lambda x: x * x, 1.0, atol=bad)


def test_a_wrong_derivative_still_fails_with_zero_tolerances() -> None:
    # the negative control: x.data * x is x² in value, but the engine sees
    # d/dx = x.data (1.5), not 2x (3.0)
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: x.data * x, 1.5, atol=0.0, rtol=0.0)


# ---------------------------------------------------------------- item 16: argnums


@pytest.mark.parametrize("bad", [1.0, None, True, "0", (0, 1.0), (False,)])
def test_argnums_of_the_wrong_type_is_a_type_error_naming_argnums(bad) -> None:
    with pytest.raises(TypeError, match="argnums must be an int or a tuple of ints"):
        grad(lambda x, y: x * y, argnums=bad)
    with pytest.raises(TypeError, match="argnums"):
        value_and_grad(lambda x, y: x * y, argnums=bad)


def test_argnums_out_of_range_is_a_value_error_at_the_call() -> None:
    g = grad(lambda x, y: x * y, argnums=2)
    with pytest.raises(ValueError, match="argnums 2 does not fit a call with 2 arguments"):
        g(1.0, 2.0)


def test_argnums_as_a_list_or_tuple_still_works() -> None:
    assert grad(lambda x, y: x * y, argnums=(0, 1))(2.0, 3.0) == (3.0, 2.0)
    assert grad(lambda x, y: x * y, argnums=[1])(2.0, 3.0) == (2.0,)
    assert grad(lambda x, y: x * y, argnums=-1)(2.0, 3.0) == 2.0


# ---------------------------------------------------------------- item 16: results off the engine


@pytest.mark.parametrize(
    "f",
    [
        lambda x: x.data**2,  # .data leaves the engine
        lambda x: float(x) ** 2,
        lambda x: math.sin(x),  # math functions call float()
        lambda x: 3.0,  # a constant written as a number
    ],
)
def test_a_function_returning_a_number_warns_that_its_derivative_is_taken_as_0(f) -> None:
    # a number may be a true constant (derivative 0) or a computation that left
    # the engine (.data, float(), math.*): it cannot tell, so it says so
    with pytest.warns(ConstantOutputWarning, match=r"returned a float, not a Value") as info:
        assert grad(f)(2.0) == 0.0
    assert "x.sin()" in str(info[0].message) and "Value(c)" in str(info[0].message)
    assert info[0].filename == __file__  # points at the caller's line
    with pytest.warns(ConstantOutputWarning):
        value, slope = value_and_grad(f)(2.0)
    assert slope == 0.0 and type(value) is float


def test_the_warning_can_be_made_an_error() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConstantOutputWarning)
        with pytest.raises(ConstantOutputWarning):
            grad(lambda x: x.data**2)(2.0)


def test_no_warning_for_values() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert grad(lambda x: x * x)(2.0) == 4.0
        assert grad(grad(lambda x: 3.0 * x))(2.0) == 0.0  # a constant Value: no warning


def test_a_constant_value_has_derivative_zero() -> None:
    assert grad(lambda x: Value(3.0))(2.0) == 0.0
    assert grad(lambda x, y: x * y, argnums=1)(2.0, 5.0) == 2.0
    with pytest.warns(ConstantOutputWarning):  # y unused and x a plain float: a float out
        assert grad(lambda x, y: x * 2.0, argnums=1)(2.0, 5.0) == 0.0


def test_higher_derivatives_reach_zero_without_errors() -> None:
    # d/dx 3x = 3 (a constant Value), and its derivative is 0, and so on
    f = lambda x: 3.0 * x  # noqa: E731
    assert grad(f)(2.0) == 3.0
    assert grad(grad(f))(2.0) == 0.0
    assert grad(grad(grad(f)))(2.0) == 0.0
    cube = lambda x: x**3  # noqa: E731
    d4 = grad(grad(grad(grad(cube))))
    assert d4(1.5) == 0.0
    assert grad(d4)(1.5) == 0.0
    assert gradcheck(lambda x, y: x + 2.0 * y, 0.3, 0.4, order=2)


def test_nested_derivatives_are_values_even_where_zero() -> None:
    inner = grad(lambda x, y: x * 2.0, argnums=1)
    out = inner(Value(1.0), Value(2.0))
    assert isinstance(out, Value) and out.data == 0.0
    through = grad(lambda x: x + 1.0)(Value(1.0))  # the rule of + passes g through
    assert isinstance(through, Value) and through.data == 1.0
