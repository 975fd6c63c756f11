"""Comments and docstrings give reasons, not measurements that go stale ("a fifth of a
training step", "about 3%", "took 35 s") or tracker numbers ("issue 11, item 25"): the
figures live in benchmarks/ and commit messages."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).parents[2]
STALE = re.compile(
    r"\bissue \d+|\bitem \d+|\babout \d+(\.\d+)? ?%|\d+(\.\d+)? ?% of|\d+(\.\d+)?x (faster|slower)"
    r"|\b(three|four|five|ten) times (faster|slower)|\ba (fifth|third|quarter) of"
    r"|\b(took|takes) \d+(\.\d+)? ?(ms|s|seconds|minutes)\b",
    re.IGNORECASE,
)


def _prose(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every comment and docstring of a module."""
    source = path.read_text(encoding="utf-8")
    found = [
        (tok.start[0], tok.string)
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                found.append((getattr(node, "lineno", 1), doc))
    return found


def test_no_measurement_or_tracker_number_in_comments() -> None:
    stale = [
        f"{path.relative_to(ROOT)}:{line}: {m.group(0)!r}"
        for folder in ("autograd", "nn")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, text in _prose(path)
        for m in STALE.finditer(" ".join(text.split()))
    ]
    assert stale == []


def test_the_check_can_fail() -> None:
    for text in (
        "# a fifth of a training step",
        "# about 3% faster",
        "# issue 11, item 25",
        "# then takes 10 s instead",
    ):
        assert STALE.search(text), text
