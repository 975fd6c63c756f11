"""A sigmoid on a linear unit, then the notes' one-layer, two-output sigmoid network.

Inputs x = (1, 1, 1), weights W (3 x 2) starting at ones, outputs
sigmoid(x W), least-squares cost 1/(2m) sum (out - Y)^2, step 0.01 until the
cost drops below 0.1; one sample and ten samples, with the targets the blog
prints. The gradients come from the engine.
"""

from __future__ import annotations

from pathlib import Path

import autograd
from autograd import Parameter, Value, no_grad
from demos._common import Cmp, Report, progress

DESCRIPTION = "one-layer two-output sigmoid network, least squares: 1 and 10 samples"
FILES = ("sigmoid_outputs_cost.png",)

# Seed case sigmoid_linear_unit_grad, inputs and expected.
UNIT_INPUTS = {"x": 3.0, "w1": 0.5, "b1": -1.0}
UNIT_EXPECTED = {
    "z": 0.5,
    "y": 0.6224593312018546,
    "dy_dw1": 0.7050111366047835,
    "dy_db1": 0.2350037122015945,
}
# Seed case sigmoid_lsq_two_outputs_m1, inputs.Y: the blog's target (8 decimals).
Y_M1 = [[0.56553902, 0.46432009]]
# Seed case sigmoid_lsq_two_outputs_m1, expected.
M1 = {
    "y0": [3.0, 3.0],
    "yo0": [0.9525741268224334, 0.9525741268224334],
    "start_cost": 0.19409408919322724,
    "first_dW": [
        [0.017484953324834247, 0.02205768648377125],
        [0.017484953324834247, 0.02205768648377125],
        [0.017484953324834247, 0.02205768648377125],
    ],
    "end_cost": 0.0999193605052619,
    "cnt": 1501,
    "W_final": [
        [0.6219434214686261, 0.4524816300851472],
        [0.6219434214686261, 0.4524816300851472],
        [0.6219434214686261, 0.4524816300851472],
    ],
}
# Seed case sigmoid_lsq_two_outputs_m1, printed.start_cost.
M1_PRINTED_START = 0.19409408548266943
# Seed case sigmoid_lsq_two_outputs_m1_random, expected.reconstructed_Y and
# expected.reconstructed_results: the slide drew Y at random; this Y (ours)
# reproduces its printed start 0.2518, end 0.09995 and cnt 1250.
Y_RANDOM = [0.26630230884484796, 0.771960464952302]
RANDOM_RESULTS = {"start_cost": 0.2517951515021991, "end_cost": 0.09995151432126374, "cnt": 1250}
# Seed case sigmoid_lsq_two_outputs_m10, inputs.Y: the blog's printed 10 x 2 targets.
Y_M10 = [
    [0.51100414, 0.05743273],
    [0.69833688, 0.47127458],
    [0.08897891, 0.78770351],
    [0.55291883, 0.78184918],
    [0.94388284, 0.4277488],
    [0.50303774, 0.10330091],
    [0.07714834, 0.1860604],
    [0.2438794, 0.55412802],
    [0.32615948, 0.25536064],
    [0.26345809, 0.2665332],
]
# Seed case sigmoid_lsq_two_outputs_m10, expected (the blog prints no result).
M10 = {
    "start_cost": 0.36461098242738166,
    "first_dW": [
        [0.024020143641234667, 0.025454108105098353],
        [0.024020143641234667, 0.025454108105098353],
        [0.024020143641234667, 0.025454108105098353],
    ],
    "end_cost": 0.09989396258547764,
    "cnt": 1875,
    "W_final": [
        [0.15923726890252338, 0.09194333153631314],
        [0.15923726890252338, 0.09194333153631314],
        [0.15923726890252338, 0.09194333153631314],
    ],
}

SOURCES = {
    "UNIT_INPUTS": ("sigmoid_linear_unit_grad", "inputs"),
    "UNIT_EXPECTED": ("sigmoid_linear_unit_grad", "expected"),
    "Y_M1": ("sigmoid_lsq_two_outputs_m1", "inputs", "Y"),
    "M1": ("sigmoid_lsq_two_outputs_m1", "expected"),
    "M1_PRINTED_START": ("sigmoid_lsq_two_outputs_m1", "printed", "start_cost"),
    "Y_RANDOM": ("sigmoid_lsq_two_outputs_m1_random", "expected", "reconstructed_Y"),
    "RANDOM_RESULTS": ("sigmoid_lsq_two_outputs_m1_random", "expected", "reconstructed_results"),
    "Y_M10": ("sigmoid_lsq_two_outputs_m10", "inputs", "Y"),
    "M10": ("sigmoid_lsq_two_outputs_m10", "expected"),
}
TOL = 1e-10


class Run:
    """One training run of the notes' loop, with what the tables need."""

    def __init__(self, Y: list[list[float]], desc: str, limit: int = 20000) -> None:
        m = len(Y)
        X = [[1.0, 1.0, 1.0] for _ in range(m)]
        # W[i][j]: input i to output j; columns are the two neurons.
        W = [[Parameter(1.0, label=f"W{i + 1}{j + 1}") for j in range(2)] for i in range(3)]
        cols = [[W[i][j] for i in range(3)] for j in range(2)]
        params = [w for row in W for w in row]
        self.costs: list[float] = []
        self.first_dW: list[list[float]] = []
        self.y0: list[float] = []
        self.yo0: list[float] = []

        def forward() -> tuple[Value, tuple[list[Value], list[Value]]]:
            pre = [[autograd.dot(col, x) for col in cols] for x in X]
            out = [[p.sigmoid() for p in row] for row in pre]
            cost = autograd.sum(
                [(o - t) ** 2 for orow, trow in zip(out, Y) for o, t in zip(orow, trow)]
            ) / (2 * m)
            return cost, (pre[0], out[0])

        # the same graph at every update: traced once, replayed as plain Python
        # (with its backward; the last one, at the cost that stops the loop, is unused)
        train = autograd.compile(forward, has_aux=True)
        for step in progress(limit, desc):
            cost, (pre0, out0) = train()
            self.costs.append(cost)
            if step == 0:
                self.y0, self.yo0 = pre0, out0
            if cost < 0.1:
                break
            if step == 0:
                self.first_dW = [[w.grad for w in row] for row in W]
            with no_grad():
                for p in params:
                    p.data -= 0.01 * p.grad
                    p.grad = 0.0
        else:
            raise RuntimeError(f"{desc}: cost still >= 0.1 after {limit} updates")
        self.W = [[w.data for w in row] for row in W]

    @property
    def cnt(self) -> int:
        return len(self.costs) - 1  # updates made before the cost fell below 0.1


def _report_run(r: Report, run: Run, ref: dict, printed_start: float | None = None) -> None:
    rows = [
        ["start cost", Cmp(run.costs[0], ref["start_cost"], TOL)],
        ["end cost", Cmp(run.costs[-1], ref["end_cost"], TOL)],
        ["updates (cnt)", Cmp(run.cnt, ref["cnt"], 0)],
    ]
    rows += [
        [f"dW row {i + 1}", *(Cmp(g, e, TOL) for g, e in zip(run.first_dW[i], ref_row))]
        for i, ref_row in enumerate(ref["first_dW"])
    ]
    rows += [
        [f"final W row {i + 1}", *(Cmp(w, e, TOL) for w, e in zip(run.W[i], ref_row))]
        for i, ref_row in enumerate(ref["W_final"])
    ]
    r.table(["quantity", "output 1", "output 2"], rows, ref="ref")
    if printed_start is not None:
        r.compare(
            "start cost as printed in the blog (Y printed to 8 decimals)",
            run.costs[0],
            printed_start,
            1e-8,
        )


def run(out: Path, quick: bool = False, plots: bool = True) -> bool:
    r = Report("sigmoid_outputs", out, plots, quick)

    r.heading("1. A sigmoid on a linear unit: y = sigmoid(w1 x + b1) at x = 3, w1 = 0.5, b1 = -1")
    x = UNIT_INPUTS["x"]
    w1, b1 = Value(UNIT_INPUTS["w1"], label="w1"), Value(UNIT_INPUTS["b1"], label="b1")
    z = w1 * x + b1
    y = z.sigmoid()
    y.backward()
    h = y.data
    by_hand_w1, by_hand_b1 = h * (1 - h) * x, h * (1 - h)
    r.table(
        ["quantity", "by hand", "value"],
        [
            ["z", "w1 x + b1", Cmp(z.data, UNIT_EXPECTED["z"], 1e-12)],
            ["y", "h(z)", Cmp(y.data, UNIT_EXPECTED["y"], 1e-12)],
            ["dy/dw1", f"h(1-h) x = {by_hand_w1!r}", Cmp(w1.grad, UNIT_EXPECTED["dy_dw1"], 1e-12)],
            ["dy/db1", f"h(1-h) = {by_hand_b1!r}", Cmp(b1.grad, UNIT_EXPECTED["dy_db1"], 1e-12)],
        ],
        ref="ref",
    )
    r.note("The notes give only the formulas; the point x = 3, w1 = 0.5, b1 = -1 is ours.")

    r.heading("2. One sample, x = (1, 1, 1), the blog's target Y = (0.56553902, 0.46432009)")
    m1 = Run(Y_M1, "m = 1")
    r.table(
        ["quantity", "output 1", "output 2"],
        [
            ["y = x W", *(Cmp(a, b, TOL) for a, b in zip(m1.y0, M1["y0"]))],
            ["sigmoid(y)", *(Cmp(a, b, TOL) for a, b in zip(m1.yo0, M1["yo0"]))],
        ],
        title="forward pass at W = ones",
        ref="ref",
    )
    _report_run(r, m1, M1, M1_PRINTED_START)
    r.note(
        "The blog prints only the start cost; the end cost and the number of updates are "
        "recomputed from its code. All three rows of W stay equal because every input is 1."
    )

    r.heading("3. One sample, the slide's run with a random target")
    rnd = Run([Y_RANDOM], "m = 1, slide")
    r.note(
        "The slide draws Y at random and prints start 0.2518, end 0.09995, cnt 1250. We solved "
        "for a Y that reproduces all three, Y = (0.266302..., 0.771960...): it is our "
        "reconstruction, not data from the notes."
    )
    r.table(
        ["quantity", "value"],
        [
            ["start cost", Cmp(rnd.costs[0], RANDOM_RESULTS["start_cost"], 1e-12)],
            ["end cost", Cmp(rnd.costs[-1], RANDOM_RESULTS["end_cost"], 1e-12)],
            ["updates (cnt)", Cmp(rnd.cnt, RANDOM_RESULTS["cnt"], 0)],
        ],
        ref="reconstructed",
    )
    r.check("start cost rounds to the slide's 0.2518", round(rnd.costs[0], 4) == 0.2518)
    r.check("end cost rounds to the slide's 0.09995", round(rnd.costs[-1], 5) == 0.09995)

    r.heading("4. Ten samples, the blog's printed 10 x 2 targets")
    m10 = Run(Y_M10, "m = 10")
    _report_run(r, m10, M10)
    r.note(
        "The blog prints Y but shows the result only as a picture: the numbers here are "
        "recomputed from its code. With all inputs equal the network predicts one pair for "
        "every sample, so the best reachable cost is the spread of Y around its column means."
    )

    plt = r.pyplot()
    if plt is not None:
        fig, ax = plt.subplots(figsize=(6, 4))
        for run_, label in (
            (m1, "m = 1, blog's Y"),
            (rnd, "m = 1, slide (Y reconstructed)"),
            (m10, "m = 10, blog's Y"),
        ):
            ax.plot(run_.costs, label=f"{label}: {run_.cnt} updates")
        ax.axhline(0.1, color="gray", ls=":", label="stop: cost < 0.1")
        ax.set(
            title="Two-output sigmoid network, least squares, step 0.01",
            xlabel="update",
            ylabel="cost 1/(2m)·Σ(out − Y)²",
        )
        ax.legend()
        r.save(fig, FILES[0])
    return r.finish()
