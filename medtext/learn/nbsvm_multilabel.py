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

from .linear import TooFewExamples, _f32
from .linear_numpy import link_proba
from .nbsvm import NBSVMClassifier, _SparseTermTags


class MultiLabelNBSVM(_SparseTermTags, ClassifierMixin, BaseEstimator):
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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.classifier_tags.multi_label = True
        return tags

    def fit(self, X, Y):
        X, Y = validate_data(self, X, Y, accept_sparse="csr", dtype=np.float64, multi_output=True)
        Y = np.asarray(Y)
        if Y.ndim != 2 or not set(np.unique(Y).tolist()) <= {0, 1}:
            raise ValueError("MultiLabelNBSVM needs a 0/1 indicator matrix Y of shape (n_samples, n_labels)")
        coefs, inters, a_s, b_s = [], [], [], []
        for j in range(Y.shape[1]):
            column = Y[:, j].astype(int)
            pos = int(column.sum())
            if pos in (0, len(column)):
                prev = (pos + 0.5) / (len(column) + 1.0)
                coefs.append(np.zeros(X.shape[1]))
                inters.append(float(np.log(prev / (1 - prev))))
                a_s.append(-1.0)  # expit(-(-1 * d + 0)) == expit(d)
                b_s.append(0.0)
                continue
            try:
                clf = NBSVMClassifier(C=self.C, alpha=self.alpha, power=self.power, class_weight=self.class_weight,
                                      calibration_cv=self.calibration_cv, max_iter=self.max_iter,
                                      tol=self.tol).fit(X, column)
            except TooFewExamples as e:  # name the label column, not its 0/1 indicator
                raise TooFewExamples(str(j), e.n, absent=e.label == "0") from None
            coefs.append(clf.coef_[0])
            inters.append(float(clf.intercept_[0]))
            a_s.append(float(clf.calib_a_[0]))
            b_s.append(float(clf.calib_b_[0]))
        self.classes_ = np.arange(Y.shape[1])
        self.coef_ = _f32(np.vstack(coefs))
        self.intercept_ = _f32(np.array(inters))
        self.calib_a_ = np.array(a_s)
        self.calib_b_ = np.array(b_s)
        self.n_labels_ = Y.shape[1]
        return self

    def thresholds_(self) -> np.ndarray:
        thr = np.asarray(self.threshold, dtype=np.float64)
        return np.full(self.n_labels_, float(thr)) if thr.ndim == 0 else thr

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
