"""autograd.display.drawing: DOT source, real renders read back as SVG, the flip book, tree().

Renders go through whatever renderer the machine has; in CI that is graphviz-pure (there is no
system Graphviz), which is the point: drawings must work after a plain pip install. The SVG is
parsed with xml.etree and its text compared with what the engine computed.
"""

from __future__ import annotations

import json
import math
import shutil
import sysconfig
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Parameter, Value
from autograd.display import drawing as viz
from autograd.display import renderer
from autograd.display import view as view_module

DATA = Path(__file__).parents[1] / "data"  # tests/data

SVG = "{http://www.w3.org/2000/svg}"
LECTURE = next(
    case
    for case in json.loads((DATA / "seed_cases.json").read_text())["cases"]
    if case["id"] == "graph_hand_derivatives"
)


def lecture_graph() -> dict[str, Value]:
    """u = b*c, v = a + u, J = 3v at the lecture's a, b, c, every node labelled."""
    inputs = LECTURE["inputs"]
    g = {name: Value(inputs[name], label=name) for name in "abc"}
    g["u"] = g["b"] * g["c"]
    g["v"] = g["a"] + g["u"]
    g["J"] = 3 * g["v"]
    for name in "uvJ":
        g[name].label = name
    return g


def svg_nodes(svg: bytes | str) -> dict[str, list[str]]:
    """Each drawn node's id (its <title>) -> its text lines, runs of spaces as spaces."""
    root = ET.fromstring(svg)
    nodes = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "node":
            texts = [(t.text or "").replace("\xa0", " ") for t in g.iter(f"{SVG}text")]
            nodes[g.find(f"{SVG}title").text] = texts
    return nodes


def values_by_label(svg: bytes | str) -> dict[str, tuple[str, str | None]]:
    """label -> (data text, grad text) for the labelled value nodes of a drawing."""
    out = {}
    for texts in svg_nodes(svg).values():
        data = [t for t in texts if t.startswith("data ")]
        if not data:
            continue  # an op node
        grad = [t for t in texts if t.startswith("grad")]
        label = "\n".join(t for t in texts if not t.startswith(("data ", "grad")))
        out[label] = (data[0], grad[0] if grad else None)
    return out


def fill_of(svg: bytes | str, node_id: str) -> str:
    """The fill of a node's first polygon (the table background of a value node)."""
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") == "node" and g.find(f"{SVG}title").text == node_id:
            return g.find(f"{SVG}polygon").get("fill")
    raise KeyError(node_id)


def geometry(svg: bytes | str) -> dict[str, list[tuple[str, ...]]]:
    """Each node id -> the positions and sizes of its shapes (not its text)."""
    keys = ("points", "cx", "cy", "rx", "ry")
    return {
        g.find(f"{SVG}title").text: [
            tuple(el.get(k, "") for k in keys)
            for el in g
            if el.tag in (f"{SVG}polygon", f"{SVG}ellipse", f"{SVG}polyline")
        ]
        for g in ET.fromstring(svg).iter(f"{SVG}g")
        if g.get("class") == "node"
    }


@pytest.fixture(scope="module")
def lecture_svgs(tmp_path_factory) -> tuple[bytes, bytes]:
    """The lecture graph drawn before and after backward() (two real renders)."""
    out = tmp_path_factory.mktemp("lecture")
    g = lecture_graph()
    before = viz.render(g["J"], out / "before.svg").read_bytes()
    g["J"].backward()
    after = viz.render(g["J"], out / "after.svg").read_bytes()
    return before, after


# ---------------------------------------------------------------- real renders


def test_lecture_graph_before_backward(lecture_svgs) -> None:
    values = values_by_label(lecture_svgs[0])
    want = LECTURE["expected"]
    assert set(values) >= set("abcuvJ")
    # before backward() the gradients are not computed yet: drawn blank
    for name in "abc":
        assert values[name] == (f"data {LECTURE['inputs'][name]:.4f}", "grad")
    for name in "uvJ":
        assert values[name] == (f"data {want[name]:.4f}", "grad")


def test_lecture_graph_after_backward(lecture_svgs) -> None:
    values = values_by_label(lecture_svgs[1])
    want = LECTURE["expected"]
    assert values["J"] == (f"data {want['J']:.4f}", "grad 1.0000")
    for name in "abcuv":
        assert values[name][1] == f"grad {want['dJ_d' + name]:.4f}"
    assert values["a"][1] == "grad 3.0000"  # dJ/da = dJ/dv * dv/da = 3 * 1
    assert values["b"][1] == "grad 6.0000"  # dJ/db = 3 * 1 * c
    assert values["c"][1] == "grad 9.0000"  # dJ/dc = 3 * 1 * b
    nodes = svg_nodes(lecture_svgs[1])
    ops = sorted(t[0] for name, t in nodes.items() if name.startswith("o"))
    assert ops == ["*", "*", "+"]


def test_lecture_graph_colours_roles(lecture_svgs) -> None:
    svg = lecture_svgs[1]
    order = autograd.topological_order(lecture_graph()["J"])
    ids = {v.label or "const": f"v{k}" for k, v in enumerate(order)}
    inputs = {fill_of(svg, ids[n]) for n in "abc"}
    constant = {fill_of(svg, ids["const"])}  # the 3 of 3 * v
    inner = {fill_of(svg, ids[n]) for n in "uv"}
    output = {fill_of(svg, ids["J"])}
    assert len(inputs) == len(constant) == len(inner) == len(output) == 1
    assert len(inputs | constant | inner | output) == 4
    assert constant == {viz._COLOURS["constant"]}


def test_same_graph_renders_byte_identical(lecture_svgs, tmp_path: Path) -> None:
    g = lecture_graph()
    junk = [Value(float(i)) for i in range(100)]  # other objects: different id()s
    g["J"].backward()
    again = viz.render(g["J"], tmp_path / "again.svg").read_bytes()
    assert again == lecture_svgs[1]
    del junk  # kept alive until the drawing is done


def test_png_and_dot_outputs(tmp_path: Path) -> None:
    g = lecture_graph()
    png = viz.render(g["J"], tmp_path / "J.png")
    assert png == tmp_path / "J.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dot = viz.render(g["J"], tmp_path / "J.dot")
    assert dot.read_text(encoding="utf-8") == viz.to_dot(g["J"])
    # format= wins over the suffix
    other = viz.render(g["J"], tmp_path / "J.graph", format="dot")
    assert other.read_bytes() == dot.read_bytes()


NASTY = [
    'say "hi"',
    "{braces}",
    "a|b|c",
    "<lt> & >gt<",
    "back\\slash",
    "\\N \\G \\L \\n",
    "end\\",
    "&amp; &#65; &lt;",
    "<b>not bold</b>",
    "it's",
    "two\nlines",
    "ünïcödé Σ λ 😀",
    "  double  spaces",
    "-> [x] ; =",
]


def test_labels_render_literally(tmp_path: Path) -> None:
    leaves = [Value(float(i), label=label) for i, label in enumerate(NASTY)]
    out = autograd.sum([*leaves, Value(0.5, label="tab\there ctl\x01\x7f")])
    out.label = "out"
    svg = viz.render(out, tmp_path / "nasty.svg").read_text(encoding="utf-8")
    values = values_by_label(svg)
    for i, label in enumerate(NASTY):
        assert values[label] == (f"data {i:.4f}", "grad"), label
    # tabs become spaces and control characters their visible "control pictures"
    assert "tab here ctl\u2401\u2421" in values


def test_notebook_display_renders_svg() -> None:
    g = lecture_graph()
    g["J"].backward()
    drawing = autograd.draw_dot(g["J"])
    bundle = drawing._repr_mimebundle_()  # what Jupyter calls to show the cell's result
    values = values_by_label(bundle["image/svg+xml"])
    assert values["b"] == ("data 3.0000", "grad 6.0000")


def test_renderer_found_in_the_interpreters_scripts_folder(tmp_path, monkeypatch) -> None:
    scripts = sysconfig.get_path("scripts")
    if not shutil.which("graphviz-pure", path=scripts):
        pytest.skip("graphviz-pure is not installed next to this interpreter")
    real_which = shutil.which

    def which(name, mode=None, path=None):  # PATH has neither renderer; scripts folder does
        return None if path is None else real_which(name, path=path)

    monkeypatch.setattr(shutil, "which", which)
    path = viz.render(lecture_graph()["J"], tmp_path / "J.svg")
    assert "data 33.0000" in path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the flip book


def test_render_steps_follows_the_engine_and_leaves_grad_alone(tmp_path: Path) -> None:
    g = lecture_graph()
    paths = viz.render_steps(g["J"], tmp_path / "steps")
    assert [p.name for p in paths] == ["step_001.svg", "step_002.svg", "step_003.svg"]
    assert all(v.grad == 0.0 for v in g.values())  # nothing written into .grad
    svgs = [p.read_text(encoding="utf-8") for p in paths]
    frames = [values_by_label(s) for s in svgs]
    order = autograd.topological_order(g["J"])
    node_id = {v.label: f"v{k}" for k, v in enumerate(order) if v.label}
    # step 1: J hands dJ/dv = 3 to v; step 2: v hands 3 to a and u; step 3: u to b and c
    known = [{"J": 1, "v": 3}, {"J": 1, "v": 3, "a": 3, "u": 3}, {"J": 1, "v": 3, "a": 3, "u": 3}]
    known[2] |= {"b": 6, "c": 9}
    for frame, svg, grads, processed in zip(frames, svgs, known, "Jvu"):
        for name in "abcuvJ":
            want = f"grad {grads[name]:.4f}" if name in grads else "grad"
            assert frame[name][1] == want, (processed, name)
        fills = {name: fill_of(svg, node_id[name]) for name in "abcuvJ"}
        assert fills[processed] == viz._HIGHLIGHT_FILL
        assert sum(f == viz._HIGHLIGHT_FILL for f in fills.values()) == 1
    # the picture does not move between pages: every node keeps its place and size
    shapes = [geometry(s) for s in svgs]
    assert shapes[0] == shapes[1] == shapes[2]
    assert len(shapes[0]) == 16  # 6 values, 3 ops and the 6 numbers on the arrows into them


def test_render_steps_shows_running_totals_of_a_reused_node(tmp_path: Path) -> None:
    x = Value(3.0, label="x")
    y = x * x + x  # dy/dx = 2x + 1 = 7, arriving as 1 (from +) then 1 + 3 + 3 (from *)
    y.label = "y"
    paths = viz.render_steps(y, tmp_path, format="dot")
    assert len(paths) == 2  # the engine processes + then *
    assert "grad 1.0000" in _cell_of(paths[0].read_text(), "x")
    assert "grad 7.0000" in _cell_of(paths[1].read_text(), "x")
    y.backward()
    assert x.grad == 7.0


def _cell_of(dot: str, label: str) -> str:
    line = next(ln for ln in dot.splitlines() if f">{label}</TD>" in ln)
    return line


def test_render_steps_of_a_leaf_is_one_picture(tmp_path: Path) -> None:
    paths = viz.render_steps(Value(2.0, label="x"), tmp_path, format="dot")
    assert len(paths) == 1
    assert "grad 1.0000" in paths[0].read_text()


def test_render_steps_replaces_the_frames_of_an_earlier_run(tmp_path: Path) -> None:
    x = Value(0.5, label="x")
    y = x
    for _ in range(5):
        y = y.tanh()
    assert len(viz.render_steps(y, tmp_path, format="dot")) == 5
    # frames another run may have left: 4-digit numbering, another format
    (tmp_path / "step_0001.svg").write_text("stale")
    (tmp_path / "step_1000.png").write_text("stale")
    others = ["notes.txt", "step_001.txt", "step_1.svg", "my_step_001.svg", "step_001.svg.bak"]
    for name in others:
        (tmp_path / name).write_text("keep")
    (tmp_path / "step_009.svg").mkdir()  # a folder is never a frame
    g = lecture_graph()
    paths = viz.render_steps(g["J"], tmp_path, format="dot")
    assert [p.name for p in paths] == ["step_001.dot", "step_002.dot", "step_003.dot"]
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([p.name for p in paths] + others + ["step_009.svg"])
    for name in others:
        assert (tmp_path / name).read_text() == "keep"


def test_render_steps_that_fails_keeps_the_earlier_frames(tmp_path: Path, monkeypatch) -> None:
    g = lecture_graph()
    viz.render_steps(g["J"], tmp_path, format="dot")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    calls = []

    def flaky(source: str, fmt: str, exe: str | None = None) -> bytes:
        calls.append(fmt)
        if len(calls) == 2:
            raise RuntimeError("the renderer crashed")
        return b"<svg/>"

    monkeypatch.setattr(renderer, "pipe", flaky)
    monkeypatch.setattr(renderer, "renderer_for", lambda fmt: "renderer")
    with pytest.raises(RuntimeError, match="crashed"):
        viz.render_steps(g["J"], tmp_path, format="svg")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_render_steps_total_work_is_bounded(tmp_path: Path) -> None:
    # one page per step, each a full drawing: 1,000 pages of a 1,000-value graph took hours
    x = Value(0.5, label="x")
    y = x
    for _ in range(300):
        y = y.tanh()  # 300 steps, 300 edges: 90,000 edges to lay out over all pages
    with pytest.raises(
        viz.GraphTooLargeError,
        match=r"300 steps, more than the default limit \(40 for this graph\)",
    ) as e:
        viz.render_steps(y, tmp_path / "steps", format="dot")
    assert "pages" in str(e.value) and "max_steps=300 (or more)" in str(e.value)
    assert list(tmp_path.iterdir()) == []
    assert len(viz.render_steps(y, tmp_path / "steps", format="dot", max_steps=300)) == 300
    g = lecture_graph()  # 3 steps
    with pytest.raises(viz.GraphTooLargeError, match="3 steps, more than max_steps=2"):
        viz.render_steps(g["J"], tmp_path / "lecture", format="dot", max_steps=2)
    assert len(viz.render_steps(g["J"], tmp_path / "lecture", format="dot", max_steps=3)) == 3
    with pytest.raises(ValueError, match="max_steps must be at least 1"):
        viz.render_steps(g["J"], tmp_path / "lecture", max_steps=0)


# ---------------------------------------------------------------- DOT source


def test_dot_ids_come_from_topological_order_not_id() -> None:
    a, b = lecture_graph(), lecture_graph()
    assert viz.to_dot(a["J"]) == viz.to_dot(b["J"])
    text = viz.to_dot(a["J"])
    for v in autograd.topological_order(a["J"]):
        assert str(id(v)) not in text
    assert text.startswith("digraph chaingrad {\n") and text.endswith("}\n")


def test_dot_value_cells_and_op_names() -> None:
    w, x = Parameter(0.5, label="w"), Value(2.0)
    z = autograd.dot([w], [x], 1.0)
    s = autograd.sum([z, z.tanh(), z**2, 2**z, -z, z**0.5])
    text = viz.to_dot(s)
    assert ">w</TD>" in text and "data 0.5000" in text
    # the unlabelled x is called by the name explain() gives it
    x_line = next(ln for ln in text.splitlines() if "data 2.0000" in ln)
    assert x_line.count("<TD") == 3 and ">x0</TD>" in x_line
    # the constant bias 1.0 is a dashed box with its number only
    one = next(ln for ln in text.splitlines() if "data 1.0000" in ln and "shape=plain" in ln)
    assert one.count("<TD") == 1 and 'STYLE="dashed"' in one  # and no gradient
    ops = {ln.split("label=<")[1][:-2] for ln in text.splitlines() if "shape=ellipse" in ln}
    assert ops == {"Σ", "tanh", "**2", "2**", "neg", "**0.5"}


def test_dot_colours_parameters_apart_from_inputs() -> None:
    w, x = Parameter(0.5, label="w"), Value(2.0, label="x")
    text = viz.to_dot(w * x)
    colour = {
        label: ln.split('BGCOLOR="')[1][:7]
        for ln in text.splitlines()
        for label in ("w", "x")
        if f">{label}</TD>" in ln
    }
    assert colour["w"] != colour["x"]


def test_dot_options() -> None:
    g = lecture_graph()
    g["J"].backward()
    assert ">grad" not in viz.to_dot(g["J"], show_grad=False)
    assert ">grad 3.0000<" in viz.to_dot(g["J"])
    assert "rankdir=TB" in viz.to_dot(g["J"], rankdir="TB")
    with pytest.raises(ValueError, match="rankdir"):
        viz.to_dot(g["J"], rankdir="sideways")
    with pytest.raises(ValueError, match="max_nodes"):
        viz.to_dot(g["J"], max_nodes=0)
    with pytest.raises(TypeError, match="Value"):
        viz.to_dot(3.0)


def test_numbers_show_four_decimals_and_non_finite_values() -> None:
    x = Value(float("nan"), label="x")
    y = (x + float("inf")) * 1e13
    text = viz.to_dot(y)
    assert "data nan" in text and "data 1.0000e+13" in text and "data 2.0000" not in text
    assert "data -0.0000" not in viz.to_dot(Value(-0.0))


@pytest.mark.parametrize(
    ("x", "shown"),
    [
        (1e-5, "1.0000e-05"),  # was 0.0000: a gradient that is not zero must not look zero
        (-1e-5, "-1.0000e-05"),  # was -0.0000
        (-4e-5, "-4.0000e-05"),  # rounds to -0.0000 at 4 decimals
        (5e-324, "4.9407e-324"),  # the smallest subnormal
        (-0.0, "0.0000"),
        (0.0, "0.0000"),
        (1e-4, "0.0001"),  # from 1e-4 up: 4 decimals, as before
        (-0.00012, "-0.0001"),
        (3.14159, "3.1416"),
        (-2.5, "-2.5000"),
        (999999999999.0, "999999999999.0000"),
        (1e12, "1.0000e+12"),
        (-3e15, "-3.0000e+15"),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
        (float("nan"), "nan"),
    ],
)
def test_number_format(x: float, shown: str) -> None:
    assert autograd.display.formatting.number(x) == shown
    assert (
        autograd.display.formatting.number(Value(x)) == shown
    )  # a gradient that is a Value (create_graph=True)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_shows_zero_only_when_it_is_zero(x: float) -> None:
    shown = autograd.display.formatting.number(x)
    assert "-0.0000" not in shown
    assert (shown == "0.0000") == (x == 0.0)
    assert math.copysign(1.0, float(shown)) == math.copysign(1.0, x) or x == 0.0
    if abs(x) < 1.797e308:  # 1.7977e+308, the largest float rounded, reads back as inf
        assert float(shown) == pytest.approx(x, rel=1e-4, abs=5e-5)


def test_small_gradients_are_drawn_and_listed_non_zero() -> None:
    x = Value(2.0, label="x")
    y = x * 1e-5  # dy/dx = 1e-5
    y.backward()
    assert "grad 1.0000e-05" in _cell_of(viz.to_dot(y), "x")
    assert "x  data 2.0000  grad 1.0000e-05" in autograd.tree(y)


def test_gradient_values_from_create_graph_are_drawn() -> None:
    x = Value(3.0, label="x")
    y = x * x
    y.backward(create_graph=True)  # x.grad is a Value now
    assert "grad 6.0000" in _cell_of(viz.to_dot(y), "x")


def test_draw_dot_is_a_digraph_with_the_same_source() -> None:
    graphviz = pytest.importorskip("graphviz", reason="the graphviz package is not installed")
    g = lecture_graph()
    drawing = autograd.draw_dot(g["J"], rankdir="TB")
    assert isinstance(drawing, graphviz.Digraph)
    assert drawing.source == viz.to_dot(g["J"], rankdir="TB")


def _no_system_dot(monkeypatch) -> None:
    """Hide a system Graphviz, if there is one, so that graphviz-pure has to do the work."""
    real_which = shutil.which
    monkeypatch.setattr(
        shutil,
        "which",
        lambda name, mode=None, path=None: None if name == "dot" else real_which(name, path=path),
    )


def test_draw_dot_pipes_through_graphviz_pure(monkeypatch) -> None:
    # micrograd's notebook: dot = draw_dot(y); dot.render(...). Without a system Graphviz the
    # graphviz package looks for `dot` and raises ExecutableNotFound; chaingrad's Digraph
    # runs graphviz-pure instead.
    _no_system_dot(monkeypatch)
    g = lecture_graph()
    g["J"].backward()
    drawing = autograd.draw_dot(g["J"])
    assert drawing.format == "svg"  # micrograd's choice, and what graphviz-pure writes
    assert values_by_label(drawing.pipe())["b"] == ("data 3.0000", "grad 6.0000")
    assert values_by_label(drawing.pipe(encoding="utf-8"))["c"] == ("data 2.0000", "grad 9.0000")
    assert drawing.pipe(format="png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert autograd.draw_dot(g["J"], format="png").pipe()[:8] == b"\x89PNG\r\n\x1a\n"


def test_draw_dot_renders_files_through_graphviz_pure(tmp_path: Path, monkeypatch) -> None:
    _no_system_dot(monkeypatch)
    g = lecture_graph()
    g["J"].backward()
    drawing = autograd.draw_dot(g["J"])
    written = drawing.render("gout", directory=tmp_path)  # the source, then gout.svg beside it
    assert Path(written) == tmp_path / "gout.svg"
    assert values_by_label(Path(written).read_bytes())["a"] == ("data 5.0000", "grad 3.0000")
    assert (tmp_path / "gout").read_text(encoding="utf-8") == drawing.source
    png = drawing.render(outfile=tmp_path / "J.png", cleanup=True)  # format from the suffix
    assert Path(png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["J.png", "gout", "gout.svg"]
    monkeypatch.chdir(tmp_path)
    fresh = autograd.draw_dot(g["J"])
    assert fresh.render() == "chaingrad.gv.svg"  # graphviz's default name, relative
    assert values_by_label(Path("chaingrad.gv.svg").read_bytes())["J"][1] == "grad 1.0000"


def test_draw_dot_view_renders_then_opens(tmp_path: Path, monkeypatch) -> None:
    _no_system_dot(monkeypatch)
    drawing = autograd.draw_dot(lecture_graph()["J"], format="png")
    opened = []
    # the viewer itself (xdg-open, open, start) is the platform's: record what it is given
    monkeypatch.setattr(drawing, "_view", lambda path, **kw: opened.append((path, kw["format"])))
    path = drawing.view("J", directory=tmp_path)
    assert opened == [(path, "png")]
    assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_draw_dot_pdf_without_system_graphviz_says_what_to_do(tmp_path, monkeypatch) -> None:
    _no_system_dot(monkeypatch)
    drawing = autograd.draw_dot(lecture_graph()["J"], format="pdf")
    with pytest.raises(RuntimeError, match="PDF output needs Graphviz"):
        drawing.render("J", directory=tmp_path)
    with pytest.raises(RuntimeError, match="PDF output needs Graphviz"):
        drawing.pipe()
    assert not (tmp_path / "J.pdf").exists()
    assert drawing.pipe(format="svg").startswith(b"<?xml")  # other formats still work
    graphviz = pytest.importorskip("graphviz")
    with pytest.raises(graphviz.CalledProcessError, match='"gif" not recognized'):
        drawing.pipe(format="gif")  # graphviz-pure's own one-line message, as graphviz reports it


def test_draw_dot_format_is_checked() -> None:
    x = Value(1.0)
    with pytest.raises(ValueError, match="unknown format 'bmpx'"):
        autograd.draw_dot(x, format="bmpx")
    with pytest.raises(TypeError, match="format must be a str, not int"):
        autograd.draw_dot(x, format=3)
    assert autograd.draw_dot(x, format="PNG").format == "png"


# ---------------------------------------------------------------- bad input and size


def wide_graph(n: int) -> Value:
    """n leaves summed by one node: n + 1 values."""
    return autograd.sum([Value(float(i)) for i in range(n)])


def test_size_guard_says_how_many_and_how_to_raise_it(tmp_path: Path) -> None:
    big = wide_graph(1000)
    with pytest.raises(ValueError, match=r"1001 values.*max_nodes=1000.*max_nodes=1001"):
        viz.to_dot(big)
    with pytest.raises(ValueError, match="1001 values"):
        viz.render(big, tmp_path / "big.svg")
    with pytest.raises(ValueError, match="1001 values"):
        viz.render_steps(big, tmp_path / "steps")
    assert list(tmp_path.iterdir()) == []
    assert viz.to_dot(big, max_nodes=1001).count("[shape=plain") == 1001


def sum_of_repeats(n: int) -> Value:
    """a + a + ... + a with n terms: one leaf used by every op of a chain (n values)."""
    a = Value(1.0, label="a")
    y = a
    for _ in range(n - 1):
        y = y + a
    return y


def drawn_edges(dot: str) -> list[tuple[str, str]]:
    return [
        (ln.split(" -> ")[0].strip(), ln.split(" -> ")[1].split()[0])
        for ln in dot.splitlines()
        if " -> " in ln
    ]


def longest_edge(dot: str) -> int:
    """The most ranks an edge of the drawing crosses, ranking left to right as Graphviz does:
    a node one rank after its latest input, a source just before its first use."""
    edges = drawn_edges(dot)
    inputs: dict[str, list[str]] = {}
    uses: dict[str, list[str]] = {}
    for tail, head in edges:
        inputs.setdefault(head, []).append(tail)
        uses.setdefault(tail, []).append(head)
    nodes = set(inputs) | set(uses)
    waiting = {name: len(inputs.get(name, [])) for name in nodes}
    ready = [name for name in nodes if not waiting[name]]
    rank = dict.fromkeys(ready, 0)
    while ready:  # Kahn's order: a node is ranked once all its inputs are
        tail = ready.pop()
        for head in uses.get(tail, []):
            rank[head] = max(rank.get(head, 0), rank[tail] + 1)
            waiting[head] -= 1
            if not waiting[head]:
                ready.append(head)
    for name in nodes:
        if name not in inputs:  # a source sits just before its first use
            rank[name] = min(rank[head] for head in uses[name]) - 1
    return max(rank[head] - rank[tail] for tail, head in edges)


def test_a_value_used_far_away_is_drawn_again_beside_the_use() -> None:
    # chaingrad draw "a+a+...+a": 600 terms took 35 s and 999 hit the 300 s timeout, because
    # the edges from a to every op run the length of the picture
    y = sum_of_repeats(600)
    dot = viz.to_dot(y, local_grads=False)  # the edges alone (no numbers on the arrows)
    assert longest_edge(dot) <= view_module._FAR
    # the graph drawn is the same: each op has one edge per input, from a or from a copy of a
    edges = drawn_edges(dot)
    assert len(edges) == 599 * 3  # two inputs and the result of each +
    copies = [ln for ln in dot.splitlines() if ln.startswith("\tc") and " -> " not in ln]
    assert len(copies) > 590 and all("label=<a>" in ln and "dashed" in ln for ln in copies)
    assert dot.count("data 1.0000") == 1  # a's numbers are drawn once, on a itself
    a_and_copies = {"v0"} | {ln.split()[0] for ln in copies}
    for k in range(1, 600):  # each + gets a once, from a or from its copy, and its left input
        into = sorted(tail for tail, head in edges if head == f"o{k}")
        assert len(into) == 2 and sum(t in a_and_copies for t in into) == (2 if k == 1 else 1)


def test_near_uses_keep_their_edges() -> None:
    x = Value(3.0, label="x")
    y = x * x + x  # x feeds * and, three ranks on, +
    assert "\tc" not in viz.to_dot(y)
    assert longest_edge(viz.to_dot(y, local_grads=False)) == 3


def test_the_legend_says_what_a_copy_is() -> None:
    x = Value(0.5, label="x")
    y = x
    for _ in range(4):
        y = y.tanh()
    assert "drawn again" not in viz.to_dot(y + 1.0)  # no copies, no entry
    dot = viz.to_dot(y + x)
    assert "drawn again beside a distant use" in dot
    assert "drawn again" not in viz.to_dot(y + x, legend=False)


def test_an_input_used_twice_by_a_far_op_has_one_copy() -> None:
    x = Value(0.5, label="x")
    y = x
    for _ in range(4):
        y = y.tanh()
    s = autograd.sum([y, x, x])  # x twice, nine ranks after x: one copy, two edges from it
    dot = viz.to_dot(s)
    copies = [ln.split()[0] for ln in dot.splitlines() if ln.startswith("\tc") and "->" not in ln]
    assert len(copies) == 1
    assert [tail for tail, head in drawn_edges(dot) if tail == copies[0]] == copies * 2


def test_copies_render_with_the_values_label(tmp_path: Path) -> None:
    x = Value(0.5, label="x")
    y = x
    for _ in range(4):
        y = y.tanh()
    y = y + x  # x: nine ranks back
    y.label = "y"
    y.backward()
    svg = viz.render(y, tmp_path / "far.svg").read_bytes()
    nodes = svg_nodes(svg)
    copies = [texts for name, texts in nodes.items() if name.startswith("c")]
    assert copies == [["x"]]
    assert values_by_label(svg)["x"] == (
        "data 0.5000",
        f"grad {autograd.display.formatting.number(x.grad)}",
    )
    # in the flip book the copy's edge is the one the gradient flows along
    page = viz.render_steps(y, tmp_path / "steps", format="dot", local_grads=False)[0].read_text()
    hot = [ln for ln in page.splitlines() if "penwidth=2" in ln]
    assert sorted(ln.split(" -> ")[0].strip()[0] for ln in hot) == ["c", "v"]


def dense_graph(n: int) -> Value:
    """Each new value sums every value before it: n values, about n * n / 2 edges."""
    values = [Value(0.5, label="x0"), Value(1.5, label="x1")]
    while len(values) < n:
        values.append(autograd.sum(values))
    return values[-1]


def test_edge_guard_refuses_dense_graphs_up_front(tmp_path: Path) -> None:
    # 300 values but 44,849 edges: Graphviz took longer than the 300 s timeout
    big = dense_graph(300)
    edges = sum(len(v.parents) for v in autograd.topological_order(big))
    assert edges == 44_849
    pattern = r"300 values and 44849 edges, more than max_edges=2000.*max_edges=44849"
    for draw in (
        lambda: viz.to_dot(big),
        lambda: viz.draw_dot(big),
        lambda: viz.render(big, tmp_path / "big.svg"),
        lambda: viz.render_steps(big, tmp_path / "steps"),
        lambda: viz.render(big, tmp_path / "big.html"),
        lambda: autograd.player(big),
    ):
        with pytest.raises(viz.GraphTooLargeError, match=pattern):
            draw()
    assert list(tmp_path.iterdir()) == []
    assert viz.to_dot(big, max_edges=44_849).count("[shape=plain") == 300
    # every graph of unary and binary ops under max_nodes passes: at most 2 inputs per op
    viz.to_dot(sum_of_repeats(1000))
    viz.to_dot(sum_of_repeats(3000), max_nodes=3000)  # max_edges follows: twice max_nodes
    with pytest.raises(viz.GraphTooLargeError, match="more than max_edges=1000"):
        viz.to_dot(sum_of_repeats(1000), max_edges=1000)
    with pytest.raises(TypeError, match="max_edges must be an int"):
        viz.to_dot(big, max_edges=2.5)


def test_big_drawings_cap_the_crossing_minimisation() -> None:
    assert "mclimit" not in viz.to_dot(lecture_graph()["J"])
    assert "mclimit=" in viz.to_dot(dense_graph(60))


def test_deep_graphs_need_no_recursion() -> None:
    x = Value(0.5, label="x")
    y = x
    for _ in range(3000):  # deeper than Python's recursion limit
        y = y.tanh()
    assert viz.to_dot(y, max_nodes=5000).count("tanh") == 3000
    assert autograd.tree(y, max_nodes=5000).count("  data ") == 3001


def test_unsupported_formats_are_value_errors(tmp_path: Path) -> None:
    x = Value(1.0)
    with pytest.raises(ValueError, match="unsupported format 'gif'"):
        viz.render(x, tmp_path / "x.gif")
    with pytest.raises(ValueError, match="suffix"):
        viz.render(x, tmp_path / "x")
    with pytest.raises(ValueError, match="unsupported format 'bmp'"):
        viz.render(x, tmp_path / "x.svg", format="bmp")
    with pytest.raises(ValueError, match="unsupported format"):
        viz.render_steps(x, tmp_path, format="gif")
    assert list(tmp_path.iterdir()) == []


def test_no_renderer_is_one_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, mode=None, path=None: None)
    # svg falls back to the pure-Python layout (tests/test_layout.py); other formats need one
    with pytest.raises(RuntimeError, match="pip install graphviz-pure"):
        viz.render(Value(1.0), tmp_path / "x.png")
    with pytest.raises(RuntimeError, match="pip install graphviz-pure"):
        viz.render_steps(Value(1.0) * 2, tmp_path / "steps", format="png")
    monkeypatch.setenv("CHAINGRAD_LAYOUT", "graphviz")  # no fallback when Graphviz is asked for
    with pytest.raises(RuntimeError, match="pip install graphviz-pure"):
        viz.render(Value(1.0), tmp_path / "x.svg")
    assert list(tmp_path.iterdir()) == []
    # DOT source needs no renderer
    assert viz.render(Value(1.0), tmp_path / "x.dot").exists()


def test_pdf_needs_system_graphviz(tmp_path: Path) -> None:
    if shutil.which("dot"):
        pytest.skip("system Graphviz is installed: pdf works here")
    with pytest.raises(RuntimeError, match="PDF output needs Graphviz"):
        viz.render(Value(1.0), tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


# ---------------------------------------------------------------- tree


def test_tree_of_the_lecture_graph() -> None:
    g = lecture_graph()
    g["J"].backward()
    assert autograd.tree(g["J"]).splitlines() == [
        "* J  data 33.0000  grad 1.0000",
        "├── ·  data 3.0000  grad 11.0000",
        "└── + v  data 11.0000  grad 3.0000",
        "    ├── a  data 5.0000  grad 3.0000",
        "    └── * u  data 6.0000  grad 3.0000",
        "        ├── b  data 3.0000  grad 6.0000",
        "        └── c  data 2.0000  grad 9.0000",
    ]


def test_tree_prints_a_shared_node_once() -> None:
    a = Value(2.0, label="a")
    h = a * a  # a reached twice here, and h twice below
    y = h + h.exp()
    lines = autograd.tree(y).splitlines()
    assert sum("data 2.0000" in ln for ln in lines) == 1
    assert sum("data 4.0000" in ln for ln in lines) == 1
    assert sum("(see #" in ln for ln in lines) == 2
    assert len(lines) == 6


def test_tree_keeps_one_node_per_line() -> None:
    text = autograd.tree(Value(1.0, label="two\nlines\ttab"))
    assert text == "two\\nlines\\ttab  data 1.0000  grad 0.0000"


def test_tree_continues_deep_nesting_in_a_block_below() -> None:
    x = Value(0.5, label="x")
    a = x.tanh()
    b = a.exp()
    c = b * x
    y = c + 1
    for v, name in ((a, "a"), (b, "b"), (c, "c"), (y, "y")):
        v.label = name
    y.backward()
    n = autograd.display.formatting.number

    def line(v: Value, name: str) -> str:
        return f"{name}  data {n(v.data)}  grad {n(v.grad)}"

    one = y.parents[1]
    assert autograd.tree(y, max_depth=2).splitlines() == [
        line(y, "+ y"),
        "├── " + line(c, "* c"),
        "│   ├── " + line(b, "exp b #1") + "  (inputs below, at #1)",  # depth 2: cut here
        "│   └── " + line(x, "x #2"),
        "└── " + line(one, "·"),
        "",
        "exp b #1 (continued)",
        "└── " + line(a, "tanh a"),
        "    └── x (see #2)",
    ]
    # deep enough: one tree, as before
    assert "continued" not in autograd.tree(y, max_depth=4)


def _tree_structure(text: str) -> dict[str, list[str]]:
    """Read tree()'s text back: node name -> the names of its inputs, in order."""
    inputs: dict[str, list[str]] = {}
    path: list[str] = []  # the names on the way down to the current line
    for ln in text.splitlines():
        if not ln:
            continue
        if ln.endswith(" (continued)"):  # a block: the node's inputs follow
            path = [ln.split(" #")[0].split()[-1]]
            continue
        depth = 0
        while ln[4 * depth : 4 * depth + 4] in ("├── ", "└── ", "│   ", "    "):
            depth += 1
        name = ln[4 * depth :].split("  ")[0].split(" #")[0].split(" (see")[0].split()[-1]
        del path[depth:]
        if path:
            inputs.setdefault(path[-1], []).append(name)
        path.append(name)
    return inputs


def test_tree_of_a_deep_graph_is_linear_in_its_size() -> None:
    # 4,000 levels: indented all the way, the text was 4000 * 4000 * 2 characters (32 MB)
    x = Value(0.5, label="n0")
    y = x
    for i in range(1, 4000):
        y = y.tanh()
        if i % 1000 == 0:  # x is shared: printed once, then referred to as (see #k)
            y.label = f"t{i}"
            y = y + x
        y.label = f"n{i}"
    order = autograd.topological_order(y)
    text = autograd.tree(y, max_nodes=10_000)
    assert len(text) < 120 * len(order)
    # at most max_depth=16 levels of indentation, then the node's line
    assert max(len(ln) for ln in text.splitlines()) <= 4 * 16 + 80
    # every node printed once with its numbers, and the structure reads back exactly
    assert text.count("  data ") == len(order)
    inputs = _tree_structure(text)
    for v in order:
        if v.parents and v.label:
            assert inputs[v.label] == [p.label for p in v.parents], v.label


def test_tree_size_error_does_not_suggest_tree() -> None:
    big = wide_graph(10_000)
    with pytest.raises(ValueError, match=r"10001 values.*max_nodes=10000.*max_nodes=10001") as e:
        autograd.tree(big)
    assert "tree()" not in str(e.value)
    # the drawings' 1,000 is no limit here
    assert autograd.tree(wide_graph(1500)).count("\n") == 1500


def test_import_autograd_does_not_import_graphviz() -> None:
    import subprocess
    import sys

    code = "import sys, autograd; print('graphviz' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_committed_readme_pictures_show_the_lecture_numbers() -> None:
    docs = Path(__file__).parents[2] / "docs"
    before = values_by_label((docs / "graph_before.svg").read_bytes())
    after = values_by_label((docs / "graph_after.svg").read_bytes())
    want = LECTURE["expected"]
    # before backward() the gradients are not computed yet: blank; a constant shows none
    assert {name: grad for name, (_, grad) in before.items()} == dict.fromkeys("abcuvJ", "grad") | {
        "": None
    }
    for name in "abcuv":
        assert after[name][1] == f"grad {want['dJ_d' + name]:.4f}"
    assert after["J"] == (f"data {want['J']:.4f}", "grad 1.0000")
