"""Losses, softmax, the L2 penalty and accuracy.

Shapes: every loss takes ONE sample or a BATCH (a list of samples) and returns
the batch mean as one ``Value``. For the element-wise losses (mse, binary cross
entropy, hinge) a sample is one output or a list of outputs, and the loss is the
mean over every element, so a list of Values means the same thing whether it is
read as one sample with several outputs or as a batch of single outputs.
``cross_entropy`` tells a sample from a batch by its target: an int index for
one sample, a list of indices for a batch. Targets are constants: a Value given
as a target counts as its value, detached (no gradient flows into it).

Where these functions pick something from the data (the max shift of softmax,
a target given as a Value), they do it in ways ``autograd.compile`` sees:
``autograd.core.value.detached`` values, which a compiled step recomputes at each
call, and comparisons of Values, which it checks as guards.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Sequence
from typing import Any

import autograd
from autograd import Value, dot, extend
from autograd.extend import detached
from nn._data import plain

Scalar = Value | float | int


def _is_row(x: Any) -> bool:
    return isinstance(x, (list, tuple))


def _pairs(preds: Any, targets: Any) -> tuple[list[Any], list[Any]]:
    """Predictions and targets element by element, after checking that their
    shapes match (a one-element row matches a single number); targets as floats,
    or as detached Values where they were given as Values."""
    preds, targets = plain(preds), plain(targets)
    if not _is_row(preds) and not _is_row(targets):
        ps, ts = [preds], [targets]
    elif _is_row(preds) and _is_row(targets):
        if len(preds) != len(targets):
            raise ValueError(f"{len(preds)} predictions but {len(targets)} targets")
        ps, ts = [], []
        for i, (p, t) in enumerate(zip(preds, targets)):
            p = p if _is_row(p) else [p]
            t = t if _is_row(t) else [t]
            if len(p) != len(t):
                raise ValueError(f"sample {i}: {len(p)} predictions but {len(t)} targets")
            ps.extend(p)
            ts.extend(t)
    else:
        raise ValueError("predictions and targets must both be lists, or both single values")
    if not ps:
        raise ValueError("empty batch: no predictions")
    ps = [plain(p) for p in ps]
    for i, p in enumerate(ps):
        if isinstance(p, bool) or not isinstance(p, (Value, int, float)):
            raise TypeError(f"prediction {i} must be a Value or a number, not {type(p).__name__}")
    constants: list[Any] = []
    for i, t in enumerate(ts):
        t = plain(t)
        if isinstance(t, Value):  # kept a Value, so that a compiled step reads it afresh
            constants.append(t.detach())
            continue
        if isinstance(t, bool) or not isinstance(t, (int, float)):
            raise TypeError(f"target {i} must be a number, not {type(t).__name__}")
        constants.append(extend.to_float(t))
    return ps, constants


def _equals(t: Any, c: float) -> bool:
    """``t == c`` for a target that may be a Value (then as comparisons, which a
    compiled step checks: Values compare by identity with ``==``)."""
    return bool(t >= c and t <= c) if isinstance(t, Value) else t == c


def _number(t: Any) -> float:
    return t.data if isinstance(t, Value) else t


def _mean(terms: list[Value]) -> Value:
    return autograd.sum(terms) / len(terms)


def mse_loss(preds: Any, targets: Any) -> Value:
    """Mean squared error: the mean of (p - t)**2 over every element.

    For one sample with outputs o_k this is (1/K) sum (o_k - t_k)**2; with two
    outputs that equals the lecture's E = sum 1/2 (t - o)**2.

    Args:
        preds: the predictions: a Value or number, a list of them, or a batch of such lists.
        targets: the targets, shaped like ``preds`` (numbers, or Values taken as constants).

    Returns:
        The mean over every element, as one Value.

    Raises:
        TypeError: a prediction that is not a Value or a number, or a target that is not a number.
        ValueError: ``preds`` and ``targets`` of different shapes, or an empty batch.

    Examples:
        >>> import nn
        >>> from autograd import Value
        >>> y = Value(3.0)
        >>> loss = nn.mse_loss(y, 1.0)
        >>> loss.backward()
        >>> loss.data, y.grad
        (4.0, 4.0)
    """
    ps, ts = _pairs(preds, targets)
    diffs = [p - t for p, t in zip(ps, ts)]
    return dot(diffs, diffs) / len(diffs)  # one node for the sum of squares


def binary_cross_entropy(probs: Any, targets: Any) -> Value:
    """-mean(t log p + (1 - t) log(1 - p)) for probabilities p and targets t in [0, 1].

    No clamping and no hidden epsilon: p = 0 with t > 0 (or p = 1 with t < 1)
    gives ``inf``, as IEEE arithmetic says. A term whose coefficient is exactly
    0 is left out, so p = 1 with t = 1 gives 0 rather than 0 * -inf = nan. Use
    ``binary_cross_entropy_with_logits`` on logits for a loss that stays finite.
    A prediction outside [0, 1] raises ``ValueError`` (it would give a negative
    loss); a nan prediction gives a nan loss.

    Args:
        probs: the predicted probabilities, shaped as for ``mse_loss``.
        targets: the targets in [0, 1], shaped like ``probs``.

    Returns:
        The mean binary cross entropy, as one Value.

    Raises:
        TypeError: a prediction that is not a Value or a number, or a target that is not a number.
        ValueError: different shapes, an empty batch, or a prediction or target outside [0, 1].

    Examples:
        >>> import nn
        >>> from autograd import Value
        >>> p = Value(0.5)
        >>> loss = nn.binary_cross_entropy(p, 1.0)
        >>> round(loss.data, 6)
        0.693147
    """
    ps, ts = _pairs(probs, targets)
    _check_unit_interval(ts)
    for i, p in enumerate(ps):
        if p < 0.0 or p > 1.0:  # nan passes: it gives a nan loss, as IEEE says
            raise ValueError(
                f"binary_cross_entropy: prediction {i} is {_number(p)!r}, outside [0, 1] "
                "(for logits use binary_cross_entropy_with_logits)"
            )
    coeffs: list[Any] = []
    logs: list[Value] = []
    for p, t in zip(ps, ts):
        p = p if isinstance(p, Value) else Value(p)
        if not _equals(t, 0.0):
            coeffs.append(t)
            logs.append(p.log())
        if not _equals(t, 1.0):
            coeffs.append(1.0 - t)
            logs.append((1.0 - p).log())
    return -dot(coeffs, logs) / len(ps)


def binary_cross_entropy_with_logits(logits: Any, targets: Any) -> Value:
    """Binary cross entropy of sigmoid(z) against t, computed stably from the logits z.

    Uses -[t log s(z) + (1 - t) log(1 - s(z))] = softplus(z) - t z per sample,
    written so that nothing cancels (see the code), then the mean of these
    non-negative terms: finite for any finite z, and a large logit cannot
    swallow another sample's small loss (``[1e16, 0]`` against ``[1, 0]``
    gives ln 2 / 2).

    Args:
        logits: the logits z, shaped as for ``mse_loss``.
        targets: the targets in [0, 1], shaped like ``logits``.

    Returns:
        The mean binary cross entropy of sigmoid(z), as one Value.

    Raises:
        TypeError: a logit that is not a Value or a number, or a target that is not a number.
        ValueError: different shapes, an empty batch, or a target outside [0, 1].

    Examples:
        >>> import nn
        >>> from autograd import Value
        >>> z = Value(0.0)
        >>> loss = nn.binary_cross_entropy_with_logits(z, 1.0)
        >>> loss.backward()
        >>> round(loss.data, 6), z.grad
        (0.693147, -0.5)
    """
    zs, ts = _pairs(logits, targets)
    _check_unit_interval(ts)
    terms = []
    for z, t in zip(zs, ts):
        z = z if isinstance(z, Value) else Value(z)
        # softplus(z) - t z without cancellation: (1 - t) z + softplus(-z) for
        # z >= 0 and -t z + softplus(z) below, the softplus of a non-positive
        # number being exactly its small tail log1p(e**-|z|)
        if z >= 0.0:
            terms.append(dot((1.0 - t,), (z,), (-z).softplus()))
        else:
            terms.append(dot((-t,), (z,), z.softplus()))
    return _mean(terms)  # per-sample terms are >= 0: large ones cannot cancel small ones


def hinge_loss(scores: Any, labels: Any) -> Value:
    """Mean of relu(1 - y s) for scores s and labels y in {-1, +1} (the SVM max-margin loss).

    Args:
        scores: the scores s, shaped as for ``mse_loss``.
        labels: the labels, each -1 or +1, shaped like ``scores``.

    Returns:
        The mean hinge loss, as one Value.

    Raises:
        TypeError: a score that is not a Value or a number, or a label that is not a number.
        ValueError: different shapes, an empty batch, or a label other than -1 and +1.

    Examples:
        >>> import nn
        >>> from autograd import Value
        >>> s = Value(0.5)
        >>> nn.hinge_loss(s, 1).data
        0.5
    """
    ss, ys = _pairs(scores, labels)
    for i, y in enumerate(ys):
        if not _equals(abs(y), 1.0):
            raise ValueError(f"hinge_loss labels must be -1 or +1; label {i} is {_number(y)!r}")
    # 1 - y s as one dot node, then the relu
    return _mean([dot((-y,), (s,), 1.0).relu() for s, y in zip(ss, ys)])


def _check_unit_interval(ts: list[Any]) -> None:
    for i, t in enumerate(ts):
        if not 0.0 <= t <= 1.0:
            raise ValueError(f"targets must lie in [0, 1]; target {i} is {_number(t)!r}")


def _logsumexp_parts(values: Sequence[Scalar]) -> tuple[list[Value], Value]:
    """The shifted values z_i - max(z) and log(sum(exp(z_i - max))): the log-sum-exp
    trick, so no exp overflows (the largest shifted value is exactly 0)."""
    vs = [v if isinstance(v, Value) else Value(v) for v in values]
    if not vs:
        raise ValueError("softmax of an empty list")
    m = detached(_shift, *vs)  # a constant picked from the data (no gradient flows into it)
    shifted = [v - m for v in vs]
    return shifted, autograd.sum([s.exp() for s in shifted]).log()


def _shift(*zs: float) -> float:
    """The log-sum-exp shift: the largest value, or 0 where that is inf or nan
    (shifting by it would make nan of everything; let IEEE decide)."""
    m = max(zs)
    return m if math.isfinite(m) else 0.0


def softmax(values: Sequence[Scalar]) -> list[Value]:
    """exp(z_i) / sum_k exp(z_k), computed as exp(z_i - max z) / sum_k exp(z_k - max z).

    Args:
        values: the logits z, Values or numbers.

    Returns:
        One Value per input: the probabilities, summing to 1.

    Raises:
        ValueError: ``values`` is empty.

    Examples:
        >>> import nn
        >>> from autograd import Value
        >>> [p.data for p in nn.softmax([Value(0.0), Value(0.0)])]
        [0.5, 0.5]
    """
    shifted, _ = _logsumexp_parts(values)
    exps = [s.exp() for s in shifted]
    total = autograd.sum(exps)
    return [e / total for e in exps]


def log_softmax(values: Sequence[Scalar]) -> list[Value]:
    """log softmax(z)_i = (z_i - max z) - log(sum_k exp(z_k - max z)) (log-sum-exp trick).

    Args:
        values: the logits z, Values or numbers.

    Returns:
        One Value per input: the log-probabilities.

    Raises:
        ValueError: ``values`` is empty.

    Examples:
        >>> import nn
        >>> from autograd import Value
        >>> [round(p.data, 6) for p in nn.log_softmax([Value(0.0), Value(0.0)])]
        [-0.693147, -0.693147]
    """
    shifted, lse = _logsumexp_parts(values)
    return [s - lse for s in shifted]


def cross_entropy(logits: Any, target_index: int | Sequence[int]) -> Value:
    """-log softmax(z)[target], computed stably with log-sum-exp.

    One sample: ``logits`` a list of Values, ``target_index`` an int (or any
    integer type, such as numpy's). A batch: a list of such lists and a list
    of ints; the result is the batch mean.

    Args:
        logits: one sample's logits (a list of Values), or a batch of such lists.
        target_index: the right class: an int for one sample, a list of ints for a batch.

    Returns:
        The cross entropy (the batch mean for a batch), as one Value.

    Raises:
        TypeError: ``logits`` is not a list, or a target index is not an int.
        ValueError: rows and indices of different counts, an empty batch, or an index out of
            range.

    Examples:
        >>> import nn
        >>> from autograd import Value
        >>> logits = [Value(0.0), Value(0.0)]
        >>> loss = nn.cross_entropy(logits, 1)
        >>> loss.backward()
        >>> round(loss.data, 6), [z.grad for z in logits]
        (0.693147, [0.5, -0.5])
    """
    logits, target_index = plain(logits), plain(target_index)
    if isinstance(target_index, (list, tuple)):
        if not isinstance(logits, (list, tuple)) or len(logits) != len(target_index):
            n = len(logits) if isinstance(logits, (list, tuple)) else 1
            raise ValueError(f"{n} logit rows but {len(target_index)} target indices")
        if not target_index:
            raise ValueError("empty batch: no targets")
        rows = zip(logits, target_index)
        return _mean([_cross_entropy_one(z, t, i) for i, (z, t) in enumerate(rows)])
    return _cross_entropy_one(logits, target_index, None)


def _cross_entropy_one(logits: Any, t: Any, row: int | None) -> Value:
    where = "" if row is None else f" (sample {row})"
    if not isinstance(logits, (list, tuple)):
        raise TypeError(
            f"cross_entropy logits must be a list of Values{where}, not {type(logits).__name__}"
        )
    if isinstance(t, bool):
        raise TypeError(f"target index must be an int{where}, not bool")
    try:
        index = operator.index(t)  # an int, or an integer type such as numpy's
    except TypeError:
        raise TypeError(f"target index must be an int{where}, not {type(t).__name__}") from None
    if not 0 <= index < len(logits):
        raise ValueError(f"target index {index} out of range for {len(logits)} classes{where}")
    shifted, lse = _logsumexp_parts(logits)
    return lse - shifted[index]


def l2_penalty(params: Iterable[Value] | Any, alpha: float) -> Value:
    """alpha * sum(p**2) over ``params`` (a list of Values, or a Module's parameters).

    The sum of squares is ONE node, ``dot(params, params)``, whose backward
    gives each parameter 2 p.

    Args:
        params: the Values to penalise, or a Module (its ``parameters()`` are used).
        alpha: the penalty's weight.

    Returns:
        ``alpha * sum(p**2)``, as one Value.

    Raises:
        TypeError: ``alpha`` is not a number.

    Examples:
        >>> import nn
        >>> model = nn.Neuron(2, rng=0)
        >>> penalty = nn.l2_penalty(model, 0.01)
        >>> penalty.data == 0.01 * sum(w.data ** 2 for w in model.w)
        True
    """
    if hasattr(params, "parameters") and callable(params.parameters):
        params = params.parameters()
    ps = list(params)
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
        raise TypeError(f"alpha must be a number, not {type(alpha).__name__}")
    return dot(ps, ps) * extend.to_float(alpha)


def accuracy(
    outputs: Any,
    targets: Any,
    threshold: float | None = None,
    *,
    labels: tuple[float, float] | None = None,
) -> float:
    """The fraction of samples classified right.

    - Several outputs per sample (a list of lists): the predicted class is the
      argmax; a target is a class index (an int, or any integer type such as
      numpy's; one out of range raises) or a list of scores, whose argmax is used.
    - One output per sample: labels are ``(negative, positive)``, either
      ``(-1, 1)`` (scores, as with ``hinge_loss``: the threshold is 0) or
      ``(0, 1)`` (probabilities: the threshold is 0.5); an output above the
      threshold predicts the positive label. Pass ``labels=``; without it the
      convention is read from a negative label in the targets (-1 or 0), and a
      batch whose targets are all 1 says nothing, so it raises rather than
      guess (give ``labels=``, or a ``threshold``). For logits with 0/1
      labels pass ``threshold=0.0``.

    Args:
        outputs: one output per sample (Values or numbers), or a list of outputs per sample.
        targets: one target per sample: a label, a class index, or a list of scores.
        threshold: the cut between the two labels of one-output samples; None means the
            middle of the labels (0 for (-1, 1), 0.5 for (0, 1)).
        labels: the ``(negative, positive)`` labels, ``(-1, 1)`` or ``(0, 1)``; None reads
            them from the targets.

    Returns:
        The fraction of samples classified right, a float in [0, 1].

    Raises:
        TypeError: ``outputs`` or ``targets`` is not a list, or a class index is not an int.
        ValueError: different lengths, an empty batch, a class index out of range, bad
            ``labels``, or targets that are not the labels (or say nothing about them).

    Examples:
        >>> import nn
        >>> nn.accuracy([0.9, 0.2, 0.7], [1, 0, 0], labels=(0, 1))
        0.6666666666666666
    """
    outputs, targets = plain(outputs), plain(targets)
    if not isinstance(outputs, (list, tuple)) or not isinstance(targets, (list, tuple)):
        raise TypeError("accuracy expects a list of outputs and a list of targets")
    if len(outputs) != len(targets):
        raise ValueError(f"{len(outputs)} outputs but {len(targets)} targets")
    if not outputs:
        raise ValueError("accuracy of an empty batch")
    if isinstance(outputs[0], (list, tuple)):
        right = 0
        for i, (out, t) in enumerate(zip(outputs, targets)):
            k = _argmax(t) if isinstance(t, (list, tuple)) else _class_index(t, len(out), i)
            right += _argmax(out) == k
        return right / len(outputs)
    ys = [extend.to_float(_number(t)) for t in targets]
    low, high = _label_pair(ys, labels, threshold)
    for i, y in enumerate(ys):
        if y != low and y != high:
            raise ValueError(
                f"accuracy needs labels {low:g}/{high:g} (or class indices with several "
                f"outputs); target {i} is {y!r}"
            )
    cut = (low + high) / 2.0 if threshold is None else extend.to_float(threshold)
    right = 0
    for out, y in zip(outputs, ys):
        o = out.data if isinstance(out, Value) else float(out)
        right += (high if o > cut else low) == y
    return right / len(outputs)


def _label_pair(
    ys: list[float], labels: tuple[float, float] | None, threshold: float | None
) -> tuple[float, float]:
    """The (negative, positive) labels of a one-output classification."""
    if labels is not None:
        pair = tuple(labels) if isinstance(labels, (list, tuple)) else None
        if pair not in ((-1, 1), (0, 1)):
            raise ValueError(f"labels must be (-1, 1) or (0, 1), not {labels!r}")
        return float(pair[0]), 1.0  # type: ignore[index]
    has_minus, has_zero = -1.0 in ys, 0.0 in ys
    if has_minus and has_zero:
        raise ValueError("targets mix the labels -1 and 0: pass labels=(-1, 1) or labels=(0, 1)")
    if has_minus:
        return -1.0, 1.0
    if has_zero or threshold is not None:
        return 0.0, 1.0
    if all(y == 1.0 for y in ys):
        raise ValueError(
            "every target is 1, which fits both label conventions: pass labels=(-1, 1) "
            "or labels=(0, 1) (or a threshold)"
        )
    return 0.0, 1.0  # the targets are not labels at all: refused by the caller


def _class_index(t: Any, classes: int, i: int) -> int:
    if isinstance(t, bool):
        raise TypeError(f"class index {i} must be an int, not bool")
    try:
        k = operator.index(t)
    except TypeError:
        raise TypeError(f"class index {i} must be an int, not {type(t).__name__}") from None
    if not 0 <= k < classes:
        raise ValueError(f"class index {k} out of range for {classes} classes (sample {i})")
    return k


def _argmax(xs: Sequence[Any]) -> int:
    best, best_i = -math.inf, 0
    for i, x in enumerate(xs):
        d = x.data if isinstance(x, Value) else float(x)
        if d > best:
            best, best_i = d, i
    return best_i


# The label convention of each one-output classification loss: the (negative, positive)
# labels it trains on and the output threshold between them. ``fit`` scores its accuracy
# by it (so targets that are all +1 are no longer ambiguous) and the training view colours
# its points by it.
CONVENTIONS: dict[Any, tuple[tuple[float, float], float]] = {
    hinge_loss: ((-1.0, 1.0), 0.0),
    binary_cross_entropy: ((0.0, 1.0), 0.5),
    binary_cross_entropy_with_logits: ((0.0, 1.0), 0.0),
}
