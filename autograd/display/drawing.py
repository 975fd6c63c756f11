"""Drawing computation graphs: DOT source, rendered files and a backward flip book.

The picture is the lecture's: every value is a box ``label | data 5.0000 | grad 3.0000`` and every
op a small node between its inputs and its result, flowing left to right. Colours tell roles
apart: inputs (blue), parameters (orange), intermediates (grey), the output (green).

A value used far from where it is made is drawn again beside each distant use (a dashed
box), and drawings have size limits (``max_nodes``, ``max_edges``, the flip book's
``max_steps``), so that every drawing the limits let through is laid out in seconds.

Rendering uses the system Graphviz ``dot`` when it is installed, and otherwise the
``graphviz-pure`` executable that ``pip install chaingrad`` brings along, so SVG and PNG work
after a plain pip install. Where neither can run (Pyodide has no processes), SVG is laid out
in pure Python by ``autograd.display.layout``; ``CHAINGRAD_LAYOUT`` (auto, python, graphviz)
chooses.
Nothing here imports the ``graphviz`` Python package until ``draw_dot`` is called, which keeps
``import autograd`` fast.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograd.core.value import Constant, Value
from autograd.display import renderer
from autograd.display.formatting import one_line as _plain
from autograd.display.view import (
    GraphTooLargeError,
    GraphView,
    _check_limit,
    checked_order,
    op_symbol,
)

if TYPE_CHECKING:
    import graphviz

__all__ = ["GraphTooLargeError", "checked_order", "draw_dot", "render", "render_steps", "to_dot"]

RANKDIRS = ("LR", "RL", "TB", "BT")
FORMATS = ("svg", "png", "pdf", "dot", "html")  # html: the backprop player (autograd.player)

# Writers of the formats a higher layer draws: autograd.player registers "html" when it is
# imported (which `import autograd` does). It draws with this module, so this module does not
# import it: imports only go downward.
PAGE_WRITERS: dict[str, Callable[..., Path]] = {}

_FONT = "Helvetica"  # graphviz-pure has metrics for it (Times is the other choice)
# Role colours from the Okabe-Ito palette, chosen to stay apart under protanopia and
# deuteranopia as well as for normal vision (tests/test_viz.py simulates both and checks every
# pair); black text reads on each. A constant has no fill and a dashed border, so it differs
# in shape as well as in colour.
_COLOURS = {
    "input": "#56b4e9",  # sky blue
    "parameter": "#e69f00",  # orange
    "constant": "#ffffff",  # white, dashed border
    "intermediate": "#cccccc",  # grey
    "output": "#009e73",  # bluish green
}
_BORDER = "#495057"
_EDGE_LABEL = "#0072b2"  # Okabe-Ito blue: the local derivatives on the edges
_HIGHLIGHT_FILL = "#f0e442"  # Okabe-Ito yellow: the node being processed
_HIGHLIGHT_BORDER = "#d55e00"  # Okabe-Ito vermillion


# ---------------------------------------------------------------- text and numbers


def _label_table() -> dict[int, str]:
    """The character map that makes any text safe and literal in an HTML-like label."""
    # Characters XML (hence SVG) cannot carry, or that Graphviz silently drops, become their
    # Unicode "control picture" (U+2400 block), or U+FFFD for lone surrogates.
    table = {c: chr(0x2400 + c) for c in range(0x20) if c != 0x0A}
    table[0x7F] = "\u2421"
    for c in (*range(0xD800, 0xE000), 0xFFFE, 0xFFFF):
        table[c] = "\ufffd"
    # Entities for the markup characters; the backslash is doubled because Graphviz expands
    # \N, \G, \L, ... even inside HTML-like labels.
    for ch, entity in {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}.items():
        table[ord(ch)] = entity
    table[ord("\\")] = "\\\\"
    return table


_LABEL_TABLE = _label_table()


def _html_text(text: str) -> str:
    """``text`` as the content of a Graphviz HTML-like label, shown literally.

    HTML-like labels rather than record labels, because tried through a real render they keep
    every character, where records trim spaces and mangle some non-ASCII text. Newlines
    become line breaks and tabs spaces.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<BR/>".join(line.expandtabs(4).translate(_LABEL_TABLE) for line in lines)


# ---------------------------------------------------------------- DOT


def _check_options(
    rankdir: str | None,
    show_grad: bool,
    max_nodes: int,
    local_grads: bool = True,
    legend: bool = True,
) -> None:
    if rankdir is not None and rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)} or None, not {rankdir!r}")
    for name, flag in (("show_grad", show_grad), ("local_grads", local_grads), ("legend", legend)):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be a bool, not {type(flag).__name__}")
    _check_limit("max_nodes", max_nodes)


def _name_cell(v: Value, name: str, cell: str) -> str | None:
    """The first cell of a value's box: its label, and the ``#i`` that ``explain`` calls it by
    when it has no label of its own or shares it (``w#3``); none for a bare constant."""
    if not v.label and isinstance(v, Constant):
        return None  # its data cell says what it is
    return f"{cell}{_html_text(_shown_name(v, name))}</TD>"


def _shown_name(v: Value, name: str) -> str:
    """The name a value is drawn with: its label as the user wrote it, and the ``#3`` of its
    name in ``explain`` when another value has the same label; else that name itself."""
    return v.label + name[len(_plain(v.label)) :]


def _value_label(
    v: Value,
    name: str,
    data: str,
    grad: str | None,
    *,
    fill: str,
    border: str,
    grad_width: int | None,
    dashed: bool = False,
) -> str:
    style = ' STYLE="dashed"' if dashed else ""
    cell = f'<TD COLOR="{border}"{style}>'
    cells = []
    first = _name_cell(v, name, cell)
    if first is not None:
        cells.append(first)
    cells.append(f"{cell}data {data}</TD>")
    if grad is not None:
        # In the flip book every grad cell keeps its final width, so nodes do not move
        # between pages when a gradient gets filled in.
        width = f' WIDTH="{grad_width}"' if grad_width is not None else ""
        text = f"grad {grad}" if grad else "grad"  # blank: not known yet
        cells.append(f'<TD COLOR="{border}"{width}{style}>{text}</TD>')
    return (
        f'<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4" '
        f'BGCOLOR="{fill}">{"<TR>" + "".join(cells) + "</TR>"}</TABLE>>'
    )


def _text_width(text: str, size: int = 14) -> int:
    # An upper bound of the text's width in points at font size ``size``: Helvetica's
    # digits, the letters of "grad" and signs are all under 0.6 em; plus the cell padding.
    return int(len(text) * size * 0.6) + 12


_LEGEND_ORDER = ("input", "parameter", "constant", "intermediate", "output")


def _legend(roles: set[str], *, edges: bool, highlight: bool, copies: bool = False) -> str:
    """One row of swatches for the roles that appear, then what the other marks mean."""
    cells = []
    for role in _LEGEND_ORDER:
        if role in roles:
            dashed = ' STYLE="dashed"' if role == "constant" else ""
            cells.append(f'<TD BGCOLOR="{_COLOURS[role]}" COLOR="{_BORDER}"{dashed}>{role}</TD>')
    if highlight:
        cells.append(
            f'<TD BGCOLOR="{_HIGHLIGHT_FILL}" COLOR="{_HIGHLIGHT_BORDER}">being processed</TD>'
        )
    if copies:  # see _far_uses: a rounded dashed box with the value's name
        cells.append(
            f'<TD BORDER="0"><TABLE STYLE="rounded,dashed" BORDER="1" CELLBORDER="0" '
            f'COLOR="{_BORDER}" BGCOLOR="{_COLOURS["intermediate"]}" CELLPADDING="1"><TR><TD>'
            'name</TD></TR></TABLE></TD><TD BORDER="0">a value drawn again beside a distant '
            "use</TD>"
        )
    if edges:
        cells.append(
            f'<TD BORDER="0"><FONT COLOR="{_EDGE_LABEL}">1.5</FONT> on an arrow: the local '
            "derivative of the result with respect to that input</TD>"
        )
    table = '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="4" CELLPADDING="3">'
    return f'<TR><TD BORDER="0" ALIGN="LEFT">{table}<TR>{"".join(cells)}</TR></TABLE></TD></TR>'


_CAPTION_SIZE = 12
_LINE_HEIGHT = 15  # points per caption line at _CAPTION_SIZE, with Graphviz's spacing


def _caption_box(lines: list[str]) -> tuple[int, int]:
    """(width, height) in points that fits the caption ``lines``."""
    width = max((_text_width(line, _CAPTION_SIZE) for line in lines), default=0)
    return width, _LINE_HEIGHT * len(lines) + 8


def _graph_label(legend: str | None, caption: list[str] | None, box: tuple[int, int] | None) -> str:
    """The graph's label below the drawing: the flip book's caption, then the legend."""
    rows = []
    if caption is not None:
        size = ""
        if box is not None:  # the same box on every page, so the drawing never moves
            size = f' WIDTH="{box[0]}" HEIGHT="{box[1]}" FIXEDSIZE="TRUE"'
        text = '<BR ALIGN="LEFT"/>'.join(_html_text(line) for line in caption)
        rows.append(
            f'<TR><TD BORDER="0" ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP"{size}>'
            f'<FONT POINT-SIZE="{_CAPTION_SIZE}">{text}<BR ALIGN="LEFT"/></FONT></TD></TR>'
        )
    if legend is not None:
        rows.append(legend)
    if not rows:
        return ""
    return (
        f'\tgraph [labelloc=b, labeljust=l, fontsize=11, label=<<TABLE BORDER="0" '
        f'CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">{"".join(rows)}</TABLE>>]\n'
    )


def auto_rankdir(view: GraphView) -> str:
    """``"LR"`` (left to right) or ``"TB"`` (top to bottom), whichever draws the graph less
    wide, since pages and notebook cells scale a drawing down to their width: a short graph
    with few values side by side (the lecture's) reads best top to bottom, a layered network
    left to right. Widths are estimated from the boxes' text and the ranks (``view.ranks``);
    left to right on a tie."""
    rows: dict[int, list[int]] = {}
    for k, v in enumerate(view.order):
        text = f"{view.names[v]} data {view.num(v.data)} grad {view.num(0.5)}"
        rows.setdefault(view.ranks[k], []).append(_text_width(text) + 24)
    op_ranks = {view.ranks[k] for k, v in enumerate(view.order) if v.parents}
    lr = sum(max(ws) for ws in rows.values()) + 110 * len(op_ranks)
    tb = max(sum(ws) + 18 * len(ws) for ws in rows.values())
    return "TB" if tb < lr else "LR"


def _dot_body(
    view: GraphView,
    *,
    rankdir: str | None,
    show_grad: bool,
    local_grads: bool = True,
    legend: bool = True,
    grads: Mapping[Value, Any] | None = None,
    final: Mapping[Value, Any] | None = None,
    highlight: Value | None = None,
    caption: list[str] | None = None,
    caption_box: tuple[int, int] | None = None,
    elements: dict[str, tuple[str, int]] | None = None,
) -> list[str]:
    """The statements of the graph, one per line as graphviz.Digraph keeps its ``body``.

    ``grads`` replaces the nodes' ``.grad`` (nodes missing from it show a blank gradient) and
    ``final`` holds the gradients at the end, which size the grad cells so that the boxes keep
    their size whatever ``grads`` shows; ``highlight`` marks the node being processed and
    ``caption`` is written under the drawing: they serve the flip book and the player.
    ``elements``, when given, receives what each DOT node and edge stands for (Graphviz keeps
    these names as the titles of the SVG groups): ``"v3"`` the box of value 3 is
    ``("node", 3)``, its op ``("op", 3)``, a number on an arrow into it ``("local", 3)``, a
    copy of value 1 beside it ``("copy", 1)``, an arrow into the op ``("into", 3)`` and the one
    out of it ``("out", 3)``.
    """
    order, _root, _index, names = view.order, view.root, view.index, view.names
    marks: dict[str, tuple[str, int]] = {} if elements is None else elements
    rankdir = rankdir or auto_rankdir(view)
    steps = grads is not None
    body = [
        # nslimit=1 caps the network-simplex passes that place nodes: without it a leaf
        # feeding ops all along a long chain takes minutes to lay out (its long edges become
        # hundreds of thousands of virtual nodes); small graphs come out the same either way.
        f"\tgraph [rankdir={rankdir}, fontname={_FONT}, nodesep=0.25, ranksep=0.4, nslimit=1]\n",
        f"\tnode [fontname={_FONT}, fontsize=14]\n",
        f'\tedge [color="{_BORDER}", arrowsize=0.7]\n',
    ]
    roles: set[str] = set()
    far = view.far
    num = view.num
    # Before backward() every gradient is 0: drawn blank, as not computed yet.
    computed = grads is not None or any(v.grad != 0 for v in order)
    for k, v in enumerate(order):
        grad: str | None = None
        grad_width = None
        if show_grad and view.shown(v):
            if grads is None:
                grad = num(v.grad) if computed else ""
            else:
                grad = num(grads[v]) if v in grads else ""
                last = v.grad if final is None else final.get(v, 0.0)
                grad_width = _text_width(f"grad {num(last)}")
        role = view.roles[k]
        roles.add(role)
        fill, border = _COLOURS[role], _BORDER
        if v is highlight:
            fill, border = _HIGHLIGHT_FILL, _HIGHLIGHT_BORDER
        label = _value_label(
            v,
            names[v],
            num(v.data),
            grad,
            fill=fill,
            border=border,
            grad_width=grad_width,
            dashed=role == "constant" and v is not highlight,
        )
        body.append(f"\tv{k} [shape=plain, label={label}]\n")
        marks[f"v{k}"] = ("node", k)
        if not v.parents:
            continue
        body.append(
            f'\to{k} [shape=ellipse, style=filled, fillcolor=white, color="{_BORDER}", '
            f"fontsize=12, width=0.3, height=0.3, margin=0.04, ordering=in, "
            f"label=<{_html_text(op_symbol(v))}>]\n"
        )
        body.append(f"\to{k} -> v{k}\n")
        marks[f"o{k}"] = ("op", k)
        marks[f"o{k}->v{k}"] = ("out", k)
        # In the flip book the processed node's edges are the ones gradients flow along.
        hot = f'color="{_HIGHLIGHT_BORDER}", penwidth=2' if v is highlight and steps else ""
        tails = _input_tails(body, k, v, view, marks)
        if not local_grads:
            for tail in tails:
                body.append(f"\t{tail} -> o{k}{f' [{hot}]' if hot else ''}\n")
                marks[f"{tail}->o{k}"] = ("into", k)
            continue
        # Each input's arrow carries the local derivative of this node with respect to it, as
        # a small text node d{k}_{i} on the arrow. (An edge label would say the same, but
        # Graphviz lays edge labels out as extra ranks, and a chain reusing one input then
        # takes many times longer to lay out, growing much faster than the chain.)
        for i, (tail, d) in enumerate(zip(tails, view.local[k])):
            body.append(
                f'\td{k}_{i} [shape=none, label="{num(d)}", fontsize=11, '
                f'fontcolor="{_EDGE_LABEL}", width=0, height=0, margin=0.02]\n'
            )
            body.append(f"\t{tail} -> d{k}_{i} [arrowhead=none{', ' + hot if hot else ''}]\n")
            body.append(f"\td{k}_{i} -> o{k}{f' [{hot}]' if hot else ''}\n")
            marks[f"d{k}_{i}"] = ("local", k)
            marks[f"{tail}->d{k}_{i}"] = marks[f"d{k}_{i}->o{k}"] = ("into", k)
    if legend or caption is not None:
        key = (
            _legend(roles, edges=local_grads and len(order) > 1, highlight=steps, copies=bool(far))
            if legend
            else None
        )
        body.insert(1, _graph_label(key, caption, caption_box))
    if sum(" -> " in line for line in body) > _MANY_EDGES:
        body.append("\tgraph [mclimit=0.1]\n")
    return body


def _input_tails(
    body: list[str], k: int, v: Value, view: GraphView, marks: dict[str, tuple[str, int]]
) -> list[str]:
    """The node each input's edge into op ``k`` starts from, in operand order: the input's own
    node, or for a far use (see ``_far_uses``) a copy beside the op, added to ``body`` once
    per op and input (``x * x`` far from ``x`` has one copy with two edges)."""
    tails = []
    for p in v.parents:
        j = view.index[p]
        if (k, j) not in view.far:
            tails.append(f"v{j}")
            continue
        tail = f"c{k}_{j}"
        if tail not in tails:
            body.append(_copy_node(tail, p, view.roles[j], view.names[p]))
            marks[tail] = ("copy", j)
        tails.append(tail)
    return tails


_HEAD = "digraph chaingrad {\n"
_TAIL = "}\n"
# Drawn edges past which Graphviz's crossing minimisation gets a tenth of its usual passes:
# on a wide graph (300 inputs shared by 10 sums) they are most of the layout time.
_MANY_EDGES = 1000


def _copy_node(node_id: str, v: Value, role: str, name: str) -> str:
    """A value drawn again beside a distant use: its name (the label, or the ``#i`` or number
    that ``explain`` calls it by) in a dashed, rounded box of its role's colour; its numbers
    stay on the value itself (so the player never shows a value before it is computed)."""
    text = _html_text(_shown_name(v, name))
    return (
        f'\t{node_id} [shape=box, style="rounded,filled,dashed", '
        f'fillcolor="{_COLOURS[role]}", color="{_BORDER}", fontsize=12, '
        f'width=0.3, height=0.3, margin="0.08,0.04", label=<{text}>]\n'
    )


def to_dot(
    root: Value,
    *,
    rankdir: str | None = None,
    show_grad: bool = True,
    max_nodes: int = 1000,
    max_edges: int | None = None,
    local_grads: bool = True,
    legend: bool = True,
    precision: int | None = 4,
    constants: bool = False,
) -> str:
    """The DOT source of the graph that ``root`` depends on (pure Python, no graphviz needed).

    Value nodes show ``label | data | grad`` with ``precision`` decimals (``None``: exact);
    an unlabelled value shows the name ``explain`` calls it by (``x0``, ``t1``, ``out``); a
    constant only its number, in a dashed box, and no gradient unless ``constants=True``.
    Before ``backward()`` (every gradient 0) the gradients are blank, not computed yet. Op
    nodes show the op. With ``local_grads`` each arrow from an input into its op carries the
    local derivative ∂result/∂input at the current data; with ``legend`` a key to the colours
    and marks sits under the drawing. An input more than two levels of the graph away from an
    op that uses it is drawn again beside that op, as a dashed rounded box with its name,
    instead of an edge across the picture. Node ids come from the topological order, so
    identical graphs give byte-identical DOT. A graph with more than ``max_nodes`` values, or
    more than ``max_edges`` inputs of ops in all (default: twice ``max_nodes``), raises
    ``GraphTooLargeError``, a ``ValueError`` saying how to raise the limit; any graph within
    both defaults renders in about a second.

    Args:
        root: the Value whose graph to draw.
        rankdir: the layout direction, "LR", "RL", "TB" or "BT"; None picks one from the shape.
        show_grad: show the gradients.
        max_nodes: refuse graphs of more values than this.
        max_edges: refuse graphs of more op inputs in all than this; None means 2 * max_nodes.
        local_grads: write each local derivative on its arrow.
        legend: add the key to the colours and marks.
        precision: decimals of every number; None writes each exactly.
        constants: also show the gradients of constants.

    Returns:
        The DOT source, a str.

    Raises:
        TypeError: ``root`` is not a Value, or an option of the wrong type.
        ValueError: an unknown ``rankdir``, a limit < 1, or ``precision`` outside 0 to 17.
        GraphTooLargeError: more values than ``max_nodes`` or op inputs than ``max_edges``.

    Examples:
        >>> from autograd import Value
        >>> print(to_dot(Value(2.0, label="x")))  # doctest: +ELLIPSIS
        digraph chaingrad {
        ...v0 [shape=plain, label=<<TABLE ...>x</TD>...data 2.0000</TD>...grad</TD>...
    """
    _check_options(rankdir, show_grad, max_nodes, local_grads, legend)
    view = GraphView.checked(root, max_nodes, max_edges, precision=precision, constants=constants)
    body = _dot_body(
        view, rankdir=rankdir, show_grad=show_grad, local_grads=local_grads, legend=legend
    )
    return _HEAD + "".join(body) + _TAIL


def draw_dot(
    root: Value,
    *,
    rankdir: str | None = None,
    show_grad: bool = True,
    max_nodes: int = 1000,
    max_edges: int | None = None,
    local_grads: bool = True,
    legend: bool = True,
    precision: int | None = 4,
    constants: bool = False,
    format: str = "svg",  # noqa: A002 - the name graphviz gives it
) -> graphviz.Digraph:
    """The graph as a ``graphviz.Digraph``: a notebook cell ending in it shows the picture.

    Its ``source`` is exactly ``to_dot(root, ...)``; ``format`` is what its ``render()``,
    ``pipe()`` and ``view()`` write unless told otherwise (svg, like micrograd's). The
    notebook display and those three methods use the system ``dot`` when it is installed and
    ``graphviz-pure`` otherwise, so all of them work after a plain pip install (graphviz-pure
    writes svg, png and jpeg; pdf needs the system Graphviz).

    Args:
        root: the Value whose graph to draw; the other keywords are ``to_dot``'s.
        format: what ``render()``, ``pipe()`` and ``view()`` write by default.

    Returns:
        A ``graphviz.Digraph`` whose ``source`` is ``to_dot``'s.

    Raises:
        ValueError: an unknown ``format``; the other errors are ``to_dot``'s.

    Examples:
        >>> from autograd import Value, draw_dot
        >>> a, b = Value(2.0, label='a'), Value(3.0, label='b')
        >>> g = draw_dot(a * b)
        >>> type(g).__name__, g.format
        ('Digraph', 'svg')
    """
    _check_options(rankdir, show_grad, max_nodes, local_grads, legend)
    fmt = renderer.digraph_format(format)
    view = GraphView.checked(root, max_nodes, max_edges, precision=precision, constants=constants)
    body = _dot_body(
        view, rankdir=rankdir, show_grad=show_grad, local_grads=local_grads, legend=legend
    )
    return renderer.digraph_class()(name="chaingrad", body=body, format=fmt)


def _format_of(path: Path, format: str | None) -> str:  # noqa: A002 - the public keyword
    if format is None:
        fmt = path.suffix[1:].lower()
        if not fmt:
            raise ValueError(
                f"cannot tell the format of {str(path)!r}: give it a suffix "
                f"({', '.join('.' + f for f in FORMATS)}) or pass format="
            )
    elif isinstance(format, str):
        fmt = format.lower().lstrip(".")
    else:
        raise TypeError(f"format must be a str, not {type(format).__name__}")
    if fmt not in FORMATS:
        raise ValueError(f"unsupported format {fmt!r}: use one of {', '.join(FORMATS)}")
    return fmt


def render(
    root: Value,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,  # noqa: A002 - the name users know from graphviz
    rankdir: str | None = None,
    show_grad: bool = True,
    max_nodes: int = 1000,
    max_edges: int | None = None,
    local_grads: bool = True,
    legend: bool = True,
    precision: int | None = 4,
    constants: bool = False,
) -> Path:
    """Draw the graph of ``root`` into ``path`` (svg, png, dot; pdf with system Graphviz; html:
    the backprop player, see ``autograd.player``).

    The format comes from the suffix unless ``format`` is given. Uses the system ``dot`` when
    present, otherwise ``graphviz-pure``; nothing is written if rendering fails. The other
    keywords are ``to_dot``'s (an html page always has its legend and gradients).

    Args:
        root: the Value whose graph to draw.
        path: the file to write.
        format: svg, png, pdf, dot or html; None reads it from the suffix of ``path``.
        rankdir: the layout direction, "LR", "RL", "TB" or "BT"; None picks one from the shape.
        show_grad: show the gradients.
        max_nodes: refuse graphs of more values than this.
        max_edges: refuse graphs of more op inputs in all than this; None means 2 * max_nodes.
        local_grads: write each local derivative on its arrow.
        legend: add the key to the colours and marks.
        precision: decimals of every number; None writes each exactly.
        constants: also show the gradients of constants.

    Returns:
        ``path``, as a ``Path``.

    Raises:
        TypeError: ``root`` is not a Value, or an option of the wrong type.
        ValueError: an unknown or missing format, an unknown ``rankdir``, a limit < 1, or
            ``precision`` outside 0 to 17.
        GraphTooLargeError: more values than ``max_nodes`` or op inputs than ``max_edges``.
        RuntimeError: no renderer can write the format (pdf without Graphviz), or it failed.

    Examples:
        >>> import pathlib, tempfile
        >>> from autograd import Value, render
        >>> a, b = Value(2.0, label='a'), Value(3.0, label='b')
        >>> path = render(a * b, pathlib.Path(tempfile.mkdtemp()) / 'ab.svg')
        >>> path.name, path.stat().st_size > 0
        ('ab.svg', True)
    """
    out = Path(path)
    fmt = _format_of(out, format)
    if fmt == "html":  # the interactive page, written by the player's module
        _check_options(rankdir, show_grad, max_nodes, local_grads, legend)
        return PAGE_WRITERS["html"](
            root,
            out,
            max_nodes=max_nodes,
            max_edges=max_edges,
            local_grads=local_grads,
            precision=precision,
            constants=constants,
        )
    source = to_dot(
        root,
        rankdir=rankdir,
        show_grad=show_grad,
        max_nodes=max_nodes,
        max_edges=max_edges,
        local_grads=local_grads,
        legend=legend,
        precision=precision,
        constants=constants,
    )
    data = source.encode("utf-8") if fmt == "dot" else renderer.pipe(source, fmt)
    out.write_bytes(data)
    return out


def render_steps(
    root: Value,
    folder: str | os.PathLike[str],
    *,
    format: str = "svg",  # noqa: A002
    rankdir: str | None = None,
    max_nodes: int = 1000,
    max_edges: int | None = None,
    max_steps: int | None = None,
    local_grads: bool = True,
    legend: bool = True,
    precision: int | None = 4,
    constants: bool = False,
) -> list[Path]:
    """Backprop as a flip book: one picture per backward step, in the engine's order.

    Step k highlights the k-th node the engine processes (the output first, then towards the
    inputs) and its edges to its inputs; it shows the gradients known once that node has
    handed its share to its inputs, and leaves the others blank. A node used more than once
    shows its running total until its last consumer is processed. Under the drawing, each
    page states its step's arithmetic, the lines ``explain`` writes for it, so a page can be
    read on its own. Files are ``step_001.svg``, ... in ``folder`` (created if needed); the
    pages of an earlier flip book there are replaced (files named ``step_<digits>.<format>``;
    other files are left alone, and nothing is removed if drawing fails). No node's ``.grad``
    is changed. A graph whose root is a leaf has no step to take and gives one picture of the
    seeded root.

    Every page is a full drawing, so the work grows with pages times edges: a graph of more
    than ``max_steps`` steps is refused (``GraphTooLargeError``, whose message says which
    limit was hit and the ``max_steps`` that draws every page). By default ``max_steps`` is
    as many pages as keep pages × edges within 12,000 (and at least 10), a few seconds of
    layout in all: 109 steps of a chain, 40 of a 300-edge graph, 17 of the README's
    ``MLP(2, [16, 16, 1])`` on one sample (69 steps: pass ``max_steps=69``, or step through
    it with ``autograd.player``, which lays the graph out once).

    Args:
        root: the Value whose backward pass to draw.
        folder: the folder of the pages, created if needed.
        format: the pages' format: svg, png, pdf or dot.
        rankdir: the layout direction, "LR", "RL", "TB" or "BT"; None picks one from the shape.
        max_nodes: refuse graphs of more values than this.
        max_edges: refuse graphs of more op inputs in all than this; None means 2 * max_nodes.
        max_steps: refuse graphs of more steps than this; None means the default above.
        local_grads: write each local derivative on its arrow.
        legend: add the key to the colours and marks.
        precision: decimals of every number; None writes each exactly.
        constants: also show the gradients of constants.

    Returns:
        The pages' paths, in step order.

    Raises:
        TypeError: ``root`` is not a Value, or an option of the wrong type.
        ValueError: an unknown format (html too), an unknown ``rankdir``, a limit < 1, or
            ``precision`` outside 0 to 17.
        GraphTooLargeError: more values, op inputs or steps than the limits.
        RuntimeError: no renderer can write the format (pdf without Graphviz), or it failed.

    Examples:
        >>> import pathlib, tempfile
        >>> from autograd import Value, render_steps
        >>> a, b = Value(2.0, label='a'), Value(3.0, label='b')
        >>> out = pathlib.Path(tempfile.mkdtemp())
        >>> pages = render_steps(a * b + a, out)
        >>> sorted(p.name for p in out.iterdir())
        ['step_001.svg', 'step_002.svg']
    """
    fmt = _format_of(Path("steps"), format)
    if fmt == "html":
        raise ValueError(
            "a flip book is a folder of pictures (svg, png, pdf, dot); for one page that steps "
            "through the graph use render(root, 'graph.html') or autograd.player(root)"
        )
    _check_options(rankdir, True, max_nodes, local_grads, legend)
    view = GraphView.checked(root, max_nodes, max_edges, precision=precision, constants=constants)
    _check_steps(view.order, max_steps)
    rankdir = rankdir or auto_rankdir(view)  # one direction for every page
    out_dir = Path(folder)
    # The pages follow backward_steps: the engine's order and exactly the amounts it adds.
    known: dict[Value, Any] = {root: 1.0}
    frames: list[tuple[Value, dict[Value, Any], list[str]]] = []
    for (step, _), lines in zip(view.walked, view.lines):
        for c in step.contributions:
            known[c.parent] = known.get(c.parent, 0.0) + c.product
        frames.append((step.node, dict(known), lines))
    if not frames:
        name = view.names[root]
        seed = view.num(1.0)
        frames.append((root, dict(known), [f"{name} is a leaf: d{name}/d{name} = {seed}"]))
    box = (
        max(_caption_box(lines)[0] for _, _, lines in frames),
        max(_caption_box(lines)[1] for _, _, lines in frames),
    )
    width = max(3, len(str(len(frames))))
    sources = [
        _HEAD
        + "".join(
            _dot_body(
                view,
                rankdir=rankdir,
                show_grad=True,
                local_grads=local_grads,
                legend=legend,
                grads=g,
                final=known,
                highlight=v,
                caption=lines,
                caption_box=box,
            )
        )
        + _TAIL
        for v, g, lines in frames
    ]
    exe = None if fmt == "dot" else renderer.renderer_for(fmt)  # fail before creating the folder
    # Every page is drawn before the folder is touched: a failure leaves an earlier flip book
    # as it was, and a success replaces it whole (no stale pages past the new last one).
    pages = [
        source.encode("utf-8") if exe is None else renderer.pipe(source, fmt, exe)
        for source in sources
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in _frames_in(out_dir):
        stale.unlink(missing_ok=True)
    paths = []
    for k, data in enumerate(pages, start=1):
        path = out_dir / f"step_{k:0{width}d}.{fmt}"
        path.write_bytes(data)
        paths.append(path)
    return paths


_STEPS_WORK = 12_000  # pages × edges a flip book draws by default: a few seconds of layout


def _check_steps(order: list[Value], max_steps: int | None) -> None:
    """Refuse a flip book of more pages than ``max_steps`` (default: see render_steps)."""
    steps = sum(1 for v in order if v.parents)
    edges = sum(len(v.parents) for v in order)
    if max_steps is None:
        limit = max(10, _STEPS_WORK // max(edges, 1))
        reason = (
            f"the flip book lays out a whole drawing for every step, and by default it draws "
            f"at most {_STEPS_WORK:,} pages × edges in all (a few seconds); this graph has "
            f"{edges} edges, so {limit} pages"
        )
    else:
        _check_limit("max_steps", max_steps)
        limit, reason = max_steps, "the flip book lays out a whole drawing for every step"
    if steps > limit:
        raise GraphTooLargeError(
            f"the backward pass has {steps} steps",
            limit="max_steps",
            value=limit,
            count=steps,
            reason=reason,
            action=(
                "draw them all (each page takes as long as one render() of the graph), or use "
                "autograd.player(root): one page that steps through the same pass"
            ),
            text_view=False,
            default=max_steps is None,
        )


def _frames_in(folder: Path) -> list[Path]:
    """The pages an earlier ``render_steps`` left in ``folder``: files named ``step_``, three
    or more digits and one of the formats (``step_001.svg``, ``step_1000.png``), nothing else."""
    if not folder.is_dir():
        return []
    frames = []
    for path in folder.iterdir():
        stem, _, suffix = path.name.partition(".")
        number = stem[len("step_") :]
        if (
            stem.startswith("step_")
            and len(number) >= 3
            and number.isascii()
            and number.isdigit()
            and suffix in FORMATS
            and not path.is_dir()
        ):
            frames.append(path)
    return frames
