"""autograd.compile benchmarks: big graphs and the lecture demos.

Run: ``python benchmarks/compile.py`` (``--quick`` for a 100,000-node graph and
no demos). The nn training step, compiled, is measured against the
hand-written reference in ``benchmarks/train.py``.

- (a) A step of a million nodes, ``y <- y * a + b`` (the engine's chain):
  its first call (trace, code generation in chunks, Python's compile), the
  peak memory of the process, and a replay beside ``backward()`` of the same
  graph built by the engine, in the same run; the results must be equal bit for bit.
- (c) The first call of a step that is one 20,000- and one 100,000-wide
  ``dot`` (an L2 penalty, a wide layer) beside one uncompiled step of the same
  function. Target: at most twice the uncompiled step plus one second.
- (d) ``nn.fit(compile=True)`` on 8,000 moons points (1,000 with ``--quick``),
  ``MLP(2, [16, 16, 1])``, mse, one full-batch epoch, beside ``compile=False``
  in the same run: many small nodes, so the first call's cost is the length
  of the generated code (Python's ``compile`` of it), not any one node's width.
- (b) ``python -m demos diamond`` and ``python -m demos all`` at full size
  (no pictures), wall-clock and CPU time of the child process. Targets: 5 s
  and 15 s. The machine may be shared: CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

import autograd
from autograd import Parameter, Value, gc_paused


def chain_step(n: int) -> tuple[autograd.Compiled, Parameter, Parameter]:
    """A compiled function building the n-node chain on its float argument."""
    a, b = Parameter(0.999, "a"), Parameter(0.001, "b")

    def chain(y0: Value) -> Value:
        y = y0
        for _ in range(n // 2):
            y = y * a + b
        return y

    return autograd.compile(chain), a, b


def engine_chain(n: int) -> tuple[float, float, float, float]:
    """The same chain built and differentiated by the engine: value, grads, seconds."""
    t = time.perf_counter()
    a, b, y = Parameter(0.999), Parameter(0.001), Value(0.5)
    for _ in range(n // 2):
        y = y * a + b
    y.backward()
    return y.data, a.grad, b.grad, time.perf_counter() - t


def big_graph(n: int) -> bool:
    step, a, b = chain_step(n)
    t = time.perf_counter()
    with gc_paused():
        step(0.5)
    first = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # kB on Linux
    chunks = step.source.count("def _chunk") if step.source else 0
    a.grad = b.grad = 0.0
    t = time.perf_counter()
    with gc_paused():
        value = step(0.5)
    replay = time.perf_counter() - t
    with gc_paused():
        ref, ga, gb, engine = engine_chain(n)
    same = value == ref and a.grad == ga and b.grad == gb
    print(
        f"(a) a step of {n:,} nodes (y <- y*a + b), compiled at recursion limit "
        f"{sys.getrecursionlimit()}:\n"
        f"  first call (trace, generate, compile in {max(chunks, 1)} functions): {first:.1f} s; "
        f"peak memory of the process {peak:.2f} GB\n"
        f"  replay {replay:.3f} s   engine forward + backward {engine:.3f} s   "
        f"ratio {replay / engine:.2f}x   results equal bit for bit: {same}"
    )
    return same


def wide_dot(width: int) -> bool:
    """The first call of a step whose graph is one ``width``-wide ``dot`` of
    parameters and float arguments (an L2 penalty, a big linear layer), beside
    one uncompiled step of the same function in the same run. Target: at most
    twice the uncompiled step plus one second, and linear in the width."""
    import random

    rng = random.Random(width)
    ws = [Parameter(rng.uniform(-1.0, 1.0)) for _ in range(width)]
    xs = [rng.uniform(-1.0, 1.0) for _ in range(width)]

    def f(x: list[Value]) -> Value:
        return autograd.dot(ws, x) + 0.5

    with gc_paused():
        t = time.perf_counter()
        out = f([Value(x) for x in xs])
        out.backward()
        engine = time.perf_counter() - t
        ref = [w.grad for w in ws]
        for w in ws:
            w.grad = 0.0
        step = autograd.compile(f)
        t = time.perf_counter()
        value = step(xs)
        first = time.perf_counter() - t
    same = value == out.data and [w.grad for w in ws] == ref
    target = 2 * engine + 1.0
    print(
        f"(c) a {width:,}-wide dot: first call {first:.2f} s, one uncompiled step "
        f"{engine:.2f} s (target {target:.2f} s: {'met' if first <= target else 'MISSED'}); "
        f"equal bit for bit: {same}"
    )
    return same


def fit_case(points: int) -> bool:
    """One epoch of ``nn.fit`` on ``points`` moons, compiled (its first call)
    and not, from the same weights: seconds, and equal losses and weights."""
    import nn

    X, labels = nn.datasets.moons(points, rng=0)
    y = [float(v) for v in labels]
    seconds, results = [], []
    for compiled in (False, True):
        model = nn.MLP(2, [16, 16, 1], rng=1)
        opt = nn.SGD(model.parameters(), lr=0.01)
        with gc_paused():
            t = time.perf_counter()
            history = nn.fit(
                model, X, y, nn.mse_loss, opt, epochs=1, compile=compiled, progress=False
            )
            seconds.append(time.perf_counter() - t)
        results.append((history["loss"], [p.data for p in model.parameters()]))
    same = results[0] == results[1]
    print(
        f"(d) nn.fit(compile=True) on {points:,} points, one full-batch epoch: "
        f"{seconds[1]:.1f} s, uncompiled {seconds[0]:.2f} s "
        f"({seconds[1] / seconds[0]:.0f}x); equal bit for bit: {same}"
    )
    return same


def demo_seconds(name: str) -> tuple[float, float, bool]:
    """Wall-clock and CPU seconds of ``python -m demos NAME --no-plots``, and its success."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "demos", name, "--no-plots"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 nodes, no demos")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}")
    ok = big_graph(100_000 if args.quick else 1_000_000)
    for width in (20_000, 100_000):
        ok = wide_dot(width) and ok
    ok = fit_case(1_000 if args.quick else 8_000) and ok
    if not args.quick:
        print("(b) the lecture demos at full size, no pictures (python -m demos NAME --no-plots):")
        for name, target in (("diamond", 5.0), ("all", 15.0)):
            wall, cpu, passed = demo_seconds(name)
            ok = ok and passed
            print(
                f"  {name:<8} wall {wall:6.1f} s   CPU {cpu:6.1f} s   target {target:.0f} s   "
                f"{'all lecture numbers match' if passed else 'FAILED'}"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
