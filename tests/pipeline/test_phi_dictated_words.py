"""PHI on dictated notes: tests, scales, findings and devices named after people, grades after a name, short forms
defined in parentheses, doses, imaging, and lower-case words of sentence-case notes are no PHI; real names next to
the same cue words stay PHI. All sentences are written for this test."""

import pytest

from medtext.pipeline.phi_filters import no_phi
from medtext.pipeline.phi_post import cue_locations


def _at(text, word):
    start = text.index(word)
    return start, start + len(word)


@pytest.mark.parametrize(("text", "word"), [
    ("The tumour had favourable Quarrington histology on review.", "Quarrington"),
    ("Pulmonary resistance was 3.2 Wood units after the stent.", "Wood"),
    ("The room was darkened and a Woods lamp was used.", "Woods"),
    ("To proceed with Meckel scan today if the count drops.", "Meckel"),
    ("Serum protein electrophoresis and Lyme titer were sent.", "Lyme"),
    ("She completed a modified Oswestry Disability Questionnaire today.", "Oswestry"),
    ("Grip tested with a Jamar dynamometer increased to 80 pounds.", "Jamar dynamometer"),
    ("Cryptococcal antigen and India Ink were negative.", "India Ink"),
    ("PREOPERATIVE DIAGNOSIS: Hawkins IV talus fracture.", "Hawkins"),
    ("Bilateral Baker grade IV capsular contracture.", "Baker"),
    ("Growth and development: Denver II normal for age.", "Denver"),
    ("A. Status post Norwood.  B. Status post Glenn.", "Glenn"),
    ("Delis-Kaplan Executive Function System (DKEFS), Trail Making Test", "DKEFS"),
    ("Continue diuresis as per Nephrology.", "Nephrology"),
    ("Historically, her first husband was supportive.", "Historically"),
    ("She takes Zorvix 10 mg b.i.d. for her mood.", "Zorvix"),
    ("MRI Brain, 2/19/96, revealed several lesions.", "Brain"),
])
def test_an_eponymous_test_grade_or_word_is_no_name(text, word):
    assert no_phi(text, *_at(text, word), "NAME")


_CASED_NOTE = ("SOCIAL HISTORY: He is married.  He is a retired minister.  He does not smoke.  "
               "He drinks rarely.  The irides are hazel and the pupils are equal.  His mood is good.")


@pytest.mark.parametrize("word", ["minister", "hazel"])
def test_a_lower_case_word_of_a_sentence_case_note_is_no_name(word):
    assert no_phi(_CASED_NOTE, *_at(_CASED_NOTE, word), "NAME")


@pytest.mark.parametrize(("text", "word"), [
    ("Seen today by Dr. Hawkins IV in clinic.", "Hawkins"),  # a title: a person
    ("Discussed with Baker II who agrees with the plan.", "Baker"),  # a Roman numeral before a verb: a suffix
    ("Smith III was seen in the office today.", "Smith"),
    ("Spoke with Dr. Glenn regarding the scan.", "Glenn"),
    ("MRI reviewed with Dr. Brian Hollis today.", "Brian"),
    ("Pt seen with wife. Brian Smith called re: scan results.", "Brian"),
    ("Results discussed with the family (HOLLIS) today.", "HOLLIS"),  # capitals in parentheses that define nothing
])
def test_real_names_next_to_the_same_cue_words_stay_names(text, word):
    assert not no_phi(text, *_at(text, word), "NAME")


def test_a_lower_case_name_of_a_nursing_note_stays_a_name():
    note = ("pt resting comfortably. spoke with wife mary re: plan. vss. afebrile. "
            "lungs clear. will cont to monitor. mary aware of plan. cont current tx.")
    assert not no_phi(note, *_at(note, "mary"), "NAME")
    cased = "He is resting.  He slept well.  He ate lunch.  He walked.  He is calm.  His wife, mary, visited."
    assert not no_phi(cased, *_at(cased, "mary"), "NAME")  # a kin word before it


def test_a_determiner_after_lives_in_is_no_place():
    assert cue_locations("The patient lives in a single-level home.") == []
    text = "The patient lives in Quillby with her son."
    assert [text[s:e] for s, e, _ in cue_locations(text)] == ["Quillby"]
