"""``compare_with_torch``: one function, run on Values and on PyTorch tensors, compared.

The engine's methods share PyTorch's names (``.exp()``, ``.tanh()``,
``.clamp(lo, hi)``, the operators) and the ``autograd.exp``-style functions
dispatch on tensors, so the same body runs on both; the value and every first
(and, with ``order=2``, second) derivative are compared. PyTorch is imported
only when this is called; without it, an ``ImportError`` that says how to
install it.
"""

from __future__ import annotations

import json
import math
import urllib.parse
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import Any

from autograd.core.value import Value
from autograd.functional import check_order, floats, hessian, value_and_grad
from autograd.testing.checks import check_engine_paths, check_tolerances
from autograd.testing.report import argument_names, failure_table, number, where

CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def install_command(extra: str, package: str | None = None) -> str:
    """The pip command that adds the optional dependency ``extra`` to chaingrad as it is
    installed here: from PyPI, from a clone (its folder, editable or not), from a wheel
    file (the extra's ``package`` itself, by default named as the extra), or not installed
    (run from a clone)."""
    try:
        direct = metadata.distribution("chaingrad").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return f'pip install ".[{extra}]" (in the clone)'
    if not direct:  # from an index: PyPI
        return f'pip install "chaingrad[{extra}]"'
    origin = json.loads(direct)
    url = origin.get("url", "")
    if "dir_info" in origin and url.startswith("file://"):
        folder = urllib.parse.unquote(urllib.parse.urlparse(url).path)
        editable = "-e " if origin["dir_info"].get("editable") else ""
        return f'pip install {editable}"{folder}[{extra}]"'
    return f"pip install {package or extra}"


def torch_missing() -> str:
    """The message of the ImportError raised without PyTorch: how to install it here."""
    return (
        f"PyTorch is not installed: {install_command('torch')} (on Linux, PyPI's torch is "
        f"the large CUDA build: for the CPU build run pip install torch --index-url "
        f"{CPU_INDEX} first)"
    )


def import_torch() -> Any:
    """The torch module, or an ImportError that says how to install it
    (``compare_with_torch`` and ``nn``'s torch bridge import it through here).

    Returns:
        The ``torch`` module.

    Raises:
        ImportError: PyTorch is not installed (the message says how to install it).

    Examples:
        >>> torch = import_torch()  # doctest: +SKIP
        >>> torch.tensor(2.0, dtype=torch.float64) * 3  # doctest: +SKIP
        tensor(6., dtype=torch.float64)
    """
    try:
        import torch
    except ImportError:
        raise ImportError(torch_missing()) from None
    return torch


def _torch_derivatives(
    torch: Any, f: Callable[..., Any], point: Sequence[float], order: int
) -> tuple[float, list[float], list[list[float]] | None]:
    """f's value, gradient and (order 2) Hessian by PyTorch, in float64."""
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    out = f(*ts)
    if isinstance(out, Value):
        raise TypeError("on tensors the function returned a Value: it mixes in Values of its own")
    if isinstance(out, (int, float)):  # a constant
        out = torch.tensor(float(out), dtype=torch.float64)
    if not isinstance(out, torch.Tensor) or out.numel() != 1:
        raise TypeError(
            "the function must return one number; on tensors it returned "
            + (f"a tensor of shape {tuple(out.shape)}" if isinstance(out, torch.Tensor) else "")
            + ("" if isinstance(out, torch.Tensor) else type(out).__name__)
        )
    out = out.reshape(())
    k = len(ts)
    if not out.requires_grad:
        return out.item(), [0.0] * k, [[0.0] * k for _ in range(k)] if order == 2 else None
    first = torch.autograd.grad(out, ts, create_graph=order == 2, allow_unused=True)
    gradient = [0.0 if g is None else g.item() for g in first]
    if order == 1:
        return out.item(), gradient, None
    rows = []
    for g in first:
        if g is None or not g.requires_grad:
            rows.append([0.0] * k)
            continue
        row = torch.autograd.grad(g, ts, retain_graph=True, allow_unused=True)
        rows.append([0.0 if h is None else h.item() for h in row])
    return out.item(), gradient, rows


def _agree(a: float, b: float, atol: float, rtol: float) -> bool:
    if a == b or (math.isnan(a) and math.isnan(b)):  # the same IEEE value, inf and nan too
        return True
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= atol + rtol * abs(b)


def _would_pass(a: float, b: float, atol: float, rtol: float) -> str:
    if _agree(a, b, atol, rtol):
        return "ok"
    if not (math.isfinite(a) and math.isfinite(b)):
        return "none (not the same non-finite value)"
    need_atol = abs(a - b) - rtol * abs(b)
    text = f"atol={need_atol:.2g}"
    return text + (f" or rtol={(abs(a - b) - atol) / abs(b):.2g}" if b else "")


def compare_with_torch(
    f: Callable[..., Any],
    *xs: Any,
    order: int = 1,
    atol: float = 1e-12,
    rtol: float = 1e-10,
) -> None:
    """Run ``f`` on Values and on float64 torch tensors that require grad, at
    ``xs`` (numbers or Values), and compare the value and every first derivative
    (``order=2``: every second derivative too). Returns None; raises
    ``AssertionError`` with a table naming each argument by label (else by f's
    parameter name) where a number differs by more than ``atol + rtol * |torch's|``.

    Args:
        f: the function, written with Value methods that torch tensors also have.
        *xs: the point, one number (or Value, read as its data) per argument of ``f``.
        order: 1 for the first derivatives, 2 for the second derivatives too.
        atol: the absolute tolerance, >= 0.
        rtol: the relative tolerance, >= 0.

    Returns:
        None, when every number agrees.

    Raises:
        AssertionError: a number differs (the message is the table).
        GradcheckError: the engine's own paths disagree (see ``check_engine_paths``).
        ImportError: PyTorch is not installed.
        TypeError: an ``xs`` entry or a tolerance that is not a number.
        ValueError: no ``xs``, ``order`` not 1 or 2, or a tolerance negative, nan or inf.

    Examples:
        >>> import autograd
        >>> def f(x, y):
        ...     return (x * y).tanh() + y.exp()
        >>> autograd.compare_with_torch(f, 0.3, -0.7)  # doctest: +SKIP
    """
    __tracebackhide__ = True  # pytest shows the table, not this function
    check_order(order, "compare_with_torch")
    check_tolerances(atol, rtol)
    torch = import_torch()
    point = floats(xs)
    if not point:
        raise ValueError("compare_with_torch needs at least one argument")
    names = argument_names(f, xs)
    check_engine_paths(f, point, names)
    nums = tuple(range(len(point)))
    value, first = value_and_grad(f, nums)(*point)
    second = hessian(f, nums)(*point) if order == 2 else None
    t_value, t_first, t_second = _torch_derivatives(torch, f, point, order)
    rows: list[tuple[str, float, float]] = [("value", value, t_value)]
    rows += [(f"d/d{n}", e, t) for n, e, t in zip(names, first, t_first)]
    if second is not None and t_second is not None:
        for i in nums:
            for j in nums:
                rows.append((f"d2/d{names[i]} d{names[j]}", second[i][j], t_second[i][j]))
    if not all(_agree(e, t, atol, rtol) for _, e, t in rows):
        fname = getattr(f, "__name__", "f")
        header = (
            f"chaingrad and PyTorch disagree on {fname} at {where(names, point)} "
            f"(atol={atol:g}, rtol={rtol:g})"
        )
        titles = ("quantity", "chaingrad", "torch", "difference", "would pass with")
        cells = []
        for name, e, t in rows:
            diff = e - t if math.isfinite(e) and math.isfinite(t) else math.nan
            text = (name, number(e), number(t), f"{diff:.3g}", _would_pass(e, t, atol, rtol))
            cells.append((_agree(e, t, atol, rtol), text))
        raise AssertionError(failure_table(header, titles, cells, "numbers", "differ"))
