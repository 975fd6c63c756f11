"""Wide ``dot`` and ``sum`` nodes (``autograd.compiler.wide``): replayed as loops
over the op's own forward and accumulate, equal to the engine bit for bit."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest
from test_compile import check_steps, same

import autograd
from autograd import Parameter, Value, no_grad
from autograd.compiler import trace as compiler_module
from autograd.compiler.wide import WIDE

N = WIDE + 44
SPECIAL = [math.nan, math.inf, -math.inf, -0.0, 0.0, 1e300, -1e-300]


def points(n: int, seed: int, special: bool = False) -> list[float]:
    rng = random.Random(seed)
    xs = [rng.uniform(-2.0, 2.0) for _ in range(n)]
    if special:  # a few nan, inf and signed zeros among ordinary numbers
        for i, x in zip(rng.sample(range(n), len(SPECIAL)), SPECIAL):
            xs[i] = x
    return xs


def params(n: int, seed: int = 1) -> list[Parameter]:
    return [Parameter(x) for x in points(n, seed)]


def steps(n: int, special: bool = True) -> list[tuple[Any, ...]]:
    return [(points(n, s, special and s % 2 == 1),) for s in range(4)]


def is_wide(g: autograd.Compiled) -> bool:
    """The replay used the loop form (a gatherer and holders) for its wide node."""
    return g.source is not None and "_gw" in g.source and "_wh(" in g.source


@pytest.mark.parametrize("bias", ["none", "parameter", "constant", "argument"])
def test_a_wide_dot_replays_exactly(bias: str) -> None:
    def make() -> tuple[list[Value], Any]:
        ws, b = params(N), Parameter(0.25)

        def f(xs: list[Value], c: Value) -> Value:
            extra = {"none": None, "parameter": b, "constant": 0.75, "argument": c}[bias]
            return autograd.dot(ws, xs, extra) * 0.5

        return [*ws, b], f

    g = check_steps(make, [(xs, float(i)) for i, (xs,) in enumerate(steps(N))])
    assert is_wide(g)


def test_nan_and_inf_in_parameters_and_arguments() -> None:
    def make() -> tuple[list[Value], Any]:
        ws = params(N)
        for w, x in zip(ws, SPECIAL):
            w.data = x
        return ws, lambda xs: autograd.dot(ws, xs) + autograd.sum(ws)

    assert is_wide(check_steps(make, steps(N)))


def test_reused_inputs_one_value_as_weight_input_and_bias() -> None:
    def make() -> tuple[list[Value], Any]:
        ws = params(N)
        p = ws[7]

        def f(xs: list[Value]) -> Value:
            weights = [p, *ws[1:]]  # p is a weight twice (positions 0 and 7) ...
            inputs = [xs[i] if i % 5 else ws[(3 * i) % N] for i in range(N)]
            inputs[11] = p  # ... an input, and the bias
            return autograd.dot(weights, inputs, p) + autograd.sum([p, *ws, p, ws[0]])

        return ws, f

    assert is_wide(check_steps(make, steps(N)))


def test_constants_among_the_inputs() -> None:
    def make() -> tuple[list[Value], Any]:
        ws = params(N)

        def f(xs: list[Value]) -> Value:
            inputs = [x if i % 3 else [2.0, -0.0, math.inf][i % 9 // 3] for i, x in enumerate(xs)]
            total = autograd.sum([*ws[:100], 1.5, -0.0, *ws[100:], 3.0])
            return autograd.dot(ws, inputs, 0.5) * total

        return ws, f

    assert is_wide(check_steps(make, steps(N, special=False)))


def test_inputs_made_in_the_trace_and_gradients_added_before_and_after() -> None:
    def make() -> tuple[list[Value], Any]:
        ws = params(N)

        def f(xs: list[Value]) -> Value:
            early = ws[0] * ws[1]  # made first: its rule runs after the wide nodes'
            squares = autograd.sum([w * x for w, x in zip(ws, xs)])  # inputs made here
            layer = autograd.dot([w.tanh() for w in ws], xs, squares)
            return layer * ws[2] + early + autograd.sum(ws) * ws[0]

        return ws, f

    assert is_wide(check_steps(make, steps(N)))


def test_wide_nodes_over_value_arguments() -> None:
    ws_e, ws_c = params(N), params(N)
    g = autograd.compile(lambda qs, bias: autograd.dot(ws_c, qs, bias) * qs[0])
    for s in range(3):
        xs = points(N + 1, s, special=s == 1)
        qs_e, qs_c = [Value(x) for x in xs], [Value(x) for x in xs]
        out = autograd.dot(ws_e, qs_e[:N], qs_e[N]) * qs_e[0]
        out.backward()
        assert same(g(qs_c[:N], qs_c[N]), out.data)
        assert all(same(a.grad, b.grad) for a, b in zip(qs_e + ws_e, qs_c + ws_c))
    assert is_wide(g)


def test_a_wide_node_made_under_no_grad_is_recomputed() -> None:
    ws_e, ws_c = params(N), params(N)

    def f(ws: list[Parameter], x: Value) -> Value:
        with no_grad():
            total = autograd.sum(ws)  # follows the data, no gradient
        return ws[0] * total * x

    g = autograd.compile(lambda x: f(ws_c, x))
    for x in (1.0, -3.0, math.inf):
        out = f(ws_e, Value(x))
        out.backward()
        assert same(g(x), out.data) and same(ws_e[0].grad, ws_c[0].grad)
        for w in (*ws_e, *ws_c):
            w.data += 0.5  # read afresh at each call
    assert "_gw" in (g.source or "")


def test_wide_nodes_across_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiler_module, "_CHUNK_LINES", 50)

    def make() -> tuple[list[Value], Any]:
        ws = params(N)

        def f(xs: list[Value]) -> Value:
            y = autograd.dot(ws, xs)
            for w in ws[:200]:  # the holders' gradients are read chunks later
                y = y * 0.5 + w
            return y + autograd.sum(ws)

        return ws, f

    g = check_steps(make, steps(N))
    assert is_wide(g) and "_chunk3" in (g.source or "")


def test_narrow_nodes_keep_their_inline_code() -> None:
    ws = params(WIDE // 2 - 1)  # a dot of n pairs has 2n inputs
    g = autograd.compile(lambda xs: autograd.dot(ws, xs))
    g(points(WIDE // 2 - 1, 0))
    assert not is_wide(g)


def test_a_wide_node_as_the_output_with_aux() -> None:
    def make() -> tuple[list[Value], Any]:
        ws = params(N)
        return ws, lambda xs: autograd.sum([*ws, *xs])  # the root: its gradient is 1.0

    assert is_wide(check_steps(make, steps(N)))
    ws_e, ws_c = params(N), params(N)
    g = autograd.compile(lambda xs: (autograd.dot(ws_c, xs), [autograd.sum(ws_c)]), has_aux=True)
    for s in range(2):
        xs = points(N, s, special=s == 1)
        out = autograd.dot(ws_e, [Value(x) for x in xs])
        out.backward()
        value, (total,) = g(xs)
        assert same(value, out.data) and same(total, autograd.sum(ws_e).data)
        assert all(same(a.grad, b.grad) for a, b in zip(ws_e, ws_c))
