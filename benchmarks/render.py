"""Drawing benchmark: how long the hardest graphs the size limits let through take to draw.

Run: ``python benchmarks/render.py``. For each graph shape it prints the number of values and
edges (inputs of ops), the time of ``to_dot`` (pure Python) and of ``render`` to SVG (the
system ``dot`` if installed, else graphviz-pure) with the library's default limits, the
renderer's CPU time (steadier than wall time on a shared machine), and the render time as a
ratio of rendering the lecture's 6-value graph in the same run, then the CPU time of the
pure-Python layout (``display.layout.dot_to_svg``, used where no Graphviz can run) on the same
DOT and its ratio to the renderer's CPU. Timings are the best of a few repeats. A shape the
limits refuse prints the refusal instead. Target from issue 11: any
graph the limits let through renders in a few seconds.

The shapes: a small MLP built from fused ``dot`` nodes, the same kind of network built from
binary ``*`` and ``+``, a balanced sum tree, a chain that reuses one input at every step,
``a + a + ... + a`` (one leaf used by every op: 600 terms took 35 s and 999 terms did not
finish in 300 s before such uses were drawn as copies), values that each sum every value
before them (the densest graphs: 300 of them have 44,849 edges and are refused; 63 have 1,952
and pass), and 300 inputs shared by 6 sums (the widest ranks). Then the backward flip book:
pages times the cost of a page, at its default limit (pages x edges within 12,000). And
the player of about 300 values laid out in pure Python (the target: 1 s of CPU), beside the
same player with Graphviz (this process's CPU plus the renderer's).

``--timeout S`` stops each render after S seconds (to measure an older version of the code,
whose worst shapes take minutes).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import tempfile
from collections.abc import Callable
from pathlib import Path

from reference import best_of

import autograd
from autograd import (
    Parameter,
    Value,
    dot,
    player,
    render,
    render_steps,
    to_dot,
    topological_order,
)
from autograd.display import drawing as viz
from autograd.display import renderer
from autograd.display.layout import dot_to_svg
from autograd.display.renderer import find_renderer


def lecture() -> Value:
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    J = 3 * (a + b * c)
    J.backward()
    return J


def mlp_fused(rng: random.Random, widths: list[int], n_in: int) -> Value:
    h: list[Value] = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(n_in)]
    for layer, width in enumerate(widths):
        h = [
            dot(
                [Parameter(rng.uniform(-1, 1), label=f"w{layer}.{j}.{i}") for i in range(len(h))],
                h,
                Parameter(0.0, label=f"b{layer}.{j}"),
            ).tanh()
            for j in range(width)
        ]
    return h[0]


def mlp_binary(rng: random.Random, widths: list[int], n_in: int) -> Value:
    h: list[Value] = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(n_in)]
    for layer, width in enumerate(widths):
        new = []
        for j in range(width):
            acc: Value = Parameter(0.0, label=f"b{layer}.{j}")
            for i, x in enumerate(h):
                acc = acc + Parameter(rng.uniform(-1, 1), label=f"w{layer}.{j}.{i}") * x
            new.append(acc.tanh())
        h = new
    return h[0]


def sum_tree(n_leaves: int) -> Value:
    level = [Value(float(i), label=f"x{i}") for i in range(n_leaves)]
    while len(level) > 1:
        level = [
            level[i] + level[i + 1] if i + 1 < len(level) else level[i]
            for i in range(0, len(level), 2)
        ]
    return level[0]


def chain_reusing_input(steps: int) -> Value:
    x = Value(0.5, label="x")
    y = x
    for _ in range(steps):
        y = (y * 1.01).tanh() + x
    return y


def repeated_sum(terms: int) -> Value:
    """a + a + ... + a: one leaf used by every op of a chain."""
    a = Value(1.0, label="a")
    y = a
    for _ in range(terms - 1):
        y = y + a
    return y


def each_sums_all_before(n: int) -> Value:
    """n values, each the sum of every value before it: about n * n / 2 edges."""
    values = [Value(0.5, label="x0"), Value(1.5, label="x1")]
    while len(values) < n:
        values.append(autograd.sum(values))
    return values[-1]


def shared_inputs(n_inputs: int, n_sums: int) -> Value:
    """n_inputs leaves, each used by every one of n_sums sums: two very wide ranks."""
    xs = [Value(float(i), label=f"x{i}") for i in range(n_inputs)]
    return autograd.sum([autograd.sum(xs) for _ in range(n_sums)])


def tanh_chain(n: int) -> Value:
    x = Value(0.5, label="x")
    for _ in range(n):
        x = x.tanh()
    return x


def renderer_cpu() -> float:
    """CPU seconds used so far by finished child processes (the renderer runs as one)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu(fn: Callable[[], object]) -> float:
    """CPU seconds of one call in this process (the pure-Python layout runs here)."""
    import time

    start = time.process_time()
    fn()
    return time.process_time() - start


def graphviz_cpu(fn: Callable[[], object]) -> float:
    """CPU seconds of one call, in this process and in the renderer's."""
    child = renderer_cpu()
    own = process_cpu(fn)
    return own + renderer_cpu() - child


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, renderer CPU seconds) of one call."""
    import time

    wall, cpu = time.perf_counter(), renderer_cpu()
    fn()
    return time.perf_counter() - wall, renderer_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="best of this many (default 3)")
    parser.add_argument("--timeout", type=float, help="seconds after which a render is stopped")
    args = parser.parse_args()
    if args.timeout:
        viz.RENDER_TIMEOUT = args.timeout
    rng = random.Random(0)
    shapes = {
        "MLP 8-24-24-1, fused dot": mlp_fused(rng, [24, 24, 1], 8),
        "MLP 6-14-14-1, binary * and +": mlp_binary(rng, [14, 14, 1], 6),
        "balanced sum tree": sum_tree(500),
        "chain reusing its input": chain_reusing_input(249),
        "a + a + ... + a, 600 terms": repeated_sum(600),
        "a + a + ... + a, 999 terms": repeated_sum(999),
        "each sums all before, 300": each_sums_all_before(300),
        "each sums all before, 63": each_sums_all_before(63),
        "300 inputs shared by 6 sums": shared_inputs(300, 6),
    }
    for root in shapes.values():
        root.backward()
    exe, system = find_renderer()
    print(f"renderer: {exe} ({'system Graphviz' if system else 'graphviz-pure'})")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "graph.svg"
        small = lecture()
        (ref,) = best_of([lambda: render(small, out)], args.repeats)
        n = len(topological_order(small))
        e = sum(len(v.parents) for v in topological_order(small))
        print(
            f"  {'lecture graph (reference)':<30} {n:5d} values {e:6d} edges   render {ref:.3f} s"
        )
        print(
            f"  {'graph':<30} {'values':>12} {'edges':>12}   {'to_dot':>7}   "
            f"{'render svg':>10}  {'renderer CPU':>12}   vs ref   {'pure layout CPU':>15}  "
            "vs renderer"
        )
        for name, root in shapes.items():
            order = topological_order(root)
            n, e = len(order), sum(len(v.parents) for v in order)
            head = f"  {name:<30} {n:5d} values {e:6d} edges  "
            try:
                (t_dot,) = best_of([lambda r=root: to_dot(r)], args.repeats)
                runs = [timed(lambda r=root: render(r, out)) for _ in range(args.repeats)]
                t_svg, cpu = min(wall for wall, _ in runs), min(c for _, c in runs)
            except ValueError as err:  # the size limits
                print(f"{head} refused: {str(err).split(':')[0]}")
                continue
            except RuntimeError as err:  # the timeout
                print(f"{head} {err}")
                continue
            source = to_dot(root)
            pure = min(process_cpu(lambda s=source: dot_to_svg(s)) for _ in range(args.repeats))
            print(
                f"{head} {t_dot:6.3f} s   {t_svg:8.3f} s  {cpu:10.3f} s   {t_svg / ref:6.0f}x"
                f"   {pure:13.3f} s  {pure / cpu:9.2f}x"
            )
        print("  the player with the pure-Python layout (CHAINGRAD_LAYOUT=python), CPU:")
        for name, root in {
            "MLP 4-8-8-1, binary, 350 values": mlp_binary(random.Random(1), [8, 8, 1], 4),
            "tanh chain, 300 values": tanh_chain(299),
            "balanced sum tree, 299 values": sum_tree(150),
        }.items():
            with_graphviz = min(graphviz_cpu(lambda r=root: player(r)) for _ in range(args.repeats))
            os.environ[renderer.LAYOUT_VARIABLE] = "python"
            try:
                pure = min(process_cpu(lambda r=root: player(r)) for _ in range(args.repeats))
            finally:
                del os.environ[renderer.LAYOUT_VARIABLE]
            print(
                f"  {name:<34} {pure:6.3f} s (target 1 s); with Graphviz {with_graphviz:6.3f} s "
                f"(this process and the renderer's): {pure / with_graphviz:4.2f}x"
            )
        print("  backward flip book (svg pages, one run):")
        for name, root in {
            "lecture graph, 3 steps": small,
            "tanh chain, 109 steps (the most)": tanh_chain(109),
            "a + a + ... + a, 77 steps (most)": repeated_sum(78),
        }.items():
            try:
                wall, cpu = timed(lambda r=root: render_steps(r, Path(tmp) / "steps"))
            except ValueError as err:
                print(f"  {name:<30} refused: {str(err).split(':')[0]}")
                continue
            pages = len(list((Path(tmp) / "steps").iterdir()))
            print(
                f"  {name:<30} {pages:4d} pages {wall:8.2f} s  renderer CPU {cpu:7.2f} s   "
                f"{wall / ref:6.0f}x"
            )


if __name__ == "__main__":
    main()
