"""``annotate_frame`` on a DataFrame whose text or id column name repeats: one coded error, not IndexError."""

from __future__ import annotations

import pandas as pd
import pytest

import medtext
from medtext.errors import InputError


@pytest.mark.parametrize("columns, kwargs, option", [
    (["text", "text", "id"], {}, "text_column"),
    (["note", "id", "id"], {"text_column": "note", "id_column": "id"}, "id_column"),
])
def test_a_repeated_column_name_is_refused(nlp, columns, kwargs, option):
    df = pd.DataFrame([["No fever.", "Cough.", "x"]], columns=columns)
    with pytest.raises(InputError, match=rf"\[E151\] .* appears 2 times .*{option}="):
        medtext.annotate_frame(df, nlp=nlp, **kwargs)


def test_tuple_column_names_still_work(nlp):
    df = pd.DataFrame({("n", "text"): ["No fever."], ("n", "id"): ["a"]})
    documents, entities = medtext.annotate_frame(df, text_column=("n", "text"), id_column=("n", "id"), nlp=nlp)
    assert documents["id"].tolist() == ["a"] and entities["text"].tolist() == ["fever"]


def test_exclude_with_a_pipeline_passed_in_is_refused_not_ignored(nlp):
    # the pipeline passed in runs as it is: exclude= was silently ignored, so 'phi' still ran
    df = pd.DataFrame({"text": ["No fever."]})
    with pytest.raises(medtext.errors.MedtextError, match=r"\[E153\] .*exclude=\['phi'\]"):
        medtext.annotate_frame(df, nlp=nlp, exclude=["phi"])


@pytest.mark.parametrize("index", [None, ["note-a"]])
def test_an_entities_frame_without_rows_has_the_column_types_of_one_with_rows(nlp, index):
    # without entities every column was object: pd.concat of such frames, or a filter on start/negated, changed types
    _, with_rows = medtext.annotate_frame(pd.DataFrame({"text": ["No fever. CHF."]}, index=index), nlp=nlp)
    _, without = medtext.annotate_frame(pd.DataFrame({"text": ["Hello there."]}, index=index), nlp=nlp)
    assert len(with_rows) > 0 and len(without) == 0
    assert without.dtypes.to_dict() == with_rows.dtypes.to_dict()
