import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from medtext.features import ClinicalTfidf, SentenceContextFeatures

TEXTS = ["No chest pain today.", "Chest pain radiating to the left arm.", "Fever 38.5 and cough.", "no fever"]


def test_contract_basics():
    vec = ClinicalTfidf(min_df=1)
    assert clone(vec).get_params() == vec.get_params()
    assert vec.fit(TEXTS) is vec
    X = vec.transform(TEXTS)
    names = vec.get_feature_names_out()
    assert X.shape == (4, len(names)) == (4, vec.n_features_out_)
    assert all(n.startswith(("word__", "char__")) for n in names)
    # each block is L2-normalised
    assert np.allclose(np.sqrt((X.toarray() ** 2).sum(axis=1)), np.sqrt(2))


def test_not_fitted():
    with pytest.raises(NotFittedError):
        ClinicalTfidf().transform(TEXTS)


def test_pickle_and_pipeline():
    pipe = Pipeline([("f", ClinicalTfidf(char_ngram_range=None)), ("m", LogisticRegression())])
    pipe.fit(TEXTS, [0, 1, 1, 0])
    again = pickle.loads(pickle.dumps(pipe))
    assert np.allclose(again.predict_proba(TEXTS), pipe.predict_proba(TEXTS))


@pytest.mark.parametrize("bad", ["a single string", [1, 2], []])
def test_bad_inputs(bad):
    with pytest.raises(ValueError):
        ClinicalTfidf().fit(bad)


def test_accepts_pandas():
    pd = pytest.importorskip("pandas")
    s = pd.Series(TEXTS)
    vec = ClinicalTfidf(min_df=1).fit(s)
    assert vec.transform(pd.DataFrame({"text": TEXTS})).shape[0] == 4


def test_char_weight_and_max_features():
    vec = ClinicalTfidf(char_weight=0.5, max_features_char=10, min_df=1).fit(TEXTS)
    blocks = vec.export_blocks()
    assert [b["name"] for b in blocks] == ["word", "char"] and len(blocks[1]["terms"]) == 10
    assert blocks[1]["weight"] == 0.5


def test_sentence_context_features():
    f = SentenceContextFeatures(tfidf=ClinicalTfidf(min_df=1), window=1).fit([TEXTS[:2], TEXTS[2:]])
    X = f.transform([TEXTS])
    assert X.shape == (4, len(f.get_feature_names_out()))
    d = f.n_text_features_
    assert X[0, d:2 * d].nnz == 0          # first sentence has no previous neighbour
    assert X[0, 2 * d:3 * d].nnz > 0       # but a next one


def test_weight_of_a_block_that_is_off_is_ignored():
    # a model's meta.json used as a --config may carry concept_weight while concepts are off
    texts = ["chest pain resolved", "no fever today", "fever and chest pain"]
    plain = ClinicalTfidf(char_ngram_range=None).fit(texts).transform(texts)
    weighted = ClinicalTfidf(char_ngram_range=None, concept_weight=0.5, sentiment_weight=2.0).fit(texts).transform(texts)
    assert (plain != weighted).nnz == 0
