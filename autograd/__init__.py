"""chaingrad's autograd: a scalar reverse-mode automatic differentiation engine.

The names of ``__all__``, by room:

- the engine (``autograd.core``): ``Value``, ``Parameter``, ``dot``, ``topological_order``,
  ``backpropagate``; the modes ``no_grad``, ``enable_grad``, ``is_grad_enabled``,
  ``detect_anomaly`` (``AnomalyError``) and ``gc_paused``;
- derivatives as functions (``autograd.functional``): ``grad``, ``value_and_grad``,
  ``jacobian``, ``hessian``, ``numerical_grad``, ``gradcheck`` (``GradcheckError``,
  ``ConstantOutputWarning``);
- what a person sees (``autograd.display``): ``explain``, ``tree``, ``backward_steps``,
  ``local_grads`` (``BackwardStep``, ``Contribution``), ``to_dot``, ``draw_dot``,
  ``render``, ``render_steps``, ``player`` (``Player``);
- speed (``autograd.compiler``): ``compile`` (``Compiled``);
- checking against PyTorch (``autograd.testing``): ``compare_with_torch``.

Every op is also a function of numbers or Values, importable by name (``autograd.exp``,
``autograd.atan2``, ...; the list is ``autograd.functions.__all__``), and so are
``autograd.sum``, ``autograd.abs`` and ``autograd.compile``: they stay out of ``__all__``
so that ``from autograd import *`` brings the engine's names and never shadows a builtin
or ``math``'s functions. ``autograd.extend`` is the surface for code built on the engine
(``nn``, ops you define); ``autograd.testing`` is the derivative test kit.

Examples:
    >>> from autograd import Value
    >>> a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    >>> J = 3 * (a + b * c)
    >>> J.backward()
    >>> a.grad, b.grad, c.grad
    (3.0, 6.0, 9.0)
"""

from autograd import practice as practice  # quizzes, exercises, check_backward
from autograd.compiler import Compiled
from autograd.compiler import compile as compile  # noqa: A004 - see the docstring
from autograd.core import (
    AnomalyError,
    Parameter,
    Value,
    backpropagate,
    detect_anomaly,
    dot,
    enable_grad,
    gc_paused,
    is_grad_enabled,
    no_grad,
    topological_order,
)
from autograd.core import sum as sum  # noqa: A004 - see the docstring
from autograd.display import (
    BackwardStep,
    Contribution,
    Player,
    backward_steps,
    draw_dot,
    explain,
    local_grads,
    player,
    render,
    render_steps,
    to_dot,
    tree,
)
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

# every op as a function, importable by name (autograd.exp, ...): see the docstring
from autograd.functions import *  # noqa: F403
from autograd.functions import abs as abs  # noqa: A004 - see the docstring
from autograd.testing.compare import compare_with_torch

__version__ = "0.1.0"

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
    "backpropagate",
    "backward_steps",
    "compare_with_torch",
    "detect_anomaly",
    "dot",
    "draw_dot",
    "enable_grad",
    "explain",
    "gc_paused",
    "grad",
    "gradcheck",
    "hessian",
    "is_grad_enabled",
    "jacobian",
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
