"""The backward pass as data: the local derivatives and what each step hands to each input.

``backward()`` computes every gradient exactly but shows no arithmetic. This module replays it,
reading the engine's own derivative rules (never a second copy of the math):

- ``local_grads(node)``: ∂node/∂input for each input, at the current data;
- ``backward_steps(root)``: the backward pass as a list of ``BackwardStep`` objects, one per
  op node in the order ``backward()`` processes them, each listing what it adds to each input's
  gradient (a ``Contribution``).

``explain`` (in ``text``) writes the same out in the lecture's notation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from autograd.core import ieee as _ieee
from autograd.core.graph import topological_order
from autograd.core.node import MANY as _MANY
from autograd.core.value import Value

__all__ = ["BackwardStep", "Contribution", "backward_steps", "local_grads"]


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one backward step adds to the gradient of one input of its node.

    ``local`` is ∂node/∂parent at the current data; ``product`` is the amount added to the
    parent's gradient: the node's gradient times ``local``, exactly as the rule computed it.

    Attributes:
        parent: the input whose gradient receives the amount.
        local: ∂node/∂parent at the current data.
        product: the amount added to ``parent``'s gradient.

    Examples:
        >>> from autograd import Value, backward_steps
        >>> x = Value(3.0, label='x')
        >>> c = backward_steps(x * 2.0)[0].contributions[0]
        >>> c.parent.label, c.local, c.product
        ('x', 2.0, 2.0)
    """

    parent: Value
    local: float
    product: float


@dataclass(frozen=True, slots=True)
class BackwardStep:
    """One node processed by ``backward()``: its complete gradient ``grad`` and what it hands
    to its inputs, in the order ``backward()`` adds it.

    Attributes:
        node: the op node processed.
        grad: its complete gradient when it is processed.
        contributions: what it adds to each input, in ``backward()``'s order.

    Examples:
        >>> from autograd import Value, backward_steps
        >>> x = Value(3.0, label='x')
        >>> step = backward_steps(x * x)[0]
        >>> step.node.op, step.grad
        ('*', 1.0)
        >>> len(step.contributions)
        2
    """

    node: Value
    grad: float
    contributions: tuple[Contribution, ...]


# ---------------------------------------------------------------- the numbers


def _check_value(x: object, what: str) -> Value:
    if not isinstance(x, Value):
        raise TypeError(f"{what} must be a Value, not {type(x).__name__}")
    return x


def local_grads(node: Value) -> tuple[float, ...]:
    """∂node/∂input for each entry of ``node.parents``, in the same order, at the current data.

    Computed by the node's own derivative rule with an output gradient of 1 (so IEEE results,
    never an exception); ``()`` for a leaf. For a ``dot`` node: one per weight, input and bias.

    Args:
        node: the Value whose local derivatives to compute.

    Returns:
        One float per entry of ``node.parents``; ``()`` for a leaf.

    Raises:
        TypeError: ``node`` is not a Value.

    Examples:
        >>> from autograd import Value
        >>> b, c = Value(3.0), Value(2.0)
        >>> local_grads(b * c)  # ∂(b·c)/∂b = c, ∂(b·c)/∂c = b
        (2.0, 3.0)
    """
    _check_value(node, "node")
    return _local_grads(node)


def _local_grads(node: Value) -> tuple[float, ...]:
    """``local_grads``, for a node known to be a Value."""
    rule: Any = node._rule
    if rule is None:
        return ()
    a: Any = node._a
    b: Any = node._b
    if b is None:  # unary
        return (rule(1.0, node.data, a.data),)
    if b is _MANY:  # n-ary: the rule returns one gradient per input
        return tuple(rule(1.0, node.data, *[p.data for p in a]))
    return tuple(rule(1.0, node.data, a.data, b.data))


class _Probe:
    """Stands for one input of an n-ary node while the node's rule ``accumulate`` runs, and
    records each amount that ``accumulate`` adds to its ``.grad``, in order. That is how
    ``backward_steps`` learns what ``backward()`` adds, and in which order, for any n-ary rule
    (``dot`` adds weight, input, weight, input, ..., then the bias) without touching a
    real gradient."""

    __slots__ = ("data", "_index", "_log")

    def __init__(self, data: float, index: int, log: list[tuple[int, Any]]) -> None:
        self.data = data
        self._index = index
        self._log = log

    @property
    def grad(self) -> _Probe:
        return self

    @grad.setter
    def grad(self, value: object) -> None:
        if value is not self:  # an accumulate that assigns rather than adds: not the engine's
            raise RuntimeError("an n-ary rule's accumulate must add to .grad, not assign it")

    def __iadd__(self, amount: Any) -> _Probe:
        self._log.append((self._index, amount))
        return self

    __add__ = __iadd__  # ``x.grad = x.grad + amount`` records the same


def _seed(gradient: object) -> float:
    """The root's gradient as ``backward()`` takes it."""
    if isinstance(gradient, Value):
        return gradient.data
    if isinstance(gradient, (int, float)):
        return _ieee.to_float(gradient)
    raise TypeError(f"backward gradient must be a number or a Value, not {type(gradient).__name__}")


def _contributions(
    v: Value, g: float, local: tuple[float, ...]
) -> tuple[list[Contribution], list[int]]:
    """What processing ``v`` (gradient ``g``) adds to each input, in ``backward()``'s order,
    and the index in ``v.parents`` of each (one value may be several inputs of one node)."""
    # the input slots as backward() reads them (see Value.__slots__)
    rule: Any = v._rule
    a: Any = v._a
    b: Any = v._b
    out = v.data
    if b is None:
        return [Contribution(a, local[0], rule(g, out, a.data))], [0]
    if b is not _MANY:
        ga, gb = rule(g, out, a.data, b.data)
        return [Contribution(a, local[0], ga), Contribution(b, local[1], gb)], [0, 1]
    data = [p.data for p in a]
    accumulate = getattr(rule, "accumulate", None)
    if accumulate is None:  # backward() would add the rule's results in input order
        products = rule(g, out, *data)
        return [Contribution(a[i], local[i], products[i]) for i in range(len(a))], list(
            range(len(a))
        )
    # backward() lets the rule add into .grad itself: replay exactly that on probes
    log: list[tuple[int, Any]] = []
    accumulate(g, tuple(_Probe(x, i, log) for i, x in enumerate(data)))
    return [Contribution(a[i], local[i], amount) for i, amount in log], [i for i, _ in log]


def _walk(
    order: Sequence[Value], seed: float, local: Sequence[tuple[float, ...]] | None = None
) -> list[tuple[BackwardStep, list[int]]]:
    """``backward_steps`` over a topological order, each step with the input index of each
    of its contributions; ``local`` holds each node's ``local_grads`` when they are known."""
    grads: dict[Value, float] = {order[-1]: seed}
    steps: list[tuple[BackwardStep, list[int]]] = []
    for k in reversed(range(len(order))):
        v = order[k]
        if v._rule is None:
            continue
        g = grads[v]  # complete: every node that uses v came before it
        contributions, positions = _contributions(
            v, g, _local_grads(v) if local is None else local[k]
        )
        for c in contributions:
            grads[c.parent] = grads.get(c.parent, 0.0) + c.product
        steps.append((BackwardStep(v, g, tuple(contributions)), positions))
    return steps


def backward_steps(root: Value, gradient: Any = 1.0) -> list[BackwardStep]:
    """The backward pass of ``root`` as data, without touching any ``.grad``.

    One step per op node, in the order ``backward()`` processes them (the order of
    ``topological_order(root)``, reversed); each lists its contributions in the order
    ``backward()`` adds them. Summing each parent's products in step order, starting from
    0.0, gives bit for bit the gradient one ``backward(gradient)`` call computes: the ``.grad``
    of every node on a fresh graph.

    Args:
        root: the Value the pass starts from.
        gradient: the seed, ``root``'s gradient (a number or a Value, read as its data).

    Returns:
        The steps, one per op node, in ``backward()``'s order.

    Raises:
        TypeError: ``root`` is not a Value, or ``gradient`` is not a number or a Value.

    Examples:
        >>> from autograd import Value
        >>> x = Value(3.0, label="x")
        >>> [(s.node.op, [c.product for c in s.contributions]) for s in backward_steps(x * x + x)]
        [('+', [1.0, 1.0]), ('*', [3.0, 3.0])]
    """
    _check_value(root, "root")
    seed = _seed(gradient)
    return [step for step, _ in _walk(topological_order(root), seed)]
