"""Every op of the engine spelled as a call on Values, by name: the tables the
tests of the rules' tags (test_rules.py) and of compile (test_compile.py) go
through. A key is the op's name where that is all it takes (``x.op == key``),
else the call with its constant (``"clamp(-1, 2)"``, ``"**3"``)."""

from __future__ import annotations

from collections.abc import Callable

import autograd
from autograd import Value

UNARY: dict[str, Callable[[Value], Value]] = {
    "neg": lambda v: -v,
    "abs": abs,
    "exp": Value.exp,
    "log": Value.log,
    "sqrt": Value.sqrt,
    "sin": Value.sin,
    "cos": Value.cos,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "relu": Value.relu,
    "softplus": Value.softplus,
    "leaky_relu(0.1)": lambda v: v.leaky_relu(0.1),
    "**3": lambda v: v**3,
    "**2": lambda v: v**2,
    "**-0.5": lambda v: v**-0.5,
    "**0": lambda v: v**0,
    "2**": lambda v: 2**v,
    "0**": lambda v: 0**v,
    "0.5**": lambda v: 0.5**v,
    "identity": autograd.core.value.identity,
    "abs()": Value.abs,
    "tan": Value.tan,
    "asin": Value.asin,
    "acos": Value.acos,
    "atan": Value.atan,
    "sinh": Value.sinh,
    "cosh": Value.cosh,
    "asinh": Value.asinh,
    "acosh": Value.acosh,
    "atanh": Value.atanh,
    "deg2rad": Value.deg2rad,
    "rad2deg": Value.rad2deg,
    "log2": Value.log2,
    "log10": Value.log10,
    "log1p": Value.log1p,
    "expm1": Value.expm1,
    "exp2": Value.exp2,
    "erf": Value.erf,
    "erfc": Value.erfc,
    "sinc": Value.sinc,
    "sign": Value.sign,
    "floor": Value.floor,
    "ceil": Value.ceil,
    "trunc": Value.trunc,
    "gelu": Value.gelu,
    "silu": Value.silu,
    "clamp(-1, 2)": lambda v: v.clamp(-1, 2),
    "clamp(hi=0.5)": lambda v: v.clamp(hi=0.5),
    "clamp(lo=3)": lambda v: v.clamp(lo=3),
    "clamp(2, 1)": lambda v: v.clamp(2, 1),
}
BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "/": lambda x, y: x / y,
    "**": lambda x, y: x**y,
    "%": lambda x, y: x % y,
    "atan2": Value.atan2,
    "hypot": Value.hypot,
    "minimum": Value.minimum,
    "maximum": Value.maximum,
}
