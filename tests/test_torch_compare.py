"""Optional: the engine beside PyTorch (float64) on random compositions of ops,
first and second derivatives, and on the IEEE edge cases.

PyTorch is not a dependency of the project; without it this file is skipped.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from engine_expressions import admissible, evaluate, points, show, trees
from hypothesis import assume, given, note

from autograd import Value, grad

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed; this optional comparison runs where it is"
)
F = torch.nn.functional


def tensor(x: float, requires_grad: bool = False):
    return torch.tensor(x, dtype=torch.float64, requires_grad=requires_grad)


def softplus(t):
    """log(1 + e**t) without F.softplus's cut-off to t above t = 20."""
    return torch.logaddexp(t, torch.zeros_like(t))


class TorchLib:
    """The primitives of engine_expressions, spelled with PyTorch."""

    @staticmethod
    def const(c: float):
        return tensor(c)

    sin = staticmethod(torch.sin)
    cos = staticmethod(torch.cos)
    tanh = staticmethod(torch.tanh)
    sigmoid = staticmethod(torch.sigmoid)
    exp = staticmethod(torch.exp)
    log = staticmethod(torch.log)
    sqrt = staticmethod(torch.sqrt)
    relu = staticmethod(torch.relu)

    @staticmethod
    def softplus(u):
        # F.softplus returns x itself above a threshold (20), where the engine
        # keeps the exact log(1 + e**x); logaddexp(x, 0) is that exact function
        return softplus(u)

    @staticmethod
    def leaky_relu(u, slope: float):
        return F.leaky_relu(u, slope)

    @staticmethod
    def dot(ws: list[Any], xs: list[Any], bias: Any):
        total = bias
        for w, x in zip(ws, xs):
            total = total + w * x
        return total

    @staticmethod
    def sum(xs: list[Any]):
        total = xs[0]
        for x in xs[1:]:
            total = total + x
        return total


def torch_derivatives(tree: tuple, x: float, y: float) -> tuple[float, list, list]:
    """f, its gradient and its Hessian at (x, y), by PyTorch."""
    tx, ty = tensor(x, True), tensor(y, True)
    out = evaluate(tree, {"x": tx, "y": ty}, lib=TorchLib)
    if not out.requires_grad:  # constant
        return out.item(), [0.0, 0.0], [[0.0, 0.0], [0.0, 0.0]]
    first = torch.autograd.grad(out, (tx, ty), create_graph=True, allow_unused=True)
    hessian = []
    for g in first:
        if g is None or not g.requires_grad:
            hessian.append([0.0, 0.0])
            continue
        row = torch.autograd.grad(g, (tx, ty), allow_unused=True, retain_graph=True)
        hessian.append([0.0 if h is None else h.item() for h in row])
    return out.item(), [0.0 if g is None else g.item() for g in first], hessian


def engine_derivatives(tree: tuple, x: float, y: float) -> tuple[float, list, list]:
    """f, its gradient and its Hessian at (x, y), by the engine."""
    f = lambda a, b: evaluate(tree, {"x": a, "y": b})
    value = float(f(Value(x), Value(y)))
    first = list(grad(f, (0, 1))(x, y))
    hessian = [list(grad(grad(f, i), (0, 1))(x, y)) for i in (0, 1)]
    return value, first, hessian


@given(tree=trees(), point=points())
def test_random_compositions_agree_with_torch(tree: tuple, point: tuple[float, float]) -> None:
    x, y = point
    assume(admissible(tree, x, y))
    note(f"f(x, y) = {show(tree)}")
    value, first, hessian = engine_derivatives(tree, x, y)
    t_value, t_first, t_hessian = torch_derivatives(tree, x, y)
    # both are float64; only the order of rounding differs
    assert value == pytest.approx(t_value, rel=1e-9, abs=1e-12)
    assert first == pytest.approx(t_first, rel=1e-9, abs=1e-9)
    for row, t_row in zip(hessian, t_hessian):
        assert row == pytest.approx(t_row, rel=1e-8, abs=1e-8)


# ---------------------------------------------------------------- IEEE edges

INF, NAN = math.inf, math.nan

# (name, engine function, torch function) of one argument
UNARY: list[tuple[str, Callable, Callable]] = [
    ("exp", Value.exp, torch.exp),
    ("log", Value.log, torch.log),
    ("sqrt", Value.sqrt, torch.sqrt),
    ("sin", Value.sin, torch.sin),
    ("cos", Value.cos, torch.cos),
    ("tanh", Value.tanh, torch.tanh),
    ("sigmoid", Value.sigmoid, torch.sigmoid),
    ("relu", Value.relu, torch.relu),
    ("leaky_relu", Value.leaky_relu, lambda t: F.leaky_relu(t, 0.01)),
    ("softplus", Value.softplus, softplus),
    ("abs", abs, torch.abs),
    ("neg", lambda v: -v, torch.neg),
    ("x**2", lambda v: v**2, lambda t: t**2),
    ("x**3", lambda v: v**3, lambda t: t**3),
    ("x**-1", lambda v: v**-1, lambda t: t**-1),
    ("x**0.5", lambda v: v**0.5, lambda t: t**0.5),
    ("x**0", lambda v: v**0, lambda t: t**0),
    ("1/x", lambda v: 1 / v, lambda t: 1 / t),
    ("2**x", lambda v: 2**v, lambda t: 2.0**t),
    ("0**x", lambda v: 0.0**v, lambda t: torch.pow(0.0, t)),
]
EDGES = [0.0, -0.0, 1.0, -1.0, -8.0, 1000.0, -1000.0, 1e200, -1e200, INF, -INF, NAN]
# Where PyTorch's result is a convention of its own and the engine's is just as
# defensible, the point is left out of the comparison (keyed by repr, which
# tells -0.0 from 0.0 and names nan):
CONVENTIONS = {
    # torch.relu passes the gradient through at nan (nan <= 0 is false)
    ("relu", "nan"),
    # PyTorch evaluates t**0.5 as sqrt(t): -0.0 at -0.0 and nan at -inf, where
    # C's pow (and the engine) give +0.0 and +inf
    ("x**0.5", "-0.0"),
    ("x**0.5", "-inf"),
}


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b or a == pytest.approx(b, rel=1e-12)


@pytest.mark.parametrize("name, fn, torch_fn", UNARY, ids=[u[0] for u in UNARY])
def test_unary_edges_agree_with_torch(name: str, fn: Callable, torch_fn: Callable) -> None:
    mismatches = []
    for x in EDGES:
        if (name, repr(x)) in CONVENTIONS:
            continue
        v = Value(x)
        out = fn(v)
        out.backward()
        t = tensor(x, True)
        t_out = torch_fn(t)
        t_out.backward()
        got, want = (out.data, v.grad), (t_out.item(), t.grad.item())
        if not (same(got[0], want[0]) and same(got[1], want[1])):
            mismatches.append(f"{name} at {x}: engine (value, grad) {got}, torch {want}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize(
    "name, fn",
    [
        ("+", lambda a, b: a + b),
        ("-", lambda a, b: a - b),
        ("*", lambda a, b: a * b),
        ("/", lambda a, b: a / b),
        ("**", lambda a, b: a**b),
    ],
)
def test_binary_edges_agree_with_torch(name: str, fn: Callable) -> None:
    values = [0.0, 1.0, -1.0, 2.0, -8.0, 0.5, 1e200, INF, -INF, NAN]
    mismatches = []
    for x in values:
        for y in values:
            a, b = Value(x), Value(y)
            out = fn(a, b)
            out.backward()
            ta, tb = tensor(x, True), tensor(y, True)
            t_out = fn(ta, tb)
            t_out.backward()
            got = (out.data, a.grad, b.grad)
            want = (t_out.item(), ta.grad.item(), tb.grad.item())
            if not all(same(p, q) for p, q in zip(got, want)):
                mismatches.append(f"{x} {name} {y}: engine {got}, torch {want}")
    assert not mismatches, "\n".join(mismatches)
