"""Label-level helpers of the data checks: case variants, labels always given together, numeric targets.

Example:
    >>> label_variants({"Neoplasms": 40, "neoplasms": 35, "other": 9})
    [('neoplasms', 35, 'Neoplasms', 40)]
    >>> cooccurring_labels([["a", "b"], ["a", "b"], ["c"]])
    [(['a', 'b'], 2)]
    >>> extreme_values([1, 2, 3, 4, 5, 6, 7, 8, 9, 70])
    [(9, 70.0)]
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

import numpy as np


def label_variants(counts: dict[str, int]) -> list[tuple[str, int, str, int]]:
    """``(label, n, other, m)`` for labels equal once case and spacing are ignored (two names for one class),
    the more frequent one (``other``) second."""
    groups: dict[str, list[str]] = defaultdict(list)
    for label in counts:
        groups[" ".join(label.casefold().split())].append(label)
    out = []
    for names in groups.values():
        names.sort(key=lambda l: (-counts[l], l))
        out += [(l, counts[l], names[0], counts[names[0]]) for l in names[1:]]
    return out


def cooccurring_labels(label_sets: Iterable[Sequence[str]], min_records: int = 2) -> list[tuple[list[str], int]]:
    """Groups of labels given to exactly the same records (at least ``min_records`` of them), with that
    number of records: a multi-label model cannot tell them apart."""
    records: dict[str, list[int]] = defaultdict(list)
    for i, labels in enumerate(label_sets):
        for label in set(labels):
            records[label].append(i)
    together: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for label, rows in records.items():
        if len(rows) >= min_records:
            together[tuple(rows)].append(label)
    return [(sorted(ls), len(rows)) for rows, ls in together.items() if len(ls) > 1]


def value_summary(values: Sequence[float]) -> dict[str, float]:
    """``n``, ``min``, ``median``, ``mean``, ``max`` and ``n_distinct`` of numeric targets; ``{}`` for none.

    >>> value_summary([1, 2, 2, 10])
    {'n': 4, 'min': 1.0, 'median': 2.0, 'mean': 3.75, 'max': 10.0, 'n_distinct': 3}
    """
    if not len(values):
        return {}
    v = np.asarray(values, dtype=float)
    return {"n": int(v.size), "min": float(v.min()), "median": float(np.median(v)), "mean": round(float(v.mean()), 6),
            "max": float(v.max()), "n_distinct": int(np.unique(v).size)}


def extreme_values(values: Sequence[float], fence: float = 3.0) -> list[tuple[int, float]]:
    """``(index, value)`` of targets beyond Tukey's far-out fences (``fence`` interquartile ranges below the
    first or above the third quartile), likely typos or unit errors; none when the quartiles are equal."""
    if len(values) < 4:
        return []
    v = np.asarray(values, dtype=float)
    q1, q3 = np.percentile(v, [25, 75])
    if q3 <= q1:
        return []
    low, high = q1 - fence * (q3 - q1), q3 + fence * (q3 - q1)
    return [(i, float(x)) for i, x in enumerate(v) if x < low or x > high]
