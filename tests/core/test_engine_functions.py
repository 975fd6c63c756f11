"""The ops as functions (``autograd.exp(x)``, ``autograd.atan2(y, x)``, ...), the
binary ops with numbers on either side, ``clamp``, ``detach``, and what anomaly
mode and drawings make of the newer ops.

Values and derivatives of each op are in test_engine_ops.py, the forward
functions bit for bit in test_rules.py.
"""

from __future__ import annotations

import math
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import AnomalyError, Value, grad
from autograd.functions import BINARY, UNARY

ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True)


# ---------------------------------------------------------------- module-level functions


@pytest.mark.parametrize("name", UNARY)
@given(x=ANY_FLOAT)
def test_a_float_in_gives_a_float_out_and_never_raises(name: str, x: float) -> None:
    out = getattr(autograd, name)(x)
    assert type(out) is float
    method = getattr(Value(x), name)().data  # the same IEEE result as the op's method
    assert out == method or (math.isnan(out) and math.isnan(method))


@pytest.mark.parametrize("name", BINARY)
@given(x=ANY_FLOAT, y=ANY_FLOAT)
def test_binary_functions_of_two_floats_never_raise(name: str, x: float, y: float) -> None:
    out = getattr(autograd, name)(x, y)
    assert type(out) is float


@pytest.mark.parametrize("name", UNARY)
def test_a_value_in_gives_a_value_out(name: str) -> None:
    x = Value(0.5, label="x")
    y = getattr(autograd, name)(x)
    assert isinstance(y, Value) and y.op == name and y.parents == (x,)


def test_ints_and_bools_are_numbers() -> None:
    assert autograd.exp(0) == 1.0 and type(autograd.exp(0)) is float
    assert autograd.floor(True) == 1.0
    assert autograd.atan2(1, 1) == math.pi / 4
    assert autograd.exp(10**400) == math.inf  # an int too large for a float: inf, not an error


def test_the_ieee_promise() -> None:
    assert math.isnan(autograd.log(-1.0))
    assert autograd.log(0.0) == -math.inf
    assert autograd.exp(1000.0) == math.inf
    assert math.isnan(autograd.asin(2.0))
    assert autograd.atanh(1.0) == math.inf
    assert autograd.floor(-0.5) == -1.0 and type(autograd.floor(2.5)) is float


def test_binary_functions_take_a_number_on_either_side() -> None:
    y, x = Value(1.0, label="y"), Value(-1.0, label="x")
    for out in (autograd.atan2(y, x), autograd.atan2(y, -1.0), autograd.atan2(1, x)):
        assert isinstance(out, Value) and out.op == "atan2"
        assert out.data == pytest.approx(3 * math.pi / 4, rel=1e-15)
    # operand order is kept: the number becomes a constant first or second input
    out = autograd.atan2(1.0, x)
    assert out.parents[1] is x and out.parents[0].data == 1.0
    out.backward()
    assert x.grad == pytest.approx(-0.5, rel=1e-15)  # d atan2(y, x)/dx = -y/(x**2 + y**2)
    assert autograd.minimum(3, Value(2.0)).data == 2.0
    assert autograd.maximum(Value(2.0), 3).data == 3.0
    assert autograd.hypot(3.0, 4.0) == 5.0


def test_leaky_relu_and_clamp_functions() -> None:
    assert autograd.leaky_relu(-2.0) == -0.02
    assert autograd.leaky_relu(-2.0, 0.5) == -1.0
    assert autograd.leaky_relu(Value(-2.0), 0.5).op == "leaky_relu"
    assert autograd.clamp(5.0, hi=1.0) == 1.0
    assert autograd.clamp(-5, lo=-1) == -1.0
    assert autograd.clamp(Value(0.5), 0, 1).op == "clamp"
    assert autograd.radians(180.0) == math.pi and autograd.degrees(math.pi) == 180.0


@pytest.mark.parametrize("fn", [autograd.exp, autograd.tan, autograd.abs, autograd.clamp])
def test_anything_else_is_a_type_error_naming_the_function(fn) -> None:
    with pytest.raises(TypeError, match=rf"^{fn.__name__}\(\): the argument .* not str$"):
        fn("1.0")


def test_binary_functions_name_the_bad_argument() -> None:
    with pytest.raises(TypeError, match=r"atan2\(\): the first argument .* not str"):
        autograd.atan2("1", 1.0)
    with pytest.raises(TypeError, match=r"atan2\(\): the first argument .* not str"):
        autograd.atan2("1", Value(1.0))
    with pytest.raises(TypeError, match=r"hypot\(\): the second argument .* not NoneType"):
        autograd.hypot(1.0, None)
    with pytest.raises(TypeError, match=r"minimum: the other operand .* not list"):
        Value(1.0).minimum([1.0])


def test_the_functions_carry_the_methods_docstrings() -> None:
    assert autograd.tan.__name__ == "tan"
    assert autograd.tan.__doc__ == Value.tan.__doc__


def test_star_import_brings_the_engine_but_never_shadows_a_builtin_or_math() -> None:
    namespace: dict[str, object] = {}
    exec("from autograd import *", namespace)
    assert namespace["Value"] is Value and namespace["grad"] is autograd.grad
    for name in ("abs", "sum", "compile", "tan", "exp", "log"):
        assert name not in namespace, name
    assert autograd.abs(-2.0) == 2.0  # importable all the same
    namespace = {}
    exec("from autograd.functions import *", namespace)
    assert namespace["tan"] is autograd.tan and namespace["atan2"] is autograd.atan2
    assert "abs" not in namespace


def test_every_function_is_importable_and_listed_in_functions_all() -> None:
    for name in (*UNARY, *BINARY, "leaky_relu", "clamp", "jacobian", "hessian"):
        assert hasattr(autograd, name)
    for name in (*UNARY, *BINARY, "leaky_relu", "clamp"):
        assert (name in autograd.functions.__all__) == (name != "abs"), name


def test_the_public_surface_is_short_and_every_name_in_it_exists() -> None:
    assert len(autograd.__all__) <= 35
    for name in autograd.__all__:
        assert hasattr(autograd, name), name
        assert name in (autograd.__doc__ or ""), f"{name} is not grouped in the docstring"


# ---------------------------------------------------------------- % with numbers


def test_mod_with_a_number_on_either_side() -> None:
    x = Value(7.0, label="x")
    y = x % 3
    y.backward()
    assert (y.data, x.grad) == (1.0, 1.0)  # d(x % 3)/dx = 1
    x = Value(3.0, label="x")
    y = 7 % x
    y.backward()
    assert (y.data, x.grad) == (1.0, -2.0)  # d(7 % x)/dx = -floor(7/x)
    assert y.parents[1] is x
    with pytest.raises(TypeError):
        Value(1.0) % "2"


def test_mod_has_pythons_sign_convention() -> None:
    for x, y in [(-7.0, 3.0), (7.0, -3.0), (-0.5, 0.25), (5.5, 2.0)]:
        assert (Value(x) % y).data == x % y
        assert autograd.core.value._ieee.mod(x, y) == x % y


# ---------------------------------------------------------------- clamp and detach


def test_clamp_bounds_must_be_numbers() -> None:
    with pytest.raises(ValueError, match="lower bound lo, an upper bound hi"):
        Value(1.0).clamp()
    with pytest.raises(TypeError, match="clamp bound hi must be a number or None, not str"):
        Value(1.0).clamp(0, "1")
    with pytest.raises(TypeError, match="for a Value bound use autograd.maximum/minimum"):
        Value(1.0).clamp(Value(0.0))


def test_clamp_rules_are_shared_and_pickle() -> None:
    x = Value(0.5)
    rule = x.clamp(0, 1)._rule
    assert rule is x.clamp(0.0, 1.0)._rule
    assert pickle.loads(pickle.dumps(rule)) is rule
    y = pickle.loads(pickle.dumps(x.clamp(hi=0.25)))
    assert (y.data, y.op, y.parents[0].data) == (0.25, "clamp", 0.5)


def test_detach_stops_the_graph() -> None:
    x = Value(3.0, label="x")
    h = x * x
    h.label = "h"
    d = h.detach()
    assert (d.data, d.label, d.parents, d.op) == (9.0, "h", (), "")
    y = d * x  # d is a constant 9 here: dy/dx = 9, not 3 x**2 = 27
    y.backward()
    assert x.grad == 9.0
    assert grad(lambda t: (t * t).detach() * t)(3.0) == 9.0


# ---------------------------------------------------------------- anomaly mode and drawings


@pytest.mark.parametrize(
    ("op", "x"),
    [("asin", 2.0), ("acosh", 0.9), ("log2", -2.0), ("sinh", 800.0), ("atanh", 1.0)],
)
def test_anomaly_mode_names_the_new_ops(op: str, x: float) -> None:
    with autograd.detect_anomaly(), pytest.raises(AnomalyError, match=f"op '{op}'"):
        getattr(Value(x), op)()  # nan or inf from a finite input


def test_anomaly_mode_names_an_op_whose_gradient_blows_up() -> None:
    x = Value(1.0, label="x")
    with autograd.detect_anomaly():
        y = x.asin()  # pi/2: finite
        with pytest.raises(AnomalyError, match="backward of op 'asin'.*'x'"):
            y.backward()  # asin'(1) = inf


def test_drawings_show_the_new_ops() -> None:
    x, y = Value(1.5, label="x"), Value(-2.0, label="y")
    out = (x % y).atan2(x.hypot(y)).clamp(hi=1).erf()
    out.backward()
    text = autograd.tree(out)
    for op in ("erf", "clamp", "atan2", "%", "hypot"):
        assert op in text
    dot = autograd.to_dot(out)
    assert "atan2" in dot and "hypot" in dot


# ---------------------------------------------------------------- never an exception


@pytest.mark.parametrize("name", UNARY)
@given(x=ANY_FLOAT)
def test_no_op_raises_at_any_order(name: str, x: float) -> None:
    """Value, first, second and third derivatives of every op at every float
    (inf, nan, huge, tiny): IEEE results, never an exception."""
    f = getattr(autograd, name)
    d1 = grad(f)
    d2 = grad(d1)
    for out in (f(x), d1(x), d2(x), grad(d2)(x)):
        assert type(out) is float


@pytest.mark.parametrize("name", BINARY)
@given(x=ANY_FLOAT, y=ANY_FLOAT)
def test_no_binary_function_raises_at_order_two(name: str, x: float, y: float) -> None:
    f = getattr(autograd, name)
    first = grad(f, (0, 1))(x, y)
    second = autograd.hessian(f, (0, 1))(x, y)
    assert all(type(v) is float for v in (*first, *second[0], *second[1]))
    for g in ((lambda a, b: a % b), (lambda a, b: b % a)):
        assert all(type(v) is float for row in autograd.hessian(g, (0, 1))(x, y) for v in row)


def test_functions_all_lists_every_op_function_but_abs() -> None:
    names = (*UNARY, *BINARY, "leaky_relu", "clamp", "degrees", "radians")  # + math's aliases
    expected = {n for n in names if n != "abs"}
    assert set(autograd.functions.__all__) == expected


def test_the_function_lists_come_from_the_rules_and_each_has_its_function() -> None:
    from autograd.core.value import RULES

    for name in (*UNARY, *BINARY):
        assert name in RULES and getattr(autograd.functions, name).__name__ == name
    assert "neg" in RULES and "neg" not in UNARY  # an op without a method of its name
    assert len(UNARY) == 35 and len(BINARY) == 4
