"""When a learner's number counts as the right one: the single rule that the practice page
(``player(root, practice=True)``) and ``autograd.practice`` (``Quiz.check``) both use.

The rule, in one sentence: an answer is right when, rounded to 3 significant digits, it
reads the same as the right value rounded to 3 significant digits, or as a number that
agrees with the right value to 4 significant digits (so ``0.667`` and ``0.6667`` are right
for 2/3, ``0.67`` is not, and a learner whose rounding along the way lands just across a
rounding boundary still passes); zero is only matched by zero.

A page cannot hold the right value, so it holds ``answer_keys(right, salt)``: the salted
SHA-256 of each accepted 3-digit form. The page's script writes the learner's number in the
same form (``x.toExponential(2)`` with ``e+`` written ``e``; ``0`` for zero) and accepts it
when its ``answer_key`` is one of them, which is ``accepts(answer, right)`` exactly.
"""

from __future__ import annotations

import hashlib
import math
import numbers
from decimal import ROUND_HALF_UP, Decimal

from autograd.core import Value

__all__ = ["SIGNIFICANT", "accepts", "answer_form", "answer_key", "answer_keys", "as_number"]

SIGNIFICANT = 3  # the digits an answer is compared at


def as_number(value: object, what: str) -> float:
    """A learner's number as a float: an int, float, Fraction, numpy scalar or 0-d array.

    Args:
        value: the number.
        what: its name in the error message.

    Returns:
        ``float(value)``.

    Raises:
        TypeError: naming ``what``, for anything else (a bool, a str, a Value).
    """
    if isinstance(value, (bool, str, Value)) or not (
        isinstance(value, numbers.Real) or getattr(value, "shape", None) == ()
    ):
        hint = " (its .data)" if isinstance(value, Value) else ""
        raise TypeError(f"{what} must be a number{hint}, not {type(value).__name__}")
    return float(value)  # type: ignore[arg-type]  # a Real or a 0-d array


def answer_form(x: float) -> str:
    """``x`` written at ``SIGNIFICANT`` digits as the page's script writes it: ``6.00e0``,
    ``-8.22e-2``, ``0`` for zero (either sign), ``inf``, ``-inf``, ``nan``.

    Rounded from the float's exact value with halves away from zero, as JavaScript's
    ``x.toExponential(2)`` does (Python's ``f"{x:.2e}"`` rounds halves to even: 1.125 would
    read ``1.12`` here and ``1.13`` in the browser).

    Args:
        x: the number.

    Returns:
        Its form.

    Examples:
        >>> answer_form(2 / 3), answer_form(-0.0821670405), answer_form(1.125), answer_form(-0.0)
        ('6.67e-1', '-8.22e-2', '1.13e0', '0')
    """
    if x != x:
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0.0:
        return "0"
    exact = Decimal(x)
    exponent = exact.adjusted()
    # quantize rounds to a fixed exponent, so no digit beyond the exact value's is invented
    rounded = exact.quantize(Decimal(1).scaleb(exponent + 1 - SIGNIFICANT), ROUND_HALF_UP)
    if rounded.adjusted() > exponent:  # 9.995 rounds up to 10.0: one more digit before the point
        exponent += 1
    mantissa = rounded.scaleb(-exponent).quantize(Decimal(1).scaleb(1 - SIGNIFICANT))
    return f"{mantissa}e{exponent}"


def _accepted_forms(right: float) -> set[str]:
    """The forms an answer may take for ``right``: its own and those of the numbers that
    agree with it to one digit more (half a unit of that digit either side)."""
    forms = {answer_form(right)}
    if right != 0.0 and math.isfinite(right):
        half = 0.5 * 10.0 ** (math.floor(math.log10(abs(right))) - SIGNIFICANT)
        forms |= {answer_form(right - half), answer_form(right + half)}
    return forms


def accepts(answer: float, right: float) -> bool:
    """True if ``answer`` counts as ``right`` (the rule of this module's docstring).

    Args:
        answer: the learner's number.
        right: the engine's value.

    Returns:
        Whether ``answer`` rounds to the same 3 significant digits as ``right``, or as a
        number that agrees with ``right`` to 4 significant digits. Zero only matches zero.

    Raises:
        TypeError: either is not a number.

    Examples:
        >>> accepts(0.667, 2 / 3), accepts(0.6667, 2 / 3), accepts(0.67, 2 / 3)
        (True, True, False)
        >>> accepts(0, 0.0), accepts(0.0001, 0.0)
        (True, False)
    """
    return answer_form(as_number(answer, "answer")) in _accepted_forms(as_number(right, "right"))


def _key(form: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}|{form}".encode()).hexdigest()


def answer_key(value: float, salt: str = "") -> str:
    """The salted SHA-256 of ``value``'s ``answer_form``: what a page computes from the
    learner's typed number (``salt + "|" + form``, UTF-8, hexadecimal).

    Args:
        value: a number (the learner's answer, or a right value).
        salt: mixed into the hash, so the page's hashes cannot be looked up in a table.

    Returns:
        64 hexadecimal digits.

    Raises:
        TypeError: ``value`` is not a number or ``salt`` not a str.

    Examples:
        >>> key = answer_key(0.667, salt="exercise 1")
        >>> len(key), key == answer_key(2 / 3, salt="exercise 1")
        (64, True)
        >>> key == answer_key(0.667, salt="exercise 2")
        False
    """
    if not isinstance(salt, str):
        raise TypeError(f"salt must be a str, not {type(salt).__name__}")
    return _key(answer_form(as_number(value, "value")), salt)


def answer_keys(right: float, salt: str = "") -> tuple[str, ...]:
    """The keys an answer may have to count as ``right`` (one to three of them, sorted):
    ``answer_key(answer, salt) in answer_keys(right, salt)`` is ``accepts(answer, right)``.

    Args:
        right: the engine's value.
        salt: as for ``answer_key``.

    Returns:
        The accepted keys.

    Raises:
        TypeError: ``right`` is not a number or ``salt`` not a str.

    Examples:
        >>> keys = answer_keys(2 / 3, salt="exercise 1")
        >>> answer_key(0.667, salt="exercise 1") in keys
        True
        >>> answer_key(0.67, salt="exercise 1") in keys
        False
    """
    if not isinstance(salt, str):
        raise TypeError(f"salt must be a str, not {type(salt).__name__}")
    return tuple(sorted(_key(f, salt) for f in _accepted_forms(as_number(right, "right"))))
