"""chaingrad's nn: a small neural-network library on top of ``autograd``.

Examples:
    >>> import nn
    >>> model = nn.MLP(2, [4, 1], activation="tanh", rng=0)
    >>> X, y = nn.datasets.xor()
    >>> history = nn.fit(model, X, y, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1),
    ...                  epochs=2, progress=False)
    >>> len(history["loss"])
    2

Activations by name (``ACTIVATIONS`` lists them):
    >>> sorted(nn.ACTIVATIONS)[:4]
    ['gaussian', 'hard_sigmoid', 'identity', 'leaky_relu']
"""

from nn import datasets
from nn.activations import ACTIVATIONS, LeakyReLU, get_activation
from nn.losses import (
    accuracy,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge_loss,
    l2_penalty,
    log_softmax,
    mse_loss,
    softmax,
)
from nn.module import MLP, Layer, Module, Neuron, manual_seed
from nn.optim import SGD, Adam, Optimizer
from nn.train import History, fit
from nn.view import TrainingView, plot_decision_boundary

__all__ = [
    "ACTIVATIONS",
    "MLP",
    "History",
    "SGD",
    "Adam",
    "TrainingView",
    "Layer",
    "LeakyReLU",
    "Module",
    "Neuron",
    "Optimizer",
    "accuracy",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "datasets",
    "fit",
    "get_activation",
    "hinge_loss",
    "l2_penalty",
    "log_softmax",
    "manual_seed",
    "mse_loss",
    "plot_decision_boundary",
    "softmax",
]
