"""Build the documentation site into site/: ``python docs/build.py``.

1. ``mkdocs build --strict``: every warning is an error, every notebook is executed
   (an error in a cell fails the build), the reference is generated from ``__all__``
   and the gallery runs the lecture demos (docs/hooks.py).
2. The JupyterLite site under ``site/lite/``: the chaingrad wheel built from this
   tree, the tutorials listed in ``hooks.LITE_NOTEBOOKS``, and a Pyodide that is
   served from the site itself, so "Run in your browser" needs no network:

   - the runtime (``pyodide.mjs``, ``pyodide.asm.wasm``, ``python_stdlib.zip``,
     ``pyodide-lock.json``, ...) from the npm registry's ``pyodide`` package;
   - the wheels the kernel loads at start (micropip, IPython and their
     dependencies) from PyPI, at the versions that lock file names. They are the
     same projects' PyPI wheels, not Pyodide's rebuilt copies (which drop the
     tests of some), so the lock's sha256 entries are rewritten to the PyPI files'.

   Pyodide's other packages (numpy, matplotlib, ...) are not shipped: a lite
   notebook can use chaingrad and the standard library only.

Options: ``--no-lite`` builds the mkdocs site only; ``--site DIR`` builds elsewhere.
Downloads (npm, PyPI) are cached in ``.cache/docs/``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "docs"

# Packages of Pyodide's lock file to ship: what the kernel loads while it starts (micropip
# by loadPackage, then through piplite jedi and ipython; ipykernel and pyodide-kernel come
# with the kernel's extension), and chaingrad's dependency tqdm, which micropip takes from
# the lock when the lock has it.
KERNEL_PACKAGES = ("micropip", "jedi", "ipython", "tqdm")
# Wheels for the lite site's own index (piplite), besides chaingrad: graphviz (chaingrad's
# pure dependency) and comm (the kernel installs it), which Pyodide's lock does not list.
PIPLITE_EXTRA = ("graphviz", "comm")


def run(cmd: list[str], **kwargs: object) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)  # type: ignore[call-overload]


def env_with_root() -> dict[str, str]:
    """This tree first on sys.path, for mkdocs, the kernels it starts and the demos."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.setdefault("MPLBACKEND", "Agg")
    # Material prints a banner about its successor on every build; it is not a warning
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    return env


def build_mkdocs(site: Path) -> None:
    run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(site)],
        cwd=ROOT,
        env=env_with_root(),
    )


def pyodide_npm() -> str:
    """The npm package of the Pyodide that the installed kernel is built for."""
    from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION  # type: ignore[import-untyped]

    return f"pyodide@{PYODIDE_VERSION}"


def pyodide_runtime() -> Path:
    """The npm package ``pyodide``, unpacked (cached)."""
    package = pyodide_npm()
    target = CACHE / package.replace("@", "-")
    if (target / "pyodide.mjs").is_file():
        return target
    with tempfile.TemporaryDirectory() as tmp:
        run(["npm", "pack", package, "--silent", "--pack-destination", tmp], cwd=tmp)
        (tgz,) = Path(tmp).glob("pyodide-*.tgz")
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(Path(tmp) / "package", target)
    return target


def lock_closure(lock: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    """The names and every dependency, as the lock file lists them."""
    todo, seen = list(names), []
    while todo:
        name = todo.pop().lower().replace("_", "-")  # the lock's keys are normalized
        if name in seen:
            continue
        seen.append(name)
        todo.extend(lock["packages"][name]["depends"])
    return sorted(seen)


def pip_download(specs: list[str], dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--platform",
            "any",
            "--python-version",
            "3.14",
            "--dest",
            str(dest),
            *specs,
        ]
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pyodide_dir(lite_dir: Path) -> None:
    """lite_dir/static/pyodide: the npm runtime plus the kernel's wheels from PyPI."""
    runtime = pyodide_runtime()
    out = lite_dir / "static" / "pyodide"
    out.mkdir(parents=True)
    for name in (
        "pyodide.mjs",
        "pyodide.js",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "package.json",
    ):
        shutil.copy2(runtime / name, out / name)
    lock = json.loads((runtime / "pyodide-lock.json").read_text())
    names = lock_closure(lock, KERNEL_PACKAGES)
    wheels = CACHE / "kernel-wheels"
    wanted = {n: lock["packages"][n] for n in names}
    missing = [p for p in wanted.values() if not (wheels / p["file_name"]).is_file()]
    if missing:
        pip_download([f"{p['name']}=={p['version']}" for p in missing], wheels)
    for name, entry in wanted.items():
        wheel = wheels / entry["file_name"]
        if not wheel.is_file():
            raise SystemExit(f"PyPI has no {entry['file_name']} for the lock's {name}")
        shutil.copy2(wheel, out / wheel.name)
        entry["sha256"] = sha256(wheel)
        entry["unvendored_tests"] = False  # the PyPI wheel keeps its tests inside
    (out / "pyodide-lock.json").write_text(json.dumps(lock))


def chaingrad_wheels(dest: Path) -> None:
    dest.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        # a copy of the tree, so that building leaves no build/ or egg-info behind
        src = Path(tmp) / "src"
        shutil.copytree(
            ROOT,
            src,
            ignore=shutil.ignore_patterns(
                ".git", ".cache", "site", "build", "*.egg-info", "__pycache__", ".venv*"
            ),
        )
        run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--no-deps",
                "--no-build-isolation",
                "-w",
                str(dest),
                str(src),
            ]
        )
    extra = CACHE / "piplite-wheels"
    if not all(any(extra.glob(f"{n}-*.whl")) for n in PIPLITE_EXTRA):
        pip_download(list(PIPLITE_EXTRA), extra)
    for wheel in extra.glob("*.whl"):
        shutil.copy2(wheel, dest / wheel.name)


def lite_notebook(src: Path, dest: Path) -> None:
    """The tutorial with a first cell that installs chaingrad from the site's own wheels."""
    book = json.loads(src.read_text())
    install: dict[str, object] = {
        "cell_type": "code",
        "execution_count": None,
        "id": "install-chaingrad",
        "metadata": {},
        "outputs": [],
        "source": [
            "# In the browser: install chaingrad from the wheel this site ships (no network).\n",
            "import piplite\n",
            "\n",
            'await piplite.install("chaingrad")',
        ],
    }
    for cell in book["cells"]:
        cell["outputs"] = [] if cell["cell_type"] == "code" else cell.get("outputs", [])
        if cell["cell_type"] == "code":
            cell["execution_count"] = None
    first_code = next(i for i, c in enumerate(book["cells"]) if c["cell_type"] == "code")
    book["cells"].insert(first_code, install)
    book["metadata"]["kernelspec"] = {
        "name": "python",
        "display_name": "Python (Pyodide)",
        "language": "python",
    }
    dest.write_text(json.dumps(book, indent=1))


def build_lite(site: Path) -> None:
    sys.path.insert(0, str(ROOT / "docs"))
    from hooks import LITE_NOTEBOOKS

    with tempfile.TemporaryDirectory(prefix="chaingrad-lite-") as tmp:
        lite_dir = Path(tmp)
        pyodide_dir(lite_dir)
        chaingrad_wheels(lite_dir / "pypi")
        contents = lite_dir / "contents"
        contents.mkdir()
        for rel in LITE_NOTEBOOKS:
            lite_notebook(ROOT / "docs" / rel, contents / Path(rel).name)
        (lite_dir / "jupyter-lite.json").write_text(
            json.dumps(
                {
                    "jupyter-lite-schema-version": 0,
                    "jupyter-config-data": {
                        "appName": "chaingrad",
                        "disabledExtensions": [
                            "@jupyterlab/apputils-extension:announcements",
                        ],
                    },
                }
            )
        )
        out = site / "lite"
        shutil.rmtree(out, ignore_errors=True)
        run(
            [
                sys.executable,
                "-m",
                "jupyterlite_core",
                "build",
                "--lite-dir",
                str(lite_dir),
                "--contents",
                str(contents),
                "--output-dir",
                str(out),
                "--no-sourcemaps",
                "--no-unused-shared-packages",
            ],
            cwd=lite_dir,
        )
        # the kernel must not fall back to PyPI or a CDN: everything comes from the site
        config_path = out / "jupyter-lite.json"
        config = json.loads(config_path.read_text())
        settings = config["jupyter-config-data"].setdefault("litePluginSettings", {})
        kernel = settings.setdefault("@jupyterlite/pyodide-kernel-extension:kernel", {})
        kernel["disablePyPIFallback"] = True
        config_path.write_text(json.dumps(config, indent=2))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python docs/build.py", description=__doc__.splitlines()[0])
    p.add_argument("--site", type=Path, default=ROOT / "site", help="output folder (site/)")
    p.add_argument("--no-lite", action="store_true", help="skip the JupyterLite site")
    args = p.parse_args(argv)
    start = time.perf_counter()
    build_mkdocs(args.site.resolve())
    print(f"mkdocs: {time.perf_counter() - start:.1f} s", flush=True)
    if not args.no_lite:
        lite_start = time.perf_counter()
        build_lite(args.site.resolve())
        print(f"JupyterLite: {time.perf_counter() - lite_start:.1f} s", flush=True)
    print(f"built {args.site} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
