"""chaingrad's autograd: a scalar reverse-mode automatic differentiation engine.

Examples:
    >>> from autograd import Value
    >>> a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    >>> J = 3 * (a + b * c)
    >>> J.backward()
    >>> a.grad, b.grad, c.grad
    (3.0, 6.0, 9.0)
"""

from autograd.backprop import backpropagate, topological_order
from autograd.compare import compare_with_torch
from autograd.compiler import Compiled
from autograd.compiler import compile as compile  # noqa: A004 - see __all__ below
from autograd.engine import Parameter, Value, dot
from autograd.engine import sum as sum  # noqa: A004 - see __all__ below
from autograd.explain import BackwardStep, Contribution, backward_steps, explain, local_grads
from autograd.functional import (
    ConstantOutputWarning,
    GradcheckError,
    grad,
    gradcheck,
    hessian,
    jacobian,
    numerical_grad,
    value_and_grad,
)
from autograd.functions import abs as abs  # noqa: A004 - see __all__ below
from autograd.functions import (
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    ceil,
    clamp,
    cos,
    cosh,
    deg2rad,
    degrees,
    erf,
    erfc,
    exp,
    exp2,
    expm1,
    floor,
    gelu,
    hypot,
    leaky_relu,
    log,
    log1p,
    log2,
    log10,
    maximum,
    minimum,
    rad2deg,
    radians,
    relu,
    sigmoid,
    sign,
    silu,
    sin,
    sinc,
    sinh,
    softplus,
    sqrt,
    tan,
    tanh,
    trunc,
)
from autograd.modes import (
    AnomalyError,
    detect_anomaly,
    enable_grad,
    gc_paused,
    is_grad_enabled,
    no_grad,
)
from autograd.player import Player, player
from autograd.viz import draw_dot, render, render_steps, to_dot, tree

__version__ = "0.1.0"

# `sum`, `abs` and `compile` are importable as autograd.sum, autograd.abs and
# autograd.compile but kept out of __all__, so that `from autograd import *`
# never shadows the builtins.
__all__ = [
    "AnomalyError",
    "BackwardStep",
    "Compiled",
    "ConstantOutputWarning",
    "Contribution",
    "GradcheckError",
    "Parameter",
    "Player",
    "Value",
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "backpropagate",
    "backward_steps",
    "ceil",
    "clamp",
    "compare_with_torch",
    "cos",
    "cosh",
    "deg2rad",
    "degrees",
    "detect_anomaly",
    "dot",
    "draw_dot",
    "enable_grad",
    "erf",
    "erfc",
    "exp",
    "exp2",
    "explain",
    "expm1",
    "floor",
    "gc_paused",
    "gelu",
    "grad",
    "gradcheck",
    "hessian",
    "hypot",
    "is_grad_enabled",
    "jacobian",
    "leaky_relu",
    "local_grads",
    "log",
    "log10",
    "log1p",
    "log2",
    "maximum",
    "minimum",
    "no_grad",
    "numerical_grad",
    "player",
    "rad2deg",
    "radians",
    "relu",
    "render",
    "render_steps",
    "sigmoid",
    "sign",
    "silu",
    "sin",
    "sinc",
    "sinh",
    "softplus",
    "sqrt",
    "tan",
    "tanh",
    "to_dot",
    "topological_order",
    "tree",
    "trunc",
    "value_and_grad",
]
