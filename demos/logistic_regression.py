"""Logistic regression: the one-sample graph (dz = a - y), the batch cost and its
gradient, and batch training on two clusters with the decision line drawn.

Loss: L = -(y log a + (1 - y) log(1 - a)) with a = sigmoid(w . x + b), natural log.
"""

from __future__ import annotations

import random
from pathlib import Path

import autograd
from autograd import Parameter, Value, no_grad
from demos._common import Cmp, Report, progress, scatter_by_class

DESCRIPTION = "logistic regression: one-sample graph (dz = a - y), batch training, decision line"
FILES = ("logistic_regression.png",)

# Seed case logistic_regression_single_sample, inputs and expected.
SAMPLE = {"x1": 1.0, "x2": 2.0, "w1": 0.5, "w2": -0.25, "b": 0.1, "y": [1, 0]}
SAMPLE_EXPECTED = {
    "y=1": {
        "z": 0.1,
        "a": 0.52497918747894,
        "loss": 0.6443966600735709,
        "dz": -0.47502081252106,
        "dw1": -0.47502081252106,
        "dw2": -0.95004162504212,
        "db": -0.47502081252106,
    },
    "y=0": {
        "z": 0.1,
        "a": 0.52497918747894,
        "loss": 0.744396660073571,
        "dz": 0.52497918747894,
        "dw1": 0.52497918747894,
        "dw2": 1.04995837495788,
        "db": 0.52497918747894,
    },
}
# Seed case logistic_regression_batch, inputs and expected.
BATCH = {
    "X": [[1.0, 0.5, 1.5], [1.0, -1.0, 2.0], [1.0, 2.0, -0.5]],
    "y": [1.0, 0.0, 1.0],
    "k": [0.1, -0.2, 0.3],
}
BATCH_EXPECTED = {
    "h": [0.610639233949222, 0.7109495026250039, 0.389360766050778],
    "J_mean": 0.8925505889089992,
    "dJ_dk_mean": [-0.09635016579166533, -0.7089694511829455, 0.38105915771615056],
    "C_sum": 2.6776517667269975,
    "dC_dk_sum": [-0.289050497374996, -2.1269083535488367, 1.1431774731484516],
    "ascent_vector_g": [0.289050497374996, 2.1269083535488367, -1.1431774731484516],
}

SOURCES = {
    "SAMPLE": ("logistic_regression_single_sample", "inputs"),
    "SAMPLE_EXPECTED": ("logistic_regression_single_sample", "expected"),
    "BATCH": ("logistic_regression_batch", "inputs"),
    "BATCH_EXPECTED": ("logistic_regression_batch", "expected"),
}
TOL = 1e-12


def bce(a: Value, y: float) -> Value:
    """-(y log a + (1 - y) log(1 - a)), written as in the notes."""
    return -(y * a.log() + (1 - y) * (1 - a).log())


def run(out: Path, quick: bool = False, plots: bool = True) -> bool:
    r = Report("logistic_regression", out, plots, quick)

    r.heading("1. One sample: z = w1 x1 + w2 x2 + b, a = sigmoid(z), L = cross-entropy")
    s = SAMPLE
    print(f"  x = ({s['x1']}, {s['x2']}), w = ({s['w1']}, {s['w2']}), b = {s['b']} (ours)")
    for y in s["y"]:
        ref = SAMPLE_EXPECTED[f"y={y}"]
        w1, w2, b = (Value(s[k], label=k) for k in ("w1", "w2", "b"))
        z = w1 * s["x1"] + w2 * s["x2"] + b
        a = z.sigmoid()
        loss = bce(a, y)
        loss.backward()
        dz = a.data - y
        r.table(
            ["quantity", "by hand", "value"],
            [
                ["z", "", Cmp(z.data, ref["z"], TOL)],
                ["a", "", Cmp(a.data, ref["a"], TOL)],
                ["L", "", Cmp(loss.data, ref["loss"], TOL)],
                ["dL/dz", f"a - y = {dz!r}", Cmp(z.grad, ref["dz"], TOL)],
                ["dL/dw1", f"(a - y) x1 = {dz * s['x1']!r}", Cmp(w1.grad, ref["dw1"], TOL)],
                ["dL/dw2", f"(a - y) x2 = {dz * s['x2']!r}", Cmp(w2.grad, ref["dw2"], TOL)],
                ["dL/db", f"a - y = {dz!r}", Cmp(b.grad, ref["db"], TOL)],
            ],
            title=f"target y = {y}: backward() beside the notes' dz = a - y",
            ref="ref",
        )
    r.note(
        "The log and the sigmoid's derivative cancel: dL/dz = (-y/a + (1-y)/(1-a)) a(1-a) "
        "= a - y, which is what backward() finds through the log and sigmoid nodes."
    )

    r.heading("2. A batch: J = mean cross-entropy, dJ/dk = mean((h - y) x), x_0 = 1")
    k = [Value(v, label=f"k{j}") for j, v in enumerate(BATCH["k"])]
    hs = [autograd.dot(k, x).sigmoid() for x in BATCH["X"]]
    C = autograd.sum([bce(h, y) for h, y in zip(hs, BATCH["y"])])
    J = C / len(hs)
    J.backward()
    dJ = [kj.grad for kj in k]
    ref_mean = BATCH_EXPECTED["dJ_dk_mean"]
    r.table(
        ["i", "h_i = sigmoid(k . x_i)"],
        [[i, Cmp(h.data, e, TOL)] for i, (h, e) in enumerate(zip(hs, BATCH_EXPECTED["h"]))],
        ref="ref",
    )
    r.compare("J (mean over 3 samples)", J.data, BATCH_EXPECTED["J_mean"], TOL)
    r.compare("C (sum, the notes' C(k))", C.data, BATCH_EXPECTED["C_sum"], TOL)
    r.table(
        ["j", "dJ/dk_j", "dC/dk_j = 3 dJ/dk_j"],
        [
            [j, Cmp(g, e, TOL), Cmp(3 * g, ec, TOL)]
            for j, (g, e, ec) in enumerate(zip(dJ, ref_mean, BATCH_EXPECTED["dC_dk_sum"]))
        ],
        ref="ref",
    )
    r.note(
        "The data are ours (the notes give only formulas). Two slips in the notes: the "
        "derivation ends with -dC/dk_j = sum (g - y) x_j, but the sign is +; and 'x_0 = 0' "
        "should be x_0 = 1, the constant input that carries the bias."
    )

    r.heading("3. Batch training on two clusters (random data, seeded)")
    _train(r, quick)
    return r.finish()


def _train(r: Report, quick: bool) -> None:
    rng = random.Random(3)
    pts = [(rng.gauss(-1.0, 0.8), rng.gauss(-0.5, 0.8), 0) for _ in range(40)]
    pts += [(rng.gauss(1.2, 0.8), rng.gauss(1.0, 0.8), 1) for _ in range(40)]
    w = [Parameter(0.0, label="w1"), Parameter(0.0, label="w2")]
    b = Parameter(0.0, label="b")
    steps = 60 if quick else 300
    losses = []
    for _ in progress(steps, "logistic regression"):
        J = autograd.sum(
            [bce(autograd.dot(w, (x1, x2), b).sigmoid(), y) for x1, x2, y in pts]
        ) / len(pts)
        losses.append(J.data)
        J.backward()
        with no_grad():
            for p in (*w, b):
                p.data -= 0.5 * p.grad
                p.grad = 0.0
    correct = sum((w[0].data * x1 + w[1].data * x2 + b.data > 0) == (y == 1) for x1, x2, y in pts)
    acc = correct / len(pts)
    print(
        f"  {steps} updates of lr 0.5 on 80 points: w = ({w[0].data:.4f}, {w[1].data:.4f}), "
        f"b = {b.data:.4f}, loss {losses[0]:.4f} -> {losses[-1]:.4f}"
    )
    r.note("Random data: no lecture numbers, so these properties are checked instead.")
    r.check("loss never increases", all(b2 <= a2 + 1e-12 for a2, b2 in zip(losses, losses[1:])))
    r.check("training accuracy above 90%", acc > 0.9, f"{acc:.0%}")

    plt = r.pyplot()
    if plt is None:
        return
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    scatter_by_class(ax1, pts, [p[2] for p in pts], ((0, "tab:blue"), (1, "tab:red")), s=18)
    xs = [-3.5, 3.5]
    w1, w2, bb = w[0].data, w[1].data, b.data
    ax1.plot(xs, [-(w1 * x + bb) / w2 for x in xs], "k-", label="decision line w·x + b = 0")
    ax1.set(
        title=f"Logistic regression: {acc:.0%} training accuracy",
        xlabel="x1",
        ylabel="x2",
        xlim=(-3.5, 3.5),
        ylim=(-3.5, 3.5),
    )
    ax1.legend(loc="upper left")
    ax2.plot(losses)
    ax2.set(title="Mean cross-entropy during training", xlabel="update", ylabel="loss")
    r.save(fig, FILES[0])
