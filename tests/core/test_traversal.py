"""topological_order: validity on awkward shapes, stop nodes, and traversals in threads.

The traversal keeps its progress in a scratch slot on each node; these tests
check that marks left by earlier or concurrent traversals never change a result.
"""

import random
import threading

import autograd
from autograd import Value, topological_order


def assert_valid(order: list[Value], root: Value, stop: tuple[Value, ...] = ()) -> None:
    position = {v: i for i, v in enumerate(order)}
    assert len(position) == len(order), "a node is listed twice"
    assert order[-1] is root
    for v in order:
        for p in () if v in stop else v.parents:
            assert position[p] < position[v], "a parent comes after its child"


def random_graph(seed: int, size: int = 300) -> Value:
    """A DAG with heavy reuse: every node reads two or more earlier nodes."""
    rng = random.Random(seed)
    nodes = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(5)]
    for _ in range(size):
        kind = rng.random()
        a, b = rng.choice(nodes), rng.choice(nodes)
        if kind < 0.4:
            nodes.append(a * b)
        elif kind < 0.7:
            nodes.append(a + b)
        elif kind < 0.85:
            nodes.append(a.tanh())
        else:
            nodes.append(autograd.dot(rng.sample(nodes, 3), rng.sample(nodes, 3), a))
    return autograd.sum(nodes[-20:])


def test_order_is_valid_and_complete_on_random_graphs() -> None:
    for seed in range(20):
        root = random_graph(seed)
        order = topological_order(root)
        assert_valid(order, root)
        reachable, stack = {root}, [root]
        while stack:
            for p in stack.pop().parents:
                if p not in reachable:
                    reachable.add(p)
                    stack.append(p)
        assert set(order) == reachable


def reference_order(root: Value, stop: tuple[Value, ...] = ()) -> list[Value]:
    """The order topological_order promises, written the plain way: depth-first,
    a node emitted after its inputs, inputs visited in operand order; an n-ary
    node (dot, sum) lists its leaf inputs at once and then visits the others
    from the last to the first. (An explicit stack of iterators: no recursion.)"""
    order: list[Value] = []
    done: set[Value] = set()

    def inputs(v: Value) -> list[Value]:
        if v in stop:
            return []
        ps = list(v.parents)
        if len(ps) <= 2 and v.op not in ("dot", "sum"):
            return ps
        for p in ps:  # n-ary: leaves at once
            if not p.parents and p not in done:
                done.add(p)
                order.append(p)
        return [p for p in reversed(ps) if p.parents]

    stack = [(root, iter(inputs(root)))]
    while stack:
        v, rest = stack[-1]
        for p in rest:
            if p not in done:
                stack.append((p, iter(inputs(p))))
                break
        else:
            stack.pop()
            if v not in done:
                done.add(v)
                order.append(v)
    return order


def test_the_order_is_the_documented_depth_first_order() -> None:
    # backward, compile, the player and backward_steps all follow this order
    # (it fixes the order in which gradients are summed), so it is pinned exactly.
    for seed in range(30):
        root = random_graph(seed, size=random.Random(seed).randint(1, 300))
        assert topological_order(root) == reference_order(root)
        nodes = topological_order(root)
        stop = tuple(random.Random(seed).sample(nodes, min(3, len(nodes))))
        assert topological_order(root, stop) == reference_order(root, stop)
    x = Value(1.0)
    assert topological_order(x) == [x]


def test_a_parent_reached_through_its_own_child_comes_first() -> None:
    # u = q + p where q depends on p: p must come before q, q before u
    x = Value(1.0)
    p = x.exp()
    q = p * 2.0
    u = q + p
    assert_valid(topological_order(u), u)


def test_repeated_traversals_give_the_same_order() -> None:
    root = random_graph(7)
    first = topological_order(root)
    topological_order(root.parents[0])  # a traversal of a part of the graph in between
    assert topological_order(root) == first


def test_stop_nodes_are_listed_but_not_expanded() -> None:
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    u = a * b
    y = u + a
    order = topological_order(y, stop=[u])
    assert u in order and b not in order
    assert_valid(order, y, stop=(u,))
    assert topological_order(y) == [a, b, u, y]  # marks of the stopped traversal do not leak


def test_concurrent_traversals_of_a_shared_graph() -> None:
    # Several threads sort graphs that share most nodes; each result must be a
    # full, valid order, identical to the one computed alone.
    shared = random_graph(3, size=2000)
    roots = [shared * float(k) for k in range(1, 5)]
    expected = [topological_order(r) for r in roots]
    results: dict[int, list[list[Value]]] = {k: [] for k in range(4)}

    def work(k: int) -> None:
        for _ in range(10):
            results[k].append(topological_order(roots[k]))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(4):
        assert len(results[k]) == 10
        for order in results[k]:
            assert order == expected[k]
