"""Random expressions over two variables, for the engine's property tests.

A hypothesis strategy draws a small expression tree; ``evaluate`` builds it with
any backend that has the primitive ops (the engine's ``Value``, or PyTorch in
the optional comparison), so both sides compute exactly the same function.

The composite ops keep every argument inside its op's smooth domain by
construction (``log(u*u + 0.5)``, ``a / (b*b + 0.5)``, a positive base for a
fractional power), so central differences are meaningful. The two things that
cannot be built away are checked per example instead (``Guard``): kinks of
``abs``/``relu``/``leaky_relu`` too close to their argument's zero, and
intermediate values so large that differences lose all precision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

import autograd
from autograd import Value

# A tree is ("x",), ("y",), ("const", c), ("unary", name, child) or
# ("binary", name, left, right).
Tree = tuple

VARIABLES = ("x", "y")


class EngineLib:
    """The primitives spelled with the engine's Value methods."""

    @staticmethod
    def const(c: float) -> Value:
        return Value(c)

    @staticmethod
    def sin(u: Value) -> Value:
        return u.sin()

    @staticmethod
    def cos(u: Value) -> Value:
        return u.cos()

    @staticmethod
    def tanh(u: Value) -> Value:
        return u.tanh()

    @staticmethod
    def sigmoid(u: Value) -> Value:
        return u.sigmoid()

    @staticmethod
    def softplus(u: Value) -> Value:
        return u.softplus()

    @staticmethod
    def exp(u: Value) -> Value:
        return u.exp()

    @staticmethod
    def log(u: Value) -> Value:
        return u.log()

    @staticmethod
    def sqrt(u: Value) -> Value:
        return u.sqrt()

    @staticmethod
    def relu(u: Value) -> Value:
        return u.relu()

    @staticmethod
    def leaky_relu(u: Value, slope: float) -> Value:
        return u.leaky_relu(slope)

    @staticmethod
    def dot(ws: list[Any], xs: list[Any], bias: Any) -> Value:
        return autograd.dot(ws, xs, bias)

    @staticmethod
    def sum(xs: list[Any]) -> Value:
        return autograd.sum(xs)

    @staticmethod
    def pow(base: Any, exponent: Any) -> Value:
        return base**exponent


# name -> (u, lib) -> result. Arguments of log, sqrt and fractional powers are
# kept positive, and divisors away from zero, by the u*u + c construction.
UNARY: dict[str, Callable[[Any, Any], Any]] = {
    "neg": lambda u, lib: -u,
    "sin": lambda u, lib: lib.sin(u),
    "cos": lambda u, lib: lib.cos(u),
    "tanh": lambda u, lib: lib.tanh(u),
    "sigmoid": lambda u, lib: lib.sigmoid(u),
    "softplus": lambda u, lib: lib.softplus(u),
    "exp": lambda u, lib: lib.exp(u),
    "log": lambda u, lib: lib.log(u * u + 0.5),
    "sqrt": lambda u, lib: lib.sqrt(u * u + 0.25),
    "square": lambda u, lib: u**2,
    "cube": lambda u, lib: u**3,
    "rsqrt": lambda u, lib: (u * u + 0.5) ** -0.5,
    "reciprocal": lambda u, lib: 1.0 / (u * u + 0.5),
    "exp2": lambda u, lib: 2.0**u,
    "affine": lambda u, lib: 0.5 - 1.5 * u,
    # kinks: the guard below keeps u away from 0
    "abs": lambda u, lib: abs(u),
    "relu": lambda u, lib: lib.relu(u),
    "leaky_relu": lambda u, lib: lib.leaky_relu(u, 0.1),
}
KINKS = frozenset({"abs", "relu", "leaky_relu"})

BINARY: dict[str, Callable[[Any, Any, Any], Any]] = {
    "add": lambda a, b, lib: a + b,
    "sub": lambda a, b, lib: a - b,
    "mul": lambda a, b, lib: a * b,
    "div": lambda a, b, lib: a / (b * b + 0.5),
    "pow": lambda a, b, lib: lib.pow(a * a + 0.5, b),
    "dot": lambda a, b, lib: lib.dot([a, b, 0.5], [b, a, a], -1.0),
    "sum": lambda a, b, lib: lib.sum([a, b, a * b]),
}


class Rejected(Exception):
    """The drawn point is too close to a kink, or the values are too large."""


class Guard:
    """Checks the engine's intermediate floats while a tree is evaluated."""

    def __init__(self, kink_margin: float = 1e-2, max_abs: float = 1e3) -> None:
        self.kink_margin = kink_margin
        self.max_abs = max_abs

    def kink(self, u: Any) -> None:
        if abs(_data(u)) < self.kink_margin:
            raise Rejected(f"kink argument {_data(u)!r} is too close to 0")

    def value(self, u: Any) -> None:
        d = _data(u)
        if not abs(d) <= self.max_abs:  # also catches nan
            raise Rejected(f"intermediate value {d!r} is too large")


def _data(u: Any) -> float:
    return u.data if isinstance(u, Value) else float(u)


def evaluate(tree: Tree, env: dict[str, Any], lib: Any = EngineLib, guard: Guard | None = None):
    """Build ``tree`` with the variables in ``env``, bottom up with an explicit stack."""
    # post-order over the tree without recursion (trees are small, but the
    # project rule is no recursion over graphs, and it costs nothing here)
    results: dict[int, Any] = {}
    stack: list[tuple[Tree, bool]] = [(tree, False)]
    while stack:
        node, ready = stack.pop()
        kind = node[0]
        if kind in VARIABLES:
            results[id(node)] = env[kind]
        elif kind == "const":
            results[id(node)] = lib.const(node[1])
        elif not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in node[2:])
        elif kind == "unary":
            u = results[id(node[2])]
            if guard is not None and node[1] in KINKS:
                guard.kink(u)
            results[id(node)] = UNARY[node[1]](u, lib)
        else:
            a, b = results[id(node[2])], results[id(node[3])]
            results[id(node)] = BINARY[node[1]](a, b, lib)
        if guard is not None and (ready or kind not in ("unary", "binary")):
            guard.value(results[id(node)])
    return results[id(tree)]


def show(tree: Tree) -> str:
    """The tree as a readable formula, for failure messages."""
    out: dict[int, str] = {}
    stack: list[tuple[Tree, bool]] = [(tree, False)]
    while stack:
        node, ready = stack.pop()
        kind = node[0]
        if kind in VARIABLES:
            out[id(node)] = kind
        elif kind == "const":
            out[id(node)] = repr(node[1])
        elif not ready:
            stack.append((node, True))
            stack.extend((child, False) for child in node[2:])
        elif kind == "unary":
            out[id(node)] = f"{node[1]}({out[id(node[2])]})"
        else:
            out[id(node)] = f"{node[1]}({out[id(node[2])]}, {out[id(node[3])]})"
    return out[id(tree)]


def _leaf() -> st.SearchStrategy[Tree]:
    const = st.floats(-2.0, 2.0, allow_nan=False).map(lambda c: ("const", round(c, 3)))
    return st.one_of(st.just(("x",)), st.just(("y",)), const)


def _extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    unary = st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)), children)
    binary = st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY)), children, children)
    return unary | binary


def trees(max_leaves: int = 6) -> st.SearchStrategy[Tree]:
    """Expression trees over x and y with at most ``max_leaves`` leaves."""
    return st.recursive(_leaf(), _extend, max_leaves=max_leaves)


def points() -> st.SearchStrategy[tuple[float, float]]:
    """(x, y) in a box where every composite op is smooth and moderate."""
    coord = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
    return st.tuples(coord, coord)


def engine_function(tree: Tree) -> Callable[[Any, Any], Any]:
    """The tree as a function f(x, y) of two engine Values (or numbers)."""

    def f(x: Any, y: Any) -> Any:
        return evaluate(tree, {"x": x, "y": y})

    f.__name__ = show(tree)
    return f


def admissible(tree: Tree, x: float, y: float) -> bool:
    """True when central differences of the tree at (x, y) are meaningful: no
    kink argument within 1e-2 of zero (the difference step is 1e-6) and no
    intermediate value above 1e3 (where differences lose their precision)."""
    try:
        with autograd.no_grad():
            evaluate(tree, {"x": Value(x), "y": Value(y)}, guard=Guard())
    except Rejected:
        return False
    return True
