"""docs/player.ipynb runs in a real Jupyter kernel (nbclient + ipykernel, both in the dev
extra) with no system Graphviz on PATH: the player shows inline, draw_dot displays through
graphviz-pure, explain prints, and nn.fit trains with its progress bar."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from notebooks import DOCS, outputs, run_notebook


def _without_system_graphviz() -> str:
    """PATH less every folder that holds a `dot` program."""
    keep = [
        d for d in os.environ.get("PATH", "").split(os.pathsep) if not shutil.which("dot", path=d)
    ]
    return os.pathsep.join(keep)


def test_the_notebook_runs_in_a_real_kernel(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", _without_system_graphviz())
    assert shutil.which("dot") is None
    code = run_notebook("player.ipynb", tmp_path)
    assert len(code) == 5
    _, shown = outputs(code[1])  # player(J)
    page = shown["text/html"]
    assert page.startswith('<div class="chaingrad-player"') and "<svg" in page
    assert 'data-field="grad">6.0000<' in page  # dJ/db, finished, for a page without JS
    text, _ = outputs(code[2])  # print(explain(J, wrt="b"))
    assert "  dJ/db = dJ/du · ∂u/∂b = 3.0000 · c = 3.0000 · 2.0000 = 6.0000\n" in text
    _, shown = outputs(code[3])  # draw_dot(J), through graphviz-pure
    assert "grad 6.0000" in shown["image/svg+xml"].replace("\xa0", " ")
    text, _ = outputs(code[4])  # nn.fit with its progress bar
    assert "100/100" in text and "accuracy 1.00" in text


def test_the_committed_notebook_has_no_errors_or_kernel_noise() -> None:
    import json

    nb = json.loads((DOCS / "player.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error"
            assert "IPKernelApp" not in "".join(out.get("text", []))
