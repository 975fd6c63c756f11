"""``autograd.compile``: trace a function once, replay it as straight-line Python.

- ``trace``: ``compile`` and ``Compiled``: the contract, the cache, the guards, code generation;
- ``arguments``: what a call takes in and gives back (the cache key, traced arguments, aux);
- ``watch``: what ``f`` does to Values while traced (``.data`` reads, refused writes);
- ``symbolic``: each op's own forward and rule run on placeholders that record their arithmetic;
- ``wide``: nodes with very many inputs (a long ``dot`` or ``sum``) replayed as loops over
  the op's own forward and accumulate, so that code grows with the graph, not the width;
- ``names``: the names generated code refers to; ``bytecode``: the CPython internals
  ``symbolic`` relies on (code objects, frames, shadow globals).
"""

from autograd.compiler.trace import Compiled, CompileMismatch
from autograd.compiler.trace import compile as compile  # noqa: A004 - autograd.compile

__all__ = ["CompileMismatch", "Compiled"]
