"""The lecture notes' worked examples, runnable: ``python -m demos``.

Each demo module has ``DESCRIPTION`` (one line), ``FILES`` (the pictures it
draws) and ``run(out, quick, plots) -> bool``, True when every reproducible
number matches the lecture within its tolerance.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# The tour order: from one derivative to a trained network.
DEMOS: tuple[str, ...] = (
    "gradient_descent",
    "computation_graph",
    "linear_regression",
    "sigmoid_outputs",
    "logic_gates",
    "logistic_regression",
    "softmax_classifier",
    "feedforward",
    "backprop_by_hand",
    "diamond",
    "moons",
    "activations",
    "taylor",
)


def load(name: str) -> ModuleType:
    """Import one demo module by name; ValueError for an unknown name."""
    if name not in DEMOS:
        raise ValueError(f"unknown demo {name!r}; choose one of: {', '.join(DEMOS)}")
    return importlib.import_module(f"demos.{name}")


__all__ = ["DEMOS", "load"]
