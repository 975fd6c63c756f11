"""One view of a graph for every picture: names, the backward pass and each local derivative
are computed once per picture, and the player finds its nodes from the view's own names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphs import lecture_graph

import autograd
from autograd import Value
from autograd.display import steps
from autograd.display.view import GraphView


def lecture() -> Value:
    return lecture_graph()["J"]


def count_rules(monkeypatch: pytest.MonkeyPatch) -> dict[Value, int]:
    """Count how often each node's local derivatives are computed."""
    calls: dict[Value, int] = {}
    real = steps._local_grads

    def counted(node: Value) -> tuple[float, ...]:
        calls[node] = calls.get(node, 0) + 1
        return real(node)

    monkeypatch.setattr(steps, "_local_grads", counted)
    monkeypatch.setattr("autograd.display.view._local_grads", counted)
    return calls


@pytest.mark.parametrize(
    "picture",
    [
        lambda J, tmp: autograd.explain(J),
        lambda J, tmp: autograd.tree(J, local_grads=True),
        lambda J, tmp: autograd.to_dot(J),
        lambda J, tmp: autograd.render_steps(J, tmp, format="dot"),
        lambda J, tmp: autograd.player(J),
    ],
    ids=["explain", "tree", "dot", "flip book", "player"],
)
def test_each_local_derivative_is_computed_once_per_picture(
    picture: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    J = lecture()
    J.backward()
    calls = count_rules(monkeypatch)
    picture(J, tmp_path)
    # at most once per value (leaves have none to compute), and once for every op
    assert all(n == 1 for n in calls.values())
    assert {v for v in autograd.topological_order(J) if v.parents} <= set(calls)


def test_the_view_walks_backward_once(monkeypatch: pytest.MonkeyPatch) -> None:
    J = lecture()
    view = GraphView(J)
    walks = []
    real = steps._walk

    def counted(*args: Any) -> Any:
        walks.append(1)
        return real(*args)

    monkeypatch.setattr("autograd.display.view._walk", counted)
    assert view.lines and view.grads and view.walked
    assert len(walks) == 1


def test_the_view_holds_names_roles_and_gradients() -> None:
    J = lecture()
    view = GraphView(J)
    assert dict(zip((view.names[v] for v in view.order), view.roles)) == {
        "a": "input",
        "b": "input",
        "c": "input",
        "u": "intermediate",
        "v": "intermediate",
        "3": "constant",
        "J": "output",
    }
    J.backward()
    assert {view.names[v]: g for v, g in view.grads.items()} == {
        view.names[v]: v.grad for v in view.order
    }


def test_the_player_finds_its_nodes_without_reading_svg_ids(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Labels that look like the DOT's own node names must not confuse the player.
    x, y = Value(1.0, label="v0"), Value(2.0, label="o1")
    z = x * y
    z.label = "d2_0"
    page = autograd.player(z).html()
    for i in range(3):
        assert page.count(f'data-node="{i}"') == 1
    assert page.count('data-op="2"') == 1
    assert page.count('data-local="2"') == 2
    assert "<title>" not in page.split("<svg", 1)[1]
