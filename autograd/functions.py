"""Every op as a function: ``autograd.exp(x)``, ``autograd.tan(x)``, ``autograd.atan2(y, x)``, ...

A number in gives a float out, computed by the op's own float function (its
rule's ``forward``: IEEE results, never an exception, so ``autograd.log(-1.0)``
is nan); a ``Value`` in gives a ``Value`` out, by the op's method. Anything
else is duck-typed: the object's method of the same name (a PyTorch tensor's
``.exp()``, ``.atan2(other)``, ...), and for a tensor without one,
``torch.special`` or ``torch.nn.functional`` (``gelu``, ``silu``), so one
function body runs on Values and on tensors (``autograd.compare_with_torch``).
torch is never imported here: a tensor can only exist once it has been.
The functions are made by two small factories from the ops' names, so they
cannot drift from the engine; ``UNARY`` and ``BINARY`` list them, read from ``RULES``.

``abs`` is importable as ``autograd.abs`` but, like ``autograd.sum``, kept out
of ``autograd.__all__``: a star import must not shadow the builtin.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast, overload

from autograd.core import ieee as _ieee
from autograd.core.value import (
    RULES,
    Value,
    clamp_bounds,
    clamp_rule,
    leaky_relu_rule,
    leaky_slope,
    lift,
)


def _ops_of_arity(n: int) -> tuple[str, ...]:
    """The built-in ops of ``n`` inputs that are also a Value method of the op's name, in
    the order their rules are defined (read from ``RULES``, where each rule registers)."""
    return tuple(
        name
        for name, rule in RULES.items()
        if name.isidentifier() and callable(getattr(Value, name, None)) and len(rule.formula) == n  # type: ignore[attr-defined]
    )


# The ops of one argument and of two, by their method's name (what PyTorch calls them too).
# Read once, at import: ops that users define later (autograd.extend.op) are their own
# functions already.
UNARY = _ops_of_arity(1)
BINARY = _ops_of_arity(2)


_T = TypeVar("_T")


class UnaryFunction(Protocol):
    """A function of one number (float out) or one Value (Value out); an object
    of another type (a tensor) gives what its own method of the name gives."""

    __name__: str

    @overload
    def __call__(self, x: Value, /) -> Value: ...
    @overload
    def __call__(self, x: float, /) -> float: ...
    @overload
    def __call__(self, x: _T, /) -> _T: ...


class BinaryFunction(Protocol):
    """A function of two arguments: a Value out if either is a Value, else a float."""

    __name__: str

    @overload
    def __call__(self, x: Value, y: Value | float, /) -> Value: ...
    @overload
    def __call__(self, x: float, y: Value, /) -> Value: ...
    @overload
    def __call__(self, x: float, y: float, /) -> float: ...
    @overload
    def __call__(self, x: float, y: _T, /) -> _T: ...
    @overload
    def __call__(self, x: _T, y: Any, /) -> _T: ...


def _rule_forward(name: str) -> Callable[..., float]:
    forward: Callable[..., float] = RULES[name].forward  # type: ignore[attr-defined]
    return forward


def _refuse(name: str, what: str, x: object) -> TypeError:
    return TypeError(f"{name}(): {what} must be a number or a Value, not {type(x).__name__}")


def _tensor_module(x: object) -> Any:
    """The torch module if ``x`` is a torch tensor, else None (torch is not imported)."""
    torch = sys.modules.get("torch")
    return torch if torch is not None and isinstance(x, torch.Tensor) else None


# Where torch's function of the same name is not the same function: F.softplus
# returns x itself above 20; logaddexp(x, 0) is log(1 + e**x) everywhere
_TORCH_UNARY: dict[str, Callable[[Any, Any], Any]] = {
    "softplus": lambda torch, t: torch.logaddexp(t, torch.zeros_like(t)),
}


def _foreign_unary(name: str, x: Any) -> Any:
    torch = _tensor_module(x)
    if torch is not None and name in _TORCH_UNARY:
        return _TORCH_UNARY[name](torch, x)
    method = getattr(x, name, None)
    if callable(method):
        return method()
    if torch is not None:
        for namespace in (torch.special, torch.nn.functional):
            fn = getattr(namespace, name, None)
            if fn is not None:
                return fn(x)
    raise _refuse(name, "the argument", x)


def _unary(name: str) -> UnaryFunction:
    method = getattr(Value, name)
    forward = _rule_forward(name)

    def fn(x: Any) -> Any:
        if isinstance(x, Value):
            return method(x)
        if isinstance(x, _ieee.REAL):
            return forward(_ieee.to_float(x))
        return _foreign_unary(name, x)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = method.__doc__
    return cast(UnaryFunction, fn)


def _foreign_binary(name: str, x: Any, y: Any) -> Any:
    """x.name(y) for a foreign x (or y); a number beside a tensor becomes a tensor."""
    torch = _tensor_module(x) or _tensor_module(y)
    if torch is not None:
        like = x if isinstance(x, torch.Tensor) else y
        x, y = (
            a if isinstance(a, torch.Tensor) else torch.as_tensor(a, dtype=like.dtype)
            for a in (x, y)
        )
    method = getattr(x, name, None)
    if callable(method):
        return method(y)
    raise _refuse(name, "the first argument", x)


def _binary(name: str) -> BinaryFunction:
    method = getattr(Value, name)
    forward = _rule_forward(name)

    def fn(x: Any, y: Any) -> Any:
        if isinstance(x, Value):
            return method(x, y)
        if isinstance(y, Value):
            left = lift(x)
            if left is None:
                raise _refuse(name, "the first argument", x)
            return method(left, y)
        if isinstance(x, _ieee.REAL) and isinstance(y, _ieee.REAL):
            return forward(_ieee.to_float(x), _ieee.to_float(y))
        if isinstance(x, _ieee.REAL) and not isinstance(y, _ieee.REAL):
            if _tensor_module(y) is None:
                raise _refuse(name, "the second argument", y)
        return _foreign_binary(name, x, y)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = method.__doc__
    return cast(BinaryFunction, fn)


abs = _unary("abs")  # noqa: A001 - autograd.abs, kept out of autograd.__all__
exp = _unary("exp")
log = _unary("log")
sqrt = _unary("sqrt")
sin = _unary("sin")
cos = _unary("cos")
tan = _unary("tan")
asin = _unary("asin")
acos = _unary("acos")
atan = _unary("atan")
sinh = _unary("sinh")
cosh = _unary("cosh")
tanh = _unary("tanh")
asinh = _unary("asinh")
acosh = _unary("acosh")
atanh = _unary("atanh")
log2 = _unary("log2")
log10 = _unary("log10")
log1p = _unary("log1p")
expm1 = _unary("expm1")
exp2 = _unary("exp2")
erf = _unary("erf")
erfc = _unary("erfc")
sinc = _unary("sinc")
sign = _unary("sign")
floor = _unary("floor")
ceil = _unary("ceil")
trunc = _unary("trunc")
sigmoid = _unary("sigmoid")
relu = _unary("relu")
softplus = _unary("softplus")
gelu = _unary("gelu")
silu = _unary("silu")
deg2rad = _unary("deg2rad")
rad2deg = _unary("rad2deg")
radians = deg2rad  # NumPy's and the math module's names
degrees = rad2deg

atan2 = _binary("atan2")
hypot = _binary("hypot")
minimum = _binary("minimum")
maximum = _binary("maximum")


@overload
def leaky_relu(x: Value, slope: float = 0.01) -> Value: ...
@overload
def leaky_relu(x: float, slope: float = 0.01) -> float: ...
@overload
def leaky_relu(x: _T, slope: float = 0.01) -> _T: ...
def leaky_relu(x: Any, slope: float = 0.01) -> Any:
    """x for x > 0, slope * x otherwise.

    Examples:
        >>> from autograd import Value, leaky_relu
        >>> x = Value(-2.0)
        >>> y = leaky_relu(x, 0.1)
        >>> y.backward()
        >>> y.data, x.grad
        (-0.2, 0.1)
        >>> leaky_relu(3.0)
        3.0
    """
    if isinstance(x, Value):
        return x.leaky_relu(slope)
    if isinstance(x, _ieee.REAL):
        return leaky_relu_rule(leaky_slope(slope)).forward(_ieee.to_float(x))
    torch = _tensor_module(x)
    if torch is not None:
        return torch.nn.functional.leaky_relu(x, slope)
    method = getattr(x, "leaky_relu", None)
    if callable(method):
        return method(slope)
    raise _refuse("leaky_relu", "the argument", x)


@overload
def clamp(x: Value, lo: float | None = None, hi: float | None = None) -> Value: ...
@overload
def clamp(x: float, lo: float | None = None, hi: float | None = None) -> float: ...
@overload
def clamp(x: _T, lo: float | None = None, hi: float | None = None) -> _T: ...
def clamp(x: Any, lo: float | None = None, hi: float | None = None) -> Any:
    """x limited to [lo, hi] (either may be None); see ``Value.clamp``.

    Examples:
        >>> from autograd import Value, clamp
        >>> x = Value(5.0)
        >>> y = clamp(x, 0.0, 1.0)
        >>> y.backward()
        >>> y.data, x.grad
        (1.0, 0.0)
        >>> clamp(0.5, 0.0, 1.0)
        0.5
    """
    if isinstance(x, Value):
        return x.clamp(lo, hi)
    if isinstance(x, _ieee.REAL):
        return clamp_rule(clamp_bounds(lo, hi)).forward(_ieee.to_float(x))
    method = getattr(x, "clamp", None)
    if callable(method):
        return method(lo, hi)
    raise _refuse("clamp", "the argument", x)


# `abs` stays out, like autograd.sum: a star import must not shadow the builtin.
__all__ = [
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "ceil",
    "clamp",
    "cos",
    "cosh",
    "deg2rad",
    "degrees",
    "erf",
    "erfc",
    "exp",
    "exp2",
    "expm1",
    "floor",
    "gelu",
    "hypot",
    "leaky_relu",
    "log",
    "log10",
    "log1p",
    "log2",
    "maximum",
    "minimum",
    "rad2deg",
    "radians",
    "relu",
    "sigmoid",
    "sign",
    "silu",
    "sin",
    "sinc",
    "sinh",
    "softplus",
    "sqrt",
    "tan",
    "tanh",
    "trunc",
]
