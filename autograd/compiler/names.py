"""The names generated code refers to, and the sameness of two results.

Functions and non-literal constants that templates use are registered under
generated names ("_f<n>", "_k<n>"); every generated module starts from a copy
of this namespace.
"""

from __future__ import annotations

import builtins
import math
import numbers
import struct
import threading
from typing import Any

__all__ = ["literal", "namespace", "register", "same"]

_registry: dict[str, Any] = {"_sum": builtins.sum, "_inf": math.inf, "_ninf": -math.inf}
_registered: dict[int, str] = {}
_lock = threading.RLock()


def register(obj: Any, prefix: str = "_f") -> str:
    """The generated name under which ``obj`` is bound in generated code."""
    with _lock:
        name = _registered.get(id(obj))
        if name is None:  # (the registry keeps obj alive: its id stays its own)
            name = f"{prefix}{len(_registry)}"
            _registry[name] = obj
            _registered[id(obj)] = name
        return name


def namespace() -> dict[str, Any]:
    """A fresh namespace for a generated module."""
    with _lock:
        return dict(_registry)


def literal(x: Any) -> str:
    """Source for a constant: a float literal (``repr`` round-trips), an int, or
    a registered name for infinities and nans (whose sign and payload a literal
    cannot carry)."""
    if type(x) not in (float, int, bool):  # numpy's scalars, an IntEnum, ...
        if isinstance(x, numbers.Integral):
            x = int(x)
        elif isinstance(x, numbers.Real):
            x = float(x)
    if type(x) is float:
        if x != x:
            return register(x, "_k")
        if x == math.inf:
            return "_inf"
        if x == -math.inf:
            return "_ninf"
        text = repr(x)
        return f"({text})" if text.startswith("-") else text
    if type(x) is bool:
        return "True" if x else "False"
    if type(x) is int:
        return f"({x})" if x < 0 else str(x)
    raise TypeError(f"no literal for {type(x).__name__}")


def same(a: Any, b: Any) -> bool:
    """The same result bit for bit (0.0 differs from -0.0), except that all nans
    are one: which nan an IEEE operation returns depends on operand order that C
    compilers may swap, so even the engine does not reproduce a nan's sign."""
    if type(a) is float and type(b) is float:
        if a != a:
            return b != b
        return struct.pack("<d", a) == struct.pack("<d", b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b
