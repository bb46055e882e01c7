"""Ordinal regression for scores on a few levels (ratings 1-10): cumulative binary logistic regressions.

For the sorted distinct training targets ``v_0 < ... < v_K`` one logistic regression per
threshold learns ``P(y > v_k)``; the prediction is the expected value
``v_0 + sum_k (v_{k+1} - v_k) * P(y > v_k)``, always inside ``[v_0, v_K]``. Unlike ridge
regression it does not pull the crowded ends of a bimodal rating scale (many 1s and 10s)
towards the mean. Weights are rounded to float32 precision, so a stored model predicts
exactly what the fitted one does (:mod:`medtext.learn.linear_numpy`, link ``cumulative-logistic``).

Example:
    >>> import numpy as np
    >>> X = np.array([[0.0], [0.2], [0.5], [0.8], [1.0], [0.9], [0.1], [0.6]])
    >>> m = OrdinalScorer(C=10).fit(X, [1, 1, 5, 10, 10, 10, 1, 5])
    >>> bool(m.predict([[0.0]])[0] < 3 < 8 < m.predict([[1.0]])[0])
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted, validate_data

from .linear import SparseInput, round_f32
from .linear_numpy import cumulative_expectation

MAX_LEVELS = 100
# scikit-learn's checks that train on continuous targets (hundreds of distinct values), which are refused
EXPECTED_FAILED_CHECKS = {
    name: f"continuous targets (more than {MAX_LEVELS} distinct values) are refused: ordinal regression is for scales"
    for name in ("check_regressors_train", "check_regressor_data_not_an_array")}


class OrdinalScorer(SparseInput, RegressorMixin, BaseEstimator):
    """Expected value of cumulative logistic regressions ``P(y > v_k)`` (one per level boundary).

    ``C`` is the inverse L2 strength of every binary logistic regression. Targets must take
    at most :data:`MAX_LEVELS` distinct values (use ridge regression for continuous scores).
    """

    def __init__(self, C: float = 10.0, max_iter: int = 3000, tol: float = 1e-4):
        self.C = C
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y, sample_weight=None):
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64, y_numeric=True)
        levels = np.unique(y)
        if len(levels) < 2:
            raise ValueError("ordinal regression needs at least 2 distinct target values, found one class")
        if len(levels) > MAX_LEVELS:
            raise ValueError(f"ordinal regression needs at most {MAX_LEVELS} distinct target values, found "
                             f"{len(levels)}; use ridge regression for continuous scores")
        coefs, inters, iters = [], [], []
        for v in levels[:-1]:
            lr = LogisticRegression(C=self.C, max_iter=self.max_iter, tol=self.tol)
            lr.fit(X, (y > v).astype(int), sample_weight=sample_weight)
            coefs.append(lr.coef_[0])
            inters.append(lr.intercept_[0])
            iters.append(int(lr.n_iter_[0]))
        self.n_iter_ = np.array(iters)
        self.levels_ = levels.astype(np.float64)
        self.coef_ = round_f32(np.array(coefs).reshape(len(levels) - 1, X.shape[1]))
        self.intercept_ = round_f32(np.array(inters, dtype=np.float64))
        return self

    def predict(self, X):
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        dec = np.asarray(X @ self.coef_.T).reshape(X.shape[0], -1) + self.intercept_
        return cumulative_expectation(dec, self.levels_)

    def export_head(self) -> dict[str, Any]:
        check_is_fitted(self, "coef_")
        return {"link": "cumulative-logistic", "coef": self.coef_, "intercept": self.intercept_,
                "levels": self.levels_}
