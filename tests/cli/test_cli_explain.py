"""``chaingrad explain`` and ``--no-local-grads``: the same parsing rules as the other commands
(ast only, never evaluated), the same text as ``autograd.explain``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autograd import explain
from autograd.cli import main
from autograd.core.value import Constant


def test_explain_the_lecture_expression(capsys) -> None:
    assert main(["explain", "3*(a + b*c)", "a=5", "b=3", "c=2", "--label", "J"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "J = 33.0000; backward() takes 3 steps, from J back to its inputs."
    assert "  dJ/db = dJ/dt1 · ∂t1/∂b = 3.0000 · c = 3.0000 · 2.0000 = 6.0000" in out
    assert out[-1] == "so dJ/da = 3.0000, dJ/db = 6.0000, dJ/dc = 9.0000"  # 3, 3c, 3b


def test_explain_wrt(capsys) -> None:
    assert main(["explain", "3*(a + b*c)", "a=5", "b=3", "c=2", "--wrt", "c"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "so dout/dc = 9.0000"
    assert not any("dout/da" in line for line in out)
    assert main(["explain", "a*b", "a=1", "b=2", "--wrt", "z"]) == 2
    err = capsys.readouterr().err
    assert err == "chaingrad: error: no value of the graph is named or labelled 'z'\n"


def test_explain_prints_what_the_library_prints(capsys) -> None:
    from autograd.cli import build, parse_bindings, parse_expression

    expression = "tanh(x*w + b) + x**2"
    bindings = ["x=2", "w=-0.5", "b=0.1"]
    assert main(["explain", expression, *bindings]) == 0
    root = build(parse_expression(expression), parse_bindings(bindings))
    assert capsys.readouterr().out == explain(root, max_steps=None) + "\n"


def test_explain_refuses_what_the_other_commands_refuse(tmp_path: Path, capsys) -> None:
    assert main(["explain", "__import__('os').system('touch PWNED')"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("chaingrad: error: not allowed") and err.count("\n") == 1
    assert main(["explain", " + ".join(["a"] * 1200), "a=1"]) == 2
    assert "1200 values, more than --max-nodes 1000" in capsys.readouterr().err


def test_numbers_in_an_expression_are_constants() -> None:
    from autograd.cli import build, parse_expression

    out = build(parse_expression("2*3"), {})
    assert all(isinstance(p, Constant) for p in out.parents)


@pytest.mark.parametrize("command", ["draw", "steps"])
def test_no_local_grads(command: str, tmp_path: Path) -> None:
    out = tmp_path / ("J.dot" if command == "draw" else "steps")
    args = [command, "3*(a + b*c)", "a=5", "b=3", "c=2", "-o", str(out), "--format", "dot"]
    assert main(args) == 0
    first = out if command == "draw" else sorted(out.iterdir())[0]
    assert 'shape=none, label="2.0000"' in first.read_text(encoding="utf-8")  # ∂(bc)/∂b = c
    assert main([*args, "--no-local-grads"]) == 0
    first = out if command == "draw" else sorted(out.iterdir())[0]
    text = first.read_text(encoding="utf-8")
    assert "shape=none" not in text and "local derivative" not in text


def test_explain_as_a_process() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "autograd", "explain", "x*x + x", "x=3", "--label", "y"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "  dy/dx = 1.0000 + 3.0000 + 3.0000 = 7.0000" in proc.stdout  # 1 + x + x
