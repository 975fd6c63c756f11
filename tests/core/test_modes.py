"""The mode switches under hostile use: create_graph inside no_grad, backward of
a result computed under no_grad, anomaly mode naming the right op when the
gradients have a graph, and no_grad objects re-entered or used as bare
decorators (issue 11, items 1, 2, 6 and 15)."""

from __future__ import annotations

import asyncio
import contextvars
import gc
import math
import re
import threading

import pytest

import autograd
import nn
from autograd import (
    AnomalyError,
    Parameter,
    Value,
    detect_anomaly,
    enable_grad,
    is_grad_enabled,
    no_grad,
)

# ---------------------------------------------------------------- item 1: create_graph records


def test_create_graph_inside_no_grad_records_the_gradient_graph() -> None:
    x = Value(3.0, label="x")
    y = x**3
    with no_grad():
        y.backward(create_graph=True)
    g = x.grad
    assert isinstance(g, Value) and g.data == 27.0  # dy/dx = 3x² = 27
    assert g.parents != ()  # a graph, not a constant
    x.grad = 0.0
    g.backward()
    assert x.grad == 18.0  # d²y/dx² = 6x = 18


def test_backpropagate_with_create_graph_inside_no_grad_records() -> None:
    x = Value(2.0)
    y = x * x * x
    with no_grad():
        grads = autograd.backpropagate(autograd.topological_order(y), create_graph=True)
    assert autograd.grad(lambda t: t)(1.0) == 1.0
    gx = grads[x]
    assert gx.data == 12.0  # 3x²
    assert autograd.topological_order(gx)[0] is not gx  # it has inputs
    x.grad = 0.0
    gx.backward()
    assert x.grad == 12.0  # 6x


def test_no_grad_stays_on_after_a_create_graph_backward() -> None:
    x = Value(1.5)
    y = x * x
    with no_grad():
        y.backward(create_graph=True)
        assert not is_grad_enabled()
        assert (x * 2).parents == ()


# ---------------------------------------------------------------- item 2: no_grad results


def test_backward_of_a_result_computed_under_no_grad_raises() -> None:
    x = Value(3.0)
    with no_grad():
        y = x * 2
    with pytest.raises(RuntimeError, match=r"computed under no_grad\(\)") as info:
        y.backward()
    assert "\n" not in str(info.value)
    with pytest.raises(RuntimeError, match="no_grad"):
        y.backward(create_graph=True)
    assert x.grad == 0.0  # nothing was written


def test_backward_of_a_leaf_the_user_made_is_allowed() -> None:
    for leaf in (Value(3.0), Parameter(-1.0)):
        leaf.backward()
        assert leaf.grad == 1.0  # dx/dx
    with no_grad():
        made_inside = Value(2.0)  # a leaf the user made, even inside no_grad
    made_inside.backward()
    assert made_inside.grad == 1.0


def test_a_no_grad_result_is_a_constant_inside_a_recorded_graph() -> None:
    x, w = Value(3.0), Value(0.5)
    with no_grad():
        y = x * 2
    z = y * w
    z.backward()
    assert w.grad == 6.0  # dz/dw = y
    assert x.grad == 0.0  # y carries no path back to x
    assert isinstance(y, Value) and repr(y) == f"Value(data=6.0, grad={y.grad!r})"


def test_grad_of_a_function_that_computes_under_no_grad_raises() -> None:
    def f(x: Value) -> Value:
        with no_grad():
            return x * x

    with pytest.raises(RuntimeError, match="no_grad"):
        autograd.grad(f)(2.0)


def test_fit_trains_inside_no_grad() -> None:
    X, y = nn.datasets.xor()
    model = nn.MLP(2, [4, 1], activation="tanh", rng=0)
    before = [p.data for p in model.parameters()]
    opt = nn.SGD(model.parameters(), lr=0.5)
    with no_grad():
        history = nn.fit(model, X, y, nn.mse_loss, opt, epochs=20, progress=False)
        assert not is_grad_enabled()  # fit leaves the caller's mode alone
    after = [p.data for p in model.parameters()]
    assert after != before
    assert history["loss"][-1] < history["loss"][0]


def test_a_training_step_written_by_hand_under_no_grad_fails_loudly() -> None:
    model = nn.Neuron(2, "tanh", rng=0)
    with no_grad():
        loss = nn.mse_loss(model([1.0, 2.0]), 0.5)
        with pytest.raises(RuntimeError, match="enable_grad"):
            loss.backward()


# ---------------------------------------------------------------- item 6: anomaly + create_graph


@pytest.mark.parametrize("create_graph", [False, True])
def test_anomaly_names_the_op_whose_rule_gave_the_bad_gradient(create_graph: bool) -> None:
    x = Value(0.0, label="x")
    with detect_anomaly():
        y = x.sqrt()  # sqrt(0) = 0 is fine; its derivative 1/(2 sqrt x) is inf
        with pytest.raises(AnomalyError, match=r"^backward of op 'sqrt' gave gradient inf for 'x'"):
            y.backward(create_graph=create_graph)


@pytest.mark.parametrize(
    ("make", "op"),
    [
        (lambda x: x**0.5, "**0.5"),  # 0.5 x**-0.5 is inf at 0
        (lambda x: x ** Value(0.5, label="half"), "**"),  # the same with a Value exponent
        (lambda x: x.sqrt() + x, "sqrt"),  # inside a bigger graph
    ],
)
@pytest.mark.parametrize("create_graph", [False, True])
def test_anomaly_blames_the_op_the_user_wrote(make, op: str, create_graph: bool) -> None:
    # with create_graph the rules run on Values and build nodes of their own
    # ("/", "*", "**-0.5"); the error must still name the user's op
    x = Value(0.0, label="x")
    with detect_anomaly():
        y = make(x)
        with pytest.raises(AnomalyError, match=rf"^backward of op '{re.escape(op)}' gave"):
            y.backward(create_graph=create_graph)


def test_anomaly_with_nested_grad_names_the_op() -> None:
    with detect_anomaly(), pytest.raises(AnomalyError, match="backward of op 'sqrt'"):
        autograd.grad(autograd.grad(lambda t: t.sqrt()))(0.0)


def test_anomaly_with_create_graph_still_checks_the_gradient_graph_later() -> None:
    x = Value(1.0, label="x")
    with detect_anomaly():
        y = x.sqrt()
        y.backward(create_graph=True)
        g = x.grad  # 1 / (2 sqrt x): a graph of Values
        assert g.data == 0.5
        x.data = 0.0  # not recomputed: the graph keeps its values
        x.grad = 0.0
        g.backward()  # d/dx 1/(2 sqrt x) = -1/(4 x^1.5) at the recorded x = 1
        assert x.grad == -0.25


# ---------------------------------------------------------------- item 15: re-entry, decorators


def test_one_no_grad_object_can_be_entered_again_and_nested() -> None:
    ng = no_grad()
    with ng:
        assert not is_grad_enabled()
        with ng:
            assert not is_grad_enabled()
        assert not is_grad_enabled()  # the outer block is still in force
    assert is_grad_enabled()
    with ng:  # and used again later
        assert (Value(1.0) * 2).parents == ()
    assert is_grad_enabled()


def test_reentered_switches_restore_in_order() -> None:
    ng, eg = no_grad(), enable_grad()
    with ng:
        with eg:
            assert is_grad_enabled()
            with ng:
                assert not is_grad_enabled()
            assert is_grad_enabled()
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_no_grad_without_parentheses_is_a_decorator() -> None:
    @no_grad
    def evaluate(v: Value) -> Value:
        assert not is_grad_enabled()
        return v * 2

    y = evaluate(Value(1.5))
    assert y.data == 3.0 and y.parents == ()
    assert is_grad_enabled()
    assert evaluate.__name__ == "evaluate"


def test_enable_grad_and_detect_anomaly_without_parentheses() -> None:
    @enable_grad
    def record(v: Value) -> Value:
        return v * 2

    @detect_anomaly
    def log(v: Value) -> Value:
        return v.log()

    with no_grad():
        assert record(Value(1.0)).parents != ()
    with pytest.raises(AnomalyError):
        log(Value(0.0))
    assert math.isinf(log.__wrapped__(Value(0.0)).data)  # outside anomaly mode: -inf


def test_a_decorated_function_may_recurse() -> None:
    @no_grad()
    def depth(n: int) -> int:
        assert not is_grad_enabled()
        return 0 if n == 0 else 1 + depth(n - 1)

    assert depth(5) == 5
    assert is_grad_enabled()


def test_a_shared_no_grad_object_in_several_threads() -> None:
    ng = no_grad()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(200):
                with ng:
                    barrier.wait(timeout=10) if _ == 0 else None
                    assert not is_grad_enabled()
                    with ng:
                        assert not is_grad_enabled()
                assert is_grad_enabled()
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_grad_inside_no_grad_keeps_derivatives_connected_to_their_input() -> None:
    x = Value(3.0)
    with no_grad():
        g = autograd.grad(lambda t: t * t)(x)  # 2x, as a Value connected to x
    assert g.data == 6.0
    g.backward()
    assert x.grad == 2.0  # d(2x)/dx


# ---------------------------------------------------------------- the ops' fast path
# Ops look the mode up only while autograd.core.modes.modes_in_use is not empty: while
# some context, anywhere, has a mode set. These check that the shortcut never
# skips a mode that is in force, however the context that holds it travels.


def recorded(v: Value) -> bool:
    return bool(v.parents)


def test_no_mode_anywhere_means_an_empty_modes_in_use() -> None:
    gc.collect()  # contexts left in cycles by earlier tests
    before = set(autograd.core.modes.modes_in_use)
    with no_grad():
        assert autograd.core.modes.modes_in_use - before
        with detect_anomaly():
            pass
    with enable_grad():  # no bit set: nothing to look up
        assert autograd.core.modes.modes_in_use == before
    assert autograd.core.modes.modes_in_use == before


def test_a_copied_context_keeps_its_mode_after_the_block() -> None:
    x = Value(2.0)
    with no_grad():
        ctx = contextvars.copy_context()
    assert recorded(x * 3)  # the block is over here
    assert not recorded(ctx.run(lambda: x * 3))  # but not in its copy
    assert ctx.run(is_grad_enabled) is False
    with detect_anomaly():
        ctx2 = contextvars.copy_context()
    with pytest.raises(AnomalyError):
        ctx2.run(lambda: Value(1e308) * 10)
    assert (Value(1e308) * 10).data == math.inf  # no anomaly mode out here


def test_an_asyncio_task_started_under_no_grad_runs_under_it() -> None:
    x = Value(2.0)

    async def double() -> Value:
        await asyncio.sleep(0)
        return x * 2

    async def main() -> tuple[Value, Value]:
        with no_grad():
            task = asyncio.create_task(double())  # copies the context
        outside = x * 2
        return await task, outside  # the task runs after the block is over

    inside, outside = asyncio.run(main())
    assert not recorded(inside) and recorded(outside)


def test_a_mode_in_one_thread_does_not_reach_another() -> None:
    x = Value(2.0)
    entered, done = threading.Event(), threading.Event()
    results: list[bool] = []

    def under_no_grad() -> None:
        with no_grad():
            entered.set()
            done.wait(timeout=10)

    t = threading.Thread(target=under_no_grad)
    t.start()
    entered.wait(timeout=10)
    results.append(recorded(x * 2))  # modes_in_use is not empty: looked up, not set here
    done.set()
    t.join()
    assert results == [True]
