"""``autograd.compile``: trace a function once, replay it as straight-line Python.

- ``trace``: ``compile`` and ``Compiled``: the contract, the cache, the guards, code generation;
- ``symbolic``: each op's own forward and rule run on placeholders that record their arithmetic.
"""

from autograd.compiler.trace import Compiled, CompileMismatch
from autograd.compiler.trace import compile as compile  # noqa: A004 - autograd.compile

__all__ = ["CompileMismatch", "Compiled"]
