"""The ``Value`` node: every op, each with its derivative rule right below it.

An op's method computes the forward float and makes the result node; the
rule below it (a static method named ``_d_<op>``, tagged with the op's name)
receives the output's gradient ``g``, the output ``out`` and the inputs, and
returns the inputs' gradients: one for a unary op, a pair for a binary op, a
list for an n-ary op (which also carries ``accumulate(g, inputs)``, the same
rule on floats adding straight into ``.grad``, for the hot loop of ``nn``).
Rules use only arithmetic and the helpers at the end of this file (``_div``,
``_log``, ...), which work on floats *and* on Values: the ordinary backward
pass runs them on floats (fast), and ``backward(create_graph=True)`` runs the
very same rules on Values, so the gradients get a graph of their own and
higher-order derivatives come free.

Design notes:
- A rule computes each input's local derivative first and multiplies by ``g``
  last (``g * (y * x**(y-1))``, not ``g * y * x**(y-1)``): ``g * y`` could
  overflow to inf and meet an ``x**(y-1)`` of 0, giving nan where the true
  gradient is 0.
- A node holds no closure and never refers to itself, so reference counting
  alone frees a graph; the cyclic garbage collector never has to.
- The inputs are kept in two slots, not in a tuple (see ``Value.__slots__``):
  one garbage-collected object per node instead of two.
- Graph traversal (``autograd.core.graph``) uses explicit stacks, never recursion.
"""

from __future__ import annotations

import builtins
import functools
import math
import numbers
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from autograd.core import copying as _copying
from autograd.core import graph as _graph
from autograd.core import ieee as _ieee
from autograd.core.modes import (
    ANOMALY,
    NO_GRAD,
    TRACE,
    check_forward,
    get_mode,
    get_tracer,
    modes_in_use,
)
from autograd.core.node import MANY, Node, is_nary

Number = int | float | bool | numbers.Real  # numpy scalars are numbers.Real
Rule = Callable[..., Any]


def _rule(
    op: str, forward: Callable[..., float], formula: tuple[str, ...]
) -> Callable[[Rule], Rule]:
    """Tag a derivative rule with what else there is to know about its op.

    - ``op``: the op's name (what ``Value.op`` shows);
    - ``forward``: the float function the op's method computes (the method
      calls it, or the same operator inline; ``tests/test_rules.py`` checks
      that they agree bit for bit), so that tools which replay a graph
      (``autograd.compile``) compute exactly what the engine computed;
    - ``formula``: the local derivative with respect to each input as text,
      for explanations (``autograd.explain``): templates over ``{x}``, ``{y}``
      (the inputs) and ``{out}`` (the result); for the n-ary ops, one template
      per kind of input (see ``_d_dot``).
    """

    def tag(fn: Rule) -> Rule:
        fn.op = op  # type: ignore[attr-defined]
        fn.forward = forward  # type: ignore[attr-defined]
        fn.formula = formula  # type: ignore[attr-defined]
        RULES[op] = fn
        return fn

    return tag


# Every op's rule by the op's name, filled by ``_rule`` where each rule is
# defined (and by ``op`` for the ops users define): ``autograd.functions``,
# the test kit's catalogue and the command line read their lists from it.
RULES: dict[str, Rule] = {}


class Value(Node):
    """A scalar node of a computation graph: one float and its gradient.

    Args:
        data: the number: an int, a float, a bool or a numpy scalar (stored as a float).
        label: a name for drawings and error messages; empty by default.

    Raises:
        TypeError: ``data`` is not a real number, or ``label`` is not a str.

    Examples:
        >>> a, b = Value(2.0, label="a"), Value(3.0, label="b")
        >>> y = a * b + a
        >>> y.backward()
        >>> a.grad, b.grad
        (4.0, 2.0)
    """

    __slots__ = ()  # the storage is Node's (see autograd.core.node)

    def __init__(self, data: Number, label: str = "") -> None:
        if type(data) is not float:
            # int and float first (bool is an int), then numbers.Real (numpy's scalars)
            if not (isinstance(data, (int, float)) or isinstance(data, _ieee.REAL)):
                raise TypeError(
                    "Value data must be a real number (int, float, bool or a numpy "
                    f"scalar), not {type(data).__name__}"
                )
            data = _ieee.to_float(data)
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, not {type(label).__name__}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self._a = self._b = self._rule = self._mark = None
        if modes_in_use and get_mode() & TRACE:  # made in a function being compiled: a constant
            get_tracer().constant(self)

    # ------------------------------------------------------------ basics

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        kind = "Parameter" if self.__class__ is Parameter else "Value"
        return f"{kind}(data={self.data!r}, grad={self.grad!r}{label})"

    def __float__(self) -> float:
        if modes_in_use and get_mode() & TRACE:  # a compiled replay must see the same number
            get_tracer().to_float(self)
        return float(self.data)

    def __int__(self) -> int:
        """The data truncated toward 0, as ``int(float)`` (ValueError for nan or ±inf)."""
        return int(self.__float__())

    def __format__(self, spec: str) -> str:
        return format(self.data, spec) if spec else repr(self)

    # `==` and hash stay those of object (identity), so nodes can be kept in
    # sets and dicts. Ordering compares the data and returns a plain bool
    # (which a function being compiled records as a guard: see _compare).
    def __lt__(self, other: Operand) -> bool:
        return _compare(self, other, "<")

    def __le__(self, other: Operand) -> bool:
        return _compare(self, other, "<=")

    def __gt__(self, other: Operand) -> bool:
        return _compare(self, other, ">")

    def __ge__(self, other: Operand) -> bool:
        return _compare(self, other, ">=")

    # ------------------------------------------------------------ binary ops
    # An unsupported operand returns NotImplemented, so Python raises the usual
    # TypeError naming both operand types.

    def __add__(self, other: Operand) -> Value:
        if other.__class__ is not Value:
            other = lift(other)
            if other is None:
                return NotImplemented
        return _node(self.data + other.data, self, other, Value._d_add)  # type: ignore[union-attr]

    @staticmethod
    @_rule("+", operator.add, ("1", "1"))
    def _d_add(g, out, x, y):
        return g, g  # d(x + y) = dx + dy

    def __radd__(self, other: Operand) -> Value:
        left = lift(other)
        return NotImplemented if left is None else left.__add__(self)

    def __sub__(self, other: Operand) -> Value:
        if other.__class__ is not Value:
            other = lift(other)
            if other is None:
                return NotImplemented
        return _node(self.data - other.data, self, other, Value._d_sub)  # type: ignore[union-attr]

    @staticmethod
    @_rule("-", operator.sub, ("1", "−1"))
    def _d_sub(g, out, x, y):
        return g, -g  # d(x - y) = dx - dy

    def __rsub__(self, other: Operand) -> Value:
        left = lift(other)
        return NotImplemented if left is None else left.__sub__(self)

    def __mul__(self, other: Operand) -> Value:
        if other.__class__ is not Value:
            other = lift(other)
            if other is None:
                return NotImplemented
        return _node(self.data * other.data, self, other, Value._d_mul)  # type: ignore[union-attr]

    @staticmethod
    @_rule("*", operator.mul, ("{y}", "{x}"))
    def _d_mul(g, out, x, y):
        return g * y, g * x  # d(xy) = y dx + x dy

    def __rmul__(self, other: Operand) -> Value:
        left = lift(other)
        return NotImplemented if left is None else left.__mul__(self)

    def __truediv__(self, other: Operand) -> Value:
        if other.__class__ is not Value:
            other = lift(other)
            if other is None:
                return NotImplemented
        return _node(_ieee.div(self.data, other.data), self, other, Value._d_div)  # type: ignore[union-attr]

    @staticmethod
    @_rule("/", _ieee.div, ("1/{y}", "−{x}/{y}²"))
    def _d_div(g, out, x, y):
        # d(x/y)/dx = 1/y; d(x/y)/dy = -x/y**2 = -(x/y)/y, taken before g joins
        # (as everywhere: g * local), so g/y overflowing cannot meet an x/y of 0
        return _div(g, y), -(g * _div(out, y))

    def __rtruediv__(self, other: Operand) -> Value:
        left = lift(other)
        return NotImplemented if left is None else left.__truediv__(self)

    def __pow__(self, other: Operand) -> Value:
        if isinstance(other, Value):  # x ** y: both get gradients
            return _node(_ieee.pow(self.data, other.data), self, other, Value._d_pow)
        if isinstance(other, (int, float)) or isinstance(
            other, _ieee.REAL
        ):  # x ** n, n a constant: a unary op "**n"
            n = _ieee.to_float(other)
            return _node(_ieee.pow(self.data, n), self, None, _pow_const(n))
        return NotImplemented

    @staticmethod
    @_rule("**", _ieee.pow, ("{y}·{x}^({y} − 1)", "{out}·ln({x})"))
    def _d_pow(g, out, x, y):
        # d(x**y)/dx = y x**(y-1), taken as 0 at y == 0 where that reads 0 * inf
        # or 0 * nan (x == 0 or nan), as x**0 is constant in x;
        # d(x**y)/dy = x**y ln x, taken as 0 where x == 0 and y >= 0 (0**y is
        # constant there), as in PyTorch.
        xd, yd = _data(x), _data(y)
        singular = yd == 0.0 and (xd == 0.0 or xd != xd)
        gx = _zero(g) if singular else g * (y * _pow(x, y - 1.0))
        gy = _zero(g) if xd == 0.0 and yd >= 0.0 else g * (out * _log(x))
        return gx, gy

    # the rule of x ** n for a constant n: _PowConst, one cached rule per n (below)

    def __rpow__(self, other: Operand) -> Value:
        if isinstance(other, (int, float)) or isinstance(
            other, _ieee.REAL
        ):  # a ** x, a a constant: a unary op "a**"
            a = _ieee.to_float(other)
            return _node(_ieee.pow(a, self.data), self, None, _rpow(a))
        return NotImplemented

    # the rule of a ** x for a constant a: _RPow, one cached rule per a (below)

    def __mod__(self, other: Operand) -> Value:
        if other.__class__ is not Value:
            other = lift(other)
            if other is None:
                return NotImplemented
        return _node(_ieee.mod(self.data, other.data), self, other, Value._d_mod)  # type: ignore[union-attr]

    @staticmethod
    @_rule("%", _ieee.mod, ("1", "−floor({x}/{y})"))
    def _d_mod(g, out, x, y):
        # x % y = x - y floor(x/y), and floor is piecewise constant, so
        # d/dx = 1 and d/dy = -floor(x/y) (PyTorch's remainder, even at the jumps)
        return g, g * -_floor_div(x, y)

    def __rmod__(self, other: Operand) -> Value:
        left = lift(other)
        return NotImplemented if left is None else left.__mod__(self)

    # ------------------------------------------------------------ binary functions
    # Methods, as in PyTorch (y.atan2(x), x.hypot(y), ...); the other operand may
    # be a number. autograd.atan2(y, x) and friends also take a number first.

    def atan2(self, other: Operand) -> Value:
        """The angle of the point (other, self): atan(self/other) in the right quadrant.

        Examples:
            >>> from autograd import Value, atan2
            >>> a, b = Value(1.0), Value(1.0)
            >>> y = a.atan2(b)  # or atan2(a, b)
            >>> y.backward()
            >>> y.data, a.grad, b.grad
            (0.7853981633974483, 0.49999999999999994, -0.49999999999999994)
            >>> atan2(1.0, 1.0)
            0.7853981633974483
        """
        x = _operand(other, "atan2")
        return _node(math.atan2(self.data, x.data), self, x, Value._d_atan2)

    @staticmethod
    @_rule("atan2", math.atan2, ("{y}/({x}² + {y}²)", "−{x}/({x}² + {y}²)"))
    def _d_atan2(g, out, y, x):
        # d atan2(y, x) = (x dy - y dx) / (x**2 + y**2), each quotient divided by
        # hypot(x, y) twice (no overflow in the square); 0 at the origin, as PyTorch
        if _data(y) == 0.0 and _data(x) == 0.0:
            return _zero(g), _zero(g)
        r = _hypot(y, x)
        return g * _div(_div(x, r), r), g * -_div(_div(y, r), r)

    def hypot(self, other: Operand) -> Value:
        """sqrt(self**2 + other**2), without overflow or underflow on the way.

        Examples:
            >>> from autograd import Value, hypot
            >>> a, b = Value(3.0), Value(4.0)
            >>> y = a.hypot(b)  # or hypot(a, b)
            >>> y.backward()
            >>> y.data, a.grad, b.grad
            (5.0, 0.6, 0.8)
            >>> hypot(3.0, 4.0)
            5.0
        """
        y = _operand(other, "hypot")
        return _node(math.hypot(self.data, y.data), self, y, Value._d_hypot)

    @staticmethod
    @_rule("hypot", math.hypot, ("{x}/{out}", "{y}/{out}"))
    def _d_hypot(g, out, x, y):
        return g * _div(x, out), g * _div(y, out)  # d hypot = (x dx + y dy) / hypot; nan at 0

    def minimum(self, other: Operand) -> Value:
        """The smaller of the two (nan if either is nan).

        Examples:
            >>> from autograd import Value, minimum
            >>> a, b = Value(2.0), Value(3.0)
            >>> y = a.minimum(b)  # or minimum(a, b)
            >>> y.backward()
            >>> y.data, a.grad, b.grad
            (2.0, 1.0, 0.0)
            >>> minimum(2.0, 3.0)
            2.0
        """
        y = _operand(other, "minimum")
        return _node(_ieee.minimum(self.data, y.data), self, y, Value._d_minimum)

    @staticmethod
    @_rule(
        "minimum",
        _ieee.minimum,
        ("1 if {x} < {y}, ½ if equal, else 0", "1 if {y} < {x}, ½ if equal, else 0"),
    )
    def _d_minimum(g, out, x, y):
        # the gradient goes to the smaller input; at a tie each gets half, as in PyTorch
        xd, yd = _data(x), _data(y)
        if xd < yd:
            return g, _zero(g)
        if yd < xd:
            return _zero(g), g
        if xd == yd:
            return 0.5 * g, 0.5 * g
        return g, g  # nan: PyTorch passes the gradient to both

    def maximum(self, other: Operand) -> Value:
        """The larger of the two (nan if either is nan).

        Examples:
            >>> from autograd import Value, maximum
            >>> a, b = Value(2.0), Value(3.0)
            >>> y = a.maximum(b)  # or maximum(a, b)
            >>> y.backward()
            >>> y.data, a.grad, b.grad
            (3.0, 0.0, 1.0)
            >>> maximum(2.0, 3.0)
            3.0
        """
        y = _operand(other, "maximum")
        return _node(_ieee.maximum(self.data, y.data), self, y, Value._d_maximum)

    @staticmethod
    @_rule(
        "maximum",
        _ieee.maximum,
        ("1 if {x} > {y}, ½ if equal, else 0", "1 if {y} > {x}, ½ if equal, else 0"),
    )
    def _d_maximum(g, out, x, y):
        # the gradient goes to the larger input; at a tie each gets half, as in PyTorch
        xd, yd = _data(x), _data(y)
        if xd > yd:
            return g, _zero(g)
        if yd > xd:
            return _zero(g), g
        if xd == yd:
            return 0.5 * g, 0.5 * g
        return g, g  # nan: PyTorch passes the gradient to both

    # ------------------------------------------------------------ unary ops

    def __neg__(self) -> Value:
        return _node(-self.data, self, None, Value._d_neg)

    @staticmethod
    @_rule("neg", operator.neg, ("−1",))
    def _d_neg(g, out, x):
        return -g

    def __pos__(self) -> Value:
        return self

    def detach(self) -> Value:
        """A new leaf with the same data and label: the graph stops there (no
        gradient flows back). ``autograd.compile`` reads its data afresh at replay."""
        out = detached(same_number, self)
        out.label = self.label
        return out

    def __abs__(self) -> Value:
        return _node(abs(self.data), self, None, Value._d_abs)

    @staticmethod
    @_rule("abs", operator.abs, ("sign({x})",))
    def _d_abs(g, out, x):
        xd = _data(x)  # d|x|/dx = sign(x), taken as 0 at 0
        return g if xd > 0.0 else -g if xd < 0.0 else _zero(g)

    def abs(self) -> Value:
        """|self|, as abs(self) (PyTorch's name for it).

        Examples:
            >>> from autograd import Value, abs
            >>> x = Value(-2.0)
            >>> y = x.abs()  # or abs(x)
            >>> y.backward()
            >>> y.data, x.grad
            (2.0, -1.0)
            >>> abs(-2.0)  # a number in, a float out
            2.0
        """
        return self.__abs__()

    def exp(self) -> Value:
        """e ** self (inf on overflow).

        Examples:
            >>> from autograd import Value, exp
            >>> x = Value(0.0)
            >>> y = x.exp()  # or exp(x)
            >>> y.backward()
            >>> y.data, x.grad
            (1.0, 1.0)
            >>> exp(0.0)  # a number in, a float out
            1.0
        """
        return _node(_ieee.exp(self.data), self, None, Value._d_exp)

    @staticmethod
    @_rule("exp", _ieee.exp, ("{out}",))
    def _d_exp(g, out, x):
        return g * out  # d e**x/dx = e**x

    def log(self) -> Value:
        """Natural logarithm (-inf at 0, nan below 0).

        Examples:
            >>> from autograd import Value, log
            >>> x = Value(1.0)
            >>> y = x.log()  # or log(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 1.0)
            >>> log(1.0)  # a number in, a float out
            0.0
        """
        return _node(_ieee.log(self.data), self, None, Value._d_log)

    @staticmethod
    @_rule("log", _ieee.log, ("1/{x}",))
    def _d_log(g, out, x):
        return _div(g, x)  # d ln(x)/dx = 1/x

    def sqrt(self) -> Value:
        """Square root (nan below 0).

        Examples:
            >>> from autograd import Value, sqrt
            >>> x = Value(4.0)
            >>> y = x.sqrt()  # or sqrt(x)
            >>> y.backward()
            >>> y.data, x.grad
            (2.0, 0.25)
            >>> sqrt(4.0)  # a number in, a float out
            2.0
        """
        return _node(_ieee.sqrt(self.data), self, None, Value._d_sqrt)

    @staticmethod
    @_rule("sqrt", _ieee.sqrt, ("1/(2·{out})",))
    def _d_sqrt(g, out, x):
        return _div(g, 2.0 * out)  # d sqrt(x)/dx = 1 / (2 sqrt(x))

    def sin(self) -> Value:
        """Sine.

        Examples:
            >>> from autograd import Value, sin
            >>> x = Value(0.0)
            >>> y = x.sin()  # or sin(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 1.0)
            >>> sin(0.0)  # a number in, a float out
            0.0
        """
        return _node(_ieee.sin(self.data), self, None, Value._d_sin)

    @staticmethod
    @_rule("sin", _ieee.sin, ("cos({x})",))
    def _d_sin(g, out, x):
        return g * _cos(x)  # d sin(x)/dx = cos(x)

    def cos(self) -> Value:
        """Cosine.

        Examples:
            >>> from autograd import Value, cos
            >>> x = Value(0.0)
            >>> y = x.cos()  # or cos(x)
            >>> y.backward()
            >>> y.data, x.grad
            (1.0, 0.0)
            >>> cos(0.0)  # a number in, a float out
            1.0
        """
        return _node(_ieee.cos(self.data), self, None, Value._d_cos)

    @staticmethod
    @_rule("cos", _ieee.cos, ("−sin({x})",))
    def _d_cos(g, out, x):
        return -g * _sin(x)  # d cos(x)/dx = -sin(x)

    def tanh(self) -> Value:
        """Hyperbolic tangent.

        Examples:
            >>> from autograd import Value, tanh
            >>> x = Value(0.0)
            >>> y = x.tanh()  # or tanh(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 1.0)
            >>> tanh(0.0)  # a number in, a float out
            0.0
        """
        return _node(math.tanh(self.data), self, None, Value._d_tanh)

    @staticmethod
    @_rule("tanh", math.tanh, ("1 − {out}²",))
    def _d_tanh(g, out, x):
        return g * (1.0 - out * out)  # d tanh(x)/dx = 1 - tanh(x)**2

    def sigmoid(self) -> Value:
        """Logistic function 1 / (1 + e**-x), stable for any input.

        Examples:
            >>> from autograd import Value, sigmoid
            >>> x = Value(0.0)
            >>> y = x.sigmoid()  # or sigmoid(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.5, 0.25)
            >>> sigmoid(0.0)  # a number in, a float out
            0.5
        """
        return _node(_ieee.sigmoid(self.data), self, None, Value._d_sigmoid)

    @staticmethod
    @_rule("sigmoid", _ieee.sigmoid, ("{out}·(1 − {out})",))
    def _d_sigmoid(g, out, x):
        return g * out * (1.0 - out)  # d s(x)/dx = s(x) (1 - s(x))

    def relu(self) -> Value:
        """max(x, 0) (nan stays nan); its derivative at 0 is taken as 0.

        Examples:
            >>> from autograd import Value, relu
            >>> x = Value(2.0)
            >>> y = x.relu()  # or relu(x)
            >>> y.backward()
            >>> y.data, x.grad
            (2.0, 1.0)
            >>> relu(2.0)  # a number in, a float out
            2.0
        """
        return _node(_ieee.relu(self.data), self, None, Value._d_relu)

    @staticmethod
    @_rule("relu", _ieee.relu, ("1 if {x} > 0, else 0",))
    def _d_relu(g, out, x):
        return g if _data(x) > 0.0 else _zero(g)  # 1 for x > 0, else 0

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """x for x > 0, slope * x otherwise; ``slope`` is a constant int or float
        (an int too large for a float is ±inf, as everywhere in the engine)."""
        if slope.__class__ is not float:
            slope = leaky_slope(slope)
        rule = leaky_relu_rule(slope)
        return _node(rule.forward(self.data), self, None, rule)

    # the rule of leaky_relu: _LeakyReLU, one cached rule per slope (below)

    def softplus(self) -> Value:
        """log(1 + e**x), computed stably as max(x, 0) + log1p(e**-|x|).

        Examples:
            >>> from autograd import Value, softplus
            >>> x = Value(0.0)
            >>> y = x.softplus()  # or softplus(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.6931471805599453, 0.5)
            >>> softplus(0.0)  # a number in, a float out
            0.6931471805599453
        """
        return _node(_ieee.softplus(self.data), self, None, Value._d_softplus)

    @staticmethod
    @_rule("softplus", _ieee.softplus, ("sigmoid({x})",))
    def _d_softplus(g, out, x):
        return g * _sigmoid(x)  # d softplus(x)/dx = sigmoid(x)

    # ------------------------------------------------------------ trigonometric, hyperbolic

    def tan(self) -> Value:
        """Tangent.

        Examples:
            >>> from autograd import Value, tan
            >>> x = Value(0.0)
            >>> y = x.tan()  # or tan(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 1.0)
            >>> tan(0.0)  # a number in, a float out
            0.0
        """
        return _node(_ieee.tan(self.data), self, None, Value._d_tan)

    @staticmethod
    @_rule("tan", _ieee.tan, ("1 + {out}²",))
    def _d_tan(g, out, x):
        return g * (1.0 + out * out)  # d tan(x)/dx = 1 + tan(x)**2

    def asin(self) -> Value:
        """Inverse sine (nan outside [-1, 1]).

        Examples:
            >>> from autograd import Value, asin
            >>> x = Value(0.0)
            >>> y = x.asin()  # or asin(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 1.0)
            >>> asin(0.0)  # a number in, a float out
            0.0
        """
        return _node(_ieee.asin(self.data), self, None, Value._d_asin)

    @staticmethod
    @_rule("asin", _ieee.asin, ("1/√(1 − {x}²)",))
    def _d_asin(g, out, x):
        # d asin(x)/dx = 1/sqrt(1 - x**2), with 1 - x**2 as (1 - x)(1 + x),
        # exact near ±1; inf at ±1, as in PyTorch
        return _div(g, _sqrt((1.0 - x) * (1.0 + x)))

    def acos(self) -> Value:
        """Inverse cosine (nan outside [-1, 1]).

        Examples:
            >>> from autograd import Value, acos
            >>> x = Value(0.0)
            >>> y = x.acos()  # or acos(x)
            >>> y.backward()
            >>> y.data, x.grad
            (1.5707963267948966, -1.0)
            >>> acos(0.0)  # a number in, a float out
            1.5707963267948966
        """
        return _node(_ieee.acos(self.data), self, None, Value._d_acos)

    @staticmethod
    @_rule("acos", _ieee.acos, ("−1/√(1 − {x}²)",))
    def _d_acos(g, out, x):
        return -_div(g, _sqrt((1.0 - x) * (1.0 + x)))  # d acos(x)/dx = -1/sqrt(1 - x**2)

    def atan(self) -> Value:
        """Inverse tangent.

        Examples:
            >>> from autograd import Value, atan
            >>> x = Value(0.0)
            >>> y = x.atan()  # or atan(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 1.0)
            >>> atan(0.0)  # a number in, a float out
            0.0
        """
        return _node(math.atan(self.data), self, None, Value._d_atan)

    @staticmethod
    @_rule("atan", math.atan, ("1/(1 + {x}²)",))
    def _d_atan(g, out, x):
        return _div(g, 1.0 + x * x)  # d atan(x)/dx = 1/(1 + x**2)

    def sinh(self) -> Value:
        """Hyperbolic sine (±inf on overflow).

        Examples:
            >>> from autograd import Value, sinh
            >>> x = Value(0.0)
            >>> y = x.sinh()  # or sinh(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 1.0)
            >>> sinh(0.0)  # a number in, a float out
            0.0
        """
        return _node(_ieee.sinh(self.data), self, None, Value._d_sinh)

    @staticmethod
    @_rule("sinh", _ieee.sinh, ("cosh({x})",))
    def _d_sinh(g, out, x):
        return g * _cosh(x)  # d sinh(x)/dx = cosh(x)

    def cosh(self) -> Value:
        """Hyperbolic cosine (inf on overflow).

        Examples:
            >>> from autograd import Value, cosh
            >>> x = Value(0.0)
            >>> y = x.cosh()  # or cosh(x)
            >>> y.backward()
            >>> y.data, x.grad
            (1.0, 0.0)
            >>> cosh(0.0)  # a number in, a float out
            1.0
        """
        return _node(_ieee.cosh(self.data), self, None, Value._d_cosh)

    @staticmethod
    @_rule("cosh", _ieee.cosh, ("sinh({x})",))
    def _d_cosh(g, out, x):
        return g * _sinh(x)  # d cosh(x)/dx = sinh(x)

    def asinh(self) -> Value:
        """Inverse hyperbolic sine.

        Examples:
            >>> from autograd import Value, asinh
            >>> x = Value(0.0)
            >>> y = x.asinh()  # or asinh(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 1.0)
            >>> asinh(0.0)  # a number in, a float out
            0.0
        """
        return _node(math.asinh(self.data), self, None, Value._d_asinh)

    @staticmethod
    @_rule("asinh", math.asinh, ("1/√({x}² + 1)",))
    def _d_asinh(g, out, x):
        return _div(g, _hypot(x, 1.0))  # d asinh(x)/dx = 1/sqrt(x**2 + 1), as a hypot

    def acosh(self) -> Value:
        """Inverse hyperbolic cosine (nan below 1).

        Examples:
            >>> from autograd import Value, acosh
            >>> x = Value(2.0)
            >>> y = x.acosh()  # or acosh(x)
            >>> y.backward()
            >>> y.data, x.grad
            (1.3169578969248166, 0.5773502691896258)
            >>> acosh(2.0)  # a number in, a float out
            1.3169578969248166
        """
        return _node(_ieee.acosh(self.data), self, None, Value._d_acosh)

    @staticmethod
    @_rule("acosh", _ieee.acosh, ("1/√({x}² − 1)",))
    def _d_acosh(g, out, x):
        # d acosh(x)/dx = 1/sqrt(x**2 - 1) = 1/(sqrt(x - 1) sqrt(x + 1)): exact
        # near 1, no overflow for large x; inf at 1, nan below (where acosh is nan)
        return _div(g, _sqrt(x - 1.0) * _sqrt(x + 1.0))

    def atanh(self) -> Value:
        """Inverse hyperbolic tangent (±inf at ±1, nan beyond).

        Examples:
            >>> from autograd import Value, atanh
            >>> x = Value(0.0)
            >>> y = x.atanh()  # or atanh(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 1.0)
            >>> atanh(0.0)  # a number in, a float out
            0.0
        """
        return _node(_ieee.atanh(self.data), self, None, Value._d_atanh)

    @staticmethod
    @_rule("atanh", _ieee.atanh, ("1/(1 − {x}²)",))
    def _d_atanh(g, out, x):
        return _div(g, (1.0 - x) * (1.0 + x))  # d atanh(x)/dx = 1/(1 - x**2)

    def deg2rad(self) -> Value:
        """Degrees to radians: self * π/180.

        Examples:
            >>> from autograd import Value, deg2rad
            >>> x = Value(180.0)
            >>> y = x.deg2rad()  # or deg2rad(x)
            >>> y.backward()
            >>> y.data, x.grad
            (3.141592653589793, 0.017453292519943295)
            >>> deg2rad(180.0)  # a number in, a float out
            3.141592653589793
        """
        return _node(math.radians(self.data), self, None, Value._d_deg2rad)

    @staticmethod
    @_rule("deg2rad", math.radians, ("π/180",))
    def _d_deg2rad(g, out, x):
        return g * _ieee.DEG2RAD

    def rad2deg(self) -> Value:
        """Radians to degrees: self * 180/π.

        Examples:
            >>> from autograd import Value, rad2deg
            >>> x = Value(1.0)
            >>> y = x.rad2deg()  # or rad2deg(x)
            >>> y.backward()
            >>> y.data, x.grad
            (57.29577951308232, 57.29577951308232)
            >>> rad2deg(1.0)  # a number in, a float out
            57.29577951308232
        """
        return _node(math.degrees(self.data), self, None, Value._d_rad2deg)

    @staticmethod
    @_rule("rad2deg", math.degrees, ("180/π",))
    def _d_rad2deg(g, out, x):
        return g * _ieee.RAD2DEG

    # ------------------------------------------------------------ logarithms, exponentials

    def log2(self) -> Value:
        """Base-2 logarithm (-inf at 0, nan below 0).

        Examples:
            >>> from autograd import Value, log2
            >>> x = Value(8.0)
            >>> y = x.log2()  # or log2(x)
            >>> y.backward()
            >>> y.data, x.grad
            (3.0, 0.18033688011112042)
            >>> log2(8.0)  # a number in, a float out
            3.0
        """
        return _node(_ieee.log2(self.data), self, None, Value._d_log2)

    @staticmethod
    @_rule("log2", _ieee.log2, ("1/({x}·ln 2)",))
    def _d_log2(g, out, x):
        return _div(g, x * _ieee.LN2)  # d log2(x)/dx = 1/(x ln 2)

    def log10(self) -> Value:
        """Base-10 logarithm (-inf at 0, nan below 0).

        Examples:
            >>> from autograd import Value, log10
            >>> x = Value(100.0)
            >>> y = x.log10()  # or log10(x)
            >>> y.backward()
            >>> y.data, x.grad
            (2.0, 0.004342944819032518)
            >>> log10(100.0)  # a number in, a float out
            2.0
        """
        return _node(_ieee.log10(self.data), self, None, Value._d_log10)

    @staticmethod
    @_rule("log10", _ieee.log10, ("1/({x}·ln 10)",))
    def _d_log10(g, out, x):
        return _div(g, x * _ieee.LN10)  # d log10(x)/dx = 1/(x ln 10)

    def log1p(self) -> Value:
        """log(1 + self), accurate for small self (-inf at -1, nan below -1).

        Examples:
            >>> from autograd import Value, log1p
            >>> x = Value(0.0)
            >>> y = x.log1p()  # or log1p(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 1.0)
            >>> log1p(0.0)  # a number in, a float out
            0.0
        """
        return _node(_ieee.log1p(self.data), self, None, Value._d_log1p)

    @staticmethod
    @_rule("log1p", _ieee.log1p, ("1/(1 + {x})",))
    def _d_log1p(g, out, x):
        return _div(g, 1.0 + x)  # d log(1 + x)/dx = 1/(1 + x)

    def expm1(self) -> Value:
        """e ** self - 1, accurate for small self (inf on overflow).

        Examples:
            >>> from autograd import Value, expm1
            >>> x = Value(0.0)
            >>> y = x.expm1()  # or expm1(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 1.0)
            >>> expm1(0.0)  # a number in, a float out
            0.0
        """
        return _node(_ieee.expm1(self.data), self, None, Value._d_expm1)

    @staticmethod
    @_rule("expm1", _ieee.expm1, ("e^{x}",))
    def _d_expm1(g, out, x):
        # d (e**x - 1)/dx = e**x, taken from exp(x) rather than out + 1, which
        # rounds to 0 for x below about -37
        return g * _exp(x)

    def exp2(self) -> Value:
        """2 ** self (inf on overflow).

        Examples:
            >>> from autograd import Value, exp2
            >>> x = Value(3.0)
            >>> y = x.exp2()  # or exp2(x)
            >>> y.backward()
            >>> y.data, x.grad
            (8.0, 5.545177444479562)
            >>> exp2(3.0)  # a number in, a float out
            8.0
        """
        return _node(_ieee.exp2(self.data), self, None, Value._d_exp2)

    @staticmethod
    @_rule("exp2", _ieee.exp2, ("{out}·ln 2",))
    def _d_exp2(g, out, x):
        return g * (out * _ieee.LN2)  # d 2**x/dx = 2**x ln 2

    # ------------------------------------------------------------ special functions

    def erf(self) -> Value:
        """The error function 2/√π ∫_0^x e**(-t**2) dt.

        Examples:
            >>> from autograd import Value, erf
            >>> x = Value(0.0)
            >>> y = x.erf()  # or erf(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 1.1283791670955126)
            >>> erf(0.0)  # a number in, a float out
            0.0
        """
        return _node(math.erf(self.data), self, None, Value._d_erf)

    @staticmethod
    @_rule("erf", math.erf, ("2/√π·e^(−{x}²)",))
    def _d_erf(g, out, x):
        return g * (_ieee.TWO_OVER_SQRT_PI * _exp(-x * x))  # d erf(x)/dx = 2/√π e**(-x**2)

    def erfc(self) -> Value:
        """1 - erf(self), accurate where erf(self) is close to 1.

        Examples:
            >>> from autograd import Value, erfc
            >>> x = Value(0.0)
            >>> y = x.erfc()  # or erfc(x)
            >>> y.backward()
            >>> y.data, x.grad
            (1.0, -1.1283791670955126)
            >>> erfc(0.0)  # a number in, a float out
            1.0
        """
        return _node(math.erfc(self.data), self, None, Value._d_erfc)

    @staticmethod
    @_rule("erfc", math.erfc, ("−2/√π·e^(−{x}²)",))
    def _d_erfc(g, out, x):
        return g * (-_ieee.TWO_OVER_SQRT_PI * _exp(-x * x))  # d erfc(x)/dx = -2/√π e**(-x**2)

    def sinc(self) -> Value:
        """sin(π self)/(π self), 1 at 0 (NumPy's and PyTorch's normalised sinc).

        Examples:
            >>> from autograd import Value, sinc
            >>> x = Value(0.0)
            >>> y = x.sinc()  # or sinc(x)
            >>> y.backward()
            >>> y.data, x.grad
            (1.0, 0.0)
            >>> sinc(0.0)  # a number in, a float out
            1.0
        """
        return _node(_ieee.sinc(self.data), self, None, Value._d_sinc)

    @staticmethod
    @_rule("sinc", _ieee.sinc, ("(cos(π{x}) − sinc({x}))/{x}",))
    def _d_sinc(g, out, x):
        # d sinc(x)/dx = (cos(πx) - sinc(x))/x. That difference cancels near 0,
        # so there its Taylor series is used instead (odd, through 0), which also
        # gives the right second derivative at 0 (-π**2/3).
        xd = _data(x)
        if abs(xd) < 0.25:
            x2 = x * x
            series = _SINC_SERIES[-1]
            for c in reversed(_SINC_SERIES[:-1]):
                series = series * x2 + c
            return g * (x * series)
        if abs(xd) > 1e300:  # sinc is 0 from here on (and πx overflows)
            return _zero(g)
        return g * _div(_cos(math.pi * x) - out, x)

    # ------------------------------------------------------------ piecewise constant

    def sign(self) -> Value:
        """-1, 0 or 1 (nan stays nan); its derivative is 0 everywhere, as in PyTorch.

        Examples:
            >>> from autograd import Value, sign
            >>> x = Value(-3.0)
            >>> y = x.sign()  # or sign(x)
            >>> y.backward()
            >>> y.data, x.grad
            (-1.0, 0.0)
            >>> sign(-3.0)  # a number in, a float out
            -1.0
        """
        return _node(_ieee.sign(self.data), self, None, Value._d_sign)

    @staticmethod
    @_rule("sign", _ieee.sign, ("0",))
    def _d_sign(g, out, x):
        return _zero(g)  # constant between the jumps; 0 at the jump too, as in PyTorch

    def floor(self) -> Value:
        """The largest integer <= self; its derivative is 0 everywhere, as in PyTorch.

        Examples:
            >>> from autograd import Value, floor
            >>> x = Value(2.5)
            >>> y = x.floor()  # or floor(x)
            >>> y.backward()
            >>> y.data, x.grad
            (2.0, 0.0)
            >>> floor(2.5)  # a number in, a float out
            2.0
        """
        return _node(_ieee.floor(self.data), self, None, Value._d_floor)

    @staticmethod
    @_rule("floor", _ieee.floor, ("0",))
    def _d_floor(g, out, x):
        return _zero(g)  # constant between the integers; 0 at them too, as in PyTorch

    def ceil(self) -> Value:
        """The smallest integer >= self; its derivative is 0 everywhere, as in PyTorch.

        Examples:
            >>> from autograd import Value, ceil
            >>> x = Value(2.5)
            >>> y = x.ceil()  # or ceil(x)
            >>> y.backward()
            >>> y.data, x.grad
            (3.0, 0.0)
            >>> ceil(2.5)  # a number in, a float out
            3.0
        """
        return _node(_ieee.ceil(self.data), self, None, Value._d_ceil)

    @staticmethod
    @_rule("ceil", _ieee.ceil, ("0",))
    def _d_ceil(g, out, x):
        return _zero(g)  # constant between the integers; 0 at them too, as in PyTorch

    def trunc(self) -> Value:
        """self rounded toward 0; its derivative is 0 everywhere, as in PyTorch.

        Examples:
            >>> from autograd import Value, trunc
            >>> x = Value(-2.5)
            >>> y = x.trunc()  # or trunc(x)
            >>> y.backward()
            >>> y.data, x.grad
            (-2.0, 0.0)
            >>> trunc(-2.5)  # a number in, a float out
            -2.0
        """
        return _node(_ieee.trunc(self.data), self, None, Value._d_trunc)

    @staticmethod
    @_rule("trunc", _ieee.trunc, ("0",))
    def _d_trunc(g, out, x):
        return _zero(g)  # constant between the integers; 0 at them too, as in PyTorch

    # ------------------------------------------------------------ more activations

    def gelu(self) -> Value:
        """x Φ(x), Φ the standard normal distribution function (the exact, erf form).

        Examples:
            >>> from autograd import Value, gelu
            >>> x = Value(0.0)
            >>> y = x.gelu()  # or gelu(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 0.5)
            >>> gelu(0.0)  # a number in, a float out
            0.0
        """
        return _node(_ieee.gelu(self.data), self, None, Value._d_gelu)

    @staticmethod
    @_rule("gelu", _ieee.gelu, ("Φ({x}) + {x}·φ({x})",))
    def _d_gelu(g, out, x):
        # d x Φ(x)/dx = Φ(x) + x φ(x), Φ(x) = erfc(-x/√2)/2, φ(x) = e**(-x**2/2)/√(2π).
        # Beyond ±40, Φ is 0 or 1 and x φ(x) is 0 in floats: the limits are
        # returned exactly, so that ±inf gives 1 or 0 rather than inf * 0
        xd = _data(x)
        if xd > 40.0:
            return g
        if xd < -40.0:
            return _zero(g)
        return g * (0.5 * _erfc(-x * _ieee.SQRT_HALF) + x * _exp(-0.5 * x * x) * _ieee.INV_SQRT_2PI)

    def silu(self) -> Value:
        """x sigmoid(x) (also called swish).

        Examples:
            >>> from autograd import Value, silu
            >>> x = Value(0.0)
            >>> y = x.silu()  # or silu(x)
            >>> y.backward()
            >>> y.data, x.grad
            (0.0, 0.5)
            >>> silu(0.0)  # a number in, a float out
            0.0
        """
        return _node(_ieee.silu(self.data), self, None, Value._d_silu)

    @staticmethod
    @_rule("silu", _ieee.silu, ("s + {x}·s·(1 − s), s = sigmoid({x})",))
    def _d_silu(g, out, x):
        # d x s(x)/dx = s + x s (1 - s) = s (1 + x (1 - s)), s = sigmoid(x);
        # at ±inf the limits 1 and 0, rather than inf * 0
        xd = _data(x)
        if xd == math.inf:
            return g
        if xd == -math.inf:
            return _zero(g)
        s = _sigmoid(x)
        return g * (s * (1.0 + x * (1.0 - s)))

    # ------------------------------------------------------------ clamp, detach

    def clamp(self, lo: float | None = None, hi: float | None = None) -> Value:
        """self limited to [lo, hi] (either may be None); the gradient is 1 inside the
        closed interval and 0 outside, as in PyTorch (hi wins where lo > hi)."""
        rule = clamp_rule(clamp_bounds(lo, hi))
        return _node(rule.forward(self.data), self, None, rule)

    # the rule of clamp: _Clamp, one cached rule per pair of bounds (below)

    # ------------------------------------------------------------ copying
    # copy, deepcopy and pickle work at any depth, keep shared nodes shared and
    # give a graph that behaves the same (see autograd.core.copying)

    def __reduce_ex__(self, protocol: int) -> tuple[Any, ...]:  # type: ignore[override]
        return _copying.reduce(self, protocol)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        _copying.setstate(self, state)

    def __copy__(self) -> Value:
        return _copying.shallow_copy(self)  # type: ignore[return-value]

    def __deepcopy__(self, memo: dict[int, Any]) -> Value:
        return _copying.deep_copy(self, memo)  # type: ignore[return-value]

    # ------------------------------------------------------------ backward

    def backward(self, gradient: Operand = 1.0, *, create_graph: bool = False) -> None:
        """Fill in the ``.grad`` of every node this one depends on, by the chain rule.

        As in PyTorch: each call first resets the gradients of the graph's
        interior nodes, and leaves (inputs and parameters) accumulate, so
        calling ``backward()`` twice exactly doubles the leaf gradients. With
        ``create_graph=True`` the gradients are Values with a graph of their
        own, which can be differentiated again (recorded even inside
        ``no_grad()``). From a value computed under ``no_grad()`` it raises
        ``RuntimeError``: such a value has no graph.
        """
        if modes_in_use and get_mode() & TRACE:
            _graph.refuse_in_trace("backward()")
        if self.__class__ is NoGradResult:
            raise RuntimeError(
                "backward() of a value computed under no_grad(): it has no graph, so every "
                "gradient would be 0 (it does not require grad); compute it outside "
                "no_grad(), or inside enable_grad()"
            )
        if isinstance(gradient, Value):
            if not create_graph:
                gradient = gradient.data
        elif isinstance(gradient, _ieee.REAL):
            gradient = Value(gradient) if create_graph else _ieee.to_float(gradient)
        else:
            raise TypeError(
                f"backward gradient must be a number or a Value, not {type(gradient).__name__}"
            )
        _graph.backward(self, gradient, create_graph=create_graph)

    # ------------------------------------------------------------ micrograd's names
    # The lecture videos' code (draw_dot, build_topo, the manual backprop cells)
    # reads these; they are built on the public names above and cost the rest
    # of the engine nothing. New code uses parents, op and backward().

    @property
    def _prev(self) -> set[Value]:
        """micrograd's name: the set of this node's inputs (``set(self.parents)``)."""
        return set(self.parents)

    @property
    def _op(self) -> str:
        """micrograd's name: the op that made this node (``self.op``; "" for a leaf)."""
        return self.op

    def _backward(self) -> None:
        """micrograd's name: add this node's ``.grad`` times each local derivative
        into its inputs' ``.grad``, by the op's own rule (nothing for a leaf).
        Called on every node in reverse topological order, it does what
        ``backward()`` does, without the resetting of interior gradients."""
        rule = self._rule
        if rule is None:
            return
        inputs = self.parents
        if isinstance(self.grad, Value):  # gradients with a graph (create_graph=True)
            grads = rule(self.grad, self, *inputs)
        else:
            grads = rule(self.grad, self.data, *[x.data for x in inputs])
        if len(inputs) == 1 and not is_nary(self):
            grads = (grads,)
        for x, g in zip(inputs, grads):
            x.grad = x.grad + g


class Parameter(Value):
    """A leaf that a model learns (a weight or a bias). It behaves exactly like
    a ``Value``; drawings give it a colour of its own.

    Args:
        data: the number: an int, a float, a bool or a numpy scalar (stored as a float).
        label: a name for drawings and error messages; empty by default.

    Raises:
        TypeError: ``data`` is not a real number, or ``label`` is not a str.

    Examples:
        >>> from autograd import Parameter, Value
        >>> w = Parameter(0.5, label='w')
        >>> isinstance(w, Value), w.data
        (True, 0.5)
    """

    __slots__ = ()


class Constant(Value):
    """A leaf made from a plain number, such as the 3 in ``3 * v``: ops make one
    whenever a number meets a Value. It behaves exactly like a ``Value`` (it even
    gets a gradient); drawings and ``autograd.explain`` show it as a number
    rather than as an input of the user's.

    Examples:
        >>> from autograd import Value
        >>> y = 3 * Value(2.0)
        >>> three = y.parents[0]
        >>> type(three).__name__, three.data, three.is_leaf
        ('Constant', 3.0, True)
    """

    __slots__ = ()


class NoGradResult(Value):
    """The result of an op computed under ``no_grad()``: a leaf like any other
    (a constant in graphs built from it later), except that ``backward()``
    from it raises, since it has no graph and every gradient would silently be
    0. Leaves the user makes stay ``Value``; ``_node`` gives this class to its
    results under ``no_grad``, so telling them apart costs the recording path
    nothing.

    Examples:
        >>> from autograd import Value, no_grad
        >>> a = Value(2.0)
        >>> with no_grad():
        ...     y = a * a
        >>> type(y).__name__, y.data, y.is_leaf
        ('NoGradResult', 4.0, True)
        >>> y.backward()
        Traceback (most recent call last):
        ...
        RuntimeError: backward() of a value computed under no_grad(): ...
    """

    __slots__ = ()


Operand = Value | int | float | bool

# ---------------------------------------------------------------- rules with a constant
# x ** n, a ** x and leaky_relu(slope) bake a constant into their rule. Each is
# an instance of a small class rather than a closure: one instance per
# constant, shared by its nodes, carrying the same tags as the other rules
# (``op``, ``forward``, ``formula``) and picklable by its constant.


class _ConstRule:
    """Base of the rules that carry a constant ``c``."""

    __slots__ = ("c", "op", "formula")
    _factory: Callable[[float], _ConstRule]
    c: float
    op: str
    formula: tuple[str, ...]

    def __init__(self, c: float) -> None:
        self.c = c

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self)._factory, (self.c,))

    def __repr__(self) -> str:
        return f"<rule {self.op}>"


def _short(c: float) -> str:
    """A constant as an op name shows it: 2 rather than 2.0."""
    return str(int(c)) if c.is_integer() and abs(c) < 1e15 else repr(c)


class _PowConst(_ConstRule):
    """``x ** n`` for a constant ``n``: the unary op ``**n``."""

    __slots__ = ()

    def __init__(self, n: float) -> None:
        super().__init__(n)
        self.op = f"**{_short(n)}"
        if n == 0.0 or n == 1.0:  # x**0 is constant, x**1 is x
            self.formula: tuple[str, ...] = (_short(n),)
        elif n == 2.0:
            self.formula = ("2·{x}",)
        else:
            self.formula = (f"{_short(n)}·{{x}}^{_short(n - 1.0)}",)

    def forward(self, x: float) -> float:
        return _ieee.pow(x, self.c)

    def __call__(self, g: Any, out: Any, x: Any) -> Any:
        n = self.c
        if n == 0.0:  # x**0 is constant (and the formula reads 0 * inf at x = 0)
            return _zero(g)
        return g * (n * _pow(x, n - 1.0))  # d(x**n)/dx = n x**(n-1), before g joins


class _RPow(_ConstRule):
    """``a ** x`` for a constant ``a``: the unary op ``a**``."""

    __slots__ = ("ln_a",)

    def __init__(self, a: float) -> None:
        super().__init__(a)
        self.ln_a = _ieee.log(a)
        self.op = f"{_short(a)}**"
        self.formula = (f"{{out}}·ln({_short(a)})",)

    def forward(self, x: float) -> float:
        return _ieee.pow(self.c, x)

    def __call__(self, g: Any, out: Any, x: Any) -> Any:
        if self.c == 0.0 and _data(x) >= 0.0:  # 0**x is constant there, as in PyTorch
            return _zero(g)
        return g * (out * self.ln_a)  # d(a**x)/dx = a**x ln a, before g joins


class _LeakyReLU(_ConstRule):
    """``leaky_relu`` with a given slope: x for x > 0, slope * x otherwise."""

    __slots__ = ()

    def __init__(self, slope: float) -> None:
        super().__init__(slope)
        self.op = "leaky_relu"
        self.formula = (f"1 if {{x}} > 0, else {_short(slope)}",)

    def forward(self, x: float) -> float:
        return x if x > 0.0 else self.c * x

    def __call__(self, g: Any, out: Any, x: Any) -> Any:
        return g if _data(x) > 0.0 else g * self.c  # 1 for x > 0, else slope


class _Clamp(_ConstRule):
    """``clamp`` with given bounds ``c = (lo, hi)`` (an absent bound is ∓inf)."""

    __slots__ = ("lo", "hi")

    def __init__(self, bounds: tuple[float, float]) -> None:
        super().__init__(bounds)  # type: ignore[arg-type]
        self.lo, self.hi = bounds
        self.op = "clamp"
        shown = [_short(self.lo)] if self.lo != -math.inf else []
        shown += ["{x}"] + ([_short(self.hi)] if self.hi != math.inf else [])
        self.formula = (f"1 if {' ≤ '.join(shown)}, else 0",)

    def forward(self, x: float) -> float:
        return _ieee.clamp(x, self.lo, self.hi)

    def __call__(self, g: Any, out: Any, x: Any) -> Any:
        # 1 inside [lo, hi], the bounds included (PyTorch); 0 outside and at nan
        return g if self.lo <= _data(x) <= self.hi else _zero(g)


def clamp_bounds(lo: object, hi: object) -> tuple[float, float]:
    """clamp's bounds as floats, ∓inf for an absent one; TypeError/ValueError for bad ones."""
    if lo is None and hi is None:
        raise ValueError("clamp needs a lower bound lo, an upper bound hi, or both")
    out = []
    for name, b, absent in (("lo", lo, -math.inf), ("hi", hi, math.inf)):
        if b is None:
            out.append(absent)
        elif isinstance(b, _ieee.REAL):
            out.append(_ieee.to_float(b))
        else:
            hint = (
                " (for a Value bound use autograd.maximum/minimum)" if isinstance(b, Value) else ""
            )
            raise TypeError(
                f"clamp bound {name} must be a number or None, not {type(b).__name__}{hint}"
            )
    return out[0], out[1]


@functools.lru_cache(maxsize=256)  # one rule per constant, shared by its nodes
def _pow_const(n: float) -> _PowConst:
    return _PowConst(n)


@functools.lru_cache(maxsize=256)
def _rpow(a: float) -> _RPow:
    return _RPow(a)


def leaky_slope(slope: object) -> float:
    """A leaky_relu slope as a float: an int or a float (±inf for an int too
    large for one); TypeError for anything else (a Value, a str, a bool)."""
    if isinstance(slope, bool) or not isinstance(slope, _ieee.REAL):
        raise TypeError(
            f"leaky_relu slope must be a number (int or float), not {type(slope).__name__}"
        )
    return _ieee.to_float(slope)


@functools.lru_cache(maxsize=256)
def leaky_relu_rule(slope: float) -> _LeakyReLU:
    return _LeakyReLU(slope)


@functools.lru_cache(maxsize=256)
def clamp_rule(bounds: tuple[float, float]) -> _Clamp:
    return _Clamp(bounds)


_PowConst._factory = _pow_const
_RPow._factory = _rpow
_LeakyReLU._factory = leaky_relu_rule
_Clamp._factory = clamp_rule  # type: ignore[assignment]

# ---------------------------------------------------------------- making nodes

_new = object.__new__


_MANY = MANY  # in _b: this n-ary node keeps the tuple of its inputs in _a


def _node(data: float, a: Any, b: Any, rule: Rule) -> Value:
    """The result node of an op with inputs ``a, b`` (see ``Value.__slots__``);
    a bare leaf under ``no_grad``."""
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    v._mark = None
    if modes_in_use:  # a mode is set somewhere (see autograd.core.modes): here?
        mode = get_mode()
        if mode & ANOMALY:
            parents = a if b is _MANY else (a,) if b is None else (a, b)
            check_forward(rule.op, data, parents)  # type: ignore[attr-defined]
        if mode & NO_GRAD:
            v._a = v._b = v._rule = None
            v.__class__ = NoGradResult  # so that backward() from it can refuse
            if mode & TRACE:  # autograd.compile recomputes it (forward only)
                get_tracer().node(v, a, b, rule, detached=True)
            return v
        if mode & TRACE:  # autograd.compile is tracing: it replays this node
            get_tracer().node(v, a, b, rule, detached=False)
    v._a = a
    v._b = b
    v._rule = rule
    return v


def lift(x: object) -> Any:
    """The Value itself, a ``Constant`` leaf for a number, or None (unsupported).
    (Typed Any: the binary ops rebind their operand to it.) The number checks
    ask int and float first: the common case then never meets the slower
    abstract-class check for numpy scalars."""
    if isinstance(x, Value):
        return x
    if isinstance(x, (int, float)) or isinstance(x, _ieee.REAL):
        v = _new(Constant)
        v.data = _ieee.to_float(x)
        v.grad = 0.0
        v.label = ""
        v._a = v._b = v._rule = v._mark = None
        if modes_in_use and get_mode() & TRACE:  # a number in a function being compiled
            get_tracer().constant(v)
        return v
    return None


def _operand(x: object, op: str) -> Value:
    """The other operand of a binary method as a Value; TypeError naming the op otherwise."""
    v: Value | None = lift(x)
    if v is None:
        raise TypeError(
            f"{op}: the other operand must be a Value or a number, not {type(x).__name__}"
        )
    return v


_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _compare(x: Value, other: object, op: str) -> bool:
    """``x.data <op> other``: a plain bool, or NotImplemented for an unsupported operand.

    While ``autograd.compile`` traces a function, the comparison is recorded
    as a guard: a replay checks that it still comes out the same.
    """
    o = _data_of(other)
    if o is None:
        return NotImplemented  # type: ignore[no-any-return]
    result = _COMPARISONS[op](x.data, o)
    if modes_in_use and get_mode() & TRACE:
        get_tracer().compare(op, x, other, result)
    return result


_EXACT = frozenset((int, float, bool))


def _data_of(x: object) -> float | None:
    if isinstance(x, Value):
        return x.data
    if type(x) in _EXACT:
        return x  # type: ignore[return-value]  # an int is compared exactly, as Python does
    if isinstance(x, _ieee.REAL):  # np.float64 too: a plain bool out, not numpy's
        return _ieee.to_float(x)  # type: ignore[arg-type]
    return None


# ---------------------------------------------------------------- n-ary ops


_NODE_TYPES = frozenset((Value, Parameter, Constant, NoGradResult))
_SEQUENCES = frozenset((list, tuple))


def _as_values(xs: Iterable[Operand], what: str) -> Sequence[Value]:
    """The items as Values (numbers become constant leaves); TypeError otherwise."""
    if type(xs) not in _SEQUENCES:
        try:
            xs = list(xs)
        except TypeError:
            raise TypeError(
                f"{what} must be a sequence of Values or numbers, not {type(xs).__name__}"
            ) from None
    if _NODE_TYPES.issuperset(map(type, xs)):  # the common case, checked in C
        return xs  # type: ignore[return-value]  # all Values: just checked
    vs: list[Any] = list(xs)
    for i, x in enumerate(vs):
        v = lift(x)
        if v is None:
            raise TypeError(f"{what}[{i}] must be a Value or a number, not {type(x).__name__}")
        vs[i] = v
    return vs


def dot(
    weights: Sequence[Operand], inputs: Sequence[Operand], bias: Operand | None = None
) -> Value:
    """The weighted sum ``sum(w * x) + bias`` as ONE node with one backward loop.

    A neuron built from binary ``*`` and ``+`` makes 2n nodes; this makes one,
    which is what keeps ``nn`` fast. Numbers are taken as constants.

    Args:
        weights: Values or numbers.
        inputs: Values or numbers, as many as ``weights``.
        bias: a Value or number added to the sum; None means no bias.

    Returns:
        One Value (op ``"dot"``), ``sum(w * x for w, x in zip(weights, inputs)) + bias``.

    Raises:
        TypeError: ``weights`` or ``inputs`` is not a sequence of Values or numbers, or ``bias``
            is not a Value or a number.
        ValueError: ``weights`` and ``inputs`` of different lengths.

    Examples:
        >>> from autograd import Value, dot
        >>> w = [Value(1.0), Value(2.0)]
        >>> y = dot(w, [3.0, 4.0], bias=0.5)
        >>> y.data, y.op
        (11.5, 'dot')
        >>> y.backward()
        >>> [wi.grad for wi in w]
        [3.0, 4.0]
    """
    # Sequences of Values (the common case) are checked in C, in one pass.
    if (
        type(weights) in _SEQUENCES
        and type(inputs) in _SEQUENCES
        and len(weights) == len(inputs)
        and _NODE_TYPES.issuperset(map(type, weights))
        and _NODE_TYPES.issuperset(map(type, inputs))
        and (bias is None or type(bias) in _NODE_TYPES)
    ):
        return dot_unchecked(weights, inputs, bias)  # type: ignore[arg-type]  # just checked
    ws = _as_values(weights, "weights")
    xs = _as_values(inputs, "inputs")
    if len(ws) != len(xs):
        raise ValueError(f"dot: {len(ws)} weights but {len(xs)} inputs")
    b = None if bias is None else lift(bias)
    if bias is not None and b is None:
        raise TypeError(f"bias must be a Value or a number, not {type(bias).__name__}")
    return dot_unchecked(ws, xs, b)


def dot_unchecked(
    weights: Sequence[Value], inputs: Sequence[Value], bias: Value | None = None
) -> Value:
    """``dot`` without its type checks, for callers whose sequences hold only
    Values of equal lengths by construction (``nn``'s layers, whose forward
    pass would otherwise repeat the checks for every neuron). Anything without a ``.data`` goes
    through ``dot``'s checks instead.

    Args:
        weights: the Values of one side.
        inputs: the Values of the other side, as many as ``weights``.
        bias: a Value added to the sum, or None.

    Returns:
        One node, ``sum(w * x for w, x in zip(weights, inputs)) + bias``.

    Examples:
        >>> from autograd import Value
        >>> w, x = [Value(1.0), Value(2.0)], [Value(3.0), Value(4.0)]
        >>> y = dot_unchecked(w, x, Value(0.5))
        >>> y.backward()
        >>> y.data, w[0].grad, x[1].grad
        (11.5, 3.0, 2.0)
    """
    try:
        total = builtins.sum([w.data * x.data for w, x in zip(weights, inputs)], 0.0)
    except AttributeError:
        return dot(weights, inputs, bias)
    if bias is None:
        return _node(total, (*weights, *inputs), _MANY, _d_dot)
    return _node(total + bias.data, (*weights, *inputs, bias), _MANY, _d_dot)


def _dot_forward(*args: float) -> float:
    """``dot`` on floats: weights, inputs, maybe a bias, summed as ``dot_unchecked`` sums."""
    n = len(args) // 2
    total = builtins.sum([w * x for w, x in zip(args[:n], args[n : 2 * n])], 0.0)
    return total + args[-1] if len(args) % 2 else total


@_rule("dot", _dot_forward, ("{pair}", "{pair}", "1"))
def _d_dot(g, out, *args):
    # inputs are w_1..w_n, x_1..x_n and maybe a bias:
    # d/dw_i = x_i, d/dx_i = w_i, d/db = 1
    n = len(args) // 2
    grads = [g * x for x in args[n : 2 * n]]
    grads += [g * w for w in args[:n]]
    if len(args) % 2:
        grads.append(g)
    return grads


def _dot_accumulate(g: float, inputs: tuple[Value, ...]) -> None:
    # _d_dot on floats, added straight into .grad: the inner loop of every
    # nn backward pass, so no intermediate lists
    n = len(inputs) // 2
    for w, x in zip(inputs[:n], inputs[n : 2 * n]):
        w.grad += g * x.data
        x.grad += g * w.data
    if len(inputs) % 2:
        inputs[-1].grad += g


_d_dot.accumulate = _dot_accumulate  # type: ignore[attr-defined]


def sum(values: Iterable[Operand]) -> Value:  # noqa: A001 - autograd.sum, by design
    """The sum of many values as ONE node (kept out of ``autograd.__all__``,
    where it would shadow the builtin)."""
    vs = _as_values(values, "values")
    total = 0.0
    for v in vs:
        total += v.data
    return _node(total, tuple(vs), _MANY, _d_sum)


def _sum_forward(*args: float) -> float:
    """``sum`` on floats, added left to right as ``sum`` adds them."""
    total = 0.0
    for x in args:
        total += x
    return total


@_rule("sum", _sum_forward, ("1",))
def _d_sum(g, out, *args):
    return [g] * len(args)  # d(x_1 + ... + x_n)/dx_i = 1


def _sum_accumulate(g: float, inputs: tuple[Value, ...]) -> None:
    for x in inputs:  # _d_sum on floats, added straight into .grad
        x.grad += g


_d_sum.accumulate = _sum_accumulate  # type: ignore[attr-defined]


def identity(x: Value) -> Value:
    """A new node equal to ``x`` whose gradient passes straight through to ``x``.

    Args:
        x: the Value to copy.

    Returns:
        A new Value (op ``"identity"``) with ``x``'s data.

    Examples:
        >>> from autograd import Value
        >>> x = Value(2.0)
        >>> y = identity(x)
        >>> y.backward()
        >>> y is x, y.data, y.op, x.grad
        (False, 2.0, 'identity', 1.0)
    """
    return _node(x.data, x, None, _d_identity)


def same_number(x: float) -> float:
    return x


def detached(fn: Callable[..., float], *values: Value) -> Value:
    """A new leaf whose data is ``fn`` of the values' data; no gradient flows back.

    For library code that picks a constant from the data (the max shift of
    ``nn.softmax``, a target given as a Value): unlike reading ``.data``, it
    stays visible to ``autograd.compile``, which calls ``fn`` again at every
    replay. ``fn`` must be a pure function of its float arguments.

    Args:
        fn: a pure float function of as many arguments as there are values.
        *values: the Values whose data ``fn`` reads.

    Returns:
        A leaf Value holding ``fn(*(v.data for v in values))``.

    Examples:
        >>> from autograd import Value
        >>> a, b = Value(1.0), Value(4.0)
        >>> shift = detached(max, a, b)
        >>> y = a - shift
        >>> y.backward()
        >>> shift.data, y.data, a.grad, b.grad
        (4.0, -3.0, 1.0, 0.0)
    """
    for i, v in enumerate(values):
        if not isinstance(v, Value):
            raise TypeError(f"detached: value {i} must be a Value, not {type(v).__name__}")
    out = _new(Value)
    out.data = _ieee.to_float(fn(*[v.data for v in values]))
    out.grad = 0.0
    out.label = ""
    out._a = out._b = out._rule = out._mark = None
    if modes_in_use and get_mode() & TRACE:
        get_tracer().host(out, fn, values)
    return out


@_rule("identity", same_number, ("1",))
def _d_identity(g, out, x):
    return g


# ---------------------------------------------------------------- helpers for rules
# Each works on floats (IEEE results, never an exception) and on Values.


def _data(x: Any) -> float:
    return x.data if isinstance(x, Value) else x


def _zero(g: Any) -> Any:
    """An exact zero gradient, never ``0 * g`` (nan for an infinite g); a
    constant Value when gradients are Values."""
    return Value(0.0) if isinstance(g, Value) else 0.0


def _div(a: Any, b: Any) -> Any:
    return a / b if isinstance(a, Value) or isinstance(b, Value) else _ieee.div(a, b)


def _pow(x: Any, y: Any) -> Any:
    return x**y if isinstance(x, Value) or isinstance(y, Value) else _ieee.pow(x, y)


def _log(x: Any) -> Any:
    return x.log() if isinstance(x, Value) else _ieee.log(x)


def _sin(x: Any) -> Any:
    return x.sin() if isinstance(x, Value) else _ieee.sin(x)


def _cos(x: Any) -> Any:
    return x.cos() if isinstance(x, Value) else _ieee.cos(x)


def _sigmoid(x: Any) -> Any:
    return x.sigmoid() if isinstance(x, Value) else _ieee.sigmoid(x)


def _exp(x: Any) -> Any:
    return x.exp() if isinstance(x, Value) else _ieee.exp(x)


def _sqrt(x: Any) -> Any:
    return x.sqrt() if isinstance(x, Value) else _ieee.sqrt(x)


def _sinh(x: Any) -> Any:
    return x.sinh() if isinstance(x, Value) else _ieee.sinh(x)


def _cosh(x: Any) -> Any:
    return x.cosh() if isinstance(x, Value) else _ieee.cosh(x)


def _erfc(x: Any) -> Any:
    return x.erfc() if isinstance(x, Value) else math.erfc(x)


def _hypot(x: Any, y: Any) -> Any:
    if isinstance(x, Value):
        return x.hypot(y)
    return Value(x).hypot(y) if isinstance(y, Value) else math.hypot(x, y)


def _floor_div(x: Any, y: Any) -> float:
    """floor(x / y) as Python's ``//`` (±inf or nan for y == 0): a float even for
    Values, as it is piecewise constant (its derivative is 0)."""
    return _ieee.floor_div(_data(x), _data(y))


# sinc'(x)/x = sum over k >= 1 of (-1)**k 2k π**(2k) x**(2k-2) / (2k+1)!: eight terms
# reach double precision for |x| < 0.25 (see Value._d_sinc)
_SINC_SERIES = tuple(
    (-1) ** k * 2 * k * math.pi ** (2 * k) / math.factorial(2 * k + 1) for k in range(1, 9)
)


# ---------------------------------------------------------------- ops users define


def op(
    name: str, forward: Callable[..., float], rule: Rule, formula: Sequence[str]
) -> Callable[..., Any]:
    """A new op of one or two inputs, with its derivative rule, as a function.

    ``forward`` computes the result from the inputs' floats; ``rule(g, out, *inputs)``
    returns the inputs' gradients (one, or a pair), each the local derivative times
    the output's gradient ``g`` (multiply by ``g`` last). The rule receives floats in
    an ordinary backward pass and Values under ``backward(create_graph=True)``, so
    write it with arithmetic and Value methods (``abs(x)``, ``x.exp()`` work on both)
    to get higher-order derivatives too. ``formula`` gives each input's local
    derivative as text for explanations, over ``{x}``, ``{y}`` and ``{out}``; its
    length is the op's number of inputs.

    The op is then one like the built-in ones: ``backward``, ``explain``, the
    player, ``autograd.compile``, ``jacobian`` and the test kit take it as it is.

    Args:
        name: the op's name, as ``Value.op`` and the pictures show it (new, not a built-in's).
        forward: the float function.
        rule: the derivative rule.
        formula: one template per input.

    Returns:
        A function: Values (or numbers) in, a Value out; numbers only in, a float out.

    Raises:
        TypeError: an argument of the wrong type.
        ValueError: a taken name, or a formula of neither one nor two inputs.

    Examples:
        >>> cube = op(
        ...     "mycube",
        ...     forward=lambda x: x**3,
        ...     rule=lambda g, out, x: g * (3 * x**2),  # d/dx x^3 = 3x^2
        ...     formula=("3·{x}²",),
        ... )
        >>> x = Value(2.0, label="x")
        >>> y = cube(x)
        >>> y.backward()
        >>> y.data, x.grad, y.op, cube(3)
        (8.0, 12.0, 'mycube', 27.0)
        >>> del RULES["mycube"]  # frees the name, so that this example can run again
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"op: name must be a non-empty str, not {name!r}")
    if not callable(forward) or not callable(rule):
        raise TypeError("op: forward and rule must be callable")
    if isinstance(formula, str) or not all(isinstance(f, str) for f in formula):
        raise TypeError("op: formula must be a sequence of str, one per input")
    if len(formula) not in (1, 2):
        raise ValueError(f"op {name!r}: formula must have one or two entries (the inputs)")
    if name in RULES:
        raise ValueError(f"op {name!r} exists already: choose another name")
    _rule(name, forward, tuple(formula))(rule)

    if len(formula) == 1:

        def apply(x: Operand) -> Any:
            if not isinstance(x, Value):
                if isinstance(x, _ieee.REAL):
                    return _ieee.to_float(forward(_ieee.to_float(x)))
                raise TypeError(
                    f"{name}: the input must be a Value or a number, not {type(x).__name__}"
                )
            return _node(_ieee.to_float(forward(x.data)), x, None, rule)

    else:

        def apply(x: Operand, y: Operand) -> Any:  # type: ignore[misc]
            if not isinstance(x, Value) and not isinstance(y, Value):
                if isinstance(x, _ieee.REAL) and isinstance(y, _ieee.REAL):
                    return _ieee.to_float(forward(_ieee.to_float(x), _ieee.to_float(y)))
            vx, vy = _operand(x, name), _operand(y, name)
            return _node(_ieee.to_float(forward(vx.data, vy.data)), vx, vy, rule)

    apply.__name__ = apply.__qualname__ = name
    apply.__doc__ = forward.__doc__ or f"The op {name!r}."
    return apply
