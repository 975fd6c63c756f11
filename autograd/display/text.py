"""The graph as text: ``explain`` (the chain rule of ``backward()`` written out) and ``tree``
(the graph for terminals). Both only format a ``GraphView``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from autograd.core.value import Constant, NoGradResult, Value
from autograd.display.formatting import Text, one_line
from autograd.display.steps import _check_value
from autograd.display.view import GraphView, _elide, checked_order, op_symbol

__all__ = ["explain", "tree"]


def _find(wrt: object, order: Sequence[Value], names: dict[Value, str]) -> Value:
    """The value ``wrt`` names: a Value of the graph, a name the text prints (``x0``,
    ``w#3``), or the label of exactly one value."""
    if isinstance(wrt, Value):
        if wrt not in names:
            raise ValueError("wrt is not part of the graph of root")
        return wrt
    if isinstance(wrt, str):
        found = [v for v in order if names[v] == wrt]
        if not found:
            found = [v for v in order if v.label == wrt]
        if not found:
            raise ValueError(f"no value of the graph is named or labelled {wrt!r}")
        if len(found) > 1:
            raise ValueError(
                f"{len(found)} values of the graph are labelled {wrt!r}: pass the Value itself"
            )
        return found[0]
    raise TypeError(
        f"wrt must be a Value, the name or label of one, or None, not {type(wrt).__name__}"
    )


def _depending_on(target: Value, order: Sequence[Value]) -> set[Value]:
    """``target`` and every value of the graph computed from it."""
    found = {target}
    for v in order:
        if any(p in found for p in v.parents):
            found.add(v)
    return found


def explain(
    root: Value,
    wrt: Value | str | None = None,
    *,
    max_steps: int | None = 200,
    precision: int | None = 4,
    constants: bool = False,
) -> Text:
    """The chain rule of ``root.backward()`` written out, one line per contribution.

    Each step of the backward pass (as ``backward_steps`` lists them) shows how the node was
    computed and, for each input, the gradient it hands over, in the lecture's notation:
    ``dJ/db = dJ/du · ∂u/∂b = 3.0000 · c = 3.0000 · 2.0000 = 6.0000`` (the local derivative
    first symbolically, from the op's rule, where that helps). A value used more than once
    shows each contribution (``+=``) and then their sum. ``wrt`` (a Value, a name the text
    prints, or the label of one value) keeps only the steps and lines that lead to it.

    Args:
        root: the Value whose backward pass to write out.
        wrt: a Value of the graph, a name the text prints, or a label; None keeps every step.
        max_steps: after this many steps the text says how many it left out, and a step
            shows at most this many of its inputs (``None`` shows all); steps left out are
            not formatted, so the time and the text stay bounded.
        precision: decimals of every number; ``None`` writes each exactly (its ``repr``),
            so the totals printed equal ``backward()``'s gradients.
        constants: also write the derivatives with respect to constants (the 3 in ``3 * v``),
            left out by default.

    Returns:
        The text, a ``str`` that shows as itself at the end of a notebook cell or REPL line.
        No ``.grad`` is touched.

    Raises:
        TypeError: ``root`` is not a Value, ``max_steps`` is not an int or None,
            ``precision`` is not an int or None, ``constants`` is not a bool, or ``wrt`` is
            neither a Value, a str nor None.
        ValueError: ``max_steps`` < 0, ``precision`` outside 0 to 17, or ``wrt`` not in the
            graph (or a label shared by several values).

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
    view = GraphView(root, precision=precision, constants=constants)
    return explain_view(view, wrt, max_steps)


def explain_view(view: GraphView, wrt: object = None, max_steps: int | None = None) -> Text:
    """``explain`` of the graph of ``view``."""
    order, root, names, num = view.order, view.root, view.names, view.num
    root_name = names[root]
    if isinstance(root, NoGradResult):
        return Text(
            f"{root_name} = {num(root.data)} was computed under no_grad(): it has no graph, so "
            "backward() would raise RuntimeError; compute it outside no_grad() to explain it"
        )
    target = None if wrt is None else _find(wrt, order, names)
    walked = view.walked
    writer = view.writer()
    n = len(walked)
    lines = [
        f"{root_name} = {num(root.data)}; backward() takes {n} step{'s' if n != 1 else ''}"
        + (f", from {root_name} back to its inputs." if n else ": it is a leaf.")
    ]
    lines.append(f"{writer.grad(root)} = {num(1.0)}")
    keep: Callable[[Value], bool] | None = None
    if target is not None:
        keep = _depending_on(target, order).__contains__
    shown = left = 0
    for k, (step, positions) in enumerate(walked, start=1):
        if not any(
            (keep is None or keep(c.parent)) and view.shown(c.parent) for c in step.contributions
        ):  # nothing of this step leads to wrt
            writer.skip(step)
            continue
        if max_steps is not None and shown >= max_steps:
            writer.skip(step)
            left += 1
            continue
        shown += 1
        lines += writer.step(k, step, positions, keep, max_steps)
    if left:
        lines.append(
            f"… {left} more step{'s' if left != 1 else ''} left out (max_steps={max_steps}); "
            "max_steps=None shows them all"
        )
    totals = view.grads
    if target is not None:
        wanted = [target]
    else:
        wanted = [v for v in order if not v.parents and not isinstance(v, Constant)]
    if wanted and wanted != [root] or target is not None:
        shown_totals = [f"{writer.grad(v)} = {num(totals.get(v, 0.0))}" for v in wanted]
        lines.append("so " + _elide(shown_totals, keep=12))
    return Text("\n".join(lines))


def tree(
    root: Value,
    *,
    max_nodes: int = 10_000,
    max_depth: int = 16,
    local_grads: bool = False,
    precision: int | None = 4,
) -> Text:
    """A text view of the graph for terminals: one line per node with its op, label, data and
    grad, inputs indented below the node they feed. A node reached again is printed once, with
    a ``#k`` mark, and referred to as ``(see #k)`` after. Nesting deeper than ``max_depth``
    levels goes on in a block of its own below: the node where the indentation stops says
    ``(inputs below, at #k)`` and the block starts with its name and ``#k``. So every node is
    printed once, no line is indented more than ``max_depth`` levels, and the text grows in
    proportion to the graph, however deep.

    A node is shown with its label; an unlabelled one with the name ``explain`` gives it
    (``out``, ``x0``, ``t1``), a constant with its number only. With ``local_grads=True``
    each node is called by the name ``explain`` gives it, a node reached again is referred to
    as ``(see above)``, and each line also shows the node's local derivative with respect to
    each input (``∂u/∂b = 2.0000  ∂u/∂c = 3.0000``). ``precision`` is the number of decimals
    (``None``: exact). The result shows as text at the end of a notebook cell.

    Args:
        root: the Value whose graph to print.
        max_nodes: refuse graphs of more values than this.
        max_depth: the deepest indentation, in levels, before a block of its own.
        local_grads: also show each node's local derivatives, calling nodes by their names.
        precision: decimals of every number; None writes each exactly.

    Returns:
        The text, a ``str`` that shows as itself at the end of a notebook cell.

    Raises:
        TypeError: ``root`` is not a Value, ``local_grads`` is not a bool, or ``precision``
            is not an int or None.
        ValueError: ``max_nodes`` or ``max_depth`` is not a positive int, or ``precision`` is
            outside 0 to 17.
        GraphTooLargeError: the graph has more than ``max_nodes`` values.

    Examples:
        >>> from autograd import Value
        >>> a, b = Value(2.0, label="a"), Value(3.0, label="b")
        >>> y = a * b + a
        >>> y.backward()
        >>> print(tree(y))
        + out  data 8.0000  grad 1.0000
        ├── * t1  data 6.0000  grad 1.0000
        │   ├── a #1  data 2.0000  grad 4.0000
        │   └── b  data 3.0000  grad 2.0000
        └── a (see #1)
    """
    for name, limit in (("max_nodes", max_nodes), ("max_depth", max_depth)):
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise ValueError(f"{name} must be a positive int, not {limit!r}")
    order = checked_order(root, max_nodes, drawing=False)
    if not isinstance(local_grads, bool):
        raise TypeError(f"local_grads must be a bool, not {type(local_grads).__name__}")
    view = GraphView(root, order, precision=precision)
    number = view.num
    names = view.names if local_grads else None
    uses: dict[Value, int] = dict.fromkeys(order, 0)
    for v in order:
        for p in v.parents:
            uses[p] += 1
    marks: dict[Value, int] = {}
    printed: set[Value] = set()
    lines: list[str] = []
    blocks = [root]  # the tree, then one block per node whose inputs were cut off
    for top in blocks:
        # (node, prefix of its own line, prefix of its inputs' lines, depth)
        stack: list[tuple[Value, str, str, int]] = []
        if top is root:
            stack.append((root, "", "", 0))
        else:
            mark = "" if names is not None else f" #{marks[top]}"
            lines += ["", f"{_tree_name(top, view.names, local_grads)}{mark} (continued)"]
            stack += _tree_inputs(top, "", 1)
        while stack:
            v, first, rest, depth = stack.pop()
            name = _tree_name(v, view.names, local_grads)
            if v in printed:
                # with local_grads every node has a name of its own: no marks needed
                lines.append(f"{first}{name} (see {'above' if names else f'#{marks[v]}'})")
                continue
            printed.add(v)
            cut = depth >= max_depth and bool(v.parents)
            if names is None and (uses[v] > 1 or cut):
                marks[v] = len(marks) + 1
                name += f" #{marks[v]}"
            line = f"{first}{name}  data {number(v.data)}  grad {number(v.grad)}"
            if names is not None:
                for p, d in zip(v.parents, view.local[view.index[v]]):
                    line += f"  ∂{names[v]}/∂{names[p]} = {number(d)}"
            if cut:
                lines.append(f"{line}  (inputs below{'' if names else f', at #{marks[v]}'})")
                blocks.append(v)
            else:
                lines.append(line)
                stack += _tree_inputs(v, rest, depth + 1)
    return Text("\n".join(lines))


def _tree_name(v: Value, names: Mapping[Value, str], exact: bool) -> str:
    """A node as tree() shows it: its op and label, or the name ``explain`` gives it when it
    has no label (``exact``: always that name, ``w#3`` for a shared label)."""
    if exact:
        return " ".join(s for s in (op_symbol(v), names[v]) if s)
    name = one_line(v.label) if v.label or isinstance(v, Constant) else names[v]
    return " ".join(s for s in (op_symbol(v), name) if s) or "·"


def _tree_inputs(v: Value, rest: str, depth: int) -> list[tuple[Value, str, str, int]]:
    """Stack entries for ``v``'s inputs, reversed so that they pop in operand order."""
    ps = v.parents
    return [
        (
            ps[i],
            rest + ("└── " if i == len(ps) - 1 else "├── "),
            rest + ("    " if i == len(ps) - 1 else "│   "),
            depth,
        )
        for i in reversed(range(len(ps)))
    ]
