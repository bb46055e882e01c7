"""Counting metrics shared by every evaluation.

Example:
    >>> prf(tp=6, fp=2, fn=2)
    {'precision': 0.75, 'recall': 0.75, 'f1': 0.75, 'tp': 6, 'fp': 2, 'fn': 2}
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """Precision, recall and F1 from counts (0.0 where undefined), with the counts."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def set_prf(predicted: Iterable[Hashable], gold: Iterable[Hashable]) -> dict[str, Any]:
    """Exact-match P/R/F1 of two collections of hashable items (e.g. (doc, start, end, label)).

    Example:
        >>> set_prf({(1, 0, 4, "X")}, {(1, 0, 4, "X"), (1, 5, 9, "X")})["recall"]
        0.5
    """
    p, g = set(predicted), set(gold)
    return prf(len(p & g), len(p - g), len(g - p))
