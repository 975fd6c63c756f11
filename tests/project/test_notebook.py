"""docs/player.ipynb runs in a real Jupyter kernel (nbclient + ipykernel, both in the dev
extra) with no system Graphviz on PATH: the player shows inline, draw_dot displays through
graphviz-pure, explain prints, and nn.fit trains with its progress bar."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).parents[2] / "docs" / "player.ipynb"


def _without_system_graphviz() -> str:
    """PATH less every folder that holds a `dot` program."""
    keep = [
        d for d in os.environ.get("PATH", "").split(os.pathsep) if not shutil.which("dot", path=d)
    ]
    return os.pathsep.join(keep)


def _outputs(cell) -> tuple[str, dict[str, str]]:
    """(all stream text, mime type -> data) of a code cell."""
    streams, data = "", {}
    for out in cell.outputs:
        if out.output_type == "stream":
            streams += out.text
        elif "data" in out:
            data.update(out.data)
    return streams, data


def test_the_notebook_runs_in_a_real_kernel(tmp_path: Path, monkeypatch) -> None:
    if not os.environ.get("CI"):
        pytest.importorskip("nbclient", reason="nbclient is in the dev extra")
        pytest.importorskip("ipykernel", reason="ipykernel is in the dev extra")
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("PATH", _without_system_graphviz())
    assert shutil.which("dot") is None
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 5
    for cell in code:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
    _, shown = _outputs(code[1])  # player(J)
    page = shown["text/html"]
    assert page.startswith('<div class="chaingrad-player"') and "<svg" in page
    assert 'data-field="grad">6.0000<' in page  # dJ/db, finished, for a page without JS
    text, _ = _outputs(code[2])  # print(explain(J, wrt="b"))
    assert "  dJ/db = dJ/du · ∂u/∂b = 3.0000 · c = 3.0000 · 2.0000 = 6.0000\n" in text
    _, shown = _outputs(code[3])  # draw_dot(J), through graphviz-pure
    assert "grad 6.0000" in shown["image/svg+xml"].replace("\xa0", " ")
    text, _ = _outputs(code[4])  # nn.fit with its progress bar
    assert "100/100" in text and "accuracy 1.00" in text


def test_the_committed_notebook_has_no_errors_or_kernel_noise() -> None:
    import json

    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error"
            assert "IPKernelApp" not in "".join(out.get("text", []))
