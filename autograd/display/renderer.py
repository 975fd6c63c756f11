"""How DOT becomes a picture: Graphviz's ``dot`` when there is one, graphviz-pure's (a pip
package) otherwise, and chaingrad's pure-Python layout (``autograd.display.layout``) for SVG
where no process can run (Pyodide) or ``CHAINGRAD_LAYOUT=python`` asks for it.

- ``pipe(source, fmt)``: DOT text in, the picture's bytes out;
- ``renderer_for(fmt)``, ``find_renderer()``: which program that is;
- ``digraph_class()``: the ``graphviz.Digraph`` that ``draw_dot`` returns, which runs the same
  programs for ``render()``, ``pipe()`` and a notebook's display.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

RENDER_TIMEOUT = 300.0  # seconds; a 1,000-node graph takes a few, so this only stops a hang


def digraph_format(format: Any) -> str:  # noqa: A002
    if not isinstance(format, str):
        raise TypeError(f"format must be a str, not {type(format).__name__}")
    import graphviz

    fmt = format.lower()
    if fmt not in graphviz.FORMATS:
        raise ValueError(
            f"unknown format {format!r}: use svg, png or jpeg (or another format of Graphviz's "
            "own dot, such as pdf, where it is installed)"
        )
    return fmt


_digraph: type | None = None


def digraph_class() -> type:
    """A graphviz.Digraph subclass that runs graphviz-pure when there is no system ``dot``
    (made lazily, so that importing this module does not import graphviz)."""
    global _digraph
    if _digraph is None:
        try:
            import graphviz
        except ImportError as e:  # pragma: no cover - graphviz is a dependency
            raise ImportError("draw_dot needs the graphviz package: pip install graphviz") from e
        import shutil

        def _system_dot() -> bool:
            return _layout_choice() != "python" and bool(shutil.which("dot"))

        class Digraph(graphviz.Digraph):
            """A ``graphviz.Digraph`` that runs graphviz-pure when the system ``dot`` is missing.

            Everything that runs Graphviz (``render()``, ``view()``, ``pipe()`` and the notebook
            display) goes through one of three hooks of the graphviz package, which calls its
            ``dot`` by name; without a system ``dot`` each hook gives the same call to
            graphviz-pure, which takes the same command-line options.
            """

            @property
            def _pipe_lines(self) -> Callable[..., bytes]:
                return super()._pipe_lines if _system_dot() else _pure_pipe_lines

            @property
            def _pipe_lines_string(self) -> Callable[..., str]:
                return super()._pipe_lines_string if _system_dot() else _pure_pipe_lines_string

            @property
            def _render(self) -> Callable[..., str]:
                return super()._render if _system_dot() else _pure_render

            def __repr__(self) -> str:
                values = sum(" [shape=plain, " in line for line in self.body)
                return (
                    f"<chaingrad drawing of {values} value{'s' if values != 1 else ''}: a "
                    "notebook shows the picture; .render('graph', format='svg') writes a "
                    "file, .source is the DOT text>"
                )

        Digraph.__module__ = __name__
        _digraph = Digraph
    return _digraph


def _pure_command(
    engine: str, fmt: str, renderer: str | None, formatter: str | None, neato_no_op: Any
) -> list[Any]:
    """graphviz's own command line for ``dot``, run by graphviz-pure (or a clear error)."""
    from graphviz.backend import dot_command

    exe = renderer_for(fmt)  # pdf: says to install Graphviz
    cmd = dot_command.command(
        engine, fmt, renderer=renderer, formatter=formatter, neato_no_op=neato_no_op
    )
    return [exe, *cmd[1:]]


def _pure_pipe_lines(
    engine: str,
    format: str,  # noqa: A002
    input_lines: Iterable[str],
    *,
    input_encoding: str,
    renderer: str | None = None,
    formatter: str | None = None,
    neato_no_op: Any = None,
    quiet: bool = False,
) -> bytes:
    """``graphviz.pipe_lines`` with graphviz-pure: the source lines in, the drawing out."""
    from graphviz.backend import execute

    if renderer_for(format) == PYTHON_LAYOUT:
        return pipe("".join(input_lines), format, PYTHON_LAYOUT)
    cmd = _pure_command(engine, format, renderer, formatter, neato_no_op)
    data = (line.encode(input_encoding) for line in input_lines)
    return execute.run_check(cmd, input_lines=data, capture_output=True, quiet=quiet).stdout


def _pure_pipe_lines_string(
    engine: str,
    format: str,  # noqa: A002
    input_lines: Iterable[str],
    *,
    encoding: str,
    **options: Any,
) -> str:
    """``graphviz.pipe_lines_string`` with graphviz-pure (text in and out, e.g. svg)."""
    out = _pure_pipe_lines(engine, format, input_lines, input_encoding=encoding, **options)
    return out.decode(encoding)


def _pure_render(
    engine: str,
    format: str,  # noqa: A002
    filepath: str | os.PathLike[str],
    renderer: str | None = None,
    formatter: str | None = None,
    neato_no_op: Any = None,
    quiet: bool = False,
    *,
    outfile: str | os.PathLike[str] | None = None,
    raise_if_result_exists: bool = False,
    overwrite_filepath: bool = False,
) -> str:
    """``graphviz.render`` with graphviz-pure: the saved source file to ``outfile`` (default:
    the source's name plus the format's suffix); returns the path written."""
    import graphviz
    from graphviz.backend import execute, rendering

    source = Path(filepath)
    fmt = format
    if outfile is None:
        out = rendering.get_outfile(source, format=fmt, renderer=renderer, formatter=formatter)
    else:
        out = Path(outfile)
        fmt = rendering.get_format(out, format=fmt)
        if not overwrite_filepath and out.resolve() == source.resolve():
            raise ValueError(
                f"outfile {out.name!r} must be different from input file {source.name!r} "
                "(pass overwrite_source=True to override)"
            )
    if raise_if_result_exists and out.exists():
        raise graphviz.FileExistsError(f"output file exists: {os.fspath(out)!r}")
    if renderer_for(fmt) == PYTHON_LAYOUT:
        out.write_bytes(pipe(source.read_text(encoding="utf-8"), fmt, PYTHON_LAYOUT))
        return os.fspath(out)
    cmd = _pure_command(engine, fmt, renderer, formatter, neato_no_op)
    # Run next to the source, as graphviz does, so relative paths in it (images) resolve.
    cmd += ["-o", os.fspath(out.resolve()), source.name]
    cwd = source.parent if source.parent.parts else None
    execute.run_check(cmd, cwd=cwd, quiet=quiet, capture_output=True)
    return os.fspath(out)


# ---------------------------------------------------------------- rendering


def find_renderer() -> tuple[str, bool]:
    """(executable, is_system_dot): the system ``dot`` if present, else ``graphviz-pure``."""
    import shutil  # here, not at the top: `import autograd` stays fast
    import sysconfig

    dot = shutil.which("dot")
    if dot:
        return dot, True
    pure = shutil.which("graphviz-pure")
    if not pure:
        # pip puts console scripts next to the interpreter, which may not be on PATH (a venv
        # used without activating it).
        scripts = sysconfig.get_path("scripts")
        if scripts and os.path.isdir(scripts):
            pure = shutil.which("graphviz-pure", path=scripts)
    if pure:
        return pure, False
    raise RuntimeError(
        "no Graphviz renderer found: neither `dot` nor `graphviz-pure` is on PATH or in "
        f"{sysconfig.get_path('scripts')!r}. Install one: `pip install graphviz-pure` (pure "
        "wheel, no system packages) or Graphviz itself (https://graphviz.org/download/); "
        "svg drawings and the player need neither (they fall back to a pure-Python layout)"
    )


# Where no Graphviz can run (Pyodide has no processes; a machine may have neither `dot` nor
# graphviz-pure), SVG is laid out by autograd.display.layout instead. CHAINGRAD_LAYOUT chooses:
# "graphviz" (always run Graphviz), "python" (always the pure-Python layout, svg only), or
# "auto" / unset (Graphviz when it can be found and run, else the pure-Python layout).
LAYOUT_VARIABLE = "CHAINGRAD_LAYOUT"
PYTHON_LAYOUT = "autograd.display.layout"  # the renderer name _renderer_for gives the pure layout


def _layout_choice() -> str:
    """``CHAINGRAD_LAYOUT`` as "auto", "python" or "graphviz" (a ValueError for another)."""
    import sys

    choice = os.environ.get(LAYOUT_VARIABLE, "auto").strip().lower() or "auto"
    if choice not in ("auto", "python", "graphviz"):
        raise ValueError(f"{LAYOUT_VARIABLE} must be auto, python or graphviz, not {choice!r}")
    return "python" if choice == "auto" and sys.platform == "emscripten" else choice


def renderer_for(fmt: str) -> str:
    """The executable that can write ``fmt`` (``PYTHON_LAYOUT`` for svg without Graphviz), or
    a RuntimeError saying what to install."""
    choice = _layout_choice()
    if choice == "python" and fmt == "svg":
        return PYTHON_LAYOUT
    if choice == "python":
        raise RuntimeError(
            f"{LAYOUT_VARIABLE}=python lays out svg only: render to .svg or .html, or unset "
            f"{LAYOUT_VARIABLE} to use Graphviz for {fmt}"
        )
    try:
        exe, system = find_renderer()
    except RuntimeError:
        if choice == "auto" and fmt == "svg":
            return PYTHON_LAYOUT
        raise
    if fmt == "pdf" and not system:
        raise RuntimeError(
            "PDF output needs Graphviz's own `dot` program (graphviz-pure writes svg and png "
            "but not pdf): install Graphviz (https://graphviz.org/download/) or render to "
            ".svg or .png"
        )
    return exe


def pipe(source: str, fmt: str, exe: str | None = None) -> bytes:
    """Render DOT ``source`` to ``fmt`` bytes with ``exe`` (default: the available renderer)."""
    import subprocess

    if exe is None:
        exe = renderer_for(fmt)
    if exe == PYTHON_LAYOUT:
        from autograd.display.layout import dot_to_svg

        return dot_to_svg(source).encode("utf-8")
    try:
        proc = subprocess.run(
            [exe, f"-T{fmt}"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=RENDER_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        raise RuntimeError(f"{exe} did not finish within {RENDER_TIMEOUT:g} s") from e
    except OSError:  # found but cannot be run (no processes, a broken binary)
        if fmt != "svg" or _layout_choice() != "auto":
            raise
        return pipe(source, fmt, PYTHON_LAYOUT)
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"{exe} -T{fmt} failed (exit status {proc.returncode}): {err}")
    return proc.stdout
