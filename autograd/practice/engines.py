"""The checks of a learner's own code, and ``Report``, what every check of practice mode
(``autograd.practice``) returns.

``check_rule(op, fn)`` compares a learner's local derivative with the engine's rule (below).
``check_backward(cls)``: a learner's own micrograd-style value class, run beside chaingrad.

Each graph below is built twice by the same code, once from the learner's class and once from
chaingrad's ``Value``; both run ``backward()`` and every value's data and gradient are compared
(to a relative 1e-9: the learner's engine may add in another order). The graphs are the ones
that break homemade backward passes, smallest first, each with what it catches:

- a value used twice by one op (``a + a``, ``a * a``) or by two ops: ``=`` instead of ``+=``;
- two steps, ``y = a**2 · b``: a post-order processed without reversing it;
- the lecture's J = 3(a + b·c) and ``(a − b)**3 · a``: the rules together;
- ``b = a + a; c = b + b`` and a diamond: recursion from the output into the inputs with no
  topological order (a value is handled before all its users have added their share);
- ``tanh``, ``relu``, ``exp``, where the class has them: their rules;
- ``backward()`` twice: what the second call does (``twice``, below);
- a chain of 1,500 values: a recursive topological sort or backward, past Python's recursion
  limit (run with about 1,000 frames to spare, CPython's default).

``twice="pytorch"`` (the default) expects what PyTorch and chaingrad do: each call starts the
interior values' gradients afresh and the leaves accumulate, so a second call doubles every
leaf gradient. micrograd resets nothing (its users zero the gradients between steps), so a
second call adds the stale interior gradients in again: ``twice="micrograd"`` checks exactly
that behaviour instead, and ``twice=None`` skips the check.
"""

from __future__ import annotations

import html
import math
import random
import sys
import textwrap
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from autograd.core import Value, topological_order
from autograd.display import backward_steps, local_grads
from autograd.display.answers import as_number
from autograd.testing.catalogue import OPS, Op

__all__ = ["Report", "check_backward", "check_rule"]


@dataclass(frozen=True)
class Report:
    """What a check found: ``str(report)`` is its text, a notebook shows it in colour.

    ``ok`` is True when everything asked was right; ``assert_ok()`` raises ``AssertionError``
    with the text otherwise. ``player`` is the player page of the right answer where there is
    one (``check_backward``'s smallest failing graph).

    Attributes:
        text: the report, one line per finding.
        ok: True when everything asked was right.
        player: the player page of the right answer, or None.

    Examples:
        >>> import math
        >>> from autograd.practice import check_rule
        >>> report = check_rule("tanh", lambda x: 1 - math.tanh(x) ** 2)
        >>> report.ok
        True
        >>> report
        check_rule('tanh'): your derivative agrees with the engine's at 20 points.
        >>> report.assert_ok()  # nothing to raise
    """

    text: str
    ok: bool
    player: Any = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text  # what a REPL or a notebook's plain view shows: the report itself

    def assert_ok(self) -> None:
        """Raise ``AssertionError`` with the report's text unless everything was right.

        Raises:
            AssertionError: something asked was wrong or missing.
        """
        if not self.ok:
            raise AssertionError(self.text)

    def _repr_html_(self) -> str:
        colours = {"✓": "#1a7f37", "✗": "#cf222e", "?": "#9a6700"}
        lines = []
        for line in self.text.split("\n"):
            mark = line.strip()[:1]
            escaped = html.escape(line)
            if mark in colours:
                escaped = f'<span style="color:{colours[mark]}">{escaped}</span>'
            lines.append(escaped)
        page = (
            '<pre class="chaingrad-practice" style="white-space:pre-wrap">'
            + "\n".join(lines)
            + "</pre>"
        )
        if self.player is not None:
            page += self.player._repr_html_()
        return page


Nodes = list[tuple[str, Any]]  # (name, node) in the order they were made; the root last
DEEP = 1500  # the chain's length: past CPython's default recursion limit of 1,000
_TOLERANCE = 1e-9
_PLAYER_LIMIT = 100  # no player page for graphs larger than this (the chain)


@dataclass(frozen=True)
class Case:
    """One graph of ``check_backward``: its name, what it catches, how to build it from a
    class, the methods it needs beyond ``+ - * **``, and whether ``backward()`` runs twice."""

    name: str
    catches: str
    build: Callable[[Any], Nodes]
    needs: tuple[str, ...] = ()
    twice: bool = False


def _a_plus_a(V: Any) -> Nodes:
    a = V(3.0)
    return [("a", a), ("b", a + a)]


def _a_times_a(V: Any) -> Nodes:
    a = V(3.0)
    return [("a", a), ("b", a * a)]


def _two_steps(V: Any) -> Nodes:
    a, b = V(3.0), V(-2.0)
    u = a**2
    return [("a", a), ("b", b), ("u", u), ("y", u * b)]


def _two_ops(V: Any) -> Nodes:
    a, b = V(2.0), V(-4.0)
    c = a * b
    return [("a", a), ("b", b), ("c", c), ("d", c + a)]


def _lecture(V: Any) -> Nodes:
    a, b, c, k = V(5.0), V(3.0), V(2.0), V(3.0)
    u = b * c
    v = a + u
    return [("a", a), ("b", b), ("c", c), ("k", k), ("u", u), ("v", v), ("J", k * v)]


def _sub_pow(V: Any) -> Nodes:
    a, b = V(1.5), V(4.0)
    d = a - b
    e = d**3
    return [("a", a), ("b", b), ("d", d), ("e", e), ("f", e * a)]


def _reused_sum(V: Any) -> Nodes:
    a = V(1.0)
    b = a + a
    return [("a", a), ("b", b), ("c", b + b)]


def _diamond(V: Any) -> Nodes:
    x, y = V(2.0), V(-3.0)
    h = x * y
    p = h + x
    q = h * y
    return [("x", x), ("y", y), ("h", h), ("p", p), ("q", q), ("out", p * q)]


def _tanh(V: Any) -> Nodes:
    a, b, c = V(0.5), V(-1.5), V(0.25)
    n = a * b + c
    return [("a", a), ("b", b), ("c", c), ("n", n), ("t", n.tanh())]


def _relu(V: Any) -> Nodes:
    a, b = V(-2.0), V(3.0)
    ra, rb = a.relu(), b.relu()
    return [("a", a), ("b", b), ("ra", ra), ("rb", rb), ("y", ra * b + rb * a)]


def _exp(V: Any) -> Nodes:
    a = V(0.5)
    e = a.exp()
    return [("a", a), ("e", e), ("y", e * a)]


def _chain(V: Any) -> Nodes:
    x, k = V(0.5), V(1.0)
    v = x
    for _ in range(DEEP):
        v = v + k
    return [("x", x), ("k", k), ("end", v)]


_TWICE_BY_ONE = "a value used twice by one op: its gradient adds both (+=, not =)"
CASES: tuple[Case, ...] = (
    Case(
        "b = a + a", "a value used twice by one op: its gradient adds both (+=, not =)", _a_plus_a
    ),
    Case(
        "b = a * a", "a value used twice by one op: its gradient adds both (+=, not =)", _a_times_a
    ),
    Case(
        "y = a**2 · b",
        "two steps: the output hands on its gradient first, then u (the topological order, "
        "reversed)",
        _two_steps,
    ),
    Case(
        "d = a·b + a",
        "a value used by two ops: each adds its share to the gradient (+=, not =)",
        _two_ops,
    ),
    Case(
        "J = k·(a + b·c)",
        "the lecture's graph: the rules of + and * together",
        _lecture,
    ),
    Case("f = (a − b)**3 · a", "the rules of -, ** and * together", _sub_pow),
    Case(
        "b = a + a; c = b + b",
        "a computed value used twice: it must hand on its gradient once, after both uses "
        "(a topological order, not recursion from the output)",
        _reused_sum,
    ),
    Case(
        "out = (x·y + x)·(x·y·y)",
        "a computed value used by two ops: it must wait for both before handing on its gradient "
        "(a topological order, not recursion from the output)",
        _diamond,
    ),
    Case("t = tanh(a·b + c)", "tanh's rule", _tanh, needs=("tanh",)),
    Case("y = relu(a)·b + relu(b)·a", "relu's rule on both sides of 0", _relu, needs=("relu",)),
    Case("y = exp(a)·a", "exp's rule", _exp, needs=("exp",)),
    Case(
        "J = k·(a + b·c), backward() twice",
        "what a second backward() does to the gradients",
        _lecture,
        twice=True,
    ),
    Case(
        f"a chain of {DEEP:,} additions",
        "a graph deeper than Python's recursion limit: build the topological order with an "
        "explicit stack, not recursion",
        _chain,
    ),
)


def _stack_depth() -> int:
    return sum(1 for _ in traceback.walk_stack(None))


@contextmanager
def _default_recursion() -> Iterator[None]:
    """About 1,000 frames to spare, as a fresh CPython script has (the limit is only ever
    lowered here, and put back after)."""
    old = sys.getrecursionlimit()
    new = _stack_depth() + 1000
    if new < old:
        sys.setrecursionlimit(new)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def _twice_micrograd(root: Value, first: dict[Value, float]) -> dict[Value, float]:
    """The gradients micrograd leaves after a second ``backward()``: the root's set to 1, every
    other value adds this pass's shares to what the first pass left (nothing is reset)."""
    grads = dict(first)
    grads[root] = 1.0
    for step in backward_steps(root):  # reverse topological order: users before inputs
        g = grads[step.node]
        for c in step.contributions:
            grads[c.parent] = grads[c.parent] + g * c.local
    return grads


@dataclass
class _Result:
    case: Case
    failure: str = ""  # why it failed, "" if right
    rows: tuple[tuple[str, str, str, bool], ...] = ()  # (name, expected, got, ok)
    right: Value | None = None  # chaingrad's root, for the player


def _close(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=_TOLERANCE, abs_tol=1e-12)


def _run(cls: type, case: Case, twice: Literal["pytorch", "micrograd"] | None) -> _Result:
    ref = case.build(Value)
    for name, v in ref:
        v.label = name
    root = ref[-1][1]
    root.backward()
    expected = {name: (v.data, v.grad) for name, v in ref}
    leaves = {name for name, v in ref if not v.parents}
    check_names = [name for name, _ in ref]
    if case.twice:
        if twice == "pytorch":
            root.backward()
            expected = {name: (v.data, v.grad) for name, v in ref}
            check_names = [name for name in check_names if name in leaves]
        else:
            first = {v: v.grad for _, v in ref}
            second = _twice_micrograd(root, first)
            expected = {name: (v.data, second[v]) for name, v in ref}
    try:
        with _default_recursion():
            mine = case.build(cls)
            mine[-1][1].backward()
            if case.twice:
                mine[-1][1].backward()
    except RecursionError:
        why = "backward() went past Python's recursion limit (RecursionError)"
        return _Result(case, why, right=root)
    except Exception as e:  # the learner's code: any failure is a finding
        where = traceback.extract_tb(e.__traceback__)[-1]
        return _Result(
            case, f"{type(e).__name__}: {e} (line {where.lineno} of {where.name})", right=root
        )
    rows = []
    bad = ""
    for name, node in mine:
        if name not in check_names:
            continue
        data, grad = expected[name]
        try:
            got_data, got_grad = float(node.data), float(node.grad)
        except (AttributeError, TypeError, ValueError) as e:
            return _Result(case, f"reading .data and .grad of {name}: {e}", right=root)
        if not _close(got_data, data):
            bad = bad or f"the forward value of {name} is {got_data:g}, not {data:g}"
        ok = _close(got_grad, grad)
        rows.append((name, f"{grad:.6g}", f"{got_grad:.6g}", ok))
    if not bad and not all(r[3] for r in rows):
        bad = "your gradients differ from chaingrad's where marked ✗ below"
    return _Result(case, bad, tuple(rows), root)


def _table(rows: tuple[tuple[str, str, str, bool], ...], root_name: str) -> list[str]:
    head = ("value", f"expected d{root_name}/d(value)", "yours")
    width = [max(len(r[k]) for r in [*(row[:3] for row in rows), head]) for k in range(3)]
    lines = ["      " + "  ".join(h.ljust(w) for h, w in zip(head, width)).rstrip()]
    for name, exp, got, ok in rows:
        cells = (name, exp, got)
        line = "  ".join(c.ljust(w) for c, w in zip(cells, width)).rstrip()
        lines.append(f"    {'✓' if ok else '✗'} {line}")
    return lines


def check_backward(
    cls: type, *, twice: Literal["pytorch", "micrograd"] | None = "pytorch", strict: bool = True
) -> Report:
    """Run a learner's value class beside chaingrad on graphs that break homemade backward
    passes, and report the smallest one it gets wrong.

    ``cls(x)`` must make a leaf from a float; its values need ``+ - *``, ``**`` with a number
    exponent, ``.data``, ``.grad`` and ``.backward()``; the graphs with ``tanh``, ``relu`` or
    ``exp`` run if it has them (the report lists those skipped).

    Args:
        cls: the learner's class (chaingrad's ``Value`` passes).
        twice: what a second ``backward()`` should do: ``"pytorch"`` (leaf gradients double),
            ``"micrograd"`` (nothing is reset), or None to skip that graph.
        strict: raise if a graph fails (else return the report).

    Returns:
        The report: each graph ✓ or ✗; for the smallest failing one, what it catches, the
        expected and obtained gradients, and (``report.player``) the player page of the right
        answer.

    Raises:
        AssertionError: ``strict`` and a graph fails (the report's text is the message).
        TypeError: ``cls`` is not a class.
        ValueError: ``twice`` is not one of the above.

    Examples:
        >>> from autograd import Value
        >>> report = check_backward(Value)
        >>> print(report.text)  # doctest: +ELLIPSIS
        check_backward(Value): 13 of 13 graphs right.
        <BLANKLINE>
          ✓ b = a + a
          ✓ b = a * a
        ...
          ✓ a chain of 1,500 additions
    """
    if not isinstance(cls, type):
        raise TypeError(f"cls must be a class, not {type(cls).__name__}")
    if twice not in ("pytorch", "micrograd", None):
        raise ValueError(f"twice must be 'pytorch', 'micrograd' or None, not {twice!r}")
    lines: list[str] = []
    skipped: list[str] = []
    first: _Result | None = None
    passed = run = 0
    for case in CASES:
        missing = [m for m in case.needs if not callable(getattr(cls, m, None))]
        if missing or (case.twice and twice is None):
            skipped.append(case.name)
            why = f"no {', '.join(missing)}" if missing else "twice=None"
            lines.append(f"  - {case.name}  (skipped: {why})")
            continue
        run += 1
        result = _run(cls, case, twice)
        if not result.failure:
            passed += 1
            lines.append(f"  ✓ {case.name}")
            continue
        lines.append(f"  ✗ {case.name}" + ("   ← smallest failing graph" if first is None else ""))
        first = first or result
    title = f"check_backward({cls.__name__}): {passed} of {run} graphs right"
    title += f", {len(skipped)} skipped." if skipped else "."
    text = [title, "", *lines]
    player = None
    if first is not None:
        inputs = ", ".join(
            f"{v.label} = {v.data:g}"
            for v in (topological_order(first.right) if first.right is not None else [])
            if not v.parents
        )
        text += ["", f"Smallest failing graph: {first.case.name}, at {inputs}"]
        text += _wrapped(f"It checks {first.case.catches}.")
        text += _wrapped(f"What went wrong: {first.failure}.")
        if first.case.twice:
            text += _twice_note(twice)
        if first.rows:
            root_name = first.right.label if first.right is not None else "out"
            text += _table(first.rows, root_name)
        right = first.right
        if right is not None and len(topological_order(right)) <= _PLAYER_LIMIT:
            from autograd.display import player as make_player

            player = make_player(right)
            text += _wrapped(
                "The right backward pass, step by step: report.player (shown below in a "
                'notebook; report.player.save("right.html") writes it).'
            )
    report = Report("\n".join(text), first is None, player)
    if strict:
        report.assert_ok()
    return report


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, width=92, initial_indent="  ", subsequent_indent="  ")


def _twice_note(twice: Literal["pytorch", "micrograd"] | None) -> list[str]:
    if twice == "pytorch":
        return [
            "  Expected as in PyTorch (and chaingrad): each backward() starts the interior",
            "  gradients afresh and the leaves accumulate, so a second call doubles each leaf's",
            "  gradient. micrograd resets nothing, so this fails for it: if your class follows",
            "  micrograd on purpose, pass twice='micrograd' to check that, or twice=None.",
        ]
    return [
        "  Expected as in micrograd: nothing is reset, so the second call adds each interior",
        "  value's stale gradient in again. For PyTorch's behaviour pass twice='pytorch'.",
    ]


# ---------------------------------------------------------------- a learner's local derivative

_EDGE = 5.0  # interval ends nearer to 0 than this are the op's edges; farther ones are cut-offs
_NEAR = 1e-3  # how far beside an edge the points next to it lie
_RULE_TOLERANCE = 1e-7  # relative: the learner's formula may round differently from the rule's


def _find_op(op: object) -> Op:
    if isinstance(op, Op):
        return op
    if not isinstance(op, str):
        raise TypeError(f"op must be an op's name (a str), not {type(op).__name__}")
    for entry in OPS:
        if op == entry.name:
            return entry
    for entry in OPS:
        if op == entry.op:
            return entry
    names = ", ".join(dict.fromkeys(e.op for e in OPS))
    raise ValueError(f"unknown op {op!r}; check_rule knows: {names}")


def _inside(entry: Op, k: int, x: float) -> bool:
    return any(lo < x < hi for lo, hi in entry.domain[k])


def _rule_points(entry: Op, rng: random.Random, n: int) -> list[tuple[tuple[float, ...], str]]:
    """``n`` random points in the op's smooth domain (within ±5, 3 decimals), then its edge
    points (each interval end within ±5, and the points ``_NEAR`` beside it inside the domain);
    each with what it is ("random" or "edge")."""
    points: list[tuple[tuple[float, ...], str]] = []
    tries = 0
    while len(points) < n and tries < 100 * n:
        tries += 1
        xs = []
        for intervals in entry.domain:
            usable = [(max(lo, -_EDGE), min(hi, _EDGE)) for lo, hi in intervals]
            usable = [(lo, hi) for lo, hi in usable if hi - lo > 0.1]
            lo, hi = rng.choice(usable)
            xs.append(round(rng.uniform(lo + 0.05, hi - 0.05), 3))
        if entry.admits(*xs, margin=0.01):
            points.append((tuple(xs), "random"))
    base = points[0][0] if points else tuple(0.5 for _ in entry.domain)
    for k, intervals in enumerate(entry.domain):
        ends = sorted({e for lo, hi in intervals for e in (lo, hi) if abs(e) <= _EDGE})
        for e in ends:
            for x in (e - _NEAR, e, e + _NEAR):
                if x == e or _inside(entry, k, x):
                    xs = list(base)
                    xs[k] = x
                    points.append((tuple(xs), "edge"))
    return points


def _learner_value(fn: Callable[..., Any], xs: tuple[float, ...], arity: int) -> Any:
    """What ``fn`` gives at ``xs`` as a tuple of floats, or the text of what went wrong."""
    try:
        got = fn(*xs)
    except Exception as e:  # the learner's code: any failure is a finding, not a crash
        return f"raised {type(e).__name__}"
    values = got if arity > 1 else (got,)
    if not isinstance(values, (tuple, list)) or len(values) != arity:
        return f"returned {got!r}" if arity == 1 else f"returned {got!r}, not {arity} numbers"
    try:
        return tuple(as_number(v, "result") for v in values)
    except TypeError:
        return f"returned {got!r}"


def _same_number(x: float, y: float) -> bool:
    if x != x or y != y:
        return x != x and y != y
    return math.isclose(x, y, rel_tol=_RULE_TOLERANCE, abs_tol=1e-12)


def check_rule(
    op: str | Op, fn: Callable[..., Any], *, points: int = 20, seed: int = 0, strict: bool = True
) -> Report:
    """Check a learner's local derivative of ``op`` against the engine's rule.

    ``fn`` takes the op's inputs as floats and returns ∂op/∂input: one number for an op of one
    input (``check_rule("tanh", lambda x: 1 - math.tanh(x)**2)``), a pair for an op of two
    (``check_rule("*", lambda x, y: (y, x))``). It is compared at ``points`` random points of
    the op's smooth domain and at its edges (kinks, poles, domain ends, from
    ``autograd.testing.OPS``) and just beside them, with a relative tolerance of 1e-7. At an
    edge the engine takes PyTorch's convention (relu's derivative at 0 is 0); points where the
    engine's value is not finite are skipped.

    Args:
        op: the op's name in ``autograd.testing.OPS`` (``"x * y"``, ``"tanh"``) or its tag as
            ``Value.op`` shows it (``"*"``, ``"**2"``), or an ``Op``.
        fn: the learner's derivative.
        points: how many random points.
        seed: the random points' seed.
        strict: raise on a mismatch (else return the report).

    Returns:
        The report.

    Raises:
        AssertionError: ``strict`` and the derivatives differ; the message shows the first
            points where they do.
        TypeError: ``op`` is not a str or ``Op``, or ``fn`` is not callable.
        ValueError: unknown op, or ``points`` < 1.

    Examples:
        >>> import math
        >>> check_rule("tanh", lambda x: 1 - math.tanh(x) ** 2).ok
        True
        >>> report = check_rule("*", lambda x, y: (x, y), strict=False)  # swapped
        >>> report.ok
        False
        >>> print(report.text)  # doctest: +ELLIPSIS
        check_rule('x * y'): your derivative differs from the engine's at 20 of 20 points; ...
    """
    entry = _find_op(op)
    if not callable(fn):
        raise TypeError(f"fn must be a function, not {type(fn).__name__}")
    if isinstance(points, bool) or not isinstance(points, int) or points < 1:
        raise ValueError(f"points must be a positive int, not {points!r}")
    rng = random.Random(seed)
    names = ("x", "y")[: entry.arity]
    checked = edges = 0
    bad: list[str] = []
    for xs, kind in _rule_points(entry, rng, points):
        engine = local_grads(entry.fn(*[Value(x) for x in xs]))
        if not all(math.isfinite(e) for e in engine):
            continue
        checked += 1
        edges += kind == "edge"
        got = _learner_value(fn, xs, entry.arity)
        if isinstance(got, tuple) and all(map(_same_number, got, engine)):
            continue
        where = ", ".join(f"{n} = {x:g}" for n, x in zip(names, xs))
        yours = got if isinstance(got, str) else ", ".join(f"{g:.10g}" for g in got)
        mark = "  (an edge of the op)" if kind == "edge" else ""
        bad.append(
            f"  at {where}: yours {yours}, the engine's {', '.join(f'{e:.10g}' for e in engine)}"
            + mark
        )
    head = f"check_rule({entry.name!r}): "
    if bad:
        text = (
            head + f"your derivative differs from the engine's at {len(bad)} of {checked} "
            "points; the first ones:\n" + "\n".join(bad[:5])
        )
    else:
        where = f", {edges} of them at or beside its edges" if edges else ""
        text = head + f"your derivative agrees with the engine's at {checked} points{where}."
    report = Report(text, not bad)
    if strict:
        report.assert_ok()
    return report
