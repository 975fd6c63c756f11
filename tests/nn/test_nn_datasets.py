"""nn.datasets: pure-Python, seeded, (X, y) lists with the promised shapes."""

import math
import random
import statistics

import pytest

from nn import datasets


def is_matrix(X, n, d):
    return len(X) == n and all(len(row) == d and all(type(v) is float for v in row) for row in X)


def test_xor_and_logic_gates():
    X, y = datasets.xor()
    assert X == [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    assert y == [0, 1, 1, 0]
    assert datasets.logic("and")[1] == [0, 0, 0, 1]
    assert datasets.logic("or")[1] == [0, 1, 1, 1]
    assert datasets.logic("NAND")[1] == [1, 1, 1, 0]
    assert datasets.logic("xor") == (X, y)
    with pytest.raises(ValueError, match="unknown gate 'implies'.*and, or, nand"):
        datasets.logic("implies")


def test_moons_shape_labels_and_seeding():
    X, y = datasets.moons(100, noise=0.1, rng=0)
    assert is_matrix(X, 100, 2)
    assert sorted(y) == [0] * 50 + [1] * 50
    assert y != sorted(y)  # shuffled
    assert datasets.moons(100, noise=0.1, rng=0) == (X, y)
    assert datasets.moons(100, noise=0.1, rng=random.Random(0)) == (X, y)
    assert datasets.moons(100, noise=0.1, rng=1) != (X, y)
    assert datasets.moons() == (X, y)  # defaults: n=100, noise=0.1, rng=0


def test_moons_without_noise_lie_on_the_two_half_circles():
    X, y = datasets.moons(51, noise=0.0, rng=3)
    assert y.count(0) == 25 and y.count(1) == 26
    for (a, b), label in zip(X, y):
        if label == 0:  # the upper arc: centre (0, 0), y >= 0
            assert math.hypot(a, b) == pytest.approx(1.0) and b >= -1e-15
        else:  # the lower arc: centre (1, 0.5), y <= 0.5
            assert math.hypot(a - 1.0, b - 0.5) == pytest.approx(1.0) and b <= 0.5 + 1e-15


def test_moons_noise_has_the_requested_size():
    X, y = datasets.moons(400, noise=0.2, rng=5)
    # the distance from each arc's centre deviates from 1 by about the noise
    dev = [
        math.hypot(a, b) - 1.0 if t == 0 else math.hypot(a - 1.0, b - 0.5) - 1.0
        for (a, b), t in zip(X, y)
    ]
    assert 0.15 < statistics.pstdev(dev) < 0.25


def test_diamond_labels_follow_the_rule():
    X, y = datasets.diamond(500, rng=0)
    assert is_matrix(X, 500, 2)
    assert all(-1.0 <= v <= 1.0 for row in X for v in row)
    assert y == [int(abs(a) + abs(b) < 1.0) for a, b in X]
    assert 0.4 < sum(y) / 500 < 0.6  # the diamond covers half of the square
    assert datasets.diamond(500) == (X, y)


def test_linear_regression_data():
    X, y = datasets.linear(50, [2.0, 5.0], 1.5, rng=1)
    assert is_matrix(X, 50, 2)
    assert y == [pytest.approx(2.0 * a + 5.0 * b + 1.5, abs=1e-14) for a, b in X]
    Xn, yn = datasets.linear(2000, [2.0, 5.0], 1.5, noise=0.5, rng=1)
    residuals = [t - (2.0 * a + 5.0 * b + 1.5) for (a, b), t in zip(Xn, yn)]
    assert statistics.pstdev(residuals) == pytest.approx(0.5, rel=0.1)
    with pytest.raises(ValueError, match="noise"):
        datasets.linear(5, [1.0], 0.0, noise=-1.0)


def test_blobs():
    centers = [[0.0, 0.0], [10.0, 10.0], [-10.0, 5.0]]
    X, y = datasets.blobs(90, centers, rng=2, std=0.5)
    assert is_matrix(X, 90, 2)
    assert [y.count(k) for k in range(3)] == [30, 30, 30]
    for k, c in enumerate(centers):
        pts = [x for x, t in zip(X, y) if t == k]
        assert statistics.fmean(p[0] for p in pts) == pytest.approx(c[0], abs=0.5)
        assert statistics.fmean(p[1] for p in pts) == pytest.approx(c[1], abs=0.5)
    X4, y4 = datasets.blobs(10, 4, rng=0)
    assert is_matrix(X4, 10, 2) and sorted(set(y4)) == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="centers"):
        datasets.blobs(10, [[0.0, 0.0], [1.0]])


def test_spiral():
    X, y = datasets.spiral(90, 3, rng=0)
    assert is_matrix(X, 90, 2)
    assert [y.count(k) for k in range(3)] == [30, 30, 30]
    assert all(math.hypot(a, b) <= 1.0 + 1e-12 for a, b in X)
    Xc, yc = datasets.spiral(30, 3, rng=0, noise=0.0)
    for k in range(3):  # without noise each arm is the same curve, rotated by 4 radians
        radii = sorted(math.hypot(a, b) for (a, b), t in zip(Xc, yc) if t == k)
        assert radii == pytest.approx([i / 9 for i in range(10)])
    assert datasets.spiral(90, 3, rng=0) == (X, y)


@pytest.mark.parametrize(
    "call",
    [
        lambda: datasets.moons(1),
        lambda: datasets.moons(10, noise=-0.1),
        lambda: datasets.diamond(0),
        lambda: datasets.spiral(10, 0),
        lambda: datasets.blobs(10, 0),
    ],
)
def test_bad_sizes_raise_value_error(call):
    with pytest.raises(ValueError):
        call()
