"""Drawing benchmark: how long ~1,000-value graphs take to become SVG.

Run: ``python benchmarks/render.py``. For each graph shape it prints the number of values, the
time of ``to_dot`` (pure Python) and of ``render`` to SVG (the system ``dot`` if installed,
else graphviz-pure), and the render time as a ratio of rendering the lecture's 6-value graph
in the same run. Timings are the best of a few repeats. Target from the issue: seconds, not
minutes, for 1,000 values.

The shapes: a small MLP built from fused ``dot`` nodes, the same kind of network built from
binary ``*`` and ``+``, a balanced sum tree, and a chain that reuses one input at every step.
The last is the hard case for Graphviz's layout (one node with edges to every rank); without
the ``nslimit`` that ``to_dot`` sets it takes minutes.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from reference import best_of

from autograd import Parameter, Value, dot, render, to_dot, topological_order
from autograd.viz import _find_renderer


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="best of this many (default 3)")
    args = parser.parse_args()
    rng = random.Random(0)
    shapes = {
        "MLP 8-24-24-1, fused dot": mlp_fused(rng, [24, 24, 1], 8),
        "MLP 6-14-14-1, binary * and +": mlp_binary(rng, [14, 14, 1], 6),
        "balanced sum tree": sum_tree(500),
        "chain reusing its input": chain_reusing_input(250),
    }
    for root in shapes.values():
        root.backward()
    exe, system = _find_renderer()
    print(f"renderer: {exe} ({'system Graphviz' if system else 'graphviz-pure'})")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "graph.svg"
        small = lecture()
        (ref,) = best_of([lambda: render(small, out)], args.repeats)
        print(f"  {'lecture graph (reference)':<32} {6:6d} values   render {ref:7.3f} s")
        print(f"  {'graph':<32} {'':>6} values   {'to_dot':>9}   {'render svg':>10}   vs ref")
        for name, root in shapes.items():
            n = len(topological_order(root))
            t_dot, t_svg = best_of(
                [
                    lambda r=root: to_dot(r, max_nodes=2000),
                    lambda r=root: render(r, out, max_nodes=2000),
                ],
                args.repeats,
            )
            print(
                f"  {name:<32} {n:6d} values   {t_dot:7.3f} s   {t_svg:8.3f} s   "
                f"{t_svg / ref:6.0f}x"
            )


if __name__ == "__main__":
    main()
