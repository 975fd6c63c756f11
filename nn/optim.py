"""Optimizers. Their state (momentum, moment estimates) lives in the optimizer,
keyed by the parameter's index in ``params``, never on the parameters."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from autograd import Value, extend, no_grad


def _param_list(params: Iterable[Value] | Any) -> list[Value]:
    if hasattr(params, "parameters") and callable(params.parameters):
        params = params.parameters()  # a Module
    ps = list(params)
    for i, p in enumerate(ps):
        if not isinstance(p, Value):
            raise TypeError(f"params[{i}] must be a Value (Parameter), not {type(p).__name__}")
    if len({id(p) for p in ps}) != len(ps):
        raise ValueError("params lists a parameter more than once")
    return ps


def _grad(p: Value, weight_decay: float) -> float:
    """p's gradient as a float, plus ``weight_decay * p`` (the L2 term's gradient)."""
    g = p.grad
    g = g.data if isinstance(g, Value) else g  # a Value after create_graph=True
    return g + weight_decay * p.data if weight_decay else g


class Optimizer:
    """Shared parts: the parameter list, an assignable ``lr`` and ``zero_grad``.

    Args:
        params: the Values to update, or a Module (its ``parameters()`` are used).
        lr: the learning rate, >= 0.

    Raises:
        TypeError: an entry of ``params`` that is not a Value, or ``lr`` not a number.
        ValueError: a parameter listed twice, or ``lr`` negative, nan or inf.

    Examples:
        >>> import nn
        >>> issubclass(nn.SGD, nn.Optimizer), issubclass(nn.Adam, nn.Optimizer)
        (True, True)
    """

    def __init__(self, params: Iterable[Value] | Any, lr: float) -> None:
        self.params = _param_list(params)
        self.lr = lr
        self.state: dict[int, Any] = {}

    @property
    def lr(self) -> float:
        """The learning rate; assign to change it between steps (e.g. for a schedule)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = extend.nonnegative(value, "lr")

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to 0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        raise NotImplementedError

    def state_of(self, param: Value) -> dict[str, float]:
        """What the optimizer keeps for ``param``, by name (a copy): ``{}`` for plain SGD,
        ``{"momentum": v}`` for SGD with momentum, ``{"m": m, "v": v}`` for Adam (zeros
        before the first step).

        Raises:
            ValueError: ``param`` is not one of this optimizer's parameters.
        """
        for i, p in enumerate(self.params):
            if p is param:
                return self._state(i)
        raise ValueError("state_of: that parameter is not one this optimizer updates")

    def states(self) -> list[dict[str, float]]:
        """``state_of`` of every parameter, in the order of ``params``."""
        return [self._state(i) for i in range(len(self.params))]

    def _state(self, i: int) -> dict[str, float]:
        return {}


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum and weight decay.

    With g = grad + weight_decay * p: ``v = momentum * v + g`` and
    ``p -= lr * v`` (PyTorch's convention; with momentum 0 that is ``p -= lr * g``).

    Args:
        params: the Values to update, or a Module (its ``parameters()`` are used).
        lr: the learning rate, >= 0.
        momentum: the momentum factor; 0 means plain SGD.
        weight_decay: the L2 coefficient: ``weight_decay * p`` is added to each gradient.

    Raises:
        TypeError: an entry of ``params`` that is not a Value, or a rate that is not a number.
        ValueError: a parameter listed twice, or a rate negative, nan or inf.

    Examples:
        >>> import nn
        >>> from autograd import Parameter
        >>> w = Parameter(1.0)
        >>> opt = nn.SGD([w], lr=0.1)
        >>> (w * w).backward()
        >>> opt.step()
        >>> w.data
        0.8
        >>> opt.zero_grad()
        >>> w.grad
        0.0
    """

    def __init__(
        self,
        params: Iterable[Value] | Any,
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = extend.nonnegative(momentum, "momentum")
        self.weight_decay = extend.nonnegative(weight_decay, "weight_decay")

    def step(self) -> None:
        """Update every parameter once from its current gradient."""
        lr, mu, wd = self._lr, self.momentum, self.weight_decay
        state = self.state
        with no_grad():
            for i, p in enumerate(self.params):
                g = _grad(p, wd)
                if mu:
                    v = state.get(i)
                    g = g if v is None else mu * v + g
                    state[i] = g
                p.data -= lr * g

    def _state(self, i: int) -> dict[str, float]:
        return {"momentum": self.state.get(i, 0.0)} if self.momentum else {}


class Adam(Optimizer):
    """Adam (Kingma and Ba) with bias-corrected moment estimates.

    ``weight_decay`` adds ``weight_decay * p`` to the gradient (L2, as in
    ``torch.optim.Adam``; not the decoupled AdamW form).

    Args:
        params: the Values to update, or a Module (its ``parameters()`` are used).
        lr: the learning rate, >= 0.
        betas: the decay rates ``(beta1, beta2)`` of the two moment estimates, each in [0, 1).
        eps: added to the denominator for stability.
        weight_decay: the L2 coefficient: ``weight_decay * p`` is added to each gradient.

    Raises:
        TypeError: an entry of ``params`` that is not a Value, ``betas`` not a pair, or a rate
            that is not a number.
        ValueError: a parameter listed twice, ``betas`` not of two values or outside [0, 1),
            or a rate negative, nan or inf.

    Examples:
        >>> import nn
        >>> from autograd import Parameter
        >>> w = Parameter(1.0)
        >>> opt = nn.Adam([w], lr=0.1)
        >>> (w * w).backward()
        >>> opt.step()
        >>> round(w.data, 6)
        0.9
    """

    def __init__(
        self,
        params: Iterable[Value] | Any,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, (list, tuple)):
            raise TypeError(f"betas must be a pair (beta1, beta2), not {type(betas).__name__}")
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {len(betas)} values")
        b1, b2 = betas
        self.betas = (extend.nonnegative(b1, "betas[0]"), extend.nonnegative(b2, "betas[1]"))
        if not (self.betas[0] < 1.0 and self.betas[1] < 1.0):
            raise ValueError(f"betas must lie in [0, 1), got {betas!r}")
        self.eps = extend.nonnegative(eps, "eps")
        self.weight_decay = extend.nonnegative(weight_decay, "weight_decay")
        self.t = 0

    def step(self) -> None:
        """Update every parameter once from its current gradient."""
        self.t += 1
        b1, b2 = self.betas
        lr, eps, wd = self._lr, self.eps, self.weight_decay
        c1 = 1.0 - b1**self.t  # bias corrections
        c2 = 1.0 - b2**self.t
        state = self.state
        with no_grad():
            for i, p in enumerate(self.params):
                g = _grad(p, wd)
                m, v = state.get(i, (0.0, 0.0))
                m = b1 * m + (1.0 - b1) * g
                v = b2 * v + (1.0 - b2) * g * g
                state[i] = (m, v)
                denom = math.sqrt(v / c2) + eps
                if denom:  # 0 only with eps = 0 and every gradient so far 0 (so m = 0)
                    p.data -= lr * (m / c1) / denom

    def _state(self, i: int) -> dict[str, float]:
        m, v = self.state.get(i, (0.0, 0.0))
        return {"m": m, "v": v}
