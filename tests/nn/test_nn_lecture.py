"""nn against the lecture's worked numbers (tests/data/seed_cases.json) and micrograd's demo."""

import json
from pathlib import Path

import pytest

import nn

DATA = Path(__file__).parents[1] / "data"  # tests/data

CASES = {c["id"]: c for c in json.loads((DATA / "seed_cases.json").read_text())["cases"]}


def set_weights(neuron, weights, bias=None):
    for p, w in zip(neuron.w, weights, strict=True):
        p.data = float(w)
    if bias is not None:
        neuron.b.data = float(bias)


# ---------------------------------------------------------------- Mazur's backprop example


def mazur_network():
    """The 2-2-2 sigmoid network of the worked example, as an nn.MLP.

    Mazur shares ONE bias per layer (b1 = 0.35 for both hidden units, b2 = 0.60
    for both outputs) and does not update the biases. An MLP has one bias per
    neuron: giving both neurons of a layer the shared value makes every forward
    value identical, and leaving the biases out of the optimizer keeps them fixed.
    """
    case = CASES["backprop_mazur"]
    i = case["inputs"]
    model = nn.MLP(2, [2, 2], activation="sigmoid", output_activation="sigmoid")
    h1, h2 = model.layers[0].neurons
    o1, o2 = model.layers[1].neurons
    set_weights(h1, [i["w1"], i["w2"]], i["b1"])  # net_h1 = w1 i1 + w2 i2 + b1
    set_weights(h2, [i["w3"], i["w4"]], i["b1"])
    set_weights(o1, [i["w5"], i["w6"]], i["b2"])  # net_o1 = w5 out_h1 + w6 out_h2 + b2
    set_weights(o2, [i["w7"], i["w8"]], i["b2"])
    weights = {
        "w1": h1.w[0], "w2": h1.w[1], "w3": h2.w[0], "w4": h2.w[1],
        "w5": o1.w[0], "w6": o1.w[1], "w7": o2.w[0], "w8": o2.w[1],
    }  # fmt: skip
    return model, weights, case


def mazur_loss(model, case):
    i = case["inputs"]
    out = model([i["i1"], i["i2"]])
    # E_total = sum 1/2 (t - o)**2 over the two outputs = the mean of (o - t)**2
    return nn.mse_loss(out, [i["target_o1"], i["target_o2"]]), out


def test_mazur_forward_and_total_error():
    model, _, case = mazur_network()
    e = case["expected"]
    loss, out = mazur_loss(model, case)
    assert out[0].data == pytest.approx(e["out_o1"], abs=1e-12)
    assert out[1].data == pytest.approx(e["out_o2"], abs=1e-12)
    assert loss.data == pytest.approx(e["E_total"], abs=1e-12)
    assert round(loss.data, 9) == case["printed"]["E_total"]  # 0.298371109


def test_mazur_gradients():
    model, w, case = mazur_network()
    e = case["expected"]
    loss, _ = mazur_loss(model, case)
    loss.backward()
    for k in range(1, 9):
        assert w[f"w{k}"].grad == pytest.approx(e[f"dE_dw{k}"], abs=1e-12), f"w{k}"
    assert round(w["w5"].grad, 9) == case["printed"]["dE_dw5"]  # 0.082167041
    # per-neuron bias gradients are the deltas (their sum is the shared-bias gradient)
    hidden, output = model.layers
    assert [n.b.grad for n in hidden.neurons] == pytest.approx(
        e["dE_db_hidden_per_neuron"], abs=1e-12
    )
    assert [n.b.grad for n in output.neurons] == pytest.approx(
        e["dE_db_output_per_neuron"], abs=1e-12
    )


def test_mazur_one_sgd_step_gives_every_new_weight():
    model, w, case = mazur_network()
    e = case["expected"]
    biases = [n.b for layer in model.layers for n in layer.neurons]
    # the biases stay out of the optimizer: Mazur does not update them
    opt = nn.SGD([p for p in model.parameters() if p not in biases], lr=case["inputs"]["eta"])
    loss, _ = mazur_loss(model, case)
    opt.zero_grad()
    loss.backward()
    opt.step()
    for k in range(1, 9):
        assert w[f"w{k}"].data == pytest.approx(e[f"w{k}_new"], abs=1e-12), f"w{k}"
        printed = case["printed"][f"w{k}_new"]
        assert w[f"w{k}"].data == pytest.approx(printed, abs=case["tolerance_vs_printed"])
    assert [b.data for b in biases] == [0.35, 0.35, 0.6, 0.6]
    after, _ = mazur_loss(model, case)
    assert after.data == pytest.approx(e["E_total_after_update"], abs=1e-12)


# ---------------------------------------------------------------- the feed-forward network


def feedforward_network(case):
    """3-4-4-3, no biases, sigmoid hidden layers; softmax applied to the linear output.

    The lecture uses row vectors, z = x @ W, so neuron j's weights are column j of W.
    """
    model = nn.MLP(3, [4, 4, 3], activation="sigmoid", bias=False)
    for layer, W in zip(model.layers, [case["inputs"][k] for k in ("W_1", "W_2", "W_3")]):
        for j, neuron in enumerate(layer.neurons):
            set_weights(neuron, [row[j] for row in W])
    return model


def test_feedforward_single_input():
    case = CASES["feedforward_single"]
    model = feedforward_network(case)
    y = nn.softmax(model(case["inputs"]["x_in"]))
    assert [v.data for v in y] == pytest.approx(case["expected"]["y_out"], abs=1e-12)
    assert [v.data for v in y] == pytest.approx(
        case["printed"]["y_out"], abs=case["tolerance_vs_printed"]
    )
    # the hidden activations on the way: a_2 = sigmoid(x @ W_1)
    a2 = model.layers[0](case["inputs"]["x_in"])
    assert [v.data for v in a2] == pytest.approx(case["expected"]["a_2"], abs=1e-12)


def test_feedforward_batch_of_seven():
    case = CASES["feedforward_batch"]
    model = feedforward_network(case)
    rows = case["inputs"]["x_mat_in"]
    assert len(rows) == 7
    for x, want, printed in zip(rows, case["expected"]["y_out"], case["printed"]["y_out"]):
        y = [v.data for v in nn.softmax(model(x))]
        assert y == pytest.approx(want, abs=1e-12)
        assert y == pytest.approx(printed, abs=case["tolerance_vs_printed"])


# ---------------------------------------------------------------- logic gates


def gate(weights):
    neuron = nn.Neuron(2, activation="sigmoid")
    set_weights(neuron, weights[:2], weights[2])
    return neuron


@pytest.mark.parametrize(
    "case_id, key, weights",
    [
        ("logic_gates_001", "or_20_20_m10", "or_weights"),
        ("logic_gates_001", "nand_m10_m10_14", "nand_weights"),
        ("logic_gates_001", "and_20_20_m30", "and_weights_assumed"),
        ("logic_gates_002", "and_20_20_m30", "and"),
        ("logic_gates_002", "or_20_20_m10", "or"),
        ("logic_gates_002", "nand_m20_m20_30", "nand"),
    ],
)
def test_single_neuron_gates(case_id, key, weights):
    case = CASES[case_id]
    inputs = case["inputs"]
    w = inputs[weights] if weights in inputs else inputs["weights"][weights]
    neuron = gate(w)
    for a, b, raw, rounded in case["expected"][key]:
        out = neuron([a, b])
        assert out.data == pytest.approx(raw, abs=case["tolerance"])
        assert round(out.data) == rounded


def test_xor_as_a_two_layer_network_of_gates():
    """XOR = AND(OR(a, b), NAND(a, b)): hidden neurons OR and NAND, output AND."""
    case = CASES["logic_gates_001"]
    i = case["inputs"]
    model = nn.MLP(2, [2, 1], activation="sigmoid", output_activation="sigmoid")
    set_weights(model.layers[0].neurons[0], i["or_weights"][:2], i["or_weights"][2])
    set_weights(model.layers[0].neurons[1], i["nand_weights"][:2], i["nand_weights"][2])
    set_weights(
        model.layers[1].neurons[0], i["and_weights_assumed"][:2], i["and_weights_assumed"][2]
    )
    X, y = nn.datasets.xor()
    for (a, b, raw, rounded), x, label in zip(case["expected"]["xor_and_of_or_nand"], X, y):
        assert [a, b] == x
        (out,) = model(x)
        assert out.data == pytest.approx(raw, abs=case["tolerance"])
        assert round(out.data) == rounded == label
    assert [round(model(x)[0].data) for x in X] == case["printed"]["xor_rounded"]


# ---------------------------------------------------------------- learning from scratch


def test_mlp_learns_xor_from_scratch():
    X, y = nn.datasets.xor()
    model = nn.MLP(2, [4, 1], activation="tanh", rng=3)
    before = [model(x)[0].data for x in X]
    opt = nn.Adam(model.parameters(), lr=0.05)
    history = nn.fit(
        model,
        X,
        y,
        nn.binary_cross_entropy_with_logits,
        opt,
        epochs=300,
        metrics=[lambda o, t: nn.accuracy(o, t, threshold=0.0)],
        progress=False,
    )
    assert history["loss"][-1] < 0.05 < history["loss"][0]
    preds = [int(model(x)[0].data > 0.0) for x in X]  # logit > 0 <=> p > 1/2
    assert preds == y == [0, 1, 1, 0]
    assert before != [model(x)[0].data for x in X]


def test_micrograd_moons_demo_reaches_full_training_accuracy():
    """micrograd's demo: MLP 2-16-16-1 (relu), hinge loss + 1e-4 L2, SGD with a
    decaying learning rate, on 100 moons points -> 100% training accuracy.
    Genuine training from a seeded random init: 100 full-batch steps, a few seconds."""
    X, labels = nn.datasets.moons(100, noise=0.1, rng=0)
    y = [2 * t - 1 for t in labels]  # hinge loss wants -1/+1
    model = nn.MLP(2, [16, 16, 1], rng=1)
    params = model.parameters()
    opt = nn.SGD(params, lr=1.0)
    steps = 100

    def loss(outputs, targets):
        return nn.hinge_loss(outputs, targets) + nn.l2_penalty(params, 1e-4)

    def schedule(epoch, history):
        opt.lr = 1.0 - 0.9 * (epoch + 1) / steps  # micrograd's 1.0 - 0.9 k / 100

    history = nn.fit(model, X, y, loss, opt, epochs=steps, progress=False, callback=schedule)
    final = [model(x)[0] for x in X]
    assert nn.accuracy(final, y) == 1.0
    assert len(history["loss"]) == steps
    assert history["accuracy"][0] < 0.9  # it did have to learn
    assert history["loss"][-1] < 0.05 < history["loss"][0]
