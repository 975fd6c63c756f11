"""What the benchmarks share: timing, and the reference they measure against.

The reference for a training step is micrograd's moons demo (MLP, relu, hinge
loss + L2, plain SGD) written with Python floats and hand-derived gradients:
the practical limit for pure Python.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(fns: list[Callable[[], object]], repeats: int) -> list[float]:
    """The fastest of ``repeats`` runs of each function, in seconds. The runs
    are interleaved, so that a busy moment of a shared machine hits all of them."""
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t)
    return best


def hand_mlp_step(
    weights: list[list[list[float]]],
    X: list[list[float]],
    y: list[float],
    lr: float,
    alpha: float = 1e-4,
) -> float:
    """One SGD step, in place, of an MLP with relu hidden layers and a linear
    output, on mean hinge loss + ``alpha`` * sum of squared parameters; returns
    the loss before the step. ``weights[l][j] = [w_1, ..., w_nin, b]`` is
    neuron j of layer l; labels are -1/+1."""
    nl = len(weights)
    inv_n = 1.0 / len(X)
    grads = [[[0.0] * len(neuron) for neuron in layer] for layer in weights]
    data_loss = 0.0
    for x, t in zip(X, y):
        acts = [x]  # the input of each layer
        pre = []  # pre-activations of each layer
        a = x
        for li, layer in enumerate(weights):
            zs = []
            for neuron in layer:
                s = neuron[-1]
                for w, v in zip(neuron, a):
                    s += w * v
                zs.append(s)
            pre.append(zs)
            a = [z if z > 0.0 else 0.0 for z in zs] if li < nl - 1 else zs
            acts.append(a)
        margin = 1.0 - t * a[0]
        if margin > 0.0:  # d relu(1 - t s) / ds = -t inside the margin, else 0
            data_loss += margin
            delta = [-t * inv_n]
        else:
            delta = [0.0]
        for li in range(nl - 1, -1, -1):
            layer, inp, g_layer = weights[li], acts[li], grads[li]
            back = [0.0] * len(inp)
            for j, neuron in enumerate(layer):
                d = delta[j]
                gj = g_layer[j]
                for k, v in enumerate(inp):
                    gj[k] += d * v  # dL/dw = delta * input
                    back[k] += d * neuron[k]  # dL/dinput = delta * w
                gj[-1] += d
            if li:
                delta = [b if z > 0.0 else 0.0 for b, z in zip(back, pre[li - 1])]
    reg = 0.0
    for layer in weights:
        for neuron in layer:
            for p in neuron:
                reg += p * p
    loss = data_loss * inv_n + alpha * reg
    for layer, g_layer in zip(weights, grads):
        for neuron, gn in zip(layer, g_layer):
            for k, p in enumerate(neuron):
                neuron[k] = p - lr * (gn[k] + 2.0 * alpha * p)  # d(alpha p**2)/dp
    return loss
