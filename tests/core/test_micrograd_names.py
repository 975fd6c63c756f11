"""micrograd's names, as the lecture videos' and notebooks' code reads them:
``_prev``, ``_op`` and ``_backward()``, with only ``from autograd import Value``.
The helpers below are written in the shape of micrograd's trace_graph notebook
and the lecture's manual backprop cells."""

from __future__ import annotations

import math

import pytest

from autograd import Value


def build_topo(v, topo=None, visited=None):  # type: ignore[no-untyped-def]
    # the lecture's recursive topological sort over _prev
    if topo is None:
        topo, visited = [], set()
    if v not in visited:
        visited.add(v)
        for child in v._prev:
            build_topo(child, topo, visited)
        topo.append(v)
    return topo


def trace(root):  # type: ignore[no-untyped-def]
    # the notebook's trace: every node and edge, read through _prev
    nodes, edges = set(), set()

    def build(v):  # type: ignore[no-untyped-def]
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)

    build(root)
    return nodes, edges


def draw_dot_lines(root):  # type: ignore[no-untyped-def]
    # draw_dot without graphviz: the same reads (data, grad, label, _op, _prev, id)
    nodes, edges = trace(root)
    lines = []
    for n in nodes:
        uid = str(id(n))
        lines.append(f"{uid} [label={n.label} | data {n.data:.4f} | grad {n.grad:.4f}]")
        if n._op:
            lines.append(f"{uid}{n._op} [label={n._op}]")
            lines.append(f"{uid}{n._op} -> {uid}")
    for n1, n2 in edges:
        lines.append(f"{id(n1)} -> {id(n2)}{n2._op}")
    return lines


def lecture_neuron():  # type: ignore[no-untyped-def]
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, [x1, x2, w1, w2, b]


def test_prev_is_the_set_of_children_and_op_the_ops_string() -> None:
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    assert c._prev == {a, b} and isinstance(c._prev, set)
    assert c._op == "*" and (c + a)._op == "+" and c.tanh()._op == "tanh"
    assert a._prev == set() and a._op == ""


def test_draw_dot_and_build_topo_from_the_videos_run() -> None:
    o, leaves = lecture_neuron()
    o.backward()
    topo = build_topo(o)
    assert topo[-1] is o and set(topo) >= set(leaves) and len(topo) == 10
    lines = draw_dot_lines(o)
    assert f"{id(o)}tanh [label=tanh]" in lines
    assert sum("->" in line for line in lines) == 9 + 5  # 9 edges, 5 op boxes (2 *, 2 +, tanh)
    assert any("label=x1 | data 2.0000 | grad -1.5000" in line for line in lines)


def test_manual_backward_calls_in_reverse_topological_order_equal_backward() -> None:
    o, leaves = lecture_neuron()
    o.grad = 1.0
    for node in reversed(build_topo(o)):
        node._backward()
    manual = [v.grad for v in leaves]
    o2, leaves2 = lecture_neuron()
    o2.backward()
    assert manual == [v.grad for v in leaves2]
    assert manual[0] == pytest.approx(-1.5) and manual[3] == 0.0  # the lecture's numbers


def test_the_lectures_one_node_at_a_time_cells() -> None:
    o, (x1, x2, w1, w2, b) = lecture_neuron()
    n = o._prev.pop()
    o.grad = 1.0
    o._backward()
    assert n.grad == 1.0 - o.data**2  # do/dn = 1 - tanh(n)**2
    n._backward()  # + passes the gradient through to both
    (x1w1x2w2,) = [p for p in n._prev if p is not b]
    assert x1w1x2w2.grad == n.grad and b.grad == n.grad


def test_backward_of_a_leaf_does_nothing_and_gradients_accumulate() -> None:
    a = Value(3.0)
    a.grad = 5.0
    a._backward()
    assert a.grad == 5.0
    b = a + a  # a reused: its gradient accumulates, as in micrograd
    b.grad = 1.0
    a.grad = 0.0
    b._backward()
    assert a.grad == 2.0


def test_n_ary_and_higher_order_nodes() -> None:
    from autograd import dot

    w, x = [Value(2.0), Value(3.0)], [Value(5.0), Value(7.0)]
    y = dot(w, x)
    y.grad = 2.0
    y._backward()
    assert [v.grad for v in w] == [10.0, 14.0] and [v.grad for v in x] == [4.0, 6.0]
    assert y._prev == {*w, *x}
    t = Value(0.5)
    s = t.exp()
    s.grad = Value(1.0)  # a gradient that is itself a Value, as after create_graph=True
    s._backward()
    assert isinstance(t.grad, Value) and t.grad.data == math.exp(0.5)
