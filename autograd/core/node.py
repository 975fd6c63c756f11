"""What a node of the graph stores, and the one place its storage is decoded.

Every ``Value`` is a ``Node``: its float ``data``, its ``grad``, its ``label``,
and how it was made. The inputs are kept in two slots rather than a tuple
(one garbage-collected object per node instead of two):

- a leaf: ``_a is None and _b is None`` (and ``_rule is None``);
- a unary op: ``(x, None)``;
- a binary op: ``(x, y)``;
- an n-ary op (``dot``, ``sum``): ``(tuple of inputs, MANY)``.

``_rule`` is the op's derivative rule (see ``autograd.core.value``) and
``_mark`` is scratch space for graph traversals (see ``graph``). Code outside
``autograd.core`` reads a node through ``parents``, ``op`` and ``rule_of``;
only the traversals in ``graph`` decode the slots themselves, for speed.
"""

from __future__ import annotations

from typing import Any


class _Many:
    """The type of ``MANY``: one object, that pickles and copies as itself."""

    __slots__ = ()

    def __reduce__(self) -> str:
        return "MANY"  # by reference to this module's MANY

    def __repr__(self) -> str:
        return "MANY"


MANY = _Many()  # in _b: this n-ary node keeps the tuple of its inputs in _a


class Node:
    """The storage of a graph node (``Value`` adds the ops).

    Examples:
        >>> from autograd import Value
        >>> y = Value(2.0) * Value(3.0)
        >>> isinstance(y, Node), y.data, y.op, len(y.parents)
        (True, 6.0, '*', 2)
    """

    __slots__ = ("data", "grad", "label", "_a", "_b", "_rule", "_mark")

    data: float
    grad: Any  # a float; a Value after backward(create_graph=True)
    label: str
    _a: Any
    _b: Any
    _rule: Any
    _mark: Any

    @property
    def parents(self) -> tuple[Any, ...]:
        """The input nodes, in operand order; () for a leaf."""
        a, b = self._a, self._b
        if b is None:
            return () if a is None else (a,)
        return a if b is MANY else (a, b)  # type: ignore[no-any-return]

    @property
    def op(self) -> str:
        """The op that made this node: "" for a leaf, else "+", "*", "**2", "tanh", ..."""
        return "" if self._rule is None else self._rule.op  # type: ignore[no-any-return]

    @property
    def is_leaf(self) -> bool:
        """True for a node no op made (an input, a parameter, a constant)."""
        return self._rule is None


def rule_of(node: Node) -> Any:
    """The derivative rule of the op that made ``node`` (None for a leaf).

    A rule is called as ``rule(g, out, *inputs)`` and returns the inputs'
    gradients (one for a unary op, a pair for a binary op, a list for an
    n-ary op); it carries ``op``, ``forward`` and ``formula`` (see
    ``autograd.core.value._rule``), and an n-ary rule also ``accumulate``.

    Args:
        node: any graph node.

    Returns:
        The rule, or None for a leaf.

    Examples:
        >>> from autograd import Value
        >>> a = Value(2.0)
        >>> y = a * a
        >>> rule = rule_of(y)
        >>> rule.op, rule.formula, rule_of(a)
        ('*', ('{y}', '{x}'), None)
        >>> rule(1.0, y.data, 2.0, 2.0)  # d(x*y)/dx = y, d(x*y)/dy = x
        (2.0, 2.0)
    """
    return node._rule


def is_nary(node: Node) -> bool:
    """True for a node of an n-ary op (``dot``, ``sum``), whose rule returns a list.

    Args:
        node: any graph node.

    Returns:
        Whether the op that made ``node`` takes any number of inputs.

    Examples:
        >>> from autograd import Value, dot
        >>> a, b = Value(1.0), Value(2.0)
        >>> is_nary(dot([a, b], [b, a])), is_nary(a * b), is_nary(a)
        (True, False, False)
    """
    return node._b is MANY
