"""The Python API refuses inputs it would otherwise predict on silently ("nan", "", characters)."""

import numpy as np
import pandas as pd
import pytest

from medtext.learn import load_model, train

from learn_fixtures import SMALL_FEATURES


@pytest.fixture(scope="module")
def topics(tmp_path_factory, texts_rows):
    d = tmp_path_factory.mktemp("api") / "topics"
    train(texts_rows, output=d, features=SMALL_FEATURES, checks=False)
    return load_model(d)


@pytest.fixture(scope="module")
def roles(tmp_path_factory, rct_file):
    d = tmp_path_factory.mktemp("api") / "roles"
    train(str(rct_file), task="sentences", output=d, features=SMALL_FEATURES, checks=False)
    return load_model(d)


@pytest.mark.parametrize("call", ["predict", "predict_proba", "classify"])
def test_missing_texts_are_named_by_position(topics, call):
    with pytest.raises(ValueError, match=r"2 text\(s\) are missing.*positions 1, 3"):
        getattr(topics, call)(pd.Series(["metastatic carcinoma", np.nan, "stroke", None]))


@pytest.mark.parametrize("bad", [12, 1.5, float("nan"), b"bytes"])
def test_non_string_text(topics, bad):
    with pytest.raises(ValueError, match="position.* 0"):
        topics.predict([bad, "carcinoma"])


def test_empty_string_is_a_text_as_for_sklearn(topics):
    assert len(topics.predict(["", "carcinoma"])) == 2


def test_predict_frame_missing_text(topics):
    with pytest.raises(ValueError, match="positions 1"):
        topics.predict_frame(pd.DataFrame({"text": ["carcinoma", None]}))


def test_good_texts_still_predict(topics):
    assert topics.predict(pd.Series(["metastatic carcinoma"])) == ["neoplasms"]
    assert topics.predict("metastatic carcinoma") == ["neoplasms"]


@pytest.mark.parametrize("abstracts", ["One sentence. Two.", ["One sentence. Two."], [["One .", None]]])
def test_sentence_model_needs_lists_of_sentences(roles, abstracts):
    with pytest.raises(ValueError, match="list of sentences|missing"):
        roles.predict(abstracts)


def test_sentence_model_classify_abstract_refuses_a_string(roles):
    with pytest.raises(ValueError, match="list of sentences"):
        roles.classify_abstract("We enrolled adults .")
    assert len(roles.predict([["Heart disease is common .", "We enrolled adults ."]])[0]) == 2
