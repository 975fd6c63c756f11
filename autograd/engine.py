"""The ``Value`` node and reverse-mode differentiation.

Every op is defined in one place: its method computes the forward float and
names its derivative rule, which sits right below it. A rule receives the
output's gradient ``g``, the output ``out`` and the inputs, and returns the
inputs' gradients (one value for a unary op, a pair for a binary op, a list
for n-ary ops). Rules are written with arithmetic and the helpers ``_exp``,
``_log``, ... that work on floats *and* on Values, so the same rule serves the
float-fast ordinary backward pass and ``create_graph=True``, where gradients
are Values with a graph of their own (higher-order derivatives).

Design notes:
- No closures per node and no node refers to itself: nodes are freed by
  reference counting alone, never by the cyclic garbage collector.
- Graph traversal uses explicit stacks, never recursion.
- ``no_grad`` and ``detect_anomaly`` live in one ``contextvars`` variable, so the
  hot path pays for a single lookup per op.
"""

from __future__ import annotations

import builtins
import contextlib
import contextvars
import gc
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from autograd import _ieee

Number = int | float | bool

_NO_GRAD = 1
_ANOMALY = 2
_mode: contextvars.ContextVar[int] = contextvars.ContextVar("chaingrad_mode", default=0)
_get_mode = _mode.get  # bound once: the hot path calls it for every node


class AnomalyError(ArithmeticError):
    """Raised inside ``detect_anomaly()`` when an op turns finite inputs into nan or inf."""


# ---------------------------------------------------------------- the node


class Value:
    """A scalar node of a computation graph: one float and its gradient.

    >>> a, b = Value(2.0, label="a"), Value(3.0, label="b")
    >>> y = a * b + a
    >>> y.backward()
    >>> a.grad, b.grad
    (4.0, 2.0)
    """

    # The inputs are kept in two slots instead of a tuple: _a and _b for a
    # binary op, _a and None for a unary op, a tuple and _MANY for an n-ary op,
    # None and None for a leaf. One object per node instead of two halves the
    # work of Python's cyclic garbage collector, which dominated micrograd.
    __slots__ = ("data", "grad", "label", "_a", "_b", "_rule")

    data: float
    grad: Any  # float, or a Value after backward(create_graph=True)
    label: str

    def __init__(self, data: Number, label: str = "") -> None:
        if type(data) is not float:
            if not isinstance(data, (int, float)):  # bool is an int
                raise TypeError(
                    f"Value data must be an int, float or bool, not {type(data).__name__}"
                )
            data = float(data)
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, not {type(label).__name__}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self._a = self._b = self._rule = None

    # ------------------------------------------------------------ basics

    @property
    def parents(self) -> tuple[Value, ...]:
        """The input nodes, in operand order; () for a leaf."""
        a, b = self._a, self._b
        if b is None:
            return () if a is None else (a,)
        return a if b is _MANY else (a, b)

    @property
    def op(self) -> str:
        """The op that produced this node: "" for a leaf, else "+", "*", "**2", "tanh", ..."""
        rule = self._rule
        return "" if rule is None else rule.op

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def __float__(self) -> float:
        return float(self.data)

    def __format__(self, spec: str) -> str:
        return format(self.data, spec) if spec else repr(self)

    # Identity semantics: `==` and hash stay those of object, so nodes can be
    # kept in sets and dicts. Ordering compares the data and returns a bool.
    def __lt__(self, other: Operand) -> bool:
        o = _data_of(other)
        return NotImplemented if o is None else self.data < o

    def __le__(self, other: Operand) -> bool:
        o = _data_of(other)
        return NotImplemented if o is None else self.data <= o

    def __gt__(self, other: Operand) -> bool:
        o = _data_of(other)
        return NotImplemented if o is None else self.data > o

    def __ge__(self, other: Operand) -> bool:
        o = _data_of(other)
        return NotImplemented if o is None else self.data >= o

    # ------------------------------------------------------------ arithmetic

    def __add__(self, other: Operand) -> Value:
        if other.__class__ is not Value:
            other = _lift(other)
            if other is None:
                return NotImplemented
        return _node(self.data + other.data, self, other, _d_add)

    def __radd__(self, other: Operand) -> Value:
        left = _lift(other)
        return NotImplemented if left is None else left.__add__(self)

    def __sub__(self, other: Operand) -> Value:
        if other.__class__ is not Value:
            other = _lift(other)
            if other is None:
                return NotImplemented
        return _node(self.data - other.data, self, other, _d_sub)

    def __rsub__(self, other: Operand) -> Value:
        left = _lift(other)
        return NotImplemented if left is None else left.__sub__(self)

    def __mul__(self, other: Operand) -> Value:
        if other.__class__ is not Value:
            other = _lift(other)
            if other is None:
                return NotImplemented
        return _node(self.data * other.data, self, other, _d_mul)

    def __rmul__(self, other: Operand) -> Value:
        left = _lift(other)
        return NotImplemented if left is None else left.__mul__(self)

    def __truediv__(self, other: Operand) -> Value:
        if other.__class__ is not Value:
            other = _lift(other)
            if other is None:
                return NotImplemented
        return _node(_ieee.div(self.data, other.data), self, other, _d_div)

    def __rtruediv__(self, other: Operand) -> Value:
        left = _lift(other)
        return NotImplemented if left is None else left.__truediv__(self)

    def __pow__(self, other: Operand) -> Value:
        if isinstance(other, Value):  # x ** y, both differentiable
            return _node(_ieee.pow(self.data, other.data), self, other, _d_pow)
        if isinstance(other, (int, float)):  # x ** n, n a constant
            n = float(other)
            return _node(_ieee.pow(self.data, n), self, None, _power_rule(n))
        return NotImplemented

    def __rpow__(self, other: Operand) -> Value:
        if isinstance(other, (int, float)):  # a ** x, a a constant
            a = float(other)
            return _node(_ieee.pow(a, self.data), self, None, _exponential_rule(a))
        return NotImplemented

    def __neg__(self) -> Value:
        return _node(-self.data, self, None, _d_neg)

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return _node(abs(self.data), self, None, _d_abs)

    # ------------------------------------------------------------ functions

    def exp(self) -> Value:
        """e ** self (inf on overflow)."""
        return _node(_ieee.exp(self.data), self, None, _d_exp)

    def log(self) -> Value:
        """Natural logarithm (-inf at 0, nan below 0)."""
        return _node(_ieee.log(self.data), self, None, _d_log)

    def sqrt(self) -> Value:
        """Square root (nan below 0)."""
        return _node(_ieee.sqrt(self.data), self, None, _d_sqrt)

    def sin(self) -> Value:
        """Sine."""
        return _node(_ieee.sin(self.data), self, None, _d_sin)

    def cos(self) -> Value:
        """Cosine."""
        return _node(_ieee.cos(self.data), self, None, _d_cos)

    def tanh(self) -> Value:
        """Hyperbolic tangent."""
        return _node(math.tanh(self.data), self, None, _d_tanh)

    def sigmoid(self) -> Value:
        """Logistic function 1 / (1 + e**-x), stable for any input."""
        return _node(_ieee.sigmoid(self.data), self, None, _d_sigmoid)

    def relu(self) -> Value:
        """max(x, 0); its derivative at 0 is taken as 0."""
        x = self.data
        return _node(x if x > 0.0 or x != x else 0.0, self, None, _d_relu)  # nan stays nan

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """x for x > 0, slope * x otherwise."""
        x = self.data
        return _node(x if x > 0.0 else slope * x, self, None, _leaky_rule(float(slope)))

    def softplus(self) -> Value:
        """log(1 + e**x), computed stably as max(x, 0) + log1p(e**-|x|)."""
        return _node(_ieee.softplus(self.data), self, None, _d_softplus)

    # ------------------------------------------------------------ backward

    def backward(self, gradient: Operand = 1.0, *, create_graph: bool = False) -> None:
        """Fill in ``.grad`` of every node this one depends on, by the chain rule.

        As in PyTorch: the gradients of this graph's interior nodes are reset at
        the start of each call, and leaves (inputs and parameters) accumulate, so
        calling ``backward()`` twice doubles the leaf gradients. With
        ``create_graph=True`` the gradients are Values with their own graph, which
        can be differentiated again.
        """
        if not isinstance(gradient, (int, float, Value)):
            raise TypeError(
                f"backward gradient must be a number or a Value, not {type(gradient).__name__}"
            )
        if isinstance(gradient, Value):
            if not create_graph:
                gradient = gradient.data
        else:
            gradient = Value(gradient) if create_graph else float(gradient)
        order = topological_order(self)
        if create_graph or _mode.get() & _ANOMALY:
            grads = backpropagate(order, gradient, create_graph=create_graph)
            for v in order:
                if v._rule is None:  # a leaf: accumulate
                    v.grad = v.grad + grads[v]
                else:
                    v.grad = grads[v]
            return
        # The float-only fast path of backpropagate(), accumulating straight
        # into .grad (about 3x faster than a dict). Every gradient starts from
        # 0.0; the leaves' earlier gradients are added back at the end, so a
        # second call adds exactly the same total (backward twice = exactly 2x).
        earlier = []
        for v in order:
            if v._rule is None and v.grad:
                earlier.append((v, v.grad))
            v.grad = 0.0
        self.grad = gradient
        for v in reversed(order):
            rule = v._rule
            if rule is None:
                continue
            a, b = v._a, v._b
            if b is None:
                a.grad += rule(v.grad, v.data, a.data)
            elif b is _MANY:
                for p, gp in zip(a, rule(v.grad, v.data, *[p.data for p in a])):
                    p.grad += gp
            else:
                ga, gb = rule(v.grad, v.data, a.data, b.data)
                a.grad += ga
                b.grad += gb
        for v, g in earlier:
            v.grad = g + v.grad


class Parameter(Value):
    """A leaf that a model learns (a weight or a bias). It behaves exactly like
    a ``Value``; drawings give it a colour of its own."""

    __slots__ = ()


Operand = Value | int | float | bool

# ---------------------------------------------------------------- node creation

_new = object.__new__
_MANY = object()  # marks an n-ary node: its _a slot holds the tuple of inputs


def _node(data: float, a: Any, b: Any, rule: Callable[..., Any]) -> Value:
    """Make the result node of an op (a bare leaf under ``no_grad``). The inputs
    are ``a, b`` for a binary op, ``a, None`` for a unary one, and a tuple and
    ``_MANY`` for an n-ary one."""
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    mode = _get_mode()
    if mode:
        if mode & _ANOMALY:
            _check_forward(data, a if b is _MANY else (a,) if b is None else (a, b), rule)
        if mode & _NO_GRAD:
            v._a = v._b = v._rule = None
            return v
    v._a = a
    v._b = b
    v._rule = rule
    return v


def _lift(x: object) -> Value | None:
    """A constant leaf for a number, the Value itself, or None (unsupported)."""
    if isinstance(x, Value):
        return x
    if isinstance(x, (int, float)):
        v = _new(Value)
        v.data = float(x)
        v.grad = 0.0
        v.label = ""
        v._a = v._b = v._rule = None
        return v
    return None


def _data_of(x: object) -> float | None:
    if isinstance(x, Value):
        return x.data
    if isinstance(x, (int, float)):
        return x  # type: ignore[return-value]
    return None


def _rule(op: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator naming a derivative rule with the op it belongs to."""

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.op = op  # type: ignore[attr-defined]
        return fn

    return mark


# ---------------------------------------------------------------- derivative rules
# Each rule is (g, out, *inputs) -> input gradients. In an ordinary backward
# pass g, out and the inputs are floats; with create_graph=True they are Values
# and the rule's arithmetic builds the graph of the gradient.


def _data(x: Any) -> float:
    return x.data if isinstance(x, Value) else x


def _exp(x: Any) -> Any:
    return x.exp() if isinstance(x, Value) else _ieee.exp(x)


def _log(x: Any) -> Any:
    return x.log() if isinstance(x, Value) else _ieee.log(x)


def _sin(x: Any) -> Any:
    return x.sin() if isinstance(x, Value) else _ieee.sin(x)


def _cos(x: Any) -> Any:
    return x.cos() if isinstance(x, Value) else _ieee.cos(x)


def _sigmoid(x: Any) -> Any:
    return x.sigmoid() if isinstance(x, Value) else _ieee.sigmoid(x)


def _div(a: Any, b: Any) -> Any:
    if isinstance(a, Value) or isinstance(b, Value):
        return a / b
    return _ieee.div(a, b)


def _zero(g: Any) -> Any:
    """An exact zero gradient (a constant Value when gradients are Values):
    never ``0 * g``, which is nan for an infinite g."""
    return Value(0.0) if isinstance(g, Value) else 0.0


def _pow(x: Any, y: Any) -> Any:
    if isinstance(x, Value) or isinstance(y, Value):
        return x**y
    return _ieee.pow(x, y)


@_rule("+")
def _d_add(g, out, x, y):
    return g, g  # d(x + y) = dx + dy


@_rule("-")
def _d_sub(g, out, x, y):
    return g, -g  # d(x - y) = dx - dy


@_rule("*")
def _d_mul(g, out, x, y):
    return g * y, g * x  # d(xy) = y dx + x dy


@_rule("/")
def _d_div(g, out, x, y):
    gx = _div(g, y)  # d(x/y)/dx = 1/y
    return gx, -gx * out  # d(x/y)/dy = -x/y**2 = -(1/y) * out


@_rule("**")
def _d_pow(g, out, x, y):
    # d(x**y)/dx = y x**(y-1), taken as 0 at x == y == 0 (where it reads 0 * inf);
    # d(x**y)/dy = x**y ln x, taken as 0 where x == 0 and y >= 0 (0**y is
    # constant there, as in PyTorch).
    xd, yd = _data(x), _data(y)
    gx = _zero(g) if yd == 0.0 and xd == 0.0 else g * y * _pow(x, y - 1.0)
    gy = _zero(g) if xd == 0.0 and yd >= 0.0 else g * out * _log(x)
    return gx, gy


_power_rules: dict[float, Callable[..., Any]] = {}


def _power_rule(n: float) -> Callable[..., Any]:
    """The rule of x ** n for a constant n (cached per n: nodes share it)."""
    rule = _power_rules.get(n)
    if rule is None:
        name = f"**{int(n)}" if n.is_integer() and abs(n) < 1e15 else f"**{n!r}"

        @_rule(name)
        def rule(g, out, x):
            if n == 0.0:  # x**0 is constant (and the formula below is 0 * inf at 0)
                return _zero(g)
            return g * n * _pow(x, n - 1.0)  # d(x**n)/dx = n x**(n-1)

        if len(_power_rules) < 1024:
            _power_rules[n] = rule
    return rule


_exponential_rules: dict[float, Callable[..., Any]] = {}


def _exponential_rule(a: float) -> Callable[..., Any]:
    """The rule of a ** x for a constant base a (cached per a)."""
    rule = _exponential_rules.get(a)
    if rule is None:
        name = f"{int(a)}**" if a.is_integer() and abs(a) < 1e15 else f"{a!r}**"
        ln_a = _ieee.log(a)

        @_rule(name)
        def rule(g, out, x):
            if a == 0.0 and _data(x) >= 0.0:  # 0**x is constant there (PyTorch's choice)
                return _zero(g)
            return g * out * ln_a  # d(a**x)/dx = a**x ln a

        if len(_exponential_rules) < 1024:
            _exponential_rules[a] = rule
    return rule


@_rule("neg")
def _d_neg(g, out, x):
    return -g


@_rule("abs")
def _d_abs(g, out, x):
    xd = _data(x)  # d|x|/dx = sign(x), 0 at 0
    return g if xd > 0.0 else -g if xd < 0.0 else _zero(g)


@_rule("exp")
def _d_exp(g, out, x):
    return g * out  # d e**x / dx = e**x


@_rule("log")
def _d_log(g, out, x):
    return _div(g, x)  # d ln x / dx = 1/x


@_rule("sqrt")
def _d_sqrt(g, out, x):
    return _div(g, 2.0 * out)  # d sqrt(x) / dx = 1 / (2 sqrt(x))


@_rule("sin")
def _d_sin(g, out, x):
    return g * _cos(x)  # d sin x / dx = cos x


@_rule("cos")
def _d_cos(g, out, x):
    return -g * _sin(x)  # d cos x / dx = -sin x


@_rule("tanh")
def _d_tanh(g, out, x):
    return g * (1.0 - out * out)  # d tanh x / dx = 1 - tanh(x)**2


@_rule("sigmoid")
def _d_sigmoid(g, out, x):
    return g * out * (1.0 - out)  # d s(x) / dx = s(x) (1 - s(x))


@_rule("relu")
def _d_relu(g, out, x):
    return g if _data(x) > 0.0 else _zero(g)  # 1 for x > 0, else 0


_leaky_rules: dict[float, Callable[..., Any]] = {}


def _leaky_rule(slope: float) -> Callable[..., Any]:
    """The rule of leaky_relu with the given negative slope (cached per slope)."""
    rule = _leaky_rules.get(slope)
    if rule is None:

        @_rule("leaky_relu")
        def rule(g, out, x):
            return g * (1.0 if _data(x) > 0.0 else slope)  # 1 for x > 0, else slope

        if len(_leaky_rules) < 1024:
            _leaky_rules[slope] = rule
    return rule


@_rule("softplus")
def _d_softplus(g, out, x):
    return g * _sigmoid(x)  # d softplus(x) / dx = sigmoid(x)


@_rule("identity")
def _d_identity(g, out, x):
    return g


def identity(x: Value) -> Value:
    """A new node equal to ``x`` whose gradient passes straight through to ``x``."""
    return _node(x.data, x, None, _d_identity)


# ---------------------------------------------------------------- n-ary fused ops


def _as_values(xs: Iterable[Operand], what: str) -> list[Value]:
    """The items as Values (numbers become constant leaves); TypeError otherwise."""
    vs = list(xs)
    if all(issubclass(t, Value) for t in set(map(type, vs))):  # the common case, checked in C
        return vs
    for i, x in enumerate(vs):
        v = _lift(x)
        if v is None:
            raise TypeError(f"{what}[{i}] must be a Value or a number, not {type(x).__name__}")
        vs[i] = v
    return vs


def dot(
    weights: Sequence[Operand], inputs: Sequence[Operand], bias: Operand | None = None
) -> Value:
    """The weighted sum ``sum(w * x) + bias`` as ONE node with one backward loop.

    A neuron built from binary ``*`` and ``+`` makes 2n nodes; this makes one,
    which is what keeps ``nn`` fast.
    """
    ws = _as_values(weights, "weights")
    xs = _as_values(inputs, "inputs")
    if len(ws) != len(xs):
        raise ValueError(f"dot: {len(ws)} weights but {len(xs)} inputs")
    total = builtins.sum([w.data * x.data for w, x in zip(ws, xs)])
    if bias is None:
        return _node(total, (*ws, *xs), _MANY, _d_dot)
    (b,) = _as_values((bias,), "bias")
    return _node(total + b.data, (*ws, *xs, b), _MANY, _d_dot)


@_rule("dot")
def _d_dot(g, out, *args):
    # parents are w_1..w_n, x_1..x_n and an optional bias:
    # d/dw_i = x_i, d/dx_i = w_i, d/db = 1
    n = len(args) // 2
    grads = [g * x for x in args[n : 2 * n]]
    grads += [g * w for w in args[:n]]
    if len(args) % 2:
        grads.append(g)
    return grads


def sum(values: Iterable[Operand]) -> Value:  # noqa: A001 - autograd.sum, by design
    """The sum of many values as ONE node (not in ``__all__``: it would shadow the builtin)."""
    vs = _as_values(values, "values")
    total = 0.0
    for v in vs:
        total += v.data
    return _node(total, tuple(vs), _MANY, _d_sum)


@_rule("sum")
def _d_sum(g, out, *args):
    return [g] * len(args)  # d(x_1 + ... + x_n)/dx_i = 1


# ---------------------------------------------------------------- traversal


def topological_order(root: Value, stop: Iterable[Value] = ()) -> list[Value]:
    """Every node ``root`` depends on, inputs first and ``root`` last.

    Iterative depth-first search (no recursion, so any depth works): a node
    stays on the stack while its parents are visited and is emitted when it
    comes to the top again. Nodes in ``stop`` are treated as leaves: their
    parents are not visited. The order is deterministic.
    """
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value, not {type(root).__name__}")
    stopped = set(stop)
    order: list[Value] = []
    emit = order.append
    done: dict[Value, bool] = {}  # False while a node's parents are visited, then True
    stack = [root]
    push, pop, get = stack.append, stack.pop, done.get
    # The parent layouts are spelled out (no tuple per node): this loop is a
    # third of a training step.
    while stack:
        v = stack[-1]
        state = get(v)
        if state is None:  # first visit: push the parents not yet done
            done[v] = False
            if stopped and v in stopped:
                continue
            b = v._b
            if b is None:  # unary, or a leaf (a is None)
                a = v._a
                if a is not None and a not in done:
                    push(a)
            elif b is _MANY:
                for p in v._a:
                    if p not in done:
                        if p._rule is None:  # a leaf: emit at once (wide dot nodes)
                            done[p] = True
                            emit(p)
                        else:
                            push(p)
            else:  # pushed b first, so a is visited first
                if b not in done:
                    push(b)
                a = v._a
                if a not in done:
                    push(a)
        else:  # back on top: all its parents are done (or a duplicate entry)
            pop()
            if state is False:
                done[v] = True
                emit(v)
    return order


def backpropagate(
    order: list[Value], gradient: Any = 1.0, *, create_graph: bool = False
) -> dict[Value, Any]:
    """Apply the chain rule over ``order`` (from ``topological_order``), seeding
    its last node with ``gradient``; return every node's gradient in a dict.

    Touches no ``.grad`` attribute, which is what lets ``autograd.grad`` nest
    without perturbation confusion.
    """
    if not create_graph and isinstance(gradient, Value):
        gradient = gradient.data
    grads: dict[Value, Any] = {order[-1]: gradient}
    anomaly = _mode.get() & _ANOMALY
    get = grads.get
    for v in reversed(order):
        rule = v._rule
        if rule is None:
            continue
        g = get(v)
        if g is None:
            continue
        a, b = v._a, v._b
        if create_graph:  # rules on Values: the gradients get a graph of their own
            if b is None:
                ps, gs = (a,), (rule(g, v, a),)
            elif b is _MANY:
                ps, gs = a, rule(g, v, *a)
            else:
                ps, gs = (a, b), rule(g, v, a, b)
        elif b is None:
            ps, gs = (a,), (rule(g, v.data, a.data),)
        elif b is _MANY:
            ps, gs = a, rule(g, v.data, *[p.data for p in a])
        else:
            ps, gs = (a, b), rule(g, v.data, a.data, b.data)
        if anomaly:
            _check_backward(v, g, gs)
        for p, gp in zip(ps, gs):
            old = get(p)
            grads[p] = gp if old is None else old + gp
    return grads


# ---------------------------------------------------------------- modes


@contextlib.contextmanager
def no_grad() -> Iterator[None]:
    """Within this block (or decorated function) ops record no graph: results
    are plain leaves. Use it for evaluation and parameter updates."""
    token = _mode.set(_mode.get() | _NO_GRAD)
    try:
        yield
    finally:
        _mode.reset(token)


@contextlib.contextmanager
def enable_grad() -> Iterator[None]:
    """Re-enable graph recording inside a ``no_grad`` block."""
    token = _mode.set(_mode.get() & ~_NO_GRAD)
    try:
        yield
    finally:
        _mode.reset(token)


def is_grad_enabled() -> bool:
    """False inside ``no_grad()``."""
    return not _mode.get() & _NO_GRAD


@contextlib.contextmanager
def detect_anomaly() -> Iterator[None]:
    """Within this block, an op whose result (forward) or input gradient
    (backward) is nan or inf although everything it was computed from was finite
    raises ``AnomalyError`` naming the op, its inputs and their labels."""
    token = _mode.set(_mode.get() | _ANOMALY)
    try:
        yield
    finally:
        _mode.reset(token)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector inside this block (it is turned
    back on after, if it was on).

    The engine never creates reference cycles, so reference counting alone
    frees every graph; while a large graph is built and differentiated the
    collector only scans live nodes, which is about a third of a training
    step. ``nn.fit`` runs each step inside this. Cycles that other code makes
    meanwhile are collected once the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _describe(parents: Sequence[Value]) -> str:
    parts = []
    for i, p in enumerate(parents):
        name = repr(p.label) if p.label else f"input {i}"
        parts.append(f"{name} = {p.data!r}")
    return ", ".join(parts)


def _finite(x: Any) -> bool:
    return _ieee.is_finite(_data(x))


def _check_forward(data: float, parents: tuple[Value, ...], rule: Any) -> None:
    if not _ieee.is_finite(data) and all(_ieee.is_finite(p.data) for p in parents):
        raise AnomalyError(
            f"op {rule.op!r} gave {data!r} from finite inputs ({_describe(parents)})"
        )


def _check_backward(v: Value, g: Any, gs: Sequence[Any]) -> None:
    if not _finite(g) or not _finite(v.data):
        return
    if not all(_ieee.is_finite(p.data) for p in v.parents):
        return
    for i, gp in enumerate(gs):
        if not _finite(gp):
            p = v.parents[i]
            who = repr(p.label) if p.label else f"input {i}"
            out = f" {v.label!r}" if v.label else ""
            raise AnomalyError(
                f"backward of op {v.op!r}{out} gave gradient {_data(gp)!r} for {who} "
                f"from finite values (output {v.data!r}, upstream gradient {_data(g)!r}; "
                f"inputs {_describe(v.parents)})"
            )
