"""``fit``: the training loop, with a text progress bar and a per-epoch history."""

from __future__ import annotations

import functools
import os
import random
import sys
from collections.abc import Callable, Sequence
from typing import Any

import autograd
from autograd import Value, enable_grad, gc_paused, no_grad
from nn._data import plain
from nn.losses import CONVENTIONS, accuracy
from nn.module import make_rng

Metric = Callable[[list[Any], Sequence[Any]], float]

METRICS: dict[str, Metric] = {"accuracy": accuracy}


def _tqdm() -> Any:
    """tqdm's text bar, wherever the code runs. In Jupyter too: a saved notebook
    keeps a text bar's last state (a widget bar keeps only its first text, "0%"),
    and widget bars vanish in VS Code and under some ipywidgets versions.
    Imported at the first ``fit``: tqdm (which reads its version through
    importlib.metadata) was half of ``import nn``."""
    from tqdm.std import tqdm

    if sys.platform == "emscripten":
        # Pyodide has no threads: tqdm's monitor thread would fail and warn at every fit
        tqdm.monitor_interval = 0
    return tqdm


class History(dict[str, list[float]]):
    """What ``fit`` returns: a dict of per-epoch lists (``history["loss"]``, ...), plus
    ``view``, the ``nn.TrainingView`` that ``fit(..., view=...)`` made (None without one).

    Examples:
        >>> import nn
        >>> X, labels = nn.datasets.xor()
        >>> y = [2 * t - 1 for t in labels]
        >>> model = nn.MLP(2, [2, 1], activation="tanh", rng=0)
        >>> opt = nn.SGD(model.parameters(), lr=0.3)
        >>> history = nn.fit(model, X, y, nn.hinge_loss, opt, epochs=2, progress=False)
        >>> sorted(history), len(history["loss"]), history.view is None
        (['accuracy', 'loss'], 2, True)
    """

    view: Any = None


def _metric(m: str | Metric, loss: Any = None) -> tuple[str, Metric]:
    if isinstance(m, str):
        fn = METRICS.get(m)
        if fn is None:
            raise ValueError(f"unknown metric {m!r}; choose one of: {', '.join(METRICS)}")
        convention = CONVENTIONS.get(loss) if fn is accuracy else None
        if convention is not None:  # the loss says how its outputs are scored
            labels, cut = convention
            fn = functools.partial(accuracy, labels=labels, threshold=cut)
        return m, fn
    if callable(m):
        return getattr(m, "__name__", "metric"), m
    raise TypeError(f"a metric must be a name or a callable, not {type(m).__name__}")


def _unwrap(out: Any) -> Any:
    # a single-output model gives a list of one Value: use the Value itself
    if isinstance(out, (list, tuple)) and len(out) == 1:
        return out[0]
    return out


def _detached(out: Any) -> Any:
    """The floats of an output (a Value or a list of Values), for metrics."""
    if isinstance(out, Value):
        return out.data
    if isinstance(out, (list, tuple)):
        return [o.data if isinstance(o, Value) else o for o in out]
    return out


def _show_progress(progress: bool | None) -> bool:
    if progress is not None:
        if not isinstance(progress, bool):
            raise TypeError(f"progress must be True, False or None, not {type(progress).__name__}")
        return progress
    if sys.stderr is not None and sys.stderr.isatty():
        return True
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return type(shell).__name__ == "ZMQInteractiveShell"  # a Jupyter kernel


def fit(
    model: Callable[[Any], Any],
    X: Sequence[Any],
    y: Sequence[Any],
    loss: Callable[[list[Any], list[Any]], Value],
    optimizer: Any,
    epochs: int,
    batch_size: int | None = None,
    metrics: Sequence[str | Metric] = ("accuracy",),
    progress: bool | None = None,
    callback: Callable[[int, dict[str, list[float]]], Any] | None = None,
    shuffle: random.Random | int | None = None,
    compile: bool = False,  # noqa: A002 - the name the API promises
    validation: tuple[Sequence[Any], Sequence[Any]] | None = None,
    view: bool | str | os.PathLike[str] = False,
) -> History:
    """Train ``model`` on ``(X, y)`` and return the history of every epoch.

    Each batch: ``outputs = [model(x) for x in batch]`` (one Value per sample
    for a single-output model, the model's list otherwise), then
    ``loss(outputs, targets)``, ``optimizer.zero_grad()``, ``backward()`` and
    ``optimizer.step()``. ``batch_size=None`` trains on the full batch.
    Training records its graphs even when ``fit`` is called inside ``no_grad()``.
    ``X`` and ``y`` may be lists or numpy arrays (sklearn's data sets go straight in).

    ``compile=True`` runs each batch's forward, loss and backward through
    ``autograd.compile``: the same results bit for bit, several times faster
    once traced. The model then receives each input number as a Value and the
    loss each float target as a Value (``nn``'s losses accept both). Int
    targets and inputs are part of the trace's key: shuffled mini-batches with
    int labels (class indices for ``cross_entropy``) trace again for each new
    pattern, and after ``autograd.compiler.CACHE_SIZE`` such traces the steps
    run uncompiled (with a ``RuntimeWarning``); full batches, or float labels,
    trace once per batch size. What the model and the loss read besides the
    data and the parameters' numbers (a hyperparameter, a global) is fixed by
    a trace: the steps are traced again after each ``callback`` and whenever
    the model's list of parameters changes, so results stay those of
    ``compile=False``.

    The history is ``{"loss": [...], "<metric>": [...]}`` with one entry per
    epoch: the epoch's loss is the mean of its batch losses weighted by batch
    size, and each metric (a name from ``METRICS`` or a callable
    ``f(outputs, targets) -> float`` on the floats of the outputs) is computed
    on the outputs seen during the epoch, i.e. before each batch's update.
    ``"accuracy"`` scores one-output models by the loss's own labels when the loss
    is one of ``nn.losses.CONVENTIONS`` (``hinge_loss``: -1/+1 around 0), else by
    the labels in the targets (see ``nn.accuracy``).

    ``validation=(X_val, y_val)`` adds ``val_loss`` and ``val_<metric>``: the
    loss and metrics of the model on that data at the end of each epoch (after
    its updates; computed under ``no_grad``, so training is unchanged).

    ``view=True`` shows an ``nn.TrainingView`` in a Jupyter notebook, updated in place
    while training (at most one update per 0.2 s, and the last epoch always); outside
    a notebook it shows nothing while training. A path (``view="train.html"``) also
    saves the view's replay page there at the end. The view is ``history.view``.
    With the view on or off, parameters and history are the same bit for bit.

    The text bar (one tick per epoch, showing loss and metrics; text in Jupyter too, so
    that a saved notebook shows where it ended) is shown with ``progress=True``, never
    with ``False``, and with ``None`` (the default) when stderr is a terminal or the
    code runs in a Jupyter kernel.
    ``callback(epoch, history)``
    runs after each epoch (epochs count from 0); if it returns a true value, training
    stops there. ``shuffle`` (a ``random.Random`` or a seed) reshuffles the
    samples each epoch; None keeps their order.

    Args:
        model: a callable from one input to its output(s), e.g. an ``nn.MLP``.
        X: the inputs, a list or an array.
        y: the targets, one per input.
        loss: ``loss(outputs, targets) -> Value``, e.g. ``nn.mse_loss``.
        optimizer: what updates the parameters (``zero_grad()`` and ``step()``).
        epochs: how many passes over the data, >= 0.
        batch_size: samples per update; None means the full batch.
        metrics: names from ``METRICS`` or callables ``f(outputs, targets) -> float``.
        progress: show the text bar; None decides from where the code runs.
        callback: ``callback(epoch, history)`` after each epoch; a true result stops training.
        shuffle: a ``random.Random`` or a seed to reshuffle each epoch; None keeps the order.
        compile: run each batch through ``autograd.compile``.
        validation: ``(X_val, y_val)`` to score after each epoch, or None.
        view: True for a live ``nn.TrainingView``, a path to also save its page, False for none.

    Returns:
        The ``History``: one list per loss and metric, one entry per epoch.

    Raises:
        TypeError: ``X``, ``y`` or ``validation`` is not a list or array (or a pair), ``loss``
            is not callable or returns no Value, a bad metric, or a bad ``view``.
        ValueError: ``X`` and ``y`` of different lengths or empty, bad ``epochs`` or
            ``batch_size``, an unknown or repeated metric, or a metric that fails on the data.

    Examples:
        >>> import nn
        >>> X, labels = nn.datasets.xor()
        >>> model = nn.MLP(2, [8, 1], activation='tanh', rng=0)
        >>> opt = nn.SGD(model.parameters(), lr=0.3)
        >>> y = [2 * t - 1 for t in labels]
        >>> history = nn.fit(model, X, y, nn.hinge_loss, opt, epochs=3, progress=False)
        >>> sorted(history), len(history['loss'])
        (['accuracy', 'loss'], 3)
    """
    X, y = _data(X, "X"), _data(y, "y")
    if len(X) != len(y):
        raise ValueError(f"{len(X)} inputs but {len(y)} targets")
    if not X:
        raise ValueError("no training data")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"epochs must be an int >= 0, got {epochs!r}")
    if batch_size is None:
        batch_size = len(X)
    elif isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int or None, got {batch_size!r}")
    if not callable(loss):
        raise TypeError("loss must be a callable loss(outputs, targets)")
    named = [_metric(m, loss) for m in metrics]
    history = History(loss=[])
    for name, _ in named:
        if name in history:
            raise ValueError(f"metric name {name!r} appears twice (or clashes with 'loss')")
        history[name] = []
    val = _validation(validation)
    if val is not None:
        for name in ["loss", *(n for n, _ in named)]:
            history[f"val_{name}"] = []
    watch = _view(view, model, X, y, loss, optimizer, val)
    history.view = watch
    r = None if shuffle is None else make_rng(shuffle)
    order = list(range(len(X)))
    run_batch = (_compiled_batch if compile else _batch)(model, loss, optimizer)

    bar = _tqdm()(
        range(epochs),
        desc="fit",
        unit="epoch",
        disable=not _show_progress(progress),
        leave=True,
    )
    try:
        for epoch in bar:
            if r is not None:
                r.shuffle(order)
            total = 0.0
            seen_out: list[Any] = []
            seen_y: list[Any] = []
            for start in range(0, len(order), batch_size):
                idx = order[start : start + batch_size]
                targets = [y[i] for i in idx]
                # the graph has no reference cycles (reference counting frees it), so
                # the cyclic collector would only rescan live nodes: pause it; and
                # training means recording, even inside the caller's no_grad()
                with gc_paused(), enable_grad():
                    batch_loss, outputs = run_batch([X[i] for i in idx], targets)
                total += batch_loss * len(idx)
                if named:
                    seen_out.extend(_detached(o) for o in outputs)
                    seen_y.extend(targets)
            history["loss"].append(total / len(order))
            for name, fn in named:
                history[name].append(_score(name, fn, seen_out, seen_y))
            if val is not None:
                _validate(history, model, loss, named, val)
            if not bar.disable:
                bar.set_postfix({k: f"{v[-1]:.4g}" for k, v in history.items()}, refresh=False)
            if watch is not None:
                watch.update(epoch, history)
            if callback is not None:
                if callback(epoch, history):
                    break
                if compile:  # the callback may change what the loss reads: trace again
                    run_batch = _compiled_batch(model, loss, optimizer)
    finally:
        bar.close()
        if watch is not None:
            watch.close()
    if watch is not None and not isinstance(view, bool):
        watch.save(view)
    return history


def _data(data: Any, name: str) -> list[Any]:
    """``X`` or ``y`` as a list (numpy arrays become lists of Python numbers)."""
    data = plain(data)
    if not isinstance(data, (list, tuple)):
        raise TypeError(f"{name} must be a list or an array, not {type(data).__name__}")
    return list(data)


def _validation(validation: Any) -> tuple[list[Any], list[Any]] | None:
    if validation is None:
        return None
    if not isinstance(validation, (list, tuple)) or len(validation) != 2:
        raise TypeError("validation must be a pair (X_val, y_val)")
    xs, ys = _data(validation[0], "X_val"), _data(validation[1], "y_val")
    if len(xs) != len(ys):
        raise ValueError(f"validation has {len(xs)} inputs but {len(ys)} targets")
    if not xs:
        raise ValueError("validation data is empty")
    return xs, ys


def _score(name: str, fn: Metric, outputs: list[Any], targets: list[Any]) -> float:
    try:
        return float(fn(outputs, targets))
    except ValueError as e:
        raise ValueError(f"metric {name!r} failed: {e} (for regression, pass metrics=())") from e


def _validate(
    history: dict[str, list[float]],
    model: Callable[[Any], Any],
    loss: Callable[..., Value],
    named: list[tuple[str, Metric]],
    val: tuple[list[Any], list[Any]],
) -> None:
    """Append the validation loss and metrics (no graph is recorded: training is unchanged)."""
    xs, ys = val
    with no_grad():
        outputs = [_unwrap(model(x)) for x in xs]
        history["val_loss"].append(_checked(loss(outputs, list(ys))).data)
    seen = [_detached(o) for o in outputs]
    for name, fn in named:
        history[f"val_{name}"].append(_score(name, fn, seen, ys))


def _view(
    view: Any,
    model: Any,
    X: list[Any],
    y: list[Any],
    loss: Any,
    optimizer: Any,
    val: tuple[list[Any], list[Any]] | None,
) -> Any:
    """The training view ``fit(view=...)`` asks for, or None."""
    if view is False:
        return None
    if not (view is True or isinstance(view, (str, os.PathLike))):
        raise TypeError(f"view must be True, False or a path, not {type(view).__name__}")
    from nn.view import TrainingView

    return TrainingView(model, X, y, loss=loss, optimizer=optimizer, validation=val)


Batch = Callable[[list[Any], list[Any]], tuple[float, list[Any]]]


def _checked(batch_loss: Any) -> Value:
    if not isinstance(batch_loss, Value):
        raise TypeError(f"loss must return a Value, not {type(batch_loss).__name__}")
    return batch_loss


def _forward(
    model: Callable[[Any], Any], loss: Callable[..., Value]
) -> Callable[[list[Any], list[Any]], tuple[Value, list[Any]]]:
    """A batch's loss and outputs (the part of a step ``compile=True`` compiles)."""

    def forward(xs: list[Any], targets: list[Any]) -> tuple[Value, list[Any]]:
        outputs = [_unwrap(model(x)) for x in xs]
        return _checked(loss(outputs, targets)), outputs

    return forward


def _batch(model: Callable[[Any], Any], loss: Callable[..., Value], optimizer: Any) -> Batch:
    """One training step on a batch: the loss and the outputs (for the metrics)."""
    forward = _forward(model, loss)

    def run(xs: list[Any], targets: list[Any]) -> tuple[float, list[Any]]:
        batch_loss, outputs = forward(xs, targets)
        optimizer.zero_grad()
        batch_loss.backward()
        optimizer.step()
        return batch_loss.data, outputs

    return run


def _compiled_batch(
    model: Callable[[Any], Any], loss: Callable[..., Value], optimizer: Any
) -> Batch:
    """``_batch`` with the forward, loss and backward compiled (gradients are
    zeroed before them rather than after: nothing in between reads them). A
    trace holds the model's parameters: when the list of them changes (one
    replaced or added), the steps are traced again."""
    step = autograd.compile(_forward(model, loss), has_aux=True)
    params = getattr(model, "parameters", None)
    held = list(params()) if callable(params) else None

    def run(xs: list[Any], targets: list[Any]) -> tuple[float, list[Any]]:
        nonlocal step, held
        if held is not None:
            now = list(params())  # type: ignore[misc]
            if len(now) != len(held) or any(p is not q for p, q in zip(now, held)):
                step, held = autograd.compile(_forward(model, loss), has_aux=True), now
        optimizer.zero_grad()
        batch_loss, outputs = step(xs, targets)
        optimizer.step()
        return batch_loss, outputs

    return run
