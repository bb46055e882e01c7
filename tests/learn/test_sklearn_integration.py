"""The learning classes used as a scikit-learn / pandas user would: inputs that gave silent wrong results,
obscure crashes or ignored arguments (an audit of the Python API)."""

import numpy as np
import pytest
from sklearn.model_selection import cross_val_score

from medtext.features import ClinicalTfidf, SentenceContextFeatures
from medtext.learn import SentenceRoleClassifier

from learn_fixtures import ROLES

SMALL = {"min_df": 1, "char_ngram_range": None}
ABSTRACTS = [[s for _, s in ROLES]] * 4 + [[s for _, s in ROLES[1:]]] * 2
LABELS = [[l for l, _ in ROLES]] * 4 + [[l for l, _ in ROLES[1:]]] * 2


def roles(**kw):
    return SentenceRoleClassifier(features=SentenceContextFeatures(tfidf=ClinicalTfidf(**SMALL)), **kw)


@pytest.fixture(scope="module")
def fitted_roles():
    return roles().fit(ABSTRACTS, LABELS)


def test_an_abstract_given_as_one_string_is_refused_not_read_character_by_character(fitted_roles):
    # predict(["One. Two."]) labelled every character of the string as a sentence
    with pytest.raises(ValueError, match="abstract 0 is a string"):
        fitted_roles.predict([" ".join(ABSTRACTS[0])])
    with pytest.raises(ValueError, match="abstract 1 is a string"):
        fitted_roles.predict_proba([ABSTRACTS[0], "One sentence . Two ."])
    with pytest.raises(ValueError, match="abstract 0 is a string"):
        roles().fit([" ".join(a) for a in ABSTRACTS], LABELS)
    with pytest.raises(ValueError, match="abstract 0 is a string"):
        SentenceContextFeatures(tfidf=ClinicalTfidf(**SMALL)).fit(["Aim of the study .", "We randomised adults ."])


def test_a_missing_sentence_is_named_by_abstract_and_position(fitted_roles):
    with pytest.raises(ValueError, match="abstract 1: sentence 2 is a NoneType"):
        fitted_roles.predict([ABSTRACTS[0], ["A .", "B .", None]])
    with pytest.raises(ValueError, match="abstract 0: sentence 0 is a float"):
        roles().fit([[float("nan"), "B ."]] + ABSTRACTS[1:], LABELS)


def test_label_strings_instead_of_label_lists_are_refused():
    with pytest.raises(ValueError, match="one list of labels per abstract"):
        roles().fit([["A .", "B ."]], ["ab"])


def test_integer_role_labels():
    # the flat labels were an object array, which scikit-learn reads as 'unknown' targets
    y = [[{"background": 0, "population": 1, "intervention": 2, "outcome": 3}[l] for l in ls] for ls in LABELS]
    clf = roles().fit(ABSTRACTS, y)
    assert clf.predict(ABSTRACTS[:1]) == y[:1]
    assert roles(stack=True).fit(ABSTRACTS, y).predict(ABSTRACTS[:1]) == y[:1]


def test_score_uses_sample_weight_per_abstract(fitted_roles):
    wrong = [list(reversed(l)) for l in LABELS]
    y = [LABELS[0], wrong[0]]
    X = ABSTRACTS[:2]
    assert fitted_roles.score(X, y, sample_weight=[1, 1]) == pytest.approx(fitted_roles.score(X, y))
    # all the weight on the correctly labelled abstract: a perfect score (the weights were ignored)
    assert fitted_roles.score(X, y, sample_weight=[1, 0]) == pytest.approx(1.0)
    assert fitted_roles.score(X, y, sample_weight=[0, 1]) < 0.5
    with pytest.raises(ValueError, match="one weight per abstract"):
        fitted_roles.score(X, y, sample_weight=[1, 1, 1])


def test_cross_validation_over_abstracts_of_different_lengths():
    scores = cross_val_score(roles(), ABSTRACTS, LABELS, cv=2)
    assert len(scores) == 2 and all(0 <= s <= 1 for s in scores)


def test_grid_search_in_two_processes_over_abstracts_of_different_lengths():
    from sklearn.model_selection import GridSearchCV

    search = GridSearchCV(roles(), {"transition_weight": [0.0, 1.0]}, cv=2, n_jobs=2).fit(ABSTRACTS, LABELS)
    assert search.best_estimator_.predict(ABSTRACTS[-1:]) == LABELS[-1:]


def test_line_max_takes_texts_only():
    # a string was split into characters (one prediction per character), a None crashed in str.splitlines
    from medtext.learn.models import build_estimator

    texts = ["Carcinoma of the lung.\nMetastatic tumour.", "Atrial fibrillation.\nStroke."] * 4
    est = build_estimator("multilabel", "line-max", features=SMALL).fit(texts, np.array([[1, 0], [0, 1]] * 4))
    with pytest.raises(ValueError, match="single string"):
        est.predict("Carcinoma of the lung.")
    with pytest.raises(ValueError, match=r"positions 1 \(0-based\)"):
        est.predict(["Stroke.", None])
    with pytest.raises(ValueError, match=r"positions 0 \(0-based\)"):
        build_estimator("multilabel", "line-max", features=SMALL).fit([None] + texts[1:], np.array([[1, 0], [0, 1]] * 4))


def test_predict_frame_names_the_index_labels_of_missing_texts(tmp_path, texts_rows):
    import pandas as pd

    from medtext.learn import load_model, train

    train(texts_rows, output=tmp_path / "m", features=SMALL, checks=False)
    frame = pd.DataFrame({"text": ["carcinoma", None, "stroke"]}, index=["a1", "a2", "a3"])
    with pytest.raises(ValueError, match=r"positions 1 \(0-based; index labels 'a2'\)"):
        load_model(tmp_path / "m").predict_frame(frame)


def _multilabel_heads():
    from medtext.learn import MultiLabelLinearClassifier
    from medtext.learn.nbsvm_multilabel import MultiLabelNBSVM

    return [MultiLabelLinearClassifier(), MultiLabelLinearClassifier(algorithm="svm"), MultiLabelNBSVM()]


LABEL_LISTS = [["a", "b"] if i % 3 == 0 else ["a"] if i % 2 else ["c"] for i in range(24)]
FEATURES = np.random.RandomState(0).rand(24, 6)


@pytest.mark.parametrize("head", _multilabel_heads(), ids=lambda h: f"{type(h).__name__}-{h.get_params().get('algorithm', '')}")
def test_multilabel_heads_take_a_sparse_label_matrix(head):
    # MultiLabelBinarizer(sparse_output=True) failed with "y should be a 1d array, got an array of shape ()"
    from sklearn.base import clone
    from sklearn.preprocessing import MultiLabelBinarizer

    sparse = MultiLabelBinarizer(sparse_output=True).fit_transform(LABEL_LISTS)
    dense = sparse.toarray()
    assert np.array_equal(clone(head).fit(FEATURES, sparse).predict_proba(FEATURES),
                          clone(head).fit(FEATURES, dense).predict_proba(FEATURES))


@pytest.mark.parametrize("head", _multilabel_heads(), ids=lambda h: f"{type(h).__name__}-{h.get_params().get('algorithm', '')}")
def test_multilabel_heads_refuse_lists_of_labels_with_the_way_out(head):
    # numpy's "setting an array element with a sequence ... inhomogeneous shape"
    import pandas as pd

    for Y in (LABEL_LISTS, pd.Series(LABEL_LISTS, index=range(100, 124))):
        with pytest.raises(ValueError, match="lists of labels: .*MultiLabelBinarizer"):
            head.fit(FEATURES, Y)


def test_line_max_refuses_lists_of_labels_and_takes_a_sparse_matrix():
    from sklearn.preprocessing import MultiLabelBinarizer

    from medtext.learn.models import build_estimator

    texts = ["Carcinoma of the lung.\nMetastatic tumour.", "Atrial fibrillation.\nStroke.", "Lung carcinoma. Stroke."] * 4
    lists = [["neo"], ["cardio"], ["neo", "cardio"]] * 4
    with pytest.raises(ValueError, match="MultiLabelBinarizer"):
        build_estimator("multilabel", "line-max", features=SMALL).fit(texts, lists)
    sparse = MultiLabelBinarizer(sparse_output=True).fit_transform(lists)
    est = build_estimator("multilabel", "line-max", features=SMALL)
    assert np.array_equal(est.fit(texts, sparse).predict_proba(texts),
                          est.fit(texts, sparse.toarray()).predict_proba(texts))
