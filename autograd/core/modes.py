"""Switches that change how ops behave: ``no_grad``, ``detect_anomaly``, ``gc_paused``.

``no_grad`` and ``detect_anomaly`` share one ``contextvars`` variable (a bit
set), so they are per thread and per asyncio task. A third bit, ``TRACE``, is
set while ``autograd.compile`` traces a function: the engine then reports to
the tracer (``get_tracer()``) what a replay must know (see ``autograd.compiler``).

The hot path of every op first asks ``modes_in_use``, a set that is empty
unless some context, anywhere, has a mode set: only then does it look its own
context's mode up (a lookup per node would be a noticeable share of building a graph).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gc
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar, cast, overload

from autograd.core import ieee as _ieee

NO_GRAD = 1
ANOMALY = 2
TRACE = 4

# The ids of the _Mode objects alive. Each context with a mode set holds one
# (so do the tokens that will restore one), and it leaves this set when the last
# of them lets go of it: copies of a context (asyncio tasks, copy_context) that
# outlive the with-block keep it in, so an empty set means that no code anywhere
# runs under a mode. Set operations are atomic: no lock, even from __del__.
modes_in_use: set[int] = set()


class _Mode:
    """The mode bits of a context, when some are set (``None`` stands for none)."""

    __slots__ = ("bits",)

    def __init__(self, bits: int) -> None:
        self.bits = bits
        modes_in_use.add(id(self))

    def __del__(self, _forget: Callable[[int], None] = modes_in_use.discard) -> None:
        _forget(id(self))  # (bound at definition: still there at interpreter exit)


_mode: contextvars.ContextVar[_Mode | None] = contextvars.ContextVar("chaingrad_mode", default=None)


def get_mode() -> int:
    """The mode bits in force in the current context (0: none)."""
    mode = _mode.get()
    return 0 if mode is None else mode.bits


_tracer: contextvars.ContextVar[Any] = contextvars.ContextVar("chaingrad_tracer", default=None)
get_tracer = _tracer.get
F = TypeVar("F", bound=Callable[..., Any])


class AnomalyError(ArithmeticError):
    """Raised inside ``detect_anomaly()`` when an op turns finite inputs into nan or inf.

    Examples:
        >>> from autograd import Value, detect_anomaly, AnomalyError
        >>> try:
        ...     with detect_anomaly():
        ...         Value(-1.0).log() * 0
        ... except AnomalyError as e:
        ...     print(type(e).__name__)
        AnomalyError
    """


class _Switch:
    """A context manager and decorator that sets and clears mode bits.

    One object can be entered again, nested or not, and shared between threads
    and asyncio tasks: what each ``with`` replaced is kept on a stack per
    context (``_saved``), not on the object. As a decorator (``@no_grad()``)
    the switch is in force for each call of the function.
    """

    __slots__ = ("_on", "_off")

    def __init__(self, on: int = 0, off: int = 0) -> None:
        self._on = on
        self._off = off

    def __enter__(self) -> None:
        bits = (get_mode() | self._on) & ~self._off
        token = _mode.set(_Mode(bits) if bits else None)
        _saved.set((*_saved.get(), token))

    def __exit__(self, *exc: object) -> None:
        # with-blocks nest within a context, so the innermost one ends first
        *rest, token = _saved.get()
        _saved.set(tuple(rest))
        _mode.reset(token)

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def switched(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return cast(F, switched)


# What each active switch replaced, innermost last (see _Switch).
_saved: contextvars.ContextVar[tuple[contextvars.Token[_Mode | None], ...]] = (
    contextvars.ContextVar("chaingrad_mode_saved", default=())
)


def _switch(on: int, off: int, func: F | None) -> Any:
    if func is None:
        return _Switch(on, off)
    if not callable(func):
        raise TypeError(f"expected a function to decorate, not {type(func).__name__}")
    return _Switch(on, off)(func)


@overload
def no_grad() -> _Switch: ...
@overload
def no_grad(func: F) -> F: ...
def no_grad(func: F | None = None) -> Any:
    """Within this block (or decorated function) ops record no graph: their
    results are plain leaves. For evaluation and parameter updates.

    ``with no_grad():``, ``@no_grad()`` and ``@no_grad`` all work; one object
    may be entered again. ``backward()`` of a result computed inside raises
    (it has no graph); ``backward(create_graph=True)`` still records.

    Args:
        func: a function to decorate; None (the default) gives a switch to use with ``with``
            or as a decorator.

    Returns:
        The switch (a context manager and decorator), or ``func`` wrapped in it.

    Raises:
        TypeError: ``func`` is not callable.

    Examples:
        >>> from autograd import Value, no_grad
        >>> x = Value(2.0)
        >>> with no_grad():
        ...     y = x * x
        >>> y.data, y.op  # a leaf: no graph recorded
        (4.0, '')
    """
    return _switch(NO_GRAD, 0, func)


@overload
def enable_grad() -> _Switch: ...
@overload
def enable_grad(func: F) -> F: ...
def enable_grad(func: F | None = None) -> Any:
    """Record graphs again inside a ``no_grad`` block (block or decorator).

    Args:
        func: a function to decorate; None (the default) gives a switch to use with ``with``
            or as a decorator.

    Returns:
        The switch (a context manager and decorator), or ``func`` wrapped in it.

    Raises:
        TypeError: ``func`` is not callable.

    Examples:
        >>> from autograd import Value, no_grad, enable_grad
        >>> x = Value(2.0)
        >>> with no_grad():
        ...     with enable_grad():
        ...         y = x * x
        >>> y.op
        '*'
    """
    return _switch(0, NO_GRAD, func)


@contextlib.contextmanager
def tracing(tracer: Any) -> Iterator[None]:
    """Within this block the engine reports to ``tracer`` (``autograd.compile`` uses it)."""
    token = _tracer.set(tracer)
    try:
        with _Switch(on=TRACE):
            yield
    finally:
        _tracer.reset(token)


def is_grad_enabled() -> bool:
    """False inside ``no_grad()``.

    Examples:
        >>> from autograd import no_grad, is_grad_enabled
        >>> is_grad_enabled()
        True
        >>> with no_grad():
        ...     print(is_grad_enabled())
        False
    """
    return not get_mode() & NO_GRAD


@overload
def detect_anomaly() -> _Switch: ...
@overload
def detect_anomaly(func: F) -> F: ...
def detect_anomaly(func: F | None = None) -> Any:
    """Within this block (or decorated function), an op whose result (forward)
    or input gradient (backward) is nan or inf although everything it was
    computed from was finite raises ``AnomalyError`` naming the op, its inputs
    and their labels. With ``backward(create_graph=True)`` the op named is the
    one whose derivative rule gave the gradient, as without it.

    Args:
        func: a function to decorate; None (the default) gives a switch to use with ``with``
            or as a decorator.

    Returns:
        The switch (a context manager and decorator), or ``func`` wrapped in it.

    Raises:
        TypeError: ``func`` is not callable.

    Examples:
        >>> from autograd import Value, detect_anomaly, AnomalyError
        >>> try:
        ...     with detect_anomaly():
        ...         Value(0.0).sqrt().backward()
        ... except AnomalyError as e:
        ...     print(str(e).split(" from ")[0])
        backward of op 'sqrt' gave gradient inf for input 0
    """
    return _switch(ANOMALY, 0, func)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector inside this block (it is turned
    back on after, if it was on).

    The engine never creates reference cycles, so reference counting alone
    frees every graph; while a large graph is built and differentiated the
    collector would only scan live nodes again and again, a large share of a
    training step (``benchmarks/engine.py`` measures it). ``nn.fit`` runs
    each step inside this. Cycles that other code makes
    meanwhile are collected once the block ends.

    Examples:
        >>> import gc
        >>> from autograd import Value, gc_paused
        >>> with gc_paused():
        ...     print(gc.isenabled())
        False
        >>> gc.isenabled()
        True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# ---------------------------------------------------------------- anomaly checks


def _data(x: Any) -> Any:
    return getattr(x, "data", x)


def _describe(parents: Sequence[Any]) -> str:
    return ", ".join(
        f"{p.label!r} = {p.data!r}" if p.label else f"input {i} = {p.data!r}"
        for i, p in enumerate(parents)
    )


def check_forward(op: str, data: float, parents: Sequence[Any]) -> None:
    """Raise AnomalyError if ``data`` is not finite but all ``parents`` are."""
    if not _ieee.is_finite(data) and all(_ieee.is_finite(p.data) for p in parents):
        raise AnomalyError(f"op {op!r} gave {data!r} from finite inputs ({_describe(parents)})")


def check_backward(node: Any, g: Any, parents: Sequence[Any], grads: Sequence[Any]) -> None:
    """Raise AnomalyError if a gradient in ``grads`` is not finite although the
    node's value, its upstream gradient ``g`` and its inputs are."""
    if not (_ieee.is_finite(_data(g)) and _ieee.is_finite(node.data)):
        return
    if not all(_ieee.is_finite(p.data) for p in parents):
        return
    for i, gp in enumerate(grads):
        if not _ieee.is_finite(_data(gp)):
            who = repr(parents[i].label) if parents[i].label else f"input {i}"
            name = f" {node.label!r}" if node.label else ""
            raise AnomalyError(
                f"backward of op {node.op!r}{name} gave gradient {_data(gp)!r} for {who} "
                f"from finite values (output {node.data!r}, upstream gradient {_data(g)!r}; "
                f"inputs {_describe(parents)})"
            )
