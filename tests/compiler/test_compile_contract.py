"""autograd.compile keeps its promise or refuses: what ``f`` reads besides its
arguments, what it returns in ``aux``, and what it must not do.

Each test compares a compiled function, over several calls at changing
inputs, with the engine's own run (``out = f(*args); out.backward()``) by
``==`` on every number, or expects the documented one-line error.
"""

from __future__ import annotations

import enum
import math
import random
import threading
import time
from collections import namedtuple
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
import nn
from autograd import Parameter, Value, detect_anomaly, no_grad
from autograd.extend import op


def same(a: float, b: float) -> bool:
    return (a != a and b != b) or (a == b and math.copysign(1, a) == math.copysign(1, b))


def both_ways(
    make: Callable[[], tuple[Callable[..., Any], list[Parameter]]], calls: list[tuple[Any, ...]]
) -> None:
    """Run ``f`` (from two identical ``make()``s) on each argument tuple, once
    compiled and once with the engine; every value and gradient the same."""
    f_c, ps_c = make()
    f_e, ps_e = make()
    g = autograd.compile(f_c)
    for args in calls:
        got = g(*args)
        out = f_e(*[[Value(x) for x in a] if isinstance(a, list) else a for a in args])
        out.backward()
        assert same(got, out.data), (args, got, out.data)
        for p, q in zip(ps_c, ps_e):
            assert same(p.grad, q.grad), (args, p.grad, q.grad)


# ---------------------------------------------------------------- 1. .data read inside f


def softmax_model() -> tuple[Callable[..., Any], list[Parameter]]:
    w = [Parameter(0.5), Parameter(-1.5), Parameter(2.0)]

    def f(xs: list[Value]) -> Value:
        logits = [wi * x for wi, x in zip(w, xs)]
        m = max(v.data for v in logits)  # micrograd's and Karpathy's shift
        exps = [(v - m).exp() for v in logits]
        total = autograd.sum(exps)
        return -(exps[0] / total).log()

    return f, w


def test_a_data_read_inside_f_is_recomputed_at_each_call() -> None:
    calls = [([1.0, 2.0, 3.0],), ([2.0, 3.0, 4.0],), ([1.0, 2.0, 400.0],), ([3.0, 1.0, 0.5],)]
    both_ways(softmax_model, calls)


def test_arithmetic_on_a_data_read_and_float_of_it() -> None:
    def make() -> tuple[Callable[..., Any], list[Parameter]]:
        w = Parameter(0.75)

        def f(xs: list[Value]) -> Value:
            y = w * xs[0]
            c = 2.0 * y.data + 1.0  # float arithmetic on a read
            s = math.exp(xs[1].data)  # a C function on a read: an exact guard
            return y * c + s * w

        return f, [w]

    both_ways(make, [([1.0, 2.0],), ([1.5, 2.0],), ([-3.0, 0.5],), ([1.0, 2.0],)])


def test_a_value_made_from_a_data_read_is_exact() -> None:
    def make() -> tuple[Callable[..., Any], list[Parameter]]:
        w = Parameter(1.25)

        def f(xs: list[Value]) -> Value:
            y = w * xs[0]
            return y * Value(y.data)  # the read's float: an exact guard

        return f, [w]

    both_ways(make, [([1.0],), ([2.0],), ([2.0],), ([-1.0],)])


# ---------------------------------------------------------------- 2. aux


def test_aux_dicts_and_namedtuples_are_rebuilt_and_other_things_refused() -> None:
    Pair = namedtuple("Pair", "loss out")
    w = Parameter(1.0)

    def f(x: Value) -> tuple[Value, Any]:
        out = w * x
        loss = (out - 3.0) ** 2
        return loss, {"pair": Pair(loss, out), "outs": [out]}

    g = autograd.compile(f, has_aux=True)
    for x in (1.0, 3.0, -2.0):
        loss, aux = g(x)
        assert aux == {"pair": Pair(loss, w.data * x), "outs": [w.data * x]}
        assert type(aux["pair"]) is Pair

    def metric(x: Value) -> tuple[Value, Any]:
        out = w * x
        return out, {"accuracy": nn.accuracy([out], [1.0], labels=(-1.0, 1.0))}

    with pytest.raises(TypeError, match=r"aux\['accuracy'\] is a float"):
        autograd.compile(metric, has_aux=True)(1.0)

    def shift(x: Value) -> tuple[Value, Any]:
        out = w * x
        return out, {"read": out.data + 1.0}  # a .data read: recomputed, also when checked

    g = autograd.compile(shift, has_aux=True, check=True)
    for x in (1.0, 3.0, -2.0):
        assert g(x) == (w.data * x, {"read": w.data * x + 1.0})


def test_deep_aux_works() -> None:
    w = Parameter(2.0)

    def f(x: Value) -> tuple[Value, Any]:
        out = w * x
        aux: Any = out
        for _ in range(300):
            aux = [aux]
        return out, aux

    g = autograd.compile(f, has_aux=True)
    for x in (1.0, 5.0):
        _, aux = g(x)
        for _ in range(300):
            (aux,) = aux
        assert aux == 2.0 * x


# ---------------------------------------------------------------- 3. what f must not do


def test_writes_to_grad_and_data_and_grad_reads_are_refused() -> None:
    w = Parameter(1.0)
    opt = nn.SGD([w], lr=0.1)

    def zeroing(x: Value) -> Value:
        opt.zero_grad()  # first thing: before any op has used w
        return w * x

    with pytest.raises(RuntimeError, match="zero the gradients outside the compiled function"):
        autograd.compile(zeroing)(2.0)

    def reading(x: Value) -> Value:
        out = w * x
        return out * w.grad

    with pytest.raises(RuntimeError, match="read gradients outside"):
        autograd.compile(reading)(2.0)

    def writing(x: Value) -> Value:
        out = w * x
        x.data = 3.0
        return out

    with pytest.raises(RuntimeError, match="writes a Value's .data"):
        autograd.compile(writing)(2.0)


def test_a_graph_built_on_another_thread_is_refused() -> None:
    w = Parameter(1.5)

    def f(xs: list[Value]) -> Value:
        with ThreadPoolExecutor(2) as pool:
            outs = list(pool.map(lambda x: w * x, xs))
        return autograd.sum(outs)

    with pytest.raises(RuntimeError, match="on another thread"):
        autograd.compile(f)([1.0, 2.0])


def test_detect_anomaly_inside_f_is_refused() -> None:
    def f(x: Value) -> Value:
        with detect_anomaly():
            return x.log()

    with pytest.raises(RuntimeError, match="detect_anomaly"):
        autograd.compile(f)(2.0)


def test_a_result_computed_under_no_grad_raises_as_the_engine_does() -> None:
    def f(x: Value) -> Value:
        with no_grad():
            return x * 2.0

    with pytest.raises(RuntimeError, match="computed under no_grad") as engine:
        f(Value(1.0)).backward()
    with pytest.raises(RuntimeError) as compiled:
        autograd.compile(f)(1.0)
    assert str(compiled.value) == str(engine.value)


# ---------------------------------------------------------------- 4. fit(compile=True)


def test_fit_compiled_follows_a_callback_that_changes_the_loss() -> None:
    def run(compiled: bool) -> list[float]:
        model = nn.MLP(2, [4, 1], rng=random.Random(0))
        state = {"l2": 1.0}

        def loss(outs: list[Value], ys: list[Any]) -> Value:
            penalty = autograd.sum([p * p for p in model.parameters()])
            return nn.mse_loss(outs, ys) + state["l2"] * penalty

        def callback(epoch: int, history: Any) -> None:
            state["l2"] = 0.0

        X = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
        y = [1.0, 1.0, 0.0]
        opt = nn.SGD(model.parameters(), lr=0.05)
        h = nn.fit(
            model,
            X,
            y,
            nn_loss(loss),
            opt,
            epochs=3,
            metrics=(),
            progress=False,
            callback=callback,
            compile=compiled,
        )
        return h["loss"]

    assert run(True) == run(False)


def nn_loss(f: Callable[..., Value]) -> Callable[..., Value]:
    return f


# ---------------------------------------------------------------- 5. checking


def test_check_raises_on_the_first_differing_number_naming_it() -> None:
    w = Parameter(1.0, "w")
    scale = {"k": 2.0}
    g = autograd.compile(lambda x: w * x * scale["k"], check=True)
    assert g(1.0) == 2.0
    assert g(3.0) == 6.0 and g.replays == 1  # checked, and the same
    scale["k"] = 5.0  # a global the trace fixed
    with pytest.raises(
        autograd.compiler.CompileMismatch, match="the result is 6.0 replayed but 15.0"
    ):
        g(3.0)
    assert w.grad == 1.0 * 2.0 + 3.0 * 2.0 + 3.0 * 5.0  # the engine's gradient stays
    with pytest.raises(ValueError, match="check must be"):
        autograd.compile(lambda x: x, check=0)
    with pytest.raises(TypeError, match="check must be"):
        autograd.compile(lambda x: x, check="yes")  # type: ignore[arg-type]


def test_check_names_a_gradient() -> None:
    w, v = Parameter(1.0, "w"), Parameter(1.0, "v")
    scale = {"k": 2.0}
    g = autograd.compile(lambda x: w * scale["k"] + v * (10.0 - scale["k"]) + x, check=2)
    assert g(1.0) == 11.0
    scale["k"] = 4.0  # the result stays 11.0; w's gradient becomes 4.0
    with pytest.raises(autograd.compiler.CompileMismatch, match="the .grad of Parameter 'w'"):
        g(1.0)  # the first replay is checked (then every 2nd)


# ---------------------------------------------------------------- 7-9


def test_concurrent_first_calls_trace_once() -> None:
    w = Parameter(0.5)

    def f(x: Value) -> Value:
        time.sleep(0.05)  # a slow trace: every thread arrives while it runs
        return w * x + 1.0

    g = autograd.compile(f)
    barrier = threading.Barrier(10)
    results: list[float] = []

    def call(i: int) -> None:
        barrier.wait()
        results.append(g(float(i)))

    threads = [threading.Thread(target=call, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert g.traces == 1
    assert sorted(results) == [0.5 * i + 1.0 for i in range(10)]


class Color(enum.IntEnum):
    RED = 1
    GREEN = 2


def test_numpy_scalars_and_int_enums() -> None:
    def make() -> tuple[Callable[..., Any], list[Parameter]]:
        w = Parameter(0.25)

        def f(x: Value, k: Any) -> Value:
            return w * x * np.float64(0.5) + np.int64(3) * w + int(k) * w

        return f, [w]

    both_ways(make, [(1.0, Color.RED), (np.float64(2.0), np.int64(2)), (3.0, Color.GREEN)])


class Named(Value):
    def __init__(self, name: str, data: float) -> None:
        super().__init__(data, label=name)


def test_a_value_subclass_with_its_own_init() -> None:
    a = Named("a", 2.0)
    g = autograd.compile(lambda v: v * v)
    assert g(a) == 4.0 and a.grad == 4.0
    b = Named("b", 3.0)
    assert g(b) == 9.0 and b.grad == 6.0


# ---------------------------------------------------------------- a user's own op


softsign = op(
    "softsign_compiled",  # a name of its own: other tests define a softsign too
    lambda x: x / (1.0 + abs(x)),
    lambda g, out, x: g * (1.0 / (1.0 + abs(x)) ** 2),
    ["1/(1 + |{x}|)²"],
)


def test_a_user_defined_op_compiles_and_replays_exactly() -> None:
    def make() -> tuple[Callable[..., Any], list[Parameter]]:
        w = Parameter(-0.7)

        def f(xs: list[Value]) -> Value:
            return autograd.sum([softsign(w * x) for x in xs])

        return f, [w]

    both_ways(make, [([1.0, -2.0, 0.0],), ([3.5, 1e10, -0.0],), ([-1.0, 0.5, 2.0],)])


# ---------------------------------------------------------------- the property


@st.composite
def programs(draw: Any) -> list[tuple[int, int, int]]:
    return draw(
        st.lists(
            st.tuples(st.integers(0, 5), st.integers(0, 9), st.integers(0, 9)),
            min_size=1,
            max_size=12,
        )
    )


def run_program(prog: list[tuple[int, int, int]], xs: list[Value], w: Parameter) -> Value:
    vals: list[Value] = [w * x for x in xs]
    for kind, i, j in prog:
        a, b = vals[i % len(vals)], vals[j % len(vals)]
        if kind == 0:
            vals.append(a - max(v.data for v in vals))
        elif kind == 1:
            vals.append(a * b if a > b else a + b)
        elif kind == 2:
            vals.append(max(a, b) * w)
        elif kind == 3:
            vals.append(a * (a.data / 2.0 + 1.0))
        elif kind == 4:
            vals.append((a - b.data).tanh())
        else:
            vals.append(a + w if a.data > 0.5 else a - w)
    return autograd.sum(vals[-3:])


@given(
    programs(), st.lists(st.lists(st.floats(-3, 3), min_size=3, max_size=3), min_size=2, max_size=6)
)
def test_random_programs_with_data_reads_never_differ(prog: Any, points: Any) -> None:
    w_c, w_e = Parameter(0.8), Parameter(0.8)
    g = autograd.compile(lambda xs: run_program(prog, xs, w_c), check=True)
    for point in points:
        got = g(point)
        out = run_program(prog, [Value(x) for x in point], w_e)
        out.backward()
        assert same(got, out.data) and same(w_c.grad, w_e.grad)
