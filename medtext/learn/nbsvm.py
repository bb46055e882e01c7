"""NB-SVM: a linear SVM on features scaled by naive-Bayes log-count ratios (Wang & Manning 2012).

For each class (one-vs-rest) the ratio ``r = log((p / |p|_1) / (q / |q|_1))`` is computed from
feature presence in the class (``p``) and outside it (``q``), both smoothed by ``alpha``; a
LinearSVC is trained on ``X * |r|^power`` and its weights are folded back,
``coef = w * |r|^power`` (the sign of ``r`` would only flip the sign of ``w``), so the model stays a plain linear head over ``X`` (no new
feature kind: the numpy prediction path and the model folder are those of a calibrated
SVM). Ratios count feature presence (non-zero values), so this is meant for sparse term
weights such as TF-IDF. Probabilities come from Platt calibration on out-of-fold decision values, exactly as
:class:`medtext.learn.linear.LinearClassifier` with ``algorithm="svm"``.

Example:
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.8]] * 3)
    >>> NBSVMClassifier(C=1.0).fit(X, ["a", "a", "b", "b"] * 3).predict([[1.0, 0.0]]).tolist()
    ['a']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from .linear import SparseInput, check_calibration_counts, min_class_count, round_f32
from .linear_numpy import link_proba


def nb_ratio(X, positive: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Log-count ratio of feature presence in the ``positive`` rows against the others.

    >>> nb_ratio(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([True, False])).round(3).tolist()
    [0.693, -0.693]
    """
    present = (X != 0).astype(np.float64) if sp.issparse(X) else (np.asarray(X) != 0).astype(np.float64)
    p = np.asarray(present[positive].sum(axis=0)).ravel() + alpha
    q = np.asarray(present[~positive].sum(axis=0)).ravel() + alpha
    return np.log((p / p.sum()) / (q / q.sum()))


class SparseTermTags(SparseInput):
    """scikit-learn tags of the NB-SVM classes: sparse input; a poor score on dense data is expected."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # made for sparse term weights: on dense data every feature is present in every row, the
        # ratios are 0 and so is the model (scikit-learn's blob-data accuracy check cannot pass)
        tags.classifier_tags.poor_score = True
        return tags


class NBLinearSVC(SparseTermTags, ClassifierMixin, BaseEstimator):
    """Uncalibrated NB-SVM (one-vs-rest; binary: one row for ``classes_[1]``), with ``decision_function``.

    >>> NBLinearSVC().fit(np.eye(4), [0, 0, 1, 1]).decision_function(np.eye(4)).shape
    (4,)
    """

    def __init__(self, C: float = 0.01, alpha: float = 1.0, power: float = 0.5, class_weight="balanced",
                 max_iter: int = 5000, tol: float = 1e-4):
        self.C = C
        self.alpha = alpha
        self.power = power
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y, sample_weight=None):
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(f"need at least 2 classes to train a classifier, found {len(self.classes_)} class")
        if self.power < 0 or self.alpha <= 0:
            raise ValueError(f"NB-SVM needs power >= 0 and alpha > 0, got power={self.power}, alpha={self.alpha}")
        rows = self.classes_[1:] if len(self.classes_) == 2 else self.classes_
        coefs, intercepts, n_iter = [], [], []
        for label in rows:
            positive = y == label
            r = nb_ratio(X, positive, float(self.alpha))
            scale = np.abs(r) ** float(self.power)
            Xs = X @ sp.diags(scale) if sp.issparse(X) else X * scale
            svc = LinearSVC(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter, tol=self.tol,
                            random_state=0).fit(Xs, positive, sample_weight=sample_weight)
            coefs.append(svc.coef_.ravel() * scale)
            intercepts.append(float(svc.intercept_[0]))
            n_iter.append(int(svc.n_iter_))
        self.n_iter_ = np.array(n_iter)
        self.coef_ = np.vstack(coefs)
        self.intercept_ = np.array(intercepts)
        return self

    def decision_function(self, X):
        """Raw one-vs-rest scores, (n,) for two classes (positive: ``classes_[1]``), else (n, k)."""
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        dec = np.asarray(X @ self.coef_.T) + self.intercept_
        return dec[:, 0] if dec.shape[1] == 1 else dec

    def predict(self, X):
        dec = self.decision_function(X)
        return self.classes_[(dec > 0).astype(int)] if dec.ndim == 1 else self.classes_[dec.argmax(axis=1)]


class NBSVMClassifier(SparseTermTags, ClassifierMixin, BaseEstimator):
    """Platt-calibrated NB-SVM with the head format of a calibrated linear SVM (``export_head``).

    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]] * 6)
    >>> NBSVMClassifier(C=1.0).fit(X, ["a", "b"] * 6).export_head()["link"]
    'sigmoid-calibrated'
    """

    def __init__(self, C: float = 0.01, alpha: float = 1.0, power: float = 0.5, class_weight="balanced",
                 calibration_cv: int = 3, max_iter: int = 5000, tol: float = 1e-4):
        self.C = C
        self.alpha = alpha
        self.power = power
        self.class_weight = class_weight
        self.calibration_cv = calibration_cv
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y, sample_weight=None):
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64)
        check_classification_targets(y)
        if sample_weight is not None:
            # weight 0 means "not there" (as for the calibrated LinearClassifier): the calibration folds
            # are then stratified on the samples that count
            sample_weight = _check_sample_weight(sample_weight, X)
            keep = sample_weight != 0
            X, y, sample_weight = X[keep], y[keep], sample_weight[keep]
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(f"need at least 2 classes to train a classifier, found {len(self.classes_)} class")
        check_calibration_counts(y)
        cv = max(2, min(int(self.calibration_cv), min_class_count(y)))
        base = NBLinearSVC(C=self.C, alpha=self.alpha, power=self.power, class_weight=self.class_weight,
                           max_iter=self.max_iter, tol=self.tol)
        cal = CalibratedClassifierCV(base, method="sigmoid", cv=cv, ensemble=False).fit(X, y, sample_weight=sample_weight)
        inner = cal.calibrated_classifiers_[0]
        fitted = inner.estimator
        fitted.coef_ = round_f32(fitted.coef_)
        fitted.intercept_ = round_f32(fitted.intercept_)
        self.estimator_ = cal
        self.coef_ = fitted.coef_
        self.intercept_ = fitted.intercept_
        self.n_iter_ = fitted.n_iter_
        self.calib_a_ = np.array([c.a_ for c in inner.calibrators], dtype=np.float64)
        self.calib_b_ = np.array([c.b_ for c in inner.calibrators], dtype=np.float64)
        return self

    def predict_proba(self, X):
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        dec = np.asarray(X @ self.coef_.T) + self.intercept_
        return link_proba(dec, "sigmoid-calibrated", len(self.classes_), self.calib_a_, self.calib_b_)

    def predict(self, X):
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def export_head(self) -> dict[str, Any]:
        check_is_fitted(self, "coef_")
        return {"link": "sigmoid-calibrated", "coef": self.coef_, "intercept": self.intercept_,
                "calib_a": self.calib_a_, "calib_b": self.calib_b_}
