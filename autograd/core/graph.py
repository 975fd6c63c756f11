"""Reverse-mode differentiation over a graph of nodes (``Value`` is one).

``topological_order`` sorts a graph with an explicit stack (any depth works
at the default recursion limit); ``backpropagate`` applies the chain rule into
a dict (what ``autograd.grad`` uses: no ``.grad`` is touched, so derivatives
nest); ``backward`` is ``Value.backward``: the same pass written into ``.grad``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from autograd.core.modes import ANOMALY, NO_GRAD, TRACE, _Switch, check_backward, get_mode
from autograd.core.node import MANY as _MANY
from autograd.core.node import Node

N = TypeVar("N", bound=Node)  # the node type in, the same out (Value, for users)

_traversal = threading.Lock()  # one traversal at a time: they write marks on nodes


def topological_order(root: N, stop: Iterable[N] = ()) -> list[N]:
    """Every node ``root`` depends on, inputs first and ``root`` last.

    Iterative depth-first search: a node whose parents are all done is
    emitted at once; otherwise it waits on the stack while its parents are
    visited and is emitted when it comes back to the top. A binary node's
    first input is visited first; an n-ary node (``dot``, ``sum``) lists its
    leaf inputs at once and visits the others from the last one. Nodes in
    ``stop`` are treated as leaves: their parents are not visited. The order
    is deterministic (``backward`` sums gradients in it, and the tools that
    replay a backward pass follow it).

    Args:
        root: the node whose graph to sort.
        stop: nodes to treat as leaves (their inputs are not visited); empty by default.

    Returns:
        The nodes, each after all of its inputs, ``root`` last.

    Raises:
        TypeError: ``root`` is not a Value.

    Examples:
        >>> from autograd import Value, topological_order
        >>> a = Value(1.0, label='a')
        >>> b = a + a; b.label = 'b'
        >>> c = b * 2; c.label = 'c'
        >>> [n.label for n in topological_order(c)]
        ['a', 'b', '', 'c']
    """
    if not isinstance(root, Node):
        raise TypeError(f"expected a Value, not {type(root).__name__}")
    return _topological_order(root, set(stop), None)


def _topological_order(
    root: Node, stopped: set[Any], zeroed: list[tuple[Any, Any]] | None
) -> list[Any]:
    """``topological_order``. With a list as ``zeroed`` it is also the first
    pass of ``backward``, fused in (one loop over the graph fewer): every
    node's ``.grad`` is set to 0.0, the nonzero gradients of the leaves first
    kept in ``zeroed`` as (leaf, gradient)."""
    order: list[Node] = []
    emit = order.append
    # The stack holds expanded nodes (waiting for their parents) and parents
    # waiting for their first visit, in the order they are to come back.
    stack: list[Node] = []
    push, pop = stack.append, stack.pop
    # Each node's _mark slot says how far this traversal got with it: tokens
    # made for this call, so marks left by earlier traversals mean nothing. A
    # slot is read and written faster than a dict entry, and this loop runs
    # over every node of every training step.
    expanded, finished = object(), object()
    v = root
    with _traversal:
        while True:
            # v's first visit. The parent to visit next is not pushed: the loop
            # goes on with it straight away (a push and a pop fewer per node
            # expanded, which is most nodes of a graph of binary ops).
            if zeroed is not None:
                if v._rule is None and v.grad:
                    zeroed.append((v, v.grad))
                v.grad = 0.0
            b = v._b
            if stopped and v in stopped:  # treated as a leaf
                v._mark = finished
                emit(v)
            elif b is None:  # unary, or a leaf (a is None)
                a = v._a
                if a is None or a._mark is finished:
                    v._mark = finished
                    emit(v)
                else:
                    v._mark = expanded
                    push(v)
                    v = a
                    continue
            elif b is _MANY:
                v._mark = expanded
                push(v)
                for p in v._a:  # the last input is visited first
                    if p._mark is not finished:
                        if p._rule is None:  # a leaf: emitted at once (wide dot nodes)
                            p._mark = finished
                            emit(p)
                            if zeroed is not None:
                                if p.grad:
                                    zeroed.append((p, p.grad))
                                p.grad = 0.0
                        else:
                            push(p)
            else:
                a = v._a
                if a._mark is not finished:  # a now, then b (waiting on the stack)
                    v._mark = expanded
                    push(v)
                    if b._mark is not finished:
                        push(b)
                    v = a
                    continue
                if b._mark is not finished:
                    v._mark = expanded
                    push(v)
                    v = b
                    continue
                v._mark = finished
                emit(v)
            # v is done: go back down the stack to the next node with work left
            while stack:
                v = pop()
                mark = v._mark
                if mark is expanded:  # back on top: all its parents are finished
                    v._mark = finished
                    emit(v)
                elif mark is not finished:  # a parent waiting for its first visit
                    break
                # else finished meanwhile, through another path: nothing to do
            else:
                return order


def backpropagate(
    order: list[N], gradient: Any = 1.0, *, create_graph: bool = False
) -> dict[N, Any]:
    """Apply the chain rule over ``order`` (from ``topological_order``), seeding
    its last node with ``gradient``; return every node's gradient in a dict.

    With ``create_graph=True`` the rules run on Values, so the gradients have a
    graph of their own. No ``.grad`` attribute is touched, which is what lets
    ``autograd.grad`` nest without perturbation confusion.

    Args:
        order: the nodes, as ``topological_order`` gives them (the output last).
        gradient: the gradient of the last node, the seed of the pass.
        create_graph: run the rules on Values, so that the gradients can be differentiated.

    Returns:
        A dict from node to its gradient (nodes the output does not reach are left out).

    Raises:
        RuntimeError: called inside a function that ``autograd.compile`` is tracing.
        AnomalyError: inside ``detect_anomaly``, a rule gave nan or inf from finite numbers.

    Examples:
        >>> from autograd import Value, backpropagate, topological_order
        >>> a = Value(2.0, label='a')
        >>> y = a * a
        >>> grads = backpropagate(topological_order(y))
        >>> grads[a], a.grad
        (4.0, 0.0)
    """
    mode = get_mode()
    if mode & TRACE:
        refuse_in_trace("autograd.grad and backpropagate")
    if create_graph and mode & (NO_GRAD | ANOMALY):
        # create_graph records even inside no_grad, as in PyTorch; and under
        # detect_anomaly the nodes a rule builds are not checked one by one:
        # the rule's result is, as the gradient of the op the rule belongs to
        with _Switch(off=NO_GRAD | ANOMALY):
            return _chain_rule(order, gradient, True, mode & ANOMALY)
    return _chain_rule(order, gradient, create_graph, mode & ANOMALY)


def _chain_rule(
    order: Sequence[Node], gradient: Any, create_graph: bool, anomaly: int
) -> dict[Any, Any]:
    """The loop of ``backpropagate``, with the anomaly setting read before it."""
    if not create_graph and isinstance(gradient, Node):
        gradient = gradient.data
    grads: dict[Node, Any] = {order[-1]: gradient}
    ps: Any  # a node's inputs and their gradients: tuples, or the n-ary lists
    gs: Any
    get = grads.get
    for v in reversed(order):
        rule = v._rule
        g = get(v)
        if rule is None or g is None:
            continue
        a, b = v._a, v._b
        if create_graph:  # rules on Values
            if b is None:
                ps, gs = (a,), (rule(g, v, a),)
            elif b is _MANY:
                ps, gs = a, rule(g, v, *a)
            else:
                ps, gs = (a, b), rule(g, v, a, b)
        elif b is None:
            ps, gs = (a,), (rule(g, v.data, a.data),)
        elif b is _MANY:
            ps, gs = a, rule(g, v.data, *[p.data for p in a])
        else:
            ps, gs = (a, b), rule(g, v.data, a.data, b.data)
        if anomaly:
            check_backward(v, g, ps, gs)
        for p, gp in zip(ps, gs):
            old = get(p)
            grads[p] = gp if old is None else old + gp
    return grads


def backward(root: Node, gradient: Any = 1.0, *, create_graph: bool = False) -> None:
    """``root.backward(gradient, create_graph=...)`` once ``Value.backward`` has checked
    its arguments (``gradient`` is a float, or a Value with ``create_graph``)."""
    if create_graph and get_mode() & NO_GRAD:  # create_graph records, as in PyTorch
        with _Switch(off=NO_GRAD):
            return backward(root, gradient, create_graph=True)
    if create_graph or get_mode() & ANOMALY:
        order = topological_order(root)
        grads = backpropagate(order, gradient, create_graph=create_graph)
        for v in order:
            g = grads.get(v, 0.0)
            v.grad = v.grad + g if v._rule is None else g  # leaves accumulate
        return
    # The float-only fast path of backpropagate(), accumulating straight into
    # .grad rather than into a dict (an attribute is faster to update). Every
    # gradient starts from 0.0 (set by the traversal) and the leaves' earlier
    # gradients are added back at the end, so a second call adds exactly the
    # same total: backward twice is exactly twice.
    earlier: list[tuple[Node, Any]] = []
    order = _topological_order(root, set(), earlier)
    root.grad = gradient
    for v in reversed(order):
        rule = v._rule
        if rule is None:
            continue
        a, b = v._a, v._b
        if b is None:
            a.grad += rule(v.grad, v.data, a.data)
        elif b is _MANY:
            rule.accumulate(v.grad, a)  # n-ary rules add into .grad themselves
        else:
            ga, gb = rule(v.grad, v.data, a.data, b.data)
            a.grad += ga
            b.grad += gb
    for v, g in earlier:
        v.grad = g + v.grad


def refuse_in_trace(what: str) -> None:
    """Raise: ``what`` (a backward pass) was called inside a function being compiled."""
    raise RuntimeError(
        f"{what} cannot run inside a function being compiled: autograd.compile runs "
        "backward itself after the function returns (call the function uncompiled instead)"
    )
