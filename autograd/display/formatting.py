"""How numbers and labels are written wherever chaingrad shows them: in drawings (``viz``),
in explanations (``explain``) and in the HTML player, so all of them agree to the character."""

from __future__ import annotations

import math
from typing import Any

from autograd.core.value import Value


def number(x: Any) -> str:
    """A float with 4 decimals; scientific notation past 1e12, where digits stop meaning much,
    and below 1e-4, where 4 decimals would show a number that is not zero as ``0.0000``.
    Zero is ``0.0000`` whatever its sign."""
    if isinstance(x, Value):  # a gradient after backward(create_graph=True)
        x = x.data
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0.0:
        return "0.0000"  # never "-0.0000"
    return f"{x:.4e}" if not 1e-4 <= abs(x) < 1e12 else f"{x:.4f}"


def one_line(text: str) -> str:
    """``text`` on one terminal line: control characters as escapes, like repr()."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
