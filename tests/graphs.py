"""Graphs several test modules draw, explain and play."""

from __future__ import annotations

from autograd import Value


def lecture_graph() -> dict[str, Value]:
    """The lecture's J = 3(a + b·c) at a = 5, b = 3, c = 2: u = b·c, v = a + u, J = 3v,
    every node labelled, by name."""
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    u = b * c
    u.label = "u"
    v = a + u
    v.label = "v"
    J = 3 * v
    J.label = "J"
    return {"a": a, "b": b, "c": c, "u": u, "v": v, "J": J}
