"""The notes' fully worked backprop example (2 inputs, 2 hidden, 2 outputs, sigmoid).

Inputs 0.05, 0.10; weights w1..w8; one bias b1 = 0.35 shared by the hidden
units and b2 = 0.60 shared by the outputs; targets 0.01, 0.99; squared error
E = sum 1/2 (target - out)^2; one gradient step with eta = 0.5 on w1..w8 (the
biases stay). Every number the notes work out by hand is shown beside the
engine's, then the same step is taken with ``nn``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import autograd
import nn
from autograd import Value, grad
from demos._common import Cmp, Report

DESCRIPTION = "the worked 2-2-2 backprop example: every hand-computed number, one step"
FILES: tuple[str, ...] = ()

# Seed case backprop_mazur, inputs (w3, w4, w7, w8 are in the notes' figure only).
INPUTS = {
    "i1": 0.05,
    "i2": 0.1,
    "w1": 0.15,
    "w2": 0.2,
    "w3": 0.25,
    "w4": 0.3,
    "w5": 0.4,
    "w6": 0.45,
    "w7": 0.5,
    "w8": 0.55,
    "b1": 0.35,
    "b2": 0.6,
    "target_o1": 0.01,
    "target_o2": 0.99,
    "eta": 0.5,
    "wiring": "net_h1=w1*i1+w2*i2+b1; net_h2=w3*i1+w4*i2+b1; net_o1=w5*out_h1+w6*out_h2+b2; "
    "net_o2=w7*out_h1+w8*out_h2+b2",
}
# Seed case backprop_mazur, printed: the notes' numbers (8-9 decimals).
PRINTED = {
    "net_h1": 0.3775,
    "out_h1": 0.593269992,
    "out_h2": 0.596884378,
    "net_o1": 1.105905967,
    "out_o1": 0.75136507,
    "out_o2": 0.772928465,
    "E_o1": 0.274811083,
    "E_o2": 0.023560026,
    "E_total": 0.298371109,
    "dE_dout_o1": 0.74136507,
    "dout_o1_dnet_o1": 0.186815602,
    "dE_dw5": 0.082167041,
    "w5_new": 0.35891648,
    "w6_new": 0.408666186,
    "w7_new": 0.51130127,
    "w8_new": 0.561370121,
    "delta_o1": 0.138498562,
    "dEo1_dout_h1": 0.055399425,
    "dEo2_dout_h1": -0.019049119,
    "dE_dout_h1": 0.036350306,
    "dout_h1_dnet_h1": 0.241300709,
    "dE_dw1": 0.000438568,
    "w1_new": 0.149780716,
    "w2_new": 0.19956143,
    "w3_new": 0.24975114,
    "w4_new": 0.29950229,
}
# Seed case backprop_mazur, expected: the same numbers in full precision.
EXACT = {
    "net_h1": 0.3775,
    "net_h2": 0.39249999999999996,
    "out_h1": 0.5932699921071872,
    "out_h2": 0.596884378259767,
    "net_o1": 1.10590596705977,
    "net_o2": 1.2249214040964653,
    "out_o1": 0.7513650695523157,
    "out_o2": 0.7729284653214625,
    "E_o1": 0.274811083176155,
    "E_o2": 0.023560025583847746,
    "E_total": 0.2983711087600027,
    "dE_dout_o1": 0.7413650695523157,
    "dout_o1_dnet_o1": 0.18681560180895948,
    "delta_o1": 0.13849856162855695,
    "delta_o2": -0.038098236516556236,
    "dEo1_dout_h1": 0.05539942465142278,
    "dEo2_dout_h1": -0.019049118258278118,
    "dE_dout_h1": 0.03635030639314466,
    "dout_h1_dnet_h1": 0.24130070857232525,
    "delta_h1": 0.00877135468948693,
    "delta_h2": 0.009954254705217196,
    "dE_dw1": 0.0004385677344743465,
    "dE_dw2": 0.000877135468948693,
    "dE_dw3": 0.0004977127352608599,
    "dE_dw4": 0.0009954254705217198,
    "dE_dw5": 0.08216704056423077,
    "dE_dw6": 0.08266762784753325,
    "dE_dw7": -0.02260254047747507,
    "dE_dw8": -0.022740242215978222,
    "w1_new": 0.1497807161327628,
    "w2_new": 0.19956143226552567,
    "w3_new": 0.24975114363236958,
    "w4_new": 0.29950228726473915,
    "w5_new": 0.35891647971788465,
    "w6_new": 0.4086661860762334,
    "w7_new": 0.5113012702387375,
    "w8_new": 0.5613701211079891,
    "dE_db_hidden_per_neuron": [0.00877135468948693, 0.009954254705217196],
    "dE_db_output_per_neuron": [0.13849856162855695, -0.038098236516556236],
    "dE_db1_shared": 0.018725609394704128,
    "dE_db2_shared": 0.10040032511200071,
    "E_total_after_update": 0.29102777369359933,
}

SOURCES = {
    "INPUTS": ("backprop_mazur", "inputs"),
    "PRINTED": ("backprop_mazur", "printed"),
    "EXACT": ("backprop_mazur", "expected"),
}
TOL = 1e-12  # against the full-precision recomputation
TOL_PRINTED = 1e-8  # against the notes' 8-9 printed decimals
WEIGHTS = ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8")
PARAMS = (*WEIGHTS, "b1", "b2")  # the weights and the shared biases
# the forward pass's nodes, in the order the notes compute them
FORWARD = (
    "net_h1",
    "net_h2",
    "out_h1",
    "out_h2",
    "net_o1",
    "net_o2",
    "out_o1",
    "out_o2",
    "E_o1",
    "E_o2",
    "E_total",
)


def network(weights: dict[str, float]) -> dict[str, Value]:
    """The forward pass, every node labelled with the notes' name."""
    v = {k: Value(weights[k], label=k) for k in PARAMS}
    i1, i2 = INPUTS["i1"], INPUTS["i2"]
    n = {
        "net_h1": v["w1"] * i1 + v["w2"] * i2 + v["b1"],
        "net_h2": v["w3"] * i1 + v["w4"] * i2 + v["b1"],
    }
    n["out_h1"], n["out_h2"] = n["net_h1"].sigmoid(), n["net_h2"].sigmoid()
    n["net_o1"] = v["w5"] * n["out_h1"] + v["w6"] * n["out_h2"] + v["b2"]
    n["net_o2"] = v["w7"] * n["out_h1"] + v["w8"] * n["out_h2"] + v["b2"]
    n["out_o1"], n["out_o2"] = n["net_o1"].sigmoid(), n["net_o2"].sigmoid()
    n["E_o1"] = 0.5 * (INPUTS["target_o1"] - n["out_o1"]) ** 2
    n["E_o2"] = 0.5 * (INPUTS["target_o2"] - n["out_o2"]) ** 2
    n["E_total"] = n["E_o1"] + n["E_o2"]
    for k, node in n.items():
        node.label = k
    return {**v, **n}


def partial(of: Value, wrt: Value) -> float:
    """d of / d wrt from one backward pass over of's graph, without touching .grad."""
    return autograd.backpropagate(autograd.topological_order(of)).get(wrt, 0.0)


def run(out: Path, quick: bool = False, plots: bool = True) -> bool:
    r = Report("backprop_by_hand", out, plots, quick)
    start = {k: INPUTS[k] for k in PARAMS}
    g = network(start)
    g["E_total"].backward()
    dsig = grad(lambda z: z.sigmoid())
    eta = INPUTS["eta"]

    engine = {k: g[k].data for k in FORWARD}
    engine.update(
        dE_dout_o1=g["out_o1"].grad,
        dout_o1_dnet_o1=dsig(g["net_o1"].data),
        delta_o1=g["net_o1"].grad,
        delta_o2=g["net_o2"].grad,
        dEo1_dout_h1=partial(g["E_o1"], g["out_h1"]),
        dEo2_dout_h1=partial(g["E_o2"], g["out_h1"]),
        dE_dout_h1=g["out_h1"].grad,
        dout_h1_dnet_h1=dsig(g["net_h1"].data),
        delta_h1=g["net_h1"].grad,
        delta_h2=g["net_h2"].grad,
    )
    for w in WEIGHTS:
        engine[f"dE_d{w}"] = g[w].grad
        engine[f"{w}_new"] = g[w].data - eta * g[w].grad

    def rows(keys: Sequence[str]) -> list[list[object]]:
        return [
            [k, Cmp(engine[k], PRINTED.get(k), TOL_PRINTED, exact=EXACT[k], exact_tol=TOL)]
            for k in keys
        ]

    r.heading("1. Forward pass")
    r.table(
        ["quantity", "value"],
        rows(FORWARD),
        ref="printed",
    )
    r.heading("2. Output layer: dE/dw5 = dE/dout_o1 * dout_o1/dnet_o1 * dnet_o1/dw5")
    r.table(
        ["quantity", "value"],
        rows(
            [
                "dE_dout_o1",
                "dout_o1_dnet_o1",
                "delta_o1",
                "delta_o2",
                "dE_dw5",
                "dE_dw6",
                "dE_dw7",
                "dE_dw8",
            ]
        ),
        ref="printed",
    )
    r.note(
        "dE/dout_o1 and delta = dE/dnet are the .grad of those nodes after E_total.backward(); "
        "the sigmoid's local derivative is autograd.grad of sigmoid at net."
    )
    r.heading("3. Hidden layer: out_h1 feeds both outputs, so their errors add")
    r.table(
        ["quantity", "value"],
        rows(
            [
                "dEo1_dout_h1",
                "dEo2_dout_h1",
                "dE_dout_h1",
                "dout_h1_dnet_h1",
                "delta_h1",
                "delta_h2",
                "dE_dw1",
                "dE_dw2",
                "dE_dw3",
                "dE_dw4",
            ]
        ),
        ref="printed",
    )
    r.note(
        "dE_o1/dout_h1 and dE_o2/dout_h1 come from backward passes over E_o1 and E_o2 alone. "
        "The notes print dE_o2/dout_h1 = -0.019049119, but the exact value "
        "-0.0190491182583 rounds to ...118: the notes worked from rounded intermediates "
        "(the difference, 7e-10, is within the printed-digits tolerance)."
    )
    r.heading("4. One step, w <- w - 0.5 dE/dw (every gradient taken before any update)")
    r.table(["weight", "value"], rows([f"{w}_new" for w in WEIGHTS]), ref="printed")
    after = network({**start, **{w: engine[f"{w}_new"] for w in WEIGHTS}})
    r.compare(
        "E_total after the step (recomputed)",
        after["E_total"].data,
        EXACT["E_total_after_update"],
        TOL,
    )

    r.heading("5. The same step with nn: MLP 2-2-2, sigmoid, per-neuron biases")
    model = nn.MLP(2, [2, 2], activation="sigmoid", output_activation="sigmoid")
    state = {}
    layout = [(("w1", "w2", "b1"), ("w3", "w4", "b1")), (("w5", "w6", "b2"), ("w7", "w8", "b2"))]
    for li, neurons in enumerate(layout):
        for ni, (wa, wb, b) in enumerate(neurons):
            prefix = f"layers.{li}.neurons.{ni}"
            state[f"{prefix}.w.0"], state[f"{prefix}.w.1"] = start[wa], start[wb]
            state[f"{prefix}.b"] = start[b]
    model.load_state_dict(state)
    outs = model([INPUTS["i1"], INPUTS["i2"]])
    E = 0.5 * (INPUTS["target_o1"] - outs[0]) ** 2 + 0.5 * (INPUTS["target_o2"] - outs[1]) ** 2
    model.zero_grad()
    E.backward()
    bias_grads = [n.b.grad for layer in model.layers for n in layer.neurons]
    weights = [p for name, p in model.named_parameters() if ".w." in name]
    nn.SGD(weights, lr=eta).step()  # the notes leave the biases alone
    new = model.state_dict()
    r.compare("E_total from the MLP", E.data, EXACT["E_total"], TOL)
    r.table(
        ["weight", "after nn.SGD step"],
        [
            [w, Cmp(new[f"layers.{li}.neurons.{ni}.w.{k}"], EXACT[f"{w}_new"], TOL)]
            for li, neurons in enumerate(layout)
            for ni, names in enumerate(neurons)
            for k, w in enumerate(names[:2])
        ],
        ref="exact",
    )
    r.table(
        ["bias", "dE/db"],
        [
            ["hidden 1", Cmp(bias_grads[0], EXACT["dE_db_hidden_per_neuron"][0], TOL)],
            ["hidden 2", Cmp(bias_grads[1], EXACT["dE_db_hidden_per_neuron"][1], TOL)],
            ["output 1", Cmp(bias_grads[2], EXACT["dE_db_output_per_neuron"][0], TOL)],
            ["output 2", Cmp(bias_grads[3], EXACT["dE_db_output_per_neuron"][1], TOL)],
            ["shared b1 (sum)", Cmp(g["b1"].grad, EXACT["dE_db1_shared"], TOL)],
            ["shared b2 (sum)", Cmp(g["b2"].grad, EXACT["dE_db2_shared"], TOL)],
        ],
        title="bias gradients: a shared bias collects the sum of its neurons' gradients",
        ref="exact",
    )
    return r.finish()
