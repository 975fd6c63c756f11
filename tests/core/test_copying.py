"""copy, deepcopy and pickle of graph nodes and models (issue 11, item 3).

A copy of a graph must behave as the original: the same values, ops,
gradients, and backward() giving the same numbers; at any depth (100,000 at the
default recursion limit); with shared nodes staying shared, and a model's
parameters staying the same objects as the model's when a loss graph and the
model are pickled together.
"""

from __future__ import annotations

import copy
import math
import pickle
import threading

import pytest
from test_rules import BINARY, UNARY, same

import autograd
import nn
from autograd import Parameter, Value, no_grad
from autograd.core.value import _MANY

PROTOCOLS = range(pickle.HIGHEST_PROTOCOL + 1)
DEPTH = 100_000


def pickled(obj, protocol: int = pickle.DEFAULT_PROTOCOL):
    return pickle.loads(pickle.dumps(obj, protocol))


def deep_copied(obj, protocol: int = 0):
    return copy.deepcopy(obj)


COPIERS = {"pickle": pickled, "deepcopy": deep_copied}


def leaves_of(root: Value) -> list[Value]:
    return [v for v in autograd.topological_order(root) if not v.parents]


def same_graph(a: Value, b: Value) -> None:
    """The two graphs have the same shape, ops, labels, values and classes, and
    share no node."""
    oa, ob = autograd.topological_order(a), autograd.topological_order(b)
    assert len(oa) == len(ob)
    assert not {id(v) for v in oa} & {id(v) for v in ob}
    index_a = {v: i for i, v in enumerate(oa)}
    index_b = {v: i for i, v in enumerate(ob)}
    for u, v in zip(oa, ob):
        assert type(u) is type(v)
        assert (u.op, u.label) == (v.op, v.label)
        assert u.data == v.data or (math.isnan(u.data) and math.isnan(v.data))
        assert [index_a[p] for p in u.parents] == [index_b[p] for p in v.parents]


# ---------------------------------------------------------------- every kind of node


def every_op_graph() -> tuple[Value, list[Value]]:
    x, y = Value(0.7, label="x"), Parameter(1.3, label="y")
    terms = [f(x) for f in UNARY.values()] + [f(x, y) for f in BINARY.values()]
    terms += [x.leaky_relu(0.2), autograd.dot([x, y], [y, x], x), autograd.sum([x, y, x])]
    total = autograd.sum(terms)
    total.label = "total"
    return total, [x, y]


@pytest.mark.parametrize("how", COPIERS)
def test_every_op_copies_and_backpropagates_the_same(how: str) -> None:
    root, (x, y) = every_op_graph()
    twin = COPIERS[how](root)
    # no traversal's scratch marks come along
    assert twin._mark is None and all(p._mark is None for p in twin.parents)
    same_graph(root, twin)
    x2, y2 = (v for v in leaves_of(twin) if v.label in ("x", "y"))
    root.backward()
    twin.backward()
    assert same(x2.grad, x.grad) and same(y2.grad, y.grad)  # nan where an op is out of domain
    assert type(y2) is Parameter


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_every_protocol(protocol: int) -> None:
    root, (x, y) = every_op_graph()
    root.backward()
    twin = pickled(root, protocol)
    same_graph(root, twin)
    grads = [v.grad for v in autograd.topological_order(root)]
    assert all(map(same, [v.grad for v in autograd.topological_order(twin)], grads))


@pytest.mark.parametrize("how", COPIERS)
def test_n_ary_nodes_keep_the_engines_marker(how: str) -> None:
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    for node in (autograd.dot([a, b], [b, c], a), autograd.sum([a, b, c])):
        twin = COPIERS[how](node)
        assert twin._b is _MANY  # the module's own marker, not a copy of it
        assert [p.data for p in twin.parents] == [p.data for p in node.parents]
        twin.backward()
        node.backward()
        assert [p.grad for p in twin.parents] == [p.grad for p in node.parents]
    assert pickled(_MANY) is _MANY and copy.deepcopy(_MANY) is _MANY


@pytest.mark.parametrize("how", COPIERS)
def test_rules_with_a_constant_come_back_as_the_shared_rule(how: str) -> None:
    x = Value(2.0)
    for node in (x**3, 3**x, x.leaky_relu(0.25)):
        twin = COPIERS[how](node)
        assert twin._rule is node._rule
        twin.backward()
        node.backward()
        assert twin.parents[0].grad == node.parents[0].grad


@pytest.mark.parametrize("how", COPIERS)
def test_classes_labels_and_gradients_survive(how: str) -> None:
    w = Parameter(0.5, label="w")
    with no_grad():
        frozen = w * 4  # computed under no_grad: backward() from it is refused
    y = (w * frozen).tanh()
    y.label = "y"
    y.backward()
    twin = COPIERS[how](y)
    w2, frozen2 = twin.parents[0].parents
    assert type(w2) is Parameter and (w2.label, w2.grad) == ("w", w.grad)
    assert frozen2.data == 2.0
    with pytest.raises(RuntimeError, match="no_grad"):
        frozen2.backward()
    assert (twin.label, twin.grad) == ("y", 1.0)


def test_shallow_copy_shares_the_inputs() -> None:
    a, b = Value(2.0), Value(3.0)
    y = a * b
    y.label = "y"
    twin = copy.copy(y)
    assert twin is not y
    assert twin.parents[0] is a and twin.parents[1] is b
    assert (twin.data, twin.label, twin.op) == (6.0, "y", "*")
    twin.backward()
    assert a.grad == 3.0


# ---------------------------------------------------------------- depth


def deep_chain(depth: int) -> tuple[Value, Value]:
    x = Value(1.0, label="x")
    v = x
    for i in range(depth):
        v = v * 1.00001 if i % 2 == 0 else v - 0.5
    return v, x


@pytest.mark.parametrize("how", COPIERS)
def test_a_graph_100000_deep(how: str, default_recursion_limit) -> None:
    y, x = deep_chain(DEPTH)
    twin = COPIERS[how](y)
    assert twin.data == y.data
    twin.backward()
    y.backward()
    x2 = leaves_of(twin)[0]
    assert x2.label == "x" and x2.grad == x.grad  # 1.00001 ** 50,000
    assert x2 is not x


def test_a_deep_graph_inside_a_bigger_structure(default_recursion_limit) -> None:
    y, x = deep_chain(DEPTH)
    box = {"loss": y, "input": x, "pair": [x, y]}
    twin = pickled(box)
    assert twin["pair"][0] is twin["input"] and twin["pair"][1] is twin["loss"]
    assert leaves_of(twin["loss"])[0] is twin["input"]


def test_pickling_one_graph_twice_and_after_a_failure(default_recursion_limit) -> None:
    y, x = deep_chain(DEPTH)
    middle = autograd.topological_order(y)[DEPTH // 2]
    middle.label = threading.Lock()  # type: ignore[assignment]  # cannot be pickled
    with pytest.raises(TypeError):
        pickle.dumps(y)
    middle.label = "middle"
    # nothing is left over from the failed attempt: the same deep graph pickles
    for _ in range(2):
        twin = pickled(y)
        assert twin.data == y.data
    assert "middle" in {v.label for v in autograd.topological_order(twin)}


# ---------------------------------------------------------------- sharing and identity


@pytest.mark.parametrize("how", COPIERS)
def test_shared_nodes_stay_shared(how: str) -> None:
    x = Value(2.0, label="x")
    shared = x * x
    first, second = shared + 1.0, shared * 3.0
    f2, s2 = COPIERS[how]([first, second])
    assert f2.parents[0] is s2.parents[0]  # one copy of the shared node
    assert leaves_of(f2)[0] is leaves_of(s2)[0]
    (f2 + s2).backward()
    (first + second).backward()
    assert leaves_of(f2)[0].grad == x.grad == 16.0  # d(x² + 1 + 3x²)/dx = 8x


@pytest.mark.parametrize("how", COPIERS)
def test_a_loss_and_its_model_pickled_together_share_parameters(how: str) -> None:
    model = nn.MLP(2, [3, 1], rng=0)
    loss = nn.mse_loss(model([0.5, -1.0]), [0.25])
    loss2, model2 = COPIERS[how]((loss, model))
    params2 = model2.parameters()
    assert {id(p) for p in params2} <= {id(v) for v in autograd.topological_order(loss2)}
    assert not {id(p) for p in params2} & {id(p) for p in model.parameters()}
    loss.backward()
    loss2.backward()
    assert [p.grad for p in params2] == [p.grad for p in model.parameters()]
    # and the other order: model first, then the loss
    model3, loss3 = COPIERS[how]((model, loss))
    assert {id(p) for p in model3.parameters()} <= {
        id(v) for v in autograd.topological_order(loss3)
    }


@pytest.mark.parametrize("how", COPIERS)
def test_model_copies_are_independent(how: str) -> None:
    model = nn.MLP(2, [4, 4, 1], activation="tanh", rng=3)
    twin = COPIERS[how](model)
    assert [n for n, _ in twin.named_parameters()] == [n for n, _ in model.named_parameters()]
    assert twin([0.3, 0.9])[0].data == model([0.3, 0.9])[0].data
    before = model.state_dict()
    opt = nn.SGD(twin.parameters(), lr=0.5)
    loss = nn.mse_loss(twin([0.3, 0.9]), [1.0])
    loss.backward()
    opt.step()
    assert model.state_dict() == before  # training the copy leaves the original alone
    assert twin.state_dict() != before
    assert repr(twin) == repr(model)


# ---------------------------------------------------------------- gradients that are graphs


@pytest.mark.parametrize("how", COPIERS)
def test_create_graph_gradients_copy_with_their_graph(how: str) -> None:
    x = Value(1.5, label="x")
    y = x**3
    y.backward(create_graph=True)  # x.grad = 3x², a graph that refers back to x
    twin = COPIERS[how](y)
    x2 = leaves_of(twin)[0]
    g2 = x2.grad
    assert isinstance(g2, Value) and g2.data == x.grad.data
    assert any(v is x2 for v in autograd.topological_order(g2))  # the same x, not a copy
    x2.grad = 0.0
    g2.backward()
    assert x2.grad == 9.0  # d(3x²)/dx = 6x


@pytest.mark.parametrize("how", COPIERS)
def test_a_deep_graph_whose_nodes_hold_graph_gradients(how: str, default_recursion_limit) -> None:
    def f(t: Value) -> Value:
        for _ in range(5_000):  # 10,000 nodes, and as many gradient graphs
            t = (t * 0.5).tanh()
        return t

    x = Value(0.3, label="x")
    y = f(x)
    y.backward(create_graph=True)  # every interior node's grad is a graph too
    twin = COPIERS[how](y)
    x2 = leaves_of(twin)[0]
    assert isinstance(x2.grad, Value) and x2.grad.data == x.grad.data


# ---------------------------------------------------------------- threads


def test_pickling_in_several_threads_at_once() -> None:
    results: list[object] = []

    def work(seed: int) -> None:
        try:
            y, _ = deep_chain(5_000 + seed)
            for _ in range(3):
                twin = pickled(y)
                assert twin.data == y.data
            results.append(True)
        except BaseException as e:  # reported below
            results.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 4
