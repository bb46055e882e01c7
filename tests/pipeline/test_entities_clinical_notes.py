"""Entities and codes on clinical-note text: undefined short forms (HTN, DVT, PE beside DVT), section headers,
upper-case NO, names after titles. Sentences are hand-written in the style of transcribed notes."""

from __future__ import annotations

import pytest

import medtext


@pytest.fixture(scope="module")
def nlp():
    return medtext.load()


def ents(nlp, text):
    doc = nlp(text)
    for e in doc.ents:
        assert text[e.start_char : e.end_char] == e.text
    return [(e.text, e.label_, [c["code"] for c in e._.codes]) for e in doc.ents]


def found(nlp, text, word):
    return [e for e in ents(nlp, text) if e[0] == word]


@pytest.mark.parametrize(
    ("text", "word", "code"),
    [
        ("PAST MEDICAL HISTORY:  HTN, CAD and a remote MI in 2011.", "HTN", "D006973"),
        ("PAST MEDICAL HISTORY:  HTN, CAD and a remote MI in 2011.", "CAD", "D003324"),
        ("PAST MEDICAL HISTORY:  HTN, CAD and a remote MI in 2011.", "MI", "D009203"),
        ("Risks of bleeding, infection, MI, DVT, PE and death were explained.", "DVT", "D020246"),
        ("Risks of bleeding, infection, MI, DVT, PE and death were explained.", "PE", "I26"),
        ("He was treated for DVT/PE last winter.", "PE", "I26"),
        ("She had a CVA two years ago with mild residual weakness.", "CVA", "D020521"),
        ("Complains of chronic SOB and a dry cough.", "SOB", "D004417"),
        ("History of A-Fib, on warfarin.", "A-Fib", "D001281"),
        ("Drinks ETOH on weekends.", "ETOH", "D000431"),
    ],
)
def test_undefined_clinical_short_forms_are_coded_entities(nlp, text, word, code):
    hits = found(nlp, text, word)
    assert hits, ents(nlp, text)
    assert all(code in codes for _, _, codes in hits)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("PE:  Well-appearing man in no distress.", "PE"),  # physical exam
        ("Bilateral myringotomy with PE tubes was done.", "PE"),  # pressure-equalization tubes
        ("Back is nontender.  No CVA tenderness.", "CVA"),  # costovertebral angle
        ("Abdomen soft.  No CVA or flank tenderness.", "CVA"),
        ("Echo showed mild MI and trace TR.", "MI"),  # mitral insufficiency
    ],
)
def test_ambiguous_short_forms_get_no_code_there(nlp, text, word):
    for _, _, codes in found(nlp, text, word):
        assert not {"I26", "D020521", "D009203"} & set(codes)


def test_a_short_form_the_document_defines_follows_its_definition(nlp):
    text = "Phenylephrine (PE) was infused; PE raised the blood pressure."
    assert all("I26" not in codes for w, _, codes in ents(nlp, text) if w == "PE")


@pytest.mark.parametrize(
    "text",
    [
        "SKIN:  Warm.,ALLERGIES: , PENICILLIN CAUSES HIVES.,SOCIAL HISTORY:  Nonsmoker.",
        "Mild pallor.  PSYCHIATRIC:  Calm and cooperative.",
        "PAST PSYCHIATRIC HISTORY:,  None.",
        "Testes descended.,ANUS:  Patent.,SPINE:  Straight.",
        "Tylenol.,FHX:, unknown.",
        "CC:, Lethargy for two days.",  # "cc" is a spaCy symbol: its id is no hash
        "Zocor 40 mg every day.,ALLERGIES,1.  PENICILLIN.,2.  KEFLEX.",  # a header's comma before its first item
    ],
)
def test_section_headers_are_no_entities(nlp, text):
    header_words = {"ALLERGIES", "PSYCHIATRIC", "ANUS", "FHX", "CC"}
    assert not [e for e in ents(nlp, text) if e[0] in header_words]


def test_header_filter_keeps_mentions_and_numbered_problems(nlp):
    text = "ALLERGIES: , PENICILLIN CAUSES HIVES.,ASSESSMENT:,1.  Hypertension:  Stable on lisinopril."
    words = [e[0] for e in ents(nlp, text)]
    assert "PENICILLIN" in words and "HIVES" in words and "Hypertension" in words


def test_upper_case_no_is_not_nitric_oxide(nlp):
    text = "ALLERGIES: , NO KNOWN DRUG ALLERGIES.,LYMPHATIC: NO lymphadenitis is noted."
    assert not [e for e in ents(nlp, text) if e[0] == "NO"]


def test_a_name_after_a_title_is_no_entity(nlp):
    text = "She was followed under the direction of Dr. K.  Her care there was good."
    assert not [e for e in ents(nlp, text) if e[0] == "K"]


def test_the_rules_can_be_switched_off():
    nlp = medtext.load(config={"components.concepts.clinical_notes": False})
    doc = nlp("Risks of bleeding, infection, MI, DVT, PE and death were explained.")
    assert not [e for e in doc.ents if e.text == "PE"]


def test_in_header_and_short_form_rules_alone():
    import spacy

    from medtext.pipeline.note_entity_rules import clinical_short_form_at, in_header

    doc = spacy.blank("en")("1. HTN: stable. History of CVA and DVT, PE.")
    assert not in_header(doc, 2, 3)  # a numbered problem
    assert clinical_short_form_at(doc, 8)[1].long == "cerebrovascular accident"
    assert clinical_short_form_at(doc, 12)[1].long == "pulmonary embolism"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("GENERAL:  Pleasant woman in no acute distress.", "acute distress"),
        ("Pupils are round.  Extraocular movements are intact.", "Extraocular movements"),
        ("The fascia was closed with interrupted 3-0 Vicryl sutures.", "Vicryl sutures"),
        ("He was seen in the ER last night for wheezing.", "ER"),
    ],
)
def test_exam_phrases_and_note_abbreviations_are_no_entities(nlp, text, word):
    assert not [e for e in ents(nlp, text) if e[0] == word]


def test_a_dropped_phrase_leaves_no_lexicon_term_inside(nlp):
    text = "Small bleeders were controlled with bipolar coagulation and the wound was closed."
    assert not [e for e in ents(nlp, text) if e[0].lower().startswith("bipolar")]


def test_surgical_wound_and_bipolar_cautery_are_no_entities(nlp):
    text = "The wound was irrigated and hemostasis was obtained with bipolar cautery.  The wounds were closed."
    words = [e[0].lower() for e in ents(nlp, text)]
    assert "wound" not in words and "wounds" not in words and "bipolar" not in words


def test_bipolar_disorder_stays(nlp):
    assert [e for e in ents(nlp, "History of bipolar disorder, on lithium.") if "bipolar" in e[0].lower()]


def test_a_leading_sign_of_is_left_out(nlp):
    text = "Ears are normal without any sign of infection."
    words = [e[0] for e in ents(nlp, text)]
    assert "infection" in words and "sign of infection" not in words


def test_the_switch_survives_bytes_and_pickle(nlp):
    import pickle

    concepts = nlp.get_pipe("concepts")
    concepts(nlp.make_doc("History of HTN."))  # computes the ids of the first words
    copy = pickle.loads(pickle.dumps(concepts))
    assert copy.clinical_notes and "_first_ids" not in copy.__dict__
    off = medtext.load(config={"components.concepts.clinical_notes": False}).get_pipe("concepts")
    assert not concepts.from_bytes(off.to_bytes()).clinical_notes
    concepts.from_bytes(copy.to_bytes())
    assert concepts.clinical_notes


def test_an_entity_run_over_a_review_of_systems_label_starts_after_it(nlp):
    # The NER took "Cardiovascular: Denies angina" as one DISEASE, hiding the trigger from assertion.
    doc = nlp("REVIEW OF SYSTEMS: Cardiovascular: Denies angina or palpitations. Respiratory: Denies cough.")
    got = [(e.text, e._.negated) for e in doc.ents]
    assert ("angina", True) in got and ("palpitations", True) in got
    assert not [text for text, _ in got if ":" in text]


@pytest.mark.parametrize("text", ["History of GERD.", "She has HTN and GERD."])
def test_an_uncoded_lexicon_short_form_takes_its_long_forms_codes(nlp, text):
    # The lexicon lists "GERD" without a code; gastro-esophageal reflux disease is ICD-10-CM K21.
    assert found(nlp, text, "GERD")[0][2] == ["K21"]


@pytest.mark.parametrize(
    ("text", "word", "code"),
    [
        ("History of SDH and DKA.", "SDH", "I6200"),
        ("History of SDH and DKA.", "DKA", "E1110"),
        ("Screened for STD.", "STD", "A64"),
        ("Admitted with diabetic ketoacidosis.", "diabetic ketoacidosis", "E1110"),
        ("No sexually transmitted diseases.", "sexually transmitted diseases", "A64"),
        ("PAST MEDICAL HISTORY: 1)pyelonephritis, 2)HTN.", "pyelonephritis", "N16"),
    ],
)
def test_common_clinical_terms_and_their_short_forms_have_codes(nlp, text, word, code):
    # lexicon supplement (ICD-10-CM codes for terms the other sources leave uncoded); "1)" is its own token
    hits = found(nlp, text, word)
    assert hits and code in hits[0][2], ents(nlp, text)


@pytest.mark.parametrize(
    ("text", "word", "code"),
    [
        ("Infiltrated with 1% Xylocaine with epinephrine.", "Xylocaine", "DB00281"),  # lidocaine
        ("Discharged on Augmentin 875 mg b.i.d.", "Augmentin", "DB00766"),  # clavulanic acid
        ("Vicodin 5/500 one tablet q.6h. p.r.n. pain.", "Vicodin", "DB00956"),  # hydrocodone
        ("Sedated with Versed 2 mg IV.", "Versed", "DB00683"),  # midazolam
    ],
)
def test_brand_names_take_their_generics_codes(nlp, text, word, code):
    hits = found(nlp, text, word)
    assert hits and hits[0][1] == "CHEMICAL" and code in hits[0][2], ents(nlp, text)


def test_versed_matches_only_as_written(nlp):
    assert not found(nlp, "She is well versed in wound care.", "versed")


@pytest.mark.parametrize(("start", "end"), [(1, 5), (0, 4), (0, 5)])
def test_a_model_entity_loses_the_whitespace_at_its_ends(nlp, start, end):
    # PhysioNet: the NER ended "dopa/IVF \n" and "swelling\n\n" on the line break (5 entities on the shared half)
    from spacy.tokens import Span

    from medtext.pipeline.ner_decoder import record_model_entities

    text = "\n dopa/IVF \n\n then afebrile."
    doc = nlp.make_doc(text)
    assert [t.is_space for t in doc[:6]] == [True, False, False, False, True, False]
    for name, proc in nlp.pipeline:
        if name == "concepts":
            break
        if name != "ner":
            doc = proc(doc)
    doc.ents = [Span(doc, start, end, label="CHEMICAL")]
    record_model_entities(doc)
    doc = nlp.get_pipe("concepts")(doc)
    assert [e.text for e in doc.ents if e.label_ == "CHEMICAL"] == ["dopa/IVF"]
