"""annotate_frame keeps the frame's index, so results join back to the right rows."""

import numpy as np
import pandas as pd
import pytest

import medtext
from medtext.errors import InputError


def test_documents_keep_the_index_and_join_back(nlp):
    df = pd.DataFrame({"note": ["Patient denies fever.", "", "Diabetes."]}, index=[50, 0, 1])
    docs, ents = medtext.annotate_frame(df, text_column="note", nlp=nlp)
    assert docs.index.tolist() == [50, 0, 1]
    joined = df.assign(n=docs["n_entities"], error=docs["error"])
    assert joined.loc[50, "n"] == 1 and joined.loc[0, "n"] == 0 and joined.loc[1, "n"] == 1
    assert joined.loc[0, "error"] == "empty text"
    # entities are indexed by their row's label: each one's offsets index that row's text
    assert sorted(set(ents.index)) == [1, 50]
    for label, ent in ents.iterrows():
        assert df.loc[label, "note"][ent["start"] : ent["end"]] == ent["text"]


def test_entities_map_back_with_an_id_column(nlp):
    df = pd.DataFrame({"pid": ["p1", "p2"], "note": ["Diabetes.", "Patient denies fever."]}, index=["r9", "r3"])
    docs, ents = medtext.annotate_frame(df, text_column="note", id_column="pid", nlp=nlp)
    assert docs.index.tolist() == ["r9", "r3"] and docs["id"].tolist() == ["p1", "p2"]
    assert ents.loc["r3", "id"] == "p2" and ents.loc["r9", "id"] == "p1"
    assert ents.join(df[["note"]]).apply(lambda r: r["note"][r["start"] : r["end"]] == r["text"], axis=1).all()


def test_duplicate_index_without_id_column_is_refused(nlp):
    df = pd.DataFrame({"note": ["Patient denies fever.", "Aspirin for asthma."]}, index=["a", "a"])
    with pytest.raises(InputError, match="id_column="):
        medtext.annotate_frame(df, text_column="note", nlp=nlp)
    df["pid"] = ["x", "y"]
    docs, ents = medtext.annotate_frame(df, text_column="note", id_column="pid", nlp=nlp)
    assert docs["id"].tolist() == ["x", "y"] and set(ents["id"]) == {"x", "y"}


@pytest.mark.parametrize(("column", "option"), [("text_column", "text_column="), ("id_column", "id_column=")])
def test_missing_column_names_the_python_argument(nlp, column, option):
    df = pd.DataFrame({"note": ["x"]})
    kwargs = {"text_column": "note", column: "nope"}
    with pytest.raises(InputError) as info:
        medtext.annotate_frame(df, nlp=nlp, **kwargs)
    assert option in str(info.value) and "--" not in str(info.value)


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, pd.NaT])
def test_every_kind_of_missing_value_is_a_null_text(nlp, missing):
    df = pd.DataFrame({"text": pd.Series(["No fever.", missing], dtype=object)})
    docs, _ = medtext.annotate_frame(df, nlp=nlp)
    assert docs["error"].tolist()[1] == "text is null"


def test_string_dtype_missing_value_is_a_null_text(nlp):
    df = pd.DataFrame({"text": pd.array(["No fever.", None], dtype="string")})
    docs, _ = medtext.annotate_frame(df, nlp=nlp)
    assert docs["error"].tolist()[1] == "text is null"


def test_a_series_is_refused_clearly(nlp):
    with pytest.raises(TypeError, match="DataFrame"):
        medtext.annotate_frame(pd.Series(["No fever."]), nlp=nlp)


def test_a_text_over_max_chars_is_an_error_row_and_not_annotated(nlp):
    df = pd.DataFrame({"note": ["No fever.", "Chest pain. " * 10]}, index=["a", "b"])
    docs, ents = medtext.annotate_frame(df, text_column="note", nlp=nlp, max_chars=50)
    assert pd.isna(docs.loc["a", "error"])
    assert docs.loc["b", "error"] == "text longer than max_chars (120 > 50 characters)"
    assert docs.loc["b", "n_entities"] == 0
    assert "b" not in set(ents.index)


@pytest.mark.parametrize("bad", [0, -5, 2.5, True])
def test_max_chars_must_be_a_positive_integer(nlp, bad):
    df = pd.DataFrame({"note": ["No fever."]})
    with pytest.raises(InputError, match="max_chars"):
        medtext.annotate_frame(df, text_column="note", nlp=nlp, max_chars=bad)
