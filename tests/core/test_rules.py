"""The tags every derivative rule carries (``op``, ``forward``, ``formula``), and
that each op's method computes exactly its rule's ``forward``: tools that replay
or explain a graph (compile, explain) read these tags instead of a second copy
of the math, so they must never drift from what the methods compute."""

from __future__ import annotations

import math
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ops import BINARY, UNARY

import autograd
from autograd import Value

SPECIAL = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -2.5,
    3.0,
    1e-300,
    1e300,
    -1e300,
    math.inf,
    -math.inf,
    math.nan,
]
floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(SPECIAL)


def same(a: float, b: float) -> bool:
    """Bitwise the same float (nan equals nan, 0.0 differs from -0.0)."""
    return (a != a and b != b) or (a == b and math.copysign(1.0, a) == math.copysign(1.0, b))


def rule_of(v: Value):
    return v._rule


@pytest.mark.parametrize("name", UNARY)
@given(x=floats)
def test_unary_method_computes_its_forward(name: str, x: float) -> None:
    v = UNARY[name](Value(x))
    rule = rule_of(v)
    assert same(rule.forward(x), v.data), (name, x, rule.forward(x), v.data)
    assert len(rule.formula) == 1


@pytest.mark.parametrize("name", BINARY)
@given(x=floats, y=floats)
def test_binary_method_computes_its_forward(name: str, x: float, y: float) -> None:
    v = BINARY[name](Value(x), Value(y))
    rule = rule_of(v)
    assert same(rule.forward(x, y), v.data), (name, x, y)
    assert len(rule.formula) == 2


@given(
    ws=st.lists(floats, min_size=0, max_size=6),
    bias=st.none() | floats,
    data=st.data(),
)
def test_dot_and_sum_compute_their_forward(ws: list[float], bias: float | None, data) -> None:
    xs = data.draw(st.lists(floats, min_size=len(ws), max_size=len(ws)))
    node = autograd.dot(
        [Value(w) for w in ws], [Value(x) for x in xs], None if bias is None else Value(bias)
    )
    args = [*ws, *xs] + ([] if bias is None else [bias])
    assert same(rule_of(node).forward(*args), node.data)
    total = autograd.sum([Value(w) for w in ws])
    assert same(rule_of(total).forward(*ws), total.data)


def test_rules_name_their_ops() -> None:
    x, y = Value(2.0), Value(3.0)
    assert [BINARY[k](x, y).op for k in BINARY] == list(BINARY)
    named = [k for k in UNARY if k.isidentifier()]  # the ops whose name is their key
    assert [UNARY[k](x).op for k in named] == named
    assert x.abs().op == "abs" and x.clamp(0, 1).op == "clamp"
    assert (x**3).op == "**3" and (x**0.5).op == "**0.5" and (2**x).op == "2**"
    assert x.leaky_relu(0.2).op == "leaky_relu"
    assert (x**3)._rule.formula == ("3·{x}^2",)


def test_rules_with_a_constant_are_shared_and_pickle_by_their_constant() -> None:
    x = Value(2.0)
    assert (x**3)._rule is (x**3.0)._rule
    assert x.clamp(0, 1)._rule is x.clamp(0.0, 1)._rule
    for rule in ((x**3)._rule, (2**x)._rule, x.leaky_relu(0.3)._rule, x.clamp(hi=1)._rule):
        copy = pickle.loads(pickle.dumps(rule))
        assert copy is rule  # the factory's cached instance


def test_the_module_functions_compute_the_rules_forward() -> None:
    """autograd.tan(1.5) and friends are the rule's forward on floats: the same
    bits as the method's data (checked above for every float)."""
    from autograd.functions import BINARY as BINARY_FUNCTIONS
    from autograd.functions import UNARY as UNARY_FUNCTIONS

    for name in UNARY_FUNCTIONS:
        for x in SPECIAL:
            fn = getattr(autograd, name)
            assert same(fn(x), getattr(Value(x), name)().data), (name, x)
    for name in BINARY_FUNCTIONS:
        for x in SPECIAL:
            for y in SPECIAL:
                fn = getattr(autograd, name)
                assert same(fn(x, y), getattr(Value(x), name)(y).data), (name, x, y)
