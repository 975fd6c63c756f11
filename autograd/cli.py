"""The ``chaingrad`` command: draw or explain the graph of an arithmetic expression.

    chaingrad draw "3*(a + b*c)" a=5 b=3 c=2 -o J.svg
    chaingrad tree "tanh(x*w + b)" x=2 w=-0.5 b=0.1
    chaingrad steps "3*(a + b*c)" a=5 b=3 c=2 -o steps/
    chaingrad explain "3*(a + b*c)" a=5 b=3 c=2 --wrt b

The expression is parsed with ``ast`` and never evaluated by Python: only numbers, names bound
on the command line, ``+ - * / % **``, unary ``-`` and the engine's functions are accepted, and
the graph is built by walking the syntax tree with the engine's own ops. Anything else fails
with a one-line message and exit status 2, before any file is written.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import keyword
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import autograd
from autograd import functions
from autograd.core.value import RULES, Constant, Value
from autograd.display.drawing import (
    FORMATS,
    RANKDIRS,
    GraphTooLargeError,
    checked_order,
    render,
    render_steps,
)
from autograd.display.page import player
from autograd.display.text import explain_view, tree
from autograd.display.view import GraphView

# Every op of the engine that has a function of its name (exp, tanh, atan2, maximum, ...),
# read from the rules' registry, with its number of arguments (one formula per input);
# the n-ary ops (dot, sum) take lists, which the command's expressions do not have.
FUNCTIONS: dict[str, Callable[..., Value]] = {
    name: getattr(functions, name)
    for name, rule in RULES.items()
    if name.isidentifier() and hasattr(functions, name) and not hasattr(rule, "accumulate")
}
ARITY: dict[str, int] = {name: len(RULES[name].formula) for name in FUNCTIONS}  # type: ignore[attr-defined]
# Python's spellings of two of them
ALIASES = {"max": "maximum", "min": "minimum"}
CONSTANTS = {"pi": math.pi}

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda x, y: x + y,
    ast.Sub: lambda x, y: x - y,
    ast.Mult: lambda x, y: x * y,
    ast.Div: lambda x, y: x / y,
    ast.Pow: lambda x, y: x**y,
    ast.Mod: lambda x, y: x % y,
}

# What to call each construct in an error message: every kind of Python expression the
# command refuses, and the operators (tests/test_cli.py checks that none is missing).
_NAMES: dict[type, str] = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts",
    ast.Slice: "slices",
    ast.Lambda: "lambdas",
    ast.Compare: "comparisons",
    ast.BoolOp: "and/or",
    ast.IfExp: "if-else expressions",
    ast.NamedExpr: "assignment (:=)",
    ast.Starred: "star arguments",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.FloorDiv: "the operator //",
    ast.MatMult: "the operator @",
    ast.LShift: "the operator <<",
    ast.RShift: "the operator >>",
    ast.BitAnd: "the operator &",
    ast.BitOr: "the operator |",
    ast.BitXor: "the operator ^",
    ast.Invert: "the operator ~",
    ast.Not: "not",
}
for _name in ("TemplateStr", "Interpolation"):  # t-strings, Python 3.14
    if hasattr(ast, _name):
        _NAMES[getattr(ast, _name)] = "template strings"
# What is being called, when it is not a function's name: exp(1)(2), 2(3)
_CALLEES: dict[type, str] = {ast.Call: "the result of a call", ast.Constant: "a number"}

_ALLOWED = (
    "numbers, names, pi, + - * / % ** and the functions "
    + " ".join(FUNCTIONS)
    + " (max and min are maximum and minimum)"
)


class ExpressionError(ValueError):
    """An expression or a binding the command refuses."""


def _where(node: ast.AST) -> str:
    col = getattr(node, "col_offset", None)
    if col is None:
        return ""
    line = getattr(node, "lineno", 1)
    return f" at line {line}, column {col + 1}" if line > 1 else f" at column {col + 1}"


def _what(node: ast.AST) -> str:
    return _NAMES.get(type(node), "this construct")


def _nfkc_error(seen: str, meant: str, where: str) -> ExpressionError:
    # Python reads identifiers in NFKC form, so a look-alike such as ℌ or a fullwidth x would
    # silently become another name; refused rather than guessed.
    return ExpressionError(
        f"name {seen!r}{where} would be read as {meant!r} (Python normalizes names to NFKC): "
        f"write {meant!r}"
    )


def parse_bindings(items: Sequence[str]) -> dict[str, float]:
    """``["a=5", "b=-3"]`` -> ``{"a": 5.0, "b": -3.0}``."""
    env: dict[str, float] = {}
    for item in items:
        name, eq, text = item.partition("=")
        name = name.strip()
        if not eq:
            raise ExpressionError(f"expected NAME=VALUE, got {item!r}")
        if not name.isidentifier() or keyword.iskeyword(name):
            raise ExpressionError(f"{name!r} in {item!r} is not a valid variable name")
        if unicodedata.normalize("NFKC", name) != name:
            raise _nfkc_error(name, unicodedata.normalize("NFKC", name), f" in {item!r}")
        if name in FUNCTIONS or name in ALIASES:
            raise ExpressionError(f"{name!r} is a function and cannot be bound to a value")
        if name in CONSTANTS:
            raise ExpressionError(f"{name!r} is a constant and cannot be bound to a value")
        if name in env:
            raise ExpressionError(f"{name!r} is bound twice")
        try:
            env[name] = float(text)
        except ValueError:
            raise ExpressionError(f"{item!r}: {text!r} is not a number") from None
    return env


def parse_expression(text: str) -> ast.expr:
    """Parse ``text`` and check that it uses only the allowed constructs (nothing runs).

    The nodes' ``col_offset`` count characters of ``text`` (ast counts UTF-8 bytes), so the
    columns in error messages are the ones a terminal shows.
    """
    stripped = text.strip()
    try:
        body = ast.parse(stripped, mode="eval").body
    except SyntaxError as e:
        if e.msg.startswith("Exceeds the limit"):  # an int literal of more than 4300 digits
            raise ExpressionError(f"number{_huge_literal(text)} is too large") from None
        raise ExpressionError(f"not a valid expression: {e.msg}{_juxtaposed(stripped)}") from None
    except (RecursionError, MemoryError, ValueError) as e:  # absurdly nested or long input
        raise ExpressionError(f"expression too complex to parse ({type(e).__name__})") from None
    # The names as typed, before the columns change: Python has already NFKC-normalized ids.
    typed = _typed_names(body, stripped)
    _columns_in_characters(body, stripped, _lead(text))
    callees: set[int] = set()  # ids of the Name nodes in call position
    for node in ast.walk(body):  # iterative (breadth first): a Call comes before its callee
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitXor):
            power = f"{_segment(text, node.left)}**{_segment(text, node.right)}"
            raise ExpressionError(
                f"not allowed: the operator ^{_where_op(text, node)}: use ** for powers ({power})"
            )
        if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Name, ast.Load, ast.USub, ast.UAdd)):
            continue
        if isinstance(node, tuple(_BINARY)):
            continue
        if isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                raise ExpressionError(f"constant {node.value!r}{_where(node)} is not a number")
            continue
        if isinstance(node, ast.Call):
            fn = node.func
            if isinstance(fn, ast.Constant):  # 3(a+b): a product, written without its *
                raise ExpressionError(
                    f"not allowed: calling a number{_where(fn)}: write "
                    f"{_segment(text, fn)}*{_segment(text, node)[len(_segment(text, fn)) :]} "
                    "for a product"
                )
            if not isinstance(fn, ast.Name):
                kind = f"calling {_CALLEES[type(fn)]}" if type(fn) in _CALLEES else _what(fn)
                raise ExpressionError(f"not allowed: {kind}{_where(fn)}; use {_ALLOWED}")
            name = ALIASES.get(fn.id, fn.id)
            if name not in FUNCTIONS:
                hint = _did_you_mean(fn.id) or f"; available: {', '.join(FUNCTIONS)}"
                raise ExpressionError(f"unknown function {fn.id!r}{_where(fn)}{hint}")
            if len(node.args) != ARITY[name] or node.keywords:
                count = "one argument" if ARITY[name] == 1 else "two arguments"
                raise ExpressionError(f"{fn.id}(){_where(node)} takes exactly {count}")
            callees.add(id(fn))
            continue
        raise ExpressionError(f"not allowed: {_what(node)}{_where(node)}; use {_ALLOWED}")
    for node in ast.walk(body):
        if isinstance(node, ast.Name) and typed[id(node)] != node.id:
            raise _nfkc_error(str(typed[id(node)]), node.id, _where(node))
        if isinstance(node, ast.Name) and id(node) not in callees and node.id in CONSTANTS:
            continue
        if isinstance(node, ast.Name) and id(node) in callees and node.id in CONSTANTS:
            raise ExpressionError(f"{node.id!r}{_where(node)} is a constant, not a function")
        if (
            isinstance(node, ast.Name)
            and id(node) not in callees
            and (node.id in FUNCTIONS or node.id in ALIASES)
        ):
            raise ExpressionError(
                f"function {node.id!r}{_where(node)} must be called: {node.id}(x)"
            )
    return body


def _segment(text: str, node: ast.expr) -> str:
    """The characters of ``text`` that ``node`` came from (its columns are characters of
    ``text``, see ``parse_expression``); its unparsed form if it spans lines."""
    line, end = getattr(node, "lineno", 0), getattr(node, "end_lineno", -1)
    if line != end:
        return ast.unparse(node)
    return re.split(r"\r\n|\r|\n", text)[line - 1][node.col_offset : node.end_col_offset]


def _where_op(text: str, node: ast.BinOp) -> str:
    """Where the operator ^ of ``node`` stands (after its left operand)."""
    line, col = node.left.end_lineno, node.left.end_col_offset
    if line is None or col is None:
        return ""
    at = re.split(r"\r\n|\r|\n", text)[line - 1].find("^", col)
    if at < 0:
        return ""
    return f" at line {line}, column {at + 1}" if line > 1 else f" at column {at + 1}"


def _did_you_mean(name: str) -> str:
    """ ": did you mean tanh?" for tahn: the same letters swapped first, else the closest name."""
    known = [*FUNCTIONS, *ALIASES]
    close = [f for f in known if sorted(f) == sorted(name)]
    close = close or difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f": did you mean {close[0]}?" if close else ""


def _juxtaposed(text: str) -> str:
    """For a number written against a name (2a, 2.5x): the product that was meant."""
    m = re.search(r"(?<![\w.])(\d+(?:\.\d*)?)([A-Za-z_]\w*)", text)
    if m is None or m.group(2)[0] in "eEjJ" and m.group(2)[1:].isdigit():
        return ""
    return f" (write {m.group(1)}*{m.group(2)} for a product)"


def _lead(text: str) -> int:
    """How many characters of leading white space ``parse_expression`` stripped."""
    return len(text) - len(text.lstrip())


def _typed_names(body: ast.expr, source: str) -> dict[int, str]:
    """Each Name node's text as typed in ``source``, by the node's id.

    Sliced from the UTF-8 bytes of its line (a name never spans lines), each line encoded
    once: ``ast.get_source_segment`` splits the whole source again for every node, which makes
    the time grow with the square of a long expression's length.
    """
    lines = [line.encode("utf-8") for line in re.split(r"\r\n|\r|\n", source)]
    typed = {}
    for n in ast.walk(body):
        if isinstance(n, ast.Name):
            line = lines[n.lineno - 1]
            end = n.end_col_offset if n.end_col_offset is not None else len(line)
            typed[id(n)] = line[n.col_offset : end].decode("utf-8")
    return typed


def _columns_in_characters(body: ast.expr, source: str, lead: int) -> None:
    """Turn the UTF-8 byte offsets that ast gives into character offsets in each line of
    ``source``; ``lead`` characters of white space were stripped from the front of line 1."""
    lines = re.split(r"\r\n|\r|\n", source)
    maps: dict[int, dict[int, int]] = {}  # line number -> byte offset -> character offset
    for node in ast.walk(body):
        for line_attr, col_attr in (("lineno", "col_offset"), ("end_lineno", "end_col_offset")):
            lineno, col = getattr(node, line_attr, None), getattr(node, col_attr, None)
            if lineno is None or col is None:
                continue
            if lineno not in maps:
                offsets, at = {}, 0
                for i, ch in enumerate(lines[lineno - 1] + " "):
                    offsets[at] = i
                    at += len(ch.encode("utf-8"))
                maps[lineno] = offsets
            setattr(node, col_attr, maps[lineno].get(col, col) + (lead if lineno == 1 else 0))


def _huge_literal(text: str) -> str:
    """Where the first integer literal too long for Python to convert starts (" at column N")."""
    for m in re.finditer(r"(?<![\w.])[0-9][0-9_]*", text):
        if m.end() - m.start() > 4300:
            return f" at column {m.start() + 1}"
    return ""


def build(expr: ast.expr, env: dict[str, float], *, label: str = "out") -> Value:
    """The graph of a checked expression; each name becomes one leaf labelled with it."""
    _check_names(expr, env)
    leaves: dict[str, Value] = {}
    values: list[Any] = []  # Values, or floats for constants not yet used in an op
    # Post-order walk with an explicit stack (no recursion, however long the expression).
    stack: list[tuple[ast.expr, bool]] = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if not ready:
            stack.append((node, True))
            if isinstance(node, ast.BinOp):
                stack += [(node.right, False), (node.left, False)]
            elif isinstance(node, ast.UnaryOp):
                stack.append((node.operand, False))
            elif isinstance(node, ast.Call):
                stack += [(arg, False) for arg in reversed(node.args)]
            continue
        if isinstance(node, ast.Constant):
            try:
                values.append(float(node.value))  # type: ignore[arg-type]  # a number here
            except OverflowError:
                raise ExpressionError(f"number{_where(node)} is too large") from None
        elif isinstance(node, ast.Name):
            if node.id not in leaves and node.id not in env:  # pi: a constant, named
                leaves[node.id] = Constant(CONSTANTS[node.id], label=node.id)
            if node.id not in leaves:
                leaves[node.id] = Value(env[node.id], label=node.id)
            values.append(leaves[node.id])
        elif isinstance(node, ast.UnaryOp):
            x = values.pop()
            # -2 stays the constant -2 (so x**-2 is the op "**-2"); -x is the op "neg"
            values.append(x if isinstance(node.op, ast.UAdd) else -x)
        elif isinstance(node, ast.Call):
            called: str = node.func.id  # type: ignore[attr-defined]  # checked: a Name
            name = ALIASES.get(called, called)
            args = [_as_value(x) for x in values[len(values) - len(node.args) :]]
            del values[len(values) - len(node.args) :]
            values.append(FUNCTIONS[name](*args))
        else:
            assert isinstance(node, ast.BinOp)
            y, x = values.pop(), values.pop()
            if not isinstance(x, Value) and not isinstance(y, Value):
                # number op number is a graph node too, never Python arithmetic (9**9**9
                # on ints would run for ever); x ** number stays the op "**n"
                x = Constant(x)
            values.append(_BINARY[type(node.op)](x, y))
    (out,) = values
    out = _as_value(out)
    if not out.label:
        out.label = label
    return out


def _check_names(expr: ast.expr, env: dict[str, float]) -> None:
    """Refuse the expression if a name is neither bound nor a constant, listing every one."""
    missing: dict[str, ast.Name] = {}
    callees = {id(n.func) for n in ast.walk(expr) if isinstance(n, ast.Call)}
    for node in ast.walk(expr):
        if isinstance(node, ast.Name) and id(node) not in callees:
            if node.id not in env and node.id not in CONSTANTS and node.id not in missing:
                missing[node.id] = node
    if len(missing) == 1:
        ((name, node),) = missing.items()
        raise ExpressionError(f"unknown name {name!r}{_where(node)}: bind it as {name}=VALUE")
    if missing:
        names = sorted(missing, key=lambda n: (missing[n].lineno, missing[n].col_offset))
        raise ExpressionError(
            f"unknown names {', '.join(map(repr, names))}: bind them as "
            + " ".join(f"{n}=VALUE" for n in names)
        )


def _as_value(x: Any) -> Value:
    return x if isinstance(x, Value) else Constant(x)


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line: the message, and where the usage is."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="chaingrad",
        description="Draw or explain the computation graph of an expression, with data and "
        "gradients.",
        epilog='example: chaingrad draw "3*(a + b*c)" a=5 b=3 c=2 -o J.svg  (an expression '
        'that starts with "-" goes after "--": chaingrad tree -- "-a*b" a=1 b=2)',
    )
    parser.add_argument("--version", action="version", version=f"chaingrad {autograd.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser, max_nodes: int = 1000) -> None:
        # argparse formats help with %: the operator % is written %%
        p.add_argument("expression", help=f"an expression using {_ALLOWED}".replace("%", "%%"))
        p.add_argument("bindings", nargs="*", metavar="NAME=VALUE", help="values of the names")
        p.add_argument("--label", default="out", help="label of the output node (default: out)")
        p.add_argument(
            "--max-nodes",
            type=int,
            default=max_nodes,
            help=f"values at most (default: {max_nodes})",
        )

    draw = sub.add_parser(
        "draw", help="render the graph to a file (svg, png, dot, pdf; html: the player)"
    )
    common(draw)
    draw.add_argument("-o", "--output", required=True, help="file to write, e.g. graph.svg")
    draw.add_argument("--format", choices=FORMATS, help="output format (default: from suffix)")
    draw.add_argument(
        "--rankdir",
        choices=RANKDIRS,
        default=None,
        help="direction of flow (default: LR or TB, whichever draws the graph less wide)",
    )
    draw.add_argument("--no-backward", action="store_true", help="draw before backward()")
    draw.add_argument("--no-grad", action="store_true", help="leave the gradients out")
    draw.add_argument(
        "--no-local-grads", action="store_true", help="no local derivatives on the arrows"
    )

    text = sub.add_parser("tree", help="print the graph as an indented text tree")
    common(text, max_nodes=10_000)
    text.add_argument("--no-backward", action="store_true", help="show before backward()")
    text.add_argument(
        "--local-grads",
        action="store_true",
        help="name each node as explain does and show its local derivatives (∂u/∂b = 2.0000)",
    )
    text.add_argument(
        "--max-depth",
        type=int,
        default=16,
        help="levels of indentation; deeper inputs go on in a block below (default: 16)",
    )

    steps = sub.add_parser("steps", help="one picture per backward step into a folder")
    common(steps)
    steps.add_argument(
        "-o",
        "--output",
        required=True,
        help="folder for step_001.svg, ..., or a .html file: the interactive player",
    )
    steps.add_argument(
        "--format", choices=FORMATS, help="default: svg (html for -o NAME.html: the player)"
    )
    steps.add_argument(
        "--rankdir",
        choices=RANKDIRS,
        default=None,
        help="direction of flow (default: LR or TB, whichever draws the graph less wide)",
    )
    steps.add_argument(
        "--max-steps",
        type=int,
        help="pages at most (default: as many as keep pages x edges within 12,000)",
    )
    steps.add_argument(
        "--no-local-grads", action="store_true", help="no local derivatives on the arrows"
    )

    why = sub.add_parser("explain", help="print the chain rule of backward(), step by step")
    common(why)
    why.add_argument("--wrt", metavar="NAME", help="only the steps that lead to this name")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for rejected input)."""
    args = _parser().parse_args(argv)
    try:
        _check_output(args)
        env = parse_bindings(args.bindings)
        root = build(parse_expression(args.expression), env, label=args.label)
        if args.command == "draw":
            if not args.no_backward:
                root.backward()
            path = render(
                root,
                args.output,
                format=args.format,
                rankdir=args.rankdir,
                show_grad=not args.no_grad,
                max_nodes=args.max_nodes,
                local_grads=not args.no_local_grads,
            )
            print(f"wrote {path}")
        elif args.command == "tree":
            if not args.no_backward:
                root.backward()
            print(
                tree(
                    root,
                    max_nodes=args.max_nodes,
                    max_depth=args.max_depth,
                    local_grads=args.local_grads,
                )
            )
        elif args.command == "explain":
            order = checked_order(root, args.max_nodes, drawing=False)  # the other commands' limit
            print(explain_view(GraphView(root, order), args.wrt, None))
        elif args.format == "html" or (
            args.format is None and Path(args.output).suffix.lower() == ".html"
        ):
            path = player(root, max_nodes=args.max_nodes, local_grads=not args.no_local_grads).save(
                args.output
            )
            print(f"wrote {path}")
        else:
            paths = render_steps(
                root,
                args.output,
                format=args.format or "svg",
                rankdir=args.rankdir,
                max_nodes=args.max_nodes,
                local_grads=not args.no_local_grads,
                max_steps=args.max_steps,
            )
            print(f"wrote {len(paths)} pictures to {args.output}")
    except GraphTooLargeError as e:  # said with the command's flags, not Python's keywords
        print(f"chaingrad: error: {e.advice(_flag, '`chaingrad tree`')}", file=sys.stderr)
        return 2
    except (ValueError, TypeError) as e:  # bad input: the expression, a binding, a format
        print(f"chaingrad: error: {_one_line(e)}", file=sys.stderr)
        return 2
    except (RuntimeError, OSError) as e:  # the renderer or the file system failed
        print(f"chaingrad: error: {_one_line(e)}", file=sys.stderr)
        return 1
    return 0


def _check_output(args: argparse.Namespace) -> None:
    """Refuse an output the command cannot write, before any work: a file in a folder that
    does not exist, or a picture's file name given to ``steps`` (which writes a folder)."""
    output = getattr(args, "output", None)
    if output is None:
        return
    path = Path(output)
    suffix = path.suffix.lower().lstrip(".")
    is_file = args.command == "draw" or suffix == "html" or args.format == "html"
    if args.command == "steps" and not is_file and suffix in FORMATS:
        raise ExpressionError(
            f"-o {output}: steps writes a folder of pictures (step_001.svg, ...), and "
            f"{path.name!r} is a file name: give a folder (-o {path.stem}/) or a .html file "
            "for the player"
        )
    if is_file and not path.parent.is_dir():
        raise ExpressionError(f"-o {output}: the folder {str(path.parent)!r} does not exist")


def _flag(keyword: str, n: int) -> str:
    """A Python keyword's command-line flag with a value: max_nodes, 5 -> --max-nodes 5."""
    return f"--{keyword.replace('_', '-')} {n}"


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())
