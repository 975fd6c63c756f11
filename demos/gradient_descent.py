"""Gradient descent on the lecture's two quadratics, derivatives from the engine.

f(x) = 3x^2 + 4x + 5 from x = 10 with step 0.1, and f(x, y) = 3x^2 + 4y^2 + 5
from (10, 10) with step 0.01. Each row is printed before its update, as in the
notes. The notes' 2-D table has a slip: its f column is 3x^2 + 4y + 5.
"""

from __future__ import annotations

from pathlib import Path

from autograd import grad
from demos._common import Cmp, Report, grid

DESCRIPTION = "gradient descent on 3x^2+4x+5 and 3x^2+4y^2+5, tables and paths"
FILES = ("gradient_descent_1d.png", "gradient_descent_2d.png")

# Seed case gd_quadratic_1d, printed.rows_i_x_f: (i, x, f(x)) before update i.
ROWS_1D = [
    [0, 10, 345],
    [1, 3.5999999999999996, 58.279999999999994],
    [2, 1.0399999999999996, 12.404799999999996],
    [3, 0.015999999999999792, 5.064767999999999],
    [4, -0.39360000000000006, 3.8903628799999996],
    [5, -0.55744, 3.7024580607999997],
    [6, -0.6229760000000001, 3.6723932897280003],
    [7, -0.6491904000000001, 3.66758292635648],
    [8, -0.6596761600000001, 3.666813268217037],
    [9, -0.663870464, 3.666690122914726],
]
# Seed case gd_quadratic_2d, printed.rows_i_x_y_f: the notes' table, whose f
# column is 3x^2 + 4y + 5 (the slip).
ROWS_2D_PRINTED = [
    [0, 10, 10, 345],
    [1, 9.4, 9.2, 306.88000000000005],
    [2, 8.836, 8.463999999999999, 273.080688],
    [3, 8.30584, 7.78688, 243.1084543168],
    [4, 7.8074896, 7.163929599999999, 216.52639996232446],
    [5, 7.339040224, 6.590815231999999, 192.9477951564699],
    [6, 6.89869781056, 6.063550013439999, 172.03029449803603],
    [7, 6.484775941926401, 5.578466012364799, 153.47082110042152],
    [8, 6.095689385410817, 5.1321887313756145, 137.00104217573278],
    [9, 5.729948022286168, 4.721613632865566, 122.38336754576578],
    [10, 5.386151140948998, 4.343884542236321, 109.40741050838388],
]
# Seed case gd_quadratic_2d, expected.rows_i_x_y_f: the same path with the
# correct f = 3x^2 + 4y^2 + 5.
ROWS_2D_CORRECT = [
    [0, 10, 10, 705],
    [1, 9.4, 9.2, 608.64],
    [2, 8.836, 8.463999999999999, 525.7818719999999],
    [3, 8.30584, 7.786879999999998, 454.5029348543999],
    [4, 7.8074896, 7.163929599999999, 393.158230817349],
    [5, 7.339040224000001, 6.590815231999999, 340.3399159179227],
    [6, 6.898697810560001, 6.063550013439999, 294.8426495062289],
    [7, 6.484775941926401, 5.578466012364799, 255.6340892553992],
    [8, 6.095689385410817, 5.1321887313756145, 221.82973194806567],
    [9, 5.729948022286168, 4.721613632865566, 192.67145420655137],
    [10, 5.386151140948998, 4.343884542236321, 167.5092040045572],
]
# Seed case gd_quadratic_2d, expected.row_99.
ROW_99 = [99, 0.021860369899187222, 0.0026001290723586747, 5.001460670001159]

SOURCES = {
    "ROWS_1D": ("gd_quadratic_1d", "printed", "rows_i_x_f"),
    "ROWS_2D_PRINTED": ("gd_quadratic_2d", "printed", "rows_i_x_y_f"),
    "ROWS_2D_CORRECT": ("gd_quadratic_2d", "expected", "rows_i_x_y_f"),
    "ROW_99": ("gd_quadratic_2d", "expected", "row_99"),
}
TOL = 1e-12  # seed cases' tolerance: the numbers agree to the last bit or two


def f1(x):
    return 3 * x * x + 4 * x + 5  # written as in the notes' code


def f2(x, y):
    return 3 * x * x + 4 * y * y + 5


def f2_slip(x, y):
    return 3 * x * x + 4 * y + 5  # the notes' `4 * current_y`


def descend_1d(x: float, step: float, n: int) -> list[tuple[float, float]]:
    """(x, f(x)) before each of n updates, df/dx from the engine."""
    df = grad(f1)
    rows = []
    for _ in range(n):
        rows.append((x, f1(x)))
        x = x - step * df(x)
    rows.append((x, f1(x)))
    return rows


def descend_2d(x: float, y: float, step: float, n: int) -> list[tuple[float, float]]:
    """(x, y) before each of n updates, the gradient from the engine."""
    df = grad(f2, (0, 1))
    path = []
    for _ in range(n):
        path.append((x, y))
        gx, gy = df(x, y)
        x, y = x - step * gx, y - step * gy
    path.append((x, y))
    return path


def run(out: Path, quick: bool = False, plots: bool = True) -> bool:
    r = Report("gradient_descent", out, plots, quick)

    r.heading("1. f(x) = 3x^2 + 4x + 5, x0 = 10, step 0.1, df/dx by the engine")
    d10 = grad(f1)(10.0)
    r.compare("df/dx at x = 10 (the notes: 6x + 4 = 64)", d10, 64.0, 0.0)
    path1 = descend_1d(10.0, 0.1, 10)
    r.table(
        ["i", "x", "f(x)"],
        [[i, Cmp(x, lx, TOL), Cmp(fx, lf, TOL)] for (i, lx, lf), (x, fx) in zip(ROWS_1D, path1)],
        title="rows printed before each update",
    )
    x_end = path1[-1][0]
    r.note(
        f"After 10 updates x = {x_end!r}; the minimum is at x = -2/3 "
        f"(f = 11/3). The step 0.1 shrinks the distance to -2/3 by |1 - 0.6| = 0.4 a step."
    )

    r.heading("2. f(x, y) = 3x^2 + 4y^2 + 5, start (10, 10), step 0.01, 100 updates")
    path2 = descend_2d(10.0, 10.0, 0.01, 100)
    xy_rows, f_rows = [], []
    for (i, px, py, pf), (_, _, _, cf) in zip(ROWS_2D_PRINTED, ROWS_2D_CORRECT):
        x, y = path2[i]
        xy_rows.append([i, Cmp(x, px, TOL), Cmp(y, py, TOL)])
        f_rows.append([i, Cmp(f2(x, y), cf, TOL), Cmp(f2_slip(x, y), pf, TOL)])
    r.table(["i", "x", "y"], xy_rows, title="the path, rows 0..10 (as printed)")
    r.table(
        ["i", "3x^2+4y^2+5 (correct)", "3x^2+4y+5 (printed)"],
        f_rows,
        title="f along the path: the correct objective, and the one the notes print",
        ref="ref",
    )
    r.note(
        "Both f columns come from the same path. The notes print 3x^2 + 4y + 5: their code "
        "has `4 * current_y` where it means 4 * y * y, while the updates use the right "
        "partials 6x and 8y, so x and y are right and only the reported f is wrong."
    )
    x99, y99 = path2[99]
    r.table(
        ["i", "x", "y", "f"],
        [[99, *(Cmp(e, lec, TOL) for e, lec in zip((x99, y99, f2(x99, y99)), ROW_99[1:]))]],
        title="row 99, before the 100th update (not printed in the notes; recomputed)",
        ref="correct",
    )

    plt = r.pyplot()
    if plt is not None:
        _plot_1d(r, plt, path1)
        _plot_2d(r, plt, path2)
    return r.finish()


def _plot_1d(r: Report, plt, path: list[tuple[float, float]]) -> None:
    fig, ax = plt.subplots(figsize=(6, 4))
    xs = grid(-3.0, 11.0, 200)
    ax.plot(xs, [f1(x) for x in xs], color="tab:blue", label="f(x) = 3x² + 4x + 5")
    px, py = [p[0] for p in path], [p[1] for p in path]
    ax.plot(px, py, "o-", color="tab:red", ms=4, label="gradient descent, step 0.1")
    for i in range(3):
        ax.annotate(f"x{i}", (px[i], py[i]), textcoords="offset points", xytext=(6, 4))
    ax.axvline(-2 / 3, color="gray", ls=":", label="minimum x = -2/3")
    ax.set(title="Gradient descent on 3x² + 4x + 5 from x = 10", xlabel="x", ylabel="f(x)")
    ax.legend()
    r.save(fig, FILES[0])


def _plot_2d(r: Report, plt, path: list[tuple[float, float]]) -> None:
    fig, ax = plt.subplots(figsize=(5.5, 5))
    xs = grid(-11.0, 11.0, 80)
    ys = grid(-11.0, 11.0, 80)
    zs = [[f2(x, y) for x in xs] for y in ys]
    cs = ax.contour(xs, ys, zs, levels=10, cmap="viridis")
    ax.clabel(cs, fontsize=7, fmt="%.0f")
    ax.plot(
        [p[0] for p in path],
        [p[1] for p in path],
        ".-",
        color="tab:red",
        ms=3,
        label="100 steps of 0.01 from (10, 10)",
    )
    ax.plot([0], [0], "k*", ms=10, label="minimum (0, 0)")
    ax.set(title="Gradient descent on 3x² + 4y² + 5", xlabel="x", ylabel="y", aspect="equal")
    ax.legend(loc="lower left")
    r.save(fig, FILES[1])
