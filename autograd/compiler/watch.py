"""What ``f`` does to Values while ``autograd.compile`` traces it.

The engine reports the nodes it makes (``autograd.core.value``), but a user's
code can also look at a Value's number directly. While a trace runs, every
Value the trace knows of (the arguments, the nodes and constants made in
``f``, and each captured leaf from the first op that uses it) is given a class
of its own for the duration (``watched``): the same class but for ``data`` and
``grad``, which become properties. The engine's own modules read and write
them as before; code outside ``autograd``:

- reading ``.data`` gets a ``DataRead``, a number that remembers where it came
  from: arithmetic on it, and a Value op with it, are recomputed at each replay
  (as ``detached`` values are); a comparison of it is a guard, as a comparison
  of Values is; anything else that needs the float itself (``float()``,
  ``math`` functions, ``int()``, ``bool()``, formatting, hashing) makes the
  exact number a guard, so a replay runs only where it is the same;
- reading ``.grad``, or writing ``.data`` or ``.grad``, is refused: a replay
  does not run ``f``, so it could not do it again.

``.grad`` of every ``Parameter`` is watched too while a trace runs
(``parameters_watched``), so ``optimizer.zero_grad()`` as the first line of
``f`` is refused as well. Untraced code never sees the watched classes: the
cost is paid by traces only. What stays unseen: a ``.data`` read of a captured
Value (not a Parameter) before any op of ``f`` has used it, which the trace
fixes as a constant (``compile(f, check=True)`` finds it).
"""

from __future__ import annotations

import math
import numbers
import operator
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from autograd.core.modes import TRACE, get_mode, get_tracer
from autograd.core.node import Node
from autograd.core.value import Parameter, Value, detached, same_number

__all__ = ["DataRead", "parameters_watched", "restore", "watch", "watched"]

_DATA = Node.__dict__["data"]  # the slots themselves, below any property
_GRAD = Node.__dict__["grad"]


def _engine(depth: int = 2) -> bool:
    """Whether the code reading or writing runs in one of autograd's own modules."""
    name = sys._getframe(depth).f_globals.get("__name__", "")
    return isinstance(name, str) and name.startswith("autograd.")


def _tracer() -> Any:
    return get_tracer() if get_mode() & TRACE else None


def _get_data(self: Value) -> Any:
    raw = _DATA.__get__(self)
    if _engine():
        return raw
    tracer = _tracer()
    return raw if tracer is None else DataRead(self, raw, tracer)


def _set_data(self: Node, value: Any) -> None:
    if not _engine() and _tracer() is not None:
        raise RuntimeError(
            "autograd.compile: f writes a Value's .data, which a replay would not do again; "
            "change parameters outside the compiled function (an optimizer step after the call)"
        )
    _DATA.__set__(self, value)


def _get_grad(self: Node) -> Any:
    if not _engine() and _tracer() is not None:
        raise RuntimeError(
            "autograd.compile: f reads a Value's .grad, which the compiled call fills in only "
            "after f; read gradients outside the compiled function"
        )
    return _GRAD.__get__(self)


def _set_grad(self: Node, value: Any) -> None:
    if not _engine() and _tracer() is not None:
        raise RuntimeError(
            "autograd.compile: f writes a Value's .grad (zero_grad() inside f?), which a "
            "replay would not do again; zero the gradients outside the compiled function"
        )
    _GRAD.__set__(self, value)


_traces = 0  # traces running (on any thread): Parameter.grad is watched while > 0
_traces_lock = threading.Lock()


@contextmanager
def parameters_watched() -> Iterator[None]:
    """While a trace runs, ``Parameter.grad`` is watched on every parameter, even
    those ``f`` touches before any op uses them (``optimizer.zero_grad()`` first
    thing in ``f``). Untraced code on other threads pays one property call per
    ``.grad`` of a parameter meanwhile; no trace running, nothing."""
    global _traces
    with _traces_lock:
        _traces += 1
        if _traces == 1:
            setattr(Parameter, "grad", property(_get_grad, _set_grad))  # noqa: B010
    try:
        yield
    finally:
        with _traces_lock:
            _traces -= 1
            if _traces == 0:
                delattr(Parameter, "grad")  # noqa: B010


_classes: dict[type, type] = {}


def watched(cls: type) -> type:
    """``cls`` with ``data`` and ``grad`` watched (one class per ``cls``, same name)."""
    found = _classes.get(cls)
    if found is None:
        found = type(
            cls.__name__,
            (cls,),
            {
                "__slots__": (),
                "__module__": cls.__module__,
                "__qualname__": cls.__qualname__,
                "data": property(_get_data, _set_data),
                "grad": property(_get_grad, _set_grad),
                "_chaingrad_watched": cls,
            },
        )
        _classes[cls] = found
    return found


def watch(v: Any) -> bool:
    """Give ``v`` its watched class; False when it has one already."""
    cls = type(v)
    if "_chaingrad_watched" in cls.__dict__:
        return False
    v.__class__ = watched(cls)
    return True


def restore(v: Any) -> None:
    """Give ``v`` its own class back."""
    own = type(v).__dict__.get("_chaingrad_watched")
    if own is not None:
        v.__class__ = own


# ---------------------------------------------------------------- the number read


def _source(x: Any) -> Any:
    """A DataRead's Value, or the operand as it is."""
    return x.src if type(x) is DataRead else x


class DataRead:
    """A number read from ``.data`` while ``f`` is traced (see the module docstring).

    Outside the trace that made it, it is its float.
    """

    __slots__ = ("src", "num", "tracer", "_leaf")

    def __init__(self, src: Value, num: float, tracer: Any) -> None:
        self.src = src  # the Value read (a replay recomputes it)
        self.num = num
        self.tracer = tracer
        self._leaf: Value | None = None

    def _live(self) -> bool:
        return _tracer() is self.tracer

    def leaf(self) -> Value:
        """A leaf with this number, recomputed at each replay, no gradient back."""
        if self._leaf is None:
            self._leaf = detached(same_number, self.src)
        return self._leaf

    def exact(self) -> float:
        """The float itself: the exact number becomes a guard of the trace."""
        if self._live():
            self.tracer.to_float(self.src)
        return self.num

    # arithmetic: recomputed at each replay
    def _arith(self, op: Callable[[Any, Any], Any], other: Any, mirrored: bool) -> Any:
        if not self._live():
            o = other.num if type(other) is DataRead else other
            return op(o, self.num) if mirrored else op(self.num, o)
        if isinstance(other, Value):
            return op(other, self.leaf()) if mirrored else op(self.leaf(), other)
        if type(other) is DataRead:
            fn = (lambda a, b: op(b, a)) if mirrored else op
            return _read(detached(fn, self.leaf(), other.leaf()), self.tracer)
        if isinstance(other, numbers.Real) and not isinstance(other, bool):
            c = other
            fn1 = (lambda a: op(c, a)) if mirrored else (lambda a: op(a, c))
            return _read(detached(fn1, self.leaf()), self.tracer)
        if isinstance(other, bool):
            return self._arith(op, int(other), mirrored)
        return NotImplemented

    def _unary(self, op: Callable[[Any], Any]) -> Any:
        if not self._live():
            return op(self.num)
        return _read(detached(op, self.leaf()), self.tracer)

    def __add__(self, o: Any) -> Any:
        return self._arith(operator.add, o, False)

    def __radd__(self, o: Any) -> Any:
        return self._arith(operator.add, o, True)

    def __sub__(self, o: Any) -> Any:
        return self._arith(operator.sub, o, False)

    def __rsub__(self, o: Any) -> Any:
        return self._arith(operator.sub, o, True)

    def __mul__(self, o: Any) -> Any:
        return self._arith(operator.mul, o, False)

    def __rmul__(self, o: Any) -> Any:
        return self._arith(operator.mul, o, True)

    def __truediv__(self, o: Any) -> Any:
        return self._arith(operator.truediv, o, False)

    def __rtruediv__(self, o: Any) -> Any:
        return self._arith(operator.truediv, o, True)

    def __floordiv__(self, o: Any) -> Any:
        return self._arith(operator.floordiv, o, False)

    def __rfloordiv__(self, o: Any) -> Any:
        return self._arith(operator.floordiv, o, True)

    def __mod__(self, o: Any) -> Any:
        return self._arith(operator.mod, o, False)

    def __rmod__(self, o: Any) -> Any:
        return self._arith(operator.mod, o, True)

    def __pow__(self, o: Any) -> Any:
        return self._arith(operator.pow, o, False)

    def __rpow__(self, o: Any) -> Any:
        return self._arith(operator.pow, o, True)

    def __neg__(self) -> Any:
        return self._unary(operator.neg)

    def __pos__(self) -> Any:
        return self._unary(operator.pos)

    def __abs__(self) -> Any:
        return self._unary(abs)

    # comparisons: guards, as comparisons of Values are
    def _cmp(self, op: Callable[[Any, Any], bool], other: Any) -> Any:
        if not self._live():
            return op(self.num, other.num if type(other) is DataRead else other)
        o = _source(other)
        if not isinstance(o, (Value, numbers.Real)):
            return NotImplemented
        return op(self.src, float(o) if not isinstance(o, Value) else o)

    def __lt__(self, o: Any) -> Any:
        return self._cmp(operator.lt, o)

    def __le__(self, o: Any) -> Any:
        return self._cmp(operator.le, o)

    def __gt__(self, o: Any) -> Any:
        return self._cmp(operator.gt, o)

    def __ge__(self, o: Any) -> Any:
        return self._cmp(operator.ge, o)

    def __eq__(self, o: object) -> bool:
        if not self._live():
            return self.num == (o.num if type(o) is DataRead else o)
        if not isinstance(_source(o), (Value, numbers.Real)):
            return NotImplemented
        # equal exactly when neither is smaller; nan is neither, and unequal
        le, ge = self._cmp(operator.le, o), self._cmp(operator.ge, o)
        return bool(le and ge)

    def __ne__(self, o: object) -> bool:
        eq = self.__eq__(o)
        return eq if eq is NotImplemented else not eq

    # the float itself: an exact guard
    def __float__(self) -> float:
        return float(self.exact())

    def __int__(self) -> int:
        return int(self.exact())

    def __bool__(self) -> bool:
        return bool(self.exact())

    def __hash__(self) -> int:
        return hash(self.exact())

    def __round__(self, n: int | None = None) -> Any:
        return round(self.exact(), n)

    def __trunc__(self) -> int:
        return math.trunc(self.exact())

    def __floor__(self) -> int:
        return math.floor(self.exact())

    def __ceil__(self) -> int:
        return math.ceil(self.exact())

    def __format__(self, spec: str) -> str:
        return format(self.exact(), spec)

    def __repr__(self) -> str:
        return repr(self.exact())

    __str__ = __repr__

    def __getattr__(self, name: str) -> Any:  # float's methods: is_integer, hex, ...
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.exact(), name)


numbers.Real.register(DataRead)


def _read(v: Value, tracer: Any) -> DataRead:
    return DataRead(v, _DATA.__get__(v), tracer)
