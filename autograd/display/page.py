"""The backprop player: one self-contained HTML page that steps through a graph's forward and
backward pass, in a browser from disk or inline in a Jupyter notebook.

``player(root)`` draws the graph as ``render`` does (same layout, colours, legend and numbers
on the arrows, as inline SVG) and adds a step control: step 0 shows only the leaves' data, the
forward steps compute one value each in topological order, then one backward step per entry of
``backward_steps(root)`` hands gradients to the inputs, with ``explain``'s lines for that step
as the caption. Everything the page shows is computed here, by the engine's own rules, and
written into the page as text: the script only chooses which texts to show. The page loads
nothing (no network, no fonts, no external scripts), shows the finished graph without
JavaScript, and keeps all its state inside its own element, so several players share a
notebook page without interfering.

Test hooks (stable): the outer element has class ``chaingrad-player``; the buttons carry
``data-action="first"|"prev"|"next"|"last"|"play"``; ``data-role="step"`` shows ``k / N``;
each value box is an SVG group ``data-node="i"`` (``i`` its index in ``topological_order``)
holding ``data-field="data"`` and ``data-field="grad"`` elements whose text is the number the
box shows at the current step, formatted like the drawings (empty when not yet known);
``data-role="caption"`` holds the current step's arithmetic; ``data-role="speed"`` picks the
play speed, ``data-action="zoom-in"|"zoom-out"|"fit"`` size the drawing and
``data-role="forward-end"`` marks the step where forward ends. The page finds each box from
the names the DOT writer recorded (``GraphView`` indices), never by reading ids back.

Practice pages (``practice=True``) add one ``label.cg-q[data-node=i]`` holding a text
``<input>`` per gradient and ``data-role="score"`` reading ``k / n``; the rule that checks
an answer is ``autograd.display.answers.accepts``, the same as ``autograd.practice``'s.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograd.core.value import Value
from autograd.display import drawing as viz
from autograd.display import renderer
from autograd.display.answers import SIGNIFICANT, answer_key, answer_keys
from autograd.display.text import explain_view
from autograd.display.view import GraphView, _shorten, expression, local_rules

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

# html, json, xml.etree and importlib.resources are imported where they are used: together
# they would be a large part of `import autograd`, which every user pays for and few need a player.

__all__ = ["Player", "answer_key", "answer_keys", "picture", "player"]

_SVG = "http://www.w3.org/2000/svg"


class Player:
    """A backprop player for one graph: ``save(path)`` writes it as a self-contained HTML
    file; in a notebook, a cell ending in a Player shows it inline.

    Args:
        fragment: the player's HTML, what a notebook shows and the page's body.
        title: the page's title.
        svg: the page's picture (see ``svg``); empty when there is none.

    Examples:
        >>> from autograd import Value, player
        >>> a, b = Value(2.0, label='a'), Value(3.0, label='b')
        >>> page = player(a * b)
        >>> 'chaingrad-player' in page.html()
        True
    """

    def __init__(self, fragment: str, title: str, svg: str = "") -> None:
        self._fragment = fragment
        self._title = title
        self._svg = svg

    @property
    def svg(self) -> str:
        """The page's picture: one ``<svg>`` element with the ``data-node``/``data-field``
        hooks (what ``picture(root)`` returns), for pages that show it their own way.

        Examples:
            >>> from autograd import Value, player
            >>> p = player(Value(2.0, label='a') * 3.0)
            >>> p.svg.startswith('<svg') and p.svg in p.html()
            True
        """
        return self._svg

    def _repr_html_(self) -> str:
        return self._fragment

    def html(self) -> str:
        """The whole page: what ``save`` writes."""
        import html

        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(self._title)}</title>\n</head>\n<body>\n"
            f"{self._fragment}\n</body>\n</html>\n"
        )

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (UTF-8) and return it as a ``pathlib.Path``."""
        out = Path(path)
        out.write_text(self.html(), encoding="utf-8")
        return out

    def __repr__(self) -> str:
        return f"<chaingrad player: {self._title}>"


def player(
    root: Value,
    *,
    max_nodes: int = 1000,
    max_edges: int | None = None,
    local_grads: bool = True,
    precision: int | None = 4,
    constants: bool = False,
    practice: bool = False,
) -> Player:
    """A player that steps through the forward and backward pass of ``root``'s graph.

    A graph with more than ``max_nodes`` values, or more than ``max_edges`` inputs of ops in
    all (default: twice ``max_nodes``), raises the same ``ValueError`` as ``render``.
    Making a player never calls ``backward()`` and changes no ``.grad``: the gradients it shows
    are those ``backward_steps(root)`` computes (what one ``backward()`` gives a fresh graph).
    ``local_grads=False`` leaves the numbers off the arrows. ``precision`` is the number of
    decimals (``None``: exact); ``constants=True`` also shows the gradients of constants.

    ``practice=True`` makes a page for working the gradients out by hand: the forward steps
    as usual, then one input box per gradient (every value's but the output's seed and the
    constants'); Enter checks the answer, green when right, red with the chain-rule sum to
    work out when wrong, and a score ``k / n``. The page holds no gradient and no local
    derivative: only ``answer_keys`` of each gradient, which an answer can be checked against
    (by ``autograd.display.answers``' rule, the one ``autograd.practice`` uses) but not read from.

    Args:
        root: the Value whose graph to step through.
        max_nodes: refuse graphs of more values than this.
        max_edges: refuse graphs of more op inputs in all than this; None means 2 * max_nodes.
        local_grads: write each local derivative on its arrow.
        precision: decimals of every number; None writes each exactly.
        constants: also show the gradients of constants.
        practice: make a page for working out the gradients by hand.

    Returns:
        The ``Player``.

    Raises:
        TypeError: ``root`` is not a Value, or an option of the wrong type.
        ValueError: a limit < 1, or ``precision`` outside 0 to 17.
        GraphTooLargeError: more values than ``max_nodes`` or op inputs than ``max_edges``.

    Examples:
        >>> from autograd import Value, player
        >>> a, b = Value(2.0, label='a'), Value(3.0, label='b')
        >>> p = player(a * b)
        >>> p.html().count('data-node=') >= 3
        True
        >>> a.grad  # making a player never calls backward()
        0.0
        >>> quiz = player(a * b, practice=True).html()
        >>> 'data-role="score"' in quiz and "<input" in quiz  # one box per gradient
        True
    """
    if not isinstance(practice, bool):
        raise TypeError(f"practice must be a bool, not {type(practice).__name__}")
    if practice:
        local_grads = False  # the numbers on the arrows are half of each answer
    viz._check_options(None, True, max_nodes, local_grads)
    view = GraphView.checked(root, max_nodes, max_edges, precision=precision, constants=constants)
    number = view.num
    order, names, index = view.order, view.names, view.index
    explained = [(step, lines) for (step, _), lines in zip(view.walked, view.lines)]
    forward = [index[v] for v in view.natural if v.parents]  # in the order a person computes
    n_fwd, n_bwd = len(forward), len(explained)
    n = n_fwd + n_bwd

    # When each value's data appears, and each gradient as it accumulates.
    appears = [0] * len(order)
    for k, i in enumerate(forward, start=1):
        appears[i] = k
    grads: list[list[list[Any]]] = [[] for _ in order]
    totals: dict[Value, float] = {root: 1.0}
    grads[len(order) - 1].append([min(n, n_fwd + 1), number(1.0)])
    current = [-1] * (n + 1)
    touched: list[list[int]] = [[] for _ in range(n + 1)]
    captions = [_start_caption(n, n_fwd, n_bwd)]
    for k, i in enumerate(forward, start=1):
        current[k] = i
        v = order[i]
        numbers = {p: number(p.data) for p in v.parents}
        captions.append(
            f"forward {k} of {n_fwd}: {names[v]} = {expression(v, names)}"
            f" = {expression(v, numbers)} = {number(v.data)}"
        )
    # who hands what to whom, for each value's chain-rule sum
    received: dict[Value, list[tuple[Value, float, float]]] = {}
    for j, (step, lines) in enumerate(explained):
        pos = n_fwd + 1 + j
        current[pos] = index[step.node]
        # one numbering: "forward k of n", then "backward k of n"
        captions.append("\n".join([f"backward {lines[0][5:]}", *lines[1:]]))
        for c in step.contributions:
            totals[c.parent] = totals.get(c.parent, 0.0) + c.product
            if view.shown(c.parent):  # a constant's box shows no gradient
                grads[index[c.parent]].append([pos, number(totals[c.parent])])
            received.setdefault(c.parent, []).append((step.node, step.grad, c.local))
        touched[pos] = list(
            dict.fromkeys(index[c.parent] for c in step.contributions if view.shown(c.parent))
        )

    d = f"d{names[root]}/d"
    nodes = []
    for i, v in enumerate(order):
        entry: dict[str, Any] = {
            "name": names[v],
            "role": view.roles[i],
            "data": number(v.data),
            "at": appears[i],
            "grads": grads[i],
            "expr": f"{names[v]} = {expression(v, names)}" if v.parents else "",
            "local": _local_text(v, names, view.local[i], number),
            "rule": _rule_text(v, names, view.local[i], number),
            "chain": _chain_text(
                v, root, d, names, received.get(v, []) if view.shown(v) else [], totals, number
            ),
        }
        nodes.append(entry)
    data: dict[str, Any] = {
        "n": n,
        "nodes": nodes,
        "captions": captions,
        "current": current,
        "kind": [""] + ["f"] * n_fwd + ["b"] * n_bwd,
        "touched": touched,
    }
    final = totals  # every gradient at the end of the pass
    svg = _picture(view, final, local_grads)
    summary = "finished: " + (
        ", ".join(
            f"{d}{names[v]} = {number(final.get(v, 0.0))}"
            for v in order
            if not v.parents and view.shown(v)
        )
        if n
        else f"{d}{names[root]} = {number(1.0)}"
    )
    if not practice:
        text = explain_view(view)
        fragment = _fragment(svg, data, n, n_fwd, summary, text, names[root])
        return Player(fragment, f"backprop of {names[root]} (chaingrad)", svg)
    # Practice: the same page without a single gradient or local derivative in it.
    import html
    import secrets

    salt = secrets.token_hex(8)
    questions = [
        (i, v) for i, v in enumerate(order) if v is not root and view.shown(v) and v in received
    ]
    data["practice_backward"] = n_bwd  # the page opens with the forward pass done
    data["salt"] = salt
    data["digits"] = SIGNIFICANT
    data["practice"] = [
        {"node": i, "keys": answer_keys(totals[v], salt), "hint": _hint(v, d, names, received[v])}
        for i, v in questions
    ]
    for j in range(n_fwd + 1, n + 1):  # backward captions: what the step does, no numbers
        data["captions"][j] = data["captions"][j].split("\n")[0] + "\n  (work out what it hands on)"
    for entry, v in zip(nodes, order):
        entry["grads"] = [[min(n, n_fwd + 1), number(1.0)]] if v is root else []
        entry["local"] = entry["chain"] = entry["rule"] = ""
    data["touched"] = [[] for _ in range(n + 1)]
    svg = _picture(view, {}, False)
    rows = "".join(
        f'<label class="cg-q" data-node="{i}">{html.escape(d + names[v])} = '
        f'<input type="text" inputmode="decimal" size="10" autocomplete="off" '
        f'aria-label="{html.escape(d + names[v])}"><span class="cg-hint"></span></label>'
        for i, v in questions
    )
    panel = (
        f'<div class="cg-practice">Work out each gradient and press Enter (checked to '
        f"{SIGNIFICANT} significant digits). Score: "
        f'<span data-role="score">0 / {len(questions)}</span>{rows}</div>'
    )
    r = names[root]
    start = f"practice: work out {len(questions)} gradients of {r} (d{r}/d{r} = 1, the seed)"
    fragment = _fragment(svg, data, n, n_fwd, start, None, names[root], panel)
    return Player(fragment, f"backprop practice: {names[root]} (chaingrad)", svg)


def picture(
    root: Value, *, max_nodes: int = 1000, precision: int | None = 4, local_grads: bool = True
) -> str:
    """The player's picture of ``root``'s graph alone: one ``<svg>`` with the player's
    ``data-node``/``data-field`` hooks and every gradient of one ``backward()`` filled in,
    equal to ``player(root).svg``, without the steps and texts a player page computes; for
    pages that refresh the numbers in it themselves (``nn.TrainingView``).

    Args:
        root: the graph's output.
        max_nodes: the largest graph drawn (``ValueError`` past it, as ``render``).
        precision: decimals of the numbers (``None``: exact).
        local_grads: write each arrow's local derivative on it (False: a picture whose only
            numbers are the boxes' data and grad).

    Returns:
        The SVG element as text.

    Examples:
        >>> from autograd import Value, player
        >>> from autograd.extend import picture
        >>> J = Value(2.0, label='a') * 3.0
        >>> picture(J) == player(J).svg
        True
    """
    viz._check_options(None, True, max_nodes, local_grads)
    view = GraphView.checked(root, max_nodes, None, precision=precision, constants=False)
    return _picture(view, view.grads, local_grads)


def _picture(view: GraphView, final: dict[Value, float], local_grads: bool) -> str:
    """The marked SVG of ``view`` with the gradients ``final``."""
    elements: dict[str, tuple[str, int]] = {}
    body = viz._dot_body(
        view,
        rankdir=None,
        show_grad=True,
        local_grads=local_grads,
        legend=True,
        grads=final,
        final=final,
        elements=elements,
    )
    return _marked_svg(renderer.pipe(viz._HEAD + "".join(body) + viz._TAIL, "svg"), elements)


def _hint(
    v: Value, d: str, names: dict[Value, str], received: list[tuple[Value, float, float]]
) -> str:
    """The chain-rule sum a gradient is made of, in symbols only."""
    terms = _shorten([f"{d}{names[n]} · ∂{names[n]}/∂{names[v]}" for n, _, _ in received])
    return f"{d}{names[v]} = {' + '.join(terms)}"


# ---------------------------------------------------------------- texts


def _start_caption(n: int, n_fwd: int, n_bwd: int) -> str:
    if not n:
        return "step 0: the graph is a single value, so there is nothing to compute"
    return (
        f"step 0 of {n}: only the leaves (inputs, parameters, constants) hold their data; "
        f"{n_fwd} forward steps compute the other values, then {n_bwd} backward steps "
        "hand the gradients back"
    )


def _rule_text(
    v: Value, names: dict[Value, str], local: tuple[float, ...], number: Callable[[Any], str]
) -> str:
    """An op's local derivatives with the rule they come from: ``∂u/∂b = c = 2.0000``."""
    rules = local_rules(v, names)
    parts = [
        f"∂{names[v]}/∂{names[p]} = {rule + ' = ' if rule else ''}{number(d)}"
        for p, d, rule in zip(v.parents, local, rules)
    ]
    if len(parts) > 12:
        parts = [*parts[:10], f"… {len(parts) - 11} more …", parts[-1]]
    return "\n".join(parts)


def _local_text(
    v: Value, names: dict[Value, str], local: tuple[float, ...], number: Callable[[Any], str]
) -> str:
    parts = [f"∂{names[v]}/∂{names[p]} = {number(d)}" for p, d in zip(v.parents, local)]
    if len(parts) > 12:
        parts = [*parts[:10], f"… {len(parts) - 11} more …", parts[-1]]
    return "   ".join(parts)


def _chain_text(
    v: Value,
    root: Value,
    d: str,
    names: dict[Value, str],
    received: list[tuple[Value, float, float]],
    totals: dict[Value, float],
    number: Callable[[Any], str],
) -> str:
    """The whole chain-rule sum for ``v``: ``dJ/da = dJ/dv · ∂v/∂a + ... = 3.0000 · 1.0000
    + ... = 4.0000``, one term per use of ``v``."""
    if v is root:
        return f"{d}{names[v]} = {number(1.0)} (the seed of backward())"
    if not received:
        return ""
    terms = _shorten([f"{d}{names[n]} · ∂{names[n]}/∂{names[v]}" for n, _, _ in received])
    values = _shorten([f"{number(g)} · {number(local)}" for _, g, local in received])
    total = number(totals[v])
    return f"{d}{names[v]} = {' + '.join(terms)} = {' + '.join(values)} = {total}"


# ---------------------------------------------------------------- the page


_HOOKS = {
    "node": "data-node",
    "op": "data-op",
    "local": "data-local",
    "copy": "data-copy",
    "into": "data-into",
    "out": "data-out",
}


def _marked_svg(svg: bytes, elements: dict[str, tuple[str, int]]) -> str:
    """Graphviz's SVG with the player's hooks: ``data-node``/``data-field`` on the value boxes,
    ``data-op``, ``data-local``, ``data-copy`` and ``data-into``/``data-out`` on ops, arrow
    numbers, copies of far inputs and arrows; without ids (two players on one page must not
    share any) or tooltips. Graphviz titles each group with the name the DOT gave it, and
    ``elements`` (filled as the DOT was written) says what that name stands for."""
    import xml.etree.ElementTree as ET

    ET.register_namespace("", _SVG)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    top = ET.fromstring(svg)
    g_tag, title_tag, text_tag = f"{{{_SVG}}}g", f"{{{_SVG}}}title", f"{{{_SVG}}}text"
    for el in top.iter():
        el.attrib.pop("id", None)
        if el.attrib.pop("font-family", None):  # the stylesheet sets it once (a tenth of the size)
            el.set("class", "cg-t")
    for g in top.iter(g_tag):
        title = g.find(title_tag)
        if title is None:
            continue
        mark = elements.get((title.text or "").strip())
        g.remove(title)
        if mark is None:
            continue
        kind, i = mark
        g.set(_HOOKS[kind], str(i))
        if kind == "node":
            for t in g.iter(text_tag):
                _field(t)
    top.set("class", "cg-svg")
    return ET.tostring(top, encoding="unicode")


def _field(t: ET.Element) -> None:
    """``<text>data 5.0000</text>`` -> ``<text>data <tspan data-field="data">5.0000</tspan>``."""
    import xml.etree.ElementTree as ET

    text = t.text or ""
    for field in ("data", "grad"):
        if text.startswith(field) and (len(text) == len(field) or text[len(field)] in " \xa0"):
            t.text = text[: len(field) + 1] if len(text) > len(field) else field + " "
            span = ET.SubElement(t, f"{{{_SVG}}}tspan", {"data-field": field})
            span.text = text[len(field) + 1 :]
            return


@cache
def _asset(name: str) -> str:
    from importlib import resources

    return resources.files("autograd.display").joinpath(name).read_text(encoding="utf-8")


def _script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element: no ``</script>``, no ``<!--``."""
    import json

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _fragment(
    svg: str,
    data: Any,
    n: int,
    n_fwd: int,
    summary: str,
    text: str | None,
    root_name: str,
    panel: str = "",
) -> str:
    import html

    e = html.escape
    buttons = "".join(
        f'<button type="button" data-action="{action}" title="{e(hint)}">{e(label)}</button>'
        for action, label, hint in (
            ("first", "|◀", "first step (Home)"),
            ("prev", "◀", "previous step (←)"),
            ("play", "play", "play / pause (space)"),
            ("next", "▶", "next step (→)"),
            ("last", "▶|", "last step (End)"),
            ("zoom-out", "−", "zoom out (-)"),
            ("fit", "fit", "fit the drawing to the page (0)"),
            ("zoom-in", "+", "zoom in (+)"),
        )
    )
    speeds = "".join(
        f'<option value="{ms}"{" selected" if ms == 900 else ""}>{label}</option>'
        for ms, label in ((2000, "slow"), (900, "normal"), (400, "fast"), (150, "fastest"))
    )
    at = 100 * n_fwd / n if n else 0
    states = (
        '<div class="cg-states"><span class="cg-s cg-s-pending">not yet computed</span>'
        '<span class="cg-s cg-s-fwd">forward: computing this value</span>'
        '<span class="cg-s cg-s-current">being processed</span>'
        '<span class="cg-s cg-s-updated">just updated gradient</span></div>\n'
    )
    return (
        f'<div class="chaingrad-player" tabindex="0" aria-label="backprop player of '
        f'{e(root_name)}">\n<style>{_asset("player.css")}</style>\n'
        f'<div class="cg-bar" hidden>{buttons}'
        f'<span class="cg-track"><input type="range" data-role="slider" min="0" max="{n}" '
        f'value="{n}" aria-label="step"><span class="cg-mark" data-role="forward-end" '
        f'data-step="{n_fwd}" style="left: {at:.2f}%" title="forward ends here"></span></span>'
        f'<span data-role="step">{n} / {n}</span>'
        f'<label>speed <select data-role="speed">{speeds}</select></label></div>\n'
        f'<div class="cg-caption" data-role="caption">{e(summary)}</div>\n'
        + states
        + f'<div class="cg-graph">{svg}</div>\n'
        + (
            f"{panel}\n"
            if text is None
            else '<div class="cg-info" data-role="info">click or point at a value to see its '
            "chain-rule sum</div>\n"
            "<noscript><p>JavaScript is off: this is the finished graph, every value and "
            "gradient filled in.</p></noscript>\n"
            "<details><summary>the backward pass as text (autograd.explain)</summary>"
            f"<pre>{e(text)}</pre></details>\n"
        )
        + f'<script type="application/json" class="cg-data">{_script_json(data)}</script>\n'
        f"<script>{_asset('player.js')}</script>\n</div>"
    )


def _save_page(root: Value, path: Path, **options: Any) -> Path:
    """``render(root, "page.html")``: the player's page."""
    return player(root, **options).save(path)


viz.PAGE_WRITERS["html"] = _save_page
