"""Naming the texts that are missing (None, NaN) in a message: their positions and, for pandas input, their
index labels (ids, never text). Standard library only: the numpy prediction path uses it too.

Example:
    >>> first_positions([1, 4]), index_labels(["a", None], [1])
    ('1, 4', '')
"""

from __future__ import annotations

from typing import Any


def first_positions(bad: list[int], k: int = 10) -> str:
    """The first ``k`` positions of a list, for a message.

    >>> first_positions(list(range(12)))
    '0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ...'
    """
    return ", ".join(map(str, bad[:k])) + (", ..." if len(bad) > k else "")


def index_labels(X: Any, bad: list[int], k: int = 10) -> str:
    """``"; index labels 'n2', 7"`` of positions ``bad`` when ``X`` is a pandas object whose index is not the
    default 0..n-1; else ``""``."""
    index = getattr(X, "index", None)
    if index is None or callable(index) or list(index) == list(range(len(index))):  # (a list's .index is a method)
        return ""
    shown = ", ".join(_label(index[i])[:40] for i in bad[:k]) + (", ..." if len(bad) > k else "")
    return f"; index labels {shown}"


def _label(v: Any) -> str:
    """An index label as a message shows it: strings quoted, numpy scalars as plain numbers, tuples (MultiIndex)
    element by element.

    >>> _label(("a", 2))
    "('a', 2)"
    """
    if isinstance(v, tuple):
        return "(" + ", ".join(_label(x) for x in v) + ")"
    if hasattr(v, "item") and not isinstance(v, str):
        v = v.item()
    return repr(v) if isinstance(v, str) else str(v)
