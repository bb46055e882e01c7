"""Entities ``concepts`` did not make: a user's (EntityRuler, SpanRuler, set by hand) pass unchanged (label kept,
never dropped by the filters meant for the statistical NER, ``source`` naming the ruler or ``"user"``); the
NER's get their bounds fixed (a leading ``Denies`` left out, ``Diabetes mellitus type`` + ``2``)."""

from __future__ import annotations

import pickle

import pytest
from spacy.tokens import Span

import medtext
from medtext.pipeline.ner_decoder import MODEL_ENTITIES, model_entities, record_model_entities

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


# --- the NER's entity bounds -------------------------------------------------------------------------------


def _as_model(nlp, text, spans):
    """Run ``nlp`` over ``text`` with entities (token start, end, label) as the NER would have found them."""
    doc = nlp.make_doc(text)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in spans]
    record_model_entities(doc)
    return nlp(doc)


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("Denies shortness of breath.", [(0, 4, "DISEASE")], "shortness of breath"),
        ("Denies fever.", [(0, 2, "DISEASE")], "fever"),
        ("Negative for chest pain.", [(0, 4, "DISEASE")], "chest pain"),
        ("Without zorbal edema.", [(0, 3, "DISEASE")], "zorbal edema"),
        ("NO FEVER.", [(0, 2, "DISEASE")], "FEVER"),
    ],
)
def test_a_leading_trigger_is_left_out_of_the_models_entity_and_negates_it(rules, text, spans, expected):
    doc = _as_model(rules, text, spans)
    found = [(e.text, e._.negated) for e in doc.ents]
    assert (expected, True) in found
    assert not any(t.startswith(text.split()[0]) for t, _ in found)


def test_nitric_oxide_and_known_terms_keep_their_first_word(rules):
    doc = _as_model(rules, "NO synthase was inhibited.", [(0, 1, "CHEMICAL")])
    assert [e.text for e in doc.ents] == ["NO"]
    rules.get_pipe("concepts").add_terms([{"term": "no light perception", "label": "DISEASE", "codes": []}])
    doc = _as_model(rules, "Left eye: no light perception.", [(3, 6, "DISEASE")])
    assert [e.text for e in doc.ents] == ["no light perception"]


def test_a_trigger_alone_or_a_users_entity_is_left_as_it_is(rules):
    ruler = rules.add_pipe("entity_ruler", before="concepts")
    ruler.add_patterns([{"label": "FINDING", "pattern": "denies fever"}])
    assert [(e.text, e.label_) for e in rules("Patient denies fever.").ents] == [("denies fever", "FINDING")]


def test_a_type_gets_its_number(rules):
    doc = _as_model(rules, "Diabetes mellitus type 2.", [(0, 3, "DISEASE")])
    assert [e.text for e in doc.ents] == ["Diabetes mellitus type 2"]
    doc = _as_model(rules, "Diabetes mellitus type II, stable.", [(0, 3, "DISEASE")])
    assert [e.text for e in doc.ents] == ["Diabetes mellitus type II"]


def test_bounds_are_kept_when_switched_off():
    nlp = medtext.load(exclude=["ner"], config={"components.concepts.fix_entity_bounds": False})
    doc = _as_model(nlp, "Denies zorbal fever.", [(0, 3, "DISEASE")])
    assert [(e.text, e._.negated) for e in doc.ents] == [("Denies zorbal fever", False)]


@pytest.mark.parametrize("text", ["Denies shortness of breath.", "Denies fever.", "Denies nausea or vomiting.", "Denies fever, cough."])
def test_with_the_ner_denies_negates(text):
    nlp = _full()
    ents = [(e.text, e._.negated) for e in nlp(text).ents]
    assert ents and all(negated for _, negated in ents), ents
    assert not any(t.lower().startswith("denies") for t, _ in ents)
