"""Taylor series from the engine: derivatives of e^x at 0 by nesting ``autograd.grad``.

The notes write e^x = sum x^n / n! because every derivative of e^x at 0 is 1.
Here the engine computes those derivatives (grad of grad of ...), builds the
partial sums from them, and shows that the slide's curves 1, 1 + 2x and
1 + 2x + 2x^2 are the Taylor polynomials of e^(2x), not of e^x.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from autograd import Value, grad
from demos._common import Cmp, Report, grid

DESCRIPTION = "derivatives of e^x at 0 by nested grad, Taylor polynomials, the slide's e^(2x)"
FILES = ("taylor.png",)

# Seed case taylor_exp, expected.partial_sums_at_1 / at_2: S_n(x) = sum_{k<=n} x^k/k!.
SUMS_AT_1 = [
    1.0,
    2.0,
    2.5,
    2.6666666666666665,
    2.708333333333333,
    2.7166666666666663,
    2.7180555555555554,
    2.7182539682539684,
    2.71827876984127,
    2.7182815255731922,
    2.7182818011463845,
]
SUMS_AT_2 = [
    1.0,
    3.0,
    5.0,
    6.333333333333333,
    7.0,
    7.266666666666667,
    7.355555555555555,
    7.3809523809523805,
    7.387301587301587,
    7.3887125220458545,
    7.388994708994708,
]
# Seed case taylor_exp, expected.e2x_at_0_1: the slide's 1 + 2x + 2x^2 at x = 0.1.
E2X_AT_0_1 = {"poly": 1.22, "exact": 1.2214027581601699}

SOURCES = {
    "SUMS_AT_1": ("taylor_exp", "expected", "partial_sums_at_1"),
    "SUMS_AT_2": ("taylor_exp", "expected", "partial_sums_at_2"),
    "E2X_AT_0_1": ("taylor_exp", "expected", "e2x_at_0_1"),
}
TOL = 1e-12


def derivatives(f: Callable[[Any], Any], at: float, order: int) -> list[float]:
    """f(at), f'(at), ..., f^(order)(at), each by nesting ``grad`` once more."""
    out = [f(Value(at)).data]
    d = f
    for _ in range(order):
        d = grad(d)
        out.append(float(d(at)))
    return out


def taylor_coefficients(f: Callable[[Any], Any], order: int) -> list[float]:
    """a_n = f^(n)(0) / n!, from the engine's derivatives."""
    return [d / math.factorial(n) for n, d in enumerate(derivatives(f, 0.0, order))]


def polynomial(coefficients: list[float], x: float) -> float:
    total, power = 0.0, 1.0
    for a in coefficients:
        total += a * power
        power *= x
    return total


def partial_sums(coefficients: list[float], x: float) -> list[float]:
    """S_0(x), S_1(x), ..., one more term each."""
    sums, total, power = [], 0.0, 1.0
    for a in coefficients:
        total += a * power
        power *= x
        sums.append(total)
    return sums


def run(out: Path, quick: bool = False, plots: bool = True) -> bool:
    r = Report("taylor", out, plots, quick)

    def exp(x):
        return x.exp()

    r.heading("1. d^n/dx^n e^x at 0, n = 0..6, by nesting autograd.grad")
    ds = derivatives(exp, 0.0, 6)
    r.table(
        ["n", "how", "d^n e^x / dx^n at 0"],
        [
            [n, "e^0" if n == 0 else "grad(" * n + "exp" + ")" * n, Cmp(d, 1.0, TOL)]
            for n, d in enumerate(ds)
        ],
    )
    r.note(
        "Each nested grad differentiates the graph the previous one built, so no formula "
        "for the n-th derivative is written anywhere."
    )

    r.heading("2. Partial sums S_n(x) = sum_{k<=n} f^(k)(0)/k! x^k from those derivatives")
    coeffs = taylor_coefficients(exp, 10)
    s1, s2 = partial_sums(coeffs, 1.0), partial_sums(coeffs, 2.0)
    r.table(
        ["n", "S_n(1)", "S_n(2)"],
        [
            [n, Cmp(a, la, TOL), Cmp(b, lb, TOL)]
            for n, (a, b, la, lb) in enumerate(zip(s1, s2, SUMS_AT_1, SUMS_AT_2))
        ],
        ref="correct",
    )
    print(f"  e - S_10(1) = {math.e - s1[10]:.3e}, e^2 - S_10(2) = {math.exp(2) - s2[10]:.3e}")
    r.note("The notes give the series, not these values; the points x = 1 and 2 are ours.")
    # d/dx S_n = S_{n-1}: the engine differentiates the polynomial at x = 0.5.
    worst = 0.0
    for n in range(1, 11):
        dS = grad(lambda x, n=n: sum_poly(coeffs[: n + 1], x))(0.5)
        worst = max(worst, abs(dS - polynomial(coeffs[:n], 0.5)))
    r.check(
        "d/dx S_n(x) = S_{n-1}(x) at x = 0.5 for n = 1..10 (engine)",
        worst <= 1e-12,
        f"max |difference| {worst:.1e}",
    )

    r.heading("3. The slide's curves 1, 1 + 2x, 1 + 2x + 2x^2")
    c2 = taylor_coefficients(lambda x: (2 * x).exp(), 2)
    r.table(
        ["term", "coefficient of e^(2x)"],
        [[f"x^{n}", Cmp(c, lc, TOL)] for n, (c, lc) in enumerate(zip(c2, [1.0, 2.0, 2.0]))],
        title="engine: f^(n)(0)/n! for f = e^(2x)",
        ref="slide",
    )
    r.compare("1 + 2x + 2x^2 at x = 0.1", polynomial(c2, 0.1), E2X_AT_0_1["poly"], TOL)
    r.compare("e^(2x) at x = 0.1", (2 * Value(0.1)).exp().data, E2X_AT_0_1["exact"], TOL)
    r.note(
        "The slide does not name the function its curves approximate; their coefficients "
        "1, 2, 2 are e^(2x)'s (e^x's would be 1, 1, 1/2)."
    )

    plt = r.pyplot()
    if plt is not None:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
        xs = grid(-2.5, 2.5, 200)
        ax1.plot(xs, [math.exp(x) for x in xs], "k", lw=2.5, label="eˣ")
        for n in (0, 1, 2, 3, 5):
            ax1.plot(xs, [polynomial(coeffs[: n + 1], x) for x in xs], label=f"S{n}(x)")
        ax1.set(title="Taylor polynomials of eˣ at 0", xlabel="x", ylabel="y", ylim=(-2, 12))
        ax1.legend()
        xs = grid(-1.0, 1.0, 200)
        ax2.plot(xs, [math.exp(2 * x) for x in xs], "k", lw=2.5, label="e²ˣ")
        for n, label in ((0, "y = 1"), (1, "y = 1 + 2x"), (2, "y = 1 + 2x + 2x²")):
            ax2.plot(xs, [polynomial(c2[: n + 1], x) for x in xs], label=label)
        ax2.set(title="The slide's curves approximate e²ˣ", xlabel="x", ylabel="y")
        ax2.legend()
        r.save(fig, FILES[0])
    return r.finish()


def sum_poly(coefficients: list[float], x: Any) -> Any:
    """The polynomial as engine ops (Horner), so it can be differentiated."""
    total = x * 0.0 + coefficients[-1]  # a node even for a constant polynomial
    for a in reversed(coefficients[:-1]):
        total = total * x + a
    return total
