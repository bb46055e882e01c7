import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.utils.estimator_checks import parametrize_with_checks

from medtext.learn.linear import LinearClassifier, LinearScorer, MultiLabelLinearClassifier, expected_failed_checks


@parametrize_with_checks([LinearClassifier(), LinearClassifier(algorithm="svm"), LinearScorer(),
                          LinearScorer(algorithm="linear"), MultiLabelLinearClassifier(),
                          MultiLabelLinearClassifier(algorithm="svm")], expected_failed_checks=expected_failed_checks)
def test_sklearn_contract(estimator, check):
    check(estimator)


def test_svm_expected_failures_are_declared_with_reasons():
    assert expected_failed_checks(LinearClassifier()) == {}
    fails = expected_failed_checks(LinearClassifier(algorithm="svm"))
    assert set(fails) == {"check_sample_weight_equivalence_on_dense_data",
                          "check_sample_weight_equivalence_on_sparse_data", "check_class_weight_classifiers"}
    assert all(len(reason) > 40 for reason in fails.values())


def test_svm_zero_weights_mean_removed_samples():
    """A class whose samples all have weight 0 in a calibration fold crashed the fit (ValueError in
    cross_val_predict); weight 0 now removes the sample, as the sample-weight checks intend."""
    rng = np.random.RandomState(59)  # class 2: 4 samples, 2 of them weight 0; with them a fold crashed
    X, y, sw = rng.rand(20, 10), rng.randint(0, 3, size=20), rng.randint(0, 3, size=20)
    weighted = LinearClassifier(algorithm="svm").fit(X, y, sample_weight=sw)
    kept = LinearClassifier(algorithm="svm").fit(X[sw > 0], y[sw > 0], sample_weight=sw[sw > 0])
    assert np.allclose(weighted.predict_proba(X), kept.predict_proba(X))
    assert list(weighted.classes_) == [0, 1, 2]


def _data(k=3, n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5))
    y = np.array(["a", "b", "c"][:k])[np.argmax(X[:, :k], axis=1)]
    return X, y


@pytest.mark.parametrize("k", [2, 3])
def test_logreg_matches_sklearn(k):
    X, y = _data(k)
    clf = LinearClassifier(C=2.0).fit(X, y)
    assert np.abs(clf.predict_proba(X) - clf.estimator_.predict_proba(X)).max() < 1e-9
    assert (clf.predict(X) == clf.estimator_.predict(X)).all()


@pytest.mark.parametrize("k", [2, 3])
def test_svm_calibrated_matches_sklearn(k):
    X, y = _data(k)
    clf = LinearClassifier(algorithm="svm").fit(X, y)
    assert isinstance(clf.estimator_, CalibratedClassifierCV)
    assert np.abs(clf.predict_proba(X) - clf.estimator_.predict_proba(X)).max() < 1e-9
    assert np.allclose(clf.predict_proba(X).sum(axis=1), 1.0)


def test_weights_are_float32_exact():
    X, y = _data()
    clf = LinearClassifier().fit(X, y)
    assert np.array_equal(clf.coef_.astype(np.float32).astype(np.float64), clf.coef_)


def test_one_class_refused():
    with pytest.raises(ValueError, match="at least 2 classes"):
        LinearClassifier().fit(np.eye(3), ["a", "a", "a"])


@pytest.mark.parametrize("algorithm", ["logreg", "svm"])
def test_multilabel(algorithm):
    X, _ = _data()
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0.5, np.zeros(len(X))]).astype(int)  # last label never present
    clf = MultiLabelLinearClassifier(algorithm=algorithm, threshold=[0.5, 0.4, 0.5]).fit(X, Y)
    P = clf.predict_proba(X)
    assert P.shape == (60, 3) and (P[:, 2] < 0.05).all()
    assert (clf.predict(X)[:, 0] == Y[:, 0]).mean() > 0.8


def test_scorer_clips_to_training_range():
    X, _ = _data()
    y = 1 + 9 * (X[:, 0] > 0)
    reg = LinearScorer(alpha=0.01).fit(X, y)
    pred = reg.predict(X * 10)
    assert pred.min() >= 1 and pred.max() <= 10


@pytest.mark.parametrize("k,objective", [(3, "macro_f1"), (2, "f1:b")])
def test_bias_tuning_shifts_intercepts_exactly(k, objective):
    X, y = _data(k, n=90)
    y = y.copy()
    y[:20] = "a"                         # imbalance so that tuning has something to do
    plain = LinearClassifier(C=0.5).fit(X, y)
    tuned = LinearClassifier(C=0.5, bias_tuning=objective, bias_cv=3).fit(X, y)
    assert np.array_equal(tuned.coef_, plain.coef_)
    assert tuned.bias_cv_score_ >= 0
    # the shift lives in the intercept, so sklearn's own predict_proba still agrees exactly
    assert np.abs(tuned.predict_proba(X) - tuned.estimator_.predict_proba(X)).max() < 1e-9


def test_multilabel_classifier_on_one_label_per_sample_is_one_vs_rest():
    """With a 1-D y (what scikit-learn's checks and OneVsRestClassifier users pass) it predicts labels and
    probabilities that sum to 1; the head export refuses it (stored heads are multi-label)."""
    X, y = _data(3, n=90)
    clf = MultiLabelLinearClassifier(C=2.0).fit(X, y)
    assert list(clf.classes_) == ["a", "b", "c"] and not clf.multilabel_
    proba = clf.predict_proba(X)
    assert proba.shape == (90, 3) and np.allclose(proba.sum(axis=1), 1.0)
    assert (clf.predict(X) == clf.classes_[proba.argmax(axis=1)]).all() and (clf.predict(X) == y).mean() > 0.8
    with pytest.raises(ValueError, match="multi-label"):
        clf.export_head()
    binary = MultiLabelLinearClassifier().fit(X, np.where(y == "a", "a", "z"))
    assert binary.predict_proba(X).shape == (90, 2) and binary.decision_function(X).shape == (90,)


def test_multilabel_classifier_keeps_a_single_indicator_column_multi_label():
    X, y = _data(2, n=40)
    Y = (y == "a").astype(int)[:, None]
    clf = MultiLabelLinearClassifier().fit(X, Y)
    assert clf.multilabel_ and clf.predict(X).shape == (40, 1) and set(np.unique(clf.predict(X))) <= {0, 1}
