"""nn.fit: what it passes to the loss, batching, history, callback, progress bar."""

import io
import sys

import pytest

import autograd
import nn
from autograd import Value


class CountingSGD(nn.SGD):
    """SGD that counts its steps (to check batching)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = 0

    def step(self):
        self.steps += 1
        super().step()


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_single_output_model_gives_the_loss_one_value_per_sample():
    X, y = nn.datasets.logic("or")
    model = nn.MLP(2, [3, 1], rng=0)
    seen = []

    def loss(outputs, targets):
        seen.append((outputs, targets))
        return nn.mse_loss(outputs, targets)

    nn.fit(model, X, y, loss, nn.SGD(model, lr=0.1), epochs=1, progress=False)
    ((outputs, targets),) = seen
    assert targets == y
    assert len(outputs) == 4 and all(isinstance(o, Value) for o in outputs)


def test_multi_output_model_gives_the_loss_the_model_lists():
    X, y = nn.datasets.blobs(12, 3, rng=0)
    model = nn.MLP(2, [4, 3], rng=0)
    seen = []

    def loss(outputs, targets):
        seen.append(outputs)
        return nn.cross_entropy(outputs, targets)

    nn.fit(model, X, y, loss, nn.SGD(model, lr=0.1), epochs=1, progress=False)
    assert len(seen[0]) == 12 and all(len(o) == 3 for o in seen[0])


def test_history_loss_is_the_epoch_mean_before_each_update():
    X, y = nn.datasets.diamond(40, rng=1)
    model = nn.MLP(2, [4, 1], output_activation="sigmoid", rng=2)
    with autograd.no_grad():
        start = nn.binary_cross_entropy([model(x)[0] for x in X], y).data
        start_acc = nn.accuracy([model(x)[0] for x in X], y)
    history = nn.fit(
        model, X, y, nn.binary_cross_entropy, nn.Adam(model, lr=0.05), epochs=5, progress=False
    )
    assert set(history) == {"loss", "accuracy"}
    assert len(history["loss"]) == len(history["accuracy"]) == 5
    assert history["loss"][0] == pytest.approx(start, abs=1e-15)
    assert history["accuracy"][0] == start_acc
    assert history["loss"][-1] < history["loss"][0]


def test_mini_batches():
    X, y = nn.datasets.moons(10, rng=0)
    model = nn.MLP(2, [2, 1], rng=0)
    opt = CountingSGD(model, lr=0.01)
    batch_losses = []

    def loss(outputs, targets):
        out = nn.mse_loss(outputs, targets)
        batch_losses.append((out.data, len(outputs)))
        return out

    history = nn.fit(model, X, y, loss, opt, epochs=2, batch_size=4, progress=False)
    assert opt.steps == 2 * 3  # batches of 4, 4 and 2 per epoch
    assert [n for _, n in batch_losses] == [4, 4, 2] * 2
    first = sum(v * n for v, n in batch_losses[:3]) / 10  # weighted by batch size
    assert history["loss"][0] == pytest.approx(first, abs=1e-15)


def test_shuffle_is_seeded():
    X, y = nn.datasets.moons(20, rng=0)

    def run(shuffle):
        model = nn.MLP(2, [3, 1], rng=0)
        return nn.fit(
            model, X, y, nn.mse_loss, nn.SGD(model, lr=0.1), 3, batch_size=5, progress=False,
            shuffle=shuffle,
        )["loss"]  # fmt: skip

    assert run(7) == run(7)
    assert run(7) != run(None)


def test_callback_sees_every_epoch_and_can_stop_training():
    X, y = nn.datasets.xor()
    model = nn.MLP(2, [3, 1], rng=0)
    calls = []

    def callback(epoch, history):
        calls.append((epoch, len(history["loss"])))
        return epoch == 2

    history = nn.fit(
        model, X, y, nn.mse_loss, nn.SGD(model, lr=0.1), 10, progress=False, callback=callback
    )
    assert calls == [(0, 1), (1, 2), (2, 3)]
    assert len(history["loss"]) == 3


def test_custom_metrics_and_no_metrics():
    X, y = nn.datasets.xor()
    model = nn.MLP(2, [3, 1], rng=0)

    def mean_output(outputs, targets):
        assert all(type(o) is float for o in outputs)  # metrics see floats
        return sum(outputs) / len(outputs)

    opt = nn.SGD(model, lr=0.1)
    history = nn.fit(model, X, y, nn.mse_loss, opt, 2, metrics=[mean_output], progress=False)
    assert set(history) == {"loss", "mean_output"}
    history = nn.fit(model, X, y, nn.mse_loss, opt, 2, metrics=(), progress=False)
    assert set(history) == {"loss"}
    with pytest.raises(ValueError, match="unknown metric 'f1'"):
        nn.fit(model, X, y, nn.mse_loss, opt, 2, metrics=["f1"], progress=False)


def test_progress_bar_on_a_terminal_by_default_always_with_true(monkeypatch, capsys):
    X, y = nn.datasets.logic("and")
    y = [2 * t - 1 for t in y]
    model = nn.MLP(2, [2, 1], rng=0)
    opt = nn.SGD(model, lr=0.1)
    nn.fit(model, X, y, nn.hinge_loss, opt, 3)  # None: stderr is captured, not a terminal
    assert capsys.readouterr().err == ""
    nn.fit(model, X, y, nn.hinge_loss, opt, 3, progress=True)  # True: shown anyway
    assert "3/3" in capsys.readouterr().err
    fake = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", fake)
    nn.fit(model, X, y, nn.hinge_loss, opt, 3)
    shown = fake.getvalue()
    assert "3/3" in shown and "loss=" in shown and "accuracy=" in shown
    fake.seek(0)
    fake.truncate()
    nn.fit(model, X, y, nn.hinge_loss, opt, 3, progress=False)
    assert fake.getvalue() == ""
    with pytest.raises(TypeError, match="progress must be True, False or None"):
        nn.fit(model, X, y, nn.hinge_loss, opt, 3, progress="yes")


def test_progress_bar_in_a_jupyter_kernel(monkeypatch, capsys):
    # what the bar's default looks at in a notebook: IPython's shell is a kernel's
    import types

    class ZMQInteractiveShell:
        pass

    monkeypatch.setitem(
        sys.modules, "IPython", types.SimpleNamespace(get_ipython=ZMQInteractiveShell)
    )
    X, y = nn.datasets.logic("and")
    model = nn.MLP(2, [2, 1], rng=0)
    nn.fit(model, X, y, nn.mse_loss, nn.SGD(model, lr=0.1), 2)
    assert "2/2" in capsys.readouterr().err


def test_regression_needs_no_accuracy():
    X, y = nn.datasets.linear(20, [2.0], 1.0, rng=0)
    model = nn.MLP(1, [1], rng=0)
    opt = nn.SGD(model, lr=0.3)
    with pytest.raises(ValueError, match="pass metrics=()"):
        nn.fit(model, X, y, nn.mse_loss, opt, 5, progress=False)
    history = nn.fit(model, X, y, nn.mse_loss, opt, 60, metrics=(), progress=False)
    (neuron,) = model.layers[0].neurons
    assert neuron.w[0].data == pytest.approx(2.0, abs=1e-3)  # y = 2 x + 1 recovered
    assert neuron.b.data == pytest.approx(1.0, abs=1e-3)
    assert history["loss"][-1] < 1e-6


def test_zero_epochs_is_an_empty_history():
    X, y = nn.datasets.xor()
    model = nn.MLP(2, [2, 1], rng=0)
    before = model.state_dict()
    history = nn.fit(model, X, y, nn.mse_loss, nn.SGD(model, lr=0.1), 0, progress=False)
    assert history == {"loss": [], "accuracy": []}
    assert model.state_dict() == before


def test_fit_trains_a_softmax_classifier():
    X, y = nn.datasets.blobs(60, [[-3.0, 0.0], [3.0, 0.0], [0.0, 4.0]], rng=0)
    model = nn.MLP(2, [8, 3], activation="tanh", init="xavier", rng=0)
    history = nn.fit(
        model, X, y, nn.cross_entropy, nn.Adam(model, lr=0.05), epochs=40, progress=False
    )
    assert history["accuracy"][-1] >= 0.95
    assert history["loss"][-1] < 0.5 * history["loss"][0]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"y": [0, 1, 1]}, ValueError, "4 inputs but 3 targets"),
        ({"epochs": -1}, ValueError, "epochs"),
        ({"epochs": 2.0}, ValueError, "epochs"),
        ({"batch_size": 0}, ValueError, "batch_size"),
        ({"loss": "mse"}, TypeError, "loss must be a callable"),
        ({"loss": lambda o, t: 1.0}, TypeError, "loss must return a Value"),
        ({"metrics": ["loss"]}, ValueError, "unknown metric"),
    ],
)
def test_bad_arguments(kwargs, error, message):
    X, y = nn.datasets.xor()
    model = nn.MLP(2, [2, 1], rng=0)
    args = {"y": y, "loss": nn.mse_loss, "epochs": 1}
    args.update(kwargs)
    with pytest.raises(error, match=message):
        nn.fit(model, X, args["y"], args["loss"], nn.SGD(model, lr=0.1), args["epochs"],
               batch_size=kwargs.get("batch_size"), metrics=kwargs.get("metrics", ("accuracy",)),
               progress=False)  # fmt: skip
