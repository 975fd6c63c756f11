"""Hypothesis strategies over the catalogue: ``values(op)`` and ``programs()``.

Hypothesis is imported when a strategy is made, not when this module is
imported (``import autograd`` never imports it). ::

    from hypothesis import given
    from autograd.testing import OPS, assert_grads
    from autograd.testing.strategies import programs, values

    @pytest.mark.parametrize("op", OPS, ids=str)
    @given(data=st.data())
    def test_op(op, data):
        assert_grads(op.fn, *data.draw(values(op)), order=2)

    @given(programs())
    def test_programs(p):
        assert_grads(p, *p.point, order=2)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from autograd.core.modes import no_grad
from autograd.core.value import Value
from autograd.testing.catalogue import OPS, Op, find

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


def _hypothesis() -> Any:
    try:
        from hypothesis import strategies
    except ImportError:
        raise ImportError(
            "autograd.testing.strategies needs hypothesis: pip install hypothesis"
        ) from None
    return strategies


def values(op: Op | str | None = None, *, margin: float = 0.05) -> SearchStrategy[Any]:
    """Points inside ``op``'s smooth domain, at least ``margin`` from its kinks,
    jumps, poles and domain edges: a tuple with one float per argument of the
    op (so ``op.fn(*xs)`` applies it). Without an op: single moderate floats
    in [-100, 100]."""
    st = _hypothesis()
    if op is None:
        return st.floats(-100.0, 100.0)  # type: ignore[no-any-return]
    entry = find(op)

    def inside(interval: tuple[float, float]) -> Any:
        lo, hi = interval
        return st.floats(lo + margin, hi - margin)

    per_argument = []
    for intervals in entry.domain:
        usable = [iv for iv in intervals if iv[1] - iv[0] > 2 * margin]
        per_argument.append(st.sampled_from(usable).flatmap(inside))
    points = st.tuples(*per_argument)
    if entry.gap is not None:
        gap = entry.gap
        points = points.filter(lambda xs: gap(*xs) >= margin)
    return points  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Program:
    """A small straight-line expression over the catalogue, and a point where
    every step is smooth. Call it with Values (a Value out) or numbers."""

    arity: int
    steps: tuple[tuple[Op, tuple[int, ...]], ...]  # each: op, indices of its operands
    point: tuple[float, ...]

    @property
    def __name__(self) -> str:  # what assert_grads' message calls the function
        return "program"

    def __call__(self, *xs: Any) -> Any:
        if len(xs) != self.arity:
            raise TypeError(f"this program takes {self.arity} arguments, not {len(xs)}")
        results = list(xs)
        for op, operands in self.steps:
            results.append(op.fn(*[results[i] for i in operands]))
        return results[-1]

    def formula(self) -> str:
        """The program as one expression over x0, x1, ..."""
        texts = [f"x{i}" for i in range(self.arity)]
        for op, operands in self.steps:
            texts.append(op.show(*[texts[i] for i in operands]))
        return texts[-1]

    def __repr__(self) -> str:
        args = ", ".join(f"x{i}" for i in range(self.arity))
        at = ", ".join(repr(x) for x in self.point)
        return f"program: f({args}) = {self.formula()} at ({at})"


def programs(
    *,
    max_args: int = 3,
    max_ops: int = 6,
    ops: Sequence[Op | str] | None = None,
    margin: float = 0.05,
    bound: float = 100.0,
) -> SearchStrategy[Program]:
    """Small random programs over the catalogue (or ``ops``), each with its point.

    A point of 1 to ``max_args`` coordinates in [-3, 3] is drawn first; then
    each step applies an op to earlier results, chosen among the ops whose
    smooth domain holds those results (``margin`` inside) and whose result
    stays within ``bound``, so every program is smooth around its point. The
    results no step used (the unused arguments among them) are added to the
    last one, so the program depends on all of its arguments.
    """
    st = _hypothesis()
    catalogue = OPS if ops is None else tuple(find(o) for o in ops)
    add = find("x + y")

    def result(op: Op, args: Sequence[float]) -> float | None:
        with no_grad():
            out = op.fn(*[Value(a) for a in args]).data
        return out if abs(out) <= bound else None  # also refuses nan

    @st.composite  # type: ignore[untyped-decorator]
    def draw(draw: Any) -> Program:
        k = draw(st.integers(1, max_args))
        point = tuple(draw(st.floats(-3.0, 3.0)) for _ in range(k))
        results: list[float] = list(point)
        used = [False] * k
        steps: list[tuple[Op, tuple[int, ...]]] = []
        for _ in range(draw(st.integers(1, max_ops))):
            arity = draw(st.sampled_from((1, 2)))
            operands = tuple(draw(st.integers(0, len(results) - 1)) for _ in range(arity))
            args = [results[i] for i in operands]
            options = []
            for op in catalogue:
                if op.arity == arity and op.admits(*args, margin=margin):
                    out = result(op, args)
                    if out is not None:
                        options.append((op, out))
            if not options:
                continue
            op, out = draw(st.sampled_from(options))
            steps.append((op, operands))
            for i in operands:
                used[i] = True
            results.append(out)
            used.append(False)
        # add in what no step used, so that the program depends on every argument
        last = len(results) - 1
        for i in range(last - 1, -1, -1):
            if not used[i]:
                out = results[last] + results[i]
                steps.append((add, (last, i)))
                results.append(out)
                last = len(results) - 1
        return Program(k, tuple(steps), point)

    return draw()  # type: ignore[no-any-return]
