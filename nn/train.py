"""``fit``: the training loop, with a tqdm progress bar and a per-epoch history."""

from __future__ import annotations

import random
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import autograd
from autograd import Value, enable_grad, gc_paused
from nn.losses import accuracy
from nn.module import make_rng

Metric = Callable[[list[Any], Sequence[Any]], float]

METRICS: dict[str, Metric] = {"accuracy": accuracy}


def _tqdm() -> Any:
    """tqdm's bar for where the code runs: a widget in Jupyter (text without
    ipywidgets), text on a terminal. Imported at the first ``fit``: tqdm (which
    reads its version through importlib.metadata) was half of ``import nn``."""
    from tqdm import TqdmWarning

    with warnings.catch_warnings():
        # tqdm notes that it picked its notebook bar, or that ipywidgets is missing (then
        # the bar is text): neither is something a user of fit can act on
        warnings.simplefilter("ignore", TqdmWarning)
        # tqdm.auto is this bar plus asyncio support, which fit has no use for (and
        # importing asyncio takes as long as the rest of nn)
        from tqdm.autonotebook import tqdm
    return tqdm


def _metric(m: str | Metric) -> tuple[str, Metric]:
    if isinstance(m, str):
        fn = METRICS.get(m)
        if fn is None:
            raise ValueError(f"unknown metric {m!r}; choose one of: {', '.join(METRICS)}")
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
) -> dict[str, list[float]]:
    """Train ``model`` on ``(X, y)`` and return the history of every epoch.

    Each batch: ``outputs = [model(x) for x in batch]`` (one Value per sample
    for a single-output model, the model's list otherwise), then
    ``loss(outputs, targets)``, ``optimizer.zero_grad()``, ``backward()`` and
    ``optimizer.step()``. ``batch_size=None`` trains on the full batch.
    Training records its graphs even when ``fit`` is called inside ``no_grad()``.

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

    The tqdm bar (one tick per epoch, showing loss and metrics; tqdm's notebook bar in
    Jupyter) is shown with ``progress=True``, never with ``False``, and with ``None``
    (the default) when stderr is a terminal or the code runs in a Jupyter kernel.
    ``callback(epoch, history)``
    runs after each epoch (epochs count from 0); if it returns a true value, training
    stops there. ``shuffle`` (a ``random.Random`` or a seed) reshuffles the
    samples each epoch; None keeps their order.
    """
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
    named = [_metric(m) for m in metrics]
    history: dict[str, list[float]] = {"loss": []}
    for name, _ in named:
        if name in history:
            raise ValueError(f"metric name {name!r} appears twice (or clashes with 'loss')")
        history[name] = []
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
                try:
                    value = float(fn(seen_out, seen_y))
                except ValueError as e:
                    raise ValueError(
                        f"metric {name!r} failed: {e} (for regression, pass metrics=())"
                    ) from e
                history[name].append(value)
            if not bar.disable:
                bar.set_postfix({k: f"{v[-1]:.4g}" for k, v in history.items()}, refresh=False)
            if callback is not None:
                if callback(epoch, history):
                    break
                if compile:  # the callback may change what the loss reads: trace again
                    run_batch = _compiled_batch(model, loss, optimizer)
    finally:
        bar.close()
    return history


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
