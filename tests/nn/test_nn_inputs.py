"""nn's conventions and argument checks under hostile use (issue 11, items 11-13):
accuracy's label convention, binary cross entropy from large logits, and clear
errors for arguments that used to crash or be silently misread."""

from __future__ import annotations

import math

import pytest

import autograd
import nn
from autograd import Value

# ---------------------------------------------------------------- item 11: accuracy


def test_a_batch_of_only_positives_scores_right_with_its_labels() -> None:
    # a hinge-loss score of 0.3 for a +1 sample is right; as a probability for
    # label 1 it is wrong: the convention has to be said, it cannot be guessed
    assert nn.accuracy([0.3], [1], labels=(-1, 1)) == 1.0
    assert nn.accuracy([0.3], [1], labels=(0, 1)) == 0.0
    assert nn.accuracy([0.7, 0.9], [1, 1], labels=(0, 1)) == 1.0


def test_only_positives_without_a_convention_is_an_error_not_a_guess() -> None:
    with pytest.raises(ValueError, match=r"labels=\(-1, 1\) or labels=\(0, 1\)"):
        nn.accuracy([0.3], [1])
    assert nn.accuracy([0.3], [1], threshold=0.0) == 1.0  # a threshold settles it too


def test_the_negative_label_in_the_batch_tells_the_convention() -> None:
    assert nn.accuracy([0.3], [0]) == 1.0  # 0/1 labels: threshold 0.5, 0.3 predicts 0
    assert nn.accuracy([-0.3], [-1]) == 1.0  # -1/+1 labels: threshold 0
    assert nn.accuracy([0.3, -2.0], [1, -1]) == 1.0
    assert nn.accuracy([0.3, 0.2], [1, 0]) == 0.5


def test_mixed_or_foreign_labels_are_refused() -> None:
    with pytest.raises(ValueError, match="labels"):
        nn.accuracy([0.3, 0.2, 0.1], [1, 0, -1])
    with pytest.raises(ValueError, match="target 0 is 2.0"):
        nn.accuracy([0.3], [2])
    with pytest.raises(ValueError, match="target 0 is 0.0"):
        nn.accuracy([0.3], [0], labels=(-1, 1))
    with pytest.raises(ValueError, match="labels must be"):
        nn.accuracy([0.3], [1], labels=(1, 0))


def test_class_indices_out_of_range_raise() -> None:
    outputs = [[0.1, 0.9], [0.8, 0.2]]
    assert nn.accuracy(outputs, [1, 0]) == 1.0
    with pytest.raises(ValueError, match="class index 2 out of range for 2 classes"):
        nn.accuracy(outputs, [1, 2])
    with pytest.raises(ValueError, match="class index -1 out of range"):
        nn.accuracy(outputs, [-1, 0])
    with pytest.raises(TypeError, match="class index"):
        nn.accuracy(outputs, [1.0, 0])


# ---------------------------------------------------------------- item 12: bce with logits


def test_large_logits_do_not_swallow_small_terms() -> None:
    # per sample: softplus(1e16) - 1e16 = 0 and softplus(0) - 0 = ln 2; mean ln2 / 2
    loss = nn.binary_cross_entropy_with_logits([Value(1e16), Value(0.0)], [1, 0])
    assert loss.data == pytest.approx(math.log(2) / 2, rel=1e-15)


@pytest.mark.parametrize("z", [-800.0, -40.0, -1e-3, 0.0, 1e-3, 3.0, 40.0, 800.0])
@pytest.mark.parametrize("t", [0.0, 0.25, 1.0])
def test_bce_with_logits_per_sample_value_and_gradient(z: float, t: float) -> None:
    x = Value(z)
    loss = nn.binary_cross_entropy_with_logits([x], [t])
    # softplus(z) - t z, written so that nothing cancels: (1 - t) z + log1p(e^-z)
    # for z >= 0, and -t z + log1p(e^z) for z < 0
    expected = (
        (1 - t) * z + math.log1p(math.exp(-z)) if z >= 0 else -t * z + math.log1p(math.exp(z))
    )
    assert loss.data == pytest.approx(expected, rel=1e-15, abs=1e-300)
    loss.backward()
    # d/dz = s(z) - t, written as (1 - t) - s(-z) for z >= 0 so that it keeps
    # its digits where s(z) rounds to 1
    e = math.exp(-abs(z))
    slope = (1 - t) - e / (1 + e) if z >= 0 else e / (1 + e) - t
    assert x.grad == pytest.approx(slope, rel=1e-12, abs=1e-300)


def test_bce_with_logits_small_tails_keep_their_precision() -> None:
    # log(1 + e^-40) = 4.25e-18: the old softplus(z) - t z gave exactly 0
    assert nn.binary_cross_entropy_with_logits([Value(40.0)], [1]).data == pytest.approx(
        math.log1p(math.exp(-40.0)), rel=1e-15
    )
    assert nn.binary_cross_entropy_with_logits([Value(-40.0)], [0]).data == pytest.approx(
        math.log1p(math.exp(-40.0)), rel=1e-15
    )


def test_bce_with_logits_gradcheck() -> None:
    assert autograd.gradcheck(
        lambda a, b: nn.binary_cross_entropy_with_logits([a, b], [0.3, 1.0]), 0.7, -1.2, order=2
    )


# ---------------------------------------------------------------- item 13: argument checks


@pytest.mark.parametrize("fan_out", [0, -2])
def test_neuron_fan_out_must_be_positive(fan_out: int) -> None:
    with pytest.raises(ValueError, match="fan_out must be at least 1"):
        nn.Neuron(2, init="xavier", fan_out=fan_out)


@pytest.mark.parametrize("fan_out", [1.5, "3", None, True])
def test_neuron_fan_out_must_be_an_int(fan_out) -> None:
    with pytest.raises(TypeError, match="fan_out must be an int"):
        nn.Neuron(2, init="xavier", fan_out=fan_out)


def test_adam_betas_must_be_a_pair() -> None:
    p = [autograd.Parameter(1.0)]
    with pytest.raises(ValueError, match=r"betas must be a pair \(beta1, beta2\), got 3 values"):
        nn.Adam(p, betas=(0.9, 0.99, 0.999))
    with pytest.raises(TypeError, match="betas must be a pair"):
        nn.Adam(p, betas=0.9)


class Index:
    """An integer type that is not int (as numpy's are): usable as an index."""

    def __init__(self, i: int) -> None:
        self.i = i

    def __index__(self) -> int:
        return self.i


def test_cross_entropy_takes_integer_types_such_as_numpys() -> None:
    z = [Value(0.5), Value(2.0), Value(-1.0)]
    expected = nn.cross_entropy(z, 1).data
    assert nn.cross_entropy(z, Index(1)).data == expected
    assert nn.cross_entropy([z], [Index(1)]).data == expected
    np = pytest.importorskip("numpy", reason="numpy comes with the demos extra")
    assert nn.cross_entropy(z, np.int64(1)).data == expected


@pytest.mark.parametrize("bad", [1.0, "1", True, None])
def test_cross_entropy_target_of_a_wrong_type(bad) -> None:
    with pytest.raises(TypeError, match="target index must be an int"):
        nn.cross_entropy([Value(0.5), Value(2.0)], bad)


@pytest.mark.parametrize("p", [1.5, -0.25])
def test_binary_cross_entropy_refuses_probabilities_outside_0_1(p: float) -> None:
    with pytest.raises(ValueError, match=r"prediction 1 is .* outside \[0, 1\]"):
        nn.binary_cross_entropy([Value(0.5), Value(p)], [1, 1])


def test_binary_cross_entropy_nan_prediction_stays_nan() -> None:
    assert math.isnan(nn.binary_cross_entropy([Value(math.nan)], [1]).data)


def test_datasets_linear_weights_and_bias_must_be_numbers() -> None:
    with pytest.raises(TypeError, match="weights must be a sequence of numbers"):
        nn.datasets.linear(3, "12", 0)
    with pytest.raises(TypeError, match=r"weights\[1\] must be a number"):
        nn.datasets.linear(3, [1.0, "2"], 0)
    with pytest.raises(TypeError, match="bias must be a number"):
        nn.datasets.linear(3, [1.0, 2.0], "0")


@pytest.mark.parametrize("noise", [math.inf, math.nan, -1.0])
def test_datasets_noise_must_be_finite_and_not_negative(noise: float) -> None:
    with pytest.raises(ValueError, match="noise must be a finite number >= 0"):
        nn.datasets.moons(10, noise=noise)
    with pytest.raises(ValueError, match="std must be a finite number >= 0"):
        nn.datasets.blobs(10, std=noise)


def test_datasets_noise_of_a_wrong_type() -> None:
    with pytest.raises(TypeError, match="noise must be a number"):
        nn.datasets.moons(10, noise="0.1")
