"""Section ends and section categories as the assertion component uses them, on note-shaped text.

Hand-written notes (no corpus text) in the two shapes of the development corpora: transcribed
notes whose line breaks became ``,`` (``FHX: ,none.,ADMIT EXAM: ...``) and nursing notes with a
label at each line start (``PMH: asthma\\nCV: ...``). Entities come from an entity ruler so only
the rule components are tested. The cases not marked "control" failed before history sections
ended at labels of any kind and before combined family/social headers and problem lists got their
own categories.
"""

import pytest

from medtext.pipeline.sections import SectionDetector, read_rules

FINDINGS = [
    "dysarthria", "pronator drift", "weakness", "stroke", "smoking", "huntington disease", "diabetes", "aneurysm",
    "hypertension", "asthma", "afib", "lasix", "rash", "copd", "tibia fx", "breast cancer", "mi", "fever",
    "shortness of breath", "hyperlipidemia", "migraine",
]


@pytest.fixture(scope="module")
def nlp(findings_pipeline):
    return findings_pipeline(FINDINGS)


@pytest.fixture(scope="module")
def detector():
    import spacy

    return SectionDetector(spacy.blank("en"))


def flags(nlp, text, entity, nth=0):
    found = [e for e in nlp(text).ents if e.text.lower() == entity]
    assert len(found) > nth, f"entity {entity!r} not found"
    return set(found[nth]._.triggers or {})


CASES = [
    # --- a family history ends at the next label, known or not: the exam after it is the patient's
    ("CC: ,Gait difficulty.,FHX: ,noncontributory,ADMIT EXAM: ,BP 169/104,MS: Speech without dysarthria.,"
     "Motor: mild pronator drift on the left.,COURSE: ,Stable.", "pronator drift", set()),
    ("FHX: ,noncontributory,ADMIT EXAM: ,BP 169/104,MS: Speech without dysarthria.", "dysarthria", {"negated"}),
    ("FAMILY HISTORY:,  Positive for stroke.,SICK CONTACTS: , None.,OUTSIDE RECORDS: ,Weakness of the arm.", "weakness", set()),
    ("FAMILY HISTORY:,  Positive for stroke.,SICK CONTACTS: , Mom with a rash.", "stroke", {"family"}),  # control
    # --- a relative as a sub-heading stays in the family history
    ("FAMILY HISTORY:,FATHER:, Died of MI.,MOTHER: , Breast cancer.,EXAM: ,No rash.", "breast cancer", {"family"}),  # control
    # --- a past medical history in a nursing note ends at the next system label
    ("PMH: asthma, COPD\n\nCV: afib, rate 110s.\nGU: lasix given.\n", "afib", set()),
    ("PMH: asthma, COPD\n\nCV: afib, rate 110s.\nGU: lasix given.\n", "lasix", set()),
    ("PMH: asthma, COPD\n\nCV: afib, rate 110s.\n", "copd", {"historical"}),  # control
    # ... but not at an event of the history written as a label with a date
    ("PMH: COPD, asthma\n MVA 12/07: tibia fx.\n", "tibia fx", {"historical"}),  # control
    # --- a combined family and social history is family only with a relative named
    ("FAMILY HISTORY AND SOCIAL HISTORY:,  Significant for Huntington disease in her mother and diabetes in her "
     "father.  Her brother has an aneurysm.  She is currently smoking about a pack a day.,PE: Normal.", "smoking", set()),
    ("FAMILY HISTORY AND SOCIAL HISTORY:,  Significant for Huntington disease in her mother.", "huntington disease", {"family"}),  # control
    ("SHX/FHX:, Smokes.  Father had a stroke.,EXAM:, Normal.", "stroke", {"family"}),  # control
    ("FHX/SHX:, 1-2 ppd, smoking since age 20.,EXAM:, Normal.", "smoking", set()),
    # --- a problem list holds the current problems
    ("PROBLEM LIST:,1.  Hypertension.,2.  Hyperlipidemia.,HPI: ,Follow-up.", "hypertension", set()),
    ("ACTIVE PROBLEM LIST:\n1. Diabetes\n2. Asthma\n", "diabetes", set()),
    ("PAST MEDICAL HISTORY:,1.  Hypertension.,2.  Migraine.", "migraine", {"historical"}),  # control
]


@pytest.mark.parametrize("text,entity,expected", CASES)
def test_section_assertions(nlp, text, entity, expected):
    assert flags(nlp, text, entity) == expected


SECTION_CASES = [
    # (text, [(category, section text)])
    ("FHX: ,noncontributory,ADMIT EXAM: ,BP 120/80,COURSE: Stable.",
     [("family_history", "FHX: ,noncontributory,"), ("physical_examination", "ADMIT EXAM: ,BP 120/80,"),
      ("hospital_course", "COURSE: Stable.")]),
    ("SOCIAL HISTORY: Lives alone.\nNEURO: alert.\nPLAN: home.",
     [("social_history", "SOCIAL HISTORY: Lives alone.\n"), ("plan", "PLAN: home.")]),
    ("PMH: HTN\nTHIS IS A 67 YR OLD PT WITH A HX SIGNIFICANT FOR: AFIB\nPLAN: home.",  # control: a sentence is no label
     [("past_medical_history", "PMH: HTN\nTHIS IS A 67 YR OLD PT WITH A HX SIGNIFICANT FOR: AFIB\n"), ("plan", "PLAN: home.")]),
    ("PMH: asthma.,Cardiovascular Hx: none.,PE: ok",  # control: a title-case label inside a line is a sub-heading
     [("past_medical_history", "PMH: asthma.,Cardiovascular Hx: none.,"), ("physical_examination", "PE: ok")]),
    ("FAMILY:\nWife in to visit, updated by team.\nRESP: clear.",  # a nursing note's family contact
     [("social_history", "FAMILY:\nWife in to visit, updated by team.\n")]),
    ("PROBLEM LIST:,1.  Asthma.,CHIEF COMPLAINT: Cough.",
     [("problem_list", "PROBLEM LIST:,1.  Asthma.,"), ("chief_complaint", "CHIEF COMPLAINT: Cough.")]),
    ("SOCIAL/FAMILY HISTORY: Smokes.,PMH/FHX/SHX: none.",
     [("family_and_social_history", "SOCIAL/FAMILY HISTORY: Smokes.,"), ("family_and_social_history", "PMH/FHX/SHX: none.")]),
    ("DISCHARGE PHYSICAL EXAMINATION:,NECK: Supple.",
     [("physical_examination", "DISCHARGE PHYSICAL EXAMINATION:,"), ("physical_examination", "NECK: Supple.")]),
]


@pytest.mark.parametrize("text,expected", SECTION_CASES)
def test_section_spans(detector, text, expected):
    found = detector.find(text)
    assert [(s["category"], text[s["start"] : s["end"]]) for s in found] == expected


def test_sections_end_before_the_next_start_and_in_order(detector):
    text = "FHX: none.,SICK CONTACTS: none.,EXAM: ok.\nPMH: asthma\nGI: soft\nMEDS: none"
    found = detector.find(text)
    for a, b in zip(found, found[1:]):
        assert a["start"] < a["end"] <= b["start"]
    assert [text[s["start"] : s["end"]] for s in found] == ["FHX: none.,", "EXAM: ok.\n", "PMH: asthma\n", "MEDS: none"]


def test_ends_at_any_header_is_a_rule_key(tmp_path):
    import spacy

    path = tmp_path / "rules.jsonl"
    path.write_text('{"category": "allergies", "titles": ["allergies"], "ends_at_any_header": true}\n', encoding="utf-8")
    detector = SectionDetector(spacy.blank("en"))
    detector.add_from_file(path)
    text = "ALLERGIES: none\nCV: ok\nPLAN: home"
    assert [(s["category"], text[s["start"] : s["end"]]) for s in detector.find(text)] == [
        ("allergies", "ALLERGIES: none\n"), ("plan", "PLAN: home")
    ]
    restored = SectionDetector(spacy.blank("en")).from_bytes(detector.to_bytes())
    assert restored.find(text) == detector.find(text)
    path.write_text('{"category": "allergies", "titles": ["allergies"], "ends_at_any_header": "yes"}\n', encoding="utf-8")
    with pytest.raises(Exception, match="ends_at_any_header"):
        read_rules(path)


RULE_FINDINGS = [
    "hiv", "hepatitis b", "hepatitis c", "toxoplasmosis", "cmv", "lorazepam", "tylenol", "atrial fibrillation",
    "ibuprofen", "back pain", "pneumonia", "ceftriaxone", "headache", "smoking", "food allergies", "irritability",
    "asthma", "gerd", "fever", "melena", "copd", "metoprolol", "infection", "lithium", "stroke",
]


@pytest.fixture(scope="module")
def rule_nlp(findings_pipeline):
    return findings_pipeline(RULE_FINDINGS)


RULE_CASES = [
    # --- 'possible' inside a list doubts only its own item
    ("GERD, possible food allergies, chronic irritability, asthma.", "food allergies", {"uncertain"}),  # control
    ("GERD, possible food allergies, chronic irritability, asthma.", "irritability", set()),
    ("GERD, possible food allergies, chronic irritability, asthma.", "asthma", set()),
    # --- a long list of tests before 'were negative'
    ("HIV, hepatitis B, hepatitis C, EBV, toxoplasmosis and CMV titers were negative.", "hiv", {"negated"}),
    ("HIV, hepatitis B, hepatitis C, EBV, toxoplasmosis and CMV titers were negative.", "hepatitis b", {"negated"}),
    ("Cultures were drawn; the results were negative for infection.", "infection", {"negated"}),  # control
    # --- a missing dosing interval does not negate the drug
    ("MEDICATIONS:, Lorazepam 0.5 mg, dosing interval is not noted; Tylenol PM.", "lorazepam", set()),
    # --- 'do not suspect' is a negation, not also a doubt
    ("I do not suspect atrial fibrillation at this time.", "atrial fibrillation", {"negated"}),
    # --- a main clause with its own subject after an if-clause is not conditional
    ("If he takes ibuprofen, it does seem to help with the back pain.", "back pain", set()),
    ("If he takes ibuprofen, it does seem to help with the back pain.", "ibuprofen", {"hypothetical"}),  # control
    ("If there is no further melena, the patient will go back to the floor for his COPD.", "copd", set()),
    ("If blood pressure is above 160, we will hold metoprolol.", "metoprolol", set()),
    ("Call if severe pain, fever, melena or any unusual symptoms develop.", "melena", {"hypothetical"}),  # control
    # --- the treatment given for a presumed diagnosis is not uncertain
    ("She was presumed to have pneumonia and was placed on ceftriaxone.", "ceftriaxone", set()),
    ("She was presumed to have pneumonia and was placed on ceftriaxone.", "pneumonia", {"uncertain"}),  # control
    # --- an onset 'started N months ago' goes on
    ("The headache started 2 months ago.", "headache", set()),
    ("Her headache began about two years ago.", "headache", set()),
    ("She had a stroke 2 months ago.", "stroke", {"historical"}),  # control
    # --- counselling on the risks of a habit
    ("Counseled on the risks of smoking.", "smoking", set()),
    ("Risks of infection were discussed.", "infection", {"hypothetical"}),  # control
]


@pytest.mark.parametrize("text,entity,expected", RULE_CASES)
def test_rule_gaps(rule_nlp, text, entity, expected):
    assert flags(rule_nlp, text, entity) == expected


def test_ends_at_comma_is_a_rule_key():
    from medtext.errors import RuleError
    from medtext.pipeline.context_rules import validate_rule

    rule = validate_rule({"literal": "maybe", "category": "uncertain", "direction": "forward", "ends_at_comma": True})
    assert rule["ends_at_comma"] is True
    for bad in ({"literal": "maybe", "category": "uncertain", "direction": "forward", "ends_at_comma": "yes"},
                {"literal": "but", "direction": "terminate", "ends_at_comma": True}):
        with pytest.raises(RuleError, match="ends_at_comma"):
            validate_rule(bad)


def test_ends_at_comma_scope():
    from medtext.pipeline.context_scope import Trigger, WordCounter, assign

    # tokens: a , possible b , c  -> the scope of 'possible' (2) ends at the comma (4)
    t = [Trigger(2, 3, "uncertain", "forward", None, "possible", comma=True)]
    assert assign(t, [(3, 4), (5, 6)], 0, 6, WordCounter([False] * 6), commas=[1, 4]) == [{"uncertain": "possible"}, {}]
    t = [Trigger(4, 5, "negated", "backward", None, "negative", comma=True)]
    assert assign(t, [(0, 1), (2, 3)], 0, 6, WordCounter([False] * 6), commas=[1]) == [{}, {"negated": "negative"}]
