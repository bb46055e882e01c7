"""ConceptFeatures with no concept anywhere, single-string inputs, and ClinicalTfidf's (n, 1) arrays."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from medtext.features import ClinicalTfidf, ConceptFeatures

NO_CONCEPT = {"entities": [], "sections": []}
DIABETES = {"entities": [{"start": 0, "end": 8, "text": "Diabetes", "label": "DISEASE",
                          "codes": [{"system": "MESH", "code": "D003920"}]}], "sections": []}


def test_texts_without_entities_fit_to_zero_features(nlp):
    f = ConceptFeatures(nlp=nlp).fit(["The weather.", "Nothing."])
    X = f.transform(["The weather.", "Nothing.", "Still nothing."])
    assert X.shape == (3, 0) and X.format == "csr"
    assert len(f.get_feature_names_out()) == 0


def test_records_without_entities_and_min_df_pruning_everything():
    assert ConceptFeatures().fit_transform([NO_CONCEPT, NO_CONCEPT]).shape == (2, 0)
    f = ConceptFeatures(min_df=2).fit([DIABETES, NO_CONCEPT])  # the one concept is in one document only
    assert f.transform([DIABETES]).shape == (1, 0)


def _lengths(records):
    return np.array([[float(len(r["entities"]))] for r in records])


def test_a_fold_without_concepts_works_inside_a_feature_union():
    records = [NO_CONCEPT] * 4 + [DIABETES] * 2
    union = FeatureUnion([("concepts", ConceptFeatures()), ("n", FunctionTransformer(_lengths))])
    assert union.fit(records[:4]).transform(records).shape == (6, 1)  # fitted on a fold without concepts
    model = Pipeline([("union", union), ("clf", LogisticRegression())])
    scores = cross_val_score(model, records, [0, 1, 0, 1, 0, 1], cv=KFold(3))  # the first two folds hold no concept
    assert len(scores) == 3


@pytest.mark.parametrize("single", ["fever and cough", DIABETES])
def test_a_single_text_or_record_is_refused(single):
    with pytest.raises(ValueError, match="wrap it in a list"):
        ConceptFeatures().fit(single)


def test_clinical_tfidf_takes_an_n_by_1_array_like_a_one_column_frame():
    texts = ["no chest pain", "fever and cough", "chest pain again"]
    from_frame = ClinicalTfidf().fit(pd.DataFrame({"note": texts})).transform(pd.DataFrame({"note": texts}))
    column = np.array(texts, dtype=object).reshape(-1, 1)
    from_array = ClinicalTfidf().fit(column).transform(column)
    assert (from_frame != from_array).nnz == 0
    with pytest.raises(ValueError, match="one text column"):
        ClinicalTfidf().fit(np.array([texts, texts], dtype=object).T)
