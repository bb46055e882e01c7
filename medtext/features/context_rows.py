"""Sentence-context feature rows shared by training (scikit-learn) and prediction (numpy).

A sentence's row is its own TF-IDF, its neighbours' TF-IDF in separate column
blocks (down-weighted by distance), and one-hot position features. Numpy only.

Example:
    >>> position_features(0, 10, 5)
    [(0, 1.0), (5, 1.0)]
"""

from __future__ import annotations

from typing import Any

import numpy as np


def position_features(i: int, n: int, bins: int) -> list[tuple[int, float]]:
    """One-hot features of a sentence's place in its abstract: relative-position bin, first, last."""
    b = min(bins - 1, int(bins * i / max(n, 1)))
    feats = [(b, 1.0)]
    if i == 0:
        feats.append((bins, 1.0))
    if i == n - 1:
        feats.append((bins + 1, 1.0))
    return feats


def context_size(n_text: int, ctx: dict[str, Any]) -> int:
    return n_text * (1 + 2 * int(ctx["window"])) + int(ctx["position_bins"]) + 2


def context_row(base: list[tuple[np.ndarray, np.ndarray]], i: int, d: int, ctx: dict[str, Any]):
    """Feature row of sentence ``i``: its TF-IDF, neighbours' TF-IDF (weighted), position one-hots.

    Column layout: [self | prev_1 | next_1 | prev_2 | next_2 ... | position bins, first, last].
    """
    n = len(base)
    window = int(ctx["window"])
    nw = float(ctx["neighbour_weight"])
    idx_parts = [base[i][0]]
    val_parts = [base[i][1]]
    for k in range(1, window + 1):
        w = nw ** k
        for slot, j in ((2 * k - 1, i - k), (2 * k, i + k)):
            if 0 <= j < n:
                idx_parts.append(base[j][0] + slot * d)
                val_parts.append(base[j][1] * w)
    off = d * (1 + 2 * window)
    pw = float(ctx["position_weight"])
    for c, v in position_features(i, n, int(ctx["position_bins"])):
        idx_parts.append(np.array([off + c], dtype=np.int64))
        val_parts.append(np.array([v * pw]))
    return np.concatenate(idx_parts), np.concatenate(val_parts)


def stack_matrix(P: np.ndarray, lengths: list[int], window: int) -> np.ndarray:
    """Stacked-sequential features: for each sentence, its own first-stage label probabilities and
    those of its neighbours up to ``window`` away (zeros beyond the abstract's edges).

    Column layout: [self | prev_1 | next_1 | prev_2 | next_2 ...], each ``k = P.shape[1]`` wide.
    """
    n, k = P.shape
    out = np.zeros((n, k * (1 + 2 * window)))
    start = 0
    for length in lengths:
        for i in range(length):
            row = start + i
            out[row, :k] = P[row]
            for d in range(1, window + 1):
                if i - d >= 0:
                    out[row, (2 * d - 1) * k:2 * d * k] = P[row - d]
                if i + d < length:
                    out[row, 2 * d * k:(2 * d + 1) * k] = P[row + d]
        start += length
    return out
