"""Percentile bootstrap intervals of the headline metrics of ``medtext evaluate --report``.

Each resample draws as many records as there are, with replacement (or as many whole groups, e.g. the
abstracts of sentence-role records). Classification metrics are computed from per-label counts: a resample
is a vector of how often it drew each record, and its true positives, predictions and gold counts per label
are that vector times the records' indicator matrices, so 1,000 resamples cost a few matrix products instead
of 1,000 calls of scikit-learn's metrics (which validate their inputs each time: about 10 s for 300 abstracts).
The figures are scikit-learn's: F1 = 2 TP / (gold + predicted), 0 where both are 0; macro over the labels in
the resample's gold or predictions; weighted by gold counts; micro over all labels; accuracy the exact-match
ratio for multi-label records.

Example:
    >>> ci = bootstrap_ci(["a", "b", "b", "a"], ["a", "b", "a", "a"], "classifier", ["a", "b"], n_boot=50)
    >>> ci["accuracy"]["n_boot"], ci["accuracy"]["low"] <= 0.75 <= ci["accuracy"]["high"]
    (50, True)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

CLASSIFICATION_KEYS = ("accuracy", "macro_f1", "weighted_f1", "micro_f1")
REGRESSION_KEYS = ("rmse", "mae", "r2")
# Resamples whose counts are multiplied at once (a block of counts is this many x the number of records).
BLOCK = 100


def bootstrap_ci(gold, pred, kind: str, labels, n_boot: int = 1000, seed: int = 0, alpha: float = 0.05,
                 groups: Sequence[int] | None = None) -> dict[str, Any]:
    """Percentile bootstrap of the headline metrics: each resample draws as many records as there are, with
    replacement, or, with ``groups`` (a group number per record, e.g. its abstract), as many whole groups as
    there are. A metric undefined on a resample (r2 of equal gold values) leaves it out (``n_defined``).

    >>> ci = bootstrap_ci([1.0, 2.0, 3.0, 4.0], [1.5, 2.0, 2.5, 4.5], "regressor", None, n_boot=50)
    >>> ci["mae"]["unit"], ci["mae"]["n_units"], ci["mae"]["n_defined"]
    ('record', 4, 50)
    """
    members = _members(len(gold), groups)
    draws = _draws(members, n_boot, seed, grouped=groups is not None)
    if kind == "regressor":
        samples = _regression_samples(gold, pred, draws)
    else:
        samples = _classification_samples(gold, pred, labels, kind == "multilabel", draws, len(gold))
    unit = "record" if groups is None else "abstract"
    return {k: {"low": float(np.percentile(v, 100 * alpha / 2)) if v else None,
                "high": float(np.percentile(v, 100 * (1 - alpha / 2))) if v else None,
                "level": 1 - alpha, "n_boot": n_boot, "n_defined": len(v), "unit": unit, "n_units": len(members)}
            for k, v in samples.items()}


def _members(n: int, groups: Sequence[int] | None) -> list[np.ndarray]:
    """The records of each resampling unit: one record each, or each group's records in order of appearance."""
    if groups is None:
        return [np.array([i]) for i in range(n)]
    order = {g: j for j, g in enumerate(dict.fromkeys(groups))}
    by_group: list[list[int]] = [[] for _ in order]
    for i, g in enumerate(groups):
        by_group[order[g]].append(i)
    return [np.array(m) for m in by_group]


def _draws(members: list[np.ndarray], n_boot: int, seed: int, grouped: bool) -> Iterator[np.ndarray]:
    """The record indices of each resample (the same draws, in the same order, for every kind of model)."""
    rng = np.random.default_rng(seed)
    for _ in range(n_boot):
        pick = rng.integers(0, len(members), len(members))
        yield np.concatenate([members[j] for j in pick]) if grouped else pick


def _regression_samples(gold, pred, draws: Iterator[np.ndarray]) -> dict[str, list[float]]:
    from .metrics import regression_metrics

    samples: dict[str, list[float]] = {k: [] for k in REGRESSION_KEYS}
    for idx in draws:
        m = regression_metrics([gold[i] for i in idx], [pred[i] for i in idx])
        for k in REGRESSION_KEYS:
            if m[k] is not None:  # r2 is undefined on a resample of equal gold values
                samples[k].append(m[k])
    return samples


def _classification_samples(gold, pred, labels, multilabel: bool, draws: Iterator[np.ndarray], n: int) -> dict[str, list[float]]:
    """The headline metrics of each resample, from per-label counts (see the module docstring)."""
    G, P = _indicators(gold, pred, labels, multilabel)
    correct = (G == P).all(axis=1) if multilabel else (G & P).any(axis=1)
    columns = np.column_stack([G, P, G & P, correct]).astype(np.float64)  # (n, 3L + 1)
    L = G.shape[1]
    samples: dict[str, list[float]] = {k: [] for k in CLASSIFICATION_KEYS}
    for block in _blocks(draws, n):
        counts = block @ columns  # each resample's gold, predicted, true-positive counts per label; records right
        sizes = block.sum(axis=1)
        for row, size in zip(counts, sizes):
            true, predicted, tp, right = row[:L], row[L:2 * L], row[2 * L:3 * L], row[3 * L]
            for key, value in zip(CLASSIFICATION_KEYS, _scores(true, predicted, tp, right, size)):
                samples[key].append(value)
    return samples


def _indicators(gold, pred, labels, multilabel: bool) -> tuple[np.ndarray, np.ndarray]:
    """(n, L) gold and predicted label indicators over the model's labels and every label seen."""
    if multilabel:
        names = sorted(set(labels or []) | {l for g in gold for l in g} | {l for p in pred for l in p})
        rows_g, rows_p = gold, pred
    else:
        rows_g, rows_p = [[str(g)] for g in gold], [[str(p)] for p in pred]
        names = sorted(set(labels or []) | {g[0] for g in rows_g} | {p[0] for p in rows_p})
    pos = {l: j for j, l in enumerate(names)}
    G = np.zeros((len(rows_g), len(names)), dtype=bool)
    P = np.zeros_like(G)
    for i, (g, p) in enumerate(zip(rows_g, rows_p)):
        G[i, [pos[l] for l in g]] = True
        P[i, [pos[l] for l in p]] = True
    return G, P


def _blocks(draws: Iterator[np.ndarray], n: int) -> Iterator[np.ndarray]:
    """The draws as (resamples, n) matrices of how often each record was drawn, ``BLOCK`` resamples at a time."""
    rows: list[np.ndarray] = []
    for idx in draws:
        rows.append(np.bincount(idx, minlength=n).astype(np.float64))
        if len(rows) == BLOCK:
            yield np.vstack(rows)
            rows = []
    if rows:
        yield np.vstack(rows)


def _scores(true: np.ndarray, predicted: np.ndarray, tp: np.ndarray, right: float, size: float) -> tuple[float, ...]:
    """accuracy, macro, weighted and micro F1 of one resample's counts, as scikit-learn computes them."""
    denominator = true + predicted
    f1 = np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=denominator > 0)
    occurs = denominator > 0
    macro = float(np.mean(f1[occurs])) if occurs.any() else 0.0
    weighted = float(np.average(f1, weights=true)) if true.sum() > 0 else float(np.mean(f1)) if f1.size else 0.0
    total = denominator.sum()
    micro = float(2 * tp.sum() / total) if total > 0 else 0.0
    return float(right / size) if size else 0.0, macro, weighted, micro
