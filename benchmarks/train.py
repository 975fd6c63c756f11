"""nn training benchmark: one step of micrograd's moons demo, nn beside hand-written floats.

Run: ``python benchmarks/train.py`` (``--quick`` for fewer repeats, ``--profile``
to add a cProfile of the nn step).

The step: ``nn.MLP(2, [16, 16, 1])`` (relu) on 100 moons points, hinge loss plus
1e-4 L2, plain SGD. The reference is the same step written with Python floats
and hand-derived gradients, from the same weights, measured in the same run;
the script checks that both give the same loss at every step (to 1e-9) and
exits with status 1 if they do not. It then reports the steps per second of
``nn.fit`` with the progress bar off and on.

The same step through ``autograd.compile`` (traced once, replayed as
generated Python) is checked to give the same loss bit for bit at every step,
then timed beside the others, with the time its first call takes (trace,
code generation, Python's compile) and ``nn.fit(compile=True)``'s steps per second.

Reference (from the project's issue): micrograd needs 1.22 s per step, 162x
the hand-written code. Targets: nn at most 3x the hand-written code; compiled
at most 0.6x, its first call at most 1 s.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections.abc import Callable

from reference import best_of, hand_mlp_step

import autograd
import nn
from autograd import gc_paused

ALPHA = 1e-4  # L2 strength
LR = 0.5


# ---------------------------------------------------------------- the nn step


def make_nn_step(model: nn.MLP, X: list[list[float]], y: list[float]) -> Callable[[], float]:
    params = model.parameters()
    opt = nn.SGD(params, lr=LR)

    def step() -> float:
        scores = [model(x)[0] for x in X]
        loss = nn.hinge_loss(scores, y) + nn.l2_penalty(params, ALPHA)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.data

    return step


def make_compiled_step(
    model: nn.MLP, X: list[list[float]], y: list[float]
) -> tuple[Callable[[], float], autograd.Compiled]:
    """The nn step with its forward, loss and backward compiled."""
    params = model.parameters()
    opt = nn.SGD(params, lr=LR)
    compiled = autograd.compile(
        lambda xs, ys: nn.hinge_loss([model(x)[0] for x in xs], ys) + nn.l2_penalty(params, ALPHA)
    )

    def step() -> float:
        opt.zero_grad()
        loss = compiled(X, y)
        opt.step()
        return loss

    return step, compiled


def first_call_seconds(X: list[list[float]], y: list[float]) -> float:
    """Seconds for a fresh compiled step's first call: trace, code, compile, run."""
    step, _ = make_compiled_step(nn.MLP(2, [16, 16, 1], rng=1), X, y)
    t = time.perf_counter()
    step()
    return time.perf_counter() - t


def nn_phases(model: nn.MLP, X: list[list[float]], y: list[float], repeats: int) -> dict:
    """The best time of each phase of the nn step (collector paused), in seconds."""
    params = model.parameters()
    opt = nn.SGD(params, lr=0.0)  # lr 0: the phases repeat on the same weights
    best: dict[str, float] = {}
    with gc_paused():
        for _ in range(repeats):
            t0 = time.perf_counter()
            scores = [model(x)[0] for x in X]
            t1 = time.perf_counter()
            loss = nn.hinge_loss(scores, y) + nn.l2_penalty(params, ALPHA)
            t2 = time.perf_counter()
            opt.zero_grad()
            loss.backward()
            t3 = time.perf_counter()
            opt.step()
            t4 = time.perf_counter()
            del scores, loss  # freeing the graph is part of a step too
            t5 = time.perf_counter()
            times = {
                "forward (model calls)": t1 - t0,
                "loss + L2 nodes": t2 - t1,
                "zero_grad + backward": t3 - t2,
                "optimizer step": t4 - t3,
                "freeing the graph": t5 - t4,
            }
            for k, v in times.items():
                best[k] = min(best.get(k, v), v)
    return best


# ---------------------------------------------------------------- the hand-written step


def weights_of(model: nn.MLP) -> list[list[list[float]]]:
    """layers[l][j] = [w_1, ..., w_nin, b] for neuron j of layer l, as floats."""
    return [[[w.data for w in n.w] + [n.b.data] for n in layer.neurons] for layer in model.layers]


# ---------------------------------------------------------------- fit with and without a bar


class _FakeTerminal(io.StringIO):
    """An in-memory stderr that says it is a terminal, so fit's bar really draws."""

    def isatty(self) -> bool:
        return True


def fit_seconds(
    X: list[list[float]], y: list[float], epochs: int, progress: bool, compiled: bool = False
) -> float:
    """Seconds for ``nn.fit`` to run ``epochs`` full-batch epochs (the first
    epoch of ``compile=True`` traces)."""
    model = nn.MLP(2, [16, 16, 1], rng=1)
    params = model.parameters()

    def loss(outputs, targets):
        return nn.hinge_loss(outputs, targets) + nn.l2_penalty(params, ALPHA)

    opt = nn.SGD(params, lr=LR)
    saved = sys.stderr
    if progress and not saved.isatty():
        sys.stderr = _FakeTerminal()
    try:
        t = time.perf_counter()
        nn.fit(model, X, y, loss, opt, epochs=epochs, progress=progress, compile=compiled)
        return time.perf_counter() - t
    finally:
        sys.stderr = saved


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--profile", action="store_true", help="cProfile the nn step")
    args = parser.parse_args(argv)
    repeats = 5 if args.quick else 15

    X, labels = nn.datasets.moons(100, noise=0.1, rng=0)
    y = [2.0 * t - 1.0 for t in labels]
    model = nn.MLP(2, [16, 16, 1], rng=1)
    nn_step = make_nn_step(model, X, y)
    hand_weights = weights_of(model)
    first = first_call_seconds(X, y)  # before any other compile: builds the op templates
    again = first_call_seconds(X, y)
    c_step, compiled = make_compiled_step(nn.MLP(2, [16, 16, 1], rng=1), X, y)

    def hand_step() -> float:
        return hand_mlp_step(hand_weights, X, y, LR, ALPHA)

    # the two must agree step after step (both update their own copy of the weights)
    worst = 0.0
    for k in range(3):
        a, b, c = nn_step(), hand_step(), c_step()
        worst = max(worst, abs(a - b))
        print(f"step {k}: loss nn {a:.15f}   hand {b:.15f}   compiled {c!r}")
        if c != a:
            print(f"FAIL: compiled loss {c!r} is not the engine's {a!r}")
            return 1
    if not worst <= 1e-9:
        print(f"FAIL: losses differ by {worst:.3g} (> 1e-9)")
        return 1
    print(f"losses agree (largest difference {worst:.3g}; compiled == nn bit for bit)")

    def paused(step: Callable[[], float]) -> Callable[[], float]:
        def run() -> float:
            with gc_paused():
                return step()

        return run

    t_nn, t_hand, p_nn, p_hand, t_c, p_c = best_of(
        [nn_step, hand_step, paused(nn_step), paused(hand_step), c_step, paused(c_step)],
        repeats,
    )
    print(
        f"one training step, MLP 2-16-16-1 on 100 points (best of {repeats}):\n"
        f"                      nn         hand      ratio\n"
        f"  collector on   {t_nn * 1e3:8.2f} ms  {t_hand * 1e3:8.2f} ms  {t_nn / t_hand:6.2f}x\n"
        f"  gc_paused()    {p_nn * 1e3:8.2f} ms  {p_hand * 1e3:8.2f} ms  {p_nn / p_hand:6.2f}x"
        f"   (nn.fit's setting)\n"
        f"  target <= 3x; micrograd: 1.22 s = 162x\n"
        f"the same step compiled (autograd.compile, {compiled.traces} trace):\n"
        f"  collector on   {t_c * 1e3:8.2f} ms  {t_hand * 1e3:8.2f} ms  {t_c / t_hand:6.2f}x\n"
        f"  gc_paused()    {p_c * 1e3:8.2f} ms  {p_hand * 1e3:8.2f} ms  {p_c / p_hand:6.2f}x\n"
        f"  target <= 0.6x\n"
        f"  first call (trace, generate, compile, run): {first:.2f} s "
        f"({again:.2f} s once the op templates exist); target <= 1 s"
    )

    print("where the nn step's time goes (best of each phase, collector paused):")
    for name, t in nn_phases(nn.MLP(2, [16, 16, 1], rng=1), X, y, repeats).items():
        print(f"  {name:<24} {t * 1e3:8.2f} ms")

    epochs = 5 if args.quick else 20
    t_off, t_on, t_comp = best_of(
        [
            lambda: fit_seconds(X, y, epochs, False),
            lambda: fit_seconds(X, y, epochs, True),
            lambda: fit_seconds(X, y, 5 * epochs, False, compiled=True),
        ],
        2 if args.quick else 3,
    )
    off, on, comp = epochs / t_off, epochs / t_on, 5 * epochs / t_comp
    where = "a terminal" if sys.stderr.isatty() else "an in-memory fake terminal"
    print(
        f"nn.fit, full batch of 100, {epochs} epochs:\n"
        f"  progress off {off:8.2f} steps/s\n"
        f"  progress on  {on:8.2f} steps/s   (bar drawn to {where})\n"
        f"  compile=True {comp:8.2f} steps/s   ({5 * epochs} epochs, first call included)"
    )

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(3):
            nn_step()
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
