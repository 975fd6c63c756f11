"""What the docs say (docs/reference/at_a_glance.md) about reference cycles and gc_paused,
checked (issue 11, item 25): graphs and their backward pass make no reference cycles, except the
one backward(create_graph=True) makes through a leaf's .grad (as in PyTorch),
which zero_grad or autograd.grad avoids; and benchmarks/engine.py measures the
gc_paused saving as graphs grow."""

from __future__ import annotations

import gc
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import autograd
import nn
from autograd import Parameter, Value

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def collector_off():
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def every_op_loss() -> tuple[Value, list[Value]]:
    x, w = Value(0.7, label="x"), Parameter(-1.3, label="w")
    with autograd.no_grad():
        frozen = x * 3
    terms = [x * w, x / w, x**3, 2**x, x**w, -x, abs(w), x.exp(), x.log(), x.sqrt()]
    terms += [x.sin(), x.cos(), x.tanh(), x.sigmoid(), x.relu(), x.leaky_relu(0.2)]
    terms += [x.softplus(), autograd.dot([x, w], [w, frozen], x), autograd.sum([x, w])]
    return autograd.sum(terms), [x, w]


def test_a_graph_and_its_backward_leave_nothing_for_the_collector(collector_off) -> None:
    loss, leaves = every_op_loss()
    loss.backward()
    twin = pickle.loads(pickle.dumps(loss))  # copies make no cycles either
    del loss, leaves, twin
    assert gc.collect() == 0


def test_an_nn_training_step_leaves_nothing_for_the_collector(collector_off) -> None:
    model = nn.MLP(2, [8, 1], rng=0)
    opt = nn.SGD(model, lr=0.1)
    X, y = nn.datasets.xor()
    loss = nn.mse_loss([model(x)[0] for x in X], y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    del loss
    assert gc.collect() == 0


def test_create_graph_makes_the_documented_cycle_and_zero_grad_breaks_it(collector_off) -> None:
    x = Value(1.5)
    y = x**3
    y.backward(create_graph=True)  # x.grad = 3x², a graph that refers back to x
    assert any(v is x for v in autograd.topological_order(x.grad))
    del y
    x.grad = 0.0  # what zero_grad() does: the cycle is gone
    del x
    assert gc.collect() == 0

    x = Value(1.5)
    (x**3).backward(create_graph=True)
    del x  # the cycle x -> x.grad -> ... -> x: only the collector frees it
    assert gc.collect() > 0


def test_nested_grad_makes_no_cycle(collector_off) -> None:
    assert autograd.grad(autograd.grad(lambda t: t**3))(1.5) == 9.0
    assert gc.collect() == 0


def test_the_docs_state_the_create_graph_exception() -> None:
    # the README's engine reference moved to the docs site's "autograd at a glance"
    page = (ROOT / "docs" / "reference" / "at_a_glance.md").read_text(encoding="utf-8")
    assert "makes no reference cycles, so this is safe" not in page  # the old, false claim
    assert "create_graph=True" in page.split("gc_paused()")[1].split("\n- ")[0]


def test_the_engine_benchmark_measures_the_gc_saving_by_graph_size() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import engine as bench  # benchmarks/engine.py
    finally:
        sys.path.pop(0)
    on, off = bench.gc_saving(5, repeats=1)
    assert on > 0 and off > 0
    source = (ROOT / "benchmarks" / "engine.py").read_text(encoding="utf-8")
    assert "gc_saving(points" in source and "saves" in source


def test_the_benchmark_script_runs(tmp_path) -> None:
    # not timed (no timing assertions in tests): only that --help works from anywhere
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "engine.py"), "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert out.returncode == 0 and "--quick" in out.stdout
