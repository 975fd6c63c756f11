"""Running a docs notebook in a real Jupyter kernel (nbclient + ipykernel, in the dev extra),
for the tests of docs/player.ipynb, backprop_by_hand.ipynb and training_view.ipynb. Outside
CI they skip when nbclient or ipykernel is missing; CI has both and runs them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

DOCS = Path(__file__).parent.parent / "docs"


def run_notebook(name: str, folder: Path, timeout: int = 300) -> list[Any]:
    """Execute ``docs/<name>`` with ``folder`` as its working folder; return its code cells,
    after checking that none of them raised."""
    if not os.environ.get("CI"):
        pytest.importorskip("nbclient", reason="nbclient is in the dev extra")
        pytest.importorskip("ipykernel", reason="ipykernel is in the dev extra")
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(DOCS / name, as_version=4)
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    for cell in code:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
    return code


def outputs(cell: Any) -> tuple[str, dict[str, str]]:
    """(all stream text, mime type -> data) of a code cell."""
    streams, data = "", {}
    for out in cell.outputs:
        if out.output_type == "stream":
            streams += out.text
        elif "data" in out:
            data.update(out.data)
    return streams, data
