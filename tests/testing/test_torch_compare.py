"""Optional: the engine beside PyTorch (float64) on random compositions of ops,
on every op of the catalogue (values, first and second derivatives over its
smooth domain), and on the IEEE edge cases.

PyTorch is an optional dependency (pip install ".[torch]"); without it this file
is skipped, except in CI, which installs it.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any

import pytest
from engine_expressions import admissible, evaluate, points, show, trees
from hypothesis import assume, given, note
from hypothesis import strategies as st

import autograd
from autograd import Value, grad, hessian
from autograd.testing import OPS, Op
from autograd.testing.strategies import values

if os.environ.get("CI"):
    import torch  # CI installs PyTorch (.ci/run): these tests must run there, never skip
else:
    torch = pytest.importorskip(
        "torch", reason='PyTorch is not installed (pip install ".[torch]"); CI runs these'
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
    def pow(base, exponent):
        # base**exponent for a positive base, as exp(exponent ln base): PyTorch's
        # own pow takes d/dbase as a constant 0 where the exponent is 0, so its
        # d2/dbase dexponent there is 0 where the true value (the engine's) is 1/base
        return torch.exp(exponent * torch.log(base))

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
    ("abs()", Value.abs, torch.abs),
    ("tan", Value.tan, torch.tan),
    ("asin", Value.asin, torch.asin),
    ("acos", Value.acos, torch.acos),
    ("atan", Value.atan, torch.atan),
    ("sinh", Value.sinh, torch.sinh),
    ("cosh", Value.cosh, torch.cosh),
    ("asinh", Value.asinh, torch.asinh),
    ("acosh", Value.acosh, torch.acosh),
    ("atanh", Value.atanh, torch.atanh),
    ("log2", Value.log2, torch.log2),
    ("log10", Value.log10, torch.log10),
    ("log1p", Value.log1p, torch.log1p),
    ("expm1", Value.expm1, torch.expm1),
    ("exp2", Value.exp2, torch.exp2),
    ("erf", Value.erf, torch.erf),
    ("erfc", Value.erfc, torch.erfc),
    ("sinc", Value.sinc, torch.sinc),
    ("sign", Value.sign, torch.sign),
    ("floor", Value.floor, torch.floor),
    ("ceil", Value.ceil, torch.ceil),
    ("trunc", Value.trunc, torch.trunc),
    ("gelu", Value.gelu, F.gelu),
    ("silu", Value.silu, F.silu),
    ("deg2rad", Value.deg2rad, torch.deg2rad),
    ("rad2deg", Value.rad2deg, torch.rad2deg),
    ("clamp(-1, 1)", lambda v: v.clamp(-1, 1), lambda t: torch.clamp(t, -1, 1)),
    ("clamp(hi=0)", lambda v: v.clamp(hi=0), lambda t: torch.clamp(t, max=0)),
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
    # the limits at ±inf, where PyTorch computes inf * 0 = nan (docs/conventions.md)
    *[(op, edge) for op in ("gelu", "silu", "sinc") for edge in ("inf", "-inf")],
    # sign(nan) stays nan (PyTorch gives 0)
    ("sign", "nan"),
    # outside acosh's domain the engine's gradient is nan, as its value is;
    # PyTorch evaluates 1/sqrt(x**2 - 1) there anyway
    *[("acosh", edge) for edge in ("-1.0", "-8.0", "-1000.0", "-1e+200", "-inf")],
    # atanh at ±inf: PyTorch's -0.0 from 1/(1 - x**2), the engine's 1/((1 - x)(1 + x)) = -0.0 too,
    # but PyTorch's value there is nan and so is ours: same; kept for clarity of the list
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


# (x, y) points where PyTorch's binary result is a convention of its own (docs/conventions.md)
BINARY_CONVENTIONS = {
    # atan2: where x**2 + y**2 underflows to 0, PyTorch returns 0 gradients; the
    # engine divides by hypot(x, y) twice and gives the true derivatives (1e200 ...)
    *[("atan2", y, x) for y in ("0.0", "-0.0", "1e-200") for x in ("1e-200",)],
    *[("atan2", "1e-200", x) for x in ("0.0", "-0.0")],
}


@pytest.mark.parametrize(
    "name, fn, torch_fn",
    [
        ("+", lambda a, b: a + b, None),
        ("-", lambda a, b: a - b, None),
        ("*", lambda a, b: a * b, None),
        ("/", lambda a, b: a / b, None),
        ("**", lambda a, b: a**b, None),
        ("%", lambda a, b: a % b, None),
        ("atan2", Value.atan2, torch.atan2),
        ("hypot", Value.hypot, torch.hypot),
        ("minimum", Value.minimum, torch.minimum),
        ("maximum", Value.maximum, torch.maximum),
    ],
)
def test_binary_edges_agree_with_torch(name: str, fn: Callable, torch_fn) -> None:
    values = [0.0, -0.0, 1.0, -1.0, 2.0, 3.0, -8.0, 0.5, 1e200, 1e-200, INF, -INF, NAN]
    mismatches = []
    for x in values:
        for y in values:
            if (name, repr(x), repr(y)) in BINARY_CONVENTIONS:
                continue
            a, b = Value(x), Value(y)
            out = fn(a, b)
            out.backward()
            ta, tb = tensor(x, True), tensor(y, True)
            t_out = (torch_fn or fn)(ta, tb)
            t_out.backward()
            got = (out.data, a.grad, b.grad)
            want = (t_out.item(), ta.grad.item(), tb.grad.item())
            if not all(same(p, q) for p, q in zip(got, want)):
                mismatches.append(f"{x} {name} {y}: engine {got}, torch {want}")
    assert not mismatches, "\n".join(mismatches)


# ---------------------------------------------------------------- every op of the catalogue

# The catalogue's ops spelled with PyTorch, where op.fn itself (operators) does not apply
TORCH_OPS: dict[str, Callable] = {
    "gelu": F.gelu,
    "silu": F.silu,
    "softplus": softplus,
    "relu": torch.relu,
    "leaky_relu(0.1)": lambda t: F.leaky_relu(t, 0.1),
    "clamp(-1, 1)": lambda t: torch.clamp(t, -1.0, 1.0),
}


def torch_op(op: Op) -> Callable:
    if op.name in TORCH_OPS:
        return TORCH_OPS[op.name]
    if op.method.startswith("__"):  # an operator: the same expression works on tensors
        return op.fn
    return getattr(torch, op.method)


def torch_value_gradient_hessian(fn: Callable, xs: tuple[float, ...]):
    ts = [tensor(x, True) for x in xs]
    out = fn(*ts)
    first = torch.autograd.grad(out, ts, create_graph=True, allow_unused=True)
    hessian_rows = []
    for g in first:
        if g is None or not g.requires_grad:
            hessian_rows.append([0.0] * len(ts))
            continue
        row = torch.autograd.grad(g, ts, retain_graph=True, allow_unused=True)
        hessian_rows.append([0.0 if h is None else h.item() for h in row])
    return out.item(), [0.0 if g is None else g.item() for g in first], hessian_rows


@pytest.mark.parametrize("op", OPS, ids=str)
@given(data=st.data())
def test_every_op_agrees_with_torch(op: Op, data: st.DataObject) -> None:
    """Value, gradient and Hessian of each op against PyTorch float64, over the op's
    smooth domain (autograd.testing.strategies.values)."""
    xs = data.draw(values(op), label="xs")
    nums = tuple(range(op.arity))
    value = float(op.fn(*[Value(x) for x in xs]))
    first = list(grad(op.fn, nums)(*xs))
    second = hessian(op.fn, nums)(*xs)
    t_value, t_first, t_second = torch_value_gradient_hessian(torch_op(op), xs)
    assert value == pytest.approx(t_value, rel=1e-12, abs=1e-12)
    if op.name == "sinc" and abs(xs[0]) < 1e-3:
        # PyTorch's sinc' is (πx cos πx - sin πx)/(πx**2), which cancels near 0 (to
        # exactly 0 for tiny x, 0/0 at 0, so its sinc'' is nan at 0 and 0 next to
        # it); the engine's series there gives the Taylor polynomial's values
        # sinc(x) = sum_k (-1)**k (pi x)**(2k) / (2k+1)!, differentiated term by term
        # (ten terms: exact to rounding for |x| < 1e-3)
        x = xs[0]
        terms = [(-1) ** k * math.pi ** (2 * k) / math.factorial(2 * k + 1) for k in range(10)]
        d1 = sum(c * 2 * k * x ** (2 * k - 1) for k, c in enumerate(terms) if k)
        d2 = sum(c * 2 * k * (2 * k - 1) * x ** (2 * k - 2) for k, c in enumerate(terms) if k)
        assert first[0] == pytest.approx(d1, rel=1e-14, abs=1e-300)
        assert second[0][0] == pytest.approx(d2, rel=1e-14)
        return
    assert first == pytest.approx(t_first, rel=1e-10, abs=1e-12)
    if op.name == "x ** y" and xs[1] == 0.0:
        # PyTorch masks d(x**y)/dx to a constant 0 where y == 0, so its
        # d2/dxdy is 0 there; the true value (the engine's) is x**-1
        assert second[0][1] == pytest.approx(1 / xs[0], rel=1e-15)
        return
    for row, t_row in zip(second, t_second):
        # PyTorch's sinc' cancels near 0 (the engine's switches to its series): 1e-9
        assert row == pytest.approx(t_row, rel=1e-9, abs=1e-9)


def test_sinc_near_zero_is_more_accurate_than_torchs() -> None:
    # sinc''(x) = -π**2/3 + π**4 x**2/10 - ...; at 1e-3 the series gives it to 1e-16
    x = 1e-3
    exact = -(math.pi**2) / 3 + math.pi**4 * x**2 / 10 - math.pi**6 * x**4 / 168
    assert hessian(autograd.sinc)(x) == pytest.approx(exact, rel=1e-15)
    _, _, t_second = torch_value_gradient_hessian(torch.sinc, (x,))
    assert abs(t_second[0][0] - exact) > 1e-12  # PyTorch's difference cancels


def test_to_torch_refuses_an_mlp_that_computes_its_own_forward() -> None:
    import nn

    class Scaled(nn.MLP):
        def __call__(self, x: Any) -> Any:
            return [2.0 * o for o in super().__call__(x)]

    with pytest.raises(TypeError, match="Scaled overrides __call__"):
        Scaled(2, [3, 1], rng=0).to_torch()
    nn.MLP(2, [3, 1], rng=0).to_torch()  # a plain MLP still exports
