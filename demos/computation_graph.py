"""The notes' computation graph a, b, c -> u = b*c, v = a + u -> J = 3v.

Forward values, the chain rule by hand beside ``backward()``, the
finite-difference table, drawings of the graph before and after backward, the
backward pass as a flip book, and the loop that drives J below 0.1, both as it
should be and as the notes' code (with its slip) prints it.
"""

from __future__ import annotations

from pathlib import Path

import autograd
from autograd import Value
from demos._common import Cmp, Report

DESCRIPTION = "J = 3(a + b*c): chain rule by hand vs backward(), drawings, descent loop"
FILES = (
    "computation_graph_before.svg",
    "computation_graph_after.svg",
    "computation_graph_steps",
    "computation_graph_descent.png",
)

# Seed case graph_hand_derivatives, expected.
HAND = {"u": 6, "v": 11, "J": 33, "dJ_dv": 3, "dJ_du": 3, "dJ_da": 3, "dJ_db": 6, "dJ_dc": 9}
# Seed case graph_finite_difference, printed: J after nudging one input by +0.1.
NUDGED = {"J_a_5_1": 33.3, "J_b_3_1": 33.6, "J_c_2_1": 33.9}
# Seed case graph_descent_until_J_lt_0_1, expected.J_sequence: J printed before
# each update with the true gradient (3, 3c, 3b).
J_CORRECT = [
    33,
    22.02,
    15.559800000000001,
    10.885812000000003,
    6.362919780000004,
    0.6902542032000056,
]
# ... expected.final_J: where that loop stops (it overshoots below zero).
J_CORRECT_FINAL = -7.614039706841994
# Seed case graph_descent_until_J_lt_0_1, printed.J_sequence: what the notes print.
J_PRINTED = [33, 8.58, 5.46765648, 2.7136824448030787, 0.9855570692702882, 0.27644683792913805]
# ... printed_reproduction.final_J: where the notes' loop stops.
J_PRINTED_FINAL = 0.06833317931787164

SOURCES = {
    "HAND": ("graph_hand_derivatives", "expected"),
    "NUDGED": ("graph_finite_difference", "printed"),
    "J_CORRECT": ("graph_descent_until_J_lt_0_1", "expected", "J_sequence"),
    "J_CORRECT_FINAL": ("graph_descent_until_J_lt_0_1", "expected", "final_J"),
    "J_PRINTED": ("graph_descent_until_J_lt_0_1", "printed", "J_sequence"),
    "J_PRINTED_FINAL": ("graph_descent_until_J_lt_0_1", "printed_reproduction", "final_J"),
}
TOL = 1e-12


def build(a: float, b: float, c: float) -> dict[str, Value]:
    """The graph, every node labelled, returned by name."""
    na, nb, nc = Value(a, label="a"), Value(b, label="b"), Value(c, label="c")
    u = nb * nc
    u.label = "u"
    v = na + u
    v.label = "v"
    J = 3 * v
    J.label = "J"
    return {"a": na, "b": nb, "c": nc, "u": u, "v": v, "J": J}


def descend(slip: bool, step: float = 0.1, limit: int = 100) -> tuple[list[float], float]:
    """The notes' loop: print J, update a, b, c, until J < 0.1.

    With ``slip`` the gradient is that of L = v^2/2 (the notes' code sets
    dJ/dv = v); otherwise it is J's own. Either way the engine computes it.
    """
    a, b, c = 5.0, 3.0, 2.0
    printed: list[float] = []
    for _ in range(limit):
        g = build(a, b, c)
        J = g["J"]
        if J.data < 0.1:
            return printed, J.data
        printed.append(J.data)
        objective = 0.5 * g["v"] * g["v"] if slip else J
        objective.backward()
        a = a - step * g["a"].grad
        b = b - step * g["b"].grad
        c = c - step * g["c"].grad
    raise RuntimeError("the loop did not reach J < 0.1")


def run(out: Path, quick: bool = False, plots: bool = True) -> bool:
    r = Report("computation_graph", out, plots, quick)
    g = build(5.0, 3.0, 2.0)

    r.heading("1. Forward pass at a = 5, b = 3, c = 2")
    r.table(
        ["node", "value"],
        [[name, Cmp(g[name].data, HAND[name], 0.0)] for name in ("u", "v", "J")],
    )

    r.heading("2. Backward: the chain rule by hand beside J.backward()")
    plt = r.pyplot() if plots else None
    if plots:
        _render(r, g["J"], "computation_graph_before.svg")
    g["J"].backward()
    a, b, c = 5.0, 3.0, 2.0
    print("the graph after J.backward() (autograd.tree; the drawings show the same):")
    print(autograd.tree(g["J"]))
    by_hand = [
        ("dJ/dv", "3", 3.0, "v"),
        ("dJ/du", "dJ/dv * dv/du = 3 * 1", 3.0 * 1.0, "u"),
        ("dJ/da", "dJ/dv * dv/da = 3 * 1", 3.0 * 1.0, "a"),
        ("dJ/db", "dJ/dv * dv/du * du/db = 3 * 1 * c", 3.0 * 1.0 * c, "b"),
        ("dJ/dc", "dJ/dv * dv/du * du/dc = 3 * 1 * b", 3.0 * 1.0 * b, "c"),
    ]
    r.table(
        ["derivative", "chain rule", "by hand", "backward()"],
        [
            [d, rule, hand, Cmp(g[node].grad, HAND[d.replace("/", "_")], 0.0)]
            for d, rule, hand, node in by_hand
        ],
    )
    r.note(
        "The notes write db = 3*1*b = 6 and dc = 3*1*c = 9 with b and c swapped: "
        "du/db = c = 2 and du/dc = b = 3; the numbers 6 and 9 are right."
    )
    _explained(r, g["J"], by_hand)
    if plots:
        _render(r, g["J"], "computation_graph_after.svg")
        _flipbook(r, 5.0, 3.0, 2.0)

    r.heading("3. Finite differences: nudge one input by +0.1")
    rows = []
    for name, key in (("a", "J_a_5_1"), ("b", "J_b_3_1"), ("c", "J_c_2_1")):
        start = {"a": a, "b": b, "c": c}
        start[name] += 0.1
        J1 = build(**start)["J"].data
        slope = (J1 - 33.0) / 0.1
        rows.append(
            [
                f"{name} + 0.1",
                Cmp(J1, NUDGED[key], 1e-9),
                slope,
                Cmp(g[name].grad, HAND["dJ_d" + name], 0.0),
            ]
        )
    r.table(["nudge", "J", "slope (J - 33)/0.1", "dJ/dinput"], rows)
    r.note("J is linear in each input alone, so the slopes equal the derivatives up to rounding.")

    r.heading("4. Gradient descent on a, b, c (step 0.1) until J < 0.1")
    seq, final = descend(slip=False)
    r.table(
        ["update", "J"],
        _padded(seq, J_CORRECT),
        title="with the true gradient dJ/da, dJ/db, dJ/dc = 3, 3c, 3b",
        ref="correct",
    )
    r.compare("J when the loop stops (correct run)", final, J_CORRECT_FINAL, TOL)
    seq_slip, final_slip = descend(slip=True)
    r.table(
        ["update", "J"],
        _padded(seq_slip, J_PRINTED),
        title="the notes' printed table: their code sets dJ/dv = v",
    )
    r.compare("J when the notes' loop stops", final_slip, J_PRINTED_FINAL, TOL)
    r.note(
        "The two tables differ because the notes' code uses dJ/dv = v instead of 3, which is "
        "gradient descent on v^2/2 = (a + b*c)^2/2 while still printing J = 3v; with the true "
        "gradient J falls faster and, J being unbounded below, overshoots to -7.6."
    )
    if plt is not None:
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(range(len(seq) + 1), seq + [final], "o-", label="true gradient (3, 3c, 3b)")
        ax.plot(
            range(len(seq_slip) + 1),
            seq_slip + [final_slip],
            "s--",
            label="notes' code: dJ/dv = v (descends v²/2)",
        )
        ax.axhline(0.1, color="gray", ls=":", label="stop when J < 0.1")
        ax.set(title="J = 3(a + b·c) during gradient descent", xlabel="update", ylabel="J")
        ax.legend()
        r.save(fig, "computation_graph_descent.png")
    return r.finish()


def _explained(r: Report, J: Value, by_hand: list[tuple[str, str, float, str]]) -> None:
    """The hand derivation beside autograd.explain(J), which writes the engine's own steps."""
    text = autograd.explain(J)
    lines = text.splitlines()
    print()
    print("the same chain rule as autograd.explain(J) writes it, beside the notes:")
    rows = []
    for d, rule, _, _ in by_hand:
        said = next((ln.strip() for ln in lines if ln.strip().startswith(f"{d} = ")), "")
        rows.append([d, rule.replace("*", "·"), said])
    r.table(["derivative", "by hand (the notes)", "autograd.explain(J)"], rows)
    print()
    print("autograd.explain(J) in full (one step per op node, in the order backward() takes):")
    for line in lines:
        print("  " + line)
    want = ", ".join(f"dJ/d{n} = {HAND['dJ_d' + n]:.4f}" for n in "abc")
    r.check("explain(J) ends with the lecture's gradients", lines[-1] == f"so {want}", lines[-1])


def _padded(engine: list[float], lecture: list[float]) -> list[list[object]]:
    """Rows pairing the two sequences; a missing entry on either side fails."""
    n = max(len(engine), len(lecture))
    rows: list[list[object]] = []
    for i in range(n):
        e = engine[i] if i < len(engine) else float("nan")
        lec = lecture[i] if i < len(lecture) else float("nan")
        rows.append([i, Cmp(e, lec, TOL)])
    return rows


def _render(r: Report, root: Value, filename: str) -> None:
    r.out.mkdir(parents=True, exist_ok=True)
    try:
        path = autograd.render(root, r.out / filename)
    except RuntimeError as e:  # no Graphviz renderer: the tables matter more than the picture
        print(f"  (could not draw the graph: {e})")
        return
    r.wrote(path)


def _flipbook(r: Report, a: float, b: float, c: float) -> None:
    folder = r.out / "computation_graph_steps"
    try:
        pages = autograd.render_steps(build(a, b, c)["J"], folder, format="svg")
    except RuntimeError as e:
        print(f"  (could not draw the flip book: {e})")
        return
    print(f"  wrote {len(pages)} pages of the backward pass, one per step, to {folder}/")
    r.files.append(folder)
