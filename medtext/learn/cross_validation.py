"""Cross-validated metrics of one configuration, and the grid search that picks parameters with them.

:func:`cross_validate` fits ``k`` folds (stratified, or grouped by document) and scores the
out-of-fold predictions; :func:`tune_params` tries :data:`SEARCH_GRID` and keeps the best on the
task's :data:`PRIMARY` metric.

Example:
    >>> PRIMARY["classify"], len(SEARCH_GRID["logreg"])
    ('macro_f1', 8)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from medtext.errors import Errors, InputError

from .metrics import classification_metrics, regression_metrics

SEARCH_FOLDS = 5  # the grid search's cross-validation folds when --cv is not given
SEARCH_GRID = {
    "logreg": [{"C": c, "class_weight": w} for c in (1.0, 3.0, 10.0, 30.0) for w in (None, "balanced")],
    "svm": [{"C": c, "class_weight": w} for c in (0.1, 0.3, 1.0) for w in (None, "balanced")],
    "ridge": [{"alpha": a} for a in (0.3, 1.0, 3.0, 10.0)],
    "linear": [{}],
    "ordinal": [{"C": c} for c in (3.0, 10.0, 30.0)],
    "nbsvm": [{"C": c, "class_weight": w} for c in (0.003, 0.01, 0.03, 0.1) for w in (None, "balanced")],
    "term-pairs": [{"C": c, "mix": m} for c in (1.0, 3.0, 10.0) for m in (0.6, 1.0)],
}
PRIMARY = {"classify": "macro_f1", "multilabel": "micro_f1", "sentences": "weighted_f1", "regress": "rmse"}


def _split_indices(n: int, k: int, y=None, groups=None, seed: int = 0):
    from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold

    if groups is not None:
        return list(GroupKFold(n_splits=k).split(np.zeros(n), groups=groups))
    if y is not None:
        _, counts = np.unique(np.asarray(y, dtype=str), return_counts=True)
        if counts.min() >= k:
            return list(StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(n), np.asarray(y, dtype=str)))
    return list(KFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(n)))


def cross_validate(task: str, X, y, labels, *, algorithm=None, params=None, features=None, context=None,
                   k: int = 5, groups=None, threshold=None, source: str = "<records>",
                   fit_params: dict[str, list] | None = None, search_default: bool = False) -> dict[str, Any]:
    """Out-of-fold metrics of one configuration (folds grouped by ``groups`` when given); ``fit_params``:
    per-record lists passed to ``fit``, sliced by fold (e.g. the term-pair model's drugs / effects).
    ``search_default``: ``k`` is the grid search's default, not the user's ``--cv`` (for the message
    when the data has fewer than ``k`` records)."""
    from .models import build_estimator

    params = dict(params or {}, **({"threshold": threshold} if threshold is not None else {}))
    n = len(X)
    unit = "abstracts" if task == "sentences" else "records"
    if groups is not None and k > len(set(groups)) and k <= n:
        unit, n = "groups", len(set(groups))
    if k > n:
        if search_default:
            fix = (f"Give --cv {n} (or fewer folds, at least 2) with --search, or train without --search"
                   if n >= 2 else "Add records, or train without --search")
            raise InputError(Errors.E183.format(k=k, unit=unit, path=source, n=n, fix=fix))
        raise InputError(Errors.E074.format(k=k, unit=unit, path=source, n=n))
    strat = None if task in ("regress", "multilabel", "sentences") else y
    folds = _split_indices(n, k, strat, groups)
    if task == "sentences":
        gold, pred = [], []
        for tr, te in folds:
            est = build_estimator(task, algorithm, features=features, context=context, **params)
            est.fit([X[i] for i in tr], [y[i] for i in tr])
            for i, p in zip(te, est.predict([X[i] for i in te])):
                gold.extend(y[i])
                pred.extend(p)
        return classification_metrics(gold, pred, labels)
    oof = [None] * n
    for tr, te in folds:
        est = build_estimator(task, algorithm, features=features, **params)
        est.fit([X[i] for i in tr], y[tr], **{key: [v[i] for i in tr] for key, v in (fit_params or {}).items()})
        p = est.predict([X[i] for i in te])
        for i, v in zip(te, p):
            oof[i] = v
    if task == "regress":
        return regression_metrics(y, oof)
    if task == "multilabel":
        gold = [[labels[j] for j in np.flatnonzero(row)] for row in y]
        pred = [[labels[j] for j in np.flatnonzero(row)] for row in oof]
        return classification_metrics(gold, pred, labels, multilabel=True)
    return classification_metrics(list(y), oof, labels)


def _better(task: str, a: float, b: float | None) -> bool:
    if b is None:
        return True
    return a < b if task == "regress" else a > b


def tune_params(task, X, y, labels, algorithm, chosen, feats, cv, search, source, *, context=None, fit_params=None,
                groups=None):
    """``(params, cross-validated metrics)``: a grid search with ``search``, else ``cv`` folds, else none."""
    kw = {"algorithm": algorithm, "features": feats, "context": context, "source": source, "fit_params": fit_params,
          "groups": groups}
    if search:
        best, best_m = None, None
        for p in SEARCH_GRID[algorithm]:
            m = cross_validate(task, X, y, labels, params={**p, **chosen}, k=cv or SEARCH_FOLDS,
                               search_default=cv is None, **kw)
            if _better(task, m[PRIMARY[task]], None if best_m is None else best_m[PRIMARY[task]]):
                best, best_m = {**p, **chosen}, m
        return best, best_m
    if cv:
        return chosen, cross_validate(task, X, y, labels, params=chosen, k=cv, **kw)
    return chosen, None
