"""The CPython internals ``autograd.compiler.symbolic`` relies on, kept in one place.

Running an op's own functions on symbols needs three things Python does not
offer as ordinary API, and each may change between Python versions:

- a function's code run with other globals (``copy_function``, ``Shadows``):
  the engine's modules are executed as written, with their helpers seen
  through replacements;
- whether a code object can catch an exception (``has_handlers``): read from
  the exception table (3.11+) or the setup instructions (``dis``) before;
- the frames between a call and a given function (``unguarded``), so that an
  operation that may raise is only recorded where nothing could catch it.
"""

from __future__ import annotations

import dis
import functools
import sys
import types
from collections.abc import Callable
from typing import Any

__all__ = ["Shadows", "copy_function", "has_handlers", "unguarded"]

_handlers: dict[types.CodeType, bool] = {}


def has_handlers(code: types.CodeType) -> bool:
    """Whether ``code`` has try/except/finally or with blocks (conservatively)."""
    found = _handlers.get(code)
    if found is None:
        table = getattr(code, "co_exceptiontable", None)  # Python 3.11+
        if table is not None:
            found = bool(table)
        else:
            setups = {"SETUP_FINALLY", "SETUP_WITH", "SETUP_ASYNC_WITH"}
            found = any(i.opname in setups for i in dis.get_instructions(code))
        _handlers[code] = found
    return found


def unguarded(stop: types.CodeType, own: dict[str, Any], depth: int) -> bool:
    """True when no frame from ``depth`` frames up to the nearest frame running
    ``stop`` could catch an exception (frames whose globals are ``own`` are not
    asked); False as well when no frame runs ``stop``."""
    f: types.FrameType | None = sys._getframe(depth)
    while f is not None and f.f_code is not stop:
        if f.f_globals is not own and has_handlers(f.f_code):
            return False
        f = f.f_back
    return f is not None


def copy_function(fn: types.FunctionType, g: dict[str, Any]) -> types.FunctionType:
    """``fn``'s code, defaults and closure, with the globals ``g``."""
    new = types.FunctionType(fn.__code__, g, fn.__name__, fn.__defaults__, fn.__closure__)
    new.__kwdefaults__ = fn.__kwdefaults__
    return new


class Shadows:
    """Module globals seen through replacements, made once per module.

    In a module's shadow globals, each function defined by the module becomes
    ``boundary(copy, real)`` (``copy`` runs in the shadow globals too), each
    object whose id is in ``replace`` its replacement, each module for which
    ``module`` returns an object that object, and the builtins ``builtins``.
    """

    def __init__(
        self,
        boundary: Callable[[Callable[..., Any], Callable[..., Any]], Callable[..., Any]],
        replace: dict[int, Any],
        builtins: dict[str, Any],
        module: Callable[[types.ModuleType], Any],
    ) -> None:
        self._boundary = boundary
        self._replace = replace
        self._builtins = builtins
        self._module = module
        self._made: dict[int, dict[str, Any]] = {}

    def globals_of(self, g: dict[str, Any]) -> dict[str, Any]:
        """The shadow of the module globals ``g``."""
        found = self._made.get(id(g))
        if found is not None:
            return found
        sg: dict[str, Any] = dict(g)
        self._made[id(g)] = sg
        sg["__builtins__"] = self._builtins
        for name, obj in g.items():
            if name == "__builtins__":  # (the builtins module itself, in __main__)
                continue
            if isinstance(obj, types.FunctionType) and obj.__globals__ is g:
                sg[name] = self._boundary(copy_function(obj, sg), obj)
            elif id(obj) in self._replace:
                sg[name] = self._replace[id(obj)]
            elif isinstance(obj, types.ModuleType):
                proxy = self._module(obj)
                if proxy is not None:
                    sg[name] = proxy
        return sg

    def shadowed(self, fn: Any) -> Callable[..., Any]:
        """``fn`` running with shadow globals (plain functions, bound methods and
        callable objects whose code is Python); C functions as they are."""
        if isinstance(fn, types.FunctionType):
            return copy_function(fn, self.globals_of(fn.__globals__))
        if isinstance(fn, types.MethodType) and isinstance(fn.__func__, types.FunctionType):
            return functools.partial(self.shadowed(fn.__func__), fn.__self__)
        owner = next((k for k in type(fn).__mro__ if "__call__" in k.__dict__), None)
        call = None if owner is None else owner.__dict__["__call__"]
        if isinstance(call, types.FunctionType):
            return functools.partial(self.shadowed(call), fn)
        return fn  # type: ignore[no-any-return]
