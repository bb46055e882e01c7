"""Sentences and sections on clinical notes as they are written (audit of MTSamples / PhysioNet styles).

The texts are hand-written in the style of the notes, not copied from a corpus.
"""

import pytest
import spacy

from medtext.pipeline.sections import SectionDetector
from medtext.pipeline.sentences import find_sentence_starts, sentence_texts as sentences



@pytest.fixture(scope="module")
def detector():
    return SectionDetector(spacy.blank("en"))


# --- transcribed notes: a comma stands for a line break -------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        # ".," with no space after it is a line break too
        (
            "The flap was soaked in saline.,The dura was opened.",
            ["The flap was soaked in saline.,", "The dura was opened."],
        ),
        (
            "Vitals stable.,GENERAL:  Awake, no distress.,HEENT:  Pupils equal.",
            ["Vitals stable.,", "GENERAL:  Awake, no distress.,", "HEENT:  Pupils equal."],
        ),
        # numbered items: the number starts the item's sentence, never ends the previous one
        (
            "Stable appearance since last year.,2.  No mass near the scar.",
            ["Stable appearance since last year.,", "2.  No mass near the scar."],
        ),
        (
            "Chest pain, ruled out.,12.  Hypokalemia, replaced.,13.  Anemia.",
            ["Chest pain, ruled out.,", "12.  Hypokalemia, replaced.,", "13.  Anemia."],
        ),
        # a header's ":," before a numbered item is a line break, as "PLAN:\n1. Rest."
        ("PLAN:,1.  Start omeprazole.,2.  Recheck in May.", ["PLAN:,", "1.  Start omeprazole.,", "2.  Recheck in May."]),
        ("IMPRESSION: ,1. Mild ischemia.", ["IMPRESSION: ,", "1. Mild ischemia."]),
        # a comma after the sentence's space belongs to no sentence start
        ("Right knee pain. ,Denies fever.", ["Right knee pain. ,", "Denies fever."]),
    ],
)
def test_transcribed_line_breaks(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Given 500 mg p.o.,then held.",  # lowercase after an abbreviation continues
        "Drugs, e.g.,Tylenol, help.",  # never-ending abbreviation
        "Ratio 2:,1 was seen.",  # not a numbered item
        "HCT 32.5, K 4.1, Na 139.",  # decimals
    ],
)
def test_transcribed_non_boundaries(text):
    assert len(sentences(text)) == 1


def test_transcribed_breaks_keep_offsets():
    text = "Pain resolved.,Plan discussed.,3.  Follow up."
    starts = find_sentence_starts(text)
    assert [text[i : i + 4] for i in starts] == ["Pain", "Plan", "3.  "]


# --- nursing notes: one system per line --------------------------------------------------------


def test_a_labelled_line_starts_a_sentence_whatever_its_case():
    text = "gi: npo at this time, lfts up \nid: wbc 14, cultures sent \nResp: on 2L nc"
    assert sentences(text) == ["gi: npo at this time, lfts up", "id: wbc 14, cultures sent", "Resp: on 2L nc"]


def test_a_wrapped_line_is_not_a_label():
    text = "He was given two doses of lasix with\ngood effect and no complaints."
    assert len(sentences(text)) == 1


# --- sections ------------------------------------------------------------------------------------


def cats(detector, text):
    return [(s["category"], text[s["start"] : s["start"] + len(s["title"])]) for s in detector.find(text)]


def test_exam_subheaders_end_vital_signs(detector):
    text = "PHYSICAL EXAMINATION:,VITAL SIGNS:  BP 128/76.,GENERAL:  No distress.,HEENT:  Clear.,ABDOMEN:  Soft."
    assert cats(detector, text) == [
        ("physical_examination", "PHYSICAL EXAMINATION"),
        ("vital_signs", "VITAL SIGNS"),
        ("physical_examination", "GENERAL"),
        ("physical_examination", "HEENT"),
        ("physical_examination", "ABDOMEN"),
    ]


def test_review_of_systems_subheaders_stay_review_of_systems(detector):
    text = "REVIEW OF SYSTEMS:,CONSTITUTIONAL:  No fever.,Cardiovascular:  No chest pain.,FAMILY HISTORY: , None."
    assert [c for c, _ in cats(detector, text)] == [
        "review_of_systems", "review_of_systems", "review_of_systems", "family_history"
    ]


def test_subheaders_outside_exam_or_review_are_no_headers(detector):
    # "GENERAL:" alone, or inside a family history, opens no section (and so cannot end one)
    assert cats(detector, "GENERAL: Well.") == []
    text = "FAMILY HISTORY:  Mother with lupus.,GENERAL:  Alert."
    assert [c for c, _ in cats(detector, text)] == ["family_history"]


def test_nursing_id_is_not_identifying_data(detector):
    # in nursing notes "ID:" is infectious disease; it must not open an identifying-data section
    assert cats(detector, "PLAN: wean vent\nID: afebrile, on cefazolin") == [("plan", "PLAN")]


@pytest.mark.parametrize(
    "text,category",
    [
        ("PREOPERATIVE DIAGNOSIS (ES):, Wrist fracture.", "preoperative_diagnosis"),
        ("Procedure(s): Carpal tunnel release.", "procedure"),
        ("PAST SURGICAL HX: , Appendectomy.", "past_surgical_history"),
        ("ALLERGIES TO MEDICINES:,  None.", "allergies"),
        ("FAMILY PSYCHIATRIC HISTORY:,  Brother with bipolar disorder.", "family_history"),
        ("LEGAL HISTORY: , No arrests.", "social_history"),
        ("PAST CARDIAC HISTORY: , Stent in 2009.", "past_medical_history"),
        ("CURRENT MEDICATIONS AT HOME: , Lisinopril.", "medications"),
        ("ANGIOGRAPHIC FINDINGS:,  Patent grafts.", "findings"),
    ],
)
def test_more_titles(detector, text, category):
    assert [c for c, _ in cats(detector, text)] == [category]


def test_within_rules_are_checked(detector):
    from medtext.errors import RuleError
    from medtext.pipeline.sections import validate_rule

    rule = validate_rule({"category": "physical_examination", "titles": ["hands"], "within": ["physical_examination"]})
    assert rule["within"] == ["physical_examination"]
    for bad in ("physical_examination", [], [""], [3]):
        with pytest.raises(RuleError):
            validate_rule({"category": "x", "titles": ["hands"], "within": bad})


def test_pipeline_sentences_follow_the_subheaders(nlp):
    text = "PHYSICAL EXAMINATION:,VITAL SIGNS:  Afebrile.,NECK:  Supple, no JVD,CHEST:  Clear.,EXTREMITIES:  No edema."
    doc = nlp(text)
    assert [s["category"] for s in doc._.sections][-3:] == ["physical_examination"] * 3
    assert [s.text for s in doc.sents] == [
        "PHYSICAL EXAMINATION:,", "VITAL SIGNS:  Afebrile.,", "NECK:  Supple, no JVD,", "CHEST:  Clear.,", "EXTREMITIES:  No edema."
    ]


def test_a_line_the_next_word_would_have_fitted_on_ends_a_sentence():
    # lines are not wrapped at 60 characters here (the longest is longer): each line is an entry
    text = (
        "CV: HR 80s sinus, BP 100-120/60s, heparin at 900 units per hour, PTT pending at 6pm tonight\n"
        "Resp: lungs clear, sats 96% on 2 liters nasal cannula via nasal prongs today\n"
        "GI tolerating clear liquids, no stool today, abdomen soft and nontender\n"
        "Family in to visit this evening, updated on plan of care"
    )
    assert [s[:4] for s in sentences(text)] == ["CV: ", "Resp", "GI t", "Fami"]


def test_a_wrapped_line_still_wraps():
    # wrapped at about 60 characters: "Metoprolol" would not have fitted on the first line
    text = (
        "The patient was admitted with chest pain and started on a low\n"
        "Metoprolol dose, with good effect on his heart rate overnight.\n"
        "He is comfortable."
    )
    assert sentences(text)[0].startswith("The patient") and sentences(text)[0].endswith("overnight.")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("PT. REMAINS ON VENT. SATS 95%.", ["PT. REMAINS ON VENT.", "SATS 95%."]),
        ("Resp. Care: Pt. remains intubated.", ["Resp. Care: Pt. remains intubated."]),
        ("CVP 8. C.O. BY FICK 5.1.", ["CVP 8.", "C.O. BY FICK 5.1."]),
        # an abbreviation after the first word still ends a sentence before a capital
        ("Walked with the pt. Then rested.", ["Walked with the pt.", "Then rested."]),
    ],
)
def test_an_abbreviation_alone_is_no_sentence(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Seen last week.,PAST MEDICAL HISTORY,1.  Asthma.,2.  Gout.,ALLERGIES: , None.",
            [("past_medical_history", "PAST MEDICAL HISTORY"), ("allergies", "ALLERGIES")],
        ),
        (
            "Denies cough.,PHYSICAL EXAMINATION,GENERAL:  Well.,HEENT:  Clear.",
            [("physical_examination", "PHYSICAL EXAMINATION"), ("physical_examination", "GENERAL"), ("physical_examination", "HEENT")],
        ),
        # a known title before a comma but not before a list or a sub-header is no header
        ("Known CAD, HTN, PLAN, later.", []),
        # nor is a lower-case phrase
        ("He has a history,1. of note.", []),
    ],
)
def test_headers_without_their_colon(detector, text, expected):
    assert cats(detector, text) == expected


def test_header_without_colon_and_its_list_in_sentences(nlp):
    text = "Pain resolved.,IMPRESSION,1.  Gastritis.,2.  Anemia."
    assert [s["category"] for s in nlp(text)._.sections] == ["impression"]
    # (the tokenizer keeps "IMPRESSION,1" as one token, so a Doc cannot split there yet)
    assert sentences(text) == ["Pain resolved.,", "IMPRESSION,", "1.  Gastritis.,", "2.  Anemia."]


@pytest.mark.parametrize(
    "text,category",
    [
        ("MEDICINES:,  Zofran and Protonix.", "medications"),
        ("REASON FOR THE VISIT:,  Follow up.", "chief_complaint"),
        ("CONDITION UPON DISPOSITION: , Stable.", "disposition"),
        ("DIAGNOSES ON DISCHARGE,1.  Stroke.", "discharge_diagnosis"),
    ],
)
def test_titles_found_on_a_second_sample(detector, text, category):
    assert [c for c, _ in cats(detector, text)] == [category]
