"""chaingrad in Pyodide (Python compiled to WebAssembly), run under Node, offline.

The wheel built from this tree is installed with micropip next to the pure wheels of its
dependencies, and `.ci/pyodide/check.py` runs inside Pyodide: the lecture's gradients exactly,
explain, tree, to_dot, grad, nn.fit of XOR, draw_dot and the player's page, all without a
Graphviz process. `.ci/pyodide/setup` fetches Pyodide (npm) and the wheels (PyPI); CI runs it
(.ci/run) and these tests; elsewhere they skip when it has not been run.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / ".ci" / "pyodide"
NEEDED = ("micropip", "tqdm", "graphviz")


def _missing() -> str | None:
    """What this machine lacks to run the check, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (HERE / "node_modules" / "pyodide" / "pyodide.asm.wasm").is_file():
        return "Pyodide's npm package is not in .ci/pyodide/node_modules"
    wheels = [p.name.lower() for p in (HERE / "wheels").glob("*.whl")]
    for name in NEEDED:
        if not any(w.startswith(name + "-") for w in wheels):
            return f"no {name} wheel in .ci/pyodide/wheels"
    if importlib.util.find_spec("build") is None:
        return "the build package is not installed (it is in the dev extra)"
    return None


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> str:
    """check.py's printout in Pyodide (the run fails the tests if it exits non-zero)."""
    if not (HERE / "check.mjs").is_file():
        # an unpacked sdist carries no .ci/ (.ci/check-sdist runs the suite there); the
        # checkout's own run, in .ci/run, is where this check runs
        pytest.skip("no .ci/pyodide here (an unpacked sdist): .ci/run runs this from the checkout")
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run .ci/pyodide/setup before the tests: {missing}")
        pytest.skip(f"{missing}: run `bash .ci/pyodide/setup` (CI does)")
    wheels = tmp_path_factory.mktemp("wheels")
    # the wheel from a clean copy, so that the build leaves nothing in the tree
    src = tmp_path_factory.mktemp("src") / "chaingrad"
    junk = ("*.egg-info", "build", "dist", ".git", ".venv", "demo-output", "node_modules")
    skip = ("__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache")
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(*junk, *skip))
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(wheels), str(src)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    for path in (HERE / "wheels").glob("*.whl"):
        shutil.copy(path, wheels)
    proc = subprocess.run(
        ["node", str(HERE / "check.mjs"), str(wheels)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=HERE,
    )
    assert proc.returncode == 0, f"the Pyodide check failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def lines(output: str, prefix: str) -> list[str]:
    return [ln for ln in output.splitlines() if ln.startswith(prefix)]


def test_the_wheel_installs_without_graphviz_pure(output: str) -> None:
    (installed,) = lines(output, "ok installed ")
    assert "'chaingrad'" in installed and "graphviz-pure" not in installed
    assert lines(output, "ok no graphviz-pure") and lines(output, "ok platform emscripten")


def test_the_lecture_gradients_are_exact_in_pyodide(output: str) -> None:
    assert lines(output, "ok lecture da=3 db=6 dc=9")  # check.py compares with ==


@pytest.mark.parametrize("what", ["explain", "tree", "to_dot", "grad", "nn.fit xor"])
def test_the_tools_work_in_pyodide(output: str, what: str) -> None:
    assert lines(output, f"ok {what}")


def test_drawings_and_the_player_need_no_graphviz_process(output: str) -> None:
    assert lines(output, "ok draw_dot svg")
    (hooks,) = lines(output, "ok player hooks ")
    assert hooks == "ok player hooks 7 values"  # the lecture graph: a, b, c, u, v, 3, J
    assert lines(output, "ok player of 300 values in ")


def test_practice_is_checked_once_it_exists(output: str) -> None:
    (quiz,) = lines(output, "ok practice.quiz ")
    exists = (ROOT / "autograd" / "practice.py").is_file() or (
        ROOT / "autograd" / "practice"
    ).is_dir()
    assert quiz.startswith("ok practice.quiz checked" if exists else "ok practice.quiz skipped")
    assert output.rstrip().endswith("ok all")
