"""Classification and regression metrics as ``medtext evaluate`` and cross-validation report them.

Example:
    >>> m = classification_metrics(["a", "b", "b"], ["a", "b", "a"])
    >>> m["accuracy"], m["per_label"]["b"]["recall"]
    (0.6666666666666666, 0.5)
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

def classification_metrics(gold: Sequence, pred: Sequence, labels: Sequence[str] | None = None,
                           multilabel: bool = False, label_counts: bool = False) -> dict[str, Any]:
    """accuracy, macro_f1, weighted_f1, micro_f1, per_label {label: {precision, recall, f1, support}}.

    ``macro_f1`` averages the labels found in the gold or the predictions, as scikit-learn's ``f1_score``
    does by default: a label of ``labels`` that occurs in neither has no F1 (``per_label`` lists it, support 0,
    its scores 0 by convention). ``label_counts`` (what ``medtext evaluate`` prints) adds ``predicted`` (how
    many records were given the label) to each ``per_label`` entry and ``macro_f1_labels``, the labels averaged.
    Multi-label ``accuracy`` is the exact-match ratio (scikit-learn's subset accuracy).

    >>> m = classification_metrics(["a", "a"], ["a", "a"], labels=["a", "b", "c"], label_counts=True)
    >>> m["macro_f1"], m["per_label"]["b"], m["macro_f1_labels"]
    (1.0, {'precision': 0.0, 'recall': 0.0, 'f1': 0.0, 'support': 0, 'predicted': 0}, ['a'])
    """
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    if multilabel:
        labels = sorted(set(labels or []) | {l for g in gold for l in g} | {l for p in pred for l in p})
        pos = {l: i for i, l in enumerate(labels)}
        G = np.zeros((len(gold), len(labels)), dtype=int)
        P = np.zeros_like(G)
        for i, (g, p) in enumerate(zip(gold, pred)):
            for l in g:
                G[i, pos[l]] = 1
            for l in p:
                P[i, pos[l]] = 1
        y_true, y_pred = G, P
        label_arg = None
        accuracy = float(accuracy_score(G, P))  # exact-match ratio
    else:
        y_true, y_pred = list(map(str, gold)), list(map(str, pred))
        labels = sorted(set(labels or []) | set(y_true) | set(y_pred))
        label_arg = labels
        accuracy = float(accuracy_score(y_true, y_pred))
    out: dict[str, Any] = {"n": len(gold), "accuracy": accuracy}
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=label_arg, average=None, zero_division=0)
    if multilabel:
        predicted = np.asarray(y_pred).sum(axis=0) if len(gold) else np.zeros(len(labels), dtype=int)
    else:
        from collections import Counter

        n_pred = Counter(y_pred)
        predicted = np.array([n_pred[l] for l in labels])
    occurs = (np.asarray(s) > 0) | (predicted > 0)  # a label in neither the gold nor the predictions has no F1
    out["macro_f1"] = float(np.mean(np.asarray(f)[occurs])) if occurs.any() else 0.0
    for avg in ("weighted", "micro"):
        _, _, f_avg, _ = precision_recall_fscore_support(y_true, y_pred, labels=label_arg, average=avg, zero_division=0)
        out[f"{avg}_f1"] = float(f_avg)
    out["per_label"] = {l: {"precision": float(pp), "recall": float(rr), "f1": float(ff), "support": int(ss)}
                        for l, pp, rr, ff, ss in zip(labels, p, r, f, s)}
    if label_counts:
        for l, n in zip(labels, predicted):
            out["per_label"][l]["predicted"] = int(n)
        out["macro_f1_labels"] = [l for l, o in zip(labels, occurs) if o]
    return out


def regression_metrics(gold: Sequence[float], pred: Sequence[float]) -> dict[str, Any]:
    """n, rmse, mae, r2; a metric that is undefined (r2 of constant gold, anything of no records) is None.

    Gold values that are all equal give r2 None even when their mean is off by a rounding error (scikit-learn's
    ``r2_score([0.1] * 3, [0.2] * 3)`` is -5.2e31).

    >>> regression_metrics([3, 3], [2, 4])
    {'n': 2, 'rmse': 1.0, 'mae': 1.0, 'r2': None}
    """
    g = np.asarray(gold, dtype=float)
    p = np.asarray(pred, dtype=float)
    err = p - g
    constant = not len(g) or bool(np.all(g == g[0]))
    ss_tot = 0.0 if constant else float(((g - g.mean()) ** 2).sum())
    return {"n": int(len(g)), "rmse": float(np.sqrt(np.mean(err ** 2))) if len(g) else None,
            "mae": float(np.mean(np.abs(err))) if len(g) else None,
            "r2": float(1 - (err ** 2).sum() / ss_tot) if ss_tot > 0 else None}
