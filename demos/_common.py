"""What every demo shares: tables with the lecture's number beside the engine's,
pass/fail bookkeeping, optional matplotlib, and a progress bar.

A demo builds a ``Report``, prints through it, and returns ``report.ok``: False
as soon as one reproducible number disagrees with the lecture beyond its
tolerance, which makes ``python -m demos NAME`` exit non-zero.
"""

from __future__ import annotations

import math
import sys
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograd.testing.compare import install_command

PASS, FAIL = "ok", "FAIL"
# true for how chaingrad is installed here (a clone is not sent to PyPI)
INSTALL_HINT = install_command("demos", "matplotlib")


@dataclass(frozen=True)
class Cmp:
    """A table cell pairing the lecture's number with the engine's.

    It fills two columns ("NAME lecture", "NAME engine") and decides the row's
    mark: the row passes when ``|engine - lecture| <= tol``.
    """

    engine: float
    lecture: float | None
    tol: float = 1e-12
    # A second reference where the notes print rounded numbers: the verified
    # full-precision value, with its own (tight) tolerance. Adds an "exact" column.
    exact: float | None = None
    exact_tol: float = 1e-12

    @property
    def passed(self) -> bool:
        return _close(self.engine, self.lecture, self.tol) and _close(
            self.engine, self.exact, self.exact_tol
        )


def _close(engine: float, reference: float | None, tol: float) -> bool:
    if reference is None:
        return True
    e, ref = float(engine), float(reference)
    if math.isnan(e) or math.isnan(ref):
        return False
    return e == ref or abs(e - ref) <= tol


def fmt(x: Any) -> str:
    """Short, exact text for a number: the shortest repr that round-trips."""
    if x is None:
        return "-"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        return repr(x)  # exact: the point of the tables is bit-for-bit agreement
    if hasattr(x, "data"):  # a Value
        return fmt(x.data)
    return str(x)


class Report:
    """Collects a demo's output and whether every checked number matched."""

    def __init__(self, name: str, out: Path, plots: bool, quick: bool = False) -> None:
        self.name = name
        self.out = Path(out)
        self.plots = plots
        self.quick = quick
        self.failures: list[str] = []
        self.files: list[Path] = []
        self.extra: dict[str, Any] = {}  # data a demo keeps for its pictures
        self._plt: Any = None
        self._plt_tried = False

    # ------------------------------------------------------------ text

    @property
    def ok(self) -> bool:
        return not self.failures

    def heading(self, text: str) -> None:
        print()
        print(text)
        print("-" * len(text))

    def note(self, text: str) -> None:
        """A paragraph of explanation, wrapped to 88 columns."""
        for line in textwrap.wrap(" ".join(text.split()), 88):
            print(line)

    def table(
        self,
        headers: Sequence[str],
        rows: Iterable[Sequence[Any]],
        title: str = "",
        ref: str = "lecture",
    ) -> bool:
        """Print a table; ``Cmp`` cells expand into two columns ("NAME lecture",
        "NAME engine"), or three with an exact value ("NAME lecture", "NAME
        exact", "NAME engine"), and give the row an ok/FAIL mark. ``ref`` names
        the reference column ("lecture" for the notes' numbers, "correct" for
        the verified recomputation where the notes print a slip). Returns True
        when every row passed."""
        # short rows are padded with blank cells
        rows = [list(r) + [""] * (len(headers) - len(r)) for r in rows]
        compared = {j for r in rows for j, c in enumerate(r) if isinstance(c, Cmp)}
        triple = {
            j for r in rows for j, c in enumerate(r) if isinstance(c, Cmp) and c.exact is not None
        }
        head: list[str] = []
        for j, h in enumerate(headers):
            if j in triple:
                head += [f"{h} {ref}", f"{h} exact", f"{h} engine"]
            elif j in compared:
                head += [f"{h} {ref}", f"{h} engine"]
            else:
                head.append(h)
        if compared:
            head.append("match")
        body: list[list[tuple[str, bool]]] = []  # (text, right-align?)
        all_ok = True
        for r in rows:
            cells: list[tuple[str, bool]] = []
            row_ok = True
            for j, c in enumerate(r):
                if isinstance(c, Cmp):
                    cells.append((fmt(c.lecture), True))
                    if j in triple:
                        cells.append((fmt(c.exact), True))
                    cells.append((fmt(c.engine), True))
                    row_ok = row_ok and c.passed
                else:
                    cells.append((fmt(c), not isinstance(c, str)))
                    cells += [("", False)] * ((j in compared) + (j in triple))
            if compared:
                cells.append((PASS if row_ok else FAIL, False))
            if not row_ok:
                all_ok = False
                self.failures.append(f"{title or 'table'}: row {cells[0][0]}")
            body.append(cells)
        widths = [max(len(h), *(len(b[j][0]) for b in body)) for j, h in enumerate(head)]
        if title:
            print()
            print(title)
        print("  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip())
        print("  ".join("-" * w for w in widths))
        for cells in body:
            line = "  ".join(
                t.rjust(w) if right else t.ljust(w) for (t, right), w in zip(cells, widths)
            )
            print(line.rstrip())
        return all_ok

    def check(self, what: str, passed: bool, detail: str = "") -> bool:
        """One property check, printed as ``ok``/``FAIL`` with its detail."""
        mark = PASS if passed else FAIL
        print(f"  [{mark:>4}] {what}" + (f": {detail}" if detail else ""))
        if not passed:
            self.failures.append(what)
        return passed

    def compare(self, what: str, engine: float, lecture: float, tol: float = 1e-12) -> bool:
        """Check one number against the lecture's."""
        c = Cmp(engine, lecture, tol)
        diff = abs(float(engine) - float(lecture))
        return self.check(
            what, c.passed, f"expected {fmt(lecture)}, engine {fmt(engine)} (|diff| {diff:.1e})"
        )

    # ------------------------------------------------------------ pictures

    def pyplot(self) -> Any:
        """matplotlib.pyplot with the file-only Agg backend, or None (after
        saying how to get it) when plots are off or matplotlib is missing."""
        if not self.plots:
            return None
        if not self._plt_tried:
            self._plt_tried = True
            try:
                import matplotlib

                matplotlib.use("Agg")  # files only: no window, works without a display
                import matplotlib.pyplot as plt
            except ImportError:
                print()
                print(f"(matplotlib is not installed, so no pictures: {INSTALL_HINT})")
                plt = None
            self._plt = plt
        return self._plt

    def save(self, fig: Any, filename: str) -> Path:
        """Save a matplotlib figure under ``out`` and close it."""
        self.out.mkdir(parents=True, exist_ok=True)
        path = self.out / filename
        fig.tight_layout()
        fig.savefig(path, dpi=80)
        self._plt.close(fig)
        self.files.append(path)
        print(f"  wrote {path}")
        return path

    def training_view(self, model: Any, X: Any, y: Any, **options: Any) -> Any:
        """An ``nn.TrainingView`` to record this demo's training in (``update`` it after each
        step), or None with ``--no-plots``; ``save_view`` writes its replay page."""
        if not self.plots:
            return None
        import nn

        return nn.TrainingView(model, X, y, live=False, **options)

    def save_view(self, view: Any) -> None:
        """Write ``view``'s replay page as ``<out>/<demo>_training.html`` (nothing for None)."""
        if view is None:
            return
        self.out.mkdir(parents=True, exist_ok=True)
        self.wrote(view.save(self.out / f"{self.name}_training.html"))

    def wrote(self, path: Path) -> None:
        """Record a file written by other means (an SVG drawing)."""
        self.files.append(Path(path))
        print(f"  wrote {path}")

    # ------------------------------------------------------------ end

    def finish(self) -> bool:
        print()
        if self.ok:
            print(f"{self.name}: all checks passed.")
        else:
            print(f"{self.name}: {len(self.failures)} check(s) FAILED:")
            for f in self.failures:
                print(f"  - {f}")
        return self.ok


def progress(n: int, desc: str) -> Iterator[int]:
    """range(n) with a tqdm bar; tqdm hides it when stderr is not a terminal."""
    try:
        from tqdm import trange
    except ImportError:  # tqdm is a dependency, but a bar is never essential
        return iter(range(n))
    return iter(trange(n, desc=desc, leave=False, disable=None, file=sys.stderr))


def grid(lo: float, hi: float, n: int) -> list[float]:
    """n evenly spaced points from lo to hi inclusive."""
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)]


def scatter_by_class(
    ax: Any,
    X: Sequence[Sequence[float]],
    y: Sequence[Any],
    classes: Iterable[tuple[Any, str]],
    label: str = "class {}",
    **style: Any,
) -> None:
    """One ``ax.scatter`` per ``(cls, colour)`` in ``classes``: the points of X
    whose label in y is cls, in that colour, with legend ``label.format(cls)``;
    ``style`` (size, edges) goes to every call."""
    for cls, colour in classes:
        pts = [x for x, t in zip(X, y) if t == cls]
        ax.scatter(
            [p[0] for p in pts], [p[1] for p in pts], c=colour, label=label.format(cls), **style
        )


def plot_history(
    ax: Any,
    history: dict[str, list[float]],
    loss_label: str,
    xlabel: str,
    title: str = "Training",
) -> None:
    """The loss and accuracy curves of a training run (one point per step or
    epoch), with a legend."""
    ax.plot(history["loss"], label=loss_label)
    ax.plot(history["accuracy"], label="accuracy")
    ax.set(title=title, xlabel=xlabel)
    ax.legend()
