"""The training view: watch a model learn, live in a notebook, and replay it from one HTML page.

``TrainingView(model, X, y)`` records, at each ``update(epoch, history)``, what it needs to
show that epoch later: the history's numbers, every parameter's value and gradient, and the
optimizer's state. Only floats are copied: the view never calls ``backward()``, never touches
a ``.grad`` and draws no random number, so training is bit for bit the same with it or
without it. The pictures are computed from these records when they are shown:

- the decision boundary over the plane of 2-D inputs (the model's output on a grid, with
  the training points, and validation points as diamonds) and one small map per hidden
  neuron of an ``nn.MLP`` (its activation over the same grid), computed with the engine's
  own float functions in the engine's order, so each value equals the model's;
- the loss and metric curves (train and validation), the current epoch marked;
- a parameter table (dotted name, value, gradient, and the optimizer's state such as
  Adam's m and v), coloured by sign, sortable by |grad|;
- the graph of one data point's loss (``point=``): ``autograd.player``'s picture, with that
  epoch's data and gradients (those of one ``backward()`` of a fresh graph of that loss).

Making the page sets the model's parameters to each kept epoch's values in turn (to build
the chosen point's graph) and puts them back exactly as they were afterwards.

The page (``save``, ``html``, ``_repr_html_``) is one self-contained HTML fragment: no
network request, works from ``file://``, keeps its state in its own element (several views
share a notebook page). Its data (every number computed here, the pictures quantized to
bytes) is deflated and base64-encoded inside it; the browser unpacks it with its
``DecompressionStream`` and the script only picks which numbers to show.

Test hooks (stable): the root element has class ``chaingrad-training`` and gets
``data-ready="1"`` once its data is unpacked; the slider ``data-role="epoch"`` (value: the
position of the kept epoch, 0 for the first) and ``data-epoch`` on the root (the epoch
number shown); ``data-role="loss"`` shows that epoch's loss (its ``data-value`` is the exact
float as JavaScript prints it); ``data-role="boundary"`` holds the boundary map, whose
training points are ``[data-point=i]`` with ``data-class`` (the predicted class: 0 the
negative, 1 the positive label, or the argmax) and validation points ``[data-val=i]``;
``data-role="neuron"`` one per hidden neuron with ``data-neuron="L.N"`` (``layers.L.neurons.N``)
and ``data-probes``: a JSON list of ``[x0, x1, activation]`` at 5 grid points, exact;
parameter rows ``data-param=<dotted name>`` with cells ``data-field="value"|"grad"|"m"|"v"``
(or ``"momentum"``); the chosen point's graph is the player's picture with its
``data-node``/``data-field`` hooks (node i is ``autograd.topological_order(loss)[i]``).
"""

from __future__ import annotations

import base64
import html
import json
import math
import operator
import os
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from autograd import Value, backward_steps, enable_grad, no_grad, topological_order
from autograd.extend import number, picture
from nn import activations
from nn._data import int_at_least, plain
from nn.losses import CONVENTIONS
from nn.module import MLP, Module

__all__ = ["TrainingView", "plot_decision_boundary"]

# how many grid points of each neuron map the page exposes exactly (data-probes)
PROBES = ((1, 1), (3, 1), (2, 2), (1, 3), (3, 3))  # in quarters of the grid
LIVE_INTERVAL = 0.2  # seconds between two live updates, at least
LIVE_SHARE = 15.0  # ... and at least this many times what the last update took
LIVE_GRID = 20  # the live maps' resolution at most (the saved page has grid x grid)


@dataclass(frozen=True)
class _Record:
    """What one kept epoch needs: its numbers, copied (floats only)."""

    epoch: int
    history: dict[str, float]
    values: list[float]
    grads: list[float]
    state: list[dict[str, float]]


class TrainingView:
    """A training view of ``model`` on ``(X, y)``; ``nn.fit(..., view=True)`` makes one.

    Args:
        model: an ``nn.Module`` (its parameters are what the view records); the planes
            and neuron maps need 2-D inputs (and an ``nn.MLP`` for the neuron maps).
        X: the training inputs (lists or numpy arrays), as given to ``fit``.
        y: the training targets.
        point: the index of the data point whose loss graph is shown.
        grid: the maps' resolution (``grid`` x ``grid`` points).
        every: keep every ``every``-th epoch (and always the latest one).
        loss: the loss ``fit`` trains with; without it the graph panel is left out.
        optimizer: its state (Adam's m and v) joins the parameter table.
        validation: ``(X_val, y_val)``, drawn as diamonds.
        live: show and update the view in place in a notebook (None: in a Jupyter kernel).

    Raises:
        TypeError: ``model`` is not an ``nn.Module``, or an argument has the wrong type.
        ValueError: lengths differ, ``point`` is out of range, ``grid`` < 4, ``every`` < 1.

    Examples:
        >>> import nn
        >>> X, labels = nn.datasets.xor()
        >>> y = [2 * t - 1 for t in labels]
        >>> model = nn.MLP(2, [2, 1], activation="tanh", rng=0)
        >>> opt = nn.SGD(model.parameters(), lr=0.3)
        >>> history = nn.fit(model, X, y, nn.hinge_loss, opt, epochs=3, progress=False, view=True)
        >>> history.view.epochs
        [0, 1, 2]

        Or by hand, recording what you like:

        >>> view = nn.TrainingView(model, X, y, grid=8, live=False)
        >>> view.update(0, {"loss": [0.9]})
        >>> view.epochs, view.html().startswith("<!DOCTYPE html>")
        ([0], True)
    """

    def __init__(
        self,
        model: Module,
        X: Sequence[Any],
        y: Sequence[Any],
        *,
        point: int = 0,
        grid: int = 50,
        every: int = 1,
        loss: Callable[..., Value] | None = None,
        optimizer: Any = None,
        validation: tuple[Sequence[Any], Sequence[Any]] | None = None,
        live: bool | None = None,
    ) -> None:
        if not isinstance(model, Module):
            raise TypeError(
                f"model must be an nn.Module (the view records its parameters), "
                f"not {type(model).__name__}"
            )
        self.model: Any = model  # called like fit calls it
        self.X, self.y = _rows(X, "X"), _rows(y, "y")
        if len(self.X) != len(self.y):
            raise ValueError(f"{len(self.X)} inputs but {len(self.y)} targets")
        if not self.X:
            raise ValueError("no data to show")
        self.point = int_at_least(point, "point", 0)
        if self.point >= len(self.X):
            raise ValueError(f"point {self.point} is out of range for {len(self.X)} samples")
        self.grid = int_at_least(grid, "grid", 4)
        self.every = int_at_least(every, "every", 1)
        if loss is not None and not callable(loss):
            raise TypeError("loss must be a callable loss(outputs, targets)")
        self.loss = loss
        self.optimizer = optimizer
        self.validation: tuple[list[Any], list[Any]] | None = None
        if validation is not None:
            xs, ys = _rows(validation[0], "X_val"), _rows(validation[1], "y_val")
            if len(xs) != len(ys):
                raise ValueError(f"validation has {len(xs)} inputs but {len(ys)} targets")
            self.validation = (xs, ys)
        self._named = list(model.named_parameters())
        self._slots: list[int | None] = []
        if optimizer is not None and hasattr(optimizer, "states"):
            index = {id(p): i for i, p in enumerate(optimizer.params)}
            self._slots = [index.get(id(p)) for _, p in self._named]
        self._records: list[_Record] = []
        self._tail = False  # the last record is kept only as the latest, not as an every-th
        if live is None:
            shell = getattr(__import__("sys").modules.get("IPython"), "get_ipython", None)
            live = type(shell() if shell else None).__name__ == "ZMQInteractiveShell"
        self.live = bool(live)
        self._handle: Any = None
        self._shown_at = -math.inf
        self._cost = 0.0
        self._pending = False
        # the graph's picture for each shape of the chosen point's graph, drawn once (its
        # numbers are refreshed from each epoch's texts) and kept deflated for the pages
        self._pictures: dict[tuple[Any, ...], str] = {}
        self._drawing: threading.Thread | None = None
        self._drawn: dict[tuple[Any, ...], str] = {}  # what the drawing thread finished

    # ------------------------------------------------------------ recording

    @property
    def epochs(self) -> list[int]:
        """The epochs kept so far, in order."""
        return [r.epoch for r in self._records]

    def update(self, epoch: int, history: dict[str, list[float]]) -> None:
        """Record epoch ``epoch`` (the last entry of each list of ``history``) and, live in a
        notebook, refresh the shown view (at most once per 0.2 s, and never more often than
        15 times what the last refresh took, so that watching costs training little; call
        ``close()`` after the last epoch).

        Raises:
            TypeError: ``epoch`` is not an int or ``history`` not a dict of lists.
        """
        epoch = int_at_least(epoch, "epoch", 0)
        if not isinstance(history, dict):
            raise TypeError(f"history must be a dict of lists, not {type(history).__name__}")
        row = {k: float(v[-1]) for k, v in history.items() if isinstance(v, list) and v}
        states = self.optimizer.states() if self._slots else []
        record = _Record(
            epoch,
            row,
            [p.data for _, p in self._named],
            [_float(p.grad) for _, p in self._named],
            [{} if s is None else states[s] for s in self._slots],
        )
        if self._tail:
            self._records.pop()
        self._records.append(record)
        self._tail = epoch % self.every != 0
        if self.live:
            now = time.perf_counter()
            if now - self._shown_at >= max(LIVE_INTERVAL, LIVE_SHARE * self._cost):
                self._show()
            else:
                self._pending = True

    def close(self) -> None:
        """Show the latest epoch if a live refresh was skipped (``fit`` calls this at the end)."""
        if self.live and (self._pending or self._drawing is not None):
            self._show(final=True)

    def _show(self, final: bool = False) -> None:
        from IPython.display import HTML, display  # type: ignore[attr-defined]

        start = time.perf_counter()
        self._picture_async(final)
        # live: coarser maps (the saved page and _repr_html_ have the full grid), and the
        # graph's picture once it is drawn; the last update waits for it
        grid = min(self.grid, LIVE_GRID)
        page = HTML(self._fragment(self._records[-1:], grid, draw=final))  # type: ignore[no-untyped-call]
        if self._handle is None:
            self._handle = display(page, display_id=True)  # type: ignore[no-untyped-call]
        else:
            self._handle.update(page)
        self._pending = False
        self._shown_at = time.perf_counter()
        self._cost = self._shown_at - start

    # ------------------------------------------------------------ output

    def html(self) -> str:
        """The whole replay page (what ``save`` writes)."""
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            "<title>training view (chaingrad)</title>\n</head>\n<body>\n"
            f"{self._fragment(self._records)}\n</body>\n</html>\n"
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the replay page of every kept epoch to ``path`` (UTF-8).

        Returns:
            ``path`` as a ``pathlib.Path``.

        Raises:
            ValueError: nothing was recorded yet, or the file cannot be written (named).
        """
        out = Path(path)
        text = self.html()
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as e:
            raise ValueError(f"cannot write {os.fspath(path)!r}: {e.strerror or e}") from None
        return out

    def _repr_html_(self) -> str:
        return self._fragment(self._records)

    def __repr__(self) -> str:
        return f"<chaingrad training view: {len(self._records)} epochs kept>"

    # ------------------------------------------------------------ computing the page

    @contextmanager
    def _at(self, record: _Record) -> Iterator[None]:
        """The model with ``record``'s parameter values, restored exactly afterwards."""
        params = [p for _, p in self._named]
        saved = [p.data for p in params]
        try:
            for p, v in zip(params, record.values):
                p.data = v
            yield
        finally:
            for p, v in zip(params, saved):
                p.data = v

    def _planar(self) -> str | None:
        """Why the plane panels are left out, or None when they are shown."""
        if any(not isinstance(r, list) or len(r) != 2 for r in self.X):
            return "the inputs are not 2-D, so there is no plane to draw"
        return None

    def _convention(self) -> tuple[tuple[float, float], float] | None:
        """(negative, positive) labels and the cut, for one-output models; None: argmax."""
        known = CONVENTIONS.get(self.loss)
        if known is not None:
            return known
        ys = [t for t in self.y if isinstance(t, (int, float))]
        if len(ys) != len(self.y):
            return None
        if -1 in ys:
            return (-1.0, 1.0), 0.0
        return (0.0, 1.0), 0.5

    def _fragment(self, records: list[_Record], size: int | None = None, draw: bool = True) -> str:
        """The view of ``records`` with ``size`` x ``size`` maps (default: ``grid``); without
        ``draw``, a graph whose picture is not drawn yet is left out."""
        if not records:
            raise ValueError("the view has no epoch yet: call update(epoch, history) first")
        size = self.grid if size is None else size
        data, picture_of = self._data(records, size, draw)
        return _page(self, records, data, picture_of, size)

    def _data(
        self, records: list[_Record], size: int, draw: bool
    ) -> tuple[dict[str, Any], list[tuple[Any, ...] | None]]:
        """Per kept epoch: every number the page shows, and which picture its graph uses."""
        planar = self._planar() is None
        conv = self._convention()
        grid = _grid_points(self._extent(), size) if planar else []
        probes = [(r * size // 4, c * size // 4) for c, r in PROBES]
        epochs: list[dict[str, Any]] = []
        maps: list[bytes] = []
        picture_of: list[tuple[Any, ...] | None] = []
        for record in records:
            with self._at(record):
                entry: dict[str, Any] = {"epoch": record.epoch}
                entry["pred"] = "".join(str(c) for c in self._classes(self.X, conv))
                if self.validation is not None:
                    entry["vpred"] = "".join(
                        str(c) for c in self._classes(self.validation[0], conv)
                    )
                if planar:
                    outputs, hidden = _forward_grid(self.model, grid)
                    levels = [_levels(_margins(outputs, conv), conv is None)]
                    entry["probes"] = []
                    for acts in hidden:
                        levels.append(_levels(acts, False))
                        entry["probes"].append(
                            [[*grid[i * size + j], acts[i * size + j]] for i, j in probes]
                        )
                    maps.append(b"".join(levels))
                if self.loss is not None:
                    key, texts = self._point_graph()
                    if key not in self._pictures and draw:
                        self._picture(key)
                    picture_of.append(key if key in self._pictures else None)
                    entry["graph"] = texts
            entry["history"] = record.history
            states = record.state or [{} for _ in record.values]
            entry["params"] = [
                [number(v), number(g), *(number(x) for x in s.values())]
                for v, g, s in zip(record.values, record.grads, states)
            ]
            epochs.append(entry)
        return {"epochs": epochs, "maps": maps}, picture_of

    def _extent(self) -> tuple[float, float, float, float]:
        pts = list(self.X) + (list(self.validation[0]) if self.validation else [])
        xs = [float(p[0]) for p in pts]
        ys = [float(p[1]) for p in pts]
        pad_x = 0.1 * (max(xs) - min(xs) or 1.0)
        pad_y = 0.1 * (max(ys) - min(ys) or 1.0)
        return min(xs) - pad_x, max(xs) + pad_x, min(ys) - pad_y, max(ys) + pad_y

    def _classes(self, xs: list[Any], conv: tuple[tuple[float, float], float] | None) -> list[int]:
        """The class the model predicts for each input: 1 for the positive label, or the
        argmax (an MLP's outputs from ``_forward_grid``, equal to the model's; any other
        model's computed by the model itself, under no_grad)."""
        if isinstance(self.model, MLP) and all(isinstance(x, list) for x in xs):
            outputs, _ = _forward_grid(self.model, [[float(v) for v in x] for x in xs])
            if conv is not None and outputs and len(outputs[0]) == 1:
                return [int(o[0] > conv[1]) for o in outputs]
            return [max(range(len(o)), key=o.__getitem__) for o in outputs]
        out = []
        with no_grad():
            for x in xs:
                o = self.model(x)
                o = o if isinstance(o, list) else [o]
                if len(o) == 1 and conv is not None:
                    out.append(int(_float(o[0]) > conv[1]))
                else:
                    floats = [_float(v) for v in o]
                    out.append(max(range(len(floats)), key=floats.__getitem__))
        return out

    def _point_graph(self) -> tuple[tuple[Any, ...], list[list[str]]]:
        """The chosen point's loss graph: its shape (for the picture) and the data and
        gradient texts of each node, in ``topological_order``; the gradients are those
        ``backward_steps`` gives (one ``backward()`` of a fresh graph), no ``.grad`` touched."""
        assert self.loss is not None
        with enable_grad():
            out = self.model(self.X[self.point])
            out = out[0] if isinstance(out, list) and len(out) == 1 else out
            root = self.loss([out], [self.y[self.point]])
        order = topological_order(root)
        index = {v: i for i, v in enumerate(order)}
        totals: dict[Value, float] = {root: 1.0}
        for step in backward_steps(root):
            for c in step.contributions:
                totals[c.parent] = totals.get(c.parent, 0.0) + c.product
        shape = tuple((v.op, v.label, tuple(index[p] for p in v.parents)) for v in order)
        texts = [
            [number(v.data) for v in order],
            [number(totals[v]) if v in totals else "" for v in order],
        ]
        self._last_root = root
        return shape, texts

    def _picture(self, key: tuple[Any, ...]) -> None:
        """The player's picture of the last graph ``_point_graph`` built, deflated. Its arrows
        carry no local derivatives: only the boxes' numbers are refreshed each epoch."""
        self._pictures[key] = _packed_picture(self._last_root)

    def _picture_async(self, final: bool) -> None:
        """Live: draw the graph's picture once, in a thread (Graphviz is a separate process,
        so training goes on meanwhile), and show it from the first refresh after it is done;
        the last refresh waits for it."""
        if self.loss is None or (self._pictures and self._drawing is None):
            return
        if self._drawing is None:
            key, _ = self._point_graph()
            root = self._last_root

            def draw() -> None:
                self._drawn[key] = _packed_picture(root)

            self._drawing = threading.Thread(target=draw, daemon=True)
            self._drawing.start()
        if final or not self._drawing.is_alive():
            self._drawing.join()
            self._drawing = None
            self._pictures.update(self._drawn)


def _packed_picture(root: Value) -> str:
    """The graph's picture deflated and base64-encoded, or ``!`` and why it cannot be drawn."""
    try:
        svg = picture(root, local_grads=False)
    except (ValueError, RuntimeError) as e:  # too large a graph, or no way to lay it out
        return "!" + str(e)
    return base64.b64encode(zlib.compress(svg.encode("utf-8"), 6)).decode("ascii")


# ---------------------------------------------------------------- the numbers


def _rows(data: Any, name: str) -> list[Any]:
    data = plain(data)
    if not isinstance(data, (list, tuple)):
        raise TypeError(f"{name} must be a list or an array, not {type(data).__name__}")
    return [plain(r) if isinstance(r, (list, tuple)) else r for r in data]


def _float(x: Any) -> float:
    return float(x.data if isinstance(x, Value) else x)


def _grid_points(extent: tuple[float, float, float, float], n: int) -> list[list[float]]:
    """Cell centres, row by row from the top (largest x1) down, each row left to right."""
    x0, x1, y0, y1 = extent
    xs = [x0 + (j + 0.5) * (x1 - x0) / n for j in range(n)]
    ys = [y1 - (i + 0.5) * (y1 - y0) / n for i in range(n)]
    return [[x, y] for y in ys for x in xs]


def _forward_grid(model: Any, points: list[list[float]]) -> tuple[list[Any], list[list[float]]]:
    """The model's outputs at each point and, for an ``nn.MLP``, each hidden neuron's
    activation there. An MLP runs on floats, neuron by neuron, with the sum the engine's
    ``dot`` computes and each activation's own float function, so every number equals
    the model's; another module runs through the engine (no graph recorded)."""
    if not isinstance(model, MLP):
        with no_grad():
            outs = []
            for x in points:
                o = model(x)
                o = o if isinstance(o, list) else [o]
                outs.append([_float(v) for v in o])
        return outs, []
    rows: list[list[float]] = points
    hidden: list[list[float]] = []
    layers = model.layers
    mul = operator.mul
    for depth, layer in enumerate(layers):
        columns = []
        for neuron in layer.neurons:
            ws = [w.data for w in neuron.w]
            b = neuron.b
            if b is None:
                zs = [sum(map(mul, ws, r), 0.0) for r in rows]
            else:
                bias = b.data
                zs = [sum(map(mul, ws, r), 0.0) + bias for r in rows]
            act = neuron.activation
            # an engine op's own float forward (what autograd.relu(float) runs, without
            # checking its argument for every point), else through a Value
            f = activations.float_forward(act)
            if activations.fast_activation(act) is None:  # identity
                column = zs
            elif f is not None:
                column = list(map(f, zs))
            else:
                column = [act(Value(z)).data for z in zs]
            columns.append(column)
        if depth < len(layers) - 1:
            hidden.extend(columns)
        rows = [list(r) for r in zip(*columns)]
    return rows, hidden


def _margins(outputs: list[Any], conv: tuple[tuple[float, float], float] | None) -> list[float]:
    """What the boundary map shows: output minus the cut (one output), or the argmax."""
    if conv is not None and outputs and len(outputs[0]) == 1:
        return [o[0] - conv[1] for o in outputs]
    return [float(max(range(len(o)), key=o.__getitem__)) for o in outputs]


def _levels(values: list[float], classes: bool) -> bytes:
    """Bytes for a map: 0..254 from -max|v| to +max|v| (127 is 0), 255 for nan; class
    indices as they are."""
    if classes:
        return bytes(int(v) for v in values)
    finite = [v for v in values if math.isfinite(v)]
    scale = max(max(finite, default=0.0), -min(finite, default=0.0)) or 1.0
    k = 127.0 / scale
    if len(finite) == len(values):  # |v| <= scale, so every level is within 0..254
        return bytes([round(v * k) + 127 for v in values])
    return bytes(255 if v != v else 127 + max(-127, min(127, round(v * k))) for v in values)


# ---------------------------------------------------------------- the page


def _palette() -> list[list[int]]:
    """256 colours: 0..254 from blue (negative) through near-white to orange (positive),
    255 grey (nan); the Okabe-Ito blue and orange of the drawings, lightened."""
    blue, orange, white = (0, 114, 178), (230, 159, 0), (250, 250, 250)
    out = []
    for q in range(255):
        t = (q - 127) / 127.0
        end = orange if t > 0 else blue
        k = 0.8 * math.sqrt(abs(t))  # continuous through 0: no white specks at the boundary
        out.append([round(w + (e - w) * k) for w, e in zip(white, end)])
    out.append([170, 170, 170])
    return out


_CLASS_COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442"]


@cache
def _asset(name: str) -> str:
    from importlib import resources

    text: str = resources.files("nn").joinpath(name).read_text(encoding="utf-8")
    return text


def _curves(records: list[_Record]) -> tuple[str, list[float]]:
    """The loss and metric curves as SVG (train solid, validation dashed), and the x of each
    kept epoch (where the script puts the marker)."""
    width, height, left, pad = 330.0, 150.0, 38.0, 14.0
    names = [k for k in records[-1].history if not k.startswith("val_")]
    e0, e1 = records[0].epoch, records[-1].epoch
    span = (e1 - e0) or 1

    def x_of(epoch: int) -> float:
        return round(left + (width - left - pad) * (epoch - e0) / span, 2)

    xs = [x_of(r.epoch) for r in records]
    charts = []
    for n, name in enumerate(names):
        series = [(name, ""), (f"val_{name}", ' stroke-dasharray="4 3"')]
        values = [
            r.history[s]
            for s, _ in series
            for r in records
            if s in r.history and math.isfinite(r.history[s])
        ]
        low, high = (min(values), max(values)) if values else (0.0, 1.0)
        if high == low:
            high = low + 1.0
        top = n * (height + 10)

        def y_of(v: float, top: float = top, low: float = low, high: float = high) -> float:
            return round(top + pad + (height - 2 * pad) * (high - v) / (high - low), 2)

        parts = [
            f'<text x="{left - 4}" y="{top + pad + 4}" text-anchor="end">{number(high)[:6]}</text>',
            f'<text x="{left - 4}" y="{top + height - pad + 4}" text-anchor="end">'
            f"{number(low)[:6]}</text>",
            f'<line x1="{left}" y1="{top + height - pad}" x2="{width - pad}" '
            f'y2="{top + height - pad}" stroke="#adb5bd"/>',
            f'<text x="{width - pad}" y="{top + pad - 2}" text-anchor="end" font-weight="bold">'
            f"{html.escape(name)}</text>",
        ]
        for (s, dash), colour in zip(series, ("#0072b2", "#d55e00")):
            pts = [
                f"{x_of(r.epoch)},{y_of(r.history[s])}"
                for r in records
                if s in r.history and math.isfinite(r.history[s])
            ]
            if pts:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="1.6"{dash} '
                    f'points="{" ".join(pts)}"/>'
                )
        charts.append("".join(parts))
    total = len(names) * (height + 10)
    validated = any(k.startswith("val_") for r in records for k in r.history)
    legend = f'<text x="{left}" y="{total + 4}" fill="#0072b2">— train</text>' + (
        f'<text x="{left + 70}" y="{total + 4}" fill="#d55e00">- - validation</text>'
        if validated
        else ""
    )
    marker = (
        f'<line data-role="marker" x1="{xs[-1]}" x2="{xs[-1]}" y1="0" y2="{total - 10}" '
        'stroke="#212529" stroke-width="1" stroke-dasharray="2 2"/>'
    )
    svg = (
        f'<svg class="cgt-curves" viewBox="0 0 {width} {total + 10}" width="{width}" '
        f'height="{total + 10}" xmlns="http://www.w3.org/2000/svg" font-size="10">'
        f"{''.join(charts)}{legend}{marker}</svg>"
    )
    return svg, xs


def _page(
    view: TrainingView,
    records: list[_Record],
    data: dict[str, Any],
    pics: list[tuple[Any, ...] | None],
    size: int,
) -> str:
    e = html.escape
    n = len(records)
    why_not = view._planar()
    svg_curves, xs = _curves(records)
    extent = view._extent() if why_not is None else (0.0, 1.0, 0.0, 1.0)
    x0, x1, y0, y1 = extent

    def place(p: list[Any]) -> tuple[float, float]:
        return (
            round(100 * (float(p[0]) - x0) / (x1 - x0), 3),
            round(100 * (y1 - float(p[1])) / (y1 - y0), 3),
        )

    conv = view._convention()
    labels = conv[0] if conv else None

    def true_class(t: Any) -> int:
        if labels is not None and isinstance(t, (int, float)):
            return int(t == labels[1])
        return int(t) if isinstance(t, (int, float)) else 0

    panels = []
    if why_not is None:
        dots = []
        for i, (p, t) in enumerate(zip(view.X, view.y)):
            cx, cy = place(p)
            dots.append(
                f'<circle data-point="{i}" data-label="{true_class(t)}" cx="{cx}" cy="{cy}" '
                f'r="1.3"/>'
            )
        if view.validation is not None:
            for i, (p, t) in enumerate(zip(*view.validation)):
                cx, cy = place(p)
                dots.append(
                    f'<rect data-val="{i}" data-label="{true_class(t)}" x="{cx - 1.2}" '
                    f'y="{cy - 1.2}" width="2.4" height="2.4" transform="rotate(45 {cx} {cy})"/>'
                )
        hint = (
            "colour: the model's output (blue: the negative class, orange: the positive; "
            "white: the boundary). Points: their predicted class (fill) and true label (ring)"
            + ("; diamonds: validation" if view.validation is not None else "")
        )
        panels.append(
            '<figure class="cgt-boundary" data-role="boundary">'
            f"<figcaption>decision boundary, x0 from {x0:.2f} to {x1:.2f}, x1 from {y0:.2f} "
            f"to {y1:.2f}</figcaption>"
            f'<div class="cgt-map"><canvas width="{size}" height="{size}"></canvas>'
            f'<svg viewBox="0 0 100 100" preserveAspectRatio="none">{"".join(dots)}</svg></div>'
            f'<p class="cgt-hint">{e(hint)}</p></figure>'
        )
    else:
        panels.append(f'<p class="cgt-note">decision boundary: {e(why_not)}</p>')
    panels.append(
        '<figure class="cgt-curves-panel"><figcaption>loss and metrics</figcaption>'
        f"{svg_curves}</figure>"
    )
    neurons = []
    if why_not is None and isinstance(view.model, MLP):
        for li, layer in enumerate(view.model.layers[:-1]):
            cells = "".join(
                f'<figure data-role="neuron" data-neuron="{li}.{ni}"><canvas width="{size}" '
                f'height="{size}"></canvas><figcaption>L{li}.N{ni}</figcaption></figure>'
                for ni in range(len(layer.neurons))
            )
            neurons.append(f'<div class="cgt-layer"><span>layer {li}</span>{cells}</div>')
    if neurons:
        body = "".join(neurons)
        neuron_panel = (
            '<section class="cgt-neurons"><h4>hidden neurons: each one\'s activation over the '
            f"plane (blue negative, orange positive, each on its own scale)</h4>{body}</section>"
        )
    elif why_not is not None:
        neuron_panel = f'<p class="cgt-note">neurons: {e(why_not)}</p>'
    else:
        neuron_panel = '<p class="cgt-note">neurons: the model is not an nn.MLP</p>'
    state_names = list(records[-1].state[0]) if records[-1].state else []
    head = "".join(f"<th>{e(s)}</th>" for s in state_names)
    rows = "".join(
        f'<tr data-param="{e(name)}"><th>{e(name)}</th><td data-field="value"></td>'
        f'<td data-field="grad"></td>'
        + "".join(f'<td data-field="{e(s)}"></td>' for s in state_names)
        + "</tr>"
        for name, _ in view._named
    )
    table = (
        '<section class="cgt-params"><h4>parameters <button type="button" data-action="sort" '
        'aria-pressed="false">sort by |grad|</button></h4><div class="cgt-scroll"><table>'
        f"<thead><tr><th>name</th><th>value</th><th>grad</th>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table></div></section>"
    )
    keys = list(dict.fromkeys(k for k in pics if k is not None))
    drawn = [view._pictures[k] for k in keys]
    if view.loss is None:
        note = ""
    elif not keys:
        note = "drawing the graph (Graphviz): it appears at a later update"
    else:
        note = next((f"the graph cannot be drawn: {p[1:]}" for p in drawn if p[:1] == "!"), "")
    if view.loss is not None:
        graph = (
            f'<section class="cgt-graph"><h4>the loss of point {view.point} '
            f"(x = {e(str(view.X[view.point]))}, y = {e(str(view.y[view.point]))}): its graph "
            "with this epoch's data and gradients (one backward() of this point alone) "
            '<span class="cgt-zoom"><button type="button" data-action="zoom-out" '
            'title="zoom out">−</button><button type="button" data-action="fit" '
            'title="fit the whole graph">fit</button><button type="button" '
            'data-action="zoom-in" title="zoom in">+</button></span></h4>'
            f'<div class="cgt-graph-box" data-role="graph">{e(note)}</div></section>'
        )
    else:
        graph = '<p class="cgt-note">graph: pass loss= to see one point\'s loss graph</p>'
    meta = {
        "n": n,
        "grid": size,
        "xs": xs,
        "palette": _palette(),
        "classes": _CLASS_COLOURS,
        "categorical": conv is None,
        "picture": [
            -1 if k is None or drawn[keys.index(k)][:1] == "!" else keys.index(k) for k in pics
        ],
        "epochs": data["epochs"],
    }
    text = json.dumps(meta, separators=(",", ":"), allow_nan=False, default=_no_nan)
    encoded = text.encode("utf-8")
    blob = struct.pack("<I", len(encoded)) + encoded + _deltas(data["maps"])
    packed = base64.b64encode(zlib.compress(blob, 6)).decode("ascii")
    hidden_bar = " hidden" if n == 1 else ""
    last = records[-1].epoch
    return (
        f'<div class="chaingrad-training" tabindex="0" data-epoch="{last}" '
        'aria-label="training view">\n'
        f"<style>{_asset('view.css')}</style>\n"
        f'<div class="cgt-bar"><button type="button" data-action="play"{hidden_bar}>play</button>'
        f'<input type="range" data-role="epoch" min="0" max="{n - 1}" value="{n - 1}" '
        f'aria-label="epoch"{hidden_bar}>'
        f'<span data-role="epoch-label">epoch {last}</span>'
        f'<span data-role="loss" data-value="">loss</span><span data-role="metrics"></span></div>\n'
        f'<div class="cgt-top">{"".join(panels)}</div>\n{neuron_panel}\n'
        f'<div class="cgt-bottom">{table}{graph}</div>\n'
        '<p class="cgt-wait">unpacking the data… (this page needs JavaScript and a browser '
        "with DecompressionStream)</p>\n"
        f'<script type="application/octet-stream" class="cgt-data">{packed}</script>\n'
        + "".join(
            f'<script type="application/octet-stream" class="cgt-picture">'
            f"{'' if p[:1] == '!' else p}</script>\n"
            for p in drawn
        )
        + f"<script>{_asset('view.js')}</script>\n</div>"
    )


def _no_nan(x: Any) -> Any:
    raise TypeError(f"cannot store {type(x).__name__}")


def _deltas(maps: list[bytes]) -> bytes:
    """Each epoch's map bytes minus the previous epoch's (mod 256): the maps change slowly,
    so the differences are mostly 0 and deflate packs them small."""
    out = bytearray()
    prev: bytes | None = None
    for levels in maps:
        out.extend(levels if prev is None else map(_MOD_256, map(operator.sub, levels, prev)))
        prev = levels
    return bytes(out)


_MOD_256 = (256).__rmod__  # x % 256, as a function map() can call without a lambda


# ---------------------------------------------------------------- the static picture


def plot_decision_boundary(
    model: Module, X: Sequence[Any], y: Sequence[Any], ax: Any = None
) -> Any:
    """Draw ``model``'s decision boundary over 2-D data with matplotlib (imported here).

    The background is the model's output on a 200 x 200 grid (for one output: blue below
    the label convention's cut, orange above; several outputs: the argmax class), the
    points are ``X`` coloured by ``y``.

    Args:
        model: an ``nn.Module`` taking 2 inputs.
        X: the inputs (lists or numpy arrays).
        y: the targets.
        ax: a matplotlib Axes to draw on (default: a new figure's).

    Returns:
        The Axes.

    Raises:
        ValueError: the inputs are not 2-D.
        ImportError: matplotlib is not installed (``pip install matplotlib``).

    Examples:
        >>> import matplotlib
        >>> matplotlib.use("Agg")  # draw off screen (a notebook needs no such line)
        >>> import nn
        >>> X, labels = nn.datasets.xor()
        >>> ax = nn.plot_decision_boundary(nn.Neuron(2, rng=0), X, labels)
        >>> type(ax).__name__, len(ax.images)
        ('Axes', 1)
        >>> matplotlib.pyplot.close(ax.figure)
    """
    view = TrainingView(model, X, y, live=False)
    why_not = view._planar()
    if why_not is not None:
        raise ValueError(f"plot_decision_boundary: {why_not}")
    try:
        import matplotlib.pyplot as plt
        from matplotlib.colors import ListedColormap
    except ImportError:
        raise ImportError(
            "plot_decision_boundary needs matplotlib: pip install matplotlib"
        ) from None
    n = 200
    extent = view._extent()
    outputs, _ = _forward_grid(model, _grid_points(extent, n))
    conv = view._convention()
    values = _margins(outputs, conv)
    image = [values[i * n : (i + 1) * n] for i in range(n)]
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    x0, x1, y0, y1 = extent
    if conv is None:
        ax.imshow(
            image,
            extent=extent,
            cmap=ListedColormap(_CLASS_COLOURS),
            alpha=0.35,
            interpolation="nearest",
            aspect="auto",
        )
    else:
        limit = max((abs(v) for v in values if math.isfinite(v)), default=1.0) or 1.0
        ax.imshow(
            image, extent=extent, cmap="PuOr_r", vmin=-limit, vmax=limit, alpha=0.6, aspect="auto"
        )
        ax.contour(
            [[v for v in row] for row in image[::-1]],
            levels=[0.0],
            extent=extent,
            colors="#212529",
            linewidths=1,
        )
    labels = conv[0] if conv else None
    colours = [_CLASS_COLOURS[int(t == labels[1]) if labels else int(t)] for t in view.y]
    ax.scatter(
        [p[0] for p in view.X],
        [p[1] for p in view.X],
        c=colours,
        s=18,
        edgecolors="white",
        linewidths=0.6,
    )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return ax
