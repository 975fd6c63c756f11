"""How numbers and labels are written wherever chaingrad shows them: in drawings, in
explanations (``explain``), in the tree and in the HTML player, so all of them agree to the
character. ``precision`` is the number of decimals (4 by default); ``None`` writes each float
as Python's ``repr`` does, the shortest text that reads back as the same float, so printed
gradients equal ``backward()``'s exactly."""

from __future__ import annotations

import math
from typing import Any

from autograd.core.value import Value


def number(x: Any, precision: int | None = 4) -> str:
    """A float with ``precision`` decimals; scientific notation past 1e12, where digits stop
    meaning much, and below ``10**-precision``, where the decimals would show a number that is
    not zero as ``0.0000``. Zero is ``0.0000`` whatever its sign. ``precision=None``: the
    float's ``repr``, exact.

    Args:
        x: a number (or a Value: its data).
        precision: decimals, or None for the exact ``repr``.

    Returns:
        The text every drawing, explanation and page writes for ``x``.

    Examples:
        >>> from autograd.extend import number
        >>> number(2.5), number(-0.0), number(3e-5), number(0.1 + 0.2, precision=None)
        ('2.5000', '0.0000', '3.0000e-05', '0.30000000000000004')
    """
    if isinstance(x, Value):  # a gradient after backward(create_graph=True)
        x = x.data
    x = float(x)
    if precision is None:
        return repr(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0.0:
        return f"{0.0:.{precision}f}"  # never "-0.0000"
    small = 10.0**-precision
    if not small <= abs(x) < 1e12:
        return f"{x:.{precision}e}"
    return f"{x:.{precision}f}"


def check_precision(precision: object) -> int | None:
    """``precision`` if it is None or an int from 0 to 17; else a one-line error."""
    if precision is None:
        return None
    if isinstance(precision, bool) or not isinstance(precision, int):
        raise TypeError(f"precision must be an int or None, not {type(precision).__name__}")
    if not 0 <= precision <= 17:
        raise ValueError(f"precision must be from 0 to 17 (or None for exact), not {precision}")
    return precision


class Text(str):
    """Text that shows as itself at the end of a notebook cell or REPL line (not as a quoted
    one-line string with ``\\n``): what ``explain`` and ``tree`` return. It is a ``str`` in
    every other way."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def one_line(text: str) -> str:
    """``text`` on one terminal line: control characters as escapes, like repr()."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
