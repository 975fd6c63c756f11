"""Drawings a learner can read: local derivatives on the arrows, names that match explain(),
constants drawn apart, a legend, a colour-blind-safe palette, flip-book captions, tree() with
local derivatives. Renders are real (graphviz-pure where there is no system Graphviz) and the
SVG is read back with xml.etree."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from graphs import lecture_graph

import autograd
import nn
from autograd import Parameter, Value, explain, topological_order
from autograd.display import drawing as viz
from autograd.display.view import GraphView, node_names

SVG = "{http://www.w3.org/2000/svg}"


def groups(svg: bytes | str, kind: str) -> dict[str, list[str]]:
    """title -> text lines of each <g class=kind> (node, edge or graph)."""
    out = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") == kind:
            title = g.find(f"{SVG}title")
            texts = [(t.text or "").replace("\xa0", " ") for t in g.iter(f"{SVG}text")]
            out[title.text if title is not None else ""] = texts
    return out


def arrow_labels(svg: bytes | str) -> dict[str, str]:
    """ "d4_1" -> the number on the arrow from input 1 of node 4 (in topological order) into
    its op: the text node the drawing puts on that arrow."""
    return {t: texts[0] for t, texts in groups(svg, "node").items() if t.startswith("d")}


def graph_texts(svg: bytes | str) -> list[str]:
    """The texts of the drawing outside its nodes and edges: the legend and the caption."""
    root = ET.fromstring(svg)
    inside = {
        id(t)
        for g in root.iter(f"{SVG}g")
        if g.get("class") in ("node", "edge")
        for t in g.iter(f"{SVG}text")
    }
    return [
        (t.text or "").replace("\xa0", " ") for t in root.iter(f"{SVG}text") if id(t) not in inside
    ]


# ---------------------------------------------------------------- edge labels


@pytest.fixture(scope="module")
def lecture_svg(tmp_path_factory) -> bytes:
    g = lecture_graph()
    g["J"].backward()
    return viz.render(g["J"], tmp_path_factory.mktemp("lec") / "J.svg").read_bytes()


def test_edge_labels_read_back_from_a_real_render(lecture_svg: bytes) -> None:
    g = lecture_graph()
    order = topological_order(g["J"])
    labels = arrow_labels(lecture_svg)

    def arrow(inp: str, node: str) -> str:
        i = g[node].parents.index(g[inp])
        return labels[f"d{order.index(g[node])}_{i}"]

    assert arrow("u", "v") == "1.0000"  # ∂v/∂u = ∂(a + u)/∂u = 1
    assert arrow("a", "v") == "1.0000"
    assert arrow("b", "u") == "2.0000"  # ∂u/∂b = c
    assert arrow("c", "u") == "3.0000"  # ∂u/∂c = b
    assert arrow("v", "J") == "3.0000"  # ∂J/∂v = 3
    assert labels[f"d{order.index(g['J'])}_0"] == "11.0000"  # ∂(3v)/∂3 = v
    assert len(labels) == 6  # one on every arrow into an op
    # each number sits on its arrow: input -> number -> op, the arrowhead at the op
    edges = set(groups(lecture_svg, "edge"))
    k = order.index(g["u"])
    assert {f"v{order.index(g['b'])}->d{k}_0", f"d{k}_0->o{k}"} <= edges


def test_without_local_grads_the_arrows_are_bare() -> None:
    g = lecture_graph()
    with_labels = viz.to_dot(g["J"])
    bare = viz.to_dot(g["J"], local_grads=False)
    assert 'label="2.0000", fontsize=11' in with_labels
    assert "\td" not in bare and "fontcolor" not in bare
    # the same drawing otherwise: input -> op where the labelled one has input -> d -> op
    rejoined = []
    for line in with_labels.splitlines():
        if line.startswith("\td") and "shape=none" in line:
            continue
        if " -> d" in line:
            src = line.split(" -> ")[0]
        elif line.startswith("\td"):
            rejoined.append(f"{src} -> {line.split(' -> ')[1]}")
        else:
            rejoined.append(line)
    key = [ln for ln in rejoined if "local derivative" not in ln and "label=<<TABLE" not in ln]
    assert key == [ln for ln in bare.splitlines() if "label=<<TABLE" not in ln]
    assert "local derivative" in with_labels and "local derivative" not in bare
    with pytest.raises(TypeError, match="local_grads must be a bool"):
        viz.to_dot(g["J"], local_grads=1)  # type: ignore[arg-type]


def test_a_value_used_twice_by_one_op_gets_two_labelled_arrows() -> None:
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    text = viz.to_dot(y)
    for i in (0, 1):  # ∂(x·x)/∂x through each operand: the other one, 3
        assert f'\td1_{i} [shape=none, label="3.0000"' in text
        assert f"\tv0 -> d1_{i} [arrowhead=none]" in text and f"\td1_{i} -> o1" in text


def test_dot_node_arrows_in_parents_order() -> None:
    w = [Parameter(0.5, label="w0"), Parameter(-2.0, label="w1")]
    x = [Value(4.0, label="x0"), Value(1.5, label="x1")]
    z = autograd.dot(w, x, Parameter(0.1, label="b"))
    order = topological_order(z)
    k = len(order) - 1
    text = viz.to_dot(z)
    want = {"w0": "4.0000", "w1": "1.5000", "x0": "0.5000", "x1": "-2.0000", "b": "1.0000"}
    for i, v in enumerate(z.parents):
        assert f'\td{k}_{i} [shape=none, label="{want[v.label]}"' in text
        assert f"\tv{order.index(v)} -> d{k}_{i} [arrowhead=none]" in text


# ---------------------------------------------------------------- constants, names, legend


def test_constants_are_drawn_apart_from_inputs(lecture_svg: bytes) -> None:
    g = lecture_graph()
    order = topological_order(g["J"])
    const = order.index(g["J"].parents[0])
    node = next(
        gr
        for gr in ET.fromstring(lecture_svg).iter(f"{SVG}g")
        if gr.get("class") == "node" and gr.find(f"{SVG}title").text == f"v{const}"
    )
    assert node.find(f"{SVG}polygon").get("fill") == viz._COLOURS["constant"]
    assert any(p.get("stroke-dasharray") for p in node.iter(f"{SVG}polygon"))  # dashed cells
    assert [t.text for t in node.iter(f"{SVG}text")] == ["data 3.0000"]  # a constant: no grad
    assert isinstance(g["J"].parents[0], autograd.core.value.Constant)
    assert not isinstance(g["a"], autograd.core.value.Constant)


def test_the_legend_names_the_roles_present(lecture_svg: bytes, tmp_path: Path) -> None:
    texts = graph_texts(lecture_svg)
    for role in ("input", "constant", "intermediate", "output"):
        assert role in texts
    assert "parameter" not in texts  # the lecture graph has none
    assert any("local derivative" in t for t in texts)
    w = Parameter(0.5, label="w")
    bare = viz.render(w * Value(2.0, label="x"), tmp_path / "w.svg", legend=False)
    assert graph_texts(bare.read_bytes()) == []
    with_key = viz.render(w * Value(2.0, label="x"), tmp_path / "k.svg")
    assert "parameter" in graph_texts(with_key.read_bytes())


def test_unlabelled_values_show_the_names_explain_uses(tmp_path: Path) -> None:
    x = Value(0.5)
    h = (x * 2.0).tanh()
    svg = viz.render(h, tmp_path / "h.svg").read_bytes()
    order = topological_order(h)
    names = node_names(order)
    nodes = groups(svg, "node")
    for k, v in enumerate(order):
        if not isinstance(v, autograd.core.value.Constant):
            assert nodes[f"v{k}"][0] == names[v] == {x: "x0", h: "out"}.get(v, "t1")
            assert f"{names[v]} = " in explain(h) or not v.parents


def test_nn_parameters_carry_unique_labels_that_say_where_they_live() -> None:
    model = nn.MLP(2, [3, 1], rng=0)
    named = list(model.named_parameters())
    labels = [p.label for _, p in named]
    assert len(set(labels)) == len(labels)
    assert named[0] == ("layers.0.neurons.0.w.0", named[0][1])  # dotted names unchanged
    assert labels[:3] == ["L0.N0.w0", "L0.N0.w1", "L0.N0.b"]
    assert labels[-1] == "L1.N0.b"
    for name, p in named:  # the label is a short form of the dotted name
        parts = name.split(".")
        short = f"L{parts[1]}.N{parts[3]}.{parts[4]}{parts[5] if len(parts) > 5 else ''}"
        assert p.label == short
    layer = nn.Layer(2, 2, rng=0)
    assert [p.label for p in layer.parameters()][:3] == ["N0.w0", "N0.w1", "N0.b"]
    assert [p.label for p in nn.Neuron(2, rng=0).parameters()] == ["w0", "w1", "b"]
    out = model([1.0, -1.0])[0]
    dot = viz.to_dot(out)
    for label in labels:
        assert dot.count(f">{label}</TD>") == 1  # each drawn once, by its own label


# ---------------------------------------------------------------- palette

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
PROTANOPIA = (
    (0.152286, 1.052583, -0.204868),
    (0.114503, 0.786281, 0.099216),
    (-0.003882, -0.048116, 1.051998),
)
DEUTERANOPIA = (
    (0.367322, 0.860646, -0.227968),
    (0.280085, 0.672501, 0.047413),
    (-0.011820, 0.042940, 0.968881),
)


def _linear(hex_colour: str) -> list[float]:
    out = []
    for i in (1, 3, 5):
        c = int(hex_colour[i : i + 2], 16) / 255
        out.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return out


def _simulate(matrix, rgb: list[float]) -> list[float]:
    return [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb)))) for row in matrix]


def _lab(rgb: list[float]) -> tuple[float, float, float]:
    r, g, b = rgb
    xyz = (
        (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047,
        0.2126729 * r + 0.7151522 * g + 0.0721750 * b,
        (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883,
    )
    fx, fy, fz = (t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _ciede2000(lab1, lab2) -> float:
    """The CIEDE2000 colour difference (Sharma, Wu & Dalal 2005)."""
    (L1, a1, b1), (L2, a2, b2) = lab1, lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    G = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + G) * a1, (1 + G) * a2
    C1, C2 = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1 = math.degrees(math.atan2(b1, a1p)) % 360 if C1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2p)) % 360 if C2 else 0.0
    dh = 0.0
    if C1 * C2:
        dh = h2 - h1
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    dH = 2 * math.sqrt(C1 * C2) * math.sin(math.radians(dh / 2))
    L_bar, C_bar = (L1 + L2) / 2, (C1 + C2) / 2
    if not C1 * C2:
        h_bar = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_bar = (h1 + h2) / 2
    else:
        h_bar = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    T = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    d_theta = 30 * math.exp(-(((h_bar - 275) / 25) ** 2))
    R_C = 2 * math.sqrt(C_bar**7 / (C_bar**7 + 25**7))
    S_L = 1 + 0.015 * (L_bar - 50) ** 2 / math.sqrt(20 + (L_bar - 50) ** 2)
    S_C, S_H = 1 + 0.045 * C_bar, 1 + 0.015 * C_bar * T
    R_T = -math.sin(math.radians(2 * d_theta)) * R_C
    dL, dC = (L2 - L1) / S_L, (C2 - C1) / S_C
    return math.sqrt(dL**2 + dC**2 + (dH / S_H) ** 2 + R_T * dC * (dH / S_H))


def test_ciede2000_against_published_pairs() -> None:
    # test data of Sharma, Wu & Dalal (2005), pairs 1, 7 and 17
    assert _ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert _ciede2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert _ciede2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)


def test_role_colours_stay_apart_for_colour_blind_readers() -> None:
    # the four roles, the constant's box and the flip book's highlight, pairwise
    colours = dict(viz._COLOURS, highlight=viz._HIGHLIGHT_FILL)
    assert set(colours) == {"input", "parameter", "constant", "intermediate", "output", "highlight"}
    for vision, matrix in (
        ("normal", None),
        ("protanopia", PROTANOPIA),
        ("deuteranopia", DEUTERANOPIA),
    ):
        lab = {
            role: _lab(_linear(c) if matrix is None else _simulate(matrix, _linear(c)))
            for role, c in colours.items()
        }
        for r1, r2 in itertools.combinations(colours, 2):
            # 10 is a clear difference at a glance (1 is just noticeable)
            assert _ciede2000(lab[r1], lab[r2]) >= 10, (vision, r1, r2)
    # and the old palette failed: parameter orange and output green merged under protanopia
    old = [_lab(_simulate(PROTANOPIA, _linear(c))) for c in ("#ffd8a8", "#b2f2bb")]
    assert _ciede2000(*old) < 5


def test_black_text_reads_on_every_role_colour() -> None:
    for colour in (*viz._COLOURS.values(), viz._HIGHLIGHT_FILL):
        r, g, b = _linear(colour)
        luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
        assert (luminance + 0.05) / 0.05 >= 4.5, colour  # WCAG AA for normal text


# ---------------------------------------------------------------- flip book captions


def test_each_flip_book_page_states_its_step(tmp_path: Path) -> None:
    g = lecture_graph()
    paths = viz.render_steps(g["J"], tmp_path)
    steps = [(s, lines) for (s, _), lines in zip(GraphView(g["J"]).walked, GraphView(g["J"]).lines)]
    assert len(paths) == len(steps) == 3
    full = explain(g["J"]).splitlines()
    for path, (_, lines) in zip(paths, steps):
        texts = graph_texts(path.read_bytes())
        shown = [t for t in texts if t.strip().startswith(("step", "dJ/"))]
        assert [t.strip() for t in shown] == [ln.strip() for ln in lines]
        for ln in lines:
            assert ln in full  # the same lines explain() prints
        assert "being processed" in texts
    last = graph_texts(paths[2].read_bytes())
    assert "  dJ/db = dJ/du · ∂u/∂b = 3.0000 · c = 3.0000 · 2.0000 = 6.0000" in last


def test_flip_book_captions_keep_hostile_labels_literal(tmp_path: Path) -> None:
    evil = "</script><img src=x onerror=alert(1)> & {x}"
    a = Value(2.0, label=evil)
    y = a * a
    y.label = "y"
    (path,) = viz.render_steps(y, tmp_path)
    svg = path.read_text(encoding="utf-8")
    texts = graph_texts(svg)
    assert any(f"dy/d{evil} += dy/dy · ∂y/∂{evil}" in t for t in texts)
    assert groups(svg, "node")["v0"][0] == evil
    dot = viz.to_dot(y)
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; {x}" in dot
    assert "<img" not in dot


# ---------------------------------------------------------------- tree


def test_tree_with_local_derivatives() -> None:
    g = lecture_graph()
    g["J"].backward()
    assert autograd.tree(g["J"], local_grads=True).splitlines() == [
        "* J  data 33.0000  grad 1.0000  ∂J/∂3 = 11.0000  ∂J/∂v = 3.0000",
        "├── 3  data 3.0000  grad 11.0000",
        "└── + v  data 11.0000  grad 3.0000  ∂v/∂a = 1.0000  ∂v/∂u = 1.0000",
        "    ├── a  data 5.0000  grad 3.0000",
        "    └── * u  data 6.0000  grad 3.0000  ∂u/∂b = 2.0000  ∂u/∂c = 3.0000",
        "        ├── b  data 3.0000  grad 6.0000",
        "        └── c  data 2.0000  grad 9.0000",
    ]
    assert autograd.tree(g["J"]).splitlines()[1] == "├── ·  data 3.0000  grad 11.0000"  # as before
    x = Value(3.0, label="x")
    lines = autograd.tree(x * x + x, local_grads=True).splitlines()
    assert lines[1] == "├── * t1  data 9.0000  grad 0.0000  ∂t1/∂x = 3.0000  ∂t1/∂x = 3.0000"
    assert lines[3:] == ["│   └── x (see above)", "└── x (see above)"]
    with pytest.raises(TypeError, match="local_grads must be a bool"):
        autograd.tree(x, local_grads="yes")  # type: ignore[arg-type]
