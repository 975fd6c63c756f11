"""Every activation function in the notes, with its derivative from the engine.

Values and derivatives at z = -2, -0.75, -0.25, 0.25, 0.75, 2 (away from the
kinks, where the notes disagree) and the value at 0, checked against the
formulas the notes give (sigmoid' = s(1 - s), tanh' = 1 - t^2, ...). The
activations come from ``nn`` by name; the derivatives from ``autograd.grad``.
"""

from __future__ import annotations

from pathlib import Path

import nn
from autograd import Value, grad
from demos._common import Cmp, Report, grid

DESCRIPTION = "every activation of the notes with its engine derivative, table and plot"
FILES = ("activations.png",)

# Seed case activation_functions, inputs.z: the sample points.
Z = [-2.0, -0.75, -0.25, 0.25, 0.75, 2.0]
# Seed case activation_functions, expected: f, f' at Z and f(0), from the formulas.
EXPECTED = {
    "sigmoid": {
        "f": [
            0.11920292202211755,
            0.320821300824607,
            0.43782349911420193,
            0.5621765008857981,
            0.679178699175393,
            0.8807970779778823,
        ],
        "df": [
            0.1049935854035065,
            0.21789499376181404,
            0.24613408273759835,
            0.24613408273759835,
            0.21789499376181404,
            0.10499358540350662,
        ],
        "f_at_0": 0.5,
    },
    "tanh": {
        "f": [
            -0.9640275800758169,
            -0.6351489523872873,
            -0.24491866240370913,
            0.24491866240370913,
            0.6351489523872873,
            0.9640275800758169,
        ],
        "df": [
            0.07065082485316443,
            0.5965858082813315,
            0.940014848806378,
            0.940014848806378,
            0.5965858082813315,
            0.07065082485316443,
        ],
        "f_at_0": 0.0,
    },
    "relu": {
        "f": [0.0, 0.0, 0.0, 0.25, 0.75, 2.0],
        "df": [0.0, 0.0, 0.0, 1.0, 1.0, 1.0],
        "f_at_0": 0.0,
    },
    "leaky_relu_0.01": {
        "f": [-0.02, -0.0075, -0.0025, 0.25, 0.75, 2.0],
        "df": [0.01, 0.01, 0.01, 1.0, 1.0, 1.0],
        "f_at_0": 0.0,
    },
    "softplus": {
        "f": [
            0.1269280110429726,
            0.3868710061149,
            0.5759394198788437,
            0.8259394198788436,
            1.1368710061148999,
            2.1269280110429727,
        ],
        "df": [
            0.11920292202211755,
            0.320821300824607,
            0.43782349911420193,
            0.5621765008857981,
            0.679178699175393,
            0.8807970779778823,
        ],
        "f_at_0": 0.6931471805599453,
    },
    "gaussian_mu0_sigma1": {
        "f": [
            0.1353352832366127,
            0.7548396019890073,
            0.9692332344763441,
            0.9692332344763441,
            0.7548396019890073,
            0.1353352832366127,
        ],
        "df": [
            0.2706705664732254,
            0.5661297014917555,
            0.24230830861908603,
            -0.24230830861908603,
            -0.5661297014917555,
            -0.2706705664732254,
        ],
        "f_at_0": 1.0,
    },
    "identity": {
        "f": [-2.0, -0.75, -0.25, 0.25, 0.75, 2.0],
        "df": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        "f_at_0": 0.0,
    },
    "piecewise_linear": {
        "f": [0.0, 0.0, 0.25, 0.75, 1.0, 1.0],
        "df": [0.0, 0.0, 1.0, 1.0, 0.0, 0.0],
        "f_at_0": 0.5,
    },
    "threshold_pm1": {
        "f": [-1.0, -1.0, -1.0, 1.0, 1.0, 1.0],
        "df": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        "f_at_0": 1.0,
    },
    "unit_step_heaviside": {
        "f": [0.0, 0.0, 0.0, 1.0, 1.0, 1.0],
        "df": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        "f_at_0": 0.5,
    },
    "sign": {
        "f": [-1.0, -1.0, -1.0, 1.0, 1.0, 1.0],
        "df": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        "f_at_0": 0.0,
    },
}

SOURCES = {
    "Z": ("activation_functions", "inputs", "z"),
    "EXPECTED": ("activation_functions", "expected"),
}
TOL = 1e-12

# (seed-case key, nn name, the formula the notes give for f and f')
CATALOGUE = [
    ("identity", "identity", "f = z, f' = 1 (linear)"),
    ("threshold_pm1", "threshold", "f = 1 if z >= 0 else -1 (notes 000), f' = 0"),
    ("unit_step_heaviside", "step", "f = 0, 1/2, 1 for z <, =, > 0 (notes 002), f' = 0"),
    ("sign", "sign", "f = -1, 0, 1 (notes 002 label it 'Sign (Sigmoid)'), f' = 0"),
    ("piecewise_linear", "hard_sigmoid", "f = clip(z + 1/2, 0, 1), f' = 1 inside (-1/2, 1/2)"),
    ("sigmoid", "sigmoid", "f = 1/(1 + e^-z), f' = f(1 - f)"),
    ("tanh", "tanh", "f = tanh z, f' = 1 - f^2"),
    ("relu", "relu", "f = max(0, z), f' = 0 for z < 0, 1 for z > 0"),
    ("leaky_relu_0.01", "leaky_relu", "f = max(0.01 z, z), f' = 0.01 or 1"),
    ("softplus", "softplus", "f = ln(1 + e^z), f' = sigmoid(z)"),
    ("gaussian_mu0_sigma1", "gaussian", "f = e^(-z^2/2), f' = -z f"),
]


def run(out: Path, quick: bool = False, plots: bool = True) -> bool:
    r = Report("activations", out, plots, quick)
    r.note(
        "f(z) is the nn activation applied to a Value, f'(z) is autograd.grad of it; the "
        "'lecture' columns are the notes' formulas evaluated at each z."
    )
    for key, name, formula in CATALOGUE:
        fn = nn.get_activation(name)
        df = grad(fn)
        ref = EXPECTED[key]
        r.table(
            ["z", "f(z)", "f'(z)"],
            [
                [z, Cmp(fn(Value(z)).data, f, TOL), Cmp(float(df(z)), d, TOL)]
                for z, f, d in zip(Z, ref["f"], ref["df"])
            ]
            + [[0.0, Cmp(fn(Value(0.0)).data, ref["f_at_0"], TOL), ""]],
            title=f"{name}: {formula}",
        )
    r.note(
        "At the kinks the notes disagree (001 takes ReLU'(0) = 1, micrograd 0), so z = 0 "
        "is only used for values. The step-like units have derivative 0 wherever it "
        "exists, which is why they cannot be trained by gradient descent."
    )

    plt = r.pyplot()
    if plt is not None:
        fig, axes = plt.subplots(3, 4, figsize=(12, 8))
        zs = [z for z in grid(-3.0, 3.0, 241) if z != 0.0]  # skip the kink itself
        for ax, (_, name, _) in zip(axes.flat, CATALOGUE):
            fn = nn.get_activation(name)
            df = grad(fn)
            ax.plot(zs, [fn(Value(z)).data for z in zs], lw=2, label="f(z)")
            ax.plot(zs, [float(df(z)) for z in zs], "--", label="f'(z), engine")
            ax.set_title(name)
            ax.set_xlabel("z")
            ax.axhline(0, color="gray", lw=0.5)
            ax.axvline(0, color="gray", lw=0.5)
        axes.flat[0].legend(loc="upper left")
        axes.flat[-1].axis("off")
        fig.suptitle("Activation functions of the notes and their derivatives from the engine")
        r.save(fig, FILES[0])
    return r.finish()
