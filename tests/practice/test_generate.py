"""generate: for seeds 0-999 at every level the graph meets its level's rules, and a seed always
gives the same graph."""

from __future__ import annotations

import subprocess
import sys

import pytest

from autograd import Value, backward_steps, topological_order
from autograd.core import Constant
from autograd.practice import generate, quiz

NEW_OPS = {"**2", "**3", "exp", "tanh", "relu"}


def values(root: Value) -> list[Value]:
    return [v for v in topological_order(root) if not isinstance(v, Constant)]


def uses(root: Value) -> dict[Value, int]:
    count = dict.fromkeys(topological_order(root), 0)
    for v in count:
        for p in v.parents:
            count[p] += 1
    return count


def hand_friendly(x: float) -> bool:
    """An integer or at most 3 decimals: exactly (generated graphs use binary fractions)."""
    return abs(x) <= 999 and round(x, 3) == x


def shape(root: Value) -> list[tuple[str, str, float, tuple[int, ...]]]:
    order = topological_order(root)
    index = {v: i for i, v in enumerate(order)}
    return [(v.label, v.op, v.data, tuple(index[p] for p in v.parents)) for v in order]


@pytest.mark.parametrize("level", [1, 2, 3])
def test_every_seed_meets_its_level_rules(level: int) -> None:
    for seed in range(1000):
        root = generate(level, seed)
        vs = values(root)
        count = uses(root)
        ops = {v.op for v in vs if v.parents}
        where = f"level {level}, seed {seed}"
        low, high = {1: (4, 6), 2: (5, 8), 3: (6, 12)}[level]
        assert low <= len(vs) <= high, where
        if level == 1:
            assert ops <= {"+", "-", "*"}, where
        else:
            assert ops <= {"+", "-", "*"} | NEW_OPS, where
        if level == 2:
            assert ops & NEW_OPS, where
            assert sum(1 for v in vs if not v.parents and count[v] > 1) == 1, where
        if level == 3:
            assert any(v.parents and count[v] > 1 for v in vs), where
        grads: dict[Value, float] = {root: 1.0}
        for step in backward_steps(root):
            for c in step.contributions:
                grads[c.parent] = grads.get(c.parent, 0.0) + c.product
        for v in vs:
            assert hand_friendly(v.data) and hand_friendly(grads.get(v, 0.0)), where
        assert root.label == "L" and all(v.label for v in vs), where


def test_a_seed_gives_the_same_graph() -> None:
    for level in (1, 2, 3):
        for seed in (0, 1, 17, 999):
            assert shape(generate(level, seed)) == shape(generate(level, seed))
    assert shape(generate(2, 0)) != shape(generate(2, 1))


def test_the_same_graph_in_another_process() -> None:
    code = (
        "from autograd.practice import generate; from autograd import topological_order\n"
        "r = generate(3, 42)\nprint([(v.label, v.op, v.data) for v in topological_order(r)])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    here = [(v.label, v.op, v.data) for v in topological_order(generate(3, 42))]
    assert out.stdout.strip() == repr(here)


def test_a_generated_graph_is_quizzable() -> None:
    root = generate(2, 5)
    q = quiz(root)
    root.backward()
    for v in values(root):
        if v is not root:
            q.answer(v, v.grad)
    assert q.check().ok


def test_bad_level_or_seed() -> None:
    with pytest.raises(ValueError, match="level must be 1, 2 or 3"):
        generate(4)
    with pytest.raises(TypeError, match="seed must be an int"):
        generate(1, 0.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="level must be an int"):
        generate(True)
