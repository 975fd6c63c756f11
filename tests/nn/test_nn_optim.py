"""SGD and Adam: updates against hand-written formulas, state kept in the optimizer."""

import math

import pytest

import nn
from autograd import Parameter, Value


def params(*xs):
    return [Parameter(x) for x in xs]


def set_grads(ps, gs):
    for p, g in zip(ps, gs):
        p.grad = g


def test_sgd_step_is_p_minus_lr_g():
    ps = params(1.0, -2.0)
    opt = nn.SGD(ps, lr=0.1)
    set_grads(ps, [0.5, -4.0])
    opt.step()
    assert [p.data for p in ps] == [1.0 - 0.1 * 0.5, -2.0 - 0.1 * -4.0]
    assert all(type(p) is Parameter and p.op == "" and p.parents == () for p in ps)
    assert opt.state == {}  # plain SGD keeps no state


def test_sgd_on_a_real_gradient():
    (w,) = ps = params(3.0)
    opt = nn.SGD(ps, lr=0.25)
    loss = (w - 1.0) ** 2  # d/dw = 2 (w - 1) = 4
    loss.backward()
    opt.step()
    assert w.data == 3.0 - 0.25 * 4.0


def test_sgd_momentum_and_weight_decay_follow_the_pytorch_convention():
    (p,) = ps = params(1.0)
    opt = nn.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01)
    want, v = 1.0, None
    for g in [1.0, 0.5, -2.0]:
        p.grad = g
        opt.step()
        d = g + 0.01 * want
        v = d if v is None else 0.9 * v + d
        want -= 0.1 * v
        assert p.data == pytest.approx(want, abs=1e-15)
    assert set(opt.state) == {0}  # keyed by parameter index, stored in the optimizer


def adam_by_hand(x, grads, lr, b1=0.9, b2=0.999, eps=1e-8):
    m = v = 0.0
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        x -= lr * (m / (1 - b1**t)) / (math.sqrt(v / (1 - b2**t)) + eps)
    return x


def test_adam_matches_the_formula():
    ps = params(1.0, -1.0)
    opt = nn.Adam(ps, lr=0.01)
    grads = [[0.3, -5.0], [0.1, -4.0], [-0.2, 1.0]]
    for gs in grads:
        set_grads(ps, gs)
        opt.step()
    for i, p in enumerate(ps):
        want = adam_by_hand([1.0, -1.0][i], [gs[i] for gs in grads], 0.01)
        assert p.data == pytest.approx(want, abs=1e-15)
    # the first step moves every parameter by about lr, whatever the gradient's size
    qs = params(0.0, 0.0)
    opt = nn.Adam(qs, lr=0.01)
    set_grads(qs, [1e-3, -1e3])
    opt.step()
    assert [q.data for q in qs] == pytest.approx([-0.01, 0.01], rel=1e-4)


def test_adam_weight_decay_is_added_to_the_gradient():
    (p,) = ps = params(2.0)
    opt = nn.Adam(ps, lr=0.1, weight_decay=0.5)
    p.grad = 0.0
    opt.step()
    assert p.data == pytest.approx(adam_by_hand(2.0, [0.5 * 2.0], 0.1), abs=1e-15)


def test_adam_with_zero_eps_and_zero_gradient_does_not_move():
    (p,) = ps = params(2.0)
    nn.Adam(ps, eps=0.0).step()
    assert p.data == 2.0


def test_optimizers_minimise_a_quadratic():
    for make in (lambda ps: nn.SGD(ps, lr=0.1, momentum=0.5), lambda ps: nn.Adam(ps, lr=0.1)):
        x, y = ps = params(3.0, -2.0)
        opt = make(ps)
        for _ in range(200):
            opt.zero_grad()
            loss = (x - 1.0) ** 2 + 3.0 * (y + 0.5) ** 2
            loss.backward()
            opt.step()
        assert x.data == pytest.approx(1.0, abs=1e-3)
        assert y.data == pytest.approx(-0.5, abs=1e-3)


def test_lr_is_assignable_and_checked():
    ps = params(1.0)
    opt = nn.SGD(ps, lr=1.0)
    opt.lr = 0.5
    ps[0].grad = 1.0
    opt.step()
    assert ps[0].data == 0.5
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -1.0
    with pytest.raises(ValueError, match="lr"):
        nn.Adam(ps, lr=math.nan)
    with pytest.raises(TypeError, match="lr"):
        nn.SGD(ps, lr="fast")


def test_zero_grad_and_module_params():
    model = nn.MLP(2, [3, 1], rng=0)
    opt = nn.SGD(model, lr=0.1)  # a Module works as well as a list
    assert opt.params == model.parameters()
    model([1.0, 1.0])[0].backward()
    opt.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_a_value_gradient_from_create_graph_is_used_as_a_number():
    (w,) = ps = params(3.0)
    (w * w).backward(create_graph=True)
    assert isinstance(w.grad, Value)
    nn.SGD(ps, lr=0.5).step()
    assert w.data == 3.0 - 0.5 * 6.0


def test_bad_arguments():
    with pytest.raises(TypeError, match=r"params\[1\]"):
        nn.SGD([Parameter(1.0), 2.0], lr=0.1)
    p = Parameter(1.0)
    with pytest.raises(ValueError, match="more than once"):
        nn.SGD([p, p], lr=0.1)
    with pytest.raises(ValueError, match="momentum"):
        nn.SGD([p], lr=0.1, momentum=-0.5)
    with pytest.raises(ValueError, match="betas"):
        nn.Adam([p], betas=(0.9, 1.0))
