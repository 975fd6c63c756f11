"""The README's moons run (MLP 2-16-16-1, 100 epochs) in a Jupyter kernel through nbclient,
with ``view=True`` and without, alternated, best of several: the ratio is the view's cost as
a notebook user pays it (kernel start included in both).
Run: ``python benchmarks/training_view.py``.
"""

from __future__ import annotations

import time

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

RUN = """
import nn
X, labels = nn.datasets.moons(100, noise=0.1, rng=0)
y = [2 * t - 1 for t in labels]
model = nn.MLP(2, [16, 16, 1], rng=1)
opt = nn.SGD(model.parameters(), lr=1.0)
def loss(scores, targets):
    return nn.hinge_loss(scores, targets) + nn.l2_penalty(model, 1e-4)
def schedule(epoch, history):
    opt.lr = 1.0 - 0.9 * (epoch + 1) / 100
history = nn.fit(model, X, y, loss, opt, epochs=100, callback=schedule, progress=False,
                 view={view})
"""


def once(view: bool) -> float:
    nb = new_notebook(cells=[new_code_cell(RUN.format(view=view))])
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3").execute()
    return time.perf_counter() - start


def main(repeats: int = 5) -> None:
    plain, viewed = [], []
    for _ in range(repeats):
        plain.append(once(False))
        viewed.append(once(True))
    a, b = min(plain), min(viewed)
    print(
        f"moons run in nbclient, best of {repeats}: without view {a:.2f} s, "
        f"view=True {b:.2f} s, ratio {b / a:.2f}x (target <= 1.25x)"
    )


if __name__ == "__main__":
    main()
