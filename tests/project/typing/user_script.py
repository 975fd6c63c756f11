"""A user's script written against chaingrad's public API, as `mypy --strict`
sees it (tests/project/test_typing.py checks that it passes, and that a typo fails)."""

from __future__ import annotations

import copy
import pickle

import autograd
import nn
from autograd import Parameter, Value, dot, grad, no_grad, value_and_grad


def loss_of(model: nn.MLP, X: list[list[float]], y: list[float]) -> Value:
    scores = [model(x)[0] for x in X]
    return nn.hinge_loss(scores, y) + nn.l2_penalty(model, 1e-4)


def main() -> float:
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    J = 3 * (a + b * c)
    J.backward()
    first: float = a.grad + b.grad + c.grad
    w = Parameter(0.5)
    z = dot([w, a], [b, 2.0], bias=1.0).tanh() ** 2 / (1 + abs(-w))
    z = z.exp().log().sigmoid().relu().softplus().leaky_relu(0.1) - 1
    z.backward(create_graph=True)
    slope: float = grad(lambda x: x**3)(2.0)
    value: float
    value, _ = value_and_grad(lambda x, y: x * y, argnums=(0, 1))(2.0, 3.0)
    with no_grad():
        frozen = a * 2
    ok: bool = frozen > 1.0
    twin = copy.deepcopy(J)
    again: Value = pickle.loads(pickle.dumps(J))
    autograd.gradcheck(lambda x: x.sin() * x, 0.3, order=2)

    X, labels = nn.datasets.moons(20, noise=0.1, rng=0)
    y = [2.0 * t - 1.0 for t in labels]
    model = nn.MLP(2, [4, 1], rng=1)
    opt = nn.SGD(model.parameters(), lr=0.1)
    history = nn.fit(model, X, y, lambda o, t: nn.hinge_loss(o, t), opt, epochs=2, progress=False)
    loss = loss_of(model, X, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    acc: float = nn.accuracy([model(x)[0] for x in X], y, labels=(-1, 1))
    named: dict[str, float] = model.state_dict()
    total = first + slope + value + acc + len(named) + history["loss"][-1] + twin.data
    return total + again.data + ok


if __name__ == "__main__":
    print(main())
