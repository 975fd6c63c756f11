"""Switches that change how ops behave: ``no_grad``, ``detect_anomaly``, ``gc_paused``.

``no_grad`` and ``detect_anomaly`` share one ``contextvars`` variable (a bit
set), so they are per thread and per asyncio task, and the hot path of every op
pays for a single lookup. A third bit, ``TRACE``, is set while
``autograd.compile`` traces a function: the engine then reports to the tracer
(``get_tracer()``) what a replay must know (see ``autograd.compiler``).
"""

from __future__ import annotations

import contextlib
import contextvars
import gc
from collections.abc import Iterator, Sequence
from typing import Any

from autograd import _ieee

NO_GRAD = 1
ANOMALY = 2
TRACE = 4
_mode: contextvars.ContextVar[int] = contextvars.ContextVar("chaingrad_mode", default=0)
get_mode = _mode.get  # bound once: ops call it for every node
_tracer: contextvars.ContextVar[Any] = contextvars.ContextVar("chaingrad_tracer", default=None)
get_tracer = _tracer.get


class AnomalyError(ArithmeticError):
    """Raised inside ``detect_anomaly()`` when an op turns finite inputs into nan or inf."""


@contextlib.contextmanager
def _set_bits(on: int = 0, off: int = 0) -> Iterator[None]:
    token = _mode.set((_mode.get() | on) & ~off)
    try:
        yield
    finally:
        _mode.reset(token)


def no_grad() -> contextlib.AbstractContextManager[None]:
    """Within this block (or decorated function) ops record no graph: their
    results are plain leaves. For evaluation and parameter updates."""
    return _set_bits(on=NO_GRAD)


def enable_grad() -> contextlib.AbstractContextManager[None]:
    """Record graphs again inside a ``no_grad`` block."""
    return _set_bits(off=NO_GRAD)


@contextlib.contextmanager
def tracing(tracer: Any) -> Iterator[None]:
    """Within this block the engine reports to ``tracer`` (``autograd.compile`` uses it)."""
    token = _tracer.set(tracer)
    try:
        with _set_bits(on=TRACE):
            yield
    finally:
        _tracer.reset(token)


def is_grad_enabled() -> bool:
    """False inside ``no_grad()``."""
    return not _mode.get() & NO_GRAD


def detect_anomaly() -> contextlib.AbstractContextManager[None]:
    """Within this block, an op whose result (forward) or input gradient
    (backward) is nan or inf although everything it was computed from was
    finite raises ``AnomalyError`` naming the op, its inputs and their labels."""
    return _set_bits(on=ANOMALY)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector inside this block (it is turned
    back on after, if it was on).

    The engine never creates reference cycles, so reference counting alone
    frees every graph; while a large graph is built and differentiated the
    collector only scans live nodes, which is about a third of a training
    step. ``nn.fit`` runs each step inside this. Cycles that other code makes
    meanwhile are collected once the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# ---------------------------------------------------------------- anomaly checks


def _data(x: Any) -> float:
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
