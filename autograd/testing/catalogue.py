"""The catalogue of the engine's ops, ``OPS``: each op with where it is smooth.

Every entry names the engine's op (the ``Value`` method that makes it and its
rule's tag, what ``Value.op`` shows), a function applying it to Values or to
numbers, and its smooth domain: per argument, open intervals between which it
has a kink, a jump, a pole or a domain edge (cut to magnitudes where central
differences are accurate), and for the binary ops whose kinks are not lines
along one axis (``x % y``, ``minimum``, ``atan2`` ...) the distance to the
nearest one. Ready for ``pytest.mark.parametrize("op", OPS, ids=str)``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from autograd import functions
from autograd.core.value import RULES

Interval = tuple[float, float]

_R: tuple[Interval, ...] = ((-100.0, 100.0),)  # smooth everywhere
_POSITIVE: tuple[Interval, ...] = ((0.0, 100.0),)
_NOT_ZERO: tuple[Interval, ...] = ((-100.0, 0.0), (0.0, 100.0))  # a kink or a pole at 0
_UNIT: tuple[Interval, ...] = ((-1.0, 1.0),)
_BETWEEN_INTEGERS: tuple[Interval, ...] = tuple((float(k), k + 1.0) for k in range(-10, 10))
_HALF_PI = math.pi / 2


@dataclass(frozen=True)
class Op:
    """One op of the engine and where it is smooth.

    Attributes:
        name: how tests and drawings call it ("tan", "x % y", "x**2", "clamp(-1, 1)").
        method: the ``Value`` method that makes it ("tan", "__mod__", "__pow__").
        op: its rule's tag, what ``Value.op`` shows on the result ("tan", "%", "**2").
        fn: applies it to Values (a Value out) or numbers (a float out).
        domain: per argument, the open intervals where it is smooth.
        template: how a formula shows it, ``{0}`` and ``{1}`` its arguments.
        gap: for binary ops, the distance from (x, y) to the nearest kink that
            the intervals cannot describe (None if there is none).

    Examples:
        >>> from autograd.testing import OPS
        >>> op = next(op for op in OPS if op.name == 'tanh')
        >>> str(op)
        'tanh'
    """

    name: str
    method: str
    op: str
    fn: Callable[..., Any]
    domain: tuple[tuple[Interval, ...], ...]
    template: str
    gap: Callable[..., float] | None = None

    @property
    def arity(self) -> int:
        """How many arguments it takes."""
        return len(self.domain)

    def admits(self, *xs: float, margin: float = 0.05) -> bool:
        """True if ``xs`` lie at least ``margin`` inside the smooth domain."""
        if len(xs) != self.arity:
            return False
        for x, intervals in zip(xs, self.domain):
            if not any(lo + margin <= x <= hi - margin for lo, hi in intervals):
                return False
        return self.gap is None or self.gap(*xs) >= margin

    def show(self, *args: str) -> str:
        """The op applied to argument texts: ``OPS_BY_NAME["tan"].show("x")`` is "tan(x)"."""
        return self.template.format(*args)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<op {self.name}>"


def _method(
    name: str, *domain: tuple[Interval, ...], gap: Callable[..., float] | None = None
) -> Op:
    """An op with a method and a function of the same name, its tag and number of
    inputs read from the engine's rule (``RULES``): only the domain is said here."""
    rule: Any = RULES[name]  # tagged by autograd.core.value._rule: op, forward, formula
    if len(rule.formula) != len(domain):
        raise ValueError(f"catalogue: {name} takes {len(rule.formula)} inputs")
    shown = ", ".join(f"{{{i}}}" for i in range(len(domain)))
    return Op(name, name, rule.op, getattr(functions, name), domain, f"{name}({shown})", gap)


def _mod_gap(x: float, y: float) -> float:
    # x % y jumps where x/y is an integer: distance in x to the nearest such point
    q = x / y
    return abs(y) * abs(q - round(q))


def _atan2_gap(y: float, x: float) -> float:
    # atan2(y, x) jumps by 2π across the negative x axis (y = 0, x < 0) and has
    # no derivative at the origin: distance to the nearer of the two
    return abs(y) if x < 0.0 else math.hypot(x, y)


OPS: tuple[Op, ...] = (
    # operators
    Op("x + y", "__add__", "+", operator.add, (_R, _R), "({0} + {1})"),
    Op("x - y", "__sub__", "-", operator.sub, (_R, _R), "({0} - {1})"),
    Op("x * y", "__mul__", "*", operator.mul, (_R, _R), "({0} * {1})"),
    Op("x / y", "__truediv__", "/", operator.truediv, (_R, _NOT_ZERO), "({0} / {1})"),
    Op("x ** y", "__pow__", "**", operator.pow, (((0.0, 10.0),), ((-3.0, 3.0),)), "({0}**{1})"),
    Op(
        "x % y",
        "__mod__",
        "%",
        operator.mod,
        (_R, ((-10.0, 0.0), (0.0, 10.0))),
        "({0} % {1})",
        _mod_gap,
    ),
    Op("-x", "__neg__", "neg", operator.neg, (_R,), "(-{0})"),
    Op("x**2", "__pow__", "**2", lambda x: x**2, (_R,), "({0}**2)"),
    Op("x**3", "__pow__", "**3", lambda x: x**3, (((-20.0, 20.0),),), "({0}**3)"),
    Op("x**-1", "__pow__", "**-1", lambda x: x**-1, (_NOT_ZERO,), "({0}**-1)"),
    Op("x**0.5", "__pow__", "**0.5", lambda x: x**0.5, (_POSITIVE,), "({0}**0.5)"),
    Op("2**x", "__rpow__", "2**", lambda x: 2**x, (((-40.0, 40.0),),), "(2**{0})"),
    # functions of two arguments
    _method("atan2", _R, _R, gap=_atan2_gap),
    _method("hypot", _R, _R, gap=math.hypot),
    _method("minimum", _R, _R, gap=lambda x, y: abs(x - y)),
    _method("maximum", _R, _R, gap=lambda x, y: abs(x - y)),
    # functions of one argument
    _method("abs", _NOT_ZERO),
    _method("exp", ((-30.0, 30.0),)),
    _method("log", _POSITIVE),
    _method("sqrt", _POSITIVE),
    _method("sin", _R),
    _method("cos", _R),
    _method("tan", ((-3 * _HALF_PI, -_HALF_PI), (-_HALF_PI, _HALF_PI), (_HALF_PI, 3 * _HALF_PI))),
    _method("asin", _UNIT),
    _method("acos", _UNIT),
    _method("atan", _R),
    _method("sinh", ((-30.0, 30.0),)),
    _method("cosh", ((-30.0, 30.0),)),
    _method("tanh", _R),
    _method("asinh", _R),
    _method("acosh", ((1.0, 100.0),)),
    _method("atanh", _UNIT),
    _method("log2", _POSITIVE),
    _method("log10", _POSITIVE),
    _method("log1p", ((-1.0, 100.0),)),
    _method("expm1", ((-30.0, 30.0),)),
    _method("exp2", ((-40.0, 40.0),)),
    _method("erf", _R),
    _method("erfc", _R),
    _method("sinc", _R),
    _method("sign", _NOT_ZERO),
    _method("floor", _BETWEEN_INTEGERS),
    _method("ceil", _BETWEEN_INTEGERS),
    _method("trunc", _BETWEEN_INTEGERS),
    _method("sigmoid", _R),
    _method("relu", _NOT_ZERO),
    _method("softplus", _R),
    _method("gelu", _R),
    _method("silu", _R),
    _method("deg2rad", _R),
    _method("rad2deg", _R),
    Op(
        "leaky_relu(0.1)",
        "leaky_relu",
        "leaky_relu",
        lambda x: functions.leaky_relu(x, 0.1),
        (_NOT_ZERO,),
        "leaky_relu({0}, 0.1)",
    ),
    Op(
        "clamp(-1, 1)",
        "clamp",
        "clamp",
        lambda x: functions.clamp(x, -1.0, 1.0),
        (((-100.0, -1.0), (-1.0, 1.0), (1.0, 100.0)),),
        "clamp({0}, -1, 1)",
    ),
)

OPS_BY_NAME: dict[str, Op] = {op.name: op for op in OPS}


def find(op: Op | str) -> Op:
    """The catalogue entry for an ``Op`` or its name; ValueError naming the choices otherwise."""
    if isinstance(op, Op):
        return op
    if isinstance(op, str) and op in OPS_BY_NAME:
        return OPS_BY_NAME[op]
    raise ValueError(f"unknown op {op!r}; the catalogue has: {', '.join(OPS_BY_NAME)}")
