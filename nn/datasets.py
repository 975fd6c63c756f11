"""Small seeded data sets in pure Python. Each returns ``(X, y)``: X a list of
rows (lists of floats), y a list of labels (ints) or targets (floats for
``linear``). ``rng`` is a ``random.Random`` or an int seed.

Examples:
    >>> from nn import datasets
    >>> X, y = datasets.xor()
    >>> X, y
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    >>> X, y = datasets.moons(10, noise=0.1, rng=0)
    >>> len(X), sorted(set(y))
    (10, [0, 1])
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

from autograd import extend
from nn.module import make_rng

Data = tuple[list[list[float]], list[Any]]

_GATES = {
    "and": lambda a, b: a & b,
    "or": lambda a, b: a | b,
    "nand": lambda a, b: 1 - (a & b),
    "nor": lambda a, b: 1 - (a | b),
    "xor": lambda a, b: a ^ b,
    "xnor": lambda a, b: 1 - (a ^ b),
}


def logic(gate: str) -> tuple[list[list[float]], list[int]]:
    """The truth table of a two-input gate ("and", "or", "nand", "nor", "xor", "xnor"),
    rows in the order (0,0), (0,1), (1,0), (1,1), labels 0/1."""
    fn = _GATES.get(gate.lower()) if isinstance(gate, str) else None
    if fn is None:
        raise ValueError(f"unknown gate {gate!r}; choose one of: {', '.join(_GATES)}")
    rows = [(0, 0), (0, 1), (1, 0), (1, 1)]
    return [[float(a), float(b)] for a, b in rows], [fn(a, b) for a, b in rows]


def xor() -> tuple[list[list[float]], list[int]]:
    """The XOR truth table: the classic problem one layer cannot solve."""
    return logic("xor")


def _check_n(n: int, least: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, not {type(n).__name__}")
    if n < least:
        raise ValueError(f"n must be at least {least}, got {n}")
    return n


def _number(x: float, what: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"{what} must be a number, not {type(x).__name__}")
    return extend.to_float(x)


def _shuffled(X: list[list[float]], y: list[Any], r: random.Random) -> Data:
    order = list(range(len(X)))
    r.shuffle(order)
    return [X[i] for i in order], [y[i] for i in order]


def moons(n: int = 100, noise: float = 0.1, rng: random.Random | int | None = 0) -> Data:
    """Two interleaving half circles (like scikit-learn's make_moons), labels 0/1.

    Label 0: the upper arc (cos t, sin t); label 1: the lower arc
    (1 - cos t, 1/2 - sin t), t evenly spaced in [0, pi]; then Gaussian noise
    with standard deviation ``noise`` on both coordinates, and a shuffle.
    For hinge loss map the labels to -1/+1: ``[2 * t - 1 for t in y]``.
    """
    _check_n(n, 2)
    noise = extend.nonnegative(noise, "noise")
    r = make_rng(rng)
    n_outer = n // 2
    n_inner = n - n_outer
    X: list[list[float]] = []
    y: list[int] = []
    for k in range(n_outer):
        t = math.pi * k / (n_outer - 1) if n_outer > 1 else 0.0
        X.append([math.cos(t), math.sin(t)])
        y.append(0)
    for k in range(n_inner):
        t = math.pi * k / (n_inner - 1) if n_inner > 1 else 0.0
        X.append([1.0 - math.cos(t), 0.5 - math.sin(t)])
        y.append(1)
    if noise:
        X = [[a + r.gauss(0.0, noise), b + r.gauss(0.0, noise)] for a, b in X]
    return _shuffled(X, y, r)


def diamond(n: int = 500, rng: random.Random | int | None = 0) -> Data:
    """The lecture's data: points uniform in [-1, 1]^2, label 1 where |x| + |y| < 1, else 0."""
    _check_n(n)
    r = make_rng(rng)
    X = [[r.uniform(-1.0, 1.0), r.uniform(-1.0, 1.0)] for _ in range(n)]
    y = [int(abs(a) + abs(b) < 1.0) for a, b in X]
    return X, y


def linear(
    n: int,
    weights: Sequence[float],
    bias: float,
    noise: float = 0.0,
    rng: random.Random | int | None = 0,
) -> tuple[list[list[float]], list[float]]:
    """Regression data y = weights . x + bias + N(0, noise**2), x uniform in [-1, 1]^d."""
    _check_n(n)
    noise = extend.nonnegative(noise, "noise")
    if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence):
        raise TypeError(f"weights must be a sequence of numbers, not {type(weights).__name__}")
    ws = [_number(w, f"weights[{i}]") for i, w in enumerate(weights)]
    bias = _number(bias, "bias")
    if not ws:
        raise ValueError("weights must have at least one entry")
    r = make_rng(rng)
    X = [[r.uniform(-1.0, 1.0) for _ in ws] for _ in range(n)]
    y = []
    for x in X:
        t = math.fsum(w * xi for w, xi in zip(ws, x)) + bias
        y.append(t + r.gauss(0.0, noise) if noise else t)
    return X, y


def blobs(
    n: int,
    centers: int | Sequence[Sequence[float]] = 3,
    rng: random.Random | int | None = 0,
    *,
    std: float = 1.0,
) -> tuple[list[list[float]], list[int]]:
    """Gaussian clusters, label = index of the cluster.

    ``centers`` is a list of points, or a count (centers drawn uniformly in
    [-10, 10]^2). Points are spread over the clusters as evenly as possible and
    drawn from N(center, std**2) in each coordinate, then shuffled.
    """
    _check_n(n)
    std = extend.nonnegative(std, "std")
    r = make_rng(rng)
    if isinstance(centers, bool):
        raise TypeError("centers must be a count or a list of points, not bool")
    if isinstance(centers, int):
        if centers < 1:
            raise ValueError(f"centers must be at least 1, got {centers}")
        cs = [[r.uniform(-10.0, 10.0), r.uniform(-10.0, 10.0)] for _ in range(centers)]
    else:
        cs = [[float(c) for c in center] for center in centers]
        if not cs or len({len(c) for c in cs}) != 1 or not cs[0]:
            raise ValueError("centers must be a count or a non-empty list of same-length points")
    X: list[list[float]] = []
    y: list[int] = []
    for k, c in enumerate(cs):
        count = n // len(cs) + (k < n % len(cs))
        for _ in range(count):
            X.append([ci + r.gauss(0.0, std) for ci in c])
            y.append(k)
    return _shuffled(X, y, r)


def spiral(
    n: int, classes: int = 3, rng: random.Random | int | None = 0, *, noise: float = 0.2
) -> tuple[list[list[float]], list[int]]:
    """Interleaved spiral arms in the plane, one per class (the CS231n toy problem).

    ``n`` points in total, spread evenly over ``classes`` arms; point k of an arm
    lies at radius k / (m - 1) and angle 4 (class + radius) plus N(0, noise**2)
    radians.
    """
    _check_n(n)
    _check_n(classes)
    noise = extend.nonnegative(noise, "noise")
    r = make_rng(rng)
    X: list[list[float]] = []
    y: list[int] = []
    for c in range(classes):
        m = n // classes + (c < n % classes)
        for k in range(m):
            radius = k / (m - 1) if m > 1 else 0.0
            angle = 4.0 * (c + radius) + (r.gauss(0.0, noise) if noise else 0.0)
            X.append([radius * math.sin(angle), radius * math.cos(angle)])
            y.append(c)
    return _shuffled(X, y, r)
