"""Losses, softmax and accuracy: values from their formulas, gradients by
central differences, stability at extreme inputs, and clear errors."""

import json
import math
from pathlib import Path

import pytest

import autograd
import nn
from autograd import Value

DATA = Path(__file__).parents[1] / "data"  # tests/data

CASE = next(
    c
    for c in json.loads((DATA / "seed_cases.json").read_text())["cases"]
    if c["id"] == "softmax_cross_entropy"
)


def values(xs):
    return [Value(x) for x in xs]


def data(vs):
    return [v.data for v in vs]


# ---------------------------------------------------------------- softmax


def test_softmax_and_cross_entropy_match_the_lecture_case():
    e = CASE["expected"]
    o = values(CASE["inputs"]["o"])
    p = nn.softmax(o)
    assert data(p) == pytest.approx(e["softmax"], abs=1e-12)
    assert math.fsum(data(p)) == pytest.approx(e["softmax_sum"], abs=1e-15)
    assert max(range(3), key=lambda i: p[i].data) == e["argmax_softmax_equals_argmax_o"]
    target = CASE["inputs"]["y_onehot"].index(1.0)
    loss = nn.cross_entropy(o, target)
    assert loss.data == pytest.approx(e["cross_entropy"], abs=1e-12)
    loss.backward()
    assert data(o) == CASE["inputs"]["o"]
    assert [v.grad for v in o] == pytest.approx(e["dCE_do"], abs=1e-12)  # p - y


def test_binary_cross_entropy_matches_the_lecture_case():
    b = CASE["inputs"]["binary"]
    loss = nn.binary_cross_entropy(values(b["h"]), b["y"])
    assert loss.data == pytest.approx(CASE["expected"]["binary_cross_entropy"], abs=1e-12)


def test_softmax_is_stable_for_huge_logits():
    p = nn.softmax(values([1000.0, 1001.0, 1002.0]))
    assert data(p) == pytest.approx(CASE["expected"]["softmax"], abs=1e-12)
    p = nn.softmax(values([-1000.0, 0.0]))
    assert data(p) == [0.0, 1.0]
    lp = nn.log_softmax(values([1000.0, 0.0]))
    assert data(lp) == [0.0, -1000.0]
    assert nn.cross_entropy(values([0.0, 800.0]), 0).data == pytest.approx(800.0)


def test_log_softmax_is_log_of_softmax_and_has_the_right_gradient():
    z = [0.3, -1.2, 2.5, 0.0]
    lp = nn.log_softmax(values(z))
    assert data(lp) == pytest.approx([math.log(p.data) for p in nn.softmax(values(z))], abs=1e-12)
    for k in range(4):
        assert autograd.gradcheck(lambda *zs, k=k: nn.log_softmax(list(zs))[k], *z)
        assert autograd.gradcheck(lambda *zs, k=k: nn.softmax(list(zs))[k], *z)


# ---------------------------------------------------------------- the losses


def test_mse_one_sample_and_batch():
    p = values([1.0, 2.0])
    loss = nn.mse_loss(p, [0.0, 4.0])
    assert loss.data == (1.0 + 4.0) / 2
    loss.backward()
    assert data(p) == [1.0, 2.0] and [v.grad for v in p] == [1.0, -2.0]  # 2 (p - t) / n
    batch = [values([1.0, 2.0]), values([3.0, 3.0])]
    assert nn.mse_loss(batch, [[0.0, 4.0], [3.0, 5.0]]).data == (1 + 4 + 0 + 4) / 4
    assert nn.mse_loss(Value(3.0), 1.0).data == 4.0
    # a one-element row matches a number: a single-output model's list works as is
    assert nn.mse_loss([[Value(3.0)], [Value(1.0)]], [1.0, 1.0]).data == 2.0


def test_binary_cross_entropy_values_and_edges():
    p = Value(0.8)
    loss = nn.binary_cross_entropy([p], [1])
    assert loss.data == pytest.approx(-math.log(0.8))
    loss.backward()
    assert p.grad == pytest.approx(-1 / 0.8)
    # exact 0/1 probabilities: IEEE inf where the loss really is infinite, no hidden epsilon
    assert nn.binary_cross_entropy([Value(1.0)], [1]).data == 0.0
    assert nn.binary_cross_entropy([Value(0.0)], [0]).data == 0.0
    assert nn.binary_cross_entropy([Value(0.0)], [1]).data == math.inf
    assert nn.binary_cross_entropy([Value(1.0)], [0]).data == math.inf
    # soft targets use both terms
    got = nn.binary_cross_entropy([Value(0.3)], [0.25]).data
    assert got == pytest.approx(-(0.25 * math.log(0.3) + 0.75 * math.log(0.7)))


def test_bce_with_logits_equals_bce_of_sigmoid_and_is_stable():
    zs, ts = [-2.0, 0.5, 3.0, 0.0], [0, 1, 1, 0.3]
    a = nn.binary_cross_entropy_with_logits(values(zs), ts).data
    b = nn.binary_cross_entropy([Value(z).sigmoid() for z in zs], ts).data
    assert a == pytest.approx(b, abs=1e-12)
    assert autograd.gradcheck(lambda *z: nn.binary_cross_entropy_with_logits(list(z), ts), *zs)
    # far logits: finite, and the gradient saturates at sigmoid(z) - t
    z = Value(-800.0)
    loss = nn.binary_cross_entropy_with_logits([z], [1])
    assert loss.data == pytest.approx(800.0)
    loss.backward()
    assert z.grad == pytest.approx(-1.0)
    assert nn.binary_cross_entropy_with_logits([Value(800.0)], [1]).data == 0.0


def test_cross_entropy_batch_is_the_mean_and_has_the_right_gradient():
    rows = [[0.1, 0.2, 0.3], [2.0, -1.0, 0.5]]
    targets = [2, 0]
    batch = nn.cross_entropy([values(r) for r in rows], targets).data
    single = [nn.cross_entropy(values(r), t).data for r, t in zip(rows, targets)]
    assert batch == pytest.approx(sum(single) / 2, abs=1e-15)
    assert autograd.gradcheck(
        lambda *z: nn.cross_entropy([list(z[:3]), list(z[3:])], targets), *rows[0], *rows[1]
    )


def test_hinge_loss():
    s = values([2.0, 0.5, -0.3])
    loss = nn.hinge_loss(s, [1, 1, 1])
    assert loss.data == pytest.approx((0.0 + 0.5 + 1.3) / 3)
    loss.backward()
    assert [v.grad for v in s] == pytest.approx([0.0, -1 / 3, -1 / 3])
    assert nn.hinge_loss([Value(-2.0)], [-1]).data == 0.0


def test_l2_penalty():
    ps = values([1.0, -2.0, 3.0])
    pen = nn.l2_penalty(ps, 0.5)
    assert pen.data == 0.5 * (1 + 4 + 9)
    pen.backward()
    assert [p.grad for p in ps] == [1.0, -2.0, 3.0]  # d(alpha p**2)/dp = 2 alpha p
    model = nn.MLP(2, [3, 1], rng=0)
    want = 1e-4 * sum(p.data**2 for p in model.parameters())
    assert nn.l2_penalty(model, 1e-4).data == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: nn.mse_loss(values([1.0, 2.0]), [1.0]), ValueError, "2 predictions but 1"),
        (lambda: nn.mse_loss([], []), ValueError, "empty"),
        (
            lambda: nn.mse_loss([values([1.0, 2.0]), values([3.0])], [[1, 2], [3, 4]]),
            ValueError,
            "sample 1: 1 predictions but 2 targets",
        ),
        (lambda: nn.mse_loss([values([1.0, 2.0])], [1.0, 2.0]), ValueError, "1 predictions but 2"),
        (lambda: nn.mse_loss(values([1.0]), 1.0), ValueError, "must both be lists"),
        (lambda: nn.mse_loss(values([1.0]), ["a"]), TypeError, "target 0"),
        (lambda: nn.mse_loss(["x"], [1.0]), TypeError, "prediction 0"),
        (lambda: nn.binary_cross_entropy(values([0.5]), [2]), ValueError, r"\[0, 1\]"),
        (lambda: nn.binary_cross_entropy_with_logits(values([0.5]), [-1]), ValueError, r"\[0, 1\]"),
        (lambda: nn.hinge_loss(values([0.5, 1.0]), [1, 0]), ValueError, "-1 or \\+1; label 1"),
        (lambda: nn.hinge_loss(values([0.5]), [1, -1]), ValueError, "1 predictions but 2"),
        (lambda: nn.cross_entropy(values([1.0, 2.0]), 2), ValueError, "out of range"),
        (lambda: nn.cross_entropy(values([1.0, 2.0]), -1), ValueError, "out of range"),
        (lambda: nn.cross_entropy(values([1.0, 2.0]), 1.0), TypeError, "must be an int"),
        (lambda: nn.cross_entropy([values([1.0])], [0, 0]), ValueError, "1 logit rows but 2"),
        (lambda: nn.softmax([]), ValueError, "empty"),
        (lambda: nn.l2_penalty(values([1.0]), "big"), TypeError, "alpha"),
    ],
)
def test_bad_input_raises_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---------------------------------------------------------------- accuracy


def test_accuracy_single_output():
    # labels -1/+1: the sign of the score decides
    assert nn.accuracy(values([0.3, -2.0, 0.1, -0.1]), [1, -1, -1, 1]) == 0.5
    # labels 0/1: probabilities against 1/2, or logits with threshold=0
    assert nn.accuracy([0.9, 0.4, 0.6], [1, 0, 0]) == pytest.approx(2 / 3)
    assert nn.accuracy([2.0, -0.5, 0.2], [1, 0, 0], threshold=0.0) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="labels 0/1"):
        nn.accuracy([0.5, 0.5], [0, 2])
    with pytest.raises(ValueError, match="2 outputs but 1"):
        nn.accuracy([0.5, 0.5], [0])


def test_accuracy_several_outputs_uses_argmax():
    outputs = [values([0.1, 0.9, 0.0]), values([2.0, 1.0, 0.0]), values([0.0, 0.0, 5.0])]
    assert nn.accuracy(outputs, [1, 0, 0]) == pytest.approx(2 / 3)
    assert nn.accuracy(outputs, [[0, 1, 0], [1, 0, 0], [0, 0, 1]]) == 1.0
