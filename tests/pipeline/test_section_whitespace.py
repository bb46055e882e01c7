"""Section headers written with other whitespace and line breaks than ASCII space and "\\n"."""

import pytest
import spacy

import medtext
from medtext.pipeline.sections import SectionDetector


@pytest.fixture(scope="module")
def detector():
    return SectionDetector(spacy.blank("en"))


@pytest.fixture(scope="module")
def nlp():
    return medtext.load(exclude=["ner"])


@pytest.mark.parametrize(
    "text, category, title",
    [
        ("FAMILY\u00a0HISTORY: Diabetes.", "family_history", "FAMILY\u00a0HISTORY"),
        ("Family\u00a0history: Diabetes.", "family_history", "Family\u00a0history"),
        ("PAST\u00a0MEDICAL\u00a0HISTORY: Asthma.", "past_medical_history", "PAST\u00a0MEDICAL\u00a0HISTORY"),
        ("PAST MEDICAL\tHISTORY: Asthma.", "past_medical_history", "PAST MEDICAL\tHISTORY"),
        ("PAST\u2009MEDICAL HISTORY: Asthma.", "past_medical_history", "PAST\u2009MEDICAL HISTORY"),
        ("\ufeffFAMILY HISTORY: Diabetes.", "family_history", "FAMILY HISTORY"),
        ("\U0001f600\U0001f3e5 CHIEF COMPLAINT: Cough.", "chief_complaint", "CHIEF COMPLAINT"),
        ("\u2022 MEDICATIONS: Aspirin.", "medications", "MEDICATIONS"),
        ("Note\u2028FAMILY HISTORY: Diabetes.", "family_history", "FAMILY HISTORY"),
        ("Note\u2029FAMILY HISTORY: Diabetes.", "family_history", "FAMILY HISTORY"),
        ("Note\x0cFamily history: Diabetes.", "family_history", "Family history"),
        ("Note\x0bFamily history: Diabetes.", "family_history", "Family history"),
        ("Note\x85Family history: Diabetes.", "family_history", "Family history"),
        ("Note\u2028FAMILY\u00a0HISTORY\u2028Diabetes.", "family_history", "FAMILY\u00a0HISTORY"),
    ],
)
def test_header_found_with_offsets_into_the_original(detector, text, category, title):
    sections = detector.find(text)
    assert [(s["category"], s["title"]) for s in sections] == [(category, title)]
    start = sections[0]["start"]
    assert text[start : start + len(title)] == title
    assert text[sections[0]["body_start"]] not in " \u00a0\t"


def test_lower_case_after_other_line_breaks_still_needs_a_line_start(detector):
    # A mid-line header must be upper or title case, whatever the spaces are.
    assert detector.find("He has a family\u00a0history: none of note.") == []


@pytest.mark.parametrize("space", ["\u00a0", "\t", "\u202f"])
def test_family_status_follows_the_header(nlp, space):
    text = f"FAMILY{space}HISTORY: Diabetes.\nPAST{space}MEDICAL{space}HISTORY: Asthma."
    doc = nlp(text)
    assert [s["category"] for s in doc._.sections] == ["family_history", "past_medical_history"]
    status = {e.text: (e._.family, e._.historical) for e in doc.ents}
    assert status["Diabetes"] == (True, False)
    assert status["Asthma"] == (False, True)


def test_line_separator_headers_in_a_pipeline(nlp):
    text = "CHIEF COMPLAINT: Cough.\u2028FAMILY HISTORY: Diabetes."
    doc = nlp(text)
    assert [(s["category"], s["start"]) for s in doc._.sections] == [("chief_complaint", 0), ("family_history", 24)]
    assert [(e.text, e._.family) for e in doc.ents if e.text == "Diabetes"] == [("Diabetes", True)]
