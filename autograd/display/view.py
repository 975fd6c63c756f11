"""One view of a graph, computed once and read by every picture.

A ``GraphView`` holds what the explanations, the tree, the drawings, the flip book and the
player all show of one graph, so that they agree and none computes it again:

- the values in topological order, and each value's index in it;
- each value's name (``node_names``) and role (input, parameter, constant, intermediate,
  output);
- each op node's local derivatives, computed once by the node's own rule;
- the backward pass (``backward_steps``), walked once, and the lines ``explain`` writes for
  each of its steps;
- which inputs are drawn again beside a distant use (``far``);
- the size limits, checked when the view is made (``GraphView.checked``).

Names (``node_names``): a value is called by its label; a label used by more than one value
of the graph gets the value's index in ``topological_order(root)`` too (``w#3``); a constant
(a number used in an op, as the 3 in ``3 * v``) by its value; an unlabelled value by a name
made for it (``out``, ``x0``, ``t1``, ...).

Options: ``precision`` (decimals of every number, None for exact, see ``formatting``) and
``constants`` (whether the derivatives with respect to constants are written and drawn).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import Any

from autograd.core.graph import topological_order
from autograd.core.node import MANY as _MANY
from autograd.core.value import Constant, Parameter, Value
from autograd.display.formatting import check_precision, number, one_line
from autograd.display.steps import BackwardStep, _local_grads, _walk

__all__ = [
    "GraphTooLargeError",
    "GraphView",
    "checked_order",
    "expression",
    "local_rules",
    "node_names",
    "op_symbol",
    "role",
]


class GraphView:
    """What every picture of the graph of ``root`` shows, computed once.

    ``order``, ``index``, ``names`` and ``roles`` are made with the view; ``local`` (each
    value's local derivatives), ``walked`` (the backward pass), ``grads`` (every gradient at
    its end), ``lines`` (what ``explain`` writes for each step) and ``far`` (the inputs drawn
    again beside a distant use) the first time a picture asks for them.
    """

    def __init__(
        self,
        root: Value,
        order: list[Value] | None = None,
        *,
        precision: int | None = 4,
        constants: bool = False,
    ) -> None:
        if not isinstance(constants, bool):
            raise TypeError(f"constants must be a bool, not {type(constants).__name__}")
        self.root = root
        self.order = topological_order(root) if order is None else order
        self.index = {v: i for i, v in enumerate(self.order)}
        self.natural = natural_order(self.order)
        self.names = node_names(self.order, self.natural)
        self.roles = [role(v, root) for v in self.order]
        self.precision = check_precision(precision)
        self.constants = constants

    @classmethod
    def checked(
        cls,
        root: Value,
        max_nodes: int,
        max_edges: int | None = None,
        *,
        drawing: bool = True,
        precision: int | None = 4,
        constants: bool = False,
    ) -> GraphView:
        """The view of a graph within the size limits (``drawable`` for a drawing,
        ``checked_order`` for text, ``max_edges=None`` meaning twice ``max_nodes``)."""
        if drawing:
            order = drawable(root, max_nodes, max_edges)
        else:
            order = checked_order(root, max_nodes, drawing=False)
        return cls(root, order, precision=precision, constants=constants)

    def num(self, x: Any) -> str:
        """A number as this view writes it (see ``formatting.number``)."""
        return number(x, self.precision)

    def shown(self, v: Value) -> bool:
        """Whether the gradient of ``v`` is written and drawn: not a constant's, unless the
        view was made with ``constants=True``."""
        return self.constants or not isinstance(v, Constant)

    @cached_property
    def local(self) -> list[tuple[float, ...]]:
        """Each value's ``local_grads`` (``()`` for a leaf), in ``order``."""
        return [_local_grads(v) for v in self.order]

    @cached_property
    def walked(self) -> list[tuple[BackwardStep, list[int]]]:
        """The backward pass from the root (seed 1.0): each step with the index in its
        node's ``parents`` of each contribution."""
        return _walk(self.order, 1.0, self.local)

    @cached_property
    def grads(self) -> dict[Value, float]:
        """Every gradient at the end of the backward pass, the root's seed included; a value
        no step reaches is missing."""
        totals: dict[Value, float] = {self.root: 1.0}
        for step, _ in self.walked:
            for c in step.contributions:
                totals[c.parent] = totals.get(c.parent, 0.0) + c.product
        return totals

    @cached_property
    def lines(self) -> list[list[str]]:
        """The lines ``explain`` writes for each step of ``walked``."""
        writer = self.writer()
        return [
            writer.step(k, step, positions)
            for k, (step, positions) in enumerate(self.walked, start=1)
        ]

    @cached_property
    def far(self) -> set[tuple[int, int]]:
        """The (op, input) pairs, as positions in ``order``, drawn with a copy of the input
        beside the op (see ``far_uses``)."""
        return far_uses(self.order, self.index, self.ranks)

    @cached_property
    def ranks(self) -> list[int]:
        """Each value's estimated rank in a drawing (see ``ranks``)."""
        return ranks(self.order, self.index)

    def writer(self) -> _Writer:
        """A fresh writer of this graph's steps (one that skips some lines keeps its own)."""
        return _Writer(self)


# ---------------------------------------------------------------- names and roles


_OP_NAMES = {"dot": "Σ", "sum": "Σ"}  # the fused n-ary ops are both sums


def op_symbol(v: Value) -> str:
    """How an op node is drawn: its op, with the fused sums as Σ, and a ``dot`` of one value
    with itself (the square of ``mse_loss`` on one sample) as the square it is, ``**2``."""
    op = v.op
    if _square(v):
        return "**2"
    return _OP_NAMES.get(op, op)


def _square(v: Value) -> bool:
    """Whether ``v`` is ``dot([x], [x])``: one value times itself, no bias."""
    ps = v.parents
    return v.op == "dot" and len(ps) == 2 and ps[0] is ps[1]


def role(v: Value, root: Value) -> str:
    if v is root:
        return "output"
    if isinstance(v, Parameter):
        return "parameter"
    if isinstance(v, Constant):
        return "constant"
    if not v.parents:
        return "input"
    return "intermediate"


def _constant_name(x: float) -> str:
    """A constant as the text calls it: 3 rather than 3.0, 0.1 rather than 0.1000."""
    if x == x and abs(x) < 1e15 and x.is_integer():
        return str(int(x))
    return repr(x)


def natural_order(order: Sequence[Value]) -> list[Value]:
    """The values of ``order`` (a topological order) in the order a person computes them:
    depth first, every op's inputs from the first to the last (so a layer's neuron 0 comes
    before its neuron 1, which ``topological_order`` does not promise)."""
    if not order:
        return []
    out: list[Value] = []
    done: set[Value] = set()
    stack: list[tuple[Value, int]] = [(order[-1], 0)]
    while stack:
        v, i = stack.pop()
        if v in done:
            continue
        ps = v.parents
        while i < len(ps) and ps[i] in done:
            i += 1
        if i < len(ps):
            stack.append((v, i + 1))
            stack.append((ps[i], 0))
            continue
        done.add(v)
        out.append(v)
    return out


def node_names(order: Sequence[Value], natural: Sequence[Value] | None = None) -> dict[Value, str]:
    """The name of each value of a graph (``order`` is ``topological_order(root)``), as the
    explanations, the tree, the drawings and the player show it: the label if no other value
    of the graph has it, else ``label#i`` (``i`` its index in ``order``); the value itself for
    an unlabelled constant. An unlabelled value gets a name no label of the graph has: the
    output ``out``, inputs ``x0``, ``x1``, ..., parameters ``p0``, ``p1``, ..., the values
    computed on the way ``t1``, ``t2``, ... (each numbered in ``natural``, by default
    ``natural_order(order)``). Labels are kept literally, on one line (control characters as
    escapes)."""
    counts: dict[str, int] = {}
    for v in order:
        if v.label:
            counts[v.label] = counts.get(v.label, 0) + 1
    taken = {one_line(label) for label in counts}
    numbers = {"x": 0, "p": 0, "t": 1}

    def fresh(prefix: str) -> str:
        while True:
            name = f"{prefix}{numbers[prefix]}"
            numbers[prefix] += 1
            if name not in taken:
                taken.add(name)
                return name

    root = order[-1] if order else None
    index = {v: i for i, v in enumerate(order)}
    names: dict[Value, str] = {}
    for v in natural_order(order) if natural is None else natural:
        i = index[v]
        if v.label:
            unique = counts[v.label] == 1 and not _GENERATED.fullmatch(v.label)
            names[v] = one_line(v.label) if unique else f"{one_line(v.label)}#{i}"
        elif isinstance(v, Constant):
            names[v] = _constant_name(v.data)
        elif v is root:
            names[v] = "out" if "out" not in taken else f"out#{i}"
        elif not v.parents:
            names[v] = fresh("p" if isinstance(v, Parameter) else "x")
        else:
            names[v] = fresh("t")
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
    if _square(v):
        return f"{ps[0]}**2"
    if v._b is _MANY or op.isidentifier():  # called like a function: no second parentheses
        ps = [_argument(names[p]) for p in v.parents]
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


def _argument(name: str) -> str:
    """A name as an argument of a function call: parenthesised only when it holds the
    call's own separators, so ``relu(-0.25)`` but ``f((a, b))``."""
    return f"({name})" if "," in name or ";" in name else name


def _elide(items: Sequence[str], keep: int = 6) -> str:
    if len(items) <= keep:
        return ", ".join(items)
    return ", ".join([*items[: keep - 2], "…", *items[-2:]])


# ---------------------------------------------------------------- size limits


class GraphTooLargeError(ValueError):
    """A graph over one of the size limits of a drawing, a flip book or the text view.

    ``limit`` is the keyword that sets it (``max_nodes``, ``max_edges``, ``max_steps``),
    ``value`` its value and ``count`` what the graph needs. The message says how to raise the
    limit; ``advice()`` says it again in another spelling (the command line's
    ``--max-nodes 1200``).
    """

    def __init__(
        self,
        subject: str,
        *,
        limit: str,
        value: int,
        count: int,
        reason: str,
        action: str,
        text_view: bool,
        default: bool = False,
    ) -> None:
        self.subject, self.limit, self.value, self.count = subject, limit, value, count
        self.default = default  # the limit was not given: the library chose it
        self.reason, self.action, self.text_view = reason, action, text_view
        super().__init__(self.advice())

    def advice(
        self, option: Callable[[str, int], str] | None = None, text_view: str = "tree()"
    ) -> str:
        """The message, with ``option(limit, n)`` spelling a setting (default ``limit=n``) and
        ``text_view`` naming the text view."""
        spell = option or (lambda name, n: f"{name}={n}")
        if self.default:
            text = f"{self.subject}, more than the default limit ({self.value} for this graph)"
        else:
            text = f"{self.subject}, more than {spell(self.limit, self.value)}"
        text += f": {self.reason}. " if self.reason else ". "
        text += f"Pass {spell(self.limit, self.count)} (or more) to {self.action}"
        return text + (f", or use {text_view} for a text view" if self.text_view else "")


def checked_order(root: Value, max_nodes: int, *, drawing: bool = True) -> list[Value]:
    """The graph's values in topological order, refusing graphs too big to draw (or, with
    ``drawing=False``, to print as text)."""
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value to draw, not {type(root).__name__}")
    order = topological_order(root)
    if len(order) > max_nodes:
        raise GraphTooLargeError(
            f"the graph has {len(order)} values",
            limit="max_nodes",
            value=max_nodes,
            count=len(order),
            reason="a drawing this big is unreadable and slow to lay out" if drawing else "",
            action="draw it anyway" if drawing else "print it anyway",
            text_view=drawing,
        )
    return order


def drawable(root: Value, max_nodes: int, max_edges: int | None) -> list[Value]:
    """The graph's values in topological order, refusing graphs too big or too dense to
    draw: more than ``max_nodes`` values, or more than ``max_edges`` inputs of ops in all.

    ``max_edges`` defaults to twice ``max_nodes``, which lets every graph of unary and binary
    ops through (2 inputs per op at most); what it refuses are fused sums with many inputs
    each, such as 300 values where each sums every value before it (44,849 edges). Every
    graph within the defaults renders in a few seconds (``benchmarks/render.py``).
    """
    if max_edges is None:
        max_edges = 2 * max_nodes
    _check_limit("max_edges", max_edges)
    order = checked_order(root, max_nodes)
    edges = sum(len(v.parents) for v in order)
    if edges > max_edges:
        raise GraphTooLargeError(
            f"the graph has {len(order)} values and {edges} edges",
            limit="max_edges",
            value=max_edges,
            count=edges,
            reason="a drawing this dense is unreadable and slow to lay out",
            action="draw it anyway",
            text_view=True,
        )
    return order


def _check_limit(name: str, limit: Any) -> None:
    if not isinstance(limit, int) or isinstance(limit, bool):
        raise TypeError(f"{name} must be an int, not {type(limit).__name__}")
    if limit < 1:
        raise ValueError(f"{name} must be at least 1, not {limit}")


# ---------------------------------------------------------------- far uses

# Ranks an edge may cross before its input is drawn again beside the op instead: 1 is an input
# right before its op, 3 skips one level of the graph, 5 two.
_FAR = 5


def ranks(order: Sequence[Value], index: Mapping[Value, int]) -> list[int]:
    """The rank of each value of ``order`` in a drawing, estimated as Graphviz ranks it: a
    value one rank after its op, an op one rank after its latest input, and a leaf just
    before its first use. (Graphviz may place an interior value later.)"""
    rank = [0] * len(order)  # the rank of each value; its op sits one rank before it
    for k, v in enumerate(order):
        if v.parents:
            rank[k] = max(rank[index[p]] for p in v.parents) + 2
    first_use: dict[int, int] = {}
    for k, v in enumerate(order):
        for p in v.parents:
            j = index[p]
            if not p.parents and rank[k] - 2 < first_use.get(j, rank[k]):
                first_use[j] = rank[k] - 2
    for j, r in first_use.items():
        rank[j] = r
    return rank


def far_uses(
    order: Sequence[Value], index: Mapping[Value, int], rank: Sequence[int] | None = None
) -> set[tuple[int, int]]:
    """The (op, input) pairs, as positions in ``order``, whose edge would cross more than
    ``_FAR`` ranks of the drawing (``ranks``): such an input is drawn again beside the op.

    Long edges are what makes a layout slow: Graphviz routes each through a virtual node on
    every rank it crosses and orders them against each other on every rank, so one input
    used all along a long chain makes the layout crawl, and a graph in which each value
    feeds every later one does not finish. The estimated ranks err towards copying.
    """
    if rank is None:
        rank = ranks(order, index)
    return {
        (k, index[p])
        for k, v in enumerate(order)
        for p in v.parents
        if rank[k] - 1 - rank[index[p]] > _FAR
    }


# ---------------------------------------------------------------- formulas

_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def local_rules(v: Value, names: dict[Value, str]) -> list[str]:
    """For each entry of ``v.parents``, its local derivative as the op's rule writes it in
    names (``c`` for ∂(b·c)/∂b), or ``""`` where the rule has no formula that adds to the
    number."""
    templates = _templates(v)
    out = []
    for i in range(len(v.parents)):
        sym = None
        if i < len(templates):
            template, pair = templates[i]
            sym = _fill(template, v, None if pair is None else v.parents[pair], names)
        out.append(sym or "")
    return out


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

    def __init__(self, view: GraphView) -> None:
        self.names = view.names
        self.num = view.num
        self.shown = view.shown
        self.d = f"d{view.names[view.root]}/d"
        self.count = len(view.walked)
        self.uses: dict[Value, int] = {}
        for step, _ in view.walked:
            for c in step.contributions:
                self.uses[c.parent] = self.uses.get(c.parent, 0) + 1
        self.parts: dict[Value, list[float]] = {}
        self.totals: dict[Value, float] = {}

    def grad(self, v: Value) -> str:
        return self.d + self.names[v]

    def skip(self, step: BackwardStep) -> None:
        """Count ``step``'s contributions into the sums without writing anything."""
        for c in step.contributions:
            self.totals[c.parent] = self.totals.get(c.parent, 0.0) + c.product
            self.parts.setdefault(c.parent, []).append(c.product)

    def step(
        self,
        k: int,
        step: BackwardStep,
        positions: Sequence[int],
        keep: Callable[[Value], bool] | None = None,
        limit: int | None = None,
    ) -> list[str]:
        """The lines of the k-th step (from 1): a header, then each contribution whose parent
        ``keep`` accepts (all by default), each followed by its parent's sum when complete;
        past ``limit`` such contributions, one line counting the others."""
        v, g, names, num = step.node, step.grad, self.names, self.num
        lines = [f"step {k} of {self.count}: {names[v]} = {expression(v, names)}"]
        templates = _templates(v)
        written = left = 0
        for c, i in zip(step.contributions, positions):
            p = c.parent
            total = self.totals.get(p, 0.0) + c.product
            self.totals[p] = total
            parts = self.parts.setdefault(p, [])
            parts.append(c.product)
            if (keep is not None and not keep(p)) or not self.shown(p):
                continue
            if limit is not None and written >= limit:
                left += 1
                continue
            written += 1
            several = self.uses[p] > 1
            factors = [f"{num(g)} · {_factor(num(c.local))}"]
            if i < len(templates):
                template, pair = templates[i]
                sym = _fill(template, v, None if pair is None else v.parents[pair], names)
                if sym is not None:
                    factors.insert(0, f"{num(g)} · {sym}")
            lines.append(
                f"  {self.grad(p)} {'+=' if several else '='} {self.grad(v)} · "
                f"∂{names[v]}/∂{names[p]} = {' = '.join(factors)} = {num(c.product)}"
            )
            if several and len(parts) == self.uses[p]:
                lines.append(f"  {self.grad(p)} = {_sum_text(parts, num)} = {num(total)}")
        if left:
            lines.append(f"  … {left} more input{'s' if left != 1 else ''} of this step left out")
        return lines


def _factor(text: str) -> str:
    """A number as the second factor of a product: ``3.0000 · (-0.5000)``."""
    return f"({text})" if text.startswith("-") else text


def _shorten(texts: Sequence[str], keep: int = 8) -> list[str]:
    """The terms of a long sum past ``keep`` of them: the first three, a count of the middle
    ones (``… 5 more …``) and the last two."""
    if len(texts) <= keep:
        return list(texts)
    return [*texts[:3], f"… {len(texts) - 5} more …", *texts[-2:]]


def _sum_text(parts: Sequence[float], num: Callable[[float], str], keep: int = 8) -> str:
    """``1.0000 + 3.0000 - 0.5000``; past ``keep`` terms the middle ones are counted, not shown."""
    texts = _shorten([num(x) for x in parts], keep)
    out = texts[0]
    for t in texts[1:]:
        out += f" - {t[1:]}" if t.startswith("-") else f" + {t}"
    return out
