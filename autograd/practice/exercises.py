"""Quizzes on a graph, generated exercises and the lecture's own: see ``autograd.practice``."""

from __future__ import annotations

import copy
import math
import numbers
import random
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from autograd.core import Constant, Value, dot, topological_order
from autograd.display import explain
from autograd.display.answers import accepts, as_number
from autograd.display.steps import BackwardStep, Contribution, backward_steps, local_grads
from autograd.display.view import expression, node_names
from autograd.practice.engines import Report


def _num(x: float) -> str:
    """A number as a learner writes it: ``6``, ``0.3``, ``-0.0190491`` (6 significant digits)."""
    if x == 0.0:
        return "0"
    return f"{x:.6g}"


# ---------------------------------------------------------------- re-running a rule


def _locals_at(v: Value, out: float, inputs: Sequence[float]) -> tuple[float, ...]:
    """The local derivatives of ``v``'s op with its output taken as ``out`` and its inputs as
    ``inputs``: the engine's own rule on changed numbers (what a learner's slip computes).
    ``v``'s inputs must be distinct nodes."""
    memo: dict[int, Any] = {id(p): Value(x) for p, x in zip(v.parents, inputs)}
    twin = copy.deepcopy(v, memo)  # the same op on fresh leaves; v's graph is not walked
    twin.data = out
    return local_grads(twin)


# ---------------------------------------------------------------- the quiz

Key = Any  # a Value (ask="grads") or a (node, input) pair of Values (ask="local")


class Quiz:
    """A graph whose gradients (or local derivatives) the learner fills in. Made by ``quiz``.

    Args:
        root: the graph's output.
        ask: "grads" asks for each value's gradient, "local" for each local derivative.

    Examples:
        >>> q = quiz(lecture("computation_graph"))
        >>> q.show()
        J = 3 * v          data 33  dJ/dJ = 1
        └── v = a + u      data 11  dJ/dv = ?
            ├── a          data 5   dJ/da = ?
            └── u = b * c  data 6   dJ/du = ?
                ├── b      data 3   dJ/db = ?
                └── c      data 2   dJ/dc = ?
        >>> q.answer("v", 3)
        >>> q.answer("b", 5)
        >>> report = q.check()
        >>> report.ok
        False
        >>> print(report.text.splitlines()[0])
        Quiz on J = 3 * v: 1 of 5 gradients right, 1 wrong, 3 not answered.
    """

    def __init__(self, root: Value, ask: Literal["grads", "local"]) -> None:
        self.root = root
        self.ask = ask
        self._order = topological_order(root)
        self._names = node_names(self._order)
        self._d = f"d{self._names[root]}/d"
        grads: dict[Value, float] = {root: 1.0}
        self._uses: dict[Value, list[tuple[BackwardStep, Contribution, int]]] = {}
        for step in backward_steps(root):
            parents = step.node.parents
            seen: dict[Value, int] = {}
            for c in step.contributions:
                i = parents.index(c.parent, seen.get(c.parent, 0))
                seen[c.parent] = i + 1
                grads[c.parent] = grads.get(c.parent, 0.0) + c.product
                self._uses.setdefault(c.parent, []).append((step, c, i))
        self._grads = grads
        self._right: dict[Key, float] = {}
        if ask == "grads":
            for v in reversed(self._order):
                if v is not root and not isinstance(v, Constant):
                    self._right[v] = grads.get(v, 0.0)
        else:
            for v in reversed(self._order):
                locals_ = local_grads(v)
                for p, d in zip(v.parents, locals_):
                    if not isinstance(p, Constant):  # several uses in one op: their sum
                        self._right[(v, p)] = self._right.get((v, p), 0.0) + d
        self._answers: dict[Key, float] = {}

    # ------------------------------------------------------------ naming

    def _name(self, key: Key) -> str:
        if isinstance(key, tuple):
            v, p = key
            return f"∂{self._names[v]}/∂{self._names[p]}"
        return self._d + self._names[key]

    def _node(self, ref: object, what: str) -> Value:
        """The node ``ref`` names: a Value of the graph, or a name as ``show`` writes it."""
        if isinstance(ref, Value):
            if ref not in self._names:
                raise ValueError(f"{what} is not a value of the quiz's graph")
            return ref
        if isinstance(ref, str):
            found = [v for v, n in self._names.items() if n == ref]
            if not found:
                found = [v for v in self._order if v.label == ref]
            if len(found) == 1:
                return found[0]
            if found:
                choices = ", ".join(self._names[v] for v in found)
                raise ValueError(f"{len(found)} values are labelled {ref!r}: use one of {choices}")
            raise ValueError(
                f"no value of the graph is called {ref!r}; its values: "
                + ", ".join(self._names[v] for v in self._order if not isinstance(v, Constant))
            )
        raise TypeError(f"{what} must be a Value or its name, not {type(ref).__name__}")

    def _key(self, node_or_label: object) -> Key:
        if self.ask == "local":
            if not (isinstance(node_or_label, tuple) and len(node_or_label) == 2):
                raise TypeError(
                    "with ask='local', name an edge as a pair (node, input), e.g. ('u', 'b') "
                    f"for ∂u/∂b, not {type(node_or_label).__name__}"
                )
            v = self._node(node_or_label[0], "node")
            p = self._node(node_or_label[1], "input")
            if (v, p) not in self._right:
                raise ValueError(f"{self._names[p]} is not an input of {self._names[v]} asked")
            return (v, p)
        if isinstance(node_or_label, tuple):
            raise TypeError("with ask='grads', name one value, not a pair")
        v = self._node(node_or_label, "node_or_label")
        if v is self.root:
            raise ValueError(f"{self._name(v)} = 1 is given: it is where backward() starts")
        if v not in self._right:
            raise ValueError(f"{self._names[v]} is a constant: its gradient is not asked")
        return v

    # ------------------------------------------------------------ the learner's side

    def answer(self, node_or_label: Value | str | tuple[Any, Any], value: float) -> None:
        """Record an answer (a second answer for the same value replaces the first).

        Args:
            node_or_label: with ``ask="grads"``, a value of the graph or its name as ``show``
                prints it (``"b"``, ``"#3"``); with ``ask="local"``, a pair ``(node, input)``.
            value: the learner's number (an int, float, Fraction or numpy scalar).

        Raises:
            TypeError: not a value, a name or a number.
            ValueError: no such value in the graph, the root, or a constant.
        """
        key = self._key(node_or_label)
        self._answers[key] = as_number(value, "value")

    def check(self, *, strict: bool = False) -> Report:
        """Compare the answers with the engine's values.

        Args:
            strict: raise instead of returning a report with something wrong or missing.

        Returns:
            The report: each asked value ✓, ✗ or ? (no answer) in backward order; for the
            first wrong one, the right computation beside the learner's number and a hint.

        Raises:
            AssertionError: ``strict`` and not all right (the report's text is the message).
        """
        lines: list[str] = []
        right = wrong = missing = 0
        first: Key | None = None
        width = max((len(self._name(k)) for k in self._right), default=0)
        for key, value in self._right.items():
            name = self._name(key).ljust(width)
            if key not in self._answers:
                missing += 1
                lines.append(f"  ? {name}  (no answer yet)")
                continue
            a = self._answers[key]
            if accepts(a, value):
                right += 1
                lines.append(f"  ✓ {name} = {_num(a)}")
                continue
            wrong += 1
            note = ""
            if first is None:
                first, note = key, "   ← first wrong"
            else:
                carried = self._carried(key, a)
                if carried:
                    note = f"   (follows from your {carried})"
            lines.append(f"  ✗ {name} = {_num(a)}{note}")
        n = len(self._right)
        what = "gradients" if self.ask == "grads" else "local derivatives"
        root_name = self._names[self.root]
        title = f"Quiz on {root_name} = {self._formula(self.root)}: "
        if right == n:
            title += f"all {n} {what} right."
        else:
            parts = [f"{right} of {n} {what} right"]
            if wrong:
                parts.append(f"{wrong} wrong")
            if missing:
                parts.append(f"{missing} not answered")
            title += ", ".join(parts) + "."
        text = [title, "", *lines]
        if first is not None:
            text += ["", *self._first_wrong(first)]
        report = Report("\n".join(text), right == n)
        if strict:
            report.assert_ok()
        return report

    def show(self) -> None:
        """Print the graph as a tree, root first, with ``?`` where an answer is expected (the
        answer instead, once given). A value used again is printed once and then referred to."""
        print(self._tree())

    def __repr__(self) -> str:
        return f"<quiz on {self._names[self.root]}: {len(self._right)} asked, ask={self.ask!r}>"

    # ------------------------------------------------------------ pictures

    def _formula(self, v: Value) -> str:
        return expression(v, self._names) if v.parents else self._names[v]

    def _tree(self) -> str:
        rows: list[tuple[str, str, str]] = []
        printed: set[Value] = set()
        # (node, prefix for its own line, prefix for its inputs' lines, the edge it hangs on)
        stack: list[tuple[Value, str, str, Value | None]] = [(self.root, "", "", None)]
        while stack:
            v, head, tail, user = stack.pop()
            name = self._names[v]
            again = v in printed
            shown = (
                f"{name} (see above)"
                if again
                else (f"{name} = {self._formula(v)}" if v.parents else name)
            )
            asked = self._asked_text(v, user)
            rows.append((head + shown, f"data {_num(v.data)}", asked))
            if again:
                continue
            printed.add(v)
            inputs = [p for p in v.parents if not isinstance(p, Constant)]
            for k in range(len(inputs) - 1, -1, -1):
                last = k == len(inputs) - 1
                stack.append(
                    (
                        inputs[k],
                        tail + ("└── " if last else "├── "),
                        tail + ("    " if last else "│   "),
                        v,
                    )
                )
        w1 = max(len(r[0]) for r in rows)
        w2 = max(len(r[1]) for r in rows)
        return "\n".join(f"{a.ljust(w1)}  {b.ljust(w2)}  {c}".rstrip() for a, b, c in rows)

    def _asked_text(self, v: Value, user: Value | None) -> str:
        if self.ask == "grads":
            if v is self.root:
                return f"{self._name(v)} = 1"
            key: Key = v
        else:
            if user is None:
                return ""
            key = (user, v)
        if key not in self._right:
            return ""
        answer = self._answers.get(key)
        return f"{self._name(key)} = {'?' if answer is None else _num(answer)}"

    # ------------------------------------------------------------ the first wrong answer

    def _first_wrong(self, key: Key) -> list[str]:
        a = self._answers[key]
        name = self._name(key)
        out = [f"First wrong: {name}", f"  yours: {name} = {_num(a)}"]
        lines = self._explain_lines(key)
        out.append("  right: " + lines[0])
        out += ["         " + line for line in lines[1:]]
        hint = self._hint(key, a)
        out += textwrap.wrap(
            hint, width=96, initial_indent="  hint:  ", subsequent_indent="         "
        )
        return out

    def _explain_lines(self, key: Key) -> list[str]:
        """``explain``'s lines about ``key``: each contribution to the gradient and their sum;
        for a local derivative, the line of its step that shows it."""
        p = key[1] if isinstance(key, tuple) else key
        text = explain(self.root, wrt=p, max_steps=None).split("\n")
        if isinstance(key, tuple):
            marker = f"{self._d}{self._names[key[0]]} · ∂{self._names[key[0]]}/∂{self._names[p]} "
            return [line.strip() for line in text if marker in line]
        start = f"  {self._d}{self._names[p]} "
        return [line.strip() for line in text if line.startswith(start)]

    def _carried(self, key: Key, a: float) -> str:
        """The learner's wrong answer for a value ``key`` depends on, if ``a`` follows from it."""
        if isinstance(key, tuple):
            return ""
        total, culprit = 0.0, ""
        for step, c, _ in self._uses.get(key, []):
            g = self._answers.get(step.node, self._grads[step.node])
            if step.node in self._answers and not accepts(g, self._grads[step.node]):
                culprit = f"{self._name(step.node)} = {_num(g)}"
            total += g * c.local
        return culprit if culprit and accepts(a, total) else ""

    def _hint(self, key: Key, a: float) -> str:
        if isinstance(key, tuple):
            return self._local_hint(key, a)
        p, r = key, self._right[key]
        names, name = self._names, self._names[key]
        uses = self._uses.get(p, [])

        def matches(candidate: float) -> bool:
            return accepts(a, candidate) and not accepts(candidate, r)

        if r != 0.0 and matches(-r):
            return f"{_num(a)} has the wrong sign: check the sign of each factor on the line above."
        if len(uses) > 1:
            shares = _num(uses[0][1].product) + "".join(
                f" - {_num(-c.product)}" if c.product < 0 else f" + {_num(c.product)}"
                for _, c, _ in uses[1:]
            )
            if matches(uses[-1][1].product):
                return (
                    f"{_num(a)} is only the last of the {len(uses)} shares {name} receives: "
                    f"a gradient adds up every use (+=); it is not overwritten by the last one "
                    f"(=). Here {self._name(p)} = {shares} = {_num(r)}."
                )
            for _, c, _ in uses[:-1]:
                if matches(c.product):
                    return (
                        f"{name} is used {len(uses)} times, but {_num(a)} counts only one use: "
                        f"add the shares of every use, {shares}."
                    )
        for step, c, _ in uses:
            v = step.node
            if step.grad != 1.0 and matches(r - c.product + c.local):
                return (
                    f"{_num(a)} is the local derivative ∂{names[v]}/∂{name} alone: the upstream "
                    f"gradient {self._name(v)} = {_num(step.grad)} was left out. Chain rule: "
                    f"{self._name(p)} = {self._name(v)} · ∂{names[v]}/∂{name}."
                )
        for step, c, _ in uses:
            v = step.node
            if v.op != "relu" and matches(r - c.product + step.grad):  # relu: its own hint
                return (
                    f"{_num(a)} is the upstream gradient {self._name(v)} alone: the local "
                    f"derivative ∂{names[v]}/∂{name} = {_num(c.local)} was left out. Chain rule: "
                    f"{self._name(p)} = {self._name(v)} · ∂{names[v]}/∂{name}."
                )
        if matches(sum(c.local for _, c, _ in uses)):
            return (
                f"{_num(a)} is the sum of the local derivatives alone: multiply each by the "
                "upstream gradient of the value that uses it."
            )
        for step, c, i in uses:
            slip = self._slip(a, step, c, i, r - c.product, step.grad, matches)
            if slip:
                return slip
        return (
            f"No common mistake gives {_num(a)}. Redo it from the line above: each use of {name} "
            f"adds d{names[self.root]}/d(user) · ∂(user)/∂{name}, and the shares add up."
        )

    def _local_hint(self, key: tuple[Value, Value], a: float) -> str:
        v, p = key
        r = self._right[key]
        name, vname = self._names[p], self._names[v]

        def matches(candidate: float) -> bool:
            return accepts(a, candidate) and not accepts(candidate, r)

        if r != 0.0 and matches(-r):
            return f"{_num(a)} has the wrong sign."
        for step, c, i in self._uses.get(p, []):
            if step.node is not v:
                continue
            if matches(c.product):
                return (
                    f"{_num(a)} is the whole share {self._name(p)} gets from {vname}: the local "
                    f"derivative ∂{vname}/∂{name} is that without the upstream gradient "
                    f"{self._name(v)} = {_num(step.grad)}."
                )
            slip = self._slip(a, step, c, i, r - c.local, 1.0, matches)
            if slip:
                return slip
        return f"No common mistake gives {_num(a)}: compare with the line above."

    def _slip(
        self,
        a: float,
        step: BackwardStep,
        c: Contribution,
        i: int,
        rest: float,
        upstream: float,
        matches: Callable[[float], bool],
    ) -> str:
        """A hint if the answer ``a`` is what one slip in ``step``'s rule gives for input ``i``:
        with a local derivative ``d`` there, the learner's answer is ``rest + upstream * d``."""

        def total(local: float) -> float:
            return rest + upstream * local

        v, names = step.node, self._names
        parents = v.parents
        name, vname = names[c.parent], names[v]
        if v.op == "relu":
            x0 = parents[0].data
            if x0 <= 0.0 and matches(total(1.0)):
                return (
                    f"relu's input {name} = {_num(x0)} is ≤ 0, so relu's gradient there is 0: "
                    f"{vname} passes nothing back to {name}."
                )
            if x0 > 0.0 and matches(total(0.0)):
                return (
                    f"relu's input {name} = {_num(x0)} is > 0, so relu passes the gradient "
                    f"through unchanged: ∂{vname}/∂{name} = 1."
                )
            return ""
        if len(parents) == 2 and parents[0] is not parents[1] and v.op != "dot":
            other = parents[1 - i]
            swapped = _locals_at(v, v.data, [parents[1].data, parents[0].data])[i]
            if matches(total(swapped)):
                if v.op == "*":
                    return (
                        f"{_num(a)} uses the wrong operand of {vname} = {expression(v, names)}: "
                        f"∂{vname}/∂{name} is the other factor, {names[other]} = "
                        f"{_num(other.data)}, not {name} = {_num(c.parent.data)} itself."
                    )
                return (
                    f"That is ∂{vname}/∂{name} with the two operands of {vname} = "
                    f"{expression(v, names)} swapped."
                )
        if len(parents) == 1:
            xd = parents[0].data
            with_input = _locals_at(v, xd, [xd])[0]  # self.data where out.data belongs
            if matches(total(with_input)):
                return (
                    f"∂{vname}/∂{name} was computed from {name}'s value ({_num(xd)}) where "
                    f"{vname}'s value ({_num(v.data)}) belongs: the rule of {v.op} reads the "
                    "op's output (out.data), not its input (self.data)."
                )
            with_output = _locals_at(v, v.data, [v.data])[0]  # out.data where self.data belongs
            if matches(total(with_output)):
                return (
                    f"∂{vname}/∂{name} was computed from {vname}'s value ({_num(v.data)}) where "
                    f"{name}'s value ({_num(xd)}) belongs: the rule of {v.op} reads the op's "
                    "input (self.data), not its output (out.data)."
                )
        return ""


def quiz(root: Value, *, ask: Literal["grads", "local"] = "grads") -> Quiz:
    """A quiz on ``root``'s graph: its gradients hidden, to be answered by hand.

    Args:
        root: the value whose gradients are asked (``backward()`` need not have run; no
            ``.grad`` is read or changed).
        ask: ``"grads"``: d(root)/d(value) for every value but the root and the constants;
            ``"local"``: ∂node/∂input for every edge, answered as ``q.answer(("u", "b"), 2)``
            (an input used twice by one op: the sum of both, as for ``a * a``).

    Returns:
        The quiz.

    Raises:
        TypeError: ``root`` is not a Value.
        ValueError: ``ask`` is neither ``"grads"`` nor ``"local"``.

    Examples:
        >>> q = quiz(lecture("computation_graph"))
        >>> for name, value in [("v", 3), ("u", 3), ("a", 3), ("b", 6), ("c", 9)]:
        ...     q.answer(name, value)
        >>> q.check().ok
        True
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, not {type(root).__name__}")
    if ask not in ("grads", "local"):
        raise ValueError(f"ask must be 'grads' or 'local', not {ask!r}")
    return Quiz(root, ask)


# ---------------------------------------------------------------- generated graphs


@dataclass(frozen=True)
class _Level:
    sizes: tuple[int, int]  # values (leaves and op results; constants not counted)
    unary: tuple[str, ...]  # the one-input ops it may use
    reused_leaf: bool  # exactly one leaf used twice or more
    reused_node: bool  # at least one op result used twice or more


_LEVELS = {
    1: _Level((4, 6), (), False, False),
    2: _Level((5, 8), ("**2", "**3", "exp", "tanh", "relu"), True, False),
    3: _Level((6, 12), ("**2", "**3", "exp", "tanh", "relu"), False, True),
}
_LEAF_NAMES = "abcdefgh"
_NODE_NAMES = ("u", "v", "w", "p", "q", "r", "s", "t", "m", "n", "k", "z")
_BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
}


def _friendly(x: float) -> bool:
    """An integer or a number with at most 3 decimals, small enough to work with by hand.
    Generated graphs use binary fractions (halves, quarters), so this holds exactly."""
    return math.isfinite(x) and abs(x) <= 999 and round(x, 3) == x


def _leaf_data(rng: random.Random, level: int) -> float:
    if level == 1:
        return float(rng.choice([-3, -2, -1, 1, 2, 3, 4, 5]))
    return rng.choice([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0])


def _apply_unary(op: str, x: Value) -> Value:
    if op.startswith("**"):
        return x ** int(op[2:])
    result: Value = getattr(x, op)()
    return result


def _attempt(rng: random.Random, level: int) -> Value:
    """One random graph at ``level``; ``_valid`` says whether it meets the level's rules."""
    spec = _LEVELS[level]
    n_leaves = rng.randint(2, 3) if level < 3 else rng.randint(2, 5)
    leaves = [Value(_leaf_data(rng, level)) for _ in range(n_leaves)]
    unused = list(leaves)  # values nothing uses yet
    made: list[Value] = []
    reuse_left = 1 if (spec.reused_leaf or spec.reused_node) else 0
    unary_left = (rng.randint(1, 2) if level == 2 else rng.randint(0, 3)) if spec.unary else 0
    while len(unused) > 1 or reuse_left or unary_left:
        if unary_left and (rng.random() < 0.4 or (len(unused) == 1 and not reuse_left)):
            zeros = [v for v in unused if v.data == 0.0]
            x = rng.choice(zeros if zeros and rng.random() < 0.7 else unused)
            # exp and tanh only where their value is exact: at 0 (e**0 = 1, tanh 0 = 0)
            if x.data == 0.0 and rng.random() < 0.7:
                choices = ["exp", "tanh"]
            else:
                choices = [op for op in spec.unary if op not in ("exp", "tanh")]
            node = _apply_unary(rng.choice(choices), x)
            unused[unused.index(x)] = node
            unary_left -= 1
        elif reuse_left and len(unused) >= 1:
            pool = leaves if spec.reused_leaf else made
            used = [v for v in pool if v not in unused]
            if not used:
                if len(unused) == 1 and not made:
                    return leaves[0]  # nothing to reuse yet and nothing left to combine
                if len(unused) == 1:
                    unary_left = max(unary_left, 1)
                    reuse_left = 0
                    continue
                x, y = rng.sample(unused, 2)
                node = _BINARY[rng.choice("+-*")](x, y)
                unused.remove(x)
                unused[unused.index(y)] = node
                made.append(node)
                continue
            x, y = rng.choice(unused), rng.choice(used)
            if rng.random() < 0.5:
                x, y = y, x
            node = _BINARY[rng.choice("+-*")](x, y)
            unused[unused.index(x if x in unused else y)] = node
            made.append(node)
            reuse_left -= 1
        elif len(unused) > 1:
            x, y = rng.sample(unused, 2)
            node = _BINARY[rng.choice("+-*")](x, y)
            unused.remove(x)
            unused[unused.index(y)] = node
            made.append(node)
        else:
            break
    root = unused[0]
    if level == 1 and (len(made) < 2 or rng.random() < 0.5):
        root = float(rng.choice([2, 3, -1])) * root  # the lecture's J = 3·v
    return root


def _uses(order: Sequence[Value]) -> dict[Value, int]:
    count: dict[Value, int] = dict.fromkeys(order, 0)
    for v in order:
        for p in v.parents:
            count[p] += 1
    return count


def _valid(root: Value, level: int) -> bool:
    spec = _LEVELS[level]
    order = topological_order(root)
    values = [v for v in order if not isinstance(v, Constant)]
    if not spec.sizes[0] <= len(values) <= spec.sizes[1]:
        return False
    uses = _uses(order)
    leaves_reused = sum(1 for v in values if not v.parents and uses[v] > 1)
    nodes_reused = sum(1 for v in values if v.parents and uses[v] > 1)
    if spec.reused_leaf and leaves_reused != 1:
        return False
    if spec.reused_node and nodes_reused < 1:
        return False
    if not spec.reused_leaf and not spec.reused_node and (leaves_reused or nodes_reused):
        return False
    ops = {v.op for v in values if v.parents}
    if level == 1 and not ops <= {"+", "-", "*"}:
        return False
    if level == 2 and not ops & set(spec.unary):
        return False
    if any(v.op in ("exp", "tanh") and v.parents[0].data != 0.0 for v in values):
        return False
    grads: dict[Value, float] = {root: 1.0}
    for step in backward_steps(root):
        for c in step.contributions:
            grads[c.parent] = grads.get(c.parent, 0.0) + c.product
    if not all(_friendly(v.data) and _friendly(grads.get(v, 0.0)) for v in values):
        return False
    return len({v.data for v in values if not v.parents}) > 1 or len(values) > 4


def generate(level: int = 1, seed: int = 0) -> Value:
    """A small graph to practise backprop on by hand, the same for the same ``(level, seed)``.

    - level 1: 4 to 6 values, ``+ - *`` (and a number times the result, as in J = 3·v);
    - level 2: 5 to 8 values, also ``**2``, ``**3``, ``exp``, ``tanh``, ``relu`` (at least one),
      and exactly one leaf used twice;
    - level 3: 6 to 12 values with the same ops and a computed value used twice.

    Every value and every gradient is an integer or has at most 3 decimals (``exp`` and
    ``tanh`` only ever see 0). Leaves are labelled ``a, b, ...``, results ``u, v, ...``, the
    root ``L``.

    Args:
        level: 1, 2 or 3.
        seed: any int.

    Returns:
        The root of the graph (``backward()`` not called).

    Raises:
        TypeError: ``level`` or ``seed`` is not an int.
        ValueError: ``level`` is not 1, 2 or 3.

    Examples:
        >>> root = generate(level=1, seed=0)
        >>> root
        Value(data=14.0, grad=0.0, label='L')
        >>> generate(level=1, seed=0).data == root.data  # the same seed, the same graph
        True
        >>> q = quiz(root)  # then q.show(), q.answer(...), q.check()
    """
    for name, x in (("level", level), ("seed", seed)):
        if isinstance(x, bool) or not isinstance(x, numbers.Integral):
            raise TypeError(f"{name} must be an int, not {type(x).__name__}")
    if level not in _LEVELS:
        raise ValueError(f"level must be 1, 2 or 3, not {level}")
    rng = random.Random(f"chaingrad practice {int(level)} {int(seed)}")
    while True:  # draws until one meets the level's rules (a handful of draws, typically)
        root = _attempt(rng, int(level))
        if _valid(root, int(level)):
            break
    leaves, nodes = iter(_LEAF_NAMES), iter(_NODE_NAMES)
    for v in topological_order(root):
        if v is root:
            v.label = "L"
        elif not isinstance(v, Constant):
            v.label = next(nodes) if v.parents else next(leaves)
    return root


# ---------------------------------------------------------------- the lecture's exercises


def _computation_graph() -> Value:
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    u = b * c
    u.label = "u"
    v = a + u
    v.label = "v"
    J = 3 * v
    J.label = "J"
    return J


def _sigmoid() -> Value:
    x, w1, b1 = Value(3.0, label="x"), Value(0.5, label="w1"), Value(-1.0, label="b1")
    w1x = w1 * x
    w1x.label = "w1x"
    z = w1x + b1
    z.label = "z"
    y = z.sigmoid()
    y.label = "y"
    return y


_ETA = 0.5
_WEIGHTS = {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30}
_WEIGHTS_OUT = {"w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55}


def _network_2_2_2() -> Value:
    def leaf(name: str, x: float) -> Value:
        return Value(x, label=name)

    i1, i2 = leaf("i1", 0.05), leaf("i2", 0.10)
    w = {k: leaf(k, x) for k, x in (_WEIGHTS | _WEIGHTS_OUT).items()}
    b1, b2 = leaf("b1", 0.35), leaf("b2", 0.60)

    def named(v: Value, name: str) -> Value:
        v.label = name
        return v

    net_h1 = named(dot([w["w1"], w["w2"]], [i1, i2], b1), "net_h1")
    net_h2 = named(dot([w["w3"], w["w4"]], [i1, i2], b1), "net_h2")
    out_h1 = named(net_h1.sigmoid(), "out_h1")
    out_h2 = named(net_h2.sigmoid(), "out_h2")
    net_o1 = named(dot([w["w5"], w["w6"]], [out_h1, out_h2], b2), "net_o1")
    net_o2 = named(dot([w["w7"], w["w8"]], [out_h1, out_h2], b2), "net_o2")
    out_o1 = named(net_o1.sigmoid(), "out_o1")
    out_o2 = named(net_o2.sigmoid(), "out_o2")
    err_o1 = named(0.01 - out_o1, "err_o1")
    err_o2 = named(0.99 - out_o2, "err_o2")
    E_o1 = named(0.5 * err_o1**2, "E_o1")
    E_o2 = named(0.5 * err_o2**2, "E_o2")
    return named(E_o1 + E_o2, "E_total")


def _updated_weights() -> str:
    root = _network_2_2_2()
    root.backward()
    leaves = {v.label: v for v in topological_order(root) if not v.parents}
    return "\n".join(
        f"  {k}+ = {k} − η·dE/d{k} = {leaves[k].data:g} − {_ETA:g}·dE/d{k} "
        f"= {leaves[k].data - _ETA * leaves[k].grad:.9f}"
        for k in [*_WEIGHTS_OUT, *_WEIGHTS]
    )


_LECTURES: dict[str, tuple[Callable[[], Value], Callable[[], str]]] = {
    "computation_graph": (
        _computation_graph,
        lambda: (
            "The computation graph of the lecture: u = b·c, v = a + u, J = 3v at a = 5, b = 3, "
            "c = 2 (J = 33). Find dJ/dv, dJ/du, dJ/da, dJ/db and dJ/dc by the chain rule,\n"
            "e.g. dJ/db = dJ/dv · dv/du · du/db."
        ),
    ),
    "sigmoid": (
        _sigmoid,
        lambda: (
            "A sigmoid on a linear unit: z = w1·x + b1, y = h(z) with h the sigmoid, at x = 3, "
            "w1 = 0.5, b1 = -1.\nWith h'(z) = h(z)·(1 − h(z)): dy/dw1 = dy/dz · dz/dw1 = "
            "h(z)(1 − h(z))·x and dy/db1 = h(z)(1 − h(z))."
        ),
    ),
    "network_2_2_2": (
        _network_2_2_2,
        lambda: (
            "The fully worked 2-2-2 network: inputs i1 = 0.05, i2 = 0.10; hidden "
            "net_h = w·i + b1 (b1 = 0.35 shared), out_h = sigmoid(net_h); outputs "
            "net_o = w·out_h + b2 (b2 = 0.60 shared), out_o = sigmoid(net_o); targets 0.01 and "
            "0.99;\nE_total = ½(0.01 − out_o1)² + ½(0.99 − out_o2)². Do one backward step, then "
            "update each weight with η = 0.5 (the biases stay).\nThe updated weights (w5..w8 "
            "use the old weights' gradients, like w1..w4):\n" + _updated_weights()
        ),
    ),
}


def _lecture_entry(name: object) -> tuple[Callable[[], Value], Callable[[], str]]:
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, not {type(name).__name__}")
    if name not in _LECTURES:
        raise ValueError(f"no lecture exercise {name!r}; there are: {', '.join(_LECTURES)}")
    return _LECTURES[name]


def lecture(name: str) -> Value:
    """One of the lecture notes' exercises as a graph, with the notes' numbers, for ``quiz``.

    - ``"computation_graph"``: J = 3(a + b·c) at a = 5, b = 3, c = 2;
    - ``"sigmoid"``: y = sigmoid(w1·x + b1) at x = 3, w1 = 0.5, b1 = -1;
    - ``"network_2_2_2"``: the 2-2-2 sigmoid network's squared error E_total at i1 = .05,
      i2 = .10 (the weights and biases of the notes, ``lecture_text`` has them).

    Args:
        name: one of the names above.

    Returns:
        A new graph's root (a fresh graph at each call).

    Raises:
        TypeError: ``name`` is not a str.
        ValueError: no exercise has that name.

    Examples:
        >>> J = lecture("computation_graph")
        >>> J
        Value(data=33.0, grad=0.0, label='J')
        >>> J.backward()
        >>> [(v.label, v.grad) for v in J.parents[1].parents]
        [('a', 3.0), ('u', 3.0)]
    """
    return _lecture_entry(name)[0]()


def lecture_text(name: str) -> str:
    """The exercise of ``lecture(name)`` as the notes pose it (for ``"network_2_2_2"``, with
    its updated weights at η = 0.5, computed by the engine, to check a hand update against).

    Args:
        name: as for ``lecture``.

    Returns:
        The text.

    Raises:
        TypeError: ``name`` is not a str.
        ValueError: no exercise has that name.

    Examples:
        >>> print(lecture_text("computation_graph"))
        The computation graph of the lecture: u = b·c, v = a + u, J = 3v at a = 5, b = 3, c = 2
        (J = 33). Find dJ/dv, dJ/du, dJ/da, dJ/db and dJ/dc by the chain rule,
        e.g. dJ/db = dJ/dv · dv/du · du/db.
    """
    return _lecture_entry(name)[1]()
