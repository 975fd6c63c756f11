"""nn.Module, Neuron, Layer, MLP: structure, names, initialisation, state and JSON files."""

import json
import math
import random
import statistics

import pytest

import autograd
import nn
from autograd import Parameter, Value

# ---------------------------------------------------------------- structure and names


def test_named_parameters_use_dotted_paths_in_order():
    model = nn.MLP(2, [3, 2], rng=0)
    names = [name for name, _ in model.named_parameters()]
    assert names[:4] == [
        "layers.0.neurons.0.w.0",
        "layers.0.neurons.0.w.1",
        "layers.0.neurons.0.b",
        "layers.0.neurons.1.w.0",
    ]
    assert "layers.0.neurons.1.w.0" in names
    assert "layers.1.neurons.0.b" in names
    assert names[-1] == "layers.1.neurons.1.b"
    assert len(names) == len(set(names)) == 3 * 3 + 2 * 4 == model.num_parameters()
    assert [p for _, p in model.named_parameters()] == model.parameters()


def test_parameters_are_labelled_parameter_leaves():
    neuron = nn.Neuron(3, rng=0)
    assert all(type(p) is Parameter for p in neuron.parameters())
    assert [p.label for p in neuron.w] == ["w0", "w1", "w2"]
    assert neuron.b.label == "b" and neuron.b.data == 0.0
    assert all(p.op == "" for p in neuron.parameters())


def test_no_bias():
    neuron = nn.Neuron(2, bias=False, rng=0)
    assert neuron.b is None
    assert [name for name, _ in neuron.named_parameters()] == ["w.0", "w.1"]
    model = nn.MLP(3, [4, 3], bias=False)
    assert model.num_parameters() == 3 * 4 + 4 * 3


def test_neuron_is_one_dot_node_then_the_activation():
    neuron = nn.Neuron(3, activation="tanh", rng=0)
    out = neuron([1.0, 2.0, 3.0])
    assert out.op == "tanh"
    (z,) = out.parents
    assert z.op == "dot"
    assert z.parents[:3] == tuple(neuron.w) and z.parents[-1] is neuron.b
    assert type(z.data) is float and type(out.data) is float
    want = sum(w.data * x for w, x in zip(neuron.w, [1.0, 2.0, 3.0]))
    assert out.data == pytest.approx(math.tanh(want), abs=1e-15)


def test_neuron_gradient_through_dot():
    neuron = nn.Neuron(2, activation="identity", rng=0)
    x = [Value(3.0), Value(-2.0)]
    out = neuron(x)
    out.backward()
    assert [w.grad for w in neuron.w] == [3.0, -2.0]  # d(w.x + b)/dw_i = x_i
    assert [v.grad for v in x] == [w.data for w in neuron.w]  # d/dx_i = w_i
    assert neuron.b.grad == 1.0


def test_layer_always_returns_a_list():
    layer = nn.Layer(2, 1, rng=0)
    out = layer([0.5, -0.5])
    assert isinstance(out, list) and len(out) == 1 and isinstance(out[0], Value)
    model = nn.MLP(2, [3, 1], rng=0)
    out = model([0.5, -0.5])
    assert isinstance(out, list) and len(out) == 1


def test_output_layer_is_linear_unless_asked():
    model = nn.MLP(2, [3, 2], activation="tanh", rng=0)
    assert [v.op for v in model([0.1, 0.2])] == ["dot", "dot"]
    hidden = model.layers[0]([0.1, 0.2])
    assert [v.op for v in hidden] == ["tanh"] * 3
    model = nn.MLP(2, [3, 2], activation="tanh", output_activation="sigmoid", rng=0)
    assert [v.op for v in model([0.1, 0.2])] == ["sigmoid", "sigmoid"]


def test_mlp_matches_a_hand_computed_forward_pass():
    model = nn.MLP(2, [2, 1], activation="relu", rng=4)
    x = [0.3, -0.7]
    hidden = []
    for n in model.layers[0].neurons:
        z = n.w[0].data * x[0] + n.w[1].data * x[1] + n.b.data
        hidden.append(max(z, 0.0))
    (o,) = model.layers[1].neurons
    want = o.w[0].data * hidden[0] + o.w[1].data * hidden[1] + o.b.data
    assert model(x)[0].data == pytest.approx(want, abs=1e-15)


@pytest.mark.parametrize(
    "make, bad, expected",
    [
        (lambda: nn.Layer(3, 2), [1.0, 2.0], "expects 3 inputs, got 2"),
        (lambda: nn.MLP(3, [2, 1]), [1.0] * 4, "expects 3 inputs, got 4"),
        (lambda: nn.Neuron(2), [1.0], "expects 2 inputs, got 1"),
    ],
)
def test_wrong_input_size_names_expected_and_actual(make, bad, expected):
    with pytest.raises(ValueError, match=expected):
        make()(bad)


def test_bad_inputs_and_arguments():
    layer = nn.Layer(2, 2)
    with pytest.raises(TypeError, match="input 1"):
        layer([1.0, "a"])
    with pytest.raises(TypeError):
        layer(3.0)
    with pytest.raises(ValueError, match="at least 1"):
        nn.Layer(0, 2)
    with pytest.raises(TypeError):
        nn.MLP(2.5, [1])
    with pytest.raises(ValueError, match="at least one layer"):
        nn.MLP(2, [])
    with pytest.raises(ValueError, match="unknown init 'normal'"):
        nn.MLP(2, [3], init="normal")
    with pytest.raises(ValueError, match="unknown activation 'relu6'"):
        nn.MLP(2, [3, 1], activation="relu6")
    with pytest.raises(TypeError, match="rng"):
        nn.MLP(2, [3], rng="seed")


# ---------------------------------------------------------------- initialisation


def test_rng_seed_and_random_instance_agree_and_are_reproducible():
    a = nn.MLP(2, [4, 1], rng=7).state_dict()
    b = nn.MLP(2, [4, 1], rng=random.Random(7)).state_dict()
    c = nn.MLP(2, [4, 1], rng=8).state_dict()
    assert a == b != c


def test_modules_built_without_rng_differ_and_manual_seed_repeats_them():
    # without rng= a module draws from nn's shared generator: two neurons built one after
    # the other differ (training could never tell identical ones apart) ...
    nn.manual_seed(3)
    first, second = nn.Neuron(2), nn.Neuron(2)
    assert first.state_dict() != second.state_dict()
    m1 = nn.MLP(2, [4, 1]).state_dict()
    # ... and reseeding gives the same sequence of modules again
    nn.manual_seed(3)
    assert nn.Neuron(2).state_dict() == first.state_dict()
    assert nn.Neuron(2).state_dict() == second.state_dict()
    assert nn.MLP(2, [4, 1]).state_dict() == m1
    # the stream is the one rng=Random(seed) gives a single module
    nn.manual_seed(5)
    assert nn.MLP(2, [4, 1]).state_dict() == nn.MLP(2, [4, 1], rng=5).state_dict()
    # rng= bypasses the shared generator and does not advance it
    nn.manual_seed(5)
    nn.MLP(2, [4, 1], rng=9)
    assert nn.MLP(2, [4, 1]).state_dict() == nn.MLP(2, [4, 1], rng=5).state_dict()
    with pytest.raises(TypeError, match="seed must be an int, not str"):
        nn.manual_seed("1")


def test_mlp_sizes_must_be_a_list():
    with pytest.raises(
        TypeError, match=r"nouts must be a list of layer sizes, e.g. nn.MLP\(2, \[4\]\)"
    ):
        nn.MLP(2, 4)


def test_neurons_of_a_layer_differ():
    layer = nn.Layer(3, 4, rng=1)
    rows = [tuple(p.data for p in n.w) for n in layer.neurons]
    assert len(set(rows)) == 4


def weights(model):
    return [w.data for layer in model.layers for n in layer.neurons for w in n.w]


def test_inits_have_their_ranges_and_biases_start_at_zero():
    uniform = weights(nn.MLP(20, [30], init="uniform", rng=0))
    assert all(-1.0 <= w <= 1.0 for w in uniform) and max(map(abs, uniform)) > 0.9
    limit = math.sqrt(6.0 / (20 + 30))  # Glorot
    xavier = weights(nn.MLP(20, [30], init="xavier", rng=0))
    assert all(-limit <= w <= limit for w in xavier) and max(map(abs, xavier)) > 0.9 * limit
    he = weights(nn.MLP(50, [40], init="he", rng=0))  # N(0, 2/50): std 0.2
    assert statistics.pstdev(he) == pytest.approx(0.2, rel=0.1)
    assert abs(statistics.fmean(he)) < 0.03
    for init in ("uniform", "xavier", "he"):
        model = nn.MLP(3, [4, 2], init=init, rng=0)
        assert all(n.b.data == 0.0 for layer in model.layers for n in layer.neurons)


# ---------------------------------------------------------------- zero_grad and repr


def test_zero_grad():
    model = nn.MLP(2, [3, 1], rng=0)
    model([1.0, 2.0])[0].backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_repr_is_a_readable_tree():
    model = nn.MLP(2, [16, 16, 1], rng=0)
    assert repr(model).splitlines() == [
        "MLP(2 -> [16, 16, 1], 337 parameters)",
        "  (layers.0): Layer(2 -> 16, relu)",
        "  (layers.1): Layer(16 -> 16, relu)",
        "  (layers.2): Layer(16 -> 1, identity)",
    ]
    assert repr(nn.Neuron(3, activation="sigmoid", bias=False)) == (
        "Neuron(3 inputs, sigmoid, bias=False)"
    )


# ---------------------------------------------------------------- state_dict


def test_state_dict_round_trip():
    a = nn.MLP(2, [3, 1], rng=0)
    b = nn.MLP(2, [3, 1], rng=1)
    assert a.state_dict() != b.state_dict()
    b.load_state_dict(a.state_dict())
    assert a.state_dict() == b.state_dict()
    assert all(type(v) is float for v in b.state_dict().values())
    x = [0.25, -1.5]
    assert a(x)[0].data == b(x)[0].data


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.pop("layers.1.neurons.0.b"), "missing 1: 'layers.1.neurons.0.b'"),
        (lambda d: d.update({"layers.9.neurons.0.b": 1.0}), "unexpected 1"),
        (lambda d: d.update({"layers.0.neurons.0.w.0": "0.5"}), "must be a number, not str"),
        (lambda d: d.update({"layers.0.neurons.0.w.1": True}), "must be a number, not bool"),
        (lambda d: d.update({"layers.0.neurons.1.b": None}), "must be a number, not NoneType"),
        (lambda d: d.update({"layers.1.neurons.0.w.2": math.nan}), "must be finite"),
        (lambda d: d.update({"layers.1.neurons.0.w.2": -math.inf}), "must be finite"),
        (lambda d: d.update({"layers.1.neurons.0.w.2": 10**400}), "must be finite"),
    ],
)
def test_load_state_dict_validates_first_and_changes_nothing(change, message):
    model = nn.MLP(2, [3, 1], rng=0)
    before = model.state_dict()
    state = {k: v + 1.0 for k, v in before.items()}  # every value would change
    change(state)
    with pytest.raises(ValueError, match=message):
        model.load_state_dict(state)
    assert model.state_dict() == before


def test_load_state_dict_accepts_ints():
    model = nn.Neuron(2, rng=0)
    model.load_state_dict({"w.0": 1, "w.1": -2, "b": 3})
    assert model.state_dict() == {"w.0": 1.0, "w.1": -2.0, "b": 3.0}


# ---------------------------------------------------------------- save and load


def test_save_load_round_trip_is_exact(tmp_path):
    path = tmp_path / "model.json"
    a = nn.MLP(2, [4, 3], init="he", rng=3)
    a.save(path)
    b = nn.MLP(2, [4, 3], rng=99)
    b.load(path)
    assert a.state_dict() == b.state_dict()  # float reprs round-trip exactly
    doc = json.loads(path.read_text())
    assert doc["format"] == "chaingrad.nn" and doc["model"] == "MLP"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_save_replaces_an_existing_file(tmp_path):
    path = tmp_path / "model.json"
    path.write_text("old")
    model = nn.Neuron(2, rng=0)
    model.save(str(path))
    other = nn.Neuron(2, rng=5)
    other.load(str(path))
    assert other.state_dict() == model.state_dict()


def test_save_refuses_non_finite_parameters_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "model.json"
    model = nn.Neuron(2, rng=0)
    model.save(path)
    old = path.read_text()
    model.w[0].data = math.nan
    with pytest.raises(ValueError, match="'w.0' is nan"):
        model.save(path)
    assert path.read_text() == old
    assert list(tmp_path.iterdir()) == [path]


def test_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    model = nn.Neuron(2, rng=0)

    def crash(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr("os.replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        model.save(path)
    assert list(tmp_path.iterdir()) == []


def broken_files(good: str):
    doc = json.loads(good)
    params = doc["parameters"]
    first = next(iter(params))

    def edited(**changes):
        d = json.loads(good)
        d.update(changes)
        return json.dumps(d)

    fewer = dict(params)
    fewer.pop(first)
    bad_value = dict(params, **{first: "1.0"})
    return [
        (good[: len(good) // 2], "not valid JSON"),
        ("", "not valid JSON"),
        (good.replace(str(params[first]), "NaN", 1), "non-finite"),
        (good.replace(str(params[first]), "Infinity", 1), "non-finite"),
        (json.dumps([1, 2, 3]), "not a chaingrad model file"),
        (edited(format="pickle"), "not a chaingrad model file"),
        (edited(version=2), "version 2"),
        (edited(parameters=[1.0, 2.0]), "no 'parameters' object"),
        (edited(parameters=fewer), "missing 1"),
        (edited(parameters=bad_value), "must be a number, not str"),
    ]


def test_load_rejects_broken_files_and_leaves_the_model_unchanged(tmp_path):
    source = nn.MLP(2, [3, 1], rng=1)
    path = tmp_path / "model.json"
    source.save(path)
    good = path.read_text()
    model = nn.MLP(2, [3, 1], rng=2)
    before = model.state_dict()
    for text, message in broken_files(good):
        path.write_text(text)
        with pytest.raises(ValueError, match=message):
            model.load(path)
        assert model.state_dict() == before, message


def test_load_rejects_a_different_architecture(tmp_path):
    path = tmp_path / "model.json"
    nn.MLP(2, [3, 1], rng=1).save(path)
    model = nn.MLP(2, [4, 1], rng=2)
    before = model.state_dict()
    with pytest.raises(ValueError, match="does not match the model"):
        model.load(path)
    assert model.state_dict() == before


def test_trained_model_survives_save_and_load(tmp_path):
    X, y = nn.datasets.logic("and")
    model = nn.MLP(2, [1], output_activation="sigmoid", rng=0)
    opt = nn.SGD(model.parameters(), lr=2.0)
    nn.fit(model, X, y, nn.mse_loss, opt, epochs=30, progress=False)
    untrained = nn.MLP(2, [1], output_activation="sigmoid", rng=0)
    assert model.state_dict() != untrained.state_dict()  # training moved the weights
    model.save(tmp_path / "and.json")
    copy = nn.MLP(2, [1], output_activation="sigmoid", rng=1)  # different starting weights
    assert copy.state_dict() != model.state_dict()
    copy.load(tmp_path / "and.json")
    assert copy.state_dict() == model.state_dict()
    with autograd.no_grad():
        assert [copy(x)[0].data for x in X] == [model(x)[0].data for x in X]
