"""Pieces of the failure messages of assert_grads, check_grads and compare_with_torch:
argument names and a plain-text table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd.core.value import Value


def aligned(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """The rows (the first one the header) as lines with left-aligned columns."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]


def failure_table(
    header: str,
    titles: Sequence[str],
    rows: Sequence[tuple[bool, Sequence[str]]],
    noun: str,
    verb: str,
) -> str:
    """A failed check's message: ``header: 2 of 9 <noun> <verb>``, then a table of the
    rows (``(ok, cells)``; past 12 rows only the failed ones, and a count of the others)."""
    failed = [cells for ok, cells in rows if not ok]
    shown = [cells for _, cells in rows] if len(rows) <= 12 else failed
    lines = [f"{header}: {len(failed)} of {len(rows)} {noun} {verb}", *aligned([titles, *shown])]
    if len(shown) < len(rows):
        lines.append(f"  ({len(rows) - len(shown)} {noun} that agree are not shown)")
    return "\n".join(lines)


def number(x: float | None) -> str:
    """A float with 12 significant digits; "-" for None."""
    return "-" if x is None else f"{x:.12g}"


def argument_names(f: Callable[..., Any], xs: Sequence[Any]) -> list[str]:
    """Each argument's name: its label if it is a labelled Value, else the
    parameter's name in f's signature, else "argument i"."""
    import inspect  # here: inspect is a tenth of `import autograd`

    try:
        params = [
            p.name
            for p in inspect.signature(f).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):  # no signature (some builtins)
        params = []
    names = []
    for i, x in enumerate(xs):
        if isinstance(x, Value) and x.label:
            names.append(x.label)
        elif i < len(params):
            names.append(params[i])
        else:
            names.append(f"argument {i}")
    return names


def where(names: Sequence[str], point: Sequence[float]) -> str:
    """``a=0.5, b=2.0``."""
    return ", ".join(f"{n}={x!r}" for n, x in zip(names, point))
