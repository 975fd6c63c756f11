"""The stable surface for code built on the engine: ``nn``, your own ops, your own tools.

For defining an op with its derivative (what the lecture's exercises ask)::

    >>> from autograd import Value
    >>> from autograd.extend import RULES, op
    >>> softsign = op(
    ...     "mysoftsign",
    ...     forward=lambda x: x / (1.0 + abs(x)),
    ...     rule=lambda g, out, x: g * (1.0 / (1.0 + abs(x)) ** 2),  # d/dx = 1/(1+|x|)^2
    ...     formula=("1/(1 + |{x}|)²",),
    ... )
    >>> x = Value(1.0, label="x")
    >>> y = softsign(x)
    >>> y.backward()
    >>> y.data, x.grad, y.op
    (0.5, 0.25, 'mysoftsign')
    >>> del RULES["mysoftsign"]  # frees the name, so that this example can run again

The rest is for library code (``nn`` imports only ``autograd`` and this module):

- ``Node``, ``Constant``, ``NoGradResult``: the node classes besides ``Value`` and ``Parameter``;
- ``rule_of``, ``is_nary``, ``RULES``: an op's derivative rule, read from a node or by name;
- ``detached(fn, *values)``: a constant computed from the data, recomputed by a compiled replay;
- ``dot_unchecked``: ``dot`` for inputs known to be Values of the same length;
- ``identity``: a fresh node equal to its input;
- ``to_float``, ``nonnegative``, ``sign``: the engine's number checks and IEEE helpers;
- ``import_torch``: PyTorch, or an ImportError that says how to install it;
- ``number``, ``picture``: numbers as every drawing writes them, and the player's picture of
  a graph, for pages that show a graph's numbers their own way (``nn.TrainingView``).
"""

from autograd.core import (
    Constant,
    Node,
    NoGradResult,
    detached,
    dot_unchecked,
    identity,
    is_nary,
    rule_of,
)
from autograd.core.ieee import nonnegative, sign, to_float
from autograd.core.value import RULES, op
from autograd.display.formatting import number
from autograd.display.page import picture
from autograd.testing.compare import import_torch

__all__ = [
    "RULES",
    "Constant",
    "NoGradResult",
    "Node",
    "detached",
    "dot_unchecked",
    "identity",
    "import_torch",
    "is_nary",
    "nonnegative",
    "number",
    "op",
    "picture",
    "rule_of",
    "sign",
    "to_float",
]
