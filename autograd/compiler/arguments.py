"""What a compiled call takes in and gives back: its arguments, the cache key, ``aux``.

- ``flatten``: a call's cache key (the nesting of its arguments, its ints and
  bools, which arguments are the same Value), its float arguments and its
  Value arguments;
- ``traced_args``: the arguments ``f`` is traced with (fresh leaves);
- ``aux_values``, ``finisher``, ``floats_of``: the Values of ``aux`` (lists,
  tuples, dicts, namedtuples at any depth; anything else refused) and ``aux``
  rebuilt with their floats.
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Callable
from typing import Any

from autograd.compiler import watch as _watch
from autograd.core.value import Value

FLOAT = "f"


def flatten(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, list[float], list[Value]]:
    """The cache key of a call, its float arguments and its Value (leaf) arguments,
    in the order they appear (depth first)."""
    tokens: list[Any] = []
    floats: list[float] = []
    values: list[Value] = []
    first: dict[int, int] = {}
    stack: list[Any] = [kwargs[k] for k in sorted(kwargs, reverse=True)]
    stack.extend(reversed(args))
    if kwargs:
        tokens.append(("kw", tuple(sorted(kwargs))))
    while stack:
        x = stack.pop()
        t = type(x)
        if t is float:
            tokens.append(FLOAT)
            floats.append(x)
        elif t is list or t is tuple:
            tokens.append((t, len(x)))
            stack.extend(reversed(x))
        elif t is bool or t is int:
            tokens.append((t, x))
        elif isinstance(x, Value):
            if x._rule is not None or x._b is not None:  # a result of an op: this very node
                tokens.append(("node", x))
            else:
                i = first.setdefault(id(x), len(values))
                if i == len(values):
                    values.append(x)
                tokens.append(("value", i, type(x)))
        elif isinstance(x, float):  # a float subclass
            tokens.append(FLOAT)
            floats.append(float(x))
        elif isinstance(x, numbers.Integral):  # an int subclass, numpy's ints
            tokens.append((int, int(x)))
        elif isinstance(x, numbers.Real) and not isinstance(x, Value):  # numpy's floats
            tokens.append(FLOAT)
            floats.append(float(x))
        else:
            raise TypeError(
                f"compiled function: {place(x, args, kwargs)} must be a number, a Value, "
                f"or a list or tuple of them, not {type(x).__name__}"
            )
    return tuple(tokens), floats, values


def place(bad: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """Where ``bad`` first stands among the arguments, in ``flatten``'s order:
    "argument 1[0]", or a keyword's name. Walked only for the error, so that a
    call does not build a name for every argument."""
    stack: list[tuple[Any, str]] = [(kwargs[k], k) for k in sorted(kwargs, reverse=True)]
    stack.extend((a, f"argument {i}") for i, a in reversed(list(enumerate(args))))
    while stack:
        x, where = stack.pop()
        if x is bad:
            break
        if type(x) is list or type(x) is tuple:
            stack.extend((x[i], f"{where}[{i}]") for i in range(len(x) - 1, -1, -1))
    return where


def float_leaves(x: Any) -> Any:
    if type(x) in (list, tuple):
        return type(x)(float_leaves(i) for i in x)
    if isinstance(x, numbers.Real) and not isinstance(x, (numbers.Integral, Value)):
        return Value(float(x))
    return x


def proxy(x: Value) -> Value:
    """A fresh leaf of x's class with x's number and label, made without calling
    the class (a subclass's ``__init__`` may take other arguments)."""
    cls = type(x)
    p = cls.__new__(cls)
    if hasattr(x, "__dict__"):
        p.__dict__.update(x.__dict__)
    p.data, p.grad, p.label = x.data, 0.0, x.label
    p._a = p._b = p._rule = p._mark = None
    return p


def traced_args(
    args: tuple[Any, ...], kwargs: dict[str, Any], tracer: Any
) -> tuple[list[Any], dict[str, Any]]:
    """The arguments ``f`` is traced with: each float and each leaf Value
    replaced by a fresh leaf (the same Value object always by the same leaf)."""
    proxies: dict[int, Value] = {}
    counters = {"float": 0, "value": 0}

    def swap(x: Any) -> Any:
        t = type(x)
        if t is list or t is tuple:
            return t(swap(i) for i in x)
        if isinstance(x, float) or (
            isinstance(x, numbers.Real) and not isinstance(x, (numbers.Integral, Value))
        ):
            v = Value(float(x))
            tracer.argument(v, "float", counters["float"])
            counters["float"] += 1
            return v
        if isinstance(x, Value) and x._rule is None and x._b is None:
            p = proxies.get(id(x))
            if p is None:
                p = proxies[id(x)] = proxy(x)
                tracer.argument(p, "value", counters["value"])
                counters["value"] += 1
            return p
        return x

    new_args = [swap(a) for a in args]
    new_kwargs = {k: swap(kwargs[k]) for k in sorted(kwargs)}
    return new_args, new_kwargs


def floats_of(aux: Any) -> Any:
    """``aux`` with every Value replaced by its float (containers rebuilt), for a
    call run by the engine: what else it holds is this call's own, so it stays
    (a number read from ``.data`` in a trace is a plain float here)."""
    return rebuild(aux, lambda v: v.data if isinstance(v, Value) else v)


def children(x: Any) -> list[Any] | None:
    """The items of a container ``aux`` may hold (list, tuple, namedtuple, dict), else None."""
    t = type(x)
    if t is list or t is tuple or (isinstance(x, tuple) and hasattr(t, "_fields")):
        return list(x)
    if t is dict:
        return list(x.values())
    return None


def assemble(x: Any, items: list[Any]) -> Any:
    t = type(x)
    if t is list:
        return items
    if t is tuple:
        return tuple(items)
    if t is dict:
        return dict(zip(x.keys(), items))
    return t(*items)  # a namedtuple


def rebuild(x: Any, leaf: Callable[[Any], Any]) -> Any:
    """``x`` with each item that is not a container replaced by ``leaf(item)``
    (an explicit stack: any depth of nesting)."""
    done: list[Any] = []
    stack: list[tuple[Any, list[Any] | None]] = [(x, None)]
    while stack:
        y, items = stack.pop()
        if items is not None:  # its items are the last len(items) done
            k = len(done) - len(items)
            built = assemble(y, done[k:])
            del done[k:]
            done.append(built)
            continue
        kids = children(y)
        if kids is None:
            done.append(leaf(y))
        else:
            stack.append((y, kids))
            stack.extend((c, None) for c in reversed(kids))
    return done[0]


def aux_values(aux: Any) -> list[Value]:
    """The Values in ``aux``, depth first (a number read from ``.data`` as its
    recomputed leaf); a TypeError naming the place of anything else."""
    found: list[Value] = []
    stack: list[tuple[Any, str]] = [(aux, "aux")]
    while stack:
        y, where = stack.pop()
        if isinstance(y, Value):
            found.append(y)
        elif type(y) is _watch.DataRead:
            found.append(y.src)  # the Value it was read from
        elif type(y) is dict:
            stack.extend((y[k], f"{where}[{k!r}]") for k in reversed(list(y)))
        elif children(y) is not None:
            stack.extend((y[i], f"{where}[{i}]") for i in range(len(y) - 1, -1, -1))
        else:
            raise TypeError(
                f"autograd.compile: {where} is a {type(y).__name__}, which a replay cannot "
                "recompute; return Values in aux (lists, tuples, dicts, namedtuples of them) "
                "and compute other things from the returned floats"
            )
    return found


def leaves(x: Any) -> list[tuple[str, Any]]:
    """The numbers of a returned aux with their places ("aux['loss']")."""
    found: list[tuple[str, Any]] = []
    stack: list[tuple[Any, str]] = [(x, "aux")]
    while stack:
        y, where = stack.pop()
        if type(y) is dict:
            stack.extend((y[k], f"{where}[{k!r}]") for k in reversed(list(y)))
        elif children(y) is not None:
            stack.extend((y[i], f"{where}[{i}]") for i in range(len(y) - 1, -1, -1))
        else:
            found.append((where, y))
    return found


def finisher(aux: Any, slots: list[Value], has_aux: bool) -> Callable[[Any], Any]:
    """The function that turns the generated code's result tuple (the output,
    then the Values of ``aux`` in order) into what the call returns: aux with
    its Values replaced by floats."""
    if not has_aux:
        return operator.itemgetter(0)
    index = {id(v): i + 1 for i, v in enumerate(slots)}

    def slot(x: Any) -> int:
        return index[id(x.src if type(x) is _watch.DataRead else x)]

    plan = rebuild(aux, slot)  # aux with each Value replaced by its place in r
    return lambda r: (r[0], rebuild(plan, r.__getitem__))
