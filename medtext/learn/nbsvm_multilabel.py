"""Multi-label NB-SVM: one Platt-calibrated NB-SVM (:class:`~medtext.learn.nbsvm.NBSVMClassifier`) per label.

Fitted on a 0/1 indicator matrix ``Y`` (n_samples, n_labels). Each label's binary NB-SVM
gives one weight row, intercept and Platt pair, so the model is stored as the multi-label
head of :class:`~medtext.learn.linear.MultiLabelLinearClassifier` (link
``ovr-sigmoid-calibrated`` with ``thresholds``) and predicts with the numpy path
unchanged. A label that is always (or never) present gets a constant probability.

Example:
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]] * 3)
    >>> Y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]] * 3)
    >>> MultiLabelNBSVM(C=1.0).fit(X, Y).predict_proba(X).shape
    (12, 2)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from .linear import MultiLabelHeads, fit_label_columns
from .linear_numpy import link_proba
from .nbsvm import NBSVMClassifier, _SparseTermTags


class MultiLabelNBSVM(MultiLabelHeads, _SparseTermTags, ClassifierMixin, BaseEstimator):
    """One binary :class:`NBSVMClassifier` per label column; ``threshold``: a number or one per label."""

    def __init__(self, C: float = 0.01, alpha: float = 1.0, power: float = 0.5, class_weight="balanced",
                 threshold=0.5, calibration_cv: int = 3, max_iter: int = 5000, tol: float = 1e-4):
        self.C = C
        self.alpha = alpha
        self.power = power
        self.class_weight = class_weight
        self.threshold = threshold
        self.calibration_cv = calibration_cv
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, Y):
        X, Y = validate_data(self, X, Y, accept_sparse="csr", dtype=np.float64, multi_output=True)
        Y = np.asarray(Y)
        if Y.ndim != 2 or not set(np.unique(Y).tolist()) <= {0, 1}:
            raise ValueError("MultiLabelNBSVM needs a 0/1 indicator matrix Y of shape (n_samples, n_labels)")

        def fit_column(column):
            return NBSVMClassifier(C=self.C, alpha=self.alpha, power=self.power, class_weight=self.class_weight,
                                   calibration_cv=self.calibration_cv, max_iter=self.max_iter, tol=self.tol).fit(X, column)

        self.classes_ = np.arange(Y.shape[1])
        heads = fit_label_columns(Y.astype(int), X.shape[1], fit_column, str)
        self.coef_, self.intercept_, self.calib_a_, self.calib_b_ = heads.arrays()
        self.n_labels_ = Y.shape[1]
        return self

    def predict_proba(self, X):
        """Each label's own probability, (n_samples, n_labels)."""
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        dec = np.asarray(X @ self.coef_.T) + self.intercept_
        return link_proba(dec, "ovr-sigmoid-calibrated", self.n_labels_, self.calib_a_, self.calib_b_)

    def predict(self, X):
        return (self.predict_proba(X) >= self.thresholds_()[None, :]).astype(int)

    def export_head(self) -> dict[str, Any]:
        check_is_fitted(self, "coef_")
        return {"link": "ovr-sigmoid-calibrated", "coef": self.coef_, "intercept": self.intercept_,
                "calib_a": self.calib_a_, "calib_b": self.calib_b_, "thresholds": self.thresholds_()}
