"""docs/training_view.ipynb runs in a real Jupyter kernel (nbclient + ipykernel, in the dev
extra): fit(view=True) shows the view and updates it in place through ONE display id (no
widget), at most once per 0.2 s of training plus the last epoch, and saves the replay page."""

from __future__ import annotations

from pathlib import Path

import pytest
from notebooks import run_notebook

WIDGET = "application/vnd.jupyter.widget-view+json"


def test_the_training_view_notebook_updates_one_display_in_place(tmp_path: Path) -> None:
    code = run_notebook("training_view.ipynb", tmp_path, timeout=600)
    # nbclient keeps the first display_data output and rewrites it in place for each
    # update_display_data; what it saw is in the cell's outputs plus its display ids
    outputs = code[0].outputs
    shown = [o for o in outputs if o.output_type == "display_data"]
    assert len(shown) == 1
    html = shown[0].data["text/html"]
    assert html.startswith('<div class="chaingrad-training"')
    assert 'data-epoch="99"' in html  # the last epoch is always shown
    for out in outputs:
        assert WIDGET not in out.get("data", {})
    text = "".join(o.text for o in code[1].outputs if o.output_type == "stream")
    assert "final accuracy 1.0" in text
    saved = tmp_path / "moons_training.html"
    assert saved.stat().st_size <= 2_000_000


def test_live_updates_go_through_one_display_id_at_most_every_0_2_s(monkeypatch) -> None:
    """The same protocol recorded in-process: IPython's display() and handle.update()."""
    pytest.importorskip("IPython", reason="IPython comes with ipykernel (dev extra)")
    import time

    import IPython.display

    import nn

    calls: list[tuple[str, float, str]] = []

    class Handle:
        def update(self, obj) -> None:
            calls.append(("update", time.perf_counter(), obj.data))

    def display(obj, display_id=False):
        assert display_id is True
        calls.append(("display", time.perf_counter(), obj.data))
        return Handle()

    monkeypatch.setattr(IPython.display, "display", display)
    X, labels = nn.datasets.moons(100, noise=0.1, rng=0)
    y = [2 * t - 1 for t in labels]
    model = nn.MLP(2, [16, 16, 1], rng=1)
    opt = nn.SGD(model.parameters(), lr=1.0)
    view = nn.TrainingView(model, X, y, loss=nn.hinge_loss, optimizer=opt, live=True)
    start = time.perf_counter()
    nn.fit(
        model,
        X,
        y,
        nn.hinge_loss,
        opt,
        epochs=30,
        progress=False,
        callback=lambda e, h: view.update(e, h),
    )
    view.close()
    seconds = time.perf_counter() - start
    assert [c[0] for c in calls][:1] == ["display"]
    assert all(kind == "update" for kind, _, _ in calls[1:])
    times = [t for _, t, _ in calls]
    # at most one update per 0.2 s, apart from the last epoch's, which is always shown
    assert all(b - a >= 0.2 for a, b in zip(times[:-2], times[1:-1]))
    assert len(calls) <= seconds / 0.2 + 2
    assert 'data-epoch="29"' in calls[-1][2]
    # the graph's picture is drawn once, beside training, and the last update always has it
    last = calls[-1][2]
    tag = '<script type="application/octet-stream" class="cgt-picture">'
    assert last.count(tag) == 1
    assert tag + "</script>" not in last
    # live maps are coarser than the saved page's (grid=50): 20 x 20 canvases
    assert '<canvas width="20" height="20">' in last
    assert '<canvas width="50" height="50">' in view._repr_html_()
