"""A user's entities (EntityRuler, SpanRuler, set by hand) pass ``concepts`` unchanged: label kept, never
dropped by the filters meant for the statistical NER, ``source`` naming the ruler (or ``"user"``)."""

from __future__ import annotations

import pickle

import pytest
from spacy.tokens import Span

import medtext
from medtext.pipeline.ner_decoder import MODEL_ENTITIES, model_entities

TEXT = "Denies headache. Takes aspirin. The tourniquet was inflated. A penile prosthesis was placed."
PATTERNS = [
    {"label": "SYMPTOM", "pattern": "headache"},
    {"label": "MEDICATION", "pattern": "aspirin"},
    {"label": "CHEMICAL", "pattern": "tourniquet"},
    {"label": "DISEASE", "pattern": "penile prosthesis"},
]
EXPECTED = [
    ("headache", "SYMPTOM"),
    ("aspirin", "MEDICATION"),
    ("tourniquet", "CHEMICAL"),
    ("penile prosthesis", "DISEASE"),
]


@pytest.fixture()
def rules():
    return medtext.load(exclude=["ner"])


def _full():
    nlp = medtext.load()
    if "ner" not in nlp.pipe_names:
        pytest.skip("the NER model is not built (make models)")
    return nlp


def test_entity_ruler_entities_keep_their_labels_and_name_the_ruler(rules):
    ruler = rules.add_pipe("entity_ruler", name="my_terms", before="concepts")
    ruler.add_patterns(PATTERNS)
    doc = rules(TEXT)
    assert [(e.text, e.label_) for e in doc.ents] == EXPECTED
    assert {e._.source for e in doc.ents} == {"my_terms"}
    # codes still come from the lexicon when the text matches, whatever the label
    headache = doc.ents[0]
    assert {"system": "MESH", "code": "D006261"} in headache._.codes
    assert headache._.negated  # the assertion component sees the user's entity


def test_span_ruler_writing_entities_is_named_too(rules):
    ruler = rules.add_pipe("span_ruler", name="spans", before="concepts", config={"annotate_ents": True})
    ruler.add_patterns(PATTERNS)
    doc = rules(TEXT)
    assert [(e.text, e.label_, e._.source) for e in doc.ents] == [(t, label, "spans") for t, label in EXPECTED]


def test_entities_set_by_hand_are_the_users(rules):
    doc = rules.make_doc("The tourniquet was inflated. Mother had glaucoma.")
    doc.ents = [Span(doc, 1, 2, label="CHEMICAL"), Span(doc, 7, 8, label="PROBLEM")]
    out = rules(doc)
    assert [(e.text, e.label_, e._.source) for e in out.ents] == [("tourniquet", "CHEMICAL", "user"), ("glaucoma", "PROBLEM", "user")]
    assert out.ents[1]._.family


def test_a_source_the_user_set_is_kept(rules):
    doc = rules.make_doc("Sterile drapes were used.")
    doc.ents = [Span(doc, 0, 2, label="DISEASE")]
    doc.ents[0]._.source = "my_tool"
    assert [(e.text, e._.source) for e in rules(doc).ents] == [("Sterile drapes", "my_tool")]


def test_a_longer_lexicon_term_does_not_swallow_a_users_entity(rules):
    ruler = rules.add_pipe("entity_ruler", before="concepts")
    ruler.add_patterns([{"label": "FINDING", "pattern": "renal failure"}])
    doc = rules("History of chronic renal failure.")
    assert [(e.text, e.label_) for e in doc.ents] == [("renal failure", "FINDING")]


def test_users_entities_survive_pickling(rules):
    ruler = rules.add_pipe("entity_ruler", name="my_terms", before="concepts")
    ruler.add_patterns(PATTERNS)
    clone = pickle.loads(pickle.dumps(rules))
    assert [(e.text, e.label_, e._.source) for e in clone(TEXT).ents] == [(t, label, "my_terms") for t, label in EXPECTED]


def test_with_the_ner_a_users_ruler_wins_and_the_models_entities_stay_as_before():
    nlp = _full()
    text = "Takes aspirin. The tourniquet was inflated. Patient has CHF."
    before = [(e.text, e.label_, e._.source) for e in nlp(text).ents]
    assert ("CHF", "DISEASE", "both") in before
    assert not any(t == "tourniquet" for t, _, _ in before)  # the model's plain-word chemical is dropped
    ruler = nlp.add_pipe("entity_ruler", name="mine", before="concepts", config={"overwrite_ents": True})
    ruler.add_patterns(PATTERNS)
    after = [(e.text, e.label_, e._.source) for e in nlp(text).ents]
    assert ("aspirin", "MEDICATION", "mine") in after
    assert ("tourniquet", "CHEMICAL", "mine") in after  # even where the NER found the same span and label
    assert ("CHF", "DISEASE", "both") in after


def test_a_ruler_before_the_ner_keeps_its_entities():
    nlp = _full()
    ruler = nlp.add_pipe("entity_ruler", name="early", before="ner")
    ruler.add_patterns([{"label": "CHEMICAL", "pattern": "tourniquet"}])
    doc = nlp("The tourniquet was inflated. Patient has CHF.")
    assert ("tourniquet", "CHEMICAL", "early") in [(e.text, e.label_, e._.source) for e in doc.ents]
    assert ("CHF", "DISEASE", "both") in [(e.text, e.label_, e._.source) for e in doc.ents]


def test_the_ner_lists_its_entities_in_plain_data():
    nlp = _full()
    doc = nlp("Patient has CHF.")
    assert all(isinstance(x, list) for x in doc.user_data[MODEL_ENTITIES])
    assert (2, 3, "DISEASE") in model_entities(doc)
    doc.to_bytes()  # user_data stays serializable
