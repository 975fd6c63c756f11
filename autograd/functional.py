"""Functional derivatives in the style of JAX and HIPS autograd, and gradient checks.

``grad(f)(x)`` differentiates ``f`` at ``x`` without touching any node's
``.grad``, so calls nest (``grad(grad(f))``) and an inner derivative never
leaks into an outer one (no perturbation confusion).
"""

from __future__ import annotations

import contextvars
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from autograd.core import NoGradResult, Value, identity
from autograd.core import ieee as _ieee
from autograd.core.graph import backpropagate, topological_order
from autograd.core.modes import enable_grad, no_grad

ArgNums = int | Sequence[int]

# How many grad/value_and_grad calls are running f right now. Inside one, a
# derivative must stay a Value (an outer call may differentiate it again).
_depth: contextvars.ContextVar[int] = contextvars.ContextVar("chaingrad_grad_depth", default=0)


class GradcheckError(AssertionError):
    """A gradient from the engine disagrees with central differences.

    Examples:
        >>> from autograd import gradcheck, GradcheckError
        >>> from autograd.testing import assert_grads
        >>> try:
        ...     assert_grads(lambda x: x * x, 3.0, expected=[5.0])
        ... except GradcheckError as e:
        ...     print(isinstance(e, AssertionError))
        True
    """


class ConstantOutputWarning(UserWarning):
    """``grad`` was given a function that returned a plain number: its
    derivative is taken as 0, which is right for a constant and wrong when the
    function computed outside the engine (``.data``, ``float()``, ``math.*``).

    Examples:
        >>> import warnings
        >>> from autograd import grad, ConstantOutputWarning
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter('always')
        ...     d = grad(lambda x: 5.0)(1.0)
        >>> d, caught[0].category is ConstantOutputWarning
        (0.0, True)
    """


def _is_int(i: object) -> bool:
    return isinstance(i, int) and not isinstance(i, bool)


def _checked_argnums(argnums: Any) -> ArgNums:
    """``argnums`` as given, after checking its type (TypeError naming it)."""
    if _is_int(argnums):
        return argnums  # type: ignore[no-any-return]
    if isinstance(argnums, (tuple, list)) and all(_is_int(i) for i in argnums):
        return tuple(argnums)
    raise TypeError(f"argnums must be an int or a tuple of ints, not {argnums!r}")


def _argnums(argnums: ArgNums, nargs: int) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for i in nums:
        if not isinstance(i, int) or not -nargs <= i < nargs:
            raise ValueError(f"argnums {argnums!r} does not fit a call with {nargs} arguments")
    return tuple(i % nargs for i in nums)


def _warn_constant(f: Callable[..., Any], out: object, level: int) -> None:
    name = getattr(f, "__name__", "f")
    warnings.warn(
        f"grad: {name} returned a {type(out).__name__}, not a Value, so its derivative "
        "is taken as 0; if it computed with .data, float() or math.* on its argument, "
        "that part is invisible to the engine (use the Value methods: x.sin(), x ** 2); "
        "return Value(c) for a constant to silence this",
        ConstantOutputWarning,
        stacklevel=level,
    )


def _trace(
    f: Callable[..., Any], argnums: ArgNums, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, list[Value], bool]:
    """Call ``f`` with a fresh input node for each argument in ``argnums``.

    Returns f's result, the input nodes (one per entry of ``argnums``; an
    argument listed twice gets one node) and whether the derivatives must stay
    Values (inside another ``grad``, or called with Values).
    """
    nums = _argnums(argnums, len(args))
    nested = _depth.get() > 0 or any(isinstance(a, Value) for a in args)
    call = list(args)
    nodes: dict[int, Value] = {}
    for i in nums:
        if i in nodes:
            continue
        a = args[i]
        if isinstance(a, Value):
            with enable_grad():  # recorded even in no_grad: it is part of the derivative
                node = identity(a)  # a fresh node: only paths through it count
        elif isinstance(a, _ieee.REAL):
            node = Value(a)
        else:
            raise TypeError(
                f"argument {i} must be a number or a Value to differentiate, not {type(a).__name__}"
            )
        call[i] = nodes[i] = node
    token = _depth.set(_depth.get() + 1)
    try:
        with enable_grad():  # differentiating means recording, even in no_grad
            out = f(*call, **kwargs)
    finally:
        _depth.reset(token)
    return out, [nodes[i] for i in nums], nested


def _gradients(out: Value, inputs: list[Value], nested: bool) -> tuple[Any, ...]:
    """d out / d input for each input node (0.0 where out does not depend on it)."""
    if out.__class__ is NoGradResult:
        raise RuntimeError(
            "the function returned a value computed under no_grad(): it has no "
            "graph to differentiate; compute it outside no_grad()"
        )
    order = topological_order(out, stop=inputs)
    # (inside no_grad too: create_graph records there, as backpropagate sees to)
    grads = backpropagate(order, 1.0, create_graph=nested)
    gs = tuple(grads.get(node, 0.0) for node in inputs)
    if nested:  # Values, to be differentiated again (a rule may pass a float through)
        return tuple(g if isinstance(g, Value) else Value(g) for g in gs)
    return gs


def _constant_gradients(inputs: list[Value], nested: bool) -> tuple[Any, ...]:
    """The gradients of a constant output: 0 for each input (Values when nested,
    like every nested gradient)."""
    return (Value(0.0) if nested else 0.0,) * len(inputs)


def value_and_grad(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., tuple[Any, Any]]:
    """Return a function computing ``(f(*args), df/d args[argnums])``.

    With an int ``argnums`` the gradient is one number, with a tuple it is a
    tuple. Called with numbers at top level the results are floats; called with
    Values, or inside another ``grad``, they are Values that can be
    differentiated again.

    Args:
        f: the function to differentiate; it returns one Value (or a number).
        argnums: which positional argument(s) to differentiate with respect to.

    Returns:
        A function of ``f``'s arguments returning ``(value, gradient)``.

    Raises:
        TypeError: ``argnums`` is not an int or a tuple of ints; from the returned function,
            an argument in ``argnums`` that is not a number or Value, or ``f`` returning
            neither a Value nor a number.
        ValueError: (from the returned function) ``argnums`` out of range for the call.
        RuntimeError: (from the returned function) ``f`` returned a result of ``no_grad``.

    Examples:
        >>> from autograd import value_and_grad
        >>> value_and_grad(lambda x: x ** 2)(3.0)
        (9.0, 6.0)
    """

    return _value_and_grad(f, argnums, warn_level=3)


def _value_and_grad(
    f: Callable[..., Any], argnums: ArgNums, warn_level: int
) -> Callable[..., tuple[Any, Any]]:
    """``value_and_grad``; a warning about a constant output points
    ``warn_level`` frames up (at the caller of the function returned)."""
    argnums = _checked_argnums(argnums)

    def wrapped(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        out, inputs, nested = _trace(f, argnums, args, kwargs)
        if isinstance(out, _ieee.REAL):  # a constant, or a computation that left the engine
            _warn_constant(f, out, warn_level)
            out_value: Any = _ieee.to_float(out)
            gs = _constant_gradients(inputs, nested)
        elif isinstance(out, Value):
            out_value = out if nested else out.data
            gs = _gradients(out, inputs, nested)
        else:
            raise TypeError(
                f"the function must return a Value or a number, not {type(out).__name__}"
            )
        return out_value, (gs[0] if isinstance(argnums, int) else gs)

    wrapped.__name__ = f"value_and_grad({getattr(f, '__name__', 'f')})"
    wrapped.__doc__ = f"Value and gradient of {getattr(f, '__name__', 'f')}."
    return wrapped


def grad(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., Any]:
    """Return a function computing the derivative of ``f`` with respect to
    ``args[argnums]``: ``grad(lambda x: x**3)(2.0) == 12.0``, and
    ``grad(grad(lambda x: x**3))(2.0) == 12.0``.

    ``argnums`` is an int or a tuple of ints (TypeError otherwise). ``f`` must
    return a Value computed with the engine's ops; where it returns a plain
    number, the derivative is 0 and a ``ConstantOutputWarning`` says so (the
    number may be a constant, where 0 is right, or may come from ``.data``,
    ``float()`` or ``math.*``, which the engine cannot see through). A Value
    that does not depend on the argument (a constant ``Value(c)``, or the
    derivative of a linear function) has derivative 0, silently.

    Args:
        f: the function to differentiate; it returns one Value (or a number).
        argnums: which positional argument(s) to differentiate with respect to.

    Returns:
        A function of ``f``'s arguments returning the derivative (a tuple for a tuple
        ``argnums``).

    Raises:
        TypeError: ``argnums`` is not an int or a tuple of ints. The returned function raises
            as ``value_and_grad``'s does.

    Examples:
        >>> from autograd import grad
        >>> grad(lambda x: x ** 3)(2.0)
        12.0
        >>> grad(lambda x, y: x * y, argnums=(0, 1))(2.0, 5.0)
        (5.0, 2.0)
    """
    vg = _value_and_grad(f, argnums, warn_level=4)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        return vg(*args, **kwargs)[1]

    wrapped.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    wrapped.__doc__ = f"Derivative of {getattr(f, '__name__', 'f')}."
    return wrapped


# ---------------------------------------------------------------- derivatives of many outputs


def jacobian(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., Any]:
    """Return a function computing the Jacobian of ``f`` (JAX-style).

    ``f`` returns a Value (or number) or a list/tuple of m of them. The result
    has one row per output and one column per argument in ``argnums``: m lists
    of k floats for a tuple ``argnums`` of k entries, m floats for an int
    ``argnums``; when ``f`` returns one Value, the result is that one row (a
    list of k floats, or a float). ``f`` runs once; each output gets its own
    backward pass. Values, not floats, when called with Values or inside
    ``grad``, as for ``grad``.

    Args:
        f: the function; it returns a Value (or number), or a list or tuple of them.
        argnums: which positional argument(s) give the columns.

    Returns:
        A function of ``f``'s arguments returning the Jacobian, shaped as above.

    Raises:
        TypeError: ``argnums`` is not an int or a tuple of ints; from the returned function,
            an argument in ``argnums`` that is not a number or Value, or an output that is
            neither a Value nor a number.
        ValueError: (from the returned function) ``argnums`` out of range for the call.
        RuntimeError: (from the returned function) an output computed under ``no_grad``.

    Examples:
        >>> from autograd import jacobian
        >>> jacobian(lambda x, y: [x * y, x + y], argnums=(0, 1))(2.0, 3.0)
        [[3.0, 2.0], [1.0, 1.0]]
    """

    argnums = _checked_argnums(argnums)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        out, inputs, nested = _trace(f, argnums, args, kwargs)
        one = isinstance(out, (Value, int, float))
        if not one and not isinstance(out, (list, tuple)):
            raise TypeError(
                "the function must return a Value, a number, or a list or tuple of them, "
                f"not {type(out).__name__}"
            )
        rows = []
        for i, o in enumerate([out] if one else out):
            if isinstance(o, Value):
                gs = _gradients(o, inputs, nested)
            elif isinstance(o, _ieee.REAL):  # a constant output
                gs = _constant_gradients(inputs, nested)
            else:
                raise TypeError(f"output {i} must be a Value or a number, not {type(o).__name__}")
            rows.append(gs[0] if isinstance(argnums, int) else list(gs))
        return rows[0] if one else rows

    wrapped.__name__ = f"jacobian({getattr(f, '__name__', 'f')})"
    wrapped.__doc__ = f"Jacobian of {getattr(f, '__name__', 'f')}."
    return wrapped


def hessian(f: Callable[..., Any], argnums: ArgNums = 0) -> Callable[..., Any]:
    """Return a function computing the Hessian of ``f``, which returns one Value:
    a k x k nested list for a tuple ``argnums`` of k entries, a float for an
    int. It is ``jacobian(grad(f, argnums), argnums)``: the engine's own
    second derivatives, each row one backward pass through the gradient's graph.

    Args:
        f: the function; it returns one Value.
        argnums: which positional argument(s) to differentiate with respect to.

    Returns:
        A function of ``f``'s arguments returning the Hessian.

    Raises:
        TypeError: ``argnums`` is not an int or a tuple of ints. The returned function raises
            as ``jacobian``'s does.

    Examples:
        >>> from autograd import hessian
        >>> hessian(lambda x, y: x * x * y, argnums=(0, 1))(1.0, 2.0)
        [[4.0, 2.0], [2.0, 0.0]]
    """
    wrapped = jacobian(grad(f, argnums), argnums)
    wrapped.__name__ = f"hessian({getattr(f, '__name__', 'f')})"
    wrapped.__doc__ = f"Hessian of {getattr(f, '__name__', 'f')}."
    return wrapped


def call_float(f: Callable[..., Any], xs: Sequence[float]) -> float:
    with no_grad():  # no graph needed: only the value
        out = f(*[Value(x) for x in xs])
    if isinstance(out, Value):
        return out.data
    if isinstance(out, _ieee.REAL):
        return float(out)
    raise TypeError(f"the function must return a Value or a number, not {type(out).__name__}")


def floats(xs: Sequence[Any]) -> list[float]:
    out = []
    for i, x in enumerate(xs):
        if isinstance(x, Value):
            out.append(x.data)
        elif isinstance(x, _ieee.REAL):
            out.append(_ieee.to_float(x))
        else:
            raise TypeError(f"argument {i} must be a number or a Value, not {type(x).__name__}")
    return out


def numerical_grad(f: Callable[..., Any], *xs: Any, eps: float = 1e-6) -> Any:
    """Central differences ``(f(x+eps) - f(x-eps)) / 2eps`` for each argument.

    One argument gives a float, several give a tuple of floats. ``eps`` must
    be a finite number > 0.

    Args:
        f: the function; it is called with Values and returns a Value or a number.
        *xs: the point, one number (or Value, read as its data) per argument of ``f``.
        eps: the step, a finite number > 0.

    Returns:
        The derivative, a float for one argument, a tuple of floats for several.

    Raises:
        TypeError: an ``xs`` entry that is not a number or Value, ``eps`` not a number, or
            ``f`` returning neither a Value nor a number.
        ValueError: ``eps`` is not finite and > 0.

    Examples:
        >>> from autograd import numerical_grad
        >>> g = numerical_grad(lambda x: x * x, 3.0)
        >>> round(g, 6)
        6.0
    """
    eps = _ieee.nonnegative(eps, "eps", positive=True)
    point = floats(xs)
    out = []
    for i in range(len(point)):
        up, down = list(point), list(point)
        up[i] += eps
        down[i] -= eps
        out.append((call_float(f, up) - call_float(f, down)) / (2.0 * eps))
    return out[0] if len(out) == 1 else tuple(out)


def _compare(
    analytic: Sequence[float], numeric: Sequence[float], atol: float, rtol: float, what: str
) -> None:
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        if not (_ieee.is_finite(a) and _ieee.is_finite(n) and abs(a - n) <= atol + rtol * abs(n)):
            raise GradcheckError(
                f"{what} with respect to argument {i}: engine gives {a!r}, "
                f"central differences give {n!r} (difference {a - n!r}, "
                f"allowed {atol + rtol * abs(n)!r})"
            )


def gradcheck(
    f: Callable[..., Any],
    *xs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    order: int = 1,
) -> bool:
    """Check the engine's derivatives of ``f`` at ``xs`` against central differences.

    Returns True, or raises ``GradcheckError`` naming the argument and both
    values. ``order=2`` also checks every second derivative (the derivative of
    each engine-computed first derivative, against differences of it).
    ``atol`` and ``rtol`` must be finite numbers >= 0 (a nan or infinite
    tolerance could never fail), ``eps`` a finite number > 0.

    Args:
        f: the function to check; it returns one Value.
        *xs: the point, one number (or Value, read as its data) per argument of ``f``.
        eps: the central differences' step, a finite number > 0.
        atol: the absolute tolerance, >= 0.
        rtol: the relative tolerance, >= 0.
        order: 1 for the gradient, 2 for the second derivatives too.

    Returns:
        True when every derivative agrees.

    Raises:
        GradcheckError: a derivative disagrees (or is not finite).
        TypeError: an ``xs`` entry or a tolerance that is not a number, or a bad result of ``f``.
        ValueError: no ``xs``, ``order`` not 1 or 2, or a tolerance or ``eps`` out of range.

    Examples:
        >>> from autograd import gradcheck
        >>> gradcheck(lambda x, y: x.sin() * y, 0.5, 2.0)
        True
    """
    check_order(order, "gradcheck")
    eps = _ieee.nonnegative(eps, "eps", positive=True)
    atol = _ieee.nonnegative(atol, "atol")  # nan or inf would accept anything
    rtol = _ieee.nonnegative(rtol, "rtol")
    point = floats(xs)
    nums = tuple(range(len(point)))
    if not nums:
        raise ValueError("gradcheck needs at least one argument")
    for i, engine, numerical in derivatives(f, point, order, eps):
        what = "derivative" if i is None else f"second derivative d/dx (df/dx_{i})"
        _compare(engine, numerical, atol, rtol, what)
    return True


def derivatives(
    f: Callable[..., Any], point: Sequence[float], order: int, eps: float
) -> Iterator[tuple[int | None, tuple[float, ...], tuple[float, ...]]]:
    """The engine's derivatives of ``f`` at ``point`` beside central differences, as
    ``(i, engine, numerical)``: the gradient first (``i`` None), then at order 2 the
    gradient of each df/dx_i (the engine's own first derivative, differentiated again).
    Lazily, so a check can stop at the first disagreement."""
    nums = tuple(range(len(point)))
    yield None, grad(f, nums)(*point), float_tuple(numerical_grad(f, *point, eps=eps))
    if order == 2:
        for i in nums:
            first = grad(f, i)
            yield i, grad(first, nums)(*point), float_tuple(numerical_grad(first, *point, eps=eps))


def check_order(order: object, who: str) -> None:
    """The derivative checks' ``order``: 1 or 2 (not a bool)."""
    if order not in (1, 2) or isinstance(order, bool):
        raise ValueError(f"{who} order must be 1 or 2, not {order!r}")


def float_tuple(x: Any) -> tuple[float, ...]:
    return x if isinstance(x, tuple) else (x,)
