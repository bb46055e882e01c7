import pickle

import pytest
from sklearn.base import clone

from medtext.features import ConceptFeatures
from medtext.features.concepts import concept_tokens

REC_NEG = {"entities": [{"start": 20, "end": 28, "text": "diabetes", "label": "DISEASE", "negated": True,
                         "codes": [{"system": "MESH", "code": "D003920"}]}],
           "sections": [{"category": "past_medical_history", "title": "PMH", "start": 0, "end": 40}]}
REC_POS = {"entities": [{"start": 20, "end": 28, "text": "Diabetes", "label": "DISEASE", "negated": False,
                         "codes": [{"system": "MESH", "code": "D003920"}]}], "sections": []}


def test_negated_concepts_are_distinct():
    f = ConceptFeatures(sections=False).fit([REC_NEG, REC_POS])
    names = set(f.get_feature_names_out())
    assert "concept__neg:code=MESH:D003920" in names and "concept__code=MESH:D003920" in names
    X = f.transform([REC_NEG])
    assert X.nnz == 2


@pytest.mark.parametrize("negation,expected", [("drop", []), ("ignore", ["code=MESH:D003920", "ent=DISEASE:diabetes"])])
def test_negation_modes(negation, expected):
    assert sorted(concept_tokens(REC_NEG, negation=negation)) == expected


def test_section_of_occurrence():
    toks = concept_tokens(REC_NEG, sections=True)
    assert "section=past_medical_history" in toks
    assert "past_medical_history|neg:code=MESH:D003920" in toks


def test_contract_and_pickle():
    f = ConceptFeatures()
    assert clone(f).get_params() == f.get_params()
    assert f.fit([REC_NEG, REC_POS]) is f
    assert pickle.loads(pickle.dumps(f)).transform([REC_POS]).shape == f.transform([REC_POS]).shape


def test_texts_need_nlp():
    with pytest.raises(ValueError, match="nlp"):
        ConceptFeatures().fit(["no diabetes"])


def test_texts_through_spacy_docs():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    doc = nlp("Patient denies chest pain.")
    doc.ents = [doc.char_span(15, 25, label="DISEASE")]
    f = ConceptFeatures(nlp=nlp).fit([doc, REC_POS])
    assert "concept__ent=DISEASE:chest pain" in set(f.get_feature_names_out())
    # raw texts run through nlp; a blank pipeline finds no entities: empty rows, no crash
    assert f.transform(["plain text"]).nnz == 0
