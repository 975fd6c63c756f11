"""docs/backprop_by_hand.ipynb runs in a real Jupyter kernel (nbclient + ipykernel, both in the
dev extra): the lecture graph's quiz with a hint, a generated level-2 graph answered by hand,
and check_backward of a class the notebook builds, first with a slip and then fixed."""

from __future__ import annotations

import json
from pathlib import Path

from notebooks import DOCS, outputs, run_notebook

NOTEBOOK = DOCS / "backprop_by_hand.ipynb"


def test_the_notebook_runs_in_a_real_kernel(tmp_path: Path) -> None:
    code = run_notebook("backprop_by_hand.ipynb", tmp_path)
    assert len(code) == 8
    text, _ = outputs(code[0])  # the lecture graph's tree
    assert "        ├── b      data 3   dJ/db = ?" in text
    _, shown = outputs(code[1])  # a first attempt: dJ/db = 2
    assert "2 is the local derivative ∂u/∂b alone" in shown["text/plain"]
    assert 'class="chaingrad-practice"' in shown["text/html"]
    _, shown = outputs(code[2])
    assert "all 5 gradients right." in shown["text/plain"]
    text, _ = outputs(code[3])  # the generated graph
    assert text.startswith("L = u + w")
    _, shown = outputs(code[4])
    assert "-1 is only the last of the 2 shares b receives" in shown["text/plain"]
    _, shown = outputs(code[5])
    assert "all 6 gradients right." in shown["text/plain"]
    _, shown = outputs(code[6])  # check_backward of the class with `=` in its rule of +
    assert "Smallest failing graph: b = a + a, at a = 3" in shown["text/plain"]
    assert 'class="chaingrad-player"' in shown["text/html"]
    _, shown = outputs(code[7])
    assert "check_backward(Scalar): 10 of 10 graphs right, 3 skipped." in shown["text/plain"]


def test_the_committed_notebook_has_no_errors_or_kernel_noise() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error"
            assert "IPKernelApp" not in "".join(out.get("text", []))
