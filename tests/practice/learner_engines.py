"""Value classes as learners write them, from the lecture's description of a micrograd-style
engine: one correct, and one per mistake ``check_backward`` must catch."""

from __future__ import annotations

import math
from collections.abc import Callable


class Scalar:
    """Correct: each op records its inputs and a closure that adds (+=) its share of the
    gradient to each input; ``backward`` sorts the graph with an explicit stack, starts the
    interior gradients afresh (leaves accumulate, as in PyTorch) and runs the closures from the
    output back."""

    def __init__(self, data: float, _children: tuple[Scalar, ...] = ()) -> None:
        self.data = float(data)
        self.grad = 0.0
        self._prev = _children
        self._backward: Callable[[], None] = lambda: None

    def __add__(self, other: Scalar) -> Scalar:
        out = type(self)(self.data + other.data, (self, other))

        def _backward() -> None:
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Scalar) -> Scalar:
        out = type(self)(self.data * other.data, (self, other))

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, n: float) -> Scalar:
        out = type(self)(self.data**n, (self,))

        def _backward() -> None:
            self.grad += n * self.data ** (n - 1) * out.grad

        out._backward = _backward
        return out

    def __neg__(self) -> Scalar:
        return self * type(self)(-1.0)

    def __sub__(self, other: Scalar) -> Scalar:
        return self + (-other)

    def tanh(self) -> Scalar:
        t = math.tanh(self.data)
        out = type(self)(t, (self,))

        def _backward() -> None:
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out

    def relu(self) -> Scalar:
        out = type(self)(self.data if self.data > 0 else 0.0, (self,))

        def _backward() -> None:
            self.grad += (out.data > 0) * out.grad

        out._backward = _backward
        return out

    def exp(self) -> Scalar:
        out = type(self)(math.exp(self.data), (self,))

        def _backward() -> None:
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def topological_order(self) -> list[Scalar]:
        order: list[Scalar] = []
        done: set[Scalar] = set()
        stack: list[tuple[Scalar, bool]] = [(self, False)]
        while stack:
            v, expanded = stack.pop()
            if expanded:
                order.append(v)
                continue
            if v in done:
                continue
            done.add(v)
            stack.append((v, True))
            stack.extend((p, False) for p in v._prev if p not in done)
        return order

    def backward(self) -> None:
        order = self.topological_order()
        for v in order:
            if v._prev:
                v.grad = 0.0
        self.grad = 1.0
        for v in reversed(order):
            v._backward()


class NoReset(Scalar):
    """micrograd's behaviour: nothing is reset, the output's gradient is set to 1."""

    def backward(self) -> None:
        self.grad = 1.0
        for v in reversed(self.topological_order()):
            v._backward()


class RecursiveNoOrder(Scalar):
    """Recursion from the output into its inputs, with no topological order."""

    def backward(self) -> None:
        self.grad = 1.0
        self._push()

    def _push(self) -> None:
        self._backward()
        for child in self._prev:
            child._push()  # type: ignore[attr-defined]


class NotReversed(Scalar):
    """A post-order (inputs first) processed as it is, not reversed."""

    def backward(self) -> None:
        order = self.topological_order()
        for v in order:
            if v._prev:
                v.grad = 0.0
        self.grad = 1.0
        for v in order:
            v._backward()


class AssignNotAdd(Scalar):
    """``=`` instead of ``+=`` in the rules of ``+`` and ``*``."""

    def __add__(self, other: Scalar) -> Scalar:
        out = type(self)(self.data + other.data, (self, other))

        def _backward() -> None:
            self.grad = out.grad
            other.grad = out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Scalar) -> Scalar:
        out = type(self)(self.data * other.data, (self, other))

        def _backward() -> None:
            self.grad = other.data * out.grad
            other.grad = self.data * out.grad

        out._backward = _backward
        return out


class RecursiveSort(Scalar):
    """Correct rules, but the topological order is built by recursion (micrograd's build_topo)."""

    def topological_order(self) -> list[Scalar]:
        order: list[Scalar] = []
        visited: set[Scalar] = set()

        def build(v: Scalar) -> None:
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build(child)
                order.append(v)

        build(self)
        return order


class NoRelu:
    """A correct class without relu, tanh or exp (the graphs needing them are skipped)."""

    def __init__(self, data: float) -> None:
        self._v = Scalar(data)

    @classmethod
    def _wrap(cls, v: Scalar) -> NoRelu:
        out = cls.__new__(cls)
        out._v = v
        return out

    @property
    def data(self) -> float:
        return self._v.data

    @property
    def grad(self) -> float:
        return self._v.grad

    def __add__(self, other: NoRelu) -> NoRelu:
        return self._wrap(self._v + other._v)

    def __mul__(self, other: NoRelu) -> NoRelu:
        return self._wrap(self._v * other._v)

    def __sub__(self, other: NoRelu) -> NoRelu:
        return self._wrap(self._v - other._v)

    def __pow__(self, n: float) -> NoRelu:
        return self._wrap(self._v**n)

    def backward(self) -> None:
        self._v.backward()
