"""The engine: what a learner reads first. It imports nothing above it.

- ``node``: what a node stores, decoded in one place;
- ``graph``: the graph algorithms (topological order, the backward pass), below ``Value``;
- ``value``: ``Value``, each op's method with its derivative rule right below it,
  and the n-ary ops ``dot`` and ``sum``;
- ``modes``: ``no_grad``, ``enable_grad``, ``detect_anomaly``, ``gc_paused``;
- ``ieee``: the float helpers the ops share (IEEE results, never an exception);
- ``copying``: copy, deepcopy and pickle of a graph at any depth.
"""

from autograd.core.graph import backpropagate, topological_order
from autograd.core.modes import (
    AnomalyError,
    detect_anomaly,
    enable_grad,
    gc_paused,
    is_grad_enabled,
    no_grad,
)
from autograd.core.node import Node, is_nary, rule_of
from autograd.core.value import (
    Constant,
    NoGradResult,
    Parameter,
    Value,
    detached,
    dot,
    dot_unchecked,
    identity,
)
from autograd.core.value import sum as sum  # noqa: A004 - autograd.sum, by design

__all__ = [
    "AnomalyError",
    "Constant",
    "NoGradResult",
    "Node",
    "Parameter",
    "Value",
    "backpropagate",
    "detached",
    "detect_anomaly",
    "dot",
    "dot_unchecked",
    "enable_grad",
    "gc_paused",
    "identity",
    "is_grad_enabled",
    "is_nary",
    "no_grad",
    "rule_of",
    "topological_order",
]
