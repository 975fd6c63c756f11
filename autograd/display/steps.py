"""Explaining gradients: the local derivatives, the backward pass as data, the chain rule as text.

``backward()`` computes every gradient exactly but shows no arithmetic. This module shows it,
reading the engine's own derivative rules (never a second copy of the math):

- ``local_grads(node)``: ∂node/∂input for each input, at the current data;
- ``backward_steps(root)``: the backward pass as a list of ``BackwardStep`` objects, one per
  op node in the order ``backward()`` processes them, each listing what it adds to each input's
  gradient (a ``Contribution``);
- ``explain(root)``: the same written out in the lecture's notation,
  ``dJ/db = dJ/du · ∂u/∂b = 3.0000 · c = 3.0000 · 2.0000 = 6.0000``.

Names: a value is called by its label; an unlabelled value by ``#i``, ``i`` being its index in
``topological_order(root)`` (drawings and the player show the same ``#i``); a label used by more
than one value of the graph gets the index too (``w#3``); a constant (a number used in an op, as
the 3 in ``3 * v``) by its value. Numbers are written as the drawings write them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.core import ieee as _ieee
from autograd.core.graph import topological_order
from autograd.core.node import MANY as _MANY
from autograd.core.value import Constant, Value
from autograd.display.formatting import number, one_line

__all__ = ["BackwardStep", "Contribution", "backward_steps", "explain", "local_grads"]


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one backward step adds to the gradient of one input of its node.

    ``local`` is ∂node/∂parent at the current data; ``product`` is the amount added to the
    parent's gradient: the node's gradient times ``local``, exactly as the rule computed it.

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


def _contributions(v: Value, g: float) -> tuple[list[Contribution], list[int]]:
    """What processing ``v`` (gradient ``g``) adds to each input, in ``backward()``'s order,
    and the index in ``v.parents`` of each (one value may be several inputs of one node)."""
    # the input slots as backward() reads them (see Value.__slots__)
    rule: Any = v._rule
    a: Any = v._a
    b: Any = v._b
    out = v.data
    local = _local_grads(v)
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


def _walk(order: Sequence[Value], seed: float) -> list[tuple[BackwardStep, list[int]]]:
    """``backward_steps`` over a topological order, each step with the input index of each
    of its contributions."""
    grads: dict[Value, float] = {order[-1]: seed}
    steps: list[tuple[BackwardStep, list[int]]] = []
    for v in reversed(order):
        if v._rule is None:
            continue
        g = grads[v]  # complete: every node that uses v came before it
        contributions, positions = _contributions(v, g)
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

    Examples:
        >>> from autograd import Value
        >>> x = Value(3.0, label="x")
        >>> [(s.node.op, [c.product for c in s.contributions]) for s in backward_steps(x * x + x)]
        [('+', [1.0, 1.0]), ('*', [3.0, 3.0])]
    """
    _check_value(root, "root")
    seed = _seed(gradient)
    return [step for step, _ in _walk(topological_order(root), seed)]


# ---------------------------------------------------------------- names


def _constant_name(x: float) -> str:
    """A constant as the text calls it: 3 rather than 3.0, 0.1 rather than 0.1000."""
    if x == x and abs(x) < 1e15 and x.is_integer():
        return str(int(x))
    return repr(x)


def node_names(order: Sequence[Value]) -> dict[Value, str]:
    """The name of each value of a graph (``order`` is ``topological_order(root)``), as the
    explanations and the drawings show it: the label if no other value of the graph has it,
    else ``label#i``; ``#i`` for an unlabelled value; the value itself for an unlabelled
    constant. Labels are kept literally, on one line (control characters as escapes)."""
    counts: dict[str, int] = {}
    for v in order:
        if v.label:
            counts[v.label] = counts.get(v.label, 0) + 1
    names: dict[Value, str] = {}
    for i, v in enumerate(order):
        if v.label:
            unique = counts[v.label] == 1 and not _GENERATED.fullmatch(v.label)
            names[v] = one_line(v.label) if unique else f"{one_line(v.label)}#{i}"
        elif isinstance(v, Constant):
            names[v] = _constant_name(v.data)
        else:
            names[v] = f"#{i}"
    return names


_GENERATED = re.compile(r"#\d+")  # a label that looks like a generated name gets its index too
_SIMPLE = re.compile(r"[#\w.]+")


def _operand(name: str) -> str:
    """A name as an operand inside a formula: parenthesised unless it is one word or a
    non-negative number, so ``1 − (my value)²`` and ``(-2)·x`` read right."""
    return name if _SIMPLE.fullmatch(name) else f"({name})"


def expression(v: Value, names: dict[Value, str]) -> str:
    """How ``v`` was computed, in terms of its inputs' names: ``a + u``, ``tanh(#3)``,
    ``x**2``, ``2**x``, ``dot(w0, w1; x0, x1; b)``. Made from the op's name alone (symbols go
    between or beside their operands, names are called like functions), so it works for any op."""
    op = v.op
    ps = [_operand(names[p]) for p in v.parents]
    if v._b is _MANY:
        if len(getattr(v._rule, "formula", ())) == 3:  # weights; inputs; bias, as in dot
            n = len(ps) // 2
            parts = [_elide(ps[:n]), _elide(ps[n : 2 * n])] + ps[2 * n :]
            return f"{op}({'; '.join(parts)})"
        return f"{op}({_elide(ps)})"
    if len(ps) == 2:
        return f"{op}({ps[0]}, {ps[1]})" if op.isidentifier() else f"{ps[0]} {op} {ps[1]}"
    (x,) = ps
    if op.isidentifier():
        return f"{op}({x})"
    if op.endswith("**"):  # a ** x with a constant a: the op "2**"
        return f"{op}{x}"
    return f"{x}{op}"  # x ** n with a constant n: the op "**2"


def _elide(items: Sequence[str], keep: int = 6) -> str:
    if len(items) <= keep:
        return ", ".join(items)
    return ", ".join([*items[: keep - 2], "…", *items[-2:]])


# ---------------------------------------------------------------- formulas

_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _templates(v: Value) -> list[tuple[str, int | None]]:
    """The rule's ``formula`` template for each entry of ``v.parents``, with the index of the
    ``{pair}`` of that entry (the other factor of its product in a ``dot``) or None."""
    formula: tuple[str, ...] = getattr(v._rule, "formula", ())
    k = len(v.parents)
    if v._b is not _MANY:
        return [(t, None) for t in formula] if len(formula) == k else []
    if len(formula) == 1:  # the same for every input (sum)
        return [(formula[0], None)] * k
    if len(formula) == 3:  # weights, inputs and maybe a bias (dot)
        n = k // 2
        return (
            [(formula[0], i + n) for i in range(n)]
            + [(formula[1], i) for i in range(n)]
            + [(formula[2], None)] * (k - 2 * n)
        )
    return []


def _fill(template: str, v: Value, pair: Value | None, names: dict[Value, str]) -> str | None:
    """The template with the names filled in, ready to be the second factor of a product; None
    when it would add nothing to the numbers (it names no value other than constants) or has
    a placeholder we do not know."""
    ps = v.parents
    known = {"out": v}
    if ps and v._b is not _MANY:
        known["x"] = ps[0]
        if len(ps) == 2:
            known["y"] = ps[1]
    if pair is not None:
        known["pair"] = pair
    used: list[Value] = []

    def put(m: re.Match[str]) -> str:
        node = known.get(m.group(1))
        if node is None:
            raise KeyError(m.group(1))
        used.append(node)
        return _operand(names[node])

    try:
        text = _PLACEHOLDER.sub(put, template)
    except KeyError:
        return None
    if all(isinstance(u, Constant) and not u.label for u in used):
        return None
    # as a factor: ``3.0000 · (1 − h²)``, but ``3.0000 · c`` and ``3.0000 · (my label)``
    if _PLACEHOLDER.fullmatch(template) or _SIMPLE.fullmatch(text):
        return text
    return f"({text})"


# ---------------------------------------------------------------- text


class _Writer:
    """Writes backward steps as the lecture does: one line per contribution.

    A value that receives one contribution over the whole pass gets ``dJ/da = ...``; one that
    receives several gets ``dJ/da += ...`` for each and, after the last, their sum
    ``dJ/da = 2.0000 + 2.0000 = 4.0000`` (added in the order ``backward()`` adds them).
    """

    def __init__(
        self, walked: Sequence[tuple[BackwardStep, list[int]]], names: dict[Value, str], root: Value
    ) -> None:
        self.names = names
        self.d = f"d{names[root]}/d"
        self.count = len(walked)
        self.uses: dict[Value, int] = {}
        for step, _ in walked:
            for c in step.contributions:
                self.uses[c.parent] = self.uses.get(c.parent, 0) + 1
        self.parts: dict[Value, list[float]] = {}
        self.totals: dict[Value, float] = {}

    def grad(self, v: Value) -> str:
        return self.d + self.names[v]

    def step(
        self,
        k: int,
        step: BackwardStep,
        positions: Sequence[int],
        keep: Callable[[Value], bool] | None = None,
    ) -> list[str]:
        """The lines of the k-th step (from 1): a header, then each contribution whose parent
        ``keep`` accepts (all by default), each followed by its parent's sum when complete."""
        v, g, names = step.node, step.grad, self.names
        lines = [f"step {k} of {self.count}: {names[v]} = {expression(v, names)}"]
        templates = _templates(v)
        for c, i in zip(step.contributions, positions):
            p = c.parent
            total = self.totals.get(p, 0.0) + c.product
            self.totals[p] = total
            parts = self.parts.setdefault(p, [])
            parts.append(c.product)
            if keep is not None and not keep(p):
                continue
            several = self.uses[p] > 1
            factors = [f"{number(g)} · {_factor(c.local)}"]
            if i < len(templates):
                template, pair = templates[i]
                sym = _fill(template, v, None if pair is None else v.parents[pair], names)
                if sym is not None:
                    factors.insert(0, f"{number(g)} · {sym}")
            lines.append(
                f"  {self.grad(p)} {'+=' if several else '='} {self.grad(v)} · "
                f"∂{names[v]}/∂{names[p]} = {' = '.join(factors)} = {number(c.product)}"
            )
            if several and len(parts) == self.uses[p]:
                lines.append(f"  {self.grad(p)} = {_sum_text(parts)} = {number(total)}")
        return lines


def _explained_steps(order: Sequence[Value]) -> list[tuple[BackwardStep, list[str]]]:
    """Each step of ``backward()`` from ``order[-1]`` with the lines ``explain`` writes for it
    (for the flip book's captions and the player)."""
    names = node_names(order)
    walked = _walk(order, 1.0)
    writer = _Writer(walked, names, order[-1])
    return [
        (step, writer.step(k, step, positions))
        for k, (step, positions) in enumerate(walked, start=1)
    ]


def _factor(x: float) -> str:
    """A number as the second factor of a product: ``3.0000 · (-0.5000)``."""
    text = number(x)
    return f"({text})" if text.startswith("-") else text


def _shorten(texts: Sequence[str], keep: int = 8) -> list[str]:
    """The terms of a long sum past ``keep`` of them: the first three, a count of the middle
    ones (``… 5 more …``) and the last two."""
    if len(texts) <= keep:
        return list(texts)
    return [*texts[:3], f"… {len(texts) - 5} more …", *texts[-2:]]


def _sum_text(parts: Sequence[float], keep: int = 8) -> str:
    """``1.0000 + 3.0000 - 0.5000``; past ``keep`` terms the middle ones are counted, not shown."""
    texts = _shorten([number(x) for x in parts], keep)
    out = texts[0]
    for t in texts[1:]:
        out += f" - {t[1:]}" if t.startswith("-") else f" + {t}"
    return out


def _find(wrt: object, order: Sequence[Value], names: dict[Value, str]) -> Value:
    """The value ``wrt`` names: a Value of the graph, or the label of exactly one."""
    if isinstance(wrt, Value):
        if wrt not in names:
            raise ValueError("wrt is not part of the graph of root")
        return wrt
    if isinstance(wrt, str):
        found = [v for v in order if v.label == wrt or (not v.label and names[v] == wrt)]
        if not found:
            raise ValueError(f"no value of the graph is labelled {wrt!r}")
        if len(found) > 1:
            raise ValueError(
                f"{len(found)} values of the graph are labelled {wrt!r}: pass the Value itself"
            )
        return found[0]
    raise TypeError(f"wrt must be a Value, the label of one, or None, not {type(wrt).__name__}")


def _depending_on(target: Value, order: Sequence[Value]) -> set[Value]:
    """``target`` and every value of the graph computed from it."""
    found = {target}
    for v in order:
        if any(p in found for p in v.parents):
            found.add(v)
    return found


def explain(root: Value, wrt: Value | str | None = None, *, max_steps: int | None = 200) -> str:
    """The chain rule of ``root.backward()`` written out, one line per contribution.

    Each step of the backward pass (as ``backward_steps`` lists them) shows how the node was
    computed and, for each input, the gradient it hands over, in the lecture's notation:
    ``dJ/db = dJ/du · ∂u/∂b = 3.0000 · c = 3.0000 · 2.0000 = 6.0000`` (the local derivative
    first symbolically, from the op's rule, where that helps). A value used more than once
    shows each contribution (``+=``) and then their sum. ``wrt`` (a Value, or the label of one)
    keeps only the steps and lines that lead to it. After ``max_steps`` steps the text says how
    many it left out (``max_steps=None`` shows all). The text grows linearly with the graph;
    its totals are exactly the gradients ``backward()`` computes. No ``.grad`` is touched.

    Examples:
        >>> from autograd import Value
        >>> a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
        >>> u = b * c; u.label = "u"
        >>> print(explain(u, wrt="b"))
        u = 6.0000; backward() takes 1 step, from u back to its inputs.
        du/du = 1.0000
        step 1 of 1: u = b * c
          du/db = du/du · ∂u/∂b = 1.0000 · c = 1.0000 · 2.0000 = 2.0000
        so du/db = 2.0000
    """
    _check_value(root, "root")
    if max_steps is not None:
        if isinstance(max_steps, bool) or not isinstance(max_steps, int):
            raise TypeError(f"max_steps must be an int or None, not {type(max_steps).__name__}")
        if max_steps < 0:
            raise ValueError(f"max_steps must be at least 0, not {max_steps}")
    return explain_order(topological_order(root), wrt, max_steps)


def explain_order(order: Sequence[Value], wrt: object, max_steps: int | None) -> str:
    """``explain`` of ``order[-1]``, given its topological order (the player has it)."""
    root = order[-1]
    names = node_names(order)
    target = None if wrt is None else _find(wrt, order, names)
    walked = _walk(order, 1.0)
    writer = _Writer(walked, names, root)
    n = len(walked)
    root_name = names[root]
    lines = [
        f"{root_name} = {number(root.data)}; backward() takes {n} step{'s' if n != 1 else ''}"
        + (f", from {root_name} back to its inputs." if n else ": it is a leaf.")
    ]
    lines.append(f"{writer.grad(root)} = {number(1.0)}")
    keep: Callable[[Value], bool] | None = None
    if target is not None:
        keep = _depending_on(target, order).__contains__
    shown = left = 0
    for k, (step, positions) in enumerate(walked, start=1):
        text = writer.step(k, step, positions, keep)
        if len(text) == 1:  # nothing of this step leads to wrt
            continue
        if max_steps is not None and shown >= max_steps:
            left += 1
            continue
        shown += 1
        lines += text
    if left:
        lines.append(
            f"… {left} more step{'s' if left != 1 else ''} left out (max_steps={max_steps}); "
            "max_steps=None shows them all"
        )
    totals = writer.totals | {root: 1.0}
    if target is not None:
        wanted = [target]
    else:
        wanted = [v for v in order if not v.parents and not isinstance(v, Constant)]
    if wanted and wanted != [root] or target is not None:
        shown_totals = [f"{writer.grad(v)} = {number(totals.get(v, 0.0))}" for v in wanted]
        lines.append("so " + _elide(shown_totals, keep=12))
    return "\n".join(lines)
