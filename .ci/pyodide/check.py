"""What chaingrad must do in Pyodide (run inside it by check.mjs, after the wheel is installed).

Each check prints one line starting with "ok"; any failure raises, which makes check.mjs exit
non-zero. tests/test_pyodide.py reads the lines.
"""

import importlib.util
import sys
import time
import xml.etree.ElementTree as ET

import autograd
import nn
from autograd import Value, explain, grad, player, to_dot, topological_order, tree
from autograd.display import renderer
from autograd.display.formatting import number
from autograd.extend import Constant

assert sys.platform == "emscripten", sys.platform
print("ok platform", sys.platform, sys.version.split()[0])

# graphviz-pure is a native wheel: the environment marker leaves it out here
assert importlib.util.find_spec("graphviz_pure") is None
print("ok no graphviz-pure")

# the lecture graph, exactly
a, b, c = Value(5.0, label="a"), Value(3.0, label="b"), Value(2.0, label="c")
u = b * c
u.label = "u"
v = a + u
v.label = "v"
J = 3 * v
J.label = "J"
J.backward()
assert (J.data, a.grad, b.grad, c.grad) == (33.0, 3.0, 6.0, 9.0), (a.grad, b.grad, c.grad)
print("ok lecture da=3 db=6 dc=9")

text = explain(J)
assert "dJ/db = dJ/du · ∂u/∂b = 3.0000 · c = 3.0000 · 2.0000 = 6.0000" in text, text
print("ok explain")

lines = tree(J).splitlines()
assert lines[0] == "* J  data 33.0000  grad 1.0000", lines
print("ok tree")

dot = to_dot(J)
assert dot.startswith("digraph chaingrad {") and ">b</TD>" in dot and "grad 6.0000" in dot
print("ok to_dot")

assert grad(lambda x: x**3)(2.0) == 12.0 and grad(grad(lambda x: x**3))(2.0) == 12.0
print("ok grad")

model = nn.MLP(2, [4, 1], activation="tanh", rng=0)
X, y = nn.datasets.xor()
history = nn.fit(model, X, y, nn.mse_loss, nn.Adam(model.parameters(), lr=0.05), epochs=200)
assert history["loss"][-1] < history["loss"][0] / 10, history["loss"][::50]
assert history["accuracy"][-1] == 1.0, history["accuracy"][-5:]
print("ok nn.fit xor", f"loss {history['loss'][0]:.4f} -> {history['loss'][-1]:.4f}")

# drawings: laid out in Python, since no process can run here
assert renderer.renderer_for("svg") == renderer.PYTHON_LAYOUT
svg = autograd.draw_dot(J).pipe(encoding="utf-8")
titles = {
    g.findtext("{http://www.w3.org/2000/svg}title")
    for g in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}g")
    if g.get("class") == "node"
}
declared = {ln.split()[0] for ln in dot.splitlines() if ln.startswith("\t") and " [" in ln}
assert titles == declared - {"graph", "node", "edge"}, (titles, declared)
print("ok draw_dot svg")

page = player(J).html()
order = topological_order(J)
for hook in (
    'class="chaingrad-player"',
    'data-action="first"',
    'data-action="prev"',
    'data-action="next"',
    'data-action="last"',
    'data-action="play"',
    'data-role="step"',
    'data-role="slider"',
    'data-role="caption"',
    'data-role="info"',
    'class="cg-data"',
):
    assert hook in page, hook
top = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + len("</svg>")])
shown = {}
kinds = set()
for g in top.iter("{http://www.w3.org/2000/svg}g"):
    kinds.update(k for k in ("data-op", "data-local", "data-into", "data-out") if g.get(k))
    if g.get("data-node") is not None:
        fields = {
            t.get("data-field"): t.text or ""
            for t in g.iter("{http://www.w3.org/2000/svg}tspan")
            if t.get("data-field")
        }
        shown[int(g.get("data-node"))] = (fields["data"], fields.get("grad"))
assert kinds == {"data-op", "data-local", "data-into", "data-out"}, kinds
want = {  # a constant's box shows no gradient
    i: (number(n.data), None if isinstance(n, Constant) else number(n.grad))
    for i, n in enumerate(order)
}
assert shown == want, (shown, want)
print("ok player hooks", len(shown), "values")

# a 300-value player, laid out in Python here (the time is printed, not asserted)
x = Value(0.5, label="x")
for _ in range(299):
    x = x.tanh()
start = time.process_time()
big = player(x).html()
assert big.count('class="node" data-node=') == 300
print(f"ok player of 300 values in {time.process_time() - start:.2f} s CPU")

from autograd import practice  # noqa: E402 - checked after the drawings, as a learner meets it

quiz = practice.quiz(J)
for name, right in (("a", 3), ("b", 6), ("c", 9)):
    quiz.answer(name, right)
report = quiz.check()
assert "✗" not in str(report), str(report)
quiz.answer("b", 2)  # the wrong operand of *: the report names the first wrong one
assert "✗" in str(quiz.check())
print("ok practice.quiz checked")

print("ok all")
