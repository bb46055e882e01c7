"""Multi-label NB-SVM: one Platt-calibrated NB-SVM (:class:`~medtext.learn.nbsvm.NBSVMClassifier`) per label.

Fitted on a 0/1 indicator matrix ``Y`` (n_samples, n_labels). Each label's binary NB-SVM
gives one weight row, intercept and Platt pair, so the model is stored as the multi-label
head of :class:`~medtext.learn.linear.MultiLabelLinearClassifier` (link
``ovr-sigmoid-calibrated`` with ``thresholds``) and predicts with the numpy path
unchanged. A label that is always (or never) present gets a constant probability. Fitted on
one label per sample (a 1-D ``y``) it is a one-vs-rest multi-class classifier, as
:class:`~medtext.learn.linear.MultiLabelLinearClassifier` is (class weights then weigh samples).

Example:
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]] * 3)
    >>> Y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]] * 3)
    >>> MultiLabelNBSVM(C=1.0).fit(X, Y).predict_proba(X).shape
    (12, 2)
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import validate_data

from .linear import MultiLabelHeads, check_label_target, fit_label_columns
from .nbsvm import NBSVMClassifier, SparseTermTags


class MultiLabelNBSVM(MultiLabelHeads, SparseTermTags, ClassifierMixin, BaseEstimator):
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
        Y = check_label_target(Y, type(self).__name__)
        X, Y = validate_data(self, X, Y, accept_sparse="csr", dtype=np.float64, multi_output=True)
        indicator, class_weight, sample_weight = self._label_columns(Y)

        def fit_column(column):
            return NBSVMClassifier(C=self.C, alpha=self.alpha, power=self.power, class_weight=class_weight,
                                   calibration_cv=self.calibration_cv, max_iter=self.max_iter,
                                   tol=self.tol).fit(X, column, sample_weight=sample_weight)

        heads = fit_label_columns(indicator, X.shape[1], fit_column, self._label_name)
        self._set_heads(heads, indicator.shape[1])
        return self
