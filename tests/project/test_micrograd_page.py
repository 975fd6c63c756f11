"""docs/coming_from_micrograd.md: every micrograd name the issue lists has its counterpart,
and the page's code runs and gives backward()'s numbers."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from autograd import Value

PAGE = Path(__file__).parents[2] / "docs" / "coming_from_micrograd.md"


def test_the_table_covers_micrograds_names_and_habits() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for said in (
        "`v._prev`",
        "`v.parents`",
        "`v._op`",
        "`v._backward()`",
        "nonlin=",
        "activation=",
        "returns a list",
        "backward()` twice",
        "random.seed",
        "rng=",
    ):
        assert said in text, said


def test_the_pages_code_runs_and_matches_backward() -> None:
    (block,) = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, str(PAGE), "exec"), {})
    x1, w1, b = Value(2.0), Value(-3.0), Value(6.8813735870195432)
    (x1 * w1 + b).tanh().backward()
    assert out.getvalue() == f"{x1.grad} {w1.grad}\n"


def test_the_readme_links_the_page() -> None:
    readme = (PAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "(docs/coming_from_micrograd.md)" in readme.split("## ", 1)[0]
