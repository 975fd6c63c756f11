"""nn.MLP to torch.nn.Sequential and back: round trips, outputs and one SGD step
compared to 1e-12, every supported activation, the layers refused, and the
PyTorch layout of state_dict / load_state_dict (which needs no torch)."""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys

import pytest

import autograd
import nn
from autograd import Value

if os.environ.get("CI"):
    import torch  # CI installs PyTorch (.ci/run): these tests must run there, never skip
else:
    torch = pytest.importorskip(
        "torch", reason='PyTorch is not installed (pip install ".[torch]"); CI runs these'
    )

ACTIVATIONS = {
    "identity": ("identity", None),
    "relu": ("relu", torch.nn.ReLU),
    "tanh": ("tanh", torch.nn.Tanh),
    "sigmoid": ("sigmoid", torch.nn.Sigmoid),
    "leaky_relu": ("leaky_relu", torch.nn.LeakyReLU),
    "LeakyReLU(0.2)": (nn.LeakyReLU(0.2), torch.nn.LeakyReLU),
    "softplus": ("softplus", torch.nn.Softplus),
    "gelu": (autograd.gelu, torch.nn.GELU),
    "silu": (autograd.silu, torch.nn.SiLU),
}


def inputs(n: int, nin: int, seed: int = 0, scale: float = 3.0) -> list[list[float]]:
    rng = random.Random(seed)
    return [[rng.uniform(-scale, scale) for _ in range(nin)] for _ in range(n)]


def chaingrad_outputs(model: nn.MLP, X: list[list[float]]) -> list[list[float]]:
    with autograd.no_grad():
        return [[v.data for v in model(x)] for x in X]


def torch_outputs(seq, X: list[list[float]]) -> list[list[float]]:
    with torch.no_grad():
        return seq(torch.tensor(X, dtype=torch.float64)).tolist()


def assert_close(a: list[list[float]], b: list[list[float]], tol: float = 1e-12) -> None:
    for ra, rb in zip(a, b):
        assert ra == pytest.approx(rb, rel=tol, abs=tol)


# ---------------------------------------------------------------- to_torch


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_every_supported_activation_gives_the_same_outputs(name: str) -> None:
    act, module = ACTIVATIONS[name]
    model = nn.MLP(3, [8, 8, 2], activation=act, output_activation=act, init="he", rng=1)
    seq = model.to_torch()
    kinds = [type(m) for m in seq]
    linear = torch.nn.Linear
    if module is None:
        assert kinds == [linear, linear, linear]
    else:
        assert kinds == [linear, module, linear, module, linear, module]
    # inputs large enough that some pre-activations pass 20 (softplus' cut-off in torch)
    X = inputs(50, 3, scale=12.0)
    assert_close(chaingrad_outputs(model, X), torch_outputs(seq, X))


def test_layers_are_linear_with_pytorchs_shapes_and_the_same_values() -> None:
    model = nn.MLP(3, [4, 2], rng=0)
    seq = model.to_torch()
    first, last = seq[0], seq[2]
    assert (first.in_features, first.out_features) == (3, 4)
    assert first.weight.shape == (4, 3) and first.bias.shape == (4,)
    assert first.weight.dtype == torch.float64
    neuron = model.layers[0].neurons[1]
    assert first.weight[1].tolist() == [w.data for w in neuron.w]  # row j = neuron j
    assert first.bias[1].item() == neuron.b.data
    assert last.weight.shape == (2, 4)
    assert len(seq) == 3  # Linear, ReLU, Linear: a linear output adds no module


def test_bias_false_is_respected_both_ways() -> None:
    model = nn.MLP(2, [3, 1], bias=False, rng=0)
    seq = model.to_torch()
    assert seq[0].bias is None and seq[2].bias is None
    back = nn.MLP.from_torch(seq)
    assert all(n.b is None for layer in back.layers for n in layer.neurons)
    assert back.state_dict() == model.state_dict()


def test_dtype() -> None:
    model = nn.MLP(2, [3, 1], activation="tanh", rng=0)
    seq = model.to_torch(dtype=torch.float32)
    assert seq[0].weight.dtype == torch.float32
    X = inputs(10, 2)
    with torch.no_grad():
        out32 = seq(torch.tensor(X, dtype=torch.float32)).tolist()
    assert_close(chaingrad_outputs(model, X), out32, tol=1e-5)
    with pytest.raises(TypeError, match="floating-point torch.dtype"):
        model.to_torch(dtype=torch.int64)
    with pytest.raises(TypeError, match="floating-point torch.dtype"):
        model.to_torch(dtype="float64")


@pytest.mark.parametrize(
    ("activation", "shown"),
    [
        ("gaussian", "gaussian"),
        ("step", "step"),
        ("hard_sigmoid", "hard_sigmoid"),
        (lambda v: v.exp(), "<lambda>"),
    ],
)
def test_an_activation_without_an_exact_torch_module_is_refused(activation, shown) -> None:
    model = nn.MLP(2, [3, 1], activation=activation, rng=0)
    with pytest.raises(ValueError, match=f"layer 0: activation '{shown}' has no exact equivalent"):
        model.to_torch()


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_round_trip_gives_identical_floats(name: str) -> None:
    act, _ = ACTIVATIONS[name]
    model = nn.MLP(4, [5, 3, 2], activation=act, output_activation="sigmoid", rng=7)
    back = nn.MLP.from_torch(model.to_torch())
    assert back.state_dict() == model.state_dict()  # exactly, float for float
    assert repr(back) == repr(model)
    X = inputs(5, 4)
    assert chaingrad_outputs(back, X) == chaingrad_outputs(model, X)


def test_from_torch_reads_a_hand_written_sequential() -> None:
    torch.manual_seed(0)
    seq = torch.nn.Sequential(
        torch.nn.Linear(2, 6),
        torch.nn.LeakyReLU(0.2),
        torch.nn.Linear(6, 6),
        torch.nn.LeakyReLU(0.2),
        torch.nn.Linear(6, 1),
    )  # float32, as torch makes them by default
    model = nn.MLP.from_torch(seq)
    assert model.layers[0].neurons[0].activation == nn.LeakyReLU(0.2)
    X = inputs(20, 2)
    with torch.no_grad():
        expected = seq.double()(torch.tensor(X, dtype=torch.float64)).tolist()
    assert_close(chaingrad_outputs(model, X), expected)
    again = model.to_torch()
    assert type(again[1]) is torch.nn.LeakyReLU and again[1].negative_slope == 0.2


def test_torchs_default_softplus_is_read_as_the_exact_softplus() -> None:
    # torch.nn.Softplus() returns x itself above 20; chaingrad's softplus is
    # log(1 + e**x) everywhere: at most 2.1e-9 apart there (docs/how-to/pytorch.md)
    seq = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.Softplus())
    with torch.no_grad():
        seq[0].weight.fill_(1.0)
        seq[0].bias.fill_(0.0)
    model = nn.MLP.from_torch(seq)
    for x in (-3.0, 0.5, 19.0, 20.5, 30.0):
        ours = model([x])[0].data
        assert ours == pytest.approx(math.log1p(math.exp(x)), rel=1e-15)
        with torch.no_grad():
            theirs = seq.double()(torch.tensor([[x]], dtype=torch.float64)).item()
        assert abs(ours - theirs) <= 2.1e-9
    assert model.to_torch()[1].threshold == 40.0  # exact in float64 from there on


# ---------------------------------------------------------------- refused layers


@pytest.mark.parametrize(
    ("layers", "error", "match"),
    [
        (
            lambda: [torch.nn.Linear(2, 3), torch.nn.Dropout(0.5), torch.nn.Linear(3, 1)],
            ValueError,
            r"module 1 \(Dropout\) is not supported",
        ),
        (lambda: [torch.nn.ReLU(), torch.nn.Linear(2, 1)], ValueError, r"module 0 \(ReLU\) comes"),
        (
            lambda: [torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Tanh()],
            ValueError,
            r"module 2 \(Tanh\) follows another activation",
        ),
        (
            lambda: [torch.nn.Linear(2, 3), torch.nn.Linear(4, 1)],
            ValueError,
            r"module 1 \(Linear\) takes 4 inputs but the layer before gives 3",
        ),
        (
            lambda: [torch.nn.Linear(2, 3), torch.nn.Linear(3, 1, bias=False)],
            ValueError,
            r"module 1 \(Linear\): nn.MLP has a bias in every layer or in none",
        ),
        (
            lambda: [
                torch.nn.Linear(2, 3),
                torch.nn.ReLU(),
                torch.nn.Linear(3, 3),
                torch.nn.Tanh(),
                torch.nn.Linear(3, 1),
            ],
            ValueError,
            r"Linear layer 1 is followed by 'tanh' but layer 0 by 'relu'",
        ),
        (
            lambda: [torch.nn.Linear(2, 1), torch.nn.Softplus(beta=2.0)],
            ValueError,
            r"module 1 \(Softplus with beta=2.0\): only beta=1",
        ),
        (
            lambda: [torch.nn.Linear(2, 1), torch.nn.GELU(approximate="tanh")],
            ValueError,
            r"module 1 \(GELU with approximate='tanh'\)",
        ),
        (
            lambda: [torch.nn.Linear(2, 3), torch.nn.Sequential(torch.nn.ReLU())],
            ValueError,
            r"module 1 \(Sequential\) is not supported",
        ),
        (lambda: [], ValueError, "no Linear layer"),
    ],
)
def test_from_torch_refuses_what_an_mlp_cannot_be(layers, error, match) -> None:
    with pytest.raises(error, match=match):
        nn.MLP.from_torch(torch.nn.Sequential(*layers()))


def test_from_torch_wants_a_sequential() -> None:
    with pytest.raises(TypeError, match="expected a torch.nn.Sequential, not Linear"):
        nn.MLP.from_torch(torch.nn.Linear(2, 1))


# ---------------------------------------------------------------- one training step


def test_one_sgd_step_in_each_gives_the_same_parameters() -> None:
    model = nn.MLP(2, [8, 8, 1], activation="tanh", init="xavier", rng=3)
    seq = model.to_torch()
    X, y = nn.datasets.moons(16, noise=0.1, rng=0)
    targets = [float(t) for t in y]
    lr = 0.1

    # chaingrad: mean squared error over the batch, one SGD step
    opt = nn.SGD(model.parameters(), lr=lr)
    opt.zero_grad()
    loss = nn.mse_loss([model(x)[0] for x in X], targets)
    loss.backward()
    opt.step()

    # PyTorch: the same
    t_opt = torch.optim.SGD(seq.parameters(), lr=lr)
    t_opt.zero_grad()
    out = seq(torch.tensor(X, dtype=torch.float64)).squeeze(1)
    t_loss = torch.mean((out - torch.tensor(targets, dtype=torch.float64)) ** 2)
    t_loss.backward()
    t_opt.step()

    assert loss.data == pytest.approx(t_loss.item(), rel=1e-12)
    after = nn.MLP.from_torch(seq).state_dict()
    for name, value in model.state_dict().items():
        assert value == pytest.approx(after[name], rel=1e-12, abs=1e-12), name


# ---------------------------------------------------------------- the torch layout


def test_state_dict_in_the_torch_layout() -> None:
    model = nn.MLP(3, [4, 2], rng=0)
    state = model.state_dict(layout="torch")
    assert list(state) == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]
    assert len(state["layers.0.weight"]) == 4 and len(state["layers.0.weight"][0]) == 3
    assert state["layers.1.bias"] == [n.b.data for n in model.layers[1].neurons]
    # the same numbers PyTorch's Linear layers hold (Sequential names them by position)
    seq_state = model.to_torch().state_dict()
    assert seq_state["0.weight"].tolist() == state["layers.0.weight"]
    assert seq_state["2.bias"].tolist() == state["layers.1.bias"]
    # plain JSON: it moves between machines with and without torch
    again = nn.MLP(3, [4, 2], rng=99)
    again.load_state_dict(json.loads(json.dumps(state)), layout="torch")
    assert again.state_dict() == model.state_dict()


def test_load_state_dict_in_the_torch_layout_takes_tensors() -> None:
    model = nn.MLP(3, [4, 2], rng=0)
    seq_state = model.to_torch().state_dict()
    state = {
        "layers.0.weight": seq_state["0.weight"],
        "layers.0.bias": seq_state["0.bias"],
        "layers.1.weight": seq_state["2.weight"],
        "layers.1.bias": seq_state["2.bias"],
    }
    other = nn.MLP(3, [4, 2], rng=5)
    other.load_state_dict(state, layout="torch")
    assert other.state_dict() == model.state_dict()


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda s: s.pop("layers.1.bias"), "missing 'layers.1.bias'"),
        (lambda s: s.update({"layers.2.weight": [[1.0]]}), "unexpected 'layers.2.weight'"),
        (lambda s: s.update({"layers.0.weight": [[1.0] * 3] * 3}), r"shape \(4, 3\)"),
        (lambda s: s.update({"layers.0.weight": [[1.0] * 4] * 4}), r"shape \(4, 3\)"),
        (lambda s: s.update({"layers.1.bias": [0.0]}), r"shape \(2,\)"),
        (lambda s: s.update({"layers.1.bias": 0.0}), "must be a list"),
        (lambda s: s["layers.0.weight"][2].__setitem__(1, math.nan), "is nan"),
        (lambda s: s["layers.0.weight"][2].__setitem__(1, "1"), "must be a number"),
    ],
)
def test_a_bad_torch_state_is_refused_and_changes_nothing(change, match) -> None:
    model = nn.MLP(3, [4, 2], rng=0)
    before = model.state_dict()
    state = nn.MLP(3, [4, 2], rng=1).state_dict(layout="torch")
    change(state)
    with pytest.raises(ValueError, match=match):
        model.load_state_dict(state, layout="torch")
    assert model.state_dict() == before


def test_layouts() -> None:
    layer = nn.Layer(2, 3, rng=0)
    with pytest.raises(ValueError, match='layout="torch" is for nn.MLP, not Layer'):
        layer.state_dict(layout="torch")
    with pytest.raises(ValueError, match="unknown layout 'keras'"):
        nn.MLP(2, [1]).state_dict(layout="keras")
    assert layer.state_dict(layout="chaingrad") == layer.state_dict()


def test_the_leaky_relu_activation_with_a_slope() -> None:
    act = nn.LeakyReLU(0.2)
    assert act(Value(-2.0)).data == -0.4 and act(Value(3.0)).data == 3.0
    assert act == nn.LeakyReLU(0.2) and hash(act) == hash(nn.LeakyReLU(0.2))
    assert act != nn.LeakyReLU(0.1)
    model = nn.MLP(2, [3, 1], activation=act, rng=0)
    assert "leaky_relu(0.2)" in repr(model)
    with pytest.raises(TypeError, match="slope must be a number"):
        nn.LeakyReLU("0.2")


# ---------------------------------------------------------------- without torch


def test_without_torch_a_one_line_error_says_what_to_install() -> None:
    code = (
        "import sys\n"
        "sys.modules['torch'] = None  # as if PyTorch were not installed\n"
        "import autograd, nn\n"
        "model = nn.MLP(2, [1])\n"
        "state = model.state_dict(layout='torch')  # needs no torch\n"
        "model.load_state_dict(state, layout='torch')\n"
        "for call in (model.to_torch, lambda: nn.MLP.from_torch(None),\n"
        "             lambda: autograd.compare_with_torch(lambda x: x, 1.0)):\n"
        "    try:\n"
        "        call()\n"
        "    except ImportError as e:\n"
        "        print(e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    lines = out.splitlines()
    assert len(lines) == 3
    from autograd.testing.compare import torch_missing

    for (
        line
    ) in lines:  # the same installation here: the same hint (tests/testing/test_install_hint.py)
        assert line == torch_missing() and line.startswith("PyTorch is not installed: pip install")


def test_importing_nn_does_not_import_torch() -> None:
    code = "import sys, nn, autograd; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
