"""IEEE-754 float functions that never raise.

Python's ``math`` module raises ``OverflowError`` or ``ValueError`` ("math domain
error") where IEEE arithmetic, NumPy and PyTorch return ``inf`` or ``nan``; ``/``
raises ``ZeroDivisionError`` and ``**`` can even return a complex number. A
training loop should see ``inf``/``nan`` (and ``detect_anomaly`` should point at
the op), never an exception from deep inside an op, so every float the engine
computes goes through these. (``nonnegative`` is the one that raises: the check of
a number argument such as a tolerance or a learning rate, where a nan is an error.)
"""

from __future__ import annotations

import math
import numbers

INF = math.inf
NAN = math.nan


# What the engine takes as a number: int and float (bool is an int) first, so the
# common case is two C type checks; then any numbers.Real, which is how numpy's
# scalars (np.int64, np.float32, ...) and Fraction are recognised.
REAL = (int, float, numbers.Real)


def to_float(x: float | numbers.Real) -> float:
    """float(x), but ±inf for an int too large for a float (not OverflowError).

    Args:
        x: an int, a float, or any ``numbers.Real`` (a numpy scalar, a Fraction).

    Returns:
        The float nearest to ``x``, or ``±inf`` past the float range.

    Examples:
        >>> to_float(3), to_float(10**400), to_float(-(10**400))
        (3.0, inf, -inf)
    """
    try:
        return float(x)
    except OverflowError:
        return INF if x > 0 else -INF  # type: ignore[operator]  # an int or a Fraction


def nonnegative(x: object, what: str, positive: bool = False) -> float:
    """A number argument (a tolerance, a rate, a noise level) as a float: a
    TypeError naming ``what`` unless it is an int or a float (not a bool), a
    ValueError unless it is finite and >= 0 (> 0 with ``positive``).

    Args:
        x: the argument's value.
        what: the argument's name, for the error message.
        positive: refuse 0 too.

    Returns:
        ``x`` as a float.

    Raises:
        TypeError: ``x`` is not a real number (or is a bool).
        ValueError: ``x`` is negative, nan or inf (or 0 with ``positive``).

    Examples:
        >>> nonnegative(3, "lr")
        3.0
        >>> nonnegative(-1, "lr")
        Traceback (most recent call last):
        ...
        ValueError: lr must be a finite number >= 0, got -1.0
    """
    if isinstance(x, bool) or not isinstance(x, REAL):
        raise TypeError(f"{what} must be a number, not {type(x).__name__}")
    value = to_float(x)  # an int too large for a float: inf, refused below
    if not (math.isfinite(value) and (value > 0.0 if positive else value >= 0.0)):
        bound = "> 0" if positive else ">= 0"
        raise ValueError(f"{what} must be a finite number {bound}, got {value!r}")
    return value


def div(a: float, b: float) -> float:
    """``a / b`` with IEEE results for a zero divisor (±inf, or nan for 0/0)."""
    # A test rather than try/except (/ raises only for a zero divisor), so that
    # autograd.compile can write the division inline.
    if b:
        return a / b
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
    # Below 709, e**x is a finite float (the largest is e**709.78...): a test
    # rather than try/except there, so that autograd.compile can write it inline.
    if x < 709.0:
        return math.exp(x)
    return _exp_large(x)


def _exp_large(x: float) -> float:
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


# ---------------------------------------------------------------- the full scalar function set
# Where a function has a limit at ±inf (gelu, silu, sinc), that limit is its value there, as
# exp(-inf) == 0 and tanh(inf) == 1 are; nan stays nan.

LN2 = math.log(2.0)
LN10 = math.log(10.0)
SQRT_HALF = math.sqrt(0.5)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
DEG2RAD = math.pi / 180.0  # what math.radians multiplies by
RAD2DEG = 180.0 / math.pi  # what math.degrees multiplies by
_INTEGRAL = 2.0**52  # every float at least this large is an integer


def tan(x: float) -> float:
    """Tangent: nan at ±inf."""
    return math.tan(x) if abs(x) != INF else NAN


def sinh(x: float) -> float:
    """Hyperbolic sine: ±inf on overflow."""
    try:
        return math.sinh(x)
    except OverflowError:
        return math.copysign(INF, x)


def cosh(x: float) -> float:
    """Hyperbolic cosine: inf on overflow."""
    try:
        return math.cosh(x)
    except OverflowError:
        return INF


def asin(x: float) -> float:
    """Inverse sine: nan outside [-1, 1]."""
    return math.asin(x) if -1.0 <= x <= 1.0 else NAN


def acos(x: float) -> float:
    """Inverse cosine: nan outside [-1, 1]."""
    return math.acos(x) if -1.0 <= x <= 1.0 else NAN


def acosh(x: float) -> float:
    """Inverse hyperbolic cosine: nan below 1."""
    return math.acosh(x) if x >= 1.0 else NAN


def atanh(x: float) -> float:
    """Inverse hyperbolic tangent: ±inf at ±1, nan beyond."""
    if -1.0 < x < 1.0:
        return math.atanh(x)
    if x == 1.0 or x == -1.0:
        return math.copysign(INF, x)
    return NAN


def log2(x: float) -> float:
    """Base-2 logarithm: -inf at 0, nan below 0."""
    if x > 0.0:
        return math.log2(x)
    return -INF if x == 0.0 else NAN


def log10(x: float) -> float:
    """Base-10 logarithm: -inf at 0, nan below 0."""
    if x > 0.0:
        return math.log10(x)
    return -INF if x == 0.0 else NAN


def log1p(x: float) -> float:
    """log(1 + x), accurate for small x: -inf at -1, nan below -1."""
    if x > -1.0:
        return math.log1p(x)
    return -INF if x == -1.0 else NAN


def expm1(x: float) -> float:
    """e**x - 1, accurate for small x: inf on overflow."""
    try:
        return math.expm1(x)
    except OverflowError:
        return INF


def exp2(x: float) -> float:
    """2**x: inf on overflow."""
    return pow(2.0, x)


def sign(x: float) -> float:
    """-1, 0 or 1 (0.0 for -0.0, as PyTorch); nan stays nan.

    Args:
        x: a float.

    Returns:
        -1.0, 0.0, 1.0 or nan.

    Examples:
        >>> sign(-2.5), sign(-0.0), sign(7.0), sign(float("nan"))
        (-1.0, 0.0, 1.0, nan)
    """
    if x > 0.0:
        return 1.0
    if x < 0.0:
        return -1.0
    return x if x != x else 0.0


def _integral(x: float, r: int) -> float:
    # r is floor/ceil/trunc of a finite x; a zero result keeps x's sign, as IEEE rounding does
    return float(r) if r else math.copysign(0.0, x)


def floor(x: float) -> float:
    """The largest integer <= x, as a float (±inf and nan stay as they are)."""
    return _integral(x, math.floor(x)) if abs(x) < _INTEGRAL else x


def ceil(x: float) -> float:
    """The smallest integer >= x, as a float (±inf and nan stay as they are)."""
    return _integral(x, math.ceil(x)) if abs(x) < _INTEGRAL else x


def trunc(x: float) -> float:
    """x rounded toward zero, as a float (±inf and nan stay as they are)."""
    return _integral(x, math.trunc(x)) if abs(x) < _INTEGRAL else x


def gelu(x: float) -> float:
    """x Φ(x), Φ the standard normal distribution function, written
    0.5 x erfc(-x/√2): erfc keeps full precision far into the negative side,
    where 1 + erf(x/√2) cancels. 0 at -inf (the limit)."""
    if x == -INF:
        return -0.0
    return 0.5 * x * math.erfc(-x * SQRT_HALF)


def silu(x: float) -> float:
    """x sigmoid(x) (swish); 0 at -inf (the limit)."""
    if x == -INF:
        return -0.0
    return x * sigmoid(x)


def sinc(x: float) -> float:
    """sin(πx)/(πx) (NumPy's normalised sinc), 1 at 0 and 0 at ±inf (the limits)."""
    if x == 0.0:
        return 1.0
    if abs(x) > 1e300:  # beyond this πx overflows; sinc is 0 at every integer anyway
        return 0.0
    t = math.pi * x
    return math.sin(t) / t


def mod(x: float, y: float) -> float:
    """Python's ``x % y`` (the result has the sign of y), nan for y == 0."""
    return x % y if y != 0.0 else NAN


def floor_div(x: float, y: float) -> float:
    """Python's ``x // y`` (consistent with ``mod``); for y == 0, x / y (±inf or nan)."""
    return x // y if y != 0.0 else div(x, y)


def minimum(x: float, y: float) -> float:
    """The smaller of x and y, nan if either is nan, x at a tie (as PyTorch)."""
    if x <= y:
        return x
    return y if y < x else NAN


def maximum(x: float, y: float) -> float:
    """The larger of x and y, nan if either is nan, x at a tie (as PyTorch)."""
    if x >= y:
        return x
    return y if y > x else NAN


def clamp(x: float, lo: float, hi: float) -> float:
    """min(max(x, lo), hi), as PyTorch: hi when lo > hi; nan if x or a bound is nan."""
    if x != x or lo != lo or hi != hi:
        return NAN
    if x < lo:
        x = lo
    return hi if x > hi else x
