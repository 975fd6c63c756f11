"""The notes' fixed 3-4-4-3 feed-forward network: z_2, a_2 and the softmax outputs.

Row-vector convention as in the notes' code: z_2 = x W_1, a_2 = sigmoid(z_2),
z_3 = a_2 W_2, a_3 = sigmoid(z_3), z_4 = a_3 W_3, y = softmax(z_4); no biases.
One input, then a batch of seven. Built twice: by hand from engine ops, and as
an ``nn.MLP`` given the same weights.
"""

from __future__ import annotations

from pathlib import Path

import autograd
import nn
from autograd import Value
from demos._common import Cmp, Report

DESCRIPTION = "the W_1, W_2, W_3 network: z_2, a_2, softmax outputs, single input and batch"
FILES = ("feedforward.png",)

# Seed case feedforward_single, inputs: weights (row convention z = x W) and x.
NET = {
    "W_1": [[2, -1, 1, 4], [-1, 2, -3, 1], [3, -2, -1, 5]],
    "W_2": [[3, 1, -2, 1], [-2, 4, 1, -4], [-1, -3, 2, -5], [3, 1, 1, 1]],
    "W_3": [[-1, 3, -2], [1, -1, -3], [3, -2, 2], [1, 2, 1]],
    "x_in": [0.5, 0.8, 0.2],
}
# Seed case feedforward_single, expected (full precision).
SINGLE = {
    "z_2": [0.8, 0.7000000000000001, -2.1000000000000005, 3.8],
    "a_2": [0.6899744811276125, 0.6681877721681662, 0.10909682119561288, 0.9781187290638694],
    "z_3": [3.5588072650425007, 4.013553835277308, 0.4845511813680363, -1.550141984459247],
    "a_3": [0.9723154896247653, 0.9822516299669389, 0.6188219925098782, 0.17506576214314518],
    "z_4": [2.0414678800149537, 1.047182378173891, -3.478676121987446],
    "y_out": [0.7278057580275941, 0.2692791825789849, 0.0029150593934210004],
}
# Seed case feedforward_single, printed (8 decimals).
SINGLE_PRINTED = {
    "z_2": [0.8, 0.7, -2.1, 3.8],
    "a_2": [0.68997448, 0.66818777, 0.10909682, 0.97811873],
    "y_out": [0.72780576, 0.26927918, 0.00291506],
}
# Seed case feedforward_batch, inputs.x_mat_in: 7 inputs, one per row.
BATCH_X = [
    [0.5, 0.8, 0.2],
    [0.1, 0.9, 0.6],
    [0.2, 0.2, 0.3],
    [0.6, 0.1, 0.9],
    [0.5, 0.5, 0.4],
    [0.9, 0.1, 0.9],
    [0.1, 0.8, 0.7],
]
# Seed case feedforward_batch, printed.
BATCH_PRINTED = {
    "z_2": [
        [0.8, 0.7, -2.1, 3.8],
        [1.1, 0.5, -3.2, 4.3],
        [1.1, -0.4, -0.7, 2.5],
        [3.8, -2.2, -0.6, 7.0],
        [1.7, -0.3, -1.4, 4.5],
        [4.4, -2.5, -0.3, 8.2],
        [1.5, 0.1, -3.0, 4.7],
    ],
    "y_out": [
        [0.72780576, 0.26927918, 0.00291506],
        [0.62054212, 0.37682531, 0.00263257],
        [0.69267581, 0.30361576, 0.00370844],
        [0.36618794, 0.63016955, 0.00364252],
        [0.57199769, 0.4251982, 0.00280411],
        [0.38373781, 0.61163804, 0.00462415],
        [0.52510443, 0.4725011, 0.00239447],
    ],
}

SOURCES = {
    "NET": ("feedforward_single", "inputs"),
    "SINGLE": ("feedforward_single", "expected"),
    "SINGLE_PRINTED": ("feedforward_single", "printed"),
    "BATCH_X": ("feedforward_batch", "inputs", "x_mat_in"),
    "BATCH_PRINTED": ("feedforward_batch", "printed"),
}
TOL = 1e-12  # against the full-precision recomputation
TOL_PRINTED = 1e-8  # against the notes' 8 printed decimals


def matmul_row(x: list, W: list[list[float]]) -> list[Value]:
    """x W for a row vector x: output j is the dot of x with column j of W."""
    return [autograd.dot([row[j] for row in W], x) for j in range(len(W[0]))]


def forward(x: list[float]) -> dict[str, list[Value]]:
    """Every layer of the notes' network, from engine ops."""
    z2 = matmul_row(x, NET["W_1"])
    a2 = [z.sigmoid() for z in z2]
    z3 = matmul_row(a2, NET["W_2"])
    a3 = [z.sigmoid() for z in z3]
    z4 = matmul_row(a3, NET["W_3"])
    return {"z_2": z2, "a_2": a2, "z_3": z3, "a_3": a3, "z_4": z4, "y_out": nn.softmax(z4)}


def as_mlp() -> nn.MLP:
    """The same network as an nn.MLP: sigmoid hidden layers, linear output, no bias."""
    model = nn.MLP(3, [4, 4, 3], activation="sigmoid", bias=False)
    for layer, W in zip(model.layers, (NET["W_1"], NET["W_2"], NET["W_3"])):
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                w.data = float(W[i][j])
    return model


def run(out: Path, quick: bool = False, plots: bool = True) -> bool:
    r = Report("feedforward", out, plots, quick)

    r.heading("1. One input x = (0.5, 0.8, 0.2)")
    f = forward(NET["x_in"])
    for key in ("z_2", "a_2", "y_out"):
        r.table(
            ["unit", key],
            [
                [j, Cmp(v.data, p, TOL_PRINTED, exact=e, exact_tol=TOL)]
                for j, (v, p, e) in enumerate(zip(f[key], SINGLE_PRINTED[key], SINGLE[key]))
            ],
            title=f"{key}: the notes print it to 8 decimals; the recomputation has every digit",
        )
    for key in ("z_3", "a_3", "z_4"):
        r.table(
            ["unit", key],
            [[j, Cmp(v.data, e, TOL)] for j, (v, e) in enumerate(zip(f[key], SINGLE[key]))],
            title=f"{key} (not printed in the notes; recomputed)",
            ref="correct",
        )
    r.check("softmax outputs sum to 1", abs(sum(v.data for v in f["y_out"]) - 1.0) < 1e-15)
    r.note(
        "The notes' code calls soft_max_vec but defines softmax_vec (a NameError as "
        "written); the softmax here is nn.softmax, stable by subtracting the max."
    )

    r.heading("2. A batch of seven inputs, softmax per row")
    model = as_mlp()
    rows: dict[str, list[list[object]]] = {key: [] for key in BATCH_PRINTED}
    agree = 0.0
    for i, x in enumerate(BATCH_X):
        f = forward(x)
        by_mlp = nn.softmax(model(x))
        agree = max(agree, *(abs(a.data - b.data) for a, b in zip(f["y_out"], by_mlp)))
        for key, printed in BATCH_PRINTED.items():
            rows[key].append(
                [i, *(Cmp(v.data, p, TOL_PRINTED) for v, p in zip(f[key], printed[i]))]
            )
    r.table(["row", "z_2[0]", "z_2[1]", "z_2[2]", "z_2[3]"], rows["z_2"], title="z_2 = X W_1")
    r.table(["row", "y[0]", "y[1]", "y[2]"], rows["y_out"], title="softmax(z_4), one row per input")
    r.check(
        "nn.MLP with the same weights gives the same outputs",
        agree <= 1e-15,
        f"max |difference| {agree:.1e}",
    )

    plt = r.pyplot()
    if plt is not None:
        fig, ax = plt.subplots(figsize=(6, 4))
        bottoms = [0.0] * len(BATCH_X)
        probs = [[v.data for v in forward(x)["y_out"]] for x in BATCH_X]
        for k, colour in enumerate(("tab:blue", "tab:orange", "tab:green")):
            heights = [p[k] for p in probs]
            ax.bar(range(len(BATCH_X)), heights, bottom=bottoms, color=colour, label=f"class {k}")
            bottoms = [b + h for b, h in zip(bottoms, heights)]
        ax.set(
            title="Softmax outputs of the 3-4-4-3 network for the 7 inputs",
            xlabel="input row",
            ylabel="probability",
        )
        ax.legend(loc="lower right")
        r.save(fig, FILES[0])
    return r.finish()
