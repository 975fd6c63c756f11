"""The package is typed (issue 11, item 22): it ships py.typed markers, and
``mypy --strict`` accepts a user's script written against the public API while
catching a typo such as ``J.bakward()``."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

import autograd
import nn

HERE = Path(__file__).parent / "typing"


def _mypy(*args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("mypy") is None:
        if os.environ.get("CI"):
            pytest.fail("mypy is part of the dev extra and must be installed in CI")
        pytest.skip("mypy is not installed (pip install '.[dev]'); CI runs this")
    # errors inside the packages are not the user's (as for an installed package)
    cmd = [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", *args]
    cmd += ["--no-incremental", "--cache-dir", os.devnull]  # leave no cache behind
    env = dict(os.environ)
    root = Path(autograd.__file__).parent.parent
    if root.name != "site-packages":  # a source checkout (an editable install's finder
        env["MYPYPATH"] = str(root)  # is invisible to mypy): point it at the packages
    return subprocess.run(
        [*cmd, "--config-file", os.devnull],  # the user's settings, not the project's
        capture_output=True,
        text=True,
        timeout=300,
        cwd=HERE,
        env=env,
    )


def test_packages_ship_py_typed_markers() -> None:
    for package in (autograd, nn):
        assert (Path(package.__file__).parent / "py.typed").is_file()


def test_mypy_strict_accepts_a_script_using_the_public_api() -> None:
    result = _mypy("user_script.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_catches_a_typo() -> None:
    result = _mypy("typo.py")
    assert result.returncode == 1
    assert 'typo.py:6: error: "Value" has no attribute "bakward"' in result.stdout
