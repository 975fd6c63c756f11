"""autograd.explain: local derivatives, the backward pass as data, the chain rule as text.

``backward_steps`` must reproduce ``backward()`` bit for bit (same floats, added in the same
order), ``local_grads`` must be the derivative (hand-computed, central differences, edge
cases), and ``explain`` must say what the engine does, with totals equal to ``.grad``.
"""

from __future__ import annotations

import doctest
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from engine_expressions import engine_function, points, show, trees
from graphs import lecture_graph
from hypothesis import given, note, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import (
    BackwardStep,
    Contribution,
    Parameter,
    Value,
    backward_steps,
    explain,
    local_grads,
    topological_order,
)
from autograd.core import value as E
from autograd.display.view import node_names


def same(a: float, b: float) -> bool:
    """Bitwise the same float (nan equals nan, 0.0 differs from -0.0)."""
    return (a != a and b != b) or (a == b and math.copysign(1.0, a) == math.copysign(1.0, b))


def replay(steps: list[BackwardStep]) -> dict[Value, float]:
    """Each value's gradient from the steps: products summed per parent in step order from 0.0,
    as backward() adds them into .grad."""
    total: dict[Value, float] = {}
    for step in steps:
        for c in step.contributions:
            total[c.parent] = total.get(c.parent, 0.0) + c.product
    return total


def assert_reproduces_backward(root: Value) -> list[BackwardStep]:
    """backward_steps(root) summed up equals a fresh backward() bit for bit, and touched nothing."""
    order = topological_order(root)
    for v in order:
        v.grad = 0.0
    steps = backward_steps(root)
    assert all(v.grad == 0.0 for v in order)  # nothing written
    total = replay(steps)
    root.backward()
    processed = [s.node for s in steps]
    assert processed == [v for v in reversed(order) if v.parents]  # backward()'s order
    for s in steps:  # each step's grad is the node's complete gradient
        assert same(s.grad, s.node.grad), (s.node, s.grad, s.node.grad)
    for v in order:
        if v is not root:
            assert same(total[v], v.grad), (v, total[v], v.grad)
    return steps


# ---------------------------------------------------------------- the lecture graph


def test_lecture_graph_steps_by_hand() -> None:
    g = lecture_graph()
    const = g["J"].parents[0]  # the 3 of 3 * v
    steps = backward_steps(g["J"])
    assert steps == [
        # dJ/dJ = 1; ∂(3v)/∂3 = v = 11, ∂(3v)/∂v = 3
        BackwardStep(
            g["J"], 1.0, (Contribution(const, 11.0, 11.0), Contribution(g["v"], 3.0, 3.0))
        ),
        # dJ/dv = 3; ∂(a + u)/∂a = ∂(a + u)/∂u = 1
        BackwardStep(g["v"], 3.0, (Contribution(g["a"], 1.0, 3.0), Contribution(g["u"], 1.0, 3.0))),
        # dJ/du = 3; ∂(b·c)/∂b = c = 2, ∂(b·c)/∂c = b = 3
        BackwardStep(g["u"], 3.0, (Contribution(g["b"], 2.0, 6.0), Contribution(g["c"], 3.0, 9.0))),
    ]
    total = replay(steps)
    assert total[g["b"]] == 6.0  # dJ/db = dJ/dv · dv/du · du/db = 3 · 1 · c
    assert total[g["c"]] == 9.0  # dJ/dc = 3 · 1 · b
    assert total[g["a"]] == 3.0  # dJ/da = 3 · 1
    assert_reproduces_backward(g["J"])


def test_local_grads_of_the_lecture_graph() -> None:
    g = lecture_graph()
    assert local_grads(g["u"]) == (2.0, 3.0)  # ∂(b·c)/∂b = c, ∂(b·c)/∂c = b
    assert local_grads(g["v"]) == (1.0, 1.0)  # ∂(a + u)/∂a = ∂(a + u)/∂u = 1
    assert local_grads(g["J"]) == (11.0, 3.0)  # ∂(3v)/∂3 = v, ∂(3v)/∂v = 3
    assert local_grads(g["a"]) == ()  # a leaf
    with pytest.raises(TypeError, match="node must be a Value, not float"):
        local_grads(3.0)  # type: ignore[arg-type]


def test_steps_and_explain_touch_no_grad() -> None:
    g = lecture_graph()
    for k, v in enumerate(g.values()):
        v.grad = float(k) + 0.5
    before = {name: v.grad for name, v in g.items()}
    backward_steps(g["J"])
    explain(g["J"])
    assert {name: v.grad for name, v in g.items()} == before


def test_seed_gradient() -> None:
    g = lecture_graph()
    doubled = backward_steps(g["J"], 2.0)
    assert doubled[0].grad == 2.0
    assert replay(doubled)[g["b"]] == 12.0  # twice dJ/db
    assert backward_steps(g["J"], Value(2.0)) == doubled
    assert backward_steps(g["J"], 2) == doubled
    assert backward_steps(g["J"], 10**400)[0].grad == math.inf  # as the engine takes huge ints
    with pytest.raises(TypeError, match="gradient must be a number or a Value, not str"):
        backward_steps(g["J"], "1")
    with pytest.raises(TypeError, match="root must be a Value"):
        backward_steps(3.0)  # type: ignore[arg-type]


def test_a_leaf_has_no_steps() -> None:
    x = Value(2.0, label="x")
    assert backward_steps(x) == []
    assert explain(x) == "x = 2.0000; backward() takes 0 steps: it is a leaf.\ndx/dx = 1.0000"


# ---------------------------------------------------------------- reuse and n-ary nodes


def test_reused_node_contributes_once_per_use() -> None:
    x = Value(3.0, label="x")
    y = x * x + x  # dy/dx = 2x + 1 = 7
    steps = assert_reproduces_backward(y)
    into_x = [c for s in steps for c in s.contributions if c.parent is x]
    assert [c.product for c in into_x] == [1.0, 3.0, 3.0]  # from +, then x·x twice
    assert x.grad == 7.0


def test_dot_contributions_follow_the_engine_order() -> None:
    w0, w1, x0, x1 = (Value(float(k + 1), label=n) for k, n in enumerate(["w0", "w1", "x0", "x1"]))
    b = Value(0.5, label="b")
    z = autograd.dot([w0, w1], [x0, x1], b)
    (step,) = backward_steps(z, 2.0)
    # _dot_accumulate adds weight then input for each pair, then the bias
    assert [c.parent for c in step.contributions] == [w0, x0, w1, x1, b]
    # ∂z/∂w_i = x_i, ∂z/∂x_i = w_i, ∂z/∂b = 1; products are 2 times those
    assert [c.local for c in step.contributions] == [3.0, 1.0, 4.0, 2.0, 1.0]
    assert [c.product for c in step.contributions] == [6.0, 2.0, 8.0, 4.0, 2.0]
    # local_grads lists them in parents order (weights, inputs, bias)
    assert local_grads(z) == (3.0, 4.0, 1.0, 2.0, 1.0)
    # the products are exactly what the rule returns, position by position
    rule_out = z._rule(2.0, z.data, *[p.data for p in z.parents])
    by_parent = {id(c.parent): c.product for c in step.contributions}
    assert [by_parent[id(p)] for p in z.parents] == rule_out


def test_one_value_as_weight_input_and_bias_of_one_dot() -> None:
    w = Value(0.3, label="w")
    x = Value(-1.7, label="x")
    z = autograd.dot([w, x, w], [w, w, x], w)  # w·w + x·w + w·x + w
    out = (z * z).tanh()
    steps = assert_reproduces_backward(out)
    dot_step = next(s for s in steps if s.node is z)
    assert [c.parent for c in dot_step.contributions] == [w, w, x, w, w, x, w]
    text = explain(out)
    assert f"= {autograd.display.formatting.number(w.grad)}" in text.splitlines()[-1]


def test_sum_nodes_and_numbers_as_constants() -> None:
    a, b = Value(1.5, label="a"), Value(-2.0, label="b")
    s = autograd.sum([a, b, a * b, 3.0])
    assert_reproduces_backward(s.exp())
    assert local_grads(s) == (1.0, 1.0, 1.0, 1.0)


def test_mlp_loss_graph_reproduced() -> None:
    model = nn.MLP(3, [4, 4, 1], rng=3)
    X = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [-0.3, 0.8, 0.1]]
    y = [1.0, -1.0, 1.0]
    scores = [model(x)[0] for x in X]
    loss = nn.hinge_loss(scores, y) + nn.l2_penalty(model, 1e-3)
    assert_reproduces_backward(loss)


# ---------------------------------------------------------------- every op


def _engine_rules() -> list[Callable]:
    """Every derivative rule the engine defines (methods' static rules and module-level ones),
    found by their tags, so that new ops are covered without listing them here."""
    found = {}
    for holder in (E.Value, E):
        for name in dir(holder):
            rule = getattr(holder, name)
            if isinstance(getattr(rule, "op", None), str) and hasattr(rule, "formula"):
                found[id(rule)] = rule
    return list(found.values())


def _node_for(rule: Callable, data: list[float]) -> Value:
    """A node of ``rule`` over fresh leaves holding ``data``."""
    leaves = [Value(x, label=f"p{i}") for i, x in enumerate(data)]
    if hasattr(rule, "accumulate"):
        return E._node(rule.forward(*data), tuple(leaves), E._MANY, rule)
    if len(leaves) == 1:
        return E._node(rule.forward(*data), leaves[0], None, rule)
    return E._node(rule.forward(*data), leaves[0], leaves[1], rule)


def _slots(rule: Callable, inputs: list[Value]) -> tuple[object, object]:
    """The (_a, _b) of a node of ``rule`` over ``inputs`` (see Value.__slots__)."""
    if hasattr(rule, "accumulate"):
        return tuple(inputs), E._MANY
    return inputs[0], inputs[1] if len(inputs) == 2 else None


def _arity(rule: Callable) -> int:
    if hasattr(rule, "accumulate"):
        return 5 if len(rule.formula) == 3 else 4  # dot: 2 weights, 2 inputs, a bias
    return len(rule.formula)


CONSTANT_RULES = [
    E._pow_const(3.0),
    E._pow_const(-0.5),
    E._pow_const(2.5),
    E._rpow(2.0),
    E._rpow(0.5),
    E.leaky_relu_rule(0.1),
]
ALL_RULES = _engine_rules() + CONSTANT_RULES
POINTS = [0.7, 1.3, 2.1, -0.6, -1.9]


def test_the_catalogue_finds_the_ops() -> None:
    ops = {r.op for r in ALL_RULES}
    assert {"+", "-", "*", "/", "**", "exp", "log", "tanh", "dot", "sum", "relu"} <= ops


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.op)
def test_local_grads_match_central_differences(rule: Callable) -> None:
    k = _arity(rule)
    checked = 0
    for shift in range(len(POINTS)):
        data = [POINTS[(shift + i) % len(POINTS)] for i in range(k)]
        node = _node_for(rule, data)
        if not math.isfinite(node.data):
            continue  # outside the op's domain (log of a negative number, ...)
        local = local_grads(node)
        assert len(local) == k
        for i in range(k):

            def f(t: float, i: int = i, data: list[float] = data) -> float:
                return rule.forward(*[t if j == i else data[j] for j in range(k)])

            h = 1e-6
            numeric = (f(data[i] + h) - f(data[i] - h)) / (2 * h)
            assert local[i] == pytest.approx(numeric, rel=1e-5, abs=1e-6), (rule.op, data, i)
            checked += 1
    assert checked >= k  # at least one point inside every op's domain


# op -> (how to build it from x, its derivative by hand, the point x)
HAND: dict[str, tuple[Callable[[Value], Value], Callable[[float], float], float]] = {
    "exp": (Value.exp, math.exp, 0.8),  # d e^x/dx = e^x
    "log": (Value.log, lambda x: 1 / x, 0.8),
    "sqrt": (Value.sqrt, lambda x: 0.5 / math.sqrt(x), 0.8),
    "sin": (Value.sin, math.cos, 0.8),
    "cos": (Value.cos, lambda x: -math.sin(x), 0.8),
    "tanh": (Value.tanh, lambda x: 1 - math.tanh(x) ** 2, 0.8),
    "sigmoid": (Value.sigmoid, lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2, 0.8),
    "relu": (Value.relu, lambda x: 1.0 if x > 0 else 0.0, 0.8),
    "relu<0": (Value.relu, lambda x: 1.0 if x > 0 else 0.0, -0.8),
    "softplus": (Value.softplus, lambda x: 1 / (1 + math.exp(-x)), 0.8),
    "abs": (abs, lambda x: math.copysign(1.0, x), -0.8),
    "neg": (lambda v: -v, lambda x: -1.0, 0.8),
    "**3": (lambda v: v**3, lambda x: 3 * x**2, 0.8),
    "2**": (lambda v: 2**v, lambda x: 2**x * math.log(2), 0.8),
    "leaky_relu": (lambda v: v.leaky_relu(0.1), lambda x: 1.0 if x > 0 else 0.1, -0.8),
}


@pytest.mark.parametrize("name", HAND)
def test_local_grads_by_hand(name: str) -> None:
    op, derivative, x = HAND[name]
    assert local_grads(op(Value(x))) == pytest.approx((derivative(x),), rel=1e-12)


def test_binary_local_grads_by_hand() -> None:
    x, y = Value(1.5), Value(-2.5)
    assert local_grads(x + y) == (1.0, 1.0)
    assert local_grads(x - y) == (1.0, -1.0)
    assert local_grads(x * y) == (-2.5, 1.5)  # (y, x)
    assert local_grads(x / y) == pytest.approx((1 / -2.5, -1.5 / 6.25))  # (1/y, -x/y²)
    p = Value(2.0) ** Value(3.0)
    assert local_grads(p) == pytest.approx((3 * 2.0**2, 8 * math.log(2)))  # (y x^(y-1), x^y ln x)


SPECIAL = [0.0, -0.0, 1e-300, 1e300, -1e300, math.inf, -math.inf, math.nan]


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.op)
def test_local_grads_never_raise(rule: Callable) -> None:
    # IEEE like the ops: inf and nan come out as values, never as exceptions
    k = _arity(rule)
    for x in SPECIAL:
        for y in SPECIAL[::3]:
            data = [x if i % 2 == 0 else y for i in range(k)]
            node = _node_for(rule, data)
            local = local_grads(node)
            assert len(local) == k
            assert all(isinstance(d, float) for d in local)
            (step,) = backward_steps(node)
            assert len(step.contributions) == k
            assert_reproduces_backward(node)  # bit for bit, nan and signed zeros included


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.op)
def test_every_op_reproduced_inside_a_graph(rule: Callable) -> None:
    # the op between other ops, with a reused input: gradients arrive from two paths
    k = _arity(rule)
    for shift in range(len(POINTS)):
        leaves = [Value(POINTS[(shift + i) % len(POINTS)], label=f"p{i}") for i in range(k)]
        inner = [(p * 0.5).sin() for p in leaves]
        node = E._node(rule.forward(*[v.data for v in inner]), *_slots(rule, inner), rule)
        out = node * inner[0] + node.exp()
        assert_reproduces_backward(out)


# ---------------------------------------------------------------- random programs


@settings(max_examples=200)
@given(tree=trees(), point=points())
def test_backward_steps_reproduce_backward_on_random_programs(tree, point) -> None:
    note(show(tree))
    x, y = Value(point[0], label="x"), Value(point[1], label="y")
    out = engine_function(tree)(x, y)
    if not isinstance(out, Value) or not out.parents:
        return  # a bare leaf or constant: nothing to step through
    out.label = "out"
    text = explain(out, max_steps=None)
    assert_reproduces_backward(out)
    # and explain's totals are .grad, to the printed digit
    last = text.splitlines()[-1]
    for leaf in (x, y):
        if leaf in topological_order(out):
            assert f"dout/d{leaf.label} = {autograd.display.formatting.number(leaf.grad)}" in last


# ---------------------------------------------------------------- the text

LECTURE_TEXT = """\
J = 33.0000; backward() takes 3 steps, from J back to its inputs.
dJ/dJ = 1.0000
step 1 of 3: J = 3 * v
  dJ/dv = dJ/dJ · ∂J/∂v = 1.0000 · 3.0000 = 3.0000
step 2 of 3: v = a + u
  dJ/da = dJ/dv · ∂v/∂a = 3.0000 · 1.0000 = 3.0000
  dJ/du = dJ/dv · ∂v/∂u = 3.0000 · 1.0000 = 3.0000
step 3 of 3: u = b * c
  dJ/db = dJ/du · ∂u/∂b = 3.0000 · c = 3.0000 · 2.0000 = 6.0000
  dJ/dc = dJ/du · ∂u/∂c = 3.0000 · b = 3.0000 · 3.0000 = 9.0000
so dJ/da = 3.0000, dJ/db = 6.0000, dJ/dc = 9.0000"""


def test_explain_the_lecture_graph() -> None:
    g = lecture_graph()
    assert explain(g["J"]) == LECTURE_TEXT
    g["J"].backward()
    assert "dJ/db = 6.0000" in LECTURE_TEXT and g["b"].grad == 6.0  # 3 · 1 · c


def test_explain_wrt_keeps_the_steps_that_lead_there() -> None:
    g = lecture_graph()
    text = explain(g["J"], wrt="b")
    assert text.splitlines()[2:] == [
        "step 1 of 3: J = 3 * v",
        "  dJ/dv = dJ/dJ · ∂J/∂v = 1.0000 · 3.0000 = 3.0000",
        "step 2 of 3: v = a + u",
        "  dJ/du = dJ/dv · ∂v/∂u = 3.0000 · 1.0000 = 3.0000",
        "step 3 of 3: u = b * c",
        "  dJ/db = dJ/du · ∂u/∂b = 3.0000 · c = 3.0000 · 2.0000 = 6.0000",
        "so dJ/db = 6.0000",
    ]
    assert explain(g["J"], wrt=g["b"]) == text
    only_a = explain(g["J"], wrt="a").splitlines()
    assert "step 3 of 3: u = b * c" not in only_a and only_a[-1] == "so dJ/da = 3.0000"
    assert explain(g["J"], wrt="J").splitlines()[-1] == "so dJ/dJ = 1.0000"


def test_explain_wrt_errors() -> None:
    g = lecture_graph()
    with pytest.raises(ValueError, match="no value of the graph is named or labelled 'q'"):
        explain(g["J"], wrt="q")
    with pytest.raises(ValueError, match="not part of the graph"):
        explain(g["J"], wrt=Value(1.0))
    with pytest.raises(
        TypeError, match="wrt must be a Value, the name or label of one, or None, not int"
    ):
        explain(g["J"], wrt=3)  # type: ignore[arg-type]
    twins = Value(1.0, label="w") * Value(2.0, label="w")
    with pytest.raises(ValueError, match="2 values of the graph are labelled 'w'"):
        explain(twins, wrt="w")
    # an unlabelled value can be named by the name the text calls it
    x = Value(2.0)
    y = x * x
    assert explain(y, wrt="x0").splitlines()[-1] == "so dout/dx0 = 4.0000"


def test_a_node_used_twice_shows_both_contributions_and_their_sum() -> None:
    a = Value(1.0, label="a")
    b = a + a
    b.label = "b"
    J = 2 * b
    J.label = "J"
    lines = explain(J).splitlines()
    assert lines[-4:] == [
        "  dJ/da += dJ/db · ∂b/∂a = 2.0000 · 1.0000 = 2.0000",
        "  dJ/da += dJ/db · ∂b/∂a = 2.0000 · 1.0000 = 2.0000",
        "  dJ/da = 2.0000 + 2.0000 = 4.0000",
        "so dJ/da = 4.0000",
    ]
    J.backward()
    assert a.grad == 4.0  # 2 · (1 + 1)


def test_symbolic_local_derivatives_from_the_rules() -> None:
    x = Value(0.5, label="x")
    h = x.tanh()
    h.label = "h"
    text = explain(h)
    # ∂tanh(x)/∂x = 1 − tanh(x)², written with the result's name
    assert "dh/dx = dh/dh · ∂h/∂x = 1.0000 · (1 − h²) = 1.0000 · 0.7864 = 0.7864" in text
    w, b = Parameter(-0.5, label="w"), Parameter(0.25, label="b")
    z = autograd.dot([w], [x], b)
    z.label = "z"
    lines = explain(z).splitlines()
    assert lines[2] == "step 1 of 1: z = dot(w; x; b)"
    assert lines[3] == "  dz/dw = dz/dz · ∂z/∂w = 1.0000 · x = 1.0000 · 0.5000 = 0.5000"
    assert lines[4] == "  dz/dx = dz/dz · ∂z/∂x = 1.0000 · w = 1.0000 · (-0.5000) = -0.5000"
    assert lines[5] == "  dz/db = dz/dz · ∂z/∂b = 1.0000 · 1.0000 = 1.0000"


def test_names_match_the_drawings() -> None:
    x = Value(2.0)
    w = [Value(1.0, label="w"), Value(3.0, label="w")]
    y = (x * w[0] + w[1]) * 0.5
    order = topological_order(y)
    names = node_names(order)
    assert names[x] == "x0"  # an unlabelled input: x0, x1, ... in topological_order
    assert names[y] == "out"  # the unlabelled output
    assert names[y.parents[0]] == "t2"  # computed on the way: t1, t2, ...
    assert names[w[0]] == f"w#{order.index(w[0])}"  # a label two values share gets the index
    assert names[y.parents[1]] == "0.5"  # a constant: its value
    dot = autograd.to_dot(y)
    for v in order:
        if v.label or not isinstance(v, E.Constant):
            assert f">{names[v]}</TD>" in dot  # the drawing shows the same name


def test_hostile_labels_stay_literal() -> None:
    evil = "</script><img src=x onerror=alert(1)>"
    a = Value(2.0, label=evil)
    b = Value(3.0, label="{out}{x}")
    c = a * b
    c.label = "tab\there\nnew line"
    text = explain(c)
    assert f"dtab\\there\\nnew line/d{evil} = " in text  # control characters as escapes
    assert "· ({out}{x}) = " in text  # a label is never read as a template
    assert "\t" not in text and text.count("\n") == len(text.splitlines()) - 1


def test_max_steps_and_linear_size() -> None:
    x = Value(0.5, label="x")
    y = x
    for _ in range(5000):  # a 10,000-value chain that reuses x at every step
        y = (y * x).tanh()
    y.label = "y"
    start = time.perf_counter()
    full = explain(y, max_steps=None)
    elapsed = time.perf_counter() - start
    order = topological_order(y)
    assert len(order) == 10_001
    # one header, one line per contribution, x's sum: about 100 characters per value
    assert len(full) < 200 * len(order)
    assert full.count("\n") < 3 * len(order)
    assert elapsed < 30  # linear: well under a second here; a path enumeration never ends
    short = explain(y)
    assert short.count("\nstep ") == 200
    assert "… 9800 more steps left out (max_steps=200); max_steps=None shows them all" in short
    assert len(short) < len(full) / 20
    # the totals are the engine's
    y.backward()
    assert full.splitlines()[-1] == f"so dy/dx = {autograd.display.formatting.number(x.grad)}"
    assert short.splitlines()[-1] == full.splitlines()[-1]


def test_max_steps_checks() -> None:
    g = lecture_graph()
    assert "… 3 more steps left out" in explain(g["J"], max_steps=0)
    with pytest.raises(TypeError, match="max_steps must be an int or None"):
        explain(g["J"], max_steps=2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_steps must be at least 0"):
        explain(g["J"], max_steps=-1)
    with pytest.raises(TypeError, match="root must be a Value"):
        explain("J")  # type: ignore[arg-type]


@given(st.floats(-3, 3), st.floats(-3, 3))
def test_explain_totals_equal_grad(a: float, b: float) -> None:
    x, y = Value(a, label="x"), Value(b, label="y")
    out = (x * y + x.sigmoid() * x - y / (x * x + 1.0)).tanh()
    out.label = "out"
    text = explain(out, max_steps=None)
    out.backward()
    last = text.splitlines()[-1]
    num = autograd.display.formatting.number
    assert last == f"so dout/dx = {num(x.grad)}, dout/dy = {num(y.grad)}"
    # each complete line for x says the same total
    x_totals = [ln for ln in text.splitlines() if ln.startswith("  dout/dx = ")]
    assert x_totals[-1].endswith(f"= {num(x.grad)}")


def test_deep_graphs_need_no_recursion() -> None:
    x = Value(1.0001, label="x")
    y = x
    for _ in range(100_000):
        y = y * 1.0
    steps = backward_steps(y)
    assert len(steps) == 100_000
    assert replay(steps)[x] == 1.0


def test_docstring_examples() -> None:
    module = sys.modules["autograd.display.steps"]  # autograd.explain is also the function's name
    failures, tried = doctest.testmod(module)
    assert tried >= 3 and failures == 0


def test_the_readme_section_is_what_explain_prints() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Why is this gradient 6?")[1].split("\n## ")[0]
    block = section.split("```python\n")[1].split("```")[0]
    test = doctest.DocTestParser().get_doctest(block, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.failures == 0 and len(test.examples) == 6


def test_the_demo_prints_explain_beside_the_hand_derivation(tmp_path: Path, capsys) -> None:
    import demos.computation_graph as demo

    assert demo.run(tmp_path, quick=True, plots=False) is True
    out = capsys.readouterr().out
    assert "dJ/dv · dv/du · du/db = 3 · 1 · c  dJ/db = dJ/du · ∂u/∂b = 3.0000 · c" in out
    for line in LECTURE_TEXT.splitlines():
        assert "  " + line in out
