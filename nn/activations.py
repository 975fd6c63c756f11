"""Activation functions, by name or as callables, each carrying its derivative.

Every activation maps one ``Value`` to one ``Value`` and is built from engine
ops, so the graph holds the right derivative: the smooth ones are single engine
nodes, and the piecewise-constant ones (``step``, ``threshold``, ``sign``) are a
constant whose derivative with respect to the input is 0 everywhere except at
the jump, where it is taken as 0 too.

Values at the kinks (the lectures disagree, so the choice is stated here):
``relu'(0) = 0``, ``step(0) = 0.5``, ``threshold(0) = 1``, ``sign(0) = 0``,
``hard_sigmoid(0) = 0.5``.
"""

from __future__ import annotations

from collections.abc import Callable

from autograd import Value, extend
from autograd.extend import RULES, detached

Activation = Callable[[Value], Value]


def identity(x: Value) -> Value:
    """f(z) = z, f'(z) = 1 (a linear unit; returns ``x`` itself, adding no node)."""
    return x


def sigmoid(x: Value) -> Value:
    """f(z) = 1 / (1 + e**-z), f'(z) = f(z) (1 - f(z))."""
    return x.sigmoid()


def tanh(x: Value) -> Value:
    """f(z) = tanh(z), f'(z) = 1 - f(z)**2."""
    return x.tanh()


def relu(x: Value) -> Value:
    """f(z) = max(z, 0), f'(z) = 1 for z > 0, else 0."""
    return x.relu()


def leaky_relu(x: Value) -> Value:
    """f(z) = max(0.01 z, z), f'(z) = 1 for z > 0, else 0.01."""
    return x.leaky_relu(0.01)


class LeakyReLU:
    """``leaky_relu`` with a slope of your choice, as an activation:
    ``nn.MLP(2, [8, 1], activation=nn.LeakyReLU(0.2))`` (the name "leaky_relu"
    has slope 0.01). What ``MLP.from_torch`` makes of ``torch.nn.LeakyReLU``.

    Args:
        slope: the slope for z <= 0.

    Raises:
        TypeError: ``slope`` is not a number.

    Examples:
        >>> import nn
        >>> act = nn.LeakyReLU(0.2)
        >>> from autograd import Value
        >>> act(Value(-1.0)).data
        -0.2
        >>> nn.MLP(2, [4, 1], activation=act, rng=0).layers[0]
        Layer(2 -> 4, leaky_relu(0.2))
    """

    def __init__(self, slope: float = 0.01) -> None:
        if isinstance(slope, bool) or not isinstance(slope, (int, float)):
            raise TypeError(f"LeakyReLU slope must be a number, not {type(slope).__name__}")
        self.slope = float(slope)
        self.__name__ = f"leaky_relu({self.slope:g})"

    def __call__(self, x: Value) -> Value:
        """f(z) = z for z > 0, slope * z otherwise."""
        return x.leaky_relu(self.slope)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LeakyReLU) and other.slope == self.slope

    def __hash__(self) -> int:
        return hash(("LeakyReLU", self.slope))

    def __repr__(self) -> str:
        return f"LeakyReLU({self.slope!r})"


def softplus(x: Value) -> Value:
    """f(z) = ln(1 + e**z) (computed stably), f'(z) = sigmoid(z)."""
    return x.softplus()


def gaussian(x: Value) -> Value:
    """f(z) = e**(-z**2 / 2) (mu = 0, sigma = 1), f'(z) = -z f(z)."""
    return (x * x * -0.5).exp()


def _constant(x: Value, c: Value | float) -> Value:
    """A node equal to ``c`` whose derivative with respect to ``x`` is 0.

    ``x * 0.0`` alone would turn an infinite ``x`` into nan; squashing with
    tanh first keeps the result ``c`` for any non-nan ``x`` (nan stays nan).
    The piecewise-constant units pick ``c`` from the data with
    ``autograd.core.value.detached``, which ``autograd.compile`` recomputes at
    every call (a branch on ``x.data`` would be invisible to it).
    """
    return x.tanh() * 0.0 + c


def _step_level(z: float) -> float:
    return 1.0 if z > 0.0 else 0.0 if z < 0.0 else 0.5 if z == 0.0 else z


def _threshold_level(z: float) -> float:
    return 1.0 if z >= 0.0 else -1.0 if z < 0.0 else z


def step(x: Value) -> Value:
    """Unit step (Heaviside): 0 for z < 0, 0.5 at 0, 1 for z > 0; f'(z) = 0."""
    return _constant(x, detached(_step_level, x))


def threshold(x: Value) -> Value:
    """The lecture's threshold unit: 1 for z >= 0, -1 for z < 0; f'(z) = 0."""
    return _constant(x, detached(_threshold_level, x))


def sign(x: Value) -> Value:
    """Signum: -1 for z < 0, 0 at 0, 1 for z > 0; f'(z) = 0."""
    return _constant(x, detached(extend.sign, x))


def hard_sigmoid(x: Value) -> Value:
    """Piecewise linear: 0 for z <= -1/2, z + 1/2 in between, 1 for z >= 1/2.

    f'(z) = 1 strictly inside (-1/2, 1/2) and 0 outside. (The branch compares
    Values, which ``autograd.compile`` records as guards.)
    """
    if x <= -0.5:
        return _constant(x, 0.0)
    if x >= 0.5:
        return _constant(x, 1.0)
    return x + 0.5  # inside, and also for nan (which stays nan)


ACTIVATIONS: dict[str, Activation] = {
    "identity": identity,
    "linear": identity,
    "sigmoid": sigmoid,
    "logistic": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "softplus": softplus,
    "gaussian": gaussian,
    "step": step,
    "threshold": threshold,
    "sign": sign,
    "hard_sigmoid": hard_sigmoid,
    "piecewise_linear": hard_sigmoid,
}


def get_activation(activation: str | Activation | None) -> Activation:
    """The activation function for a name (see ``ACTIVATIONS``), a callable, or None (identity).

    Raises ``ValueError`` listing the names for an unknown name, ``TypeError``
    for anything that is neither a name nor callable.

    Args:
        activation: a name from ``ACTIVATIONS``, a callable (returned as is), or None.

    Returns:
        The activation function, a Value-to-Value callable.

    Raises:
        TypeError: ``activation`` is neither a name, a callable nor None.
        ValueError: an unknown name (the message lists the names).

    Examples:
        >>> import nn
        >>> from autograd import Value
        >>> nn.get_activation('tanh')(Value(0.0)).data
        0.0
    """
    if activation is None:
        return identity
    if isinstance(activation, str):
        fn = ACTIVATIONS.get(activation)
        if fn is None:
            choices = ", ".join(sorted(ACTIVATIONS))
            raise ValueError(f"unknown activation {activation!r}; choose one of: {choices}")
        return fn
    if callable(activation):
        return activation
    raise TypeError(
        f"activation must be a name, a callable or None, not {type(activation).__name__}"
    )


# The activations that are exactly one engine method, for the hot path: calling
# the method directly saves a Python call per neuron.
_ENGINE_METHODS: dict[Activation, Activation] = {
    sigmoid: Value.sigmoid,
    tanh: Value.tanh,
    relu: Value.relu,
    softplus: Value.softplus,
}


def fast_activation(fn: Activation) -> Activation | None:
    """What to call for ``fn`` in a forward pass: the engine method itself where
    ``fn`` is one, None for ``identity`` (nothing to call), else ``fn``."""
    if fn is identity:
        return None
    return _ENGINE_METHODS.get(fn, fn)


def float_forward(fn: Activation) -> Callable[[float], float] | None:
    """The float function of an activation that is one engine op (that op's own forward,
    read from the engine's rules), or None for any other activation."""
    method = _ENGINE_METHODS.get(fn)
    return None if method is None else RULES[method.__name__].forward  # type: ignore[attr-defined]


def activation_name(fn: Activation) -> str:
    """A short readable name for an activation function (for reprs)."""
    return getattr(fn, "__name__", None) or type(fn).__name__
