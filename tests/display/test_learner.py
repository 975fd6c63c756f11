"""What a learner sees: names, constants, precision, no_grad results, gradients before
backward(), and how explain/tree/draw_dot show at the end of a notebook cell or REPL line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphs import lecture_graph

import autograd
from autograd import Value, explain, no_grad, to_dot, tree


def unlabelled() -> tuple[Value, Value, Value, Value]:
    a, b, c = Value(5.0), Value(3.0), Value(2.0)
    return a, b, c, 3 * (a + b * c)


# ---------------------------------------------------------------- names


def test_unlabelled_values_get_readable_names_shown_the_same_everywhere() -> None:
    a, b, c, J = unlabelled()
    text = explain(J)
    assert "#" not in text  # no d#6/d#6
    assert text.splitlines()[0].startswith("out = 33.0000")
    assert "dout/dx0 = " in text and "dout/dx2 = " in text
    J.backward()
    drawn = to_dot(J)
    for name in ("x0", "x1", "x2", "t1", "t2", "out"):
        assert f">{name}</TD>" in drawn, name
        assert name in text or name.startswith("t"), name
    assert "* t1" in tree(J) or "+ t2" in tree(J)
    assert "out" in tree(J).splitlines()[0]
    page = autograd.player(J).html()
    assert ">x0<" in page and "dout/dx0" in page


def test_wrt_accepts_every_printed_name() -> None:
    a, b, c, J = unlabelled()
    assert explain(J, wrt="x1").splitlines()[-1] == "so dout/dx1 = 6.0000"
    u, v = Value(1.0, label="u"), Value(2.0, label="u")
    y = u * v
    names = [line.split(" = ")[0].split("/d")[-1] for line in explain(y).splitlines()[3:5]]
    assert names == ["u#0", "u#1"]
    assert explain(y, wrt="u#0").splitlines()[-1] == "so dt1/du#0 = 2.0000" or explain(
        y, wrt="u#0"
    ).splitlines()[-1].endswith("/du#0 = 2.0000")


# ---------------------------------------------------------------- constants


def test_constants_are_left_out_of_explain_unless_asked() -> None:
    a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
    J = 3 * (a + b * c)
    J.label = "J"
    assert "dJ/d3" not in explain(J)
    assert "dJ/d3 = " in explain(J, constants=True)
    J.backward()
    assert "dJ/d3" not in str(autograd.display.view.GraphView(J).lines)


def test_a_constants_box_shows_no_gradient() -> None:
    x = Value(2.0, label="x")
    y = x * 3
    y.label = "y"
    y.backward()
    dot = to_dot(y)
    constant_line = next(line for line in dot.splitlines() if 'STYLE="dashed">data 3' in line)
    assert "grad" not in constant_line
    shown = to_dot(y, constants=True)
    assert "grad 2.0000" in next(line for line in shown.splitlines() if "data 3" in line)


def test_the_player_leaves_constants_out_of_its_captions() -> None:
    x = Value(2.0, label="x")
    y = x * 1.5
    y.label = "y"
    page = autograd.player(y).html()
    assert "dy/d1.5" not in page
    assert "dy/d1.5" in autograd.player(y, constants=True).html()


# ---------------------------------------------------------------- precision


def test_precision_none_prints_backwards_gradients_exactly() -> None:
    x = Value(0.1, label="x")
    y = (x * 3).tanh() * x
    y.label = "y"
    text = explain(y, precision=None)
    y.backward()
    assert text.splitlines()[-1] == f"so dy/dx = {x.grad!r}"
    assert f"grad {x.grad!r}" in to_dot(y, precision=None)
    assert f"grad {x.grad!r}" in tree(y, precision=None)
    assert "0.10</TD>" in to_dot(y, precision=2)
    assert "so dy/dx = " + f"{x.grad:.2f}" == explain(y, precision=2).splitlines()[-1]
    assert f"{x.grad!r}" in autograd.player(y, precision=None).html()


def test_precision_is_checked() -> None:
    x = Value(1.0)
    with pytest.raises(TypeError, match="precision"):
        explain(x, precision="4")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="precision"):
        to_dot(x, precision=-1)


# ---------------------------------------------------------------- no_grad, before backward


def test_explain_of_a_no_grad_result_says_backward_would_raise() -> None:
    a = Value(2.0, label="a")
    with no_grad():
        b = a * 3
    text = explain(b)
    assert "no_grad()" in text and "backward() would raise" in text
    assert "it is a leaf" not in text


def test_gradients_before_backward_are_drawn_blank() -> None:
    x = Value(2.0, label="x")
    y = x * x
    dot = to_dot(y)
    assert "grad 0.0000" not in dot
    assert ">grad</TD>" in dot
    y.backward()
    assert "grad 4.0000" in to_dot(y)


# ---------------------------------------------------------------- notebook and REPL


class Printer:
    """Stands for IPython's pretty printer."""

    def __init__(self) -> None:
        self.printed: list[str] = []

    def text(self, s: str) -> None:
        self.printed.append(s)


def test_explain_and_tree_show_as_text_at_the_end_of_a_cell() -> None:
    x = Value(2.0, label="x")
    y = x * x
    for text in (explain(y), tree(y)):
        assert isinstance(text, str)
        assert repr(text) == str(text)  # not a quoted line with \n
        printer = Printer()
        text._repr_pretty_(printer, False)  # type: ignore[attr-defined]
        assert "".join(printer.printed) == str(text)


def test_draw_dot_has_a_useful_repr(tmp_path: Path) -> None:
    pytest.importorskip("graphviz")
    x = Value(2.0, label="x")
    drawing = autograd.draw_dot(x * x)
    text = repr(drawing)
    assert "chaingrad" in text and "2 values" in text and ".render(" in text


# ---------------------------------------------------------------- size bounds


def test_max_steps_bounds_the_lines_of_one_wide_step() -> None:
    xs = [Value(float(i), label=f"x{i}") for i in range(5_000)]
    y = autograd.dot(xs, xs)
    text = explain(y, max_steps=50)
    assert len(text.splitlines()) < 120
    assert "more inputs of this step left out" in text


def test_steps_past_max_steps_are_not_formatted(monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd.display import view

    x = Value(0.5, label="x")
    y = x
    for _ in range(2_000):
        y = y * 1.001
    written = []
    real = view._Writer.step

    def counted(self: object, *args: object, **kwargs: object) -> list[str]:
        written.append(1)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(view._Writer, "step", counted)
    text = explain(y, max_steps=10)
    assert len(written) == 10
    assert "1990 more steps left out" in text


# ---------------------------------------------------------------- readable at 800 px


def font_sizes_at(svg: bytes, width_px: float) -> tuple[float, float]:
    """(smallest text in the value boxes, smallest number on an arrow) in px when the SVG
    is shown ``width_px`` wide, read from a real render."""
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/2000/svg}"
    top = ET.fromstring(svg)
    scale = width_px / float(top.get("width", "0").removesuffix("pt"))  # px per pt
    boxes, arrows = [], []
    for g in top.iter(f"{ns}g"):
        title = g.find(f"{ns}title")
        if g.get("class") != "node" or title is None:
            continue
        sizes = [float(t.get("font-size", "0")) for t in g.iter(f"{ns}text")]
        (
            boxes
            if (title.text or "").startswith("v")
            else arrows
            if (title.text or "").startswith("d")
            else []
        ).extend(sizes)
    return min(boxes) * scale, min(arrows) * scale


def test_the_lecture_graph_is_readable_at_800_px(tmp_path: Path) -> None:
    J = lecture_graph()["J"]
    J.backward()
    svg = autograd.render(J, tmp_path / "J.svg").read_bytes()
    box, arrow = font_sizes_at(svg, 800)
    assert box >= 11 and arrow >= 9, (box, arrow)


# ---------------------------------------------------------------- nn drawings


def test_mse_of_one_sample_is_drawn_as_a_square() -> None:
    import nn

    out = Value(0.25, label="pred")
    loss = nn.mse_loss([out], [1.0])
    loss.label = "loss"
    dot = to_dot(loss)
    assert "label=<Σ>" not in dot and "label=<**2>" in dot
    assert to_dot((out - 1.0) ** 2).count("label=<**2>") == 1 == dot.count("label=<**2>")
    assert any(line.endswith(" = t1**2") for line in explain(loss).splitlines())


def test_the_flip_book_says_in_words_which_limit_it_hit(tmp_path: Path) -> None:
    import nn

    # the README's network on one sample of its data
    X, labels = nn.datasets.moons(100, noise=0.1, rng=0)
    model = nn.MLP(2, [16, 16, 1], rng=1)
    loss = nn.hinge_loss([model(X[0])[0]], [2 * labels[0] - 1])
    with pytest.raises(autograd.display.drawing.GraphTooLargeError) as e:
        autograd.render_steps(loss, tmp_path / "steps", format="dot")
    text = str(e.value)
    assert "default" in text and f"max_steps={e.value.count}" in text
    assert "more than max_steps=" not in text  # it does not read as if the user passed it
    edges = sum(len(v.parents) for v in autograd.topological_order(loss))
    assert f"this graph has {edges} edges, so {e.value.value} pages" in text
    assert "autograd.player(root)" in text  # the view that lays the graph out once
    # both ways out work: the number the message names, and the player
    pages = autograd.render_steps(loss, tmp_path / "steps", format="dot", max_steps=e.value.count)
    assert len(pages) == e.value.count
    assert 'class="chaingrad-player"' in autograd.player(loss).html()


# ---------------------------------------------------------------- MLP order, captions


def test_mlp_forward_steps_go_in_natural_order() -> None:
    import json

    import nn

    model = nn.MLP(2, [3, 1], rng=0)
    out = model([Value(0.5), Value(-1.0)])[0]
    page = autograd.player(out).html()
    data = json.loads(page.split('class="cg-data">')[1].split("</script>")[0])
    forward = [c for c in data["captions"] if c.startswith("forward ")]
    first_dots = [c for c in forward if "dot(" in c]
    assert "N0.w0" in first_dots[0].split(" = ")[1], first_dots[0]
    assert "N1.w0" in first_dots[1].split(" = ")[1], first_dots[1]
    # the inputs are x0, x1 in the order the model takes them
    assert "x0, x1" in first_dots[0]


def test_captions_have_no_doubled_parentheses() -> None:
    x = Value(-0.25, label="x")
    y = x.relu()
    y.label = "y"
    page = autograd.player(y).html()
    assert "relu((-0.2500))" not in page and "relu(-0.2500)" in page


def _weight_positions(svg: bytes, prefix: str) -> dict[tuple[str, int], tuple[float, float]]:
    """(neuron, index) -> (x, y) of each box whose first line is ``<prefix>N<k>.w<i>``, read
    from the SVG's text positions."""
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/2000/svg}"
    found = {}
    for g in ET.fromstring(svg).iter(f"{ns}g"):
        texts = list(g.iter(f"{ns}text"))
        if g.get("class") != "node" or not texts:
            continue
        m = re.fullmatch(re.escape(prefix) + r"(N\d+\.)?w(\d+)", (texts[0].text or "").strip())
        if m:
            found[(m.group(1) or "", int(m.group(2)))] = (
                float(texts[0].get("x", "nan")),
                float(texts[0].get("y", "nan")),
            )
    return found


@pytest.mark.parametrize("layout", ["graphviz", "python"])
@pytest.mark.parametrize("rankdir", [None, "TB"])
@pytest.mark.parametrize("model", ["neuron", "layer", "mlp"])
def test_a_neurons_weights_are_drawn_in_index_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str, rankdir: str | None, model: str
) -> None:
    import nn

    monkeypatch.setenv("CHAINGRAD_LAYOUT", layout)
    x = [Value(0.5), Value(-1.0), Value(2.0)]
    if model == "neuron":
        out, prefix, n_in = nn.Neuron(3, rng=0)(x), "", 3
    elif model == "layer":
        out, prefix, n_in = sum(nn.Layer(3, 3, rng=0)(x)), "", 3
    else:
        out, prefix, n_in = nn.MLP(3, [4, 1], rng=0)(x)[0], "L1.", 4
    svg = autograd.render(out, tmp_path / "n.svg", rankdir=rankdir).read_bytes()
    found = _weight_positions(svg, prefix)
    neurons = sorted({neuron for neuron, _ in found})
    assert neurons and len(found) == n_in * len(neurons), sorted(found)
    across = 0 if rankdir == "TB" else 1  # ranks run down (TB) or right (LR): the other axis
    for neuron in neurons:
        places = [found[(neuron, i)][across] for i in range(n_in)]
        assert places == sorted(places), (neuron, places)  # w0 first, then w1, ...
        assert len(set(places)) == n_in  # side by side, not on top of each other
