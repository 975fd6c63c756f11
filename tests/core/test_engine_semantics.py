"""What backward() means, and how a Value behaves as a Python object.

Reused nodes, accumulation into leaves, interior reset, higher order with
create_graph, deep graphs at the default recursion limit (and their garbage
collection), no_grad and its contextvars scope, detect_anomaly, comparisons,
repr, hashing, TypeErrors, and the IEEE results that replace exceptions.
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import math
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import AnomalyError, Parameter, Value, detect_anomaly, enable_grad, no_grad

# ---------------------------------------------------------------- accumulation and reset


def test_reused_node_accumulates() -> None:
    a = Value(3.0, label="a")
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0  # dc/da = dc/db * db/da = 2 * 2
    assert b.grad == 2.0


def test_reused_node_in_a_product() -> None:
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0  # d(a*a)/da = 2a


def test_diamond_graph() -> None:
    # x feeds two branches that meet again: dy/dx = cos(x) * 2x e**(x**2) ... by parts
    x = Value(0.7)
    u, w = x.sin(), x * x
    y = u * w
    y.backward()
    # dy/dx = cos(x) x**2 + sin(x) 2x
    assert x.grad == pytest.approx(math.cos(0.7) * 0.49 + math.sin(0.7) * 1.4, rel=1e-15)


def test_backward_twice_doubles_leaves_exactly() -> None:
    a, b = Value(1.3, label="a"), Parameter(-0.7, label="b")
    y = (a * b).tanh() + a.exp() / b
    y.backward()
    first = (a.grad, b.grad)
    y.backward()
    assert (a.grad, b.grad) == (first[0] + first[0], first[1] + first[1])
    y.backward()
    assert (a.grad, b.grad) == (first[0] + first[0] + first[0], first[1] + first[1] + first[1])


def test_backward_twice_doubles_a_leaf_used_three_times() -> None:
    # As in PyTorch, a call adds the leaf's whole gradient (the sum of all its
    # uses) to .grad once; adding each use's share to .grad separately rounds
    # differently: here 3.965168910312263 instead of 2 * 1.9825844551561318.
    a = Value(-0.32, label="a")
    y = a * a * a + a.sin() + a.exp()
    y.backward()
    first = a.grad
    y.backward()
    assert a.grad == first + first


@given(x=st.floats(-2.0, 2.0, allow_nan=False), y=st.floats(-2.0, 2.0, allow_nan=False))
def test_backward_twice_doubles_leaves_exactly_everywhere(x: float, y: float) -> None:
    a, b = Value(x), Value(y)
    out = a * b * a + (a - b).tanh() * b + a.exp()
    out.backward()
    first = (a.grad, b.grad)
    out.backward()
    assert (a.grad, b.grad) == (first[0] + first[0], first[1] + first[1])


def test_backward_resets_the_interior() -> None:
    a, b = Value(2.0), Value(3.0)
    u = a * b
    v = u * u
    v.backward()
    once = (u.grad, v.grad)
    assert once == (2 * 6.0, 1.0)  # dv/du = 2u
    v.backward()
    assert (u.grad, v.grad) == once  # interior: reset, not accumulated
    assert a.grad == 2 * (2 * 6.0 * 3.0)  # leaves: accumulated


def test_backward_twice_doubles_the_leaves_of_dot_and_sum_nodes() -> None:
    # the inputs of n-ary nodes are reached by a path of their own in the
    # traversal that also resets the gradients: leaves there accumulate too
    w = [Value(0.5), Parameter(-1.5)]
    x = [Value(2.0), Value(3.0)]
    h = autograd.dot(w, x, Value(0.25)).tanh()
    y = autograd.sum([h, h * w[0], x[1]])
    y.backward()
    first = [v.grad for v in (*w, *x)]
    inner = h.grad
    y.backward()
    assert [v.grad for v in (*w, *x)] == [g + g for g in first]
    assert h.grad == inner  # interior: reset, not accumulated


def test_topological_order_leaves_gradients_alone() -> None:
    a, b = Value(2.0), Value(3.0)
    u = a * b
    y = autograd.sum([u * u, a])
    y.backward()
    before = [v.grad for v in (a, b, u, y)]
    autograd.topological_order(y)
    assert [v.grad for v in (a, b, u, y)] == before


def test_backward_from_an_interior_node_treats_it_as_the_root() -> None:
    a = Value(2.0)
    u = a * 3.0
    v = u * u
    v.backward()
    assert u.grad == 2 * 6.0
    u.backward()
    assert u.grad == 1.0  # the root's own gradient is the seed, not accumulated
    assert a.grad == 2 * 6.0 * 3.0 + 3.0


def test_leaf_backward_seeds_itself() -> None:
    x = Value(5.0)
    x.backward()
    x.backward(2.0)
    assert x.grad == 3.0


def test_backward_gradient_argument() -> None:
    x = Value(2.0)
    (x * x).backward(gradient=0.5)
    assert x.grad == 2.0  # 0.5 * 2x
    x.grad = 0.0
    (x * x).backward(Value(3.0))  # a Value seed counts as its data
    assert x.grad == 12.0
    x.grad = 0.0
    (x * x).backward(True)
    assert x.grad == 4.0


@pytest.mark.parametrize("bad", ["1.0", None, [1.0], 1j])
def test_backward_rejects_a_bad_gradient(bad: object) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        (Value(1.0) * 2).backward(bad)


def test_unrelated_leaves_keep_their_gradient() -> None:
    x, y = Value(1.0), Value(2.0)
    y.grad = 7.0
    (x * 3).backward()
    assert (x.grad, y.grad) == (3.0, 7.0)


def test_gradients_are_floats() -> None:
    x = Value(2)
    (x * 3).backward()
    assert type(x.grad) is float and x.grad == 3.0


def test_parameter_is_a_leaf_value() -> None:
    w = Parameter(0.5, label="w")
    assert isinstance(w, Value) and w.op == "" and w.parents == ()
    y = w * 4 + 1
    assert type(y) is Value
    y.backward()
    y.backward()
    assert w.grad == 8.0


# ---------------------------------------------------------------- higher order


def test_create_graph_gives_differentiable_gradients() -> None:
    x = Value(2.0, label="x")
    y = x**3
    y.backward(create_graph=True)
    g = x.grad
    assert isinstance(g, Value) and g.data == 12.0  # 3x**2
    x.grad = 0.0
    g.backward(create_graph=True)
    h = x.grad
    assert isinstance(h, Value) and h.data == 12.0  # 6x
    x.grad = 0.0
    h.backward()
    assert x.grad == 6.0  # third derivative


def test_create_graph_mixed_partials() -> None:
    x, y = Value(3.0), Value(2.0)
    f = x * y**2 + (x * y).sin()
    f.backward(create_graph=True)
    dfdx = x.grad  # y**2 + y cos(xy)
    assert dfdx.data == pytest.approx(4 + 2 * math.cos(6.0), rel=1e-15)
    x.grad, y.grad = 0.0, 0.0
    dfdx.backward()
    # d/dy (y**2 + y cos(xy)) = 2y + cos(xy) - xy sin(xy)
    assert y.grad == pytest.approx(4 + math.cos(6.0) - 6 * math.sin(6.0), rel=1e-14)
    # d/dx (y**2 + y cos(xy)) = -y**2 sin(xy)
    assert x.grad == pytest.approx(-4 * math.sin(6.0), rel=1e-14)


def test_create_graph_twice_accumulates_values() -> None:
    x = Value(2.0)
    y = x * x
    y.backward(create_graph=True)
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 8.0


def test_create_graph_on_every_op_matches_plain_backward() -> None:
    ops = [
        lambda v: v.exp(),
        lambda v: v.log(),
        lambda v: v.sqrt(),
        lambda v: v.sin(),
        lambda v: v.cos(),
        lambda v: v.tanh(),
        lambda v: v.sigmoid(),
        lambda v: v.relu(),
        lambda v: v.leaky_relu(0.1),
        lambda v: v.softplus(),
        lambda v: abs(v),
        lambda v: -v,
        lambda v: v**2.5,
        lambda v: 2.5**v,
        lambda v: v ** Value(1.5),
        lambda v: 3 / v,
        lambda v: autograd.dot([v, 2.0], [v, v], v),
    ]
    for i, op in enumerate(ops):
        a, b = Value(0.8), Value(0.8)
        op(a).backward()
        op(b).backward(create_graph=True)
        assert float(b.grad) == pytest.approx(a.grad, rel=1e-15), i


@pytest.mark.parametrize(
    "fn",
    [
        pytest.param(lambda v: v * 3, id="linear"),
        pytest.param(lambda v: v.relu(), id="relu"),
        pytest.param(lambda v: v + 1, id="sum"),
        pytest.param(lambda v: v * v, id="square"),
    ],
)
def test_create_graph_gradients_are_always_values(fn) -> None:
    """Even a constant derivative is a Value, so ``x.grad.backward()`` always works."""
    x = Value(0.8)
    fn(x).backward(create_graph=True)
    g = x.grad
    assert isinstance(g, Value)
    x.grad = 0.0
    g.backward()
    assert type(x.grad) is float


# ---------------------------------------------------------------- traversal


def test_topological_order() -> None:
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    u = a * b
    v = u + a
    w = v * u
    order = autograd.topological_order(w)
    assert order[-1] is w
    assert len(order) == len(set(order)) == 5
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for p in node.parents:
            assert position[p] < position[node]
    assert autograd.topological_order(w) == order  # deterministic


def test_topological_order_of_a_leaf_and_bad_root() -> None:
    x = Value(1.0)
    assert autograd.topological_order(x) == [x]
    with pytest.raises(TypeError, match="float"):
        autograd.topological_order(1.0)


def test_backpropagate_leaves_grad_alone() -> None:
    a, b = Value(2.0), Value(3.0)
    y = a * b + a
    grads = autograd.backpropagate(autograd.topological_order(y))
    assert (grads[a], grads[b], grads[y]) == (4.0, 2.0, 1.0)
    assert (a.grad, b.grad, y.grad) == (0.0, 0.0, 0.0)


# ---------------------------------------------------------------- deep graphs


DEPTH = 100_000


def deep_chain(x: Value, depth: int) -> Value:
    """depth nodes alternating * 1.0001 and - 0.5: d/dx = 1.0001 ** (depth / 2)."""
    v = x
    for i in range(depth):
        v = v * 1.0001 if i % 2 == 0 else v - 0.5
    return v


def test_deep_chain_backward(default_recursion_limit) -> None:
    x = Value(1.0, label="x")
    y = deep_chain(x, DEPTH)
    y.backward()
    assert x.grad == pytest.approx(1.0001 ** (DEPTH // 2), rel=1e-9)
    order = autograd.topological_order(y)
    assert order[-1] is y and x in order and DEPTH < len(order) <= 2 * DEPTH + 1
    assert autograd.grad(lambda t: deep_chain(t, DEPTH))(1.0) == x.grad
    assert repr(y).startswith("Value(data=")  # nothing in repr walks the graph


def test_deep_chain_higher_order(default_recursion_limit) -> None:
    # a chain of 10,000 tanh: the second derivative needs the graph of the first
    depth = 10_000

    def f(t):
        for _ in range(depth):
            t = (t * 0.5).tanh()
        return t

    x = Value(0.3)
    f(x).backward(create_graph=True)
    g = x.grad
    x.grad = 0.0
    g.backward()
    assert math.isfinite(x.grad)
    assert autograd.grad(autograd.grad(f))(0.3) == pytest.approx(x.grad, rel=1e-12)


def test_deep_chain_is_freed_without_the_cycle_collector(default_recursion_limit) -> None:
    """Nodes hold no reference cycles: dropping the last reference frees the
    whole chain by reference counting (at any depth), with the cyclic collector
    switched off."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        before = len(gc.get_objects())
        x = Value(1.0)
        y = deep_chain(x, DEPTH)
        y.backward()
        alive = len(gc.get_objects())
        assert alive - before > DEPTH  # the chain is tracked: this check can fail
        del x, y
        after = len(gc.get_objects())
        assert after - before < 1000, f"{after - before} objects survive the chain"
        assert gc.collect() < 1000  # nothing left for the collector either
        # nested functional derivatives keep gradients out of .grad: no cycles
        # (backward(create_graph=True) does make cycles through .grad, as in PyTorch)
        second = autograd.grad(autograd.grad(lambda t: deep_chain(t, DEPTH // 10)))(1.0)
        assert second == pytest.approx(0.0, abs=1e-9)  # the chain is affine in x
        assert len(gc.get_objects()) - before < 1000
    finally:
        if enabled:
            gc.enable()


# ---------------------------------------------------------------- no_grad


def test_no_grad_records_nothing() -> None:
    x = Value(2.0)
    with no_grad():
        assert not autograd.is_grad_enabled()
        y = (x * 3).exp() + x
        assert y.parents == () and y.op == ""
        assert y.data == pytest.approx(math.exp(6.0) + 2.0)
    assert autograd.is_grad_enabled()
    assert (x * 3).parents != ()


def test_no_grad_nests_and_restores() -> None:
    with no_grad():
        with no_grad():
            assert (Value(1.0) + 1).parents == ()
        assert (Value(1.0) + 1).parents == ()  # still off after the inner block
        with enable_grad():
            assert autograd.is_grad_enabled()
            assert len((Value(1.0) + 1).parents) == 2
        assert not autograd.is_grad_enabled()
    assert autograd.is_grad_enabled()


def test_no_grad_restores_after_an_exception() -> None:
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError("inside")
    assert autograd.is_grad_enabled()


def test_no_grad_as_a_decorator() -> None:
    @no_grad()
    def evaluate(v: Value) -> Value:
        assert not autograd.is_grad_enabled()
        return v * 2

    y = evaluate(Value(1.0))
    assert y.parents == () and y.data == 2.0
    assert autograd.is_grad_enabled()
    assert evaluate(Value(3.0)).data == 6.0  # reusable


def test_no_grad_parameter_update_records_nothing() -> None:
    # an optimizer-style update written with Value arithmetic: under no_grad the
    # new value is a bare leaf, not a node hanging on to the old graph
    w = Parameter(1.0)
    (w * w).backward()
    with no_grad():
        updated = w - 0.1 * w.grad
    assert updated.data == pytest.approx(0.8)
    assert updated.parents == () and updated.op == ""
    recorded = w - 0.1 * w.grad
    assert recorded.parents != ()  # the same expression outside no_grad records its inputs


def test_no_grad_does_not_leak_into_another_thread() -> None:
    seen = {}

    def worker() -> None:
        seen["enabled"] = autograd.is_grad_enabled()
        seen["parents"] = len((Value(1.0) * 2).parents)

    with no_grad():
        t = threading.Thread(target=worker)
        t.start()
        t.join()
    assert seen == {"enabled": True, "parents": 2}


def test_no_grad_in_another_thread_does_not_affect_this_one() -> None:
    entered, release = threading.Event(), threading.Event()

    def worker() -> None:
        with no_grad():
            entered.set()
            release.wait(timeout=10)

    t = threading.Thread(target=worker)
    t.start()
    try:
        assert entered.wait(timeout=10)
        assert autograd.is_grad_enabled()
        assert len((Value(1.0) * 2).parents) == 2
    finally:
        release.set()
        t.join()


def test_no_grad_is_scoped_to_its_context() -> None:
    with no_grad():
        fresh = contextvars.Context()
        assert fresh.run(autograd.is_grad_enabled)
        assert fresh.run(lambda: len((Value(1.0) * 2).parents)) == 2
        copied = contextvars.copy_context()  # a copy inherits the current mode
        assert not copied.run(autograd.is_grad_enabled)


def test_no_grad_is_per_asyncio_task() -> None:
    async def evaluating(inside: asyncio.Event, release: asyncio.Event) -> bool:
        with no_grad():
            inside.set()
            await release.wait()
            return autograd.is_grad_enabled()

    async def training(inside: asyncio.Event, release: asyncio.Event) -> int:
        await inside.wait()  # the other task is inside its no_grad block now
        parents = len((Value(1.0) * 2).parents)
        release.set()
        return parents

    async def main() -> tuple[bool, int]:
        inside, release = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(evaluating(inside, release), training(inside, release))

    enabled_in_block, parents = asyncio.run(main())
    assert (enabled_in_block, parents) == (False, 2)


# ---------------------------------------------------------------- detect_anomaly


def test_anomaly_error_is_an_arithmetic_error() -> None:
    assert issubclass(AnomalyError, ArithmeticError)


@pytest.mark.parametrize(
    ("make", "op", "values"),
    [
        (lambda: Value(1000.0, label="big").exp(), "exp", ["'big'", "1000.0"]),
        (lambda: Value(-1.0, label="neg").log(), "log", ["'neg'", "-1.0"]),
        (lambda: Value(0.0, label="zero").log(), "log", ["'zero'", "0.0"]),
        (
            lambda: Value(1.0, label="p") / Value(0.0, label="q"),
            "/",
            ["'p'", "1.0", "'q'", "0.0"],
        ),
        (lambda: Value(-8.0, label="m") ** (1 / 3), "**", ["'m'", "-8.0"]),
        (lambda: Value(1e200, label="h") * Value(1e200, label="k"), "*", ["'h'", "'k'", "1e+200"]),
    ],
)
def test_anomaly_in_forward(make, op: str, values: list[str]) -> None:
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        make()
    message = str(info.value)
    assert repr(op)[:-1] in message, message  # the op's name, e.g. 'exp
    for text in values:
        assert text in message, message


def test_anomaly_in_backward() -> None:
    x = Value(0.0, label="x")
    with detect_anomaly():
        y = x.sqrt()  # forward is finite: sqrt(0) = 0
        y.label = "root"
        with pytest.raises(AnomalyError) as info:
            y.backward()  # d sqrt(x)/dx = 1/(2 sqrt x) = inf at 0
    message = str(info.value)
    for text in ("'sqrt'", "'x'", "0.0", "inf"):
        assert text in message, message


def test_anomaly_in_backward_with_a_later_op() -> None:
    # forward fine everywhere, the inf appears only in the gradient
    x = Value(0.0, label="x")
    with detect_anomaly():
        y = (x.sqrt() * 3.0).tanh()
        with pytest.raises(AnomalyError, match="sqrt"):
            y.backward()


def test_no_anomaly_from_nonfinite_inputs_or_outside_the_block() -> None:
    with detect_anomaly():
        y = Value(math.inf, label="i").exp()  # inf in, inf out: not an anomaly
        assert y.data == math.inf
        z = Value(math.nan).sin() + 1.0
        z.backward()
        assert (Value(-1000.0).sigmoid() * Value(1000.0).tanh()).data == 0.0
    assert Value(1000.0).exp().data == math.inf  # outside: plain IEEE
    with detect_anomaly():
        pass
    Value(-1.0).log().backward()


def test_anomaly_mode_combines_with_no_grad() -> None:
    with detect_anomaly(), no_grad():
        assert (Value(2.0) * 3).parents == ()
        with pytest.raises(AnomalyError):
            Value(0.0).log()


def test_anomaly_mode_with_create_graph() -> None:
    x = Value(0.0, label="x")
    with detect_anomaly():
        y = x.sqrt()
        # the inf appears in the gradient's own graph (its "/" node, or the
        # sqrt rule): either way it must not pass silently
        with pytest.raises(AnomalyError):
            y.backward(create_graph=True)


# ---------------------------------------------------------------- the Value object


def test_comparisons_return_bools() -> None:
    a, b = Value(1.0), Value(2.0)
    results = [a < b, a <= b, a > b, a >= b, a < 1.5, a <= 1, a > 0, a >= 1.0, 0.5 < a, 3 > b]
    assert results == [True, True, False, False, True, True, True, True, True, True]
    assert all(type(r) is bool for r in results)
    J = Value(0.05)
    assert not (not J < 0.1)  # the lecture's loop condition


def test_equality_and_hash_are_identity() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a == a and a != b and not (a == b)
    assert a != 1.0  # no comparison with numbers by value
    assert len({a, b, a}) == 2
    d = {a: "a", b: "b"}
    assert d[a] == "a" and d[b] == "b"
    a.data = 5.0  # hash does not depend on the data
    assert a in d


def test_repr_float_and_format() -> None:
    J = Value(33.0, label="J")
    J.grad = 1.0
    assert repr(J) == "Value(data=33.0, grad=1.0, label='J')"
    assert repr(Value(2)).startswith("Value(data=2.0, grad=0.0")
    assert float(J) == 33.0 and type(float(J)) is float
    assert f"{Value(3.14159):.2f}" == "3.14"
    assert math.sqrt(Value(4.0)) == 2.0  # float() makes it usable by math


def test_data_is_stored_as_float() -> None:
    for raw in (3, True, False, 2.5, -0):
        v = Value(raw)
        assert type(v.data) is float and v.data == float(raw)
    assert Value(1.5, label="x").label == "x"
    assert Value(1.5).label == ""


def test_attributes_are_assignable_and_op_is_read_only() -> None:
    v = Value(1.0)
    v.data, v.grad, v.label = 2.0, 3.0, "v"
    assert (v.data, v.grad, v.label) == (2.0, 3.0, "v")
    with pytest.raises(AttributeError):
        v.op = "+"
    with pytest.raises(AttributeError):
        v.something_else = 1  # __slots__: no per-node dict
    assert not hasattr(v, "__dict__")


def test_parents_are_in_operand_order() -> None:
    a, b = Value(1.0), Value(2.0)
    assert (a - b).parents == (a, b)
    assert (b - a).parents == (b, a)
    assert (a / b).parents == (a, b)
    assert (a**b).parents == (a, b)
    assert a.exp().parents == (a,)
    assert a.parents == ()
    assert isinstance((a + b).parents, tuple)


@pytest.mark.parametrize("bad", ["1.0", None, [1.0], (1.0,), 1j, {1.0: 1}, object()])
def test_value_rejects_bad_data_naming_the_type(bad: object) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)


def test_value_rejects_a_bad_label() -> None:
    with pytest.raises(TypeError, match="int"):
        Value(1.0, label=3)


@pytest.mark.parametrize("bad", ["x", None, [1.0], 1j, object()])
def test_ops_reject_bad_operands_naming_the_type(bad: object) -> None:
    v = Value(2.0)
    name = type(bad).__name__
    # for a str or list, * is sequence repetition, and Python's own message
    # ("can't multiply sequence by non-int of type 'Value'") names Value instead
    with pytest.raises(TypeError):
        bad * v
    with pytest.raises(TypeError):
        v * bad
    for op in (
        lambda: v + bad,
        lambda: bad + v,
        lambda: v - bad,
        lambda: bad - v,
        lambda: v / bad,
        lambda: bad / v,
        lambda: v**bad,
        lambda: bad**v,
        lambda: v < bad,
        lambda: v >= bad,
    ):
        with pytest.raises(TypeError, match=name):
            op()


# ---------------------------------------------------------------- IEEE, never an exception


def value_and_grad_of(fn, x: float) -> tuple[float, float]:
    v = Value(x)
    y = fn(v)
    y.backward()
    return y.data, v.grad


def test_ieee_cases_from_the_issue() -> None:
    assert Value(1000.0).exp().data == math.inf
    assert Value(0.0).log().data == -math.inf
    assert math.isnan(Value(-1.0).log().data)
    cube_root = Value(-8.0) ** (1 / 3)
    assert math.isnan(cube_root.data) and isinstance(cube_root.data, float)  # never complex
    assert (Value(0.0) ** -1).data == math.inf
    assert (Value(1.0) / 0).data == math.inf
    assert (Value(-1.0) / 0.0).data == -math.inf
    assert (Value(1.0) / -0.0).data == -math.inf
    assert math.isnan((Value(0.0) / 0).data)
    assert (1 / Value(0.0)).data == math.inf


def test_ints_too_large_for_a_float_become_infinities() -> None:
    # float(10**400) raises OverflowError; the engine gives IEEE's answer instead
    assert Value(10**400).data == math.inf
    assert (Value(2.0) + 10**400).data == math.inf
    assert (-(10**400) * Value(1.0)).data == -math.inf
    assert (Value(2.0) ** (10**400)).data == math.inf
    assert (Value(0.5) ** (10**400)).data == 0.0


@pytest.mark.parametrize("x", [-1000.0, 1000.0])
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softplus"])
def test_saturating_functions_at_1000(name: str, x: float) -> None:
    value, slope = value_and_grad_of(lambda v: getattr(v, name)(), x)
    assert math.isfinite(value) and math.isfinite(slope)
    expected_slope = 1.0 if (name == "softplus" and x > 0) else 0.0
    assert slope == expected_slope
    if name == "sigmoid":
        assert value == (0.0 if x < 0 else 1.0)


UNARY_OPS = [
    Value.exp,
    Value.log,
    Value.sqrt,
    Value.sin,
    Value.cos,
    Value.tanh,
    Value.sigmoid,
    Value.relu,
    Value.leaky_relu,
    Value.softplus,
    abs,
    lambda v: -v,
    lambda v: v**2,
    lambda v: v**-1,
    lambda v: v**0.5,
    lambda v: v**-2.5,
    lambda v: v**0,
    lambda v: 2.0**v,
    lambda v: 0.0**v,
    lambda v: (-2.0) ** v,
    lambda v: 1 / v,
]
BINARY_OPS = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / b,
    lambda a, b: a**b,
    lambda a, b: autograd.dot([a, b], [b, a], a),
]
ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [0.0, -0.0, 1.0, -1.0, 1000.0, -1000.0, 1e308, -1e308, math.inf, -math.inf, math.nan]
)


@given(x=ANY_FLOAT)
def test_unary_ops_never_raise(x: float) -> None:
    for fn in UNARY_OPS:
        value, slope = value_and_grad_of(fn, x)
        assert type(value) is float and type(slope) is float
        value, slope = value_and_grad_of(lambda v, fn=fn: fn(v) * fn(v), x)
        assert type(value) is float and type(slope) is float
        # second order: the rules' own arithmetic on Values must be IEEE-safe too
        v = Value(x)
        fn(v).backward(create_graph=True)
        first = v.grad
        v.grad = 0.0
        first.backward()
        assert type(v.grad) is float


@given(x=ANY_FLOAT, y=ANY_FLOAT)
def test_binary_ops_never_raise(x: float, y: float) -> None:
    for fn in BINARY_OPS:
        a, b = Value(x), Value(y)
        out = fn(a, b)
        out.backward()
        assert type(out.data) is float
        assert type(a.grad) is float and type(b.grad) is float
        # second order too: the rules' own arithmetic must be IEEE-safe on Values
        a2, b2 = Value(x), Value(y)
        fn(a2, b2).backward(create_graph=True)
        assert isinstance(a2.grad, Value) and isinstance(b2.grad, Value)
        first = a2.grad
        a2.grad = b2.grad = 0.0
        first.backward()
        assert type(a2.grad) is float and type(b2.grad) is float
