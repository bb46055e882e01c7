"""The figures of `medtext evaluate classifier|regressor` against scikit-learn's, and the cases where medtext
defines a figure on purpose (r2 of equal gold values, labels in neither the gold nor the predictions)."""

import json

import numpy as np
import pytest

from learn_fixtures import SMALL_FEATURES, make_texts


@pytest.mark.parametrize("value,n", [(0.1, 3), (0.7, 11), (1 / 3, 10), (2.2, 7)])
def test_r2_of_equal_gold_values_is_none_whatever_their_rounding(value, n):
    """Equal gold values whose float mean is off by one unit in the last place gave r2 = -5e31 and the like
    (as scikit-learn's r2_score does) where medtext promises null."""
    from medtext.learn.api import regression_metrics

    pred = np.linspace(0, 1, n)
    m = regression_metrics([value] * n, pred)
    assert m["r2"] is None
    assert m["rmse"] == pytest.approx(np.sqrt(np.mean((pred - value) ** 2)))


def test_regression_figures_equal_scikit_learn():
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

    from medtext.learn.api import regression_metrics

    rng = np.random.default_rng(3)
    gold, pred = rng.integers(1, 11, 50).astype(float), rng.normal(6, 2, 50)
    m = regression_metrics(gold, pred)
    assert m["rmse"] == pytest.approx(np.sqrt(mean_squared_error(gold, pred)), rel=1e-12)
    assert m["mae"] == pytest.approx(mean_absolute_error(gold, pred), rel=1e-12)
    assert m["r2"] == pytest.approx(r2_score(gold, pred), rel=1e-12)
