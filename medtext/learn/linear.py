"""Linear heads on numeric features: logistic regression / calibrated linear SVM, multi-label, OLS / ridge.

These follow the scikit-learn estimator contract (checked with ``parametrize_with_checks``)
and round their weights to float32 precision after fitting, so a model stored as
float32 arrays predicts exactly what the fitted estimator predicts. ``export_head()``
gives the plain arrays used by :mod:`medtext.learn.linear_numpy`.

Example:
    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [0.9, 0.1], [0.1, 0.8]])
    >>> LinearClassifier().fit(X, ["a", "b", "b", "a"]).predict([[1.0, 0.0]]).tolist()
    ['b']
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.svm import LinearSVC
from sklearn.utils._available_if import available_if
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, column_or_1d, validate_data

from .linear_numpy import link_proba

ALGORITHMS_CLF = ("logreg", "svm")
ALGORITHMS_REG = ("ridge", "linear")


def round_f32(a) -> np.ndarray:
    """Round to float32 precision but keep float64 dtype (what is stored is then exact)."""
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def min_class_count(y) -> int:
    """How many examples the rarest class has.

    >>> min_class_count(["a", "b", "a"])
    1
    """
    _, counts = np.unique(y, return_counts=True)
    return int(counts.min())


class TooFewExamples(ValueError):
    """A class has fewer examples than the calibration of a linear SVM needs (``label``, ``n``)."""

    def __init__(self, label: str, n: int, absent: bool = False):
        self.label, self.n, self.absent = str(label), int(n), absent  # absent: records *without* label (multi-label)
        super().__init__(f"class {self.label!r} has {self.n} example(s); a calibrated SVM needs at least 2 of "
                         f"each class (use algorithm='logreg' or add examples)")


class BadSetting(ValueError):
    """A parameter value that cannot work with the data it is fitted on (``medtext train`` reports it as E122)."""


def check_calibration_counts(y) -> None:
    """TooFewExamples when a class has fewer than the 2 examples a calibrated SVM needs.

    >>> check_calibration_counts(["a", "a", "b", "b"])
    """
    classes, counts = np.unique(y, return_counts=True)
    if counts.min() < 2:
        raise TooFewExamples(classes[counts.argmin()], counts.min())


def expected_failed_checks(estimator) -> dict[str, str]:
    """scikit-learn estimator checks that ``estimator`` fails by nature, with the reason; pass it as
    ``check_estimator(est, expected_failed_checks=expected_failed_checks(est))`` or
    ``parametrize_with_checks(..., expected_failed_checks=expected_failed_checks)`` (scikit-learn
    1.6+ has no estimator tag for expected failures).

    >>> sorted(expected_failed_checks(LinearClassifier(algorithm="svm")))[0]
    'check_class_weight_classifiers'
    """
    if getattr(estimator, "algorithm", None) != "svm" or not isinstance(estimator, LinearClassifier):
        return {}
    folds = ("the Platt calibration is fitted on internal cross-validation folds, which differ between "
             "weighted and repeated samples, and liblinear's LinearSVC is itself not weight-equivalent "
             "(scikit-learn expects this check to fail for LinearSVC)")
    return {"check_sample_weight_equivalence_on_dense_data": folds,
            "check_sample_weight_equivalence_on_sparse_data": folds,
            "check_class_weight_classifiers": (
                "calibration maps the class-weighted SVM's scores to the probabilities observed in the data, so "
                "an extreme class_weight moves the hyperplane but not the calibrated arg-max the check expects")}


def check_label_target(Y, owner: str):
    """``Y`` itself, or ValueError with the way out when it holds lists of labels (numpy cannot make a matrix
    of lists of different lengths; scikit-learn's multi-label estimators take a 0/1 indicator matrix).

    >>> check_label_target([["a"], ["a", "b"]], "MultiLabelLinearClassifier")
    Traceback (most recent call last):
    ValueError: MultiLabelLinearClassifier needs a 0/1 indicator matrix Y (n_samples, n_labels) or one label per sample; got lists of labels: turn them into a matrix with sklearn.preprocessing.MultiLabelBinarizer
    """
    if hasattr(Y, "toarray") or (hasattr(Y, "ndim") and getattr(Y, "dtype", None) != object):
        return Y
    try:
        arr = np.asarray(Y)
        lists = arr.dtype == object and any(isinstance(v, (list, tuple, set, frozenset, np.ndarray)) for v in arr.ravel())
    except ValueError:  # "inhomogeneous shape": rows of different lengths
        lists = True
    if lists:
        raise ValueError(f"{owner} needs a 0/1 indicator matrix Y (n_samples, n_labels) or one label per sample; got "
                         "lists of labels: turn them into a matrix with sklearn.preprocessing.MultiLabelBinarizer")
    return Y


class SparseInput:
    """Mixin: the estimator takes sparse input (scikit-learn's ``input_tags.sparse``)."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


class LinearClassifier(SparseInput, ClassifierMixin, BaseEstimator):
    """Multi-class linear classifier: ``logreg`` (multinomial) or ``svm`` (Platt-calibrated LinearSVC).

    ``predict_proba`` is always available: for the SVM it comes from sigmoid calibration
    fitted on ``calibration_cv``-fold out-of-fold decision values. ``bias_tuning``
    (``"macro_f1"`` or ``"f1:<label>"``, logistic regression only) then shifts the per-class
    intercepts to maximise that score on out-of-fold predictions (the shift: ``class_bias_``).
    """

    def __init__(self, algorithm: str = "logreg", C: float = 1.0, class_weight=None,
                 max_iter: int = 2000, calibration_cv: int = 3, tol: float = 1e-4,
                 bias_tuning: str | None = None, bias_cv: int = 5):
        self.algorithm = algorithm
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.calibration_cv = calibration_cv
        self.tol = tol
        self.bias_tuning = bias_tuning
        self.bias_cv = bias_cv

    def fit(self, X, y, sample_weight=None):
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64)
        check_classification_targets(y)
        if self.algorithm not in ALGORITHMS_CLF:
            raise ValueError(f"algorithm must be one of {ALGORITHMS_CLF}, got {self.algorithm!r}")
        if self.algorithm == "svm" and sample_weight is not None:
            # weight 0 means "not there": drop those samples, so the calibration folds are stratified
            # on the samples that count (a fold whose class had only zero weights crashed the fit)
            sample_weight = _check_sample_weight(sample_weight, X)
            keep = sample_weight != 0
            X, y, sample_weight = X[keep], y[keep], sample_weight[keep]
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(f"need at least 2 classes to train a classifier, found {len(self.classes_)} class")
        k = len(self.classes_)
        if self.algorithm == "logreg":
            est = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter, tol=self.tol)
            est.fit(X, y, sample_weight=sample_weight)
            est.coef_ = round_f32(est.coef_)
            est.intercept_ = round_f32(est.intercept_)
            self.estimator_ = est
            self.n_iter_ = est.n_iter_
            self.coef_ = est.coef_
            self.intercept_ = est.intercept_
            self.link_ = "softmax"
            self.calib_a_ = self.calib_b_ = None
        else:
            check_calibration_counts(y)
            cv = max(2, min(int(self.calibration_cv), min_class_count(y)))
            svc = LinearSVC(C=self.C, class_weight=self.class_weight, max_iter=max(self.max_iter, 5000), tol=self.tol,
                            random_state=0)
            cal = CalibratedClassifierCV(svc, method="sigmoid", cv=cv, ensemble=False)
            cal.fit(X, y, sample_weight=sample_weight)
            inner = cal.calibrated_classifiers_[0]
            base = inner.estimator
            base.coef_ = round_f32(base.coef_)
            base.intercept_ = round_f32(base.intercept_)
            self.estimator_ = cal
            self.n_iter_ = np.atleast_1d(base.n_iter_)
            self.coef_ = base.coef_
            self.intercept_ = base.intercept_
            self.link_ = "sigmoid-calibrated"
            self.calib_a_ = np.array([c.a_ for c in inner.calibrators], dtype=np.float64)
            self.calib_b_ = np.array([c.b_ for c in inner.calibrators], dtype=np.float64)
        if self.coef_.shape[0] == 1 and k == 2 and self.link_ == "softmax":
            self.link_ = "logistic"
        self.class_bias_ = None
        if self.bias_tuning:
            self._tune_bias(X, y, sample_weight)
        return self

    def _tune_bias(self, X, y, sample_weight=None) -> None:
        """Shift per-class intercepts to maximise ``bias_tuning`` (``macro_f1`` or ``f1:<label>``)
        on out-of-fold predictions; logistic regression only (the shift is exact in its softmax)."""
        from sklearn.base import clone
        from sklearn.metrics import f1_score
        from sklearn.model_selection import StratifiedKFold

        if self.algorithm != "logreg":
            raise BadSetting("bias_tuning needs algorithm='logreg'")
        objective = str(self.bias_tuning)
        if objective != "macro_f1" and not objective.startswith("f1:"):
            raise BadSetting(f"bias_tuning must be 'macro_f1' or 'f1:<label>', got {objective!r}")
        classes = self.classes_
        target = None  # f1:<label>: the class named (labels are matched as strings: f1:1 names the class 1)
        if objective != "macro_f1":
            names = [str(c) for c in classes]
            if objective[3:] not in names:
                shown = ", ".join(repr(n)[:40] for n in names[:10]) + (", ..." if len(names) > 10 else "")
                raise BadSetting(f"bias_tuning {objective!r}"[:60] + f" names no class of the training labels ({shown})")
            target = classes[names.index(objective[3:])]
        k = len(classes)
        folds = max(2, min(int(self.bias_cv), min_class_count(y)))
        L = np.zeros((len(y), k))
        inner = clone(self).set_params(bias_tuning=None)
        for tr, te in StratifiedKFold(folds, shuffle=True, random_state=0).split(np.zeros(len(y)), y):
            m = clone(inner).fit(X[tr], y[tr])
            L[np.ix_(te, np.searchsorted(classes, m.classes_))] = np.log(np.clip(m.predict_proba(X[te]), 1e-12, None))

        def score(b):
            pred = classes[(L + b).argmax(axis=1)]
            if target is None:
                return f1_score(y, pred, average="macro")
            return f1_score(y, pred, labels=[target], average="micro")  # the F1 of that class, with 2 classes or more

        b = np.zeros(k)
        best = score(b)
        grid = np.linspace(-2.0, 2.0, 41)
        for _ in range(2):
            for j in range(k if k > 2 else 1):
                for v in grid:
                    trial = b.copy()
                    trial[j] = v
                    f = score(trial)
                    if f > best + 1e-12:
                        best, b = f, trial
        if self.coef_.shape[0] == 1:  # binary: one decision row for classes_[1]
            shift = b[1] - b[0]
            self.intercept_ = round_f32(self.intercept_ + shift)
        else:
            self.intercept_ = round_f32(self.intercept_ + b)
        self.estimator_.intercept_ = self.intercept_
        self.class_bias_ = b
        self.bias_cv_score_ = best

    def _decision(self, X):
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        dec = np.asarray(X @ self.coef_.T) + self.intercept_
        return dec[:, 0] if dec.shape[1] == 1 else dec

    @available_if(lambda self: self.algorithm == "logreg")
    def decision_function(self, X):
        """Raw scores (logistic regression only: a calibrated SVM's ranking lives in predict_proba)."""
        return self._decision(X)

    def predict_proba(self, X):
        dec = self._decision(X)
        return link_proba(dec, self.link_, len(self.classes_), self.calib_a_, self.calib_b_)

    def predict(self, X):
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def export_head(self) -> dict[str, Any]:
        check_is_fitted(self, "coef_")
        head = {"link": self.link_, "coef": self.coef_, "intercept": self.intercept_}
        if self.calib_a_ is not None:
            head["calib_a"] = self.calib_a_
            head["calib_b"] = self.calib_b_
        return head


class LabelHeads:
    """The binary heads of one-vs-rest label columns, as collected by :func:`fit_label_columns`."""

    def __init__(self) -> None:
        self.coef: list[np.ndarray] = []
        self.intercept: list[float] = []
        self.calib_a: list[float] = []
        self.calib_b: list[float] = []
        self.last: Any = None  # the last classifier fitted (None when every column was constant)

    def add(self, coef: np.ndarray, intercept: float, calib_a: float = -1.0, calib_b: float = 0.0) -> None:
        # calibration (-1, 0): expit(-(-1 * d + 0)) == expit(d), a plain logistic head
        self.coef.append(coef)
        self.intercept.append(intercept)
        self.calib_a.append(calib_a)
        self.calib_b.append(calib_b)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``coef_`` and ``intercept_`` (float32-exact), ``calib_a_`` and ``calib_b_``."""
        return round_f32(np.vstack(self.coef)), round_f32(np.array(self.intercept)), np.array(self.calib_a), np.array(self.calib_b)


def fit_label_columns(indicator: np.ndarray, n_features: int, fit_column, label_name) -> LabelHeads:
    """One binary head per column of a 0/1 indicator matrix: ``fit_column(column)`` returns a fitted
    binary classifier (``coef_``, ``intercept_``, ``calib_a_`` / ``calib_b_`` or None); a column without
    positives or without negatives gets a zero head at its smoothed prior log-odds. A column with too few
    examples raises :class:`TooFewExamples` naming ``label_name(j)``.

    Example:
        >>> heads = fit_label_columns(np.zeros((3, 1), dtype=int), 2, None, str)
        >>> [round(float(v), 3) for v in heads.arrays()[1]]
        [-1.946]
    """
    heads = LabelHeads()
    for j in range(indicator.shape[1]):
        column = indicator[:, j]
        pos = int(column.sum())
        if pos == 0 or pos == len(column):
            prev = (pos + 0.5) / (len(column) + 1.0)
            heads.add(np.zeros(n_features), float(np.log(prev / (1 - prev))))
            continue
        try:
            clf = fit_column(column)
        except TooFewExamples as e:  # name the label, not its 0/1 indicator
            raise TooFewExamples(label_name(j), e.n, absent=e.label == "0") from None
        if getattr(clf, "calib_a_", None) is not None:
            heads.add(clf.coef_[0], float(clf.intercept_[0]), float(clf.calib_a_[0]), float(clf.calib_b_[0]))
        else:
            heads.add(clf.coef_[0], float(clf.intercept_[0]))
        heads.last = clf
    return heads


class MultiLabelHeads:
    """Mixin of the one-vs-rest label heads shared by :class:`MultiLabelLinearClassifier` and
    :class:`~medtext.learn.nbsvm_multilabel.MultiLabelNBSVM`: scikit-learn's multi-output and
    multi-label tags, the reading of the target (:meth:`_label_columns`), prediction from the
    fitted ``coef_`` / ``intercept_`` / ``calib_a_`` / ``calib_b_``, and each label's threshold
    (``threshold``: a number, or one per label).

    A 0/1 indicator matrix ``Y`` (n_samples, n_labels) makes the estimator multi-label:
    ``predict`` gives an indicator matrix and ``predict_proba`` each label's own probability.
    One label per sample (a 1-D ``y``) makes it a one-vs-rest multi-class classifier, as
    scikit-learn's ``OneVsRestClassifier``: ``predict`` gives labels and ``predict_proba`` the
    per-label probabilities normalised to sum to 1.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.classifier_tags.multi_label = True
        return tags

    def _label_columns(self, Y):
        """``(indicator, class_weight, sample_weight)``: the 0/1 columns to fit one binary head each,
        the class weight of each column's head and the sample weights of their fits; sets
        ``multilabel_`` and ``classes_``. For a 1-D ``y`` the class weights are weights of its
        classes, so they become sample weights (each column's head then gets ``class_weight=None``)."""
        Y = Y.toarray() if hasattr(Y, "toarray") else np.asarray(Y)  # MultiLabelBinarizer(sparse_output=True)
        # a single 0/1 column stays a one-label indicator matrix; a column of other labels is read as 1-D
        self.multilabel_ = Y.ndim == 2 and (Y.shape[1] > 1 or set(np.unique(Y).tolist()) <= {0, 1})
        if self.multilabel_:
            if type_of_target(Y) != "multilabel-indicator" and not set(np.unique(Y)) <= {0, 1}:
                raise ValueError(f"{type(self).__name__} needs a 0/1 indicator matrix Y of shape "
                                 "(n_samples, n_labels), or one label per sample")
            indicator = Y.astype(int)
            self.classes_ = np.arange(indicator.shape[1])
            return indicator, self.class_weight, None
        y = column_or_1d(Y, warn=True)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError(f"need at least 2 classes to train a classifier, found {len(self.classes_)} class")
        # binary: one column for classes_[1]; more: one column per class
        columns = self.classes_[1:] if len(self.classes_) == 2 else self.classes_
        indicator = (y[:, None] == columns[None, :]).astype(int)
        sample_weight = compute_sample_weight(self.class_weight, y) if self.class_weight is not None else None
        return indicator, None, sample_weight

    def _label_name(self, j: int) -> str:
        return str(self.classes_[j] if not self.multilabel_ else j)

    def _set_heads(self, heads: "LabelHeads", n_labels: int) -> None:
        self.coef_, self.intercept_, self.calib_a_, self.calib_b_ = heads.arrays()
        if heads.last is not None:
            self.n_iter_ = heads.last.n_iter_
        self.n_labels_ = n_labels

    def thresholds_(self) -> np.ndarray:
        thr = np.asarray(self.threshold, dtype=np.float64)
        return np.full(self.n_labels_, float(thr)) if thr.ndim == 0 else thr

    def _decision(self, X):
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def _label_proba(self, X):
        dec = self._decision(X)
        return link_proba(dec, "ovr-sigmoid-calibrated", self.n_labels_, self.calib_a_, self.calib_b_)

    def predict_proba(self, X):
        """Multi-label: each label's own probability, (n_samples, n_labels); 1-D fit: normalised."""
        proba = self._label_proba(X)
        if self.multilabel_:
            return proba
        if self.n_labels_ == 1:  # binary
            return np.hstack([1.0 - proba, proba])
        total = proba.sum(axis=1, keepdims=True)
        return np.divide(proba, total, out=np.full_like(proba, 1.0 / proba.shape[1]), where=total > 0)

    def predict(self, X):
        check_is_fitted(self, "coef_")
        if self.multilabel_:
            return (self.predict_proba(X) >= self.thresholds_()[None, :]).astype(int)
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def export_head(self) -> dict[str, Any]:
        check_is_fitted(self, "coef_")
        if not self.multilabel_:
            raise ValueError("export_head stores multi-label heads; this classifier was fitted on one label per "
                             "sample (use LinearClassifier or NBSVMClassifier for a multi-class model)")
        return {"link": "ovr-sigmoid-calibrated", "coef": self.coef_, "intercept": self.intercept_,
                "calib_a": self.calib_a_, "calib_b": self.calib_b_, "thresholds": self.thresholds_()}


class MultiLabelLinearClassifier(MultiLabelHeads, SparseInput, ClassifierMixin, BaseEstimator):
    """One binary linear classifier per label (one-vs-rest).

    Fitted on a 0/1 indicator matrix ``Y`` (n_samples, n_labels) it is multi-label:
    ``predict`` gives an indicator matrix, ``predict_proba`` each label's own probability,
    and ``threshold`` (a number, or one per label) turns probabilities into label sets;
    labels that are always (or never) present get a constant probability. Fitted on one
    label per sample (a 1-D ``y``) it is a one-vs-rest multi-class classifier, as
    scikit-learn's ``OneVsRestClassifier`` (see :class:`MultiLabelHeads`).

    Example:
        >>> import numpy as np
        >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]] * 3)
        >>> Y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]] * 3)
        >>> MultiLabelLinearClassifier(C=10).fit(X, Y).predict([[1.0, 1.0]]).tolist()
        [[1, 1]]
    """

    def __init__(self, algorithm: str = "logreg", C: float = 1.0, class_weight=None,
                 threshold=0.5, max_iter: int = 2000, calibration_cv: int = 3):
        self.algorithm = algorithm
        self.C = C
        self.class_weight = class_weight
        self.threshold = threshold
        self.max_iter = max_iter
        self.calibration_cv = calibration_cv

    def fit(self, X, Y):
        Y = check_label_target(Y, type(self).__name__)
        X, Y = validate_data(self, X, Y, accept_sparse="csr", dtype=np.float64, multi_output=True)
        if self.algorithm not in ALGORITHMS_CLF:
            raise ValueError(f"algorithm must be one of {ALGORITHMS_CLF}, got {self.algorithm!r}")
        indicator, class_weight, sample_weight = self._label_columns(Y)

        def fit_column(column):
            return LinearClassifier(self.algorithm, self.C, class_weight, self.max_iter,
                                    self.calibration_cv).fit(X, column, sample_weight=sample_weight)

        heads = fit_label_columns(indicator, X.shape[1], fit_column, self._label_name)
        self._set_heads(heads, indicator.shape[1])
        return self

    @available_if(lambda self: self.algorithm == "logreg")
    def decision_function(self, X):
        """Raw scores (logistic regression only: a calibrated SVM's ranking lives in predict_proba)."""
        dec = self._decision(X)
        return dec[:, 0] if not self.multilabel_ and dec.shape[1] == 1 else dec


class LinearScorer(SparseInput, RegressorMixin, BaseEstimator):
    """Linear regression for scores: ``ridge`` (L2, ``alpha``) or ``linear`` (ordinary least squares).

    With ``clip=True`` predictions are clipped to the range of the training targets
    (a 1-10 rating model never predicts 11).
    """

    def __init__(self, algorithm: str = "ridge", alpha: float = 1.0, clip: bool = True):
        self.algorithm = algorithm
        self.alpha = alpha
        self.clip = clip

    def fit(self, X, y, sample_weight=None):
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64, y_numeric=True)
        if self.algorithm not in ALGORITHMS_REG:
            raise ValueError(f"algorithm must be one of {ALGORITHMS_REG}, got {self.algorithm!r}")
        est = Ridge(alpha=self.alpha) if self.algorithm == "ridge" else LinearRegression()
        est.fit(X, y, sample_weight=sample_weight)
        self.coef_ = round_f32(np.ravel(est.coef_))
        self.intercept_ = round_f32(np.atleast_1d(est.intercept_))
        self.y_range_ = (float(np.min(y)), float(np.max(y)))
        return self

    def predict(self, X):
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        pred = np.asarray(X @ self.coef_).ravel() + self.intercept_[0]
        if self.clip:
            pred = np.clip(pred, *self.y_range_)
        return pred

    def export_head(self) -> dict[str, Any]:
        check_is_fitted(self, "coef_")
        return {"link": "identity", "coef": self.coef_[None, :], "intercept": self.intercept_,
                "clip": list(self.y_range_) if self.clip else None}
