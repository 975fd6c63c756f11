"""nn.fit(compile=True) and compiled nn steps equal the uncompiled ones bit for bit.

Two identical models train side by side, one with ``compile=False`` and one
with ``compile=True``; their histories and every parameter must be equal with
``==`` after many steps, for every activation, every loss and both optimizers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import autograd
import nn
from autograd import Value
from nn.activations import ACTIVATIONS


@pytest.fixture(autouse=True)
def compile_checks_every_replay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every replay here runs beside the engine (``compile(check=...)``)."""
    monkeypatch.setattr(autograd.compiler.trace, "CHECK", True)


def fit_both(
    make_model: Callable[[], Any],
    X: list[Any],
    y: list[Any],
    loss: Callable[..., Value],
    epochs: int = 6,
    optimizer: Callable[[list[Value]], Any] = lambda ps: nn.SGD(ps, lr=0.1),
    **kwargs: Any,
) -> tuple[dict[str, list[float]], Any]:
    """Train two copies; assert equal histories and parameters; return the history."""
    histories, models = [], []
    for compiled in (False, True):
        model = make_model()
        opt = optimizer(model.parameters())
        histories.append(
            nn.fit(model, X, y, loss, opt, epochs, progress=False, compile=compiled, **kwargs)
        )
        models.append(model)
    assert histories[0] == histories[1]
    for (name, p), q in zip(models[0].named_parameters(), models[1].parameters()):
        assert p.data == q.data, name
        assert p.grad == q.grad, name
    return histories[1], models[1]


X2, Y01 = nn.datasets.moons(40, noise=0.2, rng=3)
Y_PM = [2.0 * t - 1.0 for t in Y01]


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_every_activation(activation: str) -> None:
    fit_both(
        lambda: nn.MLP(2, [5, 4, 1], activation=activation, rng=7),
        X2,
        Y_PM,
        nn.mse_loss,
        metrics=(),
    )


def test_hinge_loss_with_l2_and_int_labels() -> None:
    labels = [2 * t - 1 for t in Y01]  # ints: part of the trace's key
    model_params: list[list[Value]] = []

    def make() -> nn.MLP:
        m = nn.MLP(2, [8, 8, 1], rng=1)
        model_params.append(m.parameters())
        return m

    def loss(out: list[Value], t: list[Any]) -> Value:
        # the parameters of the model being trained (the last one made)
        return nn.hinge_loss(out, t) + nn.l2_penalty(model_params[-1], 1e-4)

    history, _ = fit_both(make, X2, labels, loss, epochs=8)
    assert history["accuracy"][-1] > 0.5


def test_binary_cross_entropy_on_probabilities() -> None:
    fit_both(
        lambda: nn.MLP(2, [6, 1], activation="tanh", output_activation="sigmoid", rng=2),
        X2,
        [float(t) for t in Y01],
        nn.binary_cross_entropy,
    )


def test_binary_cross_entropy_with_logits_and_adam() -> None:
    fit_both(
        lambda: nn.MLP(2, [6, 1], activation="softplus", rng=4),
        X2,
        [float(t) for t in Y01],
        nn.binary_cross_entropy_with_logits,
        optimizer=lambda ps: nn.Adam(ps, lr=0.05),
        metrics=(lambda outs, ts: nn.accuracy(outs, ts, threshold=0.0),),
    )


def test_cross_entropy_with_softmax_shift_changing_sides() -> None:
    X, y = nn.datasets.blobs(30, centers=3, rng=5)
    _, model = fit_both(
        lambda: nn.MLP(2, [6, 3], activation="leaky_relu", rng=6),
        X,
        y,
        nn.cross_entropy,
        epochs=10,
        optimizer=lambda ps: nn.SGD(ps, lr=0.5, momentum=0.9, weight_decay=1e-3),
    )


def test_softmax_and_log_softmax_in_a_loss() -> None:
    X, y = nn.datasets.blobs(20, centers=3, rng=8)
    targets = [[1.0 if k == c else 0.0 for k in range(3)] for c in y]

    def loss(outs: list[list[Value]], ts: list[list[Value]]) -> Value:
        probs = [nn.softmax(o) for o in outs]
        logp = [nn.log_softmax(o) for o in outs]
        flat = [p for row in probs for p in row] + [q for row in logp for q in row]
        return nn.mse_loss(probs, ts) + autograd.sum(flat) * 1e-3

    fit_both(lambda: nn.MLP(2, [5, 3], rng=9), X, targets, loss, metrics=())


def test_mini_batches_with_shuffling_trace_once_per_batch_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(autograd.compiler.trace, "CHECK", False)  # it counts the calls of f
    calls: list[int] = []

    def loss(out: list[Value], t: list[Value]) -> Value:
        calls.append(len(out))
        return nn.mse_loss(out, t)

    fit_both(
        lambda: nn.MLP(2, [4, 1], rng=3),
        X2,
        Y_PM,
        loss,
        epochs=5,
        batch_size=16,
        shuffle=11,
        metrics=(),
    )
    # batches of 16, 16 and 8: eager, 3 calls per epoch; compiled, one trace per size
    assert calls.count(16) == 2 * 5 + 1 and calls.count(8) == 5 + 1


def test_piecewise_constant_units_do_not_retrace(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(autograd.compiler.trace, "CHECK", False)  # it counts the calls of f
    # step/sign/threshold pick their level with engine.detached: recomputed at
    # each call, so flipping units need no new trace
    model = nn.MLP(2, [4, 1], activation="step", output_activation="sign", rng=1)
    opt = nn.SGD(model.parameters(), lr=0.3)
    traced: list[int] = []

    def loss(out: list[Value], t: list[Value]) -> Value:
        traced.append(1)
        return nn.mse_loss(out, t)

    nn.fit(model, X2, Y_PM, loss, opt, 5, progress=False, compile=True, metrics=())
    assert len(traced) == 1


def test_a_compiled_step_by_hand_matches_the_engine() -> None:
    # the benchmarks' step: MLP 2-16-16-1, hinge + L2, plain SGD, with compile()
    X, labels = nn.datasets.moons(60, noise=0.1, rng=0)
    y = [2.0 * t - 1.0 for t in labels]
    models = [nn.MLP(2, [16, 16, 1], rng=1) for _ in range(2)]
    params = [m.parameters() for m in models]
    opts = [nn.SGD(ps, lr=0.5) for ps in params]

    def loss_of(k: int, xs: list[Any], ys: list[Any]) -> Value:
        scores = [models[k](x)[0] for x in xs]
        return nn.hinge_loss(scores, ys) + nn.l2_penalty(params[k], 1e-4)

    step = autograd.compile(lambda xs, ys: loss_of(1, xs, ys))
    for _ in range(15):
        opts[0].zero_grad()
        ref = loss_of(0, X, y)
        ref.backward()
        opts[0].step()
        opts[1].zero_grad()
        assert step(X, y) == ref.data
        opts[1].step()
        assert [p.data for p in params[0]] == [p.data for p in params[1]]
    assert step.traces == 1
