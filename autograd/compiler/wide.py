"""Wide n-ary nodes (a long ``dot`` or ``sum``) replayed as loops, not unrolled lines.

Unrolled, a node with n inputs costs n lines of generated source, and both
building those lines and Python's ``compile`` of them grow with n far faster
than the node's own arithmetic does. From ``WIDE`` inputs on, generated code
instead gathers the node's input numbers into one list (``gatherer``), calls
the op's own ``forward`` on it, runs the op's own ``accumulate`` on holder
objects (``holders``, ``inputs_of``) and writes the gradients of the leaves
back in one loop (``writer``). These are the engine's own functions on the
same floats in the same order, so the results are the engine's bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd.compiler.symbolic import Holder

__all__ = [
    "CONST",
    "FLOAT",
    "HELD",
    "LOCAL",
    "VALUE",
    "WIDE",
    "distinct",
    "gatherer",
    "holders",
    "inputs_of",
    "writer",
]

WIDE = 256  # from this many inputs on, a node's code is a loop

# where a replay finds one input's number
FLOAT = 0  # F[i]: a float argument
VALUE = 1  # V[i].data: a Value argument
HELD = 2  # H[j].data: a Value that existed before the call
CONST = 3  # a constant of the trace (its number is kept)
LOCAL = 4  # L[i]: a value computed earlier in the replay, passed in a tuple

Gather = Callable[[Sequence[float], Sequence[Any], Sequence[Any], Sequence[float]], list[float]]


def gatherer(sources: list[tuple[int, Any]]) -> Gather:
    """The function that lists a node's input numbers at each replay.

    Args:
        sources: per input, ``(kind, where)``: an index for ``FLOAT``,
            ``VALUE``, ``HELD`` and ``LOCAL``, the number for ``CONST``.

    Returns:
        ``gather(F, V, H, L)``: the numbers in input order, read in runs
        (consecutive indices of one kind are one slice).
    """
    runs: list[tuple[int, Any, int]] = []  # (kind, start or constants, stop)
    for kind, where in sources:
        if runs and runs[-1][0] == kind:
            start, stop = runs[-1][1:]
            if kind == CONST:
                runs[-1] = (kind, (*start, where), 0)
                continue
            if where == stop:
                runs[-1] = (kind, start, stop + 1)
                continue
        runs.append((kind, (where,), 0) if kind == CONST else (kind, where, where + 1))

    def gather(
        F: Sequence[float], V: Sequence[Any], H: Sequence[Any], L: Sequence[float]
    ) -> list[float]:
        out: list[float] = []
        for kind, start, stop in runs:
            if kind == FLOAT:
                out += F[start:stop]
            elif kind == HELD:
                out += [h.data for h in H[start:stop]]
            elif kind == VALUE:
                out += [v.data for v in V[start:stop]]
            elif kind == CONST:
                out += start
            else:
                out += L[start:stop]
        return out

    return gather


def distinct(
    ins: Sequence[Any],
) -> tuple[dict[int, int], tuple[int, ...] | None, tuple[int, ...] | None]:
    """A node's distinct inputs: their ids with their distinct index (in the
    order first met), and, if some input repeats, the position where each is
    first met (for ``holders``) and each input's distinct index (for
    ``inputs_of``); None, None when none repeats."""
    ids = list(map(id, ins))
    first = dict.fromkeys(ids, 0)
    for j, pid in enumerate(first):
        first[pid] = j
    if len(first) == len(ids):
        return first, None, None
    positions: dict[int, int] = {}
    for i, pid in enumerate(ids):
        positions.setdefault(pid, i)
    return first, tuple(positions.values()), tuple(map(first.__getitem__, ids))


def holders(data: list[float], first: tuple[int, ...] | None) -> list[Holder]:
    """One holder per distinct input (``first``: the position where each is
    first met; None when no input repeats), gradients from 0.0."""
    if first is None:
        return [Holder(d, 0.0) for d in data]
    return [Holder(data[i], 0.0) for i in first]


def inputs_of(hs: list[Holder], where: tuple[int, ...] | None) -> tuple[Holder, ...]:
    """The holders in input order (``where``: each input's distinct index;
    None when no input repeats): a reused input is one holder met twice, as
    the engine meets one Value twice."""
    return tuple(hs) if where is None else tuple(map(hs.__getitem__, where))


def writer(items: list[tuple[int, int, int, bool]]) -> Callable[..., None]:
    """The loop that writes gradients held in one node's holders back.

    Args:
        items: ``(kind, index, holder, leaf)``: the object is ``V[index]`` for
            ``VALUE``, ``H[index]`` for ``HELD``; a leaf adds its earlier
            gradient back as ``backward()`` does, a node's is replaced.

    Returns:
        ``write(V, H, Z)``, Z the node's holders.
    """
    rows = tuple(items)

    def write(V: Sequence[Any], H: Sequence[Any], Z: list[Holder]) -> None:
        for kind, index, i, leaf in rows:
            o = V[index] if kind == VALUE else H[index]
            acc = Z[i].grad
            if leaf:
                e = o.grad
                o.grad = e + acc if e else acc
            else:
                o.grad = acc

    return write
