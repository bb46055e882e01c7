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


def test_missing_text_advice_names_the_column_given(topics):
    # the advice said df.dropna(subset=['text']) whatever the column, a KeyError for whoever followed it
    frame = pd.DataFrame({"note_text": ["carcinoma", None]})
    with pytest.raises(ValueError, match=r"dropna\(subset=\['note_text'\]\)"):
        topics.predict_frame(frame, text_field="note_text")
    with pytest.raises(ValueError, match=r"dropna\(subset=\['note_text'\]\)"):
        topics.predict(frame["note_text"])
    with pytest.raises(ValueError, match=r"dropna\(subset=\['text'\]\)"):
        topics.predict(["carcinoma", None])


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


@pytest.mark.parametrize("call", ["predict", "predict_proba", "classify"])
@pytest.mark.parametrize("bad", [None, b"metastatic carcinoma", 12])
def test_no_sequence_of_texts_is_a_clear_type_error(topics, call, bad):
    with pytest.raises(TypeError, match=f"string or a list .*got {type(bad).__name__}"):
        getattr(topics, call)(bad)


def test_predict_frame_names_the_missing_text_column(topics):
    with pytest.raises(KeyError, match="no text column 'text'.*'body'.*text_field="):
        topics.predict_frame(pd.DataFrame({"body": ["carcinoma"]}))
    assert list(topics.predict_frame(pd.DataFrame({"body": ["carcinoma"]}), text_field="body")["label"]) == topics.predict(["carcinoma"])


def test_predict_frame_takes_a_data_frame(topics):
    with pytest.raises(TypeError, match="pandas DataFrame; got list"):
        topics.predict_frame(["carcinoma"])


@pytest.mark.parametrize("bad", [None, 3, ["abstract-topics"]])
def test_load_model_of_a_non_path_is_a_type_error(bad):
    with pytest.raises(TypeError, match=f"string or a path.*got {type(bad).__name__}"):
        load_model(bad)


@pytest.mark.parametrize("empty", ["", "  "])
def test_load_model_of_an_empty_name_is_not_the_current_folder(empty, tmp_path, monkeypatch):
    from medtext.errors import ModelError

    monkeypatch.chdir(tmp_path)  # a folder without meta.json: before, '' was this folder ("has no meta.json")
    with pytest.raises(ModelError, match=r"E030.*not found"):
        load_model(empty)


@pytest.mark.parametrize("call", ["train", "evaluate"])
@pytest.mark.parametrize("bad,named", [(pd.Series(["metastatic carcinoma", "stroke"]), "got a pandas Series"),
                                       (["metastatic carcinoma", "stroke"], "item 0 is a str"),
                                       ({"text": "stroke", "label": "x"}, "got a dict"),
                                       (None, "got a NoneType")])
def test_records_that_are_not_records_are_a_clear_type_error(topics, call, bad, named):
    """A Series or a list of texts failed deep inside ("Series.to_dict() got an unexpected keyword argument
    'orient'", "'str' object has no attribute 'get'")."""
    from medtext.learn import evaluate

    with pytest.raises(TypeError, match=f"{call}\\(\\) takes a file path, a pandas DataFrame or a list of dicts.*{named}"):
        train(bad, features=SMALL_FEATURES, checks=False) if call == "train" else evaluate(topics, bad)
