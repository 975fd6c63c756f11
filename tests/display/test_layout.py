"""autograd.display.layout: chaingrad's DOT laid out in pure Python; the drawings' fallback to it.

The SVG must have Graphviz's structure where chaingrad reads it (node and edge groups with
their DOT names as titles, one text per cell line), boxes that do not overlap, edges that run
from their tail to their head along the rank direction, and it must refuse DOT it does not
draw. Without any Graphviz (no `dot`, no graphviz-pure, no process at all) drawings, the
flip book, the player and every demo still work.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from graphs import lecture_graph

import autograd
import demos
import nn
from autograd import Value, player, render, render_steps, to_dot, topological_order
from autograd.display import drawing as viz
from autograd.display import renderer
from autograd.display.formatting import number
from autograd.display.layout import dot_to_svg, text_width
from autograd.extend import Constant

SVG = "{http://www.w3.org/2000/svg}"


def lecture() -> Value:
    J = lecture_graph()["J"]
    J.backward()
    return J


def neuron() -> Value:
    out = nn.Neuron(3, activation="tanh", rng=1)([0.5, -1.5, 2.0])
    out.label = "out"
    out.backward()
    return out


def mlp() -> Value:
    out = nn.MLP(2, [3, 3, 1], activation="tanh", rng=0)([0.5, -1.0])[0]
    out.backward()
    return out


def reused() -> Value:
    x = Value(3.0, label="x")
    h = x * x
    y = h + x + h.tanh()  # x used three times, h twice
    y.backward()
    return y


def far() -> Value:
    x = Value(0.5, label="x")
    h = x.tanh()
    y = h
    for _ in range(6):
        y = y.tanh()
    y = y * h  # h used far from where it is made: drawn again beside the op
    y.backward()
    return y


def wide() -> Value:
    xs = [Value(float(i), label=f"x{i}") for i in range(40)]
    return autograd.sum([autograd.sum(xs), autograd.sum(xs[::2])])


GRAPHS = {
    "lecture": lecture,
    "neuron": neuron,
    "mlp": mlp,
    "reused": reused,
    "far": far,
    "wide": wide,
}


def groups(svg: str, kind: str) -> dict[str, ET.Element]:
    return {
        g.findtext(f"{SVG}title") or "": g
        for g in ET.fromstring(svg).iter(f"{SVG}g")
        if g.get("class") == kind
    }


def texts(g: ET.Element) -> list[str]:
    return [(t.text or "").replace("\xa0", " ") for t in g.iter(f"{SVG}text")]


def box(g: ET.Element) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a node's shapes, or of its text for a text-only node."""
    xs: list[float] = []
    ys: list[float] = []
    for el in g:
        if el.tag == f"{SVG}polygon":
            for pair in el.get("points", "").split():
                x, y = pair.split(",")
                xs.append(float(x))
                ys.append(float(y))
        elif el.tag == f"{SVG}ellipse":
            cx, cy, rx, ry = (float(el.get(k, "0")) for k in ("cx", "cy", "rx", "ry"))
            xs += [cx - rx, cx + rx]
            ys += [cy - ry, cy + ry]
        elif el.tag == f"{SVG}rect":
            x, y, w, h = (float(el.get(k, "0")) for k in ("x", "y", "width", "height"))
            xs += [x, x + w]
            ys += [y, y + h]
    if not xs:  # a number on an arrow: its text
        t = g.find(f"{SVG}text")
        assert t is not None
        size = float(t.get("font-size", "14"))
        w = text_width(t.text or "", size)
        x, y = float(t.get("x", "0")), float(t.get("y", "0"))
        xs, ys = [x - w / 2, x + w / 2], [y - size, y + size * 0.2]
    return min(xs), min(ys), max(xs), max(ys)


def centre(b: tuple[float, float, float, float]) -> tuple[float, float]:
    return (b[0] + b[2]) / 2, (b[1] + b[3]) / 2


def path_ends(g: ET.Element) -> tuple[tuple[float, float], tuple[float, float]]:
    """Where an edge starts and where it ends (its arrowhead's tip, when it has one)."""
    path = g.find(f"{SVG}path")
    assert path is not None
    nums = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
    start, end = (nums[0], nums[1]), (nums[-2], nums[-1])
    arrow = g.find(f"{SVG}polygon")
    if arrow is not None:
        pts = [tuple(map(float, p.split(","))) for p in arrow.get("points", "").split()]
        end = max(pts, key=lambda p: math.dist(p, start))  # the tip: farthest from the start
        end = (end[0], end[1])
    return start, end


# ---------------------------------------------------------------- the SVG's structure


@pytest.mark.parametrize("name", GRAPHS)
def test_the_same_nodes_edges_and_texts_as_graphviz(name: str) -> None:
    if shutil.which("dot") is None and shutil.which("graphviz-pure") is None:
        pytest.skip("no Graphviz here to compare with (graphviz-pure is a dependency)")
    source = to_dot(GRAPHS[name]())
    ours = dot_to_svg(source)
    theirs = renderer.pipe(source, "svg", renderer.find_renderer()[0]).decode("utf-8")
    for kind in ("node", "edge"):
        mine, gv = groups(ours, kind), groups(theirs, kind)
        assert sorted(mine) == sorted(gv), kind
        assert {k: texts(g) for k, g in mine.items()} == {k: texts(g) for k, g in gv.items()}
    # the value boxes' backgrounds: the first polygon, as test_viz's fill_of reads it
    for title, g in groups(ours, "node").items():
        if title.startswith("v"):
            first = g.find(f"{SVG}polygon")
            theirs_first = groups(theirs, "node")[title].find(f"{SVG}polygon")
            assert first is not None and theirs_first is not None
            assert first.get("fill") == theirs_first.get("fill")


@pytest.mark.parametrize("name", GRAPHS)
def test_boxes_do_not_overlap_and_stay_inside(name: str) -> None:
    svg = dot_to_svg(to_dot(GRAPHS[name]()))
    top = ET.fromstring(svg)
    width, height = (float(v) for v in top.get("viewBox", "").split()[2:])
    boxes = {t: box(g) for t, g in groups(svg, "node").items()}
    for t, (x0, y0, x1, y1) in boxes.items():  # the group is shifted by the 4 pt margin
        assert -4 <= x0 and x1 <= width - 4 and -4 <= y0 and y1 <= height - 4, t
    items = sorted(boxes.items(), key=lambda kv: kv[1][0])
    for i, (a, ba) in enumerate(items):
        for b, bb in items[i + 1 :]:
            if bb[0] >= ba[2]:
                break
            overlap_y = min(ba[3], bb[3]) - max(ba[1], bb[1])
            assert overlap_y <= 0.5, f"{a} and {b} overlap"


@pytest.mark.parametrize("rankdir", viz.RANKDIRS)
def test_edges_run_from_tail_to_head_along_the_rank_direction(rankdir: str) -> None:
    svg = dot_to_svg(to_dot(mlp(), rankdir=rankdir))
    boxes = {t: box(g) for t, g in groups(svg, "node").items()}
    axis = {"LR": (1, 0), "RL": (-1, 0), "TB": (0, 1), "BT": (0, -1)}[rankdir]
    edges = groups(svg, "edge")
    assert len(edges) == to_dot(mlp()).count(" -> ")
    for title, g in edges.items():
        tail, head = title.split("->")
        start, end = path_ends(g)
        for point, node in ((start, tail), (end, head)):
            x0, y0, x1, y1 = boxes[node]
            assert x0 - 2 <= point[0] <= x1 + 2 and y0 - 2 <= point[1] <= y1 + 2, (title, node)
        (tx, ty), (hx, hy) = centre(boxes[tail]), centre(boxes[head])
        assert (hx - tx) * axis[0] + (hy - ty) * axis[1] > 0, title  # the next rank on


def test_the_same_source_gives_the_same_svg() -> None:
    source = to_dot(mlp())
    assert dot_to_svg(source) == dot_to_svg(source)


def test_a_long_chain_needs_no_recursion() -> None:
    x = Value(0.5, label="x")
    for _ in range(600):
        x = x.tanh()
    source = to_dot(x, max_nodes=1000)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(200, len(__import__("inspect").stack()) + 100))
    try:
        svg = dot_to_svg(source)
    finally:
        sys.setrecursionlimit(limit)
    assert len(groups(svg, "node")) == 601 + 600 + 600  # values, ops, arrow numbers


def test_text_width_follows_helvetica() -> None:
    assert text_width("data 5.0000", 14) == pytest.approx(
        73.95, abs=0.01
    )  # as graphviz-pure measures it
    assert text_width("", 14) == 0
    assert text_width("ab", 10) == text_width("a", 10) + text_width("b", 10)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("graph g { a -- b }", "directed graphs"),
        ("digraph g { subgraph cluster_0 { a } }", "'subgraph'"),
        ("digraph g { a [shape=star] }", "shape='star'"),
        ("digraph g { a -> b [label=x] }", "edge attribute 'label'"),
        ("digraph g { a [tooltip=x] }", "node attribute 'tooltip'"),
        ("digraph g { a:p -> b }", "ports"),
        ("digraph g { a [label=<<TABLE><TR><TD>x</TD></TR></TABLE>>] }", "shape=plain"),
        ("digraph g { a [label=<<IMG SRC='x'/>>] }", "<IMG>"),
        ("digraph g { a -> }", "expected a node"),
        ("digraph g { a [label=<unclosed] }", "not closed"),
        ("digraph g { a -> b -> a }", "has a cycle"),
    ],
)
def test_dot_it_does_not_draw_is_refused(source: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        dot_to_svg(source)


def test_a_source_that_is_not_text_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="source must be a str, not bytes"):
        dot_to_svg(b"digraph g {}")  # type: ignore[arg-type]


# ---------------------------------------------------------------- viz falls back to it


def no_graphviz(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in Pyodide: no `dot`, no graphviz-pure, and no process can be started."""
    monkeypatch.delenv(renderer.LAYOUT_VARIABLE, raising=False)
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(shutil, "which", lambda name, mode=None, path=None: None)

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a process was started: {args}")

    monkeypatch.setattr(subprocess, "run", no_process)
    monkeypatch.setattr(subprocess, "Popen", no_process)


def test_without_graphviz_drawings_fall_back_to_the_pure_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_graphviz(monkeypatch)
    J = lecture()
    svg = render(J, tmp_path / "J.svg").read_text(encoding="utf-8")
    assert "pure-Python layout" in svg
    assert {"grad 3.0000", "grad 6.0000", "grad 9.0000"} <= {
        t for g in groups(svg, "node").values() for t in texts(g)
    }
    pages = render_steps(J, tmp_path / "steps")
    assert [p.name for p in pages] == ["step_001.svg", "step_002.svg", "step_003.svg"]
    drawing = autograd.draw_dot(J)
    assert "grad 6.0000" in drawing.pipe(encoding="utf-8")  # the notebook display's call
    assert "grad 6.0000" in drawing._repr_image_svg_xml()
    with pytest.raises(RuntimeError, match="svg drawings and the player need neither"):
        render(J, tmp_path / "J.png")  # other formats still need a renderer


def test_without_graphviz_the_player_works(monkeypatch: pytest.MonkeyPatch) -> None:
    no_graphviz(monkeypatch)
    J = lecture()
    page = player(J).html()
    svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    shown = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("data-node") is not None:
            fields = {t.get("data-field"): t.text for t in g.iter(f"{SVG}tspan")}
            shown[int(g.get("data-node", ""))] = (fields["data"], fields.get("grad"))
    order = topological_order(J)
    assert shown == {
        i: (number(v.data), None if isinstance(v, Constant) else number(v.grad))
        for i, v in enumerate(order)
    }  # a constant's box has no gradient
    for hook in ("data-op=", "data-local=", "data-into=", "data-out=", 'data-action="play"'):
        assert hook in page


@pytest.mark.parametrize("name", demos.DEMOS)
def test_without_graphviz_every_demo_draws(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib", reason="the pictures need the demos extra")
    no_graphviz(monkeypatch)
    module = demos.load(name)
    assert module.run(tmp_path, quick=True, plots=True) is True
    out = capsys.readouterr().out
    assert "could not draw" not in out and "FAIL" not in out
    for filename in module.FILES:
        path = tmp_path / filename
        assert path.exists(), f"{name} did not write {filename}"
        files = sorted(path.iterdir()) if path.is_dir() else [path]
        assert files, f"{name} wrote an empty {filename}/"
        for f in files:
            if f.suffix == ".svg" and "<title>chaingrad</title>" in f.read_text("utf-8"):
                assert "pure-Python layout" in f.read_text("utf-8"), f


def test_the_layout_can_be_chosen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    J = lecture()
    monkeypatch.setenv(renderer.LAYOUT_VARIABLE, "python")
    assert "pure-Python layout" in render(J, tmp_path / "a.svg").read_text(encoding="utf-8")
    with pytest.raises(RuntimeError, match="CHAINGRAD_LAYOUT=python lays out svg only"):
        render(J, tmp_path / "a.png")
    monkeypatch.setenv(renderer.LAYOUT_VARIABLE, "Graphviz ")  # case and spaces do not matter
    if shutil.which("dot") or shutil.which("graphviz-pure"):
        assert "pure-Python layout" not in render(J, tmp_path / "b.svg").read_text("utf-8")
    monkeypatch.setenv(renderer.LAYOUT_VARIABLE, "fast")
    with pytest.raises(ValueError, match="CHAINGRAD_LAYOUT must be auto, python or graphviz"):
        render(J, tmp_path / "c.svg")
    assert not (tmp_path / "c.svg").exists()
