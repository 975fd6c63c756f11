"""The command line's answers to typos and its two-argument functions and constants:
each refusal is one line, exit status 2, and says what to write instead."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import autograd
from autograd.cli import FUNCTIONS, build, main, parse_expression
from autograd.core.value import RULES


def refusal(argv: list[str], capsys) -> str:  # type: ignore[no-untyped-def]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("chaingrad: error: ") and err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(
    ("expression", "advice"),
    [
        ("tahn(x)", "unknown function 'tahn' at column 1: did you mean tanh?"),
        ("sqr(x) + 1", "did you mean sqrt?"),
        ("2x + 1", "write 2*x"),
        ("1 + 2.5x", "write 2.5*x"),
        ("3(x+1)", "calling a number at column 1: write 3*(x+1)"),
        ("x^2", "the operator ^ at column 2: use ** for powers (x**2)"),
    ],
)
def test_typos_get_a_suggestion(expression: str, advice: str, capsys) -> None:
    assert advice in refusal(["tree", expression, "x=1"], capsys)


def test_every_missing_name_is_listed_at_once(capsys) -> None:
    err = refusal(["tree", "a*b + c*d", "a=1"], capsys)
    assert "unknown names 'b', 'c', 'd': bind them as b=VALUE c=VALUE d=VALUE" in err


def test_two_argument_functions_and_pi() -> None:
    env = {"y": 1.0, "x": 2.0}
    out = build(parse_expression("atan2(y, x) + max(x, y) * pi - min(x, y) + hypot(x, y)"), env)
    assert out.data == math.atan2(1.0, 2.0) + 2.0 * math.pi - 1.0 + math.hypot(2.0, 1.0)
    out.backward()
    y = next(v for v in autograd.topological_order(out) if v.label == "y")
    assert y.grad == pytest.approx(2.0 / 5.0 - 1.0 + 1.0 / math.sqrt(5.0), rel=1e-15)


def test_argument_counts_are_checked(capsys) -> None:
    assert "atan2() at column 1 takes exactly two arguments" in refusal(
        ["tree", "atan2(x)", "x=1"], capsys
    )
    assert "tanh() at column 1 takes exactly one argument" in refusal(
        ["tree", "tanh(x, x)", "x=1"], capsys
    )


def test_pi_cannot_be_bound_or_called(capsys) -> None:
    assert "'pi' is a constant" in refusal(["tree", "pi*x", "x=1", "pi=3"], capsys)


def test_the_function_list_is_read_from_the_rules() -> None:
    # every op of the engine with a function of its name, nothing else
    expected = {
        name
        for name, rule in RULES.items()
        if name.isidentifier()
        and hasattr(autograd.functions, name)
        and not hasattr(rule, "accumulate")
    }
    assert set(FUNCTIONS) == expected and {"atan2", "tanh", "maximum"} <= expected


def test_a_missing_folder_is_a_one_line_error_with_status_2(tmp_path: Path, capsys) -> None:
    out = tmp_path / "nodir" / "J.svg"
    err = refusal(["draw", "a*b", "a=1", "b=2", "-o", str(out)], capsys)
    assert "folder" in err and "nodir" in err and not out.parent.exists()


def test_steps_refuses_a_picture_file_name(tmp_path: Path, capsys) -> None:
    out = tmp_path / "steps.svg"
    err = refusal(["steps", "a*b", "a=1", "b=2", "-o", str(out)], capsys)
    assert "steps.svg" in err and "folder" in err and not out.exists()


def test_tree_with_local_grads(capsys) -> None:
    assert main(["tree", "3*(a + b*c)", "a=5", "b=3", "c=2", "--local-grads"]) == 0
    text = capsys.readouterr().out
    assert "= 2.0000" in text and "∂" in text  # ∂u/∂b = c = 2
