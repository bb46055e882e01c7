"""OrdinalScorer: estimator contract, expected value of cumulative logits, numpy path == scikit-learn path."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import parametrize_with_checks

from medtext.learn.linear_numpy import NumpyModel, cumulative_expectation
from medtext.learn.models import build_estimator, export_spec
from medtext.learn.ordinal import EXPECTED_FAILED_CHECKS, MAX_LEVELS, OrdinalScorer
from medtext.learn.persist import load_spec, save_spec

from learn_fixtures import SMALL_FEATURES


def rating_data(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    y = np.clip(np.round(5.5 + 2.5 * X[:, 0] - 1.5 * X[:, 1] + rng.normal(scale=0.5, size=n)), 1, 10)
    return X, y


@parametrize_with_checks([OrdinalScorer()], expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS)
def test_sklearn_contract(estimator, check):
    check(estimator)


def test_expected_value_of_the_threshold_models():
    X, y = rating_data()
    m = OrdinalScorer(C=3.0).fit(X, y)
    levels = np.unique(y)
    assert m.levels_.tolist() == levels.tolist() and m.coef_.shape == (len(levels) - 1, 4)
    expected = np.full(len(X), levels[0])
    for k, v in enumerate(levels[:-1]):
        lr = LogisticRegression(C=3.0, max_iter=3000).fit(X, (y > v).astype(int))
        assert np.abs(lr.coef_[0] - m.coef_[k]).max() < 1e-5        # float32 rounding only
        expected += (levels[k + 1] - v) * lr.predict_proba(X)[:, 1]
    assert np.abs(m.predict(X) - expected).max() < 1e-4
    assert levels[0] <= m.predict(X).min() and m.predict(X).max() <= levels[-1]


def test_weights_are_float32_exact():
    m = OrdinalScorer().fit(*rating_data())
    assert np.array_equal(m.coef_, m.coef_.astype(np.float32).astype(np.float64))
    assert np.array_equal(m.intercept_, m.intercept_.astype(np.float32).astype(np.float64))


def test_cumulative_expectation_by_hand():
    # P(y > 1) = 0.5, P(y > 5) = expit(0) = 0.5 -> 1 + 4 * 0.5 + 5 * 0.5
    assert cumulative_expectation(np.zeros((1, 2)), [1, 5, 10]).tolist() == [5.5]


@pytest.mark.parametrize("y,why", [([3.0] * 6, "one class"), (np.arange(MAX_LEVELS + 1.0), "at most")])
def test_bad_targets_refused(y, why):
    X = np.random.default_rng(0).normal(size=(len(y), 2))
    with pytest.raises(ValueError, match=why):
        OrdinalScorer().fit(X, y)


def test_numpy_path_equals_sklearn_path_after_save_and_load(tmp_path):
    texts = ["great relief no side effects", "terrible nausea did not work", "some help but tired",
             "worked well mild headache", "awful rash stopped taking it", "excellent results", "no change at all",
             "helped a lot", "made me sick", "ok but expensive"] * 3
    y = [10, 1, 5, 8, 2, 10, 3, 9, 1, 6] * 3
    est = build_estimator("regress", "ordinal", C=10.0, features=SMALL_FEATURES).fit(texts, y)
    spec = export_spec(est, "regress")
    assert spec["head"]["link"] == "cumulative-logistic" and spec["head"]["levels"].tolist() == sorted(set(y))
    _, loaded = load_spec(save_spec(spec, tmp_path / "m"))
    probe = texts + ["", "unseen words only", "great relief but made me sick"]
    for s in (spec, loaded):
        assert np.abs(NumpyModel(s).predict(probe) - est.predict(probe)).max() < 1e-9


@pytest.mark.parametrize("edit,match", [
    (lambda h: h.update(levels=np.array([1.0, 5.0])), "coef has shape"),
    (lambda h: h.update(levels=np.array([10.0, 5.0, 1.0] + list(range(11, 18)))), "increasing"),
    (lambda h: h.pop("levels"), "needs its levels"),
])
def test_inconsistent_ordinal_head_refused(edit, match):
    est = build_estimator("regress", "ordinal", features=SMALL_FEATURES).fit(
        ["good", "bad", "fine", "great", "awful"] * 4, [9, 2, 5, 10, 1] * 4)
    spec = export_spec(est, "regress")
    edit(spec["head"])
    with pytest.raises(ValueError, match=match):
        NumpyModel(spec)
