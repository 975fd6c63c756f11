"""Modules with back-references, shared submodules and tied weights (issue 11,
item 8): every module and parameter is visited once, under its first name, as
in PyTorch, so nothing hangs and the optimizers accept the list."""

from __future__ import annotations

import pytest

import nn
from autograd import Parameter
from nn import Module


def names(m: Module) -> list[str]:
    return [n for n, _ in m.named_parameters()]


def test_a_back_reference_to_the_owner_does_not_hang(tmp_path) -> None:
    m = nn.MLP(2, [3, 1], rng=0)
    before = names(m)
    m.layers[0].owner = m  # a child pointing at its parent: a cycle
    m.layers[1].neurons[0].model = m
    assert names(m) == before
    assert len(m.parameters()) == m.num_parameters() == 13  # 3*(2+1) + (3+1)
    assert "MLP(2 -> [3, 1], 13 parameters)" in repr(m)
    path = tmp_path / "m.json"
    m.save(path)
    twin = nn.MLP(2, [3, 1], rng=5)
    twin.layers[0].owner = twin
    twin.load(path)
    assert twin.state_dict() == m.state_dict()


def test_a_list_that_contains_itself() -> None:
    n = nn.Neuron(2, rng=0)
    loop: list = []
    loop.append(loop)
    n.extra = loop
    assert names(n) == ["w.0", "w.1", "b"]


class Twin(Module):
    """The same layer under two names, and a tuple holding the first again."""

    def __init__(self) -> None:
        self.left = nn.Layer(2, 2, rng=0)
        self.right = self.left
        self.both = (self.left, nn.Layer(2, 1, rng=1))


def test_a_shared_submodule_is_listed_once_under_its_first_name() -> None:
    m = Twin()
    got = names(m)
    assert got[:6] == [
        "left.neurons.0.w.0",
        "left.neurons.0.w.1",
        "left.neurons.0.b",
        "left.neurons.1.w.0",
        "left.neurons.1.w.1",
        "left.neurons.1.b",
    ]
    assert got[6:] == ["both.1.neurons.0.w.0", "both.1.neurons.0.w.1", "both.1.neurons.0.b"]
    assert len(m.parameters()) == len({id(p) for p in m.parameters()}) == 9
    nn.SGD(m.parameters(), lr=0.1)  # accepted: no parameter twice
    nn.Adam(m, lr=0.1)


def test_tied_weights_are_one_parameter() -> None:
    m = nn.MLP(2, [2, 2], rng=0)
    tied = m.layers[0].neurons[0].w[0]
    m.layers[1].neurons[1].w[1] = tied  # the same Parameter in two places
    got = dict(m.named_parameters())
    assert got["layers.0.neurons.0.w.0"] is tied
    assert "layers.1.neurons.1.w.1" not in got
    assert m.num_parameters() == 11
    opt = nn.SGD(m, lr=0.5)
    out = m([1.0, 2.0])
    loss = nn.mse_loss(out, [0.0, 1.0])
    opt.zero_grad()
    loss.backward()
    g = tied.grad  # the sum over both of its uses
    before = tied.data
    opt.step()
    assert tied.data == pytest.approx(before - 0.5 * g)
    state = m.state_dict()
    state["layers.0.neurons.0.w.0"] = 3.0
    m.load_state_dict(state)
    assert m.layers[1].neurons[1].w[1].data == 3.0  # both places see it


def test_a_parameter_held_in_two_attributes_of_one_module() -> None:
    class Pair(Module):
        def __init__(self) -> None:
            self.a = Parameter(1.0)
            self.b = self.a
            self.c = Parameter(2.0)

    assert names(Pair()) == ["a", "c"]


def test_repr_of_a_module_shared_twice_in_its_children() -> None:
    m = nn.MLP(2, [2, 2, 1], rng=0)
    m.layers[2] = m.layers[0]  # nonsense shapes, but repr must still finish
    text = repr(m)
    assert text.count("Layer(2 -> 2") == 3
    assert len(text.splitlines()) == 4
