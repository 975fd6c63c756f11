"""fit's progress bar is text everywhere: a notebook saved after training shows the
bar's final state (a widget bar keeps only its first text, "0%", and vanishes in
VS Code and under ipywidgets 8)."""

from __future__ import annotations

import sys
import types

import nn


class _Widget:
    def __init__(self, *args: object, **kwargs: object) -> None:
        self.value = 0
        self.layout = types.SimpleNamespace(width="", flex="", display="")
        self.style = types.SimpleNamespace(bar_color="")

    def close(self) -> None:
        pass


def test_the_bar_is_text_in_a_jupyter_kernel_with_widgets(monkeypatch, capsys) -> None:
    # what tqdm looks at to pick its widget bar: a Jupyter kernel and ipywidgets
    widgets = types.ModuleType("ipywidgets")
    widgets.HTML = widgets.FloatProgress = widgets.HBox = _Widget  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ipywidgets", widgets)
    monkeypatch.setitem(sys.modules, "ipykernel.zmqshell", types.ModuleType("ipykernel.zmqshell"))
    shown: list[object] = []
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: type("ZMQInteractiveShell", (), {})()  # type: ignore[attr-defined]
    display = types.ModuleType("IPython.display")
    display.display = shown.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    for name in ("tqdm.autonotebook", "tqdm.notebook"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    X, labels = nn.datasets.xor()
    model = nn.MLP(2, [4, 1], rng=0)
    nn.fit(
        model, X, labels, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1), epochs=3, progress=True
    )
    err = capsys.readouterr().err
    final = err.rsplit("\r", 1)[-1]  # what a notebook shows: the last state of the line
    assert final.startswith("fit: 100%|") and "3/3" in final, err
    assert shown == []  # no widget
