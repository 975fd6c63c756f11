"""The distribution is complete (issue 11, item 23): the sdist carries every
file the tests need (tests/ with conftest.py and data/, docs/), the benchmarks
and the py.typed markers; the version has one source; the metadata has its
classifiers. (`.ci/check-sdist` goes further: it installs the sdist in a fresh
environment and runs this suite from the unpacked tree.)"""

from __future__ import annotations

import email.parser
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import autograd

ROOT = Path(__file__).resolve().parents[2]
SKIP = {"__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache", ".ruff_cache"}


@pytest.fixture(scope="module")
def sdist(tmp_path_factory) -> tarfile.TarFile:
    if importlib.util.find_spec("build") is None:
        if os.environ.get("CI"):
            pytest.fail("build is part of the dev extra and must be installed in CI")
        pytest.skip("the build package is not installed (pip install '.[dev]'); CI runs this")
    out = tmp_path_factory.mktemp("dist")
    # from a clean copy: an egg-info left by an editable install would add its
    # own file list to the sdist and hide what MANIFEST.in misses
    clean = tmp_path_factory.mktemp("src") / "chaingrad"
    junk = ("*.egg-info", "build", "dist", ".git", ".venv", "demo-output", *SKIP)
    shutil.copytree(ROOT, clean, ignore=shutil.ignore_patterns(*junk))
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(out), str(clean)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (archive,) = out.glob("chaingrad-*.tar.gz")
    return tarfile.open(archive)


def members(sdist: tarfile.TarFile) -> set[str]:
    return {"/".join(m.name.split("/")[1:]) for m in sdist.getmembers() if m.isfile()}


def source_files(folder: str) -> set[str]:
    found = set()
    for path in (ROOT / folder).rglob("*"):
        rel = path.relative_to(ROOT)
        if path.is_file() and not SKIP & set(rel.parts) and path.suffix != ".pyc":
            found.add(rel.as_posix())
    return found


@pytest.mark.parametrize("folder", ["tests", "docs", "autograd", "nn", "demos", "benchmarks"])
def test_the_sdist_carries_every_file_of(sdist: tarfile.TarFile, folder: str) -> None:
    missing = source_files(folder) - members(sdist)
    assert not missing, f"missing from the sdist: {sorted(missing)}"


def test_the_sdist_has_what_pytest_needs(sdist: tarfile.TarFile) -> None:
    files = members(sdist)
    for needed in ("tests/conftest.py", "tests/data/seed_cases.json", "pyproject.toml"):
        assert needed in files
    assert {"autograd/py.typed", "nn/py.typed", "README.md", "LICENSE"} <= files
    assert not [f for f in files if "__pycache__" in f or ".mypy_cache" in f]


def test_one_version_and_the_metadata(sdist: tarfile.TarFile) -> None:
    top = sdist.getmembers()[0].name.split("/")[0]
    info = sdist.extractfile(f"{top}/PKG-INFO")
    assert info is not None
    meta = email.parser.Parser().parsestr(info.read().decode())
    assert meta["Version"] == autograd.__version__  # read from autograd, nowhere else
    classifiers = meta.get_all("Classifier")
    assert "Typing :: Typed" in classifiers
    assert "Programming Language :: Python :: 3 :: Only" in classifiers
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert not re.search(r'^version\s*=\s*"', pyproject, re.MULTILINE)  # no second copy
