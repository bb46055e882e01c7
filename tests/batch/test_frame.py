import pandas as pd
import pytest

import medtext
from medtext.errors import InputError


def test_annotate_frame_keeps_every_row(nlp):
    df = pd.DataFrame({"note_id": ["a", "b", "c"], "body": ["CHIEF COMPLAINT: Cough. No fever.", None, "  "]})
    docs, ents = medtext.annotate_frame(df, text_column="body", id_column="note_id", nlp=nlp)
    assert list(docs["id"]) == ["a", "b", "c"]
    assert list(docs["error"].fillna("")) == ["", "text is null", "blank text"]
    assert docs.loc[0, "sections"][0]["category"] == "chief_complaint"
    assert docs.loc[0, "sentences"] == [[0, 23], [24, 33]]
    assert list(ents.columns)[:5] == ["id", "start", "end", "text", "label"]


def test_missing_column_is_a_clear_error(nlp):
    with pytest.raises(InputError, match="'body' is missing"):
        medtext.annotate_frame(pd.DataFrame({"text": ["x"]}), text_column="body", nlp=nlp)
