"""``assert_grads`` and ``check_grads``: derivative checks whose failures read like a diff.

Both compare the engine's derivatives (``autograd.grad``, the same rules every
backward pass runs) with central differences and raise ``GradcheckError`` (an
``AssertionError``, so pytest shows it as a failed assertion) with a small
table: one row per derivative, the engine's value, the numerical one, the
hand-computed one where given, the difference and the tolerance that would
have let it pass.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.core import ieee
from autograd.core.graph import topological_order
from autograd.core.node import rule_of
from autograd.core.value import Value
from autograd.functional import (
    GradcheckError,
    call_float,
    check_order,
    derivatives,
    float_tuple,
    floats,
    grad,
)
from autograd.testing.report import argument_names, failure_table, number, where

Expected = Sequence[float | None] | Mapping[str | int, float]


@dataclass(frozen=True)
class _Row:
    """One derivative: the engine's value against its references."""

    name: str
    engine: float
    numerical: float
    expected: float | None = None

    def _refs(self) -> list[float]:
        return [self.numerical] + ([] if self.expected is None else [self.expected])

    def ok(self, atol: float, rtol: float) -> bool:
        if not math.isfinite(self.engine):
            return False
        return all(
            math.isfinite(r) and abs(self.engine - r) <= atol + rtol * abs(r) for r in self._refs()
        )

    def difference(self) -> float:
        """engine - reference, for the reference it is furthest from."""
        return max((self.engine - r for r in self._refs()), key=lambda d: (abs(d), d == d))

    def would_pass(self, atol: float, rtol: float) -> str:
        """The smallest atol (keeping rtol) and rtol (keeping atol) that would pass."""
        if self.ok(atol, rtol):
            return "ok"
        if not (math.isfinite(self.engine) and all(map(math.isfinite, self._refs()))):
            return "none (not finite)"
        need_atol = max(abs(self.engine - r) - rtol * abs(r) for r in self._refs())
        rtols = [(abs(self.engine - r) - atol) / abs(r) if r else math.inf for r in self._refs()]
        need_rtol = max(rtols)
        text = f"atol={need_atol:.2g}"
        return text + (f" or rtol={need_rtol:.2g}" if math.isfinite(need_rtol) else "")


def _table(rows: Sequence[_Row], atol: float, rtol: float, header: str) -> str:
    titles = ("derivative", "engine", "numerical", "expected", "difference", "would pass with")
    return failure_table(
        header,
        titles,
        [
            (
                r.ok(atol, rtol),
                (
                    r.name,
                    number(r.engine),
                    number(r.numerical),
                    number(r.expected),
                    f"{r.difference():.3g}",
                    r.would_pass(atol, rtol),
                ),
            )
            for r in rows
        ],
        "derivatives",
        "disagree",
    )


def _same(a: float, b: float) -> bool:
    """Equal by ``==``, or both nan. (A zero's sign is not compared: a leaf's
    gradient starts at 0.0 and ``0.0 + -0.0`` is 0.0, where ``grad`` returns -0.0.)"""
    return a == b or (a != a and b != b)


def check_engine_paths(f: Callable[..., Any], point: Sequence[float], names: Sequence[str]) -> None:
    """What ``backward()`` runs agrees with what ``autograd.grad`` runs: ``f`` on
    fresh leaves, each node's data equal to its rule's ``forward`` of its
    inputs, and ``backward()``'s gradients (which take the n-ary ops'
    ``accumulate`` path) bit for bit those of ``autograd.grad``.

    Raises:
        GradcheckError: naming the op or the argument that differs.
    """
    __tracebackhide__ = True
    leaves = [Value(x) for x in point]
    out = f(*leaves)
    if not isinstance(out, Value):
        return  # a constant function: nothing was recorded
    for v in topological_order(out):
        rule = rule_of(v)
        if rule is None:
            continue
        again = rule.forward(*[p.data for p in v.parents])
        if not _same(v.data, again):
            raise GradcheckError(
                f"the {rule.op!r} node holds {v.data!r} but its rule's forward gives {again!r} "
                "from the same inputs: the op and its rule's forward disagree"
            )
    out.backward()
    by_grad = float_tuple(grad(f, tuple(range(len(point))))(*point))
    for name, leaf, g in zip(names, leaves, by_grad):
        if not _same(leaf.grad, g):
            raise GradcheckError(
                f"d/d{name}: backward() gives {leaf.grad!r} but autograd.grad gives {g!r}: an "
                "n-ary rule's accumulate and the rule itself disagree"
            )


def check_tolerances(atol: float, rtol: float) -> None:
    """atol and rtol must be finite numbers >= 0: nan or inf would accept anything."""
    ieee.nonnegative(atol, "atol")
    ieee.nonnegative(rtol, "rtol")


def _expected(expected: Expected | None, names: Sequence[str]) -> list[float | None]:
    if expected is None:
        return [None] * len(names)
    if isinstance(expected, Mapping):
        out: list[float | None] = [None] * len(names)
        given: dict[int, Any] = {}
        for key, value in expected.items():
            if isinstance(key, int) and not isinstance(key, bool) and 0 <= key < len(names):
                index = key
            elif key in names:
                index = names.index(key)
            else:
                index = -1
            if index in given:
                raise ValueError(
                    f"expected has two entries for argument {names[index]!r} "
                    f"({given[index]!r} and {key!r}): give one"
                )
            if index >= 0:
                given[index] = key
                out[index] = float(value)
            else:
                raise ValueError(
                    f"expected has a derivative for {key!r}, but the arguments are "
                    f"{', '.join(names)}"
                )
        return out
    if isinstance(expected, (str, bytes)) or not isinstance(expected, Sequence):
        raise TypeError(
            "expected must be a list (one derivative per argument) or a dict keyed by "
            f"label, not {type(expected).__name__}"
        )
    if len(expected) != len(names):
        raise ValueError(
            f"expected has {len(expected)} derivatives for {len(names)} arguments "
            f"({', '.join(names)})"
        )
    return [None if e is None else float(e) for e in expected]


def assert_grads(
    f: Callable[..., Any],
    *xs: Any,
    expected: Expected | None = None,
    order: int = 1,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
) -> None:
    """Check the engine's derivatives of ``f`` at ``xs`` against central differences
    and, when given, against ``expected`` (hand-computed first derivatives: a list
    with one per argument, None to skip one, or a dict keyed by argument name).

    Arguments are named by their label (for labelled Values), else by f's
    parameter names, else by position. ``order=2`` also checks every second
    derivative (the engine's derivative of its own first derivatives against
    central differences of them). It also checks that ``backward()`` on fresh
    leaves gives bit for bit ``autograd.grad``'s gradients and that each node
    holds its rule's ``forward`` of its inputs (``check_engine_paths``).
    Returns None; raises ``GradcheckError`` (an ``AssertionError``) with a
    table of the derivatives on failure, ``ValueError`` for an infinite or nan
    ``atol``/``rtol`` or two ``expected`` entries for one argument.

    Args:
        f: the function to check; it returns one Value.
        *xs: the point, one number (or Value, read as its data) per argument of ``f``.
        expected: hand-computed first derivatives, a list or a dict; None checks none.
        order: 1 for the first derivatives, 2 for the second derivatives too.
        eps: the central differences' step, a finite number > 0.
        atol: the absolute tolerance, >= 0.
        rtol: the relative tolerance, >= 0.

    Returns:
        None, when every derivative agrees.

    Raises:
        GradcheckError: a derivative disagrees (the message is the table), or the engine's own
            paths disagree.
        TypeError: an ``xs`` entry or a tolerance that is not a number, or ``expected`` neither
            a list nor a dict.
        ValueError: no ``xs``, ``order`` not 1 or 2, a tolerance or ``eps`` out of range, or
            ``expected`` of the wrong length, with an unknown name or two entries for one argument.

    Examples:
        >>> from autograd.testing import assert_grads
        >>> assert_grads(lambda x, y: x * y, 2.0, 5.0, expected=[5.0, 2.0], order=2)
    """
    __tracebackhide__ = True  # pytest shows the table, not this function
    check_order(order, "assert_grads")
    check_tolerances(atol, rtol)
    point = floats(xs)
    if not point:
        raise ValueError("assert_grads needs at least one argument")
    names = argument_names(f, xs)
    want = _expected(expected, names)
    check_engine_paths(f, point, names)
    rows: list[_Row] = []
    for i, engine, numerical in derivatives(f, point, order, eps):
        if i is None:  # the gradient
            rows += [_Row(n, e, d, w) for n, e, d, w in zip(names, engine, numerical, want)]
        else:  # the gradient of df/dx_i
            rows += [_Row(f"{names[i]}, {n}", e, d) for n, e, d in zip(names, engine, numerical)]
    if not all(r.ok(atol, rtol) for r in rows):
        fname = getattr(f, "__name__", "f")
        header = (
            f"derivatives of {fname} at {where(names, point)} "
            f"(eps={eps:g}, atol={atol:g}, rtol={rtol:g})"
        )
        raise GradcheckError(_table(rows, atol, rtol, header))


def _rng(rng: random.Random | int | None) -> random.Random:
    if rng is None:
        return random.Random(0)  # reproducible by default
    if isinstance(rng, random.Random):
        return rng
    if isinstance(rng, int) and not isinstance(rng, bool):
        return random.Random(rng)
    raise TypeError(f"rng must be a random.Random, an int seed or None, not {type(rng).__name__}")


def _unit(rng: random.Random, k: int) -> list[float]:
    while True:
        v = [rng.gauss(0.0, 1.0) for _ in range(k)]
        norm = math.sqrt(sum(c * c for c in v))
        if norm > 1e-3:
            return [c / norm for c in v]


def check_grads(
    f: Callable[..., Any],
    *xs: Any,
    order: int = 2,
    direction: str = "all",
    rng: random.Random | int | None = None,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
) -> None:
    """Check the derivatives of ``f`` at ``xs`` up to ``order`` (JAX/HIPS style).

    ``direction="all"`` checks every partial derivative (``assert_grads``);
    ``direction="random"`` checks one random direction ``u`` (and, at order 2, one
    more ``w``): the engine's ``∇f·u`` and ``uᵀ H w`` against central differences
    along ``u``, a handful of evaluations however many arguments ``f`` has. The
    directions come from ``rng`` (a ``random.Random``, a seed, or None for seed 0).

    Args:
        f: the function to check; it returns one Value.
        *xs: the point, one number (or Value, read as its data) per argument of ``f``.
        order: 1 for the first derivatives, 2 for the second derivatives too.
        direction: "all" checks every partial derivative, "random" one random direction.
        rng: a ``random.Random`` or a seed for the directions; None means seed 0.
        eps: the central differences' step, a finite number > 0.
        atol: the absolute tolerance, >= 0.
        rtol: the relative tolerance, >= 0.

    Returns:
        None, when every derivative agrees.

    Raises:
        GradcheckError: a derivative disagrees (the message is the table), or the engine's own
            paths disagree.
        TypeError: an ``xs`` entry or a tolerance that is not a number, or a bad ``rng``.
        ValueError: no ``xs``, ``order`` not 1 or 2, an unknown ``direction``, or a tolerance
            or ``eps`` out of range.

    Examples:
        >>> from autograd.testing import check_grads
        >>> check_grads(lambda x: x.tanh() * x, 0.3, order=2)
        >>> check_grads(lambda x, y: x * y.exp(), 0.3, -1.0, direction='random')
    """
    __tracebackhide__ = True  # pytest shows the table, not this function
    check_order(order, "check_grads")
    check_tolerances(atol, rtol)
    if direction == "all":
        assert_grads(f, *xs, order=order, eps=eps, atol=atol, rtol=rtol)
        return
    if direction != "random":
        raise ValueError(f'direction must be "all" or "random", not {direction!r}')
    point = floats(xs)
    if not point:
        raise ValueError("check_grads needs at least one argument")
    gen = _rng(rng)
    nums = tuple(range(len(point)))
    check_engine_paths(f, point, argument_names(f, xs))
    u = _unit(gen, len(point))

    def along(h: Callable[..., Any]) -> float:
        """Central difference of h along u."""
        up = [x + eps * c for x, c in zip(point, u)]
        down = [x - eps * c for x, c in zip(point, u)]
        return (call_float(h, up) - call_float(h, down)) / (2.0 * eps)

    def dot(a: Sequence[Any], b: Sequence[float]) -> Any:
        total: Any = 0.0
        for p, q in zip(a, b):
            total = total + p * q
        return total

    rows = [_Row("∇f·u", dot(grad(f, nums)(*point), u), along(f))]
    if order == 2:
        w = _unit(gen, len(point))

        def slope_along_w(*args: Any) -> Any:  # ∇f·w, differentiable again
            return dot(float_tuple(grad(f, nums)(*args)), w)

        rows.append(_Row("uᵀ·H·w", dot(grad(slope_along_w, nums)(*point), u), along(slope_along_w)))
    if not all(r.ok(atol, rtol) for r in rows):
        names = argument_names(f, xs)
        fname = getattr(f, "__name__", "f")
        shown = ", ".join(f"{c:.4g}" for c in u)
        header = (
            f"derivatives of {fname} at {where(names, point)} along u=({shown}) "
            f"(eps={eps:g}, atol={atol:g}, rtol={rtol:g})"
        )
        raise GradcheckError(_table(rows, atol, rtol, header))
