"""Softmax and cross-entropy: the notes' formulas on small inputs, then a
three-class classifier trained with them.

softmax(o)_j = e^(o_j) / sum_k e^(o_k); cross-entropy -log softmax(o)[target],
whose gradient with respect to o is p - y (softmax minus one-hot).
"""

from __future__ import annotations

import math
from pathlib import Path

import nn
from autograd import Value
from demos._common import Cmp, Report, grid, plot_history, scatter_by_class

DESCRIPTION = "softmax and cross-entropy (dCE/do = p - y), a three-class classifier"
FILES = ("softmax_classifier.png",)

# Seed case softmax_cross_entropy, inputs and expected (the inputs are ours).
INPUTS = {
    "o": [1.0, 2.0, 3.0],
    "y_onehot": [0.0, 0.0, 1.0],
    "P": [0.5, 0.25, 0.25],
    "Q": [0.25, 0.25, 0.5],
    "binary": {"h": [0.9, 0.2, 0.6], "y": [1.0, 0.0, 1.0]},
}
EXPECTED = {
    "softmax": [0.09003057317038046, 0.24472847105479767, 0.6652409557748219],
    "softmax_sum": 1.0,
    "argmax_softmax_equals_argmax_o": 2,
    "cross_entropy": 0.4076059644443803,
    "dCE_do": [0.09003057317038046, 0.24472847105479767, -0.3347590442251781],
    "entropy_P_nats": 1.0397207708399179,
    "entropy_P_bits": 1.5,
    "cross_entropy_PQ_nats": 1.2130075659799042,
    "binary_cross_entropy": 0.2797765635793423,
}

SOURCES = {
    "INPUTS": ("softmax_cross_entropy", "inputs"),
    "EXPECTED": ("softmax_cross_entropy", "expected"),
}
TOL = 1e-12
CENTERS = [[-2.0, -1.0], [2.0, -1.0], [0.0, 2.0]]


def run(out: Path, quick: bool = False, plots: bool = True) -> bool:
    r = Report("softmax_classifier", out, plots, quick)

    r.heading("1. softmax(1, 2, 3), its cross-entropy with target class 2, and dCE/do")
    o = [Value(x, label=f"o{j}") for j, x in enumerate(INPUTS["o"])]
    p = nn.softmax(o)
    target = INPUTS["y_onehot"].index(1.0)
    ce = nn.cross_entropy(o, target)
    ce.backward()
    r.table(
        ["j", "softmax", "p - y (by hand)", "dCE/do_j (backward)"],
        [
            [j, Cmp(pj.data, e, TOL), pj.data - y, Cmp(oj.grad, g, TOL)]
            for j, (pj, oj, e, g, y) in enumerate(
                zip(p, o, EXPECTED["softmax"], EXPECTED["dCE_do"], INPUTS["y_onehot"])
            )
        ],
        ref="ref",
    )
    r.compare("sum of the softmax", sum(pj.data for pj in p), EXPECTED["softmax_sum"], 1e-15)
    argmax = max(range(3), key=lambda j: p[j].data)
    r.compare("argmax softmax (= argmax o)", argmax, EXPECTED["argmax_softmax_equals_argmax_o"], 0)
    r.compare("cross-entropy -log p_2", ce.data, EXPECTED["cross_entropy"], TOL)

    r.heading("2. Entropy, cross-entropy and binary cross-entropy (natural log)")
    P, Q = INPUTS["P"], INPUTS["Q"]
    Pv = [Value(x) for x in P]
    Qv = [Value(x) for x in Q]
    H_P = -sum((pi * pi.log() for pi in Pv), Value(0.0))
    H_PQ = -sum((pi * qi.log() for pi, qi in zip(Pv, Qv)), Value(0.0))
    r.compare("H(P) in nats", H_P.data, EXPECTED["entropy_P_nats"], TOL)
    r.compare("H(P) in bits", H_P.data / math.log(2), EXPECTED["entropy_P_bits"], TOL)
    r.compare("H(P, Q) = -sum P log Q", H_PQ.data, EXPECTED["cross_entropy_PQ_nats"], TOL)
    notes_form = sum(-a * math.log(b) - b * math.log(a) for a, b in zip(P, Q))
    r.note(
        f"The notes write H(P, Q) = sum -P log Q - Q log P, which gives {notes_form!r} here: "
        "the extra -Q log P term makes it symmetric (and infinite for a one-hot P); the "
        "standard cross-entropy is -sum P log Q."
    )
    b = INPUTS["binary"]
    bce = nn.binary_cross_entropy([Value(h) for h in b["h"]], b["y"])
    r.compare("binary cross-entropy, mean over 3", bce.data, EXPECTED["binary_cross_entropy"], TOL)

    r.heading("3. A three-class problem: MLP 2-8-3, softmax + cross-entropy")
    X, y = nn.datasets.blobs(150, CENTERS, rng=0, std=0.8)
    model = nn.MLP(2, [8, 3], activation="tanh", rng=1)
    epochs = 20 if quick else 60
    history = nn.fit(
        model,
        X,
        y,
        nn.cross_entropy,
        nn.Adam(model.parameters(), lr=0.05),
        epochs=epochs,
        batch_size=30,
        shuffle=0,
    )
    acc = history["accuracy"][-1]
    print(f"  150 points around 3 centres, {epochs} epochs of Adam (batches of 30)")
    print(f"  loss {history['loss'][0]:.4f} -> {history['loss'][-1]:.4f}, accuracy {acc:.1%}")
    r.note("Random data (seeded), no lecture numbers: checking the properties.")
    r.check("loss went down", history["loss"][-1] < history["loss"][0])
    r.check("training accuracy above 90%", acc > 0.9, f"{acc:.1%}")

    plt = r.pyplot()
    if plt is not None:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
        gx, gy = grid(-5.0, 5.0, 60), grid(-4.5, 5.0, 60)
        zz = [[_argmax(model([a, c])) for a in gx] for c in gy]
        ax1.contourf(
            gx, gy, zz, levels=[-0.5, 0.5, 1.5, 2.5], colors=["#c6dbef", "#fdd0a2", "#c7e9c0"]
        )
        scatter_by_class(
            ax1,
            X,
            y,
            enumerate(("tab:blue", "tab:orange", "tab:green")),
            s=14,
            edgecolors="k",
            linewidths=0.3,
        )
        ax1.set(title=f"Three classes, softmax MLP: {acc:.0%} accuracy", xlabel="x1", ylabel="x2")
        ax1.legend(loc="lower left")
        plot_history(ax2, history, "cross-entropy", "epoch")
        r.save(fig, FILES[0])
    return r.finish()


def _argmax(values: list[Value]) -> int:
    return max(range(len(values)), key=lambda j: values[j].data)
