"""chaingrad's autograd: a scalar reverse-mode automatic differentiation engine.

>>> from autograd import Value
>>> a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
>>> J = 3 * (a + b * c)
>>> J.backward()
>>> a.grad, b.grad, c.grad
(3.0, 6.0, 9.0)
"""

from autograd.backprop import backpropagate, topological_order
from autograd.engine import Parameter, Value, dot
from autograd.engine import sum as sum  # noqa: A004 - see __all__ below
from autograd.explain import BackwardStep, Contribution, backward_steps, explain, local_grads
from autograd.functional import GradcheckError, grad, gradcheck, numerical_grad, value_and_grad
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

# `sum` is importable as autograd.sum but kept out of __all__, so that
# `from autograd import *` never shadows the builtin.
__all__ = [
    "AnomalyError",
    "BackwardStep",
    "Contribution",
    "GradcheckError",
    "Parameter",
    "Player",
    "Value",
    "backpropagate",
    "backward_steps",
    "detect_anomaly",
    "dot",
    "draw_dot",
    "enable_grad",
    "explain",
    "gc_paused",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "local_grads",
    "no_grad",
    "numerical_grad",
    "player",
    "render",
    "render_steps",
    "to_dot",
    "topological_order",
    "tree",
    "value_and_grad",
]
