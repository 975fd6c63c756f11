"""``autograd.compile``: trace a function once, replay it as generated straight-line Python.

A scalar engine spends its time on the graph it rebuilds every step: making
nodes, sorting them, calling one rule per node. When a function builds a graph
of the same shape every call (a training step of an ``nn`` model does), all of
that can be done once::

    step = autograd.compile(lambda xs, ys: loss(model, xs, ys))
    value = step(xs, ys)  # == out = f(xs, ys); out.backward(); out.data

The first call runs ``f`` with the engine while a tracer watches (``_Tracer``),
then writes one Python function that recomputes every value and gradient with
plain floats, in exactly the order and with exactly the operations of
``out.backward()`` (``_Codegen``): each op's code comes from its own rule and
forward function (``autograd.compiler.symbolic``), never from a second copy of the math;
a node with very many inputs is a loop over its op's own functions instead
(``autograd.compiler.wide``). Later calls run that function. Results are bit
for bit those of the engine.

What a replay reads afresh, and what a trace fixes (``Compiled`` documents the
rules for callers):

- every leaf the graph reaches that existed before the call (parameters
  captured by ``f``, Values passed in): its ``.data`` is read at each call and
  its ``.grad`` accumulated as ``backward()`` would;
- float arguments: read at each call (``f`` sees each as a leaf ``Value``);
- int and bool arguments, the nesting of list/tuple arguments, and which
  arguments are the same Value: part of the cache key (another value is
  another trace);
- ``.data`` read inside ``f`` (``autograd.compiler.watch``): recomputed at
  each call where it flows into arithmetic or back into Values; a guard where
  it is compared, and an exact guard where its float itself is taken
  (``float()``, ``math``, ``int()``, formatting);
- comparisons of Values (``<``, ``<=``, ``>``, ``>=``), ``max``/``min`` over
  them and ``float(value)`` made while tracing: guards, checked at each call;
  a failed guard traces again. ``detached`` values are recomputed at each call;
- everything else ``f`` reads (a global or closure hyperparameter, a rebound
  model, a replaced parameter, ``random``, ``time``) is fixed by the trace,
  like numbers and Values created inside ``f``; side effects happen only while
  tracing. ``compile(f, check=...)`` finds such reads: it runs the engine
  beside the replays and raises ``CompileMismatch`` on the first differing bit.

Refused, with a one-line error: reading ``.grad`` or writing ``.grad``/``.data``
of a Value inside ``f`` (zero the gradients outside), ``backward()``,
``detect_anomaly()`` or a graph built on another thread inside ``f``, a result
computed under ``no_grad()`` (the engine's own error), and in ``aux`` anything
but Values in lists, tuples, dicts and namedtuples.
"""

from __future__ import annotations

import builtins
import re
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from autograd.compiler import arguments as _arguments
from autograd.compiler import names as _names
from autograd.compiler import symbolic as _symbolic
from autograd.compiler import watch as _watch
from autograd.compiler import wide as _wide
from autograd.core.graph import topological_order
from autograd.core.modes import ANOMALY, NO_GRAD, TRACE, gc_paused, get_mode, tracing
from autograd.core.node import MANY as _MANY
from autograd.core.value import Value, same_number

__all__ = ["CompileMismatch", "Compiled", "compile"]

CACHE_SIZE = 32  # argument structures remembered per compiled function
MAX_TRACES = 8  # traces per argument structure (guards that keep failing)
_CHUNK_LINES = 150_000  # generated functions longer than this are split


class _Miss:
    """Returned by generated code when a guard fails."""

    __repr__ = lambda self: "<guard failed>"  # noqa: E731


_MISS = _Miss()


# ---------------------------------------------------------------- the public API


def compile(  # noqa: A001
    f: Callable[..., Any], *, has_aux: bool = False, check: bool | int | None = None
) -> Compiled:
    """Compile ``f``, a function returning a ``Value``, into a faster equivalent.

    ``g = autograd.compile(f)``; ``g(*args)`` has exactly the effect of
    ``out = f(*args); out.backward(); return out.data``. With ``has_aux=True``,
    ``f`` returns ``(out, aux)`` and ``g`` returns ``(out.data, aux)`` with
    every Value in ``aux`` (nested lists, tuples, dicts and namedtuples)
    replaced by its float. See ``Compiled`` for what a replay reads afresh and
    what a trace fixes.

    Args:
        f: the function.
        has_aux: whether ``f`` returns ``(out, aux)``.
        check: ``True`` runs ``f`` with the engine beside every replay, an int
            ``n`` beside every n-th, and raises ``CompileMismatch`` on the first
            number that differs by a bit, naming it: how to find out that ``f``
            reads something a trace fixes. ``None``: ``CHECK`` (False).

    Raises:
        TypeError: ``f`` is not callable, or ``check`` is not a bool or an int.
        ValueError: ``check`` is an int below 1.
    """
    if not callable(f):
        raise TypeError(f"autograd.compile expects a function, not {type(f).__name__}")
    if check is not None and not isinstance(check, (bool, int)):
        raise TypeError(f"check must be a bool or an int, not {type(check).__name__}")
    if check is not None and not isinstance(check, bool) and check < 1:
        raise ValueError(f"check must be True, False or an int >= 1 (every n-th call), not {check}")
    return Compiled(f, has_aux=has_aux, check=check)


CHECK: bool | int = False  # compile's check=None means this (the project's tests set it)


class CompileMismatch(AssertionError):
    """A checked replay (``compile(f, check=...)``) differs from the engine."""


class Compiled:
    """A function compiled by ``autograd.compile``.

    Arguments may be numbers, Values and (nested) lists or tuples of them, by
    position or keyword:

    - a float argument reaches ``f`` as a leaf ``Value`` and is read afresh at
      every call (no new trace when it changes);
    - an int or bool argument reaches ``f`` as it is and is part of the cache
      key, like the nesting and lengths of lists and tuples and which
      arguments are the same Value: each combination gets its own trace;
    - a Value argument is read at each call and its ``.grad`` accumulated.

    Numbers and Values created inside ``f`` are constants of the trace, and
    parameters it captures are read at every call. Comparisons of Values and
    ``float(value)`` inside ``f`` are guards: when one comes out differently
    at a later call, ``f`` is traced again (at most ``max_traces`` times per
    argument structure; after that the structure runs uncompiled, with a
    ``RuntimeWarning``). At most ``cache_size`` argument structures are kept
    (least recently used first out); once ``f`` has been traced ``cache_size``
    times and replayed fewer times than that, its arguments keep changing
    structure and new structures run uncompiled (one ``RuntimeWarning``). A
    call inside ``no_grad()`` or ``detect_anomaly()`` raises ``RuntimeError``:
    call ``f`` directly there.

    ``traces`` counts the traces made and ``replays`` the calls that ran a
    trace's code; ``source`` is the generated Python source of the most recent
    trace (for the curious).

    Args:
        f: the function compiled; make one with ``autograd.compile``, which checks the arguments.
        has_aux: whether ``f`` returns ``(out, aux)``.
        check: as for ``autograd.compile``; None means the module's ``CHECK``.

    Raises:
        RuntimeError: (a call) inside ``no_grad()``, ``detect_anomaly()`` or another trace.
        CompileMismatch: (a checked call) the replay differs from the engine.

    Examples:
        >>> import autograd
        >>> from autograd import Value
        >>> w = Value(2.0)
        >>> f = autograd.compile(lambda x: w * x * x)
        >>> f(3.0), w.grad
        (18.0, 9.0)
        >>> f(3.0), w.grad
        (18.0, 18.0)
        >>> f.traces, f.replays
        (1, 1)
    """

    def __init__(
        self, f: Callable[..., Any], *, has_aux: bool = False, check: bool | int | None = None
    ) -> None:
        self.fn = f
        self.has_aux = has_aux
        self.check = check
        self.traces = 0
        self.replays = 0
        self._gave_up = False
        self.cache_size = CACHE_SIZE
        self.max_traces = MAX_TRACES
        self._cache: OrderedDict[Any, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._last: _Trace | None = None
        self.__doc__ = getattr(f, "__doc__", None)
        self.__name__ = getattr(f, "__name__", type(f).__name__)
        self.__qualname__ = getattr(f, "__qualname__", self.__name__)

    def __repr__(self) -> str:
        return f"<autograd.compile of {self.__qualname__}: {self.traces} traces>"

    @property
    def source(self) -> str | None:
        """The generated source of the most recent trace (None before the first call)."""
        return None if self._last is None else self._last.source

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        mode = get_mode()
        if mode & (NO_GRAD | ANOMALY | TRACE):
            raise RuntimeError(_refusal(mode))
        key, floats, values = _arguments.flatten(args, kwargs)
        entry = self._cache.get(key)
        if entry is not None:
            self._cache.move_to_end(key)
            if entry.eager:
                return self._eager(args, kwargs)
            check = CHECK if self.check is None else self.check
            if check and self.replays % (1 if check is True else check) == 0:
                before = [(v, v.grad) for v in (*values, *_values_held(entry.traces))]
            else:
                before = None
            for trace in entry.traces:
                if values and not trace.held_ids.isdisjoint(map(id, values)):
                    return self._eager(args, kwargs)  # an argument is also captured
                result = trace.code(floats, values, trace.held)
                if result is not _MISS and before is not None:
                    self.replays += 1
                    return self._compare(trace.finish(result), before, args, kwargs)
                if result is not _MISS:
                    self.replays += 1
                    if trace is not entry.traces[0]:
                        entry.traces.remove(trace)
                        entry.traces.insert(0, trace)
                    self._last = trace
                    return trace.finish(result)
        return self._trace_and_run(key, args, kwargs, floats, values)

    # ------------------------------------------------------------ internals

    def _trace_and_run(
        self,
        key: Any,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        floats: list[float],
        values: list[Value],
    ) -> Any:
        with self._lock:
            if self.traces >= self.cache_size and self.replays < self.traces:
                if not self._gave_up:
                    self._gave_up = True
                    warnings.warn(
                        f"autograd.compile: {self.__qualname__} was traced {self.traces} times "
                        f"and replayed {self.replays} times: its arguments keep changing "
                        "structure (int arguments, list lengths, ...), so new structures now "
                        "run uncompiled",
                        RuntimeWarning,
                        stacklevel=3,
                    )
                return self._eager(args, kwargs)
            entry = self._cache.get(key)
            if entry is None:
                entry = self._cache[key] = _Entry()
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(key)
                for trace in entry.traces:  # made meanwhile by another thread?
                    if values and not trace.held_ids.isdisjoint(map(id, values)):
                        break
                    result = trace.code(floats, values, trace.held)
                    if result is not _MISS:
                        self.replays += 1
                        return trace.finish(result)
                if entry.eager:
                    return self._eager(args, kwargs)
            if len(entry.traces) >= self.max_traces:
                entry.eager = True
                warnings.warn(
                    f"autograd.compile: {self.__qualname__} was traced {len(entry.traces)} "
                    "times for one argument structure because its guards keep failing; "
                    "it now runs uncompiled for these arguments",
                    RuntimeWarning,
                    stacklevel=3,
                )
                return self._eager(args, kwargs)
            # A trace builds the whole graph and tens of thousands of lines of source in
            # one go: the cyclic collector would only rescan them (the engine makes no
            # cycles), about a seventh of a first call, so it is paused as in nn.fit.
            with gc_paused():
                trace = _trace(self.fn, args, kwargs, self.has_aux)
            self.traces += 1
            entry.traces.insert(0, trace)
            self._last = trace
        if values and not trace.held_ids.isdisjoint(map(id, values)):
            return self._eager(args, kwargs)
        result = trace.code(floats, values, trace.held)
        if result is _MISS:  # the trace's own inputs must pass its guards
            raise RuntimeError(
                f"autograd.compile: {self.__qualname__} gave different results on the same "
                "inputs (does it use randomness or read .data?); call it uncompiled"
            )
        return trace.finish(result)

    def _compare(
        self,
        got: Any,
        before: list[tuple[Value, Any]],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> Any:
        """The replay's result ``got`` and gradients beside the engine's, from the
        gradients ``before`` the call; the engine's stay."""
        replayed = [v.grad for v, _ in before]
        for v, g in before:
            v.grad = g
        truth = self._eager(args, kwargs)
        pairs = (
            [("the result", got, truth)]
            if not self.has_aux
            else [
                ("the result", got[0], truth[0]),
                *(
                    (w, a, b)
                    for (w, a), (_, b) in zip(
                        _arguments.leaves(got[1]), _arguments.leaves(truth[1])
                    )
                ),
            ]
        )
        pairs += [(f"the .grad of {_name(v)}", a, v.grad) for (v, _), a in zip(before, replayed)]
        for where, a, b in pairs:
            if not _names.same(a, b):
                raise CompileMismatch(
                    f"autograd.compile(check=...): {where} is {a!r} replayed but {b!r} by the "
                    f"engine: {self.__qualname__} reads something its trace fixed (see "
                    "autograd.compile's contract); call it uncompiled"
                )
        return truth

    def _eager(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """The call without compiling: f sees what a trace would see (floats as
        fresh leaves), then backward()."""
        result = self.fn(
            *map(_arguments.float_leaves, args),
            **{k: _arguments.float_leaves(v) for k, v in kwargs.items()},
        )
        out, aux = _split_result(result, self.has_aux)
        out.backward()
        if not self.has_aux:
            return out.data
        return out.data, _arguments.floats_of(aux)


class _Entry:
    """The traces of one argument structure, most recently used first."""

    __slots__ = ("traces", "eager")

    def __init__(self) -> None:
        self.traces: list[_Trace] = []
        self.eager = False


def _values_held(traces: list[_Trace]) -> list[Value]:
    """The Values the traces read and write, once each."""
    seen: dict[int, Value] = {}
    for t in traces:
        for v in t.held:
            seen.setdefault(id(v), v)
    return list(seen.values())


def _name(v: Value) -> str:
    return f"{type(v).__name__} {v.label!r}" if v.label else f"a {type(v).__name__} ({v.data!r})"


def _refusal(mode: int) -> str:
    if mode & TRACE:
        return "a compiled function cannot be called while another function is being compiled"
    where = "no_grad()" if mode & NO_GRAD else "detect_anomaly()"
    return (
        f"a compiled function cannot run inside {where}: it always records and "
        "differentiates; call the uncompiled function there"
    )


def _split_result(result: Any, has_aux: bool) -> tuple[Value, Any]:
    if has_aux:
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise TypeError(
                "with has_aux=True the compiled function must return a pair (Value, aux), "
                f"not {type(result).__name__}"
            )
        out, aux = result
    else:
        out, aux = result, None
    if not isinstance(out, Value):
        raise TypeError(
            f"a compiled function must return a Value (to differentiate), not {type(out).__name__}"
        )
    return out, aux


# ---------------------------------------------------------------- arguments


# ---------------------------------------------------------------- tracing


class _Tracer:
    """What the engine reports while ``f`` runs (see the hooks in
    ``autograd.core.value``): nodes made, constants, guards, detached values."""

    def __init__(self) -> None:
        self.log: list[tuple[Any, ...]] = []  # in the order things happened
        self.born: dict[int, str] = {}  # id -> "node", "const", "float", "value", "host", "nograd"
        self.keep: list[Any] = []  # everything logged stays alive until codegen
        self.args: dict[int, int] = {}  # id of an argument leaf -> its index
        self.seen: set[int] = set()  # captured Values met as inputs
        self.watched: list[Any] = []  # captured Values given a watched class

    def argument(self, v: Value, kind: str, index: int) -> None:
        self.born[id(v)] = kind
        self.args[id(v)] = index
        self.keep.append(v)
        _watch.watch(v)

    def node(self, v: Value, a: Any, b: Any, rule: Any, detached: bool) -> None:
        if get_mode() & ANOMALY:
            raise RuntimeError(
                "autograd.compile: f enters detect_anomaly(), which a replay cannot check; "
                "call f uncompiled inside detect_anomaly() to find the op"
            )
        if detached:  # made under no_grad: a leaf whose value the replay recomputes
            self.born[id(v)] = "nograd"
            self.log.append(("nograd", v, a, b, rule))
        else:
            self.born[id(v)] = "node"
            self.log.append(("node", v))
        self.keep.append(v)
        self.watch_inputs(a, b)
        _watch.watch(v)

    def watch_inputs(self, a: Any, b: Any) -> None:
        """Captured leaves are watched from the first op that uses them."""
        born, watch, seen = self.born, _watch.watch, self.seen
        for p in _inputs(a, b):
            if id(p) not in born and id(p) not in seen and isinstance(p, Value):
                seen.add(id(p))
                if watch(p):
                    self.watched.append(p)

    def constant(self, v: Value) -> None:
        self.born[id(v)] = "const"
        self.keep.append(v)
        _watch.watch(v)

    def host(self, v: Value, fn: Callable[..., float], values: Sequence[Value]) -> None:
        self.born[id(v)] = "host"
        self.log.append(("host", v, fn, tuple(values)))
        self.keep.append(v)
        self.watch_inputs(tuple(values), _MANY)
        _watch.watch(v)

    def restore(self) -> None:
        """Every Value watched during the trace gets its own class back."""
        for v in self.keep:
            _watch.restore(v)
        for v in self.watched:
            _watch.restore(v)

    def compare(self, op: str, x: Value, other: Any, result: bool) -> None:
        self.log.append(("cmp", op, x, other, result))

    def to_float(self, x: Value) -> None:
        self.log.append(("float", x, float(x.data)))


def _trace(
    f: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], has_aux: bool
) -> _Trace:
    tracer = _Tracer()
    call_args, call_kwargs = _arguments.traced_args(args, kwargs, tracer)
    try:
        with tracing(tracer), _watch.parameters_watched():
            result = f(*call_args, **call_kwargs)
    finally:
        tracer.restore()
    out, aux = _split_result(result, has_aux)
    if tracer.born.get(id(out)) == "nograd":
        out.backward()  # the engine's own refusal: a value computed under no_grad()
    order = topological_order(out)
    _refuse_foreign_nodes(order, tracer.born)
    return _Codegen(tracer, out, aux, has_aux).trace(order)


def _refuse_foreign_nodes(order: list[Value], born: dict[int, str]) -> None:
    """A node the trace did not see made, whose inputs the trace made, was built
    where the engine could not report it (another thread)."""
    for v in order:  # (a leaf has no inputs: only nodes with a rule are asked)
        if v._rule is not None and id(v) not in born and any(id(p) in born for p in v.parents):
            raise RuntimeError(
                "autograd.compile: f's graph holds nodes made where the trace cannot see "
                "them (on another thread?); build the graph on the thread that calls f"
            )


class _Trace:
    """One trace: the generated function and what it needs at each call."""

    __slots__ = ("code", "held", "held_ids", "source", "finish")

    def __init__(
        self,
        code: Callable[..., Any],
        held: tuple[Any, ...],
        source: str,
        finish: Callable[[Any], Any],
    ) -> None:
        self.code = code
        self.held = held
        self.held_ids = frozenset(map(id, held))
        self.source = source
        self.finish = finish


# ---------------------------------------------------------------- code generation


def _inputs(a: Any, b: Any) -> list[Any]:
    """A node's inputs from its two slots (see ``autograd.core.node``), as the tracer is
    handed them: for a node being made, and for the nodes made under no_grad, which the
    log keeps the slots of."""
    return list(a) if b is _MANY else [a] if b is None else [a, b]


class _Codegen:
    """Writes the function that replays a trace (see the module docstring).

    Values are ``v<k>`` (``a<i>`` for float arguments, literals for
    constants), gradients ``g<k>``, the objects read at each call ``h<j>``
    (held) and ``q<i>`` (Value arguments); ``self.code`` collects the source
    one piece per node, guard or read, each piece one or more lines.
    """

    def __init__(self, tracer: _Tracer, out: Value, aux: Any, has_aux: bool) -> None:
        self.tr = tracer
        self.born = tracer.born
        self.out = out
        self.aux = aux
        self.aux_values = _arguments.aux_values(aux) if has_aux else []  # in order
        self.has_aux = has_aux
        self.names: dict[int, str] = {}  # id -> value expression (variable or literal)
        self.index: dict[int, int] = {}  # id -> node number k (for v<k>, g<k>, temps)
        self.held: list[Any] = []
        self.held_index: dict[int, int] = {}
        self.code: list[str] = []
        self.unpack: set[str] = set()  # the a<i>, q<i>, h<j> the code mentions
        self.gathered: set[int] = set()  # wide nodes whose w<k> is made
        self.holder: dict[str, tuple[str, int]] = {}  # "z<k>[i].grad" -> ("z<k>", i)
        self.ns: dict[str, Any] = {
            "_MISS": _MISS,
            "_same": _names.same,
            "_Hold": _symbolic.Holder,
            "_wh": _wide.holders,
            "_wi": _wide.inputs_of,
        }

    # names -----------------------------------------------------------

    def number(self, v: Value) -> int:
        k = self.index.get(id(v))
        if k is None:
            k = self.index[id(v)] = len(self.index)
        return k

    def value(self, v: Value) -> str:
        """The expression for v's value; v becomes held (read at each call) if
        it was neither made in the trace nor an argument."""
        name = self.names.get(id(v))
        if name is not None:
            return name
        kind = self.born.get(id(v))
        if kind == "const":
            name = _names.literal(v.data)
        elif kind == "float":
            name = f"a{self.tr.args[id(v)]}"
            self.unpack.add(name)
        else:
            name = f"v{self.number(v)}"
            if kind is None:  # existed before the call
                self.code.append(f"{name} = {self.hold(v)}.data")
            elif kind == "value":
                self.code.append(f"{name} = q{self.tr.args[id(v)]}.data")
                self.unpack.add(f"q{self.tr.args[id(v)]}")
        self.names[id(v)] = name
        return name

    def hold(self, v: Value) -> str:
        name = f"h{self.held_at(v)}"
        self.unpack.add(name)
        return name

    def held_at(self, v: Value) -> int:
        """v's index among the held objects (``H``)."""
        j = self.held_index.get(id(v))
        if j is None:
            j = self.held_index[id(v)] = len(self.held)
            self.held.append(v)
        return j

    def operand(self, x: Any) -> str:
        return self.value(x) if isinstance(x, Value) else _names.literal(x)

    # the trace -------------------------------------------------------

    def trace(self, order: list[Value]) -> _Trace:
        """The replay of the graph whose ``topological_order(out)`` is ``order``."""
        self.forward(self.needed())
        live = self.liveness(order)
        writes = self.backward(order, live)
        result = ", ".join([self.value(self.out), *map(self.value, self.aux_values)]) + ","
        return self.assemble(writes, result)

    def needed(self) -> set[int]:
        """The nodes made in the trace whose values a replay must compute."""
        seeds: list[Any] = [self.out, *self.aux_values]
        sources: dict[int, tuple[Any, ...]] = {}
        for entry in self.tr.log:
            if entry[0] == "cmp":
                seeds += [entry[2], entry[3]]
            elif entry[0] == "float":
                seeds.append(entry[1])
            elif entry[0] in ("host", "nograd"):
                sources[id(entry[1])] = entry
        need: set[int] = set()
        stack = [s for s in seeds if isinstance(s, Value)]
        born = self.born
        while stack:
            v = stack.pop()
            if id(v) in need:
                continue
            need.add(id(v))
            kind = born.get(id(v))
            if kind == "node":  # (only what the trace made has inputs to follow)
                stack += [p for p in v.parents if born.get(id(p)) in _MADE and id(p) not in need]
            elif kind == "host":
                stack.extend(sources[id(v)][3])
            elif kind == "nograd":
                _, _, a, b, _ = sources[id(v)]
                stack.extend(_inputs(a, b))
        return need

    def forward(self, needed: set[int]) -> None:
        """Values in the order they were made, each guard where it was recorded."""
        for entry in self.tr.log:
            kind = entry[0]
            if kind == "node" or kind == "nograd":
                v = entry[1]
                if id(v) in needed:
                    if kind == "node":
                        self.emit_forward(v, v._rule, list(v.parents))
                    else:
                        self.emit_forward(v, entry[4], _inputs(entry[2], entry[3]))
            elif kind == "host":
                _, v, fn, sources = entry
                if id(v) in needed and fn is same_number:  # Value.detach(): the same number
                    self.names[id(v)] = self.value(sources[0])
                elif id(v) in needed:
                    args = ", ".join([self.value(x) for x in sources])
                    u = f"u{self.number(v)}"
                    self.ns[u] = fn
                    self.code.append(f"{self.value_var(v)} = {u}({args})")
            elif kind == "cmp":
                _, op, x, other, result = entry
                test = f"{self.value(x)} {op} {self.operand(other)}"
                self.code.append(
                    f"if not ({test}): return _MISS" if result else f"if {test}: return _MISS"
                )
            elif kind == "float":
                _, x, number = entry
                left = self.value(x)
                self.code.append(f"if not _same({left}, {_names.literal(number)}): return _MISS")

    def value_var(self, v: Value) -> str:
        name = self.names[id(v)] = f"v{self.number(v)}"
        return name

    def emit_forward(self, v: Value, rule: Any, ins: list[Any]) -> None:
        if len(ins) >= _wide.WIDE:  # the op's own forward on the list of its inputs
            data = self.wide_data(v, ins)
            fn = _names.register(rule.forward)
            self.code.append(f"{self.value_var(v)} = {fn}(*{data})")
            return
        args = [self.value(x) for x in ins]
        name = self.value_var(v)
        t = _symbolic.template(rule, "forward", len(ins), _ones(args))
        temp = f"f{self.number(v)}"
        # all lines formatted at once: formatting is O(arity) per call, lines grow with it
        self.code.append("\n".join(t.lines).format(*args, name, temp))

    def wide_data(self, v: Value, ins: Sequence[Any]) -> str:
        """``w<k>``, the list of a wide node's input numbers (see
        ``autograd.compiler.wide``), gathered where it is first needed."""
        k = self.number(v)
        name = f"w{k}"
        if k in self.gathered:
            return name
        sources: list[tuple[int, Any]] = []
        local: list[str] = []
        args, held = self.tr.args, self.held_index
        for p, kind in zip(ins, map(self.born.get, map(id, ins))):
            if kind == "float":
                sources.append((_wide.FLOAT, args[id(p)]))
            elif kind is None:
                j = held.get(id(p))
                sources.append((_wide.HELD, self.held_at(p) if j is None else j))
            elif kind == "const":
                sources.append((_wide.CONST, p.data))
            elif kind == "value":
                sources.append((_wide.VALUE, args[id(p)]))
            else:
                sources.append((_wide.LOCAL, len(local)))
                local.append(self.value(p))
        self.gathered.add(k)
        self.ns[f"_gw{k}"] = _wide.gatherer(sources)
        self.code.append(f"{name} = _gw{k}(F, V, H, ({''.join(n + ', ' for n in local)}))")
        return name

    # backward --------------------------------------------------------

    def liveness(self, order: list[Value]) -> set[int]:
        """Nodes whose gradient matters: those a replay writes (they existed
        before the call, or stand for a Value argument) and every node on a
        path from the output to one."""
        born = self.born
        self.observable = {id(v) for v in order if born.get(id(v)) in (None, "value")}
        live: set[int] = set(self.observable)
        for v in order:  # inputs come first (a leaf, with no inputs, is live or not already)
            if v._rule is not None and id(v) not in live and any(id(p) in live for p in v.parents):
                live.add(id(v))
        return live

    def backward(self, order: list[Value], live: set[int]) -> list[tuple[Value, str]]:
        """Each node's rule in the order of ``reversed(topological_order(out))``,
        added into its inputs' gradients as ``Value.backward`` does."""
        self.acc: dict[int, str] = {id(self.out): "1.0"}  # root.grad = 1.0
        self.own: set[int] = set()  # nodes whose gradient is in their own g<k> by now
        for v in reversed(order):
            rule = v._rule
            if rule is None or id(v) not in live:
                continue
            k = self.number(v)
            g, o = self.acc[id(v)], self.value(v)
            a, b = v._a, v._b
            if b is _MANY and len(a) >= _wide.WIDE:
                self.emit_wide(v, k, rule, a, g, live)
                continue
            if b is _MANY:
                self.emit_many(k, rule, a, g, live)
                continue
            ins = (a,) if b is None else (a, b)
            args = [self.value(p) for p in ins]
            t = _symbolic.template(rule, "rule", len(ins), _ones(args))
            pre, exprs = t.outputs(tuple(id(p) in live for p in ins))
            fields = (g, o, *args, f"r{k}")
            lines = [line.format(*fields) for line in pre]
            for p, expr in zip(ins, exprs):
                if expr is not None:
                    self.add(p, expr.format(*fields), lines)
            if lines:
                self.code.append("\n".join(lines))
        return [(v, self.acc[id(v)]) for v in order if id(v) in self.observable]

    def add(self, p: Value, expr: str, lines: list[str]) -> None:
        """``p.grad += expr`` as ``Value.backward`` does it: every gradient
        starts at 0.0, so the first addition is ``0.0 + expr``.

        For nodes made inside the trace (whose gradient nobody sees) the first
        term is taken as it is, and a lone variable is not even copied: the
        two differ only where ``expr`` is -0.0, and rules are linear in their
        incoming gradient (they multiply, divide or pass it on), so a -0.0
        there can only turn later terms into -0.0 instead of 0.0 (or into the
        same nan); every gradient a replay writes starts with ``0.0 + ...``,
        which makes both zeros the same 0.0 again.
        """
        pid = id(p)
        if pid in self.own:
            lines.append(f"{self.acc[pid]} += {expr}")  # the right side first, then +
            return
        cur = self.acc.get(pid)
        g = f"g{self.number(p)}"
        if cur is None:
            if pid in self.observable:
                lines.append(f"{g} = 0.0 + ({expr})")
            elif expr.isidentifier():
                self.acc[pid] = expr
                return
            else:
                lines.append(f"{g} = {expr}")
        else:
            lines.append(f"{g} = {cur} + ({expr})")
        self.acc[pid] = g
        self.own.add(pid)

    def emit_many(self, k: int, rule: Any, ins: tuple[Value, ...], g: str, live: set[int]) -> None:
        get, value = self.names.get, self.value
        args = [get(id(p)) or value(p) for p in ins]
        t = _symbolic.template(rule, "accumulate", len(ins), _ones(args))
        lines: list[str] = []
        if t.terms is not None:  # the hot loop of code generation: kept lean
            fields = (g, *args, f"r{k}")
            own, acc, add, emit = self.own, self.acc, self.add, lines.append
            for slot, fmt, pick in t.compact:
                pid = id(ins[slot])
                if pid in own:
                    emit(f"{acc[pid]} += {fmt.format(*pick(fields))}")
                elif pid in live:
                    add(ins[slot], fmt.format(*pick(fields)), lines)
            if lines:
                self.code.append("\n".join(lines))
            return
        # the rule called as it is, on holder objects (one per distinct input)
        holders: dict[int, str] = {}
        for p, arg in zip(ins, args):
            if id(p) not in holders:
                h = holders[id(p)] = f"r{k}_{len(holders)}"
                lines.append(f"{h} = _Hold({arg}, {self.acc.get(id(p), '0.0')})")
        fn = _names.register(rule.accumulate)
        lines.append(f"{fn}({g}, ({''.join(holders[id(p)] + ', ' for p in ins)}))")
        for p in ins:
            if id(p) in live and id(p) in holders:
                name = self.acc[id(p)] = f"g{self.number(p)}"
                self.own.add(id(p))
                lines.append(f"{name} = {holders.pop(id(p))}.grad")
        self.code.append("\n".join(lines))

    def emit_wide(
        self, v: Value, k: int, rule: Any, ins: tuple[Value, ...], g: str, live: set[int]
    ) -> None:
        """The rule's own ``accumulate`` on holders ``z<k>``, one per distinct
        input; each input's gradient is then ``z<k>[i].grad``."""
        data = self.wide_data(v, ins)
        first, self.ns[f"_zf{k}"], self.ns[f"_zw{k}"] = _wide.distinct(ins)
        z, fn, acc, own = f"z{k}", _names.register(rule.accumulate), self.acc, self.own
        lines = [f"{z} = _wh({data}, _zf{k})"]
        # gradients added in before this node
        lines += [f"{z}[{j}].grad = {acc[pid]}" for pid, j in first.items() if pid in acc]
        lines.append(f"{fn}({g}, _wi({z}, _zw{k}))")
        holder = self.holder
        for pid, j in first.items():
            if pid in live:
                name = acc[pid] = f"{z}[{j}].grad"
                holder[name] = (z, j)
                own.add(pid)
        self.code.append("\n".join(lines))

    # the end ---------------------------------------------------------

    def assemble(self, writes: list[tuple[Value, str]], result: str) -> _Trace:
        # final gradients: leaves add their earlier gradient back, as backward() does
        lines: list[str] = []
        loops: dict[str, list[tuple[int, int, int, bool]]] = {}  # holders -> their writes
        born, args, holder, held_index = self.born, self.tr.args, self.holder, self.held_index
        for v, acc in writes:
            kind = born.get(id(v))
            in_holder = holder.get(acc)
            if in_holder is not None:  # written back in the holders' own loop
                if kind == "value":
                    row = (_wide.VALUE, args[id(v)])
                else:
                    j = held_index.get(id(v))
                    row = (_wide.HELD, self.held_at(v) if j is None else j)
                z, i = in_holder
                loops.setdefault(z, []).append((*row, i, v._rule is None))
                continue
            obj = f"q{self.tr.args[id(v)]}" if kind == "value" else self.hold(v)
            self.unpack.add(obj)
            if v._rule is None:
                lines.append(f"e = {obj}.grad")
                lines.append(f"{obj}.grad = e + {acc} if e else {acc}")
            else:
                lines.append(f"{obj}.grad = {acc}")
        for z, rows in loops.items():
            self.ns[f"_wr{z}"] = _wide.writer(rows)
            lines.append(f"_wr{z}(V, H, {z})")
        if lines:
            self.code.append("\n".join(lines))
        kinds = list(self.born.values())
        preamble = []
        for prefix, n, arg in (
            ("a", kinds.count("float"), "F"),
            ("q", kinds.count("value"), "V"),
            ("h", len(self.held), "H"),
        ):
            used = sorted(int(name[1:]) for name in self.unpack if name[0] == prefix)
            if used and len(used) == n:
                preamble.append(f"{''.join(f'{prefix}{i}, ' for i in range(n))}= {arg}")
            else:  # a wide node reads the rest in its own loop
                preamble += [f"{prefix}{i} = {arg}[{i}]" for i in used]
        self.code.insert(0, "\n".join(preamble))
        ns = {**_names.namespace(), **self.ns}  # now that every template is registered
        source, code = _build_function(self.code, result, ns)
        finish = _arguments.finisher(self.aux, self.aux_values, self.has_aux)
        return _Trace(code, tuple(self.held), source, finish)


def _ones(args: list[str]) -> frozenset[int]:
    """The inputs that are the constant 1.0 (templates leave out multiplying by them)."""
    return frozenset(i for i, a in enumerate(args) if a == "1.0") if "1.0" in args else _NONE


_NONE: frozenset[int] = frozenset()
_MADE = frozenset(["node", "host", "nograd"])  # what the trace made from other values


# ---------------------------------------------------------------- assembling source

_VARIABLE = re.compile(r"\b[vaqhgwz]\d+\b")  # the generated variables a chunk may share


def _build_function(
    code: list[str], result: str, ns: dict[str, Any]
) -> tuple[str, Callable[..., Any]]:
    """Source and function for the pieces of code: one function, or, when the
    code is long, several chunks that share their variables through a list."""
    count = sum(piece.count("\n") + 1 for piece in code)
    if count <= _CHUNK_LINES:
        body = "".join(f"    {line}\n" for piece in code for line in piece.split("\n"))
        src = f"def _step(F, V, H):\n{body}    return ({result})\n"
        exec(builtins.compile(src, "<autograd.compile>", "exec"), ns)
        return src, ns["_step"]
    chunks: list[list[str]] = [[]]
    size = 0
    for piece in code:
        if size >= _CHUNK_LINES:
            chunks.append([])
            size = 0
        chunks[-1].append(piece)
        size += piece.count("\n") + 1
    chunks[-1].append(f"return ({result})")
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    mentions: list[set[str]] = []
    for c, chunk in enumerate(chunks):
        names = set(_VARIABLE.findall("\n".join(chunk)))
        mentions.append(names)
        for name in names:
            first.setdefault(name, c)
            last[name] = c
    slot = {n: i for i, n in enumerate(n for n in first if last[n] > first[n])}
    parts = []
    for c, chunk in enumerate(chunks):
        shared = sorted(n for n in mentions[c] if n in slot)
        loads = [f"{n} = S[{slot[n]}]" for n in shared if first[n] < c]
        stores = [f"S[{slot[n]}] = {n}" for n in shared if last[n] > c]
        chunk_lines = [*loads, *(line for piece in chunk for line in piece.split("\n")), *stores]
        if c < len(chunks) - 1:
            chunk_lines.append("return None")
        src = f"def _chunk{c}(F, V, H, S):\n" + "".join(f"    {line}\n" for line in chunk_lines)
        exec(builtins.compile(src, "<autograd.compile>", "exec"), ns)  # one at a time
        parts.append(
            src if len(src) < 1 << 20 else f"# def _chunk{c}: {len(chunk_lines)} lines, not kept\n"
        )
    calls = "".join(
        f"    r = _chunk{c}(F, V, H, S)\n    if r is not None:\n        return r\n"
        for c in range(len(chunks) - 1)
    )
    driver = (
        f"def _step(F, V, H):\n    S = [None] * {len(slot)}\n{calls}"
        f"    return _chunk{len(chunks) - 1}(F, V, H, S)\n"
    )
    exec(builtins.compile(driver, "<autograd.compile>", "exec"), ns)
    return "".join(parts) + driver, ns["_step"]
