"""IEEE-754 float functions that never raise.

Python's ``math`` module raises ``OverflowError`` or ``ValueError`` ("math domain
error") where IEEE arithmetic, NumPy and PyTorch return ``inf`` or ``nan``; ``/``
raises ``ZeroDivisionError`` and ``**`` can even return a complex number. A
training loop should see ``inf``/``nan`` (and ``detect_anomaly`` should point at
the op), never an exception from deep inside an op, so every float the engine
computes goes through these.
"""

from __future__ import annotations

import math

INF = math.inf
NAN = math.nan


def to_float(x: int | float) -> float:
    """float(x), but ±inf for an int too large for a float (not OverflowError)."""
    try:
        return float(x)
    except OverflowError:
        return INF if x > 0 else -INF


def div(a: float, b: float) -> float:
    """``a / b`` with IEEE results for a zero divisor (±inf, or nan for 0/0)."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0.0 or a != a:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def _is_odd_integer(y: float) -> bool:
    return y == y and abs(y) != INF and y == math.floor(y) and math.fmod(y, 2.0) != 0.0


def pow(x: float, y: float) -> float:  # noqa: A001 - mirrors math.pow
    """``x ** y`` as C's ``pow``: nan for a negative base with a fractional
    exponent (never complex), ±inf for overflow and for zero to a negative power."""
    try:
        return math.pow(x, y)
    except ValueError:  # zero to a negative power, or negative base, fractional y
        if x == 0.0:
            if _is_odd_integer(y):
                return math.copysign(INF, x)
            return INF
        return NAN
    except OverflowError:
        if x < 0.0 and _is_odd_integer(y):
            return -INF
        return INF


def exp(x: float) -> float:
    """e**x; inf on overflow."""
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def log(x: float) -> float:
    """Natural log: -inf at 0, nan below 0."""
    if x > 0.0:
        return math.log(x)
    if x == 0.0:
        return -INF
    return NAN  # negative or nan


def sqrt(x: float) -> float:
    """Square root: nan below 0."""
    return math.sqrt(x) if x >= 0.0 else NAN


def sin(x: float) -> float:
    """Sine: nan at ±inf."""
    return math.sin(x) if abs(x) != INF else NAN


def cos(x: float) -> float:
    """Cosine: nan at ±inf."""
    return math.cos(x) if abs(x) != INF else NAN


def sigmoid(x: float) -> float:
    """Logistic function, stable for any input: exp is only ever taken of a
    non-positive number, so it cannot overflow."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = exp(x)  # also handles nan
    return e / (1.0 + e)


def relu(x: float) -> float:
    """max(x, 0); nan stays nan."""
    return x if x > 0.0 or x != x else 0.0


def softplus(x: float) -> float:
    """log(1 + e**x), stable: max(x, 0) + log1p(e**-|x|)."""
    if x != x:
        return NAN
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def is_finite(x: float) -> bool:
    """True for a finite float (not inf, not nan)."""
    return x - x == 0.0
