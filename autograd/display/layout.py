"""Graph layout without Graphviz: chaingrad's DOT in, SVG out, in pure Python.

Where no ``dot`` process can be run (Pyodide in a browser, a machine without Graphviz or
graphviz-pure), drawings and the player are laid out here. ``dot_to_svg(source)`` reads the
subset of DOT that ``to_dot`` writes and returns SVG shaped like Graphviz's where
chaingrad reads it: a ``<g class="node">`` per node and a ``<g class="edge">`` per edge, each
with its DOT name as ``<title>`` (``v3``, ``o4``, ``v2->d4_0``), one ``<text>`` per line of a
table cell, and the table's background as the node's first ``<polygon>``.

Contract, in short:

- Input: ``digraph`` with ``graph``/``node``/``edge`` defaults, node and edge statements,
  quoted, plain and HTML-like values (tables, rows, cells, ``FONT``, ``BR``). Anything else
  (subgraphs, ports, undirected edges, an attribute this module does not draw) is refused with
  a ``ValueError`` naming it: a picture that silently ignores part of its source would lie.
- Layout: ``autograd.display.layered`` (Sugiyama's layered method: ranks, virtual nodes for long
  edges, barycentre crossing reduction, positions by least squares), on the nodes' sizes.
  The edges are cubic curves through their virtual nodes, with Graphviz's arrowheads.
- Text is measured with Helvetica's advance widths (the metrics Arial and Liberation Sans
  share, which is what a browser draws ``Helvetica,sans-Serif`` with), so boxes fit their text.
- The same source always gives the same SVG, and boxes keep their place when only colours or
  texts of the same width change (the flip book relies on it).

This module and ``autograd.display.layered`` import nothing else from chaingrad.
"""

from __future__ import annotations

import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from autograd.display.layered import layered

__all__ = ["dot_to_svg"]

_POINTS_PER_INCH = 72.0
_LINE = 1.2  # line height as a multiple of the font size, as Graphviz spaces lines
_MARGIN = 4.0  # points of white around the drawing

# Helvetica's advance widths (per 1000 em) for printable ASCII, from its font metrics.
_ASCII_WIDTHS = (
    # space ! " # $ % & ' ( ) * + , - . /
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    # 0-9
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556,
    # : ; < = > ? @
    278, 278, 584, 584, 584, 556, 1015,
    # A-Z
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611,
    # [ \ ] ^ _ `
    278, 278, 278, 469, 556, 333,
    # a-z
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833,
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500,
    # { | } ~
    334, 260, 334, 584,
)  # fmt: skip


def text_width(text: str, size: float) -> float:
    """The width in points of ``text`` in Helvetica at ``size`` points.

    Characters outside ASCII take 0.6 em (Greek, math signs, the control pictures), wide East
    Asian characters a whole em.
    """
    total = 0
    for ch in text:
        c = ord(ch)
        if 32 <= c < 127:
            total += _ASCII_WIDTHS[c - 32]
        elif unicodedata.east_asian_width(ch) in "WF":
            total += 1000
        elif unicodedata.combining(ch):
            continue
        else:
            total += 600
    return total * size / 1000.0


# ---------------------------------------------------------------- reading DOT


@dataclass
class _Node:
    name: str
    attrs: dict[str, str]


@dataclass
class _Edge:
    tail: str
    head: str
    attrs: dict[str, str]


@dataclass
class _Graph:
    name: str
    attrs: dict[str, str] = field(default_factory=dict)
    nodes: dict[str, _Node] = field(default_factory=dict)
    edges: list[_Edge] = field(default_factory=list)


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<comment>//[^\n]*|/\*.*?\*/|\#[^\n]*)
      | (?P<arrow>->|--)
      | (?P<punct>[\[\]{}=,;:])
      | (?P<quoted>"(?:[^"\\]|\\.)*")
      | (?P<html><)
      | (?P<id>[A-Za-z_\x80-\uffff][\w\x80-\uffff]*|-?(?:\.\d+|\d+(?:\.\d*)?))
    )""",
    re.VERBOSE | re.DOTALL,
)

# What each kind of statement may set, and nothing else: the attributes this module draws,
# and a few that only tune Graphviz's own search (nslimit, mclimit) and mean nothing here;
# a node's ordering=in (keep its inputs in the order their edges are written) is not read:
# the layered layout starts from that order, and its sweeps keep it on chaingrad's drawings.
_GRAPH_ATTRS = {
    "rankdir", "nodesep", "ranksep", "fontname", "fontsize", "fontcolor", "label",
    "labelloc", "labeljust", "nslimit", "mclimit", "bgcolor",
}  # fmt: skip
_NODE_ATTRS = {
    "shape", "label", "style", "fillcolor", "color", "fontcolor", "fontname", "fontsize",
    "width", "height", "margin", "penwidth", "ordering",
}  # fmt: skip
_EDGE_ATTRS = {"color", "penwidth", "arrowhead", "arrowsize", "style"}


def _tokens(source: str) -> list[tuple[str, str]]:
    """(kind, text) tokens of DOT ``source``; an HTML-like value is one ``html`` token."""
    out: list[tuple[str, str]] = []
    pos, end = 0, len(source)
    while True:
        while pos < end and source[pos].isspace():
            pos += 1
        if pos >= end:
            return out
        m = _TOKEN.match(source, pos)
        if m is None:
            raise ValueError(f"cannot read the DOT source at {source[pos : pos + 20]!r}")
        kind = m.lastgroup or ""
        if kind == "html":
            depth, i = 0, m.start("html")
            while True:  # an HTML-like value runs to its matching '>'
                lt, gt = source.find("<", i), source.find(">", i)
                if gt < 0:
                    raise ValueError("an HTML-like label in the DOT source is not closed")
                if 0 <= lt < gt:
                    depth, i = depth + 1, lt + 1
                    continue
                depth, i = depth - 1, gt + 1
                if depth == 0:
                    break
            i -= 1  # at the closing '>'
            out.append(("html", source[m.start("html") + 1 : i]))
            pos = i + 1
            continue
        if kind != "comment":
            out.append((kind, m.group(kind)))
        pos = m.end()


def _unquote(kind: str, text: str) -> str:
    if kind == "quoted":
        return re.sub(r'\\(["\\])', r"\1", text[1:-1])
    return text


def _parse(source: str) -> _Graph:
    """The graph of DOT ``source`` (chaingrad's subset; see the module docstring)."""
    toks = _tokens(source)
    pos = 0

    def take(kind: str, text: str | None = None) -> str:
        nonlocal pos
        if pos >= len(toks) or toks[pos][0] != kind or (text is not None and toks[pos][1] != text):
            got = toks[pos][1] if pos < len(toks) else "the end"
            raise ValueError(f"DOT source: expected {text or kind}, found {got!r}")
        pos += 1
        return toks[pos - 1][1]

    def attr_list(allowed: set[str], what: str) -> dict[str, str]:
        nonlocal pos
        attrs: dict[str, str] = {}
        while pos < len(toks) and toks[pos] == ("punct", "["):
            pos += 1
            while toks[pos] != ("punct", "]"):
                key = take("id")
                take("punct", "=")
                kind, text = toks[pos]
                if kind not in ("id", "quoted", "html"):
                    raise ValueError(f"DOT source: no value for {key!r}")
                pos += 1
                if key not in allowed:
                    raise ValueError(
                        f"the pure-Python layout does not draw the {what} attribute {key!r}; "
                        "render with Graphviz (CHAINGRAD_LAYOUT=graphviz)"
                    )
                attrs[key] = ("<" + text + ">") if kind == "html" else _unquote(kind, text)
                if toks[pos][0] == "punct" and toks[pos][1] in ",;":
                    pos += 1
            pos += 1
        return attrs

    if toks and toks[0] == ("id", "strict"):
        pos += 1
    if pos < len(toks) and toks[pos] == ("id", "graph"):
        raise ValueError("the pure-Python layout draws directed graphs (digraph) only")
    take("id", "digraph")
    name = ""
    if toks[pos][0] in ("id", "quoted"):
        name = _unquote(*toks[pos])
        pos += 1
    take("punct", "{")
    g = _Graph(name)
    node_defaults: dict[str, str] = {}
    edge_defaults: dict[str, str] = {}
    while toks[pos] != ("punct", "}"):
        kind, text = toks[pos]
        if kind == "punct" and text == ";":
            pos += 1
            continue
        if kind == "id" and text in ("graph", "node", "edge") and toks[pos + 1] == ("punct", "["):
            pos += 1
            if text == "graph":
                g.attrs.update(attr_list(_GRAPH_ATTRS, "graph"))
            elif text == "node":
                node_defaults.update(attr_list(_NODE_ATTRS, "node"))
            else:
                edge_defaults.update(attr_list(_EDGE_ATTRS, "edge"))
            continue
        if kind == "id" and text in ("subgraph", "node", "edge", "graph", "digraph"):
            raise ValueError(f"the pure-Python layout does not draw {text!r} statements")
        if kind not in ("id", "quoted"):
            raise ValueError(f"DOT source: unexpected {text!r}")
        first = _unquote(kind, text)
        pos += 1
        if toks[pos][0] == "arrow":
            chain = [first]
            while toks[pos][0] == "arrow":
                if toks[pos][1] != "->":
                    raise ValueError("the pure-Python layout draws directed edges (->) only")
                pos += 1
                k2, t2 = toks[pos]
                if k2 not in ("id", "quoted"):
                    raise ValueError(f"DOT source: expected a node after '->', found {t2!r}")
                chain.append(_unquote(k2, t2))
                pos += 1
            attrs = {**edge_defaults, **attr_list(_EDGE_ATTRS, "edge")}
            for tail, head in zip(chain, chain[1:]):
                for end in (tail, head):
                    if end not in g.nodes:
                        g.nodes[end] = _Node(end, dict(node_defaults))
                g.edges.append(_Edge(tail, head, attrs))
        elif toks[pos] == ("punct", ":"):
            raise ValueError("the pure-Python layout does not draw ports (node:port)")
        else:
            attrs = attr_list(_NODE_ATTRS, "node")
            if first in g.nodes:
                g.nodes[first].attrs.update(attrs)
            else:
                g.nodes[first] = _Node(first, {**node_defaults, **attrs})
    return g


# ---------------------------------------------------------------- HTML-like labels


@dataclass
class _Run:
    """A piece of text in one font size and colour."""

    text: str
    size: float
    colour: str | None


@dataclass
class _Line:
    runs: list[_Run]
    align: str  # "c", "l" or "r"

    def width(self) -> float:
        return sum(text_width(r.text, r.size) for r in self.runs)

    def height(self, size: float) -> float:
        return _LINE * max((r.size for r in self.runs), default=size)


@dataclass
class _Cell:
    attrs: dict[str, str]
    lines: list[_Line] | None = None
    table: _Table | None = None
    # set by _measure and _place
    w: float = 0.0
    h: float = 0.0
    x: float = 0.0
    y: float = 0.0


@dataclass
class _Table:
    attrs: dict[str, str]
    rows: list[list[_Cell]]
    w: float = 0.0
    h: float = 0.0
    x: float = 0.0
    y: float = 0.0


def _html_label(text: str) -> ET.Element:
    # Graphviz's HTML-like labels are XML apart from the named entities it accepts; chaingrad
    # writes only XML's own, so an XML parser reads them.
    try:
        return ET.fromstring(f"<L>{text}</L>")
    except ET.ParseError as e:
        raise ValueError(f"cannot read an HTML-like label: {e}") from e


def _text_lines(el: ET.Element, size: float, colour: str | None, balign: str) -> list[_Line]:
    """The lines of text of ``el``'s content (text, ``FONT``, ``BR``), in document order."""
    lines = [_Line([], balign)]
    # explicit stack of pending work: ("el", element, size, colour) or ("text", text, ...)
    stack: list[tuple[str, ET.Element | str, float, str | None]] = [("el", el, size, colour)]
    while stack:
        _, item, sz, col = stack.pop()
        if isinstance(item, str):
            if item:
                lines[-1].runs.append(_Run(_text(item), sz, col))
            continue
        tag = item.tag.upper()
        if item is not el:
            if tag == "BR":
                lines[-1].align = {"LEFT": "l", "RIGHT": "r"}.get(item.get("ALIGN", ""), balign)
                lines.append(_Line([], balign))
                continue
            if tag == "FONT":
                sz = float(item.get("POINT-SIZE", sz))
                col = item.get("COLOR", col)
            elif tag not in ("B", "I", "U", "S", "SUB", "SUP", "O"):
                raise ValueError(f"the pure-Python layout does not draw <{item.tag}> in labels")
        for child in reversed(list(item)):
            # a child's tail is in this element's font: pushed first, so it comes out after
            stack.append(("text", child.tail or "", sz, col))
            stack.append(("el", child, sz, col))
        stack.append(("text", item.text or "", sz, col))
    if len(lines) > 1 and not lines[-1].runs:
        lines.pop()  # a <BR/> that ends the text ends its last line, it starts none
    return lines


def _text(s: str) -> str:
    # Graphviz expands backslash escapes even in HTML-like labels: chaingrad doubles every
    # backslash it means literally.
    return s.replace("\\\\", "\\")


def _read_table(el: ET.Element, size: float, colour: str | None) -> _Table:
    """A ``TABLE`` element as rows of cells, nested tables read with an explicit stack."""
    top = _Table(dict(el.attrib), [])
    stack = [(el, top)]
    while stack:
        t_el, table = stack.pop()
        for tr in t_el:
            if tr.tag.upper() == "HR":
                continue
            if tr.tag.upper() != "TR":
                raise ValueError(f"the pure-Python layout expects <TR> in a table, not <{tr.tag}>")
            row: list[_Cell] = []
            for td in tr:
                if td.tag.upper() == "VR":
                    continue
                if td.tag.upper() != "TD":
                    raise ValueError(f"the pure-Python layout expects <TD>, not <{td.tag}>")
                cell = _Cell(dict(td.attrib))
                inner = [c for c in td if c.tag.upper() == "TABLE"]
                if inner:
                    cell.table = _Table(dict(inner[0].attrib), [])
                    stack.append((inner[0], cell.table))
                else:
                    balign = {"LEFT": "l", "RIGHT": "r"}.get(td.get("BALIGN", ""), "c")
                    cell.lines = _text_lines(td, size, colour, balign)
                row.append(cell)
            table.rows.append(row)
    return top


def _tables_bottom_up(top: _Table) -> list[_Table]:
    """Every table inside ``top`` (and ``top``), innermost first."""
    order, stack = [], [top]
    while stack:
        t = stack.pop()
        order.append(t)
        stack.extend(c.table for row in t.rows for c in row if c.table is not None)
    return order[::-1]


def _num(attrs: dict[str, str], key: str, default: float) -> float:
    value = attrs.get(key)
    return default if value is None else float(value)


def _measure(top: _Table, size: float) -> None:
    """Sizes of every cell and table, innermost first (Graphviz's table model: cells of a
    column share a width, cells of a row a height)."""
    for t in _tables_bottom_up(top):
        border = _num(t.attrs, "BORDER", 1)
        spacing = _num(t.attrs, "CELLSPACING", 2)
        ncols = max((len(r) for r in t.rows), default=0)
        widths = [0.0] * ncols
        heights = [0.0] * len(t.rows)
        for i, row in enumerate(t.rows):
            for j, c in enumerate(row):
                pad = _num(c.attrs, "CELLPADDING", _num(t.attrs, "CELLPADDING", 2))
                cb = _num(c.attrs, "BORDER", _num(t.attrs, "CELLBORDER", border))
                if c.table is not None:
                    cw, ch = c.table.w, c.table.h
                else:
                    lines = c.lines or []
                    cw = max((ln.width() for ln in lines), default=0.0)
                    ch = sum(ln.height(size) for ln in lines)
                c.w, c.h = cw + 2 * (pad + cb), ch + 2 * (pad + cb)
                if "WIDTH" in c.attrs:
                    fixed = c.attrs.get("FIXEDSIZE", "").upper() == "TRUE"
                    c.w = float(c.attrs["WIDTH"]) if fixed else max(c.w, float(c.attrs["WIDTH"]))
                if "HEIGHT" in c.attrs:
                    fixed = c.attrs.get("FIXEDSIZE", "").upper() == "TRUE"
                    c.h = float(c.attrs["HEIGHT"]) if fixed else max(c.h, float(c.attrs["HEIGHT"]))
                if len(row) == ncols:
                    widths[j] = max(widths[j], c.w)
                heights[i] = max(heights[i], c.h)
        # a row with fewer cells than the widest one lays them out on its own
        row_widths = [sum(widths) if len(row) == ncols else sum(c.w for c in row) for row in t.rows]
        inner_w = max(row_widths, default=0.0) + spacing * (ncols + 1)
        t.w = inner_w + 2 * border
        t.h = sum(heights) + spacing * (len(t.rows) + 1) + 2 * border
        # place the cells relative to the table's top left corner
        y = border + spacing
        for i, row in enumerate(t.rows):
            x = border + spacing
            spare = 0.0
            if len(row) != ncols and row:
                spare = (inner_w - spacing * (len(row) + 1) - sum(c.w for c in row)) / len(row)
            for j, c in enumerate(row):
                c.w = widths[j] if len(row) == ncols else c.w + spare
                c.h = heights[i]
                c.x, c.y = x, y
                x += c.w + spacing
            y += heights[i] + spacing


# ---------------------------------------------------------------- node shapes


@dataclass
class _Shape:
    """A node as drawn: its kind, size (w, h in points), what it shows and its style."""

    kind: str  # "table", "ellipse", "box", "text"
    w: float
    h: float
    table: _Table | None = None
    lines: list[_Line] = field(default_factory=list)
    size: float = 14.0
    attrs: dict[str, str] = field(default_factory=dict)


def _inches(attrs: dict[str, str], key: str, default: float) -> float:
    return _num(attrs, key, default) * _POINTS_PER_INCH


def _margins(attrs: dict[str, str], default: tuple[float, float]) -> tuple[float, float]:
    raw = attrs.get("margin")
    if raw is None:
        return default
    parts = [float(p) * _POINTS_PER_INCH for p in raw.split(",")]
    return (parts[0], parts[-1])


def _plain_lines(label: str, name: str, size: float, colour: str | None) -> list[_Line]:
    """The lines of a quoted label: ``\\n``, ``\\l``, ``\\r`` end lines, ``\\N`` is the node's
    name."""
    lines: list[_Line] = []
    current: list[str] = []
    i = 0
    while i < len(label):
        ch = label[i]
        if ch == "\\" and i + 1 < len(label):
            nxt = label[i + 1]
            i += 2
            if nxt in "nlr":
                lines.append(
                    _Line([_Run("".join(current), size, colour)], {"n": "c"}.get(nxt, nxt))
                )
                current = []
            elif nxt == "N":
                current.append(name)
            else:
                current.append(nxt)
            continue
        current.append(ch)
        i += 1
    if current or not lines:
        lines.append(_Line([_Run("".join(current), size, colour)], "c"))
    return lines


def _shape_of(node: _Node) -> _Shape:
    a = node.attrs
    size = _num(a, "fontsize", 14)
    colour = a.get("fontcolor")
    label = a.get("label", "\\N")
    shape = a.get("shape", "ellipse")
    if label.startswith("<") and label.endswith(">"):
        el = _html_label(label[1:-1])
        tables = [c for c in el if c.tag.upper() == "TABLE"]
        if tables and len(el) == 1 and not (el.text or "").strip():
            table = _read_table(tables[0], size, colour)
            _measure(table, size)
            lines: list[_Line] = []
        else:
            table = None
            lines = _text_lines(el, size, colour, "c")
    else:
        table, lines = None, _plain_lines(label, node.name, size, colour)
    if shape in ("plain", "plaintext", "none") and table is not None:
        return _Shape("table", table.w, table.h, table=table, size=size, attrs=a)
    if table is not None:
        raise ValueError(
            f"the pure-Python layout draws a table label only with shape=plain ({node.name})"
        )
    tw = max((ln.width() for ln in lines), default=0.0)
    th = sum(ln.height(size) for ln in lines)
    if shape == "ellipse":
        mx, my = _margins(a, (0.11 * _POINTS_PER_INCH, 0.055 * _POINTS_PER_INCH))
        w = max(_inches(a, "width", 0.75), (tw + 2 * mx) * math.sqrt(2))
        h = max(_inches(a, "height", 0.5), (th + 2 * my) * math.sqrt(2))
        return _Shape("ellipse", w, h, lines=lines, size=size, attrs=a)
    if shape in ("box", "rect", "rectangle"):
        mx, my = _margins(a, (0.11 * _POINTS_PER_INCH, 0.055 * _POINTS_PER_INCH))
        w = max(_inches(a, "width", 0.75), tw + 2 * mx)
        h = max(_inches(a, "height", 0.5), th + 2 * my)
        return _Shape("box", w, h, lines=lines, size=size, attrs=a)
    if shape in ("none", "plaintext", "plain"):
        mx, my = _margins(a, (0.0, 0.0) if shape == "plain" else (0.11 * 72, 0.055 * 72))
        w = max(_inches(a, "width", 0.0), tw + 2 * mx)
        h = max(_inches(a, "height", 0.0), th + 2 * my)
        return _Shape("text", w, h, lines=lines, size=size, attrs=a)
    raise ValueError(f"the pure-Python layout does not draw shape={shape!r} ({node.name})")


# ---------------------------------------------------------------- SVG


def _f(x: float) -> str:
    """A coordinate as Graphviz writes it: at most two decimals, no trailing zeros."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_FONT_FAMILY = "Helvetica,sans-Serif"


def _rect(x: float, y: float, w: float, h: float) -> str:
    x2, y2 = x + w, y + h
    return f"{_f(x)},{_f(y)} {_f(x)},{_f(y2)} {_f(x2)},{_f(y2)} {_f(x2)},{_f(y)} {_f(x)},{_f(y)}"


def _polygon(fill: str, stroke: str, points: str, extra: str = "") -> str:
    return f'<polygon fill="{_esc(fill)}" stroke="{_esc(stroke)}"{extra} points="{points}"/>\n'


def _dash(style: str) -> str:
    styles = {s.strip() for s in style.lower().split(",")}
    if "dashed" in styles:
        return ' stroke-dasharray="5,2"'
    if "dotted" in styles:
        return ' stroke-dasharray="1,5"'
    return ""


def _text_svg(
    out: list[str], lines: list[_Line], x: float, y: float, w: float, h: float, family: str
) -> None:
    """``lines`` centred vertically in the box (x, y, w, h), each aligned as it says."""
    size_default = max((r.size for ln in lines for r in ln.runs), default=14.0)
    total = sum(ln.height(size_default) for ln in lines)
    top = y + (h - total) / 2
    for ln in lines:
        lh = ln.height(size_default)
        big = max((r.size for r in ln.runs), default=size_default)
        base = top + (lh - big * _LINE) / 2 + big * 0.95
        top += lh
        runs = [r for r in ln.runs if r.text]
        if not runs:
            continue
        width = ln.width()
        if ln.align == "l":
            left = x
        elif ln.align == "r":
            left = x + w - width
        else:
            left = x + (w - width) / 2
        if len(runs) == 1 and ln.align == "c":
            anchor, tx = "middle", x + w / 2
        else:
            anchor, tx = "start", left
        for r in runs:
            fill = f' fill="{_esc(r.colour)}"' if r.colour else ""
            out.append(
                f'<text xml:space="preserve" text-anchor="{anchor}" x="{_f(tx)}" y="{_f(base)}" '
                f'font-family="{family}" font-size="{r.size:.2f}"{fill}>{_esc(r.text)}</text>\n'
            )
            tx += text_width(r.text, r.size)


def _table_svg(out: list[str], top: _Table, x0: float, y0: float, family: str) -> None:
    """A measured table with its top left corner at (x0, y0): backgrounds, borders, texts."""
    # explicit stack of (table, its absolute corner)
    stack = [(top, x0, y0)]
    while stack:
        t, tx, ty = stack.pop()
        border = _num(t.attrs, "BORDER", 1)
        colour = t.attrs.get("COLOR", "black")
        style = t.attrs.get("STYLE", "")
        rounded = "rounded" in style.lower()
        bg = t.attrs.get("BGCOLOR")
        if rounded:
            if bg or border:
                out.append(
                    f'<rect x="{_f(tx + border / 2)}" y="{_f(ty + border / 2)}" '
                    f'width="{_f(t.w - border)}" height="{_f(t.h - border)}" rx="4" ry="4" '
                    f'fill="{_esc(bg) if bg else "none"}" '
                    f'stroke="{_esc(colour) if border else "none"}"{_dash(style)}/>\n'
                )
        else:
            if bg:
                out.append(_polygon(bg, "none", _rect(tx, ty, t.w, t.h)))
            if border:
                out.append(
                    f'<polygon fill="none" stroke="{_esc(colour)}"{_dash(style)} '
                    f'points="{_rect(tx, ty, t.w, t.h)}"/>\n'
                )
        cellborder_default = _num(t.attrs, "CELLBORDER", border)
        for row in t.rows:
            for c in row:
                cx, cy = tx + c.x, ty + c.y
                cbg = c.attrs.get("BGCOLOR")
                if cbg:
                    out.append(_polygon(cbg, "none", _rect(cx, cy, c.w, c.h)))
                cb = _num(c.attrs, "BORDER", cellborder_default)
                if cb:
                    ccol = c.attrs.get("COLOR", colour)
                    dash = _dash(c.attrs.get("STYLE", ""))
                    out.append(_polygon("none", ccol, _rect(cx, cy, c.w, c.h), dash))
                pad = _num(c.attrs, "CELLPADDING", _num(t.attrs, "CELLPADDING", 2)) + cb
                if c.table is not None:
                    # a nested table sits in its cell as its ALIGN says (centred by default)
                    spare = c.w - 2 * pad - c.table.w
                    align = c.attrs.get("ALIGN", "CENTER").upper()
                    dx = 0.0 if align == "LEFT" else spare if align == "RIGHT" else spare / 2
                    dy = (c.h - 2 * pad - c.table.h) / 2
                    stack.append((c.table, cx + pad + dx, cy + pad + dy))
                elif c.lines:
                    align = c.attrs.get("ALIGN", "CENTER").upper()
                    lines = c.lines
                    if align in ("LEFT", "RIGHT"):  # the whole block of lines to that side
                        width = max(ln.width() for ln in lines)
                        bx = cx + pad if align == "LEFT" else cx + c.w - pad - width
                        box = (bx, width)
                    else:
                        width = max(ln.width() for ln in lines)
                        box = (cx + (c.w - width) / 2, width)
                    ih = c.h - 2 * pad
                    th = sum(ln.height(14) for ln in lines)
                    valign = c.attrs.get("VALIGN", "MIDDLE").upper()
                    by = cy + pad
                    if valign == "TOP":
                        ih = th
                    elif valign == "BOTTOM":
                        by, ih = cy + c.h - pad - th, th
                    _text_svg(out, lines, box[0], by, box[1], ih, family)


def _clip(
    shape: _Shape, centre: tuple[float, float], towards: tuple[float, float]
) -> tuple[float, float]:
    """Where the line from the node's centre towards a point leaves the node."""
    cx, cy = centre
    dx, dy = towards[0] - cx, towards[1] - cy
    if dx == 0 and dy == 0:
        return centre
    hw, hh = shape.w / 2, shape.h / 2
    if shape.kind == "ellipse":
        t = 1.0 / math.sqrt((dx / hw) ** 2 + (dy / hh) ** 2) if hw and hh else 0.0
    else:
        tx = hw / abs(dx) if dx else math.inf
        ty = hh / abs(dy) if dy else math.inf
        t = min(tx, ty)
    t = min(t, 1.0)
    return (cx + dx * t, cy + dy * t)


def _edge_path(
    points: list[tuple[float, float]], axis: tuple[float, float], arrow: float
) -> tuple[str, list[tuple[float, float]] | None]:
    """An SVG path through ``points`` (cubic pieces, level with the ranks at virtual nodes) and
    the arrowhead's triangle at the last point (or None for ``arrow`` 0)."""
    pts = list(points)
    head_poly = None
    if arrow > 0 and len(pts) >= 2:
        (x0, y0), (x1, y1) = pts[-2], pts[-1]
        length = math.hypot(x1 - x0, y1 - y0)
        if length > 0:
            ux, uy = (x1 - x0) / length, (y1 - y0) / length
            back = min(arrow, length * 0.9)
            base = (x1 - ux * back, y1 - uy * back)
            half = back * 0.35
            head_poly = [
                (base[0] - uy * half, base[1] + ux * half),
                (x1, y1),
                (base[0] + uy * half, base[1] - ux * half),
            ]
            pts[-1] = base
    d = [f"M{_f(pts[0][0])},{_f(pts[0][1])}"]
    for i in range(len(pts) - 1):
        (x0, y0), (x1, y1) = pts[i], pts[i + 1]
        length = math.hypot(x1 - x0, y1 - y0) / 3
        # tangents: along the ranks at virtual nodes, along the segment at the ends
        if i == 0:
            t0 = ((x1 - x0) / (3 * length), (y1 - y0) / (3 * length)) if length else (0.0, 0.0)
        else:
            t0 = axis
        if i + 1 == len(pts) - 1:
            t1 = ((x1 - x0) / (3 * length), (y1 - y0) / (3 * length)) if length else (0.0, 0.0)
        else:
            t1 = axis
        c1 = (x0 + t0[0] * length, y0 + t0[1] * length)
        c2 = (x1 - t1[0] * length, y1 - t1[1] * length)
        d.append(f"C{_f(c1[0])},{_f(c1[1])} {_f(c2[0])},{_f(c2[1])} {_f(x1)},{_f(y1)}")
    return " ".join(d), head_poly


def dot_to_svg(source: str) -> str:
    """Lay out DOT ``source`` (the subset chaingrad writes) and draw it as SVG.

    Args:
        source: DOT text as ``autograd.display.drawing.to_dot`` writes it.

    Returns:
        An SVG document (text) with Graphviz's structure: a node's and an edge's group carry
        ``class="node"``/``class="edge"`` and the DOT name as ``<title>``.

    Raises:
        TypeError: ``source`` is not a str.
        ValueError: the source uses DOT this layout does not draw (the message names it).
    """
    if not isinstance(source, str):
        raise TypeError(f"source must be a str, not {type(source).__name__}")
    g = _parse(source)
    ga = g.attrs
    rankdir = ga.get("rankdir", "TB").upper()
    if rankdir not in ("TB", "BT", "LR", "RL"):
        raise ValueError(f"rankdir must be TB, BT, LR or RL, not {rankdir!r}")
    family = ga.get("fontname") or "Helvetica"
    family = _FONT_FAMILY if family == "Helvetica" else f"{family},sans-Serif"
    nodesep = max(_inches(ga, "nodesep", 0.25), 0.02 * _POINTS_PER_INCH)
    ranksep = max(_inches(ga, "ranksep", 0.5), 0.02 * _POINTS_PER_INCH)

    names = list(g.nodes)
    index = {name: i for i, name in enumerate(names)}
    shapes = [_shape_of(g.nodes[name]) for name in names]
    horizontal = rankdir in ("LR", "RL")
    along = [s.w if horizontal else s.h for s in shapes]
    across = [s.h if horizontal else s.w for s in shapes]
    edges = [(index[e.tail], index[e.head]) for e in g.edges]
    lay = layered(len(names), edges, along, across, nodesep, ranksep)

    def to_xy(p: tuple[float, float]) -> tuple[float, float]:
        a, b = p  # a along the ranks, b across them
        if rankdir == "LR":
            return (a, b)
        if rankdir == "RL":
            return (lay.width - a, b)
        if rankdir == "TB":
            return (b, a)
        return (b, lay.width - a)

    draw_w, draw_h = (lay.width, lay.height) if horizontal else (lay.height, lay.width)
    centres = [to_xy(c) for c in lay.centre]

    # the graph's label, below (labelloc=b, the default) or above the drawing
    label_table: _Table | None = None
    label_lines: list[_Line] = []
    label_w = label_h = 0.0
    glabel = ga.get("label")
    gsize = _num(ga, "fontsize", 14)
    if glabel:
        if glabel.startswith("<") and glabel.endswith(">"):
            el = _html_label(glabel[1:-1])
            tables = [c for c in el if c.tag.upper() == "TABLE"]
            if tables and len(el) == 1:
                label_table = _read_table(tables[0], gsize, ga.get("fontcolor"))
                _measure(label_table, gsize)
                label_w, label_h = label_table.w, label_table.h
            else:
                label_lines = _text_lines(el, gsize, ga.get("fontcolor"), "c")
        else:
            label_lines = _plain_lines(glabel, g.name, gsize, ga.get("fontcolor"))
        if label_lines:
            label_w = max(ln.width() for ln in label_lines) + 16
            label_h = sum(ln.height(gsize) for ln in label_lines) + 8
    below = ga.get("labelloc", "b").lower() != "t"
    total_w = max(draw_w, label_w)
    total_h = draw_h + (label_h + 8 if glabel else 0)
    dx = (total_w - draw_w) / 2
    dy = 0.0 if below or not glabel else label_h + 8
    centres = [(x + dx, y + dy) for x, y in centres]
    width, height = total_w + 2 * _MARGIN, total_h + 2 * _MARGIN

    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n',
        "<!-- Generated by chaingrad's pure-Python layout (autograd.display.layout) -->\n",
        f'<svg width="{_f(width)}pt" height="{_f(height)}pt" viewBox="0.00 0.00 {width:.2f} '
        f'{height:.2f}" xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">\n',
        f'<g id="graph0" class="graph" transform="translate({_f(_MARGIN)} {_f(_MARGIN)})">\n',
        f"<title>{_esc(g.name)}</title>\n",
        f'<polygon fill="{_esc(ga.get("bgcolor", "white"))}" stroke="none" '
        f'points="{_rect(-_MARGIN, -_MARGIN, width, height)}"/>\n',
    ]
    if glabel:
        ly = draw_h + 8 if below else 0.0
        just = ga.get("labeljust", "c").lower()
        lx = 0.0 if just == "l" else total_w - label_w if just == "r" else (total_w - label_w) / 2
        if label_table is not None:
            _table_svg(out, label_table, lx, ly, family)
        else:
            _text_svg(out, label_lines, lx, ly, label_w, label_h, family)

    for k, name in enumerate(names):
        s = shapes[k]
        cx, cy = centres[k]
        x, y = cx - s.w / 2, cy - s.h / 2
        a = s.attrs
        out.append(f'<g id="node{k + 1}" class="node">\n<title>{_esc(name)}</title>\n')
        styles = {t.strip() for t in a.get("style", "").lower().split(",")}
        fill = a.get("fillcolor", a.get("color", "lightgrey")) if "filled" in styles else "none"
        stroke = a.get("color", "black")
        pen = _num(a, "penwidth", 1)
        sw = f' stroke-width="{_f(pen)}"' if pen != 1 else ""
        dash = _dash(a.get("style", ""))
        if s.kind == "table" and s.table is not None:
            _table_svg(out, s.table, x, y, family)
        elif s.kind == "ellipse":
            out.append(
                f'<ellipse fill="{_esc(fill)}" stroke="{_esc(stroke)}"{sw}{dash} '
                f'cx="{_f(cx)}" cy="{_f(cy)}" rx="{_f(s.w / 2)}" ry="{_f(s.h / 2)}"/>\n'
            )
        elif s.kind == "box":
            if "rounded" in styles:
                out.append(
                    f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(s.w)}" height="{_f(s.h)}" rx="6" '
                    f'ry="6" fill="{_esc(fill)}" stroke="{_esc(stroke)}"{sw}{dash}/>\n'
                )
            else:
                out.append(_polygon(fill, stroke, _rect(x, y, s.w, s.h), sw + dash))
        if s.kind != "table":
            _text_svg(out, s.lines, x, y, s.w, s.h, family)
        out.append("</g>\n")

    axis = (1.0, 0.0) if horizontal else (0.0, 1.0)
    if rankdir in ("RL", "BT"):
        axis = (-axis[0], -axis[1])
    for k, e in enumerate(g.edges):
        t, h = index[e.tail], index[e.head]
        pts = [to_xy(p) for p in lay.paths[k]]
        pts = [(px + dx, py + dy) for px, py in pts]
        if t == h:
            continue  # a loop: chaingrad never draws one
        pts[0] = _clip(shapes[t], centres[t], pts[1])
        pts[-1] = _clip(shapes[h], centres[h], pts[-2])
        ea = e.attrs
        arrow = 0.0 if ea.get("arrowhead", "normal") == "none" else 10 * _num(ea, "arrowsize", 1)
        d, head = _edge_path(pts, axis, arrow)
        colour = _esc(ea.get("color", "black"))
        pen = _num(ea, "penwidth", 1)
        sw = f' stroke-width="{_f(pen)}"' if pen != 1 else ""
        out.append(
            f'<g id="edge{k + 1}" class="edge">\n'
            f"<title>{_esc(e.tail)}&#45;&gt;{_esc(e.head)}</title>\n"
            f'<path fill="none" stroke="{colour}"{sw}{_dash(ea.get("style", ""))} d="{d}"/>\n'
        )
        if head is not None:
            pts_text = " ".join(f"{_f(px)},{_f(py)}" for px, py in [*head, head[0]])
            out.append(f'<polygon fill="{colour}" stroke="{colour}"{sw} points="{pts_text}"/>\n')
        out.append("</g>\n")
    out.append("</g>\n</svg>\n")
    return "".join(out)
