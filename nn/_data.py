"""Data as nn reads it: numpy arrays and scalars (and anything else with ``tolist``, such as
sklearn's output) become Python lists and numbers, so the rest of nn sees one kind of input.
numpy is never imported here: an array can only exist once it has been."""

from __future__ import annotations

import operator
from typing import Any


def plain(x: Any) -> Any:
    """``x`` with numpy arrays and scalars turned into lists and Python numbers
    (``tolist`` keeps every value exactly: float32 and int64 become the same float and int);
    lists and tuples have their items converted, one level down; anything else is returned
    as is."""
    if isinstance(x, (list, tuple)):
        if any(hasattr(item, "tolist") for item in x):
            return [item.tolist() if hasattr(item, "tolist") else item for item in x]
        return x
    if hasattr(x, "tolist") and hasattr(x, "dtype"):
        return x.tolist()
    return x


def int_at_least(x: Any, what: str, low: int) -> int:
    """``x`` as an int (numpy's integers too, never a bool) that is at least ``low``:
    a TypeError or ValueError naming ``what`` otherwise."""
    if isinstance(x, bool) or not (isinstance(x, int) or hasattr(x, "__index__")):
        raise TypeError(f"{what} must be an int, not {type(x).__name__}")
    k: int = operator.index(x)
    if k < low:
        raise ValueError(f"{what} must be at least {low}, got {k}")
    return k
