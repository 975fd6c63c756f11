"""Every public name of autograd, nn and autograd.testing has an example in its docstring, and
every example runs (doctest); so do the examples of the site's Markdown pages (docs/**/*.md).

The reference pages are generated from the same ``__all__`` lists (docs/hooks.py), so a new
public name without an example fails here before it reaches the site.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = (
    "autograd",
    "autograd.functions",
    "autograd.extend",
    "autograd.practice",
    "nn",
    "autograd.testing",
)
PAGES = sorted(p for p in (ROOT / "docs").rglob("*.md") if p.name != "README_front_page_draft.md")


def public_objects() -> list[tuple[str, object]]:
    out = []
    for name in MODULES:
        module = importlib.import_module(name)
        out += [(f"{name}.{attr}", getattr(module, attr)) for attr in module.__all__]
    return out


PUBLIC = public_objects()


def examples(obj: object, name: str) -> list[doctest.DocTest]:
    """The doctests of the object's own docstring (not its members')."""
    doc = inspect.getdoc(obj) if not isinstance(obj, (dict, tuple, list)) else None
    if isinstance(obj, (dict, tuple, list)):
        return []
    parser = doctest.DocTestParser()
    test = parser.get_doctest(doc or "", {}, name, None, 0)
    return [test] if test.examples else []


def run(test: doctest.DocTest, globs: dict[str, object]) -> None:
    test.globs = dict(globs)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    out: list[str] = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)


@pytest.mark.parametrize(("name", "obj"), PUBLIC, ids=[n for n, _ in PUBLIC])
def test_public_docstring_example_runs(name: str, obj: object) -> None:
    if isinstance(obj, (dict, tuple, list)):
        # a constant has no docstring of its own: its module's docstring shows it in use
        module = importlib.import_module(name.rsplit(".", 1)[0])
        holder = module
        tests = examples(holder, name)
        assert tests, f"{name} is a constant: its package docstring needs an example"
        assert name.rsplit(".", 1)[1] in (inspect.getdoc(holder) or ""), (
            f"{name}: the package docstring's example should use it"
        )
    else:
        tests = examples(obj, name)
        assert tests, f"{name}: its docstring has no example (a >>> block under Examples:)"
    module_name = getattr(obj, "__module__", None) or name.rsplit(".", 1)[0]
    globs = dict(vars(importlib.import_module(module_name))) if module_name else {}
    for test in tests:
        run(test, globs)


def test_every_package_module_doctest_passes() -> None:
    """doctest over every module of the packages: examples on private helpers and members too."""
    import pkgutil

    failures = []
    for package in ("autograd", "nn"):
        pkg = importlib.import_module(package)
        names = [package] + [
            m.name
            for m in pkgutil.walk_packages(pkg.__path__, prefix=f"{package}.")
            if not m.name.endswith("__main__")
        ]
        for name in names:
            module = importlib.import_module(name)
            result = doctest.testmod(
                module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=False
            )
            if result.failed:
                failures.append(f"{name}: {result.failed} of {result.attempted} failed")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT / "docs")) for p in PAGES])
def test_markdown_page_examples_run(page: Path) -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(page.read_text(encoding="utf-8"), {}, str(page), str(page), 0)
    run(test, {})
