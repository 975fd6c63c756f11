"""Engine benchmarks: chaingrad beside plain Python floats with hand-derived gradients.

Run: ``python benchmarks/engine.py`` (``--quick`` for smaller sizes). Every figure
is printed beside the same computation written by hand with floats, measured in
the same run, and the ratio between them: the hand-written code is the
practical limit for pure Python. Timings are the best of a few repeats.

Reference figures for micrograd, measured on the same kind of 2-core machine
(from the project's issue): MLP step 1.22 s = 162x hand-written, 692 bytes per
node, RecursionError at a depth of ~500. Targets: MLP step <= 10x hand-written,
<= 250 bytes per node, a 1,000,000-node chain works.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import tracemalloc

from reference import best_of, hand_mlp_step

from autograd import Value, dot, gc_paused

# ---------------------------------------------------------------- timing


def report(name: str, engine: float, hand: float, unit: str = "s", per: int = 1) -> None:
    e, h = engine / per, hand / per
    scale, suffix = (1e9, "ns") if unit == "ns" else (1.0, "s")
    print(
        f"  {name:<44} engine {e * scale:10.3f} {suffix}   "
        f"hand {h * scale:10.3f} {suffix}   ratio {engine / hand:6.1f}x"
    )


# ---------------------------------------------------------------- (a) chain


def build_chain(n: int) -> tuple[Value, Value]:
    """y <- y * a + b, n/2 times (n nodes); returns y and the leaf b."""
    a, b, y = Value(0.999), Value(0.001), Value(0.5)
    for _ in range(n // 2):
        y = y * a + b
    return y, b


def chain_engine(n: int) -> None:
    """The chain, then backward."""
    build_chain(n)[0].backward()


def chain_hand(n: int) -> None:
    a, b, y = 0.999, 0.001, 0.5
    ys = []
    for _ in range(n // 2):
        ys.append(y)
        y = y * a + b
    ga = gb = 0.0
    g = 1.0
    for yi in reversed(ys):
        ga += g * yi
        gb += g
        g *= a
    assert ga == ga and gb == gb  # keep the work observable


# ---------------------------------------------------------------- (b) sum of products


def products_engine_binary(xs: list[float], ws: list[float]) -> None:
    total = Value(0.0)
    for w, x in zip(ws, xs):
        total = total + Value(w) * Value(x)
    total.backward()


def products_engine_dot(xs: list[float], ws: list[float]) -> None:
    wv = [Value(w) for w in ws]
    xv = [Value(x) for x in xs]
    dot(wv, xv).backward()


def products_hand(xs: list[float], ws: list[float]) -> None:
    total = 0.0
    for w, x in zip(ws, xs):
        total += w * x
    gw = list(xs)  # d total / d w_i = x_i
    gx = list(ws)  # d total / d x_i = w_i
    assert len(gw) == len(gx)


# ---------------------------------------------------------------- (c) MLP step


def make_data(n: int, rng: random.Random) -> tuple[list[list[float]], list[float]]:
    xs = [[rng.uniform(-2, 2), rng.uniform(-1.5, 1.5)] for _ in range(n)]
    ys = [1.0 if x[1] > 0.5 * x[0] * x[0] - 0.5 else -1.0 for x in xs]
    return xs, ys


def make_weights(sizes: list[int], rng: random.Random) -> list[list[list[float]]]:
    """layers[l][j] = [w_1, ..., w_nin, b] for neuron j of layer l."""
    return [
        [[rng.uniform(-1, 1) for _ in range(nin)] + [0.0] for _ in range(nout)]
        for nin, nout in zip(sizes, sizes[1:])
    ]


def mlp_step_engine(weights, xs, ys, lr: float) -> float:
    """One step of micrograd's moons demo with a graph of binary + and * nodes."""
    params = [[[Value(p) for p in neuron] for neuron in layer] for layer in weights]
    flat = [p for layer in params for neuron in layer for p in neuron]
    losses = []
    for x, y in zip(xs, ys):
        act = [Value(v) for v in x]
        for li, layer in enumerate(params):
            out = []
            for neuron in layer:
                s = neuron[-1]
                for w, a in zip(neuron, act):
                    s = s + w * a
                out.append(s.relu() if li < len(params) - 1 else s)
            act = out
        losses.append((1 + -y * act[0]).relu())
    data_loss = losses[0]
    for term in losses[1:]:
        data_loss = data_loss + term
    data_loss = data_loss * (1.0 / len(losses))
    reg = flat[0] * flat[0]
    for p in flat[1:]:
        reg = reg + p * p
    loss = data_loss + 1e-4 * reg
    loss.backward()
    for layer_p, layer_w in zip(params, weights):
        for neuron_p, neuron_w in zip(layer_p, layer_w):
            for k, p in enumerate(neuron_p):
                neuron_w[k] = p.data - lr * p.grad
    return loss.data


# ---------------------------------------------------------------- (d) memory


def bytes_per_node(n: int) -> tuple[float, float]:
    """Bytes per node of the n-node chain, before and after backward
    (gradients stored), from tracemalloc."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    y, _ = build_chain(n)
    built = tracemalloc.get_traced_memory()[0]
    y.backward()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del y
    return (built - base) / n, (after - base) / n


# ---------------------------------------------------------------- (f) gc_paused by graph size


def gc_saving(points: int, repeats: int) -> tuple[float, float]:
    """Best times of the micrograd-style MLP step on ``points`` points (about
    650 nodes per point) with the cyclic collector on and paused."""
    data = make_data(points, random.Random(1))
    weights = make_weights([2, 16, 16, 1], random.Random(2))

    def paused() -> None:
        with gc_paused():
            mlp_step_engine(weights, *data, lr=0.0)

    on, off = best_of([lambda: mlp_step_engine(weights, *data, lr=0.0), paused], repeats)
    return on, off


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, one repeat")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else 7
    n = 10_000 if args.quick else 100_000
    big = 100_000 if args.quick else 1_000_000
    print(f"Python {sys.version.split()[0]}, recursion limit {sys.getrecursionlimit()}")

    print(f"(a) forward+backward of a {n:,}-node chain, per node:")
    engine, hand = best_of([lambda: chain_engine(n), lambda: chain_hand(n)], repeats)
    report("y <- y*a + b", engine, hand, "ns", n)

    rng = random.Random(0)
    xs = [rng.uniform(-1, 1) for _ in range(n)]
    ws = [rng.uniform(-1, 1) for _ in range(n)]
    binary, fused, hand = best_of(
        [
            lambda: products_engine_binary(xs, ws),
            lambda: products_engine_dot(xs, ws),
            lambda: products_hand(xs, ws),
        ],
        repeats,
    )
    print(f"(b) forward+backward of a sum of {n:,} products, per product:")
    report("binary + and * nodes", binary, hand, "ns", n)
    report("one autograd.dot node", fused, hand, "ns", n)

    data = make_data(100, random.Random(1))
    w0 = make_weights([2, 16, 16, 1], random.Random(2))
    w_engine = [[list(nr) for nr in layer] for layer in w0]
    w_hand = [[list(nr) for nr in layer] for layer in w0]
    loss_e = mlp_step_engine(w_engine, *data, lr=0.1)
    loss_h = hand_mlp_step(w_hand, *data, lr=0.1)
    drift = max(
        abs(p - q)
        for le, lh in zip(w_engine, w_hand)
        for ne, nh in zip(le, lh)
        for p, q in zip(ne, nh)
    )

    def paused_step() -> None:
        with gc_paused():
            mlp_step_engine(w_engine, *data, lr=0.0)

    print("(c) one training step, MLP 2-16-16-1 on 100 points (binary +/* graph, micrograd-style):")
    engine, paused, hand = best_of(
        [
            lambda: mlp_step_engine(w_engine, *data, lr=0.0),
            paused_step,
            lambda: hand_mlp_step(w_hand, *data, lr=0.0),
        ],
        repeats,
    )
    report("step", engine, hand)
    report("step inside autograd.gc_paused() (as nn.fit)", paused, hand)
    print(f"  losses agree: engine {loss_e!r}, hand {loss_h!r}; max weight difference {drift:.2e}")
    ok = abs(loss_e - loss_h) <= 1e-9 and drift <= 1e-9

    before, after = bytes_per_node(n)
    print(
        f"(d) memory of a {n:,}-node chain (tracemalloc): {before:.0f} bytes per node, "
        f"{after:.0f} with gradients stored (target <= 250; micrograd 692)"
    )

    t = time.perf_counter()
    y, b = build_chain(big)
    built = time.perf_counter() - t
    t = time.perf_counter()
    y.backward()
    back = time.perf_counter() - t
    print(
        f"(e) a {big:,}-node chain: built in {built:.2f} s, backward in {back:.2f} s "
        f"at recursion limit {sys.getrecursionlimit()}; dy/db = {b.grad:.6f}"
    )
    t = time.perf_counter()
    del y
    print(f"    freed in {time.perf_counter() - t:.2f} s")

    print("(f) what autograd.gc_paused() saves, by graph size (the MLP step of (c)):")
    for points in (50, 100, 200) if args.quick else (50, 100, 200, 400):
        on, off = gc_saving(points, max(repeats // 2, 1) if points > 100 else repeats)
        print(
            f"  {points:>4} points:  collector on {on * 1e3:8.1f} ms"
            f"   paused {off * 1e3:8.1f} ms   saves {1.0 - off / on:5.1%}"
        )
    if not ok:
        print("FAIL: engine and hand-written losses disagree", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
