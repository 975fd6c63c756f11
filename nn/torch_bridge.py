"""``nn.MLP`` to ``torch.nn.Sequential`` and back, and the PyTorch layout of its weights.

``to_torch`` makes one ``torch.nn.Linear`` per layer (weight (out, in), bias
(out,), the same values) followed by the module of its activation;
``from_torch`` reads such a ``Sequential`` back. ``torch_state`` and
``from_torch_state`` convert between chaingrad's parameters and PyTorch's
layout (``layers.0.weight`` as nested lists) and need no torch at all.
PyTorch is imported only by ``to_torch`` and ``from_torch``; without it they
raise an ``ImportError`` that says how to install it.
"""

from __future__ import annotations

from typing import Any

import autograd
from autograd import Value
from autograd.extend import import_torch
from nn import activations
from nn.activations import Activation, LeakyReLU, activation_name
from nn.module import MLP, torch_state

# torch.nn.Softplus returns x itself above its threshold (20 by default), about
# 2e-9 below log(1 + e**x); from 40 on, log(1 + e**x) rounds to x in float64, so
# with this threshold the module is chaingrad's softplus to the last bit or two
SOFTPLUS_THRESHOLD = 40.0


# ---------------------------------------------------------------- activations


def _torch_activation(torch: Any, fn: Activation, where: str) -> Any:
    """The torch.nn module computing ``fn`` exactly, or None for the identity."""
    tnn = torch.nn
    if fn is activations.identity:
        return None
    if fn in (activations.relu, Value.relu, autograd.relu):
        return tnn.ReLU()
    if fn in (activations.tanh, Value.tanh, autograd.tanh):
        return tnn.Tanh()
    if fn in (activations.sigmoid, Value.sigmoid, autograd.sigmoid):
        return tnn.Sigmoid()
    if fn is activations.leaky_relu:
        return tnn.LeakyReLU(0.01)
    if isinstance(fn, LeakyReLU):
        return tnn.LeakyReLU(fn.slope)
    if fn in (activations.softplus, Value.softplus, autograd.softplus):
        return tnn.Softplus(beta=1.0, threshold=SOFTPLUS_THRESHOLD)
    if fn in (Value.gelu, autograd.gelu):
        return tnn.GELU()  # the exact (erf) form, as the engine's
    if fn in (Value.silu, autograd.silu):
        return tnn.SiLU()
    raise ValueError(
        f"{where}: activation {activation_name(fn)!r} has no exact equivalent in torch.nn "
        "(supported: identity, relu, tanh, sigmoid, leaky_relu, softplus, gelu, silu)"
    )


def _chaingrad_activation(torch: Any, module: Any, where: str) -> Activation:
    """The chaingrad activation of a torch.nn activation module."""
    tnn = torch.nn
    kind = type(module)
    if kind is tnn.Identity:
        return activations.identity
    if kind is tnn.ReLU:
        return activations.relu
    if kind is tnn.Tanh:
        return activations.tanh
    if kind is tnn.Sigmoid:
        return activations.sigmoid
    if kind is tnn.LeakyReLU:
        slope = float(module.negative_slope)
        return activations.leaky_relu if slope == 0.01 else LeakyReLU(slope)
    if kind is tnn.Softplus:
        if module.beta != 1.0:
            raise ValueError(
                f"{where} (Softplus with beta={module.beta}): only beta=1 is supported"
            )
        # any threshold: chaingrad's softplus is the exact log(1 + e**x) (see README)
        return activations.softplus
    if kind is tnn.GELU:
        if module.approximate != "none":
            raise ValueError(
                f"{where} (GELU with approximate={module.approximate!r}): only the exact "
                "GELU (approximate='none') is supported"
            )
        return autograd.gelu
    if kind is tnn.SiLU:
        return autograd.silu
    raise ValueError(
        f"{where} ({kind.__name__}) is not supported: nn.MLP.from_torch reads a Sequential of "
        "Linear layers, each followed by at most one of Identity, ReLU, Tanh, Sigmoid, "
        "LeakyReLU, Softplus, GELU, SiLU"
    )


# ---------------------------------------------------------------- to and from torch


def _refuse_own_forward(model: MLP) -> None:
    """An MLP (or one of its layers or neurons) whose class computes its own
    forward would be exported as the plain layers: a different function."""
    parts = [model, *getattr(model, "layers", [])]
    parts += [n for layer in getattr(model, "layers", []) for n in getattr(layer, "neurons", [])]
    for part in parts:
        cls = type(part)
        base = next(k for k in cls.__mro__ if k.__module__ == "nn.module")
        for name in ("__call__", "_forward"):
            if getattr(cls, name, None) is not getattr(base, name, None):
                raise TypeError(
                    f"to_torch: {cls.__name__} overrides {name}, so the exported layers would "
                    f"compute another function than the model; export a plain {base.__name__} "
                    "or build the torch module by hand"
                )


def to_torch(model: MLP, dtype: Any = None) -> Any:
    """``model`` as a ``torch.nn.Sequential`` (float64 unless ``dtype`` says otherwise)."""
    _refuse_own_forward(model)
    torch = import_torch()
    dtype = torch.float64 if dtype is None else dtype
    if not (isinstance(dtype, torch.dtype) and dtype.is_floating_point):
        raise TypeError(f"dtype must be a floating-point torch.dtype, not {dtype!r}")
    state = torch_state(model)
    modules = []
    for i, layer in enumerate(model.layers):
        first = layer.neurons[0]
        linear = torch.nn.Linear(
            layer.nin, layer.nout, bias=first.b is not None, dtype=dtype, device="cpu"
        )
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(state[f"layers.{i}.weight"], dtype=dtype))
            if linear.bias is not None:
                linear.bias.copy_(torch.tensor(state[f"layers.{i}.bias"], dtype=dtype))
        modules.append(linear)
        act = _torch_activation(torch, first.activation, f"layer {i}")
        if act is not None:
            modules.append(act)
    return torch.nn.Sequential(*modules)


def from_torch(module: Any, cls: type[MLP] = MLP) -> MLP:
    """An ``nn.MLP`` (or of its subclass ``cls``) equal to ``module``, a
    ``torch.nn.Sequential`` of ``Linear`` layers each followed by at most one
    supported activation."""
    torch = import_torch()

    if not isinstance(module, torch.nn.Sequential):
        raise TypeError(f"expected a torch.nn.Sequential, not {type(module).__name__}")
    linears: list[Any] = []
    acts: list[Activation] = []
    for i, child in enumerate(module):
        where = f"module {i}"
        if isinstance(child, torch.nn.Linear):
            if type(child) is not torch.nn.Linear:
                raise ValueError(f"{where} ({type(child).__name__}) is not a plain Linear layer")
            if linears and child.in_features != linears[-1].out_features:
                raise ValueError(
                    f"{where} (Linear) takes {child.in_features} inputs but the layer before "
                    f"gives {linears[-1].out_features}"
                )
            if linears and (child.bias is None) != (linears[0].bias is None):
                raise ValueError(
                    f"{where} (Linear): nn.MLP has a bias in every layer or in none, and "
                    "this layer differs from the first"
                )
            linears.append(child)
            acts.append(activations.identity)
            continue
        if not linears:
            raise ValueError(f"{where} ({type(child).__name__}) comes before any Linear layer")
        act = _chaingrad_activation(torch, child, where)
        if acts[-1] is not activations.identity:
            raise ValueError(
                f"{where} ({type(child).__name__}) follows another activation; nn.MLP has "
                "one activation per layer"
            )
        acts[-1] = act
    if not linears:
        raise ValueError("the Sequential has no Linear layer")
    hidden = acts[:-1]
    for i, act in enumerate(hidden[1:], start=1):
        if act != hidden[0]:
            raise ValueError(
                f"Linear layer {i} is followed by {activation_name(act)!r} but layer 0 by "
                f"{activation_name(hidden[0])!r}: nn.MLP uses one activation for all hidden layers"
            )
    model = cls(
        linears[0].in_features,
        [lin.out_features for lin in linears],
        activation=hidden[0] if hidden else None,
        output_activation=acts[-1],
        bias=linears[0].bias is not None,
    )
    state: dict[str, Any] = {}
    for i, lin in enumerate(linears):
        state[f"layers.{i}.weight"] = lin.weight.detach().cpu().double().tolist()
        if lin.bias is not None:
            state[f"layers.{i}.bias"] = lin.bias.detach().cpu().double().tolist()
    model.load_state_dict(state, layout="torch")
    return model
