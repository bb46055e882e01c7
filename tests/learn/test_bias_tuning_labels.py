"""``bias_tuning="f1:<label>"`` with more than two classes, with integer labels, and with a label that is no class."""

import numpy as np
import pytest
from sklearn.metrics import f1_score

from medtext.errors import InputError
from medtext.learn import LinearClassifier, train

from learn_fixtures import SMALL_FEATURES


def _data(n=150, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5))
    y = np.array(["a", "b", "c"])[np.argmax(X[:, :3] + [0.8, 0, 0], axis=1)]  # 'a' common, 'b' and 'c' rarer
    return X, y


def test_f1_of_one_class_among_three():
    # f1_score(average="binary") refused a multi-class target: every such fit failed
    X, y = _data()
    plain = LinearClassifier(C=0.5).fit(X, y)
    tuned = LinearClassifier(C=0.5, bias_tuning="f1:b", bias_cv=3).fit(X, y)
    assert np.array_equal(tuned.coef_, plain.coef_)
    assert tuned.bias_cv_score_ >= 0 and tuned.class_bias_.shape == (3,)
    assert f1_score(y, tuned.predict(X), labels=["b"], average="micro") >= f1_score(y, plain.predict(X), labels=["b"], average="micro") - 0.02


def test_integer_labels_are_named_as_strings():
    # pos_label='1' was no label of the integer target
    X, y = _data()
    yi = (y == "b").astype(int)
    assert LinearClassifier(bias_tuning="f1:1", bias_cv=3).fit(X, yi).class_bias_ is not None


def test_a_label_that_is_no_class_is_a_settings_error(texts_rows):
    X, y = _data()
    with pytest.raises(ValueError, match="names no class of the training labels \\('a', 'b', 'c'\\)"):
        LinearClassifier(bias_tuning="f1:B", bias_cv=3).fit(X, y)
    with pytest.raises(InputError, match=r"E122.*'f1:neoplasm' names no class"):
        train(texts_rows, params={"bias_tuning": "f1:neoplasm"}, features=SMALL_FEATURES, checks=False)
    est, _ = train(texts_rows, params={"bias_tuning": "f1:neoplasms"}, features=SMALL_FEATURES, checks=False)
    assert est.predict(["metastatic carcinoma"])[0] == "neoplasms"
