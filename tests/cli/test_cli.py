"""The ``chaingrad`` command line: expressions parsed with ast only, drawn, refused cleanly."""

from __future__ import annotations

import ast
import math
import shutil
import subprocess
import sys
import sysconfig
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograd import Value
from autograd.cli import FUNCTIONS, ExpressionError, build, main, parse_bindings, parse_expression

SVG = "{http://www.w3.org/2000/svg}"


def drawn_values(svg: str) -> dict[str, list[str]]:
    """label -> [data text, grad text] of the labelled value nodes of an SVG drawing."""
    out = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") == "node":
            texts = [t.text or "" for t in g.iter(f"{SVG}text")]
            if len(texts) == 3:
                out[texts[0]] = texts[1:]
    return out


def test_draw_the_lecture_graph(tmp_path: Path, capsys) -> None:
    out = tmp_path / "J.svg"
    assert main(["draw", "3*(a + b*c)", "a=5", "b=3", "c=2", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    values = drawn_values(out.read_text(encoding="utf-8"))
    assert values["out"] == ["data 33.0000", "grad 1.0000"]
    assert values["a"] == ["data 5.0000", "grad 3.0000"]
    assert values["b"] == ["data 3.0000", "grad 6.0000"]  # dJ/db = 3c
    assert values["c"] == ["data 2.0000", "grad 9.0000"]  # dJ/dc = 3b


def test_no_backward_and_label_options(tmp_path: Path) -> None:
    out = tmp_path / "J.dot"
    args = ["draw", "3*(a + b*c)", "a=5", "b=3", "c=2", "-o", str(out)]
    assert main([*args, "--no-backward", "--label", "J"]) == 0
    text = out.read_text(encoding="utf-8")
    assert ">J</TD>" in text and ">grad</TD>" in text and "grad 3.0000" not in text
    assert main([*args, "--no-grad"]) == 0
    assert ">grad" not in out.read_text(encoding="utf-8")


def test_python_dash_m_autograd_renders(tmp_path: Path) -> None:
    out = tmp_path / "J.svg"
    proc = subprocess.run(
        [sys.executable, "-m", "autograd", "draw", "3*(a + b*c)", "a=5", "b=3", "c=2"]
        + ["-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert drawn_values(out.read_text(encoding="utf-8"))["c"] == ["data 2.0000", "grad 9.0000"]


def test_console_script_prints_a_tree() -> None:
    exe = shutil.which("chaingrad") or shutil.which("chaingrad", path=sysconfig.get_path("scripts"))
    if exe is None:
        pytest.skip("the chaingrad console script is not installed (pip install -e .)")
    proc = subprocess.run(
        [exe, "tree", "x*x + x", "x=3"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "+ out  data 12.0000  grad 1.0000"
    assert "x #1  data 3.0000  grad 7.0000" in proc.stdout  # d(x*x + x)/dx = 2x + 1


def test_steps_subcommand(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "steps"
    assert main(["steps", "3*(a + b*c)", "a=5", "b=3", "c=2", "-o", str(folder)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote 3 pictures to {folder}"
    assert sorted(p.name for p in folder.iterdir()) == [f"step_00{k}.svg" for k in (1, 2, 3)]


ATTACKS = [
    "__import__('os').system('touch PWNED')",
    "open('PWNED', 'w')",
    "exec('x=1')",
    "eval('1')",
    "a.__class__",
    "a.real",
    "(1).__class__.__bases__[0].__subclasses__()",
    "a[0]",
    "(lambda: a)()",
    "[a for a in (1, 2)]",
    "a if a else b",
    "a < b",
    "a and b",
    "(a := 3)",
    "'PWNED'",
    "f'{a}'",
    "exp",
    "exp(a, b)",
    "exp(x=a)",
    "exp(*[a])",
    "a // b",
    "a @ b",
    "~a",
    "not a",
    "True * a",
    "1j * a",
    "None",
    "...",
    "d * a",
    "a +",
    "",
    "a; b",
    "import os",
]


@pytest.mark.parametrize("expression", ATTACKS)
def test_rejected_expressions_fail_cleanly(expression, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out.svg"
    assert main(["draw", expression, "a=5", "b=2", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("chaingrad: error: ") and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # neither the drawing nor anything the code tried


def test_a_rejected_expression_exits_2_as_a_process(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "autograd", "draw", "__import__('os').system('touch PWNED')"]
        + ["-o", "out.svg"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "not allowed: attribute access" in proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("bindings", "message"),
    [
        (["a"], "expected NAME=VALUE"),
        (["a=five"], "is not a number"),
        (["1a=3"], "not a valid variable name"),
        (["for=3"], "not a valid variable name"),
        (["a=1", "a=2"], "bound twice"),
        (["exp=3"], "is a function"),
    ],
)
def test_bad_bindings(bindings, message, tmp_path, capsys) -> None:
    out = tmp_path / "out.svg"
    assert main(["draw", "a * 2", *bindings, "-o", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_unknown_name_says_how_to_bind_it(capsys) -> None:
    assert main(["tree", "a * d", "a=1"]) == 2
    assert "unknown name 'd' at column 5: bind it as d=VALUE" in capsys.readouterr().err


def test_unsupported_output_format_writes_nothing(tmp_path: Path, capsys) -> None:
    out = tmp_path / "J.txt"
    assert main(["draw", "a * 2", "a=1", "-o", str(out)]) == 2
    assert "unsupported format 'txt'" in capsys.readouterr().err
    assert not out.exists()


def test_size_guard_from_the_command_line(tmp_path: Path, capsys) -> None:
    out = tmp_path / "big.dot"
    expression = " + ".join(["a"] * 1200)  # 1199 sums and the leaf a
    assert main(["draw", expression, "a=1", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "1200 values, more than --max-nodes 1000" in err  # the command's flag, not Python's
    assert "Pass --max-nodes 1200 (or more)" in err and "use `chaingrad tree`" in err
    assert "max_nodes" not in err and "tree()" not in err
    assert not out.exists()
    assert main(["draw", expression, "a=1", "-o", str(out), "--max-nodes", "1199"]) == 2
    assert not out.exists()
    assert main(["draw", expression, "a=1", "-o", str(out), "--max-nodes", "1200"]) == 0
    assert out.exists()


# what a user typed -> words the refusal must use (never the name of a Python syntax class)
REFUSALS = [
    ("exp(1)(2)", "calling the result of a call"),
    ("(a)(2)", "unknown function 'a' at column 2"),
    ("2(3)", "calling a number"),
    ("a.b(2)", "attribute access"),
    ("(lambda: a)()", "lambdas"),
    ("a[0](2)", "subscripts"),
    ("a[1:2]", "subscripts"),
    ("{a: b}", "dicts"),
    ("a if b else 1", "if-else expressions"),
    ("-a < b", "comparisons"),
    ("(yield)", "yield"),
    ("f'{a!r:>10}'", "f-strings"),
]


@pytest.mark.parametrize(("expression", "words"), REFUSALS)
def test_refusals_name_the_construct_in_words(expression: str, words: str, capsys) -> None:
    assert main(["tree", expression, "a=1", "b=2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err, err
    python_names = {n for n in dir(ast) if isinstance(getattr(ast, n), type) and n[0].isupper()}
    said = err.split("error: ", 1)[1].replace(";", " ").replace(",", " ").split()
    assert not python_names & set(said), err


def test_every_kind_of_expression_has_words() -> None:
    from autograd.cli import _NAMES

    kinds = {
        c
        for c in vars(ast).values()
        if isinstance(c, type) and issubclass(c, ast.expr) and c is not ast.expr
    }
    allowed = {ast.BinOp, ast.UnaryOp, ast.Name, ast.Constant, ast.Call}
    # ast.Num, ast.Str, ... are deprecated aliases that ast.parse never makes
    deprecated = {
        c for c in kinds if c.__name__ in {"Num", "Str", "Bytes", "NameConstant", "Ellipsis"}
    }
    assert kinds - allowed - deprecated - set(_NAMES) == set()


@pytest.mark.parametrize("digits", [400, 4301, 20_000])
def test_huge_integer_literals_are_refused_in_words(digits: int, capsys) -> None:
    assert main(["tree", "a + 1" + "0" * digits, "a=1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "number at column 5 is too large" in err, err
    assert "sys." not in err and "hexadecimal" not in err  # no advice for Python programmers


@pytest.mark.parametrize(
    ("expression", "bindings", "seen", "meant"),
    [
        ("\u210c*2", ["H=3"], "\u210c", "H"),  # ℌ, which Python reads as H
        ("x*2", ["\uff58=3"], "\uff58", "x"),  # a fullwidth x in a binding
        ("\uff45\uff58\uff50(x)", ["x=1"], "\uff45\uff58\uff50", "exp"),  # fullwidth exp
        ("\ufb01*2", ["fi=1"], "\ufb01", "fi"),  # the ligature fi
    ],
)
def test_names_that_python_would_silently_change_are_refused(
    expression: str, bindings: list[str], seen: str, meant: str, capsys
) -> None:
    assert main(["tree", expression, *bindings]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{seen!r}" in err and f"{meant!r}" in err and "NFKC" in err, err


def test_columns_count_characters_not_bytes(capsys) -> None:
    assert main(["tree", "\u03b1 + d", "\u03b1=1"]) == 2  # "α + d": d is the 5th character
    assert "unknown name 'd' at column 5" in capsys.readouterr().err
    assert main(["tree", "  \u03b1 + d", "\u03b1=1"]) == 2  # leading spaces count too
    assert "unknown name 'd' at column 7" in capsys.readouterr().err
    assert main(["tree", "(\u03b1 +\n  \u03b2 * d)", "\u03b1=1", "\u03b2=2"]) == 2
    assert "unknown name 'd' at line 2, column 7" in capsys.readouterr().err
    assert main(["tree", "(\u03b1 +\r\n  \u03b2 * \u210c)", "\u03b1=1", "\u03b2=2", "H=3"]) == 2
    assert "name '\u210c' at line 2, column 7 would be read as 'H'" in capsys.readouterr().err


def test_names_in_other_scripts_are_fine(capsys) -> None:
    assert main(["tree", "\u03b1 * \u03b2", "\u03b1=2", "\u03b2=3"]) == 0  # α * β
    assert "\u03b1  data 2.0000  grad 3.0000" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "chaingrad: error: the following arguments are required: COMMAND"),
        (["draw", "a", "a=1"], "chaingrad draw: error: the following arguments are required: "),
        (["tree", "a", "a=1", "--max-nodes", "x"], "invalid int value: 'x'"),
        (["steps", "a", "a=1", "-o", "s", "--format", "gif"], "invalid choice: 'gif'"),
        (["paint", "a"], "invalid choice: 'paint'"),
        (["tree", "a", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_are_one_line(argv: list[str], message: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert "--help" in err  # where the usage is


def test_tree_size_error_names_the_flag_and_not_itself(capsys) -> None:
    expression = " + ".join(["a"] * 150)
    assert main(["tree", expression, "a=1", "--max-nodes", "100"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "150 values, more than --max-nodes 100" in err and "Pass --max-nodes 150" in err
    assert "chaingrad tree" not in err and "tree()" not in err and "max_nodes" not in err


def test_steps_limit_names_the_flag(tmp_path: Path, capsys) -> None:
    expression = "+".join(["a"] * 200)  # 199 steps of 2 inputs each
    out = tmp_path / "steps"
    assert main(["steps", expression, "a=1", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert (
        "199 steps, more than the default limit (30 for this graph)" in err
        and "Pass --max-steps 199" in err
    )
    assert not out.exists()
    assert (
        main(
            ["steps", expression, "a=1", "-o", str(out), "--format", "dot"] + ["--max-steps", "199"]
        )
        == 0
    )
    assert len(list(out.iterdir())) == 199


def test_tree_max_depth(capsys) -> None:
    assert main(["tree", "exp(exp(exp(x)))", "x=0", "--max-depth", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].startswith("    └── exp t1 #1  data ") and lines[2].endswith(
        "(inputs below, at #1)"
    )
    assert lines[4] == "exp t1 #1 (continued)"
    assert lines[5].startswith("└── x  data 0.0000")


# ---------------------------------------------------------------- the graph it builds


def graph_of(expression: str, **env: float) -> Value:
    return build(parse_expression(expression), parse_bindings([f"{k}={v}" for k, v in env.items()]))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# each function name: the op it must build, its value and its derivative at x, from math
FUNCTION_CASES = {
    "exp": ("exp", math.exp, math.exp),
    "log": ("log", math.log, lambda x: 1.0 / x),
    "sqrt": ("sqrt", math.sqrt, lambda x: 0.5 / math.sqrt(x)),
    "sin": ("sin", math.sin, math.cos),
    "cos": ("cos", math.cos, lambda x: -math.sin(x)),
    "tanh": ("tanh", math.tanh, lambda x: 1.0 - math.tanh(x) ** 2),
    "sigmoid": ("sigmoid", _sigmoid, lambda x: _sigmoid(x) * (1.0 - _sigmoid(x))),
    "relu": ("relu", lambda x: max(x, 0.0), lambda x: 1.0 if x > 0 else 0.0),
    "softplus": ("softplus", lambda x: math.log1p(math.exp(x)), _sigmoid),
    "abs": ("abs", abs, lambda x: math.copysign(1.0, x)),
    "tan": ("tan", math.tan, lambda x: 1.0 / math.cos(x) ** 2),
    "asin": ("asin", math.asin, lambda x: 1.0 / math.sqrt(1.0 - x * x)),
    "acos": ("acos", math.acos, lambda x: -1.0 / math.sqrt(1.0 - x * x)),
    "atan": ("atan", math.atan, lambda x: 1.0 / (1.0 + x * x)),
    "sinh": ("sinh", math.sinh, math.cosh),
    "cosh": ("cosh", math.cosh, math.sinh),
    "asinh": ("asinh", math.asinh, lambda x: 1.0 / math.sqrt(x * x + 1.0)),
    "acosh": ("acosh", math.acosh, lambda x: 1.0 / math.sqrt(x * x - 1.0)),
    "atanh": ("atanh", math.atanh, lambda x: 1.0 / (1.0 - x * x)),
    "log2": ("log2", math.log2, lambda x: 1.0 / (x * math.log(2.0))),
    "log10": ("log10", math.log10, lambda x: 1.0 / (x * math.log(10.0))),
    "log1p": ("log1p", math.log1p, lambda x: 1.0 / (1.0 + x)),
    "expm1": ("expm1", math.expm1, math.exp),
    "exp2": ("exp2", lambda x: 2.0**x, lambda x: 2.0**x * math.log(2.0)),
    "erf": ("erf", math.erf, lambda x: 2.0 / math.sqrt(math.pi) * math.exp(-x * x)),
    "erfc": ("erfc", math.erfc, lambda x: -2.0 / math.sqrt(math.pi) * math.exp(-x * x)),
    "sinc": (
        "sinc",
        lambda x: math.sin(math.pi * x) / (math.pi * x),
        lambda x: (math.cos(math.pi * x) - math.sin(math.pi * x) / (math.pi * x)) / x,
    ),
    "sign": ("sign", lambda x: math.copysign(1.0, x), lambda x: 0.0),
    "floor": ("floor", math.floor, lambda x: 0.0),
    "ceil": ("ceil", math.ceil, lambda x: 0.0),
    "trunc": ("trunc", math.trunc, lambda x: 0.0),
    "gelu": (
        "gelu",
        lambda x: x * (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0,
        lambda x: (
            (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0
            + x * math.exp(-x * x / 2.0) / math.sqrt(2.0 * math.pi)
        ),
    ),
    "silu": (
        "silu",
        lambda x: x * _sigmoid(x),
        lambda x: _sigmoid(x) * (1 + x * (1 - _sigmoid(x))),
    ),
    "deg2rad": ("deg2rad", math.radians, lambda x: math.pi / 180.0),
    "rad2deg": ("rad2deg", math.degrees, lambda x: 180.0 / math.pi),
}


# the points for functions whose domain is not all of [0.7, 1.9]
POINTS = {"asin": (0.7, -0.4), "acos": (0.7, -0.4), "atanh": (0.7, -0.4), "acosh": (1.3, 1.9)}


@pytest.mark.parametrize("name", sorted(FUNCTION_CASES))
@pytest.mark.parametrize("i", [0, 1])
def test_every_function_builds_the_engines_op(name: str, i: int) -> None:
    op, f, df = FUNCTION_CASES[name]
    x = POINTS.get(name, (0.7, 1.9))[i]
    y = graph_of(f"{name}(x)", x=x)
    assert y.op == op
    assert y.data == pytest.approx(f(x), rel=1e-12)
    y.backward()
    (leaf,) = [v for v in _leaves(y) if v.label == "x"]
    assert leaf.grad == pytest.approx(df(x), rel=1e-12)


def test_every_engine_function_is_offered() -> None:
    from autograd.cli import ARITY

    # the functions of two arguments: tests/cli/test_cli_typos.py
    assert set(FUNCTION_CASES) == {name for name in FUNCTIONS if ARITY[name] == 1}


def _leaves(root: Value) -> list[Value]:
    from autograd import topological_order

    return [v for v in topological_order(root) if not v.parents]


def test_names_are_shared_leaves_labelled_by_name() -> None:
    y = graph_of("a*a + b", a=3, b=1)
    assert sorted(v.label for v in _leaves(y)) == ["a", "b"]
    assert y.label == "out"
    y.backward()
    (a,) = [v for v in _leaves(y) if v.label == "a"]
    assert a.grad == 6.0  # d(a*a)/da = 2a, through one shared leaf


@pytest.mark.parametrize("command", ["draw", "tree", "steps"])
def test_help_lists_the_operators_and_functions(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "+ - * / % **" in text and "atanh" in text and "gelu" in text


def test_remainder() -> None:
    y = graph_of("a % b", a=7, b=-3)
    assert (y.op, y.data) == ("%", -2.0)  # Python's sign convention: the sign of b
    y.backward()
    (a,) = [v for v in _leaves(y) if v.label == "a"]
    (b,) = [v for v in _leaves(y) if v.label == "b"]
    assert (a.grad, b.grad) == (1.0, 3.0)  # d/da = 1, d/db = -floor(a/b) = 3
    assert graph_of("7 % 3").data == 1.0
    assert math.isnan(graph_of("1 % 0").data)  # nan, not ZeroDivisionError


def test_constants_and_powers() -> None:
    assert graph_of("x**2", x=3).op == "**2"
    assert graph_of("x**-2", x=3).op == "**-2"
    assert graph_of("2**x", x=3).op == "2**"
    assert graph_of("x**y", x=3, y=2).op == "**"
    assert graph_of("-x", x=3).op == "neg"
    # number op number is a graph node, not Python arithmetic: 9**9**9 on ints never ends
    assert graph_of("2*3").op == "*"
    assert graph_of("9**9**9").data == math.inf
    assert graph_of("7").data == 7.0


def test_deep_expressions_need_no_recursion() -> None:
    # Python's own parser gives up on a few thousand nested operators, so the syntax tree is
    # made by hand: 5000 levels, far past the recursion limit of a recursive evaluator.
    tree: ast.expr = ast.Name("a", ast.Load())
    for _ in range(5000):
        tree = ast.BinOp(tree, ast.Add(), ast.Constant(1))
    y = build(tree, {"a": 0.5})
    assert y.data == 5000.5


def test_too_long_an_expression_is_a_clean_error(capsys) -> None:
    assert main(["tree", " + ".join(["a"] * 100_000), "a=1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("chaingrad: error: ") and err.count("\n") == 1


def test_parse_expression_rejects_before_building() -> None:
    with pytest.raises(ExpressionError, match="not allowed: subscripts"):
        parse_expression("a[0]")
    with pytest.raises(ExpressionError, match="unknown function 'print'"):
        parse_expression("print(a)")
    with pytest.raises(ExpressionError, match="must be called"):
        parse_expression("exp + 1")
    with pytest.raises(ExpressionError, match="too large"):
        graph_of("1" + "0" * 400)
