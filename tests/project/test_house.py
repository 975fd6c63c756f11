"""The house's rules, read from the source with ``ast`` (nothing is imported):

- imports go downward only: ``autograd.core`` <- ``functions``/``functional`` <-
  {``display``, ``compiler``, ``testing``} <- the top (``__init__``, ``cli``, ``extend``,
  ``practice``); ``nn`` imports only ``autograd`` and ``autograd.extend``;
- no import cycle among the modules of ``autograd`` and ``nn``;
- no ``_private`` name is imported from another room;
- no file is over 1,000 lines but the op table (``autograd/core/value.py``);
- no module shares its name with a function or class it exports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("autograd", "nn")

# A module's level; a module may import only modules of a lower level or of its own room.
LEVELS = {
    "autograd.core": 0,
    "autograd.functions": 1,
    "autograd.functional": 1,
    "autograd.display": 2,
    "autograd.compiler": 2,
    "autograd.testing": 2,
}
TOP = 3  # autograd/__init__, cli, extend, practice, __main__


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _room(module: str) -> str:
    """The room a module belongs to: its subpackage of autograd, or the module itself."""
    parts = module.split(".")
    if parts[0] == "nn":
        return "nn"
    if parts[0] == "autograd" and len(parts) > 1 and f"autograd.{parts[1]}" in LEVELS:
        return f"autograd.{parts[1]}"
    return module


def _level(module: str) -> int:
    return LEVELS.get(_room(module), TOP)


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    is_package = MODULES[module].name == "__init__.py"
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str, lazy: bool = True) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for each import of ours; with
    ``lazy=False`` only those that run when the module is imported (``TYPE_CHECKING``
    blocks included), not those inside a function."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found = []
    for node in _walk(tree, lazy):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    found.append((alias.name, [], node.lineno))
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            if target.split(".")[0] not in PACKAGES:
                continue
            names = []
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in MODULES:  # `from autograd.core import ieee`: a module
                    found.append((sub, [], node.lineno))
                else:
                    names.append(alias.name)
            if names:
                found.append((target, names, node.lineno))
    return found


def _walk(tree: ast.AST, lazy: bool) -> list[ast.AST]:
    if lazy:
        return list(ast.walk(tree))
    found: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))
    return found


def _owner(target: str) -> str:
    """The module of ours that ``target`` names (a module, or the package above a name)."""
    while target not in MODULES:
        target = target.rpartition(".")[0]
    return target


def test_the_modules_are_found() -> None:
    assert "autograd.core.value" in MODULES and "nn.train" in MODULES
    assert len(MODULES) > 30


def test_imports_go_downward_only() -> None:
    wrong = []
    for module in MODULES:
        for target, _, line in _imports(module):
            target = _owner(target)
            if module.startswith("nn"):
                if target.startswith("autograd") and target not in ("autograd", "autograd.extend"):
                    wrong.append(
                        f"{module}:{line} imports {target} (nn takes autograd, autograd.extend)"
                    )
                continue
            if target.startswith("nn"):
                wrong.append(f"{module}:{line} imports {target} (autograd never imports nn)")
                continue
            if _room(target) == _room(module):
                continue
            if _level(target) >= _level(module) and _level(module) != TOP:
                wrong.append(f"{module}:{line} imports {target} (not below it)")
    assert not wrong, "\n".join(wrong)


def test_no_private_name_crosses_rooms() -> None:
    wrong = []
    for module in MODULES:
        for target, names, line in _imports(module):
            owner = _owner(target)
            if _room(owner) == _room(module):
                continue
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            hidden = [p for p in owner.split(".") if p.startswith("_") and p != "__main__"]
            if private or hidden:
                wrong.append(f"{module}:{line} takes {private or hidden} from {owner}")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle() -> None:
    """No cycle among the imports that run at import time. (A method may load an
    adapter on first use, as ``MLP.to_torch`` loads ``nn.torch_bridge``, which
    imports ``nn.module``; the downward rule above still holds for those.)"""
    edges = {m: {_owner(t) for t, _, _ in _imports(m, lazy=False)} - {m} for m in MODULES}
    colour: dict[str, int] = {}
    cycles = []
    for start in MODULES:
        if start in colour:
            continue
        stack = [(start, iter(sorted(edges[start])))]
        path = [start]
        colour[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                colour[node] = 2
            elif colour.get(child) == 1:
                cycles.append(" -> ".join(path[path.index(child) :] + [child]))
            elif child not in colour:
                colour[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(edges[child]))))
    assert not cycles, "\n".join(cycles)


def test_no_file_is_over_a_thousand_lines_but_the_op_table() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in MODULES.values()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 1000
    }
    long.pop("autograd/core/value.py", None)  # each op and its rule stay together
    assert not long


@pytest.mark.parametrize("package", ["autograd", "nn"])
def test_no_module_shares_a_name_with_what_it_exports(package: str) -> None:
    import importlib

    pkg = importlib.import_module(package)
    clashes = [
        name
        for name in getattr(pkg, "__all__", [])
        if f"{package}.{name}" in MODULES and callable(getattr(pkg, name))
    ]
    assert not clashes


def test_a_negative_control_the_checks_can_fail() -> None:
    """The cycle and level checks see a planted wrong import."""
    fake = ast.parse("from autograd.display import explain\n")
    node = fake.body[0]
    assert isinstance(node, ast.ImportFrom)
    target = _owner(_resolve("autograd.core.value", node))
    assert _level(target) > _level("autograd.core.value")
