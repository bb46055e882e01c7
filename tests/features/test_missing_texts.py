"""A missing text (None, NaN, pd.NA) is one clear error naming its row, never learnt or skipped silently."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from medtext.features import ClinicalTfidf, ConceptFeatures

TEXTS = ["No chest pain today.", "Chest pain radiating to the left arm.", "Fever and cough.", "no fever"]


@pytest.mark.parametrize("missing", [None, np.nan])
def test_fit_names_the_position_of_a_missing_text(missing):
    with pytest.raises(ValueError, match=r"1 text\(s\) are missing .*at positions 2 \(0-based\)"):
        ClinicalTfidf().fit(TEXTS[:2] + [missing] + TEXTS[3:])


def test_a_pandas_index_is_named_too():
    notes = pd.Series(TEXTS, index=["n1", "n2", "n3", "n4"], dtype="string[pyarrow]")
    notes.iloc[[1, 3]] = pd.NA
    pipe = make_pipeline(ClinicalTfidf(), LogisticRegression())
    with pytest.raises(ValueError, match=r"2 text\(s\) .*\(NAType\) at positions 1, 3 \(0-based; index labels 'n2', 'n4'\)"):
        pipe.fit(notes, [0, 1, 0, 1])
    fitted = ClinicalTfidf().fit(TEXTS)
    with pytest.raises(ValueError, match=r"positions 0 \(0-based; index labels 7\)"):
        fitted.transform(pd.Series([None, "fever"], index=[7, 8]))


def test_a_default_index_is_not_repeated():
    with pytest.raises(ValueError, match=r"positions 1 \(0-based\);"):
        ClinicalTfidf().fit(pd.Series(["fever", None]))


def test_concept_features_name_the_item():
    rec = {"entities": [], "sections": []}
    with pytest.raises(ValueError, match="item 2 .*is a NoneType"):
        ConceptFeatures().fit([rec, rec, None])
